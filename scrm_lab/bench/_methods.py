"""The methods of the benchmark: :class:`Method`, :data:`METHODS`, :func:`method_table`.

Each method turns one simulated :class:`~scrm_lab.synth.BrandPanel` into one estimate with a
confidence interval and a p-value, from the 2009 comparison of group means to fixed effects
and lead-lag tests (the list is in the :mod:`scrm_lab.bench` docstring). :func:`cross_section`
is the brand-level table the cross-sectional methods share.

Examples
--------
>>> from scrm_lab.synth import simulate_brand_panel
>>> panel = simulate_brand_panel(n_brands=40, n_periods=6, seed=3)
>>> sorted(METHODS["raw_correlation"].function(panel, 0.05))
['ci_high', 'ci_low', 'estimate', 'p_value']
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from scrm_lab.models import correlate, partial_correlate
from scrm_lab.synth import BrandPanel

__all__ = ["METHODS", "Method", "cross_section", "method_table", "result_row"]


@dataclass(frozen=True)
class Method:
    """A method of the benchmark.

    Attributes
    ----------
    name : str
        Method name.
    effect_scale : bool
        True when the estimate is on the scale of ``truth["effect"]`` (bias and coverage are
        then reported).
    description : str
        One line in plain words.
    function : callable
        ``function(panel, alpha)`` -> dict with ``estimate``, ``ci_low``, ``ci_high``,
        ``p_value``.
    """

    name: str
    effect_scale: bool
    description: str
    function: Callable[[BrandPanel, float], dict]


def cross_section(panel: BrandPanel) -> pd.DataFrame:
    """One row per brand: mean growth, mean lagged index, size, sector."""
    latent = panel.latent
    n = len(panel.brands)
    t = len(latent) // n
    growth = latent["growth"].to_numpy().reshape(n, t)
    lagged = latent["engagement_index_lag"].to_numpy().reshape(n, t)
    return pd.DataFrame(
        {
            "brand": panel.brands["brand"],
            "growth": growth.mean(axis=1),
            "engagement": lagged.mean(axis=1),
            "size": panel.brands["size"],
            "sector": panel.brands["sector"],
        }
    )


def result_row(estimate: float, low: float, high: float, p_value: float) -> dict:
    return {"estimate": float(estimate), "ci_low": float(low), "ci_high": float(high),
            "p_value": float(p_value)}  # fmt: skip


def _raw_correlation(panel: BrandPanel, alpha: float) -> dict:
    res = correlate(cross_section(panel), x="engagement", y="growth", method="spearman",
                    alpha=alpha)  # fmt: skip
    return result_row(*res.loc[0, ["estimate", "ci_low", "ci_high", "p_value"]])


def _quartile_groups(cs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Growth of the brands in the top and bottom quartile of mean engagement."""
    low, high = np.quantile(cs["engagement"], [0.25, 0.75])
    growth = cs["growth"].to_numpy()
    return growth[cs["engagement"].to_numpy() >= high], growth[cs["engagement"].to_numpy() <= low]


def _group_means_2009(panel: BrandPanel, alpha: float) -> dict:
    top, bottom = _quartile_groups(cross_section(panel))
    test = stats.ttest_ind(top, bottom, equal_var=False)
    interval = test.confidence_interval(confidence_level=1 - alpha)
    return result_row(top.mean() - bottom.mean(), interval.low, interval.high, test.pvalue)


def _partial_correlation(panel: BrandPanel, alpha: float) -> dict:
    res = partial_correlate(cross_section(panel), x="engagement", y="growth",
                            controls=["size", "sector"], log=["size"], alpha=alpha)  # fmt: skip
    return result_row(*res.loc[0, ["estimate", "ci_low", "ci_high", "p_value"]])


def _regression_controls(panel: BrandPanel, alpha: float) -> dict:
    cs = cross_section(panel)
    codes = cs["sector"].cat.codes.to_numpy()
    present = np.unique(codes)
    dummies = (codes[:, None] == present[None, 1:]).astype(float)
    exog = np.column_stack([np.ones(len(cs)), cs["engagement"], np.log(cs["size"]), dummies])
    fit = sm.OLS(cs["growth"].to_numpy(), exog).fit(cov_type="HC3")
    low, high = fit.conf_int(alpha=alpha)[1]
    return result_row(fit.params[1], low, high, fit.pvalues[1])


