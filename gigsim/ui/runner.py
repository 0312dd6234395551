"""The run of the Explore page: Reset / Play / Step, the play loop and the A/B switch (Mesa's SolaraViz
conventions: a play interval in ms between frames, a render interval in days per frame).

The run's controls and charts are a component of their own (`Runner`), so a played frame re-renders them
only, never the settings panel; the charts, inspector and exports it shows are in gigsim.ui.run_views.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import solara

from gigsim.errors import GigsimError
from gigsim.scenario import Scenario
from gigsim.ui import settings as S
from gigsim.ui.run_views import ABCharts, Exports, Inspector, LiveCharts
from gigsim.ui.session import ExploreSession


@solara.component
def Runner(session: ExploreSession, lock, scenario: Scenario | None, pending: bool, on_reset: Callable[[], None]):
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
        ABCharts(session, session_b, lock, tick.value, ab_change.value, ack_b)
    LiveCharts(session, lock, tick.value, inspect_kind, inspect_id, ack)
    with solara.Div(classes=["gigsim-wrap"]):
        Inspector(session, lock, tick.value, inspect_kind, inspect_id)
        Exports(session, scenario)
