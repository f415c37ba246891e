"""Every event-level aggregation gives the same table on pandas, DuckDB and Spark.

Each function is run on the pandas frame and on the same rows read from Parquet by DuckDB
and by a local Spark; the results must match exactly, or to 1e-12 where sums of floats are
added in another order. The inputs are simulated with seeds the package never ships, plus
the shipped real tables, so a backend quirk on either kind of data shows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scrm_lab.customers import rfm_summary
from scrm_lab.datasets import load_dataset
from scrm_lab.engagement import (
    customer_engagement,
    engagement_rate,
    engagement_rate_over_time,
    score_engagement,
)
from scrm_lab.listening import (
    complaint_reasons,
    detect_spikes,
    mention_volume,
    net_sentiment,
    share_of_voice,
)
from scrm_lab.synth import reconstruct_engagementdb_2009, simulate_customers


def same(result: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(result, expected, check_exact=False, rtol=1e-12, atol=1e-12)


@pytest.fixture(scope="module")
def activity():
    """Channel levels of 100 brands, drawn with a seed the shipped reconstruction does not use."""
    return reconstruct_engagementdb_2009(seed=20261202).channel_activity


@pytest.fixture(scope="module")
def shoppers():
    return simulate_customers(n_customers=300, seed=20261203)


@pytest.fixture(scope="module")
def live_posts():
    """The real Live-seller posts with a seeded reach (the data have no audience column)."""
    posts = load_dataset("facebook_live_sellers")
    rng = np.random.default_rng(20261204)
    engagements = posts[["reactions", "comments", "shares"]].sum(axis=1).to_numpy()
    reach = engagements + rng.integers(0, 5_000, len(posts))
    return posts.assign(reach=np.where(rng.random(len(posts)) < 0.02, 0, reach))


def test_score_engagement(activity, backend, on_backend):
    same(score_engagement(on_backend(activity, backend)), score_engagement(activity))


@pytest.mark.parametrize("denominator", ["reach", "followers"])
def test_engagement_rate(denominator, backend, on_backend):
    posts = load_dataset("facebook_metrics")
    expected = engagement_rate(posts, denominator=denominator)
    same(engagement_rate(on_backend(posts, backend), denominator=denominator), expected)


@pytest.mark.parametrize("freq", ["W", "QS"])
def test_engagement_rate_over_time(live_posts, freq, backend, on_backend):
    posts = live_posts
    expected = engagement_rate_over_time(posts, freq=freq, by="brand")
    same(engagement_rate_over_time(on_backend(posts, backend), freq=freq, by="brand"), expected)


def test_customer_engagement(shoppers, backend, on_backend):
    interactions = shoppers.interactions
    expected = customer_engagement(interactions, as_of="2024-07-01")
    same(customer_engagement(on_backend(interactions, backend), as_of="2024-07-01"), expected)


@pytest.mark.parametrize("options", [{}, {"calibration_end": "2023-09-30", "time_unit": "D"}])
def test_rfm_summary(shoppers, options, backend, on_backend):
    log = shoppers.transactions
    same(rfm_summary(on_backend(log, backend), **options), rfm_summary(log, **options))


@pytest.mark.parametrize(
    ("function", "options"),
    [
        (mention_volume, {"freq": "D"}),
        (mention_volume, {"freq": "W", "by": "sentiment"}),
        (share_of_voice, {}),
        (share_of_voice, {"freq": "W"}),
        (net_sentiment, {"freq": "D"}),
        (complaint_reasons, {}),
        (detect_spikes, {"freq": "D"}),
    ],
)
def test_listening(tweets, function, options, backend, on_backend):
    same(function(on_backend(tweets, backend), **options), function(tweets, **options))
