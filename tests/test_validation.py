"""The scorecard and the calibration: every measure is right on hand-made tables, the scorecard is what
issue 16 asks for (levels, sources, roles), facts.json follows its schema, and the calibration uses only
calibrated measures (and runs on a world without freelancing)."""

from __future__ import annotations

import json
import math
import tomllib

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from gigsim.analysis import measures as m
from gigsim.analysis.calibration import FREE_PARAMETERS, MOMENTS, calibrate, design, moment_loss, toml_snippet
from gigsim.analysis.evidence import FACT_ROWS, facts_markdown, write_facts
from gigsim.analysis.scorecard import CALIBRATED, HELD_OUT, MEASURES, MEASURES_BY_NAME, Scorecard, score
from gigsim.cli import app
from gigsim.scenario import load_scenario

BASELINE = "scenarios/baseline.toml"
CATS = ["rides", "stays", "writing"]
NAN = np.nan


def tables(**over) -> m.RunTables:
    """A hand-made run of four workers: 0 and 1 drive, 2 hosts, 3 writes (codes 0, 1, 2)."""
    n = 4
    base = dict(
        metrics=pl.DataFrame({"day": [0, 1], "workers_stays": [1, 1]}),
        markets=pl.DataFrame({"day": [0, 1, 0, 1], "category": ["rides", "rides", "stays", "writing"],
                              "worker_pay": [100.0, 100.0, 0.0, 0.0], "worker_costs": [30.0, 30.0, 0.0, 0.0],
                              "task_hours": [5.0, 5.0, 0.0, 0.0], "tasks_filled": [10.0, 10.0, 0.0, 0.0]}),
        workers=pl.DataFrame({"status": ["active", "active", "active", "left"],
                              "category": ["rides", "rides", "stays", ""],
                              "first_entry_day": [-1, 29, 59, 29], "lifetime_tasks": [50, 3, 12, 0],
                              "monthly_other_income": [1000.0, 1000.0, 1000.0, 1000.0],
                              "monthly_net_earnings": [[1000.0, 1000.0], [100.0, NAN], [250.0, 250.0], [NAN, NAN]]}),
        category_names=CATS, online_categories=["writing"],
        month_status=np.ones((2, n), np.int8), month_category=np.tile(np.array([0, 0, 1, 2], np.int32), (2, 1)),
        week_hours=np.full((1, n), NAN, np.float32), week_category=np.full((1, n), -1, np.int32),
        first_task_day=np.array([0, 30, 60, -1]), run_pay=np.zeros(n), window_pay=np.zeros(n),
        ride_platforms=np.array([2, 1, 0, 0]), logged_by_category=np.array([[10.0, 1, 0], [10.0, 1, 0]]))
    base.update(over)
    return m.RunTables(**base)


def test_the_hours_measures_count_driver_weeks_in_hall_and_kruegers_bins():
    weeks = np.array([[10, 20, 5, NAN], [40, 60, 5, NAN]], np.float32)
    cats = np.array([[0, 0, 1, 0], [0, 0, 1, 0]], np.int32)
    t = tables(week_hours=weeks, week_category=cats)
    assert m.ride_hours_up_to_15(t) == pytest.approx(0.25)     # 10 of (10, 20, 40, 60); the host's 5 h do not count
    assert m.ride_hours_35_plus(t) == pytest.approx(0.5)
    assert m.ride_hours_share_35_plus(t) == pytest.approx(100 / 130)
    assert m.ride_mean_weekly_hours(t) == pytest.approx(32.5)
    assert m.ride_weekly_swing(t) == pytest.approx(1.0)        # 10 -> 40 and 20 -> 60: both beyond ±25%
    t = tables(week_hours=np.array([[10, 20, 5, NAN], [12, 30, 5, NAN]], np.float32), week_category=cats)
    assert m.ride_weekly_swing(t) == pytest.approx(0.5)        # +20% stays inside, +50% does not


def test_the_ride_pay_measures_divide_by_logged_hours():
    t = tables()
    assert m.ride_utilisation(t) == pytest.approx(10 / 20)
    assert m.ride_net_to_gross(t) == pytest.approx(140 / 200)
    assert m.ride_gross_hourly(t) == pytest.approx(200 / 20)
    assert m.ride_net_hourly(t) == pytest.approx(140 / 20)
    assert m.ride_multihoming(t) == pytest.approx(0.5)         # drivers 0 (two apps) and 1 (one)


def test_participation_measures_on_a_hand_made_panel():
    status = np.zeros((14, 4), np.int8)
    status[:, 0] = 1                       # active every month (entered before the run)
    status[0:13, 1] = 1                    # entered in round 0 (day 29), still active 12 rounds later
    status[1:3, 2] = 1                     # entered in round 1 (day 59), gone a year later
    t = tables(month_status=status, month_category=np.zeros((14, 4), np.int32),
               workers=tables().workers.with_columns(pl.Series("first_entry_day", [-1, 29, 59, 400])))
    assert m.retention_12m(t) == pytest.approx(0.5)            # 1 of the 2 entrants of rounds 0-1
    # the last 12 rounds (2-13): worker 0 active in 12, worker 1 in 11, worker 2 in 1
    assert m.months_active_up_to_3(t) == pytest.approx(1 / 3)
    assert m.entrant_share(t) == pytest.approx(np.mean([1 / 3] + [0.0] * 12))  # worker 2 new in round 1 of 3 active
    assert m.ride_months_active(t) == pytest.approx((12 + 11 + 1) / 3)
    # rounds 11 and 12: 2 active of 3 active in the year to then; round 13: worker 0 alone of the same 3
    assert m.month_to_year_participation(t) == pytest.approx(np.mean([2 / 3, 2 / 3, 1 / 3]))


