"""Per-agent mirror of the labour-supply rules of gigsim.model.population (the pool of potential workers) and
gigsim.model.decisions (weekly and monthly available hours): one worker at a time, the obvious way.

Rules (docs/model.md sections 5, 7.10 and 7.11):
- the pool: a person is in it from her arrival day (`pool_day`) until she leaves it (`pool_exit_day`); only people
  in it enter gig work and have a household budget; at each monthly round the people due arrive and as many people
  in the pool who are out or have left (not those arriving today), drawn uniformly, leave it;
- hours: each month her hours for the month are her usual hours × a lognormal shock, and this week's available and
  offered hours are rescaled with them; each week this week's available hours are the month's × a weekly lognormal
  shock × (current / usual net hourly earnings)^ε within [0.5, 2] (intertemporal substitution; her usual earnings
  and hours are slow averages of the 30-day ones, updated weekly), and she offers a share of them that moves
  `hours_adjustment` of the way to the share the Frisch rule wants;
- this month's income: at each monthly round, before entry and exit, each person in the pool draws next month's other
  income factor (lognormal, mean 1, σ = `other_income_volatility`); this month's reservation wage = reservation ×
  (other income × factor + unshocked income) / (other income + unshocked income), unshocked = usual monthly gig income
  in gig work, the outside job's pay (full-timers) out of it; outsiders enter on it (`entry_on_month_income`), and
  workers in gig work leave for earnings on it when `exit_on_month_income` is on (else on the usual comparison);
- a fixed monthly cost of being active (`monthly_active_cost`): every comparison subtracts it per hour of the month's
  time (usual hours for the lasting comparison, this month's for this month's); it is paid for each month worked;
- a host's forgone rent (`room_rent_nights` nights at the category's nightly price a month): in a room category every
  comparison also subtracts it × her listings × her price factor per hour of her hosting work (trailing logged hours,
  or without a record her category's active workers' mean, read once per phase of the monthly round); it is not paid
  (the room's other use, docs/model.md 7.9);
- a month off: after entry and exit, an active or paused contractor with no committed work who did not enter today
  takes the month off (status PAUSED, platforms and ratings kept) when expected hourly + autonomy value − the cost
  per hour of this month's time is below this month's reservation wage but her usual comparison is not, and
  otherwise comes back (ACTIVE); a worker whose month is worth working also takes it off with probability
  `break_rate` (active) or stays off with probability 1 − `break_return_rate` (paused): breaks the month's income does
  not explain (one uniform each, none when b = 0 and c = 1);
- match learning: at each monthly round, before entry and exit, a worker in gig work (active or paused) who has not
  yet learned her match (drawn with the person, s.d. `match_dispersion`) adds it to her autonomy value for good.
"""

from __future__ import annotations

import math

from gigsim.model.breaks import breaks_on
from gigsim.model.labour_supply import DAY_HOURS_MAX, DAY_HOURS_MIN
from gigsim.model.metrics import MIN_LOGGED_HOURS as MIN_LOGGED
from gigsim.model.reference import pandemic
from gigsim.model.state import ACTIVE, LEFT, NO_DAY, OUT, PAUSED
from gigsim.model.vocabulary import ListingType


def init_worker(agent, workers, i: int) -> None:
    """Copy the pool and monthly-hours state of row i of the fast path's drawn world onto the agent."""
    agent.pool_day = int(workers.pool_day[i])
    agent.pool_exit_day = int(workers.pool_exit_day[i])
    agent.hours_month = float(workers.hours_month[i])
    agent.usual_net = float(workers.usual_net[i])
    agent.usual_logged = float(workers.usual_logged[i])
    agent.income_factor = float(workers.income_factor[i])
    agent.months_paused = int(workers.months_paused[i])
    agent.match_value = float(workers.match_value[i])
    agent.match_learned = bool(workers.match_learned[i])


