"""Students and teachers: the course map, a fresh copy that never replaces the student's work,
and the command line."""

from __future__ import annotations

import json
from types import SimpleNamespace

import nbformat
import pytest

from scrm_lab.cli import run
from scrm_lab.exceptions import DataFileError, ParameterError
from scrm_lab.lessons import lesson_notebook, list_lessons, start_lesson
from scrm_lab.lessons._build import PLACEHOLDER
from scrm_lab.lessons._catalog import lesson_source, lesson_sources

FIRST = lesson_sources()[0]
NAME = f"{FIRST.name}_es.ipynb"


def test_the_course_map_has_one_row_per_lesson_in_each_language():
    lessons = list_lessons("es")
    assert list(lessons.columns) == [
        "number", "lesson", "title", "teaches", "minutes", "datasets", "functions", "languages"
    ]  # fmt: skip
    assert lessons["number"].tolist() == [s.number for s in lesson_sources()]
    assert lessons.loc[0, "title"].startswith("Lección 1.")
    assert (lessons["languages"] == "en, es, pt").all()


@pytest.mark.parametrize("named", [1, "1", "01", "lesson1", FIRST.slug, FIRST.name, " LESSON1 "])
def test_a_lesson_is_found_by_number_or_name(named):
    assert lesson_source(named) == FIRST


@pytest.mark.parametrize(
    ("named", "message"),
    [
        ("99", r"^There is no lesson '99'; give a number 1-\d+ or a name: traditional_vs_"),
        ("traditional_vs_social", r"Did you mean 'traditional_vs_social_crm'\?$"),
    ],
)
def test_an_unknown_lesson_lists_the_course(named, message):
    with pytest.raises(ParameterError, match=message):
        lesson_notebook(named)


def test_a_new_copy_never_replaces_the_students_work(tmp_path):
    work = tmp_path / NAME
    work.write_text("my answers", encoding="utf-8")
    copy = start_lesson(1, "es", tmp_path)
    assert work.read_text(encoding="utf-8") == "my answers"
    assert copy.path == tmp_path / f"{FIRST.name}_es-2.ipynb" and copy.earlier == (work,)
    third = start_lesson(1, "es", tmp_path)
    assert third.path.name == f"{FIRST.name}_es-3.ipynb"
    assert [p.name for p in third.earlier] == [NAME, f"{FIRST.name}_es-2.ipynb"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [NAME, f"{FIRST.name}_es-2.ipynb", f"{FIRST.name}_es-3.ipynb"]
    )  # no hidden file left behind


def test_the_copy_is_the_student_version_in_its_language(tmp_path):
    copy = start_lesson(FIRST.slug, "pt", tmp_path / "new" / "folder")
    nb = nbformat.read(copy.path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["scrm_lab"]["lesson"] == {
        **FIRST.notebook().metadata["scrm_lab"]["lesson"], "lang": "pt", "version": "student"
    }  # fmt: skip
    assert nb.cells[0].source.startswith("# Lição 1.")
    assert PLACEHOLDER in "".join(c.source for c in nb.cells)
    assert nb == lesson_notebook(1, "pt", "student")


def test_a_folder_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "notes").write_text("x", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"'.*notes' is a file, not a folder; give --dir"):
        start_lesson(1, "en", tmp_path / "notes")


def test_a_folder_full_of_copies_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("scrm_lab.lessons._course.MAX_COPIES", 2)
    start_lesson(1, "en", tmp_path)
    start_lesson(1, "en", tmp_path)
    with pytest.raises(DataFileError, match=r"already holds 2 copies of .*; choose another"):
        start_lesson(1, "en", tmp_path)
    assert len(list(tmp_path.iterdir())) == 2


def test_cli_start_prints_where_the_lesson_is_and_how_to_open_it(tmp_path, capsys):
    (tmp_path / NAME).write_text("my answers", encoding="utf-8")
    assert run(["lessons", "start", "1", "--lang", "es", "--dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    new = tmp_path / f"{FIRST.name}_es-2.ipynb"
    assert out == [
        f"Tu lección: {new}",
        f"Tu trabajo anterior no se tocó: {tmp_path / NAME}",
        "Ábrela en JupyterLab:",
        f"  jupyter lab {new}",
    ]
    assert (tmp_path / NAME).read_text(encoding="utf-8") == "my answers"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["lessons", "start", "42"], "There is no lesson '42'"),
        (["lessons", "start", "1", "--lang", "fr"], "The 'lang' parameter of start_lesson must"),
        (["lessons", "list", "--lang", "de"], "The 'lang' parameter of list_lessons must"),
        (["lessons", "run", "1", "--version", "teacher"], "The 'version' parameter of run_lesson"),
    ],
)
def test_cli_wrong_input_is_one_line_and_exit_2(argv, message, capsys, tmp_path):
    assert run([*argv, *(["--dir", str(tmp_path)] if argv[1] == "start" else [])]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"scrm-lab: error: {message}") and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_cli_list_shows_the_course_map(capsys):
    assert run(["lessons", "list", "--lang", "pt", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["lesson"] for r in rows] == [s.slug for s in lesson_sources()]
    assert rows[0]["title"].startswith("Lição 1.")


def test_a_failed_copy_leaves_nothing_behind(tmp_path, monkeypatch):
    def refuse(*_):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr("scrm_lab.lessons._course.os.link", refuse)
    with pytest.raises(DataFileError, match=r"^cannot write the lesson into '.*': Operation not"):
        start_lesson(1, "en", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_cli_run_prints_each_verdict_and_the_page(tmp_path, capsys, monkeypatch):
    """The command is one library call: its arguments go through, its verdicts come out."""
    calls = []

    def fake_run(lesson, lang, version, *, output_dir, timeout):
        calls.append((lesson, lang, version, output_dir, timeout))
        results = {"lesson1.q1": "correct", "lesson1.q2": "wrong"}
        return SimpleNamespace(results=results, status="succeeded", html=tmp_path / "l.html")

    monkeypatch.setattr("scrm_lab.lessons.run_lesson", fake_run)
    argv = ["lessons", "run", "1", "--lang", "pt", "--version", "student"]
    assert run([*argv, "--output-dir", str(tmp_path), "--timeout", "60"]) == 0
    assert calls == [("1", "pt", "student", tmp_path, 60.0)]
    assert capsys.readouterr().out.splitlines() == [
        "lesson1.q1: correct", "lesson1.q2: wrong", f"succeeded: {tmp_path / 'l.html'}"
    ]  # fmt: skip
