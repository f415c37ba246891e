"""The engagement-revenue study's steps, verdict and wording (studies.engagement_revenue)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.studies.engagement_revenue import (
    engagement_revenue_data,
    entered_name,
    is_clear,
    run_study,
    study_sentences,
    study_verdict,
    truth_comparison,
)


@pytest.fixture(scope="module")
def movies_study():
    return run_study(engagement_revenue_data())


@pytest.fixture(scope="module")
def simulated_study():
    return run_study(engagement_revenue_data("simulated", effect=0.02, seed=3))


def test_is_clear_needs_a_small_p_and_an_interval_off_zero():
    rows = pd.DataFrame(
        {
            "p_adjusted": [0.01, 0.01, 0.05, 0.01, 0.2],
            "ci_low": [0.1, -0.5, 0.1, 0.0, 0.1],
            "ci_high": [0.5, -0.1, 0.5, 0.3, 0.5],
        }
    )
    # hand-checked: positive clear, negative clear, p == alpha, interval touching 0, large p
    assert is_clear(rows).tolist() == [True, True, False, False, False]
    assert is_clear(rows, alpha=0.1).tolist() == [True, True, True, False, False]
    with pytest.raises(SchemaError, match="p_value"):
        is_clear(rows, p="p_value")


def test_verdict_on_the_movies_matches_scipy_and_statsmodels(movies_study):
    data = movies_study.prepared.data
    both = data[["likes", "gross_usd"]].dropna()
    rho, _ = stats.spearmanr(both["likes"], both["gross_usd"])
    verdict = study_verdict(movies_study).set_index("step")
    assert verdict.loc["raw", "n"] == len(both)
    assert verdict.loc["raw", "estimate"] == pytest.approx(rho)
    # the controlled estimate: the same OLS by statsmodels directly (HC3 errors)
    numeric = ["gross_usd", "likes", "budget_usd", "screens", "sequel"]
    frame = data[[*numeric, "genre"]].dropna().astype({c: float for c in numeric})
    frame["genre"] = frame["genre"].astype(str)
    direct = smf.ols(
        "np.log(gross_usd) ~ np.log1p(likes) + np.log(budget_usd) + screens + C(genre) + sequel",
        frame,
    ).fit(cov_type="HC3")
    assert verdict.loc["controlled", "estimate"] == pytest.approx(direct.params["np.log1p(likes)"])
    # clear = p below alpha and the interval off zero, checked by hand on the row values
    for step, row in verdict.iterrows():
        expected = row["p_value"] < 0.05 and (row["ci_low"] > 0 or row["ci_high"] < 0)
        assert row["clear"] == expected, step
    assert verdict["supported"].all() == bool(
        verdict["clear"].all() and verdict.loc["controlled", "estimate"] > 0
    )
    headline = study_sentences(movies_study, "verdict")[0]
    expected = "**The data support H1" if verdict["supported"].all() else "**The data do not"
    assert headline.startswith(expected)


def test_truth_comparison_covers_when_the_truth_is_inside(simulated_study, movies_study):
    table = truth_comparison(simulated_study)
    row = table.iloc[0]
    direct = smf.ols(
        "growth ~ engagement_index_lag + np.log(size) + C(sector)", simulated_study.prepared.data
    ).fit(cov_type="HC3")
    assert row["truth"] == 0.02 and row["term"] == "engagement_index_lag"
    assert row["estimate"] == pytest.approx(direct.params["engagement_index_lag"])
    low, high = direct.conf_int().loc["engagement_index_lag"]
    assert row["covered"] == (low <= 0.02 <= high)
    assert row["error"] == pytest.approx(row["estimate"] - 0.02)
    # a truth far outside the interval is not covered
    far = dataclasses.replace(
        simulated_study,
        prepared=dataclasses.replace(
            simulated_study.prepared, truth={**simulated_study.prepared.truth, "effect": 10.0}
        ),
    )
    assert not truth_comparison(far).iloc[0]["covered"]
    assert "does NOT cover" in study_sentences(far, "truth")[0]
    assert truth_comparison(movies_study) is None
    assert study_sentences(movies_study, "truth") == []


def test_diagnostic_words_follow_alpha_and_the_vif_limit(movies_study):
    checks = pd.DataFrame(
        {
            "test": ["breusch_pagan", "jarque_bera", "max_vif", "n_dropped"],
            "statistic": [1.0, 1.0, 6.0, 0.0],
            "p_value": [0.01, 0.5, np.nan, np.nan],
            "note": ["", "", "", "no rows left out"],
        }
    )
    words = study_sentences(dataclasses.replace(movies_study, diagnostics=checks), "diagnostics")
    assert words[0].startswith("The residual spread changes")
    assert words[1].startswith("The residuals look normal")
    assert "is 6.0: engagement is nearly explained" in words[2]
    assert words[3] == "No rows left out."
    checks.loc[2, "statistic"] = 5.0  # at the limit: not inflated
    words = study_sentences(dataclasses.replace(movies_study, diagnostics=checks), "diagnostics")
    assert "not a copy of the controls" in words[2]


def test_power_words_compare_the_observed_and_the_detectable_correlation(movies_study):
    n = int(movies_study.main_raw["n"])
    # the minimum detectable correlation by the Fisher z approximation, as an independent check
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    r_min = np.tanh(z / np.sqrt(n - 3))
    assert float(movies_study.power.loc[0, "effect_size"]) == pytest.approx(r_min, abs=0.01)
    assert "above that" in study_sentences(movies_study, "power")[0]
    high = dataclasses.replace(movies_study, power=pd.DataFrame({"effect_size": [0.9]}))
    assert "below that" in study_sentences(high, "power")[0]


def test_panel_study_uses_fixed_effects_and_lead_lag_both_ways():
    stocks = engagement_revenue_data("stocknet_tweets_prices", n_tickers=3)
    study = run_study(stocks)
    assert study.panel and set(study.lead_lag) == {stocks.outcome, *stocks.other_outcomes}
    assert set(study.controlled["outcome"]) == {entered_name(stocks, c) for c in study.lead_lag}
    verdict = study_verdict(study).set_index("step")
    assert verdict.loc["controlled", "p_value"] == study.focus["p_value"]
    assert study_sentences(study, "timing")[0] == "## Which moves first?"
    assert study_sentences(study, "partial") == []
    assert len(study_sentences(study, "verdict")) == 4 + len(study.lead_lag)


def test_unknown_section_is_refused(movies_study):
    with pytest.raises(ParameterError, match="'section' parameter of study_sentences.*verdit"):
        study_sentences(movies_study, "verdit")


def test_key_results_read_the_verdict_and_match_scipy(movies_study):
    from scrm_lab.studies.engagement_revenue import key_results

    movies = movies_study.prepared.data
    pair = movies[["likes", "gross_usd"]].dropna()
    results = key_results(movies_study)
    # Spearman's rho is unchanged by the log transforms the study enters the columns with
    assert results["n"] == len(pair)
    assert results["raw_estimate"] == pytest.approx(
        stats.spearmanr(pair["likes"], pair["gross_usd"]).statistic
    )
    verdict = study_verdict(movies_study).set_index("step")
    assert results["raw_clear"] == bool(verdict.loc["raw", "clear"])
    assert results["controlled_estimate"] == verdict.loc["controlled", "estimate"]
    assert set(results) == {
        "n", "raw_estimate", "raw_p_adjusted", "raw_clear", "controlled_estimate",
        "controlled_clear",
    }  # fmt: skip


def test_report_tables_show_the_designs_columns(movies_study):
    from scrm_lab.studies.engagement_revenue import CONTROLLED_SHOWN, report_tables

    tables = report_tables(movies_study)
    assert tables["controlled"].columns.tolist() == CONTROLLED_SHOWN[False]
    assert tables["partial"].columns.tolist()[:2] == ["x", "y"]
    assert tables["lead_lag"] == {}
    stocks = run_study(engagement_revenue_data("stocknet_tweets_prices", n_tickers=3))
    panel = report_tables(stocks)
    assert panel["controlled"].columns.tolist() == CONTROLLED_SHOWN[True]
    assert set(panel["lead_lag"]) == set(stocks.lead_lag)
    for table in panel["lead_lag"].values():
        assert len(table) and "level" not in table.columns
