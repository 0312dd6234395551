"""The gigsim browser app (Solara): an Explore page to run a world live, a Compare page for experiments.

Start it with `gigsim ui` (see gigsim/ui/server.py). Every piece of state lives
inside the components (solara.use_reactive / use_memo), so each browser session
has its own model, settings and opened experiment; there are no module-level
mutable globals. Both pages stay mounted in the layout (the tab shown is the
route's), so switching tabs keeps the run, the settings and the opened experiment;
each page's settings also live in the URL's query, so a reload or a shared link
restores them. Controls follow Mesa's SolaraViz conventions: Reset / Play / Step, a
play interval (ms between frames) and a render interval (days per frame). The
run's controls and charts are a component of their own (`_Runner`), so a played
frame re-renders them only, never the settings panel.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable
from pathlib import Path

import solara

from gigsim.errors import GigsimError
from gigsim.scenario import Scenario
from gigsim.ui import charts
from gigsim.ui import settings as S
from gigsim.ui.compare_page import Compare
from gigsim.ui.controls import Controls
from gigsim.ui.session import ExploreSession
from gigsim.ui.tables import cell, html_table
from gigsim.ui.widgets import Histogram, LineChart, NetworkView, ScenarioUpload

# --------------------------------------------------------------------------- explore


CSS = """
.gigsim-main { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.gigsim-controls { flex: 1 1 300px; max-width: 100%; max-height: calc(100vh - 110px); overflow-y: auto; }
.gigsim-stage { flex: 3 1 560px; min-width: 0; max-width: 100%; }
.gigsim-wrap { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-start; }
.gigsim-wrap > * { flex: 1 1 300px; min-width: 0; max-width: 360px; }
.gigsim-titlebar { flex-wrap: wrap; row-gap: 0; }
.gigsim-stage .v-btn { max-width: 100%; height: auto !important; min-height: 36px; }
.gigsim-stage .v-btn__content { white-space: normal; flex-shrink: 1; }
@media (max-width: 700px) {
  .gigsim-controls { max-height: none; }
  .gigsim-subtitle { display: none; }
  .gigsim-wrap > * { max-width: 100%; }
}
"""
"""The page's layout rules: columns that stack below 700 px, charts that shrink to the screen."""


def _default_scenario_name() -> str:
    names = S.shipped_scenarios()
    return "baseline" if "baseline" in names else (names[0] if names else "")


def _start(query: str) -> tuple[str, Scenario, dict, str | None]:
    """(scenario name, base scenario, settings, note) from the page's URL query (the default scenario if none)."""
    name, values = S.from_query(query)
    note = None
    if name and name not in S.shipped_scenarios():
        note, name = f"the link names a scenario that is not shipped ('{name}'); showing the default", None
    name = name or _default_scenario_name()
    base = S.load_shipped(name) if name else Scenario(name="default")
    return name, base, S.apply_query(base, values), note


@solara.component
def Explore(query: str = "", on_query: Callable[[str], None] | None = None):
    """The Explore page: levers on the left, the run (controls, live charts, network, inspection, exports) right.

    `query` is the URL query the page was opened with (its settings); `on_query` gets the new query whenever
    the settings change.
    """
    first_name, first_base, first_values, first_note = solara.use_memo(lambda: _start(query), [])
    session: ExploreSession = solara.use_memo(ExploreSession, [])
    lock = solara.use_memo(threading.RLock, [])
    base_name = solara.use_reactive(first_name)
    base = solara.use_reactive(first_base)
    values = solara.use_reactive(first_values)
    applied = solara.use_reactive(dict(first_values))  # the settings the running model was built with
    upload_error = solara.use_reactive(first_note)

    # the scenario the current settings describe (validated on every change; errors shown, never raised)
    scenario, settings_error = solara.use_memo(lambda: _try_build(base.value, values.value),
                                               [base.value, values.value])

    def publish() -> None:
        if on_query is not None and not base_name.value.startswith("uploaded"):
            on_query(S.to_query(base_name.value, base.value, values.value))

    solara.use_effect(publish, [base_name.value, values.value])

    def set_value(key: str, value) -> None:
        values.set({**values.value, key: value})

    def start_from(label: str, sc) -> None:
        """Make `sc` the base scenario: settings from it, a fresh model, play stopped."""
        upload_error.set(None)
        base_name.set(label)
        base.set(sc)
        values.set(S.initial_settings(sc))
        with lock:
            session.reset(sc.model_copy(update={"extends": None}))
        applied.set(S.initial_settings(sc))

    def choose_scenario(name: str) -> None:
        try:
            sc = S.load_shipped(name)
        except GigsimError as exc:
            upload_error.set(str(exc))
            return
        start_from(name, sc)

    def uploaded(info: dict) -> None:
        name = str(info.get("name", "upload.toml"))
        try:
            data = base64.b64decode(str(info.get("data", "")), validate=True)
            sc = S.parse_upload(name, data)
        except GigsimError as exc:
            upload_error.set(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - any unreadable upload is reported plainly, never a traceback
            upload_error.set(f"{Path(name).name}: could not be read ({type(exc).__name__})")
            return
        start_from(f"uploaded: {Path(name).name}", sc)

    def refused(info: dict) -> None:
        upload_error.set(f"{Path(str(info.get('name', 'upload'))).name}: file is {int(info.get('size', 0)):,} bytes; "
                         f"the upload limit is {S.MAX_UPLOAD_BYTES:,}")

    with solara.Div(classes=["gigsim-main"]):
        with solara.Div(classes=["gigsim-controls"]):
            Controls(base_name.value, base.value, values.value, set_value, choose_scenario, uploaded, refused,
                     upload_error.value, settings_error, ScenarioUpload)
        with solara.Div(classes=["gigsim-stage"]):
            _Runner(session, lock, scenario, values.value != applied.value,
                    lambda: applied.set(dict(values.value)))


def _try_build(base: Scenario, values: dict) -> tuple[Scenario | None, str | None]:
    try:
        return S.build_scenario(base, values), None
    except GigsimError as exc:
        return None, str(exc)


@solara.component
def _Runner(session: ExploreSession, lock, scenario: Scenario | None, pending: bool, on_reset: Callable[[], None]):
    """Reset / Play / Step, the day counter, the live charts, the inspector and the exports.

    The play loop runs in a thread: each frame steps the model `render_interval` days under the session's lock,
    then bumps `tick`, which re-renders this component only. The frame's pause is the play interval minus the
    frame's own time, so the days per second follow the controls while the model keeps up.
    """
    tick = solara.use_reactive(0)
    playing = solara.use_reactive(False)
    play_interval = solara.use_reactive(100)
    render_interval = solara.use_reactive(1)
    inspect_kind = solara.use_reactive("worker")
    inspect_id = solara.use_reactive("0")
    ab_on = solara.use_reactive(False)
    ab_lever = solara.use_reactive(S.AB_LEVERS[0])
    session_b: ExploreSession = solara.use_memo(ExploreSession, [])
    ab_change = solara.use_reactive("")
    ab_error = solara.use_reactive("")

    if session.model is None and scenario is not None:
        with lock:
            session.reset(scenario)

    def reset_b(on: bool, lever: str) -> None:
        """World B from the scenario A runs, one lever switched, same seed; or no B."""
        ab_error.set("")
        try:
            b, change = S.ab_variant(session.scenario, lever) if on and session.scenario is not None else (None, "")
        except GigsimError as exc:  # e.g. a pay standard on a category this world does not have
            b, change = None, ""
            ab_error.set(f"World B cannot be built: {exc}")
        if b is None:
            session_b.model = None
            return
        session_b.reset(b)
        ab_change.set(change)

    def reset() -> None:
        playing.set(False)
        if scenario is None:
            return
        with lock:
            session.reset(scenario)
            reset_b(ab_on.value, ab_lever.value)
        on_reset()
        tick.set(tick.value + 1)

    def set_ab(on: bool, lever: str) -> None:
        """Start (or stop) an A/B run: both worlds restart from day 0 with the settings A runs."""
        playing.set(False)
        ab_on.set(on)
        ab_lever.set(lever)
        with lock:
            if on and session.scenario is not None:
                session.reset(session.scenario)
            reset_b(on, lever)
        tick.set(tick.value + 1)

    def advance(days: int) -> None:
        session.step(days)
        if session_b.model is not None:
            session_b.step(days)

    def step() -> None:
        with lock:
            advance(render_interval.value)
        tick.set(tick.value + 1)

    def play_loop(cancel: threading.Event) -> None:
        while playing.value and not cancel.is_set():
            started = time.perf_counter()
            with lock:
                advance(render_interval.value)
                done = session.done
            tick.set(tick.value + 1)
            if done:
                playing.set(False)
                return
            cancel.wait(max(0.0, play_interval.value / 1000 - (time.perf_counter() - started)))

    solara.use_thread(play_loop, dependencies=[playing.value], intrusive_cancel=False)

    def acknowledge(target: ExploreSession, key: str, title: str, info: dict) -> None:
        """A live chart holds `have` days of run `key`: later chunks start there. An acknowledgement of an
        earlier run (sent before a reset) is ignored. Fewer days than before (a new browser page, a missed
        update) means a resend, so the charts are re-rendered at once even when paused."""
        if str(info.get("key")) != key:
            return
        have = max(0, int(info.get("have", 0)))
        with lock:
            before = target.acked.get(title, 0)
            target.acked[title] = have
        if have < before:
            tick.set(tick.value + 1)

    def ack(title: str, info: dict) -> None:
        acknowledge(session, str(session.generation), title, info)

    def ack_b(title: str, info: dict) -> None:
        acknowledge(session_b, f"{session.generation}/{session_b.generation}", title, info)

    with solara.Card(style={"padding": "6px"}):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.Button("Reset", color="primary", on_click=reset, disabled=scenario is None,
                          classes=["gigsim-reset"])
            solara.Button("Pause" if playing.value else "Play", color="primary",
                          on_click=lambda: playing.set(not playing.value), disabled=session.done,
                          classes=["gigsim-play"])
            solara.Button("Step", color="primary", on_click=step, disabled=playing.value or session.done,
                          classes=["gigsim-step"])
            with solara.Div(style={"min-width": "180px", "flex": "1 1 180px"}):
                solara.SliderInt("Play interval (ms)", value=play_interval, min=0, max=1000, step=20)
            with solara.Div(style={"min-width": "180px", "flex": "1 1 180px"}):
                solara.SliderInt("Days per frame", value=render_interval, min=1, max=30)
            solara.Text(f"day {session.day} of {session.scenario.days if session.scenario else '?'}",
                        classes=["gigsim-day"])
        if pending:
            solara.Info("Settings changed: press Reset to start a new run with them.", dense=True)
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.Switch(label="A/B: run a second world B beside this one, with one policy lever switched",
                          value=ab_on.value, on_value=lambda v: set_ab(bool(v), ab_lever.value),
                          classes=["gigsim-ab"])
            solara.Select("lever switched in B", values=S.AB_LEVERS, value=ab_lever.value,
                          on_value=lambda v: set_ab(ab_on.value, v), classes=["gigsim-ab-lever"])
    if ab_error.value:
        solara.Error(ab_error.value, classes=["gigsim-ab-error"])
    if ab_on.value and session_b.model is not None:
        _ABCharts(session, session_b, lock, tick.value, ab_change.value, ack_b)
    _LiveCharts(session, lock, tick.value, inspect_kind, inspect_id, ack)
    with solara.Div(classes=["gigsim-wrap"]):
        _Inspector(session, lock, tick.value, inspect_kind, inspect_id)
        _Exports(session, scenario)


@solara.component
def _ABCharts(a: ExploreSession, b: ExploreSession, lock, tick: int, change: str,
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
def _LiveCharts(session: ExploreSession, lock, tick: int, kind: solara.Reactive[str], ident: solara.Reactive[str],
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
def _Inspector(session: ExploreSession, lock, tick: int, kind: solara.Reactive[str], ident: solara.Reactive[str]):
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
def _Exports(session: ExploreSession, scenario: Scenario | None):
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


# --------------------------------------------------------------------------- compare


@solara.component
def ExplorePage():
    """The Explore route: drawn by the layout, which keeps both pages mounted."""


@solara.component
def ComparePage():
    """The Compare route: drawn by the layout, which keeps both pages mounted."""


PAGES = {"/": "Explore", "compare": "Compare"}
"""Route path -> page label."""


@solara.component
def Layout(children=[]):  # noqa: B006 - Solara's layout signature
    """The app frame: a title bar with Explore / Compare tabs, and both pages, the route's shown.

    Both pages stay mounted, so a tab switch keeps each page's state. Each page reports its settings as a
    URL query; the URL shows the current page's, and a tab switch restores the other page's.
    """
    route, all_routes = solara.use_route()
    router = solara.use_router()
    index = all_routes.index(route) if route in all_routes else 0
    first = solara.use_memo(lambda: (index, router.search or ""), [])
    queries = solara.use_memo(lambda: {0: first[1] if first[0] == 0 else "", 1: first[1] if first[0] == 1 else ""},
                              [])

    def url(i: int) -> str:
        path = all_routes[i].path
        base = "/" if path == "/" else f"/{path}"
        return base + (f"?{queries[i]}" if queries[i] else "")

    def go(i: int) -> None:
        router.push(url(i))

    def on_query(i: int, query: str) -> None:
        if queries.get(i) == query:
            return
        queries[i] = query
        if i == index:
            router.push(url(i))

    with solara.Column(gap="0px", style={"padding": "0", "max-width": "100%"}) as main:
        solara.Title(f"gigsim · {all_routes[index].label}")
        solara.Style(CSS)
        with solara.Column(gap="0px"):
            with solara.Row(style={"align-items": "center", "background": "#1f3b57", "color": "white",
                                   "padding": "0 16px", "column-gap": "24px"}, classes=["gigsim-titlebar"]):
                solara.HTML(tag="div", unsafe_innerHTML="gigsim",
                            style={"font-size": "22px", "font-weight": "600", "letter-spacing": "0.5px"},
                            classes=["gigsim-title"])
                solara.HTML(tag="div", unsafe_innerHTML="the gig-economy labour market, simulated",
                            style={"font-size": "13px", "opacity": "0.8", "white-space": "nowrap"},
                            classes=["gigsim-subtitle"])
                with solara.lab.Tabs(value=index, on_value=go, background_color="#1f3b57", dark=True):
                    for r in all_routes:
                        solara.lab.Tab(r.label, classes=[f"gigsim-tab-{r.label.lower()}"])
            with solara.Div(style={"display": "block" if index == 0 else "none"}, classes=["gigsim-page-explore"]):
                Explore(query=queries[0], on_query=lambda q: on_query(0, q))
            with solara.Div(style={"display": "block" if index == 1 else "none"}, classes=["gigsim-page-compare"]):
                Compare(query=queries[1], on_query=lambda q: on_query(1, q))
    return main


routes = [
    solara.Route(path="/", component=ExplorePage, label="Explore", layout=Layout),
    solara.Route(path="compare", component=ComparePage, label="Compare"),
]
