"""Turning raw columns into a canonical table's types: names, missing values, numbers, dates.

Examples
--------
>>> import pandas as pd
>>> _infer_extra(pd.Series(["1", "2.5"])).tolist()
[1.0, 2.5]
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandas.tseries.api import guess_datetime_format

from scrm_lab._checks import refuse, suggest
from scrm_lab.exceptions import SchemaError

_MISSING = {"", "na", "n/a", "nan", "null", "none", "nat", "#n/a"}
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}
_TZ_SUFFIX = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)$", re.IGNORECASE
)


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
            raise SchemaError(
                f"{where}the column mapping names {old!r}, which is not in the data; "
                f"available columns: {', '.join(map(repr, available))}",
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
