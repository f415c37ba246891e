"""Scoring rubrics: YAML files declaring channels, attributes, points and the score.

Private to :mod:`scrm_lab.engagement`, which re-exports the public names.

Examples
--------
>>> list_rubrics()
['engagementdb_2009']
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from scrm_lab._checks import suggest as _suggest
from scrm_lab._yaml import read_yaml_file
from scrm_lab.engagement._rubric_counts import (
    FromCounts,
    _counts_problem,
    _thresholds_problem,
)
from scrm_lab.exceptions import ParameterError

#: Scoring methods a rubric may name (``score:``); ``sum`` is the study's cumulative score.
SCORE_METHODS: tuple[str, ...] = ("sum",)

_RUBRIC_DIR = Path(__file__).resolve().parent / "rubrics"
_TOP_REQUIRED = ("name", "version", "presence", "score", "attributes", "channels")
_TOP_KEYS = (*_TOP_REQUIRED, "title")
_ATTRIBUTE_REQUIRED = ("points", "max_level")
_ATTRIBUTE_KEYS = (*_ATTRIBUTE_REQUIRED, "description", "source", "from_counts")
_FROM_COUNTS_KEYS = ("counts", "thresholds")
#: Names a count may not take: they are columns of a brand description table already.
_RESERVED_NAMES = ("brand", "channel", "period", "listed", "simulated")
#: Suffix of the description table's columns saying a level came from counts.
FROM_COUNTS_SUFFIX = "_from_counts"
_CHANNEL_REQUIRED = ("attributes",)
_CHANNEL_KEYS = (*_CHANNEL_REQUIRED, "label", "source")


def _points_problem(value: object) -> str | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or value < 0:
        return f"found {value!r}; expected a number >= 0"
    return None


def _level_problem(value: object) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        return f"found {value!r}; expected a positive integer"
    return None


@dataclass(frozen=True)
class Attribute:
    """One scored attribute: a level from 0 to ``max_level``, worth ``points`` per level.

    ``from_counts`` (optional, a :class:`FromCounts`) says how raw activity counts give the
    level, so that a brand description may give the counts instead of the level.

    Examples
    --------
    >>> Attribute(points=1, max_level=3).max_points
    3
    """

    points: int | float
    max_level: int
    description: str = ""
    source: str = ""
    from_counts: FromCounts | None = None

    def __post_init__(self) -> None:
        for name, problem in (
            ("points", _points_problem(self.points)),
            ("max_level", _level_problem(self.max_level)),
        ):
            if problem:
                raise ParameterError(f"Attribute {name}: {problem}")
        rule = self.from_counts
        if rule is not None and not isinstance(rule, FromCounts):
            raise ParameterError(
                f"Attribute from_counts: found {type(rule).__name__}; expected a FromCounts or None"
            )
        problem = rule and _thresholds_problem(rule.thresholds, self.max_level)
        if problem:
            raise ParameterError(f"Attribute from_counts.thresholds: {problem}")

    @property
    def max_points(self) -> int | float:
        """Points at the highest level."""
        return self.points * self.max_level


@dataclass(frozen=True)
class Channel:
    """One scored channel: its display label, where it comes from, and its attributes."""

    label: str
    source: str
    attributes: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "attributes", tuple(self.attributes))


@dataclass(frozen=True)
class Rubric:
    """A scoring method: channels, the attributes scored on each, points and levels.

    ``depth`` on a channel is the sum over the channel's attributes of level x points; the
    ``score`` (method ``"sum"``) is the sum of depths over channels; ``breadth`` counts the
    channels where the ``presence`` attribute's level is above 0. Build one with
    :func:`load_rubric`; direct construction is checked the same way.

    Attributes
    ----------
    name, title : str
        Short name and display title.
    version : int or str
        Version of the rubric, to cite with a score.
    presence : str
        The attribute that says a brand uses a channel.
    score : str
        Scoring method, one of :data:`SCORE_METHODS`.
    attributes : mapping of str to Attribute
        Every attribute that may be scored, in the rubric's order (read-only).
    channels : mapping of str to Channel
        The scored channels, in the rubric's order (read-only).

    Examples
    --------
    >>> rubric = load_rubric()
    >>> rubric.points_table().head(3)
      channel       attribute  points  max_level  max_points
    0   blogs         present       1          1           1
    1   blogs       freshness       1          3           3
    2   blogs  responsiveness       1          3           3
    """

    name: str
    version: int | str
    title: str
    presence: str
    score: str
    attributes: Mapping[str, Attribute]
    channels: Mapping[str, Channel]

    def __post_init__(self) -> None:
        object.__setattr__(self, "attributes", MappingProxyType(dict(self.attributes)))
        object.__setattr__(self, "channels", MappingProxyType(dict(self.channels)))
        where = f"rubric {self.name!r}"
        for name, attribute in self.attributes.items():
            if not isinstance(attribute, Attribute):
                raise ParameterError(
                    f"{where}, attributes.{name}: found {type(attribute).__name__}; "
                    "expected an Attribute"
                )
        for name, channel in self.channels.items():
            if not isinstance(channel, Channel):
                raise ParameterError(
                    f"{where}, channels.{name}: found {type(channel).__name__}; expected a Channel"
                )
        _cross_check(
            where,
            self.presence,
            self.score,
            list(self.attributes),
            {n: list(c.attributes) for n, c in self.channels.items()},
        )
        _counts_check(where, self.presence, self.attributes)

    def __hash__(self) -> int:
        return hash(
            (
                self.name,
                self.version,
                self.title,
                self.presence,
                self.score,
                tuple(self.attributes.items()),
                tuple(self.channels.items()),
            )
        )

    def points_table(self) -> pd.DataFrame:
        """One row per channel x attribute scored, in rubric order.

        Returns
        -------
        pandas.DataFrame
            Columns ``channel``, ``attribute``, ``points``, ``max_level`` and
            ``max_points`` (points x max_level). ``points`` and ``max_points`` are int64
            when every attribute's points are integers, float64 otherwise.
        """
        rows = [
            (channel, name, self.attributes[name].points, self.attributes[name].max_level)
            for channel, spec in self.channels.items()
            for name in spec.attributes
        ]
        table = pd.DataFrame(rows, columns=["channel", "attribute", "points", "max_level"])
        dtype = "int64" if self._integral else "float64"
        table = table.astype(
            {"channel": "str", "attribute": "str", "points": dtype, "max_level": "int64"}
        )
        return table.assign(max_points=table["points"] * table["max_level"])

    @property
    def max_score(self) -> int | float:
        """The highest possible score: every attribute of every channel at its top level."""
        total = sum(
            self.attributes[name].max_points
            for spec in self.channels.values()
            for name in spec.attributes
        )
        return int(total) if self._integral else float(total)

    @property
    def _integral(self) -> bool:
        return all(float(a.points).is_integer() for a in self.attributes.values())

    @property
    def _used(self) -> tuple[str, ...]:
        """Attributes scored on at least one channel, in the rubric's attribute order."""
        used = {name for spec in self.channels.values() for name in spec.attributes}
        return tuple(name for name in self.attributes if name in used)

    @property
    def _counts(self) -> dict[str, str]:
        """Count name -> the attribute it gives the level of, for the attributes scored."""
        return {
            count: name
            for name in self._used
            if (rule := self.attributes[name].from_counts) is not None
            for count in rule.counts
        }


