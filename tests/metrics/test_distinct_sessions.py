"""distinct_sessions: exact repeats dropped on pandas, DuckDB and Spark, counted by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from scrm_lab.datasets import load_dataset
from scrm_lab.exceptions import SchemaError
from scrm_lab.metrics import conversion_rate, distinct_sessions


def repeats() -> pd.DataFrame:
    """Six sessions: c repeats a, e repeats d (a gap equal to a gap), f differs from b."""
    return pd.DataFrame({
        "session_id": ["a", "b", "c", "d", "e", "f"],
        "month": ["Mar", "Mar", "Mar", "May", "May", "Mar"],
        "product_pages": pd.array([2, 1, 2, None, None, 1], dtype="Int64"),
        "purchased": [True, False, True, False, False, True],
    })  # fmt: skip


def kept(table, backend: str) -> list[str]:
    frame = table if backend == "pandas" else pd.DataFrame(
        table.fetchall() if backend == "duckdb" else [tuple(r) for r in table.collect()],
        columns=table.columns,
    )  # fmt: skip
    return sorted(frame["session_id"])


def test_exact_repeats_are_dropped_on_every_backend(backend, on_backend):
    result = distinct_sessions(on_backend(repeats(), backend))
    assert kept(result, backend) in (["a", "b", "d", "f"], ["b", "c", "d", "f"],
                                     ["a", "b", "e", "f"], ["b", "c", "e", "f"])  # fmt: skip
    assert conversion_rate(result)[["count", "n"]].iloc[0].tolist() == [2, 4]
    if backend == "pandas":
        assert kept(result, backend) == ["a", "b", "d", "f"]  # the first of each, as pandas
        assert result.index.tolist() == [0, 1, 3, 5]


def test_the_duplicate_flag_decides_when_the_table_has_one(backend, on_backend):
    flagged = repeats().assign(duplicate=[False, False, False, False, False, True])
    result = distinct_sessions(on_backend(flagged, backend))
    assert kept(result, backend) == ["a", "b", "c", "d", "e"]


def test_the_shipped_repeats_counted_by_hand():
    sessions = load_dataset("online_shoppers_intention")
    by_hand = ~sessions.drop(columns=["session_id", "duplicate"]).duplicated()
    assert int(by_hand.sum()) == 12_205 == len(distinct_sessions(sessions))
    unflagged = sessions.drop(columns="duplicate")
    assert distinct_sessions(unflagged).index.equals(sessions.index[by_hand])


def test_a_duplicate_flag_with_a_gap_is_refused(backend, on_backend):
    flagged = repeats().assign(duplicate=pd.array([False, None, False, False, False, True],
                                                  dtype="boolean"))  # fmt: skip
    with pytest.raises(
        SchemaError, match=r"column 'duplicate' is missing in (row 2|the row with session_id 'b')"
    ):
        distinct_sessions(on_backend(flagged, backend))


def test_a_table_without_session_id_is_refused():
    with pytest.raises(SchemaError, match="session_id"):
        distinct_sessions(repeats().drop(columns="session_id"))
