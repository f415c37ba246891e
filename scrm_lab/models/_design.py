"""The OLS design shared by :func:`regress` and :func:`regression_diagnostics`, and column checks.

Private to :mod:`scrm_lab.models`: :func:`build_design` checks the combination of a regression's
parameters against the data (roles that overlap, transforms of columns not in the model, a
cluster column without clustered errors, a rank-deficient design) and builds the unfitted
statsmodels OLS on internal column names; :func:`fit_design` fits it with the chosen standard
errors. The column checks (:func:`not_all_missing`, :func:`not_constant`, :func:`transformed`)
are used by the group comparisons too. Messages name the public function being run.

Examples
--------
>>> import pandas as pd
>>> data = pd.DataFrame({"y": [1.0, 2.0, 4.0, 3.0], "x": [1.0, 2.0, 3.0, 4.0]})
>>> design = build_design(data, y="y", x="x", controls=(), log=(), log1p=(),
...                       cov_type="HC3", cluster=None, hac_lags=None, formula=None)
>>> list(design.focal), design.model.exog_names
(['x'], ['Intercept', 'x0'])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from scrm_lab._checks import (
    Text,
    as_names,
    current_function,
    numeric_column,
    refuse,
    require_columns,
    suggest,
)
from scrm_lab.exceptions import ParameterError, SchemaError

__all__ = [
    "FORMULA",
    "Design",
    "build_design",
    "column_list",
    "cov_text",
    "fit_design",
    "is_numeric",
    "label",
    "no_overlap",
    "not_all_missing",
    "not_constant",
    "transformed",
    "transforms",
]

#: A formula of :func:`regress` (checked for its "~" in the body).
FORMULA = Text("a formula string 'y ~ terms'")


# --------------------------------------------------------------------------- column checks


def column_list(value: str | Sequence[str] | None) -> list[str]:
    """A declared column-name parameter as a list (None gives an empty list)."""
    return [] if value is None else list(as_names(value))


def no_overlap(roles: dict[str, list[str]]) -> None:
    """Refuse a column used in two roles (y and x, x and controls...)."""
    function = current_function()
    seen: dict[str, str] = {}
    for role, columns in roles.items():
        for column in columns:
            if column in seen:
                where = f"both {seen[column]!r} and {role!r}" if seen[column] != role else role
                raise ParameterError(
                    f"{function}: column {column!r} is given twice (in {where}); "
                    "expected each column in one role only."
                )
            seen[column] = role


def not_all_missing(data: pd.DataFrame, columns: Sequence[str]) -> None:
    function = current_function()
    for column in columns:
        if data[column].isna().all():
            raise SchemaError(
                f"{function}: column {column!r} has no values (all {len(data)} missing); "
                "expected at least some values",
                column=column,
            )


def is_numeric(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def transformed(data: pd.DataFrame, column: str, transform: str | None) -> pd.Series:
    """A numeric column, logged (``log``/``log1p``) after checking its domain."""
    function = current_function()
    values = numeric_column(data, column, function)
    present = values.dropna()
    if transform == "log":
        bad = int((present <= 0).sum())
        if bad:
            raise SchemaError(
                f"{function}: column {column!r} has {bad} value(s) <= 0 (of {len(present)}); "
                "log needs positive numbers (use log1p= for counts with zeros)",
                column=column,
            )
        return np.log(values)
    if transform == "log1p":
        bad = int((present < 0).sum())
        if bad:
            raise SchemaError(
                f"{function}: column {column!r} has {bad} negative value(s) (of "
                f"{len(present)}); log1p needs values >= 0",
                column=column,
            )
        return np.log1p(values)
    return values


def label(column: str, transform: str | None) -> str:
    return f"{transform}({column})" if transform else column


def transforms(log: Sequence[str], log1p: Sequence[str], allowed: list[str]) -> dict[str, str]:
    """Column -> "log"/"log1p" for the columns to transform, checked against the model."""
    function = current_function()
    log, log1p = column_list(log), column_list(log1p)
    result: dict[str, str] = {}
    for name, columns in (("log", log), ("log1p", log1p)):
        for column in columns:
            if column not in allowed:
                expected = f"columns of the model (some of {allowed})"
                raise refuse(name, expected, column, suggest(column, allowed))
            if column in result:
                raise ParameterError(
                    f"{function}: column {column!r} is in both 'log' and 'log1p'; "
                    "expected one transform per column."
                )
            result[column] = name
    return result


def not_constant(values: pd.Series, column: str, n: int) -> None:
    function = current_function()
    if values.nunique(dropna=True) < 2:
        found = values.iloc[0] if len(values) else "no values"
        raise SchemaError(
            f"{function}: column {column!r} is constant ({found}) on the {n} complete rows; "
            "expected at least two different values",
            column=column,
        )


# --------------------------------------------------------------------------- the OLS design


@dataclass
class Design:
    model: object  # an unfitted statsmodels OLS
    focal: dict[str, str]  # reported term -> statsmodels parameter name
    n_total: int
    controls: str
    cluster_codes: np.ndarray | None = None
    missing: dict[str, int] = field(default_factory=dict)


def build_design(
    data: pd.DataFrame,
    *,
    y: str | None,
    x: str | Sequence[str],
    controls: Sequence[str],
    log: Sequence[str],
    log1p: Sequence[str],
    cov_type: str,
    cluster: str | None,
    hac_lags: int | None,
    formula: str | None,
) -> Design:
    """Check the combination of :func:`regress`'s parameters and build the unfitted model."""
    function = current_function()
    xs, controls = column_list(x), column_list(controls)
    if cov_type == "cluster" and cluster is None:
        raise ParameterError(
            f"{function}: cov_type='cluster' needs the 'cluster' parameter (the column of "
            "cluster ids, e.g. a brand or sector). Got cluster=None."
        )
    if cluster is not None and cov_type != "cluster":
        raise ParameterError(
            f"{function}: cluster={cluster!r} is only used with cov_type='cluster'. "
            f"Got cov_type={cov_type!r}."
        )
    if cov_type == "HAC" and hac_lags is None:
        raise ParameterError(
            f"{function}: cov_type='HAC' needs 'hac_lags', a whole number >= 0 of lags "
            f"(rows are taken in time order). Got hac_lags={hac_lags!r}."
        )
    if cov_type != "HAC" and hac_lags is not None:
        raise ParameterError(
            f"{function}: hac_lags={hac_lags!r} is only used with cov_type='HAC'. "
            f"Got cov_type={cov_type!r}."
        )
    if cluster is not None:
        require_columns(data, [cluster], function)
        not_all_missing(data, [cluster])
    if formula is not None:
        return _formula_design(data, formula=formula, y=y, xs=xs, controls=controls,
                               log=log, log1p=log1p, cluster=cluster)  # fmt: skip
    if y is None:
        raise refuse("y", "the outcome column (or pass formula=)", y)
    no_overlap({"y": [y], "x": xs, "controls": controls, "cluster": column_list(cluster)})
    require_columns(data, [y, *xs, *controls], function)
    transform = transforms(log, log1p, [y, *xs, *controls])
    not_all_missing(data, [y, *xs, *controls])

    roles = [("y", y)] + [(f"x{i}", c) for i, c in enumerate(xs)]
    roles += [(f"c{i}", c) for i, c in enumerate(controls)]
    columns: dict[str, pd.Series] = {}
    categorical: set[str] = set()
    for internal, column in roles:
        values = data[column]
        if internal == "y" or column in transform or is_numeric(values):
            columns[internal] = transformed(data, column, transform.get(column))
        else:
            categorical.add(internal)
            if isinstance(values.dtype, pd.CategoricalDtype):
                columns[internal] = values
            else:
                columns[internal] = values.astype("string").astype("object")
    if cluster is not None:
        columns["cluster"] = data[cluster]
    frame = pd.DataFrame(columns)
    missing = {column: int(frame[internal].isna().sum()) for internal, column in roles}
    if cluster is not None:
        missing[cluster] = int(frame["cluster"].isna().sum())
    frame = frame.dropna()
    n = len(frame)
    if n == 0:
        raise SchemaError(
            f"{function}: no row has all of {[c for _, c in roles]} present; expected complete "
            "rows to fit"
        )
    for internal, column in roles:
        if internal in categorical and isinstance(frame[internal].dtype, pd.CategoricalDtype):
            frame[internal] = frame[internal].cat.remove_unused_categories()
        not_constant(frame[internal], column, n)

    terms = [f"C({i})" if i in categorical else i for i, _ in roles[1:]]
    model = smf.ols("y ~ " + " + ".join(terms), data=frame)
    names = dict(roles)
    exog_names = list(model.exog_names)
    _check_rank(model, n, [_display(e, names, transform) for e in exog_names])
    focal: dict[str, str] = {}
    for i, _column in enumerate(xs):
        for name in exog_names:
            if name == f"x{i}" or name.startswith(f"C(x{i})["):
                focal[_display(name, names, transform)] = name
    described = ", ".join(label(c, transform.get(c)) for c in controls)
    codes = pd.factorize(frame["cluster"])[0] if cluster is not None else None
    design = Design(model, focal, len(data), described, codes, missing)
    _check_clusters(design, cluster)
    return design


