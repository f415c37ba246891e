"""Reading a user's file as raw columns: formats, encodings, delimiters, gzip, and limits.

Delimited text is split by pyarrow's CSV reader, which holds every row to the header's
number of fields, so a short row (a line break inside an unquoted value) is refused like a
long one. A refusal is one line naming the file, with line breaks and other unprintable
characters in its name escaped. Limits, each refused at once:

- :data:`MAX_COLUMNS` columns, counted from the header before the rows are parsed;
- :data:`MAX_HEADER_CHARS` characters of header;
- :data:`MAX_DECOMPRESSED_BYTES` bytes once a ``.gz`` is decompressed (in chunks, so a
  gzip bomb stops there), an Excel file unzipped or a Parquet file's pages uncompressed;
- :data:`MAX_JSON_DEPTH` levels of lists and objects in a JSON line.

Examples
--------
>>> sorted(set(FORMATS.values()))
['delimited', 'excel', 'jsonl', 'parquet']
>>> MAX_COLUMNS
16384
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io as _io
import json
import re
import zipfile
import zlib
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from scrm_lab._checks import refuse
from scrm_lab._reads import note_read
from scrm_lab.exceptions import DataFileError, SchemaError
from scrm_lab.io._values import _printable, _reason, _shown

#: File name endings read by :func:`read_table`, and the format each means.
FORMATS: dict[str, str] = {
    ".csv": "delimited",
    ".tsv": "delimited",
    ".txt": "delimited",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".xlsx": "excel",
    ".xlsm": "excel",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}

#: Most columns a file may have: Excel's own limit, so no spreadsheet export is wider, while
#: tens of thousands of columns keep pandas busy for minutes.
MAX_COLUMNS = 16_384
#: Longest header, in characters: room for MAX_COLUMNS names of 64 characters.
MAX_HEADER_CHARS = MAX_COLUMNS * 64
#: Most bytes a file may expand to in memory: a bigger table belongs in Parquet read lazily
#: with DuckDB, and a small file that expands past this is a decompression bomb.
MAX_DECOMPRESSED_BYTES = 2**30
#: Deepest nesting of lists and objects in a JSON line: a row of a table is flat.
MAX_JSON_DEPTH = 50

_DELIMITERS = [",", ";", "\t", "|"]
_CHUNK = 2**20  # bytes decompressed at a time
_BLOCK = 2**24  # bytes pyarrow parses at a time: the longest row it can read
_BOMS = [  # UTF-32's little-endian mark starts like UTF-16's, so it comes first
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def _file(path: Path) -> str:
    """``file 'name'``, on one line whatever the name holds."""
    return f"file '{_printable(str(path))}'"


def _read_raw(
    path: Path,
    *,
    sep: str | None,
    encoding: str | None,
    sheet: str | int,
    declared: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, dict]:
    """The file's columns as read (text, for a text file) and what was read.

    ``declared`` maps a column name to what a canonical table expects of it ("text"...);
    a Parquet column among them whose Arrow type holds several values is refused.
    """
    shown = _file(path)
    fmt = _check_path(path, shown)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DataFileError(f"{shown} cannot be read ({_reason(err)})") from err
    info = {"path": str(path), "format": fmt, "sha256": hashlib.sha256(data).hexdigest()}
    if path.suffix.lower() == ".gz":
        data = _gunzip(data, shown)
    if not data.strip():
        raise DataFileError(f"{shown} is empty; expected a header row and at least one data row")
    note_read("file", str(path), info["sha256"])  # for a report run's provenance
    if fmt in ("delimited", "jsonl"):
        text, info["encoding"] = _decode(data, encoding, shown)
        if not text.strip():
            raise DataFileError(
                f"{shown} is empty; expected a header row and at least one data row"
            )
        _refuse_nul(text, shown)
        if fmt == "delimited":
            frame, info["sep"] = _read_delimited(text, sep, shown)
        else:
            frame = _read_jsonl(text, shown)
    elif fmt == "parquet":
        frame = _read_parquet(data, shown, declared or {})
    else:
        frame = _read_excel(data, shown, sheet)
    frame = _named(frame, shown)
    if fmt == "jsonl":  # the line each row came from, for an export preset's messages
        info["lines"] = frame.index.tolist()
    if frame.shape[1] == 0:
        raise DataFileError(f"{shown} has no columns; expected a header row and data rows")
    if frame.empty:
        raise DataFileError(f"{shown} has a header but no data rows")
    return frame.reset_index(drop=True), info


def _check_path(path: Path, shown: str) -> str:
    """The file's format, once it is known to be a regular file with a known ending."""
    try:
        exists, folder, regular = path.exists(), path.is_dir(), path.is_file()
    except (OSError, ValueError) as err:  # a name too long, say
        raise DataFileError(f"{shown} cannot be opened ({_reason(err)})") from err
    if not exists:
        raise DataFileError(f"{shown} does not exist")
    if folder:
        raise DataFileError(f"'{_printable(str(path))}' is a folder; expected a data file")
    if not regular:
        raise DataFileError(
            f"{shown} is not a regular file (a pipe or a device); expected a data file"
        )
    suffixes = [s.lower() for s in path.suffixes]
    compressed = bool(suffixes) and suffixes[-1] == ".gz"
    suffix = suffixes[-2] if compressed and len(suffixes) > 1 else (suffixes or [""])[-1]
    fmt = FORMATS.get(suffix)
    if fmt is None:
        hint = " (save old .xls files as .xlsx)" if suffix == ".xls" else ""
        raise DataFileError(
            f"{shown} has an unknown format '{_printable(suffix) or 'no extension'}'{hint}; "
            f"expected one of {', '.join(sorted(FORMATS))} (or a .gz of a text format)"
        )
    return fmt


