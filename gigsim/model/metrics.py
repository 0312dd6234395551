"""Daily metrics: what the model records each day, and the per-worker table at the end.

`metrics.parquet` (one row per day) holds the aggregate outcomes and every money
flow; `markets.parquet` (long format) holds the flows per (day, platform,
category), with platform "off_platform" for referred work. See docs/model.md
for the definitions and the money identity.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from numba import njit

from gigsim.model.columns import column_names
from gigsim.model.labour_supply import weekly_hours
from gigsim.model.panels import Panels
from gigsim.model.state import NO_DAY
from gigsim.model.vocabulary import EXIT_REASONS, FLOW_NAMES, NOT_LEFT, STATUS_NAMES, Flow, Status

MIN_LOGGED_HOURS = 0.05
"""Daily-average logged-in hours (30-day EWMA) below which a worker's hourly earnings are not defined."""


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0: equal, 1: one has all); negatives count as 0."""
    x = np.sort(np.maximum(np.asarray(values, dtype=np.float64), 0.0))
    n = x.size
    total = x.sum()
    if n == 0 or total <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2.0 * (ranks * x).sum() / (n * total)) - (n + 1.0) / n)


def net_hourly_earnings(workers) -> np.ndarray:
    """Every worker's trailing net earnings per logged-in hour (30-day EWMAs; currency per hour).

    NaN where the worker logged in less than MIN_LOGGED_HOURS a day on average lately.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(workers.ema_logged > MIN_LOGGED_HOURS,
                        workers.ema_net / np.maximum(workers.ema_logged, 1e-9), np.nan)


def net_hourly(workers) -> tuple[np.ndarray, np.ndarray]:
    """(indices, values): trailing net hourly earnings of active workers who logged in lately."""
    idx = np.flatnonzero((workers.status == Status.ACTIVE) & (workers.ema_logged > MIN_LOGGED_HOURS))
    return idx, workers.ema_net[idx] / workers.ema_logged[idx]


@njit(cache=True)
def worker_summary(status, category, hours_offered, ema_net, ema_logged, savings, living_costs, member,
                   n_categories, min_logged):
    """One pass over the workers for the day's row.

    Returns counts (active, upskilling, financially fragile, multi-homing), the active workers'
    logged-in hours and trailing net earnings (compact, in worker order), the trailing net hourly
    earnings of those who logged in lately (ema_net / ema_logged, float32 as the arrays are), and
    per category: active workers, sum and count of those hourly earnings.
    """
    n = status.size
    active_hours = np.empty(n, hours_offered.dtype)
    active_net = np.empty(n, ema_net.dtype)
    hourly = np.empty(n, ema_net.dtype)
    category_workers = np.zeros(n_categories, np.int64)
    category_sum = np.zeros(n_categories, np.float64)
    category_count = np.zeros(n_categories, np.int64)
    n_active = n_upskilling = n_fragile = n_multi = n_hourly = 0
    n_platforms = member.shape[1]
    for i in range(n):
        s = status[i]
        if s == Status.UPSKILLING:
            n_upskilling += 1
        if s != Status.ACTIVE:
            continue
        active_hours[n_active] = hours_offered[i]
        active_net[n_active] = ema_net[i]
        n_active += 1
        if savings[i] < living_costs[i]:
            n_fragile += 1
        platforms = 0
        for p in range(n_platforms):
            if member[i, p]:
                platforms += 1
        if platforms > 1:
            n_multi += 1
        c = category[i]
        if c >= 0:
            category_workers[c] += 1
        if ema_logged[i] > min_logged:
            h = ema_net[i] / ema_logged[i]
            hourly[n_hourly] = h
            n_hourly += 1
            if c >= 0:
                category_sum[c] += h
                category_count[c] += 1
    return (n_active, n_upskilling, n_fragile, n_multi, active_hours[:n_active], active_net[:n_active],
            hourly[:n_hourly], category_workers, category_sum, category_count)


