"""Figures of the customer base: the tracking plot, the conditional expectations against the
holdout, probability alive, and the distribution of customer lifetime value.

Re-exported by :mod:`scrm_lab.plots`.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"frequency": ["0", "1", "2+"], "customers": [50, 30, 20],
...                       "expected": [0.2, 0.8, 2.1], "actual": [0.25, 0.7, 2.4]})
>>> plot_holdout_by_frequency(table).get_xlabel()
'repeat purchases in the calibration period'
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from scrm_lab._checks import Choice, Flag, Text, checks
from scrm_lab.customers import UNIT_NAMES
from scrm_lab.plots._base import AX, new_axes, require


@checks(cumulative=Flag(), time_unit=Choice(tuple(UNIT_NAMES)), ax=AX)
def plot_tracking(
    track: pd.DataFrame, *, cumulative: bool = True, time_unit: str = "W", ax: Axes | None = None
) -> Axes:
    """Actual and expected repeat purchases of the cohort per period, the calibration end
    marked (the tracking plot of Fader, Hardie and Lee 2005, Figures 2 and 3).

    Parameters
    ----------
    track : pandas.DataFrame
        The output of :func:`scrm_lab.customers.tracking`.
    cumulative : bool, default True
        Cumulative sums (the paper's Figure 3) or purchases per period (Figure 2).
    time_unit : {"D", "W", "M", "Y"}
        The unit of the periods, for the axis label.

    Examples
    --------
    >>> track = pd.DataFrame({"period": [1, 2, 3], "part": ["calibration"] * 2 + ["holdout"],
    ...                       "actual": [1, 2, 3], "expected": [1.1, 2.0, 2.5],
    ...                       "cumulative_actual": [1, 3, 6],
    ...                       "cumulative_expected": [1.1, 3.1, 5.6]})
    >>> [line.get_label() for line in plot_tracking(track).get_lines()[:2]]
    ['actual', 'expected']
    """
    prefix = "cumulative_" if cumulative else ""
    require(track, ["period", "part", f"{prefix}actual", f"{prefix}expected"])
    ax = new_axes(ax, (8, 4.5))
    ax.plot(track["period"], track[f"{prefix}actual"], color="black", label="actual")
    ax.plot(track["period"], track[f"{prefix}expected"], color="tab:blue", linestyle="--",
            label="expected")  # fmt: skip
    calibration = track.loc[track["part"] == "calibration", "period"]
    if len(calibration) and len(calibration) < len(track):
        ax.axvline(calibration.max() + 0.5, color="grey", linewidth=1, linestyle=":",
                   label="end of calibration")  # fmt: skip
    unit = UNIT_NAMES[time_unit]
    ax.set_xlabel(f"{unit}s since the cohort's first {unit}")
    ax.set_ylabel(("cumulative " if cumulative else "") + "repeat purchases")
    ax.legend(frameon=False)
    return ax


@checks(ax=AX)
def plot_holdout_by_frequency(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Mean holdout purchases per customer, expected and actual, by calibration frequency
    (the conditional expectation plot of Fader, Hardie and Lee 2005, Figure 4).

    ``table`` is the output of :func:`scrm_lab.customers.holdout_by_frequency`.
    """
    require(table, ["frequency", "customers", "expected", "actual"])
    ax = new_axes(ax, (8, 4.5))
    position = np.arange(len(table))
    ax.plot(position, table["actual"], color="black", marker="o", label="actual")
    ax.plot(position, table["expected"], color="tab:blue", marker="s", linestyle="--",
            label="expected given each history")  # fmt: skip
    ax.set_xticks(position, [f"{f}\n(n={n:,})" for f, n in zip(table["frequency"],
                             table["customers"], strict=True)], fontsize="small")  # fmt: skip
    ax.set_xlabel("repeat purchases in the calibration period")
    ax.set_ylabel("holdout purchases per customer")
    ax.legend(frameon=False)
    return ax


@checks(ax=AX)
def plot_probability_alive(grid: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Probability alive against recency, one line per frequency.

    ``grid`` has ``frequency, recency, probability_alive`` (the output of
    :func:`scrm_lab.customers.alive_grid`).
    """
    require(grid, ["frequency", "recency", "probability_alive"])
    ax = new_axes(ax, (8, 4.5))
    for frequency, part in grid.groupby("frequency", sort=True):
        ax.plot(part["recency"], part["probability_alive"], marker="o",
                label=f"{frequency} repeat purchases")  # fmt: skip
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("recency: time of the last purchase since the first")
    ax.set_ylabel("probability alive")
    ax.legend(frameon=False)
    return ax


@checks(label=Text(), ax=AX)
def plot_value_distribution(
    value: pd.DataFrame, *, label: str = "customer lifetime value", ax: Axes | None = None
) -> Axes:
    """Histogram of customer lifetime value on a log scale (its long right tail visible),
    the mean and median marked; customers worth 0 or less, or under 1/1000 of the median,
    are left out of the bars and counted in the title.

    Examples
    --------
    >>> value = pd.DataFrame({"clv": [0.5, 1.0, 2.0, 4.0, 50.0]})
    >>> plot_value_distribution(value).get_xscale()
    'log'
    """
    require(value, ["clv"])
    ax = new_axes(ax, (8, 4.5))
    clv = value["clv"].to_numpy(float)
    floor = np.median(clv[clv > 0]) / 1000 if (clv > 0).any() else 0.0
    shown = clv[(clv > 0) & (clv >= floor)]
    if shown.size:
        low, high = shown.min(), shown.max()
        bins = np.geomspace(low, high * 1.0001, 40) if high > low else 10
        ax.hist(shown, bins=bins, color="tab:blue", alpha=0.8)
        ax.set_xscale("log")
        for stat, style in ((np.mean(clv), "-"), (np.median(clv), "--")):
            ax.axvline(stat, color="black", linestyle=style, linewidth=1)
        ax.legend(["mean", "median"], frameon=False)
    hidden = int(clv.size - shown.size)
    note = f" ({hidden:,} customers worth 0 or under 1/1000 of the median not shown)"
    ax.set_title(label + (note if hidden else ""), fontsize="medium")
    ax.set_xlabel(f"{label} (log scale)")
    ax.set_ylabel("customers")
    return ax
