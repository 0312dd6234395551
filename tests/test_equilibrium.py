"""Issue 14 item 1, seed by seed: after a pay change participation and hours adjust until hourly earnings move back
toward the outside option, measured as `gigsim calibrate` measures its restrictions (gigsim.analysis.restrictions:
the baseline run to day 120, deep-copied, the copy's ride apps capped at a 5% commission; the two compared over the
same days on one stream)."""

from __future__ import annotations

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
        control, treated, _ = rs.pay_rise_pair(sc, seed)
        late = rs.PAY_RISE_WINDOWS["late"]
        hours = [f.filter(f["day"].is_between(*late, closed="left"))["logged"].sum() for f in (treated, control)]
        out[seed] = {**rs.pay_rise_effects(control, treated), "hours_ratio": hours[0] / hours[1]}
    return out


def test_after_a_pay_rise_drivers_enter_log_in_more_and_their_hourly_gain_shrinks_seed_by_seed(pay_rises):
    """Measured at 5,000 workers, seeds 0-5 (docs/validation.md, "Equilibrium restrictions"): the rise's effect
    on drivers' net pay per hour logged in +1.2 to +3.6 in month 1; its fall to month 8 +0.93 to +3.72 (every seed
    at or above the calibration's 0.3); late drivers 1.11-1.42× the control (at or above 1.2 on seeds 0, 2, 4, 5),
    hours logged in 1.15-1.36× on every seed. Per seed the late windows wander with the small ride market (sd of the
    fall 1.7 over seeds 0-7, of the driver ratio 0.10): so each seed is asked for the direction, and the
    calibration's two bounds together on at least three of the six."""
    for seed, r in pay_rises.items():
        assert r["pay_rise_effect_month1"] > 1.0, (seed, r)          # drivers keep 95% of the fare, not 75-80%
        assert r["pay_rise_driver_ratio"] > 1.05, (seed, r)         # participation adjusts
        assert r["hours_ratio"] > 1.05, (seed, r)                   # ...and so do hours logged in
        assert r["pay_rise_hourly_fall"] > 0, (seed, r)             # hourly earnings move back
    both = [s for s, r in pay_rises.items() if rs.violation({"below_outside_option": 0.0, **r}) == 0]
    assert len(both) >= 3, pay_rises
