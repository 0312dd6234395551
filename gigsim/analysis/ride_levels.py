"""Ride drivers' pay per logged-in hour taken apart into its factors (a diagnostic beside the scorecard).

gross hourly = fare per passenger hour × driver share × utilisation, where the driver share is driver pay (after
commission, with any top-ups) / riders' payments; net hourly = gross hourly − vehicle costs per logged-in hour,
and costs per logged-in hour = cost per engaged hour × engaged share (engaged: passenger + pickup hours; the model
charges vehicle costs on engaged hours only, docs/model.md 7.7). Each factor has a published counterpart read in
Mishel (2018, EPI Table 2: Cook et al.'s gross fares per hour, a 25% commission, $0.32 a mile × 20 miles an hour)
and Cramer & Krueger (2016: passenger hours / working hours), so a level that misses can be traced to the factor
that carries the gap (/work/notes/ridepay5.md). Every function takes a `RunTables` and returns None where the run
does not define the value.
"""

from __future__ import annotations

import polars as pl

from gigsim.analysis.measures import (
    RIDES,
    RunTables,
    ride_fare_hourly,
    ride_gross_hourly,
    ride_logged_hours,
    ride_net_hourly,
    ride_utilisation,
)


def _ratio(t: RunTables, numerator: str, denominator: str) -> float | None:
    """Σ numerator / Σ denominator over the measurement window's rides rows of markets.parquet (None if Σ is 0)."""
    rides = t.markets.filter((pl.col("category") == RIDES) & (pl.col("day") >= t.measure_from))
    below = float(rides[denominator].sum()) if rides.height else 0.0
    return float(rides[numerator].sum()) / below if below > 0 else None


def _per_logged(t: RunTables, numerator: str) -> float | None:
    """Σ numerator over the window's rides rows per logged-in hour of ride drivers (None without logged hours)."""
    rides = t.markets.filter((pl.col("category") == RIDES) & (pl.col("day") >= t.measure_from))
    logged = ride_logged_hours(t)
    return float(rides[numerator].sum()) / logged if rides.height and logged > 0 else None


def fare_per_passenger_hour(t: RunTables) -> float | None:
    """Riders' payments per passenger (task) hour: the price of a trip's hour whatever the utilisation (currency/h)."""
    return _ratio(t, "client_payments", "task_hours")


def driver_share(t: RunTables) -> float | None:
    """Driver pay (after commission, with any top-ups) / riders' payments: one minus the effective commission."""
    return _ratio(t, "worker_pay", "client_payments")


def engaged_share(t: RunTables) -> float | None:
    """Engaged (passenger + pickup) hours / logged-in hours of ride drivers: the hours vehicle costs are charged on."""
    return _per_logged(t, "engaged_hours")


def decomposition(t: RunTables) -> dict[str, float | None]:
    """Every factor of ride drivers' gross and net pay per logged-in hour over the window (module docstring)."""
    return {"fare_per_passenger_hour": fare_per_passenger_hour(t), "driver_share": driver_share(t),
            "utilisation": ride_utilisation(t), "fare_hourly": ride_fare_hourly(t),
            "gross_hourly": ride_gross_hourly(t), "costs_per_logged_hour": _per_logged(t, "worker_costs"),
            "cost_per_engaged_hour": _ratio(t, "worker_costs", "engaged_hours"),
            "engaged_share": engaged_share(t), "net_hourly": ride_net_hourly(t)}
