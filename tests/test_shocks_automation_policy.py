"""Shocks, automation and policy levers (issue 3): each effect where it belongs."""

from __future__ import annotations

import numpy as np
import pytest

from gigsim.model import drivers
from gigsim.model.vocabulary import Fate
from gigsim.scenario import ShockSpec, TimePath
from tests.helpers import baseline, run

ONLINE = ("writing", "design", "programming")


# --------------------------------------------------------------------------- shocks


@pytest.mark.parametrize("shape", ["step", "ramp", "decay"])
def test_shock_shapes(shape):
    shock = ShockSpec(start=10, duration=100, size=0.5, shape=shape, ramp_days=20, half_life_days=30)
    before, first, later, after = (drivers.shock_multiplier(shock, d) for d in (9, 10, 40, 110))
    assert before == 1.0 and after == 1.0
    if shape == "step":
        assert first == later == 0.5
    elif shape == "ramp":
        assert 0.5 < first < 1.0 and later == pytest.approx(0.5)
    else:
        assert first == pytest.approx(0.5) and later == pytest.approx(1 - 0.5 * 0.5)


def test_overlapping_shocks_multiply_and_respect_categories_and_regions():
    sc = baseline(shocks=[
        {"start": 0, "duration": 10, "size": 0.5, "categories": ["rides"]},
        {"start": 0, "duration": 10, "size": 0.8, "categories": ["rides", "writing"], "regions": [1]},
    ])
    mult = drivers.demand_multipliers(sc, 5) / drivers.seasonality(sc, 5)
    rides, writing, design = (sc.active_categories.index(c) for c in ("rides", "writing", "design"))
    assert mult[rides, 0] == pytest.approx(0.5)
    assert mult[rides, 1] == pytest.approx(0.4)
    assert mult[writing, 1] == pytest.approx(0.8) and mult[writing, 0] == pytest.approx(1.0)
    assert (mult[design] == 1.0).all()


def test_a_shock_lowers_tasks_and_earnings_only_in_hit_categories_and_recovers():
    # ride apps at a fixed price, so posts follow demand: under surge the calm market's surge prices some
    # riders out and the shocked market's does not, which narrows the gap in posts (0.63 against demand's
    # ~0.52 over days 90-110 at 2,000 workers on the calibrated baseline)
    days = 240
    fixed = {"rideco": {"pricing": "fixed"}, "ridemate": {"pricing": "fixed"}}
    calm = run(baseline(2000, platforms=fixed), days, debug=False)
    hit = run(baseline(2000, platforms=fixed, shocks=[{"start": 90, "size": 0.4, "shape": "decay",
                                                       "half_life_days": 30, "categories": ["rides"]}]),
              days, debug=False)
    mc, mh = calm.market_metrics, hit.market_metrics

    def posted(frame, category, lo, hi):
        f = frame.filter((frame["category"] == category) & (frame["day"] >= lo) & (frame["day"] < hi))
        return float(f["tasks_posted"].sum())

    assert posted(mh, "rides", 90, 110) < 0.6 * posted(mc, "rides", 90, 110)
    # recovery follows the decay: most of the gap has closed three half-lives later (demand is back to 93%;
    # posts lag it because drivers who left on earnings during the slump return at the entry rate)
    assert posted(mh, "rides", 180, 200) > 0.75 * posted(mc, "rides", 180, 200)
    # other categories' demand is untouched: their posts differ only by Poisson noise, so compare 60 days
    # (about 700 programming tasks in 20 days differ by ±5% between two runs at one s.d.: 10% is too tight there)
    for other in ONLINE:
        assert posted(mh, other, 90, 150) == pytest.approx(posted(mc, other, 90, 150), rel=0.1)
    rides_pay_hit = mh.filter((mh["category"] == "rides") & (mh["day"].is_between(90, 120)))["worker_pay"].sum()
    rides_pay_calm = mc.filter((mc["category"] == "rides") & (mc["day"].is_between(90, 120)))["worker_pay"].sum()
    # drivers' pay falls less than posts: in the calm run's tight market (about 84% of rides filled on the session-5
    # baseline) fewer riders leave more of the remaining posts filled (measured 76% of the calm run's pay)
    assert rides_pay_hit < 0.9 * rides_pay_calm


# --------------------------------------------------------------------------- automation


