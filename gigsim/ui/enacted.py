"""The Explore page's controls for the policy levers modelled as enacted (gigsim.scenario.levers).

The controls are generated from each lever's pydantic fields, so a field added to a lever shows up on the
page, in the URL and in the export without code here. Each field is one setting `lever.<lever>.<field>`:
a switch for a bool, a slider for a number (its range read from the field's bounds), a select for a
Literal, a multiple select for a list. A field without an upper bound gets a slider to a round number
above four times its default (set by hand: the page's range, not the model's; the TOML takes any value).
"""

from __future__ import annotations

import math
import typing
from dataclasses import dataclass
from typing import Any, Literal

from annotated_types import Ge, Gt, Le, Lt

from gigsim.scenario import Scenario
from gigsim.scenario.schema import Lever, PolicySpec

ENACTED = ("nyc_pay_standard", "seattle_pay_standard", "minimum_ask", "retirement", "portable_ratings",
           "employment")
"""The levers of gigsim.scenario.levers, in the order the page shows them."""

ALL = "all"
"""The option of a 'list or "all"' field (employment's platforms) that stands for every platform."""

STEPS_PER_SLIDER = 200
"""A slider's step is the round number at or below its range / 200 (fine enough for every published rate)."""


@dataclass(frozen=True)
class FieldControl:
    """One field of a lever as the page shows it: kind is bool, int, float, choice or choices."""

    lever: str
    field: str
    kind: str
    lo: float = 0.0
    hi: float = 1.0
    step: float = 1.0
    options: tuple[str, ...] = ()
    or_all: bool = False

    @property
    def key(self) -> str:
        return f"lever.{self.lever}.{self.field}"

    @property
    def label(self) -> str:
        return self.field.replace("_", " ")


def _round_up(x: float) -> float:
    """The smallest of 1, 2, 5 × a power of ten at or above x (x > 0)."""
    power = 10.0 ** math.floor(math.log10(x))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= x * (1 - 1e-12))


def _round_down(x: float) -> float:
    """The largest of 1, 2, 5 × a power of ten at or below x (x > 0)."""
    power = 10.0 ** math.floor(math.log10(x))
    return next(m * power for m in (5, 2, 1) if m * power <= x * (1 + 1e-12))


def _bounds(metadata: list) -> tuple[float | None, float | None, bool, bool]:
    """(lower, upper, lower excluded, upper excluded) of a number field, from its annotated_types metadata."""
    lo = hi = None
    lo_open = hi_open = False
    for m in metadata:
        if isinstance(m, Ge):
            lo = m.ge
        elif isinstance(m, Gt):
            lo, lo_open = m.gt, True
        elif isinstance(m, Le):
            hi = m.le
        elif isinstance(m, Lt):
            hi, hi_open = m.lt, True
    return lo, hi, lo_open, hi_open


def _number(lever: str, name: str, info, days: int) -> FieldControl:
    """A slider's range from the field's bounds (days: 0 to the horizon); open bounds are a step inside."""
    if info.annotation is int:
        return FieldControl(lever, name, "int", 0, max(1, days), 1)
    lo, hi, lo_open, hi_open = _bounds(info.metadata)
    lo = 0.0 if lo is None else float(lo)
    if hi is None:
        hi = _round_up(max(4 * abs(float(info.default)), 1.0) + max(lo, 0.0))
    step = _round_down((float(hi) - lo) / STEPS_PER_SLIDER)
    return FieldControl(lever, name, "float", lo + step * lo_open, float(hi) - step * hi_open, step)


def _choices(annotation) -> tuple[tuple[str, ...], bool]:
    """The options of a Literal, a list of Literals or a 'list[str] | Literal["all"]' (empty: the scenario's)."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is Literal:
        return tuple(args), False
    if typing.get_origin(annotation) is list:
        inner = args[0]
        return (tuple(typing.get_args(inner)) if typing.get_origin(inner) is Literal else ()), False
    return (), True  # list[str] | Literal["all"]


def field_controls(lever: str, sc: Scenario) -> list[FieldControl]:
    """The controls of one lever's fields: 'enabled' and 'start', the lever's own fields, then those it shares
    with other levers (a pay standard's responses). Lists of categories and platforms offer the scenario's
    active ones (and any the lever already names)."""
    cls: type[Lever] = PolicySpec.model_fields[lever].annotation
    spec = getattr(sc.policy, lever)
    own = own_fields(lever)
    order = sorted(cls.model_fields, key=lambda n: 0 if n in Lever.model_fields else 1 if n in own else 2)
    out = []
    for name, info in ((n, cls.model_fields[n]) for n in order):
        ann = info.annotation
        if ann is bool:
            out.append(FieldControl(lever, name, "bool"))
        elif ann in (int, float):
            out.append(_number(lever, name, info, sc.days))
        else:
            options, or_all = _choices(ann)
            single = typing.get_origin(ann) is Literal
            if not options:
                own = sc.active_platforms if name == "platforms" else sc.active_categories
                value = getattr(spec, name)
                extra = [v for v in (value if isinstance(value, list) else []) if v not in own]
                options = ((ALL,) if or_all else ()) + tuple(own) + tuple(extra)
            out.append(FieldControl(lever, name, "choice" if single else "choices", options=options, or_all=or_all))
    return out


def _setting(value: Any) -> Any:
    """A lever field's value as a setting: lists copied, 'all' as the one-item list ['all']."""
    if isinstance(value, list):
        return list(value)
    return [ALL] if value == ALL else value


def initial_settings(sc: Scenario) -> dict[str, Any]:
    """`lever.<lever>.<field>` for every field of every enacted lever, read from the scenario."""
    return {c.key: _setting(getattr(getattr(sc.policy, c.lever), c.field))
            for lever in ENACTED for c in field_controls(lever, sc)}


def _value(control: FieldControl, value: Any) -> Any:
    """A setting back as the lever's field value (a list holding 'all' is 'all')."""
    if control.kind == "bool":
        return bool(value)
    if control.kind == "int":
        return int(value)
    if control.kind == "float":
        return float(value)
    if control.kind == "choices":
        return ALL if control.or_all and ALL in value else list(value)
    return value


def overrides(base: Scenario, settings: dict[str, Any], changed: set[str]) -> dict[str, dict]:
    """{lever: {field: value}} of the enacted levers' changed settings (for `Scenario.with_overrides`)."""
    out: dict[str, dict] = {}
    for lever in ENACTED:
        table = {c.field: _value(c, settings[c.key]) for c in field_controls(lever, base) if c.key in changed}
        if table:
            out[lever] = table
    return out


def own_fields(lever: str) -> list[str]:
    """The fields a lever declares itself (not those of Lever or PayStandardLever), in order."""
    cls = PolicySpec.model_fields[lever].annotation
    inherited = set().union(*(getattr(b, "model_fields", {}) for b in cls.__mro__[1:]))
    return [n for n in cls.model_fields if n not in inherited]


def own_numbers(lever: str) -> list[str]:
    """The number fields a lever declares itself, in order (what an A/B run's description quotes)."""
    fields = PolicySpec.model_fields[lever].annotation.model_fields
    return [n for n in own_fields(lever) if fields[n].annotation in (int, float)]
