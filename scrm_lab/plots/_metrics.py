"""Figures of the course's metrics: the sales funnel.

Examples
--------
>>> import pandas as pd
>>> summary = pd.DataFrame({"stage_number": [1, 2], "stage": ["visited", "bought"],
...                         "sessions": [100, 12], "step_rate": [1.0, 0.12],
...                         "from_start": [1.0, 0.12], "start_ci_low": [0.96, 0.07],
...                         "start_ci_high": [1.0, 0.2]})
>>> [t.get_text() for t in plot_funnel(summary).get_yticklabels()]
['visited', 'bought']
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from scrm_lab._checks import OrNone, Text, checks
from scrm_lab.plots._base import AX, new_axes, require


@checks(hue=OrNone(Text("a column name")), ax=AX)
def plot_funnel(summary: pd.DataFrame, *, hue: str | None = None, ax: Axes | None = None) -> Axes:
    """The sales funnel: sessions per stage as bars, or one line per group of the entry share.

    Parameters
    ----------
    summary : pandas.DataFrame
        :func:`scrm_lab.metrics.funnel_summary`'s table: ``stage_number``, ``stage``,
        ``sessions``, ``step_rate`` and, with ``hue``, ``from_start``, ``start_ci_low``,
        ``start_ci_high`` and the group column.
    hue : str, optional
        A group column (``"visitor_type"``): one line per group of the share of its entries
        reaching each stage, with its interval as a band (log scale).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    require(summary, ["stage_number", "stage", "sessions", "step_rate"])
    stages = summary.drop_duplicates("stage_number").sort_values("stage_number")["stage"]
    if hue is None:
        ax = new_axes(ax, (8, 0.6 * len(stages) + 1.2))
        rows = summary.sort_values("stage_number")
        y = np.arange(len(rows))
        ax.barh(y, rows["sessions"], color="#0969da", height=0.6)
        widest = float(rows["sessions"].max()) or 1.0
        pairs = zip(rows["sessions"], rows["step_rate"], strict=True)
        for position, (sessions, rate) in enumerate(pairs):
            label = f"{sessions:,}" if position == 0 else f"{sessions:,} ({rate:.1%} of previous)"
            ax.text(sessions + widest * 0.01, position, label, va="center", fontsize=9)
        ax.set_xlim(0, widest * 1.35)
        ax.set_xlabel("sessions reaching the stage (closed funnel)")
    else:
        require(summary, ["from_start", "start_ci_low", "start_ci_high", hue])
        ax = new_axes(ax, (8, 4.5))
        for name, part in summary.groupby(hue, sort=True, observed=True):
            part = part.sort_values("stage_number")
            x = np.arange(len(part))
            ax.plot(x, part["from_start"], marker="o", label=str(name))
            ax.fill_between(x, part["start_ci_low"], part["start_ci_high"], alpha=0.2)
        ax.set_yscale("log")
        ax.set_xticks(np.arange(len(stages)), list(stages), rotation=15)
        ax.set_ylabel("share of entries reaching the stage")
        ax.legend(title=hue, frameon=False, fontsize=8)
        return ax
    ax.set_yticks(y, list(rows["stage"]))
    ax.invert_yaxis()
    ax.spines[["top", "right"]].set_visible(False)
    return ax


@checks(group=Text("a column name"), xlabel=Text(), ax=AX)
def plot_rates(
    table: pd.DataFrame, *, group: str, xlabel: str = "rate", ax: Axes | None = None
) -> Axes:
    """A proportion per group with its interval: one dot and bar per group, in table order.

    Parameters
    ----------
    table : pandas.DataFrame
        A proportion table of :mod:`scrm_lab.metrics` (``estimate``, ``ci_low``, ``ci_high``)
        with the ``group`` column, e.g. ``conversion_rate(sessions, by="month")``.
    group : str
        The group column.
    xlabel : str, default "rate"
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> table = pd.DataFrame({"g": ["a", "b"], "estimate": [0.2, 0.5],
    ...                       "ci_low": [0.1, 0.4], "ci_high": [0.3, 0.6]})
    >>> len(plot_rates(table, group="g").get_yticklabels())
    2
    """
    require(table, [group, "estimate", "ci_low", "ci_high"])
    ax = new_axes(ax, (6, 0.35 * len(table) + 1.5))
    y = np.arange(len(table))
    errors = [table["estimate"] - table["ci_low"], table["ci_high"] - table["estimate"]]
    ax.errorbar(table["estimate"], y, xerr=errors, fmt="o", color="#0969da", capsize=3)
    ax.set_yticks(y, table[group].astype(str).tolist())
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    return ax
