"""Invariants checked every day when the model runs with `debug=True` (`gigsim run --check`).

Two checks per day, each raising InvariantError naming the day and the rule broken:

- `check_settlement`, right after tasks are paid and wages are paid (before anything
  else changes who is employed or how many hours are offered): every filled task went
  once to one active worker — on a platform, one of the task's category who belongs to
  it; referred off the platform, one skilled in the category; every
  worker's pay equals her tasks' pay plus wages; under a pay floor every contractor task
  on a platform paid at least the floor per engaged hour after top-up, and the recorded
  top-ups are exactly the shortfalls; hours won never exceed what was left by more than
  one task.
- `check_day`, after the day's metrics are recorded: money is conserved (client
  payments = worker pay + platform revenue + benefit contributions + transfer levy), the
  policy funds follow fund_t = fund_{t-1} + inflow − outflow, no negative hours, prices,
  money flows or counts, hours worked ≤ hours offered, task counts add up, the automated
  share of each category ≤ its automation level, and participants change by entries −
  exits.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from gigsim.errors import GigsimError
from gigsim.model.decisions import SKILLED
from gigsim.model.kernels.structs import MarketParams, Tasks
from gigsim.model.vocabulary import HUMAN_FATES, Fate, Flow, Pricing, Status

TOLERANCE = 1e-6
"""Relative tolerance for money identities (floating point)."""

HOURS_TOLERANCE = 1e-3
"""Absolute tolerance (hours) for hour comparisons (hours are float32)."""

NON_NEGATIVE_COLUMNS = (
    "active_workers", "upskilling_workers", "participants", "entries", "exits", "tasks_demanded",
    "tasks_priced_out", "tasks_unserved", "tasks_posted", "tasks_automated", "tasks_filled", "tasks_unfilled",
    "direct_hires", "referral_tasks", "client_payments", "worker_pay", "pay_floor_topups", "employee_wages",
    "benefit_contributions", "benefit_payouts", "transfer_levy", "cash_transfers", "commission_cap_transfer",
    "retraining_subsidies", "worker_costs", "ai_spend", "health_costs", "uncovered_health_costs", "logged_hours",
    "task_hours", "engaged_hours", "utilisation", "matching_rounds",
)
"""Metrics columns that are counts, hours or one-way money flows: never negative."""

SHARE_COLUMNS = ("fill_rate", "automation_share", "financially_fragile_share", "multihoming_share")
"""Metrics columns that are shares: between 0 and 1."""

FILLED_FATES = HUMAN_FATES


class InvariantError(GigsimError):
    """A model invariant failed: a bug, never bad input."""


def _close(a: float, b: float, scale: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(1.0, abs(scale))


def _fail(day: int, rule: str) -> None:
    raise InvariantError(f"day {day}: invariant broken: {rule}")


class _Filled(NamedTuple):
    """The day's filled tasks: their indices and, per task, worker, category, platform, fate,
    engaged hours and price."""

    index: np.ndarray
    worker: np.ndarray
    category: np.ndarray
    platform: np.ndarray
    fate: np.ndarray
    engaged: np.ndarray
    price: np.ndarray


def check_settlement(model, tasks: Tasks, flows: np.ndarray, params: MarketParams) -> None:
    """Check the day's matches and payments, before the periodic decisions change anyone's status."""
    index = np.flatnonzero(np.isin(tasks.fate, FILLED_FATES))
    category = tasks.category[index]
    filled = _Filled(index, tasks.worker[index].astype(np.int64), category, tasks.platform[index],
                     tasks.fate[index], tasks.hours[index] + tasks.pickup[index], tasks.price[index])
    tasks_per_worker = _check_matches(model, tasks.fate, flows, filled)
    _check_hours(model, filled, tasks_per_worker)
    _check_prices(model, tasks, filled)
    _check_pay(model, flows, params, filled)


def _check_matches(model, fate: np.ndarray, flows: np.ndarray, f: _Filled) -> np.ndarray:
    """A task is filled at most once, by one active worker of its category (on-platform: a member); the
    counts agree. Returns the tasks each worker filled."""
    day, w, worker = model.day, model.workers, f.worker
    if f.index.size:
        if (worker < 0).any() or (worker >= w.n).any():
            _fail(day, "a filled task without a valid worker")
        if (w.status[worker] != Status.ACTIVE).any():
            _fail(day, "a task filled by a worker who is not active")
        referred = f.fate == Fate.REFERRAL
        if (w.category[worker[~referred]] != f.category[~referred]).any():
            _fail(day, "a task filled on a platform by a worker of another category")
        if (w.skill[worker[referred], f.category[referred]] < SKILLED).any():
            _fail(day, "a referred task taken by a worker not skilled in its category")
        if not w.member[worker[~referred], f.platform[~referred]].all():
            _fail(day, "a task filled on a platform the worker does not belong to")
    tasks_per_worker = np.bincount(worker, minlength=w.n)
    if not np.array_equal(tasks_per_worker, w.day_tasks):
        _fail(day, "workers' task counts differ from the tasks they filled (a task counted twice or lost)")
    if int(flows[Flow.TASKS_FILLED].sum()) != f.index.size:
        _fail(day, f"settled {flows[Flow.TASKS_FILLED].sum():g} tasks but {f.index.size} were filled")
    if model.ledger.day.direct_hires != int((fate == Fate.DIRECT).sum()):
        _fail(day, "direct hires counted differ from tasks filled directly")
    if model.ledger.day.referral_tasks != int((fate == Fate.REFERRAL).sum()):
        _fail(day, "referrals counted differ from tasks filled by referral")
    return tasks_per_worker


def _check_hours(model, f: _Filled, tasks_per_worker: np.ndarray) -> None:
    """A worker's engaged hours are her tasks' hours; she overshoots her hours by at most one task."""
    day, w = model.day, model.workers
    if (f.engaged < 0).any():
        _fail(day, "a task with negative engaged hours")
    engaged_per_worker = np.bincount(f.worker, weights=f.engaged, minlength=w.n)
    if not np.allclose(engaged_per_worker, w.day_engaged_hours, rtol=1e-5, atol=HOURS_TOLERANCE):
        _fail(day, "workers' engaged hours differ from the hours of the tasks they filled")
    # hours left at the start of the day: offered − backlog, plus what the category lets her queue
    start = np.where(w.status == Status.ACTIVE, w.hours_offered - w.backlog, 0.0).astype(np.float64)
    start += model.queue_allowance()
    if (tasks_per_worker[start <= 0] > 0).any():
        _fail(day, "a worker with no hours left today took a task")
    largest = np.zeros(w.n)
    np.maximum.at(largest, f.worker, f.engaged)
    if (model.hours_left < np.minimum(start, 0.0) - largest - HOURS_TOLERANCE).any():
        _fail(day, "a worker took on more than one task beyond the hours she had left")


def _check_prices(model, tasks: Tasks, f: _Filled) -> None:
    """Prices are finite and non-negative; bids are never above the client's budget."""
    if not np.isfinite(tasks.price).all() or (tasks.price < 0).any():
        _fail(model.day, "a negative or non-finite price")
    bids = (model.pricing[f.platform] == Pricing.BIDS) & (f.fate == Fate.FILLED)
    if (f.price[bids] > tasks.wtp[f.index][bids] * (1 + TOLERANCE)).any():
        _fail(model.day, "a bid above the client's budget was accepted")


