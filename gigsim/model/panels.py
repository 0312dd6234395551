"""The worker panels a run writes beside its daily tables: what each worker did, week by week and month by month.

`panel_weekly.parquet`: one row per (worker, week) in which the worker was active on at least one day or was
paid; `panel_monthly.parquet`: one row per (worker, month) for every worker, her status and category after
the month's round. Weeks are days 7k..7k+6 and months days 30k..30k+29 of the recorded run (day 0 is the
first day after the burn-in), the model's weekly and monthly decision periods. A run's last, partial week is
written with `days` < 7; a partial last month is not (months are snapshots at the monthly round).
Also kept here, from the first day of the burn-in: each worker's first day with a task (workers.parquet
`first_task_day`). docs/model.md section 8 lists the columns and units. Every operation is over whole
arrays; the panels read the model and never write it.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from gigsim.model.state import ACTIVE, NO_DAY
from gigsim.model.vocabulary import STATUS_NAMES

WEEK = 7
MONTH = 30


class WeekAccumulator:
    """Per-worker sums over the current week (reset on the week's first day)."""

    def __init__(self, n: int):
        self.category = np.full(n, -1, np.int32)
        self.days_active = np.zeros(n, np.int8)
        self.full_week = np.ones(n, np.bool_)
        self.logged = np.zeros(n, np.float64)
        self.tasks = np.zeros(n, np.int32)
        self.pay = np.zeros(n, np.float64)
        self.costs = np.zeros(n, np.float64)

    def start(self, category: np.ndarray) -> None:
        """A new week: her category on its first day; every sum back to zero."""
        self.category[:] = category
        self.days_active[:] = 0
        self.full_week[:] = True
        for a in (self.logged, self.tasks, self.pay, self.costs):
            a[:] = 0

    def add(self, w, active: np.ndarray) -> None:
        """Add one day: logged-in hours while active, tasks, gross pay and running costs."""
        self.days_active += active
        self.full_week &= active & (w.category == self.category)
        self.logged += np.where(active, w.hours_offered, 0.0)
        self.tasks += w.day_tasks
        self.pay += w.day_pay
        self.costs += w.day_costs

    def rows(self, week: int, days: int) -> dict[str, np.ndarray]:
        """The week's rows: workers active on some day of it, or paid, or charged costs."""
        keep = np.flatnonzero((self.days_active > 0) | (self.pay != 0) | (self.costs != 0) | (self.tasks > 0))
        return {"worker": keep.astype(np.int32), "week": np.full(keep.size, week, np.int32),
                "days": np.full(keep.size, days, np.int8), "category": self.category[keep].copy(),
                "days_active": self.days_active[keep].copy(), "full_week": self.full_week[keep] & (days == WEEK),
                "logged_hours": self.logged[keep].copy(), "tasks": self.tasks[keep].copy(),
                "gross_pay": self.pay[keep].copy(), "net_earnings": self.pay[keep] - self.costs[keep]}


class Panels:
    """Collects the weekly and monthly panels of the recorded days, and every worker's first task day."""

    def __init__(self, model):
        n = model.workers.n
        self.model = model
        self.enabled = True
        """False: keep no weekly or monthly rows (big runs); the first task day is always kept."""
        self.first_task_day = np.full(n, NO_DAY, np.int32)
        self._week = WeekAccumulator(n)
        self._start = 0
        self._days = 0
        self.weeks: list[dict[str, np.ndarray]] = []
        self.months: list[dict[str, np.ndarray]] = []

    def forget(self, next_day: int) -> None:
        """Drop the panels' rows (after a burn-in); day `next_day` is the first of the recorded run."""
        self.weeks.clear()
        self.months.clear()
        self._start = next_day
        self._days = 0

    def record(self, day: int) -> None:
        """Record day `day` after all its phases ran (the first task day also during the burn-in)."""
        w = self.model.workers
        self.first_task_day[(self.first_task_day == NO_DAY) & (w.day_tasks > 0)] = day
        if not self.enabled or day < self._start:
            return
        k = day - self._start
        active = w.status == ACTIVE
        if k % WEEK == 0:
            self._week.start(w.category)
        self._week.add(w, active)
        self._days = k + 1
        if k % WEEK == WEEK - 1:
            self.weeks.append(self._week.rows(k // WEEK, WEEK))
        if k % MONTH == MONTH - 1:
            self.months.append({"month": k // MONTH, "status": w.status.copy(), "category": w.category.copy(),
                                "net_earnings": w.month_history[:, -1].copy()})

    def weekly_frame(self) -> pl.DataFrame | None:
        """panel_weekly as a DataFrame (the partial last week included), None when the panels are off."""
        if not self.enabled:
            return None
        blocks = list(self.weeks)
        if self._days % WEEK:
            blocks.append(self._week.rows(self._days // WEEK, self._days % WEEK))
        names = self._category_names()
        columns = {k: np.concatenate([b[k] for b in blocks]) if blocks else np.zeros(0, v.dtype)
                   for k, v in self._week.rows(0, WEEK).items()}
        cats = columns.pop("category")
        frame = pl.DataFrame(columns).with_columns(
            category=pl.Series(names[np.where(cats >= 0, cats, len(names) - 1)]))
        return frame.select("worker", "week", "days", "category", "days_active", "full_week", "logged_hours",
                            "tasks", "gross_pay", "net_earnings").with_columns(
            pl.when(pl.col("category") != "").then(pl.col("category")).alias("category"))

    def monthly_frame(self) -> pl.DataFrame | None:
        """panel_monthly as a DataFrame (every worker, every completed month), None when the panels are off."""
        if not self.enabled:
            return None
        n = self.model.workers.n
        names = self._category_names()
        status_names = np.array([STATUS_NAMES[k] for k in range(len(STATUS_NAMES))])
        cats = np.concatenate([m["category"] for m in self.months]) if self.months else np.zeros(0, np.int32)
        frame = pl.DataFrame({
            "worker": np.tile(np.arange(n, dtype=np.int32), len(self.months)),
            "month": np.repeat(np.array([m["month"] for m in self.months], np.int32), n),
            "status": status_names[np.concatenate([m["status"] for m in self.months])] if self.months
            else np.zeros(0, str),
            "category": names[np.where(cats >= 0, cats, len(names) - 1)],
            "net_earnings": np.concatenate([m["net_earnings"] for m in self.months]) if self.months
            else np.zeros(0, np.float32),
        })
        return frame.with_columns(pl.when(pl.col("category") != "").then(pl.col("category")).alias("category"),
                                  pl.col("net_earnings").fill_nan(None))

    def _category_names(self) -> np.ndarray:
        return np.array([*self.model.category_names, ""])
