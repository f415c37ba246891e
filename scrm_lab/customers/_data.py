"""The customer-base summary as the models read it: checked arrays, identical rows grouped.

A summary has one row per customer: ``frequency`` (repeat purchase periods), ``recency``
(first to last purchase), ``T`` (first purchase to the end of the calibration period) and,
for the spend model, ``monetary_value`` (mean value of the repeat purchases). The models
refuse a summary they cannot read, naming the row and the value.

Examples
--------
>>> import pandas as pd
>>> summary = pd.DataFrame({"frequency": [2, 0, 2], "recency": [30.4, 0, 30.4],
...                         "T": [38.9, 38.9, 38.9]})
>>> x, t_x, T = summary_arrays(summary)
>>> x.tolist(), t_x.tolist()
([2.0, 0.0, 2.0], [30.4, 0.0, 30.4])
>>> rows, counts = grouped(x, t_x, T)
>>> rows.shape, counts.tolist()
((2, 3), [1.0, 2.0])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scrm_lab._checks import current_function, require_columns
from scrm_lab.exceptions import ParameterError, SchemaError

COLUMNS = ("frequency", "recency", "T")
MONETARY = "monetary_value"


def _refuse(column: str, row: int, value: float, expected: str) -> SchemaError:
    return SchemaError(
        f"The summary given to {current_function()} has {column!r} = {value:g} in row {row}; "
        f"expected {expected}.",
        column=column,
        row=row,
    )


def summary_arrays(summary: pd.DataFrame, *, monetary: bool = False) -> tuple[np.ndarray, ...]:
    """``frequency, recency, T`` (and ``monetary_value``) as float arrays, checked.

    Refused, naming the first offending row (1-based) and its value: a missing or
    non-finite value, a negative value, a non-whole frequency, recency above T, recency
    above 0 with frequency 0 (a repeat purchase must have happened), and, with
    ``monetary``, a spend that is not positive for a customer with repeat purchases or a
    spend given for a customer without one.
    """
    columns = [*COLUMNS, MONETARY] if monetary else list(COLUMNS)
    require_columns(summary, columns)
    arrays = []
    for column in columns:
        values = pd.to_numeric(summary[column], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values)
        if column == MONETARY:  # missing is right for customers without repeat purchases
            bad &= summary["frequency"].to_numpy(dtype=float) > 0
        if bad.any():
            row = int(np.argmax(bad))
            raise _refuse(column, row + 1, values[row], "a finite number")
        arrays.append(values)
    x, t_x, T = arrays[:3]
    for column, values in zip(COLUMNS, arrays[:3], strict=True):
        if (values < 0).any():
            row = int(np.argmax(values < 0))
            raise _refuse(column, row + 1, values[row], "a number >= 0")
    checks = [
        ("frequency", x != np.round(x), x, "a whole number of repeat purchase periods"),
        ("recency", t_x > T * (1 + 1e-9), t_x, "at most T (the last purchase is before the end)"),
        ("recency", (x == 0) & (t_x > 0), t_x, "0 for a customer with frequency 0"),
    ]
    if monetary:
        m = arrays[3]
        checks += [
            (MONETARY, (x > 0) & (m <= 0), m, "a mean spend > 0 for a repeat customer"),
            (MONETARY, (x == 0) & np.isfinite(m) & (m != 0), m,
             "no spend (missing or 0) for a customer without repeat purchases"),
        ]  # fmt: skip
    for column, bad, values, expected in checks:
        if bad.any():
            row = int(np.argmax(bad))
            raise _refuse(column, row + 1, values[row], expected)
    return tuple(arrays)


def require_repeat_purchases(x: np.ndarray) -> None:
    """Refuse a summary without any repeat purchase: the purchase rate then has no maximum."""
    if not (x > 0).any():
        raise ParameterError(
            f"{current_function()} needs customers with repeat purchases (frequency >= 1); "
            "this summary has none, so the purchase rate has no maximum: use a longer "
            "calibration period."
        )


def grouped(*arrays: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of the stacked ``arrays`` and how many customers share each.

    The likelihoods are sums over customers, so identical (frequency, recency, T) rows are
    computed once and weighted by their count: a million customers fit as fast as their
    distinct rows.
    """
    stacked = np.column_stack(arrays)
    rows, counts = np.unique(stacked, axis=0, return_counts=True)
    return rows, counts.astype(float)
