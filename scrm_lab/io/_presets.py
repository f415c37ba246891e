"""Export presets: the files analysts already have, each mapped once onto a canonical table.

A preset is declared as data (:class:`Preset`): the table it produces, the file format, the
documentation its fields were read from, every documented field and the column it becomes,
the fields that must be there, and the types of the extra columns it makes. A field that is
not documented is refused naming it, and so is a missing required one; a preset only
reshapes the raw columns :func:`scrm_lab.io.read_table` read, and ``conform`` then coerces
and validates the result as for any file.

The presets, the fields each maps and the columns they become are described in the
docstring of :mod:`scrm_lab.io` ("Export presets"), where users read them.

Examples
--------
>>> PRESETS
('x_api_v2', 'meta_post_insights', 'listening_export')
>>> PRESET_TABLE["meta_post_insights"].table
'posts'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from scrm_lab._checks import suggest
from scrm_lab.exceptions import DataFileError, SchemaError
from scrm_lab.io._values import (
    _bad,
    _containers,
    _is_missing,
    _shown,
    _text,
    _to_bool,
    _to_float,
    _to_int,
)


@dataclass(frozen=True)
class Preset:
    """One export format, declared once.

    Attributes
    ----------
    name : str
        The ``preset=`` value.
    table : str
        The canonical table it produces.
    format : str
        The file format it reads (``"jsonl"`` or ``"delimited"``, as in
        :data:`scrm_lab.io.FORMATS`).
    title : str
        What the file is, in a few words.
    documentation : tuple of str
        Where its fields are documented.
    fields : mapping
        Every documented field -> the columns it feeds (empty: read and left out). Where
        several fields feed one column, the first one with a value in a row gives it.
    required : tuple of tuple of str
        Fields that must be present; a tuple of several names needs one of them.
    extras : mapping
        The extra (non-canonical) columns made, and their kind (``"string"``, ``"int"``,
        ``"float"``, ``"bool"``).
    constants : mapping
        Columns with one value for every row (``channel``).
    date_format : str or None
        The export's own time format, used when every time fits it and ``date_format=`` is
        not given.
    """

    name: str
    table: str
    format: str
    title: str
    documentation: tuple[str, ...]
    fields: Mapping[str, tuple[str, ...]]
    required: tuple[tuple[str, ...], ...]
    extras: Mapping[str, str]
    constants: Mapping[str, str]
    date_format: str | None = None


def _frozen(mapping: dict) -> Mapping:
    return MappingProxyType(mapping)


_PUBLIC_METRICS = (
    "retweet_count",
    "reply_count",
    "like_count",
    "quote_count",
    "bookmark_count",
    "impression_count",
)

X_API_V2 = Preset(
    name="x_api_v2",
    table="messages",
    format="jsonl",
    title="X (Twitter) API v2 Tweet objects, one per line, or response pages",
    documentation=(
        "https://docs.x.com/x-api/fundamentals/data-dictionary",
        "https://developer.twitter.com/en/docs/twitter-api/data-dictionary/object-model/tweet",
    ),
    fields=_frozen(
        {
            "id": ("message_id",),
            "text": ("text",),
            "author_id": ("author", "author_id"),
            "created_at": ("time",),
            "referenced_tweets": ("reply_to",),
            "conversation_id": ("conversation_id",),
            "in_reply_to_user_id": ("in_reply_to_user_id",),
            "lang": ("lang",),
            **{f"public_metrics.{m}": (m,) for m in _PUBLIC_METRICS},
            "entities": ("mentions",),
            "note_tweet": ("text",),
            **dict.fromkeys(
                (
                    "article",
                    "attachments",
                    "card_uri",
                    "community_id",
                    "context_annotations",
                    "display_text_range",
                    "edit_controls",
                    "edit_history_tweet_ids",
                    "geo",
                    "media_metadata",
                    "non_public_metrics",
                    "organic_metrics",
                    "possibly_sensitive",
                    "promoted_metrics",
                    "reply_settings",
                    "scopes",
                    "source",
                    "withheld",
                ),
                (),
            ),
        }
    ),
    required=(("id",), ("text",), ("author_id",), ("created_at",)),
    extras=_frozen(
        {
            "author_id": "string",
            "conversation_id": "string",
            "in_reply_to_user_id": "string",
            "lang": "string",
            **dict.fromkeys(_PUBLIC_METRICS, "int"),
            "mentions": "string",
        }
    ),
    constants=_frozen({"channel": "twitter"}),
)

#: Keys of a response page line (``data`` holds the Tweets).
_PAGE_KEYS = ("data", "includes", "meta", "errors", "matching_rules")

META_POST_INSIGHTS = Preset(
    name="meta_post_insights",
    table="posts",
    format="delimited",
    title="Meta Business Suite post insights export (Facebook or Instagram), CSV",
    documentation=(
        "https://developers.facebook.com/docs/graph-api/reference/insights",
        "https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights",
    ),
    fields=_frozen(
        {
            "Post ID": ("post_id",),
            "Page ID": ("page_id",),
            "Account ID": ("page_id",),
            "Page name": ("brand",),
            "Account name": ("brand",),
            "Account username": ("brand",),
            "Title": ("text",),
            "Description": ("text",),
            "Duration (sec)": ("duration_sec",),
            "Publish time": ("time",),
            "Permalink": ("permalink",),
            "Post type": ("content_type",),
            "Views": ("views",),
            "Impressions": ("impressions",),
            "Reach": ("reach",),
            "Reactions, Comments and Shares": ("interactions",),
            "Reactions": ("reactions",),
            "Likes": ("reactions",),
            "Comments": ("comments",),
            "Shares": ("shares",),
            "Total clicks": ("clicks",),
            "Link clicks": ("link_clicks",),
            "Other Clicks": ("other_clicks",),
            "Saves": ("saves",),
            "Follows": ("follows",),
            "Seconds viewed": ("seconds_viewed",),
            "Average Seconds viewed": ("average_seconds_viewed",),
            **dict.fromkeys(
                (
                    "Caption type",
                    "Is crosspost",
                    "Is share",
                    "Languages",
                    "Custom labels",
                    "Funded content status",
                    "Data comment",
                    "Date",
                    "Matched Audience Targeting Consumption (Photo Click)",
                    "Matched Audience Targeting Consumption (Video Click)",
                    "Negative feedback from users: Hide all",
                    "Negative feedback from users: Hide",
                    "Estimated earnings (USD)",
                    "Approximate content monetization earnings",
                    "Ad CPM (USD)",
                    "Ad impressions",
                    "Qualified Views",
                    "3-Second Video Views",
                    "1-Minute Video Views",
                    "Profile visits",
                ),
                (),
            ),
        }
    ),
    required=(("Post ID",), ("Publish time",)),
    extras=_frozen(
        {
            "page_id": "string",
            "permalink": "string",
            "views": "int",
            "interactions": "int",
            "clicks": "int",
            "link_clicks": "int",
            "other_clicks": "int",
            "saves": "int",
            "follows": "int",
            "duration_sec": "float",
            "seconds_viewed": "float",
            "average_seconds_viewed": "float",
        }
    ),
    constants=_frozen({}),
    date_format="%m/%d/%Y %H:%M",
)

LISTENING_EXPORT = Preset(
    name="listening_export",
    table="messages",
    format="delimited",
    title="Generic social-listening mentions export (Brandwatch, Talkwalker, Meltwater, Sprout)",
    documentation=("the scrm_lab.io module docstring, 'Export presets': the columns it fixes",),
    fields=_frozen(
        {
            "ID": ("message_id",),
            "Mention ID": ("message_id",),
            "URL": ("message_id", "url"),
            "Date": ("time",),
            "Author": ("author",),
            "Content": ("text",),
            "Text": ("text",),
            "Source": ("channel",),
            "Network": ("channel",),
            "Sentiment": ("sentiment",),
            "Brand": ("brand",),
            "Query": ("brand",),
            "Title": ("title",),
            "Language": ("lang",),
            "Country": ("country",),
            "Reach": ("reach",),
            "Engagement": ("engagement",),
        }
    ),
    required=(
        ("ID", "Mention ID", "URL"),
        ("Date",),
        ("Author",),
        ("Content", "Text"),
        ("Source", "Network"),
    ),  # fmt: skip
    extras=_frozen(
        {
            "url": "string",
            "title": "string",
            "lang": "string",
            "country": "string",
            "reach": "int",
            "engagement": "int",
        }
    ),
    constants=_frozen({}),
)

#: The presets, by name.
PRESET_TABLE: Mapping[str, Preset] = MappingProxyType(
    {p.name: p for p in (X_API_V2, META_POST_INSIGHTS, LISTENING_EXPORT)}
)
#: Names of the export presets ``read_table(..., preset=...)`` reads.
PRESETS: tuple[str, ...] = tuple(PRESET_TABLE)

_FORMAT_NAMES = {"jsonl": "JSON lines (.jsonl, .ndjson)", "delimited": "a CSV file (.csv)"}
_SENTIMENTS = ("negative", "neutral", "positive")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+")


def _absent(value: object) -> bool:
    """Missing from a JSON object: no key (NaN in the frame) or null."""
    return value is None or (isinstance(value, float) and np.isnan(value))


def _key(name: str) -> str:
    """A header name as matched: case and runs of white space ignored."""
    return " ".join(str(name).split()).casefold()


def _either(names: tuple[str, ...]) -> str:
    """``'A'``, or ``'A' (or 'B' or 'C')`` for alternatives."""
    rest = f" (or {' or '.join(map(repr, names[1:]))})" if len(names) > 1 else ""
    return repr(names[0]) + rest


def reshape(
    preset: Preset,
    raw: pd.DataFrame,
    *,
    shown: str,
    fmt: str,
    lines: list[int] | None,
    date_format: str | None,
) -> tuple[pd.DataFrame, str | None]:
    """The raw columns as the preset's table (canonical and extra columns, values not yet
    coerced except the extras), and the date format to coerce times with."""
    if fmt != preset.format:
        raise DataFileError(
            f"{shown} was read as {fmt} data, but preset '{preset.name}' reads "
            f"{_FORMAT_NAMES[preset.format]}; expected a file of that format"
        )
    if preset.format == "jsonl":
        frame = _tweets(preset, raw, shown, lines or list(range(1, len(raw) + 1)))
    else:
        frame = _delimited(preset, raw, shown)
    for name, value in preset.constants.items():
        frame[name] = value
    where = f"{shown}: "
    for name, kind in preset.extras.items():
        if name in frame.columns:
            frame[name] = _extra(frame[name], kind, (where, preset.table, name))
    if date_format is None and preset.date_format and "time" in frame.columns:
        date_format = _own_format(frame["time"], preset.date_format)
    return frame.reset_index(drop=True), date_format


def _own_format(times: pd.Series, fmt: str) -> str | None:
    """``fmt`` if every time given fits it, else None (conform infers the format)."""
    text = _text(times, _is_missing(times)).dropna()
    if text.empty:
        return None
    parsed = pd.to_datetime(text, format=fmt, errors="coerce")
    return fmt if parsed.notna().all() else None


def _extra(series: pd.Series, kind: str, context: tuple[str, str, str]) -> pd.Series:
    """An extra column coerced to its declared kind, refusing a value that is not one."""
    series = series.reset_index(drop=True)
    position = np.flatnonzero(_containers(series))
    if len(position):
        value = series.iloc[position[0]]
        raise _bad(*context, int(position[0]), value, "one value per cell",
                   found=f"a {type(value).__name__} {_shown(value)}")  # fmt: skip
    missing = _is_missing(series)
    if kind == "string":
        return _text(series, missing).astype("str")
    if kind == "float":
        return _to_float(series, missing, context)
    if kind == "bool":
        return _to_bool(series, missing, True, context)
    result = _to_int(_unseparated(series), missing, context)
    return result if missing.any() else result.astype("int64")


def _unseparated(series: pd.Series) -> pd.Series:
    """Counts written with thousands separators ("1,250") as plain digits."""
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        return series.map(
            lambda v: (
                v.strip().replace(",", "")
                if isinstance(v, str) and _THOUSANDS.fullmatch(v.strip())
                else v
            )
        )
    return series


# ------------------------------------------------------------------------ X API v2


def _tweets(preset: Preset, raw: pd.DataFrame, shown: str, lines: list[int]) -> pd.DataFrame:
    """One row per Tweet, from Tweet lines and response-page lines, in file order."""
    tweets: list[tuple[str, dict]] = []  # (where, tweet)
    users: dict[str, str] = {}
    names = list(raw.columns)
    for line, values in zip(lines, raw.itertuples(index=False, name=None), strict=True):
        record = {k: v for k, v in zip(names, values, strict=True) if not _absent(v)}
        where = f"{shown}, line {line}"
        if any(key in record for key in _PAGE_KEYS):  # no Tweet field is one of them
            tweets += _page(record, where, users)
        else:
            tweets.append((where, record))
    top = {f.split(".")[0] for f in preset.fields}
    metrics = {f.split(".", 1)[1] for f in preset.fields if f.startswith("public_metrics.")}
    rows = [_tweet(t, where, top, metrics, preset) for where, t in tweets]
    if not rows:
        raise DataFileError(f"{shown} holds no Tweets (every page's 'data' is empty)")
    frame = pd.DataFrame(rows, dtype=object)
    frame["author"] = [users.get(a, a) if isinstance(a, str) else a for a in frame["author"]]
    optional = ("bookmark_count", "impression_count")  # newer metrics: only when given
    empty = [c for c in optional if frame[c].map(_absent).all()]
    return frame.drop(columns=empty)


def _page(record: dict, where: str, users: dict[str, str]) -> list[tuple[str, dict]]:
    """The Tweets of a response page, and its users' names added to ``users``."""
    for key in record:
        if key not in _PAGE_KEYS:
            raise SchemaError(
                f"{where}: key {_shown(key)} is not a key of an X API v2 response page; "
                f"expected {', '.join(_PAGE_KEYS)} beside 'data'.{suggest(key, _PAGE_KEYS)}",
                column=str(key),
            )
    data = record.get("data", [])  # none when the page only holds errors
    data = [data] if isinstance(data, dict) else data  # a filtered-stream line holds one
    if not isinstance(data, list) or not all(isinstance(t, dict) for t in data):
        raise SchemaError(
            f"{where}: 'data' holds {_shown(data)}; expected a list of Tweet objects",
            column="data",
        )
    includes = record.get("includes", {})
    found = includes.get("users", []) if isinstance(includes, dict) else None
    if not isinstance(found, list) or not all(isinstance(u, dict) for u in found):
        raise SchemaError(
            f"{where}: 'includes' holds {_shown(includes)}; expected an object whose "
            "'users' is a list of User objects",
            column="includes",
        )
    for user in found:
        if isinstance(user.get("id"), str) and isinstance(user.get("username"), str):
            users[user["id"]] = user["username"]
    return [(f"{where}, data[{i}]", tweet) for i, tweet in enumerate(data)]


