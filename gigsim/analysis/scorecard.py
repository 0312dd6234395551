"""The scorecard: measures of the model's tables against published numbers, most of them levels.

Each `Measure` has a name, a kind (`level` or `difference`), a role (`calibrated`: `gigsim calibrate`
may use it to choose parameters; `held_out`: never used to choose anything), the source (author year,
the exact number, the population and the year it describes), the band the simulated value must fall
in and how the band was set, and the function of gigsim.analysis.measures that computes it. A measure
the model's outputs cannot yet support has no function, a null value and a note of what is missing.

`score` runs every seed (gigsim.analysis.facts.measure_facts), averages each measure over the seeds,
adds its 95% interval (Student t over seeds; the same interval as gigsim.analysis.stats, which the UI
work is adding — to be shared once it lands) and the verdict (the mean inside the band).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import stats

from gigsim.analysis import measures as m
from gigsim.analysis import sources as s


@dataclass(frozen=True)
class Measure:
    name: str
    kind: str                      # "level" | "difference"
    role: str                      # "calibrated" | "held_out"
    sector: str
    description: str
    source: s.Source
    published: str                 # the exact published number(s), population and year
    low: float
    high: float
    band: str                      # how the band was set
    measure: Callable[[m.RunTables], float | None] | None
    unit: str = "share"
    world: str = "baseline"        # "random_matching": computed from the scenario and its random-matching twin
    missing: str = ""              # for a measure with no function: the output the model does not write

    @property
    def measurable(self) -> bool:
        return self.measure is not None or self.world != "baseline"


INF = math.inf

MEASURES: tuple[Measure, ...] = (
    # ---------------------------------------------------------------- ride-hailing: hours
    Measure("ride_hours_up_to_15", "level", "calibrated", "rides",
            "share of driver-weeks with 1-15 logged-in hours", s.HALL_KRUEGER_2018,
            "53% of uberX driver-partners drove 1-15 h/week (20 markets, Oct 2015, Table 3)", 0.45, 0.61,
            "±8 points: the 2015 draft has 51%, Chicago 58%, San Francisco 53% (NY, 24%, is the outlier)",
            m.ride_hours_up_to_15),
    Measure("ride_hours_35_plus", "level", "held_out", "rides",
            "share of driver-weeks with 35 or more logged-in hours", s.HALL_KRUEGER_2018,
            "12% drove 35-49 h and 5% 50+ h a week: 17% (20 markets, Oct 2015)", 0.11, 0.23,
            "±6 points: 2015 draft 19%, Chicago 13%, San Francisco 15%", m.ride_hours_35_plus),
    Measure("ride_hours_share_35_plus", "level", "held_out", "rides",
            "share of drivers' logged-in hours done in weeks of 35 hours or more", s.HALL_KRUEGER_2018,
            "about half of the driving is done by drivers working more than 35 h/week (Bloomberg 2017 on the "
            "Uber-commissioned study); the bins of Table 3 at their midpoints (8, 25, 42, 55 h) give 40%",
            0.35, 0.55, "from the bins' 40% to Bloomberg's ~50%, ±5 points (the bins' midpoints are a guess)",
            m.ride_hours_share_35_plus),
    Measure("ride_mean_weekly_hours", "level", "held_out", "rides",
            "mean logged-in hours per driver-week (hours)", s.COOK_2021,
            "17.06 hours a week (1.87 million US Uber drivers, 2015-Q1 2017; Table 1 via Mishel 2018 Table 2)",
            14.0, 20.0, "±3 h (about ±18%): Hall & Krueger's bins at their midpoints give 19.5 h",
            m.ride_mean_weekly_hours, unit="hours"),
    Measure("ride_weekly_swing", "level", "held_out", "rides",
            "share of drivers driving 25% more or less than in the previous week", s.HALL_KRUEGER_2016,
            "65% of drivers drove 25% more or 25% less than in the previous week (survey, 2015)", 0.55, 0.75,
            "±10 points: a survey answer, read in a secondary summary (NBER Digest)", m.ride_weekly_swing),
    # ---------------------------------------------------------------- ride-hailing: pay and time
    Measure("ride_utilisation", "level", "calibrated", "rides",
            "passenger hours / logged-in hours of ride drivers", s.CRAMER_KRUEGER_2016,
            "UberX drivers carried a passenger 55% of their hours in San Francisco, 64% / 55% of miles in LA / "
            "Seattle (2015); New York app drivers 58% (TLC, 2017)", 0.45, 0.65,
            "the published values (55-64%) ±10 points at the low end: miles overstate hours", m.ride_utilisation),
    Measure("ride_net_to_gross", "level", "calibrated", "rides",
            "driver pay after vehicle costs / pay after commission", s.MISHEL_2018,
            "fares 24.77/h, commissions 8.33, vehicle costs 4.78 after the tax deduction (6.40 before): "
            "net/gross 0.71 (0.61); US Uber drivers 2015-Q1 2017", 0.60, 0.80,
            "Mishel's 0.61-0.71 and Hall & Krueger's costs of 2.94-6.46/h on 19/h (0.66-0.85), trimmed to 0.80",
            m.ride_net_to_gross),
    Measure("ride_gross_hourly", "level", "held_out", "rides",
            "driver pay after commission, before costs, per logged-in hour (currency)", s.HALL_KRUEGER_2018,
            "about 19 per hour (18.75-19.41 across hours bins, 20 markets, Oct 2015); Mishel 2018: "
            "24.77 - 8.33 = 16.44 per hour (2015-Q1 2017)", 16.0, 20.0,
            "spans the two sources (16.44 and 19.4) with ±0.5", m.ride_gross_hourly, unit="currency/h"),
    Measure("ride_net_hourly", "level", "held_out", "rides",
            "driver pay after commission and vehicle costs per logged-in hour (currency)", s.MISHEL_2018,
            "11.77 per hour after vehicle costs (10.04 with costs before the tax deduction); US Uber drivers, "
            "2015-Q1 2017", 10.0, 14.5,
            "Mishel's 10.04-11.77 up to Hall & Krueger's 19/h less mid-range costs (4.7): 14.3",
            m.ride_net_hourly, unit="currency/h"),
    Measure("ride_multihoming", "level", "held_out", "rides",
            "share of active ride drivers on more than one ride-hailing platform", s.RSG_2017,
            "47% of drivers used only one app in their first 3 months, 34% also a second, few stayed single-app "
            "after 6 months (~1,500 US drivers, 2017 survey)", 0.30, 0.70,
            "weak source (a driver survey read in a paraphrase): a wide band from 34% to a large majority",
            m.ride_multihoming),
    # ---------------------------------------------------------------- participation (JPMorgan Chase Institute)
    Measure("retention_12m", "level", "calibrated", "all",
            "share of new participants still active 12 months after first entry", s.FARRELL_GREIG_2017,
            "more than half of participants exit within 12 months (Chase, 240k participants, 2012-2016); "
            "~50% of Uber drivers active a year after starting (Hall & Krueger 2015, Fig. 6)", 0.30, 0.50,
            "below one half (both sources), down to 0.30 (no source gives a lower figure)", m.retention_12m),
    Measure("entrant_share", "level", "calibrated", "all",
            "share of a month's participants who are participating for the first time", s.FARRELL_GREIG_2017,
            "one in six participants in any given month is new (Chase, 2012-2016)", 0.12, 0.21,
            "1/6 = 16.7% ±25% of itself", m.entrant_share),
    Measure("months_active_up_to_3", "level", "held_out", "all",
            "share of those active in some month of a year who were active 3 months or fewer",
            s.FARRELL_GREIG_HAMOUDI_2018,
            "58% of participants were active 3 or fewer months of the previous year (Chase, 2.3m platform "
            "families, to Mar 2018)", 0.50, 0.66, "±8 points (read in a press report of the study)",
            m.months_active_up_to_3),
    Measure("month_to_year_participation", "level", "held_out", "all",
            "participants in a month / participants in that month or the 11 before", s.FARRELL_GREIG_HAMOUDI_2018,
            "1.6% of families participated in a given month (Q1 2018) and 4.5% in the prior 12 months: 0.36",
            0.28, 0.44, "0.36 ± 0.08 (the 2016 report's 1% in a month vs 4.2% over 3 years is consistent)",
            m.month_to_year_participation),
    Measure("ride_months_active", "level", "held_out", "rides",
            "mean months of a year in which a worker who drove that year drove", s.MISHEL_2018,
            "Uber drivers work an average of three months a year (833,000 drivers in a year, 2015-17)", 2.2, 3.8,
            "3 ± 0.8 months", m.ride_months_active, unit="months"),
    # ---------------------------------------------------------------- income
    Measure("labour_income_share", "level", "calibrated", "all",
            "mean platform share of total monthly income, labour-platform participants", s.FARRELL_GREIG_2016,
            "labour platforms contributed 33% of total monthly income in months they were used (Chase, "
            "Oct 2012-Sep 2015)", 0.25, 0.41, "±8 points", m.labour_income_share),
    Measure("capital_income_share", "level", "held_out", "stays",
            "mean platform share of total monthly income, home-sharing hosts", s.FARRELL_GREIG_2016,
            "capital platforms (eBay, Airbnb) contributed 20% of total monthly income (Chase, 2012-2015)",
            0.12, 0.28, "±8 points", m.capital_income_share),
    Measure("income_dependent_share", "level", "held_out", "all",
            "share of labour-platform participant-months with platform income over 75% of total income",
            s.FARRELL_GREIG_2016, "more than 75% of total income for 25% of active labour-platform participants "
            "(p. 24; Chase, 2012-2015)", 0.18, 0.32, "±7 points", m.income_dependent_share),
    Measure("monthly_earnings_change", "level", "calibrated", "all",
            "median absolute month-to-month change of a continuing worker's net platform earnings", s.JPMCI_2025,
            "hourly workers' typical month-to-month change in earnings is 9%, and 1 in 4 months sees a swing of "
            "at least 21% (Chase, 2025)", 0.135, 1.0,
            "platform earnings should vary more than hourly pay: at least 1.5 × 9% (a bound, not a level)",
            m.monthly_earnings_change),
    # ---------------------------------------------------------------- freelancing
    Measure("freelance_ever_hired", "level", "held_out", "online",
            "share of freelancers who won at least one task in the run", s.KASSI_2021,
            "14 million of 163 million registered profiles had obtained work at least once: 8.6% (global "
            "online labour platforms, 2020-21; 5% in the paper's first version)", 0.05, 0.15,
            "5% to 15%: the model's entrants look for work, many registered profiles never do (upper end)",
            m.freelance_ever_hired),
    Measure("freelance_established", "level", "held_out", "online",
            "among freelancers who won a task, share with 10+ tasks or 1,000+ gross pay in the run", s.KASSI_2021,
            "3.3 million of the 14 million who ever worked completed 10+ projects or earned $1,000+: 24%",
            0.17, 0.31, "±7 points (the run is two years, the platforms' histories longer)",
            m.freelance_established),
    Measure("top10_share_gap", "difference", "calibrated", "online",
            "top-10% freelancers' share of tasks: reputation minus random matching", s.PALLAIS_2014,
            "inexperienced workers without feedback are rarely hired; hiring and detailed evaluations "
            "substantially improved later employment (952 hired workers, oDesk 2010-11)", 0.05, 1.0,
            "direction only (no published size): clearly positive, at least 5 points", None,
            world="random_matching"),
    Measure("newcomer_start_gap", "difference", "calibrated", "online",
            "newcomers with a first task within 30 days: random minus reputation matching", s.PALLAIS_2014,
            "as above: a record is what gets workers hired", 0.0, 1.0, "direction only: not negative", None,
            world="random_matching"),
    # ---------------------------------------------------------------- home-sharing
    Measure("stays_occupancy", "level", "held_out", "stays",
            "nights booked / nights hosts were active", s.LEARNAIRBNB_2016,
            "average annual occupancy 17.1% of 365 days (430,000 US listings, Oct 2014-Oct 2015; industry report)",
            0.12, 0.22, "±5 points (an industry report on scraped data)", m.stays_occupancy),
    Measure("stays_mean_to_median", "level", "held_out", "stays",
            "hosts' revenue over a year: mean / median", s.LEARNAIRBNB_2016,
            "mean 9,570 and median 3,300 per host and year: 2.9 (US, 2014-15)", 2.0, 4.0, "2.9 ± about a third",
            m.stays_mean_to_median, unit="ratio"),
    Measure("stays_top1_share", "level", "held_out", "stays",
            "share of hosts' revenue earned by the top 1% of hosts", s.LEARNAIRBNB_2016,
            "the top 1% of hosts earn 19% of booking revenue (US, 2014-15)", 0.12, 0.26, "±7 points",
            m.stays_top1_share),
)
MEASURES_BY_NAME = {x.name: x for x in MEASURES}
CALIBRATED = tuple(x.name for x in MEASURES if x.role == "calibrated")
HELD_OUT = tuple(x.name for x in MEASURES if x.role == "held_out")


class SeedValues:
    """A quantity measured once per seed: its mean over the seeds that define it and the 95% interval."""

    per_seed: tuple[float | None, ...]

    @property
    def finite(self) -> np.ndarray:
        return np.array([v for v in self.per_seed if v is not None and math.isfinite(v)], dtype=np.float64)

    @property
    def value(self) -> float | None:
        return float(self.finite.mean()) if self.finite.size else None

    @property
    def interval(self) -> tuple[float | None, float | None]:
        return t_interval(self.finite)


@dataclass
class Score(SeedValues):
    """One measure's mean over seeds against its band."""

    measure: Measure
    per_seed: tuple[float | None, ...]

    @property
    def status(self) -> str:
        return "not_measurable" if not self.measure.measurable else ("measured" if self.finite.size else "undefined")

    @property
    def holds(self) -> bool | None:
        v = self.value
        return None if v is None else bool(self.measure.low <= v <= self.measure.high)


