"""Retirement saving: contributions only where a portable plan or employee status provides them.

- Portable plan (DoorDash's Pennsylvania pilot, 2024): at the end of each quarter (90 days) a platform
  deposits `portable_share` of what a contractor earned on it in the quarter (her share of prices plus
  top-ups), if that came to at least `min_quarterly_earnings`.
- Employees (under employee classification): the employer deposits `employer_rate` of the wages it paid,
  daily.
- Balances earn `annual_return` / 12 at each month's end; withdrawals are not modelled.

The deposits are paid by the platforms: they enter the day's benefit contributions and leave the benefit
fund the same day as benefit payouts into the workers' accounts, so the fund's identity holds.
"""

from __future__ import annotations

import numpy as np

QUARTER_DAYS = 90


def portable_deposits(quarter_pay: np.ndarray, share: float, threshold: float) -> np.ndarray:
    """Deposit (N, P) per worker and platform: share × quarter pay where the quarter's pay ≥ threshold."""
    return np.where(quarter_pay >= threshold, share * quarter_pay, 0.0)


def portable_deposit_per_agent(pay: float, share: float, threshold: float) -> float:
    """Reference for one worker on one platform."""
    return share * pay if pay >= threshold else 0.0


def credit_return(balance: np.ndarray, annual_return: float) -> None:
    """A month's return: balance × (1 + annual_return / 12), in place."""
    balance *= 1.0 + annual_return / 12.0


def book_deposits(model, flows: np.ndarray, by_platform_category: np.ndarray) -> None:
    """Charge deposits (P, C) to the platforms' revenue as benefit contributions paid straight out."""
    total = float(by_platform_category.sum())
    if total == 0.0:
        return
    P = model.n_platforms
    flows[2, :P] -= by_platform_category
    flows[4, :P] += by_platform_category
    model.ledger.day.benefit_payouts += total


def worker_outcomes(balance: np.ndarray, contributed: np.ndarray, pay: np.ndarray, days: int,
                    employer_rate: float) -> dict[str, np.ndarray]:
    """Per-worker columns: balance, contributions per year, and the employee benchmark per year
    (employer_rate × the worker's gig pay, what an employer would have contributed on the same pay)."""
    years = max(days, 1) / 365.0
    return {
        "retirement_balance": balance.copy(),
        "retirement_contributions_per_year": contributed / years,
        "retirement_benchmark_per_year": employer_rate * pay / years,
    }
