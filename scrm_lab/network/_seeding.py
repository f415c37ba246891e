"""Choosing whom to seed: top-k by each influence measure against random seeds, and greedy.

:func:`compare_seed_strategies` simulates the reach of the top ``k`` customers of each
influence score beside random seed sets, and :func:`greedy_seeds` picks seeds one at a time by
their simulated marginal reach (lazy greedy, Kempe, Kleinberg and Tardos 2003). Both run the
vectorized cascades of :mod:`scrm_lab.network._cascades` (models and randomness described
there).

Examples
--------
>>> greedy_seeds(nx.star_graph(4), 1, probability=1.0, runs=10)["node"].tolist()
[0]
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import networkx as nx
import numpy as np
import pandas as pd

from scrm_lab._checks import (
    COLUMN,
    SEED,
    Choice,
    Integer,
    Many,
    OrNone,
    Text,
    check,
    checks,
    current_function,
    refuse,
    require_columns,
)
from scrm_lab.network._cascades import (
    CASCADE_MODELS,
    INFLUENCE_MEASURES,
    CascadeResult,
    _base,
    _chunk_runs,
    _influence,
    _network,
    _node_list,
    _simulate,
)
from scrm_lab.network._constraints import PROBABILITY

__all__ = ["compare_seed_strategies", "greedy_seeds"]


def _row(strategy: str, k: int, result: CascadeResult) -> dict:
    table = result.summary().set_index("measure")
    return {
        "strategy": strategy, "k": k, "n": result.runs,
        "expected_reach": table.at["reach", "estimate"],
        "reach_ci_low": table.at["reach", "ci_low"],
        "reach_ci_high": table.at["reach", "ci_high"],
        "viral_ratio": table.at["viral_ratio", "estimate"],
        "viral_ratio_ci_low": table.at["viral_ratio", "ci_low"],
        "viral_ratio_ci_high": table.at["viral_ratio", "ci_high"],
    }  # fmt: skip


@checks(
    k=Integer(low=1),
    model=Choice(CASCADE_MODELS),
    probability=PROBABILITY,
    weight=OrNone(Text("an edge attribute name")),
    runs=Integer(low=1),
    seed=SEED,
    random_sets=Integer(low=1),
    measures=OrNone(Many(COLUMN, "a list of distinct column names", distinct=True)),
)
def compare_seed_strategies(
    graph: nx.Graph,
    scores: pd.DataFrame,
    *,
    k: int = 10,
    model: str = "independent_cascade",
    probability: float | str | None = None,
    weight: str | None = None,
    runs: int = 1000,
    seed: int = 0,
    random_sets: int = 100,
    measures: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Reach from the top-k customers of each influence score against random customers.

    Every strategy uses the same random numbers (run ``r`` of one strategy sees the draws
    of run ``r`` of another), so differences come from the seeds, not from luck.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        Who influences whom.
    scores : pandas.DataFrame
        A ``node`` column and one numeric column per influence measure (degree, pagerank,
        betweenness...); the k highest of each measure are its seeds (ties: table order).
    k : int
        Seeds per strategy, between 1 and the number of nodes.
    model, probability, weight, runs, seed :
        As in :func:`simulate_cascades`.
    random_sets : int
        Random strategy: this many seed sets of k nodes drawn uniformly without replacement
        (``numpy.random.default_rng(seed)``); run ``r`` uses set ``r % random_sets``, so its
        interval covers both the choice of seeds and the cascade.
    measures : sequence of str, optional
        The score columns to compare. Default: those of :data:`INFLUENCE_MEASURES` in the
        table (so the rank and bookkeeping columns of
        :func:`scrm_lab.network.influence_scores` are skipped), else every column but
        ``node``.

    Returns
    -------
    pandas.DataFrame
        One row per ``strategy`` (``top_<measure>`` in the order of the columns, then
        ``random``) with ``k``, ``n`` (runs), ``expected_reach``, ``reach_ci_low``,
        ``reach_ci_high``, ``viral_ratio``, ``viral_ratio_ci_low``, ``viral_ratio_ci_high``
        (95% normal intervals over the runs; see :meth:`CascadeResult.summary`).

    Examples
    --------
    >>> graph = nx.barabasi_albert_graph(300, 2, seed=1)
    >>> scores = pd.DataFrame({"node": list(graph), "degree": [d for _, d in graph.degree]})
    >>> table = compare_seed_strategies(graph, scores, k=5, probability=0.1, runs=300)
    >>> table["strategy"].tolist()
    ['top_degree', 'random']
    """
    function = current_function()
    net = _network(graph)
    check(k, "k", Integer(1, net.n))
    require_columns(scores, ["node"], function)
    if measures is None:
        measures = [c for c in INFLUENCE_MEASURES if c in scores.columns] or [
            c for c in scores.columns if c != "node"
        ]
    else:
        measures = list(measures)
        require_columns(scores, measures, function)
    for column in measures:
        values = scores[column]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            raise refuse(
                "scores",
                "a table with numeric columns besides 'node'",
                scores,
                described=f"column {column!r} of dtype {values.dtype}",
            )
    if not measures:
        expected = "a table with a numeric column per measure besides 'node'"
        raise refuse("scores", expected, list(scores.columns))
    nodes = _node_list(net, scores["node"].tolist(), "scores")
    if len(nodes) != len(scores):
        raise refuse("scores", "a table with one row per node", "repeated nodes")
    values = _influence(graph, net, model, probability, weight)
    base = _base(seed, model)
    run_ids = np.arange(runs)
    rows = []
    for column in measures:
        order = np.argsort(-scores[column].to_numpy(float), kind="stable")[:k]
        top = nodes[order]
        reach, steps = _simulate(
            net, np.broadcast_to(top, (runs, len(top))), run_ids, model, values, base, None
        )
        seeds = tuple(net.nodes[i] for i in top)
        rows.append(_row(f"top_{column}", k, CascadeResult(model, seeds, reach, steps, seed)))
    rng = np.random.default_rng(seed)
    sets = np.array([rng.choice(net.n, size=k, replace=False) for _ in range(random_sets)])
    reach, steps = _simulate(net, sets[run_ids % random_sets], run_ids, model, values, base, None)
    rows.append(_row("random", k, CascadeResult(model, tuple(range(k)), reach, steps, seed)))
    return pd.DataFrame(rows)


