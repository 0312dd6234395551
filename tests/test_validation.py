"""Stylized facts and calibration: the table is complete, the measures are right, the facts that a small
world can check hold, and the calibration procedure does what docs/validation.md says."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from gigsim.analysis.calibration import FREE_PARAMETERS, MOMENTS, calibrate, design, moment_loss, toml_snippet
from gigsim.analysis.facts import (
    TARGETS,
    TARGETS_BY_KEY,
    check_facts,
    combine_seeds,
    facts_markdown,
    income_measures,
    monthly_change,
)
from gigsim.cli import app
from gigsim.scenario import load_scenario

BASELINE = "scenarios/baseline.toml"


@pytest.fixture(scope="module")
def small_report():
    sc = load_scenario(BASELINE).rescaled(2000)
    return check_facts(sc, seed=5, days=400, shock_day=150)


def test_every_fact_has_a_target_a_source_and_a_value(small_report):
    assert [r.target.key for r in small_report.results] == [t.key for t in TARGETS]
    for r in small_report.results:
        t = r.target
        assert t.low < t.high and t.sources and all(s.author and s.year > 1990 and s.title for s in t.sources)
        assert math.isfinite(r.value), t.key
    markdown = facts_markdown(small_report, "gigsim validate-facts")
    for t in TARGETS:
        assert t.measure in markdown and t.sources[0].title in markdown
    assert markdown.count("\n| ") == len(TARGETS) + 1  # header + one row per measure


def test_the_facts_a_small_world_can_check_hold(small_report):
    """Side income and hours are robust at 2,000 workers; net ride pay is below gross."""
    values = small_report.values
    # gig_income_share sits near its lower bound and is checked by `gigsim validate-facts` at full
    # size and on a hand-made table below, not in a small world. Twelve-month retention follows a
    # few dozen entrants at this size: one seed ranges from 20% to 41% (seeds 1-8), so it is left
    # to `gigsim validate-facts` too.
    for key in ("side_income_share", "few_hours_share", "ride_net_to_gross"):
        target = TARGETS_BY_KEY[key]
        assert target.low <= values[key] <= target.high, (key, values[key])
    assert values["ride_utilisation"] < 1.0
    assert values["ai_writing_jobs"] < 0.0  # AI taking writing tasks never adds writing jobs


def test_income_measures_on_a_hand_made_table():
    workers = pl.DataFrame({
        "status": ["active", "active", "active", "left"],
        "monthly_net_earnings": [[100.0] * 12, [3000.0] * 12, [float("nan")] * 11 + [400.0], [5000.0] * 12],
        "monthly_other_income": [1900.0, 1000.0, 400.0, 0.0],
        "hours_offered": [1.0, 8.0, 2.0, 8.0],
    }).with_columns(pl.col("monthly_net_earnings").cast(pl.Array(pl.Float32, 12)))
    m = income_measures(workers)
    # platform shares of income: 5%, 75%, 50% -> one of three under half; median 50%
    assert m["side_income_share"] == pytest.approx(1 / 3)
    assert m["gig_income_share"] == pytest.approx(0.5)
    assert m["few_hours_share"] == pytest.approx(2 / 3)  # 7 and 14 h/week are under 15, 56 is not


def test_monthly_change_is_the_median_absolute_relative_change():
    steady = [100.0, 110.0] * 6       # changes +10%, -9.09%, ...
    flat = [50.0] * 12                 # 0
    gone = [50.0] * 11 + [float("nan")]  # not continuing: excluded
    workers = pl.DataFrame({"monthly_net_earnings": [steady, flat, gone]}).with_columns(
        pl.col("monthly_net_earnings").cast(pl.Array(pl.Float32, 12)))
    # per worker medians: steady -> median of {0.1 x6, 0.0909 x5} = 0.1; flat -> 0; median of the two = 0.05
    assert monthly_change(workers) == pytest.approx(0.05, rel=1e-4)


def test_moment_loss_is_zero_inside_every_range_up_to_the_centre_pull_and_grows_outside():
    centre = {k: (TARGETS_BY_KEY[k].low + TARGETS_BY_KEY[k].high) / 2 for k in MOMENTS}
    assert moment_loss(centre) == pytest.approx(0.0)
    inside_edge = dict(centre, retention_12m=TARGETS_BY_KEY["retention_12m"].high)
    just_out = dict(centre, retention_12m=TARGETS_BY_KEY["retention_12m"].high + 0.05)
    far_out = dict(centre, retention_12m=TARGETS_BY_KEY["retention_12m"].high + 0.2)
    assert 0 < moment_loss(inside_edge) < moment_loss(just_out) < moment_loss(far_out)
    assert moment_loss(dict(centre, retention_12m=float("nan"))) > moment_loss(far_out)


def test_design_is_a_seeded_latin_hypercube_within_the_ranges():
    points = design(12, seed=3)
    assert points.shape == (12, len(FREE_PARAMETERS))
    np.testing.assert_array_equal(points, design(12, seed=3))
    assert not np.array_equal(points, design(12, seed=4))
    for j, p in enumerate(FREE_PARAMETERS):
        assert (points[:, j] >= p.low).all() and (points[:, j] <= p.high).all()
        # Latin: exactly one point in each of the 12 equal strata of every parameter
        strata = np.floor((points[:, j] - p.low) / (p.high - p.low) * 12).astype(int)
        assert sorted(np.minimum(strata, 11)) == list(range(12))


def test_calibration_ranks_points_and_its_snippet_is_a_valid_override():
    sc = load_scenario(BASELINE).rescaled(400)
    cal = calibrate(sc, budget=2, days=400)
    assert cal.candidates.height == 3 and cal.candidates["origin"].to_list().count("current") == 1
    assert cal.candidates["loss"].is_sorted()
    snippet = toml_snippet(cal, sc, 2, (0,), 400)
    import tomllib

    tables = tomllib.loads(snippet)
    tuned = sc.with_overrides(tables)  # the snippet merges into the scenario and validates
    best = cal.candidates.row(0, named=True)
    for p in FREE_PARAMETERS:
        assert p.get(tuned) == pytest.approx(best[p.path], abs=1e-4)


def test_cli_validate_facts_writes_the_table_and_exits_1_when_a_fact_fails(tmp_path):
    result = CliRunner().invoke(app, ["validate-facts", BASELINE, "--workers", "400", "--days", "400",
                                      "--seed", "2", "--seeds", "2", "--out", str(tmp_path)])
    assert result.exit_code in (0, 1), result.output
    text = (tmp_path / "validation.md").read_text()
    import json

    facts = json.loads((tmp_path / "facts.json").read_text())["facts"]
    assert len(facts) == len(TARGETS)
    assert result.exit_code == (0 if all(f["holds"] for f in facts) else 1)
    assert "measures hold" in result.output and "Farrell & Greig" in text and "seeds 2–3" in text
    for f in facts:  # every measure but the spillover is the mean of its two seeds, with an interval
        if f["key"] == "ai_spillover":
            assert f["per_seed"] == [] and f["ci95"] is None
        elif all(math.isfinite(v) for v in f["per_seed"]):
            assert len(f["per_seed"]) == 2 and f["value"] == pytest.approx(sum(f["per_seed"]) / 2)
            assert f["ci95"][0] <= f["value"] <= f["ci95"][1]


def test_seeds_combine_into_means_and_the_spillover_is_the_largest_mean_change():
    """Opposite per-seed changes in a category cancel; a maximum of per-seed |changes| would not."""
    per_seed = [
        {"retention_12m": 0.30, "ai_spillover": 0.10, "_ai_by_category": {"writing": -0.1, "design": 0.10,
                                                                           "rides": 0.02}},
        {"retention_12m": 0.40, "ai_spillover": 0.10, "_ai_by_category": {"writing": -0.1, "design": -0.10,
                                                                           "rides": 0.04}},
    ]
    values = combine_seeds(per_seed)
    assert values["retention_12m"] == pytest.approx(0.35)
    assert values["ai_spillover"] == pytest.approx(0.03)  # rides' mean change; design's cancels out
    assert values["_ai_by_category"]["writing"] == pytest.approx(-0.1)


def test_cli_refuses_a_bad_scenario_cleanly(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[population]\nworkers = -3\n")
    result = CliRunner().invoke(app, ["validate-facts", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "population.workers" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()