def _tweet(tweet: dict, where: str, top: set, metrics: set, preset: Preset) -> dict:
    """One Tweet as a row of raw values, its fields checked against the documented ones."""
    for key in tweet:
        if key not in top:
            raise SchemaError(
                f"{where}: field {_shown(key)} is not a field of an X API v2 Tweet object; "
                f"expected one of {', '.join(sorted(top))} (the documented tweet.fields)."
                f"{suggest(key, sorted(top))}",
                column=str(key),
            )
    for names in preset.required:
        if _absent(tweet.get(names[0])):
            raise SchemaError(
                f"{where}: the Tweet has no {names[0]!r}; expected id, text, author_id and "
                "created_at in every Tweet (request tweet.fields=author_id,created_at)",
                column=names[0],
            )
    counts = _object(tweet, "public_metrics", where)
    for key in counts:
        if key not in metrics:
            raise SchemaError(
                f"{where}: field {_shown('public_metrics.' + str(key))} is not a documented "
                f"public metric; expected {', '.join(_PUBLIC_METRICS)}."
                f"{suggest(key, _PUBLIC_METRICS)}",
                column=f"public_metrics.{key}",
            )
    note = _object(tweet, "note_tweet", where).get("text")
    row = {
        "message_id": tweet["id"],
        "author": tweet["author_id"],
        "time": tweet["created_at"],
        "text": note if isinstance(note, str) else tweet["text"],
        "reply_to": _replied_to(tweet, where),
        "author_id": tweet["author_id"],
        "conversation_id": tweet.get("conversation_id"),
        "in_reply_to_user_id": tweet.get("in_reply_to_user_id"),
        "lang": tweet.get("lang"),
    }
    row.update({m: counts.get(m) for m in _PUBLIC_METRICS})
    row["mentions"] = _mentions(tweet, where)
    return row


