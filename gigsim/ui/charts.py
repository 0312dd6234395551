"""Chart data for the browser: plain lists the page's SVG components draw client-side.

The charts are small Vue components (gigsim/ui/vue/*.vue) that draw SVG in the
browser from these lists, so nothing is fetched from a CDN and a step sends
numbers, not images. The live panels receive increments: each update carries only
the days the browser does not have yet (`series_panels(session, since)`), so a
frame costs the same on day 5 and on day 365. Network nodes are sent as status
and category codes into a legend, not colour strings.
"""

from __future__ import annotations

import math

import numpy as np

from gigsim.ui.session import STATUS_LABELS, ExploreSession

STATUS_COLOURS = ["#1b9e77", "#a6d854", "#7570b3", "#d95f02", "#cccccc", "#e6ab02"]
"""Colours of STATUS_LABELS: active (a task today), idle, upskilling, left, not entered, paused."""
CATEGORY_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
NO_CATEGORY = "#cccccc"
LINE_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#e377c2"]

PANELS: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    ("Participation", "workers", "count", [("participants", "participants"), ("active_workers", "active")]),
    ("Net hourly earnings", "currency per hour", "count",
     [("median_net_hourly_earnings", "median"), ("p10_net_hourly_earnings", "p10")]),
    ("Fill rate", "share of tasks filled", "share", [("fill_rate", "fill rate")]),
    ("Tasks automated per day", "tasks per day", "count", [("tasks_automated", "automated")]),
    ("Platform market shares", "share of client payments", "share", []),  # share_<platform>, filled per model
    ("Financially fragile share", "share of active workers", "share", [("financially_fragile_share", "fragile")]),
    ("Gini of earnings", "Gini (0-1)", "share", [("gini_earnings", "Gini")]),
]
"""The live time-series panels: (title, y-axis title with units, kind, [(metrics column, legend label)]).
Kind 'count' is never drawn below 0; 'share' stays within 0..1."""

X_TITLE = "days run"
"""The live charts' x-axis: days run so far (a day's values are drawn at its end, so the last point sits at the
counter's day and the axis reaches the horizon)."""

LIMITS = {"count": (0.0, None), "share": (0.0, 1.0)}
"""(floor, ceil) of each kind of panel's y-axis."""


def clean(values) -> list[float | None]:
    """Floats for JSON: NaN and infinities become None (drawn as gaps)."""
    return [None if v is None or not math.isfinite(v) else float(v) for v in values]


def series_panels(session: ExploreSession, since: int | None = None) -> list[dict]:
    """One dict per panel: title, ylabel, floor, ceil, xmax, lines=[{name, color}] and a chunk of the days
    from index `since` on (default: the fewest days any live chart acknowledged holding):
    {key (the run's generation), offset, acked (what that chart acknowledged), days, values=[[...] per line]}."""
    s = session
    if since is None:
        since = min(s.acked.get(title, 0) for title, *_ in PANELS)
    since = min(since, len(s.series["day"]))
    days = [d + 1 for d in s.series["day"][since:]]
    panels = []
    for title, ylabel, kind, series in PANELS:
        if title.startswith("Platform"):
            series = [(f"share_{p}", p) for p in s.model.platform_names]
        lines = [{"name": label, "color": LINE_COLOURS[i % len(LINE_COLOURS)]} for i, (_, label) in enumerate(series)]
        chunk = {"key": s.generation, "offset": since, "acked": s.acked.get(title, 0), "days": days,
                 "values": [clean(s.series[name][since:]) for name, _ in series]}
        floor, ceil = LIMITS[kind]
        panels.append({"title": title, "ylabel": ylabel, "floor": floor, "ceil": ceil, "xmax": s.scenario.days,
                       "lines": lines, "chunk": chunk})
    return panels


def network_layout(session: ExploreSession) -> dict:
    """The sampled network's fixed geometry: nodes [[worker, x, y]] and edges [[x1, y1, x2, y2]] in 0..1."""
    net = session.network
    pos = net.positions
    lo, hi = pos.min(axis=0), pos.max(axis=0)
    unit = (pos - lo) / np.maximum(hi - lo, 1e-9)
    nodes = [[int(w), round(float(x), 4), round(float(y), 4)] for w, (x, y) in zip(net.nodes, unit, strict=True)]
    edges = [[*map(float, np.round(unit[a], 4)), *map(float, np.round(unit[b], 4))] for a, b in net.edges]
    return {"nodes": nodes, "edges": edges}


def network_colours(session: ExploreSession) -> dict:
    """Today's node codes by status and by category (indices into their legends), with the legends."""
    status = session.node_status()
    category = session.node_category()
    cats = session.model.category_names
    palette = [*(CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i in range(len(cats))), NO_CATEGORY]
    return {
        "status": status.astype(int).tolist(),
        "category": np.where(category >= 0, category, len(cats)).astype(int).tolist(),
        "status_legend": [[label, colour] for label, colour in zip(STATUS_LABELS, STATUS_COLOURS, strict=True)],
        "category_legend": [[c, palette[i]] for i, c in enumerate(cats)] + [["none", NO_CATEGORY]],
        "status_counts": {label: int((status == k).sum()) for k, label in enumerate(STATUS_LABELS)},
    }


