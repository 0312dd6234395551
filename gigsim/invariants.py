"""Invariants checked every day when the model runs with `debug=True`.

Each check raises InvariantError naming the day and the rule broken.
"""

from __future__ import annotations

import numpy as np

from gigsim import market
from gigsim.errors import GigsimError
from gigsim.state import ACTIVE, UPSKILLING

TOLERANCE = 1e-6
"""Relative tolerance for money identities (floating point)."""


class InvariantError(GigsimError):
    """A model invariant failed: a bug, never bad input."""


def _close(a: float, b: float, scale: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(1.0, abs(scale))


def check_day(model, tasks: market.Tasks, flows: np.ndarray) -> None:
    """Check the day's invariants: money, hours, task fates, automation caps, counts."""
    day = model.day
    row = model.recorder.rows[-1]
    w = model.workers

    def fail(rule: str) -> None:
        raise InvariantError(f"day {day}: invariant broken: {rule}")

    # money: what clients paid is split exactly between workers, platforms and the policy funds
    paid = row["client_payments"]
    split = row["worker_pay"] + row["platform_revenue"] + row["benefit_contributions"] + row["transfer_levy"]
    if not _close(paid + row["employee_wages"], split + row["employee_wages"], paid):
        fail(f"client_payments {paid} != worker_pay + platform_revenue + contributions + levy ({split})")
    # ... and workers' own accounts received exactly the worker pay recorded per market
    if not _close(float(w.day_pay.sum()), row["worker_pay"], row["worker_pay"]):
        fail(f"sum of workers' pay {w.day_pay.sum()} != worker_pay {row['worker_pay']}")
    # task counts
    if row["tasks_posted"] != row["tasks_automated"] + row["tasks_filled"] + row["tasks_unfilled"]:
        fail("tasks_posted != tasks_automated + tasks_filled + tasks_unfilled")
    if (tasks.fate == market.OPEN).any():
        fail("a task is still open at the end of the day")
    filled = np.isin(tasks.fate, (market.FILLED, market.DIRECT, market.REFERRAL))
    if (tasks.worker[filled] < 0).any() or (tasks.worker[~filled] >= 0).any():
        fail("a filled task without a worker, or an unfilled task with one")
    # hours
    if (w.day_worked_hours > model.offered_today + 1e-4).any():
        fail("a worker worked more hours than she offered")
    for name in ("hours_offered", "backlog", "day_worked_hours", "day_engaged_hours"):
        if (getattr(w, name) < -1e-6).any():
            fail(f"negative {name}")
    if (w.rating_count < 0).any() or (w.day_tasks < 0).any():
        fail("negative counts")
    # prices
    if (tasks.price[filled] < 0).any():
        fail("a negative price")
    # automation never above its level
    posted = np.bincount(tasks.category, minlength=model.n_categories)
    automated = np.bincount(tasks.category[tasks.fate == market.AUTOMATED], minlength=model.n_categories)
    if (automated > np.floor(model.automation_level * posted + 1e-9)).any():
        fail("automated share of a category above its automation level")
    # pay floor: no engaged hour pays below it (contractors on platforms)
    if model.lever_on("min_pay"):
        on_platform = (tasks.fate == market.FILLED) | (tasks.fate == market.DIRECT)
        contractors = on_platform & (w.employer[np.maximum(tasks.worker, 0)] != tasks.platform)
        if contractors.any():
            commission = model.effective_commission()[tasks.platform[contractors]]
            share = (1 - commission) * tasks.price[contractors]
            engaged = model.base_task_hours[tasks.category[contractors]] / (
                1 + model.augmentation[tasks.category[contractors]]) + tasks.pickup[contractors]
            if ((share < model.config.policy.min_pay.hourly * engaged - 1e-6)
                    & ~np.isfinite(share)).any():
                fail("a task paid below the pay floor")
    # commission cap
    if model.lever_on("commission_cap"):
        if (model.effective_commission() > model.config.policy.commission_cap.cap + 1e-12).any():
            fail("a commission above the cap")
    # agent counts: entries − exits = change in participants
    participants = int(((w.status == ACTIVE) | (w.status == UPSKILLING)).sum())
    previous = row["participants"] - row["entries"] + row["exits"]
    if participants != row["participants"] or (len(model.recorder.rows) > 1 and
                                               previous != model.recorder.rows[-2]["participants"]):
        fail("participants changed by other than entries − exits")
