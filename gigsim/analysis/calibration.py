"""Calibration by simulated method of moments, on the scorecard's `calibrated` measures only.

Procedure (docs/validation.md):
1. The free parameters and their ranges are `FREE_PARAMETERS`. Everything else (prices, commissions,
   costs, task durations, demand shapes) is set from sources or by hand, as docs/validation.md lists.
2. Points: the scenario's current values (point 0) and `budget` points of a scrambled Latin hypercube
   (`scipy.stats.qmc.LatinHypercube`, seeded). A refinement (gigsim.analysis.refinement) puts the hypercube in
   a box around a previous best point, which is point 0; `free` limits the design to some parameters.
3. Each point is simulated with the same seeds (common random numbers) and its moments — the means over
   seeds of the scorecard measures whose role is `calibrated` — are compared with their bands. Held-out
   measures are never computed here.
4. Loss = Σ (distance outside the band / min(band width, `MOMENT_SCALE`))² + `CENTRE_WEIGHT` × (distance
   from the band's centre / width)² for bands narrower than 0.5; a moment a point cannot produce adds 25.
5. The loss surface: every point's moments and loss, and per parameter the rank correlation of the loss
   with the parameter over the hypercube. Identification: at the best point each parameter is moved by
   ± `STEP` of its range (same seeds); the moments' response (Jacobian, in loss scales per full range) and
   the loss's curvature say which parameters the moments pin down. A parameter whose moments move by less
   than one loss scale across its whole range, or by less than three seed standard errors, is reported as
   not identified.
6. Equilibrium restrictions (gigsim.analysis.restrictions, issue 14): every point is also measured on the share
   of active workers below their outside option after a year (≤ 0.25) and on whether a ride pay rise is competed
   away (its effect on drivers' net pay per hour logged in falls by ≥ 0.3 from month 1 to month 8; late drivers ≥ 1.2×). With `restrict` (the default) the points are ranked
   feasible first (by loss), then the infeasible by their violation: a feasibility rule, not a penalty weight.
7. The best point is compared with point 0 seed by seed (and, with confirm seeds, on fresh seeds: the best
   was chosen on the calibration's seeds, so only fresh seeds test it out of sample).
8. The best point is written as best.toml, a calibration record (gigsim.analysis.calibration_record) that
   `gigsim calibrate-apply` (or `gigsim calibrate --apply`) merges into the scenario file.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from scipy import stats

from gigsim.analysis import restrictions as rs
from gigsim.analysis.calibration_record import candidates_markdown, write_calibration
from gigsim.analysis.facts import MEASURE_DAYS, measure_facts, traced_run
from gigsim.analysis.refinement import Refinement, box_design, local_box, paired
from gigsim.analysis.scorecard import CALIBRATED, MEASURES_BY_NAME
from gigsim.scenario import Scenario

CENTRE_WEIGHT = 0.05
MOMENT_SCALE = 0.1
"""A moment 0.1 outside its band adds 1 to the loss (more for narrower bands)."""
UNPRODUCIBLE = 25.0
STEP = 0.1
"""Identification: each parameter is moved by ± this share of its range around the best point."""
IDENTIFIED = 1.0
"""Moments must move by at least this many loss scales across the parameter's range for it to count as identified."""
SIGNAL = 3.0
"""The largest of nine moments' responses must be this many standard errors (about a 5% test over nine)."""
CALIBRATION_DAYS = 730
MOMENTS: tuple[str, ...] = CALIBRATED
__all__ = ["FREE_PARAMETERS", "MOMENTS", "Calibration", "calibrate", "candidates_markdown", "toml_snippet",
           "write_calibration"]
RESTRICTION_VALUES: tuple[str, ...] = ("below_outside_option", "pay_rise_hourly_fall", "pay_rise_driver_ratio",
                                       "pay_rise_effect_month1", "pay_rise_effect_late", "below_outside_option_end")
