"""The policy episodes' translations: a published standard carried into the model's world by measuring the baseline
(docs/model.md 7.16; docs/validation.md, "Replication"), one function per translated number, and the places each
number is stored, so that `gigsim translate` re-measures them and checks (--check) or writes (--write) them.

Every number is measured on the episodes' control arm (scenarios/episodes/control.toml, the shipped baseline) over
days 120-299 of a 300-day run recorded after the baseline's burn-in (the episodes' days), one run per seed: `observe`
steps the world once and keeps what the four functions read. A number's value is its mean over seeds, its interval
the 95% Student-t interval of that mean (gigsim.analysis.stats). A stored value is current when it lies inside the
interval widened by half a unit of the last decimal the value is written with (so rounding alone is never stale).
`read_stored` reads each stored copy, `write_values` writes the measured values in their place (tomlkit: comments,
layout and every other field stay as they are), `splice_table` the table into the docs between
`<!-- generated:translation -->` and `<!-- /generated:translation -->`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import polars as pl
import tomlkit
from tomlkit.exceptions import ParseError
from tomlkit.items import Float

from gigsim import io
from gigsim.analysis.evidence import splice
from gigsim.analysis.markdown import table as markdown_table
from gigsim.analysis.replicate import EPISODE_DAYS, EPISODE_DIR
from gigsim.analysis.stats import t_interval
from gigsim.errors import GigsimError, InputError
from gigsim.model.model import GigEconomyModel
from gigsim.model.state import ACTIVE
from gigsim.model.vocabulary import Fate
from gigsim.scenario import Scenario

WINDOW = (120, EPISODE_DAYS)
"""Days [start, end) measured: the episodes' last 180 days, as every translation script measured them."""
MIN_DRIVER_HOURS = 30.0
"""Drivers counted in the pay distribution: at least this many logged-in hours in the window (a driver seen for a
day or two has no hourly rate worth a percentile)."""
PAY_PERCENTILE = 85.0
"""Where New York's $17.22 sat in its drivers' net pay per working hour (Parrott & Reich 2018)."""
NYC_UTILISATION_BEFORE, NYC_UTILISATION_AFTER = 54.8, 55.9
"""New York's driver utilisation (%) in June 2018 and June 2019 (Koustas, Parrott & Reich 2020)."""


@dataclass
class Baseline:
    """What one seed's control run shows over WINDOW: per worker, ride drivers' net pay and logged-in hours (summed
    over the days each was active in rides); the ride sector's running costs, task hours and logged-in hours as the
    run's tables record them; each online category's price per engaged hour of every hired task; and the speed
    (miles per hour) that converts the model's hours into NYC's miles."""

    seed: int
    driver_net: np.ndarray
    driver_hours: np.ndarray
    ride_costs: float
    ride_task_hours: float
    ride_logged_hours: float
    online_rates: dict[str, np.ndarray]
    miles_per_hour: float


def _grown(x: np.ndarray, n: int) -> np.ndarray:
    """`x` padded with zeros to `n` rows (the worker pool may grow)."""
    return x if x.size >= n else np.concatenate([x, np.zeros(n - x.size)])


def _window_sum(frame: pl.DataFrame, column: str) -> float:
    """A daily table's column summed over WINDOW."""
    rows = frame.filter((pl.col("day") >= WINDOW[0]) & (pl.col("day") < WINDOW[1]))
    return float(rows[column].sum()) if rows.height else 0.0


