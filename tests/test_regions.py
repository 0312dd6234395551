"""Regions that differ (issue 14, item 7): `[[population.region_profiles]]` gives each region its own share of
workers and clients, outside option, living costs and other income. Online work is matched across regions, local
work within one, so a low-cost region competes in online work only (scenarios/global_freelance.toml)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from benchmarks.regions_measure import measure
from gigsim import GigEconomyModel, load_scenario
from gigsim.model.population import draw_workers
from gigsim.model.vocabulary import Fate
from tests.helpers import BASELINE, ROOT, refused_run

GLOBAL = ROOT / "scenarios" / "global_freelance.toml"
LOW = 4
"""The low-cost region of global_freelance."""


def _profiles(shares, **low) -> str:
    """TOML of one region profile per worker share (clients split alike); `low` adds keys to the last."""
    tables = []
    for i, share in enumerate(shares):
        extra = "".join(f"{k} = {v}\n" for k, v in low.items()) if i == len(shares) - 1 else ""
        tables.append(f"[[population.region_profiles]]\nworker_share = {share}\nclient_share = {share}\n{extra}")
    return "\n".join(tables)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("body", "field", "problem"), [
    ("[population]\nregions = 2\n" + _profiles([0.7, 0.5]), "population.region_profiles", "sum to 1"),
    ("[population]\nregions = 3\n" + _profiles([0.5, 0.5]), "population.region_profiles", "one per region"),
    ("[population]\nregions = 2\n" + _profiles([0.5, 0.5], reservation_wage_factor=-1),
     "population.region_profiles[1].reservation_wage_factor", "between"),
    ("[population]\nregions = 2\n" + _profiles([0.5, 0.5], outside_option=0.3),
     "population.region_profiles[1].outside_option", ""),
])
def test_bad_region_profiles_exit_2_naming_the_file_and_the_field(tmp_path, body, field, problem):
    text = refused_run(tmp_path, "bad_regions.toml", body)
    assert "bad_regions.toml" in text and field in text and problem in text, text


# --------------------------------------------------------------------------- defaults


def test_without_profiles_the_draws_and_the_content_hash_are_as_before():
    """No table: regions uniform from the first draw of the stream, traits unscaled, and the dump (the content hash)
    has no trace of the table (the fingerprints of every shipped scenario check the outputs themselves)."""
    sc = load_scenario(BASELINE).rescaled(3000)
    assert sc.population.region_profiles is None
    assert "region_profiles" not in sc.model_dump()["population"]
    w = draw_workers(sc, np.random.default_rng(7))
    # every person the run will see is drawn at once: the 3,000 of the pool at the start and its later arrivals
    assert np.array_equal(w.region, np.random.default_rng(7).integers(0, sc.population.regions, w.n))
    medians = [np.median(w.reservation_wage[w.region == r]) for r in range(sc.population.regions)]
    assert max(medians) / min(medians) < 1.1


def test_profiles_survive_rescaling_and_overrides():
    sc = load_scenario(GLOBAL)
    again = sc.rescaled(2000).with_overrides({"days": 30})
    assert again.population.region_profiles == sc.population.region_profiles
    assert again.content_hash() != load_scenario(BASELINE).rescaled(2000).with_overrides({"days": 30}).content_hash()


def test_each_region_draws_its_own_share_and_money():
    sc = load_scenario(GLOBAL).rescaled(20_000)
    w = draw_workers(sc, np.random.default_rng(3))
    low = w.region == LOW
    assert low.mean() == pytest.approx(0.2, abs=0.02)
    for trait, factor in (("reservation_wage", 0.30), ("living_costs", 0.30), ("other_income", 0.30)):
        values = getattr(w, trait)
        assert np.median(values[low]) / np.median(values[~low]) == pytest.approx(factor, rel=0.1), trait
    assert not w.has_car[low].any() and not w.has_room[low].any()
    local = [sc.active_categories.index(c) for c in ("rides", "stays")]
    assert not np.isin(w.category[low], local).any(), "the low-cost region's workers all work online"
    model = GigEconomyModel(sc.rescaled(2000), rng=3, create_agents=False)
    assert not (model.clients.region == LOW).any(), "the low-cost region has no clients"


# --------------------------------------------------------------------------- the global market


@pytest.fixture(scope="module")
def worlds():
    """global_freelance (2,000 high-cost + 500 low-cost workers) and the baseline's same 2,000, 150 days, 2 seeds."""
    glob = load_scenario(GLOBAL).rescaled(2500)
    base = load_scenario(BASELINE).rescaled(2000)
    return [measure(glob, s, 150, window=60) for s in (1, 2)], [measure(base, s, 150, window=60) for s in (1, 2)]


