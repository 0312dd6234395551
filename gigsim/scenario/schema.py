"""The scenario schema: every table of a scenario file, its bounds and its cross-field checks.

Validation is strict: unknown keys are refused with a suggestion, every number is range-checked, and
cross-references (a platform's categories, an automation path's category) must exist.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, model_serializer, model_validator

from gigsim.model.vocabulary import MATCHING_RULES, PRICING_RULES
from gigsim.scenario.messages import FieldError as _FieldError
from gigsim.scenario.messages import RefError as _RefError
from gigsim.scenario.messages import _bounds, _strip_optional
from gigsim.scenario.messages import is_number as _is_number
from gigsim.scenario.rules import RulesSpec

Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]
Day = Annotated[int, Field(ge=0, le=100_000)]


class Strict(BaseModel):
    """Base for every table: unknown keys are errors, values are checked on assignment, numbers are finite."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _no_booleans_for_numbers(cls, data: Any) -> Any:
        """Refuse `true`/`false` where a number belongs (pydantic would read them as 1 and 0)."""
        if not isinstance(data, dict):
            return data
        for key, value in data.items():
            if key not in cls.model_fields:
                continue
            annotation = cls.model_fields[key].annotation
            if isinstance(value, bool) and _is_number(annotation):
                raise _FieldError(str(key), f"must be a number, got {str(value).lower()}")
            container = _strip_optional(annotation)  # e.g. `list[int] | None`
            if isinstance(value, list | tuple) and get_origin(container) in (list, tuple):
                if all(_is_number(arg) for arg in get_args(container) if arg is not Ellipsis):
                    for i, item in enumerate(value):
                        if isinstance(item, bool):
                            raise _FieldError(f"{key}[{i}]", f"must be a number, got {str(item).lower()}")
            hi = _bounds(cls, (key,))[1]
            huge = _first_huge(value, str(key)) if hi is None or hi <= MAX_MAGNITUDE else None
            if huge is not None:
                raise _FieldError(huge, f"must be at most {MAX_MAGNITUDE:g} in size, got {_get(value, huge):g} "
                                        "(larger numbers overflow the model's money and hour columns)")
        return data


MAX_MAGNITUDE = 1e9
"""The largest size of a number whose field has no upper bound of its own (money, hours, rates, weights).

Measured: 1e300 in any money or hours field overflows the model's 32-bit columns (NaN outputs, overflow
warnings); 1e9 in every such field, one at a time, runs cleanly (issue 17)."""


def _first_huge(value: Any, where: str) -> str | None:
    """The path (`key`, `key[i]`, `key[i][j]`) of the first number in `value` larger than MAX_MAGNITUDE in size."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return where if abs(value) > MAX_MAGNITUDE else None
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            found = _first_huge(item, f"{where}[{i}]")
            if found is not None:
                return found
    return None


def _get(value: Any, path: str) -> float:
    """The number at `key[i][j]` inside `value` (the key itself is `value`)."""
    for index in path.split("[")[1:]:
        value = value[int(index.rstrip("]"))]
    return float(value)



# --------------------------------------------------------------------------- paths


class TimePath(Strict):
    """A level over time (per day): constant, linear, logistic, or (day, level) points.

    - constant: `level` every day.
    - linear: `start_level` before `start`, `end_level` after `end`, linear between.
    - logistic: `start_level + (end_level - start_level) / (1 + exp(-steepness * (day - midpoint)))`.
    - points: piecewise-linear through `points = [[day, level], ...]`, flat outside.
    """

    shape: Literal["constant", "linear", "logistic", "points"] = "constant"
    level: NonNegative = 0.0
    start: Day = 0
    end: Day = 365
    start_level: NonNegative = 0.0
    end_level: NonNegative = 0.0
    midpoint: Day = 180
    steepness: Positive = 0.05
    points: list[tuple[Day, NonNegative]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_shape(self) -> TimePath:
        if self.shape == "linear" and self.end <= self.start:
            raise _FieldError("end", f"must be after start ({self.start}), got {self.end}")
        if self.shape == "points":
            if not self.points:
                raise _FieldError("points", "shape 'points' needs at least one (day, level) point")
            days = [d for d, _ in self.points]
            if days != sorted(days) or len(set(days)) != len(days):
                raise _FieldError("points", f"must have strictly increasing days, got days {days}")
        return self

    def max_level(self) -> float:
        """The highest level the path ever reaches."""
        if self.shape == "constant":
            return self.level
        if self.shape == "points":
            return max(level for _, level in self.points)
        return max(self.start_level, self.end_level)


def _share_path(path: TimePath, what: str) -> TimePath:
    """Refuse a path that is a share (0..1) but rises above 1; the error names the path's field."""
    if path.max_level() > 1.0:
        raise _FieldError(what, f"must stay between 0 and 1, but reaches {path.max_level():g}")
    return path


