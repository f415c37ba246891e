"""The Pareto/NBD model of repeat buying (Schmittlein, Morrison and Colombo 1987).

While alive, a customer buys at a Poisson rate lambda (gamma distributed across customers
with shape ``r`` and rate ``alpha``) and lives an exponential lifetime with rate mu (gamma
distributed with shape ``s`` and rate ``beta``). The likelihood of a customer's
(frequency x, recency t_x, age T) is equation (19) of Fader, Hardie and Lee, "A Note on
Deriving the Pareto/NBD Model and Related Expressions" (2005), with its term A0 written
through the Gaussian hypergeometric function in the two cases alpha >= beta and
alpha < beta. Here A0, a difference of two positive terms, is computed in logs
(``log(u - v) = log u + log(1 - v/u)``), and each hypergeometric function after Euler's
transformation, ``2F1(a, b; a + 1; z) = (1 - z)^(1 - b) 2F1(1, a + 1 - b; a + 1; z)``,
whose series has positive terms bounded by ``1 / (1 - z)``: no overflow for customers with
many purchases.

On CDNOW the fit gives the published r, alpha and s to three decimals, and beta between
11.668 and 11.669 (the published value is 11.669; the last digit moves with the scipy and
numpy versions): the likelihood is flat along beta (standard error 6.2), and the
log-likelihood at the published values is 8e-5 below the maximum.

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> cdnow = load_dataset("cdnow", table="calibration_summary").rename(columns={"age": "T"})
>>> model = ParetoNBD().fit(cdnow)
>>> {k: round(v, 3) for k, v in model.params_.items() if k != "beta"}
{'r': 0.553, 'alpha': 10.578, 's': 0.606}
>>> round(model.params_["beta"], 2)
11.67
>>> round(model.log_likelihood_, 1)
-9595.0
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit, gammaln, hyp2f1

from scrm_lab._checks import Instance, Real, checks
from scrm_lab.customers._data import grouped, require_repeat_purchases, summary_arrays
from scrm_lab.customers._mle import MaximumLikelihoodModel

_NAMES = ("r", "alpha", "s", "beta")
_SUMMARY = Instance(pd.DataFrame, "a customer summary (frequency, recency, T)")
_PERIODS = Real(low=0)


def _log_term(t: np.ndarray, rsx: np.ndarray, b: np.ndarray, low: float, high: float) -> np.ndarray:
    """``log(2F1(rsx, b; rsx + 1; (high - low) / (high + t)) / (high + t)^rsx)``."""
    z = (high - low) / (high + t)
    series = hyp2f1(1.0, rsx + 1.0 - b, rsx + 1.0, z)
    return (1.0 - b) * np.log((low + t) / (high + t)) + np.log(series) - rsx * np.log(high + t)


def _log_a0(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """``log A0`` of the note (equation 19); ``-inf`` where ``t_x == T`` (A0 = 0)."""
    r, alpha, s, beta = params
    rsx = r + s + x
    if alpha >= beta:
        b, low, high = np.broadcast_to(s + 1.0, np.shape(x)), beta, alpha
    else:
        b, low, high = r + x, alpha, beta
    first = _log_term(t_x, rsx, b, low, high)
    second = _log_term(T, rsx, b, low, high)
    d = np.minimum(second - first, 0.0)  # <= 0: the first term is the larger (t_x <= T)
    with np.errstate(divide="ignore"):
        # log(1 - e^d), accurate both near d = 0 and for very negative d
        tail = np.where(d > -np.log(2.0), np.log(-np.expm1(d)), np.log1p(-np.exp(d)))
    return first + tail


def log_likelihood(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Each customer's log-likelihood under Pareto/NBD parameters ``(r, alpha, s, beta)``."""
    r, alpha, s, beta = params
    head = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    survived = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    died = np.log(s) - np.log(r + s + x) + _log_a0(params, x, t_x, T)
    return head + np.logaddexp(survived, died)


def _history(frequency, recency, T) -> tuple[np.ndarray, ...]:
    """Customers' histories for a prediction, broadcast together and checked as a summary
    is (a negative value, recency above T, ... refused naming the row)."""
    x, t_x, T = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (frequency, recency, T)))
    shape = x.shape
    table = pd.DataFrame({"frequency": x.ravel(), "recency": t_x.ravel(), "T": T.ravel()})
    return tuple(values.reshape(shape) for values in summary_arrays(table))


class ParetoNBD(MaximumLikelihoodModel):
    """The Pareto/NBD model, fitted by maximum likelihood.

    Fit it on a customer summary (:func:`rfm_summary`: ``frequency``, ``recency``, ``T``);
    identical rows are computed once, so a million customers fit in seconds.

    Attributes
    ----------
    params_ : dict
        ``r``, ``alpha`` (purchase rates: gamma shape and rate), ``s``, ``beta`` (dropout
        rates: gamma shape and rate).
    standard_errors_ : dict
        From the inverse Hessian of the log-likelihood at the optimum.
    log_likelihood_ : float
        The maximised log-likelihood.
    n_customers_ : int

    Examples
    --------
    >>> import pandas as pd
    >>> summary = pd.DataFrame({"frequency": [0, 1, 3, 0, 2, 5], "recency": [0, 10, 30, 0, 5, 36],
    ...                         "T": [40, 38, 39, 20, 35, 38]})
    >>> float(ParetoNBD().fit(summary).probability_alive(3, 39, 39))
    1.0
    """

    @checks(summary=_SUMMARY)
    def fit(self, summary: pd.DataFrame) -> ParetoNBD:
        """Estimate the parameters from a customer summary; returns the fitted model."""
        x, t_x, T = summary_arrays(summary)
        require_repeat_purchases(x)
        rows, counts = grouped(x, t_x, T)

        def negative(params: np.ndarray) -> float:
            return -float(counts @ log_likelihood(params, *rows.T))

        self._maximize(negative, _NAMES, len(x), "Pareto/NBD")
        return self

    @checks(t=_PERIODS)
    def expected_purchases_new(self, t: float) -> float:
        """Expected purchases of a new customer in their first ``t`` periods (equation 17 of
        Schmittlein, Morrison and Colombo 1987): ``r beta / (alpha (s - 1)) (1 - (beta /
        (beta + t))^(s - 1))``."""
        r, alpha, s, beta = self._fitted().params.values()
        return float(r * beta / alpha * _decay(s, np.log((beta + t) / beta)))

    @checks(t=_PERIODS)
    def expected_purchases(self, t: float, frequency, recency, T) -> np.ndarray:
        """Expected purchases in the next ``t`` periods given each customer's history
        (equation 22 of the note): ``(r + x)(beta + T) / ((alpha + T)(s - 1)) (1 - ((beta
        + T) / (beta + T + t))^(s - 1))`` times the probability of being alive."""
        r, alpha, s, beta = self._fitted().params.values()
        x, t_x, T = _history(frequency, recency, T)
        rate = (r + x) * (beta + T) / (alpha + T)
        return rate * _decay(s, np.log1p(t / (beta + T))) * self._alive(x, t_x, T)

    @checks()
    def probability_alive(self, frequency, recency, T) -> np.ndarray:
        """Probability that each customer is still alive at the end of their ``T``
        (equation 18 of the note); 1 for a customer whose last purchase is at ``T``."""
        self._fitted()
        return self._alive(*_history(frequency, recency, T))

    def _alive(self, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
        params = np.array(list(self._fitted().params.values()))
        r, alpha, s, beta = params
        log_odds = (
            np.log(s) - np.log(r + s + x) + (r + x) * np.log(alpha + T) + s * np.log(beta + T)
            + _log_a0(params, x, t_x, T)
        )  # fmt: skip
        return expit(-log_odds)


def _decay(s: float, log_ratio):
    """``(1 - e^(-(s - 1) log_ratio)) / (s - 1)``, which tends to ``log_ratio`` at s = 1."""
    if abs(s - 1.0) < 1e-10:
        return log_ratio
    return -np.expm1(-(s - 1.0) * log_ratio) / (s - 1.0)
