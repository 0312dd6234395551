"""Market clearing: posting tasks, AI take-up, direct re-hires, matching rounds, referrals, settlement.

A day's tasks live in a `Tasks` batch of arrays. Matching runs in rounds: in
each round every worker with spare hours applies to one open task chosen
uniformly among the tasks of her market (category, and region for local work)
on the platforms she belongs to; each task then takes one of its applicants by
its platform's rule. With one round and one platform this is the urn-ball
process, whose expected fills are T·(1 − (1 − 1/T)^W). Rounds repeat until no
task is filled or the platform's `matching_rounds` are used up.

Rules for choosing among applicants:
- random: uniformly at random;
- nearest: the applicant closest to the task (distance ~ U(0,1) per application;
  pickup time = 2 × distance × the category's mean pickup hours);
- reputation: highest Bayesian rating (+ newcomer boost), ties at random;
- cheapest: lowest asking price (worker-set prices), ties at random.

Kernels are plain loops under numba; every random number they use is drawn
from the model's `rng` by the caller and passed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

from gigsim.model.vocabulary import Fate, Flow, Matching, Pricing, Status


@dataclass
class Tasks:
    """One day's posted tasks (T rows)."""

    stream: np.ndarray    # int32
    client: np.ndarray    # int32
    category: np.ndarray  # int32
    platform: np.ndarray  # int32
    region: np.ndarray    # int32: market region (the client's for local work, 0 for online)
    price: np.ndarray     # float64: posted price (bids: the reference price until matched)
    wtp: np.ndarray       # float64: the most the client pays
    fate: np.ndarray      # int8: Fate (gigsim.model.vocabulary)
    worker: np.ndarray    # int32 (-1)
    pickup: np.ndarray    # float32: unpaid pickup hours of the match

    @property
    def size(self) -> int:
        return self.stream.size

    @classmethod
    def empty(cls) -> Tasks:
        i = np.empty(0, np.int32)
        return cls(i, i, i, i, i, np.empty(0), np.empty(0), np.empty(0, np.int8), i, np.empty(0, np.float32))


@dataclass
class MarketParams:
    """Today's market parameters, as arrays the kernels read."""

    n_categories: int
    n_regions: int
    n_platforms: int
    task_hours: np.ndarray        # float64 (C): worker hours per task today (after augmentation)
    pickup_hours: np.ndarray      # float64 (C): mean unpaid pickup hours per task
    asset_days: np.ndarray        # int64 (C): days a booking occupies the asset (0: none)
    local: np.ndarray             # bool (C): cleared per region
    base_price: np.ndarray        # float64 (C)
    cost_per_hour: np.ndarray     # float64 (C)
    rule: np.ndarray              # int64 (P)
    pricing: np.ndarray           # int64 (P)
    rounds: np.ndarray            # int64 (P)
    applications_per_round: np.ndarray  # int64 (P)
    price_multiplier: np.ndarray  # float64 (P)
    commission: np.ndarray        # float64 (P): effective (capped) commission
    nominal_commission: np.ndarray  # float64 (P): before any cap
    prior_mean: np.ndarray        # float64 (P): the rating an unrated worker is ranked at
    prior_weight: np.ndarray      # float64 (P)
    newcomer_boost: np.ndarray    # float64 (P)
    newcomer_tasks: np.ndarray    # int64 (P)
    pay_floor: float              # currency per engaged hour (0: off)
    contribution: float           # portable-benefit contribution per task (0: off)
    levy: float                   # cash-transfer levy, share of the price (0: off)
    rating_noise: float
    rehire_rating: float
    day: int
    automation_level: np.ndarray  # float64 (C): share of tasks AI may take today
    ai_cost: np.ndarray           # float64 (C): AI's cost per task today
    augmentation: np.ndarray      # float64 (C): proportional rise in tasks per hour from AI today


# --------------------------------------------------------------------------- memory


