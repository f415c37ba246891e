"""Tests of scrm_lab.schedules: the YAML format, refusals, runs, cron and Airflow exports."""

from __future__ import annotations

import ast
import json
import shlex
import subprocess
import sys
import types
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from scrm_lab import reports
from scrm_lab.exceptions import DataFileError, ParameterError
from scrm_lab.schedules import Job, export_schedules, list_jobs, load_schedules, run_job

ROOT = Path(__file__).resolve().parents[2]
TINY_PARAMETERS = (
    "x: int = 1  # a number\n"
    'token: "secret str" = ""  # an API token\n'
    'data: "path" = ""  # an input file\n'
)


def make_project(folder: Path) -> Path:
    """A project folder with notebooks/tiny.ipynb: typed, secret and path parameters."""
    (folder / "notebooks").mkdir(parents=True)
    nb = new_notebook(cells=[new_markdown_cell("# Tiny\n\nDoubles x.")])
    nb.cells.append(new_code_cell(TINY_PARAMETERS, metadata={"tags": ["parameters"]}))
    nb.cells.append(new_code_cell("print('x doubled is', x * 2)"))
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, folder / "notebooks" / "tiny.ipynb")
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


def write(folder: Path, text: str) -> Path:
    path = folder / "schedules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


TINY_JOB = """\
jobs:
  - name: tiny-daily
    notebook: notebooks/tiny.ipynb
    parameters: {x: 2}
    cron: "30 5 * * *"
    output_dir: out
    notify: [a@example.com, b@example.org]
    timeout: 120
  - name: overview
    notebook: dataset_overview
    cron: "@weekly"
"""


# ------------------------------------------------------------------------------- loading


def test_the_example_schedules_file_stays_valid():
    jobs = load_schedules(ROOT / "schedules.yaml")
    assert [(j.name, j.notebook, j.cron) for j in jobs] == [
        ("weekly-engagement", "engagement_vs_revenue", "0 6 * * 1"),
        ("monthly-engagementdb-2009", "reproduce_engagementdb_2009", "0 7 1 * *"),
    ]
    assert all(j.output_dir == ROOT / "reports" and j.notify for j in jobs)


def test_load_reads_every_setting_with_paths_from_the_files_folder(project):
    tiny, overview = load_schedules(write(project, TINY_JOB))
    assert tiny == Job(
        name="tiny-daily",
        notebook=str(project / "notebooks" / "tiny.ipynb"),
        cron="30 5 * * *",
        parameters={"x": 2},
        output_dir=project / "out",
        notify=("a@example.com", "b@example.org"),
        timeout=120,
    )
    assert overview.notebook == "dataset_overview"
    assert overview.parameters == {}
    assert overview.output_dir == project / "reports"
    assert (overview.notify, overview.timeout) == ((), 600)
    assert tiny.dag_id == "scrm_lab_tiny_daily"


def test_path_parameters_are_read_from_the_files_folder(project):
    (project / "input.csv").write_text("a\n1\n")
    text = "jobs: [{name: j, notebook: notebooks/tiny.ipynb, cron: '@daily',\n"
    text += "        parameters: {data: input.csv}, notify: one@example.com}]\n"
    (job,) = load_schedules(write(project, text))
    assert job.parameters == {"data": str(project / "input.csv")}
    assert job.notify == ("one@example.com",)


def test_cron_fields_are_normalized_and_presets_accepted(project):
    text = "jobs:\n"
    text += "  - {name: a, notebook: dataset_overview, cron: ' 0  6 * * mon-fri '}\n"
    text += "  - {name: b, notebook: dataset_overview, cron: '@hourly'}\n"
    assert [j.cron for j in load_schedules(write(project, text))] == ["0 6 * * mon-fri", "@hourly"]


