"""The front page of a reports folder: ``<output_dir>/index.html``, every run and batch.

:func:`write_index` scans the run folders that :func:`scrm_lab.reports.run_report` publishes
(``<output_dir>/<notebook>/<run>/status.json``) and the batch folders that
:func:`scrm_lab.reports.run_batch` publishes (``<output_dir>/_batches/<batch>/batch.json``),
and writes one self-contained page (inline CSS, no script, no external address): a table of
batches with links to their summaries, then a table of runs, newest first, with their
status, duration, parameters, key results and links to the report, the executed notebook
and the folder. The run each notebook's ``latest.json`` points at is marked ``latest``.

Hidden folders (``.staging-*``, where runs are built) are skipped, and so are folders whose
``status.json`` cannot be read (the page says how many). Every text is HTML-escaped. The
page is rebuilt from the folders each time, under a lock on ``<output_dir>/.index.lock``,
written to a temporary file and renamed into place, so processes that finish runs at the
same moment neither lose a run nor leave a half-written page.

Examples
--------
>>> INDEX
'index.html'
"""

from __future__ import annotations

import html
import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from scrm_lab.exceptions import DataFileError

__all__ = ["write_index"]

INDEX = "index.html"
BATCHES = "_batches"  # the folder of batch summaries, next to the notebooks' folders
_LOCK = ".index.lock"
_LOCK_TIMEOUT_S = 300
_VALUE_CHARS = 60  # a parameter or result value longer than this is cut in the table

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
  color: #1f2328; margin: 24px; font-size: 14px; }
