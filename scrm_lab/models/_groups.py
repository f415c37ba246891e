"""Group comparisons: means, differences with controls, composition, omnibus and post hoc.

- :func:`group_means`: the mean of a column per group with a t interval;
- :func:`group_difference`: the gap between two groups, raw and adjusted for controls (OLS);
- :func:`composition_gap`: how much of a gap the groups' mix of strata alone would give;
- :func:`compare_groups`: do the groups differ at all? Welch's ANOVA, classic ANOVA or
  Kruskal-Wallis with an effect size, and post-hoc pairs (Games-Howell, t-tests or
  Mann-Whitney U with a multiple-testing adjustment).

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
from statsmodels.stats.meta_analysis import effectsize_smd
from statsmodels.stats.oneway import anova_oneway

from scrm_lab._checks import (
    ALPHA,
    COLUMN,
    Choice,
    ColumnNames,
    Flag,
    OrNone,
    Text,
    checks,
    current_function,
    numeric_column,
    refuse,
    renamed,
    require_columns,
)
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.models._design import column_list, no_overlap, not_all_missing, not_constant
from scrm_lab.models._multiple import adjust_pvalues
from scrm_lab.models._vocabulary import ADJUST_METHODS, clear_column, new_or_old
from scrm_lab.models._wording import level_text

__all__ = [
    "COMPARE_METHODS",
    "COV_TYPES",
    "compare_groups",
    "composition_gap",
    "group_difference",
    "group_means",
]

#: Standard-error types accepted by :func:`group_difference` (statsmodels names).
COV_TYPES = ("nonrobust", "HC0", "HC1", "HC2", "HC3")
#: Omnibus tests accepted by :func:`compare_groups`.
COMPARE_METHODS = ("welch", "anova", "kruskal")
_POSTHOC_COLUMNS = ["group_a", "group_b", "n_a", "n_b", "estimate", "ci_low", "ci_high",
                    "statistic", "p_value", "p_adjusted", "effect_size", "method",
                    "clear"]  # fmt: skip
#: A group label given as a parameter (checked against the data in the body).
_LABEL = Text("a group label (a non-empty str)")


# --------------------------------------------------------------------------- two groups


@checks(value=COLUMN, group=COLUMN, alpha=ALPHA, ci=OrNone(ALPHA))
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
    function = current_function()
    require_columns(data, [value, group], function)
    if ci is not None:
        alpha = 1 - renamed("ci", "alpha", ci, function)
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
            "method": f"mean with {level_text(alpha)} t interval",
        }
    )


@checks(
    value=OrNone(COLUMN),
    group=COLUMN,
    target=_LABEL,
    reference=_LABEL,
    controls=ColumnNames(empty_ok=True),
    log_controls=ColumnNames(empty_ok=True),
    cov_type=Choice(COV_TYPES),
    alpha=ALPHA,
    outcome=OrNone(COLUMN),
    ci=OrNone(ALPHA),
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
    function = current_function()
    value = new_or_old("value", value, "outcome", outcome)
    controls, log_controls = column_list(controls), column_list(log_controls)
    require_columns(data, [value, group, *controls, *log_controls], function)
    if ci is not None:
        alpha = 1 - renamed("ci", "alpha", ci, function)
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
            where = f"a group present in column '{group}' (with complete data): {sorted(levels)}"
            raise refuse(label, where, given)
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


@checks(
    value=OrNone(COLUMN),
    group=COLUMN,
    stratum=COLUMN,
    target=_LABEL,
    reference=_LABEL,
    outcome=OrNone(COLUMN),
)
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
    function = current_function()
    value = new_or_old("value", value, "outcome", outcome)
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
            where = f"a group present in column '{group}' (with an outcome): {sorted(levels)}"
            raise refuse(label, where, given)
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


# --------------------------------------------------------------------------- many groups


@checks(
    value=COLUMN,
    group=COLUMN,
    method=Choice(COMPARE_METHODS),
    posthoc=Flag(),
    alpha=ALPHA,
    adjust=OrNone(Choice((*ADJUST_METHODS, "games-howell"))),
)
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
    function = current_function()
    if adjust == "games-howell" and method != "welch":
        raise ParameterError(
            f"{function}: adjust='games-howell' goes with method='welch'. Got "
            f"method={method!r}; expected one of {list(ADJUST_METHODS)} or None."
        )
    if adjust is None:
        adjust = "games-howell" if method == "welch" else "holm"
    no_overlap({"value": [value], "group": [group]})
    require_columns(data, [value, group], function)
    not_all_missing(data, [value, group])
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
    not_constant(frame["v"], value, n)
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
