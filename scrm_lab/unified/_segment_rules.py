"""Segment definitions: the rules of dynamic segments, read from YAML and checked.

A segment file lists segments in order, each with rules over the columns of a per-customer,
per-period feature table (the unified customer view as of each period end: RFM scores, CLV,
mentions, sentiment, influence, demographics)::

    version: 1
    segments:
      - name: social_champions
        description: Loyal buyers who talk about us warmly
        match: all            # all rules must hold (the default), or any one of them
        rules:
          - {feature: rfm_f, op: ">=", value: 4}
          - {feature: net_sentiment, op: ">", value: 0.3}
    rest: everyone_else       # the catch-all segment

Operators: ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``in``, ``not in``, ``between``
(``value: [low, high]``, both ends included), ``is missing`` and ``is not missing``. Nothing
in the file is executed: each operator is one of a fixed table of pandas comparisons, and the
values are plain YAML data read by :func:`scrm_lab._yaml.load_yaml` (no tags that build
objects, limits on size). Evaluation is in :mod:`scrm_lab.unified._segments`.

Private to :mod:`scrm_lab.unified`.
"""

from __future__ import annotations

import operator
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from scrm_lab._checks import suggest
from scrm_lab._yaml import describe_yaml_error, load_yaml, read_yaml_file
from scrm_lab.exceptions import DataFileError, ParameterError

__all__ = [
    "OPERATORS",
    "Rule",
    "Segment",
    "SegmentDefinitions",
    "list_segment_files",
    "load_segments",
]

_SEGMENT_DIR = Path(__file__).resolve().parent / "segments"

_COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_ORDERED = ("<", "<=", ">", ">=", "between")  # need a numeric column and numeric values
_SETS = ("in", "not in")
_PRESENCE = ("is missing", "is not missing")
#: The operators a rule may use, in the order messages list them.
OPERATORS: tuple[str, ...] = (*_COMPARISONS, *_SETS, "between", *_PRESENCE)

_TOP_KEYS = ("version", "segments", "rest")
_SEGMENT_KEYS = ("name", "description", "match", "rules")
_RULE_KEYS = ("feature", "op", "value")
_MATCHES = ("all", "any")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Rule:
    """One condition on one feature column: ``feature op value``.

    ``value`` is a number, text or bool for ``==``/``!=``, a number for ``<``, ``<=``,
    ``>``, ``>=``, a tuple for ``in``/``not in`` and a (low, high) tuple for ``between``,
    and None for ``is missing``/``is not missing``.

    Examples
    --------
    >>> Rule("rfm_f", "between", (4, 5)).text
    'rfm_f between [4, 5]'
    """

    feature: str
    op: str
    value: Any = None

    @property
    def text(self) -> str:
        """The rule as one would write it: ``net_sentiment > 0.3``."""
        if self.op in _PRESENCE:
            return f"{self.feature} {self.op}"
        shown = list(self.value) if isinstance(self.value, tuple) else self.value
        return f"{self.feature} {self.op} {shown!r}"


@dataclass(frozen=True)
class Segment:
    """A named segment: its rules, and whether ``all`` or ``any`` of them must hold."""

    name: str
    rules: tuple[Rule, ...]
    description: str = ""
    match: str = "all"