def observe(sc: Scenario, seed: int, progress: Callable[[], None] | None = None) -> Baseline:
    """Run `sc` with `seed` for the episodes' 300 days (after its burn-in, no worker panels) and keep what the
    translations read over WINDOW. Hired tasks are those filled on the platform or re-hired directly."""
    m = GigEconomyModel(sc, rng=seed, create_agents=False)
    m.recorder.panels.enabled = False
    w, rides = m.workers, m.category_names.index("rides")
    online = {c: m.category_names.index(c) for c in m.category_names if sc.categories[c].kind == "online"}
    net, hours, costs = np.zeros(w.n), np.zeros(w.n), 0.0
    rates: dict[str, list[np.ndarray]] = {c: [] for c in online}
    for _ in range(EPISODE_DAYS):
        day = m.day
        m.step()
        if progress is not None:
            progress()
        if not WINDOW[0] <= day < WINDOW[1]:
            continue
        net, hours = _grown(net, w.n), _grown(hours, w.n)
        on = (w.status == ACTIVE) & (w.category == rides)
        net[on] += (w.day_pay - w.day_costs)[on]
        hours[on] += w.hours_offered[on]
        costs += float(w.day_costs[on].sum())
        t = m.tasks
        hired = (t.fate == Fate.FILLED) | (t.fate == Fate.DIRECT)
        for c, k in online.items():
            sel = hired & (t.category == k)
            rates[c].append(t.price[sel] / (t.hours[sel] + t.pickup[sel]))
    markets = m.market_metrics.filter(pl.col("category") == "rides")
    return Baseline(seed, net, hours, costs, _window_sum(markets, "task_hours"),
                    _window_sum(m.metrics, "logged_hours_rides"),
                    {c: np.concatenate(v) if v else np.zeros(0) for c, v in rates.items()},
                    float(sc.policy.nyc_pay_standard.miles_per_hour))


# --------------------------------------------------------------------------- the translated numbers (one seed each)


def nyc_per_minute(b: Baseline) -> float:
    """NYC's per-minute rate (money per minute): the 85th percentile of the ride drivers' net pay (pay after
    commission less running costs) per logged-in hour, over drivers with at least MIN_DRIVER_HOURS logged-in hours
    in the window, / 60. The standard sits where New York's sat: "The TLC policy would increase driver pay for 85
    percent of the drivers currently paid below the $17.22 standard" (Parrott & Reich 2018), so $17.22 was the 85th
    percentile of drivers' net pay per working hour (scenarios/episodes/nyc_2019_pay_standard.toml)."""
    ok = b.driver_hours >= MIN_DRIVER_HOURS
    if not ok.any():
        return float("nan")
    return float(np.percentile(b.driver_net[ok] / b.driver_hours[ok], PAY_PERCENTILE)) / 60.0


def nyc_per_mile(b: Baseline) -> float:
    """NYC's per-mile rate (money per mile): the ride drivers' running costs per logged-in hour / miles per hour
    (the lever's `miles_per_hour`, 20). New York's rate is expenses per mile of all driving, cruising included;
    divided by utilisation and paid on trip miles it reimburses the expenses of all logged-in time. The model's
    drivers incur costs only when engaged, so the same allowance is their costs per logged-in hour
    (scenarios/episodes/nyc_2019_pay_standard.toml)."""
    logged = float(b.driver_hours.sum())
    return b.ride_costs / logged / b.miles_per_hour if logged > 0 else float("nan")


def nyc_target_utilisation(b: Baseline) -> float:
    """The log-in caps' target utilisation (share of logged-in hours spent on trips): the baseline's ride
    utilisation (task hours / logged-in hours of rides, the replication's measure) × New York's utilisation after /
    before the rule: "Driver utilization rose by two percent from 54.8 percent to 55.9 percent" (Koustas, Parrott &
    Reich 2020, June 2018 to June 2019)."""
    if b.ride_logged_hours <= 0:
        return float("nan")
    return b.ride_task_hours / b.ride_logged_hours * NYC_UTILISATION_AFTER / NYC_UTILISATION_BEFORE


def horton_hourly(b: Baseline) -> float:
    """Horton's platform minimum (money per engaged hour): the mean price per engaged hour (each hired task's price
    over its own task and pick-up hours) of the lowest-paid online category. Horton's middle cell, $3, was the mean
    hourly wage of oDesk's lowest-paid category: "mean hourly wages range from $3 (for low-skilled data entry work)
    to about $8/hour for software development" (Horton 2011; scenarios/episodes/horton_min_wage.toml)."""
    means = [float(v.mean()) for v in b.online_rates.values() if v.size]
    return min(means) if means else float("nan")


# --------------------------------------------------------------------------- where each number is stored


