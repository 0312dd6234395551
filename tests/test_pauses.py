"""Months taken off: pauses in gig work that are not exits, driven by shocks to other income.

docs/model.md section 7.11 ("A month off"): each month other income is the usual × a mean-one lognormal factor
(σ = `population.other_income_volatility`); a worker whose comparison of expected net hourly + autonomy value with
this month's reservation wage turns negative, while her usual comparison is not, takes the month off (status
PAUSED) and keeps her platforms, ratings, savings and record; she comes back when the comparison is positive again.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from gigsim.model.labour_supply import income_factor, month_reservation_wage, paused_this_month
from gigsim.model.model import GigEconomyModel
from gigsim.model.state import ACTIVE, PAUSED
from gigsim.model.vocabulary import NOT_LEFT
from tests.helpers import baseline

STRONG = 1.0
"""An income shock much larger than the sourced 0.35, so that pauses are common in a small world."""


def world(volatility: float, workers: int = 800, days: int = 240):
    """The baseline at a small size (60 days of burn-in) with the given other-income volatility."""
    return baseline(workers, days=days, burn_in_days=60, population={"other_income_volatility": volatility})


def watch(sc, seed: int) -> tuple[GigEconomyModel, list[dict]]:
    """Run `sc` and keep, at each monthly round, the workers' state just before and just after it."""
    model = GigEconomyModel(sc, rng=seed, create_agents=False, debug=True)
    w = model.workers
    rounds = []
    for _ in range(sc.days):
        monthly = model.day % 30 == 29
        before = {"status": w.status.copy(), "member": w.member.copy(), "ratings": w.rating_count.copy(),
                  "tasks": w.lifetime_tasks.copy(), "entry": w.entry_day.copy(), "first": w.first_entry_day.copy(),
                  "exit_day": w.exit_day.copy(), "exit_reason": w.exit_reason.copy(), "savings": w.savings.copy(),
                  "category": w.category.copy()}
        model.step()
        if monthly:
            rounds.append({"before": before, "status": w.status.copy(), "member": w.member.copy(),
                           "tasks": w.lifetime_tasks.copy(), "exit_day": w.exit_day.copy(),
                           "exit_reason": w.exit_reason.copy(), "entry": w.entry_day.copy(),
                           "category": w.category.copy()})
    return model, rounds


# --------------------------------------------------------------------------- the rule on hand-built workers


def test_a_month_is_taken_off_only_when_this_months_comparison_turns_negative():
    usual = np.array([2.0, 2.0, -1.0, 0.0, 3.0])
    month = np.array([-0.5, 0.5, -3.0, -0.1, np.nan])
    assert paused_this_month(usual, month).tolist() == [True, False, False, True, False]


def test_this_months_reservation_wage_follows_other_income_less_for_those_living_on_gig_work():
    reservation = np.array([15.0, 15.0])
    other, gig = np.array([2600.0, 500.0]), np.array([0.0, 3000.0])
    assert np.allclose(month_reservation_wage(reservation, other, np.ones(2), gig), reservation)
    high = month_reservation_wage(reservation, other, np.full(2, 1.5), gig)
    low = month_reservation_wage(reservation, other, np.full(2, 0.5), gig)
    assert np.all(high > reservation) and np.all(low < reservation)
    assert high[1] - reservation[1] < high[0] - reservation[0]  # the full-timer's income is mostly gig work
    assert high[0] == pytest.approx(22.5)


def test_the_income_factor_has_mean_one_and_the_sourced_dispersion():
    z = np.random.default_rng(0).standard_normal(400_000)
    factor = income_factor(z, 0.35)
    assert factor.mean() == pytest.approx(1.0, abs=0.005)
    assert factor.std() / factor.mean() == pytest.approx(0.36, abs=0.01)  # JPMCI 2019: a CV of 36%


# --------------------------------------------------------------------------- in a run


@pytest.fixture(scope="module")
def paused_run():
    return watch(world(STRONG), seed=4)


