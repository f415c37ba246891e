"""Notebook reports: the catalog, typed parameters, runs, HTML, the index, batches, schedules.

Inside: ``_catalog`` (the shipped notebooks, their declared parameters and the checks of given
values), ``_params`` (the declaration grammar, parsed with :mod:`ast`, nothing executed;
values checked as plain data and written as literals), ``_run`` and ``_exec`` (one run: the
parameter cells, papermill, failure location, redaction, stable outputs, status,
provenance), ``_staging`` (the hidden folders runs and batches are built in, published by
renaming, and the clean-up after killed runs), ``_html`` (the page without code, data shown
as text), ``_index`` (``index.html`` of a reports folder), ``_grid`` and ``_batch`` (many
parameter sets in worker processes, one summary), ``_run_record`` (key results and the data a
run read) and :mod:`~scrm_lab.reports.schedules` (jobs, cron and Airflow exports). The
parameter grammar, the run folder layout and the failure rules are in README.md ("Reports").

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
    notebook_title,
    parameters_help,
    parse_parameter_text,
    read_notebook,
    read_parameters_file,
)
from scrm_lab.reports._grid import read_grid
from scrm_lab.reports._run import ReportRun, latest_run, run_report
from scrm_lab.reports._run_record import note_read, record
from scrm_lab.reports._staging import clean_reports

__all__ = [
    "BatchResult",
    "ReportRun",
    "check_parameters",
    "clean_reports",
    "latest_run",
    "list_notebooks",
    "notebook_parameters",
    "notebook_title",
    "parameters_help",
    "parse_parameter_text",
    "read_grid",
    "read_notebook",
    "read_parameters_file",
    "record",
    "run_batch",
    "run_report",
]

# Data sets loaded and files read while a report runs go into its provenance.
on_read(note_read)
