"""Spreadsheet formula injection (issue 12, class 4): every CSV scrm_lab writes is neutralised.

OWASP's CSV Injection rule: no text cell may begin with =, +, -, @, tab or carriage return; a
text cell that does gets a leading ' (scrm_lab also escapes line feed, NUL, the full-width
signs and ' itself, so that one leading ' removed gives the text back), and every text cell
is quoted. Numbers are never changed. The files are read back with the csv module and pandas,
never compared with scrm_lab's own output.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import tempfile
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_notebook

import scrm_lab.datasets
import scrm_lab.synth
from scrm_lab.cli import run
from scrm_lab.exceptions import DataFileError, ParameterError, SchemaError
from scrm_lab.io import csv_text, read_table, write_table, write_text
from scrm_lab.reports import run_batch

#: OWASP's formula triggers, then what scrm_lab adds (line feed, NUL, full-width, the quote).
OWASP = ("=", "+", "-", "@", "\t", "\r")
ESCAPED = (*OWASP, "\n", "\0", "＝", "＋", "－", "＠", "'")
HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+cmd",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
    "'=1+1",
    "＝1+1",
    "-3",
]


def expected_cell(text: str) -> str:
    return "'" + text if text.startswith(ESCAPED) else text


def read_rows(path_or_text: Path | str) -> list[list[str]]:
    if isinstance(path_or_text, Path):
        path_or_text = raw(path_or_text)
    return list(csv.reader(io.StringIO(path_or_text, newline="")))


def raw(path: Path) -> str:
    """The file's text with its line ends as written (read_text would turn \\r into \\n)."""
    with open(path, encoding="utf-8", newline="") as file:
        return file.read()


def assert_no_formula(rows: list[list[str]]) -> None:
    """No cell a spreadsheet would run: none starts with a trigger, even split on ; or tab."""
    for row in rows:
        for cell in row:
            assert not cell.startswith(OWASP) or _is_number(cell), cell


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def numbers_unquoted_text_quoted(text: str) -> list[list[object]]:
    """csv's QUOTE_NONNUMERIC reader: unquoted fields must be numbers, so text is quoted."""
    return list(csv.reader(io.StringIO(text, newline=""), quoting=csv.QUOTE_NONNUMERIC))


# ------------------------------------------------------------------------- write_table


def test_write_table_neutralises_text_and_keeps_numbers(tmp_path):
    frame = pd.DataFrame(
        {
            "brand": HOSTILE,
            "change": [-0.06, -1.5e-300, 0.18, -2.0, 3.25, -7.0, 0.0, -0.0, 1e308, -1 / 3],
            "count": [-3, -2, -1, 0, 1, 2, 3, -(2**62), 2**62, -42],
        }
    )
    path = write_table(frame, tmp_path / "t.csv")
    rows = read_rows(path)
    assert rows[0] == ["brand", "change", "count"]
    assert [r[0] for r in rows[1:]] == [expected_cell(t) for t in HOSTILE]
    assert [r[0] for r in rows[1:]][:6] == [
        '\'=HYPERLINK("http://x","y")',
        "'+cmd",
        "'-2+3",
        "'@SUM(A1)",
        "'\t=1",
        "'\r=1",
    ]
    assert [float(r[1]) for r in rows[1:]] == frame["change"].tolist()
    assert math.copysign(1, float(rows[8][1])) == -1  # -0.0 keeps its sign
    assert [int(r[2]) for r in rows[1:]] == frame["count"].tolist()
    assert_no_formula([r[:1] for r in rows])
    parsed = numbers_unquoted_text_quoted(raw(path))
    assert [r[1] for r in parsed[1:]] == frame["change"].tolist()
    back = pd.read_csv(path)
    assert back["change"].tolist() == frame["change"].tolist()
    assert back["count"].tolist() == frame["count"].tolist()
    assert back["brand"].str.removeprefix("'").tolist() == HOSTILE


