"""The web metrics give the same table on pandas, DuckDB and Spark.

Site traffic, repeat visits, conversion and the sales funnel count sessions on the backend
the table lives on; the results must match the pandas ones exactly (the counts are whole
numbers, the intervals are computed from them in pandas). The inputs are the shipped
sessions and a table simulated here with a seed, with groups of very different sizes and
groups without a single purchase.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scrm_lab.datasets import load_dataset
from scrm_lab.exceptions import SchemaError
from scrm_lab.metrics import (
    FunnelStage,
    conversion_rate,
    follower_growth,
    follower_quality,
    funnel_summary,
    repeat_visits,
    sales_funnel,
    site_traffic,
)
from scrm_lab.schema import MONTHS, VISITOR_TYPES

BYS = [None, "visitor_type", ["month", "traffic_source"]]
CUSTOM = [
    {"name": "entry"},
    {"name": "read about us", "columns": "informational_pages"},
    FunnelStage("3+ product pages", ("product_pages",), 3),
    {"name": "bought", "columns": ["purchased"]},
]


def same(result: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(result, expected, check_exact=False, rtol=1e-12, atol=1e-12)


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return load_dataset("online_shoppers_intention")


@pytest.fixture(scope="module")
def simulated() -> pd.DataFrame:
    """3,000 sessions drawn with a seed: uneven months and sources, no buyer among 'other'."""
    rng = np.random.default_rng(20261205)
    n = 3_000
    months = rng.choice(["Mar", "May", "Nov", "Dec"], n, p=[0.05, 0.25, 0.4, 0.3])
    sources = rng.choice(["1", "2", "3", "10", "11"], n, p=[0.5, 0.3, 0.15, 0.04, 0.01])
    visitors = rng.choice(list(VISITOR_TYPES), n, p=[0.3, 0.68, 0.02])
    product = pd.array(rng.poisson(3, n), dtype="Int64")
    product[rng.random(n) < 0.02] = pd.NA  # a page count the export lost
    bought = (rng.random(n) < 0.15) & (visitors != "other") & (sources != "11")
    return pd.DataFrame(
        {
            "session_id": [f"s{i:05d}" for i in range(n)],
            "purchased": bought,
            "month": pd.Categorical(months, categories=list(MONTHS)),
            "traffic_source": pd.Categorical(sources, categories=["1", "2", "3", "10", "11"]),
            "visitor_type": pd.Categorical(visitors, categories=list(VISITOR_TYPES)),
            "device": rng.choice(["desktop", "mobile", "tablet"], n),
            "weekend": rng.random(n) < 0.25,
            "administrative_pages": pd.array(rng.poisson(1, n), dtype="Int64"),
            "informational_pages": pd.array(rng.poisson(0.5, n), dtype="Int64"),
            "product_pages": product,
        }
    )


@pytest.fixture(params=["shipped", "simulated"])
def sessions(request) -> pd.DataFrame:
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("by", BYS)
def test_conversion_rate_and_repeat_visits(sessions, by, backend, on_backend):
    data = on_backend(sessions, backend)
    same(conversion_rate(data, by=by), conversion_rate(sessions, by=by))
    same(repeat_visits(data, by=by), repeat_visits(sessions, by=by))


@pytest.mark.parametrize("by", ["month", "visitor_type", ["month", "traffic_source"]])
def test_site_traffic(sessions, by, backend, on_backend):
    same(site_traffic(on_backend(sessions, backend), by=by), site_traffic(sessions, by=by))


@pytest.mark.parametrize("by", BYS)
@pytest.mark.parametrize("stages", [None, CUSTOM], ids=["default", "custom"])
def test_sales_funnel(sessions, stages, by, backend, on_backend):
    expected = sales_funnel(sessions, stages=stages, by=by)
    result = sales_funnel(on_backend(sessions, backend), stages=stages, by=by)
    same(result, expected)
    same(funnel_summary(result), funnel_summary(expected))


@pytest.mark.parametrize("by", ["weekend", "device", ["device", "month"]])
def test_boolean_and_text_groups(simulated, by, backend, on_backend):
    data = on_backend(simulated, backend)
    same(conversion_rate(data, by=by), conversion_rate(simulated, by=by))
    same(sales_funnel(data, by=by), sales_funnel(simulated, by=by))


def test_counts_by_hand_with_empty_groups(simulated, backend, on_backend):
    """Counts from a plain pandas groupby; 'other' visitors and source 11 never bought."""
    table = conversion_rate(on_backend(simulated, backend), by=["month", "traffic_source"])
    hand = (
        simulated.assign(month=simulated["month"].astype(str))
        .assign(traffic_source=simulated["traffic_source"].astype(str))
        .groupby(["month", "traffic_source"])["purchased"]
        .agg(["sum", "size"])
    )
    keys = list(zip(table["month"].astype(str), table["traffic_source"].astype(str), strict=True))
    assert sorted(keys) == sorted(hand.index)
    assert table["count"].tolist() == [int(hand.loc[k, "sum"]) for k in keys]
    assert table["n"].tolist() == [int(hand.loc[k, "size"]) for k in keys]
    assert table["month"].astype(str).unique().tolist() == ["Mar", "May", "Nov", "Dec"]
    sources = table.loc[table["month"] == "Nov", "traffic_source"].astype(str).tolist()
    assert sources == ["1", "2", "3", "10", "11"]  # codes in numeric order
    by_type = conversion_rate(on_backend(simulated, backend), by="visitor_type")
    other = by_type.set_index("visitor_type").loc["other"]
    assert other["count"] == 0 and other["n"] == (simulated["visitor_type"] == "other").sum()
    assert other["ci_low"] == pytest.approx(0.0, abs=1e-12)


def _where(backend: str, row: int, *session_ids: str) -> str:
    """How a backend names a bad row (a pattern): its number, or on Spark a bad session_id.

    Spark gives rows no order, so any of the bad rows may be the one named.
    """
    if backend == "spark":
        return rf"in the row with session_id '({'|'.join(session_ids)})' \(this backend gives"
    return f"in row {row};"


def test_a_purchased_column_that_is_not_true_false_is_refused(simulated, backend, on_backend):
    text = simulated.assign(purchased=np.where(simulated["purchased"], "yes", "no"))
    with pytest.raises(SchemaError, match=r"column 'purchased' has dtype .*; expected true/false"):
        conversion_rate(on_backend(text, backend))


def test_a_missing_purchase_flag_is_refused_naming_the_row(simulated, backend, on_backend):
    flags = pd.array(simulated["purchased"], dtype="boolean")
    flags[[41, 977]] = pd.NA
    data = on_backend(simulated.assign(purchased=flags), backend)
    where = _where(backend, 42, "s00041", "s00977")
    with pytest.raises(SchemaError, match=rf"column 'purchased' is missing {where}"):
        conversion_rate(data, by="month")


def test_an_unknown_visitor_type_is_refused_naming_the_row(simulated, backend, on_backend):
    kinds = simulated["visitor_type"].astype(str).to_numpy().copy()
    kinds[7] = "loyal"
    data = on_backend(simulated.assign(visitor_type=kinds), backend)
    where = _where(backend, 8, "s00007")
    with pytest.raises(SchemaError, match=rf"'visitor_type' has the value 'loyal' {where}"):
        repeat_visits(data)


def test_a_text_stage_column_is_refused(simulated, backend, on_backend):
    data = on_backend(simulated, backend)
    with pytest.raises(SchemaError, match=r"stage 'by device': column 'device' has dtype"):
        sales_funnel(data, stages=[FunnelStage("by device", ("device",))])


@pytest.fixture(scope="module")
def page_posts() -> pd.DataFrame:
    return load_dataset("facebook_metrics")


@pytest.mark.parametrize("by", [None, "content_type", "paid", ["content_type", "paid"]])
def test_follower_quality(page_posts, by, backend, on_backend):
    expected = follower_quality(page_posts, by=by)
    same(follower_quality(on_backend(page_posts, backend), by=by), expected)


def test_follower_quality_refuses_a_part_above_its_whole(page_posts, backend, on_backend):
    bad = page_posts.copy()
    bad.loc[3, "engaged_fans"] = bad.loc[3, "followers"] + 1
    where = "row 4" if backend != "spark" else f"the row with post_id '{bad.loc[3, 'post_id']}'"
    with pytest.raises(SchemaError, match=rf"{where}.* has engaged_fans \d+ above followers \d+"):
        follower_quality(on_backend(bad, backend))


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"by": None},
        {"order": "post_hour"},
        {"by": ["brand", "content_type"], "order": "post_id"},
    ],
)
def test_follower_growth(page_posts, options, backend, on_backend):
    data = page_posts.assign(period=page_posts["post_month"])
    expected = follower_growth(data, **options)
    same(follower_growth(on_backend(data, backend), **options), expected)


def test_follower_growth_refuses_a_missing_period(page_posts, backend, on_backend):
    data = page_posts.assign(period=page_posts["post_month"].astype("Int64"))
    data.loc[5, "period"] = pd.NA
    where = (
        "in row 6" if backend != "spark" else f"in the row with post_id '{data.loc[5, 'post_id']}'"
    )
    with pytest.raises(SchemaError, match=rf"column 'period' is missing {where}"):
        follower_growth(on_backend(data, backend))
