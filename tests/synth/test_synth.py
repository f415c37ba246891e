"""Tests of scrm_lab.synth: canonical tables, reproducibility and recovery of the truth.

Expected values come from independent estimators (statsmodels, scipy, networkx, scikit-learn)
applied to large simulated samples; the pinned literals detect a change of the random stream.
"""

from __future__ import annotations

import dataclasses
import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats
from sklearn.metrics import adjusted_rand_score

from scrm_lab.exceptions import ParameterError
from scrm_lab.schema import validate
from scrm_lab.synth import (
    DEFAULT_SECTORS,
    ENGAGEMENTDB_CHANNELS,
    simulate_brand_panel,
    simulate_customers,
    simulate_social_graph,
)

LARGE = {"n_brands": 2000, "n_periods": 12}


def _frame(panel) -> pd.DataFrame:
    """Latent panel with observable log size and lagged growth (first period dropped)."""
    data = panel.latent.copy()
    data["log_size"] = np.log(panel.brands.set_index("brand")["size"]).loc[data["brand"]].values
    data["growth_lag"] = data.groupby("brand")["growth"].shift(1)
    return data.dropna(subset=["growth_lag"]).reset_index(drop=True)


def _ols(formula: str, data: pd.DataFrame, term: str) -> tuple[float, float, float]:
    fit = smf.ols(formula, data).fit()
    low, high = fit.conf_int().loc[term]
    return fit.params[term], low, high


# ---------------------------------------------------------------- brand panel: tables


def test_brand_panel_tables_validate_and_have_the_asked_shapes():
    channels = ("blogs", "wiki", "video")
    panel = simulate_brand_panel(n_brands=7, n_periods=5, channels=channels, seed=4)
    validate(panel.brands, "brands")
    validate(panel.channel_activity, "channel_activity")
    validate(panel.financials, "financials")
    assert panel.brands.shape == (7, 4)
    assert panel.financials.shape == (7 * 5, 6)
    assert panel.channel_activity.shape == (7 * 5 * 3, 8)
    assert panel.latent.shape == (7 * 5, 9)
    for table in (panel.brands, panel.channel_activity, panel.financials, panel.latent):
        assert isinstance(table.index, pd.RangeIndex)
    assert panel.brands["brand"].tolist() == [f"B00{i}" for i in range(1, 8)]
    assert list(panel.channel_activity["channel"].cat.categories) == list(channels)
    assert list(panel.brands["sector"].cat.categories) == list(DEFAULT_SECTORS)
    periods = pd.date_range("2008-01-01", periods=5, freq="QS").as_unit("ns")
    assert (panel.financials["period"].iloc[:5].to_numpy() == periods.to_numpy()).all()
    assert set(panel.financials["currency"]) == {"USD"}


def test_brand_panel_defaults_use_the_engagementdb_channels():
    assert len(ENGAGEMENTDB_CHANNELS) == 11
    panel = simulate_brand_panel(n_brands=2, n_periods=2)
    assert panel.channel_activity["channel"].unique().tolist() == list(ENGAGEMENTDB_CHANNELS)


def test_absent_channels_have_missing_counts_and_present_ones_have_counts():
    activity = simulate_brand_panel(n_brands=50, seed=2).channel_activity
    counts = activity[["posts", "followers", "engagements", "replies"]]
    assert 0 < activity["present"].mean() < 1
    assert counts[~activity["present"]].isna().all().all()
    assert counts[activity["present"]].notna().all().all()


def test_revenue_compounds_the_simulated_growth():
    panel = simulate_brand_panel(n_brands=20, n_periods=6, effect=0.05, seed=8)
    revenue = panel.financials.pivot(index="brand", columns="period", values="revenue")
    size = panel.brands.set_index("brand")["size"]
    log_revenue = np.log(pd.concat([size.rename("before"), revenue], axis=1)).to_numpy()
    growth = panel.latent.pivot(index="brand", columns="period", values="growth").to_numpy()
    np.testing.assert_allclose(np.diff(log_revenue, axis=1), growth, atol=1e-12)


