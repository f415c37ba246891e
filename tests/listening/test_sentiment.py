"""Tests of listening sentiment (_lexicon, _model, _evaluation): lexicon, language, model."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
from sklearn.model_selection import StratifiedShuffleSplit

from scrm_lab.exceptions import DataFileError, ParameterError, SchemaError
from scrm_lab.listening import (
    SENTIMENT_LABELS,
    SentimentModel,
    detect_language,
    evaluate_sentiment,
    evaluate_sentiment_splits,
    lexicon_sentiment,
)


@pytest.fixture(scope="module")
def evaluation(tweets):
    """The full held-out evaluation, fitted once for the module."""
    return evaluate_sentiment(tweets, test_size=0.2, seed=0, cv=5)


@pytest.fixture(scope="module")
def small_model(tweets) -> SentimentModel:
    head = tweets.head(800)
    return SentimentModel(Cs=(0.2,), cv=3).fit(head["text"], head["sentiment"])


def test_lexicon_labels_hand_made_sentences():
    texts = pd.Series(
        [
            "I love this crew, best flight ever!",
            "Worst airline. Lost my bag, terrible.",
            "Gate 12.",
        ],
        index=[10, 11, 12],
    )
    found = lexicon_sentiment(texts)
    assert found.columns.tolist() == ["compound", "label"]
    assert found.index.tolist() == [10, 11, 12]
    assert found["label"].tolist() == ["positive", "negative", "neutral"]
    assert found.loc[10, "compound"] > 0.5 > -0.5 > found.loc[11, "compound"]


def test_lexicon_neutral_band_widens_neutral():
    assert lexicon_sentiment(["ok thanks"], neutral_band=0.99)["label"].tolist() == ["neutral"]


def test_detect_language_hand_made_examples():
    texts = [
        "@united my flight was delayed three hours and nobody told us anything",
        "@Iberia mi vuelo fue cancelado otra vez y nadie responde, qué vergüenza",
        "@AirFrance merci beaucoup pour ce vol très agréable, l'équipage était parfait",
        "@Lufthansa vielen Dank für den tollen Flug, das Personal war sehr freundlich",
    ]
    found = detect_language(texts)
    assert found["language"].tolist() == ["en", "es", "fr", "de"]
    assert found["foreign"].tolist() == [False, True, True, True]
    assert found["confidence"].between(0, 1).all()


def test_detect_language_too_short_is_undetermined_not_flagged():
    found = detect_language(["😀😀😀", "@united @delta", "http://t.co/abc #fail", "ok"])
    assert found["language"].tolist() == ["und"] * 4
    assert found["confidence"].isna().all()
    assert not found["foreign"].any()


def test_detect_language_flags_no_airline_tweet(tweets):
    found = detect_language(tweets["text"])
    assert len(found) == len(tweets)
    assert int(found["foreign"].sum()) == 0  # the tweets are all English


def test_model_shapes_and_classes(small_model):
    texts = ["@united thank you, great crew!", "@united lost my bag", "@united flight 12?"]
    assert small_model.classes_.tolist() == list(SENTIMENT_LABELS)
    assert small_model.predict(texts).shape == (3,)
    probabilities = small_model.predict_proba(texts)
    assert probabilities.shape == (3, 3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    assert set(small_model.predict(texts)) <= set(SENTIMENT_LABELS)
    assert small_model.cv_results_.shape == (3, 4)


def test_evaluation_reaches_targets(evaluation):
    metrics = evaluation.metrics.set_index("method")
    assert metrics.loc["model", "accuracy"] >= 0.83
    assert metrics.loc["model", "macro_f1"] >= 0.77
    assert metrics.loc["model", "accuracy"] - metrics.loc["lexicon", "accuracy"] >= 0.25
    assert metrics.loc["model", "macro_f1"] - metrics.loc["lexicon", "macro_f1"] >= 0.25
    assert (metrics["ci_low"] < metrics["accuracy"]).all()
    assert (metrics["accuracy"] < metrics["ci_high"]).all()


@pytest.fixture(scope="module")
def repeated(tweets):
    """Five stratified splits (seed 0) with C fixed at 0.1 and 2-fold CV (for the
    calibration only), to keep the test short. The full settings, where CV picks C per
    split, run in benchmarks/bench_sentiment.py: mean accuracy 0.8368 there, 0.8380 here."""
    return evaluate_sentiment_splits(tweets, n_splits=5, seed=0, cv=2, Cs=(0.1,))


def test_repeated_splits_reach_targets(repeated):
    summary = repeated.summary.set_index(["method", "metric"])
    assert summary.loc[("model", "accuracy"), "mean"] >= 0.835
    assert summary.loc[("model", "macro_f1"), "mean"] >= 0.78
    assert (summary["n_splits"] == 5).all()
    assert summary.loc[("model", "accuracy"), "min"] >= 0.82


def test_repeated_splits_match_sklearn_and_numpy(repeated, tweets):
    labels = tweets["sentiment"].astype(str).to_numpy()
    splitter = StratifiedShuffleSplit(n_splits=5, test_size=0.2, random_state=0)
    lexicon = lexicon_sentiment(tweets["text"])["label"].to_numpy()
    scores = repeated.scores
    assert scores.columns.tolist() == ["split", "method", "accuracy", "macro_f1", "n"]
    for split, (_, test) in enumerate(splitter.split(labels, labels)):
        row = scores[(scores["split"] == split) & (scores["method"] == "lexicon")].iloc[0]
        assert row["n"] == len(test) == 2897
        assert row["accuracy"] == pytest.approx(accuracy_score(labels[test], lexicon[test]))
        expected_f1 = f1_score(labels[test], lexicon[test], average="macro")
        assert row["macro_f1"] == pytest.approx(expected_f1)
    summary = repeated.summary.set_index(["method", "metric"])
    assert repeated.summary.columns.tolist() == [
        "method",
        "metric",
        "mean",
        "sd",
        "min",
        "max",
        "n_splits",
    ]
    for method in ("lexicon", "model"):
        for metric in ("accuracy", "macro_f1"):
            values = scores.loc[scores["method"] == method, metric].to_numpy()
            row = summary.loc[(method, metric)]
            assert row["mean"] == pytest.approx(np.mean(values))
            assert row["sd"] == pytest.approx(np.std(values, ddof=1))
            assert (row["min"], row["max"]) == (values.min(), values.max())


def test_evaluation_split_and_metrics_match_sklearn(evaluation, tweets):
    assert evaluation.n_train + evaluation.n_test == len(tweets)
    assert evaluation.n_test == 2897
    held = evaluation.predictions
    assert len(held) == evaluation.n_test
    expected = tweets["sentiment"].astype(str).to_numpy()[held["row"]]
    np.testing.assert_array_equal(held["actual"], expected)
    for method in ("lexicon", "model"):
        row = evaluation.metrics.set_index("method").loc[method]
        assert row["accuracy"] == pytest.approx(accuracy_score(held["actual"], held[method]))
        assert row["macro_f1"] == pytest.approx(
            f1_score(held["actual"], held[method], average="macro")
        )
        counts = evaluation.confusion.query("method == @method")
        assert counts["count"].sum() == evaluation.n_test
        table = counts.pivot(index="actual", columns="predicted", values="count")
        table = table.loc[list(SENTIMENT_LABELS), list(SENTIMENT_LABELS)].to_numpy()
        reference = confusion_matrix(held["actual"], held[method], labels=SENTIMENT_LABELS)
        np.testing.assert_array_equal(table, reference)
    assert evaluation.per_class.shape == (6, 6)
    assert evaluation.cv_scores.shape == (20, 4)


def test_save_load_round_trip(evaluation, tweets, tmp_path):
    path = evaluation.model.save(tmp_path / "model.npz")
    loaded = SentimentModel.load(path)
    texts = tweets["text"].head(500)
    np.testing.assert_array_equal(loaded.predict(texts), evaluation.model.predict(texts))
    np.testing.assert_allclose(loaded.predict_proba(texts), evaluation.model.predict_proba(texts))
    assert loaded.C_ == evaluation.model.C_


def test_load_refuses_tampered_file(small_model, tmp_path):
    path = small_model.save(tmp_path / "model.npz")
    with np.load(path, allow_pickle=False) as stored:
        contents = {name: stored[name] for name in stored.files}
    contents["coef"] = contents["coef"] * 2
    tampered = tmp_path / "tampered.npz"
    np.savez(tampered, **contents)
    with pytest.raises(DataFileError, match=r"tampered\.npz' was altered after it was saved"):
        SentimentModel.load(tampered)


def test_load_refuses_foreign_files(tmp_path):
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a model")
    with pytest.raises(DataFileError, match=r"notes\.txt' is not a saved model"):
        SentimentModel.load(text_file)
    other = tmp_path / "other.npz"
    np.savez(other, weights=np.zeros(3))
    with pytest.raises(DataFileError, match=r"other\.npz' holds arrays \['weights'\]"):
        SentimentModel.load(other)
    with pytest.raises(DataFileError, match=r"missing\.npz' does not exist"):
        SentimentModel.load(tmp_path / "missing.npz")
    names = ["words_terms", "words_idf", "chars_terms", "chars_idf", "coef", "intercept"]
    names += ["calibration_coef", "calibration_intercept"]
    pickled = {name: np.zeros(1) for name in names}
    np.savez(tmp_path / "pickled.npz", header=np.array([{"a": 1}], dtype=object), **pickled)
    with pytest.raises(DataFileError, match=r"pickled\.npz' has array header of dtype \|O, not"):
        SentimentModel.load(tmp_path / "pickled.npz")


def test_load_refuses_other_format(small_model, tmp_path):
    path = small_model.save(tmp_path / "model.npz")
    with np.load(path, allow_pickle=False) as stored:
        contents = {name: stored[name] for name in stored.files}
    header = json.loads(str(contents["header"]))
    header["format"] = "something.else"
    contents["header"] = np.array(json.dumps(header))
    np.savez(tmp_path / "renamed.npz", **contents)
    with pytest.raises(DataFileError, match="header names another format"):
        SentimentModel.load(tmp_path / "renamed.npz")
    header["format"] = "scrm_lab.SentimentModel"
    del header["params"]
    contents["header"] = np.array(json.dumps(header))
    np.savez(tmp_path / "broken.npz", **contents)
    with pytest.raises(DataFileError, match=r"broken\.npz' has a malformed header \(its 'params'"):
        SentimentModel.load(tmp_path / "broken.npz")


def test_unfitted_model_refused(tmp_path):
    with pytest.raises(NotFittedError, match="SentimentModel.predict: this SentimentModel is not"):
        SentimentModel().predict(["hello"])
    with pytest.raises(NotFittedError, match="SentimentModel.save: this SentimentModel is not"):
        SentimentModel().save(tmp_path / "model.npz")


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ([], "must hold at least one text. Got none"),
        (["fine", 3], "must hold only strings. Got int 3 at position 1"),
        ("one text", "must be a sequence of strings .* Got str instead"),
    ],
)
def test_bad_texts_refused(texts, message):
    with pytest.raises(ParameterError, match=message):
        lexicon_sentiment(texts)
    with pytest.raises(ParameterError, match=message):
        detect_language(texts)


def test_bad_model_options_refused():
    # The functions' options are covered by tests/test_checks.py (the contract test).
    with pytest.raises(ParameterError, match="'Cs' .* positive numbers. Got \\(-1,\\)"):
        SentimentModel(Cs=(-1,)).fit(["a", "b"], ["negative", "positive"])
    with pytest.raises(ParameterError, match="'cv' .* at least 2. Got 1"):
        SentimentModel(cv=1).fit(["a", "b"], ["negative", "positive"])


def test_bad_labels_refused():
    with pytest.raises(ParameterError, match="'labels' .* must hold only .* Got 'angry'"):
        SentimentModel().fit(["a", "b"], ["negative", "angry"])
    with pytest.raises(ParameterError, match="one label per text \\(2\\). Got 1 instead"):
        SentimentModel().fit(["a", "b"], ["negative"])
    with pytest.raises(ParameterError, match="at least two classes with at least cv=5"):
        SentimentModel().fit(["a", "b"], ["negative", "positive"])


def test_evaluate_refuses_bad_tables(tweets):
    small = tweets.head(50)
    with pytest.raises(SchemaError, match="column 'sentiment' is not in the data"):
        evaluate_sentiment(small.drop(columns="sentiment"))
    with pytest.raises(SchemaError, match="column 'text' is not in the data"):
        evaluate_sentiment(small.drop(columns="text"))
    with pytest.raises(ParameterError, match="'messages' .* at least one row. Got none"):
        evaluate_sentiment(small.iloc[:0])
    relabelled = small.assign(sentiment=small["sentiment"].astype(str).replace("neutral", "meh"))
    with pytest.raises(SchemaError, match="column 'sentiment' must hold only .* holds 'meh'"):
        evaluate_sentiment(relabelled)
    numbers = small.assign(text=range(len(small)))
    with pytest.raises(SchemaError, match="column 'text' must hold strings; row 0 holds 0"):
        evaluate_sentiment(numbers)
    with pytest.raises(ParameterError, match="'test_size' parameter of evaluate_sentiment"):
        evaluate_sentiment(small, test_size=1)
    few = small.head(4)
    message = r"'messages' parameter of evaluate_sentiment must hold enough rows of each label"
    with pytest.raises(ParameterError, match=message + r" .* Got 4 rows: "):
        evaluate_sentiment(few)
    with pytest.raises(ParameterError, match=message.replace("sentiment", "sentiment_splits")):
        evaluate_sentiment_splits(few)
    with pytest.raises(SchemaError, match="column 'text' must hold strings; row 0 holds 0"):
        evaluate_sentiment_splits(numbers)
