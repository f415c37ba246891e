"""Every lesson runs through the report pipeline in every language: the solution version with
every self-check passing, the student version to the end with every answer still open."""

from __future__ import annotations

import re
from html import unescape

import nbformat
import pytest

from scrm_lab.lessons import LANGUAGES, lesson_questions, run_lesson
from scrm_lab.lessons._catalog import lesson_sources

NUMBERS = [s.number for s in lesson_sources()]
HEADING = {"en": "Lesson", "es": "Lección", "pt": "Lição"}


def _stderr(notebook_path) -> list[str]:
    nb = nbformat.read(notebook_path, as_version=4)
    return [
        o.get("text", "")
        for c in nb.cells
        for o in c.get("outputs", [])
        if o.get("name") == "stderr" or o.get("output_type") == "error"
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("number", NUMBERS)
def test_the_solution_passes_every_self_check(number, lang, tmp_path):
    run = run_lesson(number, lang, "solution", output_dir=tmp_path)
    assert run.results == dict.fromkeys(lesson_questions(number), "correct")
    assert _stderr(run.notebook_path) == []  # no warning reaches the student
    page = unescape(re.sub(r"<[^>]+>", "", run.html.read_text(encoding="utf-8")))
    assert f"{HEADING[lang]} {number}." in page
    assert "check(" in page and "checker(lang)" in page  # the page shows its code
    assert page.count("✔") == len(run.results)


@pytest.mark.parametrize("number", NUMBERS)
def test_the_student_version_runs_to_the_end_unanswered(number, tmp_path):
    lang = LANGUAGES[number % len(LANGUAGES)]  # each language in turn, to keep the suite short
    run = run_lesson(number, lang, "student", output_dir=tmp_path)
    assert run.results == dict.fromkeys(lesson_questions(number), "unanswered")
    assert _stderr(run.notebook_path) == []
