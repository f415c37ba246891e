"""Tests of scrm_lab.listening's conversation topics: planted topics found, stability, trend."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.listening import (
    STABLE_SIMILARITY,
    Topics,
    TopicStability,
    conversation_topics,
    topic_stability,
)

RNG_SEED = 20150224
PLANTED = {
    "baggage": ["bag", "lost", "luggage", "claim", "suitcase", "carousel"],
    "delay": ["delay", "late", "hours", "waiting", "departure", "tarmac"],
    "refund": ["refund", "money", "credit", "voucher", "charge", "receipt"],
}
HANDLES = ["@alice_k", "@BobTravels", "@carol99", "@dave"]


def _noise_words(rng: np.random.Generator, n: int) -> list[str]:
    letters = np.array(list("bcdfghjkmnpqrstvwxz"))
    return ["".join(rng.choice(letters, size=6)) for _ in range(n)]


def _planted(n_per_topic: int = 100, seed: int = RNG_SEED) -> pd.DataFrame:
    """Messages about one of three planted subjects, with noise words, handles and links."""
    rng = np.random.default_rng(seed)
    noise = _noise_words(rng, 40)
    rows = []
    for topic, words in PLANTED.items():
        for _ in range(n_per_topic):
            body = list(rng.choice(words, size=rng.integers(4, 7))) + list(
                rng.choice(noise, size=2)
            )
            rng.shuffle(body)
            text = " ".join(body)
            if rng.random() < 0.5:
                text = f"{rng.choice(HANDLES)} {text} http://t.co/x{rng.integers(1000)} &amp;"
            rows.append((topic, text))
    order = rng.permutation(len(rows))
    frame = pd.DataFrame([rows[i] for i in order], columns=["planted", "text"])
    frame.insert(0, "message_id", [f"m{i:04d}" for i in range(len(frame))])
    start = pd.Timestamp("2015-02-16", tz="UTC")
    frame["time"] = start + pd.to_timedelta(rng.uniform(0, 5 * 24, len(frame)), unit="h")
    frame["brand"] = "Acme Air"
    return frame


def _noise(n: int = 300, seed: int = RNG_SEED) -> pd.DataFrame:
    """Messages of words drawn at random from one vocabulary: no topic to find."""
    rng = np.random.default_rng(seed)
    vocabulary = _noise_words(rng, 60)
    texts = [" ".join(rng.choice(vocabulary, size=6)) for _ in range(n)]
    return pd.DataFrame({"message_id": [f"n{i}" for i in range(n)], "text": texts})


@pytest.fixture(scope="module")
def planted() -> pd.DataFrame:
    return _planted()


@pytest.fixture(scope="module")
def fitted(planted) -> Topics:
    return conversation_topics(planted, n_topics=3)


def _planted_topic_of(topics: Topics) -> dict[int, str]:
    """Each fitted topic's planted subject: the one whose words are its top terms."""
    found = {}
    for topic, part in topics.terms.groupby("topic"):
        top = set(part.nsmallest(6, "rank")["term"])
        for name, words in PLANTED.items():
            if top == set(words):
                found[topic] = name
    return found


# ------------------------------------------------------------------------- planted topics


def test_nmf_recovers_the_planted_topics(planted, fitted):
    assert fitted.method == "nmf" and fitted.seed == 0 and fitted.n_topics == 3
    assert fitted.n_messages == len(planted) and fitted.n_empty == 0
    mapping = _planted_topic_of(fitted)
    assert sorted(mapping.values()) == sorted(PLANTED)  # each topic's top 6 = planted words
    joined = fitted.assignments.merge(planted[["message_id", "planted"]], on="message_id")
    accuracy = (joined["topic"].map(mapping) == joined["planted"]).mean()
    assert accuracy >= 0.95
    assert list(fitted.assignments["message_id"]) == list(planted["message_id"])