def _cross_check(
    where: str,
    presence: object,
    score: object,
    attributes: list[str],
    channels: Mapping[str, list[str]],
) -> None:
    """References between parts of a rubric: presence, score method, channel attributes."""
    if score not in SCORE_METHODS:
        raise ParameterError(
            f"{where}, score: unknown scoring method {score!r}; expected one of "
            f"{list(SCORE_METHODS)}.{_suggest(score, SCORE_METHODS)}"
        )
    if presence not in attributes:
        raise ParameterError(
            f"{where}, presence: {presence!r} is not a defined attribute; defined attributes "
            f"are {attributes}.{_suggest(presence, attributes)}"
        )
    if not channels:
        raise ParameterError(f"{where}, channels: no channels; expected at least one")
    for channel, names in channels.items():
        path = f"channels.{channel}.attributes"
        if not names:
            raise ParameterError(
                f"{where}, {path}: no attributes; a channel needs at least the presence "
                f"attribute {presence!r}"
            )
        for name in names:
            if name not in attributes:
                raise ParameterError(
                    f"{where}, {path}: unknown attribute {name!r}; defined attributes are "
                    f"{attributes}.{_suggest(name, attributes)}"
                )
            if names.count(name) > 1:
                raise ParameterError(f"{where}, {path}: attribute {name!r} is listed twice")
        if presence not in names:
            raise ParameterError(
                f"{where}, {path}: the presence attribute {presence!r} is missing; every "
                "channel needs it (breadth counts the channels where its level is above 0)"
            )


