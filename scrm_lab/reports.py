"""Notebook reports: catalog, parameter checks, execution (papermill), rendering (nbconvert).

A report is a notebook in the shipped ``notebooks/`` folder with one cell tagged
``parameters`` of ``name = literal  # help`` lines. :func:`list_notebooks` is the catalog,
:func:`notebook_parameters` reads a notebook's parameters without a kernel, and
:func:`run_report` checks the parameters (names, types) before any kernel starts, runs the
notebook with papermill and renders HTML without code, headed by what was run: parameters,
data set checksums, versions, time and status.

Each run gets its own folder, built in a hidden staging folder inside ``output_dir`` and
renamed into place when complete, so a refused or crashed run leaves no half-written folder::

    <output_dir>/<notebook>/
        latest.json                   pointer to the last successful run
        <YYYYmmddTHHMMSSZ>-<hash8>/   one folder per run: UTC start, parameter hash
            <notebook>.ipynb          the executed notebook, outputs included
            <notebook>.html           the report: figures, tables, text; no code
            status.json               status, notebook, parameters, times, error
            provenance.json           parameters, data set checksums, versions, notebook hash

``<hash8>`` is the first 8 hex digits of the SHA-256 of the effective parameters as sorted
JSON; a second run with the same name in the same second gets ``-2`` appended.
``latest.json`` is a small JSON file rather than a symbolic link, so it works on every
operating system: ``{"run": folder name, "notebook", "parameters", "finished"}``. It is
replaced atomically, and only after a successful run; :func:`latest_run` reads it.

Failures are loud: when a cell raises, the kernel dies or a cell times out, the executed
notebook and an HTML page with a red banner (failing cell, error name and message) are still
saved, ``status.json`` says ``"failed"``, ``latest.json`` is left alone, and
:class:`~scrm_lab.exceptions.ReportExecutionError` is raised.

Examples
--------
>>> from scrm_lab.reports import notebook_parameters
>>> notebook_parameters("dataset_overview")[["name", "default", "type"]].head(3)
       name                      default type
0   dataset  csm_movies_social_boxoffice  str
1     table                               str
2  max_rows                           10  int
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import os
import platform
import shutil
import tempfile
import tokenize
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import pandas as pd

from scrm_lab._paths import shipped_dir
from scrm_lab._report_html import clean_cells, header_html, render_html
from scrm_lab._validation import suggest
from scrm_lab.exceptions import DataFileError, ParameterError, ReportExecutionError

__all__ = ["ReportRun", "latest_run", "list_notebooks", "notebook_parameters", "run_report"]

_PARAMETERS_TAG = "parameters"
_INJECTED_TAG = "injected-parameters"  # the cell papermill adds after the parameters cell
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
        Every effective parameter value, defaults included.
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
    """

    notebook: str
    parameters: dict[str, Any]
    status: str
    output_dir: Path
    html: Path
    notebook_path: Path
    started: str
    duration_s: float


@dataclass(frozen=True)
class _Parameter:
    name: str
    default: Any
    type: str
    help: str


@dataclass(frozen=True)
class _Failure:
    cell_index: int | None  # in the source notebook
    error_name: str
    error_value: str


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
        has_cell = any(_PARAMETERS_TAG in c.metadata.get("tags", []) for c in nb.cells)
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


def _comments(source: str) -> dict[int, str]:
    """Line number -> text of the comment on that line."""
    found: dict[int, str] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                found[token.start[0]] = token.string.lstrip("#").strip()
    except (tokenize.TokenError, SyntaxError):
        pass  # ast.parse reports the syntax error
    return found


def _parse_parameters(source: str, where: str) -> list[_Parameter]:
    """``name = literal  # help`` lines -> parameters, with ``ast`` (no code is run)."""
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise ParameterError(
            f"The parameters cell of {where} is not valid Python (line {err.lineno}: "
            f"{err.msg}); expected lines of the form `name = value  # help`."
        ) from err
    comments = _comments(source)
    declared = []
    for node in tree.body:
        target = value = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if not isinstance(target, ast.Name) or value is None:
            raise ParameterError(
                f"Line {node.lineno} of the parameters cell of {where} is not a parameter; "
                "expected `name = value  # help` with a literal value."
            )
        try:
            default = ast.literal_eval(value)
        except ValueError as err:
            raise ParameterError(
                f"The default of parameter '{target.id}' in {where} (line {node.lineno}) is "
                "not a literal (a number, string, bool, None, list or dict)."
            ) from err
        lines = range(node.end_lineno or node.lineno, node.lineno - 1, -1)
        help_text = next((comments[i] for i in lines if i in comments), "")
        kind = "any" if default is None else type(default).__name__
        declared.append(_Parameter(target.id, default, kind, help_text))
    return declared


