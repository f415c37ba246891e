"""Social graphs on networkx: build, summarise, influence, communities, advocates, bridges.

:func:`build_graph` turns a canonical ``edges`` table, or a ``messages`` table (who mentions
or replies to whom), into a networkx graph and records what it cleaned in
``graph.graph["cleaning"]``. :func:`graph_summary` gives the usual graph statistics,
:func:`influence_scores` one row per node (degree, PageRank, betweenness, k-core),
:func:`find_communities` a partition with its modularity, :func:`advocates` the influential
authors who speak well of a brand and :func:`bridges` the nodes that link communities.
Every measure is networkx's own function; this module only shapes inputs and outputs.

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> graph = build_graph(load_dataset("snap_ego_facebook"))
>>> graph.number_of_nodes(), graph.number_of_edges()
(4039, 88234)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from scrm_lab._checks import numeric_column, one_of, require_columns, suggest
from scrm_lab.exceptions import ParameterError, SchemaError
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
    measure_agreement,
    reach_comparison,
    reach_sentences,
    summary_sentences,
)
from scrm_lab.network._cascades import (  # cascade reach: independent cascade, linear threshold
    CASCADE_MODELS,
    INFLUENCE_MEASURES,
    CascadeResult,
    compare_seed_strategies,
    greedy_seeds,
    simulate_cascades,
)
from scrm_lab.privacy import MENTION, pseudonymize

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
    "Bridges",
    "CascadeResult",
    "Communities",
    "ShippedGraph",
    "advocate_sentences",
    "advocates",
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
    "influence_scores",
    "measure_agreement",
    "reach_comparison",
    "reach_sentences",
    "shipped_graph",
    "simulate_cascades",
    "summary_sentences",
]

_SCORES = ("pagerank", "degree", "in_degree", "weighted_degree", "core_number", "betweenness")


# ------------------------------------------------------------------------------- building


def build_graph(
    edges: pd.DataFrame | None = None,
    *,
    messages: pd.DataFrame | None = None,
    directed: bool = False,
    weighted: bool = True,
    source: str = "source",
    target: str = "target",
    weight: str = "weight",
    self_loops: str = "drop",
    duplicates: str = "sum",
    nodes: pd.DataFrame | None = None,
    node: str = "node",
    brand_handles: Mapping[str, str] | str | None = "infer",
    reveal: bool = False,
    salt: str = "scrm_lab",
) -> nx.Graph:
    """Build a networkx graph from an ``edges`` table or from a ``messages`` table.

    From ``edges``: one edge per row from ``source`` to ``target``. The weight is the
    ``weight`` column (a missing value counts as 1), or 1 per row when there is no such
    column. From ``messages`` (canonical columns ``message_id``, ``brand``, ``author``,
    ``text``, optional ``reply_to`` and ``author_is_brand``), each message links its author
    to its brand, to every ``@handle`` in its text and, when it is a reply, to the author of
    the message replied to; a message counts once per target, and the weight is the number
    of messages. Handles are case-folded; a brand's node is its ``brand`` value and a
    mention of a brand's own handle goes to that node. Authors and mentioned handles become
    pseudonyms (:func:`scrm_lab.summary.pseudonymize` with ``salt``) unless ``reveal=True``;
    brand nodes are never pseudonymized.

    Cleaning (counts in ``graph.graph["cleaning"]``): rows with ``source == target`` are
    dropped (``self_loops="drop"``), kept, or refused; rows repeating a pair (either order
    when undirected) are merged with their weights summed (``duplicates="sum"``) or refused.
    A messages graph always sums. ``graph.graph["node_ids"]`` says ``"given"``,
    ``"pseudonymized"`` or ``"revealed"``.

    Parameters
    ----------
    edges : pandas.DataFrame, optional
        Canonical ``edges`` table; give it or ``messages``, not both.
    messages : pandas.DataFrame, optional
        Canonical ``messages`` table.
    directed : bool, default False
        Build a :class:`networkx.DiGraph` instead of a :class:`networkx.Graph`.
    weighted : bool, default True
        Put the summed weight on each edge as ``"weight"``; when False edges have no weight.
    source, target, weight : str
        Column names in ``edges``.
    self_loops : {"drop", "keep", "refuse"}, default "drop"
    duplicates : {"sum", "refuse"}, default "sum"
    nodes : pandas.DataFrame, optional
        Node attributes: a ``node`` column of ids already in the graph, other columns copied
        onto the nodes. Unknown or repeated ids are refused.
    node : str, default "node"
        The id column of ``nodes``.
    brand_handles : mapping, "infer" or None, default "infer"
        Handle (any case) to brand. ``"infer"`` takes, for each brand, the handle mentioned
        in at least half of its messages (the most mentioned one; ties: the brand's own name, else
        the first mentioned); None maps no handle.
    reveal : bool, default False
        Keep real handles (case-folded) as node ids.
    salt : str, default "scrm_lab"
        Salt of the pseudonyms.

    Returns
    -------
    networkx.Graph or networkx.DiGraph
        A messages graph has node attributes ``kind`` ("brand" or "person") and
        ``messages`` (messages written).

    Raises
    ------
    ParameterError
        Neither or both inputs, a bad option, an edges table with no rows.
    SchemaError
        A missing column or id, a negative weight, a refused self-loop or duplicate, an
        unknown or repeated id in ``nodes``.

    Examples
    --------
    >>> edges = pd.DataFrame({"source": ["a", "a", "b", "c"], "target": ["b", "b", "a", "c"]})
    >>> graph = build_graph(edges)
    >>> list(graph.edges(data="weight")), graph.graph["cleaning"]["duplicates"]
    ([('a', 'b', 3.0)], 2)
    """
    function = "build_graph"
    one_of(function, "self_loops", self_loops, ("drop", "keep", "refuse"))
    one_of(function, "duplicates", duplicates, ("sum", "refuse"))
    if (edges is None) == (messages is None):
        raise ParameterError(
            f"{function} needs exactly one of 'edges' or 'messages'. "
            f"Got {'both' if edges is not None else 'neither'} instead."
        )
    if edges is not None:
        rows, table = _edge_rows(edges, source, target, weight, function), "edges"
        node_ids, node_attrs = "given", {}
    else:
        rows, node_attrs = _message_rows(messages, brand_handles, reveal, salt, function)
        table, duplicates = "messages", "sum"
        node_ids = "revealed" if reveal else "pseudonymized"
    if rows.empty:
        raise ParameterError(f"{function}: the {table} table has no rows; expected edges.")
    rows, cleaning = _clean(rows, directed, self_loops, duplicates, table, function)
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.graph.update(cleaning=cleaning, node_ids=node_ids)
    if weighted:
        graph.add_weighted_edges_from(rows.itertuples(index=False, name=None))
    else:
        graph.add_edges_from(rows[["source", "target"]].itertuples(index=False, name=None))
    for name, values in node_attrs.items():
        nx.set_node_attributes(graph, values, name)
    if nodes is not None:
        _set_node_table(graph, nodes, node, function)
    return graph


def _edge_rows(
    edges: pd.DataFrame, source: str, target: str, weight: str, function: str
) -> pd.DataFrame:
    require_columns(edges, [source, target], function)
    for column in (source, target):
        missing = np.flatnonzero(edges[column].isna().to_numpy())
        if missing.size:
            raise SchemaError(
                f"{function}: column '{column}' has {missing.size} missing node ids, first "
                f"at row {missing[0] + 1}; expected a node id on every row.",
                table="edges",
                column=column,
                row=int(missing[0]) + 1,
            )
    if weight in edges.columns:
        values = numeric_column(edges, weight, function).fillna(1.0)
        negative = np.flatnonzero((values < 0).to_numpy())
        if negative.size:
            raise SchemaError(
                f"{function}: column '{weight}' has {negative.size} negative weights, first "
                f"{values.iloc[negative[0]]} at row {negative[0] + 1}; expected weights >= 0.",
                table="edges",
                column=weight,
                row=int(negative[0]) + 1,
            )
    else:
        values = pd.Series(1.0, index=edges.index)
    return pd.DataFrame(
        {
            "source": edges[source].to_numpy(),
            "target": edges[target].to_numpy(),
            "weight": values.to_numpy(),
        }
    )


def _clean(
    rows: pd.DataFrame,
    directed: bool,
    self_loops: str,
    duplicates: str,
    table: str,
    function: str,
) -> tuple[pd.DataFrame, dict[str, object]]:
    loops = (rows["source"] == rows["target"]).to_numpy()
    if loops.any() and self_loops == "refuse":
        first = int(np.flatnonzero(loops)[0])
        raise SchemaError(
            f"{function}: {int(loops.sum())} self-loops (source == target) in {table}, first "
            f"at row {first + 1} (node {rows['source'].iloc[first]!r}); "
            "self_loops='refuse' expects none. Pass self_loops='drop' or 'keep'.",
            table=table,
            row=first + 1,
        )
    kept = rows[~loops] if self_loops == "drop" else rows
    first_end, second_end = kept["source"], kept["target"]
    if not directed:
        swap = first_end.astype(str) > second_end.astype(str)
        first_end, second_end = (
            first_end.where(~swap, second_end),
            second_end.where(~swap, first_end),
        )
    repeated = pd.DataFrame({"a": first_end, "b": second_end}).duplicated().to_numpy()
    if repeated.any() and duplicates == "refuse":
        first = kept.index[np.flatnonzero(repeated)[0]]
        raise SchemaError(
            f"{function}: {int(repeated.sum())} duplicate edges in {table}, first at row "
            f"{first + 1} ({rows['source'].iloc[first]!r} - {rows['target'].iloc[first]!r}); "
            "duplicates='refuse' expects each pair once. Pass duplicates='sum'.",
            table=table,
            row=int(first) + 1,
        )
    merged = (
        pd.DataFrame({"source": first_end, "target": second_end, "weight": kept["weight"]})
        .groupby(["source", "target"], sort=False, dropna=False)["weight"]
        .sum()
        .reset_index()
    )
    cleaning = {
        "rows": len(rows),
        "self_loops": int(loops.sum()),
        "self_loops_action": self_loops,
        "duplicates": int(repeated.sum()),
        "duplicates_action": duplicates,
        "edges": len(merged),
    }
    return merged, cleaning


def _person_ids(handles: pd.Series, reveal: bool, salt: str) -> pd.Series:
    folded = handles.astype(str).str.casefold()
    return folded if reveal else pseudonymize(folded, salt=salt)


def _author_ids(messages: pd.DataFrame, reveal: bool, salt: str) -> pd.Series:
    """Node id of each message's author: the brand for brand accounts, else the person."""
    ids = _person_ids(messages["author"], reveal, salt)
    if "author_is_brand" in messages.columns:
        is_brand = messages["author_is_brand"].fillna(False).astype(bool)
        ids = ids.where(~is_brand, messages["brand"].astype(str))
    return ids


