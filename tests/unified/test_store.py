"""InteractionStore: append-only, idempotent ingest of the canonical tables, crash safety."""

from __future__ import annotations

import hashlib
import json
import os
import threading

import numpy as np
import pandas as pd
import pytest

from scrm_lab.exceptions import DataFileError, ParameterError, SchemaError
from scrm_lab.synth import simulate_customer_population
from scrm_lab.unified._store import EVENT_COLUMNS, IngestResult, InteractionStore

TABLES = ("interactions", "transactions", "messages")


@pytest.fixture(scope="module")
def population():
    return simulate_customer_population(n_customers=200, seed=41)


@pytest.fixture
def store(tmp_path, population):
    store = InteractionStore(tmp_path / "store")
    for table in TABLES:
        store.ingest(getattr(population, table), table=table, ingested_at="2025-01-01T00:00Z")
    return store


def _bytes(store: InteractionStore) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in store.path.iterdir()}


def _expected_hash(row) -> str:
    """SHA-256 of the content columns as compact JSON, written by hand (not by DuckDB)."""

    def value(v):
        return None if isinstance(v, float) and np.isnan(v) or v is pd.NA or v is None else v

    content = {
        "party": row["party"],
        "time": int(row["time"].value // 1000),
        "channel": row["channel"],
        "kind": row["kind"],
        "detail": value(row["detail"]),
        "amount": value(row["amount"]),
        "sentiment": value(row["sentiment"]),
        "reply_to": value(row["reply_to"]),
    }
    text = json.dumps(content, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_round_trip_counts_sources_and_columns(store, population):
    events = store.events()
    assert events.columns.tolist() == EVENT_COLUMNS
    sizes = {t: len(getattr(population, t)) for t in TABLES}
    assert len(events) == sum(sizes.values())
    assert events["kind"].value_counts().to_dict() == {
        "interaction": sizes["interactions"],
        "purchase": sizes["transactions"],
        "message": sizes["messages"],
    }
    messages = population.messages
    by_platform = messages["channel"].astype(str).value_counts().to_dict()
    assert events.loc[events["kind"] == "message", "source"].value_counts().to_dict() == (
        by_platform
    )
    assert set(events.loc[events["kind"] != "message", "source"]) == {"crm", "shop"}
    assert (events["version"] == 1).all()
    assert (events["ingested_at"] == pd.Timestamp("2025-01-01", tz="UTC")).all()
    assert events["time"].is_monotonic_increasing
    assert str(events["time"].dtype) == "datetime64[ns, UTC]"
    assert events["amount"].dtype == "float64"


def test_events_hold_the_source_values(store, population):
    events = store.events().set_index(["source", "source_record_id"])
    purchases = population.transactions
    stored = events.loc[[("shop", t) for t in purchases["transaction_id"]]]
    np.testing.assert_array_equal(stored["amount"].to_numpy(), purchases["amount"].to_numpy())
    np.testing.assert_array_equal(stored["party"].to_numpy(), purchases["customer_id"].to_numpy())
    assert stored["detail"].isna().all()
    actions = population.interactions
    stored = events.loc[[("crm", i) for i in actions["interaction_id"]]]
    np.testing.assert_array_equal(stored["detail"], actions["action"].astype(str))
    assert stored["amount"].isna().all()
    messages = population.messages
    keys = [(str(c), m) for c, m in zip(messages["channel"], messages["message_id"], strict=True)]
    stored = events.loc[keys]
    authors = messages["author"].str.lower().str.lstrip("@").to_numpy()
    np.testing.assert_array_equal(stored["party"].to_numpy(), authors)
    np.testing.assert_array_equal(stored["detail"].to_numpy(), messages["text"].to_numpy())
    replies = messages["reply_to"].notna().to_numpy()
    np.testing.assert_array_equal(
        stored["reply_to"].to_numpy()[replies], messages["reply_to"].to_numpy()[replies]
    )
    felt = messages["sentiment"].notna().to_numpy()
    assert (~felt).any() and stored["sentiment"].isna().to_numpy().tolist() == (~felt).tolist()
    np.testing.assert_array_equal(
        stored["sentiment"].to_numpy()[felt], messages["sentiment"].astype(str).to_numpy()[felt]
    )
    brand = messages["author_is_brand"].fillna(False).to_numpy(dtype=bool)
    assert brand.any() and stored["party"].to_numpy()[brand].tolist() == list(authors[brand])


def test_content_hash_is_sha256_of_canonical_json(store):
    events = store.events()
    sample = events.groupby("kind").head(5)
    for _, row in sample.iterrows():
        assert row["content_hash"] == _expected_hash(row)


def test_content_hash_with_quotes_and_accents(tmp_path):
    messages = pd.DataFrame(
        {
            "message_id": ["M1"],
            "brand": ["B"],
            "channel": pd.Categorical(["twitter"]),
            "author": ["@Zoé"],
            "time": pd.to_datetime(["2024-05-01 10:00:00.123456"], utc=True).as_unit("ns"),
            "text": ['Café "great" \\ 👍'],
        }
    )
    store = InteractionStore(tmp_path)
    store.ingest(messages, table="messages")
    row = store.events().iloc[0]
    assert row["party"] == "zoé"
    assert row["content_hash"] == _expected_hash(row)


def test_ingesting_again_changes_nothing(store, population):
    before = _bytes(store)
    for table in TABLES:
        data = getattr(population, table)
        result = store.ingest(data, table=table)
        assert result == IngestResult(added=0, unchanged=len(data), revised=0, file=None)
    assert _bytes(store) == before


def test_first_ingest_counts_and_file_names(tmp_path, population):
    store = InteractionStore(tmp_path / "new" / "store")  # parents created
    first = store.ingest(population.transactions, table="transactions")
    assert first == IngestResult(len(population.transactions), 0, 0, "batch-000001.parquet")
    second = store.ingest(population.interactions, table="interactions")
    assert second.file == "batch-000002.parquet"
    assert [p.name for p in store.files()] == ["batch-000001.parquet", "batch-000002.parquet"]


def test_changed_record_is_a_new_version_and_both_are_kept(store, population):
    changed = population.transactions.copy()
    changed.loc[3, "amount"] = changed.loc[3, "amount"] + 10.0
    record = changed.loc[3, "transaction_id"]
    result = store.ingest(changed, table="transactions", ingested_at="2025-02-01T12:00+01:00")
    assert (result.added, result.unchanged, result.revised) == (0, len(changed) - 1, 1)
    assert result.file is not None
    total = sum(len(getattr(population, t)) for t in TABLES)
    history = store.events(latest_only=False)
    assert len(history) == total + 1
    versions = history[history["source_record_id"] == record].sort_values("version")
    assert versions["version"].tolist() == [1, 2]
    assert versions["amount"].tolist() == [
        population.transactions.loc[3, "amount"],
        changed.loc[3, "amount"],
    ]
    assert versions["ingested_at"].iloc[1] == pd.Timestamp("2025-02-01 11:00", tz="UTC")
    assert versions["content_hash"].nunique() == 2
    latest = store.events()
    assert len(latest) == total
    shown = latest[latest["source_record_id"] == record]
    assert shown["version"].tolist() == [2]
    assert shown["amount"].tolist() == [changed.loc[3, "amount"]]
    # the same revision again: nothing new; the original content again: a third version
    assert store.ingest(changed, table="transactions").file is None
    back = store.ingest(population.transactions, table="transactions")
    assert (back.revised, back.unchanged) == (1, len(changed) - 1)
    assert store.events().set_index("source_record_id").loc[record, "version"] == 3


def test_source_override_keeps_records_apart(store, population):
    data = population.interactions.head(10)
    result = store.ingest(data, table="interactions", source="callcentre")
    assert (result.added, result.unchanged) == (10, 0)
    events = store.events()
    assert (events["source"] == "callcentre").sum() == 10


def test_transaction_channel_falls_back_to_the_source(tmp_path, population):
    data = population.transactions.head(4).copy()
    data["channel"] = pd.Categorical(["web", None, "store", None])
    store = InteractionStore(tmp_path)
    store.ingest(data, table="transactions", source="pos")
    events = store.events().set_index("source_record_id").loc[data["transaction_id"]]
    assert events["channel"].tolist() == ["web", "pos", "store", "pos"]
    assert set(events["source"]) == {"pos"}


def test_crash_during_rename_leaves_nothing_half_written(store, population, monkeypatch):
    before = _bytes(store)
    changed = population.transactions.copy()
    changed["amount"] = changed["amount"] + 1.0

    def crash(src, dst):
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk gone"):
        store.ingest(changed, table="transactions")
    monkeypatch.undo()
    assert _bytes(store) == before  # no new file, no temporary file
    assert len(store.events()) == sum(len(getattr(population, t)) for t in TABLES)
    assert store.ingest(changed, table="transactions").revised == len(changed)


def test_a_temporary_file_left_by_a_killed_writer_is_ignored_then_removed(store, population):
    stale = store.path / ".batch-000009.parquet.tmp-12345"
    stale.write_bytes(b"PAR1 half written")
    reopened = InteractionStore(store.path)
    assert len(reopened.events()) == sum(len(getattr(population, t)) for t in TABLES)
    reopened.ingest(population.transactions, table="transactions")
    assert not stale.exists()


def test_two_writers_do_not_interleave(tmp_path, population):
    store = InteractionStore(tmp_path)
    results = []

    def write():
        results.append(InteractionStore(tmp_path).ingest(population.messages, table="messages"))

    threads = [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    n = len(population.messages)
    assert sorted((r.added, r.unchanged) for r in results) == [(0, n), (n, 0)]
    assert len(store.files()) == 1
    assert len(store.events(latest_only=False)) == n


def test_an_empty_table_adds_nothing(store, population):
    before = _bytes(store)
    result = store.ingest(population.messages.head(0), table="messages")
    assert result == IngestResult(0, 0, 0, None)
    assert _bytes(store) == before


def test_empty_store_reads_as_an_empty_table(tmp_path):
    events = InteractionStore(tmp_path).events(latest_only=False)
    assert events.columns.tolist() == EVENT_COLUMNS
    assert len(events) == 0


# ------------------------------------------------------------------------------ refusals


def test_bad_table_name_is_refused(store, population):
    message = (
        r"'table' parameter of InteractionStore.ingest must be one of .*Got 'transaction'"
        r".*Did you mean 'transactions'"
    )
    with pytest.raises(ParameterError, match=message):
        store.ingest(population.transactions, table="transaction")


def test_missing_column_is_refused(store, population):
    with pytest.raises(SchemaError, match="column 'amount' is not in the data"):
        store.ingest(population.transactions.drop(columns="amount"), table="transactions")
    with pytest.raises(SchemaError, match="column 'interaction_id' is not in the data"):
        store.ingest(population.interactions.drop(columns="interaction_id"), table="interactions")


def test_bad_type_and_duplicate_ids_are_refused(store, population):
    bad = population.transactions.astype({"amount": "str"})
    with pytest.raises(SchemaError, match=r"ingest\(transactions\).*column 'amount' has dtype"):
        store.ingest(bad, table="transactions")
    twice = pd.concat([population.messages.head(2)] * 2, ignore_index=True)
    with pytest.raises(SchemaError, match="duplicate key \\(message_id="):
        store.ingest(twice, table="messages")


def test_data_that_is_not_a_frame_is_refused(store):
    with pytest.raises(ParameterError, match="'data' parameter .* must be a pandas DataFrame"):
        store.ingest([1, 2], table="messages")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-01-01 09:00", "no time zone"),
        (pd.Timestamp("2025-01-01"), "no time zone"),
        ("not a time", "Got 'not a time'"),
        (20250101, "Got 20250101"),
    ],
)
def test_bad_ingested_at_is_refused(store, population, value, message):
    with pytest.raises(ParameterError, match=f"'ingested_at' parameter .*{message}"):
        store.ingest(population.transactions, table="transactions", ingested_at=value)


def test_a_file_path_is_refused(tmp_path):
    path = tmp_path / "events.parquet"
    path.write_text("x")
    with pytest.raises(DataFileError, match=f"path '{path}' is a file; expected a folder"):
        InteractionStore(path)


def test_a_folder_with_other_files_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(DataFileError, match=f"folder '{tmp_path}' holds 1 file.*'notes.txt'"):
        InteractionStore(tmp_path)


def test_a_path_of_the_wrong_type_is_refused():
    with pytest.raises(ParameterError, match="'path' parameter of InteractionStore"):
        InteractionStore(3)
