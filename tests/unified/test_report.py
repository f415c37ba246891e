"""The social customer view report: its data, periods, tables, pseudonyms, and the notebook
run on a company's own folder of tables."""

from __future__ import annotations

import re
from html import unescape

import pandas as pd
import pytest

from scrm_lab.exceptions import DataFileError, ParameterError
from scrm_lab.privacy import pseudonymize
from scrm_lab.reports import run_report
from scrm_lab.synth import simulate_customer_population
from scrm_lab.unified import (
    ReportData,
    effect_recovered,
    features_by_period,
    link_counts,
    link_table_from_truth,
    period_ends,
    pseudonymized,
    report_data,
    showcase_customer,
)

TABLES = {"customers": "crm", "social_profiles": "profiles", "interactions": "interactions",
          "messages": "messages", "transactions": "transactions"}  # fmt: skip


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    pop = simulate_customer_population(n_customers=300, seed=31)
    where = tmp_path_factory.mktemp("company")
    for table, attribute in TABLES.items():
        getattr(pop, attribute).to_parquet(where / f"{table}.parquet")
    return where, pop


def test_a_folder_of_canonical_tables_is_read_and_not_labelled_simulated(folder):
    where, pop = folder
    data = report_data(str(where))
    assert not data.simulated and data.truth is None
    for attribute in ("crm", "profiles", "interactions", "messages", "transactions"):
        assert len(getattr(data, attribute)) == len(getattr(pop, attribute))


def test_a_missing_table_or_folder_is_refused_naming_it(folder, tmp_path):
    where, pop = folder
    (tmp_path / "customers.csv").write_text("customer_id\nC1\n")
    with pytest.raises(DataFileError, match=r"has no social_profiles table: expected one of"):
        report_data(str(tmp_path))
    with pytest.raises(ParameterError, match=r"'folder'.*a folder of canonical tables"):
        report_data(str(where / "customers.parquet"))


def test_period_ends_are_calendar_ends_and_a_bad_period_is_refused():
    data = report_data(n_customers=200, seed=2)
    months = period_ends(data, period="M")
    assert len(months) == 12
    assert [str(t.date()) for t in months[:2]] == ["2024-01-31", "2024-02-29"]
    with pytest.raises(ParameterError, match=r"'period'.*'M' \(months\) or 'Q'"):
        period_ends(data, period="W")


def test_period_revenue_adds_up_to_the_spend_within_each_period():
    data = report_data(n_customers=200, seed=3)
    links = link_table_from_truth(data.crm, data.truth["links"])
    ends = period_ends(data, period="Q")
    features = features_by_period(data, links, ends)
    spend = data.transactions.assign(quarter=data.transactions["time"].dt.tz_convert(None)
                                     .dt.to_period("Q"))  # fmt: skip
    expected = spend.groupby("quarter")["amount"].sum().to_numpy()
    got = features.groupby("period", sort=True)["revenue_period"].sum().to_numpy()
    assert got == pytest.approx(expected, rel=1e-9)
    bought = features["purchased"] == (features["revenue_period"] > 0)
    assert bought.all()


def test_pseudonyms_are_case_blind_and_keep_the_brand():
    frame = pd.DataFrame({"handle_x": ["@Ann_B", None], "detail": ["@ann_b thanks @B001", None]})
    page = pseudonymized(frame, salt="s", keep=("B001",))
    alias = pseudonymize(pd.Series(["ann_b"]), salt="s").iloc[0]
    assert page["handle_x"].iloc[0] == alias and pd.isna(page["handle_x"].iloc[1])
    assert page["detail"].iloc[0] == f"@{alias} thanks @B001"
    assert "ann" not in page.to_string().lower()


def test_link_counts_and_showcase():
    links = pd.DataFrame({"source": ["crm", "x", "x", "y"],
                          "rule": ["none", "probabilistic", "none", "given_handle"]})  # fmt: skip
    table = link_counts(links).set_index("source")
    assert table.loc["x", "profiles"] == 2 and table.loc["y", "given_handle"] == 1
    view = pd.DataFrame({"unified_customer_id": ["U-1", "U-2", "U-3"], "n_profiles": [2, 2, 0],
                         "mentions": [1, 3, 9], "interactions": [0, 0, 9],
                         "frequency": [0, 0, 9]})  # fmt: skip
    assert showcase_customer(view) == "U-2"


def test_notebook_on_a_company_folder_shows_no_handle(folder, tmp_path):
    """An analyst's own tables: the report runs, says whose tables they are, shows no
    simulated label, and no handle appears on the page."""
    where, pop = folder
    run = run_report("social_customer_view", {"folder": str(where), "seed": 3},
                     output_dir=tmp_path)  # fmt: skip
    assert run.status == "succeeded"
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", run.html.read_text())))
    assert "Your tables from" in text and "SIMULATED population (" not in text
    assert "Against the simulated truth" not in text
    words = set(re.findall(r"[A-Za-z0-9_.]+", text.lower()))
    handles = set(pop.profiles["handle"].str.lower())
    assert not handles & words


def test_effect_recovered_needs_a_simulation(folder):
    where, _ = folder
    with pytest.raises(ParameterError, match=r"'data'.*a simulated population"):
        effect_recovered(report_data(str(where)))


def test_period_ends_refuse_tables_without_events():
    data = report_data(n_customers=100, seed=4)
    none = {"interactions": data.interactions.iloc[:0], "messages": data.messages.iloc[:0],
            "transactions": data.transactions.iloc[:0]}  # fmt: skip
    empty = ReportData(data.crm, data.profiles, **none, truth=None, source="test")
    with pytest.raises(DataFileError, match=r"The test tables hold no event with a time"):
        period_ends(empty)
