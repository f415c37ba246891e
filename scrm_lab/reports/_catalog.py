"""The catalog of report notebooks and their typed parameters: list, declare, check, parse.

Examples
--------
>>> list_notebooks()["name"].tolist()[:3]
['compare_your_brand', 'content_performance', 'customer_value']
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from scrm_lab._checks import Instance, OrNone, Real, checks, refuse, suggest
from scrm_lab._paths import shipped_dir
from scrm_lab.exceptions import DataFileError, ParameterError
from scrm_lab.reports._exec import (
    PARAMETERS_TAG,
)
from scrm_lab.reports._params import (
    Parameter,
    effective_values,
    parse_declarations,
    read_values_file,
    values_from_text,
)

#: The constraints of the report functions' common parameters.
NOTEBOOK = Instance((str, os.PathLike), "a notebook name or a path to an .ipynb file")
PARAMETERS = OrNone(Instance(Mapping, "a mapping of parameter names to values"))
FOLDER = Instance((str, os.PathLike), "a path")
CELL_SECONDS = Real(low=0, low_open=True, high=604_800)  # a week at most, per cell
TIMEOUT = OrNone(CELL_SECONDS)

# -------------------------------------------------------------------------------- catalog


def _catalog_paths() -> dict[str, Path]:
    """Shipped report notebooks by name: top level only (``lessons/`` holds no reports)."""
    folder = shipped_dir("notebooks")
    return {
        p.stem: p
        for p in sorted(folder.glob("*.ipynb"))
        if not p.name.startswith(".") and not p.stem.endswith("-checkpoint")
    }


#: Largest notebook file read, in bytes (the shipped ones are under 100 kB without outputs).
MAX_NOTEBOOK_BYTES = 50_000_000


def read_notebook(path: Path) -> Any:
    """The notebook at ``path`` (nbformat 4, validated), or a one-line DataFileError.

    Examples
    --------
    >>> from scrm_lab._paths import shipped_dir
    >>> read_notebook(shipped_dir("notebooks") / "dataset_overview.ipynb").nbformat
    4
    >>> read_notebook(Path("/nonexistent.ipynb"))
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.DataFileError: notebook '/nonexistent.ipynb' cannot be read: ...
    """
    import nbformat

    shown = repr(str(path))
    try:
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            raise DataFileError(
                f"notebook {shown} is {size:,} bytes; at most {MAX_NOTEBOOK_BYTES:,} are read"
            )
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise DataFileError(f"notebook {shown} cannot be read: {_first_line(err)}") from err
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as err:  # any failure of nbformat on this text means "not a notebook"
        raise DataFileError(
            f"notebook {shown} cannot be read as a notebook (nbformat 4 JSON): "
            f"{type(err).__name__}: {_first_line(err)}"
        ) from err
    return nb


def _first_line(err: BaseException) -> str:
    return (str(getattr(err, "strerror", None) or err).splitlines() or [""])[0][:200]


def notebook_title(nb: Any, default: str) -> str:
    """The first Markdown heading of the notebook, or ``default`` without one.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## Hello")])
    >>> notebook_title(nb, "x"), notebook_title(nbformat.v4.new_notebook(), "x")
    ('Hello', 'x')
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#") and line.lstrip("#").strip():
                    return line.lstrip("#").strip()
    return default


def list_notebooks() -> pd.DataFrame:
    """The catalog of shipped report notebooks.

    Returns
    -------
    pandas.DataFrame
        One row per notebook at the top of the shipped ``notebooks/`` folder (checkpoints
        and the ``lessons/`` subfolder are left out), sorted by name. Columns: ``name``
        (file stem, what :func:`run_report` takes), ``title`` (first Markdown heading),
        ``parameters`` (names, comma-separated; empty without a ``parameters`` cell) and
        ``path`` (str).

    Examples
    --------
    >>> catalog = list_notebooks().set_index("name")
    >>> catalog.loc["dataset_overview", "title"]
    'Data set overview'
    """
    rows = []
    for name, path in _catalog_paths().items():
        nb = read_notebook(path)
        has_cell = any(PARAMETERS_TAG in c.metadata.get("tags", []) for c in nb.cells)
        declared = _declared_parameters(nb, name) if has_cell else []
        names = ", ".join(p.name for p in declared)
        title = notebook_title(nb, name)
        rows.append({"name": name, "title": title, "parameters": names, "path": str(path)})
    return pd.DataFrame(rows, columns=["name", "title", "parameters", "path"])


