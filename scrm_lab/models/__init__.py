"""Hypothesis tests and estimates returning tidy result tables.

Every function takes a tidy table first and column names as keyword arguments, and returns a
new DataFrame in the shared result vocabulary: ``n``, ``estimate``, ``ci_low``, ``ci_high``,
``statistic``, ``p_value``, ``p_adjusted``, ``effect_size``, ``method`` (and ``term`` or
``model`` where a table has several rows). The computations are scipy's, statsmodels' and
linearmodels'; this module and its private parts are glue:

- correlation: :func:`correlate` (Pearson, Spearman, Kendall; analytic, bootstrap and
  permutation inference; many pairs with :func:`adjust_pvalues`), :func:`power_correlation`,
  :func:`power_two_groups` (power and minimum detectable effects), :func:`verdict`
  (a plain-words sentence per result) (``_correlation.py``);
- group comparisons: :func:`group_means`, :func:`group_difference`, :func:`composition_gap`
  (here), :func:`compare_groups` (Welch ANOVA / Kruskal-Wallis with post-hoc pairs);
- regression with controls: :func:`regress`, :func:`regression_diagnostics`,
  :func:`partial_correlate` (``_regression.py``);
- panels: :func:`panel_effects` (entity and time fixed effects), :func:`lead_lag`
  (Granger-type tests both ways), :func:`lead_lag_summary`, :func:`aggregate_panel`
  (``_panel.py``).

Vocabulary
----------
Every statistical function of scrm_lab (here, in :mod:`scrm_lab.engagement`,
:mod:`scrm_lab.service`, :mod:`scrm_lab.network` and :mod:`scrm_lab.studies`) speaks it:

- ``alpha``: the significance level; intervals have confidence level 1 - ``alpha``
  (default 0.05). No function takes a level such as ``ci=0.95``.
- ``ci_method``: how an interval is computed (``correlate(ci_method="bootstrap")``).
- ``x`` and ``y``: the two columns of a relation (correlation, regression, panel);
  ``value`` and ``group``: the numeric column and the column of group labels of a group
  comparison (``group`` is always a column name).
- ``adjust``: a multiple-testing adjustment, one of :data:`ADJUST_METHODS` (statsmodels
  ``multipletests`` names, or ``"none"``) for every function that takes it.
- ``cov_type``: statsmodels' spellings, ``"cluster"`` for clustered standard errors.
- ``seed``: 0 by default wherever there is randomness.
- Result columns: ``n``, ``estimate``, ``ci_low``, ``ci_high``, ``statistic``, ``p_value``,
  ``p_adjusted``, ``effect_size``, ``method``; an effect table (rows with an estimate and
  its interval) ends with ``clear``: True when the interval excludes zero at the
  function's ``alpha`` (excludes 1 for a ratio, where the function says so).
- Sentence functions (:func:`verdict`) return a list of str, one sentence per row; they
  word p-values and intervals with :func:`p_text` and :func:`interval_text`, and
  :func:`bullet_list` turns sentences into Markdown bullets (``_wording.py``).

Old keyword names (``ci=0.95``, ``ci="bootstrap"``, ``outcome=``, ``cov_type="clustered"``)
keep working for one minor version with a FutureWarning that names the new one.

Examples
--------
>>> import pandas as pd
>>> data = pd.DataFrame({"group": ["a"] * 4 + ["b"] * 4, "y": [1, 2, 3, 4, 3, 4, 5, 6.0]})
>>> group_means(data, value="y", group="group")[["group", "n", "estimate"]]
  group  n  estimate
0     a  4       2.5
1     b  4       4.5
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats

from scrm_lab._checks import (
    check_alpha,
    check_level,
    numeric_column,
    renamed,
    require_columns,
    suggest,
)
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.models._correlation import (
    CI_METHODS,
    CORRELATION_METHODS,
    adjust_pvalues,
    correlate,
    power_correlation,
    power_two_groups,
    verdict,
)
from scrm_lab.models._panel import (
    LEAD_LAG_COLUMNS,
    PANEL_COV_TYPES,
    PANEL_EFFECTS_COLUMNS,
    aggregate_panel,
    lead_lag,
    lead_lag_summary,
    panel_effects,
)
from scrm_lab.models._regression import (
    COMPARE_METHODS,
    REGRESSION_COV_TYPES,
    compare_groups,
    partial_correlate,
    regress,
    regression_diagnostics,
)
from scrm_lab.models._vocabulary import ADJUST_METHODS, clear_column, new_or_old
from scrm_lab.models._wording import bullet_list, interval_text, p_text

__all__ = [
    "ADJUST_METHODS",
    "CI_METHODS",
    "COMPARE_METHODS",
    "CORRELATION_METHODS",
    "COV_TYPES",
    "LEAD_LAG_COLUMNS",
    "PANEL_COV_TYPES",
    "PANEL_EFFECTS_COLUMNS",
    "REGRESSION_COV_TYPES",
    "adjust_pvalues",
    "aggregate_panel",
    "bullet_list",
    "compare_groups",
    "composition_gap",
    "correlate",
    "group_difference",
    "group_means",
    "interval_text",
    "lead_lag",
    "lead_lag_summary",
    "p_text",
    "panel_effects",
    "partial_correlate",
    "power_correlation",
    "power_two_groups",
    "regress",
    "regression_diagnostics",
    "verdict",
]

#: Standard-error types accepted by :func:`group_difference` (statsmodels names).
COV_TYPES = ("nonrobust", "HC0", "HC1", "HC2", "HC3")


def group_means(
    data: pd.DataFrame,
    *,
    value: str,
    group: str,
    alpha: float = 0.05,
    ci: float | None = None,
) -> pd.DataFrame:
    """Mean of ``value`` per group with a t confidence interval.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy table, one row per unit.
    value : str
        Numeric column to average; missing values are left out.
    group : str
        Column defining the groups; a categorical column keeps its category order (empty
        categories are left out), other columns are sorted.
    alpha : float, default 0.05
        The intervals have confidence level 1 - ``alpha``.
    ci : float, optional
        Deprecated: the confidence level, now ``alpha`` = 1 - ``ci`` (a FutureWarning says
        so); removed in the next minor version.

    Returns
    -------
    pandas.DataFrame
        One row per group, columns (in this order): ``<group>``, ``n``, ``estimate`` (mean),
        ``sd``, ``ci_low``, ``ci_high`` (mean +- t quantile x sd / sqrt(n); missing when
        n < 2), ``method``.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> movies = load_dataset("csm_movies_social_boxoffice")
    >>> means = group_means(movies, value="rating", group="year")
    >>> means[["year", "n"]].to_dict("records")
    [{'year': 2014, 'n': 163}, {'year': 2015, 'n': 68}]
    """
    function = "group_means"
    require_columns(data, [value, group], function)
    if ci is not None:
        check_level(ci, function)
        alpha = 1 - renamed("ci", "alpha", ci, function)
    alpha = check_alpha(alpha, function)
    values = numeric_column(data, value, function)
    frame = pd.DataFrame({"group": data[group], "value": values}).dropna()
    if frame.empty:
        raise SchemaError(
            f"{function}: column '{value}' has no values to average (all missing)", column=value
        )
    grouped = frame.groupby("group", observed=True, sort=True)["value"]
    summary = grouped.agg(["count", "mean", "std"]).reset_index()
    half = stats.t.ppf(1 - alpha / 2, summary["count"] - 1) * summary["std"]
    half = half / np.sqrt(summary["count"])
    return pd.DataFrame(
        {
            group: summary["group"],
            "n": summary["count"].astype("int64"),
            "estimate": summary["mean"],
            "sd": summary["std"],
            "ci_low": summary["mean"] - half,
            "ci_high": summary["mean"] + half,
            "method": f"mean with {1 - alpha:.0%} t interval",
        }
    )


def group_difference(
    data: pd.DataFrame,
    *,
    value: str | None = None,
    group: str,
    target: str,
    reference: str,
    controls: Sequence[str] = (),
    log_controls: Sequence[str] = (),
    cov_type: str = "HC3",
    alpha: float = 0.05,
    outcome: str | None = None,
    ci: float | None = None,
) -> pd.DataFrame:
    """Difference in ``value`` between two groups, raw and adjusted for controls.

    Fits two OLS regressions with statsmodels on the rows where every column used is
    present: ``value ~ C(group)`` and ``value ~ C(group) + controls``, with ``reference``
    as the base level, and reports the ``target`` coefficient of each: the raw gap (equal to
    the difference of the two group means) and the gap that remains once the controls are
    held fixed. ``share_explained`` = 1 - adjusted / raw is the part of the raw gap that the
    controls account for.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit.
    value : str
        Numeric outcome column (required).
    group : str
        Column of group labels; rows of groups other than ``target`` and ``reference``
        stay in the model (they get their own coefficient) but are not reported.
    target, reference : str
        The two groups compared (``target`` minus ``reference``).
    controls : sequence of str
        Control columns; numeric ones enter linearly, others as categorical dummies.
    log_controls : sequence of str
        Positive numeric controls entered as natural logs (size, brand value, revenue).
    cov_type : str, default "HC3"
        Standard errors: one of :data:`COV_TYPES` (HC3 is robust to unequal variances).
    alpha : float, default 0.05
        The intervals have confidence level 1 - ``alpha``.
    outcome : str, optional
        Deprecated name of ``value`` (a FutureWarning says so).
    ci : float, optional
        Deprecated: the confidence level, now ``alpha`` = 1 - ``ci``.

    Returns
    -------
    pandas.DataFrame
        Two rows (``model`` "raw" and "adjusted"; one row if there are no controls), columns
        in this order: ``model``, ``term`` (``"<target> - <reference>"``), ``controls``,
        ``n``, ``estimate``, ``ci_low``, ``ci_high``, ``statistic`` (t), ``p_value``,
        ``r_squared``, ``share_explained`` (missing on the raw row), ``method``, ``clear``
        (True when the interval excludes zero).

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> movies = load_dataset("csm_movies_social_boxoffice")
    >>> liked = movies["likes"] > movies["likes"].median()
    >>> movies["hit"] = liked.map({True: "high", False: "low"})
    >>> gap = group_difference(movies, value="rating", group="hit", target="high",
    ...                        reference="low", log_controls=["budget_usd"])
    >>> gap["model"].tolist()
    ['raw', 'adjusted']
    """
    function = "group_difference"
    value = new_or_old(function, "value", value, "outcome", outcome)
    controls, log_controls = list(controls), list(log_controls)
    require_columns(data, [value, group, *controls, *log_controls], function)
    if ci is not None:
        check_level(ci, function)
        alpha = 1 - renamed("ci", "alpha", ci, function)
    alpha = check_alpha(alpha, function)
    if cov_type not in COV_TYPES:
        hint = suggest(cov_type, COV_TYPES)
        raise ParameterError(
            f"The 'cov_type' parameter of {function} must be one of {list(COV_TYPES)}. "
            f"Got {cov_type!r} instead.{hint}"
        )
    columns = {"y": numeric_column(data, value, function), "g": data[group].astype("string")}
    for i, name in enumerate(controls):
        values = data[name]
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        columns[f"c{i}"] = values.astype("float64") if numeric else values.astype("string")
    for i, name in enumerate(log_controls):
        values = numeric_column(data, name, function)
        if (values.dropna() <= 0).any():
            raise SchemaError(
                f"{function}: log control '{name}' has values <= 0; expected positive numbers",
                column=name,
            )
        columns[f"l{i}"] = np.log(values)
    frame = pd.DataFrame(columns).dropna()
    levels = set(frame["g"])
    for label, given in (("target", target), ("reference", reference)):
        if given not in levels:
            raise ParameterError(
                f"The '{label}' parameter of {function} must be a group present in column "
                f"'{group}' (with complete data): {sorted(levels)}. Got {given!r} instead."
            )
    if target == reference:
        raise ParameterError(
            f"The 'target' and 'reference' parameters of {function} must differ. "
            f"Got {target!r} for both."
        )
    design = [
        f"C(c{i})" if frame[f"c{i}"].dtype == "string" else f"c{i}" for i in range(len(controls))
    ] + [f"l{i}" for i in range(len(log_controls))]
    base = f"y ~ C(g, Treatment(reference={reference!r}))"
    term = f"C(g, Treatment(reference={reference!r}))[T.{target}]"
    models = [("raw", base, "")]
    if design:
        described = ", ".join(controls + [f"log({c})" for c in log_controls])
        models.append(("adjusted", base + " + " + " + ".join(design), described))
    rows = []
    for model, formula, described in models:
        fit = smf.ols(formula, data=frame).fit(cov_type=cov_type)
        low, high = fit.conf_int(alpha=alpha).loc[term]
        rows.append(
            {
                "model": model,
                "term": f"{target} - {reference}",
                "controls": described,
                "n": int(fit.nobs),
                "estimate": float(fit.params[term]),
                "ci_low": float(low),
                "ci_high": float(high),
                "statistic": float(fit.tvalues[term]),
                "p_value": float(fit.pvalues[term]),
                "r_squared": float(fit.rsquared),
                "method": f"OLS, {cov_type} standard errors",
            }
        )
    result = pd.DataFrame(rows)
    raw = result.loc[0, "estimate"]
    result["share_explained"] = np.where(
        result["model"] == "adjusted", 1 - result["estimate"] / raw if raw else np.nan, np.nan
    )
    result["clear"] = clear_column(result["ci_low"], result["ci_high"])
    order = ["model", "term", "controls", "n", "estimate", "ci_low", "ci_high", "statistic",
             "p_value", "r_squared", "share_explained", "method", "clear"]  # fmt: skip
    return result[order]


def composition_gap(
    data: pd.DataFrame,
    *,
    value: str | None = None,
    group: str,
    stratum: str,
    target: str,
    reference: str,
    outcome: str | None = None,
) -> pd.DataFrame:
    """How much of a gap between two groups their mix of strata (sectors) alone would give.

    Every unit is given the mean outcome of its stratum (over all units with an outcome);
    the difference of those stratum means between ``target`` and ``reference`` is the gap
    the groups' stratum composition produces with no difference within strata. The rest of
    the observed gap is the within-stratum part. This is the standardisation that a
    comparison of uncontrolled group means (as in the 2009 study) leaves out.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit.
    value : str
        Numeric outcome column (missing values are left out; required).
    group : str
        Column of group labels.
    stratum : str
        Column of strata (e.g. sector).
    target, reference : str
        The two groups compared (``target`` minus ``reference``).
    outcome : str, optional
        Deprecated name of ``value`` (a FutureWarning says so).

    Returns
    -------
    pandas.DataFrame
        Three rows, ``component`` "observed", "composition" and "within", with columns
        ``component``, ``term``, ``n_target``, ``n_reference``, ``estimate`` and ``share``
        (of the observed gap), ``method``.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"g": ["a", "a", "b", "b"], "s": ["x", "x", "y", "x"],
    ...                      "y": [10.0, 12.0, 0.0, 11.0]})
    >>> composition_gap(data, value="y", group="g", stratum="s", target="a",
    ...                 reference="b")[["component", "estimate"]]
         component  estimate
    0     observed       5.5
    1  composition       5.5
    2       within       0.0
    """
    function = "composition_gap"
    value = new_or_old(function, "value", value, "outcome", outcome)
    require_columns(data, [value, group, stratum], function)
    frame = pd.DataFrame(
        {
            "y": numeric_column(data, value, function),
            "g": data[group].astype("string"),
            "s": data[stratum].astype("string"),
        }
    ).dropna()
    levels = set(frame["g"])
    for label, given in (("target", target), ("reference", reference)):
        if given not in levels:
            raise ParameterError(
                f"The '{label}' parameter of {function} must be a group present in column "
                f"'{group}' (with an outcome): {sorted(levels)}. Got {given!r} instead."
            )
    frame["stratum_mean"] = frame.groupby("s")["y"].transform("mean")
    target_rows, reference_rows = frame["g"] == target, frame["g"] == reference
    observed = frame.loc[target_rows, "y"].mean() - frame.loc[reference_rows, "y"].mean()
    composition = (
        frame.loc[target_rows, "stratum_mean"].mean()
        - frame.loc[reference_rows, "stratum_mean"].mean()
    )
    estimates = {"observed": observed, "composition": composition, "within": observed - composition}
    return pd.DataFrame(
        {
            "component": list(estimates),
            "term": f"{target} - {reference}",
            "n_target": int(target_rows.sum()),
            "n_reference": int(reference_rows.sum()),
            "estimate": list(estimates.values()),
            "share": [v / observed if observed else np.nan for v in estimates.values()],
            "method": f"direct standardisation on {stratum} means of {value}",
        }
    )
