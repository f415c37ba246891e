"""Lesson 1, traditional versus social CRM: the questions and their answers from the data."""

from __future__ import annotations

from functools import cache

import pandas as pd

from scrm_lab.lessons._selfcheck import Question


@cache
def _rfm() -> pd.DataFrame:
    from scrm_lab.customers import rfm_summary
    from scrm_lab.datasets import load_tables

    return rfm_summary(load_tables("cdnow")["transactions"])


def _one_time_share() -> float:
    return float((_rfm()["frequency"] == 0).mean())


QUESTIONS = [
    Question(
        key="lesson1.q1",
        kind="number",
        expected=_one_time_share,
        hint={"en": "x", "es": "x", "pt": "x"},
    ),
]