def learn_match(agent) -> None:
    """Match learning (gigsim.model.attachment): at a monthly round, before entry and exit, a worker in gig work
    (active or paused) who has not yet learned her match adds it to her autonomy value."""
    if not agent.match_learned and agent.status in (ACTIVE, PAUSED):
        agent.autonomy_value += agent.match_value
        agent.match_learned = True


def start_afresh(agent) -> None:
    """An entrant forgets her trailing and usual earnings and hours."""
    agent.ema_net = agent.ema_logged = agent.usual_net = agent.usual_logged = 0.0


def in_pool(agent, day: int) -> bool:
    """Whether the person is in the pool of potential workers on `day` (arrived and not gone)."""
    return agent.pool_day <= day and agent.pool_exit_day == NO_DAY


def renew_pool(model) -> None:
    """Today's arrivals join the pool; as many people in it who are out or have left, drawn uniformly, leave it."""
    day = model.day
    arrivals = sum(1 for a in model.worker_list if a.pool_day == day)
    if arrivals == 0:
        return
    eligible = [a for a in model.worker_list
                if in_pool(a, day) and a.pool_day < day and a.status in (OUT, LEFT)]
    for i in model.rng.permutation(len(eligible))[:arrivals]:
        eligible[i].pool_exit_day = day


def monthly_hours(agent) -> None:
    """This month's hours: usual hours × lognormal(mean 1); this week's available and offered hours rescale with them."""
    sigma = agent.model.config.population.hours_volatility
    if sigma == 0:
        return
    shock = math.exp(sigma * agent.model.rng.standard_normal() - sigma**2 / 2)
    month = min(max(agent.hours_base * shock, DAY_HOURS_MIN), DAY_HOURS_MAX)
    scale = month / max(agent.hours_month, 1e-9)
    agent.hours_month = month
    agent.hours_available = min(max(agent.hours_available * scale, DAY_HOURS_MIN), DAY_HOURS_MAX)
    agent.hours_offered = min(agent.hours_offered * scale, agent.hours_available)


def weekly_hours(agent) -> None:
    """This week's available hours (month's × weekly shock × her response to the current against her usual hourly
    earnings) and the share of them she offers (Frisch rule); her usual earnings and hours move toward the current."""
    m = agent.model
    b, ls = m.config.behaviour, m.config.labour_supply
    share = min(agent.hours_offered / agent.hours_available, 1.0) if agent.hours_available > 0 else 1.0
    sigma = m.config.population.weekly_hours_volatility
    z = m.rng.standard_normal() if sigma > 0 else 0.0
    factor = 1.0
    current = agent.hourly()
    usual = agent.usual_net / agent.usual_logged if agent.usual_logged > MIN_LOGGED else math.nan
    if agent.status == ACTIVE and current > 0 and usual > 0:  # False for NaN
        factor = min(max((current / usual) ** ls.frisch_elasticity, 0.5), 2.0)
    agent.hours_available = min(max(agent.hours_month * factor * math.exp(sigma * z - sigma**2 / 2), DAY_HOURS_MIN),
                                DAY_HOURS_MAX)
    if agent.status == ACTIVE:
        step = min(7.0 / ls.usual_wage_days, 1.0)
        agent.usual_net += step * (agent.ema_net - agent.usual_net)
        agent.usual_logged += step * (agent.ema_logged - agent.usual_logged)
    if agent.status != ACTIVE:
        agent.hours_offered = share * agent.hours_available
        return
    own = agent.hourly()
    target = 1.0
    if agent.savings >= 0 and not math.isnan(own):
        own -= pandemic.hour_cost_per_agent(m, agent)
        ratio = max(own + agent.autonomy_value, 0.0) / max(agent.reservation_wage, 1e-9)
        target = min(max(ratio**ls.frisch_elasticity, ls.min_hours_share), 1.0)
    agent.hours_offered = min(share + b.hours_adjustment * (target - share), 1.0) * agent.hours_available
    if pandemic.day_cost_per_agent(m, agent) > 0:  # the exposure of a day: she may stay home all week
        # hearsay from the week's category means (`week_means`, read once before the weekly phase: nothing it reads
        # changes during it)
        expected = expected_hourly(agent, m.week_means)
        if pandemic.stays_home_per_agent(m, agent, target * agent.hours_available, expected):
            agent.hours_offered = 0.0


