"""Replication of real episodes: does the model predict what happened when real markets were shocked?

An `Episode` is a scenario pair under scenarios/episodes/ — the control (the baseline) and the treated
world, whose shock or policy starts on `START` — and the outcomes the literature measured. For each
seed both arms are run with the same seed (paired), and each outcome is the treated arm's window total
relative to the control's (or a difference of the two, for shares). The simulated effect is the mean
over seeds with its 95% Student-t interval; the verdict is whether the mean lies in the outcome's band,
which is set from the published effect as each outcome says. Outcomes the model cannot produce (a
response it does not have) are listed with a null value and no verdict.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from gigsim.analysis import sources as s
from gigsim.analysis.facts import traced_run
from gigsim.analysis.measures import WEEK, RunTables
from gigsim.analysis.scorecard import SeedValues
from gigsim.scenario import Scenario, load_scenario

EPISODE_DIR = Path(__file__).resolve().parents[2] / "scenarios" / "episodes"
START = 60
"""Day the treated arms' shock or policy starts (every episode file uses it)."""
EPISODE_DAYS = 300
ONLINE = ("writing", "design", "programming")
INF = math.inf


# --------------------------------------------------------------------------- window quantities


def market_total(t: RunTables, column: str, categories: tuple[str, ...], start: int, end: int) -> float:
    """Sum of a markets.parquet column over the categories and days [start, end)."""
    rows = t.markets.filter(pl.col("category").is_in(list(categories)) & (pl.col("day") >= start)
                            & (pl.col("day") < end))
    return float(rows[column].sum()) if rows.height else 0.0


def logged(t: RunTables, category: str, start: int, end: int) -> float:
    """Logged-in hours of the category's active workers over [start, end)."""
    c = t.code(category)
    return float(t.logged_by_category[start:end, c].sum()) if c >= 0 else 0.0


def worker_days(t: RunTables, category: str, start: int, end: int) -> float:
    """Σ over days of the category's active workers (metrics.parquet `workers_<category>`)."""
    rows = t.metrics.filter((pl.col("day") >= start) & (pl.col("day") < end))
    return float(rows[f"workers_{category}"].sum())


