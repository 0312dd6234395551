"""The scenario schema: the whole `Scenario`, its `[policy]` table, and every table re-exported by name.

Validation is strict: unknown keys are refused with a suggestion, every number is range-checked, and
cross-references (a platform's categories, an automation path's category) must exist.

The tables live by role: `base.py` (`Strict`, the number types, `Lever`), `paths.py` (`TimePath`), `population.py`,
`markets.py` (categories, platforms, network, demand), `events.py` (shocks, automation), `levers.py`, `economics.py`
(behaviour and the economic core), `regions.py`, `initial.py`, `rules.py`; `references.py` checks cross-references.
`from gigsim.scenario.schema import X` keeps working for every name that used to be defined here.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from pydantic import Field, model_validator

from gigsim.scenario import economics, levers
from gigsim.scenario.base import (
    MAX_MAGNITUDE,
    Day,
    Lever,
    NonNegative,
    Positive,
    Share,
    Strict,
    _first_huge,
    _get,
)
from gigsim.scenario.economics import BehaviourSpec
from gigsim.scenario.events import AutomationSpec, ShockSpec
from gigsim.scenario.levers import (
    CashTransferLever,
    CommissionCapLever,
    EmployeeLever,
    MinPayLever,
    NewcomerBoostLever,
    PortableBenefitsLever,
    RetrainingLever,
)
from gigsim.scenario.markets import CategorySpec, DemandSpec, NetworkSpec, PlatformSpec
from gigsim.scenario.paths import TimePath, _share_path
from gigsim.scenario.population import PopulationSpec
from gigsim.scenario.references import RESERVED_PLATFORMS, check_references
from gigsim.scenario.rules import RulesSpec

__all__ = [
    "MAX_MAGNITUDE", "RESERVED_PLATFORMS", "AutomationSpec", "BehaviourSpec", "CashTransferLever", "CategorySpec",
    "CommissionCapLever", "Day", "DemandSpec", "EmployeeLever", "Lever", "MinPayLever", "NetworkSpec",
    "NewcomerBoostLever", "NonNegative", "PlatformSpec", "PolicySpec", "PopulationSpec", "PortableBenefitsLever",
    "Positive", "RetrainingLever", "RulesSpec", "Scenario", "Share", "ShockSpec", "Strict", "TimePath",
    "_first_huge", "_get", "_share_path", "check_references",
]


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


def _default_categories() -> dict[str, CategorySpec]:
    return {
        "rides": CategorySpec(kind="local", asset="car", base_price=14.0, hours_per_task=0.4,
                              cost_per_hour=5.5, pickup_hours=0.12, automation_ceiling=0.9, direct_rehire=False,
                              worker_share=0.45, client_share=0.6, demand_per_client=0.8),
        "stays": CategorySpec(kind="local", asset="room", base_price=358.08, hours_per_task=1.5,
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
        """Every name a table uses must exist (gigsim/scenario/references.py)."""
        check_references(self)
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

