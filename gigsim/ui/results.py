"""The Compare page's data: experiment folders under the results root, and their arms compared.

Only folders inside the configured results root can be opened: a requested
path is resolved (following `..` and symlinks) and refused unless the result
stays under the root. The statistics are `gigsim.analysis.compare`'s (window means per
run, then mean ± t-interval over seeds, gigsim.analysis.stats), so the page agrees with
`gigsim compare`, on each basis it offers: the daily cross-section, whole months, and the
stable panel (gigsim.analysis.welfare).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from gigsim.analysis import welfare
from gigsim.analysis.compare import Comparison, compare_results, summarise, window_values
from gigsim.analysis.stats import half_width
from gigsim.errors import InputError
from gigsim.experiments.spec import parse_window

RESULTS_ROOT_ENV = "GIGSIM_RESULTS_ROOT"
DEFAULT_RESULTS_ROOT = "results"


def results_root() -> Path:
    """The folder the app may read experiments from ($GIGSIM_RESULTS_ROOT, default ./results), resolved."""
    return Path(os.environ.get(RESULTS_ROOT_ENV) or DEFAULT_RESULTS_ROOT).resolve()


class OutsideResultsRoot(InputError):
    """A requested folder that is not inside the results root."""


def resolve_under_root(root: Path, requested: str) -> Path:
    """The folder `requested` names (relative to `root`, or absolute) if it lies inside `root`; else refused.

    `..` segments and symlinks are resolved first, so neither can lead out of the root.
    """
    text = (requested or "").strip()
    if not text:
        raise InputError("choose an experiment folder")
    if "\x00" in text:
        raise OutsideResultsRoot(f"'{text}' is not a folder name")
    root = root.resolve()
    candidate = Path(text)
    target = (candidate if candidate.is_absolute() else root / candidate).resolve()
    if target != root and not target.is_relative_to(root):
        raise OutsideResultsRoot(f"'{text}' is outside the results root {root}; only folders under it can be opened")
    if not target.is_dir():
        raise InputError(f"'{text}': no such folder under the results root {root}")
    return target


def list_experiments(root: Path, depth: int = 3) -> list[str]:
    """Experiment folders (with a manifest.json) under `root`, as paths relative to it, sorted."""
    root = root.resolve()
    if not root.is_dir():
        return []
    found = []
    for level in range(1, depth + 1):
        for manifest in root.glob("/".join(["*"] * level) + "/manifest.json"):
            folder = manifest.parent.resolve()
            if folder.is_relative_to(root) and not any(p.startswith("arm=") for p in folder.relative_to(root).parts):
                found.append(str(folder.relative_to(root)))
    return sorted(set(found))


@dataclass
class ArmComparison:
    """One opened experiment, ready for the page's choices."""

    comparison: Comparison

    @property
    def arms(self) -> list[str]:
        return self.comparison.arms

    @property
    def outcomes(self) -> list[str]:
        """Outcomes to offer: the experiment's, then every other numeric metric."""
        metrics = self.comparison.metrics
        numeric = [c for c, t in metrics.schema.items() if t.is_numeric() and c not in ("day", "seed")]
        first = [o for o in self.comparison.outcomes if o in numeric]
        return first + [c for c in numeric if c not in first]

    @property
    def days(self) -> int:
        return self.comparison.days


def open_experiment(root: Path, requested: str) -> ArmComparison:
    """Open an experiment folder under `root` (refusing anything outside it)."""
    folder = resolve_under_root(root, requested)
    return ArmComparison(compare_results(folder))


BASES = {"daily": "Cross-section (active workers each day)", "monthly": "Whole months (30-day averages)",
         "panel": "Stable panel (incumbent workers followed)"}
"""The bases the page offers, with their labels (gigsim.analysis.welfare.BASIS_LABELS says what each means)."""


def arm_table(opened: ArmComparison, outcomes: list[str], window: str, arms: list[str],
              basis: str = "daily") -> pl.DataFrame:
    """Mean and 95% t-interval over seeds of each outcome's window value, per chosen arm, on one basis.

    Daily: each run's mean over the window's days; monthly: over the whole months ending at the window's end;
    panel: the stable panel's outcomes (the window does not apply). The numbers are `gigsim compare`'s.
    """
    try:
        parsed = parse_window(window)
    except ValueError as exc:
        raise InputError(f"window: {exc}") from None
    comp = opened.comparison
    if not arms:
        raise InputError("choose at least one arm")
    if basis == "panel":
        per_run = comp.per_run.filter((pl.col("basis") == "panel") & pl.col("arm").is_in(arms))
        if per_run.is_empty():
            raise InputError(comp.panel_note or "this experiment has no stable panel")
    else:
        chosen = [o for o in outcomes if o in comp.metrics.columns]
        if not chosen:
            raise InputError("choose at least one outcome")
        metrics = comp.metrics.filter(pl.col("arm").is_in(arms))
        values = welfare.monthly_window_values if basis == "monthly" else window_values
        first, end = parsed.bounds(comp.days)
        if end <= first:
            raise InputError(f"window '{window}' holds no day of the {comp.days} simulated days")
        per_run = values(metrics, chosen, parsed, comp.days)
    versus = {name: (spec.get("compare_to") if spec.get("compare_to") in arms else None)
              for name, spec in comp.manifest["arms"].items() if name in arms}
    table = summarise(per_run, versus)
    return table.select("window", "basis", "outcome", "arm", "n", "mean", "ci_low", "ci_high", "compare_to", "diff",
                        "diff_low", "diff_high")


def arm_timeseries(opened: ArmComparison, outcome: str, arms: list[str], smooth_days: int = 1) -> dict:
    """Per arm, the daily mean over seeds with its 95% t-interval: {days, lines=[{name, values, lo, hi}]}.

    With smooth_days > 1 each run's series is first averaged over the trailing `smooth_days` days (30: the
    whole-month view, in which the monthly cycle of the distribution measures cancels out).
    """
    metrics = opened.comparison.metrics
    if outcome not in metrics.columns:
        raise InputError(f"'{outcome}' is not an outcome of this experiment")
    value = pl.col(outcome).cast(pl.Float64).fill_nan(None)
    if smooth_days > 1:
        value = value.rolling_mean(smooth_days, min_samples=1).over("arm", "seed")
    daily = (metrics.filter(pl.col("arm").is_in(arms)).sort("arm", "seed", "day").with_columns(value.alias("v"))
             .group_by("arm", "day")
             .agg(pl.col("v").mean().alias("mean"), pl.col("v").std().alias("sd"), pl.col("v").count().alias("n"))
             .sort("arm", "day"))
    days = sorted(daily["day"].unique().to_list())
    lines = []
    for arm in arms:
        sub = pl.DataFrame({"day": days}).join(daily.filter(pl.col("arm") == arm), on="day", how="left")
        half = half_width(sub["sd"].to_numpy(), sub["n"].fill_null(0).to_numpy())
        mean = sub["mean"].to_list()
        defined = [m is not None and n is not None and n > 1 for m, n in zip(mean, sub["n"].to_list(), strict=True)]
        lines.append({"name": arm, "values": mean,
                      "lo": [m - h if ok else None for m, h, ok in zip(mean, half, defined, strict=True)],
                      "hi": [m + h if ok else None for m, h, ok in zip(mean, half, defined, strict=True)]})
    return {"days": days, "lines": lines}
