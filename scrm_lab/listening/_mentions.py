"""Mention counts over the ``messages`` table: mention volume, share of voice, net sentiment.

Definitions (version 1):

- **mention volume**: messages per brand per period (:func:`mention_volume`);
- **share of voice** = a brand's mentions / the mentions of all tracked brands, per period
  (:func:`share_of_voice`);
- **net sentiment** = (positive - negative) / (positive + negative); neutral messages are
  counted but left out of the ratio (:func:`net_sentiment`).

Each function takes the event-level ``messages`` table as a pandas DataFrame or a DuckDB
relation (any frame narwhals supports); the counting runs on that backend and the small result
comes back as pandas. Periods are the start of a UTC hour (``"h"``), day (``"D"``), week
starting Monday (``"W"``) or calendar month (``"M"``); every brand gets every period between the
first and the last message, with zero counts where it had none.

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> tweets = load_dataset("twitter_airline_sentiment")
>>> sov = share_of_voice(tweets)
>>> sov[["brand", "mentions", "share"]].head(2)
        brand  mentions     share
0    American      2604  0.179772
1       Delta      2222  0.153400
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from scrm_lab._checks import (
    ALPHA,
    COLUMN,
    NAMES,
    Choice,
    OrNone,
    checks,
    current_function,
    require_names,
    suggest,
)
from scrm_lab._frames import as_lazy, as_utc, columns_of, to_pandas, utc_wall_clock
from scrm_lab._proportions import wilson
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.models import level_text
from scrm_lab.schema import SENTIMENTS

__all__ = [
    "FREQS",
    "mention_volume",
    "net_sentiment",
    "share_of_voice",
]

#: Period lengths accepted by ``freq``: narwhals truncation unit, pandas ``date_range`` freq.
FREQS: dict[str, tuple[str, str]] = {
    "h": ("1h", "h"),
    "D": ("1d", "D"),
    "W": ("1d", "W-MON"),  # truncated to days by the backend, then to Mondays in pandas
    "M": ("1mo", "MS"),
}
#: The ``freq`` parameter's constraint.
FREQ = Choice(tuple(FREQS))


# --------------------------------------------------------------------------- shared helpers


def _load_messages(
    messages: Any,
    columns: Sequence[str],
    *,
    time: str | None = None,
    optional: Sequence[str] = (),
) -> nw.LazyFrame:
    """The messages as a lazy frame, refused when a column is absent, empty or unusable.

    ``columns`` may not be missing in any row, ``optional`` ones may; ``time`` (one of
    ``columns``, when given) must be a timestamp.
    """
    function = current_function()
    lazy = as_lazy(messages, "messages")
    available = columns_of(lazy)
    require_names(available, [*columns, *optional], function, table="messages")
    if time is not None and not isinstance(lazy.collect_schema()[time], nw.Datetime):
        raise SchemaError(
            f"{function}: column {time!r} of the messages table has dtype "
            f"{lazy.collect_schema()[time]}; expected a timestamp.",
            table="messages",
            column=time,
        )
    summary = to_pandas(
        lazy.select(
            nw.len().alias("_rows"),
            *[nw.col(c).is_null().cast(nw.Int64).sum().alias(c) for c in columns],
        )
    )
    if len(summary) == 0 or int(summary["_rows"].iloc[0]) == 0:
        raise ParameterError(
            f"The 'messages' parameter of {function} has no rows; expected at least one message."
        )
    for column in columns:
        n_missing = int(summary[column].fillna(0).iloc[0])
        if n_missing:
            raise SchemaError(
                f"{function}: column {column!r} of the messages table is missing in "
                f"{n_missing} row(s); expected a value in every row.",
                table="messages",
                column=column,
            )
    return lazy


def _check_labels(lazy: nw.LazyFrame, sentiment: str) -> nw.LazyFrame:
    """Refuse sentiment labels other than negative/neutral/positive; labels cast to text."""
    function = current_function()
    lazy = lazy.with_columns(nw.col(sentiment).cast(nw.String))
    found = to_pandas(lazy.select(nw.col(sentiment)).unique())[sentiment].dropna()
    unknown = sorted(set(map(str, found)) - set(SENTIMENTS))
    if unknown:
        raise SchemaError(
            f"{function}: column {sentiment!r} of the messages table has label(s) "
            f"{', '.join(map(repr, unknown))}; expected one of {list(SENTIMENTS)} "
            f"(or missing).{suggest(unknown[0], SENTIMENTS)}",
            table="messages",
            column=sentiment,
        )
    return lazy


def _count_messages(
    lazy: nw.LazyFrame, keys: Sequence[str], *, time: str, freq: str | None
) -> pd.DataFrame:
    """Messages per combination of ``keys`` (and ``period`` when ``freq`` is given)."""
    groups = list(keys)
    if freq is not None:
        aware = lazy.collect_schema()[time].time_zone is not None
        lazy = utc_wall_clock(lazy, time)  # periods are cut in UTC on every backend
        lazy = lazy.with_columns(nw.col(time).dt.truncate(FREQS[freq][0]).alias("period"))
        groups.append("period")
    if keys:
        lazy = lazy.with_columns(*[nw.col(k).cast(nw.String) for k in keys])
    if groups:
        counted = lazy.group_by(*groups).agg(nw.len().alias("mentions"))
    else:
        counted = lazy.select(nw.len().alias("mentions"))
    counts = to_pandas(counted)
    counts["mentions"] = counts["mentions"].astype("int64")
    if freq is None:
        return counts
    period = pd.to_datetime(counts["period"])
    counts["period"] = as_utc(period) if aware else period.dt.as_unit("ns")
    if freq == "W":
        counts["period"] = counts["period"] - pd.to_timedelta(
            counts["period"].dt.day_of_week, unit="D"
        )
        counts = counts.groupby(groups, as_index=False, sort=False)["mentions"].sum()
    return counts


def _complete(counts: pd.DataFrame, levels: dict[str, Sequence[object]]) -> pd.DataFrame:
    """Every combination of ``levels`` (in that order), counts of absent ones set to 0."""
    if not levels:
        return counts.reset_index(drop=True)
    grid = pd.MultiIndex.from_product(list(levels.values()), names=list(levels))
    full = counts.set_index(list(levels))["mentions"].reindex(grid, fill_value=0)
    return full.astype("int64").reset_index()


def _period_grid(counts: pd.DataFrame, freq: str) -> pd.DatetimeIndex:
    """Every period from the first to the last one in ``counts``."""
    return pd.date_range(counts["period"].min(), counts["period"].max(), freq=FREQS[freq][1])


def _keys(by: str | None) -> list[str]:
    return [by] if by is not None else []


def _sorted_levels(values: pd.Series) -> list[str]:
    return sorted(values.dropna().astype(str).unique())


# ----------------------------------------------------------------------------------- volume


@checks(freq=FREQ, by=OrNone(COLUMN), time=COLUMN, sentiment=OrNone(COLUMN))
def mention_volume(
    messages: Any,
    *,
    freq: str = "D",
    by: str | None = "brand",
    time: str = "time",
    sentiment: str | None = None,
) -> pd.DataFrame:
    """Mentions per brand per period, with zero-filled periods.

    Parameters
    ----------
    messages : pandas.DataFrame or DuckDB relation
        A ``messages`` table.
    freq : {"h", "D", "W", "M"}, default "D"
        Period length: UTC hour, day, week starting Monday, calendar month.
    by : str or None, default "brand"
        Column to count per (None: all messages together).
    time : str, default "time"
        Timestamp column.
    sentiment : str or None, default None
        Sentiment column to split the counts by; messages without a label are then left out
        of the counts (they still set the brands and periods listed, so data without any
        label give zeros).

    Returns
    -------
    pandas.DataFrame
        Columns ``by`` (when given), ``period`` (start, ``datetime64[ns]``), ``sentiment``
        (when split; every label of negative/neutral/positive) and ``mentions``; one row per
        combination, every period from the first to the last message, sorted.

    Raises
    ------
    SchemaError
        A column is absent (with a did-you-mean), missing in some rows, ``time`` is not a
        timestamp, or ``sentiment`` holds an unknown label.
    ParameterError
        ``freq`` is unknown or there are no messages.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> tweets = load_dataset("twitter_airline_sentiment")
    >>> volume = mention_volume(tweets)
    >>> volume[volume["brand"] == "United"].head(2)
         brand                    period  mentions
    32  United 2015-02-17 00:00:00+00:00       252
    33  United 2015-02-18 00:00:00+00:00       408
    """
    keys = _keys(by)
    split = [sentiment] if sentiment is not None else []
    lazy = _load_messages(messages, [*keys, time], time=time, optional=split)
    if sentiment is not None:
        lazy = _check_labels(lazy, sentiment)
    counts = _count_messages(lazy, [*keys, *split], time=time, freq=freq)
    levels: dict[str, Sequence[object]] = {k: _sorted_levels(counts[k]) for k in keys}
    levels["period"] = _period_grid(counts, freq)
    if sentiment is not None:
        levels[sentiment] = list(SENTIMENTS)
        counts = counts[counts[sentiment].notna()]
    return _complete(counts, levels)


# ----------------------------------------------------------------------------- share of voice


@checks(freq=OrNone(FREQ), brands=OrNone(NAMES), brand=COLUMN, time=COLUMN, alpha=ALPHA)
def share_of_voice(
    messages: Any,
    *,
    freq: str | None = None,
    brands: Sequence[str] | None = None,
    brand: str = "brand",
    time: str = "time",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Each tracked brand's mentions as a share of all tracked brands' mentions.

    ``share = mentions / total`` where ``total`` counts the mentions of the tracked brands in
    the same period (messages about other brands are left out). The interval is the Wilson
    score interval of a binomial proportion (``statsmodels`` ``proportion_confint``,
    ``method="wilson"``) for each brand on its own; it is marginal, not a simultaneous band
    for all brands. A brand with no mentions in a period gets 0; a period in which no tracked
    brand is mentioned gets NaN shares.

    Parameters
    ----------
    messages : pandas.DataFrame or DuckDB relation
        A ``messages`` table.
    freq : {None, "h", "D", "W", "M"}, default None
        None: one share per brand over all the data; otherwise per period (see
        :func:`mention_volume`).
    brands : sequence of str, optional
        The tracked brands (default: every brand in the data). Each must occur in the data.
    brand, time : str
        Brand and timestamp columns.
    alpha : float, default 0.05
        1 - confidence level of the interval.

    Returns
    -------
    pandas.DataFrame
        Columns ``period`` (only with ``freq``), ``brand``, ``mentions``, ``total``,
        ``share``, ``ci_low``, ``ci_high``, ``method``; sorted by period then brand.

    Raises
    ------
    SchemaError
        A column is absent or missing in some rows, or ``time`` is not a timestamp.
    ParameterError
        ``freq`` is unknown, ``alpha`` is outside (0, 1), a tracked brand is not in the data
        (with a did-you-mean), or there are no messages.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> tweets = load_dataset("twitter_airline_sentiment")
    >>> sov = share_of_voice(tweets, brands=["United", "Delta"])
    >>> sov[["brand", "mentions", "total", "share", "ci_low", "ci_high"]]
        brand  mentions  total     share    ci_low   ci_high
    0   Delta      2222   6044  0.367637  0.355569  0.379873
    1  United      3822   6044  0.632363  0.620127  0.644431
    """
    lazy = _load_messages(messages, [brand, time], time=time)
    counts = _count_messages(lazy, [brand], time=time, freq=freq)
    present = _sorted_levels(counts[brand])
    tracked = _tracked(brands, present)
    levels: dict[str, Sequence[object]] = {}
    if freq is not None:
        levels["period"] = _period_grid(counts, freq)
    levels[brand] = tracked
    table = _complete(counts[counts[brand].isin(tracked)], levels)
    if freq is None:
        table = table.assign(total=table["mentions"].sum())
    else:
        table["total"] = table.groupby("period")["mentions"].transform("sum")
    table["total"] = table["total"].astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        table["share"] = table["mentions"] / table["total"].where(table["total"] > 0)
    table["ci_low"], table["ci_high"] = wilson(table["mentions"], table["total"], alpha)
    table["method"] = f"share of tracked brands' mentions, {level_text(alpha)} Wilson interval"
    return table