def _too_big(shown: str, how: str) -> DataFileError:
    return DataFileError(
        f"{shown} {how} to more than {MAX_DECOMPRESSED_BYTES:,} bytes; expected at most that "
        "(scrm_lab.io.MAX_DECOMPRESSED_BYTES): a bigger table belongs in Parquet read "
        "with DuckDB, and a small file that expands this much is a decompression bomb"
    )


def _gunzip(data: bytes, shown: str) -> bytes:
    chunks, size = [], 0
    try:
        with gzip.GzipFile(fileobj=_io.BytesIO(data)) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > MAX_DECOMPRESSED_BYTES:
                    raise _too_big(shown, "decompresses")
                chunks.append(chunk)
    except (OSError, EOFError, zlib.error) as err:
        raise DataFileError(f"{shown} is not a valid gzip file: {_reason(err)}") from err
    return b"".join(chunks)


def _decode(data: bytes, encoding: str | None, shown: str) -> tuple[str, str]:
    """The text and its encoding: the one given, the one a byte-order mark names, else
    UTF-8 and then Windows-1252 (Latin-1's superset, minus its control characters)."""
    marked = [name for mark, name in _BOMS if data.startswith(mark)]
    if encoding is not None:
        candidates, label = [encoding], _printable(encoding)
    else:
        candidates = marked[:1] or ["utf-8", "cp1252"]
        label = f"{marked[0]} (as its byte-order mark says)" if marked else ""
    failures = []
    for candidate in candidates:
        try:
            return data.decode(candidate).removeprefix("\ufeff"), candidate
        except LookupError as err:
            raise refuse("encoding", "a known text encoding", encoding) from err
        except UnicodeError as err:
            failures.append(_undecodable(data, candidate, err))
    if not label:
        raise DataFileError(
            f"{shown} is neither UTF-8 ({failures[0]}) nor Windows-1252 ({failures[1]}); "
            "pass the file's encoding, e.g. encoding='cp1251' or encoding='latin-1'"
        )
    hint = "pass the file's real encoding, e.g. encoding='latin-1'"
    raise DataFileError(
        f"{shown} is not valid {label}: {failures[0]} cannot be decoded; "
        f"{hint if encoding else 'expected the whole file in that encoding'}"
    )


