"""The one exception family of scrm_lab.

Every error a user can cause is a :class:`ScrmLabError`. Messages name the file, column,
row or parameter, what was found and what was expected. The CLI prints the message on one
line and exits with status 2; anything else is a bug and exits with status 1.

Examples
--------
>>> from scrm_lab.exceptions import ScrmLabError, DatasetNotFound
>>> issubclass(DatasetNotFound, ScrmLabError)
True
"""

from __future__ import annotations

__all__ = [
    "ScrmLabError",
    "DataFileError",
    "DatasetNotFound",
    "EngineError",
    "ParameterError",
    "ReportExecutionError",
    "SchemaError",
]


class ScrmLabError(Exception):
    """Base class of every error scrm_lab raises on bad input or a failed run.

    The message is always one line: a newline or other control character that came in with
    a file name or a value is shown escaped (``\\n``), so logs and the CLI stay readable.

    Examples
    --------
    >>> str(ScrmLabError("file 'two\\nlines.csv' does not exist"))
    "file 'two\\\\nlines.csv' does not exist"
    """

    def __str__(self) -> str:
        return _one_line(super().__str__())


class ParameterError(ScrmLabError, ValueError):
    """A function, notebook or command parameter has a value that is not allowed."""


class DataFileError(ScrmLabError):
    """A file cannot be read: missing, empty, unknown format, bad encoding or delimiter."""


class SchemaError(ScrmLabError):
    """A table does not fit its canonical schema: a missing column, a wrong type, a bad value.

    Attributes
    ----------
    table : str
        Canonical table name (``"brands"``, ``"messages"``...).
    column : str or None
        The offending column, when there is one.
    row : int or None
        1-based data row (header excluded) of the first offending value, when known.
    """

    def __init__(
        self,
        message: str,
        *,
        table: str | None = None,
        column: str | None = None,
        row: int | None = None,
    ) -> None:
        super().__init__(message)
        self.table = table
        self.column = column
        self.row = row


class EngineError(ScrmLabError):
    """A computing engine cannot start: no PySpark or Java, or a Spark master that answers not.

    Raised before any work is done, so a report stops at its first cell with the reason.
    """


class DatasetNotFound(ScrmLabError, KeyError):
    """The name asked for is not a shipped data set (the message lists the valid names)."""

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return _one_line(str(self.args[0])) if self.args else ""


def _one_line(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class ReportExecutionError(ScrmLabError):
    """A notebook run failed: a cell raised, the kernel died or the run timed out.

    Attributes
    ----------
    notebook : str
        The notebook that was run.
    cell_index : int or None
        0-based index of the failing cell, when known.
    error_name, error_value : str or None
        The exception name and message raised inside the kernel.
    output_dir : str or None
        Folder where the failed run's notebook and HTML were saved.
    """

    def __init__(
        self,
        message: str,
        *,
        notebook: str,
        cell_index: int | None = None,
        error_name: str | None = None,
        error_value: str | None = None,
        output_dir: str | None = None,
    ) -> None:
        super().__init__(message)
        self.notebook = notebook
        self.cell_index = cell_index
        self.error_name = error_name
        self.error_value = error_value
        self.output_dir = output_dir
