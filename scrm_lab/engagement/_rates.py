"""Engagement rates of posts, one per post and pooled per group and period.

Two functions turn a ``posts`` table into small tidy tables:

- :func:`engagement_rate`: one row per post, ``engagements / denominator`` where the
  denominator is named in every row (``followers``, ``reach`` or ``impressions``).
- :func:`engagement_rate_over_time`: one row per group (brand and channel by default) and
  period (day, week, month, quarter or year), with the pooled rate (total engagements /
  total denominator) and the mean of the per-post rates side by side.

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

Both run on pandas or DuckDB with identical results (see ``_tables``).

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
    OrNone,
    as_names,
    checks,
    refuse,
)
from scrm_lab._frames import as_lazy, columns_of, to_pandas
from scrm_lab.engagement._tables import (
    _FIXED,
    _PERIOD_CODES,
    _US_PER_DAY,
    _check_counts,
    _count_dtype,
    _epoch_us,
    _fixed,
    _keys_as_strings,
    _require,
    _set_dtypes,
    _to_utc,
    _where,
)
from scrm_lab.exceptions import SchemaError

__all__ = ["DENOMINATORS", "FREQUENCIES", "engagement_rate", "engagement_rate_over_time"]

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

_ENGAGEMENTS = ("reactions", "comments", "shares")


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
          adding (see the notes on exactness in ``scrm_lab.engagement._tables``).

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
