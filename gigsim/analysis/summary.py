"""Summaries of one run: the headline outcomes and how each category fared over time."""

from __future__ import annotations

import polars as pl

from gigsim.model.vocabulary import EXIT_REASONS, PAST_EXIT

HEADLINE = [
    ("participation", "Participation (share of workers active)", "{:.1%}"),
    ("median_net_hourly_earnings", "Median net hourly earnings", "{:.2f}"),
    ("p10_net_hourly_earnings", "P10 net hourly earnings", "{:.2f}"),
    ("fill_rate", "Fill rate", "{:.1%}"),
    ("automation_share", "Tasks automated (share)", "{:.1%}"),
    ("utilisation", "Utilisation (task hours / logged-in hours)", "{:.1%}"),
    ("gini_earnings", "Gini of earnings", "{:.3f}"),
    ("financially_fragile_share", "Financially fragile (savings < 1 month)", "{:.1%}"),
]


def window(metrics: pl.DataFrame, days: int = 30, at_end: bool = True) -> pl.DataFrame:
    """The first or last `days` rows of a run's metrics."""
    return metrics.tail(days) if at_end else metrics.head(days)


def headline(metrics: pl.DataFrame, total_workers: int, days: int = 30,
             workers: pl.DataFrame | None = None) -> list[tuple[str, str, str]]:
    """(key, label, formatted value) for the headline outcomes, averaged over the last `days` days.

    With the run's worker table, also the share of each exit reason among workers who ever left.
    """
    last = window(metrics, days)
    out = []
    for key, label, fmt in HEADLINE:
        if key == "participation":
            value = last["active_workers"].mean() / max(total_workers, 1)
        else:
            value = last[key].mean()
        out.append((key, label, fmt.format(value) if value is not None else "n/a"))
    for column in [c for c in metrics.columns if c.startswith("share_")]:
        out.append((column, f"Market share of {column[len('share_'):]}", f"{last[column].mean():.1%}"))
    if workers is not None and "exit_reason" in workers.columns:
        out.extend(exit_reason_shares(workers))
    return out


def exit_reason_shares(workers: pl.DataFrame) -> list[tuple[str, str, str]]:
    """(key, label, share) of each exit reason among workers who left in the run (their latest exit); a former
    participant drawn at the start (reason `past`) did not leave in the run and is not counted."""
    reasons = workers["exit_reason"].drop_nulls()
    reasons = reasons.filter(reasons != PAST_EXIT)
    total = reasons.len()
    return [(f"exit_{name}", f"Exits for {name} (share of workers who left)",
             f"{(reasons == name).sum() / total:.1%}" if total else "n/a") for name in EXIT_REASONS if name != PAST_EXIT]


def category_trends(metrics: pl.DataFrame, days: int = 30) -> pl.DataFrame:
    """Per category: mean net hourly earnings and active workers early (first days) and late (last days)."""
    categories = [c[len("net_hourly_"):] for c in metrics.columns if c.startswith("net_hourly_")]
    early, late = window(metrics, days, at_end=False), window(metrics, days)
    rows = []
    for cat in categories:
        e, lt = early[f"net_hourly_{cat}"].mean(), late[f"net_hourly_{cat}"].mean()
        rows.append({
            "category": cat,
            "net_hourly_early": e, "net_hourly_late": lt,
            "net_hourly_change": (lt - e) / e if e else None,
            "workers_early": early[f"workers_{cat}"].mean(), "workers_late": late[f"workers_{cat}"].mean(),
        })
    return pl.DataFrame(rows)
