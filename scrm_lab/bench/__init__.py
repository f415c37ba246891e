r"""Method benchmark on simulated brand panels: type I error, power, CI coverage and bias.

Every scenario (:data:`SCENARIOS`) fixes the parameters of
:func:`scrm_lab.synth.simulate_brand_panel` (true effect, confounding by size and sector,
reverse causality, brands, periods); every method (:data:`METHODS`) turns one simulated
panel into one estimate with a confidence interval and a p-value. :func:`run_benchmark`
simulates many replications of each scenario, applies every method to each, and summarises
how often each method rejects "no effect" (type I error when the true effect is 0, power
otherwise), how often its interval covers the true effect, and its bias and RMSE.

The methods, from the 2009 ENGAGEMENTdb design to designs that respect timing and controls:

- ``raw_correlation``: brand-level cross-section (mean growth over the periods against the
  mean lagged engagement index), Spearman's rho (:func:`scrm_lab.models.correlate`). Tests
  "no association"; rho is not on the effect's scale, so bias and coverage do not apply.
- ``group_means_2009``: the 2009 comparison: brands in the top quartile of mean engagement
  against the bottom quartile, difference in mean growth, Welch t-test (scipy
  ``ttest_ind(equal_var=False)``; the difference equals the raw gap of
  :func:`scrm_lab.models.group_difference`). A gap between groups is not on the effect's
  scale.
- ``partial_correlation``: the same cross-section, Pearson correlation once log size and
  sector are taken out of both (:func:`scrm_lab.models.partial_correlate`). Not on the
  effect's scale.
- ``regression_controls``: cross-section OLS of mean growth on mean lagged engagement, log
  size and sector dummies with HC3 standard errors; the coefficient is on the effect's scale
  (the same estimator as :func:`scrm_lab.models.regress`, fitted with statsmodels directly
  because the formula machinery costs 40 times the fit).
- ``fixed_effects_panel``: growth on the lagged engagement index with brand and period fixed
  effects: :func:`scrm_lab.models.panel_effects` with ``x="engagement_index_lag"``,
  computed here by the two-way within transformation of the balanced panel because it runs
  thousands of times (a test checks that both give the same estimate, interval and
  p-value). It uses within-brand variation only, so anything constant per brand
  (size, sector, the engagement level) cannot confound it; its coefficient estimates
  ``truth["effect"]``. Standard errors are clustered by brand with the CR1 correction of
  Stata's ``xtreg, fe vce(cluster)`` (G / (G - 1) x (N - 1) / (N - K), K counting the
  slope, the constant and the period effects, not the brand effects nested in the clusters)
  and a t reference with G - 1 degrees of freedom (Cameron and Miller 2015), as
  ``panel_effects`` does by default.
- ``lead_lag``: the pooled ``engagement_index -> growth`` Granger-type test of
  :func:`scrm_lab.models.lead_lag` with one lag: growth on its own lag and the lagged index,
  brand fixed effects, standard errors clustered by brand, F(1, G - 1) reference (computed by
  the within transformation directly; the per-brand tests and ADF checks of ``lead_lag``
  are skipped). Rejection reads "engagement leads growth"; the coefficient is conditional on
  lagged growth, so bias and coverage are not reported.

The parts: scenarios in ``_scenarios.py``, methods in ``_methods.py``, running and the
Wilson interval in ``_run.py``, sentences and figures in ``_report.py``.

Reproducibility: replication ``i`` of a scenario is simulated with the seed
``SeedSequence([seed, key, i]).generate_state(1)[0]``, ``key`` being the CRC-32 of
``"<scenario name>/<n_brands>/<n_periods>"``; the table is the same for any number of
workers and for any subset of scenarios and methods.

Examples
--------
>>> result = run_benchmark(scenarios=["null"], methods=["raw_correlation"], replications=2,
...                        workers=1)
>>> result.summary[["scenario", "n_brands", "method", "measure", "replications"]].head(2)
  scenario  n_brands           method        measure  replications
0     null        30  raw_correlation  type I error             2
1     null       100  raw_correlation  type I error             2
"""

from __future__ import annotations

from scrm_lab.bench._methods import METHODS, Method, method_table
from scrm_lab.bench._report import benchmark_conclusions, plot_benchmark
from scrm_lab.bench._run import (
    REPLICATION_COLUMNS,
    SUMMARY_COLUMNS,
    BenchmarkResult,
    run_benchmark,
    wilson_interval,
)
from scrm_lab.bench._scenarios import SCENARIOS, Scenario, make_scenarios, scenario_table

__all__ = [
    "METHODS",
    "REPLICATION_COLUMNS",
    "SCENARIOS",
    "SUMMARY_COLUMNS",
    "BenchmarkResult",
    "Method",
    "Scenario",
    "benchmark_conclusions",
    "make_scenarios",
    "method_table",
    "plot_benchmark",
    "run_benchmark",
    "scenario_table",
    "wilson_interval",
]
