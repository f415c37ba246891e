"""Tests of scrm_lab.network against networkx's own functions and SNAP's published figures."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from scrm_lab.datasets import load_dataset
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.network import (
    advocates,
    bridges,
    build_graph,
    find_communities,
    graph_summary,
    influence_scores,
)

AIRLINES = {"United", "US Airways", "American", "Southwest", "Delta", "Virgin America"}


@pytest.fixture(scope="module")
def ego() -> nx.Graph:
    return build_graph(load_dataset("snap_ego_facebook"))


@pytest.fixture(scope="module")
def mention_graph(tweets: pd.DataFrame) -> nx.DiGraph:
    return build_graph(messages=tweets, directed=True)


def test_snap_ego_facebook_reproduces_published_statistics(ego: nx.Graph) -> None:
    row = graph_summary(ego).iloc[0]
    assert (row["nodes"], row["edges"]) == (4039, 88234)
    assert row["average_clustering"] == pytest.approx(0.6055, abs=1e-4)
    assert row["triangles"] == 1612010
    assert row["diameter"] == 8
    assert row["diameter_scope"] == "graph"


def test_influence_scores_equal_networkx_on_karate() -> None:
    karate = nx.karate_club_graph()
    scores = influence_scores(karate, betweenness_sample=None).set_index("node")
    assert scores["degree"].to_dict() == dict(karate.degree)
    assert scores["weighted_degree"].to_dict() == pytest.approx(
        dict(karate.degree(weight="weight"))
    )
    assert scores["pagerank"].to_dict() == pytest.approx(nx.pagerank(karate, weight="weight"))
    assert scores["betweenness"].to_dict() == pytest.approx(nx.betweenness_centrality(karate))
    assert scores["core_number"].to_dict() == nx.core_number(karate)
    assert (scores["betweenness_sources"] == 34).all()
    assert scores["pagerank_rank"].is_monotonic_increasing


def test_sampled_betweenness_is_networkx_with_same_seed() -> None:
    karate = nx.karate_club_graph()
    scores = influence_scores(karate, betweenness_sample=10, seed=3).set_index("node")
    expected = nx.betweenness_centrality(karate, k=10, seed=3)
    assert scores["betweenness"].to_dict() == pytest.approx(expected)
    assert (scores["betweenness_sources"] == 10).all()


def test_directed_scores_have_in_and_out_degree(mention_graph: nx.DiGraph) -> None:
    scores = influence_scores(mention_graph, betweenness=False)
    assert {"in_degree", "out_degree", "in_degree_rank"} <= set(scores.columns)
    assert "betweenness" not in scores.columns
    assert (scores["degree"] == scores["in_degree"] + scores["out_degree"]).all()


def test_core_number_ignores_kept_self_loops() -> None:
    edges = pd.DataFrame({"source": ["a", "a", "b", "c"], "target": ["b", "c", "c", "c"]})
    graph = build_graph(edges, self_loops="keep")
    assert graph.graph["cleaning"]["self_loops"] == 1
    scores = influence_scores(graph).set_index("node")
    assert scores["core_number"].to_dict() == {"a": 2, "b": 2, "c": 2}


@pytest.mark.parametrize("method", ["louvain", "label_propagation"])
def test_modularity_is_networkx_and_seed_repeats(method: str) -> None:
    karate = nx.karate_club_graph()
    found = find_communities(karate, method=method, seed=7)
    again = find_communities(karate, method=method, seed=7)
    pd.testing.assert_frame_equal(found.membership, again.membership)
    groups = found.membership.groupby("community")["node"].apply(set).tolist()
    assert found.modularity == pytest.approx(nx.community.modularity(karate, groups))
    assert found.summary["size"].sum() == 34
    assert found.summary["internal_edges"].sum() + found.summary[
        "external_edges"
    ].sum() / 2 == pytest.approx(78)


def test_bridges_participation_by_hand() -> None:
    edges = pd.DataFrame({"source": ["a", "a", "b", "c"], "target": ["b", "c", "c", "d"]})
    graph = build_graph(edges)
    membership = pd.DataFrame({"node": ["a", "b", "c", "d"], "community": [0, 0, 0, 1]})
    found = bridges(graph, membership, top=None)
    c = found.nodes.set_index("node").loc["c"]
    assert (c["degree"], c["external_edges"], c["communities_linked"]) == (3, 1, 1)
    assert c["participation"] == pytest.approx(1 - (2 / 3) ** 2 - (1 / 3) ** 2)
    assert found.nodes["node"].iloc[0] == "c"
    d = found.nodes.set_index("node").loc["d"]
    assert (d["external_share"], d["participation"]) == (1.0, 0.0)
    assert found.links.to_dict("records") == [
        {"community_a": 0, "community_b": 1, "edges": 1, "weight": 1.0}
    ]


def test_airline_mention_graph_is_pseudonymized_with_airlines_on_top(
    tweets: pd.DataFrame, mention_graph: nx.DiGraph
) -> None:
    top = sorted(mention_graph.in_degree, key=lambda pair: -pair[1])[:6]
    assert {n for n, _ in top} == AIRLINES
    handles = set(tweets["author"].str.casefold())
    assert handles.isdisjoint(mention_graph.nodes)
    mentioned = {"jetblue", "dhepburn"}
    assert mentioned.isdisjoint(mention_graph.nodes)
    revealed = build_graph(messages=tweets, directed=True, reveal=True)
    assert handles <= set(revealed.nodes)
    assert revealed.graph["node_ids"] == "revealed"


def test_messages_graph_links_mentions_brands_and_replies() -> None:
    messages = pd.DataFrame(
        {
            "message_id": ["1", "2", "3"],
            "brand": ["Acme", "Acme", "Acme"],
            "author": ["Ann", "bob", "acme"],
            "text": ["@acme hi @Bob", "@acme @ann thanks", "@bob sorry"],
            "reply_to": [None, "1", "2"],
            "author_is_brand": [False, False, True],
        }
    )
    graph = build_graph(messages=messages, directed=True, reveal=True)
    assert dict(graph.edges) == {
        ("ann", "Acme"): {"weight": 1.0},
        ("ann", "bob"): {"weight": 1.0},
        ("bob", "Acme"): {"weight": 1.0},
        ("bob", "ann"): {"weight": 1.0},
        ("Acme", "bob"): {"weight": 1.0},
    }
    assert graph.nodes["Acme"] == {"kind": "brand", "messages": 1}


def test_advocates_are_positive_influential_authors(
    tweets: pd.DataFrame, mention_graph: nx.DiGraph
) -> None:
    fans = advocates(mention_graph, tweets, brand="Delta", score="in_degree", top=None)
    assert (fans["net_sentiment"] > 0).all()
    assert fans["in_degree"].is_monotonic_decreasing
    about = tweets[tweets["brand"] == "Delta"]
    assert fans["messages"].sum() <= len(about)
    positives = (about["sentiment"] == "positive").sum()
    assert 0 < fans["positive"].sum() <= positives


def test_weighted_false_and_duplicates_in_directed_graph() -> None:
    edges = pd.DataFrame({"source": ["a", "b", "a"], "target": ["b", "a", "b"], "weight": 2.0})
    directed = build_graph(edges, directed=True)
    assert dict(directed.edges) == {("a", "b"): {"weight": 4.0}, ("b", "a"): {"weight": 2.0}}
    plain = build_graph(edges, weighted=False)
    assert list(plain.edges(data=True)) == [("a", "b", {})]


def test_node_attributes_are_copied() -> None:
    edges = pd.DataFrame({"source": ["a"], "target": ["b"]})
    graph = build_graph(edges, nodes=pd.DataFrame({"node": ["a"], "segment": ["vip"]}))
    assert graph.nodes["a"] == {"segment": "vip"}


def test_disconnected_graph_diameter_is_of_largest_component() -> None:
    edges = pd.DataFrame({"source": ["a", "b", "x"], "target": ["b", "c", "y"]})
    row = graph_summary(build_graph(edges)).iloc[0]
    assert (row["components"], row["diameter"], row["diameter_scope"]) == (
        2,
        2,
        "largest component",
    )
    assert row["largest_component_share"] == pytest.approx(0.6)
    skipped = graph_summary(build_graph(edges), diameter=False).iloc[0]
    assert skipped["diameter_scope"] == "skipped"


# ------------------------------------------------------------------------------- bad input

EDGES = pd.DataFrame({"source": ["a", "b", "c"], "target": ["b", "c", "c"]})


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"edges": EDGES, "self_loops": "refuse"}, SchemaError, r"1 self-loops .* row 3"),
        (
            {"edges": pd.concat([EDGES, EDGES.iloc[[0]]]), "duplicates": "refuse"},
            SchemaError,
            r"1 duplicate edges .* row 4 \('a' - 'b'\)",
        ),
        ({"edges": EDGES.iloc[:0]}, ParameterError, "edges table has no rows"),
        ({}, ParameterError, "exactly one of 'edges' or 'messages'. Got neither"),
        ({"edges": EDGES, "self_loops": "dorp"}, ParameterError, "Did you mean 'drop'"),
        ({"edges": EDGES.rename(columns={"target": "to"})}, SchemaError, "column 'target'"),
        (
            {"edges": EDGES.assign(weight=[1.0, -2.0, 1.0])},
            SchemaError,
            "1 negative weights, first -2.0 at row 2",
        ),
        (
            {"edges": EDGES.assign(source=["a", None, "c"])},
            SchemaError,
            "'source' has 1 missing node ids, first at row 2",
        ),
        (
            {"edges": EDGES, "nodes": pd.DataFrame({"node": ["a", "zz"]})},
            SchemaError,
            "1 ids not in the graph, first 'zz'",
        ),
        (
            {"edges": EDGES, "nodes": pd.DataFrame({"node": ["a", "a"]})},
            SchemaError,
            "repeats 1 ids, first 'a'",
        ),
    ],
)
def test_build_graph_refuses_bad_input(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        build_graph(**kwargs)


def test_empty_graphs_are_refused() -> None:
    with pytest.raises(ParameterError, match="at least one node. Got an empty graph"):
        influence_scores(nx.Graph())
    with pytest.raises(ParameterError, match="at least one node"):
        graph_summary(nx.Graph())
    with pytest.raises(ParameterError, match="at least one node. Got an empty graph"):
        find_communities(nx.Graph())
    with pytest.raises(ParameterError, match="networkx Graph or DiGraph. Got MultiGraph"):
        bridges(nx.MultiGraph([(1, 2)]), pd.DataFrame({"node": [1, 2], "community": 0}))


def test_bad_parameters_are_refused() -> None:
    karate = nx.karate_club_graph()
    with pytest.raises(ParameterError, match="'betweenness_sample' .* Got 0 instead"):
        influence_scores(karate, betweenness_sample=0)
    with pytest.raises(ParameterError, match="'method' .* Got 'lovain'"):
        find_communities(karate, method="lovain")
    with pytest.raises(ParameterError, match="'resolution' .* > 0. Got -1"):
        find_communities(karate, resolution=-1)


def test_bridges_refuse_bad_membership() -> None:
    graph = build_graph(EDGES)
    with pytest.raises(SchemaError, match="misses graph nodes: 1, first 'c'"):
        bridges(graph, pd.DataFrame({"node": ["a", "b"], "community": [0, 1]}))
    with pytest.raises(SchemaError, match="has ids not in the graph: 1, first 'q'"):
        bridges(graph, pd.DataFrame({"node": ["a", "b", "c", "q"], "community": 0}))


def test_advocates_refuse_bad_input(tweets: pd.DataFrame, mention_graph: nx.DiGraph) -> None:
    with pytest.raises(SchemaError, match="carry no sentiment"):
        advocates(mention_graph, tweets.drop(columns="sentiment"), brand="Delta")
    with pytest.raises(ParameterError, match="Got 'Delt' instead. Did you mean 'Delta'"):
        advocates(mention_graph, tweets, brand="Delt")
    with pytest.raises(SchemaError, match="authors are not nodes of the graph"):
        advocates(mention_graph, tweets, brand="Delta", salt="other")
    with pytest.raises(ParameterError, match="with reveal=True. Got .* 'pseudonymized'"):
        advocates(mention_graph, tweets, brand="Delta", reveal=True)
    with pytest.raises(ParameterError, match="'in_degree' only for a directed graph"):
        advocates(nx.Graph(mention_graph), tweets, brand="Delta", score="in_degree")


def test_brand_advocates_count_the_advocates_and_the_authors(
    tweets: pd.DataFrame, mention_graph: nx.DiGraph
) -> None:
    from scrm_lab.network import brand_advocates

    found = brand_advocates(mention_graph, tweets, brand="Delta", score="in_degree", top=3)
    every = advocates(mention_graph, tweets, brand="Delta", score="in_degree", top=None)
    assert found.count == len(every)
    assert found.table.equals(every.head(3))
    # distinct authors of the tweets about Delta, counted with pandas
    assert found.authors == tweets.loc[tweets["brand"] == "Delta", "author"].nunique()
    nothing = brand_advocates(nx.path_graph(2), None, brand="Delta")
    assert (nothing.table, nothing.count, nothing.authors) == (None, None, None)
    with pytest.raises(ParameterError, match="'top' parameter of brand_advocates"):
        brand_advocates(mention_graph, tweets, brand="Delta", top=0)


def test_influence_key_results_read_the_tables() -> None:
    from scrm_lab.network import influence_key_results

    karate = nx.karate_club_graph()
    found = find_communities(karate, seed=0)
    reach = pd.DataFrame(
        {"strategy": ["top_degree"], "expected_reach": [9.5], "random_reach": [4.0],
         "greedy_reach": [10.0], "viral_ratio": [0.9]}
    )  # fmt: skip
    results = influence_key_results(graph_summary(karate), found.summary, found.modularity, reach)
    # the karate club: 34 members, 78 ties (Zachary 1977); networkx's Louvain modularity
    assert (results["nodes"], results["edges"]) == (34, 78)
    assert results["communities"] == len(found.summary)
    assert results["modularity"] == pytest.approx(
        nx.community.modularity(karate, nx.community.louvain_communities(karate, seed=0))
    )
    assert results["best_strategy"] == "top_degree" and results["viral_ratio"] == 0.9
