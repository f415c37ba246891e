"""Dynamic segments evaluated per customer and period: membership, transitions, KPIs.

The definitions (rules in a YAML file) are read and checked by
:mod:`scrm_lab.unified._segment_rules`. Membership is exclusive: a customer belongs, in each
period, to the **first** segment whose rules hold, else to ``rest``; re-evaluated every
period, so customers move between segments as they change. A missing feature value never
satisfies a comparison (not even ``!=`` or ``not in``); only ``is missing`` selects it.

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

import datetime
import numbers
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

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
from scrm_lab._proportions import wilson
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.models import group_difference, level_text
from scrm_lab.unified._segment_rules import (
    _COMPARISONS,
    _ORDERED,
    _SETS,
    Rule,
    SegmentDefinitions,
    load_segments,
)

__all__ = [
    "compare_segment",
    "segment_kpis",
    "segment_membership",
    "segment_transitions",
    "transition_matrix",
]

_IDS = ("customer_id", "period")
#: Labels of :func:`segment_transitions` for customers absent from one of the two periods.
ENTERED, LEFT = "(entered)", "(left)"
_PERIOD = Instance(
    (str, numbers.Integral, datetime.date, pd.Timestamp, pd.Period, np.datetime64),
    "a period present in the membership table (text, an integer or a date)",
)


# -------------------------------------------------------------------------- evaluation

_DEFINITIONS = Instance(
    (SegmentDefinitions, str, os.PathLike, Mapping),
    "segment definitions (from load_segments), a shipped name, a path or YAML text",
)
_TABLE = "a pandas DataFrame"


def _frame(data: object, name: str, columns: Sequence[str]) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise refuse(name, _TABLE, data, described=type(data).__name__)
    require_columns(data, columns)
    return data


def _is_numeric(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _is_text(values: pd.Series) -> bool:
    if isinstance(values.dtype, pd.CategoricalDtype):
        return pd.api.types.is_string_dtype(values.cat.categories)
    return pd.api.types.is_string_dtype(values) and not _is_numeric(values)


def _holds(rule: Rule, data: pd.DataFrame, where: str, columns: list[str]) -> np.ndarray:
    if rule.feature not in data.columns:
        raise SchemaError(
            f"{where}: feature {rule.feature!r} is not a column of the feature table; "
            f"available columns: {', '.join(map(repr, columns))}.{suggest(rule.feature, columns)}",
            column=rule.feature,
        )
    values = data[rule.feature]
    present = values.notna().to_numpy()
    if rule.op == "is missing":
        return ~present
    if rule.op == "is not missing":
        return present
    wanted = rule.value if isinstance(rule.value, tuple) else (rule.value,)
    if rule.op in _ORDERED and not _is_numeric(values):
        raise SchemaError(
            f"{where}: {rule.text!r} compares numbers, but column {rule.feature!r} has dtype "
            f"{values.dtype}; expected a numeric column",
            column=rule.feature,
        )
    texts = [v for v in wanted if isinstance(v, str)]
    if texts and _is_numeric(values):
        raise SchemaError(
            f"{where}: {rule.text!r} compares text {texts[0]!r} with the numeric column "
            f"{rule.feature!r} (dtype {values.dtype}); expected a number",
            column=rule.feature,
        )
    if not texts and _is_text(values):
        raise SchemaError(
            f"{where}: {rule.text!r} compares a number with the text column "
            f"{rule.feature!r}; expected text values",
            column=rule.feature,
        )
    if rule.op == "between":
        low, high = rule.value
        result = (values >= low) & (values <= high)
    elif rule.op in _SETS:
        result = values.isin(list(rule.value))
        if rule.op == "not in":
            result = ~result
    else:
        result = _COMPARISONS[rule.op](values, rule.value)
    as_bool = pd.Series(result, index=values.index).fillna(False).astype(bool).to_numpy()
    return as_bool & present


@checks(definitions=_DEFINITIONS)
def segment_membership(
    features: pd.DataFrame,
    definitions: SegmentDefinitions | str | os.PathLike | Mapping[str, Any] = "default",
) -> pd.DataFrame:
    """The segment of every customer in every period (the first segment whose rules hold).

    Parameters
    ----------
    features : pandas.DataFrame
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
        feature value fails every comparison (only ``is missing`` selects it).

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
    features = _frame(features, "features", _IDS)
    if features.duplicated(list(_IDS)).any():
        first = features.loc[features.duplicated(list(_IDS)), list(_IDS)].iloc[0]
        raise SchemaError(
            f"{current_function()}: customer {show_value(first['customer_id'])} appears more "
            f"than once in period {show_value(first['period'])}; expected one row per customer "
            "and period"
        )
    columns = [str(c) for c in features.columns]
    conditions = []
    for segment in definitions.segments:
        where = f"{definitions.source}, segment {segment.name!r}"
        held = [
            _holds(rule, features, f"{where}, rule {i}", columns)
            for i, rule in enumerate(segment.rules, start=1)
        ]
        combine = np.logical_and if segment.match == "all" else np.logical_or
        conditions.append(combine.reduce(held))
    if conditions:
        position = np.select(conditions, list(range(len(conditions))), len(conditions))
    else:  # pragma: no cover - load_segments refuses definitions without segments
        position = np.zeros(len(features), dtype=int)
    categories = pd.CategoricalDtype(list(definitions.names), ordered=True)
    result = pd.DataFrame(
        {
            "customer_id": features["customer_id"].to_numpy(),
            "period": features["period"].to_numpy(),
            "segment": pd.Categorical.from_codes(np.asarray(position, dtype=int), dtype=categories),
        }
    )
    return result.sort_values(["period", "customer_id"], kind="stable", ignore_index=True)


