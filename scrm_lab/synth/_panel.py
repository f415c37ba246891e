r"""The simulated brand panel: channel activity and revenue with a known engagement effect.

Examples
--------
>>> panel = simulate_brand_panel(n_brands=3, n_periods=2, seed=1)
>>> panel.brands["brand"].tolist()
['B001', 'B002', 'B003']
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from scrm_lab._checks import (
    SEED,
    Integer,
    Real,
    checks,
    current_function,
    refuse,
)
from scrm_lab.exceptions import ParameterError
from scrm_lab.synth._common import (
    _FREQ,
    _NAMES,
    _START,
    _categorical,
    _ids,
    _neg_binomial,
    _start,
)

__all__ = ["DEFAULT_SECTORS", "ENGAGEMENTDB_CHANNELS", "BrandPanel", "simulate_brand_panel"]

#: The 11 social channels scored by the 2009 ENGAGEMENTdb study (Wetpaint and Altimeter).
ENGAGEMENTDB_CHANNELS: tuple[str, ...] = (
    "blogs", "branded_community", "content_distribution", "discussion_forums",
    "social_network", "photo_sharing", "innovation_hub", "wiki", "ratings_reviews",
    "twitter", "video",
)  # fmt: skip
#: Default sectors of :func:`simulate_brand_panel`.
DEFAULT_SECTORS: tuple[str, ...] = (
    "media", "technology", "retail", "automotive", "consumer_goods", "financial_services",
)  # fmt: skip

_BURN_IN = 50
_MU, _SIGMA, _GAMMA, _DELTA = 0.01, 0.05, 0.5, 0.01
_SECTOR_ENG, _SECTOR_GROWTH, _SIZE_SCALE = 0.5, 0.01, 1e9
_COUNTS = {  # column: (base mean, slope on E, slope on z)
    "posts": (30.0, 0.4, 0.2),
    "followers": (20000.0, 0.5, 0.8),
    "engagements": (2000.0, 0.6, 0.5),
    "replies": (10.0, 0.8, 0.1),
}
_MAX_MEAN = 1e12
_DESCRIPTIONS = {
    "effect": "Change in revenue log-growth per unit of the engagement index one period earlier",
    "confounding": "Scale of the size and sector loadings of the engagement level",
    "reverse": "Rise of the next index per sigma of log-growth above mu",
    "persistence": "AR(1) coefficient of the engagement index",
    "noise": "Multiplier of the growth noise sd (sigma)",
    "seed": "Seed of the random generator",
    "n_brands": "Brands simulated",
    "n_periods": "Periods reported",
    "channels": "Social channels",
    "sectors": "Sectors",
    "reverse_per_growth": "reverse / sigma: rise of the next index per unit of log-growth",
    "mu": "Mean revenue log-growth per period",
    "sigma": "Growth noise sd at noise=1; the unit of growth in the reverse term",
    "gamma": "Engagement level per sd of log size, before the confounding scale",
    "delta": "Revenue log-growth per period per sd of log size",
    "size_scale": "Revenue (USD) in the period before the panel of a brand with z=0",
    "burn_in": "Unreported periods simulated before the first reported one",
    "phi2": "Second AR coefficient of the index: reverse * effect / sigma",
    "sector_engagement": "Engagement shift alpha_s of the sector, before the confounding scale",
    "sector_growth": "Revenue log-growth shift beta_s of the sector",
    "sector_gross_margin": "Median gross margin gm_s of the sector",
    "sector_net_share": "Median net margin / gross margin ns_s of the sector",
    "channel_popularity": "P(present) on the channel for a brand with index 0",
}


@dataclass(frozen=True, eq=False)
class BrandPanel:
    """A simulated brand panel and its truth (see :func:`simulate_brand_panel`).

    Attributes
    ----------
    brands, channel_activity, financials : pandas.DataFrame
        Canonical ``brands``, ``channel_activity`` and ``financials`` tables.
    latent : pandas.DataFrame
        One row per brand and period: ``brand``, ``period``, ``sector``, ``size_z`` (z_i),
        ``engagement_level`` (m_i), ``engagement_index`` (E_it), ``engagement_index_lag``
        (E_i,t-1, from the burn-in for the first period), ``growth`` (g_it) and
        ``expected_growth`` (g_it without its noise term).
    truth : dict
        Parameters and true values; see :meth:`truth_table`.
    """

    brands: pd.DataFrame
    channel_activity: pd.DataFrame
    financials: pd.DataFrame
    latent: pd.DataFrame
    truth: dict[str, Any]

    def truth_table(self) -> pd.DataFrame:
        """The truth as a table with columns ``parameter``, ``value``, ``description``.

        Dict entries are spread over rows named like ``sector_growth[media]``; tuples of
        names are joined with ", ".

        Examples
        --------
        >>> panel = simulate_brand_panel(n_brands=2, n_periods=2, effect=0.01)
        >>> panel.truth_table().iloc[0].tolist()  # doctest: +NORMALIZE_WHITESPACE
        ['effect', 0.01,
         'Change in revenue log-growth per unit of the engagement index one period earlier']
        """
        rows = []
        for key, value in self.truth.items():
            text = _DESCRIPTIONS.get(key, key.replace("_", " ").capitalize())
            if isinstance(value, dict):
                rows += [(f"{key}[{k}]", v, text) for k, v in value.items()]
            else:
                rows.append((key, ", ".join(value) if isinstance(value, tuple) else value, text))
        table = pd.DataFrame(rows, columns=["parameter", "value", "description"])
        return table.astype({"parameter": "str", "description": "str"})


@checks(
    n_brands=Integer(low=2),
    n_periods=Integer(low=2),
    channels=_NAMES,
    sectors=_NAMES,
    start=_START,
    freq=_FREQ,
    effect=Real(-1, 1),
    confounding=Real(low=0),
    reverse=Real(),
    persistence=Real(0, 1, high_open=True),
    noise=Real(low=0),
    seed=SEED,
)
def simulate_brand_panel(
    *,
    n_brands: int = 100,
    n_periods: int = 12,
    channels: Sequence[str] = ENGAGEMENTDB_CHANNELS,
    sectors: Sequence[str] = DEFAULT_SECTORS,
    start: str | pd.Timestamp = "2008-01-01",
    freq: str = "QS",
    effect: float = 0.0,
    confounding: float = 1.0,
    reverse: float = 0.0,
    persistence: float = 0.5,
    noise: float = 1.0,
    seed: int = 0,
) -> BrandPanel:
    r"""Simulate brands' social channel activity and revenue with a known engagement effect.

    Parameters
    ----------
    n_brands, n_periods : int
        Brands and reported periods, each >= 2.
    channels, sectors : sequence of str
        Distinct channel and sector names (defaults: :data:`ENGAGEMENTDB_CHANNELS`,
        :data:`DEFAULT_SECTORS`).
    start : str or pandas.Timestamp
        First day of the first period.
    freq : str
        pandas frequency of the periods (``"QS"``: quarters; ``"MS"``, ``"YS"``...).
    effect : float
        True change in revenue log-growth per period per unit of the engagement index one
        period earlier, in [-1, 1]; 0: engagement has no effect on revenue.
    confounding : float
        >= 0. Scale of the size and sector loadings of engagement; 0: no confounding.
    reverse : float
        Rise of the next period's index per ``sigma`` (0.05) of log-growth above ``mu``;
        > 0: growth drives later engagement.
    persistence : float
        AR(1) coefficient of the index, in [0, 1).
    noise : float
        >= 0. Multiplier of the growth noise sd (0.05 per period at ``noise=1``).
    seed : int
        >= 0. Seed of the random generator.

    Returns
    -------
    BrandPanel
        ``brands`` (brand, name, sector, size), ``channel_activity`` (brand, channel,
        period, present, posts, followers, engagements, replies; rows ordered by brand,
        channel, period), ``financials`` (brand, period, revenue, gross_margin,
        net_margin, currency), ``latent`` and ``truth``.

    Raises
    ------
    ParameterError
        A parameter has the wrong type or is out of range, the engagement-growth feedback
        is not stationary, or revenue leaves the floating-point range.

    Notes
    -----
    Brand :math:`i` in sector :math:`s = s(i)` (brands spread evenly over sectors at random),
    reported periods :math:`t = 0, \dots, T-1`, preceded by 50 unreported burn-in periods so
    that the panel starts near its stationary distribution and every reported period has a
    lagged index::

        z_i     ~ N(0, 1)                                  latent log size
        a_s     ~ N(0, 1), centred over sectors            sector factor (drawn once per seed)
        alpha_s = 0.5 a_s,   beta_s = 0.01 a_s             sector engagement and growth shifts
        m_i     = confounding * (alpha_s + gamma z_i)      engagement level, gamma = 0.5
        x_it    = persistence * x_i,t-1 + reverse * (g_i,t-1 - mu) / sigma
                  + sqrt(1 - persistence^2) * u_it,       u_it ~ N(0, 1)
        E_it    = m_i + x_it                               engagement index
        g_it    = mu + beta_s + delta z_i + effect * E_i,t-1 + noise * sigma * e_it,
                  e_it ~ N(0, 1),   mu = 0.01,  delta = 0.01,  sigma = 0.05
        size_i  = 1e9 * exp(z_i)                           revenue (USD) in the period before t=0
        R_it    = R_i,t-1 * exp(g_it),   R_i,-1 = size_i   revenue (USD)

    *Scale.* With ``confounding=0`` and ``reverse=0`` the index is a stationary AR(1) with mean 0
    and variance 1, so ``effect`` is the change in revenue log-growth per period per standard
    deviation of engagement one period earlier. *Confounding.* Size and sector always drive
    growth (they are prognostic); ``confounding`` scales how much they drive engagement, so with
    ``confounding=0`` nothing confounds, and the bias of an uncontrolled estimate grows linearly
    with it. *Reverse causality.* ``reverse`` is the rise of the next period's index per
    ``sigma`` of log-growth above ``mu``. The feedback E -> g -> E makes :math:`x` an AR(2) with
    phi1 = persistence and phi2 = reverse * effect / sigma; non-stationary combinations are
    refused. The growth noise is independent over time, so a regression of :math:`g_{it}` on
    :math:`E_{i,t-1}`, log size and sector is unbiased for ``effect`` whatever ``reverse``.

    *Channels.* Brand :math:`i` is present on channel :math:`c` in period :math:`t` when
    :math:`v_{ic} < \kappa_c + E_{it}`, with :math:`v_{ic}` ~ Logistic(0, 1) fixed per brand and
    channel: :math:`P(\text{present}) = \text{logistic}(\kappa_c + E_{it})`, and presence is as
    stable as :math:`E`. :math:`\text{logistic}(\kappa_c)` ~ U(0.2, 0.8) is the channel's
    popularity. Where present, each count is negative binomial (gamma-Poisson, shape 2) with
    ``log mean = log(base) + b * E_it + c * z_i`` (capped at 1e12): posts (30, 0.4, 0.2),
    followers (20000, 0.5, 0.8), engagements received (2000, 0.6, 0.5), replies (10, 0.8, 0.1).
    Where absent, the four counts are missing (``<NA>``): there is no account to measure.

    *Margins* do not depend on engagement: ``gross_margin = logistic(logit(gm_s) + 0.2 n1)``,
    ``net_margin = gross_margin * logistic(logit(ns_s) + 0.3 n2)`` with n1, n2 ~ N(0, 1),
    gm_s ~ U(0.3, 0.7) and ns_s ~ U(0.1, 0.35) per sector, so 0 < net < gross < 1.

    Examples
    --------
    >>> panel = simulate_brand_panel(n_brands=3, n_periods=2, effect=0.02, seed=1)
    >>> panel.financials.shape, panel.channel_activity.shape
    ((6, 6), (66, 8))
    >>> panel.brands["brand"].tolist(), panel.truth["effect"]
    (['B001', 'B002', 'B003'], 0.02)
    """
    n, n_t = int(n_brands), int(n_periods)
    channels, sectors = tuple(map(str, channels)), tuple(map(str, sectors))
    start = _start(start)
    effect, confounding, reverse = float(effect), float(confounding), float(reverse)
    rho, noise, seed = float(persistence), float(noise), int(seed)
    try:
        periods = pd.date_range(start, periods=n_t, freq=freq).as_unit("ns")
    except (TypeError, ValueError) as err:
        raise refuse("freq", _FREQ.expected, freq) from err
    phi2 = reverse * effect / _SIGMA
    if not (abs(phi2) < 1 and rho + phi2 < 1 and phi2 - rho < 1):
        raise ParameterError(
            f"The 'persistence', 'reverse' and 'effect' parameters of {current_function()} must "
            "give a stationary engagement-growth feedback: |phi2| < 1, persistence + phi2 < 1 and "
            f"phi2 - persistence < 1, where phi2 = reverse * effect / {_SIGMA}. "
            f"Got persistence={rho!r} and phi2={phi2!r} instead."
        )

    rng = np.random.default_rng(seed)
    n_s, n_c, n_all = len(sectors), len(channels), _BURN_IN + n_t
    factor = rng.standard_normal(n_s)
    factor = factor - factor.mean() if n_s > 1 else np.zeros(1)
    popularity = rng.uniform(0.2, 0.8, n_c)
    gross_center, net_center = rng.uniform(0.3, 0.7, n_s), rng.uniform(0.1, 0.35, n_s)
    sector = rng.permutation(np.resize(np.arange(n_s), n))
    z, x = rng.standard_normal(n), rng.standard_normal(n)
    u, e = rng.standard_normal((n, n_all)), rng.standard_normal((n, n_all))

    level = confounding * (_SECTOR_ENG * factor[sector] + _GAMMA * z)
    base_growth = _MU + _SECTOR_GROWTH * factor[sector] + _DELTA * z
    index, growth = np.empty((n, n_all)), np.empty((n, n_all))
    index_prev, growth_prev = level + x, np.full(n, _MU)
    for t in range(n_all):
        x = rho * x + reverse * (growth_prev - _MU) / _SIGMA + math.sqrt(1 - rho**2) * u[:, t]
        index[:, t] = level + x
        growth[:, t] = base_growth + effect * index_prev + noise * _SIGMA * e[:, t]
        index_prev, growth_prev = index[:, t], growth[:, t]
    lag = index[:, _BURN_IN - 1 : -1]
    index, growth, e = index[:, _BURN_IN:], growth[:, _BURN_IN:], e[:, _BURN_IN:]
    size = _SIZE_SCALE * np.exp(z)
    with np.errstate(over="ignore", invalid="ignore"):
        revenue = size[:, None] * np.exp(np.cumsum(growth, axis=1))
    if not np.isfinite(revenue).all():
        raise ParameterError(
            f"The 'noise', 'reverse' and 'n_periods' parameters of {current_function()} must "
            f"keep revenue finite. Got noise={noise!r}, reverse={reverse!r}, "
            f"n_periods={n_t!r} instead."
        )

    threshold = rng.logistic(size=(n, n_c))
    present = threshold[:, :, None] < logit(popularity)[None, :, None] + index[:, None, :]
    counts = {}
    for column, (base, on_index, on_size) in _COUNTS.items():
        log_mean = np.log(base) + on_index * index + on_size * z[:, None]
        mean = np.exp(np.minimum(log_mean, np.log(_MAX_MEAN)))
        drawn = _neg_binomial(rng, np.broadcast_to(mean[:, None, :], present.shape))
        counts[column] = pd.arrays.IntegerArray(drawn.ravel().astype("int64"), ~present.ravel())
    gross = expit(logit(gross_center)[sector, None] + 0.2 * rng.standard_normal((n, n_t)))
    net = gross * expit(logit(net_center)[sector, None] + 0.3 * rng.standard_normal((n, n_t)))

    brand_of_row = np.repeat(np.arange(n), n_t)
    sector_cat = _categorical(sector, sectors)
    brands = pd.DataFrame(
        {"brand": _ids("B", n), "name": _ids("Simulated brand ", n), "sector": sector_cat,
         "size": size}
    )  # fmt: skip
    keys = {"brand": _ids("B", n, index=brand_of_row), "period": np.tile(periods, n)}
    financials = pd.DataFrame(
        {**keys, "revenue": revenue.ravel(), "gross_margin": gross.ravel(),
         "net_margin": net.ravel(), "currency": pd.Series(["USD"] * (n * n_t), dtype="str")}
    )  # fmt: skip
    activity = pd.DataFrame(
        {
            "brand": _ids("B", n, index=np.repeat(np.arange(n), n_c * n_t)),
            "channel": _categorical(np.tile(np.repeat(np.arange(n_c), n_t), n), channels),
            "period": np.tile(periods, n * n_c),
            "present": present.ravel(),
            **counts,
        }
    )
    latent = pd.DataFrame(
        {**keys, "sector": sector_cat[brand_of_row], "size_z": z[brand_of_row],
         "engagement_level": level[brand_of_row], "engagement_index": index.ravel(),
         "engagement_index_lag": lag.ravel(), "growth": growth.ravel(),
         "expected_growth": (growth - noise * _SIGMA * e).ravel()}
    )  # fmt: skip
    truth = {
        "effect": effect, "confounding": confounding, "reverse": reverse,
        "persistence": rho, "noise": noise, "seed": seed, "n_brands": n, "n_periods": n_t,
        "channels": channels, "sectors": sectors, "mu": _MU, "sigma": _SIGMA,
        "gamma": _GAMMA, "delta": _DELTA, "size_scale": _SIZE_SCALE, "burn_in": _BURN_IN,
        "phi2": phi2, "reverse_per_growth": reverse / _SIGMA,
        "sector_engagement": dict(zip(sectors, (_SECTOR_ENG * factor).tolist(), strict=True)),
        "sector_growth": dict(zip(sectors, (_SECTOR_GROWTH * factor).tolist(), strict=True)),
        "sector_gross_margin": dict(zip(sectors, gross_center.tolist(), strict=True)),
        "sector_net_share": dict(zip(sectors, net_center.tolist(), strict=True)),
        "channel_popularity": dict(zip(channels, popularity.tolist(), strict=True)),
    }  # fmt: skip
    return BrandPanel(brands, activity, financials, latent, truth)