def _infer_brand_handles(messages: pd.DataFrame, handles: pd.Series) -> dict[str, str]:
    found: dict[str, str] = {}
    for brand, group in handles.groupby(messages["brand"].astype(str), sort=False):
        counts = Counter(h for hs in group for h in dict.fromkeys(hs))  # in order of appearance
        if counts:
            top = max(counts.values())
            tied = [h for h, n in counts.items() if n == top]
            name = brand.casefold().replace(" ", "")
            handle = name if name in tied else tied[0]  # ties: the brand's own name, else first
            if top >= len(group) / 2:
                found.setdefault(handle, brand)
    return found


def _message_rows(
    messages: pd.DataFrame,
    brand_handles: Mapping[str, str] | str | None,
    reveal: bool,
    salt: str,
    function: str,
) -> tuple[pd.DataFrame, dict[str, dict]]:
    require_columns(messages, ["message_id", "brand", "author", "text"], function)
    if isinstance(brand_handles, str) and brand_handles != "infer":
        one_of(function, "brand_handles", brand_handles, ("infer",))
    handles = (
        messages["text"]
        .fillna("")
        .astype(str)
        .map(lambda text: [h.casefold() for h in MENTION.findall(text)])
    )
    if brand_handles == "infer":
        to_brand = _infer_brand_handles(messages, handles)
    else:
        to_brand = {str(k).casefold(): str(v) for k, v in (brand_handles or {}).items()}
    all_handles = sorted({h for hs in handles for h in hs} - set(to_brand))
    person = dict(
        zip(
            all_handles,
            _person_ids(pd.Series(all_handles, dtype=object), reveal, salt),
            strict=True,
        )
    )
    authors = _author_ids(messages, reveal, salt)
    replied = pd.Series(authors.to_numpy(), index=messages["message_id"].astype(str))
    replied = replied[~replied.index.duplicated()]
    reply_to = messages["reply_to"] if "reply_to" in messages.columns else None
    pairs = []
    for i, (author, brand, mentioned) in enumerate(
        zip(authors, messages["brand"].astype(str), handles, strict=True)
    ):
        targets = {brand} | {to_brand.get(h) or person[h] for h in mentioned}
        if reply_to is not None and pd.notna(reply_to.iloc[i]):
            targets.add(replied.get(str(reply_to.iloc[i])))
        if author == brand:
            targets.discard(brand)
        pairs.extend((author, t) for t in targets if t is not None)
    rows = pd.DataFrame(pairs, columns=["source", "target"]).assign(weight=1.0)
    brands = set(messages["brand"].astype(str)) | set(to_brand.values())
    ids = set(rows["source"]) | set(rows["target"])
    kind = {n: "brand" if n in brands else "person" for n in ids}
    written = authors.value_counts()
    return rows, {"kind": kind, "messages": {n: int(written.get(n, 0)) for n in ids}}


