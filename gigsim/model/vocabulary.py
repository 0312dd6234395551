"""The model's vocabulary: every code the state, the kernels and the outputs share, defined once.

IntEnums, so the arrays hold small integers while the code reads names: numba treats a member
(`Status.ACTIVE`) inside a jitted kernel as a compile-time constant, so `status[i] == Status.ACTIVE`
costs what `status[i] == 1` did. The scenario's and the UI's lists of rule names are derived from
these enums (`MATCHING_RULES`, `PRICING_RULES`), so a rule is added in one place.

This module imports nothing from gigsim, so any module (the scenario schema included) may import it.
"""

from __future__ import annotations

from enum import IntEnum


class Status(IntEnum):
    """A worker's status (`Workers.status`, int8)."""

    OUT = 0          # never entered gig work
    ACTIVE = 1       # working on platforms
    UPSKILLING = 2   # retraining for another category
    LEFT = 3         # left gig work
    PAUSED = 4       # in gig work but taking this month off (keeps her platforms and ratings)


class Fate(IntEnum):
    """What became of a posted task over the day (`Tasks.fate`, int8)."""

    OPEN = 0        # still looking for a worker (never at the end of a day)
    AUTOMATED = 1   # taken by AI
    FILLED = 2      # matched on its platform in a matching round
    DIRECT = 3      # re-hired directly: the client's favourite worker took it
    REFERRAL = 4    # passed by the favourite to a neighbour, off the platform
    UNFILLED = 5    # nobody took it


HUMAN_FATES = (Fate.FILLED, Fate.DIRECT, Fate.REFERRAL)
"""The fates of tasks a worker did."""


class ListingType(IntEnum):
    """What a host lets (`Workers.listing_type`, int8; drawn in population.draw_listing_types, docs/model.md 7.9).
    It sets her listings' nightly rate and whether letting them forgoes a long-term tenant."""

    NONE = 0            # no room to let
    DEDICATED_UNIT = 1  # an entire home she does not live in: letting it forgoes a long-term tenant's rent
    OWN_HOME = 2        # her own entire home, let while she is away: no tenant to lose
    PRIVATE_ROOM = 3    # a room in the home she lives in
    SHARED_ROOM = 4     # a shared room in the home she lives in


ENTIRE_HOMES = (ListingType.DEDICATED_UNIT, ListingType.OWN_HOME)
"""The listing types that are entire homes (priced at the entire-home rate)."""


class ExitReason(IntEnum):
    """Why a worker last left gig work (`Workers.exit_reason`, int8; NOT_LEFT if she never left)."""

    EARNINGS = 0  # her gig hour was worth less than her outside option
    SAVINGS = 1   # her savings fell below the credit limit: she took an outside job
    RANDOM = 2    # a reason outside the model (moving, health, a new job)
    POLICY = 3    # no platform to work on: platforms were not taking workers (onboarding caps, headcount)
    PAST = 4      # left before the simulated run began: a former participant drawn at the start (population.draw_past_spells)


NOT_LEFT = -1
"""`Workers.exit_reason` of a worker who never left (written as null in workers.parquet)."""

EXIT_REASONS = tuple(r.name.lower() for r in ExitReason)
"""The exit reasons' names, as workers.parquet writes them, in code order."""

PAST_EXIT = ExitReason.PAST.name.lower()
"""The name of a drawn exit before the run (a former participant at the start): not an exit of the run."""


class Flow(IntEnum):
    """The rows k of a flows array flows[k, platform (+1: off-platform), category] (see gigsim.model.ledgers)."""

    CLIENT_PAYMENTS = 0          # currency clients paid
    WORKER_PAY = 1               # currency workers received (task shares, top-ups, wages)
    PLATFORM_REVENUE = 2         # currency platforms kept (commission − top-ups − contributions − levy − wages)
    PAY_FLOOR_TOPUPS = 3         # currency platforms added to reach the pay floor
    BENEFIT_CONTRIBUTIONS = 4    # currency into the portable-benefit fund
    TRANSFER_LEVY = 5            # currency into the cash-transfer fund
    TASKS_FILLED = 6             # tasks
    TASK_HOURS = 7               # hours of task work
    WORKER_COSTS = 8             # currency of workers' running costs
    COMMISSION_CAP_TRANSFER = 9  # currency the commission cap moved from platforms to workers
    ENGAGED_HOURS = 10           # task plus pickup hours


FLOW_NAMES = tuple(f.name.lower() for f in Flow)
"""Column names of the flows (metrics.parquet, markets.parquet), in row order."""


class Matching(IntEnum):
    """How a platform picks among a task's applicants (docs/model.md 7.5)."""

    RANDOM = 0      # uniformly at random
    NEAREST = 1     # the closest applicant (pickup time from the distance)
    REPUTATION = 2  # the highest Bayesian rating plus any newcomer boost
    CHEAPEST = 3    # the lowest asking price (bids platforms)


class Pricing(IntEnum):
    """How a platform prices tasks (docs/model.md 7.2)."""

    FIXED = 0   # base price × the platform's multiplier
    SURGE = 1   # × the market's surge multiplier
    BIDS = 2    # workers' asking prices


MATCHING_RULES = tuple(m.name.lower() for m in Matching)
"""The matching rules' names, as a scenario writes them."""

PRICING_RULES = tuple(p.name.lower() for p in Pricing)
"""The pricing rules' names, as a scenario writes them."""

STATUS_NAMES = {s: s.name.lower() for s in Status}
"""A status code's name, as workers.parquet writes it."""
