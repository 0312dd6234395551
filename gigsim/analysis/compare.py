"""Comparing the arms of an experiment: means over seeds and paired differences, with 95% t-intervals.

For every window, outcome and run, the outcome is averaged over the window's days
(a per-day mean). Then, per arm, over the seeds:

- mean ± t(0.975, n-1) · s / √n   (s: sample standard deviation over the n seeds);
- the difference from the arm it is compared with (the control, or its `compare_to`),
  paired by seed (common random numbers): d_k = arm_k − control_k, and
  mean(d) ± t(0.975, m-1) · s_d / √m over the m seeds both arms have.

With one seed the intervals are undefined (null). The statistics are gigsim.analysis.stats'.

Beside this cross-section over active workers ("daily" basis), every comparison carries the
distribution measures averaged over whole months ("monthly") and a stable panel of incumbent
workers ("panel"); see gigsim.analysis.welfare for what each means. For sweeps, `sensitivity`
gives Sobol indices (SALib, when the sweep is `sobol`) or standardised regression coefficients.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from gigsim.analysis import welfare
from gigsim.analysis.stats import CONFIDENCE, paired_difference, t_interval
from gigsim.errors import InputError
from gigsim.experiments.spec import Window, parse_window
from gigsim.experiments.store import NotAResultsFolder, load_table, read_manifest


@dataclass
class Comparison:
    """Everything `gigsim compare` prints and reports."""

    folder: Path
    manifest: dict
    windows: list[Window]
    days: int
    outcomes: list[str]
    table: pl.DataFrame          # window, basis, outcome, arm, compare_to, n, mean, ci_low, ci_high, n_pairs, diff..
    per_run: pl.DataFrame        # window, basis, outcome, arm, seed, value
    metrics: pl.DataFrame        # every done run's daily metrics with arm and seed columns
    missing: list[str] = field(default_factory=list)
    sensitivity: pl.DataFrame | None = None
    skipped_windows: list[str] = field(default_factory=list)
    window_source: str = "the experiment's windows"
    panel_start: int | None = None  # the stable panel's start day (None: no workers tables to build it)
    panel_note: str | None = None   # why there is no panel, when there is none

    @property
    def name(self) -> str:
        return self.manifest["experiment"]["name"]

    @property
    def arms(self) -> list[str]:
        return list(self.manifest["arms"])

    @property
    def sweep(self) -> dict | None:
        return self.manifest.get("sweep")


def window_values(metrics: pl.DataFrame, outcomes: list[str], window: Window, days: int) -> pl.DataFrame:
    """Per run (arm, seed): each outcome's mean over the window's days; long format."""
    first, end = window.bounds(days)
    if end <= first:
        raise InputError(f"window '{window.label}' holds no day of the {days} simulated days")
    return welfare.run_means(metrics, outcomes, first, end, window.label, "daily")



def summarise(per_run: pl.DataFrame, arms: dict[str, str | None]) -> pl.DataFrame:
    """Means with intervals per (window, basis, outcome, arm), and paired differences from each arm's comparator."""
    if "basis" not in per_run.columns:
        per_run = per_run.with_columns(pl.lit("daily").alias("basis"))
    rows = []
    for (window, basis, outcome), group in per_run.group_by("window", "basis", "outcome", maintain_order=True):
        by_arm = {a: dict(zip(g["seed"].to_list(), g["value"].to_list(), strict=True))
                  for (a,), g in group.group_by("arm", maintain_order=True)}
        for arm, versus in arms.items():
            values = by_arm.get(arm, {})
            defined = [v for v in values.values() if v is not None and math.isfinite(v)]
            mean, low, high = t_interval(defined)
            row = {"window": window, "basis": basis, "outcome": outcome, "arm": arm, "compare_to": versus,
                   "n": len(defined), "mean": mean, "ci_low": low, "ci_high": high,
                   "n_pairs": 0, "diff": None, "diff_low": None, "diff_high": None, "diff_pct": None}
            if versus is not None and versus in by_arm:
                row.update(paired_difference(values, by_arm[versus]) or {})
            rows.append(row)
    return pl.DataFrame(rows, schema=TABLE_SCHEMA)


TABLE_SCHEMA = {"window": pl.String, "basis": pl.String, "outcome": pl.String, "arm": pl.String,
                "compare_to": pl.String, "n": pl.Int64, "mean": pl.Float64, "ci_low": pl.Float64,
                "ci_high": pl.Float64, "n_pairs": pl.Int64, "diff": pl.Float64, "diff_low": pl.Float64,
                "diff_high": pl.Float64, "diff_pct": pl.Float64}
"""The comparison table's columns (comparison.parquet / .csv)."""


