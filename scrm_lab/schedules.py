"""Old home of scheduled reports: re-exports them from where they now live.

See :mod:`scrm_lab.reports.schedules`.

Examples
--------
>>> from scrm_lab import schedules
>>> schedules.run_job.__module__
'scrm_lab.reports.schedules'
"""

from scrm_lab.reports.schedules import *  # noqa: F403
from scrm_lab.reports.schedules import __all__  # noqa: F401
