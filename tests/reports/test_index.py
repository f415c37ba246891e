"""Tests of scrm_lab.reports._index: the reports folder's index.html (no kernel needed)."""

from __future__ import annotations

import json
import multiprocessing
import threading
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from filelock import FileLock

from scrm_lab.exceptions import DataFileError
from scrm_lab.reports import _index as _report_index
from scrm_lab.reports._index import write_index

NASTY = "<script>alert('x')</script>"


def fake_run(
    root: Path,
    notebook: str,
    folder: str,
    *,
    started: str,
    status: str = "succeeded",
    parameters: dict | None = None,
    results: dict | None = None,
    error: dict | None = None,
) -> Path:
    """A run folder as run_report publishes it, written by hand."""
    run = root / notebook / folder
    run.mkdir(parents=True)
    content = {
        "status": status,
        "notebook": notebook,
        "parameters": parameters or {},
        "started": started,
        "finished": started,
        "duration_s": 2.34,
        "error": error,
        "results": results or {},
    }
    (run / "status.json").write_text(json.dumps(content), encoding="utf-8")
    (run / f"{notebook}.html").write_text("<html></html>", encoding="utf-8")
    (run / f"{notebook}.ipynb").write_text("{}", encoding="utf-8")
    return run


def page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def reports_dir(tmp_path: Path) -> Path:
    """Two notebooks, three runs (one failed, one with nasty text), a broken and a staging run,
    a latest.json pointer and a batch."""
    root = tmp_path / "reports"
    fake_run(
        root,
        "alpha",
        "20240101T000000Z-aaaaaaaa",
        started="2024-01-01T00:00:00+00:00",
        parameters={"x": 1, "items": [1, 2]},
        results={"rho": 0.42},
    )
    fake_run(
        root,
        "alpha",
        "20240301T000000Z-bbbbbbbb",
        started="2024-03-01T00:00:00+00:00",
        status="failed",
        parameters={"x": 2},
        error={"cell_index": 3, "error_name": "ValueError", "error_value": f"boom {NASTY}"},
    )
    fake_run(
        root,
        "beta",
        "20240201T000000Z-cccccccc",
        started="2024-02-01T00:00:00+00:00",
        parameters={"label": NASTY, "token": "<secret>"},
        results={"note": NASTY},
    )
    (root / "alpha" / "latest.json").write_text(
        json.dumps({"run": "20240101T000000Z-aaaaaaaa"}), encoding="utf-8"
    )
    broken = root / "beta" / "20240401T000000Z-dddddddd"
    broken.mkdir()
    (broken / "status.json").write_text("{not json", encoding="utf-8")
    (root / "beta" / "20240501T000000Z-eeeeeeee").mkdir()  # no status.json at all
    staging = root / ".staging-beta-x1y2"
    staging.mkdir()
    (staging / "status.json").write_text(json.dumps({"status": "succeeded"}), encoding="utf-8")
    batch = root / "_batches" / "alpha-20240102T000000Z-12345678"
    batch.mkdir(parents=True)
    (batch / "batch.json").write_text(
        json.dumps(
            {
                "notebook": "alpha",
                "started": "2024-01-02T00:00:00+00:00",
                "counts": {"runs": 2, "succeeded": 1, "failed": 1, "cancelled": 0},
            }
        ),
        encoding="utf-8",
    )
    (batch / "summary.html").write_text("<html></html>", encoding="utf-8")
    (batch / "summary.csv").write_text("run\n1\n", encoding="utf-8")
    (root / "README.md").write_text("generated reports go here\n", encoding="utf-8")
    return root


def run_rows(soup: BeautifulSoup) -> list:
    return soup.find_all("table")[-1].select("tbody tr")


def test_index_lists_runs_newest_first_with_status_parameters_and_results(reports_dir):
    index = write_index(reports_dir)
    assert index == reports_dir.resolve() / "index.html"
    soup = page(index)
    rows = run_rows(soup)
    texts = [[td.get_text(" ", strip=True) for td in row.find_all("td")] for row in rows]
    assert [t[0] for t in texts] == [
        "2024-03-01T00:00:00+00:00",
        "2024-02-01T00:00:00+00:00",
        "2024-01-01T00:00:00+00:00",
    ]
    assert [t[1].split()[0] for t in texts] == ["alpha", "beta", "alpha"]
    failed, nasty, first = texts
    assert failed[2] == "failed ValueError at cell 3"
    assert rows[0].select_one("span.failed") is not None
    assert rows[2].select_one("span.ok") is not None
    assert failed[3] == "2.3 s"
    assert first[4] == "x=1 items=[1, 2]"
    assert first[5] == "rho=0.42"
    assert nasty[4] == f"label={NASTY} token=<secret>"
    assert nasty[5] == f"note={NASTY}"
    assert "boom" in rows[0].select_one("div.error")["title"]


def test_latest_run_is_marked(reports_dir):
    rows = run_rows(page(write_index(reports_dir)))
    marked = [row for row in rows if row.select_one("span.latest")]
    assert len(marked) == 1
    assert "20240101T000000Z-aaaaaaaa" in marked[0].select_one("a")["href"]


def test_text_is_escaped_and_the_page_is_self_contained(reports_dir):
    index = write_index(reports_dir)
    text = index.read_text(encoding="utf-8")
    soup = page(index)
    assert not soup.find_all("script")  # the data's <script> is text, not a tag
    assert "&lt;script&gt;" in text
    assert not soup.find_all("link") and not soup.find_all("img")
    assert "http://" not in text and "https://" not in text
    assert soup.find("style") is not None


