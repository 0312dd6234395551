"""Windows of simulated days an experiment's outcomes are averaged over: "all", "last N days", "FROM:TO"."""

from __future__ import annotations

import re
from dataclasses import dataclass

WINDOW_LAST = re.compile(r"^\s*last\s+(\d+)\s+days?\s*$", re.IGNORECASE)
WINDOW_RANGE = re.compile(r"^\s*(\d+)\s*:\s*(\d+)\s*$")


@dataclass(frozen=True)
class Window:
    """A span of simulated days, `first <= day < end` (end None: to the last day)."""

    label: str
    first: int | None = None
    last_days: int | None = None
    end: int | None = None

    def bounds(self, days: int) -> tuple[int, int]:
        """(first day, end day exclusive) within a run of `days` days."""
        if self.last_days is not None:
            return max(0, days - self.last_days), days
        first = self.first or 0
        end = days if self.end is None else min(self.end, days)
        return first, end


def parse_window(text: str) -> Window:
    """Parse "all", "last N days" or "FROM:TO" (days FROM..TO-1). Raises ValueError."""
    if not isinstance(text, str):
        raise ValueError(f"a window must be a string like 'last 365 days' or '100:200', got {text!r}")
    if text.strip().lower() in ("all", "whole run"):
        return Window("all days")
    m = WINDOW_LAST.match(text)
    if m:
        n = int(m.group(1))
        if n < 1:
            raise ValueError(f"'{text}': the window needs at least one day")
        return Window(f"last {n} days", last_days=n)
    m = WINDOW_RANGE.match(text)
    if m:
        first, end = int(m.group(1)), int(m.group(2))
        if end <= first:
            raise ValueError(f"'{text}': TO ({end}) must be after FROM ({first})")
        return Window(f"days {first}-{end - 1}", first=first, end=end)
    raise ValueError(f"'{text}' is not a window; use 'all', 'last N days' or 'FROM:TO' (days FROM..TO-1)")
