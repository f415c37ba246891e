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

import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from numbers import Real
from pathlib import Path
from typing import Any

import pandas as pd

from scrm_lab._paths import shipped_dir
from scrm_lab._report_batch import BatchResult, read_grid, run_batch
from scrm_lab._report_exec import (
    PARAMETERS_TAG,
    check_kernel,
    execute,
    kernel_environment,
    locate,
    redact,
    with_secret_cell,
)
from scrm_lab._report_html import header_html, render_html
from scrm_lab._report_index import write_index
from scrm_lab._report_params import (
    SECRET_ENV_PREFIX,
    SECRET_SHOWN_AS,
    Parameter,
    effective_values,
    parse_declarations,
    read_values_file,
    values_from_text,
)
from scrm_lab._run_record import RECORD_ENV, read_record, record
from scrm_lab._validation import suggest
from scrm_lab.exceptions import DataFileError, ParameterError, ReportExecutionError

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

# nbformat validates with jsonschema, which imports the optional rfc3987_syntax when it is
# installed (JupyterLab's jupyter-events brings it); that compiles 38 grammars, about 1 s
# added to every command and batch worker. Notebook files hold no IRIs to check, so this
# process goes without it (jsonschema then skips only its "iri" format checks).
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

_LATEST = "latest.json"
_PACKAGES = (
    "scrm_lab",
    "pandas",
    "numpy",
    "scipy",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbconvert",
    "nbformat",
    "ipykernel",
)


@dataclass(frozen=True)
class ReportRun:
    """One finished report run.

    Attributes
    ----------
    notebook : str
        Notebook name (file stem).
    parameters : dict
        Every effective parameter value, defaults included; secret ones as ``"<secret>"``.
    status : str
        ``"succeeded"`` (a failed run raises :class:`ReportExecutionError` instead).
    output_dir : pathlib.Path
        The run's folder.
    html, notebook_path : pathlib.Path
        The HTML report and the executed notebook in that folder.
    started : str
        UTC start time, ISO 8601.
    duration_s : float
        Wall-clock seconds from start to the end of execution.
    results : dict
        Key results the notebook recorded with :func:`record`.
    """

    notebook: str
    parameters: dict[str, Any]
    status: str
    output_dir: Path
    html: Path
    notebook_path: Path
    started: str
    duration_s: float
    results: dict[str, Any] = field(default_factory=dict)


# -------------------------------------------------------------------------------- catalog


def _catalog_paths() -> dict[str, Path]:
    """Shipped report notebooks by name: top level only (``lessons/`` holds no reports)."""
    folder = shipped_dir("notebooks")
    return {
        p.stem: p
        for p in sorted(folder.glob("*.ipynb"))
        if not p.name.startswith(".") and not p.stem.endswith("-checkpoint")
    }


def _read_notebook(path: Path) -> Any:
    import nbformat

    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError) as err:  # bad JSON and nbformat errors are ValueErrors
        raise DataFileError(f"notebook '{path}' cannot be read as a notebook: {err}") from err