def _undecodable(data: bytes, candidate: str, err: UnicodeError) -> str:
    """``byte 0xe9 on line 2``, and whether the file ends there (cut short)."""
    if not isinstance(err, UnicodeDecodeError):
        return f"the text ({_reason(err)})"
    line = data[: err.start].decode(candidate, errors="replace").count("\n") + 1
    end = " (where the file ends: is it cut short?)" if err.end == len(data) else ""
    return f"byte 0x{data[err.start]:02x} on line {line}{end}"


def _line_at(text: str, position: int) -> int:
    """The line (from 1) holding ``text[position]``; a line ends at CR, LF or CR LF."""
    breaks = text.count("\n", 0, position) + text.count("\r", 0, position)
    return breaks - text.count("\r\n", 0, position) + 1


def _refuse_nul(text: str, shown: str) -> None:
    position = text.find("\x00")
    if position >= 0:
        raise DataFileError(
            f"{shown} holds a NUL character on line {_line_at(text, position)}; expected text "
            "(a UTF-16 file without a byte-order mark? then pass encoding='utf-16-le')"
        )


def _read_delimited(text: str, sep: str | None, shown: str) -> tuple[pd.DataFrame, str]:
    head = text[:MAX_HEADER_CHARS]
    counts = {d: len(_header(head, d)[0] or ()) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    if sep is None:
        sep = best
    names, end = _header(head, sep)
    if names is None:
        raise DataFileError(
            f"{shown}: the header holds a name longer than {csv.field_size_limit():,} "
            f"characters with delimiter {sep!r}; expected column names"
        )
    if end == len(head) < len(text) and not head.endswith(("\n", "\r")):
        raise DataFileError(
            f"{shown}: the header is longer than {MAX_HEADER_CHARS:,} characters; expected "
            "at most that (scrm_lab.io.MAX_HEADER_CHARS)"
        )
    if len(names) == 1 and counts[best] > 1:
        raise DataFileError(
            f"{shown}: with sep={sep!r} the header is one column {_shown(names[0][:60])}, but "
            f"it splits into {counts[best]} columns on {best!r}; pass sep={best!r}"
        )
    if len(names) > MAX_COLUMNS:
        raise DataFileError(
            f"{shown}: the header has {len(names):,} columns (delimiter {sep!r}); expected "
            f"at most {MAX_COLUMNS:,} (scrm_lab.io.MAX_COLUMNS)"
        )
    return _read_rows(text, sep, len(names), shown), sep


def _header(head: str, sep: str) -> tuple[list[str] | None, int]:
    """The first non-blank record of ``head`` split on ``sep`` as pyarrow will split it, and
    where it ends; None if a name is longer than the csv module reads."""
    stream = _io.StringIO(head, newline="")
    try:
        record = next((r for r in csv.reader(stream, delimiter=sep) if r), [])
    except csv.Error:
        return None, len(head)
    return record, stream.tell()


def _read_rows(text: str, sep: str, width: int, shown: str) -> pd.DataFrame:
    """Every row as text, the header's fields as column names; a ragged row refused."""
    names = [f"f{i}" for i in range(width)]
    ragged: list = []

    def on_ragged(row) -> str:
        ragged.append(row)
        return "error"

    try:
        table = pa_csv.read_csv(
            _io.BytesIO(text.encode("utf-8", errors="surrogatepass")),
            read_options=pa_csv.ReadOptions(column_names=names, block_size=_BLOCK),
            parse_options=pa_csv.ParseOptions(
                delimiter=sep, newlines_in_values=True, invalid_row_handler=on_ragged
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as err:
        if ragged:
            row = ragged[0]
            line = _line_at(text, _row_start(text, row.text))
            raise DataFileError(
                f"{shown}: line {line} has {row.actual_columns} fields but the header has "
                f"{row.expected_columns} (delimiter {sep!r}); check for an unquoted delimiter "
                "or line break in a value, an unclosed quote or a wrong delimiter"
            ) from None
        raise DataFileError(
            f"{shown} cannot be parsed as delimited text with delimiter {sep!r}: {_reason(err)}"
        ) from err
    frame = table.slice(1).to_pandas()
    frame.columns = [table.column(i)[0].as_py() for i in range(width)]
    return frame


def _row_start(text: str, row: str) -> int:
    """Where a row pyarrow refused starts: after a line break (or at the start)."""
    return re.search(r"(?<![^\r\n])" + re.escape(row) + r"(?![^\r\n])", text).start()


class _RepeatedKey(Exception):
    """A key repeated in one JSON object."""


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    record = dict(pairs)
    if len(record) < len(pairs):
        seen: set[str] = set()
        raise _RepeatedKey(next(k for k, _ in pairs if k in seen or seen.add(k)))
    return record


def _read_jsonl(text: str, shown: str) -> pd.DataFrame:
    """One object per line, numbers kept exact (integers as int, decimals as Decimal); the
    index holds each object's line number (from 1)."""
    records, names, lines = [], {}, []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{shown}, line {number}"
        try:
            record = json.loads(line, parse_float=Decimal, object_pairs_hook=_unique_keys)
        except RecursionError:
            raise _too_deep(where) from None
        except _RepeatedKey as err:
            raise DataFileError(
                f"{where}: key {_shown(err.args[0])} appears twice in one object; expected "
                "each key once"
            ) from None
        except ValueError as err:  # not JSON, or an integer of more than 4300 digits
            reason = err.msg if isinstance(err, json.JSONDecodeError) else _reason(err)
            raise DataFileError(
                f"{where}: not valid JSON ({reason}); expected one JSON object per line"
            ) from err
        if not isinstance(record, dict):
            raise DataFileError(
                f"{where}: found a JSON {type(record).__name__}; expected one JSON object per line"
            )
        if line.count("[") + line.count("{") > MAX_JSON_DEPTH and _deeper(record):
            raise _too_deep(where)
        names.update(dict.fromkeys(record))
        if len(names) > MAX_COLUMNS:
            raise DataFileError(
                f"{where}: the objects so far have {len(names):,} different keys; expected "
                f"at most {MAX_COLUMNS:,} columns (scrm_lab.io.MAX_COLUMNS)"
            )
        records.append(record)
        lines.append(number)
    return pd.DataFrame(records, columns=list(names), dtype=object, index=lines)


def _too_deep(where: str) -> DataFileError:
    return DataFileError(
        f"{where}: JSON nested more than {MAX_JSON_DEPTH} levels deep; expected one object "
        "per line, nested at most that much (scrm_lab.io.MAX_JSON_DEPTH)"
    )


def _deeper(value: object) -> bool:
    """Whether lists and objects nest more than MAX_JSON_DEPTH levels deep in ``value``."""
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if level > MAX_JSON_DEPTH:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((c, level + 1) for c in children if isinstance(c, dict | list))
    return False


def _parsed(call: Callable[[], object], shown: str, name: str):
    """What ``call`` returns; a failure means the file is corrupt."""
    try:
        return call()
    except Exception as err:  # pyarrow, openpyxl and zipfile raise many types
        raise DataFileError(f"{shown} is not a valid {name} file: {_reason(err)}") from err


def _read_parquet(data: bytes, shown: str, declared: Mapping[str, str]) -> pd.DataFrame:
    parquet = _parsed(lambda: pq.ParquetFile(_io.BytesIO(data)), shown, "Parquet")
    schema, meta = parquet.schema_arrow, parquet.metadata
    if len(schema) > MAX_COLUMNS:
        raise DataFileError(
            f"{shown} has {len(schema):,} columns; expected at most {MAX_COLUMNS:,} "
            "(scrm_lab.io.MAX_COLUMNS)"
        )
    _named(pd.DataFrame(columns=schema.names), shown)  # a repeated name, before pandas sees it
    size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if size > MAX_DECOMPRESSED_BYTES:
        raise _too_big(shown, "uncompresses")
    for field in schema:
        name, kind = field.name.strip(), field.type
        kind = kind.value_type if pa.types.is_dictionary(kind) else kind
        binary = (pa.types.is_binary, pa.types.is_large_binary, pa.types.is_fixed_size_binary)
        if name in declared and (pa.types.is_nested(kind) or any(b(kind) for b in binary)):
            raise SchemaError(
                f"{shown}, column {_shown(field.name)} has Arrow type "
                f"{_printable(str(field.type))}; expected {declared[name]}, one value per "
                "cell (cast the column before saving)",
                column=name,
            )
    return _parsed(lambda: pd.read_parquet(_io.BytesIO(data)), shown, "Parquet")


def _read_excel(data: bytes, shown: str, sheet: str | int) -> pd.DataFrame:
    unzipped = _parsed(
        lambda: sum(i.file_size for i in zipfile.ZipFile(_io.BytesIO(data)).infolist()),
        shown,
        "Excel",
    )
    if unzipped > MAX_DECOMPRESSED_BYTES:
        raise _too_big(shown, "unzips")
    book = _parsed(lambda: pd.ExcelFile(_io.BytesIO(data), engine="openpyxl"), shown, "Excel")
    names = book.sheet_names
    if (isinstance(sheet, int) and not 0 <= sheet < len(names)) or (
        isinstance(sheet, str) and sheet not in names
    ):
        raise DataFileError(
            f"{shown} has no sheet {_shown(sheet)}; its sheets are "
            f"{_printable(str(names))} (or positions 0 to {len(names) - 1})"
        )
    header = _parsed(
        lambda: pd.read_excel(book, sheet_name=sheet, header=None, nrows=1), shown, "Excel"
    )
    if header.shape[1] > MAX_COLUMNS:
        raise DataFileError(
            f"{shown}: sheet {_shown(sheet)} has {header.shape[1]:,} columns; expected at most "
            f"{MAX_COLUMNS:,} (scrm_lab.io.MAX_COLUMNS)"
        )
    frame = _parsed(lambda: pd.read_excel(book, sheet_name=sheet), shown, "Excel")
    raw = ["" if pd.isna(v) else str(v) for v in header.iloc[0]] if len(header) else []
    frame.columns = (raw + [""] * frame.shape[1])[: frame.shape[1]]  # pandas' names hide repeats
    return frame.dropna(how="all")


def _named(frame: pd.DataFrame, shown: str) -> pd.DataFrame:
    """Columns named by their header text, stripped. A column with no name is dropped when it
    holds no value (a trailing delimiter) and refused when it does; a repeated name is refused.
    """
    names = [str(c).strip() for c in frame.columns]
    keep = []
    for position, name in enumerate(names):
        if name:
            keep.append(position)
            continue
        column = frame.iloc[:, position]
        blank = [_blank(v) for v in column]
        if not all(blank):
            row = blank.index(False)
            raise DataFileError(
                f"{shown}: column {position + 1} has no name in the header but holds values "
                f"(row {row + 1}: {_shown(column.iloc[row])}); expected a name for every "
                "column with values (a first column without a name is often a pandas index: "
                "write the file with index=False, or name the column)"
            )
    if len(keep) < len(names):
        frame = frame.iloc[:, keep]
    frame.columns = [names[p] for p in keep]
    repeated = frame.columns[frame.columns.duplicated()]
    if len(repeated):
        raise DataFileError(
            f"{shown}: column {_shown(repeated[0])} appears twice in the header; expected "
            "unique column names"
        )
    return frame


def _blank(value: object) -> bool:
    """Missing or only white space (a list or a mapping is a value)."""
    if isinstance(value, str):
        return not value.strip()
    return pd.api.types.is_scalar(value) and pd.isna(value)
