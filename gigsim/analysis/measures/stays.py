"""Home-sharing measures: occupancy, listing churn and the concentration of hosts' revenue."""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from gigsim.analysis.measures.tables import ACTIVE_CODE, MONTH, STAYS, RunTables, market_window


def stays_listings(t: RunTables) -> np.ndarray:
    """Hosts whose listings were offered in some week of the window: a row of the weekly panel (active or paid that
    week) with home-sharing as her category on the week's first day (`host_listings` counts their listings)."""
    return (t.week_category[t.window_weeks] == t.code(STAYS)).any(axis=0)


def host_listings(t: RunTables) -> np.ndarray:
    """Each worker's listings (workers.parquet `listings`; 1 each in tables written before listings existed)."""
    if "listings" in t.workers.columns:
        return t.workers["listings"].to_numpy().astype(np.int64)
    return np.ones(t.workers.height, dtype=np.int64)


def _nights_booked(stays: pl.DataFrame, t: RunTables) -> float:
    """Nights booked over the window: stays filled × the nights a stay occupies the room."""
    return float(stays["tasks_filled"].sum()) * t.asset_days.get(STAYS, 1)


def stays_occupancy(t: RunTables) -> float | None:
    """Annual occupancy as the source defines it: nights booked over the window / (listings × the window's days).

    LearnAirbnb/Everbooked's 17.1% is booked nights over 365 days averaged over the listings of a year's sample,
    so a listing offered only part of the year counts all 365 days (its unlisted nights are unbooked nights).
    The model's listings are the listings of its hosts of the window (`stays_listings`, `host_listings`); nights
    booked are stays filled × the nights a stay occupies the listing. Dividing by the nights hosts were active instead (the measure's reading until
    session 6, `stays_booked_share_of_active_nights`) is the share of listed nights booked, not this number."""
    stays = market_window(t, STAYS)
    listings = int(host_listings(t)[stays_listings(t)].sum())
    window = t.days - t.measure_from if t.days else t.metrics.filter(pl.col("day") >= t.measure_from).height
    if stays.height == 0 or listings == 0 or window <= 0:
        return None
    return _nights_booked(stays, t) / (listings * window)


def stays_booked_share_of_active_nights(t: RunTables) -> float | None:
    """Nights booked / nights hosts were active (Σ over the window's days of active hosts): how full a host's
    listings are, a diagnostic beside `stays_occupancy` (no published counterpart in the scorecard). A host counts
    once a night whatever her listings (the daily metrics count hosts), so with multi-listing hosts it may pass 1."""
    stays = market_window(t, STAYS)
    col = f"workers_{STAYS}"
    if stays.height == 0 or col not in t.metrics.columns:
        return None
    host_days = float(t.metrics.filter(pl.col("day") >= t.measure_from)[col].sum())
    return _nights_booked(stays, t) / host_days if host_days > 0 else None


def stays_listing_churn_6m(t: RunTables) -> float | None:
    """Of the hosts active at a monthly round, the share not hosting (not active in home-sharing) six rounds later,
    pooled over the pairs of rounds whose later round lies in the window (Slee's November-to-May comparison)."""
    hosting = (t.month_status == ACTIVE_CODE) & (t.month_category == t.code(STAYS))
    first = max(0, t.measure_from // MONTH - 6)
    before = hosting[first:-6] if hosting.shape[0] > 6 else hosting[:0]
    if not before.any():
        return None
    return float((before & ~hosting[first + 6:]).sum() / before.sum())


def _host_revenue(t: RunTables) -> np.ndarray:
    """Gross pay over the window of workers who hosted in some month of it (currency)."""
    hosted = ((t.month_status[t.window_months] == ACTIVE_CODE)
              & (t.month_category[t.window_months] == t.code(STAYS))).any(axis=0)
    pay = t.window_pay[hosted]
    return pay[pay > 0]


def stays_mean_to_median(t: RunTables) -> float | None:
    """Mean / median of hosts' revenue over the window."""
    pay = _host_revenue(t)
    return float(pay.mean() / np.median(pay)) if pay.size else None


def stays_top1_share(t: RunTables) -> float | None:
    """Share of hosts' revenue earned by the top 1% of hosts (at least one host)."""
    pay = np.sort(_host_revenue(t))[::-1]
    if pay.size == 0:
        return None
    return float(pay[: max(1, math.ceil(0.01 * pay.size))].sum() / pay.sum())
