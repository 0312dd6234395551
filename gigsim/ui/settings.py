"""The Explore page's levers: read from a scenario, turned back into a scenario, exported as TOML.

Settings are a flat dict of plain values (what the sliders and switches show).
`initial_settings(scenario)` reads them from a scenario; `build_scenario(base,
settings)` applies only the settings that differ from the base's own values
(`Scenario.with_overrides`), so everything the page does not show is kept as the
file had it. Every shock and automation path of the scenario has its own settings,
edited field by field, so a path keeps its shape (a logistic ramp stays logistic).
Uploaded files are parsed as TOML only (never executed), capped in size, checked
against the memory this machine has (as `gigsim run` does), and validated with the
same clear errors as `gigsim validate`. Settings also travel in the page's URL
(`to_query` / `from_query`), so a reload or a shared link restores them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import tomli_w

from gigsim.errors import ScenarioError
from gigsim.model import vocabulary
from gigsim.scenario import (
    Scenario,
    TimePath,
    check_memory,
    deep_merge,
    load_raw,
    load_scenario,
    validate_scenario,
)
from gigsim.scenario.loading import parse_toml_bytes
from gigsim.ui import enacted

MAX_UPLOAD_BYTES = 256_000
"""An uploaded scenario larger than this is refused before it is read (scenarios are a few kB)."""

LEVERS: dict[str, tuple[str, str, float, float, float]] = {
    # lever: (parameter, label with units, min, max, step)
    "min_pay": ("hourly", "Minimum pay per engaged hour", 0.0, 40.0, 0.5),
    "commission_cap": ("cap", "Commission cap (share of price)", 0.0, 0.5, 0.01),
    "portable_benefits": ("contribution_per_task", "Benefit contribution per task", 0.0, 5.0, 0.1),
    "employee_classification": ("hourly_wage", "Employee wage per logged-in hour", 0.0, 40.0, 0.5),
    "newcomer_boost": ("boost", "Newcomer ranking boost", 0.0, 5.0, 0.1),
    "retraining_subsidy": ("subsidy_share", "Share of retraining cost subsidised", 0.0, 1.0, 0.05),
    "cash_transfer": ("monthly_amount", "Monthly cash transfer", 0.0, 1000.0, 10.0),
}
"""Each policy lever's main parameter as the page shows it (see gigsim.scenario.PolicySpec)."""

AB_LEVERS = [*LEVERS, *enacted.ENACTED]
"""The levers an A/B run can switch in world B: the stylised ones and those modelled as enacted."""

MATCHING_RULES = list(vocabulary.MATCHING_RULES)


def scenarios_dir() -> Path:
    """The folder of shipped scenarios: $GIGSIM_SCENARIOS_DIR, else the repository's `scenarios/`."""
    configured = os.environ.get("GIGSIM_SCENARIOS_DIR")
    if configured:
        return Path(configured)
    repo = Path(__file__).resolve().parents[2] / "scenarios"
    return repo if repo.is_dir() else Path("scenarios")


def shipped_scenarios() -> list[str]:
    """Names (file stems) of the shipped scenarios, baseline first."""
    names = sorted(p.stem for p in scenarios_dir().glob("*.toml"))
    return sorted(names, key=lambda n: (n != "baseline", n))


def load_shipped(name: str) -> Scenario:
    """A shipped scenario by name; names are looked up in the listing, never used as paths."""
    if name not in shipped_scenarios():
        raise ScenarioError(name, "", "is not a shipped scenario")
    return load_scenario(scenarios_dir() / f"{name}.toml")


def parse_upload(name: str, data: bytes) -> Scenario:
    """Validate an uploaded scenario file (TOML only; `extends` may name a shipped scenario).

    A world too big for this machine's free memory is refused with the estimate (gigsim.scenario.check_memory).
    """
    source = Path(name).name or "upload.toml"
    if len(data) > MAX_UPLOAD_BYTES:
        raise ScenarioError(source, "", f"file is {len(data):,} bytes; the upload limit is {MAX_UPLOAD_BYTES:,}")
    raw = parse_toml_bytes(data, source)  # UTF-8, TOML and nesting depth checked as for files
    parent = raw.pop("extends", None)
    if parent is not None:
        stem = parent.removesuffix(".toml") if isinstance(parent, str) else None
        if stem not in shipped_scenarios():
            raise ScenarioError(source, "extends", f"an uploaded file can only extend a shipped scenario "
                                                   f"({', '.join(shipped_scenarios())}), got {parent!r}")
        base = load_raw(scenarios_dir() / f"{stem}.toml")
        base.pop("extends", None)
        raw = deep_merge(base, raw)
    sc = validate_scenario(raw, source)
    check_memory(sc, source)
    return sc