# ------------------------------------------------------------------------- transitions


def _membership(membership: object) -> pd.DataFrame:
    frame = _frame(membership, "membership", (*_IDS, "segment"))
    if frame.duplicated(list(_IDS)).any():
        first = frame.loc[frame.duplicated(list(_IDS)), list(_IDS)].iloc[0]
        raise SchemaError(
            f"{current_function()}: membership has customer {show_value(first['customer_id'])} "
            f"twice in period {show_value(first['period'])}; expected one segment per customer "
            "and period"
        )
    return frame


def _segment_names(segments: pd.Series) -> list[str]:
    if isinstance(segments.dtype, pd.CategoricalDtype):
        return [str(c) for c in segments.cat.categories]
    return sorted(str(s) for s in segments.dropna().unique())


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
        ``customer_id``, ``period``, ``segment`` (from :func:`segment_membership`).
        Periods are taken in sorted order; each is paired with the next one present.
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
    frame = _membership(membership)
    names = _segment_names(frame["segment"])
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
    frame = _frame(transitions, "transitions", ("period_from", "segment_from", "segment_to"))
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


# -------------------------------------------------------------------------------- KPIs


def _joined(features: object, membership: object) -> pd.DataFrame:
    membership = _membership(membership)
    features = _frame(features, "features", _IDS)
    extra = [c for c in features.columns if c not in _IDS and c != "segment"]
    joined = membership.merge(
        features[[*_IDS, *extra]], on=list(_IDS), how="left", indicator="__scrm_found"
    )
    if len(joined) != len(membership):
        raise SchemaError(
            f"{current_function()}: the features have a customer more than once in one "
            "period; expected one row per customer and period"
        )
    missing = joined["__scrm_found"] == "left_only"
    if missing.any():
        first = joined.loc[missing, list(_IDS)].iloc[0]
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


def _t_rows(groups: pd.core.groupby.SeriesGroupBy, alpha: float) -> pd.DataFrame:
    summary = groups.agg(["count", "sum", "mean", "std"])
    count = summary["count"].astype("float64")
    half = (
        stats.t.ppf(1 - alpha / 2, (count - 1).where(count > 1)) * summary["std"] / np.sqrt(count)
    )
    summary["half"] = half
    return summary


