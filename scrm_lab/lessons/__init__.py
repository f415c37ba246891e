"""Lessons for students: social CRM taught on real data, with self-checks, in three languages.

Each lesson is one source notebook in ``notebooks/lessons/`` (the course map is that
folder's README.md). From it come six notebooks: English, Spanish and Portuguese, each as a
student version (worked answers replaced by ``...``) or a solution version. Code cells are
written once; Markdown cells are written once per language.

Inside: ``_build`` (source to language and version: the rules of the source format),
``_catalog`` (the shipped lessons in order), ``_course`` (list, build, start a copy, run as a
report), ``_selfcheck`` (questions and verdicts), ``_messages`` (what a student is told, in
three languages) and ``_lesson1`` ... ``_lesson9``
(each lesson's questions, whose expected answers are computed from the data).

In a lesson notebook::

    from scrm_lab.lessons import checker
    check = checker(lang)          # lang comes from the parameters cell
    check("lesson3.q2", answer)    # ✔ correct, or ✘ with a hint

Examples
--------
>>> from scrm_lab.lessons import list_lessons
>>> list_lessons()[["number", "lesson"]].head(2)
   number                     lesson
0       1  traditional_vs_social_crm
1       2       five_ms_and_business_areas
"""

from __future__ import annotations

from scrm_lab.lessons._build import LANGUAGES, VERSIONS
from scrm_lab.lessons._course import (
    LessonCopy,
    lesson_notebook,
    list_lessons,
    run_lesson,
    start_lesson,
)
from scrm_lab.lessons._selfcheck import CheckResult, Question, checker, lesson_questions

__all__ = [
    "LANGUAGES",
    "VERSIONS",
    "CheckResult",
    "LessonCopy",
    "Question",
    "checker",
    "lesson_notebook",
    "lesson_questions",
    "list_lessons",
    "run_lesson",
    "start_lesson",
]
