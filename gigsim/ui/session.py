"""One browser session's run: the model, the chart series, the network sample and inspected agents.

An `ExploreSession` belongs to exactly one browser session (the page creates it
inside its component state), so sessions never share a model or settings.
Each day appends one value per charted outcome from the model's metrics row
(`model.metrics`, extended a row a day), and the network picture's layout is
computed once per reset: a step only recolours the sampled nodes. The inspected
agent (worker, client or platform) gets one history row per day from that day's
tasks (`model.tasks_today()`) and flows (`model.market_metrics`). Only the model's
public accessors are read: no recorder internals, no kernel codes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import polars as pl

from gigsim.model.metrics import net_hourly
from gigsim.model.model import GigEconomyModel
from gigsim.model.networks import to_networkx
from gigsim.scenario import Scenario

NETWORK_SAMPLE = 300
"""Workers drawn in the network picture (a connected neighbourhood, grown breadth-first)."""

STATUS_LABELS = ["active", "idle", "upskilling", "left", "not entered", "paused"]
"""Network node status: active with a task today, active without one (idle), retraining, left, never entered, taking
the month off."""

STATUS_CODE = {"active": 1, "upskilling": 2, "left": 3, "out": 4, "paused": 5}
"""A worker's status name (gigsim.model.agents.Worker.status) to its index in STATUS_LABELS (active: 1 = idle,
0 when the worker did a task today)."""

BASE_SERIES = ["participants", "active_workers", "median_net_hourly_earnings", "p10_net_hourly_earnings",
               "fill_rate", "tasks_automated", "financially_fragile_share", "gini_earnings"]

HISTORY_FIELDS = ["status", "category", "hours_offered", "net_hourly_earnings", "savings", "lifetime_tasks"]
"""What is kept per day for an inspected worker."""

CLIENT_HISTORY_FIELDS = ["tasks_posted", "tasks_automated", "tasks_filled", "tasks_unfilled", "spent", "platforms"]
"""What is kept per day for an inspected client (see `client_day`)."""

PLATFORM_HISTORY_FIELDS = ["tasks_posted", "tasks_automated", "tasks_filled", "client_payments", "worker_pay",
                           "platform_revenue", "members", "market_share"]
"""What is kept per day for an inspected platform (see `platform_day`)."""

HUMAN_FILLED = ("filled", "direct", "referral")
"""Task fates that mean a person did the task (through the platform, a direct re-hire, or a referral)."""


def snowball_sample(adj, start: int, size: int) -> np.ndarray:
    """Up to `size` nodes reached breadth-first from `start` (plus random nodes if the component is small)."""
    n = adj.shape[0]
    size = min(size, n)
    seen = {int(start)}
    order = [int(start)]
    frontier = [int(start)]
    while frontier and len(order) < size:
        nxt = []
        for v in frontier:
            for u in adj.indices[adj.indptr[v]:adj.indptr[v + 1]]:
                u = int(u)
                if u not in seen:
                    seen.add(u)
                    order.append(u)
                    nxt.append(u)
                    if len(order) >= size:
                        break
            if len(order) >= size:
                break
        frontier = nxt
    if len(order) < size:  # a small component: fill up with the lowest unseen ids
        rest = np.setdiff1d(np.arange(n), np.array(order), assume_unique=False)[: size - len(order)]
        order.extend(int(v) for v in rest)
    return np.array(order, dtype=np.int64)


@dataclass
class NetworkPicture:
    """A drawable sample of the worker network: nodes, edges and a fixed layout."""

    nodes: np.ndarray                  # worker ids
    positions: np.ndarray              # (k, 2) layout coordinates
    edges: np.ndarray                  # (e, 2) positions' row indices


@dataclass
class ExploreSession:
    """The state of one person's exploration: scenario, model, chart series and inspection."""

    scenario: Scenario | None = None
    model: GigEconomyModel | None = None
    series: dict[str, list[float]] = field(default_factory=dict)
    network: NetworkPicture | None = None
    inspected: tuple[str, str] | None = None           # ("worker" | "client" | "platform", id)
    inspect_history: list[dict] = field(default_factory=list)
    generation: int = 0                                 # bumped at every reset
    acked: dict[str, int] = field(default_factory=dict)  # per live chart: days the browser says it holds

    def reset(self, scenario: Scenario) -> None:
        """A fresh model of `scenario` (its seed), empty series, and a new network sample and layout."""
        self.scenario = scenario
        self.model = GigEconomyModel(scenario)
        self.series = {name: [] for name in self.series_names()}
        self.inspect_history = []
        self.generation += 1
        self.acked = {}
        self.network = self._network_picture()

    def series_names(self) -> list[str]:
        """The outcomes kept per day: the base ones plus each platform's market share."""
        return ["day", *BASE_SERIES, *(f"share_{p}" for p in self.model.platform_names)]

    @property
    def day(self) -> int:
        return 0 if self.model is None else self.model.day

    @property
    def done(self) -> bool:
        """Whether the run reached the scenario's horizon."""
        return self.model is not None and self.model.day >= self.scenario.days

    def step(self, days: int = 1) -> int:
        """Advance up to `days` days (not past the horizon); returns the days run."""
        ran = 0
        for _ in range(days):
            if self.model is None or self.done:
                break
            self.model.step()
            self._record()
            ran += 1
        return ran

    def _record(self) -> None:
        row = self.model.metrics.row(-1, named=True)
        for name, values in self.series.items():
            values.append(float(row.get(name, np.nan)))
        if self.inspected is None:
            return
        kind, ident = self.inspected
        if kind == "worker":
            state = self.model.worker(int(ident)).state()
            today = {k: state[k] for k in HISTORY_FIELDS}
        elif kind == "client":
            today = client_day(self.model, int(ident))
        else:
            today = platform_day(self.model, ident, row)
        self.inspect_history.append({"day": row["day"], **today})

    # ------------------------------------------------------------------ network and earnings

    def _network_picture(self) -> NetworkPicture:
        rng = np.random.default_rng(self.scenario.seed)  # its own generator: the model's draws are untouched
        adj = self.model.worker_network
        nodes = snowball_sample(adj, int(rng.integers(adj.shape[0])), NETWORK_SAMPLE)
        graph = to_networkx(adj, nodes)
        layout = nx.spring_layout(graph, seed=int(self.scenario.seed % (2**32)), iterations=40)
        row_of = {int(v): i for i, v in enumerate(nodes)}
        positions = np.array([layout[int(v)] for v in nodes])
        edges = np.array([(row_of[a], row_of[b]) for a, b in graph.edges()], dtype=np.int64).reshape(-1, 2)
        return NetworkPicture(nodes=nodes, positions=positions, edges=edges)

    def node_status(self) -> np.ndarray:
        """Status code (index into STATUS_LABELS) of each sampled worker today."""
        m = self.model
        worked = set(m.tasks_today().filter(pl.col("fate").is_in(HUMAN_FILLED))["worker"].drop_nulls().to_list())
        code = np.array([STATUS_CODE[m.worker(int(v)).status] for v in self.network.nodes], dtype=np.int8)
        code[(code == 1) & np.isin(self.network.nodes, list(worked))] = 0
        return code

    def node_category(self) -> np.ndarray:
        """Category index (into model.category_names) of each sampled worker (-1: none)."""
        m = self.model
        index = {c: i for i, c in enumerate(m.category_names)}
        return np.array([index.get(m.worker(int(v)).category, -1) for v in self.network.nodes], dtype=np.int64)

    def net_hourly_earnings(self) -> np.ndarray:
        """Trailing net hourly earnings of the active workers (currency per hour)."""
        return net_hourly(self.model.workers)[1]

    # ------------------------------------------------------------------ inspection

    def inspect(self, kind: str, ident: str) -> dict:
        """Start inspecting an agent; returns its state. Raises ValueError for an unknown id."""
        m = self.model
        if kind == "worker":
            index = _index(ident, m.workers.n, "worker")
            state = m.worker(index).state()
        elif kind == "client":
            index = _index(ident, m.clients.region.size, "client")
            state = m.client(index).state()
        elif kind == "platform":
            if ident not in m.platform_names:
                raise ValueError(f"unknown platform '{ident}' (platforms: {', '.join(m.platform_names)})")
            state = m.platform(ident).state()
            index = ident
        else:
            raise ValueError(f"unknown agent kind '{kind}'")
        if self.inspected != (kind, str(index)):
            self.inspected = (kind, str(index))
            self.inspect_history = []
        return state

    # ------------------------------------------------------------------ exports

    def metrics(self) -> pl.DataFrame:
        """The daily metrics of the run so far."""
        return self.model.metrics

    def metrics_parquet(self) -> bytes:
        buffer = io.BytesIO()
        self.metrics().write_parquet(buffer)
        return buffer.getvalue()

    def metrics_csv(self) -> bytes:
        return self.metrics().write_csv().encode()


