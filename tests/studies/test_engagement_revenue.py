"""The data preparation of the engagement-revenue report, and the report on other sources."""

from __future__ import annotations

import re
from html import unescape

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from scrm_lab.exceptions import DataFileError, DatasetNotFound, ParameterError, SchemaError
from scrm_lab.hypotheses import (
    MOVIE_DEFAULTS,
    HypothesisData,
    apply_parameters,
    controlled_estimates,
    engagement_revenue_data,
    log_columns,
    model_arguments,
    partial_correlations,
)
from scrm_lab.reports import run_report

NOTEBOOK = "engagement_vs_revenue"


@pytest.fixture(scope="module")
def movies() -> HypothesisData:
    return engagement_revenue_data()


@pytest.fixture(scope="module")
def stocks() -> HypothesisData:
    return engagement_revenue_data("stocknet_tweets_prices", n_tickers=5)


@pytest.fixture()
def user_file(tmp_path):
    rng = np.random.default_rng(7)
    size = rng.lognormal(10, 1, 40)
    frame = pd.DataFrame(
        {
            "company": [f"C{i:02d}" for i in range(40)],
            "fb_likes": np.round(size * rng.lognormal(0, 0.5, 40) / 100).astype(int),
            "sales": (size * rng.lognormal(0, 0.3, 40)).round(2),
            "employees": (size / 1000).round(),
            "sector": rng.choice(["retail", "media"], 40),
        }
    )
    path = tmp_path / "brands.csv"
    frame.to_csv(path, index=False)
    return path


ROLES = {"fb_likes": "engagement", "sales": "outcome", "employees": "control", "sector": "control"}


def page_text(html_path) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html_path.read_text())))


# ------------------------------------------------------------------------------ sources


def test_movies_is_a_real_cross_section_with_the_report_defaults(movies):
    assert movies.design == "cross_section" and movies.data.shape == (231, 14)
    assert movies.engagement == MOVIE_DEFAULTS["engagement"]
    assert (movies.outcome, movies.controls) == ("gross_usd", MOVIE_DEFAULTS["controls"])
    assert movies.truth is None and not movies.simulated and movies.entity is None
    assert "231 films" in movies.description and movies.unit == "film"
    assert any("reverse causality" in c for c in movies.caveats)  # from PROVENANCE.md


def test_stocknet_is_a_weekly_panel_of_the_most_tweeted_tickers(stocks):
    data = stocks.data
    assert stocks.design == "panel" and (stocks.entity, stocks.time) == ("ticker", "week")
    assert list(data.columns) == ["ticker", "week", "tweets", "volume", "abs_return"]
    assert not data.duplicated(["ticker", "week"]).any()
    assert data["ticker"].nunique() == 5 and (data["week"].dt.day_of_week == 0).all()
    one = engagement_revenue_data("stocknet_tweets_prices", n_tickers=1).data
    assert one["ticker"].unique().tolist() == ["AAPL"]  # the most tweeted
    assert (data["abs_return"] >= 0).all()
    assert stocks.other_outcomes == ["abs_return"] and "mean daily trading volume" in (
        stocks.description
    )
    assert any("not revenue" in c for c in stocks.caveats)


def test_stocknet_weekly_values_match_the_daily_rows():
    from scrm_lab.datasets import load_dataset

    weekly = engagement_revenue_data("stocknet_tweets_prices", n_tickers=1).data
    daily = load_dataset("stocknet_tweets_prices", table="daily")
    week = daily[(daily["ticker"] == "AAPL") & daily["date"].between("2015-03-02", "2015-03-08")]
    row = weekly[weekly["week"] == pd.Timestamp("2015-03-02")].iloc[0]
    assert row["tweets"] == week["tweets"].sum()
    assert row["volume"] == pytest.approx(week["volume"].mean())
    assert row["abs_return"] == pytest.approx(week["return"].abs().mean())


def test_simulated_cross_section_carries_the_truth_and_recovers_it():
    sim = engagement_revenue_data("simulated", effect=0.02, seed=3)
    assert sim.design == "cross_section" and len(sim.data) == 100 and sim.simulated
    assert sim.truth["effect"] == 0.02 and sim.truth["term"] == "engagement_index_lag"
    assert "SIMULATED" in sim.description and not sim.data["brand"].duplicated().any()
    fit = controlled_estimates(sim).iloc[0]
    assert fit["ci_low"] <= 0.02 <= fit["ci_high"]
    # the same estimate by statsmodels directly
    direct = smf.ols("growth ~ engagement_index_lag + np.log(size) + C(sector)", sim.data).fit()
    assert fit["estimate"] == pytest.approx(direct.params["engagement_index_lag"])


