"""A trained sentiment classifier for short social messages, saved without pickle.

:class:`SentimentModel` is a scikit-learn classifier trained on labelled messages (word and
character n-gram TF-IDF plus the VADER scores; a linear SVM with square-root balanced class
weights, tuned by cross-validation, plus a smaller share of a complement naive Bayes model;
its scores calibrated into probabilities); ``save`` and ``load`` keep it as plain arrays with
a checksum, and ``load`` refuses hostile files (zip bombs, huge or object arrays,
inconsistent arrays) before allocating memory for them.

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
import lzma
import math
import struct
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from scrm_lab._checks import brief, checks, current_function
from scrm_lab.exceptions import DataFileError, ParameterError
from scrm_lab.listening._lexicon import _HANDLE, _URL, SENTIMENT_LABELS, _texts, vader_scores

__all__ = ["SentimentModel"]

# words (with apostrophes), "!" and "?" runs, and the common ASCII emoticons
_TOKEN = r"[\w']+|[!?]|[:;=8][\-o']?[()\[\]dDpP/\\|*]"
_LEXICON_COLUMNS = 4  # the VADER scores: compound, positive, negative, neutral

# The class weights are (n / (k * count)) ** 0.5: full balancing lifts neutral and positive
# recall but costs accuracy; over 20 stratified 80/20 splits of the airline tweets the square
# root kept the macro-F1 and added about 0.4 points of accuracy.
_CLASS_WEIGHT_POWER = 0.5
# Complement naive Bayes on the n-gram TF-IDF (smoothing alpha), added to the SVM's scores
# with this weight (both scaled to unit spread on the training rows): it corrected about a
# third of a point of accuracy on 18 of those 20 splits.
_NB_ALPHA = 0.1
_NB_WEIGHT = 0.35

_FORMAT = "scrm_lab.SentimentModel"
_FORMAT_VERSION = 2
# The arrays of a saved model, by format version (version 1 was the SVM alone, named svm_*).
_ARRAYS = {
    1: ("words_terms", "words_idf", "chars_terms", "chars_idf", "svm_coef", "svm_intercept"),
    2: ("words_terms", "words_idf", "chars_terms", "chars_idf", "coef", "intercept"),
}
_CALIBRATION = ("calibration_coef", "calibration_intercept")

# Limits on a model file, checked before anything is allocated for it (load reads the zip's
# directory and each array's .npy header first):
_MAX_MEMBERS = 16  # a saved model holds 9 arrays; more is not a file save() wrote
_MAX_MEMBER_BYTES = 256 * 2**20  # one array: a model of a few million n-grams stays below
_MAX_TOTAL_BYTES = 512 * 2**20  # all arrays together, so that loading cannot exhaust memory
_MAX_HEADER_BYTES = 2**20  # the JSON header: settings and a few hundred CV scores
_MAX_RATIO = 200  # uncompressed / compressed size; save()'s arrays stay far below, a bomb above
_RATIO_FLOOR = 2**20  # the ratio is only checked above 1 MiB: tiny arrays are harmless
_MAX_WEIGHT = 1e6  # |value| of any stored number: fitted ones stay below 100, larger overflow
# The kind of each array (numpy dtype.kind) and its number of dimensions.
_KINDS = {
    "header": ("U", 0),
    "terms": ("U", 1),
    "idf": ("f", 1),
    "coef": ("f", 2),
    "intercept": ("f", 1),
}


def _normalize(texts: Sequence[str]) -> list[str]:
    """Tweets as the model reads them: entities decoded, links and handles as tokens."""
    return [
        _HANDLE.sub(" @user ", _URL.sub(" httpurl ", html.unescape(text))).lower() for text in texts
    ]


def _lexicon_features(texts: Sequence[str]) -> np.ndarray:
    return np.array([vader_scores(text) for text in texts]).reshape(-1, _LEXICON_COLUMNS)


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


def _spread(scores: np.ndarray) -> float:
    spread = float(np.std(scores))
    return spread if spread > 0 else 1.0


def _linear(x, y: np.ndarray, C: float, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The classes and the linear scores (``x @ coef.T + intercept``) learned from ``x``.

    A linear SVM with square-root balanced class weights plus ``_NB_WEIGHT`` times a
    complement naive Bayes model on the n-gram columns, each scaled to unit spread on the
    training rows; one coefficient row per class (with two classes the first row scores
    the opposite of the second).
    """
    classes, counts = np.unique(y, return_counts=True)
    weights = (len(y) / (len(classes) * counts)) ** _CLASS_WEIGHT_POWER
    svm = LinearSVC(C=C, class_weight=dict(zip(classes, weights, strict=True)), random_state=seed)
    svm.fit(x, y)
    coef, intercept = svm.coef_, svm.intercept_
    if len(classes) == 2:
        coef, intercept = np.vstack([-coef, coef]), np.r_[-intercept, intercept]
    svm_spread = _spread(x @ coef.T + intercept)
    n_text = x.shape[1] - _LEXICON_COLUMNS
    text = x[:, :n_text]
    log_prob = ComplementNB(alpha=_NB_ALPHA).fit(text, y).feature_log_prob_
    log_prob = log_prob - log_prob.mean(axis=0)
    coef = coef / svm_spread
    coef[:, :n_text] += _NB_WEIGHT * log_prob / _spread(text @ log_prob.T)
    return classes, coef, intercept / svm_spread


