"""scrm_lab.schema: the canonical tables, declared once."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.schema import (
    CANONICAL_TABLES,
    DATASET_TABLES,
    KINDS,
    describe_table,
    get_table,
    key_columns,
    list_tables,
    validate,
)

CANONICAL = [
    "brands",
    "channel_activity",
    "financials",
    "posts",
    "messages",
    "interactions",
    "customers",
    "social_profiles",
    "transactions",
    "edges",
    "sessions",
    "search_trends",
    "audience",
]


def test_the_thirteen_canonical_tables_are_declared():
    assert list_tables(canonical_only=True) == CANONICAL
    assert set(list_tables()) == set(CANONICAL) | set(DATASET_TABLES)


@pytest.mark.parametrize("kind", list(CANONICAL_TABLES) + list(DATASET_TABLES))
def test_every_column_is_documented(kind):
    schema = get_table(kind)
    assert isinstance(schema, pa.DataFrameSchema) and schema.name == kind
    assert set(schema.metadata["key"]) <= set(schema.columns)
    for name, column in schema.columns.items():
        assert column.metadata["kind"] in KINDS, name
        assert column.description and column.description.endswith("."), name
    described = describe_table(kind)
    assert list(described.columns) == [
        "column",
        "kind",
        "dtype",
        "unit",
        "required",
        "nullable",
        "key",
        "allowed",
        "description",
    ]
    assert described["column"].tolist() == list(schema.columns)


def test_messages_declare_thread_structure():
    described = describe_table("messages").set_index("column")
    assert {"author", "time", "text", "channel", "reply_to"} <= set(described.index)
    assert described.loc["time", "dtype"] == "datetime64[ns, UTC]"
    assert described.loc["sentiment", "allowed"] == "negative, neutral, positive"


def test_optional_key_columns_count_only_when_present():
    assert key_columns("channel_activity") == ["brand", "channel"]
    assert key_columns("channel_activity", ["brand", "channel", "period"]) == [
        "brand",
        "channel",
        "period",
    ]
    assert key_columns("transactions", ["customer_id", "time", "amount"]) == []


def test_unknown_table():
    with pytest.raises(ParameterError, match=r"Got 'mesages' instead. Did you mean 'messages'\?"):
        get_table("mesages")


def edges(**columns):
    frame = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], **columns})
    return frame.astype({"source": "str", "target": "str"})


def test_valid_table_is_returned_unchanged():
    frame = edges(weight=[1.0, 2.0])
    assert validate(frame, "edges") is frame


def test_wrong_dtype_is_named():
    with pytest.raises(
        SchemaError,
        match=r"g\.csv: table 'edges', column 'weight' has dtype str; expected float64",
    ):
        validate(edges(weight=["1", "2"]), "edges", source="g.csv")


def test_range_violation_names_row_and_value():
    with pytest.raises(
        SchemaError, match=r"column 'weight': row 2 has value -2\.0; expected a value >= 0"
    ) as info:
        validate(edges(weight=[1.0, -2.0]), "edges")
    assert (info.value.table, info.value.column, info.value.row) == ("edges", "weight", 2)


def test_counts_how_many_rows_fail():
    with pytest.raises(SchemaError, match=r"\(2 rows fail this check\)"):
        validate(edges(weight=[-1.0, -2.0]), "edges")


def test_missing_required_column_lists_available():
    with pytest.raises(
        SchemaError, match=r"missing required column\(s\) 'target'; available columns: 'source'"
    ):
        validate(pd.DataFrame({"source": ["a"]}).astype("str"), "edges")
