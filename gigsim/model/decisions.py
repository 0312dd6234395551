"""Periodic decisions of workers, clients and platforms, and life events.

Each function applies one rule to all agents at once (array operations, sparse
products over networks). Cadence: weekly (hours offered, asking prices),
monthly (entry, exit, platforms, upskilling, clients' platform choice, platform
responses to policy, transfers), daily (upskilling completions, health events).
All draws come from the model's `rng`.
"""

from __future__ import annotations

import numpy as np

from gigsim.model import attachment, competition, household, labour_supply, population
from gigsim.model.by_category import category_mean
from gigsim.model.labour_supply import sigmoid as _sigmoid
from gigsim.model.metrics import MIN_LOGGED_HOURS, net_hourly_earnings
from gigsim.model.networks import neighbour_mean, neighbour_shares
from gigsim.model.policies import pandemic
from gigsim.model.state import ACTIVE, LEFT, NO_DAY, OUT, PAUSED, UPSKILLING
from gigsim.model.upskilling import SKILLED, upskilling
from gigsim.model.vocabulary import Flow, Pricing

# --------------------------------------------------------------------------- set-up


def initial_choices(model) -> None:
    """Day 0: clients pick a platform per category, active workers join platforms."""
    cl = model.clients
    launched = model.launched()
    share = np.array([model.config.platforms[p].initial_share for p in model.platform_names])
    for c in range(model.n_categories):
        weights = np.where(model.serves[:, c] & launched, np.maximum(share, 1e-9), 0.0)
        if weights.sum() == 0:
            continue
        buyers = np.unique(model.streams.client[model.streams.category == c])
        cl.platform[buyers, c] = _draw_choice(model.rng, np.broadcast_to(weights, (buyers.size, weights.size)))
    active = np.flatnonzero(model.workers.status == ACTIVE)
    join_platforms(model, active, initial=True)


