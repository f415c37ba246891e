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
