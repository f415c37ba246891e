"""Self-checks: every question accepts its right answer and refuses a wrong one, in every
language, with a hint that does not give the answer away; and the messages for answers of
the wrong kind."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scrm_lab.exceptions import ParameterError
from scrm_lab.lessons import LANGUAGES, CheckResult, Question, checker, lesson_questions
from scrm_lab.lessons._catalog import lesson_sources

QUESTIONS = [q for s in lesson_sources() for q in lesson_questions(s.number).values()]


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.key)
def test_the_right_answer_passes_and_a_wrong_one_gets_the_hint(question):
    for lang in LANGUAGES:
        check = checker(lang)
        assert check(question.key, question.answer()).passed is True
        refused = check(question.key, question.wrong_answer())
        assert refused.passed is False and not refused
        assert refused.message == f"✘ {question.key}: " + {
            "en": "not yet. Hint: ", "es": "todavía no. Pista: ", "pt": "ainda não. Dica: "
        }[lang] + question.hint[lang]  # fmt: skip
        assert check(question.key, ...).passed is None


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.key)
def test_a_hint_points_at_the_idea_not_the_answer(question):
    answer = question.answer()
    if question.kind == "label":
        shown = [str(answer)]
    elif question.kind == "labels":
        shown = [str(a) for a in answer]
    elif question.kind == "number":
        shown = [f"{answer:.2f}", f"{answer:.3f}", f"{100 * answer:.1f}"] if answer else []
    else:
        shown = [f"{answer})", f"**{answer}**"]
    for lang in LANGUAGES:
        for text in shown:
            assert text.casefold() not in question.hint[lang].casefold(), (lang, text)


def _number_question(expected: float = 0.25) -> Question:
    return Question(
        key="lesson1.q1",
        kind="number",
        expected=lambda: expected,
        hint={"en": "think", "es": "piensa", "pt": "pense"},
    )


def test_messages_speak_the_lesson_language():
    q1 = lesson_questions(1)["lesson1.q1"]
    assert checker("en")("lesson1.q1", q1.answer()).message == "✔ lesson1.q1: correct."
    assert checker("es")("lesson1.q1", q1.answer()).message == "✔ lesson1.q1: ¡correcto!"
    assert checker("pt")("lesson1.q1", q1.answer()).message == "✔ lesson1.q1: correto!"
    assert checker("pt")("lesson1.q1", -1.0).message.startswith("✘ lesson1.q1: ainda não. Dica:")


def test_a_number_is_accepted_within_the_tolerance_and_from_a_one_value_table():
    right = lesson_questions(1)["lesson1.q1"].answer()
    check = checker("en")
    assert check("lesson1.q1", right * 1.004) and check("lesson1.q1", np.float32(right))
    assert check("lesson1.q1", pd.Series([right])) and check("lesson1.q1", pd.DataFrame([[right]]))
    assert not check("lesson1.q1", right * 1.01)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("0.51", "✘ lesson1.q1: this answer is one number; got '0.51'."),
        (True, "✘ lesson1.q1: this answer is one number; got True."),
        (float("nan"), "✘ lesson1.q1: this answer is one number; got nan."),
        (
            pd.Series([0.1, 0.2]),
            "✘ lesson1.q1: this answer is one number; got a Series of 2 values.",
        ),
    ],
)
def test_an_answer_that_is_not_one_number_is_told_so(answer, message):
    assert checker("en")("lesson1.q1", answer).message == message


def test_a_percentage_given_for_a_share_gets_its_own_message():
    right = lesson_questions(1)["lesson1.q1"].answer()
    result = checker("es")("lesson1.q1", right * 100)
    assert result.message == (
        "✘ lesson1.q1: parece un porcentaje; escríbelo como proporción entre 0 y 1."
    )


def test_choices_labels_and_lists():
    check = checker("en")
    assert check("lesson1.q5", " C ") and check("lesson1.q4", " united ")
    assert check("lesson1.q5", "e").message == (
        "✘ lesson1.q5: answer with one of the letters a, b, c, d; got 'e'."
    )
    assert check("lesson1.q5", 3).message.startswith("✘ lesson1.q5: answer with one of")
    assert check("lesson1.q4", 7).message == "✘ lesson1.q4: this answer is a name (a str); got 7."
    labels = Question(
        key="lesson1.q1", kind="labels", expected=lambda: ["A", "B"], hint=_number_question().hint
    )
    from scrm_lab.lessons._selfcheck import verdict

    assert verdict(labels, ["b", "a"], "en")[0] is True
    assert verdict(labels, ("a",), "en")[0] is False
    assert verdict(labels, "a, b", "en") == (
        False,
        "✘ lesson1.q1: this answer is a list of names; got 'a, b'.",
    )


def test_a_result_shows_as_a_coloured_line_in_jupyter():
    result = CheckResult("lesson1.q1", False, "✘ <b>")
    assert repr(result) == "✘ <b>" and "&lt;b&gt;" in result._repr_html_()
    assert "#fff8c5" in result._repr_html_()


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("lesson1.q9", r"^There is no question 'lesson1.q9'; this lesson's questions are "
         r"lesson1.q1, .*lesson1.q6\. Did you mean 'lesson1.q6'\?$"),
        ("lesson12.q1", r"^There is no question 'lesson12.q1'; .*lesson1.q1, lesson2.q1"),
        (3, r"^There is no question 3;"),
    ],
)  # fmt: skip
def test_an_unknown_question_is_refused_with_the_known_ones(key, message):
    with pytest.raises(ParameterError, match=message):
        checker("en")(key, 1)


def test_an_unknown_question_is_refused_in_the_lesson_language():
    with pytest.raises(ParameterError, match=r"^No hay ninguna pregunta 'lesson1.q0'"):
        checker("es")("lesson1.q0", 1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "essay"}, r"kind 'essay' is not one of"),
        ({"hint": {"en": "x"}}, r"hints in \['en'\], need"),
        ({"choices": ("a", "b")}, r"choices go with kind 'choice' only"),
    ],
)
def test_a_malformed_question_is_refused_when_declared(changes, message):
    fields = {"key": "lesson1.q1", "kind": "number", "expected": float, "hint": {}}
    fields["hint"] = {"en": "x", "es": "x", "pt": "x"}
    with pytest.raises(ValueError, match=message):
        Question(**{**fields, **changes})
