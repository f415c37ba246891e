"""Describe a table before analysing it: column profiles, previews, pseudonyms, provenance.

These are the building blocks of the ``dataset_overview`` report, kept here (not in the
notebook) so they are tested. :func:`profile_columns` gives one row per column (count,
missing, distinct, range, skew); :func:`preview_rows` shows the first rows with personal
handles replaced by salted pseudonyms (:mod:`scrm_lab.privacy`);
:func:`rank_correlations` lists each numeric column's correlation with a target;
:func:`provenance_markdown` keeps the key sections of a data set's PROVENANCE.md.

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> from scrm_lab.summary import profile_columns
>>> profile = profile_columns(load_dataset("csm_movies_social_boxoffice"))
>>> profile.loc[profile["column"] == "budget_usd", ["n", "missing"]].to_dict("records")
[{'n': 230, 'missing': 1}]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from scrm_lab._checks import COLUMN, Choice, Flag, Integer, Many, Text, checks, refuse, suggest
from scrm_lab.exceptions import ParameterError
from scrm_lab.privacy import pseudonymize, pseudonymize_mentions
from scrm_lab.summary._display import _is_numeric, provenance_markdown, style_table
from scrm_lab.summary._sentences import (
    BOX_OFFICE_COLUMNS,
    box_office_sentences,
    dataset_sentences,
    privacy_sentences,
)

__all__ = [
    "BOX_OFFICE_COLUMNS",
    "PROFILE_COLUMNS",
    "box_office_sentences",
    "dataset_sentences",
    "pick_table",
    "preview_rows",
    "privacy_sentences",
    "profile_columns",
    "provenance_markdown",
    "rank_correlations",
    "style_table",
    "time_column",
]

#: Columns of :func:`profile_columns`, in order.
PROFILE_COLUMNS = ["column", "dtype", "n", "missing", "distinct", "min", "median", "max", "skew"]

#: Columns whose presence makes a table the movies table of the box-office reading.
#: Columns that hold personal data hidden by :func:`preview_rows` unless revealed.


# ------------------------------------------------------------------------------- profiles


def _is_datetime(series: pd.Series) -> bool:
    return pd.api.types.is_datetime64_any_dtype(series.dtype)


def profile_columns(data: pd.DataFrame) -> pd.DataFrame:
    """One row per column: how many values, how many missing, how many distinct, the range.

    Parameters
    ----------
    data : pandas.DataFrame
        Any table.

    Returns
    -------
    pandas.DataFrame
        One row per column of ``data``, in its order, with the columns (in this order):

        - ``column``: the column name.
        - ``dtype``: its pandas dtype, as a string.
        - ``n``: non-missing values.
        - ``missing``: missing values (``n + missing`` is the number of rows).
        - ``distinct``: distinct non-missing values.
        - ``min``, ``median``, ``max``: for numeric columns (booleans excluded) floats; for
          date and timestamp columns :class:`pandas.Timestamp`; missing (NaN) for text,
          categories and booleans, whose order means nothing (and whose extremes could
          reveal a personal value). These three columns have ``object`` dtype.
        - ``skew``: sample skewness of numeric columns, the adjusted Fisher-Pearson
          coefficient (as :meth:`pandas.Series.skew`, equal to
          ``scipy.stats.skew(values, bias=False)``); NaN for other columns, for fewer than
          three values, and for a constant column.

    Raises
    ------
    ParameterError
        If ``data`` is not a DataFrame.

    Examples
    --------
    >>> frame = pd.DataFrame({"views": [10, 20, 30, None], "tag": ["a", "b", "a", "c"]})
    >>> profile_columns(frame)
      column    dtype  n  missing  distinct   min median   max  skew
    0  views  float64  3        1         3  10.0   20.0  30.0   0.0
    1    tag      str  4        0         3   NaN    NaN   NaN   NaN
    """
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(
            f"The 'data' parameter of profile_columns must be a pandas DataFrame. "
            f"Got {type(data).__name__} instead."
        )
    rows = []
    for name in data.columns:
        series = data[name]
        present = series.dropna()
        row: dict[str, object] = {
            "column": str(name),
            "dtype": str(series.dtype),
            "n": int(present.size),
            "missing": int(series.size - present.size),
            "distinct": int(present.nunique()),
            "min": None,
            "median": None,
            "max": None,
            "skew": np.nan,
        }
        if _is_numeric(series) and present.size:
            values = present.astype("float64")
            row.update(
                min=float(values.min()),
                median=float(values.median()),
                max=float(values.max()),
            )
            if values.size >= 3 and values.nunique() > 1:
                row["skew"] = float(values.skew())
        elif _is_datetime(series) and present.size:
            row.update(min=present.min(), median=present.median(), max=present.max())
        rows.append(row)
    profile = pd.DataFrame(rows, columns=PROFILE_COLUMNS)
    for name in ("min", "median", "max"):
        profile[name] = profile[name].astype(object)
    profile["skew"] = profile["skew"].astype("float64")
    return profile


@checks(target=COLUMN, method=Choice(("kendall", "pearson", "spearman")))
def rank_correlations(data: pd.DataFrame, *, target: str, method: str = "spearman") -> pd.DataFrame:
    """Correlation of every other numeric column with ``target``, strongest first.

    Each pair uses the rows where both values are present. This is a description of the
    data, not a test of an effect: see :mod:`scrm_lab.models` for controlled estimates.

    Parameters
    ----------
    data : pandas.DataFrame
        A table with numeric columns.
    target : str
        The numeric column to correlate the others with.
    method : {"spearman", "pearson", "kendall"}, default "spearman"
        Rank correlation (Spearman, the default: robust to skew), linear (Pearson) or
        Kendall's tau; computed with :mod:`scipy.stats`.

    Returns
    -------
    pandas.DataFrame
        Columns ``column``, ``n`` (complete pairs), ``estimate`` (the coefficient),
        ``p_value`` (two-sided, no correction for the number of columns) and ``method``;
        sorted by the absolute estimate, largest first.

    Raises
    ------
    ParameterError
        If ``target`` is not a numeric column of ``data`` or ``method`` is unknown.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> movies = load_dataset("csm_movies_social_boxoffice")
    >>> table = rank_correlations(movies, target="gross_usd")
    >>> table.set_index("column").loc[["budget_usd", "likes"], "estimate"].round(3).tolist()
    [0.724, 0.368]
    """
    from scipy import stats

    functions = {
        "spearman": stats.spearmanr,
        "pearson": stats.pearsonr,
        "kendall": stats.kendalltau,
    }
    numeric = [c for c in data.columns if _is_numeric(data[c])]
    if target not in numeric:
        shown = ", ".join(map(str, numeric)) or "it has none"
        raise refuse("target", f"a numeric column of the table ({shown})", target)
    rows = []
    for column in numeric:
        if column == target:
            continue
        pair = data[[column, target]].astype("float64").dropna()
        estimate = p_value = np.nan
        if len(pair) >= 3 and pair[column].nunique() > 1 and pair[target].nunique() > 1:
            result = functions[method](pair[column], pair[target])
            estimate, p_value = float(result.statistic), float(result.pvalue)
        rows.append(
            {
                "column": str(column),
                "n": len(pair),
                "estimate": estimate,
                "p_value": p_value,
                "method": method,
            }
        )
    table = pd.DataFrame(rows, columns=["column", "n", "estimate", "p_value", "method"])
    order = table["estimate"].abs().sort_values(ascending=False, na_position="last").index
    return table.loc[order].reset_index(drop=True)


# -------------------------------------------------------------------------- tables, time


@checks(table=Text("a table name, or '' for the first", empty_ok=True))
def pick_table(
    data: pd.DataFrame | Mapping[str, pd.DataFrame], table: str = ""
) -> tuple[str | None, pd.DataFrame]:
    """One table out of a loaded data set: ``(name, frame)``.

    Parameters
    ----------
    data : DataFrame or mapping of name to DataFrame
        What :func:`scrm_lab.datasets.load_tables` (or ``load_dataset``) returned.
    table : str, default ""
        For a data set with several tables, which one; ``""`` means the first. For a data
        set with a single table it must be ``""``.

    Returns
    -------
    tuple of (str or None, pandas.DataFrame)
        The table's name (None for a single-table data set) and the table.

    Raises
    ------
    ParameterError
        If ``table`` is not one of the data set's tables.

    Examples
    --------
    >>> frames = {"a": pd.DataFrame({"x": [1]}), "b": pd.DataFrame({"y": [2]})}
    >>> pick_table(frames)[0], pick_table(frames, "b")[0]
    ('a', 'b')
    """
    if isinstance(data, pd.DataFrame):
        if table:
            raise refuse("table", "'' for a data set with a single table", table)
        return None, data
    names = list(data)
    if not names:
        raise ParameterError("The data set has no tables.")
    if not table:
        return names[0], data[names[0]]
    if table not in data:
        raise refuse("table", f"one of {names} (or '' for the first)", table, suggest(table, names))
    return table, data[table]


def time_column(data: pd.DataFrame) -> str | None:
    """The column that says when each row happened, or None.

    ``time`` is preferred, then ``date``, then the first other date or timestamp column.

    Examples
    --------
    >>> time_column(pd.DataFrame({"day": pd.to_datetime(["2015-02-16"]), "n": [1]}))
    'day'
    >>> time_column(pd.DataFrame({"n": [1]})) is None
    True
    """
    candidates = [c for c in data.columns if _is_datetime(data[c])]
    for preferred in ("time", "date"):
        if preferred in candidates:
            return preferred
    return str(candidates[0]) if candidates else None


@checks(
    n=Integer(low=0),
    salt=Text(),
    handles=Many(Text(), "a list of column names", empty_ok=True),
    texts=Many(Text(), "a list of column names", empty_ok=True),
    hide=Many(Text(), "a list of column names", empty_ok=True),
    reveal=Flag(),
)
def preview_rows(
    data: pd.DataFrame,
    *,
    n: int = 10,
    salt: str = "scrm_lab",
    handles: Iterable[str] = ("author",),
    texts: Iterable[str] = ("text",),
    hide: Iterable[str] = ("location", "coordinates"),
    reveal: bool = False,
) -> pd.DataFrame:
    """The first ``n`` rows, with personal handles pseudonymized and locations left out.

    Parameters
    ----------
    data : pandas.DataFrame
        Any table.
    n : int, default 10
        Rows to show (0 or more).
    salt : str, default "scrm_lab"
        Salt of the pseudonyms (see :func:`pseudonymize`).
    handles : iterable of str, default ("author",)
        Columns holding a person's handle: replaced by pseudonyms (case-insensitive).
    texts : iterable of str, default ("text",)
        Columns of free text: ``@handles`` inside them are replaced by the same pseudonyms.
    hide : iterable of str, default ("location", "coordinates")
        Columns of other personal data (a user's typed location, a tweet's coordinates):
        dropped.
    reveal : bool, default False
        True shows every column as it is: real handles and locations are personal data, so
        keep False for shared reports.

    Returns
    -------
    pandas.DataFrame
        A new frame with the first ``n`` rows; columns that are absent are ignored.

    Raises
    ------
    ParameterError
        If ``n`` is not a non-negative integer.

    Examples
    --------
    >>> rows = pd.DataFrame({"author": ["Cairdin"], "text": ["@cairdin hi @united"]})
    >>> preview_rows(rows, salt="demo").iloc[0].tolist()
    ['user_25bbe118', '@user_25bbe118 hi @user_8d1767ef']
    """
    rows = data.head(n).copy()
    if reveal:
        return rows
    rows = rows.drop(columns=[c for c in hide if c in rows.columns])
    for column in handles:
        if column in rows.columns:
            casefolded = (
                rows[column].astype(object).map(lambda v: v if pd.isna(v) else str(v).casefold())
            )
            rows[column] = pseudonymize(casefolded, salt=salt)
    for column in texts:
        if column in rows.columns:
            rows[column] = pseudonymize_mentions(rows[column], salt=salt)
    return rows
