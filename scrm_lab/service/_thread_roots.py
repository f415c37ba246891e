"""Checking a messages table and finding each message's thread opener, on any backend.

A pandas table is checked with :func:`scrm_lab.schema.validate` and its openers found by
pointer jumping over row positions (:func:`pandas_roots`), with errors naming rows. A DuckDB
relation or a PySpark DataFrame is checked on the backend (:func:`check_lazy`: the columns
the measures need, unique ``message_id``, ``time`` a timestamp without gaps, replies to known
and earlier messages), each error naming the column and the first bad ``message_id`` in
sorted order, as rows have no order there; its openers are found by joins
(:func:`lazy_roots`).

Examples
--------
>>> import pandas as pd
>>> from scrm_lab._frames import as_lazy, to_pandas
>>> table = pd.DataFrame({"message_id": ["a", "b", "c"], "reply_to": [None, "a", "b"]})
>>> to_pandas(lazy_roots(as_lazy(table)).sort("message_id"))["root"].tolist()
['a', 'a', 'a']
"""

from __future__ import annotations

from collections.abc import Sequence

import narwhals as nw
import numpy as np
import pandas as pd

from scrm_lab._checks import current_function, require_names
from scrm_lab._frames import columns_of, to_pandas
from scrm_lab.exceptions import SchemaError

__all__ = ["brand_flags", "brand_flag_expr", "check_lazy", "lazy_roots", "pandas_roots"]

#: Columns of the messages table the service measures read (besides the brand flags).
NEEDED = ("message_id", "brand", "channel", "author", "time", "reply_to")


def _no_flags(function: str) -> SchemaError:
    return SchemaError(
        f"{function}: column 'author_is_brand' is not in the data; expected it, or the "
        "brand's own handles in the 'brand_authors' parameter.",
        table="messages",
        column="author_is_brand",
    )


def brand_flags(messages: pd.DataFrame, brand_authors: Sequence[str] | None) -> np.ndarray:
    """Whether each row of a pandas table is the brand's, refusing missing flags by row."""
    function = current_function()
    if brand_authors is not None:
        return messages["author"].isin(list(brand_authors)).to_numpy()
    if "author_is_brand" not in messages.columns:
        raise _no_flags(function)
    flags = messages["author_is_brand"]
    if flags.isna().any():
        row = int(np.flatnonzero(flags.isna().to_numpy())[0]) + 1
        raise SchemaError(
            f"{function}: column 'author_is_brand': row {row} is missing; expected True or "
            "False on every message, or the brand's handles in the 'brand_authors' parameter.",
            table="messages",
            column="author_is_brand",
            row=row,
        )
    return flags.to_numpy(dtype=bool)


def brand_flag_expr(brand_authors: Sequence[str] | None) -> nw.Expr:
    """Whether a message is the brand's, as an expression (flags checked by check_lazy)."""
    if brand_authors is not None:
        return nw.col("author").is_in(list(brand_authors))
    return nw.col("author_is_brand").cast(nw.Boolean)


