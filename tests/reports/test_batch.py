"""Tests of scrm_lab.reports._batch: grids, their refusals, and real batches of a tiny notebook."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from scrm_lab.exceptions import DataFileError, ParameterError
from scrm_lab.reports import BatchResult, read_grid, run_batch
from tests.notebook_files import write_notebook

PARAMETERS = (
    "x: int = 1  # a number\n"
    "fail: bool = False  # raise on purpose\n"
    'wait: "float in [0, 60]" = 0.0  # seconds to sleep\n'
    "crash: bool = False  # kill the worker process running this notebook\n"
    'token: "secret str" = ""  # a secret\n'
)
CELLS = (
    'from scrm_lab.reports import record\nrecord("double", x * 2)',
    "import time\ntime.sleep(wait)",
    "if crash:\n    import os, signal\n    os.kill(os.getppid(), signal.SIGKILL)",
    'if fail:\n    raise ValueError(f"boom {x}")',
)
DEFAULTS = {"x": 1, "fail": False, "wait": 0.0, "crash": False, "token": ""}
BATCH_ID = re.compile(r"^tiny-\d{8}T\d{6}Z-[0-9a-f]{8}(-\d+)?$")
COLUMNS = [
    "run",
    "status",
    "duration_s",
    "param_x",
    "param_fail",
    "param_wait",
    "param_crash",
    "param_token",
    "result_double",
    "error",
    "folder",
    "html",
]


@pytest.fixture(scope="module")
def notebook(tmp_path_factory) -> Path:
    """tiny.ipynb: records double = 2x, sleeps ``wait`` s, can kill its worker or raise."""
    return write_notebook(tmp_path_factory.mktemp("notebooks") / "tiny.ipynb", PARAMETERS, *CELLS)


def rows_of(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def html_rows(path: Path) -> list[list[str]]:
    table = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find("table")
    return [[cell.get_text() for cell in row.find_all(["th", "td"])] for row in table("tr")]


DRIVER = """
import json, signal, sys
from scrm_lab.reports import run_batch

if __name__ == "__main__":
    # Ctrl-C as at a terminal, even when the suite runs as a background job (nohup, '&'),
    # whose children inherit SIGINT ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    notebook, grid, workers, out, progress = sys.argv[1:]
    run_batch(notebook, json.loads(grid), workers=int(workers), output_dir=out,
              progress=progress == "progress")
