"""Policies as enacted: pay standards (NYC 2019, Seattle 2024) with the platforms' responses, a platform
minimum wage on asks (Horton 2025), retirement accounts, portable ratings, employment (docs/model.md,
"Policies as enacted").

The model calls four hooks; each returns at once when none of these levers is enabled, so worlds without
them are unchanged:
- `before_markets` (start of the day): log-in caps limit today's logged-in hours; asks are raised to a
  platform minimum wage; employees log in their schedules;
- `after_settlement` (after tasks and wages are paid and checked): pay-standard top-ups, the month's
  utilisation and bookings, retirement-eligible pay;
- `end_of_day` (after the periodic decisions and life events): employer retirement deposits, portable
  ratings, and at each month's end the platforms' responses, returns and quarterly portable deposits;
- `worker_columns`: the retirement outcomes in the worker table.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from gigsim.model.kernels.structs import MarketParams, Tasks
from gigsim.model.policies import (
    classification,
    login_limits,
    minimum_ask,
    pandemic,
    pay_standards,
    portable_ratings,
    retirement,
)
from gigsim.model.state import ACTIVE
from gigsim.model.vocabulary import Fate

STANDARDS = ("nyc_pay_standard", "seattle_pay_standard")


@dataclass
class PolicyState:
    """What these policies remember: the month's market accumulators (P, C), caps, retirement accounts (N)."""

    n: int
    P: int
    C: int
    enabled: bool
    categories: dict[str, np.ndarray]
    nominal: np.ndarray
    caps: np.ndarray
    acc: dict[str, np.ndarray] = field(default_factory=dict)      # this month so far
    month: dict[str, np.ndarray] = field(default_factory=dict)    # last complete month
    days: int = 0
    month_days: int = 0
    turned_away: int = 0
    member_before: np.ndarray | None = None
    entry_before: np.ndarray | None = None
    first_entry_before: np.ndarray | None = None
    balance: np.ndarray | None = None
    contributed: np.ndarray | None = None
    pay_total: np.ndarray | None = None
    quarter_pay: np.ndarray | None = None
    pending_by: np.ndarray | None = None   # (P, C) employer deposits of today, booked at the day's end
    desired: np.ndarray | None = None      # (N) hours a day workers would log in today, before any cap
    capped_overnight: bool = False         # caps were applied at yesterday's end (`desired` kept before them)
    log: list = field(default_factory=list)  # one row per month and standard: utilisation, cap, price, burden
    employer_of: np.ndarray | None = None  # (N) platform employing the worker under `employment` (-1: none)
    schedule: np.ndarray | None = None     # (N, 7) hours her employer schedules on each weekday
    wages_today: np.ndarray | None = None  # (N) wage paid today under `employment`
    demand_days: deque | None = None       # under `employment`: the last 28 days' (weekday, demand per (P, R))
    wage: float | None = None              # under `employment`: the employers' wage per scheduled hour
    login_days: np.ndarray | None = None   # (N) days active in a pay standard's categories while it is in force
    login_days_capped: np.ndarray | None = None  # (N) of those, days her log-in hours were held at a cap
    paused_at: dict = field(default_factory=dict)  # platform -> (drivers, posted hours) when its dated pause began
    licences: int | None = None            # vehicle licences under a licence cap (set on its first round)
    weekly_benefit: np.ndarray | None = None  # (N) unemployment claims: the weekly benefit amount (0: no claim)
    main_job_lost: np.ndarray | None = None   # (N) side hustlers whose main job the pandemic took (to the lever's end)
    day_cost: np.ndarray | None = None        # (N) infection risk: her cost of a day worked in person (drawn at start)

    KEYS = ("posted_hours", "passenger_hours", "logged_hours", "bookings", "bookings_nominal", "uplift", "topups",
            "posted_engaged", "labour_cost", "employer_bookings_nominal")

    @classmethod
    def create(cls, model) -> PolicyState:
        """Empty state sized for the model; checks that the levers' categories exist."""
        pol = model.config.policy
        names = ("nyc_pay_standard", "seattle_pay_standard", "retirement", "portable_ratings", "employment",
                 "minimum_ask", "vehicle_licence_cap", "unemployment_assistance", "infection_risk")
        enabled = any(getattr(pol, k).enabled for k in names)
        categories = {}
        for key in STANDARDS:
            lever = getattr(pol, key)  # its categories exist (checked when the scenario is validated)
            categories[key] = np.array([model.category_names.index(c) for c in lever.categories
                                        if c in model.category_names], dtype=np.int64)
        n, P, C = model.workers.n, model.n_platforms, model.n_categories
        ps = cls(n=n, P=P, C=C, enabled=enabled, categories=categories,
                 nominal=model.price_multiplier.copy(), caps=np.full(P, np.inf))
        ps.acc = {k: np.zeros((P, C)) for k in cls.KEYS}
        ps.month = {k: np.zeros((P, C)) for k in cls.KEYS}
        ps.member_before = np.zeros((n, P), dtype=bool)
        ps.entry_before = model.workers.entry_day.copy()
        ps.first_entry_before = model.workers.first_entry_day.copy()
        ps.balance, ps.contributed, ps.pay_total = np.zeros(n), np.zeros(n), np.zeros(n)
        ps.quarter_pay = np.zeros((n, P))
        ps.desired = model.workers.hours_offered.astype(np.float64)
        ps.employer_of = np.full(n, -1, dtype=np.int64)
        ps.schedule, ps.wages_today = np.zeros((n, classification.WEEK)), np.zeros(n)
        ps.login_days, ps.login_days_capped = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
        return ps

    def utilisation(self, basis: str) -> np.ndarray:
        """(P, C) passenger hours / logged-in hours of the last month (this month's so far before the first)."""
        source = self.month if self.month_days else self.acc
        passenger, logged = source["passenger_hours"], source["logged_hours"]
        if basis == "sector":
            passenger = np.broadcast_to(passenger.sum(axis=0), passenger.shape)
            logged = np.broadcast_to(logged.sum(axis=0), logged.shape)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(logged > 0, passenger / logged, 1.0)


