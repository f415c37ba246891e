"""Silence, narrowly, third-party warnings that are not the user's business.

PySpark 4 warns that it "does not yet fully support pandas >= 3.0.0" each time one of its
pandas bridges is imported or used. pandera imports ``pyspark.pandas`` when PySpark is
installed, so without this filter the warning (with the environment's path) would land in
every report page and CLI call. PySpark's own Arrow bridge also calls ``astype(copy=False)``,
which pandas 3 deprecates. Each filter matches one message raised from PySpark's modules
only, so our own warnings and every other one still show.

Examples
--------
>>> import warnings
>>> import scrm_lab._quiet
>>> with warnings.catch_warnings(record=True) as seen:
...     warnings.simplefilter("default")
...     scrm_lab._quiet.install()
...     warnings.warn_explicit(
...         "PySpark does not yet fully support pandas >= 3.0.0.", FutureWarning,
...         "utils.py", 62, module="pyspark.sql.pandas.utils")
>>> seen
[]
"""

from __future__ import annotations

import warnings

#: (message, category) of each silenced warning, all from modules under ``pyspark``.
SILENCED = (
    (r"PySpark does not yet fully support pandas", FutureWarning),
    (r"The copy keyword is deprecated", DeprecationWarning),
)


def install() -> None:
    """Add the filters (idempotent: ``warnings`` drops an exact duplicate)."""
    for message, category in SILENCED:
        warnings.filterwarnings("ignore", message=message, category=category, module=r"pyspark\.")


install()
