"""`[rules]`: the behavioural constants of the model's rules, named and documented, with today's values.

These numbers used to live in the model's code. Each was set by hand when the rule was written
(none is calibrated or taken from a source yet); docs/model.md section 6 (`[rules]`) says what
each one does and where it acts. Decision-rule constants of gigsim/model/decisions.py are not here.

Tables are strict (unknown keys are errors, booleans are not numbers), like the rest of the scenario.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Positive = Annotated[float, Field(gt=0, le=1e6)]
NonNegative = Annotated[float, Field(ge=0, le=1e6)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False, strict=True)


class ClientRules(_Section):
    """How clients' budgets and demand are drawn (docs/model.md 5 and 7.2)."""

    budget_low: NonNegative = Field(0.6, description=(
        "A task's budget is base price × the client's willingness to pay × (budget_low + budget_range × u), u"
        ' ~ U(0, 1), drawn per task: 0.6..1.4 by default.'))
    budget_range: NonNegative = Field(0.8, description='see budget_low.')
    demand_concentration: Positive = Field(1.5, description=(
        "Gamma shape (mean 1) of a client's own demand rate around the category's mean: lower, more "
        'concentrated.'))
    business_ai_uplift: NonNegative = Field(1.2, description=(
        "Business clients' AI adoption propensity is the drawn one × this (at most 1)."))
    online_business_tilt: NonNegative = Field(1.6, description=(
        'A business buys an online category with probability client_share × this (at most 1).'))
    online_consumer_tilt: NonNegative = Field(0.75, description=(
        'A consumer buys an online category with probability client_share × this.'))
    local_business_tilt: NonNegative = Field(0.5, description=(
        'A business buys a local category with probability client_share × this.'))
    local_consumer_tilt: NonNegative = Field(1.2, description=(
        'A consumer buys a local category with probability client_share × this.'))


class WorkerRules(_Section):
    """How workers' traits are drawn and how their trailing averages move (docs/model.md 5 and 7.9)."""

    trailing_days: Annotated[float, Field(ge=1, le=3650)] = Field(30.0, description=(
        'Time constant (days) of the trailing averages of net earnings and logged-in hours (EWMA).'))
    primary_skill_a: Positive = Field(5.0, description=(
        'Skill in the primary category ~ Beta(primary_skill_a, primary_skill_b) (mean 0.67 by default).'))
    primary_skill_b: Positive = Field(2.5, description='see primary_skill_a.')
    second_skill_a: Positive = Field(3.0, description=(
        'Skill in a second category ~ Beta(second_skill_a, second_skill_b) (mean 0.5 by default).'))
    second_skill_b: Positive = Field(3.0, description='see second_skill_a.')
    side_hours_shape: Positive = Field(2.0, description=(
        "Side hustlers' hours per day ~ Gamma(shape, hours_side / shape): mean hours_side."))
    full_time_hours_low: NonNegative = Field(0.8, description=(
        "Full-timers' hours per day = hours_full_time × (low + range × u), u ~ U(0, 1)."))
    full_time_hours_range: NonNegative = Field(0.4, description='see full_time_hours_low.')
    hours_min: Annotated[float, Field(ge=0, le=24)] = Field(0.5, description=(
        'Hours per day available are clipped to [hours_min, hours_max] when drawn.'))
    hours_max: Annotated[float, Field(gt=0, le=24)] = Field(14.0, description='see hours_min.')
    autonomy_low: NonNegative = Field(0.5, description=(
        "A worker's autonomy value = her cohort's × (autonomy_low + u), u ~ U(0, 1)."))
    living_costs_dispersion: Annotated[float, Field(ge=0, le=5)] = Field(0.25, description=(
        "Log-sd of monthly living costs around the population's (lognormal, mean preserved)."))
    other_income_dispersion: Annotated[float, Field(ge=0, le=5)] = Field(0.3, description=(
        "Log-sd of monthly other income around the population's (lognormal, mean preserved)."))
    past_tenure_days: Annotated[int, Field(ge=2, le=36500)] = Field(730, description=(
        'Workers active on day 0 entered 1..past_tenure_days − 1 days before (uniform).'))


class MarketRules(_Section):
    """Constants of referrals, ratings and surge (docs/model.md 7.2, 7.6, 7.8)."""

    referral_tries: Annotated[int, Field(ge=0, le=10_000)] = Field(20, description=(
        'How many of her neighbours a favourite tries, from a random start, when passing on work.'))
    tie_break_rating: Annotated[float, Field(ge=1, le=5)] = Field(3.0, description=(
        "A rating below this ends the client's tie with her favourite."))
    surge_unfilled_ratio: Annotated[float, Field(ge=1, le=1e3)] = Field(2.0, description=(
        'The posted/filled ratio surge uses in a market where tasks were posted and none was filled.'))


class RulesSpec(_Section):
    """`[rules]`: the behavioural constants of the model's rules (today's values as defaults)."""

    clients: ClientRules = Field(default_factory=ClientRules)
    workers: WorkerRules = Field(default_factory=WorkerRules)
    market: MarketRules = Field(default_factory=MarketRules)
