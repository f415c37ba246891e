"""Figure functions over tidy tables (seaborn and matplotlib).

Every function takes the table first and column roles as keyword-only arguments. One-panel
functions accept an optional ``ax`` and return the :class:`~matplotlib.axes.Axes` they drew
on; multi-panel functions return the :class:`~matplotlib.figure.Figure`. Nothing here
changes matplotlib's global state: no style is set and no backend is chosen (a notebook
kernel renders inline; scripts and tests pick their own backend).

When a table has nothing to draw (no numeric column, no row with a time), the functions
return an empty figure whose title and centred note say so, rather than raising, so a report
runs on every table; a column that is named explicitly but is missing or of the wrong type is
refused with a :class:`~scrm_lab.exceptions.ParameterError`.

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> from scrm_lab.plots import plot_correlation_heatmap
>>> ax = plot_correlation_heatmap(load_dataset("csm_movies_social_boxoffice"))
>>> ax.get_title()
'Spearman correlation between numeric columns'
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from scrm_lab._checks import (
    COLUMN,
    NAMES,
    SEED,
    Choice,
    Flag,
    Integer,
    OrNone,
    Text,
    checks,
    refuse,
)
from scrm_lab.plots._base import AX, new_axes
from scrm_lab.plots._customers import (
    plot_holdout_by_frequency,
    plot_probability_alive,
    plot_tracking,
    plot_value_distribution,
)
from scrm_lab.plots._engagement import (
    PROFILE_COLOURS,
    plot_group_means,
    plot_profile_quadrants,
    plot_score_by_group,
)
from scrm_lab.plots._metrics import plot_funnel, plot_rates
from scrm_lab.plots._network import plot_community_map, plot_reach
from scrm_lab.plots._social import plot_mentions, plot_response_curves, plot_topic_trend

__all__ = [
    "PROFILE_COLOURS",
    "plot_community_map",
    "plot_correlation_heatmap",
    "plot_distributions",
    "plot_funnel",
    "plot_group_means",
    "plot_holdout_by_frequency",
    "plot_mentions",
    "plot_probability_alive",
    "plot_profile_quadrants",
    "plot_rates",
    "plot_reach",
    "plot_response_curves",
    "plot_scatter",
    "plot_score_by_group",
    "plot_topic_trend",
    "plot_tracking",
    "plot_value_distribution",
    "plot_volume_over_time",
]

_METHODS = ("kendall", "pearson", "spearman")
_FREQ_WORDS = {
    "min": "minute",
    "h": "hour",
    "D": "day",
    "W": "week",
    "MS": "month",
    "ME": "month",
    "M": "month",
    "QS": "quarter",
    "YS": "year",
}


# ------------------------------------------------------------------------------ helpers


def _numeric_columns(data: pd.DataFrame) -> list[str]:
    return [
        c
        for c in data.columns
        if pd.api.types.is_numeric_dtype(data[c].dtype)
        and not pd.api.types.is_bool_dtype(data[c].dtype)
    ]


def _check_columns(data: pd.DataFrame, columns: Sequence[str], *, parameter: str) -> list[str]:
    """Refuse columns that are missing or not numeric, naming them and the valid ones."""
    if isinstance(columns, str):
        columns = [columns]
    numeric = _numeric_columns(data)
    bad = [c for c in columns if c not in numeric]
    if bad:
        shown = ", ".join(map(str, numeric)) or "it has none"
        raise refuse(parameter, f"names of numeric columns of the table ({shown})", bad)
    return list(columns)


def _empty(ax: Axes, title: str, note: str) -> Axes:
    ax.set_title(title)
    ax.text(0.5, 0.5, note, ha="center", va="center", transform=ax.transAxes, color="0.35")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    return ax


def _wants_log(values: pd.Series, log: bool | None) -> bool:
    """Log scale for non-negative values; automatic when skewed and spanning >= 10x."""
    values = values.dropna()
    if log is False or values.empty or values.min() < 0 or not (values > 0).any():
        return False
    if log:
        return True
    smallest = values[values > 0].min()
    return bool(values.skew() > 1 and values.max() / smallest >= 10)


def _log_bins(values: pd.Series, bins: int) -> tuple[np.ndarray, dict]:
    """Bin edges even on a log axis; symlog (linear near zero) when there are zeros."""
    from matplotlib.scale import SymmetricalLogTransform

    positive = values[values > 0]
    low, high = float(positive.min()), float(values.max())
    if high <= low:
        high = low * 10
    if values.min() > 0:
        return np.geomspace(low, high, bins + 1), {"value": "log"}
    transform = SymmetricalLogTransform(base=10, linthresh=low, linscale=1)
    ends = transform.transform(np.array([0.0, high]))
    edges = transform.inverted().transform(np.linspace(ends[0], ends[1], bins + 1))
    return edges, {"value": "symlog", "linthresh": low}


def _is_discrete(values: pd.Series, bins: int) -> bool:
    integral = pd.api.types.is_integer_dtype(values.dtype) or bool((values == values.round()).all())
    return integral and values.nunique() <= bins and (values.max() - values.min()) <= 2 * bins


def _sample(data: pd.DataFrame, max_points: int, seed: int) -> tuple[pd.DataFrame, str]:
    if len(data) <= max_points:
        return data, ""
    return (
        data.sample(n=max_points, random_state=seed),
        f" (random {max_points:,} of {len(data):,} rows, seed {seed})",
    )


# --------------------------------------------------------------------------- distributions


@checks(columns=OrNone(NAMES), log=OrNone(Flag()), bins=Integer(low=1), col_wrap=Integer(low=1))
def plot_distributions(
    data: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    log: bool | None = None,
    bins: int = 30,
    col_wrap: int = 3,
) -> Figure:
    """Histograms of the numeric columns, one panel each, log-scaled where skewed.

    Parameters
    ----------
    data : pandas.DataFrame
        Any table.
    columns : sequence of str, optional
        Numeric columns to show; all numeric columns (booleans excluded) by default.
    log : bool, optional
        None (default) puts a column on a log axis when its values are non-negative, skewed
        (skew > 1) and span at least a factor of 10 - typically money and counts. True
        log-scales every non-negative column; False none. Columns with zeros get a
        symmetric-log axis (linear below the smallest positive value), so zeros still show.
    bins : int, default 30
        Bins per histogram; integer columns with few values get one bar per value.
    col_wrap : int, default 3
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per column, titled with the column name (and "log scale" where used).
        A table without numeric columns gives a one-panel figure titled "Distributions"
        that says so.

    Raises
    ------
    ParameterError
        If a name in ``columns`` is not a numeric column, or ``bins``/``col_wrap`` < 1.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> fig = plot_distributions(load_dataset("csm_movies_social_boxoffice"),
    ...                          columns=["gross_usd", "rating"])
    >>> [ax.get_title() for ax in fig.axes]
    ['gross_usd (log scale)', 'rating']
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    if columns is None:
        columns = _numeric_columns(data)
    else:
        columns = _check_columns(data, columns, parameter="columns")
    if not columns:
        fig, ax = plt.subplots(figsize=(6, 1.6), layout="constrained")
        _empty(ax, "Distributions", "This table has no numeric columns to plot.")
        return fig
    ncols = min(col_wrap, len(columns))
    nrows = math.ceil(len(columns) / ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(4.2 * ncols, 2.9 * nrows), squeeze=False, layout="constrained"
    )
    for ax, column in zip(axes.flat, columns, strict=False):
        values = data[column].dropna().astype("float64")
        title = str(column)
        if values.empty:
            _empty(ax, title, "no values")
            continue
        if _wants_log(values, log):
            edges, scale = _log_bins(values, bins)
            sns.histplot(x=values, bins=edges, ax=ax, color="C0")
            ax.set_xscale(**scale)
            if scale["value"] == "symlog":
                ax.set_xlim(left=0)  # no empty negative half
            title += " (log scale)"
        else:
            discrete = _is_discrete(values, bins)
            sns.histplot(
                x=values,
                bins="auto" if discrete else bins,
                discrete=discrete or None,
                ax=ax,
                color="C0",
            )
            if discrete:
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(title)
        ax.set_xlabel("")
        ax.set_ylabel("rows")
    for ax in list(axes.flat)[len(columns) :]:
        ax.set_visible(False)
    return fig


