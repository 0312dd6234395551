"""The household budget: money outside gig work, borrowing, and responses to running out of savings.

Each month a worker's savings change by her other income − living costs, plus (full-timers out of gig work)
the pay of her outside job; gig net earnings enter daily (gigsim.model.market.end_of_day_work). Running out of
savings has three responses, from mild to final: more hours (the weekly hours rule,
gigsim.model.labour_supply.target_hours), a better-paying category she is skilled in (`distress_switch`),
and leaving gig work for an outside job once savings fall below the credit limit (exit reason `savings`).
docs/model.md section 7.11 gives the sources.
"""

from __future__ import annotations

import numpy as np

from gigsim.model import breaks, labour_supply
from gigsim.model.by_category import category_mean
from gigsim.model.licences import licences_held
from gigsim.model.metrics import MIN_LOGGED_HOURS
from gigsim.model.policies import pandemic
from gigsim.model.population import in_pool
from gigsim.model.state import ACTIVE, LEFT, OUT, PAUSED
from gigsim.model.vocabulary import ListingType

MONTH_DAYS = 30
"""Days in a model month."""


def outside_job_pay(model) -> np.ndarray:
    """Monthly pay (N) of full-timers' outside job while they do not gig: reservation wage × usual hours × 30.

    The reservation wage is what the worker's hours fetch elsewhere; a full-timer who is not on a platform works
    those hours in that job. Side hustlers' reservation wage values their spare time (no cash): 0 for them, and
    for everyone in gig work (active, retraining or taking the month off), and when `household.outside_job` is off.
    """
    w = model.workers
    if not model.config.household.outside_job:
        return np.zeros(w.n)
    working_elsewhere = w.full_time & ((w.status == OUT) | (w.status == LEFT))
    return np.where(working_elsewhere, w.reservation_wage.astype(np.float64) * w.hours_base * MONTH_DAYS, 0.0)


def monthly_budget(model) -> None:
    """Savings += other income × this month's income factor + outside-job pay − living costs − the fixed cost of a
    month worked (`labour_supply.monthly_active_cost`, for those active at the month's end, not those taking it off)
    + unemployment benefits net of a lost main job's pay (`unemployment_income`, 0 outside the pandemic levers);
    every worker in the pool, once a month; the savings of people not yet arrived or gone stay as they were."""
    w = model.workers
    here = in_pool(w, model.day)
    other = w.other_income.astype(np.float64) * w.income_factor
    worked = np.where(w.status == ACTIVE, model.config.labour_supply.monthly_active_cost, 0.0)
    w.savings += np.where(here, other + outside_job_pay(model) - w.living_costs - worked + unemployment_income(model),
                          0.0)


def unemployment_income(model) -> np.ndarray | float:
    """(N) this month's unemployment benefits net of what the pandemic took (policies.pandemic; docs/model.md 7.16),
    for the month closing today (its last 30 days), over the days the benefit was in force: weeks = days / 7.

    Each claimant is paid weeks × pandemic.weekly_benefit at her average weekly gig earnings this month (month net
    × 7 / 30: gig earnings above the disregard reduce the benefit, FPUC paid in full if any is due). A full-timer
    out of gig work takes the benefit or her outside job's pay, whichever is more (PUA is paid only to those not
    working). Side hustlers whose main job was lost lose its pay over those days. 0.0 when no claims are open."""
    first, last = model.day - MONTH_DAYS + 1, model.day
    days = pandemic.days_in_force(model, first, last)
    ps = getattr(model, "policy_state", None)
    if days == 0 or ps is None or ps.weekly_benefit is None:
        return 0.0
    w, lever = model.workers, model.config.policy.unemployment_assistance
    earned = np.maximum(w.month_net.astype(np.float64), 0.0) * 7.0 / MONTH_DAYS
    paid = days / 7.0 * pandemic.weekly_benefit(ps.weekly_benefit, earned, lever.earnings_disregard,
                                                lever.weekly_supplement)
    job = outside_job_pay(model) * days / MONTH_DAYS
    benefit = np.where(job > 0, np.maximum(paid - job, 0.0), paid)  # in place of the outside job, if worth more
    return benefit - pandemic.main_job_pay_lost(model, days)


