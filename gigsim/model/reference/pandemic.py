"""The per-agent reference of the pandemic levers (fast path: gigsim.model.policies.pandemic; docs/model.md 7.16),
one worker at a time: the infection risk's cost of an hour, the unemployment claims opened on the benefit's start
day (side hustlers' lost main jobs, full-timers' PUA), the benefit working forgoes under the partial-benefit rule,
the money paid at each month's close, and the exit decision taken on a lever's start day."""

from __future__ import annotations

import math

from gigsim.model.policies.pandemic import LEVERS, days_in_force, in_force, weekly_benefit
from gigsim.model.state import ACTIVE, LEFT, OUT, PAUSED


def _at_risk(model, agent) -> bool:
    """Whether the infection risk is in force and `agent` works in one of its categories."""
    lever = model.config.policy.infection_risk
    return in_force(model, "infection_risk") and agent.category >= 0 and \
        model.category_names[agent.category] in lever.categories


def hour_cost_per_agent(model, agent) -> float:
    """The infection risk's cost of an hour worked for `agent` (which has `category`); 0 when not in force."""
    return model.config.policy.infection_risk.cost_per_hour if _at_risk(model, agent) else 0.0


def draw_day_costs_per_agent(m) -> None:
    """On the risk's start day, each worker's cost of a day worked: `cost_per_day`, × `high_risk_factor` if a
    uniform falls below `high_risk_share` (drawn only when that share is positive)."""
    lever = m.config.policy.infection_risk
    if not (lever.enabled and lever.start == m.day and lever.cost_per_day > 0):
        return
    for w in m.worker_list:
        high = lever.high_risk_share > 0 and m.rng.random() < lever.high_risk_share
        w.day_cost = lever.cost_per_day * (lever.high_risk_factor if high else 1.0)


def day_cost_per_agent(model, agent) -> float:
    """The infection risk's cost of a day worked for `agent`: her drawn cost while in force; 0 otherwise."""
    return getattr(agent, "day_cost", 0.0) if _at_risk(model, agent) else 0.0


def category_means(m) -> list[float]:
    """Mean trailing net hourly earnings per category among active workers with a record (0 where none)."""
    by_cat: dict[int, list[float]] = {}
    for w in m.worker_list:
        if w.status == ACTIVE and w.category >= 0 and w.hourly() == w.hourly():  # not NaN
            by_cat.setdefault(w.category, []).append(w.hourly())
    return [sum(by_cat[c]) / len(by_cat[c]) if by_cat.get(c) else 0.0 for c in range(m.n_categories)]


def stays_home_per_agent(m, agent, planned: float, expected: float) -> bool:
    """Whether an active contractor stays home this week: a day's work at `planned` hours is worth less than her
    cost of a day, planned × (`expected` net hourly + autonomy value − cost per hour) < day cost; never with savings
    below 0, unknown expected earnings, or an employer."""
    cost = day_cost_per_agent(m, agent)
    if cost <= 0 or agent.savings < 0 or expected != expected or getattr(agent, "employer", -1) >= 0:
        return False
    return planned * (expected + agent.autonomy_value - hour_cost_per_agent(m, agent)) < cost


def open_claims_per_agent(m, in_pool) -> None:
    """On the benefit's start day: each side hustler in the pool loses her main job with probability
    `main_job_loss_share` (a draw only when it is positive) and claims `main_job_replacement_rate` × its weekly pay;
    each full-timer in gig work claims `replacement_rate` × 7 × her usual daily net earnings; `in_pool(agent, day)`
    says who is in the pool of potential workers."""
    lever = m.config.policy.unemployment_assistance
    if not (lever.enabled and lever.start == m.day):
        return
    for w in m.worker_list:
        draw = m.rng.random() if lever.main_job_loss_share > 0 else 1.0
        w.main_job_lost = in_pool(w, m.day) and not w.full_time and draw < lever.main_job_loss_share
        in_gig = w.status in (ACTIVE, PAUSED) and w.category >= 0
        if w.main_job_lost:
            w.weekly_benefit = lever.main_job_replacement_rate * w.other_income * 7.0 / 30.0
        elif w.full_time and in_gig:
            w.weekly_benefit = lever.replacement_rate * 7.0 * max(w.usual_net, 0.0)
        else:
            w.weekly_benefit = 0.0


