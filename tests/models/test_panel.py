"""scrm_lab.models._panel: lead-lag tests and fixed effects, checked against linearmodels and
statsmodels fitted directly and against the known truth of simulated panels."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from linearmodels.panel import PanelOLS
from scipy import stats
from statsmodels.tools import add_constant
from statsmodels.tsa.stattools import grangercausalitytests

from scrm_lab.datasets import load_dataset
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.models import (
    LEAD_LAG_COLUMNS,
    PANEL_EFFECTS_COLUMNS,
    aggregate_panel,
    lead_lag,
    lead_lag_summary,
    panel_effects,
)
from scrm_lab.synth import simulate_brand_panel

X, Y = "engagement_index", "growth"


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    return simulate_brand_panel(n_brands=40, n_periods=15, effect=0.05, seed=3).latent


@pytest.fixture(scope="module")
def forward() -> pd.DataFrame:
    """Engagement drives growth; growth does not feed back."""
    return simulate_brand_panel(
        n_brands=100, n_periods=100, effect=0.05, reverse=0.0, seed=0
    ).latent


@pytest.fixture(scope="module")
def backward() -> pd.DataFrame:
    """Growth drives later engagement; engagement has no effect."""
    return simulate_brand_panel(n_brands=100, n_periods=100, effect=0.0, reverse=0.5, seed=0).latent


# ----------------------------------------------------------------------------- panel_effects


def test_panel_effects_matches_linearmodels_fitted_directly(small):
    # robust errors: everything is linearmodels' own (the entity-clustered default is CR1,
    # checked against statsmodels below)
    result = panel_effects(small, y=Y, x=X, cov_type="robust")
    assert list(result.columns) == list(PANEL_EFFECTS_COLUMNS)
    indexed = small.set_index(["brand", "period"])
    direct = PanelOLS(
        indexed[Y], add_constant(indexed[[X]]), entity_effects=True, time_effects=True
    ).fit(cov_type="robust")
    row = result.iloc[0]
    assert row["term"] == X
    assert row["estimate"] == pytest.approx(direct.params[X], rel=1e-9)
    assert row["statistic"] == pytest.approx(direct.tstats[X], rel=1e-9)
    assert row["p_value"] == pytest.approx(direct.pvalues[X], rel=1e-9)
    low, high = direct.conf_int().loc[X]
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), rel=1e-9)
    assert row["r_squared_within"] == pytest.approx(direct.rsquared_within, rel=1e-9)
    assert (row["n"], row["n_entities"], row["n_periods"]) == (600, 40, 15)
    assert "entity and time fixed effects, heteroskedasticity-robust SEs" in row["method"]


def test_panel_effects_lags_match_statsmodels_dummies(small):
    result = panel_effects(small, y=Y, x=X, lags=1)
    assert result["term"].tolist() == [X, f"{X}_lag1"]
    frame = small.sort_values(["brand", "period"]).copy()
    frame["lag1"] = frame.groupby("brand")[X].shift(1)
    frame = frame.dropna(subset=["lag1"])
    codes = pd.factorize(frame["brand"])[0]
    dummies = smf.ols(f"{Y} ~ {X} + lag1 + C(brand) + C(period)", data=frame).fit(
        cov_type="cluster", cov_kwds={"groups": codes}
    )
    assert result["estimate"].tolist() == pytest.approx(
        [dummies.params[X], dummies.params["lag1"]], rel=1e-8
    )
    # CR1 with the entity effects nested in the clusters (Stata's xtreg, fe vce(cluster)):
    # statsmodels' CR1 on the dummy regression counts every brand dummy in K; removing the
    # G - 1 nested ones gives the same variance.
    n, g, k_all = len(frame), 40, len(dummies.params)
    nested = (n - k_all) / (n - (k_all - (g - 1)))
    se = result["estimate"] / result["statistic"]
    expected = [dummies.bse[X] * np.sqrt(nested), dummies.bse["lag1"] * np.sqrt(nested)]
    assert se.tolist() == pytest.approx(expected, rel=1e-8)
    half = stats.t.ppf(0.975, g - 1) * se
    assert (result["ci_high"] - result["estimate"]).tolist() == pytest.approx(half.tolist())
    assert result["p_value"].tolist() == pytest.approx(
        (2 * stats.t.sf(np.abs(result["statistic"]), g - 1)).tolist()
    )
    assert "CR1" in result["method"].iloc[0]
    assert result["n"].iloc[0] == len(frame) == 40 * 14


def test_panel_effects_effect_size_is_within_standardized(small):
    result = panel_effects(small, y=Y, x=X, time_effects=False, cov_type="robust")
    within = small[[X, Y]] - small.groupby("brand")[[X, Y]].transform("mean")
    expected = result["estimate"].iloc[0] * within[X].std(ddof=0) / within[Y].std(ddof=0)
    assert result["effect_size"].iloc[0] == pytest.approx(expected, rel=1e-9)
    assert "entity fixed effects, heteroskedasticity-robust SEs" in result["method"].iloc[0]


def test_panel_effects_recovers_the_true_lagged_effect(forward):
    truth = 0.05
    result = panel_effects(forward, y=Y, x=X, lags=1)
    lagged = result.set_index("term").loc[f"{X}_lag1"]
    assert lagged["ci_low"] < truth < lagged["ci_high"]
    assert lagged["p_value"] < 1e-6
    current = result.set_index("term").loc[X]
    assert current["ci_low"] < 0 < current["ci_high"]


def test_panel_effects_controls_and_other_covariances(small):
    data = small.assign(noise=np.random.default_rng(5).normal(size=len(small)))
    both = panel_effects(data, y=Y, x=X, controls=["noise"], cluster="both")
    kernel = panel_effects(data, y=Y, x=X, controls="noise", cov_type="kernel")
    assert both["estimate"].iloc[0] == pytest.approx(kernel["estimate"].iloc[0], rel=1e-12)
    assert both["term"].tolist() == [X]
    assert "controls noise" in both["method"].iloc[0]
    assert "Driscoll-Kraay" in kernel["method"].iloc[0]


# ----------------------------------------------------------------------------- lead_lag


def test_lead_lag_finds_the_forward_direction_only(forward):
    table = lead_lag(forward, x=X, y=Y, max_lags=2)
    assert list(table.columns) == list(LEAD_LAG_COLUMNS)
    pooled = table[table["level"] == "pooled"].set_index("direction")
    assert table["level"].iloc[:2].tolist() == ["pooled", "pooled"]
    assert pooled.loc[f"{X} -> {Y}", "p_adjusted"] < 1e-6
    assert pooled.loc[f"{Y} -> {X}", "p_value"] > 0.05
    assert pooled.loc[f"{X} -> {Y}", "estimate"] == pytest.approx(0.05, abs=0.005)
    assert pooled["n_entities"].tolist() == [100, 100]
    assert pooled.loc[f"{X} -> {Y}", "share_significant"] > 0.9
    entity_rows = table[table["level"] == "entity"]
    assert len(entity_rows) == 200 and entity_rows["entity"].notna().all()
    assert pooled["entity"].isna().all()
    sentences = lead_lag_summary(table)
    assert isinstance(sentences, list) and all(isinstance(s, str) for s in sentences)
    text = " ".join(sentences)
    assert text.startswith(f"{X} leads {Y} (pooled F = ")
    assert f"but {Y} does not lead {X}" in text
    assert "not proof of cause" in text and "causes" not in text


def test_lead_lag_makes_reverse_causality_visible(backward):
    table = lead_lag(backward, x=X, y=Y, max_lags=2)
    pooled = table[table["level"] == "pooled"].set_index("direction")
    assert pooled.loc[f"{Y} -> {X}", "p_adjusted"] < 1e-6
    assert pooled.loc[f"{X} -> {Y}", "p_value"] > 0.05
    text = " ".join(lead_lag_summary(table))
    assert f"{Y} leads {X}" in text and "the reverse of the question asked" in text


def test_lead_lag_pooled_wald_matches_linearmodels(small):
    table = lead_lag(small, x=X, y=Y, lags=2, min_periods=10)
    frame = small.sort_values(["brand", "period"]).copy()
    grouped = frame.groupby("brand")
    for k in (1, 2):
        frame[f"y{k}"], frame[f"x{k}"] = grouped[Y].shift(k), grouped[X].shift(k)
    frame = frame.dropna().set_index(["brand", "period"])
    regressors = add_constant(frame[["y1", "y2", "x1", "x2"]])
    fit = PanelOLS(frame[Y], regressors, entity_effects=True).fit(
        cov_type="clustered", cluster_entity=True
    )
    wald = fit.wald_test(formula="x1 = x2 = 0")
    row = table.iloc[0]
    assert row["direction"] == f"{X} -> {Y}"
    assert row["statistic"] * 2 == pytest.approx(wald.stat, rel=1e-8)
    assert row["estimate"] == pytest.approx(fit.params["x1"] + fit.params["x2"], rel=1e-9)
    assert row["n"] == len(frame) == 40 * 13
    assert "lags fixed" in row["method"]


def test_lead_lag_entity_f_equals_grangercausalitytests(small):
    table = lead_lag(small, x=X, y=Y, lags=2, min_periods=10)
    one = small[small["brand"] == "B007"].sort_values("period")
    with contextlib.redirect_stdout(io.StringIO()):  # statsmodels < 0.15 prints
        granger = grangercausalitytests(one[[Y, X]].to_numpy(), [2])
    fvalue, p_value, df_denom, df_num = granger[2][0]["ssr_ftest"]
    row = table[(table["level"] == "entity") & (table["entity"] == "B007")].iloc[0]
    assert row["direction"] == f"{X} -> {Y}"
    assert row["statistic"] == pytest.approx(fvalue, rel=1e-9)
    assert row["p_value"] == pytest.approx(p_value, rel=1e-9)
    assert row["effect_size"] == pytest.approx(fvalue * df_num / (fvalue * df_num + df_denom))
    assert row["n"] == 13


def test_lead_lag_holm_adjusts_entities_within_a_direction(small):
    table = lead_lag(small, x=X, y=Y, lags=1, min_periods=10)
    rows = table[(table["level"] == "entity") & (table["direction"] == f"{Y} -> {X}")]
    p = np.sort(rows["p_value"].to_numpy())
    holm = np.minimum(1, np.maximum.accumulate(p * (len(p) - np.arange(len(p)))))
    assert np.sort(rows["p_adjusted"].to_numpy()) == pytest.approx(holm)
    none = lead_lag(small, x=X, y=Y, lags=1, min_periods=10, adjust="none")
    assert (none["p_adjusted"] == none["p_value"]).all()


def test_lead_lag_skips_short_entities_and_transforms(small):
    short = small[~((small["brand"] == "B001") & (small["period"] > "2009-01-01"))]
    table = lead_lag(short, x=X, y=Y, lags=1, min_periods=12, transform={X: "diff"})
    assert "B001" not in set(table["entity"].dropna())
    assert "1 of 40 entities skipped (fewer than 12 usable rows)" in table["method"].iloc[0]
    assert f"transform {X}: diff" in table["method"].iloc[0]
    assert table["n"].iloc[0] == 39 * 13  # differencing and one lag cost two rows


def test_lead_lag_stationarity_shares_flag_a_random_walk():
    rng = np.random.default_rng(11)
    rows = []
    for entity in range(8):
        walk = np.cumsum(rng.normal(size=80))
        noise = rng.normal(size=80)
        rows.append(pd.DataFrame({"e": entity, "t": range(80), "walk": walk, "noise": noise}))
    data = pd.concat(rows, ignore_index=True)
    levels = lead_lag(data, x="walk", y="noise", entity="e", time="t", lags=1)
    assert levels["stationary_share_x"].iloc[0] <= 0.25
    assert levels["stationary_share_y"].iloc[0] >= 0.75
    assert "consider transform='diff'" in lead_lag_summary(levels)[-1]
    diffs = lead_lag(data, x="walk", y="noise", entity="e", time="t", lags=1, transform="diff")
    assert diffs["stationary_share_x"].iloc[0] >= 0.75


def test_lead_lag_on_stocknet_weekly_tweets_and_volume():
    daily = load_dataset("stocknet_tweets_prices", table="daily")
    top = daily.groupby("ticker")["tweets"].sum().nlargest(10).index
    weekly = aggregate_panel(
        daily[daily["ticker"].isin(top)], entity="ticker", time="date",
        sum=["tweets", "volume"],
    )  # fmt: skip
    table = lead_lag(
        weekly, x="tweets", y="volume", entity="ticker", time="date", transform="log1p_diff"
    )
    pooled = table[table["level"] == "pooled"]
    assert pooled["direction"].tolist() == ["tweets -> volume", "volume -> tweets"]
    assert pooled["n_entities"].tolist() == [10, 10]
    assert (table["level"] == "entity").sum() == 20
    assert table[["statistic", "p_value", "p_adjusted"]].notna().all().all()
    assert "Granger precedence" in lead_lag_summary(table)[1]


# ----------------------------------------------------------------------------- aggregate_panel


def test_aggregate_panel_weeks():
    data = pd.DataFrame(
        {
            "ticker": ["A"] * 4 + ["B"] * 2,
            "date": pd.to_datetime(
                ["2014-01-06", "2014-01-08", "2014-01-13", "2014-01-14", "2014-01-07", "2014-01-06"]
            ),  # fmt: skip
            "tweets": [1, 2, 3, 4, 5, 6],
            "price": [10.0, 11.0, np.nan, 12.0, 20.0, 19.0],
        }
    )
    weekly = aggregate_panel(data, entity="ticker", time="date", sum=["tweets"], mean=["price"])
    assert weekly.to_dict("list") == {
        "ticker": ["A", "A", "B"],
        "date": list(pd.to_datetime(["2014-01-06", "2014-01-13", "2014-01-06"])),
        "n_rows": [2, 2, 2],
        "tweets": [3.0, 7.0, 11.0],
        "price": [10.5, 12.0, 19.5],
    }
    last = aggregate_panel(data, entity="ticker", time="date", last=["price"])
    assert last["price"].tolist() == [11.0, 12.0, 20.0]


# ----------------------------------------------------------------------------- errors


@pytest.fixture(scope="module")
def tiny() -> pd.DataFrame:
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(
        {
            "brand": np.repeat(["a", "b", "c"], 30),
            "period": np.tile(np.arange(30), 3),
            "x": rng.normal(size=90),
            "y": rng.normal(size=90),
        }
    )
    return frame.assign(text="word", empty=np.nan, flat=1.0, neg=-5.0 + frame["x"])


@pytest.mark.parametrize(
    ("changes", "error", "match"),
    [
        ({"x": "missing"}, SchemaError, "column 'missing' is not in the data"),
        ({"x": "text"}, SchemaError, "column 'text' has dtype .*; expected numbers"),
        ({"x": "empty"}, SchemaError, "column 'empty' has no values \\(all missing\\)"),
        ({"y": "flat"}, SchemaError, "column 'flat' is constant \\(every value is 1\\)"),
        ({"criterion": "hqic"}, ParameterError, "'criterion' parameter of lead_lag must be"),
        ({"transform": "dif"}, ParameterError, "Got 'dif' instead. Did you mean 'diff'"),
        ({"transform": {"z": "diff"}}, ParameterError, "instead. Unknown column 'z'"),
        ({"adjust": "holms"}, ParameterError, "'adjust' parameter of lead_lag must be one of"),
        ({"max_lags": 0}, ParameterError, "'max_lags' parameter .* integer >= 1. Got 0"),
        ({"lags": 1.5}, ParameterError, "'lags' parameter .* integer >= 1 or None. Got 1.5"),
        ({"alpha": 1.0}, ParameterError, "'alpha' parameter of lead_lag .* Got 1.0"),
        ({"min_periods": 31}, SchemaError, "0 of 3 entities in 'brand' have at least"),
        ({"x": "y"}, ParameterError, "'x' and 'y' parameters .* Got 'y' for both"),
        ({"x": "neg", "transform": "log1p_diff"}, SchemaError, "column 'neg' has values <= -1"),
        ({"entity": "x"}, ParameterError, "entity, time and variable columns must be distinct"),
    ],
)
def test_lead_lag_errors(tiny, changes, error, match):
    arguments = {"x": "x", "y": "y", "lags": 1, "min_periods": 10} | changes
    with pytest.raises(error, match=match):
        lead_lag(tiny, **arguments)


def test_lead_lag_data_errors(tiny):
    with pytest.raises(ParameterError, match="'data' parameter of lead_lag must be a pandas"):
        lead_lag(tiny.to_dict(), x="x", y="y")
    with pytest.raises(SchemaError, match="the data has 2 rows; expected a panel of at least"):
        lead_lag(tiny.head(2), x="x", y="y")
    doubled = pd.concat([tiny, tiny.iloc[[31]]], ignore_index=True)
    with pytest.raises(SchemaError, match="entity 'b' has more than one row at period 1;"):
        lead_lag(doubled, x="x", y="y", min_periods=10)
    holes = tiny.assign(period=tiny["period"].where(tiny.index != 4))
    with pytest.raises(SchemaError, match="column 'period' is missing in row 5"):
        lead_lag(holes, x="x", y="y", min_periods=10)
    two = tiny[tiny["brand"] != "c"].assign(x=lambda d: d["x"].where(d["brand"] == "a"))
    with pytest.raises(SchemaError, match="1 of 2 entities in 'brand' have at least"):
        lead_lag(two, x="x", y="y", min_periods=10)
    infinite = tiny.assign(x=tiny["x"].where(tiny.index != 3, np.inf))
    with pytest.raises(SchemaError, match="column 'x' has infinite values"):
        lead_lag(infinite, x="x", y="y", min_periods=10)


def test_lead_lag_summary_errors(tiny):
    with pytest.raises(SchemaError, match="column 'direction' is not in the data"):
        lead_lag_summary(tiny)
    table = lead_lag(tiny, x="x", y="y", lags=1, min_periods=10)
    with pytest.raises(SchemaError, match="'result' has 1 pooled rows; expected the 2"):
        lead_lag_summary(table.iloc[1:])
    with pytest.raises(ParameterError, match="'alpha' parameter of lead_lag_summary"):
        lead_lag_summary(table, alpha=0)


@pytest.mark.parametrize(
    ("changes", "error", "match"),
    [
        (
            {"cov_type": "clusterd"},
            ParameterError,
            "Got 'clusterd' instead. Did you mean 'cluster'",
        ),
        ({"cluster": "brand"}, ParameterError, "'cluster' parameter of panel_effects must"),
        ({"lags": -1}, ParameterError, "'lags' parameter of panel_effects .* >= 0. Got -1"),
        ({"alpha": -0.1}, ParameterError, "'alpha' parameter of panel_effects"),
        ({"time_effects": "yes"}, ParameterError, "'time_effects' parameter .* True or False"),
        ({"x": "text"}, SchemaError, "column 'text' has dtype .*; expected numbers"),
        ({"controls": ["nope"]}, SchemaError, "column 'nope' is not in the data"),
        ({"y": "empty"}, SchemaError, "column 'empty' has no values \\(all missing\\)"),
        ({"x": "flat"}, SchemaError, "column 'flat' is constant"),
        ({"controls": ["size"]}, SchemaError, "column 'size' is absorbed by the fixed effects"),
    ],
)
def test_panel_effects_errors(tiny, changes, error, match):
    data = tiny.assign(size=tiny["brand"].map({"a": 1.0, "b": 2.0, "c": 3.0}))
    with pytest.raises(error, match=match):
        panel_effects(data, **({"y": "y", "x": "x"} | changes))


def test_panel_effects_too_few_entities_and_duplicates(tiny):
    one = tiny[tiny["brand"] == "a"]
    with pytest.raises(SchemaError, match="cover 1 entities in 'brand' .* expected at least 2"):
        panel_effects(one, y="y", x="x")
    doubled = pd.concat([tiny, tiny.iloc[[0]]], ignore_index=True)
    with pytest.raises(SchemaError, match="entity 'a' has more than one row at period 0"):
        panel_effects(doubled, y="y", x="x")
    with pytest.raises(SchemaError, match="rows .* expected more rows than coefficients"):
        few = tiny[tiny["brand"].isin(["a", "b"]) & (tiny["period"] < 4)]
        panel_effects(few, y="y", x="x", lags=2)


def test_aggregate_panel_errors(tiny):
    with pytest.raises(ParameterError, match="must name at least one column to aggregate"):
        aggregate_panel(tiny, entity="brand", time="period")
    with pytest.raises(ParameterError, match="must name distinct value columns"):
        aggregate_panel(tiny, entity="brand", time="period", sum=["x"], mean=["x"])
    with pytest.raises(SchemaError, match="column 'period' has dtype int64; expected dates"):
        aggregate_panel(tiny, entity="brand", time="period", sum=["x"])
    dated = tiny.assign(period=pd.Timestamp("2014-01-01") + pd.to_timedelta(tiny["period"], "D"))
    with pytest.raises(ParameterError, match="'freq' parameter of aggregate_panel .* 'weekly'"):
        aggregate_panel(dated, entity="brand", time="period", sum=["x"], freq="weekly")
    with pytest.raises(SchemaError, match="column 'text' has dtype"):
        aggregate_panel(dated, entity="brand", time="period", sum=["text"])
