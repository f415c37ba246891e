"""Regression with controls, partial correlation and group comparisons, as tidy tables.

Three questions a social CRM study asks once raw correlations are not enough:

- :func:`regress` (and :func:`regression_diagnostics`): does an engagement measure still
  predict revenue once size, sector and year are held fixed? OLS from statsmodels with
  robust (HC0-HC3), clustered or HAC (Newey-West) standard errors and log transforms for
  skewed money and count columns.
- :func:`partial_correlate`: the correlation of two columns once controls are taken out of
  both (Pearson, or Spearman on ranks).
- :func:`compare_groups`: do engagement profiles differ in an outcome? Welch's ANOVA,
  classic ANOVA or Kruskal-Wallis with an effect size, and post-hoc pairwise comparisons
  (Games-Howell, t-tests or Mann-Whitney U with a multiple-testing adjustment).

The statistics are statsmodels' and scipy's; this module is glue: it checks the input,
builds the design, calls the library and returns the shared result vocabulary (``n``,
``estimate``, ``ci_low``, ``ci_high``, ``statistic``, ``p_value``, ``p_adjusted``,
``effect_size``, ``method``). Column names need not be valid Python identifiers: the
design is built on internal names and the original names are reported.

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> movies = load_dataset("csm_movies_social_boxoffice")
>>> fit = regress(movies, y="gross_usd", x="likes", controls=["budget_usd"],
...               log=["gross_usd", "likes", "budget_usd"])
>>> fit[["term", "n", "controls", "cov_type"]]
         term    n          controls cov_type
0  log(likes)  230  log(budget_usd)      HC3
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.diagnostic import het_breuschpagan
from statsmodels.stats.meta_analysis import effectsize_smd
from statsmodels.stats.oneway import anova_oneway
from statsmodels.stats.outliers_influence import variance_inflation_factor
from statsmodels.stats.stattools import jarque_bera

from scrm_lab._checks import check_alpha, numeric_column, one_of, require_columns, suggest
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.models._correlation import adjust_pvalues
from scrm_lab.models._vocabulary import ADJUST_METHODS, clear_column

__all__ = [
    "COMPARE_METHODS",
    "PARTIAL_METHODS",
    "REGRESSION_COV_TYPES",
    "compare_groups",
    "partial_correlate",
    "regress",
    "regression_diagnostics",
]

#: Standard errors accepted by :func:`regress` (statsmodels names).
REGRESSION_COV_TYPES = ("nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster", "HAC")
#: Correlation methods accepted by :func:`partial_correlate`.
PARTIAL_METHODS = ("pearson", "spearman")
#: Omnibus tests accepted by :func:`compare_groups`.
COMPARE_METHODS = ("welch", "anova", "kruskal")

_REGRESS_COLUMNS = ["term", "n", "estimate", "ci_low", "ci_high", "statistic", "p_value",
                    "p_adjusted", "effect_size", "r_squared", "adj_r_squared", "controls",
                    "cov_type", "method", "clear"]  # fmt: skip
_POSTHOC_COLUMNS = ["group_a", "group_b", "n_a", "n_b", "estimate", "ci_low", "ci_high",
                    "statistic", "p_value", "p_adjusted", "effect_size", "method",
                    "clear"]  # fmt: skip


# --------------------------------------------------------------------------- checks


def _names(value: str | Sequence[str] | None, name: str, function: str) -> list[str]:
    """A column-name parameter as a list: one name or a sequence of names."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ParameterError(
        f"The {name!r} parameter of {function} must be a column name or a list of column "
        f"names. Got {value!r} instead."
    )


def _no_overlap(function: str, roles: dict[str, list[str]]) -> None:
    """Refuse a column used in two roles (y and x, x and controls...)."""
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


def _not_all_missing(data: pd.DataFrame, columns: Sequence[str], function: str) -> None:
    for column in columns:
        if data[column].isna().all():
            raise SchemaError(
                f"{function}: column {column!r} has no values (all {len(data)} missing); "
                "expected at least some values",
                column=column,
            )


