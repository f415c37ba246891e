"""Batches of report runs: one notebook, many parameter sets, several processes, one summary.

The parameter sets come from a grid (:mod:`scrm_lab.reports._grid`), each checked before
anything runs. Runs then execute in separate processes (``spawn``), each one an ordinary
:func:`scrm_lab.reports.run_report` with its own run folder. A failed run does not stop the
batch. The summary is published atomically as::

    <output_dir>/_batches/<notebook>-<YYYYmmddTHHMMSSZ>-<hash8>[-N]/
        summary.csv     one row per run, in grid order (columns: see run_batch), written by
                        scrm_lab.io.write_table: text a spreadsheet would run as a formula
                        (a parameter "=HYPERLINK(...)") gets a leading ', numbers stay numbers
        summary.html    the same table, self-contained, with links to each run's report
        batch.json      notebook, grid as given, workers, timeout, times, counts

and ``<output_dir>/index.html`` is rebuilt to list it.

Examples
--------
>>> BatchResult.__dataclass_fields__["n_failed"].type
'int'
"""

from __future__ import annotations

import hashlib
import html
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor, as_completed, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from scrm_lab._checks import Flag, Integer, checks
from scrm_lab.exceptions import ReportExecutionError
from scrm_lab.io import write_table
from scrm_lab.reports._catalog import FOLDER, NOTEBOOK, TIMEOUT
from scrm_lab.reports._grid import GRID, _mask, _masked_spec, _Plan, _plan
from scrm_lab.reports._index import BATCHES, write_index
from scrm_lab.reports._staging import output_folder, publish, staging_folder

__all__ = ["BatchResult", "run_batch"]

_STATUS_CSS = {"succeeded": "ok", "failed": "failed", "cancelled": "other"}
_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
  color: #1f2328; margin: 24px; font-size: 14px; }
