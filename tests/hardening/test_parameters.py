"""Hostile report parameters: nothing runs from a value, no secret is shown, limits hold.

Issue 12, items 1 (code from a parameter value), 3 (secrets in messages), 5 (grids and YAML
past their limits) and 8 (figures under ``MPLBACKEND=Agg``). Values that reach a kernel are
checked in the kernel itself: the notebook records ``repr`` of what it received.
"""

from __future__ import annotations

import ast
import datetime
import json
import math
from pathlib import Path

import nbformat
import papermill
import pytest
from hypothesis import given
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_notebook

from scrm_lab import cli
from scrm_lab.exceptions import DataFileError, ParameterError, ScrmLabError
from scrm_lab.reports import check_parameters, read_grid, read_parameters_file, run_report
from scrm_lab.reports._params import _plain, python_literal
from tests.notebook_files import write_notebook

SECRET = "hunter2-SECRET-value"
PARAMETERS = """\
extra: "dict" = {}  # anything as a mapping
items: "any" = None  # anything at all
label: "str" = "x"  # text
token: "secret str" = ""  # a secret text
pin: "secret int" = 0  # a secret number
"""
RECORD = """\
from scrm_lab.reports import record
record("extra", repr(extra))
record("items", repr(items))
record("label", repr(label))
"""
FIGURE = """\
import matplotlib.pyplot as plt
plt.plot([1, 2, 3])
plt.show()
"""


@pytest.fixture(scope="module")
def notebook(tmp_path_factory) -> Path:
    return write_notebook(tmp_path_factory.mktemp("notebook") / "hostile.ipynb", PARAMETERS, RECORD)


@pytest.fixture
def no_kernel(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)


def one_line(err: BaseException) -> str:
    text = str(err)
    assert "\n" not in text and "\r" not in text, text
    return text


# -------------------------------------------------------------- item 1: code from a value

CODE_LIKE = [
    'a"); open("PWNED", "w"); ("',
    "a'); open('PWNED', 'w'); ('",
    '"""; open("PWNED", "w"); """',
    "\\'; open('PWNED','w') #",
    "line one\nopen('PWNED', 'w')",
    "{__import__('os').system('touch PWNED')}",
    "ünïcödé 🎉 \t tab",
]


def test_code_like_values_reach_the_kernel_as_the_same_text(notebook, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    extra = {text: text for text in CODE_LIKE}
    extra["nested"] = [CODE_LIKE, {"n": -(2**63), "x": 1.5e-300, "t": True, "z": None}]
    run = run_report(
        notebook,
        {"extra": extra, "items": CODE_LIKE, "label": CODE_LIKE[0]},
        output_dir=tmp_path / "out",
    )
    assert ast.literal_eval(run.results["extra"]) == extra
    assert ast.literal_eval(run.results["items"]) == CODE_LIKE
    assert ast.literal_eval(run.results["label"]) == CODE_LIKE[0]
    assert not list(tmp_path.rglob("PWNED"))


@pytest.mark.parametrize(
    "text",
    [
        "!!omap [{a: 1}, {b: 2}]",
        "!!set {a, b}",
        "!!python/object/apply:os.system ['touch PWNED']",
        "!!binary aGVsbG8=",
        "!!timestamp 2020-01-01",
        "{a: !custom 1}",
    ],
)
def test_yaml_tags_on_the_command_line_are_refused(notebook, tmp_path, no_kernel, capsys, text):
    status = cli.run(["report", "run", str(notebook), "-p", "extra", text, "--output-dir",
                      str(tmp_path / "out")])  # fmt: skip
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and "is not allowed: only plain data" in err
    assert not (tmp_path / "out").exists() and not list(tmp_path.rglob("PWNED"))


def test_dates_in_yaml_stay_text(notebook, tmp_path):
    file = tmp_path / "params.yaml"
    file.write_text("extra: {start: 2020-01-01, at: 2020-01-01T10:00:00Z}\nlabel: 2021-12-31\n")
    values = check_parameters(notebook, read_parameters_file(file))
    assert values["extra"] == {"start": "2020-01-01", "at": "2020-01-01T10:00:00Z"}
    assert values["label"] == "2021-12-31"


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (
            {"start": datetime.date(2020, 1, 2)},
            r"must be plain data .*Got datetime\.date\(2020, 1, 2\) \(date\) at \['start'\] "
            r"instead \(write a date as text",
        ),
        ({"s": {1, 2}}, r"Got \{1, 2\} \(set\) at \['s'\] instead"),
        ({"b": b"x"}, r"Got b'x' \(bytes\) at \['b'\] instead"),
        ({"n": [1, math.nan]}, r"must be a finite number\. Got nan \(float\) at \['n'\]\[1\]"),
        ({"n": 2**64}, r"between -2\*\*63 and 2\*\*63 - 1\. Got 18446744073709551616 \(int\)"),
        ({1: "a"}, r"must be a mapping with text keys\. Got 1 \(int\) at  \(a key\)"),
        ({"t": "bad \udcff byte"}, r"must be valid text \(character 4 is not\)"),
        ({"o": object()}, r"Got <object object at 0x[0-9a-f]+> \(object\) at \['o'\]"),
    ],
)
def test_values_that_are_not_plain_data_are_refused(notebook, no_kernel, value, match):
    with pytest.raises(ParameterError, match=match) as caught:
        check_parameters(notebook, {"extra": value})
    one_line(caught.value)


