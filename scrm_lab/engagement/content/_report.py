"""The content performance report's wording and key results, with their rules stated.

- :func:`performance_measure`: the engagement rate when there is one, else engagement counts;
- :func:`measure_sentences`, :func:`type_sentences` (with :data:`TIMING_NOTES`, the shipped
  data sets' caveats about hours and weekdays) and :func:`paid_sentences` (a clear difference
  when the interval excludes zero, read from the ``clear`` column);
- :func:`best_group` and :func:`key_results` (the recorded results).

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> from scrm_lab.engagement.content import paid_vs_organic, post_performance
>>> performance = post_performance(load_dataset("facebook_metrics"), denominator="reach")
>>> paid_sentences(paid_vs_organic(performance))[0][-20:]
'no clear difference.'
"""

from __future__ import annotations

import pandas as pd

from scrm_lab._checks import COLUMN, Choice, OrNone, Text, checks, require_columns
from scrm_lab.engagement import DENOMINATORS
from scrm_lab.engagement.content._performance import ALPHA_HALF
from scrm_lab.models import level_text

__all__ = [
    "TIMING_NOTES",
    "best_group",
    "key_results",
    "measure_sentences",
    "paid_sentences",
    "performance_measure",
    "type_sentences",
]

#: Caveats about the hour and weekday columns of the shipped post data sets, said under the
#: by-type result (the hour and weekday figures are read with them).
TIMING_NOTES = {
    "facebook_live_sellers": "The file's time zone is not documented; hours are shown as "
    "stored (taken as UTC), so read the hour pattern with care.",
    "facebook_metrics": "Weekdays are coded 1-7 as published; the data set does not say "
    "which day is 1.",
}


def performance_measure(performance: pd.DataFrame) -> str:
    """The column posts are compared on: ``"engagement_rate"`` when there is one.

    Parameters
    ----------
    performance : pandas.DataFrame
        From :func:`post_performance`.

    Returns
    -------
    str
        ``"engagement_rate"`` when :func:`post_performance` was given a denominator, else
        ``"engagements"`` (a count).

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> from scrm_lab.engagement.content import post_performance
    >>> sellers = load_dataset("facebook_live_sellers")
    >>> performance_measure(post_performance(sellers, denominator=None))
    'engagements'
    """
    return "engagement_rate" if "engagement_rate" in performance else "engagements"


@checks(denominator=Choice(DENOMINATORS), dataset=Text("a data set name"))
def measure_sentences(
    performance: pd.DataFrame, *, denominator: str = "reach", dataset: str = "the data"
) -> list[str]:
    """What each post is measured by, in words: the rate's formula, or why counts are used.

    Parameters
    ----------
    performance : pandas.DataFrame
        From :func:`post_performance`.
    denominator : {"reach", "impressions", "followers"}, default "reach"
        The denominator asked for (named when the data cannot give it).
    dataset : str, default "the data"
        The data set's name, said when the data have no denominator.

    Returns
    -------
    list of str
        One Markdown paragraph: with a rate, its formula, the number of posts and how many
        have no rate; without one, that posts are compared on engagement counts and the number
        of posts and brands (sellers).

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> from scrm_lab.engagement.content import paid_vs_organic, performance_by, post_performance
    >>> performance = post_performance(load_dataset("facebook_metrics"), denominator="reach")
    >>> measure_sentences(performance, dataset="facebook_metrics")[0][-50:]
    'ost. 500 posts; the rate is missing for 0 of them.'
    """
    if performance_measure(performance) == "engagement_rate":
        return [
            f"**Engagement rate = (reactions + comments + shares) / {denominator}**, one value "
            f"per post. {len(performance):,} posts; the rate is missing for "
            f"{int(performance['engagement_rate'].isna().sum())} of them."
        ]
    return [
        f"`{dataset}` has no reach, impressions or follower counts, so no rate by {denominator} "
        "can be computed. Posts are compared on their **engagements = reactions + comments + "
        "shares** instead: a count, which favours pages with larger audiences. "
        f"{len(performance):,} posts from {performance['brand'].nunique()} sellers."
    ]


def best_group(table: pd.DataFrame) -> pd.Series:
    """The row of a :func:`performance_by` table with the highest mean (the first on a tie).

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`performance_by`.

    Returns
    -------
    pandas.Series
        That row.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> from scrm_lab.engagement.content import paid_vs_organic, performance_by, post_performance
    >>> performance = post_performance(load_dataset("facebook_metrics"), denominator="reach")
    >>> best_group(performance_by(performance, group="content_type"))["content_type"]
    'photo'
    """
    require_columns(table, ["estimate"], "best_group")
    return table.loc[table["estimate"].idxmax()]