def _display(name: str, names: dict[str, str], transform: dict[str, str]) -> str:
    """An internal statsmodels parameter name with the user's column name put back."""
    if name.startswith("C(") and ")[" in name:
        internal, level = name[2:].split(")", 1)
        return f"{names[internal]}{level}"
    if name in names:
        return label(names[name], transform.get(names[name]))
    return name


def _check_rank(model, n: int, labels: list[str]) -> None:
    function = current_function()
    exog = model.exog
    k = exog.shape[1]
    if n - k < 1:
        raise SchemaError(
            f"{function}: too few rows: {n} complete rows for {k} coefficients; expected at "
            f"least {k + 1} (one residual degree of freedom)"
        )
    if np.linalg.matrix_rank(exog) < k:
        for j in range(1, k + 1):
            if not exog[:, j - 1].any():
                raise SchemaError(
                    f"{function}: term {labels[j - 1]!r} is 0 on all {n} complete rows (a "
                    "level with no complete rows); expected a term that varies"
                )
            if np.linalg.matrix_rank(exog[:, :j]) < j:
                raise SchemaError(
                    f"{function}: term {labels[j - 1]!r} is a linear combination of the terms "
                    f"before it ({labels[: j - 1]}) on the {n} complete rows; expected "
                    "columns that are not collinear"
                )


