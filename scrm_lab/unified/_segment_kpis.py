"""Campaign KPIs per period and segment, aggregated where the features table lives.

The membership (pandas, from :func:`segment_membership`) is moved to the backend of the
features (pandas, DuckDB or Spark) and joined there; counts, sums, means and standard
deviations per period and segment are computed on that backend, and the intervals are
finished in pandas on that small table.

Private to :mod:`scrm_lab.unified`.

Examples
--------
>>> import pandas as pd
>>> features = pd.DataFrame({"customer_id": [1, 2], "period": 1, "revenue": [5.0, 0.0]})
>>> membership = pd.DataFrame({"customer_id": [1, 2], "period": 1, "segment": ["a", "b"]})
>>> kpis = segment_kpis(features, membership, clv=None, positive=None)
>>> kpis.loc[kpis["kpi"] == "conversion", ["segment", "n", "estimate"]]
  segment  n  estimate
4       a  1       1.0
9       b  1       0.0
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd
from scipy import stats

from scrm_lab._checks import (
    ALPHA,
    COLUMN,
    OrNone,
    checks,
    current_function,
    require_names,
    show_value,
)
from scrm_lab._frames import alongside, to_pandas
from scrm_lab._proportions import wilson
from scrm_lab.exceptions import SchemaError
from scrm_lab.models import level_text
from scrm_lab.unified._segment_eval import (
    IDS,
    as_table,
    first_duplicate,
    is_number,
    membership_table,
    missing,
    segment_names,
)

__all__ = ["segment_kpis"]

_SEGMENT, _PERIOD = "__scrm_segment", "__scrm_period"


def _joined_on_backend(
    features: object, membership: object
) -> tuple[nw.LazyFrame, dict[str, Any], pd.Index, list[str]]:
    """Membership joined to the features on their backend, with its period and segment
    as positions in the sorted periods and the segment names (the periods and names are
    returned too: the labels are put back in pandas, with the membership's dtypes)."""
    membership = membership_table(membership)
    names = segment_names(membership["segment"])
    lazy = as_table(features, "features", IDS)
    if first_duplicate(lazy) is not None:
        raise SchemaError(
            f"{current_function()}: the features have a customer more than once in one "
            "period; expected one row per customer and period"
        )
    codes = pd.Categorical(membership["segment"].astype(str), categories=names).codes
    periods = pd.Index(pd.unique(membership["period"])).sort_values()
    keys = membership[list(IDS)].assign(
        **{_PERIOD: periods.get_indexer(membership["period"]), _SEGMENT: codes.astype("int64")}
    )
    schema = {str(c): t for c, t in lazy.collect_schema().items() if c not in (*IDS, "segment")}
    found = lazy.select(*IDS, *schema).with_columns(nw.lit(1).alias("__scrm_found"))
    joined = alongside(keys.reset_index(drop=True), lazy).join(found, on=list(IDS), how="left")
    absent = to_pandas(
        joined.filter(nw.col("__scrm_found").is_null())
        .select(*IDS)
        .sort("period", "customer_id")
        .head(1)
    )
    if not absent.empty:
        first = absent.iloc[0]
        raise SchemaError(
            f"{current_function()}: membership has customer {show_value(first['customer_id'])} "
            f"in period {show_value(first['period'])}, which is not in the features; expected "
            "the features the membership was computed from"
        )
    return joined, schema, periods, names


def _present(schema: dict[str, Any], column: str) -> None:
    """Refuse a column the features lack, listing the columns of the joined table."""
    require_names([*IDS, "segment", *schema], [column])


def _number(schema: dict[str, Any], column: str, what: str) -> nw.Expr:
    """``column`` as floats, missing where null or NaN; refused unless numeric."""
    _present(schema, column)
    if not is_number(schema[column]):
        raise SchemaError(
            f"{current_function()}: the {what} column {column!r} has dtype {schema[column]}; "
            "expected numbers",
            column=column,
        )
    return nw.when(~missing(column, schema[column])).then(nw.col(column).cast(nw.Float64))


def _moments(column: str) -> list[nw.Expr]:
    """What a t interval needs: count, sum, mean and standard deviation (n - 1)."""
    x = nw.col(column)
    return [
        x.count().alias(f"{column}_n"),
        x.sum().alias(f"{column}_sum"),
        x.mean().alias(f"{column}_mean"),
        x.std(ddof=1).alias(f"{column}_sd"),
    ]


def _t_rows(table: pd.DataFrame, column: str, alpha: float) -> pd.DataFrame:
    count = table[f"{column}_n"].astype("float64")
    sd = table[f"{column}_sd"].where(count > 1)
    half = stats.t.ppf(1 - alpha / 2, (count - 1).where(count > 1)) * sd / np.sqrt(count)
    return pd.DataFrame(
        {"count": count, "sum": table[f"{column}_sum"], "mean": table[f"{column}_mean"],
         "half": half}
    )  # fmt: skip


def _per_segment(
    joined: nw.LazyFrame, aggregations: list[nw.Expr], periods: pd.Index, names: list[str]
) -> pd.DataFrame:
    """The aggregations per period and segment (every segment in every period), as pandas."""
    table = to_pandas(joined.group_by(_PERIOD, _SEGMENT).agg(*aggregations))
    every = pd.MultiIndex.from_product([range(len(periods)), range(len(names))])
    table = table.set_index([_PERIOD, _SEGMENT]).reindex(every)
    counts = [c for c in table.columns if c == "size" or c.endswith(("_n", "_sum"))]
    table[counts] = table[counts].fillna(0).astype("float64")
    segment = pd.Categorical.from_codes(
        every.get_level_values(1), dtype=pd.CategoricalDtype(names, ordered=True)
    )
    table.index = pd.MultiIndex.from_arrays(
        [periods.take(every.get_level_values(0)), segment], names=["period", "segment"]
    )
    return table


@checks(
    revenue=OrNone(COLUMN),
    converted=OrNone(COLUMN),
    clv=OrNone(COLUMN),
    positive=OrNone(COLUMN),
    negative=OrNone(COLUMN),
    alpha=ALPHA,
)
def segment_kpis(
    features: Any,
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

    The features may be a pandas DataFrame, a DuckDB relation or a PySpark DataFrame: the
    membership is moved to that backend and joined there, and the counts, sums, means and
    standard deviations per period and segment are computed there (the checks too); the
    intervals are finished in pandas on that small table.

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
    features : pandas.DataFrame, DuckDB relation or PySpark DataFrame
        One row per customer and period: ``customer_id``, ``period`` and the columns below.
    membership : pandas.DataFrame
        ``customer_id``, ``period``, ``segment`` (from :func:`segment_membership`); every
        row must have its row in ``features``, with the same dtypes of ``customer_id`` and
        ``period``.
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
    joined, schema, periods, names = _joined_on_backend(features, membership)
    level = level_text(alpha)
    derived: dict[str, nw.Expr] = {}
    aggregations = [nw.len().alias("size")]
    if revenue is not None:
        derived["__revenue"] = _number(schema, revenue, "revenue")
        aggregations += _moments("__revenue")
    if converted is not None:
        _present(schema, converted)
        kind = schema[converted]
        if kind == nw.Boolean:
            derived["__converted"] = nw.col(converted).cast(nw.Float64)
        elif is_number(kind):
            above = (nw.col(converted) > 0).cast(nw.Float64)
            derived["__converted"] = nw.when(~missing(converted, kind)).then(above)
        else:
            raise SchemaError(
                f"{current_function()}: the converted column {converted!r} has dtype "
                f"{kind}; expected true/false or numbers (above 0 is converted)",
                column=converted,
            )
        aggregations += [
            nw.col("__converted").count().alias("__converted_n"),
            nw.col("__converted").sum().alias("__converted_sum"),
        ]
    if clv is not None:
        derived["__clv"] = _number(schema, clv, "clv")
        aggregations += _moments("__clv")
    sentiment = positive is not None and negative is not None
    if sentiment:
        derived["__pos"] = _number(schema, positive, "positive")
        derived["__neg"] = _number(schema, negative, "negative")
    joined = joined.with_columns(**derived)
    if sentiment:
        for name, column in ((positive, "__pos"), (negative, "__neg")):
            below = to_pandas(joined.filter(nw.col(column) < 0).select(column).head(1))
            if not below.empty:
                raise SchemaError(
                    f"{current_function()}: column {name!r} has negative counts (first "
                    f"{float(below.iloc[0, 0])!r}); expected mention counts >= 0",
                    column=name,
                )
        both = ~nw.col("__pos").is_null() & ~nw.col("__neg").is_null()
        joined = joined.with_columns(
            __pos=nw.when(both).then(nw.col("__pos")), __neg=nw.when(both).then(nw.col("__neg"))
        )
        aggregations += [
            nw.col("__pos").sum().alias("__pos_sum"),
            nw.col("__neg").sum().alias("__neg_sum"),
        ]
    table = _per_segment(joined, aggregations, periods, names)
    size = table["size"]
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
        t = _t_rows(table, "__revenue", alpha)
        add(
            "revenue_total", t["count"], t["sum"], t["count"] * (t["mean"] - t["half"]),
            t["count"] * (t["mean"] + t["half"]),
            f"sum of {revenue}; n x the {level} t interval of the mean",
        )  # fmt: skip
        add("revenue_mean", t["count"], t["mean"], t["mean"] - t["half"], t["mean"] + t["half"],
            f"mean of {revenue}, {level} t interval")  # fmt: skip
    if converted is not None:
        count, hits = table["__converted_n"], table["__converted_sum"]
        low, high = wilson(hits, count, alpha)
        add("conversion", count, hits / count.where(count > 0), low, high,
            f"share with {converted} {'true' if schema[converted] == nw.Boolean else '> 0'}, "
            f"{level} Wilson interval")  # fmt: skip
    if clv is not None:
        t = _t_rows(table, "__clv", alpha)
        add("clv_mean", t["count"], t["mean"], t["mean"] - t["half"], t["mean"] + t["half"],
            f"mean of {clv}, {level} t interval")  # fmt: skip
    if sentiment:
        pos, neg = table["__pos_sum"], table["__neg_sum"]
        total = pos + neg
        low, high = wilson(pos, total, alpha)
        add(
            "net_sentiment", total, (pos - neg) / total.where(total > 0), 2 * low - 1,
            2 * high - 1,
            f"pooled ({positive} - {negative}) / ({positive} + {negative}); {level} Wilson "
            f"interval of the {positive} share p, as 2p - 1",
        )  # fmt: skip
    long = pd.concat(parts, names=["kpi"]).reset_index()
    long["kpi"] = pd.Categorical(long["kpi"], categories=list(parts), ordered=True)
    long = long.sort_values(["period", "segment", "kpi"], kind="stable", ignore_index=True)
    long["kpi"] = long["kpi"].astype(str)
    long["n"] = long["n"].astype("int64") if (long["n"] % 1 == 0).all() else long["n"]
    return long[["period", "segment", "kpi", "n", "estimate", "ci_low", "ci_high", "method"]]
