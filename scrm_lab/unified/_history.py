"""customer_history: every interaction of one unified customer, across channels, in time order.

The link table (:func:`scrm_lab.identity.link_identities`) says which source records belong
to a unified customer: its "crm" row's ``source_record_id`` is the CRM customer id, the
``party`` of the customer's CRM-side events (interactions and purchases, whatever source
system sent them); each linked profile row gives a platform and a profile id, which the
canonical ``social_profiles`` table turns into a handle, the ``party`` of that platform's
messages. The store is filtered inside DuckDB one party at a time, so the Parquet row-group
statistics skip most of a large store and only the customer's events are read into memory.

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

import numpy as np
import pandas as pd

from scrm_lab._checks import Flag, Instance, Text, checks, refuse, require_columns, suggest
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


def _literal(value: object) -> str:
    """A SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def _number(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return "NULL::DOUBLE" if np.isnan(number) else repr(number)


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
) -> list[tuple[str, str | None, str, str]]:
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
            out.append((record, None, "crm", _number(chance)))
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
            out.append((party, source, "profile" if rule == "none" else rule, _number(chance)))
    return out


@checks(
    unified_customer_id=Text("a unified customer id (a non-empty str)"),
    profiles=Instance(pd.DataFrame, "a pandas DataFrame"),
    latest_only=Flag(),
)
def customer_history(
    store: InteractionStore,
    links: pd.DataFrame,
    unified_customer_id: str,
    *,
    profiles: pd.DataFrame,
    latest_only: bool = True,
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
    scan = store.scan()
    if scan is None or not parties:
        return _empty()
    picks = []
    for party, platform, via, chance in parties:
        where = (
            "kind <> 'message'"
            if platform is None
            else f"kind = 'message' AND channel = {_literal(platform)}"
        )
        picks.append(
            f"SELECT *, {_literal(via)} AS via, {chance} AS match_probability, 0 AS indirect "
            f"FROM {scan} WHERE party = {_literal(party)} AND {where}"
        )
    latest = (
        f"""newer AS (
            SELECT source, source_record_id, max(version) AS newest FROM {scan}
            WHERE version > 1 AND (source, source_record_id) IN
                (SELECT source, source_record_id FROM found)
            GROUP BY ALL
        ), kept AS (
            SELECT found.* FROM found LEFT JOIN newer USING (source, source_record_id)
            WHERE newer.newest IS NULL OR found.version = newer.newest
        )"""
        if latest_only
        else "kept AS (SELECT * FROM found)"
    )
    query = f"""
        WITH direct AS ({" UNION ALL ".join(picks)}),
        replies AS (
            SELECT *, 'reply' AS via, NULL::DOUBLE AS match_probability, 1 AS indirect
            FROM {scan}
            WHERE kind = 'message' AND reply_to IS NOT NULL
              AND (source, reply_to) IN
                (SELECT source, source_record_id FROM direct WHERE kind = 'message')
        ), found AS (
            SELECT * FROM (SELECT * FROM direct UNION ALL SELECT * FROM replies)
            QUALIFY row_number() OVER (
                PARTITION BY source, source_record_id, version ORDER BY indirect) = 1
        ), {latest}
        SELECT * EXCLUDE (indirect) FROM kept
        ORDER BY time, source, source_record_id, version
    """
    with contextlib.closing(store.connect()) as con:
        table = con.sql(query).to_arrow_table()
    events = as_frame(table.select(SCHEMA.names))
    events.insert(0, "unified_customer_id", unified_customer_id)
    events["via"] = table.column("via").to_pandas().astype("str").to_numpy()
    events["match_probability"] = table.column("match_probability").to_numpy()
    events["match_probability"] = events["match_probability"].astype("float64")
    events["unified_customer_id"] = events["unified_customer_id"].astype("str")
    return events[HISTORY_COLUMNS]


def _empty() -> pd.DataFrame:
    events = as_frame(SCHEMA.empty_table())
    events.insert(0, "unified_customer_id", pd.Series([], dtype="str"))
    events["via"] = pd.Series([], dtype="str")
    events["match_probability"] = pd.Series([], dtype="float64")
    return events[HISTORY_COLUMNS]
