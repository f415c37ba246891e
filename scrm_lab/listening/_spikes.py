"""Negative mentions: complaint reasons ranked per brand, bursts (spikes) and the messages in them.

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> tweets = load_dataset("twitter_airline_sentiment")
>>> complaint_reasons(tweets, top=1)[["brand", "reason", "count", "n_negative"]].head(2)
      brand                  reason  count  n_negative
0  American  Customer Service Issue    739        1865
1     Delta             Late Flight    269         955
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
    Choice,
    Flag,
    Integer,
    OrNone,
    Real,
    Text,
    checks,
    current_function,
)
from scrm_lab._frames import to_pandas
from scrm_lab._proportions import wilson
from scrm_lab.exceptions import SchemaError
from scrm_lab.listening._mentions import (
    FREQ,
    FREQS,
    _check_labels,
    _complete,
    _count_messages,
    _keys,
    _load_messages,
    _period_grid,
)
from scrm_lab.models import level_text
from scrm_lab.privacy import pseudonymize, pseudonymize_mentions
from scrm_lab.schema import SENTIMENTS

__all__ = ["SPIKE_COLUMNS", "complaint_reasons", "detect_spikes", "spike_messages"]

#: Columns of :func:`detect_spikes` after the ``by`` column, in order.
SPIKE_COLUMNS = ["period", "period_end", "label", "count", "baseline", "statistic", "p_value",
                 "method"]  # fmt: skip
#: Expected count used when the trailing median is 0 (a quiet stretch), per period.
BASELINE_FLOOR = 0.5


# ------------------------------------------------------------------------ complaint reasons


@checks(top=OrNone(Integer(low=1)), by=OrNone(COLUMN), sentiment=COLUMN, reason=COLUMN, alpha=ALPHA)
def complaint_reasons(
    messages: Any,
    *,
    by: str | None = "brand",
    reason: str = "negative_reason",
    sentiment: str = "sentiment",
    top: int | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Complaint reasons ranked per brand, with their share of its negative mentions.

    Only negative messages count. ``share = count / n_negative``, where ``n_negative`` is
    all of the brand's negative messages (those without a reason included, so the shares of
    the listed reasons may add up to less than 1). The interval is the Wilson score interval
    (``statsmodels`` ``proportion_confint``, ``method="wilson"``) of each share on its own.

    Parameters
    ----------
    messages : pandas.DataFrame or DuckDB relation
        A ``messages`` table with sentiment and complaint-reason columns.
    by : str or None, default "brand"
        Column to rank reasons per (None: all messages together).
    reason : str, default "negative_reason"
        The complaint reason of a negative message (the airline tweets' column).
    sentiment : str, default "sentiment"
        Sentiment column (negative, neutral, positive).
    top : int, optional
        Keep only the ``top`` most frequent reasons per brand (ties broken by name).
    alpha : float, default 0.05
        1 - confidence level of the interval.

    Returns
    -------
    pandas.DataFrame
        Columns ``by`` (when given), ``rank`` (1 = most frequent), ``reason``, ``count``,
        ``n_negative``, ``share``, ``ci_low``, ``ci_high``, ``method``; sorted by ``by`` and
        rank.

    Raises
    ------
    SchemaError
        A column is absent (with a did-you-mean) or missing in some rows, or ``sentiment``
        holds an unknown label.
    ParameterError
        ``top`` is not a positive integer, ``alpha`` is outside (0, 1), or there are no
        messages.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> tweets = load_dataset("twitter_airline_sentiment")
    >>> united = complaint_reasons(tweets, top=2)
    >>> united.loc[united["brand"] == "United", ["rank", "reason", "count", "share"]]
        rank                  reason  count     share
    8     1  Customer Service Issue    681  0.258640
    9     2             Late Flight    525  0.199392
    """
    keys = _keys(by)
    lazy = _load_messages(messages, keys, optional=[sentiment, reason])
    lazy = _check_labels(lazy, sentiment).filter(nw.col(sentiment) == "negative")
    lazy = lazy.with_columns(nw.col(reason).cast(nw.String))
    counts = _count_messages(lazy, [*keys, reason], time="", freq=None)
    counts = counts.rename(columns={"mentions": "count", reason: "reason"})
    if keys:
        totals = counts.groupby(keys, as_index=False)["count"].sum()
        counts = counts.merge(totals.rename(columns={"count": "n_negative"}), on=keys)
    else:
        counts["n_negative"] = counts["count"].sum()
    table = counts.dropna(subset=["reason"]).sort_values(
        [*keys, "count", "reason"], ascending=[*[True] * len(keys), False, True]
    )
    table["rank"] = table.groupby(keys).cumcount() + 1 if keys else np.arange(1, len(table) + 1)
    if top is not None:
        table = table[table["rank"] <= top]
    table = table[[*keys, "rank", "reason", "count", "n_negative"]].reset_index(drop=True)
    table = table.astype({"rank": "int64", "count": "int64", "n_negative": "int64"})
    table["share"] = table["count"] / table["n_negative"]
    table["ci_low"], table["ci_high"] = wilson(table["count"], table["n_negative"], alpha)
    table["method"] = f"share of negative mentions, {level_text(alpha)} Wilson interval"
    return table


