"""Correlation tests and their plain-words verdicts.

Glue around scipy and statsmodels, in the shared result vocabulary (``n``, ``estimate``,
``ci_low``, ``ci_high``, ``statistic``, ``p_value``, ``p_adjusted``, ``effect_size``,
``method``):

- :func:`correlate`: Pearson, Spearman or Kendall correlation of one or many column pairs,
  with an analytic or bootstrap confidence interval, an analytic or permutation p-value and a
  multiple-testing correction over the pairs;
- :func:`verdict`: one plain-words sentence per result row, for reports.

Multiple-testing correction is in ``_multiple.py``, power in ``_power.py``.

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> movies = load_dataset("csm_movies_social_boxoffice")
>>> result = correlate(movies, x=["likes", "views"], y="gross_usd", method="spearman")
>>> result[["x", "y", "n"]]
       x          y    n
0  likes  gross_usd  231
1  views  gross_usd  231
>>> print(verdict(result.iloc[[0]], subject={"gross_usd": "revenue"})[0])
Spearman correlation between likes and revenue: rho = 0.37 (95% CI 0.25 to 0.48, n = 231); p < 0.001 after Holm adjustment across 2 tests: a clear positive association (moderate in size). A correlation does not show that likes cause revenue.
"""  # noqa: E501

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from scrm_lab._checks import (
    ALPHA,
    SEED,
    Choice,
    ColumnNames,
    Flag,
    Instance,
    Integer,
    OrNone,
    as_names,
    check,
    checks,
    current_function,
    numeric_column,
    renamed,
    require_columns,
)
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.models._vocabulary import ADJUST, ALTERNATIVE, clear_column
from scrm_lab.models._wording import p_text

__all__ = ["CI_METHODS", "CORRELATION_METHODS", "correlate", "verdict"]

#: Correlation coefficients accepted by :func:`correlate`.
CORRELATION_METHODS = ("pearson", "spearman", "kendall")
#: Confidence intervals accepted by :func:`correlate`: ``"bootstrap"`` is BCa.
CI_METHODS = ("analytic", "bootstrap", "percentile")
_COLUMNS = ["x", "y", "method", "n", "estimate", "ci_low", "ci_high", "statistic", "p_value",
            "p_adjusted", "effect_size", "alternative", "clear"]  # fmt: skip
_NAMES = {"pearson": "Pearson", "spearman": "Spearman", "kendall": "Kendall"}
_SYMBOLS = {"pearson": "r", "spearman": "rho", "kendall": "tau"}
_ADJUST_NAMES = {
    "holm": "Holm",
    "bonferroni": "Bonferroni",
    "sidak": "Sidak",
    "holm-sidak": "Holm-Sidak",
    "simes-hochberg": "Simes-Hochberg",
    "hommel": "Hommel",
    "fdr_bh": "Benjamini-Hochberg (FDR)",
    "fdr_by": "Benjamini-Yekutieli (FDR)",
    "fdr_tsbh": "two-stage Benjamini-Hochberg (FDR)",
    "fdr_tsbky": "two-stage Benjamini-Krieger-Yekutieli (FDR)",
}
#: Standard error of Fisher's z for rank correlations: Bonett & Wright (2000).
_RANK_SE = {
    "spearman": lambda r, n: np.sqrt((1 + r**2 / 2) / (n - 3)) if n > 3 else np.nan,
    "kendall": lambda r, n: np.sqrt(0.437 / (n - 4)) if n > 4 else np.nan,
}
_SE_TEXT = {
    "pearson": "Fisher z, SE 1/sqrt(n-3), scipy.stats.pearsonr",
    "spearman": "Fisher z, Bonett-Wright SE sqrt((1+rho^2/2)/(n-3))",
    "kendall": "Fisher z, Fieller SE sqrt(0.437/(n-4))",
}


# --------------------------------------------------------------------------- statistics
# Vectorized statistics along the last axis, for scipy.stats.bootstrap / permutation_test.


