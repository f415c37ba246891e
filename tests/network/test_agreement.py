"""Agreement of influence measures, reach comparison and their wording (network._agreement)."""

from __future__ import annotations

from itertools import combinations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.network import (
    advocate_sentences,
    agreement_sentences,
    bridge_sentences,
    community_sentences,
    graph_sentences,
    influence_scores,
    measure_agreement,
    reach_comparison,
    reach_sentences,
    summary_sentences,
)


@pytest.fixture(scope="module")
def scores():
    graph = nx.barabasi_albert_graph(120, 2, seed=4)
    return influence_scores(graph, seed=0)


@pytest.mark.parametrize("method", ["spearman", "kendall"])
def test_rank_correlations_match_scipy(scores, method):
    table = measure_agreement(scores, k=5, method=method)
    measures = ["betweenness", "core_number", "degree", "pagerank"]
    assert len(table) == 6 and (table["method"] == method).all()
    assert table["estimate"].is_monotonic_increasing
    reference = stats.spearmanr if method == "spearman" else stats.kendalltau
    for _, row in table.iterrows():
        assert row["measure_a"] < row["measure_b"] and {row["measure_a"], row["measure_b"]} <= set(
            measures
        )
        expected = reference(scores[row["measure_a"]], scores[row["measure_b"]])[0]
        assert row["estimate"] == pytest.approx(expected)
        assert row["n"] == len(scores)


def test_top_k_overlap_is_counted_by_hand():
    frame = pd.DataFrame(
        {"node": list("abcdef"), "x": [6, 5, 4, 3, 2, 1], "y": [5, 6, 1, 2, 3, 4],
         "z": [1, 2, 3, 4, 5, 6]}
    )  # fmt: skip
    table = measure_agreement(frame, measures=["x", "y", "z"], k=2).set_index(
        ["measure_a", "measure_b"]
    )
    # top 2: x {a, b}, y {a, b}, z {e, f}
    assert table.loc[("x", "y"), "top_k_shared"] == 2
    assert table.loc[("x", "z"), "top_k_shared"] == 0
    assert (table["all_shared"] == 0).all()
    assert table.loc[("x", "z"), "estimate"] == pytest.approx(-1.0)
    rho = stats.spearmanr(frame["x"], frame["y"])[0]
    assert table.loc[("x", "y"), "estimate"] == pytest.approx(rho)


def test_rank_columns_decide_the_top_when_present():
    frame = pd.DataFrame(
        {"node": [1, 2, 3], "a": [1.0, 1.0, 0.0], "a_rank": [2, 1, 3], "b": [0.0, 1.0, 2.0]}
    )
    table = measure_agreement(frame, measures=["a", "b"], k=1)
    # a's top 1 is node 2 (rank 1), b's is node 3: nothing shared
    assert table.loc[0, "top_k_shared"] == 0
    frame["b"] = [0.0, 2.0, 1.0]
    assert measure_agreement(frame, measures=["a", "b"], k=1).loc[0, "top_k_shared"] == 1


def test_a_constant_measure_has_no_correlation_and_is_left_out():
    frame = pd.DataFrame({"node": [1, 2, 3], "a": [1.0, 2, 3], "b": [3.0, 1, 2], "c": 1.0})
    table = measure_agreement(frame, measures=["a", "b", "c"], k=1)
    assert list(zip(table["measure_a"], table["measure_b"], strict=True)) == [("a", "b")]
    # the constant measure still counts among the measures whose tops are compared
    assert table.loc[0, "n_measures"] == 3
    assert "top 1 of all three." in agreement_sentences(table)[2]


def test_bad_agreement_arguments_are_refused(scores):
    with pytest.raises(ParameterError, match="'measures' parameter of measure_agreement"):
        measure_agreement(scores, measures=["degree"])
    with pytest.raises(ParameterError, match="'k' parameter of measure_agreement"):
        measure_agreement(scores, k=0)
    with pytest.raises(ParameterError, match="'method' parameter of measure_agreement"):
        measure_agreement(scores, method="pearson")
    with pytest.raises(SchemaError, match="influence"):
        measure_agreement(scores, measures=["degree", "influence"])


def test_agreement_words_follow_half_of_k():
    pairs = pd.DataFrame(
        {"measure_a": ["a", "a"], "measure_b": ["b", "c"], "estimate": [0.2, 0.8], "k": 4}
    )
    many = agreement_sentences(pairs.assign(all_shared=2))
    assert many[0] == "A and c agree most (Spearman 0.80); a and b least (0.20)."
    assert many[1].endswith("matters little for the very top.")
    assert "2 people are in the top 4 of all three" in many[2]
    one = agreement_sentences(pairs.assign(all_shared=1))
    assert "1 of the 4 people ranked highest is in" in one[1]
    assert one[1].endswith("changes who is picked.") and "1 person is" in one[2]


@pytest.mark.parametrize(
    "value, word",
    [(0.51, "a strong community"), (0.5, "a clear community"), (0.31, "a clear community"),
     (0.3, "a weak community")],
)  # fmt: skip
def test_modularity_words_and_their_thresholds(value, word):
    sizes = pd.DataFrame({"size": [3, 1], "share": [0.75, 0.25]})
    assert word in community_sentences(sizes, value)[0]


