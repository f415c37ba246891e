"""Pareto/NBD on CDNOW against Fader, Hardie and Lee (2005), Marketing Science 24(2), 275-284.

Published: r = 0.553, alpha = 10.578, s = 0.606, beta = 11.669, log-likelihood -9595.0 on
the 2,357-customer, 39-week calibration summary. The likelihood, the probability of being
alive and the conditional expectation are checked against numerical integration of the
individual-level model (Poisson purchases at rate lambda ~ Gamma(r, alpha), an exponential
lifetime at rate mu ~ Gamma(s, beta)), in both cases alpha >= beta and alpha < beta.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, optimize, stats
from scipy.special import gammaln, hyp2f1

from scrm_lab.customers import ParetoNBD, _mle
from scrm_lab.customers._mle import FitError
from scrm_lab.customers._paretonbd import log_likelihood
from scrm_lab.datasets import load_dataset
from scrm_lab.exceptions import ParameterError, SchemaError

PUBLISHED = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return load_dataset("cdnow", table="calibration_summary").rename(columns={"age": "T"})


@pytest.fixture(scope="module")
def model(cdnow) -> ParetoNBD:
    return ParetoNBD().fit(cdnow)


def test_reproduces_the_published_cdnow_fit(model, cdnow):
    assert list(model.params_) == list(PUBLISHED)
    # published to 3 decimals; beta, where the likelihood is flattest (SE 6.2), is 11.6679 at
    # the maximum: the log-likelihood at the published values is 8e-5 lower
    tolerance = {"beta": 2e-3}
    for name, value in PUBLISHED.items():
        assert model.params_[name] == pytest.approx(value, abs=tolerance.get(name, 6e-4))
    x, t_x, T = (cdnow[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    at_published = log_likelihood(np.array(list(PUBLISHED.values())), x, t_x, T).sum()
    assert model.log_likelihood_ - 1e-3 < at_published < model.log_likelihood_
    assert model.log_likelihood_ == pytest.approx(-9595.0, abs=0.06)
    assert model.n_customers_ == 2357


def test_summary_table(model):
    table = model.summary()
    assert table.columns.tolist() == ["parameter", "estimate", "std_error", "ci_low", "ci_high"]
    assert table["parameter"].tolist() == ["r", "alpha", "s", "beta"]
    assert (table["std_error"] > 0).all()
    z = stats.norm.ppf(0.975)
    np.testing.assert_allclose(table["ci_high"] - table["estimate"], z * table["std_error"])
    np.testing.assert_allclose(table["estimate"] - table["ci_low"], z * table["std_error"])
    wider = model.summary(alpha=0.01)
    assert (wider["ci_high"] > table["ci_high"]).all()
    with pytest.raises(ParameterError, match=r"'alpha' parameter of ParetoNBD.summary"):
        model.summary(alpha=1.5)


def test_the_maximum_is_a_maximum(model, cdnow):
    x, t_x, T = (cdnow[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    best = np.array(list(model.params_.values()))
    assert log_likelihood(best, x, t_x, T).sum() == pytest.approx(model.log_likelihood_)
    for i in range(4):
        for factor in (0.98, 1.02):
            moved = best.copy()
            moved[i] *= factor
            assert log_likelihood(moved, x, t_x, T).sum() < model.log_likelihood_


def _individual(lam, mu, x, t_x, T):
    """The likelihood given lambda and mu (equation 3 of the note) and its 'alive' part."""
    alive = lam**x * math.exp(-(lam + mu) * T)
    died = lam**x * mu / (lam + mu) * (math.exp(-(lam + mu) * t_x) - math.exp(-(lam + mu) * T))
    return alive + died, alive


def _gamma_pdf(value: float, shape: float, rate: float) -> float:
    """The gamma density, written out (scipy.stats per point is slow inside dblquad)."""
    if value <= 0:
        return 0.0
    log = shape * math.log(rate) + (shape - 1) * math.log(value) - rate * value
    return math.exp(log - math.lgamma(shape))


def _integrate(function, r, alpha, s, beta):
    value, _ = integrate.dblquad(
        lambda mu, lam: function(lam, mu) * _gamma_pdf(lam, r, alpha) * _gamma_pdf(mu, s, beta),
        0, np.inf, 0, np.inf, epsabs=0, epsrel=1e-9,
    )  # fmt: skip
    return value


PARAMS = [(1.3, 3.0, 1.4, 5.0), (1.2, 6.0, 1.5, 2.0), (0.9, 4.0, 1.1, 4.0)]
CUSTOMERS = [(0, 0.0, 5.0), (1, 2.0, 5.0), (3, 4.5, 6.0), (2, 6.0, 6.0)]


@pytest.mark.parametrize("params", PARAMS)
@pytest.mark.parametrize("customer", CUSTOMERS)
def test_likelihood_of_a_customer_against_numerical_integration(params, customer):
    x, t_x, T = customer
    value = _integrate(lambda lam, mu: _individual(lam, mu, x, t_x, T)[0], *params)
    ours = log_likelihood(np.array(params), np.array([x]), np.array([t_x]), np.array([T]))
    assert float(np.exp(ours[0])) == pytest.approx(value, rel=1e-6)


def test_likelihood_with_many_purchases_stays_finite():
    params = np.array(list(PUBLISHED.values()))
    x = np.array([0, 50, 300, 300.0])
    values = log_likelihood(params, x, np.array([0, 30, 38.0, 38.9]), np.full(4, 38.9))
    assert np.isfinite(values).all()
    flipped = log_likelihood(np.array([0.553, 11.669, 0.606, 10.578]), x, x / 10, np.full(4, 38.9))
    assert np.isfinite(flipped).all()


def _fitted_with(params) -> ParetoNBD:
    model = ParetoNBD()
    model._fit = type(
        "Fit", (), {"params": dict(zip(PUBLISHED, params, strict=True))}
    )()  # parameters set by hand, to compare with the integrals
    return model


@pytest.mark.parametrize("params", PARAMS)
def test_probability_alive_and_expectation_against_numerical_integration(params):
    model = _fitted_with(params)
    x, t_x, T, t = 2, 3.0, 8.0, 4.0
    evidence = _integrate(lambda lam, mu: _individual(lam, mu, x, t_x, T)[0], *params)
    alive = _integrate(lambda lam, mu: _individual(lam, mu, x, t_x, T)[1], *params)
    assert float(model.probability_alive(x, t_x, T)) == pytest.approx(alive / evidence, rel=1e-6)
    # alive at T, a customer buys lambda / mu (1 - e^(-mu t)) in the next t periods
    future = _integrate(
        lambda lam, mu: _individual(lam, mu, x, t_x, T)[1] * lam / mu * -math.expm1(-mu * t),
        *params,
    )
    assert float(model.expected_purchases(t, x, t_x, T)) == pytest.approx(
        future / evidence, rel=1e-6
    )
    # a new customer: E[lambda] E[(1 - e^(-mu t)) / mu]
    r, alpha, s, beta = params
    new, _ = integrate.quad(
        lambda mu: -np.expm1(-mu * t) / mu * stats.gamma.pdf(mu, s, scale=1 / beta), 0, np.inf
    )
    assert model.expected_purchases_new(t) == pytest.approx(r / alpha * new, rel=1e-7)


def test_expected_purchases_when_s_is_one():
    # s = 1: (1 - ((beta + T) / (beta + T + t))^(s - 1)) / (s - 1) tends to log((beta+T+t)/(beta+T))
    at_one = _fitted_with((1.0, 2.0, 1.0, 3.0))
    near = _fitted_with((1.0, 2.0, 1.0 + 1e-7, 3.0))
    assert at_one.expected_purchases_new(5.0) == pytest.approx(0.5 * 3 * np.log(8 / 3))
    assert at_one.expected_purchases_new(5.0) == pytest.approx(near.expected_purchases_new(5.0))
    assert float(at_one.expected_purchases(5.0, 2, 3.0, 6.0)) == pytest.approx(
        float(near.expected_purchases(5.0, 2, 3.0, 6.0)), rel=1e-6
    )


def test_probability_alive(model):
    # a customer whose last purchase is at the end of the period cannot have left yet
    assert float(model.probability_alive(3, 38.86, 38.86)) == 1.0
    assert model.probability_alive([0, 7], [0, 20], [0, 20]).tolist() == [1.0, 1.0]
    recent, lapsed = model.probability_alive([5, 5], [38.0, 5.0], [38.86, 38.86])
    assert 0 < lapsed < recent < 1
    # no purchase: still alive with the probability of a lifetime longer than T given no buying
    assert 0 < float(model.probability_alive(0, 0, 38.86)) < 1


def test_expected_purchases(model):
    scalar = model.expected_purchases(39, 2, 30.43, 38.86)
    values = model.expected_purchases(39, [2, 2, 0], [30.43, 5.0, 0], [38.86, 38.86, 38.86])
    assert values.shape == (3,)
    assert float(scalar) == pytest.approx(values[0])
    assert values[0] > values[1]  # the same purchases, earlier: less likely still buying
    assert model.expected_purchases(0, [2, 0], [30.43, 0], [38.86, 38.86]).tolist() == [0, 0]
    with pytest.raises(ParameterError, match=r"'t' parameter of ParetoNBD.expected_purchases"):
        model.expected_purchases(-1, 2, 30.43, 38.86)


def test_expected_purchases_of_a_new_customer(model):
    # at small t the rate of a new customer is E[lambda] = r / alpha (no dropout yet)
    r, alpha = model.params_["r"], model.params_["alpha"]
    assert model.expected_purchases_new(0.01) / 0.01 == pytest.approx(r / alpha, rel=1e-3)
    assert model.expected_purchases_new(0) == 0
    assert model.expected_purchases_new(39) < r / alpha * 39  # some have left
    with pytest.raises(ParameterError, match=r"'t' parameter of ParetoNBD.expected_purchases_new"):
        model.expected_purchases_new(-1)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"frequency": [-1, 0]}, r"'frequency' = -1 in row 1; expected a number >= 0"),
        ({"frequency": [1.5, 0]}, r"'frequency' = 1.5 in row 1; expected a whole number"),
        ({"recency": [50, 0]}, r"'recency' = 50 in row 1; expected at most T"),
        (
            {"recency": [3, 2]},
            r"'recency' = 2 in row 2; expected 0 for a customer with frequency 0",
        ),
        ({"T": [np.nan, 40]}, r"'T' = nan in row 1; expected a finite number"),
    ],
)
def test_bad_summaries_are_refused_naming_row_and_value(change, match):
    summary = pd.DataFrame({"frequency": [2, 0], "recency": [3, 0], "T": [40, 40]})
    with pytest.raises(SchemaError, match=rf"summary given to ParetoNBD.fit has {match}"):
        ParetoNBD().fit(summary.assign(**change))


def test_a_summary_without_its_columns_or_not_a_table_is_refused():
    with pytest.raises(SchemaError, match=r"ParetoNBD.fit: column 'recency' is not in the data"):
        ParetoNBD().fit(pd.DataFrame({"frequency": [1]}))
    with pytest.raises(
        ParameterError, match=r"'summary' parameter of ParetoNBD.fit must be a customer"
    ):
        ParetoNBD().fit([1, 2, 3])
    for call in (
        lambda m: m.expected_purchases(10, 1, 1, 2),
        lambda m: m.probability_alive(1, 1, 2),
        lambda m: m.expected_purchases_new(1),
        lambda m: m.summary(),
    ):
        with pytest.raises(ParameterError, match=r"This ParetoNBD is not fitted yet; call fit"):
            call(ParetoNBD())


def test_a_summary_without_repeat_purchases_is_refused():
    # nobody bought again: the purchase rate runs to 0 and the likelihood has no maximum
    summary = pd.DataFrame({"frequency": [0] * 20, "recency": [0] * 20, "T": [40] * 20})
    with pytest.raises(ParameterError, match=r"ParetoNBD.fit needs customers with repeat"):
        ParetoNBD().fit(summary)


def test_a_fit_that_does_not_converge_says_what_to_try(monkeypatch, cdnow):
    failed = optimize.OptimizeResult(x=np.zeros(4), fun=np.inf, success=False, message="stuck")
    monkeypatch.setattr(_mle.optimize, "minimize", lambda *args, **kwargs: failed)
    with pytest.raises(FitError, match=r"fit of Pareto/NBD did not converge \(stuck\); check"):
        ParetoNBD().fit(cdnow)


def test_recovers_known_parameters_from_an_independent_simulation():
    # 10,000 customers drawn here from the model's story, not from the project's simulators
    rng = np.random.default_rng(20260213)
    n, truth = 10_000, {"r": 0.8, "alpha": 6.0, "s": 0.7, "beta": 12.0}
    lam = rng.gamma(truth["r"], 1 / truth["alpha"], n)
    mu = rng.gamma(truth["s"], 1 / truth["beta"], n)
    T = rng.uniform(20, 52, n)
    active = np.minimum(rng.exponential(1 / mu), T)  # buying until death or the end
    x = rng.poisson(lam * active)
    # the last of x uniform purchase times on [0, active]
    t_x = np.where(x > 0, active * rng.uniform(size=n) ** (1 / np.maximum(x, 1)), 0.0)
    model = ParetoNBD().fit(pd.DataFrame({"frequency": x, "recency": t_x, "T": T}))
    for name, value in truth.items():
        assert abs(model.params_[name] - value) < 3 * model.standard_errors_[name]


@pytest.mark.parametrize("params", [(0.553, 10.578, 0.606, 11.669), (0.553, 11.669, 0.606, 3.0)])
def test_likelihood_against_the_notes_formula_written_literally(params):
    # equations (19)-(20) of the note with scipy's hyp2f1 as printed, no logs: fine in
    # floating point for these customers, and independent of the transformed form used
    r, alpha, s, beta = params
    x = np.array([0, 1, 5, 50, 150.0])
    t_x = np.array([0, 10, 20.5, 30, 38.0])
    T = np.full(5, 38.86)
    rsx = r + s + x
    if alpha >= beta:
        b, high = s + 1, alpha
    else:
        b, high = r + x, beta
    z = abs(alpha - beta)
    a0 = (
        hyp2f1(rsx, b, rsx + 1, z / (high + t_x)) / (high + t_x) ** rsx
        - hyp2f1(rsx, b, rsx + 1, z / (high + T)) / (high + T) ** rsx
    )
    head = np.exp(gammaln(r + x) - gammaln(r)) * alpha**r * beta**s
    literal = head * (1 / ((alpha + T) ** (r + x) * (beta + T) ** s) + s / rsx * a0)
    ours = log_likelihood(np.array(params), x, t_x, T)
    np.testing.assert_allclose(ours, np.log(literal), rtol=1e-10)


def test_predictions_refuse_impossible_histories_naming_row_and_value(model):
    with pytest.raises(
        SchemaError,
        match=r"summary given to ParetoNBD.probability_alive has 'recency' = 50 in row 2; "
        r"expected at most T",
    ):
        model.probability_alive([1, 2], [3, 50], 40)
    with pytest.raises(
        SchemaError,
        match=r"summary given to ParetoNBD.expected_purchases has 'frequency' = -1 in row 1",
    ):
        model.expected_purchases(10, -1, 0, 40)
    assert model.probability_alive([[1, 2], [3, 4]], 10, 40).shape == (2, 2)
