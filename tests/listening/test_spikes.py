"""Tests of scrm_lab.listening: complaint reasons, spike detection, spike messages."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.listening import SPIKE_COLUMNS, complaint_reasons, detect_spikes, spike_messages

RNG_SEED = 20150222


def _hourly(counts: np.ndarray, brand: str = "acme") -> pd.DataFrame:
    times = pd.date_range("2015-02-01", periods=len(counts), freq="h", tz="UTC")
    frame = pd.DataFrame({"brand": brand, "time": np.repeat(times, counts)})
    frame["sentiment"] = "negative"
    return frame


def test_complaint_reasons_hand_computed():
    frame = pd.DataFrame(
        {
            "brand": ["a"] * 5 + ["b"] * 2,
            "sentiment": ["negative"] * 4 + ["positive", "negative", "negative"],
            "negative_reason": ["late", "late", "lost", None, None, "lost", "late"],
        }
    )
    table = complaint_reasons(frame)
    assert table[["brand", "rank", "reason", "count", "n_negative"]].values.tolist() == [
        ["a", 1, "late", 2, 4],
        ["a", 2, "lost", 1, 4],
        ["b", 1, "late", 1, 2],
        ["b", 2, "lost", 1, 2],
    ]
    low, high = proportion_confint([2, 1, 1, 1], [4, 4, 2, 2], method="wilson")
    np.testing.assert_allclose(table["ci_low"], low)
    np.testing.assert_allclose(table["ci_high"], high)
    assert complaint_reasons(frame, top=1)["reason"].tolist() == ["late", "late"]


def test_planted_burst_is_found():
    counts = np.random.default_rng(RNG_SEED).poisson(10, size=200)
    counts[150] = 40
    spikes = detect_spikes(_hourly(counts))
    assert list(spikes.columns) == ["brand", *SPIKE_COLUMNS]
    assert pd.Timestamp("2015-02-01", tz="UTC") + pd.Timedelta(hours=150) in set(spikes["period"])
    assert spikes["count"].max() == 40


def test_flat_poisson_false_alarms_match_threshold():
    n_periods, window, threshold = 3000, 24, 0.01
    counts = np.random.default_rng(RNG_SEED).poisson(20, size=n_periods)
    spikes = detect_spikes(_hourly(counts), label=None, window=window, threshold=threshold)
    tested = n_periods - window
    # the Poisson tail is conservative for a known mean; allow for the estimated baseline
    assert len(spikes) <= stats.binom.ppf(0.999, tested, 1.5 * threshold)


def test_spike_messages_pseudonymized(tweets):
    spikes = detect_spikes(tweets, threshold=1e-6)
    hidden = spike_messages(tweets, spikes, n=5)
    shown = spike_messages(tweets, spikes, n=5, reveal=True)
    assert len(hidden) == len(shown) > 0
    handles = set(tweets["author"].str.casefold())
    mentioned = {m.casefold() for t in shown["text"] for m in re.findall(r"@(\w+)", t)}
    assert handles & set(shown["author"].str.casefold())
    text = " ".join(hidden["text"]).casefold()
    assert not handles & set(hidden["author"].str.casefold())
    assert not any(re.search(rf"(?<!\w)@{re.escape(h)}\b", text) for h in mentioned)
    assert not set(hidden["message_id"]) & set(tweets["message_id"])
    assert (hidden["rank"] <= 5).all()


def test_spike_messages_sorted_and_in_period(tweets):
    spikes = detect_spikes(tweets, threshold=1e-6).head(2)
    listed = spike_messages(tweets, spikes, n=3, sort="retweet_count", reveal=True)
    for period, part in listed.groupby("period", sort=False):
        assert (part["time"] >= period).all()
        assert (part["time"] < period + pd.Timedelta(hours=1)).all()
        assert part["retweet_count"].is_monotonic_decreasing


def test_spike_errors(tweets):
    with pytest.raises(ParameterError, match="'label' parameter of detect_spikes.*Got 'neg'"):
        detect_spikes(tweets, label="neg")
    with pytest.raises(ParameterError, match="'threshold' parameter of detect_spikes.*Got 2"):
        detect_spikes(tweets, threshold=2)
    with pytest.raises(ParameterError, match="'window' parameter of detect_spikes.*>= 2"):
        detect_spikes(tweets, window=1)
    with pytest.raises(ParameterError, match="'freq' parameter of detect_spikes"):
        detect_spikes(tweets, freq="minute")
    with pytest.raises(SchemaError, match="'spikes' table lacks column\\(s\\) \\['period_end'"):
        spike_messages(tweets, pd.DataFrame({"brand": ["x"], "period": [0]}))
    with pytest.raises(ParameterError, match="'n' parameter of spike_messages"):
        spike_messages(tweets, detect_spikes(tweets).head(1), n=0)


def test_complaint_reason_errors(tweets):
    with pytest.raises(
        SchemaError, match="column 'negative_reasn' is not in.*Did you mean 'negative_reason'"
    ):
        complaint_reasons(tweets, reason="negative_reasn")
    with pytest.raises(ParameterError, match="'top' parameter of complaint_reasons"):
        complaint_reasons(tweets, top=0)
    with pytest.raises(ParameterError, match="'alpha' parameter of complaint_reasons"):
        complaint_reasons(tweets, alpha=-0.1)
