"""Tests of scrm_lab.reports: catalog, parameter checks, real runs, loud failures, layout."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import papermill
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_notebook

from scrm_lab.datasets import dataset_checksums, load_dataset
from scrm_lab.exceptions import (
    DataFileError,
    ParameterError,
    ReportExecutionError,
    ScrmLabError,
)
from scrm_lab.reports import (
    ReportRun,
    latest_run,
    list_notebooks,
    notebook_parameters,
    run_report,
)
from scrm_lab.reports._exec import locate, redact
from tests.notebook_files import write_notebook

RUN_ID = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{8}(-\d+)?$")
OV = "of notebook 'dataset_overview'"
RUN_FILES = {"{name}.ipynb", "{name}.html", "status.json", "provenance.json"}
OVERVIEW_PARAMETERS = ["dataset", "table", "max_rows", "show_handles", "seed", "pseudonym_salt"]


def run_folders(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_dir()] if root.exists() else []


@pytest.fixture
def no_kernel(monkeypatch):
    """Make any attempt to execute a notebook fail the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)


def injected(nb) -> dict | None:
    """The values of the notebook's injected-parameters cell, read with ast (None: no cell)."""
    cells = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    if not cells:
        return None
    (cell,) = cells
    tree = ast.parse(cell.source)
    return {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body}


@pytest.fixture
def fake_execute(monkeypatch):
    """Replace papermill by a copy of the input notebook; record the call's arguments."""
    calls = []

    def execute(input_path, output_path, parameters=None, **kwargs):
        assert parameters is None  # scrm_lab writes the parameters cell itself
        nb = input_path if isinstance(input_path, dict) else nbformat.read(input_path, 4)
        calls.append(
            {"input": input_path, "output": output_path, "parameters": injected(nb), **kwargs}
        )
        nbformat.write(nb, output_path)

    monkeypatch.setattr(papermill, "execute_notebook", execute)
    return calls


# ------------------------------------------------------------------------------- catalog


def test_catalog_lists_dataset_overview_with_title_and_parameters():
    catalog = list_notebooks()
    assert list(catalog.columns) == ["name", "title", "parameters", "path"]
    row = catalog.set_index("name").loc["dataset_overview"]
    assert row["title"] == "Data set overview"
    assert row["parameters"] == ", ".join(OVERVIEW_PARAMETERS)
    assert Path(row["path"]).is_file()


def test_catalog_skips_checkpoints_and_lessons(tmp_path, monkeypatch):
    write_notebook(tmp_path / "alpha.ipynb", "n = 1  # a number")
    write_notebook(tmp_path / "beta.ipynb", None, "1 + 1", title="Beta without parameters")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    write_notebook(tmp_path / ".ipynb_checkpoints" / "alpha-checkpoint.ipynb", "n = 2")
    (tmp_path / "lessons").mkdir()
    write_notebook(tmp_path / "lessons" / "lesson.ipynb", "n = 3")
    monkeypatch.setattr("scrm_lab.reports._catalog.shipped_dir", lambda kind: tmp_path)
    catalog = list_notebooks()
    assert catalog["name"].tolist() == ["alpha", "beta"]
    assert catalog["parameters"].tolist() == ["n", ""]
    assert catalog["title"].tolist() == ["Tiny", "Beta without parameters"]


# ---------------------------------------------------------------------------- parameters


def test_notebook_parameters_of_dataset_overview():
    table = notebook_parameters("dataset_overview")
    assert list(table.columns) == ["name", "type", "default", "allowed", "secret", "help"]
    assert table["name"].tolist() == OVERVIEW_PARAMETERS
    first = table.iloc[0]
    assert first["default"] == "csm_movies_social_boxoffice"
    assert first["type"] == "str"
    assert "twitter_airline_sentiment" in first["allowed"]  # 'in datasets', expanded
    assert "data set" in first["help"]
    by_name = table.set_index("name")
    assert by_name.loc["max_rows", "default"] == 10
    assert by_name.loc["max_rows", "allowed"] == "[1, 1000]"
    assert by_name.loc["show_handles", "type"] == "bool"
    assert by_name["secret"].tolist() == [False] * 5 + [True]  # pseudonym_salt


