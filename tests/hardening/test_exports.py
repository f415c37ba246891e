"""Code injection through the schedule exports (issue 12, class 2).

A value from a schedules file, or the path of the folder it sits in, must reach cron's shell
and Airflow's Python as data, never as code: exported crontab lines parse back (cron's own
handling of %, then shlex.split) into exactly the expected words, and really run them with
/bin/sh; the DAG file parses (ast) and, run against a stand-in airflow, hands run_report
exactly the original values. Job values holding a control character are refused with the
file, job and key named.
"""

from __future__ import annotations

import ast
import json
import os
import shlex
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import nbformat
import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_notebook

from scrm_lab import reports
from scrm_lab.cli import run
from scrm_lab.exceptions import ParameterError, ScrmLabError
from scrm_lab.schedules import export_schedules, load_schedules
from tests.reports.test_schedules import exec_dag_file, fake_airflow

#: Folder names that would run code, split a crontab line or break a Python string.
NASTY = {
    "single quote": "it's",
    "double quote": 'say "hi"',
    "triple quotes": "a'''b\"\"\"c",
    "backslashes": "C:\\new\\%d\\",
    "command substitution": "$(touch PWNED)",
    "backticks": "`touch PWNED`",
    "percent": "100% sure %s %%",
    "backslash before percent": "a\\%b\\\\%c",
    "semicolon": "x; touch PWNED; #",
    "jinja": "{{ ds }}{% if 1 %}{# x",
    "glob and tilde": "~ * ? [a] -rf",
    "unicode": "café 🙂 ε\u200d",
    "python": "'); import os; os.system('touch PWNED'); ('",
}
NEWLINE = "line\nMAILTO=evil@example.com\n* * * * * touch PWNED"

PARAMETERS = 'x: int = 1  # a number\ntitle: str = ""  # a title\n'


def make_project(folder: Path) -> Path:
    """``folder`` with notebooks/tiny.ipynb (parameters x and title) and a schedules file."""
    (folder / "notebooks").mkdir(parents=True)
    nb = new_notebook(cells=[new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]})])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.metadata["kernelspec"]["language"] = "python"
    nbformat.write(nb, folder / "notebooks" / "tiny.ipynb")
    return folder


def write_jobs(folder: Path, *jobs: dict) -> Path:
    path = folder / "schedules.yaml"
    path.write_text(yaml.safe_dump({"jobs": list(jobs)}, allow_unicode=True), encoding="utf-8")
    return path


def tiny_job(**changes) -> dict:
    job = {
        "name": "tiny",
        "notebook": "notebooks/tiny.ipynb",
        "cron": "30 5 * * *",
        "parameters": {"x": 2, "title": "plain"},
        "output_dir": "out",
        "notify": ["a@example.com"],
    }
    return {**job, **changes}


def cron_reads(command: str) -> str:
    """The command cron hands to /bin/sh, as vixie cron's do_command.c reads the field:
    ``\\%`` is a %, a bare % ends the command (the rest would go to its stdin), any other
    backslash stays."""
    out, escaped = [], False
    for character in command:
        if escaped:
            out.append(character if character == "%" else "\\" + character)
            escaped = False
        elif character == "\\":
            escaped = True
        elif character == "%":
            raise AssertionError(f"a bare % would cut the command: {command!r}")
        else:
            out.append(character)
    return "".join(out) + "\\" * escaped


def job_lines(crontab: str) -> list[str]:
    """Every line cron reads as a job or a variable (comments and blank lines left out)."""
    return [line for line in crontab.split("\n") if line.strip() and not line.startswith("#")]


def expected_words(file: Path, job) -> list[str]:
    log = str(job.output_dir / f"{job.name}.log")
    return [
        "cd", str(file.parent), "&&", "mkdir", "-p", str(job.output_dir), "&&",
        sys.executable, "-m", "scrm_lab", "schedule", "run", job.name, "--file", str(file),
        "--no-progress", ">>", log, "2>&1", "||", "tail", "-n", "20", log,
    ]  # fmt: skip


def check_cron_round_trip(file: Path) -> None:
    """The crontab holds CRON_TZ, then MAILTO and exactly the expected words per job."""
    jobs = load_schedules(file)
    lines = job_lines(export_schedules(file, "cron"))
    assert lines[0] == "CRON_TZ=UTC"
    assert len(lines) == 1 + 2 * len(jobs)  # nothing else became a line
    for job, mailto, line in zip(jobs, lines[1::2], lines[2::2], strict=True):
        assert mailto == f'MAILTO="{",".join(job.notify)}"'
        assert line.startswith(job.cron + " ")
        words = shlex.split(cron_reads(line.removeprefix(job.cron + " ")))
        assert words == expected_words(file, job)


def dag_calls(file: Path) -> dict[str, list]:
    """Run the exported DAG file against the stand-in airflow; check its literals with ast."""
    source = export_schedules(file, "airflow")
    tree = ast.parse(source)
    constants = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id in ("SOURCE", "JOBS")
    }
    assert constants["SOURCE"] == str(file)
    with pytest.MonkeyPatch.context() as patch:
        calls = fake_airflow(patch, version=3)
        exec_dag_file(source)
    for job, entry in zip(load_schedules(file), constants["JOBS"], strict=True):
        assert entry["run_report"]["output_dir"] == str(job.output_dir)
    return calls