def test_margins_are_ratios_with_net_below_gross():
    financials = simulate_brand_panel(n_brands=200, seed=3).financials
    assert (financials["net_margin"] > 0).all()
    assert (financials["net_margin"] < financials["gross_margin"]).all()
    assert (financials["gross_margin"] < 1).all()


def test_channels_may_be_an_array_and_names_stay_plain_strings():
    panel = simulate_brand_panel(n_brands=2, n_periods=2, channels=np.array(["wiki", "video"]))
    assert panel.truth["channels"] == ("wiki", "video")
    assert type(panel.truth["channels"][0]) is str


def test_custom_sectors_frequency_and_a_single_sector():
    panel = simulate_brand_panel(n_brands=4, sectors=["only"], freq="MS", start="2020-03-01")
    assert panel.truth["sector_engagement"] == {"only": 0.0}
    assert panel.financials["period"].iloc[1] == pd.Timestamp("2020-04-01")


def test_truth_table_lists_every_parameter():
    panel = simulate_brand_panel(n_brands=3, n_periods=2, effect=0.01, seed=5)
    table = panel.truth_table()
    assert table.columns.tolist() == ["parameter", "value", "description"]
    values = dict(zip(table["parameter"], table["value"], strict=True))
    assert values["effect"] == 0.01
    assert values["seed"] == 5
    assert values["channel_popularity[twitter]"] == panel.truth["channel_popularity"]["twitter"]
    assert table["description"].str.len().min() > 3


# ---------------------------------------------------------------- brand panel: reproducibility


def test_same_seed_same_panel_and_another_seed_another():
    first, again = simulate_brand_panel(seed=7), simulate_brand_panel(seed=7)
    other = simulate_brand_panel(seed=8)
    for name in ("brands", "channel_activity", "financials", "latent"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(again, name))
    assert first.truth == again.truth
    assert not first.financials["revenue"].equals(other.financials["revenue"])
    assert not first.channel_activity["followers"].equals(other.channel_activity["followers"])


def test_pinned_values_of_the_seed_0_panel():
    panel = simulate_brand_panel(seed=0)
    assert panel.financials["revenue"].iloc[:3].tolist() == pytest.approx(
        [2725975823.924475, 2610334585.6779127, 2579258429.987474], rel=1e-12
    )
    assert panel.latent["engagement_index"].iloc[:2].tolist() == pytest.approx(
        [-0.5071416160247308, -0.09449563224638813], rel=1e-12
    )
    assert panel.channel_activity["followers"].iloc[:3].tolist() == [30764, 11360, 56242]


# ---------------------------------------------------------------- brand panel: ground truth


@pytest.mark.parametrize(
    ("effect", "reverse"), [(0.02, 0.0), (0.0, 0.0), (-0.015, 0.8), (0.03, 0.5)]
)
def test_controlled_regression_recovers_the_true_effect(effect, reverse):
    panel = simulate_brand_panel(**LARGE, effect=effect, reverse=reverse, seed=11)
    formula = "growth ~ engagement_index_lag + log_size + C(sector)"
    if reverse:
        formula += " + growth_lag"
    estimate, low, high = _ols(formula, _frame(panel), "engagement_index_lag")
    assert panel.truth["effect"] == effect
    assert low <= effect <= high
    assert estimate == pytest.approx(effect, abs=0.0015)


def test_confounding_biases_the_raw_correlation_but_not_the_controlled_estimate():
    data = _frame(simulate_brand_panel(**LARGE, effect=0.0, confounding=2.0, seed=12))
    raw = stats.pearsonr(data["growth"], data["engagement_index_lag"])
    assert raw.statistic > 0.1
    assert raw.pvalue < 1e-20
    estimate, low, high = _ols(
        "growth ~ engagement_index_lag + log_size + C(sector)", data, "engagement_index_lag"
    )
    assert low <= 0 <= high
    assert abs(estimate) < 0.0015


def test_without_confounding_the_raw_correlation_is_null():
    panel = simulate_brand_panel(**LARGE, effect=0.0, confounding=0.0, seed=13)
    data = _frame(panel)
    assert (panel.latent["engagement_level"] == 0).all()
    assert abs(stats.pearsonr(data["growth"], data["engagement_index_lag"]).statistic) < 0.03


