"""Social networks as sparse matrices, and the flows that run over them.

Graphs are generated directly as edge arrays (so a million-node world builds in
seconds) with every draw from the model's `rng`, and stored as a symmetric
`scipy.sparse.csr_matrix`. Flows over edges (neighbour means, shares) are
sparse matrix products, never Python loops. `to_networkx` gives a networkx view
of the whole graph or of a sample of nodes, for drawing and analysis.

Generators:
- small_world: the Watts–Strogatz construction — a ring lattice where each node
  links to its `k/2` nearest neighbours on each side, then each edge's far end
  is rewired to a uniformly random node with probability `rewiring`.
- scale_free: a Chung–Lu graph with power-law expected degrees (exponent 2.5,
  the Barabási–Albert tail's neighbourhood): each of `n*k/2` edges joins two
  nodes drawn with probability proportional to their weight.
Self-loops and duplicate edges are dropped.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp


def small_world_edges(n: int, mean_degree: int, rewiring: float, rng: np.random.Generator) -> np.ndarray:
    """Edges (E, 2) of a Watts–Strogatz small-world graph on n nodes."""
    half = max(1, mean_degree // 2)
    if n <= 2 * half:
        half = max(1, (n - 1) // 2)
    if n < 2 or half < 1:
        return np.empty((0, 2), dtype=np.int64)
    source = np.repeat(np.arange(n, dtype=np.int64), half)
    offset = np.tile(np.arange(1, half + 1, dtype=np.int64), n)
    target = (source + offset) % n
    rewire = rng.random(source.size) < rewiring
    target[rewire] = rng.integers(0, n, int(rewire.sum()))
    return np.column_stack([source, target])


def scale_free_edges(n: int, mean_degree: int, rng: np.random.Generator, exponent: float = 2.5) -> np.ndarray:
    """Edges (E, 2) of a Chung–Lu graph with power-law expected degrees (mean ≈ mean_degree)."""
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    ranks = np.arange(1, n + 1, dtype=np.float64)
    weight = ranks ** (-1.0 / (exponent - 1.0))
    rng.shuffle(weight)
    cumulative = np.cumsum(weight)
    cumulative /= cumulative[-1]
    m = n * mean_degree // 2
    ends = np.searchsorted(cumulative, rng.random(2 * m), side="right")
    ends = np.minimum(ends, n - 1)
    return ends.reshape(m, 2).astype(np.int64)


def adjacency(n: int, edges: np.ndarray) -> sp.csr_matrix:
    """Symmetric 0/1 CSR adjacency from an edge list, without self-loops or duplicates."""
    if edges.size:
        edges = edges[edges[:, 0] != edges[:, 1]]
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    cols = np.concatenate([edges[:, 1], edges[:, 0]])
    data = np.ones(rows.size, dtype=np.float32)
    matrix = sp.csr_matrix((data, (rows, cols)), shape=(n, n), dtype=np.float32)
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    matrix.indices = matrix.indices.astype(np.int32, copy=False)
    matrix.indptr = matrix.indptr.astype(np.int64, copy=False)
    return matrix


def build_network(n: int, kind: str, mean_degree: int, rewiring: float, rng: np.random.Generator) -> sp.csr_matrix:
    """The adjacency matrix of a `kind` network ('small_world' or 'scale_free') on n nodes."""
    if kind == "small_world":
        edges = small_world_edges(n, mean_degree, rewiring, rng)
    elif kind == "scale_free":
        edges = scale_free_edges(n, mean_degree, rng)
    else:  # pragma: no cover - the schema allows only these two
        raise ValueError(f"unknown network kind {kind!r}")
    return adjacency(n, edges)


def neighbour_mean(adj: sp.csr_matrix, values: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per node: the weighted mean of `values` over its neighbours, and the neighbours' total weight.

    `weights` selects which neighbours count (e.g. 1 for active workers, 0 otherwise).
    Where the total weight is 0 the mean is NaN.
    """
    weight = np.asarray(weights, dtype=np.float32)
    total = adj @ weight
    summed = adj @ (np.asarray(values, dtype=np.float32) * weight)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(total > 0, summed / np.maximum(total, 1e-12), np.nan)
    return mean.astype(np.float32), total


def neighbour_shares(adj: sp.csr_matrix, choice: np.ndarray, n_options: int) -> np.ndarray:
    """Per node: the share of its neighbours that chose each option (choice −1 = none). Shape (n, n_options)."""
    n = choice.size
    valid = choice >= 0
    onehot = sp.csr_matrix(
        (np.ones(int(valid.sum()), dtype=np.float32), (np.flatnonzero(valid), choice[valid])),
        shape=(n, n_options),
    )
    counts = np.asarray((adj @ onehot).todense(), dtype=np.float32)
    total = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, total, out=np.zeros_like(counts), where=total > 0)


def degree(adj: sp.csr_matrix) -> np.ndarray:
    """Number of neighbours of each node."""
    return np.diff(adj.indptr).astype(np.int32)


def to_networkx(adj: sp.csr_matrix, nodes: np.ndarray | None = None) -> nx.Graph:
    """A networkx view of the graph, or of the subgraph induced by `nodes` (keep it small to draw)."""
    if nodes is None:
        return nx.from_scipy_sparse_array(adj)
    nodes = np.asarray(nodes, dtype=np.int64)
    sub = adj[nodes][:, nodes].tocoo()
    graph = nx.Graph()
    graph.add_nodes_from(int(v) for v in nodes)
    graph.add_edges_from((int(nodes[i]), int(nodes[j])) for i, j in zip(sub.row, sub.col, strict=True) if i < j)
    return graph


def membership_graph(member: np.ndarray, platform_names: list[str], workers: np.ndarray | None = None) -> nx.Graph:
    """The bipartite worker–platform membership graph (bipartite=0 workers, 1 platforms).

    `member` is the (workers × platforms) membership matrix; `workers` restricts it to a sample.
    Worker nodes are their row numbers; platform nodes are their names.
    """
    rows = np.arange(member.shape[0]) if workers is None else np.asarray(workers, dtype=np.int64)
    graph = nx.Graph()
    graph.add_nodes_from((int(w) for w in rows), bipartite=0)
    graph.add_nodes_from(platform_names, bipartite=1)
    sub = member[rows]
    for i, p in zip(*np.nonzero(sub), strict=True):
        graph.add_edge(int(rows[i]), platform_names[p])
    return graph


def client_worker_graph(client: np.ndarray, favourite: np.ndarray, tie_strength: np.ndarray) -> nx.Graph:
    """The client–worker ties grown by repeat business, as a bipartite graph.

    Nodes are ("client", i) and ("worker", j); an edge's `weight` is the number of repeat hires
    (summed over the client's demand streams that favour the same worker).
    """
    graph = nx.Graph()
    tied = np.flatnonzero(favourite >= 0)
    for s in tied:
        a, b = ("client", int(client[s])), ("worker", int(favourite[s]))
        weight = int(tie_strength[s])
        if graph.has_edge(a, b):
            graph[a][b]["weight"] += weight
        else:
            graph.add_node(a, bipartite=0)
            graph.add_node(b, bipartite=1)
            graph.add_edge(a, b, weight=weight)
    return graph
