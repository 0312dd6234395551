"""The page's own browser widgets: small Vue components (gigsim/ui/vue/*.vue) that draw SVG client-side.

Nothing is fetched from a CDN; Python sends plain lists (see gigsim.ui.charts for what each gets).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import solara

VUE = Path(__file__).parent / "vue"



@solara.component_vue(str(VUE / "linechart.vue"))
def LineChart(title: str, lines: list, days: list | None = None, chunk: dict | None = None, xlabel: str = "day",
              ylabel: str = "", floor: float | None = None, ceil: float | None = None, xmax: float | None = None,
              xmin: float | None = None, event_ack: Callable[[dict], None] | None = None):
    """A line chart drawn in the browser: whole series (days, lines=[{name, color, values, lo?, hi?}]) or
    increments (lines=[{name, color}], chunk={key, offset, days, values}); see linechart.vue."""


@solara.component_vue(str(VUE / "network.vue"))
def NetworkView(title: str, nodes: list, edges: list, codes: list, legend: list, selected: int = -1,
                event_select: Callable[[int], None] | None = None):
    """The sampled worker network, coloured by `codes` into `legend`; clicking a node (or Enter on the focused
    one) calls `select(worker id)`."""


@solara.component_vue(str(VUE / "histogram.vue"))
def Histogram(title: str, edges: list, counts: list, median: float | None = None, xlabel: str = ""):
    """A histogram drawn in the browser."""


@solara.component_vue(str(VUE / "upload.vue"))
def ScenarioUpload(max_bytes: int, event_file: Callable[[dict], None], event_refused: Callable[[dict], None]):
    """A file picker that refuses files over `max_bytes` before reading them."""
