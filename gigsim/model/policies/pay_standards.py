"""Pay standards as enacted: New York City's 2019 utilisation-adjusted per-trip minimum and Seattle's 2024
per-engaged-minute-and-mile minimum (docs/model.md, "Policies as enacted").

Both set a minimum payment per trip; the platform tops the worker's share of the price up to it after
settlement. Units: money per trip; hours in the model's hours. A trip's minutes are its hours × 60 and its
miles its hours × `miles_per_hour`. New York counts the passenger trip (the category's `hours_per_task`);
Seattle counts engaged time, from accepting the offer to completing it (task plus pickup hours).
"""

from __future__ import annotations

import numpy as np


def nyc_trip_floor(trip_hours: np.ndarray, utilisation: np.ndarray, per_minute: float, per_mile: float,
                   miles_per_hour: float) -> np.ndarray:
    """NYC 2019: (per_minute × trip minutes + per_mile × trip miles) / utilisation, money per trip.

    `utilisation` is the share of drivers' logged-in time with a passenger (per trip: the rate of the
    trip's sector or platform). Over a logged-in hour at that utilisation the floor pays per_minute × 60 +
    per_mile × miles_per_hour: $17.22 + the per-mile expense allowance with the 2019 defaults.
    """
    per_hour = per_minute * 60.0 + per_mile * miles_per_hour
    return per_hour * trip_hours / np.maximum(utilisation, 1e-9)


def seattle_trip_floor(engaged_hours: np.ndarray, per_minute: float, per_mile: float, miles_per_hour: float,
                       per_offer: float) -> np.ndarray:
    """Seattle 2024: max(per_minute × engaged minutes + per_mile × engaged miles, per_offer), money per offer."""
    return np.maximum((per_minute * 60.0 + per_mile * miles_per_hour) * engaged_hours, per_offer)


def trip_floor_per_agent(standard: str, trip_hours: float, engaged_hours: float, utilisation: float, lever) -> float:
    """Reference (one trip at a time) of the two floors, for the test that compares it with the vectorised rule."""
    if standard == "nyc":
        minutes, miles = trip_hours * 60.0, trip_hours * lever.miles_per_hour
        return (lever.per_minute * minutes + lever.per_mile * miles) / max(utilisation, 1e-9)
    minutes, miles = engaged_hours * 60.0, engaged_hours * lever.miles_per_hour
    return max(lever.per_minute * minutes + lever.per_mile * miles, lever.per_offer)


def topups(floor: np.ndarray, paid: np.ndarray) -> np.ndarray:
    """What the platform adds to a trip's pay so that it reaches the floor (never negative)."""
    return np.maximum(floor - paid, 0.0)
