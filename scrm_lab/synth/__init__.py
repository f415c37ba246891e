r"""Simulators with known ground truth: a brand panel, customers, a social graph.

Every simulator draws from one :func:`numpy.random.default_rng` seeded by ``seed`` (the
graph simulator hands integer seeds drawn from it, or ``seed`` itself, to networkx), touches
no global state, and returns canonical tables (see :mod:`scrm_lab.schema`) together with the
true values that produced them. Same seed and library versions: same data, on any machine.

Brand panel (:func:`simulate_brand_panel`)
------------------------------------------
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

The customer and graph models are written out in :func:`simulate_customers` and
:func:`simulate_social_graph`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy.special import expit, logit

from scrm_lab._checks import (
    SEED,
    Choice,
    Instance,
    Integer,
    Many,
    Real,
    Text,
    checks,
    current_function,
    refuse,
)
from scrm_lab.exceptions import ParameterError
from scrm_lab.synth._engagementdb_2009 import (
    OUTCOME_MEANS,
    Reconstruction,
    reconstruct_engagementdb_2009,
)
from scrm_lab.synth._threads import SimulatedThreads, simulate_service_threads

__all__ = [
    "BrandPanel",
    "CustomerData",
    "DEFAULT_SECTORS",
    "ENGAGEMENTDB_CHANNELS",
    "OUTCOME_MEANS",
    "Reconstruction",
    "SimulatedThreads",
    "SocialGraph",
    "reconstruct_engagementdb_2009",
    "simulate_brand_panel",
    "simulate_customers",
    "simulate_service_threads",
    "simulate_social_graph",
]

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
_NB_SHAPE, _MAX_MEAN = 2.0, 1e12
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


@dataclass(frozen=True, eq=False)
class CustomerData:
    """Simulated customers, interactions and purchases (see :func:`simulate_customers`).

    Attributes
    ----------
    customers, interactions, transactions : pandas.DataFrame
        Canonical ``customers``, ``interactions`` and ``transactions`` tables.
    latent : pandas.DataFrame
        One row per customer: ``customer_id``, ``engagement`` (eta_i), ``interaction_rate``
        and ``purchase_rate`` (lambda_i, per day), ``mean_spend`` (S_i, USD) and
        ``exposure_days`` (T_i).
    truth : dict
        Parameters and true values.
    """

    customers: pd.DataFrame
    interactions: pd.DataFrame
    transactions: pd.DataFrame
    latent: pd.DataFrame
    truth: dict[str, Any]


@dataclass(frozen=True, eq=False)
class SocialGraph:
    """A simulated social graph (see :func:`simulate_social_graph`).

    Attributes
    ----------
    edges : pandas.DataFrame
        Canonical ``edges`` table (``source``, ``target``, ``relation`` = "friend"): one row
        per undirected edge, ``source < target``, sorted.
    nodes : pandas.DataFrame
        ``node``, ``community`` (the planted community, 0-based) and ``degree``.
    truth : dict
        Parameters, community sizes, block probabilities, expected and planted modularity.
    """

    edges: pd.DataFrame
    nodes: pd.DataFrame
    truth: dict[str, Any]


# ---------------------------------------------------------------- parameter checks


def _start(value: object) -> pd.Timestamp:
    expected = "a date such as '2008-01-01' (no time zone)"
    try:
        stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as err:
        raise refuse("start", expected, value) from err
    if pd.isna(stamp) or stamp.tz is not None:
        raise refuse("start", expected, value)
    return stamp.normalize().as_unit("ns")


#: The ``start`` parameter of the simulators (checked again when parsed, in :func:`_start`).
_START = Instance((str, pd.Timestamp, np.datetime64), "a date such as '2008-01-01' (no time zone)")
#: The ``freq`` parameter of :func:`simulate_brand_panel` (checked again when used).
_FREQ = Instance((str, pd.DateOffset), "a pandas frequency such as 'QS', 'MS' or 'YS'")
#: Channel and sector names.
_NAMES = Many(Text(), "a non-empty sequence of distinct non-empty strings", distinct=True)


# ---------------------------------------------------------------- shared helpers


def _ids(prefix: str, n: int, width: int = 3, index: np.ndarray | None = None) -> pd.Series:
    """``prefix`` + the zero-padded 1-based number of each ``index`` (default: all n)."""
    number = pa.array(np.arange(n) if index is None else index)
    text = pc.utf8_lpad(pc.cast(pc.add(number, 1), pa.string()), max(width, len(str(n))), "0")
    return pd.Series(pd.array(pc.binary_join_element_wise(prefix, text, ""), dtype="str"))


def _neg_binomial(rng: np.random.Generator, mean: np.ndarray) -> np.ndarray:
    """Gamma-Poisson (negative binomial) counts with the given means and shape 2."""
    return rng.poisson(mean * rng.gamma(_NB_SHAPE, 1.0 / _NB_SHAPE, size=mean.shape))


def _categorical(codes: np.ndarray, categories: Sequence[str]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(categories), dtype="str"))


# ---------------------------------------------------------------- brand panel


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
    """Simulate brands' social channel activity and revenue with a known engagement effect.

    The model is written out as equations in the module docstring (:mod:`scrm_lab.synth`).

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