# --------------------------------------------------------------------------- settings

PATH_FIELDS = {"constant": ["level"], "linear": ["start", "end", "start_level", "end_level"],
               "logistic": ["start_level", "end_level", "midpoint", "steepness"], "points": ["points"]}
"""The fields each TimePath shape uses (the others are left out of exports: they would mean nothing)."""

DAY_FIELDS = ("start", "end", "midpoint")
"""TimePath fields that are days (whole numbers on the page)."""

NEW_SHOCK = {"new_shock.on": False, "new_shock.start": 90, "new_shock.size": 0.6, "new_shock.length": 60,
             "new_shock.categories": []}
"""A demand shock the page can add (a step), off until switched on."""


def editable_paths(sc: Scenario) -> dict[str, TimePath]:
    """Each active category's automation level path that the page edits field by field (not 'points', and not
    a constant 0, which is 'no automation': the page offers a new linear ramp there instead)."""
    out = {}
    for c in sc.active_categories:
        spec = sc.automation.get(c)
        if spec is None or spec.level.shape == "points":
            continue
        if spec.level.shape == "constant" and spec.level.level == 0:
            continue
        out[c] = spec.level
    return out


def ramp_categories(sc: Scenario) -> list[str]:
    """Active categories without an automation path the page edits: a new linear ramp may be added there."""
    paths = editable_paths(sc)
    return [c for c in sc.active_categories if c not in paths and not _points(sc, c)]


def _points(sc: Scenario, c: str) -> bool:
    spec = sc.automation.get(c)
    return spec is not None and spec.level.shape == "points"


def initial_settings(sc: Scenario) -> dict[str, Any]:
    """The values every control starts from, read from the scenario."""
    s: dict[str, Any] = {"name": "", "description": "", "workers": sc.population.workers, "seed": sc.seed,
                         "days": sc.days, "demand_factor": 1.0, **NEW_SHOCK,
                         "new_shock.start": min(90, sc.days - 1), "ramp_start": 0, "ramp_end": sc.days}
    for i, shock in enumerate(sc.shocks):
        s[f"shock.{i}.on"] = True
        s[f"shock.{i}.start"] = shock.start
        s[f"shock.{i}.size"] = shock.size
        if shock.end_day is not None:
            s[f"shock.{i}.length"] = shock.end_day - shock.start
    for c, path in editable_paths(sc).items():
        for f in PATH_FIELDS[path.shape]:
            s[f"path.{c}.{f}"] = getattr(path, f)
    for c in ramp_categories(sc):
        s[f"ramp.{c}"] = 0.0
    for lever, (param, *_rest) in LEVERS.items():
        spec = getattr(sc.policy, lever)
        s[f"lever.{lever}.enabled"] = spec.enabled
        s[f"lever.{lever}.value"] = float(getattr(spec, param))
    s.update(enacted.initial_settings(sc))
    for p in sc.active_platforms:
        s[f"commission.{p}"] = sc.platforms[p].commission
        s[f"matching.{p}"] = sc.platforms[p].matching
    return s


def changed_keys(base: Scenario, settings: dict[str, Any]) -> list[str]:
    """The settings that differ from the base scenario's own values, in settings order."""
    start = initial_settings(base)
    return [k for k, v in settings.items() if k in start and start[k] != v]


