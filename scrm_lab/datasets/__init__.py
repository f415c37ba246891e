"""The shipped real data sets: a catalog, and loaders that return validated canonical tables.

Each data set lives in its own folder under ``datasets/`` with its raw files, a
``PROVENANCE.md`` (where the files come from, their formats, quirks and counts) and a
``LICENSE.md``. A loader reads the raw files with pandas, renames and reshapes them, and hands
the result to :func:`scrm_lab.io.conform`, the same code path as a user's own file, so every
table returned has a ``RangeIndex`` and passes :func:`scrm_lab.schema.validate`. Columns the
schema does not declare are kept with tidy names and fixed dtypes; :func:`dataset_info` lists
them. The data sets are real, except the ``engagementdb_2009_reconstruction``, whose
simulated columns (made by :func:`scrm_lab.synth.reconstruct_engagementdb_2009`) are named
``sim_*`` or sit in a table whose rows say ``simulated``, and are flagged ``simulated`` in
:func:`dataset_info` ``.columns``. No shipped data set links a brand's own social engagement
to its revenue over time.

Examples
--------
>>> from scrm_lab.datasets import list_datasets, load_dataset, load_tables
>>> list_datasets()["name"].tolist()[:3]
['csm_movies_social_boxoffice', 'stocknet_tweets_prices', 'interbrand_best_global_brands']
>>> facts = load_dataset("engagementdb_2009")
>>> facts[["brand", "rank", "score", "channels", "profile"]].head(2)
       brand  rank  score  channels profile
0  Starbucks     1    127        11   Maven
1       Dell     2    123      <NA>   Maven
>>> sorted(load_tables("cdnow"))
['calibration_summary', 'customers', 'transactions']
"""

from __future__ import annotations

import difflib
import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from scrm_lab._checks import Choice, OrNone, Text, checks, refuse, suggest, warn_user
from scrm_lab._frames import ENGINES
from scrm_lab._paths import shipped_dir
from scrm_lab._reads import note_read
from scrm_lab.datasets._registry import REGISTRY as _REGISTRY
from scrm_lab.datasets._registry import Dataset as _Dataset
from scrm_lab.datasets._registry import order as _order
from scrm_lab.exceptions import DatasetNotFound
from scrm_lab.io import on_engine
from scrm_lab.schema import KINDS, describe_table

__all__ = [
    "DatasetInfo",
    "dataset_checksums",
    "dataset_info",
    "list_datasets",
    "load_dataset",
    "load_tables",
]

_DOCS = ("PROVENANCE.md", "LICENSE.md")
_CATALOG = ["name", "title", "rows", "tables", "licence", "source", "good_for", "simulated"]
_COLUMNS = [
    "table",
    "column",
    "kind",
    "dtype",
    "unit",
    "required",
    "nullable",
    "key",
    "description",
    "allowed",
    "declared",
    "simulated",
]
_KIND_OF_DTYPE = {dtype: kind for kind, dtypes in KINDS.items() for dtype in dtypes}


@dataclass(frozen=True, eq=False)
class DatasetInfo:
    """Everything known about a shipped data set, without loading it.

    The fields of :func:`list_datasets` (``rows`` totals the tables), plus ``provenance`` and
    ``licence_text`` (the folder's ``PROVENANCE.md`` and ``LICENSE.md``), ``path`` (the
    folder), ``files`` (a frame: ``file``, ``bytes``, ``sha256``, ``loaded`` by the loader)
    and ``columns`` (a frame, one row per column the loader returns, in order: ``table``,
    ``column``, ``kind``, ``dtype``, ``unit``, ``required``, ``nullable``, ``key``,
    ``description``, ``allowed``, ``declared``, ``simulated``; ``declared`` is False for
    extra columns, ``simulated`` True for simulated ones).
    """

    name: str
    title: str
    rows: int
    tables: str
    licence: str
    source: str
    good_for: str
    simulated: bool
    provenance: str = field(repr=False)
    licence_text: str = field(repr=False)
    path: Path
    files: pd.DataFrame = field(repr=False)
    columns: pd.DataFrame = field(repr=False)


