"""Message sentiment without training: the VADER lexicon, and flags for other languages.

* :func:`lexicon_sentiment` scores texts with VADER (built for social media text), needing
  no training data; :data:`SENTIMENT_LABELS` are the three labels every method gives;
* :func:`detect_language` flags messages in other languages (py3langid), so that they are
  not silently scored as English.

Examples
--------
>>> lexicon_sentiment(["I love this airline", "Worst flight ever"])["label"].tolist()
['positive', 'negative']
"""

from __future__ import annotations

import functools
import html
import math
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from scrm_lab._checks import Integer, Real, checks, current_function
from scrm_lab.exceptions import ParameterError

__all__ = ["SENTIMENT_LABELS", "detect_language", "lexicon_sentiment"]

SENTIMENT_LABELS = ("negative", "neutral", "positive")

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_HANDLE = re.compile(r"@\w+")


def _texts(texts: object) -> list[str]:
    """The texts as a list of str; refused when empty or not all strings."""
    function = current_function()
    if isinstance(texts, str) or not isinstance(texts, Sequence | pd.Series | np.ndarray):
        raise ParameterError(
            f"The 'texts' parameter of {function} must be a sequence of strings "
            f"(list, pandas Series, numpy array). Got {type(texts).__name__} instead."
        )
    values = list(texts)
    if not values:
        raise ParameterError(
            f"The 'texts' parameter of {function} must hold at least one text. Got none."
        )
    for position, value in enumerate(values):
        if not isinstance(value, str):
            raise ParameterError(
                f"The 'texts' parameter of {function} must hold only strings. "
                f"Got {type(value).__name__} {value!r} at position {position} instead."
            )
    return values


def _index(texts: object, size: int) -> pd.Index:
    return texts.index if isinstance(texts, pd.Series) else pd.RangeIndex(size)


@functools.cache
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@functools.lru_cache(maxsize=2**16)
def vader_scores(text: str) -> tuple[float, float, float, float]:
    """VADER's compound, positive, negative and neutral scores of one text.

    Cached (a bounded cache): the sentiment model's cross-validation scores each training
    text once per fold, and VADER is pure Python.

    >>> vader_scores("great crew, thank you")[0] > 0.5
    True
    """
    scores = _vader().polarity_scores(text)
    return scores["compound"], scores["pos"], scores["neg"], scores["neu"]


@checks(neutral_band=Real(0, 1, high_open=True))
def lexicon_sentiment(texts: Sequence[str], *, neutral_band: float = 0.05) -> pd.DataFrame:
    """Score texts with the VADER lexicon: a compound score and a label per text.

    VADER (Hutto and Gilbert 2014) sums the valences of known words, adjusted for
    negation, intensifiers, capitals, "!" and emoticons, into a ``compound`` score in
    [-1, 1]. Its authors' standard thresholds give the label: positive when
    ``compound >= neutral_band``, negative when ``compound <= -neutral_band``, neutral
    in between.

    Parameters
    ----------
    texts : sequence of str
        The messages (a list, a pandas Series or a numpy array).
    neutral_band : float, default 0.05
        Half-width of the neutral band around 0, in [0, 1).

    Returns
    -------
    pandas.DataFrame
        Columns ``compound`` (float) and ``label`` (``"negative"``, ``"neutral"`` or
        ``"positive"``), one row per text; the index is the Series' index, else 0..n-1.

    Raises
    ------
    ParameterError
        If ``texts`` is empty or holds a non-string, or ``neutral_band`` is out of range.

    Examples
    --------
    >>> lexicon_sentiment(["I love this airline!", "Lost my bag again.", "Flight at 5."])
       compound     label
    0    0.6696  positive
    1   -0.3182  negative
    2    0.0000   neutral
    """
    values = _texts(texts)
    compound = np.array([vader_scores(text)[0] for text in values])
    label = np.where(
        compound >= neutral_band,
        "positive",
        np.where(compound <= -neutral_band, "negative", "neutral"),
    )
    return pd.DataFrame({"compound": compound, "label": label}, index=_index(texts, len(values)))


@functools.cache
def _language_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@checks(min_chars=Integer(low=1), min_confidence=Real(0, 1, low_open=True))
def detect_language(
    texts: Sequence[str], *, min_chars: int = 12, min_confidence: float = 0.9
) -> pd.DataFrame:
    """Detect each text's language, flagging messages that are confidently not English.

    Before judging, ``@handles`` and URLs are removed and the ``#`` of hashtags dropped
    (their words count). A text with fewer than ``min_chars`` letters left (an emoji, a
    bare handle or link, "ok") is too short to judge: its language is ``"und"``
    (undetermined), its confidence NaN, and it is not flagged. Otherwise py3langid's
    normalized probabilities give the most likely language and its probability. A text
    is flagged (``foreign`` True) only when that language is not English
    and its probability is at least ``min_confidence``, which keeps false flags of short
    English tweets rare.

    Parameters
    ----------
    texts : sequence of str
        The messages.
    min_chars : int, default 12
        Fewest letters (after stripping handles, URLs and ``#``) needed to judge a text.
    min_confidence : float, default 0.9
        Probability needed to flag a text as not English, in (0, 1].

    Returns
    -------
    pandas.DataFrame
        Columns ``language`` (ISO 639-1 code, or ``"und"``), ``confidence`` (probability
        of that language, NaN for ``"und"``) and ``foreign`` (bool: True for a text
        confidently judged to be in another language; a short text judged Spanish with a
        low probability keeps ``language`` ``"es"`` but is not flagged); the index is the
        Series' index, else 0..n-1.

    Raises
    ------
    ParameterError
        If ``texts`` is empty or holds a non-string, or a threshold is out of range.

    Examples
    --------
    >>> found = detect_language(
    ...     ["@united my flight was delayed again, so annoying", "@united 👍",
    ...      "@Iberia mi vuelo fue cancelado y nadie me ayuda"])
    >>> found[["language", "foreign"]]
      language  foreign
    0       en    False
    1      und    False
    2       es     True
    """
    values = _texts(texts)
    identifier = _language_identifier()
    language, confidence = [], []
    for text in values:
        stripped = _HANDLE.sub(" ", _URL.sub(" ", html.unescape(text))).replace("#", " ")
        if sum(char.isalpha() for char in stripped) < min_chars:
            language.append("und")
            confidence.append(math.nan)
            continue
        code, probability = identifier.classify(" ".join(stripped.split()))
        language.append(code)
        confidence.append(probability)
    found = pd.DataFrame(
        {"language": language, "confidence": confidence}, index=_index(texts, len(values))
    )
    found["foreign"] = (found["language"] != "en") & (found["confidence"] >= min_confidence)
    return found
