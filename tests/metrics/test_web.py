"""Site traffic, repeat visits, conversion and the funnel: hand counts and statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from scrm_lab import metrics
from scrm_lab.datasets import load_dataset
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.metrics import FunnelStage, conversion_rate, funnel_summary, sales_funnel


@pytest.fixture(scope="module")
def sessions() -> pd.DataFrame:
    return load_dataset("online_shoppers_intention")


def tiny() -> pd.DataFrame:
    """Six sessions written out by hand."""
    return pd.DataFrame({
        "session_id": ["a", "b", "c", "d", "e", "f"],
        "visitor_type": ["new", "new", "returning", "returning", "returning", "other"],
        "month": ["Mar", "Mar", "Mar", "May", "May", "May"],
        "product_pages": [0, 1, 3, 2, 5, 1],
        "administrative_pages": [0, 0, 1, 0, 2, 1],
        "informational_pages": [0, 0, 0, 1, 0, 0],
        "purchased": [False, False, True, False, True, True],
    })  # fmt: skip


def test_conversion_rate_matches_the_published_counts_and_statsmodels(sessions):
    overall = conversion_rate(sessions).iloc[0]
    assert (overall["count"], overall["n"]) == (1_908, 12_330)  # Sakar et al.: 1,908 of 12,330
    low, high = proportion_confint(1_908, 12_330, alpha=0.05, method="wilson")
    assert overall["estimate"] == pytest.approx(1_908 / 12_330)
    assert (overall["ci_low"], overall["ci_high"]) == pytest.approx((low, high), rel=1e-12)
    assert overall["definition"] == "conversion_rate/1" and overall["denominator"] == "sessions"
    by_type = conversion_rate(sessions, by="visitor_type", alpha=0.1).set_index("visitor_type")
    # PROVENANCE.md: new 24.91% (422/1,694), returning 13.93% (1,470/10,551), other 16/85
    assert by_type.loc[["new", "returning", "other"], ["count", "n"]].values.tolist() == [
        [422, 1_694], [1_470, 10_551], [16, 85],
    ]  # fmt: skip
    low, high = proportion_confint(16, 85, alpha=0.1, method="wilson")
    assert (by_type.loc["other", "ci_low"], by_type.loc["other", "ci_high"]) == pytest.approx(
        (low, high), rel=1e-12
    )
    by_month = conversion_rate(sessions, by="month").set_index("month")
    assert by_month.index.tolist() == [
        "Feb", "Mar", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]  # calendar order, no empty Jan or Apr  # fmt: skip
    assert by_month.loc["Nov", ["count", "n"]].tolist() == [760, 2_998]
    assert by_month.loc["Feb", ["count", "n"]].tolist() == [3, 184]


def test_two_group_columns_and_hand_counts():
    table = conversion_rate(tiny(), by=["month", "visitor_type"])
    counts = {
        (m, v): (c, n) for m, v, c, n in table[["month", "visitor_type", "count", "n"]].values
    }
    assert counts == {("Mar", "new"): (0, 2), ("Mar", "returning"): (1, 1),
                      ("May", "other"): (1, 1), ("May", "returning"): (1, 2)}  # fmt: skip
    assert table.columns.tolist() == ["month", "visitor_type", *metrics.PROPORTION_COLUMNS]


def test_repeat_visits_and_site_traffic(sessions):
    repeat = metrics.repeat_visits(sessions).iloc[0]
    assert (repeat["count"], repeat["n"], repeat["metric"]) == (10_551, 12_330, "returning_share")
    by_month = metrics.repeat_visits(sessions, by="month").set_index("month")
    hand = (
        sessions.assign(r=sessions["visitor_type"].eq("returning"))
        .groupby("month", observed=True)["r"]
        .agg(["sum", "size"])
    )
    assert by_month["count"].to_dict() == hand["sum"].to_dict()
    assert by_month["n"].to_dict() == hand["size"].to_dict()
    small = tiny()
    small.loc[5, "visitor_type"] = None  # an unknown type leaves the denominator
    assert metrics.repeat_visits(small)[["count", "n"]].iloc[0].tolist() == [3, 5]
    traffic = metrics.site_traffic(sessions, by="month").set_index("month")
    assert traffic.loc["May", "count"] == 3_364 and traffic.loc["Oct", "count"] == 549
    assert traffic["n"].eq(12_330).all() and traffic["estimate"].sum() == pytest.approx(1.0)
    low, high = proportion_confint(549, 12_330, method="wilson")
    assert traffic.loc["Oct", "ci_low"] == pytest.approx(low, rel=1e-12)
    sources = metrics.site_traffic(sessions, by=["traffic_source"])["traffic_source"].tolist()
    assert sources[:3] == ["1", "2", "3"] and len(sources) == 20  # numeric order of the codes


def test_web_metrics_refuse_bad_data_naming_the_column_and_row():
    with pytest.raises(SchemaError, match=r"conversion_rate: column 'bought' is not in the data"):
        conversion_rate(tiny(), purchased="bought")
    with pytest.raises(SchemaError, match=r"column 'purchased' has dtype .*; expected true/false"):
        conversion_rate(tiny().assign(purchased=["yes"] * 6))
    missing = tiny().assign(purchased=pd.array([True, None, False, True, True, True], "boolean"))
    with pytest.raises(SchemaError, match=r"column 'purchased' is missing in row 2"):
        conversion_rate(missing)
    odd = tiny().assign(visitor_type=["new", "new", "loyal", "new", "new", "new"])
    with pytest.raises(
        SchemaError, match=r"'visitor_type' has the value 'loyal' in row 3; expected"
    ):
        metrics.repeat_visits(odd)
    with pytest.raises(SchemaError, match=r"column 'segment' is not in the data"):
        metrics.site_traffic(tiny(), by="segment")
    with pytest.raises(ParameterError, match=r"'alpha' parameter of conversion_rate must be"):
        conversion_rate(tiny(), alpha=2)


def test_funnel_by_hand_on_six_sessions():
    funnel = sales_funnel(tiny())
    step = funnel[funnel["metric"] == "funnel_step"].set_index("stage")
    # visited 6; product page: b c d e f (5); 2+ pages: c (4) d (3) e (7) f (2) -> 4;
    # account page among them: c e f -> 3; purchased among them: c e f -> 3
    assert step["count"].tolist() == [6, 5, 4, 3, 3]
    assert step["n"].tolist() == [6, 6, 5, 4, 3]
    assert step["met"].tolist() == [6, 5, 4, 3, 3] and step["skipped"].eq(0).all()
    start = funnel[funnel["metric"] == "funnel_from_start"]
    assert start["n"].eq(6).all()
    low, high = proportion_confint(3, 4, method="wilson")
    assert (step.loc["viewed an account page", "ci_low"], step.loc["viewed an account page",
            "ci_high"]) == pytest.approx((low, high), rel=1e-12)  # fmt: skip
    summary = funnel_summary(funnel)
    assert summary["drop_off"].tolist() == [0, 1, 1, 1, 0]
    # the step rates multiply to the share of entries reaching the last stage
    assert np.prod(summary["step_rate"]) == pytest.approx(summary["from_start"].iloc[-1])


def test_funnel_counts_skips_and_custom_stages():
    small = tiny()
    small.loc[1, "purchased"] = True  # b bought with one page and no account page
    stages = [{"name": "entry"}, {"name": "account", "columns": "administrative_pages"},
              {"name": "bought", "columns": ["purchased"]}]  # fmt: skip
    funnel = sales_funnel(small, stages=stages, by="month")
    step = funnel[funnel["metric"] == "funnel_step"].set_index(["month", "stage"])
    assert step.loc[("Mar", "bought"), ["count", "n", "met", "skipped"]].tolist() == [1, 1, 2, 1]
    assert step.loc[("May", "account"), ["count", "n"]].tolist() == [2, 3]
    deep = sales_funnel(
        small, stages=[FunnelStage("all"), FunnelStage("3+", ("product_pages",), 3)]
    )
    assert deep.loc[deep["metric"] == "funnel_step", "count"].tolist() == [6, 2]


def test_funnel_on_the_shipped_sessions_matches_pandas(sessions):
    pages = sessions[["administrative_pages", "informational_pages", "product_pages"]].sum(axis=1)
    reached = [
        pd.Series(True, index=sessions.index),
        sessions["product_pages"] >= 1,
        pages >= 2,
        sessions["administrative_pages"] >= 1,
        sessions["purchased"],
    ]
    closed = np.logical_and.accumulate(np.column_stack(reached), axis=1).sum(axis=0)
    summary = funnel_summary(sales_funnel(sessions))
    assert summary["sessions"].tolist() == closed.tolist()
    assert summary["skipped"].iloc[-1] == 1_908 - closed[-1]  # buyers who skipped a stage
    by_type = funnel_summary(sales_funnel(sessions, by="visitor_type"))
    assert by_type.groupby("visitor_type", observed=True)["sessions"].first().to_dict() == {
        "new": 1_694, "returning": 10_551, "other": 85,
    }  # fmt: skip


def test_funnel_refusals_name_the_stage():
    with pytest.raises(
        ParameterError,
        match=r"'stages' parameter of sales_funnel must be stages "
        r"with only the keys .* Got 'colums' in stage 2 instead",
    ):
        sales_funnel(tiny(), stages=[{"name": "a"}, {"name": "b", "colums": ["x"]}])
    with pytest.raises(ParameterError, match=r"stages with distinct names\. Got 'a' twice"):
        sales_funnel(tiny(), stages=[{"name": "a"}, {"name": "a"}])
    with pytest.raises(ParameterError, match=r"whose at_least is a number\. Got '2' in stage 1"):
        sales_funnel(tiny(), stages=[{"name": "a", "columns": "product_pages", "at_least": "2"}])
    with pytest.raises(SchemaError, match=r"column 'basket_pages' is not in the data"):
        sales_funnel(tiny(), stages=[FunnelStage("basket", ("basket_pages",))])
    with pytest.raises(SchemaError, match=r"stage 'by month': column 'month' has dtype"):
        sales_funnel(tiny(), stages=[FunnelStage("by month", ("month",))])
    with pytest.raises(SchemaError, match=r"not a sales_funnel result"):
        funnel_summary(sales_funnel(tiny()).query("metric == 'funnel_step'"))
