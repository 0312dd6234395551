"""Heterogeneous attachment by match learning (gigsim.model.attachment; docs/model.md section 7.11).

A worker's match with gig work (currency per hour, s.d. `labour_supply.match_dispersion`) is unknown until her first
month in it; then it joins her autonomy value for good. Bad matches leave early and good ones stay, so entrants who
learn a bad match leave in their first months far more often than those who learn a good one, and those still in
after half a year leave less often than without the rule (Jovanovic 1979).

Transitory entry (`labour_supply.exit_on_month_income`, household.exit_gap; section 7.11 item 3e): with the lever on,
workers leave for earnings on this month's comparison, the one entry reads.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from scipy import stats

from gigsim.errors import ScenarioError
from gigsim.model import attachment, household
from gigsim.model.labour_supply import EXIT_EARNINGS
from gigsim.model.model import GigEconomyModel
from gigsim.model.reference import supply as reference_supply
from gigsim.model.state import ACTIVE, LEFT, OUT, PAUSED
from tests.helpers import baseline

DISPERSION = 20.0
"""A match s.d. (currency per hour) of the order of the active workers' gap between what an hour of gig work is worth
and their reservation wage, so that a visible share of entrants turn out to be bad matches in a small world."""

WORKERS, DAYS, SEEDS = 1500, 600, range(1, 21)
EARLY, LATE = (1, 2), (7, 10_000)
"""Spell tenures (months) at a monthly round: the first two decisions after entry, and after half a year."""


def _hand_world(status):
    n = len(status)
    workers = SimpleNamespace(status=np.array(status, dtype=np.int8), match_learned=np.zeros(n, bool),
                              match_value=np.arange(1, n + 1, dtype=np.float32) * 2.0,
                              autonomy_value=np.full(n, 3.0, dtype=np.float32))
    return SimpleNamespace(workers=workers)


def test_without_dispersion_nothing_is_drawn_and_nobody_learns_anything():
    rng, twin = np.random.default_rng(3), np.random.default_rng(3)
    assert np.all(attachment.draw_matches(rng, 50, 0.0) == 0.0)
    assert rng.random() == twin.random()  # the model's stream is untouched, so outputs stay as they were
    values = attachment.draw_matches(np.random.default_rng(4), 20_000, 6.0)
    assert abs(values.mean()) < 0.15 and abs(values.std() - 6.0) < 0.15


def test_a_match_is_learned_once_and_only_in_gig_work():
    model = _hand_world([ACTIVE, PAUSED, OUT, LEFT])
    w = model.workers
    learned = attachment.learn_matches(model)
    assert learned.tolist() == [0, 1]
    assert w.autonomy_value.tolist() == [5.0, 7.0, 3.0, 3.0]
    attachment.learn_matches(model)  # a second round adds nothing
    assert w.autonomy_value.tolist() == [5.0, 7.0, 3.0, 3.0]
    w.status[2] = ACTIVE  # an outsider who enters learns at her first round in gig work
    attachment.learn_matches(model)
    assert w.autonomy_value.tolist() == [5.0, 7.0, 9.0, 3.0] and w.match_learned.tolist() == [True, True, True, False]


def test_the_per_agent_reference_learns_the_same_way():
    agents = [SimpleNamespace(status=s, match_learned=False, match_value=4.0, autonomy_value=1.0)
              for s in (ACTIVE, PAUSED, OUT, LEFT)]
    for _ in range(2):
        for a in agents:
            reference_supply.learn_match(a)
    assert [a.autonomy_value for a in agents] == [5.0, 5.0, 1.0, 1.0]


def test_a_negative_dispersion_is_refused():
    with pytest.raises(ScenarioError, match="match_dispersion"):
        baseline(200, labour_supply={"match_dispersion": -1.0})


def _spells(dispersion: float, seed: int) -> dict:
    """Run a small baseline and count, at each monthly round, spells begun in the run by tenure (early: split by the
    sign of the worker's match) and who left."""
    sc = baseline(WORKERS, days=DAYS, labour_supply={"match_dispersion": dispersion})
    model = GigEconomyModel(sc, rng=seed, create_agents=False)
    w, start = model.workers, model.day
    groups = {"early": EARLY, "early_bad": EARLY, "early_good": EARLY, "late": LATE}
    counts = {name: [0, 0] for name in groups}
    for _ in range(sc.days):
        monthly = model.day % 30 == 29
        if monthly:
            tenure = (model.day + 1 - w.entry_day) // 30
            observed = ((w.status == ACTIVE) | (w.status == PAUSED)) & (w.entry_day > start)
            sign = {"early_bad": w.match_value < 0, "early_good": w.match_value > 0}
        model.step()
        if monthly:
            for name, (lo, hi) in groups.items():
                sel = observed & (tenure >= lo) & (tenure <= hi) & sign.get(name, True)
                counts[name][0] += int(sel.sum())
                counts[name][1] += int((sel & (w.status == LEFT)).sum())
    entered = w.first_entry_day > start
    spell = np.where(w.status == LEFT, w.exit_day, model.day) - w.entry_day
    return {"hazard": {k: left / max(n, 1) for k, (n, left) in counts.items()}, "at_risk": counts,
            "stayers": w.match_value[entered & (w.status == ACTIVE) & (spell >= 180)],
            "quick": w.match_value[entered & (w.status == LEFT) & (spell <= 60)]}


@pytest.fixture(scope="module")
def on_and_off():
    """Per seed, the runs with and without match learning."""
    return [(_spells(DISPERSION, seed), _spells(0.0, seed)) for seed in SEEDS]


def _pooled(runs: list[dict]) -> dict:
    """Hazards of counts summed over seeds, the counts, and the stayers' and quick leavers' matches pooled."""
    at_risk = {k: [sum(r["at_risk"][k][i] for r in runs) for i in (0, 1)] for k in runs[0]["at_risk"]}
    return {"hazard": {k: left / max(n, 1) for k, (n, left) in at_risk.items()}, "at_risk": at_risk,
            "stayers": np.concatenate([r["stayers"] for r in runs]), "quick": np.concatenate([r["quick"] for r in runs])}


@pytest.mark.slow
def test_bad_matches_leave_early_and_the_committed_core_leaves_less_than_without_learning(on_and_off):
    """Pooled over 20 seeds, bad matches leave early and the hazard falls with tenure; seed by seed, those still in
    after half a year leave less often than without learning (paired one-sided t-test at 1%).

    Asked of seed 7 alone until session 10, where it held by 0.009 (0.078 against 0.087); with rent only on dedicated
    units (stays10) seed 7's late hazard is 0.102 against 0.095 without learning, while 17 of 20 seeds (1-20) still
    have it lower: mean gap −0.014, t = −3.56, one-sided p = 0.001 (after half a year ~700 at risk and ~70 leavers a
    seed, so one seed's s.e. is about 0.011, larger than the gap)."""
    on, off = _pooled([r for r, _ in on_and_off]), _pooled([r for _, r in on_and_off])
    assert min(on["at_risk"]["late"][0], off["at_risk"]["late"][0], on["at_risk"]["early_bad"][0]) > 300 * len(SEEDS)
    hazard = on["hazard"]
    # entrants who learn a bad match leave in their first two months far more often than those who learn a good one
    assert hazard["early_bad"] > 2.0 * hazard["early_good"], hazard
    # the hazard falls with tenure, and those still in after half a year leave less often than without learning
    assert hazard["early"] > 1.5 * hazard["late"], hazard
    late_on, late_off = ([r["hazard"]["late"] for r in runs] for runs in zip(*on_and_off, strict=True))
    test = stats.ttest_rel(late_on, late_off, alternative="less")
    assert test.pvalue < 0.01, (hazard["late"], off["hazard"]["late"], test)


@pytest.mark.slow
def test_stayers_learned_better_matches_than_those_who_left_within_two_months(on_and_off):
    on = _pooled([r for r, _ in on_and_off])
    assert on["stayers"].size > 30 and on["quick"].size > 30
    assert on["stayers"].mean() > 0.0 > on["quick"].mean()
    assert on["stayers"].mean() - on["quick"].mean() > 0.5 * DISPERSION


@pytest.mark.slow
def test_match_learning_matches_the_per_agent_oracle():
    """The fast path and the per-agent reference agree with matches learned at the first monthly round (day 29), and
    the comparison has power: the learned matches move the number of active workers."""
    _agrees_with_the_oracle_and_moves_active_workers({"match_dispersion": DISPERSION})


# --------------------------------------------------------------------------- transitory entry: exit on this month's income


def test_exit_reads_this_months_comparison_only_with_the_lever_on():
    """Off, the exit comparison is the usual one whatever this month's income; on, it is this month's (the one entry
    reads): lower than the usual one in a month of high other income, higher in a dip."""
    for on in (False, True):
        sc = baseline(400, burn_in_days=0, population={"other_income_volatility": 0.8},
                      labour_supply={"exit_on_month_income": on})
        model = GigEconomyModel(sc, rng=2, create_agents=False)
        w = model.workers
        w.status[:] = ACTIVE
        household.draw_income_factor(model)
        value = np.full(w.n, 20.0)
        usual = household.usual_gap(model, value)
        gap = household.exit_gap(model, value, usual)
        if not on:
            assert np.array_equal(gap, usual)
            continue
        assert np.allclose(gap, household.month_gap(model, value))
        has_income = w.other_income > 0
        up, dip = has_income & (w.income_factor > 1.2), has_income & (w.income_factor < 0.8)
        assert up.sum() > 20 and dip.sum() > 20
        assert np.all(gap[up] < usual[up]) and np.all(gap[dip] > usual[dip])


def _earnings_leavers_income_gap(on: bool, seeds=(1, 2, 3)) -> float:
    """Mean log other-income factor of the month's earnings leavers minus that of workers in gig work who stayed,
    pooled over the monthly rounds of small runs with a strong income shock."""
    leavers, stayers = [], []
    for seed in seeds:
        sc = baseline(800, days=240, burn_in_days=60, population={"other_income_volatility": 1.0},
                      labour_supply={"exit_on_month_income": on})
        model = GigEconomyModel(sc, rng=seed, create_agents=False)
        w = model.workers
        for _ in range(sc.days):
            monthly = model.day % 30 == 29
            in_gig = (w.status == ACTIVE) | (w.status == PAUSED)
            model.step()
            if monthly:
                left = in_gig & (w.exit_day == model.day - 1) & (w.exit_reason == EXIT_EARNINGS)
                still = in_gig & ((w.status == ACTIVE) | (w.status == PAUSED))
                leavers.append(np.log(w.income_factor[left]))
                stayers.append(np.log(w.income_factor[still]))
    return float(np.concatenate(leavers).mean() - np.concatenate(stayers).mean())


@pytest.mark.slow
def test_with_exit_on_this_months_income_people_leave_when_their_other_income_is_up():
    """On, a worker leaves for earnings on this month's reservation wage, which rises with this month's other income,
    so earnings leavers' income factor is above the stayers'; off, the draw plays no part in the exit. Measured (seeds
    1-3): +1.21 in logs with the lever, −0.02 without."""
    with_rule = _earnings_leavers_income_gap(on=True)
    assert with_rule > 0.15
    assert with_rule > _earnings_leavers_income_gap(on=False) + 0.1


@pytest.mark.slow
def test_exit_on_this_months_income_matches_the_per_agent_oracle():
    """The fast path and the per-agent reference agree with exit on this month's income, and the comparison has
    power: the lever moves the number of active workers.

    The oracle's run (45 days) has one monthly round, so the lever acts once, through that month's draw of other
    income: at the baseline's volatility (0.35) it moves active workers by 0.3% (before session 10's merges) and
    −0.4% (after; fast path, oracle seeds 0-11), under the 1% the power check asks, which it passed only through
    the spread between the per-agent and the rule-off seeds. With the strong income shock of the income-gap test
    above (volatility 1.0) it moves them +2.3% (86.0 against 84.1; per seed −1.5 to +8.0, 8 of 12 up), so that is
    the world compared."""
    _agrees_with_the_oracle_and_moves_active_workers({"exit_on_month_income": True},
                                                     population={"other_income_volatility": 1.0})


def _agrees_with_the_oracle_and_moves_active_workers(labour_supply: dict, **extra) -> None:
    """The fast path and the per-agent reference agree (the oracle's 12 seeds, its agreement rule) on the oracle's
    scenario with `labour_supply` (and any `extra` scenario sections) set, and the rule moves the number of active
    workers against the same scenario without it (the comparison's power). The rule-off runs use the same 12 seeds,
    which draw the same people, so the 1% gap is the rule's and not the seeds' (on six of them the baseline alone
    sat 2% above the twelve's mean with a strong income shock)."""
    from tests.oracle_worlds import agent_rows, agree, fast_rows, oracle_scenario, per_seed_means

    sc = oracle_scenario(labour_supply=labour_supply, **extra)
    fast, reference = per_seed_means(fast_rows(sc)), per_seed_means(agent_rows(sc))
    failures = [f"{k}: {text}" for k in fast for ok, text in [agree(fast[k], reference[k])] if not ok]
    assert not failures, "; ".join(failures)
    without = per_seed_means(fast_rows(oracle_scenario(**extra)))
    assert not agree(without["active_workers"], reference["active_workers"], rel=0.01)[0]
