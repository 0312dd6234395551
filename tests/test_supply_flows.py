"""Labour-supply flows: the renewal of the pool of potential workers and the week-level availability of hours.

docs/model.md sections 5 (arrival schedule), 7.10 (weekly hours) and 7.11 (pool renewal).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from gigsim.model import decisions, household, labour_supply, population
from gigsim.model.model import GigEconomyModel
from gigsim.model.state import ACTIVE, LEFT, NO_DAY, OUT, UPSKILLING
from tests.helpers import baseline


def small_world(workers: int = 800, days: int = 240, burn_in: int = 60, behaviour: dict | None = None,
                **population_fields):
    """The baseline at a small size (tests.helpers.baseline); `behaviour` pins calibrated behaviour values where a
    test's premise is about one mechanism (a re-calibration may move them)."""
    return baseline(workers, days=days, burn_in_days=burn_in, population=population_fields,
                    behaviour=behaviour or {})


# --------------------------------------------------------------------------- the arrival schedule


def test_every_row_is_a_person_due_by_the_last_monthly_round():
    sc = small_world()
    days = population.arrival_days(sc)
    k = population.arrivals_per_round(sc)
    rounds = population.monthly_rounds(sc)
    assert k == round(sc.population.pool_renewal_rate * sc.population.workers) > 0
    assert days.size == sc.population.workers + k * len(rounds)
    assert np.all(days[: sc.population.workers] == -sc.burn_in_days)
    assert np.all(np.diff(days) >= 0) and set(days[sc.population.workers:]) == set(rounds)
    assert days.max() < sc.days


def test_no_renewal_draws_only_the_pool():
    sc = small_world(pool_renewal_rate=0.0)
    model = GigEconomyModel(sc, rng=3, create_agents=False)
    assert model.workers.n == sc.population.workers


def test_arrivals_start_out_of_gig_work():
    sc = small_world()
    w = GigEconomyModel(sc.with_overrides({"burn_in_days": 0}), rng=1, create_agents=False).workers
    later = w.pool_day > 0
    assert later.any() and np.all(w.status[later] == OUT) and np.all(w.first_entry_day[later] == NO_DAY)


# --------------------------------------------------------------------------- renewal in a run


@pytest.fixture(scope="module")
def renewed_run():
    """A small baseline world over 300 days (60 of burn-in), watched at each monthly round."""
    sc = small_world(days=300)
    model = GigEconomyModel(sc, rng=5, create_agents=False, debug=True)
    rounds = []
    for _ in range(sc.days):
        before = (model.workers.status.copy(), model.workers.pool_exit_day.copy())
        model.step()
        if (model.day - 1) % 30 == 29:
            rounds.append((model.day - 1, before, model.workers.status.copy(), model.workers.pool_exit_day.copy()))
    return sc, model, rounds


def test_the_pool_keeps_its_size(renewed_run):
    sc, model, _ = renewed_run
    w = model.workers
    assert int(population.in_pool(w, model.day - 1).sum()) == sc.population.workers
    assert (w.pool_exit_day != NO_DAY).sum() == (w.pool_day > -sc.burn_in_days).sum()


def test_only_people_out_of_gig_work_leave_the_pool(renewed_run):
    _, _, rounds = renewed_run
    for day, (status_before, exit_before), _, exit_after in rounds:
        gone = (exit_after == day) & (exit_before == NO_DAY)
        assert gone.any()
        assert np.all(np.isin(status_before[gone], [OUT, LEFT]))
        assert not np.any(np.isin(status_before[gone], [ACTIVE, UPSKILLING]))


def test_people_who_left_the_pool_never_enter_again(renewed_run):
    _, model, _ = renewed_run
    w = model.workers
    gone = w.pool_exit_day != NO_DAY
    assert gone.any()
    assert not np.any(w.status[gone] == ACTIVE)
    assert not np.any((w.entry_day[gone] != NO_DAY) & (w.entry_day[gone] > w.pool_exit_day[gone]))


def test_people_out_of_the_pool_keep_their_savings():
    sc = small_world()
    model = GigEconomyModel(sc.with_overrides({"burn_in_days": 0}), rng=2, create_agents=False)
    w = model.workers
    model.day = 29
    before = w.savings.copy()
    household.monthly_budget(model)
    later = w.pool_day > 29
    assert later.any() and np.array_equal(w.savings[later], before[later])
    here = population.in_pool(w, 29)
    assert not np.array_equal(w.savings[here], before[here])


