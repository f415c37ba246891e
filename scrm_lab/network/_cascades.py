r"""Cascade reach: independent-cascade and linear-threshold simulations of word of mouth.

The question is the one of the 2009 Starbucks case on Facebook: for every four people who
interacted with a news item, three more were reached virally. Here the people who interact
are the **seeds** (``direct`` = the number of distinct seeds), and everyone a cascade
activates beyond them is **viral** reach; ``reach = direct + viral`` per run and the
**viral ratio** is ``mean(viral) / direct`` (the Starbucks figure is 3 / 4 = 0.75).

Models (Kempe, Kleinberg and Tardos 2003), on a :mod:`networkx` graph (an undirected edge
carries influence both ways; a directed edge ``u -> v`` only from ``u`` to ``v``):

- ``"independent_cascade"``: a node activated at step ``t`` tries each out-edge once, at
  step ``t + 1``, succeeding with the edge's probability (one number for every edge, or an
  edge attribute).
- ``"linear_threshold"``: node ``v`` activates once the summed weight of its active
  in-neighbours reaches its threshold, drawn uniformly in (0, 1] per node and per run;
  weights are ``1 / in-degree`` (so they sum to 1) or an edge attribute.

Vectorization. Nodes are mapped to ``0..n-1`` and the graph to a :mod:`scipy.sparse` CSR
adjacency; results use the original ids. All runs of a chunk advance together, one frontier
step at a time, with the state kept as a flat (runs x nodes) boolean array and the frontier
as the flat indices ``run * n + node`` of the nodes activated at the last step:

- IC: the out-edges of every frontier entry are expanded from the CSR arrays into one
  (run, edge) array, a Bernoulli draw is made per (run, edge), and the successful targets
  that were not yet active become the next frontier. Every active node's out-edges are tried
  exactly once, so the work is proportional to the edges leaving activated nodes.
- LT: the frontier is a sparse (runs x nodes) indicator ``F`` and ``F @ W`` (``W`` the
  weighted CSR adjacency) gives the newly arrived weight per (run, node), added to a dense
  (runs x nodes) accumulator and compared with the thresholds.

Randomness is counter-based: the uniform number for run ``r`` and edge ``e`` (IC) or node
``v`` (LT threshold) is output ``r * size + index`` of a SplitMix64 stream (Steele, Lea and
Flood 2014) started from ``numpy.random.SeedSequence([seed, model])``. So a run's draws do
not depend on which other runs share its chunk (chunked and unchunked runs give identical
results), and the same run sees the same draws whatever the seeds are (common random
numbers: in IC run ``r`` is a fixed live-edge graph, the edges whose draw succeeded).

Memory. Runs are processed in chunks of ``max(1, 2**26 // (n * b))`` runs, ``b`` = 1 byte
per (run, node) for IC (the state) and 9 for LT (state and float64 accumulator), so the
dense arrays stay below 64 MiB; an IC step whose frontier has more than ``2**21`` out-edges
is expanded in slices of at most that many (run, edge) pairs (about 150 MiB of temporaries
at most). The LT product holds at most one entry per (run, node) of the chunk (about 40
bytes each). For 1,000 runs on a graph of 200,000 nodes that is 335 runs per IC chunk.

Examples
--------
>>> import networkx as nx
>>> result = simulate_cascades(nx.star_graph(4), [0], probability=0.5, runs=400, seed=1)
>>> result.direct, round(result.expected_reach, 1)
(1, 3.0)
"""

from __future__ import annotations

import difflib
import numbers
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse, stats

from scrm_lab._checks import (
    ALPHA,
    SEED,
    Choice,
    Integer,
    OrNone,
    Real,
    Text,
    checks,
    current_function,
    refuse,
    renamed,
)
from scrm_lab.network._constraints import PROBABILITY, graph_with

__all__ = ["CASCADE_MODELS", "INFLUENCE_MEASURES", "CascadeResult", "simulate_cascades"]

#: The cascade models understood by the functions of this module.
CASCADE_MODELS = ("independent_cascade", "linear_threshold")
#: Score columns :func:`scrm_lab.network.compare_seed_strategies` compares by default, in order.
INFLUENCE_MEASURES = (
    "degree", "in_degree", "out_degree", "weighted_degree", "pagerank", "betweenness",
    "core_number",
)  # fmt: skip
_STATE_BYTES = 2**26
_TRY_BUDGET = 2**21
_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


# ----------------------------------------------------------------------------- validation


@dataclass(frozen=True)
class _Network:
    """A graph as CSR arrays over ``0..n-1`` (row = source), with the node ids."""

    nodes: list
    index: dict
    adjacency: sparse.csr_array

    @property
    def n(self) -> int:
        return len(self.nodes)


