"""Whole-month measures, the stable panel, the report's lead (forest plot and sentences), on hand-made tables.

The tables hold nulls where values are undefined (and NaN, as files written before the model used null do).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from gigsim.analysis import findings, welfare
from gigsim.analysis.compare import compare_results
from gigsim.analysis.report import earnings_figure
from gigsim.analysis.stats import half_width, is_clear, paired_difference, t_interval
from gigsim.cli import app
from gigsim.experiments.spec import parse_window
from gigsim.experiments.store import FORMAT, KIND, file_checksums

runner = CliRunner()
DAYS = 120
SEEDS = 4


def _sawtooth(day: np.ndarray, shift: float) -> np.ndarray:
    """p10 that follows a 30-day sawtooth (mean 10 + shift over a whole month)."""
    return 10.0 + shift + 3.0 * ((day % 30) / 29.0 - 0.5)


def _workers(arm: str, seed: int) -> pl.DataFrame:
    """Eight workers: five incumbents (entered before day 60), one entrant, one never-entered (null), one with
    the old −1 sentinel and no history; monthly earnings with nulls and NaN, and NaN hourly earnings."""
    gain = 100.0 if arm == "policy" else 0.0
    months = [[None] * 8 + [1000.0 + gain + seed, 1000.0 + gain, float("nan"), 1000.0 + gain] for _ in range(5)]
    months += [[None] * 11 + [50.0], [None] * 12, [None] * 12]
    return pl.DataFrame({
        "worker": range(8), "status": ["active"] * 4 + ["left", "active", "out", "out"],
        "lifetime_tasks": [5] * 6 + [0, 0],
        "net_hourly_earnings": [12.0, float("nan"), None, 15.0, 9.0, 3.0, None, None],
        "savings": [100.0 + gain] * 5 + [0.0, 0.0, 0.0], "monthly_other_income": [200.0] * 5 + [0.0] * 3,
        "first_entry_day": [-30, -5, 0, 10, 20, 100, None, -1], "entry_day": [-30, -5, 0, 10, 20, 100, None, -1],
        "exit_day": [None] * 4 + [90, None, None, None],
        "monthly_net_earnings": pl.Series(months, dtype=pl.Array(pl.Float32, 12)),
    }, strict=False)


def _results(folder: Path) -> Path:
    runs = {}
    for arm, shift in (("control", 0.0), ("policy", 0.5)):
        for seed in range(SEEDS):
            d = folder / f"arm={arm}" / f"seed={seed}"
            d.mkdir(parents=True)
            day = np.arange(DAYS)
            pl.DataFrame({"day": day, "p10_net_hourly_earnings": _sawtooth(day, shift + 0.01 * seed),
                          "participants": np.full(DAYS, 100.0 + seed)}).write_parquet(d / "metrics.parquet")
            _workers(arm, seed).write_parquet(d / "workers.parquet")
            pl.DataFrame({"day": day}).write_parquet(d / "markets.parquet")
            runs[f"arm={arm}/seed={seed}"] = {"arm": arm, "seed_index": seed, "seed": seed, "status": "done",
                                              "error": None, "seconds": 1.0, "finished": "x",
                                              "files": file_checksums(d)}
    manifest = {"kind": KIND, "format": FORMAT, "experiment": {"name": "saw", "file": "saw.toml", "sha256": "0" * 64,
                                                               "text": "", "description": "A sawtooth."},
                "settings": {"seeds": SEEDS, "days": DAYS, "workers": None, "base_seed": 0, "arm_scenarios": {}},
                "control": "control", "outcomes": ["p10_net_hourly_earnings", "participants"],
                "windows": ["90:93"],
                "arms": {"control": {"description": "c", "compare_to": None, "point": None, "overrides": {}},
                         "policy": {"description": "p", "compare_to": "control", "point": None,
                                    "overrides": {"policy": {"min_pay": {"enabled": True, "start": 60}}}}},
                "sweep": None, "runs": runs}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    return compare_results(_results(tmp_path_factory.mktemp("saw")))


def _row(table, basis, outcome, arm="policy"):
    rows = table.filter((pl.col("basis") == basis) & (pl.col("outcome") == outcome) & (pl.col("arm") == arm))
    assert rows.height == 1, (basis, outcome, arm)
    return rows.row(0, named=True)


def test_whole_months_do_not_depend_on_the_day_measured(comparison):
    # days 90-92 sit at the start of a month: the daily cross-section sees the low part of the sawtooth
    daily = _row(comparison.table, "daily", "p10_net_hourly_earnings", "control")
    monthly = _row(comparison.table, "monthly", "p10_net_hourly_earnings", "control")
    assert daily["mean"] < 9.0
    assert monthly["mean"] == pytest.approx(10.0 + 0.015, abs=1e-9), "a whole month averages the sawtooth out"
    assert welfare.month_bounds(parse_window("90:93"), DAYS) == (63, 93)
    assert welfare.month_bounds(parse_window("last 65 days"), DAYS) == (60, 120)
    assert _row(comparison.table, "monthly", "p10_net_hourly_earnings")["diff"] == pytest.approx(0.5)
    # counts are not distribution measures: no whole-month rows for them
    assert comparison.table.filter((pl.col("basis") == "monthly") & (pl.col("outcome") == "participants")).is_empty()


def test_the_stable_panel_follows_incumbents_and_counts_missing_months_as_zero(comparison):
    assert comparison.panel_start == 60
    members = welfare.panel_members(_workers("control", 0), 60)
    assert members["worker"].to_list() == [0, 1, 2, 3, 4], "the entrant, the never-entered and a bare −1 are out"
    k = welfare.panel_months(DAYS, 60)
    assert k == 2
    income = _row(comparison.table, "panel", "panel_mean_monthly_income", "control")
    # last two months: NaN (0) and 1000 -> 500 a month, plus 200 outside
    assert income["mean"] == pytest.approx(700.0)
    policy = _row(comparison.table, "panel", "panel_mean_monthly_income")
    assert policy["diff"] == pytest.approx(50.0) and policy["n_pairs"] == SEEDS
    assert _row(comparison.table, "panel", "panel_active_share", "control")["mean"] == pytest.approx(0.8)


def test_policy_start_is_the_first_day_an_arm_differs():
    assert welfare.policy_start({"a": {"overrides": {}}}) == 0
    dated = {"b": {"overrides": {"policy": {"cash_transfer": {"enabled": True, "start": 90, "levy": 0.02}}}},
             "c": {"overrides": {"shocks": [{"start": 120, "size": 0.7, "duration": 10}]}}}
    assert welfare.policy_start(dated) == 90
    undated = {**dated, "d": {"overrides": {"platforms": {"rideco": {"commission": 0.1}}}}}
    assert welfare.policy_start(undated) == 0


def test_the_lead_says_which_effects_are_clear(comparison):
    lines = findings.sentences(comparison)
    text = " ".join(lines)
    assert "**policy** vs control: clearly" in text
    assert "p10_net_hourly_earnings (whole months) by 0.50" in text
    assert "panel_mean_monthly_income (stable panel) by 50.0" in text
    assert "Not clear for policy" in text and "participants" in text
    png = findings.forest_figure(comparison)
    assert png.startswith(b"\x89PNG")


def test_report_leads_with_the_answer(tmp_path):
    folder = _results(tmp_path / "r")
    result = runner.invoke(app, ["compare", str(folder), "--report", str(tmp_path / "rep")])
    assert result.exit_code == 0, result.output
    md = (tmp_path / "rep" / "report.md").read_text()
    assert md.index("## The answer") < md.index("## How it was measured") < md.index("## Details")
    assert md.index("effects_forest.png") < md.index("## How it was measured")
    assert "Stable panel" in md and "whole months" in md and "stored in manifest.json" in md
    assert "panel: incumbents at day 60" in md
    page = (tmp_path / "rep" / "report.html").read_text()
    assert page.index("The answer") < page.index("Details") and "<b>policy</b>" in page
    assert "whole months" in result.stdout and "stable panel" in result.stdout


def test_the_earnings_figure_drops_nan_and_null(tmp_path):
    workers = pl.concat([_workers("control", 0).with_columns(pl.lit("control").alias("arm")),
                         _workers("policy", 0).with_columns(pl.lit("policy").alias("arm"))])
    assert earnings_figure(workers, ["control", "policy"]).startswith(b"\x89PNG")
    only_undefined = workers.with_columns(pl.lit(float("nan")).alias("net_hourly_earnings"))
    assert earnings_figure(only_undefined, ["control", "policy"]) is None


def test_a_bad_stored_window_names_the_manifest(tmp_path):
    folder = _results(tmp_path / "w")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["windows"] = ["lately"]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    result = runner.invoke(app, ["compare", str(folder)])
    assert result.exit_code == 2 and "manifest.json: windows" in result.stderr and "--window" not in result.stderr


def test_stats_module():
    mean, low, high = t_interval([1.0, None, float("nan"), 3.0])
    assert mean == 2.0 and low < 2.0 < high
    assert half_width([2.0, np.nan], [1, 4]).tolist() == [0.0, 0.0]
    assert half_width([2.0], [4])[0] == pytest.approx(3.182446305 * 2.0 / 2.0)
    d = paired_difference({0: 2.0, 1: 4.0, 2: None}, {0: 1.0, 1: 2.0, 2: 5.0, 3: 1.0})
    assert d["n_pairs"] == 2 and d["diff"] == 1.5 and d["diff_pct"] == pytest.approx(1.0)
    assert paired_difference({0: 1.0}, {1: 1.0}) is None
    assert is_clear(0.1, 0.5) and is_clear(-0.5, -0.1) and not is_clear(-0.1, 0.5) and not is_clear(None, None)


def test_former_participants_drawn_at_the_start_join_the_panel_only_if_back_before_the_policy():
    """A former participant drawn at the start (`drawn_past`: her spell ended before the run) is one of the pool, not
    an incumbent: in the panel only if she came back before the start, whatever she did after it. (Session 8
    measured 44-47% of the NYC experiment's panel as such people, most of them out all year, before this rule.)
    Her first_entry_day is her first entry in the run (null: never back); her latest entry, exit and reason may be
    anything: 2 came back after the start and left again (exit reason `earnings`, the case the latest-reason rule
    counted), 5 came back before the start, left, and came back after it."""
    workers = pl.DataFrame({
        "worker": range(6),
        "drawn_past": [True, True, True, False, False, True],
        "first_entry_day": [None, 20, 100, -30, -400, 10], "entry_day": [-400, 20, 100, -30, -400, 200],
        "exit_day": [-310, -310, 150, 40, None, 40],
        "exit_reason": ["past", "past", "earnings", "earnings", None, "random"],
        "lifetime_tasks": [0, 3, 3, 3, 9, 5],
        "monthly_net_earnings": pl.Series([[None] * 12] * 6, dtype=pl.Array(pl.Float32, 12)),
    }, strict=False)
    members = welfare.panel_members(workers, 60)["worker"].to_list()
    assert members == [1, 3, 4, 5], "never back (0) and back only after the start (2) are out"


def test_files_written_before_drawn_past_still_leave_out_drawn_spells_not_back_by_the_start():
    """Older files stamped the drawn spell's entry as first_entry_day and had no `drawn_past`: their latest exit
    reason `past` marks those never back."""
    workers = pl.DataFrame({
        "worker": range(5),
        "first_entry_day": [-400, -400, -400, -30, -400], "entry_day": [-400, 20, 100, -30, -400],
        "exit_day": [-310, -310, -310, 40, None],
        "exit_reason": ["past", "past", "past", "earnings", None],
        "lifetime_tasks": [0, 3, 3, 3, 9],
        "monthly_net_earnings": pl.Series([[None] * 12] * 5, dtype=pl.Array(pl.Float32, 12)),
    }, strict=False)
    members = welfare.panel_members(workers, 60)["worker"].to_list()
    assert members == [1, 3, 4], "never back (0) and back only after the start (2) are out"

