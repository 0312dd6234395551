"""The household budget, liquidity and exit reasons on a small world whose first workers are set by hand."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from gigsim import GigEconomyModel
from gigsim.model import decisions, household, upskilling
from gigsim.model.labour_supply import EXIT_EARNINGS, EXIT_POLICY, EXIT_SAVINGS, NOT_LEFT
from gigsim.model.state import ACTIVE, LEFT, OUT
from tests.helpers import baseline

RIDES, WRITING = 0, 2


def small_world(**overrides) -> GigEconomyModel:
    """60 workers, no burn-in; workers 0..3 are made identical rides drivers with a car and money."""
    sc = baseline(60, burn_in_days=0, **overrides)
    model = GigEconomyModel(sc, rng=3, create_agents=False)
    w = model.workers
    for i in range(4):
        w.category[i], w.has_car[i], w.full_time[i] = RIDES, True, False
        w.reservation_wage[i], w.autonomy_value[i], w.savings[i] = 15.0, 2.0, 5000.0
        w.living_costs[i], w.other_income[i], w.hours_base[i] = 2000.0, 2500.0, 4.0
        w.skill[i] = 0.0
        w.skill[i, RIDES] = 0.8
        w.exit_reason[i], w.ema_net[i], w.ema_logged[i] = NOT_LEFT, 0.0, 0.0  # no drawn past spell (population.past_spells)
    return model


def decide(model, hourly_of_first: float, by_category: np.ndarray | None = None) -> None:
    """Run the monthly entry/exit rule with the first four workers earning `hourly_of_first` per hour."""
    w = model.workers
    hourly = np.full(w.n, np.nan)
    hourly[:4] = hourly_of_first
    w.status[:4] = np.where(w.status[:4] == OUT, OUT, w.status[:4])
    decisions.entry_and_exit(model, hourly, np.full(model.n_categories, 14.0) if by_category is None
                             else by_category)


def test_full_timers_out_of_gig_work_earn_their_outside_job():
    model = small_world()
    w = model.workers
    w.full_time[:2] = True
    w.status[[0, 2]] = OUT
    w.status[[1, 3]] = ACTIVE
    before = w.savings[:4].copy()
    household.monthly_budget(model)
    change = w.savings[:4] - before
    np.testing.assert_allclose(change[0], 2500 - 2000 + 15.0 * 4.0 * 30, rtol=1e-5)  # out full-timer: job pay
    np.testing.assert_allclose(change[1:], 500.0, rtol=1e-5)  # active full-timer, out and active side hustler


def test_without_the_outside_job_nobody_earns_it():
    model = small_world(household={"outside_job": False})
    model.workers.full_time[0], model.workers.status[0] = True, OUT
    assert household.outside_job_pay(model)[0] == 0.0


@pytest.mark.parametrize("savings, enters", [(10.0, False), (60.0, True)])
def test_entry_needs_savings_for_the_onboarding_fee(savings, enters):
    model = small_world(behaviour={"entry_rate": 1.0, "decision_sensitivity": 10.0})
    w = model.workers
    w.status[0], w.savings[0] = OUT, savings   # both ride apps charge 50 to join
    decide(model, 30.0, np.full(model.n_categories, 30.0))
    assert (w.status[0] == ACTIVE) == enters


def test_running_out_of_savings_means_more_hours_then_an_outside_job():
    model = small_world(behaviour={"random_exit_rate": 0.0, "exit_rate": 0.0})
    w = model.workers
    w.status[:3] = ACTIVE
    w.hours_available[:3], w.hours_offered[:3] = 6.0, 2.0
    w.ema_logged[:3], w.ema_net[:3] = 2.0, 2.0 * 8.0       # 8 per hour: below the outside option
    w.savings[:3] = [100.0, -100.0, -2100.0]                # credit limit: one month of living costs (2000)
    decisions.weekly(model)
    assert w.hours_offered[1] > w.hours_offered[0]          # in debt: works more
    decide(model, 25.0)
    assert w.status[2] == LEFT and w.exit_reason[2] == EXIT_SAVINGS
    assert w.status[1] == ACTIVE and w.exit_reason[1] == NOT_LEFT


def test_earnings_below_the_outside_option_drive_exit():
    model = small_world(behaviour={"random_exit_rate": 0.0, "exit_rate": 1.0, "decision_sensitivity": 10.0})
    w = model.workers
    w.status[:2] = ACTIVE
    decide(model, 2.0)
    assert (w.status[:2] == LEFT).all() and (w.exit_reason[:2] == EXIT_EARNINGS).all()


def test_no_platform_to_work_on_is_a_policy_exit():
    model = small_world(behaviour={"random_exit_rate": 0.0, "exit_rate": 0.0})
    w = model.workers
    w.status[0] = ACTIVE
    w.member[0] = False
    model.accepting[model.serves[:, RIDES]] = False
    decide(model, 25.0)
    assert w.status[0] == LEFT and w.exit_reason[0] == EXIT_POLICY


def test_distress_moves_a_worker_to_a_better_paid_category_she_is_skilled_in():
    model = small_world()
    w = model.workers
    w.status[:2] = ACTIVE
    w.skill[:2, WRITING] = 0.6
    w.savings[:2] = [-50.0, 50.0]
    by_category = np.array([10.0, 9.0, 16.0, 8.0, 8.0])
    hourly = np.full(w.n, np.nan)
    hourly[:2] = 10.0
    movers = household.distress_switch(model, hourly, by_category, decisions.SKILLED)
    assert movers.tolist() == [0]
    assert w.category[0] == WRITING and w.category[1] == RIDES


def test_retraining_pays_only_after_discounting_switching_costs_and_forgone_earnings():
    model = small_world()
    # the old rule (a year of the gain repays the fee): 0.7 × 3 h × 365 = 767 > 600
    gain, own, hours = np.array([0.7]), np.array([12.0]), np.array([3.0])
    assert not upskilling.move_pays(model, gain, own, hours, np.array([600.0]), np.array([60.0]))[0]
    assert upskilling.move_pays(model, np.array([5.0]), own, hours, np.array([600.0]), np.array([60.0]))[0]
    # already skilled: no fee, no course, but the switching cost still has to be repaid
    assert not upskilling.move_pays(model, np.array([0.05]), own, hours, np.zeros(1), np.zeros(1))[0]


def test_a_move_with_no_hours_does_not_pay_over_an_endless_spell_and_raises_no_warning():
    # no discounting and no random exit: the expected remaining spell is infinite; 0 hours × ∞ is 0 by the rule
    model = small_world(upskilling={"annual_discount_rate": 0.0, "switch_cost": 0.0},
                        behaviour={"random_exit_rate": 0.0})
    gain = np.array([5.0, 0.0, -np.inf, 5.0])
    hours = np.array([0.0, 3.0, 0.0, 3.0])
    zero = np.zeros(gain.size)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning (invalid value) would fail here
        pays = upskilling.move_pays(model, gain, np.full(gain.size, 12.0), hours, zero, zero)
    # no hours, no gain, no target: never; a real gain over an endless spell repays any finite cost
    assert pays.tolist() == [False, False, False, True]
