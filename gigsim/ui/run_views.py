"""What the Explore page shows of a running model: the live charts (A/B too), the inspector and the exports.

Each is a component drawn by gigsim.ui.runner.Runner on every frame (`tick`); they read the session under its
lock and never change the model.
"""

from __future__ import annotations

from collections.abc import Callable

import solara

from gigsim.scenario import Scenario
from gigsim.ui import charts
from gigsim.ui import settings as S
from gigsim.ui.session import ExploreSession
from gigsim.ui.tables import cell, html_table
from gigsim.ui.widgets import Histogram, LineChart, NetworkView


@solara.component
def ABCharts(a: ExploreSession, b: ExploreSession, lock, tick: int, change: str,
              ack: Callable[[str, dict], None]):
    """World A (as set) and world B (one lever switched, same seed) side by side, and B − A, live."""
    with lock:
        panels = charts.ab_panels(a, b)
    with solara.Card(f"A/B, same seed: B = A with {change}", classes=["gigsim-ab-card"]):
        with solara.Div(classes=["gigsim-wrap"]):
            for panel in panels:
                LineChart(title=panel["title"], lines=panel["lines"], chunk=panel["chunk"], xlabel=charts.X_TITLE,
                          ylabel=panel["ylabel"], floor=panel["floor"], ceil=panel["ceil"], xmax=panel["xmax"],
                          xmin=0, event_ack=lambda info, title=panel["title"]: ack(title, info))


@solara.component
def LiveCharts(session: ExploreSession, lock, tick: int, kind: solara.Reactive[str], ident: solara.Reactive[str],
                ack: Callable[[str, dict], None]):
    """Time series (sent as increments), the network picture and the earnings distribution of the running model."""
    with lock:
        generation = session.generation
        layout = solara.use_memo(lambda: charts.network_layout(session) if session.model else None, [generation])
        if session.model is None:
            solara.Warning("No model: fix the settings and press Reset.")
            return
        panels = charts.series_panels(session)
        colours = charts.network_colours(session)
        histogram = charts.earnings_histogram(session)
    selected = int(ident.value) if kind.value == "worker" and ident.value.strip().isdigit() else -1
    with solara.Div(classes=["gigsim-wrap"]):
        for panel in panels:
            LineChart(title=panel["title"], lines=panel["lines"], chunk=panel["chunk"], xlabel=charts.X_TITLE,
                      ylabel=panel["ylabel"], floor=panel["floor"], ceil=panel["ceil"], xmax=panel["xmax"], xmin=0,
                      event_ack=lambda info, title=panel["title"]: ack(title, info))
    with solara.Div(classes=["gigsim-wrap"]):
        def select(worker) -> None:
            kind.set("worker")
            ident.set(str(int(worker)))
        NetworkView(title=f"Worker network (sample of {len(layout['nodes'])}): status", nodes=layout["nodes"],
                    edges=layout["edges"], codes=colours["status"], legend=colours["status_legend"],
                    selected=selected, event_select=select)
        NetworkView(title="...and category", nodes=layout["nodes"], edges=layout["edges"],
                    codes=colours["category"], legend=colours["category_legend"], selected=selected,
                    event_select=select)
        Histogram(title="Net hourly earnings of active workers", edges=histogram["edges"],
                  counts=histogram["counts"], median=histogram["median"],
                  xlabel="currency per logged-in hour (30-day average)")


@solara.component
def Inspector(session: ExploreSession, lock, tick: int, kind: solara.Reactive[str], ident: solara.Reactive[str]):
    """Pick a worker (or click one in the network), a client or a platform; see its state and history."""
    with solara.Card("Inspect an agent"):
        if session.model is None:
            return
        with solara.Row():
            solara.Select("Kind", values=["worker", "client", "platform"], value=kind,
                          on_value=lambda v: (kind.set(v), ident.set(session.model.platform_names[0]
                                                                      if v == "platform" else "0")),
                          classes=["gigsim-inspect-kind"])
            if kind.value == "platform":
                solara.Select("Platform", values=session.model.platform_names, value=ident,
                              classes=["gigsim-inspect-platform"])
            else:
                solara.InputText("Id", value=ident, continuous_update=False, classes=["gigsim-inspect-id"])
        error = None
        with lock:
            try:
                state = session.inspect(kind.value, ident.value)
            except ValueError as exc:
                state, error = None, str(exc)
            # the history belongs to the agent inspected now (an id that failed leaves the previous one)
            history = list(session.inspect_history[-365:]) if state is not None else []
        if error:
            solara.Error(error, classes=["gigsim-inspect-error"])
        if state:
            html_table(["field", "value"], [[k, cell(v)] for k, v in state.items()], "gigsim-state")
        for panel in charts.inspect_panels(kind.value, ident.value, history):
            LineChart(title=panel["title"], days=panel["days"], lines=panel["lines"], ylabel=panel["ylabel"])
        if history:
            last = history[-8:]
            solara.Text("Recent days (newest first):")
            html_table(list(last[0].keys()), [[cell(v) for v in h.values()] for h in reversed(last)], "gigsim-history")
        elif state:
            solara.Text("History is recorded from now on, each day the model runs.")


@solara.component
def Exports(session: ExploreSession, scenario: Scenario | None):
    """Download the run's daily metrics and the scenario with the current settings."""
    with solara.Card("Export"):
        if session.model is None:
            return
        name = session.scenario.name
        solara.FileDownload(lambda: session.metrics_parquet(), filename=f"{name}_metrics.parquet",
                            label="Metrics (Parquet)")
        solara.FileDownload(lambda: session.metrics_csv(), filename=f"{name}_metrics.csv",
                            label="Metrics (CSV)", mime_type="text/csv")
        if scenario is not None:
            solara.FileDownload(lambda: S.scenario_toml(scenario).encode(), filename=f"{scenario.name}_ui.toml",
                                label="Scenario with these settings (TOML)", mime_type="text/plain")
            solara.Text("Run it with: gigsim run <file>.toml")
