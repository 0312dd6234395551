"""Policies as enacted (gigsim.model.policies): each rule against its per-agent reference, and each lever's
behaviour in small worlds (the floor met per logged-in hour net of expenses, log-in caps raise utilisation,
no active worker without a platform, retirement balances only where contributions exist)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from scipy import stats

from gigsim import GigEconomyModel, load_scenario
from gigsim.analysis import translation
from gigsim.analysis.replicate import EPISODE_DIR
from gigsim.errors import ScenarioError
from gigsim.experiments.plan import load_experiment
from gigsim.model.policies import login_limits, minimum_ask, pay_standards, portable_ratings, retirement
from gigsim.model.state import ACTIVE
from gigsim.scenario.levers import NycPayStandardLever, SeattlePayStandardLever
from tests.helpers import BASELINE, ROOT, baseline

NYC = {"enabled": True, "start": 0}


def small(workers: int = 1000, **policy) -> object:
    return baseline(workers, burn_in_days=60, policy=policy)


# --------------------------------------------------------------------------- rules against references


def test_trip_floors_match_the_per_agent_reference():
    rng = np.random.default_rng(3)
    trip, engaged, util = rng.uniform(0.05, 2, 200), rng.uniform(0.05, 2.5, 200), rng.uniform(0.05, 1, 200)
    nyc, sea = NycPayStandardLever(), SeattlePayStandardLever()
    vec_nyc = pay_standards.nyc_trip_floor(trip, util, nyc.per_minute, nyc.per_mile, nyc.miles_per_hour)
    vec_sea = pay_standards.seattle_trip_floor(engaged, sea.per_minute, sea.per_mile, sea.miles_per_hour,
                                               sea.per_offer)
    rows = list(zip(trip, engaged, util, strict=True))
    ref_nyc = [pay_standards.trip_floor_per_agent("nyc", t, e, u, nyc) for t, e, u in rows]
    ref_sea = [pay_standards.trip_floor_per_agent("seattle", t, e, u, sea) for t, e, u in rows]
    np.testing.assert_allclose(vec_nyc, ref_nyc, rtol=1e-12)
    np.testing.assert_allclose(vec_sea, ref_sea, rtol=1e-12)
    # the 2019 defaults: divided by the 58% utilisation they are the TLC's published sector-wide rates
    assert nyc.per_minute / 0.58 == pytest.approx(0.495, abs=5e-4)
    assert nyc.per_mile / 0.58 == pytest.approx(1.088, abs=5e-4)


def test_water_fill_cap_matches_bisection():
    rng = np.random.default_rng(5)
    for _ in range(30):
        n = int(rng.integers(1, 40))
        avail, weight = rng.uniform(0, 9, n), rng.choice([1.0, 0.5, 1 / 3], n)
        target = float(rng.uniform(0, 1.2) * (avail * weight).sum())
        fast = login_limits.water_fill_cap(avail, weight, target)
        slow = login_limits.water_fill_cap_per_agent(list(avail), list(weight), target)
        if np.isinf(slow):
            assert np.isinf(fast)
        else:
            assert fast == pytest.approx(slow, abs=1e-6)
            assert (weight * np.minimum(avail, fast)).sum() == pytest.approx(target, rel=1e-9, abs=1e-9)


def test_portable_deposits_and_carried_ratings_match_references():
    pay = np.array([[0.0, 999.0], [1000.0, 2500.0], [40.0, 1200.0]])
    expected = [[retirement.portable_deposit_per_agent(x, 0.04, 1000.0) for x in row] for row in pay]
    np.testing.assert_allclose(retirement.portable_deposits(pay, 0.04, 1000.0), expected)
    sums = np.array([[46.0, 0.0, 9.0], [0.0, 0.0, 0.0]], dtype=np.float32)
    counts = np.array([[10, 0, 2], [0, 0, 0]], dtype=np.int32)
    joined = np.array([[False, True, False], [True, False, False]])
    new_sum, new_count = portable_ratings.carried_record(sums, counts, joined, 0.5)
    for i in range(2):
        for p in range(3):
            if joined[i, p]:
                ref = portable_ratings.carried_record_per_agent(list(sums[i]), list(counts[i]), p, 0.5)
                assert (new_sum[i, p], new_count[i, p]) == pytest.approx(ref)
    assert new_count[0, 1] == 6 and new_sum[0, 1] / new_count[0, 1] == pytest.approx(55 / 12)


def test_import_ratings_keeps_the_mean_on_the_new_platform():
    w = SimpleNamespace(member=np.array([[True, True]]), rating_sum=np.array([[45.0, 0.0]], np.float32),
                        rating_count=np.array([[10, 0]], np.int32))
    assert portable_ratings.import_ratings(SimpleNamespace(workers=w), np.array([[True, False]]), 1.0) == 1
    assert w.rating_count[0, 1] == 10 and w.rating_sum[0, 1] == pytest.approx(45.0)


# --------------------------------------------------------------------------- behaviour in small worlds


def test_nyc_standard_pays_at_least_the_standard_per_logged_in_hour_net_of_expenses():
    """Per logged-in hour of the ride sector (waiting included), pay net of the model's expenses is at least
    per_minute × 60 (the $17.22 standard); without the lever it is below it. 2,000 workers: at 1,000 the local ride
    markets are thin (docs/model.md 7.2, "Surge and the size of a ride market") and drivers netted 17.79 per logged-in
    hour without the lever (session 9, seed 2), above the standard, which left the test vacuous; 15.87 at 2,000."""
    results = {}
    for on in (False, True):
        sc = small(2000, nyc_pay_standard={**NYC, "enabled": on, "start": 30})
        model = GigEconomyModel(sc, rng=2, debug=True, create_agents=False)
        logged, net = 0.0, 0.0
        for _ in range(150):
            model.step()
            if model.day > 60:  # a full month after the start: utilisation known for the whole month
                w = model.workers
                rides = (w.category == model.category_names.index("rides")) & (w.status == ACTIVE)
                logged += float(w.hours_offered[rides].sum())
                net += float((w.day_pay[rides] - w.day_costs[rides]).sum())
        results[on] = net / logged
    standard = NycPayStandardLever().per_minute * 60
    assert results[True] >= standard
    assert results[False] < standard


def _rides_utilisation(model, months: int = 3) -> float:
    log = [row for row in model.policy_state.log][-months:]
    return float(np.mean([row["utilisation"][0] for row in log]))


def test_login_caps_raise_utilisation():
    """Caps aimed at the lever's target raise ride utilisation, by a paired one-sided t-test over seeds 1-12 at 5%:
    single seeds go either way (on the merged session-10 core, 1,000 workers, months 6-8, caps / none: seed 1 0.544
    / 0.596, seed 3 0.544 / 0.582, seed 5 0.656 / 0.452, seed 6 0.670 / 0.462; mean 0.612 against 0.544, p = 0.008;
    the session-6 check on the mean of seeds 1-3 read 0.563 against 0.582 there). The log-in bookkeeping is asked of
    every seed: capped days only where platforms cap, a part of the days; a seed whose platforms never cap (seed 4:
    its ride utilisation, 0.655, stayed above the 0.6 target) runs the world without caps, utilisation unchanged."""
    utilisation = {True: [], False: []}
    for seed in range(1, 13):
        capped, days = {}, {}
        for responses in ([], ["login_cap"]):
            sc = small(nyc_pay_standard={**NYC, "responses": responses})
            model = GigEconomyModel(sc, rng=seed, create_agents=False)
            model.recorder.panels.enabled = False
            model.run(240)
            utilisation[bool(responses)].append(_rides_utilisation(model))
            # a cap set at a round before the last one (the last one's cap has no day left to hold a driver)
            capped[bool(responses)] = any(np.isfinite(row["cap"]).any() for row in model.policy_state.log[:-1])
            table = model.worker_table()
            days[bool(responses)] = (int(table["login_days"].sum()), int(table["login_days_capped"].sum()))
        assert not capped[False]
        # the log-in outcome: days held at a cap are counted only where platforms cap, and are a part of the days
        assert days[False][0] > 0 and days[False][1] == 0
        if capped[True]:
            assert 0 < days[True][1] <= days[True][0], seed
        else:
            assert days[True][1] == 0 and utilisation[True][-1] == utilisation[False][-1], seed
    with_caps, without = np.array(utilisation[True]), np.array(utilisation[False])
    assert stats.ttest_rel(with_caps, without, alternative="greater").pvalue < 0.05, utilisation


def _caps_of_workers(model, categories) -> np.ndarray:
    """Each worker's log-in cap (hours a day; inf: none): the highest cap of her platforms serving her category, where
    all of them cap (the rule of login_limits.apply_caps, read without applying it)."""
    share = login_limits._membership_share(model, categories)
    highest = np.where(share > 0, model.policy_state.caps[None, :], -np.inf).max(axis=1)
    return np.where((share > 0).any(axis=1) & np.isfinite(highest), highest, np.inf)


def test_recorded_logged_in_hours_are_the_hours_a_capped_driver_can_log_in():
    """The day's tables record the hours offered after the day's decisions. Under a log-in cap those never exceed a
    driver's cap, although her weekly hours decision often chooses more; so the tables' ride utilisation (task hours
    / logged-in hours, the episode's measure) is the one the platforms cap by (passenger hours / the hours logged in
    at the markets): within 0.3 points of it over months 3-8 (before session 9 the tables counted the chosen hours
    and read utilisation about 0.7 points lower than the platforms' in the NYC episode)."""
    sc = small(nyc_pay_standard={**NYC, "responses": ["login_cap"]})
    model = GigEconomyModel(sc, rng=1, create_agents=False)
    model.recorder.panels.enabled = False
    cats = model.policy_state.categories["nyc_pay_standard"]
    rides = int(cats[0])
    wanted_more, policy = 0, []
    for _ in range(270):
        model.step()
        w, ps = model.workers, model.policy_state
        cap = _caps_of_workers(model, cats)
        held = (w.status == ACTIVE) & np.isfinite(cap)
        assert (w.hours_offered[held] <= cap[held] + 1e-4).all()
        wanted_more += int((ps.desired[held] > cap[held] + 1e-4).sum())
        if model.day % 30 == 0 and model.day >= 120:  # a month just closed (days day-30..day-1): the platforms' view
            policy.append(ps.month["passenger_hours"][:, rides].sum() / ps.month["logged_hours"][:, rides].sum())
    assert wanted_more > 0  # the decisions chose hours above the caps, which the record must not count
    markets = model.market_metrics.filter(model.market_metrics["category"] == "rides")
    recorded = []
    for end in range(120, 271, 30):
        task = markets.filter((markets["day"] >= end - 30) & (markets["day"] < end))["task_hours"].sum()
        logged = model.metrics.filter((model.metrics["day"] >= end - 30)
                                      & (model.metrics["day"] < end))["logged_hours_rides"].sum()
        recorded.append(task / logged)
    assert abs(np.mean(policy) - np.mean(recorded)) < 0.003, (policy, recorded)


def test_onboarding_limit_leaves_no_active_worker_without_a_platform():
    """No active driver is left without a ride platform while one is closed to onboarding. Few drivers reach the
    closed platform at this size, which would leave the check vacuous, so the seeds are pooled until some are
    turned away: seeds 6-8 turned away 1, 2, 1 on session 9's core and 0, 0, 0 on the merged session-10 core, where
    seeds 6-25 turn away 7 in all (seeds 11, 13, 20: 1; 17, 24: 2; every other seed 0), the platform closed at all
    8 rounds of every seed; watching 20 seeds asks for turn-aways in the pool, not on a seed picked for them."""
    sc = small(nyc_pay_standard={**NYC, "responses": ["onboarding"], "onboarding_burden": 0.0})
    closed = turned_away = 0
    for seed in range(6, 26):
        model = GigEconomyModel(sc, rng=seed, create_agents=False)
        model.recorder.panels.enabled = False
        rides = model.category_names.index("rides")
        for _ in range(240):
            model.step()
            if model.day % 30 == 0:  # the day after a monthly round
                w = model.workers
                in_rides = np.flatnonzero((w.status == ACTIVE) & (w.category == rides))
                has = w.member[in_rides][:, model.serves[:, rides]].any(axis=1)
                assert has.all(), f"seed {seed}, day {model.day}: {int((~has).sum())} active drivers without a platform"
                closed += int((~model.accepting[model.serves[:, rides]]).any())
        turned_away += model.policy_state.turned_away
    assert closed > 0, "the platform never stopped onboarding: the test would be vacuous"
    assert turned_away > 0, "nobody was turned away: the test would be vacuous"


def test_seattle_pays_every_trip_at_least_the_minimum():
    sc = small(seattle_pay_standard={**NYC})
    model = GigEconomyModel(sc, rng=8, debug=True, create_agents=False)
    lever = sc.policy.seattle_pay_standard
    rides = model.category_names.index("rides")
    for _ in range(45):
        model.step()
        t = model.tasks
        done = np.flatnonzero(np.isin(t.fate, (2, 3)) & (t.category == rides))
        engaged = model.base_task_hours[rides] + t.pickup[done]
        floor = pay_standards.seattle_trip_floor(engaged, lever.per_minute, lever.per_mile, lever.miles_per_hour,
                                                 lever.per_offer)
        owed = np.bincount(t.worker[done], weights=floor, minlength=model.workers.n)
        drivers = np.flatnonzero(owed > 0)
        assert (model.workers.day_pay[drivers] >= owed[drivers] - 1e-6).all()


@pytest.mark.parametrize("share", [0.0, 0.04])
def test_retirement_balances_grow_only_where_contributions_exist(share):
    sc = small(retirement={"enabled": True, "portable_share": share, "min_quarterly_earnings": 300.0})
    model = GigEconomyModel(sc, rng=9, debug=True, create_agents=False)
    model.run(200)
    table = model.worker_table()
    balance, contributed = table["retirement_balance"].to_numpy(), table["retirement_contributions_per_year"]
    assert ((balance > 0) == (contributed.to_numpy() > 0)).all()
    benchmark = table["retirement_benchmark_per_year"].to_numpy()
    if share == 0.0:
        assert (balance == 0).all() and benchmark.max() > 0
    else:
        assert (balance > 0).sum() > 0
        # a quarter's deposit is 4% of the quarter's pay: below the 4.6% employee benchmark on the same pay
        assert contributed.sum() < benchmark.sum()


def test_employees_receive_employer_contributions():
    sc = small(retirement={"enabled": True}, employee_classification={"enabled": True, "platforms": ["rideco"]})
    model = GigEconomyModel(sc, rng=10, debug=True, create_agents=False)
    model.run(40)
    table = model.worker_table()
    employees = (table["employer"] == "rideco").fill_null(False).to_numpy()  # employer is null for contractors
    contributed = table["retirement_contributions_per_year"].to_numpy()
    assert employees.any() and (contributed[employees] > 0).all()
    # contractors elsewhere (no portable plan) receive nothing
    assert (contributed[(table["category"] != "rides").fill_null(True).to_numpy()] == 0).all()


def _freelance_prices_per_engaged_hour(model, days: int) -> np.ndarray:
    """Price per engaged hour of the tasks filled on freelancely in the online categories over `days` days."""
    fl = model.platform_names.index("freelancely")
    online = [model.category_names.index(c) for c in ("writing", "design", "programming")]
    out = []
    for _ in range(days):
        model.step()
        t = model.tasks
        done = np.flatnonzero((t.fate == 2) & (t.platform == fl) & np.isin(t.category, online))
        out.append(t.price[done] / (t.hours[done] + t.pickup[done]))  # her own hours over the task
    return np.concatenate(out)


def test_minimum_ask_prices_every_covered_task_at_least_at_the_minimum():
    """Horton's rule: nobody on the platform offers to work for less, so every task is priced at or above it."""
    hourly = load_scenario(EPISODE_DIR / "horton_min_wage.toml").policy.minimum_ask.hourly  # the episode's minimum
    model = GigEconomyModel(small(minimum_ask={"enabled": True, "hourly": hourly}), rng=12, debug=True,
                            create_agents=False)
    treated = _freelance_prices_per_engaged_hour(model, 30)
    control = _freelance_prices_per_engaged_hour(GigEconomyModel(small(), rng=12, create_agents=False), 30)
    assert treated.size > 50 and treated.min() >= hourly * (1 - 1e-6)
    assert (control < hourly).mean() > 0.2, "the minimum would not bind: the test would be vacuous"


def test_minimum_multiple_prices_a_task_at_the_hourly_minimum():
    engaged, base = np.array([2.0, 0.5]), np.array([40.0, 14.0])
    multiple = minimum_ask.minimum_multiple(30.0, engaged, base, 1.25)
    np.testing.assert_allclose(multiple * base * 1.25, 30.0 * engaged)


def test_unknown_category_in_a_standard_is_refused(tmp_path):
    with pytest.raises(ScenarioError, match="policy.seattle_pay_standard.categories"):
        small(seattle_pay_standard={**NYC, "categories": ["limos"]})
    bad = tmp_path / "bad.toml"
    bad.write_text(f'extends = "{BASELINE}"\n[policy.nyc_pay_standard]\nenabled = true\nresponses = ["lockout"]\n')
    with pytest.raises(ScenarioError, match="policy.nyc_pay_standard.responses"):
        load_scenario(bad)
    with pytest.raises(ScenarioError, match="policy.minimum_ask.platforms"):
        small(minimum_ask={"enabled": True, "hourly": 20.0, "platforms": ["upwork"]})
    with pytest.raises(ScenarioError, match="policy.nyc_pay_standard.login_cap_days"):  # dated caps name platforms
        small(nyc_pay_standard={**NYC, "login_cap_days": {"lyft": 146}})


def test_nyc_episode_caps_aim_above_the_baseline_utilisation_as_new_yorks_rose():
    """The episode's cap target is the baseline's ride utilisation x New York's utilisation after / before the
    rule (55.9% / 54.8%, Koustas, Parrott & Reich 2020), and its per-mile rate the drivers' running costs per
    logged-in hour / 20 mph: re-measured here by gigsim.analysis.translation as `gigsim translate` measures them
    (5,000 workers, days 120-299, seeds 0-4): a re-calibrated baseline that moved them fails this, and
    `gigsim translate --write` must be run again. The target is above the baseline utilisation by a one-sided
    t-test over the seeds: on the merged session-10 core (surge from each market's state) the seeds' targets are
    0.6833, 0.6684, 0.6651, 0.6540, 0.6682 (sd 1.6% of the mean, no longer under 1%), so seed 0's baseline alone,
    0.6699, lies above the stored 0.668 while the seeds' mean baseline, 0.6547, lies 0.0133 below it (t = 2.9,
    p = 0.02); one seed cannot tell a 2% rise from the seed-to-seed spread."""
    control = load_scenario(EPISODE_DIR / "control.toml").rescaled(5000)
    lever = load_scenario(EPISODE_DIR / "nyc_2019_pay_standard.toml").policy.nyc_pay_standard
    measured = translation.measure(control, range(5))
    rows = {r.number.name: r for r in translation.translate(measured, translation.read_stored())
            if r.target.file == translation.NYC_EPISODE}
    assert rows["nyc_target_utilisation"].current and rows["nyc_target_utilisation"].stored == lever.target_utilisation
    assert rows["nyc_per_mile"].current and rows["nyc_per_mile"].stored == lever.per_mile
    ratio = translation.NYC_UTILISATION_BEFORE / translation.NYC_UTILISATION_AFTER
    baseline_utilisation = np.array(rows["nyc_target_utilisation"].per_seed) * ratio
    above = stats.ttest_1samp(baseline_utilisation, lever.target_utilisation, alternative="less")
    assert above.pvalue < 0.05, (baseline_utilisation, lever.target_utilisation)  # above the baseline
    assert lever.target_utilisation != NycPayStandardLever().target_utilisation

# --------------------------------------------------------------------------- New York's entry limits (session 6)


def _ride_drivers_after_rounds(model, days: int, platform: int | None = None, count=None) -> list:
    """Active ride drivers (on `platform`, if given) on the day after each monthly round, stepping the model; or
    `count(model, drivers)` of the drivers' mask (N) there."""
    rides = model.category_names.index("rides")
    counts = []
    for _ in range(days):
        model.step()
        if model.day % 30 == 0:
            w = model.workers
            scope = (w.status == ACTIVE) & (w.category == rides)
            if count is not None:
                counts.append(count(model, scope))
            else:
                counts.append(int((scope & w.member[:, platform]).sum()) if platform is not None else int(scope.sum()))
    return counts


def test_vehicle_licence_cap_holds_drivers_at_the_licences_while_demand_draws_more():
    """The cap turns away entrants beyond the licences (ride drivers on its first round, with no idle licences);
    without it the same demand boom draws more drivers than there are licences (so the cap binds)."""
    boom = {"shocks": [{"name": "boom", "start": 30, "duration": 300, "categories": ["rides"], "size": 1.6}]}
    no_slack = {"vehicle_licence_cap": {"enabled": True, "start": 0, "licences_per_vehicle": 1.0}}
    capped = baseline(1500, burn_in_days=60, policy=no_slack, **boom)
    free = baseline(1500, burn_in_days=60, **boom)
    model = GigEconomyModel(capped, rng=4, debug=True, create_agents=False)
    with_cap = _ride_drivers_after_rounds(model, 180)
    without = _ride_drivers_after_rounds(GigEconomyModel(free, rng=4, create_agents=False), 180)
    licences = model.policy_state.licences
    assert licences is not None and licences > 0
    assert max(with_cap) <= licences
    assert max(without) > licences, "the boom drew no more drivers than the licences: the test says nothing"
    assert model.policy_state.turned_away > 0


def test_licences_fixed_before_the_standard_are_the_same_with_it_and_bound_its_drivers():
    """The shipped experiment's design: the city's licence cap from day 0 in every arm, the standard from day 30,
    after the cap's first round has fixed the licences. The standard then cannot move the licences (the same
    number with and without it), and the cap turns its entrants away and holds its drivers below those its pay
    draws into the same world without the cap."""
    cap = {"vehicle_licence_cap": {"enabled": True, "start": 0, "licences_per_vehicle": 1.0}}  # no idle licences
    standard = {"nyc_pay_standard": {**NYC, "start": 30, "responses": ["prices", "onboarding"],
                                     "onboarding_pause_days": {"rideco": 59, "ridemate": 77}}}
    worlds = {"cap": cap, "cap_and_standard": {**cap, **standard}, "standard": standard}
    models = {k: GigEconomyModel(baseline(1500, burn_in_days=60, policy=v), rng=3, create_agents=False)
              for k, v in worlds.items()}
    drivers = {k: _ride_drivers_after_rounds(m, 210) for k, m in models.items()}
    licences = models["cap_and_standard"].policy_state.licences
    assert licences is not None and licences == models["cap"].policy_state.licences
    assert models["cap_and_standard"].policy_state.turned_away > 0
    # entrants (and, while every licence is held, switchers) are turned away (docs/model.md 7.16); count rounds
    assert sum(d > licences for d in drivers["cap_and_standard"]) < sum(d > licences for d in drivers["standard"])
    assert np.mean(drivers["cap_and_standard"]) < np.mean(drivers["standard"])


@pytest.mark.parametrize("file", ["experiments/nyc_pay_standard.toml", "scenarios/policy_nyc_pay_standard.toml"])
def test_shipped_nyc_worlds_limit_entry_as_new_york_did(file):
    """The shipped NYC experiment and scenario limit entry as enacted: every ride app pauses on its 2019 date
    (so the hand-set top-up trigger acts nowhere) and the city's licence cap is in force from before the
    standard, whose licences (fixed at the cap's first round, day 29) precede it; in the experiment the cap is in
    every arm, the control included."""
    if file.startswith("experiments"):
        worlds = {name: arm.scenario for name, arm in load_experiment(ROOT / file).arms.items()}
    else:
        worlds = {file: load_scenario(ROOT / file)}
    for name, sc in worlds.items():
        cap, lever = sc.policy.vehicle_licence_cap, sc.policy.nyc_pay_standard
        assert cap.enabled and cap.categories == ["rides"], name
        if not lever.enabled:
            continue
        assert lever.start >= cap.start + 30, name
        ride_apps = {p for p, spec in sc.platforms.items() if "rides" in spec.categories}
        assert "onboarding" in lever.responses and set(lever.onboarding_pause_days) == ride_apps, name


def test_dated_onboarding_pause_admits_drivers_only_to_replace_leavers_and_as_demand_grows():
    """New York's apps paused onboarding on a date (Uber 1 April 2019) and then took drivers only as others left
    and rider demand grew. Before its date the platform stays open; from it, it closes whenever its drivers reach
    their number at the pause × its demand now / then, and takes nobody at a round while closed; ridemate, which
    did not pause, onboards throughout. At the end, against the same world without the pause, rideco has fewer
    drivers and ridemate a larger share of the ride drivers: the drivers rideco turned away went to the app that
    kept onboarding. Both by paired one-sided t-tests over seeds 2-5 at 5%. (Session 7 dropped this end state: the
    paused world then ended with more rideco drivers on seeds 2, 4 and 5 (51/49, 79/66, 63/54), because the unnamed
    ridemate fell back on the hand-set burden trigger and stayed closed at all 8 rounds. With a platform not named
    left open, seeds 2-5 ended with rideco 41/49, 28/50, 38/66, 31/54 and ridemate 57/40, 51/47, 71/47, 64/55,
    /work/notes/policy6.md. On the merged session-10 core (paused / open) rideco 24/35, 34/45, 42/59, 30/32 (p =
    0.023) and ridemate 36/36, 44/38, 35/41, 40/33: its count no longer rises on every seed (seeds 2-9 pooled
    316/284, p = 0.066), its share does (0.60/0.51, 0.56/0.46, 0.45/0.41, 0.57/0.51, p = 0.006).)"""
    standard = {**NYC, "per_minute": 0.380, "per_mile": 0.243}
    boom = {"shocks": [{"name": "boom", "start": 90, "duration": 300, "categories": ["rides"], "size": 1.3}]}
    paused = baseline(1500, burn_in_days=60, policy={"nyc_pay_standard": {
        **standard, "responses": ["onboarding"], "onboarding_pause_days": {"rideco": 59}}}, **boom)
    open_ = baseline(1500, burn_in_days=60, policy={"nyc_pay_standard": {**standard, "responses": []}}, **boom)
    rideco, rides = 0, 0
    model = GigEconomyModel(paused, rng=2, debug=True, create_agents=False)
    ridemate = model.platform_names.index("ridemate")
    assert model.platform_names[rideco] == "rideco" and model.category_names[rides] == "rides"
    w, closed_rounds = model.workers, 0
    for _ in range(240):
        if model.day % 30 == 29:  # a monthly round today: who joins rideco while it is closed?
            was_open, before = bool(model.accepting[rideco]), w.member[:, rideco].copy()
            model.step()
            joined = int((w.member[:, rideco] & ~before).sum())
            assert was_open or joined == 0, f"day {model.day - 1}: {joined} joined a paused platform"
            closed_rounds += not was_open
            assert was_open or model.day > 60, "closed before its date"
            if model.day > 60:
                h0, d0 = model.policy_state.paused_at[rideco]
                drivers = int(((w.status == ACTIVE) & (w.category == rides) & w.member[:, rideco]).sum())
                limit = h0 * model.policy_state.month["posted_hours"][rideco, rides] / d0
                assert bool(model.accepting[rideco]) == (drivers < limit)
        else:
            model.step()
        assert bool(model.accepting[ridemate]), f"day {model.day - 1}: ridemate, which did not pause, is closed"
    assert closed_rounds > 0, "the platform never reached its limit: the test says nothing"
    held = np.array([_ride_drivers_at_end(model, (rideco, ridemate), 0)]
                    + [_ride_drivers_at_end(GigEconomyModel(paused, rng=seed, create_agents=False),
                                            (rideco, ridemate)) for seed in (3, 4, 5)])
    grown = np.array([_ride_drivers_at_end(GigEconomyModel(open_, rng=seed, create_agents=False), (rideco, ridemate))
                      for seed in (2, 3, 4, 5)])
    assert stats.ttest_rel(held[:, 0], grown[:, 0], alternative="less").pvalue < 0.05, (held, grown)
    share_held, share_grown = held[:, 1] / held.sum(axis=1), grown[:, 1] / grown.sum(axis=1)
    assert stats.ttest_rel(share_held, share_grown, alternative="greater").pvalue < 0.05, (held, grown)


def _ride_drivers_at_end(model, platforms, days: int = 240) -> list[int]:
    """Active ride drivers on each of `platforms` after stepping `model` `days` more days."""
    for _ in range(days):
        model.step()
    w = model.workers
    drivers = (w.status == ACTIVE) & (w.category == model.category_names.index("rides"))
    return [int((drivers & w.member[:, p]).sum()) for p in platforms]