def test_time_paths():
    assert drivers.path_value(TimePath(shape="constant", level=0.3), 50) == 0.3
    linear = TimePath(shape="linear", start=10, end=20, start_level=0.0, end_level=0.5)
    assert [drivers.path_value(linear, d) for d in (0, 15, 30)] == [0.0, 0.25, 0.5]
    logistic = TimePath(shape="logistic", midpoint=100, steepness=0.1, start_level=0.0, end_level=0.6)
    assert drivers.path_value(logistic, 100) == pytest.approx(0.3)
    assert drivers.path_value(logistic, 0) < 0.01 and drivers.path_value(logistic, 300) > 0.59
    points = TimePath(shape="points", points=[(0, 0.0), (10, 0.4), (20, 0.2)])
    assert [drivers.path_value(points, d) for d in (5, 10, 15, 40)] == pytest.approx([0.2, 0.4, 0.3, 0.2])


@pytest.mark.parametrize("level", [0.2, 0.5])
def test_automation_takes_tasks_in_proportion_to_its_level_and_never_above(level):
    sc = baseline(1500, population={"ai_adoption": 0.999},
                  automation={"writing": {"level": {"shape": "constant", "level": level},
                                          "ai_cost_per_task": {"shape": "constant", "level": 1.0}}})
    model = run(sc, 60)  # the invariants check the cap every day
    frame = model.market_metrics.filter(model.market_metrics["category"] == "writing")
    share = frame["tasks_automated"].sum() / frame["tasks_posted"].sum()
    # the daily cap floor(level × posts) truncates the binomial draws: at ~50 writing posts a day the expected
    # share is 0.87 × level at 0.2 and 0.94 × level at 0.5, with a standard error of about 0.007 over 60 days,
    # so 0.85 × level was about one standard error from it (0.1694 drawn at level 0.2, expected 0.1738)
    assert level * 0.8 < share <= level
    others = model.market_metrics.filter(model.market_metrics["category"] != "writing")
    assert others["tasks_automated"].sum() == 0


def test_automation_respects_the_category_ceiling_and_the_cost_comparison():
    expensive = baseline(1000, automation={"writing": {"level": {"level": 0.5},
                                                       "ai_cost_per_task": {"level": 10_000.0}}})
    assert run(expensive, 30).metrics["tasks_automated"].sum() == 0
    capped = baseline(1000, categories={"writing": {"automation_ceiling": 0.1}},
                      automation={"writing": {"level": {"level": 0.9}}})
    level, _, _ = drivers.automation_levels(capped, 5)
    assert level[capped.active_categories.index("writing")] == pytest.approx(0.1)


def test_augmentation_raises_tasks_per_hour():
    def tasks_per_hour(gain_level: float) -> float:
        # every programmer takes the category's hours (productivity_ratio 1): with hours that depend on skill, who
        # is hired also moves hours per task, and the rule checked here is the augmentation's
        sc = baseline(1500, automation={"programming": {"augmentation": {"level": gain_level},
                                                        "augmentation_gain": 1.0}},
                      categories={"programming": {"productivity_ratio": 1.0}})
        f = run(sc, 60, debug=False).market_metrics
        f = f.filter(f["category"] == "programming")
        return float(f["tasks_filled"].sum() / f["task_hours"].sum())

    assert tasks_per_hour(0.5) == pytest.approx(1.5 * tasks_per_hour(0.0), rel=1e-6)


def test_new_tasks_grow_with_automation_elsewhere():
    review = {"kind": "online", "base_price": 30.0, "hours_per_task": 1.0, "worker_share": 0.05,
              "client_share": 0.2, "demand_per_client": 0.01, "new_tasks_from": ["writing"],
              "new_tasks_per_automated_task": 0.5}
    common = {"categories": {"ai_review": review},
              "platforms": {"freelancely": {"categories": ["writing", "design", "programming", "ai_review"]}}}
    calm = baseline(1500, **common)
    ai = baseline(1500, **common, automation={"writing": {"level": {"level": 0.6},
                                                          "ai_cost_per_task": {"level": 1.0}}})

    def review_demand(sc):
        f = run(sc, 40, debug=False).market_metrics
        return f.filter(f["category"] == "ai_review")["tasks_posted"].sum()

    assert review_demand(ai) > 2 * review_demand(calm)


# --------------------------------------------------------------------------- policy


def _lever(name: str, **fields):
    return {"policy": {name: {"enabled": True, **fields}}}


def test_pay_floor_no_engaged_hour_pays_below_it():
    floor = 22.0
    sc = baseline(1500, **_lever("min_pay", hourly=floor, response="none"))
    model = run(sc, 1)
    for _ in range(30):
        model.step()
        t = model.tasks
        on_platform = (t.fate == Fate.FILLED) | (t.fate == Fate.DIRECT)
        referred = np.unique(t.worker[t.fate == Fate.REFERRAL])
        w = np.setdiff1d(t.worker[on_platform], referred)
        # every contractor's pay today is at least the floor times her engaged hours today
        paid, engaged = model.workers.day_pay[w], model.workers.day_engaged_hours[w].astype(float)
        assert (paid >= floor * engaged * (1 - 1e-5)).all()
    assert model.metrics["pay_floor_topups"].sum() > 0


