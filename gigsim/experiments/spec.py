"""Policy experiments: the experiment file schema, the plan of (arm, seed) runs, and running it.

An experiment names a base scenario, a set of **arms** (each a nested table of
scenario overrides: a policy, a shock, an automation path), the number of
seeds, the days, the outcomes to compare and the windows to compare them over.
It may instead (or as well) declare a **sweep** over dotted parameter paths
(`grid`, Latin hypercube `lhs`, or `sobol` via SALib); every sweep point
becomes an arm. Validation is as strict as for scenarios: a bad file is
refused before anything runs, with the file and the field named.

Common random numbers: seed k of every arm is `base_seed + k`, so arms differ
only by what they override. Runs execute in-process (`jobs=1`), in a local
process pool, or on a running Dask distributed scheduler; each run returns its
tables to this process, which stores them (gigsim/experiments/store.py), so every executor
writes the same bytes.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import Field, ValidationError, model_validator

from gigsim.errors import GigsimError, InputError, ScenarioError
from gigsim.model import columns
from gigsim.scenario import Scenario, Strict, deep_merge, describe_validation_error, load_scenario, read_toml

FAIL_RUNS_ENV = "GIGSIM_TEST_FAIL_RUNS"
"""For tests only: a comma-separated list of `ARM:SEED_INDEX` runs (or `*`) that raise on purpose."""

CLUSTER_CONNECT_SECONDS = 5
"""How long to wait for a Dask scheduler to answer before giving up."""

DEFAULT_OUTCOMES = [
    "median_net_hourly_earnings", "p10_net_hourly_earnings", "participants", "fill_rate",
    "financially_fragile_share", "gini_earnings", "platform_revenue",
]

FIXED_METRICS = columns.FIXED_METRICS

ARM_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
WINDOW_LAST = re.compile(r"^\s*last\s+(\d+)\s+days?\s*$", re.IGNORECASE)
WINDOW_RANGE = re.compile(r"^\s*(\d+)\s*:\s*(\d+)\s*$")


# --------------------------------------------------------------------------- windows


@dataclass(frozen=True)
class Window:
    """A span of simulated days, `first <= day < end` (end None: to the last day)."""

    label: str
    first: int | None = None
    last_days: int | None = None
    end: int | None = None

    def bounds(self, days: int) -> tuple[int, int]:
        """(first day, end day exclusive) within a run of `days` days."""
        if self.last_days is not None:
            return max(0, days - self.last_days), days
        first = self.first or 0
        end = days if self.end is None else min(self.end, days)
        return first, end


def parse_window(text: str) -> Window:
    """Parse "all", "last N days" or "FROM:TO" (days FROM..TO-1). Raises ValueError."""
    if not isinstance(text, str):
        raise ValueError(f"a window must be a string like 'last 365 days' or '100:200', got {text!r}")
    if text.strip().lower() in ("all", "whole run"):
        return Window("all days")
    m = WINDOW_LAST.match(text)
    if m:
        n = int(m.group(1))
        if n < 1:
            raise ValueError(f"'{text}': the window needs at least one day")
        return Window(f"last {n} days", last_days=n)
    m = WINDOW_RANGE.match(text)
    if m:
        first, end = int(m.group(1)), int(m.group(2))
        if end <= first:
            raise ValueError(f"'{text}': TO ({end}) must be after FROM ({first})")
        return Window(f"days {first}-{end - 1}", first=first, end=end)
    raise ValueError(f"'{text}' is not a window; use 'all', 'last N days' or 'FROM:TO' (days FROM..TO-1)")


# --------------------------------------------------------------------------- schema


class ArmSpec(Strict):
    """One arm: a description, the arm it is compared with, and its scenario overrides."""

    description: str = ""
    compare_to: str | None = None
    overrides: dict[str, Any] = Field(default_factory=dict)


class ParameterSpec(Strict):
    """A swept parameter: a `range = [low, high]` (grid: `levels` evenly spaced points), or grid `values`."""

    range: tuple[float, float] | None = None
    levels: Annotated[int, Field(ge=2, le=100)] = 3
    values: list[float] | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _one_of(self) -> ParameterSpec:
        if self.range is None and self.values is None:
            raise ValueError("give a range = [low, high] (or, for a grid, values = [...])")
        if self.range is not None and self.values is not None:
            raise ValueError("give either range or values, not both")
        if self.range is not None and not self.range[0] < self.range[1]:
            raise ValueError(f"range must be [low, high] with low < high, got {list(self.range)}")
        return self


class SweepSpec(Strict):
    """A sensitivity sweep: every sample point becomes an arm named `point_NNN`.

    - grid: every combination of the parameters' levels (or values).
    - lhs: `samples` Latin-hypercube points over the ranges.
    - sobol: Saltelli sampling for Sobol indices (SALib), `samples` x (parameters + 2) points.
    """

    method: Literal["grid", "lhs", "sobol"] = "lhs"
    samples: Annotated[int, Field(ge=2, le=100_000)] = 16
    parameters: dict[str, ParameterSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _ranges_for_sampling(self) -> SweepSpec:
        if self.method != "grid":
            for name, p in self.parameters.items():
                if p.range is None:
                    raise ValueError(f"parameters.{name}: method '{self.method}' needs a range = [low, high]")
        return self


class ExperimentSpec(Strict):
    """An experiment file: base scenario, arms and/or a sweep, seeds, days, outcomes, windows."""

    name: str = Field(min_length=1, max_length=100)
    description: str = ""
    scenario: str = Field(min_length=1)
    seeds: Annotated[int, Field(ge=1, le=10_000)] = 10
    base_seed: Annotated[int, Field(ge=0, le=2**62)] = 1000
    days: Annotated[int, Field(ge=1, le=36_500)] | None = None
    workers: Annotated[int, Field(ge=1, le=50_000_000)] | None = None
    control: str | None = None
    outcomes: list[str] = Field(default_factory=lambda: list(DEFAULT_OUTCOMES), min_length=1)
    windows: list[str] = Field(default_factory=lambda: ["all"], min_length=1)
    overrides: dict[str, Any] = Field(default_factory=dict)
    arms: dict[str, ArmSpec] = Field(default_factory=dict)
    sweep: SweepSpec | None = None

    @model_validator(mode="after")
    def _arms_and_control(self) -> ExperimentSpec:
        if not self.arms and self.sweep is None:
            raise _FieldError("arms", "an experiment needs at least one [arms.NAME] table (or a [sweep])")
        for name in self.arms:
            if not ARM_NAME.match(name):
                raise _FieldError(f"arms.{name}", "arm names may use letters, digits, '_', '-' and '.' only "
                                                  "(they become folder names), up to 64 characters")
            if self.sweep is not None and name.startswith("point_"):
                raise _FieldError(f"arms.{name}", "names starting with 'point_' are reserved for sweep points")
        if self.arms and self.control is None:
            raise _FieldError("control", f"is required but missing: name the arm the others are compared with "
                                         f"(one of {', '.join(self.arms)})")
        names = list(self.arms)
        if self.control is not None and self.control not in self.arms:
            raise _FieldError("control", _unknown_arm(self.control, names))
        for name, arm in self.arms.items():
            if arm.compare_to is not None and arm.compare_to not in self.arms:
                raise _FieldError(f"arms.{name}.compare_to", _unknown_arm(arm.compare_to, names))
        for i, w in enumerate(self.windows):
            try:
                parse_window(w)
            except ValueError as exc:
                raise _FieldError(f"windows[{i}]", str(exc)) from None
        return self


class _FieldError(ValueError):
    """A cross-field problem at a known field path."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def _unknown_arm(name: str, known: list[str]) -> str:
    hint = difflib.get_close_matches(name, known, n=1)
    return f"'{name}' is not an arm" + (f" (did you mean '{hint[0]}'?)" if hint else f" (arms: {', '.join(known)})")


