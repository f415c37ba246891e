"""Site traffic, repeat visits and conversions on a canonical ``sessions`` table.

Each function returns one row per group (or one row overall) in the metric vocabulary:
the group columns, then ``metric``, ``count`` (the numerator), ``n`` (the denominator),
``estimate`` (``count / n``), ``ci_low``, ``ci_high`` (Wilson), ``denominator`` (what
``n`` counts) and ``definition`` (``name/version``, see :func:`metric_definitions`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scrm_lab._checks import ALPHA, COLUMN, ColumnNames, OrNone, as_names, checks, current_function
from scrm_lab._checks import require_columns as _require
from scrm_lab._proportions import wilson
from scrm_lab.exceptions import SchemaError
from scrm_lab.metrics._definitions import DEFINITIONS

#: The columns every proportion table ends with, after its group columns.
PROPORTION_COLUMNS = [
    "metric", "count", "n", "estimate", "ci_low", "ci_high", "denominator", "definition",
]  # fmt: skip

_BY = OrNone(ColumnNames())


def _groups(data: pd.DataFrame, by: str | Sequence[str] | None) -> list[str]:
    names = list(as_names(by)) if by is not None else []
    _require(data, names)
    return names


def bad_data(message: str, column: str | None = None) -> SchemaError:
    """A refusal of the data, naming the public function being run."""
    return SchemaError(f"{current_function()}: {message}", column=column)


def _flag(data: pd.DataFrame, column: str) -> pd.Series:
    """A yes/no column as bool; refused (naming the column and row) when not yes/no."""
    _require(data, [column])
    values = data[column]
    if not pd.api.types.is_bool_dtype(values):
        raise bad_data(
            f"column '{column}' has dtype {values.dtype}; expected true/false values", column
        )
    if values.isna().any():
        row = int(np.flatnonzero(values.isna().to_numpy())[0]) + 1
        raise bad_data(f"column '{column}' is missing in row {row}; expected true or false", column)
    return values.astype(bool)


def proportion_table(
    frame: pd.DataFrame,
    by: list[str],
    success: pd.Series,
    eligible: pd.Series,
    metric: str,
    alpha: float,
) -> pd.DataFrame:
    """``success / eligible`` per group of ``by`` (all rows when empty), with Wilson intervals."""
    parts = pd.DataFrame(
        {"count": (success & eligible).astype("int64"), "n": eligible.astype("int64")},
        index=frame.index,
    )
    if by:
        keys = [frame[name] for name in by]
        table = parts.groupby(keys, observed=True, sort=True).sum().reset_index()
    else:
        table = parts.sum().to_frame().T.astype("int64")
    definition = DEFINITIONS[metric]
    low, high = wilson(table["count"], table["n"], alpha)
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = table["count"] / table["n"].where(table["n"] > 0)
    return table.assign(
        metric=metric,
        estimate=estimate.astype("float64"),
        ci_low=low,
        ci_high=high,
        denominator=definition.denominator,
        definition=definition.tag,
    )[[*by, *PROPORTION_COLUMNS]]


@checks(by=_BY, purchased=COLUMN, alpha=ALPHA)
def conversion_rate(
    sessions: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    purchased: str = "purchased",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Conversion rate (sessions that ended in a purchase / sessions), overall or per group.

    Parameters
    ----------
    sessions : pandas.DataFrame
        A canonical ``sessions`` table (one row per session).
    by : str or sequence of str, optional
        Group columns (``"visitor_type"``, ``"month"``, ``"traffic_source"``...); one row
        overall when not given. Groups come in the order of the column's values
        (calendar order for ``month``); groups without sessions are left out.
    purchased : str, default "purchased"
        The true/false column saying whether the session converted.
    alpha : float, default 0.05
        One minus the confidence level of the Wilson intervals.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``metric`` (``"conversion_rate"``), ``count`` (converting
        sessions), ``n`` (sessions), ``estimate``, ``ci_low``, ``ci_high``, ``denominator``
        (``"sessions"``) and ``definition`` (``"conversion_rate/1"``).

    Examples
    --------
    >>> import scrm_lab
    >>> sessions = scrm_lab.load_dataset("online_shoppers_intention")
    >>> conversion_rate(sessions)[["count", "n"]].iloc[0].tolist()
    [1908, 12330]
    """
    groups = _groups(sessions, by)
    converted = _flag(sessions, purchased)
    eligible = pd.Series(True, index=sessions.index)
    return proportion_table(sessions, groups, converted, eligible, "conversion_rate", alpha)