# --------------------------------------------------------------------------- world

from gigsim.scenario import initial as _initial  # noqa: E402  (past moves build on Strict, defined above)
from gigsim.scenario import regions as _regions  # noqa: E402  (region profiles build on Strict, defined above)


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
    region_profiles: list[_regions.RegionProfile] | None = None
    """Opt-in: one profile per region (shares of workers and clients, outside option, living costs, other
    income); without it regions are alike and drawn uniformly (gigsim/scenario/regions.py)."""
    past_moves: list[_initial.PastMove] | None = None
    """Opt-in: the initial pool's past category moves (gigsim/scenario/initial.py); without it nobody has a past."""
    past_spells: _initial.PastSpells | None = None
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
            problem = _regions.check_profiles(self.region_profiles, self.regions)
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


class CategorySpec(Strict):
    """One kind of task and its economics (prices in currency, time in hours)."""

    enabled: bool = True
    kind: Literal["local", "online"] = "online"
    asset: Literal["car", "room"] | None = None
    base_price: Positive = 40.0
    hours_per_task: Annotated[float, Field(gt=0, le=200)] = 2.0
    asset_days_per_task: Annotated[int, Field(ge=0, le=60)] = 0
    cost_per_hour: NonNegative = 0.0
    pickup_hours: NonNegative = 0.0
    pickup_max_hours: Annotated[float, Field(ge=0, le=24)] = 0.0
    """Longest pickup the idle-driver density rule may set (hours; 0: the rule off, every match's mean pickup is
    `pickup_hours`). Rule (docs/model.md 7.5, "Pickup and the density of idle drivers"): the mean pickup in a market
    rises as the idle driver-hours per open request fall, pickup_hours × √(reference idle hours / idle hours), the
    reference from Schaller's between-trip share; Castillo, Knoepfle & Weyl's wild goose chase. The cap is set by hand.
    """
    automation_ceiling: Share = 0.0
    worker_share: Share = 0.2
    client_share: Share = 0.3
    demand_per_client: NonNegative = 0.1
    ai_cost_per_task: NonNegative = 5.0
    new_tasks_per_automated_task: NonNegative = 0.0
    new_tasks_from: list[str] = Field(default_factory=list)
    direct_rehire: bool = True
    queue_days: Annotated[float, Field(ge=0, le=30)] = 0.0
    """Days of a worker's logged-in hours she may commit beyond today (days; 0: only what fits today).

    Rule: a worker whose category has queue_days = q starts the day with hours left = (1 + q) × hours offered
    − backlog, and takes a task if those cover it (or she is fresh: no backlog). Online projects are delivered
    over days, so a freelancer can hold more work than today's hours; where clients rank applicants by
    reputation, the best-ranked fill that room first. 0 (same-day work: rides, stays) is the rule without it.
    """
    productivity_ratio: Annotated[float, Field(ge=1, le=10)] = 1.0
    """How much longer the slower half of the category's workers take over a task than the faster half (ratio of
    the two halves' median hours; 1: every worker takes `hours_per_task`).

    Rule (docs/model.md 7.5): a worker of skill s takes hours_per_task × exp(−β (s − s̃)) over a task, s̃ the median
    and β = ln(ratio) / (interquartile range) of the primary-skill distribution, so the median worker takes the
    category's hours. Prechelt (1999) puts the slower half of programmers at about twice the faster half's time.
    """