def _title(nb: Any, default: str) -> str:
    """The first Markdown heading of the notebook."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#") and line.lstrip("#").strip():
                    return line.lstrip("#").strip()
    return default


def list_notebooks() -> pd.DataFrame:
    """The catalog of shipped report notebooks.

    Returns
    -------
    pandas.DataFrame
        One row per notebook at the top of the shipped ``notebooks/`` folder (checkpoints
        and the ``lessons/`` subfolder are left out), sorted by name. Columns: ``name``
        (file stem, what :func:`run_report` takes), ``title`` (first Markdown heading),
        ``parameters`` (names, comma-separated; empty without a ``parameters`` cell) and
        ``path`` (str).

    Examples
    --------
    >>> catalog = list_notebooks().set_index("name")
    >>> catalog.loc["dataset_overview", "title"]
    'Data set overview'
    """
    rows = []
    for name, path in _catalog_paths().items():
        nb = _read_notebook(path)
        has_cell = any(PARAMETERS_TAG in c.metadata.get("tags", []) for c in nb.cells)
        declared = _declared_parameters(nb, name) if has_cell else []
        names = ", ".join(p.name for p in declared)
        rows.append(
            {"name": name, "title": _title(nb, name), "parameters": names, "path": str(path)}
        )
    return pd.DataFrame(rows, columns=["name", "title", "parameters", "path"])


def _resolve(notebook: str | os.PathLike) -> tuple[str, Path]:
    """A catalog name or a path to an .ipynb file -> (name, absolute path)."""
    if not isinstance(notebook, str | os.PathLike):
        raise ParameterError(
            "The 'notebook' parameter must be a notebook name or a path to an .ipynb file. "
            f"Got {type(notebook).__name__} instead."
        )
    text = os.fspath(notebook)
    catalog = _catalog_paths()
    names = ", ".join(catalog) or "none"
    if (
        isinstance(notebook, os.PathLike)
        or text.endswith(".ipynb")
        or "/" in text
        or os.sep in text
    ):
        path = Path(text).expanduser()
        if not path.is_file():
            raise DataFileError(
                f"notebook file '{path}' does not exist; give an existing .ipynb file or "
                f"the name of a shipped notebook ({names})"
            )
        if path.suffix != ".ipynb":
            raise DataFileError(f"notebook file '{path}' is not an .ipynb file")
        return path.stem, path.resolve()
    if text not in catalog:
        hint = suggest(text, catalog)
        raise ParameterError(
            f"The 'notebook' parameter must be a shipped notebook ({names}) or a path to an "
            f".ipynb file. Got {text!r} instead.{hint}"
        )
    return text, catalog[text]


# ----------------------------------------------------------------------------- parameters


def _declared_parameters(nb: Any, name: str) -> list[Parameter]:
    cells = [c for c in nb.cells if PARAMETERS_TAG in c.metadata.get("tags", [])]
    if len(cells) != 1:
        found = "no cell" if not cells else f"{len(cells)} cells"
        raise ParameterError(
            f"The notebook '{name}' has {found} tagged 'parameters'; a report notebook needs "
            "exactly one (in Jupyter: select the cell, then the property inspector > tags)."
        )
    return parse_declarations(cells[0].source, f"notebook '{name}'")


def _declared(notebook: str | os.PathLike) -> tuple[str, Path, Any, list[Parameter]]:
    name, path = _resolve(notebook)
    nb = _read_notebook(path)
    return name, path, nb, _declared_parameters(nb, name)


def notebook_parameters(notebook: str | os.PathLike) -> pd.DataFrame:
    """The parameters a notebook declares, read from its ``parameters`` cell (no kernel).

    Parameters
    ----------
    notebook : str or path-like
        A catalog name (see :func:`list_notebooks`) or a path to an ``.ipynb`` file.

    Returns
    -------
    pandas.DataFrame
        One row per parameter, in the cell's order. Columns: ``name``; ``type`` (``int``,
        ``float``, ``str``, ``bool``, ``path``, ``list[str]``...; for an untyped
        ``name = value`` line, the default's type, ``any`` for None); ``default``;
        ``allowed`` (``{a, b}``, ``[1, 1000]`` or ``""``); ``secret`` (bool); ``help`` (the
        line's trailing ``# comment``, or ``""``).

    Raises
    ------
    ParameterError
        If the name is not in the catalog, the notebook has no (or several) cells tagged
        ``parameters``, a line of that cell is not ``name: "type" = literal``, a type spec
        is not understood, or a default does not fit its type.
    DataFileError
        If a path does not exist or is not a notebook.

    Examples
    --------
    >>> notebook_parameters("dataset_overview").loc[2].to_dict()
    {'name': 'max_rows', 'type': 'int', 'default': 10, 'allowed': '[1, 1000]', \
'secret': False, 'help': 'rows of raw data to show'}
    """
    _, _, _, declared = _declared(notebook)
    return pd.DataFrame(
        [
            (p.name, p.spec.type_name, p.default, p.spec.allowed, p.spec.secret, p.help)
            for p in declared
        ],
        columns=["name", "type", "default", "allowed", "secret", "help"],
    )


def parameters_help(notebook: str | os.PathLike) -> str:
    """A notebook's parameters as ``--help`` text: usage, then each name, type, default, help.

    Examples
    --------
    >>> print(parameters_help("dataset_overview"))  # doctest: +ELLIPSIS
    Usage: scrm-lab report run dataset_overview [-p NAME VALUE]... [-f PARAMS.yaml]
    <BLANKLINE>
      Data set overview
    <BLANKLINE>
    Parameters:
      dataset         str, one of {...}
                      default: 'csm_movies_social_boxoffice'
                      a shipped data set (scrm-lab datasets list)
    ...
      max_rows        int in [1, 1000]
                      default: 10
                      rows of raw data to show
    ...
    """
    name, _, nb, declared = _declared(notebook)
    target = name if name in _catalog_paths() else str(_resolve(notebook)[1])
    lines = [
        f"Usage: scrm-lab report run {target} [-p NAME VALUE]... [-f PARAMS.yaml]",
        "",
        f"  {_title(nb, name)}",
        "",
        "Parameters:" if declared else "This notebook has no parameters.",
    ]
    for p in declared:
        spec = p.spec
        kind = ("secret " if spec.secret else "") + spec.type_name
        if spec.choices is not None:
            kind += f", one of {spec.allowed}"
        elif spec.interval is not None:
            kind += f" in {spec.allowed}"
        default = "(from SCRM_LAB_SECRET_" + p.name.upper() + " if set)" if spec.secret else ""
        for text in (kind, f"default: {p.default!r} {default}".rstrip(), p.help):
            if text:
                lines += textwrap.wrap(
                    text,
                    width=96,
                    initial_indent=f"  {p.name if text is kind else '':<15} ",
                    subsequent_indent=" " * 20,
                    break_on_hyphens=False,
                )
    return "\n".join(lines)


def check_parameters(
    notebook: str | os.PathLike, parameters: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Every parameter's effective value, checked against the notebook's declarations.

    This is the check :func:`run_report` makes before any kernel starts; batches and
    schedules call it to refuse bad parameter sets before running anything.

    Parameters
    ----------
    notebook : str or path-like
        A catalog name or a path to an ``.ipynb`` file.
    parameters : mapping, optional
        Values to check; the other parameters keep their defaults (a secret one is read
        from the environment variable ``SCRM_LAB_SECRET_<NAME>`` when it is set).

    Returns
    -------
    dict
        Name -> value for every declared parameter, in the cell's order; ``path``
        parameters made absolute.

    Raises
    ------
    ParameterError
        An unknown name (with the parameters and the closest name), a value of the wrong
        type or outside its range or allowed values (naming the parameter, the value and
        what is allowed).
    DataFileError
        A ``path`` parameter naming a file that does not exist.

    Examples
    --------
    >>> check_parameters("dataset_overview", {"max_rows": 5})["max_rows"]
    5
    >>> check_parameters("dataset_overview", {"max_rows": 0})
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.ParameterError: The parameter 'max_rows' of notebook 'dataset_overview' \
must be in [1, 1000] (int in [1, 1000]). Got 0 (int) instead.
    """
    name, _, _, declared = _declared(notebook)
    return effective_values(declared, parameters, name)


def parse_parameter_text(notebook: str | os.PathLike, pairs: Mapping[str, str]) -> dict[str, Any]:
    """Command-line text values -> values of each parameter's declared type.

    ``-p max_rows 5`` gives the int 5 because ``max_rows`` is declared ``int``, while
    ``-p table 2019`` stays the string ``"2019"`` for a ``str`` parameter: the declaration
    decides, nothing is guessed. Lists and dicts are read as YAML (``[likes, views]``).
    Unknown names pass through, to be refused with a did-you-mean by the check.

    Examples
    --------
    >>> parse_parameter_text("dataset_overview", {"max_rows": "5", "table": "2019"})
    {'max_rows': 5, 'table': '2019'}
    """
    name, _, _, declared = _declared(notebook)
    return values_from_text(declared, pairs, name)


def read_parameters_file(path: str | os.PathLike) -> dict[str, Any]:
    """Parameter values from a YAML file (``name: value`` lines), for ``-f params.yaml``.

    Raises
    ------
    DataFileError
        The file is missing, not valid YAML (the line is named) or not one mapping.
    """
    return read_values_file(path)


def _shown(declared: list[Parameter], values: Mapping[str, Any]) -> dict[str, Any]:
    """The values as outputs may show them: secret ones replaced by ``<secret>``."""
    secret = {p.name for p in declared if p.spec.secret}
    return {k: SECRET_SHOWN_AS if k in secret and v else v for k, v in values.items()}


# ------------------------------------------------------------------------------ provenance


def _versions() -> dict[str, str | None]:
    from importlib import metadata

    import scrm_lab

    found: dict[str, str | None] = {}
    for package in _PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = scrm_lab.__version__ if package == "scrm_lab" else None
    return found


def _dataset_checksums(names: list[str]) -> dict[str, dict[str, str]]:
    """``{data set: {file: sha256}}`` for the shipped data sets among ``names``."""
    from scrm_lab.datasets import dataset_checksums, list_datasets

    shipped = set(list_datasets()["name"])
    return {n: dict(dataset_checksums(n)) for n in names if n in shipped}


def _provenance(
    name: str,
    source: Path,
    nb: Any,
    declared: list[Parameter],
    shown: dict[str, Any],
    kernel_name: str | None,
    noted: Mapping[str, Any],
) -> dict[str, Any]:
    """What produced the run: notebook, parameters, data read, software."""
    datasets = list(noted["datasets"])
    named = shown.get("dataset")
    if isinstance(named, str) and named and named not in datasets:
        datasets.insert(0, named)  # named by a parameter, even if the run failed before it
    return {
        "notebook": {
            "name": name,
            "path": str(source),
            "sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
        },
        "parameters": shown,
        "defaults": {p.name: p.default for p in declared},
        "secret_parameters": [p.name for p in declared if p.spec.secret],
        "datasets": _dataset_checksums(datasets),
        "files": dict(noted["files"]),
        "packages": _versions(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "kernel_name": kernel_name or nb.metadata.get("kernelspec", {}).get("name"),
    }


# ----------------------------------------------------------------------------- publishing


def _write_json(path: Path, content: Mapping[str, Any]) -> None:
    text = json.dumps(content, indent=2, ensure_ascii=False, default=str) + "\n"
    path.write_text(text, encoding="utf-8")


def _publish(staging: Path, parent: Path, run_id: str) -> Path:
    """Rename the finished staging folder to ``parent/run_id`` (``-2``, ``-3``... if taken)."""
    parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, 1000):
        target = parent / (run_id if attempt == 1 else f"{run_id}-{attempt}")
        if target.exists():
            continue
        try:
            os.rename(staging, target)
        except OSError:
            if target.exists():  # another process took the name meanwhile
                continue
            raise
        return target
    raise DataFileError(f"too many runs named '{run_id}' in '{parent}'")


def _point_latest(parent: Path, run: Path, status: Mapping[str, Any]) -> None:
    """Replace ``latest.json`` and ``latest.html`` (a copy of the page) atomically."""
    pointer = {key: status[key] for key in ("notebook", "parameters", "finished")}
    tag = f"{os.getpid()}-{run.name}"
    tmp = parent / f".{_LATEST}.{tag}.tmp"
    _write_json(tmp, {"run": run.name, **pointer})
    page = parent / f".latest.html.{tag}.tmp"
    shutil.copyfile(run / f"{status['notebook']}.html", page)
    os.replace(page, parent / "latest.html")
    os.replace(tmp, parent / _LATEST)


def latest_run(notebook: str | os.PathLike, *, output_dir: str | os.PathLike = "reports") -> Path:
    """Folder of a notebook's last successful run, read from its ``latest.json``.

    Parameters
    ----------
    notebook : str or path-like
        Notebook name (for a path, its file stem).
    output_dir : str or path-like, default "reports"
        The ``output_dir`` the runs were written to.

    Raises
    ------
    DataFileError
        If the notebook has no successful run there.

    Examples
    --------
    >>> latest_run("dataset_overview", output_dir="/nonexistent")
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.DataFileError: no successful run of 'dataset_overview' in ...
    """
    name = Path(os.fspath(notebook)).stem
    pointer = Path(output_dir) / name / _LATEST
    try:
        run = pointer.parent / json.loads(pointer.read_text(encoding="utf-8"))["run"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise DataFileError(
            f"no successful run of '{name}' in '{output_dir}' ('{pointer}' is missing or "
            "unreadable); run the report first"
        ) from err
    if not run.is_dir():
        raise DataFileError(f"'{pointer}' points to '{run}', which does not exist")
    return run


def run_report(
    notebook: str | os.PathLike,
    parameters: Mapping[str, Any] | None = None,
    *,
    output_dir: str | os.PathLike = "reports",
    timeout: float | None = 600,
    kernel_name: str | None = None,
    progress: bool = False,
) -> ReportRun:
    """Execute a report notebook and render it as HTML without code.

    Parameters are checked (:func:`check_parameters`) before any kernel starts. The
    notebook then runs with papermill in a new kernel whose working folder is a new
    temporary folder (so it cannot depend on the caller's), and is rendered with
    nbconvert's HTMLExporter with code cells left out. The module documentation describes
    the run folder, secrets and key results.

    Parameters
    ----------
    notebook : str or path-like
        A catalog name (see :func:`list_notebooks`) or a path to an ``.ipynb`` file.
    parameters : mapping, optional
        Values for the notebook's parameters (see :func:`notebook_parameters`); the others
        keep their defaults.
    output_dir : str or path-like, default "reports"
        Where the notebook's run folders go (created if needed).
    timeout : float or None, default 600
        Seconds a single cell may run (papermill's ``execution_timeout``); None: no limit.
    kernel_name : str, optional
        An installed Jupyter kernel; by default the notebook's kernelspec (``python3``,
        which resolves to the Python running this function).
    progress : bool, default False
        Show papermill's progress bar over cells (on stderr).

    Returns
    -------
    ReportRun
        The run folder, HTML, executed notebook, parameters, key results, start time and
        duration.

    Raises
    ------
    ParameterError
        If the notebook name is not in the catalog, a parameter name is unknown (the message
        lists the parameters and suggests the closest), a value has the wrong type or is
        outside what is allowed, or ``timeout``/``kernel_name`` is invalid. Nothing is
        written.
    DataFileError
        If a notebook path, or a file named by a ``path`` parameter, does not exist.
        Nothing is written.
    ReportExecutionError
        If a cell raised, the kernel died or a cell timed out. The run folder is kept with
        the executed notebook, an HTML page with an error banner and ``status.json``
        (``"failed"``); ``latest.json`` is not changed.

    Notes
    -----
    The kernel imports the same scrm_lab (an uninstalled checkout is put on ``PYTHONPATH``
    while it starts), and papermill changes the working folder while the notebook runs:
    run several reports at once in separate processes (:func:`run_batch`), not threads.

    Examples
    --------
    >>> run_report("dataset_overview", {"max_row": 5})  # refused before any kernel starts
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.ParameterError: The notebook 'dataset_overview' has no parameter \
'max_row'; its parameters are dataset, table, max_rows, show_handles, seed, \
pseudonym_salt. Did you mean 'max_rows'?
    """
    name, source, nb, declared = _declared(notebook)
    effective = effective_values(declared, parameters, name)
    if timeout is not None and (
        not isinstance(timeout, Real) or isinstance(timeout, bool) or timeout <= 0
    ):
        raise ParameterError(
            "The 'timeout' parameter must be a positive number of seconds or None. "
            f"Got {timeout!r} instead."
        )
    check_kernel(kernel_name)
    secret_names = [p.name for p in declared if p.spec.secret and effective[p.name]]
    secrets = sorted({str(effective[n]) for n in secret_names}, key=len, reverse=True)
    shown = _shown(declared, effective)
    public = {k: v for k, v in effective.items() if k not in secret_names}

    root = Path(output_dir).expanduser().resolve()
    root.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    digest = hashlib.sha256(json.dumps(shown, sort_keys=True, default=repr).encode())
    run_id = f"{started:%Y%m%dT%H%M%SZ}-{digest.hexdigest()[:8]}"
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{name}-", dir=root))
    try:
        with tempfile.TemporaryDirectory(prefix="scrm_lab-run-", ignore_cleanup_errors=True) as tmp:
            work = Path(tmp)
            (work / "cwd").mkdir()
            record_file, executed_path = work / "record.jsonl", work / f"{name}.ipynb"
            variables = {RECORD_ENV: str(record_file)}
            variables.update(
                {SECRET_ENV_PREFIX + n.upper(): str(effective[n]) for n in secret_names}
            )
            with kernel_environment(variables):
                failure = execute(
                    with_secret_cell(nb, secret_names) if secret_names else source,
                    executed_path,
                    public,
                    cwd=work / "cwd",
                    kernel_name=kernel_name,
                    timeout=timeout,
                    progress=progress,
                )
            finished = datetime.now(UTC)
            if not executed_path.is_file():  # the kernel never started: keep the input
                shutil.copyfile(source, executed_path)
            executed = redact(_read_notebook(executed_path), secrets)
            noted = read_record(record_file)
        failure = locate(executed, failure)
        results = redact(noted["results"], secrets)
        status = {
            "status": "failed" if failure else "succeeded",
            "notebook": name,
            "parameters": shown,
            "started": started.isoformat(timespec="seconds"),
            "finished": finished.isoformat(timespec="seconds"),
            "duration_s": round((finished - started).total_seconds(), 3),
            "error": None
            if failure is None
            else {
                "cell_index": failure.cell_index,
                "error_name": failure.error_name,
                "error_value": redact(failure.error_value, secrets),
            },
            "results": results,
        }
        provenance = _provenance(name, source, nb, declared, shown, kernel_name, noted)
        _write_notebook(executed, staging / f"{name}.ipynb")
        page = render_html(
            executed,
            header=header_html(status, provenance),
            title=f"{_title(nb, name)} ({status['status']})",
        )
        (staging / f"{name}.html").write_text(page, encoding="utf-8")
        _write_json(staging / "status.json", status)
        _write_json(staging / "provenance.json", provenance)
        run_dir = _publish(staging, root / name, run_id)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if failure is None:
        _point_latest(root / name, run_dir, status)
    write_index(root)
    if failure is not None:
        where = "a cell" if failure.cell_index is None else f"cell {failure.cell_index}"
        message = status["error"]["error_value"]
        raise ReportExecutionError(
            f"notebook '{name}' failed at {where}: {failure.error_name}: "
            f"{(message.splitlines() or [''])[0]} (report saved in {run_dir})",
            notebook=name,
            cell_index=failure.cell_index,
            error_name=failure.error_name,
            error_value=message,
            output_dir=str(run_dir),
        )
    return ReportRun(
        notebook=name,
        parameters=shown,
        status=status["status"],
        output_dir=run_dir,
        html=run_dir / f"{name}.html",
        notebook_path=run_dir / f"{name}.ipynb",
        started=status["started"],
        duration_s=status["duration_s"],
        results=results,
    )


def _write_notebook(nb: Any, path: Path) -> None:
    import nbformat

    nbformat.write(nb, str(path))
