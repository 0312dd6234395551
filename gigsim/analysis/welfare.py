"""Outcomes that separate composition from welfare (issue 15, item 4).

The daily metrics describe the *cross-section* of workers active that day. Two other
views go beside it in every comparison:

- **whole months** ("monthly"): a distribution measure (p10, median, Gini, fragile share…)
  averaged over whole 30-day months ending at the window's end. Earnings are trailing monthly
  averages, so these measures follow a monthly sawtooth; an average over whole periods is
  the same whatever day the window starts on, so the sawtooth cannot flip a sign. A window
  shorter than a month is widened to the month ending at its end (clipped at day 0).
- **stable panel** ("panel"): the workers who had entered before the policy start, followed
  whatever they do afterwards (still active, switched, left), from each run's workers.parquet.
  Their monthly income is their net gig earnings in each complete month after the start
  (0 in a month they did not take part) plus their monthly income from outside the platforms.
  A change here is a change in the welfare of the same people, not in who is counted.

Undefined values (null; NaN in files written before the model switched to null) are left out of
means and quantiles, except a panel worker's missing month, which is a month without gig
earnings (0), since the panel follows people who stop working too.
"""

from __future__ import annotations

import polars as pl

from gigsim.experiments.spec import Window
from gigsim.model.vocabulary import PAST_EXIT

MONTH_DAYS = 30
"""Length of a month in days (the model's month: docs/model.md)."""

DISTRIBUTION_MEASURES = ("median_net_hourly_earnings", "p10_net_hourly_earnings", "mean_net_hourly_earnings",
                         "gini_earnings", "financially_fragile_share", "multihoming_share")
"""Daily measures of the distribution over active workers (plus each category's `net_hourly_<category>`)."""

ALWAYS_MONTHLY = ("median_net_hourly_earnings", "p10_net_hourly_earnings")
"""Distribution measures every comparison shows in whole months, whatever the experiment's outcomes."""

PANEL_OUTCOMES = {
    "panel_mean_monthly_income": "mean monthly income (gig net + outside) of the panel",
    "panel_median_monthly_income": "median monthly income of the panel",
    "panel_p10_monthly_income": "10th percentile of the panel's monthly income",
    "panel_active_share": "share of the panel active at the end",
    "panel_mean_savings": "mean savings of the panel at the end",
}
"""The stable panel's outcomes (one value per run) and what each means."""

BASIS_LABELS = {
    "daily": "cross-section: active workers each day, averaged over the window's days",
    "monthly": "cross-section in whole months: averaged over whole 30-day months ending at the window's end",
    "panel": "stable panel: the workers who had entered before the policy start, followed whatever they do",
}
"""What each basis of the comparison table means (the report and the pages print these)."""


def is_distribution_measure(outcome: str) -> bool:
    """Whether a daily metric is a measure of the distribution over active workers (not a count or a flow)."""
    return outcome in DISTRIBUTION_MEASURES or outcome.startswith("net_hourly_")


def monthly_outcomes(outcomes: list[str], columns: list[str]) -> list[str]:
    """The outcomes shown in whole months: the distribution measures among `outcomes`, and ALWAYS_MONTHLY."""
    chosen = [o for o in outcomes if is_distribution_measure(o)]
    chosen += [o for o in ALWAYS_MONTHLY if o not in chosen]
    return [o for o in chosen if o in columns]


