"""Hypothesis tests and estimates returning tidy result tables.

Every function takes a tidy table first and column names as keyword arguments, and returns a
new DataFrame in the shared result vocabulary: ``n``, ``estimate``, ``ci_low``, ``ci_high``,
``statistic``, ``p_value``, ``p_adjusted``, ``effect_size``, ``method`` (and ``term`` or
``model`` where a table has several rows). The computations are scipy's, statsmodels' and
linearmodels'; this module and its private parts are glue:

- correlation: :func:`correlate` (Pearson, Spearman, Kendall; analytic, bootstrap and
  permutation inference), :func:`verdict` (a plain-words sentence per result)
  (``_correlation.py``); :func:`adjust_pvalues` for many tests (``_multiple.py``);
  :func:`power_correlation`, :func:`power_two_groups` (power and minimum detectable
  effects, ``_power.py``);
- group comparisons: :func:`group_means`, :func:`group_difference`, :func:`composition_gap`,
  :func:`compare_groups` (Welch ANOVA / Kruskal-Wallis with post-hoc pairs)
  (``_groups.py``);
- regression with controls: :func:`regress`, :func:`regression_diagnostics`,
  :func:`partial_correlate` (``_regression.py``, the design in ``_design.py``);
- panels: :func:`panel_effects` (entity and time fixed effects), :func:`aggregate_panel`
  (``_panel.py``); :func:`lead_lag` (Granger-type tests both ways),
  :func:`lead_lag_summary` (``_lead_lag.py``).

Vocabulary
----------
Every statistical function of scrm_lab (here, in :mod:`scrm_lab.engagement`,
:mod:`scrm_lab.service`, :mod:`scrm_lab.network` and :mod:`scrm_lab.studies`) speaks it:

- ``alpha``: the significance level; intervals have confidence level 1 - ``alpha``
  (default 0.05). No function takes a level such as ``ci=0.95``.
- ``ci_method``: how an interval is computed (``correlate(ci_method="bootstrap")``).
- ``x`` and ``y``: the two columns of a relation (correlation, regression, panel);
  ``value`` and ``group``: the numeric column and the column of group labels of a group
  comparison (``group`` is always a column name).
- ``adjust``: a multiple-testing adjustment, one of :data:`ADJUST_METHODS` (statsmodels
  ``multipletests`` names, or ``"none"``) for every function that takes it.
- ``cov_type``: statsmodels' spellings, ``"cluster"`` for clustered standard errors.
- ``seed``: 0 by default wherever there is randomness.
- Result columns: ``n``, ``estimate``, ``ci_low``, ``ci_high``, ``statistic``, ``p_value``,
  ``p_adjusted``, ``effect_size``, ``method``; an effect table (rows with an estimate and
  its interval) ends with ``clear``: True when the interval excludes zero at the
  function's ``alpha`` (excludes 1 for a ratio, where the function says so).
- Sentence functions (:func:`verdict`) return a list of str, one sentence per row; they
  word p-values and intervals with :func:`p_text` and :func:`interval_text`, and
  :func:`bullet_list` turns sentences into Markdown bullets (``_wording.py``).

Old keyword names (``ci=0.95``, ``ci="bootstrap"``, ``outcome=``, ``cov_type="clustered"``)
keep working for one minor version with a FutureWarning that names the new one.

Examples
--------
>>> import pandas as pd
>>> data = pd.DataFrame({"group": ["a"] * 4 + ["b"] * 4, "y": [1, 2, 3, 4, 3, 4, 5, 6.0]})
>>> group_means(data, value="y", group="group")[["group", "n", "estimate"]]
  group  n  estimate
0     a  4       2.5
1     b  4       4.5
"""

from __future__ import annotations

from scrm_lab.models._correlation import (
    CI_METHODS,
    CORRELATION_METHODS,
    correlate,
    verdict,
)
from scrm_lab.models._groups import (
    COMPARE_METHODS,
    COV_TYPES,
    compare_groups,
    composition_gap,
    group_difference,
    group_means,
)
from scrm_lab.models._lead_lag import LEAD_LAG_COLUMNS, lead_lag, lead_lag_summary
from scrm_lab.models._multiple import adjust_pvalues
from scrm_lab.models._panel import (
    PANEL_COV_TYPES,
    PANEL_EFFECTS_COLUMNS,
    aggregate_panel,
    panel_effects,
)
from scrm_lab.models._power import power_correlation, power_two_groups
from scrm_lab.models._regression import (
    REGRESSION_COV_TYPES,
    partial_correlate,
    regress,
    regression_diagnostics,
)
from scrm_lab.models._vocabulary import ADJUST_METHODS
from scrm_lab.models._wording import bullet_list, interval_text, level_text, p_text

__all__ = [
    "ADJUST_METHODS",
    "CI_METHODS",
    "COMPARE_METHODS",
    "CORRELATION_METHODS",
    "COV_TYPES",
    "LEAD_LAG_COLUMNS",
    "PANEL_COV_TYPES",
    "PANEL_EFFECTS_COLUMNS",
    "REGRESSION_COV_TYPES",
    "adjust_pvalues",
    "aggregate_panel",
    "bullet_list",
    "compare_groups",
    "composition_gap",
    "correlate",
    "group_difference",
    "group_means",
    "interval_text",
    "lead_lag",
    "lead_lag_summary",
    "level_text",
    "p_text",
    "panel_effects",
    "partial_correlate",
    "power_correlation",
    "power_two_groups",
    "regress",
    "regression_diagnostics",
    "verdict",
]
