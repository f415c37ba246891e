"""The course's map of social CRM: the 5Ms and the business areas, each tied to the workbench.

Examples
--------
>>> table = social_crm_map()
>>> table.loc[table["kind"] == "5M", "name"].tolist()
['Monitoring', 'Mapping', 'Management', 'Middleware', 'Measurement']
"""

from __future__ import annotations

import pandas as pd

_ROWS = (
    ("5M", "Monitoring",
     "Listening to what customers say about the brand and its rivals, in public.",
     "listening.mention_volume, listening.share_of_voice, listening.net_sentiment, "
     "listening.complaint_reasons, listening.detect_spikes, listening.conversation_topics",
     "social_listening, social_crm_metrics"),
    ("5M", "Mapping",
     "Finding who talks to whom and who matters: the social graph of customers.",
     "network.build_graph, network.influence_scores, network.find_communities, "
     "network.bridges, network.advocates",
     "influencers_and_advocates"),
    ("5M", "Management",
     "Running the program: content, engagement and service with the people found.",
     "content.post_performance, engagement.score_engagement, engagement.classify_profiles, "
     "service.service_threads, service.service_levels, unified.load_segments",
     "content_performance, social_customer_service, compare_your_brand"),
    ("5M", "Middleware",
     "Getting social data into the customer record: exports, identities, one view.",
     "io.read_table (presets x_api_v2, meta_post_insights, listening_export), "
     "identity.link_identities, unified.InteractionStore, unified.customer_view",
     "social_customer_view"),
    ("5M", "Measurement",
     "Metrics with stated definitions and intervals, and claims tested against data.",
     "metrics.metric_definitions, metrics.conversion_rate, metrics.sales_funnel, "
     "metrics.follower_quality, metrics.content_acceptance, engagement.compare_brand, "
     "engagement.peer_benchmark, models.*",
     "social_crm_metrics, compare_your_brand, engagement_vs_revenue, method_benchmark"),
    ("business area", "Marketing",
     "Awareness and preference: traffic, search interest, followers, mentions, share of voice.",
     "metrics.site_traffic, metrics.search_interest, metrics.follower_growth, "
     "listening.share_of_voice",
     "social_crm_metrics, social_listening"),
    ("business area", "Sales",
     "The funnel from visit to purchase, repeat visits and conversions.",
     "metrics.sales_funnel, metrics.repeat_visits, metrics.conversion_rate, "
     "customers.rfm_scores, customers.BGNBD, customers.customer_lifetime_value",
     "social_crm_metrics, customer_value"),
    ("business area", "Service and support",
     "Answering customers where they ask, quickly, without fighting.",
     "service.service_threads, service.service_levels, service.compare_channels",
     "social_customer_service"),
    ("business area", "Innovation",
     "Ideas from what customers talk about: the topics of their conversations.",
     "listening.conversation_topics, listening.topic_stability",
     "social_crm_metrics"),
    ("business area", "Collaboration",
     "Customers and communities helping each other and the brand: advocates, communities.",
     "network.find_communities, network.advocates, network.simulate_cascades",
     "influencers_and_advocates"),
    ("business area", "Customer experience",
     "The customer seen whole across channels: history, value, segments.",
     "unified.customer_history, unified.customer_view, unified.segment_membership, "
     "unified.social_added_value",
     "social_customer_view, customer_value"),
)  # fmt: skip


def social_crm_map() -> pd.DataFrame:
    """The 5Ms and the business areas of social CRM, each with the workbench parts serving it.

    Returns
    -------
    pandas.DataFrame
        Columns ``kind`` (``"5M"`` or ``"business area"``), ``name``, ``what_it_means``,
        ``functions`` (scrm_lab functions, by subpackage) and ``notebooks`` (reports).
    """
    return pd.DataFrame(_ROWS, columns=["kind", "name", "what_it_means", "functions", "notebooks"])
