"""Calibration by simulated method of moments over a Latin hypercube of the free parameters.

Procedure (documented in docs/validation.md):
1. The free parameters and their plausible ranges are `FREE_PARAMETERS` (mostly `[behaviour]`,
   a few `[population]`). Everything else (prices, commissions, demand, costs) comes from sources.
2. `budget` points are drawn from a scrambled Latin hypercube over those ranges
   (`scipy.stats.qmc.LatinHypercube`, seeded), plus the scenario's current values as point 0.
3. Each point is simulated (`seeds` seeds, `workers` workers, `days` days) and its moments — the
   stylized-fact measures of gigsim.analysis.facts — are compared with the targets.
4. Loss = Σ over moments of (distance outside the target range / the range's scale)²
   + `CENTRE_WEIGHT` × (distance from the range's centre / width)² for ranges narrower than 0.5
   (a weak pull to the middle that breaks ties among points inside every range); the scale is
   min(range width, `MOMENT_SCALE`).
5. The point with the lowest loss is written as a TOML snippet to merge into the scenario,
   and every candidate is written to a table (Parquet and Markdown).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy.stats import qmc

from gigsim import io
from gigsim.analysis.facts import TARGETS, TARGETS_BY_KEY, measure_facts
from gigsim.scenario import Scenario

CENTRE_WEIGHT = 0.05
"""Weight of the pull toward the centre of bounded target ranges."""

MOMENT_SCALE = 0.1
"""A moment 0.1 (ten percentage points) outside its range adds 1 to the loss (less for narrower ranges)."""

CALIBRATION_DAYS = 730
"""Days simulated per calibration point (two years, so the 12-month retention of entrants is observed)."""

MOMENTS: tuple[str, ...] = (
    "side_income_share", "gig_income_share", "few_hours_share", "retention_12m", "monthly_change",
    "ride_utilisation", "ride_net_to_gross", "top10_share_gap", "newcomer_start_gap",
)
"""The stylized-fact measures used as moments (the AI-shock measures are validation only: they
describe a counterfactual, not the baseline, and need a third world per point)."""


@dataclass(frozen=True)
class FreeParameter:
    """A scenario field the calibration may move, and the range it searches."""

    path: str
    low: float
    high: float
    why: str

    def set(self, overrides: dict, value: float) -> None:
        table, key = self.path.split(".")
        overrides.setdefault(table, {})[key] = float(value)

    def get(self, sc: Scenario) -> float:
        table, key = self.path.split(".")
        return float(getattr(getattr(sc, table), key))


FREE_PARAMETERS: tuple[FreeParameter, ...] = (
    FreeParameter("behaviour.entry_rate", 0.01, 0.10, "monthly chance an outsider considers entering"),
    FreeParameter("behaviour.exit_rate", 0.0, 1.0, "monthly chance an active worker reconsiders gig work (logit)"),
    FreeParameter("behaviour.random_exit_rate", 0.01, 0.06, "monthly exits for reasons outside the model"),
    FreeParameter("behaviour.decision_sensitivity", 0.1, 1.0, "how sharply entry/exit respond to the gap (1/currency)"),
    FreeParameter("behaviour.hours_adjustment", 0.1, 0.8, "weekly speed of adjusting hours offered"),
    FreeParameter("behaviour.rating_noise", 0.05, 0.5, "noise in client ratings (1..5 scale units / 4)"),
    FreeParameter("population.reservation_wage", 12.0, 20.0, "median outside option, currency per hour"),
    FreeParameter("population.hours_side", 1.0, 3.0, "mean daily hours side hustlers can offer"),
    FreeParameter("population.full_time_share", 0.05, 0.3, "share who would gig full time"),
    FreeParameter("demand.level", 0.5, 1.2, "overall demand relative to the worker pool (market size)"),
)


def moment_loss(values: dict[str, float], moments: tuple[str, ...] = MOMENTS) -> float:
    """Distance of simulated moments from their target ranges (0 inside every range, up to the centre pull)."""
    loss = 0.0
    for key in moments:
        t = TARGETS_BY_KEY[key]
        v = values.get(key, math.nan)
        if v is None or not math.isfinite(v):
            loss += 25.0  # a moment the point cannot produce counts as far off
            continue
        width = t.high - t.low
        scale = min(width, MOMENT_SCALE)
        outside = max(0.0, t.low - v, v - t.high) / scale
        loss += outside**2
        if width <= 0.5:
            loss += CENTRE_WEIGHT * ((v - (t.low + t.high) / 2) / width) ** 2
    return loss


def design(budget: int, seed: int, params: tuple[FreeParameter, ...] = FREE_PARAMETERS) -> np.ndarray:
    """`budget` points of a scrambled Latin hypercube, scaled to the parameters' ranges (budget × k)."""
    sampler = qmc.LatinHypercube(d=len(params), seed=seed)
    unit = sampler.random(budget)
    return qmc.scale(unit, [p.low for p in params], [p.high for p in params])