"""


def start_batch(
    tmp_path: Path, notebook: Path, grid: dict, workers: int, out: Path, progress=False
):
    """run_batch in a new Python process (its own process group is not needed: SIGINT goes to
    the pid only)."""
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    argv = [str(notebook), json.dumps(grid), str(workers), str(out)]
    return subprocess.Popen(
        [sys.executable, str(driver), *argv, "progress" if progress else "quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# ---------------------------------------------------------------------------------- grids


def test_grid_combinations_come_in_order_then_the_runs(notebook):
    runs = read_grid(
        {
            "parameters": {"wait": 0.5},
            "grid": {"x": [1, 2], "fail": [False, True]},
            "runs": [{"x": 7}, {"x": 8, "crash": True}],
        },
        notebook,
    )
    given = [{k: r[k] for k in ("x", "fail", "crash")} for r in runs]
    assert given == [
        {"x": 1, "fail": False, "crash": False},
        {"x": 1, "fail": True, "crash": False},
        {"x": 2, "fail": False, "crash": False},
        {"x": 2, "fail": True, "crash": False},
        {"x": 7, "fail": False, "crash": False},
        {"x": 8, "fail": False, "crash": True},
    ]
    assert all(r["wait"] == 0.5 for r in runs)
    assert list(runs[0]) == list(DEFAULTS)  # every parameter, defaults filled in


def test_a_yaml_file_gives_the_same_runs_and_ints_become_floats(notebook, tmp_path):
    grid = tmp_path / "grid.yaml"
    grid.write_text(
        "parameters:\n  wait: 1\ngrid:\n  x: [3, 4]\nruns:\n  - {x: 5, fail: true}\n",
        encoding="utf-8",
    )
    runs = read_grid(grid, notebook)
    assert runs == [
        {**DEFAULTS, "x": 3, "wait": 1.0},
        {**DEFAULTS, "x": 4, "wait": 1.0},
        {**DEFAULTS, "x": 5, "fail": True, "wait": 1.0},
    ]
    assert type(runs[0]["wait"]) is float
    assert read_grid(str(grid), notebook) == runs


@pytest.mark.parametrize(
    ("grid", "match"),
    [
        ({"grdi": {"x": [1]}}, r"the grid has an unknown key 'grdi'; .* Did you mean 'grid'\?"),
        ({}, r"the grid defines no run; give 'grid' .*, 'runs' .* or both"),
        ({"parameters": {"x": 2}}, r"the grid defines no run"),
        ({"parameters": [1]}, r"'parameters' in the grid must be a mapping .* Got list instead"),
        ({"grid": [1, 2]}, r"'grid' in the grid must map parameter names to lists of values"),
        ({"grid": {}}, r"'grid' in the grid must map parameter names to lists of values"),
        ({"grid": {"x": 3}}, r"the values of 'x' must be a non-empty list .*Got 3 instead"),
        ({"grid": {"x": []}}, r"the values of 'x' must be a non-empty list .*Got \[\] instead"),
        ({"runs": {"x": 1}}, r"'runs' in the grid must be a non-empty list .*Got \{'x': 1\}"),
        ({"runs": []}, r"'runs' in the grid must be a non-empty list"),
        ({"runs": [{"x": 1}, 3]}, r"item 2 of 'runs' in the grid must be a mapping .*Got 3"),
        (
            {"parameters": {"x": 1}, "grid": {"x": [2, 3]}},
            r"parameter 'x' is both in 'parameters' and in 'grid'",
        ),
        (
            {"parameters": {"x": 1}, "runs": [{"x": 2}]},
            r"item 1 of 'runs' in the grid sets 'x', which 'parameters' fixes for every run",
        ),
    ],
)
def test_malformed_grids_are_refused(notebook, grid, match):
    with pytest.raises(ParameterError, match=match):
        read_grid(grid, notebook)


@pytest.mark.parametrize(
    ("grid", "match"),
    [
        (
            {"grid": {"x": [1, "two"]}},
            r"^run 2 of the grid \(grid combination x='two'\): The parameter 'x' .*must be an "
            r"int .*Got 'two' \(str\) instead\.$",
        ),
        (
            {"grid": {"x": [1]}, "runs": [{"wait": 99}]},
            r"^run 2 of the grid \(item 1 of 'runs'\): The parameter 'wait' .*must be in "
            r"\[0, 60\].* Got 99 ",
        ),
        (
            {"runs": [{"x": 1}, {"y": 2}]},
            r"^item 2 of 'runs' in the grid: the notebook has no parameter 'y'; its parameters "
            r"are x, fail, wait, crash, token\.$",
        ),
    ],
)
def test_each_run_is_checked_and_named(notebook, grid, match):
    with pytest.raises(ParameterError, match=match):
        read_grid(grid, notebook)


def test_duplicate_parameter_sets_are_refused_with_secrets_hidden(notebook):
    with pytest.raises(
        ParameterError,
        match=r"runs 2 and 3 of the grid have the same parameters \(x=2, .*\); every run",
    ):
        read_grid({"grid": {"x": [1, 2]}, "runs": [{"x": 2}]}, notebook)
    with pytest.raises(ParameterError, match=r"runs 1 and 2 .*token='<secret>'") as info:
        read_grid({"runs": [{"token": "hunter2"}, {"token": "hunter2", "x": 1}]}, notebook)
    assert "hunter2" not in str(info.value)


def test_yaml_errors_name_the_file_and_line(notebook, tmp_path):
    grid = tmp_path / "grid.yaml"
    grid.write_text("grid:\n  x: [1, 2\n  fail: [true]\n", encoding="utf-8")
    with pytest.raises(
        DataFileError,
        match=r"grid file '.*grid\.yaml' is not valid YAML \(line 3, column 7\): .*flow sequence "
        r"that starts at line 2",
    ):
        read_grid(grid, notebook)
    grid.write_text("grid:\n  x: [1, 2]\n  x: [3]\n", encoding="utf-8")
    with pytest.raises(
        DataFileError,
        match=r"grid\.yaml' is not valid YAML \(line 3, column 3\): found duplicate key 'x'",
    ):
        read_grid(grid, notebook)
    grid.write_text("grid:\n  x: [1]\ngird:\n  fail: [true]\n", encoding="utf-8")
    with pytest.raises(
        ParameterError, match=r"grid file '.*grid\.yaml' has an unknown key 'gird'.*'grid'\?"
    ):
        read_grid(grid, notebook)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (None, r"grid file '.*grid\.yaml' does not exist"),
        ("", r"grid file '.*grid\.yaml' must hold one mapping .* Got nothing"),
        ("- x: 1\n", r"grid file '.*grid\.yaml' must hold one mapping .* Got list"),
    ],
)
def test_missing_empty_and_non_mapping_grid_files_are_refused(notebook, tmp_path, content, match):
    grid = tmp_path / "grid.yaml"
    if content is not None:
        grid.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError, match=match):
        read_grid(grid, notebook)


def test_bad_arguments_are_refused_before_anything_runs(notebook, tmp_path):
    out = tmp_path / "out"
    grid = {"grid": {"x": [1, 2]}}
    for workers in (0, -1, True, 1.5, "2"):
        with pytest.raises(
            ParameterError, match=r"'workers' parameter of run_batch must be an integer >= 1"
        ):
            run_batch(notebook, grid, workers=workers, output_dir=out)
    with pytest.raises(
        ParameterError,
        match=r"'timeout' parameter of run_batch must be a number in \(0, 604800\] or None",
    ):
        run_batch(notebook, grid, timeout=0, output_dir=out)
    with pytest.raises(
        ParameterError, match=r"'grid' parameter of run_batch must be a path to a YAML file"
    ):
        run_batch(notebook, 42, output_dir=out)
    with pytest.raises(ParameterError, match=r"^run 2 of the grid"):
        run_batch(notebook, {"grid": {"x": [1, "two"]}}, output_dir=out)
    with pytest.raises(DataFileError, match=r"nope\.ipynb' does not exist"):
        run_batch(tmp_path / "nope.ipynb", grid, output_dir=out)
    assert not out.exists()


# --------------------------------------------------------------------------- real batches


@pytest.fixture(scope="module")
def batch(notebook, tmp_path_factory) -> tuple[Path, BatchResult]:
    """Five runs, two workers: the second and fourth fail, the fifth has a secret."""
    out = tmp_path_factory.mktemp("reports")
    grid = {
        "grid": {"x": [1, 2], "fail": [False, True]},
        "runs": [{"x": 5, "token": "hunter2"}],
    }
    return out, run_batch(notebook, grid, workers=2, output_dir=out)


def test_the_summary_has_one_row_per_run_in_grid_order(batch):
    out, result = batch
    summary = result.summary
    assert list(summary.columns) == COLUMNS
    assert summary["run"].tolist() == [1, 2, 3, 4, 5]
    assert summary["param_x"].tolist() == [1, 1, 2, 2, 5]
    assert summary["param_fail"].tolist() == [False, True, False, True, False]
    assert summary["param_token"].tolist() == ["", "", "", "", "<secret>"]
    assert (summary["duration_s"] > 0).all()
    assert (result.n_runs, result.n_failed) == (5, 2)
    assert result.folder.parent == out / "_batches" and BATCH_ID.match(result.folder.name)
    assert (result.csv, result.html) == (
        result.folder / "summary.csv",
        result.folder / "summary.html",
    )


def test_failed_runs_are_recorded_and_the_batch_goes_on(batch):
    _, result = batch
    summary = result.summary
    assert summary["status"].tolist() == ["succeeded", "failed", "succeeded", "failed", "succeeded"]
    assert summary["error"].tolist() == ["", "ValueError: boom 1", "", "ValueError: boom 2", ""]


def test_key_results_become_columns(batch):
    _, result = batch
    assert result.summary["result_double"].tolist() == [2, 2, 4, 4, 10]


def test_csv_and_html_have_the_same_rows(batch):
    _, result = batch
    csv_rows = rows_of(result.csv)
    assert csv_rows[0] == COLUMNS
    assert [row[1] for row in csv_rows[1:]] == result.summary["status"].tolist()
    # the HTML moves the parameters that are the same in every run above the table
    varying = [i for i, c in enumerate(csv_rows[0]) if c not in ("param_wait", "param_crash")]
    assert html_rows(result.html) == [[row[i] for i in varying] for row in csv_rows]
    soup = BeautifulSoup(result.html.read_text(encoding="utf-8"), "html.parser")
    assert "The same in every run: wait=0.0, crash=False" in soup.get_text()
    assert [s["class"] for s in soup.select("td span")] == [["ok"], ["failed"]] * 2 + [["ok"]]
    assert not soup.find_all("script") and "http" not in str(soup)


def test_every_link_and_folder_exists(batch):
    out, result = batch
    folders = result.summary["folder"].tolist()
    assert len(set(folders)) == 5
    for folder, report in zip(folders, result.summary["html"], strict=True):
        assert (out / folder / "status.json").is_file()
        assert report == f"{folder}/tiny.html" and (out / report).is_file()
    soup = BeautifulSoup(result.html.read_text(encoding="utf-8"), "html.parser")
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert len(hrefs) == 2 + 2 * 5  # CSV, index; each run's folder and report
    for href in hrefs:
        assert (result.folder / unquote(href)).resolve().exists(), href
    assert not list((out / "_batches").glob(".*"))  # no staging folder left


def test_batch_json_records_the_batch_and_hides_secrets(batch):
    out, result = batch
    info = json.loads((result.folder / "batch.json").read_text(encoding="utf-8"))
    assert info["notebook"] == "tiny"
    assert info["grid"]["runs"] == [{"x": 5, "token": "<secret>"}]
    assert info["grid"]["grid"] == {"x": [1, 2], "fail": [False, True]}
    assert info["workers"] == 2 and info["interrupted"] is False
    assert info["counts"] == {"runs": 5, "succeeded": 3, "failed": 2, "cancelled": 0}
    assert info["started"] <= info["finished"]
    for path in [*result.folder.iterdir(), out / "index.html", *out.glob("tiny/*/*.*")]:
        assert "hunter2" not in path.read_text(encoding="utf-8"), path


def test_the_index_lists_every_run_and_the_batch(batch):
    out, result = batch
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = {unquote(a["href"]) for a in soup.find_all("a")}
    for folder in result.summary["folder"]:
        assert f"{folder}/tiny.html" in hrefs
    assert f"_batches/{result.folder.name}/summary.html" in hrefs
    assert len(soup.find_all("table")[-1].select("tbody tr")) == 5


@pytest.mark.slow
def test_a_crashed_worker_fails_only_its_own_run(notebook, tmp_path):
    result = run_batch(
        notebook, {"runs": [{"crash": True}, {"x": 3}]}, workers=2, output_dir=tmp_path
    )
    summary = result.summary
    assert summary["status"].tolist() == ["failed", "succeeded"]
    assert summary["error"][0].startswith("BrokenProcessPool: the worker process died")
    assert summary["folder"][0] == "" and summary["html"][0] == ""
    assert summary["param_crash"].tolist() == [True, False]
    assert summary["result_double"][1] == 6
    assert result.n_failed == 1
    rows = rows_of(result.csv)
    at = rows[0].index("result_double")
    assert [row[at] for row in rows[1:]] == ["", "6"]  # the file keeps the int, gap or not
    same = {"param_fail", "param_wait", "param_token"}  # shown above the HTML table
    kept = [i for i, c in enumerate(rows[0]) if c not in same]
    assert html_rows(result.html) == [[row[i] for i in kept] for row in rows]


def wait_for(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.mark.slow
def test_ctrl_c_cancels_pending_runs_and_still_writes_the_summary(notebook, tmp_path):
    out = tmp_path / "out"
    grid = {"runs": [{"x": 1}, {"x": 2, "wait": 3}, {"x": 3}]}
    process = start_batch(tmp_path, notebook, grid, 1, out)
    wait_for(lambda: any(out.glob("tiny/*/status.json")), 120)  # the first run is done
    time.sleep(0.5)  # the second run is under way
    os.kill(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    summaries = [p.read_text() for p in out.glob("_batches/*/summary.csv")]
    assert process.returncode != 0 and "KeyboardInterrupt" in stderr, (
        process.returncode,
        stderr[-1500:],
        summaries,
    )
    (folder,) = (out / "_batches").iterdir()
    rows = rows_of(folder / "summary.csv")
    assert [row[1] for row in rows[1:]] == ["succeeded", "succeeded", "cancelled"]
    assert rows[3][-2:] == ["", ""]  # no run folder, no report
    info = json.loads((folder / "batch.json").read_text(encoding="utf-8"))
    assert info["interrupted"] is True and info["counts"]["cancelled"] == 1
    assert len(list(out.glob("tiny/*/status.json"))) == 2
    assert "summary.html" in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_two_batches_started_together_both_land(notebook, tmp_path):
    out = tmp_path / "out"
    grid = {"grid": {"x": [1, 2]}}
    first = start_batch(tmp_path, notebook, grid, 1, out, progress=True)
    second = start_batch(tmp_path, notebook, grid, 1, out)
    errors = [p.communicate(timeout=300)[1] for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], errors
    assert "batch tiny: 100%" in errors[0] and "2/2" in errors[0]  # the progress bar
    assert "batch tiny" not in errors[1]
    batches = sorted((out / "_batches").iterdir())
    assert len(batches) == 2 and all(BATCH_ID.match(b.name) for b in batches)
    runs = sorted(out.glob("tiny/*/status.json"))
    assert len(runs) == 4
    listed = {row[-2] for b in batches for row in rows_of(b / "summary.csv")[1:]}
    assert listed == {p.parent.relative_to(out).as_posix() for p in runs}
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = {unquote(a["href"]) for a in soup.find_all("a")}
    assert {f"{folder}/tiny.html" for folder in listed} <= hrefs
    assert {f"_batches/{b.name}/summary.html" for b in batches} <= hrefs
