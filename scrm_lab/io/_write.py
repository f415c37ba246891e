"""Writing tables and text files: CSV safe to open in a spreadsheet, Parquet, atomically.

:func:`write_table` is the one place scrm_lab writes a table to a file (``scrm-lab table
convert``, the ``synth`` commands, ``bench --out``, batch summaries), :func:`csv_text` the
one place it turns a table into CSV text (``--format csv``), and :func:`write_text` writes
any other text file (a schedule export) the same atomic way: into a temporary file in the
target's folder, renamed over the target once complete, so a failure leaves nothing behind.

CSV is neutralised as OWASP's "CSV Injection" page recommends, so that a value taken from
data or parameters, such as a brand named ``=HYPERLINK("http://x", "y")``, is shown as text
and never run as a formula when the file is opened in a spreadsheet:

- A text cell (every header cell, and every value of a column that is not numeric) whose
  first character is ``=``, ``+``, ``-``, ``@``, tab, carriage return (OWASP's list), line
  feed, NUL, one of their full-width forms ``＝ ＋ － ＠``, or ``'`` itself, gets a ``'`` in
  front. Escaping ``'`` too keeps this reversible: remove one leading ``'`` from every text
  cell that has one and you have the original text.
- Every text cell is written in double quotes (a ``"`` inside doubled), so that a
  spreadsheet splitting on ``;`` or tab cannot start a new cell in the middle of one.
- Numbers are never changed: a value of a numeric column, or a number among the values of a
  mixed column, is written unquoted, as Python's ``repr``, and reads back as exactly the same
  number (``-3`` stays the number -3). Text that looks like a number (``"-3"`` in a text
  column) is text: it is neutralised like any text, since only the column's type, not a
  spreadsheet's guess, tells a number from text.

Times are written as ``2025-03-01T12:00:00+0000`` (ISO 8601, the offset when there is one).
Parquet keeps every value and its type; a column whose values Parquet cannot store as one
type (numbers mixed with text, say) is refused with a :class:`~scrm_lab.exceptions.SchemaError`
naming the column and the kinds of values found, rather than changed silently.

Examples
--------
>>> import pandas as pd
>>> print(csv_text(pd.DataFrame({"brand": ["=HYPERLINK(1)", "Nike"], "change": [-3, 1.5]})))
"brand","change"
"'=HYPERLINK(1)",-3.0
"Nike",1.5
"""

from __future__ import annotations

import csv
import io
import numbers
import os
import secrets
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from scrm_lab._checks import Instance, Text, checks
from scrm_lab.exceptions import DataFileError, ParameterError, SchemaError

__all__ = ["csv_text", "write_table", "write_text"]

#: A text cell starting with one of these gets a ``'`` in front: OWASP's = + - @ tab and
#: carriage return, line feed and NUL (ASVS 5.0 adds it), the full-width forms of the four
#: signs, and ``'`` itself, so that one leading ``'`` removed always gives the text back.
ESCAPED_FIRST = frozenset("=+-@\t\r\n\0＝＋－＠'")
#: How times are written in CSV.
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_SUFFIXES = (".csv", ".parquet")
_FRAME = Instance(pd.DataFrame, "a pandas DataFrame")
_PATH = Instance((str, os.PathLike), "a file path")


def _neutral(text: str) -> str:
    """``text`` with a ``'`` in front when it starts with a formula trigger or ``'``."""
    return "'" + text if text[:1] in ESCAPED_FIRST else text


def _missing(value: object) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _cell(value: object) -> object:
    """A value of a text column as CSV shows it: numbers and gaps as they are, else text."""
    if isinstance(value, str):
        return _neutral(value)
    if isinstance(value, numbers.Number) or _missing(value):
        return value
    return _neutral(str(value))


