"""Scenario files: the schema, loading with `extends`, and clear validation errors.

A scenario is one TOML file describing a whole world. Tables merge key by key
when a scenario extends another; lists (shocks, points, weekly factors) are
replaced whole. Validation is strict: unknown keys are refused with a
suggestion, every number is range-checked, and cross-references (a platform's
categories, an automation path's category) must exist. TOML only: loading a
scenario never executes code.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import tomllib
import types
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from gigsim.errors import ScenarioError

MAX_FILE_BYTES = 1_000_000
"""A scenario or experiment file larger than this is refused unread."""

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
        return data


def _is_number(annotation: Any) -> bool:
    """Whether a field's type is a plain number (int or float, possibly optional or constrained)."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return len(args) == 1 and _is_number(args[0])
    return annotation in (int, float)


class _FieldError(ValueError):
    """A cross-field check that fails because of one named sub-field (dotted, relative to the table)."""

    def __init__(self, field: str, problem: str):
        self.field = field
        super().__init__(problem)


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
    second_skill_share: Share = 0.35
    business_client_share: Share = 0.3
    ai_adoption: Share = 0.5
    willingness_to_pay: Annotated[float, Field(gt=0, le=10)] = 1.35
    health_event_rate: Annotated[float, Field(ge=0, le=1)] = 0.0015
    health_event_cost: NonNegative = 1200.0

    @model_validator(mode="after")
    def _shares_sum(self) -> PopulationSpec:
        if abs(sum(self.age_shares) - 1.0) > 1e-6:
            raise _FieldError("age_shares", f"must sum to 1, got {sum(self.age_shares):g}")
        return self


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


class PlatformSpec(Strict):
    """A marketplace: what it serves, what it charges and how it matches."""

    enabled: bool = True
    categories: list[str] = Field(min_length=1)
    commission: Share = 0.2
    pricing: Literal["fixed", "surge", "bids"] = "fixed"
    price_multiplier: Annotated[float, Field(gt=0, le=10)] = 1.0
    surge_sensitivity: NonNegative = 0.5
    surge_cap: Annotated[float, Field(ge=1, le=10)] = 2.5
    matching: Literal["random", "nearest", "reputation", "cheapest"] = "random"
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
    """AI in one category: the share of tasks it can take, its cost, and augmentation."""

    level: TimePath = Field(default_factory=TimePath)
    ai_cost_per_task: TimePath | None = None
    augmentation: TimePath = Field(default_factory=TimePath)
    augmentation_gain: Annotated[float, Field(ge=0, le=10)] = 0.5

    @model_validator(mode="after")
    def _levels_are_shares(self) -> AutomationSpec:
        _share_path(self.level, "level")
        _share_path(self.augmentation, "augmentation")
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
    cap: Share = 0.15


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


class PolicySpec(Strict):
    min_pay: MinPayLever = Field(default_factory=MinPayLever)
    commission_cap: CommissionCapLever = Field(default_factory=CommissionCapLever)
    portable_benefits: PortableBenefitsLever = Field(default_factory=PortableBenefitsLever)
    employee_classification: EmployeeLever = Field(default_factory=EmployeeLever)
    newcomer_boost: NewcomerBoostLever = Field(default_factory=NewcomerBoostLever)
    retraining_subsidy: RetrainingLever = Field(default_factory=RetrainingLever)
    cash_transfer: CashTransferLever = Field(default_factory=CashTransferLever)


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


from gigsim.scenario.economics import CompetitionSpec, HouseholdSpec, LabourSupplySpec, UpskillingSpec  # noqa: E402

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
                                worker_share=0.15, client_share=0.25, demand_per_client=0.4, queue_days=0.15),
        "design": CategorySpec(base_price=90.0, hours_per_task=3.5, automation_ceiling=0.6,
                               worker_share=0.12, client_share=0.2, demand_per_client=0.3, queue_days=0.15),
        "programming": CategorySpec(base_price=160.0, hours_per_task=5.0, automation_ceiling=0.4,
                                    worker_share=0.15, client_share=0.2, demand_per_client=0.27, queue_days=0.15),
    }


