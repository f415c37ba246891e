"""The lessons as students and teachers use them: list, build, start a copy, run as a report.

Examples
--------
>>> list_lessons()["lesson"].iloc[0]
'traditional_vs_social_crm'
"""

from __future__ import annotations

import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from scrm_lab._checks import Choice, Either, Instance, Integer, OrNone, Real, Text, checks
from scrm_lab.exceptions import DataFileError
from scrm_lab.lessons._build import LANGUAGES, VERSIONS, build_notebook
from scrm_lab.lessons._catalog import (
    LessonSource,
    lesson_facts,
    lesson_source,
    lesson_sources,
)
from scrm_lab.lessons._messages import say

LANG = Choice(LANGUAGES)
VERSION = Choice(VERSIONS)
LESSON = Either(Integer(low=1), Text("a lesson number or name"))
FOLDER = Instance((str, os.PathLike), "a path")
#: Most numbered copies of one lesson kept side by side in a folder.
MAX_COPIES = 99


@checks(lang=LANG)
def list_lessons(lang: str = "en") -> pd.DataFrame:
    """The course map: every lesson in order, in ``lang``.

    Returns
    -------
    pandas.DataFrame
        One row per lesson: ``number``, ``lesson`` (its name, what :func:`start_lesson`
        takes), ``title``, ``teaches``, ``minutes``, ``datasets`` and ``functions`` (the
        scrm_lab functions it introduces, comma-separated) and ``languages``.

    Examples
    --------
    >>> list_lessons("pt").loc[0, "title"]
    'Lição 1. CRM tradicional e CRM social'
    """
    return pd.DataFrame([lesson_facts(s, lang) for s in lesson_sources()])


def _file_name(source: LessonSource, lang: str, version: str) -> str:
    return f"{source.name}_{lang}" + ("" if version == "student" else "_solution")


@checks(lesson=LESSON, lang=LANG, version=VERSION)
def lesson_notebook(lesson: str | int, lang: str = "en", version: str = "student") -> Any:
    """A lesson as a notebook (``nbformat.NotebookNode``) in ``lang``, student or solution.

    The student version has each worked answer replaced by ``name = ...  # ✏️``; the
    solution version has the answers. Both have the same code cells in every language.

    Examples
    --------
    >>> nb = lesson_notebook(1, "es")
    >>> nb.metadata["scrm_lab"]["lesson"]["lang"], nb.metadata["scrm_lab"]["lesson"]["version"]
    ('es', 'student')
    """
    source = lesson_source(lesson)
    return build_notebook(source.notebook(), source.name, lang, version)


@dataclass(frozen=True)
class LessonCopy:
    """A fresh student copy of a lesson: where it went, and the earlier copies left alone."""

    path: Path
    earlier: tuple[Path, ...]
    lang: str = "en"

    def instructions(self) -> list[str]:
        """What to tell the student, in the lesson's language: the copy, the earlier work
        left alone, how to open it.

        Examples
        --------
        >>> copy = LessonCopy(Path("c/l_es-2.ipynb"), (Path("c/l_es.ipynb"),), "es")
        >>> print("\\n".join(copy.instructions()))
        Tu lección: c/l_es-2.ipynb
        Tu trabajo anterior no se tocó: c/l_es.ipynb
        Ábrela en JupyterLab:
          jupyter lab c/l_es-2.ipynb
        """
        return [
            say("copied", self.lang, path=self.path),
            *(say("kept", self.lang, path=p) for p in self.earlier),
            say("open", self.lang, path=self.path),
        ]


@checks(lesson=LESSON, lang=LANG, folder=FOLDER)
def start_lesson(
    lesson: str | int, lang: str = "en", folder: str | os.PathLike = "."
) -> LessonCopy:
    """Copy a fresh student version of a lesson into ``folder``, never over earlier work.

    The copy is ``NN_name_LANG.ipynb``; when that file is there already (the student's
    work), the new one is ``NN_name_LANG-2.ipynb``, then ``-3`` and so on. The folder is
    created if needed.

    Raises
    ------
    ParameterError
        If the lesson or language is unknown.
    DataFileError
        If ``folder`` is a file or cannot be written, or it already holds 99 copies.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     first, second = start_lesson(1, "pt", folder), start_lesson(1, "pt", folder)
    ...     print(first.path.name, second.path.name, [p.name for p in second.earlier])
    01_traditional_vs_social_crm_pt.ipynb 01_traditional_vs_social_crm_pt-2.ipynb \
['01_traditional_vs_social_crm_pt.ipynb']
    """
    import nbformat

    source = lesson_source(lesson)
    stem = _file_name(source, lang, "student")
    nb = build_notebook(source.notebook(), source.name, lang, "student")
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise DataFileError(f"'{target}' is a file, not a folder; give --dir a folder")
    text = nbformat.writes(nb)
    try:
        target.mkdir(parents=True, exist_ok=True)
        # written whole to a hidden file, then linked to the first free name: a copy is
        # either complete or absent, and a link never replaces the student's file
        hidden = target / f".{stem}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        earlier: list[Path] = []
        try:
            with open(hidden, "x", encoding="utf-8") as file:
                file.write(text)
            for copy in range(1, MAX_COPIES + 1):
                path = target / (f"{stem}.ipynb" if copy == 1 else f"{stem}-{copy}.ipynb")
                try:
                    os.link(hidden, path)
                except FileExistsError:
                    earlier.append(path)
                    continue
                return LessonCopy(path, tuple(earlier), lang)
        finally:
            hidden.unlink(missing_ok=True)
    except OSError as err:
        raise DataFileError(
            f"cannot write the lesson into '{target}': {err.strerror or err}; "
            "give --dir a folder you can write to"
        ) from err
    raise DataFileError(
        f"'{target}' already holds {MAX_COPIES} copies of {stem}.ipynb; "
        "choose another folder with --dir"
    )


@checks(
    lesson=LESSON,
    lang=LANG,
    version=VERSION,
    output_dir=FOLDER,
    timeout=OrNone(Real(low=0, low_open=True, high=604_800)),
)
def run_lesson(
    lesson: str | int,
    lang: str = "en",
    version: str = "solution",
    *,
    output_dir: str | os.PathLike = "reports",
    timeout: float | None = 600,
) -> Any:
    """Run a lesson through the report pipeline: an HTML page with its code, and verdicts.

    Each self-check's verdict is a key result of the run (``results["lesson3.q2"]`` is
    ``"correct"``, ``"wrong"`` or ``"unanswered"``). The run folder is named
    ``NN_name_LANG_solution`` (or ``NN_name_LANG`` for the student version).

    Returns
    -------
    scrm_lab.reports.ReportRun

    Raises
    ------
    ReportExecutionError
        If a cell raised; the failed run is kept, as for any report.
    """
    import nbformat

    from scrm_lab.reports import run_report

    source = lesson_source(lesson)
    nb = build_notebook(source.notebook(), source.name, lang, version)
    with tempfile.TemporaryDirectory(prefix="scrm-lesson-") as work:
        path = Path(work) / f"{_file_name(source, lang, version)}.ipynb"
        nbformat.write(nb, str(path))
        return run_report(path, output_dir=output_dir, timeout=timeout, show_code=True)
