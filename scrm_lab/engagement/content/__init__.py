"""Content performance: which posts, types, hours and weekdays earn attention, with CIs.

- measures (``_performance``): :func:`post_performance` (one row per post with its rate, the
  denominator named, and ``content_type``, ``paid``, ``hour``, ``weekday``), :func:`top_posts`,
  :func:`performance_by` (mean per group with a BCa bootstrap interval) and
  :func:`paid_vs_organic` (the paid - organic gap, raw and with the content type held fixed);
- the report (``_report``): :func:`performance_measure`, :func:`measure_sentences`,
  :func:`best_group`, :func:`type_sentences` (with :data:`TIMING_NOTES`),
  :func:`paid_sentences` and :func:`key_results`.

The published headline of Moro, Rita & Vala (2016) is checked in :mod:`scrm_lab.studies.moro_2016`.

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> performance = post_performance(load_dataset("facebook_metrics"), denominator="reach")
>>> performance["content_type"].value_counts().to_dict()
{'photo': 426, 'status': 45, 'link': 22, 'video': 7}
"""

from scrm_lab.engagement.content._performance import (
    CI_METHODS,
    GROUPS,
    paid_vs_organic,
    performance_by,
    post_performance,
    top_posts,
)
from scrm_lab.engagement.content._report import (
    TIMING_NOTES,
    best_group,
    key_results,
    measure_sentences,
    paid_sentences,
    performance_measure,
    type_sentences,
)

__all__ = [
    "CI_METHODS",
    "GROUPS",
    "TIMING_NOTES",
    "best_group",
    "key_results",
    "measure_sentences",
    "paid_sentences",
    "paid_vs_organic",
    "performance_by",
    "performance_measure",
    "post_performance",
    "top_posts",
    "type_sentences",
]
