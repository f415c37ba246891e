"""The Wilson score interval of a proportion, in one place (statsmodels computes it).

Examples
--------
>>> low, high = wilson([5, 0], [100, 0], alpha=0.05)
>>> [round(float(v), 4) for v in low], bool(np.isnan(high[1]))
([0.0215, nan], True)
"""

from __future__ import annotations

import numpy as np
from statsmodels.stats.proportion import proportion_confint


def wilson(count, nobs, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of ``count / nobs`` at level ``1 - alpha``; NaN where nobs is 0.

    Scalars give 0-d arrays (``float(low)`` reads them); arrays are computed elementwise.
    """
    count = np.asarray(count, dtype="float64")
    nobs = np.asarray(nobs, dtype="float64")
    low = np.full(np.broadcast(count, nobs).shape, np.nan)
    high = low.copy()
    ok = np.broadcast_to(nobs > 0, low.shape)
    if ok.any():
        counts, trials = np.broadcast_to(count, low.shape), np.broadcast_to(nobs, low.shape)
        low[ok], high[ok] = proportion_confint(counts[ok], trials[ok], alpha=alpha, method="wilson")
    return low, high