h1 { font-size: 22px; margin: 0 0 4px 0; } h2 { font-size: 17px; margin: 24px 0 8px 0; }
.meta { color: #59636e; margin: 0 0 12px 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 5px 10px 5px 0;
  border-bottom: 1px solid #d0d7de; }
th { font-weight: 600; white-space: nowrap; border-bottom: 2px solid #d0d7de; }
td.num { text-align: right; white-space: nowrap; }
code { font-size: 12.5px; word-break: break-word; }
.ok { color: #1a7f37; font-weight: 600; } .failed { color: #cf222e; font-weight: 600; }
.other { color: #9a6700; font-weight: 600; } .error { color: #82071e; font-size: 12.5px; }
.latest { background: #ddf4ff; color: #0969da; border-radius: 8px; padding: 0 6px;
  font-size: 11.5px; font-weight: 600; margin-left: 6px; }
tr.is-latest td { background: #f6f8fa; }
a { color: #0969da; }
"""


@dataclass(frozen=True)
class _Run:
    notebook: str  # the notebook folder's name
    folder: str  # the run folder's name
    status: dict[str, Any]
    defaults: dict[str, Any]  # the notebook's defaults, from provenance.json
    html: bool  # whether the report and executed notebook files exist
    ipynb: bool
    latest: bool


@dataclass(frozen=True)
class _Batch:
    folder: str
    info: dict[str, Any]
    summary_html: bool
    summary_csv: bool


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _href(*parts: str) -> str:
    """A relative link from the index to ``parts``, each path segment URL-quoted."""
    return _e("/".join(quote(part) for part in parts))


def _read_json(path: Path) -> dict[str, Any] | None:
    """The JSON object in ``path``, or None when it is missing, unreadable or not an object."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return content if isinstance(content, dict) else None


def _visible_dirs(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]
    except OSError:
        return []


def _text(content: dict[str, Any], key: str) -> str:
    return str(content.get(key) or "")


def _scan_runs(root: Path) -> tuple[list[_Run], int]:
    """Every readable run under ``root`` and the number of run folders that were skipped."""
    runs, skipped = [], 0
    for notebook_dir in _visible_dirs(root):
        if notebook_dir.name == BATCHES:
            continue
        pointer = _read_json(notebook_dir / "latest.json") or {}
        for run_dir in _visible_dirs(notebook_dir):
            status = _read_json(run_dir / "status.json")
            if status is None:
                skipped += 1
                continue
            name = notebook_dir.name
            runs.append(
                _Run(
                    notebook=name,
                    folder=run_dir.name,
                    status=status,
                    defaults=(_read_json(run_dir / "provenance.json") or {}).get("defaults") or {},
                    html=(run_dir / f"{name}.html").is_file(),
                    ipynb=(run_dir / f"{name}.ipynb").is_file(),
                    latest=pointer.get("run") == run_dir.name,
                )
            )
    runs.sort(
        key=lambda r: (_text(r.status, "started"), _text(r.status, "finished"), r.folder),
        reverse=True,
    )
    return runs, skipped


def _scan_batches(root: Path) -> list[_Batch]:
    batches = []
    for folder in _visible_dirs(root / BATCHES):
        info = _read_json(folder / "batch.json")
        if info is not None:
            batches.append(
                _Batch(
                    folder=folder.name,
                    info=info,
                    summary_html=(folder / "summary.html").is_file(),
                    summary_csv=(folder / "summary.csv").is_file(),
                )
            )
    batches.sort(key=lambda b: (_text(b.info, "started"), b.folder), reverse=True)
    return batches


def _short(value: Any) -> str:
    """A value as compact JSON (strings unquoted unless empty; fractions at 4 significant
    digits), cut to ``_VALUE_CHARS``."""
    if isinstance(value, float):
        text = f"{value:.4g}"
    elif isinstance(value, str) and value:
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 1] + "…"


def _pairs(values: Any) -> str:
    """``name=value`` pairs of a mapping, escaped, one ``<code>`` each."""
    if not isinstance(values, dict):
        return "" if values is None else f"<code>{_e(_short(values))}</code>"
    return " ".join(f"<code>{_e(k)}={_e(_short(v))}</code>" for k, v in values.items())


def _changed(parameters: Any, defaults: dict[str, Any]) -> str:
    """The parameters that differ from the notebook's defaults (all of them without
    defaults to compare with), or "defaults"."""
    if not isinstance(parameters, dict):
        return _pairs(parameters)
    changed = {k: v for k, v in parameters.items() if k not in defaults or defaults[k] != v}
    return _pairs(changed) if changed else "<span class='meta'>defaults</span>"


def _status_cell(status: dict[str, Any]) -> str:
    state = str(status.get("status") or "unknown")
    css = {"succeeded": "ok", "failed": "failed"}.get(state, "other")
    cell = f"<span class='{css}'>{_e(state)}</span>"
    error = status.get("error")
    if isinstance(error, dict):
        name = error.get("error_name") or "error"
        index = error.get("cell_index")
        where = f" at cell {index}" if index is not None else ""
        message = str(error.get("error_value") or "").strip()
        first = message.splitlines()[0] if message else ""
        cell += f"<div class='error' title='{_e(first)}'>{_e(name)}{_e(where)}</div>"
    return cell


def _duration(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:.1f} s"
    return ""


def _tr(cells: list[str], *, numeric: set[int], css: str = "") -> str:
    """A table row of HTML cells; the ``numeric`` ones right-aligned."""
    tds = "".join(
        f"<td class='num'>{cell}</td>" if at in numeric else f"<td>{cell}</td>"
        for at, cell in enumerate(cells)
    )
    return f"<tr class='{css}'>{tds}</tr>" if css else f"<tr>{tds}</tr>"


def _run_row(run: _Run) -> str:
    status, name = run.status, run.notebook
    links = [
        f"<a href='{_href(name, run.folder, name + '.html')}'>report</a>" if run.html else "",
        f"<a href='{_href(name, run.folder, name + '.ipynb')}'>notebook</a>" if run.ipynb else "",
        f"<a href='{_href(name, run.folder)}/'>folder</a>",
    ]
    badge = "<span class='latest' title='latest.json points here'>latest</span>"
    cells = [
        _e(status.get("started") or ""),
        _e(name) + (badge if run.latest else ""),
        _status_cell(status),
        _duration(status.get("duration_s")),
        _changed(status.get("parameters"), run.defaults),
        _pairs(status.get("results")),
        " · ".join(link for link in links if link),
    ]
    return _tr(cells, numeric={3}, css="is-latest" if run.latest else "")


def _batch_row(batch: _Batch) -> str:
    info = batch.info
    counts = info.get("counts") if isinstance(info.get("counts"), dict) else {}
    links = [
        f"<a href='{_href(BATCHES, batch.folder, 'summary.html')}'>summary</a>"
        if batch.summary_html
        else "",
        f"<a href='{_href(BATCHES, batch.folder, 'summary.csv')}'>CSV</a>"
        if batch.summary_csv
        else "",
    ]
    failed = counts.get("failed") or 0
    cells = [
        _e(info.get("started") or ""),
        _e(info.get("notebook") or ""),
        _e(counts.get("runs", "")),
        _e(counts.get("succeeded", "")),
        f"<span class='failed'>{_e(failed)}</span>" if failed else _e(failed),
        _e(counts.get("cancelled", "")),
        " · ".join(link for link in links if link),
    ]
    return _tr(cells, numeric={2, 3, 4, 5})


def _table(header: list[str], rows: list[str]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _page(root: Path, runs: list[_Run], skipped: int, batches: list[_Batch]) -> str:
    states = [str(r.status.get("status")) for r in runs]
    notebooks = {r.notebook for r in runs}
    summary = (
        f"{len(runs)} run{'s' * (len(runs) != 1)} of {len(notebooks)} "
        f"notebook{'s' * (len(notebooks) != 1)}: {states.count('succeeded')} succeeded, "
        f"{states.count('failed')} failed · {len(batches)} batch{'es' * (len(batches) != 1)}"
        f" · updated {datetime.now(UTC).isoformat(timespec='seconds')}"
    )
    parts = [f"<h1>Reports in {_e(root.name)}</h1>", f"<p class='meta'>{_e(summary)}</p>"]
    if batches:
        header = ["Started (UTC)", "Notebook", "Runs", "Succeeded", "Failed", "Cancelled", ""]
        parts += ["<h2>Batches</h2>", _table(header, [_batch_row(b) for b in batches])]
    parts.append("<h2>Runs</h2>")
    if runs:
        header = [
            "Started (UTC)",
            "Notebook",
            "Status",
            "Duration",
            "Parameters (not default)",
            "Key results",
            "",
        ]
        parts.append(_table(header, [_run_row(r) for r in runs]))
    else:
        parts.append("<p>No runs yet.</p>")
    if skipped:
        parts.append(
            f"<p class='meta'>{skipped} run folder{'s' * (skipped != 1)} without a readable "
            "status.json left out.</p>"
        )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Reports in {_e(root.name)}</title><style>{_CSS}</style></head>"
        f"<body><main>{''.join(parts)}</main></body></html>\n"
    )


def write_index(output_dir: str | os.PathLike = "reports") -> Path:
    """Rebuild ``<output_dir>/index.html``, the page listing every run and batch there.

    Parameters
    ----------
    output_dir : str or path-like, default "reports"
        The ``output_dir`` given to :func:`~scrm_lab.reports.run_report` and
        :func:`~scrm_lab.reports.run_batch`.

    Returns
    -------
    pathlib.Path
        The page: runs newest first (notebook, start, status with the error and failing cell,
        duration, parameters, key results, links to the report, the executed notebook and
        the folder; ``latest`` marks each notebook's last successful run), and the batches
        with links to their summaries. Links are relative, so the folder can be moved.

    Raises
    ------
    DataFileError
        If ``output_dir`` is not a folder, or the index lock is held for over 5 minutes.

    Examples
    --------
    >>> import tempfile
    >>> write_index(tempfile.mkdtemp()).name
    'index.html'
    """
    from filelock import FileLock, Timeout

    root = Path(output_dir).expanduser().resolve()
    if not root.is_dir():
        raise DataFileError(f"reports folder '{root}' does not exist; run a report there first")
    lock = FileLock(root / _LOCK, timeout=_LOCK_TIMEOUT_S)
    target = root / INDEX
    try:
        with lock:
            runs, skipped = _scan_runs(root)
            page = _page(root, runs, skipped, _scan_batches(root))
            tmp = root / f".{INDEX}.{uuid.uuid4().hex}.tmp"
            try:
                tmp.write_text(page, encoding="utf-8")
                os.replace(tmp, target)
            finally:
                tmp.unlink(missing_ok=True)
    except Timeout as err:
        raise DataFileError(
            f"could not lock '{root / _LOCK}' within {_LOCK_TIMEOUT_S} s to write the index: "
            "another process holds it"
        ) from err
    return target
