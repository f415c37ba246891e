"""What the engagement measures share: table checks, instants in UTC and exact sums.

Every aggregation over an event table is a narwhals expression on a lazy frame, so the
functions run unchanged on a pandas DataFrame, a DuckDB relation (for instance
``duckdb.read_parquet(...)`` over files larger than memory) or another lazy backend; only the
aggregated table is computed in pandas. Results are identical, value for value and dtype for
dtype, on pandas and on DuckDB:

- Times are read as instants (microseconds since 1970-01-01 UTC; naive timestamps are taken
  to be UTC), never through the DuckDB connection's ``TimeZone`` setting, and periods are
  UTC calendar periods.
- Sums of fractional values (per-post rates, weighted and decayed interactions) are added
  as integers in units of ``2**-32`` (about 2.3e-10): each term is rounded down to that
  unit, so the total does not depend on the order in which a backend adds rows (a parallel
  scan adds them in a different order on every run). Sums of counts are exact integers.

Examples
--------
>>> import pandas as pd
>>> _to_utc(pd.Series([0, 86_400_000_000])).dt.strftime("%Y-%m-%d").tolist()
['1970-01-01', '1970-01-02']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from scrm_lab._checks import (
    current_function,
)
from scrm_lab._checks import suggest as _suggest
from scrm_lab._frames import columns_of, epoch_us, to_pandas
from scrm_lab.exceptions import SchemaError

_US_PER_DAY = 86_400_000_000
#: Fractional sums are added as integers in units of 1 / _FIXED (see the module docstring).
_FIXED = 2**32
_PERIOD_CODES = {"MS": "M", "QS": "Q", "YS": "Y"}


# ------------------------------------------------------------------------ table checks


def _where() -> str:
    """The public function being run, to begin messages about its tables."""
    return current_function()


def _require(lazy: nw.LazyFrame, roles: Sequence[tuple[str, str]], table: str) -> list[str]:
    """Check that every ``(column, role)`` of ``roles`` is in the table."""
    columns = columns_of(lazy)
    for column, role in roles:
        if column not in columns:
            available = ", ".join(map(repr, columns)) or "none"
            raise SchemaError(
                f"{_where()}: the {table} table has no column {column!r} ({role}); available "
                f"columns: {available}.{_suggest(column, columns)}",
                table=table,
                column=column,
            )
    return columns


def _check_counts(
    lazy: nw.LazyFrame, counts: Sequence[str], post_id: str | None
) -> dict[str, bool]:
    """Counts must be numeric and never negative; returns column -> whether it is integer."""
    schema = lazy.collect_schema()
    for column in counts:
        if not schema[column].is_numeric():
            raise SchemaError(
                f"{_where()}: column {column!r} of the posts table has dtype {schema[column]}; "
                "expected counts (an integer column).",
                table="posts",
                column=column,
            )
    negatives = to_pandas(
        lazy.select(*[_sum((nw.col(c) < 0).cast(nw.Int64)).alias(c) for c in counts])
    )
    for column in counts:
        n_negative = int(negatives[column].fillna(0).iloc[0])
        if not n_negative:
            continue
        bad = lazy.filter(nw.col(column) < 0)
        where = ""
        if post_id is None:
            value = to_pandas(bad.select(nw.col(column).min()))[column].iloc[0]
        else:
            first = to_pandas(bad.select(post_id, column).sort(post_id).head(1))
            value = first[column].iloc[0]
            where = f" at {post_id}={_plain(first[post_id].iloc[0])!r}"
        raise SchemaError(
            f"{_where()}: column {column!r} of the posts table has negative value "
            f"{_plain(value)!r}{where} ({n_negative} negative value(s) in all); expected "
            "counts >= 0.",
            table="posts",
            column=column,
        )
    return {c: schema[c].is_integer() for c in counts}


def _epoch_us(lazy: nw.LazyFrame, column: str, table: str) -> nw.Expr:
    """``column`` as integer microseconds since 1970-01-01 UTC; refuses a column of other data."""
    dtype = lazy.collect_schema()[column]
    duckdb = lazy.implementation is nw.Implementation.DUCKDB
    if not isinstance(dtype, nw.Datetime) and not (duckdb and dtype == nw.Unknown):
        raise SchemaError(
            f"{_where()}: column {column!r} of the {table} table has dtype {dtype}; expected "
            "timestamps (datetime64[ns, UTC]).",
            table=table,
            column=column,
        )
    return epoch_us(lazy, column)


def _fixed(expr: nw.Expr) -> nw.Expr:
    """A fractional value as an integer number of 2**-32 units, rounded down."""
    return (expr * _FIXED).floor().cast(nw.Int64)


def _sum(expr: nw.Expr) -> nw.Expr:
    """Sum of integers as Int64 on every backend (DuckDB would give HUGEINT)."""
    return expr.sum().cast(nw.Int64)


def _to_utc(us: pd.Series) -> pd.Series:
    """Microseconds since the epoch (nullable integers) as datetime64[ns, UTC]."""
    values = us.astype("Int64")
    stamps = values.to_numpy(dtype="int64", na_value=0).astype("datetime64[us]")
    stamps[values.isna().to_numpy()] = np.datetime64("NaT")
    return pd.Series(stamps, index=us.index).dt.tz_localize("UTC").astype("datetime64[ns, UTC]")


def _plain(value: object) -> object:
    """A numpy scalar as the Python value it holds, for messages."""
    return value.item() if isinstance(value, np.generic) else value


def _pandas_dtype(dtype: Any) -> str | None:
    """The pandas dtype a pass-through column is given on every backend."""
    if isinstance(dtype, nw.String | nw.Categorical | nw.Enum):
        return "str"
    if dtype == nw.Boolean:
        return "boolean"
    if dtype.is_integer():
        return "Int64"
    if dtype.is_float():
        return "float64"
    return None


def _keys_as_strings(lazy: nw.LazyFrame, keys: Sequence[str]) -> tuple[nw.LazyFrame, dict]:
    """Categorical key columns cast to strings (their categories differ by backend)."""
    schema = lazy.collect_schema()
    categorical = [k for k in keys if isinstance(schema[k], nw.Categorical | nw.Enum)]
    if categorical:
        lazy = lazy.with_columns(*[nw.col(k).cast(nw.String) for k in categorical])
        schema = lazy.collect_schema()
    return lazy, {k: _pandas_dtype(schema[k]) for k in keys}


def _set_dtypes(frame: pd.DataFrame, dtypes: Mapping[str, str | None]) -> pd.DataFrame:
    for column, dtype in dtypes.items():
        if dtype is not None:
            frame[column] = frame[column].astype(dtype)
    return frame


def _count_dtype(is_integer: bool) -> str:
    return "Int64" if is_integer else "float64"
