"""Employee classification planned consistently (`[policy.employment]`, docs/model.md 7.16).

At each month's end the employer first prices, then plans headcount and hours together, market by market
(its platform and each region, where its local work is cleared). Staffing is the employer's newsvendor
problem on the model's day, in which a region's rides are cleared in one batch: an hour scheduled costs c =
wage × (1 + employer costs) whether or not it is used; a fare asked for and lost costs its margin, v per
engaged hour = (price − the fare's reimbursed running costs) / the fare's engaged hours. Scheduling one more
hour pays while the chance it is needed, P(demand > hours), is above c / v, so the employer schedules the
(1 − c/v) quantile of a day's demand: mean + Φ⁻¹(1 − c/v) × sd, weekday by weekday (as call centres staff
each period from its own forecast load, Green, Kolesar & Whitt 2007): the mean of the engaged hours asked for
(trip + pickup) in the market on that weekday over the last four weeks, the standard deviation pooled over
the weekdays and scaled by √(the weekday's mean / the mean). With Poisson arrivals sd ≈ √(mean × hours per
fare), so this is square-root safety staffing (Halfin & Whitt 1981; Borst, Mandelbaum & Reiman 2004: N* = R +
y*(a/c)√R, the safety term set by the ratio of the two costs); the utilisation it plans comes out of the
costs and the volume, not a constant. Nothing is scheduled where c ≥ v.
It keeps its best-rated members of the market (rating mean with the platform's prior), each scheduled on a
weekday min(her available hours, shift) until that weekday's schedule covers its hours; members scheduled on
no weekday lose the platform (a worker left with no platform leaves gig work). Employees work for the employer
alone. Each day they log in that weekday's scheduled hours, are paid the wage per scheduled hour instead of a
share of prices (riders still pay the employers' surge; wages do not surge), have their
expenses reimbursed, and the employer bears payroll taxes and benefits on the wages. The wage is the
statutory `hourly_wage` at first; after each plan it moves toward the wage at which the drivers it has would
offer the hours it needs: × (hours needed on each market's busiest weekday / hours its members there could be
scheduled, min(available, shift) each)^(1/ε), ε the drivers' labour-supply elasticity; a rise in full, a cut
damped by downward nominal wage rigidity (× (1 − 0.271) in logs), never below the statutory wage (`next_wage`).
It prices so that its margin over labour cost is its commission margin
at nominal prices: nominal × (commission + labour cost / bookings at nominal prices), between nominal and
nominal × (1 + max_price_change).
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np
from scipy.stats import norm

from gigsim.model.state import ACTIVE
from gigsim.model.vocabulary import Fate

WINDOW_DAYS = 28
"""Days of demand the plan reads: the last four whole weeks, so each weekday is seen four times."""
WEEK = 7
DEMAND = ("engaged", "fares", "nominal_price", "running_costs")
"""Per (platform, region) and day: engaged hours asked for, fares asked for, their prices at nominal
multipliers, and their running costs (cost per hour × engaged hours)."""
DOWNWARD_RIGIDITY = 0.271
"""Share of a wage cut the employers do not make: "Wage rigidity prevents 27.1 percent of counterfactual wage
cuts" (Ehrlich & Montes 2024, AEJ: Macroeconomics 16(1), US establishments' payroll records), applied to the
employers' one wage as the expected cut: the cut in logs × (1 − 0.271). Managers are averse to cutting pay
because it hurts morale (Bewley 1999); rises are not damped."""


def staffing_hours(mean, sd, hour_cost: float, fare_value):
    """Hours a day to schedule for daily demand of `mean` engaged hours (standard deviation `sd`): the
    newsvendor quantile mean + Φ⁻¹(1 − c/v) × sd (at least 0), c = `hour_cost` per scheduled hour, v =
    `fare_value` per engaged hour of a fare; 0 where c ≥ v. Arrays broadcast."""
    mean, sd, value = np.asarray(mean, float), np.asarray(sd, float), np.asarray(fare_value, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        critical = np.where(value > 0, 1.0 - hour_cost / value, 0.0)
        z = norm.ppf(np.clip(critical, 0.0, 1.0))
        hours = np.where(critical > 0, np.maximum(mean + np.where(sd > 0, z * sd, 0.0), 0.0), 0.0)
    return hours


def hour_cost(wage: float, lever) -> float:
    """Cost of a scheduled hour to the employer: the wage plus payroll taxes and benefits on it."""
    return wage * (1.0 + lever.employer_cost_share)


def wage_of(ps, lever) -> float:
    """The employers' wage per scheduled hour: the statutory `hourly_wage` until a plan has set it."""
    return lever.hourly_wage if ps.wage is None else ps.wage


