"""The gigsim browser app (Solara): an Explore page to run a world live, a Compare page for experiments.

Start it with `gigsim ui` (see gigsim/ui/server.py). Every piece of state lives
inside the components (solara.use_reactive / use_memo), so each browser session
has its own model, settings and opened experiment; there are no module-level
mutable globals. Controls follow Mesa's SolaraViz conventions: Reset / Play /
Step, a play interval (ms between frames) and a render interval (days per frame).
"""

from __future__ import annotations

import base64
import html
import threading
import time
from collections.abc import Callable
from pathlib import Path

import solara

from gigsim.errors import GigsimError
from gigsim.scenario import Scenario
from gigsim.ui import charts
from gigsim.ui import settings as S
from gigsim.ui.results import ArmComparison, arm_table, arm_timeseries, list_experiments, open_experiment, results_root
from gigsim.ui.session import ExploreSession

VUE = Path(__file__).parent / "vue"


# --------------------------------------------------------------------------- Vue components (client-side SVG)


@solara.component_vue(str(VUE / "linechart.vue"))
def LineChart(title: str, days: list, lines: list):
    """A line chart drawn in the browser; lines = [{name, color, values, lo?, hi?}]."""


@solara.component_vue(str(VUE / "network.vue"))
def NetworkView(title: str, nodes: list, edges: list, colors: list, legend: list, selected: int = -1,
                event_select: Callable[[int], None] | None = None):
    """The sampled worker network; clicking a node calls `select(worker id)`."""


@solara.component_vue(str(VUE / "histogram.vue"))
def Histogram(title: str, edges: list, counts: list, median: float | None = None, xlabel: str = ""):
    """A histogram drawn in the browser."""


@solara.component_vue(str(VUE / "upload.vue"))
def ScenarioUpload(max_bytes: int, event_file: Callable[[dict], None], event_refused: Callable[[dict], None]):
    """A file picker that refuses files over `max_bytes` before reading them."""


# --------------------------------------------------------------------------- explore


def _default_scenario_name() -> str:
    names = S.shipped_scenarios()
    return "baseline" if "baseline" in names else (names[0] if names else "")


def _initial_base() -> tuple[str, Scenario]:
    name = _default_scenario_name()
    return name, (S.load_shipped(name) if name else Scenario(name="default"))


@solara.component
def Explore():
    """The Explore page: levers on the left, live charts, network, inspection and exports on the right."""
    first_name, first_base = solara.use_memo(_initial_base, [])
    session: ExploreSession = solara.use_memo(ExploreSession, [])
    lock = solara.use_memo(threading.RLock, [])
    base_name = solara.use_reactive(first_name)
    base = solara.use_reactive(first_base)
    # use_reactive follows its argument when that changes, so the initial values are memoised once
    first_values = solara.use_memo(lambda: S.initial_settings(first_base), [])
    first_applied = solara.use_memo(lambda: dict(first_values), [])
    values = solara.use_reactive(first_values)
    applied = solara.use_reactive(first_applied)  # the settings the running model was built with
    upload_error = solara.use_reactive(None)
    tick = solara.use_reactive(0)
    playing = solara.use_reactive(False)
    play_interval = solara.use_reactive(100)
    render_interval = solara.use_reactive(1)
    inspect_kind = solara.use_reactive("worker")
    inspect_id = solara.use_reactive("0")

    # the scenario the current settings describe (validated on every change; errors shown, never raised)
    scenario, settings_error = solara.use_memo(lambda: _try_build(base.value, values.value),
                                               [base.value, values.value])

    def reset() -> None:
        playing.set(False)
        if scenario is None:
            return
        with lock:
            session.reset(scenario)
        applied.set(dict(values.value))
        tick.set(tick.value + 1)

    if session.model is None and scenario is not None:
        with lock:
            session.reset(scenario)

    def step() -> None:
        with lock:
            session.step(render_interval.value)
        tick.set(tick.value + 1)

    def play_loop(cancel: threading.Event) -> None:
        while playing.value and not cancel.is_set():
            started = time.perf_counter()
            with lock:
                session.step(render_interval.value)
                done = session.done
            tick.set(tick.value + 1)
            if done:
                playing.set(False)
                return
            cancel.wait(max(0.0, play_interval.value / 1000 - (time.perf_counter() - started)))

    solara.use_thread(play_loop, dependencies=[playing.value], intrusive_cancel=False)

    def set_value(key: str, value) -> None:
        values.set({**values.value, key: value})

    def start_from(label: str, sc) -> None:
        """Make `sc` the base scenario: settings from it, a fresh model, play stopped."""
        upload_error.set(None)
        base_name.set(label)
        base.set(sc)
        values.set(S.initial_settings(sc))
        playing.set(False)
        with lock:
            session.reset(sc.model_copy(update={"extends": None}))
        applied.set(S.initial_settings(sc))
        tick.set(tick.value + 1)

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

    pending = values.value != applied.value
    with solara.Columns([1, 3]):
        with solara.Column(style={"max-height": "calc(100vh - 120px)", "overflow-y": "auto"}):
            _Controls(base_name.value, base.value, values.value, set_value, choose_scenario, uploaded, refused,
                      upload_error.value, settings_error)
        with solara.Column():
            with solara.Card(style={"padding": "6px"}):
                with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
                    solara.Button("Reset", color="primary", on_click=reset, disabled=scenario is None,
                                  classes=["gigsim-reset"])
                    solara.Button("Pause" if playing.value else "Play", color="primary",
                                  on_click=lambda: playing.set(not playing.value), disabled=session.done,
                                  classes=["gigsim-play"])
                    solara.Button("Step", color="primary", on_click=step, disabled=playing.value or session.done,
                                  classes=["gigsim-step"])
                    solara.SliderInt("Play interval (ms)", value=play_interval, min=0, max=1000, step=20)
                    solara.SliderInt("Days per frame", value=render_interval, min=1, max=30)
                    solara.Text(f"day {session.day} of {session.scenario.days if session.scenario else '?'}",
                                classes=["gigsim-day"])
                if pending:
                    solara.Info("Settings changed: press Reset to start a new run with them.", dense=True)
            _LiveCharts(session, lock, tick.value, inspect_kind, inspect_id)
            with solara.Columns([1, 1]):
                _Inspector(session, lock, tick.value, inspect_kind, inspect_id)
                _Exports(session, scenario)


