"""The 2020 pandemic's reasons to stop working in person: the risk of infection and unemployment benefits open to
gig workers (CARES Act PUA + FPUC) (docs/model.md 7.16, "Pandemic levers").

Neither adds a threshold: both change what a gig hour is worth against the outside option, which the model's
existing rules compare — the weekly hours rule (the risk only: a cost of each hour worked) and the monthly entry
and exit rule (both: gap = expected net hourly + autonomy value − reservation wage − `outside_premium`). On the
day either lever starts, the workers it touches take the exit decision at once (its earnings branch, with the
same exit_rate and decision sensitivity) instead of waiting for the month's end: the lockdown orders and the
CARES Act were news of one day, and the trailing earnings the rules read have not yet moved.
Units: currency per hour.
"""

from __future__ import annotations

import math

import numpy as np

from gigsim.model import labour_supply
from gigsim.model.metrics import net_hourly_earnings
from gigsim.model.state import ACTIVE, LEFT
from gigsim.model.vocabulary import ExitReason

LEVERS = ("unemployment_assistance", "infection_risk")


def in_force(model, name: str) -> bool:
    """Whether the lever is enabled and today lies in [start, end)."""
    lever = getattr(model.config.policy, name)
    return lever.enabled and lever.start <= model.day < lever.end


def hour_cost(model) -> np.ndarray | float:
    """(N) the infection risk's cost of an hour worked: `cost_per_hour` for workers of the risk categories while
    the lever is in force; the scalar 0.0 when it is not (so arithmetic keeps the callers' dtypes)."""
    w = model.workers
    if not in_force(model, "infection_risk"):
        return 0.0
    lever = model.config.policy.infection_risk
    codes = [model.category_names.index(c) for c in lever.categories]
    return np.where(np.isin(w.category, codes), lever.cost_per_hour, 0.0)


def benefit_per_hour(model, hourly: np.ndarray) -> np.ndarray:
    """(N) the weekly benefit an eligible worker would receive if she stopped, per hour of her usual gig hours:
    weekly_supplement / (7 × hours_base) + replacement_rate × her trailing net hourly earnings (0 if unknown or
    negative). Eligible: gig work is her main income (`full_time`) and she is active, or left it since the
    lever started. 0 for everyone else and outside the lever's dates."""
    w = model.workers
    if not in_force(model, "unemployment_assistance"):
        return np.zeros(w.n)
    lever = model.config.policy.unemployment_assistance
    lost_gig_work = (w.status == ACTIVE) | ((w.status == LEFT) & (w.exit_day >= lever.start))
    eligible = w.full_time & (w.category >= 0) & lost_gig_work
    earned = np.where(np.isfinite(hourly), np.maximum(hourly, 0.0), 0.0)
    per_hour = lever.weekly_supplement / (7.0 * np.maximum(w.hours_base, 0.25)) + lever.replacement_rate * earned
    return np.where(eligible, per_hour, 0.0)


def outside_premium(model, hourly: np.ndarray) -> np.ndarray | float:
    """(N) what the pandemic levers take off the worth of gig work against the outside option, per hour: the
    infection risk's cost plus the benefit's excess over her reservation wage (the benefit replaces the outside
    option where it is worth more: PUA is paid only to those not working); the scalar 0.0 when neither is in force."""
    if not (in_force(model, "infection_risk") or in_force(model, "unemployment_assistance")):
        return 0.0
    premium = np.maximum(benefit_per_hour(model, hourly) - model.workers.reservation_wage, 0.0)
    return hour_cost(model) + premium


