"""The Explore page's levers: read from a scenario, turned back into a scenario, exported as TOML.

Settings are a flat dict of plain values (what the sliders and switches show).
`initial_settings(scenario)` reads them from a scenario; `build_scenario(base,
settings)` applies only the settings that differ from the base's own values
(`Scenario.with_overrides`), so everything the page does not show is kept as the
file had it. Uploaded files are parsed as TOML only (never executed), capped in
size, and validated with the same clear errors as `gigsim validate`.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from gigsim.errors import ScenarioError
from gigsim.model import vocabulary
from gigsim.scenario import Scenario, TimePath, deep_merge, load_raw, load_scenario, validate_scenario

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
    """Validate an uploaded scenario file (TOML only; `extends` may name a shipped scenario)."""
    source = Path(name).name or "upload.toml"
    if len(data) > MAX_UPLOAD_BYTES:
        raise ScenarioError(source, "", f"file is {len(data):,} bytes; the upload limit is {MAX_UPLOAD_BYTES:,}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(source, "", f"is not UTF-8 text (bad byte at position {exc.start})") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(source, "", f"is not valid TOML: {exc}") from None
    parent = raw.pop("extends", None)
    if parent is not None:
        stem = parent.removesuffix(".toml") if isinstance(parent, str) else None
        if stem not in shipped_scenarios():
            raise ScenarioError(source, "extends", f"an uploaded file can only extend a shipped scenario "
                                                   f"({', '.join(shipped_scenarios())}), got {parent!r}")
        base = load_raw(scenarios_dir() / f"{stem}.toml")
        base.pop("extends", None)
        raw = deep_merge(base, raw)
    return validate_scenario(raw, source)


# --------------------------------------------------------------------------- settings


def _automation_of(sc: Scenario, category: str) -> tuple[float, int, int]:
    """(target level, ramp start day, ramp end day) the page shows for a category's automation path."""
    spec = sc.automation.get(category)
    if spec is None:
        return 0.0, 0, sc.days
    path = spec.level
    if path.shape == "linear":
        return path.end_level, path.start, path.end
    if path.shape == "logistic":
        return path.end_level, max(0, path.midpoint - 30), path.midpoint + 30
    return path.max_level(), 0, sc.days


def initial_settings(sc: Scenario) -> dict[str, Any]:
    """The values every control starts from, read from the scenario."""
    s: dict[str, Any] = {
        "workers": sc.population.workers, "seed": sc.seed, "days": sc.days, "demand_level": sc.demand.level,
        "shock_enabled": False, "shock_start": min(90, sc.days - 1), "shock_size": 0.6, "shock_duration": 60,
        "shock_categories": [],
    }
    ramps = [_automation_of(sc, c) for c in sc.active_categories]
    starts = [r[1] for c, r in zip(sc.active_categories, ramps, strict=True) if c in sc.automation]
    ends = [r[2] for c, r in zip(sc.active_categories, ramps, strict=True) if c in sc.automation]
    s["automation_start"] = starts[0] if starts else 0
    s["automation_end"] = ends[0] if ends else sc.days
    for c, (level, _, _) in zip(sc.active_categories, ramps, strict=True):
        s[f"automation.{c}"] = round(float(level), 4)
    for lever, (param, *_rest) in LEVERS.items():
        spec = getattr(sc.policy, lever)
        s[f"lever.{lever}.enabled"] = spec.enabled
        s[f"lever.{lever}.value"] = float(getattr(spec, param))
    for p in sc.active_platforms:
        s[f"commission.{p}"] = sc.platforms[p].commission
        s[f"matching.{p}"] = sc.platforms[p].matching
    return s


def overrides_for(base: Scenario, settings: dict[str, Any]) -> dict[str, Any]:
    """The nested overrides (for `Scenario.with_overrides`) of the settings that differ from the base's."""
    start = initial_settings(base)
    changed = {k for k, v in settings.items() if start.get(k) != v}
    out: dict[str, Any] = {}
    if "seed" in changed:
        out["seed"] = int(settings["seed"])
    if "days" in changed:
        out["days"] = int(settings["days"])
    if "demand_level" in changed:
        out["demand"] = {"level": float(settings["demand_level"])}
    if settings.get("shock_enabled"):
        cats = list(settings.get("shock_categories") or []) or "all"
        shock = {"name": "ui shock", "start": int(settings["shock_start"]), "size": float(settings["shock_size"]),
                 "duration": int(settings["shock_duration"]), "categories": cats, "shape": "step"}
        out["shocks"] = [s.model_dump(exclude_none=True) for s in base.shocks] + [shock]
    ramp_changed = bool({"automation_start", "automation_end"} & changed)
    for c in base.active_categories:
        key = f"automation.{c}"
        if key not in changed and not (ramp_changed and settings[key] > 0):
            continue
        level = float(settings[key])
        begin, end = int(settings["automation_start"]), int(settings["automation_end"])
        path = TimePath(shape="linear", start=begin, end=max(end, begin + 1), start_level=0.0, end_level=level)
        out.setdefault("automation", {})[c] = {"level": path.model_dump()}
    for lever, (param, *_rest) in LEVERS.items():
        table = {}
        if f"lever.{lever}.enabled" in changed:
            table["enabled"] = bool(settings[f"lever.{lever}.enabled"])
        if f"lever.{lever}.value" in changed:
            table[param] = float(settings[f"lever.{lever}.value"])
        if table:
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


def build_scenario(base: Scenario, settings: dict[str, Any]) -> Scenario:
    """The scenario the page's settings describe: the base, rescaled, with the changed levers applied.

    Raises ScenarioError (source "settings") when a combination is invalid.
    """
    sc = base
    if int(settings["workers"]) != base.population.workers:
        sc = sc.rescaled(int(settings["workers"]))
    overrides = overrides_for(base, settings)
    sc = sc.with_overrides(overrides, source="settings") if overrides else sc
    return sc.model_copy(update={"extends": None})  # already merged: the result stands on its own


def scenario_toml(sc: Scenario) -> str:
    """The scenario as a self-contained TOML file that `gigsim run` accepts (no `extends`)."""
    data = sc.model_dump(mode="json", exclude_none=True)
    data.pop("extends", None)
    header = f"# {sc.name} — exported from the gigsim Explore page; run it with `gigsim run <this file>`.\n"
    return header + tomli_w.dumps(data)