def test_clustering_words_and_their_threshold():
    facts = {"nodes": 4, "edges": 3, "components": 2, "density": 0.5,
             "largest_component_share": 0.75, "diameter": 2.0}  # fmt: skip
    tight = graph_sentences(pd.DataFrame([{**facts, "average_clustering": 0.31}]),
                            source="s", link="l")[0]  # fmt: skip
    loose = graph_sentences(pd.DataFrame([{**facts, "average_clustering": 0.3}]),
                            source="s", link="l")[0]  # fmt: skip
    assert "tight circles of friends" in tight and "2 separate pieces" in tight
    assert "few closed triangles" in loose


def _strategies(best_low, random_high, ratio):
    return pd.DataFrame(
        {"strategy": ["top_degree", "top_pagerank", "random"], "k": 5,
         "expected_reach": [20.0, 25.0, 10.0], "reach_ci_low": [18.0, best_low, 9.0],
         "reach_ci_high": [22.0, 27.0, random_high], "viral_ratio": [3.0, ratio, 1.0]}
    )  # fmt: skip


def test_reach_comparison_picks_the_best_ranking_and_compares_intervals():
    row = reach_comparison(_strategies(23.0, 11.0, 4.0), pd.DataFrame({"expected_reach": [24.0]}))
    row = row.iloc[0]
    assert row["strategy"] == "top_pagerank" and row["lift"] == pytest.approx(2.5)
    assert row["separated"] and not row["greedy_better"]
    # touching intervals are not separated
    touching = reach_comparison(
        _strategies(11.0, 11.0, 4.0), pd.DataFrame({"expected_reach": [26.0]})
    )
    assert not touching.iloc[0]["separated"] and touching.iloc[0]["greedy_better"]
    words = reach_sentences(touching, probability=0.05)
    assert "the intervals overlap" in words[0] and "more than any single ranking" in words[0]


@pytest.mark.parametrize("ratio, word", [(1.6, "far above"), (1.5, "above"), (0.75, "below")])
def test_viral_ratio_words_against_starbucks(ratio, word):
    row = reach_comparison(_strategies(23.0, 11.0, ratio), pd.DataFrame({"expected_reach": [1.0]}))
    assert f"Starbucks in 2009; {word} it." in reach_sentences(row, probability=0.1)[1]


def test_reach_comparison_needs_a_random_row():
    table = _strategies(23.0, 11.0, 1.0)
    with pytest.raises(
        ParameterError,
        match="'strategies' parameter of reach_comparison must be a table holding a 'random'",
    ):
        reach_comparison(
            table[table["strategy"] != "random"], pd.DataFrame({"expected_reach": [1]})
        )
    with pytest.raises(SchemaError, match="expected_reach"):
        reach_comparison(table, pd.DataFrame({"reach": [1.0]}))


def test_pairs_cover_every_combination(scores):
    measures = ["degree", "pagerank", "betweenness"]
    table = measure_agreement(scores, measures=measures, k=3)
    assert len(table) == len(list(combinations(measures, 2)))
    assert np.isfinite(table["estimate"]).all()


def test_bridge_advocate_and_summary_words():
    nodes = pd.DataFrame({"node": ["n1"], "communities_linked": [3]})
    links = pd.DataFrame({"community_a": [0, 2], "community_b": [1, 3], "edges": [5, 1200]})
    assert "pair of communities is 2 and 3 with 1,200 links" in bridge_sentences(nodes, links)[0]
    assert advocate_sentences(None)[0].startswith("The Facebook friendship graph")
    words = advocate_sentences(25, 100, brand="Delta", measure="degree")[0]
    assert words.startswith("25 of the 100 people who tweeted about Delta") and "(25%)" in words
    summary = pd.DataFrame([{"nodes": 10, "edges": 12, "average_clustering": 0.25}])
    pairs = pd.DataFrame({"measure_a": ["a"], "measure_b": ["b"], "estimate": [0.5], "k": 3,
                          "all_shared": 1})  # fmt: skip
    sizes = pd.DataFrame({"size": [6, 4], "share": [0.6, 0.4]})
    reach = reach_comparison(_strategies(23.0, 11.0, 2.0), pd.DataFrame({"expected_reach": [1.0]}))
    lines = summary_sentences(summary, pairs, sizes, 0.4, reach, community_method="louvain")
    assert [line.split(":**")[0] for line in lines] == [
        "**Graph", "**Influence", "**Communities", "**Reach", "**Viral ratio", "**Advocates"
    ]  # fmt: skip
    assert lines[3] == (
        "**Reach:** the top 5 by pagerank reach 25.0 people, 2.5 times random seeds; "
        "greedy seeds 1.0."
    )
    assert lines[5] == "**Advocates:** none without sentiment data."
    lines = summary_sentences(summary, pairs, sizes, 0.4, reach, community_method="louvain",
                              advocates=7, brand="Delta")  # fmt: skip
    assert lines[5] == "**Advocates:** 7 net-positive people about Delta."


def test_shipped_graphs_and_an_unknown_name():
    from scrm_lab.datasets import load_dataset
    from scrm_lab.network import shipped_graph

    air = shipped_graph("airline_mentions")
    assert air.graph.is_directed() and air.messages is not None
    assert len(air.messages) == len(load_dataset("twitter_airline_sentiment"))
    assert "airline tweets" in air.source and "directed" in air.link
    with pytest.raises(ParameterError, match="'name' parameter of shipped_graph.*facebook"):
        shipped_graph("facebook")
