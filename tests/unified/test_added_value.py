"""Tests of social_added_value and added_value_table (issue 14 item 5).

Expected numbers come from statsmodels fitted by hand, from numpy, or from the simulation's
known truth; never from the functions' own output.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.synth import simulate_customer_population
from scrm_lab.unified._added_value import (
    BASELINE_COLUMNS,
    EXPOSURE_COLUMN,
    OUTCOME_COLUMN,
    PUBLIC_DATA_CAVEAT,
    SOCIAL_COLUMNS,
    social_added_value,
)
from scrm_lab.unified._added_value_data import added_value_table

START, DAYS = pd.Timestamp("2024-01-01"), 360
CUT, END = "2024-08-28", "2024-12-25"  # calibration: days 0-240, holdout: days 241-359
N_BOOT = 500


def true_links(population) -> pd.DataFrame:
    """The simulation's true links as a link table (the format of link_identities)."""
    crm = population.crm["customer_id"]
    owned = population.truth["links"].dropna(subset=["customer_id"])
    return pd.concat(
        [
            pd.DataFrame(
                {"source": "crm", "source_record_id": crm, "unified_customer_id": "U-" + crm}
            ),
            pd.DataFrame({
                "source": owned["platform"].astype(str), "source_record_id": owned["profile_id"],
                "unified_customer_id": "U-" + owned["customer_id"],
            }),
        ],
        ignore_index=True,
    )  # fmt: skip


def simulated(effect: float, seed: int):
    population = simulate_customer_population(
        n_customers=3000, days=DAYS, start=START, effect=effect, seed=seed
    )
    table = added_value_table(
        population.crm, population.transactions, population.messages, population.profiles,
        true_links(population), calibration_end=CUT, holdout_end=END,
    )  # fmt: skip
    return population, table


def compare(table: pd.DataFrame, seed: int, **kwargs):
    return social_added_value(
        table, outcome=OUTCOME_COLUMN, baseline=list(BASELINE_COLUMNS),
        social=kwargs.pop("social", list(SOCIAL_COLUMNS)), exposure=EXPOSURE_COLUMN,
        n_boot=N_BOOT, seed=seed, **kwargs,
    )  # fmt: skip


@pytest.fixture(scope="module")
def with_effect():
    return simulated(0.4, seed=21)


@pytest.fixture(scope="module")
def without_effect():
    return {seed: simulated(0.0, seed=seed) for seed in (21, 22, 23)}


# ------------------------------------------------------------- the science, side by side


def test_gain_found_with_a_true_effect(with_effect):
    _, table = with_effect
    result = compare(table, seed=21)
    gain = result.comparison.set_index("metric").loc["deviance_gain"]
    assert gain["ci_low"] > 0 and gain["p_value"] < 0.05
    assert result.sentences(caveat=False)[0].startswith("Adding social features")
    assert "lowered the out-of-sample Poisson deviance" in result.sentences()[0]


@pytest.mark.parametrize("seed", [21, 22, 23])
def test_no_false_gain_without_an_effect(without_effect, seed):
    _, table = without_effect[seed]
    result = compare(table, seed=seed)
    gain = result.comparison.set_index("metric").loc["deviance_gain"]
    assert gain["ci_low"] <= 0  # the gain is never significantly positive
    assert "lowered" not in result.sentences()[0]
    assert "no detectable" in result.sentences()[0] or "raised" in result.sentences()[0]


def _calibration_counts(population) -> pd.DataFrame:
    """Each customer's calibration purchase count and exposure in days, by hand."""
    latent = population.truth["latent"][["customer_id", "engagement"]]
    end = pd.Timestamp(CUT) + pd.Timedelta(days=1)
    times = population.transactions["time"].dt.tz_convert(None)
    counts = population.transactions[times < end].groupby("customer_id").size()
    begin = population.crm.set_index("customer_id")["first_seen"].clip(lower=START)
    exposure = (end - begin).dt.days
    out = latent.set_index("customer_id").assign(
        purchases=counts.reindex(latent["customer_id"]).fillna(0).to_numpy(),
        exposure=exposure.reindex(latent["customer_id"]).to_numpy(),
    )
    return out[out["exposure"] > 0]


