"""What every figure function shares: a new Axes when none is given, the columns it needs.

Examples
--------
>>> new_axes(None, (4, 3)).get_figure().get_size_inches().tolist()
[4.0, 3.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes

from scrm_lab._checks import Instance, OrNone, current_function
from scrm_lab.exceptions import ParameterError


def require(data: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ParameterError(
            f"{current_function()} needs the column(s) {missing} in the table; it has "
            f"{list(map(str, data.columns))}."
        )


def new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


#: The ``ax`` parameter of every figure function: an Axes to draw on, or None for a new one.
AX = OrNone(Instance(Axes, "a matplotlib Axes"))
