"""Read users' files into canonical tables, and write tables to files.

Data larger than memory: :func:`scan_table` opens Parquet (a file, a folder, hive partitions)
as a lazy DuckDB relation or Spark DataFrame and :func:`check_lazy` checks a canonical table
on that engine; :func:`on_engine` hands a pandas table to an engine and :func:`open_table` picks
:func:`read_table` or :func:`scan_table` for a report's ``engine`` (``_scan``);
:func:`write_partitioned` writes hive-partitioned Parquet for them.

Writing: :func:`write_table` writes a CSV or Parquet file atomically (a temporary file
renamed into place, nothing half-written left), neutralising formula-like CSV text cells as
OWASP recommends; :func:`csv_text` gives the same CSV as text and :func:`write_text` writes
any text atomically.

:func:`read_table` reads a CSV (or TSV, or any delimited text, optionally gzipped), Parquet,
Excel or JSON-lines file, or an export in a known format (``preset=``: X API v2 Tweets,
Meta post insights, a social-listening export; see "Export presets" below);
:func:`conform` turns any DataFrame into a validated canonical table. Both map column
names, coerce raw values to the declared types and refuse bad input with a
:class:`~scrm_lab.exceptions.ScrmLabError` that names the file, column, row and value.
Rows in messages count from 1, header excluded.

What is handled rather than refused: a byte-order mark (UTF-8, UTF-16, UTF-32), Windows-1252
text (detected when the file is not valid UTF-8), ``;``, tab and ``|`` delimiters (sniffed
from the header), CR, LF and CR LF line ends, missing-value markers (empty, ``NA``, ``N/A``,
``null``, ``None``, ``NaN`` and pandas' other markers), time-zone offsets (converted to
UTC), one consistent date format per column (inferred), and a column with neither name nor
values (a trailing delimiter), which is dropped.
What is refused: a missing, empty or undecodable file, a NUL character in text, an unknown
format, a corrupt gzip, Parquet or Excel file, a row with more or fewer fields than the
header, a column without a name that holds values, a repeated column name or JSON key, a
missing or misspelt column, a value of the wrong type, a list or mapping where one value is
expected, a negative count, an integer that would change (beyond 64 bits, or 2**53 or more
as a float), inf or a number beyond a float64, a time outside 1677-09-23 to 2262-04-09, a
duplicate key, a column that mixes date formats or mixes values with and without a time
zone, and a date format that cannot be told apart (day-first or month-first) without
``date_format``. So is a file past a limit (:data:`MAX_COLUMNS`, :data:`MAX_HEADER_CHARS`,
:data:`MAX_DECOMPRESSED_BYTES`, :data:`MAX_JSON_DEPTH`), quickly: columns are counted from
the header before the rows are parsed, and a ``.gz`` is decompressed in chunks.
Every message is one line: names and values are shown with control characters escaped.

Export presets
--------------
``read_table(path, preset=...)`` reads the exports an analyst already has; the preset fixes
the canonical table and the column mapping (:func:`list_presets` lists them, :data:`PRESETS`
names them). A field the format does not document is refused naming it (and the JSON line),
as is a missing required one; the preset only reshapes the raw columns, which are then
coerced and validated as for any file. ``brand=`` gives every row one brand when the file
names none (a Tweet never does).

``x_api_v2`` -> ``messages``: JSON lines, one X API v2 Tweet object per line, or a whole
response page per line (``{"data": [...], "includes": {"users": [...]}, "meta": {...}}``;
a filtered-stream line, whose ``data`` is one Tweet, too). The known fields are those of the
Tweet object in the X API v2 data dictionary
(https://docs.x.com/x-api/fundamentals/data-dictionary, formerly
developer.twitter.com/en/docs/twitter-api/data-dictionary/object-model/tweet) and of the
Tweet schema in X's OpenAPI specification (``article``, ``card_uri``, ``community_id``,
``display_text_range``, ``media_metadata``, ``note_tweet``, ``scopes``). Required in every
Tweet: ``id``, ``text``, ``author_id``, ``created_at``.

=======================  ==================================================================
field                    column
=======================  ==================================================================
``id``                   ``message_id``
``text``                 ``text`` (``note_tweet.text``, a long post's full text, if given)
``author_id``            ``author``: the ``username`` a page's ``includes.users`` gives
                         for that id (any page of the file), else the id; also ``author_id``
``created_at``           ``time`` (UTC)
``referenced_tweets``    ``reply_to``: the ``id`` of the one of ``type`` ``replied_to``
``conversation_id``      ``conversation_id`` (text)
``in_reply_to_user_id``  ``in_reply_to_user_id`` (text)
``lang``                 ``lang``
``public_metrics``       ``retweet_count``, ``reply_count``, ``like_count``,
                         ``quote_count``, and ``bookmark_count``, ``impression_count``
                         when a Tweet has them (integers)
``entities.mentions``    ``mentions``: the usernames joined by one space
(none)                   ``channel`` = ``twitter``
=======================  ==================================================================

``meta_post_insights`` -> ``posts``: the per-post CSV Meta Business Suite exports (Insights,
Content, Export data) for a Facebook Page or an Instagram account. Meta publishes no column
dictionary for this file; the names below are the header it writes, as public importers of
these files reproduce it (Facebook: ``Post ID, Page ID, Page name, Title, Description,
Duration (sec), Publish time, Caption type, Permalink, Is crosspost, Is share, Post type,
Languages, Custom labels, Funded content status, Data comment, Date, Views, Reach, Reactions,
Comments and Shares, Reactions, Comments, Shares, Total clicks, ...``; Instagram: ``Post ID,
Account ID, Account username, Account name, Description, Duration (sec), Publish time,
Permalink, Post type, Data comment, Date, Views, Reach, Likes, Shares, Follows, Comments,
Saves``), and the metrics are the Graph API's Page and Instagram media insights
(developers.facebook.com/docs/graph-api/reference/insights,
developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights). Where
exports differ, the alternatives are accepted explicitly: ``Impressions`` (exports before
Meta replaced impressions with views) beside ``Views`` (kept as ``views``: Meta counts it
differently), Instagram's ``Likes`` for ``Reactions`` and ``Account name``/``Account
username`` for ``Page name``. Names are matched ignoring case and repeated spaces (both
``Reactions, Comments and Shares`` and ``Reactions, comments and shares`` occur). Required:
``Post ID``, ``Publish time``.

======================================  ===================================================
column in the file                      column
======================================  ===================================================
``Post ID``                             ``post_id``
``Page name``, ``Account name``,        ``brand`` (the first one given)
``Account username``
``Publish time``                        ``time``: ``MM/DD/YYYY HH:MM`` as exported, in
                                        ``timezone=``
``Post type``                           ``content_type``, lower case, Instagram's ``IG``
                                        prefix dropped (``IG reel`` -> ``reel``)
``Title``, ``Description``              ``text`` (the first one given)
``Reach``, ``Impressions``,             ``reach``, ``impressions``, ``comments``,
``Comments``, ``Shares``                ``shares``
``Reactions``, ``Likes``                ``reactions``
``Page ID``, ``Account ID``             ``page_id`` (text)
``Permalink``                           ``permalink``
``Views``, ``Reactions, Comments and    ``views``, ``interactions``, ``clicks``,
Shares``, ``Total clicks``, ``Link      ``link_clicks``, ``other_clicks``, ``saves``,
clicks``, ``Other Clicks``, ``Saves``,  ``follows`` (integers)
``Follows``
``Duration (sec)``, ``Seconds viewed``, ``duration_sec``, ``seconds_viewed``,
``Average Seconds viewed``              ``average_seconds_viewed``
(none)                                  ``channel``: ``instagram`` when the file has an
                                        ``Account ...`` column or the post type starts
                                        with ``IG``, else ``facebook``
======================================  ===================================================

The other known columns (``Caption type``, ``Is crosspost``, ``Is share``, ``Languages``,
``Custom labels``, ``Funded content status``, ``Data comment``, ``Date``, which says
``Lifetime``, and the negative-feedback, earnings, ad and video-view columns) are read and
left out. Counts written with thousands separators (``"1,250"``) are read as numbers.

``listening_export`` -> ``messages``: a social-listening mentions export, with the columns
Brandwatch, Talkwalker, Meltwater and Sprout Social exports share under the names this preset
fixes (matched ignoring case). Required: one of ``ID``, ``Mention ID``, ``URL``; ``Date``;
``Author``; one of ``Content``, ``Text``; one of ``Source``, ``Network``. Any other column is
refused, naming it.

==============================  =========================================================
column in the file              column
==============================  =========================================================
``ID``, ``Mention ID``, ``URL``  ``message_id`` (the first one given)
``Date``                        ``time`` (one consistent format; ``timezone=`` for times
                                written without an offset)
``Author``                      ``author``
``Content``, ``Text``           ``text`` (the first one given)
``Source``, ``Network``         ``channel``, lower case (``X`` -> ``twitter``)
``Sentiment``                   ``sentiment``: ``negative``, ``neutral`` or ``positive``
                                in any case, or empty; another value is refused, naming
                                its row
``Brand``, ``Query``            ``brand`` (else pass ``brand=``)
``URL``                         ``url``
``Title``, ``Language``,        ``title``, ``lang``, ``country``
``Country``
``Reach``, ``Engagement``       ``reach``, ``engagement`` (integers)
==============================  =========================================================

Examples
--------
>>> import pandas as pd
>>> from scrm_lab.io import conform
>>> raw = pd.DataFrame({"from": ["1", "2"], "to": ["2", "3"], "w": ["0.5", "1"]})
>>> edges = conform(raw, "edges", columns={"from": "source", "to": "target", "w": "weight"})
>>> edges.dtypes.astype(str).to_dict()
{'source': 'str', 'target': 'str', 'weight': 'float64'}
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from scrm_lab._checks import (
    Choice,
    Delimiter,
    Instance,
    NameOrPosition,
    OrNone,
    Text,
    checks,
    refuse,
)
from scrm_lab.exceptions import SchemaError
from scrm_lab.io._files import (
    FORMATS,
    MAX_COLUMNS,
    MAX_DECOMPRESSED_BYTES,
    MAX_HEADER_CHARS,
    MAX_JSON_DEPTH,
    _file,
    _read_raw,
)
from scrm_lab.io._presets import PRESET_TABLE, PRESETS, reshape
from scrm_lab.io._scan import LAZY_ENGINES, check_lazy, on_engine, open_table, scan_table
from scrm_lab.io._values import _EXPECTED, _coerce, _infer_extras, _printable, _rename
from scrm_lab.io._write import MAX_PARTITIONS, csv_text, write_partitioned, write_table, write_text
from scrm_lab.schema import TABLE_KIND, get_table, validate

__all__ = [
    "FORMATS",
    "LAZY_ENGINES",
    "MAX_COLUMNS",
    "MAX_DECOMPRESSED_BYTES",
    "MAX_HEADER_CHARS",
    "MAX_JSON_DEPTH",
    "MAX_PARTITIONS",
    "PRESETS",
    "check_lazy",
    "conform",
    "csv_text",
    "list_presets",
    "on_engine",
    "open_table",
    "read_file",
    "read_table",
    "scan_table",
    "write_partitioned",
    "write_table",
    "write_text",
]

_COLUMNS = OrNone(Instance(Mapping, "a mapping {name in file: canonical name}"))
_ZONE = Text("an IANA time zone such as 'UTC' or 'Europe/Paris'")


_SEP = OrNone(Delimiter())
_SHEET = NameOrPosition("a sheet name or its position (0 for the first)")


@checks(
    kind=OrNone(TABLE_KIND),
    preset=OrNone(Choice(PRESETS)),
    brand=OrNone(Text("a brand name (a non-empty str)")),
    columns=_COLUMNS,
    sep=_SEP,
    encoding=OrNone(Text("a text encoding such as 'utf-8' or 'latin-1'")),
    sheet=_SHEET,
    timezone=_ZONE,
    date_format=OrNone(Text("a date format such as '%d/%m/%Y'")),
)
def read_table(
    path: str | Path,
    *,
    kind: str | None = None,
    preset: str | None = None,
    brand: str | None = None,
    columns: Mapping[str, str] | None = None,
    sep: str | None = None,
    encoding: str | None = None,
    sheet: str | int = 0,
    timezone: str = "UTC",
    date_format: str | None = None,
) -> pd.DataFrame:
    """Read a user's file, or an export in a known format, into a validated canonical table.

    Parameters
    ----------
    path : str or Path
        A ``.csv``/``.tsv``/``.txt`` (delimited text, ``.gz`` allowed), ``.parquet``,
        ``.xlsx`` or ``.jsonl`` file.
    kind : str, optional
        The table to produce (``"brands"``, ``"messages"``...; see
        :func:`scrm_lab.schema.list_tables`). Required unless ``preset`` is given, which
        fixes it.
    preset : str, optional
        An export format (:data:`PRESETS`, described by :func:`list_presets`):

        - ``"x_api_v2"``: X (Twitter) API v2 Tweet objects as JSON lines, or response pages
          (``{"data": [...], "includes": {"users": [...]}}``) -> ``messages``;
        - ``"meta_post_insights"``: the Meta Business Suite post insights CSV of a Facebook
          Page or an Instagram account -> ``posts``;
        - ``"listening_export"``: a social-listening mentions CSV (ID or URL, Date, Author,
          Content, Source, Sentiment, Brand...) -> ``messages``.

        The fields each maps are listed under "Export presets" in the docstring of
        :mod:`scrm_lab.io`. A field the format does not document is refused naming it, as is
        a missing required one.
    brand : str, optional
        The brand of every row, for a file without a brand column (a Tweet names no brand).
        A table that needs a brand and has none is refused, saying to pass it.
    columns : mapping, optional
        ``{name in the file: canonical name}`` for columns whose names differ (not with a
        preset, which fixes the mapping).
    sep : str, optional
        Delimiter of a text file, one ASCII character; sniffed from the header (``,``,
        ``;``, tab, ``|``) if not given.
    encoding : str, optional
        Text encoding; the one a byte-order mark names, else UTF-8, then Windows-1252.
    sheet : str or int, default 0
        Excel sheet name or 0-based position.
    timezone : str, default "UTC"
        Time zone of timestamps written without an offset; all timestamps are returned in
        UTC.
    date_format : str, optional
        A ``strftime`` format for date and timestamp columns, when it cannot be inferred.

    Returns
    -------
    pandas.DataFrame
        The canonical table: declared columns coerced to their types, extra columns kept.
        ``.attrs["source"]`` records the path, format, SHA-256, encoding and delimiter (and
        the preset, when one was used).

    Raises
    ------
    DataFileError
        The file is missing, empty, of an unknown format (or not the preset's format), past
        a limit, or cannot be parsed.
    SchemaError
        A column is missing, a value has the wrong type or range, or a key repeats; with a
        preset, a field is not documented or a required one is missing; the table needs a
        brand the file does not give, or the file gives one and ``brand`` is passed too.
    ParameterError
        ``kind``, ``preset``, ``brand`` or ``columns`` is not valid, neither ``kind`` nor
        ``preset`` is given, or they disagree.

    Examples
    --------
    >>> from scrm_lab._paths import shipped_dir
    >>> path = shipped_dir("datasets") / "snap_ego_facebook" / "facebook_combined.txt"
    >>> edges = read_table(path, kind="edges", sep=" ", columns={"0": "source", "1": "target"})
    >>> len(edges)  # the first line is taken as the header
    88233

    An export read with a preset (here three Tweets written as the API returns them):

    >>> import json, tempfile
    >>> tweets = [{"id": str(n), "text": "hi @Delta", "author_id": "7",
    ...            "created_at": "2024-05-01T10:00:00.000Z",
    ...            "entities": {"mentions": [{"start": 3, "end": 9, "username": "Delta"}]}}
    ...           for n in (1, 2, 3)]
    >>> folder = tempfile.mkdtemp()
    >>> with open(f"{folder}/tweets.jsonl", "w") as out:
    ...     _ = out.write("\\n".join(map(json.dumps, tweets)))
    >>> table = read_table(f"{folder}/tweets.jsonl", preset="x_api_v2", brand="Delta")
    >>> table[["message_id", "brand", "channel", "author", "mentions"]].iloc[0].tolist()
    ['1', 'Delta', 'twitter', '7', 'Delta']
    >>> import shutil; shutil.rmtree(folder)
    """
    chosen = PRESET_TABLE[preset] if preset is not None else None
    if chosen is None and kind is None:
        raise refuse("kind", "a table name (see scrm_lab.schema.list_tables) when no preset "
                     f"is given (preset= one of {list(PRESETS)})", kind)  # fmt: skip
    if chosen is not None and kind is not None and kind != chosen.table:
        raise refuse(
            "kind", f"'{chosen.table}', the table preset='{preset}' produces, or None", kind
        )
    if chosen is not None and columns is not None:
        raise refuse("columns", f"None with preset='{preset}', which fixes the mapping", columns)
    kind = chosen.table if chosen is not None else kind
    schema = get_table(kind)  # an unknown kind is refused before the file is touched
    if brand is not None and "brand" not in schema.columns:
        raise refuse("brand", f"None for table '{kind}', which has no brand column", brand)
    path = Path(path)
    if chosen is not None:
        raw, info = _read_raw(path, sep=sep, encoding=encoding, sheet=sheet)
        lines = info.pop("lines", None)
        raw, date_format = reshape(
            chosen, raw, shown=_file(path), fmt=info["format"], lines=lines,
            date_format=date_format,
        )  # fmt: skip
        info["preset"] = chosen.name
        has_brand = "brand" in raw.columns
    else:
        targets = {**{name: name for name in schema.columns}, **(columns or {})}
        declared = {
            source: _EXPECTED[schema.columns[target].metadata["kind"]]
            for source, target in targets.items()
            if target in schema.columns
        }
        raw, info = _read_raw(path, sep=sep, encoding=encoding, sheet=sheet, declared=declared)
        info.pop("lines", None)
        if info["format"] in ("delimited", "jsonl"):
            raw = _infer_extras(raw, keep=declared)
        has_brand = "brand" in raw.columns or "brand" in (columns or {}).values()
    if brand is not None:
        if has_brand:
            raise SchemaError(
                f"{_file(path)} has a brand column already; expected brand= only for a file "
                f"without one (got brand={brand!r}: drop one of them)",
                table=kind,
                column="brand",
            )
        raw = raw.assign(brand=brand)
    try:
        table = conform(
            raw,
            kind,
            columns=columns,
            source=str(path),
            timezone=timezone,
            date_format=date_format,
        )
    except SchemaError as err:
        needs_brand = "brand" in schema.columns and schema.columns["brand"].required
        missing = "is missing required column" in str(err)
        if missing and needs_brand and brand is None and not has_brand:
            raise SchemaError(
                f"{err} The file has no brand: pass brand='<the brand>' to give every row one.",
                table=err.table,
                column=err.column,
                row=err.row,
            ) from err
        raise
    table.attrs["source"] = info
    return table


@checks()
def list_presets() -> pd.DataFrame:
    """The export presets :func:`read_table` reads, one row each.

    Returns
    -------
    pandas.DataFrame
        Columns ``preset``, ``table`` (the canonical table produced), ``format``,
        ``title``, ``required`` (the fields every file must have, ``A | B`` where either
        will do), ``documentation`` (where the fields are documented).

    Examples
    --------
    >>> list_presets()[["preset", "table", "format"]]
                   preset     table     format
    0            x_api_v2  messages      jsonl
    1  meta_post_insights     posts  delimited
    2    listening_export  messages  delimited
    """
    rows = [
        {
            "preset": p.name,
            "table": p.table,
            "format": p.format,
            "title": p.title,
            "required": ", ".join(" | ".join(names) for names in p.required),
            "documentation": " ".join(p.documentation),
        }
        for p in PRESET_TABLE.values()
    ]
    return pd.DataFrame(rows)


@checks(
    sep=_SEP,
    encoding=OrNone(Text("a text encoding such as 'utf-8' or 'latin-1'")),
    sheet=_SHEET,
)
def read_file(
    path: str | Path, *, sep: str | None = None, encoding: str | None = None, sheet: str | int = 0
) -> pd.DataFrame:
    """Read a file that is not one of the canonical tables, with the same care as read_table.

    The formats, encodings, delimiters, limits and refusals are those of :func:`read_table`;
    no column is renamed or required, and a column of numeric text becomes numbers when every
    value converts exactly (an integer beyond 64 bits, ``inf`` or ``1e400`` leaves the column
    as text). Use it for a file whose columns you map yourself (e.g. the flagship study's
    ``columns=`` roles).

    Examples
    --------
    >>> from scrm_lab._paths import shipped_dir
    >>> folder = shipped_dir("datasets") / "csm_movies_social_boxoffice"
    >>> movies = read_file(folder / "csm_2014_2015.csv")
    >>> len(movies)
    231
    """
    frame, _ = _read_raw(Path(path), sep=sep, encoding=encoding, sheet=sheet)
    return _infer_extras(frame)


@checks(
    data=Instance(pd.DataFrame, "a pandas DataFrame"),
    kind=TABLE_KIND,
    columns=_COLUMNS,
    source=OrNone(Text()),
    timezone=_ZONE,
    date_format=OrNone(Text("a date format such as '%d/%m/%Y'")),
)
def conform(
    data: pd.DataFrame,
    kind: str,
    *,
    columns: Mapping[str, str] | None = None,
    source: str | None = None,
    timezone: str = "UTC",
    date_format: str | None = None,
) -> pd.DataFrame:
    """Rename, coerce and validate a DataFrame as a canonical ``kind`` table.

    Parameters
    ----------
    data : pandas.DataFrame
        Raw values: strings (as read from text) or already-typed columns.
    kind : str
        The table to produce; see :func:`scrm_lab.schema.list_tables`.
    columns : mapping, optional
        ``{name in data: canonical name}``.
    source : str, optional
        File or data set name used in error messages.
    timezone : str, default "UTC"
        Time zone of timestamps without an offset.
    date_format : str, optional
        A ``strftime`` format for date and timestamp columns.

    Returns
    -------
    pandas.DataFrame
        A new frame with a ``RangeIndex``, declared columns first in declared order, extra
        columns after them as they are (:func:`read_table` turns numeric text in the extra
        columns of a text file into numbers).

    Raises
    ------
    SchemaError, ParameterError
        As for :func:`read_table`.
    """
    schema = get_table(kind)
    source = _printable(source) if source else source  # one line, whatever the name holds
    where = f"{source}: " if source else ""
    frame = _rename(data, columns or {}, schema, kind, where).reset_index(drop=True)
    missing = [n for n, c in schema.columns.items() if c.required and n not in frame.columns]
    if missing:
        validate(frame, kind, source=source)  # raises, naming the missing columns
    out = {}
    for name, column in schema.columns.items():
        if name in frame.columns:
            out[name] = _coerce(
                frame[name],
                column,
                kind=kind,
                name=name,
                where=where,
                timezone=timezone,
                date_format=date_format,
            )
    for name in frame.columns:
        if name not in out:
            out[name] = frame[name]
    result = pd.DataFrame(out, index=frame.index)
    return validate(result, kind, source=source)
