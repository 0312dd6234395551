"""The scenario library (issue 3): every shipped scenario is valid, documented, extends the
baseline by overriding only what differs, and does what its comment block says."""

from __future__ import annotations

import re
import tomllib

import numpy as np
import polars as pl
import pytest

from gigsim import GigEconomyModel, load_scenario
from gigsim.model import drivers
from gigsim.model.vocabulary import Fate
from gigsim.scenario import Scenario
from tests.helpers import ROOT

SCENARIOS = ROOT / "scenarios"
LIBRARY = sorted(p for p in SCENARIOS.glob("*.toml") if p.name != "baseline.toml")
ONLINE = ["writing", "design", "programming"]

POLICY_FLOWS = {
    "policy_min_pay": ["pay_floor_topups"],
    "policy_commission_cap": ["commission_cap_transfer"],
    "policy_portable_benefits": ["benefit_contributions", "benefit_payouts"],
    "policy_employee_classification": ["benefit_contributions", "benefit_payouts"],  # employer costs (employment)
    "policy_retraining_subsidy": ["retraining_subsidies"],
    "policy_cash_transfer": ["transfer_levy", "cash_transfers"],
}
"""Each lever's own flow columns (the newcomer boost moves no money: see its own test)."""

EXPECTED = {"recession", "pandemic", "genai_freelance", "autonomous_rides", "platform_competition",
            "policy_newcomer_boost", *POLICY_FLOWS}


def small(name: str, workers: int = 1500) -> Scenario:
    return load_scenario(SCENARIOS / f"{name}.toml").rescaled(workers)


def run(sc: Scenario, days: int, seed: int = 3, debug: bool = False) -> GigEconomyModel:
    model = GigEconomyModel(sc, rng=seed, debug=debug, create_agents=False)
    model.run(days)
    return model


def _leaves(table: dict, prefix: str = "") -> dict[str, object]:
    out = {}
    for key, value in table.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out.update(_leaves(value, path))
        else:
            out[path] = value
    return out


# --------------------------------------------------------------------------- the files


def test_the_library_has_every_scenario_of_the_issue():
    assert EXPECTED <= {p.stem for p in LIBRARY}


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_scenario_loads_extends_baseline_and_says_what_it_is(path):
    sc = load_scenario(path)
    assert sc.name == path.stem
    raw = tomllib.loads(path.read_text())
    assert raw["extends"] == "baseline.toml"
    lines = path.read_text().splitlines()
    header = []
    for line in lines:
        if not line.startswith("#"):
            break
        header.append(line)
    assert len(header) >= 8, "a leading comment block of several lines"
    text = "\n".join(header)
    assert "What it represents" in text and "Where the numbers come from" in text
    assert re.search(r"\((19|20)\d\d\)", text), "names at least one dated source"


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_scenario_overrides_only_what_differs_from_baseline(path):
    base = _leaves(tomllib.loads((SCENARIOS / "baseline.toml").read_text()))
    mine = _leaves(tomllib.loads(path.read_text()))
    restated = [k for k, v in mine.items()
                if k not in {"extends", "name", "description"} and k in base and base[k] == v]
    assert not restated, f"restates baseline values: {restated}"
    assert load_scenario(path) != load_scenario(SCENARIOS / "baseline.toml")


# --------------------------------------------------------------------------- policies


@pytest.mark.parametrize("name", sorted(POLICY_FLOWS))
def test_policy_scenario_moves_its_own_money_and_keeps_the_identity(name):
    sc = small(name, 2000)
    start = getattr(sc.policy, {"policy_min_pay": "min_pay", "policy_commission_cap": "commission_cap",
                                "policy_portable_benefits": "portable_benefits",
                                "policy_employee_classification": "employment",
                                "policy_retraining_subsidy": "retraining_subsidy",
                                "policy_cash_transfer": "cash_transfer"}[name]).start
    m = run(sc, 200, debug=True).metrics  # debug: every invariant checked every day
    before, after = m.filter(pl.col("day") < start), m.filter(pl.col("day") >= start)
    for column in POLICY_FLOWS[name]:
        assert after[column].sum() > 0, f"{column} stays zero with the lever on"
        assert before[column].abs().sum() == 0, f"{column} moves before the lever starts"
    split = m["worker_pay"] + m["platform_revenue"] + m["benefit_contributions"] + m["transfer_levy"]
    assert np.allclose(m["client_payments"].to_numpy(), split.to_numpy(), rtol=1e-9, atol=1e-6)
    assert np.allclose(m["benefit_fund"].to_numpy(),
                       (m["benefit_contributions"] - m["benefit_payouts"]).cum_sum().to_numpy(), atol=1e-6)
    assert np.allclose(m["transfer_fund"].to_numpy(),
                       (m["transfer_levy"] - m["cash_transfers"]).cum_sum().to_numpy(), atol=1e-6)