def _check_clusters(design: Design, cluster: str | None) -> None:
    function = current_function()
    if cluster is None:
        return
    found = len(np.unique(design.cluster_codes))
    if found < 2:
        raise SchemaError(
            f"{function}: column {cluster!r} has {found} cluster on the complete rows; "
            "clustered standard errors need at least 2",
            column=cluster,
        )


def _formula_design(
    data: pd.DataFrame,
    *,
    formula: str,
    y: str | None,
    xs: list[str],
    controls: list[str],
    log: Sequence[str],
    log1p: Sequence[str],
    cluster: str | None,
) -> Design:
    function = current_function()
    given = [name for name, v in (("y", y), ("controls", controls), ("log", log),
                                  ("log1p", log1p)) if v]  # fmt: skip
    if given:
        raise ParameterError(
            f"{function}: with formula= the model is the formula alone; got {given} as well. "
            "Expected formula= and x= (the terms to report) only, or no formula."
        )
    if "~" not in formula:
        raise refuse("formula", FORMULA.expected, formula)
    rows = data if cluster is None else data[data[cluster].notna()]
    rows = rows.copy()
    for column in rows.columns:  # patsy knows NaN and object columns, not pd.NA or "str"
        values = rows[column]
        if isinstance(values.dtype, pd.api.extensions.ExtensionDtype):
            if is_numeric(values):
                rows[column] = values.astype("float64")
            elif not isinstance(values.dtype, pd.CategoricalDtype):
                rows[column] = values.astype("object").where(values.notna(), None)
    try:
        model = smf.ols(formula, data=rows)
    except Exception as err:  # patsy raises several types for a bad user formula
        raise ParameterError(
            f"{function}: the formula {formula!r} could not be built: {err}"
        ) from err
    exog_names = list(model.exog_names)
    for term in xs:
        if term not in exog_names:
            expected = f"terms of the formula: {exog_names}"
            raise refuse("x", expected, term, suggest(term, exog_names))
    n = int(model.exog.shape[0])
    if n == 0:
        raise SchemaError(f"{function}: the formula {formula!r} leaves no complete rows")
    if np.ptp(model.endog) == 0:
        raise SchemaError(
            f"{function}: the outcome of {formula!r} is constant ({model.endog[0]}) on the {n} "
            "complete rows; expected at least two different values"
        )
    for term in xs:
        column = model.exog[:, exog_names.index(term)]
        if np.ptp(column) == 0:
            raise SchemaError(
                f"{function}: term {term!r} is constant ({column[0]}) on the {n} complete rows; "
                "expected at least two different values"
            )
    _check_rank(model, n, exog_names)
    described = ", ".join(e for e in exog_names if e not in xs and e != "Intercept")
    codes = None
    if cluster is not None:
        codes = pd.factorize(rows.loc[model.data.row_labels, cluster])[0]
    design = Design(model, {t: t for t in xs}, len(data), described, codes)
    _check_clusters(design, cluster)
    return design


