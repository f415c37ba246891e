"""Fixtures shared by the test folders (each folder mirrors a package of scrm_lab).

Module-scoped: each test module gets its own copy, so a test that changes a table in place
cannot leak into another module.
"""

from __future__ import annotations

import pandas as pd
import pytest

from scrm_lab.datasets import load_dataset


@pytest.fixture(scope="module")
def tweets() -> pd.DataFrame:
    """The real airline tweets (``messages`` table, 14,485 rows after de-duplication)."""
    return load_dataset("twitter_airline_sentiment")


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
