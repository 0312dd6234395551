"""The worlds and the comparison rule of the oracle tests (tests/test_oracle_*.py): the per-agent reference
implementation (gigsim.model.reference) as a correctness oracle for the fast path.

Both implementations start from the same world (gigsim's own set-up, same seed) and apply
the same daily, weekly and monthly rules; their random draws differ, so they are compared
as distributions over seeds: for each outcome, the per-seed means over the run's second
half must agree within a Welch two-sample test at a strict level and a relative tolerance.
The rules the oracle does not cover (upskilling, clients' platform switching, new tasks from automation,
the earlier stylised employee classification, transfers, distressed workers' category switch, platform competition) are switched off
in the compared scenario. AI take-up is compared on its own: the per-task rule against the vectorised one, and
both models with AI exposed in writing and design. The policies as enacted (pay standards with the platforms'
responses, employment, the minimum on asks, retirement accounts, portable ratings) are compared world by world
against gigsim.model.reference.policies.

The comparisons are split by topic into files (`POLICY_GROUPS` names which file compares which policy world) so
that `make test`'s two xdist workers, which take whole files (`--dist loadfile`), can share them out. The
per-agent reference's results per policy world are computed once per process (`policy_reference`,
`reference_without_policy`; deterministic per seed, so caching them changes nothing).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import polars as pl
import pytest
from scipy import stats

from gigsim import GigEconomyModel, load_scenario
from gigsim.analysis.replicate import EPISODE_DIR
from gigsim.model.reference import PerAgentModel
from gigsim.model.state import ACTIVE
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


def per_seed_means(make_rows, seeds=SEEDS, outcomes=OUTCOMES) -> dict[str, np.ndarray]:
    """Per seed: each outcome's mean over the second half of the run."""
    out = {k: [] for k in outcomes}
    for seed in seeds:
        frame = pl.DataFrame(make_rows(seed)).tail(DAYS // 2)
        for k in outcomes:
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


AI_OUTCOMES = ("tasks_automated", "tasks_filled", "fill_rate")


def ai_oracle_scenario():
    """The oracle scenario with AI exposed in writing and design: a cost and a quality gap that bind for some tasks."""
    def auto(cost):  # cost + quality gap straddles the human price (writing 60, design 90 × the ask); since clients
        # budgets are lognormal (7.2) the gap term is larger for the high-budget tail, so costs are below the old 45/70
        return {"level": {"level": 0.6}, "ai_cost_per_task": {"level": cost}, "quality": {"level": 0.55}}
    return oracle_scenario(automation={"writing": auto(25.0), "design": auto(40.0)})


# the episodes' translated numbers, read from the episode files (gigsim translate measures and writes them)
NYC_EPISODE = load_scenario(EPISODE_DIR / "nyc_2019_pay_standard.toml").policy.nyc_pay_standard
HORTON_MINIMUM = load_scenario(EPISODE_DIR / "horton_min_wage.toml").policy.minimum_ask.hourly
POLICY_WORLDS = {
    # the NYC episode's translated standard with all three responses
    "nyc_with_login_caps": {"nyc_pay_standard": {"enabled": True, "start": 0, "per_minute": NYC_EPISODE.per_minute,
                                                 "per_mile": NYC_EPISODE.per_mile,
                                                 "target_utilisation": NYC_EPISODE.target_utilisation,
                                                 "responses": ["login_cap", "prices", "onboarding"]}},
    "seattle_per_minute": {"seattle_pay_standard": {"enabled": True, "start": 0}},
    "employment_with_retirement": {"employment": {"enabled": True, "start": 0, "platforms": ["rideco", "ridemate"]},
                                   "retirement": {"enabled": True, "start": 0}},
    "minimum_ask": {"minimum_ask": {"enabled": True, "start": 0, "hourly": HORTON_MINIMUM}},
    "portable_retirement": {"retirement": {"enabled": True, "start": 0, "portable_share": 0.04}},
    "portable_ratings": {"portable_ratings": {"enabled": True, "start": 0}},
    # New York's onboarding pauses on their dates and its vehicle licence cap (the episode's, from day 0)
    "nyc_dated_pause_licence_cap": {"nyc_pay_standard": {"enabled": True, "start": 0, "per_minute": 0.380,
                                                         "per_mile": 0.243, "responses": ["prices", "onboarding"],
                                                         "onboarding_pause_days": {"rideco": 29, "ridemate": 29}},
                                    # no idle licences (New York's slack, 1.395, never binds here): turn-aways compared
                                    "vehicle_licence_cap": {"enabled": True, "start": 0, "licences_per_vehicle": 1.0}},
    # the pandemic's levers (scenarios/episodes/pandemic_2020.toml), from day 14 and 20; most side hustlers lose their
    # main job so that the benefits paid and the pay lost move mean savings past the 10% closeness (at a share of
    # 0.3 the reference's savings were 4431 against 4105 without the levers, +8%: not a move by `agree`)
    # (the infection risk as the episode sets it since session 8: a cost of each day worked, 6 × for the high-risk)
    "pandemic_levers": {"infection_risk": {"enabled": True, "start": 14, "cost_per_hour": 0.0, "cost_per_day": 16.0,
                                           "high_risk_share": 0.376, "high_risk_factor": 6.0},
                        "unemployment_assistance": {"enabled": True, "start": 20, "main_job_loss_share": 0.8}},
}
POLICY_DAYS = {"portable_retirement": 90}  # the first quarterly deposit is on day 89; the others cross two month-ends
POLICY_SEEDS = range(10)
# the pay standards' top-ups vary about ±20% between seeds at 600 workers (seeds 10-29, Seattle: sd 150 and 176 around
# 745 and 738), so with 10 seeds the 10% closeness rule failed about one run in three on noise alone: 20 seeds
# employment: about 10 employees at the end of a 600-worker world whose wage follows the month's shortfall (sd about 3
# between seeds, a few seeds at 15-18): 20 seeds put the fast path 11% above the reference (9.8 vs 8.8, p = 0.29,
# medians 9 and 9), seeds 20-39 4% (10.45 vs 10.05), so this world is compared over 40
# the dated-pause world is a pay standard too (seeds 0-9 after session 7's merge: fast 1327 vs per-agent 1492 top-ups,
# p = 0.36, 11% apart on that noise), so it is compared over 20 as well; with session 8's start with a past, seeds 0-19
# gave 550.4 vs 631.9 top-ups (p = 0.49, 13% apart) and seeds 20-59 626.6 vs 625.6 (p = 0.99): 60 seeds
# nyc_with_login_caps: capped share fast 0.1335 vs per-agent 0.1124 over seeds 0-19 (p = 0.46) on session 7's
# re-calibrated baseline, 19% apart on noise: 40 seeds; with session 8's start with a past, seeds 0-39 gave 0.1077 vs
# 0.0975 (p = 0.47, 10.5% apart) and seeds 40-79 0.1321 vs 0.1379 (p = 0.76): 80 seeds
# employment_with_retirement: employees (the headcount at the run's end) have sd about 3.3 around 12.5 between seeds,
# so at 40 seeds the 10% closeness is 1.7 standard errors of the difference (about one run in ten fails on noise):
# with session 10's surge rule seeds 0-39 gave fast 13.8 vs per-agent 12.3 (p = 0.06), seeds 40-119 12.8 vs 12.4,
# seeds 0-119 13.1 vs 12.4 (6%; every other outcome within |t| < 1.2); at 120 seeds 10% is 2.9 standard errors
WORLD_SEEDS = {"nyc_with_login_caps": range(80), "seattle_per_minute": range(20), "nyc_dated_pause_licence_cap": range(60), "employment_with_retirement": range(120),
               # active workers: sd about 9 around 60 between seeds; seeds 0-9 gave fast 58.8 vs per-agent 53.3
               # (p 0.11), seeds 0-29 61.3 vs 60.5 (p 0.74)
               "minimum_ask": range(30),
               # tasks filled: with session 8's cost per day worked (drivers stay home for the week) seeds 0-9 gave fast
               # 46.67 vs per-agent 42.02 (p = 0.26, 11% apart): 30 seeds
               "pandemic_levers": range(30)}
DAILY = OUTCOMES + ("pay_floor_topups", "benefit_payouts")
# what each world's policy moves, read at the run's end (it must move, or the comparison would say nothing)
POLICY_END = {"nyc_with_login_caps": "capped_share", "employment_with_retirement": "employees",
              "minimum_ask": "online_ask", "portable_retirement": "balance", "portable_ratings": "unrated_elsewhere_rated",
              "pandemic_levers": "savings"}  # the benefits paid and the main jobs lost reach savings


# which test file compares which policy world (each world in exactly one: tests/test_oracle_core.py checks it)
POLICY_GROUPS = {
    "pay_standards": ("nyc_with_login_caps", "seattle_per_minute"),          # tests/test_oracle_pay_standards.py
    "nyc_limits": ("nyc_dated_pause_licence_cap",),                          # tests/test_oracle_nyc_limits.py
    "benefits": ("employment_with_retirement", "portable_retirement", "portable_ratings"),  # test_oracle_benefits.py
    "markets": ("minimum_ask", "pandemic_levers"),                           # tests/test_oracle_markets.py
}


def _end_state(rows) -> dict[str, float]:
    """End-of-run outcomes from per-worker rows (status, category, ask, rating counts on her platforms, ...)."""
    active = [r for r in rows if r["active"]]
    online = [r["ask"] for r in active if r["online"]]
    return {"capped_share": sum(r["capped"] for r in rows) / max(sum(r["login_days"] for r in rows), 1),
            "employees": float(sum(r["employee"] for r in active)),
            "online_ask": float(np.mean(online)) if online else 0.0,
            "balance": float(np.mean([r["balance"] for r in rows])),
            "savings": float(np.mean([r["savings"] for r in rows])),
            # memberships with no ratings of a worker rated on another platform (what portable ratings fill)
            "unrated_elsewhere_rated": sum(r["unrated"] for r in active) / max(sum(r["memberships"] for r in active), 1)}


def _unrated(counts, platforms) -> int:
    """Her platforms with no ratings while another of her records has some."""
    total = sum(counts)
    return sum(1 for p in platforms if counts[p] == 0 and total > 0)


def fast_world(sc, seed: int, days: int):
    model = GigEconomyModel(sc, rng=seed, create_agents=False)
    model.run(days)
    w, ps = model.workers, model.policy_state
    online = set(np.flatnonzero([sc.categories[c].kind == "online" for c in model.category_names]).tolist())
    rows = [{"active": w.status[i] == ACTIVE, "online": int(w.category[i]) in online, "ask": float(w.ask[i]),
             "capped": int(ps.login_days_capped[i]), "login_days": int(ps.login_days[i]),
             "employee": bool(ps.employer_of[i] >= 0 and w.member[i, ps.employer_of[i]]),
             "balance": float(ps.balance[i]), "savings": float(w.savings[i]), "memberships": int(w.member[i].sum()),
             "unrated": _unrated(w.rating_count[i].tolist(), np.flatnonzero(w.member[i]).tolist())} for i in range(w.n)]
    return model.metrics.select(DAILY), _end_state(rows)


def agent_world(sc, seed: int, days: int):
    model = PerAgentModel(sc, rng=seed)
    daily = [{k: r[k] for k in DAILY} for r in model.run(days)]
    online = {c for c, name in enumerate(model.category_names) if sc.categories[name].kind == "online"}
    rows = [{"active": a.status == ACTIVE, "online": a.category in online, "ask": a.ask, "capped": a.login_days_capped,
             "login_days": a.login_days, "employee": a.employer_of >= 0 and a.employer_of in a.platforms,
             "balance": a.balance, "savings": a.savings, "memberships": len(a.platforms), "unrated": _unrated(a.rating_count, a.platforms)}
            for a in model.worker_list]
    return daily, _end_state(rows)


def policy_world_means(run, sc, days: int, seeds=POLICY_SEEDS) -> dict[str, np.ndarray]:
    """Per seed: the daily outcomes' means over the run's second half, and the end-of-run outcomes."""
    out: dict[str, list[float]] = {}
    for seed in seeds:
        daily, end = run(sc, seed, days)
        frame = pl.DataFrame(daily).tail(days // 2)
        for k in DAILY:
            out.setdefault(k, []).append(float(frame[k].mean()))
        for k, v in end.items():
            out.setdefault(k, []).append(v)
    return {k: np.array(v) for k, v in out.items()}


@cache
def policy_reference(name: str) -> dict[str, np.ndarray]:
    """The per-agent reference's results in policy world `name` (computed once per process)."""
    sc = oracle_scenario(policy=POLICY_WORLDS[name])
    return policy_world_means(agent_world, sc, POLICY_DAYS.get(name, 60), WORLD_SEEDS.get(name, POLICY_SEEDS))


@cache
def reference_without_policy(days: int) -> dict[str, np.ndarray]:
    """The per-agent reference's results without a policy, per run length (computed once per process): what
    each world's policy must move away from."""
    return policy_world_means(agent_world, oracle_scenario(), days, range(4))


def check_policy_world(name: str) -> None:
    """Policy world `name` (gigsim.model.policies) against its per-agent reference (gigsim.model.reference.policies):
    the usual outcomes, the top-ups and benefit payouts, and what the policy moves must agree over seeds."""
    sc = oracle_scenario(policy=POLICY_WORLDS[name])
    fast = policy_world_means(fast_world, sc, POLICY_DAYS.get(name, 60), WORLD_SEEDS.get(name, POLICY_SEEDS))
    agent = policy_reference(name)
    keys = list(OUTCOMES) + [k for k in ("pay_floor_topups", "benefit_payouts") if agent[k].any() or fast[k].any()]
    if name in POLICY_END:
        keys.append(POLICY_END[name])
    if "pay_standard" in str(POLICY_WORLDS[name]):
        assert agent["pay_floor_topups"].mean() > 0, "the standard never bound: the comparison says nothing"
    if name in POLICY_END:
        baseline_world = reference_without_policy(POLICY_DAYS.get(name, 60))
        ok, text = agree(agent[POLICY_END[name]], baseline_world[POLICY_END[name]])
        assert not ok, f"{name} does not move {POLICY_END[name]} in the reference: {text}"
    failures = [f"{k}: {text}" for k in keys for ok, text in [_agree_or_equal(fast[k], agent[k])] if not ok]
    assert not failures, "; ".join(failures)


def policy_world_test(group: str):
    """The test of a topic's file: each policy world of `POLICY_GROUPS[group]` against its per-agent reference."""
    @pytest.mark.slow
    @pytest.mark.parametrize("name", POLICY_GROUPS[group])
    def test_policy_world_matches_per_agent_oracle(name):
        """Each enacted policy (gigsim.model.policies) against its per-agent reference
        (gigsim.model.reference.policies): the usual outcomes, the top-ups and benefit payouts, and what the policy
        moves must agree over seeds (`check_policy_world`)."""
        check_policy_world(name)
    return test_policy_world_matches_per_agent_oracle


def _agree_or_equal(a: np.ndarray, b: np.ndarray) -> tuple[bool, str]:
    """`agree`, or the same constant in every seed (e.g. no unrated membership left under portable ratings)."""
    if np.array_equal(a, b) and np.ptp(a) == 0:
        return True, f"both {a[0]:.4g} in every seed"
    return agree(a, b)
