"""Panel models: fixed-effects regressions and aggregation to coarser periods.

* :func:`panel_effects` fits entity and time fixed effects with clustered standard errors
  (linearmodels ``PanelOLS``), optionally with lags of the focal variable.
* :func:`aggregate_panel` turns a daily panel into weeks or months (sums, means, last values).

:func:`panel_frame` checks a panel's keys and numeric columns for these and for the lead-lag
tests (``_lead_lag.py``). Lags are by row order within each entity after sorting by time;
rows are never invented to fill gaps.

Examples
--------
>>> import pandas as pd
>>> daily = pd.DataFrame({"brand": ["a"] * 3, "day": pd.to_datetime(["2024-01-01",
...                       "2024-01-02", "2024-01-08"]), "posts": [1.0, 2.0, 5.0]})
>>> aggregate_panel(daily, entity="brand", time="day", sum=["posts"])
  brand        day  n_rows  posts
0     a 2024-01-01       2    3.0
1     a 2024-01-08       1    5.0
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import statsmodels.api as sm
from linearmodels.panel import PanelOLS
from linearmodels.panel.data import PanelData
from scipy import stats

from scrm_lab._checks import (
    ALPHA,
    COLUMN,
    Choice,
    ColumnNames,
    Flag,
    Integer,
    Text,
    as_names,
    checks,
    current_function,
    numeric_column,
    refuse,
    require_columns,
    show_value,
    warn_user,
)
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.models._vocabulary import ChoiceOrOld, clear_column

__all__ = [
    "CLUSTERS",
    "PANEL_COV_TYPES",
    "PANEL_EFFECTS_COLUMNS",
    "aggregate_panel",
    "panel_effects",
    "panel_frame",
]

#: Covariance types of :func:`panel_effects` (``"cluster"`` is linearmodels' "clustered";
#: the old spelling ``"clustered"`` still works, with a FutureWarning).
PANEL_COV_TYPES = ("cluster", "robust", "unadjusted", "kernel")
#: Cluster dimensions of :func:`panel_effects` with ``cov_type="cluster"``.
CLUSTERS = ("entity", "time", "both")
#: Columns of :func:`panel_effects`, in order.
PANEL_EFFECTS_COLUMNS = (
    "term", "n", "n_entities", "n_periods", "estimate", "ci_low", "ci_high", "statistic",
    "p_value", "effect_size", "r_squared_within", "method", "clear",
)  # fmt: skip
#: A pandas period frequency (checked by pandas in the body).
_FREQ = Text("a pandas period frequency such as 'W', 'M' or 'Q'")


# ----------------------------------------------------------------------------- panel checks


def panel_frame(data: pd.DataFrame, entity: str, time: str, columns: Sequence[str]) -> pd.DataFrame:
    """Keys plus numeric columns, checked, sorted by entity and time, with a fresh index."""
    function = current_function()
    require_columns(data, [entity, time, *columns], function)
    if len({entity, time, *columns}) < 2 + len(columns):
        raise ParameterError(
            f"{function}: the entity, time and variable columns must be distinct. "
            f"Got entity={entity!r}, time={time!r} and {list(columns)!r}."
        )
    if len(data) < 3:
        raise SchemaError(
            f"{function}: the data has {len(data)} rows; expected a panel of at least 3 rows",
        )
    for key in (entity, time):
        if data[key].isna().any():
            row = int(np.flatnonzero(data[key].isna().to_numpy())[0]) + 1
            raise SchemaError(
                f"{function}: column '{key}' is missing in row {row}; expected every row to "
                "name its entity and time",
                column=key,
                row=row,
            )
    frame = pd.DataFrame({"_e": data[entity].to_numpy(), "_t": data[time].to_numpy()})
    for name in columns:
        values = numeric_column(data, name, function).to_numpy()
        finite = values[~np.isnan(values)]
        if finite.size == 0:
            raise SchemaError(
                f"{function}: column '{name}' has no values (all missing); expected numbers",
                column=name,
            )
        if np.isinf(finite).any():
            raise SchemaError(
                f"{function}: column '{name}' has infinite values; expected finite numbers",
                column=name,
            )
        if np.unique(finite).size < 2:
            raise SchemaError(
                f"{function}: column '{name}' is constant (every value is "
                f"{show_value(finite[0])}); expected a varying series",
                column=name,
            )
        frame[name] = values
    duplicated = frame.duplicated(["_e", "_t"])
    if duplicated.any():
        first = frame.loc[duplicated.idxmax()]
        raise SchemaError(
            f"{function}: entity {show_value(first['_e'])} has more than one row at "
            f"{time} {show_value(first['_t'])}; expected one row per '{entity}' and '{time}'",
            column=time,
            row=int(duplicated.idxmax()) + 1,
        )
    try:
        frame = frame.sort_values(["_e", "_t"], kind="stable")
    except TypeError as err:
        raise SchemaError(
            f"{function}: columns '{entity}' and '{time}' cannot be sorted (mixed types); "
            "expected one type per column",
            column=time,
        ) from err
    return frame.reset_index(drop=True)


# ----------------------------------------------------------------------------- fixed effects


@checks(
    y=COLUMN,
    x=COLUMN,
    entity=COLUMN,
    time=COLUMN,
    controls=ColumnNames(empty_ok=True),
    entity_effects=Flag(),
    time_effects=Flag(),
    cov_type=ChoiceOrOld(PANEL_COV_TYPES, old=("clustered",)),
    cluster=Choice(CLUSTERS),
    lags=Integer(low=0),
    alpha=ALPHA,
)
def panel_effects(
    data: pd.DataFrame,
    *,
    y: str,
    x: str,
    entity: str = "brand",
    time: str = "period",
    controls: Sequence[str] = (),
    entity_effects: bool = True,
    time_effects: bool = True,
    cov_type: str = "cluster",
    cluster: str = "entity",
    lags: int = 0,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Effect of ``x`` (and its lags) on ``y`` with entity and time fixed effects.

    Fits linearmodels ``PanelOLS`` of ``y`` on a constant, ``x``, ``lags`` lags of ``x``
    and the ``controls``, with entity and/or time fixed effects (``drop_absorbed=True``).
    Lags are by row order within entity after sorting by ``time``; rows missing any column
    used are left out. With ``cov_type="cluster"`` the standard errors are clustered by
    ``cluster``; ``"kernel"`` gives Driscoll-Kraay errors, ``"robust"`` White's.
    p-values and intervals use the normal reference (linearmodels' default).

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy panel, one row per entity and time.
    y, x : str
        Numeric outcome and focal columns.
    entity, time : str
        Columns naming the entity and the time (sortable).
    controls : sequence of str
        Further numeric regressors (not reported).
    entity_effects, time_effects : bool, default True
        Which fixed effects to include.
    cov_type : {"cluster", "robust", "unadjusted", "kernel"}, default "cluster"
        Standard errors (the spelling of :func:`regress` and statsmodels; linearmodels calls
        the first "clustered", which still works with a FutureWarning).
    cluster : {"entity", "time", "both"}, default "entity"
        Cluster dimension(s) when ``cov_type="cluster"``.
    lags : int, default 0
        Lags of ``x`` added as focal terms ``<x>_lag1``, ``<x>_lag2``...
    alpha : float, default 0.05
        The intervals have level 1 - ``alpha``.

    Returns
    -------
    pandas.DataFrame
        One row per focal term (``x``, then its lags), columns in this order: ``term``,
        ``n`` (rows used), ``n_entities``, ``n_periods`` (distinct times used), ``estimate``,
        ``ci_low``, ``ci_high``, ``statistic`` (z), ``p_value``, ``effect_size``
        (within-standardized coefficient: estimate x sd of the term / sd of ``y``, both
        after removing the fixed effects included), ``r_squared_within``, ``method``,
        ``clear`` (True when the interval excludes zero).

    Raises
    ------
    SchemaError
        A column is missing, not numeric, all missing, constant or absorbed by the effects,
        an entity has two rows at one time, or fewer than 2 entities or periods are left.
    ParameterError
        A parameter is out of range or an unknown option.

    Examples
    --------
    >>> from scrm_lab.synth import simulate_brand_panel
    >>> panel = simulate_brand_panel(n_brands=30, n_periods=12, effect=0.05, seed=1).latent
    >>> fit = panel_effects(panel, y="growth", x="engagement_index", lags=1)
    >>> fit[["term", "n", "n_entities", "n_periods"]]
                        term    n  n_entities  n_periods
    0       engagement_index  330          30         11
    1  engagement_index_lag1  330          30         11
    """
    function = current_function()
    controls = list(as_names(controls))
    if cov_type == "clustered":
        warn_user(
            f"The 'cov_type' value 'clustered' of {function} is spelled 'cluster' now; "
            "'clustered' will stop working in the next minor version. Use cov_type='cluster'."
        )
        cov_type = "cluster"
    frame = panel_frame(data, entity, time, [y, x, *controls])
    frame["_y"], frame["_x0"] = frame[y], frame[x]
    for k in range(1, lags + 1):
        frame[f"_x{k}"] = frame.groupby("_e", sort=False)[x].shift(k)
    focal = [f"_x{k}" for k in range(lags + 1)]
    terms = {f"_x{k}": (x if k == 0 else f"{x}_lag{k}") for k in range(lags + 1)}
    others = {f"_c{i}": name for i, name in enumerate(controls)}
    for internal, name in others.items():
        frame[internal] = frame[name]
    sub = frame.dropna(subset=["_y", *focal, *others])
    n_entities, n_periods = sub["_e"].nunique(), sub["_t"].nunique()
    if n_entities < 2 or n_periods < 2:
        raise SchemaError(
            f"{function}: {len(sub)} complete rows cover {n_entities} entities in '{entity}' "
            f"and {n_periods} periods in '{time}'; expected at least 2 of each",
            column=entity if n_entities < 2 else time,
        )
    regressors = [*focal, *others]
    if len(sub) <= len(regressors) + 1:
        raise SchemaError(
            f"{function}: {len(sub)} complete rows for {len(regressors) + 1} coefficients; "
            "expected more rows than coefficients",
            column=y,
        )
    index = pd.MultiIndex.from_arrays(
        [pd.factorize(sub["_e"])[0], pd.factorize(sub["_t"], sort=True)[0]],
        names=["entity", "time"],
    )
    exog = sm.add_constant(sub[regressors].set_axis(index), has_constant="add")
    endog = sub["_y"].set_axis(index)
    model = PanelOLS(
        endog, exog, entity_effects=entity_effects, time_effects=time_effects,
        drop_absorbed=True, check_rank=False,
    )  # fmt: skip
    options: dict = {"cov_type": "clustered" if cov_type == "cluster" else cov_type}
    if cov_type == "cluster":
        options["cluster_entity"] = cluster in ("entity", "both")
        options["cluster_time"] = cluster in ("time", "both")
    fit = model.fit(**options)
    for internal, name in {**terms, **others}.items():
        if internal not in fit.params.index:
            raise SchemaError(
                f"{function}: column '{name}' is absorbed by the fixed effects (no variation "
                "left within them); expected a regressor that varies within entity and time",
                column=x if internal in terms else name,
            )
    nested = cov_type == "cluster" and cluster == "entity" and entity_effects
    bounds = fit.conf_int(level=1 - alpha)
    lows, highs = bounds["lower"], bounds["upper"]
    statistics, p_values = fit.tstats, fit.pvalues
    if nested:
        # linearmodels scales the clustered sandwich by N / df_resid, counting the entity
        # effects even though they sit inside the entity clusters, which makes the errors
        # conservative on short panels. Use CR1 as Stata's xtreg, fe vce(cluster) does:
        # G / (G - 1) * (N - 1) / (N - K), K without the entity effects, and t(G - 1).
        nobs, groups = float(fit.nobs), float(n_entities)
        k_without_entities = nobs - fit.df_resid - (groups - 1)
        factor = (fit.df_resid / nobs) * groups / (groups - 1) * (nobs - 1)
        factor /= nobs - k_without_entities
        se = fit.std_errors * np.sqrt(factor)
        reference = stats.t(df=groups - 1)
        half = reference.ppf(1 - alpha / 2) * se
        lows, highs = fit.params - half, fit.params + half
        statistics = fit.params / se
        p_values = pd.Series(2 * reference.sf(statistics.abs()), index=statistics.index)
    group = {(True, True): "both", (True, False): "entity", (False, True): "time"}
    demean = group.get((entity_effects, time_effects))
    within = PanelData(sub[["_y", *focal]].set_axis(index))
    within = within.demean(demean).dataframe if demean else within.dataframe
    sd_y = float(within["_y"].std(ddof=0))
    effects = [
        label for label, used in (("entity", entity_effects), ("time", time_effects)) if used
    ]
    effects_text = " and ".join(effects) + " fixed effects" if effects else "no fixed effects"
    se_text = {
        "cluster": f"SEs clustered by {cluster}"
        + (" (CR1, entity effects nested in the clusters, t reference)" if nested else ""),
        "robust": "heteroskedasticity-robust SEs",
        "unadjusted": "classical SEs",
        "kernel": "Driscoll-Kraay (kernel) SEs",
    }[cov_type]
    controls_text = f", controls {', '.join(controls)}" if controls else ""
    method = f"PanelOLS, {effects_text}, {se_text}{controls_text}"
    rows = []
    for internal, name in terms.items():
        estimate = float(fit.params[internal])
        rows.append(
            {
                "term": name,
                "n": int(fit.nobs),
                "n_entities": int(n_entities),
                "n_periods": int(n_periods),
                "estimate": estimate,
                "ci_low": float(lows[internal]),
                "ci_high": float(highs[internal]),
                "statistic": float(statistics[internal]),
                "p_value": float(p_values[internal]),
                "effect_size": estimate * float(within[internal].std(ddof=0)) / sd_y,
                "r_squared_within": float(fit.rsquared_within),
                "method": method,
            }
        )
    result = pd.DataFrame(rows, columns=list(PANEL_EFFECTS_COLUMNS))
    result["clear"] = clear_column(result["ci_low"], result["ci_high"])
    return result


