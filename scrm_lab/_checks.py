"""The one checking layer: parameter constraints declared once, one message template.

A public function declares its parameters' constraints with :func:`checks`; every value
given is checked before the body runs, and a refused one raises
:class:`~scrm_lab.exceptions.ParameterError` as "The 'n' parameter of f must be an integer
>= 1. Got 0 instead." Checks that need the data (a column present, a level seen) call
:func:`check` or :func:`refuse` inside the body; the message names the function without it
being passed down. The helpers at the end check what only the data can tell
(:func:`require_columns`, :func:`numeric_column`), suggest a near miss (:func:`suggest`) and
keep an old keyword name working for one minor version with a FutureWarning
(:func:`renamed`).

Examples
--------
>>> @checks(alpha=ALPHA)
... def interval(values, *, alpha=0.05):
...     return alpha
>>> interval([1, 2], alpha=1.5)
Traceback (most recent call last):
...
scrm_lab.exceptions.ParameterError: The 'alpha' parameter of interval must be a number \
strictly between 0 and 1. Got 1.5 instead.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import math
import numbers
import os
import reprlib
import sys
import warnings
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

import narwhals as nw
import numpy as np
import pandas as pd

from scrm_lab.exceptions import ParameterError, SchemaError

F = TypeVar("F", bound=Callable[..., Any])
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


# ------------------------------------------------------------- declared constraints

#: The public function whose parameters are being checked (set by :func:`checks`).
_FUNCTION: ContextVar[str] = ContextVar("scrm_lab_function", default="scrm_lab")


def current_function() -> str:
    """The public function being run (for messages about its data, e.g. a missing column)."""
    return _FUNCTION.get()


_BRIEF = reprlib.Repr()  # reprs cut short: 6 items, 3 levels, 60 characters of text
_BRIEF.maxlist = _BRIEF.maxtuple = _BRIEF.maxdict = _BRIEF.maxset = 6
_BRIEF.maxlevel, _BRIEF.maxstring, _BRIEF.maxother, _BRIEF.maxlong = 3, 60, 60, 40


def brief(value: object) -> str:
    """A value as a refusal shows it: its repr on one line, long ones cut short.

    Examples
    --------
    >>> print(brief("two" + chr(10) + "lines"))
    'two\\nlines'
    >>> brief(list(range(100)))
    '[0, 1, 2, 3, 4, 5, ...]'
    >>> brief(10**5000)
    'an int of 16610 bits'
    """
    if isinstance(value, np.generic):
        value = value.item()  # np.float64(inf) -> inf
    try:
        text = _BRIEF.repr(value)
    except ValueError:  # an int too long for str() (Python's 4,300-digit limit)
        return f"an int of {value.bit_length()} bits"  # type: ignore[attr-defined]
    except Exception:  # a user's object whose repr fails
        return f"a {type(value).__name__}"
    return text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text


def refuse(
    name: str, expected: str, value: object, hint: str = "", *, described: str | None = None
) -> ParameterError:
    """The one message template: the parameter, the function, what was expected, what came.

    ``described`` replaces the value in the message when its repr would not help ("an empty
    graph", "a DataFrame without a score column").
    """
    got = brief(value) if described is None else described
    return ParameterError(
        f"The {name!r} parameter of {_FUNCTION.get()} must be {expected}. Got {got} instead.{hint}"
    )


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


@dataclass(frozen=True)
class Integer:
    """A whole number (not a bool) in ``[low, high]``; either end may be None."""

    low: int | None = None
    high: int | None = None

    @property
    def expected(self) -> str:
        if self.low is not None and self.high is not None:
            return f"an integer from {self.low} to {self.high}"
        if self.low is not None:
            return f"an integer >= {self.low}"
        return "an integer" if self.high is None else f"an integer <= {self.high}"

    def accepts(self, value: object) -> bool:
        return (
            _is_int(value)
            and (self.low is None or value >= self.low)
            and (self.high is None or value <= self.high)
        )

    def example(self) -> int:
        return self.low if self.low is not None else (self.high if self.high is not None else 0)

    def invalid(self) -> list[object]:
        out: list[object] = ["1", 1.5, True]
        out += [self.low - 1] if self.low is not None else []
        return out + ([self.high + 1] if self.high is not None else [])


@dataclass(frozen=True)
class Real:
    """A finite real number (not a bool) in an interval; ``(`` ends are open."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False

    @property
    def expected(self) -> str:
        if (self.low, self.high, self.low_open, self.high_open) == (0, 1, True, True):
            return "a number strictly between 0 and 1"
        if self.low is not None and self.high is not None:
            return (
                f"a number in {'(' if self.low_open else '['}{self.low:g}, "
                f"{self.high:g}{')' if self.high_open else ']'}"
            )
        if self.low is not None:
            return f"a finite number {'>' if self.low_open else '>='} {self.low:g}"
        if self.high is not None:
            return f"a finite number {'<' if self.high_open else '<='} {self.high:g}"
        return "a finite number"

    def accepts(self, value: object) -> bool:
        if not _is_real(value) or not math.isfinite(value):
            return False
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            return False
        high = self.high
        return high is None or (value < high if self.high_open else value <= high)

    def example(self) -> float:
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        if self.low is not None:
            return self.low + 1.0
        return 0.0 if self.high is None else self.high - 1.0

    def invalid(self) -> list[object]:
        out: list[object] = ["0.5", True, math.nan]
        if self.low is not None:
            out.append(self.low if self.low_open else self.low - 1)
        if self.high is not None:
            out.append(self.high if self.high_open else self.high + 1)
        return out


#: A significance level: strictly between 0 and 1.
ALPHA = Real(0, 1, low_open=True, high_open=True)
#: A random seed: a whole number >= 0 (numpy's SeedSequence takes no negative entropy).
SEED = Integer(low=0)


@dataclass(frozen=True)
class Choice:
    """One of a few strings; a near miss gets a did-you-mean."""

    options: tuple[str, ...]

    @property
    def expected(self) -> str:
        return f"one of {list(self.options)}"

    def accepts(self, value: object) -> bool:
        return isinstance(value, str) and value in self.options

    def hint(self, value: object) -> str:
        return suggest(value, self.options)

    def example(self) -> str:
        return self.options[0]

    def invalid(self) -> list[object]:
        return [1, f"{self.options[0]}_not_an_option"]


@dataclass(frozen=True)
class Text:
    """A string, non-empty unless ``empty_ok``: a column name, a label, a salt."""

    what: str = "a non-empty string"
    empty_ok: bool = False

    @property
    def expected(self) -> str:
        return self.what

    def accepts(self, value: object) -> bool:
        return isinstance(value, str) and (self.empty_ok or bool(value))

    def example(self) -> str:
        return "x"

    def invalid(self) -> list[object]:
        return [1] if self.empty_ok else [1, ""]


#: A column name given as a parameter.
COLUMN = Text("a column name (a non-empty str)")


@dataclass(frozen=True)
class Delimiter:
    """One ASCII character that can separate fields: not a quote, a line break or NUL."""

    expected: str = "one ASCII character other than a quote, a line break or NUL (',', '\\t'...)"

    def accepts(self, value: object) -> bool:
        return (
            isinstance(value, str)
            and len(value) == 1
            and value.isascii()
            and (value not in '"\r\n\x00')
        )

    def example(self) -> str:
        return ","

    def invalid(self) -> list[object]:
        return [1, "", "::", '"', "\n", "§"]


@dataclass(frozen=True)
class NameOrPosition:
    """A name (str) or a 0-based position (an int that is not a bool): an Excel sheet."""

    expected: str = "a name or a 0-based position"

    def accepts(self, value: object) -> bool:
        return isinstance(value, str) or _is_int(value) and value >= 0  # type: ignore[operator]

    def example(self) -> int:
        return 0

    def invalid(self) -> list[object]:
        return [1.5, True, None, -1]


@dataclass(frozen=True)
class Many:
    """A non-empty ordered collection (list, tuple, array, Series) of items ``item`` accepts."""

    item: Any
    expected: str
    distinct: bool = False
    empty_ok: bool = False

    def accepts(self, value: object) -> bool:
        ordered = (Sequence, np.ndarray, pd.Index, pd.Series)  # not a set: its order varies
        if isinstance(value, str | bytes) or not isinstance(value, ordered):
            return False
        items = list(value)
        if not items and not self.empty_ok:
            return False
        if self.distinct and len(set(items)) < len(items):
            return False
        return all(self.item.accepts(v) for v in items)

    def hint(self, value: object) -> str:
        if not self.distinct or isinstance(value, str | bytes):
            return ""
        try:
            items = list(value)  # type: ignore[call-overload]
        except TypeError:
            return ""
        repeated = sorted({str(v) for v in items if items.count(v) > 1})
        return f" Duplicated: {', '.join(repeated)}." if repeated else ""

    def example(self) -> list[object]:
        return [self.item.example()]

    def invalid(self) -> list[object]:
        return ["a", [self.item.invalid()[0]], *([] if self.empty_ok else [[]])]


@dataclass(frozen=True)
class ColumnNames:
    """A column name, or a list of distinct column names (at least one unless ``empty_ok``)."""

    empty_ok: bool = False

    @property
    def expected(self) -> str:
        return "a column name or a sequence of distinct column names" + (
            "" if self.empty_ok else " (at least one)"
        )

    def accepts(self, value: object) -> bool:
        if isinstance(value, str):
            return bool(value)
        return Many(Text(), "", distinct=True, empty_ok=self.empty_ok).accepts(value)

    def hint(self, value: object) -> str:
        if isinstance(value, str) or not isinstance(value, Sequence):
            return ""
        repeated = sorted({v for v in value if list(value).count(v) > 1}, key=str)
        return f" Duplicated: {', '.join(map(str, repeated))}." if repeated else ""

    def example(self) -> str:
        return "x"

    def invalid(self) -> list[object]:
        return [1, "", ["a", "a"], *([] if self.empty_ok else [[]])]


def as_names(value: str | Sequence[str]) -> tuple[str, ...]:
    """A value :class:`ColumnNames` accepted, as a tuple of names."""
    return (value,) if isinstance(value, str) else tuple(value)


#: Names (brands, channels, columns): distinct non-empty strings.
NAMES = Many(Text(), "a non-empty list of distinct names (non-empty strings)", distinct=True)


@dataclass(frozen=True)
class Instance:
    """An object of one of ``types`` (a matplotlib Axes, a DataFrame, a mapping)."""

    types: Any
    expected: str

    def accepts(self, value: object) -> bool:
        return isinstance(value, self.types)

    def example(self) -> object:
        """An empty instance of the first type that can be made without arguments."""
        for kind in self.types if isinstance(self.types, tuple) else (self.types,):
            if isinstance(kind, type) and issubclass(dict, kind):
                return {}
            try:
                value = kind()
            except TypeError:
                continue
            if self.accepts(value):
                return value
        return None

    def invalid(self) -> list[object]:
        return [v for v in ("x", 1.5) if not self.accepts(v)]


@dataclass(frozen=True)
class Having:
    """An object with the named attributes, for a library that may not be installed
    (a Spark session: ``Having(("read", "createDataFrame"), "a SparkSession")``)."""

    names: tuple[str, ...]
    expected: str

    def accepts(self, value: object) -> bool:
        return all(hasattr(value, name) for name in self.names)

    def example(self) -> object:
        return None

    def invalid(self) -> list[object]:
        return ["x", 1.5]


@dataclass(frozen=True)
class BusinessHours:
    """Opening hours as two whole hours (open, close) with 0 <= open < close <= 24."""

    expected: str = "two whole hours (open, close) with 0 <= open < close <= 24"

    def accepts(self, value: object) -> bool:
        return (
            isinstance(value, Sequence)
            and not isinstance(value, str)
            and len(value) == 2
            and all(_is_int(h) for h in value)
            and 0 <= value[0] < value[1] <= 24
        )

    def example(self) -> tuple[int, int]:
        return (9, 17)

    def invalid(self) -> list[object]:
        return ["9-17", (17, 9), (9, 25)]


@dataclass(frozen=True)
class Flag:
    """True or False (not 0/1, not "yes")."""

    expected: str = "True or False"

    def accepts(self, value: object) -> bool:
        return isinstance(value, bool | np.bool_)

    def example(self) -> bool:
        return False

    def invalid(self) -> list[object]:
        return ["yes", 2]


@dataclass(frozen=True)
class OrNone:
    """``constraint`` or None."""

    inner: Any

    @property
    def expected(self) -> str:
        return f"{self.inner.expected} or None"

    def accepts(self, value: object) -> bool:
        return value is None or self.inner.accepts(value)

    def hint(self, value: object) -> str:
        return getattr(self.inner, "hint", lambda v: "")(value)

    def example(self) -> object:
        return None

    def invalid(self) -> list[object]:
        return self.inner.invalid()


@dataclass(frozen=True)
class Either:
    """One of two constraints: ``Either(Choice(("median",)), Real(low=0, low_open=True))``."""

    first: Any
    second: Any

    @property
    def expected(self) -> str:
        return f"{self.first.expected} or {self.second.expected}"

    def accepts(self, value: object) -> bool:
        return self.first.accepts(value) or self.second.accepts(value)

    def example(self) -> object:
        return self.first.example()

    def invalid(self) -> list[object]:
        both = [*self.first.invalid(), *self.second.invalid()]
        return [v for v in both if not self.accepts(v)]


def check(value: object, name: str, constraint: Any) -> Any:
    """Refuse ``value`` unless ``constraint`` accepts it; return it unchanged.

    For values that need the data to be checked (a column of this table, a level present in
    it) inside a function decorated with :func:`checks`; the message names that function.
    """
    if not constraint.accepts(value):
        hint = constraint.hint(value) if hasattr(constraint, "hint") else ""
        raise refuse(name, constraint.expected, value, hint)
    return value


def checks(**constraints: Any) -> Callable[[F], F]:
    """Declare a public function's parameter constraints once; checked before its body runs.

    Every value given for a declared parameter (defaults are trusted) is checked in the
    order of the signature, and the first one refused raises :class:`ParameterError` with
    the one message template. While the function runs, :func:`check` and :func:`refuse`
    name it in their messages, so no helper needs the function's name passed down.
    The declarations are kept on the function as ``__scrm_checks__`` for the contract test.

    Examples
    --------
    >>> @checks(n=Integer(low=1), method=Choice(("mean", "median")))
    ... def summarise(data, *, n=5, method="mean"):
    ...     return n
    >>> summarise(None, n=0)
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.ParameterError: The 'n' parameter of summarise must be an integer >= 1. \
Got 0 instead.
    """

    def decorate(function: F) -> F:
        signature = inspect.signature(function)
        unknown = sorted(set(constraints) - set(signature.parameters))
        if unknown:
            raise TypeError(f"checks() on {function.__name__}: no parameters named {unknown}")
        order = [p for p in signature.parameters if p in constraints]
        qualified = function.__qualname__  # "CascadeResult.summary" for a method
        shown = function.__name__ if "<locals>" in qualified else qualified
        method = next(iter(signature.parameters), "") == "self"

        @functools.wraps(function)
        def checked(*args: Any, **kwargs: Any) -> Any:
            # a method is named by the instance's class: BGNBD.summary, not its base's
            name = f"{type(args[0]).__name__}.{function.__name__}" if method and args else shown
            token = _FUNCTION.set(name)
            try:
                given = signature.bind_partial(*args, **kwargs).arguments
                for name in order:
                    if name in given:
                        check(given[name], name, constraints[name])
                return function(*args, **kwargs)
            finally:
                _FUNCTION.reset(token)

        checked.__scrm_checks__ = dict(constraints)  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorate


def suggest(value: object, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(value), list(options), n=1, cutoff=0.6)
    return f" Did you mean {close[0]!r}?" if close else ""


def show_value(value: object) -> str:
    """A value as a message shows it: names quoted, whole numbers without ".0", dates."""
    if isinstance(value, pd.Timestamp | np.datetime64):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else str(stamp)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


def require_columns(
    data: pd.DataFrame | nw.LazyFrame,
    columns: Sequence[str],
    function: str | None = None,
) -> None:
    """Refuse a non-DataFrame, or a missing column (listing the available ones).

    ``data`` is a pandas DataFrame or a narwhals LazyFrame over any engine (its schema is
    read, nothing computed). The message names ``function``, by default the public
    function being run.
    """
    function = function or current_function()
    if isinstance(data, nw.LazyFrame):
        names = list(data.collect_schema().names())
    elif isinstance(data, pd.DataFrame):
        names = list(data.columns)
    else:
        raise ParameterError(
            f"The 'data' parameter of {function} must be a pandas DataFrame. "
            f"Got {type(data).__name__} instead."
        )
    require_names(names, columns, function)


def require_names(
    names: Sequence[object],
    columns: Sequence[str],
    function: str | None = None,
    *,
    table: str | None = None,
) -> None:
    """Refuse a column not among a table's column ``names``, listing them.

    The message says "the data", or "the messages table" with ``table="messages"``.

    >>> require_names(["likes", "shares"], ["likes"])
    """
    function = function or current_function()
    available = [str(c) for c in names]
    where = f"the {table} table" if table else "the data"
    for column in columns:
        if column not in available:
            raise SchemaError(
                f"{function}: column {column!r} is not in {where}; available columns: "
                f"{', '.join(map(repr, available))}.{suggest(column, available)}",
                table=table,
                column=column,
            )


def numeric_column(data: pd.DataFrame, column: str, function: str | None = None) -> pd.Series:
    """The column as float64; refused (naming it) unless its dtype is numeric, not bool."""
    function = function or current_function()
    values = data[column]
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise SchemaError(
            f"{function}: column '{column}' has dtype {values.dtype}; expected numbers",
            column=column,
        )
    return values.astype("float64")


def column_values(data: pd.DataFrame, column: str) -> pd.Series:
    """The numeric column ``column`` (a parameter declared as a column name), as float64."""
    require_columns(data, [column])
    return numeric_column(data, column)


def warn_user(message: str, category: type[Warning] = FutureWarning) -> None:
    """Warn at the user's line: the first caller outside scrm_lab, whatever wraps the call.

    A fixed ``stacklevel`` would point into :func:`checks`' wrapper or another scrm_lab
    function depending on how the public function was reached.
    """
    frame, level = sys._getframe(1), 2
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)


def renamed(old: str, new: str, value: object, function: str | None = None) -> object:
    """Warn that keyword ``old`` of ``function`` is now ``new``; return ``value`` unchanged.

    Old keyword names keep working for one minor version with a FutureWarning that names the
    new one, shown at the user's line. Call it only when the old keyword was given.
    """
    warn_user(
        f"The {old!r} parameter of {function or current_function()} is renamed {new!r}; "
        f"{old!r} will stop working in the next minor version. Use {new}= instead."
    )
    return value
