"""Figures of social listening: mentions over time per brand, with spikes marked.

Re-exported by :mod:`scrm_lab.plots`.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from scrm_lab._profile_plots import _axes, _require


def plot_mentions(
    volume: pd.DataFrame,
    *,
    period: str = "period",
    value: str = "mentions",
    by: str = "brand",
    spikes: pd.DataFrame | None = None,
    ylabel: str = "mentions",
    ax: Axes | None = None,
) -> Axes:
    """One line per brand of a count over time; spike periods marked with red rings.

    Parameters
    ----------
    volume : pandas.DataFrame
        A tidy table of counts, e.g. :func:`scrm_lab.metrics.mention_volume` (or
        :func:`~scrm_lab.metrics.share_of_voice` with ``value="share"``).
    period, value, by : str
        Column names: the time, the plotted number, the brand.
    spikes : pandas.DataFrame, optional
        :func:`scrm_lab.listening.detect_spikes` output with the same ``period`` and ``by``
        columns and a ``count`` column, drawn as rings at (period, count).
    ylabel : str, default "mentions"
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> volume = pd.DataFrame({"brand": ["A", "A", "B", "B"],
    ...                        "period": pd.to_datetime(["2024-01-01", "2024-01-02"] * 2),
    ...                        "mentions": [3, 5, 2, 1]})
    >>> plot_mentions(volume).get_legend().get_title().get_text()
    'brand'
    """
    _require(volume, [period, value, by], "plot_mentions")
    ax = _axes(ax, (9, 4.5))
    for name, part in volume.sort_values(period).groupby(by, sort=True, observed=True):
        ax.plot(part[period], part[value], linewidth=1.4, label=str(name))
    if spikes is not None and not spikes.empty:
        _require(spikes, [period, by, "count"], "plot_mentions")
        ax.scatter(
            spikes[period],
            spikes["count"],
            s=70,
            facecolor="none",
            edgecolor="#cf222e",
            linewidth=1.6,
            zorder=3,
            label="spike",
        )
    ax.set_ylabel(ylabel)
    ax.set_xlabel("")
    ax.legend(title=by, fontsize=8, frameon=False, ncol=2)
    ax.figure.autofmt_xdate()
    return ax
