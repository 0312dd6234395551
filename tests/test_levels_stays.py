"""Home-sharing occupancy as the source measures it (issue 14, levels): nights booked over the year per listing of
the year, so nights a listing was not offered count as unbooked; on the model, the share of a year's nights
booked can never exceed the share of listed nights booked."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from gigsim.analysis import measures as m
from gigsim.analysis.facts import traced_run
from gigsim.scenario import load_scenario

CATS = ["rides", "stays", "writing"]
WEEKS, DAYS = 4, 28


def hosts(week_category: np.ndarray, filled: list[float], active_hosts: list[int]) -> m.RunTables:
    """A 28-day window (4 weeks) of n workers; `filled` stays filled per day, `active_hosts` hosts active per day."""
    n = week_category.shape[1]
    return m.RunTables(
        metrics=pl.DataFrame({"day": list(range(DAYS)), "workers_stays": active_hosts}),
        markets=pl.DataFrame({"day": list(range(DAYS)), "category": ["stays"] * DAYS, "tasks_filled": filled}),
        workers=pl.DataFrame({"status": ["active"] * n}), category_names=CATS, online_categories=["writing"],
        month_status=np.ones((1, n), np.int8), month_category=np.ones((1, n), np.int32),
        week_hours=np.full((WEEKS, n), np.nan, np.float32), week_category=week_category,
        first_task_day=np.zeros(n), run_pay=np.zeros(n), window_pay=np.zeros(n), ride_platforms=np.zeros(n),
        logged_by_category=np.zeros((DAYS, 3)), asset_days={"stays": 2}, days=DAYS)


def test_a_listing_offered_part_of_the_year_counts_every_night_of_it():
    # host 0 listed all four weeks, host 1 only the first week (then she drives), worker 2 always drives
    cats = np.array([[1, 1, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0]], np.int32)
    filled = [1.0 if d % 4 == 0 else 0.0 for d in range(DAYS)]          # 7 stays of 2 nights: 14 nights booked
    active = [2] * 7 + [1] * 21                                        # 35 host-days
    t = hosts(cats, filled, active)
    assert m.stays_listings(t).tolist() == [True, True, False]
    assert m.stays_occupancy(t) == pytest.approx(14 / (2 * DAYS))
    assert m.stays_booked_share_of_active_nights(t) == pytest.approx(14 / 35)
    # the same bookings with host 1 listed all month: the listed-night share falls, annual occupancy does not
    t = hosts(np.array([[1, 1, 0]] * 4, np.int32), filled, [2] * DAYS)
    assert m.stays_occupancy(t) == pytest.approx(14 / (2 * DAYS))
    assert m.stays_booked_share_of_active_nights(t) == pytest.approx(14 / (2 * DAYS))


def test_a_listing_never_booked_lowers_occupancy_and_a_year_without_hosts_has_none():
    one = hosts(np.array([[1, 0, 0]] * 4, np.int32), [1.0] + [0.0] * (DAYS - 1), [1] * DAYS)
    two = hosts(np.array([[1, 1, 0]] * 4, np.int32), [1.0] + [0.0] * (DAYS - 1), [2] * DAYS)
    assert m.stays_occupancy(two) == pytest.approx(m.stays_occupancy(one) / 2)
    none = hosts(np.zeros((4, 3), np.int32), [0.0] * DAYS, [0] * DAYS)
    assert m.stays_occupancy(none) is None


def test_on_the_model_a_years_occupancy_is_below_the_share_of_listed_nights_booked():
    """Every listing of the window counts the window's 365 nights, at least the nights its host was active, so
    annual occupancy ≤ booked share of active nights; hosts come and go, so it is strictly below."""
    sc = load_scenario("scenarios/baseline.toml").rescaled(2000)
    t = traced_run(sc, 1, 400, 35)
    annual, listed = m.stays_occupancy(t), m.stays_booked_share_of_active_nights(t)
    assert annual is not None and listed is not None
    assert 0.0 < annual < listed <= 1.0


def test_listing_churn_counts_hosts_gone_six_rounds_later():
    months = 14
    status = np.ones((months, 3), np.int8)
    cats = np.ones((months, 3), np.int32)
    cats[9:, 1] = 0                                      # host 1 drives from round 9 on
    status[4:, 2] = 0                                    # host 2 leaves at round 4
    t = hosts(np.ones((WEEKS, 3), np.int32), [0.0] * DAYS, [3] * DAYS)
    t.month_status, t.month_category = status, cats
    # window from round 0: pairs (k, k + 6) for k = 0..7; host 0 stays; host 1 is gone for k = 3..7 (5 of 8);
    # host 2 hosts at k = 0..3 and is gone 6 rounds later each time (4 of 4)
    assert m.stays_listing_churn_6m(t) == pytest.approx((5 + 4) / (8 + 8 + 4))
    t.month_status = np.zeros((months, 3), np.int8)
    assert m.stays_listing_churn_6m(t) is None


def _work_rows(rents: list[bool]):
    from gigsim.model.kernels.structs import WorkRows

    n = len(rents)
    z32, z = np.zeros(n, np.float32), np.zeros(n)
    return WorkRows(status=np.ones(n, np.int8), hours_offered=np.full(n, 6.0, np.float32), backlog=z32.copy(),
                    day_engaged_hours=np.full(n, 1.5, np.float32), day_worked_hours=z32.copy(),
                    day_pay=np.full(n, 80.0), day_costs=np.full(n, 12.0), day_tasks=np.ones(n, np.int32),
                    ema_net=z32.copy(), ema_logged=z32.copy(), savings=z.copy(), month_net=z.copy(),
                    month_tasks=np.zeros(n, np.int32), week_logged=z32.copy(), week_engaged=z32.copy(),
                    rents_asset=np.array(rents))


def test_a_hosts_logged_hours_are_her_hosting_hours_a_drivers_her_hours_offered():
    from gigsim.model.kernels import workday

    rows = _work_rows([True, False])                      # a host and a driver: same pay, same hours
    offered = workday.end_of_day_work(rows, 30.0)
    assert offered.tolist() == [6.0, 6.0]                 # both were available 6 h (the cap on work is unchanged)
    assert rows.week_logged.tolist() == [1.5, 6.0]        # the host's time is the 1.5 h her guest needed
    hourly = rows.ema_net / rows.ema_logged
    assert hourly[0] == pytest.approx(68.0 / 1.5) and hourly[1] == pytest.approx(68.0 / 6.0)


def test_hosts_paid_for_their_rooms_stay_listed_longer_and_rooms_go_unbooked():
    """With a host's time counted as her hosting work, fewer hosts leave for earnings: more listings, fewer of them
    leave within six rounds, and a smaller share of listed nights is booked (issue 14: levels of home-sharing)."""
    sc = load_scenario("scenarios/baseline.toml").rescaled(3000)
    t = traced_run(sc, 1, 550, 185)
    assert m.stays_listings(t).sum() >= 30
    assert m.stays_listing_churn_6m(t) < 0.6
    assert m.stays_booked_share_of_active_nights(t) < 0.7
