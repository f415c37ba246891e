"""rfm_summary against the published CDNOW calibration summary (Hardie's data, shipped).

The 2,357-customer, 39-week summary used by Fader, Hardie and Lee (2005) was published with
its transaction log; computing it from the log must give it back (to the two decimals it
was published with).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scrm_lab.customers import rfm_summary
from scrm_lab.datasets import load_tables
from scrm_lab.exceptions import ParameterError, SchemaError


@pytest.fixture(scope="module")
def cdnow():
    return load_tables("cdnow")


def test_the_published_cdnow_summary_is_computed_from_the_log(cdnow):
    published = cdnow["calibration_summary"]
    log = cdnow["transactions"]
    log = log[log["customer_id"].isin(published["customer_id"])]
    ours = rfm_summary(log, calibration_end="1997-09-30", observation_end="1998-06-30")
    both = ours.merge(published, on="customer_id", validate="one_to_one")
    assert len(ours) == len(both) == 2357
    assert (both["frequency_x"] == both["frequency_y"]).all()
    np.testing.assert_allclose(both["recency_x"], both["recency_y"], atol=0.005)
    np.testing.assert_allclose(both["T"], both["age"], atol=0.005)
    np.testing.assert_allclose(both["monetary_value"], both["mean_repeat_value"], atol=0.005)
    assert (both["duration_holdout"] == 39).all()  # weeks 40-78


def test_same_day_purchases_are_one_and_holdout_is_counted():
    log = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "a", "b", "c"],
            "time": pd.to_datetime(
                ["2024-01-01", "2024-01-01", "2024-01-15", "2024-02-12", "2024-01-08", "2024-02-05"]
            ),
            "amount": [1.0, 2.0, 4.0, 8.0, 5.0, 9.0],
        }
    )
    summary = rfm_summary(log, calibration_end="2024-01-29", time_unit="D").set_index("customer_id")
    assert summary.loc["a"].to_dict() == {
        "frequency": 1, "recency": 14.0, "T": 28.0, "monetary_value": 4.0,
        "frequency_holdout": 1, "monetary_value_holdout": 8.0, "duration_holdout": 14.0,
    }  # fmt: skip
    assert "c" not in summary.index  # first purchase after the calibration end
    assert summary.loc["b", "frequency"] == 0 and np.isnan(summary.loc["b", "monetary_value"])


def test_bad_logs_and_dates_are_refused():
    log = pd.DataFrame({"customer_id": ["a"], "time": ["not a date"], "amount": [1.0]})
    with pytest.raises(SchemaError, match=r"column 'time' has 'not a date' in row 1"):
        rfm_summary(log)
    log = pd.DataFrame({"customer_id": ["a"], "time": ["2024-01-01"], "amount": [np.inf]})
    with pytest.raises(SchemaError, match=r"column 'amount' has inf in row 1"):
        rfm_summary(log)
    good = log.assign(amount=1.0)
    with pytest.raises(ParameterError, match=r"'calibration_end' parameter of rfm_summary"):
        rfm_summary(good, calibration_end="2025-01-01", observation_end="2024-06-01")
    with pytest.raises(ParameterError, match=r"'time_unit' parameter of rfm_summary"):
        rfm_summary(good, time_unit="fortnight")
