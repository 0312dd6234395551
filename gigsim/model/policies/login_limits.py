"""Platforms' responses to a pay standard: log-in caps, bounded price changes, onboarding limits.

- Log-in cap (NYC 2019 and 2023-24: the apps locked drivers out at slack times): each month a capping
  platform sets one cap on the hours a day each of its drivers may stay logged in, where the hours its
  drivers would log in (shared equally among a multi-homer's platforms) add up to the passenger hours it
  served last month / the target utilisation, set afresh each month (none once the drivers' own hours are
  within it); a platform named in `login_cap_days` caps from its date. Under New York's sector-wide
  utilisation rate the platforms capping cap together by their drivers and passenger hours (one cap); under a
  company-specific rate (a petition) each by its own. A driver is capped only if every platform she
  drives for in the category caps (the highest of their caps applies).
- Prices: the platform charges nominal × (1 + uplift / bookings at nominal prices), where uplift is what the
  standard made it pay drivers above their share of the nominal price last month; bounded by
  nominal × (1 + max_price_rise). Recomputed from nominal prices each month, so it never compounds.
- Onboarding: a platform named in `onboarding_pause_days` stops onboarding on its date, as Uber (1 April 2019)
  and Lyft (19 April) did in New York, and from then admits drivers only while they number fewer than at its
  pause × rider demand now / then (it replaces leavers and grows with demand, as Uber said it would); a
  platform not named while others are keeps onboarding (it did not pause). Only a lever that names no platform
  stops a platform while its top-ups exceeded `onboarding_burden` of its bookings last month (a trigger set by
  hand, kept as an explicit what-if lever; no shipped scenario or experiment uses it). A worker who then cannot
  join any platform of her category does not enter, or, if she was active, leaves: no active worker is left
  without a platform.
- Vehicle licence cap (New York City, August 2018): entrants into the categories beyond the licences (the
  active workers on the cap's start × licences per active vehicle, New York's idle licences) are turned away
  at the monthly round.
"""

from __future__ import annotations

import numpy as np

from gigsim.model import population
from gigsim.model.licences import licence_holders, licences_held
from gigsim.model.state import ACTIVE, LEFT, NO_DAY, OUT
from gigsim.model.vocabulary import ExitReason


def water_fill_cap(available: np.ndarray, weight: np.ndarray, target: float) -> float:
    """The cap h with Σ weight × min(available, h) = target (hours per day); inf when nothing needs capping."""
    total = float((weight * available).sum())
    if target >= total or available.size == 0:
        return np.inf
    if target <= 0:
        return 0.0
    order = np.argsort(available, kind="stable")
    a, wt = available[order], weight[order]
    below = np.concatenate(([0.0], np.cumsum(wt * a)))        # Σ w·a over the i smallest
    above = np.concatenate((np.cumsum(wt[::-1])[::-1], [0.0]))  # Σ w over the rest
    # with the cap between a[i-1] and a[i]: f(h) = below[i] + h × above[i]
    h = (target - below[:-1]) / np.maximum(above[:-1], 1e-12)
    lower = np.concatenate(([0.0], a[:-1]))
    ok = (h >= lower - 1e-9) & (h <= a + 1e-9)
    return float(h[np.flatnonzero(ok)[0]])


def water_fill_cap_per_agent(available, weight, target: float) -> float:
    """Reference by bisection (one driver at a time), for the test that compares it with `water_fill_cap`."""
    total = sum(w * a for a, w in zip(available, weight, strict=True))
    if target >= total or not len(available):
        return float("inf")
    lo, hi = 0.0, float(max(available))
    for _ in range(200):
        mid = (lo + hi) / 2
        if sum(w * min(a, mid) for a, w in zip(available, weight, strict=True)) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def platform_caps(model, lever, ps, categories: np.ndarray) -> np.ndarray:
    """Hours-a-day cap (P) of every platform capping log-ins in the standard's categories (inf: no cap).

    Each month the cap is where the drivers' uncapped hours (`ps.desired`) would add up to the passenger hours
    the platforms served last month / the target utilisation: the logged-in hours last month's trips would have
    kept busy at the target (`_next_cap`). It is set afresh from the month's demand, not stepped from the cap in
    force: New York's apps locked drivers out "when business is slow" and let them back on as demand picked up
    (Lyft from 27 June 2019, Uber from 17 September 2019). Platforms named in `lever.login_cap_days` cap from
    their date on; when none is named every capping platform caps from the standard's first month. Under the
    sector-wide rate (`lever.utilisation == "sector"`, New York's rule unless a company petitions) the platforms
    capping cap together: one cap from all their drivers and the passenger hours they served. Under a
    company-specific rate ("platform") each caps by its own drivers and passenger hours.
    """
    w = model.workers
    caps = np.full(model.n_platforms, np.inf)
    if "login_cap" not in lever.responses:
        return caps
    share = _membership_share(model, categories)
    capping = np.flatnonzero(model.serves[:, categories].any(axis=1) & capping_today(model, lever))
    active = w.status == ACTIVE
    if getattr(lever, "utilisation", "platform") == "sector":  # Seattle's standard has no utilisation rate
        weight = share[:, capping].sum(axis=1)
        served = float(ps.month_passenger_hours[np.ix_(capping, categories)].sum())
        caps[capping] = _next_cap(lever, ps, weight * active, served)
        return caps
    for p in capping:
        caps[p] = _next_cap(lever, ps, share[:, p] * active, float(ps.month_passenger_hours[p, categories].sum()))
    return caps


