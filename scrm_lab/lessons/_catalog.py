"""The course: the shipped lesson sources, in order, and what each one teaches.

Examples
--------
>>> lesson_source("3").name
'03_metrics_of_success'
>>> lesson_source("lesson3").name == lesson_source("metrics_of_success").name
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrm_lab._checks import suggest
from scrm_lab._paths import shipped_dir
from scrm_lab.exceptions import ParameterError
from scrm_lab.lessons._build import LANGUAGES, build_notebook

_FILE = re.compile(r"^(?P<number>\d{2})_(?P<slug>[a-z0-9_]+)$")


@dataclass(frozen=True)
class LessonSource:
    """A lesson's source notebook and its catalog facts."""

    number: int
    slug: str
    path: Path

    @property
    def name(self) -> str:
        """The file stem, ``03_metrics_of_success``."""
        return self.path.stem

    def notebook(self) -> Any:
        from scrm_lab.reports import read_notebook

        return read_notebook(self.path)


def lessons_dir() -> Path:
    """The shipped ``notebooks/lessons`` folder."""
    return shipped_dir("notebooks") / "lessons"


def lesson_sources() -> list[LessonSource]:
    """Every shipped lesson, in course order."""
    found = []
    for path in sorted(lessons_dir().glob("*.ipynb")):
        match = _FILE.match(path.stem)
        if match:
            found.append(LessonSource(int(match["number"]), match["slug"], path))
    return found


def lesson_source(lesson: str | int) -> LessonSource:
    """The lesson named by number (``3``, ``"03"``, ``"lesson3"``), slug or file stem."""
    sources = lesson_sources()
    wanted = str(lesson).strip().lower().removesuffix(".ipynb")
    for source in sources:
        numbers = {str(source.number), f"{source.number:02d}", f"lesson{source.number}"}
        if wanted in numbers | {source.slug, source.name}:
            return source
    names = [s.slug for s in sources]
    raise ParameterError(
        f"There is no lesson {str(lesson)!r}; give a number 1-{len(sources)} or a name: "
        f"{', '.join(names)}.{suggest(wanted, names)}"
    )


def lesson_facts(source: LessonSource, lang: str) -> dict[str, Any]:
    """The catalog row of a lesson in ``lang``: title, summary, time, data, functions."""
    from scrm_lab.reports import notebook_title

    nb = build_notebook(source.notebook(), source.name, lang, "student")
    meta = nb.metadata.get("scrm_lab", {}).get("lesson", {})
    title = notebook_title(nb, source.slug)
    return {
        "number": source.number,
        "lesson": source.slug,
        "title": title,
        "teaches": meta.get("summary", {}).get(lang, ""),
        "minutes": meta.get("minutes"),
        "datasets": ", ".join(meta.get("datasets", [])),
        "functions": ", ".join(meta.get("functions", [])),
        "languages": ", ".join(LANGUAGES),
    }