def earnings_histogram(session: ExploreSession, bins: int = 30) -> dict:
    """Histogram of active workers' net hourly earnings (1st–99th percentile range), with the median."""
    values = session.net_hourly_earnings()
    values = values[np.isfinite(values)]
    if values.size == 0:
        return {"edges": [], "counts": [], "median": None}
    lo, hi = np.quantile(values, [0.01, 0.99])
    if hi <= lo:
        lo, hi = lo - 1.0, hi + 1.0
    counts, edges = np.histogram(np.clip(values, lo, hi), bins=bins, range=(lo, hi))
    return {"edges": edges.round(3).tolist(), "counts": counts.tolist(), "median": float(np.median(values))}


INSPECT_PANELS: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {
    "worker": [("net hourly earnings and hours offered", [("net_hourly_earnings", "net hourly"),
                                                     ("hours_offered", "hours offered")])],
    "client": [("tasks per day", [("tasks_posted", "posted"), ("tasks_filled", "filled"),
                                  ("tasks_automated", "automated")]),
               ("spent per day", [("spent", "spent on people")])],
    "platform": [("tasks and members", [("tasks_filled", "tasks filled"), ("members", "members")]),
                 ("money per day", [("client_payments", "client payments"), ("worker_pay", "worker pay"),
                                    ("platform_revenue", "revenue")])],
}
"""The inspected agent's history panels: (title, [(history field, legend label)]) per kind of agent."""

INSPECT_UNITS = {"net hourly earnings and hours offered": "currency per hour; hours", "tasks per day": "tasks",
                 "spent per day": "currency", "tasks and members": "tasks; workers", "money per day": "currency"}
"""The y-axis title of each inspection panel."""


def inspect_panels(kind: str, ident: str, history: list[dict]) -> list[dict]:
    """The inspected agent's history charts (title, days, lines), as `series_panels` returns them."""
    if not history:
        return []
    days = [h["day"] for h in history]
    panels = []
    for title, series in INSPECT_PANELS[kind]:
        lines = [{"name": label, "color": LINE_COLOURS[i % len(LINE_COLOURS)],
                  "values": clean([float("nan") if h[name] is None else h[name] for h in history])}
                 for i, (name, label) in enumerate(series)]
        panels.append({"title": f"{kind} {ident}: {title}", "days": days, "lines": lines,
                       "ylabel": INSPECT_UNITS[title]})
    return panels


AB_PANELS: list[tuple[str, str, str, str]] = [
    ("A and B: median net hourly earnings", "currency per hour", "count", "median_net_hourly_earnings"),
    ("A and B: p10 net hourly earnings", "currency per hour", "count", "p10_net_hourly_earnings"),
    ("A and B: participants", "workers", "count", "participants"),
    ("A and B: fill rate", "share of tasks filled", "share", "fill_rate"),
]
"""The A/B panels: (title, y-axis title, kind, metrics column); each draws world A and world B."""

AB_DIFFERENCE = ("B − A: net hourly earnings", "currency per hour",
                 [("median_net_hourly_earnings", "median"), ("p10_net_hourly_earnings", "p10")])
"""The difference panel: B minus A day by day (same seed, so the difference is the change's effect plus noise)."""


def ab_panels(a: ExploreSession, b: ExploreSession) -> list[dict]:
    """The A/B panels as `series_panels` returns them, from the days both worlds ran, in increments from the
    fewest days any A/B chart acknowledged (kept in `b.acked`). The legends say A and B only: the page names
    the change once, in the A/B card's title."""
    n = min(len(a.series["day"]), len(b.series["day"]))
    titles = [t for t, *_ in AB_PANELS] + [AB_DIFFERENCE[0]]
    since = min(min(b.acked.get(t, 0) for t in titles), n)
    days = [d + 1 for d in a.series["day"][since:n]]
    key = f"{a.generation}/{b.generation}"
    lines = [{"name": "A (as set)", "color": LINE_COLOURS[0]}, {"name": "B (switched)", "color": LINE_COLOURS[1]}]
    panels = []
    for title, ylabel, kind, column in AB_PANELS:
        values = [clean(a.series[column][since:n]), clean(b.series[column][since:n])]
        floor, ceil = LIMITS[kind]
        panels.append({"title": title, "ylabel": ylabel, "floor": floor, "ceil": ceil, "xmax": a.scenario.days,
                       "lines": lines, "chunk": {"key": key, "offset": since, "acked": b.acked.get(title, 0),
                                                 "days": days, "values": values}})
    title, ylabel, series = AB_DIFFERENCE
    diff = [clean([vb - va for va, vb in zip(a.series[c][since:n], b.series[c][since:n], strict=True)])
            for c, _ in series]
    panels.append({"title": title, "ylabel": ylabel, "floor": None, "ceil": None, "xmax": a.scenario.days,
                   "lines": [{"name": label, "color": LINE_COLOURS[i]} for i, (_, label) in enumerate(series)],
                   "chunk": {"key": key, "offset": since, "acked": b.acked.get(title, 0), "days": days,
                             "values": diff}})
    return panels
