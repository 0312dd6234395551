"""The structured arguments of the kernels: named tuples of arrays, so a call names what it passes.

numba passes a NamedTuple of arrays to a jitted function as one argument and reads its fields
(`tasks.fate[t]`) at no cost over separate arrays. Each tuple below lists exactly the rows a
kernel reads or writes; `rows_of(Tuple, source)` takes them, by name, from the model's state
(gigsim.model.state) — the arrays themselves, not copies, so a kernel's writes land in the state.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


def rows_of(cls, source, **extra):
    """An instance of the NamedTuple `cls` whose fields are the same-named attributes of `source`
    (the arrays themselves) or, where given, the keyword arguments."""
    return cls(**{name: extra[name] if name in extra else getattr(source, name) for name in cls._fields})


class Tasks(NamedTuple):
    """One day's posted tasks (T rows)."""

    stream: np.ndarray    # int32: the demand stream the task came from
    client: np.ndarray    # int32
    category: np.ndarray  # int32
    platform: np.ndarray  # int32
    region: np.ndarray    # int32: market region (the client's for local work, 0 for online)
    price: np.ndarray     # float64: posted price (bids: the reference price until matched)
    wtp: np.ndarray       # float64: the most the client pays
    fate: np.ndarray      # int8: a Fate (gigsim.model.vocabulary)
    worker: np.ndarray    # int32 (-1: none)
    pickup: np.ndarray    # float32: unpaid pickup hours of the match
    hours: np.ndarray     # float64: hours the matched worker takes over the task (her skill's, §7.5; 0 until matched)

    @property
    def size(self) -> int:
        return self.stream.size

    @classmethod
    def empty(cls) -> Tasks:
        i = np.empty(0, np.int32)
        return cls(i, i, i, i, i, np.empty(0), np.empty(0), np.empty(0, np.int8), i, np.empty(0, np.float32),
                   np.empty(0))


class MarketParams(NamedTuple):
    """Today's market parameters, as arrays the kernels read (built by `GigEconomyModel.market_params`)."""

    n_categories: int
    n_regions: int
    n_platforms: int
    task_hours: np.ndarray        # float64 (C): the median worker's hours per task today (after augmentation)
    hours_slope: np.ndarray       # float64 (C): β, a worker of skill s takes task_hours × exp(−β (s − centre))
    skill_centre: np.ndarray      # float64 (C): the skill at which a worker takes task_hours
    pickup_hours: np.ndarray      # float64 (C): mean unpaid pickup hours per task
    asset_days: np.ndarray        # int64 (C): days a booking occupies the asset (0: none)
    local: np.ndarray             # bool (C): cleared per region
    base_price: np.ndarray        # float64 (C)
    cost_per_hour: np.ndarray     # float64 (C)
    rule: np.ndarray              # int64 (P): a Matching
    pricing: np.ndarray           # int64 (P): a Pricing
    rounds: np.ndarray            # int64 (P)
    applications_per_round: np.ndarray  # int64 (P)
    price_multiplier: np.ndarray  # float64 (P)
    commission: np.ndarray        # float64 (P): effective (capped) commission
    nominal_commission: np.ndarray  # float64 (P): before any cap
    prior_mean: np.ndarray        # float64 (P): the rating an unrated worker is ranked at
    prior_weight: np.ndarray      # float64 (P)
    newcomer_boost: np.ndarray    # float64 (P)
    newcomer_tasks: np.ndarray    # int64 (P)
    pay_floor: float              # currency per engaged hour (0: off)
    contribution: float           # portable-benefit contribution per task (0: off)
    levy: float                   # cash-transfer levy, share of the price (0: off)
    rating_noise: float
    rehire_rating: float
    tie_break_rating: float       # a rating below this ends the client's tie with her favourite
    day: int
    automation_level: np.ndarray  # float64 (C): share of tasks AI may take today
    ai_cost: np.ndarray           # float64 (C): AI's cost per task today
    augmentation: np.ndarray      # float64 (C): proportional rise in tasks per hour from AI today
    pickup_max: np.ndarray        # float64 (C): cap on the idle-density pickup (0: fixed pickup; §7.5)


class Capacity(NamedTuple):
    """What each worker can still take today (rows of the whole population, or of a candidate pool)."""

    hours_left: np.ndarray      # float64: hours left to commit today
    fresh: np.ndarray           # bool: no work yet today (may take one task longer than her hours)
    asset_free_day: np.ndarray  # int32: first day the asset (one of her listings) is free again
    wins: np.ndarray            # int32: tasks won (this week, or in the rounds for a pool)
    room_start: np.ndarray      # int64 (N + 1): each worker's listings in room_free_day (kernels/rooms.py)
    room_free_day: np.ndarray   # int32 (Σ listings): first day each listing is free again


class Ties(NamedTuple):
    """Client–worker ties per demand stream."""

    favourite: np.ndarray     # int32: the worker the client re-hires directly (-1: none)
    tie_strength: np.ndarray  # int32: repeat hires of the favourite


class SettlementRows(NamedTuple):
    """The worker rows settlement reads (skill, ask, employer) and writes (ratings, the day's flows)."""

    skill: np.ndarray              # float32 (N, C)
    ask: np.ndarray                # float32: asking price as a multiple of the base price
    employer: np.ndarray           # int32 (-1: contractor)
    rating_sum: np.ndarray         # float32 (N, P)
    rating_count: np.ndarray       # int32 (N, P)
    day_pay: np.ndarray            # float64
    day_costs: np.ndarray          # float64
    day_task_hours: np.ndarray     # float32
    day_engaged_hours: np.ndarray  # float32
    day_tasks: np.ndarray          # int32
    lifetime_tasks: np.ndarray     # int32
    listing_price: np.ndarray      # float32: a host's listings' price as a multiple of the category's (7.9)


class DayStartRows(NamedTuple):
    """The worker rows the start of a day reads and resets."""

    status: np.ndarray
    category: np.ndarray
    hours_offered: np.ndarray
    backlog: np.ndarray
    day_pay: np.ndarray
    day_costs: np.ndarray
    day_task_hours: np.ndarray
    day_engaged_hours: np.ndarray
    day_tasks: np.ndarray


class WorkRows(NamedTuple):
    """The worker rows the day's work updates (docs/model.md 7.9)."""

    status: np.ndarray
    hours_offered: np.ndarray
    backlog: np.ndarray
    day_engaged_hours: np.ndarray
    day_worked_hours: np.ndarray
    day_pay: np.ndarray
    day_costs: np.ndarray
    day_tasks: np.ndarray
    ema_net: np.ndarray
    ema_logged: np.ndarray
    savings: np.ndarray
    month_net: np.ndarray
    month_tasks: np.ndarray
    week_logged: np.ndarray
    week_engaged: np.ndarray
    rents_asset: np.ndarray   # bool: her category's work is renting her asset (stays): her time is her engaged hours