# --------------------------------------------------------------------------- the plan


@dataclass
class Arm:
    """A resolved arm: its validated scenario and what it is compared with."""

    name: str
    description: str
    compare_to: str | None
    overrides: dict
    scenario: Scenario
    point: dict[str, float] | None = None


@dataclass
class Experiment:
    """A validated experiment with every arm's scenario resolved and the run settings fixed."""

    path: Path
    text: str
    sha256: str
    spec: ExperimentSpec
    arms: dict[str, Arm]
    seeds: int
    days: int
    workers: int | None
    sweep: dict | None = None
    windows: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.spec.name

    def seed(self, k: int) -> int:
        """The random seed of replication k (the same in every arm: common random numbers)."""
        return self.spec.base_seed + k

    def runs(self) -> list[tuple[str, int]]:
        """Every (arm, seed index) of the experiment, arm by arm."""
        return [(a, k) for a in self.arms for k in range(self.seeds)]

    def settings(self) -> dict:
        """What, beyond the file, decides the results (CLI overrides included)."""
        return {"seeds": self.seeds, "days": self.days, "workers": self.workers, "base_seed": self.spec.base_seed,
                "arm_scenarios": {n: a.scenario.content_hash() for n, a in self.arms.items()}}

    def task(self, arm: str, k: int) -> dict:
        """Everything a worker process needs to run (arm, k): plain data, no file access."""
        return {"arm": arm, "seed_index": k, "seed": self.seed(k), "days": self.days,
                "scenario": self.arms[arm].scenario.model_dump(mode="json"), "source": str(self.path)}


