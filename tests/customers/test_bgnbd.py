"""BG/NBD on CDNOW against Fader, Hardie and Lee (2005), Marketing Science 24(2), 275-284.

Published: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, log-likelihood -9582.4 on the
2,357-customer, 39-week calibration summary; a customer with x = 2, t_x = 30.43 and
T = 38.86 is expected to make 1.226 purchases in the next 39 weeks (the paper's example).
Standard errors: those lifetimes (Davidson-Pilon, the archived reference implementation)
prints for the same fit (0.0126, 0.3782, 0.1857, 0.7053).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from scrm_lab.customers import BGNBD
from scrm_lab.customers._bgnbd import log_likelihood
from scrm_lab.datasets import load_dataset
from scrm_lab.exceptions import ParameterError, SchemaError

PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return load_dataset("cdnow", table="calibration_summary").rename(columns={"age": "T"})


@pytest.fixture(scope="module")
def model(cdnow) -> BGNBD:
    return BGNBD().fit(cdnow)


def test_reproduces_the_published_cdnow_fit(model):
    assert len(PUBLISHED) == len(model.params_)
    for name, value in PUBLISHED.items():
        assert model.params_[name] == pytest.approx(value, abs=6e-4)  # published to 3 decimals
    assert model.log_likelihood_ == pytest.approx(-9582.4, abs=0.06)
    assert model.n_customers_ == 2357


def test_standard_errors_match_the_reference_implementation(model):
    table = model.summary()
    assert table["parameter"].tolist() == ["r", "alpha", "a", "b"]
    expected = [0.0126, 0.3782, 0.1857, 0.7053]
    np.testing.assert_allclose(table["std_error"], expected, rtol=0.01)
    z = stats.norm.ppf(0.975)
    np.testing.assert_allclose(table["ci_high"] - table["estimate"], z * table["std_error"])


def test_the_papers_conditional_expectation(model):
    assert float(model.expected_purchases(39, 2, 30.43, 38.86)) == pytest.approx(1.226, abs=6e-4)


def test_the_maximum_is_a_maximum(model, cdnow):
    x, t_x, T = (cdnow[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    best = np.array(list(model.params_.values()))
    for i in range(4):
        for factor in (0.98, 1.02):
            moved = best.copy()
            moved[i] *= factor
            assert log_likelihood(moved, x, t_x, T).sum() < model.log_likelihood_


def test_likelihood_of_a_customer_against_numerical_integration():
    # P(x = 1, t_x = 2, T = 5) integrated over lambda ~ Gamma(r, alpha) and p ~ Beta(a, b)
    r, alpha, a, b = 0.8, 3.0, 1.2, 2.5
    x, t_x, T = 1, 2.0, 5.0

    def given(lam: float, p: float) -> float:
        # the individual likelihood: (1-p)^x lam^x e^(-lam T) + p (1-p)^(x-1) lam^x e^(-lam t_x)
        return (1 - p) ** x * lam**x * np.exp(-lam * T) + p * (1 - p) ** (x - 1) * lam**x * np.exp(
            -lam * t_x
        )

    value, _ = integrate.dblquad(
        lambda p, lam: given(lam, p) * stats.gamma.pdf(lam, r, scale=1 / alpha)
        * stats.beta.pdf(p, a, b),
        0, np.inf, 0, 1,
    )  # fmt: skip
    ours = log_likelihood(np.array([r, alpha, a, b]), np.array([x]), np.array([t_x]), np.array([T]))
    assert float(np.exp(ours[0])) == pytest.approx(value, rel=1e-6)


def test_probability_alive(model):
    assert float(model.probability_alive(0, 0, 38.86)) == 1.0  # no purchase, no dropout
    recent, lapsed = model.probability_alive([5, 5], [38.0, 5.0], [38.86, 38.86])
    assert 0 < lapsed < recent < 1


def test_expected_purchases_of_a_new_customer(model):
    # at small t the rate of a new customer is E[lambda] = r / alpha (no dropout yet)
    r, alpha = model.params_["r"], model.params_["alpha"]
    assert model.expected_purchases_new(0.01) / 0.01 == pytest.approx(r / alpha, rel=1e-2)
    assert model.expected_purchases_new(0) == 0
    with pytest.raises(ParameterError, match=r"'t' parameter of BGNBD.expected_purchases_new"):
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
    with pytest.raises(SchemaError, match=rf"summary given to BGNBD.fit has {match}"):
        BGNBD().fit(summary.assign(**change))


def test_a_summary_without_its_columns_or_not_a_table_is_refused():
    with pytest.raises(SchemaError, match=r"BGNBD.fit: column 'recency' is not in the data"):
        BGNBD().fit(pd.DataFrame({"frequency": [1]}))
    with pytest.raises(
        ParameterError, match=r"'summary' parameter of BGNBD.fit must be a customer"
    ):
        BGNBD().fit([1, 2, 3])
    with pytest.raises(ParameterError, match=r"not fitted yet"):
        BGNBD().expected_purchases(10, 1, 1, 2)


def test_a_summary_without_repeat_purchases_is_refused():
    # nobody bought again: the purchase rate runs to 0 and the likelihood has no maximum
    summary = pd.DataFrame({"frequency": [0] * 20, "recency": [0] * 20, "T": [40] * 20})
    with pytest.raises(ParameterError, match=r"^BGNBD.fit needs customers with repeat purchases"):
        BGNBD().fit(summary)