def _moved(current: float, new: float, step: float) -> bool:
    """Whether a slider really moved: Vuetify snaps a value that is off its step grid on mount, which is no change."""
    return abs(float(new) - float(current)) >= step / 2 - 1e-9


def _try_build(base: Scenario, values: dict) -> tuple[Scenario | None, str | None]:
    try:
        return S.build_scenario(base, values), None
    except GigsimError as exc:
        return None, str(exc)


@solara.component
def _Controls(base_name: str, base: Scenario, values: dict, set_value, choose_scenario, uploaded, refused,
              upload_error: str | None, settings_error: str | None):
    """The levers: scenario, population, demand, shock, automation, policy, platforms."""
    names = S.shipped_scenarios()
    solara.Select("Scenario", values=names + ([base_name] if base_name not in names else []), value=base_name,
                  on_value=lambda n: n in names and choose_scenario(n))
    ScenarioUpload(max_bytes=S.MAX_UPLOAD_BYTES, event_file=uploaded, event_refused=refused)
    if upload_error:
        solara.Error(upload_error, classes=["gigsim-upload-error"])
    if settings_error:
        solara.Error(settings_error, classes=["gigsim-settings-error"])

    def slider_int(label, key, lo, hi, step=1):
        solara.SliderInt(f"{label}: {int(values[key]):,}", value=int(values[key]), min=lo, max=hi, step=step,
                         on_value=lambda v: set_value(key, int(v)), thumb_label=True)

    def slider(label, key, lo, hi, step):
        solara.SliderFloat(f"{label}: {float(values[key]):g}", value=float(values[key]), min=lo, max=hi, step=step,
                           on_value=lambda v: _moved(values[key], v, step) and set_value(key, round(float(v), 6)),
                           thumb_label=True)

    days = int(values["days"])
    with solara.Details("World", expand=True):
        slider_int("Workers", "workers", 500, max(50_000, int(values["workers"])), 500)
        slider_int("Days", "days", 30, max(730, days), 5)
        solara.InputInt("Seed", value=int(values["seed"]), on_value=lambda v: set_value("seed", max(0, int(v or 0))))
        slider("Demand level (× baseline)", "demand_level", 0.2, 3.0, 0.05)
    with solara.Details("Demand shock"):
        solara.Switch(label="Add a demand shock", value=bool(values["shock_enabled"]),
                      on_value=lambda v: set_value("shock_enabled", bool(v)))
        slider_int("Shock start day", "shock_start", 0, max(1, days - 1))
        slider_int("Shock length (days)", "shock_duration", 1, max(2, days))
        slider("Shock size (× demand)", "shock_size", 0.0, 3.0, 0.05)
        solara.SelectMultiple("Shock categories (none chosen: all)", values=list(values["shock_categories"]),
                              all_values=base.active_categories,
                              on_value=lambda v: set_value("shock_categories", list(v)))
    with solara.Details("Automation (AI)"):
        for c in base.active_categories:
            slider(f"{c}: automatable share at the end of the ramp", f"automation.{c}", 0.0, 1.0, 0.05)
        slider_int("Ramp starts on day", "automation_start", 0, max(1, days))
        slider_int("Ramp reaches the level on day", "automation_end", 1, max(2, days))
    with solara.Details("Policy levers"):
        for lever, (_param, label, lo, hi, step) in S.LEVERS.items():
            solara.Switch(label=lever.replace("_", " "), value=bool(values[f"lever.{lever}.enabled"]),
                          on_value=lambda v, lever=lever: set_value(f"lever.{lever}.enabled", bool(v)))
            slider(label, f"lever.{lever}.value", lo, hi, step)
    with solara.Details("Platforms"):
        for p in base.active_platforms:
            slider(f"{p}: commission", f"commission.{p}", 0.0, 0.5, 0.01)
            solara.Select(f"{p}: matching rule", values=S.MATCHING_RULES, value=values[f"matching.{p}"],
                          on_value=lambda v, p=p: set_value(f"matching.{p}", v))