def test_income_shares_use_participant_months_of_each_sector():
    t = tables()
    # drivers: 1000/(2000) twice and 100/1100 once; the host: 250/1250 twice; the writer has no months
    assert m.labour_income_share(t) == pytest.approx(np.mean([0.5, 0.5, 100 / 1100]))
    assert m.capital_income_share(t) == pytest.approx(0.2)
    assert m.income_dependent_share(t) == pytest.approx(0.0)


def test_monthly_change_is_the_median_absolute_relative_change():
    w = pl.DataFrame({"monthly_net_earnings": [[100.0, 120.0, 90.0], [100.0, 100.0, 100.0], [50.0, NAN, 50.0]]})
    t = tables(workers=w)
    assert m.monthly_earnings_change(t) == pytest.approx(np.median([np.median([0.2, 0.25]), 0.0]))


def test_freelance_measures_count_the_online_workers_who_ever_got_work():
    status = np.array([[1, 1, 1, 1], [1, 1, 1, 0]], np.int8)
    cats = np.array([[0, 2, 2, 2], [0, 2, 2, 2]], np.int32)           # worker 0 drives; 1-3 write
    workers = tables().workers.with_columns(pl.Series("lifetime_tasks", [50, 0, 12, 3]))
    t = tables(month_status=status, month_category=cats, workers=workers, run_pay=np.array([0, 0, 0, 1500.0]))
    assert m.freelance_ever_hired(t) == pytest.approx(2 / 3)          # the driver's 50 tasks do not count
    assert m.freelance_established(t) == pytest.approx(1.0)           # 12 tasks; 3 tasks but 1,500 of pay
    t = tables(month_status=status, month_category=cats, workers=workers, run_pay=np.zeros(4))
    assert m.freelance_established(t) == pytest.approx(0.5)


def test_programming_fill_rate_counts_tasks_offered_to_people():
    markets = pl.DataFrame({"day": [0, 1, 1], "category": ["programming", "programming", "writing"],
                            "tasks_posted": [10.0, 10.0, 5.0], "tasks_automated": [4.0, 0.0, 0.0],
                            "tasks_filled": [6.0, 6.0, 1.0]})
    assert m.programming_fill_rate(tables(markets=markets)) == pytest.approx(12 / 16)
    assert m.programming_fill_rate(tables(markets=markets.filter(pl.col("category") == "writing"))) is None


def test_home_sharing_occupancy_and_concentration():
    markets = pl.DataFrame({"day": [0, 1], "category": ["stays", "stays"], "tasks_filled": [1.0, 0.0]})
    t = tables(markets=markets, metrics=pl.DataFrame({"day": [0, 1], "workers_stays": [2, 2]}),
               asset_days={"stays": 3}, week_category=np.array([[0, 0, 1, 1]], np.int32))
    assert m.stays_booked_share_of_active_nights(t) == pytest.approx(3 / 4)
    assert m.stays_occupancy(t) == pytest.approx(3 / (2 * 2))         # 2 listings over the 2-day window
    cats = np.full((2, 4), 1, np.int32)
    t = tables(month_category=cats, window_pay=np.array([100.0, 100.0, 100.0, 700.0]))
    assert m.stays_mean_to_median(t) == pytest.approx(250 / 100)
    assert m.stays_top1_share(t) == pytest.approx(0.7)


def test_measures_are_null_when_the_world_has_no_such_sector():
    t = tables(category_names=["writing"], online_categories=["writing"],
               month_category=np.zeros((2, 4), np.int32), logged_by_category=np.zeros((2, 1)),
               markets=tables().markets.filter(pl.col("category") == "writing"))
    for f in (m.ride_utilisation, m.ride_gross_hourly, m.ride_hours_up_to_15, m.ride_months_active,
              m.capital_income_share):
        assert f(t) is None, f.__name__


def test_the_scorecard_is_mostly_levels_from_ten_sources_with_eight_held_out():
    assert len(MEASURES) >= 20 and len(MEASURES_BY_NAME) == len(MEASURES)
    assert len(HELD_OUT) >= 8 and set(MOMENTS) == set(CALIBRATED)
    assert sum(x.kind == "level" for x in MEASURES) > len(MEASURES) / 2
    assert len({x.source for x in MEASURES}) >= 10
    assert {x.sector for x in MEASURES} >= {"rides", "stays", "online", "all"}
    for x in MEASURES:
        assert x.low < x.high and x.band and x.published and x.source.url.startswith("http"), x.name
        assert x.measurable or x.missing, x.name