def _tracked(brands: Sequence[str] | None, present: list[str]) -> list[str]:
    if brands is None:
        return present
    for name in brands:
        if name not in present:
            raise ParameterError(
                f"The 'brands' parameter of {current_function()} names {name!r}, which has no "
                f"mentions in the data; brands in the data: {present}.{suggest(name, present)}"
            )
    return sorted(set(brands))


# ------------------------------------------------------------------------------ net sentiment


@checks(by=OrNone(COLUMN), freq=OrNone(FREQ), sentiment=COLUMN, time=COLUMN, alpha=ALPHA)
def net_sentiment(
    messages: Any,
    *,
    by: str | None = "brand",
    freq: str | None = None,
    sentiment: str = "sentiment",
    time: str = "time",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Net sentiment (positive - negative) / (positive + negative), with a Wilson-based CI.

    With ``p = positive / (positive + negative)`` the net sentiment is ``2p - 1``. The
    interval is the Wilson score interval of ``p`` (``statsmodels`` ``proportion_confint``,
    ``method="wilson"``) mapped through ``2p - 1``; the map is increasing, so the interval
    keeps the Wilson coverage and stays within [-1, 1]. Neutral messages are counted
    (``n_neutral``) but are not part of the ratio; unlabelled messages are not counted (a
    brand or period with only unlabelled messages still gets its row). Where there are no
    positive and no negative messages the estimate and interval are NaN and ``note`` says
    why.

    Parameters
    ----------
    messages : pandas.DataFrame or DuckDB relation
        A ``messages`` table with a sentiment column (negative, neutral, positive).
    by : str or None, default "brand"
        Column to compute it per (None: all messages together).
    freq : {None, "h", "D", "W", "M"}, default None
        None: over all the data; otherwise per period (see :func:`mention_volume`).
    sentiment, time : str
        Sentiment and timestamp columns (``time`` is used only with ``freq``).
    alpha : float, default 0.05
        1 - confidence level of the interval.

    Returns
    -------
    pandas.DataFrame
        Columns ``by`` (when given), ``period`` (only with ``freq``), ``n_positive``,
        ``n_negative``, ``n_neutral``, ``n`` (positive + negative, the denominator),
        ``estimate``, ``ci_low``, ``ci_high``, ``method``, ``note`` (None unless the
        estimate is undefined).

    Raises
    ------
    SchemaError
        A column is absent or missing in some rows, ``time`` is not a timestamp, or
        ``sentiment`` holds an unknown label.
    ParameterError
        ``freq`` is unknown, ``alpha`` is outside (0, 1), or there are no messages.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> tweets = load_dataset("twitter_airline_sentiment")
    >>> nss = net_sentiment(tweets)
    >>> nss[["brand", "n_positive", "n_negative", "estimate", "ci_low", "ci_high"]].head(2)
          brand  n_positive  n_negative  estimate    ci_low   ci_high
    0  American         307        1865 -0.717311 -0.745348 -0.686741
    1     Delta         544         955 -0.274183 -0.322108 -0.224856
    """
    keys = _keys(by)
    timed = time if freq is not None else None
    required = [*keys, time] if timed else keys
    lazy = _load_messages(messages, required, time=timed, optional=[sentiment])
    lazy = _check_labels(lazy, sentiment)
    counts = _count_messages(lazy, [*keys, sentiment], time=time, freq=freq)
    levels: dict[str, Sequence[object]] = {k: _sorted_levels(counts[k]) for k in keys}
    if freq is not None:
        levels["period"] = _period_grid(counts, freq)
    levels[sentiment] = list(SENTIMENTS)
    groups = [c for c in levels if c != sentiment]
    full = _complete(counts[counts[sentiment].notna()], levels)
    if groups:
        wide = full.pivot(index=groups, columns=sentiment, values="mentions").reset_index()
    else:
        wide = full.set_index(sentiment)[["mentions"]].T.reset_index(drop=True)
    wide.columns.name = None
    table = wide.rename(columns={label: f"n_{label}" for label in SENTIMENTS})
    table = table[[*groups, "n_positive", "n_negative", "n_neutral"]]
    table = table.astype({c: "int64" for c in ("n_positive", "n_negative", "n_neutral")})
    table["n"] = table["n_positive"] + table["n_negative"]
    with np.errstate(invalid="ignore", divide="ignore"):
        table["estimate"] = (table["n_positive"] - table["n_negative"]) / table["n"].where(
            table["n"] > 0
        )
    low, high = wilson(table["n_positive"], table["n"], alpha)
    table["ci_low"], table["ci_high"] = 2 * low - 1, 2 * high - 1
    table["method"] = f"(pos - neg) / (pos + neg), {level_text(alpha)} Wilson interval of pos share"
    table["note"] = np.where(table["n"] > 0, None, "no positive or negative messages")
    return table.reset_index(drop=True)