@checks(value=COLUMN, alpha=ALPHA_HALF, dataset=OrNone(Text("a data set name")))
def type_sentences(
    by_type: pd.DataFrame,
    *,
    value: str = "engagement_rate",
    alpha: float = 0.05,
    dataset: str | None = None,
) -> list[str]:
    """The content type with the highest mean, in words, and the data set's timing caveat.

    Parameters
    ----------
    by_type : pandas.DataFrame
        :func:`performance_by` with ``group="content_type"``.
    value : str, default "engagement_rate"
        The measure averaged (named in the sentence).
    alpha : float, default 0.05
        The intervals' level is 1 - alpha.
    dataset : str, optional
        A key of :data:`TIMING_NOTES`: its caveat about hours and weekdays follows.

    Returns
    -------
    list of str
        The best type with its mean, interval (4 significant digits) and n; then the timing
        caveat when ``dataset`` has one.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> from scrm_lab.engagement.content import paid_vs_organic, performance_by, post_performance
    >>> performance = post_performance(load_dataset("facebook_metrics"), denominator="reach")
    >>> print(type_sentences(performance_by(performance, group="content_type"))[0][:62])
    **photo** posts have the highest mean engagement_rate (0.02606
    """
    best = best_group(by_type)
    out = [
        f"**{best['content_type']}** posts have the highest mean {value} ({best['estimate']:.4g}, "
        f"{level_text(alpha)} CI {best['ci_low']:.4g} to {best['ci_high']:.4g}, n = {best['n']})."
    ]
    return out + ([TIMING_NOTES[dataset]] if dataset in TIMING_NOTES else [])


@checks(alpha=ALPHA_HALF, dataset=Text("a data set name"))
def paid_sentences(
    paid_gap: pd.DataFrame | None, *, alpha: float = 0.05, dataset: str = "the data"
) -> list[str]:
    """The raw paid - organic gap in words, said clear when its interval excludes zero.

    Parameters
    ----------
    paid_gap : pandas.DataFrame or None
        From :func:`paid_vs_organic` (its first, raw row is read: ``estimate``, ``ci_low``,
        ``ci_high``, ``clear``); None when the data do not say which posts were promoted.
    alpha : float, default 0.05
        The interval's level is 1 - alpha.
    dataset : str, default "the data"
        Named when ``paid_gap`` is None.

    Returns
    -------
    list of str
        One sentence: the gap with its interval (4 significant digits) and "a clear
        difference." or "no clear difference." (the ``clear`` column); or that the comparison
        is skipped.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> from scrm_lab.engagement.content import paid_vs_organic, performance_by, post_performance
    >>> performance = post_performance(load_dataset("facebook_metrics"), denominator="reach")
    >>> paid_sentences(paid_vs_organic(performance))
    ['Paid minus organic: -0.002469 (95% CI -0.005639 to 0.0007009): no clear difference.']
    """
    if paid_gap is None:
        return [f"`{dataset}` does not say which posts were promoted, so this is skipped."]
    raw = paid_gap.iloc[0]
    verdict = "a clear difference." if bool(raw["clear"]) else "no clear difference."
    return [
        f"Paid minus organic: {raw['estimate']:+.4g} ({level_text(alpha)} CI "
        f"{raw['ci_low']:.4g} to {raw['ci_high']:.4g}): {verdict}"
    ]


def key_results(
    performance: pd.DataFrame,
    by_type: pd.DataFrame,
    paid_gap: pd.DataFrame | None = None,
    claims: pd.DataFrame | None = None,
) -> dict[str, object]:
    """The content report's key results, for batch summaries and the reports index.

    Parameters
    ----------
    performance : pandas.DataFrame
        From :func:`post_performance`.
    by_type : pandas.DataFrame
        :func:`performance_by` with ``group="content_type"``.
    paid_gap : pandas.DataFrame, optional
        From :func:`paid_vs_organic` (its raw row is read).
    claims : pandas.DataFrame, optional
        :func:`scrm_lab.studies.moro_2016.moro_headline` (``claim``, ``estimate``, ``holds``).

    Returns
    -------
    dict
        ``n_posts``, ``metric`` (:func:`performance_measure`), ``best_type``,
        ``best_type_mean`` (:func:`best_group`); with ``paid_gap`` also
        ``paid_minus_organic``; with ``claims`` also ``status_ratio_consumers`` and
        ``type_most_relevant_holds``. Plain Python values.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> from scrm_lab.engagement.content import paid_vs_organic, performance_by, post_performance
    >>> performance = post_performance(load_dataset("facebook_metrics"), denominator="reach")
    >>> results = key_results(performance, performance_by(performance, group="content_type"))
    >>> results["n_posts"], results["metric"], results["best_type"]
    (500, 'engagement_rate', 'photo')
    """
    best = best_group(by_type)
    results: dict[str, object] = {
        "n_posts": int(len(performance)),
        "metric": performance_measure(performance),
        "best_type": str(best["content_type"]),
        "best_type_mean": float(best["estimate"]),
    }
    if paid_gap is not None:
        results["paid_minus_organic"] = float(paid_gap.iloc[0]["estimate"])
    if claims is not None:
        by_claim = claims.set_index("claim")
        results["status_ratio_consumers"] = float(
            by_claim.loc["status_twice_consumers", "estimate"]
        )
        results["type_most_relevant_holds"] = str(by_claim.loc["type_most_relevant", "holds"])
    return results
