"""The study's variables as the models take them: parameters, logs, model arguments, estimates.

:func:`apply_parameters` (the report's parameters on a prepared table), :func:`log_columns`,
:func:`model_arguments`, :func:`controlled_estimates` (one regression per engagement column)
and :func:`partial_correlations`.

Examples
--------
>>> log_columns(pd.DataFrame({"x": [0, 9]}), log1p=["x"]).columns.tolist()
['x', 'log1p(x)']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from scrm_lab._checks import (
    ALPHA,
    COLUMN,
    Choice,
    ColumnNames,
    Many,
    OrNone,
    checks,
    current_function,
    refuse,
    require_columns,
    suggest,
)
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.models import ADJUST_METHODS, COV_TYPES
from scrm_lab.studies.engagement_revenue._data import _MOVIES, MOVIE_DEFAULTS, HypothesisData

__all__ = [
    "apply_parameters",
    "controlled_estimates",
    "log_columns",
    "model_arguments",
    "partial_correlations",
]


#: Column names that may be empty (logs, controls).
_NAMES = Many(COLUMN, "a list of distinct column names", distinct=True, empty_ok=True)


def _as_list(name: str, value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise refuse(name, "a column name or a list of them", value)
    return list(value)


@checks(
    engagement=OrNone(ColumnNames()),
    outcome=OrNone(COLUMN),
    controls=OrNone(ColumnNames(empty_ok=True)),
    log=OrNone(ColumnNames(empty_ok=True)),
    log1p=OrNone(ColumnNames(empty_ok=True)),
)
def apply_parameters(
    prepared: HypothesisData,
    *,
    engagement: str | Sequence[str] | None = None,
    outcome: str | None = None,
    controls: Sequence[str] | None = None,
    log: Sequence[str] | None = None,
    log1p: Sequence[str] | None = None,
) -> HypothesisData:
    """Set the roles a report asked for, checked against the data.

    A value of None keeps the source's own role. So does a value equal to the movies
    default (:data:`MOVIE_DEFAULTS`) when the source is not the movies data: a report whose
    parameters default to the movies columns then runs on any source unchanged. Transforms
    of columns the model does not use are dropped.

    Parameters
    ----------
    prepared : HypothesisData
        From :func:`engagement_revenue_data`.
    engagement, outcome, controls, log, log1p : optional
        Column names for each role.

    Returns
    -------
    HypothesisData
        A copy with the roles set.

    Raises
    ------
    SchemaError
        A named column is not in the data (the closest name is suggested).
    ParameterError
        A role is empty, not a name, or a column has two roles.

    Examples
    --------
    >>> from scrm_lab.studies.engagement_revenue import engagement_revenue_data
    >>> movies = engagement_revenue_data()
    >>> chosen = apply_parameters(movies, engagement="likes", controls=["budget_usd"])
    >>> chosen.engagement, chosen.controls, chosen.log
    (['likes'], ['budget_usd'], ['gross_usd', 'budget_usd'])
    >>> sim = apply_parameters(engagement_revenue_data("simulated"), **MOVIE_DEFAULTS)
    >>> sim.engagement, sim.outcome
    (['engagement_index_lag'], 'growth')
    """
    function = current_function()
    given = {"engagement": engagement, "outcome": outcome, "controls": controls, "log": log,
             "log1p": log1p}  # fmt: skip
    chosen: dict[str, Any] = {}
    for name, value in given.items():
        default = MOVIE_DEFAULTS[name]
        keep = value is None or (prepared.source != _MOVIES and _same(value, default))
        chosen[name] = getattr(prepared, name) if keep else value
    if not isinstance(chosen["outcome"], str) or not chosen["outcome"]:
        raise ParameterError(
            f"The 'outcome' parameter of {function} must be one column name. "
            f"Got {chosen['outcome']!r} instead."
        )
    for name in ("engagement", "controls", "log", "log1p"):
        chosen[name] = _as_list(name, chosen[name])
    if not chosen["engagement"]:
        raise ParameterError(
            f"The 'engagement' parameter of {function} must name at least one column. Got []."
        )
    columns = list(prepared.data.columns)
    for name in ("engagement", "outcome", "controls", "log", "log1p"):
        names = chosen[name] if isinstance(chosen[name], list) else [chosen[name]]
        for column in names:
            if column not in columns:
                raise SchemaError(
                    f"{function}: the {name} column {column!r} is not in the data "
                    f"({prepared.source}); its columns are {columns}.{suggest(column, columns)}",
                    column=column,
                )
    used = [*chosen["engagement"], chosen["outcome"], *chosen["controls"]]
    repeated = sorted({c for c in used if used.count(c) > 1})
    if repeated:
        raise ParameterError(
            f"The engagement, outcome and controls parameters of {function} must not share "
            f"columns. Got {repeated} in more than one role."
        )
    both = sorted(set(chosen["log"]) & set(chosen["log1p"]))
    if both:
        raise ParameterError(
            f"The 'log' and 'log1p' parameters of {function} must not share columns. "
            f"Got {both} in both."
        )
    chosen["log"] = [c for c in chosen["log"] if c in used]
    chosen["log1p"] = [c for c in chosen["log1p"] if c in used]
    return dataclasses.replace(prepared, **chosen)


def _same(value: object, default: object) -> bool:
    if isinstance(default, str):
        return value == default
    return isinstance(value, Sequence) and not isinstance(value, str) and list(value) == default


@checks(
    log=Many(COLUMN, "a list of distinct column names", distinct=True, empty_ok=True),
    log1p=Many(COLUMN, "a list of distinct column names", distinct=True, empty_ok=True),
)
def log_columns(
    data: pd.DataFrame, *, log: Sequence[str] = (), log1p: Sequence[str] = ()
) -> pd.DataFrame:
    """A copy of ``data`` with transformed columns added as ``log(col)`` and ``log1p(col)``.

    For models that take no ``log`` argument (panel fixed effects, lead-lag).

    Parameters
    ----------
    data : pandas.DataFrame
        Any table.
    log, log1p : sequence of str
        Positive columns to log, and columns >= 0 to take log(1 + value) of.

    Returns
    -------
    pandas.DataFrame
        ``data`` with one new column per transformed column, named as in
        :func:`scrm_lab.models.regress` (``log(gross_usd)``, ``log1p(likes)``).

    Raises
    ------
    SchemaError
        A column is missing, or has values <= 0 (log) or < 0 (log1p).

    Examples
    --------
    >>> frame = pd.DataFrame({"likes": [0, 9], "gross": [1.0, np.e]})
    >>> log_columns(frame, log=["gross"], log1p=["likes"]).round(3).columns.tolist()
    ['likes', 'gross', 'log(gross)', 'log1p(likes)']
    """
    function = current_function()
    require_columns(data, [*log, *log1p], function)
    result = data.copy()
    for column, low, how in [(c, 0, "log") for c in log] + [(c, -1, "log1p") for c in log1p]:
        values = pd.to_numeric(data[column], errors="coerce").astype("float64")
        bad = int((values <= low).sum()) if how == "log" else int((values < 0).sum())
        if bad:
            expected = "positive values" if how == "log" else "values >= 0"
            raise SchemaError(
                f"{function}: column {column!r} has {bad} value(s) out of range for {how}; "
                f"expected {expected}",
                column=column,
            )
        result[f"{how}({column})"] = np.log(values) if how == "log" else np.log1p(values)
    return result


def model_arguments(prepared: HypothesisData, x: str | None = None) -> dict[str, Any]:
    """Keyword arguments of :func:`scrm_lab.models.regress` for one engagement column.

    Parameters
    ----------
    prepared : HypothesisData
        From :func:`engagement_revenue_data` (and :func:`apply_parameters`).
    x : str, optional
        The engagement column (default: the first).

    Returns
    -------
    dict
        ``y``, ``x``, ``controls``, ``log`` and ``log1p``, the transforms kept to the
        columns of this model.

    Examples
    --------
    >>> from scrm_lab.studies.engagement_revenue import engagement_revenue_data
    >>> kwargs = model_arguments(engagement_revenue_data(), "views")
    >>> kwargs["x"], kwargs["log"], kwargs["log1p"]
    ('views', ['gross_usd', 'budget_usd'], ['views'])
    """
    x = prepared.engagement[0] if x is None else x
    if x not in prepared.engagement:
        raise ParameterError(
            f"The 'x' parameter of model_arguments must be one of the engagement columns "
            f"{prepared.engagement}. Got {x!r} instead.{suggest(x, prepared.engagement)}"
        )
    used = {x, prepared.outcome, *prepared.controls}
    return {
        "y": prepared.outcome,
        "x": x,
        "controls": list(prepared.controls),
        "log": [c for c in prepared.log if c in used],
        "log1p": [c for c in prepared.log1p if c in used],
    }


@checks(alpha=ALPHA, adjust=Choice(ADJUST_METHODS), cov_type=Choice(COV_TYPES))
def controlled_estimates(
    prepared: HypothesisData,
    *,
    alpha: float = 0.05,
    adjust: str = "holm",
    cov_type: str = "HC3",
) -> pd.DataFrame:
    """One OLS per engagement column with the controls, p-values adjusted across them.

    Each engagement column gets its own model (``outcome ~ engagement + controls``, with
    the transforms of :func:`model_arguments`), because engagement measures are usually
    strongly correlated with each other: in one joint model each would be estimated from
    what the others leave over.

    Parameters
    ----------
    prepared : HypothesisData
        A cross-section (see :func:`engagement_revenue_data`).
    alpha : float, default 0.05
        1 - confidence level.
    adjust : str, default "holm"
        Correction across the engagement columns (:func:`scrm_lab.models.adjust_pvalues`).
    cov_type : str, default "HC3"
        Standard errors, as in :func:`scrm_lab.models.regress`.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`scrm_lab.models.regress` (one per engagement column), with
        ``p_adjusted`` across them and the correction added to ``method``.

    Examples
    --------
    >>> from scrm_lab.studies.engagement_revenue import engagement_revenue_data
    >>> fits = controlled_estimates(engagement_revenue_data())
    >>> fits[["term", "n"]]
                     term    n
    0        log1p(likes)  220
    1        log1p(views)  220
    2     log1p(comments)  220
    3  log1p(cast_followers)  187
    """
    from scrm_lab.models import adjust_pvalues, regress

    rows = [
        regress(prepared.data, **model_arguments(prepared, x), cov_type=cov_type, alpha=alpha)
        for x in prepared.engagement
    ]
    result = pd.concat(rows, ignore_index=True)
    result["p_adjusted"] = adjust_pvalues(result["p_value"].to_numpy(), method=adjust)
    if len(result) > 1 and adjust != "none":
        result["method"] += f"; {adjust}-adjusted across {len(result)} models"
    return result


@checks(
    method=Choice(("spearman", "pearson", "kendall")), alpha=ALPHA, adjust=Choice(ADJUST_METHODS)
)
def partial_correlations(
    prepared: HypothesisData,
    *,
    method: str = "spearman",
    alpha: float = 0.05,
    adjust: str = "holm",
) -> pd.DataFrame:
    """Partial correlation of each engagement column with the outcome, given the controls.

    Parameters
    ----------
    prepared : HypothesisData
        A cross-section with at least one control.
    method : {"pearson", "spearman", "kendall"}, default "spearman"
        "kendall" has no partial form here and is computed as "spearman" (ranks).
    alpha : float, default 0.05
        1 - confidence level.
    adjust : str, default "holm"
        Correction across the engagement columns.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`scrm_lab.models.partial_correlate`, one per engagement column
        (``x`` named as entered, e.g. ``log1p(likes)``), with ``p_adjusted`` inserted after
        ``p_value``.

    Examples
    --------
    >>> from scrm_lab.studies.engagement_revenue import engagement_revenue_data
    >>> rho = partial_correlations(engagement_revenue_data())
    >>> rho["x"].tolist(), int(rho.loc[0, "n"])
    (['log1p(likes)', 'log1p(views)', 'log1p(comments)', 'log1p(cast_followers)'], 220)
    """
    from scrm_lab.models import adjust_pvalues, partial_correlate

    kind = "spearman" if method == "kendall" else method
    rows = []
    for x in prepared.engagement:
        kwargs = model_arguments(prepared, x)
        # categories left empty by the complete rows would give all-zero dummy columns
        data = prepared.data.dropna(subset=[x, kwargs["y"], *kwargs["controls"]])
        data = data.apply(
            lambda c: (
                c.cat.remove_unused_categories() if isinstance(c.dtype, pd.CategoricalDtype) else c
            )
        )
        rows.append(
            partial_correlate(
                data,
                x=x,
                y=kwargs["y"],
                controls=kwargs["controls"],
                method=kind,
                log=kwargs["log"],
                log1p=kwargs["log1p"],
                alpha=alpha,
            )  # fmt: skip
        )
    result = pd.concat(rows, ignore_index=True)
    position = result.columns.get_loc("p_value") + 1
    result.insert(position, "p_adjusted", adjust_pvalues(result["p_value"].to_numpy(),
                                                         method=adjust))  # fmt: skip
    return result