class Recorder:
    """Collects one metrics row per day and the per-market flows; reads the model, never writes it."""

    def __init__(self, model):
        self.model = model
        self.rows: list[dict] = []
        self.market_blocks: list[np.ndarray] = []
        self._frame: pl.DataFrame | None = None
        self.columns = column_names(model.platform_names, model.category_names)
        """The row's columns, in order (gigsim.model.columns)."""
        self.panels = Panels(model)
        """The weekly and monthly worker panels and every worker's first task day (gigsim.model.panels)."""

    def record(self, day: int) -> None:
        """Record day `day` from the model's closed day ledger (after all phases ran)."""
        m = self.model
        books, tasks = m.ledger.day, m.tasks
        values = {"day": day, **_ledger_values(m.ledger, tasks.size), **_worker_values(m, books)}
        self.rows.append({name: values[name] for name in self.columns})
        P, C = m.n_platforms, m.n_categories
        block = np.zeros((P + 1, C, len(FLOW_NAMES) + 3))
        block[:, :, : len(FLOW_NAMES)] = np.moveaxis(books.flows, 0, -1)
        block[:P, :, -3] = books.posted
        block[:P, :, -2] = books.automated
        block[:P, :, -1] = books.unfilled
        self.market_blocks.append(block)
        self.panels.record(day)

    def forget(self) -> None:
        """Drop every recorded day (after a burn-in); the panels restart at the model's next day."""
        self.rows.clear()
        self.market_blocks.clear()
        self._frame = None
        self.panels.forget(self.model.day)

    def metrics_frame(self) -> pl.DataFrame:
        """All recorded days as a polars DataFrame (extended by the new days since the last call).

        Appending only the new rows keeps a per-day read (the UI's charts) O(1) in the days run.
        """
        if not self.rows:
            return pl.DataFrame({"day": []}, schema={"day": pl.Int64})
        done = 0 if self._frame is None else self._frame.height
        if done < len(self.rows):
            new = pl.DataFrame(self.rows[done:])
            new = new.with_columns(pl.col(pl.Float64).fill_nan(None))  # undefined values are null, never NaN
            self._frame = new if self._frame is None else pl.concat([self._frame, new], how="vertical_relaxed")
        return self._frame

    def markets_frame(self) -> pl.DataFrame:
        """Flows per (day, platform, category), long format."""
        m = self.model
        names = [*FLOW_NAMES, "tasks_posted", "tasks_automated", "tasks_unfilled"]
        if not self.market_blocks:
            return pl.DataFrame(schema={"day": pl.Int64, "platform": pl.Utf8, "category": pl.Utf8,
                                        **{n: pl.Float64 for n in names}})
        data = np.stack(self.market_blocks)  # (D, P+1, C, F)
        D, P1, C, F = data.shape
        platforms = [*m.platform_names, "off_platform"]
        frame = pl.DataFrame({
            "day": np.repeat(np.array([r["day"] for r in self.rows]), P1 * C),
            "platform": np.tile(np.repeat(np.array(platforms), C), D),
            "category": np.tile(np.array(m.category_names), D * P1),
            **{name: data[..., i].reshape(-1) for i, name in enumerate(names)},
        })
        return frame.filter(
            (pl.col("tasks_posted") > 0) | (pl.col("tasks_filled") > 0) | (pl.col("worker_pay") != 0))