def _resolve(notebook: str | os.PathLike) -> tuple[str, Path]:
    """A catalog name or a path to an .ipynb file -> (name, absolute path)."""
    text = os.fspath(notebook)
    catalog = _catalog_paths()
    names = ", ".join(catalog) or "none"
    if (
        isinstance(notebook, os.PathLike)
        or text.endswith(".ipynb")
        or "/" in text
        or os.sep in text
    ):
        path = Path(text).expanduser()
        if not path.is_file():
            raise DataFileError(
                f"notebook file '{path}' does not exist; give an existing .ipynb file or "
                f"the name of a shipped notebook ({names})"
            )
        if path.suffix != ".ipynb":
            raise DataFileError(f"notebook file '{path}' is not an .ipynb file")
        return path.stem, path.resolve()
    if text not in catalog:
        hint = suggest(text, catalog)
        raise refuse("notebook", f"a shipped notebook ({names}) or a path to an .ipynb file",
                     text, hint)  # fmt: skip
    return text, catalog[text]


# ----------------------------------------------------------------------------- parameters


def _declared_parameters(nb: Any, name: str) -> list[Parameter]:
    cells = [c for c in nb.cells if PARAMETERS_TAG in c.metadata.get("tags", [])]
    if len(cells) != 1:
        found = "no cell" if not cells else f"{len(cells)} cells"
        raise ParameterError(
            f"The notebook '{name}' has {found} tagged 'parameters'; a report notebook needs "
            "exactly one (in Jupyter: select the cell, then the property inspector > tags)."
        )
    return parse_declarations(cells[0].source, f"notebook '{name}'")


def _declared(notebook: str | os.PathLike) -> tuple[str, Path, Any, list[Parameter]]:
    name, path = _resolve(notebook)
    nb = read_notebook(path)
    return name, path, nb, _declared_parameters(nb, name)


@checks(notebook=NOTEBOOK)
def notebook_parameters(notebook: str | os.PathLike) -> pd.DataFrame:
    """The parameters a notebook declares, read from its ``parameters`` cell (no kernel).

    Parameters
    ----------
    notebook : str or path-like
        A catalog name (see :func:`list_notebooks`) or a path to an ``.ipynb`` file.

    Returns
    -------
    pandas.DataFrame
        One row per parameter, in the cell's order. Columns: ``name``; ``type`` (``int``,
        ``float``, ``str``, ``bool``, ``path``, ``list[str]``...; for an untyped
        ``name = value`` line, the default's type, ``any`` for None); ``default``;
        ``allowed`` (``{a, b}``, ``[1, 1000]`` or ``""``); ``secret`` (bool); ``help`` (the
        line's trailing ``# comment``, or ``""``).

    Raises
    ------
    ParameterError
        If the name is not in the catalog, the notebook has no (or several) cells tagged
        ``parameters``, a line of that cell is not ``name: "type" = literal``, a type spec
        is not understood, or a default does not fit its type.
    DataFileError
        If a path does not exist or is not a notebook.

    Examples
    --------
    >>> notebook_parameters("dataset_overview").loc[2].to_dict()
    {'name': 'max_rows', 'type': 'int', 'default': 10, 'allowed': '[1, 1000]', \
'secret': False, 'help': 'rows of raw data to show'}
    """
    _, _, _, declared = _declared(notebook)
    return pd.DataFrame(
        [
            (p.name, p.spec.type_name, p.default, p.spec.allowed, p.spec.secret, p.help)
            for p in declared
        ],
        columns=["name", "type", "default", "allowed", "secret", "help"],
    )


