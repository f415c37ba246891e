"""Who wants to know what data was read: loaders announce each read, listeners take note.

The data layer (:mod:`scrm_lab.datasets`, :mod:`scrm_lab.io`) calls :func:`note_read` for
every shipped data set it loads and every user file it reads; it knows nothing of what is
listening. The report layer registers a listener (:func:`on_read`) that writes the reads
into the run's provenance. With no listener a read is noted nowhere.

Examples
--------
>>> seen = []
>>> on_read(lambda kind, name, sha256: seen.append((kind, name)))
>>> note_read("dataset", "cdnow")
>>> seen[-1]
('dataset', 'cdnow')
>>> _LISTENERS.clear()
"""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[[str, str, "str | None"], None]
_LISTENERS: list[Listener] = []


def on_read(listener: Listener) -> None:
    """Call ``listener(kind, name, sha256)`` on every read from now on (once per listener)."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def note_read(kind: str, name: str, sha256: str | None = None) -> None:
    """Announce a read: ``kind`` is "dataset" (a shipped name), "file" (a path) or "engine"
    (``name`` is "duckdb" or "spark", and the third argument the Spark master, fit to show)."""
    for listener in _LISTENERS:
        listener(kind, name, sha256)
