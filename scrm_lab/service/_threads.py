"""Social customer service measures from message threads (the definitions, version 1).

A *thread* is an opening customer message (``reply_to`` missing) and every message that
replies to it, directly or through other replies. Definitions (version 1):

- *first response*: the earliest brand message in the thread; ``first_response_minutes`` is
  its time minus the opening time. A thread without one is *unanswered*: its delay is
  unknown (censored), never counted as 0 minutes, and it is left out of the medians.
- *resolution*: the thread's last message is a brand reply and at least ``quiet_hours``
  passed after it without a customer message before the end of the data (``as_of``); it is
  resolved at that reply. A customer's last word (even "thanks") leaves the thread open.
- *business hours*: the opening message falls on Monday-Friday (any day with
  ``weekends=True``) within ``[open, close)`` o'clock in ``timezone``.
- *within SLA*: answered within ``sla_minutes``. An unanswered thread counts as a miss
  once it has been open ``sla_minutes`` by ``as_of``; one opened later is undecided and
  left out of the SLA share's denominator.

Medians are over answered (resolved) threads and always come with the answered (resolved)
share, because a Kaplan-Meier median would treat never-answered messages as "answered later"
- wrong for messages a brand ignores. Their intervals are the distribution-free
order-statistic (binomial) intervals of :func:`scipy.stats.quantile_test`: exact coverage
of at least 1 - alpha for any continuous distribution, no resampling, and no normal
approximation for these very skewed delays. Shares get Wilson intervals (statsmodels).

:func:`service_threads` takes the messages on pandas, DuckDB or Spark; the thread table it
returns, which :func:`service_levels` and :func:`compare_channels` read, is pandas.

Examples
--------
>>> from scrm_lab.synth import simulate_service_threads
>>> threads = service_threads(simulate_service_threads(n_threads=400).messages)
>>> service_levels(threads, by="all")[["n", "answered"]]
   n  answered
0  400       362
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd
from scipy import stats

from scrm_lab._calendar import in_business_hours
from scrm_lab._checks import (
    ALPHA,
    SEED,
    BusinessHours,
    Choice,
    ColumnNames,
    Flag,
    Instance,
    Integer,
    Many,
    OrNone,
    Real,
    Text,
    check,
    checks,
    current_function,
    refuse,
    renamed,
    require_columns,
    suggest,
)
from scrm_lab._frames import as_lazy, as_utc, columns_of, to_pandas
from scrm_lab._proportions import wilson
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.schema import SENTIMENTS, validate
from scrm_lab.service._thread_roots import (
    brand_flag_expr,
    brand_flags,
    check_lazy,
    lazy_roots,
    pandas_roots,
)

__all__ = [
    "SERVICE_GROUPS",
    "SERVICE_METRICS",
    "compare_channels",
    "service_levels",
    "service_threads",
]

#: Groupings of :func:`service_levels` ("all": one row for every thread).
SERVICE_GROUPS = ("channel", "business_hours", "sentiment", "brand", "all")
#: Duration columns :func:`compare_channels` compares.
SERVICE_METRICS = ("first_response_minutes", "resolution_minutes")
_THREAD_COLUMNS = ["thread_id", "brand", "channel", "customer", "opened_at", "sentiment",
                   "business_hours", "messages", "follow_ups", "answered", "first_response_at",
                   "first_response_minutes", "resolved", "resolved_at", "resolution_minutes",
                   "observed_minutes"]  # fmt: skip


#: Columns of :func:`service_levels` after the group column.
_LEVEL_COLUMNS = ["n", "answered", "answered_share", "answered_ci_low", "answered_ci_high",
                  "median_first_response_minutes", "median_ci_low", "median_ci_high", "sla_n",
                  "within_sla", "sla_share", "sla_ci_low", "sla_ci_high", "resolved",
                  "resolved_share", "median_resolution_minutes"]  # fmt: skip

#: Columns of a thread's opening message kept in the thread table.
_OPENER = ("brand", "channel", "author", "time", "sentiment")
_LABELS = pd.CategoricalDtype(pd.Index(SENTIMENTS))
_ZONE = Text("an IANA time zone such as 'UTC' or 'Europe/Paris'")
_AS_OF = OrNone(Instance((str, pd.Timestamp), "a time such as '2024-02-01 00:00'"))
_METRIC = Choice(tuple(SERVICE_METRICS))


def _timezone(timezone: object) -> str:
    try:
        pd.Timestamp("2024-01-01", tz=timezone)  # type: ignore[arg-type]
    except (TypeError, ValueError, KeyError) as err:
        raise refuse("timezone", _ZONE.expected, timezone) from err
    return str(timezone)


@checks(
    brand_authors=OrNone(Many(Text(), "a list of author handles")),
    timezone=_ZONE,
    business_hours=BusinessHours(),
    weekends=Flag(),
    quiet_hours=Real(low=0),
    as_of=_AS_OF,
)
def service_threads(
    messages: Any,
    *,
    brand_authors: Sequence[str] | None = None,
    timezone: str = "UTC",
    business_hours: tuple[int, int] = (9, 18),
    weekends: bool = False,
    quiet_hours: float = 24.0,
    as_of: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """One row per customer service thread: first response, resolution, business hours.

    Definitions are in the module docstring. Threads opened by the brand itself (its own
    posts) are not service requests and are left out.

    The message-level work runs on the table's own backend through narwhals: the brand's
    messages, each message's opener (on DuckDB and Spark by joins, one step up the reply
    chains per round), and per thread its size and first and last times. Only that
    one-row-per-thread table comes to pandas, where business hours, delays and resolution
    are worked out.

    Parameters
    ----------
    messages : pandas.DataFrame, DuckDB relation or PySpark DataFrame
        Canonical ``messages`` table with ``reply_to`` (see :mod:`scrm_lab.schema`). A
        pandas table is checked with :func:`scrm_lab.schema.validate`; on DuckDB or Spark the
        columns read here are checked on the backend (errors name the first bad
        ``message_id``, as rows have no order there) and the ``channel`` categories of the
        result are the channels in the data, sorted (pandas keeps the table's categories).
    brand_authors : sequence of str, optional
        The brand's own handles; default: the ``author_is_brand`` column.
    timezone : str
        IANA time zone in which business hours are judged.
    business_hours : (int, int)
        Opening and closing hour, ``0 <= open < close <= 24``.
    weekends : bool
        Whether Saturday and Sunday are business days.
    quiet_hours : float
        Hours without a customer message after the brand's last reply before a thread counts
        as resolved, >= 0.
    as_of : str or pandas.Timestamp, optional
        When the data were exported (UTC if naive); default: the last message's time.

    Returns
    -------
    pandas.DataFrame
        Columns ``thread_id`` (opening message_id), ``brand``, ``channel``, ``customer``
        (opening author), ``opened_at``, ``sentiment`` (of the opening message; missing
        without a ``sentiment`` column), ``business_hours``, ``messages``, ``follow_ups``
        (customer messages after the opening), ``answered``, ``first_response_at``,
        ``first_response_minutes``, ``resolved``, ``resolved_at``, ``resolution_minutes``,
        ``observed_minutes`` (opening to ``as_of``); sorted by ``opened_at``.

    Raises
    ------
    SchemaError
        The table is not a valid ``messages`` table, lacks ``reply_to`` or the brand flags,
        or a reply points to an unknown message, precedes its parent, or is in a cycle.
    ParameterError
        A parameter is out of range.

    Examples
    --------
    >>> from scrm_lab.synth import simulate_service_threads
    >>> sim = simulate_service_threads(n_threads=50, seed=3)
    >>> threads = service_threads(sim.messages)
    >>> len(threads), int(threads["answered"].sum()) == int(sim.latent["answered"].sum())
    (50, True)
    """
    zone = _timezone(timezone)
    hours = (int(business_hours[0]), int(business_hours[1]))
    if isinstance(messages, pd.DataFrame):
        validate(messages, "messages")
        require_columns(messages, ["reply_to"], current_function())
        data = messages.reset_index(drop=True)
        is_brand = brand_flags(data, brand_authors)
        ids = data["message_id"].to_numpy(dtype=object)
        table = as_lazy(
            pd.DataFrame({"message_id": ids, "root": ids[pandas_roots(data)], "time": data["time"],
                          "brand_msg": is_brand, **{c: data[c] for c in _OPENER if c in data}})
        )  # fmt: skip
        labels = data["sentiment"].dtype if "sentiment" in data else _LABELS
        kinds = {"channel": data["channel"].dtype, "sentiment": labels}
        end = data["time"].max() if len(data) else pd.NaT
    else:
        lazy = check_lazy(as_lazy(messages, "messages"), brand_authors)
        table = lazy.join(lazy_roots(lazy), on="message_id").with_columns(
            brand_flag_expr(brand_authors).alias("brand_msg")
        )
        latest = to_pandas(
            lazy.group_by(nw.col("channel").cast(nw.String)).agg(nw.col("time").max())
        )  # channels are categories in pandas: here the ones in the data, sorted
        kinds = {"channel": pd.CategoricalDtype(sorted(latest["channel"])), "sentiment": _LABELS}
        end = as_utc(latest["time"]).max() if len(latest) else pd.NaT
    if as_of is not None:
        try:
            stamp = pd.Timestamp(as_of)
        except (TypeError, ValueError) as err:
            raise refuse("as_of", _AS_OF.inner.expected, as_of) from err
        stamp = stamp.tz_localize("UTC") if stamp.tz is None else stamp.tz_convert("UTC")
        if pd.notna(end) and stamp < end:
            raise refuse("as_of", f"at or after the last message ({end})", stamp)
        end = stamp
    found = _per_thread(table)
    threads = _finish(found, kinds, end, zone, hours, bool(weekends), float(quiet_hours))
    threads = threads.sort_values(["opened_at", "thread_id"], kind="stable")
    return threads.reset_index(drop=True)[_THREAD_COLUMNS]


def _per_thread(table: nw.LazyFrame) -> pd.DataFrame:
    """Each customer thread's opener and counts and times, computed on the backend.

    ``table`` has ``message_id``, ``root`` (the opener's id), ``time``, ``brand_msg`` and the
    opener's columns; one row per thread comes back.
    """
    brand, time = nw.col("brand_msg"), nw.col("time")
    counted = (
        table.with_columns(
            nw.when(brand).then(time).alias("_brand_at"),
            nw.when(~brand).then(time).alias("_customer_at"),
            (~brand).cast(nw.Int64).alias("_customer"),
        )
        .group_by("root")
        .agg(
            nw.len().alias("messages"),
            nw.col("_customer").sum().alias("customer_messages"),
            nw.col("_brand_at").min().alias("first_response_at"),
            nw.col("_brand_at").max().alias("last_brand_at"),
            nw.col("_customer_at").max().alias("last_customer_at"),
        )
    )
    present = columns_of(table)
    openers = table.filter((nw.col("message_id") == nw.col("root")) & ~brand).select(
        nw.col("message_id").alias("thread_id"),
        *[nw.col(c).cast(nw.String) if c != "time" else time for c in _OPENER if c in present],
    )
    return to_pandas(openers.join(counted, left_on="thread_id", right_on="root", how="inner"))


def _finish(
    found: pd.DataFrame,
    kinds: dict[str, pd.CategoricalDtype],
    end: pd.Timestamp,
    zone: str,
    hours: tuple[int, int],
    weekends: bool,
    quiet_hours: float,
) -> pd.DataFrame:
    """The thread table from the per-thread counts and times (small: pandas)."""
    opened = as_utc(found["time"])
    first_at = as_utc(found["first_response_at"])
    last_brand, last_customer = as_utc(found["last_brand_at"]), as_utc(found["last_customer_at"])
    # the last message is the brand's when its latest reply is not before the customer's last
    brand_last = last_brand.notna() & (last_brand >= last_customer)
    closed = brand_last & (end - last_brand >= pd.Timedelta(hours=quiet_hours))
    resolved_at = last_brand.where(closed)
    minutes = pd.Timedelta(minutes=1)
    labels = found["sentiment"] if "sentiment" in found else pd.Series([None] * len(found))
    unknown = sorted(set(labels.dropna()) - set(kinds["sentiment"].categories))
    if unknown:
        raise SchemaError(
            f"{current_function()}: column 'sentiment' of the messages table has label(s) "
            f"{', '.join(map(repr, unknown))}; expected one of {list(SENTIMENTS)} (or missing).",
            table="messages",
            column="sentiment",
        )
    return pd.DataFrame(
        {
            "thread_id": found["thread_id"].astype("str"),
            "brand": found["brand"].astype("str"),
            "channel": found["channel"].astype(kinds["channel"]),
            "customer": found["author"].astype("str"),
            "opened_at": opened,
            "sentiment": labels.astype(kinds["sentiment"]),
            "business_hours": in_business_hours(opened.dt.tz_convert(zone), hours, weekends),
            "messages": found["messages"].astype("int64"),
            "follow_ups": found["customer_messages"].astype("int64") - 1,
            "answered": first_at.notna(),
            "first_response_at": first_at,
            "first_response_minutes": (first_at - opened) / minutes,
            "resolved": closed.astype(bool),
            "resolved_at": resolved_at,
            "resolution_minutes": (resolved_at - opened) / minutes,
            "observed_minutes": (end - opened) / minutes,
        }
    )


def _wilson(count: int, n: int, alpha: float) -> tuple[float, float]:
    low, high = wilson(count, n, alpha)
    return float(low), float(high)


def _median_ci(values: np.ndarray, alpha: float) -> tuple[float, float, float]:
    """Median and its order-statistic interval (missing when n is too small for one)."""
    if values.size == 0:
        return math.nan, math.nan, math.nan
    median = float(np.median(values))
    ci = stats.quantile_test(values, q=median, p=0.5).confidence_interval(1 - alpha)
    return median, float(ci.low), float(ci.high)


@checks(by=Choice(tuple(SERVICE_GROUPS)), sla_minutes=Real(low=0, low_open=True), alpha=ALPHA)
def service_levels(
    threads: pd.DataFrame, *, by: str = "channel", sla_minutes: float = 60.0, alpha: float = 0.05
) -> pd.DataFrame:
    """Service levels per group: answered share, median first response, SLA share, resolution.

    Parameters
    ----------
    threads : pandas.DataFrame
        The output of :func:`service_threads`.
    by : str
        One of :data:`SERVICE_GROUPS`; rows whose group is missing are left out.
    sla_minutes : float
        Service level target in minutes, > 0.
    alpha : float
        Intervals are 1 - alpha.

    Returns
    -------
    pandas.DataFrame
        One row per group (none when there are no threads), columns in this order: ``<by>``,
        ``n`` (threads), ``answered``, ``answered_share``, ``answered_ci_low``,
        ``answered_ci_high`` (Wilson),
        ``median_first_response_minutes``, ``median_ci_low``, ``median_ci_high`` (answered
        threads; order-statistic interval, missing below 6 answered threads at alpha 0.05),
        ``sla_n`` (threads whose SLA outcome is known), ``within_sla``, ``sla_share``,
        ``sla_ci_low``, ``sla_ci_high`` (Wilson), ``resolved``, ``resolved_share``,
        ``median_resolution_minutes`` (resolved threads).

    Raises
    ------
    ParameterError
        ``by`` is not a grouping, ``sla_minutes`` is not positive, ``alpha`` not in (0, 1).
    SchemaError
        A column of :func:`service_threads`' output is missing, or threads exist but none
        has a value of ``by``.

    Examples
    --------
    >>> from scrm_lab.synth import simulate_service_threads
    >>> threads = service_threads(simulate_service_threads(n_threads=200).messages)
    >>> service_levels(threads, by="business_hours")[["business_hours", "n"]]
       business_hours    n
    0           False  157
    1            True   43
    """
    require_columns(threads, _THREAD_COLUMNS, current_function())
    sla, level = float(sla_minutes), float(alpha)
    key = np.full(len(threads), "all", dtype=object) if by == "all" else threads[by]
    rows = []
    for group, part in threads.groupby(key, observed=True, sort=True):
        delay = part["first_response_minutes"].to_numpy(dtype=float)
        answered = part["answered"].to_numpy(dtype=bool)
        decided = answered | (part["observed_minutes"].to_numpy(dtype=float) >= sla)
        within = int((answered & (delay <= sla)).sum())
        median, median_low, median_high = _median_ci(delay[answered], level)
        resolved = part["resolved"].to_numpy(dtype=bool)
        n, n_answered, n_decided = len(part), int(answered.sum()), int(decided.sum())
        rows.append(
            {
                by: group,
                "n": n,
                "answered": n_answered,
                "answered_share": n_answered / n,
                **dict(zip(("answered_ci_low", "answered_ci_high"),
                           _wilson(n_answered, n, level), strict=True)),
                "median_first_response_minutes": median,
                "median_ci_low": median_low,
                "median_ci_high": median_high,
                "sla_n": n_decided,
                "within_sla": within,
                "sla_share": within / n_decided if n_decided else math.nan,
                **dict(zip(("sla_ci_low", "sla_ci_high"), _wilson(within, n_decided, level),
                           strict=True)),
                "resolved": int(resolved.sum()),
                "resolved_share": resolved.mean(),
                "median_resolution_minutes": (
                    float(np.median(part["resolution_minutes"].to_numpy(dtype=float)[resolved]))
                    if resolved.any() else math.nan
                ),
            }
        )  # fmt: skip
    if not rows and len(threads):
        raise SchemaError(
            f"{current_function()}: column '{by}' has no values in the {len(threads)} threads; "
            "expected at least one thread with a group.",
            column=by,
        )
    return pd.DataFrame(rows, columns=[by, *_LEVEL_COLUMNS])


def _channels(value: object, name: str, known: list[str]) -> list[str]:
    names = [value] if isinstance(value, str) else list(value)  # checked by compare_channels
    for v in names:
        if v not in known:
            raise refuse(name, f"channels with values: {known}", v, suggest(v, known))
    return list(names)


@checks(
    fast=OrNone(ColumnNames()),
    slow=OrNone(ColumnNames()),
    value=_METRIC,
    alpha=ALPHA,
    n_resamples=Integer(low=100),
    seed=SEED,
    metric=OrNone(_METRIC),
)
def compare_channels(
    threads: pd.DataFrame,
    *,
    fast: str | Sequence[str] | None = None,
    slow: str | Sequence[str] | None = None,
    value: str = "first_response_minutes",
    alpha: float = 0.05,
    n_resamples: int = 2000,
    seed: int = 0,
    metric: str | None = None,
) -> pd.DataFrame:
    """Compare response (or resolution) times of fast channels with slow ones.

    Only answered (resolved) threads have a time; compare the answered shares with
    :func:`service_levels`. The estimate is the difference of medians, slow minus fast,
    with a percentile bootstrap interval (:func:`scipy.stats.bootstrap`, resampling each
    group); the test is the two-sided Mann-Whitney U test (:func:`scipy.stats.mannwhitneyu`),
    which compares whole distributions without assuming a shape, apt for skewed delays.
    (:func:`scrm_lab.models.compare_groups` compares means across many groups; here two
    sets of channels and medians are at stake.)

    Parameters
    ----------
    threads : pandas.DataFrame
        The output of :func:`service_threads`.
    fast, slow : str or sequence of str, optional
        Channels of each side. Default: ``fast`` the channel with the lowest median,
        ``slow`` the one with the highest; ``slow`` alone omitted: every other channel.
    value : str, default "first_response_minutes"
        The time compared, one of :data:`SERVICE_METRICS`.
    alpha : float
        The interval is 1 - alpha.
    n_resamples : int
        Bootstrap resamples, >= 100.
    seed : int
        Seed of the bootstrap, >= 0.
    metric : str, optional
        Deprecated name of ``value`` (a FutureWarning says so); removed in the next minor
        version.

    Returns
    -------
    pandas.DataFrame
        One row: ``metric``, ``fast``, ``slow`` (channels joined with ", "), ``n_fast``,
        ``n_slow``, ``median_fast``, ``median_slow``, ``n``, ``estimate`` (median slow -
        median fast, minutes), ``ci_low``, ``ci_high`` (missing when a side has a single
        time: nothing to resample), ``statistic`` (U of the slow side),
        ``p_value``, ``effect_size`` (U / (n_fast n_slow): the probability that a slow
        thread waits longer than a fast one, ties counting half), ``method``, ``clear``
        (True when the interval excludes zero). The ``metric`` column names ``value``.

    Raises
    ------
    ParameterError
        Unknown or overlapping channels, a bad ``value``, ``alpha``, ``n_resamples`` or
        ``seed``, or a side without values.

    Examples
    --------
    >>> from scrm_lab.synth import simulate_service_threads
    >>> threads = service_threads(simulate_service_threads(n_threads=400).messages)
    >>> row = compare_channels(threads, fast="twitter", slow="email").iloc[0]
    >>> row["estimate"] > 0, row["p_value"] < 0.05
    (np.True_, np.True_)
    """
    function = current_function()
    if metric is not None:
        value = check(renamed("metric", "value", metric, function), "metric", _METRIC)
    require_columns(threads, ["channel", *SERVICE_METRICS], function)
    metric, level = value, float(alpha)
    timed = threads[threads[metric].notna()]
    medians = timed.groupby("channel", observed=True)[metric].median().sort_values()
    known = [str(c) for c in medians.index]
    if len(known) < 2:
        raise ParameterError(
            f"{function} needs at least two channels with a {metric}; found {known}."
        )
    fast_set = _channels(known[0] if fast is None else fast, "fast", known)
    rest = [c for c in known if c not in fast_set]
    default_slow = (known[-1] if fast is None else rest) if slow is None else slow
    slow_set = _channels(default_slow, "slow", known)
    if set(fast_set) & set(slow_set) or not slow_set:
        raise ParameterError(
            f"The 'fast' and 'slow' parameters of {function} must name different channels. "
            f"Got fast={fast_set} and slow={slow_set} instead."
        )
    x = timed.loc[timed["channel"].isin(fast_set), metric].to_numpy(dtype=float)
    y = timed.loc[timed["channel"].isin(slow_set), metric].to_numpy(dtype=float)
    test = stats.mannwhitneyu(y, x, alternative="two-sided")

    def gap(slow_values: np.ndarray, fast_values: np.ndarray, axis: int = -1) -> np.ndarray:
        return np.median(slow_values, axis=axis) - np.median(fast_values, axis=axis)

    low = high = math.nan  # a side with one time has no bootstrap distribution
    if min(x.size, y.size) >= 2:
        boot = stats.bootstrap((y, x), gap, confidence_level=1 - level, n_resamples=n_resamples,
                               method="percentile", rng=np.random.default_rng(seed))  # fmt: skip
        low, high = float(boot.confidence_interval.low), float(boot.confidence_interval.high)
    return pd.DataFrame(
        [
            {
                "metric": metric,
                "fast": ", ".join(fast_set),
                "slow": ", ".join(slow_set),
                "n_fast": x.size,
                "n_slow": y.size,
                "median_fast": float(np.median(x)),
                "median_slow": float(np.median(y)),
                "n": x.size + y.size,
                "estimate": float(gap(y, x)),
                "ci_low": low,
                "ci_high": high,
                "statistic": float(test.statistic),
                "p_value": float(test.pvalue),
                "effect_size": float(test.statistic) / (x.size * y.size),
                "method": "difference of medians, percentile bootstrap; Mann-Whitney U",
                "clear": bool(low > 0 or high < 0),
            }
        ]
    )