def _declared_parameters(nb: Any, name: str) -> list[_Parameter]:
    cells = [c for c in nb.cells if _PARAMETERS_TAG in c.metadata.get("tags", [])]
    if len(cells) != 1:
        found = "no cell" if not cells else f"{len(cells)} cells"
        raise ParameterError(
            f"The notebook '{name}' has {found} tagged 'parameters'; a report notebook needs "
            "exactly one (in Jupyter: select the cell, then the property inspector > tags)."
        )
    return _parse_parameters(cells[0].source, f"notebook '{name}'")


def notebook_parameters(notebook: str | os.PathLike) -> pd.DataFrame:
    """The parameters a notebook declares, read from its ``parameters`` cell (no kernel).

    Parameters
    ----------
    notebook : str or path-like
        A catalog name (see :func:`list_notebooks`) or a path to an ``.ipynb`` file.

    Returns
    -------
    pandas.DataFrame
        One row per parameter, in the cell's order. Columns: ``name``; ``default`` (the
        literal value); ``type`` (the default's Python type: ``"int"``, ``"float"``,
        ``"str"``, ``"bool"``, ``"list"``, ``"dict"``...; ``"any"`` for a None default);
        ``help`` (the line's trailing ``# comment``, or ``""``).

    Raises
    ------
    ParameterError
        If the name is not in the catalog, the notebook has no (or several) cells tagged
        ``parameters``, or a line of that cell is not ``name = literal``.
    DataFileError
        If a path does not exist or is not a notebook.

    Examples
    --------
    >>> notebook_parameters("dataset_overview").loc[2].to_dict()
    {'name': 'max_rows', 'default': 10, 'type': 'int', 'help': 'rows of raw data to show'}
    """
    name, path = _resolve(notebook)
    declared = _declared_parameters(_read_notebook(path), name)
    return pd.DataFrame(
        [(p.name, p.default, p.type, p.help) for p in declared],
        columns=["name", "default", "type", "help"],
    )


_TYPE_CHECKS = {
    "any": lambda v: True,
    "bool": lambda v: isinstance(v, bool),
    "int": lambda v: isinstance(v, Integral) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, Real) and not isinstance(v, bool),
    "list": lambda v: isinstance(v, list | tuple),
    "dict": lambda v: isinstance(v, Mapping),
}
_CONVERT = {"int": int, "float": float, "list": list, "dict": dict}


def _coerce(param: _Parameter, value: Any, notebook: str) -> Any:
    """Check one value against its parameter's type; return it as a plain Python value."""
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        value = value.item()  # numpy scalars -> Python scalars
    check = _TYPE_CHECKS.get(param.type, lambda v: type(v) is type(param.default))
    if not check(value):
        raise ParameterError(
            f"The '{param.name}' parameter of notebook '{notebook}' must be {param.type} "
            f"(its default is {param.default!r}). Got {value!r} ({type(value).__name__}) "
            "instead."
        )
    return _CONVERT.get(param.type, lambda v: v)(value)


def _effective_parameters(
    declared: list[_Parameter], given: Mapping[str, Any] | None, notebook: str
) -> dict[str, Any]:
    """Every parameter's value (given or default), after checking names and types."""
    given = {} if given is None else given
    if not isinstance(given, Mapping):
        raise ParameterError(
            "The 'parameters' argument must be a mapping of parameter name to value. "
            f"Got {type(given).__name__} instead."
        )
    by_name = {p.name: p for p in declared}
    for key in given:
        if key not in by_name:
            hint = suggest(key, by_name)
            raise ParameterError(
                f"The notebook '{notebook}' has no parameter {key!r}; its parameters are "
                f"{', '.join(by_name) or 'none'}.{hint}"
            )
    return {
        p.name: _coerce(p, given[p.name], notebook) if p.name in given else p.default
        for p in declared
    }


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


