"""`[population]`: who lives in the world and how their traits are distributed (opt-in region profiles and past)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_serializer, model_validator

from gigsim.scenario.base import NonNegative, Positive, Share, Strict
from gigsim.scenario.initial import PastMove, PastSpells
from gigsim.scenario.messages import FieldError as _FieldError
from gigsim.scenario.regions import RegionProfile, check_profiles


class PopulationSpec(Strict):
    """Who lives in the world and how their traits are distributed."""

    workers: int = Field(10_000, ge=1, le=50_000_000)
    clients: int = Field(5_000, ge=1, le=50_000_000)
    regions: int = Field(4, ge=1, le=10_000)
    initial_participation: Share = 0.35
    full_time_share: Share = 0.15
    hours_full_time: Annotated[float, Field(gt=0, le=16)] = 7.5
    hours_side: Annotated[float, Field(gt=0, le=16)] = 2.0
    hours_volatility: Annotated[float, Field(ge=0, le=2)] = 0.5
    weekly_hours_volatility: Annotated[float, Field(ge=0, le=2)] = 0.40
    """σ of the weekly lognormal shock (mean 1) to the month's available hours: other jobs' shifts, family and
    study change the time people have from week to week. 0.40 is the σ at which two independent weeks differ by
    more than ±25% with probability 0.65 (Hall & Krueger 2016: 65% of drivers drove 25% more or less than in
    the previous week); docs/model.md section 7.10."""
    other_income_volatility: Annotated[float, Field(ge=0, le=2)] = 0.35
    """σ of the monthly lognormal shock (mean 1) to other income: the coefficient of variation of the median
    family's monthly take-home income is 36% (JPMorgan Chase Institute 2019, "Weathering Volatility 2.0"), and
    sqrt(ln(1 + 0.36²)) = 0.35. Drives months taken off (docs/model.md section 7.11); 0: no shock, no pauses."""
    reservation_wage: Positive = 17.0
    reservation_wage_dispersion: Annotated[float, Field(ge=0, le=2)] = 0.3
    other_income_side: NonNegative = 2600.0
    other_income_full_time: NonNegative = 500.0
    living_costs: NonNegative = 2400.0
    initial_savings_months: NonNegative = 1.5
    age_shares: tuple[Share, Share, Share] = (0.35, 0.45, 0.20)
    autonomy_value: tuple[NonNegative, NonNegative, NonNegative] = (4.0, 2.5, 1.5)
    insured_share: Share = 0.7
    car_share: Share = 0.45
    room_share: Share = 0.15
    single_listing_share: Share = 0.80
    """Share of hosts (workers with a room) who have one listing; the others have 2 or more. LearnAirbnb/Everbooked
    2016 ("The State of Airbnb Hosting", 250,000 US hosts): "80% have one"; docs/model.md 7.9. 1: every host one."""
    listings_per_host: Annotated[float, Field(ge=1, le=50)] = 1.72
    """Mean listings per host: the same sample's 430,000 listings over its 250,000 hosts (1.72); docs/model.md 7.9."""
    listing_type_shares: tuple[Share, Share, Share] = (0.62, 0.35, 0.03)
    """Shares of hosts whose listings are entire homes, private rooms, shared rooms: LearnAirbnb/Everbooked 2016's
    listings ("62% are for entire homes/apartments, and only 3% are for a shared room"); docs/model.md 7.9."""
    dedicated_unit_share: Share = 0.156
    """Share of entire-home hosts whose listings are dedicated units (dwellings they do not live in, whose letting
    forgoes a long-term tenant: the only listings charged `labour_supply.room_rent_nights`); the others let their own
    home while away. FiveThirtyEight 2016 (Airdna, 25 largest US markets): "commercial" whole units rented out 180+
    days a year are 9.7% of all listings; over the 62% of listings that are entire homes, 0.097 / 0.62 = 0.156
    (a lower bound: the 180-day cut is called conservative; docs/model.md 7.9)."""
    listing_type_prices: tuple[Positive, Positive, Positive] = (144.51, 80.67, 51.10)
    """Average nightly rates of the three types (US, 2015: entire 1-bedroom home 144.51, private room 80.67, shared
    room 51.10; city-data.com). Only their ratios matter: a listing's price is its type's over the mean over listings
    (docs/model.md 7.9); equal prices: every listing at the category's price, nothing drawn."""
    second_skill_share: Share = 0.35
    business_client_share: Share = 0.3
    ai_adoption: Share = 0.5
    willingness_to_pay: Annotated[float, Field(gt=0, le=10)] = 1.35
    health_event_rate: Annotated[float, Field(ge=0, le=1)] = 0.0015
    health_event_cost: NonNegative = 1200.0
    pool_renewal_rate: Annotated[float, Field(ge=0, le=0.5)] = 0.033
    """Monthly share of the pool of potential workers replaced: round(rate × workers) people who are not
    participating leave the pool and as many fresh draws from this population arrive (life-course turnover;
    JOLTS total separations rate, 3.3% of employment a month in June 2009; docs/model.md section 7.11)."""
    region_profiles: list[RegionProfile] | None = None
    """Opt-in: one profile per region (shares of workers and clients, outside option, living costs, other
    income); without it regions are alike and drawn uniformly (gigsim/scenario/regions.py)."""
    past_moves: list[PastMove] | None = None
    """Opt-in: the initial pool's past category moves (gigsim/scenario/initial.py); without it nobody has a past."""
    past_spells: PastSpells | None = None
    """Opt-in: former participants in the initial pool (gigsim/scenario/initial.py); without it nobody has left."""

    @model_validator(mode="after")
    def _shares_sum(self) -> PopulationSpec:
        if abs(sum(self.age_shares) - 1.0) > 1e-6:
            raise _FieldError("age_shares", f"must sum to 1, got {sum(self.age_shares):g}")
        if abs(sum(self.listing_type_shares) - 1.0) > 1e-6:
            raise _FieldError("listing_type_shares", f"must sum to 1, got {sum(self.listing_type_shares):g}")
        if self.single_listing_share < 1 and self.listings_per_host < 2 - self.single_listing_share:
            raise _FieldError("listings_per_host", f"must be at least 2 - single_listing_share "
                              f"({2 - self.single_listing_share:g}): multi-listing hosts have 2 or more")
        if self.region_profiles is not None:
            problem = check_profiles(self.region_profiles, self.regions)
            if problem:
                raise _FieldError("region_profiles", problem)
        return self

    @model_serializer(mode="wrap")
    def _omit_absent_profiles(self, handler):
        """Leave the opt-in tables (`region_profiles`, `past_moves`, `past_spells`) out of the dump when absent, so
        scenarios without them keep their content hash."""
        data = handler(self)
        for key in ("region_profiles", "past_moves", "past_spells"):
            if isinstance(data, dict) and data.get(key, 0) is None:
                data.pop(key)
        return data