def _set_node_table(graph: nx.Graph, nodes: pd.DataFrame, node: str, function: str) -> None:
    require_columns(nodes, [node], function)
    ids = nodes[node]
    repeated = ids[ids.duplicated()]
    if len(repeated):
        raise SchemaError(
            f"{function}: column '{node}' of 'nodes' repeats {len(repeated)} ids, first "
            f"{repeated.iloc[0]!r}; expected each node once.",
            column=node,
        )
    unknown = [n for n in ids if n not in graph]
    if unknown:
        raise SchemaError(
            f"{function}: column '{node}' of 'nodes' has {len(unknown)} ids not in the graph, "
            f"first {unknown[0]!r}; expected ids that appear in the edges.",
            column=node,
        )
    for column in nodes.columns.drop(node):
        nx.set_node_attributes(graph, dict(zip(ids, nodes[column], strict=True)), str(column))


# ------------------------------------------------------------------------------- measures


def _check_graph(graph: object, function: str, *, need_edges: bool = False) -> None:
    if not isinstance(graph, nx.Graph) or graph.is_multigraph():
        raise ParameterError(
            f"The 'graph' parameter of {function} must be a networkx Graph or DiGraph. "
            f"Got {type(graph).__name__} instead."
        )
    if graph.number_of_nodes() == 0 or (need_edges and graph.number_of_edges() == 0):
        raise ParameterError(
            f"The 'graph' parameter of {function} must have at least one "
            f"{'edge' if need_edges else 'node'}. Got an empty graph instead."
        )