def _object(tweet: dict, key: str, where: str) -> dict:
    value = tweet.get(key, {})
    if not isinstance(value, dict):
        raise SchemaError(
            f"{where}: field {key!r} holds {_shown(value)}; expected an object", column=key
        )
    return value


def _objects(value: object, key: str, where: str) -> list[dict]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise SchemaError(
            f"{where}: field {key!r} holds {_shown(value)}; expected a list of objects",
            column=key,
        )
    return value


def _replied_to(tweet: dict, where: str) -> object:
    """The id of the Tweet this one replies to, or None."""
    refs = _objects(tweet.get("referenced_tweets", []), "referenced_tweets", where)
    return next((r.get("id") for r in refs if r.get("type") == "replied_to"), None)


def _mentions(tweet: dict, where: str) -> str | None:
    """The mentioned usernames joined by a space, or None without mentions."""
    entities = _object(tweet, "entities", where)
    found = _objects(entities.get("mentions", []), "entities.mentions", where)
    names = [m["username"] for m in found if isinstance(m.get("username"), str)]
    return " ".join(names) or None


# ------------------------------------------------------------------------ CSV exports


def _delimited(preset: Preset, raw: pd.DataFrame, shown: str) -> pd.DataFrame:
    """The columns of a CSV export mapped onto the preset's columns."""
    known = {_key(f): f for f in preset.fields}
    present: dict[str, str] = {}  # documented name -> name in the file
    for name in raw.columns:
        field = known.get(_key(name))
        if field is None:
            raise SchemaError(
                f"{shown}: column {_shown(name)} is not a column of a {preset.title} "
                f"(preset '{preset.name}'); expected only {', '.join(map(repr, preset.fields))}."
                f"{suggest(name, list(preset.fields))}",
                column=str(name),
            )
        if field in present:
            raise SchemaError(
                f"{shown}: columns {_shown(present[field])} and {_shown(name)} are the same "
                f"column {field!r} of preset '{preset.name}'; expected it once",
                column=str(name),
            )
        present[field] = name
    for names in preset.required:
        if not any(n in present for n in names):
            raise SchemaError(
                f"{shown}: column {_either(names)} is missing; expected it in a "
                f"{preset.title} (preset '{preset.name}')",
                column=names[0],
            )
    sources: dict[str, list[str]] = {}  # column -> file columns feeding it, in order
    for field, targets in preset.fields.items():
        for target in targets:
            if field in present:
                sources.setdefault(target, []).append(present[field])
    frame = pd.DataFrame(
        {target: _first_given(raw, names) for target, names in sources.items()}, index=raw.index
    )
    if preset is META_POST_INSIGHTS:
        frame = _meta(frame, present)
    elif preset is LISTENING_EXPORT:
        frame = _listening(frame, shown, present)
    return frame


