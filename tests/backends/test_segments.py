"""Segment membership and segment KPIs give the same tables on pandas, DuckDB and Spark.

The features (one row per customer and period, with gaps) are simulated here with a seed;
DuckDB and Spark read the same rows from Parquet. Bad inputs are refused on every backend
with the message pandas gives.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.unified import compare_segment, segment_kpis, segment_membership

CUSTOM = {
    "segments": [
        {"name": "lyon_or_valuable", "match": "any", "rules": [
            {"feature": "city", "op": "in", "value": ["Lyon"]},
            {"feature": "clv", "op": ">", "value": 150},
        ]},
        {"name": "no_revenue_on_file", "rules": [{"feature": "revenue", "op": "is missing"}]},
        {"name": "outside_nice", "rules": [
            {"feature": "city", "op": "!=", "value": "Nice"},
            {"feature": "rfm_f", "op": "between", "value": [2, 4]},
        ]},
        {"name": "talkers", "rules": [
            {"feature": "mentions", "op": "not in", "value": [0, 1]},
            {"feature": "net_sentiment", "op": "is not missing"},
        ]},
        {"name": "parisians", "rules": [{"feature": "city", "op": "==", "value": "Paris"}]},
        {"name": "buyers", "rules": [{"feature": "bought", "op": "==", "value": True}]},
    ],
    "rest": "others",
}  # fmt: skip


def same(result: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(result, expected, check_exact=False, rtol=1e-12, atol=1e-12)


@pytest.fixture(scope="module")
def features() -> pd.DataFrame:
    """120 customers over 4 periods (one absent in each), about a tenth of values missing."""
    rng = np.random.default_rng(20261216)
    rows = pd.DataFrame(
        {"customer_id": np.tile([f"c{i:03d}" for i in range(120)], 4),
         "period": np.repeat([202401, 202402, 202403, 202404], 120)}
    )  # fmt: skip
    rows = rows.drop(index=rng.choice(len(rows), 40, replace=False)).reset_index(drop=True)
    n = len(rows)
    data = rows.assign(
        rfm_f=rng.integers(1, 6, n).astype(float),
        mentions=rng.integers(0, 5, n),
        net_sentiment=rng.uniform(-1, 1, n).round(3),
        positive=rng.integers(0, 6, n),
        negative=rng.integers(0, 4, n),
        frequency=rng.integers(0, 3, n),
        revenue=rng.choice([0.0, 12.5, 40.0, 99.9], n),
        clv=rng.gamma(2.0, 60.0, n),
        city=rng.choice(["Lyon", "Nice", "Paris", "Lille"], n),
        bought=rng.random(n) < 0.4,
    )
    for column in ("rfm_f", "net_sentiment", "revenue", "clv", "positive"):
        data[column] = data[column].astype(float).mask(rng.random(n) < 0.1)
    data["city"] = data["city"].mask(rng.random(n) < 0.1)
    return data


def test_custom_membership_follows_the_rules_written_by_hand(features):
    f = features
    city = f["city"].fillna("")
    conditions = [
        (city == "Lyon") | (f["clv"] > 150),
        f["revenue"].isna(),
        f["city"].notna() & (city != "Nice") & f["rfm_f"].between(2, 4),
        ~f["mentions"].isin([0, 1]) & f["net_sentiment"].notna(),
        city == "Paris",
        f["bought"],
    ]
    names = ["lyon_or_valuable", "no_revenue_on_file", "outside_nice", "talkers", "parisians",
             "buyers"]  # fmt: skip
    expected = f.assign(segment=np.select(conditions, names, "others"))
    expected = expected.sort_values(["period", "customer_id"], ignore_index=True)
    membership = segment_membership(f, CUSTOM)
    assert membership["segment"].astype(str).tolist() == expected["segment"].tolist()
    assert membership["customer_id"].tolist() == expected["customer_id"].tolist()


@pytest.mark.parametrize("definitions", ["default", CUSTOM], ids=["default", "custom"])
def test_membership(features, definitions, backend, on_backend):
    expected = segment_membership(features, definitions)
    assert expected["segment"].nunique() > 2
    same(segment_membership(on_backend(features, backend), definitions), expected)


@pytest.mark.parametrize("definitions", ["default", CUSTOM], ids=["default", "custom"])
@pytest.mark.parametrize(
    "options", [{}, {"alpha": 0.1, "converted": "bought", "clv": None}], ids=["all", "bool"]
)
def test_segment_kpis(features, definitions, options, backend, on_backend):
    membership = segment_membership(features, definitions)
    expected = segment_kpis(features, membership, **options)
    same(segment_kpis(on_backend(features, backend), membership, **options), expected)


def _message(function, *args, **options) -> str:
    with pytest.raises((SchemaError, ParameterError)) as caught:
        function(*args, **options)
    return str(caught.value)


@pytest.fixture(params=["duckdb", "spark"])
def lazy_backend(request) -> str:
    return request.param


@pytest.mark.parametrize(
    ("change", "rules", "message"),
    [
        ("twice", "default", r"customer 'c000' appears more than once in period 202401"),
        (None, {"segments": [{"name": "a", "rules": [
            {"feature": "mentions", "op": ">", "value": 0},
            {"feature": "sentimnt", "op": "<", "value": 0}]}]},
         r"^<mapping>, segment 'a', rule 2: feature 'sentimnt' is not a column of the feature "
         r"table; available columns: .* Did you mean 'net_sentiment'\?"),
        (None, {"segments": [{"name": "a", "rules": [{"feature": "city", "op": ">=",
                                                      "value": 3}]}]},
         r"^<mapping>, segment 'a', rule 1: 'city >= 3' compares numbers, but column 'city' "
         r"has dtype String; expected a numeric column"),
        (None, {"segments": [{"name": "a", "rules": [{"feature": "city", "op": "in",
                                                      "value": [1, 2]}]}]},
         r"rule 1: 'city in \[1, 2\]' compares a number with the text column 'city'"),
        (None, {"segments": [{"name": "a", "rules": [{"feature": "mentions", "op": "==",
                                                      "value": "four"}]}]},
         r"compares text 'four' with the numeric column 'mentions' \(dtype Int64\)"),
        ("no_period", "default", r"segment_membership: column 'period' is not in the data"),
    ],
    ids=["twice", "no_column", "numbers_on_text", "text_rule_numbers", "text_on_numbers",
         "no_period"],
)  # fmt: skip
def test_membership_refusals(features, change, rules, message, lazy_backend, on_backend):
    data = features
    if change == "twice":
        data = pd.concat([features, features.iloc[[0]]], ignore_index=True)
    elif change == "no_period":
        data = features.drop(columns="period")
    expected = _message(segment_membership, data, rules)
    assert _message(segment_membership, on_backend(data, lazy_backend), rules) == expected
    assert re.search(message, expected)


def test_kpi_refusals(features, lazy_backend, on_backend):
    membership = segment_membership(features, "default")
    extra = pd.DataFrame({"customer_id": ["zz"], "period": [202401], "segment": ["rest"]})
    cases = [
        (features, pd.concat([membership, extra], ignore_index=True), {},
         r"membership has customer 'zz' in period 202401, which is not in the features"),
        (pd.concat([features, features.iloc[[3]]], ignore_index=True), membership, {},
         r"the features have a customer more than once in one period"),
        (features.assign(negative=-1), membership, {},
         r"column 'negative' has negative counts \(first -1\.0\)"),
        (features, membership, {"clv": "city"}, r"the clv column 'city' has dtype String"),
        (features, membership, {"converted": "city"}, r"the converted column 'city' has dtype"),
        (features, membership, {"revenue": "revnue"},
         r"column 'revnue' is not in the data.*Did you mean 'revenue'\?"),
    ]  # fmt: skip
    for data, members, options, message in cases:
        expected = _message(segment_kpis, data, members, **options)
        assert re.search(message, expected), expected
        assert _message(segment_kpis, on_backend(data, lazy_backend), members, **options) == (
            expected
        )


def test_compare_segment_stays_on_pandas(features, on_backend):
    membership = segment_membership(features, "default")
    with pytest.raises(ParameterError, match=r"'features' parameter of compare_segment must be "
                       r"a pandas DataFrame"):  # fmt: skip
        compare_segment(on_backend(features, "duckdb"), membership, segment="x", value="clv")


def test_segment_kpis_on_a_duckdb_connection_of_its_own(features, tmp_path):
    from scrm_lab._frames import duckdb_connection

    path = tmp_path / "features.parquet"
    features.to_parquet(path, index=False)
    connection = duckdb_connection()
    membership = segment_membership(features, CUSTOM)
    relation = connection.read_parquet(str(path))
    same(segment_kpis(relation, membership), segment_kpis(features, membership))
    connection.close()