def overrides_for(point: np.ndarray, params: tuple[FreeParameter, ...] = FREE_PARAMETERS) -> dict:
    out: dict = {}
    for p, v in zip(params, point, strict=True):
        p.set(out, round(float(v), 4))
    return out


@dataclass
class Calibration:
    candidates: pl.DataFrame   # one row per point: parameters, moments, loss (sorted by loss)
    best: dict                 # overrides of the best point
    current_loss: float


def calibrate(sc: Scenario, budget: int = 16, seeds: tuple[int, ...] = (0,), days: int = CALIBRATION_DAYS,
              design_seed: int = 0, params: tuple[FreeParameter, ...] = FREE_PARAMETERS, progress=None
              ) -> Calibration:
    """Evaluate the scenario's own values and `budget` Latin-hypercube points; rank them by moment loss."""
    current = np.array([p.get(sc) for p in params])
    points = np.vstack([current[None, :], design(budget, design_seed, params)]) if budget else current[None, :]
    rows = []
    for i, point in enumerate(points):
        over = overrides_for(point, params)
        world = sc.with_overrides(over, "<calibration point>")
        per_seed = [measure_facts(world, s, days, facts=MOMENTS) for s in seeds]
        moments = {k: float(np.mean([v[k] for v in per_seed])) for k in MOMENTS}
        row = {"point": i, "origin": "current" if i == 0 else "hypercube"}
        row.update({p.path: round(float(v), 4) for p, v in zip(params, point, strict=True)})
        row.update(moments)
        row["inside"] = sum(TARGETS_BY_KEY[k].low <= moments[k] <= TARGETS_BY_KEY[k].high
                            for k in MOMENTS if math.isfinite(moments[k]))
        row["loss"] = moment_loss(moments)
        rows.append(row)
        if progress is not None:
            progress()
    frame = pl.DataFrame(rows).sort("loss")
    best_row = frame.row(0, named=True)
    best = overrides_for(np.array([best_row[p.path] for p in params]), params)
    return Calibration(frame, best, float(rows[0]["loss"]))


def toml_snippet(cal: Calibration, sc: Scenario, budget: int, seeds: tuple[int, ...], days: int) -> str:
    """The best point as TOML tables to merge into the scenario, with a comment saying how it was found."""
    best = cal.candidates.row(0, named=True)
    lines = [f"# gigsim calibrate: best of {cal.candidates.height} points (point {best['point']}, "
             f"{best['origin']}) for scenario '{sc.name}',",
             f"# {sc.population.workers:,} workers, {days} days, seeds {list(seeds)}; "
             f"loss {best['loss']:.4f} (current values: {cal.current_loss:.4f}); "
             f"{best['inside']} of {len(MOMENTS)} moments inside their target range."]
    for table in ("population", "demand", "behaviour"):
        keys = {k: v for k, v in cal.best.get(table, {}).items()}
        if not keys:
            continue
        lines += ["", f"[{table}]"]
        lines += [f"{k} = {v:g}" for k, v in keys.items()]
    return "\n".join(lines) + "\n"


def candidates_markdown(cal: Calibration, top: int | None = None) -> str:
    """The candidates as a Markdown table (best first)."""
    frame = cal.candidates if top is None else cal.candidates.head(top)
    cols = ["point", "origin", *[p.path for p in FREE_PARAMETERS], *MOMENTS, "inside", "loss"]
    cols = [c for c in cols if c in frame.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in frame.iter_rows(named=True):
        cells = []
        for c in cols:
            v = r[c]
            cells.append(f"{v:.4g}" if isinstance(v, float) else str(v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_calibration(cal: Calibration, snippet: str, out) -> None:
    """best.toml, candidates.parquet and candidates.md in `out` (atomic writes)."""
    from pathlib import Path

    out = io.ensure_dir(Path(out))
    io.check_writable(out)
    io.write_parquet(cal.candidates, out / "candidates.parquet")
    io.write_text(candidates_markdown(cal), out / "candidates.md")
    io.write_text(snippet, out / "best.toml")


__all__ = ["FREE_PARAMETERS", "MOMENTS", "TARGETS", "calibrate", "moment_loss", "design", "toml_snippet",
           "candidates_markdown", "write_calibration", "FreeParameter", "Calibration"]