def _shock_overrides(base: Scenario, settings: dict[str, Any]) -> list[dict] | None:
    """The shocks list with the page's edits (None when unchanged): each shock keeps its shape and fields."""
    changed = set(changed_keys(base, settings))
    edited = any(k.startswith("shock.") for k in changed) or settings.get("new_shock.on")
    if not edited:
        return None
    shocks = []
    for i, shock in enumerate(base.shocks):
        if not settings.get(f"shock.{i}.on", True):
            continue
        data = shock.model_dump(exclude_defaults=True)
        data["start"] = int(settings[f"shock.{i}.start"])
        data["size"] = float(settings[f"shock.{i}.size"])
        length = settings.get(f"shock.{i}.length")
        if length is not None and shock.end is not None:
            data["end"] = data["start"] + int(length)
        elif length is not None:
            data["duration"] = int(length)
        shocks.append(data)
    if settings.get("new_shock.on"):
        cats = list(settings.get("new_shock.categories") or []) or "all"
        shocks.append({"name": "added in the Explore page", "start": int(settings["new_shock.start"]),
                       "size": float(settings["new_shock.size"]), "duration": int(settings["new_shock.length"]),
                       "categories": cats, "shape": "step"})
    return shocks


def _automation_overrides(base: Scenario, settings: dict[str, Any]) -> dict:
    """Changed fields of existing paths (the shape kept), and new linear ramps where a level was set."""
    changed = set(changed_keys(base, settings))
    out: dict[str, Any] = {}
    for c, path in editable_paths(base).items():
        fields = {f: settings[f"path.{c}.{f}"] for f in PATH_FIELDS[path.shape] if f"path.{c}.{f}" in changed}
        if fields:
            fields = {f: (int(v) if f in DAY_FIELDS else float(v)) for f, v in fields.items()}
            out[c] = {"level": fields}
    begin, end = int(settings["ramp_start"]), int(settings["ramp_end"])
    for c in ramp_categories(base):
        level = float(settings.get(f"ramp.{c}", 0.0))
        if level > 0:
            out[c] = {"level": {"shape": "linear", "start": begin, "end": max(end, begin + 1), "start_level": 0.0,
                                "end_level": level}}
    return out


def overrides_for(base: Scenario, settings: dict[str, Any]) -> dict[str, Any]:
    """The nested overrides (for `Scenario.with_overrides`) of the settings that differ from the base's."""
    changed = set(changed_keys(base, settings))
    out: dict[str, Any] = {}
    for key in ("seed", "days"):
        if key in changed:
            out[key] = int(settings[key])
    if "demand_factor" in changed:
        out["demand"] = {"level": round(base.demand.level * float(settings["demand_factor"]), 9)}
    shocks = _shock_overrides(base, settings)
    if shocks is not None:
        out["shocks"] = shocks
    automation = _automation_overrides(base, settings)
    if automation:
        out["automation"] = automation
    for lever, (param, *_rest) in LEVERS.items():
        table = {}
        if f"lever.{lever}.enabled" in changed:
            table["enabled"] = bool(settings[f"lever.{lever}.enabled"])
        if f"lever.{lever}.value" in changed:
            table[param] = float(settings[f"lever.{lever}.value"])
        if table:
            out.setdefault("policy", {})[lever] = table
    for lever, table in enacted.overrides(base, settings, changed).items():
        out.setdefault("policy", {})[lever] = table
    for p in base.active_platforms:
        table = {}
        if f"commission.{p}" in changed:
            table["commission"] = float(settings[f"commission.{p}"])
        if f"matching.{p}" in changed:
            table["matching"] = settings[f"matching.{p}"]
        if table:
            out.setdefault("platforms", {})[p] = table
    return out


def _identity(base: Scenario, settings: dict[str, Any]) -> dict[str, str]:
    """The name and description of the scenario the settings describe: the ones typed on the page, else, when
    anything changed, the base's name with '_edited' and its description with the list of changes."""
    changes = [k for k in changed_keys(base, settings) if k not in ("name", "description")]
    out = {}
    if settings.get("name") or changes:
        out["name"] = settings.get("name") or f"{base.name}_edited"
    if settings.get("description") or changes:
        out["description"] = settings.get("description") or (
            f"{base.description} Changed in the gigsim Explore page: {', '.join(changes)}.").strip()
    return out