@checks(
    revenue=OrNone(COLUMN),
    converted=OrNone(COLUMN),
    clv=OrNone(COLUMN),
    positive=OrNone(COLUMN),
    negative=OrNone(COLUMN),
    alpha=ALPHA,
)
def segment_kpis(
    features: pd.DataFrame,
    membership: pd.DataFrame,
    *,
    revenue: str | None = "revenue",
    converted: str | None = "revenue",
    clv: str | None = "clv",
    positive: str | None = "positive",
    negative: str | None = "negative",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Campaign KPIs per period and segment, with intervals, in long format.

    Every segment of the membership's categories gets its rows in every period, empty
    ones included (n = 0, estimates missing or 0). Missing values in a column are left out
    of that KPI (its ``n`` says how many counted). The KPIs (``kpi``):

    - ``size``: customers in the segment (no interval).
    - ``share``: size / customers in the period, Wilson interval (scrm_lab's ``wilson``).
      The interval treats the period's customers as a sample of those the business
      could have had; read it as uncertainty about the process, not about a count.
    - ``revenue_total``: sum of ``revenue``; interval n times the interval of the mean.
    - ``revenue_mean``: mean of ``revenue``, t interval (mean +- t(1 - alpha/2, n - 1) sd /
      sqrt(n), sd with n - 1; missing for n < 2). Revenue is skewed: for small segments
      the t interval is approximate.
    - ``conversion``: share converted, Wilson interval. ``converted`` names a bool column
      (True converted) or a numeric one (converted when above 0: a purchase count or the
      period's revenue). Use the revenue *of the period*, so the rate is the share who
      bought in the period.
    - ``clv_mean``: mean of ``clv``, t interval.
    - ``net_sentiment``: pooled over the segment, (sum positive - sum negative) / (sum
      positive + sum negative); ``n`` is the number of positive and negative mentions.
      Interval: Wilson interval of the positive share p among them, mapped to 2p - 1.
      It treats mentions as independent; when a few customers write most mentions the
      interval is too narrow.

    Parameters
    ----------
    features : pandas.DataFrame
        One row per customer and period: ``customer_id``, ``period`` and the columns below.
    membership : pandas.DataFrame
        ``customer_id``, ``period``, ``segment`` (from :func:`segment_membership`); every
        row must have its row in ``features``.
    revenue, converted, clv, positive, negative : str or None
        Columns for the KPIs above; None leaves a KPI out (``positive`` or ``negative``
        None leaves out net sentiment).
    alpha : float, default 0.05
        Intervals have confidence level 1 - ``alpha``.

    Returns
    -------
    pandas.DataFrame
        Columns ``period``, ``segment``, ``kpi``, ``n``, ``estimate``, ``ci_low``,
        ``ci_high``, ``method``; sorted by period, segment (definition order) and KPI (the
        order above).

    Examples
    --------
    >>> import pandas as pd
    >>> features = pd.DataFrame({"customer_id": [1, 2, 3, 4], "period": 1,
    ...                          "revenue": [10.0, 0.0, 30.0, 20.0], "clv": [50.0, 5, 90, 70],
    ...                          "positive": [3, 0, 1, 2], "negative": [1, 2, 0, 0]})
    >>> membership = pd.DataFrame({"customer_id": [1, 2, 3, 4], "period": 1,
    ...                            "segment": ["fans", "others", "fans", "fans"]})
    >>> kpis = segment_kpis(features, membership)
    >>> kpis.loc[kpis["segment"] == "fans", ["kpi", "n", "estimate"]]
                 kpi  n   estimate
    0           size  3   3.000000
    1          share  3   0.750000
    2  revenue_total  3  60.000000
    3   revenue_mean  3  20.000000
    4     conversion  3   1.000000
    5       clv_mean  3  70.000000
    6  net_sentiment  7   0.714286
    """
    data = _joined(features, membership)
    level = level_text(alpha)
    names = _segment_names(data["segment"])
    data["segment"] = data["segment"].astype(str).astype(pd.CategoricalDtype(names, ordered=True))
    keys = ["period", "segment"]
    grouped = data.groupby(keys, observed=False, sort=True)
    size = grouped.size().astype("float64")
    in_period = size.groupby(level="period").transform("sum")
    parts: dict[str, pd.DataFrame] = {}

    def add(kpi: str, n, estimate, low, high, method: str) -> None:
        parts[kpi] = pd.DataFrame(
            {"n": n, "estimate": estimate, "ci_low": low, "ci_high": high, "method": method},
            index=size.index,
        )

    add("size", size, size, np.nan, np.nan, "count of customers")
    low, high = wilson(size, in_period, alpha)
    add(
        "share",
        size,
        size / in_period,
        low,
        high,
        f"share of the period's customers, {level} Wilson interval",
    )
    if revenue is not None:
        data["__revenue"] = _numbers(data, revenue, "revenue")
        t = _t_rows(data.groupby(keys, observed=False, sort=True)["__revenue"], alpha)
        add(
            "revenue_total", t["count"], t["sum"], t["count"] * (t["mean"] - t["half"]),
            t["count"] * (t["mean"] + t["half"]),
            f"sum of {revenue}; n x the {level} t interval of the mean",
        )  # fmt: skip
        add("revenue_mean", t["count"], t["mean"], t["mean"] - t["half"], t["mean"] + t["half"],
            f"mean of {revenue}, {level} t interval")  # fmt: skip
    if converted is not None:
        require_columns(data, [converted])
        values = data[converted]
        if pd.api.types.is_bool_dtype(values):
            flag = values.astype("float64")
        elif _is_numeric(values):
            flag = (values.astype("float64") > 0).astype("float64").where(values.notna())
        else:
            raise SchemaError(
                f"{current_function()}: the converted column {converted!r} has dtype "
                f"{values.dtype}; expected true/false or numbers (above 0 is converted)",
                column=converted,
            )
        data["__converted"] = flag
        counts = data.groupby(keys, observed=False, sort=True)["__converted"].agg(["count", "sum"])
        low, high = wilson(counts["sum"], counts["count"], alpha)
        rate = counts["sum"] / counts["count"].where(counts["count"] > 0)
        add("conversion", counts["count"], rate, low, high,
            f"share with {converted} {'true' if pd.api.types.is_bool_dtype(values) else '> 0'}, "
            f"{level} Wilson interval")  # fmt: skip
    if clv is not None:
        data["__clv"] = _numbers(data, clv, "clv")
        t = _t_rows(data.groupby(keys, observed=False, sort=True)["__clv"], alpha)
        add("clv_mean", t["count"], t["mean"], t["mean"] - t["half"], t["mean"] + t["half"],
            f"mean of {clv}, {level} t interval")  # fmt: skip
    if positive is not None and negative is not None:
        pos, neg = _numbers(data, positive, "positive"), _numbers(data, negative, "negative")
        for name, values in ((positive, pos), (negative, neg)):
            if (values < 0).any():
                raise SchemaError(
                    f"{current_function()}: column {name!r} has negative counts (first "
                    f"{values[values < 0].iloc[0]!r}); expected mention counts >= 0",
                    column=name,
                )
        both = pos.notna() & neg.notna()
        data["__pos"], data["__neg"] = pos.where(both), neg.where(both)
        sums = data.groupby(keys, observed=False, sort=True)[["__pos", "__neg"]].sum()
        total = sums["__pos"] + sums["__neg"]
        low, high = wilson(sums["__pos"], total, alpha)
        add(
            "net_sentiment", total, (sums["__pos"] - sums["__neg"]) / total.where(total > 0),
            2 * low - 1, 2 * high - 1,
            f"pooled ({positive} - {negative}) / ({positive} + {negative}); {level} Wilson "
            f"interval of the {positive} share p, as 2p - 1",
        )  # fmt: skip
    long = pd.concat(parts, names=["kpi"]).reset_index()
    long["kpi"] = pd.Categorical(long["kpi"], categories=list(parts), ordered=True)
    long = long.sort_values(["period", "segment", "kpi"], kind="stable", ignore_index=True)
    long["kpi"] = long["kpi"].astype(str)
    long["n"] = long["n"].astype("int64") if (long["n"] % 1 == 0).all() else long["n"]
    return long[["period", "segment", "kpi", "n", "estimate", "ci_low", "ci_high", "method"]]


# -------------------------------------------------------------------------- comparison


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
    names = _segment_names(data["segment"])
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
