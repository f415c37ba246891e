"""The customer value report's tables and wording, on CDNOW and small hand-made cases.

Expected values come from the published CDNOW figures (2,357 sampled customers, 946 with
repeat purchases, a cohort of 23,570; the fitted parameters of Fader, Hardie and Lee 2005),
from scipy and from hand computation over the summary, never from the report's own output.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from scrm_lab.customers import (
    BGNBD,
    ParetoNBD,
    alive_grid,
    assumption_sentences,
    customer_lifetime_value,
    data_sentences,
    default_calibration_end,
    fit_models,
    holdout_by_frequency,
    holdout_sentences,
    key_results,
    meaning_sentences,
    parameter_sentences,
    parameter_table,
    period_discount_rate,
    published_setup,
    rfm_scores,
    rfm_summary,
    segment_sentences,
    segment_table,
    split_dates,
    top_customers,
    tracking,
    tracking_sentences,
    transaction_log,
    value_concentration,
    value_sentences,
)
from scrm_lab.exceptions import ParameterError
from scrm_lab.reports import run_report

#: Published CDNOW fits (Fader, Hardie and Lee 2005; Gamma-Gamma: FHL 2005, JMR 42(4)).
PAPER = {
    "BG/NBD": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426},
    "Gamma-Gamma": {"p": 6.25, "q": 3.74, "gamma": 15.44},
}


@pytest.fixture(scope="module")
def log() -> pd.DataFrame:
    return transaction_log()


@pytest.fixture(scope="module")
def summary(log) -> pd.DataFrame:
    return rfm_summary(log, calibration_end="1997-09-30", observation_end="1998-06-30")


@pytest.fixture(scope="module")
def fitted(summary):
    return fit_models(summary, model="bgnbd")


def test_the_shipped_logs_are_the_published_sample_and_cohort(log):
    assert log["customer_id"].nunique() == 2357
    assert transaction_log(cdnow_customers="all")["customer_id"].nunique() == 23570


@pytest.fixture
def export(tmp_path, log):
    """The CDNOW sample log as a user's CSV export with its own column names."""
    path = tmp_path / "orders.csv"
    renamed = log.rename(columns={"customer_id": "Client", "time": "Date", "amount": "Total"})
    renamed[["Client", "Date", "Total"]].to_csv(path, index=False)
    return path


def test_a_users_file_is_read_with_its_column_mapping(export, log):
    read = transaction_log(
        str(export), columns={"Client": "customer_id", "Date": "time", "Total": "amount"}
    )
    assert len(read) == len(log)
    assert read["amount"].sum() == pytest.approx(log["amount"].sum())


def test_the_published_setup_is_recognised_and_nothing_else():
    paper = {
        "shipped": True,
        "sample": True,
        "time_unit": "W",
        "calibration_end": "1997-09-30",
        "observation_end": pd.Timestamp("1998-06-30"),
    }
    assert published_setup(**paper)
    for change in (
        {"shipped": False},
        {"sample": False},
        {"time_unit": "D"},
        {"calibration_end": "1997-10-31"},
        {"observation_end": "1998-03-31"},
    ):
        assert not published_setup(**{**paper, **change}), change


def test_split_dates_defaults_and_refusal():
    log = pd.DataFrame({"time": pd.to_datetime(["2024-01-01 08:00", "2024-03-01 17:30"])})
    # half of the 60 days from 2024-01-01 to 2024-03-01 is 30 days
    assert split_dates(log) == (pd.Timestamp("2024-01-31"), pd.Timestamp("2024-03-01"))
    assert split_dates(log, shipped=True) == (
        pd.Timestamp("1997-09-30"),
        pd.Timestamp("1998-06-30"),
    )
    assert split_dates(log, calibration_end="2024-02-10")[0] == pd.Timestamp("2024-02-10")
    with pytest.raises(
        ParameterError,
        match=r"'calibration_end' parameter must be a date .* "
        r"Got 'next week' instead",
    ):
        split_dates(log, calibration_end="next week")


def test_default_calibration_end_needs_two_days():
    one_day = pd.DataFrame({"time": pd.to_datetime(["2024-01-01 08:00", "2024-01-01 09:00"])})
    with pytest.raises(
        ParameterError, match="at least two different days; the log has only 2024-01-01"
    ):
        default_calibration_end(one_day)
    assert default_calibration_end(
        pd.DataFrame({"time": pd.to_datetime(["2024-01-01", "2024-01-04"])})
    ) == pd.Timestamp("2024-01-02")