"""What a point records beside its moments: the restrictions and the pay rise's two effects."""
Evaluate = Callable[[np.ndarray, tuple[int, ...]], list[dict[str, float | None]]]
"""The calibrated moments at a point (a full parameter vector), one dict per seed."""


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
    # Entry and exit (docs/model.md 7.11). The bounds let the calibration reach the published turnover: Farrell &
    # Greig (2017, JPMorgan Chase Institute): "One in six participants in any given month is new, and more than
    # half of participants exit within 12 months" (a monthly exit hazard of at least 1 − 0.5^(1/12) = 5.6%); Hall &
    # Krueger (2015, Figure 6): about 50% of Uber drivers still active a year after starting. With about a quarter
    # of the potential workers active, 1/6 new a month needs entry_rate × σ(s·gap) ≈ (1/6) × 0.25/0.75 ≈ 0.056, so
    # entry_rate up to 0.5 covers σ down to about 0.1 (the old bound, 0.10, could not reach it).
    FreeParameter("behaviour.entry_rate", 0.01, 0.5, "monthly chance an outsider considers entering (JPMCI: 1/6 "
                  "of participants new each month)"),
    FreeParameter("behaviour.exit_rate", 0.0, 1.0, "monthly chance an active worker reconsiders gig work (logit); "
                  "the whole share range"),
    FreeParameter("behaviour.random_exit_rate", 0.0, 0.1, "monthly exits for reasons outside the model: none to "
                  "about twice the 5.6% all-cause hazard of 'more than half exit within 12 months' (JPMCI 2017)"),
    FreeParameter("behaviour.decision_sensitivity", 0.1, 1.0, "how sharply entry/exit respond to the gap (1/currency)"),
    FreeParameter("behaviour.hours_adjustment", 0.1, 0.8, "weekly speed of adjusting hours offered"),
    FreeParameter("behaviour.rating_noise", 0.05, 0.5, "noise in client ratings (1..5 scale units / 4)"),
    FreeParameter("population.reservation_wage", 12.0, 20.0, "median outside option, currency per hour"),
    FreeParameter("population.hours_side", 1.0, 3.0, "mean daily hours side hustlers can offer"),
    FreeParameter("population.full_time_share", 0.05, 0.3, "share who would gig full time"),
    FreeParameter("demand.level", 0.5, 1.2, "overall demand relative to the worker pool (market size)"),
)


def moment_scale(key: str) -> float:
    m = MEASURES_BY_NAME[key]
    return min(m.high - m.low, MOMENT_SCALE)


def moment_loss(values: dict[str, float | None], moments: tuple[str, ...] = MOMENTS) -> float:
    """Distance of simulated moments from their bands (0 inside every band, up to the centre pull)."""
    loss = 0.0
    for key in moments:
        m = MEASURES_BY_NAME[key]
        v = values.get(key)
        if v is None or not math.isfinite(v):
            loss += UNPRODUCIBLE
            continue
        width = m.high - m.low
        loss += (max(0.0, m.low - v, v - m.high) / moment_scale(key)) ** 2
        if width <= 0.5:
            loss += CENTRE_WEIGHT * ((v - (m.low + m.high) / 2) / width) ** 2
    return loss


def design(budget: int, seed: int, params: tuple[FreeParameter, ...] = FREE_PARAMETERS) -> np.ndarray:
    """`budget` points of a scrambled Latin hypercube, scaled to the parameters' ranges (budget × k)."""
    low, high = np.array([p.low for p in params]), np.array([p.high for p in params])
    return box_design(budget, seed, low, (low, high), (True,) * len(params))


def overrides_for(point: np.ndarray, params: tuple[FreeParameter, ...] = FREE_PARAMETERS) -> dict:
    out: dict = {}
    for p, v in zip(params, point, strict=True):
        p.set(out, round(float(v), 4))
    return out


def _mean(values: list[float | None]) -> float | None:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    return float(np.mean(finite)) if finite else None


def per_seed_moments(sc: Scenario, point: np.ndarray, seeds: tuple[int, ...], days: int,
                     params: tuple[FreeParameter, ...] = FREE_PARAMETERS,
                     restrict: bool = True) -> list[dict[str, float | None]]:
    """The calibrated moments at `point`, one dict per seed, with the share below the outside option at the end of
    the run and, with `restrict`, the restrictions (a pay rise and its control on one stream per seed,
    restrictions.py)."""
    world = sc.with_overrides(overrides_for(point, params), "<calibration point>")
    out = []
    for s in seeds:
        base = traced_run(world, s, days, max(0, days - MEASURE_DAYS))
        values = measure_facts(world, s, days, facts=MOMENTS, base=base)
        values["below_outside_option_end"] = rs.below_outside_option(base.workers)
        if restrict:
            values.update(rs.measure_restrictions(world, s))
        out.append(values)
    return out


def simulate_moments(sc: Scenario, point: np.ndarray, seeds: tuple[int, ...], days: int,
                     params: tuple[FreeParameter, ...] = FREE_PARAMETERS) -> dict[str, float | None]:
    """The calibrated moments at `point`: each the mean over the seeds (None if no seed produces it)."""
    return _means(per_seed_moments(sc, point, seeds, days, params))