@dataclass(frozen=True)
class SegmentDefinitions:
    """Segments in order (the first whose rules hold wins), the catch-all, and their source.

    Build one with :func:`load_segments`, which checks everything; ``source`` names the
    file (or ``"<text>"``, ``"<mapping>"``) in every message about the definitions.

    Examples
    --------
    >>> definitions = load_segments("default")
    >>> definitions.names[-1], definitions.source
    ('everyone_else', 'default.yaml')
    """

    segments: tuple[Segment, ...]
    rest: str = "rest"
    source: str = "<definitions>"
    version: int = 1

    @property
    def names(self) -> tuple[str, ...]:
        """Segment names in definition order, ``rest`` last (the membership categories)."""
        return (*(s.name for s in self.segments), self.rest)

    def to_frame(self) -> pd.DataFrame:
        """One row per segment (``rest`` last): ``segment``, ``description``, ``match``, ``rules``.

        ``rules`` is the rules as text joined by " and " (or " or " for ``match: any``).

        Examples
        --------
        >>> load_segments("default").to_frame()["segment"].tolist()[:2]
        ['social_champions', 'at_risk_complainers']
        """
        rows = [
            {
                "segment": s.name,
                "description": s.description,
                "match": s.match,
                "rules": (" and " if s.match == "all" else " or ").join(r.text for r in s.rules),
            }
            for s in self.segments
        ]
        rows.append(
            {"segment": self.rest, "description": "everyone else", "match": "", "rules": ""}
        )
        return pd.DataFrame(rows, columns=["segment", "description", "match", "rules"])


def list_segment_files() -> list[str]:
    """Names of the shipped segment files, for :func:`load_segments`.

    Examples
    --------
    >>> list_segment_files()
    ['default']
    """
    return sorted(p.stem for p in _SEGMENT_DIR.glob("*.yaml"))


def load_segments(
    path_or_text: str | os.PathLike | Mapping[str, Any] | SegmentDefinitions = "default",
) -> SegmentDefinitions:
    """Read and check segment definitions.

    Parameters
    ----------
    path_or_text : str, path, mapping or SegmentDefinitions, default "default"
        The name of a shipped segment file (:func:`list_segment_files`), the path of a
        YAML file, YAML text (a string with a line break, ``": "`` or ``"{"``), a mapping
        of the same structure, or a :class:`SegmentDefinitions` (returned as it is).
        The file has the keys ``version`` (optional, 1), ``segments`` (a list, in
        priority order, of ``{name, description, match, rules}``; ``description``
        optional, ``match`` "all" (default) or "any") and ``rest`` (optional, the name
        of the catch-all segment, default "rest"). Each rule is ``{feature, op, value}``
        with ``op`` one of :data:`OPERATORS`; ``value`` is left out for ``is missing``
        and ``is not missing``.

    Returns
    -------
    SegmentDefinitions

    Raises
    ------
    DataFileError
        The file is missing, not UTF-8 or not plain-data YAML (a ``!!python/...`` tag, a
        repeated key; the line is named), or the text is not valid YAML.
    ParameterError
        The definitions are not valid; the one-line message names the file, the segment
        and the rule: not a mapping, no segments, a duplicate segment name, a name that is
        not a simple identifier (letters, digits, underscores), an unknown key (with a
        suggestion), a rule without ``feature`` or ``op``, an unknown operator, a value of
        the wrong kind (text for ``>=``, not a list for ``in``, ``between`` with low >
        high, a value given to ``is missing``), ``match`` not "all" or "any", a segment
        without rules, an unsupported ``version``.

    Examples
    --------
    >>> definitions = load_segments("default")
    >>> [s.name for s in definitions.segments][:3]
    ['social_champions', 'at_risk_complainers', 'quiet_loyalists']
    >>> load_segments("segments: [{name: fans, rules: [{feature: mentions, op: '=>', "
    ...               "value: 2}]}]")
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.ParameterError: <text>, segment 'fans', rule 1: unknown operator \
'=>'; expected one of ['==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'between', \
'is missing', 'is not missing']. Did you mean '>='?
    """
    given = path_or_text
    if isinstance(given, SegmentDefinitions):
        return given
    if isinstance(given, Mapping):
        return _parse(given, "<mapping>")
    if isinstance(given, str) and given in list_segment_files():
        return _parse(_read_file(_SEGMENT_DIR / f"{given}.yaml"), f"{given}.yaml")
    if isinstance(given, str) and ("\n" in given or ": " in given or "{" in given):
        try:
            raw = load_yaml(given)
        except yaml.YAMLError as err:
            raise DataFileError(
                f"The segment definitions given as text are not valid {describe_yaml_error(err)}"
            ) from err
        return _parse(raw, "<text>")
    if isinstance(given, str | os.PathLike):
        text = os.fspath(given)
        if isinstance(text, bytes):
            text = os.fsdecode(text)
        return _parse(_read_file(Path(text), given), text)
    raise ParameterError(
        "The 'path_or_text' parameter of load_segments must be a shipped segment file name "
        f"{list_segment_files()}, the path of a YAML file, YAML text, a mapping or "
        f"SegmentDefinitions. Got {type(given).__name__} instead."
    )


