"""Old home of content performance and the Moro et al. (2016) checks: re-exports them.

Content performance now lives in :mod:`scrm_lab.engagement.content` and the Moro et al.
checks in :mod:`scrm_lab.studies.moro_2016`; import them from there.

Examples
--------
>>> from scrm_lab import content
>>> content.moro_headline.__module__
'scrm_lab.studies.moro_2016'
"""

from scrm_lab.engagement.content import *  # noqa: F403
from scrm_lab.engagement.content import __all__ as _content
from scrm_lab.studies.moro_2016 import *  # noqa: F403
from scrm_lab.studies.moro_2016 import __all__ as _moro

__all__ = [*_content, *_moro]
