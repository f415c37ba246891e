"""From a transaction log to the customer-base summary the models read.

One row per customer: ``frequency`` (repeat purchase days), ``recency`` (first to last
purchase) and ``T`` (first purchase to the end of the calibration period), both in
``time_unit``, ``monetary_value`` (mean spend of the repeat purchase days), and, when a
calibration end is given, the holdout: ``frequency_holdout``, ``monetary_value_holdout``
and ``duration_holdout``. Purchases on the same calendar day count as one (as in Fader,
Hardie and Lee's CDNOW summary), their values summed.

The log may be a pandas DataFrame or a DuckDB relation (or another frame narwhals
supports): the aggregation is written once with narwhals, so on DuckDB a Parquet file of
tens of millions of transactions is grouped inside DuckDB and only the one row per customer
comes back, as pandas.

Examples
--------
>>> import pandas as pd
>>> log = pd.DataFrame({
...     "customer_id": ["a", "a", "a", "b"],
...     "time": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-08", "2024-01-15"]),
...     "amount": [10.0, 5.0, 7.0, 3.0]})
>>> rfm_summary(log, observation_end="2024-01-29")
  customer_id  frequency  recency    T  monetary_value
0           a          1      1.0  4.0            12.0
1           b          0      0.0  2.0             NaN
>>> import duckdb
>>> rfm_summary(duckdb.from_df(log), observation_end="2024-01-29").equals(
...     rfm_summary(log, observation_end="2024-01-29"))
True
"""

from __future__ import annotations

from datetime import date
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from scrm_lab._checks import (
    COLUMN,
    Choice,
    Instance,
    OrNone,
    brief,
    checks,
    current_function,
    refuse,
    require_columns,
)
from scrm_lab._frames import ROW, as_lazy, columns_of, numbered, to_pandas, utc_wall_clock
from scrm_lab.exceptions import ParameterError, SchemaError

__all__ = ["rfm_summary"]

#: Length of each ``time_unit`` in days, and its name.
UNITS = {"D": 1.0, "W": 7.0, "M": 365.25 / 12, "Y": 365.25}
UNIT_NAMES = {"D": "day", "W": "week", "M": "month", "Y": "year"}
_WHEN = OrNone(Instance((str, pd.Timestamp), "a date such as '1997-09-30'"))
_FRAME = (
    "a transaction log (a pandas DataFrame, a DuckDB relation or another frame narwhals supports)"
)

# temporary columns (the customer column keeps its name)
_DAY, _VALUE = "__scrm_day", "__scrm_value"
_CALIBRATION_DAY, _REPEAT, _HOLDOUT = "__scrm_calibration_day", "__scrm_repeat", "__scrm_holdout"
_DAYS, _FIRST, _LAST, _REPEAT_MEAN, _HOLDOUT_DAYS, _HOLDOUT_MEAN = (
    "__scrm_days", "__scrm_first", "__scrm_last", "__scrm_repeat_mean", "__scrm_holdout_days",
    "__scrm_holdout_mean",
)  # fmt: skip
_EPOCH = pd.Timestamp("1970-01-01")