def _first_given(raw: pd.DataFrame, names: list[str]) -> pd.Series:
    """Row by row, the value of the first of ``names`` that is not missing."""
    result = raw[names[0]].astype(object)
    for name in names[1:]:
        result = result.where(~_is_missing(result), raw[name].astype(object))
    return result


def _meta(frame: pd.DataFrame, present: dict[str, str]) -> pd.DataFrame:
    kinds = (
        frame["content_type"].map(lambda v: v.strip() if isinstance(v, str) else v)
        if "content_type" in frame.columns
        else pd.Series(None, index=frame.index, dtype=object)
    )
    account = any(f.startswith("Account ") for f in present)
    tagged = kinds.map(lambda v: isinstance(v, str) and v[:3].casefold() == "ig ")
    frame["channel"] = np.where(tagged | account, "instagram", "facebook")
    if "content_type" in frame.columns:
        frame["content_type"] = kinds.map(
            lambda v: (
                (v[3:] if v[:3].casefold() == "ig " else v).strip().lower()
                if isinstance(v, str) and v.strip()
                else None
            )
        )
    for name in ("reach", "impressions", "reactions", "comments", "shares"):
        if name in frame.columns:
            frame[name] = _unseparated(frame[name])
    return frame


def _listening(frame: pd.DataFrame, shown: str, present: dict[str, str]) -> pd.DataFrame:
    frame["channel"] = frame["channel"].map(
        lambda v: (
            ("twitter" if v.strip().lower() == "x" else v.strip().lower())
            if isinstance(v, str)
            else v
        )
    )
    if "sentiment" in frame.columns:
        column = present["Sentiment"]
        missing = _is_missing(frame["sentiment"])
        values = []
        for position, (value, gap) in enumerate(zip(frame["sentiment"], missing, strict=True)):
            label = value.strip().lower() if isinstance(value, str) else None
            if gap:
                values.append(None)
            elif label in _SENTIMENTS:
                values.append(label)
            else:
                raise SchemaError(
                    f"{shown}: column {_shown(column)}, row {position + 1} has "
                    f"{_shown(value)}; expected negative, neutral or positive (any case) or "
                    "an empty cell",
                    column=str(column),
                    row=position + 1,
                )
        frame["sentiment"] = pd.Series(values, index=frame.index, dtype=object)
    return frame
