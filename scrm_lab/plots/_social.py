"""Figures of social listening and customer service: mentions over time per brand with
spikes marked, conversation topics' shares over time, and the share of threads answered
within t minutes.

Re-exported by :mod:`scrm_lab.plots`.

Examples
--------
>>> from scrm_lab.synth import simulate_service_threads
>>> from scrm_lab.service import service_threads
>>> threads = service_threads(simulate_service_threads(200, seed=0).messages)
>>> plot_response_curves(threads, sla_minutes=60).get_xscale()
'log'
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from scrm_lab._checks import (
    COLUMN,
    Choice,
    Instance,
    OrNone,
    Real,
    Text,
    checks,
)
from scrm_lab.plots._base import AX, new_axes, require
from scrm_lab.service import SERVICE_GROUPS


@checks(
    period=COLUMN,
    value=COLUMN,
    by=COLUMN,
    spikes=OrNone(Instance(pd.DataFrame, "a table of detect_spikes")),
    ylabel=Text(),
    ax=AX,
)
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

    With a single period the counts are drawn as dots (a line needs two points).

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
    require(volume, [period, value, by])
    ax = new_axes(ax, (9, 4.5))
    single = volume[period].nunique() == 1  # a line through one period would not show
    for name, part in volume.sort_values(period).groupby(by, sort=True, observed=True):
        ax.plot(part[period], part[value], linewidth=1.4, label=str(name),
                marker="o" if single else None)  # fmt: skip
    if spikes is not None and not spikes.empty:
        require(spikes, [period, by, "count"])
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


@checks(by=Choice(tuple(SERVICE_GROUPS)), sla_minutes=OrNone(Real(low=0, low_open=True)), ax=AX)
def plot_response_curves(
    threads: pd.DataFrame,
    *,
    by: str = "channel",
    sla_minutes: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Share of threads answered within t minutes, one curve per group (log time axis).

    Every thread counts in the denominator, so a curve levels off at the group's answered
    share instead of pretending unanswered threads were answered.

    Parameters
    ----------
    threads : pandas.DataFrame
        The output of :func:`scrm_lab.metrics.service_threads`.
    by : str
        One of :data:`SERVICE_GROUPS`.
    sla_minutes : float, optional
        Draw the service level target as a vertical line.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from scrm_lab.service import service_threads
    >>> from scrm_lab.synth import simulate_service_threads
    >>> threads = service_threads(simulate_service_threads(n_threads=100).messages)
    >>> plot_response_curves(threads, sla_minutes=60).get_ylabel()
    'share of threads answered'
    """
    require(threads, ["first_response_minutes", "answered"])
    ax = new_axes(ax, (8, 4.5))
    key = np.full(len(threads), "all", dtype=object) if by == "all" else threads[by]
    for group, part in threads.groupby(key, observed=True, sort=True):
        delay = np.sort(part["first_response_minutes"].dropna().to_numpy(dtype=float))
        share = np.arange(1, delay.size + 1) / len(part)
        ax.step(np.maximum(delay, 0.1), share, where="post", label=f"{group} (n={len(part)})")
    if sla_minutes is not None:
        sla = float(sla_minutes)
        ax.axvline(sla, color="black", linestyle="--", linewidth=1, label=f"SLA {sla:g} min")
    ax.set_xscale("log")
    ax.set_ylim(0, 1)
    ax.set_xlabel("minutes since the opening message (log scale)")
    ax.set_ylabel("share of threads answered")
    ax.legend(title=by, fontsize="small")
    return ax


@checks(x=COLUMN, y=COLUMN, hue=COLUMN, ax=AX)
def plot_topic_trend(
    data: pd.DataFrame,
    *,
    x: str = "period",
    y: str = "share",
    hue: str = "label",
    ax: Axes | None = None,
) -> Axes:
    """One line per topic of its share of the messages over time, with its interval band.

    When the table has ``ci_low`` and ``ci_high`` columns (as :meth:`Topics.trend` gives
    for ``share``) and ``y`` is ``"share"``, each line gets a light band between them.
    With a single period the values are drawn as dots (a line needs two points).

    Parameters
    ----------
    data : pandas.DataFrame
        A tidy table, e.g. :meth:`scrm_lab.listening.Topics.trend`.
    x, y, hue : str
        Column names: the time, the plotted number (``"messages"`` for counts), the topic.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ParameterError
        A column named by ``x``, ``y`` or ``hue`` is not in the table.

    Examples
    --------
    >>> trend = pd.DataFrame({"label": ["bag / lost"] * 2 + ["late / delay"] * 2,
    ...                       "period": pd.to_datetime(["2015-02-17", "2015-02-18"] * 2),
    ...                       "share": [0.4, 0.3, 0.6, 0.7]})
    >>> ax = plot_topic_trend(trend)
    >>> [line.get_label() for line in ax.get_lines()]
    ['bag / lost', 'late / delay']
    """
    require(data, [x, y, hue])
    ax = new_axes(ax, (9, 4.5))
    band = y == "share" and {"ci_low", "ci_high"} <= set(data.columns)
    single = data[x].nunique() == 1
    for name, part in data.sort_values(x).groupby(hue, sort=True, observed=True):
        (line,) = ax.plot(part[x], part[y], linewidth=1.4, label=str(name),
                          marker="o" if single else None)  # fmt: skip
        if band:
            ax.fill_between(part[x], part["ci_low"], part["ci_high"], color=line.get_color(),
                            alpha=0.15, linewidth=0)  # fmt: skip
    ax.set_ylabel("share of the period's messages" if y == "share" else y)
    ax.set_xlabel("")
    if y == "share":
        ax.set_ylim(bottom=0)
    ax.legend(title=hue, fontsize=8, frameon=False, ncol=2)
    ax.figure.autofmt_xdate()
    return ax
