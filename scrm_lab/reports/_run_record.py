"""What a notebook notes for its report run: key results and the data it read.

Runs inside the kernel. The report pipeline sets ``SCRM_LAB_RUN_RECORD`` to a file; each
note is appended to it as one JSON line, and the pipeline reads the file back after the run
(:func:`read_record`). Outside a pipeline run (an interactive notebook) notes go nowhere,
and :func:`record` just returns its value. The report package registers :func:`note_read`
with :mod:`scrm_lab._reads`, so the data loaders announce their reads without importing
the report layer.

Examples
--------
>>> record("rho", 0.42)
0.42
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path
from typing import Any

RECORD_ENV = "SCRM_LAB_RUN_RECORD"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,63}$")


def _append(entry: dict[str, Any]) -> None:
    target = os.environ.get(RECORD_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as file:
            file.write(json.dumps(entry, ensure_ascii=False) + "\n")


def record(name: str, value: Any) -> Any:
    """Record a key result of this report run under ``name``; return ``value`` unchanged.

    Key results go into the run's ``status.json`` (``"results"``), the reports index and the
    summary table of a batch (one ``result_<name>`` column each). Record the same name again
    to replace the value. Outside a pipeline run nothing is stored.

    Parameters
    ----------
    name : str
        Letters, digits, ``_``, ``.`` or ``-``, starting with a letter or ``_`` (64 at most).
    value : bool, int, float, str or None
        A single JSON value; numpy scalars are converted; NaN and infinities become None.

    Raises
    ------
    ParameterError
        If the name is malformed or the value is not a scalar.

    Examples
    --------
    >>> record("rho", 0.42)
    0.42
    >>> record("rho", [1, 2])
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.ParameterError: The 'value' parameter of record('rho', ...) must be \
one bool, int, float, str or None (a key result). Got list instead.
    """
    from scrm_lab.exceptions import ParameterError

    if not isinstance(name, str) or not _NAME.match(name):
        raise ParameterError(
            "The 'name' parameter of record must be letters, digits, '_', '.' or '-', "
            f"starting with a letter or '_' (64 at most). Got {name!r} instead."
        )
    stored = value.item() if type(value).__module__ == "numpy" and hasattr(value, "item") else value
    if not (stored is None or isinstance(stored, bool | int | float | str)):
        raise ParameterError(
            f"The 'value' parameter of record({name!r}, ...) must be one bool, int, float, str "
            f"or None (a key result). Got {type(value).__name__} instead."
        )
    if isinstance(stored, float) and not math.isfinite(stored):
        stored = None
    _append({"result": name, "value": stored})
    return value


def note_read(kind: str, name: str, sha256: str | None) -> None:
    """Note a shipped data set or a user's file the run read (a :mod:`scrm_lab._reads` listener)."""
    if kind == "dataset":
        _append({"dataset": name})
    elif kind == "engine":
        _append({"engine": name, "master": sha256})
    else:
        _append({"file": str(Path(name).resolve()), "sha256": sha256})


def read_record(path: Path) -> dict[str, Any]:
    """``{"results": {...}, "datasets": [...], "files": {path: sha256}, "engine": {...}}``
    from a record file; ``engine`` is ``{"name": "pandas"}`` unless DuckDB or Spark was used
    (the last one noted, with its ``master`` for Spark)."""
    found: dict[str, Any] = {
        "results": {}, "datasets": [], "files": {}, "engine": {"name": "pandas"}
    }  # fmt: skip
    if not path.is_file():
        return found
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short by a dying kernel
        if "result" in entry:
            found["results"][entry["result"]] = entry.get("value")
        elif "dataset" in entry and entry["dataset"] not in found["datasets"]:
            found["datasets"].append(entry["dataset"])
        elif "file" in entry:
            found["files"][entry["file"]] = entry.get("sha256")
        elif "engine" in entry:
            found["engine"] = {"name": entry["engine"], "master": entry.get("master")}
            found["engine"] = {k: v for k, v in found["engine"].items() if v is not None}
    return found
