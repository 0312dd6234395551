"""Initialisation: drawing the worker and client populations from the scenario's distributions.

All draws come from the model's `rng`, in a fixed order, so a seed fixes the world.
"""

from __future__ import annotations

import numpy as np

from gigsim.model import attachment
from gigsim.model.labour_supply import HOURS_HISTORY_WEEKS
from gigsim.model.state import ACTIVE, HISTORY_MONTHS, LEFT, NO_DAY, OUT, Clients, Streams, Workers, empty
from gigsim.model.vocabulary import NOT_LEFT, ExitReason, ListingType
from gigsim.scenario import Scenario
from gigsim.scenario.regions import by_region, draw_regions


def _lognormal(rng: np.random.Generator, sigma: float, n: int) -> np.ndarray:
    """n lognormal factors of mean 1 and log-sd `sigma`: exp(sigma·z − sigma²/2)."""
    return np.exp(sigma * rng.standard_normal(n) - sigma**2 / 2)


def _draw_skills(sc: Scenario, rng: np.random.Generator, has_car: np.ndarray,
                 has_room: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each worker's primary category (by worker_share, among those whose asset she has) and skills (N, C):
    Beta-distributed in the primary category and, for a share of workers, in a second one she can work in."""
    pop, rules = sc.population, sc.rules.workers
    specs = [sc.categories[c] for c in sc.active_categories]
    n, n_cat = has_car.size, len(specs)
    # Primary skill: a category drawn by worker_share, restricted to those whose asset the worker has.
    share = np.array([s.worker_share for s in specs], dtype=np.float64)
    needs_car = np.array([s.asset == "car" for s in specs])
    needs_room = np.array([s.asset == "room" for s in specs])
    allowed = np.ones((n, n_cat), dtype=bool)
    allowed[:, needs_car] &= has_car[:, None]
    allowed[:, needs_room] &= has_room[:, None]
    weight = allowed * share[None, :]
    no_option = weight.sum(axis=1) == 0
    weight[no_option] = share[None, :] * ~(needs_car | needs_room)[None, :]
    still_none = weight.sum(axis=1) == 0
    weight[still_none] = share[None, :]
    cumulative = np.cumsum(weight, axis=1)
    cumulative /= cumulative[:, -1:]
    primary = (rng.random(n)[:, None] > cumulative).sum(axis=1).astype(np.int32)
    primary = np.minimum(primary, n_cat - 1)

    skill = np.zeros((n, n_cat), dtype=np.float32)
    skill[np.arange(n), primary] = rng.beta(rules.primary_skill_a, rules.primary_skill_b, n)
    second = rng.integers(0, n_cat, n)
    has_second = (rng.random(n) < pop.second_skill_share) & (second != primary)
    has_second &= allowed[np.arange(n), second]
    skill[np.flatnonzero(has_second), second[has_second]] = rng.beta(rules.second_skill_a, rules.second_skill_b,
                                                                     int(has_second.sum()))
    return primary, skill


def monthly_rounds(sc: Scenario) -> list[int]:
    """The days of the monthly rounds of a run (day % 30 == 29, from the burn-in's first day to the last day)."""
    return [d for d in range(-sc.burn_in_days, sc.days) if d % 30 == 29]


def arrivals_per_round(sc: Scenario) -> int:
    """People who arrive in (and leave) the pool of potential workers at each monthly round: rate × workers."""
    return int(round(sc.population.pool_renewal_rate * sc.population.workers))


def arrival_days(sc: Scenario) -> np.ndarray:
    """(rows,) the day each row's person joins the pool: the first simulated day for the scenario's `workers`,
    then `arrivals_per_round` people at each monthly round, in row order."""
    k, rounds = arrivals_per_round(sc), monthly_rounds(sc)
    first = np.full(sc.population.workers, -sc.burn_in_days, dtype=np.int32)
    return np.concatenate([first, np.repeat(np.asarray(rounds, dtype=np.int32), k)]).astype(np.int32)


def in_pool(w: Workers, day: int) -> np.ndarray:
    """Bool (N): people in the pool of potential workers on `day` (arrived and not gone)."""
    return (w.pool_day <= day) & (w.pool_exit_day == NO_DAY)


def renew_pool(model) -> tuple[np.ndarray, np.ndarray]:
    """Life-course turnover of the pool (monthly): as many non-participants leave it as fresh people arrive.

    The people scheduled to arrive today (`arrival_days`, drawn at the start from the scenario's distributions)
    join; the same number of people in the pool who are neither active nor retraining (out or left), drawn
    uniformly, leave it for good (their rows stay, `pool_exit_day` set). If fewer are eligible, all of them leave.
    Returns (arrived, departed) row indices.
    """
    w = model.workers
    arrived = np.flatnonzero(w.pool_day == model.day)
    if arrived.size == 0:
        return arrived, arrived
    out_of_gig_work = (w.status == OUT) | (w.status == LEFT)
    eligible = np.flatnonzero(in_pool(w, model.day) & out_of_gig_work & (w.pool_day < model.day))
    departed = np.sort(model.rng.choice(eligible, size=min(arrived.size, eligible.size), replace=False))
    w.pool_exit_day[departed] = model.day
    return arrived, departed


def draw_listings(single_share: float, mean_listings: float, has_room: np.ndarray,
                  rng: np.random.Generator) -> np.ndarray:
    """Listings per worker (int16): 1, except hosts (workers with a room) who are multi-listing hosts with
    probability 1 − `single_share`: they have 1 + a geometric number ≥ 1 of listings, whose mean makes the hosts'
    mean `mean_listings` (docs/model.md 7.9; LearnAirbnb/Everbooked 2016: 80% of hosts have one listing, 430,000
    listings over 250,000 hosts). The geometric shape is set by hand (the source gives no distribution).
    No draw when every host has one listing (`single_share` 1), so such a world draws what it drew before."""
    listings = np.ones(has_room.size, dtype=np.int16)
    if single_share >= 1.0:
        return listings
    multi = has_room & (rng.random(has_room.size) >= single_share)
    beyond_first = (mean_listings - 1.0) / (1.0 - single_share)  # a multi-listing host's mean listings beyond one
    listings[multi] += rng.geometric(1.0 / beyond_first, int(multi.sum())).astype(np.int16)
    return listings


KIND_TYPES = (ListingType.OWN_HOME, ListingType.PRIVATE_ROOM, ListingType.SHARED_ROOM)
"""The listing type of each of `population.listing_type_shares`' kinds (entire home, private room, shared room),
before an entire home is told apart as a dedicated unit or her own home."""


def draw_listing_types(shares, dedicated_share: float, has_room: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each worker's listing type (int8, a ListingType; docs/model.md 7.9): a host's listings are of one kind, drawn
    with `shares` (entire home, private room, shared room), and an entire home is a dedicated unit (a dwelling she
    does not live in, whose letting forgoes a long-term tenant) with probability `dedicated_share`, else her own
    home let while she is away. NONE for workers without a room.

    One uniform per worker decides both (inverse CDF: the kind is where it falls among the shares' cumulative sums,
    as `rng.choice` would draw it; an entire home is dedicated when it falls in the first `dedicated_share` of the
    entire-home interval), so the rest of the population's draws are those of a world without the split."""
    p = np.asarray(shares, dtype=np.float64) / sum(shares)
    cdf = np.cumsum(p)
    cdf /= cdf[-1]
    u = rng.random(has_room.size)
    types = np.asarray(KIND_TYPES, dtype=np.int8)[cdf.searchsorted(u, side="right")]
    types[(types == ListingType.OWN_HOME) & (u < p[0] * dedicated_share)] = ListingType.DEDICATED_UNIT
    return np.where(has_room, types, ListingType.NONE).astype(np.int8)


def listing_prices(types: np.ndarray, shares, prices) -> np.ndarray:
    """Each worker's listing price as a multiple of the category's price (float32): her type's nightly rate (an
    entire home's, dedicated or her own, is the first of `prices`) over the mean rate over listings (Σ share × rate),
    so the average listing costs the category's price (docs/model.md 7.9). 1 for workers without a room."""
    rates = np.asarray(prices, dtype=np.float64)
    factor = rates / float(np.dot(shares, rates))
    price = np.ones(types.size, dtype=np.float32)
    for kind, listing_type in enumerate(KIND_TYPES):
        price[types == listing_type] = factor[kind]
    price[types == ListingType.DEDICATED_UNIT] = factor[0]
    return price


RETRAINED_SKILL = 0.5
"""Skill a finished course gives in its category: the one owner of the value, read by the course's completion
(decisions.daily_upskilling_completions) and by the pool's drawn past moves (`draw_past_moves`). It lives here, not
beside upskilling.SKILLED, because upskilling imports household, which imports this module."""


def draw_past_moves(sc: Scenario, rng: np.random.Generator, category: np.ndarray, skill: np.ndarray,
                    has_car: np.ndarray, has_room: np.ndarray, status: np.ndarray) -> None:
    """The pool at the start has a past: people drawn in one category who have since moved to another (in place).

    For each `population.past_moves` entry in order, each of the first N people (the pool at the start; later
    arrivals are fresh) who is active or a former participant at the start (only people in gig work retrain or
    switch; `draw_past_spells` comes first) and still in `origin` and has `target`'s asset moves to `target` with
    probability `share`, with
    the skill a course gives there (`RETRAINED_SKILL`) if she had less — the stationary result of retraining and
    distress switches, which move people one way and which pool renewal balances only over years (docs/model.md 5,
    "Steady state"). Nothing is drawn without the table, so such a world draws what it drew before.
    """
    moves = sc.population.past_moves
    if not moves:
        return
    cats = sc.active_categories
    starters = (np.arange(category.size) < sc.population.workers) & ((status == ACTIVE) | (status == LEFT))
    able = {None: np.ones(category.size, dtype=bool), "car": has_car, "room": has_room}
    for move in moves:
        if move.origin not in cats or move.target not in cats:
            continue
        origin, target = cats.index(move.origin), cats.index(move.target)
        eligible = starters & (category == origin) & able[sc.categories[move.target].asset]
        moved = eligible & (rng.random(category.size) < move.share)
        category[moved] = target
        skill[moved, target] = np.maximum(skill[moved, target], RETRAINED_SKILL)


PAST_SPELL_DAYS = 90
"""A former participant's past spell lasted 90 days: the median spell of the people who had left on day 0 of a
2,160-day burn-in of the baseline (4,000 workers, seeds 11-13); it dates her entry only (set, not drawn)."""


def draw_past_spells(sc: Scenario, rng: np.random.Generator, status: np.ndarray, reservation: np.ndarray,
                     autonomy: np.ndarray, hours: np.ndarray,
                     past_days: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Former participants in the pool at the start (`population.past_spells`): the state of people who left.

    Each of the first N people who is out at the start has left gig work before with probability `share`; she
    remembers her last spell's net hourly earnings as reservation wage − autonomy value + G, G drawn from the
    quantiles `gap_quantiles` (linear between them, the end values beyond), as trailing earnings over her usual hours
    (decisions.expected_hourly reads them as the memory of people who left). She left `past_days` before the first
    simulated day (exit reason PAST: her exit is drawn, not simulated, so it is not one of the run's exits), after a
    spell of `PAST_SPELL_DAYS` (entry_day, exit_day). That spell is not part of the run: `drawn_past` is set and
    first_entry_day stays NO_DAY until she enters in the run, so a policy's panel counts her as an incumbent only if
    she was in gig work in the run before the policy (welfare.panel_members), while the measures of first entries
    read her as a returner (`drawn_past`). Returns the former participants' rows and their values of the Workers
    fields to set, by field (status changed in place); no rows without the table, when nothing is drawn.
    """
    spells = sc.population.past_spells
    if spells is None:
        return np.empty(0, dtype=np.int64), {}
    n = status.size
    left = (np.arange(n) < sc.population.workers) & (status == OUT) & (rng.random(n) < spells.share)
    probs = (np.arange(len(spells.gap_quantiles)) + 0.5) / len(spells.gap_quantiles)
    gap = np.interp(rng.random(n), probs, spells.gap_quantiles)
    status[left] = LEFT
    exit_day = -sc.burn_in_days - past_days[left]
    gap, hours = gap[left], hours[left]
    return np.flatnonzero(left), {"exit_day": exit_day, "entry_day": exit_day - PAST_SPELL_DAYS,
            "drawn_past": np.ones(gap.size, dtype=bool), "ema_logged": hours,
            "ema_net": hours * (reservation[left] - autonomy[left] + gap),
            "exit_reason": np.full(gap.size, ExitReason.PAST, dtype=np.int8)}


def draw_workers(sc: Scenario, rng: np.random.Generator) -> Workers:
    """Draw every person the run will see: the scenario's N workers, then the pool's arrivals in order of arrival
    (`arrival_days`): skills, assets, region, hours, outside option, autonomy value, savings, status."""
    pop, rules = sc.population, sc.rules.workers
    pool_day = arrival_days(sc)
    n, n_plat = pool_day.size, len(sc.active_platforms)

    profiles = pop.region_profiles
    region = draw_regions(profiles, pop.regions, "worker", n, rng)
    cohort = rng.choice(3, size=n, p=np.asarray(pop.age_shares) / sum(pop.age_shares)).astype(np.int8)
    has_car = rng.random(n) < by_region(profiles, "car_share", region, pop.car_share)
    has_room = rng.random(n) < by_region(profiles, "room_share", region, pop.room_share)

    primary, skill = _draw_skills(sc, rng, has_car, has_room)

    full_time = rng.random(n) < pop.full_time_share
    side_hours = rng.gamma(rules.side_hours_shape, pop.hours_side / rules.side_hours_shape, n)
    spread = rules.full_time_hours_low + rules.full_time_hours_range * rng.random(n)
    hours_available = np.where(full_time, pop.hours_full_time * spread, side_hours)
    hours_available = np.clip(hours_available, rules.hours_min, rules.hours_max).astype(np.float32)

    # A region's outside option, living costs and other income scale the population's (regions.py; 1 without profiles).
    reservation = pop.reservation_wage * by_region(profiles, "reservation_wage_factor", region, 1.0) * np.exp(
        pop.reservation_wage_dispersion * rng.standard_normal(n) - pop.reservation_wage_dispersion**2 / 2)
    autonomy = np.asarray(pop.autonomy_value, dtype=np.float32)[cohort] * (rules.autonomy_low + rng.random(n))
    living = (pop.living_costs * by_region(profiles, "living_costs_factor", region, 1.0)
              * _lognormal(rng, rules.living_costs_dispersion, n)).astype(np.float32)
    other_income = np.where(full_time, pop.other_income_full_time, pop.other_income_side)
    other_income = other_income * by_region(profiles, "other_income_factor", region, 1.0)
    other_income = (other_income * _lognormal(rng, rules.other_income_dispersion, n)).astype(np.float32)
    savings = living * pop.initial_savings_months * rng.exponential(1.0, n)
    insured = rng.random(n) < pop.insured_share
    # only the first N (the pool at the start) may be active at the start; later arrivals start out
    status = np.where((rng.random(n) < pop.initial_participation) & (np.arange(n) < pop.workers), ACTIVE,
                      OUT).astype(np.int8)
    # Workers already active at the start (day −burn_in_days, the first simulated day) entered earlier: a tenure
    # spread over the past two years before it (not before day 0, which would date a burn-in exit before the entry).
    past_entry = (-sc.burn_in_days - rng.integers(1, rules.past_tenure_days, n)).astype(np.int32)

    listings = draw_listings(pop.single_listing_share, pop.listings_per_host, has_room, rng)
    listing_type = draw_listing_types(pop.listing_type_shares, pop.dedicated_unit_share, has_room, rng)
    listing_price = listing_prices(listing_type, pop.listing_type_shares, pop.listing_type_prices)
    room_start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(listings, out=room_start[1:])
    past_rows, past = draw_past_spells(sc, rng, status, reservation, autonomy, hours_available, -sc.burn_in_days - past_entry)
    draw_past_moves(sc, rng, primary, skill, has_car, has_room, status)
    # Every listing (and so every host) is free from the first simulated day, the burn-in's first when there is
    # one: a free day of 0 would keep hosts from taking any stay during the burn-in (day < 0).
    first_day = -sc.burn_in_days

    workers = Workers(
        region=region, cohort=cohort, skill=skill, category=primary, has_car=has_car, has_room=has_room,
        full_time=full_time, hours_base=hours_available.copy(), hours_month=hours_available.copy(),
        hours_available=hours_available, hours_offered=hours_available.copy(),
        reservation_wage=reservation.astype(np.float32), autonomy_value=autonomy.astype(np.float32),
        savings=savings.astype(np.float64), living_costs=living, other_income=other_income, insured=insured,
        member=np.zeros((n, n_plat), dtype=bool), employer=empty(n, np.int32, -1),
        rating_sum=np.zeros((n, n_plat), dtype=np.float32), rating_count=np.zeros((n, n_plat), dtype=np.int32),
        status=status, first_entry_day=np.where(status == ACTIVE, past_entry, NO_DAY).astype(np.int32),
        entry_day=np.where(status == ACTIVE, past_entry, NO_DAY).astype(np.int32), exit_day=empty(n, np.int32, NO_DAY),
        ask=np.ones(n, dtype=np.float32), backlog=empty(n, np.float32), asset_free_day=empty(n, np.int32, first_day),
        listings=listings, room_start=room_start, listing_type=listing_type, listing_price=listing_price,
        room_free_day=empty(int(room_start[-1]), np.int32, first_day),
        upskill_target=empty(n, np.int32, -1), upskill_done_day=empty(n, np.int32, -1),
        benefit_eligible=empty(n, bool, False),
        day_pay=empty(n, np.float64), day_costs=empty(n, np.float64), day_task_hours=empty(n, np.float32),
        day_engaged_hours=empty(n, np.float32), day_worked_hours=empty(n, np.float32), day_tasks=empty(n, np.int32),
        ema_net=empty(n, np.float32), ema_logged=empty(n, np.float32), usual_net=empty(n, np.float32),
        usual_logged=empty(n, np.float32),
        week_applications=empty(n, np.int32), week_wins=empty(n, np.int32), week_logged=empty(n, np.float32),
        week_engaged=empty(n, np.float32), month_net=empty(n, np.float64), month_tasks=empty(n, np.int32),
        month_history=np.full((n, HISTORY_MONTHS), np.nan, dtype=np.float32), lifetime_tasks=empty(n, np.int32),
        exit_reason=empty(n, np.int8, NOT_LEFT), hours_history=np.zeros((n, HOURS_HISTORY_WEEKS), dtype=np.float32),
        pool_day=pool_day, pool_exit_day=empty(n, np.int32, NO_DAY), income_factor=np.ones(n, dtype=np.float32),
        months_paused=empty(n, np.int16), match_learned=empty(n, bool, False),
        match_value=attachment.draw_matches(rng, n, sc.labour_supply.match_dispersion), drawn_past=empty(n, bool, False),
    )
    for name, values in past.items():  # former participants' past spell (draw_past_spells)
        getattr(workers, name)[past_rows] = values
    learn_past_matches(workers, past_rows)
    return workers


def learn_past_matches(workers: Workers, rows: np.ndarray) -> None:
    """Former participants drawn with a past spell (`rows`) learned their match in it (attachment): it is part of
    their autonomy value from the start. Their drawn gap G is the whole gap they remember (net hourly + autonomy
    value − reservation wage, the learned match included, as benchmarks/initial_past.py measures `gap_quantiles`),
    so their remembered net earnings (`ema_net`, per trailing logged hour) are lower by the match: a good match who
    left earned little, a bad one left although she earned well. Nothing changes when the match is 0 (off)."""
    attachment.learn(workers, rows)
    workers.ema_net[rows] -= workers.ema_logged[rows] * workers.match_value[rows]


def draw_clients(sc: Scenario, rng: np.random.Generator) -> tuple[Clients, Streams]:
    """Draw M clients and their demand streams (client × category with a Poisson rate per day)."""
    pop, rules = sc.population, sc.rules.clients
    cats = sc.active_categories
    m, n_cat = pop.clients, len(cats)
    specs = [sc.categories[c] for c in cats]
    region = draw_regions(pop.region_profiles, pop.regions, "client", m, rng)
    business = rng.random(m) < pop.business_client_share
    adoption = rng.beta(2.0, 2.0 * (1 - pop.ai_adoption) / max(pop.ai_adoption, 1e-6) + 1e-6, m)
    adoption = np.where(business, np.minimum(1.0, adoption * rules.business_ai_uplift), adoption).astype(np.float32)
    wtp = (pop.willingness_to_pay * np.exp(0.2 * rng.standard_normal(m) - 0.02)).astype(np.float32)

    uses = np.zeros((m, n_cat), dtype=bool)
    for c, spec in enumerate(specs):
        # Online work is bought mostly by businesses, local services mostly by consumers.
        tilt = (np.where(business, rules.online_business_tilt, rules.online_consumer_tilt) if spec.kind == "online"
                else np.where(business, rules.local_business_tilt, rules.local_consumer_tilt))
        uses[:, c] = rng.random(m) < np.minimum(1.0, spec.client_share * tilt)
    client_idx, cat_idx = np.nonzero(uses)
    base = np.array([s.demand_per_client for s in specs], dtype=np.float64)
    # demand_per_client is the mean rate among the clients who buy the category; a client's own
    # rate varies (gamma, mean 1), so a few clients post much of the work.
    rate = base[cat_idx] * rng.gamma(rules.demand_concentration, 1 / rules.demand_concentration, client_idx.size)
    streams = Streams(
        client=client_idx.astype(np.int32), category=cat_idx.astype(np.int32), rate=rate.astype(np.float32),
        favourite=empty(client_idx.size, np.int32, -1), tie_strength=empty(client_idx.size, np.int32),
    )
    clients = Clients(region=region, business=business, ai_adoption=adoption, wtp=wtp,
                      platform=np.full((m, n_cat), -1, dtype=np.int32))
    return clients, streams


PROCESS_BASE_BYTES = 380_000_000
"""Peak resident memory of a gigsim run of a tiny world (bytes): Python, numpy, polars, numba and the compiled
kernels. Measured: 380 MB for 1,000 workers; the fitted intercept of the runs below is 379 MB."""

MONTHLY_TEMPORARIES = 380
"""Bytes per worker of the monthly round's temporaries alive at the peak (expected earnings, gaps, draws, reasons,
this month's reservation wage: about 45 arrays of 8 bytes a worker). Measured, not derived: the peak grows by 1,433
bytes a worker between 50,000 and 200,000 workers against 1,052 for the estimate without this term (session 7;
the term had been missing since the monthly rules of sessions 5-6, when the estimate ran 1.33x under the peak)."""

BYTES_PER_DAILY_TASK = 460
"""Bytes per task of the busiest day (the day's task arrays and their temporaries)."""


def estimate_memory_bytes(sc: Scenario, agents: bool = False) -> int:
    """Peak resident bytes of a process running this world: the process base, worker and client rows,
    both networks, the busiest day's tasks, and (`agents=True`, as the UI builds them) one Mesa agent each.

    Checked against measured peaks (tests/test_memory.py's measure: VmHWM above a warmed-up process over a run
    with the baseline's 180-day burn-in and 10 days; 30 Nov 2026, session 7): 50,000 workers 72.0 MB (estimate
    71.6), 100,000: 143.0 MB (143.2), 200,000: 287.0 MB (286.4). Within 25% is tested (tests/test_memory.py).
    """
    from gigsim.scenario import peak_daily_tasks

    n, m = arrival_days(sc).size, sc.population.clients  # every row: the pool at the start and its arrivals
    n_cat, n_plat = len(sc.active_categories), len(sc.active_platforms)
    # 206: 200 + this month's income factor and months paused; + 38 + 5 per platform: the worker panels' weekly sums
    # and first task day (gigsim.model.panels) and the worker table's per-platform membership and ratings columns
    worker_row = 206 + n_cat * 4 + n_plat * 9 + HISTORY_MONTHS * 4 + 38 + n_plat * 5 + MONTHLY_TEMPORARIES
    network = (sc.network.mean_degree * 12 + 16) * n + (sc.network.client_mean_degree * 12 + 16) * m
    client_row = 40 + n_cat * 4 + n_cat * 30
    tasks = BYTES_PER_DAILY_TASK * peak_daily_tasks(sc)[0]
    agent_bytes = 450 * (n + m) if agents else 0
    return int(PROCESS_BASE_BYTES + n * worker_row + m * client_row + network + tasks + agent_bytes)


def leave(model, who: np.ndarray, reason) -> None:
    """Workers in `who` leave gig work today: status LEFT, exit day today, exit reason `reason` (an ExitReason, or
    an (N) array of reasons read at `who`); they drop their platforms, employer and committed work (backlog), and
    the day's exits count them."""
    w = model.workers
    w.status[who] = LEFT
    w.exit_day[who] = model.day
    w.exit_reason[who] = reason[who] if np.ndim(reason) else reason
    w.member[who] = False
    w.employer[who] = -1
    w.backlog[who] = 0.0
    model.ledger.day.exits += who.size