#: Graphs :func:`shipped_graph` builds from shipped data sets.
SHIPPED_GRAPHS = ("snap_ego_facebook", "airline_mentions")


@dataclass(frozen=True, eq=False)
class ShippedGraph:
    """A graph built from a shipped data set, with its messages and plain-words description.

    Attributes
    ----------
    graph : networkx.Graph
        From :func:`build_graph`.
    messages : pandas.DataFrame or None
        The messages the graph was built from (None for a friendship graph).
    source : str
        Where the graph comes from, in words.
    link : str
        What one edge is, in words.
    """

    graph: nx.Graph
    messages: pd.DataFrame | None
    source: str
    link: str


def shipped_graph(name: str = "snap_ego_facebook") -> ShippedGraph:
    """Build one of the shipped social graphs.

    Parameters
    ----------
    name : {"snap_ego_facebook", "airline_mentions"}, default "snap_ego_facebook"
        SNAP's ego-Facebook friendship graph (undirected), or who mentions or replies to whom
        in the ``twitter_airline_sentiment`` tweets (directed, weighted by messages).

    Returns
    -------
    ShippedGraph

    Examples
    --------
    >>> shipped = shipped_graph()
    >>> shipped.graph.number_of_nodes(), shipped.messages is None
    (4039, True)
    """
    from scrm_lab.datasets import load_dataset

    one_of("shipped_graph", "name", name, SHIPPED_GRAPHS)
    if name == "snap_ego_facebook":
        return ShippedGraph(
            build_graph(load_dataset("snap_ego_facebook")),
            None,
            "the SNAP ego-Facebook friendship graph (real, anonymous ids)",
            "a friendship (both ways)",
        )
    tweets = load_dataset("twitter_airline_sentiment")
    return ShippedGraph(
        build_graph(messages=tweets, directed=True),
        tweets,
        "who mentions or replies to whom in the airline tweets (real, February 2015; authors "
        "pseudonymized)",
        "one person mentioning or replying to another (directed, weighted by the number of "
        "messages)",
    )


