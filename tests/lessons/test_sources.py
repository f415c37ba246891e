"""Every shipped lesson: nine in order, three languages, one set of code cells, its questions.

These read the sources and the built notebooks only (no kernel); the runs are in
test_runs.py.
"""

from __future__ import annotations

import ast
import importlib
import re

import pytest

from scrm_lab.datasets import list_datasets
from scrm_lab.lessons import LANGUAGES, lesson_notebook, lesson_questions, list_lessons
from scrm_lab.lessons._build import BEGIN, PARAMETERS_TAG, PLACEHOLDER, cell_language
from scrm_lab.lessons._catalog import lesson_sources

SOURCES = lesson_sources()
NUMBERS = [s.number for s in SOURCES]
CHECK_CALL = re.compile(r'check\("(lesson\d+\.q\d+)"')


def test_the_course_has_nine_lessons_in_order():
    assert NUMBERS == list(range(1, 10))


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.name)
def test_every_prose_block_is_written_once_per_language(source):
    """Between two code cells: Markdown cells in threes, en, es, pt, saying the same."""
    block: list[str | None] = []
    blocks = []
    for cell in source.notebook().cells:
        if cell.cell_type == "markdown":
            block.append(cell_language(cell))
        else:
            blocks.append(block)
            block = []
    blocks.append(block)
    for index, found in enumerate(blocks):
        threes = len(found) // 3
        assert found == list(LANGUAGES) * threes, f"{source.name}: prose block {index}: {found}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.name)
@pytest.mark.parametrize("version", ["student", "solution"])
def test_code_cells_are_identical_across_languages(source, version):
    def code(lang: str) -> list[str]:
        nb = lesson_notebook(source.number, lang, version)
        return [
            c.source.replace(f'"{lang}"', '"LANG"', 1)
            if PARAMETERS_TAG in c.metadata.get("tags", [])
            else c.source
            for c in nb.cells
            if c.cell_type == "code"
        ]

    english = code("en")
    assert english and all(code(lang) == english for lang in LANGUAGES)


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.name)
def test_the_student_version_keeps_no_answer_and_is_valid_python(source):
    solution = lesson_notebook(source.number, "en", "solution")
    student = lesson_notebook(source.number, "en", "student")
    blocks = sum(c.source.count(BEGIN) for c in source.notebook().cells)
    placeholders = sum(c.source.count(PLACEHOLDER) for c in student.cells if c.cell_type == "code")
    assert blocks == placeholders >= 1
    for nb in (student, solution):
        for cell in nb.cells:
            if cell.cell_type == "code":
                ast.parse(cell.source.replace('"str in {en, es, pt}"', '"x"'))
    assert "SOLUTION" not in "".join(c.source for c in solution.cells + student.cells)


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.name)
def test_the_checks_asked_are_the_questions_declared_in_order(source):
    asked = [
        key
        for cell in source.notebook().cells
        if cell.cell_type == "code"
        for key in CHECK_CALL.findall(cell.source)
    ]
    declared = list(lesson_questions(source.number))
    assert asked == declared == [f"lesson{source.number}.q{i}" for i in range(1, len(asked) + 1)]
    assert 3 <= len(asked) <= 6
    kinds = {q.kind for q in lesson_questions(source.number).values()}
    assert len(kinds) >= 2, "exercises of different kinds"


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.name)
def test_the_course_map_facts_are_complete_and_real(source):
    meta = source.notebook().metadata["scrm_lab"]["lesson"]
    assert meta["number"] == source.number
    assert 10 <= meta["minutes"] <= 120
    assert set(meta["datasets"]) <= set(list_datasets()["name"]) | {"simulated"}
    for dotted in meta["functions"]:
        module, name = dotted.rsplit(".", 1)
        assert hasattr(importlib.import_module(module), name), dotted
    assert set(meta["summary"]) == set(LANGUAGES) and all(meta["summary"].values())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_lesson_has_a_title_in_each_language(lang):
    heading = {"en": "Lesson", "es": "Lección", "pt": "Lição"}[lang]
    titles = list_lessons(lang)["title"]
    assert [t.split(".")[0] for t in titles] == [f"{heading} {n}" for n in NUMBERS]


def test_the_course_map_in_the_readme_lists_every_lesson():
    readme = (SOURCES[0].path.parent / "README.md").read_text(encoding="utf-8")
    for row in list_lessons().itertuples():
        assert f"{row.number:02d}_{row.lesson}.ipynb" in readme
        assert f"{row.minutes} min" in readme
        for function in row.functions.split(", "):
            assert function.removeprefix("scrm_lab.") in readme, function