@pytest.mark.parametrize("effect", [0.4, 0.0])
def test_the_simulated_effect_is_recovered_from_the_true_engagement(
    with_effect, without_effect, effect
):
    population = with_effect[0] if effect else without_effect[21][0]
    data = _calibration_counts(population)
    fit = sm.GLM(
        data["purchases"], sm.add_constant(data["engagement"]),
        family=sm.families.Poisson(), offset=np.log(data["exposure"]),
    ).fit()  # fmt: skip
    low, high = fit.conf_int(0.01).loc["engagement"]
    assert low < effect < high


def test_the_social_coefficient_is_positive_with_an_effect(with_effect):
    _, table = with_effect
    result = compare(table, seed=1, social=["mentions"])
    rows = result.coefficients.set_index(["model", "term"])
    assert rows.loc[("full", "mentions"), "ci_low"] > 0
    assert rows.loc[("full", "mentions"), "group"] == "social"
    assert rows.loc[("full", "mentions"), "transform"] == "log1p"
    assert ("baseline", "mentions") not in rows.index


# ---------------------------------------------------------------- the numbers, by hand


@pytest.fixture(scope="module")
def tiny() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 40
    x = rng.normal(size=n)
    return pd.DataFrame({
        "id": [f"c{k:02d}" for k in range(n)],
        "history": rng.gamma(2.0, 1.0, size=n),
        "spend": rng.normal(50, 10, size=n),
        "buzz": np.exp(0.5 * x + rng.normal(0, 0.3, size=n)),
        "weeks": rng.uniform(5, 20, size=n),
        "y": rng.poisson(np.exp(-1.5 + 0.4 * x) * rng.uniform(5, 20, size=n)),
    })  # fmt: skip


def _by_hand(tiny, fold, columns):
    """Out-of-sample means by statsmodels, standardising on the training rows."""
    x, y = tiny[columns].to_numpy(), tiny["y"].to_numpy()
    offset = np.log(tiny["weeks"].to_numpy())
    mu = np.empty(len(y))
    for k in np.unique(fold):
        train, test = fold != k, fold == k
        mean, sd = x[train].mean(axis=0), x[train].std(axis=0, ddof=1)
        fit = sm.GLM(
            y[train], sm.add_constant((x[train] - mean) / sd), family=sm.families.Poisson(),
            offset=offset[train],
        ).fit()  # fmt: skip
        mu[test] = fit.predict(
            sm.add_constant((x[test] - mean) / sd, has_constant="add"), offset=offset[test]
        )
    return mu


