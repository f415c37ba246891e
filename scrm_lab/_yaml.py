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
