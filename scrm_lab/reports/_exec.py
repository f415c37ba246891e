"""Running a report notebook: the kernel's environment, secrets, papermill, failures.

Private to :mod:`scrm_lab.reports`, which documents the behaviour: :func:`execute` runs the
notebook and returns a failure instead of raising, :func:`locate` names the failing cell as
the notebook file counts it, and :func:`redact` hides secret values in what is written.

Examples
--------
>>> redact("token abc123 used", ["abc123"])
'token <secret> used'
"""

from __future__ import annotations

import copy
import math
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrm_lab.exceptions import ParameterError
from scrm_lab.reports._html import INJECTED_TAG, SECRETS_TAG, clean_cells
from scrm_lab.reports._params import SECRET_ENV_PREFIX, SECRET_SHOWN_AS, python_literal

PARAMETERS_TAG = "parameters"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # figures drawn into the report


@dataclass(frozen=True)
class Failure:
    cell_index: int | None  # in the source notebook
    error_name: str
    error_value: str


@contextmanager
def kernel_environment(variables: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the kernel while it starts, and restore them after.

    The kernel inherits them: ``variables`` (the run record file, secret values),
    ``MPLBACKEND`` set to the inline backend (a caller's ``MPLBACKEND=Agg``, common on
    servers and in cron, would make every figure silently vanish from the report) and
    ``PYTHONPATH`` with this scrm_lab's parent folder, since a checkout that is not
    installed would not be importable from the kernel's temporary folder.
    """
    import scrm_lab

    root = Path(scrm_lab.__file__).resolve().parent.parent
    wanted = {"MPLBACKEND": INLINE_BACKEND, **variables}
    if root.name not in {"site-packages", "dist-packages"}:
        old = os.environ.get("PYTHONPATH")
        wanted["PYTHONPATH"] = os.pathsep.join([str(root), *([old] if old else [])])
    saved = {key: os.environ.get(key) for key in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def check_kernel(kernel_name: str | None) -> None:
    if kernel_name is None:
        return
    from jupyter_client.kernelspec import KernelSpecManager

    installed = KernelSpecManager().find_kernel_specs()
    if kernel_name not in installed:
        raise ParameterError(
            "The 'kernel_name' parameter must be an installed Jupyter kernel "
            f"({', '.join(sorted(installed)) or 'none found'}). Got {kernel_name!r} instead."
        )


def with_parameters(nb: Any, values: Mapping[str, Any], secrets: list[str]) -> Any:
    """A copy of ``nb`` with the run's parameters in cells after the ``parameters`` cell.

    ``values`` (checked plain data) are written as Python literals (:func:`python_literal`),
    as papermill's injected cell would hold them but without its translator, which pastes
    some values into the code unescaped. ``secrets`` are read from the environment by a
    second cell, so their values are never written into the notebook.
    """
    import nbformat

    nb = copy.deepcopy(nb)
    at = next(
        (i for i, c in enumerate(nb.cells) if PARAMETERS_TAG in c.metadata.get("tags", [])), -1
    )
    added = []
    if values:
        added.append((python_literal(values), INJECTED_TAG))
    if secrets:
        lines = ["# Secret parameters, read from the environment: values are never written.",
                 "import os as _os"]  # fmt: skip
        lines += [f"{n} = _os.environ[{SECRET_ENV_PREFIX + n.upper()!r}]" for n in secrets]
        added.append(("\n".join(lines), SECRETS_TAG))
    for offset, (source, tag) in enumerate(added, 1):
        cell = nbformat.v4.new_code_cell(source, id=tag)  # not random: reruns are identical
        cell.metadata["tags"] = [tag]
        nb.cells.insert(at + offset, cell)
    return nb


def execute(
    nb: Any,
    output: Path,
    *,
    cwd: Path,
    kernel_name: str | None,
    timeout: float | None,
    progress: bool,
) -> Failure | None:
    """Run ``nb`` (parameters already in it: :func:`with_parameters`) with papermill into
    ``output``; a failure is returned, not raised."""
    import papermill
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    extra = {"kernel_name": kernel_name} if kernel_name else {}
    if not nb.metadata.get("kernelspec", {}).get("name"):  # saved without a kernel
        extra = {"kernel_name": kernel_name or "python3", "language": "python"}
    index: int | None = None  # of the failing cell, in the executed notebook
    try:
        papermill.execute_notebook(
            copy.deepcopy(nb),
            str(output).replace("{", "{{").replace("}", "}}"),  # papermill formats it
            cwd=str(cwd),
            progress_bar=progress,
            execution_timeout=None if timeout is None else math.ceil(timeout),  # whole s
            log_output=False,
            kernel_manager_class=_kernel_manager_class(),
            **extra,
        )
        return None
    except PapermillExecutionError as err:
        index, name, value = err.cell_index, str(err.ename), str(err.evalue)
    except DeadKernelError as err:
        name = "DeadKernelError"
        value = (
            f"{str(err) or 'the kernel died'}: the kernel process ended mid-run (killed, for "
            "example for using too much memory, or crashed)"
        )
    except TimeoutError as err:  # nbclient's CellTimeoutError is a TimeoutError
        name = type(err).__name__
        value = str(err).splitlines()[0] if str(err) else f"a cell ran over {timeout} s"
    return Failure(index, name, value)


def _kernel_manager_class() -> type:
    """Kernels talk over Unix sockets (IPC) where there are any, not TCP ports.

    With TCP, jupyter_client picks free ports and the new kernel binds them a moment later;
    kernels starting at once (a batch, two batches) can take each other's ports, and the
    loser hangs until its start-up timeout. IPC sockets are files named after the kernel's
    own connection file, so they cannot collide (and nothing listens on the network).
    """
    from jupyter_client import AsyncKernelManager
    from traitlets import default

    if os.name == "nt":  # no IPC transport on Windows
        return AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        @default("transport")
        def _transport_default(self) -> str:
            return "ipc"

    return IPCKernelManager


def _source_index(cells: list[Any], index: int) -> int:
    """A cell index of the executed notebook as counted in the notebook file."""
    added = (INJECTED_TAG, SECRETS_TAG)
    return index - sum(any(t in c.metadata.get("tags", []) for t in added) for c in cells[:index])


def locate(executed: Any, failure: Failure | None) -> Failure | None:
    """Fill in the failing cell, and catch an error output papermill let through.

    A dead kernel or a timeout has no cell index: the last cell papermill started is the
    one. A run that "succeeded" with an error output in a cell not tagged
    ``raises-exception`` is a failure all the same: no run reports success past an error.
    """
    cells = clean_cells(executed)
    if failure is None:
        for i, cell in enumerate(cells):
            if "raises-exception" in cell.metadata.get("tags", []):
                continue
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    return Failure(_source_index(cells, i), out["ename"], out["evalue"])
        return None
    index = failure.cell_index
    if index is None:
        started = [
            i for i, c in enumerate(cells) if c.metadata.get("papermill", {}).get("start_time")
        ]
        index = started[-1] if started else None
    if index is not None:
        index = _source_index(cells, index)
    return Failure(index, failure.error_name, failure.error_value)


# <__main__.Thing at 0x7f3a5c2e1d90>: the kind before " at ", and the address
_ADDRESS = re.compile(r"(?P<kind>[\w.]*) at (?P<address>0x[0-9a-fA-F]{4,16})\b")
_STYLER_ID = re.compile(r"\bT_([0-9a-f]{5})(?=[_\"'\s{.,:#>])")  # pandas Styler's random uuid
_CELL_TIMES = ("start_time", "end_time", "duration")


def stable_outputs(executed: Any, source: Path) -> Any:
    """The executed notebook with what differs between identical runs made stable.

    Object addresses (``<... at 0x7f3a...>``) become ``0x1``, ``0x2``... in order of
    appearance, one number per kind and address (two objects of different kinds can take
    the same address in one run and not in the next, as memory is freed and reused);
    pandas Styler's random table ids (``T_4a2b1``) become ``T_s0001``...; the
    per-cell start/end times go (the run's own times stay in the notebook's metadata and the
    report's header), and the paths papermill records are the notebook's name, not the
    temporary folder. The same run twice then gives the same notebook and HTML, apart from
    the header's times.
    """
    addresses: dict[str, str] = {}
    styler_ids: dict[str, str] = {}

    def address(match: re.Match) -> str:
        key = f"{match['kind']} {match['address'].lower()}"
        return f"{match['kind']} at " + addresses.setdefault(key, f"0x{len(addresses) + 1}")

    def styler_id(match: re.Match) -> str:
        return "T_" + styler_ids.setdefault(match[1], f"s{len(styler_ids) + 1:04d}")

    def stable(text: Any, html: bool) -> Any:
        if isinstance(text, list):
            return [stable(t, html) for t in text]
        if not isinstance(text, str):
            return text
        text = _ADDRESS.sub(address, text)
        return _STYLER_ID.sub(styler_id, text) if html else text

    meta = executed.metadata.get("papermill", {})
    for key in ("input_path", "output_path"):
        if key in meta:
            meta[key] = source.name
    for cell in executed.cells:
        cell.metadata.pop("execution", None)
        for key in _CELL_TIMES:
            cell.metadata.get("papermill", {}).pop(key, None)
        for out in cell.get("outputs", []):
            if "text" in out:
                out["text"] = stable(out["text"], False)
            if "traceback" in out:
                out["traceback"] = stable(out["traceback"], False)
            if "evalue" in out:
                out["evalue"] = stable(out["evalue"], False)
            for kind, value in out.get("data", {}).items():
                if kind.startswith("text/"):
                    out["data"][kind] = stable(value, kind == "text/html")
    return executed


def redact(value: Any, secrets: list[str]) -> Any:
    """``value`` (strings, lists, dicts, nested) with every secret replaced by ``<secret>``.

    Base64 images (``image/png``...) are left whole: they hold no text, and replacing
    characters in them would break the picture.
    """
    if not secrets:
        return value
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, SECRET_SHOWN_AS)
        return value
    if isinstance(value, list):
        return [redact(v, secrets) for v in value]
    if isinstance(value, dict):
        return type(value)(
            (k, v if _is_binary_image(k) else redact(v, secrets)) for k, v in value.items()
        )
    return value


def _is_binary_image(key: Any) -> bool:
    return isinstance(key, str) and key.startswith("image/") and key != "image/svg+xml"
