"""The Explore page's levers: the scenario, its every shock and automation path, the policies, the platforms.

Each control shows and sets one key of the settings dict (gigsim.ui.settings). Shocks and automation
paths are shown as the scenario has them and edited field by field, so their shape never changes;
the scenario's description is shown under its name.
"""

from __future__ import annotations

import solara

from gigsim.scenario import Scenario
from gigsim.ui import enacted
from gigsim.ui import settings as S

PATH_RANGES = {"level": (0.0, 1.0, 0.01), "start_level": (0.0, 1.0, 0.01), "end_level": (0.0, 1.0, 0.01),
               "steepness": (0.005, 0.5, 0.005)}
"""(min, max, step) of the share and steepness fields of an automation path (days go from 0 to the horizon)."""

PATH_LABELS = {"level": "automatable share", "start_level": "share at the start", "end_level": "share at the end",
               "start": "ramp starts on day", "end": "ramp ends on day", "midpoint": "midpoint day",
               "steepness": "steepness (per day)"}


def moved(current: float, new: float, step: float) -> bool:
    """Whether a slider really moved: Vuetify snaps a value that is off its step grid on mount, which is no change."""
    return abs(float(new) - float(current)) >= step / 2 - 1e-9


def _shock_text(shock) -> str:
    cats = "all categories" if shock.categories == "all" else ", ".join(shock.categories)
    regions = f", regions {', '.join(map(str, shock.regions))}" if shock.regions else ""
    return f"{shock.name or 'shock'}: {shock.shape}, {cats}{regions}"


@solara.component
def Controls(base_name: str, base: Scenario, values: dict, set_value, choose_scenario, uploaded, refused,
             upload_error: str | None, settings_error: str | None, upload_component):
    """The levers, grouped: scenario, world, shocks, automation, policy, platforms."""
    names = S.shipped_scenarios()
    solara.Select("Scenario", values=names + ([base_name] if base_name not in names else []), value=base_name,
                  on_value=lambda n: n in names and choose_scenario(n), classes=["gigsim-scenario"])
    solara.Text(base.description or "", classes=["gigsim-description"], style={"font-size": "13px"})
    upload_component(max_bytes=S.MAX_UPLOAD_BYTES, event_file=uploaded, event_refused=refused)
    if upload_error:
        solara.Error(upload_error, classes=["gigsim-upload-error"])
    if settings_error:
        solara.Error(settings_error, classes=["gigsim-settings-error"])

    def slider_int(label, key, lo, hi, step=1):
        solara.SliderInt(f"{label}: {int(values[key]):,}", value=int(values[key]), min=lo, max=max(hi, int(values[key])),
                         step=step, on_value=lambda v: set_value(key, int(v)), thumb_label=True)

    def slider(label, key, lo, hi, step):
        solara.SliderFloat(f"{label}: {float(values[key]):g}", value=float(values[key]), min=lo,
                           max=max(hi, float(values[key])), step=step,
                           on_value=lambda v: moved(values[key], v, step) and set_value(key, round(float(v), 6)),
                           thumb_label=True)

    days = int(values["days"])
    with solara.Details("World", expand=True):
        slider_int("Workers", "workers", 500, 50_000, 500)
        slider_int("Days", "days", 30, 730, 5)
        solara.InputInt("Seed", value=int(values["seed"]), on_value=lambda v: set_value("seed", max(0, int(v or 0))))
        slider(f"Demand (× the scenario's level {base.demand.level:g})", "demand_factor", 0.2, 3.0, 0.05)
    _Shocks(base, values, set_value, slider, slider_int, days)
    _Automation(base, values, slider, slider_int, days)
    with solara.Details("Policy levers"):
        for lever, (_param, label, lo, hi, step) in S.LEVERS.items():
            solara.Switch(label=lever.replace("_", " "), value=bool(values[f"lever.{lever}.enabled"]),
                          on_value=lambda v, lever=lever: set_value(f"lever.{lever}.enabled", bool(v)))
            slider(label, f"lever.{lever}.value", lo, hi, step)
        _Enacted(base, values, set_value, slider, slider_int)
    with solara.Details("Platforms"):
        for p in base.active_platforms:
            slider(f"{p}: commission", f"commission.{p}", 0.0, 0.5, 0.01)
            solara.Select(f"{p}: matching rule", values=S.MATCHING_RULES, value=values[f"matching.{p}"],
                          on_value=lambda v, p=p: set_value(f"matching.{p}", v))
    with solara.Details("Name and description (for the exported file)"):
        solara.InputText("Name (empty: automatic)", value=values["name"], continuous_update=False,
                         on_value=lambda v: set_value("name", str(v or "").strip()))
        solara.InputTextArea("Description (empty: automatic)", value=values["description"], continuous_update=False,
                             on_value=lambda v: set_value("description", str(v or "").strip()))


ENACTED_TITLES = {"nyc_pay_standard": "NYC 2019 pay standard (per working hour, utilisation-adjusted)",
                  "seattle_pay_standard": "Seattle 2024 pay standard (per engaged minute and mile)",
                  "minimum_ask": "Platform minimum wage on asks (Horton's oDesk experiment)",
                  "retirement": "Retirement accounts (portable plan and employees' plans)",
                  "portable_ratings": "Portable ratings (a rating record follows the worker)",
                  "employment": "Employment (drivers as employees, planned from demand)"}
