"""Customer lifetime value: expected purchases x expected spend x margin, discounted.

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> from scrm_lab.customers import BGNBD, GammaGamma
>>> cdnow = load_dataset("cdnow", table="calibration_summary").rename(
...     columns={"age": "T", "mean_repeat_value": "monetary_value"})
>>> value = customer_lifetime_value(BGNBD().fit(cdnow), GammaGamma().fit(cdnow), cdnow,
...                                 horizon=52, period=4, discount_rate=0.01, margin=0.3)
>>> list(value.columns)
['expected_purchases', 'expected_spend', 'clv']
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from scrm_lab._checks import Instance, Real, checks

_SUMMARY = Instance(pd.DataFrame, "a customer summary (frequency, recency, T, monetary_value)")


@checks(
    summary=_SUMMARY,
    horizon=Real(low=0, low_open=True),
    period=Real(low=0, low_open=True),
    discount_rate=Real(low=0, high=1),
    margin=Real(low=0, high=1, low_open=True),
)
def customer_lifetime_value(
    transaction_model,
    spend_model,
    summary: pd.DataFrame,
    *,
    horizon: float,
    period: float = 1.0,
    discount_rate: float = 0.0,
    margin: float = 1.0,
) -> pd.DataFrame:
    """Each customer's expected value over the next ``horizon``, discounted per ``period``.

    The horizon is cut into periods of length ``period`` (in the summary's time unit; the
    last may be shorter). The purchases expected in period k, from ``transaction_model``
    (a fitted :class:`BGNBD` or :class:`ParetoNBD`: ``E[X(k period)] - E[X((k-1)
    period)]`` given the customer's history) are valued at the spend expected from
    ``spend_model`` (a fitted :class:`GammaGamma`), times ``margin``, and discounted by
    ``(1 + discount_rate) ** k``; the value is their sum. This is the discrete form
    lifetimes uses; with no discount it is purchases x spend x margin.

    Returns
    -------
    pandas.DataFrame
        One row per customer, in the summary's order and index: ``expected_purchases``
        over the horizon, ``expected_spend`` per purchase and ``clv``.
    """
    x, t_x, T = (summary[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    spend = np.asarray(
        spend_model.conditional_expected_value(x, summary["monetary_value"].to_numpy(float)),
        dtype=float,
    )
    steps = math.ceil(horizon / period - 1e-12)
    ends = np.minimum(np.arange(1, steps + 1) * period, horizon)
    cumulative = np.vstack(
        [np.zeros_like(x)]
        + [np.asarray(transaction_model.expected_purchases(e, x, t_x, T), float) for e in ends]
    )
    per_period = np.diff(cumulative, axis=0)
    discounts = (1 + discount_rate) ** -np.arange(1, steps + 1)
    value = margin * spend * (discounts @ per_period)
    return pd.DataFrame(
        {"expected_purchases": cumulative[-1], "expected_spend": spend, "clv": value},
        index=summary.index,
    )