@checks(
    customer=COLUMN,
    time=COLUMN,
    value=COLUMN,
    observation_end=_WHEN,
    calibration_end=_WHEN,
    time_unit=Choice(tuple(UNITS)),
)
def rfm_summary(
    transactions: Any,
    *,
    customer: str = "customer_id",
    time: str = "time",
    value: str = "amount",
    observation_end: str | pd.Timestamp | None = None,
    calibration_end: str | pd.Timestamp | None = None,
    time_unit: str = "W",
) -> pd.DataFrame:
    """The customer-base summary of a transaction log (see the module docstring).

    Parameters
    ----------
    transactions : pandas.DataFrame, DuckDB relation, or any frame narwhals supports
        One row per transaction (the canonical ``transactions`` table); a row without a
        customer id is refused. On pandas, times may be anything :func:`pandas.to_datetime`
        reads (text included) and amounts anything :func:`pandas.to_numeric` reads. On
        DuckDB (and other frames), the time column must be a TIMESTAMP, TIMESTAMPTZ or DATE
        column and the amounts numbers: text is refused (cast it in DuckDB first, see
        Raises). A DuckDB relation is scanned lazily: the day grouping and the per-customer
        aggregates run inside DuckDB.
    customer, time, value : str
        Columns of the customer id, the transaction time and its value.
    observation_end : date, optional
        End of the data; by default the last transaction's day.
    calibration_end : date, optional
        End of the calibration period: the summary covers purchases up to it (customers
        whose first purchase is later are left out), and the holdout columns count those
        after it, up to ``observation_end``.
    time_unit : {"D", "W", "M", "Y"}, default "W"
        Unit of ``recency``, ``T`` and ``duration_holdout`` (days, weeks, months of 365.25 / 12
        days, years).

    Returns
    -------
    pandas.DataFrame
        One row per customer, sorted by customer: ``customer_id`` (named as ``customer``),
        ``frequency`` (int64), ``recency``, ``T``, ``monetary_value`` (float64, NaN without
        repeat purchases), and with ``calibration_end`` also ``frequency_holdout`` (int64),
        ``monetary_value_holdout`` (NaN without holdout purchases) and ``duration_holdout``
        (float64). Times are taken in UTC (time-zone-aware ones converted, naive ones as
        they are) and cut to the calendar day. The same table whatever the backend.

    Raises
    ------
    SchemaError
        A column is missing; a missing customer id; a time that cannot be read, is missing
        or infinite; an amount
        that is missing or not finite (the message names the column, the 1-based row and
        the value; on DuckDB the row of the relation's scan order); on DuckDB, a time
        column held as text or an amount column that is not numeric. To read text times in
        DuckDB, cast them first, e.g. ``duckdb.sql("SELECT * REPLACE (CAST(time AS
        TIMESTAMP) AS time) FROM rel")``, or give ``read_csv`` a ``timestampformat``.
    ParameterError
        ``transactions`` is not a frame, a date cannot be read, or ``calibration_end`` is
        after the observation end.

    Notes
    -----
    On DuckDB the log is read twice: one query over the time and amount columns counts
    bad values and finds the last purchase (further queries name the first bad row only
    when there is one), then one query groups purchases by customer and day and those
    days by customer (DuckDB computes the purchase days twice, once to find each
    customer's first day). A TIMESTAMPTZ is cut to its UTC day whatever the connection's
    time zone. 50 million transactions from Parquet take about half a minute on two cores
    (``benchmarks/bench_rfm_summary.py``).
    """
    if isinstance(transactions, pd.DataFrame):
        rows, last = _pandas_rows(transactions, customer, time, value)
        bound = _number  # days as numbers
    else:
        try:
            lazy = as_lazy(transactions, "transactions")
        except ParameterError as err:
            raise refuse("transactions", _FRAME, transactions) from err
        rows, last = _lazy_rows(lazy, customer, time, value)
        bound = _as_date  # days as dates
    end = _day(observation_end, "observation_end") if observation_end is not None else last
    cut = _day(calibration_end, "calibration_end") if calibration_end is not None else end
    if cut is not None and end is not None and cut > end:
        raise ParameterError(
            f"The 'calibration_end' parameter of rfm_summary ({cut.date()}) must not be after "
            f"the observation end ({end.date()})."
        )
    holdout = calibration_end is not None
    if end is None:  # no purchase at all
        per_customer = None
    else:
        if observation_end is not None:
            rows = rows.filter(nw.col(_DAY) <= bound(end))
        per_customer = to_pandas(_per_customer(rows, customer, bound(cut), holdout=holdout))
    return _tidy(per_customer, customer, end, cut, UNITS[time_unit], holdout=holdout)


# ------------------------------------------------------------------------------ the rows