# ----------------------------------------------------------------------------------- spikes


@checks(
    freq=FREQ,
    label=OrNone(Choice(tuple(SENTIMENTS))),
    window=Integer(low=2),
    min_count=Integer(low=1),
    threshold=Real(0, 1, low_open=True, high_open=True),
    by=OrNone(COLUMN),
    time=COLUMN,
    sentiment=COLUMN,
)
def detect_spikes(
    messages: Any,
    *,
    freq: str = "h",
    by: str | None = "brand",
    label: str | None = "negative",
    window: int = 24,
    threshold: float = 0.001,
    min_count: int = 5,
    time: str = "time",
    sentiment: str = "sentiment",
) -> pd.DataFrame:
    """Periods in which a brand's mentions with a given sentiment burst above their recent level.

    Method: the messages are counted per brand and period (every period from the first to
    the last message, zeros included). The baseline of a period is the median count of the
    ``window`` periods before it (the period itself excluded, so a burst does not raise its
    own baseline, and the median is not pulled up by earlier bursts). Under "no spike" the
    count is taken as Poisson with mean equal to the baseline (a median of 0 is replaced by
    :data:`BASELINE_FLOOR`), and ``p_value = P(X >= count)``. A period is a spike when
    ``p_value < threshold`` and ``count >= min_count``; periods with fewer than ``window``
    earlier periods are not tested. For a steady Poisson series the share of false alarms is
    about ``threshold`` (a little more, as the baseline is estimated); real mention counts
    are overdispersed (daily cycles, news), so expect more flags there and read the
    ``statistic`` as well.

    Parameters
    ----------
    messages : pandas.DataFrame or DuckDB relation
        A ``messages`` table.
    freq : {"h", "D", "W", "M"}, default "h"
        Period length (UTC hour, day, week starting Monday, calendar month).
    by : str or None, default "brand"
        Column to look for spikes per (None: all messages together).
    label : {"negative", "neutral", "positive"} or None, default "negative"
        Sentiment to count; None counts every message.
    window : int, default 24
        Earlier periods the baseline is taken from (at least 2).
    threshold : float, default 0.001
        Largest Poisson tail p-value that counts as a spike, in (0, 1).
    min_count : int, default 5
        Fewest messages a spike period must have.
    time, sentiment : str
        Timestamp and sentiment columns (``sentiment`` is used only with a ``label``).

    Returns
    -------
    pandas.DataFrame
        One row per spike period: ``by`` (when given) then :data:`SPIKE_COLUMNS`:
        ``period`` and ``period_end`` (start, and start of the next period), ``label``
        (the sentiment, or ``"all"``), ``count``, ``baseline`` (the trailing median),
        ``statistic`` ((count - mean) / sqrt(mean), the Poisson z), ``p_value``, ``method``;
        sorted by p-value.

    Raises
    ------
    SchemaError
        A column is absent or missing in some rows, ``time`` is not a timestamp, or
        ``sentiment`` holds an unknown label.
    ParameterError
        A bad ``freq``, ``label``, ``window``, ``threshold`` or ``min_count``, or no messages.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> tweets = load_dataset("twitter_airline_sentiment")
    >>> spikes = detect_spikes(tweets, threshold=1e-6)
    >>> spikes.loc[spikes["brand"] == "United", ["period", "count", "baseline"]]
                          period  count  baseline
    19 2015-02-20 16:00:00+00:00     33      11.0
    30 2015-02-20 00:00:00+00:00     29      10.0
    """
    keys = _keys(by)
    split = [sentiment] if label is not None else []
    lazy = _load_messages(messages, [*keys, time], time=time, optional=split)
    if label is not None:
        lazy = _check_labels(lazy, sentiment)
    counts = _count_messages(lazy, [*keys, *split], time=time, freq=freq)
    grid = _period_grid(counts, freq)
    groups = {k: sorted(counts[k].astype(str).unique()) for k in keys}
    if label is not None:
        counts = counts[counts[sentiment] == label]
    counts = counts.groupby([*keys, "period"], as_index=False)["mentions"].sum()
    series = _complete(counts, {**groups, "period": grid})
    previous = series.groupby(keys)["mentions"] if keys else series["mentions"]
    baseline = previous.transform(lambda s: s.shift(1).rolling(window, min_periods=window).median())
    mean = np.maximum(baseline, BASELINE_FLOOR)
    count = series["mentions"]
    table = series[keys + ["period"]].copy()
    table["period_end"] = table["period"] + pd.tseries.frequencies.to_offset(FREQS[freq][1])
    table["label"] = label if label is not None else "all"
    table["count"] = count
    table["baseline"] = baseline
    table["statistic"] = (count - mean) / np.sqrt(mean)
    table["p_value"] = stats.poisson.sf(count - 1, mean)
    table["method"] = (
        f"Poisson upper tail against the median of the previous {window} periods, "
        f"p < {threshold:g}, count >= {min_count}"
    )
    spikes = table[baseline.notna() & (table["p_value"] < threshold) & (count >= min_count)]
    return spikes.sort_values(["p_value", *keys, "period"]).reset_index(drop=True)