def test_a_pause_keeps_her_platforms_ratings_and_record(paused_run):
    _, rounds = paused_run
    paused = returned = 0
    for r in rounds:
        b = r["before"]
        start = (b["status"] == ACTIVE) & (r["status"] == PAUSED)
        back = (b["status"] == PAUSED) & (r["status"] == ACTIVE)
        paused, returned = paused + int(start.sum()), returned + int(back.sum())
        same_work = r["category"] == b["category"]  # a distress switch in the same round changes her platforms
        for who in (start, back):
            # she keeps every platform (a worker back from a pause may join another in the same round's
            # multi-homing step, as any active worker may)
            assert np.all(r["member"][who & same_work] >= b["member"][who & same_work])
            assert np.array_equal(r["exit_day"][who], b["exit_day"][who])  # no exit is recorded
            assert np.array_equal(r["exit_reason"][who], b["exit_reason"][who])
            assert np.array_equal(r["entry"][who], b["entry"][who])  # and coming back is no new entry
        assert r["member"][start].any(axis=1).all()
    assert paused > 20 and returned > 10


def test_a_paused_worker_does_no_work_and_writes_no_exit_reason(paused_run):
    model, rounds = paused_run
    months_off = 0
    for earlier, later in zip(rounds, rounds[1:], strict=False):
        idle = (earlier["status"] == PAUSED) & (later["before"]["status"] == PAUSED)
        months_off += int(idle.sum())
        assert np.array_equal(later["before"]["tasks"][idle], earlier["tasks"][idle])
    assert months_off > 20
    w = model.workers
    never_left = w.exit_day == np.iinfo(np.int32).min
    assert np.all(w.exit_reason[never_left & (w.months_paused > 0)] == NOT_LEFT)
    assert np.all(w.months_paused[w.status == PAUSED] > 0)


def _months_paused(sc, seed: int) -> int:
    """Months taken off by everyone over a run of `sc`."""
    model = GigEconomyModel(sc, rng=seed, create_agents=False)
    model.run(sc.days)
    return int(model.workers.months_paused.sum())


def test_a_bigger_income_shock_means_more_months_off():
    """Months off rise with the volatility of other income. How much depends on how many workers sit near their
    margin, which the calibration and the start set (session 5: more than twice; session 6: 1.6x; session 7, with
    entry on this month's income, 1.5x over seeds 1-4; session 8, with a start that has a past, seeds 1-6: 62/42,
    71/35, 60/26, 54/54, 71/29, 72/24 — one tie). So the test asks for more months off in at least five of six
    paired seeds and at least 1.3x over the six together, not for a ratio in every seed."""
    strong = np.array([_months_paused(world(STRONG), seed) for seed in range(1, 7)])
    weak = np.array([_months_paused(world(0.35), seed) for seed in range(1, 7)])
    assert np.all(weak > 0)
    assert np.sum(strong > weak) >= 5
    assert strong.sum() > 1.3 * weak.sum()


def _months_active(sc, seed: int, last: int = 6) -> float:
    """Mean number of the last `last` monthly rounds at which a worker active at any of them was active."""
    _, rounds = watch(sc, seed)
    active = np.array([r["status"] == ACTIVE for r in rounds[-last:]])
    months = active.sum(axis=0)
    return float(months[months > 0].mean())


def test_months_off_lower_the_months_a_participant_is_active():
    """Over the last six rounds, participants are active fewer of them with a strong income shock than with none.
    Per seed the gap wanders at 800 workers (sd about 0.2 months: session 9, seeds 1-6: -0.06, +0.22, +0.16, +0.07,
    +0.33, +0.14; session 10, with the rent only on dedicated units, seeds 1-24 mean +0.14, 16 of 24 positive, seeds
    1-6 alone +0.10), so the gap is asked of 24 seeds together: a one-sided t-test rejects no gap at 1%."""
    gaps = np.array([_months_active(world(0.0), seed) - _months_active(world(STRONG), seed) for seed in range(1, 25)])
    assert stats.ttest_1samp(gaps, 0.0, alternative="greater").pvalue < 0.01, gaps
