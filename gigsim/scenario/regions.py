"""Region profiles: where workers and clients live and how their outside option and budget differ by region.

`[[population.region_profiles]]` (one table per region, in region order) is opt-in. Without it every region has
the same traits and workers and clients are spread uniformly over `population.regions` (the draws of the
model before regions could differ, so scenarios without the table give identical outputs). With it, each
region has its own share of workers and of clients and multiplies the population's outside option (reservation
wage), living costs and other income by its own factors; a region may also have its own car and room shares.
docs/model.md section 5 ("Regions") gives the rule and the sources of the shipped `global_freelance` values.

Local work (rides, stays) is matched within a region and online work across all regions (kernels/matching.py),
so a low-cost region competes with the others in online categories only.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np
from pydantic import Field

from gigsim.scenario.base import Share, Strict

Factor = Annotated[float, Field(ge=0.0, le=10.0)]


class RegionProfile(Strict):
    """One region: its share of the world's workers and clients and its money relative to the population's."""

    name: str = ""
    """A label for reports (optional)."""
    worker_share: Share
    """Share of the workers who live in the region (the shares of all regions sum to 1)."""
    client_share: Share
    """Share of the clients who live in the region (sum to 1); a region without clients has no local demand."""
    reservation_wage_factor: Annotated[float, Field(gt=0.0, le=10.0)] = 1.0
    """The region's median outside option as a multiple of `population.reservation_wage`."""
    living_costs_factor: Factor = 1.0
    """The region's mean monthly living costs as a multiple of `population.living_costs` (savings follow)."""
    other_income_factor: Factor = 1.0
    """The region's mean monthly other income as a multiple of `population.other_income_side` and
    `population.other_income_full_time`."""
    car_share: Share | None = None
    """Share of the region's workers with a car (default: `population.car_share`)."""
    room_share: Share | None = None
    """Share of the region's workers with a room to let (default: `population.room_share`)."""


def check_profiles(profiles: list[RegionProfile], regions: int) -> str | None:
    """The problem with a list of region profiles for `regions` regions, or None when it is consistent:
    one profile per region, worker and client shares summing to 1."""
    if len(profiles) != regions:
        return f"has {len(profiles)} profiles but population.regions is {regions}: give one per region"
    for key in ("worker_share", "client_share"):
        total = sum(getattr(p, key) for p in profiles)
        if abs(total - 1.0) > 1e-6:
            return f"{key} must sum to 1 over the regions, got {total:g}"
    return None


def draw_regions(profiles: list[RegionProfile] | None, regions: int, who: str, n: int,
                 rng: np.random.Generator) -> np.ndarray:
    """Each of n workers' (who="worker") or clients' (who="client") region, int32.

    Uniform over the regions without profiles; by the profiles' `worker_share` / `client_share` with them.
    """
    if profiles is None:
        return rng.integers(0, regions, n).astype(np.int32)
    share = np.array([getattr(p, f"{who}_share") for p in profiles], dtype=np.float64)
    return rng.choice(regions, size=n, p=share / share.sum()).astype(np.int32)


def by_region(profiles: list[RegionProfile] | None, field: str, region: np.ndarray,
              default: float) -> np.ndarray | float:
    """Each worker's value of a region trait: `default` (a scalar, so draws stay as before) without profiles;
    the profile's value (a factor, or a share where the profile sets one, else `default`) with them."""
    if profiles is None:
        return default
    values = [getattr(p, field) for p in profiles]
    return np.array([default if v is None else v for v in values], dtype=np.float64)[region]
