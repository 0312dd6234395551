"""The Compare page's data: experiment folders under the results root, and their arms compared.

Only folders inside the configured results root can be opened: a requested
path is resolved (following `..` and symlinks) and refused unless the result
stays under the root. The statistics are `gigsim.analysis.compare`'s (window means per
run, then mean ± t-interval over seeds), so the page agrees with `gigsim compare`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from scipy import stats

from gigsim.analysis.compare import CONFIDENCE, Comparison, compare_results
from gigsim.errors import InputError

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


def arm_table(opened: ArmComparison, outcomes: list[str], window: str, arms: list[str]) -> pl.DataFrame:
    """Mean and 95% t-interval over seeds of each outcome's window mean, per chosen arm (gigsim.analysis.compare)."""
    from gigsim.analysis.compare import summarise, window_values
    from gigsim.experiments.spec import parse_window

    try:
        parsed = parse_window(window)
    except ValueError as exc:
        raise InputError(f"window: {exc}") from None
    comp = opened.comparison
    chosen = [o for o in outcomes if o in comp.metrics.columns]
    if not chosen:
        raise InputError("choose at least one outcome")
    if not arms:
        raise InputError("choose at least one arm")
    per_run = window_values(comp.metrics.filter(pl.col("arm").is_in(arms)), chosen, parsed, comp.days)
    versus = {name: (spec.get("compare_to") if spec.get("compare_to") in arms else None)
              for name, spec in comp.manifest["arms"].items() if name in arms}
    table = summarise(per_run, versus)
    return table.select("window", "outcome", "arm", "n", "mean", "ci_low", "ci_high", "compare_to", "diff",
                        "diff_low", "diff_high")


def arm_timeseries(opened: ArmComparison, outcome: str, arms: list[str]) -> dict:
    """Per arm, the daily mean over seeds with its 95% t-interval: {days, lines=[{name, values, lo, hi}]}."""
    metrics = opened.comparison.metrics
    if outcome not in metrics.columns:
        raise InputError(f"'{outcome}' is not an outcome of this experiment")
    daily = (metrics.filter(pl.col("arm").is_in(arms))
             .group_by("arm", "day")
             .agg(pl.col(outcome).cast(pl.Float64).fill_nan(None).mean().alias("mean"),
                  pl.col(outcome).cast(pl.Float64).fill_nan(None).std().alias("sd"),
                  pl.col(outcome).cast(pl.Float64).fill_nan(None).count().alias("n"))
             .sort("arm", "day"))
    days = sorted(daily["day"].unique().to_list())
    lines = []
    for arm in arms:
        sub = daily.filter(pl.col("arm") == arm)
        by_day = {r["day"]: r for r in sub.iter_rows(named=True)}
        mean, lo, hi = [], [], []
        for d in days:
            r = by_day.get(d)
            m = r["mean"] if r else None
            half = None
            if r and r["n"] and r["n"] > 1 and r["sd"] is not None:
                half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, r["n"] - 1)) * r["sd"] / r["n"] ** 0.5
            mean.append(m)
            lo.append(None if half is None or m is None else m - half)
            hi.append(None if half is None or m is None else m + half)
        lines.append({"name": arm, "values": mean, "lo": lo, "hi": hi})
    return {"days": days, "lines": lines}
