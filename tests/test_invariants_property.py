"""Random valid worlds run with the invariants on (debug=True): no rule is ever broken, and runs replay exactly.

Hypothesis draws small worlds (200-2000 workers) with a random subset of categories,
platforms with random rules and pricing, random shocks, automation paths and any
combination of policy levers, and runs each for 20-60 days; gigsim/model/invariants.py
checks every day. A second property: the same seed gives identical metrics bytes.
The last tests break the model on purpose and check that the invariants notice.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gigsim.model.invariants import InvariantError
from gigsim.model.model import GigEconomyModel
from gigsim.scenario import Scenario, validate_scenario

CATEGORIES = ("rides", "stays", "writing", "design", "programming")
LEVERS = ("min_pay", "commission_cap", "portable_benefits", "employee_classification", "newcomer_boost",
          "retraining_subsidy", "cash_transfer")

share = st.floats(0.0, 1.0)


@st.composite
def time_paths(draw, top: float = 1.0):
    """A valid time path whose level stays within 0..top."""
    shape = draw(st.sampled_from(["constant", "linear", "logistic", "points"]))
    level = st.floats(0.0, top)
    if shape == "constant":
        return {"shape": shape, "level": draw(level)}
    if shape == "linear":
        start = draw(st.integers(0, 40))
        return {"shape": shape, "start": start, "end": start + draw(st.integers(1, 60)),
                "start_level": draw(level), "end_level": draw(level)}
    if shape == "logistic":
        return {"shape": shape, "midpoint": draw(st.integers(0, 60)), "steepness": draw(st.floats(0.01, 2.0)),
                "start_level": draw(level), "end_level": draw(level)}
    days = sorted(draw(st.sets(st.integers(0, 80), min_size=1, max_size=4)))
    return {"shape": shape, "points": [[d, draw(level)] for d in days]}


@st.composite
def valid_worlds(draw) -> tuple[Scenario, int, int]:
    """(scenario, days, seed): a random valid small world."""
    cats = draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=5, unique=True))
    defaults = Scenario().model_dump()
    categories = {c: {"enabled": c in cats} for c in CATEGORIES}
    for c in cats:
        categories[c].update(base_price=draw(st.floats(5, 300)), hours_per_task=draw(st.floats(0.2, 8)),
                             worker_share=draw(st.floats(0.01, 1)), demand_per_client=draw(st.floats(0, 1.5)),
                             cost_per_hour=draw(st.floats(0, 10)), pickup_hours=draw(st.floats(0, 0.5)))
    n_platforms = draw(st.integers(1, 3))
    platforms = {name: {"enabled": False, "categories": spec["categories"]}
                 for name, spec in defaults["platforms"].items()}
    served: set[str] = set()
    for p in range(n_platforms):
        serves = draw(st.lists(st.sampled_from(cats), min_size=1, max_size=len(cats), unique=True))
        if p == n_platforms - 1:  # every enabled category needs a platform
            serves = sorted(set(serves) | (set(cats) - served))
        served |= set(serves)
        platforms[f"p{p}"] = {
            "categories": serves, "commission": draw(st.floats(0, 0.5)),
            "pricing": draw(st.sampled_from(["fixed", "surge", "bids"])),
            "matching": draw(st.sampled_from(["random", "nearest", "reputation", "cheapest"])),
            "matching_rounds": draw(st.integers(1, 30)), "newcomer_boost": draw(st.floats(0, 2)),
            "surge_sensitivity": draw(st.floats(0, 2)), "surge_cap": draw(st.floats(1, 4)),
            "initial_share": draw(st.floats(0.05, 1)), "launch_day": draw(st.sampled_from([0, 0, 0, 10])),
            "onboarding_cost": draw(st.floats(0, 200)),
        }
    workers = draw(st.integers(200, 2000))
    shocks = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, 50))
        shock = {"start": start, "size": draw(st.floats(0, 5)), "shape": draw(st.sampled_from(["step", "ramp",
                                                                                                 "decay"])),
                 "categories": draw(st.one_of(st.just("all"), st.lists(st.sampled_from(cats), min_size=1,
                                                                       unique=True)))}
        if shock["shape"] != "decay" or draw(st.booleans()):
            shock["duration"] = draw(st.integers(1, 60))
        shocks.append(shock)
    automation = {c: {"level": draw(time_paths()), "augmentation": draw(time_paths()),
                      "augmentation_gain": draw(st.floats(0, 2))}
                  for c in draw(st.lists(st.sampled_from(cats), unique=True))}
    policy = {}
    for lever in draw(st.lists(st.sampled_from(LEVERS), unique=True)):
        policy[lever] = {"enabled": True, "start": draw(st.integers(0, 30))}
    if "min_pay" in policy:
        policy["min_pay"].update(hourly=draw(st.floats(0, 60)),
                                 response=draw(st.sampled_from(["none", "raise_prices", "cap_onboarding"])))
    if "commission_cap" in policy:
        policy["commission_cap"]["cap"] = draw(share)
    if "portable_benefits" in policy:
        policy["portable_benefits"].update(contribution_per_task=draw(st.floats(0, 5)), coverage=draw(share),
                                           min_tasks_per_month=draw(st.integers(0, 10)))
    if "employee_classification" in policy:
        policy["employee_classification"].update(
            hourly_wage=draw(st.floats(0, 40)),
            platforms=draw(st.one_of(st.just("all"), st.lists(st.sampled_from(sorted(
                p for p in platforms if platforms[p].get("enabled", True))), min_size=1, unique=True))))
    if "cash_transfer" in policy:
        policy["cash_transfer"].update(levy=draw(st.floats(0, 0.2)), income_threshold=draw(st.floats(0, 5000)),
                                       monthly_amount=draw(st.floats(0, 800)))
    if "newcomer_boost" in policy:
        policy["newcomer_boost"].update(boost=draw(st.floats(0, 3)), tasks=draw(st.integers(1, 20)))
    if "retraining_subsidy" in policy:
        policy["retraining_subsidy"].update(subsidy_share=draw(share), speedup=draw(st.floats(0, 0.9)))
    data = {
        "name": "random world", "days": 60,
        "population": {"workers": workers, "clients": max(1, workers // draw(st.sampled_from([1, 2, 4]))),
                       "regions": draw(st.integers(1, 4)), "initial_participation": draw(st.floats(0.05, 1)),
                       "health_event_rate": draw(st.floats(0, 0.05))},
        "categories": categories, "platforms": platforms, "shocks": [
            s | ({"regions": [0]} if draw(st.booleans()) else {}) for s in shocks],
        "automation": automation, "policy": policy,
        "behaviour": {"entry_rate": draw(share), "exit_rate": draw(share), "random_exit_rate": draw(share),
                      "multihoming_rate": draw(share), "upskill_rate": draw(share),
                      "upskill_days": draw(st.integers(1, 40))},
        "demand": {"level": draw(st.floats(0.05, 3)), "yearly_amplitude": draw(share)},
    }
    scenario = validate_scenario(data, "<hypothesis>")
    return scenario, draw(st.integers(20, 60)), draw(st.integers(0, 2**32))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(world=valid_worlds())
def test_random_valid_worlds_keep_every_invariant(world):
    scenario, days, seed = world
    model = GigEconomyModel(scenario, rng=seed, debug=True, create_agents=False)
    model.run(days)  # raises InvariantError on the first broken rule
    metrics = model.metrics
    assert metrics.height == days
    assert (metrics["tasks_filled"] <= metrics["tasks_posted"]).all()


def _metrics_bytes(scenario: Scenario, days: int, seed: int) -> bytes:
    model = GigEconomyModel(scenario, rng=seed, debug=True, create_agents=False)
    model.run(days)
    buffer = io.BytesIO()
    model.metrics.write_parquet(buffer, compression="zstd")
    return buffer.getvalue()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(world=valid_worlds())
def test_the_same_seed_gives_identical_metrics_bytes(world):
    scenario, days, seed = world
    days = min(days, 30)
    first = _metrics_bytes(scenario, days, seed)
    assert first == _metrics_bytes(scenario, days, seed)


# --------------------------------------------------------------------------- the checks notice a broken model


def _policy_world(**policy) -> Scenario:
    return Scenario().rescaled(1500).with_overrides({"policy": policy}, "<test>")


class _UnderpaysUnderTheFloor(GigEconomyModel):
    """A model whose settlement forgets the pay-floor top-up."""

    def settle(self, tasks, params):
        return super().settle(tasks, params._replace(pay_floor=0.0))


class _LeaksTheBenefitFund(GigEconomyModel):
    """A model that loses a little of the benefit fund every day."""

    def settle(self, tasks, params):
        flows = super().settle(tasks, params)
        self.ledger.benefit_fund -= 0.5
        return flows


class _CountsATaskTwice(GigEconomyModel):
    """A model that pays one filled task twice to its worker."""

    def settle(self, tasks, params):
        flows = super().settle(tasks, params)
        filled = np.flatnonzero(tasks.worker >= 0)
        if filled.size:
            self.workers.day_tasks[tasks.worker[filled[0]]] += 1
        return flows


@pytest.mark.parametrize("broken, policy, message", [
    (_UnderpaysUnderTheFloor, {"min_pay": {"enabled": True, "hourly": 40.0}}, "was paid"),
    (_LeaksTheBenefitFund, {"portable_benefits": {"enabled": True}}, "benefit_fund"),
    (_CountsATaskTwice, {}, "task counts"),
])
def test_the_invariants_catch_a_broken_model(broken, policy, message):
    model = broken(_policy_world(**policy), rng=3, debug=True, create_agents=False)
    with pytest.raises(InvariantError, match=message):
        model.run(10)
    # ... and the same world without the fault runs clean
    GigEconomyModel(_policy_world(**policy), rng=3, debug=True, create_agents=False).run(10)


def test_a_high_pay_floor_is_met_on_every_contractor_task():
    model = GigEconomyModel(_policy_world(min_pay={"enabled": True, "hourly": 45.0}), rng=5, debug=True,
                            create_agents=False)
    model.run(15)
    assert model.metrics["pay_floor_topups"].sum() > 0  # the floor binds, and the checks above passed
