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


def steady_entry_panel(life: int, months: int = 24, measure_from: int = 360) -> m.RunTables:
    """A stationary market: one person enters in each monthly round c (day 30c + 29) and is active in rounds c to
    c + life − 1, then leaves for good."""
    status = np.zeros((months, months), np.int8)
    for c in range(months):
        status[c:c + life, c] = 1
    t = panel(status, [30 * c + 29 for c in range(months)])
    t.measure_from = measure_from
    return t


@pytest.mark.parametrize("life", [1, 4, 6, 9])
def test_the_entrant_share_read_at_growth_g_is_littles_law_for_a_market_growing_at_g(life):
    """In steady state a month's participants are the last `life` cohorts; read at growth g cohort c weighs
    e^(g·c), so the new share is 1 / Σ_{i<life} e^(−g·i) = (1 − e^(−g)) / (1 − e^(−g·life)), and 1 / life at
    g = 0 (Little's law)."""
    t = steady_entry_panel(life)
    assert m.entrant_share(t) == pytest.approx(1 / life)
    for g in (0.028, 0.058, 0.2):
        assert m.entrant_share(t, g) == pytest.approx((1 - math.exp(-g)) / (1 - math.exp(-g * life)))


def test_drivers_with_three_months_or_fewer_are_weighed_by_cohort_and_other_categories_do_not_count():
    status = np.ones((12, 4), np.int8)
    category = np.full((12, 4), RIDES, np.int32)
    status[:9, 1] = 0                                      # a driver who entered in round 9: 3 months
    status[:, 2] = 0
    status[11, 2] = 1                                      # one who entered in round 11: 1 month
    category[:, 3] = WRITING                               # a writer all year: not a driver
    first = [-301, 269, 329, -301]
    t = panel(status, first, category)
    assert m.ride_months_up_to_3(t) == pytest.approx(2 / 3)
    g = 0.05
    w = np.exp(g * np.array(first[:3]) / 30)
    assert m.ride_months_up_to_3(t, g) == pytest.approx((w[1] + w[2]) / w.sum())
    assert m.ride_months_up_to_3(panel(status, first, np.full((12, 4), WRITING, np.int32))) is None


def weekly_panel(weeks: int, life: int) -> m.RunTables:
    """Driver i (first entry day 7i) drives in weeks i to i + life − 1 of a panel of `weeks` weeks; the last one
    is a writer with tasks every week (not a driver)."""
    n = weeks + 1
    tasks = np.zeros((weeks, n), np.int32)
    category = np.full((weeks, n), RIDES, np.int32)
    for i in range(weeks):
        tasks[i:i + life, i] = 3
    tasks[:, -1] = 2
    category[:, -1] = WRITING
    t = panel(np.zeros((1, n), np.int8), [7 * i for i in range(weeks)] + [0])
    t.week_tasks, t.week_category = tasks, category
    return t


def test_weeks_per_driver_is_driver_weeks_over_distinct_drivers_in_months_as_mishel_computed_it():
    """Cook et al.'s 24.8m driver-weeks over 1,873,474 drivers is 13.2 weeks, Mishel's "three months"; on a panel
    of 40 weeks where driver i drives weeks i..i+9, driver-weeks / drivers = Σ min(10, 40 − i) / 40 weeks, and
    read at growth g driver i weighs e^(g·7i/30)."""
    t = weekly_panel(40, 10)
    weeks = np.minimum(10, 40 - np.arange(40))
    assert m.ride_weeks_per_driver(t) == pytest.approx(weeks.mean() * 12 / 52)
    w = np.exp(0.05 * 7 * np.arange(40) / 30)
    assert m.ride_weeks_per_driver(t, 0.05) == pytest.approx((w * weeks).sum() / w.sum() * 12 / 52)
    assert m.ride_weeks_per_driver(t, 0.05) < m.ride_weeks_per_driver(t)   # later drivers are seen for less


def test_weeks_per_driver_reads_only_cooks_27_months():
    t = weekly_panel(130, 5)                               # drivers 0..12 drive before the last 117 weeks
    late = np.minimum(5, 130 - np.arange(13, 130))
    first_in_window = np.minimum(5, np.arange(9, 13) + 5 - 13)   # drivers 9..12 overlap week 13 onwards
    expected = (late.sum() + first_in_window.sum()) / (late.size + first_in_window.size)
    assert m.ride_weeks_per_driver(t) == pytest.approx(expected * 12 / 52)
    t.week_tasks = None
    assert m.ride_weeks_per_driver(t) is None


def test_the_scorecard_reads_each_chase_fact_at_the_growth_its_row_states():
    """A row with `growth` computes its function at that growth (and says where the growth comes from); a row
    without one reads the run as it is."""
    from gigsim.analysis.scorecard import MEASURES, MEASURES_BY_NAME

    t = steady_entry_panel(6)
    row = MEASURES_BY_NAME["entrant_share"]
    assert row.growth > 0 and row.growth_basis
    assert row.measure(t) == pytest.approx(m.entrant_share(t, row.growth))
    assert row.measure(t) > m.entrant_share(t)
    assert MEASURES_BY_NAME["retention_12m"].growth == 0.0
    for x in MEASURES:
        assert (x.growth > 0) == bool(x.growth_basis), x.name
        assert 0 <= x.growth < 0.2, x.name
