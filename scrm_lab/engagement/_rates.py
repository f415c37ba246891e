"""Engagement rates of posts, pooled per group and period, and a customer engagement score.

Three functions turn event-level tables into small tidy tables:

- :func:`engagement_rate`: one row per post, ``engagements / denominator`` where the
  denominator is named in every row (``followers``, ``reach`` or ``impressions``).
- :func:`engagement_rate_over_time`: one row per group (brand and channel by default) and
  period (day, week, month, quarter or year), with the pooled rate (total engagements /
  total denominator) and the mean of the per-post rates side by side.
- :func:`customer_engagement`: one row per customer of an ``interactions`` table, a score
  that weighs each kind of action (:data:`DEFAULT_ACTION_WEIGHTS`) and halves the weight of
  an interaction every ``half_life_days``.

Definitions (version 1)
-----------------------
*Engagements* of a post are the sum of the listed counts (by default
``reactions + comments + shares``, the "Total Interactions" of Moro et al. 2016). A missing
count adds nothing; ``counts_missing`` says how many were missing, and a post whose listed
counts are all missing has missing engagements. *Engagement rate* of a post is
``engagements / denominator_value``; it is missing when the engagements or the denominator
are missing and when the denominator is 0 (a rate over nobody is undefined, not infinite).
A post whose rate is defined is a *rated post*; pooled totals use rated posts only, so their
numerator and denominator cover the same posts.

Scale and exactness
-------------------
Every aggregation over the event table is a narwhals expression on a lazy frame, so the
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
>>> from scrm_lab.datasets import load_dataset
>>> rates = engagement_rate(load_dataset("facebook_metrics"), denominator="reach")
>>> columns = ["post_id", "engagements", "denominator", "denominator_value", "engagement_rate"]
>>> rates[columns].head(2)
  post_id  engagements denominator  denominator_value  engagement_rate
0       1          100       reach               2752         0.036337
1      10          142       reach               4694         0.030251
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import types
from collections.abc import Mapping, Sequence
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from scrm_lab._checks import (
    COLUMN,
    Choice,
    ColumnNames,
    Instance,
    OrNone,
    Real,
    as_names,
    checks,
    current_function,
    refuse,
)
from scrm_lab._checks import suggest as _suggest
from scrm_lab._frames import as_lazy, columns_of, to_pandas
from scrm_lab.exceptions import ParameterError, SchemaError

__all__ = [
    "DEFAULT_ACTION_WEIGHTS",
    "DENOMINATORS",
    "FREQUENCIES",
    "customer_engagement",
    "engagement_rate",
    "engagement_rate_over_time",
]

#: Columns a rate may be divided by: page followers, unique people reached, times shown.
DENOMINATORS: tuple[str, ...] = ("followers", "reach", "impressions")

#: Period lengths of :func:`engagement_rate_over_time`: UTC calendar periods, each labelled
#: by its first day.
FREQUENCIES: Mapping[str, str] = types.MappingProxyType(
    {
        "D": "calendar day",
        "W": "week from Monday to Sunday",
        "MS": "calendar month",
        "QS": "calendar quarter (January, April, July, October)",
        "YS": "calendar year",
    }
)

#: Weight of one interaction of each kind in :func:`customer_engagement` (version 1).
#:
#: An assumption, not an estimate: the weights rank actions by the effort and public
#: commitment they take, in the spirit of engagement ladders (watch, endorse, converse,
#: spread, evaluate). Passive actions count 1 (``view``, ``click``); a one-tap endorsement
#: 2 (``like``); following or naming the brand 3 (``follow``, ``mention``); writing to
#: it 4 (``comment``, ``reply``); passing its content on to one's own audience 5
#: (``share``); a public evaluation 6 (``review``). They cover every action
#: :func:`scrm_lab.synth.simulate_customers` produces. ``purchase`` has no weight on
#: purpose: purchases are the outcome the engagement hypothesis is tested against, so
#: counting them as engagement would make that test circular. Pass ``weights=`` to use
#: your own (estimated, for instance) weights.
DEFAULT_ACTION_WEIGHTS: Mapping[str, float] = types.MappingProxyType(
    {
        "view": 1.0,
        "click": 1.0,
        "like": 2.0,
        "follow": 3.0,
        "mention": 3.0,
        "comment": 4.0,
        "reply": 4.0,
        "share": 5.0,
        "review": 6.0,
    }
)

_US_PER_DAY = 86_400_000_000
_EPOCH_UTC = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_EPOCH_NAIVE = dt.datetime(1970, 1, 1)
#: Fractional sums are added as integers in units of 1 / _FIXED (see the module docstring).
_FIXED = 2**32
_PERIOD_CODES = {"MS": "M", "QS": "Q", "YS": "Y"}
_ENGAGEMENTS = ("reactions", "comments", "shares")


# ------------------------------------------------------------------------ parameter checks


def _weights(value: object) -> dict[str, float]:
    if value is None:
        return dict(DEFAULT_ACTION_WEIGHTS)
    expected = "a non-empty mapping of action names to finite numbers >= 0"
    if not isinstance(value, Mapping) or not value:
        raise refuse("weights", expected, value)
    weights = {}
    for action, weight in value.items():
        is_real = isinstance(weight, numbers.Real) and not isinstance(weight, bool)
        if not isinstance(action, str) or not is_real or not math.isfinite(weight) or weight < 0:
            raise refuse("weights", expected, value, f" The entry {action!r}: {weight!r} is not.")
        weights[action] = float(weight)
    return weights


def _as_of(value: object) -> int | None:
    """``as_of`` as microseconds since 1970-01-01 UTC (naive values are UTC)."""
    if value is None:
        return None
    expected = "a date or time such as '2024-12-31' or '2024-12-31T18:00Z' or None"
    if isinstance(value, bool) or not isinstance(value, str | dt.date | np.datetime64):
        raise refuse("as_of", expected, value)
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as err:
        raise refuse("as_of", expected, value) from err
    if pd.isna(stamp):
        raise refuse("as_of", expected, value)
    stamp = stamp.tz_localize("UTC") if stamp.tz is None else stamp.tz_convert("UTC")
    return (stamp - pd.Timestamp(_EPOCH_UTC)) // pd.Timedelta(1, "us")


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
    """An expression giving ``column`` as integer microseconds since 1970-01-01 UTC.

    DuckDB keeps time zones in the connection, not in the data: truncating or subtracting
    ``TIMESTAMPTZ`` values works in the connection's ``TimeZone`` (calendar days there, with
    its daylight-saving jumps), and narwhals refuses to convert them to UTC unless that is the
    connection's zone. ``epoch_us`` (which narwhals' ``total_microseconds`` calls on DuckDB)
    reads the instant itself, whatever the setting.
    """
    dtype = lazy.collect_schema()[column]
    duckdb = lazy.implementation is nw.Implementation.DUCKDB
    if not isinstance(dtype, nw.Datetime) and not (duckdb and dtype == nw.Unknown):
        raise SchemaError(
            f"{_where()}: column {column!r} of the {table} table has dtype {dtype}; expected "
            "timestamps (datetime64[ns, UTC]).",
            table=table,
            column=column,
        )
    if duckdb:
        if isinstance(dtype, nw.Datetime):
            zone = dtype.time_zone
        else:  # TIMESTAMPTZ_NS: narwhals reads the connection's zone off a zoned literal
            probe = lazy.select(nw.lit(_EPOCH_UTC).alias("probe")).collect_schema()["probe"]
            zone = probe.time_zone
        return nw.col(column).cast(nw.Datetime("us", zone)).dt.total_microseconds()
    epoch = _EPOCH_UTC if dtype.time_zone is not None else _EPOCH_NAIVE
    return (nw.col(column) - nw.lit(epoch)).dt.total_microseconds()


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


# ------------------------------------------------------------------------ per-post rates


def _posts(
    lazy: nw.LazyFrame,
    *,
    denominator: str,
    engagements: object,
    post_id: str | None,
    roles: Sequence[tuple[str, str]],
) -> tuple[str, tuple[str, ...], dict[str, bool]]:
    """Check a posts table: (denominator, engagement columns, column -> is integer)."""
    counts = as_names(engagements)
    if denominator in counts:
        raise refuse(
            "engagements", f"count columns other than the denominator {denominator!r}", engagements
        )
    columns = columns_of(lazy)
    if denominator not in columns:
        present = [c for c in DENOMINATORS if c in columns]
        others = f"it has {present}" if present else "it has none of them"
        raise SchemaError(
            f"{_where()}: the posts table has no column {denominator!r} (the denominator); "
            f"a rate can be divided by one of {list(DENOMINATORS)}, and {others}. "
            f"Available columns: {', '.join(map(repr, columns)) or 'none'}.",
            table="posts",
            column=denominator,
        )
    roles = [*roles, (denominator, "the denominator")]
    roles += [(c, "an engagement count") for c in counts]
    columns = _require(lazy, roles, "posts")
    example_id = post_id if post_id in columns else None
    integer = _check_counts(lazy, (*counts, denominator), example_id)
    return denominator, counts, integer


def _with_engagements(lazy: nw.LazyFrame, counts: Sequence[str], denominator: str) -> nw.LazyFrame:
    """Add ``_engagements``, ``_counts_missing``, ``_denominator`` and ``_rated``."""
    lazy = lazy.with_columns(
        _counts_missing=nw.sum_horizontal(*[nw.col(c).is_null().cast(nw.Int64) for c in counts]),
        _total=nw.sum_horizontal(*[nw.col(c).fill_null(0) for c in counts]),
        _denominator=nw.col(denominator),
    )
    lazy = lazy.with_columns(
        _engagements=nw.when(nw.col("_counts_missing") < len(counts)).then(nw.col("_total"))
    )
    rated = ~nw.col("_engagements").is_null() & (nw.col("_denominator").fill_null(0) > 0)
    return lazy.with_columns(_rated=rated)


def _rate(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator as float64; NaN when either is missing or the denominator 0."""
    num = numerator.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    den = denominator.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    rated = ~np.isnan(num) & (np.nan_to_num(den, nan=0.0) > 0)
    out = np.full(len(num), np.nan)
    out[rated] = num[rated] / den[rated]
    return pd.Series(out, index=numerator.index, dtype="float64")