def test_the_gain_equals_a_statsmodels_hand_computation(tiny):
    result = social_added_value(
        tiny, outcome="y", baseline=["history", "spend"], social="buzz", exposure="weeks",
        customer="id", log1p=[], folds=4, n_boot=200, seed=3,
    )  # fmt: skip
    fold = result.predictions["fold"].to_numpy()
    assert sorted(np.bincount(fold)) == [10, 10, 10, 10]
    y, family = tiny["y"].to_numpy(), sm.families.Poisson()
    mu_base = _by_hand(tiny, fold, ["history", "spend"])
    mu_full = _by_hand(tiny, fold, ["history", "spend", "buzz"])
    dev_base, dev_full = family.deviance(y, mu_base) / 40, family.deviance(y, mu_full) / 40
    rows = result.comparison.set_index("metric")
    np.testing.assert_allclose(result.predictions["predicted_full"], mu_full, rtol=1e-7)
    np.testing.assert_allclose(rows.loc["deviance_baseline", "estimate"], dev_base, rtol=1e-7)
    np.testing.assert_allclose(rows.loc["deviance_gain", "estimate"], dev_base - dev_full,
                               rtol=1e-6)  # fmt: skip
    np.testing.assert_allclose(
        rows.loc["relative_gain", "estimate"], (dev_base - dev_full) / dev_base, rtol=1e-6
    )
    log_score = stats.poisson.logpmf(y, mu_full).mean()
    np.testing.assert_allclose(rows.loc["log_score_full", "estimate"], log_score, rtol=1e-7)

    # the in-sample likelihood-ratio test, by statsmodels
    def in_sample(columns):
        x = tiny[columns]
        x = (x - x.mean()) / x.std(ddof=1)
        return sm.GLM(y, sm.add_constant(x), family=family,
                      offset=np.log(tiny["weeks"])).fit()  # fmt: skip

    small, big = in_sample(["history", "spend"]), in_sample(["history", "spend", "buzz"])
    statistic = 2 * (big.llf - small.llf)
    np.testing.assert_allclose(rows.loc["likelihood_ratio", "estimate"], statistic, rtol=1e-6)
    np.testing.assert_allclose(
        rows.loc["likelihood_ratio", "p_value"], stats.chi2.sf(statistic, 1), rtol=1e-6
    )
    coef = result.coefficients.set_index(["model", "term"])
    np.testing.assert_allclose(coef.loc[("full", "buzz"), "estimate"], big.params["buzz"],
                               rtol=1e-6)  # fmt: skip
    np.testing.assert_allclose(coef.loc[("full", "buzz"), "ci_low"],
                               big.conf_int().loc["buzz", 0], rtol=1e-6)  # fmt: skip
    assert result.predictions["id"].tolist() == tiny["id"].tolist()


def test_the_bootstrap_interval_is_the_percentile_interval_of_paired_resamples(tiny):
    result = social_added_value(
        tiny, outcome="y", baseline="history", social="buzz", customer="id", folds=4,
        n_boot=300, seed=5,
    )  # fmt: skip
    gain = result.comparison.set_index("metric").loc["deviance_gain"]
    per_customer = (
        result.predictions["deviance_baseline"] - result.predictions["deviance_full"]
    ).to_numpy()
    assert gain["ci_low"] <= per_customer.mean() <= gain["ci_high"]
    # a normal interval of a mean, by hand, is close to the bootstrap one
    se = per_customer.std(ddof=1) / np.sqrt(len(per_customer))
    width = gain["ci_high"] - gain["ci_low"]
    assert 0.6 < width / (2 * 1.96 * se) < 1.4


def test_the_bootstrap_is_reproducible_with_the_seed(tiny):
    def run(seed):
        return social_added_value(
            tiny, outcome="y", baseline="history", social="buzz", customer="id", folds=4,
            n_boot=200, seed=seed,
        ).comparison  # fmt: skip

    pd.testing.assert_frame_equal(run(4), run(4))
    assert not run(4)[["ci_low"]].equals(run(5)[["ci_low"]])


def test_missing_social_values_become_zero_with_an_indicator(tiny):
    data = tiny.assign(buzz=tiny["buzz"].where(np.arange(40) % 4 != 0), count=np.arange(40) % 3)
    result = social_added_value(
        data, outcome="y", baseline="history", social=["buzz", "count"], customer="id",
        folds=4, n_boot=200,
    )  # fmt: skip
    assert result.social == ("buzz", "has_buzz", "count")
    coef = result.coefficients.query("model == 'full'").set_index("term")["transform"]
    assert coef.to_dict() == {"const": "none", "history": "none", "buzz": "filled 0",
                              "has_buzz": "indicator", "count": "log1p"}  # fmt: skip
    # by hand: the same in-sample fit with statsmodels
    design = pd.DataFrame({
        "history": data["history"], "buzz": data["buzz"].fillna(0),
        "has_buzz": data["buzz"].notna().astype(float), "count": np.log1p(data["count"]),
    })  # fmt: skip
    design = (design - design.mean()) / design.std(ddof=1)
    fit = sm.GLM(data["y"], sm.add_constant(design), family=sm.families.Poisson()).fit()
    full = result.coefficients.query("model == 'full'")
    np.testing.assert_allclose(full["estimate"], fit.params.to_numpy(), rtol=1e-6)
    assert result.comparison.set_index("metric").loc["likelihood_ratio", "method"].endswith("df=3")


