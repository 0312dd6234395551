"""The comparison: means, t-intervals and seed-paired differences checked against scipy on known numbers."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scipy import stats
from typer.testing import CliRunner

from gigsim.analysis.compare import compare_results, standardised_regression, t_interval
from gigsim.cli import app
from gigsim.experiments.store import FORMAT, KIND, file_checksums

runner = CliRunner()
DAYS = 20
# per (arm, seed): the outcome's value on days 0-9 and on days 10-19
VALUES = {
    "control": {0: (10.0, 12.0), 1: (11.0, 15.0), 2: (9.0, 11.0), 3: (13.0, 16.0)},
    "policy": {0: (10.5, 14.0), 1: (11.0, 18.5), 2: (9.9, 13.0), 3: (14.0, 19.5)},
    "solo": {0: (7.0, 7.0)},
}


def _synthetic_results(folder: Path) -> Path:
    """A results folder with known numbers: `fill_rate` is a step function of the day in every run."""
    runs = {}
    for arm, seeds in VALUES.items():
        for seed, (early, late) in seeds.items():
            d = folder / f"arm={arm}" / f"seed={seed}"
            d.mkdir(parents=True)
            day = np.arange(DAYS)
            pl.DataFrame({"day": day, "fill_rate": np.where(day < 10, early, late),
                          "participants": np.full(DAYS, 100 + seed)}).write_parquet(d / "metrics.parquet")
            rng = np.random.default_rng(seed)
            pl.DataFrame({"worker": np.arange(50), "status": ["active"] * 50, "lifetime_tasks": np.full(50, 3),
                          "net_hourly_earnings": rng.normal(early, 2, 50)}).write_parquet(d / "workers.parquet")
            pl.DataFrame({"day": day}).write_parquet(d / "markets.parquet")
            runs[f"arm={arm}/seed={seed}"] = {"arm": arm, "seed_index": seed, "seed": seed, "status": "done",
                                              "error": None, "seconds": 1.0, "finished": "x",
                                              "files": file_checksums(d)}
    runs["arm=solo/seed=1"] = {"arm": "solo", "seed_index": 1, "seed": 1, "status": "failed", "error": "boom",
                               "seconds": 1.0, "finished": "x"}
    manifest = {"kind": KIND, "format": FORMAT, "experiment": {"name": "known", "file": "known.toml",
                                                               "sha256": "0" * 64, "text": "", "description": ""},
                "settings": {"seeds": 4, "days": DAYS, "workers": None, "base_seed": 0, "arm_scenarios": {}},
                "control": "control", "outcomes": ["fill_rate", "participants"], "windows": ["all", "last 10 days"],
                "arms": {"control": {"description": "c", "compare_to": None, "point": None},
                         "policy": {"description": "p", "compare_to": "control", "point": None},
                         "solo": {"description": "s", "compare_to": "control", "point": None}},
                "sweep": None, "runs": runs}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def _row(table: pl.DataFrame, window: str, outcome: str, arm: str) -> dict:
    rows = table.filter((pl.col("window") == window) & (pl.col("outcome") == outcome) & (pl.col("arm") == arm))
    assert rows.height == 1
    return rows.row(0, named=True)


def _scipy_interval(x):
    x = np.asarray(x, dtype=float)
    return stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))


def test_means_intervals_and_paired_differences_match_scipy(tmp_path):
    comparison = compare_results(_synthetic_results(tmp_path))
    table = comparison.table
    for window, pick in (("all days", lambda e, late: (e + late) / 2), ("last 10 days", lambda e, late: late)):
        control = [pick(*VALUES["control"][s]) for s in range(4)]
        policy = [pick(*VALUES["policy"][s]) for s in range(4)]
        c, p = _row(table, window, "fill_rate", "control"), _row(table, window, "fill_rate", "policy")
        assert c["n"] == 4 and c["mean"] == pytest.approx(np.mean(control))
        assert (c["ci_low"], c["ci_high"]) == pytest.approx(_scipy_interval(control))
        assert p["mean"] == pytest.approx(np.mean(policy))
        assert (p["ci_low"], p["ci_high"]) == pytest.approx(_scipy_interval(policy))
        diffs = np.subtract(policy, control)
        assert p["n_pairs"] == 4 and p["diff"] == pytest.approx(diffs.mean())
        assert (p["diff_low"], p["diff_high"]) == pytest.approx(_scipy_interval(diffs))
        assert p["diff_pct"] == pytest.approx(diffs.mean() / np.mean(control))
        # pairing matters: the paired interval is narrower than an unpaired one on these numbers
        unpaired = stats.ttest_ind(policy, control).confidence_interval(0.95)
        assert p["diff_high"] - p["diff_low"] < unpaired.high - unpaired.low
        assert c["compare_to"] is None and c["diff"] is None


def test_a_single_seed_has_no_interval_and_failed_runs_are_left_out(tmp_path):
    comparison = compare_results(_synthetic_results(tmp_path))
    solo = _row(comparison.table, "all days", "fill_rate", "solo")
    assert solo["n"] == 1 and solo["mean"] == 7.0 and solo["ci_low"] is None and solo["ci_high"] is None
    assert solo["n_pairs"] == 1 and solo["diff"] == pytest.approx(7.0 - 11.0) and solo["diff_low"] is None
    assert comparison.missing == ["arm=solo/seed=1"]


def test_window_option_overrides_the_experiment_windows(tmp_path):
    folder = _synthetic_results(tmp_path)
    comparison = compare_results(folder, windows=["5:12"])
    assert [w.label for w in comparison.windows] == ["days 5-11"]
    expected = np.mean([(5 * e + 2 * late) / 7 for e, late in VALUES["control"].values()])
    assert _row(comparison.table, "days 5-11", "fill_rate", "control")["mean"] == pytest.approx(expected)
    result = runner.invoke(app, ["compare", str(folder), "--window", "30:40"])
    assert result.exit_code == 2 and "holds no day" in result.stderr
    result = runner.invoke(app, ["compare", str(folder), "--window", "soon"])
    assert result.exit_code == 2 and "is not a window" in result.stderr


def test_compare_cli_writes_a_self_contained_report(tmp_path):
    folder = _synthetic_results(tmp_path / "results")
    report = tmp_path / "report"
    result = runner.invoke(app, ["compare", str(folder), "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert "fill_rate" in result.stdout and "policy" in result.stdout
    page = (report / "report.html").read_text()
    assert page.count("data:image/png;base64,") >= 3, "time series per outcome + earnings distribution, inline"
    assert "src='figures/" not in page and "http" not in page, "the HTML needs no other file"
    md = (report / "report.md").read_text()
    assert "| policy | 4 |" in md and "![" in md
    for line in md.splitlines():
        if line.startswith("!["):
            assert (report / line.split("(")[1].rstrip(")")).is_file()
    saved = pl.read_parquet(report / "comparison.parquet")
    assert saved.equals(compare_results(folder).table)


def test_t_interval_edge_cases():
    assert t_interval([]) [1:] == (None, None) and math.isnan(t_interval([])[0])
    assert t_interval([3.0, 3.0, 3.0]) == (3.0, 3.0, 3.0)
    assert t_interval([1.0, float("nan"), 3.0])[0] == 2.0


def test_standardised_regression_recovers_a_linear_model():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1, (200, 3))
    y = 2 * x[:, 0] - 1 * x[:, 1] + 0 * x[:, 2]
    src = standardised_regression(x, y)
    expected = np.array([2, -1, 0]) * x.std(axis=0) / y.std()
    assert np.allclose(src, expected, atol=1e-9)
    assert standardised_regression(x[:3], y[:3]) == [None, None, None], "too few points"