@intrinsic
def prefetch(typingctx, array, index):
    """Ask the CPU to start loading array[index] (1-D) into cache; no effect on results.

    Kernels that visit rows in an order unrelated to memory (a task's worker) issue it a few
    iterations ahead, so the loads of several rows overlap instead of each stalling in turn.
    """
    if not isinstance(array, types.Array) or array.ndim != 1 or not isinstance(index, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        array_type = signature.args[0]
        view = context.make_array(array_type)(context, builder, args[0])
        index = context.cast(builder, args[1], signature.args[1], types.intp)
        pointer = cgutils.get_item_pointer(context, builder, array_type, view, [index], wraparound=False)
        byte_pointer, i32 = ir.IntType(8).as_pointer(), ir.IntType(32)
        fn = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [byte_pointer, i32, i32, i32]), "llvm.prefetch.p0")
        # read (0), keep in all cache levels (3), data cache (1)
        builder.call(fn, [builder.bitcast(pointer, byte_pointer), i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return types.void(array, index), codegen


PREFETCH_AHEAD = 8
"""How many tasks ahead `settle` and `direct_hires` ask for a worker's rows (`direct_hires` asks for
the favourite itself twice as far ahead)."""


# --------------------------------------------------------------------------- matching


@njit(cache=True)
def _market_key(platform, category, region, n_categories, n_regions):
    return (platform * n_categories + category) * n_regions + region


@njit(cache=True)
def open_task_index(t_platform, t_category, t_region, t_fate, n_keys, n_categories, n_regions):
    """Group open tasks by market key (counting sort): offsets (K+1) and task ids."""
    counts = np.zeros(n_keys + 1, np.int64)
    for t in range(t_fate.size):
        if t_fate[t] == Fate.OPEN:
            counts[_market_key(t_platform[t], t_category[t], t_region[t], n_categories, n_regions) + 1] += 1
    offsets = np.cumsum(counts)
    order = np.empty(offsets[-1], np.int64)
    fill = offsets[:-1].copy()
    for t in range(t_fate.size):
        if t_fate[t] == Fate.OPEN:
            k = _market_key(t_platform[t], t_category[t], t_region[t], n_categories, n_regions)
            order[fill[k]] = t
            fill[k] += 1
    return offsets, order


@njit(cache=True)
def stream_rates(rate, s_category, s_client, client_region, multiplier, extra):
    """Today's Poisson rate of each demand stream: base rate × demand multiplier (category, client's
    region) × new-task uplift (category)."""
    lam = np.empty(rate.size, np.float64)
    for k in range(rate.size):
        c = s_category[k]
        lam[k] = rate[k] * multiplier[c, client_region[s_client[k]]] * extra[c]
    return lam


@njit(cache=True)
def expand_demand(counts, s_client, s_category, client_platform):
    """One task per Poisson draw, in stream order: (stream, client, category, platform) of the tasks whose
    client has a platform for the category, and the number of tasks that have none (unserved)."""
    total = 0
    for k in range(counts.size):
        total += counts[k]
    stream = np.empty(total, np.int32)
    client = np.empty(total, np.int32)
    category = np.empty(total, np.int32)
    platform = np.empty(total, np.int32)
    n = 0
    unserved = 0
    for k in range(counts.size):
        cl, c = s_client[k], s_category[k]
        p = client_platform[cl, c]
        if p < 0:
            unserved += counts[k]
            continue
        for _ in range(counts[k]):
            stream[n] = k
            client[n] = cl
            category[n] = c
            platform[n] = p
            n += 1
    return stream[:n], client[:n], category[:n], platform[:n], unserved


@njit(cache=True)
def price_tasks(stream, client, category, platform, client_region, client_wtp, local, base_price,
                price_multiplier, surge, pricing, u):
    """Price each demanded task (base × platform multiplier × surge of its market) and keep those the
    client posts: platforms taking bids always, else if the price is within the client's budget
    (base × wtp × (0.6 + 0.8u)). Returns the posted tasks' arrays (stream, client, category, platform,
    market region, price, budget)."""
    n = stream.size
    keep = np.empty(n, np.int64)
    region = np.empty(n, np.int32)
    price = np.empty(n, np.float64)
    wtp = np.empty(n, np.float64)
    k = 0
    for t in range(n):
        cl, c, p = client[t], category[t], platform[t]
        r = client_region[cl] if local[c] else 0
        pr = base_price[c] * price_multiplier[p] * surge[p, c, r]
        budget = base_price[c] * client_wtp[cl] * (0.6 + 0.8 * u[t])
        if pricing[p] == Pricing.BIDS or pr <= budget:
            keep[k] = t
            region[k] = r
            price[k] = pr
            wtp[k] = budget
            k += 1
    keep = keep[:k]
    return stream[keep], client[keep], category[keep], platform[keep], region[:k], price[:k], wtp[:k]


@njit(cache=True)
def expire_and_index(t_platform, t_category, t_region, t_fate, rounds, round_no, n_keys, n_categories, n_regions):
    """Start of round `round_no`: open tasks whose platform's rounds are used up become UNFILLED;
    the rest are grouped by market key (counting sort): offsets (K+1) and task ids."""
    for t in range(t_fate.size):
        if t_fate[t] == Fate.OPEN and rounds[t_platform[t]] <= round_no:
            t_fate[t] = Fate.UNFILLED
    return open_task_index(t_platform, t_category, t_region, t_fate, n_keys, n_categories, n_regions)


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


@njit(cache=True)
def begin_day(status, category, queue_days, hours_offered, backlog, day_pay, day_costs, day_task_hours,
              day_engaged_hours, day_tasks, hours_left, fresh):
    """Reset the day's flows; return hours left to offer today ((1 + queue_days of her category) × offered
    − backlog; 0 if not active) and whether each worker is fresh (active with no backlog: may take one task
    longer than her hours), written into `hours_left` (float64) and `fresh` (bool), every row (buffers
    reused day after day). `queue_days` has one entry per category plus a 0 for category −1 (none)."""
    n = status.size
    for i in range(n):
        day_pay[i] = 0.0
        day_costs[i] = 0.0
        day_task_hours[i] = 0.0
        day_engaged_hours[i] = 0.0
        day_tasks[i] = 0
        if status[i] == Status.ACTIVE:
            hours_left[i] = hours_offered[i] - backlog[i]  # float32 arithmetic, as the arrays are
            queue = queue_days[category[i]]
            if queue > 0.0:
                hours_left[i] += queue * hours_offered[i]
            fresh[i] = backlog[i] <= 0.0
        else:
            hours_left[i] = 0.0
            fresh[i] = False
    return hours_left, fresh


@njit(cache=True)
def end_of_day_work(status, hours_offered, backlog, day_engaged_hours, day_worked_hours, day_pay, day_costs,
                    day_tasks, ema_net, ema_logged, savings, month_net, month_tasks, week_logged, week_engaged,
                    ema_days):
    """Work the committed hours (backlog + today's engaged hours, at most the hours offered), carry the
    rest over, update the EMA_DAYS averages of net earnings and logged-in hours (active workers), savings
    and the weekly/monthly accumulators. Returns the hours offered today (0 if not active), float32."""
    n = status.size
    offered_today = np.empty(n, np.float32)
    decay = np.float32(1.0 - 1.0 / ema_days)
    days32 = np.float32(ema_days)
    for i in range(n):
        active = status[i] == Status.ACTIVE
        offered = hours_offered[i] if active else np.float32(0.0)
        committed = backlog[i] + day_engaged_hours[i]
        worked = min(committed, offered)
        day_worked_hours[i] = worked
        offered_today[i] = offered
        backlog[i] = committed - worked if active else np.float32(0.0)
        net = day_pay[i] - day_costs[i]
        if active:
            ema_net[i] = ema_net[i] * decay + net / ema_days
            ema_logged[i] = ema_logged[i] * decay + offered / days32
        savings[i] += net
        month_net[i] += net
        month_tasks[i] += day_tasks[i]
        week_logged[i] += offered
        week_engaged[i] += day_engaged_hours[i]
    return offered_today


@njit(cache=True)
def _can_take(hours_left, fresh, asset_free_day, task_hours, asset_days, day):
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


@njit(cache=True)
def ready_applicants(candidates, w_category, w_market_region, member, hours_left, fresh, asset_free_day,
                     task_hours, asset_days, day, offsets, n_categories, n_regions):
    """The candidates who can apply this round: spare capacity and an open task in their market."""
    out = np.empty(candidates.size, np.int64)
    n = 0
    n_platforms = member.shape[1]
    for i in range(candidates.size):
        w = candidates[i]
        c = w_category[w]
        if c < 0 or not _can_take(hours_left[w], fresh[w], asset_free_day[w], task_hours[c], asset_days[c], day):
            continue
        r = w_market_region[w]
        for p in range(n_platforms):
            if member[w, p]:
                k = _market_key(p, c, r, n_categories, n_regions)
                if offsets[k + 1] > offsets[k]:
                    out[n] = w
                    n += 1
                    break
    return out[:n]


@dataclass
class CandidatePool:
    """The matching rounds' compact copy of the candidates' rows: row j is worker `workers[j]` (ascending).

    Rounds read these dense rows instead of rows scattered over the whole population; `scatter` writes
    the rows' hours, assets and counts back and turns the rows the rounds put in `t_worker` into workers.
    """

    workers: np.ndarray         # int64 (n): the worker of each row, ascending
    category: np.ndarray
    market_region: np.ndarray   # int32
    member: np.ndarray
    ask: np.ndarray
    rating_sum: np.ndarray
    rating_count: np.ndarray
    hours_left: np.ndarray
    fresh: np.ndarray
    asset_free_day: np.ndarray
    applications: np.ndarray    # int32 (n): today's applications in the rounds, from 0
    wins: np.ndarray            # int32 (n): wins in the rounds, from 0

    @classmethod
    def gather(cls, workers, category, region, category_local, member, ask, rating_sum, rating_count, hours_left,
               fresh, asset_free_day) -> CandidatePool:
        """The rows of `workers`; a row's market region is the worker's region for local work, 0 online."""
        n, n_platforms = workers.size, member.shape[1]
        # narrower copies where the values allow (fewer bytes per row; every value is the same)
        pool = cls(workers, np.empty(n, category.dtype), np.empty(n, np.int32),
                   np.empty((n, n_platforms), member.dtype), np.empty(n, ask.dtype),
                   np.empty((n, n_platforms), rating_sum.dtype), np.empty((n, n_platforms), rating_count.dtype),
                   np.empty(n, hours_left.dtype), np.empty(n, fresh.dtype), np.empty(n, asset_free_day.dtype),
                   np.zeros(n, np.int32), np.zeros(n, np.int32))
        _gather_rows(workers, category, region, category_local, member, ask, rating_sum, rating_count, hours_left, fresh,
                     asset_free_day, pool.category, pool.market_region, pool.member, pool.ask, pool.rating_sum,
                     pool.rating_count, pool.hours_left, pool.fresh, pool.asset_free_day)
        return pool

    def scatter(self, t_fate, t_worker, hours_left, fresh, asset_free_day, applications, wins) -> None:
        _scatter_rows(self.workers, t_fate, t_worker, self.hours_left, self.fresh, self.asset_free_day,
                      self.applications, self.wins, hours_left, fresh, asset_free_day, applications, wins)


@njit(cache=True)
def _gather_rows(workers, category, region, category_local, member, ask, rating_sum, rating_count, hours_left, fresh,
                 asset_free_day, o_category, o_market_region, o_member, o_ask, o_rating_sum, o_rating_count,
                 o_hours_left, o_fresh, o_asset_free_day):
    for j in range(workers.size):
        w = workers[j]
        o_category[j] = category[w]
        o_market_region[j] = region[w] if category_local[max(category[w], 0)] else 0
        for p in range(member.shape[1]):
            o_member[j, p] = member[w, p]
            o_rating_sum[j, p] = rating_sum[w, p]
            o_rating_count[j, p] = rating_count[w, p]
        o_ask[j] = ask[w]
        o_hours_left[j] = hours_left[w]
        o_fresh[j] = fresh[w]
        o_asset_free_day[j] = asset_free_day[w]


@njit(cache=True)
def _scatter_rows(workers, t_fate, t_worker, p_hours_left, p_fresh, p_asset_free_day, p_applications, p_wins,
                  hours_left, fresh, asset_free_day, applications, wins):
    for t in range(t_fate.size):
        if t_fate[t] == Fate.FILLED:
            t_worker[t] = workers[t_worker[t]]
    for j in range(workers.size):
        w = workers[j]
        hours_left[w] = p_hours_left[j]
        fresh[w] = p_fresh[j]
        asset_free_day[w] = p_asset_free_day[j]
        applications[w] += p_applications[j]
        wins[w] += p_wins[j]


@njit(cache=True)
def match_round(applicants, rng, w_category, w_market_region, member, ask, rating_sum, rating_count,
                offsets, order, t_platform, t_wtp, t_fate, t_worker, t_pickup, won, hours_left, fresh,
                asset_free_day, applications, wins, task_hours, pickup_hours, asset_days, base_price, rule, pricing,
                price_multiplier, prior_mean, prior_weight, newcomer_boost, newcomer_tasks, applications_per_round,
                n_categories, n_regions, day):
    """One round: each applicant sends up to `applications_per_round` (of the task's platform) applications,
    each to an open task chosen uniformly; each task takes its best applicant by its platform's rule; a
    worker who wins several tasks in the round takes the first and the others stay open. Returns fills.

    `rng` is the model's numpy Generator: each application draws the task choice, then (if the client's
    budget admits the worker) the tie-break / distance draw, so a round makes only the draws it uses.
    The round's bookkeeping lives in one row per open task, in `order` (market by market): best key,
    its tie-break draw, best applicant and the client's budget. An application then touches one cache
    line instead of four arrays indexed by task id (what made large worlds slower per worker).
    """
    n_platforms = member.shape[1]
    n_open = order.size
    slot = np.empty((n_open, 4))  # best key, its draw, best applicant (-1: none), client's budget
    for pos in range(n_open):
        slot[pos, 2] = -1.0
        slot[pos, 3] = t_wtp[order[pos]]
    for i in range(applicants.size):
        w = applicants[i]
        c = w_category[w]
        r = w_market_region[w]
        # the open tasks she can see: her market on each of her platforms (inlined here: a helper
        # taking the arrays costs reference counting per call, more than the pick itself)
        total = 0
        most = 0  # the most applications any platform she can apply on allows (later ones are skipped anyway)
        for q in range(n_platforms):
            if member[w, q]:
                k = _market_key(q, c, r, n_categories, n_regions)
                size = offsets[k + 1] - offsets[k]
                total += size
                if size > 0:
                    most = max(most, applications_per_round[q])
        if total == 0:
            continue
        for a in range(most):
            # a task chosen uniformly among all open tasks she can see
            j = min(int(rng.random() * total), total - 1)
            pos = -1
            p = -1
            for q in range(n_platforms):
                if member[w, q]:
                    k = _market_key(q, c, r, n_categories, n_regions)
                    size = offsets[k + 1] - offsets[k]
                    if j < size:
                        pos = offsets[k] + j
                        p = q
                        break
                    j -= size
            if a >= applications_per_round[p]:
                continue
            applications[w] += 1
            if pricing[p] == Pricing.BIDS and ask[w] * base_price[c] * price_multiplier[p] > slot[pos, 3]:
                continue  # the client's budget is below this worker's asking price
            u = rng.random()
            if rule[p] == Matching.REPUTATION:
                count = rating_count[w, p]
                score = (prior_mean[p] * prior_weight[p] + rating_sum[w, p]) / (prior_weight[p] + count)
                if count < newcomer_tasks[p]:
                    score += newcomer_boost[p]
                key = -score + 1e-6 * u
            elif rule[p] == Matching.CHEAPEST and pricing[p] == Pricing.BIDS:
                key = ask[w] + 1e-6 * u
            else:
                key = u
            if slot[pos, 2] < 0 or key < slot[pos, 0]:
                slot[pos, 0] = key
                slot[pos, 1] = u
                slot[pos, 2] = w
    filled = 0
    for pos in range(n_open):
        w = int(slot[pos, 2])
        if w < 0:
            continue
        t = order[pos]
        if won[w]:
            continue  # she already took a task this round; this one stays open
        won[w] = True
        c = w_category[w]
        filled += 1
        t_fate[t] = Fate.FILLED
        t_worker[t] = w
        if rule[t_platform[t]] == Matching.NEAREST:
            t_pickup[t] = pickup_hours[c] * 2.0 * slot[pos, 1]
        else:
            t_pickup[t] = pickup_hours[c]
        hours_left[w] -= task_hours[c] + t_pickup[t]
        fresh[w] = False
        if asset_days[c] > 0:
            asset_free_day[w] = day + asset_days[c]
        wins[w] += 1
    for idx in range(order.size):
        t = order[idx]
        if t_fate[t] == Fate.FILLED:
            won[t_worker[t]] = False
    return filled


@njit(cache=True, inline="always")
def _assign(t, w, c, fate, t_fate, t_worker, t_pickup, pickup, hours_left, fresh, asset_free_day, wins,
            task_hours, asset_days, day):
    """Give task t (category c) to worker w: record the match and take its hours (and, for bookings, the asset)."""
    t_fate[t] = fate
    t_worker[t] = w
    t_pickup[t] = pickup
    hours_left[w] -= task_hours[c] + pickup
    fresh[w] = False
    if asset_days[c] > 0:
        asset_free_day[w] = day + asset_days[c]
    wins[w] += 1


@njit(cache=True)
def direct_hires(candidates, t_stream, t_category, t_platform, t_fate, t_worker, t_pickup, favourite,
                 w_status, w_category, member, hours_left, fresh, asset_free_day, wins,
                 task_hours, pickup_hours, asset_days, day):
    """Tasks whose client has a favourite worker go straight to her when she can take them. Returns hires."""
    hires = 0
    n = candidates.size
    for i in range(n):
        # the tasks come in random order: ask for the favourite of a task 2D ahead, and for the rows of the
        # favourite of a task D ahead (D = PREFETCH_AHEAD), so their loads overlap
        if i + 2 * PREFETCH_AHEAD < n:
            prefetch(favourite, t_stream[candidates[i + 2 * PREFETCH_AHEAD]])
        if i + PREFETCH_AHEAD < n:
            v = favourite[t_stream[candidates[i + PREFETCH_AHEAD]]]
            if v >= 0:
                prefetch(w_status, v)
                prefetch(w_category, v)
                prefetch(hours_left, v)
                prefetch(fresh, v)
                prefetch(asset_free_day, v)
                prefetch(wins, v)
        t = candidates[i]
        w = favourite[t_stream[t]]
        c = t_category[t]
        if w < 0 or w_status[w] != Status.ACTIVE or w_category[w] != c or not member[w, t_platform[t]]:
            continue
        if not _can_take(hours_left[w], fresh[w], asset_free_day[w], task_hours[c], asset_days[c], day):
            continue
        _assign(t, w, c, Fate.DIRECT, t_fate, t_worker, t_pickup, pickup_hours[c], hours_left, fresh, asset_free_day,
                wins, task_hours, asset_days, day)
        hires += 1
    return hires


@njit(cache=True)
def referrals(candidates, start_uniforms, t_stream, t_category, t_fate, t_worker, t_pickup, favourite,
              adj_indptr, adj_indices, w_status, skill, min_skill, hours_left, fresh, asset_free_day, wins,
              task_hours, pickup_hours, asset_days, day, max_tries):
    """Unfilled tasks of clients with a favourite: she passes each to an active neighbour skilled in the
    category (whatever she works in now, on whatever platform) who can take it; the deal is off-platform."""
    passed = 0
    for i in range(candidates.size):
        t = candidates[i]
        f = favourite[t_stream[t]]
        if f < 0 or t_fate[t] != Fate.OPEN:
            continue
        c = t_category[t]
        lo = adj_indptr[f]
        deg = adj_indptr[f + 1] - lo
        if deg == 0:
            continue
        start = min(int(start_uniforms[i] * deg), deg - 1)
        for step in range(min(deg, max_tries)):
            w = adj_indices[lo + (start + step) % deg]
            if w_status[w] != Status.ACTIVE or skill[w, c] < min_skill:
                continue
            if not _can_take(hours_left[w], fresh[w], asset_free_day[w], task_hours[c], asset_days[c], day):
                continue
            _assign(t, w, c, Fate.REFERRAL, t_fate, t_worker, t_pickup, pickup_hours[c], hours_left, fresh,
                    asset_free_day, wins, task_hours, asset_days, day)
            passed += 1
            break
    return passed


# --------------------------------------------------------------------------- settlement

@njit(cache=True)
def settle(t_stream, t_category, t_platform, t_price, t_fate, t_worker, t_pickup, noise,
           favourite, tie_strength, skill, ask, employer, rating_sum, rating_count,
           day_pay, day_costs, day_task_hours, day_engaged_hours, day_tasks, lifetime_tasks,
           task_hours, base_price, cost_per_hour, pricing, price_multiplier, commission, nominal_commission,
           pay_floor, contribution, levy, rating_noise, rehire_rating, flows):
    """Pay, charge and rate every filled task; accumulate flows per (platform, category).

    flows[k, p, c] with p = P for off-platform referrals and k a `Flow` (gigsim.model.vocabulary).
    """
    n_platforms = flows.shape[1] - 1
    n_tasks = t_fate.size
    n_flat = rating_sum.size
    rating_sum_flat = rating_sum.reshape(n_flat)
    rating_count_flat = rating_count.reshape(n_flat)
    skill_flat = skill.reshape(skill.size)
    for t in range(n_tasks):
        ahead = t + PREFETCH_AHEAD
        if ahead < n_tasks and t_worker[ahead] >= 0:
            # the worker of a task a few rows on: her rows load while this task is settled
            v = t_worker[ahead]
            prefetch(day_pay, v)
            prefetch(day_costs, v)
            prefetch(day_task_hours, v)
            prefetch(day_engaged_hours, v)
            prefetch(day_tasks, v)
            prefetch(lifetime_tasks, v)
            prefetch(employer, v)
            prefetch(skill_flat, v * skill.shape[1] + t_category[ahead])
            prefetch(rating_sum_flat, v * rating_sum.shape[1] + t_platform[ahead])
            prefetch(rating_count_flat, v * rating_count.shape[1] + t_platform[ahead])
        fate = t_fate[t]
        if fate != Fate.FILLED and fate != Fate.DIRECT and fate != Fate.REFERRAL:
            continue
        w = t_worker[t]
        c = t_category[t]
        p = t_platform[t]
        engaged = task_hours[c] + t_pickup[t]
        if pricing[p] == Pricing.BIDS and fate != Fate.REFERRAL:
            # a referred deal is struck off the platform at the going (reference) price
            price = ask[w] * base_price[c] * price_multiplier[p]
            t_price[t] = price
        else:
            price = t_price[t]
        costs = cost_per_hour[c] * engaged
        if fate == Fate.REFERRAL:
            # passed on by a worker off the platform: the client pays the worker directly
            row = n_platforms
            worker_pay = price
            platform_net = 0.0
            topup = 0.0
            contrib = 0.0
            levied = 0.0
        else:
            row = p
            contrib = contribution
            levied = levy * price
            if employer[w] == p:
                worker_pay = 0.0  # employees are paid wages per logged-in hour instead
                topup = 0.0
                platform_net = price - contrib - levied
            else:
                share = (1.0 - commission[p]) * price
                topup = max(0.0, pay_floor * engaged - share) if pay_floor > 0.0 else 0.0
                worker_pay = share + topup
                platform_net = commission[p] * price - topup - contrib - levied
                flows[Flow.COMMISSION_CAP_TRANSFER, row, c] += (nominal_commission[p] - commission[p]) * price
            # rating: skill plus noise, on a 1..5 scale
            quality = min(1.0, max(0.0, skill[w, c] + rating_noise * noise[t]))
            rating = 1.0 + 4.0 * quality
            rating_sum[w, p] += rating
            rating_count[w, p] += 1
            s = t_stream[t]
            if rating >= rehire_rating:
                if favourite[s] != w:
                    favourite[s] = w
                    tie_strength[s] = 0
                tie_strength[s] += 1
            elif rating < 3.0 and favourite[s] == w:
                favourite[s] = -1
                tie_strength[s] = 0
        day_pay[w] += worker_pay
        day_costs[w] += costs
        day_task_hours[w] += task_hours[c]
        day_engaged_hours[w] += engaged
        day_tasks[w] += 1
        lifetime_tasks[w] += 1
        flows[Flow.CLIENT_PAYMENTS, row, c] += price
        flows[Flow.WORKER_PAY, row, c] += worker_pay
        flows[Flow.PLATFORM_REVENUE, row, c] += platform_net
        flows[Flow.PAY_FLOOR_TOPUPS, row, c] += topup
        flows[Flow.BENEFIT_CONTRIBUTIONS, row, c] += contrib
        flows[Flow.TRANSFER_LEVY, row, c] += levied
        flows[Flow.TASKS_FILLED, row, c] += 1.0
        flows[Flow.TASK_HOURS, row, c] += task_hours[c]
        flows[Flow.WORKER_COSTS, row, c] += costs
        flows[Flow.ENGAGED_HOURS, row, c] += engaged

