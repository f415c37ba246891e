"""Tests of scrm_lab.plots: return types, scales, values drawn, empty tables, errors."""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from scipy import stats

from scrm_lab.exceptions import ParameterError
from scrm_lab.plots import (
    plot_correlation_heatmap,
    plot_distributions,
    plot_group_means,
    plot_profile_quadrants,
    plot_scatter,
    plot_score_by_group,
    plot_volume_over_time,
)

RNG_SEED = 7


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(RNG_SEED)
    n = 300
    budget = rng.lognormal(17, 1, size=n)
    return pd.DataFrame(
        {
            "budget": budget,
            "likes": np.r_[[0] * 5, rng.poisson(budget[5:] / 1e5)],  # counts with zeros
            "rating": rng.normal(6.5, 1, size=n),
            "year": rng.choice([2014, 2015], size=n),
            "title": [f"film {i}" for i in range(n)],
            "sequel": rng.random(n) > 0.8,
        }
    )


@pytest.fixture
def text_only() -> pd.DataFrame:
    return pd.DataFrame({"source": ["1", "2"], "target": ["2", "3"]})


# ------------------------------------------------------------------------- distributions


def test_distributions_one_panel_per_numeric_column_log_where_skewed(frame):
    fig = plot_distributions(frame)
    assert isinstance(fig, Figure)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == [
        "budget (log scale)",
        "likes (log scale)",
        "rating",
        "year",
    ]
    scales = [ax.get_xscale() for ax in visible]
    assert scales == ["log", "symlog", "linear", "linear"]  # likes has zeros: symlog
    assert visible[1].get_xlim()[0] == 0
    assert len(fig.axes) == 6 and not fig.axes[5].get_visible()  # 2 rows x 3, one hidden
    # the bars hold every value
    assert sum(p.get_height() for p in visible[0].patches) == len(frame)


def test_distributions_log_switch_and_columns(frame):
    fig = plot_distributions(frame, columns=["budget", "rating"], log=False)
    assert [ax.get_xscale() for ax in fig.axes] == ["linear", "linear"]
    fig = plot_distributions(frame, columns=["rating"], log=True)
    assert fig.axes[0].get_xscale() == "log"  # rating is positive
    year = plot_distributions(frame, columns=["year"]).axes[0]
    assert all(float(t).is_integer() for t in year.get_xticks())  # one bar per year


def test_distributions_of_a_table_without_numbers_is_an_empty_labelled_figure(text_only):
    fig = plot_distributions(text_only)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_title() == "Distributions"
    assert [t.get_text() for t in ax.texts] == ["This table has no numeric columns to plot."]


def test_distributions_errors(frame):
    with pytest.raises(
        ParameterError,
        match=r"'columns' parameter of plot_distributions must "
        r"be names of numeric columns .* Got \['title'\]",
    ):
        plot_distributions(frame, columns=["title"])
    with pytest.raises(ParameterError, match="'bins' parameter .* Got 0 instead"):
        plot_distributions(frame, bins=0)


# --------------------------------------------------------------------------- correlation


def test_heatmap_shows_spearman_of_numeric_columns(frame):
    ax = plot_correlation_heatmap(frame)
    assert isinstance(ax, Axes)
    assert ax.get_title() == "Spearman correlation between numeric columns"
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["budget", "likes", "rating", "year"]
    drawn = np.asarray(ax.collections[0].get_array()).reshape(4, 4)
    expected = stats.spearmanr(frame[labels]).statistic
    np.testing.assert_allclose(drawn, expected, rtol=1e-12)
    assert [t.get_text() for t in ax.texts][:2] == ["1.00", f"{expected[0, 1]:.2f}"]


def test_heatmap_method_ax_and_errors(frame, text_only):
    fig, ax = plt.subplots()
    assert plot_correlation_heatmap(frame, method="pearson", ax=ax) is ax
    drawn = np.asarray(ax.collections[0].get_array()).reshape(4, 4)
    assert drawn[0, 2] == pytest.approx(stats.pearsonr(frame["budget"], frame["rating"])[0])
    with pytest.raises(
        ParameterError,
        match=r"'method' parameter .* must be one of "
        r"\['kendall', 'pearson', 'spearman'\]\. "
        r"Got 'spearmann' instead",
    ):
        plot_correlation_heatmap(frame, method="spearmann")
    empty = plot_correlation_heatmap(text_only)
    assert isinstance(empty, Axes) and not empty.collections
    assert [t.get_text() for t in empty.texts] == [
        "This table has no numeric columns to correlate."
    ]


