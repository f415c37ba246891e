"""Social graphs on networkx: build, summarise, influence, communities, advocates, bridges.

:func:`build_graph` turns a canonical ``edges`` table, or a ``messages`` table (who mentions
or replies to whom), into a networkx graph and records what it cleaned in
``graph.graph["cleaning"]``. :func:`graph_summary` gives the usual graph statistics,
:func:`influence_scores` one row per node (degree, PageRank, betweenness, k-core),
:func:`find_communities` a partition with its modularity, :func:`advocates` the influential
authors who speak well of a brand and :func:`bridges` the nodes that link communities.
Every measure is networkx's own function; this package only shapes inputs and outputs.

The parts: ``_build`` (graphs from tables, the shipped graphs), ``_measures`` (statistics,
influence, communities), ``_advocates`` (advocates, bridges), ``_cascades`` (word-of-mouth
simulations), ``_seeding`` (seed strategies and greedy seeds), ``_agreement`` (how the
measures agree, reach, and the report's wording with documented thresholds) and
``_constraints`` (parameter constraints).

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> graph = build_graph(load_dataset("snap_ego_facebook"))
>>> graph.number_of_nodes(), graph.number_of_edges()
(4039, 88234)
"""

from __future__ import annotations

from scrm_lab.network._advocates import (  # advocates, bridges
    BrandAdvocates,
    Bridges,
    advocates,
    brand_advocates,
    bridges,
)
from scrm_lab.network._agreement import (  # agreement of measures, reach and their wording
    AGREEMENT_MEASURES,
    CLUSTERING_TIGHT,
    MODULARITY_CLEAR,
    MODULARITY_STRONG,
    STARBUCKS_VIRAL_RATIO,
    VIRAL_FAR_ABOVE,
    advocate_sentences,
    agreement_sentences,
    bridge_sentences,
    community_sentences,
    graph_sentences,
    influence_key_results,
    measure_agreement,
    reach_comparison,
    reach_sentences,
    summary_sentences,
)
from scrm_lab.network._build import (  # graphs from edges or messages; the shipped graphs
    SHIPPED_GRAPHS,
    ShippedGraph,
    build_graph,
    shipped_graph,
)
from scrm_lab.network._cascades import (  # cascade reach: independent cascade, linear threshold
    CASCADE_MODELS,
    INFLUENCE_MEASURES,
    CascadeResult,
    simulate_cascades,
)
from scrm_lab.network._measures import (  # graph statistics, influence, communities
    Communities,
    find_communities,
    graph_summary,
    influence_scores,
)
from scrm_lab.network._seeding import compare_seed_strategies, greedy_seeds  # whom to seed

__all__ = [
    "AGREEMENT_MEASURES",
    "CASCADE_MODELS",
    "CLUSTERING_TIGHT",
    "INFLUENCE_MEASURES",
    "MODULARITY_CLEAR",
    "MODULARITY_STRONG",
    "SHIPPED_GRAPHS",
    "STARBUCKS_VIRAL_RATIO",
    "VIRAL_FAR_ABOVE",
    "BrandAdvocates",
    "Bridges",
    "CascadeResult",
    "Communities",
    "ShippedGraph",
    "advocate_sentences",
    "advocates",
    "brand_advocates",
    "agreement_sentences",
    "bridge_sentences",
    "bridges",
    "build_graph",
    "community_sentences",
    "compare_seed_strategies",
    "find_communities",
    "graph_sentences",
    "graph_summary",
    "greedy_seeds",
    "influence_key_results",
    "influence_scores",
    "measure_agreement",
    "reach_comparison",
    "reach_sentences",
    "shipped_graph",
    "simulate_cascades",
    "summary_sentences",
]