def check_airflow_round_trip(file: Path) -> None:
    calls = dag_calls(file)
    jobs = load_schedules(file)
    assert [dag["dag_id"] for dag in calls["dags"]] == [job.dag_id for job in jobs]
    for job, dag, task in zip(jobs, calls["dags"], calls["tasks"], strict=True):
        assert dag["schedule"] == job.cron
        assert dag["default_args"]["email"] == list(job.notify)
        call = task["python_callable"]
        assert (call.func, call.args) == (reports.run_report, ())
        assert call.keywords == {
            "notebook": job.notebook,
            "parameters": job.parameters,
            "output_dir": str(job.output_dir),
            "timeout": job.timeout,
        }
        assert "op_kwargs" not in task  # Airflow would render its strings as Jinja


# ----------------------------------------------------------------- nasty folder names


@pytest.mark.parametrize("name", list(NASTY.values()), ids=list(NASTY))
def test_cron_lines_of_a_nasty_folder_parse_back_and_run_as_written(tmp_path, name, monkeypatch):
    folder = make_project(tmp_path / name)
    file = write_jobs(folder, tiny_job(), tiny_job(name="other", cron="@daily", notify=[]))
    fake = folder / "bin $(touch PWNED) 'x'" / "python"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\nprintf \'%s\\000\' "$PWD" "$@"\n')
    fake.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(fake))
    check_cron_round_trip(file)

    line = job_lines(export_schedules(file, "cron"))[2]
    command = cron_reads(line.removeprefix("30 5 * * * "))
    done = subprocess.run(
        ["/bin/sh", "-c", command], cwd=tmp_path, env={"PATH": "/usr/bin:/bin"}, check=False
    )
    assert done.returncode == 0
    log = folder / "out" / "tiny.log"
    argv = [os.fsdecode(word) for word in log.read_bytes().split(b"\0")[:-1]]
    expected = ["-m", "scrm_lab", "schedule", "run", "tiny", "--file", str(file), "--no-progress"]
    assert argv == [str(folder), *expected]
    assert not list(tmp_path.rglob("PWNED")), "a command in the folder name ran"


@pytest.mark.parametrize("name", [*NASTY.values(), NEWLINE], ids=[*NASTY, "newline"])
def test_the_dag_file_of_a_nasty_folder_passes_exactly_the_original_values(tmp_path, name):
    folder = make_project(tmp_path / name)
    check_airflow_round_trip(write_jobs(folder, tiny_job(), tiny_job(name="b", notify=[])))


def test_the_dag_task_runs_the_report_in_the_nasty_folder(tmp_path):
    """The values reach a real run: the report lands in the folder with the strange name."""
    name = 'a\'b"""c\\d é🙂 %s $(touch PWNED)'
    folder = make_project(tmp_path / (name + "\nnext line"))
    calls = dag_calls(write_jobs(folder, tiny_job(parameters={"x": 3, "title": name})))
    run_ = calls["tasks"][0]["python_callable"]()
    assert run_.output_dir.parent == folder / "out" / "tiny"
    assert (run_.output_dir / "tiny.html").is_file()
    status = json.loads((run_.output_dir / "status.json").read_text(encoding="utf-8"))
    assert (status["status"], status["parameters"]["title"]) == ("succeeded", name)
    assert not list(tmp_path.rglob("PWNED"))