def test_fit_models_on_cdnow_gives_the_published_fits(fitted):
    transactions, spend, note = fitted
    assert note == "" and spend.n_customers_ == 946
    table = parameter_table(transactions, spend, published=True)
    for (model, parameter), row in table.set_index(["model", "parameter"]).iterrows():
        assert row["published"] == PAPER[model][parameter]
        assert row["estimate"] == pytest.approx(PAPER[model][parameter], rel=2e-3)
        assert row["ci_low"] < PAPER[model][parameter] < row["ci_high"]
    assert table["published_in_interval"].all()
    sentence = parameter_sentences(table, published=True)[0]
    assert sentence.startswith("Every published value lies inside the 95% interval")
    assert "the fit reproduces the papers" in sentence
    assert "published_in_interval" not in parameter_table(transactions, spend).columns


def test_a_published_value_outside_its_interval_is_named(fitted):
    table = parameter_table(*fitted[:2], published=True)
    table.loc[table["parameter"] == "b", "published_in_interval"] = False
    assert parameter_sentences(table, published=True) == [
        "The published values of b lie outside the 95% interval of our estimate: check the "
        "data and the setup against the paper."
    ]
    assert "this run differs" in parameter_sentences(table, published=False)[0]
    table.loc[table["parameter"].isin(["a", "b"]), "std_error"] = np.nan
    assert parameter_sentences(table, published=False)[1].startswith(
        "The data do not pin down a, b: the likelihood is flat there"
    )


def test_repeat_customers_without_positive_spend_are_left_out_of_the_spend_fit(summary):
    changed = summary.copy()
    repeaters = changed.index[changed["frequency"] > 0][:3]
    changed.loc[repeaters, "monetary_value"] = 0.0
    _, spend, note = fit_models(changed)
    assert spend.n_customers_ == 946 - 3
    assert note.startswith("3 repeat customers with a mean spend of 0 or less are left out")


def test_without_a_usable_repeat_spend_there_is_no_spend_model(summary):
    no_spend = summary.assign(
        monetary_value=summary["monetary_value"].where(summary["frequency"] == 0, 0.0)
    )
    transactions, spend, note = fit_models(no_spend)
    assert spend is None and isinstance(transactions, BGNBD)
    assert note.startswith(
        "The spend model cannot be fitted: GammaGamma.fit needs customers with repeat purchases"
    )


