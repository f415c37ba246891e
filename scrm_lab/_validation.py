"""Shared helpers for refusing bad parameters with the house message template."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from scrm_lab.exceptions import ParameterError


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