JOB = "jobs:\n  - name: weekly\n    notebook: notebooks/tiny.ipynb\n    cron: '0 6 * * 1'\n"
REFUSALS = {
    "yaml syntax": ("jobs:\n  - name: [unclosed\n", DataFileError, r"not valid YAML \(line 3"),
    "unquoted preset": (
        "jobs:\n  - {name: a, cron: @daily}\n",
        DataFileError,
        r"line 2, column \d+\).*cron: \"@daily\"",
    ),
    "repeated key": (
        'jobs:\n  - name: a\n    cron: "0 6 * * 1"\n    cron: "0 7 * * 1"\n',
        DataFileError,
        r"not valid YAML \(line 4.*found duplicate key 'cron'",
    ),
    "empty file": ("", ParameterError, r"schedules.yaml: expected a mapping .* an empty file"),
    "top-level list": ("- name: a\n", ParameterError, "expected a mapping with a 'jobs' list"),
    "top-level typo": (
        "jobs: []\njob: []\n",
        ParameterError,
        "unknown top-level key 'job'.*Did you mean 'jobs'",
    ),
    "jobs not a list": ("jobs: {name: a}\n", ParameterError, "'jobs' must be a list"),
    "job not a mapping": ("jobs: [weekly]\n", ParameterError, "job number 1: must be a mapping"),
    "unknown key": (
        JOB + "    notebok: x\n",
        ParameterError,
        "job 'weekly', key 'notebok': unknown key.*Did you mean 'notebook'",
    ),
    "missing key": (
        "jobs:\n  - {name: weekly, notebook: dataset_overview}\n",
        ParameterError,
        "job 'weekly', key 'cron': is required and missing",
    ),
    "missing name": (
        "jobs:\n  - {notebook: dataset_overview, cron: '@daily'}\n",
        ParameterError,
        "job number 1, key 'name': is required",
    ),
    "bad name": (
        "jobs:\n  - {name: Weekly Report, notebook: dataset_overview, cron: '@daily'}\n",
        ParameterError,
        "job 'Weekly Report', key 'name': must be lower-case letters",
    ),
    "duplicate name": (
        JOB + JOB.removeprefix("jobs:\n"),
        ParameterError,
        "job 'weekly', key 'name': the name is used twice",
    ),
    "same DAG id": (
        "jobs:\n  - {name: a-b, notebook: dataset_overview, cron: '@daily'}\n"
        "  - {name: a_b, notebook: dataset_overview, cron: '@daily'}\n",
        ParameterError,
        "job 'a_b', key 'name': the name is used and 'a-b'.*'scrm_lab_a_b'",
    ),
    "cron not text": (
        "jobs:\n  - {name: a, notebook: dataset_overview, cron: 5}\n",
        ParameterError,
        "job 'a', key 'cron': must be a cron expression in quotes",
    ),
    "cron fields": (
        JOB.replace("0 6 * * 1", "0 6 * *"),
        ParameterError,
        r"job 'weekly', key 'cron': '0 6 \* \*' has 4 fields; a cron expression has 5",
    ),
    "cron out of range": (
        JOB.replace("0 6 * * 1", "61 6 * * 1"),
        ParameterError,
        r"key 'cron': '61 6 \* \* 1' is not a valid cron expression \(croniter: .*out of range",
    ),
    "cron never": (
        JOB.replace("0 6 * * 1", "0 6 30 2 *"),
        ParameterError,
        r"'0 6 30 2 \*' never matches a date",
    ),
    "cron extension": (
        JOB.replace("0 6 * * 1", "0 6 L * *"),
        ParameterError,
        "the day of month field of '0 6 L \\* \\*' is 'L', which crontab does not understand",
    ),
    "cron preset": (
        JOB.replace("0 6 * * 1", "@reboot"),
        ParameterError,
        "'@reboot' is not a preset cron and Airflow both understand",
    ),
    "bad address": (
        JOB + "    notify: [analyst]\n",
        ParameterError,
        "job 'weekly', key 'notify': 'analyst' is not an e-mail address",
    ),
    "notify not a list": (
        JOB + "    notify: {a: b}\n",
        ParameterError,
        "key 'notify': must be a list of e-mail addresses",
    ),
    "zero timeout": (
        JOB + "    timeout: 0\n",
        ParameterError,
        r"job 'weekly', key 'timeout': must be the seconds a cell may run, a number in "
        r"\(0, 604800\]\. Got 0",
    ),
    "text timeout": (JOB + "    timeout: soon\n", ParameterError, "key 'timeout'.*'soon'"),
    "bool timeout": (JOB + "    timeout: true\n", ParameterError, "key 'timeout'.*True"),
    "bad output_dir": (JOB + "    output_dir: [a]\n", ParameterError, "key 'output_dir': must be"),
    "unknown notebook": (
        "jobs:\n  - {name: a, notebook: dataset_overveiw, cron: '@daily'}\n",
        ParameterError,
        "job 'a', key 'notebook': .*Did you mean 'dataset_overview'",
    ),
    "missing notebook file": (
        JOB.replace("tiny.ipynb", "gone.ipynb"),
        DataFileError,
        "job 'weekly', key 'notebook': notebook file '.*gone.ipynb' does not exist",
    ),
    "unknown parameter": (
        JOB + "    parameters: {y: 3}\n",
        ParameterError,
        "job 'weekly', key 'parameters': The notebook 'tiny' has no parameter 'y'",
    ),
    "wrong type": (
        JOB + "    parameters: {x: many}\n",
        ParameterError,
        "key 'parameters': The parameter 'x' of notebook 'tiny' must be an int.*Got 'many'",
    ),
    "missing path parameter file": (
        JOB + "    parameters: {data: nothing.csv}\n",
        DataFileError,
        "key 'parameters': .*names the file '.*nothing.csv', which does not exist",
    ),
    "secret in the file": (
        JOB + "    parameters: {token: abc}\n",
        ParameterError,
        "key 'parameters': 'token' is a secret parameter and is never written in a file; "
        "set the environment variable SCRM_LAB_SECRET_TOKEN",
    ),
    "date value": (
        JOB + "    parameters: {x: 2024-01-31}\n",
        ParameterError,
        r"key 'parameters': The parameter 'x' of notebook 'tiny' must be an int \(int\)\. "
        r"Got '2024-01-31' \(str\) instead\.",  # YAML dates stay text
    ),
    "parameters not a mapping": (
        JOB + "    parameters: [x, 2]\n",
        ParameterError,
        "key 'parameters': must be a mapping of parameter name to value",
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS), ids=list(REFUSALS))
def test_load_refuses_with_file_job_and_key_named(project, case):
    text, error, match = REFUSALS[case]
    path = write(project, text)
    with pytest.raises(error, match=match) as caught:
        load_schedules(path)
    assert str(path) in str(caught.value)


