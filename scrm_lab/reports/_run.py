"""Running one report: execute in a staging folder, render, write status and provenance, publish.

Examples
--------
>>> ReportRun.__dataclass_fields__["status"].type
'str'
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrm_lab._checks import Flag, OrNone, Text, checks
from scrm_lab.exceptions import DataFileError, ReportExecutionError
from scrm_lab.reports._catalog import (
    FOLDER,
    NOTEBOOK,
    PARAMETERS,
    TIMEOUT,
    _declared,
    notebook_title,
    read_notebook,
)
from scrm_lab.reports._exec import (
    check_kernel,
    execute,
    kernel_environment,
    locate,
    redact,
    stable_outputs,
    with_parameters,
)
from scrm_lab.reports._html import header_html, render_html
from scrm_lab.reports._index import write_index
from scrm_lab.reports._params import (
    SECRET_ENV_PREFIX,
    SECRET_SHOWN_AS,
    Parameter,
    effective_values,
)
from scrm_lab.reports._run_record import RECORD_ENV, read_record
from scrm_lab.reports._staging import output_folder, publish, staging_folder

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
        "engine": dict(noted["engine"]),
        "packages": _versions(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "kernel_name": kernel_name or nb.metadata.get("kernelspec", {}).get("name"),
    }


# ----------------------------------------------------------------------------- publishing


def _write_json(path: Path, content: Mapping[str, Any]) -> None:
    text = json.dumps(content, indent=2, ensure_ascii=False, default=str) + "\n"
    path.write_text(text, encoding="utf-8")


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


@checks(notebook=NOTEBOOK, output_dir=FOLDER)
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


@checks(
    notebook=NOTEBOOK,
    parameters=PARAMETERS,
    output_dir=FOLDER,
    timeout=TIMEOUT,
    kernel_name=OrNone(Text()),
    progress=Flag(),
    show_code=Flag(),
)
def run_report(
    notebook: str | os.PathLike,
    parameters: Mapping[str, Any] | None = None,
    *,
    output_dir: str | os.PathLike = "reports",
    timeout: float | None = 600,
    kernel_name: str | None = None,
    progress: bool = False,
    show_code: bool = False,
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
    show_code : bool, default False
        Keep the code cells in the HTML (lessons do: students learn from the code).

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
    check_kernel(kernel_name)
    # a secret left at its default (written in the notebook already) is not passed around
    secret_names = [
        p.name
        for p in declared
        if p.spec.secret and effective[p.name] and effective[p.name] != p.default
    ]
    secrets = sorted({str(effective[n]) for n in secret_names}, key=len, reverse=True)
    shown = _shown(declared, effective)
    public = {k: v for k, v in effective.items() if k not in secret_names}

    root = output_folder(output_dir)
    started = datetime.now(UTC)
    digest = hashlib.sha256(json.dumps(shown, sort_keys=True, default=repr).encode())
    run_id = f"{started:%Y%m%dT%H%M%SZ}-{digest.hexdigest()[:8]}"
    with staging_folder(root, name) as staging:
        work = staging / ".work"  # the kernel's folder, the record file: removed before publishing
        (work / "cwd").mkdir(parents=True)
        record_file, executed_path = work / "record.jsonl", work / f"{name}.ipynb"
        variables = {RECORD_ENV: str(record_file)}
        variables.update({SECRET_ENV_PREFIX + n.upper(): str(effective[n]) for n in secret_names})
        with kernel_environment(variables):
            failure = execute(
                with_parameters(nb, public, secret_names),
                executed_path,
                cwd=work / "cwd",
                kernel_name=kernel_name,
                timeout=timeout,
                progress=progress,
            )
        finished = datetime.now(UTC)
        if not executed_path.is_file():  # the kernel never started: keep the input
            shutil.copyfile(source, executed_path)
        executed = redact(read_notebook(executed_path), secrets)
        noted = read_record(record_file)
        failure = locate(executed, failure)
        executed = stable_outputs(executed, source)
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
            title=f"{notebook_title(nb, name)} ({status['status']})",
            show_code=show_code,
        )
        (staging / f"{name}.html").write_text(page, encoding="utf-8")
        _write_json(staging / "status.json", status)
        _write_json(staging / "provenance.json", provenance)
        shutil.rmtree(work)
        run_dir = publish(staging, root / name, run_id)
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
