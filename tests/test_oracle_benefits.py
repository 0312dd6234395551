"""Employment with retirement accounts, portable retirement accounts and portable ratings against the per-agent
reference (gigsim.model.reference.policies; docs/model.md 7.16). Worlds and the comparison rule:
tests/oracle_worlds.py."""

from __future__ import annotations

from tests.oracle_worlds import policy_world_test

test_policy_world_matches_per_agent_oracle = policy_world_test("benefits")