def t_interval(values: np.ndarray, level: float = 0.95) -> tuple[float | None, float | None]:
    """Student-t interval of the mean over seeds; (None, None) with fewer than two values."""
    if values.size < 2:
        return None, None
    half = stats.t.ppf(0.5 + level / 2, values.size - 1) * values.std(ddof=1) / math.sqrt(values.size)
    return float(values.mean() - half), float(values.mean() + half)


def score(per_seed: list[dict[str, float | None]]) -> list[Score]:
    """Every measure's scores over the seeds' values (measures no seed could compute stay null)."""
    return [Score(x, tuple(v.get(x.name) for v in per_seed)) for x in MEASURES]


@dataclass
class Scorecard:
    scores: list[Score]
    scenario: str
    workers: int
    seed: int
    seeds: int
    days: int

    @property
    def seed_text(self) -> str:
        return f"seed {self.seed}" if self.seeds == 1 else f"seeds {self.seed}-{self.seed + self.seeds - 1}"

    def held(self, role: str | None = None) -> tuple[int, int]:
        """(measures that hold, measures with a verdict), for one role or all."""
        rows = [x for x in self.scores if (role is None or x.measure.role == role) and x.holds is not None]
        return sum(bool(x.holds) for x in rows), len(rows)


def run_scorecard(sc, seed: int, seeds: int, days: int, progress=None) -> Scorecard:
    """Measure every scorecard measure on `sc` over seeds seed, ..., seed + seeds - 1."""
    from gigsim.analysis.facts import measure_facts

    per_seed = [measure_facts(sc, seed + k, days, progress=progress) for k in range(seeds)]
    return Scorecard(score(per_seed), sc.name, sc.population.workers, seed, seeds, days)
