"""The benchmark in words and figures: :func:`benchmark_conclusions`, :func:`plot_benchmark`.

Both read :attr:`~scrm_lab.bench.BenchmarkResult.summary`: the sentences say which methods
hold their type I error under confounding and reverse causality, their coverage and their
power by number of brands; the figure draws rejection rates or coverage by number of brands.

Examples
--------
>>> from scrm_lab.bench import run_benchmark
>>> res = run_benchmark(scenarios=["null"], methods=["raw_correlation"], replications=2,
...                     workers=1)
>>> len(plot_benchmark(res.summary).axes)
1
"""

from __future__ import annotations

import math

import pandas as pd

from scrm_lab._checks import (
    ALPHA,
    Choice,
    Many,
    Real,
    checks,
    current_function,
)
from scrm_lab.exceptions import ParameterError
from scrm_lab.models import level_text

__all__ = ["benchmark_conclusions", "plot_benchmark"]


# ----------------------------------------------------------------------------- in words

_CONTROLLED = ("partial_correlation", "regression_controls", "fixed_effects_panel", "lead_lag")


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def _by_n(part: pd.DataFrame, column: str) -> str:
    return ", ".join(f"{_pct(v)} at {n}" for n, v in zip(part["n_brands"], part[column],
                                                         strict=True))  # fmt: skip


@checks(alpha=ALPHA, band=Many(Real(0, 1), "two rates (low, high) in [0, 1]"))
def benchmark_conclusions(
    summary: pd.DataFrame, *, alpha: float = 0.05, band: tuple[float, float] = (0.04, 0.06)
) -> list[str]:
    """Plain-words conclusions computed from a benchmark summary.

    One sentence (Markdown) per finding, for the scenarios and methods present: which
    methods keep their type I error within ``band`` under confounding and which do not
    (the 2009-style comparison among them), which are fooled by reverse causality, the
    coverage of the methods on the effect's scale, and the power by number of brands.

    Parameters
    ----------
    summary : pandas.DataFrame
        :attr:`BenchmarkResult.summary`.
    alpha : float, default 0.05
        The level the benchmark used.
    band : tuple of float, default (0.04, 0.06)
        Acceptable type I error.

    Returns
    -------
    list of str
        The sentences.

    Examples
    --------
    >>> from scrm_lab.bench import run_benchmark
    >>> res = run_benchmark(scenarios=["confounded_null"], methods=["group_means_2009"],
    ...                     replications=5, workers=1)
    >>> print(benchmark_conclusions(res.summary)[0])  # doctest: +ELLIPSIS
    Under confounding (no true effect; ...), **group_means_2009** rejects ...
    """
    low, high = band
    out = []
    names = set(summary["scenario"])
    sizes = ", ".join(str(n) for n in sorted(summary["n_brands"].unique()))
    if "confounded_null" in names:
        part = summary[summary["scenario"] == "confounded_null"]
        held, above, below = [], [], []
        for method, rows in part.groupby("method", sort=False):
            text = f"**{method}** ({_pct(rows['rejection_rate'].min())}-"
            text += f"{_pct(rows['rejection_rate'].max())})"
            if (rows["rejection_ci_low"] > high).any():
                above.append(text)
            elif (rows["rejection_ci_high"] < low).any():
                below.append(text)
            else:
                held.append(text)
        intro = f"Under confounding (no true effect; {sizes} brands), "
        old = part[part["method"] == "group_means_2009"]
        if len(old):
            out.append(
                intro + "**group_means_2009** rejects the true null in "
                f"{_by_n(old, 'rejection_rate')} brands: the 2009-style comparison of "
                "engagement groups reports an engagement-revenue link that is only size and "
                "sector."
            )
        out.append(
            f"Type I error under confounding (range over the sizes), consistent with "
            f"{_pct(low)}-{_pct(high)} at every size (Wilson interval reaching the band): "
            + (", ".join(held) if held else "none")
            + f". Clearly above {_pct(high)} at some size: "
            + (", ".join(above) if above else "none")
            + f". Clearly below {_pct(low)} (conservative): "
            + (", ".join(below) if below else "none")
            + "."
        )
    if "reverse" in names:
        part = summary[summary["scenario"] == "reverse"]
        worst = part.groupby("method", sort=False)["rejection_rate"].max()
        fooled = [f"**{m}** (up to {_pct(v)})" for m, v in worst.items() if v > high]
        out.append(
            "Under reverse causality (growth raises later engagement, no effect), "
            + (
                "the methods that reject too often are " + ", ".join(fooled) + ". "
                "Cross-sections average engagement over periods that growth already "
                "raised; the fixed-effects and lead-lag regressions subtract each brand's "
                "mean, which contains the engagement that later growth caused (a "
                "feedback bias of order 1/periods)."
                if fooled
                else "every method keeps its type I error."
            )
        )
    scale = summary[summary["effect_scale"] & (summary["scenario"] != "reverse")]
    for method, rows in scale.groupby("method", sort=False):
        out.append(
            f"CI coverage of **{method}** (target {level_text(alpha)}, acceptable 93%-97%) "
            f"outside reverse causality: {_pct(rows['coverage'].min())} to "
            f"{_pct(rows['coverage'].max())}; largest absolute bias "
            f"{rows['bias'].abs().max():.2g} (growth per unit of index)."
        )
    power = summary[summary["measure"] == "power"]
    for method in [m for m in _CONTROLLED if m in set(power["method"])]:
        rows = power[power["method"] == method]
        parts = []
        for _, sub in rows.groupby("scenario", sort=False):
            effect = sub["true_effect"].iloc[0]
            enough = sub.loc[sub["rejection_rate"] >= 0.8, "n_brands"]
            first = f"80% power from {enough.min()} brands" if len(enough) else "below 80%"
            parts.append(f"effect {effect:g}: {_by_n(sub, 'rejection_rate')} ({first})")
        out.append(f"Power of **{method}**: " + "; ".join(parts) + ".")
    return out