def _standards_enabled(model):
    pol = model.config.policy
    return [(key, getattr(pol, key)) for key in STANDARDS if getattr(pol, key).enabled]


def _standards_in_force(model) -> list[str]:
    """The pay standards enabled and in force today (their log-in caps bind)."""
    return [key for key, _lever in _standards_enabled(model) if model.lever_on(key)]


# --------------------------------------------------------------------------- hooks


def before_markets(model) -> None:
    """Start of the day: remember entry days before a monthly round; cap today's logged-in hours."""
    ps = model.policy_state
    if not ps.enabled:
        return
    if model.day % 30 == 29:
        ps.entry_before[:] = model.workers.entry_day
        ps.first_entry_before[:] = model.workers.first_entry_day
    if not ps.capped_overnight:  # else yesterday's end kept them before capping (`_cap_tomorrow`)
        ps.desired[:] = model.workers.hours_offered
    ps.capped_overnight = False
    in_force = _standards_in_force(model)
    for key in in_force:
        cap = login_limits.apply_caps(model, ps.caps, ps.categories[key])
        _count_capped_days(model, ps, ps.categories[key], cap)
    if model.lever_on("minimum_ask"):
        minimum_ask.raise_asks(model, model.config.policy.minimum_ask)
    if model.lever_on("employment"):
        classification.log_in(model, ps, model.config.policy.employment)


def _count_capped_days(model, ps, categories: np.ndarray, cap: np.ndarray) -> None:
    """Count today for each active worker of the standard's categories, and whether a log-in cap held her hours:
    she would have logged in at least her cap (hours a day), so she logs in exactly the cap. A cap persists
    in her hours until her weekly hours decision moves them (section 7.9), so a worker held at it counts on
    each day she stays there. Outcome columns `login_days`, `login_days_capped`."""
    w = model.workers
    scope = (w.status == ACTIVE) & np.isin(w.category, categories)
    held = scope & np.isfinite(cap) & (ps.desired >= cap - 1e-6)
    ps.login_days[scope] += 1
    ps.login_days_capped[held] += 1


