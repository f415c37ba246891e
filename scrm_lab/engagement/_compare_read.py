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
from scrm_lab.engagement._rubric import Rubric, load_rubric
from scrm_lab.exceptions import DataFileError, ParameterError

__all__ = ["EXAMPLE_DESCRIPTION", "read_brand_description"]

_EXAMPLES = Path(__file__).resolve().parent / "examples"
#: The shipped example description (YAML); ``example_brand.csv`` beside it says the same.
EXAMPLE_DESCRIPTION: Path = _EXAMPLES / "example_brand.yaml"

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

    def level(self, channel: str, attribute: str, value: object) -> int:
        spec = self.rubric.channels[channel]
        if attribute not in spec.attributes:
            scored = [a for a in spec.attributes if a != self.rubric.presence]
            raise self.error(
                f"channel {channel!r}: unknown attribute {attribute!r}; the attributes scored on "
                f"it are {scored} (levels, not raw activity counts: rubric "
                f"{self.rubric.name!r} maps no counts to levels).{_suggest(attribute, scored)}"
            )
        maximum = self.rubric.attributes[attribute].max_level
        where = f"channel {channel!r}, attribute {attribute!r}"
        if value is None or _blank(value):
            return 0
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
        records = []
        for channel, spec in rubric.channels.items():
            settings = listed.get(channel)
            record: dict[str, Any] = {"brand": brand, "channel": channel}
            if settings is None:
                record.update({rubric.presence: False, **dict.fromkeys(attributes, 0)})
                record["listed"] = False
                records.append(record)
                continue
            present = self.present(channel, settings.get(rubric.presence))
            levels = {a: 0 for a in attributes}
            for attribute, value in settings.items():
                if attribute == rubric.presence:
                    continue
                levels[attribute] = self.level(channel, str(attribute), value)
            scored = {a: v for a, v in levels.items() if v > 0}
            if not present and scored:
                first = next(iter(scored))
                raise self.error(
                    f"channel {channel!r} has {rubric.presence}: false but {first} = "
                    f"{scored[first]}; a brand earns points only on channels where it is present "
                    f"(set {rubric.presence}: true or leave the levels out)"
                )
            foreign = [a for a in levels if a not in spec.attributes and levels[a]]
            if foreign:  # pragma: no cover - level() refuses them first
                raise self.error(f"channel {channel!r}: attribute {foreign[0]!r} is not scored")
            record.update({rubric.presence: present, **levels, "listed": True})
            records.append(record)
        table = pd.DataFrame(records, columns=["brand", "channel", rubric.presence, *attributes,
                                               "listed"])  # fmt: skip
        return table.astype(
            {"brand": "str", "channel": "str", rubric.presence: "bool", "listed": "bool"}
            | dict.fromkeys(attributes, "int64")
        )


def _blank(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


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
    known = {"brand", "channel", "listed", "simulated", *rubric._used}
    for column in columns:
        if column not in known:
            raise reader.error(
                f"unknown attribute column {column!r}; the attributes of rubric "
                f"{rubric.name!r} are {list(rubric._used)}.{_suggest(column, list(rubric._used))}"
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
        if "listed" in frame.columns and _unlisted(row["listed"]):
            continue  # a row read_brand_description added for a channel the file left out
        spec = rubric.channels[channel]
        settings = {rubric.presence: row[rubric.presence]}
        for attribute in rubric._used:
            if attribute == rubric.presence or attribute not in frame.columns:
                continue
            value = row[attribute]
            if attribute in spec.attributes or not _blank(value) and value != 0:
                settings[attribute] = value
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
        The rubric scores levels, not raw activity counts (posts, replies): the rubric
        descriptions say how to turn activity into a level (freshness 3 = new content
        daily...). :data:`EXAMPLE_DESCRIPTION` is a shipped example.
    rubric : str, path, mapping or Rubric, default "engagementdb_2009"
        Anything :func:`load_rubric` accepts.

    Returns
    -------
    pandas.DataFrame
        One row per rubric channel, in rubric order, with columns ``brand``, ``channel``,
        the presence attribute (bool), one int64 column per other attribute, and ``listed``
        (bool): False for a channel the file does not mention, which counts as absent.
        :func:`score_engagement` scores it as it is.

    Raises
    ------
    DataFileError
        The file is missing, unreadable, not valid YAML (a repeated key, e.g. a channel
        listed twice, is named with its line), or not a YAML or CSV file.
    ParameterError
        The description does not fit the rubric; the message names the file and the channel
        or attribute, with the allowed values and a did-you-mean. Refused: a missing brand
        name (or several in a CSV), an unknown channel, a channel listed twice, an unknown
        attribute, a level that is not a whole number from 0 to ``max_level`` (a negative
        one included), ``present`` missing or not true/false, levels on a channel that is
        not present, and an unknown key or column.

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
