"""Clients' outside option and surge (docs/model.md 7.2): demand answers price with the published elasticity,
surge rises with excess demand and clears the market."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
from scipy import stats

from gigsim import GigEconomyModel
from gigsim.model.kernels import posting
from gigsim.model.vocabulary import Fate, Pricing
from gigsim.scenario import demand
from gigsim.scenario.rules import RulesSpec
from tests.helpers import baseline

HIRED = [Fate.FILLED, Fate.DIRECT, Fate.REFERRAL]
SHOCK = [{"start": 10, "duration": 1000, "categories": ["rides"], "size": 2.0}]
FALLEN_BACK = 0.25
"""Largest mean surge gap to the calm run that counts as fallen back (under half the shock's rise of 0.6)."""


def test_the_budget_rules_are_the_derived_distribution():
    mu, sigma = demand.budget_lognormal()
    assert demand.elasticity(mu, sigma) == pytest.approx(demand.RIDE_DEMAND_ELASTICITY, abs=1e-6)
    assert demand.surplus_per_unit_spent(mu, sigma) == pytest.approx(demand.SURPLUS_PER_DOLLAR, abs=1e-6)
    median, dispersion = demand.budget_rules()
    rules = RulesSpec().clients
    assert rules.budget_median == pytest.approx(median, abs=0.005)
    assert rules.budget_dispersion == pytest.approx(dispersion, abs=0.005)


def bought_on(platform: str, workers: int, days: int, seeds, **overrides) -> float:
    """Tasks clients bought from people on `platform` over `days` days, summed over seeds: those posted (not
    automated) on a fixed-price platform, those hired on a bids platform (where every task is posted and the
    client's budget acts when it screens the bids, docs/model.md 7.2)."""
    total = 0.0
    for seed in seeds:
        model = GigEconomyModel(baseline(workers, burn_in_days=0, **overrides), rng=seed, create_agents=False)
        k = model.platform_names.index(platform)
        for _ in range(days):
            model.step()
            day = model.ledger.day
            bids = model.pricing[k] == Pricing.BIDS
            total += float(day.filled[k].sum() if bids else (day.posted[k] - day.automated[k]).sum())
    return total


@pytest.mark.parametrize("platform, terms", [("rideco", {"pricing": "fixed"})])
def test_bought_demand_falls_with_price_in_the_published_band(platform, terms):
    """+10% on a platform's price multiplier: tasks bought fall with an arc elasticity in [−0.9, −0.25] (the
    derivation targets −0.54 at the baseline price). The ride app is measured at a fixed price: under surge
    pricing the surge falls when the list price rises (less excess demand), so the price riders pay rises by
    less than 10% and the arc against the multiplier is smaller (−0.24 at 3,000 workers, seeds 0-2). At 3,000
    workers, 30 days and 3 seeds the arc ranges −0.51 to −0.72 (rides, fixed) and −0.48 to −0.62 (bids) over
    seeds 0-8; at 1,200 workers and 20 days Poisson noise alone spreads it by about ±0.2."""
    base = bought_on(platform, 3000, 30, range(3), platforms={platform: dict(terms)})
    dearer = bought_on(platform, 3000, 30, range(3), platforms={platform: {**terms, "price_multiplier": 1.1}})
    arc = math.log(dearer / base) / math.log(1.1)
    assert -0.9 < arc < -0.25, arc


def hires_over(model: GigEconomyModel, platform: int, days: int) -> int:
    """Tasks hired on `platform` (matched, re-hired directly or referred) over the next `days` days of `model`."""
    hired = 0
    for _ in range(days):
        model.step()
        t = model.tasks
        hired += int(((t.platform == platform) & np.isin(t.fate, HIRED)).sum())
    return hired


def test_on_bids_every_task_is_posted_and_hires_fall_with_price_in_a_band():
    """+10% on freelancely's multiplier in the burned-in baseline, against the same world (a deep copy: same state,
    same random stream) at the old price, over the next 14 days: hires fall with a mean arc elasticity over seeds
    0-3 in [−0.9, −0.2] (the derivation targets −0.54 at the list price, docs/model.md 7.2). Measured at 4,000
    workers: per seed −0.03 to −0.66, means of seeds 0-3, 4-7, 8-11 −0.35, −0.28, −0.52. Until 1 Dec 2026 this
    test ran 3,000 workers from day 0 without the burn-in, where session 7's start (12% active) leaves freelancers
    short of posts' hours (fill 0.76 against 0.86 burned in), so a client who screens a bid out frees its freelancer
    for another post, and it compared two runs whose random streams part: −0.03 then; −0.09 ± 0.19 (sd over 8 seeds,
    5,000 workers, 60 days) against −0.23 ± 0.26 with the burn-in; with one stream −0.07 from day 0 and −0.27
    burned in (docs/model.md 7.2). Hires answer less than −0.54: a client screens bids from fast workers below the list price,
    where the same lognormal budgets are less elastic (ε = −0.12 at half the list price, `demand.elasticity`)."""
    assert demand.elasticity(*demand.budget_lognormal(), price=0.5) == pytest.approx(-0.12, abs=0.01)
    arcs = []
    for seed in range(4):
        model = GigEconomyModel(baseline(4000), rng=seed, create_agents=False)
        k = model.platform_names.index("freelancely")
        dearer = copy.deepcopy(model)
        dearer.price_multiplier[k] *= 1.1
        arcs.append(math.log(hires_over(dearer, k, 14) / hires_over(model, k, 14)) / math.log(1.1))
    assert -0.9 < float(np.mean(arcs)) < -0.2, arcs
    # posting: a client whose budget is below every price posts on the bids platform only
    model = GigEconomyModel(baseline(300, burn_in_days=0), rng=0, create_agents=False)
    bids, fixed = model.platform_names.index("freelancely"), model.platform_names.index("rideco")
    n = 6
    category = np.array([model.category_names.index(c) for c in ["programming"] * 3 + ["rides"] * 3], np.int32)
    platform = np.array([bids] * 3 + [fixed] * 3, np.int32)
    kept = posting.price_tasks(np.arange(n, dtype=np.int32), np.zeros(n, np.int32), category, platform,
                               np.zeros(1, np.int32), np.full(1, 1e-3), model.market_params(0), model.surge, 1.0,
                               0.0, np.zeros(n))
    assert kept[3].tolist() == [bids] * 3


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
    """Rides demand doubles for days 10-30. Afterwards (days 50-70) surge is back where the same world without the
    shock has it, on average over seeds; the rule has no memory (docs/model.md 7.2), so nothing holds it up once the
    excess is gone. The level need not be 1: a 1,500-worker world's local ride markets are thin, and where a region
    is short of drivers the surge prices it.

    One seed cannot tell: the shock changes the draws that follow, so by days 50-70 the shocked and the calm run
    are two unrelated worlds and their gap spreads like two seeds' (calm surge 1.02-1.51 by seed). Measured over
    seeds 1-24 (session 10, merged core): the gap during the shock 0.60 (sd 0.22), after it 0.006 (sd 0.195). The
    test asked a mean after-gap below 0.05 over seeds 1-6 (standard error 0.08): seeds 1-6 gave -0.11 on scale10's
    branch and +0.105 after stays10's merge moved every seed, seeds 1-24 +0.006. So: a one-sided t-test at 1% that
    the shock raised surge, and two one-sided t-tests at 5% (equivalence) that the after-gap lies within ±0.25,
    well under the rise during the shock; a surge that kept half of its rise would fail (seeds 1-12: mean 0.069,
    p = 0.002 and 0.001)."""
    during, after = [], []
    for seed in range(1, 13):
        calm, _ = surge_run(1500, 70, seed)
        surge, _ = surge_run(1500, 70, seed, shocks=[{**SHOCK[0], "duration": 20}])
        during.append(surge[15:30].mean() - calm[15:30].mean())
        after.append(surge[50:70].mean() - calm[50:70].mean())
    assert stats.ttest_1samp(during, 0.0, alternative="greater").pvalue < 0.01, during  # the shock raised surge
    assert np.mean(during) > 2 * FALLEN_BACK, during
    assert stats.ttest_1samp(after, FALLEN_BACK, alternative="less").pvalue < 0.05, after  # and it is gone after
    assert stats.ttest_1samp(after, -FALLEN_BACK, alternative="greater").pvalue < 0.05, after
