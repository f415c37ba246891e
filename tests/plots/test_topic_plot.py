"""Tests of scrm_lab.plots.plot_topic_trend: one line per topic, values drawn, bands, errors."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection

from scrm_lab.exceptions import ParameterError
from scrm_lab.listening import conversation_topics
from scrm_lab.plots import plot_topic_trend

WORDS = {"bag": "bag lost luggage claim", "late": "late delay hours waiting"}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def trend() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    texts = [WORDS["bag" if i % 2 else "late"] for i in range(60)]
    times = pd.Timestamp("2015-02-16", tz="UTC") + pd.to_timedelta(rng.uniform(0, 72, 60), unit="h")
    messages = pd.DataFrame({"message_id": [f"m{i}" for i in range(60)], "text": texts,
                             "time": times})  # fmt: skip
    topics = conversation_topics(messages, n_topics=2, brand=None)
    return topics.trend(messages)


def test_one_line_per_label_with_the_shares_drawn(trend):
    ax = plot_topic_trend(trend)
    assert isinstance(ax, Axes)
    labels = sorted(trend["label"].unique())
    assert [line.get_label() for line in ax.get_lines()] == labels
    for line in ax.get_lines():
        expected = trend[trend["label"] == line.get_label()].sort_values("period")["share"]
        np.testing.assert_allclose(line.get_ydata(), expected)
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == len(labels)  # the Wilson interval of each line
    assert ax.get_legend().get_title().get_text() == "label"


def test_counts_without_bands_on_a_given_axes(trend):
    _, given = plt.subplots()
    ax = plot_topic_trend(trend, y="messages", hue="topic", ax=given)
    assert ax is given
    assert [line.get_label() for line in ax.get_lines()] == ["1", "2"]
    assert not [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert ax.get_ylabel() == "messages"


def test_a_single_period_is_drawn_as_dots(trend):
    first = trend[trend["period"] == trend["period"].min()]
    ax = plot_topic_trend(first)
    assert all(line.get_marker() == "o" for line in ax.get_lines())


def test_refusals(trend):
    with pytest.raises(ParameterError, match=r"plot_topic_trend needs the column\(s\) \['when'\]"):
        plot_topic_trend(trend, x="when")
    with pytest.raises(ParameterError, match=r"'hue' parameter of plot_topic_trend must be"):
        plot_topic_trend(trend, hue=3)