def test_sentences_say_no_detectable_gain_and_carry_the_caveat(tiny):
    noise = tiny.assign(buzz=np.random.default_rng(0).normal(size=40))
    result = social_added_value(
        noise, outcome="y", baseline="history", social="buzz", customer=None, folds=4,
        n_boot=200,
    )  # fmt: skip
    gain = result.comparison.set_index("metric").loc["deviance_gain"]
    sentences = result.sentences()
    assert sentences[-1] == PUBLIC_DATA_CAVEAT
    assert "lowered" not in sentences[0]
    assert ("no detectable" in sentences[0]) == (gain["ci_low"] <= 0 <= gain["ci_high"])
    assert "row" in result.predictions.columns
    assert "CRM purchase history" in PUBLIC_DATA_CAVEAT and "hold out" in PUBLIC_DATA_CAVEAT


@pytest.mark.parametrize(
    ("gain", "relative", "words"),
    [
        ((0.03, 0.01, 0.05), (0.031, 0.01, 0.052), "lowered the out-of-sample Poisson deviance "
         "per customer by 3.1% (95% CI 1.0% to 5.2%; bootstrap p = 0.004"),
        ((-0.03, -0.05, -0.01), (-0.031, -0.052, -0.01), "raised the out-of-sample Poisson "
         "deviance per customer by 3.1% (95% CI 1.0% to 5.2%; bootstrap p = 0.004"),
        ((0.01, -0.01, 0.03), (0.011, -0.01, 0.032), "no detectable out-of-sample gain over "
         "purchase history: the Poisson deviance per customer fell by 1.1% (the fall's 95% CI "
         "-1.0% to 3.2%"),
        ((-0.01, -0.03, 0.01), (-0.011, -0.032, 0.01), "no detectable out-of-sample gain over "
         "purchase history: the Poisson deviance per customer rose by 1.1% (the fall's 95% CI "
         "-3.2% to 1.0%"),
    ],
)  # fmt: skip
def test_sentences_follow_the_interval(tiny, gain, relative, words):
    result = social_added_value(
        tiny, outcome="y", baseline="history", social="buzz", customer="id", folds=4, n_boot=100
    )
    comparison = result.comparison.set_index("metric")
    comparison.loc["deviance_gain", ["estimate", "ci_low", "ci_high", "p_value"]] = [*gain, 0.004]
    comparison.loc["relative_gain", ["estimate", "ci_low", "ci_high"]] = relative
    shown = dataclasses.replace(result, comparison=comparison.reset_index())
    assert words in shown.sentences()[0]
    assert "(buzz)" in shown.sentences()[0] and len(shown.sentences(caveat=False)) == 2


# -------------------------------------------------------------- the per-customer table