@dataclass(frozen=True)
class Target:
    """A stored copy of a translated number: a TOML file (relative to the repository) and the dotted field in it."""

    file: str
    field: str


NYC_EPISODE = "scenarios/episodes/nyc_2019_pay_standard.toml"
NYC_EXPERIMENT = "experiments/nyc_pay_standard.toml"
HORTON_EPISODE = "scenarios/episodes/horton_min_wage.toml"
NYC_LEVER, NYC_ARM = "policy.nyc_pay_standard", "arms.nyc_translated.overrides.policy.nyc_pay_standard"


@dataclass(frozen=True)
class Number:
    """A translated number: its rule (`measure`, one seed), the decimals it is written with, its unit, its copies."""

    name: str
    measure: Callable[[Baseline], float]
    decimals: int
    unit: str
    targets: tuple[Target, ...]


def _nyc(field: str) -> tuple[Target, ...]:
    return Target(NYC_EPISODE, f"{NYC_LEVER}.{field}"), Target(NYC_EXPERIMENT, f"{NYC_ARM}.{field}")


NUMBERS = (
    Number("nyc_per_minute", nyc_per_minute, 3, "per minute", _nyc("per_minute")),
    Number("nyc_per_mile", nyc_per_mile, 3, "per mile", _nyc("per_mile")),
    Number("nyc_target_utilisation", nyc_target_utilisation, 3, "share", _nyc("target_utilisation")),
    Number("horton_hourly", horton_hourly, 1, "per engaged hour",
           (Target(HORTON_EPISODE, "policy.minimum_ask.hourly"),)),
)
"""Every translated number and where it is stored (the tests read them from the episode files)."""


@dataclass(frozen=True)
class Translation:
    """One stored copy of a translated number against its measurement: the value to write (the mean over seeds,
    rounded to the number's decimals), the unrounded mean, the per-seed values, the 95% interval of the mean
    (None with one seed) and the value the file holds now."""

    number: Number
    target: Target
    mean: float
    per_seed: tuple[float, ...]
    interval: tuple[float | None, float | None]
    stored: float

    @property
    def value(self) -> float:
        return round(self.mean, self.number.decimals)

    @property
    def tolerance(self) -> tuple[float, float]:
        """(low, high) inside which a stored value is current: the interval widened by half a written unit."""
        pad = 0.5 * 10.0 ** -self.number.decimals
        lo, hi = self.interval
        return (self.mean if lo is None else lo) - pad, (self.mean if hi is None else hi) + pad

    @property
    def current(self) -> bool:
        lo, hi = self.tolerance
        return bool(np.isfinite(self.mean)) and lo <= self.stored <= hi


def measure(sc: Scenario, seeds: Sequence[int], progress: Callable[[], None] | None = None) -> list[Baseline]:
    """One control run per seed (see `observe`)."""
    return [observe(sc, seed, progress) for seed in seeds]


def translate(baselines: Sequence[Baseline], stored: dict[Target, float]) -> list[Translation]:
    """Every stored copy of every number against its measurement on `baselines` (`stored`: each target's value)."""
    rows = []
    for number in NUMBERS:
        per_seed = tuple(number.measure(b) for b in baselines)
        mean, lo, hi = t_interval(per_seed)
        rows += [Translation(number, t, mean, per_seed, (lo, hi), stored[t]) for t in number.targets]
    return rows


def as_written(rows: Sequence[Translation]) -> list[Translation]:
    """The rows as they stand after `write_values`: each target stores the value written."""
    return [replace(r, stored=r.value) for r in rows]


def cells(r: Translation) -> tuple[str, str, str]:
    """A row's per-seed values, measured mean [interval] (one decimal more than written) and stored value, as text."""
    d, (lo, hi) = r.number.decimals + 1, r.interval
    return (", ".join(f"{v:.{d}f}" for v in r.per_seed),
            f"{r.mean:.{d}f}" + ("" if lo is None else f" [{lo:.{d}f}, {hi:.{d}f}]"),
            f"{r.stored:.{r.number.decimals}f}")


