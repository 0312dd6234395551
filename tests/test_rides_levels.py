"""Ride drivers' pay per logged-in hour taken apart (issue 14, levels): the factors the diagnosis of the ride
levels rests on (gigsim/analysis/ride_levels.py) multiply back to the scorecard's measures, on hand-made tables
and on the model, and the model charges vehicle costs per engaged hour at the category's cost, never on waiting."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from gigsim.analysis import measures as m
from gigsim.analysis import ride_levels as rl
from gigsim.analysis.facts import traced_run
from gigsim.scenario import load_scenario

CATS = ["rides", "stays", "writing"]


def drivers(measure_from: int = 0) -> m.RunTables:
    """Two days of rides: day 0 (riders pay 300, 10 passenger h, 13 engaged, 40 logged), day 1 (riders pay 200,
    4 passenger h, 6 engaged, 20 logged); driver pay is 75% of payments, costs 5 per engaged hour."""
    n = 2
    return m.RunTables(
        metrics=pl.DataFrame({"day": [0, 1]}),
        markets=pl.DataFrame({"day": [0, 1], "category": ["rides", "rides"], "client_payments": [300.0, 200.0],
                              "worker_pay": [225.0, 150.0], "worker_costs": [65.0, 30.0], "task_hours": [10.0, 4.0],
                              "engaged_hours": [13.0, 6.0], "tasks_filled": [25.0, 10.0]}),
        workers=pl.DataFrame({"status": ["active"] * n}), category_names=CATS, online_categories=["writing"],
        month_status=np.ones((1, n), np.int8), month_category=np.zeros((1, n), np.int32),
        week_hours=np.full((1, n), np.nan, np.float32), week_category=np.zeros((1, n), np.int32),
        first_task_day=np.zeros(n), run_pay=np.zeros(n), window_pay=np.zeros(n), ride_platforms=np.ones(n),
        logged_by_category=np.array([[40.0, 0, 0], [20.0, 0, 0]]), measure_from=measure_from, days=2)


def test_the_factors_of_a_hand_made_run_multiply_back_to_gross_and_net_pay_per_logged_hour():
    d = rl.decomposition(drivers())
    assert d["fare_per_passenger_hour"] == pytest.approx(500 / 14)
    assert d["driver_share"] == pytest.approx(0.75)
    assert d["utilisation"] == pytest.approx(14 / 60)
    assert d["fare_hourly"] == pytest.approx(500 / 60)
    assert d["gross_hourly"] == pytest.approx(d["fare_per_passenger_hour"] * d["driver_share"] * d["utilisation"])
    assert d["engaged_share"] == pytest.approx(19 / 60)
    assert d["cost_per_engaged_hour"] == pytest.approx(5.0)
    assert d["costs_per_logged_hour"] == pytest.approx(d["cost_per_engaged_hour"] * d["engaged_share"])
    assert d["net_hourly"] == pytest.approx(d["gross_hourly"] - d["costs_per_logged_hour"])
    # the window drops day 0: only day 1's 200 over 20 logged-in hours count
    late = rl.decomposition(drivers(measure_from=1))
    assert late["fare_hourly"] == pytest.approx(10.0) and late["utilisation"] == pytest.approx(0.2)


def test_a_run_without_ride_work_has_no_factors():
    t = drivers()
    t.logged_by_category = np.zeros((2, 3))
    t.markets = t.markets.with_columns(pl.lit(0.0).alias("client_payments"), pl.lit(0.0).alias("task_hours"),
                                       pl.lit(0.0).alias("engaged_hours"))
    d = rl.decomposition(t)
    assert d["fare_hourly"] is None and d["fare_per_passenger_hour"] is None and d["driver_share"] is None
    assert d["engaged_share"] is None and d["costs_per_logged_hour"] is None


def test_on_the_model_the_factors_multiply_back_and_costs_are_charged_per_engaged_hour():
    """On the baseline (2,000 workers, 240 days, the last 180 measured): the decomposition is exact; vehicle costs
    are the category's cost per engaged hour, so waiting costs nothing and costs per logged-in hour stay below it;
    surge never prices a trip below the base fare, so riders pay at least base price / trip hours per passenger
    hour."""
    sc = load_scenario("scenarios/baseline.toml").rescaled(2000)
    rides = sc.categories["rides"]
    d = rl.decomposition(traced_run(sc, 1, 240, 60))
    assert d["gross_hourly"] == pytest.approx(d["fare_per_passenger_hour"] * d["driver_share"] * d["utilisation"])
    assert d["net_hourly"] == pytest.approx(d["gross_hourly"] - d["costs_per_logged_hour"])
    assert d["cost_per_engaged_hour"] == pytest.approx(rides.cost_per_hour)
    assert 0 < d["engaged_share"] < 1 and d["costs_per_logged_hour"] < rides.cost_per_hour
    assert d["utilisation"] < d["engaged_share"]                     # pickups are engaged but carry no passenger
    assert d["fare_per_passenger_hour"] >= rides.base_price / rides.hours_per_task * (1 - 1e-9)
