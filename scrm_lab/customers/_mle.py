"""Maximum likelihood for the customer-base models: optimise, then standard errors.

The parameters of these models are all positive, so the optimiser works on their logs
(``scipy.optimize.minimize``, L-BFGS-B, then Nelder-Mead from there if it did not
converge); the standard errors come from the inverse of the numerical Hessian of the
negative log-likelihood at the optimum, in the natural parameters. BLAS runs on one thread
meanwhile (threadpoolctl): the optimiser's vectors are tiny, and on a busy machine threads
only wait for each other (a CDNOW fit took 0.14 s with them, 0.02 s without).

Examples
--------
>>> import numpy as np
>>> fit = fit_positive(lambda p: (p[0] - 2.0) ** 2 / 0.5 + np.log(p[1]) ** 2, ("m", "s"))
>>> {k: round(v, 4) for k, v in fit.params.items()}
{'m': 2.0, 's': 1.0}
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats
from threadpoolctl import threadpool_limits

from scrm_lab._checks import ALPHA, checks
from scrm_lab.exceptions import ParameterError, ScrmLabError


class FitError(ScrmLabError):
    """The likelihood's optimum was not found: the message says what to try."""


@dataclass(frozen=True)
class Fit:
    params: dict[str, float]
    log_likelihood: float
    standard_errors: dict[str, float]


def fit_positive(
    negative_log_likelihood: Callable[[np.ndarray], float],
    names: Sequence[str],
    start: Sequence[float] | None = None,
    *,
    model: str = "the model",
) -> Fit:
    """Minimise ``negative_log_likelihood`` over positive parameters named ``names``."""
    x0 = np.log(np.asarray(start, dtype=float)) if start is not None else np.zeros(len(names))

    def objective(log_params: np.ndarray) -> float:
        value = negative_log_likelihood(np.exp(log_params))
        return value if np.isfinite(value) else 1e300

    with np.errstate(all="ignore"), threadpool_limits(limits=1, user_api="blas"):
        # tolerances far below scipy's defaults, which stop where the likelihood is flat
        # (a Pareto/NBD beta of 11.6695 against the true maximum's 11.6679) and let the
        # optimum depend on BLAS threading; the fit costs about the same
        result = optimize.minimize(
            objective, x0, method="L-BFGS-B",
            options={"ftol": 1e-13, "gtol": 1e-9, "maxiter": 15_000},
        )  # fmt: skip
        if not result.success:
            result = optimize.minimize(
                objective, result.x, method="Nelder-Mead",
                options={"maxiter": 20_000, "xatol": 1e-10, "fatol": 1e-10},
            )  # fmt: skip
    params = np.exp(result.x)
    if not result.success or not np.isfinite(result.fun) or result.fun >= 1e300:
        raise FitError(
            f"The maximum likelihood fit of {model} did not converge ({result.message}); "
            "check that the summary has enough customers with repeat purchases, or fit on a "
            "longer calibration period."
        )
    with threadpool_limits(limits=1, user_api="blas"):
        errors = _standard_errors(negative_log_likelihood, params)
    return Fit(
        params=dict(zip(names, params.tolist(), strict=True)),
        log_likelihood=-float(result.fun),
        standard_errors=dict(zip(names, errors.tolist(), strict=True)),
    )


def _standard_errors(function: Callable[[np.ndarray], float], at: np.ndarray) -> np.ndarray:
    """Square roots of the diagonal of the inverse numerical Hessian (NaN if singular)."""
    n = len(at)
    steps = 1e-4 * np.maximum(np.abs(at), 1e-3)
    hessian = np.empty((n, n))
    with np.errstate(all="ignore"):
        for i in range(n):
            for j in range(i, n):
                ei, ej = np.eye(n)[i] * steps[i], np.eye(n)[j] * steps[j]
                value = (
                    function(at + ei + ej) - function(at + ei - ej)
                    - function(at - ei + ej) + function(at - ei - ej)
                ) / (4 * steps[i] * steps[j])  # fmt: skip
                hessian[i, j] = hessian[j, i] = value
        try:
            variances = np.diag(np.linalg.inv(hessian))
        except np.linalg.LinAlgError:
            return np.full(n, np.nan)
    return np.sqrt(np.where(variances > 0, variances, np.nan))


def parameter_table(fit: Fit, alpha: float = 0.05) -> pd.DataFrame:
    """One row per parameter: ``parameter, estimate, std_error, ci_low, ci_high`` (Wald)."""
    z = stats.norm.ppf(1 - alpha / 2)
    rows = [
        (name, value, fit.standard_errors[name], value - z * fit.standard_errors[name],
         value + z * fit.standard_errors[name])
        for name, value in fit.params.items()
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["parameter", "estimate", "std_error", "ci_low", "ci_high"])


class MaximumLikelihoodModel:
    """What the customer-base models share: keeping a fit, its table, the not-fitted error.

    A model's ``fit`` builds its negative log-likelihood and calls :meth:`_maximize`, which
    sets ``params_``, ``standard_errors_``, ``log_likelihood_`` and ``n_customers_``.
    """

    def _maximize(
        self, negative: Callable[[np.ndarray], float], names: Sequence[str], n_customers: int,
        model: str,
    ) -> None:  # fmt: skip
        fit = fit_positive(negative, names, model=model)
        self._fit = fit
        self.params_ = fit.params
        self.standard_errors_ = fit.standard_errors
        self.log_likelihood_ = fit.log_likelihood
        self.n_customers_ = n_customers

    @checks(alpha=ALPHA)
    def summary(self, alpha: float = 0.05) -> pd.DataFrame:
        """The parameters: ``parameter, estimate, std_error, ci_low, ci_high`` (Wald)."""
        return parameter_table(self._fitted(), alpha)

    def _fitted(self) -> Fit:
        if not hasattr(self, "_fit"):
            raise ParameterError(
                f"This {type(self).__name__} is not fitted yet; call fit(summary) first."
            )
        return self._fit
