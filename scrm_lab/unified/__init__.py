"""The customer seen whole: one customer across channels, an audit trail, segments.

Built on identity resolution (:mod:`scrm_lab.identity`), customer value
(:mod:`scrm_lab.customers`), listening, service and the network module, which sit one layer
below: this package joins what they compute for the same person.
"""

from __future__ import annotations

__all__: list[str] = []
