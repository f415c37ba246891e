"""Typed notebook parameters: the spec syntax, declarations, checks, text values, files."""

from __future__ import annotations

import math
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from scrm_lab.datasets import list_datasets
from scrm_lab.exceptions import DataFileError, ParameterError
from scrm_lab.reports import (
    _catalog,
    check_parameters,
    list_notebooks,
    parse_parameter_text,
    read_parameters_file,
)
from scrm_lab.reports._params import Interval, parse_declarations, parse_spec
from scrm_lab.reports._run_record import RECORD_ENV, read_record, record

NB = "of notebook 'nb'"


def notebook(tmp_path: Path, parameters: str, name: str = "nb") -> Path:
    nb = new_notebook(cells=[new_code_cell(parameters, metadata={"tags": ["parameters"]})])
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


# ---------------------------------------------------------------------------------- specs


@pytest.mark.parametrize(
    ("text", "kind", "element", "allowed"),
    [
        ("int", "int", None, ""),
        ("str in {spearman, pearson}", "str", None, "{spearman, pearson}"),
        ("str in {'', panel}", "str", None, "{'', panel}"),
        ("int in [1, 1000]", "int", None, "[1, 1000]"),
        ("float in (0, 0.5]", "float", None, "(0, 0.5]"),
        ("int in [0, inf)", "int", None, "[0, inf)"),
        ("float in (-inf, 0)", "float", None, "(-inf, 0)"),
        ("list[int] in [8, inf)", "list", "int", "[8, inf)"),
        ("list[str]", "list", "str", ""),
        ("int in {1, 2, 3}", "int", None, "{1, 2, 3}"),
        ("path", "path", None, ""),
        ("secret str", "str", None, ""),
    ],
)
def test_specs_parse(text, kind, element, allowed):
    spec = parse_spec(text)
    assert (spec.kind, spec.element, spec.allowed) == (kind, element, allowed)
    assert spec.secret is text.startswith("secret")


def test_inf_ends_are_open_and_closed_ends_hold():
    assert parse_spec("int in [0, inf]").interval == Interval(0, math.inf, True, False)
    interval = parse_spec("float in (0, 1]").interval
    assert 1 in interval and 0 not in interval and 0.5 in interval and 1.01 not in interval


def test_in_datasets_lists_the_shipped_data_sets():
    assert parse_spec("str in datasets").choices == tuple(list_datasets()["name"])


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("intt", r"The type of the spec is 'intt'; expected one of int, .* Did you mean 'int'\?"),
        ("list[dict]", r"type of the spec is 'list\[dict\]'"),
        ("int in [5, 1]", r"The range \[5, 1\] of the spec is empty"),
        ("int in [a, 3]", r"'a' in the type of the spec is not a number"),
        ("bool in {true}", r"restriction '\{true\}' of the spec is not understood for bool"),
        ("str in [1, 2]", r"restriction '\[1, 2\]' .* not understood for str"),
        ("int in {1, x}", r"'x' in the type of the spec is not a number"),
        ("str in {}", r"allowed values of the spec are empty"),
        ("int in 1..5", r"restriction '1\.\.5'"),
    ],
)
def test_bad_specs_are_refused(text, match):
    with pytest.raises(ParameterError, match=match):
        parse_spec(text)


# --------------------------------------------------------------------------- declarations


def test_typed_declarations_are_read_without_running_anything():
    source = (
        'n: "int in [1, 10]" = 3  # how many\n'
        "flag: bool = False  # a switch\n"
        'names: list[str] = ["a"]  # plain generic types need no quotes\n'
        'token: "secret str" = ""  # a token\n'
        "legacy = 0.5  # untyped: typed by its default\n"
    )
    declared = parse_declarations(source, "notebook 'x'")
    assert [(p.name, p.spec.type_name, p.default, p.typed) for p in declared] == [
        ("n", "int", 3, True),
        ("flag", "bool", False, True),
        ("names", "list[str]", ["a"], True),
        ("token", "str", "", True),
        ("legacy", "float", 0.5, False),
    ]
    assert declared[3].spec.secret and declared[0].help == "how many"


