"""Reading a user's file as raw text columns: formats, encodings, delimiters, gzip.

Examples
--------
>>> sorted(set(FORMATS.values()))
['delimited', 'excel', 'jsonl', 'parquet']
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io as _io
import json
import re
from pathlib import Path

import pandas as pd

from scrm_lab._checks import refuse
from scrm_lab._reads import note_read
from scrm_lab.exceptions import DataFileError

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

_DELIMITERS = [",", ";", "\t", "|"]


def _read_raw(
    path: Path, *, sep: str | None, encoding: str | None, sheet: str | int
) -> tuple[pd.DataFrame, dict]:
    if not path.exists():
        raise DataFileError(f"file '{path}' does not exist")
    if path.is_dir():
        raise DataFileError(f"'{path}' is a folder; expected a data file")
    suffixes = [s.lower() for s in path.suffixes]
    compressed = bool(suffixes) and suffixes[-1] == ".gz"
    suffix = suffixes[-2] if compressed and len(suffixes) > 1 else (suffixes or [""])[-1]
    fmt = FORMATS.get(suffix)
    if fmt is None:
        hint = " (save old .xls files as .xlsx)" if suffix == ".xls" else ""
        raise DataFileError(
            f"file '{path}' has an unknown format '{suffix or 'no extension'}'{hint}; "
            f"expected one of {', '.join(sorted(FORMATS))} (or a .gz of a text format)"
        )
    data = path.read_bytes()
    if compressed:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as err:
            raise DataFileError(f"file '{path}' is not a valid gzip file: {err}") from err
    if not data.strip():
        raise DataFileError(
            f"file '{path}' is empty; expected a header row and at least one data row"
        )
    info = {
        "path": str(path),
        "format": fmt,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }
    note_read(
        "file", str(path), info["sha256"]
    )  # for the provenance of a report run; nothing otherwise
    if fmt == "delimited":
        text, info["encoding"] = _decode(data, encoding, path)
        frame, info["sep"] = _read_delimited(text, sep, path)
    elif fmt == "jsonl":
        text, info["encoding"] = _decode(data, encoding, path)
        frame = _read_jsonl(text, path)
    elif fmt == "parquet":
        frame = _read_binary(pd.read_parquet, data, path, "Parquet")
    else:
        frame = _read_excel(data, path, sheet)
    if frame.empty:
        raise DataFileError(f"file '{path}' has a header but no data rows")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.reset_index(drop=True), info


def _decode(data: bytes, encoding: str | None, path: Path) -> tuple[str, str]:
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except LookupError as err:
            raise refuse("encoding", "a known text encoding", encoding) from err
        except UnicodeDecodeError as err:
            line = data[: err.start].count(b"\n") + 1
            raise DataFileError(
                f"file '{path}' is not valid {encoding}: byte 0x{data[err.start]:02x} on "
                f"line {line} cannot be decoded; pass the file's real encoding, "
                "e.g. encoding='latin-1'"
            ) from err
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    bom = data.startswith(b"\xef\xbb\xbf")
    data = data.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte-order mark
    for candidate in ("utf-8", "cp1252", "latin-1"):
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        return text, "utf-8-sig" if bom and candidate == "utf-8" else candidate
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover


def _read_delimited(text: str, sep: str | None, path: Path) -> tuple[pd.DataFrame, str]:
    header = text.lstrip("\r\n").splitlines()[0]
    counts = {d: len(next(csv.reader([header], delimiter=d))) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    if sep is None:
        sep = best
    elif len(sep) == 1 and counts.get(sep, _count_fields(header, sep)) == 1 and counts[best] > 1:
        raise DataFileError(
            f"file '{path}': with sep={sep!r} the header is one column {header[:60]!r}, but it "
            f"splits into {counts[best]} columns on {best!r}; pass sep={best!r}"
        )
    names = next(csv.reader([header], delimiter=sep)) if len(sep) == 1 else header.split()
    seen: set[str] = set()
    for name in (n.strip() for n in names):
        if name in seen:
            raise DataFileError(
                f"file '{path}': column {name!r} appears twice in the header; "
                "expected unique column names"
            )
        seen.add(name)
    try:
        frame = pd.read_csv(
            _io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
            engine="c" if len(sep) == 1 else "python",
        )
    except pd.errors.ParserError as err:
        raise DataFileError(f"file '{path}': {_explain_parser_error(err, sep)}") from err
    return frame, sep


def _count_fields(header: str, sep: str) -> int:
    return len(next(csv.reader([header], delimiter=sep)))


def _explain_parser_error(err: Exception, sep: str) -> str:
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
    if match:
        expected, line, saw = match.groups()
        return (
            f"line {line} has {saw} fields but the header has {expected} (delimiter {sep!r}); "
            "check for an unquoted delimiter in a value or a wrong delimiter"
        )
    return f"cannot be parsed as delimited text with delimiter {sep!r}: {err}"


def _read_jsonl(text: str, path: Path) -> pd.DataFrame:
    records = []
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise DataFileError(
                f"file '{path}', line {number}: not valid JSON ({err.msg}); "
                "expected one JSON object per line"
            ) from err
        if not isinstance(record, dict):
            raise DataFileError(
                f"file '{path}', line {number}: found a JSON {type(record).__name__}; "
                "expected one JSON object per line"
            )
        records.append(record)
    return pd.DataFrame.from_records(records)


def _read_binary(reader, data: bytes, path: Path, name: str) -> pd.DataFrame:
    try:
        return reader(_io.BytesIO(data))
    except Exception as err:  # pyarrow and openpyxl raise many types for corrupt files
        raise DataFileError(f"file '{path}' is not a valid {name} file: {err}") from err


def _read_excel(data: bytes, path: Path, sheet: str | int) -> pd.DataFrame:
    book = _read_binary(lambda b: pd.ExcelFile(b, engine="openpyxl"), data, path, "Excel")
    names = book.sheet_names
    if (isinstance(sheet, int) and not 0 <= sheet < len(names)) or (
        isinstance(sheet, str) and sheet not in names
    ):
        raise DataFileError(
            f"file '{path}' has no sheet {sheet!r}; its sheets are {names} "
            f"(or positions 0 to {len(names) - 1})"
        )
    return pd.read_excel(book, sheet_name=sheet).dropna(how="all")