def _is_numeric(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _transformed(
    data: pd.DataFrame, column: str, transform: str | None, function: str
) -> pd.Series:
    """A numeric column, logged (``log``/``log1p``) after checking its domain."""
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


def _label(column: str, transform: str | None) -> str:
    return f"{transform}({column})" if transform else column


def _transforms(
    log: Sequence[str], log1p: Sequence[str], allowed: list[str], function: str
) -> dict[str, str]:
    """Column -> "log"/"log1p" for the columns to transform, checked against the model."""
    log = _names(log, "log", function)
    log1p = _names(log1p, "log1p", function)
    result: dict[str, str] = {}
    for name, columns in (("log", log), ("log1p", log1p)):
        for column in columns:
            if column not in allowed:
                raise ParameterError(
                    f"The {name!r} parameter of {function} names column {column!r}, which is "
                    f"not in the model; expected some of {allowed}.{suggest(column, allowed)}"
                )
            if column in result:
                raise ParameterError(
                    f"{function}: column {column!r} is in both 'log' and 'log1p'; "
                    "expected one transform per column."
                )
            result[column] = name
    return result


def _not_constant(values: pd.Series, column: str, n: int, function: str) -> None:
    if values.nunique(dropna=True) < 2:
        found = values.iloc[0] if len(values) else "no values"
        raise SchemaError(
            f"{function}: column {column!r} is constant ({found}) on the {n} complete rows; "
            "expected at least two different values",
            column=column,
        )


# --------------------------------------------------------------------------- regress


@dataclass
class _Design:
    model: object  # an unfitted statsmodels OLS
    focal: dict[str, str]  # reported term -> statsmodels parameter name
    n_total: int
    controls: str
    cluster_codes: np.ndarray | None = None
    missing: dict[str, int] = field(default_factory=dict)


def _design(
    data: pd.DataFrame,
    function: str,
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
    alpha: float,
    adjust: str,
) -> _Design:
    """Check every parameter of :func:`regress` and build the (unfitted) OLS model."""
    one_of(function, "cov_type", cov_type, REGRESSION_COV_TYPES)
    one_of(function, "adjust", adjust, ADJUST_METHODS)
    check_alpha(alpha, function)
    xs = _names(x, "x", function)
    controls = _names(controls, "controls", function)
    if not xs:
        raise ParameterError(
            f"The 'x' parameter of {function} must name at least one focal column or term. "
            "Got an empty list instead."
        )
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
    if cov_type == "HAC":
        if isinstance(hac_lags, bool) or not isinstance(hac_lags, int | np.integer):
            raise ParameterError(
                f"{function}: cov_type='HAC' needs 'hac_lags', a whole number >= 0 of lags "
                f"(rows are taken in time order). Got hac_lags={hac_lags!r}."
            )
        if hac_lags < 0:
            raise ParameterError(
                f"The 'hac_lags' parameter of {function} must be a whole number >= 0. "
                f"Got {hac_lags!r} instead."
            )
    elif hac_lags is not None:
        raise ParameterError(
            f"{function}: hac_lags={hac_lags!r} is only used with cov_type='HAC'. "
            f"Got cov_type={cov_type!r}."
        )
    if cluster is not None:
        require_columns(data, [cluster], function)
        _not_all_missing(data, [cluster], function)
    if formula is not None:
        return _formula_design(data, function, formula=formula, y=y, xs=xs, controls=controls,
                               log=log, log1p=log1p, cluster=cluster)  # fmt: skip
    if y is None:
        raise ParameterError(
            f"The 'y' parameter of {function} must name the outcome column (or pass "
            "formula=). Got None."
        )
    if not isinstance(y, str):
        raise ParameterError(f"The 'y' parameter of {function} must be a column name. Got {y!r}.")
    _no_overlap(function, {"y": [y], "x": xs, "controls": controls, "cluster": _names(cluster,
                "cluster", function)})  # fmt: skip
    require_columns(data, [y, *xs, *controls], function)
    transform = _transforms(log, log1p, [y, *xs, *controls], function)
    _not_all_missing(data, [y, *xs, *controls], function)

    roles = [("y", y)] + [(f"x{i}", c) for i, c in enumerate(xs)]
    roles += [(f"c{i}", c) for i, c in enumerate(controls)]
    columns: dict[str, pd.Series] = {}
    categorical: set[str] = set()
    for internal, column in roles:
        values = data[column]
        if internal == "y" or column in transform or _is_numeric(values):
            columns[internal] = _transformed(data, column, transform.get(column), function)
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
        _not_constant(frame[internal], column, n, function)

    terms = [f"C({i})" if i in categorical else i for i, _ in roles[1:]]
    model = smf.ols("y ~ " + " + ".join(terms), data=frame)
    names = dict(roles)
    exog_names = list(model.exog_names)
    _check_rank(model, function, n, [_display(e, names, transform) for e in exog_names])
    focal: dict[str, str] = {}
    for i, _column in enumerate(xs):
        for name in exog_names:
            if name == f"x{i}" or name.startswith(f"C(x{i})["):
                focal[_display(name, names, transform)] = name
    described = ", ".join(_label(c, transform.get(c)) for c in controls)
    codes = pd.factorize(frame["cluster"])[0] if cluster is not None else None
    design = _Design(model, focal, len(data), described, codes, missing)
    _check_clusters(design, cluster, function)
    return design


def _display(name: str, names: dict[str, str], transform: dict[str, str]) -> str:
    """An internal statsmodels parameter name with the user's column name put back."""
    if name.startswith("C(") and ")[" in name:
        internal, level = name[2:].split(")", 1)
        return f"{names[internal]}{level}"
    if name in names:
        return _label(names[name], transform.get(names[name]))
    return name


def _check_rank(model, function: str, n: int, labels: list[str]) -> None:
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


def _check_clusters(design: _Design, cluster: str | None, function: str) -> None:
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
    function: str,
    *,
    formula: str,
    y: str | None,
    xs: list[str],
    controls: list[str],
    log: Sequence[str],
    log1p: Sequence[str],
    cluster: str | None,
) -> _Design:
    given = [name for name, v in (("y", y), ("controls", controls), ("log", log),
                                  ("log1p", log1p)) if v]  # fmt: skip
    if given:
        raise ParameterError(
            f"{function}: with formula= the model is the formula alone; got {given} as well. "
            "Expected formula= and x= (the terms to report) only, or no formula."
        )
    if not isinstance(formula, str) or "~" not in formula:
        raise ParameterError(
            f"The 'formula' parameter of {function} must be a formula string 'y ~ terms'. "
            f"Got {formula!r} instead."
        )
    rows = data if cluster is None else data[data[cluster].notna()]
    rows = rows.copy()
    for column in rows.columns:  # patsy knows NaN and object columns, not pd.NA or "str"
        values = rows[column]
        if isinstance(values.dtype, pd.api.extensions.ExtensionDtype):
            if _is_numeric(values):
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
            raise ParameterError(
                f"The 'x' parameter of {function} must name terms of the formula: "
                f"{exog_names}. Got {term!r} instead.{suggest(term, exog_names)}"
            )
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
    _check_rank(model, function, n, exog_names)
    described = ", ".join(e for e in exog_names if e not in xs and e != "Intercept")
    codes = None
    if cluster is not None:
        codes = pd.factorize(rows.loc[model.data.row_labels, cluster])[0]
    design = _Design(model, {t: t for t in xs}, len(data), described, codes)
    _check_clusters(design, cluster, function)
    return design