@checks(by=_BY, visitor_type=COLUMN, alpha=ALPHA)
def repeat_visits(
    sessions: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    visitor_type: str = "visitor_type",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Repeat visits: the share of sessions by returning visitors, overall or per group.

    A session is a repeat visit when ``visitor_type`` is ``"returning"`` (the web-analytics
    flag that the browser had been to the site before). Sessions without a visitor type are
    left out of the denominator; ``"other"`` stays in it (it is not known to be a repeat).

    Parameters
    ----------
    sessions : pandas.DataFrame
        A canonical ``sessions`` table.
    by : str or sequence of str, optional
        Group columns; one row overall when not given.
    visitor_type : str, default "visitor_type"
        The column with ``"new"``, ``"returning"`` or ``"other"``.
    alpha : float, default 0.05
        One minus the confidence level of the Wilson intervals.

    Returns
    -------
    pandas.DataFrame
        As :func:`conversion_rate`, with ``metric`` ``"returning_share"``, ``count`` the
        returning visitors' sessions and ``n`` the sessions with a visitor type.

    Examples
    --------
    >>> import scrm_lab
    >>> sessions = scrm_lab.load_dataset("online_shoppers_intention")
    >>> repeat_visits(sessions)[["count", "n"]].iloc[0].tolist()
    [10551, 12330]
    """
    groups = _groups(sessions, by)
    _require(sessions, [visitor_type])
    kind = sessions[visitor_type].astype("string")
    unknown = sorted(set(kind.dropna()) - {"new", "returning", "other"})
    if unknown:
        row = int(np.flatnonzero(kind.isin(unknown).to_numpy())[0]) + 1
        raise bad_data(
            f"column '{visitor_type}' has the value {unknown[0]!r} in row {row}; expected "
            "'new', 'returning' or 'other'",
            visitor_type,
        )
    returning = kind.eq("returning").fillna(False).astype(bool)
    return proportion_table(
        sessions, groups, returning, kind.notna().astype(bool), "returning_share", alpha
    )


@checks(by=ColumnNames(), alpha=ALPHA)
def site_traffic(
    sessions: pd.DataFrame, *, by: str | Sequence[str] = "month", alpha: float = 0.05
) -> pd.DataFrame:
    """Site traffic: sessions per group (month, traffic source...) and each group's share.

    Parameters
    ----------
    sessions : pandas.DataFrame
        A canonical ``sessions`` table.
    by : str or sequence of str, default "month"
        Group columns, e.g. ``["month", "traffic_source"]``. To count sessions per period
        from a ``time`` column, add a period column first
        (``sessions.assign(period=sessions["time"].dt.strftime("%Y-%m"))``).
    alpha : float, default 0.05
        One minus the confidence level of the Wilson intervals of the shares.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``metric`` (``"site_traffic"``), ``count`` (the group's
        sessions), ``n`` (all sessions), ``estimate`` (the group's share), ``ci_low``,
        ``ci_high``, ``denominator`` and ``definition``.

    Examples
    --------
    >>> import scrm_lab
    >>> sessions = scrm_lab.load_dataset("online_shoppers_intention")
    >>> traffic = site_traffic(sessions, by="month")
    >>> traffic[["month", "count"]].head(2).to_dict("list")
    {'month': ['Feb', 'Mar'], 'count': [184, 1907]}
    """
    groups = _groups(sessions, by)
    every = pd.Series(True, index=sessions.index)
    table = proportion_table(sessions, groups, every, every, "site_traffic", alpha)
    total = len(sessions)
    low, high = wilson(table["count"], total, alpha)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = table["count"] / total if total else np.nan
    return table.assign(n=total, estimate=share, ci_low=low, ci_high=high)