def next_wage(wage: float, needed: float, supplied: float, lever, elasticity: float) -> float:
    """Next month's wage: toward the wage at which the drivers the employers have would offer the hours they need,
    wage × (needed / supplied)^(1/ε) (ε, the drivers' labour-supply elasticity, `labour_supply.frisch_elasticity`):
    a rise in full, a cut × (1 − DOWNWARD_RIGIDITY) in logs, never below the statutory `hourly_wage`. `needed`:
    hours a day the plans ask for on each market's busiest weekday; `supplied`: hours a day the employers' members
    there could be scheduled. Nothing needed of members who could work: the statutory wage (the plan found an
    hour worth less than it costs); no members: unchanged (nothing to learn from)."""
    if supplied <= 0:
        return wage
    if needed <= 0:
        return lever.hourly_wage
    step = math.log(needed / supplied) / max(elasticity, 1e-9)
    if step < 0:
        step *= 1.0 - DOWNWARD_RIGIDITY
    return max(lever.hourly_wage, wage * math.exp(step))


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


def accumulate(model, ps, tasks, params) -> None:
    """After settlement: today's demand asked of people per (platform, region) with today's weekday, kept for the
    last four weeks."""
    if ps.demand_days is None:
        ps.demand_days = deque(maxlen=WINDOW_DAYS)
    asked = tasks.fate != Fate.AUTOMATED
    p, c, r = tasks.platform[asked], tasks.category[asked], tasks.region[asked]
    engaged = params.task_hours[c] + params.pickup_hours[c]
    nominal = tasks.price[asked] * ps.nominal[p] / model.price_multiplier[p]
    day = np.zeros((len(DEMAND), model.n_platforms, model.n_regions))
    for k, values in enumerate((engaged, np.ones(p.size), nominal, params.cost_per_hour[c] * engaged)):
        np.add.at(day[k], (p, r), values)
    ps.demand_days.append((model.day % WEEK, day))