def seed_noise(points: list[list[dict[str, float | None]]]) -> np.ndarray:
    """Each moment's standard error of a point's mean over seeds, in loss scales: the within-point variance
    over seeds pooled across all points (NaN with one seed)."""
    out = []
    for k in MOMENTS:
        variances, sizes = [], []
        for per_seed in points:
            v = np.array([x[k] for x in per_seed if x.get(k) is not None], dtype=np.float64)
            if v.size > 1:
                variances.append(v.var(ddof=1))
                sizes.append(v.size)
        out.append(math.sqrt(np.mean(variances) / np.mean(sizes)) / moment_scale(k) if variances else math.nan)
    return np.array(out)


@dataclass
class Calibration:
    candidates: pl.DataFrame        # one row per point: parameters, moments, inside, loss (sorted by loss)
    best: dict                      # overrides of the best point
    current_loss: float             # point 0's loss: the current values, or the centre of a refinement
    surface: pl.DataFrame           # per parameter: rank correlation of the loss with it over the hypercube
    identification: pl.DataFrame    # per parameter: Jacobian norm, curvature, identified
    reference: str = "current"      # what point 0 is: "current" or "centre" (a refinement)
    per_seed_loss: dict = field(default_factory=dict)   # point -> its loss at each seed
    comparison: dict = field(default_factory=dict)      # best vs point 0, seed by seed (refinement.paired)
    confirmation: dict = field(default_factory=dict)    # the same on fresh seeds (empty without confirm_seeds)
    refinement: Refinement | None = None
    free: tuple[str, ...] = ()
    restricted: bool = True         # the ranking put feasible points first (restrictions.py)


def _row(i: int, point: np.ndarray, values: dict, params, origin: str, restrict: bool) -> dict:
    """A candidates row: parameters, moments, moments inside their bands, loss, the restrictions' values and
    (with `restrict`) the violation and feasibility."""
    row = {"point": i, "origin": origin}
    row.update({p.path: round(float(v), 4) for p, v in zip(params, point, strict=True)})
    row.update({k: values.get(k) for k in MOMENTS})
    row["inside"] = sum(values.get(k) is not None and MEASURES_BY_NAME[k].low <= values[k] <= MEASURES_BY_NAME[k].high
                        for k in MOMENTS)
    row["loss"] = moment_loss(values)
    row.update({k: values.get(k) for k in RESTRICTION_VALUES})
    row["violation"] = rs.violation(values) if restrict else None
    row["feasible"] = row["violation"] == 0 if restrict else None
    return row


def calibrate(sc: Scenario, budget: int = 16, seeds: tuple[int, ...] = (0, 1), days: int = CALIBRATION_DAYS,
              design_seed: int = 0, params: tuple[FreeParameter, ...] = FREE_PARAMETERS, identify: bool = True,
              progress=None, refine: Refinement | None = None, free: tuple[bool, ...] | None = None,
              confirm_seeds: tuple[int, ...] = (), evaluate: Evaluate | None = None,
              restrict: bool = True) -> Calibration:
    """Evaluate point 0 and `budget` hypercube points, then the local identification at the best.

    Point 0 is the scenario's current values, or with `refine` the centre of the local box (refinement.py).
    `free` (default all) says which parameters the design varies; the others stay at point 0's values.
    `confirm_seeds`: the best point and point 0 are simulated again on these fresh seeds, so the record can say
    whether the best beats point 0 out of the sample it was chosen on. `evaluate(point, seeds)` gives the moments
    per seed (default: simulate `sc` for `days`; tests pass an analytic toy), with the restrictions' values
    where it has them. `restrict`: rank feasible points first, the infeasible by violation, each by loss."""
    evaluate = evaluate or (lambda point, s: per_seed_moments(sc, point, s, days, params, restrict))
    free = free or (True,) * len(params)
    centre = refine.centre if refine is not None else np.array([p.get(sc) for p in params])
    box = local_box(centre, refine.shrink if refine is not None else 1.0, params)
    points = np.vstack([centre[None, :], box_design(budget, design_seed, centre, box, free)])
    reference, design_name = ("centre", "local") if refine is not None else ("current", "hypercube")
    rows, per_point = [], []
    for i, point in enumerate(points):
        per_point.append(evaluate(point, seeds))
        rows.append(_row(i, point, _means(per_point[-1]), params, reference if i == 0 else design_name, restrict))
        if progress is not None:
            progress()
    frame = pl.DataFrame(rows).sort(["violation", "loss"] if restrict else "loss", maintain_order=True)
    best_row = frame.row(0, named=True)
    best_point = points[best_row["point"]]
    losses = {i: [moment_loss(m) for m in per_seed] for i, per_seed in enumerate(per_point)}
    comparison = paired(losses[best_row["point"]], losses[0])
    confirmation = _confirm(evaluate, best_point, centre, confirm_seeds, progress, restrict) if confirm_seeds else {}
    chosen = tuple(p for p, f in zip(params, free, strict=True) if f)
    ident = identification(evaluate, best_point, best_row, seeds, seed_noise(per_point), params, progress,
                           only=chosen) if identify else pl.DataFrame()
    return Calibration(frame, overrides_for(best_point, params), float(rows[0]["loss"]),
                       loss_surface(frame, chosen), ident, reference, losses, comparison, confirmation, refine,
                       tuple(p.path for p in chosen), restrict)


