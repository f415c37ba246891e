"""The source format: solution blocks, placeholders, languages, the parameters cell."""

from __future__ import annotations

import nbformat
import pytest

from scrm_lab.exceptions import DataFileError
from scrm_lab.lessons._build import (
    PLACEHOLDER,
    build_notebook,
    set_language,
    solution_code,
    student_code,
)

CELL = """rfm = summary(data)
# BEGIN SOLUTION
one_time = rfm["frequency"] == 0
q1 = one_time.mean()
# END SOLUTION
check("lesson1.q1", q1)"""


def test_the_student_keeps_the_name_and_loses_the_worked_answer():
    assert student_code(CELL) == f'rfm = summary(data)\nq1 = {PLACEHOLDER}\ncheck("lesson1.q1", q1)'


def test_the_solution_keeps_the_worked_answer_without_markers():
    assert solution_code(CELL) == (
        'rfm = summary(data)\none_time = rfm["frequency"] == 0\nq1 = one_time.mean()\n'
        'check("lesson1.q1", q1)'
    )


def test_an_indented_block_keeps_its_indentation():
    cell = "for x in [1]:\n    # BEGIN SOLUTION\n    q2 = x + 1\n    # END SOLUTION\n    print(q2)"
    assert student_code(cell) == f"for x in [1]:\n    q2 = {PLACEHOLDER}\n    print(q2)"


def test_several_blocks_in_one_cell():
    cell = "# BEGIN SOLUTION\na = 1\n# END SOLUTION\n# BEGIN SOLUTION\nb = 2\n# END SOLUTION"
    assert student_code(cell) == f"a = {PLACEHOLDER}\nb = {PLACEHOLDER}"


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("# BEGIN SOLUTION\nq1 = 1", r"cell 3: '# BEGIN SOLUTION' at line 1 is never ended"),
        ("q1 = 1\n# END SOLUTION", r"cell 3: '# END SOLUTION' at line 2 without a begin"),
        (
            "# BEGIN SOLUTION\n# BEGIN SOLUTION\nq1 = 1\n# END SOLUTION",
            r"'# BEGIN SOLUTION' at line 2 inside a block",
        ),
        ("# BEGIN SOLUTION\nprint(1)\n# END SOLUTION", r"must end with an assignment"),
        ("# BEGIN SOLUTION\n# END SOLUTION", r"must end with an assignment"),
        ("# BEGIN SOLUTION\nq.x = 1\n# END SOLUTION", r"must assign to a plain name"),
        ("# BEGIN SOLUTION\nq1 = (\n# END SOLUTION", r"the solution block is not Python"),
    ],
)
def test_a_malformed_source_cell_is_named(cell, message):
    with pytest.raises(DataFileError, match=message):
        student_code(cell, "lesson 'x', cell 3")


def test_the_language_goes_into_the_parameters_cell():
    line = 'lang: "str in {en, es, pt}" = "en"  # language'
    assert set_language(line, "pt") == 'lang: "str in {en, es, pt}" = "pt"  # language'
    with pytest.raises(DataFileError, match=r"the parameters cell needs the line lang:"):
        set_language('lang = "en"', "pt")


def _source() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    for lang, text in (("en", "# Hello"), ("es", "# Hola"), ("pt", "# Olá")):
        cell = nbformat.v4.new_markdown_cell(text)
        cell.metadata["tags"] = [f"lang-{lang}"]
        nb.cells.append(cell)
    parameters = nbformat.v4.new_code_cell('lang: "str in {en, es, pt}" = "en"')
    parameters.metadata["tags"] = ["parameters"]
    nb.cells += [parameters, nbformat.v4.new_code_cell(CELL)]
    return nb


@pytest.mark.parametrize(("lang", "title"), [("en", "# Hello"), ("es", "# Hola"), ("pt", "# Olá")])
def test_a_language_version_keeps_its_own_text_and_the_shared_code(lang, title):
    nb = build_notebook(_source(), "x", lang, "solution")
    assert [c.source for c in nb.cells if c.cell_type == "markdown"] == [title]
    assert nb.cells[0].metadata["tags"] == []
    assert nb.cells[1].source == f'lang: "str in {{en, es, pt}}" = "{lang}"'
    assert nb.cells[2].source == solution_code(CELL)
    assert nb.metadata["scrm_lab"]["lesson"] == {"lang": lang, "version": "solution"}
