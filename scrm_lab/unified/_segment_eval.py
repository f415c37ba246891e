"""Segment membership: the rules of :mod:`scrm_lab.unified._segment_rules` evaluated per row.

The rules become narwhals expressions, so the features table may be a pandas DataFrame, a
DuckDB relation or a PySpark DataFrame: the checks (columns, duplicates, kinds of columns)
and the segment of every row are computed on that backend, and only ``customer_id``,
``period`` and the segment come back, as pandas.

Private to :mod:`scrm_lab.unified`.

Examples
--------
>>> import pandas as pd
>>> from scrm_lab.unified._segment_rules import load_segments
>>> definitions = load_segments('''
... segments:
...   - name: fans
...     rules: [{feature: mentions, op: ">=", value: 2}]
... rest: others
... ''')
>>> features = pd.DataFrame({"customer_id": [1, 2, 1, 2], "period": [1, 1, 2, 2],
...                          "mentions": [3, 0, 0, 2]})
>>> segment_membership(features, definitions)
   customer_id  period segment
0            1       1    fans
1            2       1  others
2            1       2  others
3            2       2    fans
"""

from __future__ import annotations

import functools
import operator
import os
from collections.abc import Mapping, Sequence
from typing import Any

import narwhals as nw
import pandas as pd

from scrm_lab._checks import (
    Instance,
    checks,
    current_function,
    refuse,
    require_columns,
    show_value,
    suggest,
)
from scrm_lab._frames import to_pandas
from scrm_lab.exceptions import SchemaError
from scrm_lab.unified._segment_rules import (
    _COMPARISONS,
    _ORDERED,
    _SETS,
    Rule,
    SegmentDefinitions,
    load_segments,
)

__all__ = ["segment_membership"]

IDS = ("customer_id", "period")
_DEFINITIONS = Instance(
    (SegmentDefinitions, str, os.PathLike, Mapping),
    "segment definitions (from load_segments), a shipped name, a path or YAML text",
)
_TABLE = "a pandas DataFrame, a DuckDB relation or a PySpark DataFrame"
_CODE = "segment"


def as_table(data: object, name: str, columns: Sequence[str]) -> nw.LazyFrame:
    """``data`` as a lazy frame with ``columns`` (refused, naming ``name``, otherwise)."""
    try:
        frame = nw.from_native(data)
    except TypeError:
        raise refuse(name, _TABLE, data, described=type(data).__name__) from None
    lazy = frame.lazy() if isinstance(frame, nw.DataFrame) else frame
    require_columns(lazy, columns)
    return lazy


def first_duplicate(lazy: nw.LazyFrame) -> pd.Series | None:
    """The first (by period, customer) customer and period with more than one row, if any."""
    doubled = (
        lazy.group_by(*IDS)
        .agg(nw.len().alias("__scrm_rows"))
        .filter(nw.col("__scrm_rows") > 1)
        .select(*IDS)
        .sort("period", "customer_id")
        .head(1)
    )
    found = to_pandas(doubled)
    return None if found.empty else found.iloc[0]


def pandas_table(data: object, name: str, columns: Sequence[str]) -> pd.DataFrame:
    """``data`` as it is, if a pandas DataFrame with ``columns`` (refused otherwise)."""
    if not isinstance(data, pd.DataFrame):
        raise refuse(name, "a pandas DataFrame", data, described=type(data).__name__)
    require_columns(data, columns)
    return data


def membership_table(membership: object) -> pd.DataFrame:
    """A membership table (pandas) with one segment per customer and period, or refused."""
    frame = pandas_table(membership, "membership", (*IDS, "segment"))
    if frame.duplicated(list(IDS)).any():
        first = frame.loc[frame.duplicated(list(IDS)), list(IDS)].iloc[0]
        raise SchemaError(
            f"{current_function()}: membership has customer {show_value(first['customer_id'])} "
            f"twice in period {show_value(first['period'])}; expected one segment per customer "
            "and period"
        )
    return frame


def segment_names(segments: pd.Series) -> list[str]:
    """The segments in order: the categories of a categorical, else the sorted names."""
    if isinstance(segments.dtype, pd.CategoricalDtype):
        return [str(c) for c in segments.cat.categories]
    return sorted(str(s) for s in segments.dropna().unique())


def is_number(dtype: Any) -> bool:
    """Numeric and not boolean."""
    return dtype.is_numeric() and dtype != nw.Boolean


def missing(column: str, dtype: Any) -> nw.Expr:
    """True where ``column`` has no value (null, or NaN in a float column), on every backend."""
    gap = nw.col(column).is_null()
    if dtype.is_float():
        gap = gap | nw.col(column).is_nan().fill_null(True)
    return gap


def _is_text(lazy: nw.LazyFrame, column: str, dtype: Any) -> bool:
    if dtype == nw.String:
        return True
    if isinstance(dtype, nw.Categorical | nw.Enum):
        if lazy.implementation.is_pandas_like():  # pandas categories may be numbers
            categories = lazy.to_native()[column].cat.categories
            return pd.api.types.is_string_dtype(categories)
        return True
    return False


