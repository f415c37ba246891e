"""Typed notebook parameters: declarations read from a ``parameters`` cell, and checks.

Private to :mod:`scrm_lab.reports`, which documents the declaration syntax. A declaration is
one line of the cell, read with :mod:`ast` (nothing is executed)::

    max_rows: "int in [1, 1000]" = 10  # rows of raw data to show

The annotation is a *type spec*: a bare type (``int``) or a string (so the kernel, which
evaluates annotations, needs no import), parsed by :func:`parse_spec`.

Examples
--------
>>> spec = parse_spec("list[int] in [8, inf)")
>>> spec.kind, spec.element, spec.allowed
('list', 'int', '[8, inf)')
>>> spec.check([30, 100], "n_brands")
[30, 100]
"""

from __future__ import annotations

import ast
import io
import math
import os
import re
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral, Real
from pathlib import Path
from typing import Any

from scrm_lab._checks import brief, suggest
from scrm_lab._yaml import read_yaml_file
from scrm_lab.exceptions import DataFileError, ParameterError, ScrmLabError

_SCALARS = ("int", "float", "str", "bool")
_KINDS = (*_SCALARS, "list", "dict", "path", "any")
_BUILTIN_TYPES = (*_SCALARS, "list", "dict")  # annotations the kernel can evaluate unquoted
_SPEC = re.compile(
    r"^(?P<secret>secret\s+)?(?P<type>[a-z]+(\[[a-z]+\])?)(\s+in\s+(?P<domain>.+))?$"
)
_INTERVAL = re.compile(r"^(?P<lo_b>[\[(])\s*(?P<lo>[^,]+?)\s*,\s*(?P<hi>[^,]+?)\s*(?P<hi_b>[\])])$")
SECRET_ENV_PREFIX = "SCRM_LAB_SECRET_"
SECRET_SHOWN_AS = "<secret>"
_INT64 = (-(2**63), 2**63 - 1)  # the notebook's numpy and pandas take no wider integer
#: Most values (items of lists and mappings, counted through the nesting) in one parameter.
MAX_PARAMETER_VALUES = 100_000
#: Deepest nesting of lists and mappings in one parameter value.
MAX_PARAMETER_DEPTH = 50


@dataclass(frozen=True)
class Interval:
    """A range of numbers; ``inf`` ends are open."""

    low: float
    high: float
    low_closed: bool
    high_closed: bool

    def __contains__(self, value: float) -> bool:
        above = value >= self.low if self.low_closed else value > self.low
        below = value <= self.high if self.high_closed else value < self.high
        return above and below

    def __str__(self) -> str:
        def show(x: float) -> str:
            return ("-inf" if x < 0 else "inf") if math.isinf(x) else f"{x:g}"

        return (
            f"{'[' if self.low_closed else '('}{show(self.low)}, "
            f"{show(self.high)}{']' if self.high_closed else ')'}"
        )