def _fit(design: _Design, cov_type: str, hac_lags: int | None):
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
    fit = model.fit(cov_type=cov_type)
    leverage = fit.get_influence().hat_matrix_diag
    alone = 1 - leverage <= 1e-8
    if not alone.any():
        return fit
    power = 1 if cov_type == "HC2" else 2
    kept = np.where(alone, 0.0, 1 - leverage)
    resid = np.asarray(fit.resid, dtype=float)
    scale = np.divide(resid**2, kept**power, out=np.zeros_like(kept), where=~alone)
    exog = model.wexog
    bread = model.normalized_cov_params
    fixed = model.fit()
    results = fixed._results  # the wrapper forwards reads, not writes, to the results
    results.cov_params_default = bread @ (exog.T * scale) @ exog @ bread
    results.cov_type, results.use_t = cov_type, False
    return fixed


def _cov_text(cov_type: str, cluster: str | None, hac_lags: int | None) -> str:
    if cov_type == "cluster":
        return f"cluster-robust standard errors by {cluster}"
    if cov_type == "HAC":
        return f"HAC (Newey-West, {hac_lags} lags) standard errors"
    if cov_type == "nonrobust":
        return "classical standard errors"
    return f"{cov_type} standard errors"


def regress(
    data: pd.DataFrame,
    *,
    y: str | None = None,
    x: str | Sequence[str],
    controls: Sequence[str] = (),
    log: Sequence[str] = (),
    log1p: Sequence[str] = (),
    cov_type: str = "HC3",
    cluster: str | None = None,
    hac_lags: int | None = None,
    formula: str | None = None,
    alpha: float = 0.05,
    adjust: str = "holm",
) -> pd.DataFrame:
    """OLS of ``y`` on focal regressors ``x`` and ``controls``, with robust standard errors.

    Fits ``y ~ x + controls`` with statsmodels on the rows where every column used is
    present, and reports the focal terms only. Numeric columns enter linearly; text,
    categorical and boolean columns enter as dummies (``C()``, first level, or first
    category of a categorical column, as the base), reported as ``column[T.level]``.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit (film, brand, brand-year...).
    y : str
        Numeric outcome column. Not used with ``formula``.
    x : str or list of str
        Focal column(s): the terms reported. With ``formula``, the names of the formula's
        terms to report, as statsmodels names them (``'Q("Aggregate Followers")'``).
    controls : list of str
        Control columns (size, sector, year...), held fixed but not reported.
    log : list of str
        Columns among ``y``, ``x`` and ``controls`` entered as natural logs, for skewed
        money columns (gross, budget, brand value). Values <= 0 are refused (naming the
        column and how many); no constant is added silently.
    log1p : list of str
        Columns entered as log(1 + value), for counts with zeros (likes, comments);
        negative values are refused. A column is in ``log`` or ``log1p``, not both.
    cov_type : str, default "HC3"
        Standard errors, one of :data:`REGRESSION_COV_TYPES`: "nonrobust", "HC0" to "HC3"
        (heteroskedasticity-robust; HC3 is the safest in small samples), "cluster" (needs
        ``cluster``) or "HAC" (Newey-West, needs ``hac_lags``; rows are taken in their
        order in ``data`` as time order).
    cluster : str, optional
        Column of cluster ids for ``cov_type="cluster"`` (rows missing it are left out).
    hac_lags : int, optional
        Number of lags (>= 0) for ``cov_type="HAC"``.
    formula : str, optional
        A full patsy formula for experts (``'np.log(gross_usd) ~ Q("a b") * year'``);
        then ``y``, ``controls``, ``log`` and ``log1p`` must be left out and ``x`` names
        the terms to report.
    alpha : float, default 0.05
        1 - confidence level of the intervals.
    adjust : str, default "holm"
        Multiple-testing adjustment over the focal terms, one of :data:`ADJUST_METHODS`
        (statsmodels ``multipletests``).

    Returns
    -------
    pandas.DataFrame
        One row per focal term, columns (in this order): ``term`` (``column``,
        ``log(column)``, ``log1p(column)`` or ``column[T.level]``), ``n`` (rows in the
        model), ``estimate`` (coefficient), ``ci_low``, ``ci_high``, ``statistic`` (t for
        "nonrobust"; z for the robust types, as statsmodels reports them), ``p_value``,
        ``p_adjusted`` (over the focal terms), ``effect_size`` (standardized coefficient:
        estimate x sd(term) / sd(y), both sds on the model rows and on the scale the
        columns enter, logged or not; for a dummy the sd of its 0/1 column),
        ``r_squared``, ``adj_r_squared``, ``controls`` (the controls as entered),
        ``cov_type``, ``method``, ``clear`` (True when the interval excludes zero).

    See Also
    --------
    regression_diagnostics : checks of the same model.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> movies = load_dataset("csm_movies_social_boxoffice")
    >>> fit = regress(movies, y="gross_usd", x=["likes", "comments"],
    ...               controls=["budget_usd", "screens", "genre"],
    ...               log=["gross_usd", "likes", "budget_usd", "screens"],
    ...               log1p=["comments"], cov_type="cluster", cluster="year")
    >>> fit[["term", "n"]]
                 term    n
    0      log(likes)  220
    1  log1p(comments)  220
    >>> bool((fit["p_adjusted"] >= fit["p_value"]).all())
    True
    """
    function = "regress"
    design = _design(data, function, y=y, x=x, controls=controls, log=log, log1p=log1p,
                     cov_type=cov_type, cluster=cluster, hac_lags=hac_lags, formula=formula,
                     alpha=alpha, adjust=adjust)  # fmt: skip
    fit = _fit(design, cov_type, hac_lags)
    exog = design.model.exog
    exog_names = list(design.model.exog_names)
    sd_y = float(np.std(design.model.endog, ddof=1))
    intervals = fit.conf_int(alpha=alpha)
    rows = []
    for term, name in design.focal.items():
        estimate = float(fit.params[name])
        sd_x = float(np.std(exog[:, exog_names.index(name)], ddof=1))
        rows.append(
            {
                "term": term,
                "n": int(fit.nobs),
                "estimate": estimate,
                "ci_low": float(intervals.loc[name, 0]),
                "ci_high": float(intervals.loc[name, 1]),
                "statistic": float(fit.tvalues[name]),
                "p_value": float(fit.pvalues[name]),
                "effect_size": estimate * sd_x / sd_y,
            }
        )
    result = pd.DataFrame(rows)
    result["p_adjusted"] = adjust_pvalues(result["p_value"].to_numpy(), method=adjust)
    result["r_squared"] = float(fit.rsquared)
    result["adj_r_squared"] = float(fit.rsquared_adj)
    result["controls"] = design.controls
    result["cov_type"] = cov_type
    adjusted = "" if adjust == "none" or len(result) == 1 else f"; {adjust}-adjusted over terms"
    result["method"] = f"OLS, {_cov_text(cov_type, cluster, hac_lags)}{adjusted}"
    result["clear"] = clear_column(result["ci_low"], result["ci_high"])
    return result[_REGRESS_COLUMNS]