@checks(denominator=Choice(DENOMINATORS), engagements=ColumnNames(), post_id=COLUMN)
def engagement_rate(
    posts: Any,
    *,
    denominator: str = "reach",
    engagements: str | Sequence[str] = _ENGAGEMENTS,
    post_id: str = "post_id",
) -> pd.DataFrame:
    """Engagement rate of each post, with the denominator named in every row.

    ``engagement_rate = engagements / denominator_value``, where ``engagements`` is the sum
    of the ``engagements`` count columns and ``denominator_value`` the post's ``followers``
    (page fans when it was published), ``reach`` (unique people who saw it) or
    ``impressions`` (times it was shown). The three give different numbers for the same
    post, which is why each row says which one it used.

    Parameters
    ----------
    posts : pandas.DataFrame or DuckDB relation or other narwhals-supported frame
        A canonical ``posts`` table: the post id, ``brand``, ``channel``, the count columns
        and the denominator; ``time`` is kept when present. Counts must be >= 0.
    denominator : {"reach", "followers", "impressions"}, default "reach"
        The column to divide by.
    engagements : str or sequence of str, default ("reactions", "comments", "shares")
        The count columns summed into the engagements of a post.
    post_id : str, default "post_id"
        The column identifying a post.

    Returns
    -------
    pandas.DataFrame
        One row per post, sorted by ``brand``, ``channel``, ``time`` (when present) and
        the post id, with the columns (in this order):

        - ``post_id`` (named as the ``post_id`` argument), ``brand``, ``channel``: as in
          ``posts``; text and categories become ``str``.
        - ``time``: when the post was published, ``datetime64[ns, UTC]`` (microsecond
          resolution; naive timestamps are taken to be UTC). Only when ``posts`` has it.
        - ``engagements``: sum of the listed counts; a missing count adds nothing, and the
          value is missing only when all listed counts are missing (``Int64``; ``float64``
          if a count column is not integer).
        - ``counts_missing``: how many of the listed counts were missing (``int64``).
        - ``denominator``: the name of the column divided by, e.g. ``"reach"`` (``str``).
        - ``denominator_value``: its value for the post (``Int64``, or ``float64``).
        - ``engagement_rate``: ``engagements / denominator_value`` (``float64``); NaN when
          either is missing or the denominator is 0.

    Raises
    ------
    ParameterError
        If ``denominator`` is not one of :data:`DENOMINATORS`, or ``engagements`` is empty,
        has duplicates or contains the denominator.
    SchemaError
        If a needed column is missing (the message lists the available columns), a count is
        not numeric, or a count or the denominator is negative (naming the column, the
        value and a post with it).

    See Also
    --------
    engagement_rate_over_time : pooled rates per group and period.

    Examples
    --------
    Rates by reach of the 500 posts of ``facebook_metrics``; its ``total_interactions``
    column is the same sum, a missing count counting as 0 (post 112 misses two):

    >>> from scrm_lab.datasets import load_dataset
    >>> posts = load_dataset("facebook_metrics")
    >>> rates = engagement_rate(posts, denominator="reach")
    >>> rates.columns.tolist()
    ['post_id', 'brand', 'channel', 'engagements', 'counts_missing', 'denominator',
     'denominator_value', 'engagement_rate']
    >>> shown = ["post_id", "engagements", "counts_missing", "engagement_rate"]
    >>> rates.loc[rates["post_id"].isin(["1", "112"]), shown]
       post_id  engagements  counts_missing  engagement_rate
    0        1          100               0         0.036337
    15     112            0               2         0.000000
    >>> check = rates.merge(posts[["post_id", "total_interactions"]], on="post_id")
    >>> bool((check["engagements"] == check["total_interactions"]).all())
    True
    """
    lazy = as_lazy(posts, "posts")
    roles = [(post_id, "the post id"), ("brand", "the brand"), ("channel", "the channel")]
    denominator, counts, integer = _posts(
        lazy,
        denominator=denominator,
        engagements=engagements,
        post_id=post_id,
        roles=roles,
    )
    has_time = "time" in columns_of(lazy)
    keys = [post_id, "brand", "channel"]
    lazy, key_dtypes = _keys_as_strings(lazy, keys)
    selected = [nw.col(k) for k in keys]
    if has_time:
        selected.append(_epoch_us(lazy, "time", "posts").alias("_time_us"))
    lazy = _with_engagements(lazy, counts, denominator)
    frame = to_pandas(lazy.select(*selected, "_engagements", "_counts_missing", "_denominator"))
    out = _set_dtypes(frame[keys].copy(), key_dtypes)
    if has_time:
        out["time"] = _to_utc(frame["_time_us"])
    out["engagements"] = frame["_engagements"].astype(_count_dtype(all(integer[c] for c in counts)))
    out["counts_missing"] = frame["_counts_missing"].astype("int64")
    out["denominator"] = pd.Series(denominator, index=out.index, dtype="str")
    out["denominator_value"] = frame["_denominator"].astype(_count_dtype(integer[denominator]))
    out["engagement_rate"] = _rate(out["engagements"], out["denominator_value"])
    order = ["brand", "channel", *(["time"] if has_time else []), post_id]
    return out.sort_values(order, kind="stable", na_position="last").reset_index(drop=True)


