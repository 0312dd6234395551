"""Hires outside the matching rounds: direct re-hires of a favourite (docs/model.md §7.4) and referrals
of unmet work over the favourite's network (§7.6)."""

from __future__ import annotations

from numba import njit

from gigsim.model.kernels.matching import bid_price, can_take, worker_task_hours
from gigsim.model.kernels.memory import PREFETCH_AHEAD, prefetch
from gigsim.model.kernels.rooms import book_listing
from gigsim.model.vocabulary import Fate, Pricing, Status


@njit(cache=True, inline="always")
def _assign(t, w, c, fate, tasks, pickup, hours, capacity, params):
    """Give task t (category c) to worker w, who takes `hours` over it: record the match and take its hours (and,
    for bookings, the asset)."""
    tasks.fate[t] = fate
    tasks.worker[t] = w
    tasks.pickup[t] = pickup
    tasks.hours[t] = hours
    capacity.hours_left[w] -= hours + pickup
    capacity.fresh[w] = False
    if params.asset_days[c] > 0:
        capacity.asset_free_day[w] = book_listing(capacity.room_start, capacity.room_free_day, w, params.day,
                                                  params.asset_days[c])
    capacity.wins[w] += 1


@njit(cache=True, inline="always")
def _hours_of(w, c, skill, params):
    """The hours worker w takes over a task of category c (her skill's, §7.5)."""
    return worker_task_hours(params.task_hours[c], params.hours_slope[c], params.skill_centre[c], skill[w, c])


@njit(cache=True)
def direct_hires(candidates, tasks, favourite, w_status, w_category, member, skill, ask, capacity, params):
    """Tasks whose client has a favourite worker go straight to her when she can take them (§7.4):
    she is active, works in the task's category, belongs to its platform and has the hours; on a bids platform
    her bid is within the client's budget (the most it can spend). Returns hires.

    `candidates` are the tasks with a favourite, in random order.
    """
    hires = 0
    n = candidates.size
    hours_left, fresh, asset_free_day = capacity.hours_left, capacity.fresh, capacity.asset_free_day
    wins = capacity.wins
    for i in range(n):
        # the tasks come in random order: ask for the favourite of a task 2D ahead, and for the rows of the
        # favourite of a task D ahead (D = PREFETCH_AHEAD), so their loads overlap
        if i + 2 * PREFETCH_AHEAD < n:
            prefetch(favourite, tasks.stream[candidates[i + 2 * PREFETCH_AHEAD]])
        if i + PREFETCH_AHEAD < n:
            v = favourite[tasks.stream[candidates[i + PREFETCH_AHEAD]]]
            if v >= 0:
                prefetch(w_status, v)
                prefetch(w_category, v)
                prefetch(hours_left, v)
                prefetch(fresh, v)
                prefetch(asset_free_day, v)
                prefetch(wins, v)
        t = candidates[i]
        w = favourite[tasks.stream[t]]
        c = tasks.category[t]
        if w < 0 or w_status[w] != Status.ACTIVE or w_category[w] != c or not member[w, tasks.platform[t]]:
            continue
        hours = _hours_of(w, c, skill, params)
        if not can_take(hours_left[w], fresh[w], asset_free_day[w], hours, params.asset_days[c], params.day):
            continue
        p = tasks.platform[t]
        if params.pricing[p] == Pricing.BIDS and bid_price(ask[w], params.base_price[c], params.price_multiplier[p],
                                                           hours, params.task_hours[c]) > tasks.wtp[t]:
            continue  # her bid is above the client's budget
        _assign(t, w, c, Fate.DIRECT, tasks, params.pickup_hours[c], hours, capacity, params)
        hires += 1
    return hires


@njit(cache=True)
def referrals(candidates, start_uniforms, tasks, favourite, adj_indptr, adj_indices, w_status, skill, min_skill,
              capacity, params, max_tries):
    """Unfilled tasks of clients with a favourite (§7.6): she passes each to an active neighbour skilled in
    the category (whatever she works in now, on whatever platform) who can take it, trying up to
    `max_tries` neighbours from a random start; the deal is off-platform, at the list price, and only where that
    is within the client's budget (on bids platforms every task is posted, §7.2). Returns referrals."""
    passed = 0
    for i in range(candidates.size):
        t = candidates[i]
        f = favourite[tasks.stream[t]]
        if f < 0 or tasks.fate[t] != Fate.OPEN:
            continue
        c = tasks.category[t]
        if tasks.price[t] > tasks.wtp[t]:
            continue  # the going price is above the client's budget: it keeps its outside option
        lo = adj_indptr[f]
        deg = adj_indptr[f + 1] - lo
        if deg == 0:
            continue
        start = min(int(start_uniforms[i] * deg), deg - 1)
        for step in range(min(deg, max_tries)):
            w = adj_indices[lo + (start + step) % deg]
            if w_status[w] != Status.ACTIVE or skill[w, c] < min_skill:
                continue
            hours = _hours_of(w, c, skill, params)
            if not can_take(capacity.hours_left[w], capacity.fresh[w], capacity.asset_free_day[w], hours,
                            params.asset_days[c], params.day):
                continue
            _assign(t, w, c, Fate.REFERRAL, tasks, params.pickup_hours[c], hours, capacity, params)
            passed += 1
            break
    return passed