def test_reverse_causality_makes_past_growth_predict_engagement():
    reverse = 0.5
    data = _frame(simulate_brand_panel(**LARGE, effect=0.0, reverse=reverse, seed=14))
    formula = "engagement_index ~ engagement_index_lag + growth_lag + log_size + C(sector)"
    estimate, low, high = _ols(formula, data, "growth_lag")
    assert low <= reverse / 0.05 <= high  # the index rises by `reverse` per sigma of growth
    assert low > 0
    null = _frame(simulate_brand_panel(**LARGE, effect=0.0, reverse=0.0, seed=14))
    estimate, low, high = _ols(formula, null, "growth_lag")
    assert abs(estimate) < 0.5  # tiny next to 10 above


def test_reverse_causality_alone_makes_later_engagement_look_predictive():
    data = _frame(simulate_brand_panel(**LARGE, effect=0.0, confounding=0.0, reverse=1.0))
    # Growth against the next period's engagement, as a study measuring engagement after
    # the growth it is compared with would do: strongly "significant" with no causal effect.
    assert stats.pearsonr(data["growth_lag"], data["engagement_index"]).statistic > 0.3


def test_index_scale_and_persistence_are_as_documented():
    data = simulate_brand_panel(**LARGE, confounding=0.0, persistence=0.7, seed=15).latent
    assert data["engagement_index"].mean() == pytest.approx(0, abs=0.06)
    assert data["engagement_index"].var() == pytest.approx(1, abs=0.05)
    lag1 = np.corrcoef(data["engagement_index"], data["engagement_index_lag"])[0, 1]
    assert lag1 == pytest.approx(0.7, abs=0.02)


@pytest.mark.parametrize("noise", [0.0, 2.0])
def test_noise_scales_the_growth_noise(noise):
    latent = simulate_brand_panel(**LARGE, noise=noise, seed=16).latent
    residual = latent["growth"] - latent["expected_growth"]
    assert residual.std() == pytest.approx(noise * 0.05, abs=0.002)


def test_presence_is_logistic_in_the_index_with_channel_popularity():
    panel = simulate_brand_panel(**LARGE, seed=17)
    first = panel.channel_activity["period"] == panel.channel_activity["period"].min()
    data = panel.channel_activity[first].reset_index(drop=True)
    index = panel.latent.loc[panel.latent["period"] == data["period"].min()]
    data["index"] = index.set_index("brand")["engagement_index"].loc[data["brand"]].values
    data["present"] = data["present"].astype(int)
    fit = smf.logit("present ~ 0 + C(channel) + index", data).fit(disp=0)
    assert fit.params["index"] == pytest.approx(1.0, abs=0.1)
    popularity = panel.truth["channel_popularity"]["twitter"]
    intercept = fit.params["C(channel)[twitter]"]
    assert 1 / (1 + np.exp(-intercept)) == pytest.approx(popularity, abs=0.05)


def test_counts_rise_with_engagement_and_size_as_documented():
    panel = simulate_brand_panel(**{**LARGE, "n_periods": 2}, seed=18)
    data = panel.channel_activity.merge(panel.latent, on=["brand", "period"])
    data = data[data["present"]].astype({"followers": float})
    fit = smf.poisson("followers ~ engagement_index + size_z", data).fit(disp=0)
    assert fit.params["engagement_index"] == pytest.approx(0.5, abs=0.05)
    assert fit.params["size_z"] == pytest.approx(0.8, abs=0.05)


# ---------------------------------------------------------------- customers


def test_customer_tables_validate_and_are_consistent():
    data = simulate_customers(n_customers=300, days=90, seed=1)
    validate(data.customers, "customers")
    validate(data.interactions, "interactions")
    validate(data.transactions, "transactions")
    assert data.customers.shape == (300, 4)
    assert data.latent.shape == (300, 6)
    assert len(data.interactions) > 0
    assert len(data.transactions) > 0
    known = set(data.customers["customer_id"])
    assert set(data.interactions["customer_id"]) <= known
    assert set(data.transactions["customer_id"]) <= known
    start = pd.Timestamp("2024-01-01", tz="UTC")
    first_seen = data.customers.set_index("customer_id")["first_seen"].dt.tz_localize("UTC")
    for table in (data.interactions, data.transactions):
        assert table["time"].min() >= start
        assert table["time"].max() < start + pd.Timedelta(days=90)
        seen = first_seen.loc[table["customer_id"]].reset_index(drop=True)
        assert (table["time"] >= seen).all()
        ordered = table.sort_values(["customer_id", "time"], kind="stable")
        pd.testing.assert_frame_equal(ordered.reset_index(drop=True), table)


