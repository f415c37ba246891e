"""Tests of scrm_lab.plots._customers: what each figure draws is the table it was given."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from scrm_lab.exceptions import ParameterError
from scrm_lab.plots import (
    plot_holdout_by_frequency,
    plot_probability_alive,
    plot_tracking,
    plot_value_distribution,
)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture
def track() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": [1, 2, 3, 4],
            "part": ["calibration"] * 2 + ["holdout"] * 2,
            "actual": [2, 3, 1, 4],
            "expected": [2.5, 2.5, 2.0, 2.0],
            "cumulative_actual": [2, 5, 6, 10],
            "cumulative_expected": [2.5, 5.0, 7.0, 9.0],
        }
    )


@pytest.mark.parametrize("cumulative", [True, False])
def test_tracking_draws_actual_expected_and_the_calibration_end(track, cumulative):
    ax = plot_tracking(track, cumulative=cumulative, time_unit="D")
    actual, expected, end = ax.get_lines()
    prefix = "cumulative_" if cumulative else ""
    assert actual.get_ydata().tolist() == track[f"{prefix}actual"].tolist()
    assert expected.get_ydata().tolist() == track[f"{prefix}expected"].tolist()
    assert end.get_xdata()[0] == 2.5  # between the last calibration and the first holdout day
    assert ax.get_xlabel() == "days since the cohort's first day"
    assert ax.get_ylabel() == ("cumulative repeat purchases" if cumulative else "repeat purchases")


def test_tracking_without_a_holdout_draws_no_calibration_end(track):
    ax = plot_tracking(track.assign(part="calibration"))
    assert [line.get_label() for line in ax.get_lines()] == ["actual", "expected"]


def test_tracking_refuses_a_table_without_its_columns(track):
    with pytest.raises(
        ParameterError,
        match=r"plot_tracking needs the column\(s\) "
        r"\['cumulative_expected'\]",
    ):
        plot_tracking(track.drop(columns="cumulative_expected"))


def test_holdout_by_frequency_labels_each_group_with_its_size():
    table = pd.DataFrame(
        {
            "frequency": ["0", "1", "2+"],
            "customers": [1411, 439, 507],
            "expected": [0.2, 0.5, 2.0],
            "actual": [0.25, 0.7, 2.4],
        }
    )
    ax = plot_holdout_by_frequency(table)
    actual, expected = ax.get_lines()
    assert actual.get_ydata().tolist() == [0.25, 0.7, 2.4]
    assert expected.get_ydata().tolist() == [0.2, 0.5, 2.0]
    labels = [tick.get_text() for tick in ax.get_xticklabels()]
    assert labels == ["0\n(n=1,411)", "1\n(n=439)", "2+\n(n=507)"]


def test_probability_alive_draws_one_line_per_frequency():
    grid = pd.DataFrame(
        {
            "frequency": [1, 1, 5, 5],
            "recency": [4.0, 39.0, 4.0, 39.0],
            "probability_alive": [0.3, 0.8, 0.01, 0.9],
        }
    )
    ax = plot_probability_alive(grid)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["1 repeat purchases", "5 repeat purchases"]
    assert lines[1].get_ydata().tolist() == [0.01, 0.9]
    assert ax.get_ylim()[0] == 0


def test_value_distribution_hides_only_the_negligible_values_and_says_so():
    clv = np.array([0.0, 1e-6, 1.0, 2.0, 3.0, 50.0])  # median of the positive ones: 2.0
    ax = plot_value_distribution(pd.DataFrame({"clv": clv}))
    counted = sum(patch.get_height() for patch in ax.patches)
    assert counted == 4  # 0 and 1e-6 (under 2.0 / 1000) are left out of the bars
    assert ax.get_title() == (
        "customer lifetime value (2 customers worth 0 or under 1/1000 of the median not shown)"
    )
    assert ax.get_xscale() == "log"
    mean, median = (line.get_xdata()[0] for line in ax.get_lines())
    assert mean == pytest.approx(clv.mean()) and median == pytest.approx(np.median(clv))


def test_value_distribution_of_nothing_positive_draws_no_bars():
    ax = plot_value_distribution(pd.DataFrame({"clv": [0.0, 0.0]}), label="value")
    assert not ax.patches
    assert ax.get_title() == "value (2 customers worth 0 or under 1/1000 of the median not shown)"
