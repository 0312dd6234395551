"""The model's books: the day's and the month's counters and money flows, and the policy funds.

One owner per piece of state: the daily phases (gigsim.model.model, gigsim.model.decisions) write
into `model.ledger.day`; the model opens a new day's ledger at the start of each day (keeping the
last one as `model.ledger.yesterday`), adds the day to `model.ledger.month` when the day closes and
resets the month after the monthly decisions; `gigsim.model.metrics.Recorder` only reads.

Flows are arrays flows[k, p, c]: k a money or hours flow (see FLOW_NAMES), p a platform (the last
row, p = P, is work referred off the platforms), c a category.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numba import njit

from gigsim.model.vocabulary import FLOW_NAMES, Fate, Flow


@njit(cache=True)
def task_counts(t_platform, t_category, t_region, t_fate, n_platforms, n_categories, n_regions):
    """One pass over the day's tasks: counts per (platform, category) of tasks posted, automated and
    unfilled, and per (platform, category, region) of tasks left to humans and of tasks filled."""
    posted = np.zeros((n_platforms, n_categories), np.int64)
    automated = np.zeros((n_platforms, n_categories), np.int64)
    unfilled = np.zeros((n_platforms, n_categories), np.int64)
    human = np.zeros(n_platforms * n_categories * n_regions, np.int64)
    filled = np.zeros(n_platforms * n_categories * n_regions, np.int64)
    for t in range(t_fate.size):
        p, c, f = t_platform[t], t_category[t], t_fate[t]
        k = (p * n_categories + c) * n_regions + t_region[t]
        posted[p, c] += 1
        if f == Fate.AUTOMATED:
            automated[p, c] += 1
        else:
            human[k] += 1
        if f == Fate.UNFILLED:
            unfilled[p, c] += 1
        elif f == Fate.FILLED or f == Fate.DIRECT or f == Fate.REFERRAL:
            filled[k] += 1
    return posted, automated, unfilled, human, filled


@dataclass
class DayLedger:
    """What happened today: flows per market and the day's counters (all zero when the day opens)."""

    flows: np.ndarray                 # float64 (F, P+1, C), see FLOW_NAMES
    automated_by_category: np.ndarray  # float64 (C): tasks AI took today
    # counts of today's tasks, filled in when the day closes (`count_tasks`)
    posted: np.ndarray                # int64 (P, C): tasks posted
    automated: np.ndarray             # int64 (P, C): tasks AI took
    unfilled: np.ndarray              # int64 (P, C): tasks nobody took
    human: np.ndarray                 # int64 (P, C, R): tasks left to humans, per market
    filled: np.ndarray                # int64 (P, C, R): tasks filled, per market
    surged_out: np.ndarray            # int64 (P, C, R): requests the surge priced out (budget covered the list price
    #                                   only), per market; set when the tasks are posted, read by the surge rule
    tasks_demanded: int = 0           # Poisson draws of all streams
    tasks_priced_out: int = 0         # demanded tasks the client did not post at the price
    tasks_unserved: int = 0           # demanded tasks whose client has no platform for the category
    direct_hires: int = 0
    matching_rounds: int = 0
    referral_tasks: int = 0
    ai_spend: float = 0.0             # currency
    employee_wages: float = 0.0       # currency
    entries: int = 0
    exits: int = 0
    cash_transfers: float = 0.0       # currency
    retraining_subsidies: float = 0.0  # currency
    health_costs: float = 0.0         # currency
    uncovered_health_costs: float = 0.0  # currency paid from savings
    benefit_payouts: float = 0.0      # currency

    @classmethod
    def empty(cls, n_platforms: int, n_categories: int, n_regions: int) -> DayLedger:
        pc = (n_platforms, n_categories)
        pcr = (n_platforms, n_categories, n_regions)
        return cls(flows=np.zeros((len(FLOW_NAMES), n_platforms + 1, n_categories)),
                   automated_by_category=np.zeros(n_categories),
                   posted=np.zeros(pc, np.int64), automated=np.zeros(pc, np.int64), unfilled=np.zeros(pc, np.int64),
                   human=np.zeros(pcr, np.int64), filled=np.zeros(pcr, np.int64), surged_out=np.zeros(pcr, np.int64))

    def count_tasks(self, tasks) -> None:
        """Count the day's tasks by fate, per (platform, category) and per market (at the close of the day)."""
        shape = self.human.shape
        posted, automated, unfilled, human, filled = task_counts(
            tasks.platform, tasks.category, tasks.region, tasks.fate, *shape)
        self.posted, self.automated, self.unfilled = posted, automated, unfilled
        self.human, self.filled = human.reshape(shape), filled.reshape(shape)

    @property
    def platform_filled(self) -> np.ndarray:
        """Tasks filled on each platform (P, C) today (referred work excluded)."""
        return self.flows[Flow.TASKS_FILLED, : self.posted.shape[0]]


@dataclass
class MonthLedger:
    """The month so far: flows and tasks posted to humans, per market (reset after the monthly decisions)."""

    flows: np.ndarray   # float64 (F, P+1, C)
    posted: np.ndarray  # float64 (P, C): tasks posted and not automated

    @classmethod
    def empty(cls, n_platforms: int, n_categories: int) -> MonthLedger:
        return cls(np.zeros((len(FLOW_NAMES), n_platforms + 1, n_categories)),
                   np.zeros((n_platforms, n_categories)))

    def add(self, day: DayLedger) -> None:
        """Add a closed day."""
        self.flows += day.flows
        self.posted += day.posted - day.automated

    def reset(self) -> None:
        self.flows[:] = 0.0
        self.posted[:] = 0.0


@dataclass
class Ledger:
    """The model's books: today's, yesterday's and the month's, and the policy funds (currency)."""

    n_platforms: int
    n_categories: int
    n_regions: int
    day: DayLedger = field(init=False)
    yesterday: DayLedger = field(init=False)
    month: MonthLedger = field(init=False)
    benefit_fund: float = 0.0    # portable-benefit contributions less payouts so far
    transfer_fund: float = 0.0   # cash-transfer levy less transfers so far

    def __post_init__(self) -> None:
        self.day = self._blank_day()
        self.yesterday = self._blank_day()
        self.month = MonthLedger.empty(self.n_platforms, self.n_categories)

    def _blank_day(self) -> DayLedger:
        return DayLedger.empty(self.n_platforms, self.n_categories, self.n_regions)

    def new_day(self) -> None:
        """Open a new day's ledger; the last one becomes `yesterday`."""
        self.yesterday = self.day
        self.day = self._blank_day()
