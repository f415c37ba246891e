"""The wording of p-values, intervals and bullet lists (scrm_lab.models._wording)."""

from __future__ import annotations

import pandas as pd
import pytest

from scrm_lab.models import bullet_list, interval_text, level_text, p_text


@pytest.mark.parametrize(
    ("p_value", "expected"),
    [
        (0.0, "p < 0.001"),
        (0.000999, "p < 0.001"),
        (0.001, "p = 0.001"),
        (0.0042, "p = 0.004"),
        (0.0099, "p = 0.010"),
        (0.01, "p = 0.01"),
        (0.0312, "p = 0.03"),
        (0.8, "p = 0.80"),
        (1.0, "p = 1.00"),
    ],
)
def test_p_text_decimals_follow_the_size_of_p(p_value, expected):
    assert p_text(p_value) == expected


def test_interval_text_from_a_dict_and_a_series():
    assert interval_text({"ci_low": 0.251, "ci_high": 0.48}) == "95% CI 0.25 to 0.48"
    row = pd.Series({"estimate": 1.0, "ci_low": -0.5, "ci_high": 2.25})
    assert interval_text(row, alpha=0.1, digits=1) == "90% CI -0.5 to 2.2"
    assert interval_text(row, alpha=0.01, digits=3) == "99% CI -0.500 to 2.250"


def test_interval_text_needs_both_bounds():
    with pytest.raises(KeyError, match="ci_high"):
        interval_text({"ci_low": 0.1})


def test_bullet_list_one_line_per_sentence():
    assert bullet_list(["One.", "Two words."]) == "- One.\n- Two words."
    assert bullet_list([]) == ""
    assert bullet_list(("Only.",)) == "- Only."


@pytest.mark.parametrize(
    ("alpha", "level"),
    [(0.05, "95%"), (0.01, "99%"), (0.025, "97.5%"), (0.001, "99.9%"), (0.0001, "99.99%")],
)
def test_level_text_never_rounds_a_level_up_to_100_percent(alpha, level):
    assert level_text(alpha) == level
    assert interval_text({"ci_low": 0.1, "ci_high": 0.2}, alpha=alpha).startswith(f"{level} CI")
