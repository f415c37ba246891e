"""From a transaction log to the customer-base summary the models read.

One row per customer: ``frequency`` (repeat purchase days), ``recency`` (first to last
purchase) and ``T`` (first purchase to the end of the calibration period), both in
``time_unit``, ``monetary_value`` (mean spend of the repeat purchase days), and, when a
calibration end is given, the holdout: ``frequency_holdout``, ``monetary_value_holdout``
and ``duration_holdout``. Purchases on the same calendar day count as one (as in Fader,
Hardie and Lee's CDNOW summary), their values summed.

Examples
--------
>>> import pandas as pd
>>> log = pd.DataFrame({
...     "customer_id": ["a", "a", "a", "b"],
...     "time": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-08", "2024-01-15"]),
...     "amount": [10.0, 5.0, 7.0, 3.0]})
>>> rfm_summary(log, observation_end="2024-01-29")
  customer_id  frequency  recency    T  monetary_value
0           a          1      1.0  4.0            12.0
1           b          0      0.0  2.0             NaN
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scrm_lab._checks import COLUMN, Choice, Instance, OrNone, brief, checks, require_columns
from scrm_lab.exceptions import ParameterError, SchemaError

#: Length of each ``time_unit`` in days.
UNITS = {"D": 1.0, "W": 7.0, "M": 365.25 / 12, "Y": 365.25}
_WHEN = OrNone(Instance((str, pd.Timestamp), "a date such as '1997-09-30'"))


@checks(
    transactions=Instance(pd.DataFrame, "a transaction log (pandas DataFrame)"),
    customer=COLUMN,
    time=COLUMN,
    value=COLUMN,
    observation_end=_WHEN,
    calibration_end=_WHEN,
    time_unit=Choice(tuple(UNITS)),
)
def rfm_summary(
    transactions: pd.DataFrame,
    *,
    customer: str = "customer_id",
    time: str = "time",
    value: str = "amount",
    observation_end: str | pd.Timestamp | None = None,
    calibration_end: str | pd.Timestamp | None = None,
    time_unit: str = "W",
) -> pd.DataFrame:
    """The customer-base summary of a transaction log (see the module docstring).

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per transaction (the canonical ``transactions`` table).
    customer, time, value : str
        Columns of the customer id, the transaction time and its value.
    observation_end : date, optional
        End of the data; by default the last transaction's day.
    calibration_end : date, optional
        End of the calibration period: the summary covers purchases up to it (customers
        whose first purchase is later are left out), and the holdout columns count those
        after it, up to ``observation_end``.
    time_unit : {"D", "W", "M", "Y"}, default "W"
        Unit of ``recency``, ``T`` and ``duration_holdout`` (days, weeks, months of 365.25 / 12
        days, years).

    Returns
    -------
    pandas.DataFrame
        ``customer_id`` (named as ``customer``), ``frequency``, ``recency``, ``T``,
        ``monetary_value``, and the three holdout columns with ``calibration_end``.
    """
    require_columns(transactions, [customer, time, value])
    stamps = pd.to_datetime(transactions[time], errors="coerce", utc=True)
    if stamps.isna().any():
        row = int(np.argmax(stamps.isna().to_numpy()))
        raise SchemaError(
            f"rfm_summary: column {time!r} has {brief(transactions[time].iloc[row])} in row "
            f"{row + 1}; expected a time.", column=time, row=row + 1,
        )  # fmt: skip
    days = stamps.dt.tz_convert(None).dt.normalize()
    amounts = pd.to_numeric(transactions[value], errors="coerce")
    if not np.isfinite(amounts.to_numpy(dtype=float)).all():
        row = int(np.argmax(~np.isfinite(amounts.to_numpy(dtype=float))))
        raise SchemaError(
            f"rfm_summary: column {value!r} has {brief(transactions[value].iloc[row])} in row "
            f"{row + 1}; expected a finite amount.", column=value, row=row + 1,
        )  # fmt: skip
    daily = (
        pd.DataFrame({customer: transactions[customer].to_numpy(), "day": days, "value": amounts})
        .groupby([customer, "day"], sort=True, observed=True)["value"]
        .sum()
        .reset_index()
    )
    end = (
        _day(observation_end, "observation_end")
        if observation_end is not None
        else daily["day"].max()
    )
    cut = _day(calibration_end, "calibration_end") if calibration_end is not None else end
    if cut > end:
        raise ParameterError(
            f"The 'calibration_end' parameter of rfm_summary ({cut.date()}) must not be after "
            f"the observation end ({end.date()})."
        )
    daily = daily[daily["day"] <= end]
    unit = UNITS[time_unit]
    calibration = daily[daily["day"] <= cut]
    grouped = calibration.groupby(customer, sort=True)
    first, last = grouped["day"].min(), grouped["day"].max()
    summary = pd.DataFrame(
        {
            "frequency": grouped.size() - 1,
            "recency": (last - first).dt.days / unit,
            "T": (cut - first).dt.days / unit,
        }
    )
    repeat = calibration[calibration["day"] > calibration[customer].map(first)]
    summary["monetary_value"] = repeat.groupby(customer)["value"].mean()
    if calibration_end is not None:
        holdout = daily[(daily["day"] > cut) & daily[customer].isin(summary.index)]
        summary["frequency_holdout"] = holdout.groupby(customer).size()
        summary["frequency_holdout"] = summary["frequency_holdout"].fillna(0).astype(int)
        summary["monetary_value_holdout"] = holdout.groupby(customer)["value"].mean()
        summary["duration_holdout"] = (end - cut).days / unit
    return summary.rename_axis(customer).reset_index()


def _day(value: str | pd.Timestamp, name: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError) as err:
        raise ParameterError(
            f"The {name!r} parameter of rfm_summary must be a date such as '1997-09-30'. "
            f"Got {value!r} instead."
        ) from err
    return (stamp.tz_convert(None) if stamp.tzinfo else stamp).normalize()