def test_a_text_column_of_numbers_is_text_and_a_mixed_column_keeps_its_numbers(tmp_path):
    frame = pd.DataFrame(
        {
            "code": ["-3", "+1.5e3", "7"],  # text: neutralised like any text
            "mixed": pd.Series([-3, "=x", None], dtype=object),  # the number stays a number
            "when": pd.to_datetime(["2025-03-01 12:00", None, "1999-12-31 00:00"], utc=True),
        }
    )
    rows = read_rows(write_table(frame, tmp_path / "t.csv"))
    assert [r[0] for r in rows[1:]] == ["'-3", "'+1.5e3", "7"]
    assert [r[1] for r in rows[1:]] == ["-3", "'=x", ""]
    assert [r[2] for r in rows[1:]] == ["2025-03-01T12:00:00+0000", "", "1999-12-31T00:00:00+0000"]
    parsed = numbers_unquoted_text_quoted(raw(tmp_path / "t.csv"))
    assert parsed[1][1] == -3.0  # unquoted: a number for the spreadsheet too


def test_headers_are_neutralised_too():
    rows = read_rows(csv_text(pd.DataFrame({"=cmd()": ["a"], "@x": [1]})))
    assert rows[0] == ["'=cmd()", "'@x"]


def test_a_separator_inside_a_cell_cannot_start_a_new_cell():
    """OWASP: a spreadsheet reading ; or tab as the separator must not split a cell."""
    text = csv_text(pd.DataFrame({"brand": ["Nike;=1+1", "Acme\t@SUM(A1)", 'x",=1+1']}))
    for delimiter in (",", ";", "\t"):
        assert_no_formula(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))


def test_parquet_refuses_a_column_mixing_kinds_naming_it(tmp_path):
    frame = pd.DataFrame({"brand": ["a", "b", "c"], "note": pd.Series([1, "one", 2.5])})
    with pytest.raises(SchemaError) as caught:
        write_table(frame, tmp_path / "t.parquet")
    message = str(caught.value)
    assert message == (
        f"cannot write {str(tmp_path / 't.parquet')!r} as Parquet: column 'note' holds int "
        "(first in row 1) and str (first in row 2) and float (first in row 3); a Parquet "
        "column holds values of one type. Convert the column to one type (text, say) or "
        "write a .csv file."
    )
    assert (caught.value.column, caught.value.row) == ("note", 1)
    assert list(tmp_path.iterdir()) == []


def test_parquet_keeps_values_and_types(tmp_path):
    frame = pd.DataFrame({"brand": ["=x", "-3"], "change": [-1.5, 2.0], "n": [-3, 4]})
    back = pd.read_parquet(write_table(frame, tmp_path / "t.parquet"))
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)


@pytest.mark.parametrize(
    ("target", "error", "message"),
    [
        ("file.txt/out.csv", ParameterError, r"The output folder '.*file\.txt' is not a folder\."),
        ("missing/out.csv", ParameterError, r"The output folder '.*missing' does not exist\."),
        ("folder.csv", DataFileError, r"cannot write '.*folder\.csv': Is a directory"),
        ("out.tsv", ParameterError, r"must end in \.csv or \.parquet\. Got '.*out\.tsv'"),
    ],
)
def test_a_refused_write_leaves_nothing_behind(tmp_path, target, error, message):
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "folder.csv").mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(error, match=message):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / target)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert list((tmp_path / "folder.csv").iterdir()) == []


def test_a_failure_while_writing_keeps_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("old\n")

    def full_disk(self, path, **kwargs):
        Path(path).write_text("half a ta")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", full_disk)
    with pytest.raises(DataFileError, match=r"cannot write '.*out\.csv': No space left"):
        write_table(pd.DataFrame({"a": [1]}), target)
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    assert target.read_text() == "old\n"


def test_written_files_get_the_usual_permissions(tmp_path):
    """Not mkstemp's 0600: a DAG file must be readable by the Airflow user."""
    umask = os.umask(0o022)
    try:
        table = write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.csv")
        text = write_text("x\n", tmp_path / "dags.py")
    finally:
        os.umask(umask)
    assert oct(table.stat().st_mode & 0o777) == oct(text.stat().st_mode & 0o777) == "0o644"