def _network(graph: object) -> _Network:
    graph_with(graph)
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array([(index[u], index[v]) for u, v in graph.edges() if u != v], dtype=np.int64)
    pairs = pairs.reshape(-1, 2)
    if not graph.is_directed():
        pairs = np.concatenate([pairs, pairs[:, ::-1]])
    adjacency = sparse.csr_array(
        (np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(len(nodes), len(nodes))
    )
    adjacency.sort_indices()
    return _Network(nodes, index, adjacency)


def _edge_values(graph: nx.Graph, net: _Network, name: str, attribute: str):
    """Edge attribute values aligned with the CSR entries (every edge must carry it)."""
    rows, cols, values = [], [], []
    for u, v, value in graph.edges(data=attribute):
        if u == v:
            continue
        if not isinstance(value, numbers.Real) or not 0 <= value <= 1:
            raise refuse(name, f"the name of an edge attribute with values in [0, 1] on "
                f"every edge (edge ({u!r}, {v!r}) has {value!r})", attribute,
            )  # fmt: skip
        rows.append(net.index[u])
        cols.append(net.index[v])
        values.append(float(value))
    rows, cols, values = np.array(rows, int), np.array(cols, int), np.array(values)
    if not graph.is_directed():
        rows, cols, values = np.r_[rows, cols], np.r_[cols, rows], np.r_[values, values]
    matrix = sparse.csr_array((values, (rows, cols)), shape=net.adjacency.shape)
    matrix.sort_indices()
    return matrix


def _influence(graph, net, model, probability, weight) -> np.ndarray | float:
    """IC: edge probabilities (a float, or one per CSR entry); LT: weights per CSR entry."""
    if model == "independent_cascade":
        if weight is not None:
            raise refuse("weight", "None for the independent cascade", weight)
        if probability is None:
            return 0.1
        if isinstance(probability, str):
            return _edge_values(graph, net, "probability", probability).data
        real = isinstance(probability, numbers.Real) and not isinstance(probability, bool)
        if not real or not 0 <= probability <= 1:
            raise refuse("probability", "a number in [0, 1] or an edge attribute "
                        "name", probability)  # fmt: skip
        return float(probability)
    if probability is not None:
        raise refuse("probability", "None for the linear threshold model (give "
                    "edge weights with 'weight')", probability)  # fmt: skip
    if weight is None:
        in_degree = np.diff(net.adjacency.tocsc().indptr)
        return 1.0 / in_degree[net.adjacency.indices]
    if not isinstance(weight, str):
        raise refuse("weight", "None or an edge attribute name", weight)
    return _edge_values(graph, net, "weight", weight).data


def _node_list(net: _Network, nodes: object, name: str) -> np.ndarray:
    if isinstance(nodes, Hashable) and nodes in net.index:
        nodes = [nodes]
    if isinstance(nodes, str | bytes) or not isinstance(nodes, Iterable):
        raise refuse(name, "a non-empty list of nodes of the graph", nodes)
    nodes = list(dict.fromkeys(nodes))
    if not nodes:
        raise refuse(name, "a non-empty list of nodes of the graph", nodes)
    for node in nodes:
        if not isinstance(node, Hashable) or node not in net.index:
            hint = ""
            if isinstance(node, str):
                close = difflib.get_close_matches(node, [str(x) for x in net.nodes], n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
            raise refuse(name, "a list of nodes of the graph", node, hint)
    return np.array([net.index[node] for node in nodes], dtype=np.int64)


def _uniform(base: np.uint64, counter: np.ndarray) -> np.ndarray:
    """SplitMix64 output number ``counter`` of the stream started at ``base``, in [0, 1)."""
    z = base + (counter.astype(np.uint64) + np.uint64(1)) * _GAMMA
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    z ^= z >> np.uint64(31)
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53


def _base(seed: int, model: str) -> np.uint64:
    tag = CASCADE_MODELS.index(model)
    return np.random.SeedSequence([seed, tag]).generate_state(1, np.uint64)[0]


def _chunk_runs(n: int, model: str) -> int:
    return max(1, _STATE_BYTES // (n * (1 if model == "independent_cascade" else 9)))


def _simulate(net, seed_sets, run_ids, model, values, base, max_steps):
    """Reach and steps per row: seed set ``seed_sets[i]`` (internal ids), run ``run_ids[i]``."""
    rows = len(run_ids)
    reach = np.empty(rows, dtype=np.int64)
    steps = np.zeros(rows, dtype=np.int64)
    size = _chunk_runs(net.n, model)
    for start in range(0, rows, size):
        part = slice(start, min(rows, start + size))
        step = _ic_chunk if model == "independent_cascade" else _lt_chunk
        reach[part], steps[part] = step(
            net, seed_sets[part], run_ids[part], values, base, max_steps
        )
    return reach, steps


def _start(net, seed_sets, run_ids):
    n = net.n
    flat = (np.arange(len(run_ids))[:, None] * n + seed_sets).ravel()
    state = np.zeros(len(run_ids) * n, dtype=bool)
    state[flat] = True
    return state, np.unique(flat), np.zeros(len(run_ids), dtype=np.int64)


def _ic_chunk(net, seed_sets, run_ids, probability, base, max_steps):
    n, indptr, indices = net.n, net.adjacency.indptr, net.adjacency.indices
    m = np.uint64(len(indices))
    state, frontier, steps = _start(net, seed_sets, run_ids)
    step = 0
    while frontier.size and (max_steps is None or step < max_steps):
        step += 1
        row, node = np.divmod(frontier, n)
        degree = indptr[node + 1] - indptr[node]
        ends = np.cumsum(degree)
        cuts = np.searchsorted(ends, np.arange(_TRY_BUDGET, ends[-1], _TRY_BUDGET))
        found = []
        for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, len(frontier)], strict=True):
            deg = degree[lo:hi]
            total = int(deg.sum())
            offset = np.repeat(indptr[node[lo:hi]] - (np.cumsum(deg) - deg), deg)
            edge = offset + np.arange(total)
            tried_row = np.repeat(row[lo:hi], deg)
            draw = _uniform(base, run_ids[tried_row].astype(np.uint64) * m + edge.astype(np.uint64))
            prob = probability if np.isscalar(probability) else probability[edge]
            live = draw < prob
            target = tried_row[live] * n + indices[edge[live]]
            new = np.unique(target[~state[target]])
            state[new] = True
            found.append(new)
        frontier = np.sort(np.concatenate(found))
        steps[np.unique(frontier // n)] = step
    return state.reshape(len(run_ids), n).sum(axis=1), steps


def _lt_chunk(net, seed_sets, run_ids, weights, base, max_steps):
    n, chunk = net.n, len(run_ids)
    matrix = sparse.csr_array((weights, net.adjacency.indices, net.adjacency.indptr), (n, n))
    state, frontier, steps = _start(net, seed_sets, run_ids)
    arrived = np.zeros(chunk * n)
    step = 0
    while frontier.size and (max_steps is None or step < max_steps):
        step += 1
        row, node = np.divmod(frontier, n)
        indicator = sparse.csr_array((np.ones(len(row)), (row, node)), shape=(chunk, n))
        incoming = (indicator @ matrix).tocoo()
        flat = incoming.row.astype(np.int64) * n + incoming.col
        arrived[flat] += incoming.data
        flat = flat[~state[flat]]
        threshold = 1.0 - _uniform(base, run_ids[flat // n].astype(np.uint64) * n + flat % n)
        frontier = np.sort(flat[arrived[flat] >= threshold])
        state[frontier] = True
        steps[np.unique(frontier // n)] = step
    return state.reshape(chunk, n).sum(axis=1), steps


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class CascadeResult:
    """Reach of many simulated cascades from one seed set (see :func:`simulate_cascades`).

    Attributes
    ----------
    model : str
        ``"independent_cascade"`` or ``"linear_threshold"``.
    seeds : tuple
        The distinct seed nodes (original ids), in the order given.
    reach : numpy.ndarray
        Nodes active at the end of each run, seeds included (int, one per run).
    steps : numpy.ndarray
        Last step at which each run activated a node (0: nothing beyond the seeds).
    seed : int
        The random seed.

    Examples
    --------
    >>> import networkx as nx
    >>> result = simulate_cascades(nx.path_graph(3), [0], probability=1.0, runs=5)
    >>> result.reach.tolist(), result.viral_ratio
    ([3, 3, 3, 3, 3], 2.0)
    """

    model: str
    seeds: tuple
    reach: np.ndarray = field(repr=False)
    steps: np.ndarray = field(repr=False)
    seed: int = 0

    @property
    def runs(self) -> int:
        """Number of simulated runs."""
        return len(self.reach)

    @property
    def direct(self) -> int:
        """People who interacted: the number of distinct seeds."""
        return len(self.seeds)

    @property
    def viral(self) -> np.ndarray:
        """People reached beyond the seeds, per run (``reach - direct``)."""
        return self.reach - self.direct

    @property
    def expected_reach(self) -> float:
        """Mean reach over the runs."""
        return float(self.reach.mean())

    @property
    def viral_ratio(self) -> float:
        """Mean viral reach per direct one (the Starbucks figure: 3 / 4 = 0.75)."""
        return float(self.viral.mean() / self.direct)

    @checks(alpha=ALPHA, ci=OrNone(Real(0, 1, low_open=True, high_open=True)))
    def summary(self, alpha: float = 0.05, *, ci: float | None = None) -> pd.DataFrame:
        """Reach, viral reach and viral ratio with normal and percentile intervals.

        Parameters
        ----------
        alpha : float, default 0.05
            The intervals have confidence level 1 - ``alpha``; strictly between 0 and 1.
        ci : float, optional
            Deprecated: the confidence level, now ``alpha`` = 1 - ``ci`` (a FutureWarning
            says so); removed in the next minor version.

        Returns
        -------
        pandas.DataFrame
            One row per ``measure`` (``reach``, ``viral``, ``viral_ratio``) with ``n`` (runs),
            ``estimate`` (mean over runs), ``std_error`` (sd / sqrt(n)), ``ci_low``,
            ``ci_high`` (normal approximation: estimate -/+ z * std_error; NaN for one run),
            ``percentile_low``, ``percentile_high`` (the central 1 - ``alpha`` share of the
            runs' values: where a single cascade falls) and ``method``.

        Examples
        --------
        >>> import networkx as nx
        >>> result = simulate_cascades(nx.path_graph(3), [0], probability=1.0, runs=5)
        >>> result.summary()[["measure", "n", "estimate", "ci_low", "ci_high"]]
               measure  n  estimate  ci_low  ci_high
        0        reach  5       3.0     3.0      3.0
        1        viral  5       2.0     2.0      2.0
        2  viral_ratio  5       2.0     2.0      2.0
        """
        if ci is not None:
            alpha = 1 - renamed("ci", "alpha", ci, current_function())
        z = stats.norm.ppf(1 - alpha / 2)
        rows = []
        for measure, values in (
            ("reach", self.reach.astype(float)),
            ("viral", self.viral.astype(float)),
            ("viral_ratio", self.viral / self.direct),
        ):
            estimate = float(values.mean())
            se = float(values.std(ddof=1) / np.sqrt(self.runs)) if self.runs > 1 else np.nan
            low, high = np.percentile(values, [50 * alpha, 100 - 50 * alpha])
            rows.append(
                (measure, self.runs, estimate, se, estimate - z * se, estimate + z * se,
                 float(low), float(high), f"{self.model} monte carlo")
            )  # fmt: skip
        columns = ["measure", "n", "estimate", "std_error", "ci_low", "ci_high",
                   "percentile_low", "percentile_high", "method"]  # fmt: skip
        return pd.DataFrame(rows, columns=columns)


# ----------------------------------------------------------------------------- public API


@checks(
    model=Choice(CASCADE_MODELS),
    probability=PROBABILITY,
    weight=OrNone(Text("an edge attribute name")),
    runs=Integer(low=1),
    seed=SEED,
    max_steps=OrNone(Integer(low=1)),
)
def simulate_cascades(
    graph: nx.Graph,
    seeds: Iterable[Hashable],
    *,
    model: str = "independent_cascade",
    probability: float | str | None = None,
    weight: str | None = None,
    runs: int = 1000,
    seed: int = 0,
    max_steps: int | None = None,
) -> CascadeResult:
    """Simulate many cascades from the same seed customers, all runs at once.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        Who influences whom; an undirected edge works both ways. Self-loops are ignored.
    seeds : list of nodes
        The customers who interact first (duplicates dropped); one node is also accepted.
    model : {"independent_cascade", "linear_threshold"}
        Cascade model (see the module docstring).
    probability : float, str or None
        IC only: the probability that an edge passes the item on, in [0, 1], or the name
        of an edge attribute holding it; None means 0.1.
    weight : str or None
        LT only: the name of an edge attribute holding the weights; None means 1 / in-degree.
    runs : int
        Number of simulated cascades (>= 1).
    seed : int
        Random seed (>= 0); the same seed gives the same runs.
    max_steps : int or None
        Stop after this many steps (>= 1); None runs until no node activates.

    Returns
    -------
    CascadeResult
        Reach per run; ``summary()`` gives expected reach, viral reach and viral ratio
        with intervals.

    Examples
    --------
    >>> from scrm_lab.synth import simulate_social_graph
    >>> edges = simulate_social_graph(n_nodes=200, seed=1).edges
    >>> graph = nx.from_pandas_edgelist(edges)
    >>> result = simulate_cascades(graph, ["N0001", "N0002"], probability=0.2, runs=200)
    >>> result.direct, result.expected_reach > 2
    (2, True)
    """
    net = _network(graph)
    chosen = _node_list(net, seeds, "seeds")
    values = _influence(graph, net, model, probability, weight)
    seed_sets = np.broadcast_to(chosen, (runs, len(chosen)))
    reach, steps = _simulate(
        net, seed_sets, np.arange(runs), model, values, _base(seed, model), max_steps
    )
    return CascadeResult(model, tuple(net.nodes[i] for i in chosen), reach, steps, seed)