def _ledger_values(ledger, n_posted: int) -> dict:
    """The day's counts and money flows, read from the closed day ledger (metrics columns by name)."""
    books = ledger.day
    total = books.flows.sum(axis=(1, 2))
    automated, filled, unfilled = int(books.automated.sum()), int(books.filled.sum()), int(books.unfilled.sum())
    values = {name: int(getattr(books, name)) for name in (
        "entries", "exits", "tasks_demanded", "tasks_priced_out", "tasks_unserved", "direct_hires", "referral_tasks",
        "matching_rounds")}
    values.update({name: float(getattr(books, name)) for name in (
        "employee_wages", "benefit_payouts", "cash_transfers", "retraining_subsidies", "ai_spend", "health_costs",
        "uncovered_health_costs")})
    values.update({name: float(total[flow]) for flow, name in enumerate(FLOW_NAMES) if name != "tasks_filled"})
    values.update(
        tasks_posted=n_posted, tasks_automated=automated, tasks_filled=filled, tasks_unfilled=unfilled,
        benefit_fund=float(ledger.benefit_fund), transfer_fund=float(ledger.transfer_fund),
        fill_rate=filled / (filled + unfilled) if filled + unfilled else 1.0,
        automation_share=automated / n_posted if n_posted else 0.0)
    return values


def _worker_values(m, books) -> dict:
    """The day's worker counts, hours and earnings distribution, and the per-platform and per-category columns."""
    w = m.workers
    (n_active, n_upskilling, n_fragile, n_multihoming, active_hours, active_net, hourly, category_workers,
     category_hourly_sum, category_hourly_count) = worker_summary(
        w.status, w.category, w.hours_offered, w.ema_net, w.ema_logged, w.savings, w.living_costs, w.member,
        m.n_categories, np.float32(MIN_LOGGED_HOURS))
    logged = float(active_hours.sum())
    task_hours = books.flows.sum(axis=(1, 2))[Flow.TASK_HOURS]  # as the task_hours column sums it
    values = {
        # participants: everyone in gig work, active, retraining or taking the month off
        "active_workers": n_active, "upskilling_workers": n_upskilling,
        "participants": n_active + n_upskilling + int((w.status == Status.PAUSED).sum()),
        "logged_hours": logged,
        "utilisation": float(task_hours / logged) if logged > 0 else 0.0,
        "median_net_hourly_earnings": float(np.median(hourly)) if hourly.size else float("nan"),
        "p10_net_hourly_earnings": float(np.quantile(hourly, 0.1)) if hourly.size else float("nan"),
        "mean_net_hourly_earnings": float(hourly.mean()) if hourly.size else float("nan"),
        "gini_earnings": gini(active_net) if n_active else 0.0,
        "financially_fragile_share": n_fragile / n_active if n_active else 0.0,
        "multihoming_share": n_multihoming / n_active if n_active else 0.0,
    }
    payments = books.flows[Flow.CLIENT_PAYMENTS, : m.n_platforms].sum(axis=1)
    shares = payments / payments.sum() if payments.sum() > 0 else np.zeros(m.n_platforms)
    for p, name in enumerate(m.platform_names):
        values[f"share_{name}"] = float(shares[p])
    for c, name in enumerate(m.category_names):
        values[f"workers_{name}"] = int(category_workers[c])
        values[f"net_hourly_{name}"] = (float(category_hourly_sum[c] / category_hourly_count[c])
                                        if category_hourly_count[c] else float("nan"))
        values[f"automation_level_{name}"] = float(m.automation_level[c])
    values.update(_category_work(m))
    return values


def _category_work(m) -> dict:
    """Per category: hours offered by its active workers, tasks they did today, and their mean skill in it
    weighted by tasks (NaN if none)."""
    w, C = m.workers, m.n_categories
    cats = np.where((w.status == Status.ACTIVE) & (w.category >= 0), w.category, C)
    logged = np.bincount(cats, weights=w.hours_offered, minlength=C + 1)[:-1]
    won = np.flatnonzero((w.day_tasks > 0) & (w.category >= 0))
    won_cats, n = w.category[won], w.day_tasks[won].astype(np.float64)
    tasks = np.bincount(won_cats, weights=n, minlength=C)
    skill = np.bincount(won_cats, weights=n * w.skill[won, won_cats], minlength=C)
    values = {}
    for c, name in enumerate(m.category_names):
        values[f"logged_hours_{name}"] = float(logged[c])
        values[f"tasks_won_{name}"] = int(tasks[c])
        values[f"hired_skill_{name}"] = float(skill[c] / tasks[c]) if tasks[c] > 0 else float("nan")
    return values


