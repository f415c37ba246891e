"""Old home of the listening and service measures: re-exports them from where they now live.

Mention volume, share of voice and net sentiment are in :mod:`scrm_lab.listening`; response
times and service levels are in :mod:`scrm_lab.service`. Import them from there.

Examples
--------
>>> from scrm_lab import metrics, listening
>>> metrics.share_of_voice is listening.share_of_voice
True
"""

from scrm_lab.listening import FREQS, mention_volume, net_sentiment, share_of_voice
from scrm_lab.service import (
    SERVICE_GROUPS,
    SERVICE_METRICS,
    compare_channels,
    service_levels,
    service_threads,
)

__all__ = [
    "FREQS",
    "SERVICE_GROUPS",
    "SERVICE_METRICS",
    "compare_channels",
    "mention_volume",
    "net_sentiment",
    "service_levels",
    "service_threads",
    "share_of_voice",
]