class SentimentModel(ClassifierMixin, BaseEstimator):
    """A sentiment classifier for short social messages, trained on labelled examples.

    Features: word uni- and bigrams and character 3-5-grams (within words), both TF-IDF
    with sublinear term frequency and kept when seen in at least two messages, plus the
    four VADER scores (compound, positive, negative, neutral). Before that, HTML entities
    are decoded, links become the token ``httpurl`` and ``@handles`` the token ``@user``
    (so no personal handle is learned), and the text is lowercased; "!", "?" and ASCII
    emoticons such as ``:(`` are kept as tokens, and hashtags count as their words. The
    scores are linear: a linear SVM whose class weights are the square root of balanced
    ones (the rarer neutral and positive classes count more, but not so much that accuracy
    suffers), tuned over ``Cs`` by stratified ``cv``-fold cross-validation on macro-F1,
    plus 0.35 times a complement naive Bayes model of the n-grams (each part scaled to unit
    spread). ``predict`` returns the class with the highest score; ``predict_proba`` comes
    from a multinomial logistic regression fitted on the out-of-fold scores (as with
    scikit-learn's ``SVC(probability=True)``, its most probable class can rarely differ
    from ``predict``, which scored higher on held-out tweets).

    On the airline tweets its mean held-out accuracy over five stratified 80/20 splits is
    0.833-0.837 and its macro-F1 0.780-0.786, depending on the splits (0.835 and 0.784 over
    20 splits; ``benchmarks/README.md``).

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
    features_ : sklearn.pipeline.Pipeline
        The feature steps, fitted on all the training messages.
    coef_, intercept_ : numpy.ndarray
        The linear scores: ``features_.transform(texts) @ coef_.T + intercept_``, one
        column per class.
    calibration_ : sklearn.linear_model.LogisticRegression
        Maps the scores to probabilities.

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
                _, coef, intercept = _linear(x_train, y[train], c, self.random_state)
                scores[c][test] = x_test @ coef.T + intercept
                predicted = classes[scores[c][test].argmax(axis=1)]
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
        self.features_ = _features()
        x = self.features_.fit_transform(values)
        self.classes_, self.coef_, self.intercept_ = _linear(x, y, self.C_, self.random_state)
        return self

    def _scores(self, texts: Sequence[str]) -> np.ndarray:
        function = current_function()
        if not hasattr(self, "coef_"):
            raise NotFittedError(
                f"{function}: this SentimentModel is not fitted yet; call fit(texts, labels) "
                "or SentimentModel.load(path) first."
            )
        return self.features_.transform(_texts(texts)) @ self.coef_.T + self.intercept_

    @checks()
    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of each class (columns in ``classes_`` order), one row per text."""
        return self.calibration_.predict_proba(self._scores(texts))

    @checks()
    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """The label of each text: the class with the highest score."""
        scores = self._scores(texts)
        return self.classes_[scores.argmax(axis=1)]

    def save(self, path: str | Path) -> Path:
        """Save the learned parameters (no pickle) to a ``.npz`` file; returns its path.

        The file is a zip of ``.npy`` arrays: the vocabularies (``words_terms``,
        ``chars_terms``, strings in column order), their IDF weights (``words_idf``,
        ``chars_idf``), the linear scores (``coef``: classes x (words + chars + 4 VADER
        columns), ``intercept``), the calibration (``calibration_coef``,
        ``calibration_intercept``), and ``header``, a JSON string with the format name and
        version, classes, settings, CV scores and ``sha256``: the SHA-256 of, for each
        array in that order, ``f"{name}:{dtype.str}:{shape}"`` then its C-order bytes.
        """
        if not hasattr(self, "coef_"):
            raise NotFittedError("SentimentModel.save: this SentimentModel is not fitted yet.")
        union = self.features_.named_steps["union"]
        arrays = {
            f"{name}_terms": _terms(union.get_params()[name]) for name in ("words", "chars")
        } | {
            "words_idf": union.get_params()["words"].idf_,
            "chars_idf": union.get_params()["chars"].idf_,
            "coef": self.coef_,
            "intercept": self.intercept_,
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
            "sha256": _digest(arrays, _FORMAT_VERSION),
        }
        target = Path(path)
        with target.open("wb") as handle:
            np.savez_compressed(handle, header=np.array(json.dumps(header)), **arrays)
        return target

    @classmethod
    def load(cls, path: str | Path) -> SentimentModel:
        """Load a model written by :meth:`save`, refusing any other, altered or hostile file.

        Only plain arrays are read, never pickles, so loading never runs code. Before any
        array is read, the zip's directory (number of members, their declared sizes and
        compression ratios) and each ``.npy`` header (dtype, shape, size) are checked
        against fixed limits, so a zip bomb or a header declaring a huge array is refused
        without allocating memory for it; after reading, the arrays must agree with each
        other and with the header (sizes, shapes, finite values, the SHA-256 digest).
        Files of the previous format version (1, the SVM alone) still load.

        Raises
        ------
        DataFileError
            If the file is missing, not a saved SentimentModel, altered, over the limits or
            inconsistent; the one-line message names the file and what was wrong.

        Examples
        --------
        >>> import tempfile
        >>> from scrm_lab.datasets import load_dataset
        >>> tweets = load_dataset("twitter_airline_sentiment").head(600)
        >>> model = SentimentModel(Cs=(0.2,), cv=3).fit(tweets["text"], tweets["sentiment"])
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     loaded = SentimentModel.load(model.save(Path(folder) / "model.npz"))
        >>> loaded.predict(["@united lost my bag"]).tolist()
        ['negative']
        """
        source = Path(path)
        try:
            return _load(cls, source)
        except _Refused as err:
            raise DataFileError(
                f"SentimentModel.load: '{source}' {err}; expected a file written by "
                "SentimentModel.save."
            ) from err.__cause__


