"""Local refinement of a calibration: a Latin hypercube in a shrunk box around a previous best point.

`gigsim calibrate --refine` (around the scenario's stored record, calibration/<scenario file>) or `--around PATH`
(a calibration record or a best-point TOML) searches the box centre ± `shrink` × (each free parameter's range),
clipped to the parameter's bounds. The centre itself is always point 0 and is simulated on the same seeds as
every design point, so the record can say, seed by seed, whether the refinement beat it (`paired`). `--free`
frees only some parameters; the others stay at the centre in every point. Everything here is generic over the
`FreeParameter`s it is given: a parameter the around file lacks takes the scenario's current value.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.stats import qmc

from gigsim.errors import InputError

SHRINK = 0.25
"""Default half-width of the local box, as a share of each parameter's range."""


@dataclass(frozen=True)
class Refinement:
    """Where a refinement searches: the centre (a full parameter vector), the box's half-width and its source."""

    around: str                        # the file the centre came from
    centre: np.ndarray                 # one value per parameter, in the parameters' order
    shrink: float
    recorded_loss: float | None        # the loss the around file records (its own seeds and model version)
    from_scenario: tuple[str, ...]     # parameters the file lacks: their centre is the scenario's value


def default_record(scenario_path: Path) -> Path:
    """The record `calibrate --apply` stores for a scenario: calibration/<scenario file name> beside it."""
    return Path(scenario_path).parent / "calibration" / Path(scenario_path).name


def _number(path: Path, field: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(f"{path}: field {field} must be a finite number, not {value!r}")
    return float(value)


def read_centre(path: Path, current: np.ndarray, params) -> tuple[np.ndarray, float | None, tuple[str, ...]]:
    """The centre a refinement searches around, from a calibration record (`[parameters.<table>]`) or a best-point
    TOML (`[<table>] key = value`); parameters the file lacks keep `current`. InputError naming the file and the
    field for an unreadable file, a value that is not a number, a field that is not a free parameter, or a value
    outside the parameter's bounds."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: not a readable calibration record or best-point TOML ({exc})") from None
    prefix = "parameters." if "parameters" in data else ""
    tables = data["parameters"] if prefix else {k: v for k, v in data.items() if k != "calibration"}
    if not isinstance(tables, dict):
        raise InputError(f"{path}: field parameters must be a table of [parameters.<table>] tables")
    by_path = {p.path: j for j, p in enumerate(params)}
    centre, seen = current.astype(np.float64).copy(), set()
    for table, keys in tables.items():
        if not isinstance(keys, dict):
            raise InputError(f"{path}: field {prefix}{table} must be a table of parameter values")
        for key, value in keys.items():
            field = f"{prefix}{table}.{key}"
            if f"{table}.{key}" not in by_path:
                raise InputError(f"{path}: field {field} is not a free parameter (free: "
                                 f"{', '.join(p.path for p in params)})")
            j = by_path[f"{table}.{key}"]
            v = _number(path, field, value)
            if not params[j].low <= v <= params[j].high:
                raise InputError(f"{path}: field {field} = {v} is outside its bounds "
                                 f"[{params[j].low}, {params[j].high}]")
            centre[j] = v
            seen.add(j)
    if not seen:
        raise InputError(f"{path}: field [parameters] holds no free parameter value; is this a gigsim calibrate "
                         "best.toml?")
    loss = data.get("calibration", {}).get("loss") if isinstance(data.get("calibration"), dict) else None
    recorded = float(loss) if isinstance(loss, int | float) and not isinstance(loss, bool) else None
    return centre, recorded, tuple(p.path for j, p in enumerate(params) if j not in seen)


def select_free(text: str | None, params) -> tuple[bool, ...]:
    """Which parameters a design varies: all (None) or the comma-separated names in `text` (a full path such as
    `behaviour.entry_rate` or its unique key `entry_rate`). InputError naming --free for an unknown name."""
    if text is None:
        return (True,) * len(params)
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise InputError("--free is empty; give parameter names separated by commas")
    chosen = set()
    for name in names:
        hits = [j for j, p in enumerate(params) if name in (p.path, p.path.split(".")[1])]
        if len(hits) != 1:
            raise InputError(f"--free: {name!r} is {'ambiguous' if hits else 'not a free parameter'} (free: "
                             f"{', '.join(p.path for p in params)})")
        chosen.add(hits[0])
    return tuple(j in chosen for j in range(len(params)))


def local_box(centre: np.ndarray, shrink: float, params) -> tuple[np.ndarray, np.ndarray]:
    """The box centre ± shrink × range of each parameter, clipped to the parameter's bounds (low, high arrays)."""
    low = np.array([p.low for p in params])
    high = np.array([p.high for p in params])
    half = shrink * (high - low)
    return np.maximum(low, centre - half), np.minimum(high, centre + half)


def box_design(budget: int, seed: int, centre: np.ndarray, box: tuple[np.ndarray, np.ndarray],
               free: tuple[bool, ...]) -> np.ndarray:
    """`budget` points (budget × k): a scrambled Latin hypercube (scipy.stats.qmc, seeded) over the free
    parameters within `box`; the other parameters stay at `centre`."""
    mask = np.array(free, dtype=bool)
    points = np.tile(centre, (budget, 1)).astype(np.float64)
    if budget and mask.any():
        unit = qmc.LatinHypercube(d=int(mask.sum()), seed=seed).random(budget)
        points[:, mask] = qmc.scale(unit, box[0][mask], box[1][mask])
    return points


def paired(best: list[float], reference: list[float]) -> dict:
    """Seed-by-seed comparison of two points' losses on the same seeds: each seed's improvement (reference − best),
    their mean, and whether the best is lower on average and on every seed."""
    diff = [r - b for b, r in zip(best, reference, strict=True)]
    return {"per_seed_improvement": diff, "mean_improvement": float(np.mean(diff)) if diff else None,
            "better_on_average": bool(diff) and float(np.mean(diff)) > 0,
            "better_every_seed": bool(diff) and all(d > 0 for d in diff)}


def refinement_for(scenario_path: Path, sc, around: Path | None, shrink: float, params) -> Refinement:
    """The refinement `calibrate --refine/--around` asks for: around `around` or, by default, the scenario's
    stored record (an InputError naming the file when there is none or it is bad)."""
    path = Path(around) if around is not None else default_record(scenario_path)
    if not path.is_file():
        raise InputError(f"{path}: no calibration record to refine around (give one with --around PATH)")
    if not 0 < shrink <= 1:
        raise InputError(f"--shrink must be in (0, 1], not {shrink}")
    centre, recorded, missing = read_centre(path, np.array([p.get(sc) for p in params]), params)
    return Refinement(str(path), centre, float(shrink), recorded, missing)
