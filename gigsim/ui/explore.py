"""The Explore page: the levers (gigsim.ui.controls) on the left, the run (gigsim.ui.runner) on the right.

Its state — the base scenario, the settings and the settings the running model was built with — lives in the
component (solara.use_reactive / use_memo), one per browser session; the settings also live in the URL's
query (`query` in, `on_query` out), so a reload or a shared link restores them.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable
from pathlib import Path

import solara

from gigsim.errors import GigsimError
from gigsim.scenario import Scenario
from gigsim.ui import settings as S
from gigsim.ui.controls import Controls
from gigsim.ui.runner import Runner
from gigsim.ui.session import ExploreSession
from gigsim.ui.widgets import ScenarioUpload


def _default_scenario_name() -> str:
    """The shipped scenario the page opens with when the link names none: baseline, else the first shipped."""
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
            Runner(session, lock, scenario, values.value != applied.value,
                    lambda: applied.set(dict(values.value)))


def _try_build(base: Scenario, values: dict) -> tuple[Scenario | None, str | None]:
    try:
        return S.build_scenario(base, values), None
    except GigsimError as exc:
        return None, str(exc)
