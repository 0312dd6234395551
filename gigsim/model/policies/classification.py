"""Employee classification planned consistently (`[policy.employment]`, docs/model.md 7.16).

At each month's end the employer plans headcount and hours together: the engaged hours clients asked it for
last month / target utilisation is what it schedules; it keeps its best-rated members (rating mean with the
platform's prior), each scheduled min(her available hours, shift), until the schedule covers that; the other
members lose the platform (a worker left with no platform leaves gig work). Employees work for the employer
alone. Each day they log in their scheduled hours, are paid the wage per scheduled hour instead of a share
of prices, have their expenses reimbursed, and the employer bears payroll taxes and benefits on the wages.
The employer prices so that its margin over labour cost is its commission margin at nominal prices:
nominal × (commission + labour cost / bookings at nominal prices), within ± max_price_change.
"""

from __future__ import annotations

import numpy as np

from gigsim.model.state import ACTIVE


def schedule(available: np.ndarray, shift: float, needed: float) -> np.ndarray:
    """Hours scheduled per candidate (in rank order): min(available, shift) while the total is short of needed."""
    hours = np.minimum(available, shift)
    before = np.cumsum(hours) - hours
    return np.where(before < needed, hours, 0.0)


def schedule_per_agent(available, shift: float, needed: float) -> list[float]:
    """Reference: one candidate at a time."""
    out, total = [], 0.0
    for a in available:
        h = min(a, shift) if total < needed else 0.0
        total += h
        out.append(h)
    return out


def employer_mask(model, lever) -> np.ndarray:
    """Bool (P): platforms whose workers are employees under the lever."""
    if lever.platforms == "all":
        return np.ones(model.n_platforms, dtype=bool)
    return np.array([p in lever.platforms for p in model.platform_names])


def plan(model, ps, lever) -> None:
    """Month's end: each employer's headcount and schedules from last month's demand (see module docstring)."""
    w = model.workers
    plat = model.config.platforms
    for p in np.flatnonzero(employer_mask(model, lever)):
        served = model.serves[p]
        members = np.flatnonzero(w.member[:, p] & (w.status == ACTIVE) & (w.category >= 0)
                                 & served[np.maximum(w.category, 0)])
        spec = plat[model.platform_names[p]]
        score = ((w.rating_sum[members, p] + spec.rating_prior_mean * spec.rating_prior_weight)
                 / (w.rating_count[members, p] + spec.rating_prior_weight))
        ranked = members[np.argsort(-score, kind="stable")]
        needed = float(ps.month["posted_engaged"][p].sum()) / max(ps.month_days, 1) / lever.target_utilisation
        hours = schedule(w.hours_available[ranked].astype(np.float64), lever.shift_hours, needed)
        kept, dropped = ranked[hours > 0], ranked[hours == 0]
        ps.employer_of[ps.employer_of == p] = -1
        ps.schedule[ps.employer_of < 0] = 0.0
        ps.employer_of[kept] = p
        ps.schedule[kept] = hours[hours > 0]
        others = np.ones(model.n_platforms, dtype=bool)
        others[p] = False
        w.member[np.ix_(kept, others)] = False
        w.member[dropped, p] = False
        model.accepting[p] = hours.sum() < needed


def employees(model, ps) -> np.ndarray:
    """Indices of today's employees: active, still members of their employer."""
    w = model.workers
    e = np.flatnonzero((ps.employer_of >= 0) & (w.status == ACTIVE))
    return e[w.member[e, ps.employer_of[e]]]


def pay(model, ps, lever, flows, worker, p, c, paid, employee_task) -> np.ndarray:
    """Replace employees' task pay by wages per scheduled hour plus reimbursed expenses; returns the employer
    costs (P, C) on the wages, and accumulates the month's labour cost per (platform, category)."""
    w = model.workers
    P = model.n_platforms
    take = np.where(employee_task, paid, 0.0)
    np.add.at(w.day_pay, worker, -take)
    np.add.at(flows[1], (p, c), -take)
    np.add.at(flows[2], (p, c), take)
    e = employees(model, ps)
    employer, cat = ps.employer_of[e], np.maximum(w.category[e], 0)
    wage = lever.hourly_wage * ps.schedule[e]
    refund = w.day_costs[e] if lever.reimburse_expenses else np.zeros(e.size)
    w.day_pay[e] += wage + refund
    by = np.zeros((P, model.n_categories))
    np.add.at(by, (employer, cat), wage + refund)
    flows[1, :P] += by
    flows[2, :P] -= by
    costs = np.zeros((P, model.n_categories))
    np.add.at(costs, (employer, cat), lever.employer_cost_share * wage)
    ps.acc["labour_cost"] += by + costs
    ps.wages_today[:] = 0.0
    ps.wages_today[e] = wage
    return costs


def price(model, ps, lever) -> None:
    """Month's end: employers price at nominal × (commission + labour cost / bookings at nominal prices)."""
    mask = employer_mask(model, lever)
    commission = model.effective_commission()
    labour = ps.month["labour_cost"].sum(axis=1)
    nominal_bookings = ps.month["employer_bookings_nominal"].sum(axis=1)
    known = mask & (labour > 0) & (nominal_bookings > 0)  # a month with employees and bookings to go by
    with np.errstate(invalid="ignore", divide="ignore"):
        target = ps.nominal * (commission + labour / nominal_bookings)
    bounded = np.clip(target, ps.nominal * (1 - lever.max_price_change), ps.nominal * (1 + lever.max_price_change))
    model.price_multiplier[known] = bounded[known]
