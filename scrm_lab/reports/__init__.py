"""Notebook reports: catalog, typed parameters, execution (papermill), rendering (nbconvert).

A report is a notebook with one cell tagged ``parameters`` that declares each parameter on
one line: name, type, default and a one-line help::

    dataset: "str in datasets" = "csm_movies_social_boxoffice"  # a shipped data set
    max_rows: "int in [1, 1000]" = 10                          # rows of raw data to show
    method: "str in {spearman, pearson, kendall}" = "spearman"  # correlation method
    alpha: "float in (0, 0.5]" = 0.05                          # significance level
    n_brands: "list[int] in [8, inf)" = [30, 100]              # every item at least 8
    path: "path" = ""                                          # a file of yours, or ""
    token: "secret str" = ""                                   # never shown in outputs
    show_handles: bool = False                                 # plain types need no quotes

The type is ``int``, ``float``, ``str``, ``bool``, ``list``, ``dict``, ``list[T]``, ``path``
(a file that must exist; made absolute, since the kernel runs in another folder) or ``any``,
optionally ``secret`` and optionally restricted by ``in [low, high]`` (``( )`` for open ends,
``inf`` allowed), ``in {a, b, c}`` or ``in datasets`` (the shipped data sets). It is written
as a string so the kernel, which evaluates annotations, needs no import; nothing in the cell
is executed to read it (:mod:`ast`). A plain papermill line ``name = value  # help`` still
works, typed by its default. :func:`list_notebooks` is the catalog and
:func:`notebook_parameters` the declarations; :func:`check_parameters` refuses an unknown
name (with a did-you-mean), a wrong type or a value outside what is allowed, naming the
parameter, the value and what is allowed, before any kernel starts. Command-line text is
converted by the declared type (:func:`parse_parameter_text`), never guessed.

Secret parameters (passwords, API tokens, pseudonym salts) reach the kernel through an
environment variable read by a cell added after the parameters cell, never through the
notebook file; a secret not given is read from ``SCRM_LAB_SECRET_<NAME>`` when that is set.
Everything written (status, provenance, index, HTML, the executed notebook, error messages)
shows ``<secret>`` instead of the value, and any output that printed it is redacted.

Notebooks record their key results with :func:`record` (``record("rho", 0.42)``); they land in
``status.json``, the reports index and batch summaries. Data sets loaded with
:func:`scrm_lab.datasets.load_dataset` and files read with :func:`scrm_lab.io.read_table`
during the run are noted too, so the provenance names what the run actually read.

Each run gets its own folder, built in a hidden staging folder inside ``output_dir`` and
renamed into place when complete, so a refused or crashed run leaves no half-written folder::

    <output_dir>/
        index.html                    every run and batch, newest first, with links
        <notebook>/
            latest.json, latest.html  the last successful run: pointer, copy of its page
            <YYYYmmddTHHMMSSZ>-<hash8>/   one folder per run: UTC start, parameter hash
                <notebook>.ipynb      the executed notebook, outputs included
                <notebook>.html       the report: figures, tables, text; no code
                status.json           status, parameters, times, error, key results
                provenance.json       parameters, data read (checksums), versions, notebook

``<hash8>`` is the first 8 hex digits of the SHA-256 of the parameters as shown (secrets as
``<secret>``) as sorted JSON; a second run with the same name gets ``-2`` appended.
``latest.json`` is a small JSON file rather than a symbolic link, so it works on every
operating system: ``{"run": folder name, "notebook", "parameters", "finished"}``. It is
replaced atomically, and only after a successful run; :func:`latest_run` reads it.

Failures are loud: when a cell raises, the kernel dies or a cell times out, the executed
notebook and an HTML page with a red banner (failing cell, error name and message) are still
saved, ``status.json`` says ``"failed"``, ``latest.json`` is left alone, and
:class:`~scrm_lab.exceptions.ReportExecutionError` is raised. An error output in any cell not
tagged ``raises-exception`` fails the run even if the kernel carried on.

Examples
--------
>>> from scrm_lab.reports import notebook_parameters
>>> notebook_parameters("dataset_overview")[["name", "type", "allowed"]].loc[1:3]
           name  type    allowed
1         table   str
2      max_rows   int  [1, 1000]
3  show_handles  bool
"""

from __future__ import annotations

import sys

# nbformat validates with jsonschema, which imports the optional rfc3987_syntax when it is
# installed (JupyterLab's jupyter-events brings it); that compiles 38 grammars, about 1 s
# added to every command and batch worker. Notebook files hold no IRIs to check, so this
# process goes without it (jsonschema then skips only its "iri" format checks).
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

from scrm_lab._reads import on_read
from scrm_lab.reports._batch import BatchResult, run_batch
from scrm_lab.reports._catalog import (
    check_parameters,
    list_notebooks,
    notebook_parameters,
    parameters_help,
    parse_parameter_text,
    read_parameters_file,
)
from scrm_lab.reports._grid import read_grid
from scrm_lab.reports._run import ReportRun, latest_run, run_report
from scrm_lab.reports._run_record import note_read, record

__all__ = [
    "BatchResult",
    "ReportRun",
    "check_parameters",
    "latest_run",
    "list_notebooks",
    "notebook_parameters",
    "parameters_help",
    "parse_parameter_text",
    "read_grid",
    "read_parameters_file",
    "record",
    "run_batch",
    "run_report",
]

# Data sets loaded and files read while a report runs go into its provenance.
on_read(note_read)