def _default_platforms() -> dict[str, PlatformSpec]:
    return {
        "rideco": PlatformSpec(categories=["rides"], commission=0.25, pricing="surge", matching="nearest"),
        "staybnb": PlatformSpec(categories=["stays"], commission=0.15, matching="reputation"),
        "freelancely": PlatformSpec(categories=["writing", "design", "programming"], commission=0.2,
                                    pricing="bids", matching="reputation", applications_per_round=5),
    }


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
    labour_supply: LabourSupplySpec = Field(default_factory=LabourSupplySpec)
    household: HouseholdSpec = Field(default_factory=HouseholdSpec)
    upskilling: UpskillingSpec = Field(default_factory=UpskillingSpec)
    competition: CompetitionSpec = Field(default_factory=CompetitionSpec)

    @model_validator(mode="after")
    def _cross_references(self) -> Scenario:
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
        merged = deep_merge(self.model_dump(exclude_none=False), overrides)
        return validate_scenario(merged, source)


class _RefError(_FieldError):
    """A cross-reference to a name that does not exist; carries the field path."""

    def __init__(self, field: str, name: str, known: list[str], problem: str | None = None):
        if problem is None:
            hint = difflib.get_close_matches(name, known, n=1)
            problem = f"'{name}' is not defined" + (f" (did you mean '{hint[0]}'?)" if hint else
                                                    f" (known: {', '.join(known)})" if known else "")
        super().__init__(field, problem)


# --------------------------------------------------------------------------- loading


def deep_merge(base: dict, override: dict) -> dict:
    """Merge `override` into a copy of `base`: tables merge key by key, everything else replaces."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def read_toml(path: Path) -> dict:
    """Read a TOML file, refusing missing, huge, non-UTF-8 or malformed files with a clear message."""
    if not path.exists():
        raise ScenarioError(str(path), "", "file not found")
    if not path.is_file():
        raise ScenarioError(str(path), "", "is not a file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ScenarioError(str(path), "", f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(str(path), "", f"is not UTF-8 text (bad byte at position {exc.start})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(str(path), "", f"is not valid TOML: {exc}") from None


def load_raw(path: str | Path, _chain: tuple[Path, ...] = ()) -> dict:
    """The merged, unvalidated table of a scenario file after following `extends`."""
    path = Path(path)
    resolved = path.resolve()
    if resolved in _chain:
        cycle = " -> ".join(p.name for p in (*_chain, resolved))
        raise ScenarioError(str(path), "extends", f"extends itself in a cycle ({cycle})")
    data = read_toml(path)
    parent = data.get("extends")
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(str(path), "extends", f"must be a file name, got {parent!r}")
    parent_path = (path.parent / parent)
    if not parent_path.exists():
        raise ScenarioError(str(path), "extends", f"'{parent}' not found next to this file")
    base = load_raw(parent_path, (*_chain, resolved))
    base.pop("extends", None)
    return deep_merge(base, data)


def load_scenario(path: str | Path, memory_limit_bytes: int | None = None) -> Scenario:
    """Load, merge (`extends`) and validate a scenario file. Raises ScenarioError naming the field.

    A world too large for this machine's memory is refused here, before anything is allocated
    (see `check_memory`); `memory_limit_bytes` overrides the memory available.
    """
    raw = load_raw(path)
    scenario = validate_scenario(raw, str(path))
    check_memory(scenario, str(path), memory_limit_bytes)
    return scenario


MEMORY_HEADROOM = 0.8
"""Share of the available memory a world may use; larger worlds are refused before allocation."""


def check_memory(scenario: Scenario, source: str, limit_bytes: int | None = None) -> None:
    """Refuse (ScenarioError on `population.workers`) a world whose estimated peak memory exceeds
    MEMORY_HEADROOM × the memory available (bytes; `limit_bytes` or what the machine has free now)."""
    import psutil

    from gigsim.model.population import estimate_memory_bytes

    need = estimate_memory_bytes(scenario)
    available = limit_bytes if limit_bytes is not None else psutil.virtual_memory().available
    if need > MEMORY_HEADROOM * available:
        pop = scenario.population
        raise ScenarioError(
            source, "population.workers",
            f"a world of {pop.workers:,} workers and {pop.clients:,} clients needs about {need / 1e9:.1f} GB "
            f"of memory (estimated before allocating); this machine has {available / 1e9:.1f} GB available")


def validate_scenario(data: dict, source: str) -> Scenario:
    """Validate a scenario table; the first problems are reported with their dotted field paths."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise describe_validation_error(exc, Scenario, source) from None
    except _FieldError as exc:  # pragma: no cover - pydantic wraps these as ValidationError
        raise ScenarioError(source, exc.field, str(exc)) from None


