"""Stylized facts: does a scenario reproduce what is known about the gig economy?

Each fact is a measurable quantity with a published target range and a source
(author, year, title). `check_facts` runs the scenario (and the counterfactual
worlds some facts need: freelancely with random matching, and a generative-AI
shock in writing) and returns one `FactResult` per measure: the target, the
simulated value and whether it holds. `facts_markdown` renders the table of
docs/validation.md.

Worlds run (same seed, same population):
- baseline: the scenario as given, `days` days (default two years, for entry cohorts);
- random matching: freelancely (or every reputation-ranked online platform) matches at random;
- AI shock: the writing category's automation level rises linearly from 0 at `shock_day` to
  `AI_SHOCK_LEVEL` over `AI_SHOCK_RAMP_DAYS` days; compared with the baseline over the
  `AI_WINDOW_DAYS` days after the shock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from scipy import stats

from gigsim.model.model import GigEconomyModel
from gigsim.model.state import ACTIVE
from gigsim.scenario import Scenario

VALIDATION_DAYS = 730
"""Default length of a validation run: two years, so year-one entrants can be followed for a year."""

MONTH = 30
"""Days in a model month (monthly decisions run on days 29, 59, ...)."""

FEW_HOURS_PER_WEEK = 15.0
"""Hours a week below which a participant counts as working 'a few hours' (Hall & Krueger's 1-15 h band)."""

AI_SHOCK_CATEGORY = "writing"
AI_SHOCK_LEVEL = 0.2
"""Share of writing tasks generative AI can do once the shock has ramped up (clients still choose)."""
AI_SHOCK_RAMP_DAYS = 60
AI_WINDOW_DAYS = 180
"""Days after the shock over which its effect is measured ('within months')."""

FIRST_JOB_DAYS = 30
"""A newcomer 'gets started' if she wins a first task within this many days of entering."""


@dataclass(frozen=True)
class Source:
    author: str
    year: int
    title: str

    def cite(self) -> str:
        return f"{self.author} ({self.year}), \"{self.title}\""


FARRELL_GREIG_2016 = Source("Farrell & Greig", 2016, "Paychecks, Paydays, and the Online Platform Economy "
                                                     "(JPMorgan Chase Institute)")
FARRELL_GREIG_2016B = Source("Farrell & Greig", 2016, "The Online Platform Economy: Has Growth Peaked? "
                                                      "(JPMorgan Chase Institute)")
HALL_KRUEGER_2018 = Source("Hall & Krueger", 2018, "An Analysis of the Labor Market for Uber's Driver-Partners "
                                                   "in the United States, ILR Review")
JPMCI_2025 = Source("JPMorganChase Institute", 2025, "Earnings instability: The hidden volatility of American "
                                                     "workers' paychecks")
CRAMER_KRUEGER_2016 = Source("Cramer & Krueger", 2016, "Disruptive Change in the Taxi Business: The Case of Uber, "
                                                       "AER Papers & Proceedings")
PARROTT_REICH_2018 = Source("Parrott & Reich", 2018, "An Earnings Standard for New York City's App-based Drivers")
PALLAIS_2014 = Source("Pallais", 2014, "Inefficient Hiring in Entry-Level Labor Markets, AER")
STANTON_THOMAS_2016 = Source("Stanton & Thomas", 2016, "Landing the First Job: The Value of Intermediaries in "
                                                       "Online Hiring, Review of Economic Studies")
HUI_RESHEF_ZHOU_2024 = Source("Hui, Reshef & Zhou", 2024, "The Short-Term Effects of Generative Artificial "
                                                          "Intelligence on Employment: Evidence from an Online "
                                                          "Labor Market, Organization Science")
DEMIRCI_HANNANE_ZHU_2024 = Source("Demirci, Hannane & Zhu", 2024, "Who Is AI Replacing? The Impact of Generative "
                                                                  "AI on Online Freelancing Platforms, "
                                                                  "Management Science")


@dataclass(frozen=True)
class Target:
    """A published range for one simulated measure."""

    key: str
    fact: str
    measure: str
    low: float
    high: float
    sources: tuple[Source, ...]
    evidence: str
    percent: bool = True

    def show(self, value: float) -> str:
        if value is None or not math.isfinite(value):
            return "n/a"
        return f"{value:.1%}" if self.percent else f"{value:.3g}"

    def range_text(self) -> str:
        lo = "-inf" if self.low == -math.inf else self.show(self.low)
        hi = "+inf" if self.high == math.inf else self.show(self.high)
        return f"{lo} to {hi}"


TARGETS: tuple[Target, ...] = (
    Target("side_income_share", "Platform work is mostly a side income",
           "share of participants whose platform earnings are under half of their total income",
           0.5, 1.0, (FARRELL_GREIG_2016,),
           "labor-platform earnings were about a third of participants' total income in months they earned them"),
    Target("gig_income_share", "Platform work is mostly a side income",
           "median share of total monthly income that comes from platform work",
           0.15, 0.5, (FARRELL_GREIG_2016,),
           "platform earnings ~33% of total income among labor-platform participants"),
    Target("few_hours_share", "Platform work is mostly a side income",
           f"share of active workers logged in under {FEW_HOURS_PER_WEEK:g} hours a week",
           0.4, 0.8, (HALL_KRUEGER_2018,),
           "about half of Uber drivers drove 1-15 hours a week"),
    Target("retention_12m", "Churn is high",
           "share of new participants still active 12 months after first entry",
           0.3, 0.55, (FARRELL_GREIG_2016B,),
           "more than half of participants exit within 12 months"),
    Target("monthly_change", "Earnings are volatile month to month",
           "median absolute month-to-month change of a continuing worker's net platform earnings",
           0.135, 1.0, (JPMCI_2025,),
           "hourly employees' typical month-to-month change in earnings is 9%; platform earnings should "
           "vary clearly more (target: at least 1.5 x 9%)"),
    Target("ride_utilisation", "Ride-hailing utilisation well under 100%",
           "ride-hailing task (passenger) hours / logged-in hours",
           0.35, 0.65, (CRAMER_KRUEGER_2016, HALL_KRUEGER_2018),
           "UberX drivers carry a passenger roughly 46-54% of logged-in time"),
    Target("ride_net_to_gross", "Net pay after vehicle costs well below gross",
           "ride-hailing pay after vehicle costs / pay before vehicle costs (both after commission)",
           0.5, 0.85, (PARROTT_REICH_2018, HALL_KRUEGER_2018),
           "vehicle expenses take a substantial share (roughly a fifth to a half) of drivers' gross pay"),
    Target("top10_share_gap", "Reputation ranking concentrates work",
           "top-10% freelancers' share of freelancely tasks: reputation minus random matching",
           0.05, 1.0, (PALLAIS_2014, STANTON_THOMAS_2016),
           "reputation-ranked hiring favours workers with a record; ranking concentrates work "
           "(agent-based result: the gap should be clearly positive)"),
    Target("newcomer_start_gap", "Newcomers struggle to get a first job",
           f"share of freelance newcomers with a first task within {FIRST_JOB_DAYS} days: random minus "
           "reputation matching", 0.0, 1.0, (PALLAIS_2014, STANTON_THOMAS_2016),
           "inexperienced workers without feedback are rarely hired"),
    Target("ai_writing_jobs", "Generative AI cuts writing jobs within months",
           f"change in writing tasks done by freelancers, {AI_WINDOW_DAYS} days after the AI shock vs no shock",
           -0.30, -0.02, (HUI_RESHEF_ZHOU_2024, DEMIRCI_HANNANE_ZHU_2024),
           "writing freelancers' jobs fell ~2% and earnings ~5% (Hui et al.); writing job posts fell ~20% "
           "relative to manual jobs (Demirci et al.)"),
    Target("ai_writing_earnings", "Generative AI cuts writing earnings within months",
           "change in writing freelancers' net earnings, same window",
           -0.30, -0.02, (HUI_RESHEF_ZHOU_2024,),
           "monthly earnings of exposed freelancers fell ~5%"),
    Target("ai_spillover", "Less-exposed categories are little affected",
           "largest absolute change in tasks done in any other category, same window",
           0.0, 0.05, (HUI_RESHEF_ZHOU_2024, DEMIRCI_HANNANE_ZHU_2024),
           "effects concentrate in exposed categories; manual-intensive work is little affected"),
)
TARGETS_BY_KEY = {t.key: t for t in TARGETS}


@dataclass
class FactResult:
    """A measure's simulated value (the mean over seeds) against its target; the verdict is on the mean."""

    target: Target
    value: float
    per_seed: tuple[float, ...] = ()

    @property
    def holds(self) -> bool:
        return math.isfinite(self.value) and self.target.low <= self.value <= self.target.high

    @property
    def interval(self) -> tuple[float, float] | None:
        """95% confidence interval of the mean over seeds (Student t); None with fewer than two seeds."""
        finite = np.array([v for v in self.per_seed if math.isfinite(v)])
        if finite.size < 2:
            return None
        half = stats.t.ppf(0.975, finite.size - 1) * finite.std(ddof=1) / math.sqrt(finite.size)
        return self.value - half, self.value + half

    def show(self) -> str:
        """The value, with its 95% interval over seeds when there are several."""
        ci = self.interval
        text = self.target.show(self.value)
        return text if ci is None else f"{text} [{self.target.show(ci[0])}, {self.target.show(ci[1])}]"


@dataclass
class Trace:
    """A run's tables plus what the facts need that the standard outputs do not keep."""

    scenario: Scenario
    metrics: pl.DataFrame
    markets: pl.DataFrame
    workers: pl.DataFrame
    month_status: np.ndarray        # (months, N) int8: status after each monthly decision round
    month_category: np.ndarray      # (months, N) int32
    first_job_day: np.ndarray       # (N,) first day with a task after the worker's first entry in the run (-1)
    rating_count: np.ndarray        # (N, P) tasks per platform over the run
    platform_names: list[str]
    category_names: list[str]
    ride_logged_hours: float = 0.0  # logged-in hours of active ride-hailing workers over the measurement window
    ride_task_hours: float = 0.0
    measure_from: int = 0
    extra: dict = field(default_factory=dict)


def traced_run(scenario: Scenario, seed: int, days: int, measure_from: int = 0, progress=None) -> Trace:
    """Run `scenario` for `days` days, recording monthly status snapshots, first jobs and ride hours."""
    model = GigEconomyModel(scenario, rng=seed, create_agents=False)
    w = model.workers
    n = w.n
    first_job = np.full(n, -1, dtype=np.int32)
    statuses, categories = [], []
    rides = model.category_names.index("rides") if "rides" in model.category_names else -1
    logged = task = 0.0
    for day in range(days):
        model.step()
        entered = w.first_entry_day >= 0
        new_job = entered & (first_job < 0) & (w.day_tasks > 0)
        first_job[new_job] = day
        if day % MONTH == MONTH - 1:
            statuses.append(w.status.copy())
            categories.append(w.category.copy())
        if rides >= 0 and day >= measure_from:
            drivers = (w.status == ACTIVE) & (w.category == rides)
            logged += float(w.hours_offered[drivers].sum())
            task += float(w.day_task_hours[drivers].sum())
        if progress is not None:
            progress()
    return Trace(
        scenario=scenario, metrics=model.metrics, markets=model.market_metrics, workers=model.worker_table(),
        month_status=np.array(statuses, dtype=np.int8).reshape(len(statuses), n),
        month_category=np.array(categories, dtype=np.int32).reshape(len(categories), n),
        first_job_day=first_job, rating_count=w.rating_count.copy(), platform_names=list(model.platform_names),
        category_names=list(model.category_names), ride_logged_hours=logged, ride_task_hours=task,
        measure_from=measure_from)


# --------------------------------------------------------------------------- measures


def income_measures(workers: pl.DataFrame) -> dict[str, float]:
    """Side income: each active worker's mean monthly net platform earnings vs her other income.

    Uses the months in `monthly_net_earnings` in which she participated; the platform share of
    income is max(gig, 0) / (max(gig, 0) + other income).
    """
    active = workers.filter(pl.col("status") == "active")
    if active.height == 0:
        return {"side_income_share": math.nan, "gig_income_share": math.nan, "few_hours_share": math.nan}
    history = active["monthly_net_earnings"].to_numpy().astype(np.float64)
    months = np.isfinite(history).sum(axis=1)
    gig = np.where(months > 0, np.nansum(history, axis=1) / np.maximum(months, 1), np.nan)
    known = np.isfinite(gig)
    gig = np.maximum(gig[known], 0.0)
    other = active["monthly_other_income"].to_numpy().astype(np.float64)[known]
    share = gig / np.maximum(gig + other, 1e-9)
    weekly_hours = active["hours_offered"].to_numpy() * 7.0
    return {
        "side_income_share": float((share < 0.5).mean()) if share.size else math.nan,
        "gig_income_share": float(np.median(share)) if share.size else math.nan,
        "few_hours_share": float((weekly_hours < FEW_HOURS_PER_WEEK).mean()),
    }


def retention_12m(trace: Trace) -> float:
    """Share of workers first entering in the run who are active 12 monthly rounds later.

    Entries happen in the monthly rounds; an entrant of round k is followed to round k + 12.
    Only rounds with a full year of follow-up count.
    """
    first = trace.workers["first_entry_day"].to_numpy()
    rounds = trace.month_status.shape[0]
    kept = total = 0
    for k in range(max(0, rounds - 12)):
        day = k * MONTH + MONTH - 1
        cohort = first == day
        total += int(cohort.sum())
        kept += int((trace.month_status[k + 12][cohort] == ACTIVE).sum())
    return kept / total if total else math.nan


def monthly_change(workers: pl.DataFrame) -> float:
    """Median over continuing workers (12 months of positive earnings) of |Δ month-to-month| / previous month."""
    history = workers["monthly_net_earnings"].to_numpy().astype(np.float64)
    if history.size == 0:
        return math.nan
    full = np.isfinite(history).all(axis=1) & (history > 0).all(axis=1)
    h = history[full]
    if h.shape[0] == 0:
        return math.nan
    changes = np.abs(np.diff(h, axis=1)) / h[:, :-1]
    return float(np.median(np.median(changes, axis=1)))


def ride_measures(trace: Trace) -> dict[str, float]:
    """Ride-hailing utilisation (task hours / logged hours) and net / gross pay over the measurement window."""
    rides = trace.markets.filter((pl.col("category") == "rides") & (pl.col("day") >= trace.measure_from))
    pay = float(rides["worker_pay"].sum()) if rides.height else 0.0
    costs = float(rides["worker_costs"].sum()) if rides.height else 0.0
    return {
        "ride_utilisation": trace.ride_task_hours / trace.ride_logged_hours if trace.ride_logged_hours else math.nan,
        "ride_net_to_gross": (pay - costs) / pay if pay > 0 else math.nan,
    }


def freelance_platforms(sc: Scenario) -> list[str]:
    """Reputation-ranked platforms that serve online work (the freelancing marketplaces)."""
    return [name for name, p in sc.platforms.items()
            if p.enabled and p.matching == "reputation"
            and any(sc.categories[c].kind == "online" for c in p.categories if c in sc.categories)]


def concentration(trace: Trace, platforms: list[str]) -> dict[str, float]:
    """Top-10% share of the platforms' tasks among workers ever active there; newcomers' quick-start share."""
    idx = [trace.platform_names.index(p) for p in platforms if p in trace.platform_names]
    if not idx:
        return {"top10_share": math.nan, "newcomer_start": math.nan}
    online = [i for i, c in enumerate(trace.category_names) if trace.scenario.categories[c].kind == "online"]
    entered = trace.workers["first_entry_day"].to_numpy()
    ever = trace.workers["first_entry_day"].is_not_null().to_numpy()
    in_online = np.isin(trace.month_category, online).any(axis=0) if trace.month_category.size else ever
    pool = np.flatnonzero(ever & in_online)
    tasks = trace.rating_count[pool][:, idx].sum(axis=1).astype(np.float64)
    top10 = math.nan
    if tasks.sum() > 0:
        ranked = np.sort(tasks)[::-1]
        top10 = float(ranked[: max(1, int(math.ceil(0.1 * ranked.size)))].sum() / ranked.sum())
    days = int(trace.metrics.height)
    newcomers = np.flatnonzero(ever & in_online & (entered >= 0) & (entered + FIRST_JOB_DAYS < days))
    start = trace.first_job_day[newcomers]
    quick = (start >= 0) & (start - entered[newcomers] <= FIRST_JOB_DAYS)
    return {"top10_share": top10, "newcomer_start": float(quick.mean()) if newcomers.size else math.nan}


def category_window(trace: Trace, start: int, end: int) -> pl.DataFrame:
    """Tasks done and net worker earnings per category over days [start, end)."""
    return (trace.markets.filter((pl.col("day") >= start) & (pl.col("day") < end))
            .group_by("category")
            .agg(pl.col("tasks_filled").sum().alias("tasks"),
                 (pl.col("worker_pay") - pl.col("worker_costs")).sum().alias("net"))
            .sort("category"))


def ai_effects(shocked: Trace, control: Trace, start: int, end: int, category: str = AI_SHOCK_CATEGORY
               ) -> dict[str, float]:
    """Relative change, shock vs control, in the category's tasks and net earnings, and the largest spillover."""
    a = {r["category"]: r for r in category_window(shocked, start, end).iter_rows(named=True)}
    b = {r["category"]: r for r in category_window(control, start, end).iter_rows(named=True)}

    def change(cat: str, col: str) -> float:
        if cat not in a or cat not in b or b[cat][col] == 0:
            return math.nan
        return a[cat][col] / b[cat][col] - 1.0

    others = [abs(change(c, "tasks")) for c in b if c != category]
    others = [x for x in others if math.isfinite(x)]
    return {"ai_writing_jobs": change(category, "tasks"), "ai_writing_earnings": change(category, "net"),
            "ai_spillover": max(others) if others else math.nan,
            "ai_by_category": {c: change(c, "tasks") for c in b}}


# --------------------------------------------------------------------------- worlds


def random_matching_world(sc: Scenario) -> Scenario:
    """The same world with the freelancing platforms matching at random."""
    return sc.with_overrides({"platforms": {p: {"matching": "random"} for p in freelance_platforms(sc)}},
                             "<random matching>")


def ai_shock_world(sc: Scenario, shock_day: int) -> Scenario:
    """The same world with generative AI arriving in writing on `shock_day` (linear ramp to AI_SHOCK_LEVEL)."""
    path = {"shape": "linear", "start": shock_day, "end": shock_day + AI_SHOCK_RAMP_DAYS,
            "start_level": 0.0, "end_level": AI_SHOCK_LEVEL}
    return sc.with_overrides({"automation": {AI_SHOCK_CATEGORY: {"level": path}}}, "<AI shock>")


@dataclass
class FactsReport:
    results: list[FactResult]
    scenario: str
    workers: int
    seed: int
    days: int
    shock_day: int
    details: dict = field(default_factory=dict)
    seeds: int = 1

    @property
    def seed_text(self) -> str:
        return f"seed {self.seed}" if self.seeds == 1 else f"seeds {self.seed}–{self.seed + self.seeds - 1}"

    @property
    def all_hold(self) -> bool:
        return all(r.holds for r in self.results)

    @property
    def values(self) -> dict[str, float]:
        return {r.target.key: r.value for r in self.results}


def measure_facts(sc: Scenario, seed: int, days: int = VALIDATION_DAYS, shock_day: int | None = None,
                  facts: tuple[str, ...] | None = None, progress=None) -> dict[str, float]:
    """Run the worlds the requested facts need and return the simulated value of each measure."""
    shock_day = days // 2 if shock_day is None else shock_day
    wanted = set(facts) if facts is not None else {t.key for t in TARGETS}
    measure_from = max(0, days - 365)
    base = traced_run(sc, seed, days, measure_from, progress)
    values: dict[str, float] = {}
    values.update(income_measures(base.workers))
    values["retention_12m"] = retention_12m(base)
    values["monthly_change"] = monthly_change(base.workers)
    values.update(ride_measures(base))
    if wanted & {"top10_share_gap", "newcomer_start_gap"} and freelance_platforms(sc):
        random = traced_run(random_matching_world(sc), seed, days, measure_from, progress)
        plats = freelance_platforms(sc)
        rep, rnd = concentration(base, plats), concentration(random, plats)
        values["top10_share_gap"] = rep["top10_share"] - rnd["top10_share"]
        values["newcomer_start_gap"] = rnd["newcomer_start"] - rep["newcomer_start"]
        values["_concentration"] = {"reputation": rep, "random": rnd}
    if wanted & {"ai_writing_jobs", "ai_writing_earnings", "ai_spillover"} and AI_SHOCK_CATEGORY in sc.categories:
        shocked = traced_run(ai_shock_world(sc, shock_day), seed, days, measure_from, progress)
        effects = ai_effects(shocked, base, shock_day, min(days, shock_day + AI_WINDOW_DAYS))
        values["_ai_by_category"] = effects.pop("ai_by_category")
        values.update(effects)
    return {k: v for k, v in values.items() if k in wanted or k.startswith("_")}


def worlds_needed(sc: Scenario) -> int:
    """How many runs `check_facts` makes (for a progress bar)."""
    return 1 + bool(freelance_platforms(sc)) + (AI_SHOCK_CATEGORY in sc.categories)


def check_facts(sc: Scenario, seed: int, days: int = VALIDATION_DAYS, shock_day: int | None = None,
                progress=None, seeds: int = 1) -> FactsReport:
    """Measure every stylized fact on `sc` over seeds seed, seed + 1, …, seed + seeds − 1 and compare the
    mean of each measure with its target range (see `combine_seeds`)."""
    shock_day = days // 2 if shock_day is None else shock_day
    per_seed = [measure_facts(sc, seed + k, days, shock_day, progress=progress) for k in range(seeds)]
    values = combine_seeds(per_seed)
    # the spillover is a maximum over categories' mean changes, not a mean over seeds: no interval
    results = [FactResult(t, float(values.get(t.key, math.nan)),
                          () if t.key == "ai_spillover" else tuple(float(v.get(t.key, math.nan)) for v in per_seed))
               for t in TARGETS]
    details = {k: v for k, v in values.items() if k.startswith("_")}
    return FactsReport(results, sc.name, sc.population.workers, seed, days, shock_day, details, seeds)


def _mean(values) -> float:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    return float(np.mean(finite)) if finite else math.nan


def combine_seeds(per_seed: list[dict]) -> dict:
    """Each measure's mean over seeds (the seeds' AI shock and control runs are paired by seed).

    The spillover is the largest absolute mean change among the other categories: a maximum of
    per-seed absolute changes would grow with noise alone.
    """
    keys = {k for v in per_seed for k in v if not k.startswith("_")}
    values: dict = {k: _mean(v.get(k, math.nan) for v in per_seed) for k in keys}
    by_category = [v["_ai_by_category"] for v in per_seed if "_ai_by_category" in v]
    if by_category:
        mean_change = {c: _mean(d.get(c, math.nan) for d in by_category) for c in by_category[0]}
        values["_ai_by_category"] = mean_change
        others = [abs(x) for c, x in mean_change.items() if c != AI_SHOCK_CATEGORY and math.isfinite(x)]
        values["ai_spillover"] = max(others) if others else math.nan
    concentrations = [v["_concentration"] for v in per_seed if "_concentration" in v]
    if concentrations:
        values["_concentration"] = {
            rule: {m: _mean(c[rule][m] for c in concentrations) for m in concentrations[0][rule]}
            for rule in concentrations[0]}
    return values


# --------------------------------------------------------------------------- output


def facts_markdown(report: FactsReport, command: str = "") -> str:
    """The table of targets, sources, simulated values and verdicts, as Markdown."""
    held = sum(r.holds for r in report.results)
    lines = [
        f"Scenario `{report.scenario}`, {report.workers:,} workers, {report.seed_text}, {report.days} days "
        f"(AI shock in writing from day {report.shock_day}). **{held} of {len(report.results)} measures hold.**",
        "",
    ]
    if report.seeds > 1:
        lines += [f"Simulated: the mean over the {report.seeds} seeds, with its 95% confidence interval; the "
                  "verdict is on the mean. The spillover is the largest absolute mean change among the other "
                  "categories (no interval: it is a maximum).", ""]
    if command:
        lines += [f"Generated by `{command}`.", ""]
    lines += ["| Fact | Measure | Target | Simulated | Holds | Source | Evidence |",
              "|---|---|---|---|---|---|---|"]
    for r in report.results:
        t = r.target
        sources = "; ".join(s.cite() for s in t.sources)
        lines.append(f"| {t.fact} | {t.measure} | {t.range_text()} | {r.show()} | "
                     f"{'yes' if r.holds else '**no**'} | {sources} | {t.evidence} |")
    conc = report.details.get("_concentration")
    if conc:
        lines += ["", "Reputation vs random matching on the freelancing platform: top-10% share of tasks "
                  f"{conc['reputation']['top10_share']:.1%} vs {conc['random']['top10_share']:.1%}; newcomers with "
                  f"a first task within {FIRST_JOB_DAYS} days {conc['reputation']['newcomer_start']:.1%} vs "
                  f"{conc['random']['newcomer_start']:.1%}."]
    by_cat = report.details.get("_ai_by_category")
    if by_cat:
        parts = ", ".join(f"{c} {v:+.1%}" for c, v in sorted(by_cat.items()) if v is not None and math.isfinite(v))
        lines += ["", f"AI shock, change in tasks done per category over {AI_WINDOW_DAYS} days: {parts}."]
    return "\n".join(lines) + "\n"
