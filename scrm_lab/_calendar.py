"""Business hours: whether local times fall on a business day within opening hours.

Shared by the service-thread simulator (slower replies off hours) and the service levels
(:mod:`scrm_lab.service`), which split threads by whether they opened in business hours.

Examples
--------
>>> import pandas as pd
>>> times = pd.Series(
...     pd.to_datetime(["2026-12-01 09:30", "2026-12-01 20:00", "2026-12-05 10:00"])
... )
>>> in_business_hours(times, (9, 17), weekends=False).tolist()
[True, False, False]
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def in_business_hours(times: pd.Series, hours: tuple[int, int], weekends: bool) -> np.ndarray:
    """Whether each local time falls on a business day in ``[open, close)`` o'clock."""
    clock = times.dt.hour + times.dt.minute / 60 + times.dt.second / 3600
    day = np.ones(len(times), bool) if weekends else (times.dt.day_of_week < 5).to_numpy()
    return day & ((clock >= hours[0]) & (clock < hours[1])).to_numpy()