def _means(per_seed: list[dict[str, float | None]]) -> dict[str, float | None]:
    return {k: _mean([v.get(k) for v in per_seed]) for k in (*MOMENTS, *RESTRICTION_VALUES)}


def _confirm(evaluate: Evaluate, best: np.ndarray, reference: np.ndarray, seeds: tuple[int, ...], progress,
             restrict: bool = True) -> dict:
    """The best point and point 0 on fresh seeds: each seed's loss, the paired comparison, and each point's
    restriction values (means over the fresh seeds) and feasibility there."""
    out, values = {}, {}
    for name, point in (("best", best), ("reference", reference)):
        per_seed = evaluate(point, seeds)
        out[name] = [moment_loss(m) for m in per_seed]
        values[name] = {k: v for k, v in _means(per_seed).items() if k in rs.NAMES}
        if progress is not None:
            progress()
    feasible = {f"{n}_feasible": rs.violation(v) == 0 if restrict else None for n, v in values.items()}
    return {"seeds": list(seeds), "best_loss": out["best"], "reference_loss": out["reference"],
            "best_restrictions": values["best"], "reference_restrictions": values["reference"], **feasible,
            **paired(out["best"], out["reference"])}


def loss_surface(frame: pl.DataFrame, params: tuple[FreeParameter, ...] = FREE_PARAMETERS) -> pl.DataFrame:
    """Per parameter: Spearman correlation of the loss with it across the points (a global view)."""
    rows = []
    for p in params:
        x, loss = frame[p.path].to_numpy(), frame["loss"].to_numpy()
        varies = frame.height > 2 and np.ptp(x) > 0 and np.ptp(loss) > 0
        rho = stats.spearmanr(x, loss).statistic if varies else math.nan
        rows.append({"parameter": p.path, "loss_rank_correlation": None if not math.isfinite(rho) else float(rho)})
    return pl.DataFrame(rows)


def identification(evaluate: Evaluate, best: np.ndarray, best_row: dict, seeds: tuple[int, ...],
                   noise: np.ndarray, params: tuple[FreeParameter, ...] = FREE_PARAMETERS, progress=None,
                   only: tuple[FreeParameter, ...] | None = None) -> pl.DataFrame:
    """Local sensitivity at the best point: moments and loss at ± STEP of each parameter's range.

    jacobian_norm: ‖∂ moments / ∂ θ‖ with moments in loss scales and θ in units of its full range;
    curvature: (L+ − 2 L0 + L−) / STEP² (loss units per squared range); signal_to_noise: the largest
    |∂ moment / ∂ θ| over its seed noise (`noise`: the moment's standard error over seeds, pooled over the
    design's points, × √2 for a difference of two points, over the step; a parameter change reshuffles the
    random streams, so common seeds do not cancel the noise); identified: jacobian_norm ≥ IDENTIFIED and
    signal_to_noise ≥ SIGNAL (with one seed the noise is unknown and only the first condition applies).
    `only`: the parameters to move (default all; the others are not free in this calibration).
    """
    rows = []
    for j, p in enumerate(params):
        if only is not None and p not in only:
            continue
        h = STEP * (p.high - p.low)
        up, down = best.copy(), best.copy()
        up[j], down[j] = min(p.high, best[j] + h), max(p.low, best[j] - h)
        m_up, m_down = (_means(evaluate(x, seeds)) for x in (up, down))
        span = (up[j] - down[j]) / (p.high - p.low)
        grad = (np.array([_scaled(m_up[k], k) for k in MOMENTS]) - np.array([_scaled(m_down[k], k)
                                                                             for k in MOMENTS])) / span
        grad = np.where(np.isfinite(grad), grad, 0.0)
        curvature = (moment_loss(m_up) - 2 * best_row["loss"] + moment_loss(m_down)) / (span / 2) ** 2
        snr = np.abs(grad) / (noise * math.sqrt(2) / span)
        snr = np.where(np.isfinite(snr), snr, np.nan)
        strongest = MOMENTS[int(np.argmax(np.abs(grad)))]
        best_snr = float(np.nanmax(snr)) if np.isfinite(snr).any() else None
        rows.append({"parameter": p.path, "value": float(best[j]), "jacobian_norm": float(np.linalg.norm(grad)),
                     "curvature": float(curvature), "most_moved_moment": strongest, "signal_to_noise": best_snr,
                     "identified": bool(np.linalg.norm(grad) >= IDENTIFIED and (best_snr is None or best_snr >= SIGNAL))})
        if progress is not None:
            progress()
            progress()
    return pl.DataFrame(rows)


