"""Message sentiment: a VADER lexicon baseline, a trained model, and language flags.

Three tools for listening (issue 6):

* :func:`lexicon_sentiment` scores texts with VADER (built for social media text), needing
  no training data;
* :class:`SentimentModel` is a scikit-learn classifier trained on labelled messages (word
  and character n-gram TF-IDF plus the VADER scores, a class-balanced linear SVM tuned by
  cross-validation, its scores calibrated into probabilities), saved and loaded without
  pickle;
* :func:`detect_language` flags messages in other languages, so that they are not
  silently scored as English.

:func:`evaluate_sentiment` compares the lexicon and the model on the same held-out rows.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from scrm_lab._checks import COLUMN, SEED, Integer, Many, Real, checks, require_columns
from scrm_lab._proportions import wilson
from scrm_lab.exceptions import DataFileError, ParameterError, SchemaError

__all__ = [
    "SENTIMENT_LABELS",
    "SentimentEvaluation",
    "SentimentModel",
    "detect_language",
    "evaluate_sentiment",
    "lexicon_sentiment",
]

SENTIMENT_LABELS = ("negative", "neutral", "positive")

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_HANDLE = re.compile(r"@\w+")
# words (with apostrophes), "!" and "?" runs, and the common ASCII emoticons
_TOKEN = r"[\w']+|[!?]|[:;=8][\-o']?[()\[\]dDpP/\\|*]"
_FORMAT = "scrm_lab.SentimentModel"
_FORMAT_VERSION = 1
_ARRAYS = (
    "words_terms",
    "words_idf",
    "chars_terms",
    "chars_idf",
    "svm_coef",
    "svm_intercept",
    "calibration_coef",
    "calibration_intercept",
)


def _texts(texts: object, function: str) -> list[str]:
    """The texts as a list of str; refused when empty or not all strings."""
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
    values = _texts(texts, "lexicon_sentiment")
    analyzer = _vader()
    compound = np.array([analyzer.polarity_scores(text)["compound"] for text in values])
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
    values = _texts(texts, "detect_language")
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


def _normalize(texts: Sequence[str]) -> list[str]:
    """Tweets as the model reads them: entities decoded, links and handles as tokens."""
    return [
        _HANDLE.sub(" @user ", _URL.sub(" httpurl ", html.unescape(text))).lower() for text in texts
    ]


def _lexicon_features(texts: Sequence[str]) -> np.ndarray:
    analyzer = _vader()
    scores = [analyzer.polarity_scores(text) for text in texts]
    return np.array([[s["compound"], s["pos"], s["neg"], s["neu"]] for s in scores])


def _words() -> TfidfVectorizer:
    return TfidfVectorizer(
        lowercase=False, token_pattern=_TOKEN, ngram_range=(1, 2), min_df=2, sublinear_tf=True
    )


def _chars() -> TfidfVectorizer:
    return TfidfVectorizer(
        lowercase=False, analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True
    )


def _features() -> Pipeline:
    return Pipeline(
        [
            ("normalize", FunctionTransformer(_normalize)),
            (
                "union",
                FeatureUnion(
                    [
                        ("words", _words()),
                        ("chars", _chars()),
                        ("lexicon", FunctionTransformer(_lexicon_features)),
                    ]
                ),
            ),
        ]
    )


def _svm(C: float, seed: int) -> LinearSVC:
    return LinearSVC(C=C, class_weight="balanced", random_state=seed)


class SentimentModel(ClassifierMixin, BaseEstimator):
    """A sentiment classifier for short social messages, trained on labelled examples.

    Features: word uni- and bigrams and character 3-5-grams (within words), both TF-IDF
    with sublinear term frequency and kept when seen in at least two messages, plus the
    four VADER scores (compound, positive, negative, neutral). Before that, HTML entities
    are decoded, links become the token ``httpurl`` and ``@handles`` the token ``@user``
    (so no personal handle is learned), and the text is lowercased; "!", "?" and ASCII
    emoticons such as ``:(`` are kept as tokens, and hashtags count as their words. A
    linear SVM with class-balanced weights (so the rarer neutral and positive classes are
    not swamped by complaints) is tuned over ``Cs`` by stratified ``cv``-fold
    cross-validation on macro-F1. ``predict`` returns the class with the highest SVM
    score; ``predict_proba`` comes from a multinomial logistic regression fitted on the
    SVM's out-of-fold scores (as with scikit-learn's ``SVC(probability=True)``, its most
    probable class can rarely differ from ``predict``, which scored higher on held-out
    tweets).

    Parameters
    ----------
    Cs : sequence of float, default (0.05, 0.1, 0.2, 0.4)
        Candidate regularization strengths of the SVM (larger: less regularized).
    cv : int, default 5
        Folds of the cross-validation (at least 2).
    random_state : int, default 0
        Seed of the fold shuffling.

    Attributes
    ----------
    classes_ : numpy.ndarray
        The labels, sorted.
    C_ : float
        The chosen strength.
    cv_results_ : pandas.DataFrame
        Columns ``C``, ``fold``, ``accuracy``, ``macro_f1``: one row per candidate and fold.
    pipeline_ : sklearn.pipeline.Pipeline
        Feature steps and the SVM, fitted on all the training messages.
    calibration_ : sklearn.linear_model.LogisticRegression
        Maps the SVM's scores to probabilities.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> tweets = load_dataset("twitter_airline_sentiment").head(600)
    >>> model = SentimentModel(Cs=(0.2,), cv=3).fit(tweets["text"], tweets["sentiment"])
    >>> model.classes_.tolist()
    ['negative', 'neutral', 'positive']
    >>> model.predict(["@united thank you so much, great crew!", "@united lost my bag"])
    array(['positive', 'negative'], dtype=object)
    """

    def __init__(
        self, *, Cs: Sequence[float] = (0.05, 0.1, 0.2, 0.4), cv: int = 5, random_state: int = 0
    ) -> None:
        self.Cs = Cs
        self.cv = cv
        self.random_state = random_state

    def _check_params(self) -> list[float]:
        Cs = list(self.Cs) if isinstance(self.Cs, Sequence | np.ndarray) else []
        if not Cs or not all(
            isinstance(c, float | int) and not isinstance(c, bool) and c > 0 for c in Cs
        ):
            raise ParameterError(
                "The 'Cs' parameter of SentimentModel must be a non-empty sequence of "
                f"positive numbers. Got {self.Cs!r} instead."
            )
        if not isinstance(self.cv, int) or isinstance(self.cv, bool) or self.cv < 2:
            raise ParameterError(
                "The 'cv' parameter of SentimentModel must be an integer of at least 2. "
                f"Got {self.cv!r} instead."
            )
        return [float(c) for c in Cs]

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> SentimentModel:
        """Tune, fit and calibrate on labelled texts; returns the fitted model.

        Raises
        ------
        ParameterError
            If the texts or labels are bad (empty, non-strings, lengths differ, a label
            outside negative/neutral/positive, a class with fewer than ``cv`` examples).
        """
        Cs = self._check_params()
        values = _texts(texts, "SentimentModel.fit")
        y = _labels(labels, len(values), "SentimentModel.fit")
        classes, counts = np.unique(y, return_counts=True)
        if len(classes) < 2 or counts.min() < self.cv:
            raise ParameterError(
                "The 'labels' parameter of SentimentModel.fit must hold at least two classes "
                f"with at least cv={self.cv} examples each. Got counts "
                f"{dict(zip(classes.tolist(), counts.tolist(), strict=True))} instead."
            )
        folds = StratifiedKFold(self.cv, shuffle=True, random_state=self.random_state)
        rows, scores = [], {c: np.zeros((len(y), len(classes))) for c in Cs}
        for fold, (train, test) in enumerate(folds.split(values, y)):
            features = _features()
            x_train = features.fit_transform([values[i] for i in train])
            x_test = features.transform([values[i] for i in test])
            for c in Cs:
                svm = _svm(c, self.random_state).fit(x_train, y[train])
                decision = svm.decision_function(x_test)
                scores[c][test] = decision if decision.ndim == 2 else np.c_[-decision, decision]
                predicted = svm.predict(x_test)
                rows.append(
                    {
                        "C": c,
                        "fold": fold,
                        "accuracy": accuracy_score(y[test], predicted),
                        "macro_f1": f1_score(y[test], predicted, average="macro"),
                    }
                )
        self.cv_results_ = pd.DataFrame(rows, columns=["C", "fold", "accuracy", "macro_f1"])
        means = self.cv_results_.groupby("C", sort=False)["macro_f1"].mean()
        self.C_ = float(means.idxmax())
        self.calibration_ = LogisticRegression(C=1.0).fit(scores[self.C_], y)
        self.pipeline_ = Pipeline(
            [("features", _features()), ("svm", _svm(self.C_, self.random_state))]
        )
        self.pipeline_.fit(values, y)
        self.classes_ = self.pipeline_.classes_
        return self

    def _scores(self, texts: Sequence[str], function: str) -> np.ndarray:
        if not hasattr(self, "pipeline_"):
            raise NotFittedError(
                f"{function}: this SentimentModel is not fitted yet; call fit(texts, labels) "
                "or SentimentModel.load(path) first."
            )
        decision = self.pipeline_.decision_function(_texts(texts, function))
        return decision if decision.ndim == 2 else np.c_[-decision, decision]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of each class (columns in ``classes_`` order), one row per text."""
        return self.calibration_.predict_proba(self._scores(texts, "SentimentModel.predict_proba"))

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """The label of each text: the class with the highest SVM score."""
        scores = self._scores(texts, "SentimentModel.predict")
        return self.classes_[scores.argmax(axis=1)]

    def save(self, path: str | Path) -> Path:
        """Save the learned parameters (no pickle) to a ``.npz`` file; returns its path.

        The file holds the vocabularies, IDF weights, SVM and calibration coefficients as
        plain arrays and a JSON header with the format name, settings and a SHA-256 digest
        of the arrays, which :meth:`load` checks.
        """
        if not hasattr(self, "pipeline_"):
            raise NotFittedError("SentimentModel.save: this SentimentModel is not fitted yet.")
        union = self.pipeline_.named_steps["features"].named_steps["union"]
        svm = self.pipeline_.named_steps["svm"]
        arrays = {
            f"{name}_terms": _terms(union.get_params()[name]) for name in ("words", "chars")
        } | {
            "words_idf": union.get_params()["words"].idf_,
            "chars_idf": union.get_params()["chars"].idf_,
            "svm_coef": svm.coef_,
            "svm_intercept": svm.intercept_,
            "calibration_coef": self.calibration_.coef_,
            "calibration_intercept": self.calibration_.intercept_,
        }
        header = {
            "format": _FORMAT,
            "version": _FORMAT_VERSION,
            "classes": self.classes_.tolist(),
            "C": self.C_,
            "params": {"Cs": [float(c) for c in self.Cs], "cv": self.cv},
            "random_state": self.random_state,
            "cv_results": self.cv_results_.to_dict(orient="list"),
            "sha256": _digest(arrays),
        }
        target = Path(path)
        with target.open("wb") as handle:
            np.savez_compressed(handle, header=np.array(json.dumps(header)), **arrays)
        return target

    @classmethod
    def load(cls, path: str | Path) -> SentimentModel:
        """Load a model written by :meth:`save`, refusing any other or altered file.

        Only plain arrays are read (``allow_pickle=False``), so loading never runs code.

        Raises
        ------
        DataFileError
            If the file is missing, not a saved SentimentModel, or was altered.
        """
        source = Path(path)

        def refuse(why: str) -> DataFileError:
            return DataFileError(
                f"SentimentModel.load: '{source}' {why}; expected a file written by "
                "SentimentModel.save."
            )

        try:
            with np.load(source, allow_pickle=False) as stored:
                contents = {name: stored[name] for name in stored.files}
        except FileNotFoundError as err:
            raise refuse("does not exist") from err
        except (OSError, ValueError, zipfile.BadZipFile, EOFError) as err:
            raise refuse(f"is not a saved model ({err})") from err
        if set(contents) != {"header", *_ARRAYS}:
            raise refuse(f"holds arrays {sorted(contents)}, not those of a saved model")
        try:
            header = json.loads(str(contents.pop("header")))
        except json.JSONDecodeError as err:
            raise refuse("has an unreadable header") from err
        if not isinstance(header, dict) or header.get("format") != _FORMAT:
            raise refuse("is not a saved SentimentModel (its header names another format)")
        if header.get("version") != _FORMAT_VERSION:
            raise refuse(f"has format version {header.get('version')!r}, not {_FORMAT_VERSION}")
        if header.get("sha256") != _digest(contents):
            raise refuse("was altered after it was saved (its SHA-256 digest does not match)")
        try:
            model = cls(
                Cs=tuple(header["params"]["Cs"]),
                cv=header["params"]["cv"],
                random_state=header["random_state"],
            )
            model.C_ = float(header["C"])
            model.cv_results_ = pd.DataFrame(header["cv_results"])
            model.classes_ = np.array(header["classes"], dtype=object)
        except (KeyError, TypeError, ValueError) as err:
            raise refuse(f"has a malformed header ({err!r})") from err
        n_features = len(contents["words_terms"]) + len(contents["chars_terms"]) + 4
        if contents["svm_coef"].shape != (len(model.classes_), n_features):
            raise refuse("has coefficients that do not fit its vocabularies")
        model.pipeline_ = _rebuild(contents, model.classes_, model.C_, model.random_state)
        model.calibration_ = LogisticRegression(C=1.0)
        model.calibration_.classes_ = model.classes_
        model.calibration_.coef_ = contents["calibration_coef"]
        model.calibration_.intercept_ = contents["calibration_intercept"]
        return model


