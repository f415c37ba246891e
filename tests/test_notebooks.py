"""Every notebook in notebooks/ runs through the report pipeline, and reruns identically (nbval)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scrm_lab.reports import list_notebooks, run_report

SANITIZE = Path(__file__).with_name("nbval_sanitize.cfg")


@pytest.mark.parametrize("notebook", list(list_notebooks()["name"]))
def test_notebook_runs_with_defaults_and_reproduces_its_outputs(notebook, tmp_path):
    run = run_report(notebook, output_dir=tmp_path / "reports")
    assert run.status == "succeeded" and run.html.is_file()
    # nbval re-executes the executed notebook and compares every output with the pipeline's
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "-q",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(SANITIZE),
            str(run.notebook_path),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
