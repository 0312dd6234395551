"""Scale and the thickness of local ride markets (issue 14 item 8; docs/model.md 7.2, "Surge and the size of a ride
market"): what moves the median with population size is how many drivers a local ride market (app × region) holds."""

from __future__ import annotations

import numpy as np

from benchmarks.scale_invariance import measure, relative

SEEDS = (1, 2, 3)


def test_thin_local_ride_markets_fill_less_and_charge_more_at_the_same_population():
    """1,000 workers in four regions (about 3-4 drivers per app and region) against the same 1,000 in one region
    (about 15): with the same riders per driver, the thin markets' surge walks up on their noise (riders pay more a
    ride) and they fill fewer rides."""
    thin = [measure(1000, seed, 180, {"population": {"regions": 4}}) for seed in SEEDS]
    thick = [measure(1000, seed, 180, {"population": {"regions": 1}}) for seed in SEEDS]
    assert np.mean([r["drivers_per_market"] for r in thick]) > 3 * np.mean([r["drivers_per_market"] for r in thin])
    assert np.mean([r["ride_price"] for r in thin]) > 1.05 * np.mean([r["ride_price"] for r in thick])
    assert np.mean([r["ride_fill"] for r in thin]) < np.mean([r["ride_fill"] for r in thick])


def test_relative_difference_is_null_where_a_side_is_undefined():
    """The benchmark's large-against-small difference: signed percentage, null (never NaN) without a value."""
    assert relative(11.0, 10.0) == "+10.0%"
    assert relative(None, 10.0) == "null"
    assert relative(11.0, None) == "null"