class PlatformSpec(Strict):
    """A marketplace: what it serves, what it charges and how it matches."""

    enabled: bool = True
    categories: list[str] = Field(min_length=1)
    commission: Share = 0.2
    pricing: Literal[PRICING_RULES] = "fixed"
    price_multiplier: Annotated[float, Field(gt=0, le=10)] = 1.0
    surge_sensitivity: NonNegative = 0.5
    surge_cap: Annotated[float, Field(ge=1, le=10)] = 2.5
    matching: Literal[MATCHING_RULES] = "random"
    matching_rounds: Annotated[int, Field(ge=1, le=1000)] = 24
    applications_per_round: Annotated[int, Field(ge=1, le=50)] = 1
    newcomer_boost: NonNegative = 0.0
    newcomer_tasks: Annotated[int, Field(ge=0, le=1000)] = 5
    rating_prior_mean: Annotated[float, Field(ge=1, le=5)] = 3.0
    rating_prior_weight: NonNegative = 3.0
    onboarding_cost: NonNegative = 50.0
    initial_share: Share = 0.5
    launch_day: Day = 0


class NetworkSpec(Strict):
    """The worker social network and the client network (for platform word of mouth)."""

    kind: Literal["small_world", "scale_free"] = "small_world"
    mean_degree: Annotated[int, Field(ge=2, le=200)] = 8
    rewiring: Share = 0.1
    client_mean_degree: Annotated[int, Field(ge=2, le=200)] = 6


class DemandSpec(Strict):
    """Baseline demand: level, trend, weekly and yearly seasonality (multiplicative)."""

    level: NonNegative = 1.0
    trend_per_year: Annotated[float, Field(ge=-0.9, le=10)] = 0.0
    weekly: list[NonNegative] = Field(default_factory=lambda: [1.0] * 7, min_length=7, max_length=7)
    yearly_amplitude: Share = 0.0
    yearly_peak_day: Annotated[int, Field(ge=0, le=365)] = 355


class ShockSpec(Strict):
    """A demand shock: multiplies demand by `size` in the hit categories and regions.

    Shapes: `step` (size from start to end), `ramp` (linear from 1 to size over
    `ramp_days`, held to the end), `decay` (jumps to size, recovers toward 1 with
    `half_life_days`, until the end if one is given).
    """

    name: str = ""
    start: Day
    duration: Annotated[int, Field(ge=1, le=100_000)] | None = None
    end: Day | None = None
    categories: list[str] | Literal["all"] = "all"
    regions: list[Annotated[int, Field(ge=0)]] | None = None
    size: Annotated[float, Field(ge=0, le=20)]
    shape: Literal["step", "ramp", "decay"] = "step"
    ramp_days: Annotated[int, Field(ge=1, le=100_000)] = 30
    half_life_days: Annotated[float, Field(gt=0, le=100_000)] = 90.0

    @model_validator(mode="after")
    def _check_window(self) -> ShockSpec:
        if self.duration is not None and self.end is not None:
            raise _FieldError("end", "give either duration or end, not both")
        if self.end is not None and self.end <= self.start:
            raise _FieldError("end", f"a shock must end after it starts (start = {self.start}), got {self.end}")
        if self.shape != "decay" and self.duration is None and self.end is None:
            raise _FieldError("duration", f"a '{self.shape}' shock needs a duration or an end")
        return self

    @property
    def end_day(self) -> int | None:
        """First day after the shock (None: it never ends)."""
        if self.end is not None:
            return self.end
        if self.duration is not None:
            return self.start + self.duration
        return None


class AutomationSpec(Strict):
    """AI in one category: its exposure (share of tasks it can technically do), cost, quality, augmentation.

    Take-up is not set here: a client uses AI for an exposed task when AI's cost plus its quality gap is
    below the human price (docs/model.md 7.3, gigsim/model/automation.py).
    """

    level: TimePath = Field(default_factory=TimePath)
    """Exposure: the share of the category's tasks AI can technically do (capped by automation_ceiling)."""
    ai_cost_per_task: TimePath | None = None
    """AI's cost per task to the client (currency; unset: the category's constant ai_cost_per_task)."""
    quality: TimePath | None = None
    """AI's quality in the workers' skill units (0..1; unset: the expected human quality, no quality gap)."""
    augmentation: TimePath = Field(default_factory=TimePath)
    augmentation_gain: Annotated[float, Field(ge=0, le=10)] = 0.5

    @model_validator(mode="after")
    def _levels_are_shares(self) -> AutomationSpec:
        _share_path(self.level, "level")
        _share_path(self.augmentation, "augmentation")
        if self.quality is not None:
            _share_path(self.quality, "quality")
        return self


# --------------------------------------------------------------------------- policy


class Lever(Strict):
    enabled: bool = False
    start: Day = 0


class MinPayLever(Lever):
    """Minimum pay per engaged hour; platforms top up and respond."""

    hourly: NonNegative = 18.0
    response: Literal["none", "raise_prices", "cap_onboarding"] = "raise_prices"