def drivers_with_trips(t: RunTables, start: int, end: int) -> float | None:
    """Ride workers who did at least one trip in a week lying wholly in days [start, end): the count of "drivers
    accepting trips" that Chicago's trip records give (Hegde, Abkarian & Mahmassani 2022), not drivers logged
    in. None without the weekly task panel."""
    if t.week_tasks is None:
        return None
    weeks = slice(-(-start // WEEK), end // WEEK)
    drove = (t.week_category[weeks] == t.code("rides")) & (t.week_tasks[weeks] > 0)
    return float(drove.any(axis=0).sum())


def ride_net_hourly(t: RunTables, start: int, end: int) -> float:
    """Drivers' pay after commission and costs per logged-in hour."""
    pay = market_total(t, "worker_pay", ("rides",), start, end) - market_total(t, "worker_costs", ("rides",), start,
                                                                              end)
    return pay / max(logged(t, "rides", start, end), 1e-9)


def ride_gross_hourly(t: RunTables, start: int, end: int) -> float:
    return market_total(t, "worker_pay", ("rides",), start, end) / max(logged(t, "rides", start, end), 1e-9)


def ride_utilisation(t: RunTables, start: int, end: int) -> float:
    return market_total(t, "task_hours", ("rides",), start, end) / max(logged(t, "rides", start, end), 1e-9)


def hired_skill(t: RunTables, categories: tuple[str, ...], start: int, end: int) -> float:
    """Task-weighted mean skill (0..1) of the workers who won the categories' tasks over [start, end)."""
    cols = [t.code(c) for c in categories if t.code(c) >= 0]
    if t.task_skill is None or not cols:
        return math.nan
    return float(t.task_skill[start:end, cols].sum() / max(t.tasks_by_category[start:end, cols].sum(), 1e-9))


def login_capped_share(t: RunTables) -> float:
    """Share of drivers' days under a pay standard on which a platform's log-in cap held their hours
    (workers.parquet `login_days_capped` / `login_days`, counted since the standard started; 0 in a world
    without a pay standard, where no one is capped)."""
    cols = t.workers.columns
    if "login_days" not in cols or "login_days_capped" not in cols:
        return 0.0
    days = float(t.workers["login_days"].sum())
    return float(t.workers["login_days_capped"].sum()) / days if days > 0 else 0.0


def per_worker(t: RunTables, column: str, category: str, start: int, end: int) -> float:
    """A category's window total of `column` per active worker-day."""
    return market_total(t, column, (category,), start, end) / max(worker_days(t, category, start, end), 1e-9)


def human_posts(t: RunTables, category: str, start: int, end: int) -> float:
    """Tasks posted and not automated (those clients offered to humans)."""
    return (market_total(t, "tasks_posted", (category,), start, end)
            - market_total(t, "tasks_automated", (category,), start, end))


# --------------------------------------------------------------------------- episodes


def relative(f: Callable[[RunTables], float]) -> Callable[[RunTables, RunTables], float | None]:
    """Outcome = f(treated) / f(control) − 1."""
    def effect(treated: RunTables, control: RunTables) -> float | None:
        base = f(control)
        return f(treated) / base - 1.0 if base else None
    return effect


def difference(f: Callable[[RunTables], float]) -> Callable[[RunTables, RunTables], float | None]:
    """Outcome = f(treated) − f(control)."""
    return lambda treated, control: f(treated) - f(control)


@dataclass(frozen=True)
class Outcome:
    name: str
    source: s.Source
    published: float | None        # the published effect (None: the source gives a direction only)
    published_text: str
    low: float
    high: float
    band: str
    effect: Callable[[RunTables, RunTables], float | None] | None
    unit: str = "relative change"


@dataclass(frozen=True)
class Episode:
    name: str
    treated: str                   # file under scenarios/episodes/
    summary: str
    outcomes: tuple[Outcome, ...]
    control: str = "control.toml"
    days: int = EPISODE_DAYS


W1 = (START + 60, EPISODE_DAYS)    # months 3-8 after the start: the new steady state


def _nyc() -> Episode:
    a, b = W1
    return Episode("nyc_2019_pay_standard", "nyc_2019_pay_standard.toml",
                   "NYC driver pay standard (Feb 2019), translated by its design, with log-in caps", (
        Outcome("driver net hourly pay", s.PARROTT_REICH_2018, 0.225,
                "+22.5% net pay for drivers (ex-ante projection for the TLC, NYC app drivers, 2017-18 data)",
                0.1125, 0.3375, "half to one and a half times the projection (an ex-ante estimate)",
                relative(lambda t: ride_net_hourly(t, a, b))),
        Outcome("ride utilisation", s.NYC_2019_AFTERMATH, None,
                "utilisation rose after the rule (TLC figures reported by Politico, April 2019)", 0.0, INF,
                "direction only: higher", difference(lambda t: ride_utilisation(t, a, b)), "points"),
        Outcome("ride trips", s.NYC_2019_AFTERMATH, None, "the total number of trips has not fallen (April 2019)",
                -0.05, INF, "direction only: not down by more than 5%",
                relative(lambda t: market_total(t, "tasks_filled", ("rides",), a, b))),
        Outcome("platforms restrict drivers' log-ins", s.NYC_2019_LOCKOUTS, None,
                "Lyft (from 27 June 2019, Crain's) and Uber (from 17 Sep 2019) locked drivers out of the app at "
                "times and places of low demand, in response to the utilisation-based standard", 0.0, 1.0,
                "direction only: a positive share of drivers' days held at a log-in cap (the model's measure; "
                "no share was published)", difference(login_capped_share), "share"),
    ))


def _horton() -> Episode:
    a, b = W1
    online = ONLINE
    hires = relative(lambda t: market_total(t, "tasks_filled", online, a, b))
    hours = relative(lambda t: market_total(t, "task_hours", online, a, b))

    def hours_minus_hires(treated, control):
        h, n = hours(treated, control), hires(treated, control)
        return None if h is None or n is None else h - n
    return Episode("horton_min_wage", "horton_min_wage.toml", "A platform minimum wage for freelancers", (
        Outcome("freelance tasks hired", s.HORTON_2025, None, "fewer firms hired, but the reduction in hiring "
                "was not large (oDesk, ~160,000 openings, 2013-14)", -0.25, 0.0, "direction and words: down, by "
                "less than a quarter", hires),
        Outcome("freelance hours worked", s.HORTON_2025, None, "minimum wages substantially reduced hours-worked",
                -INF, -0.05, "direction and words: down by more than 5%", hours),
        Outcome("hours fall more than hires", s.HORTON_2025, None, "the large fall in hours beside a small fall "
                "in hiring: projects finished faster by more productive hires", -INF, 0.0,
                "change in hours minus change in hires: negative", hours_minus_hires, "points"),
        Outcome("skill of hired freelancers", s.HORTON_2025, None, "treated firms shifted to hiring more "
                "productive workers", 0.0, INF, "direction only: higher",
                relative(lambda t: hired_skill(t, online, a, b))),
        Outcome("pay per hour of hired freelancers", s.HORTON_2025, None, "raised the wages of hired workers "
                "substantially", 0.0, INF, "direction only: higher",
                relative(lambda t: market_total(t, "worker_pay", online, a, b)
                         / max(market_total(t, "task_hours", online, a, b), 1e-9))),
    ))


def _genai() -> Episode:
    a, b = START, START + 180
    return Episode("genai_writing", "genai_writing.toml", "Generative AI in writing (ChatGPT, Nov 2022)", (
        Outcome("writing jobs per freelancer", s.HUI_RESHEF_ZHOU_2024, -0.02, "-2% monthly jobs of freelance "
                "writers (92,547 Upwork writers, months after Nov 2022)", -0.04, -0.01,
                "same sign, within a factor of two", relative(lambda t: per_worker(t, "tasks_filled", "writing", a,
                                                                                   b))),
        Outcome("writing earnings per freelancer", s.HUI_RESHEF_ZHOU_2024, -0.052, "-5.2% monthly earnings",
                -0.104, -0.026, "same sign, within a factor of two",
                relative(lambda t: (per_worker(t, "worker_pay", "writing", a, b)))),
        Outcome("writing posts vs manual work", s.DEMIRCI_2024, -0.21, "-21% job posts in automation-prone "
                "(writing, coding) jobs relative to manual-intensive ones (Upwork, 2022-23)", -0.42, -0.105,
                "same sign, within a factor of two; the model's manual comparison is rides",
                lambda tr, co: _diff_in_diff(tr, co, "writing", "rides", a, b)),
    ))


def _diff_in_diff(treated: RunTables, control: RunTables, hit: str, other: str, a: int, b: int) -> float | None:
    """Relative change of human posts in `hit` minus that in `other`."""
    x = relative(lambda t: human_posts(t, hit, a, b))(treated, control)
    y = relative(lambda t: human_posts(t, other, a, b))(treated, control)
    return None if x is None or y is None else x - y


def _pandemic() -> Episode:
    a, b = START, START + 30
    return Episode("pandemic_2020", "pandemic_2020.toml", "The spring 2020 pandemic", (
        Outcome("ride trips, first month", s.UBER_LYFT_2020, -0.775, "rides down 80% (Uber) and 75% (Lyft) in "
                "April 2020 on a year earlier", -0.85, -0.65, "the two firms' figures ±5 points",
                relative(lambda t: market_total(t, "tasks_filled", ("rides",), a, b))),
        Outcome("drivers accepting trips, first month", s.HEGDE_2022, -0.70, "a 70% fall in drivers accepting "
                "trips early in the pandemic (Chicago, 2020)", -0.80, -0.60, "±10 points; the model counts, as "
                "the source does, drivers with at least one trip (in the weeks wholly in the month)",
                relative(lambda t: drivers_with_trips(t, a, b))),
        Outcome("online freelance tasks, months 1-3", s.STEPHANY_2020, None, "online labour demand fell in early "
                "March 2020 and recovered as rapidly; more workers sought online work", 0.0, INF,
                "direction only (as the issue states it): up; the scenario itself raises online demand 25%",
                relative(lambda t: market_total(t, "tasks_filled", ONLINE, a, START + 90))),
    ))


def _fare_change() -> Episode:
    early, late = (START, START + 14), (START + 56, START + 112)
    return Episode("fare_change", "fare_change.toml", "Drivers' pay per trip rises 13.3% (commission cut)", (
        Outcome("driver hourly pay, weeks 1-2", s.HALL_HORTON_KNOEPFLE_2023, None, "hourly earnings move with the "
                "fare at first", 0.0667, INF, "at least half of the 13.3% rise in pay per trip",
                relative(lambda t: ride_gross_hourly(t, *early))),
        Outcome("driver hourly pay, weeks 9-16", s.HALL_HORTON_KNOEPFLE_2023, 0.0, "hourly earnings return to "
                "about their earlier rate in roughly two months (about 8 weeks; US Uber fare changes 2014-17)",
                -0.033, 0.033, "within a quarter of the 13.3% rise in pay per trip",
                relative(lambda t: ride_gross_hourly(t, *late))),
        Outcome("ride utilisation, weeks 9-16", s.HALL_HORTON_KNOEPFLE_2023, None, "through lower utilisation",
                -INF, 0.0, "direction only: lower", difference(lambda t: ride_utilisation(t, *late)), "points"),
    ))


EPISODES: tuple[Episode, ...] = (_nyc(), _horton(), _genai(), _pandemic(), _fare_change())


# --------------------------------------------------------------------------- running


@dataclass
class OutcomeResult(SeedValues):
    """One outcome's paired effect per seed; `simulated` is its mean over seeds."""

    episode: Episode
    outcome: Outcome
    per_seed: tuple[float | None, ...]

    @property
    def simulated(self) -> float | None:
        return self.value

    @property
    def holds(self) -> bool | None:
        """The mean lies in the band; for a direction-only outcome the whole 95% interval must (the sign must be
        established over seeds, not only the mean's), and where the band's edge is zero ("down", "up") the
        interval must exclude zero: no change is not a direction."""
        v = self.simulated
        if v is None:
            return None
        inside = self.outcome.low <= v <= self.outcome.high
        lo, hi = self.interval
        if self.outcome.published is None:
            if lo is not None:
                inside = inside and self.outcome.low <= lo and hi <= self.outcome.high
            if 0.0 in (self.outcome.low, self.outcome.high):
                inside = inside and v != 0.0 and (lo is None or not lo <= 0.0 <= hi)
        return bool(inside)


@dataclass
class Replication:
    results: list[OutcomeResult]
    workers: int
    seed: int
    seeds: int
    days: int
    runs: int = 0
    notes: dict = field(default_factory=dict)

    def held(self) -> tuple[int, int]:
        rows = [r for r in self.results if r.holds is not None]
        return sum(bool(r.holds) for r in rows), len(rows)


def _key(sc: Scenario) -> str:
    """What makes two arms the same world (the name and description do not)."""
    return json.dumps(sc.model_dump(mode="json", exclude={"name", "description", "extends"}), sort_keys=True)


def load_arms(episodes: tuple[Episode, ...], workers: int, folder: Path = EPISODE_DIR) -> dict[str, Scenario]:
    """Every control and treated scenario the episodes name, rescaled to `workers`."""
    files = {f for e in episodes for f in (e.control, e.treated)}
    return {f: load_scenario(folder / f).rescaled(workers) for f in sorted(files)}


def replicate(episodes: tuple[Episode, ...] = EPISODES, workers: int = 5000, seed: int = 0, seeds: int = 5,
              folder: Path = EPISODE_DIR, progress=None) -> Replication:
    """Run every episode's arms with seeds seed..seed+seeds-1 (paired) and measure every outcome.

    Arms that are the same world with the same days (the shared control) are run once per seed."""
    arms = load_arms(episodes, workers, folder)
    cache: dict[tuple[str, int, int], RunTables] = {}

    def run(file: str, k: int, days: int) -> RunTables:
        key = (_key(arms[file]), k, days)
        if key not in cache:
            cache[key] = traced_run(arms[file], k, days, START, progress)
        return cache[key]

    results = []
    for e in episodes:
        per_seed = {o.name: [] for o in e.outcomes}
        for k in range(seed, seed + seeds):
            control, treated = run(e.control, k, e.days), run(e.treated, k, e.days)
            for o in e.outcomes:
                per_seed[o.name].append(o.effect(treated, control) if o.effect is not None else None)
        results += [OutcomeResult(e, o, tuple(per_seed[o.name])) for o in e.outcomes]
    return Replication(results, workers, seed, seeds, max(e.days for e in episodes), runs=len(cache))


def runs_needed(episodes: tuple[Episode, ...], workers: int, seeds: int, folder: Path = EPISODE_DIR) -> int:
    """Distinct (world, days) runs per seed times seeds, for a progress bar in days."""
    arms = load_arms(episodes, workers, folder)
    worlds = {(_key(arms[f]), e.days) for e in episodes for f in (e.control, e.treated)}
    return sum(days for _, days in worlds) * seeds