def _check_pay(model, flows: np.ndarray, params: MarketParams, f: _Filled) -> None:
    """Each worker received exactly her tasks' pay plus her wage; under a pay floor every contractor task on
    a platform paid at least the floor per engaged hour after top-up, and the top-ups are the shortfalls."""
    day, w, worker, price = model.day, model.workers, f.worker, f.price
    employee = (f.fate != Fate.REFERRAL) & (w.employer[worker] == f.platform)
    contractor = (f.fate != Fate.REFERRAL) & ~employee
    share = (1.0 - params.commission[f.platform]) * price
    shortfall = np.where(contractor, np.maximum(0.0, params.pay_floor * f.engaged - share), 0.0)
    task_pay = np.where(f.fate == Fate.REFERRAL, price, np.where(contractor, share + shortfall, 0.0))
    employed = (w.employer >= 0) & (w.status == Status.ACTIVE)
    hourly_wage = model.config.policy.employee_classification.hourly_wage
    wage = np.where(employed, hourly_wage * w.hours_offered.astype(np.float64), 0.0)
    expected_pay = np.bincount(worker, weights=task_pay, minlength=w.n) + wage
    if not np.allclose(expected_pay, w.day_pay, rtol=TOLERANCE, atol=1e-6):
        bad = int(np.flatnonzero(~np.isclose(expected_pay, w.day_pay, rtol=TOLERANCE, atol=1e-6))[0])
        _fail(day, f"worker {bad} was paid {w.day_pay[bad]:.6f}, her tasks and wage come to {expected_pay[bad]:.6f}")
    if params.pay_floor > 0:
        # per worker, what her contractor tasks actually paid (all she received less referrals and wages)
        referral_pay = np.bincount(worker, weights=np.where(f.fate == Fate.REFERRAL, price, 0.0), minlength=w.n)
        contractor_paid = w.day_pay - referral_pay - wage
        contractor_hours = np.bincount(worker, weights=np.where(contractor, f.engaged, 0.0), minlength=w.n)
        below = contractor_paid < params.pay_floor * contractor_hours - 1e-6 * np.maximum(1.0, w.day_pay)
        if below.any():
            bad = int(np.flatnonzero(below)[0])
            _fail(day, f"worker {bad} was paid {contractor_paid[bad]:.4f} for {contractor_hours[bad]:.4f} engaged "
                       f"contractor hours, below the floor of {params.pay_floor:g} per hour")
        recorded = flows[Flow.PAY_FLOOR_TOPUPS, : model.n_platforms].sum()
        if not _close(recorded, float(shortfall.sum()), recorded):
            _fail(day, f"pay-floor top-ups {recorded} differ from the tasks' shortfalls {shortfall.sum()}")
    elif flows[Flow.PAY_FLOOR_TOPUPS].any():
        _fail(day, "pay-floor top-ups paid while no pay floor applies")


