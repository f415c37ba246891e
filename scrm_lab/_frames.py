"""One way in and out for event-level tables: pandas, DuckDB or PySpark, through narwhals.

Aggregations over large event tables (channel activity, interactions, posts) are written as
narwhals expressions on a :class:`narwhals.LazyFrame`, so the same code runs on a pandas
DataFrame, on a DuckDB relation (a Parquet or CSV file scanned lazily, larger than memory)
and on a PySpark DataFrame. The small aggregated result comes back as pandas.

Examples
--------
>>> import pandas as pd
>>> lazy = as_lazy(pd.DataFrame({"brand": ["a", "a"], "posts": [1, 2]}), "data")
>>> import narwhals as nw
>>> to_pandas(lazy.group_by("brand").agg(nw.col("posts").sum()))
  brand  posts
0     a      3
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import pandas as pd

from scrm_lab.exceptions import ParameterError


def as_lazy(data: Any, name: str = "data") -> nw.LazyFrame:
    """Wrap a pandas DataFrame, DuckDB relation, Polars or PySpark frame as a LazyFrame.

    Raises
    ------
    ParameterError
        If ``data`` is not a frame narwhals supports.
    """
    try:
        frame = nw.from_native(data)
    except TypeError as err:
        raise ParameterError(
            f"The '{name}' parameter must be a pandas DataFrame, a DuckDB relation or another "
            f"frame narwhals supports. Got {type(data).__name__} instead."
        ) from err
    return frame.lazy() if isinstance(frame, nw.DataFrame) else frame


def columns_of(lazy: nw.LazyFrame) -> list[str]:
    """Column names of a lazy frame, without computing it."""
    return list(lazy.collect_schema().names())


def to_pandas(lazy: nw.LazyFrame) -> pd.DataFrame:
    """Compute a lazy frame and return it as a pandas DataFrame with a RangeIndex."""
    return lazy.collect(backend="pandas").to_native().reset_index(drop=True)


def duckdb_connection() -> Any:
    """A new in-memory DuckDB connection that prints nothing (no progress bar).

    DuckDB draws a progress bar on the terminal for long queries (splink's training and
    scoring of 100,000 customers showed one); library code never prints, so every
    connection the package opens comes from here.

    Examples
    --------
    >>> con = duckdb_connection()
    >>> con.execute("SELECT current_setting('enable_progress_bar')").fetchall()[0][0]
    False
    >>> con.close()
    """
    import duckdb

    con = duckdb.connect(":memory:")
    # off already inside Jupyter, where DuckDB refuses to change it without ipywidgets
    if con.execute("SELECT current_setting('enable_progress_bar')").fetchall()[0][0]:
        con.execute("SET enable_progress_bar = false")
    return con
