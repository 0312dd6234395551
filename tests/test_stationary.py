"""The baseline after its burn-in is near a steady state (docs/model.md 5, "Burn-in" and "Steady state"):
hosts take stays during the burn-in, and the number of hosts and of ride drivers does not trend away from its
first half-year."""

from __future__ import annotations

import numpy as np
import polars as pl

from gigsim.model.state import ACTIVE
from tests.helpers import baseline, run

SEEDS = (1, 2, 3)
WORKERS = 3000
FIRST, LATER = (0, 180), (540, 720)


def window_mean(metrics: pl.DataFrame, column: str, window: tuple[int, int]) -> float:
    """Mean of a daily metrics column over days [start, end)."""
    start, end = window
    return float(metrics.filter((pl.col("day") >= start) & (pl.col("day") < end))[column].mean())


def test_hosts_take_stays_during_the_burn_in():
    """A listing is free from the first simulated day, so hosts earn during the burn-in and some stay in gig work.

    With a listing's free day at 0 no host could take a stay before day 0, and the hosts of the baseline's
    burn-in all left (13.6 hosts over days 0-179 against 53 after two years, 4,000 workers, seed 1).
    """
    model = run(baseline(1500, burn_in_days=90), 0, debug=False)  # the burn-in only
    w = model.workers
    stays = model.category_names.index("stays")
    hosts = w.category == stays
    assert w.lifetime_tasks[hosts].sum() > 0                      # stays hosted before day 0
    assert ((w.room_free_day > -90) & (w.room_free_day < 0)).any()  # some listing was booked in the burn-in
    assert ((w.status == ACTIVE) & hosts).sum() > 0


def change_over_seeds(seeds, **overrides) -> dict[str, float]:
    """Days 540-719 against days 0-179 of the baseline (3,000 workers), each column's means summed over `seeds`."""
    first, later = {"workers_rides": 0.0, "workers_stays": 0.0}, {"workers_rides": 0.0, "workers_stays": 0.0}
    for seed in seeds:
        metrics = run(baseline(WORKERS, **overrides), LATER[1], seed, debug=False).metrics
        for column in first:
            first[column] += window_mean(metrics, column, FIRST)
            later[column] += window_mean(metrics, column, LATER)
    return {column: later[column] / first[column] - 1.0 for column in first}


def test_ride_drivers_and_hosts_do_not_trend_after_the_burn_in():
    """The shipped baseline (180-day burn-in), seeds 1-3.

    Tolerances: hosts within 30% (measured +16%; with hosts idle in the burn-in +355%); ride drivers within 25%
    (measured −11%, seeds 4-6 −6%: what is left is the pool's slow turnover, docs/model.md 5 "Steady state").
    """
    change = change_over_seeds(SEEDS)
    assert np.isfinite(list(change.values())).all()
    assert abs(change["workers_stays"]) < 0.30, change
    assert abs(change["workers_rides"]) < 0.25, change

