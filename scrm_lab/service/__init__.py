"""Social customer service from message threads: response times, service levels, the report.

- measures (``_threads``): :func:`service_threads` (one row per customer thread: first
  response, resolution, business hours), :func:`service_levels` (answered share, median first
  response with an order-statistic interval, share within the SLA with a Wilson interval, per
  group) and :func:`compare_channels` (slow minus fast median, bootstrap and Mann-Whitney U);
  :func:`service_threads` reads the messages as a pandas DataFrame, a DuckDB relation or a
  PySpark DataFrame (checks, thread openers and per-thread counts run on that backend,
  ``_thread_roots``) and returns the small thread table as pandas;
- the report (``_report``): :func:`report_levels`, :func:`channel_gap`, :func:`first_threads`,
  :func:`key_results` and the sentences :func:`data_sentences`,
  :func:`channel_sentences`, :func:`hours_sentences`, :func:`sla_sentences`,
  :func:`gap_sentences`.

Examples
--------
>>> from scrm_lab.synth import simulate_service_threads
>>> threads = service_threads(simulate_service_threads(n_threads=400).messages)
>>> service_levels(threads, by="all")[["n", "answered"]]
     n  answered
0  400       362
"""

from scrm_lab.service._report import (
    LEVEL_COLUMNS,
    OVERALL_COLUMNS,
    channel_gap,
    channel_sentences,
    data_sentences,
    first_threads,
    gap_sentences,
    hours_sentences,
    key_results,
    report_levels,
    sla_sentences,
)
from scrm_lab.service._threads import (
    SERVICE_GROUPS,
    SERVICE_METRICS,
    compare_channels,
    service_levels,
    service_threads,
)

__all__ = [
    "LEVEL_COLUMNS",
    "OVERALL_COLUMNS",
    "SERVICE_GROUPS",
    "SERVICE_METRICS",
    "channel_gap",
    "channel_sentences",
    "compare_channels",
    "data_sentences",
    "first_threads",
    "gap_sentences",
    "hours_sentences",
    "key_results",
    "report_levels",
    "service_levels",
    "service_threads",
    "sla_sentences",
]
