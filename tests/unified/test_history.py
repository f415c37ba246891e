"""customer_history: one unified customer's events across channels, checked with pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.synth import simulate_customer_population
from scrm_lab.unified._history import HISTORY_COLUMNS, customer_history
from scrm_lab.unified._store import InteractionStore
from tests.unified.truth import truth_link_table

TABLES = ("interactions", "transactions", "messages")


@pytest.fixture(scope="module")
def population():
    return simulate_customer_population(n_customers=200, seed=43)


@pytest.fixture(scope="module")
def links(population):
    """A link table in link_identities' layout, made from the simulation's true links."""
    return truth_link_table(population.crm, population.truth["links"])


@pytest.fixture(scope="module")
def store(tmp_path_factory, population):
    store = InteractionStore(tmp_path_factory.mktemp("history") / "store")
    for table in TABLES:
        store.ingest(getattr(population, table), table=table)
    return store


def _expected(population, customer_id: str) -> pd.DataFrame:
    """The customer's records, found with pandas from the input tables and the true links."""
    parts = [
        population.interactions.loc[
            population.interactions["customer_id"] == customer_id, ["interaction_id"]
        ]
        .rename(columns={"interaction_id": "id"})
        .assign(source="crm", via="crm"),
        population.transactions.loc[
            population.transactions["customer_id"] == customer_id, ["transaction_id"]
        ]
        .rename(columns={"transaction_id": "id"})
        .assign(source="shop", via="crm"),
    ]
    truth = population.truth["links"]
    own = truth[truth["customer_id"] == customer_id].merge(
        population.profiles, on=["platform", "profile_id"]
    )
    messages = population.messages.assign(
        platform=population.messages["channel"].astype(str),
        key=population.messages["author"].str.lower().str.lstrip("@"),
    )
    mine = messages.merge(
        pd.DataFrame(
            {
                "platform": own["platform"].astype(str),
                "key": own["handle"].str.lower().str.lstrip("@"),
            }
        ),
        on=["platform", "key"],
    )
    parts.append(
        mine[["message_id", "platform"]]
        .rename(columns={"message_id": "id", "platform": "source"})
        .assign(via="probabilistic")
    )
    answers = messages["reply_to"].isin(mine["message_id"])
    replies = messages[answers & ~messages["message_id"].isin(mine["message_id"])]
    parts.append(
        replies[["message_id", "platform"]]
        .rename(columns={"message_id": "id", "platform": "source"})
        .assign(via="reply")
    )
    return pd.concat(parts, ignore_index=True)


@pytest.fixture(scope="module")
def customer(population):
    """A customer with a linked profile whose messages the brand answered."""
    truth = population.truth["links"].dropna(subset=["customer_id"])
    bought = population.transactions["customer_id"].value_counts()
    for candidate in truth["customer_id"]:
        via = _expected(population, candidate)["via"].value_counts()
        if via.get("reply", 0) > 0 and bought.get(candidate, 0) >= 2:
            return candidate
    raise AssertionError("no customer with brand replies and two purchases")


def test_history_of_a_linked_customer(store, links, population, customer):
    history = customer_history(store, links, f"U-{customer}", profiles=population.profiles)
    expected = _expected(population, customer)
    assert history.columns.tolist() == HISTORY_COLUMNS
    assert len(history) == len(expected)
    assert not history.duplicated(["source", "source_record_id"]).any()
    got = set(zip(history["source"], history["source_record_id"], history["via"], strict=True))
    assert got == set(zip(expected["source"], expected["id"], expected["via"], strict=True))
    assert history["time"].is_monotonic_increasing
    assert (history["unified_customer_id"] == f"U-{customer}").all()
    kinds = history["kind"].value_counts()
    assert kinds["interaction"] == (population.interactions["customer_id"] == customer).sum()
    assert kinds["purchase"] == (population.transactions["customer_id"] == customer).sum()
    assert kinds["message"] == (~expected["source"].isin(["crm", "shop"])).sum()
    brand = population.messages.set_index("message_id")["author_is_brand"]
    replies = history[history["via"] == "reply"]
    assert brand.loc[replies["source_record_id"]].all()  # the brand's answers
    np.testing.assert_array_equal(
        history.loc[history["via"] == "probabilistic", "match_probability"], 0.97
    )
    assert history.loc[history["via"] != "probabilistic", "match_probability"].isna().all()
    purchases = history[history["kind"] == "purchase"].set_index("source_record_id")["amount"]
    truth = population.transactions.set_index("transaction_id")["amount"]
    np.testing.assert_array_equal(purchases.to_numpy(), truth.loc[purchases.index].to_numpy())


def test_customer_without_events_gives_an_empty_table(store, links, population):
    extra = pd.DataFrame(
        {"source": ["crm"], "source_record_id": ["C999999"], "unified_customer_id": ["U-new"],
         "match_probability": [np.nan], "rule": ["none"]}
    )  # fmt: skip
    history = customer_history(
        store, pd.concat([links, extra], ignore_index=True), "U-new", profiles=population.profiles
    )
    assert history.columns.tolist() == HISTORY_COLUMNS
    assert len(history) == 0
    assert str(history["time"].dtype) == "datetime64[ns, UTC]"


def test_empty_store_gives_an_empty_table(tmp_path, links, population, customer):
    history = customer_history(
        InteractionStore(tmp_path), links, f"U-{customer}", profiles=population.profiles
    )
    assert history.columns.tolist() == HISTORY_COLUMNS and len(history) == 0


