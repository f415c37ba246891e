"""The course's metric definitions, written down once with a version each.

Every metric table of :mod:`scrm_lab.metrics` names the definition it used in a
``definition`` column (``"conversion_rate/1"``: the name, a slash, the version) and what it
divided by in a ``denominator`` column, so two numbers computed differently are never
compared by mistake. A definition changes only with a new version.

Examples
--------
>>> DEFINITIONS["conversion_rate"].tag
'conversion_rate/1'
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd


@dataclass(frozen=True)
class MetricDefinition:
    """One metric: what it measures, its formula, numerator and denominator."""

    name: str
    version: int
    family: str  # awareness, sales, share of voice, program
    measures: str
    formula: str
    denominator: str
    function: str  # the scrm_lab function that computes it
    interval: str  # how its uncertainty is shown

    @property
    def tag(self) -> str:
        """``name/version``, the value of a result's ``definition`` column."""
        return f"{self.name}/{self.version}"


_WILSON = "Wilson score interval of the proportion"
_MEAN_T = "t interval of the mean over posts"
_NONE = "none: a count of the whole population, not a sample"

_ALL = (
    MetricDefinition(
        "site_traffic", 1, "awareness; sales",
        "Sessions on the site, and each group's share of them.",
        "sessions in the group / all sessions", "sessions",
        "metrics.site_traffic", _WILSON,
    ),
    MetricDefinition(
        "returning_share", 1, "sales",
        "Repeat visits: how many sessions come from visitors who had been to the site before.",
        "sessions with visitor_type 'returning' / sessions with a visitor type recorded "
        "('other' stays in the denominator)",
        "sessions with a visitor type", "metrics.repeat_visits", _WILSON,
    ),
    MetricDefinition(
        "conversion_rate", 1, "sales",
        "Conversions: sessions that ended in a purchase.",
        "sessions with purchased true / sessions", "sessions",
        "metrics.conversion_rate", _WILSON,
    ),
    MetricDefinition(
        "funnel_step", 1, "sales",
        "Stage-to-stage conversion of the sales funnel (a closed funnel: a session counts at a "
        "stage only if it met every earlier stage).",
        "sessions at the stage / sessions at the previous stage", "sessions at the previous stage",
        "metrics.sales_funnel", _WILSON,
    ),
    MetricDefinition(
        "funnel_from_start", 1, "sales",
        "Share of all sessions that reach each funnel stage.",
        "sessions at the stage / all sessions", "sessions",
        "metrics.sales_funnel", _WILSON,
    ),
    MetricDefinition(
        "follower_volume", 1, "awareness",
        "Followers (fans) at the end of each period: the last value observed in it.",
        "followers at the period's last observation", "none (a count)",
        "metrics.follower_growth", _NONE,
    ),
    MetricDefinition(
        "follower_growth", 1, "awareness",
        "Growth of the follower base from one period to the next.",
        "(followers at the end of the period - at the end of the previous one) / followers "
        "at the end of the previous one", "followers at the end of the previous period",
        "metrics.follower_growth", _NONE,
    ),
    MetricDefinition(
        "engaged_fan_rate", 1, "program: follower quality",
        "How engaged the fans are, not how many: the share of the page's fans who engaged "
        "with a post, averaged over posts.",
        "mean over posts of (fans who engaged with the post / page fans when it was posted)",
        "page fans (followers) when the post was published",
        "metrics.follower_quality", _MEAN_T,
    ),
    MetricDefinition(
        "fan_reach_share", 1, "program: follower quality",
        "How much of a post's audience came from its fans, averaged over posts.",
        "mean over posts of (people reached who like the page / people reached)",
        "people reached by the post", "metrics.follower_quality", _MEAN_T,
    ),
    MetricDefinition(
        "fan_share_of_engaged", 1, "program: follower quality",
        "How much of a post's engagement came from its fans, averaged over posts.",
        "mean over posts of (fans who engaged / people who engaged)",
        "people who engaged with the post", "metrics.follower_quality", _MEAN_T,
    ),
    MetricDefinition(
        "content_acceptance", 1, "sales; program",
        "Social content acceptance: the share of posts the audience took up, a post counting "
        "as accepted when its engagement rate beats a benchmark (the page's own median "
        "post, or a stated rate).",
        "posts whose engagement rate > the benchmark / posts with an engagement rate",
        "posts with an engagement rate", "metrics.content_acceptance", _WILSON,
    ),
    MetricDefinition(
        "search_interest", 1, "awareness",
        "Search volume trend of a term: its mean interest and its linear trend per period "
        "(interest as search tools export it, 0-100 relative to the peak).",
        "mean of interest; OLS slope of interest on period number", "none (an index)",
        "metrics.search_interest",
        "Newey-West (HAC) interval of the mean and of the OLS slope",
    ),
    MetricDefinition(
        "audience_share", 1, "program: social demographics",
        "Who the followers are: the share of a channel's followers in each demographic group.",
        "followers in the group / the channel's followers", "the channel's followers",
        "metrics.audience_profile", _NONE,
    ),
    MetricDefinition(
        "audience_index", 1, "program: social demographics",
        "How much a channel over- or under-represents a group against all channels together "
        "(100 = the same share).",
        "100 x the group's share on the channel / the group's share on all channels",
        "the group's share on all channels", "metrics.audience_profile", _NONE,
    ),
    MetricDefinition(
        "mention_volume", 1, "awareness",
        "Social mentions of a brand per period.", "messages about the brand in the period",
        "none (a count)", "listening.mention_volume", _NONE,
    ),
    MetricDefinition(
        "share_of_voice", 1, "share of voice",
        "A brand's share of the conversation about all tracked brands.",
        "the brand's mentions / all tracked brands' mentions", "all tracked brands' mentions",
        "listening.share_of_voice", _WILSON,
    ),
    MetricDefinition(
        "net_sentiment", 1, "share of voice; service",
        "Balance of positive and negative mentions.",
        "(positive - negative) / (positive + negative)", "positive and negative mentions",
        "listening.net_sentiment", "Wilson interval of the positive share, mapped",
    ),
    MetricDefinition(
        "engagement_rate", 1, "program: most popular content",
        "Engagement of a post relative to its audience; most popular content ranks posts by it.",
        "(reactions + comments + shares) / the declared denominator",
        "followers, reach or impressions (named in every row)",
        "engagement.engagement_rate; content.post_performance", "bootstrap for group means",
    ),
)  # fmt: skip

#: Every definition by name (read-only).
DEFINITIONS = MappingProxyType({d.name: d for d in _ALL})


def metric_definitions() -> pd.DataFrame:
    """Every metric definition as a table, one row per metric.

    Returns
    -------
    pandas.DataFrame
        Columns ``metric``, ``version``, ``definition`` (``name/version``), ``family``,
        ``measures``, ``formula``, ``denominator``, ``function``, ``interval``.

    Examples
    --------
    >>> table = metric_definitions()
    >>> table.set_index("metric").loc["conversion_rate", "denominator"]
    'sessions'
    """
    return pd.DataFrame(
        [
            {
                "metric": d.name,
                "version": d.version,
                "definition": d.tag,
                "family": d.family,
                "measures": d.measures,
                "formula": d.formula,
                "denominator": d.denominator,
                "function": d.function,
                "interval": d.interval,
            }
            for d in _ALL
        ]
    )
