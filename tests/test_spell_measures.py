"""The participation measures read at a market's growth (cohort weights) and the intermittency measure, on
hand-made panels: at growth 0 every person counts once, at growth g a person who first entered in month c counts
exp(g·c), so a growing market's later cohorts weigh more (docs/validation.md, "Chase spells")."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from gigsim.analysis import measures as m

RIDES, WRITING = 0, 1


def panel(status: np.ndarray, first_entry_day: list, category: np.ndarray | None = None) -> m.RunTables:
    """A run's tables with only the monthly panel and the first entry days filled in (months × workers)."""
    months, n = status.shape
    return m.RunTables(
        metrics=pl.DataFrame(), markets=pl.DataFrame(),
        workers=pl.DataFrame({"first_entry_day": pl.Series(first_entry_day, dtype=pl.Int64)}),
        category_names=["rides", "writing"], online_categories=["writing"],
        month_status=status.astype(np.int8),
        month_category=(np.zeros((months, n), np.int32) if category is None else category).astype(np.int32),
        week_hours=np.zeros((0, n), np.float32), week_category=np.zeros((0, n), np.int32),
        first_task_day=np.zeros(n), run_pay=np.zeros(n), window_pay=np.zeros(n), ride_platforms=np.zeros(n),
        logged_by_category=np.zeros((0, 2)))


def entrants_panel() -> m.RunTables:
    """Worker 0 active throughout (entered day −1); 1 enters in round 1 (day 59) and stays; 2 enters in round 2
    (day 89) and stays; 3 never enters."""
    status = np.zeros((3, 4), np.int8)
    status[:, 0] = 1
    status[1:, 1] = 1
    status[2:, 2] = 1
    return panel(status, [-1, 59, 89, None])


def test_cohort_weights_are_one_at_no_growth_and_grow_with_the_month_of_first_entry():
    t = entrants_panel()
    assert np.array_equal(m.cohort_weights(t), np.ones(4))
    w = m.cohort_weights(t, 0.05)
    assert w[:3] == pytest.approx(np.exp(0.05 * np.array([-1, 59, 89]) / 30))
    assert w[3] == 0.0                                     # never entered: never a participant


def test_the_entrant_share_weighs_later_cohorts_more_in_a_growing_market():
    t = entrants_panel()
    assert m.entrant_share(t) == pytest.approx(np.mean([1 / 2, 1 / 3]))
    g = 0.3
    w0, w1, w2 = np.exp(g * np.array([-1, 59, 89]) / 30)
    assert m.entrant_share(t, g) == pytest.approx(np.mean([w1 / (w0 + w1), w2 / (w0 + w1 + w2)]))
    assert m.entrant_share(t, g) > m.entrant_share(t) > m.entrant_share(t, -g)


def test_months_active_and_the_month_to_year_ratio_weigh_people_by_cohort():
    status = np.zeros((12, 3), np.int8)
    status[:, 0] = 1                                       # an incumbent active all year (entered day −301)
    status[9:, 1] = 1                                      # a late entrant: 3 months
    status[11, 2] = 1                                      # a later one: 1 month
    t = panel(status, [-301, 269, 329], np.zeros((12, 3), np.int32))
    assert m.months_active_up_to_3(t) == pytest.approx(2 / 3)
    assert m.ride_months_active(t) == pytest.approx((12 + 3 + 1) / 3)
    assert m.month_to_year_participation(t) == pytest.approx(1.0)   # month 11: all three active
    g = 0.1
    w = np.exp(g * np.array([-301, 269, 329]) / 30)
    assert m.months_active_up_to_3(t, g) == pytest.approx((w[1] + w[2]) / w.sum())
    assert m.ride_months_active(t, g) == pytest.approx((12 * w[0] + 3 * w[1] + w[2]) / w.sum())
    status[11, 1] = 0                                      # the late entrant skips the last month
    t = panel(status, [-301, 269, 329])
    assert m.month_to_year_participation(t, g) == pytest.approx((w[0] + w[2]) / w.sum())
    assert m.months_active_up_to_3(t, g) > m.months_active_up_to_3(t)


def test_the_growth_reading_leaves_a_panel_of_one_cohort_unchanged():
    status = np.zeros((14, 3), np.int8)
    status[:, :2] = 1
    status[:5, 2] = 1
    t = panel(status, [-31, -31, -31])
    for name in ("months_active_up_to_3", "ride_months_active", "month_to_year_participation"):
        assert getattr(m, name)(t, 0.06) == pytest.approx(getattr(m, name)(t))


def test_the_active_share_of_the_span_counts_the_gaps_between_first_and_last_month():
    status = np.zeros((6, 4), np.int8)
    status[[0, 1, 3], 0] = 1                               # active 3 of the 4 months from first to last
    status[2, 1] = 1                                       # one month: no gap
    status[[1, 5], 2] = 1                                  # 2 of 5
    t = panel(status, [-1, 59, 29, None])
    assert m.active_share_of_span(t) == pytest.approx(np.mean([3 / 4, 1.0, 2 / 5]))
    assert m.active_share_of_span(panel(np.zeros((3, 2), np.int8), [None, None])) is None
    assert math.isclose(m.active_share_of_span(panel(np.ones((3, 2), np.int8), [-1, -1])), 1.0)