def check_day(model, tasks: Tasks, flows: np.ndarray, previous: dict | None) -> dict:
    """Check the day's invariants once it is recorded: money, funds, hours, task fates, automation, counts.

    `previous` is what the check of yesterday returned (None on the first day checked): the funds and
    participants it compares today's against. Returns today's, for tomorrow's check.
    """
    day = model.day
    row = model.recorder.rows[-1]

    def fail(rule: str) -> None:
        _fail(day, rule)

    _check_money(model, row, flows, previous, fail)
    _check_ranges(row, fail)
    _check_fates(row, tasks, fail)
    _check_state(model, tasks, fail)
    _check_agents(model, row, previous, fail)
    return {key: row[key] for key in ("benefit_fund", "transfer_fund", "participants")}



def _check_money(model, row: dict, flows: np.ndarray, previous: dict | None, fail) -> None:
    """Money is conserved in total and per market, workers got the worker pay recorded, funds follow their identity."""
    w = model.workers
    # money: what clients paid is split exactly between workers, platforms and the policy funds
    paid = row["client_payments"]
    split = row["worker_pay"] + row["platform_revenue"] + row["benefit_contributions"] + row["transfer_levy"]
    if not _close(paid, split, paid):
        fail(f"client_payments {paid} != worker_pay + platform_revenue + contributions + levy ({split})")
    # ... per market too, and workers' own accounts received exactly the worker pay recorded
    by_market = flows[Flow.WORKER_PAY] + flows[Flow.PLATFORM_REVENUE] + flows[Flow.BENEFIT_CONTRIBUTIONS] + flows[Flow.TRANSFER_LEVY]
    if not np.allclose(flows[Flow.CLIENT_PAYMENTS], by_market, rtol=TOLERANCE, atol=1e-6):
        fail("in some (platform, category) market, payments are not split exactly")
    if not _close(float(w.day_pay.sum()), row["worker_pay"], row["worker_pay"]):
        fail(f"sum of workers' pay {w.day_pay.sum()} != worker_pay {row['worker_pay']}")
    # the policy funds: fund_t = fund_{t-1} + inflow - outflow
    for fund, inflow, outflow in (("benefit_fund", "benefit_contributions", "benefit_payouts"),
                                  ("transfer_fund", "transfer_levy", "cash_transfers")):
        before = previous[fund] if previous is not None else 0.0
        expected = before + row[inflow] - row[outflow]
        if not _close(row[fund], expected, max(abs(before), row[inflow], row[outflow])):
            fail(f"{fund} {row[fund]} != previous {before} + {inflow} {row[inflow]} - {outflow} {row[outflow]}")


