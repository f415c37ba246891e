"""Figures of engagement profiles and group comparisons; re-exported by :mod:`scrm_lab.plots`.

Examples
--------
>>> import pandas as pd
>>> means = pd.DataFrame({"profile": ["Maven", "Wallflower"], "estimate": [18.0, -6.0],
...                       "ci_low": [10.0, -12.0], "ci_high": [26.0, 0.0]})
>>> [t.get_text() for t in plot_group_means(means).get_xticklabels()]
['Maven', 'Wallflower']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from scrm_lab._checks import COLUMN, SEED, Instance, Integer, Many, OrNone, Text, checks
from scrm_lab.exceptions import SchemaError
from scrm_lab.plots._base import AX, new_axes, require

#: Colours of the four ENGAGEMENTdb profiles (colour-blind safe, from seaborn's palette).
PROFILE_COLOURS = {
    "Maven": "#0173b2",
    "Butterfly": "#de8f05",
    "Selective": "#029e73",
    "Wallflower": "#949494",
}


@checks(
    breadth=COLUMN,
    score=COLUMN,
    profile=COLUMN,
    expected=COLUMN,
    label=COLUMN,
    breadth_cut=Integer(low=1),
    annotate=Many(Text(), "a list of labels to name on the chart", empty_ok=True),
    highlight=OrNone(Text("a label to mark on the chart (a non-empty str)")),
    seed=SEED,
    ax=AX,
)
def plot_profile_quadrants(
    data: pd.DataFrame,
    *,
    breadth: str = "breadth",
    score: str = "score",
    profile: str = "profile",
    expected: str = "expected_score",
    label: str = "brand",
    breadth_cut: int = 7,
    annotate: Sequence[str] = (),
    highlight: str | None = None,
    seed: int = 0,
    ax: Axes | None = None,
) -> Axes:
    """Score against channels, coloured by profile: the ENGAGEMENTdb quadrant chart.

    Each brand is a point (breadth jittered sideways so brands on the same number of channels
    do not hide each other); the line is ``expected`` (the mean score or the fitted line of
    score on breadth, as :func:`scrm_lab.engagement.classify_profiles` computed it); the
    dotted vertical line separates ``breadth_cut`` or more channels from fewer, so the four
    quadrants are the four profiles.

    Parameters
    ----------
    data : pandas.DataFrame
        Output of ``classify_profiles``: one row per brand.
    breadth, score, profile, expected, label : str
        Column names.
    breadth_cut : int, default 7
        The channel count that separates the two breadth classes.
    annotate : sequence of str
        Values of ``label`` to write next to their points.
    highlight : str, optional
        A value of ``label`` (e.g. your brand among its peers) drawn as a large black-edged
        star in its profile's colour, named on the chart and in the legend, and left out of
        the profile counts; not jittered.
    seed : int, default 0
        Seed of the sideways jitter.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    require(data, [breadth, score, profile, expected, label])
    ax = new_axes(ax, (8.5, 6))
    rng = np.random.default_rng(seed)
    x = data[breadth].astype(float) + rng.uniform(-0.18, 0.18, len(data))
    marked = (data[label] == highlight).to_numpy() if highlight is not None else None
    if marked is not None and not marked.any():
        raise SchemaError(
            f"plot_profile_quadrants: highlight {highlight!r} is not a value of column {label!r}",
            column=label,
        )
    for name, colour in PROFILE_COLOURS.items():
        rows = (data[profile] == name).to_numpy()
        if marked is not None:
            rows = rows & ~marked
        if rows.any():
            ax.scatter(
                x[rows],
                data.loc[rows, score],
                s=28,
                color=colour,
                alpha=0.85,
                label=f"{name} ({int(rows.sum())})",
                edgecolor="white",
                linewidth=0.5,
            )
    if marked is not None:
        at = int(np.flatnonzero(marked)[0])
        point = (float(data[breadth].iloc[at]), float(data[score].iloc[at]))
        kind = str(data[profile].iloc[at])
        ax.scatter(
            *point,
            s=260,
            marker="*",
            color=PROFILE_COLOURS.get(kind, "black"),
            edgecolor="black",
            linewidth=1.2,
            zorder=5,
            label=f"{highlight} ({kind})",
        )
        ax.annotate(
            str(highlight),
            point,
            xytext=(8, 6),
            textcoords="offset points",
            fontsize=9,
            fontweight="bold",
        )
    line = data[[breadth, expected]].drop_duplicates().sort_values(breadth)
    ax.plot(line[breadth], line[expected], color="0.2", linewidth=1.2, label="average line")
    ax.axvline(breadth_cut - 0.5, color="0.4", linestyle=":", linewidth=1)
    for name in annotate:
        row = data.index[data[label] == name]
        if len(row):
            i = row[0]
            ax.annotate(
                str(name),
                (x[data.index.get_loc(i)], data.loc[i, score]),
                xytext=(4, 3),
                textcoords="offset points",
                fontsize=8,
            )
    top = ax.get_ylim()[1]
    ax.text(
        breadth_cut - 0.6,
        top * 0.97,
        f"<- {breadth_cut - 1} or fewer channels",
        ha="right",
        va="top",
        fontsize=8,
        color="0.35",
    )
    ax.text(
        breadth_cut - 0.4,
        top * 0.97,
        f"{breadth_cut} or more ->",
        ha="left",
        va="top",
        fontsize=8,
        color="0.35",
    )
    ax.set_xlabel("channels present (breadth)")
    ax.set_ylabel("engagement score")
    ax.set_title("Engagement profiles: score against number of channels")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return ax


