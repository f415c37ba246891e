"""The tracking test of a customer-base model: cumulative repeat purchases, expected and actual.

A cohort's customers each start at their first purchase; by period t, customer i (first
purchase at s_i) is expected to have made E[X(t - s_i)] repeat purchases, the model's
expectation for a new customer. Summed over the cohort and set beside the repeat purchases
in the log, period by period, this is the tracking plot of Fader, Hardie and Lee (2005),
and its last row gives the forecast error of the holdout period.

Examples
--------
>>> from scrm_lab.datasets import load_tables
>>> from scrm_lab.customers import BGNBD
>>> cdnow = load_tables("cdnow")
>>> summary = cdnow["calibration_summary"].rename(columns={"age": "T"})
>>> log = cdnow["transactions"]
>>> log = log[log["customer_id"].isin(summary["customer_id"])]
>>> table = tracking(BGNBD().fit(summary), log, start="1997-01-01",
...                  calibration_end="1997-09-30", observation_end="1998-06-30")
>>> last = table.iloc[-1]
>>> int(last["period"]), last["part"], int(last["cumulative_actual"])
(78, 'holdout', 4339)
>>> round(float(last["cumulative_expected"]), 1)
4160.6
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scrm_lab._checks import COLUMN, Choice, Instance, checks, require_columns
from scrm_lab.customers._summary import UNITS, _day, purchase_days
from scrm_lab.exceptions import ParameterError

_WHEN = Instance((str, pd.Timestamp), "a date such as '1997-09-30'")


@checks(
    transactions=Instance(pd.DataFrame, "a transaction log (pandas DataFrame)"),
    customer=COLUMN,
    time=COLUMN,
    start=_WHEN,
    calibration_end=_WHEN,
    observation_end=_WHEN,
    time_unit=Choice(tuple(UNITS)),
)
def tracking(
    model,
    transactions: pd.DataFrame,
    *,
    start: str | pd.Timestamp,
    calibration_end: str | pd.Timestamp,
    observation_end: str | pd.Timestamp,
    customer: str = "customer_id",
    time: str = "time",
    time_unit: str = "W",
) -> pd.DataFrame:
    """Expected and actual repeat purchases of a cohort, per period from ``start``.

    ``model`` is a fitted model with ``expected_purchases_new(t)`` (BG/NBD, Pareto/NBD).
    Purchases on one day count once, as in :func:`rfm_summary`; only customers whose first
    purchase is on or before ``calibration_end`` are counted.

    Returns
    -------
    pandas.DataFrame
        One row per period: ``period`` (1, 2, ...), ``end`` (its last day), ``part``
        (``calibration`` or ``holdout``), ``actual`` and ``expected`` repeat purchases in
        the period, and their cumulative sums ``cumulative_actual``,
        ``cumulative_expected``. The holdout's forecast error is
        ``cumulative_expected / cumulative_actual - 1`` on the last row, less the same at
        the calibration end.
    """
    require_columns(transactions, [customer, time])
    begin, cut, end = (_day(v, n) for v, n in ((start, "start"), (calibration_end,
                       "calibration_end"), (observation_end, "observation_end")))  # fmt: skip
    if not begin < cut <= end:
        raise ParameterError(
            "The dates of tracking must be in order: start < calibration_end <= "
            f"observation_end. Got {begin.date()}, {cut.date()}, {end.date()}."
        )
    days = purchase_days(transactions[time])
    purchases = pd.DataFrame({"customer": transactions[customer].to_numpy(), "day": days})
    purchases = purchases.drop_duplicates().sort_values(["customer", "day"])
    first = purchases.groupby("customer")["day"].transform("min")
    purchases = purchases[first <= cut]
    first = first[first <= cut]
    repeats = purchases.loc[purchases["day"] > first, "day"]
    unit = UNITS[time_unit]
    n_periods = int(np.floor((end - begin).days / unit + 1e-9)) + 1
    ends = np.array([(p * unit) for p in range(1, n_periods + 1)])  # in days after begin - 1
    starts = (purchases.groupby("customer")["day"].min() - begin).dt.days.to_numpy(float)
    elapsed = (repeats - begin).dt.days.to_numpy(float)
    actual_cumulative = np.array([(elapsed < e).sum() for e in ends])
    expected_cumulative = np.array(
        [
            sum_new(model, np.maximum(e - (starts + 1), 0.0) / unit)
            for e in ends
        ]
    )  # fmt: skip
    table = pd.DataFrame(
        {
            "period": np.arange(1, n_periods + 1),
            "end": [begin + pd.Timedelta(days=float(e) - 1) for e in ends],
            "actual": np.diff(actual_cumulative, prepend=0),
            "expected": np.diff(expected_cumulative, prepend=0.0),
            "cumulative_actual": actual_cumulative,
            "cumulative_expected": expected_cumulative,
        }
    )
    table.insert(2, "part", np.where(table["end"] <= cut, "calibration", "holdout"))
    return table


def sum_new(model, ages: np.ndarray) -> float:
    """The cohort's expected repeat purchases: E[X(age)] summed over its customers."""
    values, counts = np.unique(ages, return_counts=True)
    return float(
        sum(c * model.expected_purchases_new(float(v)) for v, c in zip(values, counts, strict=True))
    )