def _counts_check(where: str, presence: str, attributes: Mapping[str, Attribute]) -> None:
    """Count names: none on the presence attribute, none shared, none taken by a column."""
    taken: dict[str, str] = {}
    flags = {f"{name}{FROM_COUNTS_SUFFIX}" for name in attributes}
    for name, attribute in attributes.items():
        if attribute.from_counts is None:
            continue
        path = f"attributes.{name}.from_counts"
        if name == presence:
            raise ParameterError(
                f"{where}, {path}: the presence attribute {name!r} cannot come from counts; "
                "a description says true or false"
            )
        for count in attribute.from_counts.counts:
            if count in attributes or count in _RESERVED_NAMES or count in flags:
                what = "an attribute" if count in attributes else "a description column"
                raise ParameterError(
                    f"{where}, {path}.counts: the count name {count!r} is already {what}; "
                    f"expected a name that is not an attribute or one of "
                    f"{[*_RESERVED_NAMES, *sorted(flags)]}"
                )
            if count in taken:
                raise ParameterError(
                    f"{where}, {path}.counts: the count {count!r} is already a count of "
                    f"attribute {taken[count]!r}; expected each count to give one attribute"
                )
            taken[count] = name


def list_rubrics() -> list[str]:
    """Names of the shipped rubrics, for :func:`load_rubric`.

    Examples
    --------
    >>> list_rubrics()
    ['engagementdb_2009']
    """
    return sorted(p.stem for p in _RUBRIC_DIR.glob("*.yaml"))


def load_rubric(
    rubric: str | os.PathLike | Mapping[str, Any] | Rubric = "engagementdb_2009",
) -> Rubric:
    """Load and check a scoring rubric.

    Parameters
    ----------
    rubric : str, path, mapping or Rubric, default "engagementdb_2009"
        The name of a shipped rubric (:func:`list_rubrics`), the path of a YAML file, a
        mapping with the same structure, or a :class:`Rubric` (returned as it is).
        A rubric has the keys ``name``, ``version``, ``title`` (optional), ``presence``
        (the attribute whose level > 0 means the brand uses the channel), ``score``
        (``"sum"``), ``attributes`` (``name: {points, max_level, description, source,
        from_counts}``; the last three optional) and ``channels`` (``name: {label, source,
        attributes: [...]}``; label and source optional). ``from_counts: {counts: [name] or
        [numerator, denominator], thresholds: [...]}`` lets a brand description give raw
        activity counts instead of the level (see :class:`FromCounts`): one threshold per
        level above 0, each >= 0, strictly increasing; count names are identifiers, each
        used by one attribute only, and not attribute names.

    Returns
    -------
    Rubric

    Raises
    ------
    DataFileError
        The file does not exist, is not UTF-8, or is not valid YAML (line and column named).
    ParameterError
        The rubric is not valid: the message names the rubric, the key path, what was found
        and what was expected. Refused: a top-level value that is not a mapping, an unknown
        or missing key (at any level), a name or version that is not a string or an integer,
        an unknown ``score`` method, ``presence`` naming an undefined attribute, no
        attributes or no channels, points that are not a number >= 0, a ``max_level`` that
        is not a positive integer, a channel without attributes, a channel attribute that
        is not defined or is listed twice, a channel without the presence attribute, a
        name YAML reads as a boolean or number, a repeated key in the file, and a
        ``from_counts`` block with an unknown or missing key, counts that are not one or two
        identifiers (or clash with an attribute, a description column or another
        attribute's counts), thresholds that are not ``max_level`` increasing numbers
        >= 0, or on the presence attribute.

    Examples
    --------
    >>> rubric = load_rubric("engagementdb_2009")
    >>> rubric.presence, rubric.score, list(rubric.channels)[:3]
    ('present', 'sum', ['blogs', 'branded_community', 'content_distribution'])
    >>> custom = {
    ...     "name": "two_channels", "version": 1, "presence": "present", "score": "sum",
    ...     "attributes": {"present": {"points": 1, "max_level": 1},
    ...                    "replies": {"points": 2, "max_level": 3}},
    ...     "channels": {"blog": {"attributes": ["present", "replies"]},
    ...                  "twitter": {"attributes": ["present"]}},
    ... }
    >>> load_rubric(custom).max_score
    8
    """
    if isinstance(rubric, Rubric):
        return rubric
    if isinstance(rubric, Mapping):
        name = rubric.get("name")
        return _parse_rubric(rubric, name if isinstance(name, str) and name else "<mapping>")
    if isinstance(rubric, str | os.PathLike):
        text = os.fspath(rubric)
        shipped = list_rubrics()
        if isinstance(text, str) and text in shipped:
            return _parse_rubric(read_yaml_file(_RUBRIC_DIR / f"{text}.yaml", "rubric file"), text)
        path = Path(text)
        looks_like_path = (
            not isinstance(rubric, str)
            or path.suffix.lower() in (".yaml", ".yml")
            or os.sep in text
            or "/" in text
            or path.exists()
        )
        if not looks_like_path:
            raise ParameterError(
                f"There is no shipped rubric named {text!r}; shipped rubrics are {shipped}, "
                f"or pass the path of a YAML file.{_suggest(text, shipped)}"
            )
        return _parse_rubric(read_yaml_file(path, "rubric file"), text)
    raise ParameterError(
        "The 'rubric' parameter of load_rubric must be a shipped rubric name, a path to a "
        f"YAML file, a mapping or a Rubric. Got {type(rubric).__name__} instead."
    )


def _mapping(raw: object, where: str, path: str, keys: Sequence[str], required: Sequence[str]):
    at = f", {path}" if path else ""
    if not isinstance(raw, Mapping):
        found = "nothing" if raw is None else f"a {type(raw).__name__} ({raw!r})"
        raise ParameterError(
            f"{where}{at}: found {found}; expected a mapping with keys {list(keys)}"
        )
    for key in raw:
        if key not in keys:
            raise ParameterError(
                f"{where}{at}: unknown key {key!r}; expected keys are {list(keys)}."
                f"{_suggest(key, keys)}"
            )
    for key in required:
        if key not in raw:
            raise ParameterError(
                f"{where}{at}: missing key {key!r}; required keys are {list(required)}"
            )
    return raw


def _text(raw: object, where: str, path: str, *, default: str | None = None) -> str:
    if default is not None and (raw is None or isinstance(raw, str)):
        return default if raw is None else raw
    if not isinstance(raw, str) or not raw.strip():
        raise ParameterError(f"{where}, {path}: found {raw!r}; expected a non-empty string")
    return raw


