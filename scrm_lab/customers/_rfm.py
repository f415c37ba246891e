"""Classic RFM scores: recency, frequency and monetary value in quantile bins, and segments.

Examples
--------
>>> import pandas as pd
>>> summary = pd.DataFrame({"frequency": [0, 1, 4, 9, 2], "recency": [0, 3, 20, 38, 30],
...                         "T": [39, 39, 39, 39, 39],
...                         "monetary_value": [None, 10.0, 15.0, 30.0, 12.0]})
>>> rfm_scores(summary)[["R", "F", "M", "cell", "segment"]]
   R  F  M cell              segment
0  1  1  1  111                 lost
1  2  2  2  222                 lost
2  3  4  4  344      loyal customers
3  5  5  5  555            champions
4  4  3  3  433  potential loyalists
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scrm_lab._checks import Instance, Integer, checks, require_columns

#: Segments by the levels of R and F (high: top 40% of scores, low: bottom 40%).
SEGMENTS = {
    ("high", "high"): "champions",
    ("high", "middle"): "potential loyalists",
    ("high", "low"): "recent customers",
    ("middle", "high"): "loyal customers",
    ("middle", "middle"): "needs attention",
    ("middle", "low"): "about to sleep",
    ("low", "high"): "at risk",
    ("low", "middle"): "hibernating",
    ("low", "low"): "lost",
}


def _scores(values: pd.Series, bins: int) -> pd.Series:
    """1..bins by quantile of the average rank: equal values share a score."""
    share = values.rank(method="average") / len(values)
    return np.clip(np.ceil(share * bins), 1, bins).astype(int)


def _level(score: pd.Series, bins: int) -> pd.Series:
    fraction = score / bins
    return pd.Series(
        np.select([fraction > 0.6, fraction > 0.4], ["high", "middle"], "low"), index=score.index
    )


@checks(
    summary=Instance(pd.DataFrame, "a customer summary (frequency, recency, T, monetary_value)"),
    bins=Integer(low=2, high=10),
)
def rfm_scores(summary: pd.DataFrame, bins: int = 5) -> pd.DataFrame:
    """RFM scores of each customer of a summary (:func:`rfm_summary`), with cell and segment.

    ``R`` scores the time since the last purchase (``T - recency``), reversed: the most
    recent customers score ``bins``. ``F`` scores ``frequency``, ``M`` scores
    ``monetary_value`` (a customer without repeat purchases counts as spending 0). Scores
    are quantile bins of the average rank, so customers with equal values share a score and
    a value shared by many (the one-time buyers) can leave a score unused. ``cell`` is the
    three scores as text (``"111"`` to ``"555"``).

    ``segment`` comes from the levels of R and F: high (score above 60% of ``bins``: 4 and 5
    of 5), middle (above 40%: 3 of 5) and low (1 and 2 of 5):

    ========== ===================== ================ ==============
    R \\\\ F     high                  middle           low
    ========== ===================== ================ ==============
    high       champions             potential        recent
                                     loyalists        customers
    middle     loyal customers       needs attention  about to sleep
    low        at risk               hibernating      lost
    ========== ===================== ================ ==============

    Returns
    -------
    pandas.DataFrame
        The summary with ``R``, ``F``, ``M`` (int), ``cell`` and ``segment`` added.
    """
    require_columns(summary, ["frequency", "recency", "T", "monetary_value"])
    scored = summary.copy()
    since_last = summary["T"] - summary["recency"]
    scored["R"] = _scores(-since_last, bins)
    scored["F"] = _scores(summary["frequency"], bins)
    scored["M"] = _scores(summary["monetary_value"].fillna(0.0), bins)
    scored["cell"] = scored["R"].astype(str) + scored["F"].astype(str) + scored["M"].astype(str)
    levels = zip(_level(scored["R"], bins), _level(scored["F"], bins), strict=True)
    scored["segment"] = [SEGMENTS[pair] for pair in levels]
    return scored
