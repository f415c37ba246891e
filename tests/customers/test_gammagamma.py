"""Gamma-gamma on CDNOW against Fader, Hardie and Lee (2005), "RFM and CLV: Using Iso-Value
Curves for Customer Base Analysis", Journal of Marketing Research 42(4), 415-430.

Published: p = 6.25, q = 3.74, gamma = 15.44 on the 946 customers of the 39-week CDNOW
calibration period with repeat purchases (mean repeat spend). The shipped spend is to the
cent and its maximum is at gamma = 15.448 (the likelihood is flat along gamma, standard
error about 4.2), so the parameters are pinned to within 0.01. The likelihood and the
conditional expectation are checked against numerical integration of the individual model
(transaction values ~ Gamma(p, nu), nu ~ Gamma(q, gamma)).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, optimize, stats

from scrm_lab.customers import GammaGamma, _mle
from scrm_lab.customers._gammagamma import log_likelihood
from scrm_lab.customers._mle import FitError
from scrm_lab.datasets import load_dataset
from scrm_lab.exceptions import ParameterError, SchemaError

PUBLISHED = {"p": 6.25, "q": 3.74, "gamma": 15.44}


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return load_dataset("cdnow", table="calibration_summary").rename(
        columns={"age": "T", "mean_repeat_value": "monetary_value"}
    )


@pytest.fixture(scope="module")
def model(cdnow) -> GammaGamma:
    return GammaGamma().fit(cdnow)


def test_reproduces_the_published_cdnow_fit(model):
    assert list(model.params_) == list(PUBLISHED)
    for name, value in PUBLISHED.items():
        assert model.params_[name] == pytest.approx(value, abs=0.01)
    assert model.n_customers_ == 946


def test_summary_table(model):
    table = model.summary()
    assert table.columns.tolist() == ["parameter", "estimate", "std_error", "ci_low", "ci_high"]
    assert table["parameter"].tolist() == ["p", "q", "gamma"]
    assert (table["std_error"] > 0).all()
    z = stats.norm.ppf(0.975)
    np.testing.assert_allclose(table["ci_high"] - table["estimate"], z * table["std_error"])
    with pytest.raises(ParameterError, match=r"'alpha' parameter of GammaGamma.summary"):
        model.summary(alpha=0)


def test_the_maximum_is_a_maximum(model, cdnow):
    repeat = cdnow[cdnow["frequency"] > 0]
    x, m = repeat["frequency"].to_numpy(float), repeat["monetary_value"].to_numpy(float)
    best = np.array(list(model.params_.values()))
    assert log_likelihood(best, x, m).sum() == pytest.approx(model.log_likelihood_)
    assert log_likelihood(np.array(list(PUBLISHED.values())), x, m).sum() < model.log_likelihood_
    for i in range(3):
        for factor in (0.98, 1.02):
            moved = best.copy()
            moved[i] *= factor
            assert log_likelihood(moved, x, m).sum() < model.log_likelihood_


def _mean_density(m: float, x: int, p: float, nu: float) -> float:
    """Density of the mean of x values ~ Gamma(p, rate nu): their sum is Gamma(p x, nu)."""
    return x * stats.gamma.pdf(x * m, p * x, scale=1 / nu)


@pytest.mark.parametrize("params", [(6.25, 3.74, 15.44), (2.0, 1.5, 4.0), (0.8, 5.0, 30.0)])
@pytest.mark.parametrize("customer", [(1, 20.0), (3, 12.5), (10, 40.0)])
def test_likelihood_and_expectation_against_numerical_integration(params, customer):
    p, q, gamma = params
    x, m = customer

    def prior(nu: float) -> float:
        return math.exp(q * math.log(gamma) + (q - 1) * math.log(nu) - gamma * nu - math.lgamma(q))

    evidence, _ = integrate.quad(lambda nu: _mean_density(m, x, p, nu) * prior(nu), 0, np.inf)
    ours = log_likelihood(np.array(params), np.array([x]), np.array([m]))
    assert float(np.exp(ours[0])) == pytest.approx(evidence, rel=1e-7)
    if q > 1:  # E[value | nu] = p / nu, averaged over the posterior of nu
        mean, _ = integrate.quad(
            lambda nu: p / nu * _mean_density(m, x, p, nu) * prior(nu), 0, np.inf
        )
        model = GammaGamma()
        model._fit = type("Fit", (), {"params": dict(zip(PUBLISHED, params, strict=True))})()
        assert float(model.conditional_expected_value(x, m)) == pytest.approx(
            mean / evidence, rel=1e-7
        )


def test_conditional_expected_value(model):
    p, q, gamma = model.params_.values()
    population = gamma * p / (q - 1)
    assert population == pytest.approx(15.44 * 6.25 / 2.74, rel=2e-3)  # from the paper's values
    x = np.array([1, 2, 5, 20, 1, 3])
    m = np.array([5.0, 80.0, 10.0, 200.0, population, 30.0])
    values = model.conditional_expected_value(x, m)
    assert values.shape == (6,)
    low, high = np.minimum(m, population), np.maximum(m, population)
    inside = (low - 1e-9 <= values) & (values <= high + 1e-9)
    assert inside.all()  # between the population mean and mbar
    assert values[4] == pytest.approx(population)
    # more purchases, more weight on the customer's own mean
    shrunk = model.conditional_expected_value([1, 5, 50, 5000], [100.0] * 4)
    assert (np.diff(shrunk) > 0).all()
    assert shrunk[-1] == pytest.approx(100.0, rel=1e-3)
    # no repeat purchase: the population mean, whatever spend is given
    assert model.conditional_expected_value([0, 0], [np.nan, 0]).tolist() == pytest.approx(
        [population, population]
    )
    # the posterior of nu is Gamma(p x + q, gamma + x m), so E = p (gamma + x m) / (p x + q - 1)
    expected = p * (gamma + 2 * 22.35) / (2 * p + q - 1)
    assert float(model.conditional_expected_value(2, 22.35)) == pytest.approx(expected)


def test_conditional_expected_value_refuses_bad_input(model):
    with pytest.raises(ParameterError, match=r"'frequency' given to GammaGamma.conditional"):
        model.conditional_expected_value([-1], [10.0])
    with pytest.raises(ParameterError, match=r"'monetary_value' given to GammaGamma.condition"):
        model.conditional_expected_value([2], [np.nan])
    flat = GammaGamma()
    flat._fit = type("Fit", (), {"params": {"p": 2.0, "q": 0.9, "gamma": 3.0}})()
    with pytest.raises(ParameterError, match=r"fitted q = 0.9 is <= 1"):
        flat.conditional_expected_value(2, 10.0)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (
            {"monetary_value": [-5.0, np.nan]},
            r"'monetary_value' = -5 in row 1; expected a mean spend > 0 for a repeat customer",
        ),
        (
            {"monetary_value": [np.nan, np.nan]},
            r"'monetary_value' = nan in row 1; expected a finite number",
        ),
        (
            {"monetary_value": [10.0, 7.5]},
            r"'monetary_value' = 7.5 in row 2; expected no spend \(missing or 0\)",
        ),
        ({"frequency": [-2, 0]}, r"'frequency' = -2 in row 1; expected a number >= 0"),
    ],
)
def test_bad_summaries_are_refused_naming_row_and_value(change, match):
    summary = pd.DataFrame(
        {"frequency": [2, 0], "recency": [3, 0], "T": [40, 40], "monetary_value": [10.0, np.nan]}
    )
    with pytest.raises(SchemaError, match=rf"summary given to GammaGamma.fit has {match}"):
        GammaGamma().fit(summary.assign(**change))


def test_refusals_without_spend_or_repeat_customers():
    summary = pd.DataFrame({"frequency": [2, 0], "recency": [3, 0], "T": [40, 40]})
    with pytest.raises(SchemaError, match=r"column 'monetary_value' is not in the data"):
        GammaGamma().fit(summary)
    nobody = pd.DataFrame(
        {"frequency": [0, 0], "recency": [0, 0], "T": [40, 40], "monetary_value": [np.nan, 0]}
    )
    with pytest.raises(ParameterError, match=r"GammaGamma.fit needs customers with repeat"):
        GammaGamma().fit(nobody)
    with pytest.raises(ParameterError, match=r"'summary' parameter of GammaGamma.fit must be"):
        GammaGamma().fit({"frequency": [1]})
    for call in (lambda g: g.summary(), lambda g: g.conditional_expected_value(1, 10.0)):
        with pytest.raises(ParameterError, match=r"This GammaGamma is not fitted yet; call fit"):
            call(GammaGamma())


def test_a_fit_that_does_not_converge_says_what_to_try(monkeypatch, cdnow):
    failed = optimize.OptimizeResult(x=np.zeros(3), fun=np.inf, success=False, message="stuck")
    monkeypatch.setattr(_mle.optimize, "minimize", lambda *args, **kwargs: failed)
    with pytest.raises(FitError, match=r"gamma-gamma spend model did not converge \(stuck\)"):
        GammaGamma().fit(cdnow)


def test_recovers_known_parameters_from_an_independent_simulation():
    # 10,000 repeat customers drawn here: nu ~ Gamma(q, gamma), the mean of x values
    # ~ Gamma(p, nu) is Gamma(p x, nu) / x
    rng = np.random.default_rng(20260213)
    n, truth = 10_000, {"p": 4.0, "q": 3.0, "gamma": 20.0}
    x = 1 + rng.poisson(2.0, n)
    nu = rng.gamma(truth["q"], 1 / truth["gamma"], n)
    m = rng.gamma(truth["p"] * x, 1 / nu) / x
    summary = pd.DataFrame({"frequency": x, "recency": 1.0, "T": 2.0, "monetary_value": m})
    model = GammaGamma().fit(summary)
    for name, value in truth.items():
        assert abs(model.params_[name] - value) < 3 * model.standard_errors_[name]
