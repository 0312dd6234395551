"""The model's state as arrays: one row per worker, client, demand stream or platform.

Mesa agents (gigsim.model.agents) are views onto these rows; every daily phase runs
over whole arrays at once. Money is in currency units, time in hours or days.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from gigsim.model.vocabulary import STATUS_NAMES, Status

OUT, ACTIVE, UPSKILLING, LEFT, PAUSED = Status.OUT, Status.ACTIVE, Status.UPSKILLING, Status.LEFT, Status.PAUSED
"""Short names of the worker statuses (gigsim.model.vocabulary.Status), for the decision rules."""

__all__ = ["ACTIVE", "LEFT", "OUT", "PAUSED", "HISTORY_MONTHS", "NO_DAY", "STATUS_NAMES", "UPSKILLING", "Clients", "Status", "Streams", "Workers", "empty"]

HISTORY_MONTHS = 12

NO_DAY = int(np.iinfo(np.int32).min)
"""The value of a day field meaning "no such day" (never entered, never left, no course): written as null.

Not −1: days before day 0 (a burn-in, or an entry before the run) are negative and real."""


@dataclass
class Workers:
    """Per-worker arrays (N rows; C categories, P platforms)."""

    region: np.ndarray            # int32
    cohort: np.ndarray            # int8: 0 young (18-29), 1 prime age, 2 older (50+)
    skill: np.ndarray             # float32 (N, C), 0..1
    category: np.ndarray          # int32: the category the worker works in (-1: none)
    has_car: np.ndarray           # bool
    has_room: np.ndarray          # bool
    full_time: np.ndarray         # bool: would gig full time rather than as a side hustle
    hours_base: np.ndarray        # float32, the worker's usual hours per day available
    hours_month: np.ndarray       # float32, hours per day available this month (usual hours × monthly shock)
    hours_available: np.ndarray   # float32, hours per day the worker could offer this week (month's × weekly shock)
    hours_offered: np.ndarray     # float32, hours per day currently offered (logged in)
    reservation_wage: np.ndarray  # float32, currency per hour of the outside option
    autonomy_value: np.ndarray    # float32, currency per hour the worker values flexibility at
    savings: np.ndarray           # float64, currency
    living_costs: np.ndarray      # float32, currency per month
    other_income: np.ndarray      # float32, currency per month from outside gig work
    insured: np.ndarray           # bool: has health insurance outside gig work
    member: np.ndarray            # bool (N, P)
    employer: np.ndarray          # int32: platform employing the worker (-1: contractor)
    rating_sum: np.ndarray        # float32 (N, P)
    rating_count: np.ndarray      # int32 (N, P)
    status: np.ndarray            # int8, a Status
    first_entry_day: np.ndarray   # int32 (NO_DAY: never entered)
    entry_day: np.ndarray         # int32, day of the latest entry (NO_DAY: never entered)
    exit_day: np.ndarray          # int32, day of the latest exit (NO_DAY: never left)
    ask: np.ndarray               # float32, asking price as a multiple of the category's base price
    backlog: np.ndarray           # float32, committed work hours not yet done
    asset_free_day: np.ndarray    # int32, first day one of her listings (rooms) is free again (stays)
    listings: np.ndarray          # int16, the host's listings (1 unless she has a room and several listings)
    room_start: np.ndarray        # int64 (N + 1): her listings are rows room_start[i]:room_start[i + 1] of room_free_day
    room_free_day: np.ndarray     # int32 (Σ listings): first day each listing is free again
    listing_type: np.ndarray      # int8, a ListingType: what she lets (NONE without a room; 7.9)
    listing_price: np.ndarray     # float32, her listings' price as a multiple of the category's (1: the average listing)
    upskill_target: np.ndarray    # int32 (-1)
    upskill_done_day: np.ndarray  # int32
    benefit_eligible: np.ndarray  # bool: covered by portable benefits this month
    # daily flows (reset every day)
    day_pay: np.ndarray           # float64, gross pay received today (task shares, top-ups, wages)
    day_costs: np.ndarray         # float64, running costs today
    day_task_hours: np.ndarray    # float32, hours of tasks won today
    day_engaged_hours: np.ndarray  # float32, task plus pickup hours of tasks won today
    day_worked_hours: np.ndarray  # float32, hours actually worked today (≤ hours offered)
    day_tasks: np.ndarray         # int32
    # trailing and periodic accumulators
    ema_net: np.ndarray           # float32, 30-day EWMA of daily net earnings
    ema_logged: np.ndarray        # float32, 30-day EWMA of daily logged-in hours
    usual_net: np.ndarray         # float32, slow EWMA (labour_supply.usual_wage_days) of ema_net, updated weekly
    usual_logged: np.ndarray      # float32, the same of ema_logged: usual_net / usual_logged is her usual hourly
    week_applications: np.ndarray  # int32
    week_wins: np.ndarray         # int32
    week_logged: np.ndarray       # float32
    week_engaged: np.ndarray      # float32
    month_net: np.ndarray         # float64, net gig earnings this month
    month_tasks: np.ndarray       # int32
    month_history: np.ndarray     # float32 (N, 12): net gig earnings of the last 12 months (NaN: inactive)
    lifetime_tasks: np.ndarray    # int32
    exit_reason: np.ndarray       # int8: why the worker last left, an ExitReason (NOT_LEFT: never left)
    hours_history: np.ndarray     # float32 (N, 4): logged-in hours of each of the last four weeks
    pool_day: np.ndarray          # int32, day the person joined the pool of potential workers (a future day: not yet)
    pool_exit_day: np.ndarray     # int32, day she left the pool (NO_DAY: still in it)
    income_factor: np.ndarray     # float32, this month's other income as a multiple of her usual (1: no shock)
    months_paused: np.ndarray     # int16, monthly rounds at which she took the month off (status PAUSED)
    match_value: np.ndarray       # float32, currency per hour: her match with gig work, learned in it (attachment)
    match_learned: np.ndarray     # bool: she has learned her match (it is part of her autonomy value)
    drawn_past: np.ndarray        # bool: her gig work before the run is a drawn past spell (population.draw_past_spells)

    @property
    def n(self) -> int:
        return self.region.size

    def nbytes(self) -> int:
        return sum(getattr(self, f.name).nbytes for f in fields(self))


@dataclass
class Clients:
    """Per-client arrays (M rows)."""

    region: np.ndarray        # int32
    business: np.ndarray      # bool
    ai_adoption: np.ndarray   # float32, 0..1 propensity to use AI when it is allowed and cheaper
    wtp: np.ndarray           # float32, willingness to pay as a multiple of the base price
    platform: np.ndarray      # int32 (M, C): platform the client posts each category on (-1)


@dataclass
class Streams:
    """Demand streams: one per (client, category) the client buys; tasks arrive as Poisson(rate)."""

    client: np.ndarray        # int32
    category: np.ndarray      # int32
    rate: np.ndarray          # float32, tasks per day at demand multiplier 1
    favourite: np.ndarray     # int32: worker the client re-hires directly (-1: none)
    tie_strength: np.ndarray  # int32: repeat hires of the favourite


def empty(n: int, dtype, fill=0) -> np.ndarray:
    """A new array of n rows filled with `fill`."""
    return np.full(n, fill, dtype=dtype)