def pandas_roots(messages: pd.DataFrame) -> np.ndarray:
    """Position of each message's thread opener, refusing unknown, later or cyclic parents."""
    function = current_function()
    ids = messages["message_id"].to_numpy(dtype=object)
    reply_to = messages["reply_to"]
    has_parent = reply_to.notna().to_numpy()
    position = pd.Series(np.arange(len(ids)), index=ids)
    parent = position.reindex(reply_to.to_numpy(dtype=object)).to_numpy()
    unknown = has_parent & np.isnan(parent)
    if unknown.any():
        row = int(np.flatnonzero(unknown)[0])
        raise SchemaError(
            f"{function}: column 'reply_to': row {row + 1} has value {reply_to.iloc[row]!r}, "
            f"which is not a message_id in the data ({int(unknown.sum())} rows in all); expected "
            "the id of a message in the table, or missing for a new thread.",
            table="messages",
            column="reply_to",
            row=row + 1,
        )
    parent = np.where(has_parent, parent, np.arange(len(ids))).astype(int)
    times = messages["time"].to_numpy()
    early = times < times[parent]
    if early.any():
        row = int(np.flatnonzero(early)[0])
        raise SchemaError(
            f"{function}: column 'time': row {row + 1} (message {ids[row]!r}) is posted at "
            f"{messages['time'].iloc[row]}, before the message it replies to "
            f"({ids[parent[row]]!r}, {messages['time'].iloc[parent[row]]}); expected a reply "
            "at or after its parent.",
            table="messages",
            column="time",
            row=row + 1,
        )
    root = parent
    for _ in range(max(1, len(ids)).bit_length() + 1):  # pointer jumping: depth halves
        root = root[root]
    cyclic = has_parent[root]
    if cyclic.any():
        row = int(np.flatnonzero(cyclic)[0])
        raise SchemaError(
            f"{function}: column 'reply_to': row {row + 1} (message {ids[row]!r}) is in a "
            "reply cycle that never reaches an opening message; expected every chain of "
            "replies to end at a message without reply_to.",
            table="messages",
            column="reply_to",
            row=row + 1,
        )
    return root


def _whole(value: object) -> int:
    """A count from a backend as an int (an empty table's sum or count may be missing)."""
    return int(value) if pd.notna(value) else 0  # type: ignore[arg-type]


def _first(lazy: nw.LazyFrame, condition: nw.Expr, columns: Sequence[str]) -> pd.Series:
    """The row with the smallest message_id where ``condition`` holds (a one-row fetch)."""
    found = lazy.filter(condition).select(*columns).sort("message_id").head(1)
    return to_pandas(found).iloc[0]


def check_lazy(lazy: nw.LazyFrame, brand_authors: Sequence[str] | None) -> nw.LazyFrame:
    """Refuse a lazy messages table the measures cannot use; ids and replies cast to text.

    Every check runs on the backend; only counts and the first bad row come back.
    """
    function = current_function()
    available = columns_of(lazy)
    require_names(available, NEEDED, function, table="messages")
    if brand_authors is None and "author_is_brand" not in available:
        raise _no_flags(function)
    dtype = lazy.collect_schema()["time"]
    if not isinstance(dtype, nw.Datetime):
        raise SchemaError(
            f"{function}: column 'time' of the messages table has dtype {dtype}; expected a "
            "timestamp.",
            table="messages",
            column="time",
        )
    lazy = lazy.with_columns(nw.col("message_id", "reply_to").cast(nw.String))
    required = [c for c in NEEDED if c != "reply_to"]
    flags = ["author_is_brand"] if brand_authors is None else []
    counts = to_pandas(
        lazy.select(
            nw.len().alias("_rows"),
            nw.col("message_id").n_unique().alias("_ids"),
            *[nw.col(c).is_null().cast(nw.Int64).sum().alias(c) for c in [*required, *flags]],
        )
    ).iloc[0]
    for column in [*required, *flags]:
        missing = _whole(counts[column])
        if not missing:
            continue
        if column == "message_id":
            raise SchemaError(
                f"{function}: column 'message_id' of the messages table is missing in "
                f"{missing} row(s); expected an id on every message.",
                table="messages",
                column=column,
            )
        first = _first(lazy, nw.col(column).is_null(), ["message_id"])["message_id"]
        expected = (
            "True or False on every message, or the brand's handles in the 'brand_authors' "
            "parameter" if column == "author_is_brand" else "a value in every row"
        )  # fmt: skip
        raise SchemaError(
            f"{function}: column {column!r} of the messages table is missing in {missing} "
            f"row(s), the first at message {first!r}; expected {expected}.",
            table="messages",
            column=column,
        )
    rows, ids = _whole(counts["_rows"]), _whole(counts["_ids"])
    if ids != rows:
        repeated = lazy.group_by("message_id").agg(nw.len().alias("_n")).filter(nw.col("_n") > 1)
        first = to_pandas(repeated.sort("message_id").head(1)).iloc[0]
        raise SchemaError(
            f"{function}: column 'message_id' of the messages table has {first['message_id']!r} "
            f"in {int(first['_n'])} rows ({rows - ids} "
            "duplicate rows in all); expected each message_id once.",
            table="messages",
            column="message_id",
        )
    _check_replies(lazy, function)
    return lazy


