"""The Mesa views of the model: agents standing for rows of the state arrays, and networkx graphs.

`AgentViews` is a mixin of GigEconomyModel (it needs the model's arrays and Mesa's agent registry).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from gigsim.model import networks
from gigsim.model.agents import Client, Platform, Worker
from gigsim.model.vocabulary import Fate


class AgentViews:
    """Mesa agents (`workers_set`, `clients_set`, `platforms_set`; `worker(i)`, ...) and graph views."""

    def _create_agent_views(self, create_agents: bool) -> None:
        """One Mesa agent per worker, client and platform, viewing its row (none for throughput runs)."""
        self.workers_set = self.clients_set = self.platforms_set = None
        if create_agents:
            Worker.create_agents(self, self.workers.n, np.arange(self.workers.n))
            Client.create_agents(self, self.clients.region.size, np.arange(self.clients.region.size))
            Platform.create_agents(self, self.n_platforms, np.arange(self.n_platforms))
            self.workers_set = self.agents_by_type[Worker]
            self.clients_set = self.agents_by_type[Client]
            self.platforms_set = self.agents_by_type[Platform]
            self._worker_views = list(self.workers_set)
            self._client_views = list(self.clients_set)
            self._platform_views = list(self.platforms_set)

    def membership_graph(self, workers: np.ndarray | None = None):
        """Worker–platform memberships as a bipartite networkx graph (optionally for a sample of workers)."""
        return networks.membership_graph(self.workers.member, self.platform_names, workers)

    def client_worker_graph(self):
        """Client–worker ties grown by repeat business, as a weighted bipartite networkx graph."""
        s = self.streams
        return networks.client_worker_graph(s.client, s.favourite, s.tie_strength)

    def worker_graph(self, workers: np.ndarray | None = None):
        """The worker social network as networkx (the whole graph, or the subgraph of a sample)."""
        return networks.to_networkx(self.worker_network, workers)

    def worker(self, index: int) -> Worker:
        """The Mesa agent of worker `index`."""
        return self._worker_views[index]

    def client(self, index: int) -> Client:
        """The Mesa agent of client `index`."""
        return self._client_views[index]

    def platform(self, name_or_index: str | int) -> Platform:
        """The Mesa agent of a platform, by name or index."""
        index = self.platform_names.index(name_or_index) if isinstance(name_or_index, str) else name_or_index
        return self._platform_views[index]


    def tasks_today(self) -> pl.DataFrame:
        """The tasks of the day just run, one row each: client, worker (null: none), price, and its fate by name
        ('automated', 'filled', 'direct', 'referral', 'unfilled'); for the browser app's inspection."""
        t = self.tasks
        fates = np.array([f.name.lower() for f in sorted(Fate)])
        return pl.DataFrame({"client": t.client.astype(np.int64), "price": t.price, "fate": fates[t.fate],
                             "worker": pl.Series(t.worker.astype(np.int64)).replace(-1, None)})
