"""Freelancing measures: who among the online workers ever got work, who got established, the technical fill rate."""

from __future__ import annotations

import numpy as np

from gigsim.analysis.measures.tables import ACTIVE_CODE, RunTables, market_window, share_of


def _online_workers(t: RunTables) -> np.ndarray:
    """Workers active in an online category in at least one monthly snapshot of the run."""
    codes = [t.code(c) for c in t.online_categories]
    return ((t.month_status == ACTIVE_CODE) & np.isin(t.month_category, codes)).any(axis=0)


def freelance_ever_hired(t: RunTables) -> float | None:
    """Share of freelancers (active in an online category in some month) who ever won a task (burn-in included)."""
    pool = _online_workers(t)
    return share_of(t.workers["lifetime_tasks"].to_numpy()[pool] > 0)


PROGRAMMING = "programming"


def programming_fill_rate(t: RunTables) -> float | None:
    """Programming tasks filled / posted to people (posted − automated) over the window: the fill rate of
    technical openings (direct re-hires count as filled, as a repeat client's opening is)."""
    rows = market_window(t, PROGRAMMING)
    if rows.height == 0 or "tasks_posted" not in rows.columns:
        return None
    offered = float(rows["tasks_posted"].sum()) - float(rows["tasks_automated"].sum())
    return float(rows["tasks_filled"].sum()) / offered if offered > 0 else None


def freelance_established(t: RunTables) -> float | None:
    """Among freelancers who ever won a task, the share with at least 10 tasks (ever) or 1,000 of gross pay in
    the recorded run."""
    tasks = t.workers["lifetime_tasks"].to_numpy()
    pool = _online_workers(t) & (tasks > 0)
    return share_of((tasks[pool] >= 10) | (t.run_pay[pool] >= 1000.0))
