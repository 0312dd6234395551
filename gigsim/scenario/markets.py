"""`[categories]`, `[platforms]`, `[network]` and `[demand]`: the kinds of task, the marketplaces, the networks
and baseline demand."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from gigsim.model.vocabulary import MATCHING_RULES, PRICING_RULES
from gigsim.scenario.base import Day, NonNegative, Positive, Share, Strict


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
