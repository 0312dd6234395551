"""The gigsim browser app (Solara): an Explore page to run a world live, a Compare page for experiments.

Start it with `gigsim ui` (see gigsim/ui/server.py). Every piece of state lives
inside the components (solara.use_reactive / use_memo), so each browser session
has its own model, settings and opened experiment; there are no module-level
mutable globals. Both pages stay mounted in the layout (the tab shown is the
route's), so switching tabs keeps the run, the settings and the opened experiment;
each page's settings also live in the URL's query, so a reload or a shared link
restores them. Controls follow Mesa's SolaraViz conventions: Reset / Play / Step, a
play interval (ms between frames) and a render interval (days per frame). The
run's controls and charts are a component of their own (`Runner`), so a played
frame re-renders them only, never the settings panel.

This file wires the pages into the app frame (title bar, tabs, routes); the pages
and their parts are modules of their own: `explore.py` (the Explore page and its
state), `runner.py` (the run's controls and play loop), `run_views.py` (live
charts, inspector, exports), `controls.py` (the levers) and `compare_page.py`.
"""

from __future__ import annotations

import solara

from gigsim.ui.compare_page import Compare
from gigsim.ui.explore import Explore

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


# --------------------------------------------------------------------------- routes and frame


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
