"""The metrics read in plain words, for reports (numbers from the tables, never typed in).

Intervals are read as ranges of plausible values at the stated level; two groups are called
apart only when their intervals do not overlap, a conservative reading (overlapping 95%
intervals can still differ at the 5% level), said as such.
"""

from __future__ import annotations

import pandas as pd

from scrm_lab._checks import ALPHA, COLUMN, Instance, Text, checks

_TABLE = Instance(pd.DataFrame, "a pandas DataFrame")


def _pct(value: float) -> str:
    return f"{value:.1%}"


def _ci(row: pd.Series, alpha: float) -> str:
    return f"{1 - alpha:.0%} CI {_pct(row['ci_low'])} to {_pct(row['ci_high'])}"


@checks(table=_TABLE, what=Text(), alpha=ALPHA)
def rate_sentence(table: pd.DataFrame, *, what: str, alpha: float = 0.05) -> str:
    """One overall proportion in words: "15.5% of the 12,330 sessions ended in a purchase".

    Parameters
    ----------
    table : pandas.DataFrame
        A one-row proportion table (e.g. :func:`conversion_rate` without ``by``).
    what : str
        What the numerator did, completing "of the N <denominator> ..." ("ended in a
        purchase").
    alpha : float, default 0.05
        The level the table's interval was computed at.

    Examples
    --------
    >>> import scrm_lab
    >>> from scrm_lab.metrics import conversion_rate
    >>> sessions = scrm_lab.load_dataset("online_shoppers_intention")
    >>> rate_sentence(conversion_rate(sessions), what="ended in a purchase")
    '15.5% of the 12,330 sessions ended in a purchase (95% CI 14.8% to 16.1%; conversion_rate/1).'
    """
    row = table.iloc[0]
    return (f"{_pct(row['estimate'])} of the {int(row['n']):,} {row['denominator']} {what} "
            f"({_ci(row, alpha)}; {row['definition']}).")  # fmt: skip


@checks(table=_TABLE, group=COLUMN, what=Text(), alpha=ALPHA)
def group_sentence(table: pd.DataFrame, *, group: str, what: str, alpha: float = 0.05) -> str:
    """The highest and lowest group of a proportion table, and whether they are clearly apart.

    Examples
    --------
    >>> import scrm_lab
    >>> from scrm_lab.metrics import conversion_rate
    >>> sessions = scrm_lab.load_dataset("online_shoppers_intention")
    >>> print(group_sentence(conversion_rate(sessions, by="visitor_type"),
    ...                      group="visitor_type", what="conversion rate"))  # doctest: +ELLIPSIS
    The conversion rate is highest for new (24.9%, ...) and lowest for returning (13.9%, ...
    """
    rated = table.dropna(subset=["estimate"]).sort_values("estimate", ascending=False)
    if len(rated) < 2:
        return f"Only one {group.replace('_', ' ')} has data, so there is nothing to compare."
    top, bottom = rated.iloc[0], rated.iloc[-1]
    apart = top["ci_low"] > bottom["ci_high"]
    verdict = (
        "their intervals do not overlap, so the gap is not chance at this level"
        if apart
        else "their intervals overlap, so the data cannot tell them apart with confidence"
    )
    return (
        f"The {what} is highest for {top[group]} ({_pct(top['estimate'])}, {_ci(top, alpha)}, "
        f"n = {int(top['n']):,}) and lowest for {bottom[group]} ({_pct(bottom['estimate'])}, "
        f"{_ci(bottom, alpha)}, n = {int(bottom['n']):,}); {verdict}."
    )


@checks(summary=_TABLE)
def funnel_sentences(summary: pd.DataFrame) -> list[str]:
    """The funnel in words: where most sessions are lost, the overall rate, the skips.

    Takes :func:`funnel_summary`'s table for one funnel (no group column).

    Examples
    --------
    >>> import scrm_lab
    >>> from scrm_lab.metrics import funnel_summary, sales_funnel
    >>> summary = funnel_summary(sales_funnel(scrm_lab.load_dataset("online_shoppers_intention")))
    >>> funnel_sentences(summary)[0]  # doctest: +ELLIPSIS
    'Of 12,330 sessions, 1,388 (11.3%) went through every stage to a purchase.'
    """
    rows = summary.sort_values("stage_number")
    first, last = rows.iloc[0], rows.iloc[-1]
    later = rows.iloc[1:]
    worst = later.loc[later["step_rate"].idxmin()]
    said = [
        f"Of {int(first['sessions']):,} sessions, {int(last['sessions']):,} "
        f"({_pct(last['from_start'])}) went through every stage to a purchase.",
        f"The weakest step is '{worst['stage']}': {_pct(worst['step_rate'])} of the sessions "
        f"that reached the stage before it got there ({int(worst['drop_off']):,} lost).",
    ]
    skipped = int(last["skipped"])
    if skipped:
        total = skipped + int(last["sessions"])
        said.append(
            f"{skipped:,} of the {total:,} sessions that reached '{last['stage']}' skipped an "
            "earlier stage: the stages are page types a session viewed, not a path it had to "
            "follow, so read the funnel as a profile of converting sessions, not a checkout flow."
        )
    return said