# ------------------------------------------------------------------------------ public API


_NAME = Text("a str naming a shipped data set (see list_datasets())")


def _entry(name: str) -> _Dataset:
    if name not in _REGISTRY:
        close = [n for n in _REGISTRY if name and name.lower() in n] or difflib.get_close_matches(
            name, list(_REGISTRY), n=1
        )
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise DatasetNotFound(
            f"There is no shipped data set named {name!r}; expected one of "
            f"{', '.join(map(repr, _REGISTRY))}.{hint}"
        )
    return _REGISTRY[name]


def _tables_text(entry: _Dataset) -> str:
    if len(entry.tables) == 1:
        return next(iter(entry.tables.values()))
    return ", ".join(f"{table} ({kind})" for table, kind in entry.tables.items())


def _catalog_row(entry: _Dataset) -> dict[str, object]:
    return {
        "name": entry.name,
        "title": entry.title,
        "rows": sum(entry.rows.values()),
        "tables": _tables_text(entry),
        "licence": entry.licence,
        "source": entry.source,
        "good_for": entry.good_for,
        "simulated": entry.simulated,
    }


def list_datasets() -> pd.DataFrame:
    """The catalog of shipped data sets, one row each (no data is loaded).

    Returns
    -------
    pandas.DataFrame
        Columns, in order: ``name`` (for :func:`load_dataset`), ``title``, ``rows`` (total
        rows over its tables, after the documented deduplication), ``tables`` (``"name
        (kind), ..."``, or the kind for a single-table set; kinds are declared in
        :mod:`scrm_lab.schema`), ``licence``, ``source`` (what to cite), ``good_for`` (what
        it serves in social CRM research) and ``simulated`` (True when any column is).

    Examples
    --------
    >>> catalog = list_datasets()
    >>> catalog[["name", "rows"]]
                                    name   rows
    0        csm_movies_social_boxoffice    231
    1             stocknet_tweets_prices  56098
    2      interbrand_best_global_brands    300
    3                  engagementdb_2009     24
    4   engagementdb_2009_reconstruction   1200
    5          twitter_airline_sentiment  14485
    6                   facebook_metrics    500
    7              facebook_live_sellers   6997
    8                  snap_ego_facebook  88234
    9                              cdnow  95586
    10         online_shoppers_intention  12330
    >>> catalog.loc[9, "tables"]
    'transactions (transactions), customers (customers), calibration_summary (customer_summary)'
    """
    frame = pd.DataFrame([_catalog_row(e) for e in _REGISTRY.values()], columns=_CATALOG)
    return frame.astype({"rows": "int64", "simulated": "bool"})


@functools.cache
def _load_tables(name: str) -> dict[str, pd.DataFrame]:
    """Read and conform a data set once per process; callers only ever get copies."""
    entry = _REGISTRY[name]
    return entry.loader(entry, shipped_dir("datasets") / entry.folder)


@checks(name=_NAME)
def load_tables(name: str) -> dict[str, pd.DataFrame]:
    """Load every table of a shipped data set, as a mapping ``{table name: DataFrame}``.

    Parameters
    ----------
    name : str
        A name from :func:`list_datasets`.

    Returns
    -------
    dict of str to pandas.DataFrame
        One entry per table, in the catalog's order; a single-table data set gives a
        one-entry dict (its table named as in :func:`dataset_info` ``.columns``).
        ``stocknet_tweets_prices`` has ``companies`` and ``daily``; ``cdnow`` has
        ``transactions``, ``customers`` and ``calibration_summary``. Each table has a
        ``RangeIndex``, its declared columns first and passes
        :func:`scrm_lab.schema.validate` for its kind. Each call returns new frames.

    Raises
    ------
    DatasetNotFound
        ``name`` is not a shipped data set (the message lists the valid names).
    ParameterError
        ``name`` is not a string.

    Examples
    --------
    >>> list(load_tables("stocknet_tweets_prices"))
    ['companies', 'daily']
    >>> tables = load_tables("csm_movies_social_boxoffice")
    >>> len(tables)
    1
    """
    return _copies(_entry(name))