h1 { font-size: 22px; margin: 0 0 4px 0; } .meta { color: #59636e; margin: 0 0 16px 0; }
table { border-collapse: collapse; } a { color: #0969da; }
th, td { text-align: left; vertical-align: top; padding: 5px 12px 5px 0;
  border-bottom: 1px solid #d0d7de; }
th { font-weight: 600; white-space: nowrap; border-bottom: 2px solid #d0d7de; }
td { font-size: 13px; word-break: break-word; }
.ok { color: #1a7f37; font-weight: 600; } .failed { color: #cf222e; font-weight: 600; }
.other { color: #9a6700; font-weight: 600; }
"""


@dataclass(frozen=True)
class BatchResult:
    """A finished batch.

    Attributes
    ----------
    folder : pathlib.Path
        The batch's folder in ``<output_dir>/_batches/``.
    summary : pandas.DataFrame
        One row per run, in grid order (the columns are listed in :func:`run_batch`).
    csv, html : pathlib.Path
        ``summary.csv`` and ``summary.html`` in that folder.
    n_runs, n_failed : int
        Runs in the batch, and how many of them failed.
    """

    folder: Path
    summary: pd.DataFrame
    csv: Path
    html: Path
    n_runs: int
    n_failed: int


@dataclass(frozen=True)
class _Outcome:
    """What a worker reports back about one run (picklable)."""

    status: str  # "succeeded", "failed" or "cancelled"
    folder: str | None  # the run folder, when one was published
    error: str  # "" or "Name: first line of the message"
    duration_s: float | None


def _first_line(text: object) -> str:
    lines = [line for line in str(text).splitlines() if line.strip()]
    return lines[0].strip() if lines else ""


def _error(name: object, message: object) -> str:
    """``Name: first line of the message`` (just the name without a message)."""
    first = _first_line(message or "")
    return f"{name}: {first}" if first else str(name)


def _start_worker(stop: Any) -> None:
    global _stop
    _stop = stop


def _run_one(source: str, parameters: dict[str, Any], output_dir: str, timeout: Any) -> _Outcome:
    """One run, in a worker process: a failure is reported, never raised."""
    from scrm_lab.reports._run import run_report

    if _stop is not None and _stop.is_set():  # queued before a Ctrl-C: do not start it
        return _Outcome("cancelled", None, "", None)
    start = time.perf_counter()
    try:
        run = run_report(source, parameters, output_dir=output_dir, timeout=timeout)
    except ReportExecutionError as err:
        error = _error(err.error_name, err.error_value)
        return _Outcome("failed", err.output_dir, error, time.perf_counter() - start)
    except Exception as err:  # anything else fails this run only
        return _Outcome(
            "failed", None, _error(type(err).__name__, err), time.perf_counter() - start
        )
    return _Outcome("succeeded", str(run.output_dir), "", time.perf_counter() - start)


def _pool(
    indices: list[int],
    submit: Callable[[ProcessPoolExecutor, int], Future],
    workers: int,
    done: Callable[[int, _Outcome], None],
) -> list[int]:
    """Run ``indices`` in one pool of spawned processes; return those lost to a crash.

    On Ctrl-C the runs not started are cancelled and the runs under way are waited for
    (a second Ctrl-C stops waiting: they finish unwatched); then KeyboardInterrupt is raised
    again.
    """
    context = multiprocessing.get_context("spawn")
    stop = context.Event()  # the pool hands a few runs to its workers ahead of time
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(indices)),
        mp_context=context,
        initializer=_start_worker,
        initargs=(stop,),
    )
    futures = {submit(pool, i): i for i in indices}
    lost = []

    def collect(future: Future) -> None:
        index = futures[future]
        try:
            done(index, future.result())
        except BrokenProcessPool:  # the worker died: the run may not be to blame
            lost.append(index)
        except Exception as err:  # e.g. a result that cannot be sent back
            done(index, _Outcome("failed", None, _error(type(err).__name__, err), None))

    try:
        for future in as_completed(futures):
            collect(future)
    except KeyboardInterrupt:
        stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
        try:
            finished, _ = wait(futures)
        except KeyboardInterrupt:
            finished = {f for f in futures if f.done()}
        for future in finished:
            if not future.cancelled() and future.exception() is None:
                done(futures[future], future.result())
        raise
    pool.shutdown(wait=True)
    return lost


def _execute(
    plan: _Plan, root: Path, workers: int, timeout: Any, progress: bool
) -> tuple[dict[int, _Outcome], KeyboardInterrupt | None]:
    """Run every planned run: ``({index: outcome}, the Ctrl-C that stopped it or None)``."""
    from tqdm import tqdm

    outcomes: dict[int, _Outcome] = {}
    bar = tqdm(
        total=len(plan.runs),
        desc=f"batch {plan.name}",
        unit="run",
        file=sys.stderr,
        disable=not progress,
    )

    def done(index: int, outcome: _Outcome) -> None:
        if index not in outcomes:
            outcomes[index] = outcome
            failed = sum(o.status == "failed" for o in outcomes.values())
            bar.set_postfix(failed=failed, refresh=False)
            bar.update()

    def submit(pool: ProcessPoolExecutor, index: int) -> Future:
        return pool.submit(_run_one, str(plan.source), plan.runs[index], str(root), timeout)

    try:
        lost = _pool(list(range(len(plan.runs))), submit, workers, done)
        for index in lost:  # alone this time, so a crash is the run's own
            if _pool([index], submit, 1, done):
                died = "BrokenProcessPool: the worker process died while running it (twice)"
                done(index, _Outcome("failed", None, died, None))
    except KeyboardInterrupt as interrupt:
        return outcomes, interrupt
    finally:
        bar.close()
    return outcomes, None


# -------------------------------------------------------------------------------- summary


def _read_status(folder: Path) -> dict[str, Any]:
    try:
        status = json.loads((folder / "status.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return status if isinstance(status, dict) else {}


def _summary(
    plan: _Plan, root: Path, outcomes: dict[int, _Outcome]
) -> tuple[list[str], list[dict[str, Any]]]:
    """The summary's columns and rows (values as read: an int stays an int next to a gap)."""
    rows, result_names = [], {}
    for index, given in enumerate(plan.runs):
        outcome = outcomes.get(index, _Outcome("cancelled", None, "", None))
        folder = Path(outcome.folder) if outcome.folder else None
        status = _read_status(folder) if folder else {}
        error = status.get("error")
        message = outcome.error
        if isinstance(error, dict):  # status.json has the message with secrets hidden
            message = _error(error.get("error_name"), error.get("error_value"))
        parameters = status.get("parameters")
        if not isinstance(parameters, dict):
            parameters = _mask(given, plan.secret)
        results = status.get("results") if isinstance(status.get("results"), dict) else {}
        result_names.update(dict.fromkeys(results))
        html_file = folder / f"{plan.name}.html" if folder else None
        rows.append(
            {
                "run": index + 1,
                "status": status.get("status", outcome.status),
                "duration_s": status.get("duration_s", outcome.duration_s),
                **{f"param_{k}": v for k, v in parameters.items()},
                **{f"result_{k}": v for k, v in results.items()},
                "error": message,
                "folder": folder.relative_to(root).as_posix() if folder else "",
                "html": html_file.relative_to(root).as_posix()
                if html_file and html_file.is_file()
                else "",
            }
        )
    columns = [
        "run",
        "status",
        "duration_s",
        *[f"param_{k}" for k in plan.runs[0]],
        *[f"result_{k}" for k in result_names],
        "error",
        "folder",
        "html",
    ]
    return columns, rows


def _value(value: Any) -> Any:
    """A summary cell for the CSV: numbers, text and gaps as read, lists and mappings as JSON."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _text(value: Any) -> str:
    """A summary cell as the HTML table shows it: text, the CSV's value written out."""
    value = _value(value)
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _shown_number(text: str) -> str:
    """A number with a fraction at 4 significant digits, for people; other text as it is."""
    try:
        value = float(text)
    except ValueError:
        return text
    return f"{value:.4g}" if "." in text or "e" in text.lower() else text


def _summary_html(title: str, meta: str, table: list[list[str]]) -> str:
    """The summary for people: parameters the same in every run go above the table, the
    others and the results are columns, numbers at 4 significant digits (the CSV keeps all
    columns and full precision)."""
    e = html.escape
    header, *rows = table
    same = [
        at
        for at, name in enumerate(header)
        if name.startswith("param_") and len(rows) > 1 and len({r[at] for r in rows}) == 1
    ]
    kept = [at for at in range(len(header)) if at not in same]
    fixed = ", ".join(f"{header[at].removeprefix('param_')}={rows[0][at]}" for at in same)
    status_at, folder_at, html_at = (header.index(c) for c in ("status", "folder", "html"))
    body = []
    for row in rows:
        cells = {at: e(_shown_number(v) if header[at].startswith("result_") else v)
                 for at, v in enumerate(row)}  # fmt: skip
        css = _STATUS_CSS.get(row[status_at], "other")
        cells[status_at] = f"<span class='{css}'>{cells[status_at]}</span>"
        for at, end in ((folder_at, "/"), (html_at, "")):
            if row[at]:  # links from _batches/<batch>/ back to the run
                cells[at] = f"<a href='{e(quote('../../' + row[at] + end))}'>{cells[at]}</a>"
        body.append("<tr>" + "".join(f"<td>{cells[at]}</td>" for at in kept) + "</tr>")
    head = "".join(f"<th>{e(header[at])}</th>" for at in kept)
    same_line = f"<p class='meta'>The same in every run: {e(fixed)}</p>" if fixed else ""
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body><main>"
        f"<h1>{e(title)}</h1><p class='meta'>{meta}</p>{same_line}"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        "</main></body></html>\n"
    )


def _write_batch(
    plan: _Plan,
    root: Path,
    summary: tuple[list[str], list[dict[str, Any]]],
    info: dict[str, Any],
    started: datetime,
) -> Path:
    """Build the batch folder in a hidden staging folder, then rename it into place."""
    parent = root / BATCHES
    shown = [_mask(r, plan.secret) for r in plan.runs]
    digest = hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()
    batch_id = f"{plan.name}-{started:%Y%m%dT%H%M%SZ}-{digest[:8]}"
    columns, rows = summary
    table = [columns] + [[_text(row.get(c)) for c in columns] for row in rows]
    counts = info["counts"]
    meta = (
        f"{counts['runs']} runs: {counts['succeeded']} succeeded, {counts['failed']} failed, "
        f"{counts['cancelled']} cancelled · started {info['started']} · finished "
        f"{info['finished']} (UTC) · {info['workers']} worker{'s' * (info['workers'] != 1)}"
    )
    links = "<a href='summary.csv'>CSV</a> · <a href='../../index.html'>all reports</a>"
    with staging_folder(parent, plan.name) as staging:
        values = [[_value(row.get(c)) for c in columns] for row in rows]
        write_table(pd.DataFrame(values, columns=columns, dtype=object), staging / "summary.csv")
        page = _summary_html(f"Batch of {plan.name}", f"{html.escape(meta)} · {links}", table)
        (staging / "summary.html").write_text(page, encoding="utf-8")
        (staging / "batch.json").write_text(
            json.dumps(info, indent=2, ensure_ascii=False, default=str) + "\n",
            encoding="utf-8",
        )
        return publish(staging, parent, batch_id)


@checks(
    notebook=NOTEBOOK,
    grid=GRID,
    workers=Integer(low=1),
    output_dir=FOLDER,
    timeout=TIMEOUT,
    progress=Flag(),
)
def run_batch(
    notebook: str | os.PathLike,
    grid: str | os.PathLike | Mapping[str, Any],
    *,
    workers: int = 2,
    output_dir: str | os.PathLike = "reports",
    timeout: float | None = 600,
    progress: bool = False,
) -> BatchResult:
    """Run a notebook once per parameter set of a grid, in parallel, and summarize the runs.

    Every parameter set is checked before any run starts (see :func:`read_grid`). Each run
    is an ordinary :func:`~scrm_lab.reports.run_report` in a worker process (started with
    ``spawn``), with its own run folder in ``output_dir``. A failed run is recorded and the
    batch goes on; so is a run whose worker process died (it is retried once alone, so
    that runs that shared the pool with it are not blamed).

    Parameters
    ----------
    notebook : str or path-like
        A catalog name or a path to an ``.ipynb`` file.
    grid : str, path-like or mapping
        A YAML file or a mapping with keys ``parameters``, ``grid`` and ``runs`` (see
        :func:`read_grid`).
    workers : int, default 2
        Runs at the same time (worker processes; at most one per run). Each run also starts
        a kernel, so more workers than cores rarely helps.
    output_dir : str or path-like, default "reports"
        Where the run folders, the batch folder (``_batches/``) and ``index.html`` go.
    timeout : float or None, default 600
        Seconds a single cell may run, in every run; None: no limit.
    progress : bool, default False
        Show a progress bar over the runs (on stderr).

    Returns
    -------
    BatchResult
        The batch folder, the summary and its files, the numbers of runs and failed runs.
        The summary has one row per run, in grid order, with the columns ``run`` (1-based),
        ``status`` (``succeeded``, ``failed``, ``cancelled``), ``duration_s``, one
        ``param_<name>`` per parameter (as ``status.json`` shows it: secret ones are
        ``<secret>``), one ``result_<name>`` per key result any run recorded, ``error``
        (``Name: first line of the message``, or ``""``), ``folder`` and ``html`` (the run
        folder and its report, relative to ``output_dir``; ``""`` when there is none).

    Raises
    ------
    ParameterError, DataFileError
        A bad grid, notebook, ``workers`` or ``timeout``; nothing runs and nothing is
        written.
    KeyboardInterrupt
        On Ctrl-C: the runs not yet started are cancelled, the runs under way are waited
        for (press Ctrl-C again to stop waiting; they then finish unwatched), the summary
        is written with ``cancelled`` rows, then the interrupt goes on.

    Notes
    -----
    Worker processes start with ``spawn``, which imports the calling script again: in a
    script of your own, call this under ``if __name__ == "__main__":`` (notebooks and the
    ``scrm-lab`` command need nothing).

    Examples
    --------
    >>> run_batch("dataset_overview", {"grid": {"max_rows": [5, 0]}})
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.ParameterError: run 2 of the grid (grid combination max_rows=0): \
The parameter 'max_rows'...must be in [1, 1000]...
    """
    plan = _plan(grid, notebook)
    root = output_folder(output_dir)
    started = datetime.now(UTC)
    workers = min(int(workers), len(plan.runs))
    outcomes, interrupt = _execute(plan, root, workers, timeout, progress)
    finished = datetime.now(UTC)
    columns, rows = _summary(plan, root, outcomes)
    states = [row["status"] for row in rows]
    counts = {
        "runs": len(states),
        **{s: states.count(s) for s in ("succeeded", "failed", "cancelled")},
    }
    info = {
        "notebook": plan.name,
        "notebook_path": str(plan.source),
        "grid_file": str(plan.grid_file.resolve()) if plan.grid_file else None,
        "grid": _masked_spec(plan.spec, plan.secret),
        "workers": workers,
        "timeout": timeout,
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "duration_s": round((finished - started).total_seconds(), 3),
        "interrupted": interrupt is not None,
        "counts": counts,
    }
    folder = _write_batch(plan, root, (columns, rows), info, started)
    write_index(root)
    if interrupt is not None:
        raise interrupt
    return BatchResult(
        folder=folder,
        summary=pd.DataFrame(rows, columns=columns),
        csv=folder / "summary.csv",
        html=folder / "summary.html",
        n_runs=len(states),
        n_failed=counts["failed"],
    )
