"""Does social data add value? Nested count models compared out of sample.

:func:`social_added_value` compares two nested Poisson regressions (log link, statsmodels) of
a holdout-period count, one on purchase-history columns (the baseline), one on the same
columns plus social columns (the full model), by K-fold cross-fitting over customers: each
customer's holdout count is predicted by both models fitted without that customer's fold, and
the per-customer out-of-sample Poisson deviance of the two is compared, with a paired
bootstrap interval over customers. :func:`added_value_table` builds the one-row-per-customer
table it reads from the canonical tables (CRM records, transactions, messages, profiles and a
link table).

Feature rules, applied in this order to every baseline and social column (documented, never
silent; the ``coefficients`` table shows each one):

1. **Missing values.** A column with missing values gets them replaced by 0 and gets an
   indicator column ``has_<column>`` (1 where observed, 0 where filled) added to the same
   group, right after it; e.g. ``net_sentiment`` of a customer without mentions becomes 0
   (neutral) and ``has_net_sentiment`` is 0. A column that is missing everywhere is refused.
2. **log1p of counts.** Count columns are replaced by ``log(1 + x)``: in a log-link model
   this makes the purchase rate a power of the count (a customer with 100 mentions is not
   ``exp(100 b)`` times a customer with none), and one heavy-tailed customer (followers) can
   no longer blow up an out-of-sample prediction. By default the counts are the columns of
   integer dtype (not bool) whose values are all >= 0; ``log1p=[...]`` lists them explicitly
   (``[]`` for none).
3. **Standardisation inside each fold.** Each column is centred and scaled by the mean and
   standard deviation of the training fold only (a column constant in the training fold is
   only centred), so no information from the held-out fold leaks into its prediction;
   coefficients are per standard deviation.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(1)
>>> n = 400
>>> eta = rng.normal(size=n)
>>> table = pd.DataFrame({
...     "customer_id": [f"C{k:03d}" for k in range(n)],
...     "frequency": rng.poisson(np.exp(0.5 + 0.3 * eta)),
...     "mentions": rng.poisson(np.exp(0.8 * eta)),
...     "purchases": rng.poisson(np.exp(0.2 + 0.6 * eta))})
>>> result = social_added_value(
...     table, outcome="purchases", baseline=["frequency"], social=["mentions"],
...     n_boot=200, seed=1)
>>> result.comparison["metric"].tolist()  # doctest: +NORMALIZE_WHITESPACE
['deviance_baseline', 'deviance_full', 'deviance_gain', 'relative_gain',
 'log_score_baseline', 'log_score_full', 'likelihood_ratio']
>>> bool(result.comparison.set_index("metric").loc["deviance_gain", "ci_low"] > 0)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import special, stats

from scrm_lab._checks import (
    ALPHA,
    COLUMN,
    SEED,
    ColumnNames,
    Integer,
    OrNone,
    as_names,
    brief,
    checks,
    current_function,
    refuse,
    require_columns,
)
from scrm_lab.exceptions import ParameterError, SchemaError

__all__ = [
    "AddedValue",
    "BASELINE_COLUMNS",
    "EXPOSURE_COLUMN",
    "OUTCOME_COLUMN",
    "PUBLIC_DATA_CAVEAT",
    "SOCIAL_COLUMNS",
    "social_added_value",
]

#: Purchase-history columns of :func:`added_value_table` (from :func:`rfm_summary`).
BASELINE_COLUMNS = ("frequency", "recency", "T", "monetary_value")
#: Social columns of :func:`added_value_table`.
SOCIAL_COLUMNS = ("mentions", "positive", "negative", "net_sentiment", "followers", "n_profiles")
#: The outcome and exposure columns of :func:`added_value_table`.
OUTCOME_COLUMN, EXPOSURE_COLUMN = "purchases_holdout", "exposure"

#: What public data cannot settle, and how a company settles it on its own records.
PUBLIC_DATA_CAVEAT = (
    "No public data set links real people's social identities to their purchases (for good "
    "privacy reasons), so this comparison runs here on a simulated population with a known "
    "effect and cannot tell whether social data adds value for real customers. A company can "
    "answer it for its own customers: take its CRM purchase history up to a cut-off date as "
    "the baseline, add the social activity of the handles it has resolved to those customers "
    "(mentions, sentiment, followers) over the same period, hold out the purchases of the "
    "following months, and run this same out-of-sample comparison on those records."
)

_MODELS = ("baseline", "full")
_COMPARISON_COLUMNS = ["metric", "estimate", "ci_low", "ci_high", "p_value", "n", "method"]
_COEFFICIENT_COLUMNS = ["model", "term", "group", "transform", "estimate", "std_error",
                        "ci_low", "ci_high", "p_value", "n"]  # fmt: skip
_BOOT_CHUNK = 250  # bootstrap resamples drawn at a time (bounds the memory used)


@dataclass(frozen=True, eq=False)
class AddedValue:
    """The result of :func:`social_added_value`.

    Attributes
    ----------
    comparison : pandas.DataFrame
        One row per metric: ``metric``, ``estimate``, ``ci_low``, ``ci_high``, ``p_value``,
        ``n``, ``method``. Metrics: ``deviance_baseline`` and ``deviance_full`` (mean
        out-of-sample Poisson deviance per customer), ``deviance_gain`` (baseline minus full:
        positive when the social columns improve the predictions), ``relative_gain`` (the gain
        as a share of the baseline deviance, 0.031 = 3.1%), ``log_score_baseline`` and
        ``log_score_full`` (mean out-of-sample Poisson log predictive probability per
        customer; their difference is half the deviance gain), and ``likelihood_ratio`` (the
        in-sample likelihood-ratio statistic of the social columns, for reference, with its
        chi-squared p-value; no interval).
    coefficients : pandas.DataFrame
        Both models fitted in sample on the standardised columns: ``model`` ("baseline",
        "full"), ``term`` ("const" or the column), ``group`` ("intercept", "baseline",
        "social"), ``transform`` ("none", "log1p", "indicator", "filled 0" or
        "filled 0, log1p"), ``estimate``, ``std_error``, ``ci_low``, ``ci_high`` (Wald, level
        ``1 - alpha``), ``p_value``, ``n``.
    predictions : pandas.DataFrame
        One row per customer in the order of ``data``: the customer column (or ``row``, the
        0-based position, without one), ``fold``, ``outcome``, ``exposure``,
        ``predicted_baseline``, ``predicted_full`` (out-of-sample expected counts),
        ``deviance_baseline``, ``deviance_full``, ``log_score_baseline``, ``log_score_full``.
    baseline, social : tuple of str
        The design columns of each group after the rules (indicators included).
    folds, n_boot, seed : int
    alpha : float
    """

    comparison: pd.DataFrame
    coefficients: pd.DataFrame
    predictions: pd.DataFrame
    baseline: tuple[str, ...]
    social: tuple[str, ...]
    folds: int
    n_boot: int
    seed: int
    alpha: float

    def sentences(self, *, caveat: bool = True) -> list[str]:
        """Plain-language findings; with ``caveat``, :data:`PUBLIC_DATA_CAVEAT` last.

        The out-of-sample gain is called a gain only when its interval lies above zero,
        a loss only when it lies below zero, and "no detectable gain" otherwise.
        """
        rows = self.comparison.set_index("metric")
        gain, rel, lr = (
            rows.loc["deviance_gain"],
            rows.loc["relative_gain"],
            rows.loc["likelihood_ratio"],
        )
        level = f"{100 * (1 - self.alpha):g}%"
        n = int(gain["n"])
        how = (
            f"bootstrap p {_p(gain['p_value'])}; {self.folds}-fold cross-fitting over {n} customers"
        )
        columns = ", ".join(self.social)
        low, high = 100 * rel["ci_low"], 100 * rel["ci_high"]
        if gain["ci_low"] > 0:
            first = (
                f"Adding social features ({columns}) lowered the out-of-sample Poisson deviance "
                f"per customer by {100 * rel['estimate']:.1f}% ({level} CI {low:.1f}% to "
                f"{high:.1f}%; {how}): social data added predictive value beyond purchase "
                "history."
            )
        elif gain["ci_high"] < 0:
            first = (
                f"Adding social features ({columns}) raised the out-of-sample Poisson deviance "
                f"per customer by {-100 * rel['estimate']:.1f}% ({level} CI {-high:.1f}% to "
                f"{-low:.1f}%; {how}): the added columns made the predictions worse, so no "
                "value was added."
            )
        else:
            moved = "fell" if rel["estimate"] >= 0 else "rose"
            first = (
                f"Adding social features ({columns}) gave no detectable out-of-sample gain over "
                f"purchase history: the Poisson deviance per customer {moved} by "
                f"{abs(100 * rel['estimate']):.1f}% (the fall's {level} CI {low:.1f}% to "
                f"{high:.1f}%, a negative value is a rise; {how}), and the interval includes "
                "zero."
            )
        df = len(self.social)
        second = (
            f"In sample, the likelihood-ratio test of the {df} social column"
            f"{'s' if df != 1 else ''} gives chi-squared {lr['estimate']:.1f} (df {df}, "
            f"p {_p(lr['p_value'])}); an in-sample fit can only improve when columns are "
            "added, so the out-of-sample comparison is the one to read."
        )
        return [first, second, *([PUBLIC_DATA_CAVEAT] if caveat else [])]


def _p(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"= {value:.3f}"


# ------------------------------------------------------------------------ checks of data


def _numbers(data: pd.DataFrame, column: str) -> np.ndarray:
    """The column as float64 (NaN kept); refused naming the first value that is not a number."""
    values = data[column]
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        read = pd.to_numeric(values, errors="coerce")
        bad = (read.isna() & values.notna()).to_numpy() | pd.api.types.is_bool_dtype(values)
        if not bad.any():  # e.g. numbers held as objects
            return read.to_numpy(dtype="float64")
        row = int(np.argmax(bad))
        raise SchemaError(
            f"{current_function()}: column {column!r} has {brief(values.iloc[row])} in row "
            f"{row + 1}; expected numbers.", column=column, row=row + 1,
        )  # fmt: skip
    out = values.to_numpy(dtype="float64", na_value=np.nan)
    infinite = np.isinf(out)
    if infinite.any():
        row = int(np.argmax(infinite))
        raise SchemaError(
            f"{current_function()}: column {column!r} has {brief(out[row])} in row {row + 1}; "
            "expected finite numbers.", column=column, row=row + 1,
        )  # fmt: skip
    return out


def _first_bad(column: str, values: np.ndarray, bad: np.ndarray, expected: str) -> SchemaError:
    row = int(np.argmax(bad))
    return SchemaError(
        f"{current_function()}: column {column!r} has {brief(values[row])} in row {row + 1}; "
        f"expected {expected}.", column=column, row=row + 1,
    )  # fmt: skip


def _design(
    data: pd.DataFrame, columns: tuple[str, ...], counts: set[str]
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Design columns after the missing-value and log1p rules, and each one's transform."""
    out: dict[str, np.ndarray] = {}
    transform: dict[str, str] = {}
    for column in columns:
        values = _numbers(data, column)
        missing = np.isnan(values)
        if missing.all():
            raise SchemaError(
                f"{current_function()}: column {column!r} has no value in any of its "
                f"{len(values)} rows; expected at least one number.", column=column,
            )  # fmt: skip
        observed = values[~missing]
        if (observed == observed[0]).all():
            raise SchemaError(
                f"{current_function()}: column {column!r} has the same value "
                f"({brief(observed[0])}) in every row with a value; expected a column that "
                "varies (a constant adds nothing to the intercept: leave it out).",
                column=column,
            )
        filled = np.where(missing, 0.0, values)
        steps = ["filled 0"] if missing.any() else []
        if column in counts:
            negative = filled < 0
            if negative.any():
                raise _first_bad(column, values, negative, "counts >= 0 (it is listed in log1p)")
            filled = np.log1p(filled)
            steps.append("log1p")
        out[column], transform[column] = filled, ", ".join(steps) or "none"
        if missing.any():
            indicator = f"has_{column}"
            if indicator in data.columns:
                raise ParameterError(
                    f"{current_function()}: column {column!r} has missing values, and its "
                    f"indicator column {indicator!r} would replace a column of the data; "
                    f"rename {indicator!r} or fill {column!r} first."
                )
            out[indicator], transform[indicator] = (~missing).astype("float64"), "indicator"
    return out, transform