def _draw_choice(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """One option per row, with probability proportional to the row's weights."""
    cumulative = np.cumsum(weights, axis=1)
    total = cumulative[:, -1:]
    u = rng.random((weights.shape[0], 1)) * total
    return np.minimum((u >= cumulative).sum(axis=1), weights.shape[1] - 1).astype(np.int32)


def join_platforms(model, who: np.ndarray, initial: bool = False) -> None:
    """Workers in `who` with no platform for their category join one (weighted by its filled tasks).

    Joining costs the platform's onboarding cost (from savings); platforms that are not
    accepting workers (onboarding caps, employee headcount) are skipped.
    """
    w = model.workers
    if who.size == 0:
        return
    cat = np.maximum(w.category[who], 0)
    serves = model.serves[:, cat].T  # (n, P)
    has = (w.member[who] & serves).any(axis=1)
    need = who[~has & (w.category[who] >= 0)]
    if need.size == 0:
        return
    cat = w.category[need]
    open_now = model.accepting & model.launched()
    filled = model.ledger.yesterday.platform_filled  # tasks filled yesterday per (platform, category)
    volume = filled[:, cat].T + 1.0 if not initial else np.ones((need.size, model.n_platforms))
    attraction = volume * platform_pay_appeal(model)[None, :]
    weights = np.where(model.serves[:, cat].T & open_now[None, :], attraction, 0.0)
    can = weights.sum(axis=1) > 0
    need, weights = need[can], weights[can]
    if need.size == 0:
        return
    choice = _draw_choice(model.rng, weights)
    w.member[need, choice] = True
    if not initial:
        w.savings[need] -= model.onboarding_fees()[choice]
    employer = model.employer_platforms()
    employed = employer[choice]
    w.employer[need[employed]] = choice[employed]


def platform_pay_appeal(model) -> np.ndarray:
    """How much a platform's terms attract workers: (share of the price kept × price level)^elasticity.

    Relative to the best terms on offer, so the most generous platform scores 1.
    """
    kept = (1.0 - model.effective_commission()) * model.price_multiplier
    elasticity = model.config.behaviour.platform_pay_elasticity
    return (kept / kept.max()) ** elasticity if kept.max() > 0 else np.ones_like(kept)


# --------------------------------------------------------------------------- weekly


def weekly(model) -> None:
    """Hours offered follow the week's time and the worth of a gig hour against the outside option; asks follow
    own utilisation.

    Hours: this week's available hours are the month's × a weekly lognormal shock (`weekly_hours_volatility`) × her
    intertemporal response to the current against her usual net hourly earnings (Frisch elasticity); each
    active worker moves the share of them she offers `hours_adjustment` of the way to `labour_supply.target_hours`
    (all of them when net hourly + autonomy value ≥ reservation wage, else fewer with the Frisch elasticity; all of
    them when her savings are negative), and offers that share of this week's hours. Asks (members of a bids platform who logged in): × `ask_factor` of this
    week's engaged / logged-in hours against `ask_target_utilisation`, kept in [0.4, 3]. This week's logged-in
    hours enter the four-week hours history.
    """
    w = model.workers
    b = model.config.behaviour
    ls = model.config.labour_supply
    active = w.status == ACTIVE
    share = labour_supply.offered_share(w.hours_offered, w.hours_available)
    sigma = model.config.population.weekly_hours_volatility
    z = model.rng.standard_normal(w.n) if sigma > 0 else np.zeros(w.n)
    current = net_hourly_earnings(w)
    usual = usual_hourly(w)
    factor = np.where(active, labour_supply.intertemporal_factor(current, usual, ls.frisch_elasticity), 1.0)
    week = labour_supply.weekly_availability(w.hours_month * factor, z, sigma)
    # employees work the schedule their employer set from their time at the month's end: it stays as it was
    w.hours_available[:] = np.where(scheduled(model), w.hours_available, week).astype(np.float32)
    for slow, fast in ((w.usual_net, w.ema_net), (w.usual_logged, w.ema_logged)):
        labour_supply.update_usual(slow, np.where(active, fast, slow), ls.usual_wage_days)
    target = labour_supply.target_hours(current - pandemic.hour_cost(model), w.autonomy_value, w.reservation_wage, np.ones(w.n),
                                        ls.frisch_elasticity, ls.min_hours_share, household.distressed(model))
    new_hours = np.minimum(share + b.hours_adjustment * (target - share), 1.0) * w.hours_available
    new_hours = pandemic.week_at_home(model, new_hours, target * w.hours_available, household.distressed(model),
                                      expectations)
    employees = w.employer >= 0
    hours_per_employee = model.config.policy.employee_classification.hours_per_employee
    new_hours = np.where(employees, np.minimum(w.hours_available, hours_per_employee), new_hours)
    # the inactive keep their share, so their hours stay within this week's (entrants offer all theirs)
    w.hours_offered[:] = np.where(active, new_hours, share * w.hours_available).astype(np.float32)

    on_bids = (w.member & (model.pricing == Pricing.BIDS)[None, :]).any(axis=1)
    priced = active & on_bids & (w.week_logged > 0)
    factor = labour_supply.ask_factor(w.week_engaged, w.week_logged, ls.ask_target_utilisation, b.ask_adjustment)
    w.ask[:] = np.clip(np.where(priced, w.ask * factor, w.ask), 0.4, 3.0).astype(np.float32)
    labour_supply.push_week(w.hours_history, w.week_logged)
    w.week_applications[:] = 0
    w.week_wins[:] = 0
    w.week_logged[:] = 0.0
    w.week_engaged[:] = 0.0


# --------------------------------------------------------------------------- monthly


def scheduled(model) -> np.ndarray:
    """Bool (N): employees, whose hours an employer schedules (employee classification or the employment lever)."""
    w = model.workers
    ps = getattr(model, "policy_state", None)
    employed = ps.employer_of >= 0 if ps is not None and ps.employer_of is not None else False
    return (w.employer >= 0) | employed


def usual_hourly(w) -> np.ndarray:
    """A worker's usual net hourly earnings: the slow averages' ratio (NaN where she has logged too little)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(w.usual_logged > MIN_LOGGED_HOURS, w.usual_net / np.maximum(w.usual_logged, 1e-9), np.nan)


def category_earnings(model, hourly: np.ndarray) -> np.ndarray:
    """Mean trailing net hourly earnings per category among active workers (0 where nobody works)."""
    w = model.workers
    ok = (w.status == ACTIVE) & np.isfinite(hourly)
    return category_mean(hourly, w.category, ok, model.n_categories, empty=0.0)


def monthly(model) -> None:
    """The monthly round: books, entry and exit, platforms, upskilling, clients, platforms' responses."""
    close_books(model)
    availability_shocks(model)
    population.renew_pool(model)
    hourly = net_hourly_earnings(model.workers)
    by_category = category_earnings(model, hourly)
    household.draw_income_factor(model)
    attachment.learn_matches(model)  # a month in gig work shows her how well it suits her
    entry_and_exit(model, hourly, by_category)
    expected = expected_hourly(model, hourly, by_category)
    # months off read the worth of a gig hour as entry and exit do: net of what the pandemic levers take off it
    household.month_off(model, expected - pandemic.outside_premium(model, expected), ~scheduled(model))

    household.distress_switch(model, hourly, by_category, SKILLED)
    multihoming(model)
    upskilling(model, hourly, by_category)
    employee_headcount(model)
    join_platforms(model, np.flatnonzero(model.workers.status == ACTIVE))
    client_platform_choice(model)
    competition.compete(model)
    pay_floor_response(model)
    cash_transfers(model)


def close_books(model) -> None:
    """Monthly ledger: the household budget into savings (household.monthly_budget); this month's earnings
    into the history."""
    w = model.workers
    household.monthly_budget(model)
    participated = (w.status == ACTIVE) | (w.month_tasks > 0)
    w.month_history[:, :-1] = w.month_history[:, 1:]
    w.month_history[:, -1] = np.where(participated, w.month_net, np.nan)
    pb = model.config.policy.portable_benefits
    w.benefit_eligible[:] = model.lever_on("portable_benefits") & (w.status == ACTIVE) & (
        w.month_tasks >= pb.min_tasks_per_month)
    model.last_month_net = w.month_net.copy()
    w.month_net[:] = 0.0
    w.month_tasks[:] = 0


def availability_shocks(model) -> None:
    """Each month a worker's hours for the month are her usual hours × a lognormal shock (mean 1).

    Other jobs, family and study change how much time people have from month to month; the dispersion is
    `population.hours_volatility`. This week's available and offered hours are rescaled with the month's (the
    week's shock and the share she offers are kept); hours offered never exceed hours available.
    """
    w = model.workers
    sigma = model.config.population.hours_volatility
    if sigma == 0:
        return
    low, high = labour_supply.DAY_HOURS_MIN, labour_supply.DAY_HOURS_MAX
    shock = np.exp(sigma * model.rng.standard_normal(w.n) - sigma**2 / 2)
    month = np.clip(w.hours_base * shock, low, high).astype(np.float32)
    # this week's hours move with the month's (the week's shock is kept); the share offered is kept
    scale = month / np.maximum(w.hours_month, 1e-9)
    w.hours_month[:] = month
    w.hours_available[:] = np.clip(w.hours_available * scale, low, high).astype(np.float32)
    w.hours_offered[:] = np.minimum(w.hours_offered * scale, w.hours_available)


def expected_hourly(model, hourly: np.ndarray, by_category: np.ndarray) -> np.ndarray:
    """What a worker expects to earn per hour: her own record if any, else neighbours' and the category's.

    Her own record: trailing net hourly earnings while active, or those of her last spell once she has left or
    while she takes a month off (the trailing averages stop then), so a worker who left on poor earnings remembers
    them; once she has left, plus the market's move since (`market_change_since_exit`: a fare change reaches her
    as it reaches drivers on the app). Hearsay (for those without a record): neighbours' current earnings and the
    category's mean.
    """
    w = model.workers
    active = w.status == ACTIVE
    known = active & np.isfinite(hourly)
    nb_mean, nb_weight = neighbour_mean(model.worker_network, np.nan_to_num(hourly), known.astype(np.float32))
    category = by_category[np.maximum(w.category, 0)]
    weight = model.config.behaviour.neighbour_weight
    hearsay = np.where(nb_weight > 0, weight * nb_mean + (1 - weight) * category, category)
    remembered = ((w.status == LEFT) | (w.status == PAUSED)) & np.isfinite(hourly)
    own = hourly + market_change_since_exit(model, by_category)
    return np.where(known | remembered, own, hearsay)


def record_market_pay(model, by_category: np.ndarray) -> None:
    """Log this monthly round's market pay (the category means of active workers' trailing net hourly earnings,
    currency per hour) under today's day: a returner reads how the market moved since she left
    (`market_change_since_exit`)."""
    model.market_pay_days.append(model.day)
    model.market_pay.append(np.asarray(by_category, dtype=np.float64).copy())


def market_change_since_exit(model, by_category: np.ndarray) -> np.ndarray:
    """(N) currency per hour: for a worker who has left gig work, `labour_supply.market_move` — her category's
    market pay now (`by_category`) minus at the last monthly round on or before the day she left
    (`record_market_pay`); 0 for everyone else, and for everyone unless `labour_supply.returners_read_market`.

    Returners revalue their last spell's pay by the market's move since (docs/model.md 7.11, "What a returner
    expects"): platforms announce rate changes to registered drivers by e-mail and in the app, and drivers compare
    pay on their forums; she keeps her level relative to the market and takes its move in full.
    """
    w = model.workers
    if not model.config.labour_supply.returners_read_market:
        return np.zeros(w.n)
    left = (w.status == LEFT) & (w.exit_day != NO_DAY)
    pay = np.stack(model.market_pay) if model.market_pay else np.zeros((0, model.n_categories))
    return labour_supply.market_move(np.asarray(model.market_pay_days, dtype=np.int64), pay, w.exit_day,
                                     np.where(left, w.category, -1), by_category)


def expectations(model) -> np.ndarray:
    """(N) what each worker expects to earn per hour now: `expected_hourly` on today's trailing net hourly earnings."""
    hourly = net_hourly_earnings(model.workers)
    return expected_hourly(model, hourly, category_earnings(model, hourly))


def stranded(model) -> np.ndarray:
    """Bool (N): active contractors with no platform for their category while no open platform takes them on."""
    w = model.workers
    cat = np.maximum(w.category, 0)
    on_one = (w.member & model.serves[:, cat].T).any(axis=1)
    open_now = model.accepting & model.launched()
    can_join = (model.serves & open_now[:, None])[:, cat].any(axis=0)
    return (w.status == ACTIVE) & (w.category >= 0) & (w.employer < 0) & ~on_one & ~can_join


def entry_and_exit(model, hourly: np.ndarray, by_category: np.ndarray) -> None:
    """Enter when expected net hourly earnings plus autonomy value beat the outside option; leave when not.

    gap = expected hourly + autonomy value − the fixed monthly cost per usual hour − reservation wage, s the decision
    sensitivity, one uniform U per worker. An active worker leaves (labour_supply.exit_reasons) for a random reason if
    U < random_exit_rate, for earnings if U < random_exit_rate + exit_rate × σ(−s·gap), for savings if they are below
    the credit limit (she takes an outside job), for policy if she has no platform and no open platform takes her on.
    An out or left worker with a category enters if U < entry_rate × σ(s·entry gap) (`entry_gap`: this month's
    comparison) and her savings cover the cheapest open platform's onboarding fee for her category. Only people in
    the pool of potential workers enter (population.in_pool: arrived and not gone).
    """
    w = model.workers
    b = model.config.behaviour
    record_market_pay(model, by_category)
    expected = expected_hourly(model, hourly, by_category)
    value = expected + w.autonomy_value - pandemic.outside_premium(model, expected)
    gap = household.usual_gap(model, value)
    u = model.rng.random(w.n)
    active = (w.status == ACTIVE) | (w.status == PAUSED)  # a worker taking the month off may leave for good
    reason = labour_supply.exit_reasons(u, household.exit_gap(model, value, gap),
                                        w.savings < household.credit_limit(model), stranded(model),
                                        b.random_exit_rate, b.exit_rate, b.decision_sensitivity)
    leave_now = active & (reason != labour_supply.NOT_LEFT)
    outside = ((w.status == OUT) | (w.status == LEFT)) & population.in_pool(w, model.day)
    fee = labour_supply.entry_fees(model.serves, model.accepting & model.launched(), model.onboarding_fees())
    affordable = (w.category >= 0) & (w.savings >= fee[np.maximum(w.category, 0)])
    enter = outside & affordable & (u < b.entry_rate * _sigmoid(b.decision_sensitivity * entry_gap(model, value, gap)))
    day = model.day
    population.leave(model, np.flatnonzero(leave_now), reason)
    joined = np.flatnonzero(enter)
    w.status[joined] = ACTIVE
    w.entry_day[joined] = day
    # NO_DAY, not any negative day, means never: a burn-in entry (day < 0) is a first entry a re-entry keeps
    w.first_entry_day[joined] = np.where(w.first_entry_day[joined] == NO_DAY, day, w.first_entry_day[joined])
    w.hours_offered[joined] = w.hours_available[joined]
    reset_trailing(w, joined)
    w.ask[joined] = 1.0
    model.ledger.day.entries = joined.size
    join_platforms(model, joined)


def entry_gap(model, value: np.ndarray, usual_gap: np.ndarray) -> np.ndarray:
    """The comparison an outsider enters on (currency per hour): this month's, when
    `labour_supply.entry_on_month_income` is on, else her usual one (`usual_gap`).

    This month's: `value` (expected net hourly + autonomy value − any outside premium) − the fixed monthly cost per
    hour of this month's time − this month's reservation wage (household.month_reservation_wage, on the other income
    drawn for the coming month): a dip in other income makes a gig hour worth more to her, so people dip in when
    their other income dips (JPMorgan Chase Institute 2016; docs/model.md section 7.11).
    """
    if not model.config.labour_supply.entry_on_month_income:
        return usual_gap
    return household.month_gap(model, value)


def reset_trailing(w, who: np.ndarray) -> None:
    """A new start (entry, a new category): her trailing and usual earnings and hours are forgotten."""
    for name in ("ema_net", "ema_logged", "usual_net", "usual_logged"):
        getattr(w, name)[who] = 0.0


def multihoming(model) -> None:
    """Active contractors join a further platform serving their category with a small monthly probability."""
    w = model.workers
    rate = model.config.behaviour.multihoming_rate
    contractors = np.flatnonzero((w.status == ACTIVE) & (w.employer < 0) & (w.category >= 0))
    if contractors.size == 0 or model.n_platforms < 2:
        return
    pick = contractors[model.rng.random(contractors.size) < rate]
    if pick.size == 0:
        return
    open_now = model.accepting & model.launched() & ~model.employer_platforms()
    options = model.serves[:, w.category[pick]].T & ~w.member[pick] & open_now[None, :]
    able = options.any(axis=1)
    pick, options = pick[able], options[able]
    if pick.size == 0:
        return
    choice = _draw_choice(model.rng, options * platform_pay_appeal(model)[None, :])
    w.member[pick, choice] = True
    w.savings[pick] -= model.onboarding_fees()[choice]


def daily_upskilling_completions(model) -> None:
    """Workers whose course ends today gain the skill a course gives (`population.RETRAINED_SKILL`) and start work
    in the new category, if it has a free licence (`licensed_completers`); the others keep their category."""
    w = model.workers
    done = np.flatnonzero((w.status == UPSKILLING) & (w.upskill_done_day <= model.day))
    if done.size == 0:
        return
    target = w.upskill_target[done]
    w.skill[done, target] = np.maximum(w.skill[done, target], population.RETRAINED_SKILL)
    moves = licensed_completers(model, done, target)
    w.category[done[moves]] = target[moves]
    w.status[done] = ACTIVE
    w.upskill_target[done] = -1
    reset_trailing(w, done)
    join_platforms(model, done)


def licensed_completers(model, done: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Bool (len(done)): which of today's course completers may work in their target category. Under a vehicle
    licence cap (docs/model.md 7.16) only as many as there are free licences, in the order of their course's end
    (then index); the rest keep their own category, with the skill, as a licence is needed to drive."""
    return household.within_licences(household.free_licences(model), target,
                                     np.lexsort((done, model.workers.upskill_done_day[done])))


def employee_headcount(model) -> None:
    """Under employee classification, a platform keeps the headcount its demand needs and no more.

    Target = hours of tasks posted on the platform last month / 30 / hours per employee × 1.1. Extra employees with
    the lowest ratings are let go; below target the platform accepts new workers. Employees
    belong to their employer only (no multi-homing).
    """
    w = model.workers
    employer = model.employer_platforms()
    lever = model.config.policy.employee_classification
    for p in np.flatnonzero(employer):
        members = np.flatnonzero(w.member[:, p] & (w.status == ACTIVE))
        w.employer[members] = p
        others = np.ones(model.n_platforms, dtype=bool)
        others[p] = False
        w.member[np.ix_(members, others)] = False
        # the hours of work clients asked the platform for last month (filled or not)
        task_hours = model.base_task_hours / (1.0 + model.augmentation)
        hours = float((model.ledger.month.posted[p] * (task_hours + model.pickup_hours)).sum())
        target = int(np.ceil(hours / 30.0 / lever.hours_per_employee * 1.1)) if hours > 0 else members.size
        if members.size > target:
            score = w.rating_sum[members, p] / np.maximum(w.rating_count[members, p], 1)
            order = np.argsort(score, kind="stable")
            dismissed = members[order[: members.size - target]]
            w.member[dismissed, p] = False
            w.employer[dismissed] = -1
        model.accepting[p] = members.size < target


def client_platform_choice(model) -> None:
    """Some clients reconsider their platform: logit over price, fill rate and neighbours' choices.

    Utility of platform p in category c: −price_weight × relative price + fill_weight × fill rate
    + network_weight × share of the client's network neighbours on p. A share `client_switch_rate`
    of buyer–category pairs reconsiders each month.
    """
    cl = model.clients
    b = model.config.behaviour
    launched = model.launched()
    fill = competition.monthly_fill_rates(model)
    for c in range(model.n_categories):
        options = model.serves[:, c] & launched
        if options.sum() < 1:
            continue
        buyers = np.flatnonzero(cl.platform[:, c] >= 0)
        if buyers.size == 0:
            continue
        rethink = buyers[model.rng.random(buyers.size) < b.client_switch_rate]
        if rethink.size == 0:
            continue
        shares = neighbour_shares(model.client_network, cl.platform[:, c], model.n_platforms)[rethink]
        price = model.price_multiplier * model.surge[:, c, :].mean(axis=1)
        utility = (-b.client_price_weight * price[None, :] + b.client_fill_weight * fill[None, :, c]
                   + b.client_network_weight * shares)
        utility = np.where(options[None, :], utility, -np.inf)
        weights = np.exp(utility - utility.max(axis=1, keepdims=True))
        cl.platform[rethink, c] = _draw_choice(model.rng, weights)


def pay_floor_response(model) -> None:
    """Under a pay floor, platforms whose top-ups exceed 2% of bookings raise prices or cap onboarding.

    raise_prices: price multiplier × (1 + burden, at most +10%) a month, never above twice the
    scenario's; when top-ups fall below 0.5% of bookings prices relax by 2% a month toward it.
    """
    employer = model.employer_platforms()
    if not model.lever_on("min_pay"):
        model.accepting[:] = np.where(employer, model.accepting, True)
        return
    response = model.config.policy.min_pay.response
    bookings = model.ledger.month.flows[Flow.CLIENT_PAYMENTS, : model.n_platforms].sum(axis=1)
    topups = model.ledger.month.flows[Flow.PAY_FLOOR_TOPUPS, : model.n_platforms].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        burden = np.where(bookings > 0, topups / bookings, 0.0)
    pressed = burden > 0.02
    if response == "raise_prices":
        nominal = np.array([model.config.platforms[p].price_multiplier for p in model.platform_names])
        raised = model.price_multiplier * (1 + np.minimum(burden, 0.1))
        relaxed = np.maximum(nominal, model.price_multiplier * 0.98)
        model.price_multiplier[:] = np.minimum(np.where(pressed, raised, np.where(burden < 0.005, relaxed,
                                                                                   model.price_multiplier)),
                                               2.0 * nominal)
    elif response == "cap_onboarding":
        model.accepting[:] = np.where(employer, model.accepting, ~pressed)


def cash_transfers(model) -> None:
    """Active gig workers whose monthly income (net gig earnings + other income) is below the threshold
    receive the monthly amount, paid from the levy-funded transfer fund."""
    if not model.lever_on("cash_transfer"):
        return
    lever = model.config.policy.cash_transfer
    w = model.workers
    income = model.last_month_net + w.other_income
    eligible = (w.status == ACTIVE) & (income < lever.income_threshold)
    paid = lever.monthly_amount * eligible.sum()
    w.savings[eligible] += lever.monthly_amount
    model.ledger.transfer_fund -= paid
    model.ledger.day.cash_transfers = float(paid)


# --------------------------------------------------------------------------- daily


def life_events(model) -> None:
    """Health shocks hit active workers at a daily rate; insurance, portable benefits or savings pay.

    Cost ~ exponential with the scenario's mean. Insured workers pay nothing; workers covered by
    portable benefits get `coverage` of the cost paid by the benefit fund; the rest comes from savings.
    """
    w = model.workers
    pop = model.config.population
    active = np.flatnonzero(w.status == ACTIVE)
    if active.size == 0 or pop.health_event_rate == 0:
        return
    k = model.rng.binomial(active.size, pop.health_event_rate)
    if k == 0:
        return
    hit = active[model.rng.integers(0, active.size, k)]
    cost = model.rng.exponential(pop.health_event_cost, k)
    coverage = model.config.policy.portable_benefits.coverage
    insured = w.insured[hit]
    benefit = ~insured & w.benefit_eligible[hit]
    from_fund = np.where(benefit, coverage * cost, 0.0)
    out_of_pocket = np.where(insured, 0.0, cost - from_fund)
    np.subtract.at(w.savings, hit, out_of_pocket)
    model.ledger.benefit_fund -= from_fund.sum()
    books = model.ledger.day
    books.health_costs, books.uncovered_health_costs = float(cost.sum()), float(out_of_pocket.sum())
    books.benefit_payouts = float(from_fund.sum())