def after_settlement(model, tasks: Tasks, flows: np.ndarray, params: MarketParams) -> None:
    """Top trips up to the enacted standards; accumulate the month's hours and bookings; retirement pay."""
    ps = model.policy_state
    if not ps.enabled:
        return
    w = model.workers
    idx = np.flatnonzero((tasks.fate == Fate.FILLED) | (tasks.fate == Fate.DIRECT))
    worker, p, c = tasks.worker[idx].astype(np.int64), tasks.platform[idx], tasks.category[idx]
    price = tasks.price[idx]
    employee_task = (ps.employer_of[worker] == p) & model.lever_on("employment")
    contractor = (w.employer[worker] != p) & ~employee_task
    engaged = tasks.hours[idx] + tasks.pickup[idx]
    share = (1.0 - params.commission[p]) * price
    # what settlement paid each trip's worker (contractors of the platform, which employees under
    # `employment` still are for the kernel); employees' trips are then taken back by their employer
    settled = np.where(w.employer[worker] != p, np.maximum(share, params.pay_floor * engaged), 0.0)
    paid = np.where(contractor, settled, 0.0)
    standards = _standards_enabled(model)
    employment = model.config.policy.employment
    if standards or employment.enabled:
        _accumulate_hours(model, ps, tasks, flows, params)
    if employment.enabled:
        classification.accumulate(model, ps, tasks, params)
    if model.lever_on("employment"):
        on = classification.employer_mask(model, employment)[p]
        np.add.at(ps.acc["employer_bookings_nominal"], (p, c),
                  np.where(on, price * ps.nominal[p] / model.price_multiplier[p], 0.0))
        costs = classification.pay(model, ps, employment, flows, worker, p, c, settled, employee_task)
        ps.pending_by = costs if ps.pending_by is None else ps.pending_by + costs
    for key, lever in standards:
        scope = contractor & np.isin(c, ps.categories[key])
        if not model.lever_on(key):
            continue
        if key == "nyc_pay_standard":
            floor = pay_standards.nyc_trip_floor(params.task_hours[c], ps.utilisation(lever.utilisation)[p, c],
                                                 lever.per_minute, lever.per_mile, lever.miles_per_hour)
        else:
            floor = pay_standards.seattle_trip_floor(engaged, lever.per_minute, lever.per_mile,
                                                     lever.miles_per_hour, lever.per_offer)
        topup = np.where(scope, pay_standards.topups(floor, paid), 0.0)
        nominal_price = price * ps.nominal[p] / model.price_multiplier[p]
        uplift = np.where(scope, np.maximum(floor - (1.0 - params.commission[p]) * nominal_price, 0.0), 0.0)
        for name, values in (("bookings", np.where(scope, price, 0.0)), ("topups", topup),
                             ("bookings_nominal", np.where(scope, nominal_price, 0.0)), ("uplift", uplift)):
            np.add.at(ps.acc[name], (p, c), values)
        _pay(model, flows, worker, p, c, topup)
        paid = paid + topup
    if model.lever_on("retirement"):
        np.add.at(ps.quarter_pay, (worker, p), paid)
        _employer_deposits(model, flows)


def _accumulate_hours(model, ps, tasks, flows, params) -> None:
    """The day's passenger hours asked for and filled, and logged-in hours, per (platform, category)."""
    posted = tasks.fate != Fate.AUTOMATED
    np.add.at(ps.acc["posted_hours"], (tasks.platform[posted], tasks.category[posted]),
              params.task_hours[tasks.category[posted]])
    np.add.at(ps.acc["posted_engaged"], (tasks.platform[posted], tasks.category[posted]),
              params.task_hours[tasks.category[posted]] + params.pickup_hours[tasks.category[posted]])
    ps.acc["passenger_hours"] += flows[7, : model.n_platforms]
    share = login_limits._membership_share(model, np.arange(model.n_categories))
    w = model.workers
    hours = np.where(w.status == ACTIVE, w.hours_offered, 0.0).astype(np.float64)
    for c in range(model.n_categories):
        rows = w.category == c
        ps.acc["logged_hours"][:, c] += share[rows].T @ hours[rows]
    ps.days += 1


def _pay(model, flows, worker, p, c, topup) -> None:
    """Pay the top-ups: workers' day pay, the worker-pay and top-up flows up, platform revenue down."""
    if not topup.any():
        return
    np.add.at(model.workers.day_pay, worker, topup)
    for k, sign in ((1, 1.0), (2, -1.0), (3, 1.0)):
        np.add.at(flows[k], (p, c), sign * topup)


