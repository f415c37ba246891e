"""A trained sentiment classifier for short social messages, saved without pickle.

:class:`SentimentModel` is a scikit-learn classifier trained on labelled messages (word and
character n-gram TF-IDF plus the VADER scores, a class-balanced linear SVM tuned by
cross-validation, its scores calibrated into probabilities); ``save`` and ``load`` keep it as
plain arrays with a checksum.

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> tweets = load_dataset("twitter_airline_sentiment").head(600)
>>> model = SentimentModel(Cs=(0.2,), cv=3).fit(tweets["text"], tweets["sentiment"])
>>> sorted(model.classes_)
['negative', 'neutral', 'positive']
"""

from __future__ import annotations

import hashlib
import html
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from scrm_lab._checks import checks, current_function
from scrm_lab.exceptions import DataFileError, ParameterError
from scrm_lab.listening._lexicon import _HANDLE, _URL, SENTIMENT_LABELS, _texts, _vader

__all__ = ["SentimentModel"]

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

    @checks()
    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> SentimentModel:
        """Tune, fit and calibrate on labelled texts; returns the fitted model.

        Raises
        ------
        ParameterError
            If the texts or labels are bad (empty, non-strings, lengths differ, a label
            outside negative/neutral/positive, a class with fewer than ``cv`` examples).
        """
        Cs = self._check_params()
        values = _texts(texts)
        y = _labels(labels, len(values))
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

    def _scores(self, texts: Sequence[str]) -> np.ndarray:
        function = current_function()
        if not hasattr(self, "pipeline_"):
            raise NotFittedError(
                f"{function}: this SentimentModel is not fitted yet; call fit(texts, labels) "
                "or SentimentModel.load(path) first."
            )
        decision = self.pipeline_.decision_function(_texts(texts))
        return decision if decision.ndim == 2 else np.c_[-decision, decision]

    @checks()
    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of each class (columns in ``classes_`` order), one row per text."""
        return self.calibration_.predict_proba(self._scores(texts))

    @checks()
    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """The label of each text: the class with the highest SVM score."""
        scores = self._scores(texts)
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


def _labels(labels: object, size: int) -> np.ndarray:
    """The labels as an object array; refused unless negative/neutral/positive strings."""
    function = current_function()
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
