"""The pay standards as enacted (New York's with the platforms' three responses, Seattle's per-minute one) against
their per-agent reference (gigsim.model.reference.policies; docs/model.md 7.16). Worlds: tests/oracle_worlds.py."""

from __future__ import annotations

import pytest

from tests.oracle_worlds import (
    NYC_EPISODE,
    POLICY_WORLDS,
    agree,
    fast_world,
    oracle_scenario,
    policy_reference,
    policy_world_means,
    policy_world_test,
)

test_policy_world_matches_per_agent_oracle = policy_world_test("pay_standards")


@pytest.mark.slow
def test_policy_oracle_detects_a_changed_standard():
    """The comparison has power: the fast path with a per-minute rate a third higher is told apart on top-ups."""
    name = "nyc_with_login_caps"
    changed = {"nyc_pay_standard": {**POLICY_WORLDS[name]["nyc_pay_standard"],
                                    "per_minute": NYC_EPISODE.per_minute * 4 / 3}}
    fast = policy_world_means(fast_world, oracle_scenario(policy=changed), 60)
    ok, text = agree(fast["pay_floor_topups"], policy_reference(name)["pay_floor_topups"])
    assert not ok, f"a changed per-minute rate went unnoticed: {text}"