def expected_hourly(agent, by_category) -> float:
    """Her own trailing net hourly earnings (active, paused or left: her last spell's, plus, once she has left, her
    category's market pay now minus at the last monthly round on or before the day she left), else neighbours' and
    the category's (hearsay)."""
    b = agent.model.config.behaviour
    own = agent.hourly() if agent.status in (ACTIVE, LEFT, PAUSED) else math.nan
    if not math.isnan(own):
        return own + (market_change_since_exit(agent, by_category) if agent.status == LEFT else 0.0)
    known = [x for x in (n.hourly() if n.status == ACTIVE else math.nan for n in agent.neighbours)
             if not math.isnan(x)]
    category = by_category[max(agent.category, 0)]
    return (b.neighbour_weight * sum(known) / len(known) + (1 - b.neighbour_weight) * category
            if known else category)


def market_change_since_exit(agent, by_category) -> float:
    """A returner's revaluation: her category's mean net hourly now minus its value logged at the last monthly round
    on or before the day she left (`left_on`); 0 without such a round, or where either mean is 0 (nobody worked)."""
    left_on = getattr(agent, "left_on", None)
    if not agent.model.config.labour_supply.returners_read_market or left_on is None or agent.category < 0:
        return 0.0
    then = 0.0
    for day, means in agent.model.market_pay_log:
        if day <= left_on:
            then = means[agent.category]
    now = by_category[agent.category]
    return now - then if then > 0 and now > 0 else 0.0


def draw_income(agent) -> None:
    """Draw next month's other income factor (lognormal, mean 1; 1 outside the pool; no draw when σ = 0)."""
    m = agent.model
    sigma = m.config.population.other_income_volatility
    if sigma == 0:
        return
    z = m.rng.standard_normal()
    agent.income_factor = math.exp(sigma * z - sigma**2 / 2) if in_pool(agent, m.day) else 1.0


def month_wage(agent) -> float:
    """This month's reservation wage: reservation × (other income × factor + unshocked) / (other income + unshocked);
    unshocked = her usual monthly gig income while in gig work, her outside job's pay (full-timers) while out."""
    m = agent.model
    if agent.status in (ACTIVE, PAUSED):
        fixed = max(agent.usual_net, 0.0) * 30
    else:
        job = m.config.household.outside_job and agent.full_time and agent.status in (OUT, LEFT)
        fixed = agent.reservation_wage * agent.hours_base * 30 if job else 0.0
    usual = max(agent.other_income + fixed, 1e-9)
    return agent.reservation_wage * ((agent.other_income * agent.income_factor + fixed) / usual)


def cost_per_hour(agent, day_hours: float) -> float:
    """The fixed cost of a month of gig work per hour of `day_hours` × 30."""
    return agent.model.config.labour_supply.monthly_active_cost / max(day_hours * 30, 1e-9)


def category_logged_means(m) -> list[float] | None:
    """Per category: the mean trailing logged hours a day of its active workers (at least MIN_LOGGED; MIN_LOGGED
    where none), or None when no room rent is charged. Read once per phase of the monthly round (entry and exit,
    then the month off), as the fast path reads them: one table for the phase, not a pass over every worker for
    each host."""
    if m.config.labour_supply.room_rent_nights == 0:
        return None
    n = len(m.category_names)
    sums, counts = [0.0] * n, [0] * n
    for w in m.worker_list:
        if w.status == ACTIVE and w.category >= 0:
            sums[w.category] += w.ema_logged
            counts[w.category] += 1
    return [max(s / k, MIN_LOGGED) if k else MIN_LOGGED for s, k in zip(sums, counts, strict=True)]


