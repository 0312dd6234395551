"""Validation messages: pydantic's errors turned into one sentence naming the file and the dotted field.

Also the one `FieldError` every cross-field check raises (carrying the sub-field it blames) and the one
"did you mean" helper every unknown-name message uses.
"""

from __future__ import annotations

import difflib
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from gigsim.errors import ScenarioError


class FieldError(ValueError):
    """A cross-field check that fails because of one named sub-field (dotted, relative to the table)."""

    def __init__(self, field: str, problem: str):
        self.field = field
        super().__init__(problem)


_FieldError = FieldError  # the name the schema modules have always used


def did_you_mean(name: str, known, listing: str | None = "known") -> str:
    """' (did you mean 'x'?)' for the closest known name, else ' (<listing>: a, b, c)'; empty if nothing is
    known or `listing` is None. The one suggestion helper of every unknown-name message."""
    known = [str(k) for k in known]
    hint = difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
    if hint:
        return f" (did you mean '{hint[0]}'?)"
    return f" ({listing}: {', '.join(known)})" if known and listing else ""


class RefError(FieldError):
    """A cross-reference to a name that does not exist; carries the field path."""

    def __init__(self, field: str, name: str, known: list[str], problem: str | None = None):
        if problem is None:
            problem = f"'{name}' is not defined" + did_you_mean(name, known)
        super().__init__(field, problem)


def is_number(annotation: Any) -> bool:
    """Whether a field's type is a plain number (int or float, possibly optional or constrained)."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return len(args) == 1 and is_number(args[0])
    return annotation in (int, float)


def field_error_at(exc: ValidationError) -> tuple[str, FieldError] | None:
    """The first FieldError raised inside a validation, with its full dotted path; None if there is none."""
    for err in exc.errors(include_url=False):
        ctx_err = (err.get("ctx") or {}).get("error")
        if isinstance(ctx_err, FieldError):
            prefix = _dotted(tuple(err["loc"]))
            return (f"{prefix}.{ctx_err.field}" if prefix else ctx_err.field), ctx_err
    return None


def describe_validation_error(exc: ValidationError, root: type[BaseModel], source: str) -> ScenarioError:
    """Turn pydantic's errors into one ScenarioError whose message names field paths plainly."""
    messages: list[tuple[str, str]] = []
    # a misspelt key also makes the key it should have been "missing": lead with the misspelling,
    # whose message suggests the right name
    errors = sorted(exc.errors(include_url=False), key=lambda e: e["type"] != "extra_forbidden")
    for err in errors:
        err = {**err, "loc": _without_union_tags(root, tuple(err["loc"]))}
        field, message = _explain(err, root)
        same = next((i for i, (f, _) in enumerate(messages) if f == field), None)
        if same is None:
            messages.append((field, message))
        else:  # one value that fits none of a union's choices: say so once
            messages[same] = (field, _either(messages[same][1], message))
    field, message = messages[0]
    extra = "".join(f"\n  also {f or '(top level)'}: {m}" for f, m in messages[1:5])
    if len(messages) > 5:
        extra += f"\n  ... and {len(messages) - 5} more"
    return ScenarioError(source, field, message + extra)


def _without_union_tags(root: type[BaseModel], loc: tuple) -> tuple:
    """Pydantic names the member of a union it tried (`list[str]`, `literal['all']`) in the error's
    location; those are no fields, so they are dropped (only right after a field that is a union)."""
    out: list = []
    for part in loc:
        if isinstance(part, str) and out and _is_choice(_walk(root, tuple(out))[0]):
            continue
        out.append(part)
    return tuple(out)


