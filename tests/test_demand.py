"""Clients' outside option and surge (docs/model.md 7.2): demand answers price with the published elasticity,
surge rises with excess demand and clears the market."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gigsim import GigEconomyModel
from gigsim.scenario import demand
from gigsim.scenario.rules import RulesSpec
from tests.helpers import baseline

SHOCK = [{"start": 10, "duration": 1000, "categories": ["rides"], "size": 2.0}]


def test_the_budget_rules_are_the_derived_distribution():
    mu, sigma = demand.budget_lognormal()
    assert demand.elasticity(mu, sigma) == pytest.approx(demand.RIDE_DEMAND_ELASTICITY, abs=1e-6)
    assert demand.surplus_per_unit_spent(mu, sigma) == pytest.approx(demand.SURPLUS_PER_DOLLAR, abs=1e-6)
    median, dispersion = demand.budget_rules()
    rules = RulesSpec().clients
    assert rules.budget_median == pytest.approx(median, abs=0.005)
    assert rules.budget_dispersion == pytest.approx(dispersion, abs=0.005)


def posted_on(platform: str, workers: int, days: int, seeds, **overrides) -> float:
    """Tasks posted (not automated) on `platform` over `days` days, summed over seeds."""
    total = 0.0
    for seed in seeds:
        model = GigEconomyModel(baseline(workers, burn_in_days=0, **overrides), rng=seed, create_agents=False)
        k = model.platform_names.index(platform)
        for _ in range(days):
            model.step()
            total += float((model.ledger.day.posted[k] - model.ledger.day.automated[k]).sum())
    return total


@pytest.mark.parametrize("platform, terms", [("rideco", {"pricing": "fixed"}), ("freelancely", {})])
def test_posted_demand_falls_with_price_in_the_published_band(platform, terms):
    """+10% on a platform's price multiplier: posted tasks fall with an arc elasticity in [−0.9, −0.25] (the
    derivation targets −0.54 at the baseline price). The ride app is measured at a fixed price: under surge
    pricing the surge falls when the list price rises (less excess demand), so the price riders pay rises by
    less than 10% and the arc against the multiplier is smaller (−0.24 at 3,000 workers, seeds 0-2). At 3,000
    workers, 30 days and 3 seeds the arc ranges −0.51 to −0.72 (rides, fixed) and −0.48 to −0.62 (bids) over
    seeds 0-8; at 1,200 workers and 20 days Poisson noise alone spreads it by about ±0.2."""
    base = posted_on(platform, 3000, 30, range(3), platforms={platform: dict(terms)})
    dearer = posted_on(platform, 3000, 30, range(3), platforms={platform: {**terms, "price_multiplier": 1.1}})
    arc = math.log(dearer / base) / math.log(1.1)
    assert -0.9 < arc < -0.25, arc


def surge_run(workers: int, days: int, seed: int, **overrides):
    """(mean rides surge per day on rideco, rideco's filled/posted over the run) of a baseline run."""
    model = GigEconomyModel(baseline(workers, **overrides), rng=seed, create_agents=False)
    k, rides = model.platform_names.index("rideco"), model.category_names.index("rides")
    surge, posted, filled = [], 0.0, 0.0
    for _ in range(days):
        model.step()
        day = model.ledger.day
        posted += float(day.human[k, rides].sum())
        filled += float(day.filled[k, rides].sum())
        surge.append(float(model.surge[k, rides].mean()))
    return np.array(surge), filled / posted


def test_a_demand_shock_raises_surge_and_surge_clears_the_market():
    """Rides demand doubles on day 10: surge rises above its pre-shock level, and the surge-priced market
    fills a larger share of what is posted than the same market at a fixed price."""
    calm, _ = surge_run(1500, 40, 1)
    shocked, fill_surge = surge_run(1500, 40, 1, shocks=SHOCK)
    _, fill_fixed = surge_run(1500, 40, 1, shocks=SHOCK, platforms={"rideco": {"pricing": "fixed"}})
    assert shocked[15:].mean() > calm[15:].mean() + 0.05
    assert shocked[15:].max() > 1.2
    assert fill_surge > fill_fixed + 0.01


def test_surge_falls_back_to_the_calm_level_when_the_shock_ends():
    """Rides demand doubles for days 10-30. Afterwards surge falls back to where the same world without the
    shock has it, on average over seeds. That level is not 1: on the economic core the baseline's ride market
    is tight and the calm run's surge wanders between 1.0 and 1.4 at 1,500 workers, so one seed cannot tell."""
    during, after = [], []
    for seed in range(1, 7):
        calm, _ = surge_run(1500, 70, seed)
        surge, _ = surge_run(1500, 70, seed, shocks=[{**SHOCK[0], "duration": 20}])
        during.append(surge[15:30].mean() - calm[15:30].mean())
        after.append(surge[50:70].mean() - calm[50:70].mean())
    assert np.mean(during) > 0.2                       # the shock raised surge
    assert np.mean(after) < 0.05 < np.mean(during)     # and it is gone once the shock has passed
