"""One way in and out for event-level tables: pandas, DuckDB or PySpark, through narwhals.

The three engines are named in :data:`ENGINES`; :func:`spark_session` starts (or reuses) the
Spark session the package computes on, and says plainly why it cannot before any work.

Aggregations over large event tables (channel activity, interactions, posts) are written as
narwhals expressions on a :class:`narwhals.LazyFrame`, so the same code runs on a pandas
DataFrame, on a DuckDB relation (a Parquet or CSV file scanned lazily, larger than memory)
and on a PySpark DataFrame. The small aggregated result comes back as pandas.

Examples
--------
>>> import pandas as pd
>>> lazy = as_lazy(pd.DataFrame({"brand": ["a", "a"], "posts": [1, 2]}), "data")
>>> import narwhals as nw
>>> to_pandas(lazy.group_by("brand").agg(nw.col("posts").sum()))
  brand  posts
0     a      3
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import narwhals as nw
import pandas as pd

from scrm_lab.exceptions import EngineError, ParameterError

#: Where event-level tables can be computed: in memory, on embedded DuckDB, on Spark.
ENGINES = ("pandas", "duckdb", "spark")

#: Settings every Spark session gets: canonical timestamps are UTC instants, so periods are
#: cut in UTC whatever the cluster's clock says; Arrow moves the small results to pandas.
SPARK_SETTINGS = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}

_MASTER = re.compile(
    r"local(\[(\d+|\*)(,\d+)?\])?|yarn|k8s://\S+|spark://[^/\s]+|sc://[^/\s;]+(/\S*)?"
)


def as_lazy(data: Any, name: str = "data") -> nw.LazyFrame:
    """Wrap a pandas DataFrame, DuckDB relation, Polars or PySpark frame as a LazyFrame.

    Raises
    ------
    ParameterError
        If ``data`` is not a frame narwhals supports.
    """
    try:
        frame = nw.from_native(data)
    except TypeError as err:
        raise ParameterError(
            f"The '{name}' parameter must be a pandas DataFrame, a DuckDB relation or another "
            f"frame narwhals supports. Got {type(data).__name__} instead."
        ) from err
    return frame.lazy() if isinstance(frame, nw.DataFrame) else frame


def as_native(lazy: nw.LazyFrame, like: Any) -> Any:
    """``lazy`` in the kind of table ``like`` is: pandas (computed, index reset) or lazy.

    For functions that filter or add columns and hand the table back: a pandas table in,
    a pandas table out; a DuckDB relation or Spark DataFrame in, one of those out, still
    not computed.

    Examples
    --------
    >>> frame = pd.DataFrame({"a": [1, 2, 3]})
    >>> as_native(as_lazy(frame).filter(nw.col("a") > 1), frame)["a"].tolist()
    [2, 3]
    """
    if isinstance(like, pd.DataFrame):
        return lazy.collect(backend="pandas").to_native().reset_index(drop=True)
    return lazy.to_native()


def alongside(frame: pd.DataFrame, like: nw.LazyFrame) -> nw.LazyFrame:
    """A small pandas ``frame`` moved to the engine of ``like``, to be joined with it there.

    Spark gets it in the session of ``like``; DuckDB on the connection of ``like`` (a
    relation joins only relations of its own connection, which DuckDB keeps in the
    relation's ``_con``; narwhals' default connection otherwise).

    Examples
    --------
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> big = as_lazy(con.sql("SELECT 1 AS id, 'x' AS v"))
    >>> small = alongside(pd.DataFrame({"id": [1], "w": ["y"]}), big)
    >>> to_pandas(big.join(small, on="id"))[["v", "w"]].values.tolist()
    [['x', 'y']]
    """
    eager = nw.from_native(frame, eager_only=True)
    backend, native = like.implementation, like.to_native()
    if backend.is_pandas_like():
        return eager.lazy()
    if backend.is_spark_like():
        return eager.lazy(backend=backend, session=native.sparkSession)
    connection = getattr(native, "_con", None)
    if backend.is_duckdb() and connection is not None:
        return nw.from_native(connection.from_df(frame)).lazy()
    return eager.lazy(backend=backend)


#: The column :func:`numbered` adds.
ROW = "__scrm_row"


def numbered(lazy: nw.LazyFrame) -> nw.LazyFrame | None:
    """The rows with their 1-based number in :data:`ROW`, or None where rows have no order.

    DuckDB numbers a relation's rows in scan order (``row_number() OVER ()``, order
    preserving); an in-memory frame is numbered as it is; Spark gives rows no order, so an
    error there names a row by its key instead.

    Examples
    --------
    >>> frame = as_lazy(pd.DataFrame({"a": [5, 7]}))
    >>> to_pandas(numbered(frame))[ROW].tolist()
    [1, 2]
    """
    if lazy.implementation.is_duckdb():
        return nw.from_native(lazy.to_native().project(f'*, row_number() OVER () AS "{ROW}"'))
    if lazy.implementation.is_pandas_like() or lazy.implementation.is_pyarrow():
        return lazy.collect().with_row_index(ROW).with_columns(nw.col(ROW) + 1).lazy()
    if lazy.implementation.is_polars():
        return nw.from_native(lazy.to_native().with_row_index(ROW, offset=1))
    return None


def columns_of(lazy: nw.LazyFrame) -> list[str]:
    """Column names of a lazy frame, without computing it."""
    return list(lazy.collect_schema().names())


def to_pandas(lazy: nw.LazyFrame) -> pd.DataFrame:
    """Compute a lazy frame and return it as a pandas DataFrame with a RangeIndex.

    Every backend's result gets the dtypes pandas would give: text as ``str``, instants as
    ``datetime64[ns, UTC]`` (DuckDB labels them with its connection's zone, Spark hands them
    back without one, in the session's UTC), naive times as ``datetime64[ns]``, booleans
    with gaps as ``boolean``.
    """
    schema = lazy.collect_schema()
    frame = lazy.collect(backend="pandas").to_native().reset_index(drop=True)
    if lazy.implementation.is_pandas_like():
        return frame
    for name, dtype in schema.items():
        values = frame[name]
        if isinstance(dtype, nw.Datetime):
            try:
                values = pd.to_datetime(values)
                values = as_utc(values) if dtype.time_zone is not None else values
                frame[name] = values.dt.as_unit("ns")
            except (pd.errors.OutOfBoundsDatetime, OverflowError):
                pass  # 'infinity' or year 294247: kept as the backend gave it, to be named
        elif dtype == nw.String and values.dtype == object:
            frame[name] = values.astype("str")
        elif dtype == nw.Boolean and values.dtype == object:
            frame[name] = values.astype("boolean")
    return frame


def as_utc(times: pd.Series) -> pd.Series:
    """Times as ``datetime64[ns, UTC]``: naive ones read as UTC, aware ones converted.

    Examples
    --------
    >>> as_utc(pd.Series(pd.to_datetime(["2024-01-01 12:00"]))).dtype
    datetime64[ns, UTC]
    """
    times = pd.to_datetime(times)
    utc = times.dt.tz_localize("UTC") if times.dt.tz is None else times.dt.tz_convert("UTC")
    return utc.dt.as_unit("ns")


def utc_wall_clock(lazy: nw.LazyFrame, column: str) -> nw.LazyFrame:
    """Replace aware timestamps in ``column`` by naive ones showing the UTC clock.

    Calendar cuts (days, weeks, months) must be made in UTC, as canonical tables store
    instants. DuckDB truncates a ``TIMESTAMPTZ`` in its connection's time zone (the machine's
    own by default), so the instant is rebuilt as a naive UTC ``TIMESTAMP`` there; Spark's
    cast to a timestamp without zone uses the session zone, which :func:`spark_session` sets
    to UTC. Naive columns are returned as they are.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.to_datetime(["2024-03-01 23:30"]).tz_localize("America/New_York")
    >>> to_pandas(utc_wall_clock(as_lazy(pd.DataFrame({"t": t})), "t"))["t"].astype(str).tolist()
    ['2024-03-02 04:30:00']
    """
    dtype = lazy.collect_schema()[column]
    if isinstance(dtype, nw.Datetime) and dtype.time_zone is None:
        return lazy
    if lazy.implementation.is_duckdb():
        native = lazy.to_native()
        name = '"' + column.replace('"', '""') + '"'
        return nw.from_native(
            native.project(f"* REPLACE (make_timestamp(epoch_us({name})) AS {name})")
        ).lazy()
    if lazy.implementation.is_spark_like():
        return lazy.with_columns(nw.col(column).cast(nw.Datetime("us")))
    if lazy.implementation.is_pandas_like():  # narwhals calls some zones Unknown there
        native = lazy.collect().to_native()
        clock = native[column].dt.tz_convert("UTC").dt.tz_localize(None)
        return as_lazy(native.assign(**{column: clock}))
    return lazy.with_columns(nw.col(column).dt.convert_time_zone("UTC").dt.replace_time_zone(None))


_EPOCH_UTC = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_EPOCH_NAIVE = dt.datetime(1970, 1, 1)
_US_PER_SECOND = 1_000_000


def epoch_us(lazy: nw.LazyFrame, column: str) -> nw.Expr:
    """An expression giving timestamps ``column`` as integer microseconds since 1970 UTC.

    Naive times are read as UTC. DuckDB keeps time zones in the connection, not in the data:
    truncating or subtracting ``TIMESTAMPTZ`` values works in the connection's ``TimeZone``,
    and narwhals refuses to convert them to UTC unless that is the connection's zone;
    ``epoch_us`` (which narwhals' ``total_microseconds`` calls on DuckDB) reads the instant
    itself, whatever the setting. narwhals has no duration arithmetic on Spark, so there the
    value is whole seconds (a cast) plus the microseconds within the second.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"t": pd.to_datetime(["1970-01-02 00:00:00.5"], utc=True)})
    >>> lazy = as_lazy(frame)
    >>> to_pandas(lazy.select(epoch_us(lazy, "t")))["t"].tolist()
    [86400500000]
    """
    dtype = lazy.collect_schema()[column]
    if lazy.implementation.is_duckdb():
        if isinstance(dtype, nw.Datetime):
            zone = dtype.time_zone
        else:  # TIMESTAMPTZ_NS: narwhals reads the connection's zone off a zoned literal
            probe = lazy.select(nw.lit(_EPOCH_UTC).alias("probe")).collect_schema()["probe"]
            zone = probe.time_zone
        return nw.col(column).cast(nw.Datetime("us", zone)).dt.total_microseconds()
    if lazy.implementation.is_spark_like():
        instant = nw.col(column).cast(nw.Datetime("us", "UTC"))  # naive: read in UTC
        within = (instant.dt.microsecond() + _US_PER_SECOND) % _US_PER_SECOND
        return instant.cast(nw.Int64) * _US_PER_SECOND + within
    epoch = _EPOCH_UTC if getattr(dtype, "time_zone", None) is not None else _EPOCH_NAIVE
    return (nw.col(column) - nw.lit(epoch)).dt.total_microseconds()


def duckdb_connection() -> Any:
    """A new in-memory DuckDB connection that prints nothing (no progress bar).

    DuckDB draws a progress bar on the terminal for long queries (splink's training and
    scoring of 100,000 customers showed one); library code never prints, so every
    connection the package opens comes from here.

    Examples
    --------
    >>> con = duckdb_connection()
    >>> con.execute("SELECT current_setting('enable_progress_bar')").fetchall()[0][0]
    False
    >>> con.close()
    """
    import duckdb

    con = duckdb.connect(":memory:")
    # off already inside Jupyter, where DuckDB refuses to change it without ipywidgets
    if con.execute("SELECT current_setting('enable_progress_bar')").fetchall()[0][0]:
        con.execute("SET enable_progress_bar = false")
    return con


def spark_session(master: str = "local[2]", *, config: Mapping[str, str] | None = None) -> Any:
    """Start, or reuse, the Spark session the package computes on.

    ``master`` is a Spark master URL: ``local[N]`` (this machine, N cores), ``spark://host:port``
    (a standalone cluster), ``yarn``, ``k8s://...``, or ``sc://host:port`` (Spark Connect, for
    Databricks and other remote clusters; needs ``pyspark[connect]``). Every session gets
    :data:`SPARK_SETTINGS` (UTC time zone, Arrow); ``config`` adds or overrides settings such
    as ``spark.driver.memory``. The Java process's own log goes to a file in the temporary
    folder, not to the notebook or terminal.

    Raises
    ------
    ParameterError
        If ``master`` is not a Spark master URL.
    EngineError
        Before any work, if PySpark or Java is missing, the master does not answer, or Spark
        fails to start; the message says which and what to do.

    Examples
    --------
    >>> spark_session("locale[2]")
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.ParameterError: spark_master: 'locale[2]' is not a Spark master URL; \
expected local[N], local[*], spark://host:port, sc://host:port, yarn or k8s://...
    """
    if not isinstance(master, str) or not _MASTER.fullmatch(master.strip()):
        shown = shown_master(master) if isinstance(master, str) else type(master).__name__
        raise ParameterError(
            f"spark_master: {shown!r} is not a Spark master URL; expected local[N], local[*], "
            "spark://host:port, sc://host:port, yarn or k8s://..."
        )
    master = master.strip()
    try:
        from pyspark.sql import SparkSession
    except ImportError as err:
        raise EngineError(
            "engine 'spark' needs PySpark, which is not installed: pip install 'pyspark>=4.0' "
            "(and a Java 17 or 21 runtime)"
        ) from err
    settings = {**SPARK_SETTINGS, **dict(config or {})}
    if master.startswith(("spark://", "sc://")):
        _answers(master)
    if master.startswith("sc://"):
        builder = SparkSession.builder.remote(master)
    else:
        _require_java()
        builder = SparkSession.builder.master(master).appName("scrm_lab")
    for key, value in settings.items():
        builder = builder.config(key, value)
    log = Path(tempfile.gettempdir()) / f"scrm_lab-spark-{os.getpid()}.log"
    try:
        with _stderr_to(log):
            session = builder.getOrCreate()
    except Exception as err:  # Spark's own errors: py4j, PySparkRuntimeError, ...
        reason = _last_error(log) or str(err).strip().splitlines()[0]
        raise EngineError(
            f"Spark could not start with master {shown_master(master)!r}: "
            f"{reason.replace(master, shown_master(master))} (Java's log: {log})"
        ) from None
    for key, value in settings.items():  # a reused session takes the settings too
        if not key.startswith(("spark.driver.", "spark.executor.", "spark.ui.")):
            session.conf.set(key, value)
    return session


def shown_master(master: str) -> str:
    """A master URL fit to print: Spark Connect parameters (tokens) and passwords hidden.

    Examples
    --------
    >>> shown_master("sc://dbc-1.cloud.databricks.com:443/;token=dapi123;x-databricks-cluster-id=7")
    'sc://dbc-1.cloud.databricks.com:443/;...'
    >>> shown_master("k8s://https://admin:s3cret@10.0.0.1:6443")
    'k8s://https://***@10.0.0.1:6443'
    """
    shown = re.sub(r"//[^/@\s]*@", "//***@", master)
    return shown.split(";", 1)[0] + ";..." if ";" in shown else shown


def _require_java() -> None:
    home = os.environ.get("JAVA_HOME")
    if (home and (Path(home) / "bin" / "java").exists()) or shutil.which("java"):
        return
    raise EngineError(
        "engine 'spark' needs a Java runtime (17 or 21), and none was found on PATH or in "
        "JAVA_HOME; on Debian or Ubuntu: apt-get install openjdk-17-jre-headless"
    )


def _answers(master: str) -> None:
    """Refuse a cluster master URL whose host does not accept a connection within 5 s."""
    address = master.split("://", 1)[1].split("/", 1)[0].split(";", 1)[0].split(",")[0]
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        host, port = address, "15002" if master.startswith("sc://") else "7077"
    try:
        with socket.create_connection((host, int(port)), timeout=5):
            return
    except OSError as err:
        raise EngineError(
            f"no Spark master answers at {host}:{port} (from {shown_master(master)!r}): "
            f"{err.strerror or err}"
        ) from None


@contextlib.contextmanager
def _stderr_to(path: Path) -> Iterator[None]:
    """Send this process's standard error (and the Java process it starts) to ``path``.

    The Java gateway inherits file descriptor 2 when it starts; a notebook kernel forwards
    that descriptor into the report, so Java's start-up chatter would land in every page.
    """
    saved = os.dup(2)
    try:
        with open(path, "ab") as log:
            os.dup2(log.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def _last_error(log: Path) -> str | None:
    """The last line of Java's log that says what went wrong, if any."""
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return None
    errors = [line.strip() for line in lines if "Exception" in line or "ERROR" in line]
    return errors[-1][:300] if errors else None