def weekday_demand(daily: np.ndarray, weekday: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(WEEK, R) mean and standard deviation of the engaged hours asked for on each weekday, from `daily` (days,
    R) and each day's `weekday`: a weekday's mean is the mean of its days (the window's mean for a weekday it
    lacks); the variance is pooled over every day's deviation from its weekday's mean (days − weekdays degrees
    of freedom) and scaled to each weekday by its mean / the window's mean, the Poisson variance that makes
    safety staffing grow with √(load). With every day on one weekday (`weekday` all 0) this is the window's
    mean and sample standard deviation for every weekday."""
    overall = daily.mean(axis=0)
    mean = np.array([daily[weekday == d].mean(axis=0) if (weekday == d).any() else overall for d in range(WEEK)])
    groups = np.unique(weekday).size
    dof = daily.shape[0] - groups
    var = ((daily - mean[weekday]) ** 2).sum(axis=0) / dof if dof > 0 else np.zeros_like(overall)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(overall > 0, mean / overall, 0.0) if groups > 1 else np.ones_like(mean)
    return mean, np.sqrt(var * scale)


def needed_hours(model, ps, lever, p: int) -> np.ndarray:
    """(WEEK, R) hours employer p schedules on each weekday in each region (module docstring), from the last four
    weeks; the same hours every weekday without `weekday_schedules`."""
    days = np.stack([day for _, day in ps.demand_days])[:, :, p, :]  # (days, DEMAND, R)
    weekday = np.array([d for d, _ in ps.demand_days]) if lever.weekday_schedules else np.zeros(len(days), int)
    engaged, fares, nominal, running = (days[:, k].sum(axis=0) for k in range(len(DEMAND)))
    mean, sd = weekday_demand(days[:, 0], weekday)
    with np.errstate(divide="ignore", invalid="ignore"):
        price = nominal / fares * model.price_multiplier[p] / ps.nominal[p]
        refunded = running / fares if lever.reimburse_expenses else 0.0
        value = np.where(fares > 0, (price - refunded) / (engaged / fares), 0.0)
    return staffing_hours(mean, sd, hour_cost(wage_of(ps, lever), lever), value)


def market_region(model, workers: np.ndarray) -> np.ndarray:
    """The market region of each worker: her region for local work, 0 for online work."""
    w = model.workers
    cat = np.maximum(w.category[workers], 0)
    return np.where(model.category_local[cat], w.region[workers], 0)


def plan(model, ps, lever) -> None:
    """Month's end: each employer's headcount and schedules, market by market (see module docstring); first, at
    a wage at which no employer needs an hour, the statutory wage (`next_wage` would set it after the plan, once
    every driver had been let go)."""
    if not ps.demand_days:
        return
    if not any(needed_hours(model, ps, lever, p).any() for p in np.flatnonzero(employer_mask(model, lever))):
        ps.wage = lever.hourly_wage  # no hour is worth its cost at this wage: cut it before letting drivers go
    w = model.workers
    plat = model.config.platforms
    total_needed = total_supplied = 0.0
    for p in np.flatnonzero(employer_mask(model, lever)):
        served = model.serves[p]
        members = np.flatnonzero(w.member[:, p] & (w.status == ACTIVE) & (w.category >= 0)
                                 & served[np.maximum(w.category, 0)])
        spec = plat[model.platform_names[p]]
        score = ((w.rating_sum[members, p] + spec.rating_prior_mean * spec.rating_prior_weight)
                 / (w.rating_count[members, p] + spec.rating_prior_weight))
        ranked = members[np.argsort(-score, kind="stable")]
        market = market_region(model, ranked)
        needed = needed_hours(model, ps, lever, p)
        hours = np.zeros((ranked.size, WEEK))
        short = False
        for r in range(model.n_regions):
            here = market == r
            available = w.hours_available[ranked[here]].astype(np.float64)
            total_needed += float(needed[:, r].max())
            total_supplied += float(np.minimum(available, lever.shift_hours).sum())
            for d in range(WEEK):
                hours[here, d] = schedule(available, lever.shift_hours, needed[d, r])
                short |= hours[here, d].sum() < needed[d, r]
        on = hours.sum(axis=1) > 0
        kept, dropped = ranked[on], ranked[~on]
        ps.employer_of[ps.employer_of == p] = -1
        ps.schedule[ps.employer_of < 0] = 0.0
        ps.employer_of[kept] = p
        ps.schedule[kept] = hours[on]
        others = np.ones(model.n_platforms, dtype=bool)
        others[p] = False
        w.member[np.ix_(kept, others)] = False
        w.member[dropped, p] = False
        model.accepting[p] = short
    ps.wage = next_wage(wage_of(ps, lever), total_needed, total_supplied, lever,
                        model.config.labour_supply.frisch_elasticity)


def log_in(model, ps, lever) -> None:
    """Start of the day: employees log in today's scheduled hours; without the lever's `surge` the employers'
    day-to-day surge is held at 1 (their price is the monthly `price`; see docs/model.md 7.16)."""
    e = employees(model, ps)
    model.workers.hours_offered[e] = ps.schedule[e, model.day % WEEK].astype(np.float32)
    if not lever.surge:
        model.surge[employer_mask(model, lever)] = 1.0


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
    wage = wage_of(ps, lever) * ps.schedule[e, model.day % WEEK]
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
    """Month's end: employers price at nominal × max(1, commission + labour cost / bookings at nominal prices),
    at most nominal × (1 + max_price_change): labour costs above the contractors' share are passed on, and a
    month of lower labour cost per booking (an under-staffed employer) does not cut the price."""
    mask = employer_mask(model, lever)
    commission = model.effective_commission()
    labour = ps.month["labour_cost"].sum(axis=1)
    nominal_bookings = ps.month["employer_bookings_nominal"].sum(axis=1)
    known = mask & (labour > 0) & (nominal_bookings > 0)  # a month with employees and bookings to go by
    with np.errstate(invalid="ignore", divide="ignore"):
        target = ps.nominal * (commission + labour / nominal_bookings)
    bounded = np.clip(target, ps.nominal, ps.nominal * (1 + lever.max_price_change))
    model.price_multiplier[known] = bounded[known]
