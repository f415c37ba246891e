"""scrm_lab.models: tidy estimates checked against scipy and statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.models import composition_gap, group_difference, group_means


@pytest.fixture
def panel() -> pd.DataFrame:
    rng = np.random.default_rng(20091)
    n = 300
    sector = rng.choice(["media", "tech", "finance"], size=n)
    size = np.exp(rng.normal(size=n))
    profile = np.where(rng.random(n) < 0.5 + 0.2 * (sector == "media"), "Maven", "Wallflower")
    y = (
        2.0 * (profile == "Maven")
        + 3.0 * (sector == "media")
        + 1.5 * np.log(size)
        + rng.normal(size=n)
    )
    return pd.DataFrame({"profile": profile, "sector": sector, "size": size, "y": y})


def test_group_means_match_scipy_t_intervals(panel):
    means = group_means(panel, value="y", group="profile", alpha=0.1)
    assert list(means.columns) == ["profile", "n", "estimate", "sd", "ci_low", "ci_high", "method"]
    for row in means.itertuples():
        values = panel.loc[panel["profile"] == row.profile, "y"]
        low, high = stats.t.interval(0.9, len(values) - 1, values.mean(), stats.sem(values))
        assert row.n == len(values)
        assert row.estimate == pytest.approx(values.mean(), rel=1e-12)
        assert (row.ci_low, row.ci_high) == pytest.approx((low, high), rel=1e-10)


def test_group_means_keeps_category_order_and_skips_missing():
    data = pd.DataFrame(
        {
            "g": pd.Categorical(["b", "a", "b", "a"], categories=["b", "a", "c"]),
            "v": [1.0, 2.0, np.nan, 4.0],
        }
    )
    means = group_means(data, value="v", group="g")
    assert means["g"].tolist() == ["b", "a"]
    assert means["n"].tolist() == [1, 2]
    assert means["ci_low"].isna().tolist() == [True, False]  # one value: no interval


def test_raw_gap_is_the_difference_of_means(panel):
    gap = group_difference(
        panel, value="y", group="profile", target="Maven", reference="Wallflower"
    )
    means = panel.groupby("profile")["y"].mean()
    assert len(gap) == 1
    assert gap.loc[0, "estimate"] == pytest.approx(means["Maven"] - means["Wallflower"])


def test_adjusted_gap_matches_statsmodels(panel):
    gap = group_difference(
        panel,
        value="y",
        group="profile",
        target="Maven",
        reference="Wallflower",
        controls=["sector"],
        log_controls=["size"],
    )
    X = pd.get_dummies(panel[["sector"]], drop_first=True, dtype=float)
    X["maven"] = (panel["profile"] == "Maven").astype(float)
    X["log_size"] = np.log(panel["size"])
    fit = sm.OLS(panel["y"], sm.add_constant(X)).fit(cov_type="HC3")
    adjusted = gap.set_index("model").loc["adjusted"]
    assert adjusted["estimate"] == pytest.approx(fit.params["maven"], rel=1e-10)
    low, high = fit.conf_int().loc["maven"]
    assert (adjusted["ci_low"], adjusted["ci_high"]) == pytest.approx((low, high), rel=1e-8)
    assert adjusted["p_value"] == pytest.approx(fit.pvalues["maven"], rel=1e-8)
    assert adjusted["controls"] == "sector, log(size)"
    raw = gap.set_index("model").loc["raw", "estimate"]
    assert adjusted["share_explained"] == pytest.approx(1 - adjusted["estimate"] / raw)
    assert adjusted["estimate"] == pytest.approx(2.0, abs=0.35)  # the true effect


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"value": "revenue"}, SchemaError, r"column 'revenue' is not in the data"),
        ({"value": "sector"}, SchemaError, r"column 'sector' has dtype .*; expected numbers"),
        ({"target": "Butterfly"}, ParameterError, r"'target' parameter .* Got 'Butterfly'"),
        ({"reference": "Maven"}, ParameterError, r"must differ. Got 'Maven' for both"),
        ({"cov_type": "HC4"}, ParameterError, r"'cov_type' .* Got 'HC4' instead. Did you mean"),
        ({"alpha": 95}, ParameterError, r"'alpha' parameter .* strictly between 0 and 1. Got 95"),
        ({"log_controls": ["y"]}, SchemaError, r"log control 'y' has values <= 0"),
    ],
)
def test_group_difference_errors(panel, kwargs, error, match):
    arguments = {
        "value": "y",
        "group": "profile",
        "target": "Maven",
        "reference": "Wallflower",
        **kwargs,
    }
    with pytest.raises(error, match=match):
        group_difference(panel, **arguments)


def test_group_means_errors(panel):
    with pytest.raises(ParameterError, match="'data' parameter of group_means must be a pandas"):
        group_means([1, 2], value="y", group="profile")
    with pytest.raises(SchemaError, match="has no values to average"):
        group_means(panel.assign(y=np.nan), value="y", group="profile")
    with pytest.raises(SchemaError, match=r"Did you mean 'profile'\?"):
        group_means(panel, value="y", group="profil")


def test_composition_gap_by_hand():
    data = pd.DataFrame(
        {
            "profile": ["M", "M", "M", "W", "W", "W"],
            "sector": ["tech", "tech", "bank", "bank", "bank", "tech"],
            "y": [10.0, 14.0, 2.0, 0.0, 4.0, 12.0],
        }
    )
    gap = composition_gap(
        data, value="y", group="profile", stratum="sector", target="M", reference="W"
    )
    # sector means: tech (10+14+12)/3 = 12, bank (2+0+4)/3 = 2
    observed = (26 / 3) - (16 / 3)
    composition = (12 + 12 + 2) / 3 - (2 + 2 + 12) / 3
    assert gap["estimate"].tolist() == pytest.approx(
        [observed, composition, observed - composition]
    )
    assert gap["share"].iloc[1] == pytest.approx(composition / observed)
    assert gap[["n_target", "n_reference"]].iloc[0].tolist() == [3, 3]


def test_composition_gap_unknown_group():
    data = pd.DataFrame({"g": ["a", "b"], "s": ["x", "x"], "y": [1.0, 2.0]})
    with pytest.raises(ParameterError, match=r"'target' parameter of composition_gap .* 'c'"):
        composition_gap(data, value="y", group="g", stratum="s", target="c", reference="b")