def test_table_columns_labels_and_weights(fitted):
    assert list(fitted.terms.columns) == ["topic", "label", "rank", "term", "weight"]
    assert list(fitted.assignments.columns) == ["message_id", "topic", "weight", "loading"]
    assert list(fitted.summary.columns) == [
        "topic", "label", "messages", "share", "ci_low", "ci_high"
    ]  # fmt: skip
    assert (fitted.terms.groupby("topic")["rank"].max() == 10).all()
    for _, part in fitted.terms.groupby("topic"):
        ordered = part.sort_values("rank")
        assert ordered["label"].iloc[0] == " / ".join(ordered["term"].iloc[:3])
        assert ordered["weight"].is_monotonic_decreasing
    for k, row in enumerate(fitted.components / fitted.components.sum(axis=1, keepdims=True)):
        first = fitted.terms[(fitted.terms["topic"] == k + 1) & (fitted.terms["rank"] == 1)]
        assert first["term"].item() == fitted.vocabulary[row.argmax()]
        assert first["weight"].item() == pytest.approx(row.max())
    # weight: the topic's share of the message's topic weights, in (0, 1]
    assert fitted.assignments["weight"].between(0, 1, inclusive="right").all()
    assert (fitted.assignments["loading"] > 0).all()
    # topics numbered from the largest; the summary counts the assignments
    counts = fitted.assignments["topic"].value_counts().sort_index()
    assert fitted.summary["messages"].tolist() == counts.tolist()
    assert fitted.summary["messages"].is_monotonic_decreasing
    low, high = proportion_confint(counts.to_numpy(), counts.sum(), method="wilson")
    np.testing.assert_allclose(fitted.summary["ci_low"], low)
    np.testing.assert_allclose(fitted.summary["ci_high"], high)


def test_lda_on_counts_recovers_the_planted_topics(planted):
    topics = conversation_topics(planted, n_topics=3, method="lda", seed=1)
    assert topics.method == "lda" and topics.init == ""
    mapping = {}
    for topic, part in topics.terms.groupby("topic"):
        top = set(part.nsmallest(3, "rank")["term"])
        for name, words in PLANTED.items():
            if top <= set(words):
                mapping[topic] = name
    assert sorted(mapping.values()) == sorted(PLANTED)
    joined = topics.assignments.merge(planted[["message_id", "planted"]], on="message_id")
    assert (joined["topic"].map(mapping) == joined["planted"]).mean() >= 0.95


def test_same_seed_same_tables(planted, fitted):
    again = conversation_topics(planted, n_topics=3)
    pd.testing.assert_frame_equal(again.terms, fitted.terms)
    pd.testing.assert_frame_equal(again.assignments, fitted.assignments)
    pd.testing.assert_frame_equal(again.summary, fitted.summary)
    lda = [conversation_topics(planted, n_topics=3, method="lda", seed=3) for _ in range(2)]
    pd.testing.assert_frame_equal(lda[0].assignments, lda[1].assignments)


def test_cleaning_drops_handles_links_entities_numbers_and_brand_names(planted, fitted):
    vocabulary = set(fitted.terms["term"])
    for dropped in ("alice_k", "bobtravels", "carol", "http", "co", "amp", "acme", "air"):
        assert dropped not in vocabulary
    frame = planted.copy()
    frame["text"] = frame["text"] + " acme flight 1234 ua938"
    kept = conversation_topics(frame, n_topics=3, brand=None, n_terms=50)
    assert "acme" in set(kept.terms["term"]) and "ua" not in set(kept.terms["term"])
    dropped = conversation_topics(frame, n_topics=3, stop_words=["flight"], n_terms=50)
    assert not {"acme", "flight"} & set(dropped.terms["term"])


def test_plurals_fold_into_their_singular():
    texts = ["bags lost", "bag lost", "lost bags", "late planes", "plane late", "late plane"]
    frame = pd.DataFrame({"message_id": list("abcdef"), "text": texts})
    folded = conversation_topics(frame, n_topics=2, min_df=2, brand=None, time=None)
    assert {"bag", "plane"} <= set(folded.terms["term"])
    assert not {"bags", "planes"} & set(folded.terms["term"])
    kept = conversation_topics(
        frame, n_topics=2, min_df=1, brand=None, time=None, fold_plurals=False
    )
    assert {"bags", "bag"} <= set(kept.terms["term"])


def test_empty_messages_are_counted_not_dropped(planted):
    frame = planted.copy()
    frame.loc[:4, "text"] = ["@dave 123", "http://t.co/abc", "&amp; the of", None, "42 !!"]
    topics = conversation_topics(frame, n_topics=3)
    assert topics.n_empty == 5 and topics.n_messages == len(frame)
    assert len(topics.assignments) == len(frame)
    assert topics.assignments["topic"].iloc[:5].isna().all()
    assert topics.assignments["topic"].iloc[5:].notna().all()
    assert topics.summary["messages"].sum() == len(frame) - 5
    assert topics.summary["share"].sum() == pytest.approx(1.0)


