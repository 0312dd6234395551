"""Loading scenario files: TOML only (loading never executes code), `extends` chains, memory checks.

Tables merge key by key when a scenario extends another; lists (shocks, points, weekly factors) are
replaced whole.
"""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path

from pydantic import ValidationError

from gigsim.errors import ScenarioError
from gigsim.scenario.messages import FieldError, describe_validation_error
from gigsim.scenario.schema import Scenario

MAX_FILE_BYTES = 1_000_000
"""A scenario or experiment file larger than this is refused unread."""


def deep_merge(base: dict, override: dict) -> dict:
    """Merge `override` into a copy of `base`: tables merge key by key, everything else replaces."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


MAX_EXTENDS = 16
"""The longest `extends` chain followed (a scenario, its parent, ... up to this many files)."""

MAX_DEPTH = 32
"""The deepest nesting of tables and lists a scenario or experiment file may have (the shipped files use 9)."""


def read_toml(path: Path) -> dict:
    """Read a TOML file, refusing missing, special, unreadable, huge, non-UTF-8, too deeply nested or malformed
    files with a clear message naming the file."""
    path = Path(path)
    source = str(path)
    if not path.exists():
        raise ScenarioError(source, "", "file not found")
    if path.is_dir():
        raise ScenarioError(source, "", "is a folder, not a file")
    if not path.is_file():
        raise ScenarioError(source, "", "is not a regular file (a device, a pipe or a socket)")
    try:
        with open(path, "rb") as handle:  # a bounded read: /proc files report size 0 but may be long
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(source, "", f"cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_FILE_BYTES:
        size = max(path.stat().st_size, len(raw))
        raise ScenarioError(source, "", f"file is {'more than ' if size == len(raw) else ''}{size:,} bytes; "
                                        f"the limit is {MAX_FILE_BYTES:,}")
    return parse_toml_bytes(raw, source)


def parse_toml_bytes(raw: bytes, source: str) -> dict:
    """The table of TOML bytes (a file's, an upload's), refusing non-UTF-8, malformed or too deeply nested
    text with a ScenarioError naming `source`."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(source, "", f"is not UTF-8 text (bad byte at position {exc.start})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(source, "", f"is not valid TOML: {exc}") from None
    except RecursionError:
        raise ScenarioError(source, "", f"is nested too deeply (more than {MAX_DEPTH} levels)") from None
    deep = too_deep(data)
    if deep is not None:
        raise ScenarioError(source, deep, f"is nested too deeply (more than {MAX_DEPTH} levels of tables and lists)")
    return data


def too_deep(data, limit: int = MAX_DEPTH) -> str | None:
    """The dotted path of the first value nested deeper than `limit` tables/lists, or None (no recursion)."""
    stack = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if depth > limit:
            return where
        children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, child in children:
            if isinstance(child, dict | list):
                sub = f"{where}[{key}]" if isinstance(key, int) else (f"{where}.{key}" if where else str(key))
                stack.append((child, sub, depth + 1))
    return None


def load_raw(path: str | Path) -> dict:
    """The merged, unvalidated table of a scenario file after following `extends` (at most MAX_EXTENDS files).

    A problem with a parent file is reported at the `extends` field of the file that names it.
    """
    path = Path(path)
    chain = [path]
    tables = [read_toml(path)]
    while (parent := tables[-1].get("extends")) is not None:
        child = chain[-1]
        if not isinstance(parent, str) or not parent.strip():
            raise ScenarioError(str(child), "extends", f"must be a file name, got {parent!r}")
        parent_path = child.parent / parent
        if parent_path.resolve() in {p.resolve() for p in chain}:
            cycle = " -> ".join(p.name for p in (*chain, parent_path))
            raise ScenarioError(str(child), "extends", f"extends itself in a cycle ({cycle})")
        if len(chain) >= MAX_EXTENDS:
            raise ScenarioError(str(child), "extends", f"the chain of extends is longer than {MAX_EXTENDS} files")
        if not parent_path.exists():
            raise ScenarioError(str(child), "extends", f"'{parent}' not found next to this file")
        try:
            tables.append(read_toml(parent_path))
        except ScenarioError as exc:
            raise ScenarioError(str(child), "extends", f"'{parent}': {exc.field + ': ' if exc.field else ''}"
                                                       f"{exc.message}") from None
        chain.append(parent_path)
    merged = tables[-1]
    for table in reversed(tables[:-1]):
        merged.pop("extends", None)
        merged = deep_merge(merged, table)
    return merged