def fit_design(design: Design, cov_type: str, hac_lags: int | None):
    if cov_type == "cluster":
        return design.model.fit(cov_type="cluster", cov_kwds={"groups": design.cluster_codes})
    if cov_type == "HAC":
        return design.model.fit(cov_type="HAC", cov_kwds={"maxlags": int(hac_lags)})
    if cov_type in ("HC2", "HC3"):
        return _fit_leverage_scaled(design.model, cov_type)
    return design.model.fit(cov_type=cov_type)


def _fit_leverage_scaled(model: Any, cov_type: str):
    """HC2/HC3 fit whose rows of leverage one (alone in a category) add nothing to the errors.

    HC2 and HC3 divide each squared residual by (1 - h) or (1 - h)^2. A row with leverage
    h = 1 has a zero residual and no influence on any coefficient but its own category's, so
    its share of every other coefficient's variance is exactly 0; statsmodels computes it
    as 0 / 0 (NaN in every standard error) or, after rounding, as a huge number times 0,
    depending on the last bit of h. Such rows get a zero weight here; the rest is the
    textbook sandwich, identical to statsmodels' when no row has leverage one.
    """
    fixed = model.fit()  # leverages and residuals first, so statsmodels never divides by 0
    leverage = fixed.get_influence().hat_matrix_diag
    alone = 1 - leverage <= 1e-8
    if not alone.any():
        return model.fit(cov_type=cov_type)
    power = 1 if cov_type == "HC2" else 2
    kept = np.where(alone, 0.0, 1 - leverage)
    resid = np.asarray(fixed.resid, dtype=float)
    scale = np.divide(resid**2, kept**power, out=np.zeros_like(kept), where=~alone)
    exog = model.wexog
    bread = model.normalized_cov_params
    results = fixed._results  # the wrapper forwards reads, not writes, to the results
    results.cov_params_default = bread @ (exog.T * scale) @ exog @ bread
    results.cov_type, results.use_t = cov_type, False
    return fixed


def cov_text(cov_type: str, cluster: str | None, hac_lags: int | None) -> str:
    if cov_type == "cluster":
        return f"cluster-robust standard errors by {cluster}"
    if cov_type == "HAC":
        return f"HAC (Newey-West, {hac_lags} lags) standard errors"
    if cov_type == "nonrobust":
        return "classical standard errors"
    return f"{cov_type} standard errors"
