"""The result vocabulary of scrm_lab.models: renamed keywords, one list of adjustments, one
spelling of covariance types, seed=0, sentence functions returning lists and the ``clear``
column, each checked against scipy and statsmodels or against the old keyword's result."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.multitest import multipletests

from scrm_lab import models
from scrm_lab.exceptions import ParameterError
from scrm_lab.models import (
    ADJUST_METHODS,
    compare_groups,
    composition_gap,
    correlate,
    group_difference,
    group_means,
    lead_lag,
    panel_effects,
    partial_correlate,
    regress,
    verdict,
)
from scrm_lab.synth import simulate_brand_panel

X, Y = "engagement_index", "growth"


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 90
    x = rng.normal(size=n)
    group = np.repeat(["a", "b", "c"], n // 3)
    return pd.DataFrame(
        {
            "x": x,
            "y": 0.4 * x + rng.normal(size=n),
            "noise": rng.normal(size=n),
            "group": group,
            "value": np.where(group == "a", 1.0, 0.0) + rng.normal(size=n),
            "stratum": np.tile(["s", "t"], n // 2),
        }
    )


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    return simulate_brand_panel(n_brands=40, n_periods=15, effect=0.05, seed=3).latent


# ----------------------------------------------------------------------------- renamed keywords


def test_correlate_old_ci_keyword_warns_and_agrees(data):
    new = correlate(data, x="x", y="y", ci_method="percentile", n_resamples=500)
    with pytest.warns(FutureWarning, match=r"'ci' parameter of correlate .* Use ci_method="):
        old = correlate(data, x="x", y="y", ci="percentile", n_resamples=500)
    pd.testing.assert_frame_equal(old, new)
    with pytest.raises(ParameterError, match=r"'ci' parameter of correlate must be one of"):
        correlate(data, x="x", y="y", ci="bootstrp")


def test_group_means_old_ci_level_warns_and_agrees(data):
    new = group_means(data, value="value", group="group", alpha=0.1)
    with pytest.warns(FutureWarning, match=r"'ci' parameter of group_means .* Use alpha="):
        old = group_means(data, value="value", group="group", ci=0.9)
    pd.testing.assert_frame_equal(old, new, rtol=1e-12)
    with pytest.raises(ParameterError, match=r"'ci' parameter of group_means .* Got 95"):
        group_means(data, value="value", group="group", ci=95)


def test_group_difference_old_outcome_and_ci_warn_and_agree(data):
    arguments = {"group": "group", "target": "a", "reference": "b", "controls": ["x"]}
    new = group_difference(data, value="value", alpha=0.1, **arguments)
    with pytest.warns(FutureWarning, match=r"'outcome' parameter of group_difference .* value="):
        old = group_difference(data, outcome="value", alpha=0.1, **arguments)
    pd.testing.assert_frame_equal(old, new)
    with pytest.warns(FutureWarning, match=r"'ci' parameter of group_difference .* alpha="):
        old = group_difference(data, value="value", ci=0.9, **arguments)
    pd.testing.assert_frame_equal(old, new, rtol=1e-12)


def test_group_difference_needs_value_once(data):
    arguments = {"group": "group", "target": "a", "reference": "b"}
    with pytest.raises(ParameterError, match=r"'value' parameter of group_difference must be"):
        group_difference(data, **arguments)
    with pytest.raises(ParameterError, match=r"'value' .* together with its old name 'outcome'"):
        group_difference(data, value="value", outcome="value", **arguments)


def test_composition_gap_old_outcome_warns_and_agrees(data):
    arguments = {"group": "group", "stratum": "stratum", "target": "a", "reference": "b"}
    new = composition_gap(data, value="value", **arguments)
    with pytest.warns(FutureWarning, match=r"'outcome' parameter of composition_gap .* value="):
        old = composition_gap(data, outcome="value", **arguments)
    pd.testing.assert_frame_equal(old, new)


# ----------------------------------------------------------------------------- covariance types


def test_panel_effects_cluster_spelling(small):
    new = panel_effects(small, y=Y, x=X, cov_type="cluster")
    default = panel_effects(small, y=Y, x=X)
    with pytest.warns(FutureWarning, match=r"'clustered' of panel_effects .* cov_type='cluster'"):
        old = panel_effects(small, y=Y, x=X, cov_type="clustered")
    pd.testing.assert_frame_equal(old, new)
    pd.testing.assert_frame_equal(default, new)
    assert models.PANEL_COV_TYPES[0] == "cluster" and "cluster" in models.REGRESSION_COV_TYPES


# ----------------------------------------------------------------------------- adjustments


@pytest.mark.parametrize("method", ADJUST_METHODS)
def test_every_function_with_adjust_takes_the_one_list(data, small, method):
    assert correlate(data, x=["x", "noise"], y="y", adjust=method)["p_adjusted"].notna().all()
    assert regress(data, y="y", x=["x", "noise"], adjust=method)["p_adjusted"].notna().all()
    posthoc = compare_groups(data, value="value", group="group", adjust=method)["posthoc"]
    assert posthoc["p_adjusted"].notna().all()
    assert models.adjust_pvalues([0.01, 0.2], method=method).shape == (2,)
    table = lead_lag(small, x=X, y=Y, lags=1, min_periods=10, adjust=method)
    assert table["p_adjusted"].notna().all()


def test_lead_lag_fdr_by_equals_statsmodels(small):
    table = lead_lag(small, x=X, y=Y, lags=1, min_periods=10, adjust="fdr_by")
    for direction in (f"{X} -> {Y}", f"{Y} -> {X}"):
        rows = table[(table["level"] == "entity") & (table["direction"] == direction)]
        expected = multipletests(rows["p_value"].to_numpy(), method="fdr_by")[1]
        np.testing.assert_allclose(rows["p_adjusted"].to_numpy(), expected, rtol=1e-12)
    pooled = table[table["level"] == "pooled"]
    expected = multipletests(pooled["p_value"].to_numpy(), method="fdr_by")[1]
    np.testing.assert_allclose(pooled["p_adjusted"].to_numpy(), expected, rtol=1e-12)
    assert "(fdr_by)" in pooled["method"].iloc[0]


@pytest.mark.parametrize("method", ["fdr_by", "sidak", "hommel"])
def test_regress_and_compare_groups_take_every_adjustment(data, method):
    fit = regress(data, y="y", x=["x", "noise"], adjust=method)
    expected = multipletests(fit["p_value"].to_numpy(), method=method)[1]
    np.testing.assert_allclose(fit["p_adjusted"].to_numpy(), expected, rtol=1e-12)
    posthoc = compare_groups(data, value="value", group="group", adjust=method)["posthoc"]
    expected = multipletests(posthoc["p_value"].to_numpy(), method=method)[1]
    np.testing.assert_allclose(posthoc["p_adjusted"].to_numpy(), expected, rtol=1e-12)


# ----------------------------------------------------------------------------- seed, sentences


def test_correlate_seeds_with_zero_by_default(data):
    arguments = {"x": "x", "y": "y", "ci_method": "bootstrap", "n_resamples": 300}
    pd.testing.assert_frame_equal(
        correlate(data, **arguments), correlate(data, **arguments, seed=0)
    )

    def pearson(a, b, axis=-1):
        a = a - a.mean(axis=axis, keepdims=True)
        b = b - b.mean(axis=axis, keepdims=True)
        return (a * b).sum(axis) / np.sqrt((a * a).sum(axis) * (b * b).sum(axis))

    reference = stats.bootstrap(
        (data["x"].to_numpy(), data["y"].to_numpy()), pearson, paired=True, vectorized=True,
        n_resamples=300, method="BCa", rng=np.random.default_rng(0),
    ).confidence_interval  # fmt: skip
    row = correlate(data, **arguments).iloc[0]
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(tuple(reference), abs=1e-9)


def test_verdict_always_returns_a_list(data):
    result = correlate(data, x="x", y="y")
    for given in (result, result.iloc[0], result.iloc[[0]]):
        sentences = verdict(given)
        assert isinstance(sentences, list) and len(sentences) == 1
        assert isinstance(sentences[0], str)


# ----------------------------------------------------------------------------- clear


def test_correlate_clear_against_scipy_interval(data):
    result = correlate(data, x=["x", "noise"], y="y")
    for row in result.itertuples():
        low, high = stats.pearsonr(data[row.x], data["y"]).confidence_interval(0.95)
        assert row.clear == (low > 0 or high < 0)
    assert result["clear"].tolist() == [True, False]
    assert result.columns[-1] == "clear" and result["clear"].dtype == bool


def test_regress_clear_against_statsmodels_interval(data):
    fit = regress(data, y="y", x=["x", "noise"], cov_type="nonrobust", adjust="none", alpha=0.1)
    ols = smf.ols("y ~ x + noise", data=data).fit()
    bounds = ols.conf_int(alpha=0.1)
    expected = [(bounds.loc[t, 0] > 0) or (bounds.loc[t, 1] < 0) for t in ("x", "noise")]
    assert fit["clear"].tolist() == expected
    assert fit.columns[-1] == "clear"


def test_partial_correlate_and_group_difference_clear(data):
    r = partial_correlate(data, x="x", y="y", controls=["noise"])
    assert r.columns[-1] == "clear"
    assert bool(r.loc[0, "clear"]) == bool(r.loc[0, "ci_low"] > 0 or r.loc[0, "ci_high"] < 0)
    gap = group_difference(data, value="value", group="group", target="a", reference="b")
    ols = smf.ols("value ~ C(group, Treatment('b'))", data=data).fit(cov_type="HC3")
    low, high = ols.conf_int().loc["C(group, Treatment('b'))[T.a]"]
    assert gap.loc[0, "clear"] == (low > 0 or high < 0)
    assert gap.columns[-1] == "clear"


def test_compare_groups_clear_is_false_without_an_interval(data):
    kruskal = compare_groups(data, value="value", group="group", method="kruskal")["posthoc"]
    assert kruskal["ci_low"].isna().all() and not kruskal["clear"].any()
    welch = compare_groups(data, value="value", group="group")["posthoc"]
    expected = (welch["ci_low"] > 0) | (welch["ci_high"] < 0)
    assert welch["clear"].tolist() == expected.tolist()


def test_panel_tables_end_with_clear(small):
    effects = panel_effects(small, y=Y, x=X, lags=1)
    assert list(effects.columns) == list(models.PANEL_EFFECTS_COLUMNS)
    assert effects.columns[-1] == "clear"
    table = lead_lag(small, x=X, y=Y, lags=1, min_periods=10)
    assert table.columns[-1] == "clear"
    expected = (table["ci_low"] > 0) | (table["ci_high"] < 0)
    assert table["clear"].tolist() == expected.tolist()
