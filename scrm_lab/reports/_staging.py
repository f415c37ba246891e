"""Staging folders: where a run or batch folder is built before it is renamed into place.

A folder ``.staging-<name>-<token>`` is hidden from the index; the process building it holds
a lock file beside it (``.staging-<name>-<token>.lock``) from before the folder exists until
it is published or removed. The operating system drops the lock when the process ends, even
when it is killed with SIGKILL, so :func:`clean_staging` can tell an abandoned folder (lock
free, or no lock file at all) from one a live run is still writing (lock held), and never
removes the second.

Examples
--------
>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> with staging_folder(root, "demo") as folder:
...     _ = (folder / "page.html").write_text("<p>hi</p>")
...     run = publish(folder, root / "demo", "run-1")
>>> sorted(p.name for p in root.rglob("*"))
['demo', 'page.html', 'run-1']
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from filelock import FileLock, Timeout

from scrm_lab._checks import Instance, checks
from scrm_lab.exceptions import DataFileError
from scrm_lab.reports._index import BATCHES

PREFIX = ".staging-"
_LOCK_SUFFIX = ".lock"
#: Age after which a leftover temporary file (``.*.tmp``) is abandoned: they are written
#: and renamed within milliseconds.
STALE_TMP_S = 600


@contextmanager
def staging_folder(parent: Path, name: str) -> Iterator[Path]:
    """A new hidden folder in ``parent``, locked while the block runs; removed on an error.

    Publish it (:func:`publish`) inside the block. Abandoned folders of killed runs are
    removed first, so they never pile up.
    """
    parent.mkdir(parents=True, exist_ok=True)
    clean_staging(parent)
    token = secrets.token_hex(6)
    lock = FileLock(parent / f"{PREFIX}{name}-{token}{_LOCK_SUFFIX}")
    try:
        with lock:  # held before the folder exists: a cleaner never sees it unlocked
            folder = parent / f"{PREFIX}{name}-{token}"
            folder.mkdir()
            try:
                yield folder
            finally:  # an error, or not published: nothing half-written stays
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        Path(lock.lock_file).unlink(missing_ok=True)


def output_folder(path: str | os.PathLike) -> Path:
    """``path`` made absolute and created if needed, or a one-line DataFileError.

    Examples
    --------
    >>> output_folder("/dev/null")
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.DataFileError: The output folder '/dev/null' cannot be used: it is a \
file, not a folder.
    """
    folder = Path(path).expanduser().resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as err:
        raise DataFileError(
            f"The output folder {str(folder)!r} cannot be used: it is a file, not a folder."
        ) from err
    except OSError as err:
        raise DataFileError(
            f"The output folder {str(folder)!r} cannot be created: {err.strerror}."
        ) from err
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DataFileError(f"The output folder {str(folder)!r} cannot be written to.")
    return folder


def publish(staging: Path, parent: Path, run_id: str) -> Path:
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


def clean_staging(folder: Path) -> list[tuple[Path, str]]:
    """Remove what killed runs left in ``folder``; returns each path removed and its kind.

    That is: staging folders whose lock is free or missing, their lock files, and temporary
    files (``.*.tmp``) older than :data:`STALE_TMP_S`, in ``folder`` and in its notebook
    folders (where ``latest.json`` is replaced). A live run's folder is never touched.
    """
    removed: list[tuple[Path, str]] = []
    if not folder.is_dir():
        return removed
    for path in sorted(folder.glob(f"{PREFIX}*")):
        if path.is_dir() and _abandoned(path.with_name(path.name + _LOCK_SUFFIX)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append((path, "staging folder"))
    for lock in sorted(folder.glob(f"{PREFIX}*{_LOCK_SUFFIX}")):
        if not lock.with_name(lock.name.removesuffix(_LOCK_SUFFIX)).exists() and _abandoned(lock):
            lock.unlink(missing_ok=True)
            removed.append((lock, "lock file"))
    now = time.time()
    for tmp in sorted([*folder.glob(".*.tmp"), *folder.glob("*/.*.tmp")]):
        try:
            if tmp.is_file() and now - tmp.stat().st_mtime > STALE_TMP_S:
                tmp.unlink()
                removed.append((tmp, "temporary file"))
        except OSError:  # removed by someone else meanwhile
            continue
    return removed


def _abandoned(lock_file: Path) -> bool:
    """True when no live process holds ``lock_file`` (or there is none)."""
    if not lock_file.exists():
        return True
    try:
        with FileLock(lock_file, timeout=0):
            return True
    except Timeout:
        return False


@checks(output_dir=Instance((str, os.PathLike), "a path"))
def clean_reports(output_dir: str | os.PathLike = "reports") -> pd.DataFrame:
    """Remove what killed runs and batches left in a reports folder; a table of it.

    Runs and batches clean up after themselves, and each new one first removes what killed
    ones left (``scrm-lab report clean`` does only that). A folder a live run is writing is
    never removed: its process holds a lock the operating system frees only when it ends.

    Returns
    -------
    pandas.DataFrame
        Columns ``path`` (str) and ``kind`` (``staging folder``, ``lock file`` or
        ``temporary file``), one row per path removed.

    Raises
    ------
    DataFileError
        If ``output_dir`` is not an existing folder.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / ".staging-demo-0a1b2c3d4e5f").mkdir()  # left by a killed run
    >>> clean_reports(root)["kind"].tolist()
    ['staging folder']
    """
    root = Path(output_dir).expanduser()
    if not root.is_dir():
        raise DataFileError(f"The reports folder {str(root)!r} does not exist or is not a folder.")
    removed = clean_staging(root) + clean_staging(root / BATCHES)
    return pd.DataFrame([(str(p), kind) for p, kind in removed], columns=["path", "kind"])