def test_same_seed_same_customers_and_another_seed_another():
    first, again = simulate_customers(seed=5), simulate_customers(seed=5)
    for name in ("customers", "interactions", "transactions", "latent"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(again, name))
    other = simulate_customers(seed=6)
    assert not first.latent["engagement"].equals(other.latent["engagement"])


def test_pinned_values_of_the_seed_0_customers():
    data = simulate_customers(seed=0)
    assert data.transactions["amount"].iloc[:3].tolist() == pytest.approx(
        [236.73504066389486, 139.71135336971324, 33.0437847391914], rel=1e-12
    )
    assert data.interactions["time"].iloc[0] == pd.Timestamp("2024-07-15 07:24:23", tz="UTC")
    assert (len(data.interactions), len(data.transactions)) == (22546, 4109)


@pytest.mark.parametrize("effect", [0.7, 0.0, -0.4])
def test_poisson_regression_recovers_the_engagement_effect(effect):
    data = simulate_customers(n_customers=20000, engagement_effect=effect, seed=21)
    table = data.latent.copy()
    purchases = data.transactions["customer_id"].value_counts()
    table["purchases"] = purchases.reindex(table["customer_id"], fill_value=0).to_numpy()
    fit = smf.glm(
        "purchases ~ engagement",
        table,
        family=sm.families.Poisson(),
        offset=np.log(table["exposure_days"]),
    ).fit(cov_type="HC0")
    low, high = fit.conf_int().loc["engagement"]
    assert low <= effect <= high
    assert fit.params["engagement"] == pytest.approx(effect, abs=0.03)
    assert data.truth["engagement_effect"] == effect


def test_interactions_rise_with_engagement_and_amounts_average_the_mean_spend():
    data = simulate_customers(n_customers=20000, seed=22)
    table = data.latent.copy()
    counts = data.interactions["customer_id"].value_counts()
    table["interactions"] = counts.reindex(table["customer_id"], fill_value=0).to_numpy()
    fit = smf.poisson(
        "interactions ~ engagement", table, offset=np.log(table["exposure_days"])
    ).fit(disp=0)
    assert fit.params["engagement"] == pytest.approx(1.0, abs=0.01)
    spend = data.latent.set_index("customer_id")["mean_spend"].loc[data.transactions["customer_id"]]
    ratio = data.transactions["amount"].to_numpy() / spend.to_numpy()
    assert ratio.mean() == pytest.approx(1.0, abs=0.015)


# ---------------------------------------------------------------- social graph


@pytest.mark.parametrize("model", ["sbm", "powerlaw_cluster"])
def test_graph_is_simple_undirected_and_recovers_its_communities(model):
    graph = simulate_social_graph(n_nodes=1000, mixing=0.1, model=model, seed=3)
    edges, nodes = graph.edges, graph.nodes
    validate(edges, "edges")
    assert len(nodes) == 1000
    assert nodes["node"].is_unique
    assert (edges["source"] != edges["target"]).all()
    assert (edges["source"] < edges["target"]).all()
    assert not edges.duplicated(["source", "target"]).any()
    assert set(edges["relation"]) == {"friend"}
    g = nx.from_pandas_edgelist(edges, "source", "target")
    g.add_nodes_from(nodes["node"])
    assert dict(g.degree()) == dict(zip(nodes["node"], nodes["degree"], strict=True))
    planted = [set(group["node"]) for _, group in nodes.groupby("community")]
    modularity = nx.community.modularity(g, planted)
    assert modularity > 0.3
    assert modularity == pytest.approx(graph.truth["planted_modularity"], rel=1e-9)
    assert modularity == pytest.approx(graph.truth["expected_modularity"], abs=0.03)
    found = nx.community.louvain_communities(g, seed=1)
    label = {node: k for k, group in enumerate(found) for node in group}
    assert adjusted_rand_score(nodes["community"], nodes["node"].map(label)) > 0.8
    community = nodes.set_index("node")["community"]
    between = community.loc[edges["source"]].values != community.loc[edges["target"]].values
    assert between.mean() == pytest.approx(0.1, abs=0.025)