def test_notebook_parameters_reads_literals_types_and_help_with_ast(tmp_path):
    source = (
        "rate = 1.5  # a rate\n"
        'name: str = "a # not a comment"  # the name\n'
        "items = [\n    1,\n    2,\n]  # two items\n"
        "anything = None\n"
        'options = {"a": True}  # a dict\n'
    )
    path = write_notebook(tmp_path / "typed.ipynb", source, "raise SystemExit")
    table = notebook_parameters(path)
    assert table.to_dict("list") == {
        "name": ["rate", "name", "items", "anything", "options"],
        "type": ["float", "str", "list", "any", "dict"],
        "default": [1.5, "a # not a comment", [1, 2], None, {"a": True}],
        "allowed": [""] * 5,
        "secret": [False] * 5,
        "help": ["a rate", "the name", "two items", "", "a dict"],
    }


@pytest.mark.parametrize(
    ("source", "match"),
    [
        (None, r"notebook 'bad' has no cell tagged 'parameters'"),
        ("x = compute()", r"parameter 'x' in notebook 'bad' \(line 1\) is not a literal"),
        ("x = 1\nimport os", r"Line 2 of the parameters cell of notebook 'bad' is not a parameter"),
        ("x = (1", r"parameters cell of notebook 'bad' is not valid Python"),
    ],
)
def test_bad_parameters_cells_are_refused(tmp_path, source, match):
    path = write_notebook(tmp_path / "bad.ipynb", source, "1")
    with pytest.raises(ParameterError, match=match):
        notebook_parameters(path)


def test_two_parameters_cells_are_refused(tmp_path):
    path = write_notebook(tmp_path / "bad.ipynb", "x = 1", "y = 2")
    nb = nbformat.read(path, as_version=4)
    nb.cells[2].metadata["tags"] = ["parameters"]
    nbformat.write(nb, path)
    with pytest.raises(ParameterError, match="has 2 cells tagged 'parameters'"):
        notebook_parameters(path)


def test_unknown_parameter_is_refused_before_execution(tmp_path, no_kernel):
    out = tmp_path / "out"
    with pytest.raises(
        ParameterError,
        match=r"no parameter 'max_row'; its parameters are dataset, table, max_rows, "
        r"show_handles, seed, pseudonym_salt\. Did you mean 'max_rows'\?",
    ):
        run_report("dataset_overview", {"max_row": 3}, output_dir=out)
    assert not out.exists()


@pytest.mark.parametrize(
    ("parameters", "match"),
    [
        (
            {"max_rows": "10"},
            r"The parameter 'max_rows' " + OV + r" must be an int \(int in \[1, 1000\]\)\. "
            r"Got '10' \(str\) instead\.",
        ),
        ({"max_rows": 2.5}, r"'max_rows' " + OV + r" must be an int .* Got 2\.5 \(float\)"),
        ({"max_rows": True}, r"'max_rows' " + OV + r" must be an int .* Got True \(bool\)"),
        ({"max_rows": 1001}, r"'max_rows' " + OV + r" must be in \[1, 1000\] .* Got 1001 \(int\)"),
        (
            {"show_handles": 1},
            r"'show_handles' " + OV + r" must be a bool \(bool\)\. Got 1 \(int\)",
        ),
        ({"dataset": 3}, r"'dataset' " + OV + r" must be a str .* Got 3 \(int\)"),
        (
            {"dataset": "twitter_airline"},
            r"'dataset' "
            + OV
            + r" must be one of \{.*\} .* Got 'twitter_airline' \(str\) instead\. "
            r"Did you mean 'twitter_airline_sentiment'\?",
        ),
    ],
)
def test_wrong_type_is_refused_before_execution(tmp_path, no_kernel, parameters, match):
    out = tmp_path / "out"
    with pytest.raises(ParameterError, match=match):
        run_report("dataset_overview", parameters, output_dir=out)
    assert not out.exists()


def test_int_for_float_and_anything_for_none_are_accepted(tmp_path, fake_execute):
    import numpy as np

    path = write_notebook(tmp_path / "nb.ipynb", "rate = 0.5\nextra = None\ncount = 1", "1")
    run = run_report(
        path, {"rate": 2, "extra": [1, "a"], "count": np.int64(3)}, output_dir=tmp_path / "out"
    )
    passed = fake_execute[0]["parameters"]
    assert passed == {"rate": 2.0, "extra": [1, "a"], "count": 3}
    assert type(passed["rate"]) is float and type(passed["count"]) is int
    assert run.parameters == passed


