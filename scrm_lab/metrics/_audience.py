"""A brand's own program: follower volume and growth, follower quality, content acceptance.

Follower counts are a census (the platform counts every fan), so they carry no interval.
Per-post ratios (follower quality) are averaged over posts with a t interval: the posts are
the sample. Content acceptance is a proportion of posts, with a Wilson interval.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from scrm_lab._checks import (
    ALPHA,
    COLUMN,
    Choice,
    Either,
    OrNone,
    Real,
    checks,
    numeric_column,
)
from scrm_lab._checks import require_columns as _require
from scrm_lab.engagement import DENOMINATORS, engagement_rate
from scrm_lab.metrics._definitions import DEFINITIONS
from scrm_lab.metrics._web import _BY, _groups, bad_data, proportion_table


@checks(period=COLUMN, followers=COLUMN, by=_BY, order=OrNone(COLUMN))
def follower_growth(
    data: pd.DataFrame,
    *,
    period: str = "period",
    followers: str = "followers",
    by: str | Sequence[str] | None = "brand",
    order: str | None = None,
) -> pd.DataFrame:
    """Follower volume at the end of each period, and its growth from the period before.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per observation of a follower count: a ``posts`` table (``followers`` is the
        page's fans when the post went out) or a ``channel_activity`` table.
    period : str, default "period"
        The period column (a month number, a date, ``"2024-03"``...); periods sort by it.
    followers : str, default "followers"
        The follower count.
    by : str or sequence of str or None, default "brand"
        One series per group (brand, channel); None for one series.
    order : str, optional
        A column that orders observations within a period (``"time"``): the period's volume
        is its last observation. Without it the period's volume is its largest observation,
        right when fans only grow and an approximation otherwise (``read_as`` says which).

    Returns
    -------
    pandas.DataFrame
        One row per group and period: the ``by`` columns, ``period``, ``observations``,
        ``followers`` (volume at the period's end; ``Int64`` when the counts are integers),
        ``growth`` (change since the previous period's end; missing for a group's first
        period), ``growth_rate`` (``growth`` /
        the previous end), ``read_as``, ``denominator`` and ``definition``
        (``"follower_volume/1; follower_growth/1"``).

    Examples
    --------
    >>> import scrm_lab
    >>> posts = scrm_lab.load_dataset("facebook_metrics")
    >>> table = follower_growth(posts.assign(period=posts["post_month"]))
    >>> table[["period", "followers"]].iloc[[0, -1]].to_dict("list")
    {'period': [1, 12], 'followers': [86909, 139441]}
    """
    groups = _groups(data, by)
    _require(data, [period, followers, *([order] if order else [])])
    counts = numeric_column(data, followers)
    if data[period].isna().any():
        row = int(np.flatnonzero(data[period].isna().to_numpy())[0]) + 1
        raise bad_data(f"column '{period}' is missing in row {row}; expected a period", period)
    frame = pd.DataFrame({**{g: data[g] for g in groups}, "period": data[period],
                          "value": counts})  # fmt: skip
    frame = frame.dropna(subset=["value"])
    if order:
        frame["order"] = data.loc[frame.index, order]
        frame = frame.sort_values([*groups, "period", "order"], kind="stable")
        ends = frame.groupby([*groups, "period"], observed=True, sort=True)["value"].last()
    else:
        ends = frame.groupby([*groups, "period"], observed=True, sort=True)["value"].max()
    seen = frame.groupby([*groups, "period"], observed=True, sort=True)["value"].size()
    table = pd.DataFrame({"observations": seen, "followers": ends}).reset_index()
    if pd.api.types.is_integer_dtype(data[followers]):  # counts stay whole numbers
        table["followers"] = table["followers"].astype("Int64")
    previous = table.groupby(groups, observed=True)["followers"].shift() if groups else (
        table["followers"].shift()
    )  # fmt: skip
    growth = table["followers"] - previous
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = growth / previous.where(previous > 0)
    return table.assign(
        observations=table["observations"].astype("int64"),
        growth=growth,
        growth_rate=rate.astype("float64"),
        read_as=f"last by {order}" if order else "largest in the period",
        denominator=DEFINITIONS["follower_growth"].denominator,
        definition=f"{DEFINITIONS['follower_volume'].tag}; {DEFINITIONS['follower_growth'].tag}",
    )


#: The follower-quality ratios: metric -> (numerator column, denominator column).
_QUALITY = {
    "engaged_fan_rate": ("engaged_fans", "followers"),
    "fan_reach_share": ("reach_by_fans", "reach"),
    "fan_share_of_engaged": ("engaged_fans", "engaged_users"),
}

#: Columns of the follower-quality table after its group columns.
QUALITY_COLUMNS = [
    "metric", "n", "estimate", "ci_low", "ci_high", "median", "denominator", "definition",
]  # fmt: skip


@checks(by=_BY, alpha=ALPHA)
def follower_quality(
    posts: pd.DataFrame, *, by: str | Sequence[str] | None = None, alpha: float = 0.05
) -> pd.DataFrame:
    """Follower quality: how engaged the fans are and how much of the audience they are.

    Three ratios per post, averaged over posts: ``engaged_fan_rate`` (fans who engaged /
    page fans), ``fan_reach_share`` (people reached who like the page / people reached)
    and ``fan_share_of_engaged`` (fans who engaged / people who engaged). A post whose
    denominator is missing or 0 is left out of that ratio.

    Parameters
    ----------
    posts : pandas.DataFrame
        A ``posts`` table with the page-insights columns ``engaged_fans``, ``followers``,
        ``reach_by_fans``, ``reach`` and ``engaged_users`` (``facebook_metrics`` has them).
    by : str or sequence of str, optional
        Group columns (``"content_type"``, ``"paid"``).
    alpha : float, default 0.05
        One minus the confidence level of the t intervals.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``metric``, ``n`` (posts), ``estimate`` (mean ratio),
        ``ci_low``, ``ci_high`` (t interval of the mean; missing with fewer than 2 posts),
        ``median``, ``denominator``, ``definition``.

    Examples
    --------
    >>> import scrm_lab
    >>> quality = follower_quality(scrm_lab.load_dataset("facebook_metrics"))
    >>> quality[["metric", "n"]].to_dict("list")["n"]
    [500, 500, 500]
    """
    groups = _groups(posts, by)
    _require(posts, sorted({c for pair in _QUALITY.values() for c in pair}))
    rows = []
    for metric, (top, bottom) in _QUALITY.items():
        numerator, denominator = numeric_column(posts, top), numeric_column(posts, bottom)
        usable = numerator.notna() & (denominator > 0)
        above = usable & (numerator > denominator)
        if above.any():
            row = int(np.flatnonzero(above.to_numpy())[0]) + 1
            raise bad_data(
                f"row {row} has {top} {numerator[above].iloc[0]:g} above {bottom} "
                f"{denominator[above].iloc[0]:g}; expected {top} <= {bottom}",
                top,
            )
        ratio = (numerator / denominator)[usable]
        frame = posts.loc[usable, groups].assign(ratio=ratio)
        grouped = frame.groupby(groups, observed=True, sort=True) if groups else [((), frame)]
        for key, part in grouped:
            values = part["ratio"].to_numpy(dtype="float64")
            low, high = _t_interval(values, alpha)
            keys = dict(zip(groups, key if isinstance(key, tuple) else (key,), strict=True))
            definition = DEFINITIONS[metric]
            rows.append({**keys, "metric": metric, "n": len(values),
                         "estimate": values.mean(), "ci_low": low, "ci_high": high,
                         "median": float(np.median(values)),
                         "denominator": definition.denominator,
                         "definition": definition.tag})  # fmt: skip
    return pd.DataFrame(rows, columns=[*groups, *QUALITY_COLUMNS])


def _t_interval(values: np.ndarray, alpha: float) -> tuple[float, float]:
    """The t interval of the mean; NaN with fewer than 2 values or no spread."""
    if len(values) < 2:
        return np.nan, np.nan
    scale = stats.sem(values)
    if not scale > 0:
        return float(values.mean()), float(values.mean())
    low, high = stats.t.interval(1 - alpha, len(values) - 1, loc=values.mean(), scale=scale)
    return float(low), float(high)


@checks(
    denominator=Choice(DENOMINATORS),
    benchmark=Either(Choice(("median",)), Real(low=0, low_open=True)),
    by=_BY,
    alpha=ALPHA,
)
def content_acceptance(
    posts: pd.DataFrame,
    *,
    denominator: str = "reach",
    benchmark: str | float = "median",
    by: str | Sequence[str] | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Social content acceptance rate: the share of posts whose engagement rate beats a benchmark.

    A post is *accepted* when its engagement rate (:func:`scrm_lab.engagement.engagement_rate`,
    engagements / ``denominator``) is strictly above the benchmark. With
    ``benchmark="median"`` the benchmark is the page's own median post (per brand): about
    half the posts beat it by construction, so read it by group (which kinds of content
    the audience takes up more than the page's typical post). A number (``0.01``: 1% of
    reach) is an absolute bar, comparable across pages and over time; state why you chose it.

    Parameters
    ----------
    posts : pandas.DataFrame
        A canonical ``posts`` table with the counts and the denominator column.
    denominator : {"reach", "followers", "impressions"}, default "reach"
        What engagement is divided by; one for all posts.
    benchmark : "median" or float > 0, default "median"
        The page's median engagement rate, or a fixed rate.
    by : str or sequence of str, optional
        Group columns of ``posts`` (``"content_type"``, ``"paid"``).
    alpha : float, default 0.05
        One minus the confidence level of the Wilson intervals.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``metric`` (``"content_acceptance"``), ``count`` (accepted
        posts), ``n`` (posts with a rate), ``estimate``, ``ci_low``, ``ci_high``,
        ``denominator``, ``definition``, and ``benchmark`` (what was beaten, in words) and
        ``rate_denominator`` (the engagement rate's denominator).

    Examples
    --------
    >>> import scrm_lab
    >>> posts = scrm_lab.load_dataset("facebook_metrics")
    >>> content_acceptance(posts, benchmark=0.05)[["count", "n"]].iloc[0].tolist()
    [38, 500]
    """
    groups = _groups(posts, by)
    rates = engagement_rate(posts, denominator=denominator)
    post_ids = posts["post_id"].astype("str")
    rate = post_ids.map(rates.set_index("post_id")["engagement_rate"]).astype("float64")
    if benchmark == "median":
        bar = rate.groupby(posts["brand"].astype("str")).transform("median")
        said = f"the page's median engagement rate (engagements / {denominator})"
    else:
        bar = pd.Series(float(benchmark), index=posts.index)
        said = f"an engagement rate of {benchmark:g} (engagements / {denominator})"
    rated = rate.notna()
    accepted = rated & (rate > bar)
    table = proportion_table(posts, groups, accepted, rated, "content_acceptance", alpha)
    return table.assign(benchmark=said, rate_denominator=denominator)
