"""Matching rounds (docs/model.md §3 step 5, §7.5).

In each round every worker with spare hours applies to open tasks, each chosen uniformly among
the open tasks of her market (category, and region for local work) on the platforms she belongs
to; each task then takes one of its applicants by its platform's rule. With one round and one
platform this is the urn-ball process, whose expected fills are T·(1 − (1 − 1/T)^W). Rounds
repeat until no task is filled or the platform's `matching_rounds` are used up.

Rules for choosing among applicants (`Matching`):
- RANDOM: uniformly at random;
- NEAREST: the applicant closest to the task (distance ~ U(0,1) per application;
  pickup time = 2 × distance × the market's mean pickup hours);
- REPUTATION: highest Bayesian rating (+ newcomer boost), ties at random; on platforms taking bids, the
  applicant whose worth to the client (budget × rating / prior mean) most exceeds her asking price, and
  nobody if every applicant asks more than she is worth (`bid_surplus`);
- CHEAPEST: lowest asking price (worker-set prices), ties at random.

A worker's hours over a task depend on her skill (`worker_task_hours`); on bids platforms her ask is a rate per
hour (a multiple of the category's base price per median worker's task), so her bid for a task is
ask × base price × price multiplier × her hours / the median worker's (`bid_price`).

The market's mean pickup hours are the category's `pickup_hours`, or, where the category sets `pickup_max_hours`,
they rise as the idle driver-hours per open request fall (`density_pickup`, the wild goose chase).

The rounds run on a `CandidatePool`, a compact copy of the candidates' rows.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from gigsim.model.kernels.rooms import book_listing, free_listings
from gigsim.model.vocabulary import Fate, Matching, Pricing, Status


@njit(cache=True)
def market_key(platform, category, region, n_categories, n_regions):
    """The index of a (platform, category, region) market."""
    return (platform * n_categories + category) * n_regions + region


@njit(cache=True)
def open_task_index(tasks, n_keys, n_categories, n_regions):
    """Group open tasks by market key (counting sort): offsets (K+1) and task ids."""
    fate = tasks.fate
    counts = np.zeros(n_keys + 1, np.int64)
    for t in range(fate.size):
        if fate[t] == Fate.OPEN:
            counts[market_key(tasks.platform[t], tasks.category[t], tasks.region[t], n_categories, n_regions) + 1] += 1
    offsets = np.cumsum(counts)
    order = np.empty(offsets[-1], np.int64)
    fill = offsets[:-1].copy()
    for t in range(fate.size):
        if fate[t] == Fate.OPEN:
            k = market_key(tasks.platform[t], tasks.category[t], tasks.region[t], n_categories, n_regions)
            order[fill[k]] = t
            fill[k] += 1
    return offsets, order


@njit(cache=True)
def expire_and_index(tasks, rounds, round_no, n_keys, n_categories, n_regions):
    """Start of round `round_no`: open tasks whose platform's rounds are used up become UNFILLED;
    the rest are grouped by market key (counting sort): offsets (K+1) and task ids."""
    for t in range(tasks.fate.size):
        if tasks.fate[t] == Fate.OPEN and rounds[tasks.platform[t]] <= round_no:
            tasks.fate[t] = Fate.UNFILLED
    return open_task_index(tasks, n_keys, n_categories, n_regions)


@njit(cache=True)
def matching_candidates(status, hours_left):
    """The active workers with hours left today (the first round's candidates), ascending."""
    n = status.size
    candidates = np.empty(n, np.int64)
    k = 0
    for i in range(n):
        if status[i] == Status.ACTIVE and hours_left[i] > 0:
            candidates[k] = i
            k += 1
    return candidates[:k]


@njit(cache=True, inline="always")
def worker_task_hours(task_hours, slope, centre, skill):
    """Hours a worker of skill `skill` (0..1) takes over a task of a category whose median worker takes
    `task_hours` (§7.5): task_hours × exp(−slope × (skill − centre)); task_hours itself where slope = 0."""
    if slope == 0.0:
        return task_hours
    return task_hours * np.exp(-slope * (skill - centre))


@njit(cache=True, inline="always")
def bid_price(ask, base_price, price_multiplier, hours, task_hours):
    """A worker's bid for a task on a bids platform (§7.2), currency: her ask (a rate per hour, as a multiple of
    the base price per median worker's task) × base price × platform multiplier × her hours / the median's."""
    return ask * base_price * price_multiplier * (hours / task_hours)


@njit(cache=True)
def can_take(hours_left, fresh, asset_free_day, task_hours, asset_days, day):
    """A worker can take a task if she has the hours (or no work yet today) and, for bookings, a free asset.

    Scalars only (the worker's row and the category's values): passing arrays to a helper
    costs reference counting on every call, several times the check itself.
    """
    if hours_left <= 0.0:
        return False
    if not fresh and hours_left < task_hours:
        return False
    if asset_days > 0 and asset_free_day > day:
        return False
    return True


class CandidatePool(NamedTuple):
    """The matching rounds' compact copy of the candidates' rows: row j is worker `workers[j]` (ascending).

    Rounds read these dense rows instead of rows scattered over the whole population; `scatter` writes
    the rows' hours, assets and counts back and turns the rows the rounds put in `tasks.worker` into workers.
    """

    workers: np.ndarray         # int64 (n): the worker of each row, ascending
    category: np.ndarray
    market_region: np.ndarray   # int32: the worker's region for local work, 0 online
    member: np.ndarray          # bool (n, P)
    ask: np.ndarray
    rating_sum: np.ndarray
    rating_count: np.ndarray
    hours_left: np.ndarray
    task_hours: np.ndarray      # float64 (n): the hours a task of her category takes her (her skill's)
    fresh: np.ndarray
    asset_free_day: np.ndarray
    applications: np.ndarray    # int32 (n): today's applications in the rounds, from 0
    wins: np.ndarray            # int32 (n): wins in the rounds, from 0
    free_listings: np.ndarray   # int32 (n): her listings free today (1 outside home-sharing); kernels/rooms.py
    room_start: np.ndarray      # int64 (N + 1), the population's (not rows of the pool): each worker's listings
    room_free_day: np.ndarray   # int32 (Σ listings), the population's: first day each listing is free again

    @classmethod
    def gather(cls, workers, rows, category_local, capacity, params) -> CandidatePool:
        """The rows of `workers` from the state `rows` (gigsim.model.state.Workers), today's `capacity` and
        today's `params` (the hours a task of her category takes each)."""
        n, n_platforms = workers.size, rows.member.shape[1]
        # narrower copies where the values allow (fewer bytes per row; every value is the same)
        pool = cls(workers, np.empty(n, rows.category.dtype), np.empty(n, np.int32),
                   np.empty((n, n_platforms), rows.member.dtype), np.empty(n, rows.ask.dtype),
                   np.empty((n, n_platforms), rows.rating_sum.dtype),
                   np.empty((n, n_platforms), rows.rating_count.dtype), np.empty(n, capacity.hours_left.dtype),
                   np.empty(n), np.empty(n, capacity.fresh.dtype), np.empty(n, capacity.asset_free_day.dtype),
                   np.zeros(n, np.int32), np.zeros(n, np.int32), np.ones(n, np.int32), capacity.room_start,
                   capacity.room_free_day)
        _gather_rows(workers, rows.category, rows.region, category_local, rows.member, rows.ask, rows.rating_sum,
                     rows.rating_count, rows.skill, capacity, params, pool)
        return pool

    def scatter(self, tasks, capacity, applications) -> None:
        """Write the pool's rows back: hours, freshness and assets into `capacity`, counts added to
        `capacity.wins` and `applications`; the rows in `tasks.worker` become workers."""
        _scatter_rows(self, tasks.fate, tasks.worker, capacity, applications)


@njit(cache=True)
def _gather_rows(workers, category, region, category_local, member, ask, rating_sum, rating_count, skill, capacity,
                 params, pool):
    for j in range(workers.size):
        w = workers[j]
        pool.category[j] = category[w]
        c = max(category[w], 0)
        pool.task_hours[j] = worker_task_hours(params.task_hours[c], params.hours_slope[c], params.skill_centre[c],
                                               skill[w, c])
        pool.market_region[j] = region[w] if category_local[max(category[w], 0)] else 0
        for p in range(member.shape[1]):
            pool.member[j, p] = member[w, p]
            pool.rating_sum[j, p] = rating_sum[w, p]
            pool.rating_count[j, p] = rating_count[w, p]
        pool.ask[j] = ask[w]
        pool.hours_left[j] = capacity.hours_left[w]
        pool.fresh[j] = capacity.fresh[w]
        pool.asset_free_day[j] = capacity.asset_free_day[w]
        if params.asset_days[c] > 0:
            pool.free_listings[j] = free_listings(capacity.room_start, capacity.room_free_day, w, params.day)


@njit(cache=True)
def _scatter_rows(pool, t_fate, t_worker, capacity, applications):
    workers = pool.workers
    for t in range(t_fate.size):
        if t_fate[t] == Fate.FILLED:
            t_worker[t] = workers[t_worker[t]]
    for j in range(workers.size):
        w = workers[j]
        capacity.hours_left[w] = pool.hours_left[j]
        capacity.fresh[w] = pool.fresh[j]
        capacity.asset_free_day[w] = pool.asset_free_day[j]
        applications[w] += pool.applications[j]
        capacity.wins[w] += pool.wins[j]


@njit(cache=True, inline="always")
def displayed_score(rating_sum, rating_count, prior_mean, prior_weight, newcomer_tasks, newcomer_boost):
    """The rating a platform shows (§7.5): Bayesian mean (prior_mean × prior_weight + Σ ratings) / (prior_weight
    + count), plus the newcomer boost while she has fewer than `newcomer_tasks` ratings (1..5 scale)."""
    score = (prior_mean * prior_weight + rating_sum) / (prior_weight + rating_count)
    if rating_count < newcomer_tasks:
        score += newcomer_boost
    return score


@njit(cache=True, inline="always")
def bid_surplus(budget, price, score, prior_mean, by_rating):
    """The client's surplus from an applicant's bid on a bids platform (§7.5), currency.

    The budget is the client's reservation price for the work of a worker rated at the platform's prior mean
    (what it expects from an unknown worker when it posts). Where the platform ranks by reputation
    (`by_rating`), an applicant rated `score` is worth budget × score / prior_mean to it, so the client trades
    rating against price; elsewhere every applicant is worth the budget. Surplus = worth − price; an applicant
    with negative surplus is not hired (the client keeps its outside option), nor is one asking more than the
    budget, the most the client can spend (returned as −1).
    """
    if price > budget:
        return -1.0
    worth = budget * score / prior_mean if by_rating else budget
    return worth - price


# Schaller (The New Automobility, 2018; schallerconsult.com/rideservices/favfact5.htm): "63 percent of mileage being
# with passengers and 37 percent between trips" (idle cruising plus the drive to the pickup), Uber and Lyft.
BETWEEN_TRIPS_PER_PASSENGER = 0.37 / 0.63


@njit(cache=True)
def density_pickup(pickup_ref, pickup_max, trip_hours, supply_hours, requests):
    """A market's mean pickup hours when it thins with idle drivers (§7.5, "Pickup and the density of idle drivers").

    In a plane the nearest of the idle drivers lies at a distance ∝ 1/√(their density); the market's area scales
    with its demand, so the pickup p goes as √(reference idle hours / idle hours per request), where idle hours
    per request = supply_hours / requests − trip_hours − p (the drivers' hours left over the open requests, less
    each request's ride and pickup). The reference idle hours, at which p = pickup_ref, are Schaller's between-trip
    hours per ride less the pickup: (0.37 / 0.63) × trip_hours − pickup_ref. p solves p² (spare − p) = pickup_ref² ×
    reference, spare = supply_hours / requests − trip_hours; the smaller root (the dispatch's efficient
    equilibrium); with no root (too few idle drivers: Castillo, Knoepfle & Weyl's wild goose chase) or beyond it,
    `pickup_max`. Returns pickup_ref where the rule is off (pickup_max = 0) or no request is open.
    """
    idle_ref = BETWEEN_TRIPS_PER_PASSENGER * trip_hours - pickup_ref
    if pickup_max <= 0.0 or pickup_ref <= 0.0 or idle_ref <= 0.0 or requests <= 0:
        return pickup_ref
    spare = supply_hours / requests - trip_hours
    need = pickup_ref * pickup_ref * idle_ref
    if spare <= 0.0 or 4.0 * spare ** 3 / 27.0 < need:
        return pickup_max
    lo, hi = 0.0, 2.0 * spare / 3.0  # p² (spare − p) rises on [0, 2 spare / 3]
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if mid * mid * (spare - mid) < need:
            lo = mid
        else:
            hi = mid
    return min(hi, pickup_max)


@njit(cache=True)
def market_pickups(applicants, pool, offsets, params):
    """Each market's mean pickup hours this round (§7.5): `density_pickup` over the hours left of the round's
    applicants who can serve it (her category and region, a member of its platform) and its open requests;
    the category's `pickup_hours` where its `pickup_max` is 0."""
    n_categories, n_regions = params.n_categories, params.n_regions
    n_keys = offsets.size - 1
    supply = np.zeros(n_keys)
    for i in range(applicants.size):
        w = applicants[i]
        c = pool.category[w]
        if params.pickup_max[c] <= 0.0:
            continue
        for p in range(pool.member.shape[1]):
            if pool.member[w, p]:
                supply[market_key(p, c, pool.market_region[w], n_categories, n_regions)] += pool.hours_left[w]
    pickup = np.empty(n_keys)
    for k in range(n_keys):
        c = (k // n_regions) % n_categories
        pickup[k] = density_pickup(params.pickup_hours[c], params.pickup_max[c], params.task_hours[c], supply[k],
                                   offsets[k + 1] - offsets[k])
    return pickup


@njit(cache=True)
def ready_applicants(candidates, pool, params, offsets):
    """The candidates (pool rows) who can apply this round: spare capacity and an open task in their market."""
    out = np.empty(candidates.size, np.int64)
    n = 0
    n_platforms = pool.member.shape[1]
    asset_days, day = params.asset_days, params.day
    for i in range(candidates.size):
        w = candidates[i]
        c = pool.category[w]
        if c < 0 or not can_take(pool.hours_left[w], pool.fresh[w], pool.asset_free_day[w], pool.task_hours[w],
                                 asset_days[c], day):
            continue
        r = pool.market_region[w]
        for p in range(n_platforms):
            if pool.member[w, p]:
                k = market_key(p, c, r, params.n_categories, params.n_regions)
                if offsets[k + 1] > offsets[k]:
                    out[n] = w
                    n += 1
                    break
    return out[:n]


@njit(cache=True)
def match_round(applicants, rng, pool, offsets, order, tasks, won, params):
    """One round (§7.5): each applicant sends up to `applications_per_round` (of the task's platform)
    applications, each to an open task chosen uniformly; each task takes its best applicant by its
    platform's rule; a worker who wins several tasks in the round takes the first and the others stay
    open. Returns fills. Applicants are rows of `pool`; `tasks.worker` receives pool rows.

    `rng` is the model's numpy Generator: each application draws the task choice, then (if the client's
    budget admits the worker) the tie-break / distance draw, so a round makes only the draws it uses.
    The round's bookkeeping lives in one row per open task, in `order` (market by market): best key,
    its tie-break draw, best applicant and the client's budget. An application then touches one cache
    line instead of four arrays indexed by task id (what made large worlds slower per worker).
    """
    member, ask, rating_sum, rating_count = pool.member, pool.ask, pool.rating_sum, pool.rating_count
    rule, pricing, per_round = params.rule, params.pricing, params.applications_per_round
    n_categories, n_regions = params.n_categories, params.n_regions
    n_platforms = member.shape[1]
    n_open = order.size
    slot = np.empty((n_open, 4))  # best key, its draw, best applicant (-1: none), client's budget
    for pos in range(n_open):
        slot[pos, 2] = -1.0
        slot[pos, 3] = tasks.wtp[order[pos]]
    pickup = market_pickups(applicants, pool, offsets, params)  # the markets' mean pickup hours this round
    # 1. applications
    for i in range(applicants.size):
        w = applicants[i]
        c = pool.category[w]
        r = pool.market_region[w]
        # the open tasks she can see: her market on each of her platforms (inlined here: a helper
        # taking the arrays costs reference counting per call, more than the pick itself)
        total = 0
        most = 0  # the most applications any platform she can apply on allows (later ones are skipped anyway)
        listings = pool.free_listings[w]  # a host's free listings are each seen by guests (1 outside stays)
        for q in range(n_platforms):
            if member[w, q]:
                k = market_key(q, c, r, n_categories, n_regions)
                size = offsets[k + 1] - offsets[k]
                total += size
                if size > 0:
                    most = max(most, per_round[q] * listings)
        if total == 0:
            continue
        for a in range(most):
            # a task chosen uniformly among all open tasks she can see
            j = min(int(rng.random() * total), total - 1)
            pos = -1
            p = -1
            for q in range(n_platforms):
                if member[w, q]:
                    k = market_key(q, c, r, n_categories, n_regions)
                    size = offsets[k + 1] - offsets[k]
                    if j < size:
                        pos = offsets[k] + j
                        p = q
                        break
                    j -= size
            if a >= per_round[p] * listings:
                continue
            pool.applications[w] += 1
            score = 0.0
            if rule[p] == Matching.REPUTATION:
                score = displayed_score(rating_sum[w, p], rating_count[w, p], params.prior_mean[p],
                                        params.prior_weight[p], params.newcomer_tasks[p], params.newcomer_boost[p])
            surplus = 0.0
            bid = 0.0
            if pricing[p] == Pricing.BIDS:
                bid = bid_price(ask[w], params.base_price[c], params.price_multiplier[p], pool.task_hours[w],
                                params.task_hours[c])
                surplus = bid_surplus(slot[pos, 3], bid, score, params.prior_mean[p], rule[p] == Matching.REPUTATION)
                if surplus < 0.0:
                    continue  # not worth her asking price to this client
            u = rng.random()
            # 2. the platform's rule ranks the applicant (lowest key wins)
            if rule[p] == Matching.REPUTATION:
                # bids: the client takes the applicant worth most over her price (rating against price);
                # fixed prices: the best rated
                key = (-surplus if pricing[p] == Pricing.BIDS else -score) + 1e-6 * u
            elif rule[p] == Matching.CHEAPEST and pricing[p] == Pricing.BIDS:
                key = bid + 1e-6 * u  # the cheapest bid for the task (her ask × her hours)
            else:
                key = u
            if slot[pos, 2] < 0 or key < slot[pos, 0]:
                slot[pos, 0] = key
                slot[pos, 1] = u
                slot[pos, 2] = w
    # 3. each task takes its best applicant, unless she already took a task this round
    filled = 0
    for pos in range(n_open):
        w = int(slot[pos, 2])
        if w < 0:
            continue
        t = order[pos]
        c = pool.category[w]
        if won[w] and not (params.asset_days[c] > 0 and can_take(pool.hours_left[w], pool.fresh[w],
                                                                 pool.asset_free_day[w], pool.task_hours[w],
                                                                 params.asset_days[c], params.day)):
            continue  # she already took a task this round (a host: and has no free listing); it stays open
        won[w] = True
        filled += 1
        tasks.fate[t] = Fate.FILLED
        tasks.worker[t] = w
        mean_pickup = pickup[market_key(tasks.platform[t], c, tasks.region[t], n_categories, n_regions)]
        if rule[tasks.platform[t]] == Matching.NEAREST:
            tasks.pickup[t] = mean_pickup * 2.0 * slot[pos, 1]
        else:
            tasks.pickup[t] = mean_pickup
        tasks.hours[t] = pool.task_hours[w]
        pool.hours_left[w] -= pool.task_hours[w] + tasks.pickup[t]
        pool.fresh[w] = False
        if params.asset_days[c] > 0:
            pool.asset_free_day[w] = book_listing(pool.room_start, pool.room_free_day, pool.workers[w], params.day,
                                                  params.asset_days[c])
            pool.free_listings[w] -= 1
        pool.wins[w] += 1
    for idx in range(order.size):
        t = order[idx]
        if tasks.fate[t] == Fate.FILLED:
            won[tasks.worker[t]] = False
    return filled
