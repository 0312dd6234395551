"""Measures of a run's tables that the scorecard compares with published levels.

Every function takes a `RunTables` (arrays built from what `gigsim run` writes: metrics, markets and
workers parquet and the worker panels panel_weekly / panel_monthly, see gigsim.analysis.facts.tables_from_run)
and returns a number, or None when the run does not define it (no ride drivers, no hosts, ...). None is never
replaced by a guess.

The arrays (from the outputs named):
- `month_status`, `month_category` (months × workers): status code and category after each monthly round
  (panel_monthly);
- `week_hours`, `week_category` (weeks × workers): logged-in hours of each worker who was active in one
  category on all seven days of the week (NaN otherwise; panel_weekly `full_week`) and her category on the
  week's first day (−1: none or no row);
- `first_task_day` (workers): first day she did a task, burn-in days negative (NaN: never; workers.parquet);
- `run_pay` (workers): gross pay over the whole recorded run; `window_pay` over the weeks wholly inside the
  measurement window (panel_weekly `gross_pay`);
- `ride_platforms` (workers): ride-hailing platforms she is a member of at the end (workers `member_by_platform`);
- `logged_by_category` (days × categories): logged-in hours of active workers per category and day
  (metrics `logged_hours_<category>`);
- `tasks_by_category`, `task_skill` (days × categories): tasks done by workers of each category, and their
  sum weighted by the doer's skill (0..1) in that category (metrics `tasks_won_<category>` and
  `hired_skill_<category>`);
- `rating_count` (workers × platforms): ratings received on each platform (workers `ratings_by_platform`).
Units: hours per week, currency, shares in 0..1. A model month is 30 days, a week 7.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import polars as pl

ACTIVE_CODE = 1
"""Status code of an active worker in the panels (gigsim.model.state.ACTIVE)."""

MONTH = 30
WEEK = 7
RIDES = "rides"
STAYS = "stays"


@dataclass
class RunTables:
    """A run's tables and panels (see the module docstring); `measure_from` starts the measurement window."""

    metrics: pl.DataFrame
    markets: pl.DataFrame
    workers: pl.DataFrame
    category_names: list[str]
    online_categories: list[str]
    month_status: np.ndarray
    month_category: np.ndarray
    week_hours: np.ndarray
    week_category: np.ndarray
    first_task_day: np.ndarray
    run_pay: np.ndarray
    window_pay: np.ndarray
    ride_platforms: np.ndarray
    logged_by_category: np.ndarray
    tasks_by_category: np.ndarray | None = None
    week_tasks: np.ndarray | None = None  # (weeks × workers) tasks done in each week (0 where no row)
    task_skill: np.ndarray | None = None
    rating_count: np.ndarray | None = None
    platform_names: list[str] = field(default_factory=list)
    asset_days: dict[str, int] = field(default_factory=dict)
    measure_from: int = 0
    days: int = 0

    def code(self, category: str) -> int:
        """Index of a category in the panels (−2 if the world has none, which matches nothing)."""
        return self.category_names.index(category) if category in self.category_names else -2

    @property
    def window_weeks(self) -> slice:
        """Weeks that lie wholly in the measurement window."""
        return slice(math.ceil(self.measure_from / WEEK), None)

    @property
    def window_months(self) -> slice:
        return slice(self.measure_from // MONTH, None)


def _share(mask: np.ndarray) -> float | None:
    return float(mask.mean()) if mask.size else None


# --------------------------------------------------------------------------- ride-hailing hours (panel)


def ride_driver_weeks(t: RunTables) -> np.ndarray:
    """Weekly logged-in hours of ride drivers active the whole week, over the window (flat array, hours)."""
    hours = t.week_hours[t.window_weeks]
    cats = t.week_category[t.window_weeks]
    keep = (cats == t.code(RIDES)) & np.isfinite(hours) & (hours > 0)
    return hours[keep]


def ride_hours_up_to_15(t: RunTables) -> float | None:
    """Share of driver-weeks with 15 or fewer logged-in hours (Hall & Krueger's 1-15 h bin)."""
    h = ride_driver_weeks(t)
    return _share(h <= 15.0)


def ride_hours_35_plus(t: RunTables) -> float | None:
    """Share of driver-weeks with 35 or more logged-in hours (Hall & Krueger's 35-49 and 50+ bins)."""
    h = ride_driver_weeks(t)
    return _share(h >= 35.0)


def ride_hours_share_35_plus(t: RunTables) -> float | None:
    """Share of all drivers' logged-in hours done in weeks of 35 hours or more."""
    h = ride_driver_weeks(t)
    return float(h[h >= 35.0].sum() / h.sum()) if h.size else None


def ride_mean_weekly_hours(t: RunTables) -> float | None:
    """Mean logged-in hours per driver-week (hours)."""
    h = ride_driver_weeks(t)
    return float(h.mean()) if h.size else None


def ride_weekly_swing(t: RunTables) -> float | None:
    """Share of drivers driving 25% more or less than in the previous week (consecutive full weeks in rides)."""
    hours = t.week_hours[t.window_weeks]
    cats = t.week_category[t.window_weeks]
    if hours.shape[0] < 2:
        return None
    prev, cur = hours[:-1], hours[1:]
    both = (cats[:-1] == t.code(RIDES)) & (cats[1:] == t.code(RIDES)) & (prev > 0) & np.isfinite(cur)
    change = np.abs(cur[both] / prev[both] - 1.0)
    return _share(change > 0.25)


# --------------------------------------------------------------------------- ride-hailing pay and time


def _market_window(t: RunTables, category: str) -> pl.DataFrame:
    """markets.parquet's rows of one category over the measurement window."""
    return t.markets.filter((pl.col("category") == category) & (pl.col("day") >= t.measure_from))


def ride_logged_hours(t: RunTables) -> float:
    """Logged-in hours of active ride drivers over the window (hours)."""
    c = t.code(RIDES)
    return float(t.logged_by_category[t.measure_from:, c].sum()) if c >= 0 else 0.0


def _per_logged_hour(t: RunTables, column: str) -> float | None:
    """A rides column of markets.parquet summed over the window, per logged-in hour of ride drivers."""
    rides = _market_window(t, RIDES)
    logged = ride_logged_hours(t)
    return float(rides[column].sum()) / logged if rides.height and logged > 0 else None


def ride_utilisation(t: RunTables) -> float | None:
    """Passenger (task) hours / logged-in hours of ride drivers over the window."""
    return _per_logged_hour(t, "task_hours")


def ride_net_to_gross(t: RunTables) -> float | None:
    """Driver pay after vehicle costs / pay before them (both after commission), over the window."""
    rides = _market_window(t, RIDES)
    pay = float(rides["worker_pay"].sum()) if rides.height else 0.0
    return (pay - float(rides["worker_costs"].sum())) / pay if pay > 0 else None


def ride_gross_hourly(t: RunTables) -> float | None:
    """Driver pay after commission, before vehicle costs, per logged-in hour (currency per hour)."""
    return _per_logged_hour(t, "worker_pay")


def ride_net_hourly(t: RunTables) -> float | None:
    """Driver pay after commission and vehicle costs per logged-in hour (currency per hour)."""
    gross, ratio = ride_gross_hourly(t), ride_net_to_gross(t)
    return None if gross is None or ratio is None else gross * ratio


def ride_fare_hourly(t: RunTables) -> float | None:
    """Riders' payments for the trips (before commission) per logged-in hour of ride drivers (currency per hour).

    The model's price is the fare the commission is taken from; it has no booking fee, so its published
    counterpart is Cook et al.'s gross fares per hour (before Uber's commission, after its booking fees)."""
    return _per_logged_hour(t, "client_payments")


def ride_multihoming(t: RunTables) -> float | None:
    """Share of active ride drivers who are members of more than one ride-hailing platform at the end."""
    w = t.workers
    drivers = (w["status"] == "active").to_numpy() & (w["category"] == RIDES).to_numpy()
    return _share(t.ride_platforms[drivers] > 1)


# --------------------------------------------------------------------------- participation (monthly panel)


def _window_months(t: RunTables) -> tuple[np.ndarray, np.ndarray]:
    return t.month_status[t.window_months] == ACTIVE_CODE, t.month_category[t.window_months]


def retention_12m(t: RunTables) -> float | None:
    """Share of workers first entering in a monthly round who are active 12 rounds later."""
    first = t.workers["first_entry_day"].to_numpy()
    kept = total = 0
    for k in range(max(0, t.month_status.shape[0] - 12)):
        cohort = first == k * MONTH + MONTH - 1
        total += int(cohort.sum())
        kept += int((t.month_status[k + 12][cohort] == ACTIVE_CODE).sum())
    return kept / total if total else None


def entrant_share(t: RunTables) -> float | None:
    """Mean over the window's months of: participants entering for the first time that month / participants."""
    first = t.workers["first_entry_day"].to_numpy()
    shares = []
    start = t.measure_from // MONTH
    for k in range(max(start, 1), t.month_status.shape[0]):
        active = t.month_status[k] == ACTIVE_CODE
        new = active & (first > (k - 1) * MONTH + MONTH - 1) & (first <= k * MONTH + MONTH - 1)
        if active.any():
            shares.append(new.sum() / active.sum())
    return float(np.mean(shares)) if shares else None


def months_active_up_to_3(t: RunTables) -> float | None:
    """Share of workers active in some month of the last 12 who were active in 3 months or fewer."""
    active = (t.month_status[-12:] == ACTIVE_CODE).sum(axis=0)
    ever = active > 0
    return _share(active[ever] <= 3)


def month_to_year_participation(t: RunTables) -> float | None:
    """Participants in a month / participants in that month or the 11 before, averaged over months ≥ 12."""
    active = t.month_status == ACTIVE_CODE
    ratios = [active[k].sum() / active[k - 11:k + 1].any(axis=0).sum()
              for k in range(11, active.shape[0]) if active[k - 11:k + 1].any()]
    return float(np.mean(ratios)) if ratios else None


def ride_months_active(t: RunTables) -> float | None:
    """Mean number of months, of the last 12, in which a worker who drove in any of them was driving."""
    driving = (t.month_status[-12:] == ACTIVE_CODE) & (t.month_category[-12:] == t.code(RIDES))
    months = driving.sum(axis=0)
    return float(months[months > 0].mean()) if (months > 0).any() else None


# --------------------------------------------------------------------------- income


def net_earnings_history(workers: pl.DataFrame) -> np.ndarray:
    """workers.parquet `monthly_net_earnings` as a (workers × 12) float array, NaN where not participating."""
    rows = workers["monthly_net_earnings"].to_list()
    width = max((len(r) for r in rows), default=0)
    return np.array(rows, dtype=np.float64).reshape(len(rows), width)


def monthly_income_shares(t: RunTables, categories: list[str]) -> np.ndarray:
    """Platform share of total income, max(gig, 0) / (max(gig, 0) + other income), per participant-month.

    Months are the last 12 of `monthly_net_earnings` (NaN: not participating); a month counts for a
    category when the worker's category after that month's round (`month_category`) is one of them.
    """
    history = net_earnings_history(t.workers)
    months = min(history.shape[1], t.month_category.shape[0])
    if months == 0:
        return np.array([])
    gig = np.maximum(history[:, -months:], 0.0)
    cats = t.month_category[-months:].T
    codes = [t.code(c) for c in categories]
    keep = np.isfinite(history[:, -months:]) & np.isin(cats, codes)
    other = t.workers["monthly_other_income"].to_numpy().astype(np.float64)[:, None]
    share = gig / np.maximum(gig + other, 1e-9)
    return share[keep]


def labour_income_share(t: RunTables) -> float | None:
    """Mean platform share of total monthly income of labour-platform participants (rides and online work)."""
    s = monthly_income_shares(t, [RIDES, *t.online_categories])
    return float(s.mean()) if s.size else None


def capital_income_share(t: RunTables) -> float | None:
    """Mean platform share of total monthly income of capital-platform participants (home-sharing hosts)."""
    s = monthly_income_shares(t, [STAYS])
    return float(s.mean()) if s.size else None


def income_dependent_share(t: RunTables) -> float | None:
    """Share of labour-platform participant-months in which platform income is over 75% of total income."""
    s = monthly_income_shares(t, [RIDES, *t.online_categories])
    return _share(s > 0.75)


def monthly_earnings_change(t: RunTables) -> float | None:
    """Median over continuing workers (12 months of positive net earnings) of their median |Δ| / previous month."""
    history = net_earnings_history(t.workers)
    if history.size == 0:
        return None
    full = np.isfinite(history).all(axis=1) & (history > 0).all(axis=1)
    h = history[full]
    if h.shape[0] == 0:
        return None
    return float(np.median(np.median(np.abs(np.diff(h, axis=1)) / h[:, :-1], axis=1)))


# --------------------------------------------------------------------------- freelancing


def _online_workers(t: RunTables) -> np.ndarray:
    """Workers active in an online category in at least one monthly snapshot of the run."""
    codes = [t.code(c) for c in t.online_categories]
    return ((t.month_status == ACTIVE_CODE) & np.isin(t.month_category, codes)).any(axis=0)


def freelance_ever_hired(t: RunTables) -> float | None:
    """Share of freelancers (active in an online category in some month) who ever won a task (burn-in included)."""
    pool = _online_workers(t)
    return _share(t.workers["lifetime_tasks"].to_numpy()[pool] > 0)


PROGRAMMING = "programming"


def programming_fill_rate(t: RunTables) -> float | None:
    """Programming tasks filled / posted to people (posted − automated) over the window: the fill rate of
    technical openings (direct re-hires count as filled, as a repeat client's opening is)."""
    rows = _market_window(t, PROGRAMMING)
    if rows.height == 0 or "tasks_posted" not in rows.columns:
        return None
    offered = float(rows["tasks_posted"].sum()) - float(rows["tasks_automated"].sum())
    return float(rows["tasks_filled"].sum()) / offered if offered > 0 else None


def freelance_established(t: RunTables) -> float | None:
    """Among freelancers who ever won a task, the share with at least 10 tasks (ever) or 1,000 of gross pay in
    the recorded run."""
    tasks = t.workers["lifetime_tasks"].to_numpy()
    pool = _online_workers(t) & (tasks > 0)
    return _share((tasks[pool] >= 10) | (t.run_pay[pool] >= 1000.0))


# --------------------------------------------------------------------------- home-sharing


def stays_listings(t: RunTables) -> np.ndarray:
    """Hosts whose listings were offered in some week of the window: a row of the weekly panel (active or paid that
    week) with home-sharing as her category on the week's first day (`host_listings` counts their listings)."""
    return (t.week_category[t.window_weeks] == t.code(STAYS)).any(axis=0)


def host_listings(t: RunTables) -> np.ndarray:
    """Each worker's listings (workers.parquet `listings`; 1 each in tables written before listings existed)."""
    if "listings" in t.workers.columns:
        return t.workers["listings"].to_numpy().astype(np.int64)
    return np.ones(t.workers.height, dtype=np.int64)


def _nights_booked(stays: pl.DataFrame, t: RunTables) -> float:
    """Nights booked over the window: stays filled × the nights a stay occupies the room."""
    return float(stays["tasks_filled"].sum()) * t.asset_days.get(STAYS, 1)


def stays_occupancy(t: RunTables) -> float | None:
    """Annual occupancy as the source defines it: nights booked over the window / (listings × the window's days).

    LearnAirbnb/Everbooked's 17.1% is booked nights over 365 days averaged over the listings of a year's sample,
    so a listing offered only part of the year counts all 365 days (its unlisted nights are unbooked nights).
    The model's listings are the listings of its hosts of the window (`stays_listings`, `host_listings`); nights
    booked are stays filled × the nights a stay occupies the listing. Dividing by the nights hosts were active instead (the measure's reading until
    session 6, `stays_booked_share_of_active_nights`) is the share of listed nights booked, not this number."""
    stays = _market_window(t, STAYS)
    listings = int(host_listings(t)[stays_listings(t)].sum())
    window = t.days - t.measure_from if t.days else t.metrics.filter(pl.col("day") >= t.measure_from).height
    if stays.height == 0 or listings == 0 or window <= 0:
        return None
    return _nights_booked(stays, t) / (listings * window)


def stays_booked_share_of_active_nights(t: RunTables) -> float | None:
    """Nights booked / nights hosts were active (Σ over the window's days of active hosts): how full a host's
    listings are, a diagnostic beside `stays_occupancy` (no published counterpart in the scorecard). A host counts
    once a night whatever her listings (the daily metrics count hosts), so with multi-listing hosts it may pass 1."""
    stays = _market_window(t, STAYS)
    col = f"workers_{STAYS}"
    if stays.height == 0 or col not in t.metrics.columns:
        return None
    host_days = float(t.metrics.filter(pl.col("day") >= t.measure_from)[col].sum())
    return _nights_booked(stays, t) / host_days if host_days > 0 else None


def stays_listing_churn_6m(t: RunTables) -> float | None:
    """Of the hosts active at a monthly round, the share not hosting (not active in home-sharing) six rounds later,
    pooled over the pairs of rounds whose later round lies in the window (Slee's November-to-May comparison)."""
    hosting = (t.month_status == ACTIVE_CODE) & (t.month_category == t.code(STAYS))
    first = max(0, t.measure_from // MONTH - 6)
    before = hosting[first:-6] if hosting.shape[0] > 6 else hosting[:0]
    if not before.any():
        return None
    return float((before & ~hosting[first + 6:]).sum() / before.sum())


def _host_revenue(t: RunTables) -> np.ndarray:
    """Gross pay over the window of workers who hosted in some month of it (currency)."""
    hosted = ((t.month_status[t.window_months] == ACTIVE_CODE)
              & (t.month_category[t.window_months] == t.code(STAYS))).any(axis=0)
    pay = t.window_pay[hosted]
    return pay[pay > 0]


def stays_mean_to_median(t: RunTables) -> float | None:
    """Mean / median of hosts' revenue over the window."""
    pay = _host_revenue(t)
    return float(pay.mean() / np.median(pay)) if pay.size else None


def stays_top1_share(t: RunTables) -> float | None:
    """Share of hosts' revenue earned by the top 1% of hosts (at least one host)."""
    pay = np.sort(_host_revenue(t))[::-1]
    if pay.size == 0:
        return None
    return float(pay[: max(1, math.ceil(0.01 * pay.size))].sum() / pay.sum())
