"""Tests of scrm_lab.listening._report: the listening report's tables and sentences, by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.listening import (
    START_BASELINE,
    SentimentEvaluation,
    brand_periods,
    confusion_table,
    data_sentences,
    evaluation_sentences,
    has_reasons,
    key_results,
    largest_spikes,
    lexicon_sentiment,
    reason_sentences,
    spike_sentences,
    summary_sentences,
    with_sentiment,
    with_times,
)


@pytest.fixture
def messages() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "message_id": ["1", "2", "3", "4"],
            "brand": ["b", "a", "a", "b"],
            "time": pd.to_datetime(
                ["2015-02-17 08:00", "2015-02-18 09:30", "2015-02-20 23:59", "2015-02-19 10:00"]
            ),
            "text": ["I love it", "Worst flight ever", "ok", "great crew"],
            "sentiment": ["positive", "negative", "neutral", "positive"],
        }
    )


@pytest.fixture
def evaluation() -> SentimentEvaluation:
    """Ten held-out messages: 6 negative, 3 neutral, 1 positive; counts chosen by hand."""
    labels = ["negative", "neutral", "positive"]
    counts = {
        "lexicon": [[2, 1, 3], [1, 1, 1], [0, 0, 1]],  # commonest mistake: negative -> positive
        "model": [[5, 1, 0], [2, 1, 0], [0, 0, 1]],  # commonest mistake: neutral -> negative
    }
    confusion = pd.DataFrame(
        [(m, a, p, c[i][j]) for m, c in counts.items()
         for i, a in enumerate(labels) for j, p in enumerate(labels)],
        columns=["method", "actual", "predicted", "count"],
    )  # fmt: skip
    metrics = pd.DataFrame(
        {"method": ["lexicon", "model"], "accuracy": [0.4, 0.7], "macro_f1": [0.346, 0.554],
         "n": [10, 10]}
    )  # fmt: skip
    actual = ["negative"] * 6 + ["neutral"] * 3 + ["positive"]
    predictions = pd.DataFrame({"row": range(10), "actual": actual})
    return SentimentEvaluation(metrics, confusion, None, None, None, 40, 10, predictions)


def test_with_sentiment_keeps_or_scores(messages):
    assert with_sentiment(messages) is messages
    scored = with_sentiment(messages, source="lexicon")
    assert scored["sentiment"].tolist() == lexicon_sentiment(messages["text"])["label"].tolist()
    assert scored["sentiment"].cat.categories.tolist() == ["negative", "neutral", "positive"]
    with pytest.raises(ParameterError, match=r"with_sentiment needs labelled 'training'"):
        with_sentiment(messages, source="model")


def test_brand_periods_by_hand(messages):
    assert brand_periods(messages).to_dict("list") == {
        "brand": ["a", "b"],
        "messages": [2, 2],
        "first": ["2015-02-18 09:30", "2015-02-17 08:00"],
        "last": ["2015-02-20 23:59", "2015-02-19 10:00"],
    }
    with pytest.raises(SchemaError, match=r"brand_periods: column 'time' is not in the data"):
        brand_periods(messages.drop(columns="time"))


def test_data_sentences_by_hand(messages):
    languages = pd.DataFrame({"foreign": [True, False, True, False]})
    (text,) = data_sentences(messages, languages, sentiment_from="lexicon", path="my.csv")
    assert text == (
        "**4 messages** from your file `my.csv`, about 2 brands, 2015-02-17 to 2015-02-20. "
        "Sentiment: scored by the VADER lexicon. 2 messages look like another language than "
        "English (detected with py3langid); English-only methods score them poorly, so read "
        "them apart."
    )
    default = data_sentences(messages, languages)[0]
    assert "from the airline tweets (real, February 2015)" in default
    assert "Sentiment: as labelled in the data." in default


def test_reasons_present_or_not(messages):
    assert not has_reasons(messages)
    assert not has_reasons(messages.assign(negative_reason=None))
    assert has_reasons(messages.assign(negative_reason=[None, "Late Flight", None, None]))
    assert reason_sentences(None) == [
        "These data have no complaint reasons (no `negative_reason` column, or it is empty), so "
        "none are shown."
    ]
    assert reason_sentences(pd.DataFrame(columns=["brand", "reason"])) == [
        "No negative message has a complaint reason, so none are shown."
    ]
    reasons = pd.DataFrame({"brand": ["a"], "reason": ["Late Flight"]})
    assert reason_sentences(reasons, top=2)[0].startswith("The 2 most frequent reasons")


def test_largest_spikes_by_hand():
    spikes = pd.DataFrame(
        {
            "brand": ["a", "b", "a", "c", "b"],
            "statistic": [3.0, 7.0, 5.0, 1.0, 7.0],
            "row": range(5),
        }
    )
    largest = largest_spikes(spikes)
    assert largest["row"].tolist() == [1, 2, 3]  # b's tie keeps the first row
    with pytest.raises(SchemaError, match=r"largest_spikes: column 'statistic' is not in"):
        largest_spikes(spikes.drop(columns="statistic"))


def test_spike_caution_at_the_baseline_threshold():
    assert START_BASELINE == 1
    largest = pd.DataFrame({"brand": ["c", "a", "b", "d"], "baseline": [1.0, 0.0, 1.0001, 2.0]})
    assert spike_sentences(largest) == [
        "Caution: a, c had almost no mentions in the periods before its largest spike (baseline "
        "of 1 or less). That can be where the data for the brand begin rather than a crisis: "
        "check the first rows of the table above."
    ]
    assert spike_sentences(largest[largest["baseline"] > 1]) == []


def test_evaluation_sentences_by_hand(evaluation):
    assert evaluation_sentences(evaluation) == [
        "On 10 held-out tweets the trained model is right 70% of the time (macro-F1 0.55); the "
        "lexicon 40% (macro-F1 0.35). The lexicon's most frequent mistake: 3 of the 6 negative "
        "tweets read as positive; the model's: 2 of the 3 neutral tweets read as negative."
    ]


def test_confusion_table_by_hand(evaluation):
    table = confusion_table(evaluation)
    assert table.columns.tolist() == ["method", "actual", "negative", "neutral", "positive"]
    assert table.iloc[0].tolist() == ["lexicon", "negative", 2, 1, 3]
    assert table.iloc[4].tolist() == ["model", "neutral", 2, 1, 0]


def test_summary_and_key_results_by_hand(messages, evaluation):
    share = pd.DataFrame({"brand": ["a", "b", "c"], "share": [0.3, 0.5, 0.2]})
    net = pd.DataFrame({"brand": ["a", "b", "c"], "estimate": [0.25, -0.75, 0.5]})
    spikes = pd.DataFrame({"brand": ["a", "a"]})
    assert summary_sentences(share, net, spikes, evaluation, spike_threshold=0.001) == [
        "**Share of voice:** b leads with 50% of mentions.",
        "**Net sentiment:** from -0.75 (b) to +0.50 (c).",
        "**Spikes:** 2 periods of unusually many negative mentions (threshold 0.001).",
        "**Automatic sentiment:** trained model 70% accurate on held-out tweets, lexicon 40%.",
    ]
    assert key_results(messages, share, net, spikes, evaluation) == {
        "messages": 4,
        "share_leader": "b",
        "lowest_net_sentiment": -0.75,
        "spikes": 2,
        "model_accuracy": 0.7,
        "model_macro_f1": 0.554,
        "lexicon_accuracy": 0.4,
    }


def test_without_an_evaluation_the_sentences_and_results_say_so(messages):
    share = pd.DataFrame({"brand": ["a", "b"], "share": [0.4, 0.6]})
    net = pd.DataFrame({"brand": ["a", "b"], "estimate": [0.1, -0.2]})
    lines = summary_sentences(share, net, pd.DataFrame(), None)
    assert lines[-1] == (
        "**Automatic sentiment:** not evaluated in this run (evaluate_sentiment is False)."
    )
    assert evaluation_sentences(None) == [
        "Not evaluated in this run (evaluate_sentiment is False)."
    ]
    results = key_results(messages, share, net, pd.DataFrame(), None)
    assert [results[k] for k in ("model_accuracy", "model_macro_f1", "lexicon_accuracy")] == [
        None, None, None
    ]  # fmt: skip
    assert results["share_leader"] == "b"


def test_with_times_formats_only_present_columns():
    table = pd.DataFrame({"period": pd.to_datetime(["2015-02-22 13:05:59"]), "n": [1]})
    assert with_times(table).to_dict("list") == {"period": ["2015-02-22 13:05"], "n": [1]}
