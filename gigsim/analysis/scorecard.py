"""The scorecard: measures of the model's tables against published numbers, most of them levels.

Each `Measure` has a name, a kind (`level` or `difference`), a role (`calibrated`: `gigsim calibrate`
may use it to choose parameters; `held_out`: never used to choose anything), the source (author year,
the exact number, the population and the year it describes), the band the simulated value must fall
in and how the band was set, and the function of gigsim.analysis.measures that computes it. The measures are
data (data/measures.toml), so a reader can check every number and band without reading code. A measure
the model's outputs cannot yet support has no function, a null value and a note of what is missing.
A measure whose source counted people in a sample that grew fast (Chase's participants, Uber's drivers) states
that growth (`growth`, per month, and `growth_basis`: its source) and is read at it: the run's later cohorts
weigh more, as they did in the source's sample (docs/validation.md, "Chase spells").

`score` runs every seed (gigsim.analysis.facts.measure_facts), averages each measure over the seeds,
adds its 95% interval (Student t over seeds; the same interval as gigsim.analysis.stats, which the UI
work is adding — to be shared once it lands) and the verdict (the mean inside the band).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

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
    growth: float = 0.0            # per month (log): the growth of the source's sample, at which the model is read
    growth_basis: str = ""         # where that growth comes from (source and arithmetic)

    @property
    def measurable(self) -> bool:
        return self.measure is not None or self.world != "baseline"


def _load_measures(path: Path) -> tuple[Measure, ...]:
    """The measures of data/measures.toml, in file order, each with its source and function resolved."""
    def bound(v) -> float:
        return float(v)  # "inf" / "-inf" for an open side

    rows = tomllib.loads(path.read_text("utf-8"))
    return tuple(
        Measure(name, r["kind"], r["role"], r["sector"], r["description"], s.SOURCES[r["source"].upper()],
                r["published"], bound(r["low"]), bound(r["high"]), r["band"], _function(r), r.get("unit", "share"),
                r.get("world", "baseline"), r.get("missing", ""), float(r.get("growth", 0.0)),
                r.get("growth_basis", ""))
        for name, r in rows.items())


def _function(row: dict) -> Callable[[m.RunTables], float | None] | None:
    """The row's measure function; with a `growth` it reads the run as a market growing at that rate would show
    it (the function's `growth` argument: gigsim.analysis.measures.participation.cohort_weights)."""
    if "measure" not in row:
        return None
    f = getattr(m, row["measure"])
    return partial(f, growth=float(row["growth"])) if row.get("growth") else f


MEASURES: tuple[Measure, ...] = _load_measures(Path(__file__).parent / "data" / "measures.toml")
"""Every scorecard measure, in the order of data/measures.toml."""
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