@solara.component
def _LiveCharts(session: ExploreSession, lock, tick: int, kind: solara.Reactive[str], ident: solara.Reactive[str]):
    """Time series, the network picture and the earnings distribution of the running model."""
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
    with solara.Row(style={"flex-wrap": "wrap", "gap": "4px"}):
        for panel in panels:
            LineChart(title=panel["title"], days=panel["days"], lines=panel["lines"])
    with solara.Row(style={"flex-wrap": "wrap", "gap": "8px"}):
        def select(worker) -> None:
            kind.set("worker")
            ident.set(str(int(worker)))
        NetworkView(title=f"Worker network (sample of {len(layout['nodes'])}): status", nodes=layout["nodes"],
                    edges=layout["edges"], colors=colours["status"], legend=colours["status_legend"],
                    selected=selected, event_select=select)
        NetworkView(title="...and category", nodes=layout["nodes"], edges=layout["edges"],
                    colors=colours["category"], legend=colours["category_legend"], selected=selected,
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
            _table(["field", "value"], [[k, _cell(v)] for k, v in state.items()], "gigsim-state")
        for panel in charts.inspect_panels(kind.value, ident.value, history):
            LineChart(title=panel["title"], days=panel["days"], lines=panel["lines"])
        if history:
            last = history[-8:]
            solara.Text("Recent days (newest first):")
            _table(list(last[0].keys()), [[_cell(v) for v in h.values()] for h in reversed(last)], "gigsim-history")
        elif state:
            solara.Text("History is recorded from now on, each day the model runs.")


def _table(headers: list[str], rows: list[list], css_class: str) -> None:
    """A plain HTML table (escaped text only)."""
    head = "".join(f"<th style='text-align:left;padding:1px 8px'>{html.escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td style='padding:1px 8px'>{html.escape(str(c))}</td>" for c in row) + "</tr>"
                   for row in rows)
    solara.HTML(tag="table", unsafe_innerHTML=f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>",
                classes=[css_class], style={"font-size": "12px", "border-collapse": "collapse", "display": "block",
                                                "overflow-x": "auto", "max-width": "100%"})


