"""Power, sample size and minimum detectable effects of a correlation and a two-group test.

:func:`power_correlation` (Fisher z approximation, statsmodels ``NormalIndPower``) and
:func:`power_two_groups` (two-sample t-test, statsmodels ``TTestIndPower``): give all but one
of the sizes, the effect and the power, and the missing one is solved for.

Examples
--------
>>> round(float(power_correlation(n=100, r=0.3).loc[0, "power"]), 2)
0.86
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from statsmodels.stats.power import NormalIndPower, TTestIndPower

from scrm_lab._checks import ALPHA, OrNone, Real, checks, current_function, refuse
from scrm_lab.exceptions import ParameterError
from scrm_lab.models._vocabulary import ALTERNATIVE

__all__ = ["power_correlation", "power_two_groups"]

_SM_NAME = {"d": "effect_size", "n1 = n2": "nobs1", "n2": "ratio"}


def _exactly_two_given(**given: object) -> str:
    missing = [name for name, value in given.items() if value is None]
    if len(missing) != 1:
        raise ParameterError(
            f"{current_function()} needs exactly one of {list(given)} left as None (to solve for). "
            f"Got {len(missing)} missing: {missing}."
        )
    return missing[0]


#: A probability of rejecting the null, strictly between 0 and 1.
_POWER = OrNone(ALPHA)


@checks(
    n=OrNone(Real(low=3, low_open=True)),
    r=OrNone(Real(-1, 1, low_open=True, high_open=True)),
    alpha=ALPHA,
    power=_POWER,
    alternative=ALTERNATIVE,
)
def power_correlation(
    *,
    n: float | None = None,
    r: float | None = None,
    alpha: float = 0.05,
    power: float | None = None,
    alternative: str = "two-sided",
) -> pd.DataFrame:
    """Power, sample size or minimum detectable correlation of a test of rho = 0.

    Give exactly two of ``n``, ``r`` and ``power``; the third is solved for. Uses the Fisher
    z approximation, atanh(r_hat) ~ Normal(atanh(rho), 1/(n-3)), through statsmodels'
    ``NormalIndPower`` (one sample, effect size atanh(r), n-3 observations). It agrees with
    the t-based formula of R's ``pwr.r.test`` (and ``pingouin.power_corr``) to about 0.01
    in power for n >= 20.

    Parameters
    ----------
    n : float, optional
        Number of complete pairs (> 3). Solved for is not rounded: round up to plan a study.
    r : float, optional
        True correlation in (-1, 1). Solved for: the minimum detectable effect (positive,
        unless ``alternative="less"``).
    alpha : float, default 0.05
        Significance level.
    power : float, optional
        Probability of rejecting rho = 0, in (0, 1).
    alternative : {"two-sided", "greater", "less"}, default "two-sided"

    Returns
    -------
    pandas.DataFrame
        One row, columns in this order: ``n``, ``effect_size`` (r), ``alpha``, ``power``,
        ``alternative``, ``method``.

    Examples
    --------
    >>> mde = power_correlation(n=231, power=0.8)
    >>> round(float(mde.loc[0, "effect_size"]), 3)
    0.183
    >>> round(float(power_correlation(r=0.3, power=0.9).loc[0, "n"]), 1)
    112.7
    """
    unknown = _exactly_two_given(n=n, r=r, power=power)
    sm_alternative = {"two-sided": "two-sided", "greater": "larger", "less": "smaller"}
    solver = NormalIndPower()
    kwargs = {
        "effect_size": None if r is None else float(np.arctanh(r)),
        "nobs1": None if n is None else float(n) - 3,
        "alpha": float(alpha),
        "power": None if power is None else float(power),
        "ratio": 0,
        "alternative": sm_alternative[alternative],
    }
    if unknown == "power":
        power = float(solver.power(**{k: v for k, v in kwargs.items() if k != "power"}))
    else:
        solved = float(np.asarray(solver.solve_power(**kwargs)).item())
        if unknown == "n":
            n = solved + 3
        else:
            r = float(np.tanh(abs(solved) if alternative != "less" else -abs(solved)))
    return pd.DataFrame(
        {
            "n": [float(n)],
            "effect_size": [float(r)],
            "alpha": [float(alpha)],
            "power": [float(power)],
            "alternative": [alternative],
            "method": f"Fisher z approximation (statsmodels NormalIndPower), solved for {unknown}",
        }
    )


@checks(
    n1=OrNone(Real(low=1, low_open=True)),
    n2=OrNone(Real(low=1, low_open=True)),
    d=OrNone(Real()),
    alpha=ALPHA,
    power=_POWER,
    alternative=ALTERNATIVE,
)
def power_two_groups(
    *,
    n1: float | None = None,
    n2: float | None = None,
    d: float | None = None,
    alpha: float = 0.05,
    power: float | None = None,
    alternative: str = "two-sided",
) -> pd.DataFrame:
    """Power, group size or minimum detectable Cohen's d of a two-sample t-test.

    statsmodels ``TTestIndPower``. Leave one of ``n1``, ``n2``, ``d``, ``power`` as None to
    solve for it, or both ``n1`` and ``n2`` to solve for the size of two equal groups.

    Parameters
    ----------
    n1, n2 : float, optional
        Group sizes (> 1). Solved sizes are not rounded: round up to plan a study.
    d : float, optional
        Standardized mean difference (Cohen's d). Solved for: the minimum detectable effect.
    alpha : float, default 0.05
        Significance level.
    power : float, optional
        Probability of rejecting equal means, in (0, 1).
    alternative : {"two-sided", "greater", "less"}, default "two-sided"

    Returns
    -------
    pandas.DataFrame
        One row, columns in this order: ``n1``, ``n2``, ``n`` (n1 + n2), ``effect_size``
        (d), ``alpha``, ``power``, ``alternative``, ``method``.

    Examples
    --------
    >>> res = power_two_groups(d=0.5, power=0.8)
    >>> round(float(res.loc[0, "n1"]), 2), round(float(res.loc[0, "n"]), 2)
    (63.77, 127.53)
    """
    if n1 is None and n2 is None:
        unknown = _exactly_two_given(n=None, d=d, power=power)
        unknown = "n1 = n2" if unknown == "n" else unknown
    else:
        unknown = _exactly_two_given(n1=n1, n2=n2, d=d, power=power)
    if d == 0:
        raise refuse("d", "a non-zero finite number or None", d)
    sm_alternative = {"two-sided": "two-sided", "greater": "larger", "less": "smaller"}[alternative]
    solver = TTestIndPower()
    if unknown == "n1" and n2 is not None:
        unknown = "n2"
    given = f"n1={n1!r}, n2={n2!r}, d={d!r}, alpha={alpha!r}"
    if n1 is None and n2 is not None:  # power is symmetric in the two groups: solve for n2
        n1, n2, swapped = n2, None, True
    else:
        swapped = False
    kwargs = {
        "effect_size": d,
        "nobs1": n1,
        "alpha": float(alpha),
        "power": power,
        "ratio": None if (n1 is not None and n2 is None) else (1.0 if n2 is None else n2 / n1),
        "alternative": sm_alternative,
    }
    if unknown == "power":
        power = float(solver.power(**{k: v for k, v in kwargs.items() if k != "power"}))
    else:
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                solved = float(np.asarray(solver.solve_power(**kwargs), dtype=float).item())
            check = dict(kwargs, **{_SM_NAME[unknown]: solved, "power": None})
            reached = float(solver.power(**{k: v for k, v in check.items() if k != "power"}))
        except (TypeError, ValueError, RuntimeError, ZeroDivisionError):
            solved, reached = np.nan, np.nan
        if not (np.isfinite(solved) and solved > 0 and abs(reached - power) < 1e-4):
            raise ParameterError(
                f"{current_function()}: no {unknown} reaches power {power!r} with the other "
                f"values given ({given}); expected a power that this design can reach."
            )
        if unknown == "d":
            d = abs(solved) if alternative != "less" else -abs(solved)
        elif unknown == "n1 = n2":
            n1 = n2 = solved
        else:
            n2 = solved * n1
    if swapped:
        n1, n2 = n2, n1
    return pd.DataFrame(
        {
            "n1": [float(n1)],
            "n2": [float(n2)],
            "n": [float(n1) + float(n2)],
            "effect_size": [float(d)],
            "alpha": [float(alpha)],
            "power": [float(power)],
            "alternative": [alternative],
            "method": f"two-sample t-test power (statsmodels TTestIndPower), solved for {unknown}",
        }
    )