def capping_today(model, lever) -> np.ndarray:
    """(P) whether each platform caps log-ins from today: a platform named in `login_cap_days` from the standard's
    start + its days (Lyft 146 days after New York's 1 February 2019 standard, Uber 228); one not named while others
    are does not cap (it did not lock drivers out); with no platform named every platform caps."""
    dates = getattr(lever, "login_cap_days", {})
    if not dates:
        return np.ones(model.n_platforms, dtype=bool)
    on = np.zeros(model.n_platforms, dtype=bool)
    for name, days in dates.items():
        on[model.platform_names.index(name)] = model.day >= lever.start + days
    return on


def _next_cap(lever, ps, weight: np.ndarray, served: float) -> float:
    """One cap (hours a day; inf: none) over drivers weighted by `weight` (N, their share of the capping
    platforms): where their uncapped hours add up to the passenger hours served last month (`served`) a day /
    the target utilisation. No trips served: no basis for a cap."""
    drivers = np.flatnonzero(weight > 0)
    if served <= 0 or drivers.size == 0:
        return np.inf
    target = served / ps.month_days / lever.target_utilisation
    return water_fill_cap(ps.desired[drivers], weight[drivers], target)


def _membership_share(model, categories: np.ndarray) -> np.ndarray:
    """(N, P): 1/k for each of the k platforms a worker in the categories belongs to (serving her category)."""
    w = model.workers
    in_scope = np.isin(w.category, categories) & (w.status == ACTIVE)
    cat = np.maximum(w.category, 0)
    member = w.member & model.serves[:, cat].T & in_scope[:, None]
    k = member.sum(axis=1, keepdims=True)
    return np.where(member, 1.0 / np.maximum(k, 1), 0.0)


def apply_caps(model, caps: np.ndarray, categories: np.ndarray) -> np.ndarray:
    """Cap today's logged-in hours of drivers all of whose platforms in the category cap (the highest cap).

    Returns each worker's cap today (N, hours a day; inf where none applies)."""
    w = model.workers
    cap_i = np.full(w.n, np.inf)
    if not np.isfinite(caps).any():
        return cap_i
    share = _membership_share(model, categories)
    on = share > 0
    highest = np.where(on, caps[None, :], -np.inf).max(axis=1)
    capped = on.any(axis=1) & np.isfinite(highest)
    cap_i[capped] = highest[capped]
    w.hours_offered[capped] = np.minimum(w.hours_offered[capped], cap_i[capped]).astype(np.float32)
    return cap_i


def price_response(model, lever, ps, nominal: np.ndarray, platforms: np.ndarray) -> None:
    """Prices of the standard's platforms: nominal × (1 + last month's uplift / bookings at nominal prices)."""
    if "prices" not in lever.responses:
        return
    with np.errstate(invalid="ignore", divide="ignore"):
        rise = np.where(ps.month_bookings_nominal > 0, ps.month_uplift / ps.month_bookings_nominal, 0.0)
    target = nominal * (1.0 + np.minimum(rise, lever.max_price_rise))
    model.price_multiplier[platforms] = target[platforms]


