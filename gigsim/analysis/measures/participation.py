"""Participation measures from the monthly panel: retention, entrants, months active, month-to-year, and how
continuously people take part between their first and last month.

A month's participants are the workers whose status is active after the monthly round. Chase (JPMorgan Chase
Institute) counts a person in a month when she received platform income in it; reading the model that way
(a task in the month) moves the shares by at most 0.02 and drivers' months by +0.3 (docs/validation.md,
"Chase spells"), so the status is kept.

`growth` (per month, log; default 0): read the panel as a market whose first entries grow at that rate would
show it. Each person who ever entered counts exp(growth × month of her first entry) (`cohort_weights`): later
cohorts are larger by that factor and each behaves as in the run. The published spell levels were measured in
such markets (Chase's participation grew 0.03-0.06 a month, docs/model.md 7.17), the model does not grow; at 0
every person counts once and the measures are the plain shares. The scorecard reads each Chase row at the growth
its data/measures.toml row states for the source's sample (`growth`, `growth_basis`).

Drivers' months follow the sources' populations: Chase's 58% is drivers' (`ride_months_up_to_3`), and Mishel's
"three months" is Cook et al.'s driver-weeks per distinct driver over 27 months (`ride_weeks_per_driver`).
"""

from __future__ import annotations

import numpy as np

from gigsim.analysis.measures.tables import ACTIVE_CODE, MONTH, RIDES, RunTables, share_of

COOK_WINDOW_WEEKS = 117
"""Weeks from January 2015 to March 2017 (27 months): the window of Cook et al.'s driver panel, over which Mishel's
"three months" is driver-weeks per distinct driver (docs/validation.md, "Chase spells")."""


def cohort_weights(t: RunTables, growth: float = 0.0) -> np.ndarray:
    """(workers,) each person's weight: exp(growth × first entry day / 30), 0 for people who never entered;
    exactly 1 for everyone at growth 0. A drawn former participant (`drawn_past`) entered before the run: she is
    weighed as the run's first cohort (day 0), the earliest the tables record."""
    if growth == 0:
        return np.ones(t.month_status.shape[1])
    first = t.workers["first_entry_day"].cast(float).fill_null(np.nan).to_numpy()
    first = np.where(t.drawn_past() & np.isfinite(first), 0.0, first)
    return np.where(np.isfinite(first), np.exp(growth * np.nan_to_num(first) / MONTH), 0.0)


def _weighted_share(mask: np.ndarray, among: np.ndarray, weight: np.ndarray) -> float | None:
    """Σ weight over `mask & among` / Σ weight over `among` (None when `among` weighs nothing)."""
    total = weight[among].sum()
    return float(weight[among & mask].sum() / total) if total > 0 else None


def retention_12m(t: RunTables) -> float | None:
    """Share of workers first entering in a monthly round who are active 12 rounds later."""
    first = t.first_entries()
    kept = total = 0
    for k in range(max(0, t.month_status.shape[0] - 12)):
        cohort = first == k * MONTH + MONTH - 1
        total += int(cohort.sum())
        kept += int((t.month_status[k + 12][cohort] == ACTIVE_CODE).sum())
    return kept / total if total else None


def entrant_share(t: RunTables, growth: float = 0.0) -> float | None:
    """Mean over the window's months of: participants entering for the first time that month / participants."""
    first = t.first_entries()
    weight = cohort_weights(t, growth)
    shares = []
    start = t.measure_from // MONTH
    for k in range(max(start, 1), t.month_status.shape[0]):
        active = t.month_status[k] == ACTIVE_CODE
        new = (first > (k - 1) * MONTH + MONTH - 1) & (first <= k * MONTH + MONTH - 1)
        share = _weighted_share(new, active, weight)
        if share is not None:
            shares.append(share)
    return float(np.mean(shares)) if shares else None


def months_active_up_to_3(t: RunTables, growth: float = 0.0) -> float | None:
    """Share of workers active in some month of the last 12 who were active in 3 months or fewer."""
    active = (t.month_status[-12:] == ACTIVE_CODE).sum(axis=0)
    ever = active > 0
    if growth == 0:
        return share_of(active[ever] <= 3)
    return _weighted_share(active <= 3, ever, cohort_weights(t, growth))


def month_to_year_participation(t: RunTables, growth: float = 0.0) -> float | None:
    """Participants in a month / participants in that month or the 11 before, averaged over months ≥ 12."""
    active = t.month_status == ACTIVE_CODE
    weight = cohort_weights(t, growth)
    ratios = [_weighted_share(active[k], active[k - 11:k + 1].any(axis=0), weight)
              for k in range(11, active.shape[0])]
    ratios = [r for r in ratios if r is not None]
    return float(np.mean(ratios)) if ratios else None


def ride_months_active(t: RunTables, growth: float = 0.0) -> float | None:
    """Mean number of months, of the last 12, in which a worker who drove in any of them was driving."""
    months = _driving_months(t)
    drove = months > 0
    weight = cohort_weights(t, growth)[drove]
    return float((months[drove] * weight).sum() / weight.sum()) if weight.sum() > 0 else None


def _driving_months(t: RunTables) -> np.ndarray:
    """(workers,) months of the last 12 in which each worker was an active ride driver."""
    return ((t.month_status[-12:] == ACTIVE_CODE) & (t.month_category[-12:] == t.code(RIDES))).sum(axis=0)


def ride_months_up_to_3(t: RunTables, growth: float = 0.0) -> float | None:
    """Share of the workers who drove in some month of the last 12 who drove in 3 of them or fewer (Chase's
    transportation sector: "among drivers, 58 percent work just three months or less each year"); each driver
    weighs `cohort_weights(t, growth)`."""
    months = _driving_months(t)
    drove = months > 0
    return _weighted_share(months <= 3, drove, cohort_weights(t, growth))


def ride_weeks_per_driver(t: RunTables, growth: float = 0.0) -> float | None:
    """Weeks with at least one ride trip per distinct driver over the last COOK_WINDOW_WEEKS recorded weeks (all of
    them in a shorter run), in months (× 12/52): Mishel's "average of three months" is Cook et al.'s driver-weeks
    (24.8 million) over their distinct drivers (1,873,474) in 27 months. Each driver weighs
    `cohort_weights(t, growth)`. None without the weekly task panel or without drivers."""
    if t.week_tasks is None:
        return None
    window = slice(-COOK_WINDOW_WEEKS, None)
    weeks = ((t.week_tasks[window] > 0) & (t.week_category[window] == t.code(RIDES))).sum(axis=0)
    drove = weeks > 0
    weight = cohort_weights(t, growth)[drove]
    total = weight.sum()
    return float((weeks[drove] * weight).sum() / total * 12 / 52) if total > 0 else None


def active_share_of_span(t: RunTables) -> float | None:
    """Mean over workers active in some month of the panel of: months active / months from her first to her
    last active month (1 for someone who never stops between them; how intermittently people take part)."""
    active = t.month_status == ACTIVE_CODE
    ever = active.any(axis=0)
    if not ever.any():
        return None
    month = np.arange(active.shape[0])[:, None]
    first = np.where(active, month, active.shape[0]).min(axis=0)
    last = np.where(active, month, -1).max(axis=0)
    return float((active.sum(axis=0)[ever] / (last - first + 1)[ever]).mean())