"""The page's title of each lever modelled as enacted (gigsim.scenario.levers)."""


def _Enacted(base: Scenario, values: dict, set_value, slider, slider_int) -> None:
    """The levers modelled as enacted: a switch each, and every other field of the lever (generated from its
    pydantic fields, gigsim.ui.enacted) in a panel under it."""
    solara.Text("Policies as enacted:", style={"font-weight": "bold", "margin-top": "12px"})
    for lever in enacted.ENACTED:
        controls = enacted.field_controls(lever, base)
        on = f"lever.{lever}.enabled"
        solara.Switch(label=ENACTED_TITLES.get(lever, lever.replace("_", " ")), value=bool(values[on]),
                      on_value=lambda v, on=on: set_value(on, bool(v)), classes=[f"gigsim-lever-{lever}"])
        with solara.Details(f"{lever.replace('_', ' ')}: parameters", expand=bool(values[on])):
            for c in controls:
                if c.field != "enabled":
                    _field_control(c, values, set_value, slider, slider_int)


def _field_control(c: enacted.FieldControl, values: dict, set_value, slider, slider_int) -> None:
    """One generated field control: a switch, an (int) slider, a select or a multiple select."""
    label = "starts on day" if c.field == "start" else c.label
    if c.kind == "bool":
        solara.Switch(label=label, value=bool(values[c.key]), on_value=lambda v: set_value(c.key, bool(v)))
    elif c.kind == "int":
        slider_int(label, c.key, int(c.lo), int(c.hi))
    elif c.kind == "float":
        slider(label, c.key, c.lo, c.hi, c.step)
    elif c.kind == "choice":
        solara.Select(label, values=list(c.options), value=values[c.key], on_value=lambda v: set_value(c.key, v))
    else:
        solara.SelectMultiple(label, values=list(values[c.key]), all_values=list(c.options),
                              on_value=lambda v: set_value(c.key, list(v)))


def _Shocks(base: Scenario, values: dict, set_value, slider, slider_int, days: int) -> None:
    """Every shock of the scenario (kept or dropped, its start, length and size), and a step shock to add."""
    with solara.Details(f"Demand shocks ({len(base.shocks)} in the scenario)", expand=bool(base.shocks)):
        for i, shock in enumerate(base.shocks):
            solara.Switch(label=_shock_text(shock), value=bool(values[f"shock.{i}.on"]),
                          on_value=lambda v, i=i: set_value(f"shock.{i}.on", bool(v)), classes=["gigsim-shock"])
            slider_int("starts on day", f"shock.{i}.start", 0, max(1, days - 1))
            if f"shock.{i}.length" in values:
                slider_int("lasts (days)", f"shock.{i}.length", 1, max(2, days))
            slider("size (× demand)", f"shock.{i}.size", 0.0, 3.0, 0.05)
        solara.Switch(label="Add a step shock", value=bool(values["new_shock.on"]),
                      on_value=lambda v: set_value("new_shock.on", bool(v)))
        if values["new_shock.on"]:
            slider_int("starts on day", "new_shock.start", 0, max(1, days - 1))
            slider_int("lasts (days)", "new_shock.length", 1, max(2, days))
            slider("size (× demand)", "new_shock.size", 0.0, 3.0, 0.05)
            solara.SelectMultiple("categories (none chosen: all)", values=list(values["new_shock.categories"]),
                                  all_values=base.active_categories,
                                  on_value=lambda v: set_value("new_shock.categories", list(v)))


def _Automation(base: Scenario, values: dict, slider, slider_int, days: int) -> None:
    """Each category's automation path, field by field in its own shape; a new linear ramp elsewhere."""
    paths = S.editable_paths(base)
    with solara.Details(f"Automation (AI): {len(paths)} path(s) in the scenario", expand=bool(paths)):
        for c, path in paths.items():
            solara.Text(f"{c}: {path.shape} path of the automatable share", classes=["gigsim-path"])
            for f in S.PATH_FIELDS[path.shape]:
                if f in S.DAY_FIELDS:
                    slider_int(f"{c}: {PATH_LABELS[f]}", f"path.{c}.{f}", 0, max(1, days))
                else:
                    lo, hi, step = PATH_RANGES[f]
                    slider(f"{c}: {PATH_LABELS[f]}", f"path.{c}.{f}", lo, hi, step)
        for c in base.active_categories:
            if c not in paths and c not in S.ramp_categories(base):
                solara.Text(f"{c}: a path given by points (edit it in the file)")
        ramps = S.ramp_categories(base)
        if ramps:
            solara.Text("New linear ramps (from 0 to the share set):")
            for c in ramps:
                slider(f"{c}: automatable share at the end", f"ramp.{c}", 0.0, 1.0, 0.05)
            slider_int("ramps start on day", "ramp_start", 0, max(1, days))
            slider_int("ramps reach the share on day", "ramp_end", 1, max(2, days))