class CommissionCapLever(Lever):
    """Commissions of the named platforms (or all) may not exceed `cap` (share of the price)."""

    cap: Share = 0.15
    platforms: list[str] | Literal["all"] = "all"


class PortableBenefitsLever(Lever):
    """A per-task contribution (paid by the platform) into a fund that pays covered workers' health costs."""

    contribution_per_task: NonNegative = 0.6
    coverage: Share = 0.8
    min_tasks_per_month: Annotated[int, Field(ge=0)] = 4


class EmployeeLever(Lever):
    """Workers of the named platforms (or all) become employees paid per logged-in hour."""

    hourly_wage: NonNegative = 16.0
    platforms: list[str] | Literal["all"] = "all"
    hours_per_employee: Annotated[float, Field(gt=0, le=16)] = 6.0


class NewcomerBoostLever(Lever):
    boost: NonNegative = 1.0
    tasks: Annotated[int, Field(ge=1, le=1000)] = 5


class RetrainingLever(Lever):
    subsidy_share: Share = 0.75
    speedup: Annotated[float, Field(ge=0, le=0.9)] = 0.3


class CashTransferLever(Lever):
    """A levy on client payments (paid by platforms) funding monthly transfers to low-income gig workers."""

    levy: Share = 0.02
    income_threshold: NonNegative = 1800.0
    monthly_amount: NonNegative = 250.0


from gigsim.scenario import levers  # noqa: E402  (the levers build on Lever, defined above)


class PolicySpec(Strict):
    min_pay: MinPayLever = Field(default_factory=MinPayLever)
    commission_cap: CommissionCapLever = Field(default_factory=CommissionCapLever)
    portable_benefits: PortableBenefitsLever = Field(default_factory=PortableBenefitsLever)
    employee_classification: EmployeeLever = Field(default_factory=EmployeeLever)
    newcomer_boost: NewcomerBoostLever = Field(default_factory=NewcomerBoostLever)
    retraining_subsidy: RetrainingLever = Field(default_factory=RetrainingLever)
    cash_transfer: CashTransferLever = Field(default_factory=CashTransferLever)
    nyc_pay_standard: levers.NycPayStandardLever = Field(default_factory=levers.NycPayStandardLever)
    seattle_pay_standard: levers.SeattlePayStandardLever = Field(default_factory=levers.SeattlePayStandardLever)
    retirement: levers.RetirementLever = Field(default_factory=levers.RetirementLever)
    portable_ratings: levers.PortableRatingsLever = Field(default_factory=levers.PortableRatingsLever)
    employment: levers.EmploymentLever = Field(default_factory=levers.EmploymentLever)
    minimum_ask: levers.MinimumAskLever = Field(default_factory=levers.MinimumAskLever)
    vehicle_licence_cap: levers.VehicleLicenceCapLever = Field(default_factory=levers.VehicleLicenceCapLever)
    unemployment_assistance: levers.UnemploymentAssistanceLever = Field(
        default_factory=levers.UnemploymentAssistanceLever)
    infection_risk: levers.InfectionRiskLever = Field(default_factory=levers.InfectionRiskLever)


# --------------------------------------------------------------------------- behaviour


class BehaviourSpec(Strict):
    """The free parameters of the decision rules (calibrated, see docs/validation.md)."""

    entry_rate: Share = 0.04
    exit_rate: Share = 0.05
    random_exit_rate: Share = 0.03
    decision_sensitivity: Annotated[float, Field(gt=0, le=10)] = 0.35
    neighbour_weight: Share = 0.5
    hours_adjustment: Share = 0.3
    ask_adjustment: Annotated[float, Field(ge=0, le=0.5)] = 0.05
    multihoming_rate: Share = 0.05
    platform_pay_elasticity: Annotated[float, Field(ge=0, le=20)] = 4.0
    upskill_rate: Share = 0.1
    upskill_trigger: Share = 0.75
    upskill_days: Annotated[int, Field(ge=1, le=2000)] = 60
    upskill_cost: NonNegative = 600.0
    peer_learning: Share = 0.5
    rating_noise: Annotated[float, Field(ge=0, le=2)] = 0.15
    rehire_rating: Annotated[float, Field(ge=1, le=5)] = 4.6
    client_switch_rate: Share = 0.08
    client_price_weight: NonNegative = 2.0
    client_fill_weight: NonNegative = 2.0
    client_network_weight: NonNegative = 1.5


