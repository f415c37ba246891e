"""Tests of scrm_lab.models._correlation against scipy, statsmodels and pingouin (test-only)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import TTestIndPower

from scrm_lab.datasets import load_dataset
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.models import (
    adjust_pvalues,
    correlate,
    power_correlation,
    power_two_groups,
    verdict,
)

COLUMNS = ["x", "y", "method", "n", "estimate", "ci_low", "ci_high", "statistic", "p_value",
           "p_adjusted", "effect_size", "alternative", "clear"]  # fmt: skip
SCIPY = {"pearson": stats.pearsonr, "spearman": stats.spearmanr, "kendall": stats.kendalltau}


@pytest.fixture(scope="module")
def movies() -> pd.DataFrame:
    return load_dataset("csm_movies_social_boxoffice")


@pytest.fixture(scope="module")
def random_data() -> pd.DataFrame:
    rng = np.random.default_rng(20240401)
    x = rng.normal(size=150)
    return pd.DataFrame(
        {"a": x, "b": 0.3 * x + rng.normal(size=150), "c": rng.integers(0, 8, size=150) * 1.0}
    )


def _pearson(x, y, axis=-1):
    return stats.pearsonr(x, y, axis=axis).statistic


def _spearman(x, y, axis=-1):
    return _pearson(stats.rankdata(x, axis=axis), stats.rankdata(y, axis=axis), axis)


# ------------------------------------------------------------------ estimates and p-values


@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_estimate_and_p_value_match_scipy_and_pingouin(movies, method, alternative):
    res = correlate(movies, x="likes", y="cast_followers", method=method, alternative=alternative)
    frame = movies[["likes", "cast_followers"]].astype("float64").dropna()
    ref = SCIPY[method](frame["likes"], frame["cast_followers"], alternative=alternative)
    row = res.iloc[0]
    assert res.columns.tolist() == COLUMNS
    assert row["n"] == len(frame) == 196
    assert row["estimate"] == pytest.approx(ref.statistic, rel=1e-12)
    assert row["p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
    assert row["p_adjusted"] == row["p_value"]
    assert row["effect_size"] == row["estimate"]
    if method == "pearson" and alternative != "two-sided":
        return  # pingouin's one-sided Pearson needs mpmath (for a Bayes factor): scipy only
    pingouin = pg.corr(frame["likes"], frame["cast_followers"], method=method,
                       alternative=alternative)  # fmt: skip
    assert row["estimate"] == pytest.approx(pingouin["r"].iloc[0], rel=1e-10)
    assert row["p_value"] == pytest.approx(pingouin["p_val"].iloc[0], rel=1e-6)


@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
def test_random_data_against_scipy(random_data, method):
    res = correlate(random_data, x="a", y=["b", "c"], method=method, adjust="none")
    for row in res.itertuples():
        ref = SCIPY[method](random_data["a"], random_data[row.y])
        assert row.estimate == pytest.approx(ref.statistic, rel=1e-12)
        assert row.p_value == pytest.approx(ref.pvalue, rel=1e-9)
        assert row.p_adjusted == row.p_value


def test_t_statistic_reproduces_p_value(random_data):
    row = correlate(random_data, x="a", y="b").iloc[0]
    assert 2 * stats.t.sf(abs(row["statistic"]), row["n"] - 2) == pytest.approx(row["p_value"])
    kendall = correlate(random_data, x="a", y="b", method="kendall").iloc[0]
    assert 2 * stats.norm.sf(abs(kendall["statistic"])) == pytest.approx(kendall["p_value"])


def test_missing_values_dropped_per_pair(movies):
    res = correlate(movies, x="likes", y=["cast_followers", "screens", "views"])
    assert res["n"].tolist() == [196, 221, 231]


# ------------------------------------------------------------------ confidence intervals


@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_pearson_analytic_ci_matches_pingouin(movies, alternative):
    row = correlate(movies, x="likes", y="gross_usd", alternative=alternative).iloc[0]
    if alternative == "two-sided":  # pingouin's one-sided Pearson needs mpmath
        ref = pg.corr(movies["likes"], movies["gross_usd"])
        low, high = ref["CI95"].iloc[0] if "CI95" in ref else ref["CI95%"].iloc[0]
        assert row["ci_low"] == pytest.approx(low, abs=0.006)  # pingouin rounds to 2 decimals
        assert row["ci_high"] == pytest.approx(high, abs=0.006)
    ci = stats.pearsonr(movies["likes"], movies["gross_usd"], alternative=alternative)
    expected = ci.confidence_interval(0.95)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(tuple(expected), rel=1e-12)


@pytest.mark.parametrize(("method", "se"), [("spearman", "bw"), ("kendall", "fieller")])
def test_rank_analytic_ci_is_the_documented_fisher_z(random_data, method, se):
    row = correlate(random_data, x="a", y="b", method=method, alpha=0.1).iloc[0]
    r, n = row["estimate"], row["n"]
    s = np.sqrt((1 + r**2 / 2) / (n - 3)) if se == "bw" else np.sqrt(0.437 / (n - 4))
    q = stats.norm.ppf(0.95)
    assert row["ci_low"] == pytest.approx(np.tanh(np.arctanh(r) - q * s), rel=1e-12)
    assert row["ci_high"] == pytest.approx(np.tanh(np.arctanh(r) + q * s), rel=1e-12)
    assert "90% CI" in row["method"]
    greater = correlate(random_data, x="a", y="b", method=method, alternative="greater").iloc[0]
    q1 = stats.norm.ppf(0.95)
    assert greater["ci_low"] == pytest.approx(np.tanh(np.arctanh(r) - q1 * s), rel=1e-12)
    assert greater["ci_high"] == 1.0


@pytest.mark.parametrize(("method", "stat"), [("pearson", _pearson), ("spearman", _spearman)])
@pytest.mark.parametrize(("ci", "kind"), [("bootstrap", "BCa"), ("percentile", "percentile")])
def test_bootstrap_ci_matches_scipy_same_seed(movies, method, stat, ci, kind):
    res = correlate(movies, x="likes", y="gross_usd", method=method, ci_method=ci, n_resamples=2000,
                    seed=7).iloc[0]  # fmt: skip
    ref = stats.bootstrap((movies["likes"].to_numpy(float), movies["gross_usd"].to_numpy()),
                          stat, paired=True, vectorized=True, n_resamples=2000, method=kind,
                          rng=np.random.default_rng(7))  # fmt: skip
    # Same seed, same resamples: equal up to floating-point noise (far inside Monte-Carlo error).
    assert res["ci_low"] == pytest.approx(ref.confidence_interval.low, abs=1e-9)
    assert res["ci_high"] == pytest.approx(ref.confidence_interval.high, abs=1e-9)
    assert f"bootstrap {kind}, 2000 resamples" in res["method"]


def test_bootstrap_kendall_and_seed_reproducibility(random_data):
    first = correlate(random_data, x="a", y="b", method="kendall", ci_method="percentile",
                      n_resamples=300, seed=3)  # fmt: skip
    again = correlate(random_data, x="a", y="b", method="kendall", ci_method="percentile",
                      n_resamples=300, seed=3)  # fmt: skip
    pd.testing.assert_frame_equal(first, again)
    ref = stats.bootstrap((random_data["a"].to_numpy(), random_data["b"].to_numpy()),
                          lambda x, y: stats.kendalltau(x, y).statistic, paired=True,
                          vectorized=False, n_resamples=300, method="percentile",
                          rng=np.random.default_rng(3))  # fmt: skip
    assert first.loc[0, "ci_low"] == pytest.approx(ref.confidence_interval.low, abs=1e-12)
    assert first.loc[0, "ci_high"] == pytest.approx(ref.confidence_interval.high, abs=1e-12)
    other = correlate(random_data, x="a", y="b", method="kendall", ci_method="percentile",
                      n_resamples=300, seed=4)  # fmt: skip
    assert other.loc[0, "ci_low"] != first.loc[0, "ci_low"]


def test_bootstrap_one_sided_bounded(random_data):
    row = correlate(random_data, x="a", y="b", ci_method="percentile", alternative="greater",
                    n_resamples=500, seed=1).iloc[0]  # fmt: skip
    assert row["ci_high"] == 1.0 and -1 < row["ci_low"] < row["estimate"]
    row = correlate(random_data, x="a", y="b", ci_method="percentile", alternative="less",
                    n_resamples=500, seed=1).iloc[0]  # fmt: skip
    assert row["ci_low"] == -1.0 and row["estimate"] < row["ci_high"] < 1


def test_bootstrap_ci_covers_mc_tolerance_of_analytic(movies):
    boot = correlate(movies, x="likes", y="views", ci_method="bootstrap", n_resamples=3000, seed=0)
    analytic = correlate(movies, x="likes", y="views")
    assert boot.loc[0, "estimate"] == analytic.loc[0, "estimate"]
    assert boot.loc[0, "ci_low"] < boot.loc[0, "estimate"] < boot.loc[0, "ci_high"]


# ------------------------------------------------------------------ permutation p-values


@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_permutation_p_value_matches_scipy_same_seed(random_data, method, alternative):
    n_resamples = 999 if method != "kendall" else 200
    row = correlate(random_data, x="a", y="c", method=method, alternative=alternative,
                    permutation=True, n_resamples=n_resamples, seed=11).iloc[0]  # fmt: skip

    def statistic(x, y):
        return SCIPY[method](x, y).statistic

    ref = stats.permutation_test((random_data["a"].to_numpy(), random_data["c"].to_numpy()),
                                 statistic, permutation_type="pairings", vectorized=False,
                                 n_resamples=n_resamples, alternative=alternative,
                                 rng=np.random.default_rng(11))  # fmt: skip
    assert row["p_value"] == pytest.approx(ref.pvalue, rel=1e-12)
    assert f"permutation, {n_resamples} pairings" in row["method"]


# ------------------------------------------------------------------ pairwise and adjustment


@pytest.mark.parametrize("adjust", ["holm", "bonferroni", "fdr_bh", "hommel"])
def test_pairwise_table_and_adjustment(movies, adjust):
    cols = ["likes", "views", "comments", "cast_followers"]
    res = correlate(movies, x=cols, method="spearman", adjust=adjust)
    assert len(res) == 6
    assert list(zip(res["x"], res["y"], strict=True)) == [
        (a, b) for i, a in enumerate(cols) for b in cols[i + 1 :]
    ]
    assert np.allclose(res["p_adjusted"], multipletests(res["p_value"], method=adjust)[1])
    cross = correlate(movies, x=cols[:3], y=["gross_usd", "budget_usd"], adjust=adjust)
    assert len(cross) == 6 and cross["y"].tolist() == ["gross_usd", "budget_usd"] * 3
    assert "adjustment across 6 tests" in cross.loc[0, "method"]


def test_self_pairs_skipped(movies):
    res = correlate(movies, x=["likes", "views"], y=["likes", "gross_usd"])
    assert list(zip(res["x"], res["y"], strict=True)) == [
        ("likes", "gross_usd"), ("views", "likes"), ("views", "gross_usd")]  # fmt: skip


def test_adjust_pvalues():
    p = [0.01, 0.04, 0.03, 0.2]
    assert np.allclose(adjust_pvalues(p), multipletests(p, method="holm")[1])
    assert np.allclose(adjust_pvalues(np.array(p), method="fdr_bh"),
                       multipletests(p, method="fdr_bh")[1])  # fmt: skip
    series = pd.Series(p, index=["a", "b", "c", "d"], name="p")
    out = adjust_pvalues(series, method="bonferroni")
    assert isinstance(out, pd.Series) and out.index.tolist() == ["a", "b", "c", "d"]
    assert out.name == "p" and out.tolist() == pytest.approx([0.04, 0.16, 0.12, 0.8])
    assert adjust_pvalues(p, method="none").tolist() == p


# ------------------------------------------------------------------ power


@pytest.mark.parametrize("alternative", ["two-sided", "greater"])
def test_power_correlation_against_pingouin(alternative):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        power = power_correlation(n=100, r=0.25, alternative=alternative).loc[0, "power"]
        assert power == pytest.approx(pg.power_corr(n=100, r=0.25, alternative=alternative),
                                      abs=0.01)  # fmt: skip
        mde = power_correlation(n=231, power=0.8, alternative=alternative).loc[0, "effect_size"]
        assert mde == pytest.approx(pg.power_corr(n=231, power=0.8, alternative=alternative),
                                    abs=0.002)  # fmt: skip
        n = power_correlation(r=0.3, power=0.9, alternative=alternative).loc[0, "n"]
        assert n == pytest.approx(pg.power_corr(r=0.3, power=0.9, alternative=alternative),
                                  rel=0.02)  # fmt: skip


def test_power_correlation_round_trip_and_fisher_z():
    res = power_correlation(n=231, power=0.8)
    assert res.columns.tolist() == ["n", "effect_size", "alpha", "power", "alternative", "method"]
    r = res.loc[0, "effect_size"]
    z = np.arctanh(r) * np.sqrt(228)
    crit = stats.norm.ppf(0.975)
    assert stats.norm.sf(crit - z) + stats.norm.cdf(-crit - z) == pytest.approx(0.8, abs=1e-4)
    assert power_correlation(n=231, r=r).loc[0, "power"] == pytest.approx(0.8, abs=1e-4)
    less = power_correlation(n=231, power=0.8, alternative="less").loc[0, "effect_size"]
    assert less < 0


def test_power_two_groups_against_statsmodels_and_pingouin():
    res = power_two_groups(n1=30, n2=50, d=0.5)
    assert res.columns.tolist() == ["n1", "n2", "n", "effect_size", "alpha", "power",
                                    "alternative", "method"]  # fmt: skip
    expected = TTestIndPower().power(effect_size=0.5, nobs1=30, ratio=50 / 30, alpha=0.05)
    assert res.loc[0, "power"] == pytest.approx(expected, rel=1e-10)
    assert res.loc[0, "power"] == pytest.approx(pg.power_ttest2n(nx=30, ny=50, d=0.5), rel=1e-6)
    equal = power_two_groups(d=0.5, power=0.8)
    assert equal.loc[0, "n1"] == pytest.approx(pg.power_ttest(d=0.5, power=0.8), rel=1e-4)
    mde = power_two_groups(n1=30, n2=50, power=0.8).loc[0, "effect_size"]
    assert mde == pytest.approx(pg.power_ttest2n(nx=30, ny=50, power=0.8), rel=1e-4)
    n2 = power_two_groups(n1=100, d=0.5, power=0.8).loc[0, "n2"]
    assert TTestIndPower().power(0.5, 100, 0.05, ratio=n2 / 100) == pytest.approx(0.8, abs=1e-6)
    swapped = power_two_groups(n2=100, d=0.5, power=0.8)
    assert swapped.loc[0, "n1"] == pytest.approx(n2) and swapped.loc[0, "n2"] == 100


# ------------------------------------------------------------------ verdict


def test_verdict_significant(movies):
    res = correlate(movies, x=["likes", "views"], y="gross_usd", method="spearman")
    text = verdict(res, subject={"gross_usd": "revenue"})
    assert isinstance(text, list) and len(text) == 2
    assert text[0].startswith("Spearman correlation between likes and revenue: rho = 0.37 ")
    assert "p < 0.001 after Holm adjustment across 2 tests" in text[0]
    assert "a clear positive association" in text[0]
    assert text[0].endswith("A correlation does not show that likes cause revenue.")
    assert verdict(res.iloc[0]) == verdict(res.iloc[[0]], subject=None)


def test_verdict_not_significant(movies):
    [text] = verdict(correlate(movies, x="sequel", y="rating", method="spearman"))
    assert "no clear association" in text and "the CI includes zero" in text
    assert "p = 0.82:" in text and "adjustment" not in text


def test_verdict_negative_and_uses_p_adjusted():
    rng = np.random.default_rng(5)
    x = rng.normal(size=60)
    data = pd.DataFrame({"price": x, "sales": -0.5 * x + rng.normal(size=60),
                         "noise": rng.normal(size=60)})  # fmt: skip
    res = correlate(data, x=["price", "noise"], y="sales", adjust="bonferroni")
    text = verdict(res)
    assert "Pearson correlation between price and sales: r = -" in text[0]
    assert "a clear negative association" in text[0]
    assert "after Bonferroni adjustment across 2 tests" in text[0]
    assert "cause" in text[0] and "does not show" in text[0]
    shown = float(text[1].split("p = ")[1].split(" ")[0])
    assert shown == pytest.approx(res.loc[1, "p_adjusted"], abs=0.006)


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "kendal"}, r"'method' parameter of correlate .* Got 'kendal'.*'kendall'"),
        ({"alternative": "two_sided"}, r"'alternative' .* Did you mean 'two-sided'"),
        ({"ci_method": "bootstrp"}, r"'ci_method' parameter .* Did you mean 'bootstrap'"),
        ({"adjust": "fdr-bh"}, r"'adjust' parameter .* Did you mean 'fdr_bh'"),
        ({"alpha": 1.5}, r"'alpha' parameter of correlate must be .* between 0 and 1. Got 1.5"),
        ({"alpha": 0}, r"'alpha' .* Got 0 instead"),
        ({"n_resamples": 50}, r"'n_resamples' .* integer >= 100. Got 50"),
        ({"n_resamples": 500.0}, r"'n_resamples' .* integer >= 100. Got 500.0"),
        ({"permutation": "yes"}, r"'permutation' .* True or False. Got 'yes'"),
        ({"seed": -1}, r"'seed' .* an integer >= 0 or None. Got -1"),
        ({"y": "likes"}, r"at least one pair of two different columns"),
        ({"y": 3}, r"'y' parameter of correlate must be a column name"),
    ],
)
def test_parameter_errors(movies, kwargs, match):
    args = {"x": "likes", "y": "gross_usd", **kwargs}
    with pytest.raises(ParameterError, match=match):
        correlate(movies, **args)


def test_schema_errors():
    data = pd.DataFrame({
        "a": [1.0, 2, 3, 4, 5], "b": [2.0, 1, 4, 3, 6], "const": [3.0] * 5,
        "text": list("vwxyz"), "empty": [np.nan] * 5, "sparse": [1.0, np.nan, np.nan, np.nan, 2],
        "mostly": [3.0, 3, 3, 3, 9],
    })  # fmt: skip
    with pytest.raises(SchemaError, match=r"column 'likess' is not in the data.*'likes'"):
        correlate(data.assign(likes=1.0), x="likess", y="a")
    with pytest.raises(SchemaError, match=r"column 'text' has dtype .*; expected numbers"):
        correlate(data, x="a", y="text")
    with pytest.raises(SchemaError, match=r"column 'const' is constant \(every value 3.0\): "
                                          r"a correlation is undefined"):  # fmt: skip
        correlate(data, x="const", y="a")
    with pytest.raises(SchemaError, match=r"column 'empty' has no values \(all 5 missing\)"):
        correlate(data, x="a", y="empty")
    with pytest.raises(SchemaError, match=r"pair \('a', 'sparse'\) has 2 rows where both are "
                                          r"present; a correlation needs at least 3"):  # fmt: skip
        correlate(data, x="a", y="sparse")
    masked = data.assign(b=[2.0, 1, 4, 3, np.nan])
    with pytest.raises(SchemaError, match=r"column 'mostly' is constant \(every value 3.0\) on "
                                          r"the 4 rows where both 'b' and 'mostly'"):  # fmt: skip
        correlate(masked, x="b", y="mostly")
    with pytest.raises(ParameterError, match=r"'data' parameter of correlate must be a pandas"):
        correlate([1, 2, 3], x="a", y="b")


def test_adjust_pvalues_errors():
    with pytest.raises(ParameterError, match=r"Got nan instead\. It is at position 1\."):
        adjust_pvalues([0.1, np.nan, 0.2])
    with pytest.raises(
        ParameterError, match=r"Got 1.2 instead\. It is at position 2 \(index 'c'\)"
    ):
        adjust_pvalues(pd.Series([0.1, 0.2, 1.2], index=["a", "b", "c"]))
    with pytest.raises(ParameterError, match=r"'method' parameter of adjust_pvalues .*'holm'"):
        adjust_pvalues([0.1], method="hlom")
    with pytest.raises(ParameterError, match=r"non-empty 1-D sequence"):
        adjust_pvalues([])


def test_power_errors():
    with pytest.raises(ParameterError, match=r"exactly one of \['n', 'r', 'power'\].*Got 2"):
        power_correlation(n=100)
    with pytest.raises(ParameterError, match=r"Got 0 missing"):
        power_correlation(n=100, r=0.3, power=0.8)
    with pytest.raises(ParameterError, match=r"'r' parameter .* in \(-1, 1\) or None. Got 1.2"):
        power_correlation(n=100, r=1.2)
    with pytest.raises(ParameterError, match=r"'n' parameter .* > 3 or None. Got 3"):
        power_correlation(n=3, r=0.2)
    with pytest.raises(ParameterError, match=r"'power' parameter .* Got 1.0"):
        power_correlation(n=30, power=1.0)
    with pytest.raises(ParameterError, match=r"'alternative' .* Did you mean 'greater'"):
        power_correlation(n=30, r=0.2, alternative="greatr")
    with pytest.raises(ParameterError, match=r"no n2 reaches power 0.8 .*n1=30, n2=None"):
        power_two_groups(n1=30, d=0.5, power=0.8)
    with pytest.raises(ParameterError, match=r"no n2 reaches power 0.8 .*n1=None, n2=30"):
        power_two_groups(n2=30, d=0.5, power=0.8)
    with pytest.raises(
        ParameterError, match=r"'d' parameter .* non-zero finite number or None. Got 0"
    ):
        power_two_groups(n1=30, n2=30, d=0)
    with pytest.raises(ParameterError, match=r"'n1' parameter .* > 1 or None. Got 1"):
        power_two_groups(n1=1, n2=30, d=0.5)


def test_verdict_errors(movies):
    with pytest.raises(ParameterError, match=r"'result' parameter of verdict .* Got \[1, 2\]"):
        verdict([1, 2])
    with pytest.raises(SchemaError, match=r"verdict: column 'y' is not in the data"):
        verdict(pd.DataFrame({"x": ["a"]}))
    res = correlate(movies, x="likes", y="views")
    with pytest.raises(ParameterError, match=r"'alpha' parameter of verdict"):
        verdict(res, alpha=5)
