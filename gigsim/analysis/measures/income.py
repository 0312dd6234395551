"""Income measures: the platform's share of participants' total monthly income and the month-to-month change
of net earnings (workers.parquet `monthly_net_earnings`, `monthly_other_income`)."""

from __future__ import annotations

import numpy as np
import polars as pl

from gigsim.analysis.measures.tables import RIDES, STAYS, RunTables, share_of


def net_earnings_history(workers: pl.DataFrame) -> np.ndarray:
    """workers.parquet `monthly_net_earnings` as a (workers × 12) float array, NaN where not participating."""
    rows = workers["monthly_net_earnings"].to_list()
    width = max((len(r) for r in rows), default=0)
    return np.array(rows, dtype=np.float64).reshape(len(rows), width)


def monthly_income_shares(t: RunTables, categories: list[str]) -> np.ndarray:
    """Platform share of total income, max(gig, 0) / (max(gig, 0) + other income), per participant-month.

    Months are the last 12 of `monthly_net_earnings` (NaN: not participating); a month counts for a
    category when the worker's category after that month's round (`month_category`) is one of them.
    """
    history = net_earnings_history(t.workers)
    months = min(history.shape[1], t.month_category.shape[0])
    if months == 0:
        return np.array([])
    gig = np.maximum(history[:, -months:], 0.0)
    cats = t.month_category[-months:].T
    codes = [t.code(c) for c in categories]
    keep = np.isfinite(history[:, -months:]) & np.isin(cats, codes)
    other = t.workers["monthly_other_income"].to_numpy().astype(np.float64)[:, None]
    share = gig / np.maximum(gig + other, 1e-9)
    return share[keep]


def labour_income_share(t: RunTables) -> float | None:
    """Mean platform share of total monthly income of labour-platform participants (rides and online work)."""
    s = monthly_income_shares(t, [RIDES, *t.online_categories])
    return float(s.mean()) if s.size else None


def capital_income_share(t: RunTables) -> float | None:
    """Mean platform share of total monthly income of capital-platform participants (home-sharing hosts)."""
    s = monthly_income_shares(t, [STAYS])
    return float(s.mean()) if s.size else None


def income_dependent_share(t: RunTables) -> float | None:
    """Share of labour-platform participant-months in which platform income is over 75% of total income."""
    s = monthly_income_shares(t, [RIDES, *t.online_categories])
    return share_of(s > 0.75)


def monthly_earnings_change(t: RunTables) -> float | None:
    """Median over continuing workers (12 months of positive net earnings) of their median |Δ| / previous month."""
    history = net_earnings_history(t.workers)
    if history.size == 0:
        return None
    full = np.isfinite(history).all(axis=1) & (history > 0).all(axis=1)
    h = history[full]
    if h.shape[0] == 0:
        return None
    return float(np.median(np.median(np.abs(np.diff(h, axis=1)) / h[:, :-1], axis=1)))
