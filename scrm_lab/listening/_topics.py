"""Conversation topics: what customers talk about, with top terms, examples and trends.

:func:`conversation_topics` cleans the messages' texts, weighs their words with TF-IDF and
factorizes them into topics (scikit-learn's NMF, or LDA on word counts); the result,
:class:`Topics`, holds each topic's top terms, each message's topic, and gives the
pseudonymized example messages of each topic and its share of the messages over time.
:func:`topic_stability` fits the same topics with several seeds and says which topics come
back whatever the seed.

Examples
--------
>>> import pandas as pd
>>> texts = ["lost bag again", "my bags are lost", "bag lost at the claim",
...          "flight delayed hours", "delayed flight again", "hours late flight delayed"]
>>> messages = pd.DataFrame({"message_id": [str(i) for i in range(6)], "text": texts})
>>> topics = conversation_topics(messages, n_topics=2, min_df=2, brand=None, time=None)
>>> topics.summary[["topic", "label", "messages"]]
   topic                     label  messages
0      1                bag / lost         3
1      2  delayed / flight / hours         3
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scrm_lab._checks import (
    ALPHA,
    COLUMN,
    SEED,
    Choice,
    Flag,
    Integer,
    Many,
    OrNone,
    Text,
    checks,
    current_function,
    refuse,
    require_columns,
)
from scrm_lab._proportions import wilson
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.listening._mentions import FREQ, FREQS
from scrm_lab.listening._topic_text import (
    _Matrix,
    _vectorize,
)
from scrm_lab.models import level_text
from scrm_lab.privacy import pseudonymize, pseudonymize_mentions

__all__ = ["NMF_INITS", "TOPIC_METHODS", "Topics", "conversation_topics"]

#: Topic models: NMF on TF-IDF weights, or LDA on word counts.
TOPIC_METHODS = ("nmf", "lda")
#: Starts of NMF: "nndsvda" (from an SVD of the weights: nearly the same whatever the seed)
#: or "random" (a seeded random start).
NMF_INITS = ("nndsvda", "random")

_ITERATIONS = {"nmf": 1000, "lda": 10}


# ----------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class Topics:
    """Topics fitted by :func:`conversation_topics`: tidy tables and how they were made.

    Attributes
    ----------
    terms : pandas.DataFrame
        Columns ``topic`` (1 = the topic with most messages), ``label`` (its top 3 terms
        joined by " / "), ``rank`` (1 = heaviest), ``term``, ``weight`` (the term's share of
        the topic's term weights: the row of the topic-term matrix scaled to sum 1; for LDA
        the topic's word probability); the top ``n_terms`` terms per topic.
    summary : pandas.DataFrame
        One row per topic: ``topic``, ``label``, ``messages`` (assigned to it), ``share``
        (of the assigned messages, empty ones left out), ``ci_low``, ``ci_high`` (95% Wilson).
    assignments : pandas.DataFrame
        One row per message, in the order of the data: the id column (as text), ``topic``
        (the topic of largest weight; missing for an empty message), ``weight`` (that
        topic's share of the message's topic weights), ``loading`` (its raw weight: NMF's
        document-topic value, LDA's topic proportion, equal to ``weight``).
    method, init : str
        "nmf" or "lda"; NMF's start ("nndsvda" or "random"; "" for LDA).
    seed, n_topics, n_messages, n_empty, n_vocabulary : int
        The seed, the number of topics, of messages, of empty messages (no term of the
        vocabulary left after cleaning: they get no topic and count in no share), and of
        terms in the vocabulary.
    text, time, id : str
        The columns the topics were fitted from (``time`` None when not given).
    components : numpy.ndarray
        The topic-term weights, one row per topic (in topic order), one column per term of
        ``vocabulary`` (NMF's ``components_``; LDA's topic-word pseudo-counts).
    vocabulary : numpy.ndarray
        The terms kept after cleaning, in the order of the columns of ``components``.
    """

    terms: pd.DataFrame
    summary: pd.DataFrame
    assignments: pd.DataFrame
    method: str
    init: str
    seed: int
    n_topics: int
    n_messages: int
    n_empty: int
    n_vocabulary: int
    text: str
    time: str | None
    id: str
    components: np.ndarray = field(repr=False)
    vocabulary: np.ndarray = field(repr=False)

    @checks(n=Integer(low=1), salt=Text())
    def examples(self, data: pd.DataFrame, *, n: int = 3, salt: str = "scrm_lab") -> pd.DataFrame:
        """The ``n`` messages of highest weight per topic, pseudonymized.

        Messages are ranked by ``weight`` (ties, common when a message has one topic
        only, by ``loading``, then by id). Every ``@handle`` in a text is replaced by a
        salted pseudonym with :func:`scrm_lab.privacy.pseudonymize_mentions`, and message
        ids by ``msg_`` pseudonyms (a real tweet id leads to its author), as
        :func:`spike_messages` does.

        Parameters
        ----------
        data : pandas.DataFrame
            The messages the topics were fitted on (matched by the id column).
        n : int, default 3
            Messages per topic.
        salt : str, default "scrm_lab"
            Salt of the pseudonyms (the default of :func:`spike_messages`, so pseudonyms
            match across its output); use a secret salt for shared reports.

        Returns
        -------
        pandas.DataFrame
            Columns ``topic``, ``label``, ``rank``, the id column, ``weight``, the text
            column; sorted by topic and rank.

        Raises
        ------
        SchemaError
            The id or text column is absent, or a fitted message id is not in ``data``.
        ParameterError
            ``data`` is not a DataFrame, ``n`` < 1 or ``salt`` is empty.

        Examples
        --------
        >>> import pandas as pd
        >>> texts = ["@ann lost bag", "lost bag @bob", "bag lost", "flight late",
        ...          "late flight", "flight very late"]
        >>> messages = pd.DataFrame({"message_id": list("abcdef"), "text": texts})
        >>> topics = conversation_topics(messages, n_topics=2, min_df=2, brand=None, time=None)
        >>> topics.examples(messages, n=3)[["topic", "rank", "text"]]
           topic  rank                     text
        0      1     1                 bag lost
        1      1     2  @user_a9bf72bb lost bag
        2      1     3  lost bag @user_256ae9a2
        3      2     1              flight late
        4      2     2              late flight
        5      2     3         flight very late
        """
        table = self._with_columns(data, [self.text])
        assigned = table[table["topic"].notna()]
        ranked = assigned.sort_values(
            ["topic", "weight", "loading", self.id], ascending=[True, False, False, True]
        )
        picked = ranked.groupby("topic", sort=True).head(n).copy()
        picked["rank"] = picked.groupby("topic").cumcount() + 1
        picked = picked.merge(self.summary[["topic", "label"]], on="topic", how="left")
        picked[self.id] = pseudonymize(picked[self.id], salt=salt, prefix="msg_")
        picked[self.text] = pseudonymize_mentions(picked[self.text], salt=salt)
        columns = ["topic", "label", "rank", self.id, "weight", self.text]
        return picked[columns].astype({"topic": "int64", "rank": "int64"}).reset_index(drop=True)

    @checks(freq=FREQ, alpha=ALPHA)
    def trend(self, data: pd.DataFrame, *, freq: str = "D", alpha: float = 0.05) -> pd.DataFrame:
        """Each topic's messages per period and its share of the period's assigned messages.

        Periods are as in :func:`mention_volume`: UTC hour, day, week starting Monday,
        calendar month, every period from the first to the last message (zeros included).
        The share's denominator ``n`` is the period's messages that have a topic (empty
        messages left out); its interval is the Wilson score interval (``statsmodels``
        ``proportion_confint``, ``method="wilson"``), missing when ``n`` is 0.

        Parameters
        ----------
        data : pandas.DataFrame
            The messages the topics were fitted on (matched by the id column).
        freq : {"h", "D", "W", "M"}, default "D"
            Period length.
        alpha : float, default 0.05
            1 - confidence level of the interval.

        Returns
        -------
        pandas.DataFrame
            Columns ``period``, ``topic``, ``label``, ``messages``, ``n``, ``share``,
            ``ci_low``, ``ci_high``, ``method``; one row per period and topic, sorted.

        Raises
        ------
        SchemaError
            The id or time column is absent, ``time`` is not a timestamp or is missing in
            some rows, or a fitted message id is not in ``data``.
        ParameterError
            The topics were fitted without a time column, or a bad ``freq`` or ``alpha``.

        Examples
        --------
        >>> import pandas as pd
        >>> texts = ["lost bag", "bag lost", "lost my bag", "late flight", "flight late",
        ...          "flight so late"]
        >>> messages = pd.DataFrame({"message_id": list("abcdef"), "text": texts,
        ...     "time": pd.to_datetime(["2015-02-17"] * 3 + ["2015-02-18"] * 3, utc=True)})
        >>> topics = conversation_topics(messages, n_topics=2, min_df=2, brand=None)
        >>> topics.trend(messages)[["period", "label", "messages", "n", "share"]]
                             period         label  messages  n  share
        0 2015-02-17 00:00:00+00:00    bag / lost         3  3    1.0
        1 2015-02-17 00:00:00+00:00  flight / late         0  3    0.0
        2 2015-02-18 00:00:00+00:00    bag / lost         0  3    0.0
        3 2015-02-18 00:00:00+00:00  flight / late         3  3    1.0
        """
        if self.time is None:
            raise ParameterError(
                f"{current_function()}: the topics were fitted with time=None; fit them "
                f"with the timestamp column (e.g. time='time') to get their trend."
            )
        table = self._with_columns(data, [self.time])
        times = table[self.time]
        if not pd.api.types.is_datetime64_any_dtype(times):
            raise SchemaError(
                f"{current_function()}: column {self.time!r} has dtype {times.dtype}; "
                f"expected a timestamp.",
                column=self.time,
            )
        assigned = table[table["topic"].notna()].copy()
        n_missing = int(assigned[self.time].isna().sum())
        if n_missing:
            raise SchemaError(
                f"{current_function()}: column {self.time!r} is missing in {n_missing} "
                f"message(s) with a topic; expected a time in every row.",
                column=self.time,
            )
        assigned["period"] = _period_start(assigned[self.time], freq)
        counts = assigned.groupby(["period", "topic"]).size().rename("messages")
        grid = pd.MultiIndex.from_product(
            [
                pd.date_range(
                    assigned["period"].min(), assigned["period"].max(), freq=FREQS[freq][1]
                ),
                range(1, self.n_topics + 1),
            ],
            names=["period", "topic"],
        )
        trend = counts.reindex(grid, fill_value=0).astype("int64").reset_index()
        trend["topic"] = trend["topic"].astype("int64")
        trend = trend.merge(self.summary[["topic", "label"]], on="topic", how="left")
        trend["n"] = trend.groupby("period")["messages"].transform("sum").astype("int64")
        trend["share"] = trend["messages"] / trend["n"].where(trend["n"] > 0)
        trend["ci_low"], trend["ci_high"] = wilson(trend["messages"], trend["n"], alpha)
        trend["method"] = (
            f"share of the period's messages with a topic, {level_text(alpha)} Wilson interval"
        )
        columns = ["period", "topic", "label", "messages", "n", "share", "ci_low", "ci_high"]
        return trend[[*columns, "method"]]

    def _with_columns(self, data: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
        """The assignments with ``columns`` of ``data`` joined by id; refused on unknown ids."""
        require_columns(data, [self.id, *columns])
        rows = data[[self.id, *columns]].drop_duplicates(subset=[self.id])
        rows = rows.assign(**{self.id: rows[self.id].astype(str)})
        table = self.assignments.merge(rows, on=self.id, how="left", indicator=True)
        absent = int((table.pop("_merge") != "both").sum())
        if absent:
            raise SchemaError(
                f"{current_function()}: {absent} of the {len(table)} message ids the topics "
                f"were fitted on are not in column {self.id!r} of the data; expected the "
                f"table the topics were fitted on.",
                column=self.id,
            )
        return table


# -------------------------------------------------------------------------- factorizing


def _factorize(
    matrix: _Matrix, *, n_topics: int, method: str, init: str, seed: int, sample: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Document-topic (all rows; zero for empty ones) and topic-term weights.

    With ``sample`` < 1 the model is fitted on that share of the usable messages, drawn
    with ``seed``, and every usable message is then given its topic weights.
    """
    from sklearn.decomposition import NMF, LatentDirichletAllocation

    usable = np.flatnonzero(matrix.usable)
    fitted = usable
    if sample < 1:
        size = max(1, round(sample * len(usable)))
        fitted = np.sort(np.random.default_rng(seed).choice(usable, size=size, replace=False))
    n_terms = len(matrix.vocabulary)
    if n_topics > min(len(fitted), n_terms):
        messages = "" if sample == 1 else f" in a sample of {sample:g}"
        raise refuse(
            "n_topics",
            f"at most the number of messages with a term left after cleaning{messages} "
            f"({len(fitted)}) and of terms in the vocabulary ({n_terms})",
            n_topics,
        )
    if method == "nmf":
        model = NMF(n_topics, init=init, random_state=seed, max_iter=_ITERATIONS["nmf"])
    else:
        model = LatentDirichletAllocation(
            n_topics, learning_method="batch", random_state=seed, max_iter=_ITERATIONS["lda"]
        )
    document_topic = np.zeros((matrix.weights.shape[0], n_topics))
    if sample < 1:
        model.fit(matrix.weights[fitted])
        document_topic[usable] = model.transform(matrix.weights[usable])
    else:
        document_topic[usable] = model.fit_transform(matrix.weights[usable])
    return document_topic, np.asarray(model.components_, dtype="float64")


def _build(
    matrix: _Matrix,
    document_topic: np.ndarray,
    components: np.ndarray,
    *,
    method: str,
    init: str,
    seed: int,
    n_terms: int,
    columns: tuple[str, str | None, str],
    alpha: float = 0.05,
) -> Topics:
    """The :class:`Topics` of one fit, topics numbered from the largest."""
    text, time, id = columns
    totals = document_topic.sum(axis=1)
    has_topic = totals > 0
    best = document_topic.argmax(axis=1)
    n_topics = components.shape[0]
    sizes = np.bincount(best[has_topic], minlength=n_topics)
    order = np.argsort(-sizes, kind="stable")  # topic 1 = the most messages
    number = np.empty(n_topics, dtype="int64")
    number[order] = np.arange(1, n_topics + 1)
    components = components[order]
    share = components / components.sum(axis=1, keepdims=True)
    top = min(n_terms, share.shape[1])
    term_rows = []
    for k in range(n_topics):
        ranked = np.lexsort((np.arange(share.shape[1]), -share[k]))[:top]
        ranked = ranked[share[k, ranked] > 0]  # a term of no weight is not a top term
        for rank, j in enumerate(ranked, start=1):
            term_rows.append((k + 1, rank, str(matrix.vocabulary[j]), float(share[k, j])))
    terms = pd.DataFrame(term_rows, columns=["topic", "rank", "term", "weight"])
    labels = terms[terms["rank"] <= 3].groupby("topic")["term"].agg(" / ".join)
    terms.insert(1, "label", terms["topic"].map(labels))

    loading = document_topic[np.arange(len(best)), best]
    assignments = pd.DataFrame(
        {
            id: matrix.ids.to_numpy(),
            "topic": pd.array(np.where(has_topic, number[best], 0), dtype="Int64"),
            "weight": np.divide(loading, totals, out=np.zeros_like(loading), where=has_topic),
            "loading": loading,
        }
    )
    assignments.loc[~has_topic, ["topic", "weight", "loading"]] = [pd.NA, np.nan, np.nan]

    counts = np.asarray(sizes[order], dtype="int64")
    assigned = int(has_topic.sum())
    summary = pd.DataFrame(
        {"topic": np.arange(1, n_topics + 1), "label": labels.to_numpy(), "messages": counts}
    )
    summary["share"] = counts / assigned if assigned else np.nan
    summary["ci_low"], summary["ci_high"] = wilson(counts, assigned, alpha)
    return Topics(
        terms=terms,
        summary=summary,
        assignments=assignments,
        method=method,
        init=init if method == "nmf" else "",
        seed=seed,
        n_topics=n_topics,
        n_messages=len(best),
        n_empty=int((~has_topic).sum()),
        n_vocabulary=len(matrix.vocabulary),
        text=text,
        time=time,
        id=id,
        components=components,
        vocabulary=matrix.vocabulary,
    )


def _period_start(times: pd.Series, freq: str) -> pd.Series:
    """Start of each time's UTC hour, day, week (Monday) or month, as mention_volume counts."""
    if freq in ("h", "D"):
        return times.dt.floor(freq)
    days = times.dt.floor("D")
    back = days.dt.day_of_week if freq == "W" else days.dt.day - 1
    return days - pd.to_timedelta(back, unit="D")


# ---------------------------------------------------------------------------- public


_STOP_WORDS = Many(Text(), "a list of words (non-empty strings), possibly empty", empty_ok=True)


@checks(
    n_topics=Integer(low=1),
    method=Choice(TOPIC_METHODS),
    init=Choice(NMF_INITS),
    text=COLUMN,
    time=OrNone(COLUMN),
    id=COLUMN,
    brand=OrNone(COLUMN),
    max_features=Integer(low=1),
    min_df=Integer(low=1),
    n_terms=Integer(low=3),
    fold_plurals=Flag(),
    stop_words=_STOP_WORDS,
    seed=SEED,
)
def conversation_topics(
    data: pd.DataFrame,
    *,
    n_topics: int = 8,
    method: str = "nmf",
    init: str = "nndsvda",
    text: str = "text",
    time: str | None = "time",
    id: str = "message_id",
    brand: str | None = "brand",
    max_features: int = 5000,
    min_df: int = 5,
    n_terms: int = 10,
    fold_plurals: bool = True,
    stop_words: Sequence[str] = (),
    seed: int = 0,
) -> Topics:
    """Topics of what customers talk about: top terms, each message's topic, and more.

    Cleaning, before the words are counted: HTML entities (``&amp;``), URLs, ``@handles``
    (:data:`scrm_lab.privacy.MENTION`: they name people and the brand addressed, not a
    subject), words containing digits (flight numbers, times, prices), apostrophes (so
    "can't" meets its stop word "cant"), English stop words (scikit-learn's list) and the
    words of the brand names in ``brand`` (every message names its brand, so the names
    would make topics of brands rather than of subjects; "US Airways" drops "us",
    "airways" and "usairways") are dropped; texts are lower-cased; words are runs of two or
    more letters. With ``fold_plurals`` a word ending in "s" (more than 3 letters, not
    "-ss") counts as the same word without the "s" when that word occurs too ("bags" as
    "bag", "delays" as "delay"; a crude rule with rare misses such as "news" as "new").
    Only terms in at least ``min_df`` messages are kept, the ``max_features`` most frequent
    at most.

    Model: ``method="nmf"`` factorizes the TF-IDF weights (scikit-learn ``TfidfVectorizer``
    defaults: smoothed idf, rows scaled to unit length) with ``NMF(init=init,
    random_state=seed)``; ``"lda"`` fits ``LatentDirichletAllocation(random_state=seed)``
    on the word counts instead, since LDA models counts of words (TF-IDF weights are not
    counts; it is about ten times slower than NMF: tens of seconds on the 14,640 airline
    tweets). Topics are numbered by their messages, the largest first. A message whose
    words all fell out (or, with NMF, whose topic weights are all zero) is empty: it gets
    no topic, is counted in ``n_empty`` and is left out of every share.

    Parameters
    ----------
    data : pandas.DataFrame
        A ``messages`` table (e.g. ``load_dataset("twitter_airline_sentiment")``).
    n_topics : int, default 8
        Topics to find; at most the number of messages (and of terms) left after cleaning.
    method : {"nmf", "lda"}, default "nmf"
    init : {"nndsvda", "random"}, default "nndsvda"
        NMF's start (ignored by LDA). "nndsvda" starts from an SVD, so the seed changes
        little; "random" starts from seeded random weights.
    text, time, id : str
        Columns: the text, the timestamp (for :meth:`Topics.trend`; None without one) and
        the message id (one per row).
    brand : str or None, default "brand"
        Column whose names are dropped from the texts (None: none dropped).
    max_features, min_df : int
        Largest vocabulary, and fewest messages a term must be in.
    n_terms : int, default 10
        Top terms listed per topic (at least 3, for the label).
    fold_plurals : bool, default True
        Count a plural as its singular, as described above.
    stop_words : list of str, default ()
        More words to drop (e.g. ``["jetblue"]``, a brand not in the ``brand`` column).
    seed : int, default 0
        Seed of the model: same seed, same tables.

    Returns
    -------
    Topics
        With ``terms``, ``summary``, ``assignments`` and the methods :meth:`Topics.examples`
        and :meth:`Topics.trend`.

    Raises
    ------
    SchemaError
        A column is absent, or ids are missing or repeated.
    ParameterError
        A bad parameter, no rows, no term left after cleaning, or ``n_topics`` larger than
        the messages (or terms) left.

    Examples
    --------
    >>> import pandas as pd
    >>> texts = ["lost bag again", "my bags are lost", "bag lost at the claim",
    ...          "flight delayed hours", "delayed flight again", "hours late flight delayed"]
    >>> messages = pd.DataFrame({"message_id": [str(i) for i in range(6)], "text": texts})
    >>> topics = conversation_topics(messages, n_topics=2, min_df=2, brand=None, time=None)
    >>> topics.summary[["topic", "label", "messages"]]
       topic                     label  messages
    0      1                bag / lost         3
    1      2  delayed / flight / hours         3
    >>> topics.assignments["topic"].tolist()
    [1, 1, 1, 2, 2, 2]
    """
    matrix = _vectorize(
        data,
        method=method,
        text=text,
        id=id,
        brand=brand,
        max_features=max_features,
        min_df=min_df,
        fold_plurals=fold_plurals,
        stop_words=stop_words,
    )
    if time is not None:
        require_columns(data, [time])
    document_topic, components = _factorize(
        matrix, n_topics=n_topics, method=method, init=init, seed=seed
    )
    return _build(
        matrix,
        document_topic,
        components,
        method=method,
        init=init,
        seed=seed,
        n_terms=n_terms,
        columns=(text, time, id),
    )
