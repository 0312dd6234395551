"""The per-agent reference (gigsim.model.reference) as a correctness oracle for the fast path: the baseline's core
rules and AI take-up (docs/model.md 7.3). The worlds and the comparison rule are in tests/oracle_worlds.py; the
policies as enacted are compared in tests/test_oracle_{pay_standards,nyc_limits,benefits,markets}.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gigsim import GigEconomyModel
from gigsim.model import automation
from gigsim.model.reference import PerAgentModel
from gigsim.model.reference import automation as reference_automation
from tests.oracle_worlds import (
    AI_OUTCOMES,
    DAYS,
    OUTCOMES,
    POLICY_GROUPS,
    POLICY_WORLDS,
    agent_rows,
    agree,
    ai_oracle_scenario,
    fast_rows,
    oracle_scenario,
    per_seed_means,
)


@pytest.fixture(scope="module")
def oracle():
    return per_seed_means(agent_rows(oracle_scenario()))


@pytest.mark.slow
def test_fast_path_matches_per_agent_oracle(oracle):
    fast = per_seed_means(fast_rows(oracle_scenario()))
    failures = []
    for k in OUTCOMES:
        ok, text = agree(fast[k], oracle[k])
        if not ok:
            failures.append(f"{k}: {text}")
    assert not failures, "; ".join(failures)


@pytest.mark.slow
def test_oracle_detects_a_changed_rule(oracle):
    """The comparison has power: with 3 matching rounds instead of 24 per platform, outcomes differ."""
    platforms = {name: {"matching_rounds": 3} for name in ("rideco", "ridemate", "staybnb", "freelancely")}
    changed = per_seed_means(fast_rows(oracle_scenario(platforms=platforms)), seeds=range(6))
    ok, text = agree(changed["fill_rate"], oracle["fill_rate"])
    assert not ok, f"a changed matching rule went unnoticed: {text}"


def test_every_policy_world_is_compared_in_exactly_one_file():
    """The policy worlds are split by topic across files (for the two xdist workers): none left out, none twice,
    and every topic has its file (tests/test_oracle_<topic>.py)."""
    grouped = [name for names in POLICY_GROUPS.values() for name in names]
    assert sorted(grouped) == sorted(POLICY_WORLDS)
    for topic in POLICY_GROUPS:
        assert f'policy_world_test("{topic}")' in (Path(__file__).parent / f"test_oracle_{topic}.py").read_text()


# --------------------------------------------------------------------------- AI take-up (docs/model.md 7.3)

@pytest.mark.slow
def test_ai_take_up_matches_the_per_agent_oracle():
    seeds = range(8)
    sc = ai_oracle_scenario()
    fast = per_seed_means(lambda seed: GigEconomyModel(sc, rng=seed, create_agents=False).run(DAYS).select(
        AI_OUTCOMES), seeds, AI_OUTCOMES)
    agent = per_seed_means(lambda seed: [{k: r[k] for k in AI_OUTCOMES} for r in PerAgentModel(sc, rng=seed).run(
        DAYS)], seeds, AI_OUTCOMES)
    assert agent["tasks_automated"].mean() > 0
    failures = [f"{k}: {text}" for k in AI_OUTCOMES for ok, text in [agree(fast[k], agent[k])] if not ok]
    assert not failures, "; ".join(failures)
    # the comparison has power: the fast path with a better AI (quality 0.65, not 0.55) is told apart
    better = sc.with_overrides({"automation": {c: {"quality": {"level": 0.65}} for c in ("writing", "design")}})
    changed = [float(GigEconomyModel(better, rng=seed, create_agents=False).run(DAYS).tail(DAYS // 2)[
        "tasks_automated"].mean()) for seed in seeds]
    ok, text = agree(np.array(changed), agent["tasks_automated"])
    assert not ok, f"a changed AI quality went unnoticed: {text}"


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_vectorised_take_up_rule_matches_the_per_task_reference(seed):
    """gigsim.model.automation (arrays) against gigsim.model.reference.automation (one task at a time)."""
    rng = np.random.default_rng(seed)
    n = 50
    args = dict(u_exposed=rng.random(n), u_adopt=rng.random(n), exposure=rng.random(n), adoption=rng.random(n),
                ai_cost=rng.uniform(0, 100, n), ai_quality=rng.random(n), human_price=rng.uniform(0, 150, n),
                human_quality=np.where(rng.random(n) < 0.1, np.nan, rng.random(n)), budget=rng.uniform(0, 200, n))
    fast = automation.choose_ai(**args)
    slow = [reference_automation.ai_takes(*(float(v[i]) for v in args.values())) for i in range(n)]
    assert fast.tolist() == slow
    category, exposure = rng.integers(0, 3, n), rng.random(3)
    kept = automation.cap_at_exposure(fast, category, args["u_exposed"], exposure, 3)
    for c in range(3):
        chosen = [(float(args["u_exposed"][i]), i) for i in np.flatnonzero(fast & (category == c))]
        expected = reference_automation.keep_within_exposure(chosen, float(exposure[c]), int((category == c).sum()))
        assert sorted(np.flatnonzero(kept & (category == c)).tolist()) == sorted(expected)