def test_facts_json_is_a_list_of_rows_with_nulls_not_nan(tmp_path):
    per_seed = [{x.name: 0.5 for x in MEASURES}, {x.name: 0.7 for x in MEASURES}]
    per_seed[0]["ride_utilisation"] = math.nan
    per_seed[1]["ride_utilisation"] = None
    card = Scorecard(score(per_seed), "hand", 100, 1, 2, 400)
    write_facts(card, tmp_path, "cmd")
    text = (tmp_path / "facts.json").read_text()
    assert "NaN" not in text and "Infinity" not in text
    rows = FACT_ROWS.validate_json(text)
    assert [r.name for r in rows] == [x.name for x in MEASURES]
    by = {r.name: r for r in rows}
    assert by["ride_utilisation"].value is None and by["ride_utilisation"].holds is None
    hours = by["ride_hours_up_to_15"]
    assert hours.value == pytest.approx(0.6) and hours.holds is True       # 0.6 in [0.45, 0.61]
    assert hours.ci_low < 0.6 < hours.ci_high
    assert by["stays_occupancy"].holds is False                            # 0.6 outside [0.12, 0.22]
    assert set(json.loads(text)[0]) >= {"name", "kind", "role", "source", "target_low", "target_high", "value",
                                        "ci_low", "ci_high", "holds"}
    assert facts_markdown(card).count("\n| `") == len(MEASURES)


def test_moment_loss_is_zero_inside_every_band_up_to_the_centre_pull_and_grows_outside():
    centre = {k: (MEASURES_BY_NAME[k].low + MEASURES_BY_NAME[k].high) / 2 for k in MOMENTS}
    assert moment_loss(centre) == pytest.approx(0.0)
    off = dict(centre, retention_12m=0.7)
    further = dict(centre, retention_12m=0.9)
    assert 0 < moment_loss(off) < moment_loss(further)
    assert moment_loss(dict(centre, retention_12m=None)) >= 25


def test_design_is_a_seeded_latin_hypercube_within_the_ranges():
    a, b = design(8, seed=3), design(8, seed=3)
    assert np.array_equal(a, b) and a.shape == (8, len(FREE_PARAMETERS))
    for j, p in enumerate(FREE_PARAMETERS):
        assert (a[:, j] >= p.low).all() and (a[:, j] <= p.high).all()
        assert len(np.unique(np.floor((a[:, j] - p.low) / (p.high - p.low) * 8))) == 8  # one point per stratum


def test_calibration_runs_on_a_rides_only_world_and_its_snippet_is_a_valid_override():
    """Issue 17: calibrate raised KeyError on a valid scenario without freelancing."""
    sc = load_scenario(BASELINE).rescaled(300)
    sc = sc.with_overrides({"categories": {c: {"enabled": False} for c in ("stays", "writing", "design",
                                                                         "programming")},
                            "platforms": {p: {"enabled": False} for p in ("staybnb", "freelancely")}}, "<rides>")
    cal = calibrate(sc, budget=1, seeds=(0,), days=400, identify=False)
    assert cal.candidates.height == 2
    best = cal.candidates.row(0, named=True)
    assert best["top10_share_gap"] is None and best["ride_utilisation"] is not None
    assert best["loss"] >= 25 * 2          # the two freelancing moments cannot be produced
    record = tomllib.loads(toml_snippet(cal, sc, 1, (0,), 400))
    assert record["parameters"] == cal.best and record["calibration"]["loss"] == best["loss"]
    assert "top10_share_gap" not in record["calibration"]["moments"]   # undefined: absent (TOML has no null), not nan
    sc.with_overrides(record["parameters"], "<best>")  # a valid override of the scenario


def test_cli_validate_facts_writes_json_and_exits_1_when_a_measure_fails(tmp_path):
    result = CliRunner().invoke(app, ["validate-facts", BASELINE, "--workers", "300", "--seeds", "2",
                                      "--days", "400", "--out", str(tmp_path)])
    rows = FACT_ROWS.validate_json((tmp_path / "facts.json").read_text())
    failing = [r.name for r in rows if r.holds is False]
    assert result.exit_code == (1 if failing else 0), result.output
    assert "--workers 300" in (tmp_path / "facts.md").read_text()


def test_cli_refuses_a_bad_scenario_cleanly(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[population]\nworkers = -3\n")
    result = CliRunner().invoke(app, ["validate-facts", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "workers" in result.output
    assert not (tmp_path / "out" / "facts.json").exists()


def test_seed_noise_pools_the_within_point_variance_over_points():
    from gigsim.analysis.calibration import moment_scale, seed_noise

    key = MOMENTS[0]
    points = [[{key: 0.1}, {key: 0.3}], [{key: 0.5}, {key: 0.5}]]
    noise = seed_noise(points)
    assert noise[0] == pytest.approx(math.sqrt((0.02 + 0.0) / 2 / 2) / moment_scale(key))
    assert np.isnan(seed_noise([[{key: 0.1}]])[0])            # one seed: unknown
