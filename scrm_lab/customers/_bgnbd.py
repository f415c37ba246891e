"""The BG/NBD model of repeat buying (Fader, Hardie and Lee 2005, Marketing Science 24(2)).

While alive, a customer buys at a Poisson rate lambda (gamma distributed across customers
with shape ``r`` and rate ``alpha``); after each purchase they drop out with probability p
(beta distributed with ``a`` and ``b``). The likelihood of a customer's (frequency x,
recency t_x, age T) is equation (6) of the paper; the fit maximises its sum.

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> cdnow = load_dataset("cdnow", table="calibration_summary").rename(columns={"age": "T"})
>>> model = BGNBD().fit(cdnow)
>>> {k: round(v, 3) for k, v in model.params_.items()}
{'r': 0.243, 'alpha': 4.414, 'a': 0.793, 'b': 2.426}
>>> round(model.log_likelihood_, 1)
-9582.4
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import betaln, gammaln, hyp2f1

from scrm_lab._checks import Instance, Real, checks
from scrm_lab.customers._data import grouped, require_repeat_purchases, summary_arrays
from scrm_lab.customers._mle import MaximumLikelihoodModel

_NAMES = ("r", "alpha", "a", "b")
_SUMMARY = Instance(pd.DataFrame, "a customer summary (frequency, recency, T)")
_PERIODS = Real(low=0)


def log_likelihood(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Each customer's log-likelihood under BG/NBD parameters ``(r, alpha, a, b)``."""
    r, alpha, a, b = params
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = betaln(a, b + x) - betaln(a, b)  # = lgamma terms of equation (6)
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(
            x > 0,
            np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + t_x),
            -np.inf,
        )
    return a1 + a2 + np.logaddexp(a3, a4)


class BGNBD(MaximumLikelihoodModel):
    """The BG/NBD ("beta-geometric / negative binomial") model, fitted by maximum likelihood.

    Fit it on a customer summary (:func:`rfm_summary`: ``frequency``, ``recency``, ``T``);
    identical rows are computed once, so a million customers fit in seconds.

    Attributes
    ----------
    params_ : dict
        ``r``, ``alpha`` (purchase rates: gamma shape and rate), ``a``, ``b`` (dropout:
        beta parameters).
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
    >>> float(BGNBD().fit(summary).probability_alive(0, 0, 40))
    1.0
    """

    @checks(summary=_SUMMARY)
    def fit(self, summary: pd.DataFrame) -> BGNBD:
        """Estimate the parameters from a customer summary; returns the fitted model."""
        x, t_x, T = summary_arrays(summary)
        require_repeat_purchases(x)
        rows, counts = grouped(x, t_x, T)

        def negative(params: np.ndarray) -> float:
            return -float(counts @ log_likelihood(params, *rows.T))

        self._maximize(negative, _NAMES, len(x), "BG/NBD")
        return self

    @checks(t=_PERIODS)
    def expected_purchases_new(self, t: float) -> float:
        """Expected purchases of a new customer in their first ``t`` periods (equation 9)."""
        r, alpha, a, b = self._fitted().params.values()
        z = t / (alpha + t)
        return float(
            (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, z))
        )

    @checks(t=_PERIODS)
    def expected_purchases(self, t: float, frequency, recency, T) -> np.ndarray:
        """Expected purchases in the next ``t`` periods given each customer's history
        (equation 10 of the paper)."""
        r, alpha, a, b = self._fitted().params.values()
        x, t_x, T = (np.asarray(v, dtype=float) for v in (frequency, recency, T))
        z = t / (alpha + T + t)
        head = (a + b + x - 1) / (a - 1)
        # ((alpha + T) / (alpha + T + t))^(r + x) 2F1(r + x, b + x; a + b + x - 1; z) after
        # Euler's transformation (1 - z = (alpha + T) / (alpha + T + t)): no overflow for many x
        tail = 1 - (1 - z) ** (a - 1) * hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)
        return head * tail * self.probability_alive(x, t_x, T)

    def probability_alive(self, frequency, recency, T) -> np.ndarray:
        """Probability that each customer is still alive at the end of their ``T``."""
        r, alpha, a, b = self._fitted().params.values()
        x, t_x, T = (np.asarray(v, dtype=float) for v in (frequency, recency, T))
        with np.errstate(divide="ignore", invalid="ignore"):
            odds = np.where(x > 0, a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x), 0.0)
        return 1.0 / (1.0 + odds)