# ----------------------------------------------------------------------------- figures


@checks(measure=Choice(("rejection_rate", "coverage")), alpha=ALPHA)
def plot_benchmark(summary: pd.DataFrame, *, measure: str = "rejection_rate", alpha: float = 0.05):
    """Rejection rate or coverage by number of brands, one panel per scenario.

    Parameters
    ----------
    summary : pandas.DataFrame
        :attr:`BenchmarkResult.summary`.
    measure : {"rejection_rate", "coverage"}, default "rejection_rate"
        ``"rejection_rate"``: one line per method, with the ``alpha`` line and the 0.04-0.06
        band on scenarios without an effect (type I error), the power curve otherwise.
        ``"coverage"``: methods on the effect's scale only, with the 0.95 line and the
        0.93-0.97 band.
    alpha : float, default 0.05
        Level drawn on type I error panels.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes per scenario (log-scaled number of brands on x).

    Examples
    --------
    >>> from scrm_lab.bench import run_benchmark
    >>> res = run_benchmark(scenarios=["null"], methods=["raw_correlation"], replications=2,
    ...                     workers=1)
    >>> len(plot_benchmark(res.summary).axes)
    1
    """
    import matplotlib.pyplot as plt

    data = summary if measure == "rejection_rate" else summary[summary["effect_scale"]]
    names = list(dict.fromkeys(data["scenario"]))
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    methods = list(dict.fromkeys(summary["method"]))  # every chart of a summary: same colours
    colour = {m: cycle[i % len(cycle)] for i, m in enumerate(methods)}
    if not names:
        raise ParameterError(
            f"The 'summary' parameter of {current_function()} must hold rows to plot (for "
            "coverage: methods on the effect's scale). Got an empty selection instead."
        )
    cols = min(3, len(names))
    rows = math.ceil(len(names) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.4 * rows), squeeze=False,
                             sharey=True)  # fmt: skip
    for ax, name in zip(axes.ravel(), names, strict=False):
        part = data[data["scenario"] == name]
        null = bool((part["true_effect"] == 0).all())
        if measure == "coverage":
            ax.axhspan(0.93, 0.97, color="0.85", zorder=0)
            ax.axhline(0.95, color="0.4", lw=1, ls="--")
        elif null:
            ax.axhspan(0.04, 0.06, color="0.85", zorder=0)
            ax.axhline(alpha, color="0.4", lw=1, ls="--")
        for method, rows_m in part.groupby("method", sort=False):
            ax.plot(
                rows_m["n_brands"], rows_m[measure], marker="o", label=method, color=colour[method]
            )
        ax.set_xscale("log")
        ax.minorticks_off()  # the log axis' minor labels (4x10^1...) crowd the sizes
        ax.set_xticks(sorted(part["n_brands"].unique()))
        ax.set_xticklabels([str(n) for n in sorted(part["n_brands"].unique())])
        label = "coverage" if measure == "coverage" else ("type I error" if null else "power")
        ax.set_title(f"{name}: {label}", fontsize=10)
        ax.set_xlabel("brands")
        ax.set_ylim(-0.02, 1.02)
    for ax in axes.ravel()[len(names) :]:
        ax.set_visible(False)
    axes[0, 0].set_ylabel("coverage" if measure == "coverage" else "rejection rate")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(6, len(labels)), fontsize=8,
               frameon=False)  # fmt: skip
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig
