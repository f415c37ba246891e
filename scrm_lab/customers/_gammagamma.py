"""The gamma-gamma model of spend per transaction (Fader, Hardie and Lee 2005, JMR 42(4)).

Each transaction's value is gamma distributed with shape ``p`` and a customer's own rate
nu; nu is gamma distributed across customers with shape ``q`` and rate ``gamma``. A
customer with x repeat purchases of mean value m contributes (the density of the mean
of x values, integrated over nu)::

    log L = lgamma(p x + q) - lgamma(p x) - lgamma(q) + q log(gamma)
            + (p x - 1) log(m) + p x log(x) - (p x + q) log(x m + gamma)

The model is fitted on the customers with at least one repeat purchase and assumes that
spend is independent of how often a customer buys. On the 946 CDNOW customers with repeat
purchases the paper reports p = 6.25, q = 3.74, gamma = 15.44; the maximum on the shipped
summary (spend to the cent) is gamma = 15.448, a difference far inside its standard error
(about 4.2): the likelihood is flat along gamma.

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> cdnow = load_dataset("cdnow", table="calibration_summary").rename(
...     columns={"age": "T", "mean_repeat_value": "monetary_value"})
>>> model = GammaGamma().fit(cdnow)
>>> {k: round(v, 3) for k, v in model.params_.items()}
{'p': 6.249, 'q': 3.745, 'gamma': 15.448}
>>> model.n_customers_
946
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import gammaln

from scrm_lab._checks import Instance, checks
from scrm_lab.customers._data import grouped, summary_arrays
from scrm_lab.customers._mle import MaximumLikelihoodModel
from scrm_lab.exceptions import ParameterError

_NAMES = ("p", "q", "gamma")
_SUMMARY = Instance(pd.DataFrame, "a customer summary (frequency, recency, T, monetary_value)")


def log_likelihood(params: np.ndarray, x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Each repeat customer's log-likelihood under gamma-gamma parameters ``(p, q, gamma)``."""
    p, q, gamma = params
    px = p * x
    return (
        gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(gamma)
        + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * np.log(x * m + gamma)
    )  # fmt: skip


class GammaGamma(MaximumLikelihoodModel):
    """The gamma-gamma spend model, fitted by maximum likelihood.

    Fit it on a customer summary (:func:`rfm_summary`: ``frequency``, ``recency``, ``T``,
    ``monetary_value``); only the customers with ``frequency >= 1`` enter the fit, and
    identical (frequency, monetary_value) rows are computed once.

    Attributes
    ----------
    params_ : dict
        ``p`` (shape of the value of a transaction), ``q``, ``gamma`` (shape and rate of
        the customers' rate parameters).
    standard_errors_ : dict
        From the inverse Hessian of the log-likelihood at the optimum.
    log_likelihood_ : float
        The maximised log-likelihood.
    n_customers_ : int
        The customers in the fit (those with repeat purchases).

    Examples
    --------
    >>> import pandas as pd
    >>> summary = pd.DataFrame({"frequency": [1, 2, 4, 0, 3, 1], "recency": [5, 9, 30, 0, 20, 2],
    ...                         "T": [40] * 6, "monetary_value": [20, 35, 18, 0, 60, 25]})
    >>> model = GammaGamma().fit(summary)
    >>> model.n_customers_
    5
    """

    @checks(summary=_SUMMARY)
    def fit(self, summary: pd.DataFrame) -> GammaGamma:
        """Estimate the parameters from a customer summary; returns the fitted model."""
        x, _, _, m = summary_arrays(summary, monetary=True)
        repeat = x > 0
        if not repeat.any():
            raise ParameterError(
                "GammaGamma.fit needs customers with repeat purchases (frequency >= 1) and "
                "their mean spend; this summary has none: use a longer calibration period."
            )
        rows, counts = grouped(x[repeat], m[repeat])

        def negative(params: np.ndarray) -> float:
            return -float(counts @ log_likelihood(params, *rows.T))

        self._maximize(negative, _NAMES, int(repeat.sum()), "the gamma-gamma spend model")
        return self

    def conditional_expected_value(self, frequency, monetary_value) -> np.ndarray:
        """Expected value of a customer's transactions given x repeat purchases of mean
        value m (equation 5 of the paper): a weighted mean of the population mean
        ``gamma p / (q - 1)`` and m, ``(q - 1) / (p x + q - 1)`` on the first. A customer
        with no repeat purchase (x = 0) gets the population mean; it needs ``q > 1``."""
        p, q, gamma = self._fitted().params.values()
        if q <= 1:
            raise ParameterError(
                f"The fitted q = {q:g} is <= 1, so the gamma-gamma model gives the spend no "
                "finite mean; check the monetary values for outliers."
            )
        x, m = (np.asarray(v, dtype=float) for v in (frequency, monetary_value))
        if (x < 0).any() or not np.isfinite(x).all():
            raise ParameterError(
                "The 'frequency' given to GammaGamma.conditional_expected_value must hold "
                "numbers >= 0."
            )
        m = np.where(x > 0, m, 0.0)  # no repeat purchase: the spend is not used
        if (m < 0).any() or not np.isfinite(m).all():
            raise ParameterError(
                "The 'monetary_value' given to GammaGamma.conditional_expected_value must hold "
                "finite numbers >= 0 for customers with repeat purchases."
            )
        weight = (q - 1) / (p * x + q - 1)
        return weight * (gamma * p / (q - 1)) + (1 - weight) * m
