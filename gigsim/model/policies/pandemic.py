"""The 2020 pandemic's reasons to stop working in person: the risk of infection and unemployment benefits open to
gig workers (CARES Act PUA + FPUC) (docs/model.md 7.16, "Pandemic levers").

Neither adds a threshold: both change what a gig hour is worth against the outside option, which the model's
existing rules compare — the weekly hours rule (the risk only: a cost of each hour worked, and a cost of each
day worked that keeps a worker home for the week when her day's gig work is worth less) and the monthly entry
and exit rule (both: gap = expected net hourly + autonomy value − reservation wage − `outside_premium`). On the
day either lever starts, the workers it touches take the exit decision at once (its earnings branch, with the
same exit_rate and decision sensitivity) instead of waiting for the month's end: the lockdown orders and the
CARES Act were news of one day, and the trailing earnings the rules read have not yet moved.
Units: currency per hour.
"""

from __future__ import annotations

import numpy as np

from gigsim.model import labour_supply, population
from gigsim.model.state import ACTIVE, PAUSED
from gigsim.model.vocabulary import NOT_LEFT

LEVERS = ("unemployment_assistance", "infection_risk")


def in_force(model, name: str) -> bool:
    """Whether the lever is enabled and today lies in [start, end)."""
    lever = getattr(model.config.policy, name)
    return lever.enabled and lever.start <= model.day < lever.end


def _at_risk(model) -> np.ndarray:
    """Bool (N): workers of the infection risk's categories."""
    codes = [model.category_names.index(c) for c in model.config.policy.infection_risk.categories]
    return np.isin(model.workers.category, codes)


def hour_cost(model) -> np.ndarray | float:
    """(N) the infection risk's cost of an hour worked: `cost_per_hour` for workers of the risk categories while
    the lever is in force; the scalar 0.0 when it is not (so arithmetic keeps the callers' dtypes)."""
    if not in_force(model, "infection_risk"):
        return 0.0
    return np.where(_at_risk(model), model.config.policy.infection_risk.cost_per_hour, 0.0)


def draw_day_costs(model) -> None:
    """On the infection risk's start day: each worker's cost of a day worked in person, `cost_per_day` × (1, or
    `high_risk_factor` for the share `high_risk_share` at high risk of severe illness: one uniform each, drawn only
    when that share is positive). Kept in the policy state (`day_cost`) for the lever's dates."""
    lever = model.config.policy.infection_risk
    if not (lever.enabled and lever.start == model.day and lever.cost_per_day > 0):
        return
    n = model.workers.n
    high = model.rng.random(n) < lever.high_risk_share if lever.high_risk_share > 0 else np.zeros(n, dtype=bool)
    model.policy_state.day_cost = lever.cost_per_day * np.where(high, lever.high_risk_factor, 1.0)


def day_cost(model) -> np.ndarray | float:
    """(N) the infection risk's cost of a day worked (currency per day): her drawn cost for workers of the risk
    categories while the lever is in force; the scalar 0.0 when it is not or no day cost was drawn."""
    ps = getattr(model, "policy_state", None)
    if not in_force(model, "infection_risk") or ps is None or ps.day_cost is None:
        return 0.0
    return np.where(_at_risk(model), ps.day_cost, 0.0)


def week_at_home(model, hours: np.ndarray, planned: np.ndarray, distressed: np.ndarray, expectations) -> np.ndarray:
    """This week's hours a day (N) under the exposure of a day worked: an active contractor of the risk categories
    stays home all week (0 hours) when a day of gig work at the hours she plans (`planned`, hours a day) is worth
    less than her cost of a day: planned × (expected net hourly + autonomy value − cost per hour) < day cost. Not
    those whose expected earnings are unknown (they work to learn them) nor those whose savings are negative
    (`distressed`: they work all their hours). `expectations(model)` gives expected net hourly earnings (N); it is
    called only while a day cost is in force. `hours` unchanged otherwise."""
    cost = day_cost(model)
    if np.isscalar(cost):
        return hours
    w = model.workers
    expected = expectations(model)
    worth = planned * (expected + w.autonomy_value - hour_cost(model))
    home = (cost > 0) & (w.status == ACTIVE) & (w.employer < 0) & ~distressed & np.isfinite(expected) & (worth < cost)
    return np.where(home, 0.0, hours)


def weekly_benefit(amount, earnings, disregard: float, supplement: float):
    """A claimant's benefit for a week in which she earned `earnings` from gig work (currency per week): her weekly
    benefit amount less her earnings above `disregard` × that amount, never below 0 (a state's partial-benefit
    rule), plus FPUC's `supplement` in full when any benefit is due. 0 where she has no claim (amount 0)."""
    due = np.maximum(amount - np.maximum(earnings - disregard * amount, 0.0), 0.0)
    return due + np.where(due > 0, supplement, 0.0)