def test_parameters_must_be_a_mapping(tmp_path, no_kernel):
    with pytest.raises(
        ParameterError,
        match="'parameters' parameter of run_report must be a mapping of parameter names to values",
    ):
        run_report("dataset_overview", [("max_rows", 3)], output_dir=tmp_path)


def test_bad_timeout_and_kernel_are_refused(tmp_path, no_kernel):
    out = tmp_path / "out"
    with pytest.raises(
        ParameterError,
        match=r"'timeout' parameter of run_report must be a number in \(0, 604800\] or None",
    ):
        run_report("dataset_overview", output_dir=out, timeout=0)
    with pytest.raises(
        ParameterError,
        match="'kernel_name' parameter must be an installed Jupyter kernel .* Got 'no-such-kernel'",
    ):
        run_report("dataset_overview", output_dir=out, kernel_name="no-such-kernel")
    assert not out.exists()


def test_missing_notebook_path_and_unknown_name_give_clear_errors(tmp_path, no_kernel):
    with pytest.raises(DataFileError, match=r"nope\.ipynb' does not exist.*dataset_overview"):
        run_report(tmp_path / "nope.ipynb", output_dir=tmp_path / "out")
    with pytest.raises(
        ParameterError,
        match=r"must be a shipped notebook \(.*dataset_overview"
        r".*Got 'dataset_overveiw'.*Did you mean "
        r"'dataset_overview'\?",
    ):
        run_report("dataset_overveiw", output_dir=tmp_path / "out")
    with pytest.raises(ScrmLabError, match="is not an .ipynb file"):
        notebook_parameters(Path(__file__))
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------ the pipeline, without a kernel


def test_papermill_call_cwd_progress_and_kernel(tmp_path, fake_execute, monkeypatch):
    path = write_notebook(tmp_path / "nb.ipynb", "n = 1", "1")
    monkeypatch.chdir(tmp_path)
    run_report(path, output_dir="out", progress=True, timeout=30)
    call = fake_execute[0]
    assert Path(call["cwd"]).resolve() != tmp_path.resolve()  # a temporary folder
    assert not Path(call["cwd"]).exists()  # removed after the run
    assert call["progress_bar"] is True and call["execution_timeout"] == 30
    assert "kernel_name" not in call  # the notebook's own kernelspec
    assert call["parameters"] == {"n": 1}
    assert (tmp_path / "out" / "nb" / "latest.json").is_file()  # relative to the caller


def test_same_name_in_the_same_second_gets_a_suffix(tmp_path, fake_execute, monkeypatch):
    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)

    monkeypatch.setattr("scrm_lab.reports._run.datetime", Frozen)
    path = write_notebook(tmp_path / "nb.ipynb", "n = 1", "1")
    first = run_report(path, output_dir=tmp_path)
    second = run_report(path, output_dir=tmp_path)
    assert first.output_dir.name.startswith("20240506T070809Z-")
    assert second.output_dir.name == first.output_dir.name + "-2"
    assert latest_run("nb", output_dir=tmp_path) == second.output_dir
    other = run_report(path, {"n": 2}, output_dir=tmp_path)
    assert other.output_dir.name.split("-")[1] != first.output_dir.name.split("-")[1]


def test_a_crash_leaves_no_folder(tmp_path, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("the machine caught fire")

    monkeypatch.setattr(papermill, "execute_notebook", crash)
    path = write_notebook(tmp_path / "nb.ipynb", "n = 1", "1")
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="caught fire"):
        run_report(path, output_dir=out)
    assert list(out.iterdir()) == []  # no staging folder, no run folder


def test_latest_run_without_runs(tmp_path):
    with pytest.raises(DataFileError, match="no successful run of 'nb' in"):
        latest_run("nb", output_dir=tmp_path)


# ------------------------------------------------------------------------- real runs


@pytest.fixture(scope="module")
def overview_runs(tmp_path_factory):
    """dataset_overview on the default data set, then on the airline tweets."""
    out = tmp_path_factory.mktemp("reports")
    default = run_report("dataset_overview", output_dir=out)
    airline = run_report(
        "dataset_overview", {"dataset": "twitter_airline_sentiment"}, output_dir=out
    )
    return out, default, airline


