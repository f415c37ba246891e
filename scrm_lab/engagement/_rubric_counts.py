"""Levels from raw activity counts: a rubric attribute's ``from_counts`` rule.

Private to :mod:`scrm_lab.engagement`; :mod:`scrm_lab.engagement._rubric` reads the rule from
a rubric file and the brand descriptions apply it.

Examples
--------
>>> FromCounts(counts=("posts_90d",), thresholds=(1, 13, 90)).level(posts_90d=45)
2
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scrm_lab.exceptions import ParameterError


def _counts_problem(value: object) -> str | None:
    names = isinstance(value, list | tuple) and all(isinstance(n, str) for n in value)
    if not names or len(value) not in (1, 2):
        return (
            f"found {value!r}; expected a list of one count name (the thresholds apply to it) "
            "or two (numerator and denominator: the thresholds apply to their ratio)"
        )
    for name in value:
        if not name.isidentifier():
            return (
                f"the count name {name!r} is not an identifier; expected letters, digits and "
                "underscores, not starting with a digit (a count is a column name)"
            )
    if len(value) == 2 and value[0] == value[1]:
        return f"found {list(value)!r}; expected two different counts"
    return None


def _thresholds_problem(value: object, max_level: int | None = None) -> str | None:
    numbers = isinstance(value, list | tuple) and all(
        isinstance(t, int | float) and not isinstance(t, bool) and math.isfinite(t) for t in value
    )
    size = "at least one number" if max_level is None else f"{max_level} numbers"
    if not numbers or not value or (max_level is not None and len(value) != max_level):
        because = "" if max_level is None else f" (one per level above 0; max_level is {max_level})"
        return f"found {value!r}; expected a list of {size}{because}"
    if any(t < 0 for t in value):
        return f"found {list(value)!r}; expected numbers >= 0"
    if any(b <= a for a, b in zip(value, value[1:], strict=False)):
        return (
            f"found {list(value)!r}; expected strictly increasing numbers (level k is reached "
            "at the k-th threshold)"
        )
    return None


def _show(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:.3g}"


@dataclass(frozen=True)
class FromCounts:
    """How raw activity counts give an attribute's level (an attribute's ``from_counts``).

    The level is the number of ``thresholds`` the value reaches (value >= threshold), so
    there is one threshold per level above 0. With one count the value is the count; with
    two it is their ratio, numerator / denominator (e.g. replies / comments: the share
    answered). A denominator of 0 (nothing to answer) gives level 0, and the explanation
    says so.

    Examples
    --------
    >>> rule = FromCounts(counts=("posts_90d",), thresholds=(1, 13, 90))
    >>> rule.level(posts_90d=12), rule.level(posts_90d=13)
    (1, 2)
    >>> FromCounts(counts=("replies", "comments"), thresholds=(1e-6, 0.5, 0.9)).level(
    ...     replies=9, comments=10
    ... )
    3
    """

    counts: tuple[str, ...]
    thresholds: tuple[int | float, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", tuple(self.counts))
        object.__setattr__(self, "thresholds", tuple(self.thresholds))
        for name, problem in (
            ("counts", _counts_problem(self.counts)),
            ("thresholds", _thresholds_problem(self.thresholds)),
        ):
            if problem:
                raise ParameterError(f"FromCounts {name}: {problem}")

    def level(self, **counts: int) -> int:
        """The level given by the counts, passed by name (whole numbers >= 0)."""
        if sorted(counts) != sorted(self.counts):
            raise ParameterError(
                f"FromCounts.level: found the counts {sorted(counts)}; expected exactly "
                f"{list(self.counts)}"
            )
        for name, value in counts.items():
            if _count_problem(value):
                raise ParameterError(
                    f"FromCounts.level: count {name!r} is {value!r}; expected a whole number >= 0"
                )
        return self._level([counts[name] for name in self.counts])

    def _value(self, values: Sequence[int]) -> float | None:
        """The count, or the ratio of the two (None when the denominator is 0)."""
        if len(values) == 1:
            return float(values[0])
        return None if values[1] == 0 else values[0] / values[1]

    def _level(self, values: Sequence[int]) -> int:
        value = self._value(values)
        return 0 if value is None else sum(value >= t for t in self.thresholds)

    def _needed(self, level: int) -> str:
        """What the counts must reach for ``level`` (1 or more), in words."""
        value = " / ".join(self.counts)
        return f"{value} >= {_show(self.thresholds[level - 1])}"

    def _explain(self, values: Sequence[int]) -> str:
        """The counts and the value compared with the thresholds, in words."""
        if len(values) == 1:
            return f"{self.counts[0]} = {_show(values[0])}"
        shown = f"{self.counts[0]} / {self.counts[1]} = {_show(values[0])} / {_show(values[1])}"
        value = self._value(values)
        if value is None:
            return f"{shown}: no {self.counts[1]}, so level 0"
        return f"{shown} = {_show(value)}"


def _count_problem(value: object) -> bool:
    whole = isinstance(value, int | float) and not isinstance(value, bool)
    return not whole or not math.isfinite(value) or not float(value).is_integer() or value < 0