def test_simulated_panel_view_has_unique_keys_and_a_lagged_truth():
    sim = engagement_revenue_data("simulated", view="panel", n_brands=20, seed=1)
    assert sim.design == "panel" and len(sim.data) == 20 * 12
    assert not sim.data.duplicated(["brand", "period"]).any()
    assert sim.truth["term"] == "engagement_index_lag1" and sim.controls == []


def test_user_file_roles_become_a_cross_section(user_file):
    mine = engagement_revenue_data(path=user_file, columns=ROLES)
    assert mine.design == "cross_section" and len(mine.data) == 40
    assert (mine.engagement, mine.outcome) == (["fb_likes"], "sales")
    assert mine.controls == ["employees", "sector"] and mine.truth is None
    assert pd.api.types.is_numeric_dtype(mine.data["sales"])


def test_user_file_with_entity_and_time_is_a_panel(tmp_path):
    path = tmp_path / "panel.csv"
    pd.DataFrame(
        {"b": ["x", "x", "y", "y"], "q": [1, 2, 1, 2], "e": [1, 2, 3, 4], "r": [2.0, 3, 4, 6]}
    ).to_csv(path, index=False)
    mine = engagement_revenue_data(
        path=path, columns={"b": "entity", "q": "time", "e": "engagement", "r": "outcome"}
    )
    assert (mine.design, mine.entity, mine.time, mine.unit) == ("panel", "b", "q", "b-q")


# ------------------------------------------------------------------------ roles, models


def test_movie_defaults_give_way_to_each_sources_own_roles(stocks):
    chosen = apply_parameters(stocks, **MOVIE_DEFAULTS)
    assert (chosen.engagement, chosen.outcome, chosen.controls) == (["tweets"], "volume", [])
    assert chosen.log1p == ["tweets", "volume"]


def test_apply_parameters_sets_roles_and_drops_unused_transforms(movies):
    chosen = apply_parameters(movies, engagement=["views"], controls=["budget_usd"])
    assert chosen.engagement == ["views"] and chosen.log1p == ["views"]
    assert chosen.log == ["gross_usd", "budget_usd"]


def test_model_arguments_and_partials_follow_the_roles(movies):
    assert model_arguments(movies, "comments")["log1p"] == ["comments"]
    partial = partial_correlations(movies)
    assert list(partial["x"]) == [f"log1p({c})" for c in movies.engagement]
    assert (partial["p_adjusted"] >= partial["p_value"]).all()
    fits = controlled_estimates(movies)
    assert (fits["p_adjusted"] >= fits["p_value"]).all()
    assert fits["method"].str.contains("holm-adjusted across 4 models").all()


def test_log_columns_adds_named_transforms():
    frame = pd.DataFrame({"likes": [0, 9], "gross": [1.0, np.e]})
    out = log_columns(frame, log=["gross"], log1p=["likes"])
    assert out["log(gross)"].tolist() == [0.0, 1.0]
    assert out["log1p(likes)"].tolist() == pytest.approx([0.0, np.log(10)])
    assert list(frame.columns) == ["likes", "gross"]  # input untouched


# ------------------------------------------------------------------------------ errors


def test_unknown_data_set_suggests_the_closest():
    with pytest.raises(DatasetNotFound, match=r"Got 'simulatd'.*Did you mean 'simulated'\?"):
        engagement_revenue_data("simulatd")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"view": "panel"}, ParameterError, r"'view' parameter .* for simulated data"),
        ({"dataset": "simulated", "view": "pnl"}, ParameterError, r"Got 'pnl'"),
        ({"dataset": "stocknet_tweets_prices", "n_tickers": 0}, ParameterError, r">= 1"),
        ({"columns": {"a": "outcome"}}, ParameterError, r"needs 'path'"),
    ],
)
def test_bad_source_parameters_are_refused(kwargs, error, message):
    with pytest.raises(error, match=message):
        engagement_revenue_data(**kwargs)


