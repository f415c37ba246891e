"""The package's shape: import-linter's contracts, private names, and the old import paths."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "scrm_lab"
CONTRACTS = (
    "Layers: cli > lessons > reports > studies > analysis > data > base",
    "A private module (_name) is imported only from inside its own package",
    "No import cycles between the modules of a package",
)


def test_import_linter_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout + run.stderr
    for name in CONTRACTS:
        assert f"{name} KEPT" in run.stdout, run.stdout
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in run.stdout


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _concept(module: str) -> str:
    """``scrm_lab.models._panel`` -> ``scrm_lab.models``; a root module is its own concept."""
    parts = module.split(".")
    if len(parts) >= 2 and (PACKAGE / parts[1]).is_dir():
        return ".".join(parts[:2])
    return module


def private_name_imports(source: str, importer: str) -> list[str]:
    """``from scrm_lab.X import _name`` where X belongs to another concept than ``importer``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("scrm_lab"):
            continue
        for alias in node.names:
            private = alias.name.startswith("_") and not alias.name.endswith("__")
            if private and _concept(node.module) != _concept(importer):
                found.append(f"{importer} imports {alias.name} from {node.module}")
    return found


def test_the_private_name_check_finds_a_crossing():
    source = "from scrm_lab.listening._mentions import _count_messages, share_of_voice\n"
    assert private_name_imports(source, "scrm_lab.network._cascades") == [
        "scrm_lab.network._cascades imports _count_messages from scrm_lab.listening._mentions"
    ]
    assert private_name_imports(source, "scrm_lab.listening._spikes") == []


def test_no_module_imports_a_private_name_of_another_concept():
    crossings = []
    for path in sorted(PACKAGE.rglob("*.py")):
        crossings += private_name_imports(path.read_text(encoding="utf-8"), _module_name(path))
    assert crossings == []


@pytest.mark.parametrize(
    ("old", "new", "name"),
    [
        ("scrm_lab.metrics", "scrm_lab.listening", "share_of_voice"),
        ("scrm_lab.metrics", "scrm_lab.service", "service_levels"),
        ("scrm_lab.content", "scrm_lab.engagement.content", "post_performance"),
        ("scrm_lab.content", "scrm_lab.studies.moro_2016", "moro_headline"),
        ("scrm_lab.hypotheses", "scrm_lab.studies.engagement_revenue", "engagement_revenue_data"),
        ("scrm_lab.schedules", "scrm_lab.reports.schedules", "run_job"),
        ("scrm_lab.summary", "scrm_lab.privacy", "pseudonymize"),
    ],
)
def test_old_import_paths_give_the_same_objects(old, new, name):
    assert getattr(importlib.import_module(old), name) is getattr(
        importlib.import_module(new), name
    )
