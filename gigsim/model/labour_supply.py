"""Labour supply: hours, entry, exit and asking prices as responses to earnings against the outside option.

Pure functions of arrays (one value per worker), so each rule can be tested on a hand-built state of a
few workers; gigsim.model.decisions applies them to the model. Sources and the rules in words:
docs/model.md sections 7.10 (weekly) and 7.11 (monthly).
"""

from __future__ import annotations

import numpy as np

from gigsim.model.vocabulary import EXIT_REASONS, NOT_LEFT, ExitReason

__all__ = ["DAY_HOURS_MAX", "DAY_HOURS_MIN", "EXIT_EARNINGS", "EXIT_POLICY", "EXIT_RANDOM", "EXIT_REASONS",
           "EXIT_SAVINGS", "HOURS_HISTORY_WEEKS", "NOT_LEFT", "ask_factor", "entry_fees", "exit_reasons",
           "fixed_cost_per_hour", "hour_value_ratio", "income_factor", "intertemporal_factor", "market_move",
           "month_reservation_wage", "offered_share",
           "paused_this_month", "push_week", "sigmoid", "target_hours", "update_usual", "weekly_availability",
           "weekly_hours"]

EXIT_EARNINGS, EXIT_SAVINGS, EXIT_RANDOM, EXIT_POLICY = (ExitReason.EARNINGS, ExitReason.SAVINGS, ExitReason.RANDOM,
                                                       ExitReason.POLICY)
"""Short names of the exit reasons (gigsim.model.vocabulary.ExitReason), for the rules and their tests."""

DAY_HOURS_MIN, DAY_HOURS_MAX = 0.25, 16.0
"""Bounds of a worker's available hours per day after the monthly and weekly shocks (a quarter of an hour; 16 h
leaves 8 h of sleep); set by hand."""

