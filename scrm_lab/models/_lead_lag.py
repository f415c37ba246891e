"""Lead-lag (Granger-type) tests on a panel, and their summary in plain words.

:func:`lead_lag` asks, in both directions, whether the past of one series helps to predict
the other once the other's own past is known (Granger precedence), pooled over entities
(linearmodels ``PanelOLS`` with entity fixed effects, standard errors clustered by entity)
and entity by entity (statsmodels OLS F tests, the ``ssr_ftest`` of
``grangercausalitytests``), with ADF stationarity checks and lag selection.
:func:`lead_lag_summary` says in plain words what the table shows.

Granger precedence is a statement about timing in the data, not about cause: a common driver
that moves one series earlier than the other gives the same pattern. Testing both directions
makes reverse causality (and feedback) visible; it does not rule out confounding.

Lags are taken by row order within each entity after sorting by time: with daily market data
the lag of a Monday is the previous Friday (non-trading days that have no row are skipped), and
a missing value makes the rows that would use it drop out of the regression. Rows are never
invented to fill gaps.

Examples
--------
>>> from scrm_lab.synth import simulate_brand_panel
>>> panel = simulate_brand_panel(n_brands=30, n_periods=12, effect=0.05, seed=1).latent
>>> table = lead_lag(panel, x="engagement_index", y="growth", lags=1, min_periods=8)
>>> table.loc[table["level"] == "pooled", ["direction", "lags", "n", "n_entities"]]
                         direction  lags    n  n_entities
0  engagement_index -> growth     1  330          30
1  growth -> engagement_index     1  330          30
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from linearmodels.panel import PanelOLS
from scipy import stats
from statsmodels.tsa.stattools import adfuller

from scrm_lab._checks import (
    ALPHA,
    COLUMN,
    Choice,
    Integer,
    OrNone,
    checks,
    current_function,
    refuse,
    require_columns,
    show_value,
    suggest,
)
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.models._multiple import adjust_pvalues
from scrm_lab.models._panel import panel_frame
from scrm_lab.models._vocabulary import ADJUST, clear_column
from scrm_lab.models._wording import p_text

__all__ = ["CRITERIA", "LEAD_LAG_COLUMNS", "TRANSFORMS", "lead_lag", "lead_lag_summary"]

#: Lag-order criteria of :func:`lead_lag`.
CRITERIA = ("bic", "aic")
#: Series transforms of :func:`lead_lag` (``None`` leaves the series as they are).
TRANSFORMS = ("diff", "log1p_diff")
#: Columns of :func:`lead_lag`, in order.
LEAD_LAG_COLUMNS = (
    "direction", "level", "entity", "lags", "n", "n_entities", "statistic", "p_value",
    "p_adjusted", "estimate", "ci_low", "ci_high", "effect_size", "share_significant",
    "stationary_share_x", "stationary_share_y", "method", "clear",
)  # fmt: skip
_ADF_LEVEL = 0.05
# statsmodels >= 0.15 warns unless told which return type to give; 0.14 has no such option.
_ADF_OPTIONS = (
    {"result_object": False} if "result_object" in inspect.signature(adfuller).parameters else {}
)


@dataclass(frozen=True)
class _TransformSpec:
    """``transform=`` of :func:`lead_lag`: a transform, a mapping column -> transform, or None."""

    expected: str = (
        f"one of {list(TRANSFORMS)}, a mapping of columns to one of them (or None), or None"
    )

    def accepts(self, value: object) -> bool:
        if value is None:
            return True
        if isinstance(value, Mapping):
            return all(isinstance(k, str) and (v is None or v in TRANSFORMS)
                       for k, v in value.items())  # fmt: skip
        return isinstance(value, str) and value in TRANSFORMS

    def hint(self, value: object) -> str:
        return suggest(value, TRANSFORMS) if isinstance(value, str) else ""

    def example(self) -> None:
        return None

    def invalid(self) -> list[object]:
        return [1, "diff_not_an_option", {"x": "diff_not_an_option"}]


# ----------------------------------------------------------------------------- transforms


def _transforms(
    transform: str | Mapping[str, str | None] | None, columns: Sequence[str]
) -> dict[str, str | None]:
    """The declared ``transform`` per column; a mapping may name only ``columns``."""
    if isinstance(transform, Mapping):
        unknown = [key for key in transform if key not in columns]
        if unknown:
            expected = f"a mapping of the columns {list(columns)} to a transform"
            raise refuse("transform", expected, transform, f" Unknown column {unknown[0]!r}.")
        return {name: transform.get(name) for name in columns}
    return dict.fromkeys(columns, transform)


def _apply_transform(frame: pd.DataFrame, name: str, how: str | None) -> None:
    if how is None:
        return
    values = frame[name]
    if how == "log1p_diff":
        if (values.dropna() <= -1).any():
            raise SchemaError(
                f"{current_function()}: column '{name}' has values <= -1 (minimum "
                f"{show_value(values.min())}); transform 'log1p_diff' expects values > -1 "
                "(counts, volumes)",
                column=name,
            )
        values = np.log1p(values)
    frame[name] = values.groupby(frame["_e"], sort=False).diff()


# ----------------------------------------------------------------------------- lead-lag


def _add_lags(frame: pd.DataFrame, name: str, max_lag: int, prefix: str) -> list[str]:
    grouped = frame.groupby("_e", sort=False)[name]
    names = []
    for k in range(1, max_lag + 1):
        frame[f"{prefix}{k}"] = grouped.shift(k)
        names.append(f"{prefix}{k}")
    return names


def _panel_index(sub: pd.DataFrame) -> pd.MultiIndex:
    codes = pd.factorize(sub["_e"])[0]
    return pd.MultiIndex.from_arrays([codes, sub["_pos"].to_numpy()], names=["entity", "time"])


def _pooled_fit(sub: pd.DataFrame, dep: str, regressors: list[str], cov: str):
    exog = sm.add_constant(sub[regressors].set_axis(_panel_index(sub)), has_constant="add")
    endog = sub[dep].set_axis(exog.index)
    model = PanelOLS(endog, exog, entity_effects=True)
    if cov == "clustered":
        return model.fit(cov_type="clustered", cluster_entity=True)
    return model.fit()


def _select_lags(frame: pd.DataFrame, max_lags: int, criterion: str) -> int:
    """Lag order minimising the criterion, all orders fitted on one common sample."""
    own = [f"d{k}" for k in range(1, max_lags + 1)]
    cause = [f"c{k}" for k in range(1, max_lags + 1)]
    sub = frame.dropna(subset=["_dep", *own, *cause])
    n = len(sub)
    best, best_value = 1, math.inf
    for p in range(1, max_lags + 1):
        if n <= 2 * p + sub["_e"].nunique() + 1:
            break
        fit = _pooled_fit(sub, "_dep", own[:p] + cause[:p], cov="unadjusted")
        penalty = math.log(n) if criterion == "bic" else 2.0
        value = n * math.log(fit.resid_ss / n) + 2 * p * penalty
        if value < best_value:
            best, best_value = p, value
    return best


def _adf_stationary(values: pd.Series) -> float:
    """1.0 if the ADF test rejects a unit root at 5%, 0.0 if not, NaN if it cannot run."""
    series = values.dropna().to_numpy()
    if series.size < 8 or np.unique(series).size < 2:
        return np.nan
    try:
        p_value = adfuller(series, regression="c", autolag="AIC", **_ADF_OPTIONS)[1]
    except (ValueError, np.linalg.LinAlgError):
        return np.nan
    return float(p_value <= _ADF_LEVEL)


def _direction(
    frame: pd.DataFrame,
    *,
    dep: str,
    cause: str,
    max_lags: int,
    lags: int | None,
    criterion: str,
    alpha: float,
    adjust: str,
) -> tuple[dict, list[dict]]:
    """Pooled and per-entity rows for ``cause -> dep``."""
    work = frame[["_e", "_pos"]].copy()
    work["_dep"], work["_cause"] = frame[dep], frame[cause]
    top = lags if lags is not None else max_lags
    own = _add_lags(work, "_dep", top, "d")
    past = _add_lags(work, "_cause", top, "c")
    p = lags if lags is not None else _select_lags(work, max_lags, criterion)
    own, past = own[:p], past[:p]
    sub = work.dropna(subset=["_dep", *own, *past])
    n_entities = sub["_e"].nunique()
    if n_entities < 2 or len(sub) <= 2 * p + n_entities + 1:
        raise SchemaError(
            f"lead_lag: only {len(sub)} rows in {n_entities} entities have '{dep}' and {p} "
            f"lags of '{dep}' and '{cause}'; expected at least 2 entities and more rows than "
            "parameters",
            column=dep,
        )
    fit = _pooled_fit(sub, "_dep", own + past, cov="clustered")
    restriction = np.zeros((p, len(fit.params)))
    for i, name in enumerate(past):
        restriction[i, list(fit.params.index).index(name)] = 1.0
    wald = fit.wald_test(restriction, np.zeros(p))
    statistic = float(wald.stat) / p
    df_denom = n_entities - 1
    total = restriction.sum(axis=0)
    estimate = float(total @ fit.params.to_numpy())
    se = math.sqrt(float(total @ fit.cov.to_numpy() @ total))
    half = stats.t.ppf(1 - alpha / 2, df_denom) * se
    restricted = _pooled_fit(sub, "_dep", own, cov="unadjusted")
    pooled = {
        "level": "pooled",
        "entity": None,
        "lags": p,
        "n": int(fit.nobs),
        "n_entities": int(n_entities),
        "statistic": statistic,
        "p_value": float(stats.f.sf(statistic, p, df_denom)),
        "estimate": estimate,
        "ci_low": estimate - half,
        "ci_high": estimate + half,
        "effect_size": float((restricted.resid_ss - fit.resid_ss) / restricted.resid_ss),
        "wald": float(wald.stat),
    }
    rows = []
    for key, group in sub.groupby("_e", sort=False):
        if len(group) <= 2 * p + 1:
            continue
        exog = sm.add_constant(group[own + past].to_numpy(), has_constant="add")
        ols = sm.OLS(group["_dep"].to_numpy(), exog).fit()
        select = np.zeros((p, exog.shape[1]))
        select[np.arange(p), 1 + p + np.arange(p)] = 1.0
        test = ols.f_test(select)
        fvalue = float(np.squeeze(test.fvalue))
        sum_test = ols.t_test(select.sum(axis=0))
        low, high = sum_test.conf_int(alpha=alpha)[0]
        rows.append(
            {
                "level": "entity",
                "entity": key,
                "lags": p,
                "n": int(ols.nobs),
                "n_entities": 1,
                "statistic": fvalue,
                "p_value": float(test.pvalue),
                "estimate": float(np.squeeze(sum_test.effect)),
                "ci_low": float(low),
                "ci_high": float(high),
                "effect_size": fvalue * p / (fvalue * p + ols.df_resid),
            }
        )
    if rows:
        p_values = np.array([row["p_value"] for row in rows])
        adjusted = adjust_pvalues(p_values, method=adjust)
        for row, value in zip(rows, adjusted, strict=True):
            row["p_adjusted"] = float(value)
            row["share_significant"] = float(value < alpha)
        pooled["share_significant"] = float(np.mean(adjusted < alpha))
        pooled["n_tested"] = len(rows)
    else:
        pooled["share_significant"], pooled["n_tested"] = np.nan, 0
    return pooled, rows


@checks(
    x=COLUMN,
    y=COLUMN,
    entity=COLUMN,
    time=COLUMN,
    max_lags=Integer(low=1),
    lags=OrNone(Integer(low=1)),
    criterion=Choice(CRITERIA),
    transform=_TransformSpec(),
    min_periods=Integer(low=3),
    alpha=ALPHA,
    adjust=ADJUST,
)
def lead_lag(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    entity: str = "brand",
    time: str = "period",
    max_lags: int = 4,
    lags: int | None = None,
    criterion: str = "bic",
    transform: str | Mapping[str, str | None] | None = None,
    min_periods: int = 20,
    alpha: float = 0.05,
    adjust: str = "holm",
) -> pd.DataFrame:
    """Does ``x`` lead ``y``, and does ``y`` lead ``x``? Granger-type tests on a panel.

    For each direction ``cause -> effect`` (``x -> y`` and ``y -> x``) the effect at time t
    is regressed on its own p lags and p lags of the cause; the test asks whether the cause's
    lags are all zero.

    * **Pooled** (one row per direction): linearmodels ``PanelOLS`` with a constant and
      entity fixed effects (within transformation), standard errors clustered by entity. The
      Wald statistic W of the p cause lags is reported as ``statistic`` = W / p with its
      p-value from F(p, G - 1), G the number of entities (the small-cluster reference Stata
      uses after a clustered fit). With a lagged dependent variable the within estimator has
      a bias of order 1/T (Nickell): the test is meant for panels with long series.
    * **Per entity** (one row per entity and direction): OLS with a constant on the entity's
      own rows, the F test of the cause lags (equal to ``ssr_ftest`` of statsmodels
      ``grangercausalitytests``), with p-values adjusted across the entities of a direction.

    Lag order: unless ``lags`` is given, the p in 1..``max_lags`` minimising the criterion
    ``n log(SSR / n) + k penalty`` (k = 2p slope coefficients, penalty log n for BIC, 2 for
    AIC) of the pooled within regression, all orders fitted on the rows that have
    ``max_lags`` lags; the chosen p is then refitted on every row with p lags and used for
    the entities too. Each direction selects its own p.

    Stationarity: the augmented Dickey-Fuller test (statsmodels ``adfuller``, constant,
    lag length by AIC) runs on each tested entity's ``x`` and ``y`` after ``transform``; a
    series counts as stationary when ADF rejects a unit root at 5%. Granger tests on
    non-stationary levels are unreliable: when the shares are low, use ``transform="diff"``.

    Lags are by row order within entity after sorting by ``time`` (dates with gaps, such as
    trading days, or integers or period starts), so the lag of a Monday is the Friday before.
    Entities with fewer than ``min_periods`` rows where both ``x`` and ``y`` are present
    (after ``transform``) are skipped in every test; the ``method`` text says how many.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy panel, one row per entity and time.
    x, y : str
        Numeric columns of the two series.
    entity, time : str
        Columns naming the entity and the time (sortable: dates, integers, period starts).
    max_lags : int, default 4
        Largest lag order tried by the criterion.
    lags : int, optional
        Fixed lag order; skips the selection.
    criterion : {"bic", "aic"}, default "bic"
        Lag-order criterion.
    transform : {None, "diff", "log1p_diff"} or dict, default None
        Applied within entity before anything else: first differences, or first differences
        of ``log(1 + value)`` (counts and volumes). A dict maps ``x`` and/or ``y`` to their
        own transform (a column left out is used as it is).
    min_periods : int, default 20
        Fewest usable rows an entity needs to take part.
    alpha : float, default 0.05
        Level of the confidence intervals and of ``share_significant``.
    adjust : str, default "holm"
        Correction of the per-entity p-values (within a direction), one of
        :data:`ADJUST_METHODS` (statsmodels ``multipletests`` names, or ``"none"``); the two
        pooled p-values are corrected together in the same way.

    Returns
    -------
    pandas.DataFrame
        Pooled rows first (``x -> y``, then ``y -> x``), then entity rows, with columns in
        this order:

        - ``direction``: ``"<cause> -> <effect>"`` with the column names, e.g.
          ``"tweets -> volume"``;
        - ``level``: ``"pooled"`` or ``"entity"``;
        - ``entity``: the entity (missing on pooled rows);
        - ``lags``: lag order p;
        - ``n``: rows in the regression; ``n_entities``: entities in it (1 on entity rows);
        - ``statistic``: F (pooled: clustered Wald / p); ``p_value``; ``p_adjusted``;
        - ``estimate``: sum of the p coefficients of the cause's lags (the long-run push of
          the cause on the effect, in the effect's units per unit of the cause);
          ``ci_low``, ``ci_high``: its confidence interval at level 1 - ``alpha`` (pooled:
          clustered, t with G - 1 df; entity: OLS t);
        - ``effect_size``: partial R² of the cause's lags, (SSR without them - SSR with
          them) / SSR without them (pooled: of the within regression);
        - ``share_significant``: pooled: share of the tested entities with ``p_adjusted`` <
          ``alpha``; entity: 1.0 or 0.0;
        - ``stationary_share_x``, ``stationary_share_y``: share of the tested entities whose
          ``x`` (``y``) series look stationary (ADF p <= 0.05; entity rows: 1.0 or 0.0,
          missing when ADF cannot run);
        - ``method``: the model, standard errors, lag choice, transform and skipped entities;
        - ``clear``: True when the interval [``ci_low``, ``ci_high``] excludes zero.

    Raises
    ------
    SchemaError
        A column is missing, not numeric, all missing, constant or infinite, an entity has two
        rows at one time, or too few entities or rows are left.
    ParameterError
        A parameter is out of range or an unknown option.

    See Also
    --------
    lead_lag_summary : the result in plain words.

    Examples
    --------
    >>> from scrm_lab.synth import simulate_brand_panel
    >>> panel = simulate_brand_panel(n_brands=30, n_periods=12, effect=0.05, seed=1).latent
    >>> table = lead_lag(panel, x="engagement_index", y="growth", lags=1, min_periods=8)
    >>> table["level"].value_counts().to_dict()
    {'entity': 60, 'pooled': 2}
    >>> bool(table.loc[0, "p_value"] < 0.001)
    True
    """
    function = current_function()
    chosen = _transforms(transform, [x, y])
    if x == y:
        raise ParameterError(
            f"The 'x' and 'y' parameters of {function} must name different columns. "
            f"Got {x!r} for both."
        )
    frame = panel_frame(data, entity, time, [x, y])
    for name in (x, y):
        _apply_transform(frame, name, chosen[name])
    usable = frame[[x, y]].notna().all(axis=1).groupby(frame["_e"], sort=False).sum()
    kept = usable.index[usable >= min_periods]
    n_all, n_skipped = len(usable), len(usable) - len(kept)
    if len(kept) < 2:
        raise SchemaError(
            f"{function}: {len(kept)} of {n_all} entities in '{entity}' have at least "
            f"min_periods={min_periods} rows with both '{x}' and '{y}' (most: "
            f"{int(usable.max())}); expected at least 2 such entities",
            column=entity,
        )
    frame = frame[frame["_e"].isin(kept)].reset_index(drop=True)
    frame["_pos"] = frame.groupby("_e", sort=False).cumcount()

    adf = {name: frame.groupby("_e", sort=False)[name].apply(_adf_stationary) for name in (x, y)}
    shares = {name: float(values.mean()) for name, values in adf.items()}
    steps = [f"{name}: {how}" for name, how in chosen.items() if how is not None]
    described = f"transform {', '.join(steps)}" if steps else "no transform"
    choice = "lags fixed" if lags is not None else f"lags by {criterion.upper()} in 1..{max_lags}"
    skipped = (
        f"{n_skipped} of {n_all} entities skipped (fewer than {min_periods} usable rows)"
        if n_skipped
        else f"all {n_all} entities used"
    )
    pooled_rows, entity_rows = [], []
    for dep, cause in ((y, x), (x, y)):
        pooled, rows = _direction(
            frame, dep=dep, cause=cause, max_lags=max_lags, lags=lags,
            criterion=criterion, alpha=alpha, adjust=adjust,
        )  # fmt: skip
        direction = f"{cause} -> {dep}"
        pooled["direction"] = direction
        pooled["stationary_share_x"], pooled["stationary_share_y"] = shares[x], shares[y]
        pooled["method"] = (
            f"PanelOLS of {dep} on {pooled['lags']} own lags and lags of {cause}, entity "
            f"fixed effects, SEs clustered by entity; Wald test of the {cause} lags as F on "
            f"({pooled['lags']}, {pooled['n_entities'] - 1}) df; {choice}; {described}; "
            f"{skipped}; {pooled['n_tested']} entities tested one by one ({adjust})"
        )
        pooled_rows.append(pooled)
        for row in rows:
            row["direction"] = direction
            row["stationary_share_x"] = adf[x].get(row["entity"], np.nan)
            row["stationary_share_y"] = adf[y].get(row["entity"], np.nan)
            row["method"] = (
                f"OLS F test (ssr) of {row['lags']} lags of {cause} in {dep} on a constant and "
                f"its own lags, one entity; p adjusted across entities ({adjust}); {described}"
            )
        entity_rows.extend(rows)
    p_values = np.array([row["p_value"] for row in pooled_rows])
    adjusted = adjust_pvalues(p_values, method=adjust)
    for row, value in zip(pooled_rows, adjusted, strict=True):
        row["p_adjusted"] = float(value)
    result = pd.DataFrame(pooled_rows + entity_rows, columns=list(LEAD_LAG_COLUMNS))
    result["entity"] = result["entity"].astype(object).where(result["level"] == "entity", None)
    result["clear"] = clear_column(result["ci_low"], result["ci_high"])
    return result.astype({"lags": "int64", "n": "int64", "n_entities": "int64"})


@checks(alpha=ALPHA)
def lead_lag_summary(result: pd.DataFrame, *, alpha: float = 0.05) -> list[str]:
    """The pooled rows of a :func:`lead_lag` table in plain-words sentences.

    Says which series leads which (at level ``alpha``, on the pooled ``p_adjusted``), with
    the F statistic, p-value, lag order and the share of entities that agree, and what that
    does and does not mean: precedence in time, not proof of cause.

    Parameters
    ----------
    result : pandas.DataFrame
        A table returned by :func:`lead_lag`.
    alpha : float, default 0.05
        Significance level.

    Returns
    -------
    list of str
        Which series leads which; what leading means; a caution when most entities look
        non-stationary. ``" ".join(...)`` makes one paragraph of them.

    Raises
    ------
    SchemaError
        ``result`` is not a :func:`lead_lag` table with both pooled directions.

    Examples
    --------
    >>> from scrm_lab.synth import simulate_brand_panel
    >>> panel = simulate_brand_panel(n_brands=30, n_periods=12, effect=0.05, seed=1).latent
    >>> table = lead_lag(panel, x="engagement_index", y="growth", lags=1, min_periods=8)
    >>> print(lead_lag_summary(table)[0])  # doctest: +ELLIPSIS
    engagement_index leads growth (pooled F = ..., p < 0.001, 1 lag...) but growth does not...
    """
    function = current_function()
    require_columns(result, list(LEAD_LAG_COLUMNS), function)
    pooled = result[result["level"] == "pooled"]
    if len(pooled) != 2:
        raise SchemaError(
            f"{function}: 'result' has {len(pooled)} pooled rows; expected the 2 pooled rows "
            "of a lead_lag table",
            column="level",
        )
    parts, significant = [], []
    for row in pooled.itertuples(index=False):
        cause, effect = row.direction.split(" -> ", 1)
        leads = bool(row.p_adjusted < alpha)
        significant.append(leads)
        agree = ""
        if not pd.isna(row.share_significant):
            agree = f"; {row.share_significant:.0%} of entities tested one by one agree"
        lag_word = "lag" if row.lags == 1 else "lags"
        detail = f"(pooled F = {row.statistic:.2f}, {p_text(row.p_adjusted)}, {row.lags} "
        detail += f"{lag_word}{agree})"
        verb = "leads" if leads else "does not lead"
        parts.append((cause, effect, verb, detail))
    (c1, e1, v1, d1), (c2, e2, v2, d2) = parts
    if all(significant):
        text = (
            f"{c1} {v1} {e1} {d1} and {c2} leads {e2} too {d2}: the evidence runs both ways, "
            f"so feedback between the two is likely and reverse causality cannot be ruled out."
        )
    elif significant[0]:
        text = (
            f"{c1} {v1} {e1} {d1} but {c2} {v2} {e2} {d2}: changes in {c1} tend to come "
            f"before changes in {e1}, with no sign of the reverse."
        )
    elif significant[1]:
        text = (
            f"{c2} leads {e2} {d2} but {c1} {v1} {e1} {d1}: the timing points from {c2} to "
            f"{c1}, the reverse of the question asked."
        )
    else:
        text = (
            f"Neither series leads the other: {c1} does not lead {e1} {d1} and {c2} does not "
            f"lead {e2} {d2}."
        )
    sentences = [
        text,
        "Leading is Granger precedence (the past of one series helps predict the other), "
        "not proof of cause: a common driver that moves one series earlier would look the same.",
    ]
    shares = pooled[["stationary_share_x", "stationary_share_y"]].iloc[0]
    if (shares < 0.5).any():
        sentences.append(
            "Caution: for most entities at least one series looks non-stationary (ADF "
            "p > 0.05); consider transform='diff'."
        )
    return sentences
