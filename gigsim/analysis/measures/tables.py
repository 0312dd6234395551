"""The arrays every measure reads (`RunTables`, described in gigsim.analysis.measures), the panels' codes and
names, and the two helpers the sectors share: a share of a mask and a category's market rows over the window."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import polars as pl

ACTIVE_CODE = 1
"""Status code of an active worker in the panels (gigsim.model.state.ACTIVE)."""

MONTH = 30
WEEK = 7
RIDES = "rides"
STAYS = "stays"


@dataclass
class RunTables:
    """A run's tables and panels (see the module docstring); `measure_from` starts the measurement window."""

    metrics: pl.DataFrame
    markets: pl.DataFrame
    workers: pl.DataFrame
    category_names: list[str]
    online_categories: list[str]
    month_status: np.ndarray
    month_category: np.ndarray
    week_hours: np.ndarray
    week_category: np.ndarray
    first_task_day: np.ndarray
    run_pay: np.ndarray
    window_pay: np.ndarray
    ride_platforms: np.ndarray
    logged_by_category: np.ndarray
    tasks_by_category: np.ndarray | None = None
    week_tasks: np.ndarray | None = None  # (weeks × workers) tasks done in each week (0 where no row)
    task_skill: np.ndarray | None = None
    rating_count: np.ndarray | None = None
    platform_names: list[str] = field(default_factory=list)
    asset_days: dict[str, int] = field(default_factory=dict)
    measure_from: int = 0
    days: int = 0

    def code(self, category: str) -> int:
        """Index of a category in the panels (−2 if the world has none, which matches nothing)."""
        return self.category_names.index(category) if category in self.category_names else -2

    def first_entries(self) -> np.ndarray:
        """(N) float day each worker entered gig work for the first time; NaN if never, or if she had a spell
        before the run (`drawn_past`: population.draw_past_spells), whose return is not a first entry."""
        first = self.workers["first_entry_day"].cast(pl.Float64).fill_null(np.nan).to_numpy()
        return np.where(self.drawn_past(), np.nan, first)

    def drawn_past(self) -> np.ndarray:
        """(N) bool: the worker's gig work before the run is a drawn past spell (all False in files without it)."""
        if "drawn_past" not in self.workers.columns:
            return np.zeros(self.workers.height, dtype=bool)
        return self.workers["drawn_past"].fill_null(False).to_numpy()

    @property
    def window_weeks(self) -> slice:
        """Weeks that lie wholly in the measurement window."""
        return slice(math.ceil(self.measure_from / WEEK), None)

    @property
    def window_months(self) -> slice:
        """Monthly rounds from the one the measurement window starts in."""
        return slice(self.measure_from // MONTH, None)


def share_of(mask: np.ndarray) -> float | None:
    """Share of True in `mask` (None when it is empty)."""
    return float(mask.mean()) if mask.size else None


def market_window(t: RunTables, category: str) -> pl.DataFrame:
    """markets.parquet's rows of one category over the measurement window."""
    return t.markets.filter((pl.col("category") == category) & (pl.col("day") >= t.measure_from))