def test_bad_file_mappings_are_refused(user_file, tmp_path):
    with pytest.raises(ParameterError, match=r"must map the file's columns to roles"):
        engagement_revenue_data(path=user_file)
    with pytest.raises(ParameterError, match=r"maps 'sales' to 'outcom'.*Did you mean 'outcome'"):
        engagement_revenue_data(path=user_file, columns={"fb_likes": "engagement",
                                                         "sales": "outcom"})  # fmt: skip
    with pytest.raises(ParameterError, match=r"at least one 'outcome' column"):
        engagement_revenue_data(path=user_file, columns={"fb_likes": "engagement"})
    with pytest.raises(ParameterError, match=r"one 'entity' and one 'time'"):
        engagement_revenue_data(path=user_file, columns={**ROLES, "company": "entity"})
    with pytest.raises(SchemaError, match=r"fb_likez"):
        engagement_revenue_data(path=user_file, columns={"fb_likez": "engagement",
                                                         "sales": "outcome"})  # fmt: skip
    with pytest.raises(DataFileError, match=r"does not exist"):
        engagement_revenue_data(path=tmp_path / "nope.csv", columns=ROLES)


def test_repeated_panel_keys_are_refused(tmp_path):
    path = tmp_path / "dup.csv"
    frame = pd.DataFrame({"b": ["x", "x"], "q": [1, 1], "e": [1, 2], "r": [2.0, 3]})
    frame.to_csv(path, index=False)
    with pytest.raises(SchemaError, match=r"1 repeated \(b, q\) pairs"):
        engagement_revenue_data(
            path=path, columns={"b": "entity", "q": "time", "e": "engagement", "r": "outcome"}
        )


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"engagement": ["likez"]}, SchemaError, r"engagement column 'likez' is not in the data"
         r".*Did you mean 'likes'"),
        ({"outcome": "gros_usd"}, SchemaError, r"outcome column 'gros_usd'"),
        ({"controls": ["budget"]}, SchemaError, r"controls column 'budget'"),
        ({"engagement": []}, ParameterError, r"'engagement' parameter .*\(at least one\)"),
        ({"controls": ["likes"]}, ParameterError, r"\['likes'\] in more than one role"),
        ({"log": ["likes"]}, ParameterError, r"'log' and 'log1p' .* \['likes'\] in both"),
        ({"outcome": ["gross_usd"]}, ParameterError, r"'outcome' parameter .* a column name \("),
    ],
)  # fmt: skip
def test_bad_roles_are_refused(movies, kwargs, error, message):
    with pytest.raises(error, match=message):
        apply_parameters(movies, **kwargs)


def test_log_columns_refuses_out_of_range_values():
    with pytest.raises(SchemaError, match=r"'x' has 1 value\(s\) out of range for log"):
        log_columns(pd.DataFrame({"x": [0.0, 1.0]}), log=["x"])
    with pytest.raises(SchemaError, match=r"expected values >= 0"):
        log_columns(pd.DataFrame({"x": [-1.0, 1.0]}), log1p=["x"])


# ----------------------------------------------------------------------------- reports


def test_report_on_stocknet_runs_lead_lag_both_ways(tmp_path):
    run = run_report(NOTEBOOK, {"dataset": "stocknet_tweets_prices"}, output_dir=tmp_path)
    text = page_text(run.html)
    assert run.status == "succeeded"
    for phrase in ("tweets -> volume", "volume -> tweets", "tweets -> abs_return",
                   "abs_return -> tweets", "Which moves first?", "ticker and week fixed effects",
                   "What this design cannot show", "not revenue"):  # fmt: skip
        assert phrase in text, phrase
    assert re.search(r"tweets (leads|does not lead) volume \(pooled F = [\d.]+", text)


def test_report_on_simulated_data_shows_the_true_effect(tmp_path, user_file):
    run = run_report(NOTEBOOK, {"dataset": "simulated", "effect": 0.02}, output_dir=tmp_path)
    text = page_text(run.html)
    assert "SIMULATED data" in text and "The true effect beside the estimate" in text
    covers = r"against a true effect of 0\.02\s*: the interval (covers|does NOT cover)"
    assert re.search(covers, text)
    mine = run_report(
        NOTEBOOK,
        {"path": str(user_file), "columns": ROLES, "log": ["sales"],
         "log1p": ["fb_likes", "employees"]},
        output_dir=tmp_path,
    )  # fmt: skip
    text = page_text(mine.html)
    assert "brands.csv" in text and "Spearman correlation between fb_likes and sales" in text
    assert "employees, sector held fixed" in text
