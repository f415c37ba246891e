"""Cleaning and weighing the messages' words before topics are fitted (private to listening).

A message's text loses HTML entities, links, handles, words with digits and apostrophes;
what is left is split into words of letters, stop words and the brands' own names are
dropped, plurals are optionally folded, and TF-IDF (or, for LDA, counts) weighs the rest.

Examples
--------
>>> _tokens("Lost my bags &amp; 2 hours @Delta http://t.co/x", frozenset({"my"}))
['lost', 'bags', 'hours']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from scrm_lab._checks import current_function, require_columns
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.privacy import MENTION

_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE)  # &amp; &#39; &gt;
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_NUMBER = re.compile(r"\b\w*\d\w*\b")  # 12, 3pm, ua938: words with a digit
_APOSTROPHE = re.compile(r"['\u2019]")  # can't -> cant, so it meets its stop word
_WORD = re.compile(r"[^\W\d_]{2,}")  # letters only, at least two

# --------------------------------------------------------------------------- cleaning


def _brand_words(names: pd.Series) -> set[str]:
    """The words of each brand name, and the name written as one word ("usairways")."""
    words: set[str] = set()
    for name in names.dropna().astype(str).unique():
        parts = _WORD.findall(_APOSTROPHE.sub("", name.lower()))
        words.update(parts)
        words.add("".join(parts))
    return words


def _tokens(text: object, stop: frozenset[str]) -> list[str]:
    """The words of one message: entities, URLs, handles, words with digits, stop words out."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return []
    cleaned = _ENTITY.sub(" ", str(text))
    cleaned = _URL.sub(" ", cleaned)
    cleaned = MENTION.sub(" ", cleaned)
    cleaned = _NUMBER.sub(" ", cleaned)
    cleaned = _APOSTROPHE.sub("", cleaned).lower()
    return [word for word in _WORD.findall(cleaned) if word not in stop]


def _fold_plurals(documents: list[list[str]]) -> list[list[str]]:
    """Count "bags" as "bag" when "bag" occurs too (longer than 3 letters, not "-ss")."""
    seen = Counter(word for words in documents for word in words)

    def single(word: str) -> str:
        stem = word[:-1]
        keep = not word.endswith("s") or word.endswith("ss") or len(word) <= 3
        return word if keep or stem not in seen else stem

    folded = {word: single(word) for word in seen}
    return [[folded[word] for word in words] for words in documents]


def _as_is(words: list[str]) -> list[str]:
    return words


@dataclass(frozen=True)
class _Matrix:
    """The vectorized messages: weights (TF-IDF or counts), vocabulary, ids, usable rows."""

    weights: sparse.csr_matrix
    vocabulary: np.ndarray
    ids: pd.Series
    usable: np.ndarray  # rows with at least one term


def _vectorize(
    data: pd.DataFrame,
    *,
    method: str,
    text: str,
    id: str,
    brand: str | None,
    max_features: int,
    min_df: int,
    fold_plurals: bool,
    stop_words: Sequence[str],
) -> _Matrix:
    from sklearn.feature_extraction.text import (
        ENGLISH_STOP_WORDS,
        CountVectorizer,
        TfidfVectorizer,
    )

    function = current_function()
    require_columns(data, [text, id, *([brand] if brand is not None else [])])
    if len(data) == 0:
        raise ParameterError(
            f"The 'data' parameter of {function} has no rows; expected at least one message."
        )
    ids = data[id]
    n_missing = int(ids.isna().sum())
    if n_missing:
        raise SchemaError(
            f"{function}: column {id!r} is missing in {n_missing} row(s); expected an id "
            f"in every row.",
            column=id,
        )
    ids = ids.astype(str).reset_index(drop=True)
    repeated = ids[ids.duplicated()]
    if len(repeated):
        raise SchemaError(
            f"{function}: column {id!r} repeats {repeated.nunique()} id(s), e.g. "
            f"{repeated.iloc[0]!r}; expected one row per message.",
            column=id,
        )
    extra = {word.lower() for word in stop_words}
    brands = _brand_words(data[brand]) if brand is not None else set()
    stop = frozenset(ENGLISH_STOP_WORDS | brands | extra)
    documents = [_tokens(value, stop) for value in data[text].tolist()]
    if fold_plurals:
        documents = _fold_plurals(documents)
    kind = TfidfVectorizer if method == "nmf" else CountVectorizer
    vectorizer = kind(analyzer=_as_is, max_features=max_features, min_df=min_df)
    try:
        weights = vectorizer.fit_transform(documents)
    except ValueError as err:  # "empty vocabulary" or "no terms remain" after min_df
        raise ParameterError(
            f"{function}: no term is left in column {text!r} after cleaning (handles, URLs, "
            f"HTML entities, words with digits, English stop words"
            f"{', brand names' if brand is not None else ''} dropped) and keeping the terms "
            f"of at least min_df={min_df} messages; expected texts with words in common "
            f"(lower min_df, or check the column)."
        ) from err
    weights = sparse.csr_matrix(weights, dtype="float64")
    usable = np.asarray(weights.getnnz(axis=1) > 0)
    return _Matrix(weights, vectorizer.get_feature_names_out(), ids, usable)
