"""Breaks at the monthly scale (gigsim.model.breaks; docs/model.md section 7.11 item 3f).

At each monthly round an active contractor whose month is worth working takes it off with probability
`labour_supply.break_rate` (b), and a worker taking the month off whose month is worth working again comes back with
probability `labour_supply.break_return_rate` (c). With b = 0 and c = 1 nobody takes a break and no number is drawn.
The levers are off by default (no published rate was found); these tests set them by hand.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from scipy import stats

from gigsim.model import household
from gigsim.model.breaks import breaks_on, with_breaks
from gigsim.model.model import GigEconomyModel
from gigsim.model.reference import PerAgentModel
from gigsim.model.state import ACTIVE, NO_DAY, PAUSED
from tests.helpers import baseline, refused_run

B, C = 0.2, 0.5
"""Hand-set break and comeback rates, large enough to be seen in a small world."""
SEEDS = range(6)


def stub(status: np.ndarray, b: float, c: float, seed: int = 0) -> SimpleNamespace:
    """The least of a model `with_breaks` reads: the levers, the workers' status and the random generator."""
    config = SimpleNamespace(labour_supply=SimpleNamespace(break_rate=b, break_return_rate=c))
    return SimpleNamespace(config=config, workers=SimpleNamespace(status=status, n=status.size),
                           rng=np.random.default_rng(seed))


def within(share: float, p: float, n: int, z: float = 4.0) -> bool:
    """`share` of n Bernoulli(p) draws lies within z standard errors of p."""
    return abs(share - p) <= z * np.sqrt(p * (1 - p) / n)


# --------------------------------------------------------------------------- the rule on hand-built workers


def test_breaks_start_at_rate_b_and_end_at_rate_c_among_workers_whose_month_is_worth_working():
    n = 200_000
    status = np.where(np.arange(n) % 2 == 0, ACTIVE, PAUSED).astype(np.int8)
    can = np.arange(n) % 5 != 0                       # a fifth cannot pause (committed work, just entered, ...)
    income = (np.arange(n) % 7 == 0) & can            # paused on this month's income whatever the draw
    pause = with_breaks(stub(status, B, C), can, income)
    free = can & ~income
    assert pause[income].all()                        # the income rule is kept
    assert not pause[~can & ~income].any()            # nobody outside `can` is touched
    active, paused = free & (status == ACTIVE), free & (status == PAUSED)
    assert within(pause[active].mean(), B, int(active.sum()))
    assert within(1 - pause[paused].mean(), C, int(paused.sum()))  # comes back with probability c


def test_neutral_levers_draw_nothing_and_change_nothing():
    status = np.array([ACTIVE, PAUSED, ACTIVE, PAUSED], dtype=np.int8)
    model = stub(status, 0.0, 1.0)
    before = model.rng.bit_generator.state
    income = np.array([False, True, False, False])
    assert not breaks_on(model.config)
    assert with_breaks(model, np.ones(4, bool), income) is income
    assert model.rng.bit_generator.state == before
    assert breaks_on(stub(status, 0.01, 1.0).config) and breaks_on(stub(status, 0.0, 0.99).config)


# --------------------------------------------------------------------------- the rule in the model


def world(b: float, c: float, workers: int = 800, days: int = 240):
    """The baseline, small, without other-income shocks (so every month off is a break) and with the levers."""
    return baseline(workers, days=days, burn_in_days=0, population={"other_income_volatility": 0.0},
                    labour_supply={"break_rate": b, "break_return_rate": c})


def round_moves(sc, seed: int, monkeypatch) -> np.ndarray:
    """Over the run's monthly rounds, as the month-off rule sees them (a spy on `breaks.with_breaks`): workers it
    considers who are active and not paused on income, and of them those who take a break; workers it considers who
    are paused and whose month is worth working, and of them those who come back."""
    counts = np.zeros(4, dtype=np.int64)

    def spy(model, can, pause):
        out = with_breaks(model, can, pause)  # the rule itself (imported before the patch)
        status, free = model.workers.status, can & ~pause
        active, paused = free & (status == ACTIVE), free & (status == PAUSED)
        counts[:] += [active.sum(), (active & out).sum(), paused.sum(), (paused & ~out).sum()]
        return out

    with monkeypatch.context() as patch:
        patch.setattr(household.breaks, "with_breaks", spy)
        GigEconomyModel(sc, rng=seed, create_agents=False).run(sc.days)
    return counts


