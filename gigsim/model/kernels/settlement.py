"""Settlement (docs/model.md §3 step 6, §7.7 and §7.8): payments, costs, ratings and ties of filled tasks."""

from __future__ import annotations

from numba import njit

from gigsim.model.kernels.matching import bid_price
from gigsim.model.kernels.memory import PREFETCH_AHEAD, prefetch
from gigsim.model.vocabulary import Fate, Flow, Pricing


@njit(cache=True)
def settle(tasks, noise, ties, rows, params, flows):
    """Pay, charge and rate every filled task; accumulate flows per (platform, category).

    flows[k, p, c] with p = P for off-platform referrals and k a `Flow`. `rows` are the workers'
    `SettlementRows`, `ties` the streams' `Ties`, `noise` one standard normal draw per task.
    """
    n_platforms = flows.shape[1] - 1
    n_tasks = tasks.fate.size
    t_worker, t_category, t_platform, t_price = tasks.worker, tasks.category, tasks.platform, tasks.price
    skill, rating_sum, rating_count = rows.skill, rows.rating_sum, rows.rating_count
    favourite, tie_strength = ties.favourite, ties.tie_strength
    task_hours, pricing, commission = params.task_hours, params.pricing, params.commission
    n_flat = rating_sum.size
    rating_sum_flat = rating_sum.reshape(n_flat)
    rating_count_flat = rating_count.reshape(n_flat)
    skill_flat = skill.reshape(skill.size)
    for t in range(n_tasks):
        ahead = t + PREFETCH_AHEAD
        if ahead < n_tasks and t_worker[ahead] >= 0:
            # the worker of a task a few rows on: her rows load while this task is settled
            v = t_worker[ahead]
            prefetch(rows.day_pay, v)
            prefetch(rows.day_costs, v)
            prefetch(rows.day_task_hours, v)
            prefetch(rows.day_engaged_hours, v)
            prefetch(rows.day_tasks, v)
            prefetch(rows.lifetime_tasks, v)
            prefetch(rows.employer, v)
            prefetch(skill_flat, v * skill.shape[1] + t_category[ahead])
            prefetch(rating_sum_flat, v * rating_sum.shape[1] + t_platform[ahead])
            prefetch(rating_count_flat, v * rating_count.shape[1] + t_platform[ahead])
        fate = tasks.fate[t]
        if fate != Fate.FILLED and fate != Fate.DIRECT and fate != Fate.REFERRAL:
            continue
        w = t_worker[t]
        c = t_category[t]
        p = t_platform[t]
        hours = tasks.hours[t]  # the hours she takes over it (her skill's, §7.5)
        engaged = hours + tasks.pickup[t]
        # the price: on bids platforms the worker's bid, her ask × her hours, set when matched (§7.2)
        if pricing[p] == Pricing.BIDS and fate != Fate.REFERRAL:
            # a referred deal is struck off the platform at the going (reference) price
            price = bid_price(rows.ask[w], params.base_price[c], params.price_multiplier[p], hours, task_hours[c])
            t_price[t] = price
        else:
            price = t_price[t]
            if params.asset_days[c] > 0:  # a stay is paid at her listing's price (entire home, room: 7.9)
                price *= rows.listing_price[w]
                t_price[t] = price
        costs = params.cost_per_hour[c] * engaged
        # who gets what (§7.7)
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
            contrib = params.contribution
            levied = params.levy * price
            if rows.employer[w] == p:
                worker_pay = 0.0  # employees are paid wages per logged-in hour instead
                topup = 0.0
                platform_net = price - contrib - levied
            else:
                share = (1.0 - commission[p]) * price
                pay_floor = params.pay_floor
                topup = max(0.0, pay_floor * engaged - share) if pay_floor > 0.0 else 0.0
                worker_pay = share + topup
                platform_net = commission[p] * price - topup - contrib - levied
                flows[Flow.COMMISSION_CAP_TRANSFER, row, c] += (params.nominal_commission[p] - commission[p]) * price
            # rating: skill plus noise, on a 1..5 scale; ties follow the rating (§7.8)
            quality = min(1.0, max(0.0, skill[w, c] + params.rating_noise * noise[t]))
            rating = 1.0 + 4.0 * quality
            rating_sum[w, p] += rating
            rating_count[w, p] += 1
            s = tasks.stream[t]
            if rating >= params.rehire_rating:
                if favourite[s] != w:
                    favourite[s] = w
                    tie_strength[s] = 0
                tie_strength[s] += 1
            elif rating < params.tie_break_rating and favourite[s] == w:
                favourite[s] = -1
                tie_strength[s] = 0
        rows.day_pay[w] += worker_pay
        rows.day_costs[w] += costs
        rows.day_task_hours[w] += hours
        rows.day_engaged_hours[w] += engaged
        rows.day_tasks[w] += 1
        rows.lifetime_tasks[w] += 1
        flows[Flow.CLIENT_PAYMENTS, row, c] += price
        flows[Flow.WORKER_PAY, row, c] += worker_pay
        flows[Flow.PLATFORM_REVENUE, row, c] += platform_net
        flows[Flow.PAY_FLOOR_TOPUPS, row, c] += topup
        flows[Flow.BENEFIT_CONTRIBUTIONS, row, c] += contrib
        flows[Flow.TRANSFER_LEVY, row, c] += levied
        flows[Flow.TASKS_FILLED, row, c] += 1.0
        flows[Flow.TASK_HOURS, row, c] += hours
        flows[Flow.WORKER_COSTS, row, c] += costs
        flows[Flow.ENGAGED_HOURS, row, c] += engaged
