"""Simulated service threads: estimates beside the truth (SimulatedThreads.compare)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scrm_lab.exceptions import ParameterError
from scrm_lab.synth import simulate_service_threads


@pytest.fixture(scope="module")
def sim():
    return simulate_service_threads(n_threads=200, seed=1)


def test_covered_means_the_truth_lies_inside_the_interval(sim):
    truth = sim.truth["median_first_response"]["channel"]
    t, f, i, e = (truth[c] for c in ["twitter", "facebook", "instagram", "email"])
    levels = pd.DataFrame(
        {
            "channel": ["twitter", "facebook", "instagram", "email"],
            # inside, exactly on the low end, above the truth, missing interval
            "median_ci_low": [t - 1, f, i + 0.5, np.nan],
            "median_ci_high": [t + 1, f + 3, i + 2, np.nan],
        }
    )
    result = sim.compare(levels, by="channel")
    assert result["covered"].tolist() == [True, True, False, False]
    assert result["true_median"].tolist() == pytest.approx([t, f, i, e])
    true = sim.true_levels(by="channel")
    assert result["true_sla_share"].tolist() == pytest.approx(true["sla_share"].tolist())
    assert list(result.columns[-3:]) == ["true_median", "true_sla_share", "covered"]


def test_business_hours_truth_is_matched_by_group(sim):
    truth = sim.truth["median_first_response"]["business_hours"]
    levels = pd.DataFrame(
        {"business_hours": [False, True], "median_ci_low": [0.0, 0.0],
         "median_ci_high": [truth[False] - 1, truth[True] + 1]}
    )  # fmt: skip
    assert sim.compare(levels, by="business_hours")["covered"].tolist() == [False, True]


def test_bad_comparisons_are_refused(sim):
    with pytest.raises(ParameterError, match="Missing: \\['median_ci_high'\\]"):
        sim.compare(pd.DataFrame({"channel": ["twitter"], "median_ci_low": [1.0]}))
    with pytest.raises(ParameterError, match="'by' parameter of SimulatedThreads.true_levels"):
        sim.compare(pd.DataFrame({"all": ["all"]}), by="all")


def test_coverage_stacks_the_groupings_and_the_sentence_counts_them(sim):
    truth = sim.truth["median_first_response"]
    channel = sim.compare(
        pd.DataFrame({"channel": ["twitter", "email"],
                      "median_first_response_minutes": [1.0, 2.0],
                      "median_ci_low": [0.0, 0.0],
                      "median_ci_high": [truth["channel"]["twitter"] + 1, 0.5]}),
        by="channel",
    )  # fmt: skip
    hours = sim.compare(
        pd.DataFrame({"business_hours": [True], "median_first_response_minutes": [3.0],
                      "median_ci_low": [0.0], "median_ci_high": [1e6]}),
        by="business_hours",
    )  # fmt: skip
    rows = sim.coverage({"channel": channel, "business_hours": hours})
    assert rows["group"].tolist() == ["twitter", "email", "True"]
    assert rows["grouping"].tolist() == ["channel", "channel", "business_hours"]
    assert rows["covered"].tolist() == [True, False, True]
    threads = pd.DataFrame({"answered": [True, True, False, True],
                            "resolved": [True, False, False, False]})  # fmt: skip
    words = sim.truth_sentences(rows, threads)[0]
    assert words.startswith("2 of 3 intervals cover the true median.")
    assert "estimated 75.0%" in words and "estimated 25.0% (threads" in words
    assert sim.coverage({}).empty
