"""Service threads and service levels give the same tables on pandas, DuckDB and Spark.

The messages are simulated with seeds the package never ships, plus the shipped airline
tweets. Parquet keeps no category order, so DuckDB and Spark give ``channel`` the channels
in the data, sorted; the pandas input here has its categories in that order too, which makes
the tables equal column for column.
"""

from __future__ import annotations

import pandas as pd
import pytest

from scrm_lab.exceptions import SchemaError
from scrm_lab.service import service_levels, service_threads
from scrm_lab.synth import simulate_service_threads

LAZY = ("duckdb", "spark")


def same(result: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(result, expected, check_exact=False, rtol=1e-12, atol=1e-12)


def sorted_channels(messages: pd.DataFrame) -> pd.DataFrame:
    """The messages with the channel categories DuckDB and Spark give: present ones, sorted."""
    channels = sorted(messages["channel"].astype(str).unique())
    return messages.assign(channel=pd.Categorical(messages["channel"].astype(str), channels))


@pytest.fixture(scope="module")
def simulated() -> pd.DataFrame:
    return sorted_channels(simulate_service_threads(300, seed=20261205).messages)


@pytest.fixture(scope="module")
def quiet_hours_messages() -> pd.DataFrame:
    """A second simulation: other rates and hours, so other delays and resolutions."""
    sim = simulate_service_threads(250, seed=20261206, unanswered_share=0.3, business_hours=(8, 17))
    return sorted_channels(sim.messages)


@pytest.fixture
def lazy_backend(request) -> str:
    """DuckDB or Spark (parametrized indirectly); the Spark case needs the shared Spark."""
    if request.param == "spark":
        request.getfixturevalue("spark")
    return request.param


THREAD_OPTIONS = [
    {},
    {"timezone": "America/New_York", "business_hours": (8, 20)},
    {"timezone": "Asia/Tokyo", "weekends": True, "quiet_hours": 2.5, "as_of": "2025-06-01"},
]


def on_spark_once(grid: list) -> list:
    """Every case on DuckDB, the first on Spark too: Spark's jobs are slow to start, and the
    narwhals query is the same on both lazy engines."""
    return [*(("duckdb", case) for case in grid), ("spark", grid[0])]


@pytest.mark.parametrize(
    ("backend", "options"), on_spark_once(THREAD_OPTIONS), indirect=["backend"]
)
def test_threads(simulated, options, backend, on_backend):
    expected = service_threads(simulated, **options)
    same(service_threads(on_backend(simulated, backend), **options), expected)


def test_threads_from_brand_handles(quiet_hours_messages, backend, on_backend):
    messages = quiet_hours_messages
    handles = sorted(messages.loc[messages["author_is_brand"].astype(bool), "author"].unique())
    data = messages.drop(columns=["author_is_brand", "sentiment"])
    options = {"brand_authors": handles[: max(1, len(handles) // 2)]}
    expected = service_threads(data, **options)
    same(service_threads(on_backend(data, backend), **options), expected)


LEVEL_OPTIONS = [
    ({}, "channel"),
    ({"timezone": "Europe/Paris", "business_hours": (10, 16)}, "business_hours"),
    ({"weekends": True}, "sentiment"),
    ({"quiet_hours": 1.0}, "all"),
]


@pytest.mark.parametrize(
    ("backend", "options_by"), on_spark_once(LEVEL_OPTIONS), indirect=["backend"]
)
def test_levels(quiet_hours_messages, options_by, backend, on_backend):
    options, by = options_by
    messages = quiet_hours_messages
    expected = service_levels(service_threads(messages, **options), by=by, sla_minutes=90)
    threads = service_threads(on_backend(messages, backend), **options)
    same(service_levels(threads, by=by, sla_minutes=90), expected)


def test_levels_by_channel_from_brand_handles(simulated, backend, on_backend):
    handles = sorted(simulated.loc[simulated["author_is_brand"].astype(bool), "author"].unique())
    data = simulated.drop(columns="author_is_brand")
    expected = service_levels(service_threads(data, brand_authors=handles), by="channel")
    threads = service_threads(on_backend(data, backend), brand_authors=handles)
    same(service_levels(threads, by="channel"), expected)


def test_airline_tweets(tweets, backend, on_backend):
    expected = service_threads(tweets)
    threads = service_threads(on_backend(tweets, backend))
    same(threads, expected)
    same(service_levels(threads, by="all"), service_levels(expected, by="all"))


def test_threads_by_hand_on_every_backend(backend, on_backend):
    """Two threads and a brand post; the values are counted by hand, not by the pandas path."""
    t0 = pd.Timestamp("2024-01-01 10:00", tz="UTC")
    minutes = [0, 30, 45, 50, 5, 7]
    messages = pd.DataFrame(
        {
            "message_id": pd.array(["r3", "r2", "q", "r1", "p", "b"], dtype="str"),
            "brand": pd.array(["acme"] * 6, dtype="str"),
            "channel": pd.Categorical(["twitter"] * 6),
            "author": pd.array(["c1", "acme", "c1", "acme", "acme", "c2"], dtype="str"),
            "time": (t0 + pd.to_timedelta(minutes, unit="min")).as_unit("ns"),
            "text": pd.array(["hi"] * 6, dtype="str"),
            "reply_to": pd.array([None, "r3", "r2", "q", None, None], dtype="str"),
            "author_is_brand": pd.array([False, True, False, True, True, False], dtype="boolean"),
        }
    )
    threads = service_threads(on_backend(messages, backend), quiet_hours=0)
    assert threads["thread_id"].tolist() == ["r3", "b"]  # p is the brand's own post
    assert threads["messages"].tolist() == [4, 1]
    assert threads["follow_ups"].tolist() == [1, 0]
    assert threads["first_response_minutes"].tolist()[0] == 30.0
    assert threads["resolution_minutes"].tolist()[0] == 50.0  # the brand's reply r1 is last
    assert threads["observed_minutes"].tolist() == [50.0, 43.0]


# ---------------------------------------------------------------------------------- errors


def break_table(messages: pd.DataFrame, change: str) -> pd.DataFrame:
    ids = messages["message_id"]
    if change == "duplicate id":
        return messages.assign(message_id=ids.mask(ids == "M005", "M004"))
    if change == "missing time":
        return messages.assign(time=messages["time"].mask(ids.isin(["M009", "M011"])))
    if change == "no author":
        return messages.drop(columns="author")
    if change == "no reply_to":
        return messages.drop(columns="reply_to")
    if change == "no flags":
        return messages.drop(columns="author_is_brand")
    if change == "missing flag":
        return messages.assign(author_is_brand=messages["author_is_brand"].mask(ids == "M007"))
    if change == "unknown parent":
        return messages.assign(reply_to=messages["reply_to"].mask(ids == "M002", "nope"))
    if change == "early reply":
        early = messages["time"].mask(ids == "M002", messages["time"].min() - pd.Timedelta("1h"))
        return messages.assign(time=early)
    if change == "cycle":  # two messages replying to each other, and one reply hanging on them
        parents = messages["reply_to"].mask(ids == "M007", "M008").mask(ids == "M008", "M007")
        times = messages["time"].mask(ids.isin(["M007", "M008"]), messages["time"].min())
        return messages.assign(reply_to=parents, time=times)
    raise AssertionError(change)


@pytest.mark.parametrize("lazy_backend", LAZY, indirect=True)
@pytest.mark.parametrize(
    ("change", "match"),
    [
        ("duplicate id", r"column 'message_id' of the messages table has 'M004' in 2 rows"),
        ("missing time", r"column 'time' of the messages table is missing in 2 row\(s\), the "
                         r"first at message 'M009'"),
        ("no author", r"column 'author' is not in the messages table; available columns: "),
        ("no reply_to", r"column 'reply_to' is not in the messages table"),
        ("no flags", r"column 'author_is_brand' is not in the data; expected it, or the brand"),
        ("missing flag", r"column 'author_is_brand' of the messages table is missing in 1 "
                         r"row\(s\), the first at message 'M007'; expected True or False"),
        ("unknown parent", r"column 'reply_to': message 'M002' has value 'nope', which is not "
                           r"a message_id in the data \(1 rows in all\)"),
        ("early reply", r"column 'time': message 'M002' is posted at .*, before the message "
                        r"it replies to \('M001', "),
        ("cycle", r"column 'reply_to': message 'M007' is in a reply cycle"),
    ],
)  # fmt: skip
def test_bad_messages_are_refused(simulated, change, match, lazy_backend, on_backend):
    data = on_backend(break_table(simulated, change), lazy_backend)
    with pytest.raises(SchemaError, match=rf"^service_threads: {match}"):
        service_threads(data)


@pytest.mark.parametrize("change", ["duplicate id", "missing time", "no author", "cycle"])
def test_pandas_refuses_the_same_tables(simulated, change):
    """The pandas path keeps validating the whole table (its messages name rows)."""
    with pytest.raises(SchemaError):
        service_threads(break_table(simulated, change))


@pytest.mark.parametrize("lazy_backend", LAZY, indirect=True)
def test_text_time_is_refused(simulated, lazy_backend, on_backend):
    data = on_backend(simulated.assign(time=simulated["time"].astype(str)), lazy_backend)
    with pytest.raises(SchemaError, match=r"column 'time' of the messages table has dtype "):
        service_threads(data)


@pytest.mark.parametrize("backend", ["pandas", "duckdb"], indirect=True)
def test_a_deep_reply_chain_is_one_thread(backend, on_backend):
    """41 messages, each replying to the one before: one thread, 20 customer follow-ups.

    Not on Spark: the query is the same narwhals plan (its rounds on Spark are covered by
    the depth-4 chain of test_threads_by_hand_on_every_backend), and Spark plans a 63-join
    query slowly."""
    t0 = pd.Timestamp("2024-01-02 09:00", tz="UTC")
    ids = [f"m{i:02d}" for i in range(41)]
    by_brand = [i % 2 == 1 for i in range(41)]
    messages = pd.DataFrame(
        {
            "message_id": pd.array(ids, dtype="str"),
            "brand": pd.array(["acme"] * 41, dtype="str"),
            "channel": pd.Categorical(["email"] * 41),
            "author": pd.array(["acme" if b else "c1" for b in by_brand], dtype="str"),
            "time": (t0 + pd.to_timedelta(range(41), unit="min")).as_unit("ns"),
            "text": pd.array(["hi"] * 41, dtype="str"),
            "reply_to": pd.array([None, *ids[:-1]], dtype="str"),
            "author_is_brand": pd.array(by_brand, dtype="boolean"),
        }
    )
    threads = service_threads(on_backend(messages.iloc[::-1], backend))
    assert threads["thread_id"].tolist() == ["m00"]
    assert threads[["messages", "follow_ups"]].iloc[0].tolist() == [41, 20]
    assert threads["first_response_minutes"].tolist() == [1.0]
    assert not threads["resolved"].item()  # the customer's m40 is the last word
