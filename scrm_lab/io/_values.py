"""Turning raw columns into a canonical table's types: names, missing values, numbers, dates.

No number is changed quietly. An ``int`` column keeps every integer exactly (read from its
text, never through a float) or refuses it, naming the row: an integer beyond 64 bits, or
one of 2**53 or more that arrives as a float (from Excel or a float column), since a
float64 that large may be a neighbouring integer rounded. A ``float`` column holds the
nearest float64 to what was written and refuses inf, -inf and numbers beyond a float64
(``1e400``). Times outside what a nanosecond timestamp holds are refused, naming the row,
and so is a list, a mapping or bytes in a declared column. Values and names are shown in
messages on one line.

Examples
--------
>>> import pandas as pd
>>> raw = pd.DataFrame({"a": ["1", "2.5"], "b": ["9007199254740993", None]}, dtype=object)
>>> extras = _infer_extras(raw)
>>> extras["a"].tolist(), extras["b"].tolist()  # b kept exact
([1.0, 2.5], [9007199254740993, <NA>])
>>> print(_printable("two\\nlines.csv"))
two\\nlines.csv
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Collection, Mapping
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc
from pandas.tseries.api import guess_datetime_format

from scrm_lab._checks import refuse, suggest
from scrm_lab.exceptions import SchemaError

#: Missing-value markers (compared stripped and lower-cased): pandas' own list, and NaT.
_MISSING = {
    *("", "na", "n/a", "nan", "-nan", "null", "none", "nat", "<na>", "#na", "#n/a"),
    *("#n/a n/a", "1.#ind", "-1.#ind", "1.#qnan", "-1.#qnan"),
}
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}
_TZ_SUFFIX = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)$", re.IGNORECASE
)
#: What a declared column expects, by kind, as refusals word it.
_EXPECTED = {
    "string": "text",
    "category": "text",
    "int": "an integer",
    "float": "a number",
    "bool": "true/false (or yes/no, 1/0)",
    "date": "a date",
    "timestamp": "a date and time",
}
#: Values that are not one value: refused in a declared column, kept in an extra one.
_CONTAINERS = (list, tuple, dict, set, frozenset, np.ndarray, bytes, bytearray)
#: A float64 this large or larger may be another integer rounded (2**53 + 1 reads as 2**53).
_EXACT = 2**53
_INT64 = (-(2**63), 2**63 - 1)
_WHOLE = re.compile(r"[+-]?\d+")
_SEPARATED = re.compile(r"\d[,\s']\d")
#: Times a nanosecond timestamp holds (1677-09-21 to 2262-04-11), over a day inside each end so
#: that placing a time in any time zone stays inside; the end is excluded.
_EARLIEST, _LATEST = pd.Timestamp("1677-09-23"), pd.Timestamp("2262-04-10")


def _printable(text: str) -> str:
    """``text`` on one line: line breaks and other unprintable characters escaped as repr does."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _shown(value: object) -> str:
    """A value as a message shows it: its repr on one line, cut after 60 characters."""
    value = value.item() if isinstance(value, np.generic) else value
    text = repr(value)
    if len(text) > 80:
        text = (repr(value[:60]) if isinstance(value, str) else text[:60]) + "..."
    return _printable(text)


def _reason(err: BaseException) -> str:
    """A library's error message on one line, cut after 200 characters."""
    text = " ".join(str(err).split()) or type(err).__name__
    return _printable(text if len(text) <= 200 else text[:200] + "...")


def _rename(
    data: pd.DataFrame,
    columns: Mapping[str, str],
    schema: pa.DataFrameSchema,
    kind: str,
    where: str,
) -> pd.DataFrame:
    available = [str(c) for c in data.columns]
    for old, new in columns.items():
        if old not in available:
            more = f" and {len(available) - 20:,} more" if len(available) > 20 else ""
            raise SchemaError(
                f"{where}the column mapping names {_shown(old)}, which is not in the data; "
                f"available columns: {', '.join(map(_shown, available[:20]))}{more}",
                table=kind,
                column=old,
            )
        if new not in schema.columns:
            raise refuse(
                "columns", f"a mapping to columns of table '{kind}' ({list(schema.columns)})",
                {old: new}, suggest(new, list(schema.columns)),
            )  # fmt: skip
    targets = list(columns.values())
    repeated = sorted({t for t in targets if targets.count(t) > 1})
    if repeated:
        raise refuse("columns", "a mapping with one source column per canonical column",
                     {k: v for k, v in columns.items() if v in repeated})  # fmt: skip
    renamed = data.rename(columns=dict(columns))
    clashes = renamed.columns[renamed.columns.duplicated()]
    if len(clashes):
        raise SchemaError(
            f"{where}after renaming, column {clashes[0]!r} appears twice; drop or rename "
            "the original column first",
            table=kind,
            column=clashes[0],
        )
    return renamed


