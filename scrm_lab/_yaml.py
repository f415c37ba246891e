"""Reading users' YAML (parameters files, grids, schedules, rubrics, ``-p`` values) as plain data.

What comes back is only what JSON could hold: text, numbers, true/false, null, lists and
mappings. Everything else is refused, with the line and column:

- a tag that builds an object (``!!omap``, ``!!set``, ``!!binary``, ``!!python/...``,
  ``!custom``); the core tags (``!!str``, ``!!int``...) are allowed;
- a key repeated in one mapping (PyYAML's ``safe_load`` would keep the last without a
  word, so a parameter given twice would silently lose a value);
- more than :data:`MAX_YAML_BYTES` of text, more than :data:`MAX_YAML_NODES` values once
  aliases are expanded (an alias bomb: a few lines that expand to billions of items),
  nesting deeper than :data:`MAX_YAML_DEPTH`, or an alias that refers to itself.

Dates stay text: ``start: 2020-01-01`` gives the string ``'2020-01-01'``, not a
``datetime.date`` that no parameter type accepts.

Examples
--------
>>> load_yaml("a: 1\\nb: [2, 3]\\nwhen: 2020-01-01\\n")
{'a': 1, 'b': [2, 3], 'when': '2020-01-01'}
>>> load_yaml("a: 1\\na: 2\\n")
Traceback (most recent call last):
...
scrm_lab._yaml.PlainDataError: found duplicate key 'a'
  in "<unicode string>", line 2, column 1:
    a: 2
    ^
>>> load_yaml("x: !!python/object/apply:os.system [ls]")
Traceback (most recent call last):
...
scrm_lab._yaml.PlainDataError: the tag '!!python/object/apply:os.system' is not allowed: \
only plain data (text, numbers, true/false, null, lists, mappings) is read
  in "<unicode string>", line 1, column 4:
    x: !!python/object/apply:os.system [ls]
       ^
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml

#: Largest YAML text read, in bytes: parameters, grids, schedules and rubrics are written by
#: hand, and a bigger file only delays the answer (PyYAML reads about 1 MB/s).
MAX_YAML_BYTES = 1_000_000
#: Most values (scalars, lists, mappings) once aliases are expanded: stops alias bombs,
#: whose few lines expand into more items than memory holds.
MAX_YAML_NODES = 100_000
#: Deepest nesting of lists and mappings.
MAX_YAML_DEPTH = 50

_CORE = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "merge")}


class PlainDataError(yaml.MarkedYAMLError):
    """YAML that is valid but not plain data, or past a limit (a ``yaml.YAMLError``)."""


class PlainDataLoader(yaml.SafeLoader):
    """PyYAML's safe loader, keeping dates as text and refusing a repeated key."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _CORE + "timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def _construct_mapping(loader: PlainDataLoader, node: yaml.MappingNode) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        if key_node.tag == _CORE + "merge":  # "<<: *base": merged keys may be overridden
            continue
        key = loader.construct_object(key_node)
        try:
            repeated = key in seen
        except TypeError:  # an unhashable key: let PyYAML report it
            break
        if repeated:
            raise PlainDataError(None, None, f"found duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node)


PlainDataLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _shown_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def _check_nodes(root: yaml.Node) -> None:
    """Refuse a tag that is not plain data, an alias loop, too deep or too many values.

    One pass over the node graph (aliases are shared nodes), each node's expanded size and
    depth computed once, so an alias bomb is measured without being expanded.
    """
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            if size[key] > MAX_YAML_NODES:
                raise PlainDataError(
                    None, None,
                    f"more than {MAX_YAML_NODES:,} values (an alias *name counts its values again)",
                    node.start_mark,
                )  # fmt: skip
            if depth[key] > MAX_YAML_DEPTH:
                raise PlainDataError(
                    None, None, f"lists or mappings nested more than {MAX_YAML_DEPTH} deep",
                    node.start_mark,
                )  # fmt: skip
            continue
        if key in size:
            continue
        if key in on_path:
            raise PlainDataError(
                None, None, "an alias (*name) refers to the list or mapping it is in",
                node.start_mark,
            )  # fmt: skip
        if node.tag not in _PLAIN_TAGS:
            raise PlainDataError(
                None, None,
                f"the tag '{_shown_tag(node.tag)}' is not allowed: only plain data (text, "
                "numbers, true/false, null, lists, mappings) is read",
                node.start_mark,
            )  # fmt: skip
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in size)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def load_yaml(text: str) -> Any:
    """Parse YAML text into plain data (errors are ``yaml.YAMLError``, with the line).

    Examples
    --------
    >>> load_yaml("base: &b {x: 1}\\nrun: {<<: *b, y: 2}")
    {'base': {'x': 1}, 'run': {'x': 1, 'y': 2}}
    >>> load_yaml("d: 2024-02-30") == {"d": "2024-02-30"}  # text, even when not a real date
    True
    """
    if len(text) > MAX_YAML_BYTES:
        raise PlainDataError(
            problem=f"{len(text):,} characters; at most {MAX_YAML_BYTES:,} are read"
        )
    loader = PlainDataLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError as err:
            raise PlainDataError(
                problem=f"lists or mappings nested more than {MAX_YAML_DEPTH} deep"
            ) from err
        if node is None:
            return None
        _check_nodes(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def read_yaml_file(
    path: str | os.PathLike, what: str, *, missing_hint: str = "", syntax_hint: str = ""
) -> Any:
    """Read and parse a user's YAML file as plain data, refusing problems with the line named.

    ``what`` names the file in messages ("grid file", "schedules file"); the hints are
    appended to the missing-file and syntax-error messages.

    Raises
    ------
    DataFileError
        The file is missing, not a regular file, unreadable, larger than
        :data:`MAX_YAML_BYTES`, not UTF-8, or not plain-data YAML (line, column, and the block
        it is in), or repeats a key.
    """
    from scrm_lab.exceptions import DataFileError

    file = Path(path).expanduser()
    shown = repr(str(file))
    try:
        info = file.stat()
    except FileNotFoundError as err:
        raise DataFileError(f"{what} {shown} does not exist{missing_hint}") from err
    except OSError as err:
        raise DataFileError(f"{what} {shown} cannot be read: {err.strerror}") from err
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise DataFileError(f"{what} {shown} is {kind}; expected a YAML file")
    if info.st_size > MAX_YAML_BYTES:
        raise DataFileError(
            f"{what} {shown} is {info.st_size:,} bytes; at most {MAX_YAML_BYTES:,} are read "
            "(a parameters, grid, schedules or rubric file is written by hand)"
        )
    try:
        with file.open("rb") as stream:
            data = stream.read(MAX_YAML_BYTES + 1)
        text = data.decode("utf-8")
    except OSError as err:
        raise DataFileError(f"{what} {shown} cannot be read: {err.strerror}") from err
    except UnicodeDecodeError as err:
        raise DataFileError(
            f"{what} {shown} is not UTF-8 text (byte {err.start}: {data[err.start :][:1]!r})"
        ) from err
    try:
        return load_yaml(text)
    except yaml.YAMLError as err:
        raise DataFileError(
            f"{what} {shown} is not valid {describe_yaml_error(err)}{syntax_hint}"
        ) from err


def describe_yaml_error(err: yaml.YAMLError) -> str:
    """A YAML error as one line: ``YAML (line 1, column 6): problem``.

    Examples
    --------
    >>> try:
    ...     load_yaml("[1, 2")
    ... except yaml.YAMLError as err:
    ...     print(describe_yaml_error(err))
    YAML (line 1, column 6): expected ',' or ']', but got '<stream end>', while parsing a \
flow sequence that starts at line 1
    """
    mark, context = getattr(err, "problem_mark", None), getattr(err, "context_mark", None)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    if context is not None and getattr(err, "context", None):
        problem += f", {err.context} that starts at line {context.line + 1}"
    return f"YAML{where}: {problem}"