def build_scenario(base: Scenario, settings: dict[str, Any], check_size: bool = True) -> Scenario:
    """The scenario the page's settings describe: the base, rescaled, with the changed levers applied.

    Raises ScenarioError (source "settings") when a combination is invalid or (check_size) too big for the
    memory this machine has free.
    """
    sc = base
    if int(settings["workers"]) != base.population.workers:
        sc = sc.rescaled(int(settings["workers"]))
    overrides = {**overrides_for(base, settings), **_identity(base, settings)}
    sc = sc.with_overrides(overrides, source="settings") if overrides else sc
    if check_size:
        check_memory(sc, "settings")
    return sc.model_copy(update={"extends": None})  # already merged: the result stands on its own


def _clean_paths(data: dict) -> dict:
    """Leave out of each automation path the fields its shape does not use (so an export has no stray fields)."""
    for spec in (data.get("automation") or {}).values():
        for key in ("level", "ai_cost_per_task", "augmentation"):
            path = spec.get(key)
            if isinstance(path, dict) and path.get("shape") in PATH_FIELDS:
                spec[key] = {k: v for k, v in path.items() if k == "shape" or k in PATH_FIELDS[path["shape"]]}
    return data


def scenario_toml(sc: Scenario) -> str:
    """The scenario as a self-contained TOML file that `gigsim run` accepts (no `extends`)."""
    data = _clean_paths(sc.model_dump(mode="json", exclude_none=True))
    data.pop("extends", None)
    header = f"# {sc.name} — exported from the gigsim Explore page; run it with `gigsim run <this file>`.\n"
    return header + tomli_w.dumps(data)


# --------------------------------------------------------------------------- the URL


def to_query(base_name: str, base: Scenario, settings: dict[str, Any]) -> str:
    """The URL query of the page: the scenario's name and every setting that differs from it (JSON values)."""
    pairs = [("scenario", base_name)]
    pairs += [(k, json.dumps(settings[k], separators=(",", ":"))) for k in changed_keys(base, settings)]
    return urlencode(pairs)


def from_query(query: str | None) -> tuple[str | None, dict[str, Any]]:
    """(scenario name, raw settings) read from a URL query; values that are not JSON are left out."""
    name, values = None, {}
    for key, text in parse_qsl(query or "", keep_blank_values=True):
        if key == "scenario":
            name = text
            continue
        try:
            values[key] = json.loads(text)
        except ValueError:
            continue
    return name, values


def apply_query(base: Scenario, values: dict[str, Any]) -> dict[str, Any]:
    """The base's settings with those from a URL applied: only known keys, each of the type the page uses."""
    settings = initial_settings(base)
    for key, value in values.items():
        if key not in settings:
            continue
        kind = type(settings[key])
        if kind is bool and isinstance(value, bool) or kind is list and isinstance(value, list):
            settings[key] = value
        elif kind in (int, float) and isinstance(value, int | float) and not isinstance(value, bool):
            settings[key] = kind(value)
        elif kind is str and isinstance(value, str):
            settings[key] = value
    return settings


# --------------------------------------------------------------------------- A/B


def ab_variant(sc: Scenario, lever: str) -> tuple[Scenario, str]:
    """World B of an A/B run: `sc` with one policy lever switched (on if A has it off, off if on), same seed.

    The lever's parameters are A's (set them in the policy panel), so B differs from A by that switch alone.
    Returns (scenario, a short description of the change).
    """
    if lever not in AB_LEVERS:
        raise ScenarioError("A/B", "lever", f"unknown lever '{lever}' (levers: {', '.join(AB_LEVERS)})")
    spec = getattr(sc.policy, lever)
    if lever in LEVERS:
        param, label, *_ = LEVERS[lever]
        shown = f"{label.lower()} {getattr(spec, param):g}"
    else:
        shown = ", ".join(f"{f.replace('_', ' ')} {getattr(spec, f):g}" for f in enacted.own_numbers(lever)[:2])
    b = sc.with_overrides({"policy": {lever: {"enabled": not spec.enabled}}}, source="A/B")
    change = f"{lever.replace('_', ' ')} on ({shown})" if not spec.enabled else f"{lever.replace('_', ' ')} off"
    return b.model_copy(update={"extends": None}), change
