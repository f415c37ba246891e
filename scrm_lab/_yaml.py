"""Reading users' YAML files: safe, and a key repeated in one mapping is an error.

PyYAML's ``safe_load`` keeps the last of two equal keys without a word, so a parameter
given twice in a grid, schedule, parameters file or rubric would silently lose a value.

Examples
--------
>>> load_yaml("a: 1\\nb: [2, 3]\\n")
{'a': 1, 'b': [2, 3]}
>>> load_yaml("a: 1\\na: 2\\n")
Traceback (most recent call last):
...
yaml.constructor.ConstructorError: found duplicate key 'a'
  in "<unicode string>", line 2, column 1:
    a: 2
    ^
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml


class UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key repeated in one mapping."""


def _construct_mapping(loader: UniqueKeyLoader, node: yaml.MappingNode) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        try:
            repeated = key in seen
        except TypeError:  # an unhashable key: let PyYAML report it
            break
        if repeated:
            raise yaml.constructor.ConstructorError(
                None, None, f"found duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str) -> Any:
    """Parse YAML text safely, refusing repeated keys (errors are ``yaml.YAMLError``)."""
    return yaml.load(text, Loader=UniqueKeyLoader)  # a SafeLoader subclass: safe


def read_yaml_file(
    path: str | os.PathLike, what: str, *, missing_hint: str = "", syntax_hint: str = ""
) -> Any:
    """Read and parse a user's YAML file, refusing problems with the file and line named.

    ``what`` names the file in messages ("grid file", "schedules file"); the hints are
    appended to the missing-file and syntax-error messages.

    Raises
    ------
    DataFileError
        The file is missing or unreadable, or not valid YAML (line, column, and the block it
        is in), or repeats a key.
    """
    from scrm_lab.exceptions import DataFileError

    file = Path(path).expanduser()
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise DataFileError(f"{what} '{file}' does not exist{missing_hint}") from err
    except (OSError, UnicodeDecodeError) as err:
        raise DataFileError(f"{what} '{file}' cannot be read: {err}") from err
    try:
        return load_yaml(text)
    except yaml.YAMLError as err:
        mark, context = getattr(err, "problem_mark", None), getattr(err, "context_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        if context is not None and getattr(err, "context", None):
            problem += f", {err.context} that starts at line {context.line + 1}"
        raise DataFileError(
            f"{what} '{file}' is not valid YAML{where}: {problem}{syntax_hint}"
        ) from err
