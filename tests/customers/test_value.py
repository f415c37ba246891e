"""customer_lifetime_value on CDNOW: its definition, discounting and refusals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scrm_lab.customers import BGNBD, GammaGamma, ParetoNBD, customer_lifetime_value
from scrm_lab.datasets import load_dataset
from scrm_lab.exceptions import ParameterError


@pytest.fixture(scope="module")
def fitted():
    cdnow = load_dataset("cdnow", table="calibration_summary").rename(
        columns={"age": "T", "mean_repeat_value": "monetary_value"}
    )
    return cdnow, BGNBD().fit(cdnow), ParetoNBD().fit(cdnow), GammaGamma().fit(cdnow)


def test_without_discount_it_is_purchases_times_spend_times_margin(fitted):
    cdnow, bgnbd, pareto, spend = fitted
    for model in (bgnbd, pareto):
        value = customer_lifetime_value(model, spend, cdnow, horizon=39, period=4, margin=0.25)
        x, t_x, T = (cdnow[c].to_numpy(float) for c in ("frequency", "recency", "T"))
        purchases = model.expected_purchases(39, x, t_x, T)
        np.testing.assert_allclose(value["expected_purchases"], purchases)
        np.testing.assert_allclose(value["clv"], 0.25 * value["expected_spend"] * purchases)


def test_one_period_is_discounted_once_and_more_discount_is_worth_less(fitted):
    cdnow, bgnbd, _, spend = fitted
    plain = customer_lifetime_value(bgnbd, spend, cdnow, horizon=52, period=52)
    once = customer_lifetime_value(bgnbd, spend, cdnow, horizon=52, period=52, discount_rate=0.1)
    np.testing.assert_allclose(once["clv"], plain["clv"] / 1.1)
    weekly = [customer_lifetime_value(bgnbd, spend, cdnow, horizon=52, discount_rate=d)["clv"]
              for d in (0.0, 0.001, 0.01)]  # fmt: skip
    assert (weekly[0] >= weekly[1]).all() and (weekly[1] >= weekly[2]).all()
    assert weekly[0].sum() > weekly[2].sum()


def test_a_customer_without_repeat_purchases_is_valued_at_the_population_mean_spend(fitted):
    cdnow, bgnbd, _, spend = fitted
    p, q, gamma = spend.params_.values()
    value = customer_lifetime_value(bgnbd, spend, cdnow, horizon=10)
    one_time = value.loc[cdnow["frequency"] == 0, "expected_spend"]
    np.testing.assert_allclose(one_time, p * gamma / (q - 1))  # E[M] of the Gamma-Gamma model


@pytest.mark.parametrize(
    ("option", "match"),
    [
        ({"horizon": 0}, r"'horizon' parameter of customer_lifetime_value must be"),
        ({"horizon": 10, "margin": 0}, r"'margin' parameter .* must be a number in \(0, 1\]"),
        ({"horizon": 10, "discount_rate": -0.1}, r"'discount_rate' parameter .* must be"),
        ({"horizon": 10, "period": 0}, r"'period' parameter of customer_lifetime_value"),
    ],
)
def test_bad_options_are_refused(fitted, option, match):
    cdnow, bgnbd, _, spend = fitted
    with pytest.raises(ParameterError, match=match):
        customer_lifetime_value(bgnbd, spend, cdnow, **option)


def test_the_result_keeps_the_summarys_index(fitted):
    cdnow, bgnbd, _, spend = fitted
    part = cdnow.iloc[[5, 2, 9]]
    value = customer_lifetime_value(bgnbd, spend, part, horizon=10)
    assert value.index.tolist() == [5, 2, 9] and isinstance(value, pd.DataFrame)