def _benefit(m, agent, earned: float) -> float:
    """Her benefit for a week with `earned` gig earnings (0 without a claim)."""
    lever = m.config.policy.unemployment_assistance
    return float(weekly_benefit(getattr(agent, "weekly_benefit", 0.0), earned, lever.earnings_disregard,
                                lever.weekly_supplement))


def outside_premium_per_agent(model, agent, hourly: float) -> float:
    """What the levers take off the worth of her gig hour: the risk's cost plus, for a claimant while the benefit is
    in force, what working her usual hours h at `hourly` forgoes: (B(0) − B(e)) / h for a side hustler,
    max(B(0) / h − reservation wage, 0) − B(e) / h for a full-timer; e = hourly × h, h = 7 × usual hours a day."""
    premium = hour_cost_per_agent(model, agent) + day_cost_per_agent(model, agent) / max(agent.hours_base, 0.25)
    if not in_force(model, "unemployment_assistance") or getattr(agent, "weekly_benefit", None) is None:
        return premium
    hours = 7.0 * max(agent.hours_base, 0.25)
    earned = (max(hourly, 0.0) if hourly == hourly else 0.0) * hours  # NaN: unknown
    stop, work = _benefit(model, agent, 0.0) / hours, _benefit(model, agent, earned) / hours
    return premium + (max(stop - agent.reservation_wage, 0.0) if agent.full_time else stop) - work


def unemployment_income_per_agent(m, agent) -> float:
    """This month's benefits (weeks in force × her benefit at this month's average weekly gig earnings; a full-timer
    out of gig work takes it in place of her outside job if it is worth more) less a lost main job's pay."""
    days = days_in_force(m, m.day - 29, m.day)
    if days == 0 or getattr(agent, "weekly_benefit", None) is None:
        return 0.0
    paid = days / 7.0 * _benefit(m, agent, max(agent.month_net, 0.0) * 7.0 / 30.0)
    if m.config.household.outside_job and agent.full_time and agent.status in (OUT, LEFT):
        paid = max(paid - agent.reservation_wage * agent.hours_base * days, 0.0)
    lost = agent.other_income * agent.income_factor * days / 30.0 if agent.main_job_lost else 0.0
    return paid - lost


def reconsider_at_start_per_agent(m, expected_hourly, in_pool) -> None:
    """On a lever's start day (after the claims open and the day costs are drawn), each active contractor whose
    premium is positive leaves (for earnings) if U < exit_rate × σ(−s × gap), gap = her expected net hourly
    (`expected_hourly(agent, category means)`) + autonomy value − reservation wage − premium."""
    pol = m.config.policy
    if not any(getattr(pol, n).enabled and getattr(pol, n).start == m.day for n in LEVERS):
        return
    open_claims_per_agent(m, in_pool)
    draw_day_costs_per_agent(m)
    b = m.config.behaviour
    active = [w for w in m.worker_list if w.status == ACTIVE and w.category >= 0]
    by_category = category_means(m)
    for w in active:
        expected = expected_hourly(w, by_category)
        premium = outside_premium_per_agent(m, w, expected)
        if premium <= 0 or getattr(w, "employer", -1) >= 0:
            continue
        gap = expected + w.autonomy_value - w.reservation_wage - premium
        if m.rng.random() < b.exit_rate / (1 + math.exp(min(50.0, b.decision_sensitivity * gap))):
            w.status, w.platforms, w.backlog, w.left_on = LEFT, [], 0.0, m.day