def test_a_folder_whose_path_has_a_newline_is_refused_for_cron_in_one_line(tmp_path, capsys):
    folder = make_project(tmp_path / NEWLINE)
    file = write_jobs(folder, tiny_job())
    with pytest.raises(ParameterError) as caught:
        export_schedules(file, "cron")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(repr(str(file)) + ", job 'tiny': the ")
    assert "holds the control character '\\n' (U+000A), which a crontab line" in message
    assert run(["schedule", "export", "--format", "cron", "--file", str(file)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1


def test_comments_in_both_exports_cannot_be_ended_by_a_path(tmp_path):
    """A notebook path outside the project lands in a comment: still one line."""
    (tmp_path / "project").mkdir()
    outside = make_project(tmp_path / "nb\u202e\u200bMAILTO=x")  # unprintable, allowed
    job = tiny_job(notebook=str(outside / "notebooks" / "tiny.ipynb"))
    file = write_jobs(tmp_path / "project", job)
    for fmt in ("cron", "airflow"):
        text = export_schedules(file, fmt)
        assert all(line.isprintable() for line in text.split("\n")), fmt
        assert not any(line.startswith("MAILTO=x") for line in text.splitlines())
    check_airflow_round_trip(file)


# ------------------------------------------------------------------ job values refused


def held(text: str, character: str, name: str = "") -> str:
    """The refusal's words for ``text`` holding ``character`` (and its Unicode name, if any)."""
    code = f"U+{ord(character):04X}" + (f" {name}" if name else "")
    return f"{text!r} holds the control character {character!r} ({code})"


CONTROL = {
    "name": ({"name": "tiny\nx"}, "name", held("tiny\nx", "\n")),
    "notebook": (
        {"notebook": "notebooks/tiny.ipynb\r* * * * * id"},
        "notebook",
        held("notebooks/tiny.ipynb\r* * * * * id", "\r"),
    ),
    "output_dir": (
        {"output_dir": "out\n* * * * * touch /tmp/PWNED"},
        "output_dir",
        held("out\n* * * * * touch /tmp/PWNED", "\n"),
    ),
    "cron": ({"cron": "0 6 * *\n1"}, "cron", held("0 6 * *\n1", "\n")),
    "notify": (
        {"notify": ["a@example.com\nMAILTO=b"]},
        "notify",
        "notify[0]: " + held("a@example.com\nMAILTO=b", "\n"),
    ),
    "parameter value": (
        {"parameters": {"x": 1, "title": "a\x00b"}},
        "parameters",
        "parameters['title']: " + held("a\x00b", "\x00"),
    ),
    "nested value": (
        {"output_dir": ["out\x1b[2J"]},
        "output_dir",
        "output_dir[0]: " + held("out\x1b[2J", "\x1b"),
    ),
    "tab": (
        {"parameters": {"title": "a\tb"}},
        "parameters",
        "parameters['title']: " + held("a\tb", "\t"),
    ),
    "line separator": (
        {"parameters": {"title": "a\u2028b"}},
        "parameters",
        "parameters['title']: " + held("a\u2028b", "\u2028", "LINE SEPARATOR"),
    ),
    "parameter name": (
        {"parameters": {"ti\ntle": "a"}},
        "parameters",
        "a name in parameters: " + held("ti\ntle", "\n"),
    ),
}


@pytest.mark.parametrize("case", list(CONTROL), ids=list(CONTROL))
def test_job_values_with_control_characters_are_refused(tmp_path, case):
    changes, key, words = CONTROL[case]
    file = write_jobs(make_project(tmp_path / "p"), tiny_job(**changes))
    with pytest.raises(ParameterError) as caught:
        load_schedules(file)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{file}, job ") and f", key '{key}': {words}; job values" in message
    assert message.endswith("where it could end a line or start a command. Remove it.")


@pytest.mark.parametrize(
    "address",
    [
        'a"b@example.com',
        "a b@example.com",
        "-oQ/tmp/x@example.com",
        "$(id)@example.com",
        "a%b@example.com",
        "a,b@example.com",
        "a@b@example.com",
        "a@example",
        "a@exa mple.com",
        "écrire@example.com",
    ],
)
def test_addresses_are_plain(tmp_path, address):
    file = write_jobs(make_project(tmp_path / "p"), tiny_job(notify=[address]))
    with pytest.raises(ParameterError) as caught:
        load_schedules(file)
    assert str(caught.value) == (
        f"{file}, job 'tiny', key 'notify': {address!r} is not an e-mail address "
        "(name@example.org: ASCII letters, digits and . _ + -, starting with a letter or digit)."
    )


def test_a_path_that_cannot_be_resolved_is_refused_not_a_crash(tmp_path):
    file = write_jobs(make_project(tmp_path / "p"), tiny_job(output_dir="~no-such-user-x/out"))
    with pytest.raises(ParameterError, match="key 'output_dir': '~no-such-user-x/out' cannot be"):
        load_schedules(file)


# ------------------------------------------------------------------------- properties

#: Any text a folder name can hold (no / or NUL), not . or .., short enough for the disk.
FOLDER_NAMES = st.text(
    st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=30,
).filter(lambda s: s not in (".", "..") and len(s.encode()) < 200)


def has_control(text: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text)


@given(FOLDER_NAMES)
def test_any_folder_name_is_refused_or_exported_exactly(name):
    with tempfile.TemporaryDirectory() as base:
        folder = make_project(Path(base) / name)
        file = write_jobs(folder, tiny_job(), tiny_job(name="two", cron="@hourly"))
        check_airflow_round_trip(file)
        if has_control(str(file)):
            with pytest.raises(ParameterError, match="which a crontab line cannot carry"):
                export_schedules(file, "cron")
        else:
            check_cron_round_trip(file)


@given(st.text(max_size=30), st.text(max_size=30))
def test_any_job_text_is_refused_in_one_line_or_exported_exactly(title, output_dir):
    with tempfile.TemporaryDirectory() as base:
        folder = make_project(Path(base) / "p")
        job = tiny_job(parameters={"x": 1, "title": title}, output_dir=output_dir)
        try:
            file = write_jobs(folder, job)
        except yaml.YAMLError:  # text YAML cannot hold (a lone surrogate)
            assume(False)
        try:
            (loaded,) = load_schedules(file)
        except ScrmLabError as err:
            assert "\n" not in str(err) and str(err).startswith(f"{file}, job 'tiny', key ")
            unresolvable = output_dir.startswith("~")  # "~nobody": no such user
            assert has_control(title + output_dir) or not output_dir.strip() or unresolvable
            return
        assert not has_control(title + output_dir)
        assert loaded.parameters == {"x": 1, "title": title}
        check_airflow_round_trip(file)
        check_cron_round_trip(file)
