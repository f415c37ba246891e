"""The social CRM metrics report on DuckDB and the customer service report on Spark, each
over a Parquet folder.

What an analyst with a partitioned export does: the report, on a lazy engine, from
hive-partitioned Parquet; its numbers are the pandas functions' on the same rows, the run
records the engine, and the page shows no warning. (Each report runs on one lazy engine:
the functions behind them give the same tables on both, tests/backends/test_web_metrics.py
and test_service.py, and a Spark report run costs a JVM start and a minute.)
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from scrm_lab import metrics, service
from scrm_lab.datasets import load_dataset
from scrm_lab.io import write_partitioned
from scrm_lab.reports import run_report
from scrm_lab.synth import simulate_service_threads

SPARK = {"engine": "spark", "spark_master": "local[1]"}
DUCKDB = {"engine": "duckdb"}


@pytest.fixture(scope="module")
def sessions() -> pd.DataFrame:
    """600 shipped sessions, with some of the rows the shipped file flags as repeats."""
    shipped = load_dataset("online_shoppers_intention")
    repeats = shipped[shipped["duplicate"]].head(20)
    rest = shipped[~shipped["duplicate"]].sample(580, random_state=20261203)
    return pd.concat([rest, repeats]).reset_index(drop=True)


def finished(run, name: str) -> str:
    """The run's page, once the run is checked: succeeded, its engine recorded and shown,
    no stderr output."""
    assert run.status == "succeeded"
    provenance = json.loads((run.output_dir / "provenance.json").read_text())
    page = (run.output_dir / f"{name}.html").read_text()
    if run.parameters["engine"] == "spark":
        assert run.parameters["spark_master"] == "<secret>"
        assert provenance["engine"] == {"name": "spark", "master": "local[1]"}
        assert "<th>Engine</th><td>spark (master <code>local[1]</code>)</td>" in page
    else:
        assert provenance["engine"] == {"name": "duckdb"}
        assert "<th>Engine</th><td>duckdb (embedded, out of core)</td>" in page
    assert "application/vnd.jupyter.stderr" not in page.split("</style>")[-1]  # no warnings
    return page


def test_the_crm_metrics_report_runs_on_duckdb_over_a_parquet_folder(sessions, tmp_path):
    write_partitioned(sessions, tmp_path / "sessions", ["month"])
    run = run_report(
        "social_crm_metrics",
        {**DUCKDB, "sessions_path": str(tmp_path / "sessions"), "n_topics": 2,
         "topic_seeds": [0, 1], "top": 1},
        output_dir=tmp_path / "reports",
    )  # fmt: skip
    page = finished(run, "social_crm_metrics")
    conversion = metrics.conversion_rate(sessions).iloc[0]
    assert run.results["conversion_rate"] == pytest.approx(conversion["estimate"], rel=1e-12)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert f"{len(sessions):,} sessions; the busiest month" in text
    distinct = metrics.conversion_rate(sessions[~sessions["duplicate"]]).iloc[0]
    assert f"distinct rows only conversion_rate {distinct['count']} {distinct['n']:,}" in text


def test_the_customer_service_report_runs_on_spark_over_a_parquet_folder(tmp_path, spark):
    messages = simulate_service_threads(300, seed=3).messages
    write_partitioned(messages, tmp_path / "messages", ["channel"])
    run = run_report(
        "social_customer_service",
        {**SPARK, "path": str(tmp_path / "messages")},
        output_dir=tmp_path / "reports",
    )
    page = finished(run, "social_customer_service")
    threads = service.service_threads(messages)
    assert run.results["threads"] == len(threads)
    answered = threads[threads["answered"]]
    assert run.results["median_first_response_minutes"] == pytest.approx(
        answered["first_response_minutes"].median(), rel=1e-12
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert f"{len(messages):,} messages in {len(threads):,} customer threads" in text
