"""rfm_summary against the published CDNOW calibration summary (Hardie's data, shipped).

The 2,357-customer, 39-week summary used by Fader, Hardie and Lee (2005) was published with
its transaction log; computing it from the log must give it back (to the two decimals it
was published with).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from scrm_lab.customers import rfm_summary
from scrm_lab.datasets import load_tables
from scrm_lab.exceptions import ParameterError, SchemaError


@pytest.fixture(scope="module")
def cdnow():
    return load_tables("cdnow")


def test_same_day_purchases_are_one_and_holdout_is_counted():
    log = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "a", "b", "c"],
            "time": pd.to_datetime(
                ["2024-01-01", "2024-01-01", "2024-01-15", "2024-02-12", "2024-01-08", "2024-02-05"]
            ),
            "amount": [1.0, 2.0, 4.0, 8.0, 5.0, 9.0],
        }
    )
    summary = rfm_summary(log, calibration_end="2024-01-29", time_unit="D").set_index("customer_id")
    assert summary.loc["a"].to_dict() == {
        "frequency": 1, "recency": 14.0, "T": 28.0, "monetary_value": 4.0,
        "frequency_holdout": 1, "monetary_value_holdout": 8.0, "duration_holdout": 14.0,
    }  # fmt: skip
    assert "c" not in summary.index  # first purchase after the calibration end
    assert summary.loc["b", "frequency"] == 0 and np.isnan(summary.loc["b", "monetary_value"])


def test_bad_logs_and_dates_are_refused():
    log = pd.DataFrame({"customer_id": ["a"], "time": ["not a date"], "amount": [1.0]})
    with pytest.raises(SchemaError, match=r"column 'time' has 'not a date' in row 1"):
        rfm_summary(log)
    log = pd.DataFrame({"customer_id": ["a"], "time": ["2024-01-01"], "amount": [np.inf]})
    with pytest.raises(SchemaError, match=r"column 'amount' has inf in row 1"):
        rfm_summary(log)
    good = log.assign(amount=1.0)
    nobody = pd.concat([good, good.assign(customer_id=None)], ignore_index=True)
    with pytest.raises(SchemaError, match=r"column 'customer_id' has a missing value in row 2; "
                       r"expected a customer id"):  # fmt: skip
        rfm_summary(nobody)
    with pytest.raises(ParameterError, match=r"'calibration_end' parameter of rfm_summary"):
        rfm_summary(good, calibration_end="2025-01-01", observation_end="2024-06-01")
    with pytest.raises(ParameterError, match=r"'time_unit' parameter of rfm_summary"):
        rfm_summary(good, time_unit="fortnight")


# ------------------------------------------------------------------ DuckDB and other frames

UNIT_DAYS = {"D": 1.0, "W": 7.0, "M": 365.25 / 12, "Y": 365.25}


def _reference(log, *, calibration_end=None, observation_end=None, time_unit="W"):
    """The summary by its definition, in plain Python (no pandas groupby, no SQL)."""
    days = [pd.Timestamp(t) for t in log["time"]]
    days = [(t.tz_convert("UTC") if t.tzinfo else t).date() for t in days]
    end = pd.Timestamp(observation_end).date() if observation_end else max(days)
    cut = pd.Timestamp(calibration_end).date() if calibration_end else end
    spend: dict = {}
    for who, day, amount in zip(log["customer_id"], days, log["amount"], strict=True):
        if day <= end:
            spend.setdefault(who, {}).setdefault(day, 0.0)
            spend[who][day] += amount
    unit = UNIT_DAYS[time_unit]
    rows = []
    for who in sorted(spend):
        calibration = sorted(d for d in spend[who] if d <= cut)
        if not calibration:
            continue
        repeat = [spend[who][d] for d in calibration[1:]]
        holdout = [spend[who][d] for d in spend[who] if d > cut]
        row = {
            "customer_id": who,
            "frequency": len(calibration) - 1,
            "recency": (calibration[-1] - calibration[0]).days / unit,
            "T": (cut - calibration[0]).days / unit,
            "monetary_value": sum(repeat) / len(repeat) if repeat else np.nan,
        }
        if calibration_end:
            row["frequency_holdout"] = len(holdout)
            row["monetary_value_holdout"] = sum(holdout) / len(holdout) if holdout else np.nan
            row["duration_holdout"] = (end - cut).days / unit
        rows.append(row)
    return pd.DataFrame(rows).astype({"customer_id": "str"})


@pytest.fixture(scope="module")
def shop():
    """300 purchases of 40 customers over 90 days, several on one day, times in New York.

    Evening purchases in New York fall on the next day in UTC, so the days are UTC days.
    """
    rng = np.random.default_rng(7)
    n = 300
    start = pd.Timestamp("2024-01-01", tz="America/New_York")
    times = start + pd.to_timedelta(rng.integers(0, 90, n), unit="D")
    times = times + pd.to_timedelta(rng.choice([9, 13, 21, 23], n), unit="h")
    return pd.DataFrame(
        {
            "customer_id": [f"c{i:02d}" for i in rng.integers(0, 40, n)],
            "time": times,
            "amount": np.round(rng.gamma(2.0, 15.0, n), 2),
        }
    )


def _relations(log, tmp_path):
    """The log as DuckDB relations: from pandas, and read back from a Parquet file."""
    path = tmp_path / "log.parquet"
    log.to_parquet(path)
    return {"from_df": duckdb.from_df(log), "read_parquet": duckdb.read_parquet(str(path))}


OPTIONS = [
    {},
    {"observation_end": "2024-03-10"},
    {"calibration_end": "2024-02-15"},
    {"calibration_end": "2024-02-15", "observation_end": "2024-03-10"},
]


@pytest.mark.parametrize("time_unit", list(UNIT_DAYS))
@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: "-".join(o) or "defaults")
def test_pandas_and_duckdb_give_the_summary_by_its_definition(shop, tmp_path, options, time_unit):
    expected = _reference(shop, time_unit=time_unit, **options)
    assert (expected["frequency"] > 0).any() and expected["monetary_value"].isna().any()
    utc_day = shop["time"].dt.tz_convert("UTC").dt.date
    assert shop.groupby(["customer_id", utc_day]).size().max() > 1  # same-day purchases
    pd.testing.assert_frame_equal(rfm_summary(shop, time_unit=time_unit, **options), expected)
    for name, relation in _relations(shop, tmp_path).items():
        ours = rfm_summary(relation, time_unit=time_unit, **options)
        pd.testing.assert_frame_equal(ours, expected, obj=name)


def test_same_day_purchases_are_one_on_duckdb():
    log = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "a", "b", "c"],
            "time": pd.to_datetime(
                ["2024-01-01", "2024-01-01", "2024-01-15", "2024-02-12", "2024-01-08", "2024-02-05"]
            ),
            "amount": [1.0, 2.0, 4.0, 8.0, 5.0, 9.0],
        }
    )
    summary = rfm_summary(duckdb.from_df(log), calibration_end="2024-01-29", time_unit="D")
    assert summary.set_index("customer_id").loc["a"].to_dict() == {
        "frequency": 1, "recency": 14.0, "T": 28.0, "monetary_value": 4.0,
        "frequency_holdout": 1, "monetary_value_holdout": 8.0, "duration_holdout": 14.0,
    }  # fmt: skip
    pd.testing.assert_frame_equal(
        summary, rfm_summary(log, calibration_end="2024-01-29", time_unit="D")
    )


def test_aware_times_are_utc_days_whatever_the_duckdb_time_zone(shop, tmp_path):
    path = tmp_path / "log.parquet"
    shop.assign(time=shop["time"].dt.as_unit("ns")).to_parquet(path)  # read as TIMESTAMPTZ_NS
    expected = _reference(shop, calibration_end="2024-02-15")
    local = _reference(
        shop.assign(time=shop["time"].dt.tz_localize(None)), calibration_end="2024-02-15"
    )
    assert not local.equals(expected)  # New York days are not UTC days
    for zone in ["America/Los_Angeles", "Asia/Tokyo"]:
        with duckdb.connect() as connection:
            connection.execute(f"SET TimeZone = '{zone}'")
            relations = {
                "TIMESTAMPTZ_NS": connection.read_parquet(str(path)),
                "TIMESTAMPTZ": connection.from_df(shop),
            }
            for kind, relation in relations.items():
                found = str(relation.types[1]).replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ")
                assert found == kind
                ours = rfm_summary(relation, calibration_end="2024-02-15")
                pd.testing.assert_frame_equal(ours, expected, obj=f"{zone} {kind}")


def test_naive_timestamps_and_dates_on_duckdb(shop):
    naive = shop.assign(time=shop["time"].dt.tz_convert(None))  # UTC wall time
    expected = _reference(naive, calibration_end="2024-02-15", time_unit="D")
    relation = duckdb.from_df(naive)
    dates = relation.project('customer_id, CAST("time" AS DATE) AS "time", amount')
    assert [str(t) for t in dates.types] == ["VARCHAR", "DATE", "DOUBLE"]
    for name, data in {"TIMESTAMP": relation, "DATE": dates}.items():
        ours = rfm_summary(data, calibration_end="2024-02-15", time_unit="D")
        pd.testing.assert_frame_equal(ours, expected, obj=name)


def test_a_log_without_purchases_gives_an_empty_summary(shop):
    empty = shop.iloc[:0]
    for data in (empty, duckdb.from_df(empty)):
        summary = rfm_summary(data, calibration_end="2024-02-15")
        assert len(summary) == 0
        assert list(summary.columns) == [
            "customer_id", "frequency", "recency", "T", "monetary_value",
            "frequency_holdout", "monetary_value_holdout", "duration_holdout",
        ]  # fmt: skip


@pytest.mark.parametrize("read", ["pandas", "from_df", "read_parquet"])
def test_the_published_cdnow_summary_is_computed_from_the_log(cdnow, tmp_path, read):
    published = cdnow["calibration_summary"]
    log = cdnow["transactions"]
    log = log[log["customer_id"].isin(published["customer_id"])]
    data = log if read == "pandas" else _relations(log, tmp_path)[read]
    ours = rfm_summary(data, calibration_end="1997-09-30", observation_end="1998-06-30")
    both = ours.merge(published, on="customer_id", validate="one_to_one")
    assert len(ours) == len(both) == 2357
    assert (both["frequency_x"] == both["frequency_y"]).all()
    np.testing.assert_allclose(both["recency_x"], both["recency_y"], atol=0.005)
    np.testing.assert_allclose(both["T"], both["age"], atol=0.005)
    np.testing.assert_allclose(both["monetary_value"], both["mean_repeat_value"], atol=0.005)
    assert (both["duration_holdout"] == 39).all()  # weeks 40-78


def test_bad_logs_are_refused_on_duckdb_naming_column_row_and_value():
    good = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c"],
            "time": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]),
            "amount": [1.0, 2.0, 3.0],
        }
    )
    nobody = duckdb.from_df(good.assign(customer_id=["a", "b", None]))
    with pytest.raises(SchemaError, match=r"column 'customer_id' has a missing value \(NULL\) in "
                       r"row 3; expected a customer id"):  # fmt: skip
        rfm_summary(nobody)
    missing_time = duckdb.from_df(good.assign(time=[good["time"][0], pd.NaT, pd.NaT]))
    with pytest.raises(SchemaError, match=r"column 'time' has a missing value \(NULL\) in row 2; "):
        rfm_summary(missing_time)
    infinite = duckdb.sql(
        "SELECT * FROM (VALUES ('a', TIMESTAMP '2024-01-01', 1.0), ('b', 'infinity', 2.0)) "
        "t(customer_id, time, amount)"
    )
    with pytest.raises(
        SchemaError, match=r"column 'time' has 'infinity' in row 2; expected a time"
    ):
        rfm_summary(infinite)
    text = duckdb.from_df(good.assign(time=["2024-01-01", "2024-01-02", "2024-01-03"]))
    with pytest.raises(SchemaError, match=r"column 'time' has dtype String; expected times .*cast"):
        rfm_summary(text)
    for amount, shown in [(np.inf, "inf"), (-np.inf, "-inf")]:
        bad = duckdb.from_df(good.assign(amount=[1.0, 2.0, amount]))
        with pytest.raises(
            SchemaError, match=rf"column 'amount' has {shown} in row 3; expected a f"
        ):
            rfm_summary(bad)
    nulls = duckdb.from_df(good.assign(amount=[1.0, np.nan, 3.0]))  # NaN becomes NULL
    with pytest.raises(SchemaError, match=r"column 'amount' has a missing value \(NULL\) in row 2"):
        rfm_summary(nulls)
    nan = duckdb.sql(
        "SELECT * FROM (VALUES ('a', TIMESTAMP '2024-01-01', 1.0), ('b', TIMESTAMP "
        "'2024-01-02', 'nan'::DOUBLE)) t(customer_id, time, amount)"
    )
    with pytest.raises(SchemaError, match=r"column 'amount' has nan in row 2; expected a finite"):
        rfm_summary(nan)
    words = duckdb.from_df(good.assign(amount=["1", "2", "3"]))
    with pytest.raises(SchemaError, match=r"column 'amount' has dtype String; expected numbers"):
        rfm_summary(words)
    with pytest.raises(SchemaError, match=r"column 'amount' is not in the data; available columns"):
        rfm_summary(duckdb.from_df(good.drop(columns="amount")))
    with pytest.raises(ParameterError, match=r"'calibration_end' parameter of rfm_summary"):
        rfm_summary(
            duckdb.from_df(good), calibration_end="2025-01-01", observation_end="2024-06-01"
        )
    with pytest.raises(ParameterError, match=r"'transactions' parameter of rfm_summary must be"):
        rfm_summary("transactions.parquet")


def test_the_row_named_on_duckdb_is_the_row_of_the_file(tmp_path):
    """Rows are numbered in the file's order, across row groups read in parallel."""
    n = 50_000
    log = pd.DataFrame(
        {
            "customer_id": [f"c{i % 997}" for i in range(n)],
            "time": pd.date_range("2020-01-01", periods=n, freq="h"),
            "amount": np.ones(n),
        }
    )
    log.loc[37_210, "amount"] = np.inf
    path = tmp_path / "log.parquet"
    log.to_parquet(path, row_group_size=1_000)
    with pytest.raises(SchemaError, match=r"column 'amount' has inf in row 37211;") as raised:
        rfm_summary(duckdb.read_parquet(str(path)))
    assert (raised.value.column, raised.value.row) == ("amount", 37_211)
    with pytest.raises(SchemaError, match=r"column 'amount' has inf in row 37211;"):
        rfm_summary(log)


def test_a_pyarrow_table_gives_the_summary_too(shop):
    expected = _reference(shop, calibration_end="2024-02-15", time_unit="M")
    table = pa.Table.from_pandas(shop, preserve_index=False)
    ours = rfm_summary(table, calibration_end="2024-02-15", time_unit="M")
    pd.testing.assert_frame_equal(ours, expected)
    bad = pa.Table.from_pandas(
        shop.assign(amount=np.r_[np.ones(299), np.inf]), preserve_index=False
    )
    with pytest.raises(SchemaError, match=r"column 'amount' has inf in row 300; expected a fin"):
        rfm_summary(bad)


def test_the_repeat_mean_keeps_the_cents_after_a_large_first_purchase():
    log = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a"],
            "time": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]),
            "amount": [1e9, 0.01, 0.02],
        }
    )
    for data in (log, duckdb.from_df(log)):
        assert rfm_summary(data)["monetary_value"].tolist() == [pytest.approx(0.015, rel=1e-12)]