def test_load_refuses_a_missing_file(tmp_path):
    with pytest.raises(DataFileError, match="schedules file '.*nope.yaml' does not exist"):
        load_schedules(tmp_path / "nope.yaml")


def test_list_jobs_shows_next_runs_in_utc_and_compact_parameters(project):
    table = list_jobs(write(project, TINY_JOB), now=datetime(2025, 3, 5, 12, tzinfo=UTC))
    assert list(table.columns) == [
        "name",
        "notebook",
        "cron",
        "next_run",
        "output_dir",
        "notify",
        "parameters",
    ]
    assert table["next_run"].tolist() == [
        pd.Timestamp("2025-03-06 05:30", tz="UTC"),
        pd.Timestamp("2025-03-09 00:00", tz="UTC"),  # @weekly: Sunday midnight
    ]
    assert table.loc[0, "notify"] == "a@example.com, b@example.org"
    assert table["parameters"].tolist() == ['{"x":2}', "{}"]
    assert table.loc[0, "output_dir"] == str(project / "out")


# ------------------------------------------------------------------------------- running


def test_run_job_passes_exactly_the_jobs_settings_to_run_report(project, monkeypatch):
    calls = []

    def fake(notebook, parameters=None, **kwargs):
        calls.append((notebook, parameters, kwargs))
        return "the run"

    monkeypatch.setattr(reports, "run_report", fake)
    assert run_job("tiny-daily", write(project, TINY_JOB), progress=True) == "the run"
    assert calls == [
        (
            str(project / "notebooks" / "tiny.ipynb"),
            {"x": 2},
            {"output_dir": project / "out", "timeout": 120, "progress": True},
        )
    ]


def test_run_job_refuses_an_unknown_job(project, monkeypatch):
    monkeypatch.setattr(reports, "run_report", pytest.fail)
    with pytest.raises(
        ParameterError, match="has no job 'tiny'; its jobs are tiny-daily, overview"
    ):
        run_job("tiny", write(project, TINY_JOB))


