"""The Python API of gigsim: what the command line (and anyone scripting gigsim) calls.

- `load_scenario(path)`: a validated scenario file.
- `run_scenario(scenario, seed=, days=, workers=, progress=)`: one run's tables, in memory.
- `run_scenario_file(path, out, seed=, days=, workers=, check=, progress=)`: validate, run, store in `out`.
- `run_experiment(path, out, jobs=, cluster=, fresh=, retry_failed=, seeds=, days=, workers=, progress=)`.
- `compare_results(folder, windows=)`: the arms of a results folder compared.
- `measure_translations(path, workers=, seed=, seeds=, root=, progress=)`: the policy episodes' translated numbers
  re-measured on a scenario (the control arm), each against the values its files store.

Bad input raises gigsim.errors.InputError (or its subclass ScenarioError) before anything is written;
a failure while running raises another GigsimError.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from gigsim.analysis.compare import compare_results
from gigsim.errors import InputError
from gigsim.experiments.batch import ExperimentOutcome, run_experiment
from gigsim.experiments.plan import check_runnable, load_experiment
from gigsim.experiments.run import RunResult, check_run_folder, run_scenario, write_run
from gigsim.scenario import Scenario, load_raw, load_scenario, validate_scenario
from gigsim.scenario.messages import _bounds


def option_bounds(model: type, field: str) -> tuple[int | float | None, int | float | None]:
    """The (lower, upper) bounds the schema declares for `field` of `model` (dotted), for CLI options."""
    return _bounds(model, tuple(field.split(".")))


def check_option(value: int | None, model: type, field: str, option: str) -> None:
    """Refuse an option value outside the schema's bounds for `field` (InputError naming the option)."""
    if value is None:
        return
    lo, hi = option_bounds(model, field)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise InputError(f"{option} must be between {lo:,} and {hi:,} (the bounds of {field}), got {value:,}")


def prepare_scenario(path: str | Path, *, seed: int | None = None, days: int | None = None,
                     workers: int | None = None) -> Scenario:
    """The scenario file at `path`, rescaled to `workers`, with every option checked against the schema and the
    world checked to fit this machine, before anything runs."""
    check_option(days, Scenario, "days", "--days")
    check_option(seed, Scenario, "seed", "--seed")
    check_option(workers, Scenario, "population.workers", "--workers")
    source = str(path)
    scenario = validate_scenario(load_raw(path), source)
    if workers is not None:
        scenario = scenario.rescaled(workers)
    check_runnable(scenario, source, "")
    return scenario


def run_scenario_file(path: str | Path, out: str | Path, *, seed: int | None = None, days: int | None = None,
                      workers: int | None = None, check: bool = False,
                      progress: Callable[[], None] | None = None, panels: bool = True) -> RunResult:
    """Validate the scenario file and `out`, run it, and store the run in `out` (see experiments.run.write_run).

    A refused run creates nothing; `out` must be missing, empty or a previous run's folder.
    """
    scenario = prepare_scenario(path, seed=seed, days=days, workers=workers)
    check_run_folder(Path(out))
    result = run_scenario(scenario, seed=seed, days=days, progress=progress, debug=check, source=str(path),
                          panels=panels)
    write_run(result, out)
    return result


def measure_translations(path: str | Path, *, workers: int = 5000, seed: int = 0, seeds: int = 5,
                         root: Path | None = None, progress: Callable[[], None] | None = None) -> list:
    """Every translated number of the policy episodes (gigsim.analysis.translation.NUMBERS) measured on the scenario
    at `path` rescaled to `workers`, seeds seed, ..., seed + seeds - 1, against the value each target file under
    `root` (default: the repository) stores. The stored values and the scenario are read first: bad input raises
    InputError before anything runs."""
    from gigsim.analysis import translation

    stored = translation.read_stored(translation.ROOT if root is None else root)
    check_option(seed + seeds - 1, Scenario, "seed", "--seed")
    scenario = prepare_scenario(path, workers=workers)
    seed_list = range(seed, seed + seeds)
    return translation.translate(translation.measure(scenario, seed_list, progress), stored)


__all__ = ["load_scenario", "run_scenario", "run_scenario_file", "run_experiment", "ExperimentOutcome",
           "compare_results", "load_experiment", "prepare_scenario", "check_option", "option_bounds",
           "measure_translations"]
