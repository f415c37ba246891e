"""Read users' files into canonical tables.

:func:`read_table` reads a CSV (or TSV, or any delimited text, optionally gzipped), Parquet,
Excel or JSON-lines file; :func:`conform` turns any DataFrame into a validated canonical
table. Both map column names, coerce raw values to the declared types and refuse bad input
with a :class:`~scrm_lab.exceptions.ScrmLabError` that names the file, column, row and value.
Rows in messages count from 1, header excluded.

What is handled rather than refused: a UTF-8 byte-order mark, Latin-1 / Windows-1252 text
(detected when the file is not valid UTF-8), ``;``, tab and ``|`` delimiters (sniffed from
the header), missing-value markers (empty, ``NA``, ``N/A``, ``null``, ``None``, ``NaN``),
time-zone offsets (converted to UTC), and one consistent date format per column (inferred).
What is refused: a missing or empty file, an unknown format, a malformed row, a missing or
misspelt column, a value of the wrong type, a negative count, a duplicate key, a column
that mixes date formats or mixes values with and without a time zone, and a date format
that cannot be told apart (day-first or month-first) without ``date_format``.

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

import csv
import gzip
import hashlib
import io as _io
import json
import re
import warnings
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandas.tseries.api import guess_datetime_format

from scrm_lab._reads import note_read
from scrm_lab.exceptions import DataFileError, ParameterError, SchemaError
from scrm_lab.schema import get_table, validate

__all__ = ["FORMATS", "conform", "read_file", "read_table"]

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

_MISSING = {"", "na", "n/a", "nan", "null", "none", "nat", "#n/a"}
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}
_DELIMITERS = [",", ";", "\t", "|"]
_TZ_SUFFIX = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)$", re.IGNORECASE
)


# --------------------------------------------------------------------------- reading files


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
        Delimiter of a text file; sniffed from the header (``,``, ``;``, tab, ``|``) if
        not given.
    encoding : str, optional
        Text encoding; UTF-8 (with or without a byte-order mark) is tried first, then
        Windows-1252 / Latin-1.
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
        The file is missing, empty, of an unknown format, or cannot be parsed.
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
    get_table(kind)  # an unknown kind is refused before the file is touched
    path = Path(path)
    raw, info = _read_raw(path, sep=sep, encoding=encoding, sheet=sheet)
    if info["format"] in ("delimited", "jsonl"):
        declared, mapped = get_table(kind).columns, columns or {}
        extras = [c for c in raw.columns if c not in declared and c not in mapped]
        raw = raw.assign(**{c: _infer_extra(raw[c]) for c in extras})
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


def read_file(
    path: str | Path, *, sep: str | None = None, encoding: str | None = None, sheet: str | int = 0
) -> pd.DataFrame:
    """Read a file that is not one of the canonical tables, with the same care as read_table.

    The formats, encodings, delimiters and refusals are those of :func:`read_table`; no column
    is renamed or required, and columns of numeric text become numbers. Use it for a file whose
    columns you map yourself (e.g. the flagship study's ``columns=`` roles).

    Examples
    --------
    >>> from scrm_lab._paths import shipped_dir
    >>> folder = shipped_dir("datasets") / "csm_movies_social_boxoffice"
    >>> movies = read_file(folder / "csm_2014_2015.csv")
    >>> len(movies)
    231
    """
    frame, _ = _read_raw(Path(path), sep=sep, encoding=encoding, sheet=sheet)
    return frame.apply(_infer_extra)


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
            raise ParameterError(
                f"The 'encoding' parameter must be a known text encoding. Got {encoding!r} instead."
            ) from err
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


# ------------------------------------------------------------------------ conforming frames


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


def _rename(
    data: pd.DataFrame,
    columns: Mapping[str, str],
    schema: pa.DataFrameSchema,
    kind: str,
    where: str,
) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(
            f"The 'data' parameter must be a pandas DataFrame. Got {type(data).__name__} instead."
        )
    if not isinstance(columns, Mapping):
        raise ParameterError(
            "The 'columns' parameter must be a mapping {name in file: canonical name}. "
            f"Got {type(columns).__name__} instead."
        )
    available = [str(c) for c in data.columns]
    for old, new in columns.items():
        if old not in available:
            raise SchemaError(
                f"{where}the column mapping names {old!r}, which is not in the data; "
                f"available columns: {', '.join(map(repr, available))}",
                table=kind,
                column=old,
            )
        if new not in schema.columns:
            raise ParameterError(
                f"The 'columns' mapping sends {old!r} to {new!r}, which is not a column of "
                f"table '{kind}'; its columns are {list(schema.columns)}"
            )
    targets = list(columns.values())
    repeated = sorted({t for t in targets if targets.count(t) > 1})
    if repeated:
        raise ParameterError(
            f"The 'columns' mapping sends several columns to {repeated}; "
            "expected one source column per canonical column"
        )
    renamed = data.rename(columns=dict(columns))
    clashes = [c for c in renamed.columns if list(renamed.columns).count(c) > 1]
    if clashes:
        raise SchemaError(
            f"{where}after renaming, column {clashes[0]!r} appears twice; drop or rename "
            "the original column first",
            table=kind,
            column=clashes[0],
        )
    return renamed


def _bad(where: str, kind: str, name: str, position: int, value: object, expected: str):
    value = value.item() if isinstance(value, np.generic) else value
    return SchemaError(
        f"{where}table '{kind}', column '{name}': row {position + 1} has {value!r}; "
        f"expected {expected}",
        table=kind,
        column=name,
        row=position + 1,
    )


def _is_missing(series: pd.Series) -> np.ndarray:
    missing = series.isna().to_numpy()
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        text = series.astype(object).where(~missing, "")
        missing = missing | text.map(lambda v: str(v).strip().lower() in _MISSING).to_numpy()
    return missing


def _text(series: pd.Series, missing: np.ndarray) -> pd.Series:
    """Values as stripped strings (object dtype), None where missing."""

    def to_text(value: object) -> str:
        if isinstance(value, float) and value.is_integer():
            return str(int(value))  # ids written as 12.0 by a spreadsheet
        return str(value).strip()

    values = series.astype(object).map(to_text).astype(object)
    return values.where(~missing, None)


def _coerce(
    series: pd.Series,
    column: pa.Column,
    *,
    kind: str,
    name: str,
    where: str,
    timezone: str,
    date_format: str | None,
) -> pd.Series:
    meta = column.metadata
    col_kind = meta["kind"]
    missing = _is_missing(series)
    if missing.any() and not column.nullable:
        position = int(np.argmax(missing))
        raise SchemaError(
            f"{where}table '{kind}', column '{name}': row {position + 1} is missing; "
            "expected a value (this column may not be empty)",
            table=kind,
            column=name,
            row=position + 1,
        )
    context = (where, kind, name)
    if col_kind == "string":
        return _text(series, missing).astype("str")
    if col_kind == "category":
        return _to_category(_text(series, missing), meta["allowed"], context)
    if col_kind in ("int", "float"):
        return _to_number(series, missing, col_kind, column.nullable, context)
    if col_kind == "bool":
        return _to_bool(series, missing, column.nullable, context)
    return _to_datetime(series, missing, col_kind, timezone, date_format, context)


def _to_category(text: pd.Series, allowed: list[str] | None, context) -> pd.Series:
    if allowed is None:
        return text.astype("category")
    lookup = {a.lower(): a for a in allowed}
    for position, value in enumerate(text):
        if value is not None and value.lower() not in lookup:
            raise _bad(*context, position, value, f"one of {allowed}")
    mapped = text.map(lambda v: None if v is None else lookup[v.lower()])
    return pd.Series(pd.Categorical(mapped, categories=allowed), index=text.index)


def _to_number(
    series: pd.Series, missing: np.ndarray, kind: str, nullable: bool, context
) -> pd.Series:
    if pd.api.types.is_bool_dtype(series):
        series = series.astype("Int64")
    if pd.api.types.is_numeric_dtype(series):
        numbers = series.astype("float64")
    else:
        text = _text(series, missing)
        numbers = pd.to_numeric(text, errors="coerce").astype("float64")
        failed = numbers.isna().to_numpy() & ~missing
        if failed.any():
            position = int(np.argmax(failed))
            expected = "an integer" if kind == "int" else "a number"
            raise _bad(*context, position, text.iloc[position], expected)
    finite = numbers.dropna()
    if kind == "float":
        return numbers
    fractional = ~np.isclose(finite, np.round(finite)) | ~np.isfinite(finite)
    if fractional.any():
        position = numbers.index.get_loc(finite.index[np.argmax(fractional)])
        raise _bad(*context, position, numbers.iloc[position], "an integer")
    result = numbers.round().astype("Int64")
    return result if nullable else result.astype("int64")


def _to_bool(series: pd.Series, missing: np.ndarray, nullable: bool, context) -> pd.Series:
    values = []
    for position, value in enumerate(_text(series, missing)):
        if value is None:
            values.append(pd.NA)
        elif value.lower() in _TRUE:
            values.append(True)
        elif value.lower() in _FALSE:
            values.append(False)
        else:
            raise _bad(*context, position, value, "true/false (or yes/no, 1/0)")
    result = pd.Series(pd.array(values, dtype="boolean"), index=series.index)
    return result if nullable else result.astype("bool")


def _to_datetime(
    series: pd.Series,
    missing: np.ndarray,
    kind: str,
    timezone: str,
    date_format: str | None,
    context,
) -> pd.Series:
    where, table, name = context
    if pd.api.types.is_datetime64_any_dtype(series):
        parsed = series
    else:
        text = _text(series, missing)
        parsed = _parse_text_dates(text, date_format, context)
    if parsed.dt.tz is None and kind == "timestamp":
        try:
            parsed = parsed.dt.tz_localize(timezone, ambiguous="raise", nonexistent="raise")
        except Exception as err:  # unknown zone, or a local time that DST makes ambiguous
            raise SchemaError(
                f"{where}table '{table}', column '{name}': cannot place the times in time "
                f"zone {timezone!r} ({err}); pass a valid IANA zone as timezone= or write "
                "the times with an offset",
                table=table,
                column=name,
            ) from err
    if kind == "timestamp":
        return parsed.dt.tz_convert("UTC").astype("datetime64[ns, UTC]")
    if parsed.dt.tz is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    return parsed.dt.normalize().astype("datetime64[ns]")


def _parse_text_dates(text: pd.Series, date_format: str | None, context) -> pd.Series:
    where, table, name = context
    present = [(p, v) for p, v in enumerate(text) if v is not None]
    if not present:
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    zoned = [bool(_TZ_SUFFIX.search(v)) for _, v in present]
    if any(zoned) and not all(zoned):
        with_tz = present[zoned.index(True)]
        without = present[zoned.index(False)]
        raise SchemaError(
            f"{where}table '{table}', column '{name}' mixes times with a time zone "
            f"(row {with_tz[0] + 1}: {with_tz[1]!r}) and without one "
            f"(row {without[0] + 1}: {without[1]!r}); expected all or none to carry an offset",
            table=table,
            column=name,
            row=without[0] + 1,
        )
    utc = all(zoned)
    if not date_format:
        try:  # ISO 8601 (year first) is never ambiguous
            return pd.to_datetime(text, format="ISO8601", utc=utc)
        except (ValueError, TypeError):
            pass
    formats = [date_format] if date_format else _candidate_formats(present[0][1])
    parsed_by_format = {}
    for fmt in formats:
        try:
            parsed_by_format[fmt] = pd.to_datetime(text, format=fmt, utc=utc)
        except (ValueError, TypeError):
            continue
    if len(parsed_by_format) > 1:
        distinct = {tuple(p.dropna()) for p in parsed_by_format.values()}
        if len(distinct) > 1:
            raise SchemaError(
                f"{where}table '{table}', column '{name}': dates like {present[0][1]!r} "
                f"fit both {' and '.join(parsed_by_format)}; pass date_format= to say which",
                table=table,
                column=name,
            )
    if parsed_by_format:
        return next(iter(parsed_by_format.values()))
    reference = formats[0] if formats else "ISO8601"
    for position, value in present:
        try:
            pd.to_datetime(pd.Series([value]), format=reference, utc=utc)
        except (ValueError, TypeError):
            shown = f"format {reference}"
            first = present[0]
            raise SchemaError(
                f"{where}table '{table}', column '{name}': row {position + 1} has {value!r}, "
                f"which does not match row {first[0] + 1} ({first[1]!r}, {shown}); "
                "expected one date format throughout (pass date_format= if needed)",
                table=table,
                column=name,
                row=position + 1,
            ) from None
    raise SchemaError(  # pragma: no cover - every value parsed alone but not together
        f"{where}table '{table}', column '{name}': the dates could not be parsed together",
        table=table,
        column=name,
    )


def _candidate_formats(example: str) -> list[str]:
    """The month-first and day-first readings of the first value (ISO 8601 failed)."""
    formats = []
    for dayfirst in (False, True):
        with warnings.catch_warnings():  # pandas warns when dayfirst does not apply
            warnings.simplefilter("ignore", UserWarning)
            guess = guess_datetime_format(example, dayfirst=dayfirst)
        if guess and guess not in formats:
            formats.append(guess)
    return formats


def _infer_extra(series: pd.Series) -> pd.Series:
    """Extra (undeclared) columns: numeric text becomes numbers, the rest stays as is."""
    if series.dtype != object and not pd.api.types.is_string_dtype(series):
        return series
    missing = _is_missing(series)
    if missing.all():
        return series
    numbers = pd.to_numeric(_text(series, missing), errors="coerce")
    if (numbers.notna().to_numpy() | missing).all():
        return numbers
    return series
