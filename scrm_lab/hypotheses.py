"""Old home of the engagement-revenue study: re-exports it from where it now lives.

See :mod:`scrm_lab.studies.engagement_revenue`.

Examples
--------
>>> from scrm_lab import hypotheses, studies
>>> hypotheses.engagement_revenue_data is studies.engagement_revenue.engagement_revenue_data
True
"""

from scrm_lab.studies.engagement_revenue import *  # noqa: F403
from scrm_lab.studies.engagement_revenue import __all__  # noqa: F401