def _terms(vectorizer: TfidfVectorizer) -> np.ndarray:
    """The vocabulary as an array of terms in column order."""
    terms = np.empty(len(vectorizer.vocabulary_), dtype=object)
    for term, column in vectorizer.vocabulary_.items():
        terms[column] = term
    return terms.astype(str)


def _digest(arrays: dict[str, np.ndarray]) -> str:
    digest = hashlib.sha256()
    for name in _ARRAYS:
        array = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}:{array.dtype.str}:{array.shape}".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def _rebuild(arrays: dict[str, np.ndarray], classes: np.ndarray, C: float, seed: int) -> Pipeline:
    features = _features()
    union = features.named_steps["union"]
    for name in ("words", "chars"):
        vectorizer = union.get_params()[name]
        vectorizer.vocabulary_ = {term: i for i, term in enumerate(arrays[f"{name}_terms"])}
        vectorizer.idf_ = arrays[f"{name}_idf"]
    svm = _svm(C, seed)
    svm.classes_ = classes
    svm.coef_ = arrays["svm_coef"]
    svm.intercept_ = arrays["svm_intercept"]
    return Pipeline([("features", features), ("svm", svm)])


def _labels(labels: object, size: int, function: str) -> np.ndarray:
    """The labels as an object array; refused unless negative/neutral/positive strings."""
    if isinstance(labels, str) or not isinstance(labels, Sequence | pd.Series | np.ndarray):
        raise ParameterError(
            f"The 'labels' parameter of {function} must be a sequence of labels. "
            f"Got {type(labels).__name__} instead."
        )
    values = np.array([str(v) if isinstance(v, str) else v for v in labels], dtype=object)
    if len(values) != size:
        raise ParameterError(
            f"The 'labels' parameter of {function} must have one label per text ({size}). "
            f"Got {len(values)} instead."
        )
    bad = [v for v in values if v not in SENTIMENT_LABELS]
    if bad:
        raise ParameterError(
            f"The 'labels' parameter of {function} must hold only {list(SENTIMENT_LABELS)}. "
            f"Got {bad[0]!r} instead."
        )
    return values


