"""Posting (docs/model.md §3 step 3, §7.2): today's demand becomes tasks on the clients' platforms."""

from __future__ import annotations

import numpy as np
from numba import njit

from gigsim.model.vocabulary import Pricing


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
def price_tasks(stream, client, category, platform, client_region, client_wtp, params, surge, budget_median,
                budget_dispersion, z):
    """Price each demanded task (base × platform multiplier × surge of its market, §7.2) and keep those the
    client posts rather than take its outside option: the task's budget (reservation price) is
    base × wtp × budget_median × exp(budget_dispersion × z), z ~ N(0, 1). On fixed and surge platforms the
    client posts if the posted price is within it. On platforms taking bids it posts every task: the asks are
    unknown until it screens the bids, posting costs nothing, and its budget acts when it screens them (§7.5);
    the posted price there is the platform's list price (base × multiplier).
    Returns the posted tasks' arrays (stream, client, category, platform, market region, price, budget) and,
    per (platform, category, market region), the requests the surge priced out: tasks on surge platforms
    whose budget covers the list price but not the surged price (read by the surge rule, §7.2)."""
    n = stream.size
    keep = np.empty(n, np.int64)
    region = np.empty(n, np.int32)
    price = np.empty(n, np.float64)
    wtp = np.empty(n, np.float64)
    base_price, price_multiplier, pricing = params.base_price, params.price_multiplier, params.pricing
    surged_out = np.zeros(surge.shape, np.int64)
    k = 0
    for t in range(n):
        cl, c, p = client[t], category[t], platform[t]
        r = client_region[cl] if params.local[c] else 0
        list_price = base_price[c] * price_multiplier[p]
        pr = list_price if pricing[p] == Pricing.BIDS else list_price * surge[p, c, r]
        budget = base_price[c] * client_wtp[cl] * budget_median * np.exp(budget_dispersion * z[t])
        if pricing[p] == Pricing.BIDS or pr <= budget:
            keep[k] = t
            region[k] = r
            price[k] = pr
            wtp[k] = budget
            k += 1
        elif list_price <= budget:
            surged_out[p, c, r] += 1
    keep = keep[:k]
    return (stream[keep], client[keep], category[keep], platform[keep], region[:k], price[:k], wtp[:k],
            surged_out)
