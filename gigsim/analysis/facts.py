"""The analysis trace: runs a scenario and records, beside its three tables, the panels the scorecard needs.

`traced_run` steps the model day by day and keeps what the standard outputs do not (see
gigsim.analysis.measures for the list and units). `measure_facts` runs the worlds a seed needs —
the scenario as given and, for the two reputation measures, the same world with the freelancing
platforms matching at random — and returns each scorecard measure's value (None: undefined).
The scorecard itself (targets, sources, roles, verdicts) is gigsim.analysis.scorecard.
"""

from __future__ import annotations

import math

import numpy as np

from gigsim.analysis import measures as m
from gigsim.model.model import GigEconomyModel
from gigsim.model.state import ACTIVE
from gigsim.scenario import Scenario

VALIDATION_DAYS = 730
"""Default length of a validation run: two years, so year-one entrants can be followed for a year."""

MEASURE_DAYS = 365
"""The measurement window is the last year of the run."""

FIRST_JOB_DAYS = 30
"""A newcomer 'gets started' if she wins a first task within this many days of entering."""


class _Panels:
    """Accumulates the trace's panels day by day (see gigsim.analysis.measures)."""

    def __init__(self, model: GigEconomyModel, days: int, measure_from: int):
        n, c = model.workers.n, model.n_categories
        self.measure_from = measure_from
        self.first_task = np.full(n, -1, dtype=np.int32)
        self.run_pay = np.zeros(n)
        self.window_pay = np.zeros(n)
        self.logged = np.zeros((days, c))
        self.tasks = np.zeros((days, c))
        self.task_skill = np.zeros((days, c))
        self.week_sum = np.zeros(n)
        self.week_full = np.ones(n, dtype=bool)
        self.week_cat = np.full(n, -1, dtype=np.int32)
        self.weeks: list[np.ndarray] = []
        self.week_cats: list[np.ndarray] = []
        self.statuses: list[np.ndarray] = []
        self.categories: list[np.ndarray] = []

    def record(self, w, day: int) -> None:
        """Record day `day` after the model stepped."""
        active = w.status == ACTIVE
        entered = w.first_entry_day >= 0
        self.first_task[entered & (self.first_task < 0) & (w.day_tasks > 0)] = day
        self.run_pay += w.day_pay
        if day >= self.measure_from:
            self.window_pay += w.day_pay
        cats = np.where(active & (w.category >= 0), w.category, self.logged.shape[1])
        self.logged[day] = np.bincount(cats, weights=w.hours_offered, minlength=self.logged.shape[1] + 1)[:-1]
        self._tasks(w, day)
        self._week(w, active, day)
        if day % m.MONTH == m.MONTH - 1:
            self.statuses.append(w.status.copy())
            self.categories.append(w.category.copy())

    def _tasks(self, w, day: int) -> None:
        """Tasks won per category today, and their sum weighted by the winner's skill in her category."""
        won = np.flatnonzero((w.day_tasks > 0) & (w.category >= 0))
        cats, n = w.category[won], w.day_tasks[won].astype(np.float64)
        size = self.tasks.shape[1]
        self.tasks[day] = np.bincount(cats, weights=n, minlength=size)
        self.task_skill[day] = np.bincount(cats, weights=n * w.skill[won, cats], minlength=size)

    def _week(self, w, active: np.ndarray, day: int) -> None:
        """Weekly logged hours of workers active (in one category) on all seven days; NaN for the others."""
        if day % m.WEEK == 0:
            self.week_sum[:] = 0.0
            self.week_full[:] = True
            self.week_cat[:] = w.category
        self.week_sum += np.where(active, w.hours_offered, 0.0)
        self.week_full &= active & (w.category == self.week_cat)
        if day % m.WEEK == m.WEEK - 1:
            self.weeks.append(np.where(self.week_full, self.week_sum, np.nan).astype(np.float32))
            self.week_cats.append(self.week_cat.copy())


def _stack(rows: list[np.ndarray], n: int, dtype) -> np.ndarray:
    return np.array(rows, dtype=dtype).reshape(len(rows), n)


