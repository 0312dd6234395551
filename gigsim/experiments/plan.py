"""The plan of an experiment: every arm's scenario resolved, sweep points sampled, each (arm, seed) a task.

Common random numbers: seed k of every arm is `base_seed + k`, so arms differ only by what they override.
Everything that will run is validated here, before anything runs.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from gigsim.errors import ScenarioError
from gigsim.experiments.spec import FIXED_METRICS, ExperimentSpec, SweepSpec
from gigsim.scenario import (
    Scenario,
    check_memory,
    deep_merge,
    describe_validation_error,
    load_raw,
    read_toml,
    validate_scenario,
)
from gigsim.scenario.messages import did_you_mean, field_error_at


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


MAX_RUNS = 100_000
"""An experiment (arms x seeds) larger than this is refused before anything runs."""


def load_experiment(path: str | Path, seeds: int | None = None, days: int | None = None,
                    workers: int | None = None, memory_limit_bytes: int | None = None) -> Experiment:
    """Load and validate an experiment file and every arm's scenario. Raises ScenarioError naming the field.

    Everything that will run is checked here, before anything runs: every arm's scenario (with the CLI's
    `seeds`/`days`/`workers`), its memory need, and the number of runs.
    """
    path = Path(path)
    source = str(path)
    raw = read_toml(path)
    text = path.read_text(encoding="utf-8")
    spec = _validate_spec(raw, source)
    base = _base_scenario(path, spec)
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
    sweep = _sweep_arms(spec, base, source, arms) if spec.sweep is not None else None
    seeds = seeds if seeds is not None else spec.seeds
    if len(arms) * seeds > MAX_RUNS:
        raise ScenarioError(source, "seeds", f"{len(arms):,} arms x {seeds:,} seeds = {len(arms) * seeds:,} runs; "
                                             f"the limit is {MAX_RUNS:,}")
    for name, arm in arms.items():
        where = f"arms.{name}.overrides" if name in spec.arms else "sweep.parameters"
        check_runnable(arm.scenario, source, where, memory_limit_bytes)
    return Experiment(path=path, text=text, sha256=hashlib.sha256(text.encode()).hexdigest(), spec=spec,
                      arms=arms, seeds=seeds, days=days, workers=workers, sweep=sweep, windows=list(spec.windows))


def _validate_spec(raw: dict, source: str) -> ExperimentSpec:
    """The experiment table validated, or a ScenarioError naming the file and the field."""
    try:
        return ExperimentSpec.model_validate(raw)
    except ValidationError as exc:
        located = field_error_at(exc)
        if located is not None:
            raise ScenarioError(source, located[0], str(located[1])) from None
        raise describe_validation_error(exc, ExperimentSpec, source) from None


def _base_scenario(path: Path, spec: ExperimentSpec) -> Scenario:
    """The experiment's base scenario with its top-level overrides; a problem in the scenario file is reported
    at this file's `scenario` field, the scenario file's own message following."""
    source = str(path)
    scenario_path = path.parent / spec.scenario
    if not scenario_path.exists():
        raise ScenarioError(source, "scenario", f"'{spec.scenario}' not found (looked for {scenario_path})")
    try:
        base = validate_scenario(load_raw(scenario_path), str(scenario_path))
    except ScenarioError as exc:
        raise ScenarioError(source, "scenario", str(exc)) from None
    return _apply(base, spec.overrides, source, "overrides") if spec.overrides else base


def check_runnable(scenario: Scenario, source: str, where: str, memory_limit_bytes: int | None = None) -> None:
    """Refuse a scenario that validates but cannot run here (memory, a day's tasks), naming `where`."""
    try:
        check_memory(scenario, source, memory_limit_bytes)
    except ScenarioError as exc:
        field = f"{where}.{exc.field}" if where and exc.field else (exc.field or where)
        raise ScenarioError(source, field, exc.message) from None


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
        hint = did_you_mean(name, sorted(known), None)
        raise ScenarioError(source, where, f"'{name}' is not a metric" + (hint or "; see docs/experiments.md"))


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
            at = ".".join(walked) or "the scenario"
            raise ScenarioError(source, where, f"'{path}' does not name a number: '{part}' is not in {at}"
                                + did_you_mean(part, known, None))
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



__all__ = ["Arm", "Experiment", "load_experiment", "sample_points", "nested"]