def draw_income_factor(model) -> None:
    """Monthly, before entry and exit: each person in the pool draws next month's other-income factor.

    labour_supply.income_factor with σ = `population.other_income_volatility`; 1 for people not in the pool. σ = 0:
    no draw, and the factor stays 1.
    """
    w = model.workers
    sigma = model.config.population.other_income_volatility
    if sigma == 0:
        return
    z = model.rng.standard_normal(w.n)
    w.income_factor[:] = np.where(in_pool(w, model.day), labour_supply.income_factor(z, sigma), 1.0)


def month_reservation_wage(model) -> np.ndarray:
    """This month's reservation wage (N, currency per hour): labour_supply.month_reservation_wage with the income
    the shock does not move being her usual monthly gig earnings (30 × usual daily net, ≥ 0) while she is in gig
    work (active or taking the month off) and her outside job's pay (full-timers) while she is out of it."""
    w = model.workers
    in_gig = (w.status == ACTIVE) | (w.status == PAUSED)
    gig_income = np.where(in_gig, np.maximum(w.usual_net.astype(np.float64), 0.0) * MONTH_DAYS, 0.0)
    return labour_supply.month_reservation_wage(w.reservation_wage, w.other_income, w.income_factor,
                                                gig_income + outside_job_pay(model))


def active_cost_per_hour(model, day_hours: np.ndarray) -> np.ndarray:
    """The fixed cost of a month of gig work (`labour_supply.monthly_active_cost`) per hour of `day_hours` × 30."""
    return labour_supply.fixed_cost_per_hour(model.config.labour_supply.monthly_active_cost, day_hours, MONTH_DAYS)


def room_rent_per_hour(model) -> np.ndarray | float:
    """(N, currency per hour) the long-term rent a host gives up by hosting, per hour of her hosting work.

    Rule (docs/model.md 7.9, the hosts' participation margin): a worker whose category rents out rooms and whose
    listings are dedicated units (`Workers.listing_type`: an entire home she does not live in; her own home let
    while she is away, or a private or shared room in it, has no long-term tenant to lose) forgoes a month's rent
    of `labour_supply.room_rent_nights` nights at the category's nightly price (base price / nights a stay) per
    average listing, × her listings × her listings' price factor, spread (labour_supply.fixed_cost_per_hour) over
    her trailing logged hours a day × 30 — the hours her trailing net hourly earnings are earned over, so her
    comparison holds exactly when a month's bookings net of the rent beat her outside option for the hours they
    take. Without a record (trailing logged hours ≤ MIN_LOGGED_HOURS: an outsider, a new host, her expected earnings
    hearsay) over the mean trailing logged hours of the category's active workers (at least MIN_LOGGED_HOURS). 0.0
    when `room_rent_nights` is 0 (nothing computed)."""
    nights = model.config.labour_supply.room_rent_nights
    if nights == 0:
        return 0.0
    w = model.workers
    specs = [model.config.categories[c] for c in model.category_names]
    rooms = np.array([s.asset == "room" for s in specs], dtype=bool)
    rent = np.array([nights * s.base_price / max(s.asset_days_per_task, 1) for s in specs])  # per average listing
    cat = np.maximum(w.category, 0)
    host = (w.category >= 0) & rooms[cat] & (w.listing_type == ListingType.DEDICATED_UNIT)
    mean_logged = category_mean(w.ema_logged, w.category, w.status == ACTIVE, rooms.size, empty=0.0)
    category = np.maximum(mean_logged, MIN_LOGGED_HOURS)
    hours = np.where(w.ema_logged > MIN_LOGGED_HOURS, w.ema_logged, category[cat])
    monthly = rent[cat] * w.listings.astype(np.float64) * w.listing_price
    return np.where(host, labour_supply.fixed_cost_per_hour(monthly, hours, MONTH_DAYS), 0.0)