def traced_run(sc: Scenario, seed: int, days: int, measure_from: int = 0, progress=None) -> m.RunTables:
    """Run `sc` for `days` days (after its burn-in) and return its tables and panels."""
    model = GigEconomyModel(sc, rng=seed, create_agents=False)
    w = model.workers
    panels = _Panels(model, days, measure_from)
    for day in range(days):
        model.step()
        panels.record(w, day)
        if progress is not None:
            progress()
    names = list(model.category_names)
    plats = list(model.platform_names)
    ride_plats = [i for i, p in enumerate(plats) if "rides" in sc.platforms[p].categories]
    n = w.n
    return m.RunTables(
        metrics=model.metrics, markets=model.market_metrics, workers=model.worker_table(),
        category_names=names, online_categories=[c for c in names if sc.categories[c].kind == "online"],
        month_status=_stack(panels.statuses, n, np.int8), month_category=_stack(panels.categories, n, np.int32),
        week_hours=_stack(panels.weeks, n, np.float32), week_category=_stack(panels.week_cats, n, np.int32),
        first_task_day=panels.first_task, run_pay=panels.run_pay, window_pay=panels.window_pay,
        ride_platforms=w.member[:, ride_plats].sum(axis=1) if ride_plats else np.zeros(n, np.int64),
        logged_by_category=panels.logged, tasks_by_category=panels.tasks, task_skill=panels.task_skill, rating_count=w.rating_count.copy(), platform_names=plats,
        asset_days={c: sc.categories[c].asset_days_per_task for c in names}, measure_from=measure_from, days=days)


# --------------------------------------------------------------------------- reputation worlds


def freelance_platforms(sc: Scenario) -> list[str]:
    """Reputation-ranked platforms that serve online work (the freelancing marketplaces)."""
    return [name for name, p in sc.platforms.items()
            if p.enabled and p.matching == "reputation"
            and any(sc.categories[c].kind == "online" for c in p.categories if c in sc.categories)]


def random_matching_world(sc: Scenario) -> Scenario:
    """The same world with the freelancing platforms matching at random."""
    return sc.with_overrides({"platforms": {p: {"matching": "random"} for p in freelance_platforms(sc)}},
                             "<random matching>")


def _freelancer_pool(t: m.RunTables) -> np.ndarray:
    """Workers who ever entered (first_entry_day not null, burn-in entrants included) and whose category was an
    online one in some monthly snapshot, active or not: the pool the reputation measures were defined on
    (and the calibrated values chosen with); kept as it was so that the measure did not move."""
    codes = [t.code(c) for c in t.online_categories]
    ever = t.workers["first_entry_day"].is_not_null().to_numpy()
    return ever & np.isin(t.month_category, codes).any(axis=0)


def concentration(t: m.RunTables, platforms: list[str]) -> dict[str, float | None]:
    """Top-10% share of the platforms' tasks among freelancers; share of newcomers with a task within 30 days."""
    idx = [t.platform_names.index(p) for p in platforms if p in t.platform_names]
    pool = np.flatnonzero(_freelancer_pool(t))
    if not idx or pool.size == 0 or t.rating_count is None:
        return {"top10_share": None, "newcomer_start": None}
    tasks = np.sort(t.rating_count[pool][:, idx].sum(axis=1).astype(np.float64))[::-1]
    top10 = float(tasks[: max(1, math.ceil(0.1 * tasks.size))].sum() / tasks.sum()) if tasks.sum() > 0 else None
    entered = t.workers["first_entry_day"].to_numpy()[pool]
    newcomers = (entered >= 0) & (entered + FIRST_JOB_DAYS < t.days)
    start = t.first_task_day[pool][newcomers]
    quick = (start >= 0) & (start - entered[newcomers] <= FIRST_JOB_DAYS)
    return {"top10_share": top10, "newcomer_start": float(quick.mean()) if quick.size else None}


def _gap(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def measure_facts(sc: Scenario, seed: int, days: int = VALIDATION_DAYS, facts: tuple[str, ...] | None = None,
                  progress=None) -> dict[str, float | None]:
    """Each requested scorecard measure's value for one seed (all measurable ones by default)."""
    from gigsim.analysis.scorecard import MEASURES

    wanted = [x for x in MEASURES if facts is None or x.name in facts]
    base = traced_run(sc, seed, days, max(0, days - MEASURE_DAYS), progress)
    values: dict[str, float | None] = {x.name: x.measure(base) for x in wanted if x.measure is not None}
    values.update({x.name: None for x in wanted if not x.measurable})
    if any(x.name in ("top10_share_gap", "newcomer_start_gap") for x in wanted):
        plats = freelance_platforms(sc)
        rep = concentration(base, plats)
        rnd = concentration(traced_run(random_matching_world(sc), seed, days, base.measure_from, progress), plats) \
            if plats else {"top10_share": None, "newcomer_start": None}
        values["top10_share_gap"] = _gap(rep["top10_share"], rnd["top10_share"])
        values["newcomer_start_gap"] = _gap(rnd["newcomer_start"], rep["newcomer_start"])
    return {k: v for k, v in values.items() if facts is None or k in facts}


def worlds_needed(sc: Scenario) -> int:
    """Runs per seed (for a progress bar): the scenario, plus the random-matching world if it has freelancing."""
    return 1 + bool(freelance_platforms(sc))