def load_scenario(path: str | Path, memory_limit_bytes: int | None = None) -> Scenario:
    """Load, merge (`extends`) and validate a scenario file. Raises ScenarioError naming the field.

    A world too large for this machine's memory is refused here, before anything is allocated
    (see `check_memory`); `memory_limit_bytes` overrides the memory available.
    """
    raw = load_raw(path)
    scenario = validate_scenario(raw, str(path))
    check_memory(scenario, str(path), memory_limit_bytes)
    return scenario


MEMORY_HEADROOM = 0.8
"""Share of the available memory a world may use; larger worlds are refused before allocation."""


MAX_DAILY_TASKS = 2**31 - 1
"""The most tasks a day may expect: task indices are 32-bit in the matching kernels."""


def peak_daily_tasks(sc: Scenario) -> tuple[float, str]:
    """An upper bound on the tasks clients expect to post on any day of the run, and the field that drives it.

    Rule: clients × Σ over enabled categories of (client_share × demand_per_client), times the demand level,
    its highest trend, weekly and yearly factors and every shock's size above 1, times (1 + the new tasks AI
    creates per automated task × the automation ceiling of their sources). Units: tasks per day.
    """
    d = sc.demand
    cats = sc.active_categories
    seasonal = d.level * max(1.0, (1.0 + d.trend_per_year) ** (sc.days / 365.0))
    seasonal *= max(d.weekly) / (sum(d.weekly) / 7.0 or 1.0) * (1.0 + d.yearly_amplitude)
    for shock in sc.shocks:
        seasonal *= max(1.0, shock.size)
    worst, culprit, total = 0.0, "demand.level", 0.0
    for name in cats:
        spec = sc.categories[name]
        base = sc.population.clients * min(1.0, spec.client_share) * spec.demand_per_client * seasonal
        ceiling = max((sc.categories[c].automation_ceiling for c in spec.new_tasks_from if c in cats), default=0.0)
        extra = base * spec.new_tasks_per_automated_task * ceiling * len(spec.new_tasks_from)
        total += base + extra
        if extra > worst:
            worst, culprit = extra, f"categories.{name}.new_tasks_per_automated_task"
    return total, (culprit if worst > total / 2 else "demand.level")


def check_workload(scenario: Scenario, source: str) -> None:
    """Refuse a world that validates but whose days could not run: more tasks a day than MAX_DAILY_TASKS."""
    tasks, field = peak_daily_tasks(scenario)
    if not tasks <= MAX_DAILY_TASKS:
        raise ScenarioError(source, field, f"makes clients post about {tasks:.3g} tasks on a peak day; a world can "
                                           f"hold at most {MAX_DAILY_TASKS:,} tasks a day")


def check_memory(scenario: Scenario, source: str, limit_bytes: int | None = None) -> None:
    """Refuse (ScenarioError) a world whose estimated peak memory exceeds MEMORY_HEADROOM × the memory available
    (bytes; `limit_bytes` or what the machine has free now). The field blamed is `population.workers`, or the
    demand field that drives the busiest day's tasks when those take most of the memory."""
    import psutil

    from gigsim.model.population import BYTES_PER_DAILY_TASK, estimate_memory_bytes

    check_workload(scenario, source)
    need = estimate_memory_bytes(scenario)
    available = limit_bytes if limit_bytes is not None else psutil.virtual_memory().available
    if need <= MEMORY_HEADROOM * available:
        return
    pop = scenario.population
    tasks, field = peak_daily_tasks(scenario)
    have = f"this machine has {available / 1e9:.1f} GB available"
    if tasks * BYTES_PER_DAILY_TASK > need / 2:
        raise ScenarioError(source, field, f"makes clients post about {tasks:.3g} tasks on a peak day, which needs "
                                           f"about {need / 1e9:.1f} GB of memory (estimated before allocating); {have}")
    raise ScenarioError(source, "population.workers",
                        f"a world of {pop.workers:,} workers and {pop.clients:,} clients needs about "
                        f"{need / 1e9:.1f} GB of memory (estimated before allocating); {have}")


def validate_scenario(data: dict, source: str) -> Scenario:
    """Validate a scenario table; the first problems are reported with their dotted field paths."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise describe_validation_error(exc, Scenario, source) from None
    except FieldError as exc:  # pragma: no cover - pydantic wraps these as ValidationError
        raise ScenarioError(source, exc.field, str(exc)) from None

