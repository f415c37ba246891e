"""ENGAGEMENTdb (2009) reproduction: steps, decisions and wording (studies.engagementdb_2009)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from scrm_lab.engagement import load_rubric
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.studies.engagementdb_2009 import (
    PUBLISHED_REVENUE_CHANGE,
    better_rule,
    key_results,
    real_verdict,
    reference_means,
    reproduce_2009,
    reproduction_sentences,
    rubric_table,
    rule_checks,
    rule_comparison,
    sector_mix,
    top_scores,
)


@pytest.fixture(scope="module")
def reproduction():
    return reproduce_2009()


def test_key_results_are_the_reports_figures(reproduction):
    results = key_results(reproduction)
    # the study published 11 scores (1 to 127), all reproduced by the rubric; the regression
    # rule passes every one of the 56 published checks, the mean rule 51
    assert results["scores_reproduced"] == 11
    assert results["checks_passed_regression"] == 56
    assert results["checks_passed_mean"] == 51
    data = reproduction.data
    means = data.groupby("profile")["sim_revenue_change_pct"].mean()
    # the simulation is built to give the published +18 and -6 under the regression rule
    assert means["Maven"] == pytest.approx(PUBLISHED_REVENUE_CHANGE["Maven"])
    assert means["Wallflower"] == pytest.approx(PUBLISHED_REVENUE_CHANGE["Wallflower"])
    assert results["raw_gap"] == pytest.approx(means["Maven"] - means["Wallflower"])
    # the adjusted gap is the Maven coefficient of an OLS over every brand with profile dummies
    # (Wallflower the reference), sector dummies and log size (statsmodels)
    fit = smf.ols(
        "sim_revenue_change_pct ~ C(profile, Treatment('Wallflower')) + C(sector) + log_size",
        data=data.assign(log_size=np.log(data["size"])),
    ).fit()
    maven = fit.params["C(profile, Treatment('Wallflower'))[T.Maven]"]
    assert results["adjusted_gap"] == pytest.approx(maven)
    assert results["share_explained"] == pytest.approx(1 - maven / results["raw_gap"])
    real = reproduction.facts[["brand", "profile"]].merge(
        reproduction.reconstruction.brands, on="brand"
    )
    real_means = real.groupby("profile")["brand_value_change_2009_pct"].mean()
    assert results["real_brand_value_gap"] == pytest.approx(
        real_means["Maven"] - real_means["Wallflower"]
    )


def test_rule_checks_count_the_published_checks(reproduction):
    table = rule_checks(reproduction.scores, reproduction.facts, breadth_cut=7)
    assert table.columns.tolist() == ["rule", "checks", "passed", "failed checks"]
    assert table["rule"].tolist() == ["mean", "regression"]
    assert table.loc[1, "failed checks"] == "none"
    assert table.loc[0, "failed checks"].count(";") == 4  # five failed checks under the mean rule


def test_better_rule_prefers_more_passed_checks_and_the_mean_on_a_tie():
    def table(mean, regression):
        return pd.DataFrame({"rule": ["mean", "regression"], "passed": [mean, regression]})

    assert better_rule(table(51, 56)) == "regression"
    assert better_rule(table(56, 56)) == "mean"  # boundary: a tie is not better
    assert better_rule(table(56, 51)) == "mean"


def test_real_verdict_reads_the_clear_column_and_the_sign():
    assert real_verdict(pd.Series({"estimate": 5.0, "clear": False})).startswith(
        "the interval includes zero"
    )
    assert "grew more" in real_verdict(pd.Series({"estimate": 5.0, "clear": True}))
    assert "grew less" in real_verdict(pd.Series({"estimate": -5.0, "clear": True}))


def test_small_tables(reproduction):
    rubric = load_rubric("engagementdb_2009")
    table = rubric_table(rubric)
    assert table["attribute"].tolist() == list(rubric.attributes)
    assert (table["levels"].str.startswith("0-")).all()
    top = top_scores(reproduction, n=3)
    assert top["rank"].tolist() == sorted(top["rank"])
    assert top["published_score"].iloc[0] == 127  # the study's top score
    mix = sector_mix(pd.DataFrame({"sector": ["a", "b", "b", "c"], "profile": list("xyxx")}))
    # hand-counted: b has 2 brands, a and c one each (crosstab order kept on the tie)
    assert mix.to_dict("list") == {"sector": ["b", "a", "c"], "x": [1, 1, 1], "y": [1, 0, 0]}
    with pytest.raises(SchemaError, match="profile"):
        sector_mix(pd.DataFrame({"sector": ["a"]}))
    comparison = rule_comparison(reproduction)
    assert int(comparison["brands"].sum()) == len(reproduction.scores)
    assert (comparison["brands"] > 0).all()
    assert reference_means("sim_revenue_change_pct") == {"Maven": 18.0, "Wallflower": -6.0}
    assert reference_means("sim_gross_margin_change_pts") is None


def test_sentences_carry_the_numbers(reproduction):
    (scores,) = reproduction_sentences(reproduction, "scores")
    assert scores.startswith("**11 of 11** published scores")
    (profiles,) = reproduction_sentences(reproduction, "profiles")
    counts = reproduction.profiles["profile"].value_counts()
    assert f"{counts['Maven']} Mavens" in profiles
    (gap,) = reproduction_sentences(reproduction, "gap")
    assert "Raw gap **+24.0** points" in gap and "19% of the raw gap" in gap
    summary = reproduction_sentences(reproduction, "summary")
    assert len(summary) == 5
    assert "better read as a line through score against channels" in summary[0]
    assert "no clear engagement premium" in summary[3]


def test_profile_wording_is_singular_for_one_brand(reproduction):
    one = reproduction.profiles.assign(profile=["Maven"] + ["Wallflower"] * 99)
    changed = dataclasses.replace(reproduction, profiles=one)
    (sentence,) = reproduction_sentences(changed, "profiles")
    assert sentence.endswith("1 Maven, 0 Butterflies, 0 Selectives, 99 Wallflowers.")


def test_refusals_name_the_function():
    with pytest.raises(ParameterError, match=r"'section' parameter of reproduction_sentences"):
        reproduction_sentences(None, "verdict")
    with pytest.raises(ParameterError, match=r"'breadth_cut' parameter of reproduce_2009"):
        reproduce_2009(breadth_cut=12)
    with pytest.raises(ParameterError, match=r"Did you mean"):
        reproduce_2009(profile_rule="regresion")
