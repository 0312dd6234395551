"""An own home is let only while its host is away (docs/model.md 7.9, "An own home is let only on the nights its host
is away"; mirrored in gigsim/model/reference/supply.py `hold_own_homes`, `count_own_home_nights`).

Rule: a host whose listings are her own home (`ListingType.OWN_HOME`) lives in it, so each of her listings can be
booked at most `population.own_home_nights` nights a calendar year (the model's years are days 365·k to
365·(k + 1) − 1). Her nights are counted when a stay is booked (`Workers.nights_let`, a stay's nights each), and
at the start of each day she keeps open at most floor(nights left / nights a stay) of her free listings,
nights left = `own_home_nights` × her listings − nights let; the others are held (not free) until the next year's
first day, when the count starts again. So a booking never takes her past her nights. When she is away within the
year is not modelled: she is away when guests book (set by hand; the sources give the count, not the calendar).
Dedicated units and rooms keep every night. `own_home_nights` = 365 computes nothing (the rule off). No random draw.
"""

from __future__ import annotations

import numpy as np

from gigsim.model.kernels.structs import Tasks
from gigsim.model.vocabulary import HUMAN_FATES, ListingType

YEAR_DAYS = 365
"""Days of the model's calendar year, over which an own home's nights are counted."""


def limited(model) -> bool:
    """Whether own homes have fewer nights than the year (`population.own_home_nights` < 365)."""
    return model.config.population.own_home_nights < YEAR_DAYS


def stays_left(nights_per_listing: int, listings: np.ndarray, nights_let: np.ndarray, stay_nights: np.ndarray):
    """Stays (int) an own-home host may still take this year: floor((nights × listings − nights let) / a stay's
    nights), at least 0."""
    left = nights_per_listing * listings.astype(np.int64) - nights_let
    return np.maximum(left, 0) // np.maximum(stay_nights, 1)


def hold_listings(model) -> None:
    """Start of day: on a year's first day the count starts again; then every own-home host in a category that
    rents out rooms keeps open only as many of her free listings (in row order) as she has stays left, and her
    other free listings are held until the next year's first day (`room_free_day`; `asset_free_day` follows)."""
    if not limited(model):
        return
    w, day = model.workers, model.day
    if day % YEAR_DAYS == 0:
        w.nights_let[:] = 0
    cat = np.maximum(w.category, 0)
    own = np.flatnonzero((w.listing_type == ListingType.OWN_HOME) & (w.category >= 0) & (model.asset_days[cat] > 0))
    if own.size == 0:
        return
    counts = w.listings[own].astype(np.int64)
    first = np.cumsum(counts) - counts  # each host's first position among the rows below
    rows = np.repeat(w.room_start[own], counts) + np.arange(counts.sum()) - np.repeat(first, counts)
    free = w.room_free_day[rows] <= day
    taken_before = np.cumsum(free) - free  # free listings before each row, over all hosts' rows
    rank = taken_before - np.repeat(taken_before[first], counts)  # ... before it among her own rows
    allowed = stays_left(model.config.population.own_home_nights, w.listings[own], w.nights_let[own],
                         model.asset_days[w.category[own]])
    hold = free & (rank >= np.repeat(allowed, counts))
    if not hold.any():
        return
    w.room_free_day[rows[hold]] = (day // YEAR_DAYS + 1) * YEAR_DAYS
    held = np.unique(np.repeat(np.arange(own.size), counts)[hold])
    w.asset_free_day[own[held]] = np.minimum.reduceat(w.room_free_day[rows], first)[held]


def count_nights(model, tasks: Tasks) -> None:
    """After the markets clear: each stay an own-home host took today adds its nights to her `nights_let`."""
    if not limited(model) or tasks.size == 0:
        return
    w = model.workers
    nights = model.asset_days[tasks.category]
    done = np.isin(tasks.fate, HUMAN_FATES) & (nights > 0)
    who = tasks.worker[done]
    own = w.listing_type[who] == ListingType.OWN_HOME
    np.add.at(w.nights_let, who[own], nights[done][own].astype(np.int32))
