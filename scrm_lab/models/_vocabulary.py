"""The shared result vocabulary of the models package, declared once.

One list of multiple-testing adjustments for every function with ``adjust=``, and the
``clear`` column of effect tables (the interval excludes the null value). The vocabulary
itself is described in the :mod:`scrm_lab.models` docstring.

Examples
--------
>>> clear_column([0.1, -0.5, float("nan")], [0.4, 0.2, 1.0]).tolist()
[True, False, False]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scrm_lab._checks import renamed
from scrm_lab.exceptions import ParameterError

__all__ = ["ADJUST_METHODS", "clear_column", "new_or_old"]

#: Multiple-testing corrections (statsmodels ``multipletests`` names) and ``"none"``,
#: accepted by every function that takes ``adjust=``.
ADJUST_METHODS = (
    "holm",
    "bonferroni",
    "sidak",
    "holm-sidak",
    "simes-hochberg",
    "hommel",
    "fdr_bh",
    "fdr_by",
    "fdr_tsbh",
    "fdr_tsbky",
    "none",
)


def clear_column(
    low: Sequence[float] | np.ndarray | pd.Series,
    high: Sequence[float] | np.ndarray | pd.Series,
    null: float = 0.0,
) -> np.ndarray:
    """True where the interval [low, high] excludes ``null`` (0, or 1 for ratios).

    A missing bound gives False: an interval that cannot be computed excludes nothing.
    """
    low = np.asarray(low, dtype="float64")
    high = np.asarray(high, dtype="float64")
    with np.errstate(invalid="ignore"):
        return np.asarray((low > null) | (high < null), dtype=bool)


def new_or_old(function: str, new: str, new_value: object, old: str, old_value: object) -> object:
    """The value of a renamed, required keyword: ``new``, or the deprecated ``old`` (warned).

    Refuses both given, and neither given.
    """
    if old_value is not None:
        if new_value is not None:
            raise ParameterError(
                f"The {new!r} parameter of {function} was given together with its old name "
                f"{old!r}. Give only {new!r}."
            )
        return renamed(old, new, old_value, function, stacklevel=4)
    if new_value is None:
        raise ParameterError(
            f"The {new!r} parameter of {function} must be a column name. Got None instead."
        )
    return new_value