def test_renewal_brings_first_entries_that_a_fixed_pool_runs_out_of():
    """Without renewal the pool's would-be entrants are used up; with it fresh people keep arriving."""
    def run(rate: float) -> tuple[int, int]:
        """People in the pool at the end who never entered, and first entries in the second half by arrivals."""
        # entry at session 4's calibrated rate, where the counts below were measured: how fast a fixed pool runs
        # out depends on it (the session-5 calibration's lower entry rate exhausts it more slowly)
        sc = small_world(workers=1000, days=540, burn_in=0, behaviour={"entry_rate": 0.0607}, pool_renewal_rate=rate)
        model = GigEconomyModel(sc, rng=8, create_agents=False)
        model.run(sc.days)
        w = model.workers
        never = population.in_pool(w, model.day - 1) & (w.first_entry_day == NO_DAY) & ~w.drawn_past  # no spell ever
        late = (w.first_entry_day >= 270) & (w.first_entry_day != NO_DAY)
        return int(never.sum()), int((late & (w.pool_day > 0)).sum())

    (never_renewed, by_arrivals), (never_fixed, none) = run(0.033), run(0.0)
    assert none == 0 and by_arrivals > 40
    # measured 509 vs 402 (seed 8), 517 vs 389 (seed 9) on session 4's calibration; 638 vs 587 (seed 8) on session
    # 5's: the paired gap must exceed about twice the count's Poisson noise (sqrt(600) = 25)
    assert never_renewed > never_fixed + 2 * np.sqrt(never_fixed)


# --------------------------------------------------------------------------- the week


def test_weekly_availability_is_a_mean_one_shock_of_the_month():
    month = np.full(200_000, 3.0)
    z = np.random.default_rng(0).standard_normal(month.size)
    week = labour_supply.weekly_availability(month, z, 0.4)
    assert week.mean() == pytest.approx(3.0, rel=0.01)
    assert np.array_equal(labour_supply.weekly_availability(month, z, 0.0), month)


def test_the_weekly_shock_gives_hall_and_kruegers_swing_between_two_weeks():
    """σ = 0.40 is where two independent weeks differ by more than ±25% with probability 0.65."""
    sigma = 0.4
    swing = 1 - stats.norm.cdf(math.log(1.25) / (math.sqrt(2) * sigma)) + stats.norm.cdf(
        math.log(0.75) / (math.sqrt(2) * sigma))
    assert swing == pytest.approx(0.65, abs=0.01)
    rng = np.random.default_rng(4)
    a, b = (labour_supply.weekly_availability(np.full(100_000, 2.0), rng.standard_normal(100_000), sigma)
            for _ in range(2))
    assert np.mean(np.abs(b / a - 1) > 0.25) == pytest.approx(swing, abs=0.01)


def test_a_worker_who_offers_all_her_hours_offers_all_of_each_weeks():
    sc = small_world(workers=400, days=60, burn_in=0)
    model = GigEconomyModel(sc, rng=6, create_agents=False)
    model.run(34)
    w = model.workers
    active = w.status == ACTIVE
    share = labour_supply.offered_share(w.hours_offered, w.hours_available)[active]
    assert np.all(share <= 1.0 + 1e-6)
    before = w.hours_available.copy()
    model.run(7)
    assert not np.allclose(before, w.hours_available)  # the week's hours moved
    still = (w.status == ACTIVE) & active
    assert np.all(w.hours_offered[still] <= w.hours_available[still] + 1e-4)


def test_weekly_hours_swing_in_a_run():
    """Drivers' weekly logged hours change by more than 25% in most weeks with the shock (Hall & Krueger: 65%), in
    about a fifth without it (the monthly hours adjustment and availability draws: 0.21 at seed 9)."""
    def swing(sigma: float) -> float:
        # hours adjusted at session 4's calibrated speed: a faster monthly hours adjustment (session 5's calibration:
        # 0.78) moves weekly hours by itself, which is not this test's mechanism
        sc = small_world(workers=1000, days=150, burn_in=30, behaviour={"hours_adjustment": 0.1324},
                         weekly_hours_volatility=sigma)
        model = GigEconomyModel(sc, rng=9, create_agents=False)
        weeks = []
        for _ in range(sc.days):
            model.step()
            if (model.day - 1) % 7 == 6:
                weeks.append(np.where(model.workers.status == ACTIVE, model.workers.hours_offered, np.nan))
        h = np.array(weeks)
        prev, cur = h[:-1], h[1:]
        ok = np.isfinite(prev) & np.isfinite(cur) & (prev > 0)
        return float(np.mean(np.abs(cur[ok] / prev[ok] - 1) > 0.25))

    assert swing(0.4) > 0.45 > 0.25 > swing(0.0)


# --------------------------------------------------------------------------- intertemporal substitution


