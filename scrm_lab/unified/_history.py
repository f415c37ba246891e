"""customer_history: every interaction of one unified customer, across channels, in time order.

The link table (:func:`scrm_lab.identity.link_identities`) says which source records belong
to a unified customer: its "crm" row's ``source_record_id`` is the CRM customer id, the
``party`` of the customer's CRM-side events (interactions and purchases, whatever source
system sent them); each linked profile row gives a platform and a profile id, which the
canonical ``social_profiles`` table turns into a handle, the ``party`` of that platform's
messages. The store is queried inside the engine: embedded DuckDB, or Spark for a store too
large for one machine (its folder of Parquet batches on a cluster file system). One set of
narwhals expressions runs on both; the events are filtered on the customer's parties first,
so the Parquet row-group statistics skip most of a large store, and only the customer's
events come back into memory.

Examples
--------
>>> import tempfile
>>> import pandas as pd
>>> from scrm_lab.unified._store import InteractionStore
>>> store = InteractionStore(tempfile.mkdtemp())
>>> _ = store.ingest(pd.DataFrame({
...     "transaction_id": ["T1"], "customer_id": ["C1"],
...     "time": pd.to_datetime(["2024-01-02"], utc=True).as_unit("ns"), "amount": [12.5]}),
...     table="transactions")
>>> messages = pd.DataFrame({
...     "message_id": ["M1", "M2"], "brand": ["B", "B"], "channel": ["twitter", "twitter"],
...     "author": ["@Bob", "B_care"],
...     "time": pd.to_datetime(["2024-01-01 00:00", "2024-01-01 01:00"], utc=True).as_unit("ns"),
...     "text": ["@B late again", "Sorry, we are on it"], "reply_to": [None, "M1"],
...     }).astype({"channel": "category"})
>>> _ = store.ingest(messages, table="messages")
>>> links = pd.DataFrame({
...     "source": ["crm", "twitter"], "source_record_id": ["C1", "P9"],
...     "unified_customer_id": ["U-C1", "U-C1"], "match_probability": [float("nan"), 1.0],
...     "rule": ["none", "given_handle"]})
>>> profiles = pd.DataFrame({"platform": ["twitter"], "profile_id": ["P9"],
...     "handle": ["bob"]}).astype({"platform": "category"})
>>> history = customer_history(store, links, "U-C1", profiles=profiles)
>>> history[["source", "source_record_id", "kind", "amount", "via"]]
    source source_record_id      kind  amount           via
0  twitter               M1   message     NaN  given_handle
1  twitter               M2   message     NaN         reply
2     shop               T1  purchase    12.5           crm
"""

from __future__ import annotations

import contextlib

import narwhals as nw
import numpy as np
import pandas as pd

from scrm_lab._checks import (
    Choice,
    Flag,
    Instance,
    Text,
    checks,
    refuse,
    require_columns,
    suggest,
)
from scrm_lab._frames import duckdb_connection
from scrm_lab.exceptions import SchemaError
from scrm_lab.identity import handle_keys
from scrm_lab.unified._store import SCHEMA, InteractionStore, as_frame

__all__ = ["HISTORY_COLUMNS", "customer_history"]

#: The columns of :func:`customer_history`, in order.
HISTORY_COLUMNS = ["unified_customer_id", "time", "source", "source_record_id", "channel",
                   "kind", "detail", "amount", "sentiment", "reply_to", "version",
                   "ingested_at", "via", "match_probability"]  # fmt: skip
_LINK_COLUMNS = ["source", "source_record_id", "unified_customer_id", "rule"]
_PROFILE_COLUMNS = ["platform", "profile_id", "handle"]
#: Where the store can be queried.
_ENGINES = ("duckdb", "spark")
#: A source record, and the order of the history.
_RECORD = ["source", "source_record_id"]
_ORDER = ["time", "source", "source_record_id", "version"]
_NEWEST = "__scrm_newest_version"


def _probability(value: object) -> float | None:
    """A link's match probability; None (a missing value on the engine) for NaN."""
    number = float(value)  # type: ignore[arg-type]
    return None if np.isnan(number) else number


def _near_miss(value: str, known: pd.Series) -> str:
    """A did-you-mean: difflib (:func:`suggest`) among the 20 ids closest in edit distance.

    The 20 are found by DuckDB, so a link table of millions of ids is searched in a moment.
    """
    ids = pd.DataFrame({"id": known.drop_duplicates().to_numpy()})
    with contextlib.closing(duckdb_connection()) as con:
        con.register("ids", ids)
        near = con.execute(
            "SELECT id FROM ids ORDER BY levenshtein(lower(id), lower($1)), id LIMIT 20", [value]
        ).fetchall()
    return suggest(value, [row[0] for row in near])