def graph_summary(graph: nx.Graph, *, diameter: bool = True) -> pd.DataFrame:
    """One row of graph statistics.

    Components are weakly connected ones for a directed graph; clustering, triangles and
    the diameter are computed on the undirected graph. The diameter is the exact one
    (:func:`networkx.diameter` with bounds) of the largest component, since a disconnected
    graph has none; ``diameter_scope`` says which.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
    diameter : bool, default True
        False skips the diameter (``NaN``, scope ``"skipped"``).

    Returns
    -------
    pandas.DataFrame
        Columns ``nodes``, ``edges``, ``density``, ``components``,
        ``largest_component_share`` (of nodes), ``average_clustering``, ``triangles``,
        ``diameter``, ``diameter_scope`` ("graph", "largest component" or "skipped").

    Raises
    ------
    ParameterError
        If ``graph`` is not a graph or has no nodes.

    Examples
    --------
    >>> graph_summary(nx.karate_club_graph()).iloc[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'nodes': 34, 'edges': 78, 'density': 0.139..., 'components': 1,
     'largest_component_share': 1.0, 'average_clustering': 0.570...,
     'triangles': 45, 'diameter': 5.0, 'diameter_scope': 'graph'}
    """
    _check_graph(graph, "graph_summary")
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    components = list(nx.connected_components(undirected))
    largest = max(components, key=len)
    if not diameter:
        scope, value = "skipped", np.nan
    else:
        scope = "graph" if len(components) == 1 else "largest component"
        core = nx.Graph(undirected.subgraph(largest))
        core.remove_edges_from(list(nx.selfloop_edges(core)))
        value = float(nx.diameter(core, usebounds=True))
    return pd.DataFrame(
        {
            "nodes": [graph.number_of_nodes()],
            "edges": [graph.number_of_edges()],
            "density": [nx.density(graph)],
            "components": [len(components)],
            "largest_component_share": [len(largest) / graph.number_of_nodes()],
            "average_clustering": [nx.average_clustering(undirected)],
            "triangles": [sum(nx.triangles(undirected).values()) // 3],
            "diameter": [value],
            "diameter_scope": [scope],
        }
    )


def influence_scores(
    graph: nx.Graph,
    *,
    betweenness_sample: int | None = 50,
    seed: int = 0,
    betweenness: bool = True,
) -> pd.DataFrame:
    """Influence measures per node, one row each, most central (PageRank) first.

    Degree counts edges (in plus out when directed); ``weighted_degree`` sums edge weights
    (1 when an edge has none); PageRank is :func:`networkx.pagerank` with the weights;
    betweenness is :func:`networkx.betweenness_centrality` (normalized) on hop counts,
    because weights here are strengths, not distances, estimated from ``betweenness_sample``
    source nodes drawn with ``seed`` (exact when None or at least the node count; the
    ``betweenness_sources`` column says how many were used); ``core_number`` is
    :func:`networkx.core_number` with self-loops ignored. Each ``*_rank`` is 1 for the
    highest value, ties sharing the best rank.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
    betweenness_sample : int or None, default 50
        Source nodes for betweenness (>= 1); None for exact betweenness. On ego-Facebook
        (4,039 nodes) 50 sources take about 1 s instead of 104 s for the exact values, and
        find all of the exact top 10 and 19 of the top 20 (Spearman 0.75 over all nodes;
        0.83 with 100 sources): enough to rank the brokers, not to read small values.
    seed : int, default 0
        Seed of the betweenness sample.
    betweenness : bool, default True
        False leaves out the betweenness columns (the slowest measure).

    Returns
    -------
    pandas.DataFrame
        ``node``, ``degree`` (then ``in_degree``, ``out_degree`` when directed),
        ``weighted_degree``, ``pagerank``, ``betweenness``, ``betweenness_sources``,
        ``core_number``, then a ``<measure>_rank`` column per measure.

    Raises
    ------
    ParameterError
        An empty graph or a bad ``betweenness_sample``.

    Examples
    --------
    >>> scores = influence_scores(nx.karate_club_graph(), betweenness_sample=None)
    >>> scores[["node", "degree", "pagerank_rank", "core_number"]].head(2)
       node  degree  pagerank_rank  core_number
    0    33      17              1            4
    1     0      16              2            4
    """
    function = "influence_scores"
    _check_graph(graph, function)
    if betweenness_sample is not None and (
        not isinstance(betweenness_sample, int)
        or isinstance(betweenness_sample, bool)
        or betweenness_sample < 1
    ):
        raise ParameterError(
            f"The 'betweenness_sample' parameter of {function} must be an integer >= 1 or "
            f"None. Got {betweenness_sample!r} instead."
        )
    order = list(graph.nodes)
    table = pd.DataFrame({"node": order, "degree": [d for _, d in graph.degree(order)]})
    if graph.is_directed():
        table["in_degree"] = [d for _, d in graph.in_degree(order)]
        table["out_degree"] = [d for _, d in graph.out_degree(order)]
    table["weighted_degree"] = [float(d) for _, d in graph.degree(order, weight="weight")]
    pagerank = nx.pagerank(graph, weight="weight")
    table["pagerank"] = [pagerank[n] for n in order]
    if betweenness:
        n = graph.number_of_nodes()
        k = None if betweenness_sample is None or betweenness_sample >= n else betweenness_sample
        values = nx.betweenness_centrality(graph, k=k, weight=None, seed=seed)
        table["betweenness"] = [values[v] for v in order]
        table["betweenness_sources"] = n if k is None else k
    loopless = graph
    if nx.number_of_selfloops(graph):
        loopless = graph.copy()
        loopless.remove_edges_from(list(nx.selfloop_edges(graph)))
    cores = nx.core_number(loopless)
    table["core_number"] = [cores[v] for v in order]
    measures = [c for c in table.columns if c not in ("node", "betweenness_sources")]
    for column in measures:
        table[f"{column}_rank"] = table[column].rank(method="min", ascending=False).astype(int)
    return table.sort_values("pagerank_rank", kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------------------- communities


@dataclass(frozen=True, eq=False)
class Communities:
    """A partition of a graph's nodes (see :func:`find_communities`).

    Attributes
    ----------
    membership : pandas.DataFrame
        ``node``, ``community`` (0 is the largest community).
    summary : pandas.DataFrame
        One row per community: ``community``, ``size``, ``share`` (of nodes),
        ``internal_edges``, ``external_edges`` (edges with one end outside).
    modularity : float
        :func:`networkx.community.modularity` of the partition (weights and resolution
        used as in the search).
    method : str
    seed : int
    """

    membership: pd.DataFrame
    summary: pd.DataFrame
    modularity: float
    method: str
    seed: int


def find_communities(
    graph: nx.Graph, *, method: str = "louvain", seed: int = 0, resolution: float = 1.0
) -> Communities:
    """Find communities with Louvain or label propagation, with sizes and modularity.

    ``"louvain"`` is :func:`networkx.community.louvain_communities` (weights, ``resolution``,
    ``seed``); ``"label_propagation"`` is :func:`networkx.community.asyn_lpa_communities`
    (weights, ``seed``; ``resolution`` only enters the modularity). Communities are
    numbered by decreasing size, ties by their first node in graph order. Isolated nodes
    form their own communities.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        At least one edge.
    method : {"louvain", "label_propagation"}, default "louvain"
    seed : int, default 0
        Same seed and graph, same communities.
    resolution : float, default 1.0
        Above 1 favours smaller communities (> 0).

    Returns
    -------
    Communities

    Raises
    ------
    ParameterError
        A bad method or resolution, or a graph without edges.

    Examples
    --------
    >>> found = find_communities(nx.karate_club_graph(), seed=0)
    >>> found.summary["size"].tolist(), round(found.modularity, 3)
    ([14, 11, 5, 4], 0.444)
    """
    function = "find_communities"
    one_of(function, "method", method, ("louvain", "label_propagation"))
    if not isinstance(resolution, float | int) or isinstance(resolution, bool) or resolution <= 0:
        raise ParameterError(
            f"The 'resolution' parameter of {function} must be a number > 0. "
            f"Got {resolution!r} instead."
        )
    _check_graph(graph, function, need_edges=True)
    if method == "louvain":
        found = nx.community.louvain_communities(
            graph, weight="weight", resolution=resolution, seed=seed
        )
    else:
        found = list(nx.community.asyn_lpa_communities(graph, weight="weight", seed=seed))
    position = {n: i for i, n in enumerate(graph.nodes)}
    found = sorted(found, key=lambda c: (-len(c), min(position[n] for n in c)))
    label = {n: i for i, members in enumerate(found) for n in members}
    membership = pd.DataFrame({"node": list(graph.nodes), "community": [label[n] for n in graph]})
    membership = membership.sort_values("community", kind="stable").reset_index(drop=True)
    internal = np.zeros(len(found), dtype=int)
    external = np.zeros(len(found), dtype=int)
    for u, v in graph.edges():
        if label[u] == label[v]:
            internal[label[u]] += 1
        else:
            external[label[u]] += 1
            external[label[v]] += 1
    sizes = np.array([len(c) for c in found])
    summary = pd.DataFrame(
        {
            "community": np.arange(len(found)),
            "size": sizes,
            "share": sizes / graph.number_of_nodes(),
            "internal_edges": internal,
            "external_edges": external,
        }
    )
    modularity = nx.community.modularity(graph, found, weight="weight", resolution=resolution)
    return Communities(membership, summary, float(modularity), method, seed)


# ------------------------------------------------------------------------------- advocates


def advocates(
    graph: nx.Graph,
    messages: pd.DataFrame,
    *,
    brand: str,
    score: str = "pagerank",
    top: int | None = 20,
    min_messages: int = 1,
    reveal: bool = False,
    salt: str = "scrm_lab",
) -> pd.DataFrame:
    """Influential authors whose messages about a brand are mostly positive.

    Messages about ``brand`` (not written by brand accounts) are counted per author, whose
    node id is computed as :func:`build_graph` does (same ``reveal`` and ``salt``). Net
    sentiment is (positive - negative) / (positive + negative); an advocate has at least
    ``min_messages`` messages and net sentiment > 0. Advocates are sorted by ``score``
    from :func:`influence_scores` (ranked over the whole graph).

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        Built by :func:`build_graph` from messages.
    messages : pandas.DataFrame
        Canonical ``messages`` with a ``sentiment`` column.
    brand : str
        A value of the ``brand`` column.
    score : {"pagerank", "degree", "in_degree", "weighted_degree", "core_number", \
"betweenness"}, default "pagerank"
        ``in_degree`` needs a directed graph.
    top : int or None, default 20
        Rows kept; None keeps all.
    min_messages : int, default 1
    reveal, salt
        As given to :func:`build_graph`.

    Returns
    -------
    pandas.DataFrame
        ``node``, ``<score>``, ``<score>_rank``, ``messages``, ``positive``, ``neutral``,
        ``negative``, ``net_sentiment``.

    Raises
    ------
    ParameterError
        A bad option, an unknown brand, or a graph not built from messages the same way.
    SchemaError
        No ``sentiment`` values, or authors that are not nodes of the graph.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> tweets = load_dataset("twitter_airline_sentiment")
    >>> graph = build_graph(messages=tweets, directed=True)
    >>> fans = advocates(graph, tweets, brand="Virgin America", top=3)
    >>> list(fans.columns[:3]), bool((fans["net_sentiment"] > 0).all())
    (['node', 'pagerank', 'pagerank_rank'], True)
    """
    function = "advocates"
    _check_graph(graph, function)
    one_of(function, "score", score, _SCORES)
    if score == "in_degree" and not graph.is_directed():
        raise ParameterError(
            f"The 'score' parameter of {function} can be 'in_degree' only for a directed "
            "graph. Got an undirected graph instead."
        )
    for name, value, low in (("top", top, 1), ("min_messages", min_messages, 1)):
        if (value is not None or name != "top") and (
            not isinstance(value, int) or isinstance(value, bool) or value < low
        ):
            raise ParameterError(
                f"The {name!r} parameter of {function} must be an integer >= {low}"
                f"{' or None' if name == 'top' else ''}. Got {value!r} instead."
            )
    expected = "revealed" if reveal else "pseudonymized"
    if graph.graph.get("node_ids") != expected:
        raise ParameterError(
            f"The 'graph' parameter of {function} must be built by build_graph from messages "
            f"with reveal={reveal}. Got a graph whose node ids are "
            f"{graph.graph.get('node_ids', 'of unknown origin')!r} instead."
        )
    require_columns(messages, ["brand", "author"], function)
    if "sentiment" not in messages.columns or messages["sentiment"].isna().all():
        raise SchemaError(
            f"{function}: the messages carry no sentiment (column 'sentiment' is missing or "
            "empty); expected 'negative', 'neutral' or 'positive' labels.",
            table="messages",
            column="sentiment",
        )
    brands = sorted(messages["brand"].dropna().astype(str).unique())
    if brand not in brands:
        raise ParameterError(
            f"The 'brand' parameter of {function} must be a brand of the messages, one of "
            f"{brands}. Got {brand!r} instead.{suggest(brand, brands)}"
        )
    about = messages[messages["brand"].astype(str) == brand]
    ids = _author_ids(about, reveal, salt)
    people = ids != brand
    about, ids = about[people], ids[people]
    unknown = sorted(set(ids) - set(graph.nodes))
    if unknown:
        raise SchemaError(
            f"{function}: {len(unknown)} authors are not nodes of the graph, first "
            f"{unknown[0]!r}; expected the messages and salt the graph was built from.",
            table="messages",
            column="author",
        )
    labels = about["sentiment"].astype("string")
    counts = pd.DataFrame(
        {
            "node": ids.to_numpy(),
            "positive": (labels == "positive").fillna(False).to_numpy(),
            "neutral": (labels == "neutral").fillna(False).to_numpy(),
            "negative": (labels == "negative").fillna(False).to_numpy(),
        }
    )
    table = counts.groupby("node", sort=False).agg(
        messages=("positive", "size"),
        positive=("positive", "sum"),
        neutral=("neutral", "sum"),
        negative=("negative", "sum"),
    )
    polar = table["positive"] + table["negative"]
    table["net_sentiment"] = (table["positive"] - table["negative"]) / polar.where(polar > 0)
    table = table[(table["messages"] >= min_messages) & (table["net_sentiment"] > 0)]
    scores = influence_scores(graph, betweenness=score == "betweenness")
    scores = scores[["node", score, f"{score}_rank"]]
    out = scores.merge(table.reset_index(), on="node", how="inner")
    out = out.sort_values([score, "node"], ascending=[False, True], kind="stable")
    out = out.reset_index(drop=True)
    return out if top is None else out.head(top)


# ------------------------------------------------------------------------------- bridges


@dataclass(frozen=True, eq=False)
class Bridges:
    """Nodes and links between communities (see :func:`bridges`).

    Attributes
    ----------
    nodes : pandas.DataFrame
        ``node``, ``community``, ``degree``, ``external_edges``, ``external_share``,
        ``communities_linked``, ``participation``; best bridges first.
    links : pandas.DataFrame
        One row per pair of communities joined by edges: ``community_a``, ``community_b``
        (source and target communities when directed; ``a < b`` otherwise), ``edges``,
        ``weight``.
    """

    nodes: pd.DataFrame
    links: pd.DataFrame


def bridges(
    graph: nx.Graph,
    membership: pd.DataFrame,
    *,
    top: int | None = 20,
    node: str = "node",
    community: str = "community",
) -> Bridges:
    """Nodes that link communities, and edge counts between communities.

    For a node with ``degree`` k (self-loops left out, in plus out when directed) of which
    ``k_c`` go to community c: ``external_edges`` go outside its own community,
    ``external_share`` is their share, ``communities_linked`` counts the other communities
    reached and ``participation`` is the participation coefficient 1 - sum_c (k_c / k)^2
    (Guimera and Amaral 2005; 0 for isolated nodes). Nodes are sorted by participation,
    then external edges.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
    membership : pandas.DataFrame
        One row per node of the graph, e.g. :attr:`Communities.membership`.
    top : int or None, default 20
        Node rows kept; None keeps all.
    node, community : str
        Column names in ``membership``.

    Returns
    -------
    Bridges

    Raises
    ------
    ParameterError
        An empty graph or a bad ``top``.
    SchemaError
        Missing columns, repeated or unknown node ids, or graph nodes without a community.

    Examples
    --------
    >>> karate = nx.karate_club_graph()
    >>> found = bridges(karate, find_communities(karate).membership, top=2)
    >>> found.nodes[["node", "communities_linked"]].to_dict("list")
    {'node': [28, 27], 'communities_linked': [2, 2]}
    """
    function = "bridges"
    _check_graph(graph, function)
    if top is not None and (not isinstance(top, int) or isinstance(top, bool) or top < 1):
        raise ParameterError(
            f"The 'top' parameter of {function} must be an integer >= 1 or None. "
            f"Got {top!r} instead."
        )
    require_columns(membership, [node, community], function)
    ids = membership[node]
    problems = (
        ("repeats", ids[ids.duplicated()].tolist(), "each node once"),
        ("has ids not in the graph", [n for n in ids if n not in graph], "graph nodes only"),
        ("misses graph nodes", list(set(graph.nodes) - set(ids)), "every graph node"),
    )
    for what, found, wanted in problems:
        if found:
            raise SchemaError(
                f"{function}: column '{node}' of 'membership' {what}: {len(found)}, first "
                f"{found[0]!r}; expected {wanted}.",
                column=node,
            )
    label = dict(zip(ids, membership[community], strict=True))
    reach: dict[object, Counter] = {n: Counter() for n in graph.nodes}
    links: Counter = Counter()
    link_weight: Counter = Counter()
    for u, v, w in graph.edges(data="weight", default=1.0):
        if u == v:
            continue
        reach[u][label[v]] += 1
        reach[v][label[u]] += 1
        a, b = label[u], label[v]
        if a != b:
            pair = (a, b) if graph.is_directed() or a < b else (b, a)
            links[pair] += 1
            link_weight[pair] += w
    rows = []
    for n, counts in reach.items():
        degree = sum(counts.values())
        outside = degree - counts[label[n]]
        rows.append(
            (
                n,
                label[n],
                degree,
                outside,
                outside / degree if degree else 0.0,
                sum(1 for c, k in counts.items() if c != label[n] and k),
                1 - sum((k / degree) ** 2 for k in counts.values()) if degree else 0.0,
            )
        )
    nodes = pd.DataFrame(
        rows,
        columns=[
            "node",
            "community",
            "degree",
            "external_edges",
            "external_share",
            "communities_linked",
            "participation",
        ],
    )
    nodes = nodes.sort_values(
        ["participation", "external_edges"], ascending=False, kind="stable"
    ).reset_index(drop=True)
    pairs = sorted(links)
    table = pd.DataFrame(
        {
            "community_a": [a for a, _ in pairs],
            "community_b": [b for _, b in pairs],
            "edges": [links[p] for p in pairs],
            "weight": [float(link_weight[p]) for p in pairs],
        }
    )
    return Bridges(nodes if top is None else nodes.head(top), table)