def _is_choice(annotation: Any) -> bool:
    """Whether a type is a union of two or more kinds (None aside)."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) not in (Union, types.UnionType):
        return False
    return len([a for a in get_args(annotation) if a is not type(None)]) > 1


def _either(first: str, second: str) -> str:
    """Two complaints about one value ('must be a list, got x', 'must be one of ..., got x') as one."""
    head1, _, got1 = first.rpartition(", got ")
    head2, _, got2 = second.rpartition(", got ")
    if head1 and head2 and got1 == got2:
        return f"{head1} or {head2.removeprefix('must ')}, got {got1}"
    return f"{first}; or {second}"


def _dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _explain(err: dict, root: type[BaseModel]) -> tuple[str, str]:
    loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "value_error" and isinstance(ctx.get("error"), FieldError):
        ref = ctx["error"]
        prefix = _dotted(loc)
        return (f"{prefix}.{ref.field}" if prefix else ref.field), str(ref)
    field = _dotted(loc)
    if kind == "extra_forbidden":
        parent = _model_at(root, loc[:-1])
        known = list(parent.model_fields) if parent else []
        hint = did_you_mean(str(loc[-1]), known, None)
        if hint:
            return field, f"unknown key '{loc[-1]}'{hint}"
        return field, f"unknown key '{loc[-1]}'" + (f"; allowed keys: {', '.join(known)}" if known else "")
    if kind == "missing":
        return field, "is required but missing"
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        lo, hi = _bounds(root, loc)
        if lo is not None and hi is not None:
            return field, f"must be between {lo:g} and {hi:g}, got {value!r}"
        if "ge" in ctx:
            return field, f"must be at least {ctx['ge']}, got {value!r}"
        if "gt" in ctx:
            return field, f"must be greater than {ctx['gt']}, got {value!r}"
        if "le" in ctx:
            return field, f"must be at most {ctx['le']}, got {value!r}"
        return field, f"must be less than {ctx.get('lt')}, got {value!r}"
    if kind == "literal_error":
        return field, f"must be one of {ctx.get('expected')}, got {value!r}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return field, f"must be a whole number, got {value!r}"
    if kind == "finite_number":
        return field, f"must be a finite number, got {value!r}"
    if kind in {"float_type", "float_parsing"}:
        return field, f"must be a number, got {value!r}"
    if kind in {"bool_type", "bool_parsing"}:
        return field, f"must be true or false, got {value!r}"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return field, f"must be a table, got {value!r}"
    if kind in {"list_type", "tuple_type"}:
        return field, f"must be a list, got {value!r}"
    if kind in {"string_type"}:
        return field, f"must be a string, got {value!r}"
    if kind in {"too_short", "too_long"}:
        return field, err["msg"].lower().replace("list", "list") + f", got {value!r}"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return field, msg[:1].lower() + msg[1:]


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated/Optional to the type that matters for walking a field path."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None) and get_origin(a) is not Literal]
            annotation = args[0] if args else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def _walk(root: type[BaseModel], loc: tuple) -> Any:
    """The annotation (or field info) reached by following `loc` from `root`; None if lost."""
    current: Any = root
    info = None
    for part in loc:
        current = _unwrap(current)
        origin = get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if part not in current.model_fields:
                return None, None
            info = current.model_fields[part]
            current = info.annotation
        elif origin is dict:
            current = get_args(current)[1]
            info = None
        elif origin in (list, tuple):
            args = get_args(current)
            current = args[part] if origin is tuple and isinstance(part, int) and part < len(args) else args[0]
            info = None
        else:
            return None, None
    return current, info


def _model_at(root: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    current, _ = _walk(root, loc)
    current = _unwrap(current) if current is not None else None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _bounds(root: type[BaseModel], loc: tuple) -> tuple[float | None, float | None]:
    """The (lower, upper) bounds declared on the field at `loc`, where both are known."""
    annotation, info = _walk(root, loc)
    metadata = list(info.metadata) if info is not None else []
    for arg in get_args(annotation) if get_origin(annotation) is Annotated else ():
        if hasattr(arg, "metadata"):
            metadata.extend(arg.metadata)
        else:
            metadata.append(arg)
    if annotation is not None and get_origin(_strip_optional(annotation)) is Annotated:
        metadata.extend(get_args(_strip_optional(annotation))[1:])
    lo = hi = None
    for m in metadata:
        lo = getattr(m, "ge", None) if getattr(m, "ge", None) is not None else lo
        lo = getattr(m, "gt", None) if getattr(m, "gt", None) is not None else lo
        hi = getattr(m, "le", None) if getattr(m, "le", None) is not None else hi
        hi = getattr(m, "lt", None) if getattr(m, "lt", None) is not None else hi
    return lo, hi


def _strip_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation
