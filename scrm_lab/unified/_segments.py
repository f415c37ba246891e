"""Dynamic segments: rules in a YAML file, evaluated per customer and period.

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

Membership is exclusive: a customer belongs, in each period, to the **first** segment whose
rules hold, else to ``rest``; re-evaluated every period, so customers move between segments
as they change. Operators: ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``in``,
``not in``, ``between`` (``value: [low, high]``, both ends included), ``is missing`` and
``is not missing``. A missing feature value never satisfies a comparison (not even ``!=``
or ``not in``); only ``is missing`` selects it. Nothing in the file is executed: each
operator is one of a fixed table of pandas comparisons, and the values are plain YAML data
read by :func:`scrm_lab._yaml.load_yaml` (no tags that build objects, limits on size).

Private to :mod:`scrm_lab.unified`, which re-exports the public names.

Examples
--------
>>> import pandas as pd
>>> definitions = load_segments('''
... segments:
...   - name: fans
...     rules: [{feature: mentions, op: ">=", value: 2}]
... rest: others
... ''')
>>> features = pd.DataFrame({"customer_id": [1, 2, 1, 2], "period": [1, 1, 2, 2],
...                          "mentions": [3, 0, 0, 2]})
>>> segment_membership(features, definitions)
   customer_id  period segment
0            1       1    fans
1            2       1  others
2            1       2  others
3            2       2    fans
"""

from __future__ import annotations

import datetime
import numbers
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
from scipy import stats

from scrm_lab._checks import (
    ALPHA,
    COLUMN,
    Choice,
    Flag,
    Instance,
    OrNone,
    Text,
    checks,
    current_function,
    refuse,
    require_columns,
    show_value,
    suggest,
)
from scrm_lab._proportions import wilson
from scrm_lab._yaml import describe_yaml_error, load_yaml, read_yaml_file
from scrm_lab.exceptions import DataFileError, ParameterError, SchemaError
from scrm_lab.models import group_difference, level_text

__all__ = [
    "OPERATORS",
    "Rule",
    "Segment",
    "SegmentDefinitions",
    "compare_segment",
    "list_segment_files",
    "load_segments",
    "segment_kpis",
    "segment_membership",
    "segment_transitions",
    "transition_matrix",
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
_IDS = ("customer_id", "period")
#: Labels of :func:`segment_transitions` for customers absent from one of the two periods.
ENTERED, LEFT = "(entered)", "(left)"
_PERIOD = Instance(
    (str, numbers.Integral, datetime.date, pd.Timestamp, pd.Period, np.datetime64),
    "a period present in the membership table (text, an integer or a date)",
)


# ------------------------------------------------------------------------- definitions


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


# -------------------------------------------------------------------------- evaluation

_DEFINITIONS = Instance(
    (SegmentDefinitions, str, os.PathLike, Mapping),
    "segment definitions (from load_segments), a shipped name, a path or YAML text",
)
_TABLE = "a pandas DataFrame"


def _frame(data: object, name: str, columns: Sequence[str]) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise refuse(name, _TABLE, data, described=type(data).__name__)
    require_columns(data, columns)
    return data


def _is_numeric(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _is_text(values: pd.Series) -> bool:
    if isinstance(values.dtype, pd.CategoricalDtype):
        return pd.api.types.is_string_dtype(values.cat.categories)
    return pd.api.types.is_string_dtype(values) and not _is_numeric(values)


def _holds(rule: Rule, data: pd.DataFrame, where: str, columns: list[str]) -> np.ndarray:
    if rule.feature not in data.columns:
        raise SchemaError(
            f"{where}: feature {rule.feature!r} is not a column of the feature table; "
            f"available columns: {', '.join(map(repr, columns))}.{suggest(rule.feature, columns)}",
            column=rule.feature,
        )
    values = data[rule.feature]
    present = values.notna().to_numpy()
    if rule.op == "is missing":
        return ~present
    if rule.op == "is not missing":
        return present
    wanted = rule.value if isinstance(rule.value, tuple) else (rule.value,)
    if rule.op in _ORDERED and not _is_numeric(values):
        raise SchemaError(
            f"{where}: {rule.text!r} compares numbers, but column {rule.feature!r} has dtype "
            f"{values.dtype}; expected a numeric column",
            column=rule.feature,
        )
    texts = [v for v in wanted if isinstance(v, str)]
    if texts and _is_numeric(values):
        raise SchemaError(
            f"{where}: {rule.text!r} compares text {texts[0]!r} with the numeric column "
            f"{rule.feature!r} (dtype {values.dtype}); expected a number",
            column=rule.feature,
        )
    if not texts and _is_text(values):
        raise SchemaError(
            f"{where}: {rule.text!r} compares a number with the text column "
            f"{rule.feature!r}; expected text values",
            column=rule.feature,
        )
    if rule.op == "between":
        low, high = rule.value
        result = (values >= low) & (values <= high)
    elif rule.op in _SETS:
        result = values.isin(list(rule.value))
        if rule.op == "not in":
            result = ~result
    else:
        result = _COMPARISONS[rule.op](values, rule.value)
    as_bool = pd.Series(result, index=values.index).fillna(False).astype(bool).to_numpy()
    return as_bool & present


@checks(definitions=_DEFINITIONS)
def segment_membership(
    features: pd.DataFrame,
    definitions: SegmentDefinitions | str | os.PathLike | Mapping[str, Any] = "default",
) -> pd.DataFrame:
    """The segment of every customer in every period (the first segment whose rules hold).

    Parameters
    ----------
    features : pandas.DataFrame
        One row per customer and period: ``customer_id``, ``period`` (any sortable value:
        a date, a number, text) and the feature columns the rules name (such as the
        columns of the unified customer view as of each period end).
    definitions : SegmentDefinitions, str, path or mapping, default "default"
        From :func:`load_segments`, or anything it reads.

    Returns
    -------
    pandas.DataFrame
        Columns ``customer_id``, ``period``, ``segment``: one row per row of ``features``,
        sorted by period and customer. ``segment`` is an ordered categorical whose
        categories are the segment names in definition order, ``rest`` last (every
        category is listed even when empty). Membership is exclusive: a customer is in
        the first segment whose rules all hold (any one, for ``match: any``); a missing
        feature value fails every comparison (only ``is missing`` selects it).

    Raises
    ------
    SchemaError
        ``customer_id`` or ``period`` is missing, a customer appears twice in one period,
        a rule's feature is not a column (with the closest column suggested), or a rule
        compares numbers with a text column (or text with a numeric one); the message
        names the segment file, the segment and the rule.

    Examples
    --------
    >>> import pandas as pd
    >>> features = pd.DataFrame({
    ...     "customer_id": ["a", "b", "c"], "period": ["2024Q1"] * 3,
    ...     "rfm_f": [5, 4, 1], "net_sentiment": [0.8, -0.5, None], "mentions": [3, 4, 0],
    ...     "negative": [0, 3, 0], "T": [300.0, 200.0, None], "frequency": [9, 6, 0]})
    >>> segment_membership(features, "default")["segment"].tolist()
    ['social_champions', 'at_risk_complainers', 'everyone_else']
    """
    definitions = load_segments(definitions)
    features = _frame(features, "features", _IDS)
    if features.duplicated(list(_IDS)).any():
        first = features.loc[features.duplicated(list(_IDS)), list(_IDS)].iloc[0]
        raise SchemaError(
            f"{current_function()}: customer {show_value(first['customer_id'])} appears more "
            f"than once in period {show_value(first['period'])}; expected one row per customer "
            "and period"
        )
    columns = [str(c) for c in features.columns]
    conditions = []
    for segment in definitions.segments:
        where = f"{definitions.source}, segment {segment.name!r}"
        held = [
            _holds(rule, features, f"{where}, rule {i}", columns)
            for i, rule in enumerate(segment.rules, start=1)
        ]
        combine = np.logical_and if segment.match == "all" else np.logical_or
        conditions.append(combine.reduce(held))
    if conditions:
        position = np.select(conditions, list(range(len(conditions))), len(conditions))
    else:  # pragma: no cover - load_segments refuses definitions without segments
        position = np.zeros(len(features), dtype=int)
    categories = pd.CategoricalDtype(list(definitions.names), ordered=True)
    result = pd.DataFrame(
        {
            "customer_id": features["customer_id"].to_numpy(),
            "period": features["period"].to_numpy(),
            "segment": pd.Categorical.from_codes(np.asarray(position, dtype=int), dtype=categories),
        }
    )
    return result.sort_values(["period", "customer_id"], kind="stable", ignore_index=True)


# ------------------------------------------------------------------------- transitions


def _membership(membership: object) -> pd.DataFrame:
    frame = _frame(membership, "membership", (*_IDS, "segment"))
    if frame.duplicated(list(_IDS)).any():
        first = frame.loc[frame.duplicated(list(_IDS)), list(_IDS)].iloc[0]
        raise SchemaError(
            f"{current_function()}: membership has customer {show_value(first['customer_id'])} "
            f"twice in period {show_value(first['period'])}; expected one segment per customer "
            "and period"
        )
    return frame


def _segment_names(segments: pd.Series) -> list[str]:
    if isinstance(segments.dtype, pd.CategoricalDtype):
        return [str(c) for c in segments.cat.categories]
    return sorted(str(s) for s in segments.dropna().unique())


def _listed(values: Sequence) -> str:
    return "[" + ", ".join(show_value(v) for v in values) + "]"


def _periods(frame: pd.DataFrame) -> list:
    return sorted(pd.unique(frame["period"]))


@checks(normalize=Flag())
def segment_transitions(membership: pd.DataFrame, *, normalize: bool = True) -> pd.DataFrame:
    """Moves between segments from each period to the next, as a tidy transition table.

    Parameters
    ----------
    membership : pandas.DataFrame
        ``customer_id``, ``period``, ``segment`` (from :func:`segment_membership`).
        Periods are taken in sorted order; each is paired with the next one present.
    normalize : bool, default True
        Add ``share``: ``n`` divided by the number of customers in ``segment_from`` in
        that pair of periods (each row of the matrix sums to 1; missing when the segment
        was empty).

    Returns
    -------
    pandas.DataFrame
        One row per pair of consecutive periods and pair of segments, zeros included:
        ``period_from``, ``period_to``, ``segment_from``, ``segment_to``, ``n``, and
        ``share`` when ``normalize``. A customer present in ``period_to`` only counts with
        ``segment_from`` = "(entered)"; one present in ``period_from`` only counts with
        ``segment_to`` = "(left)". ``segment_from`` is an ordered categorical of the
        segments then "(entered)", ``segment_to`` of the segments then "(left)".

    Examples
    --------
    >>> import pandas as pd
    >>> membership = pd.DataFrame({"customer_id": [1, 2, 1, 3], "period": [1, 1, 2, 2],
    ...                            "segment": ["fans", "others", "others", "fans"]})
    >>> moves = segment_transitions(membership)
    >>> moves[moves["n"] > 0]
       period_from  period_to segment_from segment_to  n  share
    1            1          2         fans     others  1    1.0
    5            1          2       others     (left)  1    1.0
    6            1          2    (entered)       fans  1    1.0
    """
    frame = _membership(membership)
    names = _segment_names(frame["segment"])
    from_dtype = pd.CategoricalDtype([*names, ENTERED], ordered=True)
    to_dtype = pd.CategoricalDtype([*names, LEFT], ordered=True)
    periods = _periods(frame)
    tables = []
    for before, after in zip(periods[:-1], periods[1:], strict=True):
        left = frame.loc[frame["period"] == before, ["customer_id", "segment"]]
        right = frame.loc[frame["period"] == after, ["customer_id", "segment"]]
        pairs = left.merge(right, on="customer_id", how="outer", suffixes=("_from", "_to"))
        source = pairs["segment_from"].astype("string").fillna(ENTERED)
        target = pairs["segment_to"].astype("string").fillna(LEFT)
        counts = pd.crosstab(
            pd.Categorical(source, dtype=from_dtype),
            pd.Categorical(target, dtype=to_dtype),
            dropna=False,
        )
        counts.index.name, counts.columns.name = "segment_from", "segment_to"
        long = counts.stack().rename("n").reset_index()
        long.insert(0, "period_to", after)
        long.insert(0, "period_from", before)
        tables.append(long)
    columns = ["period_from", "period_to", "segment_from", "segment_to", "n"]
    if not tables:
        result = pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    else:
        result = pd.concat(tables, ignore_index=True)
    result["segment_from"] = result["segment_from"].astype(str).astype(from_dtype)
    result["segment_to"] = result["segment_to"].astype(str).astype(to_dtype)
    result["n"] = result["n"].astype("int64")
    if normalize:
        total = result.groupby(["period_from", "segment_from"], observed=False)["n"].transform(
            "sum"
        )
        result["share"] = (result["n"] / total.where(total > 0)).astype("float64")
    return result


@checks(period_from=OrNone(_PERIOD), value=Choice(("share", "n")))
def transition_matrix(
    transitions: pd.DataFrame, *, period_from: Any = None, value: str = "share"
) -> pd.DataFrame:
    """One pair of periods of :func:`segment_transitions` as a matrix (rows: from, columns: to).

    Parameters
    ----------
    transitions : pandas.DataFrame
        The table :func:`segment_transitions` returns.
    period_from : optional
        The first period of the pair; by default the latest pair.
    value : {"share", "n"}, default "share"
        What the cells hold.

    Returns
    -------
    pandas.DataFrame
        Index ``segment_from`` (the segments, then "(entered)"), columns ``segment_to``
        (the segments, then "(left)").

    Examples
    --------
    >>> import pandas as pd
    >>> membership = pd.DataFrame({"customer_id": [1, 2, 1, 2], "period": [1, 1, 2, 2],
    ...                            "segment": ["fans", "others", "others", "others"]})
    >>> transition_matrix(segment_transitions(membership), value="n")
    segment_to    fans  others  (left)
    segment_from
    fans             0       1       0
    others           0       1       0
    (entered)        0       0       0
    """
    frame = _frame(transitions, "transitions", ("period_from", "segment_from", "segment_to"))
    require_columns(frame, [value])
    available = list(pd.unique(frame["period_from"]))
    if not available:
        raise SchemaError(
            f"{current_function()}: the transitions table is empty (fewer than two periods)"
        )
    if period_from is None:
        period_from = max(available)
    elif period_from not in available:
        raise refuse("period_from", f"one of {_listed(sorted(available))}", period_from)
    chosen = frame[frame["period_from"] == period_from]
    matrix = chosen.set_index(["segment_from", "segment_to"])[value].unstack("segment_to")
    return matrix


# -------------------------------------------------------------------------------- KPIs


def _joined(features: object, membership: object) -> pd.DataFrame:
    membership = _membership(membership)
    features = _frame(features, "features", _IDS)
    extra = [c for c in features.columns if c not in _IDS and c != "segment"]
    joined = membership.merge(
        features[[*_IDS, *extra]], on=list(_IDS), how="left", indicator="__scrm_found"
    )
    if len(joined) != len(membership):
        raise SchemaError(
            f"{current_function()}: the features have a customer more than once in one "
            "period; expected one row per customer and period"
        )
    missing = joined["__scrm_found"] == "left_only"
    if missing.any():
        first = joined.loc[missing, list(_IDS)].iloc[0]
        raise SchemaError(
            f"{current_function()}: membership has customer {show_value(first['customer_id'])} "
            f"in period {show_value(first['period'])}, which is not in the features; expected "
            "the features the membership was computed from"
        )
    return joined.drop(columns="__scrm_found")


def _numbers(data: pd.DataFrame, column: str, what: str) -> pd.Series:
    require_columns(data, [column])
    values = data[column]
    if not _is_numeric(values):
        raise SchemaError(
            f"{current_function()}: the {what} column {column!r} has dtype {values.dtype}; "
            "expected numbers",
            column=column,
        )
    return values.astype("float64")


def _t_rows(groups: pd.core.groupby.SeriesGroupBy, alpha: float) -> pd.DataFrame:
    summary = groups.agg(["count", "sum", "mean", "std"])
    count = summary["count"].astype("float64")
    half = (
        stats.t.ppf(1 - alpha / 2, (count - 1).where(count > 1)) * summary["std"] / np.sqrt(count)
    )
    summary["half"] = half
    return summary


@checks(
    revenue=OrNone(COLUMN),
    converted=OrNone(COLUMN),
    clv=OrNone(COLUMN),
    positive=OrNone(COLUMN),
    negative=OrNone(COLUMN),
    alpha=ALPHA,
)
def segment_kpis(
    features: pd.DataFrame,
    membership: pd.DataFrame,
    *,
    revenue: str | None = "revenue",
    converted: str | None = "revenue",
    clv: str | None = "clv",
    positive: str | None = "positive",
    negative: str | None = "negative",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Campaign KPIs per period and segment, with intervals, in long format.

    Every segment of the membership's categories gets its rows in every period, empty
    ones included (n = 0, estimates missing or 0). Missing values in a column are left out
    of that KPI (its ``n`` says how many counted). The KPIs (``kpi``):

    - ``size``: customers in the segment (no interval).
    - ``share``: size / customers in the period, Wilson interval (scrm_lab's ``wilson``).
      The interval treats the period's customers as a sample of those the business
      could have had; read it as uncertainty about the process, not about a count.
    - ``revenue_total``: sum of ``revenue``; interval n times the interval of the mean.
    - ``revenue_mean``: mean of ``revenue``, t interval (mean +- t(1 - alpha/2, n - 1) sd /
      sqrt(n), sd with n - 1; missing for n < 2). Revenue is skewed: for small segments
      the t interval is approximate.
    - ``conversion``: share converted, Wilson interval. ``converted`` names a bool column
      (True converted) or a numeric one (converted when above 0: a purchase count or the
      period's revenue). Use the revenue *of the period*, so the rate is the share who
      bought in the period.
    - ``clv_mean``: mean of ``clv``, t interval.
    - ``net_sentiment``: pooled over the segment, (sum positive - sum negative) / (sum
      positive + sum negative); ``n`` is the number of positive and negative mentions.
      Interval: Wilson interval of the positive share p among them, mapped to 2p - 1.
      It treats mentions as independent; when a few customers write most mentions the
      interval is too narrow.

    Parameters
    ----------
    features : pandas.DataFrame
        One row per customer and period: ``customer_id``, ``period`` and the columns below.
    membership : pandas.DataFrame
        ``customer_id``, ``period``, ``segment`` (from :func:`segment_membership`); every
        row must have its row in ``features``.
    revenue, converted, clv, positive, negative : str or None
        Columns for the KPIs above; None leaves a KPI out (``positive`` or ``negative``
        None leaves out net sentiment).
    alpha : float, default 0.05
        Intervals have confidence level 1 - ``alpha``.

    Returns
    -------
    pandas.DataFrame
        Columns ``period``, ``segment``, ``kpi``, ``n``, ``estimate``, ``ci_low``,
        ``ci_high``, ``method``; sorted by period, segment (definition order) and KPI (the
        order above).

    Examples
    --------
    >>> import pandas as pd
    >>> features = pd.DataFrame({"customer_id": [1, 2, 3, 4], "period": 1,
    ...                          "revenue": [10.0, 0.0, 30.0, 20.0], "clv": [50.0, 5, 90, 70],
    ...                          "positive": [3, 0, 1, 2], "negative": [1, 2, 0, 0]})
    >>> membership = pd.DataFrame({"customer_id": [1, 2, 3, 4], "period": 1,
    ...                            "segment": ["fans", "others", "fans", "fans"]})
    >>> kpis = segment_kpis(features, membership)
    >>> kpis.loc[kpis["segment"] == "fans", ["kpi", "n", "estimate"]]
                 kpi  n   estimate
    0           size  3   3.000000
    1          share  3   0.750000
    2  revenue_total  3  60.000000
    3   revenue_mean  3  20.000000
    4     conversion  3   1.000000
    5       clv_mean  3  70.000000
    6  net_sentiment  7   0.714286
    """
    data = _joined(features, membership)
    level = level_text(alpha)
    names = _segment_names(data["segment"])
    data["segment"] = data["segment"].astype(str).astype(pd.CategoricalDtype(names, ordered=True))
    keys = ["period", "segment"]
    grouped = data.groupby(keys, observed=False, sort=True)
    size = grouped.size().astype("float64")
    in_period = size.groupby(level="period").transform("sum")
    parts: dict[str, pd.DataFrame] = {}

    def add(kpi: str, n, estimate, low, high, method: str) -> None:
        parts[kpi] = pd.DataFrame(
            {"n": n, "estimate": estimate, "ci_low": low, "ci_high": high, "method": method},
            index=size.index,
        )

    add("size", size, size, np.nan, np.nan, "count of customers")
    low, high = wilson(size, in_period, alpha)
    add(
        "share",
        size,
        size / in_period,
        low,
        high,
        f"share of the period's customers, {level} Wilson interval",
    )
    if revenue is not None:
        data["__revenue"] = _numbers(data, revenue, "revenue")
        t = _t_rows(data.groupby(keys, observed=False, sort=True)["__revenue"], alpha)
        add(
            "revenue_total", t["count"], t["sum"], t["count"] * (t["mean"] - t["half"]),
            t["count"] * (t["mean"] + t["half"]),
            f"sum of {revenue}; n x the {level} t interval of the mean",
        )  # fmt: skip
        add("revenue_mean", t["count"], t["mean"], t["mean"] - t["half"], t["mean"] + t["half"],
            f"mean of {revenue}, {level} t interval")  # fmt: skip
    if converted is not None:
        require_columns(data, [converted])
        values = data[converted]
        if pd.api.types.is_bool_dtype(values):
            flag = values.astype("float64")
        elif _is_numeric(values):
            flag = (values.astype("float64") > 0).astype("float64").where(values.notna())
        else:
            raise SchemaError(
                f"{current_function()}: the converted column {converted!r} has dtype "
                f"{values.dtype}; expected true/false or numbers (above 0 is converted)",
                column=converted,
            )
        data["__converted"] = flag
        counts = data.groupby(keys, observed=False, sort=True)["__converted"].agg(["count", "sum"])
        low, high = wilson(counts["sum"], counts["count"], alpha)
        rate = counts["sum"] / counts["count"].where(counts["count"] > 0)
        add("conversion", counts["count"], rate, low, high,
            f"share with {converted} {'true' if pd.api.types.is_bool_dtype(values) else '> 0'}, "
            f"{level} Wilson interval")  # fmt: skip
    if clv is not None:
        data["__clv"] = _numbers(data, clv, "clv")
        t = _t_rows(data.groupby(keys, observed=False, sort=True)["__clv"], alpha)
        add("clv_mean", t["count"], t["mean"], t["mean"] - t["half"], t["mean"] + t["half"],
            f"mean of {clv}, {level} t interval")  # fmt: skip
    if positive is not None and negative is not None:
        pos, neg = _numbers(data, positive, "positive"), _numbers(data, negative, "negative")
        for name, values in ((positive, pos), (negative, neg)):
            if (values < 0).any():
                raise SchemaError(
                    f"{current_function()}: column {name!r} has negative counts (first "
                    f"{values[values < 0].iloc[0]!r}); expected mention counts >= 0",
                    column=name,
                )
        both = pos.notna() & neg.notna()
        data["__pos"], data["__neg"] = pos.where(both), neg.where(both)
        sums = data.groupby(keys, observed=False, sort=True)[["__pos", "__neg"]].sum()
        total = sums["__pos"] + sums["__neg"]
        low, high = wilson(sums["__pos"], total, alpha)
        add(
            "net_sentiment", total, (sums["__pos"] - sums["__neg"]) / total.where(total > 0),
            2 * low - 1, 2 * high - 1,
            f"pooled ({positive} - {negative}) / ({positive} + {negative}); {level} Wilson "
            f"interval of the {positive} share p, as 2p - 1",
        )  # fmt: skip
    long = pd.concat(parts, names=["kpi"]).reset_index()
    long["kpi"] = pd.Categorical(long["kpi"], categories=list(parts), ordered=True)
    long = long.sort_values(["period", "segment", "kpi"], kind="stable", ignore_index=True)
    long["kpi"] = long["kpi"].astype(str)
    long["n"] = long["n"].astype("int64") if (long["n"] % 1 == 0).all() else long["n"]
    return long[["period", "segment", "kpi", "n", "estimate", "ci_low", "ci_high", "method"]]


# -------------------------------------------------------------------------- comparison


@checks(segment=Text("a segment name (a non-empty str)"), value=COLUMN, period=OrNone(_PERIOD),
        alpha=ALPHA)  # fmt: skip
def compare_segment(
    features: pd.DataFrame,
    membership: pd.DataFrame,
    *,
    segment: str,
    value: str,
    period: Any = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """One segment against all other customers in one period: the difference in ``value``.

    The customers of ``period`` are split into ``segment`` and "not <segment>" (every
    other segment, ``rest`` included), and :func:`scrm_lab.models.group_difference`
    estimates the difference of the two means by OLS on the group with HC3 standard errors
    (robust to unequal variances, close to Welch's t-test), with its interval and p-value.

    Parameters
    ----------
    features : pandas.DataFrame
        One row per customer and period: ``customer_id``, ``period`` and ``value``.
    membership : pandas.DataFrame
        ``customer_id``, ``period``, ``segment`` (from :func:`segment_membership`).
    segment : str
        The segment compared with the rest.
    value : str
        Numeric column compared (missing values are left out).
    period : optional
        The period; by default the latest one.
    alpha : float, default 0.05
        The interval has confidence level 1 - ``alpha``.

    Returns
    -------
    pandas.DataFrame
        ``period`` followed by the columns of :func:`scrm_lab.models.group_difference`
        (``model``, ``term`` "<segment> - not <segment>", ``controls``, ``n``,
        ``estimate``, ``ci_low``, ``ci_high``, ``statistic``, ``p_value``,
        ``r_squared``, ``share_explained``, ``method``, ``clear``): one row.

    Examples
    --------
    >>> import pandas as pd
    >>> features = pd.DataFrame({"customer_id": range(6), "period": 1,
    ...                          "revenue": [10.0, 12, 14, 1, 2, 3]})
    >>> membership = pd.DataFrame({"customer_id": range(6), "period": 1,
    ...                            "segment": ["fans"] * 3 + ["others"] * 3})
    >>> result = compare_segment(features, membership, segment="fans", value="revenue")
    >>> result[["term", "n", "estimate"]]
                 term  n  estimate
    0  fans - not fans  6      10.0
    """
    data = _joined(features, membership)
    names = _segment_names(data["segment"])
    if segment not in names:
        raise refuse("segment", f"one of the segments {names}", segment, suggest(segment, names))
    periods = _periods(data)
    if period is None:
        period = periods[-1]
    elif period not in periods:
        raise refuse("period", f"one of the periods {_listed(periods)}", period)
    values = _numbers(data, value, "value")
    chosen = data["period"] == period
    other = f"not {segment}"
    frame = pd.DataFrame(
        {
            "value": values[chosen],
            "group": np.where(data.loc[chosen, "segment"].astype(str) == segment, segment, other),
        }
    ).dropna()
    for label in (segment, other):
        count = int((frame["group"] == label).sum())
        if count < 2:
            raise ParameterError(
                f"{current_function()}: in period {show_value(period)}, {label!r} has {count} "
                f"customer(s) with a value of {value!r}; expected at least 2 in each group to "
                "compare"
            )
    result = group_difference(
        frame, value="value", group="group", target=segment, reference=other, alpha=alpha
    )
    result.insert(0, "period", period)
    return result