def _dataset_checksums(parameters: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """``{data set: {file: sha256}}`` when a ``dataset`` parameter names a shipped data set."""
    value = parameters.get("dataset")
    if not isinstance(value, str) or not value:
        return {}
    from scrm_lab.datasets import dataset_checksums, list_datasets

    if value not in set(list_datasets()["name"]):
        return {}
    return {value: dict(dataset_checksums(value))}


def _provenance(
    name: str,
    source: Path,
    nb: Any,
    declared: list[_Parameter],
    effective: dict[str, Any],
    kernel_name: str | None,
) -> dict[str, Any]:
    return {
        "notebook": {
            "name": name,
            "path": str(source),
            "sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
        },
        "parameters": effective,
        "defaults": {p.name: p.default for p in declared},
        "datasets": _dataset_checksums(effective),
        "packages": _versions(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "kernel_name": kernel_name or nb.metadata.get("kernelspec", {}).get("name"),
    }


# ------------------------------------------------------------------------------- execution


@contextmanager
def _kernel_can_import_scrm_lab() -> Iterator[None]:
    """Put this scrm_lab's parent folder on ``PYTHONPATH`` while the kernel starts.

    The kernel is a new process in a temporary folder: a checkout that is not installed
    would not be importable there. Installed copies (in site-packages) need nothing.
    """
    import scrm_lab

    root = Path(scrm_lab.__file__).resolve().parent.parent
    old = os.environ.get("PYTHONPATH")
    if root.name not in {"site-packages", "dist-packages"}:
        os.environ["PYTHONPATH"] = os.pathsep.join([str(root), *([old] if old else [])])
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old


def _check_kernel(kernel_name: str | None) -> None:
    if kernel_name is None:
        return
    from jupyter_client.kernelspec import KernelSpecManager

    installed = KernelSpecManager().find_kernel_specs()
    if kernel_name not in installed:
        raise ParameterError(
            "The 'kernel_name' parameter must be an installed Jupyter kernel "
            f"({', '.join(sorted(installed)) or 'none found'}). Got {kernel_name!r} instead."
        )


def _execute(
    source: Path,
    output: Path,
    parameters: dict[str, Any],
    *,
    kernel_name: str | None,
    timeout: float | None,
    progress: bool,
) -> _Failure | None:
    """Run the notebook with papermill into ``output``; a failure is returned, not raised."""
    import nbformat
    import papermill
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    extra = {"kernel_name": kernel_name} if kernel_name else {}
    index: int | None = None  # of the failing cell, in the executed notebook
    with (
        tempfile.TemporaryDirectory(prefix="scrm_lab-run-", ignore_cleanup_errors=True) as cwd,
        _kernel_can_import_scrm_lab(),
    ):
        try:
            papermill.execute_notebook(
                str(source),
                str(output),
                parameters=parameters,
                cwd=cwd,
                progress_bar=progress,
                execution_timeout=timeout,
                log_output=False,
                **extra,
            )
            return None
        except PapermillExecutionError as err:
            index, name, value = err.cell_index, str(err.ename), str(err.evalue)
        except DeadKernelError as err:
            name, value = "DeadKernelError", str(err) or "the kernel died"
        except TimeoutError as err:  # nbclient's CellTimeoutError is a TimeoutError
            name = type(err).__name__
            value = str(err).splitlines()[0] if str(err) else f"a cell ran over {timeout} s"
    if not output.is_file():  # the kernel never started: keep the input as the record
        shutil.copyfile(source, output)
    cells = clean_cells(nbformat.read(output, as_version=4))
    if index is None:  # a dead kernel or a timeout: the last cell papermill started
        started = [
            i for i, c in enumerate(cells) if c.metadata.get("papermill", {}).get("start_time")
        ]
        index = started[-1] if started else None
    if index is not None:  # count cells of the source notebook: not the injected one
        index -= sum(_INJECTED_TAG in c.metadata.get("tags", []) for c in cells[:index])
    return _Failure(index, name, value)


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
    pointer = {key: status[key] for key in ("notebook", "parameters", "finished")}
    tmp = parent / f".{_LATEST}.{os.getpid()}.tmp"
    _write_json(tmp, {"run": run.name, **pointer})
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

    Parameters are checked before any kernel starts. The notebook then runs with papermill
    in a new kernel whose working folder is a new temporary folder (so it cannot depend on
    the caller's), and is rendered with nbconvert's HTMLExporter with code cells left out.
    The module documentation describes the run folder.

    Parameters
    ----------
    notebook : str or path-like
        A catalog name (see :func:`list_notebooks`) or a path to an ``.ipynb`` file.
    parameters : mapping, optional
        Values for the notebook's parameters (see :func:`notebook_parameters`); the others
        keep their defaults. A value must have its default's type (an int is accepted for
        a float; a None default accepts anything).
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
        The run folder, HTML, executed notebook, parameters, start time and duration.

    Raises
    ------
    ParameterError
        If the notebook name is not in the catalog, a parameter name is unknown (the message
        lists the parameters and suggests the closest), a value has the wrong type, or
        ``timeout``/``kernel_name`` is invalid. Nothing is written.
    DataFileError
        If a notebook path does not exist or is not a notebook. Nothing is written.
    ReportExecutionError
        If a cell raised, the kernel died or a cell timed out. The run folder is kept with
        the executed notebook, an HTML page with an error banner and ``status.json``
        (``"failed"``); ``latest.json`` is not changed.

    Notes
    -----
    The kernel imports the same scrm_lab (an uninstalled checkout is put on ``PYTHONPATH``
    while it starts), and papermill changes the working folder while the notebook runs:
    run several reports at once in separate processes, not threads.

    Examples
    --------
    >>> run_report("dataset_overview", {"max_row": 5})  # refused before any kernel starts
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.ParameterError: The notebook 'dataset_overview' has no parameter \
'max_row'; its parameters are dataset, table, max_rows, show_handles, seed. \
Did you mean 'max_rows'?
    """
    name, source = _resolve(notebook)
    nb = _read_notebook(source)
    declared = _declared_parameters(nb, name)
    effective = _effective_parameters(declared, parameters, name)
    if timeout is not None and (
        not isinstance(timeout, Real) or isinstance(timeout, bool) or timeout <= 0
    ):
        raise ParameterError(
            "The 'timeout' parameter must be a positive number of seconds or None. "
            f"Got {timeout!r} instead."
        )
    _check_kernel(kernel_name)
    provenance = _provenance(name, source, nb, declared, effective, kernel_name)

    root = Path(output_dir).expanduser().resolve()
    root.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    run_id = (
        f"{started:%Y%m%dT%H%M%SZ}-"
        + hashlib.sha256(json.dumps(effective, sort_keys=True, default=repr).encode()).hexdigest()[
            :8
        ]
    )
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{name}-", dir=root))
    try:
        executed = staging / f"{name}.ipynb"
        failure = _execute(
            source, executed, effective, kernel_name=kernel_name, timeout=timeout, progress=progress
        )
        finished = datetime.now(UTC)
        status = {
            "status": "failed" if failure else "succeeded",
            "notebook": name,
            "parameters": effective,
            "started": started.isoformat(timespec="seconds"),
            "finished": finished.isoformat(timespec="seconds"),
            "duration_s": round((finished - started).total_seconds(), 3),
            "error": None
            if failure is None
            else {
                "cell_index": failure.cell_index,
                "error_name": failure.error_name,
                "error_value": failure.error_value,
            },
        }
        page = render_html(
            _read_notebook(executed),
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
    if failure is not None:
        where = "a cell" if failure.cell_index is None else f"cell {failure.cell_index}"
        first_line = (failure.error_value.splitlines() or [""])[0]
        raise ReportExecutionError(
            f"notebook '{name}' failed at {where}: {failure.error_name}: {first_line} "
            f"(report saved in {run_dir})",
            notebook=name,
            cell_index=failure.cell_index,
            error_name=failure.error_name,
            error_value=failure.error_value,
            output_dir=str(run_dir),
        )
    _point_latest(root / name, run_dir, status)
    return ReportRun(
        notebook=name,
        parameters=effective,
        status=status["status"],
        output_dir=run_dir,
        html=run_dir / f"{name}.html",
        notebook_path=run_dir / f"{name}.ipynb",
        started=status["started"],
        duration_s=status["duration_s"],
    )