def load_experiment(path: str | Path, seeds: int | None = None, days: int | None = None,
                    workers: int | None = None) -> Experiment:
    """Load and validate an experiment file and every arm's scenario. Raises ScenarioError naming the field."""
    path = Path(path)
    source = str(path)
    raw = read_toml(path)
    text = path.read_text(encoding="utf-8")
    try:
        spec = ExperimentSpec.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            ctx_err = (err.get("ctx") or {}).get("error")
            if isinstance(ctx_err, _FieldError):
                prefix = ".".join(str(p) for p in err["loc"])
                raise ScenarioError(source, f"{prefix}.{ctx_err.field}" if prefix else ctx_err.field,
                                    str(ctx_err)) from None
        raise describe_validation_error(exc, ExperimentSpec, source) from None

    scenario_path = path.parent / spec.scenario
    if not scenario_path.exists():
        raise ScenarioError(source, "scenario", f"'{spec.scenario}' not found (looked for {scenario_path})")
    base = load_scenario(scenario_path)
    if spec.overrides:
        base = _apply(base, spec.overrides, source, "overrides")
    days = days if days is not None else (spec.days if spec.days is not None else base.days)
    workers = workers if workers is not None else spec.workers
    if workers is not None:
        base = base.rescaled(workers)

    for i, outcome in enumerate(spec.outcomes):
        _check_outcome(outcome, base, source, f"outcomes[{i}]")

    arms: dict[str, Arm] = {}
    for name, arm in spec.arms.items():
        scenario = _apply(base, arm.overrides, source, f"arms.{name}.overrides") if arm.overrides else base
        compare_to = arm.compare_to if arm.compare_to is not None else (None if name == spec.control else spec.control)
        arms[name] = Arm(name, arm.description, compare_to, arm.overrides, scenario)
    sweep = None
    if spec.sweep is not None:
        sweep = _sweep_arms(spec, base, source, arms)
    return Experiment(path=path, text=text, sha256=hashlib.sha256(text.encode()).hexdigest(), spec=spec,
                      arms=arms, seeds=seeds if seeds is not None else spec.seeds, days=days, workers=workers,
                      sweep=sweep, windows=list(spec.windows))


def _apply(base: Scenario, overrides: dict, source: str, prefix: str) -> Scenario:
    """`base` with `overrides`; a problem is reported at `prefix.<field>` of the experiment file."""
    try:
        return base.with_overrides(overrides, source)
    except ScenarioError as exc:
        raise ScenarioError(source, f"{prefix}.{exc.field}" if exc.field else prefix, exc.message) from None


def _check_outcome(name: str, scenario: Scenario, source: str, where: str) -> None:
    known = set(FIXED_METRICS)
    for p in scenario.platforms:
        known.add(f"share_{p}")
    for c in scenario.categories:
        known.update({f"workers_{c}", f"net_hourly_{c}", f"automation_level_{c}"})
    known.discard("day")
    if name not in known:
        hint = difflib.get_close_matches(name, sorted(known), n=1)
        raise ScenarioError(source, where, f"'{name}' is not a metric" + (f" (did you mean '{hint[0]}'?)" if hint
                                                                          else "; see docs/experiments.md"))


# --------------------------------------------------------------------------- sweeps


def nested(path: str, value: Any) -> dict:
    """{"a": {"b": value}} from "a.b"."""
    out: Any = value
    for part in reversed(path.split(".")):
        out = {part: out}
    return out


