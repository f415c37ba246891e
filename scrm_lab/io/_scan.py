"""Tables too large for memory: a lazy DuckDB relation or Spark DataFrame over Parquet.

:func:`scan_table` opens a Parquet file, a folder of Parquet files or a hive-partitioned
folder (``brand=Delta/part-0.parquet``) without reading the rows, and checks the canonical
table on the engine: the columns and their types from the file's schema, then missing
values, ranges, allowed values and duplicate keys by queries that bring back counts and the
first few bad rows, never a copy of the table. :func:`on_engine` hands a pandas table
(a shipped data set) to an engine, so a notebook runs the same code on either.

Examples
--------
>>> import tempfile, pandas as pd
>>> folder = tempfile.mkdtemp()
>>> pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]}).to_parquet(f"{folder}/e.parquet")
>>> relation = scan_table(f"{folder}/e.parquet", kind="edges")
>>> relation.aggregate("count(*) AS n").fetchall()
[(2,)]
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import narwhals as nw
import pandas as pd

from scrm_lab._checks import Choice, Having, Instance, OrNone, Text, checks
from scrm_lab._frames import (
    ENGINES,
    as_lazy,
    duckdb_connection,
    shown_master,
    spark_session,
    to_pandas,
)
from scrm_lab._reads import note_read
from scrm_lab.exceptions import DataFileError, SchemaError
from scrm_lab.schema import TABLE_KIND, get_table, key_columns

#: Engines that read Parquet lazily (pandas reads eagerly: :func:`scrm_lab.io.read_table`).
LAZY_ENGINES = ("duckdb", "spark")
_SPARK = OrNone(Having(("read", "createDataFrame"), "a SparkSession"))
_MASTER = Text("a Spark master URL such as 'local[2]'")
_SOURCE = OrNone(Text("a file or data set name"))

#: Bad rows shown in an error message.
SHOWN_ROWS = 3

_KIND_TYPES = {  # the narwhals types a column of each kind may have in a Parquet file
    "string": (nw.String, nw.Categorical, nw.Enum),
    "category": (nw.String, nw.Categorical, nw.Enum),
    "int": (nw.Int8, nw.Int16, nw.Int32, nw.Int64, nw.UInt8, nw.UInt16, nw.UInt32, nw.UInt64),
    "float": (nw.Float32, nw.Float64, nw.Decimal),
    "bool": (nw.Boolean,),
    "date": (nw.Date, nw.Datetime),
    "timestamp": (nw.Datetime,),
}


def _parquet_files(path: Path) -> list[Path]:
    if not path.exists():
        raise DataFileError(f"{path}: no such file or folder; expected Parquet data.")
    if path.is_file():
        if path.suffix.lower() != ".parquet":
            raise DataFileError(
                f"{path}: a {path.suffix or 'file without extension'} file; scan_table reads "
                "Parquet (.parquet); read other formats with scrm_lab.io.read_table, or write "
                "Parquet first with `scrm-lab table convert`."
            )
        return [path]
    files = sorted(p for p in path.rglob("*.parquet") if p.is_file())
    if not files:
        raise DataFileError(f"{path}: the folder holds no .parquet file.")
    return files


def _hive(path: Path, files: list[Path]) -> bool:
    """True when the files sit in key=value folders under ``path``."""
    return any("=" in part for f in files for part in f.relative_to(path).parts[:-1])


@checks(
    path=Instance((str, os.PathLike), "a Parquet file or folder path"),
    kind=OrNone(TABLE_KIND),
    engine=Choice(LAZY_ENGINES),
    spark=_SPARK,
    spark_master=_MASTER,
)
def scan_table(
    path: str | os.PathLike,
    *,
    kind: str | None = None,
    engine: str = "duckdb",
    spark: Any = None,
    spark_master: str = "local[2]",
) -> Any:
    """A lazy table over Parquet, checked on the engine when ``kind`` is given.

    Parameters
    ----------
    path : str or path
        A ``.parquet`` file, a folder of them (read together), or a hive-partitioned folder
        whose sub-folders are ``column=value`` (the partition columns become columns).
    kind : str, optional
        A canonical table (:func:`scrm_lab.schema.list_tables`) the data must be.
    engine : {"duckdb", "spark"}
        DuckDB (embedded; out of core) or Spark.
    spark : SparkSession, optional
        The session to read with; by default :func:`scrm_lab._frames.spark_session`
        with ``spark_master``.

    Returns
    -------
    duckdb.DuckDBPyRelation or pyspark.sql.DataFrame
        Not computed: every scrm_lab aggregation takes it as it takes a pandas table.

    Raises
    ------
    DataFileError
        No such path, not Parquet, an empty folder, or a file the engine cannot read.
    SchemaError
        Naming the file, the column, what was found (the first bad rows' values and key)
        and what was expected.
    """
    path = Path(path)
    files = _parquet_files(path)
    hive = _hive(path, files) if path.is_dir() else False
    if engine == "duckdb":
        data = _duckdb_scan(path, files, hive)
        note_read("engine", "duckdb", None)
    else:
        data = _spark_scan(_session(spark, spark_master), path)
    note_read("file", str(path), None)
    if kind is not None:
        check_lazy(data, kind, source=str(path))
    return data


def _session(spark: Any, spark_master: str) -> Any:
    """The given Spark session, or the package's; the engine is noted for the provenance."""
    session = spark if spark is not None else spark_session(spark_master)
    try:
        master = session.conf.get("spark.master")
    except Exception:  # a Spark Connect session does not say
        master = spark_master
    note_read("engine", "spark", shown_master(str(master)))
    return session


def _duckdb_scan(path: Path, files: list[Path], hive: bool) -> Any:
    import duckdb

    con = duckdb_connection()
    con.execute("SET TimeZone = 'UTC'")  # instants shown, truncated and cast in UTC
    pattern = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
    try:
        return con.read_parquet(pattern, hive_partitioning=hive, union_by_name=True)
    except duckdb.Error as err:
        raise DataFileError(f"{path}: DuckDB cannot read it as Parquet: {err}") from None


def _spark_scan(session: Any, path: Path) -> Any:
    try:
        return session.read.option("mergeSchema", "true").parquet(str(path))
    except Exception as err:  # Spark's AnalysisException and friends
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        if "TIMESTAMP(NANOS" in reason:
            reason += (
                "; Spark reads times stored to the microsecond: rewrite the file with "
                "`scrm-lab table convert` or scrm_lab.io.write_table, which store them so"
            )
        raise DataFileError(f"{path}: Spark cannot read it as Parquet: {reason}") from None


@checks(kind=TABLE_KIND, source=_SOURCE)
def check_lazy(data: Any, kind: str, *, source: str | None = None) -> Any:
    """Check a lazy table against a canonical declaration on its own engine; return it.

    The same checks as :func:`scrm_lab.schema.validate`, in the same order: required columns,
    column types (from the schema, so Parquet's own types: a timestamp column must be a
    timestamp, a count an integer), missing values, ranges and allowed values, duplicate
    keys. Each is one aggregate query; the message shows up to :data:`SHOWN_ROWS` bad rows by
    their key, since a lazy engine has no row numbers.

    Examples
    --------
    >>> import duckdb
    >>> check_lazy(duckdb.sql("SELECT 'a' AS source"), "edges")
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.SchemaError: table 'edges' is missing required column(s) 'target'; \
available columns: 'source'.
    """
    lazy = as_lazy(data, "data")
    schema = get_table(kind)
    where = f"{source}: " if source else ""
    found = lazy.collect_schema()
    names = list(found.names())
    missing = [n for n, c in schema.columns.items() if c.required and n not in names]
    if missing:
        raise SchemaError(
            f"{where}table '{kind}' is missing required column(s) "
            f"{', '.join(map(repr, missing))}; available columns: "
            f"{', '.join(map(repr, names)) or 'none'}.",
            table=kind,
            column=missing[0],
        )
    declared = {n: c for n, c in schema.columns.items() if n in names}
    for name, column in declared.items():
        kind_of = column.metadata["kind"]
        if not _fits(data, lazy, name, found[name], kind_of):
            raise SchemaError(
                f"{where}table '{kind}', column '{name}' has type {found[name]}; expected "
                f"{kind_of} values. Convert the file with `scrm-lab table convert`, which "
                "writes the declared types.",
                table=kind,
                column=name,
            )
    key = key_columns(kind, names)
    _check_values(lazy, kind, declared, key, where)
    _check_keys(lazy, kind, key, where)
    return data


def _fits(data: Any, lazy: nw.LazyFrame, name: str, dtype: Any, kind_of: str) -> bool:
    """Whether a column's engine type holds values of a declared kind."""
    if isinstance(dtype, _KIND_TYPES[kind_of]):
        return True
    # DuckDB's TIMESTAMP_NS / TIMESTAMPTZ_NS (pandas' default Parquet times): narwhals says
    # Unknown; every scrm_lab function reads them (scrm_lab._frames.epoch_us)
    if dtype == nw.Unknown and lazy.implementation.is_duckdb() and kind_of in ("date", "timestamp"):
        return "TIMESTAMP" in str(data.types[data.columns.index(name)]).upper()
    return False


def _violations(name: str, column: Any) -> list[tuple[str, nw.Expr]]:
    """(what is expected, expression true on a bad row) for each declared rule of a column."""
    meta, rules = column.metadata, []
    value = nw.col(name)
    if not column.nullable:
        rules.append(("a value (this column may not be empty)", value.is_null()))
    for check in column.checks:
        stats = check.statistics
        if "min_value" in stats:
            rules.append((f"a value >= {stats['min_value']:g}", value < stats["min_value"]))
        elif "max_value" in stats:
            rules.append((f"a value <= {stats['max_value']:g}", value > stats["max_value"]))
    if meta["allowed"] is not None:
        allowed = list(meta["allowed"])
        rules.append(
            (f"one of {sorted(allowed)}", ~value.cast(nw.String).is_in(allowed) & ~value.is_null())
        )
    return rules


def _check_values(lazy: nw.LazyFrame, kind: str, declared: dict, key: list[str], where: str):
    rules = [(n, *rule) for n, c in declared.items() for rule in _violations(n, c)]
    if not rules:
        return
    counts = to_pandas(
        lazy.select(
            *[bad.cast(nw.Int64).sum().alias(f"_{i}") for i, (_, _, bad) in enumerate(rules)]
        )
    ).iloc[0]
    for i, (name, expected, bad) in enumerate(rules):
        n_bad = int(0 if pd.isna(counts[f"_{i}"]) else counts[f"_{i}"])
        if n_bad == 0:
            continue
        shown_columns = list(dict.fromkeys([name, *key]))
        rows = to_pandas(lazy.filter(bad).select(*shown_columns).head(SHOWN_ROWS))
        examples = "; ".join(_described(row, name, key) for _, row in rows.iterrows())
        raise SchemaError(
            f"{where}table '{kind}', column '{name}': {n_bad:,} row(s) fail, expected "
            f"{expected}; first: {examples}.",
            table=kind,
            column=name,
        )


def _described(row: pd.Series, name: str, key: list[str]) -> str:
    value = row[name]
    shown = "missing" if pd.isna(value) else repr(value.item() if hasattr(value, "item") else value)
    keys = ", ".join(f"{k}={row[k]!r}" for k in key if k != name)
    return f"{shown} ({keys})" if keys else shown


def _check_keys(lazy: nw.LazyFrame, kind: str, key: list[str], where: str) -> None:
    if not key:
        return
    repeated = lazy.group_by(*key).agg(nw.len().alias("_rows")).filter(nw.col("_rows") > 1)
    summary = to_pandas(
        repeated.select(nw.len().alias("keys"), nw.col("_rows").sum().alias("rows"))
    ).iloc[0]
    if int(summary["keys"]) == 0:
        return
    first = to_pandas(repeated.sort(*key).head(1)).iloc[0]
    shown = ", ".join(f"{k}={first[k]!r}" for k in key)
    raise SchemaError(
        f"{where}table '{kind}' has duplicate key ({shown}) in {int(first['_rows'])} rows; "
        f"expected each ({', '.join(key)}) to appear once ({int(summary['keys']):,} repeated "
        f"key(s), {int(summary['rows']):,} rows in all).",
        table=kind,
        column=key[0],
    )


@checks(
    frame=Instance(pd.DataFrame, "a pandas DataFrame"),
    engine=Choice(("pandas", *LAZY_ENGINES)),
    spark=_SPARK,
    spark_master=_MASTER,
)
def on_engine(
    frame: pd.DataFrame, engine: str, *, spark: Any = None, spark_master: str = "local[2]"
):
    """A pandas table handed to an engine: itself, a DuckDB relation or a Spark DataFrame.

    For the shipped data sets, which fit in memory: a notebook with ``engine="spark"`` runs
    the same aggregations on Spark over them as it would over a user's Parquet folder.

    Examples
    --------
    >>> import pandas as pd
    >>> relation = on_engine(pd.DataFrame({"a": [1, 2]}), "duckdb")
    >>> relation.aggregate("sum(a) AS total").fetchall()
    [(3,)]
    """
    if engine == "pandas":
        return frame
    if engine == "duckdb":
        note_read("engine", "duckdb", None)
        con = duckdb_connection()
        con.execute("SET TimeZone = 'UTC'")
        return con.from_df(frame)
    return _session(spark, spark_master).createDataFrame(frame)


@checks(
    path=Instance((str, os.PathLike), "a file or folder path"),
    kind=TABLE_KIND,
    engine=Choice(ENGINES),
    spark_master=_MASTER,
)
def open_table(
    path: str | os.PathLike, kind: str, *, engine: str = "pandas", spark_master: str = "local[2]"
) -> Any:
    """A user's canonical table on an engine: read into pandas, or scanned lazily from Parquet.

    ``engine="pandas"`` reads any format :func:`scrm_lab.io.read_table` reads; ``"duckdb"``
    and ``"spark"`` scan a Parquet file or folder (:func:`scan_table`). Either way the table
    is checked as ``kind``. This is the one call a report notebook makes for its ``path``
    and ``engine`` parameters.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> path = f"{tempfile.mkdtemp()}/edges.parquet"
    >>> pd.DataFrame({"source": ["a"], "target": ["b"]}).to_parquet(path)
    >>> open_table(path, "edges").shape
    (1, 2)
    >>> type(open_table(path, "edges", engine="duckdb")).__name__
    'DuckDBPyRelation'
    """
    if engine == "pandas":
        from scrm_lab.io import read_table

        return read_table(path, kind=kind)
    return scan_table(path, kind=kind, engine=engine, spark_master=spark_master)