def test_run_folder_layout_and_status(overview_runs):
    out, default, airline = overview_runs
    for run in (default, airline):
        assert isinstance(run, ReportRun) and run.status == "succeeded"
        assert run.output_dir.parent == out / "dataset_overview"
        assert RUN_ID.match(run.output_dir.name)
        names = {p.name for p in run.output_dir.iterdir()}
        assert names == {f.format(name="dataset_overview") for f in RUN_FILES}
        assert run.html == run.output_dir / "dataset_overview.html"
        assert run.notebook_path == run.output_dir / "dataset_overview.ipynb"
        status = json.loads((run.output_dir / "status.json").read_text())
        assert status["status"] == "succeeded" and status["error"] is None
        assert status["notebook"] == "dataset_overview"
        assert list(status["parameters"]) == OVERVIEW_PARAMETERS
        assert status["duration_s"] > 0 and status["started"] == run.started
    assert default.output_dir != airline.output_dir
    assert not list(out.glob(".staging-*")) and not list(out.glob("*/.staging-*"))
    executed = nbformat.read(default.notebook_path, as_version=4)
    assert not [
        o for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]


def test_provenance_records_checksums_versions_and_notebook_hash(overview_runs):
    _, default, _ = overview_runs
    provenance = json.loads((default.output_dir / "provenance.json").read_text())
    assert provenance["datasets"] == {
        "csm_movies_social_boxoffice": dataset_checksums("csm_movies_social_boxoffice")
    }
    assert provenance["parameters"]["dataset"] == "csm_movies_social_boxoffice"
    assert {"scrm_lab", "pandas", "papermill"} <= set(provenance["packages"])
    assert re.fullmatch(r"[0-9a-f]{64}", provenance["notebook"]["sha256"])
    assert provenance["python"].count(".") == 2 and provenance["platform"]


def test_latest_points_to_the_last_successful_run(overview_runs):
    out, _, airline = overview_runs
    pointer = json.loads((out / "dataset_overview" / "latest.json").read_text())
    assert pointer["run"] == airline.output_dir.name
    assert pointer["parameters"]["dataset"] == "twitter_airline_sentiment"
    assert latest_run("dataset_overview", output_dir=out) == airline.output_dir


def test_html_has_no_code_and_a_header_with_parameters_and_checksums(overview_runs):
    _, default, _ = overview_runs
    page = default.html.read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    # Markdown cells are rendered inside a jp-InputArea too; code cells must have none.
    code_cells = soup.select("div.jp-CodeCell")
    assert code_cells, "the code cells' outputs are kept"
    assert not [c for c in code_cells if c.select(".jp-InputArea, .jp-InputPrompt")]
    assert "hl-ipython3" not in page  # no highlighted source
    for source_text in ("load_dataset(", "import ", "summary.profile_columns", "plots.plot_"):
        assert source_text not in soup.get_text()
    header = soup.select_one("div.scrm-header")
    assert header is not None and soup.select_one("main").find("div") is header
    text = header.get_text(" ")
    for expected in (
        "dataset_overview",
        "succeeded",
        "max_rows",
        "show_handles",
        "csm_movies_social_boxoffice",
        "pandas",
        "papermill",
        "Python",
        "Seed",
    ):
        assert expected in text
    csv_sha = dataset_checksums("csm_movies_social_boxoffice")["csm_2014_2015.csv"]
    assert csv_sha in text
    assert len(soup.select("img")) >= 3  # distributions, heatmap, scatter
    assert "Size confounds it" in page and "not a causal claim" in page


def test_airline_report_shows_no_real_handle(overview_runs):
    _, _, airline = overview_runs
    tweets = load_dataset("twitter_airline_sentiment")
    first_authors = tweets["author"].head(10).tolist()
    assert "cairdin" in first_authors  # the handle really is in the rows shown
    assert tweets["text"].head(10).str.contains("@dhepburn").any()
    # handles unlikely to occur as ordinary words in the page
    distinctive = [h.lower() for h in first_authors if len(h) >= 8 or re.search(r"[\d_]", h)]
    for path in (airline.html, airline.notebook_path):
        content = path.read_text(encoding="utf-8").lower()
        for handle in {"cairdin", "jnardino", "dhepburn", *distinctive}:
            assert handle not in content, (path.name, handle)
    page = airline.html.read_text(encoding="utf-8")
    assert "user_" in page and "Volume over time" in page