def _bad(
    where: str,
    kind: str,
    name: str,
    position: int,
    value: object,
    expected: str,
    *,
    found: str | None = None,
) -> SchemaError:
    return SchemaError(
        f"{where}table '{kind}', column '{name}': row {position + 1} has "
        f"{found or _shown(value)}; expected {expected}",
        table=kind,
        column=name,
        row=position + 1,
    )


def _first(flags: np.ndarray) -> int | None:
    """The position of the first True, or None."""
    return int(np.argmax(flags)) if flags.any() else None


def _is_missing(series: pd.Series) -> np.ndarray:
    missing = series.isna().to_numpy(dtype=bool)
    if pd.api.types.is_string_dtype(series) and series.dtype != object:
        marked = series.str.strip().str.lower().isin(_MISSING).to_numpy(dtype=bool)
    elif series.dtype == object:
        marked = series.map(
            lambda v: isinstance(v, str) and v.strip().lower() in _MISSING
        ).to_numpy(dtype=bool)
    else:
        return missing
    return missing | marked


def _containers(series: pd.Series) -> np.ndarray:
    if series.dtype != object:
        return np.zeros(len(series), dtype=bool)
    return series.map(lambda v: isinstance(v, _CONTAINERS)).to_numpy(dtype=bool)


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
    context = (where, kind, name)
    position = _first(_containers(series))
    if position is not None:
        value = series.iloc[position]
        raise _bad(
            *context,
            position,
            value,
            f"{_EXPECTED[col_kind]}, one value per cell",
            found=f"a {type(value).__name__} {_shown(value)}",
        )
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
    if col_kind == "string":
        return _text(series, missing).astype("str")
    if col_kind == "category":
        return _to_category(_text(series, missing), meta["allowed"], context)
    if col_kind == "float":
        return _to_float(series, missing, context)
    if col_kind == "int":
        result = _to_int(series, missing, context)
        return result if column.nullable else result.astype("int64")
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


def _unparsed(
    failed: np.ndarray, text: pd.Series, series: pd.Series, expected: str, context
) -> None:
    """Refuse the first value that is not a number, with a hint for thousands separators."""
    position = _first(failed)
    if position is not None:
        if _SEPARATED.search(text.iloc[position]):
            expected += " (no thousands separators, and '.' as the decimal point)"
        raise _bad(*context, position, series.iloc[position], expected)


def _to_float(series: pd.Series, missing: np.ndarray, context) -> pd.Series:
    if pd.api.types.is_bool_dtype(series):
        series = series.astype("Int64")
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_complex_dtype(series):
        shown, numbers = series, series.astype("float64")
    else:
        shown = _text(series, missing)
        checked = pd.to_numeric(shown, errors="coerce")
        _unparsed(checked.isna().to_numpy() & ~missing, shown, series, "a number", context)
        numbers = pd.Series(_nearest(shown), index=series.index)
    position = _first(np.isinf(numbers.to_numpy()))
    if position is not None:
        raise _bad(*context, position, shown.iloc[position], "a finite number")
    return numbers


def _nearest(text: pd.Series) -> np.ndarray:
    """Number text as float64, each the nearest float64 to what is written: pyarrow rounds
    exactly, while pandas' own parser can be a unit in the last place off past 17 digits."""
    array = pyarrow.array(text.to_numpy(dtype=object, na_value=None), type=pyarrow.string())
    return pc.cast(array, pyarrow.float64()).to_numpy(zero_copy_only=False)


def _to_int(series: pd.Series, missing: np.ndarray, context) -> pd.Series:
    """Integers kept exactly (Int64), or refused naming the first bad row."""
    if pd.api.types.is_bool_dtype(series):
        series = series.astype("Int64")
    if pd.api.types.is_unsigned_integer_dtype(series):
        position = _first((series > _INT64[1]).fillna(False).to_numpy(dtype=bool))
        if position is not None:
            raise _bad(*context, position, series.iloc[position], _INT64_EXPECTED)
    if pd.api.types.is_integer_dtype(series):
        return series.astype("Int64")
    if pd.api.types.is_float_dtype(series):
        _check_float_integers(series.astype("float64"), missing, context)
        return series.astype("Float64").astype("Int64")
    if series.dtype == object:
        floats = series.map(lambda v: isinstance(v, float | np.floating)).to_numpy(dtype=bool)
        if floats.any():
            values = series.where(floats, np.nan).astype("float64")
            _check_float_integers(values, missing, context)
    text = _text(series, missing)
    numbers = pd.to_numeric(text, errors="coerce", dtype_backend="numpy_nullable")
    _unparsed(numbers.isna().to_numpy() & ~missing, text, series, "an integer", context)
    if numbers.dtype == "Int64":
        return numbers
    exact = [None if v is None else _exact_int(v, p, context) for p, v in enumerate(text)]
    return pd.Series(pd.array(exact, dtype="Int64"), index=series.index)