@pytest.mark.parametrize(
    ("source", "match"),
    [
        ('n: "int in [1, 10]" = 30', r"default of parameter 'n' .* does not fit its type: .*30"),
        ("p: path = ''", r"type of parameter 'p' .* is path without quotes.*\"path\""),
        ("n: int = 1\nn: int = 2", r"parameter 'n' in notebook 'x' \(line 2\) is declared twice"),
        ("n: 3 = 1", r"type of parameter 'n' .* is '3'"),
        ('x: "float" = float("nan")', r"default of parameter 'x' .* is not a literal"),
    ],
)
def test_bad_declarations_are_refused(source, match):
    with pytest.raises(ParameterError, match=match):
        parse_declarations(source, "notebook 'x'")


def test_every_shipped_notebook_declares_typed_parameters_with_help():
    for name in list_notebooks()["name"]:
        _, _, _, declared = _catalog._declared(name)
        assert declared, name
        for p in declared:
            assert p.typed, f"{name}: parameter {p.name} has no type"
            assert p.help, f"{name}: parameter {p.name} has no help"


# ------------------------------------------------------------------------------- checking


def test_values_are_checked_against_ranges_choices_and_list_items(tmp_path):
    path = notebook(
        tmp_path,
        'n: "int in [1, 10]" = 3  # n\n'
        'rule: "str in {mean, regression}" = "mean"  # rule\n'
        'sizes: "list[int] in [8, inf)" = [8]  # sizes\n'
        'alpha: "float in (0, 0.5]" = 0.05  # alpha\n',
    )
    assert check_parameters(path, {"n": 10, "alpha": 0.5, "sizes": (9, 20)}) == {
        "n": 10,
        "rule": "mean",
        "sizes": [9, 20],
        "alpha": 0.5,
    }
    with pytest.raises(
        ParameterError, match=r"'alpha' " + NB + r" must be in \(0, 0\.5\] .* Got 1 \(int\)"
    ):
        check_parameters(path, {"alpha": 1})
    with pytest.raises(ParameterError, match=r"'n' " + NB + r" must be in \[1, 10\] .* Got 11"):
        check_parameters(path, {"n": 11})
    with pytest.raises(
        ParameterError,
        match=r"'rule' "
        + NB
        + r" must be one of \{mean, regression\} .* Got 'regresion' \(str\) instead\. "
        r"Did you mean 'regression'\?",
    ):
        check_parameters(path, {"rule": "regresion"})
    with pytest.raises(
        ParameterError, match=r"The item 1 of parameter 'sizes' " + NB + r" must be in \[8"
    ):
        check_parameters(path, {"sizes": [30, 5]})
    with pytest.raises(
        ParameterError, match=r"'sizes' " + NB + r" must be a list .* Got 30 \(int\)"
    ):
        check_parameters(path, {"sizes": 30})
    with pytest.raises(ParameterError, match=r"'alpha' " + NB + r" must be a finite number"):
        check_parameters(path, {"alpha": float("nan")})
    assert check_parameters(path, {"alpha": 0.5, "sizes": (9,)})["sizes"] == [9]


def test_path_parameters_must_exist_and_become_absolute(tmp_path, monkeypatch):
    path = notebook(tmp_path, 'data: "path" = ""  # a file of yours')
    (tmp_path / "mine.csv").write_text("a\n1\n")
    monkeypatch.chdir(tmp_path)
    assert check_parameters(path) == {"data": ""}
    assert check_parameters(path, {"data": "mine.csv"}) == {"data": str(tmp_path / "mine.csv")}
    with pytest.raises(DataFileError, match=r"'data' parameter of notebook 'nb' names the file "):
        check_parameters(path, {"data": "missing.csv"})
    with pytest.raises(DataFileError, match=r"\(it is a folder with no .parquet file\)"):
        check_parameters(path, {"data": str(tmp_path)})
    parts = tmp_path / "table" / "brand=a"  # a (hive-partitioned) Parquet data set
    parts.mkdir(parents=True)
    (parts / "part-0.parquet").write_bytes(b"")
    assert check_parameters(path, {"data": "table"}) == {"data": str(tmp_path / "table")}