@checks(growth=_TABLE)
def growth_sentence(growth: pd.DataFrame) -> str:
    """Follower volume from the first to the last period, and how monthly growth changed.

    Takes :func:`follower_growth`'s table for one series.

    Examples
    --------
    >>> import scrm_lab
    >>> from scrm_lab.metrics import follower_growth
    >>> posts = scrm_lab.load_dataset("facebook_metrics")
    >>> growth_sentence(follower_growth(posts.assign(period=posts["post_month"])))
    ... # doctest: +ELLIPSIS
    'Followers went from 86,909 (period 1) to 139,441 (period 12), +60.4%; ...'
    """
    rows = growth.sort_values("period")
    periods, volume = rows["period"].tolist(), rows["followers"].tolist()
    total = volume[-1] / volume[0] - 1
    rates = rows["growth_rate"].dropna()
    pace = ""
    if len(rates) >= 2:
        pace = (f"; growth per period went from {_pct(rates.iloc[0])} to {_pct(rates.iloc[-1])}"
                f" (highest {_pct(rates.max())}, lowest {_pct(rates.min())})")  # fmt: skip
    return (f"Followers went from {int(volume[0]):,} (period {periods[0]}) to "
            f"{int(volume[-1]):,} (period {periods[-1]}), {total:+.1%}{pace}.")  # fmt: skip


_QUALITY_WORDS = {
    "engaged_fan_rate": "of the page's fans engaged with a typical post",
    "fan_reach_share": "of the people a post reached were fans",
    "fan_share_of_engaged": "of the people who engaged with a post were fans",
}


@checks(quality=_TABLE, alpha=ALPHA)
def quality_sentences(quality: pd.DataFrame, *, alpha: float = 0.05) -> list[str]:
    """Follower quality in words, one sentence per ratio (the table without groups).

    Examples
    --------
    >>> import scrm_lab
    >>> from scrm_lab.metrics import follower_quality
    >>> quality_sentences(follower_quality(scrm_lab.load_dataset("facebook_metrics")))[0]
    ... # doctest: +ELLIPSIS
    "On average 0.50% of the page's fans engaged with a typical post (95% CI 0.46% to 0.55%..."
    """
    said = []
    for _, row in quality.iterrows():
        said.append(f"On average {row['estimate']:.2%} {_QUALITY_WORDS[row['metric']]} "
                    f"({1 - alpha:.0%} CI {row['ci_low']:.2%} to {row['ci_high']:.2%}, "
                    f"median {row['median']:.2%}, {int(row['n']):,} posts).")  # fmt: skip
    return said


@checks(table=_TABLE)
def search_sentences(table: pd.DataFrame) -> list[str]:
    """Each term's search trend in words: rising, falling or no clear trend.

    Examples
    --------
    >>> from scrm_lab import synth
    >>> from scrm_lab.metrics import search_interest
    >>> search_sentences(search_interest(synth.simulate_search_trends(seed=0)))[0]
    ... # doctest: +ELLIPSIS
    "'Simulated brand A': mean interest 59.7 ..."
    """
    said = []
    for _, row in table.iterrows():
        if row["slope_ci_low"] > 0:
            trend = "rising"
        elif row["slope_ci_high"] < 0:
            trend = "falling"
        else:
            trend = "no clear trend"
        said.append(
            f"'{row['term']}': mean interest {row['estimate']:.1f} (CI {row['ci_low']:.1f} to "
            f"{row['ci_high']:.1f}), {trend}: {row['slope']:+.2f} points per period (CI "
            f"{row['slope_ci_low']:+.2f} to {row['slope_ci_high']:+.2f})."
        )
    return said


@checks(profile=_TABLE)
def audience_sentences(profile: pd.DataFrame) -> list[str]:
    """Per channel, the group it over-represents most against all channels (highest index).

    Examples
    --------
    >>> from scrm_lab import synth
    >>> from scrm_lab.metrics import audience_profile
    >>> audience_sentences(audience_profile(synth.simulate_audience(seed=0)))[0]
    ... # doctest: +ELLIPSIS
    'Simulated brand on facebook: the age group 65+ is ...'
    """
    said = []
    for (brand, channel, dimension), part in profile.groupby(
        ["brand", "channel", "dimension"], sort=True
    ):
        top = part.loc[part["index"].idxmax()]
        said.append(
            f"{brand} on {channel}: the {dimension} group {top['group']} is "
            f"{_pct(top['share'])} of followers against {_pct(top['share_all_channels'])} on "
            f"all channels (index {top['index']:.0f})."
        )
    return said