# ------------------------------------------------------------------------- examples, trend


def test_examples_are_the_heaviest_and_pseudonymized(planted, fitted):
    examples = fitted.examples(planted, n=4)
    assert list(examples.columns) == ["topic", "label", "rank", "message_id", "weight", "text"]
    assert examples.groupby("topic")["rank"].apply(list).tolist() == [[1, 2, 3, 4]] * 3
    for topic, part in examples.groupby("topic"):
        weights = fitted.assignments.loc[fitted.assignments["topic"] == topic, "weight"]
        assert part["weight"].min() >= weights.sort_values().iloc[-4] - 1e-12
    originals = {h.lower() for h in HANDLES}
    many = fitted.examples(planted, n=60)
    found = {h.lower() for t in many["text"] for h in re.findall(r"@\w+", t)}
    assert found and not found & originals
    assert all(h.startswith("@user_") for h in found)
    assert many["message_id"].str.startswith("msg_").all()
    assert not set(many["message_id"]) & set(planted["message_id"])


def test_trend_counts_match_a_pandas_groupby(planted, fitted):
    trend = fitted.trend(planted, freq="D")
    assert list(trend.columns) == [
        "period", "topic", "label", "messages", "n", "share", "ci_low", "ci_high", "method"
    ]  # fmt: skip
    joined = fitted.assignments.merge(planted[["message_id", "time"]], on="message_id")
    joined["day"] = joined["time"].dt.floor("D")
    expected = joined.groupby(["day", "topic"]).size()
    got = trend.set_index(["period", "topic"])["messages"]
    assert got[got > 0].to_dict() == {(d, int(t)): v for (d, t), v in expected.items()}
    assert len(trend) == trend["period"].nunique() * 3
    per_day = joined.groupby("day").size()
    assert trend.groupby("period")["n"].first().tolist() == per_day.tolist()
    low, high = proportion_confint(trend["messages"], trend["n"], method="wilson")
    np.testing.assert_allclose(trend["ci_low"], low)
    np.testing.assert_allclose(trend["ci_high"], high)
    np.testing.assert_allclose(trend["share"], trend["messages"] / trend["n"])
    weekly = fitted.trend(planted, freq="W")
    assert (weekly["period"].dt.day_of_week == 0).all()
    assert weekly["messages"].sum() == len(planted)


# ------------------------------------------------------------------------------- stability


def test_planted_topics_are_stable_and_noise_is_not(planted):
    stable = topic_stability(planted, n_topics=3, seeds=[0, 1, 2])
    assert isinstance(stable, TopicStability)
    assert list(stable.topics.columns) == [
        "topic", "label", "mean_similarity", "min_similarity", "agreement", "stable"
    ]  # fmt: skip
    assert stable.seeds == (0, 1, 2) and stable.threshold == STABLE_SIMILARITY
    assert (stable.topics["min_similarity"] >= 0.95).all()
    assert stable.topics["stable"].all()
    assert stable.agreement >= 0.95 and (stable.topics["agreement"] >= 0.95).all()
    noise = topic_stability(_noise(), n_topics=3, brand=None)  # five seeds, as documented
    assert noise.topics["mean_similarity"].mean() < stable.topics["mean_similarity"].mean() - 0.15
    assert noise.agreement < stable.agreement - 0.2
    assert not noise.topics["stable"].any()


def test_stability_by_hand_on_two_seeds(planted):
    """Matching and similarity recomputed from two fits of conversation_topics (sample=1)."""
    from scipy.optimize import linear_sum_assignment

    fits = [conversation_topics(planted, n_topics=3, init="random", seed=s) for s in (1, 2)]
    stability = topic_stability(planted, n_topics=3, seeds=[1, 2], init="random", sample=1)
    assert stability.topics["label"].tolist() == fits[0].summary["label"].tolist()
    a, b = (f.components / np.linalg.norm(f.components, axis=1, keepdims=True) for f in fits)
    similarity = a @ b.T
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    np.testing.assert_allclose(stability.topics["min_similarity"], similarity[rows, cols])
    mapped = fits[1].assignments["topic"].map(dict(zip(cols + 1, rows + 1, strict=True)))
    same = (fits[0].assignments["topic"] == mapped).mean()
    assert stability.agreement == pytest.approx(same)


