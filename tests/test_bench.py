"""The method benchmark: tables, reproducibility, the method wrappers and the error paths."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from scrm_lab import bench, models
from scrm_lab.bench import (
    METHODS,
    REPLICATION_COLUMNS,
    SCENARIOS,
    SUMMARY_COLUMNS,
    Scenario,
    benchmark_conclusions,
    plot_benchmark,
    run_benchmark,
    wilson_interval,
)
from scrm_lab.exceptions import ParameterError
from scrm_lab.synth import simulate_brand_panel

SMALL = [
    Scenario("null", 0.0, 1.0, 0.0, 40, 6, "tiny null"),
    Scenario("huge", 0.05, 1.0, 0.0, 60, 6, "a huge effect"),
]


@pytest.fixture(scope="module")
def tiny():
    return run_benchmark(scenarios=SMALL, replications=4, workers=1, seed=3)


def test_tables_have_the_documented_columns_and_rows(tiny):
    assert list(tiny.replications.columns) == list(REPLICATION_COLUMNS)
    assert list(tiny.summary.columns) == list(SUMMARY_COLUMNS)
    assert len(tiny.replications) == 2 * 4 * len(METHODS)
    assert len(tiny.summary) == 2 * len(METHODS)
    assert tiny.summary["failed"].eq(0).all() and tiny.summary["failures"].eq("").all()
    assert tiny.summary["replications"].eq(4).all()
    measure = tiny.summary.set_index("scenario")["measure"]
    assert set(measure["null"]) == {"type I error"} and set(measure["huge"]) == {"power"}


def test_bias_and_coverage_only_on_the_effect_scale(tiny):
    summary = tiny.summary
    scale = summary["effect_scale"]
    assert set(summary.loc[scale, "method"]) == {"regression_controls", "fixed_effects_panel"}
    for column in ("coverage", "bias", "rmse"):
        assert summary.loc[~scale, column].isna().all()
        assert summary.loc[scale, column].notna().all()
    reps = tiny.replications
    assert reps.loc[~reps["effect_scale"], "covered"].isna().all()
    assert reps["reject"].eq(reps["p_value"] < 0.05).all()


def test_summary_matches_the_replications(tiny):
    reps = tiny.replications
    part = reps[(reps["scenario"] == "huge") & (reps["method"] == "fixed_effects_panel")]
    row = tiny.summary.query("scenario == 'huge' and method == 'fixed_effects_panel'").iloc[0]
    assert row["rejection_rate"] == part["reject"].mean()
    assert row["bias"] == pytest.approx(part["estimate"].mean() - 0.05)
    assert row["rmse"] == pytest.approx(np.sqrt(((part["estimate"] - 0.05) ** 2).mean()))
    assert row["coverage"] == part["covered"].mean()


def test_huge_effect_is_detected_by_the_controlled_methods(tiny):
    summary = tiny.summary.set_index(["scenario", "method"])
    for method in ("partial_correlation", "regression_controls", "fixed_effects_panel",
                   "lead_lag"):  # fmt: skip
        assert summary.loc[("huge", method), "rejection_rate"] == 1.0


def test_same_table_for_any_number_of_workers(tiny):
    again = run_benchmark(scenarios=SMALL, replications=4, workers=2, seed=3)
    pd.testing.assert_frame_equal(again.replications, tiny.replications)
    pd.testing.assert_frame_equal(again.summary, tiny.summary)


def test_seed_changes_the_numbers_and_subsets_keep_them(tiny):
    other = run_benchmark(scenarios=SMALL[:1], methods=["lead_lag"], replications=4, workers=1)
    assert not np.allclose(other.replications["estimate"], tiny.replications.query(
        "scenario == 'null' and method == 'lead_lag'")["estimate"])  # fmt: skip
    subset = run_benchmark(scenarios=SMALL[1:], methods=["lead_lag"], replications=4,
                           workers=1, seed=3)  # fmt: skip
    expected = tiny.replications.query("scenario == 'huge' and method == 'lead_lag'")
    pd.testing.assert_frame_equal(subset.replications, expected.reset_index(drop=True))


def test_wilson_interval_equals_statsmodels():
    k, n = np.array([0, 3, 10, 50, 200]), np.array([20, 20, 200, 200, 200])
    low, high = wilson_interval(k, n, alpha=0.1)
    ref_low, ref_high = proportion_confint(k, n, alpha=0.1, method="wilson")
    np.testing.assert_allclose(low, ref_low, atol=1e-12)
    np.testing.assert_allclose(high, ref_high, atol=1e-12)


def test_wilson_interval_old_level_keyword_warns_and_agrees():
    k, n = np.array([0, 3, 50]), np.array([20, 20, 200])
    with pytest.warns(FutureWarning, match=r"'level' parameter of wilson_interval .* Use alpha="):
        low, high = wilson_interval(k, n, level=0.9)
    ref_low, ref_high = proportion_confint(k, n, alpha=0.1, method="wilson")
    np.testing.assert_allclose(low, ref_low, atol=1e-12)
    np.testing.assert_allclose(high, ref_high, atol=1e-12)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"alpha": 1.5}, r"'alpha' parameter of wilson_interval must be a number strictly between"),
    ({"level": 95}, r"'level' parameter of wilson_interval must be a number strictly between"),
])  # fmt: skip
def test_wilson_interval_refuses_a_bad_level(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        wilson_interval(3, 20, **kwargs)


@pytest.fixture(scope="module")
def panel():
    return simulate_brand_panel(n_brands=50, n_periods=6, effect=0.01, confounding=1.0,
                                reverse=0.3, seed=11)  # fmt: skip


def _values(frame: pd.DataFrame, row: int = 0) -> list[float]:
    return frame.loc[row, ["estimate", "ci_low", "ci_high", "p_value"]].astype(float).tolist()


def _method(panel, name: str) -> list[float]:
    out = METHODS[name].function(panel, 0.05)
    return [out["estimate"], out["ci_low"], out["ci_high"], out["p_value"]]


def test_regression_controls_equals_regress(panel):
    cs = bench._methods.cross_section(panel)
    ref = models.regress(cs, y="growth", x="engagement", controls=["size", "sector"],
                         log=["size"])  # fmt: skip
    np.testing.assert_allclose(_method(panel, "regression_controls"), _values(ref), rtol=1e-9)


def test_fixed_effects_panel_equals_panel_effects(panel):
    # the benchmark's fast two-way within estimator with CR1 errors and a t(G - 1) reference
    # is panel_effects' default (entity and time effects, errors clustered by entity)
    ref = models.panel_effects(panel.latent, y="growth", x="engagement_index_lag")
    row = ref.loc[0, ["estimate", "ci_low", "ci_high", "p_value"]].to_numpy(dtype=float)
    np.testing.assert_allclose(_method(panel, "fixed_effects_panel"), row, rtol=1e-9)


def test_lead_lag_equals_the_pooled_row_of_lead_lag(panel):
    ref = models.lead_lag(panel.latent, x="engagement_index", y="growth", lags=1,
                          min_periods=3)  # fmt: skip
    assert ref.loc[0, "direction"] == "engagement_index -> growth"
    np.testing.assert_allclose(_method(panel, "lead_lag"), _values(ref), rtol=1e-9)


def test_correlation_methods_equal_the_models_functions(panel):
    cs = bench._methods.cross_section(panel)
    raw = models.correlate(cs, x="engagement", y="growth", method="spearman")
    assert _method(panel, "raw_correlation") == pytest.approx(_values(raw))
    partial = models.partial_correlate(cs, x="engagement", y="growth",
                                       controls=["size", "sector"], log=["size"])  # fmt: skip
    assert _method(panel, "partial_correlation") == pytest.approx(_values(partial))


def test_group_means_is_the_welch_test_of_the_quartile_gap(panel):
    cs = bench._methods.cross_section(panel)
    low, high = cs["engagement"].quantile([0.25, 0.75])
    top = cs.loc[cs["engagement"] >= high, "growth"]
    bottom = cs.loc[cs["engagement"] <= low, "growth"]
    welch = stats.ttest_ind(top, bottom, equal_var=False)
    estimate, _, _, p_value = _method(panel, "group_means_2009")
    assert p_value == pytest.approx(welch.pvalue)
    cs["group"] = np.where(cs["engagement"] >= high, "top",
                           np.where(cs["engagement"] <= low, "bottom", "middle"))  # fmt: skip
    gap = models.group_difference(cs[cs["group"] != "middle"], value="growth", group="group",
                                  target="top", reference="bottom")  # fmt: skip
    assert estimate == pytest.approx(gap.loc[0, "estimate"])


def test_default_scenarios():
    table = bench.scenario_table()
    assert len(SCENARIOS) == 24 and sorted(table["n_brands"].unique()) == [30, 100, 300, 1000]
    nulls = table[table["effect"] == 0]
    assert set(nulls["name"]) == {"null", "confounded_null", "reverse"}
    assert (table.loc[table["name"] == "reverse", "reverse"] > 0).all()
    assert table["description"].str.len().gt(0).all()


def test_failed_replications_are_counted_with_their_reason(monkeypatch):
    def broken(panel, alpha):
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setitem(METHODS, "lead_lag", bench.Method("lead_lag", False, "x", broken))
    res = run_benchmark(scenarios=SMALL[:1], methods=["lead_lag", "raw_correlation"],
                        replications=2, workers=1)  # fmt: skip
    row = res.summary.set_index("method").loc["lead_lag"]
    assert (row["failed"], row["replications"]) == (2, 0)
    assert row["failures"] == "LinAlgError: Singular matrix"
    assert np.isnan(row["rejection_rate"])
    assert res.summary.set_index("method").loc["raw_correlation", "failed"] == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"scenarios": ["confounded_nul"]},
            r"'scenarios'.*'confounded_nul'.*Did you mean "
            r"'confounded_null'",
        ),
        ({"methods": ["lead-lag"]}, r"'methods'.*'lead-lag'.*Did you mean 'lead_lag'"),
        ({"methods": []}, r"'methods' parameter .* must be a non-empty list"),
        ({"replications": 0}, r"'replications' parameter .* an integer >= 1\. Got 0"),
        ({"workers": 0}, r"'workers' parameter .* an integer >= 1 or None\. Got 0"),
        ({"seed": -1}, r"'seed' parameter .* an integer >= 0\. Got -1"),
        ({"alpha": 1.5}, r"'alpha' parameter .* strictly between 0 and 1\. Got 1\.5"),
        ({"progress": "yes"}, r"'progress' parameter .* True or False"),
        (
            {"scenarios": [SMALL[0], Scenario("null", 0.1, 0, 0, 40, 6, "")]},
            r"distinct \(name, n_brands, n_periods\)",
        ),
    ],
)
def test_bad_parameters(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        run_benchmark(**({"replications": 1, "workers": 1} | kwargs))


def test_plot_benchmark(tiny):
    import matplotlib.pyplot as plt

    fig = plot_benchmark(tiny.summary)
    assert [ax.get_title() for ax in fig.axes if ax.get_visible()] == [
        "null: type I error", "huge: power"]  # fmt: skip
    assert len(fig.axes[0].get_lines()) == len(METHODS) + 1  # methods and the alpha line
    cover = plot_benchmark(tiny.summary, measure="coverage")
    assert len(cover.axes[0].get_lines()) == 3  # two effect-scale methods and the 0.95 line

    def colours(figure):
        return {line.get_label(): line.get_color() for line in figure.axes[0].get_lines()}

    shared = set(colours(cover)) & set(tiny.summary["method"])
    assert {m: colours(fig)[m] for m in shared} == {m: colours(cover)[m] for m in shared}
    assert len(shared) == 2 and fig.axes[0].get_xticklabels(minor=True) == []
    plt.close("all")
    with pytest.raises(ParameterError, match=r"'measure' .* Got 'power'"):
        plot_benchmark(tiny.summary, measure="power")


def test_make_scenarios_sizes_and_errors():
    made = bench.make_scenarios(n_brands=[50, 20], n_periods=4)
    assert [(s.name, s.n_brands, s.n_periods) for s in made[:3]] == [
        ("null", 50, 4),
        ("null", 20, 4),
        ("confounded_null", 50, 4),
    ]
    assert bench.make_scenarios() == SCENARIOS
    with pytest.raises(ParameterError, match=r"'n_brands' parameter of make_scenarios .* >= 8"):
        bench.make_scenarios(n_brands=[30, 5])
    with pytest.raises(ParameterError, match=r"'n_brands' .* non-empty list .* Got '30'"):
        bench.make_scenarios(n_brands="30")
    with pytest.raises(ParameterError, match=r"'n_periods' parameter .* >= 3\. Got 2"):
        bench.make_scenarios(n_periods=2)


def _summary_row(scenario, n, method, rate, low, high, effect=0.0, coverage=np.nan):
    scale = method in ("regression_controls", "fixed_effects_panel")
    return {"scenario": scenario, "n_brands": n, "n_periods": 8, "true_effect": effect,
            "method": method, "effect_scale": scale,
            "measure": "power" if effect else "type I error", "replications": 100,
            "failed": 0, "rejection_rate": rate, "rejection_ci_low": low,
            "rejection_ci_high": high, "coverage": coverage if scale else np.nan,
            "bias": 0.001 if scale else np.nan, "rmse": 0.01 if scale else np.nan,
            "mean_estimate": 0.0, "failures": ""}  # fmt: skip


def test_benchmark_conclusions_read_the_numbers():
    rows = [
        _summary_row("confounded_null", 30, "group_means_2009", 0.62, 0.55, 0.70),
        _summary_row("confounded_null", 1000, "group_means_2009", 1.0, 0.98, 1.0),
        _summary_row("confounded_null", 30, "fixed_effects_panel", 0.07, 0.04, 0.1, 0, 0.93),
        _summary_row("confounded_null", 1000, "fixed_effects_panel", 0.05, 0.03, 0.08, 0, 0.95),
        _summary_row("confounded_null", 30, "lead_lag", 0.0, 0.0, 0.03),
        _summary_row("confounded_null", 1000, "lead_lag", 0.05, 0.03, 0.08),
        _summary_row("effect_large", 30, "fixed_effects_panel", 0.5, 0.4, 0.6, 0.01, 0.96),
        _summary_row("effect_large", 1000, "fixed_effects_panel", 0.9, 0.85, 0.95, 0.01, 0.94),
    ]
    text = benchmark_conclusions(pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS)))
    assert text[0].startswith("Under confounding (no true effect; 30, 1000 brands), "
                              "**group_means_2009** rejects the true null in 62% at 30, "
                              "100% at 1000 brands")  # fmt: skip
    assert "reaching the band): **fixed_effects_panel** (5%-7%)" in text[1]
    assert "Clearly above 6% at some size: **group_means_2009** (62%-100%)" in text[1]
    assert "Clearly below 4% (conservative): **lead_lag** (0%-5%)" in text[1]
    assert "**fixed_effects_panel** (target 95%, acceptable 93%-97%) outside reverse " \
           "causality: 93% to 96%" in text[2]  # fmt: skip
    assert text[3] == (
        "Power of **fixed_effects_panel**: effect 0.01: 50% at 30, 90% at 1000 (80% power "
        "from 1000 brands)."
    )
