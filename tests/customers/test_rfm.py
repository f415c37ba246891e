"""rfm_scores: quantile bins checked against pandas.qcut, ties, segments and refusals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scrm_lab.customers import SEGMENTS, rfm_scores
from scrm_lab.exceptions import ParameterError, SchemaError


def summary_of(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    T = np.full(n, 39.0)
    recency = rng.permutation(np.linspace(0.5, 38.5, n))
    return pd.DataFrame(
        {
            "frequency": rng.permutation(np.arange(1, n + 1)),
            "recency": recency,
            "T": T,
            "monetary_value": rng.permutation(np.linspace(5, 500, n)),
        }
    )


@pytest.mark.parametrize("bins", [3, 5, 10])
def test_distinct_values_are_binned_as_pandas_qcut_bins_them(bins):
    summary = summary_of(60)  # divisible by every bins: no quantile edge between two ranks
    scored = rfm_scores(summary, bins=bins)
    labels = list(range(1, bins + 1))
    assert scored["F"].tolist() == pd.qcut(summary["frequency"], bins, labels=labels).tolist()
    assert scored["M"].tolist() == pd.qcut(summary["monetary_value"], bins, labels=labels).tolist()
    since_last = summary["T"] - summary["recency"]
    assert scored["R"].tolist() == pd.qcut(-since_last, bins, labels=labels).tolist()
    assert (scored["cell"] == scored[["R", "F", "M"]].astype(str).agg("".join, axis=1)).all()


def test_equal_values_share_a_score_and_no_spend_counts_as_zero():
    summary = pd.DataFrame(
        {"frequency": [0, 0, 0, 2, 5], "recency": [0, 0, 0, 10, 30], "T": [39] * 5,
         "monetary_value": [np.nan, np.nan, np.nan, 20.0, 40.0]}
    )  # fmt: skip
    scored = rfm_scores(summary)
    assert scored["F"].tolist()[:3] == [2, 2, 2]  # average rank 2 of 5: the 2nd quintile
    assert scored["M"].tolist()[:3] == [2, 2, 2] and scored["M"].tolist()[3:] == [4, 5]


def test_segments_follow_the_documented_grid():
    # 25 customers, one per (R quintile, F quintile) pair: every cell of the grid is filled
    pairs = [(i, j) for i in range(5) for j in range(5)]
    summary = pd.DataFrame(
        {
            "frequency": [5 * j + i + 1 for i, j in pairs],
            "recency": [39.0 - (5 * i + j + 1) for i, j in pairs],  # since last: 5i + j + 1
            "T": 39.0,
            "monetary_value": 10.0,
        }
    )
    scored = rfm_scores(summary)
    assert sorted(zip(scored["R"], scored["F"], strict=True)) == sorted(
        (5 - i, j + 1) for i, j in pairs
    )

    def level(score: int) -> str:
        return "high" if score >= 4 else "middle" if score == 3 else "low"

    pairs_scored = zip(scored["R"], scored["F"], strict=True)
    assert scored["segment"].tolist() == [SEGMENTS[(level(r), level(f))] for r, f in pairs_scored]
    assert set(scored["segment"]) == set(SEGMENTS.values())
    champions = scored[scored["segment"] == "champions"]
    assert ((champions["R"] >= 4) & (champions["F"] >= 4)).all() and len(champions) == 4


def test_refusals():
    with pytest.raises(ParameterError, match=r"'bins' parameter of rfm_scores must be an integer"):
        rfm_scores(summary_of(10), bins=1)
    with pytest.raises(SchemaError, match=r"column 'monetary_value' is not in the data"):
        rfm_scores(summary_of(10).drop(columns="monetary_value"))