def test_run_job_runs_the_notebook_through_the_report_pipeline(project):
    run = run_job("tiny-daily", write(project, TINY_JOB))
    assert run.output_dir.parent == project / "out" / "tiny"
    status = json.loads((run.output_dir / "status.json").read_text())
    assert (status["status"], status["parameters"]["x"]) == ("succeeded", 2)
    assert "x doubled is 4" in run.notebook_path.read_text()
    assert run.html.is_file()
    assert reports.latest_run("tiny", output_dir=project / "out") == run.output_dir


# ---------------------------------------------------------------------------------- cron


def test_cron_export_has_one_line_per_job_with_quoted_absolute_paths(tmp_path, monkeypatch):
    folder = make_project(tmp_path / "my project 100%")
    monkeypatch.setattr(sys, "executable", "/opt/env one/bin/python")
    text = export_schedules(write(folder, TINY_JOB), "cron")
    lines = text.splitlines()
    assert lines[0] == f"# scrm_lab scheduled reports, from {folder / 'schedules.yaml'}"
    assert "#   crontab -l 2>/dev/null | cat - THIS_FILE | crontab -" in lines
    assert "CRON_TZ=UTC" in lines
    jobs = [line for line in lines if line[:1] not in ("#", "") and "=" not in line[:10]]
    assert len(jobs) == 2
    mailto = [line for line in lines if line.startswith("MAILTO=")]
    assert mailto == ['MAILTO="a@example.com,b@example.org"', 'MAILTO=""']
    assert jobs[0].startswith("30 5 * * * cd ")
    assert jobs[1].startswith("@weekly cd ")
    words = shlex.split(jobs[0].removeprefix("30 5 * * * ").replace("\\%", "%"))
    log = str(folder / "out" / "tiny-daily.log")
    assert words == [
        "cd", str(folder), "&&", "mkdir", "-p", str(folder / "out"), "&&",
        "/opt/env one/bin/python", "-m", "scrm_lab", "schedule", "run", "tiny-daily",
        "--file", str(folder / "schedules.yaml"), "--no-progress", ">>", log, "2>&1",
        "||", "tail", "-n", "20", log,
    ]  # fmt: skip
    assert "%" not in jobs[0].replace("\\%", "")  # cron reads a bare % as a newline


def test_cron_line_prints_the_log_only_when_the_run_fails(project, monkeypatch):
    """Run the exported command with a stand-in Python: cron mails only what it prints."""
    fake = project / "fake python"
    fake.write_text('#!/bin/sh\necho "ran $*"\n[ "$FAKE_EXIT" = 0 ]\n')
    fake.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(fake))
    text = export_schedules(write(project, TINY_JOB), "cron")
    line = next(x for x in text.splitlines() if x.startswith("30 5 * * * "))
    command = line.removeprefix("30 5 * * * ")
    log = project / "out" / "tiny-daily.log"

    def run(code: str) -> str:
        env = {"PATH": "/usr/bin:/bin", "FAKE_EXIT": code}
        done = subprocess.run(["sh", "-c", command], env=env, capture_output=True, text=True)
        assert done.returncode == 0
        return done.stdout + done.stderr

    assert run("0") == ""
    assert "ran -m scrm_lab schedule run tiny-daily --file" in log.read_text()
    assert run("1") == "\n".join(log.read_text().splitlines()[-20:]) + "\n"


def test_exports_never_contain_secret_values(project, monkeypatch):
    monkeypatch.setenv("SCRM_LAB_SECRET_TOKEN", "s3cr3t-value")
    path = write(project, TINY_JOB)
    for fmt in ("cron", "airflow"):
        text = export_schedules(path, fmt)
        assert "s3cr3t-value" not in text
        assert "# needs in the" in text and "SCRM_LAB_SECRET_TOKEN" in text


def test_export_refuses_an_unknown_format(project):
    with pytest.raises(ParameterError, match="'fmt' parameter of export_schedules must be one"):
        export_schedules(write(project, TINY_JOB), "systemd")


# ------------------------------------------------------------------------------- airflow


