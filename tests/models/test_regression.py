"""scrm_lab.models._regression: checked against statsmodels, scipy and pingouin (test-only)."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.diagnostic import het_breuschpagan
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.oneway import anova_oneway
from statsmodels.stats.outliers_influence import variance_inflation_factor
from statsmodels.stats.stattools import jarque_bera

from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.models import (
    compare_groups,
    partial_correlate,
    regress,
    regression_diagnostics,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import pingouin as pg

FOLLOWERS = "Aggregate Followers"  # not a Python identifier, on purpose


@pytest.fixture
def firms() -> pd.DataFrame:
    rng = np.random.default_rng(20090720)
    n = 240
    sector = rng.choice(["media", "tech", "finance"], size=n)
    firm = rng.integers(0, 30, size=n)
    size = np.exp(rng.normal(3, 1, size=n))
    followers = np.exp(rng.normal(8, 1.5, size=n) + 0.3 * np.log(size))
    likes = rng.poisson(np.exp(rng.normal(1, 1, size=n)))  # counts, with zeros
    log_revenue = (
        1.0
        + 0.4 * np.log(followers)
        + 0.8 * np.log(size)
        + 0.5 * (sector == "tech")
        + 0.1 * likes
        + rng.normal(scale=0.5 + 0.2 * np.log(size).clip(0), size=n)
    )
    return pd.DataFrame(
        {
            "revenue": np.exp(log_revenue),
            FOLLOWERS: followers,
            "size": size,
            "likes": likes,
            "sector": pd.Categorical(sector, categories=["media", "tech", "finance"]),
            "firm": firm,
            "year": rng.integers(2008, 2011, size=n),
        }
    )


def _design(firms: pd.DataFrame) -> pd.DataFrame:
    """The design of log(revenue) ~ log(followers) + log(size) + sector, built by hand."""
    X = pd.DataFrame(
        {
            "log_followers": np.log(firms[FOLLOWERS]),
            "log_size": np.log(firms["size"]),
            "tech": (firms["sector"] == "tech").astype(float),
            "finance": (firms["sector"] == "finance").astype(float),
        }
    )
    return sm.add_constant(X)


COV_CASES = [
    ("nonrobust", {}, {}),
    ("HC0", {}, {}),
    ("HC3", {}, {}),
    ("cluster", {"cluster": "firm"}, {"groups": "firm"}),
    ("HAC", {"hac_lags": 3}, {"maxlags": 3}),
]


@pytest.mark.parametrize(("cov_type", "kwargs", "cov_kwds"), COV_CASES)
def test_regress_matches_statsmodels(firms, cov_type, kwargs, cov_kwds):
    result = regress(firms, y="revenue", x=FOLLOWERS, controls=["size", "sector"],
                     log=["revenue", FOLLOWERS, "size"], cov_type=cov_type, alpha=0.1,
                     **kwargs)  # fmt: skip
    if "groups" in cov_kwds:
        cov_kwds = {"groups": firms["firm"].to_numpy()}
    fit = sm.OLS(np.log(firms["revenue"]), _design(firms)).fit(
        cov_type=cov_type, cov_kwds=cov_kwds or None
    )
    row = result.iloc[0]
    assert len(result) == 1
    assert list(result.columns) == [
        "term", "n", "estimate", "ci_low", "ci_high", "statistic", "p_value", "p_adjusted",
        "effect_size", "r_squared", "adj_r_squared", "controls", "cov_type", "method",
        "clear",
    ]  # fmt: skip
    assert row["term"] == f"log({FOLLOWERS})"
    assert row["n"] == len(firms)
    assert row["estimate"] == pytest.approx(fit.params["log_followers"], rel=1e-10)
    assert row["statistic"] == pytest.approx(fit.tvalues["log_followers"], rel=1e-8)
    assert row["p_value"] == pytest.approx(fit.pvalues["log_followers"], rel=1e-6, abs=1e-300)
    low, high = fit.conf_int(alpha=0.1).loc["log_followers"]
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), rel=1e-8)
    assert row["p_adjusted"] == row["p_value"]  # one focal term: nothing to adjust
    assert row["r_squared"] == pytest.approx(fit.rsquared)
    assert row["adj_r_squared"] == pytest.approx(fit.rsquared_adj)
    assert row["controls"] == "log(size), sector"
    assert row["cov_type"] == cov_type


def test_regress_standardized_effect_size_by_hand(firms):
    result = regress(firms, y="revenue", x=["size", "likes"], controls=["sector"])
    fit = sm.OLS(firms["revenue"], _design(firms)[["const", "tech", "finance"]].assign(
        size=firms["size"], likes=firms["likes"].astype(float))).fit()  # fmt: skip
    for column, row in zip(["size", "likes"], result.itertuples(), strict=True):
        expected = fit.params[column] * firms[column].std() / firms["revenue"].std()
        assert row.term == column
        assert row.effect_size == pytest.approx(expected, rel=1e-10)


def test_regress_holm_over_several_focal_terms(firms):
    result = regress(firms, y="revenue", x=[FOLLOWERS, "size", "likes"], log=["revenue"],
                     adjust="holm")  # fmt: skip
    assert result["term"].tolist() == [FOLLOWERS, "size", "likes"]
    expected = multipletests(result["p_value"], method="holm")[1]
    np.testing.assert_allclose(result["p_adjusted"], expected, rtol=1e-12)
    bh = regress(firms, y="revenue", x=[FOLLOWERS, "size", "likes"], adjust="fdr_bh")
    np.testing.assert_allclose(bh["p_adjusted"], multipletests(bh["p_value"], method="fdr_bh")[1])
    none = regress(firms, y="revenue", x=[FOLLOWERS, "size"], adjust="none")
    np.testing.assert_array_equal(none["p_adjusted"], none["p_value"])


def test_regress_log1p_for_counts_with_zeros(firms):
    assert (firms["likes"] == 0).any()
    result = regress(firms, y="revenue", x="likes", log=["revenue"], log1p=["likes"])
    X = sm.add_constant(pd.DataFrame({"l": np.log1p(firms["likes"].astype(float))}))
    fit = sm.OLS(np.log(firms["revenue"]), X).fit(cov_type="HC3")
    assert result.loc[0, "term"] == "log1p(likes)"
    assert result.loc[0, "estimate"] == pytest.approx(fit.params["l"], rel=1e-10)
    assert result.loc[0, "p_value"] == pytest.approx(fit.pvalues["l"], rel=1e-8)


def test_regress_categorical_focal_term_keeps_category_base(firms):
    result = regress(firms, y="revenue", x="sector", controls=[FOLLOWERS], log=["revenue"])
    fit = sm.OLS(
        np.log(firms["revenue"]), _design(firms)[["const", "tech", "finance"]].assign(
            f=firms[FOLLOWERS])).fit(cov_type="HC3")  # fmt: skip
    assert result["term"].tolist() == ["sector[T.tech]", "sector[T.finance]"]
    np.testing.assert_allclose(result["estimate"], fit.params[["tech", "finance"]], rtol=1e-10)
    assert result.loc[0, "controls"] == FOLLOWERS


def test_regress_formula_with_quoted_names_equals_the_column_interface(firms):
    by_columns = regress(firms, y="revenue", x=FOLLOWERS, controls=["size", "sector"],
                         log=["revenue", FOLLOWERS], cov_type="cluster",
                         cluster="firm")  # fmt: skip
    term = f'np.log(Q("{FOLLOWERS}"))'
    by_formula = regress(firms, formula=f"np.log(revenue) ~ {term} + size + C(sector)", x=term,
                         cov_type="cluster", cluster="firm")  # fmt: skip
    assert by_formula.loc[0, "term"] == term
    for column in ["n", "estimate", "ci_low", "ci_high", "p_value", "effect_size", "r_squared"]:
        assert by_formula.loc[0, column] == pytest.approx(by_columns.loc[0, column], rel=1e-10)


def test_regress_leaves_out_incomplete_rows_and_cluster_gaps(firms):
    firms = firms.astype({"firm": "Int64"})
    firms.loc[[0, 1], "size"] = np.nan
    firms.loc[[5], "firm"] = pd.NA
    result = regress(firms, y="revenue", x="size", cov_type="cluster", cluster="firm")
    keep = firms.dropna()
    fit = sm.OLS(keep["revenue"], sm.add_constant(keep[["size"]])).fit(
        cov_type="cluster", cov_kwds={"groups": keep["firm"].astype(int).to_numpy()}
    )
    assert result.loc[0, "n"] == len(firms) - 3
    assert result.loc[0, "p_value"] == pytest.approx(fit.pvalues["size"], rel=1e-8)


def test_regression_diagnostics_match_statsmodels(firms):
    firms.loc[[3, 4, 7], FOLLOWERS] = np.nan
    logs = ["revenue", FOLLOWERS, "size"]
    checks = regression_diagnostics(firms, y="revenue", x=[FOLLOWERS, "size"],
                                    controls=["sector"], log=logs)  # fmt: skip
    keep = firms.dropna()
    X = _design(keep)
    fit = sm.OLS(np.log(keep["revenue"]), X).fit()
    by_test = checks.set_index("test")
    assert list(checks.columns) == ["test", "statistic", "p_value", "note"]
    assert checks["test"].tolist() == [
        "breusch_pagan", "jarque_bera", "max_vif", "condition_number", "n_dropped",
    ]  # fmt: skip
    lm, lm_p, _, _ = het_breuschpagan(fit.resid, X)
    assert by_test.loc["breusch_pagan", "statistic"] == pytest.approx(lm, rel=1e-8)
    assert by_test.loc["breusch_pagan", "p_value"] == pytest.approx(lm_p, rel=1e-8)
    jb, jb_p, _, _ = jarque_bera(fit.resid)
    assert by_test.loc["jarque_bera", "statistic"] == pytest.approx(jb, rel=1e-8)
    assert by_test.loc["jarque_bera", "p_value"] == pytest.approx(jb_p, rel=1e-8)
    vif = max(variance_inflation_factor(X.to_numpy(), i) for i in (1, 2))
    assert by_test.loc["max_vif", "statistic"] == pytest.approx(vif, rel=1e-8)
    assert np.isnan(by_test.loc["max_vif", "p_value"])
    assert by_test.loc["condition_number", "statistic"] == pytest.approx(
        fit.condition_number, rel=1e-8
    )
    assert by_test.loc["n_dropped", "statistic"] == 3
    assert f"{FOLLOWERS}: 3" in by_test.loc["n_dropped", "note"]
    assert checks["note"].str.len().gt(20).all()


def _controls(firms: pd.DataFrame) -> pd.DataFrame:
    return firms.assign(log_f=np.log(firms[FOLLOWERS]), log_s=np.log(firms["size"]),
                        log_r=np.log(firms["revenue"]))  # fmt: skip


@pytest.mark.parametrize("method", ["pearson", "spearman"])
def test_partial_correlate_matches_pingouin(firms, method):
    frame = _controls(firms)
    result = partial_correlate(frame, x="log_f", y="log_r", controls=["log_s", "likes"],
                               method=method)  # fmt: skip
    expected = pg.partial_corr(frame, x="log_f", y="log_r", covar=["log_s", "likes"],
                               method=method)  # fmt: skip
    row = result.iloc[0]
    assert list(result.columns) == [
        "x", "y", "controls", "n", "estimate", "ci_low", "ci_high", "statistic", "p_value",
        "effect_size", "method", "clear",
    ]  # fmt: skip
    assert row["n"] == expected["n"].iloc[0]
    assert row["estimate"] == pytest.approx(expected["r"].iloc[0], rel=1e-9)
    assert row["p_value"] == pytest.approx(expected["p_val"].iloc[0], rel=1e-6)
    low, high = expected["CI95"].iloc[0]  # pingouin shows it to 2 decimals
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), abs=0.005)
    k = 2  # Fisher z with n - k rows, as pingouin's compute_esci does
    low, high = pg.compute_esci(stat=row["estimate"], nx=row["n"] - k, ny=row["n"] - k,
                                eftype="r", decimals=12)  # fmt: skip
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), abs=1e-10)
    assert row["effect_size"] == row["estimate"]
    assert row["controls"] == "log_s, likes"


def test_partial_correlate_logs_and_categorical_controls(firms):
    frame = _controls(firms)
    result = partial_correlate(firms, x=FOLLOWERS, y="revenue", controls=["size", "sector"],
                               log=[FOLLOWERS, "revenue", "size"])  # fmt: skip
    dummies = pd.get_dummies(frame["sector"], drop_first=True, dtype=float)
    expected = pg.partial_corr(pd.concat([frame, dummies], axis=1), x="log_f", y="log_r",
                               covar=["log_s", *dummies.columns])  # fmt: skip
    assert result.loc[0, "x"] == f"log({FOLLOWERS})"
    assert result.loc[0, "estimate"] == pytest.approx(expected["r"].iloc[0], rel=1e-9)
    assert result.loc[0, "p_value"] == pytest.approx(expected["p_val"].iloc[0], rel=1e-6)


@pytest.fixture
def profiles() -> pd.DataFrame:
    rng = np.random.default_rng(2009)
    sizes = {"Maven": 14, "Butterfly": 22, "Selective": 30, "Wallflower": 25}
    spread = {"Maven": 3.0, "Butterfly": 1.0, "Selective": 2.0, "Wallflower": 0.7}
    shift = {"Maven": 1.8, "Butterfly": 0.6, "Selective": 0.0, "Wallflower": -0.6}
    frames = [
        pd.DataFrame({"profile": p, "growth": rng.normal(shift[p], spread[p], size=n)})
        for p, n in sizes.items()
    ]
    data = pd.concat(frames, ignore_index=True)
    data["profile"] = pd.Categorical(data["profile"], categories=list(sizes))
    return data


def _samples(data: pd.DataFrame) -> list[np.ndarray]:
    return [g.to_numpy() for _, g in data.groupby("profile", observed=True)["growth"]]


def _by_pair(frame: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    return frame.set_index([a, b])


def test_compare_groups_welch_omnibus(profiles):
    result = compare_groups(profiles, value="growth", group="profile")
    omnibus = result["omnibus"].iloc[0]
    reference = anova_oneway(_samples(profiles), use_var="unequal")
    expected = pg.welch_anova(profiles, dv="growth", between="profile")
    assert list(result["omnibus"].columns) == [
        "value", "group", "n", "n_groups", "statistic", "df1", "df2", "p_value", "effect_size",
        "method",
    ]  # fmt: skip
    assert (omnibus["n"], omnibus["n_groups"]) == (len(profiles), 4)
    assert omnibus["statistic"] == pytest.approx(reference.statistic, rel=1e-10)
    assert omnibus["statistic"] == pytest.approx(expected["F"].iloc[0], rel=1e-8)
    assert omnibus["p_value"] == pytest.approx(expected["p_unc"].iloc[0], rel=1e-6)
    assert omnibus["df2"] == pytest.approx(expected["ddof2"].iloc[0], rel=1e-8)
    F, df1, n = omnibus["statistic"], 3, len(profiles)
    assert omnibus["effect_size"] == pytest.approx(df1 * (F - 1) / (df1 * (F - 1) + n))


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")
def test_compare_groups_classic_anova_omega_squared(profiles):
    omnibus = compare_groups(profiles, value="growth", group="profile", method="anova",
                             posthoc=False)["omnibus"].iloc[0]  # fmt: skip
    reference = stats.f_oneway(*_samples(profiles))
    table = pg.anova(profiles, dv="growth", between="profile", detailed=True)
    ss_between, ss_within = table["SS"]
    ms_within = table["MS"].iloc[1]
    omega = (ss_between - 3 * ms_within) / (ss_between + ss_within + ms_within)
    assert omnibus["statistic"] == pytest.approx(reference.statistic, rel=1e-10)
    assert omnibus["p_value"] == pytest.approx(reference.pvalue, rel=1e-8)
    assert (omnibus["df1"], omnibus["df2"]) == (3, len(profiles) - 4)
    assert omnibus["effect_size"] == pytest.approx(omega, rel=1e-8)


def test_compare_groups_kruskal_epsilon_squared(profiles):
    omnibus = compare_groups(profiles, value="growth", group="profile", method="kruskal",
                             posthoc=False)["omnibus"].iloc[0]  # fmt: skip
    reference = stats.kruskal(*_samples(profiles))
    expected = pg.kruskal(profiles, dv="growth", between="profile")
    assert omnibus["statistic"] == pytest.approx(reference.statistic, rel=1e-10)
    assert omnibus["statistic"] == pytest.approx(expected["H"].iloc[0], rel=1e-8)
    assert omnibus["p_value"] == pytest.approx(reference.pvalue, rel=1e-8)
    assert np.isnan(omnibus["df2"])
    assert omnibus["effect_size"] == pytest.approx(reference.statistic / (len(profiles) - 1))


def test_compare_groups_games_howell_matches_pingouin(profiles):
    posthoc = compare_groups(profiles, value="growth", group="profile", alpha=0.1)["posthoc"]
    expected = _by_pair(pg.pairwise_gameshowell(profiles, dv="growth", between="profile"),
                        "A", "B")  # fmt: skip
    order = ["Maven", "Butterfly", "Selective", "Wallflower"]
    assert list(zip(posthoc["group_a"], posthoc["group_b"], strict=True)) == list(
        itertools.combinations(order, 2)
    )
    for row in posthoc.itertuples():
        ref = expected.loc[(row.group_a, row.group_b)]
        assert row.estimate == pytest.approx(ref["diff"], rel=1e-10)
        assert row.statistic == pytest.approx(ref["T"], rel=1e-10)
        assert row.p_adjusted == pytest.approx(ref["pval"], rel=1e-5, abs=1e-12)
        assert row.effect_size == pytest.approx(ref["hedges"], rel=1e-8)
        # the simultaneous interval's half-width is where the Games-Howell p equals alpha
        df = (ref["se"] ** 4) / sum(
            (g.var(ddof=1) / len(g)) ** 2 / (len(g) - 1)
            for g in (profiles.growth[profiles.profile == row.group_a],
                      profiles.growth[profiles.profile == row.group_b])
        )  # fmt: skip
        half = (row.ci_high - row.ci_low) / 2
        p_at_bound = stats.studentized_range.sf(np.sqrt(2) * half / ref["se"], 4, df)
        assert p_at_bound == pytest.approx(0.1, rel=1e-6)
    welch = stats.ttest_ind(*_samples(profiles)[:2], equal_var=False)
    assert posthoc.loc[0, "p_value"] == pytest.approx(welch.pvalue)


@pytest.mark.parametrize(
    ("method", "adjust", "options"),
    [
        ("welch", "holm", {"parametric": True, "correction": True}),
        ("anova", None, {"parametric": True, "correction": False}),
        ("kruskal", "bonferroni", {"parametric": False}),
    ],
)
def test_compare_groups_pairwise_tests_match_pingouin(profiles, method, adjust, options):
    posthoc = compare_groups(profiles, value="growth", group="profile", method=method,
                             adjust=adjust)["posthoc"]  # fmt: skip
    padjust = adjust or "holm"
    expected = _by_pair(pg.pairwise_tests(profiles, dv="growth", between="profile",
                                          padjust=padjust, **options), "A", "B")  # fmt: skip
    assert list(posthoc.columns) == [
        "group_a", "group_b", "n_a", "n_b", "estimate", "ci_low", "ci_high", "statistic",
        "p_value", "p_adjusted", "effect_size", "method", "clear",
    ]  # fmt: skip
    for row in posthoc.itertuples():
        ref = expected.loc[(row.group_a, row.group_b)]
        a = profiles.growth[profiles.profile == row.group_a]
        b = profiles.growth[profiles.profile == row.group_b]
        assert (row.n_a, row.n_b) == (len(a), len(b))
        assert row.p_value == pytest.approx(ref["p_unc"], rel=1e-6)
        assert row.p_adjusted == pytest.approx(ref["p_corr"], rel=1e-6)
        if method == "kruskal":
            assert row.statistic == pytest.approx(ref["U_val"])
            assert row.estimate == pytest.approx(a.median() - b.median())
            assert row.effect_size == pytest.approx(pg.mwu(a, b)["RBC"].iloc[0], rel=1e-10)
            assert np.isnan(row.ci_low)
        else:
            assert row.statistic == pytest.approx(ref["T"], rel=1e-8)
            assert row.effect_size == pytest.approx(ref["hedges"], rel=1e-8)
            test = stats.ttest_ind(a, b, equal_var=method == "anova")
            low, high = test.confidence_interval(0.95)
            assert (row.ci_low, row.ci_high) == pytest.approx((low, high))
    assert padjust in posthoc.loc[0, "method"]


def test_compare_groups_sorts_plain_labels_and_can_skip_posthoc(profiles):
    plain = profiles.assign(profile=profiles["profile"].astype(str))
    result = compare_groups(plain, value="growth", group="profile", posthoc=False)
    assert result["posthoc"].empty
    assert list(result["posthoc"].columns)[:2] == ["group_a", "group_b"]
    first = compare_groups(plain, value="growth", group="profile")["posthoc"].iloc[0]
    assert (first["group_a"], first["group_b"]) == ("Butterfly", "Maven")


# --------------------------------------------------------------------------- errors


def test_regress_refuses_bad_parameters(firms):
    with pytest.raises(ParameterError, match=r"'cov_type' parameter of regress .* Got 'HC4'.*"
                       r"Did you mean 'HC3'"):  # fmt: skip
        regress(firms, y="revenue", x="size", cov_type="HC4")
    with pytest.raises(ParameterError, match=r"'adjust' parameter .*'hlm'.*Did you mean 'holm'"):
        regress(firms, y="revenue", x="size", adjust="hlm")
    with pytest.raises(ParameterError, match="'alpha' parameter of regress .* Got 1.5"):
        regress(firms, y="revenue", x="size", alpha=1.5)
    with pytest.raises(ParameterError, match="cov_type='cluster' needs the 'cluster' parameter"):
        regress(firms, y="revenue", x="size", cov_type="cluster")
    with pytest.raises(ParameterError, match="cluster='firm' is only used with cov_type"):
        regress(firms, y="revenue", x="size", cluster="firm")
    with pytest.raises(ParameterError, match="cov_type='HAC' needs 'hac_lags'.*None"):
        regress(firms, y="revenue", x="size", cov_type="HAC")
    with pytest.raises(ParameterError, match="'hac_lags' parameter .* >= 0 or None. Got -1"):
        regress(firms, y="revenue", x="size", cov_type="HAC", hac_lags=-1)
    with pytest.raises(ParameterError, match="hac_lags=2 is only used with cov_type='HAC'"):
        regress(firms, y="revenue", x="size", hac_lags=2)
    with pytest.raises(
        ParameterError,
        match=r"'log' parameter of regress must be columns of the model .* Got 'likes'",
    ):
        regress(firms, y="revenue", x="size", log=["likes"])
    with pytest.raises(ParameterError, match="'size' is in both 'log' and 'log1p'"):
        regress(firms, y="revenue", x="size", log=["size"], log1p=["size"])
    with pytest.raises(ParameterError, match="column 'size' is given twice .*'x' and 'controls'"):
        regress(firms, y="revenue", x="size", controls=["size"])
    with pytest.raises(ParameterError, match="'y' parameter of regress must be the outcome column"):
        regress(firms, x="size")
    with pytest.raises(ParameterError, match=r"with formula= .* got \['y'\]"):
        regress(firms, y="revenue", x="size", formula="revenue ~ size")
    with pytest.raises(ParameterError, match=r"'x' parameter .* terms of the formula.*"
                       r"Got 'sizes'.*Did you mean 'size'"):  # fmt: skip
        regress(firms, x="sizes", formula="revenue ~ size")
    with pytest.raises(ParameterError, match="formula 'revenue ~ nothing' could not be built"):
        regress(firms, x="size", formula="revenue ~ nothing")


def test_regress_refuses_bad_data(firms):
    with pytest.raises(SchemaError, match="column 'revenu' is not in the data.*'revenue'"):
        regress(firms, y="revenu", x="size")
    with pytest.raises(SchemaError, match="column 'sector' has dtype category; expected numbers"):
        regress(firms, y="sector", x="size")
    with pytest.raises(SchemaError, match="column 'likes' has .* value\\(s\\) <= 0 .*log1p="):
        regress(firms, y="revenue", x="likes", log=["likes"])
    negative = firms.assign(likes=-firms["likes"] - 1)
    with pytest.raises(SchemaError, match="column 'likes' has 240 negative value"):
        regress(negative, y="revenue", x="likes", log1p=["likes"])
    with pytest.raises(SchemaError, match="column 'size' is constant \\(2\\.0\\) on the 240"):
        regress(firms.assign(size=2.0), y="revenue", x="size")
    with pytest.raises(SchemaError, match="column 'sector' is constant"):
        regress(firms.assign(sector="tech"), y="revenue", x="size", controls=["sector"])
    with pytest.raises(SchemaError, match="column 'size' has no values \\(all 240 missing\\)"):
        regress(firms.assign(size=np.nan), y="revenue", x="size")
    with pytest.raises(SchemaError, match="too few rows: 2 complete rows for 2 coefficients"):
        regress(firms.head(2), y="revenue", x="size")
    with pytest.raises(SchemaError, match="term 'double' is a linear combination"):
        regress(firms.assign(double=2 * firms["size"]), y="revenue", x="size",
                controls=["double"])  # fmt: skip
    with pytest.raises(SchemaError, match="column 'firm' has 1 cluster"):
        regress(firms.assign(firm=1), y="revenue", x="size", cov_type="cluster", cluster="firm")
    with pytest.raises(SchemaError, match="term 'size' is constant"):
        regress(firms.assign(size=1.0), x="size", formula="revenue ~ size")
    with pytest.raises(SchemaError, match="column 'size' has no values"):
        regression_diagnostics(firms.assign(size=np.nan), y="revenue", x="size")


def test_partial_correlate_refuses_bad_input(firms):
    with pytest.raises(ParameterError, match="'method' parameter .* Got 'spearmann'.*"
                       "Did you mean 'spearman'"):  # fmt: skip
        partial_correlate(firms, x="size", y="revenue", controls=["likes"], method="spearmann")
    with pytest.raises(SchemaError, match="column 'sizes' is not in the data"):
        partial_correlate(firms, x="sizes", y="revenue", controls=["likes"])
    with pytest.raises(SchemaError, match="column 'sector' has dtype category; expected numbers"):
        partial_correlate(firms, x="sector", y="revenue", controls=["likes"])
    with pytest.raises(SchemaError, match="column 'likes' has .* <= 0"):
        partial_correlate(firms, x="size", y="revenue", controls=["likes"], log=["likes"])
    with pytest.raises(SchemaError, match="column 'size' is constant"):
        partial_correlate(firms.assign(size=1.0), x="size", y="revenue", controls=["likes"])
    with pytest.raises(SchemaError, match="column 'likes' has no values"):
        partial_correlate(firms.assign(likes=np.nan), x="size", y="revenue", controls=["likes"])
    with pytest.raises(SchemaError, match="too few rows: 4 complete rows for 1 control"):
        partial_correlate(firms.head(4), x="size", y="revenue", controls=["likes"])
    with pytest.raises(SchemaError, match="column 'size' is fully explained by the controls"):
        partial_correlate(firms.assign(double=2 * firms["size"]), x="size", y="revenue",
                          controls=["double"])  # fmt: skip
    with pytest.raises(ParameterError, match="column 'size' is given twice"):
        partial_correlate(firms, x="size", y="size", controls=[])
    with pytest.raises(ParameterError, match="'alpha' parameter of partial_correlate"):
        partial_correlate(firms, x="size", y="revenue", controls=[], alpha=0)


def test_compare_groups_refuses_bad_input(profiles):
    with pytest.raises(ParameterError, match="'method' parameter of compare_groups .* Got "
                       "'kruskall'.*Did you mean 'kruskal'"):  # fmt: skip
        compare_groups(profiles, value="growth", group="profile", method="kruskall")
    with pytest.raises(ParameterError, match="'adjust' parameter .*'bonferoni'.*'bonferroni'"):
        compare_groups(profiles, value="growth", group="profile", adjust="bonferoni")
    with pytest.raises(ParameterError, match="adjust='games-howell' goes with method='welch'"):
        compare_groups(profiles, value="growth", group="profile", method="anova",
                       adjust="games-howell")  # fmt: skip
    with pytest.raises(SchemaError, match="column 'growths' is not in the data"):
        compare_groups(profiles, value="growths", group="profile")
    with pytest.raises(SchemaError, match="column 'profile' has dtype category; expected"):
        compare_groups(profiles, value="profile", group="growth")
    with pytest.raises(SchemaError, match="column 'growth' has no values"):
        compare_groups(profiles.assign(growth=np.nan), value="growth", group="profile")
    with pytest.raises(SchemaError, match="column 'growth' is constant"):
        compare_groups(profiles.assign(growth=1.0), value="growth", group="profile",
                       method="kruskal")  # fmt: skip
    one = profiles[profiles["profile"] != "Maven"].copy()
    one = pd.concat([one, profiles[profiles["profile"] == "Maven"].head(1)])
    with pytest.raises(SchemaError, match="group 'Maven' of column 'profile' has 1 value of "
                       "'growth'; expected at least 2"):  # fmt: skip
        compare_groups(one, value="growth", group="profile")
    only = profiles[profiles["profile"] == "Maven"]
    with pytest.raises(SchemaError, match="column 'profile' has 1 group .*at least 2 groups"):
        compare_groups(only, value="growth", group="profile")
    flat = profiles.copy()
    flat.loc[flat["profile"] == "Maven", "growth"] = 1.0
    with pytest.raises(SchemaError, match="group 'Maven' .* has a constant 'growth'"):
        compare_groups(flat, value="growth", group="profile")