def test_sbm_degrees_are_near_the_mean_and_powerlaw_ones_heavy_tailed():
    sbm = simulate_social_graph(n_nodes=2000, mean_degree=12, seed=4).nodes["degree"]
    heavy = simulate_social_graph(n_nodes=2000, mean_degree=12, model="powerlaw_cluster")
    assert sbm.mean() == pytest.approx(12, rel=0.05)
    assert sbm.max() < 3 * 12
    assert heavy.nodes["degree"].mean() == pytest.approx(12, rel=0.1)
    assert heavy.nodes["degree"].max() > 5 * 12


def test_graph_mixing_one_community_and_reproducibility():
    single = simulate_social_graph(n_nodes=50, n_communities=1, mean_degree=4, seed=1)
    assert set(single.nodes["community"]) == {0}
    first, again = simulate_social_graph(seed=9), simulate_social_graph(seed=9)
    pd.testing.assert_frame_equal(first.edges, again.edges)
    pd.testing.assert_frame_equal(first.nodes, again.nodes)
    other = simulate_social_graph(seed=10)
    assert not first.edges.equals(other.edges)
    assert first.edges.iloc[:3].values.tolist() == [
        ["N0001", "N0006", "friend"],
        ["N0001", "N0012", "friend"],
        ["N0001", "N0042", "friend"],
    ]


# ---------------------------------------------------------------- parameter errors

PANEL = "simulate_brand_panel"
CUSTOMERS = "simulate_customers"
GRAPH = "simulate_social_graph"
FUNCS = {
    PANEL: simulate_brand_panel,
    CUSTOMERS: simulate_customers,
    GRAPH: simulate_social_graph,
}