class _Refused(Exception):
    """Why a model file is refused (``load`` turns it into a DataFileError naming the file)."""


# what reading a damaged or hostile zip of .npy arrays can raise
_READ_ERRORS = (  # what zipfile and numpy raise on a broken or foreign file
    OSError,
    EOFError,
    ValueError,
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,  # zipfile: a compression method it does not support
    RuntimeError,  # zipfile: an encrypted member
    struct.error,
    lzma.LZMAError,
)


def _one_line(value: object) -> str:
    """An error's text on one printable line, cut short."""
    text = " ".join(str(value).split())
    text = text if text.isprintable() else text.encode("unicode_escape").decode("ascii")
    return text if len(text) <= 120 else text[:117] + "..."


def _load(cls: type[SentimentModel], source: Path) -> SentimentModel:
    contents = _read_members(source)
    header = _header(contents.pop("header"))
    version = header.get("version")
    if not _integer(version) or version not in _ARRAYS:
        raise _Refused(f"has format version {brief(version)}, not {_FORMAT_VERSION}")
    names = (*_ARRAYS[version], *_CALIBRATION)
    if set(contents) != set(names):
        missing = brief(sorted(set(names) - set(contents)))
        raise _Refused(f"lacks arrays {missing} of format {version}, or holds others")
    if header.get("sha256") != _digest(contents, version):
        raise _Refused("was altered after it was saved (its SHA-256 digest does not match)")
    # native text and float64 from here on, whatever the file's byte order and precision
    contents = {
        name: array.astype(np.float64 if array.dtype.kind == "f" else str)
        for name, array in contents.items()
    }
    model = cls(**_settings(header))
    model.C_ = float(header["C"])
    model.classes_ = np.array(header["classes"], dtype=object)
    model.cv_results_ = pd.DataFrame(header["cv_results"])
    coef, intercept = contents[names[4]], contents[names[5]]
    _check_arrays(contents, coef, intercept, len(model.classes_))
    if coef.shape[0] == 1:  # a two-class model of format 1: one row for the second class
        coef, intercept = np.vstack([-coef, coef]), np.r_[-intercept, intercept]
    model.features_ = _rebuild(contents)
    model.coef_, model.intercept_ = coef, intercept
    model.calibration_ = LogisticRegression(C=1.0)
    model.calibration_.classes_ = model.classes_
    model.calibration_.coef_ = contents["calibration_coef"]
    model.calibration_.intercept_ = contents["calibration_intercept"]
    return model


