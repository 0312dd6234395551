"""Clients' outside option: the budget (reservation-price) distribution derived from demand evidence.

A demanded task is posted if its price is within the client's budget R for it, else the client takes its
outside option (not buying, or buying offline). With R lognormal (log-median μ, log-sd σ, in units of the
price the client faces), the share posted at price p is S(p) = 1 − Φ(x), x = (ln p − μ)/σ, and

    price elasticity of posted demand   ε = −φ(x) / (σ (1 − Φ(x)))
    consumer surplus per unit spent     E[R − p | R ≥ p] / p = e^{μ + σ²/2} Φ(σ − x) / (p (1 − Φ(x))) − 1.

Two published numbers pin (μ, σ) at the baseline price (p = 1, platform multiplier 1): the elasticity
(−0.54, Madanizadeh 2022, regression discontinuity at Tapsi's surge boundaries, 6-hour horizon; Cohen,
Hahn, Hall, Levitt & Metcalfe 2016 find UberX demand inelastic) and the surplus per dollar spent (1.60,
Cohen et al. 2016). docs/model.md 7.2 has the sources and the values.
"""

from __future__ import annotations

import math

from scipy.optimize import fsolve
from scipy.stats import norm

RIDE_DEMAND_ELASTICITY = -0.54
"""Madanizadeh (2022), Tapsi (Tehran), 6-hour horizon: read in the `pages` corpus (sources in docs/model.md)."""
SURPLUS_PER_DOLLAR = 1.60
"""Cohen, Hahn, Hall, Levitt & Metcalfe (2016), UberX, four US cities, 2015."""
CLIENT_WTP_LOG_SD = 0.2
CLIENT_WTP_LOG_SHIFT = -0.02
"""gigsim/model/population.py draws a client's wtp = willingness_to_pay × exp(0.2 z − 0.02)."""


def elasticity(mu: float, sigma: float, price: float = 1.0) -> float:
    """Point price elasticity of the share of lognormal(μ, σ) budgets at or above `price`."""
    x = (math.log(price) - mu) / sigma
    return -norm.pdf(x) / (sigma * norm.sf(x))


def surplus_per_unit_spent(mu: float, sigma: float, price: float = 1.0) -> float:
    """E[R − p | R ≥ p] / p for R ~ lognormal(μ, σ): the buyers' surplus per unit of money they spend."""
    x = (math.log(price) - mu) / sigma
    return math.exp(mu + sigma * sigma / 2) * norm.sf(x - sigma) / (price * norm.sf(x)) - 1.0


def budget_lognormal(target_elasticity: float = RIDE_DEMAND_ELASTICITY,
                     target_surplus: float = SURPLUS_PER_DOLLAR) -> tuple[float, float]:
    """(μ, σ) of the lognormal budget, in units of the price, with these elasticity and surplus per unit spent."""
    def gap(v):
        return [elasticity(v[0], abs(v[1])) - target_elasticity, surplus_per_unit_spent(v[0], abs(v[1])) - target_surplus]
    mu, sigma = fsolve(gap, [0.5, 0.8], xtol=1e-12)
    return float(mu), abs(float(sigma))


def budget_rules(willingness_to_pay: float = 1.35) -> tuple[float, float]:
    """(budget_median, budget_dispersion) of [rules.clients]: the per-task draw that, on top of the clients'
    own wtp (population.py), gives the derived lognormal budget at the baseline price."""
    mu, sigma = budget_lognormal()
    client_log_median = math.log(willingness_to_pay) + CLIENT_WTP_LOG_SHIFT
    return math.exp(mu - client_log_median), math.sqrt(sigma * sigma - CLIENT_WTP_LOG_SD ** 2)
