"""Metrics on data no open source provides: search volume trends and follower demographics.

Both read a canonical table of the user's own export (``search_trends``, ``audience``; see
:func:`scrm_lab.schema.describe_table`), and :mod:`scrm_lab.synth` simulates a labelled
example of each.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import statsmodels.api as sm

from scrm_lab._checks import ALPHA, checks, numeric_column
from scrm_lab._checks import require_columns as _require
from scrm_lab.metrics._definitions import DEFINITIONS
from scrm_lab.metrics._web import bad_data

#: Columns of :func:`search_interest`'s table.
SEARCH_COLUMNS = [
    "term", "metric", "n", "estimate", "ci_low", "ci_high", "slope", "slope_ci_low",
    "slope_ci_high", "p_value", "first", "last", "method", "denominator", "definition",
]  # fmt: skip


def _newey_west_lags(n: int) -> int:
    """Newey and West's (1994) rule of thumb for the HAC lag length: 4 (n / 100) ** (2/9)."""
    return int(math.floor(4 * (n / 100) ** (2 / 9)))


@checks(alpha=ALPHA)
def search_interest(trends: pd.DataFrame, *, alpha: float = 0.05) -> pd.DataFrame:
    """Search volume trend per term: mean interest and its linear trend, with HAC intervals.

    Interest in consecutive weeks is autocorrelated, so both the mean and the OLS slope of
    interest on the period number (0, 1, 2, ... in period order) get Newey-West (HAC)
    standard errors (statsmodels, lag length by Newey and West's rule of thumb), not the
    independent-errors ones, which would be too narrow.

    Parameters
    ----------
    trends : pandas.DataFrame
        A canonical ``search_trends`` table (``term``, ``period``, ``interest``); when it
        has ``geo``, each term and region is one series (the term is shown as
        ``"term (geo)"``).
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per term: ``term``, ``metric`` (``"search_interest"``), ``n`` (periods),
        ``estimate`` (mean interest), ``ci_low``, ``ci_high``, ``slope`` (interest points per
        period), ``slope_ci_low``, ``slope_ci_high``, ``p_value`` (of the slope), ``first``
        and ``last`` (interest in the first and last period), ``method``, ``denominator``,
        ``definition``.

    Examples
    --------
    >>> from scrm_lab import synth
    >>> trends = synth.simulate_search_trends(seed=0)
    >>> search_interest(trends)["n"].tolist()
    [104, 104, 104]
    """
    _require(trends, ["term", "period", "interest"])
    interest = numeric_column(trends, "interest")
    series = trends["term"].astype("str")
    if "geo" in trends:
        geo = trends["geo"].astype("string")
        series = series.where(geo.isna(), series + " (" + geo.fillna("") + ")")
    frame = pd.DataFrame({"term": series, "period": trends["period"], "interest": interest})
    rows, definition = [], DEFINITIONS["search_interest"]
    for term, part in frame.groupby("term", sort=False):
        part = part.sort_values("period", kind="stable")
        if part["period"].duplicated().any():
            when = part.loc[part["period"].duplicated(), "period"].iloc[0]
            raise bad_data(f"term {term!r} has two rows for period {when}; expected one", "period")
        values = part["interest"].to_numpy(dtype="float64")
        if len(values) < 3:
            raise bad_data(
                f"term {term!r} has {len(values)} period(s); expected at least 3 for a trend",
                "period",
            )
        lags = _newey_west_lags(len(values))
        hac = {"cov_type": "HAC", "cov_kwds": {"maxlags": lags}}
        mean = sm.OLS(values, np.ones(len(values))).fit(**hac)
        steps = sm.add_constant(np.arange(len(values), dtype="float64"))
        trend = sm.OLS(values, steps).fit(**hac)
        (low, high), (slope_low, slope_high) = mean.conf_int(alpha)[0], trend.conf_int(alpha)[1]
        rows.append({
            "term": term, "metric": definition.name, "n": len(values),
            "estimate": float(mean.params[0]), "ci_low": low, "ci_high": high,
            "slope": float(trend.params[1]), "slope_ci_low": slope_low,
            "slope_ci_high": slope_high, "p_value": float(trend.pvalues[1]),
            "first": values[0], "last": values[-1],
            "method": f"OLS with Newey-West (HAC) errors, {lags} lags",
            "denominator": definition.denominator, "definition": definition.tag,
        })  # fmt: skip
    return pd.DataFrame(rows, columns=SEARCH_COLUMNS)