def compare_results(folder: str | Path, windows: list[str] | None = None, panel: bool = True) -> Comparison:
    """Read a results folder and compare its arms over `windows` (default: the experiment's stored windows).

    The table holds the daily cross-section, the whole-month averages of the distribution measures and, when
    `panel` and the runs' workers tables allow, the stable panel (gigsim.analysis.welfare).
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    source = "--window" if windows else f"{folder / 'manifest.json'}: windows"
    texts = windows if windows else manifest.get("windows") or ["all"]
    parsed = []
    for text in texts:
        try:
            parsed.append(parse_window(text))
        except ValueError as exc:
            raise InputError(f"{source}: {exc}") from None
    metrics = load_table(folder, "metrics", manifest)
    if metrics.is_empty():
        raise InputError(f"{folder}: no run is done yet; run `gigsim experiment` first")
    days = int(manifest["settings"]["days"])
    skipped = [w.label for w in parsed if _empty(w, days)]
    if windows and skipped:
        raise InputError(f"--window {windows[0]}: holds no day of the {days} simulated days (days 0-{days - 1})")
    parsed = [w for w in parsed if not _empty(w, days)] or [parse_window("all")]
    outcomes = [o for o in manifest["outcomes"] if o in metrics.columns]
    monthly = welfare.monthly_outcomes(outcomes, metrics.columns)
    frames = [window_values(metrics, outcomes, w, days) for w in parsed]
    frames += [welfare.monthly_window_values(metrics, monthly, w, days) for w in parsed if monthly]
    start, note = welfare.policy_start(manifest["arms"]), None
    if panel:
        try:
            frames.append(welfare.panel_values(load_table(folder, "workers", manifest), start, days))
        except (NotAResultsFolder, pl.exceptions.PolarsError) as exc:
            note = f"no stable panel: {exc}"
    else:
        note = "no stable panel (not asked for)"
    per_run = pl.concat(frames)
    arms = {name: arm.get("compare_to") for name, arm in manifest["arms"].items()}
    table = summarise(per_run, arms)
    missing = [key for key, r in manifest["runs"].items() if r["status"] != "done"]
    comparison = Comparison(folder, manifest, parsed, days, outcomes, table, per_run, metrics, missing,
                            skipped_windows=skipped,
                            window_source="from --window" if windows else "the experiment's, stored in manifest.json",
                            panel_start=None if note else start, panel_note=note)
    if manifest.get("sweep"):
        comparison.sensitivity = sensitivity(comparison)
    return comparison


def _empty(window: Window, days: int) -> bool:
    first, end = window.bounds(days)
    return end <= first


# --------------------------------------------------------------------------- sensitivity


def sensitivity(comparison: Comparison) -> pl.DataFrame:
    """Per window, outcome and swept parameter: Sobol S1/ST (sobol sweeps) or standardised regression coefficients.

    The response of a sweep point is its outcome averaged over the window and the seeds.
    Sobol indices need every point; SRCs use the points that are done.
    """
    sweep = comparison.sweep
    names, points = sweep["parameters"], sweep["points"]
    design = np.array([[comparison.manifest["arms"][p]["point"][n] for n in names] for p in points], dtype=float)
    means = comparison.table.filter(pl.col("arm").is_in(points) & (pl.col("basis") == "daily"))
    rows = []
    for (window, outcome), group in means.group_by("window", "outcome", maintain_order=True):
        value = dict(zip(group["arm"].to_list(), group["mean"].to_list(), strict=True))
        y = np.array([value.get(p, math.nan) for p in points], dtype=float)
        ok = np.isfinite(y)
        if sweep["method"] == "sobol" and ok.all() and np.std(y) > 0:
            from SALib.analyze import sobol

            problem = {"num_vars": len(names), "names": names, "bounds": sweep["bounds"]}
            res = sobol.analyze(problem, y, calc_second_order=False, seed=0)
            for i, n in enumerate(names):
                rows.append({"window": window, "outcome": outcome, "parameter": n, "index": "S1",
                             "value": float(res["S1"][i]), "conf": float(res["S1_conf"][i])})
                rows.append({"window": window, "outcome": outcome, "parameter": n, "index": "ST",
                             "value": float(res["ST"][i]), "conf": float(res["ST_conf"][i])})
            continue
        for i, (n, coef) in enumerate(zip(names, standardised_regression(design[ok], y[ok]), strict=True)):
            del i
            rows.append({"window": window, "outcome": outcome, "parameter": n, "index": "SRC",
                         "value": coef, "conf": None})
    return pl.DataFrame(rows, schema={"window": pl.String, "outcome": pl.String, "parameter": pl.String,
                                      "index": pl.String, "value": pl.Float64, "conf": pl.Float64})


def standardised_regression(x: np.ndarray, y: np.ndarray) -> list[float | None]:
    """Coefficients of y on x after scaling both to zero mean and unit variance (None where undefined)."""
    if len(y) < x.shape[1] + 2 or np.std(y) == 0:
        return [None] * x.shape[1]
    sx = x.std(axis=0)
    usable = sx > 0
    z = (x[:, usable] - x[:, usable].mean(axis=0)) / sx[usable]
    zy = (y - y.mean()) / y.std()
    coef, *_ = np.linalg.lstsq(z, zy, rcond=None)
    out: list[float | None] = []
    it = iter(coef)
    for u in usable:
        out.append(float(next(it)) if u else None)
    return out


# --------------------------------------------------------------------------- printing


def fmt(value: float | None, outcome: str = "") -> str:
    """A number for people: shares as percent-ish decimals, money with 2 decimals, counts with separators."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    a = abs(value)
    if a >= 1000:
        return f"{value:,.0f}"
    if a >= 10:
        return f"{value:.1f}"
    if a >= 0.1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def interval(low: float | None, high: float | None) -> str:
    return "n/a" if low is None or high is None else f"[{fmt(low)}, {fmt(high)}]"