def describe_validation_error(exc: ValidationError, root: type[BaseModel], source: str) -> ScenarioError:
    """Turn pydantic's errors into one ScenarioError whose message names field paths plainly."""
    messages: list[tuple[str, str]] = []
    # a misspelt key also makes the key it should have been "missing": lead with the misspelling,
    # whose message suggests the right name
    errors = sorted(exc.errors(include_url=False), key=lambda e: e["type"] != "extra_forbidden")
    for err in errors:
        err = {**err, "loc": _without_union_tags(root, tuple(err["loc"]))}
        field, message = _explain(err, root)
        same = next((i for i, (f, _) in enumerate(messages) if f == field), None)
        if same is None:
            messages.append((field, message))
        else:  # one value that fits none of a union's choices: say so once
            messages[same] = (field, _either(messages[same][1], message))
    field, message = messages[0]
    extra = "".join(f"\n  also {f or '(top level)'}: {m}" for f, m in messages[1:5])
    if len(messages) > 5:
        extra += f"\n  ... and {len(messages) - 5} more"
    return ScenarioError(source, field, message + extra)


def _without_union_tags(root: type[BaseModel], loc: tuple) -> tuple:
    """Pydantic names the member of a union it tried (`list[str]`, `literal['all']`) in the error's
    location; those are no fields, so they are dropped (only right after a field that is a union)."""
    out: list = []
    for part in loc:
        if isinstance(part, str) and out and _is_choice(_walk(root, tuple(out))[0]):
            continue
        out.append(part)
    return tuple(out)