# ---------------------------------------------------------------------- properties


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_any_text_is_written_without_a_trigger_and_reads_back(texts):
    with tempfile.TemporaryDirectory() as folder:
        path = write_table(pd.DataFrame({"text": texts}), Path(folder) / "t.csv")
        cells = [row[0] for row in read_rows(path)[1:]]
    assert len(cells) == len(texts)
    for cell, text in zip(cells, texts, strict=True):
        if text == "":
            assert cell == ""
            continue
        assert not cell.startswith(OWASP)
        assert (cell[1:] if cell.startswith("'") else cell) == text


@given(
    st.lists(
        st.tuples(
            st.floats(allow_nan=False, allow_infinity=False),
            st.integers(min_value=-(2**63), max_value=2**63 - 1),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_any_number_reads_back_exactly(pairs):
    floats, ints = [f for f, _ in pairs], [i for _, i in pairs]
    text = csv_text(pd.DataFrame({"f": floats, "i": ints}))
    rows = read_rows(text)[1:]
    assert [float(row[0]) for row in rows] == floats
    assert [math.copysign(1, float(row[0])) for row in rows] == [
        math.copysign(1, f) for f in floats
    ]
    assert [int(row[1]) for row in rows] == ints
    back = pd.read_csv(io.StringIO(text))
    assert back["f"].tolist() == floats and back["i"].tolist() == ints


# ----------------------------------------------------------------- every entry point


def write_hostile_financials(path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["brand", "period", "revenue", "net_margin", "note", "change"])
        for number, text in enumerate(HOSTILE):
            writer.writerow(
                [text, f"2024-{number + 1:02d}-01", 100.5 * number, -0.25 * number, text, -number]
            )


def test_table_convert_to_csv_neutralises_and_keeps_numbers(tmp_path):
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    write_hostile_financials(source)
    assert run(["table", "convert", str(source), str(out), "--kind", "financials"]) == 0
    table = read_table(source, kind="financials")  # values as read (text is stripped)
    assert table["brand"].tolist()[:4] == HOSTILE[:4]
    rows = read_rows(out)
    at = {name: rows[0].index(name) for name in rows[0]}
    assert [r[at["brand"]] for r in rows[1:]] == [expected_cell(t) for t in table["brand"]]
    assert [r[at["note"]] for r in rows[1:]] == [expected_cell(t) for t in table["note"]]
    assert [float(r[at["net_margin"]]) for r in rows[1:]] == [-0.25 * n for n in range(10)]
    assert [int(r[at["change"]]) for r in rows[1:]] == [-n for n in range(10)]
    assert_no_formula([[r[at["brand"]], r[at["note"]]] for r in rows])


def test_table_convert_to_parquet_refuses_a_mixed_column_in_one_line(tmp_path, capsys):
    source, out = tmp_path / "in.xlsx", tmp_path / "out.parquet"
    frame = pd.DataFrame({"brand": ["a", "b"], "period": ["2024-01-01", "2024-02-01"]})
    frame["revenue"] = [1.5, 2.0]
    frame.assign(note=pd.Series([3, "three"], dtype=object)).to_excel(source, index=False)
    assert run(["table", "convert", str(source), str(out), "--kind", "financials"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "column 'note' holds int (first in row 1) and str (first in row 2)" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.xlsx"]


def test_table_convert_into_a_file_instead_of_a_folder_is_one_line(tmp_path, capsys):
    source = tmp_path / "in.csv"
    write_hostile_financials(source)
    target = tmp_path / "in.csv" / "out.csv"
    assert run(["table", "convert", str(source), str(target), "--kind", "financials"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_synth_output_is_neutralised(tmp_path, monkeypatch):
    brands = pd.DataFrame({"brand": HOSTILE, "sector": HOSTILE[::-1]})
    financials = pd.DataFrame({"brand": HOSTILE, "revenue": [-1.5 * n for n in range(10)]})
    panel = SimpleNamespace(
        brands=brands,
        channel_activity=brands.assign(posts=range(-5, 5)),
        financials=financials,
        latent=financials,
        truth={"effect": -0.5},
    )
    monkeypatch.setattr(scrm_lab.synth, "simulate_brand_panel", lambda **kwargs: panel)
    assert run(["synth", "brand-panel", "--out", str(tmp_path / "sim")]) == 0
    rows = read_rows(tmp_path / "sim" / "financials.csv")
    assert [r[0] for r in rows[1:]] == [expected_cell(t) for t in HOSTILE]
    assert [float(r[1]) for r in rows[1:]] == [-1.5 * n for n in range(10)]
    activity = read_rows(tmp_path / "sim" / "channel_activity.csv")
    assert [r[1] for r in activity[1:]] == [expected_cell(t) for t in HOSTILE[::-1]]
    assert [int(r[2]) for r in activity[1:]] == list(range(-5, 5))
    assert json.loads((tmp_path / "sim" / "truth.json").read_text())["effect"] == -0.5


def test_cli_format_csv_is_neutralised(monkeypatch, capsys):
    table = pd.DataFrame({"name": HOSTILE, "rows": range(-5, 5), "share": [-0.5] * 10})
    monkeypatch.setattr(scrm_lab.datasets, "list_datasets", lambda: table)
    assert run(["datasets", "list", "--format", "csv"]) == 0
    rows = read_rows(capsys.readouterr().out)
    assert rows[0] == ["name", "rows", "share"]
    assert [r[0] for r in rows[1:]] == [expected_cell(t) for t in HOSTILE]
    assert [int(r[1]) for r in rows[1:]] == list(range(-5, 5))
    assert {r[2] for r in rows[1:]} == {"-0.5"}


# ------------------------------------------------------------------------- batches


@pytest.fixture(scope="module")
def labels_notebook(tmp_path_factory) -> Path:
    """Records its text parameters back as key results, and a negative number."""
    nb = new_notebook()
    parameters = 'a: str = ""  # text\nb: str = ""  # text\nc: str = ""  # text\n'
    parameters += "n: float = 0.0  # a number\n"
    nb.cells.append(new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    nb.cells.append(
        new_code_cell(
            "from scrm_lab.reports import record\n"
            'record("label", a)\nrecord("change", n)\nrecord("count", -7)'
        )
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = tmp_path_factory.mktemp("notebooks") / "labels.ipynb"
    nbformat.write(nb, path)
    return path


def test_batch_summary_is_neutralised_and_keeps_numbers(labels_notebook, tmp_path):
    runs = [
        {"a": HOSTILE[0], "b": HOSTILE[1], "c": HOSTILE[2], "n": -2.5},
        {"a": HOSTILE[3], "b": HOSTILE[4], "c": HOSTILE[5], "n": -1e-9},
    ]
    result = run_batch(labels_notebook, {"runs": runs}, workers=1, output_dir=tmp_path)
    assert result.n_failed == 0
    rows = read_rows(result.csv)
    at = {name: rows[0].index(name) for name in rows[0]}
    for row, given_values in zip(rows[1:], runs, strict=True):
        for name in "abc":
            assert row[at[f"param_{name}"]] == expected_cell(given_values[name])
        assert row[at["result_label"]] == expected_cell(given_values["a"])
        assert float(row[at["param_n"]]) == given_values["n"]
        assert float(row[at["result_change"]]) == given_values["n"]
        assert row[at["result_count"]] == "-7"
        assert row[at["run"]] in ("1", "2")
    assert_no_formula([[row[at[f"param_{n}"]] for n in "abc"] for row in rows[1:]])
    back = pd.read_csv(result.csv)
    assert back["param_n"].tolist() == [-2.5, -1e-9]
    assert back["result_count"].tolist() == [-7, -7]
    assert back["param_a"].str.removeprefix("'").tolist() == [HOSTILE[0], HOSTILE[3]]
    html = result.html.read_text(encoding="utf-8")
    assert re.search(r"=HYPERLINK\(&quot;http://x&quot;", html)  # the page shows the text
