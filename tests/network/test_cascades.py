"""Tests of scrm_lab.network._cascades: cascade simulations, seed strategies, greedy seeds."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.network import (
    CascadeResult,
    _cascades,
    compare_seed_strategies,
    greedy_seeds,
    simulate_cascades,
)

SEED = 2009


@pytest.fixture(scope="module")
def hub_graph() -> nx.Graph:
    return nx.barabasi_albert_graph(500, 2, seed=SEED)


def _within(result: CascadeResult, expected: float) -> None:
    """The mean lies within 4 standard errors of the exact expectation."""
    se = result.reach.std(ddof=1) / np.sqrt(result.runs)
    assert abs(result.expected_reach - expected) < 4 * se


@pytest.mark.parametrize("p", [0.3, 0.6, 0.9])
def test_ic_binary_tree_matches_closed_form(p):
    # From the root of a complete binary tree, a node at depth d is reached with p**d.
    tree = nx.balanced_tree(2, 6)
    result = simulate_cascades(tree, [0], probability=p, runs=20_000, seed=SEED)
    _within(result, sum(2**d * p**d for d in range(7)))


def test_ic_directed_path_matches_closed_form():
    path = nx.path_graph(30, create_using=nx.DiGraph)
    result = simulate_cascades(path, [0], probability=0.8, runs=20_000, seed=SEED)
    _within(result, sum(0.8**d for d in range(30)))
    assert result.steps.max() <= 29


def test_ic_edge_attribute_probability():
    path = nx.path_graph(4, create_using=nx.DiGraph)
    nx.set_edge_attributes(path, {(0, 1): 1.0, (1, 2): 0.5, (2, 3): 0.0}, "p")
    result = simulate_cascades(path, [0], probability="p", runs=20_000, seed=SEED)
    _within(result, 2.5)
    assert set(result.reach.tolist()) == {2, 3}


def test_probability_zero_reaches_only_the_seeds(hub_graph):
    result = simulate_cascades(hub_graph, [0, 1, 2], probability=0.0, runs=50)
    assert (result.reach == 3).all() and result.viral_ratio == 0.0
    assert (result.steps == 0).all()


def test_probability_one_reaches_the_whole_component():
    graph = nx.disjoint_union(nx.path_graph(5), nx.cycle_graph(7))
    result = simulate_cascades(graph, [0], probability=1.0, runs=10)
    assert (result.reach == 5).all() and (result.steps == 4).all()
    result = simulate_cascades(graph, [0, 5], probability=1.0, runs=10)
    assert (result.reach == 12).all() and result.viral_ratio == 5.0


def test_lt_path_with_unit_weights_activates_everything():
    path = nx.path_graph(10, create_using=nx.DiGraph)
    nx.set_edge_attributes(path, 1.0, "w")
    result = simulate_cascades(path, [0], model="linear_threshold", weight="w", runs=30)
    assert (result.reach == 10).all() and (result.steps == 9).all()


def test_lt_default_weights_on_directed_path_activate_everything():
    # Each node has one in-neighbour, so its weight is 1 and reaches any threshold.
    path = nx.path_graph(6, create_using=nx.DiGraph)
    result = simulate_cascades(path, [0], model="linear_threshold", runs=30)
    assert (result.reach == 6).all()


def test_lt_star_leaf_needs_its_threshold():
    # A leaf of an undirected star has weight 1 from the hub; the hub gets 1/4 per leaf,
    # so from one leaf the hub activates with probability 1/4, then every leaf follows.
    star = nx.star_graph(4)
    result = simulate_cascades(star, [1], model="linear_threshold", runs=20_000, seed=SEED)
    _within(result, 0.75 * 1 + 0.25 * 5)


def test_same_seed_same_result_other_seed_other_result(hub_graph):
    first = simulate_cascades(hub_graph, [0, 1], probability=0.1, runs=300, seed=5)
    again = simulate_cascades(hub_graph, [0, 1], probability=0.1, runs=300, seed=5)
    other = simulate_cascades(hub_graph, [0, 1], probability=0.1, runs=300, seed=6)
    np.testing.assert_array_equal(first.reach, again.reach)
    np.testing.assert_array_equal(first.steps, again.steps)
    assert not np.array_equal(first.reach, other.reach)


@pytest.mark.parametrize("model", ["independent_cascade", "linear_threshold"])
def test_chunked_and_unchunked_runs_are_identical(hub_graph, model, monkeypatch):
    kwargs = {"model": model, "runs": 200, "seed": 3}
    if model == "independent_cascade":
        kwargs["probability"] = 0.2
    whole = simulate_cascades(hub_graph, [0, 1], **kwargs)
    monkeypatch.setattr(_cascades, "_STATE_BYTES", 7 * hub_graph.number_of_nodes() * 9)
    monkeypatch.setattr(_cascades, "_TRY_BUDGET", 50)
    chunked = simulate_cascades(hub_graph, [0, 1], **kwargs)
    np.testing.assert_array_equal(whole.reach, chunked.reach)
    np.testing.assert_array_equal(whole.steps, chunked.steps)


def test_max_steps_limits_the_cascade():
    path = nx.path_graph(10)
    result = simulate_cascades(path, [0], probability=1.0, runs=5, max_steps=3)
    assert (result.reach == 4).all()


def test_summary_old_ci_keyword_warns_and_agrees(hub_graph):
    result = simulate_cascades(hub_graph, [0, 1, 2, 3], probability=0.1, runs=200, seed=1)
    with pytest.warns(FutureWarning, match=r"'ci' parameter of CascadeResult.summary .* alpha="):
        old = result.summary(ci=0.9)
    new = result.summary(alpha=0.1)
    pd.testing.assert_frame_equal(old, new, rtol=1e-12)
    with pytest.raises(ParameterError, match=r"'alpha' parameter of CascadeResult.summary"):
        result.summary(alpha=1.2)


def test_summary_columns_and_intervals(hub_graph):
    result = simulate_cascades(hub_graph, [0, 1, 2, 3], probability=0.1, runs=400, seed=1)
    table = result.summary(alpha=0.1)
    assert table.columns.tolist() == [
        "measure", "n", "estimate", "std_error", "ci_low", "ci_high",
        "percentile_low", "percentile_high", "method",
    ]  # fmt: skip
    reach = table.set_index("measure").loc["reach"]
    half = stats.norm.ppf(0.95) * result.reach.std(ddof=1) / np.sqrt(400)
    assert reach["estimate"] == pytest.approx(result.expected_reach)
    assert reach["ci_high"] - reach["estimate"] == pytest.approx(half)
    assert reach["percentile_low"] == np.percentile(result.reach, 5)
    ratio = table.set_index("measure").loc["viral_ratio"]
    assert ratio["estimate"] == pytest.approx((result.expected_reach - 4) / 4)
    assert result.direct == 4


def test_string_node_ids_are_kept():
    graph = nx.relabel_nodes(nx.star_graph(3), {0: "hub", 1: "a", 2: "b", 3: "c"})
    result = simulate_cascades(graph, "hub", probability=1.0, runs=3)
    assert result.seeds == ("hub",) and (result.reach == 4).all()


def test_greedy_picks_the_hub_of_a_star_first():
    table = greedy_seeds(nx.star_graph(20), 3, probability=0.3, runs=200)
    assert table.columns.tolist() == [
        "order", "node", "marginal_gain", "expected_reach", "evaluations",
    ]  # fmt: skip
    assert table["node"].iloc[0] == 0 and table["order"].tolist() == [1, 2, 3]
    assert table["expected_reach"].is_monotonic_increasing
    assert (table["marginal_gain"] >= 0).all()


def test_greedy_two_stars_picks_both_hubs():
    graph = nx.disjoint_union(nx.star_graph(15), nx.star_graph(10))
    table = greedy_seeds(graph, 2, probability=0.5, runs=200, candidates=5)
    assert table["node"].tolist() == [0, 16]
    expected = simulate_cascades(graph, [0, 16], probability=0.5, runs=200).expected_reach
    assert table["expected_reach"].iloc[-1] == pytest.approx(expected)


def test_compare_top_degree_beats_random(hub_graph):
    scores = pd.DataFrame(
        {
            "node": list(hub_graph),
            "degree": [d for _, d in hub_graph.degree],
            "pagerank": list(nx.pagerank(hub_graph).values()),
        }
    )
    table = compare_seed_strategies(hub_graph, scores, k=5, probability=0.05, runs=500)
    assert table["strategy"].tolist() == ["top_degree", "top_pagerank", "random"]
    rows = table.set_index("strategy")
    assert rows.at["top_degree", "reach_ci_low"] > rows.at["random", "reach_ci_high"]
    assert (table["n"] == 500).all() and (table["k"] == 5).all()


# ----------------------------------------------------------------------------- errors


def test_errors_on_seeds():
    graph = nx.relabel_nodes(nx.path_graph(3), {0: "alice", 1: "bob", 2: "carol"})
    with pytest.raises(ParameterError, match=r"'seeds'.*Got 'alicia'.*Did you mean 'alice'"):
        simulate_cascades(graph, ["alicia"])
    with pytest.raises(ParameterError, match=r"'seeds'.*non-empty list.*Got \[\]"):
        simulate_cascades(graph, [])
    with pytest.raises(ParameterError, match=r"'seeds'.*Got 7 instead"):
        simulate_cascades(graph, ["bob", 7])


@pytest.mark.parametrize("p", [-0.1, 1.5, True])
def test_error_probability_out_of_range(p):
    with pytest.raises(ParameterError, match=r"'probability'.*\[0, 1\].*Got"):
        simulate_cascades(nx.path_graph(3), [0], probability=p)


def test_error_probability_attribute_missing():
    with pytest.raises(ParameterError, match=r"'probability'.*edge \(0, 1\) has None.*'p'"):
        simulate_cascades(nx.path_graph(3), [0], probability="p")


def test_error_probability_for_lt_and_weight_for_ic():
    with pytest.raises(ParameterError, match=r"'probability'.*None for the linear threshold"):
        simulate_cascades(nx.path_graph(3), [0], model="linear_threshold", probability=0.2)
    with pytest.raises(ParameterError, match=r"'weight'.*None for the independent cascade"):
        simulate_cascades(nx.path_graph(3), [0], weight="w")


@pytest.mark.parametrize(("name", "value"), [("runs", 0), ("seed", -1), ("max_steps", 0)])
def test_error_integers(name, value):
    with pytest.raises(ParameterError, match=rf"'{name}'.*integer >= .*Got {value} instead"):
        simulate_cascades(nx.path_graph(3), [0], **{name: value})


def test_error_unknown_model():
    with pytest.raises(ParameterError, match=r"'model'.*Got 'linear_treshold'.*Did you mean"):
        simulate_cascades(nx.path_graph(3), [0], model="linear_treshold")


def test_error_graph():
    with pytest.raises(ParameterError, match=r"'graph'.*networkx Graph.*Got DataFrame instead"):
        simulate_cascades(pd.DataFrame(), [0])
    with pytest.raises(ParameterError, match=r"'graph'.*at least one node"):
        simulate_cascades(nx.Graph(), [0])


def test_error_k_larger_than_nodes():
    with pytest.raises(ParameterError, match=r"'k' parameter of greedy_seeds.*from 1 to 4"):
        greedy_seeds(nx.path_graph(4), 5)
    with pytest.raises(ParameterError, match=r"'k'.*from 1 to 2.*Got 3"):
        greedy_seeds(nx.path_graph(4), 3, candidates=2)
    scores = pd.DataFrame({"node": [0, 1, 2, 3], "degree": [1, 2, 2, 1]})
    with pytest.raises(ParameterError, match=r"'k' parameter of compare_seed_strategies"):
        compare_seed_strategies(nx.path_graph(4), scores, k=5)


def test_error_scores_table():
    graph = nx.path_graph(4)
    with pytest.raises(SchemaError, match=r"column 'node' is not in the data"):
        compare_seed_strategies(graph, pd.DataFrame({"id": [0]}), k=1)
    with pytest.raises(ParameterError, match=r"'scores'.*numeric.*Got column 'label' of dtype"):
        compare_seed_strategies(graph, pd.DataFrame({"node": [0], "label": ["x"]}), k=1)
    with pytest.raises(ParameterError, match=r"'scores'.*numeric column per measure"):
        compare_seed_strategies(graph, pd.DataFrame({"node": [0]}), k=1)
    with pytest.raises(ParameterError, match=r"'scores'.*Got 9 instead"):
        compare_seed_strategies(graph, pd.DataFrame({"node": [9], "degree": [1]}), k=1)
    with pytest.raises(ParameterError, match=r"'scores'.*one row per node"):
        compare_seed_strategies(graph, pd.DataFrame({"node": [0, 0], "degree": [1, 1]}), k=1)


def test_strategies_from_influence_scores_skip_rank_and_bookkeeping_columns():
    from scrm_lab.network import influence_scores

    graph = nx.barabasi_albert_graph(200, 2, seed=3)
    scores = influence_scores(graph, betweenness_sample=None)
    table = compare_seed_strategies(graph, scores, k=3, probability=0.1, runs=100, random_sets=10)
    assert table["strategy"].tolist() == [
        "top_degree",
        "top_weighted_degree",
        "top_pagerank",
        "top_betweenness",
        "top_core_number",
        "random",
    ]
    chosen = compare_seed_strategies(graph, scores, k=3, runs=50, measures=["pagerank"])
    assert chosen["strategy"].tolist() == ["top_pagerank", "random"]
    with pytest.raises(SchemaError, match="column 'pagerank_x' is not in the data.*Did you mean"):
        compare_seed_strategies(graph, scores, k=3, runs=50, measures=["pagerank_x"])