def regression_diagnostics(
    data: pd.DataFrame,
    *,
    y: str | None = None,
    x: str | Sequence[str],
    controls: Sequence[str] = (),
    log: Sequence[str] = (),
    log1p: Sequence[str] = (),
    cov_type: str = "HC3",
    cluster: str | None = None,
    hac_lags: int | None = None,
    formula: str | None = None,
    alpha: float = 0.05,
    adjust: str = "holm",
) -> pd.DataFrame:
    """Checks of the OLS model :func:`regress` fits with the same arguments.

    Takes exactly the arguments of :func:`regress` (so ``regression_diagnostics(data,
    **kwargs)`` checks ``regress(data, **kwargs)``); the standard-error arguments are
    validated but do not change the checks, which use the OLS residuals.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit.
    y, x, controls, log, log1p, cov_type, cluster, hac_lags, formula, alpha, adjust
        As in :func:`regress`.

    Returns
    -------
    pandas.DataFrame
        Five rows, ``test`` in this order: "breusch_pagan" (Koenker's studentized LM
        test of residual variance against the regressors, statsmodels
        ``het_breuschpagan``), "jarque_bera" (residual normality, statsmodels
        ``jarque_bera``), "max_vif" (largest variance inflation factor of the focal
        terms, statsmodels ``variance_inflation_factor`` on the design with its
        intercept), "condition_number" (of the unscaled design, statsmodels
        ``condition_number``) and "n_dropped" (rows left out for missing values);
        columns ``test``, ``statistic``, ``p_value`` (missing where there is no test),
        ``note`` (one plain line on how to read it).

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> movies = load_dataset("csm_movies_social_boxoffice")
    >>> checks = regression_diagnostics(movies, y="gross_usd", x="likes",
    ...                                 controls=["budget_usd"], log=["gross_usd", "likes"])
    >>> checks["test"].tolist()
    ['breusch_pagan', 'jarque_bera', 'max_vif', 'condition_number', 'n_dropped']
    >>> int(checks.loc[4, "statistic"])
    1
    """
    function = "regression_diagnostics"
    design = _design(data, function, y=y, x=x, controls=controls, log=log, log1p=log1p,
                     cov_type=cov_type, cluster=cluster, hac_lags=hac_lags, formula=formula,
                     alpha=alpha, adjust=adjust)  # fmt: skip
    fit = design.model.fit()
    exog = design.model.exog
    exog_names = list(design.model.exog_names)
    bp_stat, bp_p, _, _ = het_breuschpagan(fit.resid, exog)
    jb_stat, jb_p, skew, kurtosis = jarque_bera(fit.resid)
    vifs = {
        term: float(variance_inflation_factor(exog, exog_names.index(name)))
        for term, name in design.focal.items()
    }
    worst = max(vifs, key=vifs.get)
    n = int(fit.nobs)
    dropped = design.n_total - n
    where = ", ".join(f"{c}: {m}" for c, m in design.missing.items() if m)
    rows = [
        ("breusch_pagan", float(bp_stat), float(bp_p),
         "small p: the residual spread changes with the regressors; keep robust (HC3) "
         "standard errors"),
        ("jarque_bera", float(jb_stat), float(jb_p),
         f"small p: residuals are not normal (skew {skew:.2f}, kurtosis {kurtosis:.2f}); "
         "consider logs of skewed columns; large-sample inference still holds"),
        ("max_vif", vifs[worst], np.nan,
         f"largest for {worst!r}; above 5-10 the focal term is nearly explained by the "
         "other regressors and its standard error is inflated"),
        ("condition_number", float(fit.condition_number), np.nan,
         "of the unscaled design; above ~1000 (statsmodels' warning) columns are collinear "
         "or on very different scales"),
        ("n_dropped", float(dropped), np.nan,
         f"{dropped} of {design.n_total} rows left out for missing values"
         + (f" (missing per column: {where})" if where else "")),
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["test", "statistic", "p_value", "note"])


