"""Simulated social graphs with planted communities (stochastic block or power-law cluster).

Examples
--------
>>> graph = simulate_social_graph(n_nodes=40, n_communities=2, mean_degree=4, seed=1)
>>> graph.nodes["community"].nunique()
2
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from scrm_lab._checks import (
    SEED,
    Choice,
    Integer,
    Real,
    checks,
    refuse,
)
from scrm_lab.synth._common import (
    _categorical,
    _ids,
)

__all__ = ["SocialGraph", "simulate_social_graph"]


@dataclass(frozen=True, eq=False)
class SocialGraph:
    """A simulated social graph (see :func:`simulate_social_graph`).

    Attributes
    ----------
    edges : pandas.DataFrame
        Canonical ``edges`` table (``source``, ``target``, ``relation`` = "friend"): one row
        per undirected edge, ``source < target``, sorted.
    nodes : pandas.DataFrame
        ``node``, ``community`` (the planted community, 0-based) and ``degree``.
    truth : dict
        Parameters, community sizes, block probabilities, expected and planted modularity.
    """

    edges: pd.DataFrame
    nodes: pd.DataFrame
    truth: dict[str, Any]


_MODELS = ("sbm", "powerlaw_cluster")
_TRIANGLE_P = 0.3


@checks(
    n_nodes=Integer(low=2),
    n_communities=Integer(low=1),
    mean_degree=Real(low=0, low_open=True),
    mixing=Real(0, 1),
    model=Choice(tuple(_MODELS)),
    seed=SEED,
)
def simulate_social_graph(
    *,
    n_nodes: int = 1000,
    n_communities: int = 5,
    mean_degree: float = 10,
    mixing: float = 0.1,
    model: str = "sbm",
    seed: int = 0,
) -> SocialGraph:
    """Simulate an undirected friendship graph with planted communities.

    Nodes ``N0001``, ``N0002``... are split into ``n_communities`` contiguous communities
    whose sizes differ by at most one (``n_c`` nodes in community c).

    - ``"sbm"`` (:func:`networkx.stochastic_block_model`, ``seed`` passed as is): edge
      probability ``p_in = (1 - mixing) * mean_degree / (n_c - 1)`` within a community and
      ``p_out = mixing * mean_degree / (n_nodes - n_nodes / n_communities)`` between two,
      so a node's expected degree is ``mean_degree`` and a share ``mixing`` of its edges
      leaves its community.
    - ``"powerlaw_cluster"`` (heavy-tailed degrees): each community is a
      :func:`networkx.powerlaw_cluster_graph` (Holme-Kim) with ``m = max(1,
      round(mean_degree / 2))`` edges per new node and triangle probability 0.3 (seeds drawn
      from ``numpy.random.default_rng(seed)``); then each edge, with probability
      ``mixing``, has its second end moved to a uniformly drawn node of another community
      (duplicates dropped). The mean degree is about ``2 m``.

    With one community ``mixing`` has no effect. In the truth, ``expected_modularity`` is
    ``(1 - mixing) - sum_c (n_c / n_nodes)^2`` and ``planted_modularity`` the realised
    modularity of the planted partition.

    Parameters
    ----------
    n_nodes : int
        >= 2.
    n_communities : int
        Between 1 and ``n_nodes``.
    mean_degree : float
        > 0, and small enough that ``p_in`` and ``p_out`` are <= 1 (``"sbm"``) or that ``m``
        is below the smallest community size (``"powerlaw_cluster"``).
    mixing : float
        Share of edges between communities, in [0, 1].
    model : {"sbm", "powerlaw_cluster"}
        Generator.
    seed : int
        >= 0.

    Returns
    -------
    SocialGraph
        ``edges`` (source, target, relation), ``nodes`` (node, community, degree), ``truth``.

    Examples
    --------
    >>> graph = simulate_social_graph(n_nodes=40, n_communities=2, mean_degree=6, seed=2)
    >>> graph.nodes.columns.tolist(), graph.truth["community_sizes"]
    (['node', 'community', 'degree'], [20, 20])
    """
    n, n_comm, seed = int(n_nodes), int(n_communities), int(seed)
    if n_comm > n:
        raise refuse("n_communities", f"an integer from 1 to n_nodes ({n})", n_communities)
    mean_degree, mixing = float(mean_degree), float(mixing)
    sizes = np.full(n_comm, n // n_comm) + (np.arange(n_comm) < n % n_comm)
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    community = np.repeat(np.arange(n_comm), sizes)
    truth: dict[str, Any] = {
        "n_nodes": n, "n_communities": n_comm, "mean_degree": mean_degree, "mixing": mixing,
        "model": model, "seed": seed, "community_sizes": sizes.tolist(),
    }  # fmt: skip

    if model == "sbm":
        p_in = np.where(sizes > 1, (1 - mixing) * mean_degree / np.maximum(sizes - 1, 1), 0.0)
        p_out = mixing * mean_degree / (n - n / n_comm) if n_comm > 1 else 0.0
        if p_in.max() > 1 or p_out > 1:
            limit = "p_in = (1 - mixing) * mean_degree / (n_c - 1) <= 1 and p_out <= 1"
            raise refuse("mean_degree", f"small enough that {limit}", mean_degree)
        probs = np.full((n_comm, n_comm), p_out)
        np.fill_diagonal(probs, p_in)
        sbm = nx.stochastic_block_model(sizes.tolist(), probs.tolist(), seed=seed)
        pairs = np.array(sbm.edges(), dtype="int64").reshape(-1, 2)
        truth |= {"p_in": p_in.tolist(), "p_out": p_out}
    else:
        m = max(1, round(mean_degree / 2))
        if m >= sizes.min():
            limit = f"round(mean_degree / 2) < the smallest community size ({sizes.min()})"
            raise refuse("mean_degree", f"small enough that {limit}", mean_degree)
        rng = np.random.default_rng(seed)
        blocks = []
        for c in range(n_comm):
            block_seed = int(rng.integers(2**31))
            block = nx.powerlaw_cluster_graph(int(sizes[c]), m, _TRIANGLE_P, seed=block_seed)
            blocks.append(np.array(block.edges(), dtype="int64").reshape(-1, 2) + first[c])
        pairs = np.concatenate(blocks)
        if n_comm > 1:
            move = rng.random(len(pairs)) < mixing
            c = community[pairs[move, 0]]
            pairs[move, 1] = (first[c] + sizes[c] + rng.integers(0, n - sizes[c])) % n
        truth |= {"m": m, "triangle_p": _TRIANGLE_P}
    pairs = np.unique(np.sort(pairs, axis=1), axis=0)  # sorted, no duplicates
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(pairs.tolist())
    partition = [set(range(f, f + s)) for f, s in zip(first, sizes, strict=True)]
    truth |= {
        "expected_modularity": (1 - mixing) - float(np.sum((sizes / n) ** 2)),
        "planted_modularity": nx.community.modularity(graph, partition) if len(pairs) else 0.0,
    }
    edges = pd.DataFrame(
        {"source": _ids("N", n, 4, index=pairs[:, 0]),
         "target": _ids("N", n, 4, index=pairs[:, 1]),
         "relation": _categorical(np.zeros(len(pairs), dtype="int64"), ["friend"])}
    )  # fmt: skip
    nodes = pd.DataFrame(
        {"node": _ids("N", n, 4), "community": community.astype("int64"),
         "degree": np.bincount(pairs.ravel(), minlength=n).astype("int64")}
    )  # fmt: skip
    return SocialGraph(edges, nodes, truth)