def test_stability_matches_topics_whatever_their_numbering(planted):
    # LDA numbers its topics differently per seed; matching must undo that
    lda = topic_stability(planted, n_topics=3, seeds=[0, 5], method="lda")
    assert lda.topics["stable"].all() and lda.agreement >= 0.95
    assert (lda.topics["min_similarity"] == lda.topics["mean_similarity"]).all()


# ----------------------------------------------------------------------------- shipped data


def test_airline_tweets_topics():
    from scrm_lab.datasets import load_dataset

    tweets = load_dataset("twitter_airline_sentiment")
    topics = conversation_topics(tweets, n_topics=12)
    assert topics.n_messages == len(tweets) and len(topics.assignments) == len(tweets)
    assert sorted(topics.summary["topic"]) == list(range(1, 13))
    assert topics.n_empty == topics.assignments["topic"].isna().sum()
    assert topics.summary["messages"].sum() + topics.n_empty == len(tweets)
    top = topics.terms[topics.terms["rank"] <= 5].groupby("topic")["term"].apply(set)
    assert any({"bag", "baggage", "luggage"} & terms for terms in top)
    assert any({"delayed", "delay", "late"} & terms for terms in top)
    assert any({"cancelled", "canceled"} & terms for terms in top)
    brands = {"united", "southwest", "delta", "usairways", "virginamerica", "american"}
    assert not brands & set(topics.terms["term"])


# ------------------------------------------------------------------------------ refusals


def test_refusals(planted):
    with pytest.raises(SchemaError, match=r"column 'body' is not in the data"):
        conversation_topics(planted, text="body")
    with pytest.raises(
        ParameterError,
        match=r"'n_topics' parameter of conversation_topics must be at most the number of "
        r"messages with a term left after cleaning \(6\).* Got 7 instead",
    ):
        conversation_topics(planted.head(6), n_topics=7, min_df=1)
    only_noise = planted.assign(text="@dave http://t.co/x 42 &amp; the and")
    with pytest.raises(ParameterError, match=r"no term is left in column 'text' after cleaning"):
        conversation_topics(only_noise)
    with pytest.raises(
        ParameterError, match=r"'method' parameter of conversation_topics must be one of"
    ):
        conversation_topics(planted, method="lsa")
    with pytest.raises(
        ParameterError, match=r"'seeds' parameter of topic_stability must be a list of at least "
    ):
        topic_stability(planted, seeds=[0])
    with pytest.raises(ParameterError, match=r"'seeds' parameter of topic_stability"):
        topic_stability(planted, seeds=[1, 1])
    with pytest.raises(SchemaError, match=r"column 'message_id' repeats 1 id\(s\), e.g. 'm0000'"):
        conversation_topics(pd.concat([planted, planted.head(1)]))
    with pytest.raises(SchemaError, match=r"column 'message_id' is missing in 1 row\(s\)"):
        conversation_topics(planted.assign(message_id=[None, *planted["message_id"][1:]]))
    with pytest.raises(ParameterError, match=r"'data' parameter of conversation_topics has no"):
        conversation_topics(planted.head(0))
    with pytest.raises(ParameterError, match=r"must be a pandas DataFrame"):
        conversation_topics(planted.to_dict())


def test_examples_and_trend_refusals(planted, fitted):
    with pytest.raises(SchemaError, match=r"3 of the 300 message ids .* are not in column"):
        fitted.trend(planted.iloc[3:])
    with pytest.raises(SchemaError, match=r"column 'time' has dtype object; expected a timestamp"):
        fitted.trend(planted.assign(time=planted["time"].astype(str).astype(object)))
    with pytest.raises(ParameterError, match=r"'freq' parameter of Topics.trend must be one of"):
        fitted.trend(planted, freq="Q")
    with pytest.raises(ParameterError, match=r"'n' parameter of Topics.examples must be"):
        fitted.examples(planted, n=0)
    untimed = conversation_topics(planted, n_topics=3, time=None)
    with pytest.raises(ParameterError, match=r"fitted with time=None"):
        untimed.trend(planted)
