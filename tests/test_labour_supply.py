"""The labour-supply rules on hand-built arrays of a few workers (gigsim.model.labour_supply)."""

from __future__ import annotations

import numpy as np

from gigsim.model import labour_supply as ls


def test_hours_fall_with_the_frisch_elasticity_below_the_outside_option_only():
    hourly = np.array([20.0, 10.0, 5.0, np.nan, -30.0])
    autonomy = np.full(5, 2.0)
    reservation = np.full(5, 16.0)
    available = np.full(5, 4.0)
    hours = ls.target_hours(hourly, autonomy, reservation, available, 1.2, 0.25, np.zeros(5, bool))
    assert hours[0] == 4.0                                   # worth more than the outside option: all hours
    np.testing.assert_allclose(hours[1], 4.0 * (12 / 16) ** 1.2)
    np.testing.assert_allclose(hours[2], 4.0 * (7 / 16) ** 1.2)
    assert hours[1] > hours[2]
    assert hours[3] == 4.0                                   # unknown earnings: work to learn them
    assert hours[4] == 1.0                                   # never below a quarter of available hours


def test_a_larger_elasticity_cuts_hours_more_and_distress_restores_them():
    args = (np.array([8.0]), np.array([0.0]), np.array([16.0]), np.array([6.0]))
    calm = np.zeros(1, bool)
    assert ls.target_hours(*args, 2.0, 0.0, calm)[0] < ls.target_hours(*args, 0.5, 0.0, calm)[0]
    assert ls.target_hours(*args, 2.0, 0.0, np.ones(1, bool))[0] == 6.0


def test_asks_follow_own_utilisation_not_applications():
    engaged = np.array([9.0, 3.0, 6.0, 0.0, 20.0])
    logged = np.array([10.0, 10.0, 10.0, 0.0, 10.0])
    factor = ls.ask_factor(engaged, logged, 0.6, 0.05)
    assert factor[0] > 1.0 > factor[1]                       # busy raise, idle cut
    assert factor[2] == 1.0                                  # at the target: unchanged
    assert factor[3] == 1.0                                  # logged nothing: unchanged
    assert factor.max() <= 1.05 and factor.min() >= 0.95     # at most one step a week
    assert factor[4] == 1.05


def test_exit_reasons_in_order_random_earnings_savings_policy():
    u = np.array([0.01, 0.3, 0.3, 0.99, 0.99, 0.99, 0.3])
    gap = np.array([10.0, -20.0, 20.0, 20.0, 20.0, 20.0, -20.0])
    broke = np.array([True, False, False, True, False, True, True])
    stranded = np.array([False, False, False, False, True, True, True])
    reason = ls.exit_reasons(u, gap, broke, stranded, random_rate=0.04, earnings_rate=0.5, sensitivity=1.0)
    assert reason.tolist() == [ls.EXIT_RANDOM, ls.EXIT_EARNINGS, ls.NOT_LEFT, ls.EXIT_SAVINGS, ls.EXIT_POLICY,
                               ls.EXIT_SAVINGS, ls.EXIT_EARNINGS]


def test_earnings_exit_probability_falls_with_the_gap():
    u = np.random.default_rng(0).random(20000)
    share = {g: (ls.exit_reasons(u, np.full(u.size, g), np.zeros(u.size, bool), np.zeros(u.size, bool),
                                 0.0, 0.5, 0.3) == ls.EXIT_EARNINGS).mean() for g in (-10.0, 0.0, 10.0)}
    assert share[-10.0] > share[0.0] > share[10.0]
    assert abs(share[0.0] - 0.25) < 0.02                     # ρ × σ(0) = 0.5 × 0.5


def test_entry_fee_is_the_cheapest_open_platform_serving_the_category():
    serves = np.array([[True, False], [True, True], [False, True]])
    open_now = np.array([True, True, False])
    fees = np.array([50.0, 20.0, 0.0])
    np.testing.assert_array_equal(ls.entry_fees(serves, open_now, fees), [20.0, 20.0])
    np.testing.assert_array_equal(ls.entry_fees(serves, np.array([True, False, False]), fees), [50.0, np.inf])


def test_weekly_hours_history_keeps_the_last_four_weeks():
    history = np.zeros((2, ls.HOURS_HISTORY_WEEKS), dtype=np.float32)
    for week in (10.0, 20.0, 30.0, 40.0, 50.0):
        ls.push_week(history, np.array([week, 0.0]))
    np.testing.assert_array_equal(history[0], [20.0, 30.0, 40.0, 50.0])
    np.testing.assert_allclose(ls.weekly_hours(history), [35.0, 0.0])
