"""The registry of metrics.parquet's columns: name, meaning and unit of each, defined once.

`gigsim.model.metrics.Recorder` builds each day's row in this order from these names; experiment
validation (gigsim.experiments.spec), the UI and the summaries read the names from here, and
docs/model.md section 8 lists the same columns.
"""

from __future__ import annotations

from typing import NamedTuple


class Column(NamedTuple):
    """One column of metrics.parquet."""

    name: str
    meaning: str
    unit: str


FIXED_COLUMNS: tuple[Column, ...] = (
    Column("day", "day number (0 = first recorded day)", "day"),
    Column("active_workers", "workers with status active", "workers"),
    Column("upskilling_workers", "workers retraining", "workers"),
    Column("participants", "active + upskilling", "workers"),
    Column("entries", "workers who entered today (monthly days only)", "workers"),
    Column("exits", "workers who left today (monthly days only)", "workers"),
    Column("tasks_demanded", "tasks that arrived (Poisson draws)", "tasks"),
    Column("tasks_priced_out", "tasks not posted because the price exceeded the budget", "tasks"),
    Column("tasks_unserved", "tasks of clients with no platform for the category", "tasks"),
    Column("tasks_posted", "tasks posted = tasks_automated + tasks_filled + tasks_unfilled", "tasks"),
    Column("tasks_automated", "tasks done by AI", "tasks"),
    Column("tasks_filled", "tasks done by workers (matched, direct and referred)", "tasks"),
    Column("tasks_unfilled", "posted tasks nobody did", "tasks"),
    Column("direct_hires", "tasks re-hired directly by a favourite's client", "tasks"),
    Column("referral_tasks", "tasks referred off-platform over the worker network", "tasks"),
    Column("client_payments", "total price of filled tasks", "currency"),
    Column("worker_pay", "gross pay to workers: task shares + top-ups + employee wages + referral pay", "currency"),
    Column("platform_revenue", "commissions − top-ups − contributions − levy − wages (+ employees' task prices)", "currency"),
    Column("pay_floor_topups", "top-ups to the pay floor", "currency"),
    Column("employee_wages", "wages paid to employees", "currency"),
    Column("benefit_contributions", "contributions into the benefit fund", "currency"),
    Column("benefit_payouts", "health costs paid by the benefit fund", "currency"),
    Column("benefit_fund", "benefit fund balance at the end of the day", "currency"),
    Column("transfer_levy", "levy paid into the transfer fund", "currency"),
    Column("cash_transfers", "transfers paid (monthly days)", "currency"),
    Column("transfer_fund", "transfer fund balance at the end of the day", "currency"),
    Column("commission_cap_transfer", "(nominal − capped commission) × price: what the cap moved to workers (memo)", "currency"),
    Column("retraining_subsidies", "course costs paid by the retraining subsidy (monthly days)", "currency"),
    Column("worker_costs", "workers' running costs (cost per hour × engaged hours)", "currency"),
    Column("ai_spend", "AI cost of automated tasks", "currency"),
    Column("health_costs", "cost of today's health events", "currency"),
    Column("uncovered_health_costs", "part of the health costs paid from workers' savings", "currency"),
    Column("logged_hours", "hours offered by active workers", "hours"),
    Column("task_hours", "hours of tasks filled (excluding pickup)", "hours"),
    Column("engaged_hours", "task + pickup hours of tasks filled", "hours"),
    Column("utilisation", "task_hours / logged_hours", "share"),
    Column("median_net_hourly_earnings", "median over active workers with ema_logged > 0.05 of ema_net / ema_logged", "currency per hour"),
    Column("p10_net_hourly_earnings", "10th percentile of the same", "currency per hour"),
    Column("mean_net_hourly_earnings", "mean of the same", "currency per hour"),
    Column("fill_rate", "tasks_filled / (tasks_filled + tasks_unfilled) (1 if none)", "share"),
    Column("automation_share", "tasks_automated / tasks_posted", "share"),
    Column("gini_earnings", "Gini of active workers' ema_net (negatives counted as 0)", "index 0..1"),
    Column("financially_fragile_share", "share of active workers with savings < one month of living costs", "share"),
    Column("multihoming_share", "share of active workers on more than one platform", "share"),
    Column("matching_rounds", "matching rounds used today", "rounds"),
)
"""The columns every run has, in the order of the table."""

PLATFORM_COLUMNS: tuple[Column, ...] = (
    Column("share_{platform}", "the platform's share of today's on-platform client payments", "share"),
)
"""Columns repeated for each platform of the scenario ({platform}: its name), after the fixed ones."""

CATEGORY_COLUMNS: tuple[Column, ...] = (
    Column("workers_{category}", "active workers in the category", "workers"),
    Column("net_hourly_{category}", "mean net hourly earnings of the category's active workers who logged in "
           "lately (NaN if none)", "currency per hour"),
    Column("automation_level_{category}", "today's automation level L_c of the category", "share"),
    Column("logged_hours_{category}", "hours offered by the category's active workers", "hours"),
    Column("tasks_won_{category}", "tasks done today by workers whose category it is (any platform, direct or "
           "referred)", "tasks"),
    Column("hired_skill_{category}", "mean skill in the category (0..1) of the workers who did those tasks, "
           "weighted by their tasks (NaN if none)", "share"),
)
"""Columns repeated for each category of the scenario ({category}: its name), after the platforms'."""

FIXED_METRICS = frozenset(c.name for c in FIXED_COLUMNS)
"""The fixed columns' names."""


def column_names(platforms: list[str], categories: list[str]) -> list[str]:
    """Every column of a run's metrics.parquet, in order, for these platforms and categories."""
    names = [c.name for c in FIXED_COLUMNS]
    names += [c.name.format(platform=p) for p in platforms for c in PLATFORM_COLUMNS]
    names += [c.name.format(category=k) for k in categories for c in CATEGORY_COLUMNS]
    return names