def fake_airflow(monkeypatch, *, version: int) -> dict[str, list]:
    """Install a minimal `airflow` in sys.modules that records DAG and PythonOperator calls.

    Version 3 offers airflow.sdk.DAG and the standard provider's PythonOperator; version 2
    only airflow.DAG and airflow.operators.python.PythonOperator.
    """
    calls: dict[str, list] = {"dags": [], "tasks": [], "open": []}

    class DAG:
        def __init__(self, **kwargs):
            calls["dags"].append(kwargs)
            self.dag_id = kwargs["dag_id"]

        def __enter__(self):
            calls["open"].append(self.dag_id)
            return self

        def __exit__(self, *exc):
            calls["open"].pop()

    class PythonOperator:
        def __init__(self, **kwargs):
            calls["tasks"].append({"dag": calls["open"][-1], **kwargs})

    def module(name: str, **attributes) -> None:
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
        for key, value in attributes.items():
            setattr(sys.modules[name], key, value)

    for name in [n for n in sys.modules if n == "airflow" or n.startswith("airflow.")]:
        monkeypatch.delitem(sys.modules, name)
    if version == 3:
        module("airflow")
        module("airflow.sdk", DAG=DAG)
        for name in ("providers", "providers.standard", "providers.standard.operators"):
            module(f"airflow.{name}")
        module("airflow.providers.standard.operators.python", PythonOperator=PythonOperator)
    else:
        module("airflow", DAG=DAG)
        module("airflow.operators")
        module("airflow.operators.python", PythonOperator=PythonOperator)
    return calls


def exec_dag_file(source: str) -> None:
    exec(compile(source, "scrm_lab_dags.py", "exec"), {"__name__": "scrm_lab_dags"})


def test_airflow_export_is_valid_python_without_airflow_installed(project):
    source = export_schedules(write(project, TINY_JOB), "airflow")
    tree = ast.parse(source)
    assert ast.get_docstring(tree).startswith("Airflow DAGs of the scrm_lab scheduled reports")
    with pytest.raises(ModuleNotFoundError, match="airflow"):
        exec_dag_file(source)


@pytest.mark.parametrize("version", [3, 2])
def test_airflow_dags_carry_each_jobs_schedule_mail_and_run_report_call(
    project, monkeypatch, version
):
    calls = fake_airflow(monkeypatch, version=version)
    exec_dag_file(export_schedules(write(project, TINY_JOB), "airflow"))
    tiny, overview = calls["dags"]
    assert tiny["dag_id"] == "scrm_lab_tiny_daily"
    assert (tiny["schedule"], overview["schedule"]) == ("30 5 * * *", "@weekly")
    assert tiny["catchup"] is False
    assert tiny["start_date"] == datetime(2025, 1, 1, tzinfo=UTC)
    assert tiny["tags"] == ["scrm_lab", "tiny"]
    assert tiny["default_args"] == {
        "retries": 0,
        "email": ["a@example.com", "b@example.org"],
        "email_on_failure": True,
        "email_on_retry": False,
    }
    assert overview["default_args"]["email"] == []
    assert overview["default_args"]["email_on_failure"] is False
    task = calls["tasks"][0]
    assert task["dag"] == "scrm_lab_tiny_daily"
    call = task["python_callable"]  # bound arguments: op_kwargs would be Jinja templates
    assert (call.func, call.args) == (reports.run_report, ())
    assert call.keywords == {
        "notebook": str(project / "notebooks" / "tiny.ipynb"),
        "parameters": {"x": 2},
        "output_dir": str(project / "out"),
        "timeout": 120,
    }
    assert "op_kwargs" not in task
    assert task["do_xcom_push"] is False
    assert calls["tasks"][1]["python_callable"].keywords["notebook"] == "dataset_overview"


def test_airflow_task_runs_the_report_pipeline(project, monkeypatch):
    """Call the recorded task as Airflow's worker would: a real run folder appears."""
    calls = fake_airflow(monkeypatch, version=3)
    exec_dag_file(export_schedules(write(project, TINY_JOB), "airflow"))
    run = calls["tasks"][0]["python_callable"]()
    assert run.output_dir.parent == project / "out" / "tiny"
    assert json.loads((run.output_dir / "status.json").read_text())["status"] == "succeeded"
    assert "x doubled is 4" in run.notebook_path.read_text()