# ----------------------------------------------------------------------------- over time


def test_volume_over_time_counts_rows_per_period_with_zeros():
    times = pd.to_datetime(
        ["2015-02-16 01:00", "2015-02-16 23:00", "2015-02-18 12:00", None], utc=True
    )
    ax = plot_volume_over_time(pd.DataFrame({"time": times}))
    assert ax.lines[0].get_ydata().tolist() == [2, 0, 1]
    assert ax.get_ylabel() == "rows per day" and ax.get_xlabel() == "time (UTC)"
    weekly = plot_volume_over_time(
        pd.DataFrame({"day": times.tz_localize(None)}), time="day", freq="W"
    )
    assert sum(weekly.lines[0].get_ydata()) == 3 and weekly.get_ylabel() == "rows per week"


def test_volume_over_time_auto_frequency():
    hours = pd.DataFrame({"time": pd.date_range("2015-01-01", periods=30, freq="h")})
    assert plot_volume_over_time(hours, freq="auto").get_ylabel() == "rows per hour"
    years = pd.DataFrame({"time": pd.date_range("2010-01-01", periods=60, freq="MS")})
    assert plot_volume_over_time(years, freq="auto").get_ylabel() == "rows per month"


def test_volume_over_time_errors(frame):
    with pytest.raises(
        ParameterError,
        match=r"'time' parameter .* must be a date or timestamp "
        r"column of the table \(it has none\)\. "
        r"Got 'time' instead",
    ):
        plot_volume_over_time(frame)
    events = pd.DataFrame({"time": pd.to_datetime(["2015-02-16"], utc=True)})
    with pytest.raises(ParameterError, match="'freq' parameter .* Got 'fortnightly' instead"):
        plot_volume_over_time(events, freq="fortnightly")
    empty = plot_volume_over_time(events.iloc[0:0])
    assert [t.get_text() for t in empty.texts] == ["The 'time' column has no values."]


# ------------------------------------------------------------------------------- scatter


def test_scatter_samples_large_tables_with_a_fixed_seed(frame):
    big = pd.concat([frame] * 10, ignore_index=True)  # 3,000 rows
    ax = plot_scatter(big, x="budget", y="rating", max_points=500, seed=3)
    offsets = ax.collections[0].get_offsets()
    assert len(offsets) == 500
    assert "random 500 of 3,000 rows, seed 3" in ax.get_title()
    again = plot_scatter(big, x="budget", y="rating", max_points=500, seed=3)
    np.testing.assert_array_equal(again.collections[0].get_offsets(), offsets)
    other = plot_scatter(big, x="budget", y="rating", max_points=500, seed=4)
    assert not np.array_equal(other.collections[0].get_offsets(), offsets)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "linear"


def test_scatter_hue_uses_a_log_colour_bar_when_skewed(frame):
    ax = plot_scatter(frame, x="likes", y="rating", hue="budget")
    assert isinstance(ax.collections[0].norm, LogNorm)
    colorbar_axes = [a for a in ax.figure.axes if a is not ax]
    assert colorbar_axes[0].get_ylabel() == "budget (log scale)"
    assert ax.get_xscale() == "symlog"  # likes has zeros


def test_scatter_errors(frame):
    with pytest.raises(
        ParameterError,
        match=r"'x' parameter of plot_scatter must be names of numeric "
        r"columns .* Got \['title'\]",
    ):
        plot_scatter(frame, x="title", y="rating")
    with pytest.raises(ParameterError, match="'max_points' parameter .* Got 0 instead"):
        plot_scatter(frame, x="budget", y="rating", max_points=0)


# ------------------------------------------------------------------------- global state


