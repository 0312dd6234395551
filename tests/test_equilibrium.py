"""Issue 14 item 1, seed by seed: after a pay change participation and hours adjust until hourly earnings move back
toward the outside option, measured as `gigsim calibrate` measures its restrictions (gigsim.analysis.restrictions:
the baseline run to day 120, deep-copied, the copy's ride apps capped at a 5% commission; the two compared over the
same days on one stream)."""

from __future__ import annotations

import numpy as np
import pytest

from gigsim.analysis import restrictions as rs
from tests.helpers import baseline

SEEDS = tuple(range(6))


@pytest.fixture(scope="module")
def pay_rises() -> dict[int, dict]:
    """Per seed: the pay rise's effects and the hours logged in by ride drivers late, treated / control."""
    sc = baseline(5000)
    out = {}
    for seed in SEEDS:
        control, treated, _ = rs.pay_rise_pair(sc, seed, flows=True)
        late = rs.PAY_RISE_WINDOWS["late"]
        hours = [f.filter(f["day"].is_between(*late, closed="left"))["logged"].sum() for f in (treated, control)]
        out[seed] = {**rs.pay_rise_effects(control, treated), "hours_ratio": hours[0] / hours[1],
                     "flows": rs.flow_effects(control, treated), "frames": (control, treated)}
    return out


def test_the_days_moves_in_and_out_account_for_the_change_in_ride_drivers(pay_rises):
    """`ride_flows` counts every worker who becomes or stops being an active driver once: in both worlds, on every
    day, drivers today − drivers yesterday = the day's ins − outs (so the decomposition below misses nobody)."""
    for seed, r in pay_rises.items():
        for frame in r["frames"]:
            ins = sum(frame[name] for name in rs.FLOWS if name.startswith("in_"))
            outs = sum(frame[name] for name in rs.FLOWS if name.startswith("out_"))
            assert ((frame["drivers"].diff() - (ins - outs)).drop_nulls() == 0).all(), seed


def test_the_pay_rise_keeps_drivers_by_fewer_exits_and_more_first_entries(pay_rises):
    """How participation adjusts (equil10; docs/model.md 7.17, "How participation adjusts after a pay rise, and how
    fast"): summed over seeds 0-5 (5,000 workers, days 120-360, pay rise − control) exits from gig work fall and
    first entries rise. Their sizes move with the core: on session 9's core exits −87 against entries +30 (first
    entries +60, returns −30: a returner expects what she earned in her last spell); on session 10's merged core
    (surge from the market's state, rent only on dedicated units) exits −64 against first entries +78, returns −7."""
    total = {name: sum(r["flows"][name] for r in pay_rises.values()) for name in rs.FLOWS}
    assert total["out_left"] < 0, total
    assert total["in_new"] > 0, total


def test_after_a_pay_rise_drivers_enter_log_in_more_and_their_hourly_gain_shrinks(pay_rises):
    """Measured at 5,000 workers on session 10's merged core, seeds 0-7: the rise's effect on drivers' net pay per
    hour logged in +1.86 to +3.90 in month 1 and late drivers 1.053-1.207x the control in every seed; its fall to
    month 8 is positive in 6 of 8 (−1.35 to +1.92, mean +0.43) and hours logged in late 0.98-1.35x the control,
    above 1.05x in 6 of 8 (seeds 5 and 7 are the exceptions on both). The late windows wander with the small ride
    market (equil9: sd of the fall 1.7 over seeds; session 9's core had seed 7 at −0.71), so month 1 and the driver
    ratio are asked of every seed, the fall and the hours of five of the six seeds and of their mean; the
    calibration's two bounds together are the next test (a known miss)."""
    for seed, r in pay_rises.items():
        assert r["pay_rise_effect_month1"] > 1.0, (seed, r)          # drivers keep 95% of the fare, not 75-80%
        assert r["pay_rise_driver_ratio"] > 1.05, (seed, r)         # participation adjusts
    falls = np.array([r["pay_rise_hourly_fall"] for r in pay_rises.values()])
    hours = np.array([r["hours_ratio"] for r in pay_rises.values()])
    assert np.sum(falls > 0) >= 5 and falls.mean() > 0, falls      # hourly earnings move back
    assert np.sum(hours > 1.05) >= 5 and hours.mean() > 1.05, hours  # ...as drivers log in more hours


@pytest.mark.xfail(strict=True, reason=(
    "known miss, issue 14 item 1 (session 9): on the merged core (stays price per booking with the hosts' rent on, "
    "retraining on signal) the calibration's two bounds hold together on 1 of seeds 0-5 (seed 3; 2 of 0-7) — late "
    "drivers 1.085-1.253x the control, mean 1.17 over seeds 0-7 (bound 1.2); the 4-seed re-calibration found no "
    "point feasible on fresh seeds (docs/validation.md, 'Calibration'). Strict: when it holds again, this fails "
    "and the mark must go."))
def test_the_calibrations_two_bounds_hold_together_on_at_least_three_of_six_seeds(pay_rises):
    """The calibration's restriction (a fall of at least 0.3 and late drivers at least 1.2x the control) on at least
    three of seeds 0-5 (session 8's core: seeds 0, 2, 4, 5)."""
    both = [s for s, r in pay_rises.items() if rs.violation({"below_outside_option": 0.0, **r}) == 0]
    assert len(both) >= 3, pay_rises
