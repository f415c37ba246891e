"""People who matter to a brand: its advocates, and the bridges between communities.

:func:`advocates` lists the influential authors who speak well of a brand (from a messages
graph of :func:`scrm_lab.network.build_graph`); :func:`bridges` the nodes that link
communities of :func:`scrm_lab.network.find_communities` (:class:`Bridges`).

Examples
--------
>>> from scrm_lab.network import find_communities
>>> karate = nx.karate_club_graph()
>>> found = bridges(karate, find_communities(karate).membership, top=1)
>>> found.nodes["communities_linked"].tolist()
[2]
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from scrm_lab._checks import (
    COLUMN,
    Choice,
    Flag,
    Integer,
    OrNone,
    Text,
    checks,
    current_function,
    refuse,
    require_columns,
    suggest,
)
from scrm_lab.exceptions import SchemaError
from scrm_lab.network._build import _author_ids
from scrm_lab.network._constraints import graph_with
from scrm_lab.network._measures import influence_scores

__all__ = ["BrandAdvocates", "Bridges", "advocates", "brand_advocates", "bridges"]

#: Influence measures :func:`advocates` can sort by.
_SCORES = ("pagerank", "degree", "in_degree", "weighted_degree", "core_number", "betweenness")


# ------------------------------------------------------------------------------- advocates


@checks(
    brand=Text(),
    score=Choice(_SCORES),
    top=OrNone(Integer(low=1)),
    min_messages=Integer(low=1),
    reveal=Flag(),
    salt=Text(),
)
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
    >>> from scrm_lab.network import build_graph
    >>> tweets = load_dataset("twitter_airline_sentiment")
    >>> graph = build_graph(messages=tweets, directed=True)
    >>> fans = advocates(graph, tweets, brand="Virgin America", top=3)
    >>> list(fans.columns[:3]), bool((fans["net_sentiment"] > 0).all())
    (['node', 'pagerank', 'pagerank_rank'], True)
    """
    function = current_function()
    graph_with(graph)
    if score == "in_degree" and not graph.is_directed():
        raise refuse(
            "score", "a measure of an undirected graph ('in_degree' only for a directed graph)",
            score,
        )  # fmt: skip
    expected = "revealed" if reveal else "pseudonymized"
    if graph.graph.get("node_ids") != expected:
        origin = graph.graph.get("node_ids", "of unknown origin")
        raise refuse(
            "graph",
            f"built by build_graph from messages with reveal={reveal}",
            graph,
            described=f"a graph whose node ids are {origin!r}",
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
        raise refuse("brand", f"a brand of the messages, one of {brands}", brand,
                     suggest(brand, brands))  # fmt: skip
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


@checks(top=OrNone(Integer(low=1)), node=COLUMN, community=COLUMN)
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
        >>> from scrm_lab.network import find_communities
    >>> karate = nx.karate_club_graph()
        >>> found = bridges(karate, find_communities(karate).membership, top=2)
        >>> found.nodes[["node", "communities_linked"]].to_dict("list")
        {'node': [28, 27], 'communities_linked': [2, 2]}
    """
    function = current_function()
    graph_with(graph)
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


@dataclass(frozen=True, eq=False)
class BrandAdvocates:
    """A brand's advocates for a report (see :func:`brand_advocates`).

    Attributes
    ----------
    table : pandas.DataFrame or None
        The ``top`` advocates (:func:`advocates`); None when there are no messages.
    count : int or None
        How many advocates there are in all; None when there are no messages.
    authors : int or None
        How many distinct authors wrote about the brand; None when there are no messages.
    """

    table: pd.DataFrame | None
    count: int | None
    authors: int | None


@checks(brand=Text(), score=Choice(_SCORES), top=Integer(low=1), salt=Text())
def brand_advocates(
    graph: nx.Graph,
    messages: pd.DataFrame | None,
    *,
    brand: str,
    score: str = "pagerank",
    top: int = 15,
    salt: str = "scrm_lab",
) -> BrandAdvocates:
    """A brand's top advocates, how many there are and how many authors wrote about it.

    For a graph built from messages (pseudonymized, with ``salt``); a friendship graph has no
    messages (``messages=None``), and every field is then None, which
    :func:`scrm_lab.network.advocate_sentences` words as "no messages".

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
    messages : pandas.DataFrame or None
        The messages the graph was built from.
    brand : str
    score : str, default "pagerank"
        The influence measure the advocates are sorted by.
    top : int, default 15
        Advocates listed in ``table``.
    salt : str, default "scrm_lab"
        Salt of the pseudonyms the graph was built with.

    Returns
    -------
    BrandAdvocates

    Examples
    --------
    >>> brand_advocates(nx.path_graph(2), None, brand="Delta").count is None
    True
    """
    if messages is None:
        return BrandAdvocates(None, None, None)
    found = advocates(graph, messages, brand=brand, score=score, top=None, salt=salt)
    authors = messages.loc[messages["brand"] == brand, "author"].nunique()
    return BrandAdvocates(found.head(top), len(found), int(authors))
