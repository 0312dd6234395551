"""The published sources the scorecard and the replication episodes cite, each with where it was read.

The sources are data (data/sources.toml, one table each); this module makes each a `Source` named as the
table's key upper-cased (e.g. `HALL_KRUEGER_2018`). The numbers are quoted in gigsim.analysis.scorecard and
gigsim.analysis.replicate; every one was read in the text at `url` (third-party copies are noted in `note`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Source:
    author: str
    year: int
    title: str
    url: str
    note: str = ""

    def cite(self) -> str:
        return f"{self.author} ({self.year}), {self.title}"

    def short(self) -> str:
        return f"{self.author} {self.year}"


SOURCES: dict[str, Source] = {
    key.upper(): Source(**fields)
    for key, fields in tomllib.loads((Path(__file__).parent / "data" / "sources.toml").read_text("utf-8")).items()}
"""Every source by name."""

globals().update(SOURCES)
