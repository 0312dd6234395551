"""The surge rule (docs/model.md 7.2): tomorrow's surge in a market is today's ratio of requests (less the part Poisson
noise explains) to capacity raised to `surge_sensitivity`, within [1, surge_cap], with no memory of earlier surges."""

from __future__ import annotations

import numpy as np
import pytest

from gigsim import GigEconomyModel
from gigsim.model.kernels import posting
from tests.helpers import baseline


@pytest.fixture(scope="module")
def market():
    """A 300-worker baseline after one day: (model, rideco's index, rides' index, rideco's idle capacity in rides)."""
    model = GigEconomyModel(baseline(300), rng=1, create_agents=False)
    model.step()
    p, rides = model.platform_names.index("rideco"), model.category_names.index("rides")
    return model, p, rides, model.idle_capacity(p)[rides]


def _update(model, rides, posted_rides, filled_rides, surged_out_rides, start=2.0):
    """Set every surge to `start`, then run the rule on the given rides counts per region (other markets: none)."""
    shape = model.surge.shape
    posted, filled, surged_out = (np.zeros(shape, np.int64) for _ in range(3))
    posted[:, rides], filled[:, rides], surged_out[:, rides] = posted_rides, filled_rides, surged_out_rides
    model.surge[:] = start
    model.update_surge(posted, filled, surged_out)


def test_surge_is_one_wherever_requests_are_within_capacity_whatever_the_noise_and_earlier_surge(market):
    """Random days on which requests (served, left open or priced out) never exceed what the market's drivers
    served or could still serve: every ride market's surge is 1 the next day, even after a surge at 2. A
    multiplicative walk would have kept part of the earlier surge and moved with each day's noise."""
    model, p, rides, idle = market
    draws = np.random.default_rng(0)
    for _ in range(50):
        filled = draws.integers(0, 30, idle.size)
        capacity = filled + idle
        requests = np.floor(capacity * draws.uniform(0, 1, idle.size)).astype(np.int64)
        surged_out = draws.integers(0, np.maximum(requests - filled, 0) + 1)
        posted = np.maximum(requests - surged_out, filled)
        _update(model, rides, posted, filled, surged_out)
        assert np.all(model.surge[p, rides] == 1.0)


def test_excess_requests_set_surge_to_the_ratio_to_capacity_and_priced_out_requests_count(market):
    """More requests n than capacity: surge = ((n − z √n) / capacity) ** sensitivity, the same whether the excess
    was posted and left open or priced out by today's surge (so a surge that prices out the excess holds), capped
    at surge_cap; platforms that do not surge keep theirs."""
    model, p, rides, idle = market
    spec, z = model.config.platforms["rideco"], model.config.rules.market.surge_signal_z
    filled = np.full(idle.size, 8)
    requests = np.round(1.5 * (filled + idle)).astype(np.int64) + 40
    signal = requests - z * np.sqrt(requests)
    expected = np.minimum((signal / (filled + idle)) ** spec.surge_sensitivity, spec.surge_cap)
    _update(model, rides, requests, filled, 0)
    left_open = model.surge[p, rides].copy()
    _update(model, rides, filled, filled, requests - filled)
    assert left_open == pytest.approx(expected)
    assert model.surge[p, rides] == pytest.approx(expected)
    assert np.all(expected > 1.0)
    _update(model, rides, 1000 * requests, filled, 0)
    assert np.all(model.surge[p, rides] == spec.surge_cap)
    others = [q for q, name in enumerate(model.platform_names) if model.config.platforms[name].pricing != "surge"]
    assert others and np.all(model.surge[others] == 2.0)  # the baseline has two surge ride apps


def test_an_excess_that_poisson_noise_explains_is_not_priced_and_a_sustained_one_is(market):
    """Requests one standard error (√capacity) above capacity, as a balanced market's noise gives on many days,
    leave surge at 1; requests twice the capacity raise it. With z = 0 the one-standard-error excess is priced,
    which is the thin markets' noise turned into a price level."""
    model, p, rides, idle = market
    filled = np.full(idle.size, 20)
    capacity = filled + idle
    noisy = np.ceil(capacity + np.sqrt(capacity)).astype(np.int64)
    _update(model, rides, noisy, filled, 0)
    assert np.all(model.surge[p, rides] == 1.0)
    _update(model, rides, 2 * capacity.astype(np.int64) + 10, filled, 0)
    assert np.all(model.surge[p, rides] > 1.0)
    bare = GigEconomyModel(baseline(300, rules={"market": {"surge_signal_z": 0.0}}), rng=1, create_agents=False)
    bare.step()
    _update(bare, rides, noisy, filled, 0)  # the idle capacity differs in this world: compare with its own
    bare_capacity = filled + bare.idle_capacity(p)[rides]
    assert np.all((bare.surge[p, rides] > 1.0) == (noisy > bare_capacity))


def test_posting_counts_the_requests_a_surge_priced_out(market):
    """A ride request whose budget covers the list price but not the surged price is not posted and is counted as
    priced out in its market; one whose budget is below the list price is neither (it would not ride at any
    surge)."""
    model, p, rides, _ = market
    surge = np.ones_like(model.surge)
    surge[p, rides, 0] = 2.0
    params = model.market_params(0)
    list_price = params.base_price[rides] * params.price_multiplier[p]
    n = 3
    category = np.full(n, rides, np.int32)
    platform = np.full(n, p, np.int32)
    # budgets (wtp × budget_median 1 × exp(0)): 1.5 × list (priced out at 2), 0.5 × list (never), 3 × list (posted)
    budget_wtp = np.array([1.5, 0.5, 3.0]) * list_price / params.base_price[rides]
    kept = posting.price_tasks(np.arange(n, dtype=np.int32), np.arange(n, dtype=np.int32), category, platform,
                               np.zeros(n, np.int32), budget_wtp, params, surge, 1.0, 0.0, np.zeros(n))
    assert kept[1].tolist() == [2]
    assert kept[7][p, rides, 0] == 1 and kept[7].sum() == 1


def test_a_sensitivity_beyond_the_float_range_ends_at_the_cap_or_at_one_in_both_paths(market):
    """A scenario may set any sensitivity ≥ 0: with 1e5 the power leaves the float range (numpy overflows, Python
    raises), yet a market with excess requests surges to the cap and one without stays at 1, with no warning, in
    the fast path and in the per-agent reference's power alike (hypothesis found the overflow, session 10)."""
    import warnings

    from gigsim.model.reference.model import _power

    model, p, rides, idle = market
    spec = model.config.platforms[model.platform_names[p]]
    kept = spec.surge_sensitivity
    try:
        object.__setattr__(spec, "surge_sensitivity", 1e5)
        capacity = np.maximum(np.ceil(idle).astype(np.int64), 1)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            _update(model, rides, 10 * capacity + 100, np.zeros_like(capacity), np.zeros_like(capacity))
            assert np.all(model.surge[p, rides] == spec.surge_cap)
            _update(model, rides, np.zeros_like(capacity), np.zeros_like(capacity), np.zeros_like(capacity))
            assert np.all(model.surge[p, rides] == 1.0)
    finally:
        object.__setattr__(spec, "surge_sensitivity", kept)
    assert _power(2.0, 1e5) == np.inf and _power(0.5, 1e5) == 0.0 and _power(np.inf, 0.0) == 1.0