def _copies(entry: _Dataset) -> dict[str, pd.DataFrame]:
    note_read("dataset", entry.name)  # for the provenance of a report run; nothing otherwise
    return {table: frame.copy() for table, frame in _load_tables(entry.name).items()}


@checks(name=_NAME, table=OrNone(Text()), engine=Choice(ENGINES), spark_master=Text())
def load_dataset(
    name: str, table: str | None = None, *, engine: str = "pandas", spark_master: str = "local[2]"
) -> Any:
    """Load one table of a shipped data set as a validated canonical DataFrame.

    Parameters
    ----------
    name : str
        A name from :func:`list_datasets`.
    table : str, optional
        Which table of a multi-table data set (the names :func:`load_tables` gives); may
        be left out for a single-table data set.
    engine : {"pandas", "duckdb", "spark"}, default "pandas"
        Where the table is handed: a pandas DataFrame, a DuckDB relation or a Spark
        DataFrame (on :func:`scrm_lab._frames.spark_session` with ``spark_master``), so a
        notebook runs the same aggregations on the shipped data as on a user's Parquet
        (:func:`scrm_lab.io.scan_table`).
    spark_master : str, default "local[2]"
        The Spark master URL, for ``engine="spark"``.

    Returns
    -------
    pandas.DataFrame, DuckDB relation or Spark DataFrame
        The table. It has a ``RangeIndex``, its declared columns first (see
        :func:`dataset_info` for every column) and passes :func:`scrm_lab.schema.validate`
        for its kind. Each call returns a new frame, so changing it does not affect later
        calls. For one minor version, a multi-table data set (``stocknet_tweets_prices``,
        ``cdnow``) without ``table`` still gives the mapping of :func:`load_tables`, with a
        FutureWarning: use ``load_tables(name)`` or ``load_dataset(name, table=...)``.

    Raises
    ------
    DatasetNotFound
        ``name`` is not a shipped data set (the message lists the valid names).
    ParameterError
        ``name`` is not a string, or ``table`` is not one of the data set's tables.

    Examples
    --------
    >>> movies = load_dataset("csm_movies_social_boxoffice")
    >>> movies.shape
    (231, 14)
    >>> round(float(movies["likes"].corr(movies["gross_usd"], method="spearman")), 3)
    0.368
    >>> tweets = load_dataset("twitter_airline_sentiment")
    >>> tweets.loc[0, ["brand", "time", "sentiment"]].tolist()
    ['Virgin America', Timestamp('2015-02-24 19:35:52+0000', tz='UTC'), 'neutral']
    >>> load_dataset("cdnow", table="customers").columns.tolist()[:2]
    ['customer_id', 'first_seen']
    """
    entry = _entry(name)
    names = list(entry.tables)
    if table is not None and table not in names:
        raise refuse("table", f"one of {names} for data set {name!r}", table, suggest(table, names))
    if table is None and len(names) > 1:
        warn_user(
            f"load_dataset({name!r}) returns a dict of tables only for one more minor version; "
            f"use load_tables({name!r}) for the mapping, or load_dataset({name!r}, table=...) "
            f"with one of {names} for one DataFrame."
        )
        return _copies(entry)  # type: ignore[return-value]
    frame = _copies(entry)[table if table is not None else names[0]]
    return on_engine(frame, engine, spark_master=spark_master) if engine != "pandas" else frame


