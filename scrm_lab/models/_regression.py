"""Regression with controls and partial correlation, as tidy tables.

Two questions a social CRM study asks once raw correlations are not enough:

- :func:`regress` (and :func:`regression_diagnostics`): does an engagement measure still
  predict revenue once size, sector and year are held fixed? OLS from statsmodels with
  robust (HC0-HC3), clustered or HAC (Newey-West) standard errors and log transforms for
  skewed money and count columns (the design is built in ``_design.py``).
- :func:`partial_correlate`: the correlation of two columns once controls are taken out of
  both (Pearson, or Spearman on ranks).

Group comparisons are in ``_groups.py``. The statistics are statsmodels' and scipy's; this
module is glue: it builds the design, calls the library and returns the shared result
vocabulary (``n``, ``estimate``, ``ci_low``, ``ci_high``, ``statistic``, ``p_value``,
``p_adjusted``, ``effect_size``, ``method``). Column names need not be valid Python
identifiers: the design is built on internal names and the original names are reported.

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

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.diagnostic import het_breuschpagan
from statsmodels.stats.outliers_influence import variance_inflation_factor
from statsmodels.stats.stattools import jarque_bera

from scrm_lab._checks import (
    ALPHA,
    COLUMN,
    Choice,
    ColumnNames,
    Integer,
    OrNone,
    checks,
    current_function,
    require_columns,
)
from scrm_lab.exceptions import SchemaError
from scrm_lab.models._design import (
    FORMULA,
    build_design,
    column_list,
    cov_text,
    fit_design,
    is_numeric,
    label,
    no_overlap,
    not_all_missing,
    not_constant,
    transformed,
    transforms,
)
from scrm_lab.models._multiple import adjust_pvalues
from scrm_lab.models._vocabulary import ADJUST, clear_column
from scrm_lab.models._wording import level_text

__all__ = [
    "PARTIAL_METHODS",
    "REGRESSION_COV_TYPES",
    "partial_correlate",
    "regress",
    "regression_diagnostics",
]

#: Standard errors accepted by :func:`regress` (statsmodels names).
REGRESSION_COV_TYPES = ("nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster", "HAC")
#: Correlation methods accepted by :func:`partial_correlate`.
PARTIAL_METHODS = ("pearson", "spearman")

_REGRESS_COLUMNS = ["term", "n", "estimate", "ci_low", "ci_high", "statistic", "p_value",
                    "p_adjusted", "effect_size", "r_squared", "adj_r_squared", "controls",
                    "cov_type", "method", "clear"]  # fmt: skip


#: The declared parameters shared by :func:`regress` and :func:`regression_diagnostics`.
_REGRESS_CHECKS = {
    "y": OrNone(COLUMN),
    "x": ColumnNames(),
    "controls": ColumnNames(empty_ok=True),
    "log": ColumnNames(empty_ok=True),
    "log1p": ColumnNames(empty_ok=True),
    "cov_type": Choice(REGRESSION_COV_TYPES),
    "cluster": OrNone(COLUMN),
    "hac_lags": OrNone(Integer(low=0)),
    "formula": OrNone(FORMULA),
    "alpha": ALPHA,
    "adjust": ADJUST,
}


@checks(**_REGRESS_CHECKS)
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
    design = build_design(data, y=y, x=x, controls=controls, log=log, log1p=log1p,
                     cov_type=cov_type, cluster=cluster, hac_lags=hac_lags,
                     formula=formula)  # fmt: skip
    fit = fit_design(design, cov_type, hac_lags)
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
    result["method"] = f"OLS, {cov_text(cov_type, cluster, hac_lags)}{adjusted}"
    result["clear"] = clear_column(result["ci_low"], result["ci_high"])
    return result[_REGRESS_COLUMNS]


@checks(**_REGRESS_CHECKS)
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
    design = build_design(data, y=y, x=x, controls=controls, log=log, log1p=log1p,
                     cov_type=cov_type, cluster=cluster, hac_lags=hac_lags,
                     formula=formula)  # fmt: skip
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


@checks(
    x=COLUMN,
    y=COLUMN,
    controls=ColumnNames(empty_ok=True),
    method=Choice(PARTIAL_METHODS),
    log=ColumnNames(empty_ok=True),
    log1p=ColumnNames(empty_ok=True),
    alpha=ALPHA,
)
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
    function = current_function()
    controls = column_list(controls)
    no_overlap({"x": [x], "y": [y], "controls": controls})
    require_columns(data, [x, y, *controls], function)
    transform = transforms(log, log1p, [x, y, *controls])
    not_all_missing(data, [x, y, *controls])
    columns: dict[str, pd.Series] = {}
    numeric: list[str] = [x, y]
    for column in [x, y, *controls]:
        values = data[column]
        if column in (x, y) or column in transform or is_numeric(values):
            columns[column] = transformed(data, column, transform.get(column))
            if column not in numeric:
                numeric.append(column)
        else:
            columns[column] = values
    frame = pd.DataFrame(columns).dropna()
    n = len(frame)
    for column in [x, y, *controls]:
        not_constant(frame[column], column, n)
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
    described = ", ".join(label(c, transform.get(c)) for c in controls)
    name = "Pearson" if method == "pearson" else "Spearman (ranks)"
    low, high = float(np.tanh(z - crit * se)), float(np.tanh(z + crit * se))
    return pd.DataFrame(
        {
            "x": [label(x, transform.get(x))],
            "y": label(y, transform.get(y)),
            "controls": described,
            "n": n,
            "estimate": r,
            "ci_low": low,
            "ci_high": high,
            "statistic": float(statistic),
            "p_value": p_value,
            "effect_size": r,
            "method": f"partial {name} correlation of OLS residuals, t with n - 2 - k df, "
            f"{level_text(alpha)} Fisher z interval",
            "clear": bool(clear_column([low], [high])[0]),
        }
    )