def test_unlinked_profile_is_its_own_customer(store, links, population):
    unlinked = links[(links["source"] != "crm") & (links["rule"] == "none")]
    messages = population.messages.assign(key=population.messages["author"].str.lower())
    for _, row in unlinked.iterrows():
        profile = population.profiles[
            (population.profiles["platform"] == row["source"])
            & (population.profiles["profile_id"] == row["source_record_id"])
        ].iloc[0]
        own = messages[
            (messages["channel"] == row["source"]) & (messages["key"] == profile["handle"].lower())
        ]
        if len(own):
            break
    history = customer_history(
        store, links, row["unified_customer_id"], profiles=population.profiles
    )
    direct = history[history["via"] == "profile"]
    assert sorted(direct["source_record_id"]) == sorted(own["message_id"])
    assert set(history["kind"]) == {"message"}


def test_revisions_latest_only_and_a_record_moved_to_another_customer(
    tmp_path, links, population, customer
):
    store = InteractionStore(tmp_path)
    for table in TABLES:
        store.ingest(getattr(population, table), table=table)
    purchases = population.transactions
    own = purchases.index[purchases["customer_id"] == customer]
    other = purchases.loc[purchases["customer_id"] != customer, "customer_id"].iloc[0]
    changed = purchases.copy()
    changed.loc[own[0], "amount"] += 5.0  # revised, still this customer's
    changed.loc[own[1], "customer_id"] = other  # moved to another customer
    result = store.ingest(changed, table="transactions")
    assert result.revised == 2
    profiles = population.profiles
    history = customer_history(store, links, f"U-{customer}", profiles=profiles)
    ids = purchases.loc[own, "transaction_id"]
    shown = history.set_index("source_record_id")
    assert ids[own[0]] in shown.index and ids[own[1]] not in shown.index
    assert shown.loc[ids[own[0]], "version"] == 2
    assert shown.loc[ids[own[0]], "amount"] == changed.loc[own[0], "amount"]
    every = customer_history(store, links, f"U-{customer}", profiles=profiles, latest_only=False)
    assert len(every) == len(history) + 2  # both versions of the first, the old of the second
    moved = customer_history(store, links, f"U-{other}", profiles=profiles)
    assert ids[own[1]] in set(moved["source_record_id"])


# ------------------------------------------------------------------------------ refusals


def test_unknown_id_is_refused_with_a_suggestion(store, links, population, customer):
    with pytest.raises(
        ParameterError,
        match=f"'unified_customer_id' parameter of customer_history must be a unified customer "
        f"id of the link table. Got 'u-{customer}' instead. Did you mean 'U-{customer}'",
    ):
        customer_history(store, links, f"u-{customer}", profiles=population.profiles)


def test_linked_profile_missing_from_profiles_is_refused(store, links, population, customer):
    profiles = population.profiles
    truth = population.truth["links"]
    platform, profile_id = truth.loc[truth["customer_id"] == customer, ["platform", "profile_id"]
                                     ].iloc[0]  # fmt: skip
    fewer = profiles[profiles["profile_id"] != profile_id]
    with pytest.raises(SchemaError, match=f"profile_id '{profile_id}' on platform '{platform}'"):
        customer_history(store, links, f"U-{customer}", profiles=fewer)


def test_missing_columns_and_wrong_types_are_refused(store, links, population, customer):
    uid = f"U-{customer}"
    with pytest.raises(SchemaError, match="column 'rule' is not in the data"):
        customer_history(store, links.drop(columns="rule"), uid, profiles=population.profiles)
    with pytest.raises(SchemaError, match="column 'handle' is not in the data"):
        customer_history(store, links, uid, profiles=population.profiles.drop(columns="handle"))
    with pytest.raises(ParameterError, match="'store' parameter of customer_history"):
        customer_history("folder", links, uid, profiles=population.profiles)
    with pytest.raises(ParameterError, match="'links' parameter of customer_history"):
        customer_history(store, None, uid, profiles=population.profiles)


def test_with_the_link_table_of_link_identities(tmp_path):
    from scrm_lab.identity import link_identities

    population = simulate_customer_population(n_customers=60, seed=44)
    links = link_identities(population.crm, population.profiles, seed=1).links
    store = InteractionStore(tmp_path)
    for table in TABLES:
        store.ingest(getattr(population, table), table=table)
    given = links[links["rule"] == "given_handle"]
    truth = population.truth["links"].dropna(subset=["customer_id"])
    right = given.merge(
        truth, left_on=["source", "source_record_id"], right_on=["platform", "profile_id"]
    )
    right = right[right["unified_customer_id"] == "U-" + right["customer_id"]]
    customer = right["customer_id"].iloc[0]
    history = customer_history(store, links, f"U-{customer}", profiles=population.profiles)
    expected = _expected(population, customer)
    # every profile of this customer is linked correctly by the rule or the model
    mine = links[links["unified_customer_id"] == f"U-{customer}"]
    assert len(mine) == 1 + (truth["customer_id"] == customer).sum()
    got = set(zip(history["source"], history["source_record_id"], strict=True))
    assert got == set(zip(expected["source"], expected["id"], strict=True))
    vias = set(history.loc[history["kind"] == "message", "via"]) - {"reply"}
    assert "given_handle" in vias and vias <= {"given_handle", "probabilistic", "email"}