def _base_value(data: dict, path: str, source: str, where: str) -> Any:
    current: Any = data
    walked = []
    for part in path.split("."):
        if not isinstance(current, dict) or part not in current:
            known = list(current) if isinstance(current, dict) else []
            hint = difflib.get_close_matches(part, known, n=1)
            at = ".".join(walked) or "the scenario"
            raise ScenarioError(source, where, f"'{path}' does not name a number: '{part}' is not in {at}"
                                + (f" (did you mean '{hint[0]}'?)" if hint else ""))
        current = current[part]
        walked.append(part)
    if isinstance(current, bool) or not isinstance(current, int | float):
        raise ScenarioError(source, where, f"'{path}' is {current!r}, not a number; only numbers can be swept")
    return current


def sample_points(sweep: SweepSpec, seed: int) -> np.ndarray:
    """The sweep's design: one row per point, one column per parameter (in file order)."""
    names = list(sweep.parameters)
    specs = list(sweep.parameters.values())
    if sweep.method == "grid":
        axes = [list(s.values) if s.values is not None else
                list(np.linspace(s.range[0], s.range[1], s.levels)) for s in specs]
        return np.array(list(itertools.product(*axes)), dtype=float)
    problem = {"num_vars": len(names), "names": names, "bounds": [list(s.range) for s in specs]}
    if sweep.method == "lhs":
        from SALib.sample import latin
        return latin.sample(problem, sweep.samples, seed=seed)
    from SALib.sample import sobol
    return sobol.sample(problem, sweep.samples, calc_second_order=False, scramble=True, seed=seed)


def _sweep_arms(spec: ExperimentSpec, base: Scenario, source: str, arms: dict[str, Arm]) -> dict:
    sweep = spec.sweep
    dump = base.model_dump(mode="json")
    names = list(sweep.parameters)
    integer = {}
    for name in names:
        integer[name] = isinstance(_base_value(dump, name, source, f"sweep.parameters.{name}"), int)
    design = sample_points(sweep, spec.base_seed)
    if len(design) > 10_000:
        raise ScenarioError(source, "sweep", f"the sweep has {len(design):,} points; the limit is 10,000")
    points = []
    for i, row in enumerate(design):
        values = {n: (int(round(v)) if integer[n] else float(v)) for n, v in zip(names, row, strict=True)}
        overrides: dict = {}
        for n, v in values.items():
            overrides = deep_merge(overrides, nested(n, v))
        arm_name = f"point_{i:03d}"
        scenario = _apply(base, overrides, source, "sweep.parameters")
        desc = ", ".join(f"{n}={v:g}" for n, v in values.items())
        arms[arm_name] = Arm(arm_name, desc, spec.control, overrides, scenario, point=values)
        points.append(arm_name)
    return {"method": sweep.method, "samples": sweep.samples, "parameters": names,
            "bounds": [list(sweep.parameters[n].range) if sweep.parameters[n].range else
                       [min(sweep.parameters[n].values), max(sweep.parameters[n].values)] for n in names],
            "points": points}


# --------------------------------------------------------------------------- running


def execute_run(task: dict) -> dict:
    """Run one (arm, seed) and return its tables, or its error. Runs in any process or Dask worker."""
    from gigsim.experiments.run import run_scenario

    started = time.perf_counter()
    arm, k = task["arm"], task["seed_index"]
    try:
        if _injected_failure(arm, k):
            raise RuntimeError(f"injected failure for tests ({FAIL_RUNS_ENV})")
        scenario = Scenario.model_validate(task["scenario"])
        result = run_scenario(scenario, seed=task["seed"], days=task["days"], source=task["source"])
    except Exception as exc:  # noqa: BLE001 - a run that raises is recorded as failed, the batch goes on
        return {"arm": arm, "seed_index": k, "status": "failed", "error": f"{type(exc).__name__}: {exc}",
                "seconds": round(time.perf_counter() - started, 3)}
    manifest = dict(result.manifest)
    manifest.pop("scenario_file_sha256", None)
    return {"arm": arm, "seed_index": k, "status": "done", "error": None,
            "seconds": round(time.perf_counter() - started, 3), "metrics": result.metrics,
            "markets": result.markets, "workers": result.workers, "manifest": manifest}


