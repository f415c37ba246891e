"""Self-checks: a lesson's questions, their expected answers from the data, and the verdicts.

Each lesson module (``_lesson1`` ... ``_lesson9``) declares its :class:`Question` objects; the
expected answer of each is a function that computes it with scrm_lab from the shipped data
(never a typed-in number), evaluated once per process. :func:`checker` gives the notebook
its ``check(key, answer)`` in the lesson's language; a wrong answer gets the question's hint,
which points at the idea, never at the answer.

Examples
--------
>>> check = checker("es")
>>> check("lesson1.q1", ...).message
'… lesson1.q1: aún sin respuesta: cambia ... por tu respuesta y vuelve a ejecutar la celda.'
"""

from __future__ import annotations

import html
import importlib
import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from scrm_lab._checks import Choice, checks, suggest
from scrm_lab.exceptions import ParameterError
from scrm_lab.lessons._build import LANGUAGES
from scrm_lab.lessons._messages import say

KINDS = ("number", "choice", "label", "labels")
LESSON_COUNT = 9

@dataclass(frozen=True)
class Question:
    """One self-checked exercise.

    Attributes
    ----------
    key : str
        ``"lesson3.q2"``: the lesson and the question, as the notebook's ``check`` names it.
    kind : str
        ``"number"`` (compared within ``rel_tol``/``abs_tol``), ``"choice"`` (one letter of
        ``choices``), ``"label"`` (a name, compared without case or surrounding blanks) or
        ``"labels"`` (names in any order).
    expected : callable
        Computes the right answer with scrm_lab from the shipped data (no arguments).
    hint : mapping
        The hint in each language (``en``, ``es``, ``pt``).
    choices : tuple of str
        The letters offered, for ``"choice"``.
    rel_tol, abs_tol : float
        Tolerance of a number.
    """

    key: str
    kind: str
    expected: Callable[[], Any]
    hint: Mapping[str, str]
    choices: tuple[str, ...] = ()
    rel_tol: float = 0.005
    abs_tol: float = 0.0
    wrong: Any = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.key}: kind {self.kind!r} is not one of {KINDS}")
        if set(self.hint) != set(LANGUAGES):
            raise ValueError(f"{self.key}: hints in {sorted(self.hint)}, need {LANGUAGES}")
        if (self.kind == "choice") != bool(self.choices):
            raise ValueError(f"{self.key}: choices go with kind 'choice' only")

    def answer(self) -> Any:
        """The right answer, computed from the data (once per process)."""
        return _computed(self.key, self.expected)

    def wrong_answer(self) -> Any:
        """An answer the check must refuse: the declared one, or one derived from the right."""
        if self.wrong is not None:
            return self.wrong
        right = self.answer()
        if self.kind == "number":
            return right * 1.5 + 1
        if self.kind == "choice":
            return next(c for c in self.choices if c != right)
        if self.kind == "label":
            return f"not {right}"
        return list(right)[1:] if len(right) > 1 else [*right, "something else"]


def _is_unanswered(answer: Any) -> bool:
    return answer is Ellipsis or answer is None


def _one_value(answer: Any) -> Any:
    """A one-value Series, DataFrame or array as its value (students often end with one)."""
    if isinstance(answer, pd.DataFrame | pd.Series | np.ndarray) and answer.size == 1:
        return answer.to_numpy().ravel()[0]
    return answer


def _as_number(answer: Any) -> float | None:
    answer = _one_value(answer)
    if isinstance(answer, bool | np.bool_) or not isinstance(answer, numbers.Real):
        return None
    return float(answer)


def _norm(label: Any) -> str:
    return " ".join(str(label).split()).casefold()


def _shown(answer: Any) -> str:
    if isinstance(answer, pd.DataFrame | pd.Series | np.ndarray):
        return f"a {type(answer).__name__} of {answer.size} values"
    text = repr(answer)
    return text if len(text) <= 60 else text[:57] + "..."