def test_nesting_and_size_limits(notebook, no_kernel):
    deep: list = []
    for _ in range(60):
        deep = [deep]
    with pytest.raises(ParameterError, match=r"nested at most 50 deep"):
        check_parameters(notebook, {"items": deep})
    with pytest.raises(ParameterError, match=r"of at most 100,000 values"):
        check_parameters(notebook, {"items": list(range(100_001))})
    assert check_parameters(notebook, {"items": (1, (2, 3))})["items"] == [1, [2, 3]]


def test_non_utf8_byte_on_the_command_line_is_refused(notebook, tmp_path, no_kernel, capsys):
    # Python decodes a non-UTF-8 argv byte as a lone surrogate (PEP 383)
    status = cli.run(["report", "run", str(notebook), "-p", "label", "caf\udce9",
                      "--output-dir", str(tmp_path / "out")])  # fmt: skip
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1
    assert "'label' of notebook 'hostile' must be valid text (character 3 is not)" in err


# ---------------------------------------------------------------- item 3: secrets hidden


def test_a_secret_of_the_wrong_type_is_refused_without_showing_it(
    notebook, tmp_path, no_kernel, capsys, monkeypatch
):
    file = tmp_path / "params.yaml"
    file.write_text(f"pin: {SECRET}\n")
    with pytest.raises(ParameterError, match=r"parameter 'pin' .*Got <secret> \(str\)") as caught:
        check_parameters(notebook, read_parameters_file(file))
    assert SECRET not in str(caught.value)
    with pytest.raises(ParameterError) as caught:
        read_grid({"grid": {"pin": [1, SECRET]}}, notebook)
    assert SECRET not in str(caught.value) and "<secret>" in str(caught.value)
    with pytest.raises(ParameterError) as caught:
        read_grid({"grid": {"pin": SECRET}}, notebook)
    assert SECRET not in str(caught.value)
    monkeypatch.setenv("SCRM_LAB_SECRET_PIN", SECRET)
    with pytest.raises(ParameterError) as caught:
        check_parameters(notebook)
    assert SECRET not in str(caught.value)
    monkeypatch.delenv("SCRM_LAB_SECRET_PIN")
    status = cli.run(["report", "run", str(notebook), "-p", "pin", SECRET, "-f", str(file),
                      "--output-dir", str(tmp_path / "out")])  # fmt: skip
    captured = capsys.readouterr()
    assert status == 2 and SECRET not in captured.err + captured.out
    assert not (tmp_path / "out").exists()


def test_a_secret_path_that_does_not_exist_is_not_shown(tmp_path, no_kernel):
    path = tmp_path / "secret.ipynb"
    nb = new_notebook(
        cells=[new_code_cell('key: "secret path" = ""', metadata={"tags": ["parameters"]})]
    )
    nbformat.write(nb, path)
    with pytest.raises(DataFileError) as caught:
        check_parameters(path, {"key": f"~/{SECRET}.pem"})
    assert SECRET not in str(caught.value) and "<secret>" in str(caught.value)


# ---------------------------------------------------------------- item 5: limits on input


