"""`[[shocks]]` and `[automation]`: demand shocks and AI in a category over time."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from gigsim.scenario.base import Day, Strict
from gigsim.scenario.messages import FieldError as _FieldError
from gigsim.scenario.paths import TimePath, _share_path


class ShockSpec(Strict):
    """A demand shock: multiplies demand by `size` in the hit categories and regions.

    Shapes: `step` (size from start to end), `ramp` (linear from 1 to size over
    `ramp_days`, held to the end), `decay` (jumps to size, recovers toward 1 with
    `half_life_days`, until the end if one is given).
    """

    name: str = ""
    start: Day
    duration: Annotated[int, Field(ge=1, le=100_000)] | None = None
    end: Day | None = None
    categories: list[str] | Literal["all"] = "all"
    regions: list[Annotated[int, Field(ge=0)]] | None = None
    size: Annotated[float, Field(ge=0, le=20)]
    shape: Literal["step", "ramp", "decay"] = "step"
    ramp_days: Annotated[int, Field(ge=1, le=100_000)] = 30
    half_life_days: Annotated[float, Field(gt=0, le=100_000)] = 90.0

    @model_validator(mode="after")
    def _check_window(self) -> ShockSpec:
        if self.duration is not None and self.end is not None:
            raise _FieldError("end", "give either duration or end, not both")
        if self.end is not None and self.end <= self.start:
            raise _FieldError("end", f"a shock must end after it starts (start = {self.start}), got {self.end}")
        if self.shape != "decay" and self.duration is None and self.end is None:
            raise _FieldError("duration", f"a '{self.shape}' shock needs a duration or an end")
        return self

    @property
    def end_day(self) -> int | None:
        """First day after the shock (None: it never ends)."""
        if self.end is not None:
            return self.end
        if self.duration is not None:
            return self.start + self.duration
        return None


class AutomationSpec(Strict):
    """AI in one category: its exposure (share of tasks it can technically do), cost, quality, augmentation.

    Take-up is not set here: a client uses AI for an exposed task when AI's cost plus its quality gap is
    below the human price (docs/model.md 7.3, gigsim/model/automation.py).
    """

    level: TimePath = Field(default_factory=TimePath)
    """Exposure: the share of the category's tasks AI can technically do (capped by automation_ceiling)."""
    ai_cost_per_task: TimePath | None = None
    """AI's cost per task to the client (currency; unset: the category's constant ai_cost_per_task)."""
    quality: TimePath | None = None
    """AI's quality in the workers' skill units (0..1; unset: the expected human quality, no quality gap)."""
    augmentation: TimePath = Field(default_factory=TimePath)
    augmentation_gain: Annotated[float, Field(ge=0, le=10)] = 0.5

    @model_validator(mode="after")
    def _levels_are_shares(self) -> AutomationSpec:
        _share_path(self.level, "level")
        _share_path(self.augmentation, "augmentation")
        if self.quality is not None:
            _share_path(self.quality, "quality")
        return self