# ----------------------------------------------------------------------------- correlation


@checks(columns=OrNone(NAMES), method=Choice(tuple(sorted(_METHODS))), annot=OrNone(Flag()), ax=AX)
def plot_correlation_heatmap(
    data: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    method: str = "spearman",
    annot: bool | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Heatmap of the correlations between numeric columns.

    Each coefficient uses the rows where both columns are present
    (:meth:`pandas.DataFrame.corr`). Spearman (rank) correlation is the default because
    social counts and money are heavily skewed.

    Parameters
    ----------
    data : pandas.DataFrame
        Any table.
    columns : sequence of str, optional
        Numeric columns to include; all numeric columns (booleans excluded) by default.
    method : {"spearman", "pearson", "kendall"}, default "spearman"
        Correlation coefficient.
    annot : bool, optional
        Write the coefficients in the cells; by default when there are 12 columns or fewer.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        Colours from -1 (blue) to +1 (red). A table without numeric columns gives an empty
        Axes whose title and note say so.

    Raises
    ------
    ParameterError
        If ``method`` is unknown or a name in ``columns`` is not a numeric column.

    Examples
    --------
    >>> frame = pd.DataFrame({"likes": [1, 5, 9, 40], "gross": [2, 3, 10, 90]})
    >>> ax = plot_correlation_heatmap(frame, method="pearson")
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['likes', 'gross']
    """
    import seaborn as sns

    if columns is None:
        columns = _numeric_columns(data)
    else:
        columns = _check_columns(data, columns, parameter="columns")
    title = f"{method.capitalize()} correlation between numeric columns"
    size = max(3.5, 0.55 * len(columns) + 2.5)
    ax = new_axes(ax, (size + 1, size) if columns else (6, 1.6))
    if not columns:
        return _empty(ax, title, "This table has no numeric columns to correlate.")
    corr = data[columns].astype("float64").corr(method=method)
    annotate = len(columns) <= 12 if annot is None else annot
    sns.heatmap(
        corr,
        vmin=-1,
        vmax=1,
        cmap="RdBu_r",
        annot=annotate,
        fmt=".2f",
        annot_kws={"size": 8},
        square=True,
        linewidths=0.5,
        cbar_kws={"label": f"{method} coefficient", "shrink": 0.8},
        ax=ax,
    )
    ax.set_title(title)
    return ax


# ----------------------------------------------------------------------------- over time


@checks(time=COLUMN, freq=Text("a pandas frequency such as 'h', 'D', 'W' or 'MS'"), ax=AX)
def plot_volume_over_time(
    data: pd.DataFrame, *, time: str = "time", freq: str = "D", ax: Axes | None = None
) -> Axes:
    """Rows per period (tweets per day, purchases per week...) as a line.

    Parameters
    ----------
    data : pandas.DataFrame
        A table with a date or timestamp column; one row per event.
    time : str, default "time"
        The date or timestamp column.
    freq : str, default "D"
        A pandas frequency alias: ``"h"``, ``"D"``, ``"W"``, ``"MS"`` (month)...; or
        ``"auto"``: hours for up to 3 days of data, days up to 120 days, weeks up to 3
        years, months beyond. Periods without rows count as zero.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        The x axis is time (in the column's time zone), the y axis rows per period. A table
        whose time column is empty gives an empty Axes that says so.

    Raises
    ------
    ParameterError
        If ``time`` is not a date or timestamp column, or ``freq`` is not a frequency.

    Examples
    --------
    >>> events = pd.DataFrame({"time": pd.to_datetime(["2015-02-16", "2015-02-16",
    ...                                                "2015-02-18"], utc=True)})
    >>> ax = plot_volume_over_time(events)
    >>> ax.lines[0].get_ydata().tolist(), ax.get_ylabel()
    ([2, 0, 1], 'rows per day')
    """
    if time not in data.columns or not pd.api.types.is_datetime64_any_dtype(data[time].dtype):
        found = [c for c in data.columns if pd.api.types.is_datetime64_any_dtype(data[c].dtype)]
        shown = ", ".join(map(str, found)) or "it has none"
        raise refuse("time", f"a date or timestamp column of the table ({shown})", time)
    times = data[time].dropna()
    if freq == "auto":
        freq = _auto_freq(times)
    try:
        offset = pd.tseries.frequencies.to_offset(freq)
    except (ValueError, TypeError) as err:
        raise refuse("freq", "a pandas frequency such as 'h', 'D', 'W' or 'MS'", freq) from err
    unit = _FREQ_WORDS.get(freq, f"period of {offset.freqstr}")
    ax = new_axes(ax, (9, 3.2))
    title = f"Rows per {unit}"
    if times.empty:
        return _empty(ax, title, f"The '{time}' column has no values.")
    counts = times.to_frame().groupby(pd.Grouper(key=time, freq=freq)).size()
    ax.plot(
        counts.index,
        counts.to_numpy(),
        marker="o" if len(counts) <= 60 else None,
        markersize=3,
        color="C0",
    )
    ax.set_title(title)
    ax.set_xlabel(f"{time} ({times.dt.tz})" if times.dt.tz else time)
    ax.set_ylabel(f"rows per {unit}")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.figure.autofmt_xdate()
    return ax


def _auto_freq(times: pd.Series) -> str:
    if times.empty:
        return "D"
    span = times.max() - times.min()
    for limit, freq in (
        (pd.Timedelta(days=3), "h"),
        (pd.Timedelta(days=120), "D"),
        (pd.Timedelta(days=3 * 366), "W"),
    ):
        if span <= limit:
            return freq
    return "MS"


# ---------------------------------------------------------------------------------- scatter


@checks(
    x=COLUMN,
    y=COLUMN,
    hue=OrNone(COLUMN),
    log=OrNone(Flag()),
    max_points=Integer(low=1),
    seed=SEED,
    ax=AX,
)
def plot_scatter(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    hue: str | None = None,
    log: bool | None = None,
    max_points: int = 2000,
    seed: int = 0,
    ax: Axes | None = None,
) -> Axes:
    """Scatter of two numeric columns, log axes where skewed, sampled when large.

    Parameters
    ----------
    data : pandas.DataFrame
        A table with numeric columns.
    x, y : str
        Numeric columns for the axes.
    hue : str, optional
        A numeric column for the colour, shown with a colour bar (log colour scale when
        skewed, as for the axes; rows where it is missing are grey).
    log : bool, optional
        As in :func:`plot_distributions`, decided for each axis.
    max_points : int, default 2000
        Larger tables are drawn as a random sample of this many rows (the title says so).
    seed : int, default 0
        Seed of that sample: same seed, same points.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        Rows with ``x`` or ``y`` missing are left out (the title gives the count shown).

    Raises
    ------
    ParameterError
        If ``x``, ``y`` or ``hue`` is not a numeric column or ``max_points`` < 1.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> ax = plot_scatter(load_dataset("csm_movies_social_boxoffice"), x="likes",
    ...                   y="gross_usd")
    >>> ax.get_xscale(), ax.get_yscale()
    ('log', 'log')
    """
    import seaborn as sns
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import LogNorm, Normalize

    roles = {"x": x, "y": y} | ({"hue": hue} if hue is not None else {})
    for role, column in roles.items():
        _check_columns(data, [column], parameter=role)
    ax = new_axes(ax, (6.5, 4.5))
    rows = data[list(dict.fromkeys(roles.values()))].astype("float64").dropna(subset=[x, y])
    title = f"{y} against {x}"
    if rows.empty:
        return _empty(ax, title, "No row has both values.")
    rows, note = _sample(rows, max_points, seed)
    if hue is None or rows[hue].isna().all():
        sns.scatterplot(data=rows, x=x, y=y, s=22, alpha=0.75, edgecolor="none", ax=ax)
    else:  # a continuous colour scale with a colour bar (log when skewed)
        known = rows[hue].dropna()
        norm = (LogNorm if _wants_log(known, log) and (known > 0).all() else Normalize)(
            vmin=known.min(), vmax=known.max()
        )
        cmap = colormaps["viridis"].with_extremes(bad="0.6")
        ax.scatter(
            rows[x],
            rows[y],
            c=rows[hue],
            cmap=cmap,
            norm=norm,
            s=22,
            alpha=0.8,
            edgecolors="none",
            plotnonfinite=True,
        )
        colorbar = ax.figure.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax)
        colorbar.set_label(hue + (" (log scale)" if isinstance(norm, LogNorm) else ""))
        ax.set_xlabel(x)
        ax.set_ylabel(y)
    for axis, column in (("x", x), ("y", y)):
        values = rows[column]
        if _wants_log(values, log):
            scale = "log" if values.min() > 0 else "symlog"
            extra = {} if scale == "log" else {"linthresh": float(values[values > 0].min())}
            getattr(ax, f"set_{axis}scale")(scale, **extra)
    ax.set_title(f"{title}: {len(rows):,} rows{note}")
    ax.grid(alpha=0.3)
    return ax
