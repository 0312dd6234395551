"""The scorecard's tables from a run's outputs, and the worlds each seed needs.

`tables_from_run` turns what `gigsim run` writes — metrics, markets, workers and the worker panels
(gigsim.model.panels) — into the arrays gigsim.analysis.measures reads; `traced_run` runs a scenario and
does so. `measure_facts` runs the worlds a seed needs —
the scenario as given and, for the two reputation measures, the same world with the freelancing
platforms matching at random — and returns each scorecard measure's value (None: undefined).
The scorecard itself (targets, sources, roles, verdicts) is gigsim.analysis.scorecard.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from gigsim.analysis import measures as m
from gigsim.experiments.run import RunResult, run_scenario
from gigsim.model.vocabulary import STATUS_NAMES
from gigsim.scenario import Scenario

VALIDATION_DAYS = 730
"""Default length of a validation run: two years, so year-one entrants can be followed for a year."""

MEASURE_DAYS = 365
"""The measurement window is the last year of the run."""

FIRST_JOB_DAYS = 30
"""A newcomer 'gets started' if she wins a first task within this many days of entering."""


def _codes(values: pl.Series, names: list[str]) -> np.ndarray:
    """Names as their index in `names` (−1 for null or unknown)."""
    lookup = {name: i for i, name in enumerate(names)}
    return values.replace_strict(lookup, default=-1, return_dtype=pl.Int32).to_numpy()


def _dense(rows: pl.DataFrame, period: str, periods: int, n: int, values: np.ndarray, fill, dtype) -> np.ndarray:
    """A (periods × workers) array from a panel's rows, `fill` where the panel has no row."""
    out = np.full((periods, n), fill, dtype=dtype)
    out[rows[period].to_numpy(), rows["worker"].to_numpy()] = values
    return out


def _per_worker(rows: pl.DataFrame, column: str, n: int) -> np.ndarray:
    """A panel column summed per worker (0 for workers without rows)."""
    sums = rows.group_by("worker").agg(pl.col(column).sum())
    out = np.zeros(n)
    out[sums["worker"].to_numpy()] = sums[column].to_numpy()
    return out


def _category_matrix(metrics: pl.DataFrame, prefix: str, names: list[str]) -> np.ndarray:
    """(days × categories) from the metrics columns `<prefix><category>` (null as 0)."""
    return np.column_stack([metrics[f"{prefix}{c}"].fill_null(0.0).to_numpy().astype(np.float64) for c in names]) \
        if names else np.zeros((metrics.height, 0))