@checks(
    k=Integer(low=1),
    model=Choice(CASCADE_MODELS),
    probability=PROBABILITY,
    weight=OrNone(Text("an edge attribute name")),
    runs=Integer(low=1),
    seed=SEED,
    candidates=OrNone(Integer(low=1)),
)
def greedy_seeds(
    graph: nx.Graph,
    k: int,
    *,
    model: str = "independent_cascade",
    probability: float | str | None = None,
    weight: str | None = None,
    runs: int = 200,
    seed: int = 0,
    candidates: int | None = None,
) -> pd.DataFrame:
    """Choose k seeds greedily for the largest expected reach (CELF lazy evaluation).

    Each round adds the node with the largest marginal gain in expected reach. The gains
    are estimated with the same runs (common random numbers) for every candidate: in IC run
    ``r`` is one fixed live-edge graph, so the estimated reach is monotone and submodular
    and CELF (Leskovec et al. 2007) skips re-evaluating a candidate whose last gain cannot
    beat the best fresh one without changing the answer. In LT the thresholds are fixed per
    run: the estimate is monotone, and CELF is the usual approximation.

    Cost: the first round simulates every candidate alone (``candidates x runs``
    cascades, batched); each later round re-evaluates a few candidates (often one or two),
    each ``runs`` cascades from the current seeds plus the candidate. On large graphs keep
    only the ``candidates`` nodes of highest degree: the best seeds are nearly always
    among them, and the first round shrinks accordingly.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        Who influences whom.
    k : int
        Budget: number of seeds, between 1 and the number of candidates.
    model, probability, weight, runs, seed :
        As in :func:`simulate_cascades` (``runs`` defaults to 200 here).
    candidates : int or None
        Pre-filter: consider only this many nodes of highest out-degree (ties: graph
        order); None considers every node.

    Returns
    -------
    pandas.DataFrame
        One row per chosen seed, in order: ``order`` (1..k), ``node``, ``marginal_gain``
        (expected reach added), ``expected_reach`` (of the seeds so far) and
        ``evaluations`` (seed sets simulated so far, each ``runs`` cascades).

    Examples
    --------
    >>> greedy_seeds(nx.star_graph(5), 1, probability=0.5, runs=100)[["order", "node"]]
       order  node
    0      1     0
    """
    net = _network(graph)
    pool = net.n if candidates is None else check(candidates, "candidates", Integer(1, net.n))
    check(k, "k", Integer(1, pool))
    values = _influence(graph, net, model, probability, weight)
    base = _base(seed, model)
    run_ids = np.arange(runs)
    degree = np.diff(net.adjacency.indptr)
    pool_nodes = np.argsort(-degree, kind="stable")[:pool]

    def spread(seeds: np.ndarray) -> float:
        sets = np.broadcast_to(seeds, (runs, len(seeds)))
        return float(_simulate(net, sets, run_ids, model, values, base, None)[0].mean())

    batch = max(1, _chunk_runs(net.n, model) // runs)
    gains = []
    for start in range(0, pool, batch):
        part = pool_nodes[start : start + batch]
        reach = _simulate(
            net, np.repeat(part, runs)[:, None], np.tile(run_ids, len(part)), model, values,
            base, None,
        )[0]  # fmt: skip
        gains.extend(reach.reshape(len(part), runs).mean(axis=1))
    pairs = zip(gains, pool_nodes, strict=True)
    heap = [(-gain, i, int(node), 1) for i, (gain, node) in enumerate(pairs)]
    heapq.heapify(heap)
    chosen: list[int] = []
    current, evaluations, rows = 0.0, pool, []
    while len(chosen) < k:
        neg_gain, order, node, fresh_at = heapq.heappop(heap)
        if fresh_at == len(chosen) + 1:
            chosen.append(node)
            current -= neg_gain
            rows.append((len(chosen), net.nodes[node], -neg_gain, current, evaluations))
            continue
        gain = spread(np.array([*chosen, node])) - current
        evaluations += 1
        heapq.heappush(heap, (-gain, order, node, len(chosen) + 1))
    return pd.DataFrame(
        rows, columns=["order", "node", "marginal_gain", "expected_reach", "evaluations"]
    )
