"""Whole-world behaviour of the economic core: participation settles on earnings, markets re-equilibrate after a
pay change, asks do not hinge on the number of applications, platforms compete, exits carry their reasons."""

from __future__ import annotations

import numpy as np

from gigsim import GigEconomyModel
from gigsim.analysis.restrictions import share_below_outside_option
from gigsim.model import competition
from gigsim.model.labour_supply import EXIT_REASONS
from gigsim.model.metrics import net_hourly_earnings
from gigsim.model.state import ACTIVE
from gigsim.model.vocabulary import Flow
from tests.helpers import baseline


def _world(workers: int, days: int, seed: int, **overrides) -> GigEconomyModel:
    model = GigEconomyModel(baseline(workers, days=days, **overrides), rng=seed, create_agents=False)
    model.run()
    return model


def test_few_active_workers_earn_less_than_their_outside_option_in_the_steady_state():
    shares = []
    for seed in (1, 2):
        w = _world(3000, 365, seed).workers
        shares.append(share_below_outside_option(net_hourly_earnings(w), w.autonomy_value, w.reservation_wage,
                                                 w.status == ACTIVE))
    assert np.mean(shares) <= 0.25, shares   # the bound gigsim calibrate imposes too (analysis/restrictions.py)


def test_the_median_ask_does_not_hinge_on_applications_per_round():
    """Issue 14's test: the median ask moves less than 10% when applications per round go from 1 to 5. Since
    bids clients screen bids against their budgets (posts go unfilled), more applications concentrate wins on
    fewer freelancers, who keep higher asks: measured 7.8% over seeds 1-4 (1.150 vs 1.240; 4.0% before the
    screening), with seed noise of about ±3 points per seed pair, so four seeds, not two."""
    def median_ask(applications: int) -> float:
        values = []
        for seed in (1, 2, 3, 4):
            model = _world(3000, 730, seed, platforms={"freelancely": {"applications_per_round": applications}})
            w = model.workers
            online = np.isin(w.category, [model.category_names.index(c) for c in ("writing", "design", "programming")])
            values.append(np.median(w.ask[(w.status == ACTIVE) & online]))
        return float(np.mean(values))

    one, five = median_ask(1), median_ask(5)
    assert abs(five - one) / one < 0.10, (one, five)


def test_exit_reasons_and_weekly_hours_in_the_worker_table():
    model = _world(1500, 120, 1, burn_in_days=0)   # exit days ≥ 0: left in the run; < 0: left before it (drawn)
    table = model.worker_table()
    left = table.filter(table["exit_day"].is_not_null())
    assert left.height > 0 and left["exit_reason"].null_count() == 0
    assert set(left["exit_reason"].unique()) <= set(EXIT_REASONS)
    never = table.filter(table["exit_day"].is_null())
    assert never["exit_reason"].null_count() == never.height
    hours = table["weekly_hours_last_4w"].to_numpy()
    active = (table["status"] == "active").to_numpy()
    assert (hours >= 0).all() and np.median(hours[active]) > 0
    assert (hours <= 7 * 16 + 1e-3).all()


def test_ride_drivers_multihome_on_the_two_ride_apps():
    model = _world(3000, 240, 1)
    w = model.workers
    rides = model.category_names.index("rides")
    drivers = (w.status == ACTIVE) & (w.category == rides)
    on_both = w.member[drivers][:, model.serves[:, rides]].sum(axis=1) == 2
    assert on_both.mean() > 0.05


def test_the_platform_short_of_workers_cuts_its_commission_and_the_other_raises_it():
    model = GigEconomyModel(baseline(300, burn_in_days=0), rng=1, create_agents=False)
    rides = model.category_names.index("rides")
    rideco, ridemate = model.platform_names.index("rideco"), model.platform_names.index("ridemate")
    model.ledger.month.posted[:] = 0.0
    model.ledger.month.posted[[rideco, ridemate], rides] = 100.0
    filled = model.ledger.month.flows[Flow.TASKS_FILLED]  # a view: (platform, category)
    filled[rideco, rides], filled[ridemate, rides] = 99.0, 80.0
    before = model.commission.copy()
    step = model.config.competition.commission_step
    competition.compete(model)
    np.testing.assert_allclose(model.commission[rideco], before[rideco] + step)
    np.testing.assert_allclose(model.commission[ridemate], before[ridemate] - step)
    for _ in range(100):
        competition.compete(model)
    assert model.commission[rideco] == model.config.competition.commission_max
    assert model.commission[ridemate] == model.config.competition.commission_min


def test_platforms_do_not_react_to_the_noise_of_a_few_posts():
    model = GigEconomyModel(baseline(300, burn_in_days=0), rng=1, create_agents=False)
    rides = model.category_names.index("rides")
    rideco, ridemate = model.platform_names.index("rideco"), model.platform_names.index("ridemate")
    before = model.commission.copy()
    for posted, filled in (((10.0, 10.0), (9.0, 8.0)), ((500.0, 500.0), (500.0, 500.0))):
        model.ledger.month.posted[:] = 0.0
        model.ledger.month.posted[[rideco, ridemate], rides] = posted
        month_filled = model.ledger.month.flows[Flow.TASKS_FILLED]  # a view: (platform, category)
        month_filled[rideco, rides], month_filled[ridemate, rides] = filled
        competition.compete(model)
        np.testing.assert_array_equal(model.commission, before)
