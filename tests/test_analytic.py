"""Analytic checks: the model reproduces results that can be derived by hand.

1. Random matching is the urn-ball process: W applicants each pick one of T open tasks
   uniformly, each task takes one applicant, so E[filled] = T(1 - (1 - 1/T)^W).
2. Entry and exit settle where the marginal worker's expected net hourly earnings plus her
   autonomy value equal the outside option (a small world solved in closed form).
3. Money is conserved and the daily invariants hold on the baseline (debug mode).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from gigsim.model.kernels import matching
from gigsim.model.kernels.structs import MarketParams, Tasks
from gigsim.model.model import GigEconomyModel
from gigsim.model.state import ACTIVE
from gigsim.model.vocabulary import Fate, Matching, Pricing
from gigsim.scenario import Scenario, load_scenario


def urn_ball(tasks: int, workers: int) -> float:
    """Expected number of distinct tasks hit when `workers` balls fall uniformly into `tasks` urns."""
    return tasks * (1.0 - (1.0 - 1.0 / tasks) ** workers)


def one_round(rng: np.random.Generator, n_workers: int, n_tasks: int) -> int:
    """One matching round through the market kernels: one platform, one category, random rule."""
    zeros = np.zeros(n_tasks, np.int32)
    tasks = Tasks(stream=zeros, client=zeros, category=zeros, platform=zeros, region=zeros,
                  price=np.full(n_tasks, 10.0), wtp=np.full(n_tasks, 1e9), fate=np.zeros(n_tasks, np.int8),
                  worker=np.full(n_tasks, -1, np.int32), pickup=np.zeros(n_tasks, np.float32), hours=np.zeros(n_tasks))
    offsets, order = matching.open_task_index(tasks, 1, 1, 1)
    pool = matching.CandidatePool(
        workers=np.arange(n_workers, dtype=np.int64), category=np.zeros(n_workers, np.int32),
        market_region=np.zeros(n_workers, np.int32), member=np.ones((n_workers, 1), dtype=bool),
        ask=np.ones(n_workers, np.float32), rating_sum=np.zeros((n_workers, 1), np.float32),
        rating_count=np.zeros((n_workers, 1), np.int32), hours_left=np.full(n_workers, 8.0),
        task_hours=np.ones(n_workers), fresh=np.ones(n_workers, dtype=bool), asset_free_day=np.zeros(n_workers, np.int32),
        applications=np.zeros(n_workers, np.int32), wins=np.zeros(n_workers, np.int32),
        free_listings=np.ones(n_workers, np.int32), room_start=np.arange(n_workers + 1, dtype=np.int64),
        room_free_day=np.zeros(n_workers, np.int32))
    one = np.ones(1)
    params = MarketParams(
        n_categories=1, n_regions=1, n_platforms=1, task_hours=one, hours_slope=np.zeros(1),
        skill_centre=np.zeros(1), pickup_hours=np.zeros(1),
        asset_days=np.zeros(1, np.int64), local=np.zeros(1, bool), base_price=np.array([10.0]),
        cost_per_hour=np.zeros(1), rule=np.array([Matching.RANDOM]), pricing=np.array([Pricing.FIXED]),
        rounds=np.ones(1, np.int64), applications_per_round=np.ones(1, np.int64), price_multiplier=one,
        commission=np.zeros(1), nominal_commission=np.zeros(1), prior_mean=np.array([3.0]),
        prior_weight=np.array([3.0]), newcomer_boost=np.zeros(1), newcomer_tasks=np.zeros(1, np.int64),
        pay_floor=0.0, contribution=0.0, levy=0.0, rating_noise=0.0, rehire_rating=5.0, tie_break_rating=3.0, day=0,
        automation_level=np.zeros(1), ai_cost=np.zeros(1), augmentation=np.zeros(1),
        pickup_max=np.zeros(1))
    applicants = matching.ready_applicants(pool.workers, pool, params, offsets)
    assert applicants.size == n_workers
    filled = matching.match_round(applicants, rng, pool, offsets, order, tasks, np.zeros(n_workers, np.bool_),
                                  params)
    assert filled == int((tasks.fate == Fate.FILLED).sum())
    return filled


@pytest.mark.parametrize(("n_workers", "n_tasks"), [(30, 20), (10, 40), (50, 50)])
def test_matching_kernel_is_the_urn_ball_process(n_workers, n_tasks):
    rng = np.random.default_rng(2024)
    fills = np.array([one_round(rng, n_workers, n_tasks) for _ in range(3000)], dtype=float)
    expected = urn_ball(n_tasks, n_workers)
    half_width = 1.96 * fills.std(ddof=1) / math.sqrt(fills.size)
    assert abs(fills.mean() - expected) <= half_width, (fills.mean(), expected, half_width)


def test_urn_ball_check_detects_a_different_process():
    """The formula is sharp enough to tell random matching from one-to-one assignment (min(W, T) fills)."""
    rng = np.random.default_rng(7)
    fills = np.array([one_round(rng, 30, 30) for _ in range(500)], dtype=float)
    assert fills.mean() < 30 - 5  # one-to-one would fill all 30; urn-ball fills about 19
    assert abs(fills.mean() - urn_ball(30, 30)) < 0.5


def urn_world(workers: int = 300, clients: int = 400) -> Scenario:
    """Day 0 is exactly one urn-ball round: everyone active, fresh, on one platform, no favourites yet."""
    return Scenario.model_validate({
        "name": "urn-ball",
        "population": {"workers": workers, "clients": clients, "regions": 1, "initial_participation": 1.0,
                       "willingness_to_pay": 10.0, "health_event_rate": 0.0},
        "categories": {"gigs": {"kind": "online", "base_price": 10.0, "hours_per_task": 1.0, "worker_share": 1.0,
                                "client_share": 1.0, "demand_per_client": 0.3}},
        "platforms": {"market": {"categories": ["gigs"], "pricing": "fixed", "matching": "random",
                                 "matching_rounds": 1, "initial_share": 1.0}},
    })


def test_model_day_zero_matches_the_urn_ball_formula():
    """Over many seeds, day-0 fills minus T(1-(1-1/T)^W) at that seed's T and W average to zero (95% CI)."""
    sc = urn_world()
    differences = []
    for seed in range(60):
        model = GigEconomyModel(sc, rng=seed, create_agents=False)
        available = int(((model.workers.status == ACTIVE) & model.workers.member[:, 0]).sum())
        model.step()
        row = model.metrics.row(0, named=True)
        assert row["direct_hires"] == 0 and row["referral_tasks"] == 0 and row["tasks_automated"] == 0
        tasks = row["tasks_posted"]
        assert tasks > 0 and available == sc.population.workers
        differences.append(row["tasks_filled"] - urn_ball(tasks, available))
    d = np.asarray(differences)
    half_width = 1.96 * d.std(ddof=1) / math.sqrt(d.size)
    assert abs(d.mean()) <= half_width, (d.mean(), half_width)


