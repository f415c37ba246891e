"""Read users' files into canonical tables, and write tables to files.

Writing: :func:`write_table` writes a CSV or Parquet file atomically (a temporary file
renamed into place, nothing half-written left), neutralising formula-like CSV text cells as
OWASP recommends; :func:`csv_text` gives the same CSV as text and :func:`write_text` writes
any text atomically.

:func:`read_table` reads a CSV (or TSV, or any delimited text, optionally gzipped), Parquet,
Excel or JSON-lines file; :func:`conform` turns any DataFrame into a validated canonical
table. Both map column names, coerce raw values to the declared types and refuse bad input
with a :class:`~scrm_lab.exceptions.ScrmLabError` that names the file, column, row and value.
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

from scrm_lab._checks import Delimiter, Instance, NameOrPosition, OrNone, Text, checks
from scrm_lab.io._files import (
    FORMATS,
    MAX_COLUMNS,
    MAX_DECOMPRESSED_BYTES,
    MAX_HEADER_CHARS,
    MAX_JSON_DEPTH,
    _read_raw,
)
from scrm_lab.io._values import _EXPECTED, _coerce, _infer_extras, _printable, _rename
from scrm_lab.io._write import csv_text, write_table, write_text
from scrm_lab.schema import TABLE_KIND, get_table, validate

__all__ = [
    "FORMATS",
    "MAX_COLUMNS",
    "MAX_DECOMPRESSED_BYTES",
    "MAX_HEADER_CHARS",
    "MAX_JSON_DEPTH",
    "conform",
    "csv_text",
    "read_file",
    "read_table",
    "write_table",
    "write_text",
]

_COLUMNS = OrNone(Instance(Mapping, "a mapping {name in file: canonical name}"))
_ZONE = Text("an IANA time zone such as 'UTC' or 'Europe/Paris'")


_SEP = OrNone(Delimiter())
_SHEET = NameOrPosition("a sheet name or its position (0 for the first)")


@checks(
    kind=TABLE_KIND,
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
    kind: str,
    columns: Mapping[str, str] | None = None,
    sep: str | None = None,
    encoding: str | None = None,
    sheet: str | int = 0,
    timezone: str = "UTC",
    date_format: str | None = None,
) -> pd.DataFrame:
    """Read a user's file into a validated canonical table.

    Parameters
    ----------
    path : str or Path
        A ``.csv``/``.tsv``/``.txt`` (delimited text, ``.gz`` allowed), ``.parquet``,
        ``.xlsx`` or ``.jsonl`` file.
    kind : str
        The table to produce (``"brands"``, ``"messages"``...; see
        :func:`scrm_lab.schema.list_tables`).
    columns : mapping, optional
        ``{name in the file: canonical name}`` for columns whose names differ.
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
        ``.attrs["source"]`` records the path, format, SHA-256, encoding and delimiter.

    Raises
    ------
    DataFileError
        The file is missing, empty, of an unknown format, past a limit, or cannot be parsed.
    SchemaError
        A column is missing, a value has the wrong type or range, or a key repeats.
    ParameterError
        ``kind`` or ``columns`` is not valid.

    Examples
    --------
    >>> from scrm_lab._paths import shipped_dir
    >>> path = shipped_dir("datasets") / "snap_ego_facebook" / "facebook_combined.txt"
    >>> edges = read_table(path, kind="edges", sep=" ", columns={"0": "source", "1": "target"})
    >>> len(edges)  # the first line is taken as the header
    88233
    """
    schema = get_table(kind)  # an unknown kind is refused before the file is touched
    path = Path(path)
    targets = {**{name: name for name in schema.columns}, **(columns or {})}
    declared = {
        source: _EXPECTED[schema.columns[target].metadata["kind"]]
        for source, target in targets.items()
        if target in schema.columns
    }
    raw, info = _read_raw(path, sep=sep, encoding=encoding, sheet=sheet, declared=declared)
    if info["format"] in ("delimited", "jsonl"):
        raw = _infer_extras(raw, keep=declared)
    table = conform(
        raw,
        kind,
        columns=columns,
        source=str(path),
        timezone=timezone,
        date_format=date_format,
    )
    table.attrs["source"] = info
    return table


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