def test_pay_floor_raises_prices_when_platforms_respond():
    sc = baseline(1500, **_lever("min_pay", hourly=30.0, response="raise_prices"))
    model = run(sc, 95, debug=False)
    assert model.price_multiplier.max() > 1.0


def test_commission_cap_is_never_exceeded():
    sc = baseline(1500, **_lever("commission_cap", cap=0.12))
    model = run(sc, 40)
    assert model.effective_commission().max() <= 0.12
    m = model.metrics
    assert (m["platform_revenue"] <= 0.12 * m["client_payments"] + 1e-6).all()
    assert m["commission_cap_transfer"].sum() > 0


def test_portable_benefits_reduce_uncovered_health_costs():
    def uncovered_share(enabled: bool) -> float:
        totals = [0.0, 0.0]
        for seed in range(3):
            sc = baseline(3000, population={"insured_share": 0.2, "health_event_rate": 0.01},
                          policy={"portable_benefits": {"enabled": enabled, "coverage": 0.8}})
            m = run(sc, 150, seed, debug=False).metrics
            totals[0] += m["uncovered_health_costs"].sum()
            totals[1] += m["health_costs"].sum()
        return totals[0] / totals[1]

    assert uncovered_share(True) < 0.8 * uncovered_share(False)


def test_employee_classification_pays_wages_and_ends_multihoming():
    sc = baseline(1500, behaviour={"multihoming_rate": 0.5}, **_lever("employee_classification", hourly_wage=16.0))
    model = run(sc, 65)
    w = model.workers
    employees = w.employer >= 0
    assert employees.sum() > 0
    assert (w.member[employees].sum(axis=1) == 1).all()
    assert model.metrics["employee_wages"].sum() > 0


def test_retraining_subsidy_makes_upskilling_cheaper_and_faster():
    pushed = {"behaviour": {"upskill_rate": 0.5, "upskill_trigger": 1.0}}
    plain = run(baseline(2000, **pushed), 90, debug=False)
    helped = run(baseline(2000, **pushed, **_lever("retraining_subsidy", subsidy_share=0.75, speedup=0.5)), 90,
                 debug=False)
    assert helped.metrics["retraining_subsidies"].sum() > 0
    assert plain.metrics["retraining_subsidies"].sum() == 0
    assert helped.metrics["upskilling_workers"].max() > 0


def test_cash_transfer_is_funded_by_the_levy():
    sc = baseline(1500, **_lever("cash_transfer", levy=0.03, income_threshold=3000.0, monthly_amount=100.0))
    m = run(sc, 65).metrics
    assert m["transfer_levy"].sum() > 0 and m["cash_transfers"].sum() > 0
    fund = m["transfer_fund"]
    assert fund[-1] == pytest.approx(m["transfer_levy"].sum() - m["cash_transfers"].sum())


def test_newcomer_boost_helps_newcomers_get_their_first_jobs():
    def tasks_per_newcomer(boost: bool) -> float:
        tasks = entrants = 0
        for seed in range(4):
            sc = baseline(2000, behaviour={"entry_rate": 0.3},
                          policy={"newcomer_boost": {"enabled": boost, "boost": 2.0, "tasks": 5}})
            model = run(sc, 100, seed, debug=False)
            w = model.workers
            online = np.isin(w.category, [model.category_names.index(c) for c in ONLINE])
            fresh = (w.first_entry_day >= 0) & online
            tasks += int(w.lifetime_tasks[fresh].sum())
            entrants += int(fresh.sum())
        assert entrants > 100
        return tasks / entrants

    # newcomers (entered during the run) win more tasks when ranking boosts them
    assert tasks_per_newcomer(True) > 1.05 * tasks_per_newcomer(False)


def test_money_identity_holds_with_every_lever_on():
    levers = {name: {"enabled": True} for name in (
        "min_pay", "commission_cap", "portable_benefits", "employee_classification", "newcomer_boost",
        "retraining_subsidy", "cash_transfer")}
    levers["employee_classification"]["platforms"] = ["staybnb"]
    levers["min_pay"]["hourly"] = 40.0  # binding: the session-5 baseline pays above the default 18 per engaged hour
    sc = baseline(1500, policy=levers)
    m = run(sc, 70).metrics  # debug=True checks the identity every day
    split = m["worker_pay"] + m["platform_revenue"] + m["benefit_contributions"] + m["transfer_levy"]
    assert ((m["client_payments"] - split).abs() <= 1e-6 * m["client_payments"].max()).all()
    for column in ("pay_floor_topups", "benefit_contributions", "transfer_levy", "employee_wages",
                   "commission_cap_transfer"):
        assert m[column].sum() > 0, column
