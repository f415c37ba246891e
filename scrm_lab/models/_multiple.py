"""Multiple-testing correction of p-values, for every function that takes ``adjust=``.

:func:`adjust_pvalues` is statsmodels ``multipletests`` on an array or a Series (kept index),
with the house refusals of p-values that are missing or outside [0, 1]; the methods are
:data:`ADJUST_METHODS` (``_vocabulary.py``).

Examples
--------
>>> adjust_pvalues([0.01, 0.04, 0.03], method="bonferroni")
array([0.03, 0.12, 0.09])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from scrm_lab._checks import checks, refuse
from scrm_lab.models._vocabulary import ADJUST

__all__ = ["adjust_pvalues"]


@checks(method=ADJUST)
def adjust_pvalues(
    p_values: Sequence[float] | np.ndarray | pd.Series, *, method: str = "holm"
) -> np.ndarray | pd.Series:
    """Multiple-testing correction of p-values (statsmodels ``multipletests``).

    Parameters
    ----------
    p_values : array-like or pandas.Series
        P-values in [0, 1], none missing.
    method : str, default "holm"
        A statsmodels ``multipletests`` method (see :data:`ADJUST_METHODS`), or ``"none"``.

    Returns
    -------
    numpy.ndarray or pandas.Series
        Adjusted p-values in the same order; a Series keeps its index and name, anything
        else gives a 1-D float array.

    Raises
    ------
    ParameterError
        Unknown ``method``; a p-value that is missing or outside [0, 1] (its position is named).

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03], method="holm")
    array([0.03, 0.06, 0.06])
    """
    values = np.asarray(p_values.to_numpy() if isinstance(p_values, pd.Series) else p_values)
    if values.ndim != 1 or values.size == 0:
        raise refuse("p_values", "a non-empty 1-D sequence of p-values", p_values)
    try:
        values = values.astype("float64")
    except (TypeError, ValueError) as err:
        raise refuse("p_values", "a sequence of numbers", p_values) from err
    bad = np.flatnonzero(~((values >= 0) & (values <= 1)))
    if bad.size:
        position = int(bad[0])
        label = (
            f"position {position} (index {p_values.index[position]!r})"
            if isinstance(p_values, pd.Series)
            else f"position {position}"
        )
        raise refuse(
            "p_values", "p-values in [0, 1], none missing", float(values[position]),
            f" It is at {label}.",
        )  # fmt: skip
    adjusted = values.copy() if method == "none" else multipletests(values, method=method)[1]
    if isinstance(p_values, pd.Series):
        return pd.Series(adjusted, index=p_values.index, name=p_values.name)
    return adjusted