def _mean(rows, group, key) -> float:
    return float(np.mean([r[group][key] for r in rows]))


def test_the_low_cost_region_wins_more_online_work_at_lower_asks(worlds):
    """Lower outside option → more of its freelancers stay in and offer all their hours → lower utilisation → lower
    asks (the ask rule reads only own utilisation); they win a larger share of online tasks than their share of
    online freelancers. Measured (seeds 1-5): asks 1.04-1.09 against 1.10-1.16; 50-56% of tasks with 25-27% of
    the online freelancers. Since a bid is the hourly ask × the worker's hours, which depend on her skill (30 Nov
    2026, docs/model.md 7.5), the spread of skill weighs on a bid more than the regions' asks do: 33-39% of tasks
    with 25-27% of the freelancers (1.35-1.52 × their share), asks 1.04-1.12 against 1.26-1.35 (seeds 1-5); the
    margin was 1.5 × before."""
    glob, _ = worlds
    assert _mean(glob, "low", "median_reservation") < 0.4 * _mean(glob, "high", "median_reservation")
    assert _mean(glob, "low", "mean_ask") < _mean(glob, "high", "mean_ask")
    registered = _mean(glob, "low", "online_workers") / (
        _mean(glob, "low", "online_workers") + _mean(glob, "high", "online_workers"))
    assert _mean(glob, "low", "online_tasks_won_share") > 1.25 * registered
    assert _mean(glob, "low", "online_participation") > 1.5 * _mean(glob, "high", "online_participation")


CROWDING_SEEDS = range(1, 13)


@pytest.fixture(scope="module")
def high_cost_participation():
    """Per seed (1-12), the high-cost regions' online participation with and without the low-cost region, measured as
    in `worlds`."""
    glob, base = load_scenario(GLOBAL).rescaled(2500), load_scenario(BASELINE).rescaled(2000)
    return ([measure(glob, s, 150, window=60)["high"]["online_participation"] for s in CROWDING_SEEDS],
            [measure(base, s, 150, window=60)["high"]["online_participation"] for s in CROWDING_SEEDS])


def test_high_cost_freelancers_are_crowded_out_when_the_low_cost_region_joins(high_cost_participation):
    """The same high-cost regions with and without the low-cost one: fewer of their online freelancers stay active,
    seed by seed (paired one-sided t-test at 1%), and by a fifth or more over the 12 seeds.
    Measured (seeds 1-5): participation 10-11% against 15-18% (13-15% since 30 Nov 2026). Session 10 (seeds 1-12):
    5.7% against 8.0%, a ratio of 0.72 (per seed 0.56-0.91, all below 1; t = −9.9, p = 4e-7). Until then asked of
    seeds 1-2 alone at the same 0.8; with rent only on dedicated units (stays10) seed 2's ratio went 0.67 → 0.91
    (seeds 1-3 were 0.68, 0.67, 0.65 after scale10, 0.76, 0.91, 0.78 after stays10), so two seeds no longer
    measure the mean.

    Their asks were lower too; since hours depend on skill (30 Nov 2026) they are not, seed by seed: the
    freelancers crowded out are the slow ones, whose bids per task are dearest, and those who stay are busier, so
    their asks follow their utilisation up (with minus without the low-cost region, seeds 1-5: +0.020, +0.007,
    +0.030, −0.106, −0.048). That check is dropped, not loosened: it no longer has a direction."""
    glob, base = high_cost_participation
    assert stats.ttest_rel(glob, base, alternative="less").pvalue < 0.01, (glob, base)
    assert np.mean(glob) < 0.8 * np.mean(base), (glob, base)


def test_rides_do_not_cross_regions():
    """Every ride is driven by a worker of the rider's region; none is posted in the low-cost region."""
    sc = load_scenario(GLOBAL).rescaled(1500)
    model = GigEconomyModel(sc, rng=2, create_agents=False)
    rides = sc.active_categories.index("rides")
    seen = 0
    for _ in range(20):
        model.step()
        t = model.tasks
        r = (t.category == rides) & (t.fate == Fate.FILLED)
        seen += int(r.sum())
        assert np.array_equal(model.clients.region[t.client[r]], model.workers.region[t.worker[r]])
        assert not (t.region[t.category == rides] == LOW).any()
    assert seen > 100