def _for_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy ready for ``to_csv``: header and text cells neutralised, times as text."""
    columns = []
    for _, column in frame.items():
        if pd.api.types.is_datetime64_any_dtype(column.dtype):
            column = column.dt.strftime(TIME_FORMAT)
        elif pd.api.types.is_numeric_dtype(column.dtype):
            columns.append(column.reset_index(drop=True))
            continue
        # Not Series.map: it would turn the ints of a column with gaps into floats.
        columns.append(pd.Series([_cell(v) for v in column.astype(object)], dtype=object))
    out = pd.concat(columns, axis=1, ignore_index=True) if columns else pd.DataFrame()
    out.columns = [_neutral(str(name)) for name in frame.columns]
    return out


def _to_csv(frame: pd.DataFrame, target: str | Path | io.StringIO) -> None:
    _for_csv(frame).to_csv(target, index=False, quoting=csv.QUOTE_NONNUMERIC)


def _parquet_refusal(frame: pd.DataFrame, path: Path, err: Exception) -> SchemaError | None:
    """The error naming the column Parquet cannot store and the kinds of values in it."""
    import pyarrow as pa

    for name, column in frame.items():
        try:
            pa.array(column, from_pandas=True)
        except (pa.ArrowException, OverflowError) as column_err:
            first: dict[str, int] = {}
            for row, value in enumerate(column, start=1):
                if not _missing(value):
                    first.setdefault(type(value).__name__, row)
            kinds = " and ".join(f"{kind} (first in row {row})" for kind, row in first.items())
            if len(first) > 1:
                why = "a Parquet column holds values of one type"
            else:
                why = f"Parquet cannot store them ({column_err})"
            return SchemaError(
                f"cannot write {str(path)!r} as Parquet: column {str(name)!r} holds {kinds}; "
                f"{why}. Convert the column to one type (text, say) or write a .csv file.",
                column=str(name),
                row=min(first.values(), default=None),
            )
    return None


def _replace(path: Path, write: Callable[[Path], None]) -> Path:
    """Write through a temporary file in ``path``'s folder, then rename it over ``path``."""
    folder = path.parent
    if not folder.is_dir():
        state = "is not a folder" if folder.exists() else "does not exist"
        raise ParameterError(f"The output folder {str(folder)!r} {state}.")
    # A new name, created with the permissions a plain open() gives (mkstemp's are 0600).
    temporary = folder / f".{path.name[:80]}.{secrets.token_hex(6)}.tmp"
    try:
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as err:
        raise DataFileError(f"cannot write {str(path)!r}: {err.strerror}") from err
    try:
        write(temporary)
        os.replace(temporary, path)
    except OSError as err:
        raise DataFileError(f"cannot write {str(path)!r}: {err.strerror or err}") from err
    finally:
        temporary.unlink(missing_ok=True)
    return path