def _read_file(path: Path, given: object = None) -> Any:
    hint = ""
    if given is not None:
        hint = f"; shipped segment files are {list_segment_files()}" + suggest(
            os.fspath(given), list_segment_files()
        )
    return read_yaml_file(path, "segment file", missing_hint=hint)


def _found(raw: object) -> str:
    if raw is None:
        return "nothing"
    if isinstance(raw, Mapping):
        return "a mapping"
    if isinstance(raw, list):
        return "a list"
    return f"{type(raw).__name__} {raw!r}"


def _keys(raw: Mapping, allowed: Sequence[str], where: str) -> None:
    for key in raw:
        if key not in allowed:
            raise ParameterError(
                f"{where}: unknown key {key!r}; expected keys are {list(allowed)}."
                f"{suggest(key, allowed)}"
            )


def _name(value: object, where: str, what: str) -> str:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise ParameterError(
            f"{where}: {what} {_found(value) if not isinstance(value, str) else repr(value)} "
            "is not a simple identifier; expected letters, digits and underscores, not "
            "starting with a digit (e.g. social_champions)"
        )
    return value


def _parse(raw: object, source: str) -> SegmentDefinitions:
    if not isinstance(raw, Mapping):
        raise ParameterError(
            f"{source}: found {_found(raw)}; expected a mapping with keys {list(_TOP_KEYS)}"
        )
    _keys(raw, _TOP_KEYS, source)
    version = raw.get("version", 1)
    if version != 1 or isinstance(version, bool):
        raise ParameterError(f"{source}: version {version!r} is not supported; expected 1")
    listed = raw.get("segments")
    if not isinstance(listed, list) or not listed:
        raise ParameterError(
            f"{source}: 'segments' is {_found(listed)}; expected a non-empty list of segments, "
            "each with a name and rules"
        )
    segments: list[Segment] = []
    seen: set[str] = set()
    for position, item in enumerate(listed, start=1):
        segment = _parse_segment(item, source, position)
        if segment.name in seen:
            raise ParameterError(
                f"{source}, segment {position}: the name {segment.name!r} is used twice; "
                "expected distinct segment names"
            )
        seen.add(segment.name)
        segments.append(segment)
    rest = _name(raw.get("rest", "rest"), f"{source}, rest", "the catch-all name")
    if rest in seen:
        raise ParameterError(
            f"{source}, rest: the catch-all name {rest!r} is also a segment's name; expected "
            "a name of its own"
        )
    return SegmentDefinitions(segments=tuple(segments), rest=rest, source=source, version=1)


