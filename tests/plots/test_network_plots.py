"""Tests of scrm_lab.plots._network: circles and links of the community map, reach bars."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.container import BarContainer, ErrorbarContainer

from scrm_lab.exceptions import ParameterError
from scrm_lab.plots import plot_community_map, plot_reach


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture
def cliques():
    """Cliques of 6, 5, 4 and 3 nodes in a ring, one edge between neighbours."""
    graph = nx.Graph()
    start, rows = 0, []
    for community, size in enumerate([6, 5, 4, 3]):
        members = range(start, start + size)
        graph.add_edges_from((u, v) for u in members for v in members if u < v)
        rows += [(n, community) for n in members]
        start += size
    graph.add_edges_from([(0, 6), (6, 11), (11, 15), (15, 0), (1, 7)])
    return graph, pd.DataFrame(rows, columns=["node", "community"])


def test_community_map_draws_one_circle_per_community_with_area_by_size(cliques):
    graph, membership = cliques
    ax = plot_community_map(graph, membership)
    assert isinstance(ax, Axes)
    assert [t.get_text() for t in ax.texts] == ["0\n6", "1\n5", "2\n4", "3\n3"]
    areas = [np.pi * p.get_radius() ** 2 for p in ax.patches]
    assert np.allclose(np.array(areas) / areas[0], [1, 5 / 6, 4 / 6, 3 / 6])
    widths = sorted(line.get_linewidth() for line in ax.lines)
    assert len(widths) == 4 and widths[-1] > widths[0]  # 0-1 has two links, the rest one


def test_community_map_merges_small_communities_into_other(cliques):
    graph, membership = cliques
    ax = plot_community_map(graph, membership, top=2, seed=3)
    assert len(ax.patches) == 3
    assert [t.get_text() for t in ax.texts] == ["0\n6", "1\n5", "other\n7"]
    assert len(ax.lines) == 3  # 0-1, 1-other, other-0


def test_community_map_refuses_missing_column_and_bad_top(cliques):
    graph, membership = cliques
    with pytest.raises(ParameterError, match=r"needs the column\(s\) \['community'\]"):
        plot_community_map(graph, membership.drop(columns="community"))
    with pytest.raises(ParameterError, match="'top' parameter of plot_community_map"):
        plot_community_map(graph, membership, top=0)


@pytest.fixture
def reach():
    return pd.DataFrame(
        {
            "strategy": ["top_degree", "top_pagerank", "random"],
            "expected_reach": [50.0, 40.0, 12.0],
            "reach_ci_low": [47.0, 36.5, 10.0],
            "reach_ci_high": [53.0, 43.5, 14.5],
        }
    )


def test_reach_bars_labels_and_random_highlighted(reach):
    ax = plot_reach(reach)
    (bars,) = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert [b.get_width() for b in bars] == [50.0, 40.0, 12.0]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(reach["strategy"])
    colours = [b.get_facecolor() for b in bars]
    assert colours[0] == colours[1] != colours[2]


def test_reach_error_bars_equal_the_table_interval(reach):
    ax = plot_reach(reach)
    (errors,) = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    segments = errors.lines[2][0].get_segments()
    low = [s[0][0] for s in segments]
    high = [s[1][0] for s in segments]
    assert np.allclose(low, reach["reach_ci_low"]) and np.allclose(high, reach["reach_ci_high"])


def test_reach_refuses_missing_column(reach):
    with pytest.raises(
        ParameterError, match=r"plot_reach needs the column\(s\) \['reach_ci_low'\]"
    ):
        plot_reach(reach.drop(columns="reach_ci_low"))