def markdown(rows: Sequence[Translation], scenario: str, workers: int, seeds: Sequence[int], command: str = "") -> str:
    """The translations as a Markdown table: one row per stored copy (measured on `scenario`)."""
    intro = (f"Measured on `{scenario}`, {workers:,} workers, seeds {min(seeds)}-{max(seeds)}, "
             f"days {WINDOW[0]}-{WINDOW[1] - 1}. Measured: the mean over seeds [95% interval]; a stored value is "
             "current inside the interval widened by half a unit of its last decimal. The rule of each number: "
             "gigsim/analysis/translation.py.")
    header = ("Number", "File: field", "Per seed", "Measured [95% interval]", "Stored", "Current")
    table = [(f"`{r.number.name}` ({r.number.unit})", f"{r.target.file}: `{r.target.field}`", *cells(r),
              "yes" if r.current else "**no**") for r in rows]
    return markdown_table(intro, header, table, command)


# --------------------------------------------------------------------------- reading and writing the stored copies

ROOT = EPISODE_DIR.parents[1]
"""The repository: the targets' files are relative to it."""
DOCS_SECTION = "translation"
"""The generated section of docs/validation.md (between its two marker lines, as `gigsim evidence` writes its own)."""


def _document(root: Path, file: str) -> tomlkit.TOMLDocument:
    """A target's TOML file, parsed with its comments (InputError naming the file if it cannot be read)."""
    path = Path(root) / file
    try:
        return tomlkit.parse(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ParseError) as exc:
        raise InputError(f"{path}: cannot read the translated values' file ({exc})") from None


def _slot(doc: tomlkit.TOMLDocument, root: Path, target: Target):
    """(table, key) holding the target's number; InputError naming file and field if it is missing or not a number."""
    *tables, key = target.field.split(".")
    where = doc
    for name in tables:
        where = where.get(name) if isinstance(where, dict) else None
    value = where.get(key) if isinstance(where, dict) else None
    if value is None:
        raise InputError(f"{Path(root) / target.file}: field {target.field} is missing (gigsim translate stores "
                         "a translated number there)")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(f"{Path(root) / target.file}: field {target.field} must be a finite number, got {value!r}")
    return where, key


def read_stored(root: Path = ROOT) -> dict[Target, float]:
    """The value every target holds now (checked before anything runs)."""
    docs = {t.file: _document(root, t.file) for n in NUMBERS for t in n.targets}
    out = {}
    for t in (t for n in NUMBERS for t in n.targets):
        table, key = _slot(docs[t.file], root, t)
        out[t] = float(table[key])
    return out


def write_values(rows: Sequence[Translation], root: Path = ROOT) -> list[Path]:
    """Write each row's value into its target (written with the number's decimals; the item's own comment kept);
    return the files whose text changed. Refuses (GigsimError, nothing written) if a measurement is undefined."""
    undefined = sorted({r.number.name for r in rows if not math.isfinite(r.mean)})
    if undefined:
        raise GigsimError(f"undefined measurement of {', '.join(undefined)}: nothing written")
    changed = []
    for file in dict.fromkeys(r.target.file for r in rows):
        path = Path(root) / file
        before = path.read_bytes().decode("utf-8")
        doc = tomlkit.parse(before)
        for r in (r for r in rows if r.target.file == file):
            table, key = _slot(doc, root, r.target)
            table[key] = Float(r.value, table[key].trivia, f"{r.value:.{r.number.decimals}f}")
        after = tomlkit.dumps(doc)
        if after != before:
            io.write_text(after, path)
            changed.append(path)
    return changed


def read_docs(path: Path) -> str:
    """The docs file, checked to hold the translation table's markers (InputError naming the file otherwise)."""
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the documentation file ({exc})") from None
    splice(text, DOCS_SECTION, "", path)
    return text


def splice_table(path: Path, table: str) -> bool:
    """Replace the docs' generated translation table (atomic write); True if the file's text changed."""
    before = read_docs(path)
    after = splice(before, DOCS_SECTION, table, path)
    if after != before:
        io.write_text(after, Path(path))
    return after != before
