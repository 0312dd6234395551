"""Scenario files: the schema, loading with `extends`, and clear validation errors.

A scenario is one TOML file describing a whole world. Tables merge key by key
when a scenario extends another; lists (shocks, points, weekly factors) are
replaced whole. Validation is strict: unknown keys are refused with a
suggestion, every number is range-checked, and cross-references (a platform's
categories, an automation path's category) must exist. TOML only: loading a
scenario never executes code.

Modules: `schema.py` (the `Scenario` and every table, re-exported from the modules that define them by role:
`base.py`, `paths.py`, `population.py`, `markets.py`, `events.py`, `levers.py`, `economics.py`, `references.py`),
`loading.py` (files, `extends`, depth, memory and workload checks), `messages.py` (errors as one sentence naming
file and field). Everything is re-exported here.
"""

from gigsim.scenario.loading import (
    MAX_DEPTH,
    MAX_EXTENDS,
    MAX_FILE_BYTES,
    MEMORY_HEADROOM,
    check_memory,
    check_workload,
    deep_merge,
    load_raw,
    load_scenario,
    peak_daily_tasks,
    read_toml,
    validate_scenario,
)
from gigsim.scenario.messages import FieldError, _bounds, describe_validation_error, did_you_mean
from gigsim.scenario.schema import (
    AutomationSpec,
    BehaviourSpec,
    CategorySpec,
    DemandSpec,
    NetworkSpec,
    PlatformSpec,
    PolicySpec,
    PopulationSpec,
    Scenario,
    ShockSpec,
    Strict,
    TimePath,
)

__all__ = [
    "Scenario", "PopulationSpec", "CategorySpec", "PlatformSpec", "NetworkSpec", "DemandSpec",
    "ShockSpec", "AutomationSpec", "TimePath", "PolicySpec", "BehaviourSpec", "Strict",
    "load_scenario", "load_raw", "validate_scenario", "deep_merge", "read_toml",
    "describe_validation_error", "check_memory", "FieldError", "did_you_mean", "MAX_FILE_BYTES",
    "MEMORY_HEADROOM", "_bounds", "check_workload", "peak_daily_tasks", "MAX_DEPTH", "MAX_EXTENDS",
]