def _is_choice(annotation: Any) -> bool:
    """Whether a type is a union of two or more kinds (None aside)."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) not in (Union, types.UnionType):
        return False
    return len([a for a in get_args(annotation) if a is not type(None)]) > 1


def _either(first: str, second: str) -> str:
    """Two complaints about one value ('must be a list, got x', 'must be one of ..., got x') as one."""
    head1, _, got1 = first.rpartition(", got ")
    head2, _, got2 = second.rpartition(", got ")
    if head1 and head2 and got1 == got2:
        return f"{head1} or {head2.removeprefix('must ')}, got {got1}"
    return f"{first}; or {second}"


def _dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _explain(err: dict, root: type[BaseModel]) -> tuple[str, str]:
    loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "value_error" and isinstance(ctx.get("error"), _FieldError):
        ref = ctx["error"]
        prefix = _dotted(loc)
        return (f"{prefix}.{ref.field}" if prefix else ref.field), str(ref)
    field = _dotted(loc)
    if kind == "extra_forbidden":
        parent = _model_at(root, loc[:-1])
        known = list(parent.model_fields) if parent else []
        hint = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        msg = f"unknown key '{loc[-1]}'" + (f" (did you mean '{hint[0]}'?)" if hint else "")
        if known and not hint:
            msg += f"; allowed keys: {', '.join(known)}"
        return field, msg
    if kind == "missing":
        return field, "is required but missing"
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        lo, hi = _bounds(root, loc)
        if lo is not None and hi is not None:
            return field, f"must be between {lo:g} and {hi:g}, got {value!r}"
        if "ge" in ctx:
            return field, f"must be at least {ctx['ge']}, got {value!r}"
        if "gt" in ctx:
            return field, f"must be greater than {ctx['gt']}, got {value!r}"
        if "le" in ctx:
            return field, f"must be at most {ctx['le']}, got {value!r}"
        return field, f"must be less than {ctx.get('lt')}, got {value!r}"
    if kind == "literal_error":
        return field, f"must be one of {ctx.get('expected')}, got {value!r}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return field, f"must be a whole number, got {value!r}"
    if kind == "finite_number":
        return field, f"must be a finite number, got {value!r}"
    if kind in {"float_type", "float_parsing"}:
        return field, f"must be a number, got {value!r}"
    if kind in {"bool_type", "bool_parsing"}:
        return field, f"must be true or false, got {value!r}"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return field, f"must be a table, got {value!r}"
    if kind in {"list_type", "tuple_type"}:
        return field, f"must be a list, got {value!r}"
    if kind in {"string_type"}:
        return field, f"must be a string, got {value!r}"
    if kind in {"too_short", "too_long"}:
        return field, err["msg"].lower().replace("list", "list") + f", got {value!r}"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return field, msg[:1].lower() + msg[1:]


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated/Optional to the type that matters for walking a field path."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None) and get_origin(a) is not Literal]
            annotation = args[0] if args else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def _walk(root: type[BaseModel], loc: tuple) -> Any:
    """The annotation (or field info) reached by following `loc` from `root`; None if lost."""
    current: Any = root
    info = None
    for part in loc:
        current = _unwrap(current)
        origin = get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if part not in current.model_fields:
                return None, None
            info = current.model_fields[part]
            current = info.annotation
        elif origin is dict:
            current = get_args(current)[1]
            info = None
        elif origin in (list, tuple):
            args = get_args(current)
            current = args[part] if origin is tuple and isinstance(part, int) and part < len(args) else args[0]
            info = None
        else:
            return None, None
    return current, info


def _model_at(root: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    current, _ = _walk(root, loc)
    current = _unwrap(current) if current is not None else None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _bounds(root: type[BaseModel], loc: tuple) -> tuple[float | None, float | None]:
    """The (lower, upper) bounds declared on the field at `loc`, where both are known."""
    annotation, info = _walk(root, loc)
    metadata = list(info.metadata) if info is not None else []
    for arg in get_args(annotation) if get_origin(annotation) is Annotated else ():
        if hasattr(arg, "metadata"):
            metadata.extend(arg.metadata)
        else:
            metadata.append(arg)
    if annotation is not None and get_origin(_strip_optional(annotation)) is Annotated:
        metadata.extend(get_args(_strip_optional(annotation))[1:])
    lo = hi = None
    for m in metadata:
        lo = getattr(m, "ge", None) if getattr(m, "ge", None) is not None else lo
        lo = getattr(m, "gt", None) if getattr(m, "gt", None) is not None else lo
        hi = getattr(m, "le", None) if getattr(m, "le", None) is not None else hi
        hi = getattr(m, "lt", None) if getattr(m, "lt", None) is not None else hi
    return lo, hi


def _strip_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


__all__ = [
    "Scenario", "PopulationSpec", "CategorySpec", "PlatformSpec", "NetworkSpec", "DemandSpec",
    "ShockSpec", "AutomationSpec", "TimePath", "PolicySpec", "BehaviourSpec",
    "load_scenario", "load_raw", "validate_scenario", "deep_merge", "read_toml",
    "describe_validation_error", "check_memory",
]