def open_claims(model) -> None:
    """On the benefit's start day: a share `main_job_loss_share` of the side hustlers in the pool lose their main job
    (one uniform each, drawn only when the share is positive) and claim regular unemployment insurance,
    `main_job_replacement_rate` × that job's weekly pay (her usual other income × 7 / 30); full-timers in gig work
    claim PUA, `replacement_rate` × their usual weekly net gig earnings (7 × usual daily net). Claims are kept
    in the policy state (`weekly_benefit`, `main_job_lost`) and count while the lever is in force."""
    lever = model.config.policy.unemployment_assistance
    if not (lever.enabled and lever.start == model.day):
        return
    w, ps = model.workers, model.policy_state
    here = population.in_pool(w, model.day)
    draw = model.rng.random(w.n) if lever.main_job_loss_share > 0 else np.ones(w.n)
    lost = here & ~w.full_time & (draw < lever.main_job_loss_share)
    in_gig = ((w.status == ACTIVE) | (w.status == PAUSED)) & (w.category >= 0)
    pua = lever.replacement_rate * 7.0 * np.maximum(w.usual_net.astype(np.float64), 0.0)
    regular = lever.main_job_replacement_rate * w.other_income.astype(np.float64) * 7.0 / 30.0
    ps.weekly_benefit = np.where(lost, regular, np.where(w.full_time & in_gig, pua, 0.0))
    ps.main_job_lost = lost


def claims(model) -> np.ndarray | None:
    """(N) the weekly benefit amounts of the claims opened on the benefit's start day while it is in force (0: no
    claim); None outside its dates or before its claims open."""
    ps = getattr(model, "policy_state", None)
    if not in_force(model, "unemployment_assistance") or ps is None or ps.weekly_benefit is None:
        return None
    return ps.weekly_benefit


def forgone_benefit(model, amount: np.ndarray, hourly: np.ndarray) -> np.ndarray:
    """(N) per hour of her usual gig hours (h = 7 × usual hours a day), what a claimant gives up by working them at
    `hourly` (her expected net hourly earnings) rather than stopping: a side hustler keeps her reservation value of
    time either way, so (B(0) − B(e)) / h; a full-timer who stops takes the better of her outside job (reservation
    wage) and the benefit, so max(B(0) / h − reservation wage, 0) − B(e) / h; B = `weekly_benefit`, e = hourly × h."""
    lever = model.config.policy.unemployment_assistance
    w = model.workers
    hours = 7.0 * np.maximum(w.hours_base.astype(np.float64), 0.25)
    earned = np.where(np.isfinite(hourly), np.maximum(hourly, 0.0), 0.0) * hours
    stop = weekly_benefit(amount, 0.0, lever.earnings_disregard, lever.weekly_supplement) / hours
    work = weekly_benefit(amount, earned, lever.earnings_disregard, lever.weekly_supplement) / hours
    return np.where(w.full_time, np.maximum(stop - w.reservation_wage, 0.0), stop) - work


def outside_premium(model, hourly: np.ndarray) -> np.ndarray | float:
    """(N) what the pandemic levers take off the worth of gig work against the outside option, per hour: the
    infection risk's cost of an hour and of a day per usual hour (day cost / usual hours a day) plus, for claimants, the benefit working forgoes (`forgone_benefit`, at `hourly`, her
    expected net hourly earnings); the scalar 0.0 when neither lever is in force."""
    risk, cost = hour_cost(model), day_cost(model)
    if not np.isscalar(cost):
        risk = risk + cost / np.maximum(model.workers.hours_base.astype(np.float64), 0.25)
    amount = claims(model)
    if amount is None:
        return risk
    return risk + forgone_benefit(model, amount, hourly)


def reconsider_at_start(model, expectations) -> None:
    """On a pandemic lever's start day (after the benefit's claims open and the day costs are drawn), the active
    contractors it makes worse off (premium > 0) take the exit decision at once: the monthly rule's earnings branch
    (labour_supply.exit_reasons without random, savings or policy exits), on the gap the monthly rule reads:
    expected net hourly earnings (`expectations(model)`, N) + autonomy value − reservation wage − premium."""
    pol = model.config.policy
    starting = [n for n in LEVERS if getattr(pol, n).enabled and getattr(pol, n).start == model.day]
    if not starting:
        return
    open_claims(model)
    draw_day_costs(model)
    w = model.workers
    expected = expectations(model)
    premium = np.broadcast_to(outside_premium(model, expected), (w.n,))
    scope = (w.status == ACTIVE) & (premium > 0) & (w.employer < 0)
    if not scope.any():
        return
    gap = expected + w.autonomy_value - w.reservation_wage - premium
    b = model.config.behaviour
    u = model.rng.random(w.n)
    no = np.zeros(w.n, dtype=bool)
    reason = labour_supply.exit_reasons(u, gap, no, no, 0.0, b.exit_rate, b.decision_sensitivity)
    population.leave(model, np.flatnonzero(scope & (reason != NOT_LEFT)), reason)


def main_job_pay_lost(model, days: int) -> np.ndarray | float:
    """(N) the main-job pay side hustlers lost over `days` days of the benefit's dates: usual other income × this
    month's factor × days / 30 for those whose job the pandemic took; the scalar 0.0 when there are no claims."""
    ps = getattr(model, "policy_state", None)
    if ps is None or ps.main_job_lost is None or days <= 0:
        return 0.0
    w = model.workers
    return np.where(ps.main_job_lost, w.other_income.astype(np.float64) * w.income_factor * days / 30.0, 0.0)


def days_in_force(model, first: int, last: int) -> int:
    """Days of [first, last] on which the benefit was in force."""
    lever = model.config.policy.unemployment_assistance
    if not lever.enabled:
        return 0
    return max(0, min(last + 1, lever.end) - max(first, lever.start))