@checks(notebook=NOTEBOOK)
def parameters_help(notebook: str | os.PathLike) -> str:
    """A notebook's parameters as ``--help`` text: usage, then each name, type, default, help.

    Examples
    --------
    >>> print(parameters_help("dataset_overview"))  # doctest: +ELLIPSIS
    Usage: scrm-lab report run dataset_overview [-p NAME VALUE]... [-f PARAMS.yaml]
    <BLANKLINE>
      Data set overview
    <BLANKLINE>
    Parameters:
      dataset         str, one of {...}
                      default: 'csm_movies_social_boxoffice'
                      a shipped data set (scrm-lab datasets list)
    ...
      max_rows        int in [1, 1000]
                      default: 10
                      rows of raw data to show
    ...
    """
    name, _, nb, declared = _declared(notebook)
    target = name if name in _catalog_paths() else str(_resolve(notebook)[1])
    lines = [
        f"Usage: scrm-lab report run {target} [-p NAME VALUE]... [-f PARAMS.yaml]",
        "",
        f"  {notebook_title(nb, name)}",
        "",
        "Parameters:" if declared else "This notebook has no parameters.",
    ]
    for p in declared:
        spec = p.spec
        kind = ("secret " if spec.secret else "") + spec.type_name
        if spec.choices is not None:
            kind += f", one of {spec.allowed}"
        elif spec.interval is not None:
            kind += f" in {spec.allowed}"
        default = "(from SCRM_LAB_SECRET_" + p.name.upper() + " if set)" if spec.secret else ""
        for text in (kind, f"default: {p.default!r} {default}".rstrip(), p.help):
            if text:
                lines += textwrap.wrap(
                    text,
                    width=96,
                    initial_indent=f"  {p.name if text is kind else '':<15} ",
                    subsequent_indent=" " * 20,
                    break_on_hyphens=False,
                )
    return "\n".join(lines)


@checks(notebook=NOTEBOOK, parameters=PARAMETERS)
def check_parameters(
    notebook: str | os.PathLike, parameters: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Every parameter's effective value, checked against the notebook's declarations.

    This is the check :func:`run_report` makes before any kernel starts; batches and
    schedules call it to refuse bad parameter sets before running anything.

    Parameters
    ----------
    notebook : str or path-like
        A catalog name or a path to an ``.ipynb`` file.
    parameters : mapping, optional
        Values to check; the other parameters keep their defaults (a secret one is read
        from the environment variable ``SCRM_LAB_SECRET_<NAME>`` when it is set).

    Returns
    -------
    dict
        Name -> value for every declared parameter, in the cell's order; ``path``
        parameters made absolute.

    Raises
    ------
    ParameterError
        An unknown name (with the parameters and the closest name), a value of the wrong
        type or outside its range or allowed values (naming the parameter, the value and
        what is allowed).
    DataFileError
        A ``path`` parameter naming a file that does not exist.

    Examples
    --------
    >>> check_parameters("dataset_overview", {"max_rows": 5})["max_rows"]
    5
    >>> check_parameters("dataset_overview", {"max_rows": 0})
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.ParameterError: The parameter 'max_rows' of notebook 'dataset_overview' \
must be in [1, 1000] (int in [1, 1000]). Got 0 (int) instead.
    """
    name, _, _, declared = _declared(notebook)
    return effective_values(declared, parameters, name)


@checks(notebook=NOTEBOOK, pairs=Instance(Mapping, "a mapping of parameter names to text"))
def parse_parameter_text(notebook: str | os.PathLike, pairs: Mapping[str, str]) -> dict[str, Any]:
    """Command-line text values -> values of each parameter's declared type.

    ``-p max_rows 5`` gives the int 5 because ``max_rows`` is declared ``int``, while
    ``-p table 2019`` stays the string ``"2019"`` for a ``str`` parameter: the declaration
    decides, nothing is guessed. Lists and dicts are read as YAML (``[likes, views]``).
    Unknown names pass through, to be refused with a did-you-mean by the check.

    Examples
    --------
    >>> parse_parameter_text("dataset_overview", {"max_rows": "5", "table": "2019"})
    {'max_rows': 5, 'table': '2019'}
    """
    name, _, _, declared = _declared(notebook)
    return values_from_text(declared, pairs, name)


@checks(path=FOLDER)
def read_parameters_file(path: str | os.PathLike) -> dict[str, Any]:
    """Parameter values from a YAML file (``name: value`` lines), for ``-f params.yaml``.

    Raises
    ------
    DataFileError
        The file is missing, not valid YAML (the line is named) or not one mapping.
    """
    return read_values_file(path)