def reconsider_at_start(model) -> None:
    """On a pandemic lever's start day, the active contractors it makes worse off (premium > 0) take the exit
    decision at once: one uniform
    U each, leave (reason earnings) if U < exit_rate × σ(−s × gap), gap = own trailing net hourly earnings (the
    category's mean if unknown) + autonomy value − reservation wage − outside_premium."""
    pol = model.config.policy
    starting = [n for n in LEVERS if getattr(pol, n).enabled and getattr(pol, n).start == model.day]
    if not starting:
        return
    w = model.workers
    hourly = net_hourly_earnings(w)
    premium = np.broadcast_to(outside_premium(model, hourly), (w.n,))
    scope = (w.status == ACTIVE) & (premium > 0) & (w.employer < 0)
    if not scope.any():
        return
    from gigsim.model.decisions import category_earnings  # decisions reads this module's premium: import late
    expected = np.where(np.isfinite(hourly), hourly, category_earnings(model, hourly)[np.maximum(w.category, 0)])
    gap = expected + w.autonomy_value - w.reservation_wage - premium
    b = model.config.behaviour
    u = model.rng.random(w.n)
    leave = scope & (u < b.exit_rate * labour_supply.sigmoid(-b.decision_sensitivity * gap))
    _leave(model, np.flatnonzero(leave))


def _leave(model, who: np.ndarray) -> None:
    """Workers in `who` leave gig work today for earnings (memberships and backlog dropped)."""
    if who.size == 0:
        return
    w = model.workers
    w.status[who] = LEFT
    w.exit_day[who] = model.day
    w.exit_reason[who] = ExitReason.EARNINGS
    w.member[who] = False
    w.backlog[who] = 0.0
    model.ledger.day.exits += who.size


# --------------------------------------------------------------------------- per-agent reference


def hour_cost_per_agent(model, agent) -> float:
    """Reference (one worker at a time) of `hour_cost`; `agent` has `category`."""
    lever = model.config.policy.infection_risk
    if not in_force(model, "infection_risk") or agent.category < 0:
        return 0.0
    return lever.cost_per_hour if model.category_names[agent.category] in lever.categories else 0.0


def outside_premium_per_agent(model, agent, hourly: float) -> float:
    """Reference (one worker at a time) of `outside_premium`; `agent` has `category`, `status`, `full_time`,
    `hours_base`, `reservation_wage` and, once she left, `left_on` (the day)."""
    premium = hour_cost_per_agent(model, agent)
    lever = model.config.policy.unemployment_assistance
    if not in_force(model, "unemployment_assistance") or not agent.full_time or agent.category < 0:
        return premium
    lost = agent.status == ACTIVE or (agent.status == LEFT and getattr(agent, "left_on", -1) >= lever.start)
    if not lost:
        return premium
    earned = max(hourly, 0.0) if hourly == hourly else 0.0  # NaN: unknown
    benefit = lever.weekly_supplement / (7.0 * max(agent.hours_base, 0.25)) + lever.replacement_rate * earned
    return premium + max(benefit - agent.reservation_wage, 0.0)


def reconsider_at_start_per_agent(m) -> None:
    """Reference (one worker at a time) of `reconsider_at_start` for a PerAgentModel `m`."""
    pol = m.config.policy
    if not any(getattr(pol, n).enabled and getattr(pol, n).start == m.day for n in LEVERS):
        return
    b = m.config.behaviour
    active = [w for w in m.worker_list if w.status == ACTIVE and w.category >= 0]
    by_cat: dict[int, list[float]] = {}
    for w in active:
        if w.hourly() == w.hourly():  # not NaN
            by_cat.setdefault(w.category, []).append(w.hourly())
    for w in active:
        own = w.hourly()
        premium = outside_premium_per_agent(m, w, own)
        if premium <= 0 or getattr(w, "employer", -1) >= 0:
            continue
        mates = by_cat.get(w.category, [])
        expected = own if own == own else (sum(mates) / len(mates) if mates else 0.0)
        gap = expected + w.autonomy_value - w.reservation_wage - premium
        if m.rng.random() < b.exit_rate / (1 + math.exp(min(50.0, b.decision_sensitivity * gap))):
            w.status, w.platforms, w.backlog, w.left_on = LEFT, [], 0.0, m.day
