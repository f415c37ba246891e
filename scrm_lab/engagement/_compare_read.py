"""A user's description of their brand's channels, read as a one-brand ``channel_activity`` table.

Private to :mod:`scrm_lab.engagement`, which re-exports :func:`read_brand_description`.

Examples
--------
>>> table = read_brand_description(EXAMPLE_DESCRIPTION)
>>> table["brand"].iloc[0], int(table["present"].sum()), len(table)
('Example Coffee Co.', 6, 11)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scrm_lab._checks import Instance, checks
from scrm_lab._checks import show_value as _show_value
from scrm_lab._checks import suggest as _suggest
from scrm_lab._yaml import read_yaml_file
from scrm_lab.engagement._rubric import FROM_COUNTS_SUFFIX, Rubric, load_rubric
from scrm_lab.exceptions import DataFileError, ParameterError

__all__ = ["EXAMPLE_COUNTS_DESCRIPTION", "EXAMPLE_DESCRIPTION", "read_brand_description"]

_EXAMPLES = Path(__file__).resolve().parent / "examples"
#: The shipped example description (YAML); ``example_brand.csv`` beside it says the same.
EXAMPLE_DESCRIPTION: Path = _EXAMPLES / "example_brand.yaml"
#: A shipped example description giving raw activity counts (posts, replies, comments) for
#: freshness and responsiveness instead of their levels on some channels.
EXAMPLE_COUNTS_DESCRIPTION: Path = _EXAMPLES / "example_brand_counts.yaml"

_YAML_KEYS = ("brand", "channels")
_YAML_SUFFIXES = (".yaml", ".yml")
_CSV_SUFFIXES = (".csv", ".tsv", ".txt")
_TRUE = ("true", "yes")
_FALSE = ("false", "no")

#: The rubric argument of the public functions of this module and of _compare.
RUBRIC = Instance(
    (str, os.PathLike, Mapping, Rubric),
    "a shipped rubric name, a path to a YAML file, a mapping or a Rubric",
)


def _channel_hint(name: object, rubric: Rubric) -> str:
    """A did-you-mean for a channel: a near spelling, or a channel whose label names it
    ('facebook' -> 'social_network', whose label is 'External social networks (Facebook...)')."""
    close = _suggest(name, list(rubric.channels))
    if close or not isinstance(name, str) or not name.strip():
        return close
    word = name.strip().lower()
    for channel, spec in rubric.channels.items():
        if word in spec.label.lower():
            return f" Did you mean {channel!r} ({spec.label})?"
    return ""


class _Reader:
    """Checks one description's channels against a rubric; every refusal names the source."""

    def __init__(self, rubric: Rubric, source: str) -> None:
        self.rubric = rubric
        self.source = source

    def error(self, message: str) -> ParameterError:
        return ParameterError(f"{self.source}: {message}")

    def brand(self, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            found = "nothing" if value is None or _blank(value) else _show_value(value)
            raise self.error(
                f"the brand name is missing (found {found}); expected a non-empty text, e.g. "
                "'brand: My Brand'"
            )
        return value.strip()

    def channel(self, name: object, seen: set[str]) -> str:
        channels = list(self.rubric.channels)
        if not isinstance(name, str) or name not in self.rubric.channels:
            raise self.error(
                f"unknown channel {_show_value(name)}; the channels of rubric "
                f"{self.rubric.name!r} are {channels}.{_channel_hint(name, self.rubric)}"
            )
        if name in seen:
            raise self.error(f"channel {name!r} is listed twice; expected each channel once")
        seen.add(name)
        return name

    def present(self, channel: str, value: object) -> bool:
        where = f"channel {channel!r}, attribute {self.rubric.presence!r}"
        if value is None or _blank(value):
            raise self.error(f"{where} is missing; expected true or false")
        if isinstance(value, bool | np.bool_):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
        raise self.error(f"{where} is {_show_value(value)}; expected true or false")

    def unknown(self, channel: str, attribute: str) -> ParameterError:
        """An unknown attribute (or count) on a channel, with what the channel takes."""
        rubric = self.rubric
        spec = rubric.channels[channel]
        scored = [a for a in spec.attributes if a != rubric.presence]
        counts = [c for c, a in rubric._counts.items() if a in spec.attributes]
        if counts:
            takes = (
                f", and the raw activity counts it takes instead of some levels are {counts} "
                f"(rubric {rubric.name!r}, from_counts)"
            )
        else:
            takes = (
                f" (levels, not raw activity counts: rubric {rubric.name!r} maps no counts to "
                "levels on it)"
            )
        if attribute in rubric._counts:
            return self.error(
                f"channel {channel!r}: count {attribute!r} gives the level of "
                f"{rubric._counts[attribute]!r}, which is not scored on it; the attributes "
                f"scored on it are {scored}{takes}"
            )
        return self.error(
            f"channel {channel!r}: unknown attribute {attribute!r}; the attributes scored on "
            f"it are {scored}{takes}.{_suggest(attribute, scored + counts)}"
        )

    def count(self, channel: str, name: str, value: object) -> int:
        """A raw activity count: a whole number >= 0."""
        number, whole = _whole(value)
        if not whole or number < 0:
            kind = "a negative count" if whole else "count"
            raise self.error(
                f"channel {channel!r}, count {name!r}: {kind} {_show_value(value)}; expected a "
                "whole number >= 0 (raw activity, e.g. posts or replies)"
            )
        return int(number)

    def from_counts(
        self, channel: str, attribute: str, level: object, given: Mapping[str, object]
    ) -> tuple[int, dict[str, int]] | None:
        """The level of an attribute from its counts, or None when no count is given."""
        rule = self.rubric.attributes[attribute].from_counts
        if rule is None:
            return None
        counted = {c: given[c] for c in rule.counts if c in given and not _blank(given[c])}
        if not counted:
            return None
        where = f"channel {channel!r}, attribute {attribute!r}"
        if not (level is None or _blank(level)):
            raise self.error(
                f"{where}: both the level {_show_value(level)} and the counts "
                f"{list(counted)} are given; expected one of them (the counts "
                f"{list(rule.counts)} give the level)"
            )
        missing = [c for c in rule.counts if c not in counted]
        if missing:
            raise self.error(
                f"{where}: count(s) {missing} missing; the level comes from all of "
                f"{list(rule.counts)} (or give the level instead)"
            )
        values = {c: self.count(channel, c, counted[c]) for c in rule.counts}
        return rule._level(list(values.values())), values

    def level(self, channel: str, attribute: str, value: object) -> int:
        spec = self.rubric.channels[channel]
        if attribute not in spec.attributes:
            raise self.unknown(channel, attribute)
        maximum = self.rubric.attributes[attribute].max_level
        where = f"channel {channel!r}, attribute {attribute!r}"
        if value is None or _blank(value):
            return 0
        number, whole = _whole(value)
        if not whole or not 0 <= number <= maximum:
            kind = "a negative level" if whole and number < 0 else "level"
            raise self.error(
                f"{where}: {kind} {_show_value(value)}; expected a whole number from 0 to "
                f"{maximum} ({self.rubric.attributes[attribute].description or 'its levels'})"
            )
        return int(number)

    def rows(self, brand: str, listed: Mapping[str, Mapping[str, object]]) -> pd.DataFrame:
        """The wide one-brand table: every rubric channel, absent when not listed."""
        rubric = self.rubric
        attributes = [a for a in rubric._used if a != rubric.presence]
        count_of = rubric._counts
        counts = list(count_of)
        flags = _flag_columns(rubric)
        records = []
        for channel, spec in rubric.channels.items():
            settings = listed.get(channel)
            record: dict[str, Any] = {"brand": brand, "channel": channel}
            record.update(dict.fromkeys(counts, pd.NA) | dict.fromkeys(flags.values(), False))
            if settings is None:
                record.update({rubric.presence: False, **dict.fromkeys(attributes, 0)})
                record["listed"] = False
                records.append(record)
                continue
            present = self.present(channel, settings.get(rubric.presence))
            levels = {a: 0 for a in attributes}
            given = {str(k): v for k, v in settings.items() if k in count_of}
            for key in settings:  # a count stands for the attribute it gives the level of
                if count_of.get(key, key) not in spec.attributes:
                    raise self.unknown(channel, str(key))
            derived: set[str] = set()
            for attribute in flags:
                counted = self.from_counts(channel, attribute, settings.get(attribute), given)
                if counted is not None:
                    levels[attribute], values = counted
                    record.update(values)
                    record[flags[attribute]] = True
                    derived.add(attribute)
            for attribute, value in settings.items():
                if attribute != rubric.presence and attribute not in (*given, *derived):
                    levels[attribute] = self.level(channel, str(attribute), value)
            scored = {a: v for a, v in levels.items() if v > 0}
            if not present and scored:
                first = next(iter(scored))
                how = " (from its counts)" if first in derived else ""
                raise self.error(
                    f"channel {channel!r} has {rubric.presence}: false but {first} = "
                    f"{scored[first]}{how}; a brand earns points only on channels where it is "
                    f"present (set {rubric.presence}: true or leave the levels out)"
                )
            foreign = [a for a in levels if a not in spec.attributes and levels[a]]
            if foreign:  # pragma: no cover - level() refuses them first
                raise self.error(f"channel {channel!r}: attribute {foreign[0]!r} is not scored")
            record.update({rubric.presence: present, **levels, "listed": True})
            records.append(record)
        columns = ["brand", "channel", rubric.presence, *attributes, *counts, *flags.values()]
        table = pd.DataFrame(records, columns=[*columns, "listed"])
        return table.astype(
            {"brand": "str", "channel": "str", rubric.presence: "bool", "listed": "bool"}
            | dict.fromkeys(attributes, "int64")
            | dict.fromkeys(counts, "Int64")
            | dict.fromkeys(flags.values(), "bool")
        )


def _flag_columns(rubric: Rubric) -> dict[str, str]:
    """Attribute -> the column saying its level came from counts, for attributes with counts."""
    attributes = dict.fromkeys(rubric._counts.values())
    return {a: f"{a}{FROM_COUNTS_SUFFIX}" for a in attributes}


def _whole(value: object) -> tuple[object, bool]:
    """The value as a number (text read as one), and whether it is a whole number."""
    number = value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = value
    whole = (
        not isinstance(number, bool | np.bool_)
        and isinstance(number, int | float | np.integer | np.floating)
        and np.isfinite(number)
        and float(number).is_integer()
    )
    return number, whole


def _blank(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _true(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in _TRUE
    return isinstance(value, bool | np.bool_) and bool(value)


def _unlisted(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in _FALSE
    return isinstance(value, bool | np.bool_) and not value


def _from_mapping(raw: object, reader: _Reader) -> pd.DataFrame:
    if not isinstance(raw, Mapping):
        found = "nothing" if raw is None else f"a {type(raw).__name__}"
        raise reader.error(
            f"found {found}; expected a mapping with keys 'brand' and 'channels' "
            "(channels: name -> {present: true, attribute: level, ...})"
        )
    for key in raw:
        if key not in _YAML_KEYS:
            raise reader.error(
                f"unknown key {_show_value(key)}; expected keys are {list(_YAML_KEYS)}."
                f"{_suggest(key, _YAML_KEYS)}"
            )
    brand = reader.brand(raw.get("brand"))
    channels = raw.get("channels")
    if not isinstance(channels, Mapping) or not channels:
        raise reader.error(
            f"'channels' is {'missing' if channels is None else _show_value(channels)}; expected "
            "a mapping of channel name -> {present: true, attribute: level, ...}"
        )
    seen: set[str] = set()
    listed: dict[str, Mapping[str, object]] = {}
    for name, settings in channels.items():
        channel = reader.channel(name, seen)
        if not isinstance(settings, Mapping):
            raise reader.error(
                f"channel {channel!r} is {_show_value(settings)}; expected a mapping such as "
                f"{{{reader.rubric.presence}: true, freshness: 2}}"
            )
        listed[channel] = settings
    return reader.rows(brand, listed)


def _from_table(frame: pd.DataFrame, reader: _Reader) -> pd.DataFrame:
    rubric = reader.rubric
    columns = [str(c) for c in frame.columns]
    for column in ("brand", "channel", rubric.presence):
        if column not in frame.columns:
            raise reader.error(
                f"column {column!r} is missing; expected columns 'brand', 'channel', "
                f"{rubric.presence!r} and the attribute columns; found {columns}."
                f"{_suggest(column, columns)}"
            )
    counts = list(rubric._counts)
    flags = _flag_columns(rubric)
    known = {"brand", "channel", "listed", "simulated", *rubric._used, *counts, *flags.values()}
    for column in columns:
        if column not in known:
            takes = f" and its counts are {counts}" if counts else ""
            raise reader.error(
                f"unknown attribute column {column!r}; the attributes of rubric "
                f"{rubric.name!r} are {list(rubric._used)}{takes}."
                f"{_suggest(column, [*rubric._used, *counts])}"
            )
    names = frame["brand"].tolist()
    brands = {reader.brand(b) for b in names} if names else {reader.brand(None)}
    if len(brands) > 1:
        raise reader.error(
            f"column 'brand' holds {len(brands)} names ({sorted(brands)[:3]}...); expected one "
            "brand per description"
        )
    seen: set[str] = set()
    listed: dict[str, Mapping[str, object]] = {}
    for _, row in frame.iterrows():
        channel = reader.channel(row["channel"], seen)
        if (
            "listed" in frame.columns
            and _unlisted(row["listed"])
            and not _true(row[rubric.presence])
        ):
            continue  # a row read_brand_description added for a channel the file left out;
            # once edited to present, it counts (the user's edit is never dropped silently)
        spec = rubric.channels[channel]
        settings = {rubric.presence: row[rubric.presence]}
        for attribute in rubric._used:
            if attribute == rubric.presence or attribute not in frame.columns:
                continue
            value = row[attribute]
            if attribute in flags and flags[attribute] in frame.columns:
                if _true(row[flags[attribute]]):
                    continue  # a level read_brand_description derived: its counts give it again
            if attribute in spec.attributes or not _blank(value) and value != 0:
                settings[attribute] = value
        for count in counts:
            if count in frame.columns and not _blank(row[count]):
                settings[count] = row[count]
        listed[channel] = settings
    return reader.rows(brands.pop(), listed)


@checks(description=Instance((str, os.PathLike), "the path of a YAML or CSV file"), rubric=RUBRIC)
def read_brand_description(
    description: str | os.PathLike,
    *,
    rubric: str | os.PathLike | Mapping[str, Any] | Rubric = "engagementdb_2009",
) -> pd.DataFrame:
    """Read a brand's description of its channels: a one-brand wide ``channel_activity`` table.

    Parameters
    ----------
    description : str or path
        A YAML file (``.yaml``/``.yml``, read as plain data only)::

            brand: My Brand
            channels:
              social_network: {present: true, freshness: 3, responsiveness: 2}
              twitter: {present: true, freshness: 2}
              video: {present: false}

        or a CSV file (``.csv``, ``.tsv``, ``.txt``) with one row per channel and the columns
        ``brand`` (the same name on every row), ``channel``, ``present`` (true/false) and
        one column per attribute. Levels are whole numbers from 0 to the attribute's
        ``max_level`` in the rubric; an attribute left out (or an empty cell) is level 0.
        For an attribute whose rubric entry has ``from_counts``, a channel may give its raw
        activity counts instead of the level (all of them, never with the level), e.g.
        ``twitter: {present: true, posts_90d: 45, replies: 60, comments: 110}`` with the
        shipped rubric (freshness from posts in 90 days; responsiveness from the share
        replies / comments, 0 comments giving level 0); in a CSV file the counts are
        columns, an empty cell meaning not given. Counts are whole numbers >= 0.
        :data:`EXAMPLE_DESCRIPTION` (levels) and :data:`EXAMPLE_COUNTS_DESCRIPTION`
        (counts on some channels) are shipped examples.
    rubric : str, path, mapping or Rubric, default "engagementdb_2009"
        Anything :func:`load_rubric` accepts.

    Returns
    -------
    pandas.DataFrame
        One row per rubric channel, in rubric order, with columns ``brand``, ``channel``,
        the presence attribute (bool), one int64 column per other attribute (the level,
        derived from the counts where they were given), then, when the rubric maps counts
        to levels, one Int64 column per count (the count given, ``<NA>`` when not given)
        and one bool column ``<attribute>_from_counts`` per attribute with counts (True
        where its level came from the counts), and last ``listed`` (bool): False for a
        channel the file does not mention, which counts as absent.
        :func:`score_engagement` scores it as it is (it ignores the count columns), and
        :func:`compare_brand` takes it back unchanged.

    Raises
    ------
    DataFileError
        The file is missing, unreadable, not valid YAML (a repeated key, e.g. a channel
        listed twice, is named with its line), or not a YAML or CSV file.
    ParameterError
        The description does not fit the rubric; the message names the file and the channel
        or attribute, with the allowed values and a did-you-mean. Refused: a missing brand
        name (or several in a CSV), an unknown channel, a channel listed twice, an unknown
        attribute or count, a level that is not a whole number from 0 to ``max_level`` (a
        negative one included), a count that is not a whole number >= 0, both the level
        and the counts of an attribute (or only some of its counts), ``present`` missing or
        not true/false, levels on a channel that is not present, and an unknown key or
        column.

    Examples
    --------
    >>> table = read_brand_description(EXAMPLE_DESCRIPTION)
    >>> table.loc[table["listed"], ["channel", "present", "freshness"]].head(3)
                    channel  present  freshness
    0                 blogs     True          2
    3     discussion_forums     True          1
    4        social_network     True          3
    """
    the_rubric = load_rubric(rubric)
    path = Path(description).expanduser()
    source = f"brand description {str(path)!r}"
    reader = _Reader(the_rubric, source)
    suffix = path.suffix.lower()
    if suffix in _YAML_SUFFIXES:
        return _from_mapping(read_yaml_file(path, "brand description"), reader)
    if suffix in _CSV_SUFFIXES:
        from scrm_lab.io import read_file

        return _from_table(read_file(path), reader)
    raise DataFileError(
        f"{source}: unknown file type {path.suffix or '(none)'!r}; expected a YAML "
        f"({', '.join(_YAML_SUFFIXES)}) or CSV ({', '.join(_CSV_SUFFIXES)}) file"
    )


def description_from_frame(frame: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """A description given as a table (the output of :func:`read_brand_description`, or the
    same columns), checked the same way."""
    return _from_table(frame.reset_index(drop=True), _Reader(rubric, "description table"))
