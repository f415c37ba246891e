"""Tests of scrm_lab.engagement: post rates, rates over time, customer engagement."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from scrm_lab.datasets import load_dataset
from scrm_lab.engagement import (
    DEFAULT_ACTION_WEIGHTS,
    DENOMINATORS,
    FREQUENCIES,
    customer_engagement,
    engagement_rate,
    engagement_rate_over_time,
)
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.synth import simulate_customers

RATE_COLUMNS = [
    "post_id",
    "brand",
    "channel",
    "time",
    "engagements",
    "counts_missing",
    "denominator",
    "denominator_value",
    "engagement_rate",
]
OVER_TIME_STATS = [
    "posts",
    "rated_posts",
    "engagements",
    "denominator",
    "denominator_total",
    "engagement_rate",
    "mean_post_rate",
]
CUSTOMER_COLUMNS = [
    "customer_id",
    "interactions",
    "actions_weighted",
    "score",
    "first_interaction",
    "last_interaction",
    "days_since_last",
    "rank",
    "as_of",
]
#: Fractional sums are exact to 2**-32 per term (documented); hand values are checked to this.
TOLERANCE = 1e-8


def _counts(*values: object) -> pd.Series:
    return pd.Series(pd.array(list(values), dtype="Int64"))


@pytest.fixture
def posts() -> pd.DataFrame:
    """Five posts whose rates are worked out by hand in the tests."""
    return pd.DataFrame(
        {
            "post_id": pd.Series(["p1", "p2", "p3", "p4", "p5"], dtype="str"),
            "brand": pd.Series(["a", "a", "a", "b", "b"], dtype="str"),
            "channel": pd.Categorical(["facebook"] * 3 + ["twitter"] * 2),
            # p2 is 22:00 on 31 January in New York but 1 February in UTC
            "time": pd.to_datetime(
                [
                    "2024-01-31 23:59:59",
                    "2024-02-01 03:00:00",
                    "2024-02-15 12:00:00",
                    "2024-01-10 00:00:00",
                    "2024-01-20 00:00:00",
                ],
                utc=True,
                format="ISO8601",
            ).as_unit("ns"),
            "followers": _counts(1000, 1000, 1000, 500, 500),
            "reach": _counts(100, 200, 0, 50, None),
            "impressions": _counts(200, 400, 50, 80, 60),
            "reactions": _counts(5, 10, 3, None, 2),
            "comments": _counts(3, None, 1, None, 0),
            "shares": _counts(2, 6, 0, None, 1),
        }
    )


@pytest.fixture
def interactions() -> pd.DataFrame:
    """Customers whose scores are worked out by hand (half-life 30 days, as of 31 March)."""
    rows = [
        ("c1", "2024-03-31 12:00", "view"),  # age 0: 1
        ("c1", "2024-03-01 12:00", "like"),  # one half-life: 2 * 0.5 = 1
        ("c1", "2024-01-31 12:00", "comment"),  # two half-lives: 4 * 0.25 = 1
        ("c2", "2024-03-01 12:00", "share"),  # one half-life: 5 * 0.5 = 2.5
        ("c2", "2024-04-01 12:00", "review"),  # after as_of: left out
        ("c3", "2024-04-02 12:00", "view"),  # only after as_of: no row
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", "time", "action"])
    return frame.assign(
        customer_id=frame["customer_id"].astype("str"),
        time=pd.to_datetime(frame["time"], utc=True).astype("datetime64[ns, UTC]"),
        channel=pd.Categorical(["web"] * len(frame)),
        action=pd.Categorical(frame["action"]),
    )


@pytest.fixture(scope="module")
def metrics() -> pd.DataFrame:
    return load_dataset("facebook_metrics")


@pytest.fixture(scope="module")
def sellers() -> pd.DataFrame:
    """facebook_live_sellers with a made-up reach (it has none), zero for every 7th post."""
    sellers = load_dataset("facebook_live_sellers")
    reach = pd.array(np.where(np.arange(len(sellers)) % 7 == 0, 0, 1000), dtype="Int64")
    return sellers.assign(reach=reach)


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    return simulate_customers(seed=0, n_customers=50).interactions


# ------------------------------------------------------------------------ per-post rates


def test_engagement_rate_by_hand(posts: pd.DataFrame) -> None:
    rates = engagement_rate(posts, denominator="reach")
    assert rates.columns.tolist() == RATE_COLUMNS
    assert rates["post_id"].tolist() == ["p1", "p2", "p3", "p4", "p5"]
    assert rates["engagements"].tolist() == [10, 16, 4, pd.NA, 3]
    assert rates["counts_missing"].tolist() == [0, 1, 0, 3, 0]
    assert (rates["denominator"] == "reach").all()
    assert rates["denominator_value"].tolist() == [100, 200, 0, 50, pd.NA]
    # p3: reach 0; p4: every count missing; p5: reach missing
    np.testing.assert_array_equal(rates["engagement_rate"], [0.1, 0.08, np.nan, np.nan, np.nan])
    assert rates["time"].tolist() == posts["time"].tolist()
    assert rates.dtypes.astype(str).tolist() == [
        "str",
        "str",
        "str",
        "datetime64[ns, UTC]",
        "Int64",
        "int64",
        "str",
        "Int64",
        "float64",
    ]


@pytest.mark.parametrize(
    ("denominator", "expected"),
    [
        ("followers", [0.01, 0.016, 0.004, np.nan, 0.006]),
        ("impressions", [0.05, 0.04, 0.08, np.nan, 0.05]),
    ],
)
def test_engagement_rate_names_its_denominator(
    posts: pd.DataFrame, denominator: str, expected: list[float]
) -> None:
    rates = engagement_rate(posts, denominator=denominator)
    assert (rates["denominator"] == denominator).all()
    assert rates["denominator_value"].tolist() == posts[denominator].tolist()
    np.testing.assert_allclose(rates["engagement_rate"], expected, rtol=1e-15)


def test_engagement_rate_custom_counts_and_no_time(posts: pd.DataFrame) -> None:
    rates = engagement_rate(posts.drop(columns="time"), engagements="shares")
    assert "time" not in rates.columns
    assert rates["engagements"].tolist() == [2, 6, 0, pd.NA, 1]
    assert rates["counts_missing"].tolist() == [0, 0, 0, 1, 0]
    np.testing.assert_array_equal(rates["engagement_rate"], [0.02, 0.03, np.nan, np.nan, np.nan])


def test_engagement_rate_float_counts_and_naive_time(posts: pd.DataFrame) -> None:
    floats = posts.astype({"reactions": "float64", "reach": "float64"})
    naive = floats.assign(time=posts["time"].dt.tz_localize(None))
    rates = engagement_rate(naive)
    assert str(rates["engagements"].dtype) == "float64"
    assert str(rates["denominator_value"].dtype) == "float64"
    assert rates["time"].tolist() == posts["time"].tolist()  # naive times are UTC
    np.testing.assert_array_equal(
        rates["engagement_rate"], engagement_rate(posts)["engagement_rate"]
    )


def test_engagement_rate_does_not_change_its_input(posts: pd.DataFrame) -> None:
    before = posts.copy()
    engagement_rate(posts)
    engagement_rate_over_time(posts)
    pd.testing.assert_frame_equal(posts, before)


def test_facebook_metrics_rate_by_reach_matches_plain_pandas(metrics: pd.DataFrame) -> None:
    rates = engagement_rate(metrics, denominator="reach").set_index("post_id")
    plain = metrics.set_index("post_id")
    counts = plain[["reactions", "comments", "shares"]].astype("float64")
    expected = (counts["reactions"] + counts["comments"] + counts["shares"]) / plain["reach"]
    complete = counts.notna().all(axis=1)
    assert complete.sum() == 496
    rate = rates.loc[expected.index, "engagement_rate"]
    np.testing.assert_array_equal(rate[complete], expected[complete].astype("float64"))
    # "Total Interactions" (like + comment + share) is the same sum, a missing count as 0
    total = plain["total_interactions"]
    assert (rates.loc[total.index, "engagements"] == total).all()
    assert rates.loc["112", "counts_missing"] == 2
    assert rates.loc["112", "engagements"] == 0


def test_facebook_metrics_rates_by_followers_and_impressions(metrics: pd.DataFrame) -> None:
    for denominator in ("followers", "impressions"):
        rates = engagement_rate(metrics, denominator=denominator)
        merged = rates.merge(metrics[["post_id", denominator]], on="post_id")
        expected = merged["engagements"].astype("float64") / merged[denominator].astype(float)
        np.testing.assert_array_equal(merged["engagement_rate"], expected)


# ------------------------------------------------------------------------ rates over time


def test_monthly_rates_by_hand(posts: pd.DataFrame) -> None:
    monthly = engagement_rate_over_time(posts, denominator="reach")
    assert monthly.columns.tolist() == ["brand", "channel", "period", *OVER_TIME_STATS]
    assert monthly[["brand", "channel"]].values.tolist() == [
        ["a", "facebook"],
        ["a", "facebook"],
        ["b", "twitter"],
    ]
    assert (
        monthly["period"].tolist()
        == pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-01"]).tolist()
    )
    assert monthly["posts"].tolist() == [1, 2, 2]
    assert monthly["rated_posts"].tolist() == [1, 1, 0]  # p3 has reach 0, p4 and p5 no rate
    assert monthly["engagements"].tolist() == [10, 16, 0]  # rated posts only
    assert monthly["denominator_total"].tolist() == [100, 200, 0]
    np.testing.assert_array_equal(monthly["engagement_rate"], [0.1, 0.08, np.nan])
    np.testing.assert_allclose(monthly["mean_post_rate"], [0.1, 0.08, np.nan], atol=TOLERANCE)
    assert monthly.dtypes.astype(str).tolist() == [
        "str",
        "str",
        "datetime64[ns]",
        "int64",
        "int64",
        "Int64",
        "str",
        "Int64",
        "float64",
        "float64",
    ]


def test_pooled_rate_and_mean_post_rate_differ(posts: pd.DataFrame) -> None:
    monthly = engagement_rate_over_time(posts, denominator="impressions", by="brand")
    february = monthly[(monthly["brand"] == "a") & (monthly["period"] == "2024-02-01")]
    # p2: 16 / 400 = 0.04 and p3: 4 / 50 = 0.08
    assert february["engagements"].item() == 20
    assert february["denominator_total"].item() == 450
    assert february["engagement_rate"].item() == 20 / 450
    assert february["mean_post_rate"].item() == pytest.approx(0.06, abs=TOLERANCE)


def test_weekly_periods_start_on_monday(posts: pd.DataFrame) -> None:
    weekly = engagement_rate_over_time(posts, freq="W", by="brand")
    a = weekly[weekly["brand"] == "a"]
    # Wednesday 31 January and Thursday 1 February share the week of Monday 29 January
    assert a["period"].tolist() == pd.to_datetime(["2024-01-29", "2024-02-12"]).tolist()
    assert a["posts"].tolist() == [2, 1]
    assert (weekly["period"].dt.day_of_week == 0).all()


@pytest.mark.parametrize(
    ("freq", "code"), [("D", "D"), ("W", "W-SUN"), ("MS", "M"), ("QS", "Q"), ("YS", "Y")]
)
def test_periods_match_pandas_periods(sellers: pd.DataFrame, freq: str, code: str) -> None:
    table = engagement_rate_over_time(sellers, freq=freq, by=())
    start = sellers["time"].dt.tz_localize(None).dt.to_period(code).dt.start_time
    expected = start.value_counts().sort_index()
    assert table["period"].tolist() == expected.index.tolist()
    assert table["posts"].tolist() == expected.tolist()
    assert table["posts"].sum() == len(sellers)


def test_pooling_without_time(metrics: pd.DataFrame) -> None:
    pooled = engagement_rate_over_time(metrics, freq=None, by="content_type")
    assert pooled.columns.tolist() == ["content_type", *OVER_TIME_STATS]
    rates = engagement_rate(metrics).merge(metrics[["post_id", "content_type"]], on="post_id")
    rated = rates[rates["engagement_rate"].notna()]
    groups = rated.groupby("content_type", observed=True)
    expected = groups["engagements"].sum() / groups["denominator_value"].sum()
    np.testing.assert_array_equal(pooled["engagement_rate"], expected.astype(float))
    np.testing.assert_allclose(
        pooled["mean_post_rate"], groups["engagement_rate"].mean(), atol=TOLERANCE
    )
    assert pooled["posts"].sum() == len(metrics)
    overall = engagement_rate_over_time(metrics, freq=None, by=())
    assert overall.columns.tolist() == OVER_TIME_STATS
    assert overall["engagements"].item() == rated["engagements"].sum()


def test_posts_without_time_are_left_out_of_periods(posts: pd.DataFrame) -> None:
    posts.loc[0, "time"] = pd.NaT
    monthly = engagement_rate_over_time(posts, by="brand")
    assert monthly["posts"].sum() == 4


def test_empty_posts_give_empty_tables(posts: pd.DataFrame) -> None:
    empty = posts.iloc[:0]
    assert engagement_rate(empty).columns.tolist() == RATE_COLUMNS
    assert len(engagement_rate(empty)) == 0
    for freq in ("MS", None):
        table = engagement_rate_over_time(empty, freq=freq, by=())
        assert len(table) == 0
        assert table.columns.tolist() == ([] if freq is None else ["period"]) + OVER_TIME_STATS


# ------------------------------------------------------------------------ customer engagement


def test_customer_engagement_by_hand(interactions: pd.DataFrame) -> None:
    scores = customer_engagement(interactions, half_life_days=30, as_of="2024-03-31T12:00Z")
    assert scores.columns.tolist() == CUSTOMER_COLUMNS
    assert scores["customer_id"].tolist() == ["c1", "c2"]  # c3 acted only after as_of
    assert scores["interactions"].tolist() == [3, 1]
    assert scores["actions_weighted"].tolist() == [1 + 2 + 4, 5]
    # an interaction one half-life old counts half, two half-lives old a quarter
    assert scores["score"].tolist() == [1 + 2 * 0.5 + 4 * 0.25, 5 * 0.5]
    assert scores["rank"].tolist() == [1, 2]
    assert scores["days_since_last"].tolist() == [0.0, 30.0]
    assert (
        scores["first_interaction"].tolist()
        == pd.to_datetime(["2024-01-31 12:00", "2024-03-01 12:00"], utc=True).tolist()
    )
    assert (scores["as_of"] == pd.Timestamp("2024-03-31 12:00", tz="UTC")).all()
    assert scores.dtypes.astype(str).tolist() == [
        "str",
        "int64",
        "float64",
        "float64",
        "datetime64[ns, UTC]",
        "datetime64[ns, UTC]",
        "float64",
        "int64",
        "datetime64[ns, UTC]",
    ]


def test_customer_engagement_defaults_to_latest_time(interactions: pd.DataFrame) -> None:
    scores = customer_engagement(interactions).set_index("customer_id")
    assert (scores["as_of"] == pd.Timestamp("2024-04-02 12:00", tz="UTC")).all()
    assert scores.loc["c3", "score"] == 1.0  # age 0
    assert scores.loc["c2", "interactions"] == 2
    # c2's review is one day old, its share 32 days old
    expected = 6 * 0.5 ** (1 / 30) + 5 * 0.5 ** (32 / 30)
    assert scores.loc["c2", "score"] == pytest.approx(expected, abs=TOLERANCE)
    assert scores.loc["c2", "days_since_last"] == 1.0


def test_customer_engagement_weights_and_ties(interactions: pd.DataFrame) -> None:
    weights = {"view": 0.0, "like": 1.0, "comment": 1.0, "share": 1.0, "review": 3.0}
    scores = customer_engagement(
        interactions, weights=weights, half_life_days=7, as_of="2024-03-31 12:00"
    )
    # c1: like 30 days old, comment 60 days old; c2: share 30 days old
    c1 = 0.5 ** (30 / 7) + 0.5 ** (60 / 7)
    assert scores["score"].tolist() == pytest.approx([c1, 0.5 ** (30 / 7)], abs=TOLERANCE)
    assert scores["actions_weighted"].tolist() == [2.0, 1.0]
    only_likes_and_comments = {**dict.fromkeys(weights, 0.0), "like": 1.0, "comment": 1.0}
    tied = customer_engagement(interactions, weights=only_likes_and_comments)
    assert tied["customer_id"].tolist() == ["c1", "c2", "c3"]
    assert tied["score"].tolist()[1:] == [0.0, 0.0]
    assert tied["rank"].tolist() == [1, 2, 2]


def test_unknown_actions_need_a_weight(interactions: pd.DataFrame) -> None:
    purchase = interactions.assign(action=interactions["action"].astype(str))
    purchase.loc[0, "action"] = "purchase"
    with pytest.raises(ParameterError, match=r"no weight for the action\(s\) 'purchase' found"):
        customer_engagement(purchase)
    scores = customer_engagement(purchase, unknown_weight=8, as_of="2024-03-31T12:00Z")
    assert scores.set_index("customer_id").loc["c1", "actions_weighted"] == 8 + 2 + 4
    with pytest.raises(ParameterError, match=r"action\(s\) 'comment', 'like', 'purchase'"):
        customer_engagement(purchase, weights={"view": 1, "share": 5, "review": 6})


def test_default_weights_cover_simulated_actions(customers: pd.DataFrame) -> None:
    assert set(customers["action"].unique()) <= set(DEFAULT_ACTION_WEIGHTS)
    assert "purchase" not in DEFAULT_ACTION_WEIGHTS
    with pytest.raises(TypeError):
        DEFAULT_ACTION_WEIGHTS["view"] = 10  # type: ignore[index]


def test_customer_engagement_on_simulated_customers(customers: pd.DataFrame) -> None:
    scores = customer_engagement(customers)
    assert scores["interactions"].sum() == len(customers)
    assert scores["rank"].tolist() == sorted(scores["rank"])
    assert scores["score"].is_monotonic_decreasing
    weights = customers["action"].astype(str).map(DEFAULT_ACTION_WEIGHTS)
    expected = weights.groupby(customers["customer_id"]).sum()
    got = scores.set_index("customer_id")["actions_weighted"]
    assert got.sort_index().tolist() == expected.sort_index().tolist()
    age = (customers["time"].max() - customers["time"]) / pd.Timedelta(days=1)
    decayed = (weights * 0.5 ** (age / 30)).groupby(customers["customer_id"]).sum()
    np.testing.assert_allclose(
        scores.set_index("customer_id")["score"].sort_index(), decayed.sort_index(), atol=1e-7
    )


def test_empty_interactions_give_an_empty_table(interactions: pd.DataFrame) -> None:
    scores = customer_engagement(interactions.iloc[:0])
    assert scores.columns.tolist() == CUSTOMER_COLUMNS
    assert len(scores) == 0
    assert len(customer_engagement(interactions, as_of="2020-01-01")) == 0


# ------------------------------------------------------------------------ pandas vs DuckDB


@pytest.fixture(scope="module")
def parquet(tmp_path_factory, metrics, sellers, customers):
    """The shipped and hand-made tables written to Parquet, by name."""
    folder = tmp_path_factory.mktemp("parquet")
    tables = {"metrics": metrics, "sellers": sellers, "customers": customers}
    paths = {}
    for name, table in tables.items():
        paths[name] = folder / f"{name}.parquet"
        table.to_parquet(paths[name])
    return tables, paths


CASES = [
    ("metrics", engagement_rate, {"denominator": "reach"}),
    ("metrics", engagement_rate, {"denominator": "impressions", "engagements": "comments"}),
    ("sellers", engagement_rate, {}),
    ("metrics", engagement_rate_over_time, {"freq": None, "by": ("content_type", "paid")}),
    ("metrics", engagement_rate_over_time, {"freq": None, "by": ()}),
    ("sellers", engagement_rate_over_time, {}),
    ("sellers", engagement_rate_over_time, {"freq": "W", "by": "brand"}),
    ("sellers", engagement_rate_over_time, {"freq": "D", "by": ("brand", "content_type")}),
    ("sellers", engagement_rate_over_time, {"freq": "QS", "by": ()}),
    ("sellers", engagement_rate_over_time, {"freq": "YS", "engagements": ("likes", "loves")}),
    ("customers", customer_engagement, {}),
    ("customers", customer_engagement, {"half_life_days": 7.5, "as_of": "2024-06-30 18:00"}),
    ("customers", customer_engagement, {"weights": {"view": 0.1}, "unknown_weight": 0.7}),
]


@pytest.mark.parametrize("time_zone", [None, "America/New_York"])
@pytest.mark.parametrize(("table", "func", "kwargs"), CASES)
def test_pandas_and_duckdb_give_equal_frames(parquet, table, func, kwargs, time_zone) -> None:
    tables, paths = parquet
    if time_zone is None:
        relation = duckdb.read_parquet(str(paths[table]))
    else:  # the connection's time zone must not move instants or periods
        connection = duckdb.connect()
        connection.execute(f"SET TimeZone = '{time_zone}'")
        relation = connection.read_parquet(str(paths[table]))
    expected = func(tables[table], **kwargs)
    got = func(relation, **kwargs)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_hand_made_tables_on_duckdb(tmp_path, posts, interactions) -> None:
    posts.to_parquet(tmp_path / "posts.parquet")
    interactions.to_parquet(tmp_path / "interactions.parquet")
    relation = duckdb.read_parquet(str(tmp_path / "posts.parquet"))
    pd.testing.assert_frame_equal(engagement_rate(relation), engagement_rate(posts))
    pd.testing.assert_frame_equal(
        engagement_rate_over_time(relation, freq="W"), engagement_rate_over_time(posts, freq="W")
    )
    relation = duckdb.read_parquet(str(tmp_path / "interactions.parquet"))
    pd.testing.assert_frame_equal(customer_engagement(relation), customer_engagement(interactions))


# ------------------------------------------------------------------------ errors


def test_constants() -> None:
    assert DENOMINATORS == ("followers", "reach", "impressions")
    assert list(FREQUENCIES) == ["D", "W", "MS", "QS", "YS"]


def test_unknown_denominator(posts: pd.DataFrame) -> None:
    with pytest.raises(
        ParameterError,
        match=r"The 'denominator' parameter of engagement_rate must be one of "
        r"\['followers', 'reach', 'impressions'\]\. Got 'reech' instead\. Did you mean 'reach'\?",
    ):
        engagement_rate(posts, denominator="reech")
    with pytest.raises(ParameterError, match="'denominator' parameter of engagement_rate_over"):
        engagement_rate_over_time(posts, denominator="engaged_users")


def test_missing_denominator_column(posts: pd.DataFrame) -> None:
    with pytest.raises(
        SchemaError,
        match=r"no column 'reach' \(the denominator\); a rate can be divided by one of "
        r"\['followers', 'reach', 'impressions'\], and it has \['followers', 'impressions'\]\. "
        r"Available columns: 'post_id', 'brand'",
    ) as caught:
        engagement_rate(posts.drop(columns="reach"))
    assert caught.value.column == "reach"
    with pytest.raises(SchemaError, match="and it has none of them"):
        engagement_rate_over_time(load_dataset("facebook_live_sellers"), by="brand")


def test_missing_columns(posts: pd.DataFrame) -> None:
    with pytest.raises(SchemaError, match=r"no column 'brand' \(the brand\); available columns"):
        engagement_rate(posts.drop(columns="brand"))
    with pytest.raises(SchemaError, match=r"no column 'id' \(the post id\)"):
        engagement_rate(posts, post_id="id")
    with pytest.raises(
        SchemaError, match=r"no column 'shares' \(an engagement count\).*Did you mean 'share'\?"
    ):
        engagement_rate(posts.rename(columns={"shares": "share"}))
    with pytest.raises(SchemaError, match=r"no column 'segment' \(a grouping column\)"):
        engagement_rate_over_time(posts, by=("brand", "segment"))


def test_negative_counts(posts: pd.DataFrame) -> None:
    posts.loc[1, "shares"] = -1
    posts.loc[3, "shares"] = -4
    with pytest.raises(
        SchemaError,
        match=r"engagement_rate: column 'shares' of the posts table has negative value -1 at "
        r"post_id='p2' \(2 negative value\(s\) in all\); expected counts >= 0",
    ):
        engagement_rate(posts)
    posts.loc[[1, 3], "shares"] = 0
    posts.loc[2, "reach"] = -3
    with pytest.raises(SchemaError, match=r"column 'reach' .* negative value -3 at post_id='p3'"):
        engagement_rate_over_time(posts)
    with pytest.raises(SchemaError, match=r"column 'reach' .* negative value -3 \(1 negative"):
        engagement_rate_over_time(posts.drop(columns="post_id"))


def test_counts_must_be_numbers(posts: pd.DataFrame) -> None:
    text = posts.assign(comments=posts["comments"].astype(str))
    with pytest.raises(SchemaError, match=r"column 'comments' .* dtype String; expected counts"):
        engagement_rate(text)


def test_bad_engagements(posts: pd.DataFrame) -> None:
    with pytest.raises(ParameterError, match=r"'engagements' parameter .* \(at least one\)\."):
        engagement_rate(posts, engagements=())
    with pytest.raises(ParameterError, match=r"Duplicated: shares\."):
        engagement_rate(posts, engagements=("shares", "shares"))
    with pytest.raises(ParameterError, match=r"other than the denominator 'reach'"):
        engagement_rate(posts, engagements=("shares", "reach"))
    with pytest.raises(ParameterError, match=r"'post_id' parameter .* a column name"):
        engagement_rate(posts, post_id=1)  # type: ignore[arg-type]


def test_not_a_frame() -> None:
    with pytest.raises(ParameterError, match=r"'posts' parameter must be a pandas DataFrame"):
        engagement_rate([{"post_id": "p1"}])
    with pytest.raises(ParameterError, match=r"'interactions' parameter must be a pandas"):
        customer_engagement({"customer_id": ["c1"]})


def test_over_time_needs_time(metrics: pd.DataFrame, posts: pd.DataFrame) -> None:
    with pytest.raises(
        SchemaError,
        match=r"engagement_rate_over_time: the posts table has no column 'time' \(the "
        r"publication time\), so its posts cannot be placed in periods; available columns: "
        r"'post_id'.*Pass freq=None to pool each group's posts without time",
    ):
        engagement_rate_over_time(metrics)
    with pytest.raises(SchemaError, match=r"column 'time' of the posts table has dtype String"):
        engagement_rate_over_time(posts.assign(time=posts["time"].astype(str)))


def test_bad_freq_and_by(posts: pd.DataFrame) -> None:
    with pytest.raises(
        ParameterError,
        match=r"'freq' parameter of engagement_rate_over_time must be one of "
        r"\['D', 'W', 'MS', 'QS', 'YS'\] or None\. Got 'M' instead\. Did you mean 'MS'\?",
    ):
        engagement_rate_over_time(posts, freq="M")
    with pytest.raises(ParameterError, match=r"'by' parameter .* not named like an output"):
        engagement_rate_over_time(posts, by=("brand", "posts"))
    with pytest.raises(ParameterError, match=r"'by' parameter .* Got 3 instead"):
        engagement_rate_over_time(posts, by=3)  # type: ignore[arg-type]


@pytest.mark.parametrize("half_life", [0, -1.0, float("nan"), float("inf"), True, "30"])
def test_bad_half_life(interactions: pd.DataFrame, half_life: object) -> None:
    with pytest.raises(
        ParameterError,
        match=r"The 'half_life_days' parameter of customer_engagement must be a finite "
        r"number > 0\. Got .* instead",
    ):
        customer_engagement(interactions, half_life_days=half_life)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"view": -1.0}, r"The entry 'view': -1\.0 is not\."),
        ({"view": float("nan")}, r"The entry 'view': nan is not\."),
        ({"view": True}, r"The entry 'view': True is not\."),
        ({1: 1.0}, r"The entry 1: 1\.0 is not\."),
        ({}, r"Got \{\} instead\."),
        ([("view", 1.0)], r"Got \[\('view', 1\.0\)\] instead\."),
    ],
)
def test_bad_weights(interactions: pd.DataFrame, weights: object, message: str) -> None:
    with pytest.raises(
        ParameterError,
        match=r"'weights' parameter of customer_engagement must be a non-empty mapping of "
        r"action names to finite numbers >= 0(?: or None)?\. .*" + message,
    ):
        customer_engagement(interactions, weights=weights)  # type: ignore[arg-type]


def test_bad_unknown_weight_and_as_of(interactions: pd.DataFrame) -> None:
    with pytest.raises(ParameterError, match=r"'unknown_weight' .* >= 0 or None\. Got -1"):
        customer_engagement(interactions, unknown_weight=-1)
    for as_of in ("the end of March", 20240331, pd.NaT):
        with pytest.raises(ParameterError, match=r"'as_of' parameter .* a date or time such as"):
            customer_engagement(interactions, as_of=as_of)  # type: ignore[arg-type]


def test_interaction_columns(interactions: pd.DataFrame) -> None:
    with pytest.raises(SchemaError, match=r"no column 'user_id' \(the customer id\)"):
        customer_engagement(interactions, customer="user_id")
    with pytest.raises(SchemaError, match=r"column 'action' .* dtype Int64; expected text"):
        customer_engagement(interactions.assign(action=1))
    with pytest.raises(SchemaError, match=r"column 'time' .* dtype String; expected timestamps"):
        customer_engagement(interactions.assign(time="2024-01-01"))
    missing = interactions.copy()
    missing.loc[[1, 2], "time"] = pd.NaT
    with pytest.raises(
        SchemaError,
        match=r"column 'time' of the interactions table is missing in 2 row\(s\); expected a "
        r"value in every row",
    ):
        customer_engagement(missing)