def test_links_are_relative_and_point_at_existing_files(reports_dir):
    index = write_index(reports_dir)
    hrefs = [a["href"] for a in page(index).find_all("a")]
    assert len(hrefs) == 3 * 3 + 2  # report, notebook, folder per run; the batch's two
    for href in hrefs:
        assert not href.startswith("/")
        assert (index.parent / unquote(href)).exists(), href
    assert "_batches/alpha-20240102T000000Z-12345678/summary.html" in hrefs


def test_batches_are_listed_with_their_counts(reports_dir):
    soup = page(write_index(reports_dir))
    assert [h.get_text() for h in soup.find_all("h2")] == ["Batches", "Runs"]
    cells = [td.get_text(" ", strip=True) for td in soup.find_all("table")[0].select("tbody td")]
    assert cells == ["2024-01-02T00:00:00+00:00", "alpha", "2", "1", "1", "0", "summary · CSV"]


def test_unreadable_and_staging_folders_are_skipped_and_counted(reports_dir):
    soup = page(write_index(reports_dir))
    assert len(run_rows(soup)) == 3
    assert "2 run folders without a readable status.json left out" in soup.get_text()
    assert "staging" not in str(soup)
    assert "3 runs of 2 notebooks: 2 succeeded, 1 failed · 1 batch" in soup.get_text()


def test_a_malformed_status_does_not_break_the_page(tmp_path):
    run = tmp_path / "nb" / "20240101T000000Z-aaaaaaaa"
    run.mkdir(parents=True)
    (run / "status.json").write_text(
        json.dumps({"status": 3, "parameters": "odd", "duration_s": "long", "error": "x"}),
        encoding="utf-8",
    )
    (tmp_path / "nb" / "other").mkdir()
    (tmp_path / "nb" / "other" / "status.json").write_text("[1, 2]", encoding="utf-8")
    rows = run_rows(page(write_index(tmp_path)))
    assert len(rows) == 1
    cells = [td.get_text(strip=True) for td in rows[0].find_all("td")]
    assert cells[:5] == ["", "nb", "3", "", "odd"]
    assert cells[6] == "folder"  # no report or notebook file, so no link to them


def test_an_empty_folder_gets_an_empty_index(tmp_path):
    soup = page(write_index(tmp_path))
    assert "No runs yet." in soup.get_text()
    assert [h.get_text() for h in soup.find_all("h2")] == ["Runs"]


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(DataFileError, match=r"reports folder '.*nope' does not exist"):
        write_index(tmp_path / "nope")
    assert not (tmp_path / "nope").exists()


def test_a_held_lock_times_out_with_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(_report_index, "_LOCK_TIMEOUT_S", 0.2)
    lock = FileLock(tmp_path / ".index.lock")
    acquired, release = threading.Event(), threading.Event()

    def hold() -> None:
        with lock:
            acquired.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        acquired.wait(10)
        with pytest.raises(DataFileError, match=r"could not lock '.*\.index\.lock' within 0\.2 s"):
            write_index(tmp_path)
    finally:
        release.set()
        holder.join()
    assert not (tmp_path / "index.html").exists()
    assert write_index(tmp_path).is_file()  # free again


def _publish_and_index(root: str, writer: int, runs: int) -> None:
    """A process finishing ``runs`` runs, rebuilding the index after each (as run_report)."""
    for number in range(runs):
        folder = f"20240101T0000{writer:02d}Z-{number:08x}"
        fake_run(Path(root), "nb", folder, started=f"2024-01-01T00:00:{writer:02d}+00:00")
        write_index(root)


def test_processes_writing_at_once_lose_no_run_and_leave_no_partial_page(tmp_path):
    writers, runs = 4, 6
    stop = threading.Event()
    partial = []

    def read_while_writing() -> None:
        while not stop.is_set():
            try:
                text = (tmp_path / "index.html").read_text(encoding="utf-8")
            except FileNotFoundError:
                continue
            if not text.endswith("</html>\n"):
                partial.append(len(text))

    reader = threading.Thread(target=read_while_writing)
    reader.start()
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_publish_and_index, args=(str(tmp_path), w, runs))
        for w in range(writers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    stop.set()
    reader.join()
    assert [p.exitcode for p in processes] == [0] * writers
    assert not partial
    rows = run_rows(page(tmp_path / "index.html"))
    assert len(rows) == writers * runs
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [".index.lock"]


def test_runs_show_only_the_parameters_that_differ_from_the_defaults(tmp_path):
    root = tmp_path / "reports"
    for folder, x in (("20240101T000000Z-aaaaaaaa", 1), ("20240102T000000Z-bbbbbbbb", 5)):
        run = fake_run(
            root,
            "nb",
            folder,
            started=f"2024-01-0{x if x < 5 else 2}T00:00:00+00:00",
            parameters={"x": x, "label": "a"},
            results={"rho": 0.123456789},
        )
        provenance = {"defaults": {"x": 1, "label": "a"}}
        (run / "provenance.json").write_text(json.dumps(provenance), encoding="utf-8")
    rows = page(write_index(root)).find_all("table")[-1].select("tbody tr")
    cells = [[td.get_text(" ", strip=True) for td in row.find_all("td")] for row in rows]
    assert [c[4] for c in cells] == ["x=5", "defaults"]  # newest first
    assert cells[0][5] == "rho=0.1235"  # key results at 4 significant digits