_INT64_EXPECTED = "an integer that fits in 64 bits (at most 9,223,372,036,854,775,807 in size)"


def _check_float_integers(values: pd.Series, missing: np.ndarray, context) -> None:
    """Refuse a float that is not a whole number, or one of 2**53 or more (maybe rounded)."""
    array = values.to_numpy()
    present = ~np.isnan(array) & ~missing
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(array) & (array == np.round(array))
    position = _first(present & ~whole)
    if position is not None:
        raise _bad(*context, position, values.iloc[position], "an integer")
    position = _first(present & (np.abs(array) >= _EXACT))
    if position is not None:
        raise _bad(
            *context,
            position,
            values.iloc[position],
            "an integer below 2**53 when stored as a float (a larger float may be another "
            "integer rounded); store the column as integers or as text",
        )


def _exact_int(text: str, position: int, context) -> int:
    """The integer ``text`` writes (``12``, ``12.0``, ``1.2e3``), exactly, or refused."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _bad(*context, position, text, "an integer") from None
    if not number.is_finite() or number != number.to_integral_value():
        raise _bad(*context, position, text, "an integer")
    if not _INT64[0] <= number <= _INT64[1]:
        raise _bad(*context, position, text, _INT64_EXPECTED)
    return int(number)


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
            raise _bad(*context, position, value, _EXPECTED["bool"])
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
        parsed = shown = series
    else:
        shown = _text(series, missing)
        parsed = _parse_text_dates(shown, date_format, context)
    _check_range(parsed, shown, kind, context)
    if parsed.dt.tz is None and kind == "timestamp":
        try:
            parsed = parsed.dt.tz_localize(timezone, ambiguous="raise", nonexistent="raise")
        except Exception as err:  # unknown zone, or a local time that DST makes ambiguous
            raise SchemaError(
                f"{where}table '{table}', column '{name}': cannot place the times in time "
                f"zone {timezone!r} ({_reason(err)}); pass a valid IANA zone as timezone= "
                "or write the times with an offset",
                table=table,
                column=name,
            ) from err
    if kind == "timestamp":
        return parsed.dt.tz_convert("UTC").astype("datetime64[ns, UTC]")
    if parsed.dt.tz is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    return parsed.dt.normalize().astype("datetime64[ns]")


def _check_range(parsed: pd.Series, shown: pd.Series, kind: str, context) -> None:
    """Refuse a time a nanosecond timestamp cannot hold (year 1, year 3000)."""
    naive = parsed if parsed.dt.tz is None else parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    outside = ((naive < _EARLIEST) | (naive >= _LATEST)).to_numpy(dtype=bool)
    position = _first(outside)
    if position is not None:
        raise _bad(
            *context,
            position,
            shown.iloc[position],
            f"{_EXPECTED[kind]} from 1677-09-23 to 2262-04-09 (what pandas' nanosecond "
            "timestamps hold, a day inside each end for time zones)",
        )


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
            f"(row {with_tz[0] + 1}: {_shown(with_tz[1])}) and without one "
            f"(row {without[0] + 1}: {_shown(without[1])}); expected all or none to carry "
            "an offset",
            table=table,
            column=name,
            row=without[0] + 1,
        )
    utc = all(zoned)
    if not date_format:
        try:  # ISO 8601 (year first) is never ambiguous
            return pd.to_datetime(text, format="ISO8601", utc=utc)
        except _UNPARSED:
            pass
    formats = [date_format] if date_format else _candidate_formats(present[0][1])
    parsed_by_format = {}
    for fmt in formats:
        try:
            parsed_by_format[fmt] = pd.to_datetime(text, format=fmt, utc=utc)
        except _UNPARSED:
            continue
    if len(parsed_by_format) > 1:
        distinct = {tuple(p.dropna()) for p in parsed_by_format.values()}
        if len(distinct) > 1:
            raise SchemaError(
                f"{where}table '{table}', column '{name}': dates like {_shown(present[0][1])} "
                f"fit both {' and '.join(parsed_by_format)}; pass date_format= to say which",
                table=table,
                column=name,
            )
    if parsed_by_format:
        return next(iter(parsed_by_format.values()))
    reference = formats[0] if formats else "ISO8601"
    first = present[0]
    alone = pd.to_datetime(text, format=reference, utc=utc, errors="coerce")  # NaT: no match
    position = _first(alone.isna().to_numpy() & text.notna().to_numpy())
    if position is not None:
        raise SchemaError(
            f"{where}table '{table}', column '{name}': row {position + 1} has "
            f"{_shown(text.iloc[position])}, which does not match row {first[0] + 1} "
            f"({_shown(first[1])}, format {_printable(reference)}); expected one date "
            "format throughout (pass date_format= if needed)",
            table=table,
            column=name,
            row=position + 1,
        )
    raise SchemaError(  # pragma: no cover - every value parsed alone but not together
        f"{where}table '{table}', column '{name}': the dates could not be parsed together",
        table=table,
        column=name,
    )


#: What pandas raises for text that is not a date in the format tried (an out-of-range
#: year is a ValueError, a year with too many digits an OverflowError).
_UNPARSED = (ValueError, TypeError, OverflowError)


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


def _infer_extras(frame: pd.DataFrame, keep: Collection[str] = ()) -> pd.DataFrame:
    """``frame`` with numeric text turned into numbers, in every column but ``keep``, when
    each value of the column converts exactly.

    Whole numbers become int64 (float64 when some are missing, Int64 if one of them is
    beyond 2**53); a column holding an integer beyond 64 bits, one of 2**53 or more among
    decimals, a number beyond a float64 (``1e400``, ``inf``) or a list stays as it is. All
    cells are looked at together, so a wide file costs about what a long one does.
    """
    names = [
        c
        for c, dtype in frame.dtypes.items()
        if c not in keep and pd.api.types.is_string_dtype(dtype)
    ]
    if not names or frame.empty:
        return frame
    rows = len(frame)
    text, missing, containers = _cells(frame[names])
    numbers = pd.to_numeric(text, errors="coerce", dtype_backend="numpy_nullable")
    shape = (len(names), rows)
    failed = (numbers.isna().to_numpy(dtype=bool) & ~missing).reshape(shape).any(axis=1)
    values = _nearest(text.where(numbers.notna())).reshape(shape)
    whole = text.str.fullmatch(_WHOLE.pattern).to_numpy(dtype=bool, na_value=False)
    whole, missing = whole.reshape(shape), missing.reshape(shape)
    numeric = ~(failed | containers | missing.all(axis=1) | np.isinf(values).any(axis=1))
    integral = (whole | missing).all(axis=1)
    beyond = (whole & (np.abs(np.nan_to_num(values)) >= _EXACT)).any(axis=1)
    converted = {}
    for j in np.flatnonzero(numeric):
        gaps = missing[j].any()
        if not beyond[j]:
            exact = integral[j] and not gaps
            converted[names[j]] = values[j].astype("int64") if exact else values[j]
        elif integral[j]:
            part = text.iloc[j * rows : (j + 1) * rows].reset_index(drop=True)
            ints = pd.to_numeric(part, errors="coerce", dtype_backend="numpy_nullable")
            if ints.dtype == "Int64":  # not UInt64: every one fits in 64 bits
                converted[names[j]] = ints.array if gaps else ints.to_numpy(dtype="int64")
    if not converted:
        return frame
    numbers_frame = pd.DataFrame(converted, index=frame.index)
    rest = frame.drop(columns=list(converted))
    return pd.concat([rest, numbers_frame], axis=1)[list(frame.columns)]


def _cells(block: pd.DataFrame) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Every cell of ``block``, column after column: its text (stripped, missing where
    missing), whether it is missing, and whether each column holds a list or mapping."""
    cells = block.to_numpy(dtype=object).ravel(order="F")
    if not any(
        pd.api.types.is_object_dtype(d) for d in block.dtypes
    ):  # text read from a text file: vectorized
        raw = pd.Series(cells, dtype="str")
        text = raw.str.strip()
        missing = raw.isna().to_numpy(dtype=bool) | text.str.lower().isin(_MISSING).to_numpy()
        return text.where(~missing), missing, np.zeros(block.shape[1], dtype=bool)
    series = pd.Series(cells, dtype=object)
    missing = _is_missing(series)
    containers = _containers(series).reshape(block.shape[1], -1).any(axis=1)
    text = _text(series.where(~_containers(series), None), missing)
    return text, missing, containers
