"""HC2/HC3 errors when a row has leverage one (the only member of a category)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from scrm_lab.models import regress


@pytest.fixture
def lonely() -> pd.DataFrame:
    """31 rows of small whole numbers, two sectors, and the last row alone in a third sector.

    With these numbers the last row's leverage comes out as exactly 1.0 in floating point in
    the regression's design, where statsmodels' HC2/HC3 errors are NaN for every coefficient
    (0 / 0), so without the fix ``regress`` refuses its own NaN p-value.
    """
    rng = np.random.default_rng(17)
    assert int(rng.integers(8, 40)) == 31  # the draw that found this case
    x = rng.integers(0, 5, size=31).astype(float)
    sector = np.array((["a", "b"] * 31)[:30] + ["alone"])
    y = rng.integers(0, 9, size=31).astype(float)
    return pd.DataFrame({"y": y, "x": x, "sector": sector})


def _design(data: pd.DataFrame) -> pd.DataFrame:
    dummies = pd.get_dummies(data[["x", "sector"]], drop_first=True, dtype=float)
    return sm.add_constant(dummies, prepend=True)


@pytest.mark.parametrize("cov_type", ["HC2", "HC3"])
def test_a_row_alone_in_its_category_adds_nothing_to_the_other_errors(lonely, cov_type):
    fit = regress(lonely, y="y", x="x", controls=["sector"], cov_type=cov_type)
    # Reference: statsmodels without that row and its category, whose coefficient it alone
    # determines; every other estimate, residual and leverage is unchanged by dropping it.
    kept = lonely[lonely["sector"] != "alone"]
    reference = sm.OLS(kept["y"], _design(kept)).fit(cov_type=cov_type)
    row = fit.iloc[0]
    assert row["n"] == 31
    assert row["estimate"] == pytest.approx(reference.params["x"], rel=1e-10)
    low, high = reference.conf_int().loc["x"]
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), rel=1e-8)
    assert row["p_value"] == pytest.approx(reference.pvalues["x"], rel=1e-8)


def test_without_such_rows_hc3_is_statsmodels_own(lonely):
    data = lonely[lonely["sector"] != "alone"]
    fit = regress(data, y="y", x="x", controls=["sector"], cov_type="HC3")
    reference = sm.OLS(data["y"], _design(data)).fit(cov_type="HC3")
    assert fit["p_value"].iloc[0] == pytest.approx(reference.pvalues["x"], rel=1e-10)