# ---------------------------------------------------------------- customers

_SEGMENTS, _SEGMENT_P = ("consumer", "professional", "business"), (0.7, 0.2, 0.1)
_SEGMENT_RATE, _SEGMENT_SPEND = (0.0, 0.3, 0.6), (1.0, 1.5, 3.0)
_ACTIONS = ("view", "like", "click", "comment", "share", "review")
_ACTION_P = (0.5, 0.2, 0.12, 0.08, 0.06, 0.04)
_SALES_CHANNELS, _SALES_P = ("web", "app", "store"), (0.5, 0.3, 0.2)
_INTERACTION_RATE, _INTERACTION_EFFECT = 0.05, 1.0
_PURCHASE_RATE, _HETEROGENEITY = 0.01, 0.5
_MEAN_SPEND, _SPEND_SD, _SPEND_SHAPE = 50.0, 0.3, 2.0


def _events(
    rng: np.random.Generator, rate: np.ndarray, begin: np.ndarray, exposure: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Customer index and whole seconds after start of Poisson-process events, sorted."""
    who = np.repeat(np.arange(rate.size), rng.poisson(rate * exposure))
    seconds = np.floor((begin[who] + rng.random(who.size) * exposure[who]) * 86400)
    span = int(exposure.max() + begin.max()) * 86400 + 1
    key = np.sort(who.astype("int64") * span + seconds.astype("int64"))
    return key // span, key % span


def _utc(start: pd.Timestamp, seconds: np.ndarray) -> pd.Series:
    stamps = (start.value + seconds * 10**9).astype("datetime64[ns]")
    return pd.Series(stamps).dt.tz_localize("UTC")


@checks(
    n_customers=Integer(low=1),
    channels=_NAMES,
    start=_START,
    days=Integer(low=1),
    engagement_effect=Real(-2, 2),
    seed=SEED,
)
def simulate_customers(
    *,
    n_customers: int = 1000,
    channels: Sequence[str] = ("facebook", "twitter", "instagram", "email", "web"),
    start: str | pd.Timestamp = "2024-01-01",
    days: int = 365,
    engagement_effect: float = 0.5,
    seed: int = 0,
) -> CustomerData:
    """Simulate customers, their interactions across channels and their purchases.

    Customer :math:`i` is observed from ``max(first_seen, start)`` to ``start + days``, an
    exposure of ``T_i`` days::

        eta_i        ~ N(0, 1)                             latent engagement propensity
        segment      ~ consumer, professional, business (0.7, 0.2, 0.1), r_s = 0, 0.3, 0.6
        first_seen   = start + k_i days,  k_i uniform on {-2 * days, ..., days - 1}
        interactions ~ Poisson process with rate 0.05 * exp(eta_i) per day
        log lambda_i = log 0.01 + engagement_effect * eta_i + r_s + 0.5 h_i,  h_i ~ N(0, 1)
        purchases    ~ Poisson process with rate lambda_i per day
        amount       ~ Gamma(shape 2, mean S_i),  S_i = 50 (1, 1.5, 3)_s exp(0.3 w_i - 0.045)
        quantity     = 1 + Poisson(0.4);   followers ~ NegBin(mean 100 exp(0.5 eta_i), shape 2)

    with :math:`w_i` ~ N(0, 1). An interaction is on the customer's favourite channel (drawn
    uniformly) with probability 0.5, else on a uniformly drawn channel; its action is view,
    like, click, comment, share or review with probabilities 0.5, 0.2, 0.12, 0.08, 0.06,
    0.04. Purchases are made on web, app or store (0.5, 0.3, 0.2). Times are whole seconds in
    UTC; rows are sorted by customer, then time. The segment and ``h_i`` are independent of
    ``eta_i``, so a Poisson regression of purchase counts on ``eta_i`` with offset
    ``log T_i`` estimates ``engagement_effect`` consistently.

    Parameters
    ----------
    n_customers : int
        >= 1.
    channels : sequence of str
        Distinct interaction channels.
    start : str or pandas.Timestamp
        First day of the observation window.
    days : int
        >= 1. Length of the observation window.
    engagement_effect : float
        True change in log purchase rate per unit of ``eta``, in [-2, 2].
    seed : int
        >= 0. Seed of the random generator.

    Returns
    -------
    CustomerData
        ``customers`` (customer_id, first_seen, segment, followers), ``interactions``
        (interaction_id, customer_id, time, channel, action), ``transactions``
        (transaction_id, customer_id, time, amount, quantity, channel), ``latent``, ``truth``.

    Examples
    --------
    >>> data = simulate_customers(n_customers=50, days=30, seed=3)
    >>> data.customers.shape, data.truth["engagement_effect"]
    ((50, 4), 0.5)
    >>> data.interactions.columns.tolist()
    ['interaction_id', 'customer_id', 'time', 'channel', 'action']
    """
    n, days, seed = int(n_customers), int(days), int(seed)
    channels = tuple(map(str, channels))
    start = _start(start)
    effect = float(engagement_effect)

    rng = np.random.default_rng(seed)
    eta = rng.standard_normal(n)
    segment = rng.choice(len(_SEGMENTS), size=n, p=_SEGMENT_P)
    heterogeneity, spend_noise = rng.standard_normal(n), rng.standard_normal(n)
    offset = rng.integers(-2 * days, days, size=n)
    favourite = rng.integers(0, len(channels), size=n)
    followers = _neg_binomial(rng, 100.0 * np.exp(0.5 * eta))
    begin = np.maximum(offset, 0).astype(float)
    exposure = days - begin
    interaction_rate = _INTERACTION_RATE * np.exp(_INTERACTION_EFFECT * eta)
    shift = np.asarray(_SEGMENT_RATE)[segment] + _HETEROGENEITY * heterogeneity
    purchase_rate = _PURCHASE_RATE * np.exp(effect * eta + shift)
    spend = np.asarray(_SEGMENT_SPEND)[segment] * np.exp(_SPEND_SD * spend_noise - _SPEND_SD**2 / 2)
    mean_spend = _MEAN_SPEND * spend

    who, seconds = _events(rng, interaction_rate, begin, exposure)
    k = who.size
    channel = np.where(rng.random(k) < 0.5, favourite[who], rng.integers(0, len(channels), size=k))
    action = rng.choice(len(_ACTIONS), size=k, p=_ACTION_P)
    buyer, bought = _events(rng, purchase_rate, begin, exposure)
    m = buyer.size
    amount = rng.gamma(_SPEND_SHAPE, mean_spend[buyer] / _SPEND_SHAPE)
    quantity = 1 + rng.poisson(0.4, size=m)
    sales_channel = rng.choice(len(_SALES_CHANNELS), size=m, p=_SALES_P)

    customers = pd.DataFrame(
        {"customer_id": _ids("C", n, 6),
         "first_seen": start + pd.to_timedelta(offset, unit="D").as_unit("ns"),
         "segment": _categorical(segment, _SEGMENTS),
         "followers": pd.array(followers, dtype="Int64")}
    )  # fmt: skip
    interactions = pd.DataFrame(
        {"interaction_id": _ids("I", k, 7), "customer_id": _ids("C", n, 6, index=who),
         "time": _utc(start, seconds), "channel": _categorical(channel, channels),
         "action": _categorical(action, _ACTIONS)}
    )  # fmt: skip
    transactions = pd.DataFrame(
        {"transaction_id": _ids("T", m, 7), "customer_id": _ids("C", n, 6, index=buyer),
         "time": _utc(start, bought), "amount": amount,
         "quantity": pd.array(quantity, dtype="Int64"),
         "channel": _categorical(sales_channel, _SALES_CHANNELS)}
    )  # fmt: skip
    latent = pd.DataFrame(
        {"customer_id": _ids("C", n, 6), "engagement": eta, "interaction_rate": interaction_rate,
         "purchase_rate": purchase_rate, "mean_spend": mean_spend, "exposure_days": exposure}
    )  # fmt: skip
    truth = {
        "engagement_effect": effect, "seed": seed, "n_customers": n, "days": days,
        "channels": channels, "base_purchase_rate": _PURCHASE_RATE,
        "heterogeneity_sd": _HETEROGENEITY,
        "segment_rate_shift": dict(zip(_SEGMENTS, _SEGMENT_RATE, strict=True)),
        "segment_spend_multiplier": dict(zip(_SEGMENTS, _SEGMENT_SPEND, strict=True)),
        "base_interaction_rate": _INTERACTION_RATE, "interaction_effect": _INTERACTION_EFFECT,
        "mean_spend": _MEAN_SPEND, "spend_sd": _SPEND_SD, "spend_shape": _SPEND_SHAPE,
    }  # fmt: skip
    return CustomerData(customers, interactions, transactions, latent, truth)


# ---------------------------------------------------------------- social graph

_MODELS = ("sbm", "powerlaw_cluster")
_TRIANGLE_P = 0.3


@checks(
    n_nodes=Integer(low=2),
    n_communities=Integer(low=1),
    mean_degree=Real(low=0, low_open=True),
    mixing=Real(0, 1),
    model=Choice(tuple(_MODELS)),
    seed=SEED,
)
def simulate_social_graph(
    *,
    n_nodes: int = 1000,
    n_communities: int = 5,
    mean_degree: float = 10,
    mixing: float = 0.1,
    model: str = "sbm",
    seed: int = 0,
) -> SocialGraph:
    """Simulate an undirected friendship graph with planted communities.

    Nodes ``N0001``, ``N0002``... are split into ``n_communities`` contiguous communities
    whose sizes differ by at most one (``n_c`` nodes in community c).

    - ``"sbm"`` (:func:`networkx.stochastic_block_model`, ``seed`` passed as is): edge
      probability ``p_in = (1 - mixing) * mean_degree / (n_c - 1)`` within a community and
      ``p_out = mixing * mean_degree / (n_nodes - n_nodes / n_communities)`` between two,
      so a node's expected degree is ``mean_degree`` and a share ``mixing`` of its edges
      leaves its community.
    - ``"powerlaw_cluster"`` (heavy-tailed degrees): each community is a
      :func:`networkx.powerlaw_cluster_graph` (Holme-Kim) with ``m = max(1,
      round(mean_degree / 2))`` edges per new node and triangle probability 0.3 (seeds drawn
      from ``numpy.random.default_rng(seed)``); then each edge, with probability
      ``mixing``, has its second end moved to a uniformly drawn node of another community
      (duplicates dropped). The mean degree is about ``2 m``.

    With one community ``mixing`` has no effect. In the truth, ``expected_modularity`` is
    ``(1 - mixing) - sum_c (n_c / n_nodes)^2`` and ``planted_modularity`` the realised
    modularity of the planted partition.

    Parameters
    ----------
    n_nodes : int
        >= 2.
    n_communities : int
        Between 1 and ``n_nodes``.
    mean_degree : float
        > 0, and small enough that ``p_in`` and ``p_out`` are <= 1 (``"sbm"``) or that ``m``
        is below the smallest community size (``"powerlaw_cluster"``).
    mixing : float
        Share of edges between communities, in [0, 1].
    model : {"sbm", "powerlaw_cluster"}
        Generator.
    seed : int
        >= 0.

    Returns
    -------
    SocialGraph
        ``edges`` (source, target, relation), ``nodes`` (node, community, degree), ``truth``.

    Examples
    --------
    >>> graph = simulate_social_graph(n_nodes=40, n_communities=2, mean_degree=6, seed=2)
    >>> graph.nodes.columns.tolist(), graph.truth["community_sizes"]
    (['node', 'community', 'degree'], [20, 20])
    """
    n, n_comm, seed = int(n_nodes), int(n_communities), int(seed)
    if n_comm > n:
        raise refuse("n_communities", f"an integer from 1 to n_nodes ({n})", n_communities)
    mean_degree, mixing = float(mean_degree), float(mixing)
    sizes = np.full(n_comm, n // n_comm) + (np.arange(n_comm) < n % n_comm)
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    community = np.repeat(np.arange(n_comm), sizes)
    truth: dict[str, Any] = {
        "n_nodes": n, "n_communities": n_comm, "mean_degree": mean_degree, "mixing": mixing,
        "model": model, "seed": seed, "community_sizes": sizes.tolist(),
    }  # fmt: skip

    if model == "sbm":
        p_in = np.where(sizes > 1, (1 - mixing) * mean_degree / np.maximum(sizes - 1, 1), 0.0)
        p_out = mixing * mean_degree / (n - n / n_comm) if n_comm > 1 else 0.0
        if p_in.max() > 1 or p_out > 1:
            limit = "p_in = (1 - mixing) * mean_degree / (n_c - 1) <= 1 and p_out <= 1"
            raise refuse("mean_degree", f"small enough that {limit}", mean_degree)
        probs = np.full((n_comm, n_comm), p_out)
        np.fill_diagonal(probs, p_in)
        sbm = nx.stochastic_block_model(sizes.tolist(), probs.tolist(), seed=seed)
        pairs = np.array(sbm.edges(), dtype="int64").reshape(-1, 2)
        truth |= {"p_in": p_in.tolist(), "p_out": p_out}
    else:
        m = max(1, round(mean_degree / 2))
        if m >= sizes.min():
            limit = f"round(mean_degree / 2) < the smallest community size ({sizes.min()})"
            raise refuse("mean_degree", f"small enough that {limit}", mean_degree)
        rng = np.random.default_rng(seed)
        blocks = []
        for c in range(n_comm):
            block_seed = int(rng.integers(2**31))
            block = nx.powerlaw_cluster_graph(int(sizes[c]), m, _TRIANGLE_P, seed=block_seed)
            blocks.append(np.array(block.edges(), dtype="int64").reshape(-1, 2) + first[c])
        pairs = np.concatenate(blocks)
        if n_comm > 1:
            move = rng.random(len(pairs)) < mixing
            c = community[pairs[move, 0]]
            pairs[move, 1] = (first[c] + sizes[c] + rng.integers(0, n - sizes[c])) % n
        truth |= {"m": m, "triangle_p": _TRIANGLE_P}
    pairs = np.unique(np.sort(pairs, axis=1), axis=0)  # sorted, no duplicates
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(pairs.tolist())
    partition = [set(range(f, f + s)) for f, s in zip(first, sizes, strict=True)]
    truth |= {
        "expected_modularity": (1 - mixing) - float(np.sum((sizes / n) ** 2)),
        "planted_modularity": nx.community.modularity(graph, partition) if len(pairs) else 0.0,
    }
    edges = pd.DataFrame(
        {"source": _ids("N", n, 4, index=pairs[:, 0]),
         "target": _ids("N", n, 4, index=pairs[:, 1]),
         "relation": _categorical(np.zeros(len(pairs), dtype="int64"), ["friend"])}
    )  # fmt: skip
    nodes = pd.DataFrame(
        {"node": _ids("N", n, 4), "community": community.astype("int64"),
         "degree": np.bincount(pairs.ravel(), minlength=n).astype("int64")}
    )  # fmt: skip
    return SocialGraph(edges, nodes, truth)
