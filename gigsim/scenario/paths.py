"""`TimePath`: a level over time (constant, linear, logistic or points), used by the automation tables."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from gigsim.scenario.base import Day, NonNegative, Positive, Strict
from gigsim.scenario.messages import FieldError as _FieldError


class TimePath(Strict):
    """A level over time (per day): constant, linear, logistic, or (day, level) points.

    - constant: `level` every day.
    - linear: `start_level` before `start`, `end_level` after `end`, linear between.
    - logistic: `start_level + (end_level - start_level) / (1 + exp(-steepness * (day - midpoint)))`.
    - points: piecewise-linear through `points = [[day, level], ...]`, flat outside.
    """

    shape: Literal["constant", "linear", "logistic", "points"] = "constant"
    level: NonNegative = 0.0
    start: Day = 0
    end: Day = 365
    start_level: NonNegative = 0.0
    end_level: NonNegative = 0.0
    midpoint: Day = 180
    steepness: Positive = 0.05
    points: list[tuple[Day, NonNegative]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_shape(self) -> TimePath:
        if self.shape == "linear" and self.end <= self.start:
            raise _FieldError("end", f"must be after start ({self.start}), got {self.end}")
        if self.shape == "points":
            if not self.points:
                raise _FieldError("points", "shape 'points' needs at least one (day, level) point")
            days = [d for d, _ in self.points]
            if days != sorted(days) or len(set(days)) != len(days):
                raise _FieldError("points", f"must have strictly increasing days, got days {days}")
        return self

    def max_level(self) -> float:
        """The highest level the path ever reaches."""
        if self.shape == "constant":
            return self.level
        if self.shape == "points":
            return max(level for _, level in self.points)
        return max(self.start_level, self.end_level)


def _share_path(path: TimePath, what: str) -> TimePath:
    """Refuse a path that is a share (0..1) but rises above 1; the error names the path's field."""
    if path.max_level() > 1.0:
        raise _FieldError(what, f"must stay between 0 and 1, but reaches {path.max_level():g}")
    return path
