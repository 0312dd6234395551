"""Participation measures from the monthly panel: retention, entrants, months active, month-to-year."""

from __future__ import annotations

import numpy as np

from gigsim.analysis.measures.tables import ACTIVE_CODE, MONTH, RIDES, RunTables, share_of


def retention_12m(t: RunTables) -> float | None:
    """Share of workers first entering in a monthly round who are active 12 rounds later."""
    first = t.first_entries()
    kept = total = 0
    for k in range(max(0, t.month_status.shape[0] - 12)):
        cohort = first == k * MONTH + MONTH - 1
        total += int(cohort.sum())
        kept += int((t.month_status[k + 12][cohort] == ACTIVE_CODE).sum())
    return kept / total if total else None


def entrant_share(t: RunTables) -> float | None:
    """Mean over the window's months of: participants entering for the first time that month / participants."""
    first = t.first_entries()
    shares = []
    start = t.measure_from // MONTH
    for k in range(max(start, 1), t.month_status.shape[0]):
        active = t.month_status[k] == ACTIVE_CODE
        new = active & (first > (k - 1) * MONTH + MONTH - 1) & (first <= k * MONTH + MONTH - 1)
        if active.any():
            shares.append(new.sum() / active.sum())
    return float(np.mean(shares)) if shares else None


def months_active_up_to_3(t: RunTables) -> float | None:
    """Share of workers active in some month of the last 12 who were active in 3 months or fewer."""
    active = (t.month_status[-12:] == ACTIVE_CODE).sum(axis=0)
    ever = active > 0
    return share_of(active[ever] <= 3)


def month_to_year_participation(t: RunTables) -> float | None:
    """Participants in a month / participants in that month or the 11 before, averaged over months ≥ 12."""
    active = t.month_status == ACTIVE_CODE
    ratios = [active[k].sum() / active[k - 11:k + 1].any(axis=0).sum()
              for k in range(11, active.shape[0]) if active[k - 11:k + 1].any()]
    return float(np.mean(ratios)) if ratios else None


def ride_months_active(t: RunTables) -> float | None:
    """Mean number of months, of the last 12, in which a worker who drove in any of them was driving."""
    driving = (t.month_status[-12:] == ACTIVE_CODE) & (t.month_category[-12:] == t.code(RIDES))
    months = driving.sum(axis=0)
    return float(months[months > 0].mean()) if (months > 0).any() else None