@dataclass(frozen=True)
class Spec:
    """A parsed type spec: what values a parameter accepts.

    ``kind`` is int, float, str, bool, list, dict, path or any; ``element`` the type of a
    list's items; ``choices`` or ``interval`` restrict the value (each item, for a list).
    """

    kind: str
    element: str | None = None
    choices: tuple[Any, ...] | None = None
    interval: Interval | None = None
    secret: bool = False

    @property
    def type_name(self) -> str:
        return f"list[{self.element}]" if self.element else self.kind

    @property
    def allowed(self) -> str:
        """The restriction as written (``{a, b}``, ``[1, 10]``), or ``""``."""
        if self.choices is not None:
            shown = (repr(c) if c == "" or "," in str(c) else str(c) for c in self.choices)
            return "{" + ", ".join(shown) + "}"
        return str(self.interval) if self.interval else ""

    def check(self, value: Any, name: str, owner: str = "") -> Any:
        """``value`` as a plain Python value of this spec, or a :class:`ParameterError`.

        ``owner`` (``"notebook 'x'"``) is named in the message after the parameter.
        """
        label = f"'{name}' of {owner}" if owner else f"'{name}'"
        if self.kind == "list":
            if not isinstance(value, list | tuple):
                raise self._refuse(label, value, "a list")
            checked = [self._check_one(v, self.element or "any", label, item=i) for i, v in
                       enumerate(value)]  # fmt: skip
        else:
            checked = self._check_one(value, self.kind, label)
        return _plain(checked, label, self.secret)

    def _check_one(self, value: Any, kind: str, name: str, item: int | None = None) -> Any:
        given = value  # messages show the value as given
        if type(value).__module__ == "numpy" and hasattr(value, "item"):
            value = value.item()  # numpy scalars -> Python scalars
        checks = {
            "any": lambda v: True,
            "bool": lambda v: isinstance(v, bool),
            "int": lambda v: isinstance(v, Integral) and not isinstance(v, bool),
            "float": lambda v: isinstance(v, Real) and not isinstance(v, bool),
            "str": lambda v: isinstance(v, str),
            "path": lambda v: isinstance(v, str | os.PathLike),
            "dict": lambda v: isinstance(v, Mapping),
        }
        if not checks[kind](value):
            article = "an" if kind[0] in "aeiou" else "a"
            raise self._refuse(name, given, f"{article} {kind}", item)
        value = {"int": int, "float": float, "dict": dict, "path": os.fspath}.get(
            kind, lambda v: v
        )(value)
        if kind == "float" and not math.isfinite(value):
            raise self._refuse(name, given, "a finite number", item)
        if kind == "int" and not _INT64[0] <= value <= _INT64[1]:
            raise self._refuse(name, given, "an integer between -2**63 and 2**63 - 1", item)
        if self.choices is not None and value not in self.choices:
            hint = suggest(value, [str(c) for c in self.choices]) if isinstance(value, str) else ""
            raise self._refuse(name, given, f"one of {self.allowed}", item, hint)
        if self.interval is not None and value not in self.interval:
            raise self._refuse(name, given, f"in {self.interval}", item)
        return value

    def _refuse(
        self, name: str, value: Any, expected: str, item: int | None = None, hint: str = ""
    ) -> ParameterError:
        where = f"item {item} of parameter {name}" if item is not None else f"parameter {name}"
        return ParameterError(
            f"The {where} must be {expected} ({self.type_name}"
            f"{' in ' + self.allowed if self.allowed else ''}). "
            f"Got {self.shown(value)} ({type(value).__name__}) instead.{hint}"
        )

    def shown(self, value: Any) -> str:
        """``value`` as messages show it: never a secret's value, never more than one line."""
        return SECRET_SHOWN_AS if self.secret else brief(value)


def parse_spec(text: str, where: str = "the spec") -> Spec:
    """Parse a type spec such as ``"secret str"``, ``"float in (0, 0.5]"``.

    Examples
    --------
    >>> parse_spec("str in {spearman, pearson}").choices
    ('spearman', 'pearson')
    >>> parse_spec("intt")
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.ParameterError: The type of the spec is 'intt'; expected one of \
int, float, str, bool, list, dict, path, any or list[int|float|str|bool], optionally \
followed by 'in [low, high]' or 'in {a, b}'. Did you mean 'int'?
    """
    match = _SPEC.match(text.strip())
    kinds = ", ".join(_KINDS)
    expected = (
        f"expected one of {kinds} or list[int|float|str|bool], optionally followed by "
        "'in [low, high]' or 'in {a, b}'."
    )
    if not match:
        raise ParameterError(f"The type of {where} is {text!r}; {expected}")
    type_text, domain = match["type"], match["domain"]
    kind, _, element = type_text.partition("[")
    element = element.rstrip("]") or None
    if kind not in _KINDS or (element and (kind != "list" or element not in _SCALARS)):
        hint = suggest(type_text, [*_KINDS, *(f"list[{s}]" for s in _SCALARS)])
        raise ParameterError(f"The type of {where} is {type_text!r}; {expected}{hint}")
    base = element or kind
    choices = interval = None
    if domain:
        domain = domain.strip()
        if domain == "datasets" and base == "str":
            from scrm_lab.datasets import list_datasets

            choices = tuple(list_datasets()["name"])
        elif domain.startswith("{") and domain.endswith("}") and base in ("int", "float", "str"):
            choices = tuple(_choice(item, base, where) for item in _split(domain[1:-1]))
            if not choices:
                raise ParameterError(f"The allowed values of {where} are empty: {domain}.")
        elif base in ("int", "float") and (found := _INTERVAL.match(domain)):
            low, high = (_number(found[k], where) for k in ("lo", "hi"))
            if not low < high:
                raise ParameterError(f"The range {domain} of {where} is empty; low < high.")
            interval = Interval(
                low, high, found["lo_b"] == "[" and math.isfinite(low),
                found["hi_b"] == "]" and math.isfinite(high),
            )  # fmt: skip
        else:
            raise ParameterError(
                f"The restriction {domain!r} of {where} is not understood for {type_text}; "
                "use 'in [low, high]' (or ( ) for open ends, inf allowed) for int and float, "
                "or 'in {a, b, c}' for int, float and str ('in datasets': a shipped data set)."
            )
    return Spec(kind, element, choices, interval, bool(match["secret"]))