@dataclass(frozen=True)
class SentimentEvaluation:
    """The lexicon and the trained model scored on the same held-out messages.

    Attributes
    ----------
    metrics : pandas.DataFrame
        Columns ``method`` (``"lexicon"``, ``"model"``), ``accuracy``, ``ci_low``,
        ``ci_high`` (Wilson 95% interval of the accuracy), ``macro_f1``, ``n``.
    confusion : pandas.DataFrame
        Columns ``method``, ``actual``, ``predicted``, ``count``: every pair of labels.
    per_class : pandas.DataFrame
        Columns ``method``, ``label``, ``precision``, ``recall``, ``f1``, ``support``.
    cv_scores : pandas.DataFrame
        The model's cross-validation on the training part (``SentimentModel.cv_results_``).
    model : SentimentModel
        The model fitted on the training part.
    n_train, n_test : int
        Split sizes.
    predictions : pandas.DataFrame
        Columns ``row`` (position in the input table), ``actual``, ``lexicon``, ``model``:
        one row per held-out message.
    """

    metrics: pd.DataFrame
    confusion: pd.DataFrame
    per_class: pd.DataFrame
    cv_scores: pd.DataFrame
    model: SentimentModel
    n_train: int
    n_test: int
    predictions: pd.DataFrame


@checks(
    text=COLUMN,
    sentiment=COLUMN,
    test_size=Real(0, 1, low_open=True, high_open=True),
    seed=SEED,
    cv=Integer(low=2),
    Cs=Many(Real(low=0, low_open=True), "a non-empty sequence of positive numbers"),
)
def evaluate_sentiment(
    messages: pd.DataFrame,
    *,
    text: str = "text",
    sentiment: str = "sentiment",
    test_size: float = 0.2,
    seed: int = 0,
    cv: int = 5,
    Cs: Sequence[float] = (0.05, 0.1, 0.2, 0.4),
) -> SentimentEvaluation:
    """Compare the VADER lexicon and a trained :class:`SentimentModel` on held-out messages.

    The rows are split once, stratified by label (``test_size`` held out, ``seed`` fixing
    the draw); the model is tuned by ``cv``-fold cross-validation and fitted on the
    training part only; both methods then label the same held-out rows.

    Parameters
    ----------
    messages : pandas.DataFrame
        A messages table with a text and a sentiment column.
    text, sentiment : str, default "text", "sentiment"
        Column names; labels must be ``negative``, ``neutral`` or ``positive``.
    test_size : float, default 0.2
        Share of rows held out, strictly between 0 and 1.
    seed : int, default 0
        Seed of the split and of the folds.
    cv : int, default 5
        Cross-validation folds on the training part.
    Cs : sequence of float, default (0.05, 0.1, 0.2, 0.4)
        Candidate strengths, as in :class:`SentimentModel`.

    Returns
    -------
    SentimentEvaluation
        Metrics, confusion counts, per-class report, CV scores, the model, split sizes
        and the held-out predictions.

    Raises
    ------
    SchemaError
        If a column is missing or holds non-strings or other labels.
    ParameterError
        If ``messages`` is not a DataFrame or is empty, or ``test_size`` is out of (0, 1).

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> tweets = load_dataset("twitter_airline_sentiment").head(1000)
    >>> result = evaluate_sentiment(tweets, cv=3, Cs=(0.2,))
    >>> result.n_train, result.n_test
    (800, 200)
    >>> result.metrics.columns.tolist()
    ['method', 'accuracy', 'ci_low', 'ci_high', 'macro_f1', 'n']
    """
    function = "evaluate_sentiment"
    require_columns(messages, [text, sentiment], function)
    if messages.empty:
        raise ParameterError(
            f"The 'messages' parameter of {function} must have at least one row. Got none."
        )
    texts = messages[text].to_numpy(dtype=object)
    for position, value in enumerate(texts):
        if not isinstance(value, str):
            raise SchemaError(
                f"{function}: column '{text}' must hold strings; row {position} holds {value!r}.",
                column=text,
                row=position + 1,
            )
    labels = messages[sentiment].astype(object).to_numpy()
    for position, value in enumerate(labels):
        if value not in SENTIMENT_LABELS:
            raise SchemaError(
                f"{function}: column '{sentiment}' must hold only {list(SENTIMENT_LABELS)}; "
                f"row {position} holds {value!r}.",
                column=sentiment,
                row=position + 1,
            )
    train, test = train_test_split(
        np.arange(len(texts)), test_size=test_size, stratify=labels, random_state=seed
    )
    model = SentimentModel(Cs=Cs, cv=cv, random_state=seed).fit(texts[train], labels[train])
    actual = labels[test]
    predicted = {
        "lexicon": lexicon_sentiment(texts[test])["label"].to_numpy(dtype=object),
        "model": model.predict(texts[test]),
    }
    metric_rows, confusion_rows, class_rows = [], [], []
    for method, guess in predicted.items():
        correct = int((guess == actual).sum())
        low, high = (float(v) for v in wilson(correct, len(test), 0.05))
        metric_rows.append(
            {
                "method": method,
                "accuracy": correct / len(test),
                "ci_low": low,
                "ci_high": high,
                "macro_f1": f1_score(actual, guess, average="macro", labels=SENTIMENT_LABELS),
                "n": len(test),
            }
        )
        counts = confusion_matrix(actual, guess, labels=SENTIMENT_LABELS)
        for i, real in enumerate(SENTIMENT_LABELS):
            for j, label in enumerate(SENTIMENT_LABELS):
                confusion_rows.append((method, real, label, int(counts[i, j])))
        precision, recall, f1, support = precision_recall_fscore_support(
            actual, guess, labels=SENTIMENT_LABELS, zero_division=0
        )
        for k, label in enumerate(SENTIMENT_LABELS):
            class_rows.append((method, label, precision[k], recall[k], f1[k], int(support[k])))
    return SentimentEvaluation(
        metrics=pd.DataFrame(metric_rows),
        confusion=pd.DataFrame(confusion_rows, columns=["method", "actual", "predicted", "count"]),
        per_class=pd.DataFrame(
            class_rows, columns=["method", "label", "precision", "recall", "f1", "support"]
        ),
        cv_scores=model.cv_results_.copy(),
        model=model,
        n_train=len(train),
        n_test=len(test),
        predictions=pd.DataFrame({"row": test, "actual": actual, **predicted}),
    )
