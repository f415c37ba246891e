"""Shared helpers for refusing bad parameters with the house message template."""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Sequence

import numpy as np
import pandas as pd

from scrm_lab.exceptions import ParameterError, SchemaError


def suggest(value: object, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(value), list(options), n=1, cutoff=0.6)
    return f" Did you mean {close[0]!r}?" if close else ""


def one_of(function: str, name: str, value: object, options: Sequence[str]) -> None:
    """The house template for a parameter that must be one of a few strings."""
    if not isinstance(value, str) or value not in options:
        raise ParameterError(
            f"The {name!r} parameter of {function} must be one of {list(options)}. "
            f"Got {value!r} instead.{suggest(value, options)}"
        )


def show_value(value: object) -> str:
    """A value as a message shows it: names quoted, whole numbers without ".0", dates."""
    if isinstance(value, pd.Timestamp | np.datetime64):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else str(stamp)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


def require_columns(data: pd.DataFrame, columns: Sequence[str], function: str) -> None:
    """Refuse a non-DataFrame, or a missing column (listing the available ones)."""
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(
            f"The 'data' parameter of {function} must be a pandas DataFrame. "
            f"Got {type(data).__name__} instead."
        )
    available = [str(c) for c in data.columns]
    for column in columns:
        if column not in data.columns:
            close = difflib.get_close_matches(column, available, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise SchemaError(
                f"{function}: column '{column}' is not in the data; available columns: "
                f"{', '.join(map(repr, available))}.{hint}",
                column=column,
            )


def numeric_column(data: pd.DataFrame, column: str, function: str) -> pd.Series:
    """The column as float64; refused (naming it) unless its dtype is numeric, not bool."""
    values = data[column]
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise SchemaError(
            f"{function}: column '{column}' has dtype {values.dtype}; expected numbers",
            column=column,
        )
    return values.astype("float64")


def check_alpha(alpha: object, function: str, name: str = "alpha") -> float:
    """Refuse a significance level outside (0, 1); return it as a float."""
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or not 0 < alpha < 1:
        raise ParameterError(
            f"The {name!r} parameter of {function} must be a number strictly between 0 and 1. "
            f"Got {alpha!r} instead."
        )
    return float(alpha)


def check_level(ci: float, function: str) -> None:
    """Refuse a confidence level outside (0, 1)."""
    if not isinstance(ci, float | int) or not 0 < ci < 1:
        raise ParameterError(
            f"The 'ci' parameter of {function} must be a number strictly between 0 and 1. "
            f"Got {ci!r} instead."
        )


def check_int(value: object, name: str, function: str, low: int) -> int:
    """Refuse anything but a whole number (not a bool) at least ``low``; return it as an int."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < low:
        raise ParameterError(
            f"The {name!r} parameter of {function} must be an integer >= {low}. "
            f"Got {value!r} instead."
        )
    return int(value)


def check_interval(
    value: object,
    name: str,
    function: str,
    low: float,
    high: float,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Refuse anything but a real number (not a bool) in the interval; return it as a float.

    The message writes the interval as ``(0, 0.5]``: round brackets for an open end.
    """
    is_real = isinstance(value, numbers.Real) and not isinstance(value, bool)
    inside = is_real and (
        (low < value if low_open else low <= value)
        and (value < high if high_open else value <= high)
    )
    if not inside:
        shown = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        raise ParameterError(
            f"The {name!r} parameter of {function} must be a number in {shown}. "
            f"Got {value!r} instead."
        )
    return float(value)


def column_values(data: pd.DataFrame, column: object, function: str, name: str) -> pd.Series:
    """The numeric column named by parameter ``name``, as float64; refused with both named."""
    if not isinstance(column, str) or not column:
        raise ParameterError(
            f"The {name!r} parameter of {function} must be a column name (a non-empty str). "
            f"Got {column!r} instead."
        )
    require_columns(data, [column], function)
    return numeric_column(data, column, function)


def check_real(
    value: object, name: str, func: str, low: float, high: float = math.inf, *,
    strict_low: bool = False,
) -> float:  # fmt: skip
    """Refuse anything but a finite real number (not a bool) >= ``low`` (> with ``strict_low``)."""
    is_real = isinstance(value, numbers.Real) and not isinstance(value, bool)
    too_low = is_real and (value <= low if strict_low else value < low)
    if not is_real or not math.isfinite(value) or too_low or value > high:
        bounds = f"{'>' if strict_low else '>='} {low:g}"
        bounds += f" and <= {high:g}" if high < math.inf else ""
        raise ParameterError(
            f"The {name!r} parameter of {func} must be a finite number {bounds}. "
            f"Got {value!r} instead."
        )
    return float(value)


def check_business_hours(value: object, func: str) -> tuple[int, int]:
    """``business_hours`` as (open, close) whole hours, refused unless 0 <= open < close <= 24."""
    ok = (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and len(value) == 2
        and all(isinstance(h, numbers.Integral) and not isinstance(h, bool) for h in value)
        and 0 <= value[0] < value[1] <= 24
    )
    if not ok:
        raise ParameterError(
            f"The 'business_hours' parameter of {func} must be two whole hours (open, close) "
            f"with 0 <= open < close <= 24. Got {value!r} instead."
        )
    return int(value[0]), int(value[1])


def renamed(old: str, new: str, value: object, function: str, *, stacklevel: int = 3) -> object:
    """Warn that keyword ``old`` of ``function`` is now ``new``; return ``value`` unchanged.

    Old keyword names keep working for one minor version with a FutureWarning that names the
    new one. Call it only when the old keyword was given; ``stacklevel`` 3 points at the
    caller of ``function``.
    """
    import warnings

    warnings.warn(
        f"The {old!r} parameter of {function} is renamed {new!r}; "
        f"{old!r} will stop working in the next minor version. Use {new}= instead.",
        FutureWarning,
        stacklevel=stacklevel,
    )
    return value