_PLAIN = "plain data (text, numbers, true/false, null, lists, mappings with text keys)"


def _plain(value: Any, label: str, secret: bool) -> Any:
    """``value`` as plain data (what JSON holds), so it is written into the notebook as a
    literal: tuples become lists, numpy scalars Python ones; anything else is refused, with
    where it is (``['dates'][0]``), as are non-finite floats, integers wider than 64 bits,
    text that is not valid Unicode, and values past the limits.

    Examples
    --------
    >>> _plain({"a": (1, 2.5)}, "'p'", False)
    {'a': [1, 2.5]}
    >>> import datetime
    >>> _plain({"start": datetime.date(2020, 1, 2)}, "'p'", False)
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.ParameterError: The parameter 'p' must be plain data (text, numbers, \
true/false, null, lists, mappings with text keys). Got datetime.date(2020, 1, 2) (date) at \
['start'] instead (write a date as text, e.g. '2020-01-31').
    """
    count = 0

    def refuse(item: Any, at: str, expected: str = _PLAIN) -> ParameterError:
        shown = SECRET_SHOWN_AS if secret else brief(item)
        where = f" at {at}" if at else ""
        hint = " (write a date as text, e.g. '2020-01-31')" if hasattr(item, "isoformat") else ""
        return ParameterError(
            f"The parameter {label} must be {expected}. Got {shown} "
            f"({type(item).__name__}){where} instead{hint}."
        )

    def convert(item: Any, at: str, depth: int) -> Any:
        nonlocal count
        count += 1
        if count > MAX_PARAMETER_VALUES:
            raise refuse(item, at, f"{_PLAIN} of at most {MAX_PARAMETER_VALUES:,} values")
        if depth > MAX_PARAMETER_DEPTH:
            raise refuse(item, at, f"{_PLAIN} nested at most {MAX_PARAMETER_DEPTH} deep")
        if type(item).__module__ == "numpy" and hasattr(item, "item") and not item.shape:
            item = item.item()
        if item is None or isinstance(item, bool):
            return item
        if isinstance(item, Integral):
            if not _INT64[0] <= item <= _INT64[1]:
                raise refuse(item, at, "an integer between -2**63 and 2**63 - 1")
            return int(item)
        if isinstance(item, float):
            if not math.isfinite(item):
                raise refuse(item, at, "a finite number")
            return item
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as err:  # e.g. a non-UTF-8 byte on the command line
                raise refuse(item, at, f"valid text (character {err.start} is not)") from err
            return str(item)
        if isinstance(item, list | tuple):
            return [convert(v, f"{at}[{i}]", depth + 1) for i, v in enumerate(item)]
        if isinstance(item, Mapping):
            converted = {}
            for key, v in item.items():
                if not isinstance(key, str):
                    raise refuse(key, f"{at} (a key)", "a mapping with text keys")
                converted[convert(key, f"{at} (a key)", depth + 1)] = convert(
                    v, f"{at}[{key!r}]", depth + 1
                )
            return converted
        raise refuse(item, at)

    return convert(value, "", 0)


def python_literal(values: Mapping[str, Any]) -> str:
    """Parameter values (checked plain data) as ``name = literal`` lines of Python.

    Every value is written with :func:`repr`, which for plain data is a literal, and read
    back with :func:`ast.literal_eval` before it is used: nothing in a value can run.

    Examples
    --------
    >>> print(python_literal({"brand": 'a"); import os; ("', "n": [1, 2]}))
    # Parameters
    brand = 'a"); import os; ("'
    n = [1, 2]
    """
    lines = ["# Parameters"]
    for name, value in values.items():
        if not name.isidentifier():
            raise ParameterError(f"The parameter name {name!r} is not a Python name.")
        text = repr(value)
        if ast.literal_eval(text) != value or not isinstance(
            ast.parse(text, mode="eval").body, ast.Constant | ast.List | ast.Dict | ast.UnaryOp
        ):
            raise ParameterError(f"The value of parameter {name!r} cannot be written as a literal.")
        lines.append(f"{name} = {text}")
    return "\n".join(lines) + "\n"