def _employer_deposits(model, flows) -> None:
    """Employees (of either classification lever): the employer deposits employer_rate of today's wage."""
    w, ps = model.workers, model.policy_state
    employed = np.zeros(0, dtype=np.int64)
    wage = np.zeros(0)
    employer = np.zeros(0, dtype=np.int64)
    if model.lever_on("employee_classification"):
        employed = np.flatnonzero((w.employer >= 0) & (w.status == ACTIVE))
        wage = model.config.policy.employee_classification.hourly_wage * w.hours_offered[employed].astype(np.float64)
        employer = w.employer[employed]
    elif model.lever_on("employment"):
        employed = np.flatnonzero(ps.wages_today > 0)
        wage, employer = ps.wages_today[employed], ps.employer_of[employed]
    if employed.size == 0:
        return
    deposit = model.config.policy.retirement.employer_rate * wage
    ps.balance[employed] += deposit
    ps.contributed[employed] += deposit
    by = np.zeros((model.n_platforms, model.n_categories))
    np.add.at(by, (employer, np.maximum(w.category[employed], 0)), deposit)
    ps.pending_by = by if ps.pending_by is None else ps.pending_by + by


def end_of_day(model, flows: np.ndarray, expectations) -> None:
    """Book the day's retirement deposits, carry ratings to new platforms, take the pandemic levers' start-day
    decisions (on `expectations(model)`: expected net hourly earnings, N; passed in because the decisions module
    reads the policies) and close the month."""
    ps = model.policy_state
    if not ps.enabled:
        return
    pol = model.config.policy
    if ps.pending_by is not None:
        retirement.book_deposits(model, flows, ps.pending_by)
        ps.pending_by = None
    if model.lever_on("retirement") and model.day >= 0:
        ps.pay_total += model.workers.day_pay
    if pol.portable_ratings.enabled:
        if model.lever_on("portable_ratings"):
            portable_ratings.import_ratings(model, ps.member_before, pol.portable_ratings.carry_over)
        ps.member_before[:] = model.workers.member
    pandemic.reconsider_at_start(model, expectations)
    if model.day % 30 == 29:
        _close_month(model, flows)
    _cap_tomorrow(model, ps)


def _cap_tomorrow(model, ps) -> None:
    """A log-in cap also binds on the hours a driver chose today for tomorrow (the weekly hours decision, an entry,
    a new cap at the month's end): she cannot plan to log in beyond her platforms' cap. Tomorrow's markets see the
    same hours either way (the cap is applied again before them, and `desired`, the hours she would log in before
    any cap, is kept here before capping); what changes is what the day's tables record (metrics
    `logged_hours*`, the weekly panel), which read the hours offered after the day's decisions and so counted,
    for a capped driver, hours she could not log in (session 9: the NYC episode's utilisation was measured
    0.66 pt below the one of the hours the drivers logged in)."""
    in_force = _standards_in_force(model)
    if not in_force:
        return
    ps.desired[:] = model.workers.hours_offered  # what she would log in tomorrow before any cap
    ps.capped_overnight = True
    for key in in_force:
        login_limits.apply_caps(model, ps.caps, ps.categories[key])


