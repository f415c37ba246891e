"""Building graphs: from an ``edges`` or a ``messages`` table, and the two shipped graphs.

:func:`build_graph` turns a canonical ``edges`` table, or a ``messages`` table (who mentions
or replies to whom), into a networkx graph and records what it cleaned in
``graph.graph["cleaning"]``; :func:`shipped_graph` builds the reports' two shipped graphs.

Examples
--------
>>> edges = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]})
>>> build_graph(edges).number_of_edges()
2
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from scrm_lab._checks import (
    COLUMN,
    Choice,
    Flag,
    OrNone,
    Text,
    checks,
    current_function,
    numeric_column,
    require_columns,
)
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.network._constraints import BRAND_HANDLES, TABLE
from scrm_lab.privacy import MENTION, pseudonymize

__all__ = ["SHIPPED_GRAPHS", "ShippedGraph", "build_graph", "shipped_graph"]


# ------------------------------------------------------------------------------- building


@checks(
    edges=OrNone(TABLE),
    messages=OrNone(TABLE),
    directed=Flag(),
    weighted=Flag(),
    source=COLUMN,
    target=COLUMN,
    weight=COLUMN,
    self_loops=Choice(("drop", "keep", "refuse")),
    duplicates=Choice(("sum", "refuse")),
    nodes=OrNone(TABLE),
    node=COLUMN,
    brand_handles=BRAND_HANDLES,
    reveal=Flag(),
    salt=Text(),
)
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
    function = current_function()
    if (edges is None) == (messages is None):
        raise ParameterError(
            f"{function} needs exactly one of 'edges' or 'messages'. "
            f"Got {'both' if edges is not None else 'neither'} instead."
        )
    if edges is not None:
        rows, table = _edge_rows(edges, source, target, weight), "edges"
        node_ids, node_attrs = "given", {}
    else:
        rows, node_attrs = _message_rows(messages, brand_handles, reveal, salt)
        table, duplicates = "messages", "sum"
        node_ids = "revealed" if reveal else "pseudonymized"
    if rows.empty:
        raise ParameterError(f"{function}: the {table} table has no rows; expected edges.")
    rows, cleaning = _clean(rows, directed, self_loops, duplicates, table)
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.graph.update(cleaning=cleaning, node_ids=node_ids)
    if weighted:
        graph.add_weighted_edges_from(rows.itertuples(index=False, name=None))
    else:
        graph.add_edges_from(rows[["source", "target"]].itertuples(index=False, name=None))
    for name, values in node_attrs.items():
        nx.set_node_attributes(graph, values, name)
    if nodes is not None:
        _set_node_table(graph, nodes, node)
    return graph


def _edge_rows(edges: pd.DataFrame, source: str, target: str, weight: str) -> pd.DataFrame:
    function = current_function()
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
) -> tuple[pd.DataFrame, dict[str, object]]:
    function = current_function()
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
) -> tuple[pd.DataFrame, dict[str, dict]]:
    function = current_function()
    require_columns(messages, ["message_id", "brand", "author", "text"], function)
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


def _set_node_table(graph: nx.Graph, nodes: pd.DataFrame, node: str) -> None:
    function = current_function()
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


@checks(name=Choice(SHIPPED_GRAPHS))
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