def _split(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _choice(item: str, kind: str, where: str) -> Any:
    if kind == "str":
        return item[1:-1] if len(item) > 1 and item[0] == item[-1] and item[0] in "'\"" else item
    return _number(item, where, int if kind == "int" else float)


def _number(text: str, where: str, kind: type = float) -> Any:
    try:
        return kind(text.strip())
    except ValueError as err:
        raise ParameterError(f"{text.strip()!r} in the type of {where} is not a number.") from err


# --------------------------------------------------------------------------- declarations


@dataclass(frozen=True)
class Parameter:
    """One declared parameter: name, spec, default and one-line help."""

    name: str
    spec: Spec
    default: Any
    help: str
    typed: bool  # declared with a type spec, not inferred from the default


def _comments(source: str) -> dict[int, str]:
    """Line number -> text of the comment on that line."""
    found: dict[int, str] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                found[token.start[0]] = token.string.lstrip("#").strip()
    except (tokenize.TokenError, SyntaxError):
        pass  # ast.parse reports the syntax error
    return found


def parse_declarations(source: str, where: str) -> list[Parameter]:
    """``name: "spec" = literal  # help`` lines -> parameters; nothing is executed.

    A line without an annotation (papermill's plain ``name = literal``) gets the type of its
    default (any for None), so existing papermill notebooks still run.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise ParameterError(
            f"The parameters cell of {where} is not valid Python (line {err.lineno}: "
            f'{err.msg}); expected lines of the form `name: "type" = value  # help`.'
        ) from err
    comments = _comments(source)
    declared: dict[str, Parameter] = {}
    for node in tree.body:
        target = value = annotation = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value, annotation = node.target, node.value, node.annotation
        if not isinstance(target, ast.Name) or value is None:
            raise ParameterError(
                f"Line {node.lineno} of the parameters cell of {where} is not a parameter; "
                'expected `name: "type" = value  # help` with a literal value.'
            )
        name = target.id
        what = f"parameter '{name}' in {where} (line {node.lineno})"
        try:
            default = ast.literal_eval(value)
        except ValueError as err:
            raise ParameterError(
                f"The default of {what} is not a literal (a number, string, bool, None, list "
                "or dict)."
            ) from err
        if annotation is None:
            spec = Spec("any" if default is None else _kind_of(default))
        elif isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            spec = parse_spec(annotation.value, what)
        elif isinstance(annotation, ast.Name | ast.Subscript):
            spec = parse_spec(ast.unparse(annotation), what)
            if ast.unparse(annotation) not in (*_BUILTIN_TYPES, *(f"list[{s}]" for s in _SCALARS)):
                raise ParameterError(
                    f"The type of {what} is {ast.unparse(annotation)} without quotes, which the "
                    f'kernel cannot evaluate; write it as a string: "{ast.unparse(annotation)}".'
                )
        else:
            raise ParameterError(
                f"The type of {what} is {ast.unparse(annotation)!r}; write it as a type name "
                'or a string such as "int in [1, 10]".'
            )
        if name in declared:
            raise ParameterError(f"The {what} is declared twice.")
        lines = range(node.end_lineno or node.lineno, node.lineno - 1, -1)
        help_text = next((comments[i] for i in lines if i in comments), "")
        try:
            default = spec.check(default, name)
        except ParameterError as err:
            raise ParameterError(f"The default of {what} does not fit its type: {err}") from err
        declared[name] = Parameter(name, spec, default, help_text, annotation is not None)
    return list(declared.values())


def _kind_of(default: Any) -> str:
    name = type(default).__name__
    return name if name in _KINDS else "any"


# ------------------------------------------------------------------------- given values


def effective_values(
    declared: list[Parameter], given: Mapping[str, Any] | None, notebook: str
) -> dict[str, Any]:
    """Every parameter's value: given, else ``SCRM_LAB_SECRET_<NAME>`` for a secret, else
    its default; names, types and ranges checked; paths made absolute and checked."""
    given = {} if given is None else given
    if not isinstance(given, Mapping):
        raise ParameterError(
            "The 'parameters' argument must be a mapping of parameter name to value. "
            f"Got {type(given).__name__} instead."
        )
    by_name = {p.name: p for p in declared}
    for key in given:
        if key not in by_name:
            raise ParameterError(
                f"The notebook '{notebook}' has no parameter {key!r}; its parameters are "
                f"{', '.join(by_name) or 'none'}.{suggest(key, list(by_name))}"
            )
    values = {}
    for p in declared:
        variable = SECRET_ENV_PREFIX + p.name.upper()
        raw = given.get(p.name, os.environ.get(variable) if p.spec.secret else None)
        try:
            if p.name in given or (p.spec.secret and variable in os.environ):
                value = p.spec.check(raw, p.name, f"notebook '{notebook}'")
            else:
                value = p.default
            if p.spec.kind == "path" and value:
                value = _existing_file(value, p.name, notebook)
        except ScrmLabError as err:
            forms = {str(raw), os.path.expanduser(str(raw))} if p.spec.secret and raw else set()
            if not any(form in str(err) for form in forms):
                raise
            hidden = str(err)
            for form in sorted(forms, key=len, reverse=True):
                hidden = hidden.replace(form, SECRET_SHOWN_AS)
            raise type(err)(hidden) from None  # the original names the secret
        values[p.name] = value
    return values


def _existing_file(value: str | os.PathLike, name: str, notebook: str) -> str:
    """The absolute path of an existing file, or of a folder of Parquet files (a data set
    for the duckdb and spark engines, hive partitions included)."""
    path = Path(value).expanduser()
    parquet = path.is_dir() and any(path.rglob("*.parquet"))
    if not (path.is_file() or parquet):
        folder = " (it is a folder with no .parquet file)" if path.is_dir() else ""
        raise DataFileError(
            f"The '{name}' parameter of notebook '{notebook}' names the file '{path}', which "
            f"does not exist{folder}; give an existing file or a folder of Parquet files, or "
            "an empty string for none."
        )
    return str(path.resolve())  # the kernel runs in another folder


def values_from_text(declared: list[Parameter], pairs: Mapping[str, str], notebook: str) -> dict:
    """Command-line strings -> values of each parameter's declared type (not guessed).

    A str or path parameter takes the text as it is; int, float and bool parse it; a list or
    dict reads it as YAML (``[a, b]``, ``{a: 1}``); an untyped parameter reads it as a YAML
    scalar. The values are then checked like any others.
    """
    import yaml

    from scrm_lab._yaml import describe_yaml_error, load_yaml

    by_name = {p.name: p for p in declared}
    values: dict[str, Any] = {}
    for name, text in pairs.items():
        if name not in by_name:
            values[name] = text  # refused, with a did-you-mean, by effective_values
            continue
        spec = by_name[name].spec
        try:
            if spec.kind in ("str", "path"):
                values[name] = text
            elif spec.kind == "int":
                values[name] = int(text)
            elif spec.kind == "float":
                values[name] = float(text)
            elif spec.kind == "bool":
                values[name] = _boolean(text)
            else:
                values[name] = load_yaml(text) if text.strip() else text
        except (ValueError, yaml.YAMLError) as err:
            parse = isinstance(err, yaml.YAMLError) and not spec.secret
            why = f" ({describe_yaml_error(err)})" if parse else ""
            raise ParameterError(
                f"The '{name}' parameter of notebook '{notebook}' must be "
                f"{spec.type_name}{' in ' + spec.allowed if spec.allowed else ''}. "
                f"Got {spec.shown(text)} on the command line, which is not one{why}."
            ) from err
    return values


def _boolean(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "yes", "on", "1"):
        return True
    if lowered in ("false", "no", "off", "0"):
        return False
    raise ValueError(text)


def read_values_file(path: str | os.PathLike) -> dict[str, Any]:
    """Parameter values from a YAML file: one mapping of name to value."""
    file = Path(path).expanduser()
    content = read_yaml_file(file, "parameters file")
    if content is None:
        return {}
    if not isinstance(content, dict) or not all(isinstance(k, str) for k in content):
        raise DataFileError(
            f"parameters file '{file}' must hold one mapping of parameter name to value "
            f"(name: value lines); found {type(content).__name__}"
        )
    return content