def month_bounds(window: Window, days: int) -> tuple[int, int]:
    """(first, end) of the whole months ending at the window's end (at least one month; clipped at day 0)."""
    first, end = window.bounds(days)
    months = max(1, (end - first) // MONTH_DAYS)
    return max(0, end - months * MONTH_DAYS), end


def run_means(metrics: pl.DataFrame, outcomes: list[str], first: int, end: int, label: str,
              basis: str) -> pl.DataFrame:
    """Per run (arm, seed): each outcome's mean over days [first, end) (NaN and null skipped); long format."""
    sub = metrics.filter((pl.col("day") >= first) & (pl.col("day") < end))
    means = sub.group_by("arm", "seed").agg(
        [pl.col(o).cast(pl.Float64).fill_nan(None).mean().alias(o) for o in outcomes])
    return (means.unpivot(index=["arm", "seed"], on=outcomes, variable_name="outcome", value_name="value")
            .with_columns(pl.lit(label).alias("window"), pl.lit(basis).alias("basis"))
            .select("window", "basis", "outcome", "arm", "seed", "value").sort("window", "outcome", "arm", "seed"))


def monthly_window_values(metrics: pl.DataFrame, outcomes: list[str], window: Window, days: int) -> pl.DataFrame:
    """Per run (arm, seed): each outcome's mean over the whole months ending at the window's end; long format."""
    first, end = month_bounds(window, days)
    return run_means(metrics, outcomes, first, end, window.label, "monthly")


def override_start(overrides) -> int | None:
    """The first day an arm's overrides act: a table with a `start` (a policy lever, a shock, a linear path)
    acts from that day; any other overridden value (a commission, a logistic path, a lever without a start)
    acts from day 0. None for no overrides."""
    if isinstance(overrides, dict):
        if isinstance(overrides.get("start"), int | float) and not isinstance(overrides.get("start"), bool):
            return int(overrides["start"])
        found = [override_start(v) for v in overrides.values()]
    elif isinstance(overrides, list):
        found = [override_start(v) for v in overrides]
    else:
        return 0
    found = [f for f in found if f is not None]
    return min(found) if found else None


def policy_start(arms: dict) -> int:
    """The first day any arm differs from the others (gigsim compare's panel start): the earliest
    `override_start` over the arms' overrides, at least 0; 0 when no arm overrides anything."""
    starts = [override_start(arm.get("overrides") or {}) for arm in arms.values()]
    starts = [s for s in starts if s is not None]
    return max(0, min(starts)) if starts else 0


def panel_months(days: int, start: int) -> int:
    """Complete months after the policy start that the workers' 12-month history can hold (at least 1)."""
    return max(1, min(12, (days - start) // MONTH_DAYS))


def panel_label(days: int, start: int) -> str:
    """The window label of the panel rows."""
    return f"panel: incumbents at day {start}, last {panel_months(days, start)} months"


def panel_members(workers: pl.DataFrame, start: int) -> pl.DataFrame:
    """The workers in gig work at some time of the run before day `start`: first entered before it (null
    first_entry_day: never in gig work in the run; a former participant drawn at the start with a past spell has a
    null one until she comes back, since that spell ended before the run began).

    Files written before the model used null mark "never" with −1, which is also the last burn-in day: a −1
    counts as an entry only if the worker has some history (a task, or a month of gig earnings). Files written before
    `drawn_past` stamped the drawn spell's entry as first_entry_day: there a drawn former participant (exit reason
    `past`) counts only if her latest entry is after that exit and before `start` (`_stamped_drawn_past`).
    """
    entered = pl.col("first_entry_day").is_not_null() & (pl.col("first_entry_day") < start)
    ever = (pl.col("first_entry_day") != -1) | (pl.col("lifetime_tasks") > 0) | pl.col("_months_seen").gt(0)
    return (workers.with_columns(pl.col("monthly_net_earnings").arr.to_list()
                                 .list.eval(pl.element().fill_nan(None).is_not_null().cast(pl.Int32))
                                 .list.sum().alias("_months_seen"))
            .filter(entered & ever & ~_stamped_drawn_past(workers, start)).drop("_months_seen"))


def _stamped_drawn_past(workers: pl.DataFrame, start: int) -> pl.Expr:
    """Files without `drawn_past` only: a drawn former participant (latest exit reason `past`) not back by `start`."""
    if "drawn_past" in workers.columns or "exit_reason" not in workers.columns:
        return pl.lit(False)
    back_in_time = (pl.col("entry_day") > pl.col("exit_day")) & (pl.col("entry_day") < start)
    return (pl.col("exit_reason").fill_null("") == PAST_EXIT) & ~back_in_time


def panel_values(workers: pl.DataFrame, start: int, days: int) -> pl.DataFrame:
    """Per run (arm, seed): the stable panel's outcomes (PANEL_OUTCOMES); long format with basis 'panel'."""
    k = panel_months(days, start)
    income = (pl.col("monthly_net_earnings").arr.to_list().list.slice(-k, k)
              .list.eval(pl.element().cast(pl.Float64).fill_nan(None).fill_null(0.0)).list.mean()
              + pl.col("monthly_other_income").cast(pl.Float64).fill_nan(None).fill_null(0.0))
    members = panel_members(workers, start).with_columns(income.alias("_income"))
    savings = pl.col("savings").cast(pl.Float64).fill_nan(None)
    per_run = members.group_by("arm", "seed").agg(
        pl.col("_income").mean().alias("panel_mean_monthly_income"),
        pl.col("_income").median().alias("panel_median_monthly_income"),
        pl.col("_income").quantile(0.1, interpolation="linear").alias("panel_p10_monthly_income"),
        (pl.col("status") == "active").mean().cast(pl.Float64).alias("panel_active_share"),
        savings.mean().alias("panel_mean_savings"))
    names = list(PANEL_OUTCOMES)
    return (per_run.unpivot(index=["arm", "seed"], on=names, variable_name="outcome", value_name="value")
            .with_columns(pl.lit(panel_label(days, start)).alias("window"), pl.lit("panel").alias("basis"))
            .select("window", "basis", "outcome", "arm", "seed", "value").sort("outcome", "arm", "seed"))


__all__ = ["MONTH_DAYS", "DISTRIBUTION_MEASURES", "PANEL_OUTCOMES", "BASIS_LABELS", "is_distribution_measure",
           "monthly_outcomes", "month_bounds", "monthly_window_values", "override_start", "policy_start", "panel_months",
           "panel_label", "panel_members", "panel_values"]