def _read_members(source: Path) -> dict[str, np.ndarray]:
    """The arrays of a model file, each checked against the limits before it is read."""
    if source.exists() and not source.is_file():  # a folder, or a pipe that would block
        raise _Refused("is not a regular file")
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
            _check_directory(members)
            return {member.filename[:-4]: _read_member(archive, member) for member in members}
    except FileNotFoundError as err:
        raise _Refused("does not exist") from err
    except _READ_ERRORS as err:
        raise _Refused(f"is not a saved model ({_one_line(err) or type(err).__name__})") from err


def _check_directory(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > _MAX_MEMBERS:
        raise _Refused(f"holds {len(members)} members, more than the limit of {_MAX_MEMBERS}")
    names = [member.filename for member in members]
    keys = sorted(name[:-4] if name.endswith(".npy") else name for name in names)
    known = {"header", *_CALIBRATION, *(name for names in _ARRAYS.values() for name in names)}
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise _Refused(f"holds members {brief(repeated)} more than once")
    others = [name for name in names if not name.endswith(".npy")]
    if others:
        raise _Refused(f"holds members {brief(others)}, not the .npy arrays of a saved model")
    if not set(keys) <= known:
        raise _Refused(
            f"holds arrays {brief(sorted(set(keys) - known))}, not those of a saved model"
        )
    if "header" not in keys:
        raise _Refused("has no header array")
    total = 0
    for member in members:
        name, size = member.filename, member.file_size
        if member.flag_bits & 0x1:
            raise _Refused(f"has an encrypted member {name}")
        limit = _MAX_HEADER_BYTES if name == "header.npy" else _MAX_MEMBER_BYTES
        if size > limit:
            raise _Refused(
                f"declares member {name} as {size:,} bytes uncompressed, over the limit of "
                f"{limit:,}"
            )
        if size > _RATIO_FLOOR and size > _MAX_RATIO * max(member.compress_size, 1):
            raise _Refused(
                f"declares member {name} compressed {size // max(member.compress_size, 1):,} "
                f"to 1, over the limit of {_MAX_RATIO} to 1 (a zip bomb)"
            )
        total += size
    if total > _MAX_TOTAL_BYTES:
        raise _Refused(
            f"declares {total:,} bytes uncompressed in all, over the limit of {_MAX_TOTAL_BYTES:,}"
        )


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> np.ndarray:
    """One ``.npy`` member: its header checked (kind, dimensions, size) before its data."""
    name = member.filename[:-4]
    kind, ndim = _KINDS[name.rsplit("_", 1)[-1]]
    with archive.open(member) as stream:
        shape, fortran, dtype = _npy_header(stream, name)
        if dtype.kind != kind or dtype.itemsize == 0:
            expected = "text" if kind == "U" else "floating-point numbers"
            raise _Refused(f"has array {name} of dtype {dtype.str}, not {expected}")
        if len(shape) != ndim or any(length < 0 for length in shape):
            raise _Refused(f"has array {name} of shape {shape}, not {ndim}-dimensional")
        size = math.prod(shape) * dtype.itemsize
        if size != member.file_size - stream.tell():
            raise _Refused(
                f"has array {name} declaring shape {shape} ({size:,} bytes) in a member of "
                f"{member.file_size:,} bytes"
            )
        data = stream.read(size)
    return np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")


def _npy_header(stream: IO[bytes], name: str) -> tuple[tuple[int, ...], bool, np.dtype]:
    version = np.lib.format.read_magic(stream)
    if version == (1, 0):
        return np.lib.format.read_array_header_1_0(stream)
    if version == (2, 0):
        return np.lib.format.read_array_header_2_0(stream)
    raise _Refused(f"has array {name} in .npy format {version}, not 1.0 or 2.0")


def _header(array: np.ndarray) -> dict:
    """The JSON header; refused unless it names this format."""
    try:
        header = json.loads(str(array[()]))
    except (ValueError, RecursionError) as err:
        raise _Refused("has an unreadable header") from err
    if not isinstance(header, dict) or header.get("format") != _FORMAT:
        raise _Refused("is not a saved SentimentModel (its header names another format)")
    return header


def _settings(header: dict) -> dict:
    """The constructor's settings from a header, each field checked."""

    def malformed(field: str, expected: str) -> _Refused:
        return _Refused(f"has a malformed header (its {field!r} must be {expected})")

    params = header.get("params")
    if not isinstance(params, dict):
        raise malformed("params", "an object with 'Cs' and 'cv'")
    Cs, cv, seed = params.get("Cs"), params.get("cv"), header.get("random_state")
    if not isinstance(Cs, list) or not Cs or not all(_positive(c) for c in Cs):
        raise malformed("Cs", "a non-empty list of positive numbers")
    if not _integer(cv) or cv < 2:
        raise malformed("cv", "an integer of at least 2")
    if not _integer(seed) or not 0 <= seed < 2**32:
        raise malformed("random_state", "an integer from 0 to 2**32 - 1")
    if not _positive(header.get("C")):
        raise malformed("C", "a positive number")
    classes = header.get("classes")
    if (
        not isinstance(classes, list)
        or len(classes) < 2
        or not all(isinstance(label, str) and label in SENTIMENT_LABELS for label in classes)
        or classes != sorted(set(classes))
    ):
        raise malformed("classes", f"two or more of {list(SENTIMENT_LABELS)}, sorted")
    results = header.get("cv_results")
    columns = ["C", "fold", "accuracy", "macro_f1"]
    if (
        not isinstance(results, dict)
        or sorted(results) != sorted(columns)
        or not all(isinstance(results[c], list) for c in columns)
        or len({len(results[c]) for c in columns}) != 1
        or not all(_real(v) for c in columns for v in results[c])
    ):
        raise malformed("cv_results", f"lists of numbers of one length under {columns}")
    return {"Cs": tuple(Cs), "cv": cv, "random_state": seed}


def _real(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _positive(value: object) -> bool:
    return _real(value) and value > 0


def _integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_arrays(
    arrays: dict[str, np.ndarray], coef: np.ndarray, intercept: np.ndarray, n_classes: int
) -> None:
    """Refuse arrays that do not fit together (they would fail later, inside scikit-learn)."""
    n_features = _LEXICON_COLUMNS
    for name in ("words", "chars"):
        terms, idf = arrays[f"{name}_terms"], arrays[f"{name}_idf"]
        if len(terms) == 0:
            raise _Refused(f"has no terms in {name}_terms")
        if len(np.unique(terms)) < len(terms):
            raise _Refused(f"has a term repeated in {name}_terms")
        if idf.shape != terms.shape:
            raise _Refused(
                f"has {len(idf)} {name}_idf weights for {len(terms)} {name}_terms; expected "
                "one weight per term"
            )
        n_features += len(terms)
    rows = (1, n_classes) if n_classes == 2 else (n_classes,)
    calibration_rows = 1 if n_classes == 2 else n_classes
    shapes = {
        "coef": (coef.shape, [(r, n_features) for r in rows]),
        "intercept": (intercept.shape, [(coef.shape[0],)]),
        "calibration_coef": (arrays["calibration_coef"].shape, [(calibration_rows, n_classes)]),
        "calibration_intercept": (arrays["calibration_intercept"].shape, [(calibration_rows,)]),
    }
    for name, (shape, expected) in shapes.items():
        if shape not in expected:
            wanted = " or ".join(str(e) for e in expected)
            raise _Refused(
                f"has {name} of shape {shape}, expected {wanted} for {n_classes} classes and "
                f"{n_features:,} features"
            )
    for name, array in arrays.items():
        if array.dtype.kind == "f" and not np.isfinite(array).all():
            raise _Refused(f"has non-finite values in {name}")
        if array.dtype.kind == "f" and array.size and np.abs(array).max() > _MAX_WEIGHT:
            raise _Refused(f"has values in {name} beyond +-{_MAX_WEIGHT:g}")
        if name.endswith("_idf") and (array <= 0).any():
            raise _Refused(f"has weights <= 0 in {name}; IDF weights are at least 1")


def _terms(vectorizer: TfidfVectorizer) -> np.ndarray:
    """The vocabulary as an array of terms in column order."""
    terms = np.empty(len(vectorizer.vocabulary_), dtype=object)
    for term, column in vectorizer.vocabulary_.items():
        terms[column] = term
    return terms.astype(str)


def _digest(arrays: dict[str, np.ndarray], version: int) -> str:
    digest = hashlib.sha256()
    for name in (*_ARRAYS[version], *_CALIBRATION):
        array = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}:{array.dtype.str}:{array.shape}".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def _rebuild(arrays: dict[str, np.ndarray]) -> Pipeline:
    """The feature steps with the saved vocabularies and IDF weights."""
    features = _features()
    union = features.named_steps["union"]
    for name in ("words", "chars"):
        vectorizer = union.get_params()[name]
        vectorizer.vocabulary_ = {
            term: i for i, term in enumerate(arrays[f"{name}_terms"].tolist())
        }
        vectorizer.idf_ = arrays[f"{name}_idf"]
    return features


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
