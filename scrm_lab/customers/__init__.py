"""Customers: RFM and the customer-base models of traditional CRM, and customer value.

Inside: ``_summary`` (:func:`rfm_summary`: a transaction log to one row per customer),
``_rfm`` (:func:`rfm_scores`: classic RFM scores, cells and named segments), ``_tracking``
(:func:`tracking`: a cohort's expected and actual repeat purchases, period by period),
``_data`` (the customer summary as the models read it: checked, identical rows grouped),
``_mle`` (maximum likelihood over positive parameters, standard errors from the Hessian),
``_bgnbd`` (the BG/NBD model of Fader, Hardie and Lee 2005), ``_paretonbd`` (the Pareto/NBD
model of Schmittlein, Morrison and Colombo 1987) and ``_gammagamma`` (the Gamma-Gamma spend
model of Fader, Hardie and Lee 2005), ``_value`` (:func:`customer_lifetime_value`), ``_report``
(the customer value report's tables and sentences: notebooks/customer_value.ipynb).

Examples
--------
>>> from scrm_lab.customers import BGNBD
>>> BGNBD().summary()
Traceback (most recent call last):
...
scrm_lab.exceptions.ParameterError: This BGNBD is not fitted yet; call fit(summary) first.
"""

from __future__ import annotations

from scrm_lab.customers._bgnbd import BGNBD
from scrm_lab.customers._gammagamma import GammaGamma
from scrm_lab.customers._paretonbd import ParetoNBD
from scrm_lab.customers._report import (
    MODELS,
    PUBLISHED,
    alive_grid,
    assumption_sentences,
    data_sentences,
    default_calibration_end,
    fit_models,
    holdout_by_frequency,
    holdout_sentences,
    key_results,
    meaning_sentences,
    parameter_sentences,
    parameter_table,
    period_discount_rate,
    published_setup,
    segment_sentences,
    segment_table,
    split_dates,
    top_customers,
    tracking_sentences,
    transaction_log,
    value_concentration,
    value_sentences,
)
from scrm_lab.customers._rfm import SEGMENTS, rfm_scores
from scrm_lab.customers._summary import UNIT_NAMES, UNITS, rfm_summary
from scrm_lab.customers._tracking import tracking
from scrm_lab.customers._value import customer_lifetime_value

__all__ = [
    "BGNBD",
    "MODELS",
    "PUBLISHED",
    "SEGMENTS",
    "UNITS",
    "UNIT_NAMES",
    "GammaGamma",
    "ParetoNBD",
    "alive_grid",
    "assumption_sentences",
    "customer_lifetime_value",
    "data_sentences",
    "default_calibration_end",
    "fit_models",
    "holdout_by_frequency",
    "holdout_sentences",
    "key_results",
    "meaning_sentences",
    "parameter_sentences",
    "parameter_table",
    "period_discount_rate",
    "published_setup",
    "rfm_scores",
    "rfm_summary",
    "segment_sentences",
    "segment_table",
    "split_dates",
    "top_customers",
    "tracking",
    "tracking_sentences",
    "transaction_log",
    "value_concentration",
    "value_sentences",
]
