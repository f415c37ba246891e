"""Small report notebooks written by tests: a title, a parameters cell, code cells."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def write_notebook(path: Path, parameters: str | None, *cells: str, title: str = "Tiny") -> Path:
    """Write a notebook: a Markdown title, an optional ``parameters`` cell, then code cells."""
    nb = new_notebook(cells=[new_markdown_cell(f"# {title}\n\nSome text.")])
    if parameters is not None:
        nb.cells.append(new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    nb.cells.extend(new_code_cell(source) for source in cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path
