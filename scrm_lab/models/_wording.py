"""The wording of statistical results, written once for every sentence function.

:func:`p_text` gives a p-value in words, :func:`interval_text` a confidence interval from a
result row, :func:`bullet_list` a list of sentences as Markdown bullets. Every sentence
function (:func:`scrm_lab.models.verdict`, :func:`scrm_lab.models.lead_lag_summary`, the
studies' summaries) uses them, so a p-value or an interval reads the same everywhere.

Examples
--------
>>> row = {"ci_low": 0.251, "ci_high": 0.48, "p_value": 0.0312}
>>> print(bullet_list([f"r = 0.37 ({interval_text(row)}, {p_text(row['p_value'])})."]))
- r = 0.37 (95% CI 0.25 to 0.48, p = 0.03).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from scrm_lab._checks import ALPHA, Integer, checks

__all__ = ["bullet_list", "interval_text", "level_text", "p_text"]


def p_text(p_value: float) -> str:
    """A p-value in words: "p < 0.001", three decimals below 0.01, two decimals otherwise.

    Parameters
    ----------
    p_value : float
        The p-value (adjusted or not).

    Returns
    -------
    str
        ``"p < 0.001"``, ``"p = 0.004"`` or ``"p = 0.03"``.

    Examples
    --------
    >>> p_text(0.0004), p_text(0.0042), p_text(0.0312), p_text(0.8)
    ('p < 0.001', 'p = 0.004', 'p = 0.03', 'p = 0.80')
    """
    if p_value < 0.001:
        return "p < 0.001"
    return f"p = {p_value:.3f}" if p_value < 0.01 else f"p = {p_value:.2f}"


@checks(alpha=ALPHA)
def level_text(alpha: float) -> str:
    """The confidence level of significance level ``alpha``, as few digits as it needs.

    Examples
    --------
    >>> [level_text(a) for a in (0.05, 0.1, 0.025, 0.001, 0.0001)]
    ['95%', '90%', '97.5%', '99.9%', '99.99%']
    """
    return f"{(1 - alpha) * 100:.10g}%"


@checks(alpha=ALPHA, digits=Integer(low=0))
def interval_text(row: Mapping[str, Any], *, alpha: float = 0.05, digits: int = 2) -> str:
    """A confidence interval in words, from a row with ``ci_low`` and ``ci_high``.

    Parameters
    ----------
    row : mapping
        A result row (a dict, or a pandas Series from ``table.iloc[i]``) with ``ci_low`` and
        ``ci_high``.
    alpha : float, default 0.05
        The interval's confidence level is 1 - ``alpha`` (said as a percentage).
    digits : int, default 2
        Decimals of the two bounds.

    Returns
    -------
    str
        ``"95% CI <low> to <high>"``.

    Examples
    --------
    >>> interval_text({"ci_low": 0.251, "ci_high": 0.48})
    '95% CI 0.25 to 0.48'
    >>> interval_text({"ci_low": -1.2345, "ci_high": 3.0}, alpha=0.1, digits=3)
    '90% CI -1.234 to 3.000'
    """
    return f"{level_text(alpha)} CI {row['ci_low']:.{digits}f} to {row['ci_high']:.{digits}f}"


def bullet_list(sentences: Sequence[str]) -> str:
    """Sentences as a Markdown bullet list, one ``- `` line each.

    Parameters
    ----------
    sentences : sequence of str
        The sentences, in order.

    Returns
    -------
    str
        The lines joined by newlines (empty for no sentences).

    Examples
    --------
    >>> print(bullet_list(["One.", "Two."]))
    - One.
    - Two.
    """
    return "\n".join(f"- {s}" for s in sentences)