def usual_gap(model, value: np.ndarray) -> np.ndarray:
    """The lasting comparison (N, currency per hour): `value` (expected net hourly + autonomy value − any outside
    premium) − the fixed monthly cost per usual hour − a host's forgone rent per hour (`room_rent_per_hour`) − the
    reservation wage. Entry, exit and months off read it."""
    w = model.workers
    return value - active_cost_per_hour(model, w.hours_base) - room_rent_per_hour(model) - w.reservation_wage


def month_gap(model, value: np.ndarray) -> np.ndarray:
    """This month's comparison (N, currency per hour): `value` − the fixed monthly cost per hour of this month's
    time − a host's forgone rent per hour (as in `usual_gap`) − this month's reservation wage
    (`month_reservation_wage`). Months off and entry on this month's income."""
    return (value - active_cost_per_hour(model, model.workers.hours_month) - room_rent_per_hour(model)
            - month_reservation_wage(model))


def exit_gap(model, value: np.ndarray, usual: np.ndarray) -> np.ndarray:
    """The comparison a worker in gig work leaves on for earnings (N, currency per hour): this month's (`month_gap`)
    when `labour_supply.exit_on_month_income` is on, else her usual one (`usual`, from `usual_gap`).

    On, exit reads the same comparison entry reads with `labour_supply.entry_on_month_income`: someone who entered
    because her other income dipped compares this month's income again at every round, and leaves as readily as any
    worker with that gap once the dip is over (transitory entry, docs/model.md section 7.11 item 3e).
    """
    if not model.config.labour_supply.exit_on_month_income:
        return usual
    return month_gap(model, value)


def month_off(model, expected: np.ndarray, free: np.ndarray) -> np.ndarray:
    """Monthly, after entry and exit: workers in gig work take the month off or come back on it.

    Active and paused contractors whose hours nobody schedules (`free`), with no committed work and not entering
    today, compare expected net hourly (`expected`, as the entry and exit rule does) + autonomy value − the fixed
    monthly cost per hour of this month's time with this month's reservation wage (`month_reservation_wage`, on the
    factor `draw_income_factor` drew this round): she takes the month off when that is negative and her usual
    comparison (usual reservation wage, the cost over her usual hours) is not (labour_supply.paused_this_month),
    keeping her platforms, ratings, savings and earnings record; otherwise a paused worker comes back. Breaks the
    month's income does not explain (`breaks.with_breaks`: `break_rate`, `break_return_rate`) are added. No exit
    reason is written for a pause. Nobody pauses when other income never varies, there is no fixed cost and breaks
    are off. Returns the indices of those who take this month off.
    """
    w = model.workers
    no_shock = model.config.population.other_income_volatility == 0 and model.config.labour_supply.monthly_active_cost == 0
    if no_shock and not breaks.breaks_on(model.config):
        return np.empty(0, dtype=np.int64)
    in_gig = (w.status == ACTIVE) | (w.status == PAUSED)
    can = in_gig & free & (w.employer < 0) & (w.backlog <= 0) & (w.entry_day != model.day)
    value = expected + w.autonomy_value
    pause = can & labour_supply.paused_this_month(usual_gap(model, value), month_gap(model, value))
    pause = breaks.with_breaks(model, can, pause)  # breaks the month's income does not explain (item 3f)
    w.status[can & (w.status == PAUSED) & ~pause] = ACTIVE
    w.status[pause] = PAUSED
    w.months_paused[pause] += 1
    return np.flatnonzero(pause)


def credit_limit(model) -> np.ndarray:
    """The lowest savings (N) a worker may run to: − `credit_limit_months` × her monthly living costs."""
    return -model.config.household.credit_limit_months * model.workers.living_costs.astype(np.float64)


def distressed(model) -> np.ndarray:
    """Bool (N): active workers whose savings are negative (they offer all their hours, may switch category)."""
    w = model.workers
    return (w.status == ACTIVE) & (w.savings < 0)


