"""The per-agent reference implementation (gigsim.model.reference) as a correctness oracle for the fast path.

Both implementations start from the same world (gigsim's own set-up, same seed) and apply
the same daily, weekly and monthly rules; their random draws differ, so they are compared
as distributions over seeds: for each outcome, the per-seed means over the run's second
half must agree within a Welch two-sample test at a strict level and a relative tolerance.
The rules the oracle does not cover (upskilling, clients' platform switching, automation,
employee classification, transfers, distressed workers' category switch, platform competition) are switched off
in the compared scenario.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scipy import stats

from gigsim import GigEconomyModel
from gigsim.model.reference import PerAgentModel
from tests.helpers import baseline

WORKERS = 600
DAYS = 45          # crosses a weekly and the first monthly decision (day 29)
SEEDS = range(12)
OUTCOMES = ("fill_rate", "utilisation", "median_net_hourly_earnings", "tasks_filled", "active_workers")


def oracle_scenario(**extra):
    """The baseline, small, with the rules the oracle does not cover switched off."""
    behaviour = {"upskill_rate": 0.0, "client_switch_rate": 0.0, **extra.pop("behaviour", {})}
    return baseline(WORKERS, behaviour=behaviour, burn_in_days=0, household={"distress_switch": False},
                    competition={"enabled": False}, **extra)


def per_seed_means(make_rows, seeds=SEEDS) -> dict[str, np.ndarray]:
    """Per seed: each outcome's mean over the second half of the run."""
    out = {k: [] for k in OUTCOMES}
    for seed in seeds:
        frame = pl.DataFrame(make_rows(seed)).tail(DAYS // 2)
        for k in OUTCOMES:
            out[k].append(float(frame[k].mean()))
    return {k: np.array(v) for k, v in out.items()}


def fast_rows(sc):
    def rows(seed):
        model = GigEconomyModel(sc, rng=seed, create_agents=False)
        model.run(DAYS)
        return model.metrics.select(OUTCOMES)
    return rows


def agent_rows(sc):
    def rows(seed):
        return [{k: r[k] for k in OUTCOMES} for r in PerAgentModel(sc, rng=seed).run(DAYS)]
    return rows


def agree(a: np.ndarray, b: np.ndarray, rel: float = 0.1) -> tuple[bool, str]:
    """Same distribution: Welch's test does not reject at 0.1% and the means are within `rel` of each other."""
    p = stats.ttest_ind(a, b, equal_var=False).pvalue
    close = abs(a.mean() - b.mean()) <= rel * abs(b.mean())
    return bool(p > 1e-3 and close), f"fast {a.mean():.4g} vs per-agent {b.mean():.4g} (p={p:.2g})"


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
