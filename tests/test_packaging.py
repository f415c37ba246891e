"""Set-up and packaging: the README's commands, CI, conda parity, and a non-editable install."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


CONDA_NAMES = {"python-duckdb": "duckdb"}  # conda-forge names that differ from PyPI's


def _requirements(lines: list[str]) -> dict[str, str]:
    out = {}
    for line in lines:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*(.*)", line.strip())
        assert match, line
        name = match.group(1).lower().replace("_", "-")
        out[CONDA_NAMES.get(name, name)] = match.group(2).replace(" ", "")
    return out


def test_environment_yml_has_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_side = _requirements(project["dependencies"] + project["optional-dependencies"]["test"])
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in environment["dependencies"] if isinstance(d, str)]
    pip_only = [  # packages conda-forge lacks, installed by pip inside the environment
        d
        for section in environment["dependencies"]
        if isinstance(section, dict)
        for d in section.get("pip", [])
        if not d.startswith("-")
    ]
    conda_side = _requirements(
        [d for d in conda + pip_only if re.split(r"[<>=]", d)[0] not in ("python", "pip")]
    )
    assert conda_side == pip_side
    assert "python>=3.11" in conda and project["requires-python"] == ">=3.11"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "./dev.sh report" in readme and "./dev.sh test" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^exec \./dev\.sh test$", ci, flags=re.MULTILINE)
    report_line = next(
        line for line in (ROOT / "dev.sh").read_text().splitlines() if "report)" in line
    )
    assert "report run" in report_line


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    return next(out.glob("scrm_lab-*.whl"))


def test_wheel_carries_data_sets_and_notebooks(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = ROOT / "datasets"
    for folder in sorted(p for p in shipped.iterdir() if p.is_dir()):
        for file in folder.iterdir():
            assert f"scrm_lab/_shipped/datasets/{folder.name}/{file.name}" in names
    notebooks = ROOT / "notebooks"
    for notebook in [*notebooks.glob("*.ipynb"), *notebooks.glob("lessons/*.ipynb")]:
        assert f"scrm_lab/_shipped/notebooks/{notebook.relative_to(notebooks)}" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "scrm-lab = scrm_lab.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_non_editable_install_loads_every_data_set(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    script = (
        "import json, scrm_lab\n"
        "from scrm_lab.datasets import list_datasets, load_dataset\n"
        "from scrm_lab.lessons import list_lessons\n"
        "from scrm_lab.reports import list_notebooks\n"
        "rows = {}\n"
        "for name in list_datasets()['name']:\n"
        "    data = load_dataset(name)\n"
        "    tables = data if isinstance(data, dict) else {name: data}\n"
        "    rows[name] = sum(len(t) for t in tables.values())\n"
        "print(json.dumps({'file': scrm_lab.__file__, 'rows': rows,\n"
        "                  'notebooks': list(list_notebooks()['name']),\n"
        "                  'lessons': list(list_lessons('pt')['lesson'])}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout)
    assert report["file"].startswith(str(target))  # the installed copy, not the checkout
    from scrm_lab.datasets import list_datasets

    catalog = list_datasets()
    assert report["rows"] == dict(zip(catalog["name"], catalog["rows"], strict=True))
    assert "dataset_overview" in report["notebooks"]
    from scrm_lab.lessons import list_lessons

    assert report["lessons"] == list(list_lessons()["lesson"])  # the lessons travel too