#: Columns of :func:`audience_profile`'s table.
AUDIENCE_COLUMNS = [
    "brand", "channel", "dimension", "group", "followers", "channel_followers", "share",
    "share_all_channels", "index", "denominator", "definition",
]  # fmt: skip


@checks()
def audience_profile(audience: pd.DataFrame) -> pd.DataFrame:
    """Follower demographics: each group's share of a channel's followers, and its index.

    ``share`` is the group's followers over the channel's followers counted in the same
    dimension; ``index`` is 100 x that share over the group's share on all the brand's
    channels together (above 100: the channel over-represents the group). The counts are
    the platform's own census of followers, so there is no sampling interval.

    Parameters
    ----------
    audience : pandas.DataFrame
        A canonical ``audience`` table; when it has ``period``, the latest breakdown of each
        brand is used.

    Returns
    -------
    pandas.DataFrame
        One row per brand, channel, dimension and group: ``brand``, ``channel``,
        ``dimension``, ``group``, ``followers``, ``channel_followers``, ``share``,
        ``share_all_channels``, ``index``, ``denominator``, ``definition``
        (``"audience_share/1; audience_index/1"``).

    Examples
    --------
    >>> from scrm_lab import synth
    >>> profile = audience_profile(synth.simulate_audience(seed=0))
    >>> profile.groupby(["brand", "channel", "dimension"])["share"].sum().round(12).unique()
    array([1.])
    """
    _require(audience, ["brand", "channel", "dimension", "group", "followers"])
    frame = audience.assign(followers=numeric_column(audience, "followers"))
    if "period" in frame:
        latest = frame.groupby("brand", observed=True)["period"].transform("max")
        frame = frame[frame["period"] == latest]
    frame = frame.astype({"brand": "str", "channel": "str", "dimension": "str", "group": "str"})
    keys = ["brand", "channel", "dimension", "group"]
    repeated = frame.duplicated(keys)
    if repeated.any():
        row = frame.loc[repeated, keys].iloc[0].tolist()
        raise bad_data(f"the group {row} appears twice; expected one row per group", "group")
    table = frame[[*keys, "followers"]].reset_index(drop=True)
    table["channel_followers"] = table.groupby(["brand", "channel", "dimension"])[
        "followers"
    ].transform("sum")
    overall = table.groupby(["brand", "dimension", "group"])["followers"].transform("sum")
    everyone = table.groupby(["brand", "dimension"])["followers"].transform("sum")
    with np.errstate(invalid="ignore", divide="ignore"):
        table["share"] = table["followers"] / table["channel_followers"].where(
            table["channel_followers"] > 0
        )
        table["share_all_channels"] = overall / everyone.where(everyone > 0)
        table["index"] = (
            100
            * table["share"]
            / table["share_all_channels"].where(table["share_all_channels"] > 0)
        )
    if pd.api.types.is_integer_dtype(audience["followers"]):  # counts stay whole numbers
        for column in ("followers", "channel_followers"):
            table[column] = table[column].astype("Int64")
    share, index = DEFINITIONS["audience_share"], DEFINITIONS["audience_index"]
    table["denominator"] = share.denominator
    table["definition"] = f"{share.tag}; {index.tag}"
    return table.sort_values(keys, kind="stable", ignore_index=True)[AUDIENCE_COLUMNS]
