"""Do the topics come back with another seed? (private to :mod:`scrm_lab.listening`).

:func:`topic_stability` refits :func:`~scrm_lab.listening.conversation_topics`'s model once
per seed on a seeded sample and matches each fit's topics to the first fit's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import permutations

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from scrm_lab._checks import COLUMN, SEED, Choice, Flag, Integer, Many, OrNone, Real, checks, refuse
from scrm_lab.listening._topic_text import _vectorize
from scrm_lab.listening._topics import (
    _STOP_WORDS,
    NMF_INITS,
    TOPIC_METHODS,
    _build,
    _factorize,
)

__all__ = ["STABLE_SIMILARITY", "TopicStability", "topic_stability"]

#: Smallest cosine similarity to the reference topic, in every seed, of a stable topic.
STABLE_SIMILARITY = 0.8


@dataclass(frozen=True)
class TopicStability:
    """Topics refitted with several seeds, matched to the first seed's (:func:`topic_stability`).

    Attributes
    ----------
    topics : pandas.DataFrame
        One row per topic of the first seed: ``topic``, ``label`` (as in :class:`Topics`),
        ``mean_similarity`` and ``min_similarity`` (cosine similarity of its term weights
        to the matched topic of each other seed), ``agreement`` (of the messages one seed
        puts in this topic, the share another seed puts in the matched topic, averaged over
        every ordered pair of seeds), ``stable`` (``min_similarity >= threshold``).
    agreement : float
        Share of the messages that two seeds put in the same (matched) topic, averaged over
        every pair of seeds; messages empty in either seed left out.
    seeds : tuple of int
    method, init : str
    threshold : float
    n_messages : int
    """

    topics: pd.DataFrame
    agreement: float
    seeds: tuple[int, ...]
    method: str
    init: str
    threshold: float
    n_messages: int


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return a @ b.T


@checks(
    n_topics=Integer(low=1),
    seeds=Many(SEED, "a list of at least two distinct seeds (integers >= 0)", distinct=True),
    method=Choice(TOPIC_METHODS),
    init=Choice(NMF_INITS),
    sample=Real(0, 1, low_open=True),
    threshold=Real(0, 1, low_open=True),
    text=COLUMN,
    id=COLUMN,
    brand=OrNone(COLUMN),
    max_features=Integer(low=1),
    min_df=Integer(low=1),
    fold_plurals=Flag(),
    stop_words=_STOP_WORDS,
)
def topic_stability(
    data: pd.DataFrame,
    *,
    n_topics: int = 8,
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    method: str = "nmf",
    init: str = "nndsvda",
    sample: float = 0.8,
    threshold: float = STABLE_SIMILARITY,
    text: str = "text",
    id: str = "message_id",
    brand: str | None = "brand",
    max_features: int = 5000,
    min_df: int = 5,
    fold_plurals: bool = True,
    stop_words: Sequence[str] = (),
) -> TopicStability:
    """Do the topics come back with another seed? Matched topics' similarity and agreement.

    The messages are cleaned and vectorized once (as in :func:`conversation_topics`, so
    every fit has the same vocabulary), then the topics are fitted once per seed, each time
    on a share ``sample`` of the messages drawn with that seed (and, for LDA or a random
    NMF start, from that seed's start); every message then gets its topic from each fit.
    Each seed's topics are matched one-to-one to the first seed's (the reference) by the
    Hungarian algorithm (``scipy.optimize.linear_sum_assignment``) on the cosine similarity
    of their term weight vectors, maximizing the total similarity of the matched pairs. A
    reference topic is ``stable`` when its similarity to its match is at least
    ``threshold`` in every other seed.

    Why a sample: with NMF's default start ("nndsvda", from an SVD) the seed enters only
    through a randomized SVD that reaches the same start, so on all the messages every
    seed gives the same topics and the check would say nothing. Refitting on seeded
    samples asks whether a topic is a property of the conversation or of a few messages;
    ``sample=1`` fits all messages (the reference is then exactly
    ``conversation_topics(data, init=init, seed=seeds[0])``) and only the start varies.

    The default threshold, 0.8 (:data:`STABLE_SIMILARITY`), asks that a topic keep most of
    its term weight on the same terms. Term weights are never negative, so even unrelated
    topics share some weight and score well above 0: with 3 topics on words drawn at random
    from one vocabulary of 60 (no topic to find) matched topics scored 0.6 to 0.7 at worst
    over five seeds and below 0.8 on average, while on a corpus with 3 planted topics they
    scored above 0.95. 0.8 sits between, with room for a real topic whose minor terms move;
    it is a convention, not a test, so read ``min_similarity`` itself too.

    Parameters
    ----------
    data : pandas.DataFrame
        A ``messages`` table.
    n_topics : int, default 8
    seeds : list of int, default (0, 1, 2, 3, 4)
        At least two distinct seeds; the first one is the reference.
    method : {"nmf", "lda"}, default "nmf"
    init : {"nndsvda", "random"}, default "nndsvda"
        NMF's start (ignored by LDA).
    sample : float, default 0.8
        Share of the messages (with a term) each fit is made on, in (0, 1].
    threshold : float, default 0.8
        Smallest cosine similarity, in (0, 1], of a stable topic to its matches.
    text, id, brand, max_features, min_df, fold_plurals, stop_words
        As in :func:`conversation_topics`.

    Returns
    -------
    TopicStability
        ``topics``: columns ``topic``, ``label``, ``mean_similarity``, ``min_similarity``,
        ``agreement``, ``stable``, one row per reference topic; ``agreement``: the share of
        messages two seeds put in the same matched topic, averaged over pairs of seeds.

    Raises
    ------
    SchemaError, ParameterError
        As :func:`conversation_topics`; and fewer than two seeds.

    Examples
    --------
    >>> import pandas as pd
    >>> texts = ["lost bag again", "my bags are lost", "bag lost at the claim",
    ...          "flight delayed hours", "delayed flight again", "hours late flight delayed"]
    >>> messages = pd.DataFrame({"message_id": [str(i) for i in range(6)], "text": texts})
    >>> stability = topic_stability(messages, n_topics=2, seeds=[0, 1, 2], min_df=2,
    ...                             brand=None)
    >>> stability.topics[["topic", "stable"]]
       topic  stable
    0      1    True
    1      2    True
    >>> float(stability.agreement)
    1.0
    """
    seeds = tuple(int(s) for s in seeds)
    if len(seeds) < 2:
        raise refuse("seeds", "a list of at least two distinct seeds (integers >= 0)", seeds)
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
    fits = []
    for seed in seeds:
        document_topic, components = _factorize(
            matrix, n_topics=n_topics, method=method, init=init, seed=seed, sample=sample
        )
        fits.append(
            _build(
                matrix,
                document_topic,
                components,
                method=method,
                init=init,
                seed=seed,
                n_terms=3,
                columns=(text, None, id),
            )
        )
    reference = fits[0]
    similarities = np.ones((n_topics, len(seeds)))
    labels = [reference.assignments["topic"].to_numpy(dtype="float64", na_value=np.nan)]
    for s, fit in enumerate(fits[1:], start=1):
        similarity = _cosine(reference.components, fit.components)
        rows, cols = linear_sum_assignment(-similarity)
        similarities[rows, s] = similarity[rows, cols]
        to_reference = np.empty(n_topics)
        to_reference[cols] = rows + 1  # fit's topic cols[i] + 1 is reference topic rows[i] + 1
        topic = fit.assignments["topic"].to_numpy(dtype="float64", na_value=np.nan)
        mapped = np.full(topic.shape, np.nan)
        known = ~np.isnan(topic)
        mapped[known] = to_reference[topic[known].astype(int) - 1]
        labels.append(mapped)
    others = similarities[:, 1:]
    pair_agreement, topic_agreement = [], {k: [] for k in range(1, n_topics + 1)}
    for a, b in permutations(range(len(seeds)), 2):
        both = ~np.isnan(labels[a]) & ~np.isnan(labels[b])
        if a < b and both.any():
            pair_agreement.append(float(np.mean(labels[a][both] == labels[b][both])))
        for k in topic_agreement:
            in_k = both & (labels[a] == k)
            if in_k.any():
                topic_agreement[k].append(float(np.mean(labels[b][in_k] == k)))
    table = reference.summary[["topic", "label"]].copy()
    table["mean_similarity"] = others.mean(axis=1)
    table["min_similarity"] = others.min(axis=1)
    table["agreement"] = [np.mean(v) if v else np.nan for v in topic_agreement.values()]
    table["stable"] = table["min_similarity"] >= threshold
    return TopicStability(
        topics=table,
        agreement=float(np.mean(pair_agreement)) if pair_agreement else float("nan"),
        seeds=seeds,
        method=method,
        init=init if method == "nmf" else "",
        threshold=float(threshold),
        n_messages=reference.n_messages,
    )