def _names(raw: object, where: str, path: str, what: str) -> list[str]:
    if not isinstance(raw, Mapping):
        found = "nothing" if raw is None else f"a {type(raw).__name__}"
        raise ParameterError(
            f"{where}, {path}: found {found}; expected a mapping of {what} name to its settings"
        )
    if not raw:
        raise ParameterError(f"{where}, {path}: empty; expected at least one {what}")
    for name in raw:
        if not isinstance(name, str) or not name:
            raise ParameterError(
                f"{where}, {path}: the name {name!r} is not a string; quote it in YAML "
                "(YAML reads yes/no/on/off/true/false as booleans and digits as numbers)"
            )
    return list(raw)


def _from_counts(spec: Mapping[str, Any], where: str, path: str) -> FromCounts | None:
    if "from_counts" not in spec:
        return None
    block = _mapping(spec["from_counts"], where, path, _FROM_COUNTS_KEYS, _FROM_COUNTS_KEYS)
    for key, problem in (
        ("counts", _counts_problem(block["counts"])),
        ("thresholds", _thresholds_problem(block["thresholds"], spec["max_level"])),
    ):
        if problem:
            raise ParameterError(f"{where}, {path}.{key}: {problem}")
    return FromCounts(counts=tuple(block["counts"]), thresholds=tuple(block["thresholds"]))


def _parse_rubric(raw: object, label: str) -> Rubric:
    where = f"rubric {label!r}"
    top = _mapping(raw, where, "", _TOP_KEYS, _TOP_REQUIRED)
    name = _text(top["name"], where, "name")
    version = top["version"]
    if isinstance(version, bool) or not isinstance(version, int | str) or version == "":
        raise ParameterError(
            f"{where}, version: found {version!r}; expected an integer or a string"
        )
    title = _text(top.get("title"), where, "title", default=name)
    attributes: dict[str, Attribute] = {}
    raw_attributes = top["attributes"]
    for attribute in _names(raw_attributes, where, "attributes", "attribute"):
        path = f"attributes.{attribute}"
        spec = _mapping(
            raw_attributes[attribute], where, path, _ATTRIBUTE_KEYS, _ATTRIBUTE_REQUIRED
        )
        for key, check in (("points", _points_problem), ("max_level", _level_problem)):
            problem = check(spec[key])
            if problem:
                raise ParameterError(f"{where}, {path}.{key}: {problem}")
        attributes[attribute] = Attribute(
            points=spec["points"],
            max_level=spec["max_level"],
            description=_text(spec.get("description"), where, f"{path}.description", default=""),
            source=_text(spec.get("source"), where, f"{path}.source", default=""),
            from_counts=_from_counts(spec, where, f"{path}.from_counts"),
        )
    raw_channels = top["channels"]
    channels: dict[str, Channel] = {}
    listed: dict[str, list[str]] = {}
    for channel in _names(raw_channels, where, "channels", "channel"):
        path = f"channels.{channel}"
        spec = _mapping(raw_channels[channel], where, path, _CHANNEL_KEYS, _CHANNEL_REQUIRED)
        names = spec["attributes"]
        if names is None:
            names = []
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ParameterError(
                f"{where}, {path}.attributes: found {names!r}; expected a list of attribute names"
            )
        listed[channel] = names
        channels[channel] = Channel(
            label=_text(spec.get("label"), where, f"{path}.label", default=channel),
            source=_text(spec.get("source"), where, f"{path}.source", default=""),
            attributes=tuple(names),
        )
    presence = top["presence"]
    _cross_check(where, presence, top["score"], list(attributes), listed)
    _counts_check(where, presence, attributes)
    return Rubric(
        name=name,
        version=version,
        title=title,
        presence=presence,
        score=top["score"],
        attributes=attributes,
        channels=channels,
    )