HOURS_HISTORY_WEEKS = 4
"""Weeks of logged-in hours kept per worker (`weekly_hours_last_4w` in workers.parquet)."""


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + e^−x)."""
    return 1.0 / (1.0 + np.exp(-np.clip(x, -50, 50)))


def hour_value_ratio(hourly: np.ndarray, autonomy: np.ndarray, reservation: np.ndarray) -> np.ndarray:
    """What an hour of gig work is worth against the outside option: (net hourly + autonomy value) / reservation.

    Negative values count as 0; unknown earnings (NaN: nothing logged lately) give NaN.
    """
    value = np.maximum(hourly + autonomy, 0.0)
    return value / np.maximum(reservation, 1e-9)


def target_hours(hourly: np.ndarray, autonomy: np.ndarray, reservation: np.ndarray, available: np.ndarray,
                 elasticity: float, min_share: float, distressed: np.ndarray) -> np.ndarray:
    """Hours per day a worker wants to offer this week.

    All her available hours when an hour of gig work (net hourly earnings + autonomy value) is worth at least
    her reservation wage; below it hours fall with elasticity ε: available × ratio^ε, never below `min_share` ×
    available. A worker whose savings are negative (`distressed`) offers all her available hours (income
    smoothing), and so does one whose earnings are unknown (she has to work to learn them).
    """
    ratio = hour_value_ratio(hourly, autonomy, reservation)
    share = np.clip(np.where(np.isfinite(ratio), ratio, 1.0) ** elasticity, min_share, 1.0)
    return available * np.where(distressed, 1.0, share)


def weekly_availability(month_hours: np.ndarray, z: np.ndarray, sigma: float) -> np.ndarray:
    """This week's available hours per day: the month's × a mean-one lognormal shock exp(σz − σ²/2), within bounds.

    Other jobs' shifts, family and study move the time people have from week to week (σ =
    `population.weekly_hours_volatility`; 0 leaves the month's hours). Bounds: DAY_HOURS_MIN, DAY_HOURS_MAX.
    """
    return np.clip(month_hours * np.exp(sigma * z - sigma**2 / 2), DAY_HOURS_MIN, DAY_HOURS_MAX)


def intertemporal_factor(current: np.ndarray, usual: np.ndarray, elasticity: float) -> np.ndarray:
    """Hours multiplier from a transitory wage: (current / usual net hourly earnings)^ε, within [0.5, 2].

    Intertemporal substitution (Frisch elasticity ε): a worker gives more of her time while gig work pays more than
    it usually does and less while it pays less; a lasting change becomes her usual wage and the response fades.
    1 where either is unknown (NaN) or not positive. The bounds (at most doubling or halving a week's time) are set
    by hand, for earnings measured over a few days.
    """
    ok = np.isfinite(current) & np.isfinite(usual) & (current > 0) & (usual > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(ok, current / np.where(ok, usual, 1.0), 1.0)
    return np.clip(ratio ** elasticity, 0.5, 2.0)


def update_usual(usual: np.ndarray, current: np.ndarray, days: float, elapsed: float = 7.0) -> None:
    """Move a slow average `elapsed`/`days` of the way toward the current value (in place; an EWMA updated weekly)."""
    usual += (min(elapsed / days, 1.0) * (current - usual)).astype(usual.dtype)


def offered_share(offered: np.ndarray, available: np.ndarray) -> np.ndarray:
    """Share of the available hours a worker offers (1 where none are available)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(available > 0, np.minimum(offered / np.maximum(available, 1e-9), 1.0), 1.0)


def ask_factor(engaged: np.ndarray, logged: np.ndarray, target: float, step: float) -> np.ndarray:
    """Weekly multiplicative change of a freelancer's ask from her own utilisation u = engaged / logged hours.

    factor = 1 + step × clip((u − target) / max(target, 1 − target), −1, 1): above the target she is busier than
    she wants and raises her price, below it she cuts it; at most ± `step` a week. 1 where she logged no hours.
    The rule reads only her own hours, not how many proposals she sent, so the ask does not depend on the
    number of applications a platform allows.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        u = np.where(logged > 0, engaged / np.maximum(logged, 1e-9), target)
    scale = max(target, 1.0 - target, 1e-9)
    return 1.0 + step * np.clip((u - target) / scale, -1.0, 1.0)


def exit_reasons(u: np.ndarray, gap: np.ndarray, broke: np.ndarray, stranded: np.ndarray, random_rate: float,
                 earnings_rate: float, sensitivity: float) -> np.ndarray:
    """Each worker's reason to leave this month, or NOT_LEFT (one uniform `u` per worker).

    In order: random (u < q), earnings (q ≤ u < q + ρ σ(−s·gap)), savings (below the credit limit), policy
    (no platform to work on); q = `random_rate`, ρ = `earnings_rate`, s = `sensitivity`, gap = expected net
    hourly + autonomy value − reservation wage (currency per hour).
    """
    random_exit = u < random_rate
    earnings_exit = ~random_exit & (u < random_rate + earnings_rate * sigmoid(-sensitivity * gap))
    return np.select([random_exit, earnings_exit, broke, stranded],
                     [EXIT_RANDOM, EXIT_EARNINGS, EXIT_SAVINGS, EXIT_POLICY], NOT_LEFT).astype(np.int8)


def income_factor(z: np.ndarray, sigma: float) -> np.ndarray:
    """This month's other income as a multiple of her usual: a mean-one lognormal factor exp(σz − σ²/2).

    σ = `population.other_income_volatility` (JPMorgan Chase Institute 2019: the median family's monthly take-home
    income varies with a coefficient of variation of 36%; docs/model.md section 7.11).
    """
    return np.exp(sigma * z - sigma**2 / 2)


def month_reservation_wage(reservation: np.ndarray, other_income: np.ndarray, factor: np.ndarray,
                           gig_income: np.ndarray) -> np.ndarray:
    """The reservation wage (currency per hour) for this month: reservation × this month's / usual income.

    Income = other income (× this month's `factor`) + her usual monthly gig earnings `gig_income` (≥ 0). With log
    utility of consumption and consumption = this month's income (most families lack a buffer), the money value
    of an hour of her time is proportional to income: a month of high other income makes the gig hour worth less
    to her, a dip makes it worth more. factor = 1 leaves the reservation wage.
    """
    usual = np.maximum(other_income + gig_income, 1e-9)
    month = other_income * factor + gig_income
    return reservation * (month / usual)  # exactly the reservation wage when the factor is 1


def fixed_cost_per_hour(cost: float | np.ndarray, day_hours: np.ndarray, days: float) -> np.ndarray:
    """A fixed cost of being active for a month (currency per month; one for all, or one each) spread over the
    month's hours (per hour).

    `day_hours` is her available hours per day (her usual ones for the lasting comparison, this month's for this
    month's), `days` the days in a month. A month with few hours carries the same cost over fewer of them, so an hour
    of gig work is worth less in it. 0 when the cost is 0.
    """
    return cost / np.maximum(np.asarray(day_hours, dtype=np.float64) * days, 1e-9)


def paused_this_month(usual_gap: np.ndarray, month_gap: np.ndarray) -> np.ndarray:
    """Bool (N): workers who take this month off (and keep their accounts, ratings and platforms).

    The entry and exit rule's comparison, gap = expected net hourly + autonomy value − reservation wage, made with
    this month's reservation wage (`month_gap`) instead of the usual one (`usual_gap`): she pauses when this month's
    is negative while her usual one is not. A usual gap below zero is a lasting reason, the exit rule's business;
    with no income shock the two gaps are equal and nobody pauses. A paused worker returns at the first monthly
    round at which this month's gap is not negative.
    """
    return (usual_gap >= 0) & (month_gap < 0)


def market_move(round_days: np.ndarray, round_pay: np.ndarray, exit_day: np.ndarray, category: np.ndarray,
                pay_now: np.ndarray) -> np.ndarray:
    """(N) currency per hour: how far each leaver's category's market pay has moved since she left.

    `round_days` (R,) are the monthly rounds' days (ascending) and `round_pay` (R, C) the category means of active
    workers' trailing net hourly earnings logged at them; `exit_day` (N) the day each worker left, `category` (N)
    hers, `pay_now` (C) the means now. The move is pay_now − the mean at the last round on or before her exit day;
    0 where there is no such round or either mean is 0 (nobody worked), and for rows with no category. Only leavers'
    rows are meaningful: the caller passes them (docs/model.md 7.11, "What a returner expects").
    """
    move = np.zeros(exit_day.size)
    if round_days.size == 0:
        return move
    at = np.searchsorted(round_days, exit_day, side="right") - 1
    who = np.flatnonzero((category >= 0) & (at >= 0))
    then = round_pay[at[who], category[who]]
    now = np.asarray(pay_now, dtype=np.float64)[category[who]]
    ok = (then > 0) & (now > 0)
    move[who[ok]] = now[ok] - then[ok]
    return move


def entry_fees(serves: np.ndarray, open_now: np.ndarray, fees: np.ndarray) -> np.ndarray:
    """(C,) the cheapest onboarding fee among open platforms serving each category (inf where none is open).

    `serves` is (P, C), `open_now` (P,) and `fees` (P,). An outsider enters only if her savings cover it.
    """
    table = np.where(serves & open_now[:, None], fees[:, None], np.inf)
    return table.min(axis=0) if table.size else np.full(serves.shape[1], np.inf)


def push_week(history: np.ndarray, week: np.ndarray) -> None:
    """Shift the weekly hours history one week left and put this week's logged-in hours last (in place)."""
    history[:, :-1] = history[:, 1:]
    history[:, -1] = week


def weekly_hours(history: np.ndarray) -> np.ndarray:
    """Mean logged-in hours per week over the history's weeks (weeks not active count as 0)."""
    return history.sum(axis=1) / history.shape[1]
