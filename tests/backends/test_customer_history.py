"""customer_history gives the same table on DuckDB and on Spark, and the right events.

A population simulated with a seed the package never ships is ingested into a store, then
a revised batch: purchases with a new amount or moved to another customer, messages with a
new text (version 2, one of them a message the brand answered) and a new message in which a
customer answers their own message (a direct pick that is also a reply). Each history is
computed on both engines and compared column for column; which records, versions and
``via`` it holds is checked against a plain pandas selection from every stored version.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scrm_lab.exceptions import ParameterError
from scrm_lab.synth import simulate_customer_population
from scrm_lab.unified._history import HISTORY_COLUMNS, customer_history
from scrm_lab.unified._store import InteractionStore
from tests.unified.truth import truth_link_table

TABLES = ("interactions", "transactions", "messages")
NEW = "U-new"  # a customer whose CRM record has no event


@pytest.fixture(scope="module")
def population():
    return simulate_customer_population(n_customers=120, seed=20261216)


@pytest.fixture(scope="module")
def links(population):
    extra = pd.DataFrame(
        {"source": ["crm"], "source_record_id": ["C999999"], "unified_customer_id": [NEW],
         "match_probability": [np.nan], "rule": ["none"]}
    )  # fmt: skip
    return pd.concat(
        [truth_link_table(population.crm, population.truth["links"]), extra], ignore_index=True
    )


def _key(handles: pd.Series) -> pd.Series:
    return handles.str.strip().str.lstrip("@").str.strip().str.lower()


@pytest.fixture(scope="module")
def answered(population):
    """A linked customer with two purchases whose messages the brand answered."""
    messages = population.messages
    replied = messages[messages["message_id"].isin(messages["reply_to"])]
    truth = population.truth["links"].dropna(subset=["customer_id"]).merge(population.profiles)
    bought = population.transactions["customer_id"].value_counts()
    for row in truth.itertuples():
        theirs = replied[
            (replied["channel"].astype(str) == row.platform)
            & (_key(replied["author"]) == row.handle.lower().lstrip("@"))
        ]
        if len(theirs) and bought.get(row.customer_id, 0) >= 2:
            return row.customer_id, theirs.iloc[0]
    raise AssertionError("no customer with brand replies and two purchases")


@pytest.fixture(scope="module")
def store(tmp_path_factory, population, answered):
    store = InteractionStore(tmp_path_factory.mktemp("history_backends") / "store")
    for table in TABLES:
        store.ingest(getattr(population, table), table=table, ingested_at="2024-06-01T00:00Z")
    customer, message = answered
    purchases = population.transactions.copy()
    own = purchases.index[purchases["customer_id"] == customer]
    other = purchases.loc[purchases["customer_id"] != customer, "customer_id"].iloc[0]
    purchases.loc[own[0], "amount"] += 5.0
    purchases.loc[own[1], "customer_id"] = other
    revised = store.ingest(purchases, table="transactions", ingested_at="2024-07-01T00:00Z")
    assert revised.revised == 2
    messages = population.messages.copy()
    reply = messages.index[messages["reply_to"] == message["message_id"]][0]
    for row in (message.name, reply):
        messages.loc[row, "text"] = messages.loc[row, "text"] + " (edited)"
    own_answer = messages.loc[[message.name]].assign(
        message_id="M-self", reply_to=message["message_id"],
        time=message["time"] + pd.Timedelta(minutes=5), text="and one more thing",
    )  # fmt: skip
    messages = pd.concat([messages, own_answer], ignore_index=True)
    result = store.ingest(messages, table="messages", ingested_at="2024-07-02T00:00Z")
    assert (result.added, result.revised) == (1, 2)
    return store


def _expected(events, links, profiles, uid: str, *, latest_only: bool) -> pd.DataFrame:
    """(source, source_record_id, version, via) of a history, picked with plain pandas."""
    own = links[links["unified_customer_id"] == uid]
    crm = own.loc[own["source"] == "crm", "source_record_id"]
    direct = events[(events["kind"] != "message") & events["party"].isin(crm)].assign(via="crm")
    linked = own[own["source"] != "crm"].merge(
        profiles.astype({"platform": str}),
        left_on=["source", "source_record_id"],
        right_on=["platform", "profile_id"],
    )
    wanted = pd.DataFrame(
        {
            "channel": linked["platform"],
            "party": _key(linked["handle"]),
            "via": np.where(linked["rule"] == "none", "profile", linked["rule"]),
        }
    )
    messages = events[events["kind"] == "message"]
    picked = pd.concat([direct, messages.merge(wanted, on=["channel", "party"])])
    asked = picked.loc[picked["kind"] == "message", ["source", "source_record_id"]]
    replies = messages.merge(
        asked.rename(columns={"source_record_id": "reply_to"}).drop_duplicates()
    )
    key = ["source", "source_record_id", "version"]
    is_direct = replies.set_index(key).index.isin(picked.set_index(key).index)
    found = pd.concat([picked, replies[~is_direct].assign(via="reply")])
    if latest_only:
        newest = events.groupby(["source", "source_record_id"])["version"].max()
        found = found[found.set_index(key[:2]).index.map(newest) == found["version"]]
    found = found[[*key, "via"]].astype({"via": "str"})
    return found.sort_values(key).reset_index(drop=True)


def _customers(population, links, answered) -> list[str]:
    customer, _ = answered
    other = population.transactions.loc[
        population.transactions["customer_id"] != customer, "customer_id"
    ].iloc[0]
    unlinked = links[(links["source"] != "crm") & (links["rule"] == "none")].merge(
        population.profiles.astype({"platform": str}),
        left_on=["source", "source_record_id"],
        right_on=["platform", "profile_id"],
    )
    writing = unlinked[_key(unlinked["handle"]).isin(_key(population.messages["author"]))]
    return [f"U-{customer}", f"U-{other}", writing["unified_customer_id"].iloc[0], NEW]


@pytest.mark.parametrize("latest_only", [True, False])
def test_the_same_history_on_duckdb_and_spark(
    spark, store, population, links, answered, latest_only
):
    events = store.events(latest_only=False)
    customers = _customers(population, links, answered)
    for uid in customers:
        history = customer_history(
            store, links, uid, profiles=population.profiles, latest_only=latest_only
        )
        if latest_only or uid == customers[0]:  # every version: the answered customer's
            on_spark = customer_history(
                store, links, uid, profiles=population.profiles, latest_only=latest_only,
                engine="spark",
            )  # fmt: skip
            pd.testing.assert_frame_equal(on_spark, history)
        assert history.columns.tolist() == HISTORY_COLUMNS
        got = history[["source", "source_record_id", "version", "via"]]
        expected = _expected(events, links, population.profiles, uid, latest_only=latest_only)
        pd.testing.assert_frame_equal(
            got.sort_values(["source", "source_record_id", "version"]).reset_index(drop=True),
            expected,
        )
        order = ["time", "source", "source_record_id", "version"]
        pd.testing.assert_frame_equal(history, history.sort_values(order, ignore_index=True))


def test_the_answered_customer_has_replies_revisions_and_an_own_answer(
    store, population, links, answered
):
    customer, message = answered
    every = customer_history(
        store, links, f"U-{customer}", profiles=population.profiles, latest_only=False
    )
    latest = customer_history(store, links, f"U-{customer}", profiles=population.profiles)
    assert {"crm", "probabilistic", "reply"} <= set(every["via"])
    assert (every["version"] == 2).sum() == 3  # a purchase, the message and its reply
    assert len(every) == len(latest) + 4  # 3 first versions, the purchase moved away
    self_answer = latest.set_index("source_record_id").loc["M-self"]
    assert self_answer["via"] == "probabilistic" and self_answer["match_probability"] == 0.97
    edited = latest.set_index("source_record_id").loc[message["message_id"]]
    assert edited["version"] == 2 and edited["detail"].endswith("(edited)")


def test_a_customer_without_events_and_an_empty_store(spark, store, population, links, tmp_path):
    for engine in ("duckdb", "spark"):
        nothing = customer_history(store, links, NEW, profiles=population.profiles, engine=engine)
        assert nothing.columns.tolist() == HISTORY_COLUMNS and len(nothing) == 0
        empty = customer_history(
            InteractionStore(tmp_path / "empty"), links, links["unified_customer_id"].iloc[0],
            profiles=population.profiles, engine=engine,
        )  # fmt: skip
        pd.testing.assert_frame_equal(empty, nothing)


def test_a_bad_engine_or_master_is_refused(store, population, links):
    uid = links["unified_customer_id"].iloc[0]
    with pytest.raises(ParameterError, match="'engine' parameter of customer_history"):
        customer_history(store, links, uid, profiles=population.profiles, engine="Spark")
    with pytest.raises(ParameterError, match="spark_master: 'locale' is not a Spark master"):
        customer_history(
            store, links, uid, profiles=population.profiles, engine="spark", spark_master="locale"
        )