def test_newcomer_boost_gives_more_tasks_to_workers_without_a_record():
    """With the boost on, reputation-ranked freelancely gives a larger share of its tasks to
    workers with fewer ratings than the boost's threshold (the lever moves no money of its own)."""
    # in a market where freelancers compete for the work (demand level 0.5): on the session-5 baseline bids are
    # screened against budgets and many posts go unfilled, so an applicant whose bid fits wins whatever her rank and
    # ranking barely matters (measured at the shipped demand: 4.58% of tasks to newcomers with the boost, 4.59%
    # without; at 0.5: 7.2% against 6.3%, seeds 5-9). On the session-6 calibration demand 0.5 leaves little
    # competition (5.58% against 5.40%, +3%), demand 0.3 enough (8.60% against 6.86%, +25%, seeds 5-9)
    on = small("policy_newcomer_boost", 2000).with_overrides({"demand": {"level": 0.3}})
    off = on.with_overrides({"policy": {"newcomer_boost": {"enabled": False}}})
    freelancely = on.active_platforms.index("freelancely")
    threshold, start = on.policy.newcomer_boost.tasks, on.policy.newcomer_boost.start

    def newcomer_share(sc: Scenario, seeds=range(5, 10)) -> float:
        won_by_newcomers = won = 0
        for seed in seeds:
            model = GigEconomyModel(sc, rng=seed, create_agents=False)
            for day in range(150):
                ratings_before = model.workers.rating_count[:, freelancely].copy()
                model.step()
                t = model.tasks
                matched = (t.platform == freelancely) & (t.fate == Fate.FILLED)
                if day >= start:
                    won += int(matched.sum())
                    won_by_newcomers += int((ratings_before[t.worker[matched]] < threshold).sum())
        return won_by_newcomers / won

    # pooled over five seeds, since one seed's ratio varies by about ±10% (seeds 5-11: 1.01 to 1.35);
    # measured: +10% (4.6% of tasks against 4.2%) at 2,000 workers, seeds 5-9
    assert newcomer_share(on) > 1.05 * newcomer_share(off)


# --------------------------------------------------------------------------- shocks and AI


def _category(markets: pl.DataFrame, category: str | list[str], lo: int, hi: int, column: str) -> float:
    cats = [category] if isinstance(category, str) else category
    f = markets.filter(pl.col("category").is_in(cats) & (pl.col("day") >= lo) & (pl.col("day") < hi))
    return float(f[column].sum())


def test_genai_moves_writing_to_ai_and_lowers_writing_earnings_relative_to_rides():
    sc = small("genai_freelance", 2000)
    model = run(sc, sc.days)
    mk, m = model.market_metrics, model.metrics
    assert _category(mk, "writing", 0, 120, "tasks_automated") == 0
    late = _category(mk, "writing", 335, 365, "tasks_automated") / _category(mk, "writing", 335, 365,
                                                                              "tasks_posted")
    assert 0.4 < late <= 0.9
    assert _category(mk, "rides", 0, 365, "tasks_automated") == 0
    # review work appears with automation
    assert _category(mk, "ai_review", 335, 365, "tasks_posted") > 3 * _category(mk, "ai_review", 0, 30,
                                                                                "tasks_posted")
    early, last = m.head(30), m.tail(30)

    def change(cat: str) -> float:
        return last[f"net_hourly_{cat}"].mean() / early[f"net_hourly_{cat}"].mean()

    assert change("writing") < 0.95 * change("rides")
    assert change("writing") < 1.0


def test_pandemic_lowers_rides_and_raises_online_work():
    base = load_scenario(SCENARIOS / "baseline.toml").rescaled(1500)
    calm, hit = run(base, 200).market_metrics, run(small("pandemic"), 200).market_metrics
    assert _category(hit, "rides", 60, 120, "tasks_posted") < 0.5 * _category(calm, "rides", 60, 120,
                                                                              "tasks_posted")
    assert _category(hit, "stays", 60, 120, "tasks_posted") < 0.6 * _category(calm, "stays", 60, 120,
                                                                              "tasks_posted")
    assert _category(hit, ONLINE, 90, 200, "tasks_posted") > 1.12 * _category(calm, ONLINE, 90, 200,
                                                                               "tasks_posted")
    assert _category(hit, "rides", 0, 60, "tasks_posted") == pytest.approx(
        _category(calm, "rides", 0, 60, "tasks_posted"), rel=0.05)


def test_recession_demand_recovers_along_its_decay_shape():
    """Tasks demanded follow the recession's multipliers: each window within 4 s.d. of its Poisson mean, a drop of
    about a fifth, and the gap closing with a 180-day half-life, read on demand pooled over four seeds. One seed's
    ratio of gaps is noisy at 1,000 workers: seeds 1-6 gave 0.469, 0.386, 0.265, 0.474, 0.436, 0.487 (session 9;
    the expected counts' own ratio 0.434), so seed 3 alone fell outside ±0.12 of 0.397."""
    sc = small("recession", 1000)
    windows = [(30, 60), (60, 90), (150, 180), (300, 330)]
    pooled = np.zeros(330)
    for seed in (1, 2, 3, 4):
        model = run(sc, 330, seed=seed)
        demanded = model.metrics["tasks_demanded"].to_numpy()
        s = model.streams
        rates = np.bincount(s.category, weights=s.rate.astype(np.float64), minlength=model.n_categories)
        expected = np.array([rates @ drivers.demand_multipliers(sc, d)[:, 0] for d in range(330)])
        # tasks demanded are Poisson: each 30-day window's count lies within 4 standard deviations of its mean
        # (a fixed ±4% was about 3.3 s.d. at this size: seed 3 drew a 3.26 s.d. window once the random stream
        # changed)
        z = [(demanded[a:b].sum() - expected[a:b].sum()) / np.sqrt(expected[a:b].sum()) for a, b in windows]
        assert max(abs(v) for v in z) < 4.0, (seed, z)
        pooled += demanded
    # the recession: a drop of about a fifth, then the gap closes with a 180-day half-life
    pre = pooled[30:60].mean()
    ratios = [pooled[a:b].mean() / pre for a, b in windows[1:]]
    assert ratios[0] < 0.85 and ratios[0] < ratios[1] < ratios[2] < 1.0
    gap_now, gap_later = 1 - ratios[0], 1 - ratios[2]
    assert gap_later / gap_now == pytest.approx(0.5 ** (240 / 180), abs=0.12)