def _cell(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, list) and len(value) > 6:
        return ", ".join(_cell(v) for v in value)
    return str(value).replace("|", "/")


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
def Compare():
    """The Compare page: open an experiment under the results root and compare its arms."""
    root = results_root()
    refresh = solara.use_reactive(0)
    experiments = solara.use_memo(lambda: list_experiments(root), [refresh.value])
    requested = solara.use_reactive(experiments[0] if experiments else "")
    opened = solara.use_reactive(None)
    error = solara.use_reactive(None)
    outcomes = solara.use_reactive([])
    arms = solara.use_reactive([])
    window = solara.use_reactive("all")

    def open_folder() -> None:
        try:
            result = open_experiment(root, requested.value)
        except GigsimError as exc:
            error.set(str(exc))
            opened.set(None)
            return
        error.set(None)
        opened.set(result)
        outcomes.set(result.outcomes[:3])
        arms.set(list(result.arms))

    with solara.Card(f"Experiments under {root}"):
        with solara.Row(style={"align-items": "center"}):
            if experiments:
                solara.Select("Experiment", values=experiments, value=requested)
            solara.InputText("…or a folder under the results root", value=requested, continuous_update=True,
                             classes=["gigsim-folder"])
            solara.Button("Open", color="primary", on_click=open_folder, classes=["gigsim-open"])
            solara.Button("Refresh list", on_click=lambda: refresh.set(refresh.value + 1), text=True)
        if not experiments:
            solara.Info(f"No experiment folders under {root} yet: make one with "
                        "`gigsim experiment EXPERIMENT.toml --out <root>/<name>`.")
        if error.value:
            solara.Error(error.value, classes=["gigsim-compare-error"])
    result: ArmComparison | None = opened.value
    if result is None:
        return
    with solara.Card(f"{result.comparison.name}: {len(result.arms)} arms, {result.days} days"):
        with solara.Row(style={"flex-wrap": "wrap"}):
            solara.SelectMultiple("Outcomes", values=outcomes, all_values=result.outcomes)
            solara.SelectMultiple("Arms", values=arms, all_values=result.arms)
            solara.InputText("Window ('all', 'last N days' or 'FROM:TO')", value=window, continuous_update=False)
        if result.comparison.missing:
            solara.Warning(f"{len(result.comparison.missing)} runs are not done; they are left out.")
        try:
            table = arm_table(result, outcomes.value, window.value, arms.value)
        except GigsimError as exc:
            solara.Error(str(exc))
            return
        rows = []
        for r in table.iter_rows(named=True):
            ci = f"{_num(r['ci_low'])} – {_num(r['ci_high'])}" if r["ci_low"] is not None else "n/a (one seed)"
            diff = (f"{_num(r['diff'])} ({_num(r['diff_low'])} – {_num(r['diff_high'])})"
                    if r["diff"] is not None and r["diff_low"] is not None else
                    (_num(r["diff"]) if r["diff"] is not None else ""))
            rows.append([r["outcome"], r["arm"], r["n"], _num(r["mean"]), ci, r["compare_to"] or "", diff])
        solara.Text(f"Window: {table['window'][0] if table.height else window.value}; mean over seeds of each "
                    "run's window mean, with its 95% t-interval")
        _table(["outcome", "arm", "seeds", "mean", "95% CI", "difference vs", "difference (95% CI)"], rows,
               "gigsim-compare-table")
        with solara.Row(style={"flex-wrap": "wrap", "gap": "6px"}):
            for outcome in outcomes.value:
                data = arm_timeseries(result, outcome, arms.value)
                for i, line in enumerate(data["lines"]):
                    line["color"] = charts.LINE_COLOURS[i % len(charts.LINE_COLOURS)]
                    for key in ("values", "lo", "hi"):
                        line[key] = charts.clean([float("nan") if v is None else v for v in line[key]])
                LineChart(title=f"{outcome} (mean, 95% CI band)", days=data["days"], lines=data["lines"])


def _num(value) -> str:
    if value is None:
        return "n/a"
    a = abs(value)
    return f"{value:,.0f}" if a >= 1000 else f"{value:,.2f}" if a >= 1 else f"{value:.3f}"


@solara.component
def ExplorePage():
    solara.Title("gigsim · Explore")
    Explore()


@solara.component
def ComparePage():
    solara.Title("gigsim · Compare")
    Compare()


@solara.component
def Layout(children=[]):  # noqa: B006 - Solara's layout signature
    """The app frame: a title bar with Explore / Compare tabs."""
    route, all_routes = solara.use_route()
    router = solara.use_router()
    index = all_routes.index(route) if route in all_routes else 0

    def go(i: int) -> None:
        path = all_routes[i].path
        router.push("/" if path == "/" else f"/{path}")

    with solara.AppLayout(title="gigsim", navigation=False) as main:
        with solara.Column(gap="0px"):
            with solara.Row(style={"align-items": "center", "background": "#1f3b57", "color": "white",
                                   "padding": "0 16px", "gap": "24px"}, classes=["gigsim-titlebar"]):
                solara.HTML(tag="div", unsafe_innerHTML="gigsim",
                            style={"font-size": "22px", "font-weight": "600", "letter-spacing": "0.5px"},
                            classes=["gigsim-title"])
                solara.HTML(tag="div", unsafe_innerHTML="the gig-economy labour market, simulated",
                            style={"font-size": "13px", "opacity": "0.8", "white-space": "nowrap"})
                with solara.lab.Tabs(value=index, on_value=go, background_color="#1f3b57", dark=True):
                    for r in all_routes:
                        solara.lab.Tab(r.label, classes=[f"gigsim-tab-{r.label.lower()}"])
            solara.Column(children=children)
    return main


routes = [
    solara.Route(path="/", component=ExplorePage, label="Explore", layout=Layout),
    solara.Route(path="compare", component=ComparePage, label="Compare"),
]
