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

from gigsim.model import market
from gigsim.model.labour_supply import EXIT_REASONS, weekly_hours
from gigsim.model.state import ACTIVE, STATUS_NAMES, UPSKILLING

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
    idx = np.flatnonzero((workers.status == ACTIVE) & (workers.ema_logged > MIN_LOGGED_HOURS))
    return idx, workers.ema_net[idx] / workers.ema_logged[idx]


@njit(cache=True)
def task_counts(t_platform, t_category, t_region, t_fate, n_platforms, n_categories, n_regions):
    """One pass over the day's tasks: counts per (platform, category) of tasks posted, automated and
    unfilled, and per (platform, category, region) of tasks left to humans and of tasks filled."""
    posted = np.zeros((n_platforms, n_categories), np.int64)
    automated = np.zeros((n_platforms, n_categories), np.int64)
    unfilled = np.zeros((n_platforms, n_categories), np.int64)
    human = np.zeros(n_platforms * n_categories * n_regions, np.int64)
    filled = np.zeros(n_platforms * n_categories * n_regions, np.int64)
    for t in range(t_fate.size):
        p, c, f = t_platform[t], t_category[t], t_fate[t]
        k = (p * n_categories + c) * n_regions + t_region[t]
        posted[p, c] += 1
        if f == market.AUTOMATED:
            automated[p, c] += 1
        else:
            human[k] += 1
        if f == market.UNFILLED:
            unfilled[p, c] += 1
        elif f == market.FILLED or f == market.DIRECT or f == market.REFERRAL:
            filled[k] += 1
    return posted, automated, unfilled, human, filled


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
        if s == UPSKILLING:
            n_upskilling += 1
        if s != ACTIVE:
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
    """Collects one metrics row per day and the per-market flows."""

    def __init__(self, model):
        self.model = model
        self.rows: list[dict] = []
        self.market_blocks: list[np.ndarray] = []
        self._frame: pl.DataFrame | None = None
        self._participants = self._count_participants()

    def _count_participants(self) -> int:
        s = self.model.workers.status
        return int(((s == ACTIVE) | (s == UPSKILLING)).sum())

    def record(self, day: int, tasks: market.Tasks, flows: np.ndarray) -> None:
        """Record day `day` (after all phases ran)."""
        m = self.model
        w = m.workers
        P, C = m.n_platforms, m.n_categories
        shape = (P, C, m.n_regions)
        posted_pc, automated_pc, unfilled_pc, human_pcr, filled_pcr = task_counts(
            tasks.platform, tasks.category, tasks.region, tasks.fate, P, C, m.n_regions)
        m.last_posted = posted_pc - automated_pc
        m.last_filled = flows[6, :P]
        m.month_flows += flows
        m.month_posted += posted_pc - automated_pc
        self._update_surge(human_pcr.reshape(shape), filled_pcr.reshape(shape), tasks.size)

        (n_active, n_upskilling, n_fragile, n_multihoming, active_hours, active_net, hourly, category_workers,
         category_hourly_sum, category_hourly_count) = worker_summary(
            w.status, w.category, w.hours_offered, w.ema_net, w.ema_logged, w.savings, w.living_costs, w.member,
            C, np.float32(MIN_LOGGED_HOURS))
        participants = n_active + n_upskilling
        tasks_automated = int(automated_pc.sum())
        tasks_filled = int(filled_pcr.sum())
        tasks_unfilled = int(unfilled_pc.sum())
        logged = float(active_hours.sum())
        total = flows.sum(axis=(1, 2))
        platform_payments = flows[0, :P].sum(axis=1)
        today = m.today
        health = m.health_today
        row = {
            "day": day,
            "active_workers": n_active,
            "upskilling_workers": n_upskilling,
            "participants": participants,
            "entries": m.entries_today,
            "exits": m.exits_today,
            "tasks_demanded": int(today.get("tasks_demanded", 0)),
            "tasks_priced_out": int(today.get("tasks_priced_out", 0)),
            "tasks_unserved": int(today.get("tasks_unserved", 0)),
            "tasks_posted": int(tasks.size),
            "tasks_automated": tasks_automated,
            "tasks_filled": tasks_filled,
            "tasks_unfilled": tasks_unfilled,
            "direct_hires": int(today.get("direct_hires", 0)),
            "referral_tasks": int(today.get("referral_tasks", 0)),
            "client_payments": float(total[0]),
            "worker_pay": float(total[1]),
            "platform_revenue": float(total[2]),
            "pay_floor_topups": float(total[3]),
            "employee_wages": float(today.get("employee_wages", 0.0)),
            "benefit_contributions": float(total[4]),
            "benefit_payouts": float(health.get("benefit_payouts", 0.0)),
            "benefit_fund": float(m.benefit_fund),
            "transfer_levy": float(total[5]),
            "cash_transfers": m.transfers_today,
            "transfer_fund": float(m.transfer_fund),
            "commission_cap_transfer": float(total[9]),
            "retraining_subsidies": m.retraining_subsidies_today,
            "worker_costs": float(total[8]),
            "ai_spend": float(today.get("ai_spend", 0.0)),
            "health_costs": float(health.get("health_costs", 0.0)),
            "uncovered_health_costs": float(health.get("uncovered_health_costs", 0.0)),
            "logged_hours": logged,
            "task_hours": float(total[7]),
            "engaged_hours": float(total[10]),
            "utilisation": float(total[7] / logged) if logged > 0 else 0.0,
            "median_net_hourly_earnings": float(np.median(hourly)) if hourly.size else float("nan"),
            "p10_net_hourly_earnings": float(np.quantile(hourly, 0.1)) if hourly.size else float("nan"),
            "mean_net_hourly_earnings": float(hourly.mean()) if hourly.size else float("nan"),
            "fill_rate": tasks_filled / (tasks_filled + tasks_unfilled) if tasks_filled + tasks_unfilled else 1.0,
            "automation_share": tasks_automated / tasks.size if tasks.size else 0.0,
            "gini_earnings": gini(active_net) if n_active else 0.0,
            "financially_fragile_share": n_fragile / n_active if n_active else 0.0,
            "multihoming_share": n_multihoming / n_active if n_active else 0.0,
            "matching_rounds": int(today.get("matching_rounds", 0)),
        }
        shares = platform_payments / platform_payments.sum() if platform_payments.sum() > 0 else np.zeros(P)
        for p, name in enumerate(m.platform_names):
            row[f"share_{name}"] = float(shares[p])
        for c, name in enumerate(m.category_names):
            row[f"workers_{name}"] = int(category_workers[c])
            row[f"net_hourly_{name}"] = (float(category_hourly_sum[c] / category_hourly_count[c])
                                         if category_hourly_count[c] else float("nan"))
            row[f"automation_level_{name}"] = float(m.automation_level[c])
        self.rows.append(row)
        block = np.zeros((P + 1, C, len(market.FLOW_NAMES) + 3))
        block[:, :, : len(market.FLOW_NAMES)] = np.moveaxis(flows, 0, -1)
        block[:P, :, -3] = posted_pc
        block[:P, :, -2] = automated_pc
        block[:P, :, -1] = unfilled_pc
        self.market_blocks.append(block)
        m.entries_today = m.exits_today = 0
        m.transfers_today = 0.0
        m.retraining_subsidies_today = 0.0
        self._participants = participants

    def forget(self) -> None:
        """Drop every recorded day (after a burn-in)."""
        self.rows.clear()
        self.market_blocks.clear()
        self._frame = None

    def _update_surge(self, posted: np.ndarray, filled: np.ndarray, n_tasks: int) -> None:
        """Surge for tomorrow: 1 + sensitivity × (posted / filled − 1), clipped to [1, cap], per market.

        `posted` (tasks not automated) and `filled` are counts per (platform, category, region).
        """
        m = self.model
        surge_platforms = np.flatnonzero(m.pricing == market.PRICING_SURGE)
        if surge_platforms.size == 0 or n_tasks == 0:
            return
        ratio = np.where(filled > 0, posted / np.maximum(filled, 1), np.where(posted > 0, 2.0, 1.0))
        for p in surge_platforms:
            spec = m.config.platforms[m.platform_names[p]]
            m.surge[p] = np.clip(1.0 + spec.surge_sensitivity * (ratio[p] - 1.0), 1.0, spec.surge_cap)

    def metrics_frame(self) -> pl.DataFrame:
        """All recorded days as a polars DataFrame (extended by the new days since the last call).

        Appending only the new rows keeps a per-day read (the UI's charts) O(1) in the days run.
        """
        if not self.rows:
            return pl.DataFrame({"day": []}, schema={"day": pl.Int64})
        done = 0 if self._frame is None else self._frame.height
        if done < len(self.rows):
            new = pl.DataFrame(self.rows[done:])
            self._frame = new if self._frame is None else pl.concat([self._frame, new], how="vertical_relaxed")
        return self._frame

    def markets_frame(self) -> pl.DataFrame:
        """Flows per (day, platform, category), long format."""
        m = self.model
        names = [*market.FLOW_NAMES, "tasks_posted", "tasks_automated", "tasks_unfilled"]
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


def worker_table(model) -> pl.DataFrame:
    """One row per worker: traits, status and outcomes at the current day."""
    w = model.workers
    hourly = net_hourly_earnings(w)
    with np.errstate(invalid="ignore", divide="ignore"):
        rating_total = w.rating_count.sum(axis=1)
        rating_mean = np.where(rating_total > 0, w.rating_sum.sum(axis=1) / np.maximum(rating_total, 1), np.nan)
    cats = np.array([*model.category_names, ""])
    plats = np.array([*model.platform_names, ""])
    return pl.DataFrame({
        "worker": np.arange(w.n, dtype=np.int64),
        "status": np.array([STATUS_NAMES[k] for k in range(4)])[w.status],
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
        "first_entry_day": w.first_entry_day,
        "entry_day": w.entry_day,
        "exit_day": w.exit_day,
        "exit_reason": pl.Series([EXIT_REASONS[k] if k >= 0 else None for k in w.exit_reason], dtype=pl.String),
        "weekly_hours_last_4w": weekly_hours(w.hours_history).astype(np.float32),
        "monthly_net_earnings": pl.Series(w.month_history).cast(pl.Array(pl.Float32, w.month_history.shape[1])),
    })