@checks(group=COLUMN, score=COLUMN, min_brands=Integer(low=1), ax=AX)
def plot_score_by_group(
    data: pd.DataFrame,
    *,
    group: str = "sector",
    score: str = "score",
    min_brands: int = 1,
    ax: Axes | None = None,
) -> Axes:
    """Scores per group (sector, industry), groups ordered by their mean score.

    Every brand is a dot; the black bar marks the group mean and the count is in the label.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per brand.
    group, score : str
        Column names.
    min_brands : int, default 1
        Groups with fewer brands are left out.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    require(data, [group, score])
    frame = data[[group, score]].dropna().astype({group: str})
    counts = frame[group].value_counts()
    frame = frame[frame[group].map(counts) >= min_brands]
    means = frame.groupby(group)[score].mean().sort_values(ascending=False)
    ax = new_axes(ax, (8.5, max(3.0, 0.32 * len(means) + 1)))
    positions = {name: i for i, name in enumerate(means.index)}
    rng = np.random.default_rng(0)
    y = frame[group].map(positions) + rng.uniform(-0.15, 0.15, len(frame))
    ax.scatter(frame[score], y, s=14, color="#0173b2", alpha=0.6)
    ax.scatter(
        means.to_numpy(), range(len(means)), marker="|", s=300, color="black", label="group mean"
    )
    ax.set_yticks(range(len(means)))
    ax.set_yticklabels([f"{name} ({counts[name]})" for name in means.index])
    ax.invert_yaxis()
    ax.set_xlabel(score.replace("_", " "))
    ax.set_title(f"{score.replace('_', ' ').capitalize()} by {group.replace('_', ' ')}")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    return ax


@checks(
    group=COLUMN,
    estimate=COLUMN,
    ci_low=COLUMN,
    ci_high=COLUMN,
    reference=OrNone(Instance(Mapping, "a mapping of group to a published value")),
    reference_label=Text(),
    ylabel=OrNone(Text()),
    ax=AX,
)
def plot_group_means(
    data: pd.DataFrame,
    *,
    group: str = "profile",
    estimate: str = "estimate",
    ci_low: str = "ci_low",
    ci_high: str = "ci_high",
    reference: Mapping[str, float] | None = None,
    reference_label: str = "published",
    ylabel: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Group means with their confidence intervals, optionally next to reference values.

    Parameters
    ----------
    data : pandas.DataFrame
        A table of means, e.g. the output of :func:`scrm_lab.models.group_means`.
    group, estimate, ci_low, ci_high : str
        Column names.
    reference : mapping, optional
        ``{group: value}`` drawn as hollow diamonds (e.g. the published profile means).
    reference_label : str, default "published"
        Legend label of the reference values.
    ylabel : str, optional
        Axis label; defaults to "mean".
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    require(data, [group, estimate, ci_low, ci_high])
    ax = new_axes(ax, (7, 4.5))
    names = [str(g) for g in data[group]]
    x = np.arange(len(names))
    colours = [PROFILE_COLOURS.get(n, "#0173b2") for n in names]
    err = np.vstack([data[estimate] - data[ci_low], data[ci_high] - data[estimate]])
    err = np.clip(err, 0, None)  # an interval at a bound (a share of 1) may miss by round-off
    for i in range(len(names)):
        ax.errorbar(
            x[i],
            data[estimate].iloc[i],
            yerr=err[:, i : i + 1],
            fmt="o",
            color=colours[i],
            capsize=4,
            markersize=7,
        )
    ax.errorbar([], [], yerr=[], fmt="o", color="0.3", capsize=4, label="mean with CI")
    if reference:
        shown = [(i, reference[n]) for i, n in enumerate(names) if n in reference]
        if shown:
            ax.scatter(
                [i + 0.18 for i, _ in shown],
                [v for _, v in shown],
                marker="D",
                s=50,
                facecolor="none",
                edgecolor="black",
                label=reference_label,
                zorder=3,
            )
    ax.axhline(0, color="0.6", linewidth=0.8)
    ax.set_xticks(x)
    ax.set_xticklabels(names)
    ax.set_ylabel(ylabel or "mean")
    ax.legend(fontsize=8, frameon=False)
    return ax