@pytest.mark.slow
def test_in_the_model_workers_take_breaks_at_rate_b_and_come_back_at_rate_c(monkeypatch):
    active, went_off, paused, came_back = np.sum([round_moves(world(B, C), s, monkeypatch) for s in range(3)], axis=0)
    assert active > 1000 and paused > 300
    assert within(went_off / active, B, int(active))
    assert within(came_back / paused, C, int(paused))


def spell_counts(sc, seed: int) -> tuple[float, int]:
    """Months active per person who ever entered, and the number of people who ever entered (distinct
    participants), over the run's monthly rounds."""
    model = GigEconomyModel(sc, rng=seed, create_agents=False)
    active_months = np.zeros(model.workers.n)
    for _ in range(sc.days):
        monthly = model.day % 30 == 29
        model.step()
        if monthly:
            active_months += model.workers.status == ACTIVE
    entered = model.workers.first_entry_day != NO_DAY
    return float(active_months[entered].mean()), int(entered.sum())


@pytest.mark.slow
def test_breaks_lower_months_active_but_not_the_number_of_distinct_participants():
    """Paired seeds (same seed, levers off and on): months active per participant fall in every seed, while the
    count of distinct participants does not fall (breaks are not exits; fewer active drivers pay a little more,
    which draws entrants, if anything)."""
    off = [spell_counts(world(0.0, 1.0), seed) for seed in SEEDS]
    on = [spell_counts(world(B, C), seed) for seed in SEEDS]
    assert all(a_on < a_off for (a_off, _), (a_on, _) in zip(off, on, strict=True))
    assert np.mean([a for a, _ in on]) < 0.95 * np.mean([a for a, _ in off])  # measured: -6% to -16% a seed
    assert np.mean([n for _, n in on]) >= 0.95 * np.mean([n for _, n in off])  # measured: -0.8% over the seeds


# --------------------------------------------------------------------------- the per-agent mirror


def paused_share(statuses) -> float:
    """Workers taking the month off / workers in gig work (active or taking the month off)."""
    statuses = np.asarray(statuses)
    return float((statuses == PAUSED).sum() / max(((statuses == PAUSED) | (statuses == ACTIVE)).sum(), 1))


def fast_share(sc, seed: int) -> float:
    model = GigEconomyModel(sc, rng=seed, create_agents=False)
    model.run(sc.days)
    return paused_share(model.workers.status)


def agent_share(sc, seed: int) -> float:
    model = PerAgentModel(sc, rng=seed)
    model.run(sc.days)
    return paused_share([w.status for w in model.worker_list])


@pytest.mark.slow
def test_the_per_agent_reference_takes_breaks_as_the_fast_path_does():
    """Both paths, 600 workers, 45 days (one monthly round, at day 29), seeds 0-11: the share of workers in gig work
    on a break at the end is the same distribution (Welch, as tests/test_oracle.py compares) within 0.04 (measured
    on seeds 0-7: fast 0.137, per-agent 0.150); and the comparison has power (without breaks it is near 0)."""
    def small(b, c):
        return world(b, c, workers=600, days=45).with_overrides({"behaviour": {"upskill_rate": 0.0}})
    seeds = range(12)
    fast = np.array([fast_share(small(0.3, 0.5), s) for s in seeds])
    agent = np.array([agent_share(small(0.3, 0.5), s) for s in seeds])
    off = np.mean([fast_share(small(0.0, 1.0), s) for s in seeds])
    assert agent.mean() > 0.1 and agent.mean() - off > 0.1, (agent.mean(), off)
    assert stats.ttest_ind(fast, agent, equal_var=False).pvalue > 1e-3
    assert abs(fast.mean() - agent.mean()) < 0.04, (fast.mean(), agent.mean())


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("field", "value"), [("break_rate", 1.5), ("break_return_rate", -0.1)])
def test_a_rate_outside_0_1_is_exit_2_naming_the_file_and_the_field(tmp_path, field, value):
    text = refused_run(tmp_path, "breaks.toml", f"[labour_supply]\n{field} = {value}\n", days=30)
    assert "breaks.toml" in text and field in text, text
