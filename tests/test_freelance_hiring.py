"""Freelance hiring (docs/model.md 7.2, 7.4, 7.5, 7.7): hours that depend on the worker's skill, bids as an hourly
ask × her hours, clients who post every bids task and screen the bids against their budget."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scipy.stats import beta

from gigsim.model.kernels import hires, matching
from gigsim.model.kernels.structs import Capacity
from gigsim.model.policies.minimum_ask import minimum_multiple
from gigsim.model.terms import productivity_slope
from gigsim.model.vocabulary import Fate, Matching, Pricing, Status
from tests.helpers import baseline, run
from tests.test_kernels import P, market_params, one_round, pool_of, settle, settlement_rows, tasks_of

BIDS_BY_REPUTATION = dict(rule=np.full(P, Matching.REPUTATION, np.int64), pricing=np.full(P, Pricing.BIDS, np.int64))


# --------------------------------------------------------------------------- hours that depend on skill


def test_skilled_workers_finish_in_fewer_hours_and_the_halves_differ_by_the_ratio():
    slope, centre = productivity_slope(2.0, 5.0, 2.5)
    q25, q75 = beta.ppf([0.25, 0.75], 5.0, 2.5)
    hours = [matching.worker_task_hours(5.0, slope, centre, s) for s in (0.3, q25, centre, q75, 0.95)]
    assert all(a > b for a, b in zip(hours, hours[1:], strict=False))  # more skill, fewer hours
    assert hours[2] == pytest.approx(5.0)  # the median worker takes the category's hours
    assert hours[1] / hours[3] == pytest.approx(2.0)  # slower half's median / faster half's median
    # no dispersion: everyone takes the category's hours, exactly
    flat, _ = productivity_slope(1.0, 5.0, 2.5)
    assert flat == 0.0 and matching.worker_task_hours(5.0, flat, centre, 0.1) == 5.0


def test_a_bid_is_the_hourly_ask_times_her_hours_and_settlement_books_her_hours():
    tasks = tasks_of([Fate.FILLED], [0], [0], hours=0.5, pickup=0.0)
    rows = settlement_rows(1)
    rows.ask[0] = 1.5
    flows, _ = settle(tasks, rows, market_params(pricing=np.full(P, Pricing.BIDS, np.int64)))
    assert tasks.price[0] == pytest.approx(1.5 * 10.0 * 0.5)  # ask × base price × her hours / the median's (1)
    assert rows.day_task_hours[0] == pytest.approx(0.5) and rows.day_engaged_hours[0] == pytest.approx(0.5)
    assert rows.day_costs[0] == pytest.approx(2.0 * 0.5)
    # pay per engaged hour does not depend on her speed: (1 − 0.2) × ask × base price / the median's hours
    assert rows.day_pay[0] / rows.day_engaged_hours[0] == pytest.approx(0.8 * 15.0)


def test_the_round_charges_the_winner_her_own_hours():
    pool = pool_of(1)
    pool.task_hours[0] = 2.5
    filled, tasks, pool = one_round(pool, market_params())
    assert filled == 1 and tasks.hours[0] == pytest.approx(2.5)
    assert pool.hours_left[0] == pytest.approx(8.0 - 2.5 - 0.5)  # her hours + pickup


def test_the_minimum_ask_shifts_hires_toward_productive_workers():
    """Two equally rated applicants: a fast one (0.5 h) asking 2.0 per hour and a slow one (2 h) asking 0.4.
    Per task the slow one is cheaper (8 against 10) and wins; once no ask may be below the floor, the floor per
    hour costs the client four times as much from the slow one, and the fast one wins."""
    params = market_params(**BIDS_BY_REPUTATION)

    def winner(ask):
        pool = pool_of(2, ask=ask, rating=[4.0, 4.0])
        pool.task_hours[:] = [0.5, 2.0]
        return one_round(pool, params, wtp=30.0)[1].worker[0]
    assert winner([2.0, 0.4]) == 1
    floor = float(minimum_multiple(20.0, np.array([1.0]), np.array([10.0]), 1.0)[0])  # 20 per hour -> ask 2.0
    assert winner(np.maximum([2.0, 0.4], floor)) == 0


# --------------------------------------------------------------------------- the client's budget at screening


def test_a_favourite_is_not_rehired_above_the_clients_budget_on_bids():
    params = market_params(pricing=np.full(P, Pricing.BIDS, np.int64))
    results = []
    for wtp in (20.0, 12.0):  # her bid: ask 1.5 × base 10 × 1 hour = 15
        tasks = tasks_of([Fate.OPEN], [-1], [0], stream=[0])
        tasks.wtp[0] = wtp
        capacity = Capacity(np.full(1, 8.0), np.ones(1, bool), np.zeros(1, np.int32), np.zeros(1, np.int32),
                            np.arange(2, dtype=np.int64), np.zeros(1, np.int32))
        hired = hires.direct_hires(np.zeros(1, np.int64), tasks, np.zeros(1, np.int32),
                                   np.full(1, Status.ACTIVE, np.int8), np.zeros(1, np.int32), np.ones((1, P), bool),
                                   np.full((1, 1), 0.5, np.float32), np.full(1, 1.5, np.float32), capacity, params)
        results.append((hired, int(tasks.fate[0])))
    assert results == [(1, Fate.DIRECT), (0, Fate.OPEN)]


def _freelance_outcomes(budget_median: float, seed: int = 3) -> tuple[float, float]:
    """(fill rate of freelancely's tasks offered to people, tasks offered) over days 20-59."""
    sc = baseline(1500, rules={"clients": {"budget_median": budget_median}})
    model = run(sc, 60, seed)
    rows = model.market_metrics.filter((pl.col("platform") == "freelancely") & (pl.col("day") >= 20))
    offered = float(rows["tasks_posted"].sum() - rows["tasks_automated"].sum())
    return float(rows["tasks_filled"].sum()) / offered, offered


@pytest.mark.slow
def test_a_higher_screening_standard_leaves_more_posts_unfilled():
    """Clients whose budgets are lower relative to the bids (a stricter standard at screening) post as many tasks
    on the bids platform, and more of them end unfilled."""
    generous, posted_generous = _freelance_outcomes(1.30)
    strict, posted_strict = _freelance_outcomes(0.9)
    assert strict < generous - 0.05
    assert posted_strict == pytest.approx(posted_generous, rel=0.1)  # posting does not depend on the budget