def _holds(rule: Rule, lazy: nw.LazyFrame, where: str, schema: Mapping[str, Any]) -> nw.Expr:
    columns = list(schema)
    if rule.feature not in schema:
        raise SchemaError(
            f"{where}: feature {rule.feature!r} is not a column of the feature table; "
            f"available columns: {', '.join(map(repr, columns))}.{suggest(rule.feature, columns)}",
            column=rule.feature,
        )
    dtype = schema[rule.feature]
    gap = missing(rule.feature, dtype)
    if rule.op == "is missing":
        return gap
    if rule.op == "is not missing":
        return ~gap
    wanted = rule.value if isinstance(rule.value, tuple) else (rule.value,)
    numeric = is_number(dtype)
    if rule.op in _ORDERED and not numeric:
        raise SchemaError(
            f"{where}: {rule.text!r} compares numbers, but column {rule.feature!r} has dtype "
            f"{dtype}; expected a numeric column",
            column=rule.feature,
        )
    texts = [v for v in wanted if isinstance(v, str)]
    if texts and numeric:
        raise SchemaError(
            f"{where}: {rule.text!r} compares text {texts[0]!r} with the numeric column "
            f"{rule.feature!r} (dtype {dtype}); expected a number",
            column=rule.feature,
        )
    if not texts and _is_text(lazy, rule.feature, dtype):
        raise SchemaError(
            f"{where}: {rule.text!r} compares a number with the text column "
            f"{rule.feature!r}; expected text values",
            column=rule.feature,
        )
    values = nw.col(rule.feature)
    if rule.op == "between":
        low, high = rule.value
        result = (values >= low) & (values <= high)
    elif rule.op in _SETS:
        result = values.is_in(list(rule.value))
        if rule.op == "not in":
            result = ~result
    else:
        result = _COMPARISONS[rule.op](values, nw.lit(rule.value))
    return (result & ~gap).fill_null(False)


@checks(definitions=_DEFINITIONS)
def segment_membership(
    features: Any,
    definitions: SegmentDefinitions | str | os.PathLike | Mapping[str, Any] = "default",
) -> pd.DataFrame:
    """The segment of every customer in every period (the first segment whose rules hold).

    The rules are evaluated where ``features`` lives (pandas, DuckDB or Spark); the
    membership table itself comes back as pandas and is as long as ``features`` (one row
    per customer and period), with three columns.

    Parameters
    ----------
    features : pandas.DataFrame, DuckDB relation or PySpark DataFrame
        One row per customer and period: ``customer_id``, ``period`` (any sortable value:
        a date, a number, text) and the feature columns the rules name (such as the
        columns of the unified customer view as of each period end).
    definitions : SegmentDefinitions, str, path or mapping, default "default"
        From :func:`load_segments`, or anything it reads.

    Returns
    -------
    pandas.DataFrame
        Columns ``customer_id``, ``period``, ``segment``: one row per row of ``features``,
        sorted by period and customer. ``segment`` is an ordered categorical whose
        categories are the segment names in definition order, ``rest`` last (every
        category is listed even when empty). Membership is exclusive: a customer is in
        the first segment whose rules all hold (any one, for ``match: any``); a missing
        feature value (null or NaN) fails every comparison (only ``is missing`` selects it).

    Raises
    ------
    SchemaError
        ``customer_id`` or ``period`` is missing, a customer appears twice in one period,
        a rule's feature is not a column (with the closest column suggested), or a rule
        compares numbers with a text column (or text with a numeric one); the message
        names the segment file, the segment and the rule.

    Examples
    --------
    >>> import pandas as pd
    >>> features = pd.DataFrame({
    ...     "customer_id": ["a", "b", "c"], "period": ["2024Q1"] * 3,
    ...     "rfm_f": [5, 4, 1], "net_sentiment": [0.8, -0.5, None], "mentions": [3, 4, 0],
    ...     "negative": [0, 3, 0], "frequency": [9, 6, 0], "revenue": [900.0, 300.0, 0.0]})
    >>> segment_membership(features, "default")["segment"].tolist()
    ['social_champions', 'at_risk_complainers', 'everyone_else']
    """
    definitions = load_segments(definitions)
    lazy = as_table(features, "features", IDS)
    first = first_duplicate(lazy)
    if first is not None:
        raise SchemaError(
            f"{current_function()}: customer {show_value(first['customer_id'])} appears more "
            f"than once in period {show_value(first['period'])}; expected one row per customer "
            "and period"
        )
    schema = {str(name): dtype for name, dtype in lazy.collect_schema().items()}
    position: Any = None
    for i, segment in enumerate(definitions.segments):
        where = f"{definitions.source}, segment {segment.name!r}"
        held = [
            _holds(rule, lazy, f"{where}, rule {number}", schema)
            for number, rule in enumerate(segment.rules, start=1)
        ]
        combine = operator.and_ if segment.match == "all" else operator.or_
        condition = functools.reduce(combine, held)
        start = nw.when if position is None else position.when
        position = start(condition).then(nw.lit(i))
    code = position.otherwise(nw.lit(len(definitions.segments))).cast(nw.Int64)
    result = to_pandas(lazy.select(*IDS, code.alias(_CODE)))
    result = result.sort_values(["period", "customer_id"], kind="stable", ignore_index=True)
    categories = pd.CategoricalDtype(list(definitions.names), ordered=True)
    result[_CODE] = pd.Categorical.from_codes(result[_CODE].to_numpy(), dtype=categories)
    return result
