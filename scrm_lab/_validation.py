"""Shared helpers for refusing bad parameters with the house message template."""

from __future__ import annotations

import difflib
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
