"""The CDNOW tracking test (weeks 1-78): actual counts from the log, expectations checked
against a simulation of the model (independent of the closed form)."""

from __future__ import annotations

import numpy as np
import pytest

from scrm_lab.customers import BGNBD, tracking
from scrm_lab.datasets import load_tables
from scrm_lab.exceptions import ParameterError


@pytest.fixture(scope="module")
def cdnow():
    tables = load_tables("cdnow")
    summary = tables["calibration_summary"].rename(columns={"age": "T"})
    log = tables["transactions"]
    return summary, log[log["customer_id"].isin(summary["customer_id"])]


@pytest.fixture(scope="module")
def table(cdnow):
    summary, log = cdnow
    return tracking(BGNBD().fit(summary), log, start="1997-01-01", calibration_end="1997-09-30",
                    observation_end="1998-06-30")  # fmt: skip


def test_actual_counts_come_from_the_log_and_match_the_published_summary(cdnow, table):
    summary, _ = cdnow
    assert len(table) == 78 and (table["part"] == "calibration").sum() == 39
    at_cut = table.loc[table["part"] == "calibration", "cumulative_actual"].iloc[-1]
    assert at_cut == summary["frequency"].sum() == 2457  # repeat purchases in weeks 1-39
    assert (table["cumulative_actual"].diff().fillna(table["actual"]) == table["actual"]).all()


def test_expected_purchases_of_a_new_customer_against_a_simulation(cdnow):
    summary, _ = cdnow
    model = BGNBD().fit(summary)
    r, alpha, a, b = model.params_.values()
    rng = np.random.default_rng(7)
    n, horizon = 200_000, 39.0
    rate = rng.gamma(r, 1 / alpha, n)
    dropout = rng.beta(a, b, n)
    counts = np.zeros(n)
    clock = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    while (
        alive.any()
    ):  # each purchase: wait Exp(rate); buy if within the horizon; then drop out w.p. p
        clock[alive] += rng.exponential(1 / rate[alive])
        bought = alive & (clock <= horizon)
        counts[bought] += 1
        alive = bought & (rng.random(n) >= dropout)
    expected = model.expected_purchases_new(horizon)
    assert counts.mean() == pytest.approx(expected, rel=0.02)


def test_dates_out_of_order_are_refused(cdnow):
    summary, log = cdnow
    with pytest.raises(ParameterError, match=r"start < calibration_end <= observation_end"):
        tracking(BGNBD().fit(summary), log, start="1998-01-01", calibration_end="1997-09-30",
                 observation_end="1998-06-30")  # fmt: skip
