"""Simulated customers: profiles, interactions and purchases driven by a latent engagement.

Examples
--------
>>> data = simulate_customers(n_customers=20, days=30, seed=1)
>>> len(data.customers)
20
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scrm_lab._checks import (
    SEED,
    Integer,
    Real,
    checks,
)
from scrm_lab.synth._common import (
    _NAMES,
    _START,
    _categorical,
    _ids,
    _neg_binomial,
    _start,
)

__all__ = ["CustomerData", "simulate_customers"]


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