def test_added_value_table_by_hand():
    crm = pd.DataFrame({"customer_id": ["a", "b", "c"]})
    utc = lambda *t: pd.to_datetime(list(t), utc=True)  # noqa: E731
    transactions = pd.DataFrame({
        "customer_id": ["a", "a", "a", "a", "b", "b", "c"],
        "time": utc("2024-01-01", "2024-01-15", "2024-02-05", "2024-02-20", "2024-01-08",
                    "2024-03-01", "2024-02-10"),
        "amount": [10.0, 20.0, 5.0, 7.0, 3.0, 4.0, 1.0],
    })  # fmt: skip
    profiles = pd.DataFrame({
        "platform": ["twitter", "instagram", "twitter", "twitter"],
        "profile_id": ["P1", "P2", "P3", "P4"],
        "handle": ["Ann_A", "ann.a", "bee", "stranger"],
        "followers": pd.array([100, None, 10, 5], dtype="Int64"),
    })  # fmt: skip
    links = pd.DataFrame({
        "source": ["crm", "crm", "crm", "twitter", "instagram", "twitter", "twitter"],
        "source_record_id": ["a", "b", "c", "P1", "P2", "P3", "P4"],
        "unified_customer_id": ["U-a", "U-b", "U-c", "U-a", "U-a", "U-b", "U-twitter-P4"],
    })  # fmt: skip
    messages = pd.DataFrame({
        "channel": ["twitter", "twitter", "instagram", "twitter", "instagram", "twitter",
                    "twitter", "twitter"],
        "author": ["ann_a", "@ANN_A", "ann.a", "B001_care", "bee", "stranger", "ann_a", "Bee"],
        "time": utc("2024-01-03", "2024-01-20", "2024-01-25", "2024-01-26", "2024-01-27",
                    "2024-01-28", "2024-02-02", "2024-01-10"),
        "author_is_brand": [False, False, False, True, False, False, False, False],
        "sentiment": ["positive", "positive", "negative", None, "neutral", "negative",
                      "negative", "neutral"],
    })  # fmt: skip
    table = added_value_table(
        crm, transactions, messages, profiles, links, calibration_end="2024-01-31",
        holdout_end="2024-03-01", time_unit="D",
    )  # fmt: skip
    # c's first purchase is after the calibration end: not in the cohort
    assert table["customer_id"].tolist() == ["a", "b"]
    a, b = table.iloc[0], table.iloc[1]
    # a: 3 mentions in the calibration period (case and '@' ignored; ann_a's Feb message is
    # in the holdout; "bee" on instagram is not b's instagram handle)
    assert (a["mentions"], a["positive"], a["negative"]) == (3, 2, 1)
    assert a["net_sentiment"] == pytest.approx(1 / 3)
    assert (a["followers"], a["n_profiles"]) == (100, 2)
    assert (b["mentions"], b["positive"], b["negative"], b["n_profiles"]) == (1, 0, 0, 1)
    assert np.isnan(b["net_sentiment"])  # one neutral mention: no positive or negative
    # holdout purchase days: a on Feb 5 and Feb 20, b on Mar 1 (the last day, included)
    assert (a[OUTCOME_COLUMN], b[OUTCOME_COLUMN]) == (2, 1)
    assert a[EXPOSURE_COLUMN] == 30.0
    assert (a["frequency"], a["recency"], a["T"], a["monetary_value"]) == (1, 14.0, 30.0, 20.0)
    assert np.isnan(b["monetary_value"])
    assert table[[*SOCIAL_COLUMNS]].dtypes.astype(str).tolist() == [
        "int64",
        "int64",
        "int64",
        "float64",
        "int64",
        "int64",
    ]


def test_added_value_table_without_mentions_has_missing_sentiment(with_effect):
    _, table = with_effect
    silent = (table["positive"] + table["negative"]) == 0
    assert silent.any() and table.loc[silent, "net_sentiment"].isna().all()
    assert table.loc[~silent, "net_sentiment"].between(-1, 1).all()
    assert (table[EXPOSURE_COLUMN] == (pd.Timestamp(END) - pd.Timestamp(CUT)).days / 7).all()


