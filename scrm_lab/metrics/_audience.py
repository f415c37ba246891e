"""A brand's own program: follower volume and growth, follower quality, content acceptance.

Follower counts are a census (the platform counts every fan), so they carry no interval.
Per-post ratios (follower quality) are averaged over posts with a t interval: the posts are
the sample. Content acceptance is a proportion of posts, with a Wilson interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals as nw
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
)
from scrm_lab._frames import as_lazy
from scrm_lab.engagement import DENOMINATORS, engagement_rate
from scrm_lab.metrics._definitions import DEFINITIONS
from scrm_lab.metrics._web import (
    _BY,
    _groups,
    aggregate,
    bad_data,
    dtype_of,
    first_bad_row,
    group_counts,
    proportion_table,
    sessions_frame,
    table_categories,
)

#: Categorical columns of the canonical posts table (see :func:`table_categories`).
POST_CATEGORIES = table_categories("posts")
_PERIOD, _VALUE = "_scrm_period", "_scrm_value"


@checks(period=COLUMN, followers=COLUMN, by=_BY, order=OrNone(COLUMN))
def follower_growth(
    data: Any,
    *,
    period: str = "period",
    followers: str = "followers",
    by: str | Sequence[str] | None = "brand",
    order: str | None = None,
) -> pd.DataFrame:
    """Follower volume at the end of each period, and its growth from the period before.

    Parameters
    ----------
    data : pandas.DataFrame, DuckDB relation or PySpark DataFrame
        One row per observation of a follower count: a ``posts`` table (``followers`` is the
        page's fans when the post went out) or a ``channel_activity`` table. Each period's
        observations and end volume are computed on its backend, the growth on the small
        table of periods.
    period : str, default "period"
        The period column (a month number, a date, ``"2024-03"``...); periods sort by it.
    followers : str, default "followers"
        The follower count.
    by : str or sequence of str or None, default "brand"
        One series per group (brand, channel); None for one series.
    order : str, optional
        A column that orders observations within a period (``"time"``): the period's volume
        is its last observation (the largest of several tied last; rows without an order
        value are never the last). Without it the period's volume is its largest observation,
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
    lazy, groups = sessions_frame(
        data, by, [period, followers, *([order] if order else [])], name="data"
    )
    kind = lazy.collect_schema()[followers]
    if not kind.is_numeric():
        raise bad_data(
            f"column '{followers}' has dtype {dtype_of(lazy, followers)}; expected numbers",
            followers,
        )
    no_period = nw.col(period).is_null()
    if group_counts(lazy, [], {"missing": no_period})["missing"].iloc[0]:
        where, _ = first_bad_row(lazy, no_period, [period], "post_id")
        raise bad_data(f"column '{period}' is missing {where}; expected a period", period)
    keys = [*groups, _PERIOD]
    value = nw.col(followers).cast(nw.Float64)
    lazy = lazy.with_columns(value.alias(_VALUE), nw.col(period).alias(_PERIOD))
    lazy = lazy.filter(~nw.col(_VALUE).is_null())
    if order:  # the period's end: its last observation (the largest of those last in time)
        last = nw.col(order) == nw.col(order).max().over(*keys)
        lazy = lazy.with_columns(nw.when(last).then(nw.col(_VALUE)).alias(_VALUE + "end"))
    end = nw.col(_VALUE + "end" if order else _VALUE).max().alias("followers")
    table = aggregate(lazy, keys, [nw.len().alias("observations"), end], POST_CATEGORIES)
    table = table.rename(columns={_PERIOD: "period"})
    table["followers"] = table["followers"].astype("float64")
    if kind.is_integer():  # counts stay whole numbers
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
    posts: Any, *, by: str | Sequence[str] | None = None, alpha: float = 0.05
) -> pd.DataFrame:
    """Follower quality: how engaged the fans are and how much of the audience they are.

    Three ratios per post, averaged over posts: ``engaged_fan_rate`` (fans who engaged /
    page fans), ``fan_reach_share`` (people reached who like the page / people reached)
    and ``fan_share_of_engaged`` (fans who engaged / people who engaged). A post whose
    denominator is missing or 0 is left out of that ratio.

    Parameters
    ----------
    posts : pandas.DataFrame, DuckDB relation or PySpark DataFrame
        A ``posts`` table with the page-insights columns ``engaged_fans``, ``followers``,
        ``reach_by_fans``, ``reach`` and ``engaged_users`` (``facebook_metrics`` has them).
        Each group's posts, mean, standard deviation and median are computed on its
        backend; the t intervals on those few numbers. Group columns come back as
        :mod:`~scrm_lab.metrics` web metrics give them (``content_type`` and ``channel``
        categorical, in the order of their values).
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
    quality = [(metric, *pair) for metric, pair in _QUALITY.items()]
    needed = list(dict.fromkeys(c for _, top, bottom in quality for c in (top, bottom)))
    lazy, groups = sessions_frame(posts, by, needed, name="posts")
    schema = lazy.collect_schema()
    for column in needed:
        if not schema[column].is_numeric():
            raise bad_data(
                f"column '{column}' has dtype {dtype_of(lazy, column)}; expected numbers", column
            )
    usable, above = {}, {}
    for metric, top, bottom in quality:
        numerator, denominator = nw.col(top).cast(nw.Float64), nw.col(bottom).cast(nw.Float64)
        usable[metric] = (~numerator.is_null() & (denominator > 0)).fill_null(value=False)
        above[metric] = usable[metric] & (numerator > denominator).fill_null(value=False)
    found = group_counts(lazy, [], above).iloc[0]
    for metric, top, bottom in quality:
        if found[metric]:
            where, (high, whole) = first_bad_row(lazy, above[metric], [top, bottom], "post_id")
            raise bad_data(
                f"{where.removeprefix('in ')} has {top} {high:g} above {bottom} {whole:g}; "
                f"expected {top} <= {bottom}",
                top,
            )
    ratios = {
        f"_ratio{i}": nw.when(usable[metric]).then(nw.col(top).cast(nw.Float64) / nw.col(bottom))
        for i, (metric, top, bottom) in enumerate(quality)
    }
    summaries = [
        summary
        for key in ratios
        for summary in (
            nw.col(key).count().alias(f"{key}_n"),
            nw.col(key).mean().alias(f"{key}_mean"),
            nw.col(key).std(ddof=1).alias(f"{key}_std"),
            nw.col(key).median().alias(f"{key}_median"),
        )
    ]
    table = aggregate(lazy.with_columns(**ratios), groups, summaries, POST_CATEGORIES)
    parts = []
    for key, (metric, _, _) in zip(ratios, quality, strict=True):
        rows = table[table[f"{key}_n"] > 0] if groups else table
        n = rows[f"{key}_n"].fillna(0).astype("int64")
        mean = rows[f"{key}_mean"].astype("float64")
        low, high = _t_interval(n, mean, rows[f"{key}_std"].astype("float64"), alpha)
        definition = DEFINITIONS[metric]
        parts.append(
            rows[groups].assign(
                metric=metric,
                n=n,
                estimate=mean,
                ci_low=low,
                ci_high=high,
                median=rows[f"{key}_median"].astype("float64"),
                denominator=definition.denominator,
                definition=definition.tag,
            )  # fmt: skip
        )
    return pd.concat(parts, ignore_index=True)[[*groups, *QUALITY_COLUMNS]]


def _t_interval(
    n: pd.Series, mean: pd.Series, std: pd.Series, alpha: float
) -> tuple[np.ndarray, np.ndarray]:
    """The t intervals of means; NaN with fewer than 2 values, the mean itself without spread."""
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = (std / np.sqrt(n)).to_numpy(dtype="float64")
        spread, centre, freedom = np.where(scale > 0, scale, 1), mean.to_numpy(), n.to_numpy() - 1
        low, high = stats.t.interval(1 - alpha, freedom, loc=centre, scale=spread)
    flat = ~(scale > 0)
    low, high = np.where(flat, centre, low), np.where(flat, centre, high)
    few = (n < 2).to_numpy()
    return np.where(few, np.nan, low), np.where(few, np.nan, high)


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
        A canonical ``posts`` table with the counts and the denominator column. Takes a
        pandas DataFrame only: the benchmark compares each post's engagement rate, which
        :func:`~scrm_lab.engagement.engagement_rate` returns as a pandas table of every
        post, with its page's median, so a DuckDB or Spark table would come to memory whole.
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
    frame = as_lazy(posts[groups].assign(_accepted=accepted, _rated=rated), "posts")
    counts = {"count": nw.col("_accepted"), "n": nw.col("_rated")}
    table = group_counts(frame, groups, counts, categories={})
    table = proportion_table(table, groups, "content_acceptance", alpha)
    return table.assign(benchmark=said, rate_denominator=denominator)
