"""Content performance measures: per-post rates, top posts, group means with CIs, paid gap.

A thin layer over :func:`scrm_lab.engagement.engagement_rate` (one rate per post, its
denominator named) and :mod:`scrm_lab.models`:

- :func:`post_performance`: one row per post with its rate and the attributes it is grouped
  by (``content_type``, ``paid``, ``hour``, ``weekday``);
- :func:`top_posts`: the most popular posts by any measure;
- :func:`performance_by`: mean per group with a bootstrap (BCa) interval, since per-post
  rates and counts are right-skewed and some groups are small;
- :func:`paid_vs_organic`: the paid - organic gap, raw and with the content type held fixed
  (:func:`scrm_lab.models.group_difference`);

The published headline of Moro, Rita & Vala (2016) is checked in :mod:`scrm_lab.studies.moro_2016`.

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> performance = post_performance(load_dataset("facebook_metrics"), denominator="reach")
>>> performance["content_type"].value_counts().to_dict()
{'photo': 426, 'status': 45, 'link': 22, 'video': 7}
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from scrm_lab._checks import (
    COLUMN,
    SEED,
    Choice,
    ColumnNames,
    Integer,
    OrNone,
    Real,
    checks,
    column_values,
    current_function,
    numeric_column,
    renamed,
    require_columns,
    warn_user,
)
from scrm_lab.engagement import DENOMINATORS, engagement_rate
from scrm_lab.exceptions import SchemaError
from scrm_lab.models import group_difference, group_means, level_text

__all__ = [
    "CI_METHODS",
    "GROUPS",
    "paid_vs_organic",
    "performance_by",
    "post_performance",
    "top_posts",
]

#: The grouping columns of :func:`post_performance` by their short names; only "type"
#: differs from its column (``content_type``), and performance_by takes the column.
GROUPS = {
    "type": "content_type",
    "paid": "paid",
    "hour": "hour",
    "weekday": "weekday",
    "brand": "brand",
}

#: Interval methods of :func:`performance_by`.
CI_METHODS = ("bootstrap", "t")

_COUNTS = ("reactions", "comments", "shares")
#: Intervals of this module are at level 1 - alpha with alpha in (0, 0.5].
ALPHA_HALF = Real(0, 0.5, low_open=True)


# ------------------------------------------------------------------------------ checks


def _bootstrap_mean(values: np.ndarray, level: float, n_boot: int, seed: int) -> tuple:
    """BCa interval of a mean; a constant sample gets the point itself, n < 2 gets NaN."""
    if len(values) < 2:
        return math.nan, math.nan
    if np.ptp(values) == 0:
        return float(values[0]), float(values[0])
    result = stats.bootstrap(
        (values,),
        np.mean,
        n_resamples=n_boot,
        confidence_level=level,
        method="BCa",
        rng=np.random.default_rng(seed),
    )
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


# ---------------------------------------------------------------------------- per post


@checks(denominator=OrNone(Choice(DENOMINATORS)), engagements=ColumnNames(), post_id=COLUMN)
def post_performance(
    posts: pd.DataFrame,
    *,
    denominator: str | None = "reach",
    engagements: Sequence[str] = _COUNTS,
    post_id: str = "post_id",
) -> pd.DataFrame:
    """Engagement of each post, its rate with the denominator named, and its attributes.

    The rate is :func:`scrm_lab.engagement.engagement_rate`'s: the sum of the
    ``engagements`` counts divided by the post's ``followers``, ``reach`` or
    ``impressions``. A data set without any of these (``facebook_live_sellers``) can only be
    compared on counts: pass ``denominator=None``.

    Parameters
    ----------
    posts : pandas.DataFrame
        A canonical ``posts`` table (post id, ``brand``, ``channel``, the counts and the
        denominator). ``content_type`` and ``paid`` are kept when present; the hour and
        weekday come from ``post_hour`` and ``post_weekday`` when present, else from
        ``time``.
    denominator : {"reach", "impressions", "followers"} or None, default "reach"
        The column the engagements are divided by; None for counts only.
    engagements : sequence of str, default ("reactions", "comments", "shares")
        The count columns summed into a post's engagements.
    post_id : str, default "post_id"
        The column identifying a post.

    Returns
    -------
    pandas.DataFrame
        One row per post, in :func:`~scrm_lab.engagement.engagement_rate`'s order, columns:
        ``post_id``, ``brand``, ``channel``, ``time`` (when present), ``content_type``,
        ``paid`` (boolean), ``hour`` (0-23), ``weekday`` (``post_weekday`` as published, or
        ISO 1 = Monday ... 7 = Sunday from ``time``) (each only when it can be found),
        ``engagements``, ``counts_missing``, and with a denominator ``denominator``,
        ``denominator_value``, ``engagement_rate``.

    Raises
    ------
    ParameterError
        If ``denominator`` is not one of the three names or None.
    SchemaError
        If a needed column is missing or not numeric, or post ids repeat.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> performance = post_performance(load_dataset("facebook_metrics"), denominator="reach")
    >>> performance.columns.tolist()
    ['post_id', 'brand', 'channel', 'content_type', 'paid', 'hour', 'weekday', 'engagements',
     'counts_missing', 'denominator', 'denominator_value', 'engagement_rate']
    >>> performance[["post_id", "content_type", "engagements", "engagement_rate"]].head(2)
      post_id content_type  engagements  engagement_rate
    0       1        photo          100         0.036337
    1      10        photo          142         0.030251
    """
    function = current_function()
    engagements = list(engagements) if not isinstance(engagements, str) else [engagements]
    require_columns(posts, [post_id, "brand", "channel", *engagements], function)
    ids = posts[post_id].astype("str")
    repeated = ids[ids.duplicated()]
    if len(repeated):
        raise SchemaError(
            f"{function}: column {post_id!r} has {len(repeated)} repeated post id(s), e.g. "
            f"{repeated.iloc[0]!r}; expected one row per post",
            column=post_id,
        )
    if denominator is not None:
        out = engagement_rate(posts, denominator=denominator, engagements=engagements,
                              post_id=post_id)  # fmt: skip
    else:
        counts = pd.DataFrame({c: numeric_column(posts, c, function) for c in engagements})
        out = pd.DataFrame({post_id: ids, "brand": posts["brand"].astype("str"),
                            "channel": posts["channel"].astype("str")})  # fmt: skip
        if "time" in posts:
            out["time"] = posts["time"]
        whole = all(pd.api.types.is_integer_dtype(posts[c]) for c in engagements)
        out["engagements"] = counts.sum(axis=1, min_count=1).astype("Int64" if whole else "float64")
        out["counts_missing"] = counts.isna().sum(axis=1).astype("int64")
        order = ["brand", "channel", *(["time"] if "time" in out else []), post_id]
        out = out.sort_values(order, kind="stable").reset_index(drop=True)
    attributes = pd.DataFrame({post_id: ids.to_numpy()})
    if "content_type" in posts:
        attributes["content_type"] = posts["content_type"].to_numpy()
    if "paid" in posts:
        attributes["paid"] = posts["paid"].astype("boolean").to_numpy()
    time = pd.to_datetime(posts["time"]) if "time" in posts else None
    for name, source, from_time in (
        ("hour", "post_hour", lambda t: t.dt.hour),
        ("weekday", "post_weekday", lambda t: t.dt.day_of_week + 1),
    ):
        if source in posts:
            attributes[name] = posts[source].astype("Int64").to_numpy()
        elif time is not None:
            attributes[name] = from_time(time).astype("Int64").to_numpy()
    keyed = out[post_id].astype("str")
    attributes = attributes.set_index(post_id).loc[keyed].reset_index(drop=True)
    position = out.columns.get_loc("engagements")
    return pd.concat(
        [out.iloc[:, :position], attributes, out.iloc[:, position:]], axis=1
    ).reset_index(drop=True)


@checks(n=Integer(low=1), by=COLUMN)
def top_posts(
    performance: pd.DataFrame, *, n: int = 10, by: str = "engagement_rate"
) -> pd.DataFrame:
    """The ``n`` posts with the highest ``by``, ranked.

    Parameters
    ----------
    performance : pandas.DataFrame
        One row per post, e.g. from :func:`post_performance`.
    n : int, default 10
        How many posts (fewer when the table has fewer rated posts).
    by : str, default "engagement_rate"
        Numeric column to rank by; posts where it is missing are left out.

    Returns
    -------
    pandas.DataFrame
        ``rank`` (1 = highest; ties share the best rank) then the input's columns, sorted by
        rank and then by the input order.

    Raises
    ------
    ParameterError
        If ``n`` is not an integer >= 1 or ``by`` is not a column name.
    SchemaError
        If ``by`` is not a numeric column (the message suggests a close name).

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> performance = post_performance(load_dataset("facebook_metrics"), denominator="reach")
    >>> top_posts(performance, n=3, by="engagements")[["rank", "post_id", "engagements"]]
       rank post_id  engagements
    0     1     245         6334
    1     2     380         2177
    2     3     169         1974
    """
    values = column_values(performance, by)
    rated = performance[values.notna()].copy()
    rated.insert(0, "rank", values[values.notna()].rank(method="min", ascending=False))
    rated["rank"] = rated["rank"].astype("int64")
    return rated.sort_values("rank", kind="stable").head(n).reset_index(drop=True)


# ---------------------------------------------------------------------------- by group


@checks(
    group=COLUMN,
    value=COLUMN,
    alpha=ALPHA_HALF,
    ci_method=Choice(CI_METHODS),
    n_boot=Integer(low=100),
    seed=SEED,
    metric=OrNone(COLUMN),
)
def performance_by(
    performance: pd.DataFrame,
    *,
    group: str = "content_type",
    value: str = "engagement_rate",
    alpha: float = 0.05,
    ci_method: str = "bootstrap",
    n_boot: int = 2000,
    seed: int = 0,
    metric: str | None = None,
) -> pd.DataFrame:
    """Mean ``value`` per content type, paid status, hour, weekday or brand, with CIs.

    Per-post rates and counts are right-skewed (a few posts go viral) and some groups are
    small (7 videos in ``facebook_metrics``), so the t interval's normal approximation is
    poor. The default interval is the bias-corrected and accelerated (BCa) bootstrap of the
    mean (scipy ``bootstrap``), which adjusts for the skew of the resampled means; ``"t"``
    gives the classic interval of :func:`scrm_lab.models.group_means` for comparison. The
    median is reported beside the mean as the typical post.

    Parameters
    ----------
    performance : pandas.DataFrame
        One row per post, e.g. from :func:`post_performance`.
    group : str, default "content_type"
        The column to group by, e.g. "content_type", "paid" (shown as "paid" and
        "organic"), "hour", "weekday" or "brand". The old key "type" still means
        "content_type" for one minor version, with a FutureWarning.
    value : str, default "engagement_rate"
        Numeric column averaged (``engagements`` for counts).
    alpha : float, default 0.05
        Intervals are at level 1 - alpha; in (0, 0.5].
    ci_method : {"bootstrap", "t"}, default "bootstrap"
    n_boot : int, default 2000
        Bootstrap resamples per group (>= 100).
    seed : int, default 0
        Seed of the resampling: same seed, same intervals.
    metric : str, optional
        Deprecated name of ``value`` (a FutureWarning says so); removed in the next minor
        version.

    Returns
    -------
    pandas.DataFrame
        One row per group with at least one value (rows with the group or the value missing
        are left out), in group order, columns: ``<group column>``, ``n``, ``share`` (of the
        posts counted), ``estimate`` (mean), ``median``, ``ci_low``, ``ci_high`` (of the
        mean; missing when n < 2), ``method``.

    Raises
    ------
    ParameterError
        If ``ci_method`` is not one of the choices, ``alpha`` is outside
        (0, 0.5], or ``n_boot`` < 100.
    SchemaError
        If the group's column or ``value`` is missing (with a suggestion) or ``value`` is
        not numeric.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> performance = post_performance(load_dataset("facebook_metrics"), denominator="reach")
    >>> by_type = performance_by(performance, group="content_type", value="engagement_rate")
    >>> by_type[["content_type", "n", "estimate", "ci_low", "ci_high"]]
      content_type    n  estimate    ci_low   ci_high
    0         link   22  0.007266  0.005316  0.009427
    1        photo  426  0.026060  0.024577  0.027782
    2       status   45  0.015867  0.013623  0.018412
    3        video    7  0.008525  0.005042  0.013884
    """
    function = current_function()
    if metric is not None:
        value = renamed("metric", "value", metric, function)
    if group == "type" and "type" not in performance.columns:
        warn_user(
            "The 'group' value 'type' of performance_by is the old key of the column "
            "'content_type'; group is always a column now. 'type' will stop working in the "
            "next minor version. Use group='content_type'."
        )
        group = "content_type"
    column = group
    require_columns(performance, [column], function)
    values = column_values(performance, value)
    labels = performance[column]
    if column == "paid":
        labels = labels.astype("boolean").map({True: "paid", False: "organic"})
    frame = pd.DataFrame({column: labels, "value": values}).dropna()
    if frame.empty:
        raise SchemaError(
            f"{function}: no post has both a {column!r} and a {value!r} value; expected at "
            "least one",
            column=value,
        )
    if ci_method == "t":
        means = group_means(frame, value="value", group=column, alpha=alpha)
        intervals = means[["ci_low", "ci_high"]].to_numpy()
        method = f"mean with {level_text(alpha)} t interval"
    else:
        groups = frame.groupby(column, observed=True, sort=True)["value"]
        intervals = [_bootstrap_mean(v.to_numpy(), 1 - alpha, n_boot, seed) for _, v in groups]
        method = f"mean with {level_text(alpha)} BCa bootstrap interval ({n_boot} resamples)"
    summary = frame.groupby(column, observed=True, sort=True)["value"].agg(
        ["count", "mean", "median"]
    )
    intervals = np.asarray(intervals, dtype="float64").reshape(-1, 2)
    return pd.DataFrame(
        {
            column: summary.index,
            "n": summary["count"].to_numpy(dtype="int64"),
            "share": summary["count"].to_numpy() / len(frame),
            "estimate": summary["mean"].to_numpy(),
            "median": summary["median"].to_numpy(),
            "ci_low": intervals[:, 0],
            "ci_high": intervals[:, 1],
            "method": method,
        }
    )


@checks(value=COLUMN, controls=ColumnNames(empty_ok=True), alpha=ALPHA_HALF, metric=OrNone(COLUMN))
def paid_vs_organic(
    performance: pd.DataFrame,
    *,
    value: str = "engagement_rate",
    controls: Sequence[str] = ("content_type",),
    alpha: float = 0.05,
    metric: str | None = None,
) -> pd.DataFrame:
    """Paid minus organic mean ``value``, raw and with ``controls`` held fixed.

    :func:`scrm_lab.models.group_difference` (OLS with HC3 standard errors, robust to the
    unequal, skewed spreads of the two groups): the raw row is the difference of the two
    means; the adjusted row compares paid and organic posts of the same content type, since
    promotion may go to some types more than others.

    Parameters
    ----------
    performance : pandas.DataFrame
        One row per post with a boolean ``paid`` column, e.g. from :func:`post_performance`.
    value : str, default "engagement_rate"
        Numeric column compared.
    controls : sequence of str, default ("content_type",)
        Columns held fixed in the adjusted row (empty: the raw row only).
    alpha : float, default 0.05
        Intervals are at level 1 - alpha.
    metric : str, optional
        Deprecated name of ``value`` (a FutureWarning says so); removed in the next minor
        version.

    Returns
    -------
    pandas.DataFrame
        :func:`~scrm_lab.models.group_difference`'s columns: ``model``, ``term``
        (``"paid - organic"``), ``controls``, ``n``, ``estimate``, ``ci_low``, ``ci_high``,
        ``statistic``, ``p_value``, ``r_squared``, ``share_explained``, ``method``,
        ``clear`` (True when the interval excludes zero).

    Raises
    ------
    SchemaError
        If ``paid`` or ``value`` is missing (``facebook_live_sellers`` has no ``paid``).
    ParameterError
        If ``alpha`` is outside (0, 0.5] or only one of paid and organic posts is present.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> performance = post_performance(load_dataset("facebook_metrics"), denominator="reach")
    >>> gap = paid_vs_organic(performance, value="engagement_rate")
    >>> gap[["model", "controls", "n"]]
          model      controls    n
    0       raw                499
    1  adjusted  content_type  499
    """
    function = current_function()
    if metric is not None:
        value = renamed("metric", "value", metric, function)
    controls = [controls] if isinstance(controls, str) else list(controls)
    require_columns(performance, ["paid", *controls], function)
    values = column_values(performance, value)
    frame = performance[controls].copy()
    frame["_metric"] = values
    frame["_paid"] = performance["paid"].astype("boolean").map({True: "paid", False: "organic"})
    return group_difference(frame, value="_metric", group="_paid", target="paid",
                            reference="organic", controls=controls, alpha=alpha)  # fmt: skip