def worker_table(model) -> pl.DataFrame:
    """One row per worker: traits, status and outcomes at the current day.

    Undefined values are null, never NaN or a sentinel: hourly earnings of a worker not logged in
    lately, the mean rating of one never rated, the months she did not participate, the days of an
    entry or exit that never happened, the category or employer she does not have, the exit reason of one
    who never left (`exit_reason`: why she last left, by name).
    """
    w = model.workers
    hourly = net_hourly_earnings(w)
    with np.errstate(invalid="ignore", divide="ignore"):
        rating_total = w.rating_count.sum(axis=1)
        rating_mean = np.where(rating_total > 0, w.rating_sum.sum(axis=1) / np.maximum(rating_total, 1), np.nan)
    cats = np.array([*model.category_names, ""])
    plats = np.array([*model.platform_names, ""])
    history = pl.Series(w.month_history).cast(pl.Array(pl.Float32, w.month_history.shape[1]))
    frame = pl.DataFrame({
        "worker": np.arange(w.n, dtype=np.int64),
        "status": np.array([STATUS_NAMES[k] for k in range(len(STATUS_NAMES))])[w.status],
        "category": cats[np.where(w.category >= 0, w.category, len(cats) - 1)],
        "region": w.region,
        "cohort": np.array(["18-29", "30-49", "50+"])[w.cohort],
        "full_time": w.full_time,
        "hours_available": w.hours_available,
        "hours_offered": w.hours_offered,
        "reservation_wage": w.reservation_wage,
        "autonomy_value": w.autonomy_value,
        "net_hourly_earnings": hourly.astype(np.float32),
        "savings": w.savings,
        "monthly_other_income": w.other_income,
        "monthly_living_costs": w.living_costs,
        "platforms": w.member.sum(axis=1).astype(np.int8),
        "employer": plats[np.where(w.employer >= 0, w.employer, len(plats) - 1)],
        "rating_mean": rating_mean.astype(np.float32),
        "ratings": rating_total.astype(np.int32),
        "lifetime_tasks": w.lifetime_tasks,
        "listings": w.listings,
        "first_task_day": model.recorder.panels.first_task_day,
        "first_entry_day": w.first_entry_day,
        "drawn_past": w.drawn_past,
        "entry_day": w.entry_day,
        "exit_day": w.exit_day,
        "pool_day": w.pool_day,
        "pool_exit_day": w.pool_exit_day,
        "months_paused": w.months_paused,
        "exit_reason": np.array([*EXIT_REASONS, ""])[np.where(w.exit_reason == NOT_LEFT, len(EXIT_REASONS), w.exit_reason)],
        "weekly_hours_last_4w": weekly_hours(w.hours_history).astype(np.float32),
        "monthly_net_earnings": history.arr.eval(pl.element().fill_nan(None)),
        "member_by_platform": _by_platform(w.member, model.platform_names, "member_by_platform"),
        "ratings_by_platform": _by_platform(w.rating_count, model.platform_names, "ratings_by_platform"),
    })
    return frame.with_columns(
        *(pl.col(c).fill_nan(None) for c in ("net_hourly_earnings", "rating_mean")),
        *(pl.when(pl.col(c) != NO_DAY).then(pl.col(c)).alias(c) for c in ("first_task_day", "first_entry_day", "entry_day",
                                                                                  "exit_day", "pool_exit_day")),
        *(pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in ("category", "employer", "exit_reason")),
    )


def _by_platform(values: np.ndarray, platforms: list[str], name: str) -> pl.Series:
    """A (workers × platforms) array as a struct column `name` with one field per platform name."""
    if not platforms:
        return pl.Series(name, [None] * values.shape[0], dtype=pl.Struct({}))
    frame = pl.DataFrame({p: values[:, i] for i, p in enumerate(platforms)})
    return frame.select(pl.struct(pl.all()).alias(name)).to_series()
