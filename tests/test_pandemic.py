"""The 2020 pandemic's levers (gigsim.model.policies.pandemic; docs/model.md 7.16): the infection risk of in-person
work and the CARES Act's unemployment benefits for gig workers, each acting through the model's hours and entry and
exit rules, and a reason to stop within the month."""

from __future__ import annotations

import numpy as np
import pytest

from gigsim import GigEconomyModel
from gigsim.model.policies import pandemic
from gigsim.model.state import ACTIVE, LEFT
from tests.helpers import baseline


def _model(seed: int = 3, **policy) -> GigEconomyModel:
    sc = baseline(1500, burn_in_days=60, policy=policy)
    return GigEconomyModel(sc, rng=seed, debug=True, create_agents=False)


def _step_to(model, day: int) -> None:
    while model.day < day:
        model.step()


def test_benefit_counts_only_for_workers_whose_main_income_was_gig_work_and_only_while_it_runs():
    """PUA + FPUC per usual hour: $600 / (7 × usual hours) + 46% of her net hourly earnings, for full-timers who are
    active or left since it started; none for side hustlers, none before or after its dates."""
    model = _model(unemployment_assistance={"enabled": True, "start": 5, "end": 40})
    _step_to(model, 4)
    w = model.workers
    hourly = np.full(w.n, 20.0)
    assert not pandemic.benefit_per_hour(model, hourly).any()  # not yet in force
    _step_to(model, 10)
    benefit = pandemic.benefit_per_hour(model, hourly)
    active = w.status == ACTIVE
    full, side = active & w.full_time, active & ~w.full_time
    assert full.any() and side.any()
    expected = 600.0 / (7.0 * np.maximum(w.hours_base[full], 0.25)) + 0.46 * 20.0
    np.testing.assert_allclose(benefit[full], expected, rtol=1e-6)
    assert not benefit[side].any()
    left_before = (w.status == LEFT) & (w.exit_day < 5)
    assert not benefit[left_before].any()
    _step_to(model, 40)
    assert not pandemic.benefit_per_hour(model, hourly).any()  # FPUC ended


def test_benefits_make_full_time_drivers_stop_within_the_month_and_leave_side_hustlers_driving():
    """On the day the benefit starts (not a monthly round), full-timers for whom it beats gig work leave at once;
    side hustlers, who would get none, do not; without the lever nobody leaves that day."""
    day = 40  # a weekly and monthly round fall on days 41 and 59
    counts = {}
    for on in (True, False):
        model = _model(unemployment_assistance={"enabled": on, "start": day, "end": 160})
        _step_to(model, day)
        w = model.workers
        before = (w.status == ACTIVE).copy()
        model.step()
        left = before & (w.status == LEFT) & (w.exit_day == day)
        counts[on] = (int((left & w.full_time).sum()), int((left & ~w.full_time).sum()), int((before & w.full_time).sum()))
    full_left, side_left, full_before = counts[True]
    assert side_left == 0
    assert full_left > 0.2 * full_before, counts
    assert counts[False][:2] == (0, 0)


def test_infection_risk_cuts_hours_in_its_categories_only():
    """A cost per hour worked in rides lowers the worth of a gig hour against the outside option, so the drivers
    active before the risk offer fewer hours three weeks into it, counted as a cohort (those who stopped offer 0:
    on its start day the risk makes drivers leave, the Frisch rule trims the hours of those who stay); the writers
    who stay offer the same share of their available hours. A high cost (10 an hour) makes the test sharp; three
    seeds (one seed's cohort of 20-25 drivers moved 14-52% between core versions). The
    drivers are compared as a cohort, not by the stayers' share of their available hours: the stayers are those
    with the most to lose by leaving and offer nearly all their available hours in both worlds (0.98-1.00)."""
    hours = {}
    for on in (True, False):
        hours[on] = {"r": 0.0, "w": []}
        for seed in (5, 6, 7):
            model = _model(seed=seed, infection_risk={"enabled": on, "start": 30, "categories": ["rides"],
                                                      "cost_per_hour": 10.0})
            _step_to(model, 28)  # before the monthly round of day 29, so the same workers are compared
            w = model.workers
            rides, writing = model.category_names.index("rides"), model.category_names.index("writing")
            drivers = np.flatnonzero((w.status == ACTIVE) & (w.category == rides))
            writers = np.flatnonzero((w.status == ACTIVE) & (w.category == writing))
            _step_to(model, 56)  # three weekly rounds later (days 34, 41, 48, 55)
            writers = writers[w.status[writers] == ACTIVE]
            hours[on]["r"] += float(np.where(w.status[drivers] == ACTIVE, w.hours_offered[drivers], 0.0).sum())
            hours[on]["w"].append(float((w.hours_offered[writers] / w.hours_available[writers]).mean()))
        hours[on]["w"] = float(np.mean(hours[on]["w"]))
    assert hours[True]["r"] < 0.8 * hours[False]["r"], hours
    # the writers who stayed offer the same share of their available hours (a writer who left in one world by
    # chance would move a cohort of 18 by 5%, so the writers are compared as stayers)
    assert hours[True]["w"] == pytest.approx(hours[False]["w"], abs=0.03), hours
