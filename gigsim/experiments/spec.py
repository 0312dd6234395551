"""The experiment file schema: base scenario, arms and/or a sweep, seeds, days, outcomes, windows.

An experiment names a base scenario, a set of **arms** (each a nested table of
scenario overrides: a policy, a shock, an automation path), the number of
seeds, the days, the outcomes to compare and the windows to compare them over.
It may instead (or as well) declare a **sweep** over dotted parameter paths
(`grid`, Latin hypercube `lhs`, or `sobol` via SALib); every sweep point
becomes an arm. Validation is as strict as for scenarios: a bad file is
refused before anything runs, with the file and the field named.

The plan of (arm, seed) runs is built in `plan.py`; runs are executed by `executors.py`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from gigsim.experiments.windows import Window, parse_window
from gigsim.model import columns
from gigsim.scenario import Strict
from gigsim.scenario.messages import FieldError as _FieldError
from gigsim.scenario.messages import did_you_mean

DEFAULT_OUTCOMES = [
    "median_net_hourly_earnings", "p10_net_hourly_earnings", "participants", "fill_rate",
    "financially_fragile_share", "gini_earnings", "platform_revenue",
]

FIXED_METRICS = columns.FIXED_METRICS

ARM_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


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



def _unknown_arm(name: str, known: list[str]) -> str:
    return f"'{name}' is not an arm" + did_you_mean(name, known, "arms")


_MOVED = {"load_experiment": "plan", "Experiment": "plan", "Arm": "plan", "sample_points": "plan",
          "execute_run": "executors", "execute_and_write": "executors", "run_tasks": "executors",
          "connect_cluster": "executors", "FAIL_RUNS_ENV": "executors"}


def __getattr__(name: str):
    """Names that moved to plan.py and executors.py stay importable from here (imported on first use)."""
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(f"gigsim.experiments.{_MOVED[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["ExperimentSpec", "ArmSpec", "SweepSpec", "ParameterSpec", "Window", "parse_window", "DEFAULT_OUTCOMES",
           "FIXED_METRICS", "ARM_NAME"]