def client_day(model: GigEconomyModel, client: int) -> dict:
    """Client `client`'s day just run, from the model's tasks of that day.

    tasks_posted counts every task it posted (automated ones included); tasks_filled those a person did
    (platform match, direct re-hire or referral); spent is what it paid for them (currency; AI spend excluded);
    platforms is the platform it posts on per category (after the day's switching).
    """
    mine = model.tasks_today().filter(pl.col("client") == client)
    people = mine.filter(pl.col("fate").is_in(HUMAN_FILLED))
    return {
        "tasks_posted": mine.height,
        "tasks_automated": int((mine["fate"] == "automated").sum()),
        "tasks_filled": people.height,
        "tasks_unfilled": int((mine["fate"] == "unfilled").sum()),
        "spent": float(people["price"].sum()),
        "platforms": model.client(client).platforms,
    }


def platform_day(model: GigEconomyModel, platform: str, metrics_row: dict) -> dict:
    """Platform `platform`'s day just run, from the model's markets frame of that day (summed over categories).

    tasks_posted includes tasks then automated; tasks_filled and the money (currency per day) are on-platform
    only (referrals are off-platform); members counts workers signed up; market_share is its share of all
    on-platform client payments (the metrics' share_<platform>, from `metrics_row`).
    """
    names = ["tasks_posted", "tasks_automated", "tasks_filled", "client_payments", "worker_pay", "platform_revenue"]
    day = model.market_metrics.filter((pl.col("day") == metrics_row["day"]) & (pl.col("platform") == platform))
    sums = {n: float(day[n].sum()) if day.height else 0.0 for n in names}
    return {
        "tasks_posted": int(sums["tasks_posted"]),
        "tasks_automated": int(sums["tasks_automated"]),
        "tasks_filled": int(sums["tasks_filled"]),
        "client_payments": sums["client_payments"],
        "worker_pay": sums["worker_pay"],
        "platform_revenue": sums["platform_revenue"],
        "members": int(model.platform(platform).state()["members"]),
        "market_share": float(metrics_row[f"share_{platform}"]),
    }


def _index(ident: str, n: int, what: str) -> int:
    try:
        index = int(str(ident).strip())
    except ValueError:
        raise ValueError(f"a {what} id is a whole number from 0 to {n - 1}, got '{ident}'") from None
    if not 0 <= index < n:
        raise ValueError(f"no {what} {index}: ids go from 0 to {n - 1}")
    return index
