"""HTML of a report run: nbconvert's page without code, headed by what was run and how.

Private to :mod:`scrm_lab.reports`.
"""

from __future__ import annotations

import copy
import html
import json
import re
from collections.abc import Mapping
from typing import Any

_ERROR_MARKER_TAG = "papermill-error-cell-tag"  # papermill's own error banner cells


def clean_cells(nb: Any) -> list[Any]:
    """The executed notebook's cells without papermill's error banner cells."""
    return [c for c in nb.cells if _ERROR_MARKER_TAG not in c.metadata.get("tags", [])]


_HEADER_CSS = """<style>
.scrm-header, .scrm-banner { font-family: system-ui, -apple-system, "Segoe UI", Helvetica,
  Arial, sans-serif; border-radius: 6px; margin: 0 0 16px 0; padding: 10px 16px; }
.scrm-header { font-size: 13px; color: #1f2328; border: 1px solid #d0d7de; background: #f6f8fa; }
.scrm-header h2 { font-size: 14px; margin: 8px 0 4px 0; }
.scrm-header table { border-collapse: collapse; margin: 0; font-size: 12.5px; }
.scrm-header th, .scrm-header td { text-align: left; padding: 2px 16px 2px 0;
  vertical-align: top; border: none; background: none; }
.scrm-header th { font-weight: 600; white-space: nowrap; }
.scrm-header code { font-size: 12px; word-break: break-all; }
.scrm-ok { color: #1a7f37; font-weight: 600; } .scrm-failed { color: #cf222e; font-weight: 600; }
.scrm-banner { background: #ffebe9; border: 2px solid #cf222e; color: #82071e; font-size: 14px; }
.scrm-banner pre { white-space: pre-wrap; margin: 6px 0; font-size: 13px; }
</style>"""


def _e(value: Any) -> str:
    return html.escape(str(value))


def _table(rows: list[tuple[str, ...]]) -> str:
    body = "".join(
        "<tr>" + f"<th>{row[0]}</th>" + "".join(f"<td>{c}</td>" for c in row[1:]) + "</tr>"
        for row in rows
    )
    return f"<table>{body}</table>"


def header_html(status: Mapping[str, Any], provenance: Mapping[str, Any]) -> str:
    """The block on top of every report: what was run, on what data, with what, and how."""
    parameters, defaults = status["parameters"], provenance["defaults"]
    versions, state, error = provenance["packages"], status["status"], status["error"]
    facts = [
        (
            "Notebook",
            f"{_e(status['notebook'])} &nbsp;<code>sha256 "
            f"{_e(provenance['notebook']['sha256'])}</code>",
        ),
        (
            "Status",
            f"<span class='scrm-{'ok' if state == 'succeeded' else 'failed'}'>{_e(state)}</span>",
        ),
        ("Started (UTC)", _e(status["started"])),
        ("Duration", f"{status['duration_s']:.1f} s"),
    ]
    if "seed" in parameters:
        facts.append(("Seed", f"<code>{_e(parameters['seed'])}</code>"))
    facts.append(
        (
            "Software",
            " · ".join(
                [f"{p} {_e(versions.get(p))}" for p in ("scrm_lab", "pandas", "papermill")]
                + [f"Python {_e(provenance['python'])}"]
            ),
        )
    )
    params = [
        (
            _e(k),
            f"<code>{_e(json.dumps(v, ensure_ascii=False))}</code>",
            "default" if k in defaults and defaults[k] == v else "given",
        )
        for k, v in parameters.items()
    ]
    data = [
        (_e(n), _e(f), f"<code>sha256 {_e(s)}</code>")
        for n, files in provenance["datasets"].items()
        for f, s in files.items()
    ]
    banner = ""
    if error:
        cell = error["cell_index"]
        where = "an unknown cell" if cell is None else f"cell {cell}"
        banner = (
            f"<div class='scrm-banner'><strong>This report failed.</strong> The notebook "
            f"'{_e(status['notebook'])}' stopped at {where} (0-based, counting the cells of "
            f"the notebook file) with <strong>{_e(error['error_name'])}</strong>:"
            f"<pre>{_e(error['error_value'])}</pre>The output below stops there.</div>"
        )
    return (
        f"{banner}<div class='scrm-header'><h2>Report run</h2>{_table(facts)}"
        f"<h2>Parameters</h2>{_table(params) if params else 'none'}"
        + (f"<h2>Data sets</h2>{_table(data)}" if data else "")
        + "</div>"
    )


def render_html(nb: Any, *, title: str, header: str) -> str:
    """HTML without code cells (figures, tables, text), with ``header`` on top."""
    from nbconvert import HTMLExporter

    nb = copy.deepcopy(nb)
    nb.cells = clean_cells(nb)
    figure = 0
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            for mime in ("image/png", "image/jpeg", "image/svg+xml"):
                if mime in output.get("data", {}):
                    figure += 1
                    meta = output.setdefault("metadata", {}).setdefault(mime, {})
                    meta.setdefault("alt", f"Figure {figure} (output of cell {index})")
    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    page, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    # nbconvert sanitizes raw cells, so the header goes into the page: its style at the end
    # of <head>, its block first in <main> (<body> for templates without <main>).
    page = page.replace("</head>", f"{_HEADER_CSS}\n</head>", 1)
    match = re.search(r"<main[^>]*>", page) or re.search(r"<body[^>]*>", page)
    at = match.end() if match else 0
    return page[:at] + (header if match else _HEADER_CSS + header) + page[at:]