def verdict(question: Question, answer: Any, lang: str) -> tuple[bool | None, str]:
    """(passed, message): None for no answer yet, else whether ``answer`` is right."""
    key = question.key
    if _is_unanswered(answer):
        return None, say("unanswered", lang, key=key)
    right = question.answer()
    wrong = say("wrong", lang, key=key, hint=question.hint[lang])
    if question.kind == "number":
        number = _as_number(answer)
        if number is None or math.isnan(number):
            return False, say("number", lang, key=key, got=_shown(answer))
        close = math.isclose(number, right, rel_tol=question.rel_tol, abs_tol=question.abs_tol)
        if close:
            return True, say("correct", lang, key=key)
        as_share = number / 100
        if 0 < abs(right) <= 1 and math.isclose(as_share, right, rel_tol=question.rel_tol):
            return False, say("percent", lang, key=key)
        return False, wrong
    if question.kind == "choice":
        letter = _norm(answer) if isinstance(answer, str) else None
        if letter not in question.choices:
            options = ", ".join(question.choices)
            return False, say("choice", lang, key=key, options=options, got=_shown(answer))
        return letter == right, say("correct", lang, key=key) if letter == right else wrong
    if question.kind == "label":
        answer = _one_value(answer)
        if not isinstance(answer, str):
            return False, say("label", lang, key=key, got=_shown(answer))
        ok = _norm(answer) == _norm(right)
        return ok, say("correct", lang, key=key) if ok else wrong
    if isinstance(answer, str) or not isinstance(answer, list | tuple | set | pd.Index | pd.Series):
        return False, say("labels", lang, key=key, got=_shown(answer))
    ok = sorted(map(_norm, answer)) == sorted(map(_norm, right))
    return ok, say("correct", lang, key=key) if ok else wrong


@dataclass(frozen=True)
class CheckResult:
    """What a self-check says: shown in the notebook, recorded in a report run.

    ``passed`` is True, False, or None when there is no answer yet; ``bool(result)`` is
    True only for a right answer.
    """

    key: str
    passed: bool | None
    message: str

    def __bool__(self) -> bool:
        return bool(self.passed)

    def __repr__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:
        colour = {True: "#1a7f37", False: "#9a6700", None: "#57606a"}[self.passed]
        background = {True: "#dafbe1", False: "#fff8c5", None: "#f6f8fa"}[self.passed]
        return (
            f'<div style="border-left: 4px solid {colour}; background: {background}; '
            f'padding: 6px 12px; color: #1f2328">{html.escape(self.message)}</div>'
        )


@cache
def lesson_questions(lesson: int) -> dict[str, Question]:
    """The questions of lesson ``lesson`` (1-9) by key, in the order they are asked."""
    module = importlib.import_module(f"scrm_lab.lessons._lesson{lesson}")
    return {q.key: q for q in module.QUESTIONS}


def find_question(key: str, lang: str = "en") -> Question:
    """The question ``key`` (``"lesson3.q2"``); a ParameterError names the lesson's questions."""
    prefix = key.split(".", 1)[0] if isinstance(key, str) else ""
    number = prefix.removeprefix("lesson")
    lessons = [str(n) for n in range(1, LESSON_COUNT + 1)]
    known = lesson_questions(int(number)) if number in lessons else {}
    if key in known:
        return known[key]
    shown = ", ".join(known) or ", ".join(f"lesson{n}.q1" for n in lessons[:3]) + ", ..."
    hint = suggest(key, list(known))
    raise ParameterError(say("unknown", lang, key=key, known=shown, hint=hint))


@cache
def _computed(key: str, expected: Callable[[], Any]) -> Any:
    return expected()


@checks(lang=Choice(LANGUAGES))
def checker(lang: str = "en") -> Callable[[str, Any], CheckResult]:
    """The ``check(key, answer)`` of a lesson notebook, speaking ``lang``.

    ``check`` compares ``answer`` with the answer scrm_lab computes from the data and
    returns a :class:`CheckResult` (shown as a coloured line in Jupyter). A wrong answer
    gets a hint in ``lang``; ``...`` or None means "not answered yet". In a report run
    each verdict is recorded as a key result (``correct``, ``wrong`` or ``unanswered``).

    Parameters
    ----------
    lang : {"en", "es", "pt"}, default "en"
        The language of the messages.

    Examples
    --------
    >>> check = checker("en")
    >>> check("lesson1.q5", "c")
    ✔ lesson1.q5: correct.
    >>> check("lesson1.q5", "z")
    ✘ lesson1.q5: answer with one of the letters a, b, c, d; got 'z'.
    >>> check("lesson1.q9", 1)
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.ParameterError: There is no question 'lesson1.q9'; this lesson's ...
    """
    from scrm_lab.reports import record

    def check(key: str, answer: Any) -> CheckResult:
        question = find_question(key, lang)
        passed, message = verdict(question, answer, lang)
        outcome = {True: "correct", False: "wrong", None: "unanswered"}[passed]
        record(key, outcome)
        return CheckResult(key, passed, message)

    return check