def room_rent_per_hour(agent) -> float:
    """A dedicated-unit host's forgone long-term rent per hour of her hosting work: room_rent_nights × the category's
    nightly price (base price / nights a stay) × listings × listing price factor over (trailing logged hours, or
    without a record her category's active workers' mean, the model's `logged_by_category` of this phase) × 30; 0
    outside room categories and for any other listing type (her own home, a private or shared room in it)."""
    m = agent.model
    nights = m.config.labour_supply.room_rent_nights
    spec = m.config.categories[m.category_names[agent.category]] if agent.category >= 0 else None
    if nights == 0 or spec is None or spec.asset != "room" or agent.listing_type != ListingType.DEDICATED_UNIT:
        return 0.0  # only a dwelling she does not live in has a long-term tenant to lose
    rent = nights * spec.base_price / max(spec.asset_days_per_task, 1)
    hours = agent.ema_logged if agent.ema_logged > MIN_LOGGED else m.logged_by_category[agent.category]
    return rent * len(agent.listing_free_days) * agent.listing_price / (hours * 30)


def usual_gap(agent, value: float) -> float:
    """The lasting comparison: value − the fixed cost per usual hour − forgone rent per hour − reservation wage."""
    return value - cost_per_hour(agent, agent.hours_base) - room_rent_per_hour(agent) - agent.reservation_wage


def month_gap(agent, value: float) -> float:
    """This month's comparison: value − the fixed cost per hour of this month's time − forgone rent per hour − this
    month's reservation wage."""
    return value - cost_per_hour(agent, agent.hours_month) - room_rent_per_hour(agent) - month_wage(agent)


def month_cost(agent) -> float:
    """What a month worked costs her beyond per-hour costs (charged at the month's end if she is active)."""
    return agent.model.config.labour_supply.monthly_active_cost if agent.status == ACTIVE else 0.0


def entry_gap(agent, value: float, usual_gap: float) -> float:
    """The comparison an outsider enters on: this month's (value − cost per hour of this month's time − this month's
    reservation wage) when `entry_on_month_income` is on, else the usual one."""
    if not agent.model.config.labour_supply.entry_on_month_income:
        return usual_gap
    return month_gap(agent, value)


def exit_gap(agent, value: float, usual_gap: float) -> float:
    """The comparison a worker in gig work leaves on for earnings: this month's (as `entry_gap`'s) when
    `exit_on_month_income` is on, else the usual one."""
    if not agent.model.config.labour_supply.exit_on_month_income:
        return usual_gap
    return month_gap(agent, value)


def month_off(agent, by_category) -> None:
    """Take the month off, or come back, on this month's reservation wage and the cost over this month's hours."""
    m = agent.model
    no_shock = m.config.population.other_income_volatility == 0 and m.config.labour_supply.monthly_active_cost == 0
    if no_shock and not breaks_on(m.config):
        return
    employee = getattr(agent, "employer_of", -1) >= 0  # an employer schedules her hours
    if agent.status not in (ACTIVE, PAUSED) or agent.backlog > 0 or employee or getattr(agent, "entered_on",
                                                                                       None) == m.day:
        return
    expected = expected_hourly(agent, by_category)
    value = expected - pandemic.outside_premium_per_agent(m, agent, expected) + agent.autonomy_value
    if usual_gap(agent, value) >= 0 > month_gap(agent, value) or takes_break(agent):
        agent.status = PAUSED
        agent.months_paused += 1
    elif agent.status == PAUSED:
        agent.status = ACTIVE


def takes_break(agent) -> bool:
    """A break the month's income does not explain (docs/model.md 7.11 item 3f): an active worker takes the month off
    when her uniform U < `break_rate`, a paused one stays off when U ≥ `break_return_rate`; no draw when off."""
    m = agent.model
    if not breaks_on(m.config):
        return False
    u = m.rng.random()
    ls = m.config.labour_supply
    return u < ls.break_rate if agent.status == ACTIVE else u >= ls.break_return_rate