# --------------------------------------------------------------------------- partial


def partial_correlate(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    controls: str | Sequence[str],
    method: str = "pearson",
    log: Sequence[str] = (),
    log1p: Sequence[str] = (),
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Correlation of ``x`` and ``y`` once ``controls`` are taken out of both.

    On the rows where every column is present, ``x`` and ``y`` are each regressed on
    the controls (statsmodels OLS with an intercept; text, categorical and boolean
    controls as dummies) and the residuals are correlated (scipy ``pearsonr``). The t
    test uses n - 2 - k degrees of freedom and the interval Fisher's z with n - k
    rows, k being the number of control columns in the design (a categorical control
    counts one per dummy). "spearman" does the same on ranks: ``x``, ``y`` and the
    numeric controls are replaced by their ranks (ties averaged) first; dummies are
    not ranked. This equals pingouin's ``partial_corr``.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit.
    x, y : str
        The two numeric columns to correlate.
    controls : str or list of str
        Columns to hold fixed (an empty list gives the plain correlation).
    method : str, default "pearson"
        One of :data:`PARTIAL_METHODS`.
    log, log1p : list of str
        Columns among ``x``, ``y`` and the numeric controls entered as log (positive
        values only) or log(1 + value) (values >= 0), as in :func:`regress`. For
        "spearman" this does not change ``x`` or ``y`` (ranks are unchanged by a log).
    alpha : float, default 0.05
        1 - confidence level of the interval.

    Returns
    -------
    pandas.DataFrame
        One row, columns (in this order): ``x``, ``y`` (names, ``log(...)`` when logged),
        ``controls`` (as entered), ``n``, ``estimate`` (partial r or rho), ``ci_low``,
        ``ci_high``, ``statistic`` (t with n - 2 - k df), ``p_value`` (two-sided),
        ``effect_size`` (= ``estimate``), ``method``, ``clear`` (True when the interval
        excludes zero).

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> movies = load_dataset("csm_movies_social_boxoffice")
    >>> r = partial_correlate(movies, x="likes", y="gross_usd", controls=["budget_usd"],
    ...                       method="spearman")
    >>> r[["x", "y", "controls", "n"]]
           x          y    controls    n
    0  likes  gross_usd  budget_usd  230
    >>> bool(r.loc[0, "ci_low"] < r.loc[0, "estimate"] < r.loc[0, "ci_high"])
    True
    """
    function = "partial_correlate"
    one_of(function, "method", method, PARTIAL_METHODS)
    check_alpha(alpha, function)
    for name, value in (("x", x), ("y", y)):
        if not isinstance(value, str):
            raise ParameterError(
                f"The {name!r} parameter of {function} must be a column name. Got {value!r}."
            )
    controls = _names(controls, "controls", function)
    _no_overlap(function, {"x": [x], "y": [y], "controls": controls})
    require_columns(data, [x, y, *controls], function)
    transform = _transforms(log, log1p, [x, y, *controls], function)
    _not_all_missing(data, [x, y, *controls], function)
    columns: dict[str, pd.Series] = {}
    numeric: list[str] = [x, y]
    for column in [x, y, *controls]:
        values = data[column]
        if column in (x, y) or column in transform or _is_numeric(values):
            columns[column] = _transformed(data, column, transform.get(column), function)
            if column not in numeric:
                numeric.append(column)
        else:
            columns[column] = values
    frame = pd.DataFrame(columns).dropna()
    n = len(frame)
    for column in [x, y, *controls]:
        _not_constant(frame[column], column, n, function)
    if method == "spearman":
        for column in numeric:
            frame[column] = stats.rankdata(frame[column])
    parts = [pd.DataFrame({"const": np.ones(n)}, index=frame.index)]
    for column in controls:
        if column in numeric:
            parts.append(frame[[column]].astype("float64"))
        else:
            parts.append(pd.get_dummies(frame[column], prefix=column, drop_first=True,
                                        dtype="float64"))  # fmt: skip
    design = pd.concat(parts, axis=1).to_numpy()
    k = design.shape[1] - 1
    if n - k < 4:
        raise SchemaError(
            f"{function}: too few rows: {n} complete rows for {k} control term(s); expected "
            f"at least {k + 4} (n - k - 3 > 0 for the Fisher interval)"
        )
    residuals = {}
    for column in (x, y):
        residual = np.asarray(sm.OLS(frame[column].to_numpy(float), design).fit().resid)
        if np.std(residual) <= 1e-12 * max(np.std(frame[column].to_numpy(float)), 1e-300):
            raise SchemaError(
                f"{function}: column {column!r} is fully explained by the controls "
                f"{controls} on the {n} complete rows; expected variation left over",
                column=column,
            )
        residuals[column] = residual
    r = float(stats.pearsonr(residuals[x], residuals[y]).statistic)
    dof = n - 2 - k
    with np.errstate(divide="ignore"):
        statistic = r * np.sqrt(dof / (1 - r**2)) if abs(r) < 1 else np.sign(r) * np.inf
    p_value = float(2 * stats.t.sf(abs(statistic), dof))
    crit = stats.norm.ppf(1 - alpha / 2)
    z, se = np.arctanh(r), 1 / np.sqrt(n - k - 3)
    described = ", ".join(_label(c, transform.get(c)) for c in controls)
    name = "Pearson" if method == "pearson" else "Spearman (ranks)"
    low, high = float(np.tanh(z - crit * se)), float(np.tanh(z + crit * se))
    return pd.DataFrame(
        {
            "x": [_label(x, transform.get(x))],
            "y": _label(y, transform.get(y)),
            "controls": described,
            "n": n,
            "estimate": r,
            "ci_low": low,
            "ci_high": high,
            "statistic": float(statistic),
            "p_value": p_value,
            "effect_size": r,
            "method": f"partial {name} correlation of OLS residuals, t with n - 2 - k df, "
            f"{1 - alpha:.0%} Fisher z interval",
            "clear": bool(clear_column([low], [high])[0]),
        }
    )


# --------------------------------------------------------------------------- groups


def compare_groups(
    data: pd.DataFrame,
    *,
    value: str,
    group: str,
    method: str = "welch",
    posthoc: bool = True,
    alpha: float = 0.05,
    adjust: str | None = None,
) -> dict[str, pd.DataFrame]:
    """Do the groups differ in ``value``? An omnibus test and post-hoc pairwise comparisons.

    The profile comparison of the 2009 study done properly: a test of all groups at once
    with an effect size, then every pair with intervals and adjusted p-values.

    - ``"welch"`` (default): Welch's ANOVA (statsmodels ``anova_oneway`` with unequal
      variances); post hoc Games-Howell (Welch t per pair, p-values and simultaneous
      intervals from the studentized range, scipy ``studentized_range``), or Welch
      t-tests with ``adjust`` when one is given.
    - ``"anova"``: classic one-way ANOVA (equal variances); post hoc Student t-tests
      (pooled variance of the pair, scipy ``ttest_ind``) with ``adjust`` (default holm).
    - ``"kruskal"``: Kruskal-Wallis H (scipy ``kruskal``); post hoc Mann-Whitney U tests
      (scipy ``mannwhitneyu``, two-sided) with ``adjust`` (default holm).

    Effect sizes: omega squared for "welch" and "anova", df1 (F - 1) / (df1 (F - 1) + N)
    (for the classic F this is exactly (SS_between - df1 MS_within) / (SS_total +
    MS_within); for the Welch F it is the usual approximation; it can be slightly
    negative when F < 1); epsilon squared H / (N - 1) for "kruskal". Per pair: Hedges'
    g (statsmodels ``effectsize_smd``, pooled sd, small-sample corrected) for mean
    comparisons, the rank-biserial correlation 2 U / (n_a n_b) - 1 for Mann-Whitney.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit.
    value : str
        Numeric column compared (missing values are left out).
    group : str
        Column of group labels; a categorical column keeps its category order (empty
        categories are left out), other columns are sorted. Every group needs at least
        2 values.
    method : str, default "welch"
        One of :data:`COMPARE_METHODS`.
    posthoc : bool, default True
        Whether to compute the pairwise comparisons.
    alpha : float, default 0.05
        1 - confidence level of the pairwise intervals.
    adjust : str, optional
        Adjustment of the pairwise p-values: one of :data:`ADJUST_METHODS`, or
        "games-howell" (only with "welch"). ``None`` means "games-howell" for "welch"
        and "holm" otherwise.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``"omnibus"``: one row, columns (in this order) ``value``, ``group`` (the column
        names), ``n``, ``n_groups``, ``statistic`` (F or H), ``df1``, ``df2`` (missing for
        Kruskal-Wallis), ``p_value``, ``effect_size``, ``method``.
        ``"posthoc"``: one row per pair of groups in group order (empty, with the same
        columns, when ``posthoc=False``), columns ``group_a``, ``group_b``, ``n_a``,
        ``n_b``, ``estimate`` (mean of a - mean of b; median of a - median of b for
        "kruskal"), ``ci_low``, ``ci_high`` (Games-Howell simultaneous interval, or the
        unadjusted t interval; missing for "kruskal"), ``statistic`` (t, or U of group
        a), ``p_value`` (unadjusted), ``p_adjusted``, ``effect_size``, ``method``,
        ``clear`` (True when the interval excludes zero; False when it is missing).

    Examples
    --------
    >>> import pandas as pd
    >>> from scrm_lab.datasets import load_dataset
    >>> movies = load_dataset("csm_movies_social_boxoffice")
    >>> movies["budget_band"] = pd.qcut(movies["budget_usd"], 3, labels=["low", "mid", "high"])
    >>> result = compare_groups(movies, value="rating", group="budget_band")
    >>> result["omnibus"][["n", "n_groups"]]
         n  n_groups
    0  230         3
    >>> result["posthoc"][["group_a", "group_b", "n_a", "n_b"]]
      group_a group_b  n_a  n_b
    0     low     mid   77   85
    1     low    high   77   68
    2     mid    high   85   68
    """
    function = "compare_groups"
    one_of(function, "method", method, COMPARE_METHODS)
    check_alpha(alpha, function)
    options = (*ADJUST_METHODS, "games-howell")
    if adjust is not None:
        one_of(function, "adjust", adjust, options)
    if adjust == "games-howell" and method != "welch":
        raise ParameterError(
            f"{function}: adjust='games-howell' goes with method='welch'. Got "
            f"method={method!r}; expected one of {list(ADJUST_METHODS)} or None."
        )
    if not isinstance(posthoc, bool):
        raise ParameterError(
            f"The 'posthoc' parameter of {function} must be True or False. Got {posthoc!r}."
        )
    if adjust is None:
        adjust = "games-howell" if method == "welch" else "holm"
    _no_overlap(function, {"value": [value], "group": [group]})
    require_columns(data, [value, group], function)
    _not_all_missing(data, [value, group], function)
    frame = pd.DataFrame({"g": data[group], "v": numeric_column(data, value, function)})
    frame = frame.dropna()
    n = len(frame)
    samples = {
        label: values.to_numpy(float)
        for label, values in frame.groupby("g", observed=True, sort=True)["v"]
    }
    if len(samples) < 2:
        raise SchemaError(
            f"{function}: column {group!r} has {len(samples)} group with values of {value!r}; "
            "expected at least 2 groups",
            column=group,
        )
    for label, values in samples.items():
        if len(values) < 2:
            raise SchemaError(
                f"{function}: group {label!r} of column {group!r} has {len(values)} value of "
                f"{value!r}; expected at least 2 per group",
                column=group,
            )
    _not_constant(frame["v"], value, n, function)
    if method == "welch":
        for label, values in samples.items():
            if np.ptp(values) == 0:
                raise SchemaError(
                    f"{function}: group {label!r} of column {group!r} has a constant "
                    f"{value!r} ({values[0]}); Welch's ANOVA weighs groups by 1 / variance, "
                    "expected variation in every group (or use method='kruskal')",
                    column=value,
                )
    arrays = list(samples.values())
    k = len(arrays)
    if method == "kruskal":
        test = stats.kruskal(*arrays)
        statistic, p_value, df1, df2 = float(test.statistic), float(test.pvalue), k - 1, np.nan
        effect = statistic / (n - 1)
        described = "Kruskal-Wallis H (scipy); effect size epsilon squared"
    else:
        use_var = "unequal" if method == "welch" else "equal"
        test = anova_oneway(arrays, use_var=use_var, welch_correction=True)
        statistic, p_value = float(test.statistic), float(test.pvalue)
        df1, df2 = (float(d) for d in test.df)
        effect = df1 * (statistic - 1) / (df1 * (statistic - 1) + n)
        name = "Welch's ANOVA" if method == "welch" else "one-way ANOVA"
        described = f"{name} (statsmodels anova_oneway); effect size omega squared"
    omnibus = pd.DataFrame(
        {
            "value": [value],
            "group": group,
            "n": n,
            "n_groups": k,
            "statistic": statistic,
            "df1": float(df1),
            "df2": float(df2),
            "p_value": p_value,
            "effect_size": float(effect),
            "method": described,
        }
    )
    if not posthoc:
        return {"omnibus": omnibus, "posthoc": pd.DataFrame(columns=_POSTHOC_COLUMNS)}
    return {"omnibus": omnibus, "posthoc": _posthoc(samples, method, adjust, alpha)}


def _posthoc(
    samples: dict[object, np.ndarray], method: str, adjust: str, alpha: float
) -> pd.DataFrame:
    labels = list(samples)
    k = len(labels)
    rows = []
    for i in range(k):
        for j in range(i + 1, k):
            a, b = samples[labels[i]], samples[labels[j]]
            row = {"group_a": labels[i], "group_b": labels[j], "n_a": len(a), "n_b": len(b)}
            if method == "kruskal":
                test = stats.mannwhitneyu(a, b, alternative="two-sided")
                row |= {
                    "estimate": float(np.median(a) - np.median(b)),
                    "ci_low": np.nan,
                    "ci_high": np.nan,
                    "statistic": float(test.statistic),
                    "p_value": float(test.pvalue),
                    "effect_size": 2 * float(test.statistic) / (len(a) * len(b)) - 1,
                }
            else:
                test = stats.ttest_ind(a, b, equal_var=method == "anova")
                diff = float(a.mean() - b.mean())
                if adjust == "games-howell":
                    se = np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
                    half = stats.studentized_range.ppf(1 - alpha, k, test.df) / np.sqrt(2) * se
                    low, high = diff - half, diff + half
                    gh = stats.studentized_range.sf(np.sqrt(2) * abs(test.statistic), k, test.df)
                    row["p_gh"] = float(np.clip(gh, 0, 1))
                else:
                    low, high = test.confidence_interval(1 - alpha)
                g, _ = effectsize_smd(a.mean(), a.std(ddof=1), len(a), b.mean(),
                                      b.std(ddof=1), len(b))  # fmt: skip
                row |= {
                    "estimate": diff,
                    "ci_low": float(low),
                    "ci_high": float(high),
                    "statistic": float(test.statistic),
                    "p_value": float(test.pvalue),
                    "effect_size": float(g),
                }
            rows.append(row)
    result = pd.DataFrame(rows)
    if adjust == "games-howell":
        result["p_adjusted"] = result.pop("p_gh")
        result["method"] = "Games-Howell (Welch t, studentized range); Hedges' g"
    else:
        result["p_adjusted"] = adjust_pvalues(result["p_value"].to_numpy(), method=adjust)
        test = {"welch": "Welch t-test", "anova": "Student t-test (pooled sd of the pair)",
                "kruskal": "Mann-Whitney U"}[method]  # fmt: skip
        effect = "rank-biserial r" if method == "kruskal" else "Hedges' g"
        result["method"] = f"{test}, {adjust}-adjusted; {effect}"
    result["clear"] = clear_column(result["ci_low"], result["ci_high"])
    return result[_POSTHOC_COLUMNS]
