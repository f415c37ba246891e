"""The shared result vocabulary of the models package, declared once.

One list of multiple-testing adjustments for every function with ``adjust=`` (and its
declared constraint :data:`ADJUST`; :data:`ALTERNATIVE` for ``alternative=``), the ``clear``
column of effect tables (the interval excludes the null value), :class:`ChoiceOrOld` for an
option whose old spelling still works, and :func:`new_or_old` for a renamed required keyword.
The vocabulary itself is described in the :mod:`scrm_lab.models` docstring.

Examples
--------
>>> clear_column([0.1, -0.5, float("nan")], [0.4, 0.2, 1.0]).tolist()
[True, False, False]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scrm_lab._checks import Choice, current_function, refuse, renamed
from scrm_lab.exceptions import ParameterError

__all__ = ["ADJUST", "ADJUST_METHODS", "ALTERNATIVE", "ChoiceOrOld", "clear_column", "new_or_old"]

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
#: The declared constraint of every ``adjust=``.
ADJUST = Choice(ADJUST_METHODS)
#: The declared constraint of every ``alternative=`` (scipy's names).
ALTERNATIVE = Choice(("two-sided", "greater", "less"))


@dataclass(frozen=True)
class ChoiceOrOld(Choice):
    """One of ``options``, or an old spelling in ``old`` (still accepted, not advertised)."""

    old: tuple[str, ...] = ()

    def accepts(self, value: object) -> bool:
        return super().accepts(value) or (isinstance(value, str) and value in self.old)


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


def new_or_old(new: str, new_value: object, old: str, old_value: object) -> object:
    """The value of a renamed, required keyword: ``new``, or the deprecated ``old`` (warned).

    Called from the body of a function declared with ``checks`` (both keywords declared
    ``OrNone`` of the same constraint); refuses both given, and neither given.
    """
    function = current_function()
    if old_value is not None:
        if new_value is not None:
            raise ParameterError(
                f"The {new!r} parameter of {function} was given together with its old name "
                f"{old!r}. Give only {new!r}."
            )
        return renamed(old, new, old_value, function)
    if new_value is None:
        raise refuse(new, "a column name (a non-empty str)", None)
    return new_value