def execute_and_write(task: dict, folder: str) -> dict:
    """Run one (arm, seed) in a local worker, write its files under `folder`, return only its status."""
    from gigsim.experiments.store import write_run_files

    result = execute_run(task)
    if result["status"] == "done":
        try:
            write_run_files(Path(folder), result)
        except GigsimError as exc:
            return {key: result[key] for key in ("arm", "seed_index", "seconds")} | {
                "status": "failed", "error": str(exc)}
        result = {key: result[key] for key in ("arm", "seed_index", "status", "error", "seconds")} | {
            "written": True}
    return result


def _injected_failure(arm: str, k: int) -> bool:
    wanted = os.environ.get(FAIL_RUNS_ENV, "").strip()
    if not wanted:
        return False
    entries = {e.strip() for e in wanted.split(",")}
    return "*" in entries or f"{arm}:{k}" in entries or f"{arm}:*" in entries


Callback = Callable[[dict], None]


def run_tasks(tasks: list[dict], on_result: Callback, jobs: int | None = None, cluster=None,
              write_to: str | Path | None = None) -> None:
    """Execute `tasks` (from Experiment.task) and hand each result to `on_result` as it finishes.

    `cluster`: address of a running Dask scheduler (or a connected Client, which is then
    closed); else `jobs` local processes (default all cores; 1 runs in this process).
    `write_to`: a results folder that local pool workers write each run's files into themselves;
    their results then carry `written=True` and no tables.
    """
    if not tasks:
        return
    if cluster is not None and cluster != "":
        _run_on_dask(tasks, on_result, cluster)
        return
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    if jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {jobs}")
    if jobs == 1 or len(tasks) == 1:
        for task in tasks:
            on_result(execute_run(task))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
        if write_to is not None:
            futures = {pool.submit(execute_and_write, t, str(write_to)): t for t in tasks}
        else:
            futures = {pool.submit(execute_run, t): t for t in tasks}
        try:
            for future in as_completed(futures):
                try:
                    on_result(future.result())
                except BrokenProcessPool as exc:
                    t = futures[future]
                    on_result({"arm": t["arm"], "seed_index": t["seed_index"], "status": "failed",
                               "error": f"worker process died: {exc}", "seconds": 0.0})
        except BaseException:
            for f in futures:
                f.cancel()
            raise


CLUSTER_ADDRESS = re.compile(r"^(?:(tcp|tls|ws|wss|inproc|ucx)://)?\[?[A-Za-z0-9_.:-]+\]?:\d{1,5}$")


def connect_cluster(address: str, timeout: float = CLUSTER_CONNECT_SECONDS):
    """A dask.distributed Client for `address`, or an InputError if it does not answer within `timeout` s."""
    from distributed import Client

    if not CLUSTER_ADDRESS.match(address.strip()):
        raise InputError(f"--cluster {address}: not a scheduler address; give HOST:PORT or tcp://HOST:PORT "
                         "(e.g. tcp://127.0.0.1:8786)")
    try:
        return Client(address, timeout=f"{timeout}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"--cluster {address}: no Dask scheduler answered within {timeout:g} s "
                         f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no reply'})") from None


def _run_on_dask(tasks: list[dict], on_result: Callback, cluster) -> None:
    from distributed import as_completed

    client = connect_cluster(cluster) if isinstance(cluster, str) else cluster
    try:
        token = hashlib.sha256(json.dumps([t["scenario"] for t in tasks[:1]], sort_keys=True).encode()).hexdigest()[:8]
        futures = {}
        for t in tasks:
            f = client.submit(execute_run, t, key=f"gigsim-{t['arm']}-{t['seed_index']}-{token}-{time.time_ns()}",
                              pure=False)
            futures[f] = t
        for future in as_completed(list(futures), loop=client.loop):
            t = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker after repeated worker deaths
                result = {"arm": t["arm"], "seed_index": t["seed_index"], "status": "failed",
                          "error": f"{type(exc).__name__}: {exc}", "seconds": 0.0}
            on_result(result)
            future.release()
    finally:
        client.close()


__all__ = ["ExperimentSpec", "Experiment", "Arm", "Window", "load_experiment", "parse_window", "sample_points",
           "execute_run", "execute_and_write", "run_tasks", "connect_cluster", "FAIL_RUNS_ENV", "DEFAULT_OUTCOMES"]