def _parties(
    links: pd.DataFrame, profiles: pd.DataFrame, unified_customer_id: str
) -> list[tuple[str, str | None, str, float | None]]:
    """(party, platform or None for CRM-side events, via, match probability) of a customer."""
    own = links[links["unified_customer_id"].astype(str) == unified_customer_id].astype(
        {"source_record_id": str}
    )
    probability = (
        own["match_probability"].astype("float64")
        if "match_probability" in own.columns
        else pd.Series(np.nan, index=own.index)
    )
    wanted = profiles[profiles["profile_id"].astype(str).isin(own["source_record_id"])]
    keys = pd.DataFrame(
        {
            "platform": wanted["platform"].astype(str).to_numpy(),
            "profile_id": wanted["profile_id"].astype(str).to_numpy(),
            "party": handle_keys(wanted["handle"]).to_numpy(),
        }
    ).drop_duplicates(["platform", "profile_id"])
    handle = {(p, i): h for p, i, h in keys.itertuples(index=False, name=None)}
    out = []
    for source, record, rule, chance in zip(
        own["source"].astype(str), own["source_record_id"].astype(str), own["rule"].astype(str),
        probability, strict=True,
    ):  # fmt: skip
        if source == "crm":
            out.append((record, None, "crm", _probability(chance)))
            continue
        if (source, record) not in handle:
            raise SchemaError(
                f"customer_history: the link table puts profile_id {record!r} on platform "
                f"{source!r} in {unified_customer_id!r}, but 'profiles' has no row for it; "
                "expected every linked profile in the canonical social_profiles table.",
                table="social_profiles",
                column="profile_id",
            )
        party = handle[(source, record)]
        if isinstance(party, str):  # a profile without a handle has no messages to find
            via = "profile" if rule == "none" else rule
            out.append((party, source, via, _probability(chance)))
    return out


def _found(
    events: nw.LazyFrame, parties: list[tuple[str, str | None, str, float | None]], *,
    latest_only: bool,
) -> nw.LazyFrame:  # fmt: skip
    """The customer's events on the engine, with ``via`` and ``match_probability``.

    A row is picked directly when it is the events of one of the ``parties`` (the first
    that matches gives ``via``); a reply is a message answering a directly picked message of
    its source that is not itself picked directly (a direct pick wins over a reply, as each
    (source, record, version) appears once). With ``latest_only``, a record's rows are
    kept only at its newest version among every stored version; those versions are looked
    up for the found records only (a semi join), so the engine aggregates a few rows however
    many revisions the store holds.
    """
    party, kind = nw.col("party"), nw.col("kind")
    picks = [
        (party == name) & ((kind != "message") if platform is None
                           else (kind == "message") & (nw.col("channel") == platform))
        for name, platform, _, _ in parties
    ]  # fmt: skip
    # party alone first, so the engine skips row groups (Parquet statistics) of others
    names = dict.fromkeys(name for name, _, _, _ in parties)
    mine = events.filter(nw.any_horizontal(*(party == name for name in names), ignore_nulls=False))
    direct = nw.any_horizontal(*picks, ignore_nulls=True)
    via = probability = None
    for pick, (_, _, how, chance) in zip(picks, parties, strict=True):
        via = (nw if via is None else via).when(pick).then(nw.lit(how, nw.String))
        chance = nw.lit(chance, nw.Float64)
        probability = (nw if probability is None else probability).when(pick).then(chance)
    picked = mine.filter(direct).with_columns(via=via, match_probability=probability)
    answered = picked.filter(kind == "message").select(
        "source", nw.col("source_record_id").alias("reply_to")
    )
    replies = (
        events.filter((kind == "message") & ~nw.col("reply_to").is_null() & ~direct)
        .join(answered, on=["source", "reply_to"], how="semi")
        .with_columns(via=nw.lit("reply"), match_probability=nw.lit(None, nw.Float64))
    )
    found = nw.concat([picked, replies])
    if not latest_only:
        return found
    newest = (
        events.filter(nw.col("version") > 1)
        .join(found.select(*_RECORD), on=_RECORD, how="semi")
        .group_by(*_RECORD)
        .agg(nw.col("version").max().alias(_NEWEST))
    )
    kept = found.join(newest, on=_RECORD, how="left").filter(
        nw.col(_NEWEST).is_null() | (nw.col("version") == nw.col(_NEWEST))
    )
    return kept.drop(_NEWEST)