def test_a_secret_not_given_is_read_from_the_environment(tmp_path, monkeypatch):
    path = notebook(tmp_path, 'api_token: "secret str" = ""  # a token')
    assert check_parameters(path) == {"api_token": ""}
    monkeypatch.setenv("SCRM_LAB_SECRET_API_TOKEN", "from-env")
    assert check_parameters(path) == {"api_token": "from-env"}
    assert check_parameters(path, {"api_token": "given"}) == {"api_token": "given"}


def test_command_line_text_follows_the_declared_type():
    values = parse_parameter_text(
        "engagement_vs_revenue",
        {"alpha": "0.1", "n_tickers": "5", "outcome": "2019", "engagement": "[likes, views]"},
    )
    assert values == {
        "alpha": 0.1,
        "n_tickers": 5,
        "outcome": "2019",  # a str parameter keeps the text: nothing is guessed
        "engagement": ["likes", "views"],
    }
    assert parse_parameter_text("dataset_overview", {"show_handles": "yes"}) == {
        "show_handles": True
    }
    with pytest.raises(
        ParameterError,
        match=r"'max_rows' parameter of notebook 'dataset_overview' must be int in "
        r"\[1, 1000\]\. Got 'ten' on the command line",
    ):
        parse_parameter_text("dataset_overview", {"max_rows": "ten"})
    with pytest.raises(ParameterError, match=r"'show_handles' .* must be bool\. Got 'maybe'"):
        parse_parameter_text("dataset_overview", {"show_handles": "maybe"})
    # an unknown name passes through, to be refused with a did-you-mean by the check
    assert parse_parameter_text("dataset_overview", {"max_row": "5"}) == {"max_row": "5"}


def test_parameters_files(tmp_path):
    good = tmp_path / "p.yaml"
    good.write_text("method: pearson\nalpha: 0.01\n")
    assert read_parameters_file(good) == {"method": "pearson", "alpha": 0.01}
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing\n")
    assert read_parameters_file(empty) == {}
    with pytest.raises(DataFileError, match=r"parameters file '.*nope\.yaml' does not exist"):
        read_parameters_file(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("method: pearson\nalpha: [0.01\n")
    with pytest.raises(
        DataFileError, match=r"'.*bad\.yaml' is not valid YAML \(line 3, column 1\)"
    ):
        read_parameters_file(bad)
    listed = tmp_path / "list.yaml"
    listed.write_text("- method\n- alpha\n")
    with pytest.raises(DataFileError, match=r"must hold one mapping .* found list"):
        read_parameters_file(listed)


# -------------------------------------------------------------------------- key results


def test_record_writes_to_the_run_record_only_inside_a_run(tmp_path, monkeypatch):
    import numpy as np

    assert record("outside", 1) == 1  # nothing stored, nothing raised
    target = tmp_path / "record.jsonl"
    monkeypatch.setenv(RECORD_ENV, str(target))
    assert record("rho", np.float64(0.25)) == 0.25
    record("n", 10)
    record("rho", 0.5)  # replaces
    record("nan", float("nan"))
    record("label", "Mavens")
    found = read_record(target)
    assert found["results"] == {"rho": 0.5, "n": 10, "nan": None, "label": "Mavens"}
    assert read_record(tmp_path / "absent.jsonl")["results"] == {}


@pytest.mark.parametrize(
    ("name", "value", "match"),
    [
        ("", 1, r"'name' parameter of record must be letters"),
        ("two words", 1, r"Got 'two words' instead"),
        ("rho", [1, 2], r"record\('rho', \.\.\.\) must be one bool, int, float, str or None"),
        ("rho", {"a": 1}, r"Got dict instead"),
    ],
)
def test_record_refuses_bad_names_and_values(name, value, match):
    with pytest.raises(ParameterError, match=match):
        record(name, value)


def test_a_parameter_given_twice_in_a_file_is_refused(tmp_path):
    twice = tmp_path / "twice.yaml"
    twice.write_text("alpha: 0.05\nalpha: 0.01\n")
    with pytest.raises(
        DataFileError, match=r"not valid YAML \(line 2, column 1\): found duplicate key"
    ):
        read_parameters_file(twice)