def _pandas_rows(
    transactions: pd.DataFrame, customer: str, time: str, value: str
) -> tuple[nw.LazyFrame, pd.Timestamp | None]:
    """Customer, day number and value of each row of a pandas log, read and checked by pandas.

    Also returns the last purchase day, or None without one.
    """
    require_columns(transactions, [customer, time, value])
    no_customer = transactions[customer].isna().to_numpy()
    if no_customer.any():
        row = int(np.argmax(no_customer))
        raise SchemaError(
            f"rfm_summary: column {customer!r} has a missing value in row {row + 1}; expected "
            "a customer id.", column=customer, row=row + 1,
        )  # fmt: skip
    stamps = pd.to_datetime(transactions[time], errors="coerce", utc=True)
    if stamps.isna().any():
        row = int(np.argmax(stamps.isna().to_numpy()))
        raise SchemaError(
            f"rfm_summary: column {time!r} has {brief(transactions[time].iloc[row])} in row "
            f"{row + 1}; expected a time.", column=time, row=row + 1,
        )  # fmt: skip
    days = purchase_days(stamps)
    amounts = pd.to_numeric(transactions[value], errors="coerce")
    if not np.isfinite(amounts.to_numpy(dtype=float)).all():
        row = int(np.argmax(~np.isfinite(amounts.to_numpy(dtype=float))))
        raise SchemaError(
            f"rfm_summary: column {value!r} has {brief(transactions[value].iloc[row])} in row "
            f"{row + 1}; expected a finite amount.", column=value, row=row + 1,
        )  # fmt: skip
    frame = pd.DataFrame(
        {
            customer: transactions[customer].to_numpy(),
            _DAY: days.to_numpy().astype("datetime64[D]").astype("int64"),
            _VALUE: amounts.to_numpy(),
        }
    )
    last = pd.Timestamp(int(frame[_DAY].max()), unit="D") if len(frame) else None
    return as_lazy(frame, "transactions"), last


def _lazy_rows(
    lazy: nw.LazyFrame, customer: str, time: str, value: str
) -> tuple[nw.LazyFrame, pd.Timestamp | None]:
    """Customer, day (a date, UTC) and value of each row of a lazy log, as expressions.

    One query over the time and value columns first counts bad times and amounts (and
    finds the last purchase); only when one is found do further queries name its row.
    Also returns the last purchase day, or None without one.
    """
    require_columns(pd.DataFrame(columns=columns_of(lazy)), [customer, time, value])
    lazy = _known_times(lazy, time)
    schema = lazy.collect_schema()
    kind = schema[time]
    if not (kind == nw.Date or kind == nw.Datetime):
        raise SchemaError(
            f"{current_function()}: column {time!r} has dtype {kind}; expected times "
            "(TIMESTAMP, TIMESTAMPTZ or DATE). Text is parsed only in a pandas DataFrame: "
            f'in DuckDB, cast the column first, e.g. duckdb.sql("SELECT * REPLACE '
            f'(CAST({time} AS TIMESTAMP) AS {time}) FROM rel"), or give read_csv a '
            "timestampformat.",
            column=time,
        )
    if not (schema[value].is_numeric() or schema[value] == nw.Boolean):
        raise SchemaError(
            f"{current_function()}: column {value!r} has dtype {schema[value]}; expected "
            f'numbers. In DuckDB, cast the column first, e.g. duckdb.sql("SELECT * REPLACE '
            f'(CAST({value} AS DOUBLE) AS {value}) FROM rel").',
            column=value,
        )
    # an infinite DuckDB timestamp has no year: missing and infinite times are both refused
    bad_time = nw.col(time).is_null() | nw.col(time).dt.year().is_null()
    amount = nw.col(value).cast(nw.Float64)
    bad_amount = ~amount.is_finite().fill_null(False)
    no_customer = nw.col(customer).is_null()
    found = to_pandas(
        lazy.select(
            no_customer.cast(nw.Int64).sum().alias("customer"),
            bad_time.cast(nw.Int64).sum().alias("time"),
            bad_amount.cast(nw.Int64).sum().alias("value"),
            nw.col(time).max().alias("last"),
        )
    ).iloc[0]
    if found["customer"]:
        _refuse_row(lazy, no_customer, customer, "a customer id", nw.String)
    if found["time"]:
        _refuse_row(lazy, bad_time, time, "a time", nw.String)
    if found["value"]:
        _refuse_row(lazy, bad_amount, value, "a finite amount", nw.Float64)
    last = None if pd.isna(found["last"]) else _as_day(found["last"])
    key = nw.col(customer)
    if schema[customer] == nw.Categorical or schema[customer] == nw.Enum:
        key = key.cast(nw.String)  # sorted by name, as pandas sorts
    lazy, day = _utc_date(lazy, time, kind)
    rows = lazy.select(key.alias(customer), day.alias(_DAY), amount.alias(_VALUE))
    return rows, last


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _known_times(lazy: nw.LazyFrame, time: str) -> nw.LazyFrame:
    """DuckDB's TIMESTAMPTZ_NS (Parquet's instants in nanoseconds), which narwhals does not
    know, as TIMESTAMPTZ (microseconds: the day is the same)."""
    if not (lazy.implementation.is_duckdb() and lazy.collect_schema()[time] == nw.Unknown):
        return lazy
    native = lazy.to_native()
    if "TIMESTAMP" not in str(native.types[native.columns.index(time)]).upper():
        return lazy
    name = _quoted(time)
    return nw.from_native(native.project(f"* REPLACE (CAST({name} AS TIMESTAMPTZ) AS {name})"))