@checks(
    unified_customer_id=Text("a unified customer id (a non-empty str)"),
    profiles=Instance(pd.DataFrame, "a pandas DataFrame"),
    latest_only=Flag(),
    engine=Choice(_ENGINES),
    spark_master=Text("a Spark master URL such as 'local[2]'"),
)
def customer_history(
    store: InteractionStore,
    links: pd.DataFrame,
    unified_customer_id: str,
    *,
    profiles: pd.DataFrame,
    latest_only: bool = True,
    engine: str = "duckdb",
    spark_master: str = "local[2]",
) -> pd.DataFrame:
    """Every interaction of one unified customer across channels, in time order.

    The customer's events are: the CRM-side events (kind "interaction" or "purchase", from
    any source system) whose ``party`` is the customer id of the customer's "crm" link
    row; the messages on each linked profile's platform whose ``party`` is the profile's
    handle (lower case, without a leading '@'); and the replies to those messages (any
    message whose ``reply_to`` is one of them, on the same source), which is where the
    brand's answers are. Each event appears once.

    Parameters
    ----------
    store : InteractionStore
        The audit trail.
    links : pandas.DataFrame
        A link table (``source``, ``source_record_id``, ``unified_customer_id``, ``rule``,
        optionally ``match_probability``), as :func:`scrm_lab.identity.link_identities`
        returns in ``.links``.
    unified_customer_id : str
        The customer, one of ``links["unified_customer_id"]``.
    profiles : pandas.DataFrame
        The canonical ``social_profiles`` table (``platform``, ``profile_id``, ``handle``)
        the links were made from.
    latest_only : bool
        True (default): the latest version of each source record; False: every version.
    engine : {"duckdb", "spark"}
        Where the store is queried: embedded DuckDB (default) or Spark
        (:meth:`InteractionStore.lazy`); the same table either way.
    spark_master : str
        The Spark master URL, used when ``engine="spark"`` and no session is running
        (a running session is reused).

    Returns
    -------
    pandas.DataFrame
        One row per event, ordered by ``time``, ``source``, ``source_record_id`` and
        ``version``: ``unified_customer_id``, ``time``, ``source``, ``source_record_id``,
        ``channel``, ``kind``, ``detail``, ``amount``, ``sentiment``, ``reply_to``,
        ``version``, ``ingested_at``, ``via`` (why the event is in this history: "crm" for
        the CRM record's events, the link rule of a profile's messages - "given_handle",
        "email" or "probabilistic", "profile" when the unified customer is an unlinked
        profile -, "reply" for a reply to one of the customer's messages) and
        ``match_probability`` (of the link; NaN for CRM events and replies).

    Raises
    ------
    ParameterError
        ``unified_customer_id`` is not in the link table (with a close suggestion).
    SchemaError
        A column missing from ``links`` or ``profiles``; a linked profile missing from
        ``profiles``.
    EngineError
        ``engine="spark"`` and Spark cannot start (no PySpark or Java, no master answers).
    """
    if not isinstance(store, InteractionStore):
        raise refuse("store", "an InteractionStore", store)
    for name, data in (("links", links), ("profiles", profiles)):
        if not isinstance(data, pd.DataFrame):
            raise refuse(name, "a pandas DataFrame", data, described=type(data).__name__)
    require_columns(links, _LINK_COLUMNS)
    require_columns(profiles, _PROFILE_COLUMNS)
    known = links["unified_customer_id"].astype(str)
    if not (known == unified_customer_id).any():
        raise refuse(
            "unified_customer_id",
            "a unified customer id of the link table",
            unified_customer_id,
            _near_miss(unified_customer_id, known),
        )
    parties = _parties(links, profiles, unified_customer_id)
    stored = store.lazy(engine=engine, spark_master=spark_master) if parties else None
    if stored is None:
        return _empty()
    found = _found(nw.from_native(stored), parties, latest_only=latest_only)
    table = found.sort(*_ORDER).collect(backend="pyarrow").to_native()
    events = as_frame(table.select(SCHEMA.names))
    events.insert(0, "unified_customer_id", unified_customer_id)
    events["via"] = table.column("via").to_pandas().astype("str").to_numpy()
    events["match_probability"] = table.column("match_probability").to_numpy()
    events["match_probability"] = events["match_probability"].astype("float64")
    events = events.astype({"unified_customer_id": "str", "via": "str"})
    return events[HISTORY_COLUMNS]


def _empty() -> pd.DataFrame:
    events = as_frame(SCHEMA.empty_table())
    events.insert(0, "unified_customer_id", pd.Series([], dtype="str"))
    events["via"] = pd.Series([], dtype="str")
    events["match_probability"] = pd.Series([], dtype="float64")
    return events[HISTORY_COLUMNS]