def reachable_categories(model, who: np.ndarray, free: np.ndarray | None = None) -> np.ndarray:
    """Bool (len(who), C): categories each worker could work in by assets (a car for rides, a room for stays) and,
    under a vehicle licence cap, by a free licence (`licences_full`); `free`: today's free licences
    (`free_licences`) when the caller has counted them already."""
    w = model.workers
    reachable = np.ones((who.size, model.n_categories), dtype=bool)
    for c, asset in enumerate(model.category_asset):
        if asset == "car":
            reachable[:, c] = w.has_car[who]
        elif asset == "room":
            reachable[:, c] = w.has_room[who]
    return reachable & ~licences_full(free_licences(model) if free is None else free)[None, :]


def licences_full(free: np.ndarray) -> np.ndarray:
    """Bool (C): categories under the vehicle licence cap (docs/model.md 7.16) whose licences are all held by active
    workers (`free`: the free licences, `free_licences`). A licence is an asset like the car: nobody switches or
    retrains into such a category, as entrants beyond the licences are turned away
    (policies.login_limits.licence_cap)."""
    return np.isfinite(free) & (free <= 0)


def free_licences(model) -> np.ndarray:
    """(C) licences not held by an active worker in each category under the vehicle licence cap (docs/model.md
    7.16; the capped categories share one pool: the licences less those held, `licences.licences_held`); +inf
    where no cap holds."""
    free = np.full(model.n_categories, np.inf)
    ps = getattr(model, "policy_state", None)
    if ps is None or ps.licences is None or not model.lever_on("vehicle_licence_cap"):
        return free
    cats = [model.category_names.index(c) for c in model.config.policy.vehicle_licence_cap.categories]
    free[cats] = ps.licences - licences_held(model, cats)
    return free


def within_licences(free: np.ndarray, target: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Bool (len(target)): which of the workers moving into `target` categories today find a free licence
    (`free`: today's free licences, `free_licences`; the capped categories share one pool), taken in `order`
    (positions into `target`, first served first); all of them where no cap holds."""
    moves = np.ones(target.size, dtype=bool)
    capped = np.flatnonzero(np.isfinite(free))
    if capped.size == 0:
        return moves
    queue = np.asarray(order)[np.isin(target[order], capped)]
    moves[queue[int(max(free[capped].min(), 0)):]] = False
    return moves


def distress_switch(model, hourly: np.ndarray, by_category: np.ndarray, skilled: float) -> np.ndarray:
    """Distressed contractors move to the category they are skilled in that pays most, if it beats their own.

    Candidates: categories she is skilled in (skill ≥ `skilled`) and has the asset for, other than her own;
    she moves when that category's mean net hourly earnings exceed her own trailing net hourly earnings (her
    category's mean if unknown). She leaves the platforms that do not serve the new category (joining one that does
    is the monthly joining step, which charges its onboarding fee). Returns the indices of the movers.
    """
    w = model.workers
    if not model.config.household.distress_switch or model.n_categories < 2:
        return np.empty(0, dtype=np.int64)
    who = np.flatnonzero(distressed(model) & (w.employer < 0) & (w.category >= 0))
    if who.size == 0:
        return who
    free = free_licences(model)  # no status changes before the lot below: one count serves both
    options = reachable_categories(model, who, free) & (w.skill[who] >= skilled)
    options[np.arange(who.size), w.category[who]] = False
    value = np.where(options, by_category[None, :], -np.inf)
    target = np.argmax(value, axis=1)
    best = value[np.arange(who.size), target]
    own = np.where(np.isfinite(hourly[who]), hourly[who], by_category[w.category[who]])
    move = np.isfinite(best) & (best > own)
    movers, target = who[move], target[move]
    if np.isfinite(free[target]).any():  # a licence is needed to drive: first come, by lot
        licensed = within_licences(free, target, model.rng.permutation(target.size))
        movers, target = movers[licensed], target[licensed]
    w.category[movers] = target
    w.member[movers] &= model.serves[:, target].T  # keeps platforms that also serve the new category
    w.backlog[movers] = 0.0
    for name in ("ema_net", "ema_logged", "usual_net", "usual_logged"):  # a new start in the new category
        getattr(w, name)[movers] = 0.0
    return movers