def tables_from_run(run: RunResult, sc: Scenario, measure_from: int = 0) -> m.RunTables:
    """A run's outputs (gigsim run's tables and worker panels) as the scorecard's RunTables.

    Needs the panels (run with panels on). Host revenue over the window (`window_pay`) is summed over the
    weeks that lie wholly in it, as the weekly hours measures are."""
    days = int(run.manifest["days"])
    workers, weekly, monthly = run.workers, run.panels["panel_weekly"], run.panels["panel_monthly"]
    n, names = workers.height, [c for c in sc.active_categories]
    plats = list(sc.active_platforms)
    ride_plats = [p for p in plats if "rides" in sc.platforms[p].categories]
    statuses = list(STATUS_NAMES[k] for k in range(len(STATUS_NAMES)))
    months = int(monthly["month"].max() + 1) if monthly.height else 0
    full = weekly.filter(pl.col("full_week"))
    metrics = run.metrics
    tasks = _category_matrix(metrics, "tasks_won_", names)
    return m.RunTables(
        metrics=metrics, markets=run.markets, workers=workers, category_names=names,
        online_categories=[c for c in names if sc.categories[c].kind == "online"],
        month_status=_dense(monthly, "month", months, n, _codes(monthly["status"], statuses), 0, np.int8),
        month_category=_dense(monthly, "month", months, n, _codes(monthly["category"], names), -1, np.int32),
        week_hours=_dense(full, "week", -(-days // m.WEEK), n, full["logged_hours"].to_numpy().astype(np.float32),
                          np.nan, np.float32),
        week_category=_dense(weekly, "week", -(-days // m.WEEK), n, _codes(weekly["category"], names), -1, np.int32),
        week_tasks=_dense(weekly, "week", -(-days // m.WEEK), n, weekly["tasks"].to_numpy().astype(np.int32), 0, np.int32),
        first_task_day=workers["first_task_day"].cast(pl.Float64).to_numpy(),
        run_pay=_per_worker(weekly, "gross_pay", n),
        window_pay=_per_worker(weekly.filter(pl.col("week") >= -(-measure_from // m.WEEK)), "gross_pay", n),
        ride_platforms=workers["member_by_platform"].struct.unnest().select(
            pl.sum_horizontal([pl.col(p).cast(pl.Int64) for p in ride_plats]) if ride_plats else pl.lit(0)
        ).to_series().to_numpy(),
        logged_by_category=_category_matrix(metrics, "logged_hours_", names), tasks_by_category=tasks,
        task_skill=_category_matrix(metrics, "hired_skill_", names) * tasks,
        rating_count=workers["ratings_by_platform"].struct.unnest().select(plats).to_numpy(), platform_names=plats,
        asset_days={c: sc.categories[c].asset_days_per_task for c in names}, measure_from=measure_from, days=days)


def traced_run(sc: Scenario, seed: int, days: int, measure_from: int = 0, progress=None) -> m.RunTables:
    """Run `sc` for `days` days (after its burn-in) with its worker panels and return the scorecard's tables."""
    return tables_from_run(run_scenario(sc, seed=seed, days=days, progress=progress), sc, measure_from)


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
    """Workers who ever entered (first_entry_day not null, burn-in entrants included, or a drawn past spell) and
    whose category was an online one in some monthly snapshot, active or not: the pool the reputation measures were
    defined on (and the calibrated values chosen with); kept as it was so that the measure did not move."""
    codes = [t.code(c) for c in t.online_categories]
    ever = t.workers["first_entry_day"].is_not_null().to_numpy() | t.drawn_past()
    return ever & np.isin(t.month_category, codes).any(axis=0)


def concentration(t: m.RunTables, platforms: list[str]) -> dict[str, float | None]:
    """Top-10% share of the platforms' tasks among freelancers; share of newcomers with a task within 30 days."""
    idx = [t.platform_names.index(p) for p in platforms if p in t.platform_names]
    pool = np.flatnonzero(_freelancer_pool(t))
    if not idx or pool.size == 0 or t.rating_count is None:
        return {"top10_share": None, "newcomer_start": None}
    tasks = np.sort(t.rating_count[pool][:, idx].sum(axis=1).astype(np.float64))[::-1]
    top10 = float(tasks[: max(1, math.ceil(0.1 * tasks.size))].sum() / tasks.sum()) if tasks.sum() > 0 else None
    entered = t.first_entries()[pool]
    newcomers = (entered >= 0) & (entered + FIRST_JOB_DAYS < t.days)
    start = t.first_task_day[pool][newcomers]
    quick = (start >= 0) & (start - entered[newcomers] <= FIRST_JOB_DAYS)
    return {"top10_share": top10, "newcomer_start": float(quick.mean()) if quick.size else None}


def _gap(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def measure_facts(sc: Scenario, seed: int, days: int = VALIDATION_DAYS, facts: tuple[str, ...] | None = None,
                  progress=None, base: m.RunTables | None = None) -> dict[str, float | None]:
    """Each requested scorecard measure's value for one seed (all measurable ones by default); `base`: the
    scenario's traced run at this seed if the caller already has it."""
    from gigsim.analysis.scorecard import MEASURES

    wanted = [x for x in MEASURES if facts is None or x.name in facts]
    base = base or traced_run(sc, seed, days, max(0, days - MEASURE_DAYS), progress)
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
