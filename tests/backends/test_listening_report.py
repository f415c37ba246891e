"""The listening report's helpers on DuckDB and Spark, and the report run on a Parquet folder."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from scrm_lab import listening
from scrm_lab.datasets import load_dataset
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.io import open_table, write_partitioned
from scrm_lab.reports import run_report
from scrm_lab.reports._html import header_html
from scrm_lab.reports._run_record import RECORD_ENV, note_read, read_record


@pytest.fixture(scope="module")
def sample(tweets):
    return tweets.sample(900, random_state=20261206).reset_index(drop=True)


def test_report_helpers_give_the_pandas_answers(sample, backend, on_backend):
    data = on_backend(sample, backend)
    chosen = listening.select_brands(data, ["Delta", "United"])
    expected = sample[sample["brand"].isin(["Delta", "United"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        listening.brand_periods(chosen), listening.brand_periods(expected)
    )
    facts = listening.message_overview(chosen)
    assert facts["messages"] == len(expected)
    assert facts["brands"] == 2
    assert facts["unlabelled"] == int(expected["sentiment"].isna().sum())
    assert facts["reasons"] == int(expected["negative_reason"].notna().sum())
    assert pd.Timestamp(facts["first"]) == expected["time"].min()
    assert listening.has_reasons(data)
    assert listening.message_texts(data, limit=50).tolist() == (
        sample["text"].tolist() if backend == "pandas" else sample["text"].head(50).tolist()
    )
    with pytest.raises(ParameterError, match=r"Got 'Detla' instead. Did you mean 'Delta'\?"):
        listening.select_brands(data, ["Detla"])


def test_brand_periods_names_a_missing_column(sample, backend, on_backend):
    data = on_backend(sample.drop(columns="time"), backend)
    with pytest.raises(SchemaError, match=r"brand_periods: column 'time' is not in the data"):
        listening.brand_periods(data)


def test_scoring_texts_needs_pandas(sample, backend, on_backend):
    data = on_backend(sample, backend)
    if backend == "pandas":
        assert listening.with_sentiment(data.head(3), source="lexicon")["sentiment"].notna().all()
        return
    assert listening.with_sentiment(data, source="labels") is data
    with pytest.raises(ParameterError, match=r"sentiment from the lexicon scores every text"):
        listening.with_sentiment(data, source="lexicon")
    unlabelled = on_backend(sample.drop(columns="sentiment"), backend)
    added = listening.with_sentiment(unlabelled, source="labels")
    assert listening.message_overview(added)["unlabelled"] == len(sample)


def test_open_table_and_load_dataset_hand_the_table_to_the_engine(sample, tmp_path, backend):
    if backend == "pandas":
        path = tmp_path / "m.csv"
        sample.to_csv(path, index=False)
        assert isinstance(open_table(path, "messages"), pd.DataFrame)
        return
    write_partitioned(sample, tmp_path / "m", ["brand"])
    opened = open_table(tmp_path / "m", "messages", engine=backend)
    pd.testing.assert_frame_equal(
        listening.share_of_voice(opened), listening.share_of_voice(sample)
    )
    shipped = load_dataset("twitter_airline_sentiment", engine=backend)
    assert listening.message_overview(shipped)["messages"] == 14_485


def test_the_engine_goes_into_the_run_record_and_the_header(tmp_path, monkeypatch):
    record = tmp_path / "record.jsonl"
    assert read_record(record)["engine"] == {"name": "pandas"}
    monkeypatch.setenv(RECORD_ENV, str(record))
    note_read("engine", "duckdb", None)
    note_read("engine", "spark", "sc://db.example:443/;...")
    assert read_record(record)["engine"] == {"name": "spark", "master": "sc://db.example:443/;..."}
    status = {"notebook": "n", "status": "succeeded", "started": "2026-12-03T00:00:00",
              "duration_s": 1.0, "parameters": {}, "error": None}  # fmt: skip
    provenance = {"defaults": {}, "packages": {}, "notebook": {"sha256": "0"}, "python": "3.11",
                  "datasets": {}, "files": {"/data/m": None}}  # fmt: skip
    html = header_html(status, {**provenance, "engine": read_record(record)["engine"]})
    assert "<th>Engine</th><td>spark (master <code>sc://db.example:443/;...</code>)</td>" in html
    assert "scanned lazily, not hashed" in html
    assert "<th>Engine</th><td>pandas (in memory)</td>" in header_html(status, provenance)


def test_the_listening_report_runs_on_duckdb_over_a_parquet_folder(tweets, tmp_path):
    """What an analyst with a partitioned export does: the report, on DuckDB, from Parquet.

    (The report on Spark: tests/backends/test_report_engines.py runs the customer service
    report there; the listening helpers give the same answers on Spark, above.)
    """
    two = tweets[tweets["brand"].isin(["Delta", "United"])]
    write_partitioned(two, tmp_path / "messages", ["brand"])
    run = run_report(
        "social_listening",
        {
            "engine": "duckdb",
            "path": str(tmp_path / "messages"),
            "spike_freq": "D",
            "evaluate_sentiment": False,
        },  # fmt: skip
        output_dir=tmp_path / "reports",
    )
    provenance = json.loads((run.output_dir / "provenance.json").read_text())
    assert provenance["engine"] == {"name": "duckdb"}
    page = (run.output_dir / "social_listening.html").read_text()
    assert f"{len(two):,} messages</strong> from your file" in page
    assert "<th>Engine</th><td>duckdb (embedded, out of core)</td>" in page
    assert "application/vnd.jupyter.stderr" not in page.split("</style>")[-1]  # no warnings