def headline_arms(comparison: Comparison) -> list[str]:
    """The arms to tabulate: named arms (sweep points are summarised by the sensitivity table)."""
    sweep = comparison.sweep
    points = set(sweep["points"]) if sweep else set()
    return [a for a in comparison.arms if a not in points]


def sections(comparison: Comparison) -> list[tuple[str, str, str]]:
    """(window label, basis, heading) of each block of the table, in the order they are shown."""
    labels = list(dict.fromkeys(comparison.table["window"].to_list()))
    out = []
    for basis in ("daily", "monthly", "panel"):
        present = set(comparison.table.filter(pl.col("basis") == basis)["window"].to_list())
        for label in labels:
            if label in present:
                heading = label if basis == "daily" else (f"{label}, whole months" if basis == "monthly" else label)
                out.append((label, basis, heading))
    return out


def block(comparison: Comparison, window: str, basis: str, outcome: str, arms: list[str]) -> pl.DataFrame:
    """The table's rows of one window, basis and outcome for `arms`."""
    return comparison.table.filter((pl.col("window") == window) & (pl.col("basis") == basis)
                                   & (pl.col("outcome") == outcome) & pl.col("arm").is_in(arms))


def outcomes_of(comparison: Comparison, window: str, basis: str) -> list[str]:
    """The outcomes the table holds for one window and basis, in table order."""
    sub = comparison.table.filter((pl.col("window") == window) & (pl.col("basis") == basis))
    return list(dict.fromkeys(sub["outcome"].to_list()))


def print_comparison(comparison: Comparison, console) -> None:
    """Print one table per window, basis and outcome (rich)."""
    from rich.table import Table

    console.print(f"[bold]{comparison.name}[/]: {comparison.days} days; {CONFIDENCE:.0%} t-intervals over seeds; "
                  "differences paired by seed")
    console.print(f"windows ({comparison.window_source}): {', '.join(w.label for w in comparison.windows)}")
    if comparison.missing:
        console.print(f"[yellow]{len(comparison.missing)} run(s) not done are left out[/]")
    if comparison.skipped_windows:
        console.print(f"[yellow]windows beyond the {comparison.days} simulated days are left out: "
                      f"{', '.join(comparison.skipped_windows)}[/]")
    if comparison.panel_note:
        console.print(f"[yellow]{comparison.panel_note}[/]")
    arms = headline_arms(comparison)
    shown = set()
    for window, basis, heading in sections(comparison):
        if basis not in shown:
            console.print(f"[bold]{welfare.BASIS_LABELS[basis]}[/]")
            shown.add(basis)
        for outcome in outcomes_of(comparison, window, basis):
            rows = block(comparison, window, basis, outcome, arms)
            if rows.is_empty():
                continue
            table = Table(title=f"{outcome} — {heading}", title_justify="left")
            for col in ("arm", "n", "mean", "95% CI", "vs", "difference", "95% CI ", "change"):
                table.add_column(col, justify="left" if col in ("arm", "vs") else "right")
            for r in rows.iter_rows(named=True):
                table.add_row(r["arm"], str(r["n"]), fmt(r["mean"]), interval(r["ci_low"], r["ci_high"]),
                              r["compare_to"] or "—", fmt(r["diff"]) if r["compare_to"] else "",
                              interval(r["diff_low"], r["diff_high"]) if r["compare_to"] else "",
                              f"{r['diff_pct']:+.1%}" if r["diff_pct"] is not None else "")
            console.print(table)
    if comparison.sensitivity is not None and not comparison.sensitivity.is_empty():
        table = Table(title="Sensitivity of the sweep", title_justify="left")
        for col in ("window", "outcome", "parameter", "index", "value", "± conf"):
            table.add_column(col)
        for r in comparison.sensitivity.iter_rows(named=True):
            table.add_row(r["window"], r["outcome"], r["parameter"], r["index"], fmt(r["value"]), fmt(r["conf"]))
        console.print(table)


__all__ = ["Comparison", "compare_results", "t_interval", "window_values", "summarise", "sensitivity",
           "standardised_regression", "print_comparison", "sections", "block", "outcomes_of", "CONFIDENCE",
           "TABLE_SCHEMA"]