def test_hours_follow_the_current_against_the_usual_wage_with_the_frisch_elasticity():
    current = np.array([12.0, 10.0, 8.0, np.nan, 10.0, -1.0, 40.0])
    usual = np.array([10.0, 10.0, 10.0, 10.0, np.nan, 10.0, 10.0])
    f = labour_supply.intertemporal_factor(current, usual, 1.2)
    assert f[0] == pytest.approx(1.2**1.2) and f[1] == 1.0 and f[2] == pytest.approx(0.8**1.2)
    assert f[3] == f[4] == f[5] == 1.0  # unknown or negative earnings: no response
    assert f[6] == 2.0  # at most doubles a week's time
    assert np.all(labour_supply.intertemporal_factor(current, usual, 0.0) == 1.0)


def test_the_usual_wage_is_a_slow_average():
    usual = np.array([10.0, 0.0], dtype=np.float32)
    labour_supply.update_usual(usual, np.array([20.0, 5.0]), 70.0)
    assert usual == pytest.approx([11.0, 0.5])


def test_a_worker_gives_more_time_while_her_pay_is_above_its_usual_level():
    """The weekly round: a worker whose current net hourly earnings are 20% above her usual ones has 1.2^ε more
    time this week (ε = 1.2); one at her usual earnings has the month's; inactive workers have the month's."""
    sc = small_world(workers=1200, days=120, burn_in=0, weekly_hours_volatility=0.0)
    model = GigEconomyModel(sc, rng=12, create_agents=False)
    model.run(60)
    w = model.workers
    known = (w.status == ACTIVE) & (w.ema_logged > 0.5) & (w.ema_net > 0)
    w.usual_net[:], w.usual_logged[:] = w.ema_net, w.ema_logged  # usual = current for everyone
    boosted = known & (np.arange(w.n) % 2 == 0)
    w.ema_net[boosted] *= 1.2
    decisions.weekly(model)
    ratio = w.hours_available / w.hours_month
    unclipped = (w.hours_month * 1.2**1.2 < 16.0) & (w.hours_month > 0.25)
    assert boosted.sum() > 20
    assert ratio[boosted & unclipped] == pytest.approx(1.2**1.2, rel=1e-4)
    assert ratio[known & ~boosted & unclipped] == pytest.approx(1.0, rel=1e-4)
    assert np.allclose(ratio[w.status != ACTIVE], 1.0)
    assert np.all(w.usual_net[boosted] > w.ema_net[boosted] / 1.2)  # her usual earnings move toward the new ones


# --------------------------------------------------------------------------- entry on this month's income


def _entrants_income_gap(on: bool, seeds=(1, 2, 3), volatility: float = 1.0) -> float:
    """Mean log other-income factor (drawn for the coming month) of the month's entrants minus that of the outsiders
    in the pool who did not enter, pooled over the monthly rounds of runs with a strong income shock."""
    entrants, stayers = [], []
    for seed in seeds:
        sc = small_world(other_income_volatility=volatility).with_overrides(
            {"labour_supply": {"entry_on_month_income": on}}, "<test>")
        model = GigEconomyModel(sc, rng=seed, create_agents=False)
        w = model.workers
        for _ in range(sc.days):
            monthly = model.day % 30 == 29
            outside = ((w.status == OUT) | (w.status == LEFT)) & population.in_pool(w, model.day)
            model.step()
            if monthly:
                joined = outside & (w.entry_day == model.day - 1)
                entrants.append(np.log(w.income_factor[joined]))
                stayers.append(np.log(w.income_factor[outside & ~joined]))
    return float(np.concatenate(entrants).mean() - np.concatenate(stayers).mean())


def test_people_dip_in_when_their_other_income_dips():
    """Outsiders enter on this month's reservation wage, which falls with this month's other income, so entrants'
    other income is lower than the stayers-out's; with entry on the usual reservation wage the draw plays no part.
    Measured (seeds 1-3, about 70 entrants a run): −0.30 in logs with the rule, −0.06 without (standard error of
    either about 0.07)."""
    with_rule = _entrants_income_gap(on=True)
    assert with_rule < -0.2
    assert with_rule < _entrants_income_gap(on=False) - 0.15


def test_entry_on_this_months_income_changes_nothing_without_an_income_shock():
    frames = []
    for on in (True, False):
        sc = small_world(workers=500, days=150, other_income_volatility=0.0).with_overrides(
            {"labour_supply": {"entry_on_month_income": on}}, "<test>")
        model = GigEconomyModel(sc, rng=5, create_agents=False)
        frames.append((model.run(sc.days), model.workers.entry_day.copy(), model.workers.savings.copy()))
    (a, entry_a, savings_a), (b, entry_b, savings_b) = frames
    assert a.equals(b) and np.array_equal(entry_a, entry_b) and np.array_equal(savings_a, savings_b)