def test_importing_the_modules_changes_no_matplotlib_state():
    script = (
        "import sys, matplotlib\n"
        "before = matplotlib.rcParams.copy()\n"  # copy() does not resolve the backend
        "import scrm_lab.plots, scrm_lab.summary, scrm_lab.reports\n"
        "print('matplotlib.pyplot' in sys.modules, 'seaborn' in sys.modules,\n"
        "      dict.__eq__(matplotlib.rcParams, before))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False", "True"]


# ------------------------------------------------------------------ profile figures


@pytest.fixture
def profiles() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "brand": ["A", "B", "C", "D", "E"],
            "breadth": [11, 9, 8, 4, 2],
            "score": [120.0, 40.0, 70.0, 45.0, 3.0],
            "expected_score": [100.0, 80.0, 70.0, 30.0, 10.0],
            "profile": ["Maven", "Butterfly", "Butterfly", "Selective", "Wallflower"],
            "sector": ["Media", "Media", "Technology", "Financial Services", "Technology"],
        }
    )


def test_profile_quadrants_draws_every_brand_by_profile(profiles):
    ax = plot_profile_quadrants(profiles, annotate=["A"])
    points = sum(len(c.get_offsets()) for c in ax.collections)
    assert points == len(profiles)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        "Maven (1)",
        "Butterfly (2)",
        "Selective (1)",
        "Wallflower (1)",
        "average line",
    ]
    assert [t.get_text() for t in ax.texts if t.get_text() == "A"] == ["A"]


def test_score_by_group_orders_groups_by_mean(profiles):
    ax = plot_score_by_group(profiles, group="sector")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Media (2)", "Financial Services (1)", "Technology (2)"]  # 80, 45, 36.5


def test_group_means_with_reference(profiles):
    means = pd.DataFrame(
        {
            "profile": ["Maven", "Wallflower"],
            "estimate": [18.0, -6.0],
            "ci_low": [10.0, -9.0],
            "ci_high": [26.0, -3.0],
        }
    )
    ax = plot_group_means(means, reference={"Maven": 18, "Wallflower": -6})
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Maven", "Wallflower"]
    assert "published" in [t.get_text() for t in ax.get_legend().get_texts()]


@pytest.mark.parametrize(
    "function", [plot_profile_quadrants, plot_score_by_group, plot_group_means]
)
def test_profile_figures_name_missing_columns(function):
    with pytest.raises(ParameterError, match=r"needs the column\(s\)"):
        function(pd.DataFrame({"x": [1]}))


def test_plot_mentions_draws_a_line_per_brand_and_rings_at_spikes():
    from scrm_lab.plots import plot_mentions

    periods = pd.date_range("2024-01-01", periods=4, freq="D")
    volume = pd.DataFrame(
        {
            "brand": ["A"] * 4 + ["B"] * 4,
            "period": list(periods) * 2,
            "mentions": [1, 2, 9, 1, 0, 1, 1, 2],
        }
    )
    spikes = pd.DataFrame({"brand": ["A"], "period": [periods[2]], "count": [9]})
    ax = plot_mentions(volume, spikes=spikes)
    assert [line.get_label() for line in ax.get_lines()] == ["A", "B"]
    assert list(ax.get_lines()[0].get_ydata()) == [1, 2, 9, 1]
    rings = ax.collections[0].get_offsets()
    assert rings.shape == (1, 2) and rings[0][1] == 9
    from scrm_lab.exceptions import ParameterError

    with pytest.raises(ParameterError, match=r"plot_mentions needs the column\(s\) \['count'\]"):
        plot_mentions(volume, spikes=spikes.drop(columns="count"))


def test_plot_response_curves_level_off_at_the_answered_share():
    from scrm_lab.plots import plot_response_curves

    threads = pd.DataFrame(
        {
            "channel": ["a", "a", "a", "a", "b", "b"],
            "answered": [True, True, True, False, True, True],
            "first_response_minutes": [5.0, 10.0, 30.0, None, 1.0, 2.0],
        }
    )
    ax = plot_response_curves(threads, sla_minutes=15)
    curves = {line.get_label(): line for line in ax.get_lines()}
    assert list(curves["a (n=4)"].get_ydata()) == [0.25, 0.5, 0.75]  # the unanswered one counts
    assert list(curves["b (n=2)"].get_ydata()) == [0.5, 1.0]
    assert "SLA 15 min" in curves