@checks(
    n=Integer(low=1),
    by=OrNone(COLUMN),
    sort=OrNone(COLUMN),
    time=COLUMN,
    sentiment=COLUMN,
    author=COLUMN,
    text=COLUMN,
    message_id=COLUMN,
    salt=Text(),
    reveal=Flag(),
)
def spike_messages(
    messages: Any,
    spikes: pd.DataFrame,
    *,
    n: int = 10,
    by: str | None = "brand",
    sort: str | None = None,
    time: str = "time",
    sentiment: str = "sentiment",
    author: str = "author",
    text: str = "text",
    message_id: str = "message_id",
    salt: str = "scrm_lab",
    reveal: bool = False,
) -> pd.DataFrame:
    """The messages behind each spike of :func:`detect_spikes`, pseudonymized by default.

    For each spike row, the messages of that brand in ``[period, period_end)`` with the
    spike's sentiment label are listed, most ``sort`` first (e.g. ``"retweet_count"``), or
    in time order.

    Parameters
    ----------
    messages : pandas.DataFrame or DuckDB relation
        The ``messages`` table the spikes were found in.
    spikes : pandas.DataFrame
        A result of :func:`detect_spikes` (columns ``by``, ``period``, ``period_end``,
        ``label``).
    n : int, default 10
        Most messages listed per spike.
    by : str or None, default "brand"
        As given to :func:`detect_spikes`.
    sort : str, optional
        Numeric column to list the messages by, largest first (ties in time order).
    time, sentiment, author, text, message_id : str
        Columns of the messages table.
    salt : str, default "scrm_lab"
        Salt of the pseudonyms (see :func:`scrm_lab.summary.pseudonymize`); the default is
        the one :func:`scrm_lab.summary.preview_rows` uses, so pseudonyms match its output.
        Use a secret salt for shared reports.
    reveal : bool, default False
        False replaces authors (case-insensitively) and ``@handles`` in texts by salted
        pseudonyms, and message ids by ``msg_`` pseudonyms (a real tweet id leads to its
        author). True shows them as they are: real handles are personal data.

    Returns
    -------
    pandas.DataFrame
        Columns ``by`` (when given), ``period``, ``rank`` (1 = first listed), then
        ``message_id``, ``time``, ``author``, ``text`` (named as in the messages table), and
        ``sort`` when given; sorted by spike (in the order of ``spikes``) and rank.

    Raises
    ------
    SchemaError
        A column is absent from the messages or the spikes.
    ParameterError
        ``n`` is not a positive integer, ``salt`` is empty, or there are no messages.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> tweets = load_dataset("twitter_airline_sentiment")
    >>> spikes = detect_spikes(tweets, threshold=1e-6).head(1)
    >>> spike_messages(tweets, spikes, n=2, sort="retweet_count")[["rank", "author"]]
       rank         author
    0     1  user_29be83b8
    1     2  user_ce0a30ef
    """
    keys = _keys(by)
    shown = [message_id, time, author, text, *([sort] if sort is not None else [])]
    optional = [sentiment, message_id, author, text, *shown[4:]]
    lazy = _load_messages(messages, [*keys, time], time=time, optional=optional)
    needed = [*keys, "period", "period_end", "label"]
    missing = [c for c in needed if c not in getattr(spikes, "columns", [])]
    if missing or not isinstance(spikes, pd.DataFrame):
        raise SchemaError(
            f"{current_function()}: the 'spikes' table lacks column(s) {missing or needed}; "
            f"expected a result of detect_spikes with columns {needed}.",
            column=(missing or needed)[0],
        )
    parts = []
    for spike in spikes[needed].itertuples(index=False):
        row = dict(zip(needed, spike, strict=True))
        chosen = (nw.col(time) >= row["period"]) & (nw.col(time) < row["period_end"])
        for key in keys:
            chosen = chosen & (nw.col(key).cast(nw.String) == str(row[key]))
        if row["label"] != "all":
            chosen = chosen & (nw.col(sentiment).cast(nw.String) == row["label"])
        picked = lazy.filter(chosen).select(*shown)
        picked = picked.sort([sort, time], descending=[True, False]) if sort else picked.sort(time)
        part = to_pandas(picked.head(n))
        part.insert(0, "rank", np.arange(1, len(part) + 1))
        part.insert(0, "period", row["period"])
        for key in reversed(keys):
            part.insert(0, key, row[key])
        parts.append(part)
    if not parts:  # no spikes: no rows, the columns typed as they would be
        part = to_pandas(lazy.select(*shown).head(0))
        part.insert(0, "rank", np.arange(0))
        part.insert(0, "period", spikes["period"].iloc[:0].reset_index(drop=True))
        for key in reversed(keys):
            part.insert(0, key, spikes[key].iloc[:0].reset_index(drop=True))
        parts.append(part)
    table = pd.concat(parts, ignore_index=True)
    if reveal:
        return table
    folded = table[author].astype(object).map(lambda v: v if pd.isna(v) else str(v).casefold())
    table[author] = pseudonymize(folded, salt=salt)
    table[text] = pseudonymize_mentions(table[text], salt=salt)
    table[message_id] = pseudonymize(table[message_id], salt=salt, prefix="msg_")
    return table