def _data_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.name not in _DOCS and not p.name.startswith(".")
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@checks(name=_NAME)
def dataset_checksums(name: str) -> dict[str, str]:
    """SHA-256 of each data file of a shipped data set, for a report's provenance.

    Returns
    -------
    dict of str to str
        ``{file name: sha256 hex digest}`` for every file in the data set's folder other
        than ``PROVENANCE.md`` and ``LICENSE.md``, sorted by file name.

    Raises
    ------
    DatasetNotFound, ParameterError
        As for :func:`load_dataset`.

    Examples
    --------
    >>> dataset_checksums("snap_ego_facebook")
    {'facebook_combined.txt': 'f41c026ed8af3cc3359f1ca5573d0605fb09ae0eefa34544b820fd8c6e2ef296'}
    """
    entry = _entry(name)
    folder = shipped_dir("datasets") / entry.folder
    return {p.name: _sha256(p) for p in _data_files(folder)}


def _columns_table(entry: _Dataset) -> pd.DataFrame:
    rows = []
    for table, kind in entry.tables.items():
        extras = {c.name: c for c in entry.columns[table] if c.dtype}
        registry_descriptions = {c.name: c.description for c in entry.columns[table]}
        described = describe_table(kind).set_index("column", drop=False)
        for column in _order(entry, table):
            if column not in extras:
                row = {"table": table, **described.loc[column].to_dict(), "declared": True}
                given = registry_descriptions.get(column)
                rows.append({**row, "description": given or row["description"]})
                continue
            c = extras[column]
            rows.append(
                {
                    "table": table,
                    "column": c.name,
                    "kind": _KIND_OF_DTYPE[c.dtype],
                    "dtype": c.dtype,
                    "unit": c.unit,
                    "required": False,
                    "nullable": c.nullable,
                    "key": False,
                    "description": c.description,
                    "allowed": None,
                    "declared": False,
                }
            )
    columns = pd.DataFrame(rows, columns=_COLUMNS[:-1])
    columns["simulated"] = columns["description"].str.startswith("SIMULATED")
    return columns


@checks(name=_NAME)
def dataset_info(name: str) -> DatasetInfo:
    """Catalog entry, provenance, licence, files and columns of a shipped data set.

    Nothing is loaded; the files are hashed.

    Returns
    -------
    DatasetInfo
        The :func:`list_datasets` fields plus ``provenance`` and ``licence_text`` (the
        folder's ``PROVENANCE.md`` and ``LICENSE.md``), ``path``, ``files`` (columns
        ``file``, ``bytes``, ``sha256``, ``loaded``) and ``columns`` (columns ``table``,
        ``column``, ``kind``, ``dtype``, ``unit``, ``required``, ``nullable``, ``key``,
        ``description``, ``allowed``, ``declared``, ``simulated``; one row per column the
        loader returns, in the order it returns them).

    Raises
    ------
    DatasetNotFound, ParameterError
        As for :func:`load_dataset`.

    Examples
    --------
    >>> info = dataset_info("cdnow")
    >>> info.licence, info.rows
    ('MIT (lifetimes package)', 95586)
    >>> info.columns.query("table == 'customers'")[["column", "dtype", "declared"]]
        column           dtype  declared
    4  customer_id             str      True
    5   first_seen  datetime64[ns]      True
    6    in_sample            bool     False
    """
    entry = _entry(name)
    folder = shipped_dir("datasets") / entry.folder
    files = pd.DataFrame(
        [
            {
                "file": p.name,
                "bytes": p.stat().st_size,
                "sha256": _sha256(p),
                "loaded": p.name in entry.files,
            }
            for p in _data_files(folder)
        ],
        columns=["file", "bytes", "sha256", "loaded"],
    )
    licence = folder / "LICENSE.md"
    return DatasetInfo(
        **_catalog_row(entry),
        provenance=(folder / "PROVENANCE.md").read_text(encoding="utf-8"),
        licence_text=licence.read_text(encoding="utf-8") if licence.is_file() else "",
        path=folder,
        files=files,
        columns=_columns_table(entry),
    )