def _utc_date(lazy: nw.LazyFrame, time: str, kind: Any) -> tuple[nw.LazyFrame, nw.Expr]:
    """The calendar day of each time as a date: in UTC for an aware time, as it is if naive.

    The time is made a naive UTC timestamp first (:func:`~scrm_lab._frames.utc_wall_clock`).
    """
    stamp = nw.col(time)
    if kind == nw.Date:
        return lazy, stamp
    return utc_wall_clock(lazy, time), stamp.cast(nw.Date)


def _refuse_row(
    lazy: nw.LazyFrame, bad: nw.Expr, column: str, expected: str, shown_as: Any
) -> None:
    """Raise a SchemaError naming the first row (1-based, in scan order) where ``bad`` holds.

    The value is shown cast to ``shown_as`` (a time as DuckDB writes it, 'infinity'; an
    amount as a number, nan or inf), a missing one as such.
    """
    rows = numbered(lazy)
    shown = nw.col(column).cast(shown_as).alias("shown")
    missing = nw.col(column).is_null().alias("missing")
    if rows is None:  # a backend without a row order (e.g. Spark): no row number
        found = to_pandas(lazy.filter(bad).select(shown, missing).head(1)).iloc[0]
        row, where = None, "in a row"
    else:
        found = to_pandas(
            rows.filter(bad).sort(ROW).select(nw.col(ROW), shown, missing).head(1)
        ).iloc[0]
        row = int(found[ROW])
        where = f"in row {row}"
    text = "a missing value (NULL)" if found["missing"] else brief(found["shown"])
    raise SchemaError(
        f"{current_function()}: column {column!r} has {text} {where}; expected {expected}.",
        column=column,
        row=row,
    )


# ------------------------------------------------------------------------ the aggregation


def _per_customer(rows: nw.LazyFrame, customer: str, cut: object, *, holdout: bool) -> nw.LazyFrame:
    """One row per customer with a purchase day up to ``cut``, sorted by customer.

    Purchase days first (one row per customer x day, values summed), each joined to its
    customer's first day up to ``cut`` (customers without one drop out); then, per
    customer, the number of purchase days up to ``cut``, the last of them, the mean value
    of the later ones, and, with ``holdout``, the number and mean value of the days after
    ``cut``. The repeat mean is a mean of the repeat days' values, not the total less the
    first day's (which would lose the cents next to a large first purchase).
    """
    day, spent = nw.col(_DAY), nw.col(_VALUE)
    daily = rows.group_by(customer, _DAY).agg(spent.sum())
    first = daily.filter(day <= cut).group_by(customer).agg(day.min().alias(_FIRST))
    in_calibration = day <= cut
    columns = [
        nw.when(in_calibration).then(day).alias(_CALIBRATION_DAY),
        in_calibration.cast(nw.Int64).alias(_DAYS),
        nw.when(in_calibration & (day > nw.col(_FIRST))).then(spent).alias(_REPEAT),
    ]
    aggregates = [
        nw.col(_DAYS).sum(),
        nw.col(_FIRST).min(),
        nw.col(_CALIBRATION_DAY).max().alias(_LAST),
        nw.col(_REPEAT).mean().alias(_REPEAT_MEAN),
    ]
    if holdout:
        columns += [
            (~in_calibration).cast(nw.Int64).alias(_HOLDOUT_DAYS),
            nw.when(~in_calibration).then(spent).alias(_HOLDOUT),
        ]
        aggregates += [nw.col(_HOLDOUT_DAYS).sum(), nw.col(_HOLDOUT).mean().alias(_HOLDOUT_MEAN)]
    return (
        daily.join(first, on=customer, how="inner")
        .with_columns(*columns)
        .group_by(customer)
        .agg(*aggregates)
        .sort(customer)
    )


