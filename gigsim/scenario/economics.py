"""Scenario tables of the economic core: labour supply, the household budget, upskilling, platform competition.

Each field names its source (author, year, number) in docs/model.md (sections 7.10, 7.11 and 7.17); values set by
hand are marked so there. Tables: `[labour_supply]`, `[household]`, `[upskilling]`, `[competition]`, and `[behaviour]`,
the calibrated free parameters of the decision rules (docs/validation.md).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from gigsim.scenario.base import NonNegative, Share, Strict


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


class LabourSupplySpec(Strict):
    """Hours and participation as responses to net hourly earnings against the outside option."""

    frisch_elasticity: Annotated[float, Field(ge=0, le=5)] = 1.2
    """ε: elasticity of hours offered to (net hourly + autonomy value) / reservation wage below the outside
    option (Angrist, Caldwell & Hall 2021: about 1.2 for Uber drivers)."""
    usual_wage_days: Annotated[float, Field(ge=7, le=3650)] = 365.0
    """Time constant (days) of a worker's usual net hourly earnings, against which her hours respond to the current
    ones with the Frisch elasticity (intertemporal substitution: Angrist, Caldwell & Hall 2021 estimate it from
    temporary fee cuts; a year, set by hand, stands for the permanent level)."""
    min_hours_share: Share = 0.25
    """Least share of available hours an active worker keeps offering (set by hand)."""
    ask_target_utilisation: Share = 0.6
    """Freelancers raise their ask when their own utilisation (engaged / logged-in hours) is above this and
    lower it when below (set by hand)."""

    entry_on_month_income: bool = True
    """Outsiders decide to enter on this month's reservation wage (the one the month-off rule uses: it moves with this
    month's other income), so people dip in when their other income dips (JPMorgan Chase Institute 2016: labour
    platform income offsets dips in regular earnings); false: on the usual one (docs/model.md section 7.11)."""
    exit_on_month_income: bool = False
    """Workers in gig work leave for earnings on this month's comparison (the one outsiders enter on with
    `entry_on_month_income`), so someone who dipped in on a dip in other income faces the exit rule on this month's
    income as her entry did, and a worker whose other income is up this month may leave instead of taking the month
    off; false: on the usual one. A lever, off by default, set by hand (docs/model.md section 7.11 item 3e)."""
    returners_read_market: bool = False
    """A worker who has left expects her last spell's net hourly plus her category's market move since she left (the
    category mean now minus at the last monthly round on or before her exit), as rate changes reach registered drivers
    by e-mail and app and drivers compare pay on forums; false: her last spell's pay alone. Off by default until the
    few-seed tests it tips are restated over more seeds (docs/model.md sections 7.11 item 3 and 7.17)."""
    monthly_active_cost: NonNegative = 0.0
    """A fixed cost of being active for a month (currency per month; rideshare insurance, a freelance platform's
    membership), counted in every comparison of gig work with the outside option per hour of the month's time and
    paid from savings for each month worked; 0: none (docs/model.md section 7.11)."""
    room_rent_nights: Annotated[float, Field(ge=0, le=60)] = 0.0
    """A month's long-term rent of a host's room, in nights of its short-term price: what a host gives up by hosting
    is the room's other use (Barron, Kung & Proserpio, 2017 draft). Her comparison of gig work with her outside
    option subtracts it × her category's nightly price (base price / nights a stay) × her listings × her listings'
    price factor, per hour of her hosting work. The sourced value is 8.5: the US median one-bedroom rent,
    $1,016-1,018 a month in 2017 (ABODO), over the mean nightly rate over Airbnb listings, $119.36 in 2015 (city-data
    rates × LearnAirbnb type shares). 0 (the default, a lever until the stays market is re-calibrated with it): the
    room has no other use (docs/model.md section 7.9, "the hosts' participation margin")."""
    match_dispersion: Annotated[float, Field(ge=0, le=100)] = 0.0
    """S.d. (currency per hour) of a worker's match with gig work, unknown until her first month in it and then part
    of her autonomy value (match learning, Jovanovic 1979: bad matches leave early, so the hazard of leaving falls
    with tenure; gigsim.model.attachment); 0: everyone's match is what she expected (docs/model.md section 7.11)."""
    break_rate: Share = 0.0
    """Probability (per monthly round) that an active contractor whose month is worth working takes the month off
    anyway, for reasons outside the model (illness, family, another job's busy season): a break at the monthly
    scale, not an exit (gigsim.model.breaks). No published rate was found, so it is a lever, 0 by default (off:
    outputs as without it; docs/model.md section 7.11 item 3f)."""
    break_return_rate: Share = 1.0
    """Probability (per monthly round) that a worker taking the month off comes back once her month is worth
    working again (gigsim.model.breaks); 1 (the default): at the first such round, as without breaks. A lever, set
    by hand (docs/model.md section 7.11 item 3f)."""


class HouseholdSpec(Strict):
    """Money outside gig work: the outside job, borrowing, and responses to running out of savings."""

    outside_job: bool = True
    """Full-timers who do not gig earn their reservation wage for their usual hours (their outside job)."""
    credit_limit_months: Annotated[float, Field(ge=0, le=24)] = 1.0
    """How far savings may fall below zero, in months of living costs, before a worker takes an outside job
    (leaves gig work, reason `savings`); set by hand."""
    distress_switch: bool = True
    """A worker with negative savings moves to a category she is skilled in that pays more per hour."""


class UpskillingSpec(Strict):
    """Retraining as an investment: discounted gains over the expected remaining spell against its costs."""

    annual_discount_rate: Annotated[float, Field(ge=0, le=1)] = 0.05
    """Yearly discount rate of future gains (life-cycle calibrations use a discount factor 0.95-0.99)."""
    switch_cost: NonNegative = 100.0
    """Cost of moving to another category even when already skilled (new platform profile, lost
    reputation; currency, set by hand)."""


class CompetitionSpec(Strict):
    """Platforms serving the same category adjust their commissions to each other, within bounds."""

    enabled: bool = True
    commission_step: Annotated[float, Field(ge=0, le=0.2)] = 0.01
    """Change of a platform's commission per month when it reacts to its rival (share of the price)."""
    commission_min: Share = 0.1
    commission_max: Share = 0.35
    signal_z: Annotated[float, Field(ge=0, le=10)] = 2.0
    """A platform reacts when its fill rate is below the leader's by more than this many standard errors."""
