"""Dynamic segments evaluated per customer and period: membership, transitions, KPIs.

The definitions (rules in a YAML file) are read and checked by
:mod:`scrm_lab.unified._segment_rules`; :func:`segment_membership` (in
:mod:`scrm_lab.unified._segment_eval`) evaluates them on pandas, DuckDB or Spark.
Membership is exclusive: a customer belongs, in each period, to the **first** segment whose
rules hold, else to ``rest``; re-evaluated every period, so customers move between segments
as they change. A missing feature value never satisfies a comparison (not even ``!=`` or
``not in``); only ``is missing`` selects it. :func:`segment_kpis` aggregates on the features'
backend too; transitions and :func:`compare_segment` work on pandas tables.

Private to :mod:`scrm_lab.unified`.

Examples
--------
>>> import pandas as pd
>>> features = pd.DataFrame({"customer_id": [1, 2, 1, 2], "period": [1, 1, 2, 2],
...                          "mentions": [3, 0, 0, 2]})
>>> membership = segment_membership(features, {"segments": [
...     {"name": "fans", "rules": [{"feature": "mentions", "op": ">=", "value": 2}]}]})
>>> segment_transitions(membership, normalize=False).query("n > 0")[["segment_from",
...                                                                  "segment_to", "n"]]
  segment_from segment_to  n
1         fans       rest  1
3         rest       fans  1
"""

from __future__ import annotations

import datetime
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from scrm_lab._checks import (
    ALPHA,
    COLUMN,
    Choice,
    Flag,
    Instance,
    OrNone,
    Text,
    checks,
    current_function,
    refuse,
    require_columns,
    show_value,
    suggest,
)
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.models import group_difference
from scrm_lab.unified._segment_eval import (
    IDS,
    membership_table,
    pandas_table,
    segment_membership,
    segment_names,
)
from scrm_lab.unified._segment_kpis import segment_kpis

__all__ = [
    "compare_segment",
    "segment_kpis",
    "segment_membership",
    "segment_transitions",
    "transition_matrix",
]

#: Labels of :func:`segment_transitions` for customers absent from one of the two periods.
ENTERED, LEFT = "(entered)", "(left)"
_PERIOD = Instance(
    (str, numbers.Integral, datetime.date, pd.Timestamp, pd.Period, np.datetime64),
    "a period present in the membership table (text, an integer or a date)",
)


# ------------------------------------------------------------------------- transitions


def _listed(values: Sequence) -> str:
    return "[" + ", ".join(show_value(v) for v in values) + "]"


def _periods(frame: pd.DataFrame) -> list:
    return sorted(pd.unique(frame["period"]))


