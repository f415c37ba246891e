"""The course's social CRM metrics, each with an explicit, versioned definition.

The course lists what a social CRM program should measure: for awareness, web traffic,
search volume trends, follower volume and social mentions; for sales, site traffic, repeat
visits, the acceptance rate of social content and conversions; share of voice; and for the
brand's own program, follower quality, social demographics and the most popular content.
This package computes the ones that were missing, on real shipped data where such data
exist, and says for every number which definition and denominator it used
(:func:`metric_definitions`):

- web (a canonical ``sessions`` table; ``online_shoppers_intention`` ships one):
  :func:`site_traffic`, :func:`repeat_visits`, :func:`conversion_rate` and the sales funnel
  :func:`sales_funnel` / :func:`funnel_summary`, with Wilson intervals, and
  :func:`distinct_sessions` (the sessions without exact repeats);
- the brand's program (a ``posts`` table; ``facebook_metrics`` ships one):
  :func:`follower_growth`, :func:`follower_quality`, :func:`content_acceptance`;
- data no open source provides, from the user's own export or a labelled simulation:
  :func:`search_interest` (``search_trends``) and :func:`audience_profile` (``audience``);
- the readings in plain words a report shows (:func:`rate_sentence`, :func:`group_sentence`,
  :func:`funnel_sentences`, :func:`growth_sentence`, :func:`quality_sentences`,
  :func:`search_sentences`, :func:`audience_sentences`);
- :func:`social_crm_map`: the 5Ms and the business areas, each tied to the functions and
  reports that serve it.

Mentions, share of voice and net sentiment live in :mod:`scrm_lab.listening`, popular
content in :mod:`scrm_lab.engagement.content`, service levels in :mod:`scrm_lab.service`;
the first and the last are re-exported here under their old names.

Examples
--------
>>> import scrm_lab
>>> from scrm_lab import metrics
>>> sessions = scrm_lab.load_dataset("online_shoppers_intention")
>>> rate = metrics.conversion_rate(sessions, by="visitor_type")
>>> rate[["visitor_type", "count", "n", "definition"]]
  visitor_type  count      n       definition
0          new    422   1694  conversion_rate/1
1    returning   1470  10551  conversion_rate/1
2        other     16     85  conversion_rate/1
>>> metrics.share_of_voice is scrm_lab.listening.share_of_voice
True
"""

from scrm_lab.listening import FREQS, mention_volume, net_sentiment, share_of_voice
from scrm_lab.metrics._audience import (
    QUALITY_COLUMNS,
    content_acceptance,
    follower_growth,
    follower_quality,
)
from scrm_lab.metrics._definitions import DEFINITIONS, MetricDefinition, metric_definitions
from scrm_lab.metrics._external import audience_profile, search_interest
from scrm_lab.metrics._funnel import DEFAULT_STAGES, FunnelStage, funnel_summary, sales_funnel
from scrm_lab.metrics._map import social_crm_map
from scrm_lab.metrics._sentences import (
    audience_sentences,
    funnel_sentences,
    group_sentence,
    growth_sentence,
    quality_sentences,
    rate_sentence,
    search_sentences,
)
from scrm_lab.metrics._web import (
    PROPORTION_COLUMNS,
    conversion_rate,
    distinct_sessions,
    repeat_visits,
    site_traffic,
)
from scrm_lab.service import (
    SERVICE_GROUPS,
    SERVICE_METRICS,
    compare_channels,
    service_levels,
    service_threads,
)

__all__ = [
    "DEFAULT_STAGES",
    "DEFINITIONS",
    "FREQS",
    "PROPORTION_COLUMNS",
    "QUALITY_COLUMNS",
    "SERVICE_GROUPS",
    "SERVICE_METRICS",
    "FunnelStage",
    "MetricDefinition",
    "audience_profile",
    "audience_sentences",
    "compare_channels",
    "content_acceptance",
    "conversion_rate",
    "distinct_sessions",
    "follower_growth",
    "follower_quality",
    "funnel_sentences",
    "funnel_summary",
    "group_sentence",
    "growth_sentence",
    "mention_volume",
    "metric_definitions",
    "net_sentiment",
    "quality_sentences",
    "rate_sentence",
    "repeat_visits",
    "sales_funnel",
    "search_interest",
    "search_sentences",
    "service_levels",
    "service_threads",
    "share_of_voice",
    "site_traffic",
    "social_crm_map",
]