# ------------------------------------------------------------------------------ fitting


def _standardise(train: np.ndarray, *others: np.ndarray) -> list[np.ndarray]:
    """Centre and scale by the training rows; prepend the intercept column."""
    mean = train.mean(axis=0)
    sd = train.std(axis=0, ddof=1) if len(train) > 1 else np.ones(train.shape[1])
    sd = np.where(sd > 0, sd, 1.0)
    return [np.column_stack([np.ones(len(x)), (x - mean) / sd]) for x in (train, *others)]


def _fit(y: np.ndarray, x: np.ndarray, offset: np.ndarray) -> sm.GLM:
    return sm.GLM(y, x, family=sm.families.Poisson(), offset=offset).fit()


def _unit_deviance(y: np.ndarray, mu: np.ndarray) -> np.ndarray:
    return 2.0 * (special.xlogy(y, y / mu) - (y - mu))


def _bootstrap(
    dev_base: np.ndarray, dev_full: np.ndarray, n_boot: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Mean deviances of both models over paired resamples of customers."""
    n = len(dev_base)
    base, full = np.empty(n_boot), np.empty(n_boot)
    for start in range(0, n_boot, _BOOT_CHUNK):
        stop = min(start + _BOOT_CHUNK, n_boot)
        index = rng.integers(0, n, size=(stop - start, n))
        base[start:stop] = dev_base[index].mean(axis=1)
        full[start:stop] = dev_full[index].mean(axis=1)
    return base, full


def _interval(draws: np.ndarray, alpha: float) -> tuple[float, float]:
    low, high = np.quantile(draws, [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)


def _boot_p(draws: np.ndarray) -> float:
    """Two-sided percentile-bootstrap p-value of "the statistic is 0"."""
    b = len(draws)
    below, above = (1 + np.sum(draws <= 0)) / (b + 1), (1 + np.sum(draws >= 0)) / (b + 1)
    return float(min(1.0, 2 * min(below, above)))


@checks(
    outcome=COLUMN,
    baseline=ColumnNames(),
    social=ColumnNames(),
    exposure=OrNone(COLUMN),
    customer=OrNone(COLUMN),
    log1p=OrNone(ColumnNames(empty_ok=True)),
    folds=Integer(low=2),
    n_boot=Integer(low=100),
    seed=SEED,
    alpha=ALPHA,
)
def social_added_value(
    data: pd.DataFrame,
    *,
    outcome: str,
    baseline: str | Sequence[str],
    social: str | Sequence[str],
    exposure: str | None = None,
    customer: str | None = "customer_id",
    log1p: str | Sequence[str] | None = None,
    folds: int = 5,
    n_boot: int = 2000,
    seed: int = 0,
    alpha: float = 0.05,
) -> AddedValue:
    """Whether social columns improve out-of-sample predictions of a holdout count.

    Two Poisson GLMs with log link (statsmodels): ``outcome ~ baseline`` and ``outcome ~
    baseline + social``, with offset ``log(exposure)`` when given, on the columns after the
    rules of the module docstring (missing -> 0 plus an indicator, log1p of counts,
    standardisation inside each training fold). Customers are split at random (``seed``)
    into ``folds`` folds of near-equal size; for each fold both models are fitted on the
    other folds and predict its customers' expected counts ``mu``. Each customer's
    out-of-sample Poisson deviance ``2 (y log(y / mu) - (y - mu))`` and log score
    ``log P(y | mu)`` are computed for both models; the gain is the mean deviance of the
    baseline minus that of the full model (positive = social data helps), and the relative
    gain divides it by the baseline's mean deviance. Intervals are percentile intervals over
    ``n_boot`` paired bootstrap resamples of customers (both models' deviances of a customer
    resampled together), and the p-value of the gain is the two-sided percentile-bootstrap
    p-value of "gain = 0" (it is below ``alpha`` exactly when the interval excludes 0, up to
    the resampling). For reference, the in-sample likelihood-ratio test of the social columns
    (chi-squared with as many degrees of freedom as social design columns) is reported too.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per customer: calibration-period features and the holdout-period outcome,
        e.g. the table of :func:`added_value_table`.
    outcome : str
        The holdout count: whole numbers >= 0.
    baseline, social : str or sequence of str
        Purchase-history columns, and the social columns added to them (no column in both).
        Numbers; missing values follow the missing-value rule.
    exposure : str, optional
        Holdout length per customer (> 0), used as the offset ``log(exposure)``.
    customer : str or None, default "customer_id"
        Id column copied into ``predictions``; None for none (``row`` is given instead).
    log1p : str or sequence of str, optional
        Feature columns to replace by ``log(1 + x)``; by default the integer-dtype columns
        whose values are all >= 0; ``[]`` for none.
    folds : int, default 5
        Number of cross-fitting folds, from 2 to the number of rows; at least ``10 * folds``
        rows are needed.
    n_boot : int, default 2000
        Bootstrap resamples, >= 100.
    seed : int, default 0
        Seed of the fold split and of the bootstrap.
    alpha : float, default 0.05
        1 - the confidence level of every interval.

    Returns
    -------
    AddedValue
        ``comparison``, ``coefficients``, ``predictions`` and ``sentences()``.

    Raises
    ------
    SchemaError
        A column is missing, is not numeric, holds an infinite value, is missing everywhere
        or is constant (the message names the column and the first bad 1-based row); the outcome
        has a value that is missing, negative or not whole; the exposure one that is missing
        or not > 0; a column listed in ``log1p`` has a negative value.
    ParameterError
        A parameter of the wrong type; a column in both ``baseline`` and ``social``, or the
        outcome or exposure among the features; ``log1p`` names a column that is not a
        feature; fewer rows than ``folds`` or than ``10 * folds``; an indicator name
        ``has_<column>`` already taken by a column of the data.

    Notes
    -----
    The interval is conditional on the fitted fold models: it reflects which customers
    happened to be in the data, not the variation of refitting on another split. Seeds
    change the split and so the estimate a little; a gain near zero should not be read
    from one seed.

    Examples
    --------
    See the module docstring.
    """
    baseline, social = as_names(baseline), as_names(social)
    names = [outcome, *baseline, *social, *([exposure] if exposure else [])]
    require_columns(data, names + ([customer] if customer else []))
    both = [c for c in baseline if c in social]
    if both:
        raise ParameterError(
            f"The 'social' parameter of {current_function()} must not repeat a baseline "
            f"column: the models are nested, the full one adds the social columns. Got "
            f"{', '.join(map(repr, both))} in both."
        )
    for name, column in (("outcome", outcome), ("exposure", exposure)):
        if column is not None and column in (*baseline, *social):
            raise refuse(name, "a column that is not a baseline or social feature", column)
    features = (*baseline, *social)
    if log1p is None:
        counts = {
            c for c in features
            if pd.api.types.is_integer_dtype(data[c]) and not pd.api.types.is_bool_dtype(data[c])
            and not (data[c] < 0).any()
        }  # fmt: skip
    else:
        counts = set(as_names(log1p))
        unknown = sorted(counts - set(features))
        if unknown:
            raise refuse("log1p", f"baseline or social columns ({', '.join(features)})", unknown)
    n = len(data)
    if folds > n or n < 10 * folds:
        raise ParameterError(
            f"{current_function()}: {folds} folds need at least {10 * folds} rows (10 per "
            f"fold); the data have {n}. Use fewer folds or more customers."
        )
    y = _numbers(data, outcome)
    bad = ~np.isfinite(y) | (y < 0) | (y != np.floor(y))
    if bad.any():
        raise _first_bad(outcome, y, bad, "whole numbers >= 0 (a count)")
    offset = np.zeros(n)
    if exposure is not None:
        t = _numbers(data, exposure)
        bad = ~(t > 0)
        if bad.any():
            raise _first_bad(exposure, t, bad, "a holdout length > 0")
        offset = np.log(t)
    base_cols, base_how = _design(data, baseline, counts)
    social_cols, social_how = _design(data, social, counts)
    transforms = {**base_how, **social_how}
    x_base = np.column_stack(list(base_cols.values()))
    x_full = np.column_stack([x_base, *social_cols.values()])
    groups = {c: "baseline" for c in base_cols} | {c: "social" for c in social_cols}

    fold_seed, boot_seed = np.random.SeedSequence(seed).spawn(2)
    fold = np.empty(n, dtype="int64")
    fold[np.random.default_rng(fold_seed).permutation(n)] = np.arange(n) % folds
    mu = {m: np.empty(n) for m in _MODELS}
    for k in range(folds):
        test, train = fold == k, fold != k
        for model, x in zip(_MODELS, (x_base, x_full), strict=True):
            x_train, x_test = _standardise(x[train], x[test])
            fitted = _fit(y[train], x_train, offset[train])
            mu[model][test] = np.exp(x_test @ fitted.params + offset[test])

    dev = {m: _unit_deviance(y, mu[m]) for m in _MODELS}
    log_score = {m: stats.poisson.logpmf(y, mu[m]) for m in _MODELS}
    boot_base, boot_full = _bootstrap(
        dev["baseline"], dev["full"], n_boot, np.random.default_rng(boot_seed)
    )
    boot_gain = boot_base - boot_full
    mean_base, mean_full = float(dev["baseline"].mean()), float(dev["full"].mean())
    gain = mean_base - mean_full
    cv = f"{folds}-fold cross-fitted Poisson GLM"
    boot = f"paired bootstrap over customers ({n_boot} resamples)"
    rows = [
        ("deviance_baseline", mean_base, *_interval(boot_base, alpha), np.nan,
         f"{cv}, baseline; {boot}"),
        ("deviance_full", mean_full, *_interval(boot_full, alpha), np.nan,
         f"{cv}, baseline + social; {boot}"),
        ("deviance_gain", gain, *_interval(boot_gain, alpha), _boot_p(boot_gain),
         f"{cv}: baseline minus full deviance; {boot}, two-sided percentile p"),
        ("relative_gain", gain / mean_base, *_interval(boot_gain / boot_base, alpha),
         _boot_p(boot_gain), f"{cv}: gain / baseline deviance; {boot}"),
    ]  # fmt: skip
    # log scores: normal intervals of a mean (n >= 10 * folds); the decision rests on the
    # deviance gain (the log-score gain is exactly half of it)
    z = stats.norm.ppf(1 - alpha / 2)
    for model in _MODELS:
        values = log_score[model]
        se = values.std(ddof=1) / np.sqrt(n)
        rows.append((
            f"log_score_{model}", float(values.mean()), float(values.mean() - z * se),
            float(values.mean() + z * se), np.nan,
            f"{cv}, {model}: mean log predictive probability; normal interval",
        ))  # fmt: skip

    coefficients = []
    fits = {}
    for model, x, terms in (
        ("baseline", x_base, list(base_cols)),
        ("full", x_full, list(base_cols) + list(social_cols)),
    ):
        (design,) = _standardise(x)
        fitted = _fit(y, design, offset)
        fits[model] = fitted
        ci = np.asarray(fitted.conf_int(alpha))
        for j, term in enumerate(["const", *terms]):
            coefficients.append({
                "model": model, "term": term,
                "group": "intercept" if j == 0 else groups[term],
                "transform": "none" if j == 0 else transforms[term],
                "estimate": float(fitted.params[j]), "std_error": float(fitted.bse[j]),
                "ci_low": float(ci[j, 0]), "ci_high": float(ci[j, 1]),
                "p_value": float(fitted.pvalues[j]), "n": n,
            })  # fmt: skip
    df = len(social_cols)
    lr = max(0.0, 2.0 * (fits["full"].llf - fits["baseline"].llf))
    rows.append((
        "likelihood_ratio", float(lr), np.nan, np.nan, float(stats.chi2.sf(lr, df)),
        f"in-sample likelihood-ratio test of the social columns, chi2 with df={df}",
    ))  # fmt: skip
    comparison = pd.DataFrame(
        [(m, e, lo, hi, p, n, how) for m, e, lo, hi, p, how in rows], columns=_COMPARISON_COLUMNS
    )
    ids = {customer: data[customer].to_numpy()} if customer else {"row": np.arange(n)}
    predictions = pd.DataFrame({
        **ids, "fold": fold, "outcome": y,
        "exposure": np.exp(offset) if exposure is not None else np.ones(n),
        "predicted_baseline": mu["baseline"], "predicted_full": mu["full"],
        "deviance_baseline": dev["baseline"], "deviance_full": dev["full"],
        "log_score_baseline": log_score["baseline"], "log_score_full": log_score["full"],
    })  # fmt: skip
    return AddedValue(
        comparison=comparison,
        coefficients=pd.DataFrame(coefficients, columns=_COEFFICIENT_COLUMNS),
        predictions=predictions,
        baseline=tuple(base_cols),
        social=tuple(social_cols),
        folds=folds,
        n_boot=n_boot,
        seed=seed,
        alpha=alpha,
    )
