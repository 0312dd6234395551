"""The model's rules on hand-built states of a few workers: settlement, matching, the workday, surge, ledgers.

Each test builds the arrays a kernel reads (by name, through the NamedTuples of gigsim.model.kernels.structs),
runs the rule once and checks the numbers docs/model.md gives for it.
"""

from __future__ import annotations

import numpy as np
import pytest

from gigsim import GigEconomyModel
from gigsim.model.kernels import matching, settlement, workday
from gigsim.model.kernels.structs import DayStartRows, MarketParams, SettlementRows, Tasks, Ties, WorkRows
from gigsim.model.ledgers import DayLedger, Ledger
from gigsim.model.vocabulary import FLOW_NAMES, Fate, Flow, Matching, Pricing, Status
from tests.helpers import baseline

P = 2  # platforms: 0 and 1; one category (0), one region


def market_params(**changes) -> MarketParams:
    """One category (base price 10, 1 hour per task, 0.5 pickup hours), two platforms (commission 0.2)."""
    values = dict(
        n_categories=1, n_regions=1, n_platforms=P, task_hours=np.array([1.0]), hours_slope=np.zeros(1),
        skill_centre=np.full(1, 0.5), pickup_hours=np.array([0.5]),
        asset_days=np.zeros(1, np.int64), local=np.zeros(1, bool), base_price=np.array([10.0]),
        cost_per_hour=np.array([2.0]), rule=np.full(P, Matching.RANDOM, np.int64),
        pricing=np.full(P, Pricing.FIXED, np.int64), rounds=np.full(P, 3, np.int64),
        applications_per_round=np.ones(P, np.int64), price_multiplier=np.ones(P), commission=np.full(P, 0.2),
        nominal_commission=np.full(P, 0.2), prior_mean=np.full(P, 3.0), prior_weight=np.full(P, 2.0),
        newcomer_boost=np.zeros(P), newcomer_tasks=np.zeros(P, np.int64), pay_floor=0.0, contribution=0.0,
        levy=0.0, rating_noise=0.0, rehire_rating=4.5, tie_break_rating=3.0, day=0,
        automation_level=np.zeros(1), ai_cost=np.zeros(1), augmentation=np.zeros(1),
        pickup_max=np.zeros(1))
    values.update(changes)
    return MarketParams(**values)


def tasks_of(fates, workers, platforms, price=10.0, stream=None, pickup=0.5, hours=1.0) -> Tasks:
    """Tasks of category 0; `hours`: what the matched worker takes over each (the category's 1 hour)."""
    n = len(fates)
    return Tasks(stream=np.arange(n, dtype=np.int32) if stream is None else np.asarray(stream, np.int32),
                 client=np.zeros(n, np.int32), category=np.zeros(n, np.int32),
                 platform=np.asarray(platforms, np.int32), region=np.zeros(n, np.int32), price=np.full(n, price),
                 wtp=np.full(n, 100.0), fate=np.asarray(fates, np.int8), worker=np.asarray(workers, np.int32),
                 pickup=np.full(n, pickup, np.float32), hours=np.full(n, hours))


def settlement_rows(n: int, skill=0.9, employer=None) -> SettlementRows:
    f32, i32 = np.zeros(n, np.float32), np.zeros(n, np.int32)
    return SettlementRows(
        skill=np.full((n, 1), skill, np.float32), ask=np.ones(n, np.float32),
        employer=np.full(n, -1, np.int32) if employer is None else np.asarray(employer, np.int32),
        rating_sum=np.zeros((n, P), np.float32), rating_count=np.zeros((n, P), np.int32), day_pay=np.zeros(n),
        day_costs=np.zeros(n), day_task_hours=f32.copy(), day_engaged_hours=f32.copy(), day_tasks=i32.copy(),
        lifetime_tasks=i32.copy(), listing_price=np.ones(n, np.float32))


def settle(tasks, rows, params, ties=None):
    n = tasks.size
    ties = ties or Ties(favourite=np.full(n, -1, np.int32), tie_strength=np.zeros(n, np.int32))
    flows = np.zeros((len(FLOW_NAMES), P + 1, 1))
    settlement.settle(tasks, np.zeros(n), ties, rows, params, flows)
    return flows, ties


# --------------------------------------------------------------------------- settlement (§7.7, §7.8)


def test_settlement_splits_the_price_between_worker_and_platform():
    tasks = tasks_of([Fate.FILLED, Fate.UNFILLED, Fate.AUTOMATED], [0, -1, -1], [0, 0, 1])
    rows = settlement_rows(2)
    flows, _ = settle(tasks, rows, market_params())
    assert rows.day_pay[0] == pytest.approx(8.0)  # (1 − 0.2) × 10
    assert rows.day_costs[0] == pytest.approx(2.0 * 1.5)  # cost per hour × (task + pickup hours)
    assert rows.day_engaged_hours[0] == pytest.approx(1.5) and rows.day_task_hours[0] == pytest.approx(1.0)
    assert rows.day_tasks.tolist() == [1, 0] and rows.lifetime_tasks.tolist() == [1, 0]
    assert flows[Flow.CLIENT_PAYMENTS, 0, 0] == pytest.approx(10.0)
    assert flows[Flow.PLATFORM_REVENUE, 0, 0] == pytest.approx(2.0)
    assert flows[Flow.TASKS_FILLED].sum() == 1.0  # unfilled and automated tasks are not settled
    assert flows[:, 1].sum() == 0.0


def test_pay_floor_tops_up_to_the_floor_per_engaged_hour():
    tasks = tasks_of([Fate.FILLED], [0], [0])
    rows = settlement_rows(1)
    flows, _ = settle(tasks, rows, market_params(pay_floor=20.0))
    # floor 20 × 1.5 engaged hours = 30; the share is 8; the platform tops up 22 and nets 2 − 22
    assert rows.day_pay[0] == pytest.approx(30.0)
    assert flows[Flow.PAY_FLOOR_TOPUPS, 0, 0] == pytest.approx(22.0)
    assert flows[Flow.PLATFORM_REVENUE, 0, 0] == pytest.approx(-20.0)


def test_employees_are_not_paid_per_task_and_referrals_go_off_platform():
    tasks = tasks_of([Fate.DIRECT, Fate.REFERRAL], [0, 1], [1, 0])
    rows = settlement_rows(2, employer=[1, -1])
    flows, _ = settle(tasks, rows, market_params(contribution=1.0, levy=0.1))
    assert rows.day_pay[0] == 0.0  # her employer (platform 1) pays wages per hour instead
    assert flows[Flow.PLATFORM_REVENUE, 1, 0] == pytest.approx(10.0 - 1.0 - 1.0)
    assert flows[Flow.BENEFIT_CONTRIBUTIONS, 1, 0] == pytest.approx(1.0)
    assert flows[Flow.TRANSFER_LEVY, 1, 0] == pytest.approx(1.0)
    # the referral: the whole price to the worker, on the off-platform row, no contribution, no rating
    assert rows.day_pay[1] == pytest.approx(10.0)
    assert flows[Flow.CLIENT_PAYMENTS, P, 0] == pytest.approx(10.0) and flows[Flow.PLATFORM_REVENUE, P, 0] == 0.0
    assert rows.rating_count[1].sum() == 0 and rows.rating_count[0, 1] == 1
    paid = flows[Flow.CLIENT_PAYMENTS].sum()
    split = (flows[Flow.WORKER_PAY] + flows[Flow.PLATFORM_REVENUE] + flows[Flow.BENEFIT_CONTRIBUTIONS]
             + flows[Flow.TRANSFER_LEVY]).sum()
    assert paid == pytest.approx(split)


def test_bids_are_settled_at_the_workers_ask():
    tasks = tasks_of([Fate.FILLED], [0], [0])
    rows = settlement_rows(1)
    rows.ask[0] = 1.5
    settle(tasks, rows, market_params(pricing=np.full(P, Pricing.BIDS, np.int64)))
    assert tasks.price[0] == pytest.approx(15.0)
    assert rows.day_pay[0] == pytest.approx(0.8 * 15.0)


@pytest.mark.parametrize(("skill", "favourite_after", "tie_after"), [(0.9, 0, 3), (0.3, -1, 0), (0.6, 0, 2)])
def test_ratings_make_and_break_ties(skill, favourite_after, tie_after):
    """Rating = 1 + 4 × skill (no noise): ≥ 4.5 renews the tie, < 3 ends it, in between leaves it."""
    tasks = tasks_of([Fate.FILLED], [0], [0], stream=[0])
    rows = settlement_rows(1, skill=skill)
    ties = Ties(favourite=np.zeros(1, np.int32), tie_strength=np.full(1, 2, np.int32))
    settle(tasks, rows, market_params(), ties)
    assert rows.rating_sum[0, 0] == pytest.approx(1 + 4 * skill, rel=1e-6)
    assert (ties.favourite[0], ties.tie_strength[0]) == (favourite_after, tie_after)


# --------------------------------------------------------------------------- matching (§7.5)


def pool_of(n, ask=None, rating=None, count=10):
    rating = np.full(n, 3.0) if rating is None else np.asarray(rating, float)
    return matching.CandidatePool(
        workers=np.arange(n, dtype=np.int64), category=np.zeros(n, np.int32), market_region=np.zeros(n, np.int32),
        member=np.ones((n, P), bool), ask=np.ones(n, np.float32) if ask is None else np.asarray(ask, np.float32),
        rating_sum=np.repeat((rating * count)[:, None], P, axis=1).astype(np.float32),
        rating_count=np.full((n, P), count, np.int32), hours_left=np.full(n, 8.0), task_hours=np.ones(n),
        fresh=np.ones(n, bool),
        asset_free_day=np.zeros(n, np.int32), applications=np.zeros(n, np.int32), wins=np.zeros(n, np.int32),
        free_listings=np.ones(n, np.int32), room_start=np.arange(n + 1, dtype=np.int64), room_free_day=np.zeros(n, np.int32))


def one_round(pool, params, wtp=100.0, seed=0):
    """One open task on platform 0; every pool row applies once. Returns (fills, tasks)."""
    tasks = tasks_of([Fate.OPEN], [-1], [0])
    tasks.wtp[0] = wtp
    member = pool.member.copy()
    member[:, 1] = False
    pool = pool._replace(member=member)
    offsets, order = matching.open_task_index(tasks, P, 1, 1)
    applicants = matching.ready_applicants(pool.workers, pool, params, offsets)
    filled = matching.match_round(applicants, np.random.default_rng(seed), pool, offsets, order, tasks,
                                  np.zeros(pool.workers.size, bool), params)
    return filled, tasks, pool


def test_reputation_picks_the_best_rated_applicant():
    params = market_params(rule=np.full(P, Matching.REPUTATION, np.int64))
    for seed in range(5):
        filled, tasks, pool = one_round(pool_of(3, rating=[2.0, 4.8, 3.5]), params, seed=seed)
        assert filled == 1 and tasks.worker[0] == 1 and tasks.fate[0] == Fate.FILLED
        assert pool.applications.tolist() == [1, 1, 1] and pool.wins.tolist() == [0, 1, 0]
        assert pool.hours_left[1] == pytest.approx(8.0 - 1.5) and not pool.fresh[1]


def test_cheapest_on_bids_picks_the_lowest_ask_within_the_budget():
    params = market_params(rule=np.full(P, Matching.CHEAPEST, np.int64), pricing=np.full(P, Pricing.BIDS, np.int64))
    _, tasks, _ = one_round(pool_of(3, ask=[1.2, 0.7, 0.9]), params)
    assert tasks.worker[0] == 1
    # a budget of 8 (base 10) refuses asks of 0.9 and 1.2 and admits 0.7 only; a budget of 6 admits nobody
    _, tasks, _ = one_round(pool_of(3, ask=[1.2, 0.9, 0.7]), params, wtp=8.0)
    assert tasks.worker[0] == 2
    filled, tasks, _ = one_round(pool_of(3, ask=[1.2, 0.9, 0.7]), params, wtp=6.0)
    assert filled == 0 and tasks.fate[0] == Fate.OPEN