# ----------------------------------------------------------------------------- aggregation


@checks(
    entity=COLUMN,
    time=COLUMN,
    freq=_FREQ,
    sum=ColumnNames(empty_ok=True),
    mean=ColumnNames(empty_ok=True),
    last=ColumnNames(empty_ok=True),
)
def aggregate_panel(
    data: pd.DataFrame,
    *,
    entity: str,
    time: str,
    freq: str = "W",
    sum: Sequence[str] = (),  # shadows the builtin inside this function only
    mean: Sequence[str] = (),
    last: Sequence[str] = (),
) -> pd.DataFrame:
    """Aggregate a dated panel to coarser periods (weeks, months) within each entity.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy panel with a datetime ``time`` column.
    entity, time : str
        Entity column and datetime column.
    freq : str, default "W"
        pandas period frequency: ``"W"`` (weeks Monday-Sunday), ``"M"``, ``"Q"``...
    sum, mean, last : sequence of str
        Numeric columns summed, averaged, or taken at their last non-missing value in time
        order (e.g. a closing price). Missing values are skipped; a period where a column
        has no values gets a missing sum, mean or last value.

    Returns
    -------
    pandas.DataFrame
        One row per entity and period present in the data, sorted, columns in this order:
        ``<entity>``, ``<time>`` (the start of the period), ``n_rows`` (rows aggregated),
        then the ``sum``, ``mean`` and ``last`` columns in the order given.

    Raises
    ------
    SchemaError
        A column is missing, ``time`` is not datetime, or a value column is not numeric.
    ParameterError
        ``freq`` is not a pandas period frequency, or no value columns or a repeated one.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> daily = load_dataset("stocknet_tweets_prices", table="daily")
    >>> weekly = aggregate_panel(daily, entity="ticker", time="date", sum=["tweets", "volume"],
    ...                          last=["adj_close"])
    >>> weekly.columns.tolist()
    ['ticker', 'date', 'n_rows', 'tweets', 'volume', 'adj_close']
    >>> int(weekly["tweets"].sum()) == int(daily["tweets"].sum())
    True
    """
    function = current_function()
    groups = {key: list(as_names(names)) for key, names in (("sum", sum), ("mean", mean),
                                                             ("last", last))}  # fmt: skip
    columns = [name for names in groups.values() for name in names]
    if not columns:
        raise ParameterError(
            f"The 'sum', 'mean' and 'last' parameters of {function} must name at least one "
            "column to aggregate. Got none."
        )
    if len(set(columns)) < len(columns) or {entity, time} & set(columns):
        raise ParameterError(
            f"The 'sum', 'mean' and 'last' parameters of {function} must name distinct value "
            f"columns other than '{entity}' and '{time}'. Got {columns!r} instead."
        )
    require_columns(data, [entity, time, *columns], function)
    if not pd.api.types.is_datetime64_any_dtype(data[time]):
        raise SchemaError(
            f"{function}: column '{time}' has dtype {data[time].dtype}; expected dates "
            "(datetime64)",
            column=time,
        )
    try:
        period = data[time].dt.to_period(freq).dt.start_time
    except (ValueError, TypeError, AttributeError) as err:
        raise refuse("freq", _FREQ.expected, freq) from err
    frame = pd.DataFrame({"_e": data[entity], "_p": period, "_t": data[time]})
    for name in columns:
        frame[name] = numeric_column(data, name, function)
    frame = frame.sort_values(["_e", "_t"], kind="stable")
    grouped = frame.groupby(["_e", "_p"], sort=True)
    result = grouped.size().rename("n_rows").to_frame()
    for how, names in groups.items():
        for name in names:
            if how == "sum":
                result[name] = grouped[name].sum(min_count=1)
            else:
                result[name] = grouped[name].agg(how)
    result = result.reset_index().rename(columns={"_e": entity, "_p": time})
    return result.astype({"n_rows": "int64"})