# ----------------------------------------------------------------------------- failures


def test_a_failing_cell_is_loud_and_does_not_move_latest(tmp_path):
    path = write_notebook(
        tmp_path / "failing.ipynb",
        "fail = True  # raise in the third code cell",
        "x = 1",
        'if fail:\n    raise ValueError("boom")',
        "print('never reached')",
    )
    out = tmp_path / "out"
    good = run_report(path, {"fail": False}, output_dir=out)
    pointer = (out / "failing" / "latest.json").read_text()
    with pytest.raises(
        ReportExecutionError, match=r"notebook 'failing' failed at cell 3: ValueError: boom"
    ) as info:
        run_report(path, output_dir=out)
    err = info.value
    assert (err.notebook, err.cell_index, err.error_name, err.error_value) == (
        "failing",
        3,
        "ValueError",
        "boom",
    )
    failed = Path(err.output_dir)
    assert failed.parent == out / "failing" and failed != good.output_dir
    assert {p.name for p in failed.iterdir()} == {f.format(name="failing") for f in RUN_FILES}
    status = json.loads((failed / "status.json").read_text())
    assert status["status"] == "failed"
    assert status["error"] == {"cell_index": 3, "error_name": "ValueError", "error_value": "boom"}
    soup = BeautifulSoup((failed / "failing.html").read_text(encoding="utf-8"), "html.parser")
    banner = soup.select_one("div.scrm-banner")
    assert banner is not None and soup.select_one("main").find("div") is banner
    assert "This report failed" in banner.get_text() and "cell 3" in banner.get_text()
    assert "ValueError" in banner.get_text() and "boom" in banner.get_text()
    assert "never reached" not in soup.get_text()
    executed = nbformat.read(failed / "failing.ipynb", as_version=4)
    assert any(o.get("ename") == "ValueError" for c in executed.cells for o in c.get("outputs", []))
    assert (out / "failing" / "latest.json").read_text() == pointer  # not moved
    assert not list(out.glob(".staging-*"))


def test_a_timeout_and_a_dead_kernel_are_loud(tmp_path):
    path = write_notebook(
        tmp_path / "trouble.ipynb",
        'mode = "sleep"',
        "import os, time",
        'if mode == "sleep":\n    time.sleep(60)\nelse:\n    os._exit(1)',
    )
    out = tmp_path / "out"
    with pytest.raises(ReportExecutionError, match="failed at cell 3: CellTimeoutError") as info:
        run_report(path, output_dir=out, timeout=1)
    assert info.value.cell_index == 3
    with pytest.raises(ReportExecutionError, match="failed at cell 3: DeadKernelError"):
        run_report(path, {"mode": "die"}, output_dir=out)
    statuses = [json.loads(p.read_text())["status"] for p in out.rglob("status.json")]
    assert statuses == ["failed", "failed"]
    assert not (out / "trouble" / "latest.json").exists()


# ------------------------------------------------------- secrets, key results, data read


SECRET = "s3cr3t-Value-42"


def test_secrets_reach_the_kernel_but_never_any_output(tmp_path, monkeypatch):
    path = write_notebook(
        tmp_path / "secretive.ipynb",
        'token: "secret str" = ""  # an API token\nfail: bool = False  # fail on purpose',
        "from scrm_lab.reports import record\nrecord('token_length', len(token))",
        "print('the token is', token)",
        "from IPython.display import HTML, display\ndisplay(HTML(f'<b>{token}</b>'))",
        "if fail:\n    raise ValueError(f'bad token {token}')",
    )
    out = tmp_path / "out"
    run = run_report(path, {"token": SECRET}, output_dir=out)
    assert run.parameters == {"token": "<secret>", "fail": False}
    assert run.results == {"token_length": len(SECRET)}  # the kernel had the real value
    with pytest.raises(ReportExecutionError) as info:
        run_report(path, {"token": SECRET, "fail": True}, output_dir=out)
    assert SECRET not in str(info.value) and "bad token <secret>" in str(info.value)
    monkeypatch.setenv("SCRM_LAB_SECRET_TOKEN", SECRET)  # not given: read from the environment
    assert run_report(path, output_dir=out).results == {"token_length": len(SECRET)}
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) >= 3 * 4 + 1
    for file in files:
        assert SECRET not in file.read_text(encoding="utf-8"), file
    page = run.html.read_text(encoding="utf-8")
    assert "the token is &lt;secret&gt;" in page or "the token is <secret>" in page
    status = json.loads((run.output_dir / "status.json").read_text())
    assert status["parameters"]["token"] == "<secret>"
    provenance = json.loads((run.output_dir / "provenance.json").read_text())
    assert provenance["secret_parameters"] == ["token"]


