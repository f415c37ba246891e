"""Report runs that survive crashes and rerun identically (issue 12, items 6, 10 and 11).

A run killed with SIGKILL leaves its staging folder; the next run (or ``scrm-lab report
clean``) removes it, but never the folder of a run that is still going. Two runs with the
same parameters give byte-identical HTML and notebooks apart from the header's times.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

from scrm_lab import cli
from scrm_lab.exceptions import DataFileError
from scrm_lab.reports import clean_reports, run_report
from scrm_lab.reports._exec import stable_outputs
from scrm_lab.reports._staging import STALE_TMP_S
from tests.notebook_files import write_notebook

STYLED_AND_ADDRESSES = """\
import pandas as pd
frame = pd.DataFrame({"brand": ["a", "b"], "score": [1.5, 2.5]})
display(frame.style.highlight_max(subset=["score"]))
print(object())
class Thing:
    pass
Thing()
"""
PARAMETERS = 'n: "int" = 1  # a number'
FIGURE = """\
import matplotlib.pyplot as plt
plt.bar(["a", "b"], [1, 2])
plt.show()
"""


# --------------------------------------------------------------- item 11: identical reruns

_HEADER = re.compile(r"<div class=.scrm-header.*?</div>", re.S)


def test_two_runs_give_the_same_html_and_notebook_apart_from_the_header_times(tmp_path):
    path = write_notebook(tmp_path / "rerun.ipynb", PARAMETERS, STYLED_AND_ADDRESSES, FIGURE)
    first = run_report(path, {"n": 2}, output_dir=tmp_path / "a")
    second = run_report(path, {"n": 2}, output_dir=tmp_path / "b")
    pages = [run.html.read_text(encoding="utf-8") for run in (first, second)]
    assert 'id="T_s0001"' in pages[0] and "Thing at 0x" in pages[0]  # made stable, not dropped
    assert not re.search(r"T_[0-9a-f]{5}\b|at 0x[0-9a-f]{5,}", pages[0])
    headers = [_HEADER.search(page) for page in pages]
    assert all(headers)
    assert _HEADER.sub("", pages[0]) == _HEADER.sub("", pages[1])
    notebooks = [json.loads(run.notebook_path.read_text()) for run in (first, second)]
    for nb in notebooks:
        for key in ("start_time", "end_time", "duration"):  # the run's own times
            nb["metadata"]["papermill"].pop(key)
    assert notebooks[0] == notebooks[1]
    cells = notebooks[0]["cells"]
    assert not any("execution" in c["metadata"] for c in cells)
    assert notebooks[0]["metadata"]["papermill"]["output_path"] == "rerun.ipynb"


def _printed(*texts: str):
    """An executed notebook (as nbformat reads it) whose one cell printed ``texts``."""
    import nbformat

    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=t) for t in texts]
    return nbformat.v4.new_notebook(cells=[cell])


def test_objects_of_two_kinds_at_one_address_are_numbered_as_when_apart(tmp_path):
    # memory freed by one object may hold the next in one run and not in another
    shared = _printed("<object object at 0x7f00aa10>", "<__main__.Thing at 0x7f00aa10>")
    apart = _printed("<object object at 0x7f00aa10>", "<__main__.Thing at 0x7f00bb20>")
    texts = [
        [o["text"] for o in stable_outputs(nb, tmp_path / "x.ipynb").cells[0].outputs]
        for nb in (shared, apart)
    ]
    assert texts[0] == texts[1] == ["<object object at 0x1>", "<__main__.Thing at 0x2>"]
    again = _printed("<a.B at 0x7f00aa10>", "<a.B at 0x7F00AA10>", "<a.B at 0x7f00cc30>")
    shown = [o["text"] for o in stable_outputs(again, tmp_path / "x.ipynb").cells[0].outputs]
    assert shown == ["<a.B at 0x1>", "<a.B at 0x1>", "<a.B at 0x2>"]  # one object, one number


# ------------------------------------------------------------- item 10: debris of a crash

SLOW = "import time\ntime.sleep(120)"


def _start_run(notebook: Path, out: Path) -> subprocess.Popen:
    code = (
        "import sys; from scrm_lab.reports import run_report; "
        "run_report(sys.argv[1], output_dir=sys.argv[2])"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code, str(notebook), str(out)], start_new_session=True
    )


def _wait_for(predicate, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.2)


def _staging(out: Path) -> list[Path]:
    return sorted(p for p in out.glob(".staging-*") if p.is_dir()) if out.exists() else []


def test_a_killed_run_leaves_debris_that_the_next_run_removes(tmp_path):
    slow = write_notebook(tmp_path / "slow.ipynb", PARAMETERS, SLOW)
    out = tmp_path / "out"
    process = _start_run(slow, out)
    try:
        _wait_for(lambda: any((p / ".work" / "slow.ipynb").exists() or
                              list((p / ".work" / "cwd").glob("*")) or
                              (p / ".work").exists() for p in _staging(out)))  # fmt: skip
        (live,) = _staging(out)
        assert clean_reports(out).empty  # the run is alive: its lock is held
        assert live.exists()
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the run and its kernel, as `kill -9` would
        process.wait()
    assert live.exists()  # the debris a killed run leaves
    quick = write_notebook(tmp_path / "quick.ipynb", PARAMETERS, "1")
    run_report(quick, output_dir=out)
    assert not live.exists() and not list(out.glob(".staging-*"))
    assert (out / "quick" / "latest.json").exists()


def test_report_clean_removes_only_abandoned_debris(tmp_path, capsys):
    out = tmp_path / "reports"
    abandoned = out / ".staging-old-0123456789ab"
    (abandoned / ".work").mkdir(parents=True)
    free_lock = out / ".staging-gone-0123456789ab.lock"
    free_lock.touch()
    batch_debris = out / "_batches" / ".staging-nb-aaaaaaaaaaaa"
    batch_debris.mkdir(parents=True)
    old_tmp = out / "nb" / ".latest.json.123-x.tmp"
    old_tmp.parent.mkdir()
    old_tmp.write_text("{}")
    os.utime(old_tmp, (time.time() - STALE_TMP_S - 5,) * 2)
    new_tmp = out / "nb" / ".latest.html.456-y.tmp"
    new_tmp.write_text("<p>")  # being written right now: kept
    live = out / ".staging-live-bbbbbbbbbbbb"
    live.mkdir()
    with FileLock(out / ".staging-live-bbbbbbbbbbbb.lock"):  # a live run holds its lock
        assert cli.run(["report", "clean", "--output-dir", str(out)]) == 0
        assert live.exists()
    printed = capsys.readouterr().out
    assert f"removed staging folder: {abandoned}" in printed
    assert f"removed staging folder: {batch_debris}" in printed
    assert f"removed lock file: {free_lock}" in printed
    assert f"removed temporary file: {old_tmp}" in printed
    assert "4 item(s) removed" in printed
    assert not abandoned.exists() and not free_lock.exists() and not old_tmp.exists()
    assert new_tmp.exists()


def test_a_failed_or_crashed_run_leaves_no_staging(tmp_path, monkeypatch):
    import papermill

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(papermill, "execute_notebook", crash)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run_report(write_notebook(tmp_path / "nb.ipynb", PARAMETERS, "1"), output_dir=out)
    assert list(out.iterdir()) == []  # no staging folder, no lock file


# ------------------------------------------------------ item 6: exit 2, not a traceback


def test_an_output_folder_that_is_a_file_is_refused(tmp_path, capsys):
    file = tmp_path / "taken"
    file.write_text("x")
    with pytest.raises(
        DataFileError, match=r"The output folder '.*taken' cannot be used: it is a "
    ):
        run_report("dataset_overview", output_dir=file)
    status = cli.run(["report", "run", "dataset_overview", "--output-dir", str(file)])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and "it is a file, not a folder" in err


def test_a_float_timeout_runs(tmp_path):
    run = run_report(
        write_notebook(tmp_path / "nb.ipynb", PARAMETERS, "1"), output_dir=tmp_path, timeout=2.5
    )
    assert run.status == "succeeded"


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "1e9"])
def test_bad_timeouts_are_refused_on_the_command_line(tmp_path, capsys, value):
    status = cli.run(["report", "run", "dataset_overview", "--timeout", value, "--output-dir",
                      str(tmp_path)])  # fmt: skip
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1
    assert "'timeout' parameter of run_report must be a number in (0, 604800] or None" in err


def test_a_folder_with_braces_and_quotes_is_a_fine_output_folder(tmp_path):
    out = tmp_path / "{{ ds }} {x} 'it''s' \"q\""
    run = run_report(write_notebook(tmp_path / "nb.ipynb", PARAMETERS, "1"), output_dir=out)
    assert run.html.is_file() and run.html.parent.parent.parent == out


def test_report_clean_of_a_missing_folder_is_refused(tmp_path, capsys):
    status = cli.run(["report", "clean", "--output-dir", str(tmp_path / "nope")])
    err = capsys.readouterr().err
    assert status == 2
    folder = tmp_path / "nope"
    assert (
        err
        == f"scrm-lab: error: The reports folder '{folder}' does not exist or is not a folder.\n"
    )