def test_a_huge_grid_is_refused_before_it_is_expanded(notebook, no_kernel):
    grid = {"grid": {"label": [str(i) for i in range(10_000)], "pin": list(range(10_000))}}
    with pytest.raises(ParameterError, match=r"defines 100,000,000 runs; a batch runs at most"):
        read_grid(grid, notebook)
    unknown = {"grid": {f"nope{i}": list(range(100)) for i in range(4)}}
    with pytest.raises(ParameterError, match=r"the notebook has no parameter 'nope0'"):
        read_grid(unknown, notebook)


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (BOMB, r"line \d+, column \d+\): more than 100,000 values"),
        ("a: " + "[" * 200 + "]" * 200, r"nested more than 50 deep"),
        ("a: &a [*a]", r"an alias \(\*name\) refers to the list or mapping it is in"),
        ("a: !!python/name:os.system", r"the tag '!!python/name:os.system' is not allowed"),
        ("a: 1\na: 2", r"\(line 2, column 1\): found duplicate key 'a'"),
        ("a: [1, 2", r"\(line 1, column 9\): expected ',' or '\]'"),
    ],
)
def test_every_yaml_reader_refuses_hostile_yaml(notebook, tmp_path, text, match):
    from scrm_lab.engagement import load_rubric
    from scrm_lab.reports.schedules import load_schedules

    file = tmp_path / "hostile.yaml"
    file.write_text(text)
    for read in (read_parameters_file, lambda f: read_grid(f, notebook), load_schedules,
                 load_rubric):  # fmt: skip
        with pytest.raises(DataFileError, match=match) as caught:
            read(file)
        one_line(caught.value)


def test_oversized_and_special_yaml_files_are_refused_at_once(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("".join(f"k{i}: {i}\n" for i in range(200_000)) + "bad: [\n")
    with pytest.raises(DataFileError, match=r"is 2,\d{3},\d{3} bytes; at most 1,000,000 are read"):
        read_parameters_file(big)
    with pytest.raises(DataFileError, match=r"is a folder; expected a YAML file"):
        read_parameters_file(tmp_path)
    with pytest.raises(DataFileError, match=r"is not a regular file; expected a YAML file"):
        read_parameters_file("/dev/zero")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"label: caf\xe9\n")
    with pytest.raises(DataFileError, match=r"is not UTF-8 text \(byte 10: b'\\xe9'\)"):
        read_parameters_file(latin)
    newline = tmp_path / "two\nlines.yaml"
    with pytest.raises(DataFileError, match=r"'.*two\\nlines\.yaml' does not exist") as caught:
        read_parameters_file(newline)
    one_line(caught.value)


# ------------------------------------------------------- property tests (hypothesis)

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
PLAIN = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
ANYTHING = st.recursive(
    JSON_SCALARS
    | st.integers()
    | st.floats()
    | st.binary(max_size=5)
    | st.dates()
    | st.datetimes()
    | st.sets(st.integers(), max_size=3)
    | st.complex_numbers(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text() | st.integers(), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(PLAIN)
def test_plain_values_are_written_as_literals_that_read_back_equal(value):
    source = python_literal({"value": value})
    tree = ast.parse(source)
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Assign)
    assert ast.literal_eval(tree.body[0].value) == value
    assert json.loads(json.dumps(value)) == value  # plain data: what JSON holds


@given(ANYTHING)
def test_any_value_is_plain_data_or_refused_in_one_line(value):
    try:
        plain = _plain(value, "'p'", False)
    except ParameterError as err:
        one_line(err)
        return
    assert ast.literal_eval(repr(plain)) == plain


@given(text=st.text(max_size=200))
def test_any_command_line_text_is_a_value_or_a_one_line_refusal(notebook, text):
    from scrm_lab.reports import parse_parameter_text

    for name in ("extra", "items", "label", "pin"):
        try:
            values = check_parameters(notebook, parse_parameter_text(notebook, {name: text}))
        except ScrmLabError as err:
            assert SECRET not in one_line(err)
            continue
        literal = python_literal({name: values[name]})
        assert ast.literal_eval(ast.parse(literal).body[0].value) == values[name]


@given(text=st.text(max_size=300))
def test_any_yaml_text_is_plain_data_or_a_one_line_refusal(tmp_path_factory, text):
    file = tmp_path_factory.mktemp("yaml") / "params.yaml"
    file.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        values = read_parameters_file(file)
    except DataFileError as err:
        one_line(err)
        return
    assert json.loads(json.dumps(values)) == values


# ------------------------------------------------------- item 8: figures on a headless box


def test_figures_are_drawn_into_the_report_under_mplbackend_agg(tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    path = write_notebook(tmp_path / "figure.ipynb", PARAMETERS, FIGURE)
    run = run_report(path, output_dir=tmp_path / "out")
    executed = nbformat.read(run.notebook_path, as_version=4)
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert "<img" in run.html.read_text(encoding="utf-8")
