"""Ride-hailing measures: drivers' weekly logged-in hours (weekly panel), their pay and time per logged-in hour
(markets.parquet over the window) and multi-homing (workers.parquet)."""

from __future__ import annotations

import numpy as np

from gigsim.analysis.measures.tables import RIDES, RunTables, market_window, share_of

# --------------------------------------------------------------------------- ride-hailing hours (panel)


def ride_driver_weeks(t: RunTables) -> np.ndarray:
    """Weekly logged-in hours of ride drivers active the whole week, over the window (flat array, hours)."""
    hours = t.week_hours[t.window_weeks]
    cats = t.week_category[t.window_weeks]
    keep = (cats == t.code(RIDES)) & np.isfinite(hours) & (hours > 0)
    return hours[keep]


def ride_hours_up_to_15(t: RunTables) -> float | None:
    """Share of driver-weeks with 15 or fewer logged-in hours (Hall & Krueger's 1-15 h bin)."""
    h = ride_driver_weeks(t)
    return share_of(h <= 15.0)


def ride_hours_35_plus(t: RunTables) -> float | None:
    """Share of driver-weeks with 35 or more logged-in hours (Hall & Krueger's 35-49 and 50+ bins)."""
    h = ride_driver_weeks(t)
    return share_of(h >= 35.0)


def ride_hours_share_35_plus(t: RunTables) -> float | None:
    """Share of all drivers' logged-in hours done in weeks of 35 hours or more."""
    h = ride_driver_weeks(t)
    return float(h[h >= 35.0].sum() / h.sum()) if h.size else None


def ride_mean_weekly_hours(t: RunTables) -> float | None:
    """Mean logged-in hours per driver-week (hours)."""
    h = ride_driver_weeks(t)
    return float(h.mean()) if h.size else None


def ride_weekly_swing(t: RunTables) -> float | None:
    """Share of drivers driving 25% more or less than in the previous week (consecutive full weeks in rides)."""
    hours = t.week_hours[t.window_weeks]
    cats = t.week_category[t.window_weeks]
    if hours.shape[0] < 2:
        return None
    prev, cur = hours[:-1], hours[1:]
    both = (cats[:-1] == t.code(RIDES)) & (cats[1:] == t.code(RIDES)) & (prev > 0) & np.isfinite(cur)
    change = np.abs(cur[both] / prev[both] - 1.0)
    return share_of(change > 0.25)


# --------------------------------------------------------------------------- ride-hailing pay and time


def ride_logged_hours(t: RunTables) -> float:
    """Logged-in hours of active ride drivers over the window (hours)."""
    c = t.code(RIDES)
    return float(t.logged_by_category[t.measure_from:, c].sum()) if c >= 0 else 0.0


def _per_logged_hour(t: RunTables, column: str) -> float | None:
    """A rides column of markets.parquet summed over the window, per logged-in hour of ride drivers."""
    rides = market_window(t, RIDES)
    logged = ride_logged_hours(t)
    return float(rides[column].sum()) / logged if rides.height and logged > 0 else None


def ride_utilisation(t: RunTables) -> float | None:
    """Passenger (task) hours / logged-in hours of ride drivers over the window."""
    return _per_logged_hour(t, "task_hours")


def ride_net_to_gross(t: RunTables) -> float | None:
    """Driver pay after vehicle costs / pay before them (both after commission), over the window."""
    rides = market_window(t, RIDES)
    pay = float(rides["worker_pay"].sum()) if rides.height else 0.0
    return (pay - float(rides["worker_costs"].sum())) / pay if pay > 0 else None


def ride_gross_hourly(t: RunTables) -> float | None:
    """Driver pay after commission, before vehicle costs, per logged-in hour (currency per hour)."""
    return _per_logged_hour(t, "worker_pay")


def ride_net_hourly(t: RunTables) -> float | None:
    """Driver pay after commission and vehicle costs per logged-in hour (currency per hour)."""
    gross, ratio = ride_gross_hourly(t), ride_net_to_gross(t)
    return None if gross is None or ratio is None else gross * ratio


def ride_fare_hourly(t: RunTables) -> float | None:
    """Riders' payments for the trips (before commission) per logged-in hour of ride drivers (currency per hour).

    The model's price is the fare the commission is taken from; it has no booking fee, so its published
    counterpart is Cook et al.'s gross fares per hour (before Uber's commission, after its booking fees)."""
    return _per_logged_hour(t, "client_payments")


def ride_multihoming(t: RunTables) -> float | None:
    """Share of active ride drivers who are members of more than one ride-hailing platform at the end."""
    w = t.workers
    drivers = (w["status"] == "active").to_numpy() & (w["category"] == RIDES).to_numpy()
    return share_of(t.ride_platforms[drivers] > 1)
