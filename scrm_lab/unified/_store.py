"""An append-only audit trail of every interaction, whatever channel it came through.

:class:`InteractionStore` keeps events in a folder of Parquet files, one file per ingest
batch. Each file is written under a temporary name in the same folder, flushed to disk and
renamed with :func:`os.replace`, so a crash leaves no half-written batch; an exclusive lock
file (``fcntl.flock``) is held while a batch is compared with the store and written, so two
writers cannot interleave. Nothing is ever overwritten or deleted: a source record seen
again with other content is appended as a new version. Reads go through DuckDB
(``read_parquet``), so the store may be larger than memory; within each file the rows are
sorted by ``party`` so that the row-group statistics let a query for one person skip most
of the store.

Examples
--------
>>> import tempfile
>>> import pandas as pd
>>> purchases = pd.DataFrame({
...     "transaction_id": ["T1", "T2"], "customer_id": ["C1", "C2"],
...     "time": pd.to_datetime(["2024-01-02", "2024-01-03"], utc=True).as_unit("ns"),
...     "amount": [12.5, 40.0]})
>>> store = InteractionStore(tempfile.mkdtemp())
>>> store.ingest(purchases, table="transactions", ingested_at="2024-02-01T00:00Z")
IngestResult(added=2, unchanged=0, revised=0, file='batch-000001.parquet')
>>> store.ingest(purchases, table="transactions")  # the same records again: nothing new
IngestResult(added=0, unchanged=2, revised=0, file=None)
>>> store.events()[["source", "source_record_id", "party", "kind", "amount", "version"]]
  source source_record_id party      kind  amount  version
0   shop               T1    C1  purchase    12.5        1
1   shop               T2    C2  purchase    40.0        1
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from scrm_lab._checks import Choice, Flag, Instance, OrNone, Text, checks, refuse, require_columns
from scrm_lab._frames import duckdb_connection, spark_session
from scrm_lab.exceptions import DataFileError
from scrm_lab.identity import handle_keys
from scrm_lab.schema import validate

__all__ = ["EVENT_COLUMNS", "IngestResult", "InteractionStore"]

#: The columns of an event, in order: one row per version of a source record.
EVENT_COLUMNS = ["source", "source_record_id", "party", "time", "channel", "kind", "detail",
                 "amount", "sentiment", "reply_to", "content_hash", "version",
                 "ingested_at"]  # fmt: skip
#: The columns whose content the hash covers (not the record's identity or bookkeeping).
CONTENT_COLUMNS = ["party", "time", "channel", "kind", "detail", "amount", "sentiment",
                   "reply_to"]  # fmt: skip
#: Canonical table -> (its id column, the default source; None: the message's channel).
TABLES: dict[str, tuple[str, str | None]] = {
    "interactions": ("interaction_id", "crm"),
    "transactions": ("transaction_id", "shop"),
    "messages": ("message_id", None),
}
#: The columns each table needs beyond those its canonical schema requires.
_NEEDED = {
    "interactions": ["interaction_id", "customer_id", "time", "channel", "action"],
    "transactions": ["transaction_id", "customer_id", "time", "amount"],
    "messages": ["message_id", "channel", "author", "time", "text"],
}
#: The Parquet schema of every batch file.
SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("source_record_id", pa.string()),
        ("party", pa.string()),
        ("time", pa.timestamp("us", tz="UTC")),
        ("channel", pa.string()),
        ("kind", pa.string()),
        ("detail", pa.string()),
        ("amount", pa.float64()),
        ("sentiment", pa.string()),
        ("reply_to", pa.string()),
        ("content_hash", pa.string()),
        ("version", pa.int64()),
        ("ingested_at", pa.timestamp("us", tz="UTC")),
    ]
)
#: Rows per Parquet row group: small enough that a filter on ``party`` skips most of a file.
ROW_GROUP_SIZE = 65_536
_BATCH = re.compile(r"batch-(\d{6,})\.parquet")
_TEMPORARY = re.compile(r"\.batch-\d{6,}\.parquet\.tmp-\d+")
_LOCK = ".lock"
_STRINGS = ["source", "source_record_id", "party", "channel", "kind", "detail", "sentiment",
            "reply_to", "content_hash"]  # fmt: skip


@dataclass(frozen=True)
class IngestResult:
    """What :meth:`InteractionStore.ingest` did with a batch.

    Attributes
    ----------
    added : int
        Records never seen before (stored as version 1).
    unchanged : int
        Records already stored with the same content (skipped).
    revised : int
        Records stored before with other content (appended as a new version).
    file : str or None
        Name of the Parquet file written, None when nothing was new.
    """

    added: int
    unchanged: int
    revised: int
    file: str | None


def _utc(value: object, name: str) -> pd.Timestamp:
    """A time-zone aware timestamp, in UTC; refused (naming ``name``) otherwise."""
    expected = "a time-zone aware timestamp such as '2024-02-01T09:00Z'"
    if not isinstance(value, str | datetime | np.datetime64):
        raise refuse(name, expected, value)
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError) as err:
        raise refuse(name, expected, value) from err
    if stamp is pd.NaT or pd.isna(stamp):
        raise refuse(name, expected, value)
    if stamp.tzinfo is None:
        raise refuse(name, expected, value, " It has no time zone: add one (e.g. 'Z' for UTC).")
    return stamp.tz_convert("UTC")


def _strings(values: pd.Series) -> pd.Series:
    """A column as pandas str (missing values stay missing), without its index."""
    return values.astype("str").reset_index(drop=True)


def _none(n: int) -> pd.Series:
    return pd.Series([None] * n, dtype="str")


def _to_events(data: pd.DataFrame, table: str, source: str | None) -> pd.DataFrame:
    """The rows of a canonical table as events (without hash, version and ingestion time)."""
    id_column, default_source = TABLES[table]
    n = len(data)
    time = pd.to_datetime(data["time"], utc=True).dt.as_unit("us").reset_index(drop=True)
    if table == "interactions":
        party, channel = data["customer_id"], _strings(data["channel"])
        kind, detail, amount = "interaction", _strings(data["action"]), np.full(n, np.nan)
        sentiment = reply_to = _none(n)
    elif table == "transactions":
        party, kind = data["customer_id"], "purchase"
        own = source if source is not None else default_source
        channel = (
            _strings(data["channel"].astype("object").fillna(own))
            if "channel" in data.columns
            else pd.Series([own] * n, dtype="str")
        )
        detail = sentiment = reply_to = _none(n)
        amount = data["amount"].to_numpy(dtype="float64")
    else:
        party, channel = handle_keys(data["author"]), _strings(data["channel"])
        kind, detail = "message", _strings(data["text"])
        amount = np.full(n, np.nan)
        sentiment = _strings(data["sentiment"]) if "sentiment" in data.columns else _none(n)
        reply_to = _strings(data["reply_to"]) if "reply_to" in data.columns else _none(n)
    sources = channel if source is None and default_source is None else None
    return pd.DataFrame(
        {
            "source": sources if sources is not None else (source or default_source),
            "source_record_id": _strings(data[id_column]),
            "party": _strings(party),
            "time": time,
            "channel": channel,
            "kind": kind,
            "detail": detail,
            "amount": amount,
            "sentiment": sentiment,
            "reply_to": reply_to,
        }
    )


class InteractionStore:
    """An append-only audit trail of interactions: a folder of Parquet files.

    Parameters
    ----------
    path : str or os.PathLike
        The store's folder; created (with its parents) if missing. A path that is a file,
        or a folder holding files that are not the store's, is refused.

    Notes
    -----
    One event per version of a source record, with the columns of :data:`EVENT_COLUMNS`:
    ``source`` (the source system: "crm", "shop", a platform...), ``source_record_id``,
    ``party`` (the person's id in that source: the customer id for CRM-side tables, the
    author's handle in lower case without a leading '@' for social messages), ``time``
    (UTC, kept to the microsecond), ``channel``, ``kind`` ("interaction", "purchase" or
    "message"), ``detail`` (the action of an interaction, the text of a message, missing for
    a purchase), ``amount``
    (NaN when none), ``sentiment``, ``reply_to``, ``content_hash`` (SHA-256, hex, of the
    content columns ``party`` to ``reply_to`` written as canonical JSON by DuckDB: times as
    microseconds since the epoch, so the same content gives the same hash in every run and
    process), ``version`` (1 for the first) and ``ingested_at`` (UTC).

    Examples
    --------
    >>> import tempfile
    >>> store = InteractionStore(tempfile.mkdtemp())
    >>> store.events().columns.tolist() == EVENT_COLUMNS
    True
    """

    @checks(path=Instance((str, os.PathLike), "a folder path (str or os.PathLike)"))
    def __init__(self, path: str | os.PathLike) -> None:
        folder = Path(path)
        if folder.exists() and not folder.is_dir():
            raise DataFileError(
                f"InteractionStore: path '{folder}' is a file; expected a folder holding the "
                "store's Parquet files (or a path that does not exist yet)."
            )
        folder.mkdir(parents=True, exist_ok=True)
        foreign = sorted(
            p.name
            for p in folder.iterdir()
            if not (_BATCH.fullmatch(p.name) or _TEMPORARY.fullmatch(p.name) or p.name == _LOCK)
        )
        if foreign:
            shown = ", ".join(map(repr, foreign[:5])) + (" ..." if len(foreign) > 5 else "")
            raise DataFileError(
                f"InteractionStore: folder '{folder}' holds {len(foreign)} file(s) that are not "
                f"the store's: {shown}; expected only batch-<number>.parquet files and '.lock'. "
                "Give an empty or new folder."
            )
        self.path = folder

    def __repr__(self) -> str:
        return f"InteractionStore({str(self.path)!r})"

    # ------------------------------------------------------------------ reading

    def files(self) -> list[Path]:
        """The batch files, oldest first."""
        found = [p for p in self.path.iterdir() if _BATCH.fullmatch(p.name)]
        return sorted(found, key=lambda p: int(_BATCH.fullmatch(p.name).group(1)))  # type: ignore[union-attr]

    def connect(self) -> duckdb.DuckDBPyConnection:
        """A new in-memory DuckDB connection whose session time zone is UTC."""
        con = duckdb_connection()
        con.execute("SET TimeZone = 'UTC'")
        return con

    def scan(self) -> str | None:
        """The SQL table expression reading every batch file, None for an empty store."""
        files = self.files()
        if not files:
            return None
        quoted = ", ".join("'" + str(p).replace("'", "''") + "'" for p in files)
        return f"read_parquet([{quoted}])"

    @checks(
        engine=Choice(("duckdb", "spark")),
        spark_master=Text("a Spark master URL such as 'local[2]'"),
    )
    def lazy(self, *, engine: str = "duckdb", spark_master: str = "local[2]") -> Any:
        """Every stored event (every version) as a lazy table on ``engine``, not read yet.

        Parameters
        ----------
        engine : {"duckdb", "spark"}
            A DuckDB relation over the batch files (on a new connection whose time zone is
            UTC), or a Spark DataFrame reading them (the session of
            :func:`scrm_lab._frames.spark_session`, reused when one is running).
        spark_master : str
            The Spark master URL when a session must be started.

        Returns
        -------
        duckdb.DuckDBPyRelation, pyspark.sql.DataFrame or None
            None for an empty store; otherwise a table narwhals wraps
            (``narwhals.from_native``), with the columns of :data:`EVENT_COLUMNS`.

        Examples
        --------
        >>> import tempfile
        >>> store = InteractionStore(tempfile.mkdtemp())
        >>> store.lazy() is None
        True
        """
        files = [str(p) for p in self.files()]
        if not files:
            return None
        if engine == "duckdb":
            return self.connect().read_parquet(files)
        return spark_session(spark_master).read.parquet(*files)

    @checks(latest_only=Flag())
    def events(self, *, latest_only: bool = True) -> pd.DataFrame:
        """The stored events, ordered by time, source, record id and version.

        Parameters
        ----------
        latest_only : bool
            True (default): the latest version of each source record; False: every version.

        Returns
        -------
        pandas.DataFrame
            The columns of :data:`EVENT_COLUMNS`.
        """
        scan = self.scan()
        if scan is None:
            return as_frame(SCHEMA.empty_table())
        latest = (
            "QUALIFY row_number() OVER (PARTITION BY source, source_record_id "
            "ORDER BY version DESC) = 1"
            if latest_only
            else ""
        )
        query = f"SELECT * FROM {scan} {latest} ORDER BY time, source, source_record_id, version"
        with contextlib.closing(self.connect()) as con:
            return as_frame(con.sql(query).to_arrow_table())

    # ------------------------------------------------------------------ writing

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self.path / _LOCK, "a+b") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    @checks(
        table=Choice(tuple(TABLES)),
        source=OrNone(Text()),
    )
    def ingest(
        self,
        data: pd.DataFrame,
        *,
        table: str,
        source: str | None = None,
        ingested_at: str | pd.Timestamp | None = None,
    ) -> IngestResult:
        """Append a canonical table's records that are new or changed; skip the rest.

        A record is identified by (``source``, ``source_record_id``). One already stored
        with the same content hash is skipped; one stored with other content is appended as
        a new version (the previous version + 1); nothing is overwritten or deleted. When
        nothing is new no file is written, so loading the same records twice changes
        nothing.

        Parameters
        ----------
        data : pandas.DataFrame
            A canonical table (checked with :func:`scrm_lab.schema.validate`):
            ``interactions`` (``interaction_id``, ``customer_id``, ``time``, ``channel``,
            ``action``), ``transactions`` (``transaction_id``, ``customer_id``, ``time``,
            ``amount``, optionally ``channel``) or ``messages`` (``message_id``, ``brand``,
            ``channel``, ``author``, ``time``, ``text``, optionally ``reply_to``,
            ``author_is_brand``, ``sentiment``). Messages written by the brand are kept
            too, so replies appear in the trail.
        table : {"interactions", "transactions", "messages"}
            Which canonical table ``data`` is.
        source : str or None
            The source system; None: "crm" for interactions, "shop" for transactions, each
            message's channel (its platform) for messages.
        ingested_at : str, pandas.Timestamp or None
            When the batch is ingested, time-zone aware; None: now.

        Returns
        -------
        IngestResult
            Counts of records added, unchanged and revised, and the file written (or None).

        Raises
        ------
        SchemaError
            ``data`` is not a valid ``table`` (a missing column, a wrong dtype, a duplicate
            id).
        ParameterError
            A bad ``table``, ``source`` or ``ingested_at``.
        """
        stamp = (
            pd.Timestamp.now(tz="UTC") if ingested_at is None else _utc(ingested_at, "ingested_at")
        )
        if not isinstance(data, pd.DataFrame):
            raise refuse("data", "a pandas DataFrame", data, described=type(data).__name__)
        require_columns(data, _NEEDED[table])
        validate(data, table, source=f"InteractionStore.ingest({table})")
        events = _to_events(data.reset_index(drop=True), table, source)
        if events.empty:
            return IngestResult(0, 0, 0, None)
        stamp_us = pd.Timestamp(stamp).as_unit("us")
        with self._locked():
            for stale in self.path.iterdir():  # left by a writer that was killed
                if _TEMPORARY.fullmatch(stale.name):
                    stale.unlink(missing_ok=True)
            new, counts = self._compare(events)
            if new.num_rows == 0:
                return IngestResult(counts["added"], counts["unchanged"], counts["revised"], None)
            new = new.append_column(
                "ingested_at", pa.array(np.full(new.num_rows, stamp_us), SCHEMA.field(12).type)
            ).cast(SCHEMA)
            files = self.files()
            number = int(_BATCH.fullmatch(files[-1].name).group(1)) + 1 if files else 1  # type: ignore[union-attr]
            name = f"batch-{number:06d}.parquet"
            temporary = self.path / f".{name}.tmp-{os.getpid()}"
            try:
                with open(temporary, "wb") as handle:
                    pq.write_table(new, handle, row_group_size=ROW_GROUP_SIZE)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temporary, self.path / name)
            except BaseException:
                temporary.unlink(missing_ok=True)
                raise
            with contextlib.suppress(OSError):  # make the rename itself durable
                directory = os.open(self.path, os.O_RDONLY)
                try:
                    os.fsync(directory)
                finally:
                    os.close(directory)
        return IngestResult(counts["added"], counts["unchanged"], counts["revised"], name)

    def _compare(self, events: pd.DataFrame) -> tuple[pa.Table, dict[str, int]]:
        """Hash the batch, compare it with the latest stored versions; the rows to append."""
        content = ", ".join(
            f"'{c}': epoch_us({c})" if c == "time" else f"'{c}': {c}" for c in CONTENT_COLUMNS
        )
        scan = self.scan()
        # one equality per source, so the row-group statistics skip other sources' files
        sources = " OR ".join(
            "source = '" + str(v).replace("'", "''") + "'" for v in events["source"].unique()
        )
        previous = (
            "SELECT source, source_record_id, max(version) AS previous_version, "
            "arg_max(content_hash, version) AS previous_hash "
            f"FROM {scan} WHERE ({sources}) AND (source, source_record_id) IN "
            "(SELECT source, source_record_id FROM hashed) GROUP BY ALL"
            if scan is not None
            else "SELECT NULL::VARCHAR AS source, NULL::VARCHAR AS source_record_id, "
            "NULL::BIGINT AS previous_version, NULL::VARCHAR AS previous_hash LIMIT 0"
        )
        query = f"""
            WITH hashed AS (
                SELECT *, sha256(to_json({{{content}}})) AS content_hash FROM batch
            ), previous AS ({previous})
            SELECT {", ".join(EVENT_COLUMNS[:-2])},
                   coalesce(p.previous_version, 0) + 1 AS version,
                   p.previous_hash IS NOT DISTINCT FROM h.content_hash AS same
            FROM hashed h LEFT JOIN previous p USING (source, source_record_id)
            ORDER BY party, source, source_record_id
        """
        with contextlib.closing(self.connect()) as con:
            con.register("batch", pa.Table.from_pandas(events, preserve_index=False))
            compared = con.sql(query).to_arrow_table()
        same = compared.column("same")
        first = pc.equal(compared.column("version"), 1)
        unchanged = pc.sum(same).as_py() or 0
        added = pc.sum(pc.and_not(first, same)).as_py() or 0
        revised = compared.num_rows - unchanged - added
        new = compared.filter(pc.invert(same)).drop_columns(["same"])
        counts = {"added": int(added), "unchanged": int(unchanged), "revised": int(revised)}
        return new, counts


def as_frame(table: pa.Table) -> pd.DataFrame:
    """Events read from the store as pandas: str columns, float64 amount, ns UTC times."""
    frame = table.to_pandas()
    for column in _STRINGS:
        frame[column] = frame[column].astype("str")
    for column in ("time", "ingested_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True).astype("datetime64[ns, UTC]")
    frame["amount"] = frame["amount"].astype("float64")
    frame["version"] = frame["version"].astype("int64")
    return frame.reset_index(drop=True)