def _parse_segment(item: object, source: str, position: int) -> Segment:
    where = f"{source}, segment {position}"
    if not isinstance(item, Mapping):
        raise ParameterError(
            f"{where}: found {_found(item)}; expected a mapping with keys {list(_SEGMENT_KEYS)}"
        )
    if "name" not in item:
        raise ParameterError(f"{where}: no 'name'; every segment needs one")
    name = _name(item["name"], where, "the name")
    where = f"{source}, segment {name!r}"
    _keys(item, _SEGMENT_KEYS, where)
    description = item.get("description", "")
    if description is None:
        description = ""
    if not isinstance(description, str):
        raise ParameterError(f"{where}: description is {_found(description)}; expected text")
    match = item.get("match", "all")
    if match not in _MATCHES or not isinstance(match, str):
        raise ParameterError(
            f"{where}: match is {match!r}; expected one of {list(_MATCHES)}"
            f"{suggest(match, _MATCHES)}"
        )
    rules = item.get("rules")
    if not isinstance(rules, list) or not rules:
        raise ParameterError(
            f"{where}: 'rules' is {_found(rules)}; expected a non-empty list of rules "
            "{feature, op, value}"
        )
    parsed = tuple(_parse_rule(r, f"{where}, rule {i}") for i, r in enumerate(rules, start=1))
    return Segment(name=name, rules=parsed, description=description, match=match)


def _is_number(value: object) -> bool:
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and bool(np.isfinite(value))
    )


def _is_scalar(value: object) -> bool:
    return isinstance(value, str | bool) or _is_number(value)


def _suggest_operator(op: object) -> str:
    if not isinstance(op, str):
        return ""
    swapped = [o for o in OPERATORS if sorted(o) == sorted(op.strip())]  # "=>" for ">="
    return f" Did you mean {swapped[0]!r}?" if swapped else suggest(op, OPERATORS)


def _parse_rule(raw: object, where: str) -> Rule:
    if not isinstance(raw, Mapping):
        raise ParameterError(
            f"{where}: found {_found(raw)}; expected a mapping with keys {list(_RULE_KEYS)}"
        )
    _keys(raw, _RULE_KEYS, where)
    for key in ("feature", "op"):
        if key not in raw:
            raise ParameterError(f"{where}: no {key!r}; every rule needs 'feature' and 'op'")
    feature, op = raw["feature"], raw["op"]
    if not isinstance(feature, str) or not feature:
        raise ParameterError(f"{where}: feature is {_found(feature)}; expected a column name")
    if not isinstance(op, str) or op not in OPERATORS:
        raise ParameterError(
            f"{where}: unknown operator {op!r}; expected one of {list(OPERATORS)}."
            f"{_suggest_operator(op)}"
        )
    if op in _PRESENCE:
        if "value" in raw:
            raise ParameterError(f"{where}: {op!r} takes no value; found {_found(raw['value'])}")
        return Rule(feature, op)
    if "value" not in raw:
        raise ParameterError(f"{where}: no 'value'; the operator {op!r} needs one")
    value = raw["value"]
    if op in _COMPARISONS and op in _ORDERED:
        if not _is_number(value):
            raise ParameterError(f"{where}: {op!r} needs a finite number; found {_found(value)}")
        return Rule(feature, op, value)
    if op in _COMPARISONS:
        if not _is_scalar(value):
            hint = " (use 'is missing' for missing values)" if value is None else ""
            raise ParameterError(
                f"{where}: {op!r} needs a number, text or true/false; found {_found(value)}{hint}"
            )
        return Rule(feature, op, value)
    if op in _SETS:
        if not isinstance(value, list) or not value or not all(map(_is_scalar, value)):
            raise ParameterError(
                f"{where}: {op!r} needs a non-empty list of numbers, text or true/false; "
                f"found {_found(value)}"
            )
        kinds = {"text" if isinstance(v, str) else "other" for v in value}
        if len(kinds) > 1:
            raise ParameterError(
                f"{where}: {op!r} has text and numbers in one list {value!r}; expected one kind"
            )
        return Rule(feature, op, tuple(value))
    # between
    if not isinstance(value, list) or len(value) != 2 or not all(map(_is_number, value)):
        raise ParameterError(
            f"{where}: 'between' needs a list of two numbers [low, high]; found {_found(value)}"
        )
    low, high = value
    if low > high:
        raise ParameterError(
            f"{where}: 'between' has low {low!r} > high {high!r}; expected [low, high] with "
            "low <= high"
        )
    return Rule(feature, op, (low, high))