# ------------------------------------------------------------------------ rates over time

_OVER_TIME_STATS = (
    "period",
    "posts",
    "rated_posts",
    "engagements",
    "denominator",
    "denominator_total",
    "engagement_rate",
    "mean_post_rate",
)


def _period_start(day: pd.Series, freq: str) -> pd.Series:
    """First day (datetime64[ns], a UTC calendar day) of the period holding each day."""
    days = day.to_numpy(dtype="int64").astype("datetime64[D]").astype("datetime64[ns]")
    date = pd.Series(days, index=day.index)
    if freq == "D":
        return date
    if freq == "W":
        return date - pd.to_timedelta(date.dt.day_of_week, unit="D")
    return date.dt.to_period(_PERIOD_CODES[freq]).dt.start_time.astype("datetime64[ns]")


@checks(
    denominator=Choice(DENOMINATORS),
    freq=OrNone(Choice(tuple(FREQUENCIES))),
    by=ColumnNames(empty_ok=True),
    engagements=ColumnNames(),
    time=COLUMN,
)
def engagement_rate_over_time(
    posts: Any,
    *,
    denominator: str = "reach",
    freq: str | None = "MS",
    by: str | Sequence[str] = ("brand", "channel"),
    engagements: str | Sequence[str] = _ENGAGEMENTS,
    time: str = "time",
) -> pd.DataFrame:
    """Engagement rates per group and period: pooled, and the mean of the posts' rates.

    Two averages answer different questions, so both are given. The pooled rate
    ``engagement_rate = engagements / denominator_total`` is the share of the period's
    audience that engaged: big posts weigh more. ``mean_post_rate`` is the average of the
    rated posts' own rates (as :func:`engagement_rate` gives them): what a typical post
    got. Both use the rated posts only (engagements present, denominator present and
    > 0), so the pooled rate's numerator and denominator cover the same posts.

    Parameters
    ----------
    posts : pandas.DataFrame or DuckDB relation or other narwhals-supported frame
        A canonical ``posts`` table with the ``by`` columns, the counts, the denominator
        and (unless ``freq=None``) a publication time. Counts must be >= 0.
    denominator : {"reach", "followers", "impressions"}, default "reach"
        The column to divide by.
    freq : {"MS", "W", "D", "QS", "YS"} or None, default "MS"
        Period (:data:`FREQUENCIES`): calendar month, week from Monday, day, calendar
        quarter, calendar year, all in UTC. ``None`` pools each group over the whole table
        (no ``period`` column, no time column needed).
    by : str or sequence of str, default ("brand", "channel")
        Grouping columns; ``()`` pools all posts.
    engagements : str or sequence of str, default ("reactions", "comments", "shares")
        The count columns summed into a post's engagements (see :func:`engagement_rate`).
    time : str, default "time"
        The publication time column (timestamps; naive ones are taken to be UTC).

    Returns
    -------
    pandas.DataFrame
        One row per group and period with at least one post (periods without posts are
        not listed), sorted by the ``by`` columns then ``period``, with the columns (in
        this order):

        - the ``by`` columns, as in ``posts`` (text and categories become ``str``).
        - ``period``: first day of the period, ``datetime64[ns]`` (a UTC calendar day, no
          time zone). Absent when ``freq=None``.
        - ``posts``: posts in the group and period (``int64``). When ``freq`` is set,
          posts with a missing time are left out.
        - ``rated_posts``: those with a defined rate (``int64``).
        - ``engagements``: total engagements of the rated posts (``Int64``; ``float64``
          if a count column is not integer).
        - ``denominator``: the name of the column divided by, e.g. ``"reach"`` (``str``).
        - ``denominator_total``: total denominator of the rated posts (``Int64`` or
          ``float64``).
        - ``engagement_rate``: the pooled rate ``engagements / denominator_total``
          (``float64``; NaN without rated posts).
        - ``mean_post_rate``: mean of the rated posts' engagement rates (``float64``; NaN
          without rated posts); each rate is rounded down to a multiple of 2**-32 before
          adding (see the notes on exactness in :mod:`scrm_lab.engagement._rates`).

    Raises
    ------
    ParameterError
        If ``denominator`` or ``freq`` is not an allowed value, or ``by`` or
        ``engagements`` is not a sequence of distinct names (or ``by`` names an output
        column).
    SchemaError
        If a needed column is missing (a table without publication times can still be
        pooled with ``freq=None``), the time column is not a timestamp, or a count or the
        denominator is negative.

    Examples
    --------
    ``facebook_live_sellers`` has publication times but no audience size, so it has no
    engagement rate; the error says what is missing:

    >>> from scrm_lab.datasets import load_dataset
    >>> sellers = load_dataset("facebook_live_sellers")
    >>> engagement_rate_over_time(sellers, by="brand")
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.SchemaError: engagement_rate_over_time: the posts table has no
    column 'reach' (the denominator); a rate can be divided by one of ['followers', 'reach',
    'impressions'], and it has none of them. Available columns: 'post_id', 'brand', ...

    ``facebook_metrics`` has reach but only the month of each post (all in 2014): place
    each post on the first of its month, then take monthly rates by reach:

    >>> import pandas as pd
    >>> posts = load_dataset("facebook_metrics")
    >>> month = pd.DataFrame({"year": 2014, "month": posts["post_month"], "day": 1})
    >>> monthly = engagement_rate_over_time(
    ...     posts.assign(time=pd.to_datetime(month, utc=True)), denominator="reach"
    ... )
    >>> monthly[["period", "posts", "engagements", "engagement_rate", "mean_post_rate"]].head(3)
          period  posts  engagements  engagement_rate  mean_post_rate
    0 2014-01-01     25         4015         0.012998        0.019952
    1 2014-02-01     26         6293         0.010237        0.017905
    2 2014-03-01     36         3494         0.007360        0.011345

    Pooled over the year, by content type (``freq=None``):

    >>> engagement_rate_over_time(posts, freq=None, by="content_type")[
    ...     ["content_type", "posts", "engagement_rate", "mean_post_rate"]
    ... ]
      content_type  posts  engagement_rate  mean_post_rate
    0         link     22         0.004802        0.007266
    1        photo    426         0.016485        0.026060
    2       status     45         0.016595        0.015867
    3        video      7         0.005778        0.008525
    """
    by_columns = as_names(by)
    clash = [c for c in by_columns if c in _OVER_TIME_STATS]
    if clash:
        raise refuse("by", f"columns not named like an output column {list(_OVER_TIME_STATS)}", by)
    lazy = as_lazy(posts, "posts")
    roles = [(c, "a grouping column") for c in by_columns]
    if freq is not None:
        columns = columns_of(lazy)
        if time not in columns:
            raise SchemaError(
                f"{_where()}: the posts table has no column {time!r} (the publication time), so "
                "its posts cannot be placed in periods; available columns: "
                f"{', '.join(map(repr, columns)) or 'none'}. Pass freq=None to pool each "
                "group's posts without time, or name the time column with time=.",
                table="posts",
                column=time,
            )
    denominator, counts, integer = _posts(
        lazy,
        denominator=denominator,
        engagements=engagements,
        post_id="post_id",
        roles=roles,
    )
    lazy, key_dtypes = _keys_as_strings(lazy, by_columns)
    keys = list(by_columns)
    if freq is not None:
        day = _epoch_us(lazy, time, "posts") // _US_PER_DAY
        lazy = lazy.filter(~nw.col(time).is_null()).with_columns(_day=day)
        keys.append("_day")
    lazy = _with_engagements(lazy, counts, denominator)
    count_integer = all(integer[c] for c in counts)
    rated = nw.col("_rated")
    lazy = lazy.with_columns(
        _rated_posts=rated.cast(nw.Int64),
        _engagements_rated=nw.when(rated).then(nw.col("_engagements")),
        _denominator_rated=nw.when(rated).then(nw.col("_denominator")),
        _rate_units=nw.when(rated).then(_fixed(nw.col("_engagements") / nw.col("_denominator"))),
    )
    sums = {
        "rated_posts": "_rated_posts",
        "engagements": "_engagements_rated",
        "denominator_total": "_denominator_rated",
        "_rate_units": "_rate_units",
    }
    aggregations = [
        nw.len().alias("posts"),
        *[nw.col(column).sum().alias(name) for name, column in sums.items()],
    ]
    grouped = lazy.group_by(keys).agg(*aggregations) if keys else lazy.select(*aggregations)
    # Integer sums as Int64 on every backend (DuckDB gives HUGEINT), counts as floats if so
    frame = to_pandas(
        grouped.with_columns(
            nw.col("posts", "rated_posts", "_rate_units").cast(nw.Int64),
            nw.col("engagements").cast(nw.Int64 if count_integer else nw.Float64),
            nw.col("denominator_total").cast(nw.Int64 if integer[denominator] else nw.Float64),
        )
    )
    frame = _set_dtypes(frame, key_dtypes)
    totals = ["posts", *sums]
    frame[totals] = frame[totals].fillna(0)
    frame = frame[frame["posts"] > 0]
    group_keys = list(by_columns)
    if freq is not None:
        frame = frame.assign(period=_period_start(frame["_day"], freq)).drop(columns="_day")
        group_keys.append("period")
    if group_keys:  # add up the days of a period (integer sums: exact in any order)
        frame = frame.groupby(group_keys, dropna=False, sort=False).sum().reset_index()
        frame = frame.sort_values(group_keys, kind="stable", na_position="last")
    frame = frame.reset_index(drop=True)
    out = frame[group_keys].copy()
    out["posts"] = frame["posts"].astype("int64")
    out["rated_posts"] = frame["rated_posts"].astype("int64")
    out["engagements"] = frame["engagements"].astype(_count_dtype(count_integer))
    out["denominator"] = pd.Series(denominator, index=out.index, dtype="str")
    out["denominator_total"] = frame["denominator_total"].astype(_count_dtype(integer[denominator]))
    out["engagement_rate"] = _rate(out["engagements"], out["denominator_total"])
    units = frame["_rate_units"].to_numpy(dtype="float64")
    rated_posts = out["rated_posts"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["mean_post_rate"] = np.where(rated_posts > 0, units / _FIXED / rated_posts, np.nan)
    return out


# ------------------------------------------------------------------------ customer engagement


def _missing_error(column: str, n_missing: int) -> SchemaError:
    return SchemaError(
        f"{_where()}: column {column!r} of the interactions table is missing in {n_missing} "
        "row(s); expected a value in every row.",
        table="interactions",
        column=column,
    )


@checks(
    weights=OrNone(Instance(Mapping, "a non-empty mapping of action names to finite numbers >= 0")),
    half_life_days=Real(low=0, low_open=True),
    as_of=OrNone(
        Instance(
            (str, dt.date, np.datetime64),
            "a date or time such as '2024-12-31' or '2024-12-31T18:00Z'",
        )
    ),
    unknown_weight=OrNone(Real(low=0)),
    customer=COLUMN,
    action=COLUMN,
    time=COLUMN,
)
def customer_engagement(
    interactions: Any,
    *,
    weights: Mapping[str, float] | None = None,
    half_life_days: float = 30.0,
    as_of: str | dt.date | np.datetime64 | None = None,
    unknown_weight: float | None = None,
    customer: str = "customer_id",
    action: str = "action",
    time: str = "time",
) -> pd.DataFrame:
    """Engagement score of each customer: weighted interactions, recent ones counting more.

    .. math::

        \\text{score}_i = \\sum_{j \\in i} w_{a(j)} \\, 0.5^{\\,\\text{age}_j / h},
        \\qquad \\text{age}_j = \\text{as\\_of} - t_j \\text{ (days)}

    where :math:`w_a` is the weight of action :math:`a` (:data:`DEFAULT_ACTION_WEIGHTS`
    unless ``weights`` is given) and :math:`h` is ``half_life_days``: an interaction one
    half-life old counts half, two half-lives old a quarter. Interactions after ``as_of``
    are left out, so a score can be computed as it stood on any past day.

    Parameters
    ----------
    interactions : pandas.DataFrame or DuckDB relation or other narwhals-supported frame
        A canonical ``interactions`` table: one row per action a customer took, with the
        customer id, the kind of action (text) and the time (timestamps; naive ones are
        taken to be UTC). No value may be missing in these three columns.
    weights : mapping of str to float, optional
        Weight of each action, finite and >= 0. Replaces :data:`DEFAULT_ACTION_WEIGHTS`
        as a whole (it is not merged with it).
    half_life_days : float, default 30.0
        Days after which an interaction's weight has halved; > 0.
    as_of : date, time or None, default None
        The moment ages are measured from (a string such as ``"2024-12-31"``, a
        :class:`datetime.datetime`, a :class:`pandas.Timestamp`; naive values are taken
        to be UTC). ``None`` means the latest interaction time in the table.
    unknown_weight : float or None, default None
        Weight of actions that ``weights`` does not list. ``None`` (the default) refuses
        them: an action nobody weighed is an error, not a silent 0.
    customer, action, time : str, default "customer_id", "action", "time"
        Columns holding the customer id, the kind of action and when it happened.

    Returns
    -------
    pandas.DataFrame
        One row per customer with at least one interaction at or before ``as_of``, sorted
        by ``rank`` then the customer id, with the columns (in this order):

        - ``customer_id`` (named as the ``customer`` argument): as in ``interactions``
          (text and categories become ``str``).
        - ``interactions``: interactions counted (``int64``).
        - ``actions_weighted``: sum of their weights, without decay (``float64``).
        - ``score``: sum of their decayed weights (``float64``).
        - ``first_interaction``, ``last_interaction``: times of the first and last of them
          (``datetime64[ns, UTC]``, microsecond resolution).
        - ``days_since_last``: ``as_of - last_interaction`` in days (``float64``).
        - ``rank``: 1 for the highest score; equal scores share the best rank of their
          group (``int64``, "min" ranking).
        - ``as_of``: the moment ages were measured from (``datetime64[ns, UTC]``).

        Each term of ``actions_weighted`` and ``score`` is rounded down to a multiple of
        2**-32 (about 2.3e-10) before adding, so the sums are the same on every backend
        and in every row order (scores must stay below 2**31).

    Raises
    ------
    ParameterError
        If ``weights`` is not a mapping of names to finite numbers >= 0, has no weight for
        an action in the data (and ``unknown_weight`` is None: the message lists them),
        ``half_life_days`` is not > 0, ``unknown_weight`` is negative, or ``as_of`` is
        not a date or time.
    SchemaError
        If a needed column is missing, ``time`` is not a timestamp, ``action`` is not
        text, or a customer id, action or time is missing.

    Examples
    --------
    >>> from scrm_lab.synth import simulate_customers
    >>> interactions = simulate_customers(seed=0, n_customers=50).interactions
    >>> scores = customer_engagement(interactions, half_life_days=30)
    >>> scores[["customer_id", "interactions", "actions_weighted", "score", "rank"]].head(3)
      customer_id  interactions  actions_weighted      score  rank
    0     C000048            61             111.0  38.245526     1
    1     C000042            76             159.0  27.516357     2
    2     C000049           106             212.0  18.954648     3
    >>> scores["as_of"].iloc[0]  # the latest interaction in the table
    Timestamp('2024-12-30 09:19:54+0000', tz='UTC')

    Customer C000049 did the most, but less of it lately than C000048 and C000042. The same
    scores as they stood on 30 June, with a shorter memory:

    >>> mid_year = customer_engagement(interactions, half_life_days=7, as_of="2024-06-30")
    >>> mid_year[["customer_id", "interactions", "score", "days_since_last", "rank"]].head(2)
      customer_id  interactions      score  days_since_last  rank
    0     C000022            35  10.315618         0.478241     1
    1     C000050            33   7.696421         0.036863     2
    """
    weight_of = _weights(weights)
    half_life = float(half_life_days)
    as_of_us = _as_of(as_of)
    if unknown_weight is not None:
        unknown_weight = float(unknown_weight)
    lazy = as_lazy(interactions, "interactions")
    roles = [(customer, "the customer id"), (action, "the action"), (time, "the time")]
    _require(lazy, roles, "interactions")
    lazy, key_dtypes = _keys_as_strings(lazy, [customer, action])
    if key_dtypes[action] != "str":
        raise SchemaError(
            f"{_where()}: column {action!r} of the interactions table has dtype "
            f"{lazy.collect_schema()[action]}; expected text (the kind of action).",
            table="interactions",
            column=action,
        )
    lazy = lazy.with_columns(_us=_epoch_us(lazy, time, "interactions"))
    summary = to_pandas(
        lazy.select(
            nw.col("_us").max().alias("_latest"),
            *[_sum(nw.col(c).is_null().cast(nw.Int64)).alias(c) for c in (customer, action, time)],
        )
    )
    for column in (customer, action, time):
        n_missing = int(summary[column].fillna(0).iloc[0])
        if n_missing:
            raise _missing_error(column, n_missing)
    if as_of_us is None:
        latest = summary["_latest"].iloc[0]
        as_of_us = None if pd.isna(latest) else int(latest)
    if as_of_us is not None:
        lazy = lazy.filter(nw.col("_us") <= as_of_us)
        actions = to_pandas(lazy.select(nw.col(action)).unique())[action].tolist()
        unknown = sorted(set(map(str, actions)) - set(weight_of))
        if unknown and unknown_weight is None:
            raise ParameterError(
                f"The 'weights' parameter of {_where()} has no weight for the action(s) "
                f"{', '.join(map(repr, unknown))} found in column {action!r} of the "
                f"interactions table; weights are given for {sorted(weight_of)}. Add them "
                "to weights=, or pass unknown_weight= to weigh every unlisted action alike."
            )
    weight = nw.lit(unknown_weight if unknown_weight is not None else 0.0, dtype=nw.Float64)
    for name, value in weight_of.items():
        weight = nw.when(nw.col(action) == name).then(nw.lit(value)).otherwise(weight)
    age_days = (nw.lit(as_of_us or 0) - nw.col("_us")) / _US_PER_DAY
    lazy = lazy.with_columns(_weight=weight, _age=age_days).with_columns(
        _decayed=nw.col("_weight") * nw.lit(0.5) ** (nw.col("_age") / half_life)
    )
    lazy = lazy.with_columns(
        _weighted_units=_fixed(nw.col("_weight")), _score_units=_fixed(nw.col("_decayed"))
    )
    per_customer = lazy.group_by(customer).agg(
        nw.len().alias("interactions"),
        nw.col("_weighted_units").sum(),
        nw.col("_score_units").sum(),
        nw.col("_us").min().alias("_first"),
        nw.col("_us").max().alias("_last"),
    )
    integers = ("interactions", "_weighted_units", "_score_units", "_first", "_last")
    frame = to_pandas(per_customer.with_columns(nw.col(*integers).cast(nw.Int64)))
    out = _set_dtypes(frame[[customer]].copy(), {customer: key_dtypes[customer]})
    out["interactions"] = frame["interactions"].astype("int64")
    out["actions_weighted"] = frame["_weighted_units"].to_numpy(dtype="float64") / _FIXED
    out["score"] = frame["_score_units"].to_numpy(dtype="float64") / _FIXED
    out["first_interaction"] = _to_utc(frame["_first"])
    out["last_interaction"] = _to_utc(frame["_last"])
    since_last_us = (as_of_us or 0) - frame["_last"].to_numpy(dtype="int64")
    out["days_since_last"] = since_last_us / _US_PER_DAY
    out["rank"] = out["score"].rank(method="min", ascending=False).astype("int64")
    out["as_of"] = _to_utc(pd.Series([as_of_us] * len(out), index=out.index, dtype="Int64"))
    return out.sort_values(["rank", customer], kind="stable").reset_index(drop=True)
