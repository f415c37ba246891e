"""Site traffic, repeat visits and conversions on a canonical ``sessions`` table.

Each function returns one row per group (or one row overall) in the metric vocabulary:
the group columns, then ``metric``, ``count`` (the numerator), ``n`` (the denominator),
``estimate`` (``count / n``), ``ci_low``, ``ci_high`` (Wilson), ``denominator`` (what
``n`` counts) and ``definition`` (``name/version``, see :func:`metric_definitions`).

The sessions may be a pandas DataFrame, a DuckDB relation or a PySpark DataFrame: the
sessions, successes and eligible rows of each group are counted on that backend
(:func:`group_counts`) and only the small table of counts comes back as pandas, where the
Wilson intervals are added (:func:`proportion_table`). Group columns come back as pandas
would give them: a categorical column keeps its categories and their order; the canonical
``month`` and ``visitor_type`` columns are categorical in calendar and new/returning/other
order, and ``traffic_source`` in the order of its values (codes as numbers), also when a
backend holds them as text (Parquet and Spark keep no categories), and also when a pandas
column holds them as text. Other categorical columns keep their categories only where the
backend has them (pandas, a DuckDB ENUM): read from Parquet or on Spark they are text.
Booleans come back as ``bool``, integers as ``int64``, text as ``str``; sessions with a
missing group are left out. A true/false column with a gap is refused naming its row
(on Spark, which numbers no rows, naming the row's ``session_id`` instead).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from scrm_lab._checks import ALPHA, COLUMN, ColumnNames, OrNone, as_names, checks, current_function
from scrm_lab._checks import require_columns as _require
from scrm_lab._frames import ROW, as_lazy, columns_of, numbered, to_pandas
from scrm_lab._proportions import wilson
from scrm_lab.exceptions import SchemaError
from scrm_lab.metrics._definitions import DEFINITIONS
from scrm_lab.schema import CANONICAL_TABLES, VISITOR_TYPES

#: The columns every proportion table ends with, after its group columns.
PROPORTION_COLUMNS = [
    "metric", "count", "n", "estimate", "ci_low", "ci_high", "denominator", "definition",
]  # fmt: skip

_BY = OrNone(ColumnNames())


def table_categories(table: str) -> dict[str, tuple[str, ...] | None]:
    """Categorical columns of a canonical table -> their values in order (None: the values
    found, in natural order)."""
    return {
        name: tuple(column.metadata["allowed"]) if column.metadata["allowed"] else None
        for name, column in CANONICAL_TABLES[table].columns.items()
        if column.metadata["kind"] == "category"
    }


SESSION_CATEGORIES = table_categories("sessions")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def _groups(data: pd.DataFrame, by: str | Sequence[str] | None) -> list[str]:
    names = list(as_names(by)) if by is not None else []
    _require(data, names)
    return names


def sessions_frame(
    sessions: Any,
    by: str | Sequence[str] | None,
    columns: Sequence[str] = (),
    name: str = "sessions",
) -> tuple[nw.LazyFrame, list[str]]:
    """The table as a lazy frame and the group columns; refused when a column is absent."""
    lazy = as_lazy(sessions, name)
    names = list(as_names(by)) if by is not None else []
    _require(pd.DataFrame(columns=columns_of(lazy)), [*names, *columns])
    return lazy, names


def bad_data(message: str, column: str | None = None) -> SchemaError:
    """A refusal of the data, naming the public function being run."""
    return SchemaError(f"{current_function()}: {message}", column=column)


def dtype_of(lazy: nw.LazyFrame, column: str) -> object:
    """The column's dtype as its backend names it (pandas: ``bool``, ``str``; else narwhals')."""
    if lazy.implementation.is_pandas_like():
        return lazy.to_native()[column].dtype
    return lazy.collect_schema()[column]


def first_bad_row(
    lazy: nw.LazyFrame, bad: nw.Expr, shown: Sequence[str], key: str = "session_id"
) -> tuple[str, list[object]]:
    """Where the first row with ``bad`` is, in words, and its values of the ``shown`` columns.

    pandas rows and DuckDB rows (in the relation's scan order) are numbered from 1; Spark
    gives rows no order, so there a bad row is named by its ``key`` column when it has one.
    """
    values = [nw.col(c).alias(f"_shown{i}") for i, c in enumerate(shown)]
    rows = numbered(lazy)
    if rows is None:
        named = key in columns_of(lazy)
        ids = [nw.col(key).cast(nw.String).alias("_id")] if named else []
        found = to_pandas(lazy.filter(bad).select(*values, *ids).head(1)).iloc[0]
        where = f"in the row with {key} {found['_id']!r}" if named else "in a row"
        return f"{where} (this backend gives rows no number)", found.iloc[: len(shown)].tolist()
    found = to_pandas(rows.filter(bad).sort(ROW).select(nw.col(ROW), *values).head(1))
    return f"in row {int(found[ROW].iloc[0])}", found.iloc[0, 1:].tolist()


def flag(lazy: nw.LazyFrame, column: str) -> nw.Expr:
    """A yes/no column as an expression; refused (naming the column and row) when not yes/no.

    The dtype is read from the schema; missing values are counted on the backend and the
    first one is looked up only when there is one.
    """
    if lazy.collect_schema()[column] != nw.Boolean:
        raise bad_data(
            f"column '{column}' has dtype {dtype_of(lazy, column)}; expected true/false values",
            column,
        )
    missing = nw.col(column).is_null()
    if to_pandas(lazy.select(missing.cast(nw.Int64).sum().alias("m")))["m"].fillna(0).iloc[0]:
        where, _ = first_bad_row(lazy, missing, [column])
        raise bad_data(f"column '{column}' is missing {where}; expected true or false", column)
    return nw.col(column)


def aggregate(
    lazy: nw.LazyFrame,
    by: Sequence[str],
    aggregations: Sequence[nw.Expr],
    categories: Mapping[str, tuple[str, ...] | None] = SESSION_CATEGORIES,
) -> pd.DataFrame:
    """The ``aggregations`` per group of ``by`` (one row when empty), as a pandas table.

    Groups with a missing key are left out; the keys come back as the module docstring says
    (``categories``: text columns read as categorical, with their values in order or None
    for natural order), rows sorted by them.
    """
    if not by:
        return to_pandas(lazy.select(*aggregations))
    levels = _levels(lazy, by, categories)
    table = to_pandas(lazy.group_by(*by, drop_null_keys=True).agg(*aggregations))
    for name in by:
        table[name] = _as_key(table[name], levels[name])
    return table.sort_values(list(by), kind="stable", ignore_index=True)


def group_counts(
    lazy: nw.LazyFrame,
    by: Sequence[str],
    counts: Mapping[str, nw.Expr | None],
    categories: Mapping[str, tuple[str, ...] | None] = SESSION_CATEGORIES,
) -> pd.DataFrame:
    """Per group of ``by`` (:func:`aggregate`), the sum of each count, as ``int64``.

    Each count is a true/false or whole-number expression summed on the backend, or None
    for the number of rows.

    Examples
    --------
    >>> frame = pd.DataFrame({"month": ["May", "Feb", "May"], "purchased": [True, False, False]})
    >>> group_counts(as_lazy(frame), ["month"], {"count": nw.col("purchased"), "n": None})
      month  count  n
    0   Feb      0  1
    1   May      1  2
    """
    named = {f"_scrm_{i}": (name, expr) for i, (name, expr) in enumerate(counts.items())}
    rows = {key: expr.cast(nw.Int64) for key, (_, expr) in named.items() if expr is not None}
    lazy = lazy.with_columns(**rows) if rows else lazy
    sums = [
        (nw.len() if expr is None else nw.col(key).sum()).alias(key)
        for key, (_, expr) in named.items()
    ]
    table = aggregate(lazy, by, sums, categories)
    table = table.rename(columns={key: name for key, (name, _) in named.items()})
    for name in counts:
        table[name] = table[name].fillna(0).astype("int64")
    return table[[*by, *counts]]


def _levels(
    lazy: nw.LazyFrame, by: Sequence[str], categories: Mapping[str, tuple[str, ...] | None]
) -> dict[str, object]:
    """How each key comes back: a list of categories, ``"natural"``, or None (plain values)."""
    schema = lazy.collect_schema()
    native = lazy.to_native() if lazy.implementation.is_pandas_like() else None
    levels: dict[str, object] = {}
    for name in by:
        dtype = schema[name]
        if native is not None and isinstance(native[name].dtype, pd.CategoricalDtype):
            levels[name] = list(native[name].cat.categories)
        elif isinstance(dtype, nw.Enum):
            levels[name] = list(dtype.categories)
        elif name in categories and (dtype == nw.String or dtype == nw.Categorical):
            levels[name] = categories[name] or "natural"
        else:
            levels[name] = None
    return levels


def _natural(text: str) -> tuple[int, float, str]:
    """Sort key putting codes written as numbers in numeric order ("2" before "10")."""
    return (0, float(text), text) if _NUMBER.fullmatch(text) else (1, 0.0, text)


def _as_key(values: pd.Series, level: object) -> pd.Series:
    """A key column of the counts, as the module docstring says."""
    if isinstance(level, list | tuple):
        if isinstance(values.dtype, pd.CategoricalDtype):
            return values
        text = values.astype("str")
        extra = sorted(set(text) - set(level), key=_natural)
        return pd.Series(pd.Categorical(text, categories=[*level, *extra]), name=values.name)
    if level == "natural":
        text = values.astype("str")
        order = sorted(set(text), key=_natural)
        return pd.Series(pd.Categorical(text, categories=order), name=values.name)
    if pd.api.types.is_bool_dtype(values):
        return values.astype(bool)
    if pd.api.types.is_integer_dtype(values):
        return values.astype("int64")
    if pd.api.types.is_float_dtype(values):
        return values.astype("float64")
    if pd.api.types.is_string_dtype(values) or values.dtype == object:
        return values.astype("str")
    return values


def proportion_table(table: pd.DataFrame, by: list[str], metric: str, alpha: float) -> pd.DataFrame:
    """``count / n`` per row of a :func:`group_counts` table, with Wilson intervals."""
    definition = DEFINITIONS[metric]
    low, high = wilson(table["count"], table["n"], alpha)
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = table["count"] / table["n"].where(table["n"] > 0)
    return table.assign(
        metric=metric,
        estimate=estimate.astype("float64"),
        ci_low=low,
        ci_high=high,
        denominator=definition.denominator,
        definition=definition.tag,
    )[[*by, *PROPORTION_COLUMNS]]


@checks(by=_BY, purchased=COLUMN, alpha=ALPHA)
def conversion_rate(
    sessions: Any,
    *,
    by: str | Sequence[str] | None = None,
    purchased: str = "purchased",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Conversion rate (sessions that ended in a purchase / sessions), overall or per group.

    Parameters
    ----------
    sessions : pandas.DataFrame, DuckDB relation or PySpark DataFrame
        A canonical ``sessions`` table (one row per session).
    by : str or sequence of str, optional
        Group columns (``"visitor_type"``, ``"month"``, ``"traffic_source"``...); one row
        overall when not given. Groups come in the order of the column's values
        (calendar order for ``month``); groups without sessions are left out.
    purchased : str, default "purchased"
        The true/false column saying whether the session converted.
    alpha : float, default 0.05
        One minus the confidence level of the Wilson intervals.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``metric`` (``"conversion_rate"``), ``count`` (converting
        sessions), ``n`` (sessions), ``estimate``, ``ci_low``, ``ci_high``, ``denominator``
        (``"sessions"``) and ``definition`` (``"conversion_rate/1"``).

    Examples
    --------
    >>> import scrm_lab
    >>> sessions = scrm_lab.load_dataset("online_shoppers_intention")
    >>> conversion_rate(sessions)[["count", "n"]].iloc[0].tolist()
    [1908, 12330]
    """
    lazy, groups = sessions_frame(sessions, by, [purchased])
    table = group_counts(lazy, groups, {"count": flag(lazy, purchased), "n": None})
    return proportion_table(table, groups, "conversion_rate", alpha)


@checks(by=_BY, visitor_type=COLUMN, alpha=ALPHA)
def repeat_visits(
    sessions: Any,
    *,
    by: str | Sequence[str] | None = None,
    visitor_type: str = "visitor_type",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Repeat visits: the share of sessions by returning visitors, overall or per group.

    A session is a repeat visit when ``visitor_type`` is ``"returning"`` (the web-analytics
    flag that the browser had been to the site before). Sessions without a visitor type are
    left out of the denominator; ``"other"`` stays in it (it is not known to be a repeat).

    Parameters
    ----------
    sessions : pandas.DataFrame, DuckDB relation or PySpark DataFrame
        A canonical ``sessions`` table.
    by : str or sequence of str, optional
        Group columns; one row overall when not given.
    visitor_type : str, default "visitor_type"
        The column with ``"new"``, ``"returning"`` or ``"other"``.
    alpha : float, default 0.05
        One minus the confidence level of the Wilson intervals.

    Returns
    -------
    pandas.DataFrame
        As :func:`conversion_rate`, with ``metric`` ``"returning_share"``, ``count`` the
        returning visitors' sessions and ``n`` the sessions with a visitor type.

    Examples
    --------
    >>> import scrm_lab
    >>> sessions = scrm_lab.load_dataset("online_shoppers_intention")
    >>> repeat_visits(sessions)[["count", "n"]].iloc[0].tolist()
    [10551, 12330]
    """
    lazy, groups = sessions_frame(sessions, by, [visitor_type])
    kind = nw.col(visitor_type).cast(nw.String)
    odd = ~kind.is_null() & ~kind.is_in(VISITOR_TYPES)
    if group_counts(lazy, [], {"odd": odd})["odd"].iloc[0]:
        where, (value,) = first_bad_row(lazy.with_columns(kind), odd, [visitor_type])
        raise bad_data(
            f"column '{visitor_type}' has the value {str(value)!r} {where}; expected "
            "'new', 'returning' or 'other'",
            visitor_type,
        )
    returning = (kind == "returning").fill_null(value=False)
    table = group_counts(lazy, groups, {"count": returning, "n": ~kind.is_null()})
    return proportion_table(table, groups, "returning_share", alpha)


@checks(by=ColumnNames(), alpha=ALPHA)
def site_traffic(
    sessions: Any, *, by: str | Sequence[str] = "month", alpha: float = 0.05
) -> pd.DataFrame:
    """Site traffic: sessions per group (month, traffic source...) and each group's share.

    Parameters
    ----------
    sessions : pandas.DataFrame, DuckDB relation or PySpark DataFrame
        A canonical ``sessions`` table.
    by : str or sequence of str, default "month"
        Group columns, e.g. ``["month", "traffic_source"]``. To count sessions per period
        from a ``time`` column, add a period column first
        (``sessions.assign(period=sessions["time"].dt.strftime("%Y-%m"))``).
    alpha : float, default 0.05
        One minus the confidence level of the Wilson intervals of the shares.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``metric`` (``"site_traffic"``), ``count`` (the group's
        sessions), ``n`` (all sessions), ``estimate`` (the group's share), ``ci_low``,
        ``ci_high``, ``denominator`` and ``definition``.

    Examples
    --------
    >>> import scrm_lab
    >>> sessions = scrm_lab.load_dataset("online_shoppers_intention")
    >>> traffic = site_traffic(sessions, by="month")
    >>> traffic[["month", "count"]].head(2).to_dict("list")
    {'month': ['Feb', 'Mar'], 'count': [184, 1907]}
    """
    lazy, groups = sessions_frame(sessions, by)
    table = group_counts(lazy, groups, {"count": None, "n": None})
    table = proportion_table(table, groups, "site_traffic", alpha)
    total = int(group_counts(lazy, [], {"n": None})["n"].iloc[0])
    low, high = wilson(table["count"], total, alpha)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = table["count"] / total if total else np.nan
    return table.assign(n=total, estimate=share, ci_low=low, ci_high=high)


@checks(key=COLUMN)
def distinct_sessions(sessions: Any, *, key: str = "session_id") -> Any:
    """The sessions without the rows that repeat another row exactly, on their backend.

    A row repeats another when every column but ``key`` is equal (missing values equal each
    other). When the table has a true/false ``duplicate`` column (the shipped
    ``online_shoppers_intention`` marks its 125 repeats so), the rows it flags are dropped
    instead. A pandas table comes back as pandas, keeping the first of each set of equal rows
    and its index (pandas' ``duplicated``); a DuckDB relation or Spark DataFrame comes back
    as one, not computed, keeping one row of each set (which one is the engine's choice: the
    rows differ only in ``key``, so every count and metric is the same).

    Examples
    --------
    >>> frame = pd.DataFrame({"session_id": ["a", "b", "c"], "purchased": [True, True, False]})
    >>> distinct_sessions(frame)["session_id"].tolist()
    ['a', 'c']
    >>> import scrm_lab
    >>> sessions = scrm_lab.load_dataset("online_shoppers_intention")
    >>> conversion_rate(distinct_sessions(sessions))[["count", "n"]].iloc[0].tolist()
    [1908, 12205]
    """
    lazy, _ = sessions_frame(sessions, None, [key])
    columns = columns_of(lazy)
    eager = isinstance(sessions, pd.DataFrame)
    if "duplicate" in columns:
        repeated = flag(lazy, "duplicate")
        return sessions[~sessions["duplicate"]] if eager else lazy.filter(~repeated).to_native()
    if eager:
        return sessions[~sessions.drop(columns=key).duplicated()]
    return lazy.unique([c for c in columns if c != key], keep="any").to_native()
