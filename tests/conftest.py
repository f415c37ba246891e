"""Fixtures shared by the test folders (each folder mirrors a package of scrm_lab).

Module-scoped: each test module gets its own copy, so a test that changes a table in place
cannot leak into another module.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from scrm_lab.datasets import load_dataset


@pytest.fixture(scope="module")
def tweets() -> pd.DataFrame:
    """The real airline tweets (``messages`` table, 14,485 rows after de-duplication)."""
    return load_dataset("twitter_airline_sentiment")


def pytest_configure(config):
    """pytest resets warning filters around each test: give it the package's narrow ones."""
    from scrm_lab._quiet import SILENCED

    for message, category in SILENCED:
        config.addinivalue_line("filterwarnings", f"ignore:{message}:{category.__name__}:pyspark")


# Cross-backend tests: the same table on pandas, DuckDB and Spark. One local Spark serves the
# whole session (each xdist worker starts its own). Without PySpark or Java the Spark cases
# are skipped, or fail when SCRM_LAB_REQUIRE_SPARK=1 (as in CI, where .ci/run installs Java).
BACKENDS = ("pandas", "duckdb", "spark")
SPARK_TEST_SETTINGS = {
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.driver.memory": "1g",
}


@pytest.fixture(scope="session")
def spark():
    """A local Spark session (local[2], UI off, 2 shuffle partitions, UTC)."""
    from scrm_lab._frames import spark_session
    from scrm_lab.exceptions import EngineError

    try:
        session = spark_session("local[2]", config=SPARK_TEST_SETTINGS)
    except EngineError as err:
        if os.environ.get("SCRM_LAB_REQUIRE_SPARK") == "1":
            pytest.fail(f"SCRM_LAB_REQUIRE_SPARK=1 but {err}", pytrace=False)
        pytest.skip(f"no local Spark: {err}")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def on_backend(request, tmp_path_factory) -> Callable[[pd.DataFrame, str], object]:
    """``on_backend(frame, "duckdb")``: the frame as that backend reads it from Parquet.

    pandas gets the frame itself; DuckDB and Spark read the same Parquet file (timestamps
    stored in microseconds, which Spark requires), as they would a user's export.
    """
    folder = tmp_path_factory.mktemp("backends")
    numbers = itertools.count()

    def convert(frame: pd.DataFrame, backend: str) -> object:
        if backend == "pandas":
            return frame
        path = Path(folder) / f"table_{next(numbers)}.parquet"
        frame.to_parquet(path, index=False, coerce_timestamps="us", allow_truncated_timestamps=True)
        if backend == "duckdb":
            import duckdb

            return duckdb.read_parquet(str(path))
        return request.getfixturevalue("spark").read.parquet(str(path))

    return convert


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """Each backend name in turn; the Spark case needs the session-wide Spark."""
    if request.param == "spark":
        request.getfixturevalue("spark")
    return request.param


# Property-based tests (hypothesis): the same examples on every run, so a CI failure can be
# replayed; no per-example deadline, since a shared 2-core machine makes timings noisy.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "scrm_lab",
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("scrm_lab")