def _check_ranges(row: dict, fail) -> None:
    """No money flow, count or share out of its range."""
    paid = row["client_payments"]
    # no money flow or count out of range
    for name in NON_NEGATIVE_COLUMNS:
        value = row[name]
        if not np.isfinite(value) or value < -TOLERANCE * max(1.0, abs(paid)):
            fail(f"{name} is {value}")
    for name in SHARE_COLUMNS:
        if not -TOLERANCE <= row[name] <= 1 + TOLERANCE:
            fail(f"{name} is {row[name]}, outside 0..1")
    if not np.isfinite(row["platform_revenue"]):
        fail("platform_revenue is not finite")


def _check_fates(row: dict, tasks: Tasks, fail) -> None:
    """Task counts add up; no task is left open; filled tasks, and only they, have a worker."""
    # task counts
    if row["tasks_posted"] != row["tasks_demanded"] - row["tasks_priced_out"] - row["tasks_unserved"]:
        fail("tasks_posted != tasks_demanded - tasks_priced_out - tasks_unserved")
    if row["tasks_posted"] != row["tasks_automated"] + row["tasks_filled"] + row["tasks_unfilled"]:
        fail("tasks_posted != tasks_automated + tasks_filled + tasks_unfilled")
    if (tasks.fate == Fate.OPEN).any():
        fail("a task is still open at the end of the day")
    filled = np.isin(tasks.fate, FILLED_FATES)
    if (tasks.worker[filled] < 0).any() or (tasks.worker[~filled] >= 0).any():
        fail("a filled task without a worker, or an unfilled task with one")


def _check_state(model, tasks: Tasks, fail) -> None:
    """Hours, prices, surge, automation and the commission cap within their bounds."""
    w = model.workers
    # hours
    if (w.day_worked_hours > model.offered_today + HOURS_TOLERANCE).any():
        fail("a worker worked more hours than she offered")
    if (w.hours_offered > w.hours_available + HOURS_TOLERANCE).any():
        fail("a worker offers more hours than she has")
    for name in ("hours_offered", "backlog", "day_worked_hours", "day_engaged_hours", "day_task_hours",
                 "week_logged", "week_engaged", "ema_logged"):
        values = getattr(w, name)
        if not np.isfinite(values).all() or (values < -1e-6).any():
            fail(f"negative or non-finite {name}")
    for name in ("rating_count", "day_tasks", "lifetime_tasks", "week_applications", "week_wins", "month_tasks"):
        if (getattr(w, name) < 0).any():
            fail(f"negative count {name}")
    if not np.isfinite(w.savings).all():
        fail("non-finite savings")
    # prices and market state
    if not np.isfinite(tasks.price).all() or (tasks.price < 0).any():
        fail("a negative or non-finite price")
    if (model.price_multiplier <= 0).any() or not np.isfinite(model.price_multiplier).all():
        fail("a platform price multiplier that is not positive")
    if (model.surge < 1 - TOLERANCE).any() or not np.isfinite(model.surge).all():
        fail("a surge multiplier below 1")
    # automation never above its level
    level = model.automation_level
    if (level < 0).any() or (level > 1 + TOLERANCE).any():
        fail(f"an automation level outside 0..1: {level}")
    posted = np.bincount(tasks.category, minlength=model.n_categories)
    automated = np.bincount(tasks.category[tasks.fate == Fate.AUTOMATED], minlength=model.n_categories)
    if (automated > np.floor(level * posted + 1e-9)).any():
        fail("automated share of a category above its automation level")
    # commission cap
    if model.lever_on("commission_cap"):
        capped = model.capped_platforms()
        if (model.effective_commission()[capped] > model.config.policy.commission_cap.cap + 1e-12).any():
            fail("a commission above the cap")


def _check_agents(model, row: dict, previous: dict | None, fail) -> None:
    """Everyone is in exactly one status; entries − exits = the change in participants."""
    w = model.workers
    # agent counts: everyone is in exactly one status; entries − exits = change in participants
    counts = np.bincount(w.status, minlength=len(Status))
    if counts.size != len(Status) or counts.sum() != w.n:
        fail("a worker with an unknown status")
    participants = int(counts[Status.ACTIVE] + counts[Status.UPSKILLING] + counts[Status.PAUSED])
    if participants != row["participants"] or counts[Status.ACTIVE] != row["active_workers"]:
        fail("recorded participants differ from the workers' statuses")
    if counts[Status.OUT] + counts[Status.LEFT] + participants != w.n:
        fail("counts of workers do not add up")
    if previous is not None and participants - previous["participants"] != row["entries"] - row["exits"]:
        fail(f"participants changed by {participants - previous['participants']}, "
             f"entries − exits = {row['entries'] - row['exits']}")