def _cluster_fit(y: np.ndarray, x: np.ndarray, groups: np.ndarray, df_model: int):
    """OLS on within-transformed data with covariance clustered by ``groups``.

    The covariance is linearmodels' ``ClusteredCovariance`` as ``PanelOLS`` computes it:
    the sandwich scaled by n / (n - df_model), ``df_model`` counting the constant, the
    regressors and the fixed effects that PanelOLS counts (none when they are nested in
    the clusters).
    """
    xpx_inv = np.linalg.inv(x.T @ x)
    params = xpx_inv @ (x.T @ y)
    scores = x * (y - x @ params)[:, None]
    summed = np.zeros((groups.max() + 1, x.shape[1]))
    np.add.at(summed, groups, scores)
    n = len(y)
    cov = xpx_inv @ (summed.T @ summed) @ xpx_inv * n / (n - df_model)
    return params, cov


def _fixed_effects_panel(panel: BrandPanel, alpha: float) -> dict:
    latent = panel.latent
    n = len(panel.brands)
    t = len(latent) // n
    demeaned = []
    for column in ("growth", "engagement_index_lag"):
        v = latent[column].to_numpy().reshape(n, t)
        demeaned.append(
            (v - v.mean(axis=1, keepdims=True) - v.mean(axis=0, keepdims=True) + v.mean()).ravel()
        )
    y, x = demeaned
    params, cov = _cluster_fit(y, x[:, None], np.repeat(np.arange(n), t), df_model=0)
    # CR1 as Stata's xtreg, fe vce(cluster): G / (G - 1) * (N - 1) / (N - K), K = slope,
    # constant and t - 1 period effects; the brand effects, nested in the clusters, are not
    # counted. Reference t with G - 1 degrees of freedom.
    nobs, k = n * t, t + 1
    se = math.sqrt(cov[0, 0] * n / (n - 1) * (nobs - 1) / (nobs - k))
    half = stats.t.ppf(1 - alpha / 2, n - 1) * se
    p_value = 2 * stats.t.sf(abs(params[0]) / se, n - 1)
    return result_row(params[0], params[0] - half, params[0] + half, p_value)


def _lead_lag(panel: BrandPanel, alpha: float) -> dict:
    latent = panel.latent
    n = len(panel.brands)
    t = len(latent) // n
    growth = latent["growth"].to_numpy().reshape(n, t)
    index = latent["engagement_index"].to_numpy().reshape(n, t)
    parts = [growth[:, 1:], growth[:, :-1], index[:, :-1]]  # y_t, y_t-1, x_t-1 (row-order lags)
    y, own, cause = ((v - v.mean(axis=1, keepdims=True)).ravel() for v in parts)
    params, cov = _cluster_fit(
        y, np.column_stack([own, cause]), np.repeat(np.arange(n), t - 1), df_model=3
    )
    se = math.sqrt(cov[1, 1])
    df = n - 1
    half = stats.t.ppf(1 - alpha / 2, df) * se
    p_value = float(stats.f.sf((params[1] / se) ** 2, 1, df))
    return result_row(params[1], params[1] - half, params[1] + half, p_value)


#: The benchmarked methods by name (see the module docstring for each one's definition).
METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method("raw_correlation", False,
               "Spearman correlation of brand mean growth and mean lagged engagement",
               _raw_correlation),
        Method("group_means_2009", False,
               "2009 style: top vs bottom engagement quartile, difference in mean growth, "
               "Welch t-test", _group_means_2009),
        Method("partial_correlation", False,
               "cross-section correlation controlling for log size and sector",
               _partial_correlation),
        Method("regression_controls", True,
               "cross-section OLS on mean lagged engagement, log size and sector, HC3 SEs",
               _regression_controls),
        Method("fixed_effects_panel", True,
               "growth on lagged engagement, brand and period fixed effects, SEs clustered "
               "by brand", _fixed_effects_panel),
        Method("lead_lag", False,
               "pooled Granger-type test: does lagged engagement predict growth given lagged "
               "growth (brand fixed effects, clustered SEs)", _lead_lag),
    )
}  # fmt: skip


def method_table() -> pd.DataFrame:
    """The methods as a table: ``name``, ``effect_scale``, ``description``.

    Returns
    -------
    pandas.DataFrame
        One row per method of :data:`METHODS`, in order.

    Examples
    --------
    >>> method_table()["name"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['raw_correlation', 'group_means_2009', 'partial_correlation', 'regression_controls',
     'fixed_effects_panel', 'lead_lag']
    """
    return pd.DataFrame(
        [(m.name, m.effect_scale, m.description) for m in METHODS.values()],
        columns=["name", "effect_scale", "description"],
    )