from gigsim.scenario import economics  # noqa: E402  (the economic-core tables build on Strict, defined above)

# --------------------------------------------------------------------------- scenario


def _default_categories() -> dict[str, CategorySpec]:
    return {
        "rides": CategorySpec(kind="local", asset="car", base_price=14.0, hours_per_task=0.4,
                              cost_per_hour=5.5, pickup_hours=0.12, automation_ceiling=0.9, direct_rehire=False,
                              worker_share=0.45, client_share=0.6, demand_per_client=0.8),
        "stays": CategorySpec(kind="local", asset="room", base_price=95.0, hours_per_task=1.5,
                              asset_days_per_task=3, cost_per_hour=8.0, automation_ceiling=0.2,
                              worker_share=0.25, client_share=0.3, demand_per_client=0.018),
        "writing": CategorySpec(base_price=60.0, hours_per_task=2.5, automation_ceiling=0.8,
                                worker_share=0.15, client_share=0.25, demand_per_client=0.4, queue_days=0.15,
                                productivity_ratio=2.0),
        "design": CategorySpec(base_price=90.0, hours_per_task=3.5, automation_ceiling=0.6,
                               worker_share=0.12, client_share=0.2, demand_per_client=0.3, queue_days=0.15,
                               productivity_ratio=2.0),
        "programming": CategorySpec(base_price=160.0, hours_per_task=5.0, automation_ceiling=0.4,
                                    worker_share=0.15, client_share=0.2, demand_per_client=0.27, queue_days=0.15,
                                    productivity_ratio=2.0),
    }


def _default_platforms() -> dict[str, PlatformSpec]:
    return {
        "rideco": PlatformSpec(categories=["rides"], commission=0.25, pricing="surge", matching="nearest"),
        "staybnb": PlatformSpec(categories=["stays"], commission=0.15, matching="reputation"),
        "freelancely": PlatformSpec(categories=["writing", "design", "programming"], commission=0.2,
                                    pricing="bids", matching="reputation", applications_per_round=5),
    }


RESERVED_PLATFORMS = frozenset({"off_platform"})
"""Platform names gigsim uses itself: "off_platform" is the referral pseudo-platform of markets.parquet."""


