"""HC2/HC3 errors when a row has leverage one (the only member of a category)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from scrm_lab.models import regress


@pytest.fixture
def lonely() -> pd.DataFrame:
    """60 rows, three sectors, and one row alone in a fourth sector (leverage one)."""
    rng = np.random.default_rng(20261202)
    x = rng.normal(size=61)
    sector = np.array(["a", "b", "c"] * 20 + ["alone"])
    y = 1 + 0.5 * x + (sector == "b") * 0.3 + rng.normal(scale=1 + np.abs(x), size=61)
    return pd.DataFrame({"y": y, "x": x, "sector": sector})


@pytest.mark.parametrize("cov_type", ["HC2", "HC3"])
def test_a_row_alone_in_its_category_adds_nothing_to_the_other_errors(lonely, cov_type):
    fit = regress(lonely, y="y", x="x", controls=["sector"], cov_type=cov_type)
    # Reference: statsmodels without that row and its category, whose coefficient it alone
    # determines; every other estimate, residual and leverage is unchanged by dropping it.
    kept = lonely[lonely["sector"] != "alone"]
    design = sm.add_constant(
        pd.get_dummies(kept[["x", "sector"]], drop_first=True, dtype=float), prepend=True
    )
    reference = sm.OLS(kept["y"], design).fit(cov_type=cov_type)
    row = fit.iloc[0]
    assert row["n"] == 61
    assert row["estimate"] == pytest.approx(reference.params["x"], rel=1e-10)
    low, high = reference.conf_int().loc["x"]
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), rel=1e-8)
    assert row["p_value"] == pytest.approx(reference.pvalues["x"], rel=1e-8)


def test_without_such_rows_hc3_is_statsmodels_own(lonely):
    data = lonely[lonely["sector"] != "alone"]
    fit = regress(data, y="y", x="x", controls=["sector"], cov_type="HC3")
    design = sm.add_constant(
        pd.get_dummies(data[["x", "sector"]], drop_first=True, dtype=float), prepend=True
    )
    reference = sm.OLS(data["y"], design).fit(cov_type="HC3")
    assert fit["p_value"].iloc[0] == pytest.approx(reference.pvalues["x"], rel=1e-10)
