"""Data for the engagement-versus-revenue hypothesis, ready for :mod:`scrm_lab.models`.

The flagship report (``notebooks/engagement_vs_revenue.ipynb``) asks one question of several
sources: do units with more social engagement have more revenue (or a market outcome)? This
package turns each source into one tidy table with named roles, so the notebook only calls
models on it:

- ``"csm_movies_social_boxoffice"``: real cross-section, one row per film (YouTube trailer
  likes, views, comments, cast Twitter followers; US gross; budget, screens, genre, sequel);
- ``"stocknet_tweets_prices"``: real panel, one row per ticker and week for the most-tweeted
  tickers (tweets summed, trading volume and absolute daily return averaged);
- ``"simulated"``: :func:`scrm_lab.synth.simulate_brand_panel` with a stated true effect,
  as brand-level means (cross-section) or brand-quarters (panel), with the truth attached;
- a user's file (``path``), with a ``columns`` mapping from file columns to roles.

The parts: ``_data`` (the sources as :class:`HypothesisData`), ``_variables`` (parameters,
logs, model arguments, controlled estimates, partial correlations), ``_study`` (the steps,
the verdict, the truth table and the documented thresholds) and ``_sentences`` (the report's
wording, built with :mod:`scrm_lab.models`' ``p_text``, ``interval_text`` and
``bullet_list``).

Examples
--------
>>> from scrm_lab.studies.engagement_revenue import engagement_revenue_data
>>> movies = engagement_revenue_data()
>>> movies.design, movies.outcome, movies.engagement
('cross_section', 'gross_usd', ['likes', 'views', 'comments', 'cast_followers'])
>>> len(movies.data)
231
"""

from __future__ import annotations

from scrm_lab.studies.engagement_revenue._data import (  # the sources
    DESIGNS,
    MOVIE_DEFAULTS,
    ROLES,
    SOURCES,
    HypothesisData,
    engagement_revenue_data,
)
from scrm_lab.studies.engagement_revenue._sentences import first_rows, study_sentences
from scrm_lab.studies.engagement_revenue._study import (  # the steps and the verdict
    COEFFICIENT_NAMES,
    CONTROLLED_SHOWN,
    LEAD_LAG_MIN_PERIODS,
    POWER,
    VIF_LIMIT,
    EngagementRevenueStudy,
    entered_name,
    is_clear,
    key_results,
    panel_estimates,
    report_tables,
    run_study,
    study_verdict,
    truth_comparison,
)
from scrm_lab.studies.engagement_revenue._variables import (  # variables as models take them
    apply_parameters,
    controlled_estimates,
    log_columns,
    model_arguments,
    partial_correlations,
)

__all__ = [
    "COEFFICIENT_NAMES",
    "CONTROLLED_SHOWN",
    "DESIGNS",
    "LEAD_LAG_MIN_PERIODS",
    "MOVIE_DEFAULTS",
    "POWER",
    "ROLES",
    "SOURCES",
    "VIF_LIMIT",
    "EngagementRevenueStudy",
    "HypothesisData",
    "apply_parameters",
    "controlled_estimates",
    "engagement_revenue_data",
    "entered_name",
    "first_rows",
    "is_clear",
    "key_results",
    "log_columns",
    "model_arguments",
    "panel_estimates",
    "partial_correlations",
    "report_tables",
    "run_study",
    "study_sentences",
    "study_verdict",
    "truth_comparison",
]