def test_key_results_data_sets_and_files_read_are_recorded(tmp_path, monkeypatch):
    data = tmp_path / "mine.csv"
    data.write_text("brand,sector\nA,Tech\nB,Food\n")
    path = write_notebook(
        tmp_path / "recorder.ipynb",
        'data: "path" = ""  # a CSV of yours\nscale: float = 1.0  # a factor',
        "from scrm_lab.datasets import load_dataset\nfrom scrm_lab.io import read_table\n"
        "from scrm_lab.reports import record",
        "brands = load_dataset('interbrand_best_global_brands')\n"
        "mine = read_table(data, kind='brands')",
        "record('mine', len(mine) * scale)\nrecord('brands', len(brands))",
    )
    monkeypatch.chdir(tmp_path)  # a relative path works although the kernel runs elsewhere
    run = run_report(path, {"data": "mine.csv", "scale": 2}, output_dir="out")
    assert run.parameters["data"] == str(data)
    brands = len(load_dataset("interbrand_best_global_brands"))
    assert run.results == {"mine": 4.0, "brands": brands}
    status = json.loads((run.output_dir / "status.json").read_text())
    assert status["results"] == run.results
    provenance = json.loads((run.output_dir / "provenance.json").read_text())
    assert provenance["datasets"] == {
        "interbrand_best_global_brands": dataset_checksums("interbrand_best_global_brands")
    }
    assert provenance["files"] == {str(data): hashlib.sha256(data.read_bytes()).hexdigest()}
    header = BeautifulSoup(run.html.read_text(encoding="utf-8"), "html.parser").select_one(
        "div.scrm-header"
    )
    text = header.get_text(" ")
    assert "Data read" in text and str(data) in text and provenance["files"][str(data)] in text
    assert "interbrand_best_global_brands" in text
    latest = tmp_path / "out" / "recorder" / "latest.html"
    assert latest.read_bytes() == run.html.read_bytes()


def test_an_error_output_the_kernel_carried_on_past_still_fails_the_run():
    nb = new_notebook(
        cells=[
            new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
            new_code_cell("x = 2", metadata={"tags": ["injected-parameters"]}),
            new_code_cell("1 / 0", metadata={"tags": ["raises-exception"]}),
            new_code_cell("oops"),
        ]
    )
    error = {"output_type": "error", "ename": "NameError", "evalue": "oops", "traceback": []}
    nb.cells[2].outputs = [nbformat.from_dict(dict(error, ename="ZeroDivisionError"))]
    assert locate(nb, None) is None  # an expected error, in a tagged cell
    nb.cells[3].outputs = [nbformat.from_dict(error)]
    failure = locate(nb, None)
    assert (failure.cell_index, failure.error_name, failure.error_value) == (2, "NameError", "oops")


def test_redaction_leaves_base64_images_whole():
    nb = nbformat.from_dict(
        {
            "outputs": [
                {"data": {"image/png": "iVBORabc123", "text/plain": "<Figure abc123>"}},
                {"text": "token abc123 printed"},
            ]
        }
    )
    redacted = redact(nb, ["abc123"])
    assert redacted["outputs"][0]["data"] == {
        "image/png": "iVBORabc123",
        "text/plain": "<Figure <secret>>",
    }
    assert redacted["outputs"][1]["text"] == "token <secret> printed"


@pytest.mark.skipif(os.name == "nt", reason="no IPC transport on Windows")
def test_kernels_talk_over_ipc_sockets_so_concurrent_starts_cannot_collide(tmp_path):
    path = write_notebook(
        tmp_path / "transport.ipynb",
        "n: int = 1  # unused",
        "from ipykernel.kernelapp import IPKernelApp\nfrom scrm_lab.reports import record\n"
        "record('transport', IPKernelApp.instance().transport)",
    )
    assert run_report(path, output_dir=tmp_path / "out").results == {"transport": "ipc"}
