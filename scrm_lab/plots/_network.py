"""Figures of social graphs: communities drawn as one circle each, and cascade reach per
seeding strategy.

Re-exported by :mod:`scrm_lab.plots`.

Examples
--------
>>> import networkx as nx
>>> from scrm_lab.network import find_communities
>>> karate = nx.karate_club_graph()
>>> len(plot_community_map(karate, find_communities(karate).membership, top=3).patches) > 0
True
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Circle

from scrm_lab._checks import SEED, Integer, checks
from scrm_lab.plots._base import AX, new_axes, require

_OTHER = "other"


@checks(top=Integer(low=1), seed=SEED, ax=AX)
def plot_community_map(
    graph: nx.Graph,
    membership: pd.DataFrame,
    *,
    top: int = 12,
    seed: int = 0,
    ax: Axes | None = None,
) -> Axes:
    """The graph of communities: one circle per community, lines for links between them.

    The ``top`` largest communities get a circle each (the rest are merged into one circle
    labelled "other"); a circle's area is proportional to its members and it is labelled
    with the community id and size. A line joins two circles when edges link their members,
    its width growing with the number of edges. Circles are placed by
    :func:`networkx.spring_layout` on this small graph of communities (unweighted, with
    ``seed``), then scaled so that none overlap.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
    membership : pandas.DataFrame
        ``node`` and ``community`` columns, one row per node, e.g.
        :attr:`scrm_lab.network.Communities.membership`.
    top : int, default 12
        Communities drawn on their own (>= 1).
    seed : int, default 0
        Seed of the layout.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from scrm_lab.network import find_communities
    >>> karate = nx.karate_club_graph()
    >>> axes = plot_community_map(karate, find_communities(karate).membership, top=3)
    >>> len(axes.patches), [t.get_text() for t in axes.texts][-1]
    (4, 'other\\n4')
    """
    require(membership, ["node", "community"])
    sizes = membership["community"].value_counts(sort=False)
    order = sorted(sizes.index, key=lambda c: (-sizes[c], str(c)))
    kept = order[:top]
    group = {c: (c if c in kept else _OTHER) for c in order}
    label = {n: group[c] for n, c in zip(membership["node"], membership["community"], strict=True)}
    counts = {c: int(sizes[c]) for c in kept}
    if len(order) > top:
        counts[_OTHER] = int(sizes[order[top:]].sum())
    communities = nx.Graph()
    communities.add_nodes_from(counts)
    for u, v in graph.edges():
        a, b = label[u], label[v]
        if a != b:
            links = communities.get_edge_data(a, b, {"links": 0})["links"]
            communities.add_edge(a, b, links=links + 1)
    position = nx.spring_layout(communities, k=2 / np.sqrt(len(counts)), weight=None, seed=seed)
    ax = new_axes(ax, (8, 8))
    most = max(counts.values())
    root = {c: np.sqrt(size / most) for c, size in counts.items()}
    scale = min(
        [0.22]
        + [
            0.9 * np.hypot(*(position[a] - position[b])) / (root[a] + root[b])
            for i, a in enumerate(counts)
            for b in list(counts)[i + 1 :]
        ]
    )
    radius = {c: scale * r for c, r in root.items()}
    widest = max((d for _, _, d in communities.edges(data="links")), default=1)
    for a, b, links in communities.edges(data="links"):
        (xa, ya), (xb, yb) = position[a], position[b]
        ax.plot([xa, xb], [ya, yb], color="#8c959f", alpha=0.7, zorder=1,
                linewidth=0.5 + 7.5 * links / widest)  # fmt: skip
    for c, size in counts.items():
        x, y = position[c]
        colour = "#d0d7de" if c == _OTHER else "#54aeff"
        ax.add_patch(Circle((x, y), radius[c], facecolor=colour, edgecolor="#24292f", zorder=2))
        ax.text(x, y, f"{c}\n{size:,}", ha="center", va="center", fontsize=9, zorder=3)
    xs = [position[c][0] for c in counts]
    ys = [position[c][1] for c in counts]
    pad = scale + 0.05
    ax.set_xlim(min(xs) - pad, max(xs) + pad)
    ax.set_ylim(min(ys) - pad, max(ys) + pad)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax


@checks(ax=AX)
def plot_reach(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Expected reach per seeding strategy, with its confidence interval; random in orange.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`scrm_lab.network.compare_seed_strategies` output: ``strategy``,
        ``expected_reach``, ``reach_ci_low`` and ``reach_ci_high`` columns, drawn top to
        bottom in table order.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> table = pd.DataFrame({"strategy": ["top_degree", "random"],
    ...                       "expected_reach": [40.0, 15.0],
    ...                       "reach_ci_low": [38.0, 13.0], "reach_ci_high": [42.0, 17.0]})
    >>> [t.get_text() for t in plot_reach(table).get_yticklabels()]
    ['top_degree', 'random']
    """
    columns = ["strategy", "expected_reach", "reach_ci_low", "reach_ci_high"]
    require(table, columns)
    ax = new_axes(ax, (8, 0.5 * len(table) + 1.5))
    estimate = table["expected_reach"].to_numpy(float)
    error = [estimate - table["reach_ci_low"].to_numpy(float),
             table["reach_ci_high"].to_numpy(float) - estimate]  # fmt: skip
    colours = ["#fb8f44" if s == "random" else "#0969da" for s in table["strategy"]]
    rows = np.arange(len(table))
    ax.barh(rows, estimate, xerr=error, color=colours, capsize=3)
    ax.set_yticks(rows, [str(s) for s in table["strategy"]])
    ax.invert_yaxis()
    ax.set_xlabel("expected reach (people), with 95% interval")
    return ax
