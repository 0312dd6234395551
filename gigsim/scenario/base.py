"""The base of every scenario table: `Strict` (unknown keys refused, booleans refused where a number belongs, finite
numbers of bounded size), the number types shared by the tables, and `Lever`, the base of every policy lever.
"""

from __future__ import annotations

from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gigsim.scenario.messages import FieldError as _FieldError
from gigsim.scenario.messages import _bounds, _strip_optional
from gigsim.scenario.messages import is_number as _is_number

Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]
Day = Annotated[int, Field(ge=0, le=100_000)]


class Strict(BaseModel):
    """Base for every table: unknown keys are errors, values are checked on assignment, numbers are finite."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _no_booleans_for_numbers(cls, data: Any) -> Any:
        """Refuse `true`/`false` where a number belongs (pydantic would read them as 1 and 0)."""
        if not isinstance(data, dict):
            return data
        for key, value in data.items():
            if key not in cls.model_fields:
                continue
            annotation = cls.model_fields[key].annotation
            if isinstance(value, bool) and _is_number(annotation):
                raise _FieldError(str(key), f"must be a number, got {str(value).lower()}")
            container = _strip_optional(annotation)  # e.g. `list[int] | None`
            if isinstance(value, list | tuple) and get_origin(container) in (list, tuple):
                if all(_is_number(arg) for arg in get_args(container) if arg is not Ellipsis):
                    for i, item in enumerate(value):
                        if isinstance(item, bool):
                            raise _FieldError(f"{key}[{i}]", f"must be a number, got {str(item).lower()}")
            hi = _bounds(cls, (key,))[1]
            huge = _first_huge(value, str(key)) if hi is None or hi <= MAX_MAGNITUDE else None
            if huge is not None:
                raise _FieldError(huge, f"must be at most {MAX_MAGNITUDE:g} in size, got {_get(value, huge):g} "
                                        "(larger numbers overflow the model's money and hour columns)")
        return data


MAX_MAGNITUDE = 1e9
"""The largest size of a number whose field has no upper bound of its own (money, hours, rates, weights).

Measured: 1e300 in any money or hours field overflows the model's 32-bit columns (NaN outputs, overflow
warnings); 1e9 in every such field, one at a time, runs cleanly (issue 17)."""


def _first_huge(value: Any, where: str) -> str | None:
    """The path (`key`, `key[i]`, `key[i][j]`) of the first number in `value` larger than MAX_MAGNITUDE in size."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return where if abs(value) > MAX_MAGNITUDE else None
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            found = _first_huge(item, f"{where}[{i}]")
            if found is not None:
                return found
    return None


def _get(value: Any, path: str) -> float:
    """The number at `key[i][j]` inside `value` (the key itself is `value`)."""
    for index in path.split("[")[1:]:
        value = value[int(index.rstrip("]"))]
    return float(value)


class Lever(Strict):
    enabled: bool = False
    start: Day = 0