def test_on_bids_by_reputation_the_client_trades_rating_against_price():
    params = market_params(rule=np.full(P, Matching.REPUTATION, np.int64), pricing=np.full(P, Pricing.BIDS, np.int64))
    # worth to the client = budget × rating / prior mean (3); base price 10, budget 20
    equal_rating = [one_round(pool_of(2, ask=[1.0, 0.8], rating=[4.0, 4.0]), params, wtp=20.0, seed=s)[1].worker[0]
                    for s in range(20)]
    assert equal_rating.count(1) == 20  # the cheaper of two equally rated applicants
    same_price = [one_round(pool_of(2, ask=[1.0, 1.0], rating=[3.5, 4.5]), params, wtp=20.0, seed=s)[1].worker[0]
                  for s in range(20)]
    assert same_price.count(1) == 20  # the better rated of two at the same price
    # budget 30: 4.5 asking 13 is worth 45, surplus 32; 3.0 asking 10 is worth 30, surplus 20 -> the dearer one
    _, tasks, _ = one_round(pool_of(2, ask=[1.0, 1.3], rating=[3.0, 4.5]), params, wtp=30.0)
    assert tasks.worker[0] == 1
    # ...but not when her price eats the difference: 4.5 asking 28 (surplus 17) vs 3.0 asking 10 (surplus 20)
    _, tasks, _ = one_round(pool_of(2, ask=[1.0, 2.8], rating=[3.0, 4.5]), params, wtp=30.0)
    assert tasks.worker[0] == 0
    # within the budget (9) but worth less than their price (2.0 asking 8 is worth 6; 2.5 asking 8.5 is worth 7.5)
    filled, tasks, _ = one_round(pool_of(2, ask=[0.8, 0.85], rating=[2.0, 2.5]), params, wtp=9.0)
    assert filled == 0 and tasks.fate[0] == Fate.OPEN
    # and nobody asking more than the budget, however well rated (5.0 asking 10 is worth 15 on a budget of 9)
    filled, _, _ = one_round(pool_of(1, ask=[1.0], rating=[5.0]), params, wtp=9.0)
    assert filled == 0


def test_nearest_sets_pickup_from_the_distance_draw():
    params = market_params(rule=np.full(P, Matching.NEAREST, np.int64))
    pickups = [one_round(pool_of(1), params, seed=s)[1].pickup[0] for s in range(40)]
    assert all(0.0 <= p <= 2 * 0.5 for p in pickups)  # 2 × distance × mean pickup hours, distance ~ U(0, 1)
    assert np.mean(pickups) == pytest.approx(0.5, abs=0.15)


def test_a_worker_without_hours_does_not_apply():
    pool = pool_of(2)
    pool.hours_left[0] = 0.0
    pool.fresh[1] = False
    pool.hours_left[1] = 0.5  # not fresh and less than the task's hour
    offsets, _ = matching.open_task_index(tasks_of([Fate.OPEN], [-1], [0]), P, 1, 1)
    assert matching.ready_applicants(pool.workers, pool, market_params(), offsets).size == 0
    pool.hours_left[1] = 1.0  # now she has the hour
    assert matching.ready_applicants(pool.workers, pool, market_params(), offsets).tolist() == [1]


# --------------------------------------------------------------------------- the workday (§3 step 2, §7.9)