@pytest.mark.parametrize(
    ("func", "kwargs", "match"),
    [
        (PANEL, {"n_brands": 0}, r"'n_brands' parameter of simulate_brand_panel must be an "
         r"integer >= 2\. Got 0 instead\."),
        (PANEL, {"n_brands": "ten"}, r"'n_brands' .* integer >= 2\. Got 'ten' instead"),
        (PANEL, {"n_brands": 10.0}, r"'n_brands' .* Got 10\.0 instead"),
        (PANEL, {"n_brands": True}, r"'n_brands' .* Got True instead"),
        (PANEL, {"n_periods": 1}, r"'n_periods' .* integer >= 2\. Got 1 instead"),
        (PANEL, {"channels": []}, r"'channels' .* non-empty sequence of distinct"),
        (PANEL, {"channels": "twitter"}, r"'channels' .* Got 'twitter' instead"),
        (PANEL, {"channels": ["wiki", "wiki"]}, r"'channels' .* Duplicated: wiki\."),
        (PANEL, {"channels": ["wiki", ""]}, r"'channels' .* non-empty strings"),
        (PANEL, {"sectors": ("media", 3)}, r"'sectors' .* Got \('media', 3\) instead"),
        (PANEL, {"start": "not a date"}, r"'start' .* a date such as '2008-01-01'"),
        (PANEL, {"start": pd.Timestamp("2020-01-01", tz="UTC")},
         r"'start' .* \(no time zone\)\. Got Timestamp"),
        (PANEL, {"freq": "fortnightly"}, r"'freq' .* pandas frequency .* 'fortnightly'"),
        (PANEL, {"freq": None}, r"'freq' .* Got None instead"),
        (PANEL, {"sectors": {"media", "retail"}}, r"'sectors' .* distinct non-empty strings"),
        (PANEL, {"effect": float("nan")}, r"'effect' .* a number in \[-1, 1\]\. "
         r"Got nan instead"),
        (PANEL, {"effect": 2}, r"'effect' .* \[-1, 1\]\. Got 2 instead"),
        (PANEL, {"effect": "big"}, r"'effect' .* Got 'big' instead"),
        (PANEL, {"confounding": -0.5}, r"'confounding' .* finite number >= 0\. Got -0\.5"),
        (PANEL, {"reverse": float("inf")}, r"'reverse' .* finite number\. Got inf instead"),
        (PANEL, {"persistence": 1.0}, r"'persistence' .* a number in \[0, 1\)\. Got 1\.0 instead"),
        (PANEL, {"noise": -1}, r"'noise' .* finite number >= 0\. Got -1 instead"),
        (PANEL, {"seed": -1}, r"'seed' .* integer >= 0\. Got -1 instead"),
        (PANEL, {"seed": None}, r"'seed' .* Got None instead"),
        (PANEL, {"reverse": 5.0, "effect": 0.05}, r"stationary .* Got persistence=0\.5 "
         r"and phi2=5\.0"),
        (PANEL, {"noise": 1e6, "n_periods": 400}, r"must keep revenue finite"),
        (CUSTOMERS, {"n_customers": 0}, r"'n_customers' parameter of simulate_customers "
         r"must be an integer >= 1\. Got 0 instead"),
        (CUSTOMERS, {"days": 0}, r"'days' .* integer >= 1\. Got 0 instead"),
        (CUSTOMERS, {"channels": ("web", "web")}, r"'channels' .* Duplicated: web"),
        (CUSTOMERS, {"engagement_effect": 3.0}, r"'engagement_effect' .* \[-2, 2\]\. Got 3\.0"),
        (CUSTOMERS, {"start": None}, r"'start' .* Got None instead"),
        (CUSTOMERS, {"seed": 1.5}, r"'seed' .* Got 1\.5 instead"),
        (GRAPH, {"n_nodes": 1}, r"'n_nodes' parameter of simulate_social_graph must be an "
         r"integer >= 2\. Got 1 instead"),
        (GRAPH, {"n_communities": 0}, r"'n_communities' .* integer >= 1\. Got 0"),
        (GRAPH, {"n_nodes": 10, "n_communities": 11},
         r"'n_communities' .* from 1 to n_nodes \(10\)\. Got 11"),
        (GRAPH, {"mixing": 1.5}, r"'mixing' .* a number in \[0, 1\]\. Got 1\.5 instead"),
        (GRAPH, {"mixing": -0.1}, r"'mixing' .* Got -0\.1 instead"),
        (GRAPH, {"mean_degree": 0}, r"'mean_degree' .* finite number > 0\. Got 0 instead"),
        (GRAPH, {"n_nodes": 20, "mean_degree": 10}, r"'mean_degree' .* p_in .* <= 1"),
        (GRAPH, {"n_nodes": 20, "mean_degree": 10, "model": "powerlaw_cluster"},
         r"'mean_degree' .* smallest community size \(4\)\. Got 10\.0"),
        (GRAPH, {"model": "powerlaw"}, r"'model' .* one of \['sbm', 'powerlaw_cluster'\]\. "
         r"Got 'powerlaw' instead\. Did you mean 'powerlaw_cluster'\?"),
        (GRAPH, {"model": "erdos"}, r"'model' .* Got 'erdos' instead\.$"),
        (GRAPH, {"model": None}, r"'model' .* Got None instead"),
    ],
)  # fmt: skip
def test_bad_parameters_raise_parameter_error(func, kwargs, match):
    with pytest.raises(ParameterError, match=match):
        FUNCS[func](**kwargs)


def test_results_are_frozen_and_global_random_state_is_untouched():
    numpy_state, python_state = np.random.get_state(), random.getstate()  # noqa: NPY002
    panel = simulate_brand_panel(n_brands=3, n_periods=2)
    simulate_customers(n_customers=20, days=10)
    simulate_social_graph(n_nodes=30, n_communities=2, mean_degree=4, model="powerlaw_cluster")
    simulate_social_graph(n_nodes=30, n_communities=2, mean_degree=4)
    assert random.getstate() == python_state
    after = np.random.get_state()  # noqa: NPY002 (the legacy global state must not move)
    assert all(np.array_equal(a, b) for a, b in zip(numpy_state, after, strict=True))
    with pytest.raises(dataclasses.FrozenInstanceError):
        panel.truth = {}
