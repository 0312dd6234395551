"""The worker panels and first task day a run writes: their rows add up to the daily tables, the first task day
agrees with each worker's tasks, they can be turned off, and a re-entry keeps a burn-in first entry."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest

from gigsim.analysis.facts import tables_from_run
from gigsim.experiments.run import run_scenario, write_run
from gigsim.scenario import load_scenario

DAYS = 40  # five whole weeks and a partial one of five days; one whole month


@pytest.fixture(scope="module")
def small():
    sc = load_scenario("scenarios/baseline.toml").rescaled(400).with_overrides({"burn_in_days": 60})
    return sc, run_scenario(sc, seed=3, days=DAYS)


def test_the_weekly_panel_adds_up_to_the_daily_tables(small):
    _, run = small
    weekly, metrics = run.panels["panel_weekly"], run.metrics
    assert sorted(weekly["week"].unique().to_list()) == list(range(6))
    assert set(weekly.filter(pl.col("week") == 5)["days"].to_list()) == {DAYS % 7}
    assert weekly.select(pl.struct("worker", "week").is_unique().all()).item()
    assert weekly["logged_hours"].sum() == pytest.approx(metrics["logged_hours"].sum(), rel=1e-6)  # float32 sums
    assert weekly["tasks"].sum() == metrics["tasks_filled"].sum()
    assert weekly["gross_pay"].sum() == pytest.approx(metrics["worker_pay"].sum(), rel=1e-9)
    net = metrics["worker_pay"].sum() - metrics["worker_costs"].sum()
    assert weekly["net_earnings"].sum() == pytest.approx(net, rel=1e-9)
    # a full week is seven active days in one category; nobody is active on more days than the week has
    assert weekly.filter(pl.col("full_week"))["days_active"].to_list() == [7] * weekly["full_week"].sum()
    assert (weekly["days_active"] <= weekly["days"]).all()
    assert not weekly.filter(pl.col("week") == 5)["full_week"].any()
    # per category: the metrics' logged hours per category sum the same hours
    cats = [c for c in metrics.columns if c.startswith("logged_hours_")]
    assert sum(metrics[c].sum() for c in cats) == pytest.approx(metrics["logged_hours"].sum(), rel=1e-6)


def test_the_monthly_panel_has_every_worker_every_month_and_matches_the_worker_table(small):
    _, run = small
    monthly, workers = run.panels["panel_monthly"], run.workers
    assert monthly.height == workers.height * (DAYS // 30)
    last = monthly.filter(pl.col("month") == DAYS // 30 - 1).sort("worker")
    history = workers["monthly_net_earnings"].arr.last()
    assert last["net_earnings"].is_null().to_list() == history.is_null().to_list()
    assert np.allclose(last["net_earnings"].drop_nulls().to_numpy(), history.drop_nulls().to_numpy())


def test_first_task_day_agrees_with_each_workers_tasks(small):
    sc, run = small
    w = run.workers
    never = w["first_task_day"].is_null().to_numpy()
    assert (never == (w["lifetime_tasks"].to_numpy() == 0)).all()
    days = w["first_task_day"].drop_nulls().to_numpy()
    assert days.min() >= -sc.burn_in_days and days.max() < DAYS
    # a first task during the run is in the first week with tasks of that worker's panel rows
    weekly = run.panels["panel_weekly"].filter(pl.col("tasks") > 0)
    first_week = weekly.group_by("worker").agg(pl.col("week").min())
    joined = first_week.join(w.select(pl.col("worker").cast(pl.Int32), "first_task_day"), on="worker")
    in_run = joined.filter(pl.col("first_task_day") >= 0)
    assert in_run.height > 0
    assert (in_run["week"] == in_run["first_task_day"] // 7).all()
    # tasks before day 0 (lifetime minus the panel's) exist exactly for workers whose first task was in the burn-in
    in_panel = run.panels["panel_weekly"].group_by("worker").agg(pl.col("tasks").sum())
    done = np.zeros(w.height, np.int64)
    done[in_panel["worker"].to_numpy()] = in_panel["tasks"].to_numpy()
    before = w["lifetime_tasks"].to_numpy() - done
    assert (before >= 0).all()
    assert ((before > 0) == (w["first_task_day"].fill_null(0).to_numpy() < 0)).all()


def test_the_scorecard_tables_come_from_the_outputs(small):
    sc, run = small
    t = tables_from_run(run, sc, measure_from=7)
    assert t.month_status.shape == (1, run.workers.height)
    assert t.week_hours.shape == (6, run.workers.height)
    assert np.nansum(t.week_hours) == pytest.approx(
        run.panels["panel_weekly"].filter(pl.col("full_week"))["logged_hours"].sum(), rel=1e-6)
    assert t.run_pay.sum() == pytest.approx(run.metrics["worker_pay"].sum(), rel=1e-9)
    assert t.window_pay.sum() < t.run_pay.sum()
    assert (t.rating_count.sum(axis=1) == run.workers["ratings"].to_numpy()).all()


def test_panels_are_written_with_checksums_and_can_be_turned_off(tmp_path, small):
    sc, run = small
    out = write_run(run, tmp_path / "on")
    manifest = json.loads((out / "manifest.json").read_text())
    assert {"panel_weekly.parquet", "panel_monthly.parquet"} <= set(manifest["files"])
    assert pl.read_parquet(out / "panel_weekly.parquet").equals(run.panels["panel_weekly"])
    off = run_scenario(sc, seed=3, days=10, panels=False)
    assert off.panels == {} and off.workers["first_task_day"].is_not_null().any()
    out = write_run(off, tmp_path / "off")
    assert not (out / "panel_weekly.parquet").exists()
    assert set(json.loads((out / "manifest.json").read_text())["files"]) == {
        "metrics.parquet", "markets.parquet", "workers.parquet"}
    write_run(run, out)  # a run with panels may replace a previous run's folder without them
    assert (out / "panel_monthly.parquet").exists()


def test_a_re_entry_keeps_a_first_entry_made_in_the_burn_in():
    """first_entry_day is set once: a worker who entered in the burn-in (a negative day), left and entered again
    keeps her burn-in day (the old rule tested `< 0` and overwrote it). Nobody can leave before first entering, except
    a former participant drawn at the start (`drawn_past`): her drawn spell, not part of the run, ended before it."""
    sc = load_scenario("scenarios/baseline.toml").rescaled(1500).with_overrides(
        {"burn_in_days": 150, "behaviour": {"random_exit_rate": 0.3, "entry_rate": 0.5}})
    w = run_scenario(sc, seed=1, days=120, panels=False).workers
    first, entry, left = (w[c].to_numpy() for c in ("first_entry_day", "entry_day", "exit_day"))
    returned = np.isfinite(first) & np.isfinite(left) & (entry > left)
    assert (returned & (first < 0) & (entry >= 0)).sum() > 10   # burn-in entrants who re-entered in the run
    drawn = w["drawn_past"].to_numpy()
    assert not (np.isfinite(left) & (left < first) & ~drawn).any()
    assert (left[drawn & (left < first)] < -150).all()          # only the drawn exit, before the burn-in's first day
