"""Local refinement of a calibration (`gigsim calibrate --refine/--around`), on an analytic toy loss whose
optimum is known: the search approaches it, the centre is always simulated on the same seeds, the design stays
in the clipped box and the bounds, the record says it was a refinement and around what, and a bad around file
exits 2 naming the file and the field with nothing written. Generic over FREE_PARAMETERS."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from gigsim.analysis.calibration import FREE_PARAMETERS, MOMENTS, calibrate, toml_snippet
from gigsim.analysis.calibration_record import comment_block, read_record
from gigsim.analysis.refinement import Refinement, box_design, local_box, read_centre, select_free
from gigsim.analysis.scorecard import MEASURES_BY_NAME
from gigsim.cli import app
from gigsim.errors import InputError
from gigsim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.toml"
PARAMS = FREE_PARAMETERS
LOW = np.array([p.low for p in PARAMS])
RANGE = np.array([p.high - p.low for p in PARAMS])
DRIVERS = sorted({i % len(PARAMS) for i in range(len(MOMENTS))})
"""The parameters the toy's moments depend on: moment i on parameter i mod k."""


def unit(u) -> np.ndarray:
    """A parameter vector at share(s) `u` of each range."""
    return LOW + np.broadcast_to(np.asarray(u, dtype=np.float64), LOW.shape) * RANGE


class Toy:
    """Analytic moments: moment i = its band's centre + 4 × band width × (u_j − u*_j) with j = i mod k and u the
    share of the range, plus a little seed noise; the loss is smallest at u*. Records every call's seeds."""

    def __init__(self, optimum: np.ndarray):
        self.optimum = optimum
        self.calls: list[tuple[np.ndarray, tuple[int, ...]]] = []

    def __call__(self, point: np.ndarray, seeds: tuple[int, ...]) -> list[dict]:
        self.calls.append((np.array(point), tuple(seeds)))
        u, star = (point - LOW) / RANGE, (self.optimum - LOW) / RANGE
        out = []
        for s in seeds:
            noise = np.random.default_rng(s).normal(0.0, 0.01, len(MOMENTS))
            out.append({k: (MEASURES_BY_NAME[k].low + MEASURES_BY_NAME[k].high) / 2 + (MEASURES_BY_NAME[k].high
                        - MEASURES_BY_NAME[k].low) * (4 * (u[i % len(PARAMS)] - star[i % len(PARAMS)]) + noise[i])
                        for i, k in enumerate(MOMENTS)})
        return out


def distance(point: np.ndarray, optimum: np.ndarray, dims: list[int]) -> float:
    """Distance in shares of the ranges over the parameters `dims`."""
    return float(np.linalg.norm(((point - optimum) / RANGE)[dims]))


@pytest.fixture(scope="module")
def sc():
    return load_scenario(BASELINE).rescaled(200)


def refinement(centre: np.ndarray, shrink: float = 0.25) -> Refinement:
    return Refinement("around.toml", centre, shrink, 1.5, ())


def test_refinement_approaches_a_known_optimum_inside_the_box_and_always_evaluates_the_centre(sc):
    centre, optimum = unit(0.3), unit(0.45)                      # the optimum is inside the box (± 0.25)
    toy = Toy(optimum)
    free = tuple(j in DRIVERS[:3] for j in range(len(PARAMS)))   # three of the parameters that matter
    cal = calibrate(sc, budget=32, seeds=(0, 1), identify=False, refine=refinement(centre), free=free, evaluate=toy)
    assert cal.candidates.height == 33 and cal.reference == "centre"
    first = cal.candidates.filter(cal.candidates["point"] == 0).row(0, named=True)
    assert first["origin"] == "centre"
    assert np.allclose([first[p.path] for p in PARAMS], centre.round(4))
    assert np.array_equal(toy.calls[0][0], centre)
    assert {seeds for _, seeds in toy.calls} == {(0, 1)}           # every point, the centre too, on the same seeds
    best = cal.candidates.row(0, named=True)
    best_point = np.array([best[p.path] for p in PARAMS])
    assert best["origin"] == "local" and best["loss"] < cal.current_loss
    assert distance(best_point, optimum, DRIVERS[:3]) < 0.5 * distance(centre, optimum, DRIVERS[:3])
    assert cal.comparison["better_on_average"] and len(cal.comparison["per_seed_improvement"]) == 2
    held = [j for j in range(len(PARAMS)) if not free[j]]
    for row in cal.candidates.iter_rows(named=True):              # parameters not freed stay at the centre
        assert np.allclose([row[PARAMS[j].path] for j in held], centre[held].round(4))


def test_the_design_stays_in_the_box_clipped_to_the_bounds():
    centre = np.where(np.arange(len(PARAMS)) % 2 == 0, LOW, LOW + RANGE)    # every centre on a bound
    low, high = local_box(centre, 0.4, PARAMS)
    assert np.allclose(high - low, 0.4 * RANGE)                  # half the box is cut off by the bound
    assert (low >= LOW).all() and (high <= LOW + RANGE).all()
    points = box_design(16, 3, centre, (low, high), (True,) * len(PARAMS))
    assert points.shape == (16, len(PARAMS))
    assert (points >= low).all() and (points <= high).all()
    for j in range(len(PARAMS)):                                 # a Latin hypercube: one point per stratum
        assert len(np.unique(np.floor((points[:, j] - low[j]) / (high[j] - low[j]) * 16))) == 16
    mid = unit(0.5)
    wide = local_box(mid, 1.0, PARAMS)                           # shrink 1: the whole range, never beyond
    assert np.allclose(wide[0], LOW) and np.allclose(wide[1], LOW + RANGE)


