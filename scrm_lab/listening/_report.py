"""The social listening report's tables and wording, with their rules stated.

- :func:`select_brands` and :func:`with_sentiment`: the messages of the chosen brands, with
  sentiment as labelled, or scored by the trained model or the lexicon
  (:data:`SENTIMENT_SOURCES`);
- :func:`brand_periods`, :func:`negative_mentions`, :func:`largest_spikes`,
  :func:`confusion_table`, :func:`with_times`: the small tables the report shows, and
  :func:`key_results` (the recorded results);
- :func:`data_sentences`, :func:`share_sentences`, :func:`net_sentences`,
  :func:`reason_sentences`, :func:`spike_search_sentences`, :func:`spike_sentences`,
  :func:`evaluation_sentences`, :func:`summary_sentences`: its sentences with their numbers
  (a spike whose baseline is at most :data:`START_BASELINE` gets a caution), including what
  the data cannot show: one brand, no labelled or opinionated messages, no negative
  mentions, too few periods to look for spikes, no spike.

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> from scrm_lab.listening import detect_spikes
>>> tweets = load_dataset("twitter_airline_sentiment")
>>> largest_spikes(detect_spikes(tweets))["brand"].tolist()[:3]
['American', 'Delta', 'Virgin America']
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import pandas as pd

from scrm_lab._checks import (
    Choice,
    Instance,
    Integer,
    Many,
    OrNone,
    Real,
    Text,
    checks,
    current_function,
    refuse,
    require_columns,
    suggest,
)
from scrm_lab._frames import as_lazy, as_native, columns_of, to_pandas
from scrm_lab.exceptions import ParameterError
from scrm_lab.listening._evaluation import SentimentEvaluation
from scrm_lab.listening._lexicon import SENTIMENT_LABELS, lexicon_sentiment
from scrm_lab.listening._mentions import mention_volume
from scrm_lab.listening._model import SentimentModel

__all__ = [
    "PERIOD_WORDS",
    "SENTIMENT_SOURCES",
    "START_BASELINE",
    "brand_periods",
    "confusion_table",
    "data_sentences",
    "evaluation_sentences",
    "has_reasons",
    "key_results",
    "largest_spikes",
    "negative_mentions",
    "net_sentences",
    "reason_sentences",
    "select_brands",
    "share_sentences",
    "spike_search_sentences",
    "spike_sentences",
    "summary_sentences",
    "with_sentiment",
    "with_times",
]

#: Where the sentiment of the messages comes from, and how the report says it.
SENTIMENT_SOURCES = {
    "labels": "as labelled in the data",
    "model": "scored by the trained model",
    "lexicon": "scored by the VADER lexicon",
}
#: The period of :func:`scrm_lab.listening.mention_volume` in words (axis labels).
PERIOD_WORDS = {"h": "hour", "D": "day", "W": "week"}
#: A spike whose baseline (median of the previous periods) is at most this many negative
#: mentions may mark where a brand's data begin rather than a crisis: the report says so.
START_BASELINE = 1
_TIME = "%Y-%m-%d %H:%M"
_BRANDS = Many(Text(), "a list of brand names (empty: every brand)", empty_ok=True)


@checks(brands=_BRANDS)
def select_brands(data: Any, brands: list[str]) -> Any:
    """The messages about the given brands (all of them when ``brands`` is empty).

    Parameters
    ----------
    data : pandas.DataFrame, DuckDB relation or Spark DataFrame
        A messages table with ``brand``.
    brands : list of str
        Brands to keep, each present in the data; empty keeps every brand.

    Returns
    -------
    pandas.DataFrame, or the same kind of lazy table
        The rows of those brands (index reset for pandas), filtered on the engine.

    Raises
    ------
    ParameterError
        A brand has no messages in the data (the message lists those that do).

    Examples
    --------
    >>> data = pd.DataFrame({"brand": ["Delta", "United", "Delta"]})
    >>> select_brands(data, ["Delta"])["brand"].tolist()
    ['Delta', 'Delta']
    >>> select_brands(data, ["Detla"])
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.ParameterError: The 'brands' parameter of select_brands must be brands \
with messages in the data (Delta, United). Got 'Detla' instead. Did you mean 'Delta'?
    """
    lazy = as_lazy(data, "data")
    require_columns(lazy, ["brand"])
    if not brands:
        return data
    brand = nw.col("brand").cast(nw.String)
    found = to_pandas(lazy.select(brand).unique())["brand"].dropna()
    present = sorted(found.astype(str))
    for name in brands:
        if name not in present:
            raise refuse("brands", f"brands with messages in the data ({', '.join(present)})",
                         name, suggest(name, present))  # fmt: skip
    return as_native(lazy.filter(brand.is_in(list(brands))), data)


@checks(
    source=Choice(tuple(SENTIMENT_SOURCES)),
    training=OrNone(Instance(pd.DataFrame, "a labelled messages table (text, sentiment)")),
)
def with_sentiment(
    data: Any, *, source: str = "labels", training: pd.DataFrame | None = None
) -> Any:
    """The messages with their ``sentiment`` as labelled or scored by a model or the lexicon.

    Parameters
    ----------
    data : pandas.DataFrame, DuckDB relation or Spark DataFrame
        A messages table with ``text`` (and ``sentiment`` for ``source="labels"``). The
        model and the lexicon score texts in memory, so a lazy table takes ``"labels"`` only.
    source : {"labels", "model", "lexicon"}, default "labels"
        ``"labels"`` keeps the data's labels (an all-missing ``sentiment`` column is added
        when the data have none, so the report can say there are no labels); ``"model"``
        trains a :class:`SentimentModel` on ``training`` and scores ``data``; ``"lexicon"``
        uses :func:`lexicon_sentiment`.
    training : pandas.DataFrame, optional
        Labelled messages (``text``, ``sentiment``), needed for ``source="model"``.

    Returns
    -------
    pandas.DataFrame
        ``data`` unchanged for labels (a copy with the missing column when it had none), else
        a copy whose ``sentiment`` is a categorical of :data:`SENTIMENT_LABELS`.

    Raises
    ------
    ParameterError
        If ``source="model"`` without ``training``, or a model or the lexicon on a lazy table.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> tweets = load_dataset("twitter_airline_sentiment").head(3)
    >>> with_sentiment(tweets, source="lexicon")["sentiment"].tolist()
    ['neutral', 'neutral', 'neutral']
    """
    if not isinstance(data, pd.DataFrame):
        lazy = as_lazy(data, "data")
        if source != "labels":
            raise ParameterError(
                f"sentiment from the {source} scores every text in memory, so it needs a pandas "
                "table; on DuckDB or Spark use the labels in the data (source='labels')."
            )
        if "sentiment" in columns_of(lazy):
            return data
        return lazy.with_columns(nw.lit(None, dtype=nw.String).alias("sentiment")).to_native()
    if source == "labels":
        if "sentiment" in data.columns:
            return data
        scored = [None] * len(data)
    elif source == "model":
        if training is None:
            raise ParameterError(
                f"{current_function()} needs labelled 'training' messages to score with the "
                "model (source='model'). Got none."
            )
        model = SentimentModel().fit(training["text"], training["sentiment"])
        scored = model.predict(data["text"])
    else:
        scored = lexicon_sentiment(data["text"])["label"]
    return data.assign(sentiment=pd.Categorical(scored, categories=list(SENTIMENT_LABELS)))


def brand_periods(data: Any) -> pd.DataFrame:
    """Messages per brand with the first and last message time (as text, to the minute).

    Parameters
    ----------
    data : pandas.DataFrame, DuckDB relation or Spark DataFrame
        A messages table (``message_id``, ``brand``, ``time``).

    Returns
    -------
    pandas.DataFrame
        Columns ``brand``, ``messages``, ``first``, ``last`` ("YYYY-MM-DD HH:MM", UTC), one
        row per brand in brand order.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> brand_periods(load_dataset("twitter_airline_sentiment")).iloc[0, [0, 2, 3]].tolist()
    ['American', '2015-02-19 04:25', '2015-02-24 19:44']
    """
    lazy = as_lazy(data, "data")
    require_columns(lazy, ["message_id", "brand", "time"], "brand_periods")
    out = to_pandas(
        lazy.group_by(nw.col("brand").cast(nw.String)).agg(
            nw.len().alias("messages"),
            nw.col("time").min().alias("first"),
            nw.col("time").max().alias("last"),
        )
    )
    out = out.sort_values("brand", kind="stable").reset_index(drop=True)
    out["messages"] = out["messages"].astype("int64")
    for column in ("first", "last"):
        out[column] = out[column].dt.strftime(_TIME)
    return out


@checks(
    sentiment_from=Choice(tuple(SENTIMENT_SOURCES)),
    path=OrNone(Text("a file path")),
)
def data_sentences(
    data: Any,
    languages: pd.DataFrame,
    *,
    sentiment_from: str = "labels",
    path: str | None = None,
) -> list[str]:
    """What the data are: counts, source, dates, where sentiment comes from, other languages.

    Parameters
    ----------
    data : pandas.DataFrame, DuckDB relation or Spark DataFrame
        The messages (``brand``, ``time``).
    languages : pandas.DataFrame
        :func:`scrm_lab.listening.detect_language` of their texts (``foreign``), or of the
        first of them (:func:`message_texts`); the sentence says how many were looked at.
    sentiment_from : {"labels", "model", "lexicon"}, default "labels"
        A key of :data:`SENTIMENT_SOURCES`.
    path : str, optional
        The user's file; None names the shipped airline tweets.

    Returns
    -------
    list of str
        One paragraph; it says when messages have no sentiment label (with none at all, that
        the sentiment sections cannot be shown and how to score the messages).

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> tweets = load_dataset("twitter_airline_sentiment").head(50)
    >>> languages = pd.DataFrame({"foreign": [False] * 49 + [True]})
    >>> data_sentences(tweets, languages)[0][:60]
    '**50 messages** from the airline tweets (real, February 2015'
    """
    source = f"your file `{path}`" if path else "the airline tweets (real, February 2015)"
    foreign = int(languages["foreign"].sum())
    facts = message_overview(data)
    n, brands = facts["messages"], facts["brands"]
    first, last = f"{facts['first']:%Y-%m-%d}", f"{facts['last']:%Y-%m-%d}"
    unlabelled = facts["unlabelled"]
    looked_at = "" if len(languages) >= n else f" of the first {len(languages):,} looked at"
    if unlabelled == n:
        sentiment = (
            "none: the data carry no sentiment labels, so net sentiment, complaint reasons "
            "and bursts of negative mentions cannot be shown; run the report with "
            "`sentiment_from` set to `model` or `lexicon` to score the messages"
        )
    else:
        sentiment = SENTIMENT_SOURCES[sentiment_from] + (
            f" ({unlabelled:,} messages have no label and are left out of the sentiment "
            "figures)" if unlabelled else ""
        )  # fmt: skip
    return [
        f"**{n:,} messages** from {source}, about {brands} "
        f"{'brand' if brands == 1 else 'brands'}, "
        + (f"on {first}" if first == last else f"{first} to {last}")
        + f". Sentiment: {sentiment}. {foreign:,} messages{looked_at} look like another "
        "language than English (detected with py3langid); English-only methods score them "
        "poorly, so read them apart."
    ]


def message_overview(data: Any) -> dict[str, Any]:
    """Counts of a messages table, computed on its engine in one query.

    Returns
    -------
    dict
        ``messages``, ``brands`` (distinct), ``first`` and ``last`` (times), ``unlabelled``
        (messages without a ``sentiment``; all of them when there is no such column) and
        ``reasons`` (messages with a ``negative_reason``; 0 without the column).

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> facts = message_overview(load_dataset("twitter_airline_sentiment"))
    >>> facts["messages"], facts["brands"], facts["unlabelled"]
    (14485, 6, 0)
    """
    lazy = as_lazy(data, "data")
    columns = columns_of(lazy)
    require_columns(lazy, ["brand", "time"], "message_overview")
    counted = [
        nw.len().alias("messages"),
        nw.col("brand").n_unique().alias("brands"),
        nw.col("time").min().alias("first"),
        nw.col("time").max().alias("last"),
    ]
    for column, name in (("sentiment", "unlabelled"), ("negative_reason", "missing_reasons")):
        if column in columns:
            counted.append(nw.col(column).is_null().cast(nw.Int64).sum().alias(name))
    row = to_pandas(lazy.select(*counted)).iloc[0]
    n = int(row["messages"])
    return {
        "messages": n,
        "brands": int(row["brands"]),
        "first": row["first"],
        "last": row["last"],
        "unlabelled": int(row["unlabelled"]) if "unlabelled" in row else n,
        "reasons": n - int(row["missing_reasons"]) if "missing_reasons" in row else 0,
    }


def message_texts(data: Any, limit: int = 20_000) -> pd.Series:
    """The texts of a messages table: all of a pandas table, the first ``limit`` of a lazy one.

    Language detection reads texts in memory; on DuckDB or Spark it looks at a bounded
    number (the data sentence says how many), never the whole table.

    Examples
    --------
    >>> message_texts(pd.DataFrame({"text": ["a", "b"]})).tolist()
    ['a', 'b']
    """
    if isinstance(data, pd.DataFrame):
        return data["text"]
    return to_pandas(as_lazy(data, "data").select("text").head(limit))["text"]


def share_sentences(share: pd.DataFrame) -> list[str]:
    """What share of voice can say: nothing across brands when there is only one.

    Parameters
    ----------
    share : pandas.DataFrame
        :func:`scrm_lab.listening.share_of_voice` over all the data (``brand``).

    Returns
    -------
    list of str
        One sentence when there is a single brand, else none.

    Examples
    --------
    >>> share_sentences(pd.DataFrame({"brand": ["Delta"], "share": [1.0]}))[0][:52]
    'Only one brand (Delta): its share of voice is 100% b'
    >>> share_sentences(pd.DataFrame({"brand": ["a", "b"], "share": [0.4, 0.6]}))
    []
    """
    require_columns(share, ["brand"], "share_sentences")
    if share["brand"].nunique() != 1:
        return []
    return [
        f"Only one brand ({share['brand'].iloc[0]}): its share of voice is 100% by definition; "
        "comparisons across brands need at least two."
    ]


def net_sentences(net: pd.DataFrame) -> list[str]:
    """What net sentiment can say: brands without opinionated messages, or a single brand.

    Parameters
    ----------
    net : pandas.DataFrame
        :func:`scrm_lab.listening.net_sentiment` per brand (``brand``, ``estimate``).

    Returns
    -------
    list of str
        A sentence when no brand has a positive or negative message (the estimate is
        undefined: the figure cannot be drawn), one naming the brands without any (no point
        drawn for them), one when a single brand has an estimate; else none.

    Examples
    --------
    >>> net_sentences(pd.DataFrame({"brand": ["a", "b"], "estimate": [float("nan")] * 2}))[0]
    'No positive or negative messages: net sentiment cannot be computed, so it is not drawn.'
    >>> net_sentences(pd.DataFrame({"brand": ["a", "b"], "estimate": [0.5, -0.25]}))
    []
    """
    require_columns(net, ["brand", "estimate"], "net_sentences")
    known = net["estimate"].notna()
    if not known.any():
        return [
            "No positive or negative messages: net sentiment cannot be computed, so it is not "
            "drawn."
        ]
    lines = []
    missing = sorted(net.loc[~known, "brand"].astype(str))
    if missing:
        lines.append(
            f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} no positive or "
            "negative messages: net sentiment is undefined there (no point drawn)."
        )
    if known.sum() == 1:
        lines.append(
            f"Only one brand has a net sentiment ({net.loc[known, 'brand'].iloc[0]}): "
            "comparisons across brands need at least two."
        )
    return lines


def has_reasons(data: Any) -> bool:
    """Whether the messages carry complaint reasons (a ``negative_reason`` not all missing).

    Parameters
    ----------
    data : pandas.DataFrame
        A messages table.

    Returns
    -------
    bool

    Examples
    --------
    >>> has_reasons(pd.DataFrame({"brand": ["a", "a"], "time": pd.to_datetime([1, 2]),
    ...                           "negative_reason": [None, "Late Flight"]}))
    True
    """
    return message_overview(data)["reasons"] > 0


@checks(top=Integer(low=1))
def reason_sentences(reasons: pd.DataFrame | None, *, top: int = 3) -> list[str]:
    """The sentence above the complaint reasons table, or why there is none.

    Parameters
    ----------
    reasons : pandas.DataFrame or None
        :func:`scrm_lab.listening.complaint_reasons`, or None when the data have no
        ``negative_reason`` column.
    top : int, default 3
        The number of reasons per brand the table was made with.

    Returns
    -------
    list of str
        One sentence: why there is no table (no reasons in the data, or none on a negative
        message), or what the table shows.

    Examples
    --------
    >>> reason_sentences(None)[0]
    'These data have no complaint reasons (no `negative_reason` column, or it is empty), so \
none are shown.'
    """
    if reasons is None:
        return [
            "These data have no complaint reasons (no `negative_reason` column, or it is "
            "empty), so none are shown."
        ]
    if reasons.empty:
        return ["No negative message has a complaint reason, so none are shown."]
    return [
        f"The {top} most frequent reasons per brand, as a share of that brand's negative "
        "mentions (95% Wilson interval):"
    ]


@checks(freq=Choice(tuple(PERIOD_WORDS)))
def negative_mentions(data: pd.DataFrame, *, freq: str = "h") -> pd.DataFrame:
    """Negative mentions per brand and period, over every period of the data.

    Unlike :func:`scrm_lab.listening.mention_volume` of the negative messages alone, every
    brand gets every period from the first to the last message of any sentiment, with zeros,
    so data without a negative message give a table of zeros rather than an error.

    Parameters
    ----------
    data : pandas.DataFrame
        A messages table with ``brand``, ``time`` and ``sentiment`` (may be all missing).
    freq : {"h", "D", "W"}, default "h"
        Period length.

    Returns
    -------
    pandas.DataFrame
        Columns ``brand``, ``period``, ``count``; sorted.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> tweets = load_dataset("twitter_airline_sentiment")
    >>> happy = tweets[tweets["sentiment"] == "positive"]
    >>> negative_mentions(happy, freq="D")["count"].sum()
    np.int64(0)
    """
    volume = mention_volume(data, freq=freq, sentiment="sentiment")
    negative = volume[volume["sentiment"] == "negative"].drop(columns="sentiment")
    return negative.rename(columns={"mentions": "count"}).reset_index(drop=True)


@checks(
    freq=Choice(tuple(PERIOD_WORDS)),
    threshold=Real(0, 1, low_open=True, high_open=True),
    window=Integer(low=2),
    min_count=Integer(low=1),
)
def spike_search_sentences(
    negative: pd.DataFrame,
    spikes: pd.DataFrame,
    *,
    freq: str = "h",
    threshold: float = 0.001,
    window: int = 24,
    min_count: int = 5,
) -> list[str]:
    """What the search for bursts of negative mentions found, or why it could find none.

    A period is tested only when ``window`` periods precede it (its baseline), so data
    spanning ``window`` periods or fewer cannot show a spike.

    Parameters
    ----------
    negative : pandas.DataFrame
        :func:`negative_mentions` of the data (``period``, ``count``).
    spikes : pandas.DataFrame
        :func:`scrm_lab.listening.detect_spikes` of the same data (``brand``).
    freq : {"h", "D", "W"}, default "h"
        The period both were computed with.
    threshold, window, min_count
        As given to :func:`scrm_lab.listening.detect_spikes`.

    Returns
    -------
    list of str
        One sentence: no negative mentions, too few periods, no spike, or how many spikes in
        how many brands.

    Examples
    --------
    >>> negative = pd.DataFrame({"period": pd.date_range("2024-01-01", periods=30, freq="h"),
    ...                          "count": 1})
    >>> spike_search_sentences(negative, pd.DataFrame({"brand": []}), threshold=1e-6)[0]
    'No spike of negative mentions: none of the 6 hours tested exceeded the threshold (Poisson \
tail probability below 1e-06 and at least 5 negative mentions).'
    """
    require_columns(negative, ["period", "count"], "spike_search_sentences")
    require_columns(spikes, ["brand"], "spike_search_sentences")
    unit = PERIOD_WORDS[freq]
    periods = negative["period"].nunique()
    tested = periods - window
    if not negative["count"].any():
        return ["No negative mentions in the data: there is no burst to look for."]
    if tested <= 0:
        return [
            f"Too few periods to look for spikes: each {unit} is compared with the median of "
            f"the {window} {unit}s before it, and the data span only {periods} "
            f"{unit if periods == 1 else unit + 's'}, so no {unit} could be tested."
        ]
    rule = (f"Poisson tail probability below {threshold:g} and at least {min_count} negative "
            "mentions")  # fmt: skip
    if spikes.empty:
        return [
            f"No spike of negative mentions: none of the {tested:,} "
            f"{unit if tested == 1 else unit + 's'} tested exceeded the threshold ({rule})."
        ]
    brands = spikes["brand"].nunique()
    return [
        f"**{len(spikes):,} {'spike' if len(spikes) == 1 else 'spikes'}** of negative mentions "
        f"in {brands} {'brand' if brands == 1 else 'brands'} ({rule}; {tested:,} {unit}s "
        "tested per brand). The largest of each brand:"
    ]


def largest_spikes(spikes: pd.DataFrame) -> pd.DataFrame:
    """The largest spike of each brand (by ``statistic``), strongest first.

    Parameters
    ----------
    spikes : pandas.DataFrame
        :func:`scrm_lab.listening.detect_spikes`.

    Returns
    -------
    pandas.DataFrame
        One row per brand with a spike, the input's columns, sorted by ``statistic``
        descending (ties keep the input order).

    Examples
    --------
    >>> spikes = pd.DataFrame({"brand": ["a", "b", "a"], "statistic": [3.0, 2.0, 5.0]})
    >>> largest_spikes(spikes).to_dict("list")
    {'brand': ['a', 'b'], 'statistic': [5.0, 2.0]}
    """
    require_columns(spikes, ["brand", "statistic"], "largest_spikes")
    ordered = spikes.sort_values("statistic", ascending=False, kind="stable")
    return ordered.groupby("brand", observed=True).head(1)


def spike_sentences(largest: pd.DataFrame) -> list[str]:
    """A caution for brands whose largest spike rose from a baseline of at most one mention.

    Such a spike (baseline <= :data:`START_BASELINE`) can be where the brand's data begin
    rather than a crisis.

    Parameters
    ----------
    largest : pandas.DataFrame
        :func:`largest_spikes` (``brand``, ``baseline``).

    Returns
    -------
    list of str
        One caution naming those brands (sorted), or none.

    Examples
    --------
    >>> largest = pd.DataFrame({"brand": ["b", "a", "c"], "baseline": [0.0, 1.0, 1.5]})
    >>> spike_sentences(largest)[0][:40]
    'Caution: a, b had almost no mentions in '
    """
    require_columns(largest, ["brand", "baseline"], "spike_sentences")
    starts = sorted(set(largest.loc[largest["baseline"] <= START_BASELINE, "brand"].astype(str)))
    if not starts:
        return []
    return [
        "Caution: " + ", ".join(starts) + " had almost no mentions in the periods before its "
        "largest spike (baseline of 1 or less). That can be where the data for the brand begin "
        "rather than a crisis: check the first rows of the table above."
    ]


_NOT_EVALUATED = "evaluate_sentiment is False"


def _mistake(evaluation: SentimentEvaluation, method: str) -> str:
    confusion = evaluation.confusion
    wrong = confusion[
        (confusion["method"] == method) & (confusion["actual"] != confusion["predicted"])
    ]
    row = wrong.sort_values("count", kind="stable").iloc[-1]
    held = evaluation.predictions["actual"].value_counts()
    return (f"{row['count']:,} of the {held[row['actual']]:,} {row['actual']} tweets read as "
            f"{row['predicted']}")  # fmt: skip


def evaluation_sentences(evaluation: SentimentEvaluation | None) -> list[str]:
    """Accuracy and macro-F1 of the model and the lexicon, and each one's commonest mistake.

    Parameters
    ----------
    evaluation : SentimentEvaluation or None
        From :func:`scrm_lab.listening.evaluate_sentiment`; None when the run left the
        evaluation out (the sentence says so).

    Returns
    -------
    list of str
        One paragraph: accuracies as whole percentages, macro-F1 to two decimals, and for
        each method the (actual, predicted) pair of different labels with the most held-out
        messages (the last in label order on a tie).

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> from scrm_lab.listening import evaluate_sentiment
    >>> tweets = load_dataset("twitter_airline_sentiment").head(1000)
    >>> evaluation_sentences(evaluate_sentiment(tweets, cv=3, Cs=(0.2,)))[0][:55]
    'On 200 held-out tweets the trained model is right 70% o'
    >>> evaluation_sentences(None)
    ['Not evaluated in this run (evaluate_sentiment is False).']
    """
    if evaluation is None:
        return [f"Not evaluated in this run ({_NOT_EVALUATED})."]
    scores = evaluation.metrics.set_index("method")
    lexicon, model = scores.loc["lexicon"], scores.loc["model"]
    return [
        f"On {int(model['n']):,} held-out tweets the trained model is right "
        f"{model['accuracy']:.0%} of the time (macro-F1 {model['macro_f1']:.2f}); the lexicon "
        f"{lexicon['accuracy']:.0%} (macro-F1 {lexicon['macro_f1']:.2f}). The lexicon's most "
        f"frequent mistake: {_mistake(evaluation, 'lexicon')}; the model's: "
        f"{_mistake(evaluation, 'model')}."
    ]


@checks(
    spike_threshold=Real(0, 1, low_open=True),
    negative=OrNone(Instance(pd.DataFrame, "a table of negative_mentions")),
    spike_freq=Choice(tuple(PERIOD_WORDS)),
)
def summary_sentences(
    share: pd.DataFrame,
    net: pd.DataFrame,
    spikes: pd.DataFrame,
    evaluation: SentimentEvaluation | None,
    *,
    spike_threshold: float = 1e-6,
    negative: pd.DataFrame | None = None,
    spike_freq: str = "h",
) -> list[str]:
    """The report's summary: share leader, net sentiment range, spikes, automatic scoring.

    Parameters
    ----------
    share : pandas.DataFrame
        :func:`scrm_lab.listening.share_of_voice` (``brand``, ``share``).
    net : pandas.DataFrame
        :func:`scrm_lab.listening.net_sentiment` (``brand``, ``estimate``).
    spikes : pandas.DataFrame
        :func:`scrm_lab.listening.detect_spikes` (one row per spike).
    evaluation : SentimentEvaluation or None
        From :func:`scrm_lab.listening.evaluate_sentiment`; None when not evaluated.
    spike_threshold : float, default 1e-6
        The threshold the spikes were detected with.
    negative : pandas.DataFrame, optional
        :func:`negative_mentions` of the data: without spikes, the summary then says why
        (:func:`spike_search_sentences`).
    spike_freq : {"h", "D", "W"}, default "h"
        The period the spikes were looked for in.

    Returns
    -------
    list of str
        Four Markdown sentences (to be shown as bullets); with one brand, or no net
        sentiment, they say what cannot be compared.

    Examples
    --------
    >>> share = pd.DataFrame({"brand": ["a", "b"], "share": [0.25, 0.75]})
    >>> net = pd.DataFrame({"brand": ["a", "b"], "estimate": [-0.5, 0.25]})
    >>> metrics = pd.DataFrame({"method": ["lexicon", "model"], "accuracy": [0.5, 0.8]})
    >>> evaluation = SentimentEvaluation(metrics, *[None] * 7)
    >>> for line in summary_sentences(share, net, pd.DataFrame(index=range(3)), evaluation):
    ...     print(line)
    **Share of voice:** b leads with 75% of mentions.
    **Net sentiment:** from -0.50 (a) to +0.25 (b).
    **Spikes:** 3 periods of unusually many negative mentions (threshold 1e-06).
    **Automatic sentiment:** trained model 80% accurate on held-out tweets, lexicon 50%.
    """
    leader = share.sort_values("share", ascending=False, kind="stable").iloc[0]
    ordered = net.dropna(subset=["estimate"]).sort_values("estimate", kind="stable")
    if share["brand"].nunique() == 1:
        voice = f"only one brand ({leader['brand']}), so no comparison."
    else:
        voice = f"{leader['brand']} leads with {leader['share']:.0%} of mentions."
    if ordered.empty:
        mood = "cannot be computed: no positive or negative messages."
    elif len(ordered) == 1:
        mood = f"{ordered['estimate'].iloc[0]:+.2f} ({ordered['brand'].iloc[0]})."
    elif ordered["estimate"].nunique() == 1:
        mood = f"{ordered['estimate'].iloc[0]:+.2f} for every brand."
    else:
        worst, best = ordered.iloc[0], ordered.iloc[-1]
        mood = (f"from {worst['estimate']:+.2f} ({worst['brand']}) to {best['estimate']:+.2f} "
                f"({best['brand']}).")  # fmt: skip
    if len(spikes) or negative is None:
        bursts = (f"{len(spikes)} periods of unusually many negative mentions "
                  f"(threshold {spike_threshold:g}).")  # fmt: skip
    else:
        bursts = spike_search_sentences(negative, spikes, freq=spike_freq,
                                        threshold=spike_threshold)[0]  # fmt: skip
    if evaluation is None:
        scored = f"not evaluated in this run ({_NOT_EVALUATED})."
    else:
        accuracy = evaluation.metrics.set_index("method")["accuracy"]
        scored = (f"trained model {accuracy['model']:.0%} accurate on held-out tweets, lexicon "
                  f"{accuracy['lexicon']:.0%}.")  # fmt: skip
    return [
        f"**Share of voice:** {voice}",
        f"**Net sentiment:** {mood}",
        f"**Spikes:** {bursts}",
        f"**Automatic sentiment:** {scored}",
    ]


def with_times(
    table: pd.DataFrame, columns: tuple[str, ...] = ("period", "period_end")
) -> pd.DataFrame:
    """A copy of ``table`` with its time columns as text to the minute, for display.

    Parameters
    ----------
    table : pandas.DataFrame
        E.g. :func:`largest_spikes` or :func:`scrm_lab.listening.spike_messages`.
    columns : tuple of str, default ("period", "period_end")
        The time columns turned into "YYYY-MM-DD HH:MM" text, where present.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> with_times(pd.DataFrame({"period": pd.to_datetime(["2015-02-22 13:00"])}))["period"][0]
    '2015-02-22 13:00'
    """
    return table.assign(**{c: table[c].dt.strftime(_TIME) for c in columns if c in table})


def confusion_table(evaluation: SentimentEvaluation) -> pd.DataFrame:
    """The confusion counts of each method as a table: one row per actual label.

    Parameters
    ----------
    evaluation : SentimentEvaluation
        From :func:`scrm_lab.listening.evaluate_sentiment`.

    Returns
    -------
    pandas.DataFrame
        Columns ``method``, ``actual`` and one count column per predicted label.

    Examples
    --------
    >>> confusion = pd.DataFrame({"method": "model", "actual": ["negative", "negative"],
    ...                           "predicted": ["negative", "positive"], "count": [5, 2]})
    >>> confusion_table(SentimentEvaluation(None, confusion, *[None] * 6))
    predicted method    actual  negative  positive
    0          model  negative         5         2
    """
    return evaluation.confusion.pivot_table(
        index=["method", "actual"], columns="predicted", values="count", aggfunc="sum"
    ).reset_index()


def key_results(
    data: Any,
    share: pd.DataFrame,
    net: pd.DataFrame,
    spikes: pd.DataFrame,
    evaluation: SentimentEvaluation | None,
) -> dict[str, object]:
    """The listening report's key results, for batch summaries and the reports index.

    Parameters
    ----------
    data : pandas.DataFrame
        The messages reported on.
    share, net, spikes : pandas.DataFrame
        :func:`scrm_lab.listening.share_of_voice`, :func:`scrm_lab.listening.net_sentiment`
        and :func:`scrm_lab.listening.detect_spikes` of ``data``.
    evaluation : SentimentEvaluation or None
        From :func:`scrm_lab.listening.evaluate_sentiment`; None when not evaluated.

    Returns
    -------
    dict
        ``messages``, ``share_leader`` (brand with the largest share), ``lowest_net_sentiment``,
        ``spikes`` (count), ``model_accuracy``, ``model_macro_f1``, ``lexicon_accuracy``, as
        plain Python values (the last three None without an evaluation).

    Examples
    --------
    >>> share = pd.DataFrame({"brand": ["a", "b"], "share": [0.25, 0.75]})
    >>> net = pd.DataFrame({"brand": ["a", "b"], "estimate": [-0.5, 0.25]})
    >>> metrics = pd.DataFrame({"method": ["lexicon", "model"], "accuracy": [0.5, 0.8],
    ...                         "macro_f1": [0.4, 0.7]})
    >>> evaluation = SentimentEvaluation(metrics, *[None] * 7)
    >>> data = pd.DataFrame({"brand": ["a", "b"] * 2, "time": pd.to_datetime([1, 2, 3, 4])})
    >>> results = key_results(data, share, net, pd.DataFrame(), evaluation)
    >>> results["messages"], results["share_leader"], results["lowest_net_sentiment"]
    (4, 'b', -0.5)
    """
    scores = None if evaluation is None else evaluation.metrics.set_index("method")

    def score(method: str, measure: str) -> float | None:
        return None if scores is None else float(scores.loc[method, measure])

    return {
        "messages": message_overview(data)["messages"],
        "share_leader": str(
            share.sort_values("share", ascending=False, kind="stable").iloc[0]["brand"]
        ),
        "lowest_net_sentiment": float(net["estimate"].min()),
        "spikes": len(spikes),
        "model_accuracy": score("model", "accuracy"),
        "model_macro_f1": score("model", "macro_f1"),
        "lexicon_accuracy": score("lexicon", "accuracy"),
    }