def test_holdout_by_frequency_against_a_hand_computation(fitted, summary):
    model = fitted[0]
    table = holdout_by_frequency(model, summary, highest=3)
    assert table["frequency"].tolist() == ["0", "1", "2", "3+"]
    x, t_x, T = (summary[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    each = model.expected_purchases(39.0, x, t_x, T)  # the holdout is 39 weeks
    for label, mask in (("0", x == 0), ("1", x == 1), ("2", x == 2), ("3+", x >= 3)):
        row = table.set_index("frequency").loc[label]
        assert row["customers"] == mask.sum()
        assert row["actual"] == pytest.approx(summary["frequency_holdout"][mask].mean())
        assert row["expected"] == pytest.approx(each[mask].mean())
    total = float(each.sum())
    assert (table["expected"] * table["customers"]).sum() == pytest.approx(total)
    assert summary["frequency_holdout"].sum() == 1882  # the holdout's repeat purchases
    sentence = holdout_sentences(table)[0]
    assert f"{total:,.1f} holdout purchases given each history, against 1,882 made" in sentence
    with pytest.raises(ParameterError, match="needs the holdout columns"):
        holdout_by_frequency(model, summary.drop(columns="frequency_holdout"))


def test_alive_grid_is_the_models_probability_at_those_histories(fitted, summary):
    model = fitted[0]
    grid = alive_grid(model, summary)
    T = summary["T"].max()
    assert sorted(grid["frequency"].unique()) == [1, 2, 5, 10]
    assert (grid["T"] == T).all()
    for row in grid.itertuples():
        assert row.probability_alive == pytest.approx(
            float(model.probability_alive(row.frequency, row.recency, T))
        )
    # a long silence after ten purchases is a worse sign than after one
    earliest = grid[grid["recency"] == grid["recency"].min()].set_index("frequency")
    assert earliest.loc[10, "probability_alive"] < earliest.loc[1, "probability_alive"]


def test_period_discount_rate_compounds_to_the_annual_rate():
    weekly = period_discount_rate(0.1, time_unit="W")
    assert (1 + weekly) ** (365.25 / 7) == pytest.approx(1.1)
    assert period_discount_rate(0.0, time_unit="D") == 0.0
    assert (1 + period_discount_rate(0.2, time_unit="M")) ** 12 == pytest.approx(1.2)


def test_segment_table_counts_and_shares(fitted, summary):
    transactions, spend, _ = fitted
    scores = rfm_scores(summary)
    value = customer_lifetime_value(transactions, spend, summary, horizon=52)
    alive = transactions.probability_alive(summary["frequency"], summary["recency"], summary["T"])
    table = segment_table(scores, value=value, alive=alive).set_index("segment")
    counts = scores["segment"].value_counts()
    assert table["customers"].to_dict() == counts.to_dict()
    assert table["clv_share"].sum() == pytest.approx(1.0)
    champions = scores["segment"] == "champions"
    assert table.loc["champions", "mean_clv"] == pytest.approx(value["clv"][champions].mean())
    assert table.loc["champions", "mean_probability_alive"] == pytest.approx(
        alive[champions].mean()
    )
    assert table["mean_clv"].is_monotonic_decreasing
    # BG/NBD: customers who never bought again are alive for sure
    assert table.loc["lost", "mean_probability_alive"] == 1.0
    words = segment_sentences(table.reset_index(), model="bgnbd")
    assert words[0].startswith(f"The champions ({counts['champions'] / len(scores):.0%} of")
    assert "alive for sure" in words[1]
    assert len(segment_sentences(table.reset_index(), model="paretonbd")) == 1
    plain = segment_table(scores)
    assert "mean_clv" not in plain.columns and plain["mean_frequency"].is_monotonic_decreasing


def test_value_concentration_and_top_customers(fitted, summary):
    transactions, spend, _ = fitted
    value = customer_lifetime_value(transactions, spend, summary, horizon=52)
    concentration = value_concentration(value)
    ordered = np.sort(value["clv"].to_numpy())[::-1]
    k = math.ceil(0.1 * len(ordered))
    row = concentration.set_index("top_share_of_customers").loc[0.10]
    assert row["customers"] == k == 236
    assert row["share_of_value"] == pytest.approx(ordered[:k].sum() / ordered.sum())
    top = top_customers(rfm_scores(summary), value, n=3)
    assert top["clv"].tolist() == pytest.approx(ordered[:3].tolist())
    words = value_sentences(
        value, concentration, horizon=52, time_unit="W", annual_rate=0.1, margin=0.3
    )
    assert words[0].startswith("Over the next 52 weeks, at a margin of 30% and an annual discount")
    assert f"**{row['share_of_value']:.0%}**" in words[1]


def test_tracking_sentences_give_the_holdout_forecast_error(fitted, log):
    track = tracking(
        fitted[0],
        log,
        start="1997-01-01",
        calibration_end="1997-09-30",
        observation_end="1998-06-30",
    )
    calibration = track[track["part"] == "calibration"].iloc[-1]
    # the actual repeat purchases are counted from the log, independently of the model
    days = log["time"].dt.tz_convert(None).dt.normalize()
    daily = pd.DataFrame({"c": log["customer_id"], "d": days}).drop_duplicates()
    first = daily.groupby("c")["d"].transform("min")
    holdout = int(((daily["d"] > pd.Timestamp("1997-09-30")) & (daily["d"] > first)).sum())
    assert holdout == 1882
    expected = track["cumulative_expected"].iloc[-1] - calibration["cumulative_expected"]
    error = expected / holdout - 1
    assert tracking_sentences(track) == [
        f"Over the 39 holdout weeks the model expects **{expected:,.1f}** repeat purchases; the "
        f"cohort made **1,882**: a forecast under by **{abs(error):.1%}**."
    ]
    results = key_results(fitted[0], rfm_summary(log, calibration_end="1997-09-30"), track, None)
    assert results["holdout_forecast_error"] == pytest.approx(error)
    assert math.isnan(results["mean_clv"]) and results["customers"] == 2357
    assert results["param_r"] == pytest.approx(0.243, rel=2e-3) and results["model"] == "BG/NBD"
    no_holdout = track[track["part"] == "calibration"]
    assert "no holdout period" in tracking_sentences(no_holdout)[0]
    assert math.isnan(key_results(fitted[0], log, no_holdout, None)["holdout_forecast_error"])


def test_assumption_check_is_scipys_pearson_correlation(summary):
    repeat = summary[summary["frequency"] > 0]
    r = stats.pearsonr(repeat["frequency"], repeat["monetary_value"])
    low, high = r.confidence_interval(0.95)
    words = assumption_sentences(summary, model="paretonbd")
    assert "at any moment" in words[2]
    assert words[-1].startswith(
        f"Check of the last assumption: among the 946 repeat customers "
        f"the correlation of frequency and mean spend is "
        f"**{r.statistic:.2f}** (95% CI {low:.2f} to {high:.2f})"
    )
    assert "after each purchase" in assumption_sentences(summary, model="bgnbd")[2]


def test_data_sentences(log, summary):
    words = data_sentences(log, summary, calibration_end="1997-09-30", observation_end="1998-06-30")
    assert words[0] == (
        f"The data are {len(log):,} transactions from the shipped CDNOW log; "
        "2,357 customers made their first purchase by 1997-09-30."
    )
    assert "the holdout (39 weeks)" in words[1]
    assert words[2].startswith("946 customers (40%) bought again")


def test_the_report_on_a_users_file_with_pareto_nbd(tmp_path, export):
    """The path branch of the notebook: a renamed export reproduces the published Pareto/NBD."""
    run = run_report(
        "customer_value",
        {
            "path": str(export),
            "columns": {"Client": "customer_id", "Date": "time", "Total": "amount"},
            "calibration_end": "1997-09-30",
            "observation_end": "1998-06-30",
            "model": "paretonbd",
            "horizon": 26.0,
        },
        output_dir=tmp_path / "reports",
    )
    published = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
    for name, value in published.items():
        assert run.results[f"param_{name}"] == pytest.approx(value, rel=2e-3)
    assert run.results["customers"] == 2357 and run.results["model"] == "Pareto/NBD"
    page = run.html.read_text(encoding="utf-8")
    assert "this run differs, so its parameters stand alone" in page  # not the shipped data
    assert "Customer value: RFM, customer-base models and lifetime value" in page


def test_meaning_sentences_say_what_the_parameters_mean(fitted, summary):
    transactions, spend, _ = fitted
    rate = 0.243 / 4.414  # the published r / alpha: purchases a week while alive
    words = meaning_sentences(transactions, spend)
    assert words[0].startswith(f"While still a customer, the average customer buys **{rate:.2g} ")
    assert words[1] == (
        f"After each purchase, **{0.793 / (0.793 + 2.426):.0%}** of customers on average leave "
        "for good (a / (a + b))."
    )
    p, q, gamma = spend.params_.values()  # the population mean of the gamma-gamma model
    assert words[2].startswith(f"A purchase is worth **{gamma * p / (q - 1):,.2f}** on average")
    pareto = ParetoNBD().fit(summary)
    r, alpha, s, beta = pareto.params_.values()
    gone = 1 - (beta / (beta + 365.25 / 7)) ** s  # the gamma mixture of exponential lifetimes
    assert (
        f"; {gone:.0%} of the customers alive today will have left within a year"
        in (meaning_sentences(pareto, None)[1])
    )
    assert len(meaning_sentences(pareto, None)) == 2


def test_a_log_where_nobody_bought_again_is_refused_with_what_to_do():
    log = pd.DataFrame({"customer_id": [f"c{i}" for i in range(30)],
                        "time": pd.date_range("2024-01-01", periods=30, freq="D"),
                        "amount": 10.0})  # fmt: skip
    summary = rfm_summary(log, calibration_end=split_dates(log)[0])
    for model, name in (("bgnbd", "BGNBD"), ("paretonbd", "ParetoNBD")):
        with pytest.raises(ParameterError, match=rf"^{name}.fit needs customers with repeat "
                           r"purchases .* use a longer calibration period"):  # fmt: skip
            fit_models(summary, model=model)