@checks(frame=_FRAME, path=_PATH)
def write_table(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a table as CSV (neutralised for spreadsheets) or Parquet, atomically.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; its index is not written.
    path : str or path-like
        The file to write, ending in ``.csv`` or ``.parquet``; its folder must exist. An
        existing file is replaced only once the new one is complete. Parquet stores times to
        the microsecond, which every engine (Spark included) reads.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ParameterError
        ``path`` does not end in ``.csv`` or ``.parquet``, or its folder does not exist.
    SchemaError
        Parquet only: a column holds values Parquet cannot store as one type (the message
        names the column and the kinds of values, with the first row of each).
    DataFileError
        The file cannot be written (permissions, a folder in the way); nothing is left.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> table = pd.DataFrame({"brand": ["@acme", "Nike"], "change": [-0.06, 0.18]})
    >>> print(write_table(table, folder / "t.csv").read_text(), end="")
    "brand","change"
    "'@acme",-0.06
    "Nike",0.18
    >>> write_table(pd.DataFrame({"x": [1, "one"]}), folder / "t.parquet")
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.SchemaError: cannot write '.../t.parquet' as Parquet: column 'x' \
holds int (first in row 1) and str (first in row 2); a Parquet column holds values of one \
type. Convert the column to one type (text, say) or write a .csv file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES:
        raise ParameterError(
            f"The output file must end in .csv or .parquet. Got {str(path)!r} instead."
        )
    if suffix == ".csv":
        return _replace(path, lambda temporary: _to_csv(frame, temporary))

    def parquet(temporary: Path) -> None:
        import pyarrow as pa

        try:
            frame.to_parquet(
                temporary, index=False, coerce_timestamps="us", allow_truncated_timestamps=True
            )
        except (pa.ArrowException, OverflowError) as err:
            refusal = _parquet_refusal(frame, path, err)
            if refusal is None:
                raise
            raise refusal from err

    return _replace(path, parquet)


#: Most distinct values a partition column may have (each value is a folder of files).
MAX_PARTITIONS = 1_000


@checks(frame=_FRAME, folder=_PATH, by=Instance((list, tuple), "a list of column names"))
def write_partitioned(frame: pd.DataFrame, folder: str | os.PathLike, by: Sequence[str]) -> Path:
    """Write a table as hive-partitioned Parquet (``folder/col=value/part-0.parquet``).

    DuckDB and Spark read only the partitions a query needs (see
    :func:`scrm_lab.io.scan_table`). The folder is built under a temporary name beside
    ``folder`` and renamed into place when complete; an existing, non-empty ``folder`` is
    refused, never overwritten.

    Raises
    ------
    ParameterError
        ``folder`` exists and is not empty, its parent does not exist, ``by`` is empty.
    SchemaError
        A ``by`` column is not in the table, or has more than :data:`MAX_PARTITIONS` values.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> root = pathlib.Path(tempfile.mkdtemp()) / "posts"
    >>> table = pd.DataFrame({"brand": ["a", "b", "a"], "likes": [1, 2, 3]})
    >>> written = write_partitioned(table, root, ["brand"])
    >>> sorted(p.name for p in written.iterdir())
    ['brand=a', 'brand=b']
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder, by = Path(folder), list(by)
    if not by:
        raise ParameterError("The 'by' parameter of write_partitioned names no column.")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ParameterError(
            f"The output folder {str(folder)!r} already exists and is not empty; partitioned "
            "Parquet goes into a new or empty folder (nothing is overwritten)."
        )
    if not folder.parent.is_dir():
        raise ParameterError(f"The output folder's parent {str(folder.parent)!r} does not exist.")
    for name in by:
        if name not in frame.columns:
            raise SchemaError(
                f"cannot partition by {name!r}: no such column; columns: "
                f"{', '.join(map(repr, map(str, frame.columns)))}.",
                column=name,
            )
        n_values = frame[name].nunique(dropna=False)
        if n_values > MAX_PARTITIONS:
            raise SchemaError(
                f"cannot partition by {name!r}: it has {n_values:,} distinct values, more than "
                f"{MAX_PARTITIONS:,} folders; partition by a coarser column (a brand, a month).",
                column=name,
            )
    times = {
        c: frame[c].dt.as_unit("us")
        for c in frame
        if pd.api.types.is_datetime64_any_dtype(frame[c])
    }
    table = pa.Table.from_pandas(frame.assign(**times), preserve_index=False)
    temporary = folder.parent / f".{folder.name[:80]}.{secrets.token_hex(6)}.tmp"
    try:
        pq.write_to_dataset(table, temporary, partition_cols=by)
        if folder.exists():
            folder.rmdir()  # empty, checked above
        os.replace(temporary, folder)
    except OSError as err:
        raise DataFileError(f"cannot write {str(folder)!r}: {err.strerror or err}") from err
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return folder


@checks(frame=_FRAME)
def csv_text(frame: pd.DataFrame) -> str:
    """A table as CSV text, neutralised as :func:`write_table` writes it (for printing).

    Examples
    --------
    >>> print(csv_text(pd.DataFrame({"text": ["-2+3", "+cmd", "fine"], "n": [-2, 3, 0]})))
    "text","n"
    "'-2+3",-2
    "'+cmd",3
    "fine",0
    """
    buffer = io.StringIO()
    _to_csv(frame, buffer)
    return buffer.getvalue()


@checks(text=Text("text (a str)", empty_ok=True), path=_PATH)
def write_text(text: str, path: str | os.PathLike) -> Path:
    """Write text to a file as UTF-8, atomically (e.g. a crontab or Airflow DAG export).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> write_text("CRON_TZ=UTC\\n", pathlib.Path(tempfile.mkdtemp()) / "a.cron").read_text()
    'CRON_TZ=UTC\\n'
    """
    path = Path(path)
    return _replace(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))