# --------------------------------------------------------------------------- steady state

POOL = 1000
OUTSIDE = 17.0          # reservation wage, no dispersion
AUTONOMY = 4.0          # cohort 0 value; each worker's is AUTONOMY × U(0.5, 1.5)
PRICE, COMMISSION = 1.0, 0.2
HOURS = 0.5             # every worker logs in exactly 0.5 h a day (see steady_world)


def steady_world() -> Scenario:
    """A world whose steady participation can be solved by hand.

    Homogeneous workers except for autonomy value: one cohort (autonomy 4 × U(0.5, 1.5)), outside
    option 17 with no dispersion, every worker logs in exactly 0.5 h/day (side hours so small
    that the 0.5 h floor binds; hours never adjust), tiny tasks (0.01 h) so capacity never binds and
    every task is filled by random matching, fixed price 1 with 20% commission, no costs, no
    favourites (ratings can never reach the re-hire bar), no random exits, no health costs,
    incomes that never exhaust savings, and entry and exit that respond sharply to the gap. The pool is fixed
    (no renewal: the derivation takes the pool's autonomy values as drawn), hours have no weekly shock and other
    income no monthly one (nobody takes a month off: the derivation has one outside option).
    """
    return Scenario.model_validate({
        "name": "steady-state",
        "population": {"workers": POOL, "clients": 2000, "regions": 1, "initial_participation": 0.3,
                       "full_time_share": 0.0, "hours_side": 0.01, "hours_volatility": 0.0, "reservation_wage": OUTSIDE,
                       "weekly_hours_volatility": 0.0, "pool_renewal_rate": 0.0, "other_income_volatility": 0.0,
                       "reservation_wage_dispersion": 0.0, "age_shares": [1.0, 0.0, 0.0],
                       "autonomy_value": [AUTONOMY, 0.0, 0.0], "other_income_side": 5000.0, "living_costs": 1000.0,
                       "willingness_to_pay": 10.0, "health_event_rate": 0.0},
        "categories": {"gigs": {"kind": "online", "base_price": PRICE, "hours_per_task": 0.01, "worker_share": 1.0,
                                "client_share": 1.0, "demand_per_client": 2.0, "cost_per_hour": 0.0}},
        "platforms": {"market": {"categories": ["gigs"], "pricing": "fixed", "matching": "random",
                                 "matching_rounds": 200, "commission": COMMISSION, "initial_share": 1.0,
                                 "onboarding_cost": 0.0}},
        "behaviour": {"entry_rate": 0.1, "exit_rate": 0.1, "random_exit_rate": 0.0, "decision_sensitivity": 10.0,
                      "hours_adjustment": 0.0, "rating_noise": 0.0, "rehire_rating": 5.0},
    })