def _pearson_stat(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    """Pearson's r along ``axis`` (resamples of constant data give NaN)."""
    xc = x - x.mean(axis=axis, keepdims=True)
    yc = y - y.mean(axis=axis, keepdims=True)
    sxy = (xc * yc).sum(axis=axis)
    sxx = (xc * xc).sum(axis=axis)
    syy = (yc * yc).sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.clip(sxy / np.sqrt(sxx * syy), -1.0, 1.0)


def _spearman_stat(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    """Spearman's rho: Pearson's r of the mid-ranks along ``axis``."""
    return _pearson_stat(stats.rankdata(x, axis=axis), stats.rankdata(y, axis=axis), axis)


def _kendall_stat(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    """Kendall's tau-b, one scipy.stats.kendalltau call per resample (O(n log n) each)."""
    x, y = np.moveaxis(x, axis, -1), np.moveaxis(y, axis, -1)
    shape = x.shape[:-1]
    flat_x, flat_y = x.reshape(-1, x.shape[-1]), y.reshape(-1, y.shape[-1])
    taus = np.empty(len(flat_x))
    for i, (row_x, row_y) in enumerate(zip(flat_x, flat_y, strict=True)):
        if row_x[0] == row_x.max() == row_x.min() or row_y.max() == row_y.min():
            taus[i] = np.nan  # a constant resample: tau is undefined
        else:
            taus[i] = stats.kendalltau(row_x, row_y).statistic
    return taus.reshape(shape)


_STATS = {"pearson": _pearson_stat, "spearman": _spearman_stat, "kendall": _kendall_stat}


def _standardize(values: np.ndarray) -> np.ndarray:
    return (values - values.mean()) / values.std()


def _mean_product(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    """Pearson's r of standardized data whose order is permuted: mean of the products."""
    return (x * y).mean(axis=axis)


# --------------------------------------------------------------------------- validation


def _column(data: pd.DataFrame, name: str) -> pd.Series:
    function = current_function()
    values = numeric_column(data, name, function)
    present = values.dropna()
    if present.empty:
        raise SchemaError(
            f"{function}: column '{name}' has no values (all {len(values)} missing): "
            "a correlation is undefined",
            column=name,
        )
    if present.min() == present.max():
        raise SchemaError(
            f"{function}: column '{name}' is constant (every value {float(present.iloc[0])!r}): "
            "a correlation is undefined",
            column=name,
        )
    return values


# --------------------------------------------------------------------------- correlate


@checks(
    x=ColumnNames(),
    y=OrNone(ColumnNames()),
    method=Choice(CORRELATION_METHODS),
    alternative=ALTERNATIVE,
    ci_method=Choice(CI_METHODS),
    alpha=ALPHA,
    n_resamples=Integer(low=100),
    permutation=Flag(),
    seed=OrNone(SEED),
    adjust=ADJUST,
    ci=OrNone(Choice(CI_METHODS)),
)
def correlate(
    data: pd.DataFrame,
    *,
    x: str | Sequence[str],
    y: str | Sequence[str] | None = None,
    method: str = "pearson",
    alternative: str = "two-sided",
    ci_method: str = "analytic",
    alpha: float = 0.05,
    n_resamples: int = 9999,
    permutation: bool = False,
    seed: int | None = 0,
    adjust: str = "holm",
    ci: str | None = None,
) -> pd.DataFrame:
    """Correlation of one or many column pairs, with CIs, p-values and a multiple-test correction.

    Every pair ``(x_i, y_j)`` is tested (with ``y=None``, every pair of distinct columns in
    ``x``); a pair of a column with itself is skipped. Rows with a missing value in either
    column of a pair are left out of that pair only, so ``n`` is per pair.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy table, one row per unit.
    x : str or list of str
        Numeric column(s).
    y : str or list of str, optional
        Numeric column(s); ``None`` pairs the columns of ``x`` among themselves.
    method : {"pearson", "spearman", "kendall"}, default "pearson"
        Coefficient: scipy.stats ``pearsonr``, ``spearmanr`` or ``kendalltau`` (tau-b).
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        Alternative hypothesis of the p-value; the CI is one-sided accordingly (as in scipy:
        ``"greater"`` gives ``[ci_low, 1]``, ``"less"`` gives ``[-1, ci_high]``).
    ci_method : {"analytic", "bootstrap", "percentile"}, default "analytic"
        ``"analytic"``: Fisher z interval; for Pearson scipy's
        ``PearsonRResult.confidence_interval`` (SE 1/sqrt(n-3)), for Spearman the Bonett-Wright
        (2000) SE sqrt((1 + rho^2/2)/(n-3)), for Kendall the Fieller (1957) SE
        sqrt(0.437/(n-4)); missing when n <= 3 (Spearman) or n <= 4 (Kendall).
        ``"bootstrap"``: BCa and ``"percentile"``: percentile interval, both from
        ``scipy.stats.bootstrap`` (pairs resampled, vectorized statistic, ``n_resamples``).
    alpha : float, default 0.05
        The CI has confidence level 1 - alpha.
    n_resamples : int, default 9999
        Bootstrap resamples and permutations (at least 100).
    permutation : bool, default False
        If True, ``p_value`` is the permutation p-value of ``scipy.stats.permutation_test``
        (``permutation_type="pairings"``, ``n_resamples`` permutations, exact when
        n!^2 <= n_resamples); otherwise the analytic p-value of scipy (t-test on n-2 df for
        Pearson and Spearman, exact or normal approximation for Kendall).
    seed : int or None, default 0
        Seed of the bootstrap and the permutations. Each resampling procedure of each pair
        starts from ``numpy.random.default_rng(seed)``, so a row does not depend on the other
        pairs asked for. ``None`` draws fresh entropy (results then vary between calls).
    adjust : str, default "holm"
        Correction over the rows for ``p_adjusted``: a statsmodels ``multipletests`` method
        (see :data:`ADJUST_METHODS`) or ``"none"``; with one row, or ``"none"``,
        ``p_adjusted`` equals ``p_value``.
    ci : str, optional
        Deprecated name of ``ci_method`` (a FutureWarning says so); removed in the next minor
        version.

    Returns
    -------
    pandas.DataFrame
        One row per pair, columns in this order: ``x``, ``y``, ``method`` (coefficient, CI
        and p-value kind, correction), ``n`` (complete pairs), ``estimate`` (r, rho or
        tau-b), ``ci_low``, ``ci_high``, ``statistic`` (t on n-2 df for Pearson and Spearman;
        for Kendall the standard-normal z equivalent to scipy's analytic p-value),
        ``p_value``, ``p_adjusted``, ``effect_size`` (the coefficient itself: r, rho or tau;
        square it for a share of variance), ``alternative``, ``clear`` (True when the
        interval [``ci_low``, ``ci_high``] excludes zero, at level 1 - ``alpha``).

    Raises
    ------
    ParameterError
        Unknown ``method``, ``alternative``, ``ci_method`` or ``adjust``; ``alpha`` outside (0, 1);
        ``n_resamples`` not an integer >= 100; bad ``seed`` or ``permutation``.
    SchemaError
        A missing, non-numeric, all-missing or constant column; fewer than 3 complete pairs.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> movies = load_dataset("csm_movies_social_boxoffice")
    >>> res = correlate(movies, x="likes", y="gross_usd", method="kendall",
    ...                 ci_method="percentile",
    ...                 n_resamples=200, permutation=True, seed=1)
    >>> res.columns.tolist()
    ['x', 'y', 'method', 'n', 'estimate', 'ci_low', 'ci_high', 'statistic', 'p_value', 'p_adjusted', 'effect_size', 'alternative', 'clear']
    >>> print(res.loc[0, "method"])
    Kendall tau-b (scipy.stats.kendalltau); 95% CI: bootstrap percentile, 200 resamples (scipy.stats.bootstrap); p-value: permutation, 200 pairings (scipy.stats.permutation_test), two-sided
    >>> round(float(res.loc[0, "estimate"]), 3), float(res.loc[0, "p_value"])
    (0.251, 0.009950248756218905)
    >>> pairs = correlate(movies, x=["likes", "views", "comments"], adjust="fdr_bh")
    >>> pairs[["x", "y", "n"]]
           x         y    n
    0  likes     views  231
    1  likes  comments  231
    2  views  comments  231
    """  # noqa: E501
    if ci is not None:
        ci_method = renamed("ci", "ci_method", ci, current_function())
    xs, ys = list(as_names(x)), list(as_names(y)) if y is not None else []
    if y is None:
        pairs = [(a, b) for i, a in enumerate(xs) for b in xs[i + 1 :] if a != b]
    else:
        pairs = [(a, b) for a in xs for b in ys if a != b]
    if not pairs:
        raise ParameterError(
            f"The 'x' and 'y' parameters of {current_function()} must give at least one pair "
            f"of two different columns. Got x={x!r}, y={y!r} instead."
        )
    require_columns(data, list(dict.fromkeys([*xs, *ys])), current_function())
    columns = {name: _column(data, name) for name in dict.fromkeys([*xs, *ys])}

    rows = [
        _one_pair(
            columns,
            a,
            b,
            method,
            alternative,
            ci_method,
            alpha,
            int(n_resamples),
            bool(permutation),
            seed,
        )  # fmt: skip
        for a, b in pairs
    ]
    result = pd.DataFrame(rows)
    if adjust == "none" or len(result) == 1 or result["p_value"].isna().any():
        result["p_adjusted"] = result["p_value"]
    else:
        result["p_adjusted"] = multipletests(result["p_value"].to_numpy(), method=adjust)[1]
    if adjust != "none" and len(result) > 1:
        result["method"] += f"; {_ADJUST_NAMES[adjust]} adjustment across {len(result)} tests"
    result["effect_size"] = result["estimate"]
    result["alternative"] = alternative
    result["clear"] = clear_column(result["ci_low"], result["ci_high"])
    return result[_COLUMNS]


def _one_pair(
    columns: Mapping[str, pd.Series],
    a: str,
    b: str,
    method: str,
    alternative: str,
    ci_method: str,
    alpha: float,
    n_resamples: int,
    permutation: bool,
    seed: int | None,
) -> dict:
    function = current_function()
    frame = pd.concat({"x": columns[a], "y": columns[b]}, axis=1).dropna()
    n = len(frame)
    if n < 3:
        raise SchemaError(
            f"{function}: the pair ('{a}', '{b}') has {n} rows where both are present; "
            "a correlation needs at least 3",
            column=a,
        )
    xv, yv = frame["x"].to_numpy(), frame["y"].to_numpy()
    for name, values in ((a, xv), (b, yv)):
        if values.min() == values.max():
            raise SchemaError(
                f"{function}: column '{name}' is constant (every value {float(values[0])!r}) on "
                f"the {n} rows where both '{a}' and '{b}' are present: a correlation is "
                "undefined",
                column=name,
            )
    level = 1 - alpha
    if method == "pearson":
        res = stats.pearsonr(xv, yv, alternative=alternative)
    elif method == "spearman":
        res = stats.spearmanr(xv, yv, alternative=alternative)
    else:
        res = stats.kendalltau(xv, yv, alternative=alternative)
    r, p = float(res.statistic), float(res.pvalue)
    if method == "kendall":
        if alternative == "two-sided":
            statistic = float(np.sign(r) * stats.norm.isf(p / 2))
        elif alternative == "greater":
            statistic = float(stats.norm.isf(p))
        else:
            statistic = float(stats.norm.ppf(p))
    else:
        with np.errstate(divide="ignore"):
            statistic = (
                float(r * np.sqrt((n - 2) / (1 - r**2))) if abs(r) < 1 else np.sign(r) * np.inf
            )

    if ci_method == "analytic":
        if method == "pearson":
            low, high = res.confidence_interval(confidence_level=level)
        else:
            low, high = _fisher_interval(r, _RANK_SE[method](r, n), level, alternative)
        ci_text = f"{_SE_TEXT[method]}"
    else:
        kind = "BCa" if ci_method == "bootstrap" else "percentile"
        boot = stats.bootstrap(
            (xv, yv),
            _STATS[method],
            n_resamples=n_resamples,
            vectorized=True,
            paired=True,
            confidence_level=level,
            alternative=alternative,
            method=kind,
            rng=np.random.default_rng(seed),
        )
        low, high = boot.confidence_interval
        ci_text = f"bootstrap {kind}, {n_resamples} resamples (scipy.stats.bootstrap)"
    low, high = max(float(low), -1.0), min(float(high), 1.0)

    if permutation:
        if method == "kendall":
            data, stat = (stats.rankdata(xv), stats.rankdata(yv)), _kendall_stat
        else:
            if method == "spearman":
                xv, yv = stats.rankdata(xv), stats.rankdata(yv)
            data, stat = (_standardize(xv), _standardize(yv)), _mean_product
        perm = stats.permutation_test(
            data,
            stat,
            permutation_type="pairings",
            vectorized=True,
            n_resamples=n_resamples,
            alternative=alternative,
            rng=np.random.default_rng(seed),
        )
        p = float(perm.pvalue)
        p_text = f"permutation, {n_resamples} pairings (scipy.stats.permutation_test)"
    else:
        p_text = "t-test on n-2 df" if method != "kendall" else "scipy.stats.kendalltau"
    coefficient = {
        "pearson": "Pearson r (scipy.stats.pearsonr)",
        "spearman": "Spearman rho (scipy.stats.spearmanr)",
        "kendall": "Kendall tau-b (scipy.stats.kendalltau)",
    }[method]
    return {
        "x": a,
        "y": b,
        "method": f"{coefficient}; {level:.0%} CI: {ci_text}; p-value: {p_text}, {alternative}",
        "n": n,
        "estimate": r,
        "ci_low": low,
        "ci_high": high,
        "statistic": statistic,
        "p_value": p,
    }


def _fisher_interval(r: float, se: float, level: float, alternative: str) -> tuple[float, float]:
    """Fisher z interval tanh(atanh(r) -+ z_q * se), one-sided like scipy's."""
    z = np.arctanh(r)
    if alternative == "two-sided":
        q = stats.norm.ppf(1 - (1 - level) / 2)
        return float(np.tanh(z - q * se)), float(np.tanh(z + q * se))
    q = stats.norm.ppf(level)
    if alternative == "greater":
        return float(np.tanh(z - q * se)), 1.0
    return -1.0, float(np.tanh(z + q * se))


# --------------------------------------------------------------------------- verdict


_RESULT = Instance((pd.DataFrame, pd.Series), "a DataFrame or Series from correlate")


def _strength(r: float) -> str:
    size = abs(r)
    if size < 0.1:
        return "negligible"
    if size < 0.3:
        return "weak"
    if size < 0.5:
        return "moderate"
    return "strong"


@checks(
    alpha=ALPHA,
    subject=OrNone(Instance(Mapping, "a mapping of column names to plain names")),
)
def verdict(
    result: pd.DataFrame | pd.Series,
    *,
    alpha: float = 0.05,
    subject: Mapping[str, str] | None = None,
) -> list[str]:
    """One plain-words sentence per :func:`correlate` result row, for reports.

    Uses ``p_adjusted`` when present (and says which correction over how many tests), says
    when the CI includes zero, and never claims causation. Size words follow Cohen for
    ``|estimate|``: < 0.1 negligible, < 0.3 weak, < 0.5 moderate, otherwise strong.

    Parameters
    ----------
    result : pandas.DataFrame or pandas.Series
        Rows of :func:`correlate` (a Series is one row).
    alpha : float, default 0.05
        Significance level for "clear" versus "no clear" association.
    subject : mapping of str to str, optional
        Plain names for columns (``{"gross_usd": "revenue"}``); other columns keep their names.

    Returns
    -------
    list of str
        One sentence per row (a Series is one row), always a list.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> movies = load_dataset("csm_movies_social_boxoffice")
    >>> res = correlate(movies, x="sequel", y="rating", method="spearman")
    >>> print(verdict(res)[0])
    Spearman correlation between sequel and rating: rho = 0.02 (95% CI -0.11 to 0.14, n = 231); p = 0.82: no clear association (the CI includes zero, so the data are consistent with no correlation). A correlation does not show that sequel causes rating.
    """  # noqa: E501
    check(result, "result", _RESULT)
    frame = result.to_frame().T if isinstance(result, pd.Series) else result
    needed = ["x", "y", "method", "n", "estimate", "ci_low", "ci_high", "p_value"]
    require_columns(frame, needed, current_function())
    names = dict(subject or {})
    sentences = []
    for row in frame.to_dict("records"):
        sentences.append(_sentence(row, alpha, names))
    return sentences


def _sentence(row: dict, alpha: float, names: Mapping[str, str]) -> str:
    text = str(row["method"])
    kind = next((m for m in CORRELATION_METHODS if text.lower().startswith(m)), "pearson")
    x_name, y_name = names.get(row["x"], row["x"]), names.get(row["y"], row["y"])
    level = re.search(r"(\d+(?:\.\d+)?)% CI", text)
    level_text = f"{level.group(1)}% CI" if level else "CI"
    r, low, high = float(row["estimate"]), float(row["ci_low"]), float(row["ci_high"])
    adjusted = row.get("p_adjusted")
    correction = re.search(r"; ([^;]+) adjustment across (\d+) tests?", text)
    if adjusted is not None and not pd.isna(adjusted) and correction:
        p = float(adjusted)
        k = int(correction.group(2))
        p_part = f"{p_text(p)} after {correction.group(1)} adjustment across {k} test" + (
            "s" if k != 1 else ""
        )
    else:
        p = float(row["p_value"])
        p_part = p_text(p)
    ci_part = (
        f"{level_text} {low:.2f} to {high:.2f}, " if np.isfinite(low) and np.isfinite(high) else ""
    )
    head = (
        f"{_NAMES[kind]} correlation between {x_name} and {y_name}: {_SYMBOLS[kind]} = {r:.2f} "
        f"({ci_part}n = {int(row['n'])}); {p_part}"
    )
    includes_zero = bool(ci_part) and low <= 0 <= high
    direction = "positive" if r > 0 else "negative"
    if p < alpha and not includes_zero:
        body = f"a clear {direction} association ({_strength(r)} in size)"
    elif p < alpha:
        body = (
            f"a {direction} association by the p-value, but the CI includes zero, so the "
            "evidence is not clear"
        )
    elif includes_zero:
        body = "no clear association (the CI includes zero, so the data are consistent with no "
        body += "correlation)"
    else:
        body = f"no clear association (p >= {alpha:g})"
    verb = "cause" if x_name.endswith("s") and not x_name.endswith("ss") else "causes"
    return f"{head}: {body}. A correlation does not show that {x_name} {verb} {y_name}."
