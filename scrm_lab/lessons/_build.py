"""One lesson source, six notebooks: three languages, each as a student or a solution version.

A lesson's source is one notebook in ``notebooks/lessons/`` (its authoring form), holding:

- Markdown cells, each tagged with its language (``lang-en``, ``lang-es`` or ``lang-pt``),
  in threes: an English cell, then the Spanish and the Portuguese saying the same thing. A
  language version keeps its own Markdown cells.
- Code cells, written once for all languages. Lines between ``# BEGIN SOLUTION`` and
  ``# END SOLUTION`` are the worked answer; the block ends with an assignment
  (``q2 = ...``), and the student version keeps only that name, ``q2 = ...  # ✏️``.
- One ``parameters`` cell, ``lang: "str in {en, es, pt}" = "en"``; a language version sets
  its language as the default there, so the student's notebook needs no argument.

Examples
--------
>>> student_code("x = 1\\n# BEGIN SOLUTION\\nshare = 0.5 * 2\\n# END SOLUTION\\ncheck('k', share)")
"x = 1\\nshare = ...  # ✏️\\ncheck('k', share)"
>>> solution_code("# BEGIN SOLUTION\\nshare = 1\\n# END SOLUTION")
'share = 1'
"""

from __future__ import annotations

import ast
import copy
import re
from typing import Any

from scrm_lab.exceptions import DataFileError

LANGUAGES = ("en", "es", "pt")
LANGUAGE_NAMES = {"en": "English", "es": "español", "pt": "português"}
VERSIONS = ("student", "solution")
LANG_TAG = "lang-{}"
PARAMETERS_TAG = "parameters"
BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
PLACEHOLDER = "...  # ✏️"
_LANG_LINE = re.compile(r'^lang: "str in \{en, es, pt\}" = "(en|es|pt)"(?P<rest>.*)$', re.M)


def cell_language(cell: Any) -> str | None:
    """The language a Markdown cell is tagged with, or None."""
    tags = cell.get("metadata", {}).get("tags", [])
    found = [lang for lang in LANGUAGES if LANG_TAG.format(lang) in tags]
    return found[0] if len(found) == 1 else None


def _solution_blocks(source: str, where: str) -> list[tuple[int, int]]:
    """(begin, end) line indexes of each solution block; the markers must pair up."""
    blocks, begin = [], None
    for index, line in enumerate(source.splitlines()):
        marker = line.strip()
        if marker == BEGIN:
            if begin is not None:
                raise DataFileError(f"{where}: '{BEGIN}' at line {index + 1} inside a block")
            begin = index
        elif marker == END:
            if begin is None:
                raise DataFileError(f"{where}: '{END}' at line {index + 1} without a begin")
            blocks.append((begin, index))
            begin = None
    if begin is not None:
        raise DataFileError(f"{where}: '{BEGIN}' at line {begin + 1} is never ended")
    return blocks


def _answer_name(lines: list[str], where: str) -> tuple[str, str]:
    """Indentation and name assigned by the last statement of a solution block."""
    body = "\n".join(lines)
    indent = re.match(r"\s*", lines[0]).group() if lines else ""
    try:
        tree = ast.parse(re.sub(rf"^{indent}", "", body, flags=re.M))
    except SyntaxError as err:
        raise DataFileError(f"{where}: the solution block is not Python: {err.msg}") from err
    last = tree.body[-1] if tree.body else None
    if not (isinstance(last, ast.Assign) and len(last.targets) == 1):
        raise DataFileError(
            f"{where}: a solution block must end with an assignment such as 'q2 = ...', "
            "so the student version can keep the name"
        )
    target = last.targets[0]
    if not isinstance(target, ast.Name):
        raise DataFileError(f"{where}: the solution block must assign to a plain name")
    return indent, target.id


def student_code(source: str, where: str = "code cell") -> str:
    """The cell as the student gets it: each solution block becomes ``name = ...  # ✏️``."""
    lines = source.splitlines()
    out, start = [], 0
    for begin, end in _solution_blocks(source, where):
        indent, name = _answer_name(lines[begin + 1 : end], where)
        out += lines[start:begin] + [f"{indent}{name} = {PLACEHOLDER}"]
        start = end + 1
    return "\n".join(out + lines[start:])


def solution_code(source: str, where: str = "code cell") -> str:
    """The cell with its worked answers: the marker lines taken out."""
    lines = source.splitlines()
    markers = {i for block in _solution_blocks(source, where) for i in block}
    return "\n".join(line for i, line in enumerate(lines) if i not in markers)


def build_notebook(source_nb: Any, name: str, lang: str, version: str) -> Any:
    """The ``lang`` notebook of a lesson source, as its ``version`` (student or solution)."""
    nb = copy.deepcopy(source_nb)
    cells = []
    for index, cell in enumerate(nb.cells):
        where = f"lesson {name!r}, cell {index}"
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "markdown":
            if cell_language(cell) == lang:
                cell.metadata["tags"] = [t for t in tags if not t.startswith("lang-")]
                cells.append(cell)
            continue
        if cell.cell_type == "code":
            if PARAMETERS_TAG in tags:
                cell.source = set_language(cell.source, lang, where)
            elif version == "student":
                cell.source = student_code(cell.source, where)
            else:
                cell.source = solution_code(cell.source, where)
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    nb.cells = cells
    lesson = nb.metadata.setdefault("scrm_lab", {}).setdefault("lesson", {})
    lesson.update({"lang": lang, "version": version})
    return nb


def set_language(source: str, lang: str, where: str = "parameters cell") -> str:
    """The parameters cell with ``lang`` as the default language."""
    if not _LANG_LINE.search(source):
        raise DataFileError(
            f'{where}: the parameters cell needs the line lang: "str in {{en, es, pt}}" = "en"'
        )
    return _LANG_LINE.sub(lambda m: f'lang: "str in {{en, es, pt}}" = "{lang}"{m["rest"]}', source)