def _close_month(model, flows) -> None:
    """Month's end: no stranded workers, roll the accumulators, set responses, credit returns and deposits."""
    ps = model.policy_state
    pol = model.config.policy
    if model.lever_on("vehicle_licence_cap"):
        cats = np.array([model.category_names.index(c) for c in pol.vehicle_licence_cap.categories])
        login_limits.licence_cap(model, ps, cats, pol.vehicle_licence_cap.licences_per_vehicle)
    for key, lever in _standards_enabled(model):
        if model.lever_on(key) and "onboarding" in lever.responses:
            login_limits.no_worker_without_platform(model, ps, ps.categories[key])
    ps.month = {k: ps.acc[k].copy() for k in PolicyState.KEYS}
    ps.month_days = max(ps.days, 1)
    ps.acc = {k: np.zeros((ps.P, ps.C)) for k in PolicyState.KEYS}
    ps.days = 0
    for key, lever in _standards_enabled(model):
        if not model.lever_on(key):
            continue
        cats = ps.categories[key]
        platforms = np.flatnonzero(model.serves[:, cats].any(axis=1))
        caps = login_limits.platform_caps(model, lever, _MonthView(ps, lever, cats), cats)
        ps.caps[platforms] = caps[platforms]
        view = _MonthView(ps, lever, cats)
        login_limits.price_response(model, lever, view, ps.nominal, platforms)
        login_limits.onboarding_response(model, lever, view, platforms, cats)
        ps.log.append({"day": model.day, "standard": key, "utilisation": view.utilisation[platforms].tolist(),
                       "cap": caps[platforms].tolist(),
            "desired": float(ps.desired[np.isin(model.workers.category, cats)
                                        & (model.workers.status == ACTIVE)].sum()),
            "price": model.price_multiplier[platforms].tolist(),
            "burden": (view.month_topups / np.maximum(view.month_bookings, 1e-9))[platforms].tolist()})
    if model.lever_on("employment"):
        classification.price(model, ps, pol.employment)  # first: the plan values fares at the new prices
        classification.plan(model, ps, pol.employment)
        served = model.serves[classification.employer_mask(model, pol.employment)].any(axis=0)
        login_limits.no_worker_without_platform(model, ps, np.flatnonzero(served))
    if model.lever_on("retirement") and model.day >= 0:
        retirement.credit_return(ps.balance, pol.retirement.annual_return)
        if ((model.day + 1) // 30) % (retirement.QUARTER_DAYS // 30) == 0:
            _quarterly_deposits(model, flows)


class _MonthView:
    """Last month's totals as the responses read them: per platform (P) or per (P, C)."""

    def __init__(self, ps: PolicyState, lever, categories: np.ndarray):
        m = ps.month
        self.caps = ps.caps
        passenger = m["passenger_hours"][:, categories].sum(axis=1)
        logged = m["logged_hours"][:, categories].sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.utilisation = np.where(logged > 0, passenger / logged, lever.target_utilisation)
        self.month_days = ps.month_days
        self.month_posted_hours = m["posted_hours"]
        self.month_passenger_hours = m["passenger_hours"]  # (P, C) served: what the log-in caps are set from
        self.month_bookings = m["bookings"].sum(axis=1)
        self.month_bookings_nominal = m["bookings_nominal"].sum(axis=1)
        self.month_uplift = m["uplift"].sum(axis=1)
        self.month_topups = m["topups"].sum(axis=1)
        self.desired = ps.desired
        self.paused_at = ps.paused_at  # shared: a dated onboarding pause records its start here


def _quarterly_deposits(model, flows) -> None:
    """Quarter's end: platforms deposit the portable share of eligible contractors' quarter pay."""
    ps, lever = model.policy_state, model.config.policy.retirement
    deposit = retirement.portable_deposits(ps.quarter_pay, lever.portable_share, lever.min_quarterly_earnings)
    per_worker = deposit.sum(axis=1)
    ps.balance += per_worker
    ps.contributed += per_worker
    w = model.workers
    by = np.zeros((model.n_platforms, model.n_categories))
    for p in range(model.n_platforms):
        np.add.at(by[p], np.maximum(w.category, 0), deposit[:, p])
    retirement.book_deposits(model, flows, by)
    ps.quarter_pay[:] = 0.0


def worker_columns(model, table: pl.DataFrame) -> pl.DataFrame:
    """The worker table with employers under `employment`, the log-in hours wanted and cut by caps under a pay
    standard, and the retirement outcomes (each when its lever is enabled)."""
    ps = model.policy_state
    if _standards_enabled(model):
        table = table.with_columns(pl.Series("login_days", ps.login_days),
                                   pl.Series("login_days_capped", ps.login_days_capped))
    if model.config.policy.employment.enabled:
        names = np.array(model.platform_names)
        hired = pl.Series(ps.employer_of >= 0)
        mine = pl.Series(names[np.maximum(ps.employer_of, 0)])
        table = table.with_columns(pl.when(hired).then(mine).otherwise(pl.col("employer")).alias("employer"))
    if not model.config.policy.retirement.enabled:
        return table
    lever = model.config.policy.retirement
    cols = retirement.worker_outcomes(ps.balance, ps.contributed, ps.pay_total, model.day - lever.start,
                                      lever.employer_rate)
    return table.with_columns(*(pl.Series(k, v) for k, v in cols.items()))