@checks(normalize=Flag())
def segment_transitions(membership: pd.DataFrame, *, normalize: bool = True) -> pd.DataFrame:
    """Moves between segments from each period to the next, as a tidy transition table.

    Parameters
    ----------
    membership : pandas.DataFrame
        ``customer_id``, ``period``, ``segment`` (from :func:`segment_membership`, which
        gives pandas on every backend). Periods are taken in sorted order; each is paired
        with the next one present.
    normalize : bool, default True
        Add ``share``: ``n`` divided by the number of customers in ``segment_from`` in
        that pair of periods (each row of the matrix sums to 1; missing when the segment
        was empty).

    Returns
    -------
    pandas.DataFrame
        One row per pair of consecutive periods and pair of segments, zeros included:
        ``period_from``, ``period_to``, ``segment_from``, ``segment_to``, ``n``, and
        ``share`` when ``normalize``. A customer present in ``period_to`` only counts with
        ``segment_from`` = "(entered)"; one present in ``period_from`` only counts with
        ``segment_to`` = "(left)". ``segment_from`` is an ordered categorical of the
        segments then "(entered)", ``segment_to`` of the segments then "(left)".

    Examples
    --------
    >>> import pandas as pd
    >>> membership = pd.DataFrame({"customer_id": [1, 2, 1, 3], "period": [1, 1, 2, 2],
    ...                            "segment": ["fans", "others", "others", "fans"]})
    >>> moves = segment_transitions(membership)
    >>> moves[moves["n"] > 0]
       period_from  period_to segment_from segment_to  n  share
    1            1          2         fans     others  1    1.0
    5            1          2       others     (left)  1    1.0
    6            1          2    (entered)       fans  1    1.0
    """
    frame = membership_table(membership)
    names = segment_names(frame["segment"])
    from_dtype = pd.CategoricalDtype([*names, ENTERED], ordered=True)
    to_dtype = pd.CategoricalDtype([*names, LEFT], ordered=True)
    periods = _periods(frame)
    tables = []
    for before, after in zip(periods[:-1], periods[1:], strict=True):
        left = frame.loc[frame["period"] == before, ["customer_id", "segment"]]
        right = frame.loc[frame["period"] == after, ["customer_id", "segment"]]
        pairs = left.merge(right, on="customer_id", how="outer", suffixes=("_from", "_to"))
        source = pairs["segment_from"].astype("string").fillna(ENTERED)
        target = pairs["segment_to"].astype("string").fillna(LEFT)
        counts = pd.crosstab(
            pd.Categorical(source, dtype=from_dtype),
            pd.Categorical(target, dtype=to_dtype),
            dropna=False,
        )
        counts.index.name, counts.columns.name = "segment_from", "segment_to"
        long = counts.stack().rename("n").reset_index()
        long.insert(0, "period_to", after)
        long.insert(0, "period_from", before)
        tables.append(long)
    columns = ["period_from", "period_to", "segment_from", "segment_to", "n"]
    if not tables:
        result = pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    else:
        result = pd.concat(tables, ignore_index=True)
    result["segment_from"] = result["segment_from"].astype(str).astype(from_dtype)
    result["segment_to"] = result["segment_to"].astype(str).astype(to_dtype)
    result["n"] = result["n"].astype("int64")
    if normalize:
        total = result.groupby(["period_from", "segment_from"], observed=False)["n"].transform(
            "sum"
        )
        result["share"] = (result["n"] / total.where(total > 0)).astype("float64")
    return result


@checks(period_from=OrNone(_PERIOD), value=Choice(("share", "n")))
def transition_matrix(
    transitions: pd.DataFrame, *, period_from: Any = None, value: str = "share"
) -> pd.DataFrame:
    """One pair of periods of :func:`segment_transitions` as a matrix (rows: from, columns: to).

    Parameters
    ----------
    transitions : pandas.DataFrame
        The table :func:`segment_transitions` returns.
    period_from : optional
        The first period of the pair; by default the latest pair.
    value : {"share", "n"}, default "share"
        What the cells hold.

    Returns
    -------
    pandas.DataFrame
        Index ``segment_from`` (the segments, then "(entered)"), columns ``segment_to``
        (the segments, then "(left)").

    Examples
    --------
    >>> import pandas as pd
    >>> membership = pd.DataFrame({"customer_id": [1, 2, 1, 2], "period": [1, 1, 2, 2],
    ...                            "segment": ["fans", "others", "others", "others"]})
    >>> transition_matrix(segment_transitions(membership), value="n")
    segment_to    fans  others  (left)
    segment_from
    fans             0       1       0
    others           0       1       0
    (entered)        0       0       0
    """
    frame = pandas_table(transitions, "transitions", ("period_from", "segment_from", "segment_to"))
    require_columns(frame, [value])
    available = list(pd.unique(frame["period_from"]))
    if not available:
        raise SchemaError(
            f"{current_function()}: the transitions table is empty (fewer than two periods)"
        )
    if period_from is None:
        period_from = max(available)
    elif period_from not in available:
        raise refuse("period_from", f"one of {_listed(sorted(available))}", period_from)
    chosen = frame[frame["period_from"] == period_from]
    matrix = chosen.set_index(["segment_from", "segment_to"])[value].unstack("segment_to")
    return matrix


# -------------------------------------------------------------------------- comparison