def test_hours_left_at_the_start_of_a_day_and_the_work_at_its_end():
    status = np.array([Status.ACTIVE, Status.ACTIVE, Status.LEFT], np.int8)
    offered = np.array([4.0, 4.0, 4.0], np.float32)
    backlog = np.array([0.0, 1.0, 0.0], np.float32)
    zeros32, zeros = np.zeros(3, np.float32), np.zeros(3)
    start = DayStartRows(status=status, category=np.array([0, 1, -1], np.int32), hours_offered=offered,
                         backlog=backlog, day_pay=np.ones(3), day_costs=np.ones(3), day_task_hours=zeros32.copy(),
                         day_engaged_hours=zeros32.copy(), day_tasks=np.ones(3, np.int32))
    hours_left, fresh = np.empty(3), np.empty(3, bool)
    # queue days: category 0 lets a worker commit half a day more; category 1 none; then the entry for −1
    workday.begin_day(start, np.array([0.5, 0.0, 0.0]), hours_left, fresh)
    assert hours_left.tolist() == [6.0, 3.0, 0.0] and fresh.tolist() == [True, False, False]
    assert start.day_pay.sum() == 0.0 and start.day_tasks.sum() == 0  # the day's flows are reset

    engaged = np.array([5.0, 2.0, 0.0], np.float32)
    rows = WorkRows(status=status, hours_offered=offered, backlog=backlog, day_engaged_hours=engaged,
                    day_worked_hours=zeros32.copy(), day_pay=np.array([50.0, 20.0, 0.0]),
                    day_costs=np.array([10.0, 0.0, 0.0]), day_tasks=np.array([2, 1, 0], np.int32),
                    ema_net=zeros32.copy(), ema_logged=zeros32.copy(), savings=zeros.copy(), month_net=zeros.copy(),
                    month_tasks=np.zeros(3, np.int32), week_logged=zeros32.copy(), week_engaged=zeros32.copy(),
                    rents_asset=np.zeros(3, bool))
    offered_today = workday.end_of_day_work(rows, 30.0)
    assert rows.day_worked_hours.tolist() == [4.0, 3.0, 0.0]  # committed hours, at most those offered
    assert rows.backlog.tolist() == [1.0, 0.0, 0.0]  # the rest carries over
    assert offered_today.tolist() == [4.0, 4.0, 0.0]
    assert rows.ema_net[0] == pytest.approx(40.0 / 30.0) and rows.ema_logged[0] == pytest.approx(4.0 / 30.0)
    assert rows.savings.tolist() == [40.0, 20.0, 0.0] and rows.month_tasks.tolist() == [2, 1, 0]


# --------------------------------------------------------------------------- ledgers (§3 step 12; surge: tests/test_surge.py)


def test_the_ledger_opens_a_blank_day_and_keeps_yesterday():
    ledger = Ledger(2, 1, 1)
    ledger.day.flows[Flow.WORKER_PAY, 0, 0] = 5.0
    ledger.day.entries = 3
    ledger.month.add(ledger.day)
    ledger.new_day()
    assert ledger.day.entries == 0 and not ledger.day.flows.any()
    assert ledger.yesterday.entries == 3 and ledger.yesterday.flows[Flow.WORKER_PAY, 0, 0] == 5.0
    assert ledger.month.flows[Flow.WORKER_PAY, 0, 0] == 5.0
    ledger.month.reset()
    assert not ledger.month.flows.any() and not ledger.month.posted.any()
    assert isinstance(ledger.day, DayLedger)


def test_the_month_ledger_restarts_after_the_monthly_decisions_and_the_recorder_writes_nothing():
    model = GigEconomyModel(baseline(600).with_overrides({"burn_in_days": 0}), rng=3, create_agents=False)
    total = np.zeros_like(model.ledger.month.flows)
    for day in range(30):
        model.step()
        total += model.ledger.day.flows
        if day == 28:
            assert np.allclose(model.ledger.month.flows, total)  # days 0..28 accumulated
    # day 29: the monthly decisions read days 0..28, the model reset the month, then day 29 was added
    assert np.allclose(model.ledger.month.flows, model.ledger.day.flows)
    snapshot = (model.surge.copy(), model.ledger.month.flows.copy(), model.workers.savings.copy())
    rows = len(model.recorder.rows)
    model.recorder.record(model.day - 1)
    assert len(model.recorder.rows) == rows + 1
    assert np.array_equal(model.surge, snapshot[0]) and np.array_equal(model.ledger.month.flows, snapshot[1])
    assert np.array_equal(model.workers.savings, snapshot[2])