def test_a_global_design_with_free_parameters_searches_their_whole_ranges_and_holds_the_others(sc):
    current = np.array([p.get(sc) for p in PARAMS])
    toy = Toy(unit(0.5))
    cal = calibrate(sc, budget=8, seeds=(0,), identify=False, free=select_free(PARAMS[0].path, PARAMS), evaluate=toy)
    assert cal.reference == "current" and cal.refinement is None and cal.free == (PARAMS[0].path,)
    varied = np.array([point for point, _ in toy.calls])
    assert np.array_equal(varied[0], current)
    assert np.allclose(varied[:, 1:], current[1:])                # the others stay at the current values
    strata = np.floor((varied[1:, 0] - LOW[0]) / RANGE[0] * 8)     # the free one: one point per eighth of its range
    assert sorted(strata) == list(range(8))


def test_fresh_seeds_confirm_the_best_against_the_centre(sc):
    toy = Toy(unit(0.45))
    cal = calibrate(sc, budget=8, seeds=(0, 1), identify=False, refine=refinement(unit(0.3)), confirm_seeds=(7, 8),
                    evaluate=toy)
    assert [seeds for _, seeds in toy.calls[-2:]] == [(7, 8), (7, 8)]
    assert np.array_equal(toy.calls[-1][0], unit(0.3))            # the centre, on the fresh seeds
    assert cal.confirmation["seeds"] == [7, 8] and len(cal.confirmation["best_loss"]) == 2


def test_the_record_says_it_is_a_refinement_and_around_what(sc, tmp_path):
    cal = calibrate(sc, budget=4, seeds=(0, 1), identify=False, refine=refinement(unit(0.3)),
                    free=select_free(f"{PARAMS[0].path},{PARAMS[1].path.split('.')[1]}", PARAMS),
                    evaluate=Toy(unit(0.45)))
    path = tmp_path / "best.toml"
    path.write_text(toml_snippet(cal, sc, 4, (0, 1), 730, "gigsim calibrate --around around.toml"))
    c = read_record(path)["calibration"]
    assert c["refinement"] is True and c["around"] == "around.toml" and c["shrink"] == 0.25
    assert c["free"] == [PARAMS[0].path, PARAMS[1].path] and c["around_recorded_loss"] == 1.5
    assert c["centre_loss"] == pytest.approx(cal.current_loss) and "current_loss" not in c
    assert c["beats_centre"] == (c["loss"] < c["centre_loss"])
    assert len(c["best_per_seed_loss"]) == len(c["centre_per_seed_loss"]) == 2
    assert "a local refinement" in comment_block({"calibration": c}, "calibration/x.toml")
    assert "around around.toml" in comment_block({"calibration": c}, "calibration/x.toml")


def test_a_best_point_toml_sets_the_centre_and_missing_parameters_keep_the_scenarios_values(tmp_path):
    current = unit(0.5)
    first, last = PARAMS[0], PARAMS[-1]
    table, key = first.path.split(".")
    path = tmp_path / "point.toml"
    path.write_text(f"[{table}]\n{key} = {first.low}\n")
    centre, recorded, missing = read_centre(path, current, PARAMS)
    assert centre[0] == first.low and np.array_equal(centre[1:], current[1:]) and recorded is None
    assert first.path not in missing and last.path in missing and len(missing) == len(PARAMS) - 1


@pytest.mark.parametrize(("text", "field"), [
    ("not toml [", None),
    ("[calibration]\nloss = 1.0\n[parameters.behaviour]\nentry_rate = \"high\"\n", "parameters.behaviour.entry_rate"),
    ("[parameters.behaviour]\nentry_rate = 7.0\n", "parameters.behaviour.entry_rate"),
    ("[parameters.behaviour]\nnot_a_parameter = 0.1\n", "parameters.behaviour.not_a_parameter"),
    ("[behaviour]\nentry_rate = nan\n", "behaviour.entry_rate"),
    ("[calibration]\nloss = 1.0\n", "[parameters]"),
])
def test_a_bad_around_file_exits_2_naming_the_file_and_field_and_writes_nothing(tmp_path, text, field):
    bad = tmp_path / "around.toml"
    bad.write_text(text)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["calibrate", str(BASELINE), "--around", str(bad), "--budget", "1", "--workers",
                                      "100", "--seeds", "1", "--days", "400", "--no-identify", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "around.toml" in result.output and (field is None or field in result.output), result.output
    assert not out.exists()


def test_refine_without_a_stored_record_and_an_unknown_free_name_exit_2(tmp_path):
    scenario = tmp_path / "baseline.toml"
    scenario.write_text(BASELINE.read_text())
    for extra in (["--refine"], ["--free", "entry_rate,no_such_thing"]):
        result = CliRunner().invoke(app, ["calibrate", str(scenario), *extra, "--budget", "1", "--workers", "100",
                                          "--seeds", "1", "--days", "400", "--out", str(tmp_path / "out")])
        assert result.exit_code == 2, result.output
        assert ("calibration/baseline.toml" in result.output) if extra == ["--refine"] else \
            "no_such_thing" in result.output
        assert not (tmp_path / "out").exists()
    with pytest.raises(InputError, match="--free"):
        select_free(" , ", PARAMS)


def test_the_stored_record_is_a_valid_centre():
    """`--refine` on the shipped baseline starts from its stored record: every free parameter it holds is read and
    within bounds, and its values are the baseline's."""
    sc = load_scenario(BASELINE)
    current = np.array([p.get(sc) for p in PARAMS])
    centre, recorded, missing = read_centre(ROOT / "scenarios" / "calibration" / "baseline.toml", current, PARAMS)
    assert recorded is not None and np.array_equal(centre, current)
    assert tomllib.loads((ROOT / "scenarios" / "calibration" / "baseline.toml").read_text())["calibration"]["loss"] \
        == recorded
