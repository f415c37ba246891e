"""Rubric-based engagement scoring (breadth, depth, score) and the four engagement profiles.

The 2009 ENGAGEMENTdb study (Wetpaint and Altimeter Group) scored the 100 Interbrand 2008
brands on 11 social channels. *Breadth* is the number of channels where a brand is present;
*depth* on a channel is the points earned from the channel's attributes (content freshness,
responsiveness, who takes part...); the *score* is the depth summed over channels. Brands with
7 or more channels are Mavens (above average engagement) or Butterflies (below); brands with
6 or fewer are Selectives (above) or Wallflowers (below).

A scoring method is a :class:`Rubric`, read from YAML (:func:`load_rubric`; the shipped
``engagementdb_2009`` rubric is a documented reconstruction, since the study's points were
never published). :func:`score_engagement` applies a rubric to a long event table (one row per
brand x channel [x period] x attribute) or to a wide ``channel_activity`` table (one row per
brand x channel [x period], one column per attribute). The aggregation is written with
narwhals, so it runs unchanged on a pandas DataFrame and on a DuckDB relation over a Parquet
file larger than memory; only the per-brand result is pandas. :func:`classify_profiles` adds
the profiles under two definitions of "average" (the overall mean score, or the regression
line of score on breadth), :func:`compare_profile_rules` and :func:`profile_rule_crosstab`
set the two side by side, and :func:`check_known_facts` checks a reproduction against every
published fact of the study.

Engagement of content and of customers: :func:`engagement_rate` (per post, with the
denominator named: followers, reach or impressions), :func:`engagement_rate_over_time` (per
brand and channel and period) and :func:`customer_engagement` (weights per kind of action,
exponential recency decay), all written with narwhals too.

How does your company compare? :func:`read_brand_description` reads a brand's channels from a
YAML or CSV file (levels, or raw activity counts that the rubric's ``from_counts`` thresholds
turn into levels), :func:`compare_brand` places it among peers (by default the 100 brands of
the 2009 reconstruction, whose channel data are simulated): score, breadth, rank, percentile,
profiles, nearest brands and the changes that would move it to the next profile; and
:func:`peer_benchmark` places a brand's engagement rate among its peers' under one denominator.

Examples
--------
>>> from scrm_lab.engagement import load_rubric
>>> rubric = load_rubric("engagementdb_2009")
>>> len(rubric.channels), len(rubric.points_table()), rubric.max_score
(11, 55, 132)
"""

from scrm_lab.engagement._compare import BrandComparison, compare_brand
from scrm_lab.engagement._compare_peers import peer_benchmark
from scrm_lab.engagement._compare_read import (
    EXAMPLE_COUNTS_DESCRIPTION,
    EXAMPLE_DESCRIPTION,
    read_brand_description,
)
from scrm_lab.engagement._customers import DEFAULT_ACTION_WEIGHTS, customer_engagement
from scrm_lab.engagement._profiles import (
    PROFILE_RULES,
    PROFILES,
    check_known_facts,
    classify_profiles,
    compare_profile_rules,
    profile_rule_crosstab,
)
from scrm_lab.engagement._rates import (
    DENOMINATORS,
    FREQUENCIES,
    engagement_rate,
    engagement_rate_over_time,
)
from scrm_lab.engagement._rubric import (
    FROM_COUNTS_SUFFIX,
    SCORE_METHODS,
    Attribute,
    Channel,
    Rubric,
    list_rubrics,
    load_rubric,
)
from scrm_lab.engagement._rubric_counts import FromCounts
from scrm_lab.engagement._scoring import score_engagement

__all__ = [
    "Attribute",
    "BrandComparison",
    "Channel",
    "DEFAULT_ACTION_WEIGHTS",
    "DENOMINATORS",
    "EXAMPLE_COUNTS_DESCRIPTION",
    "EXAMPLE_DESCRIPTION",
    "FREQUENCIES",
    "FROM_COUNTS_SUFFIX",
    "FromCounts",
    "PROFILES",
    "PROFILE_RULES",
    "Rubric",
    "SCORE_METHODS",
    "check_known_facts",
    "classify_profiles",
    "compare_brand",
    "compare_profile_rules",
    "customer_engagement",
    "engagement_rate",
    "engagement_rate_over_time",
    "list_rubrics",
    "load_rubric",
    "peer_benchmark",
    "profile_rule_crosstab",
    "read_brand_description",
    "score_engagement",
]
