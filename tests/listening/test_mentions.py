"""Tests of scrm_lab.metrics: mention volume, share of voice, net sentiment."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.metrics import mention_volume, net_sentiment, share_of_voice


@pytest.fixture
def small() -> pd.DataFrame:
    """3 brands x 2 days; brand c has no mentions on day 2."""
    rows = [
        # day 1: a 3 (2 pos, 1 neg), b 2 (1 neg, 1 neu), c 1 (pos)
        ("a", "2015-02-17 08:00", "positive"),
        ("a", "2015-02-17 09:00", "positive"),
        ("a", "2015-02-17 10:00", "negative"),
        ("b", "2015-02-17 11:00", "negative"),
        ("b", "2015-02-17 12:00", "neutral"),
        ("c", "2015-02-17 13:00", "positive"),
        # day 2: a 1 (neu), b 3 (3 neg)
        ("a", "2015-02-18 08:00", "neutral"),
        ("b", "2015-02-18 09:00", "negative"),
        ("b", "2015-02-18 10:00", "negative"),
        ("b", "2015-02-18 23:59", "negative"),
    ]
    frame = pd.DataFrame(rows, columns=["brand", "time", "sentiment"])
    frame["time"] = pd.to_datetime(frame["time"]).dt.tz_localize("UTC")
    frame["sentiment"] = frame["sentiment"].astype("category")
    return frame


def test_mention_volume_zero_fills(small):
    volume = mention_volume(small)
    assert list(volume.columns) == ["brand", "period", "mentions"]
    assert volume["mentions"].tolist() == [3, 1, 2, 3, 1, 0]
    assert volume["period"].dt.day.tolist() == [17, 18] * 3


def test_mention_volume_by_sentiment(small):
    volume = mention_volume(small, sentiment="sentiment", by=None)
    assert len(volume) == 2 * 3
    day2 = volume[volume["period"].dt.day == 18].set_index("sentiment")["mentions"]
    assert day2.to_dict() == {"negative": 3, "neutral": 1, "positive": 0}


def test_mention_volume_same_on_duckdb(small):
    relation = duckdb.from_df(small)
    pd.testing.assert_frame_equal(
        mention_volume(relation, freq="h"), mention_volume(small, freq="h"), check_dtype=False
    )


def test_weekly_periods_start_on_monday(small):
    volume = mention_volume(small, freq="W", by=None)
    assert volume["period"].tolist() == [pd.Timestamp("2015-02-16", tz="UTC")]
    assert volume["mentions"].tolist() == [10]


def test_share_of_voice_hand_computed(small):
    sov = share_of_voice(small, freq="D")
    assert list(sov.columns) == [
        "period", "brand", "mentions", "total", "share", "ci_low", "ci_high", "method"
    ]  # fmt: skip
    assert sov["total"].tolist() == [6, 6, 6, 4, 4, 4]
    expected = [3 / 6, 2 / 6, 1 / 6, 1 / 4, 3 / 4, 0 / 4]
    np.testing.assert_allclose(sov["share"], expected)
    assert sov.groupby("period")["share"].sum().tolist() == pytest.approx([1, 1])


def test_share_of_voice_ci_matches_statsmodels(small):
    sov = share_of_voice(small, brands=["a", "b"], alpha=0.1)
    assert sov["total"].tolist() == [9, 9]
    low, high = proportion_confint([4, 5], [9, 9], alpha=0.1, method="wilson")
    np.testing.assert_allclose(sov["ci_low"], low)
    np.testing.assert_allclose(sov["ci_high"], high)


def test_net_sentiment_hand_computed(small):
    nss = net_sentiment(small)
    assert nss["brand"].tolist() == ["a", "b", "c"]
    assert nss["n_positive"].tolist() == [2, 0, 1]
    assert nss["n_negative"].tolist() == [1, 4, 0]
    assert nss["n_neutral"].tolist() == [1, 1, 0]
    np.testing.assert_allclose(nss["estimate"], [(2 - 1) / 3, -1.0, 1.0])
    low, high = proportion_confint([2, 0, 1], [3, 4, 1], method="wilson")
    np.testing.assert_allclose(nss["ci_low"], 2 * low - 1)
    np.testing.assert_allclose(nss["ci_high"], 2 * high - 1)
    assert nss["note"].isna().all()


def test_net_sentiment_undefined_without_polar_messages(small):
    nss = net_sentiment(small, freq="D")
    day2_a = nss[(nss["brand"] == "a") & (nss["period"].dt.day == 18)].iloc[0]
    assert day2_a["n"] == 0 and np.isnan(day2_a["estimate"]) and np.isnan(day2_a["ci_low"])
    assert day2_a["note"] == "no positive or negative messages"


def test_net_sentiment_overall(small):
    nss = net_sentiment(small, by=None)
    assert nss[["n_positive", "n_negative"]].iloc[0].tolist() == [3, 5]
    assert nss["estimate"].iloc[0] == pytest.approx(-2 / 8)


def test_missing_column_did_you_mean(small):
    with pytest.raises(SchemaError, match="column 'brnd' is not in.*Did you mean 'brand'"):
        mention_volume(small, by="brnd")
    with pytest.raises(SchemaError, match="column 'sentimnt'.*Did you mean 'sentiment'"):
        net_sentiment(small, sentiment="sentimnt")


def test_unknown_sentiment_label(small):
    bad = small.assign(sentiment=small["sentiment"].astype(str).replace("positive", "pos"))
    with pytest.raises(SchemaError, match="label\\(s\\) 'pos'; expected one of"):
        net_sentiment(bad)


def test_bad_freq_alpha_and_empty(small):
    with pytest.raises(ParameterError, match="'freq' parameter of mention_volume.*Got 'day'"):
        mention_volume(small, freq="day")
    with pytest.raises(ParameterError, match="'alpha' parameter of net_sentiment.*Got 1.5"):
        net_sentiment(small, alpha=1.5)
    with pytest.raises(ParameterError, match="'alpha' parameter of share_of_voice.*Got 0"):
        share_of_voice(small, alpha=0)
    with pytest.raises(ParameterError, match="has no rows; expected at least one message"):
        share_of_voice(small.iloc[:0])


def test_unknown_brand_and_bad_time(small):
    with pytest.raises(ParameterError, match="names 'b1'.*Did you mean 'b'"):
        share_of_voice(small, brands=["a", "b1"])
    with pytest.raises(SchemaError, match="column 'time' .* expected a timestamp"):
        mention_volume(small.assign(time="2015-02-17"))
    with pytest.raises(SchemaError, match="'brand' of the messages table is missing in 1 row"):
        mention_volume(small.assign(brand=["a", None, *small["brand"][2:]]))