def _is_numeric(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _joined(features: object, membership: object) -> pd.DataFrame:
    membership = membership_table(membership)
    features = pandas_table(features, "features", IDS)
    extra = [c for c in features.columns if c not in IDS and c != "segment"]
    joined = membership.merge(
        features[[*IDS, *extra]], on=list(IDS), how="left", indicator="__scrm_found"
    )
    if len(joined) != len(membership):
        raise SchemaError(
            f"{current_function()}: the features have a customer more than once in one "
            "period; expected one row per customer and period"
        )
    absent = joined["__scrm_found"] == "left_only"
    if absent.any():
        first = joined.loc[absent, list(IDS)].iloc[0]
        raise SchemaError(
            f"{current_function()}: membership has customer {show_value(first['customer_id'])} "
            f"in period {show_value(first['period'])}, which is not in the features; expected "
            "the features the membership was computed from"
        )
    return joined.drop(columns="__scrm_found")


def _numbers(data: pd.DataFrame, column: str, what: str) -> pd.Series:
    require_columns(data, [column])
    values = data[column]
    if not _is_numeric(values):
        raise SchemaError(
            f"{current_function()}: the {what} column {column!r} has dtype {values.dtype}; "
            "expected numbers",
            column=column,
        )
    return values.astype("float64")


@checks(segment=Text("a segment name (a non-empty str)"), value=COLUMN, period=OrNone(_PERIOD),
        alpha=ALPHA)  # fmt: skip
def compare_segment(
    features: pd.DataFrame,
    membership: pd.DataFrame,
    *,
    segment: str,
    value: str,
    period: Any = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """One segment against all other customers in one period: the difference in ``value``.

    The customers of ``period`` are split into ``segment`` and "not <segment>" (every
    other segment, ``rest`` included), and :func:`scrm_lab.models.group_difference`
    estimates the difference of the two means by OLS on the group with HC3 standard errors
    (robust to unequal variances, close to Welch's t-test), with its interval and p-value.

    pandas only: the regression needs every value of the period, not per-segment sums, so
    a DuckDB relation or Spark DataFrame is refused; bring the period's ``customer_id``,
    ``period`` and ``value`` to pandas first (one row per customer of that period).

    Parameters
    ----------
    features : pandas.DataFrame
        One row per customer and period: ``customer_id``, ``period`` and ``value``.
    membership : pandas.DataFrame
        ``customer_id``, ``period``, ``segment`` (from :func:`segment_membership`).
    segment : str
        The segment compared with the rest.
    value : str
        Numeric column compared (missing values are left out).
    period : optional
        The period; by default the latest one.
    alpha : float, default 0.05
        The interval has confidence level 1 - ``alpha``.

    Returns
    -------
    pandas.DataFrame
        ``period`` followed by the columns of :func:`scrm_lab.models.group_difference`
        (``model``, ``term`` "<segment> - not <segment>", ``controls``, ``n``,
        ``estimate``, ``ci_low``, ``ci_high``, ``statistic``, ``p_value``,
        ``r_squared``, ``share_explained``, ``method``, ``clear``): one row.

    Examples
    --------
    >>> import pandas as pd
    >>> features = pd.DataFrame({"customer_id": range(6), "period": 1,
    ...                          "revenue": [10.0, 12, 14, 1, 2, 3]})
    >>> membership = pd.DataFrame({"customer_id": range(6), "period": 1,
    ...                            "segment": ["fans"] * 3 + ["others"] * 3})
    >>> result = compare_segment(features, membership, segment="fans", value="revenue")
    >>> result[["term", "n", "estimate"]]
                 term  n  estimate
    0  fans - not fans  6      10.0
    """
    data = _joined(features, membership)
    names = segment_names(data["segment"])
    if segment not in names:
        raise refuse("segment", f"one of the segments {names}", segment, suggest(segment, names))
    periods = _periods(data)
    if period is None:
        period = periods[-1]
    elif period not in periods:
        raise refuse("period", f"one of the periods {_listed(periods)}", period)
    values = _numbers(data, value, "value")
    chosen = data["period"] == period
    other = f"not {segment}"
    frame = pd.DataFrame(
        {
            "value": values[chosen],
            "group": np.where(data.loc[chosen, "segment"].astype(str) == segment, segment, other),
        }
    ).dropna()
    for label in (segment, other):
        count = int((frame["group"] == label).sum())
        if count < 2:
            raise ParameterError(
                f"{current_function()}: in period {show_value(period)}, {label!r} has {count} "
                f"customer(s) with a value of {value!r}; expected at least 2 in each group to "
                "compare"
            )
    result = group_difference(
        frame, value="value", group="group", target=segment, reference=other, alpha=alpha
    )
    result.insert(0, "period", period)
    return result