def _scaled(v: float | None, key: str) -> float:
    return math.nan if v is None else v / moment_scale(key)


def toml_snippet(cal: Calibration, sc: Scenario, budget: int, seeds: tuple[int, ...], days: int,
                 command: str = "gigsim calibrate") -> str:
    """best.toml: the best point's values and how it was found (a calibration record, see
    gigsim.analysis.calibration_record; `gigsim calibrate-apply` merges it into a scenario)."""
    from gigsim.analysis.calibration_record import record_toml, today

    best = cal.candidates.row(0, named=True)
    weak = cal.identification.filter(~pl.col("identified"))["parameter"].to_list() if cal.identification.height else []
    meta = {"command": command, "date": today(), "scenario": sc.name, "workers": sc.population.workers, "days": days,
            "seeds": list(seeds), "points": cal.candidates.height, "best_point": int(best["point"]),
            "best_origin": best["origin"], "loss": float(best["loss"]),
            f"{cal.reference}_loss": float(cal.current_loss),
            "inside": int(best["inside"]), "moments_total": len(MOMENTS),
            "identified": bool(cal.identification.height),
            "not_identified": weak, **_search_meta(cal), **_restriction_meta(cal),
            **_comparison_meta(cal, int(best["point"]))}
    moments = {k: best[k] for k in MOMENTS}
    bands = {k: (MEASURES_BY_NAME[k].low, MEASURES_BY_NAME[k].high) for k in MOMENTS}
    return record_toml(cal.best, meta, moments, bands, {k: best[k] for k in RESTRICTION_VALUES})


def _restriction_meta(cal: Calibration) -> dict:
    """Whether the ranking used the restrictions, the best point's feasibility and violation, how many points
    were feasible, point 0's feasibility, and each restriction's bound (`<name>_max` or `<name>_min`)."""
    frame = cal.candidates
    if not cal.restricted:
        return {"restricted": False}
    zero = frame.filter(pl.col("point") == 0).row(0, named=True)
    return {"restricted": True, "feasible": bool(frame["feasible"][0]), "violation": float(frame["violation"][0]),
            "feasible_points": int(frame["feasible"].sum()), f"{cal.reference}_feasible": bool(zero["feasible"]),
            **{f"{r.name}_{'max' if r.upper else 'min'}": r.bound for r in rs.RESTRICTIONS}}


def _search_meta(cal: Calibration) -> dict:
    """What the design searched: the free parameters, and for a refinement its centre's file, box and loss."""
    meta = {"refinement": cal.refinement is not None, "free": list(cal.free)}
    r = cal.refinement
    if r is not None:
        meta.update({"around": r.around, "around_recorded_loss": r.recorded_loss, "shrink": r.shrink,
                     "centre_from_scenario": list(r.from_scenario)})
    return meta


def _comparison_meta(cal: Calibration, best_point: int) -> dict:
    """The best point against point 0 (the current values or the centre), seed by seed on the calibration's
    seeds and, with confirm seeds, on fresh ones. `beats_<point 0>` is true when the best's loss is lower
    on average over the seeds; the best was chosen on these seeds, so only the fresh seeds are out of sample."""
    ref, c = cal.reference, cal.comparison
    meta = {"best_per_seed_loss": cal.per_seed_loss[best_point], f"{ref}_per_seed_loss": cal.per_seed_loss[0],
            f"beats_{ref}": c["better_on_average"], f"beats_{ref}_every_seed": c["better_every_seed"]}
    if cal.confirmation:
        k = cal.confirmation
        meta.update({"confirm_seeds": k["seeds"], "confirm_best_loss": k["best_loss"],
                     f"confirm_{ref}_loss": k["reference_loss"], f"confirm_beats_{ref}": k["better_on_average"],
                     f"confirm_beats_{ref}_every_seed": k["better_every_seed"],
                     "confirm_best_feasible": k["best_feasible"], f"confirm_{ref}_feasible": k["reference_feasible"],
                     **{f"confirm_best_{n}": v for n, v in k["best_restrictions"].items()}})
    return meta