# -------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("change", "kwargs", "error", "match"),
    [
        ({}, {"baseline": ["nope"]}, SchemaError, "column 'nope' is not in the data"),
        (
            {"history": ["x"] * 40},
            {},
            SchemaError,
            r"column 'history' has 'x' in row 1; expected numbers",
        ),
        (
            {"y": [1.5] + [1] * 39},
            {},
            SchemaError,
            r"column 'y' has 1.5 in row 1; expected whole numbers >= 0",
        ),
        ({"y": [1] * 39 + [-1]}, {}, SchemaError, r"column 'y' has -1.0 in row 40"),
        (
            {"weeks": [1.0] * 2 + [0.0] * 38},
            {"exposure": "weeks"},
            SchemaError,
            r"column 'weeks' has 0.0 in row 3; expected a holdout length > 0",
        ),
        (
            {"buzz": [np.inf] * 40},
            {},
            SchemaError,
            r"column 'buzz' has inf in row 1; expected finite",
        ),
        (
            {"buzz": [np.nan] * 40},
            {},
            SchemaError,
            r"column 'buzz' has no value in any of its 40 rows",
        ),
        (
            {"buzz": [np.nan] + [2.0] * 39},
            {},
            SchemaError,
            r"column 'buzz' has the same value \(2.0\) in every row with a value",
        ),
        (
            {},
            {"social": ["history"]},
            ParameterError,
            r"must not repeat a baseline column.*'history' in both",
        ),
        (
            {},
            {"exposure": "buzz"},
            ParameterError,
            r"The 'exposure' parameter of social_added_value must be a column that is not",
        ),
        (
            {},
            {"folds": 1},
            ParameterError,
            r"The 'folds' parameter of social_added_value must be an integer >= 2\. Got 1",
        ),
        (
            {},
            {"folds": 5},
            ParameterError,
            r"5 folds need at least 50 rows \(10 per fold\); the data have 40",
        ),
        (
            {},
            {"log1p": ["weeks"]},
            ParameterError,
            r"The 'log1p' parameter .* must be baseline or social columns",
        ),
        (
            {"buzz": [-1.0, 2.0] * 20},
            {"log1p": ["buzz"]},
            SchemaError,
            r"column 'buzz' has -1.0 in row 1; expected counts >= 0",
        ),
        (
            {"buzz": [np.nan] + [1.0, 2.0] * 19 + [1.0], "has_buzz": 1.0},
            {},
            ParameterError,
            r"indicator column 'has_buzz' would replace",
        ),
        (
            {},
            {"n_boot": 10},
            ParameterError,
            r"The 'n_boot' parameter .* must be an integer >= 100",
        ),
        ({}, {"alpha": 1.0}, ParameterError, r"The 'alpha' parameter .* strictly between 0 and 1"),
    ],
)
def test_social_added_value_refusals(tiny, change, kwargs, error, match):
    data = tiny.assign(**change)
    arguments = {"outcome": "y", "baseline": ["history"], "social": ["buzz"],
                 "customer": "id", "folds": 4} | kwargs  # fmt: skip
    with pytest.raises(error, match=match):
        social_added_value(data, **arguments)


def test_social_added_value_refuses_a_non_frame():
    match = "The 'data' parameter of social_added_value must be a pandas DataFrame"
    with pytest.raises(ParameterError, match=match):
        social_added_value([1, 2], outcome="y", baseline="a", social="b")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (
            {"holdout_end": "2024-01-15"},
            ParameterError,
            r"'holdout_end' parameter of added_value_table must be a day after calibration_end "
            r"\(2024-01-31\)",
        ),
        (
            {"calibration_end": "not a day"},
            ParameterError,
            r"The 'calibration_end' parameter .* must be a date",
        ),
        ({"time_unit": "H"}, ParameterError, r"The 'time_unit' parameter .* one of"),
        (
            {"links": pd.DataFrame({"source": []})},
            SchemaError,
            r"column 'source_record_id' is not in the data",
        ),
    ],
)
def test_added_value_table_refusals(kwargs, error, match):
    empty = pd.DataFrame
    arguments = {
        "crm": empty({"customer_id": []}),
        "transactions": empty({"customer_id": [], "time": [], "amount": []}),
        "messages": empty(
            {c: [] for c in ("channel", "author", "time", "author_is_brand", "sentiment")}
        ),
        "profiles": empty({c: [] for c in ("platform", "profile_id", "handle", "followers")}),
        "links": empty({c: [] for c in ("source", "source_record_id", "unified_customer_id")}),
        "calibration_end": "2024-01-31", "holdout_end": "2024-03-01",
    } | kwargs  # fmt: skip
    with pytest.raises(error, match=match):
        added_value_table(**arguments)