def onboarding_response(model, lever, ps, platforms: np.ndarray, categories: np.ndarray) -> None:
    """Which of the standard's platforms take new workers next month.

    A platform named in `onboarding_pause_days` pauses from its date on (the month's end on or after start +
    its days): it records its active drivers H0 and last month's posted hours D0 in the categories, and takes
    new workers only while its active drivers are fewer than H0 × D / D0 (D: last month's posted hours). A
    platform not named while others are onboards: the dates are the enacted rule, and a platform without one did
    not pause (before session 8 it fell back on the burden trigger, which closed an unnamed rival alongside the
    paused platform and drove riders to the paused one, docs/model.md 7.16). Only when no platform is named
    does each stop while last month's top-ups exceeded `onboarding_burden` of its bookings."""
    if "onboarding" not in lever.responses:
        return
    with np.errstate(invalid="ignore", divide="ignore"):
        burden = np.where(ps.month_bookings > 0, ps.month_topups / ps.month_bookings, 0.0)
    open_ = ~(burden > lever.onboarding_burden) | bool(lever.onboarding_pause_days)
    drivers = platform_drivers(model, categories)
    demand = ps.month_posted_hours[:, categories].sum(axis=1)
    for name, days in lever.onboarding_pause_days.items():
        p = model.platform_names.index(name)
        if model.day < lever.start + days:  # before its date it onboards (the burden trigger is not its rule)
            open_[p] = True
            continue
        if p not in ps.paused_at:
            ps.paused_at[p] = (float(drivers[p]), float(demand[p]))
        h0, d0 = ps.paused_at[p]
        open_[p] = drivers[p] < h0 * (demand[p] / d0 if d0 > 0 else 1.0)
    model.accepting[platforms] = open_[platforms]


def platform_drivers(model, categories: np.ndarray) -> np.ndarray:
    """(P,) active workers of the categories who are members of each platform."""
    w = model.workers
    scope = (w.status == ACTIVE) & np.isin(w.category, categories)
    return w.member[scope].sum(axis=0)


def licences_issued(active: int, licences_per_vehicle: float) -> int:
    """The licences frozen by the cap: the active drivers (vehicles) on its first round × licences per vehicle."""
    return int(round(active * licences_per_vehicle))


def licence_cap(model, ps, categories: np.ndarray, licences_per_vehicle: float) -> None:
    """Vehicle licence cap: the licences are the categories' active workers on the cap's first monthly round ×
    licences per active vehicle (idle licences: active drivers move freely below the licences); today's
    entrants beyond them are turned away (drawn at random among today's entrants; their previous
    status and entry days are restored, their memberships dropped)."""
    w = model.workers
    held = licences_held(model, categories)
    if ps.licences is None:
        ps.licences = licences_issued(held, licences_per_vehicle)
        return
    excess = held - ps.licences
    entrants = np.flatnonzero(licence_holders(model, categories) & (w.entry_day == model.day))
    if excess <= 0 or entrants.size == 0:
        return
    turned = np.sort(model.rng.choice(entrants, size=min(excess, entrants.size), replace=False))
    w.savings[turned] += (w.member[turned] * model.onboarding_fees()[None, :]).sum(axis=1)  # the fee back
    w.member[turned] = False
    revert_entrants(model, ps, turned)
    ps.turned_away += turned.size


def revert_entrants(model, ps, entered: np.ndarray) -> None:
    """Today's entrants do not enter after all: their previous status and entry days are restored."""
    w = model.workers
    was_out = (ps.first_entry_before[entered] == NO_DAY) & ~w.drawn_past[entered]  # a drawn past: she had left
    w.status[entered] = np.where(was_out, OUT, LEFT)
    w.entry_day[entered] = ps.entry_before[entered]
    w.first_entry_day[entered] = ps.first_entry_before[entered]
    model.ledger.day.entries -= entered.size


def no_worker_without_platform(model, ps, categories: np.ndarray) -> None:
    """Active workers in the categories with no platform for their category: entrants of today do not enter
    (their previous status and entry days are restored); anyone else leaves gig work today (exit reason policy)."""
    w = model.workers
    cat = np.maximum(w.category, 0)
    has = (w.member & model.serves[:, cat].T).any(axis=1)
    stranded = np.flatnonzero((w.status == ACTIVE) & np.isin(w.category, categories) & ~has)
    if stranded.size == 0:
        return
    entered = stranded[w.entry_day[stranded] == model.day]
    revert_entrants(model, ps, entered)
    population.leave(model, np.setdiff1d(stranded, entered), ExitReason.POLICY)
    ps.turned_away += stranded.size
