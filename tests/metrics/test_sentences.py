"""The metrics read in words: every number in a sentence comes from the table it reads."""

from __future__ import annotations

import pandas as pd
import pytest

from scrm_lab import metrics
from scrm_lab.exceptions import ParameterError


def proportions(rows) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["group", "count", "n", "estimate", "ci_low", "ci_high"]
    ).assign(denominator="sessions", definition="conversion_rate/1")


def test_rate_and_group_sentences_read_the_table():
    one = proportions([("all", 25, 200, 0.125, 0.086, 0.178)])
    assert metrics.rate_sentence(one, what="bought", alpha=0.1) == (
        "12.5% of the 200 sessions bought (90% CI 8.6% to 17.8%; conversion_rate/1)."
    )
    apart = proportions([("a", 50, 100, 0.5, 0.4, 0.6), ("b", 10, 100, 0.1, 0.05, 0.17)])
    said = metrics.group_sentence(apart, group="group", what="conversion rate")
    assert said.startswith("The conversion rate is highest for a (50.0%, 95% CI 40.0% to 60.0%")
    assert "lowest for b (10.0%" in said and "do not overlap" in said
    close = proportions([("a", 50, 100, 0.5, 0.4, 0.6), ("b", 45, 100, 0.45, 0.35, 0.55)])
    assert "cannot tell them apart" in metrics.group_sentence(close, group="group", what="rate")
    assert "nothing to compare" in metrics.group_sentence(apart.head(1), group="group", what="x")
    with pytest.raises(
        ParameterError, match=r"'table' parameter of rate_sentence must be a pandas"
    ):
        metrics.rate_sentence([1], what="x")


def test_funnel_and_growth_sentences():
    summary = pd.DataFrame({
        "stage_number": [1, 2, 3], "stage": ["in", "cart", "paid"], "sessions": [1000, 400, 100],
        "step_rate": [1.0, 0.4, 0.25], "from_start": [1.0, 0.4, 0.1], "drop_off": [0, 600, 300],
        "skipped": [0, 0, 20],
    })  # fmt: skip
    first, weakest, skipped = metrics.funnel_sentences(summary)
    assert first == "Of 1,000 sessions, 100 (10.0%) went through every stage to a purchase."
    assert weakest.startswith("The weakest step is 'paid': 25.0%") and "(300 lost)" in weakest
    assert skipped.startswith("20 of the 120 sessions that reached 'paid' skipped")
    assert len(metrics.funnel_sentences(summary.assign(skipped=0))) == 2
    growth = pd.DataFrame({"period": [1, 2, 3], "followers": [100, 150, 165],
                           "growth_rate": [None, 0.5, 0.1]})  # fmt: skip
    assert metrics.growth_sentence(growth) == (
        "Followers went from 100 (period 1) to 165 (period 3), +65.0%; growth per period went "
        "from 50.0% to 10.0% (highest 50.0%, lowest 10.0%)."
    )


def test_search_and_audience_sentences_say_the_direction():
    table = pd.DataFrame({
        "term": ["up", "flat"], "estimate": [50.0, 20.0], "ci_low": [45.0, 18.0],
        "ci_high": [55.0, 22.0], "slope": [0.5, 0.01], "slope_ci_low": [0.2, -0.1],
        "slope_ci_high": [0.8, 0.12],
    })  # fmt: skip
    up, flat = metrics.search_sentences(table)
    assert "rising: +0.50 points per period (CI +0.20 to +0.80)" in up
    assert "no clear trend" in flat
    profile = metrics.audience_profile(pd.DataFrame({
        "brand": ["A"] * 4, "channel": ["fb", "fb", "ig", "ig"], "dimension": ["age"] * 4,
        "group": ["young", "old", "young", "old"], "followers": [20, 80, 60, 40],
    }))  # fmt: skip
    assert metrics.audience_sentences(profile) == [
        "A on fb: the age group old is 80.0% of followers against 60.0% on all channels "
        "(index 133).",
        "A on ig: the age group young is 60.0% of followers against 40.0% on all channels "
        "(index 150).",
    ]