def solve_participation(daily_tasks: float) -> float:
    """Active workers N at which the marginal worker is indifferent.

    Every task is filled, so each active worker earns K / N per logged hour with
    K = tasks/day × price × (1 − commission) / hours logged per worker per day.
    Worker i stays iff K/N + a_i ≥ R, with a_i ~ U(0.5A, 1.5A), so N = POOL × P(a ≥ R − K/N)
    = POOL × (1.5A − R + K/N) / A, i.e. A N² + (R − 1.5A) POOL N − K POOL = 0.
    """
    k = daily_tasks * PRICE * (1.0 - COMMISSION) / HOURS
    a, b, c = AUTONOMY, (OUTSIDE - 1.5 * AUTONOMY) * POOL, -k * POOL
    n = (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)
    assert 0 < n < POOL and 0.5 * AUTONOMY < OUTSIDE - k / n < 1.5 * AUTONOMY  # an interior solution
    return n


def test_participation_settles_where_the_marginal_worker_is_indifferent():
    sc = steady_world()
    model = GigEconomyModel(sc, rng=11, create_agents=False)
    w = model.workers
    assert np.all(w.hours_available == HOURS) and np.all(w.reservation_wage == OUTSIDE)
    daily_tasks = float(model.streams.rate.sum())
    expected_n = solve_participation(daily_tasks)
    model.run(720)
    m = model.metrics.tail(240)
    simulated_n = m["active_workers"].mean()
    # every posted task was filled, and by random matching only (the derivation's premises)
    assert m["tasks_unfilled"].sum() == 0 and m["direct_hires"].sum() == 0
    assert m["tasks_posted"].mean() == pytest.approx(daily_tasks, rel=0.02)
    assert simulated_n == pytest.approx(expected_n, rel=0.05), (simulated_n, expected_n)
    # hourly earnings are K / N, and the marginal worker's earnings plus autonomy equal the outside option
    k = daily_tasks * PRICE * (1.0 - COMMISSION) / HOURS
    hourly = m["mean_net_hourly_earnings"].mean()
    assert hourly == pytest.approx(k / simulated_n, rel=0.03)
    marginal_autonomy = OUTSIDE - k / expected_n
    assert hourly + marginal_autonomy == pytest.approx(OUTSIDE, abs=0.3)
    # and participation sorts on autonomy: those well above the margin work, those well below do not
    active = w.status == ACTIVE
    above = w.autonomy_value > marginal_autonomy + 0.5
    below = w.autonomy_value < marginal_autonomy - 0.5
    assert active[above].mean() > 0.8 and active[below].mean() < 0.2, (active[above].mean(), active[below].mean())


# --------------------------------------------------------------------------- invariants


def test_baseline_conserves_money_and_keeps_invariants():
    """Debug mode checks every day's money identity, hours, fates and counts; a breach raises."""
    sc = load_scenario("scenarios/baseline.toml").rescaled(1000)
    model = GigEconomyModel(sc, rng=3, debug=True, create_agents=False)
    model.run(75)
    m = model.metrics
    total = m["worker_pay"] + m["platform_revenue"] + m["benefit_contributions"] + m["transfer_levy"]
    assert np.allclose(m["client_payments"].to_numpy(), total.to_numpy(), rtol=1e-9)
    assert m["tasks_filled"].sum() > 0