class Scenario(Strict):
    """A whole world: population, categories, platforms, networks, demand, shocks, automation, policy."""

    name: str = "scenario"
    description: str = ""
    extends: str | None = None
    days: Annotated[int, Field(ge=1, le=36_500)] = 365
    burn_in_days: Annotated[int, Field(ge=0, le=3650)] = 0
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)] = 0
    population: PopulationSpec = Field(default_factory=PopulationSpec)
    categories: dict[str, CategorySpec] = Field(default_factory=_default_categories)
    platforms: dict[str, PlatformSpec] = Field(default_factory=_default_platforms)
    network: NetworkSpec = Field(default_factory=NetworkSpec)
    demand: DemandSpec = Field(default_factory=DemandSpec)
    shocks: list[ShockSpec] = Field(default_factory=list)
    automation: dict[str, AutomationSpec] = Field(default_factory=dict)
    policy: PolicySpec = Field(default_factory=PolicySpec)
    behaviour: BehaviourSpec = Field(default_factory=BehaviourSpec)
    rules: RulesSpec = Field(default_factory=RulesSpec)
    labour_supply: economics.LabourSupplySpec = Field(default_factory=economics.LabourSupplySpec)
    household: economics.HouseholdSpec = Field(default_factory=economics.HouseholdSpec)
    upskilling: economics.UpskillingSpec = Field(default_factory=economics.UpskillingSpec)
    competition: economics.CompetitionSpec = Field(default_factory=economics.CompetitionSpec)

    @model_validator(mode="after")
    def _cross_references(self) -> Scenario:
        for pname in self.platforms.keys() & RESERVED_PLATFORMS:
            raise _FieldError(f"platforms.{pname}", "is a reserved name (markets.parquet uses it for referred work)")
        cats = self.active_categories
        if not cats:
            raise _FieldError("categories", "no enabled categories: a world needs at least one")
        served: set[str] = set()
        for pname, plat in self.platforms.items():
            if not plat.enabled:
                continue
            for c in plat.categories:
                if c not in self.categories:
                    raise _RefError(f"platforms.{pname}.categories", c, list(self.categories))
            live = [c for c in plat.categories if c in cats]
            if not live:
                raise _RefError(f"platforms.{pname}.categories", plat.categories[0], cats,
                                "serves no enabled category")
            served.update(live)
        if not self.active_platforms:
            raise _FieldError("platforms", "no enabled platforms: a world needs at least one")
        for c in cats:
            if c not in served:
                raise _RefError(f"categories.{c}", c, [], "is served by no enabled platform")
        bad_move = _initial.check_moves(self.population.past_moves or [], list(self.categories))
        if bad_move:
            raise _RefError(bad_move[0], bad_move[1], list(self.categories))
        for cname in self.automation:
            if cname not in self.categories:
                raise _RefError(f"automation.{cname}", cname, list(self.categories))
        for i, shock in enumerate(self.shocks):
            if shock.categories != "all":
                for c in shock.categories:
                    if c not in self.categories:
                        raise _RefError(f"shocks[{i}].categories", c, list(self.categories))
            for r in shock.regions or []:
                if r >= self.population.regions:
                    raise _RefError(f"shocks[{i}].regions", str(r), [],
                                    f"region {r} does not exist (regions are 0..{self.population.regions - 1})")
        for cname, cat in self.categories.items():
            for src in cat.new_tasks_from:
                if src not in self.categories:
                    raise _RefError(f"categories.{cname}.new_tasks_from", src, list(self.categories))
        lever = self.policy.employee_classification
        if lever.platforms != "all":
            for p in lever.platforms:
                if p not in self.platforms:
                    raise _RefError("policy.employee_classification.platforms", p, list(self.platforms))
        cap = self.policy.commission_cap
        for p in cap.platforms if cap.platforms != "all" else []:
            if p not in self.platforms:
                raise _RefError("policy.commission_cap.platforms", p, list(self.platforms))
        employment = self.policy.employment  # the enacted levers' references are checked when enabled
        for p in employment.platforms if employment.enabled and employment.platforms != "all" else []:
            if p not in self.platforms:
                raise _RefError("policy.employment.platforms", p, list(self.platforms))
        for key in ("nyc_pay_standard", "seattle_pay_standard", "vehicle_licence_cap", "infection_risk"):
            for c in getattr(self.policy, key).categories if getattr(self.policy, key).enabled else []:
                if c not in self.categories:
                    raise _RefError(f"policy.{key}.categories", c, list(self.categories))
        for key in ("nyc_pay_standard", "seattle_pay_standard"):
            for p in getattr(self.policy, key).onboarding_pause_days if getattr(self.policy, key).enabled else []:
                if p not in self.platforms:
                    raise _RefError(f"policy.{key}.onboarding_pause_days", p, list(self.platforms))
        ask = self.policy.minimum_ask
        for field_name, names, known in (("platforms", ask.platforms, self.platforms),
                                         ("categories", ask.categories, self.categories)):
            for x in names if ask.enabled else []:
                if x not in known:
                    raise _RefError(f"policy.minimum_ask.{field_name}", x, list(known))
        if sum(self.categories[c].worker_share for c in cats) <= 0:
            raise _FieldError("categories", "worker_share is zero in every enabled category")
        return self

    @property
    def active_categories(self) -> list[str]:
        """Names of enabled categories, in file order."""
        return [n for n, c in self.categories.items() if c.enabled]

    @property
    def active_platforms(self) -> list[str]:
        """Names of enabled platforms, in file order."""
        return [n for n, p in self.platforms.items() if p.enabled]

    def content_hash(self) -> str:
        """SHA-256 of the validated scenario (stable across key order in the file)."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()

    def rescaled(self, workers: int) -> Scenario:
        """The same world with `workers` workers; clients scale with them, keeping proportions."""
        ratio = workers / self.population.workers
        clients = max(1, round(self.population.clients * ratio))
        data = self.model_dump()
        data["population"]["workers"] = workers
        data["population"]["clients"] = clients
        return Scenario.model_validate(data)

    def with_overrides(self, overrides: dict[str, Any], source: str = "<overrides>") -> Scenario:
        """A new scenario with nested `overrides` merged in (tables merge, lists replace)."""
        from gigsim.scenario.loading import deep_merge, validate_scenario

        merged = deep_merge(self.model_dump(exclude_none=False), overrides)
        return validate_scenario(merged, source)

