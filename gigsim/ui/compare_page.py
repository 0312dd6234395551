"""The Compare page: open an experiment under the results root and compare its arms, on three bases.

The bases are those of `gigsim compare` (gigsim.analysis.welfare): the cross-section of active
workers each day, the same in whole months, and the stable panel of incumbent workers. The
opened experiment and the choices live in the page's URL query (`exp`, `outcomes`, `arms`,
`window`, `basis`), so a reload or a link opens the same comparison.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from urllib.parse import parse_qs, urlencode

import solara

from gigsim.analysis.welfare import BASIS_LABELS, PANEL_OUTCOMES
from gigsim.errors import GigsimError
from gigsim.ui import charts
from gigsim.ui.results import (
    BASES,
    ArmComparison,
    arm_table,
    arm_timeseries,
    list_experiments,
    open_experiment,
    results_root,
)
from gigsim.ui.tables import html_table, number
from gigsim.ui.widgets import LineChart


def read_query(query: str) -> dict:
    """The page's choices from its URL query: exp, outcomes, arms (lists), window, basis (missing: absent)."""
    raw = parse_qs(query or "")
    out: dict = {}
    for key in ("exp", "window", "basis"):
        if raw.get(key):
            out[key] = raw[key][0]
    for key in ("outcomes", "arms"):
        if raw.get(key):
            out[key] = [v for v in raw[key][0].split(",") if v]
    return out


def write_query(exp: str, outcomes: list[str], arms: list[str], window: str, basis: str) -> str:
    """The URL query of the page's choices."""
    return urlencode({"exp": exp, "outcomes": ",".join(outcomes), "arms": ",".join(arms), "window": window,
                      "basis": basis})


@solara.component
def Compare(query: str = "", on_query: Callable[[str], None] | None = None):
    """The Compare page: open an experiment under the results root and compare its arms."""
    root = results_root()
    wanted = solara.use_memo(lambda: read_query(query), [])
    refresh = solara.use_reactive(0)
    experiments = solara.use_memo(lambda: list_experiments(root), [refresh.value])
    requested = solara.use_reactive(wanted.get("exp") or (experiments[0] if experiments else ""))
    opened = solara.use_reactive(None)
    error = solara.use_reactive(None)
    outcomes = solara.use_reactive([])
    arms = solara.use_reactive([])
    window = solara.use_reactive(wanted.get("window", "all"))
    basis = solara.use_reactive(wanted.get("basis", "daily") if wanted.get("basis") in BASES else "daily")

    def open_folder(keep: dict | None = None) -> None:
        try:
            result = open_experiment(root, requested.value)
        except GigsimError as exc:
            error.set(str(exc))
            opened.set(None)
            return
        error.set(None)
        opened.set(result)
        keep = keep or {}
        outcomes.set([o for o in keep.get("outcomes", []) if o in result.outcomes] or result.outcomes[:3])
        arms.set([a for a in keep.get("arms", []) if a in result.arms] or list(result.arms))

    def reopen() -> None:
        if wanted.get("exp"):
            open_folder(wanted)

    solara.use_effect(reopen, [])

    def publish() -> None:
        if on_query is not None and opened.value is not None:
            on_query(write_query(requested.value, outcomes.value, arms.value, window.value, basis.value))

    solara.use_effect(publish, [opened.value, outcomes.value, arms.value, window.value, basis.value])

    with solara.Card(f"Experiments under {root}"):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            if experiments:
                solara.Select("Experiment", values=experiments, value=requested)
            solara.InputText("…or a folder under the results root", value=requested, continuous_update=True,
                             classes=["gigsim-folder"])
            solara.Button("Open", color="primary", on_click=lambda: open_folder(), classes=["gigsim-open"])
            solara.Button("Refresh list", on_click=lambda: refresh.set(refresh.value + 1), text=True)
        if not experiments:
            solara.Info(f"No experiment folders under {root} yet: make one with "
                        "`gigsim experiment EXPERIMENT.toml --out <root>/<name>`.", classes=["gigsim-no-results"])
        if error.value:
            solara.Error(error.value, classes=["gigsim-compare-error"])
    result: ArmComparison | None = opened.value
    if result is not None:
        _Comparison(result, outcomes, arms, window, basis)


@solara.component
def _Comparison(result: ArmComparison, outcomes, arms, window, basis):
    """The opened experiment: choices, the table of means and paired differences, and the charts."""
    with solara.Card(f"{result.comparison.name}: {len(result.arms)} arms, {result.days} days"):
        with solara.Row(style={"flex-wrap": "wrap"}):
            solara.Select("Basis", values=list(BASES), value=basis, classes=["gigsim-basis"])
            if basis.value != "panel":
                solara.SelectMultiple("Outcomes", values=outcomes, all_values=result.outcomes)
            solara.SelectMultiple("Arms", values=arms, all_values=result.arms)
            if basis.value != "panel":
                solara.InputText("Window ('all', 'last N days' or 'FROM:TO')", value=window, continuous_update=False)
        solara.HTML(tag="p", unsafe_innerHTML=html.escape(f"{BASIS_LABELS[basis.value][0].upper()}"
                                                         f"{BASIS_LABELS[basis.value][1:]}."),
                    classes=["gigsim-basis-text"], style={"margin": "4px 0"})
        if result.comparison.missing:
            solara.Warning(f"{len(result.comparison.missing)} runs are not done; they are left out.")
        try:
            table = arm_table(result, outcomes.value, window.value, arms.value, basis.value)
        except GigsimError as exc:
            solara.Error(str(exc), classes=["gigsim-compare-error"])
            return
        rows = []
        for r in table.iter_rows(named=True):
            ci = f"{number(r['ci_low'])} – {number(r['ci_high'])}" if r["ci_low"] is not None else "n/a (one seed)"
            diff = (f"{number(r['diff'])} ({number(r['diff_low'])} – {number(r['diff_high'])})"
                    if r["diff"] is not None and r["diff_low"] is not None else
                    (number(r["diff"]) if r["diff"] is not None else ""))
            rows.append([r["outcome"], r["arm"], r["n"], number(r["mean"]), ci, r["compare_to"] or "", diff])
        label = table["window"][0] if table.height else window.value
        solara.HTML(tag="p", unsafe_innerHTML=html.escape(
            f"{label}: mean over seeds of each run's value, with its 95% t-interval; differences paired by seed."),
                    style={"margin": "4px 0"})
        html_table(["outcome", "arm", "seeds", "mean", "95% CI", "difference vs", "difference (95% CI)"], rows,
                   "gigsim-compare-table")
        if basis.value == "panel":
            solara.Markdown("\n".join(f"- **{k}**: {v}" for k, v in PANEL_OUTCOMES.items()))
            return
        smooth = 30 if basis.value == "monthly" else 1
        with solara.Div(classes=["gigsim-wrap"]):
            for outcome in outcomes.value:
                data = arm_timeseries(result, outcome, arms.value, smooth_days=smooth)
                for i, line in enumerate(data["lines"]):
                    line["color"] = charts.LINE_COLOURS[i % len(charts.LINE_COLOURS)]
                    for key in ("values", "lo", "hi"):
                        line[key] = charts.clean([float("nan") if v is None else v for v in line[key]])
                ylabel = f"{'30-day mean; ' if smooth > 1 else ''}mean over seeds, 95% band"
                LineChart(title=outcome, days=data["days"], lines=data["lines"], xlabel="day", ylabel=ylabel)
