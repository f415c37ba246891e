"""The customer seen whole: one customer across channels, an audit trail, segments, value.

Built on identity resolution (:mod:`scrm_lab.identity`), customer value
(:mod:`scrm_lab.customers`), listening, service and the network module, which sit one layer
below: this package joins what they compute for the same person.

Inside: ``_store`` (:class:`InteractionStore`: the append-only audit trail of every
interaction, a folder of Parquet files read through DuckDB; loading the same records twice
changes nothing, a changed record becomes a new version), ``_history``
(:func:`customer_history`: one unified customer's interactions across channels in time
order, with source system and record id), ``_view`` (:func:`customer_view`: one row per
customer with CRM attributes, handles, social activity, influence, service, RFM and CLV as
of a time; the value columns in ``_view_value``), ``_segment_rules``
(:func:`load_segments`: segment definitions read from YAML and checked), ``_segment_eval``
(:func:`segment_membership`: the rules evaluated per customer and period on pandas, DuckDB
or Spark), ``_segment_kpis`` (:func:`segment_kpis`: KPIs with intervals, aggregated on the
same backends), ``_segments`` (transitions, a segment against the rest),
``_added_value`` (:func:`social_added_value`: does social data add to what purchase
history predicts? nested models out of sample; its table from the canonical tables in
``_added_value_data``) and ``_report`` (the social customer view report's tables and
sentences: notebooks/social_customer_view.ipynb).

Examples
--------
>>> load_segments("default").names[:2]
('social_champions', 'at_risk_complainers')
"""

from __future__ import annotations

from scrm_lab.unified._added_value import PUBLIC_DATA_CAVEAT, AddedValue, social_added_value
from scrm_lab.unified._added_value_data import added_value_table
from scrm_lab.unified._history import HISTORY_COLUMNS, customer_history
from scrm_lab.unified._report import (
    TABLE_FILES,
    ReportData,
    added_value_comparison,
    effect_recovered,
    features_by_period,
    link_counts,
    linkage_sentences,
    period_ends,
    pseudonymized,
    report_data,
    showcase_customer,
)
from scrm_lab.unified._segment_rules import (
    OPERATORS,
    Rule,
    Segment,
    SegmentDefinitions,
    list_segment_files,
    load_segments,
)
from scrm_lab.unified._segments import (
    compare_segment,
    segment_kpis,
    segment_membership,
    segment_transitions,
    transition_matrix,
)
from scrm_lab.unified._store import EVENT_COLUMNS, IngestResult, InteractionStore
from scrm_lab.unified._view import CustomerView, customer_view, link_table_from_truth

__all__ = [
    "EVENT_COLUMNS",
    "HISTORY_COLUMNS",
    "OPERATORS",
    "PUBLIC_DATA_CAVEAT",
    "TABLE_FILES",
    "AddedValue",
    "CustomerView",
    "IngestResult",
    "InteractionStore",
    "ReportData",
    "Rule",
    "Segment",
    "SegmentDefinitions",
    "added_value_comparison",
    "added_value_table",
    "compare_segment",
    "customer_history",
    "customer_view",
    "effect_recovered",
    "features_by_period",
    "link_counts",
    "linkage_sentences",
    "link_table_from_truth",
    "list_segment_files",
    "load_segments",
    "period_ends",
    "pseudonymized",
    "report_data",
    "segment_kpis",
    "segment_membership",
    "segment_transitions",
    "showcase_customer",
    "social_added_value",
    "transition_matrix",
]
