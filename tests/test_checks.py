"""The one checking layer: every declared parameter of every public function is refused with
the one message template, and every public function declares every option it takes.

In the spirit of scikit-learn's test of its public functions: the constraints declared with
``scrm_lab._checks.checks`` are read back from each function, and each is given a wrongly typed
and an out-of-range value; the refusal must name the parameter and the function.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator

import pytest

import scrm_lab
from scrm_lab._checks import ALPHA, Choice, Integer, OrNone, Real, checks
from scrm_lab.exceptions import ParameterError

#: Every public module: each of its public functions declares every keyword option, and the
#: contract test gives each declared parameter wrongly typed and out-of-range values.
PUBLIC_MODULES = (
    "scrm_lab.bench",
    "scrm_lab.customers",
    "scrm_lab.datasets",
    "scrm_lab.engagement",
    "scrm_lab.engagement.content",
    "scrm_lab.identity",
    "scrm_lab.io",
    "scrm_lab.lessons",
    "scrm_lab.listening",
    "scrm_lab.metrics",
    "scrm_lab.models",
    "scrm_lab.network",
    "scrm_lab.plots",
    "scrm_lab.privacy",
    "scrm_lab.reports",
    "scrm_lab.reports.schedules",
    "scrm_lab.schema",
    "scrm_lab.service",
    "scrm_lab.studies.engagement_revenue",
    "scrm_lab.studies.engagementdb_2009",
    "scrm_lab.studies.moro_2016",
    "scrm_lab.summary",
    "scrm_lab.synth",
    "scrm_lab.unified",
)
#: Public modules without functions of their own to check: the command line (typer
#: commands), the exception classes, and the old paths that only re-export.
NOT_CHECKED = (
    "scrm_lab.cli",
    "scrm_lab.exceptions",
    "scrm_lab.content",
    "scrm_lab.hypotheses",
    "scrm_lab.schedules",
    "scrm_lab.studies",
)


def test_every_public_module_is_listed():
    found = {
        info.name
        for info in pkgutil.walk_packages(scrm_lab.__path__, "scrm_lab.")
        if not any(part.startswith("_") for part in info.name.split("."))
    }
    assert found == set(PUBLIC_MODULES) | set(NOT_CHECKED)


def _public_functions(modules) -> Iterator[tuple[str, Callable]]:
    seen = set()
    for module_name in modules:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", []):
            function = getattr(module, name)
            if inspect.isfunction(function) and id(function) not in seen:
                seen.add(id(function))
                yield f"{module_name}.{name}", function


def _cases() -> Iterator:
    for qualified, function in _public_functions(PUBLIC_MODULES):
        for parameter, constraint in getattr(function, "__scrm_checks__", {}).items():
            for value in constraint.invalid():
                yield pytest.param(
                    function, parameter, value, id=f"{qualified}-{parameter}-{value!r}"
                )


def _arguments(function: Callable, parameter: str, value: object) -> dict:
    """Placeholders for the other required parameters, valid examples for declared ones."""
    declared = function.__scrm_checks__
    arguments = {}
    for name, p in inspect.signature(function).parameters.items():
        if p.default is inspect.Parameter.empty and p.kind is not p.VAR_POSITIONAL | p.VAR_KEYWORD:
            arguments[name] = declared[name].example() if name in declared else None
    arguments[parameter] = value
    return arguments


@pytest.mark.parametrize(("function", "parameter", "value"), list(_cases()))
def test_every_declared_parameter_is_refused_with_the_template(function, parameter, value):
    constraint = function.__scrm_checks__[parameter]
    pattern = (
        rf"^The '{parameter}' parameter of {function.__name__} must be "
        rf"{re.escape(constraint.expected)}\. Got .* instead\."
    )
    with pytest.raises(ParameterError, match=pattern):
        function(**_arguments(function, parameter, value))


@pytest.mark.parametrize(
    ("qualified", "function"),
    [pytest.param(q, f, id=q) for q, f in _public_functions(PUBLIC_MODULES)],
)
def test_converted_functions_declare_every_keyword_option(qualified, function):
    declared = getattr(function, "__scrm_checks__", {})
    keyword_only = [
        name
        for name, p in inspect.signature(function).parameters.items()
        if p.kind is p.KEYWORD_ONLY
    ]
    assert [name for name in keyword_only if name not in declared] == [], qualified


def test_the_message_names_the_innermost_public_function_and_restores_the_outer():
    @checks(n=Integer(low=1))
    def inner(*, n=1):
        return n

    @checks(alpha=ALPHA)
    def outer(*, alpha=0.05, n=1):
        inner(n=n)
        return alpha

    with pytest.raises(ParameterError, match=r"^The 'n' parameter of inner must be"):
        outer(n=0)
    with pytest.raises(ParameterError, match=r"^The 'alpha' parameter of outer must be"):
        outer(alpha=2)


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        (Integer(low=1), "an integer >= 1"),
        (Integer(low=4, high=64), "an integer from 4 to 64"),
        (Real(0, 0.5, low_open=True), "a number in (0, 0.5]"),
        (Real(low=0, low_open=True), "a finite number > 0"),
        (ALPHA, "a number strictly between 0 and 1"),
        (Choice(("h", "D")), "one of ['h', 'D']"),
        (OrNone(Integer(low=1)), "an integer >= 1 or None"),
    ],
)
def test_expected_wording(constraint, expected):
    assert constraint.expected == expected


def test_a_near_miss_gets_a_did_you_mean():
    @checks(method=Choice(("pearson", "spearman")))
    def correlate_like(*, method="pearson"):
        return method

    with pytest.raises(ParameterError, match=r"Got 'spearmen' instead\. Did you mean 'spearman'\?"):
        correlate_like(method="spearmen")


def test_a_constraint_on_a_missing_parameter_is_a_programming_error():
    with pytest.raises(TypeError, match=r"no parameters named \['nn'\]"):

        @checks(nn=Integer())
        def f(*, n=1):
            return n


def test_future_warnings_point_at_the_users_line():
    import pandas as pd

    from scrm_lab.datasets import load_dataset
    from scrm_lab.models import group_means

    with pytest.warns(FutureWarning, match="load_tables") as caught:
        load_dataset("cdnow")
    assert caught[0].filename == __file__
    frame = pd.DataFrame({"v": [1.0, 2.0, 3.0, 4.0], "g": ["a", "a", "b", "b"]})
    with pytest.warns(FutureWarning, match="'ci' parameter of group_means") as caught:
        group_means(frame, value="v", group="g", ci=0.9)
    assert caught[0].filename == __file__


def test_a_method_is_named_by_the_class_of_its_instance():
    from scrm_lab._checks import ALPHA, checks

    class Base:
        @checks(alpha=ALPHA)
        def summary(self, alpha: float = 0.05) -> float:
            return alpha

    class Model(Base):
        pass

    with pytest.raises(ParameterError, match=r"'alpha' parameter of Model\.summary must be"):
        Model().summary(alpha=2)