def _tidy(
    found: pd.DataFrame | None,
    customer: str,
    end: pd.Timestamp | None,
    cut: pd.Timestamp | None,
    unit: float,
    *,
    holdout: bool,
) -> pd.DataFrame:
    """The documented columns and dtypes from the per-customer aggregates (None: no rows)."""
    if found is None:
        found = pd.DataFrame(
            {customer: pd.Series(dtype=object)}
            | {c: pd.Series(dtype="float64") for c in (_DAYS, _FIRST, _LAST, _REPEAT_MEAN)}
            | {c: pd.Series(dtype="float64") for c in (_HOLDOUT_DAYS, _HOLDOUT_MEAN)}
        )
    first = _day_numbers(found[_FIRST])
    out = pd.DataFrame({customer: found[customer]})
    out["frequency"] = found[_DAYS].astype("int64") - 1
    out["recency"] = (_day_numbers(found[_LAST]) - first) / unit
    out["T"] = ((_number(cut) if cut is not None else first) - first) / unit
    out["monetary_value"] = found[_REPEAT_MEAN].astype("float64")
    if holdout:
        out["frequency_holdout"] = found[_HOLDOUT_DAYS].fillna(0).astype("int64")
        out["monetary_value_holdout"] = found[_HOLDOUT_MEAN].astype("float64")
        days = (end - cut).days if end is not None and cut is not None else 0
        out["duration_holdout"] = pd.Series(days / unit, index=out.index, dtype="float64")
    return out


# ---------------------------------------------------------------------------------- days


def purchase_days(times: pd.Series) -> pd.Series:
    """The calendar day of each time: in UTC for aware times, as it is for naive ones.

    Examples
    --------
    >>> purchase_days(pd.Series(["2024-01-01 23:30-05:00"])).tolist()
    [Timestamp('2024-01-02 00:00:00')]
    """
    return pd.to_datetime(times, utc=True).dt.tz_convert(None).dt.normalize()


def _day(value: str | pd.Timestamp, name: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError) as err:
        raise ParameterError(
            f"The {name!r} parameter of rfm_summary must be a date such as '1997-09-30'. "
            f"Got {value!r} instead."
        ) from err
    return _as_day(stamp)


def _as_day(value: object) -> pd.Timestamp:
    """A time as its day: UTC for an aware time, as it is for a naive one."""
    stamp = pd.Timestamp(value)
    return (stamp.tz_convert(None) if stamp.tzinfo else stamp).normalize()


def _number(day: pd.Timestamp) -> int:
    """Days since 1970-01-01 (the days of a pandas log, as numbers)."""
    return int((day - _EPOCH) // pd.Timedelta(days=1))


def _as_date(day: pd.Timestamp) -> date:
    """The day as a date (the days of a lazy log, as dates)."""
    return day.date()


def _day_numbers(days: pd.Series) -> pd.Series:
    """Days since 1970-01-01 of day numbers or dates (whatever the backend returned)."""
    if pd.api.types.is_numeric_dtype(days.dtype):
        return days.astype("int64")
    numbers = pd.to_datetime(days).to_numpy().astype("datetime64[D]").astype("int64")
    return pd.Series(numbers, index=days.index)