def _check_replies(lazy: nw.LazyFrame, function: str) -> None:
    """Refuse a reply to an unknown message, or one posted before its parent."""
    parents = lazy.select(nw.col("message_id").alias("_parent"), nw.col("time").alias("_at"))
    replies = (
        lazy.filter(~nw.col("reply_to").is_null())
        .select("message_id", "reply_to", "time")
        .join(parents, left_on="reply_to", right_on="_parent", how="left")
    )
    unknown, early = nw.col("_at").is_null(), nw.col("time") < nw.col("_at")
    counts = to_pandas(
        replies.select(
            unknown.cast(nw.Int64).sum().alias("unknown"),
            early.fill_null(False).cast(nw.Int64).sum().alias("early"),
        )
    ).iloc[0]
    n_unknown, n_early = _whole(counts["unknown"]), _whole(counts["early"])
    if n_unknown:
        row = _first(replies, unknown, ["message_id", "reply_to"])
        raise SchemaError(
            f"{function}: column 'reply_to': message {row['message_id']!r} has value "
            f"{row['reply_to']!r}, which is not a message_id in the data "
            f"({n_unknown} rows in all); expected the id of a message in "
            "the table, or missing for a new thread.",
            table="messages",
            column="reply_to",
        )
    if n_early:
        row = _first(replies, early, ["message_id", "reply_to", "time", "_at"])
        raise SchemaError(
            f"{function}: column 'time': message {row['message_id']!r} is posted at "
            f"{row['time']}, before the message it replies to ({row['reply_to']!r}, "
            f"{row['_at']}); expected a reply at or after its parent.",
            table="messages",
            column="time",
        )


def _undone(state: nw.LazyFrame) -> int:
    counted = to_pandas(state.select((~nw.col("up").is_null()).cast(nw.Int64).sum()))
    return _whole(counted.iloc[0, 0])


def lazy_roots(lazy: nw.LazyFrame) -> nw.LazyFrame:
    """``message_id`` and ``root`` (its thread opener's id) of a checked lazy table.

    Each step joins every message's current ancestor to that ancestor's parent, one level up
    the reply chain; round k takes 2**k steps (so a backend's plan grows with the depth, not
    faster) and counts the messages whose ancestor still has a parent (one small count per
    round). A finished message stays finished and the count falls at every step while some
    chain has not reached its opener, so the rounds stop after about log2 of the deepest
    chain, or as soon as a round changes nothing; messages still under a parent then are in
    (or lead into) a reply cycle and are refused, as the pandas version refuses them.
    """
    edges = lazy.select(nw.col("message_id").alias("_id"), nw.col("reply_to").alias("up"))
    state = lazy.select(
        "message_id", nw.col("message_id").alias("root"), nw.col("reply_to").alias("up")
    )
    undone, steps = _undone(state), 1
    while undone:
        for _ in range(steps):
            state = (
                state.select("message_id", nw.coalesce("up", "root").alias("root"))
                .join(edges, left_on="root", right_on="_id", how="left")
                .select("message_id", "root", "up")
            )
        now, steps = _undone(state), 2 * steps
        if now == undone:  # only cycles are left: a round changes nothing any more
            first = _first(state, ~nw.col("up").is_null(), ["message_id"])["message_id"]
            raise SchemaError(
                f"{current_function()}: column 'reply_to': message {first!r} is in a reply "
                "cycle that never reaches an opening message; expected every chain of replies "
                "to end at a message without reply_to.",
                table="messages",
                column="reply_to",
            )
        undone = now
    return state.select("message_id", "root")
