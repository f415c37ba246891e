"""Reports opened in headless Chromium: they load nothing, show their figures, run no data.

Chromium is Debian's ``chromium`` package at /usr/bin/chromium, driven by Playwright. Without
it these tests are skipped, or fail when SCRM_LAB_REQUIRE_BROWSER=1 (as in CI). Full-page
screenshots are saved in the test's tmp_path and copied to tests/artifacts/ (not in git).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Page, sync_playwright

from scrm_lab.reports import ReportRun, run_report

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parents[1] / "artifacts"
HOSTILE = Path(__file__).parents[1] / "fixtures" / "hostile_tweets.ipynb"
FIGURE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, offline-minded (no background networking)."""
    if not CHROMIUM.exists():
        reason = (
            f"headless Chromium not found at {CHROMIUM}: install Debian's 'chromium' package "
            "(apt-get install chromium) to run the browser tests"
        )
        if os.environ.get("SCRM_LAB_REQUIRE_BROWSER") == "1":
            pytest.fail(f"SCRM_LAB_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """A report opened in the browser, with what went wrong while it loaded."""

    page: Page
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        """No script error, no console error, no failed request, nothing beyond file://."""
        assert self.page_errors == []
        assert self.console_errors == []
        assert self.failed_requests == []
        assert [url for url in self.requests if not url.startswith(("file://", "data:"))] == []


def visit(browser, run: ReportRun, screenshot: Path) -> Visit:
    """Open the run's HTML, wait for it to load, save a full-page screenshot."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    seen = Visit(page)

    def console(message) -> None:
        if message.type == "error":
            seen.console_errors.append(message.text)

    page.on("pageerror", lambda error: seen.page_errors.append(str(error)))
    page.on("console", console)
    page.on("requestfailed", lambda r: seen.failed_requests.append(f"{r.url}: {r.failure}"))
    page.on("request", lambda request: seen.requests.append(request.url))
    page.goto(run.html.as_uri(), wait_until="load")
    page.screenshot(path=str(screenshot), full_page=True)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(screenshot, ARTIFACTS / screenshot.name)
    return seen


def figure_outputs(run: ReportRun) -> int:
    """How many outputs of the executed notebook are figures."""
    nb = nbformat.read(run.notebook_path, as_version=4)
    return sum(
        any(mime in output.get("data", {}) for mime in FIGURE_TYPES)
        for cell in nb.cells
        for output in cell.get("outputs", [])
    )


@pytest.fixture(scope="module")
def overview(browser, tmp_path_factory) -> tuple[ReportRun, Visit]:
    """dataset_overview on the shipped films (figures and tables), open in the browser."""
    out = tmp_path_factory.mktemp("browser")
    run = run_report("dataset_overview", {"max_rows": 5}, output_dir=out / "reports")
    return run, visit(browser, run, out / "dataset_overview.png")


def test_overview_report_loads_offline_with_every_figure(overview):
    run, seen = overview
    seen.assert_clean()
    images = seen.page.eval_on_selector_all(
        "img", "imgs => imgs.map(i => ({complete: i.complete, width: i.naturalWidth, alt: i.alt}))"
    )
    assert len(images) == figure_outputs(run) >= 3
    assert all(i["complete"] and i["width"] > 0 for i in images), images
    assert [i["alt"].split(" (")[0] for i in images] == [
        f"Figure {n}" for n in range(1, len(images) + 1)
    ]
    assert seen.page.locator("script").count() == 0


def test_overview_report_shows_header_tables_and_no_code(overview):
    run, seen = overview
    page = seen.page
    assert page.eval_on_selector("main", "m => m.firstElementChild.className") == "scrm-header"
    rows = page.locator("main > .scrm-header tr").all_inner_texts()
    assert rows[0].startswith("Notebook\tdataset_overview")
    assert "Status\tsucceeded" in rows
    assert "max_rows\t5\tgiven" in rows
    assert 'dataset\t"csm_movies_social_boxoffice"\tdefault' in rows
    code = ".jp-CodeCell .jp-InputArea, .jp-CodeCell .jp-InputPrompt, .jp-CodeCell .highlight"
    assert page.locator(code).count() == 0
    assert "load_dataset(" not in page.inner_text("main")
    assert page.locator("main table").count() >= 4  # columns, first rows, profile, correlations
    # Styler's scoped sheets still apply: text columns of style_table are left-aligned.
    first_cell = page.locator("main table[id^='T_'] td").first
    assert first_cell.evaluate("td => getComputedStyle(td).textAlign") == "left"


def test_hostile_tweets_show_as_text_and_run_nothing(browser, tmp_path):
    run = run_report(HOSTILE, {"rows": 2}, output_dir=tmp_path / "reports")
    seen = visit(browser, run, tmp_path / "hostile_tweets.png")
    seen.assert_clean()
    page = seen.page
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.locator("main script, main img, main [onerror]").count() == 0
    outputs = page.locator("main .jp-OutputArea-output").all_inner_texts()
    # DataFrame, Styler, style_table, Markdown, HTML, print: each shows the tweet as text.
    assert len(outputs) == 6
    for text in outputs:
        assert "<script>window.__pwned = 1" in text
    for text in outputs[1:]:  # the DataFrame cuts long text at 50 characters
        assert '<img src=x onerror="window.__pwned=2">' in text


def test_a_lesson_page_shows_its_code_checks_and_figure(browser, tmp_path):
    """A lesson rendered as a report: code shown (students learn from it), verdicts in green."""
    from scrm_lab.lessons import lesson_questions, run_lesson

    run = run_lesson(1, "es", "solution", output_dir=tmp_path / "reports")
    seen = visit(browser, run, tmp_path / "lesson1_es.png")
    seen.assert_clean()
    page = seen.page
    assert page.locator("main .jp-CodeCell .jp-InputArea .highlight").count() >= 10
    assert "rfm = rfm_summary(purchases)" in page.inner_text("main")
    assert "injected-parameters" not in page.content()  # the run's own cells stay out
    verdicts = page.locator("main .jp-OutputArea-output div[style*='border-left']")
    assert verdicts.all_inner_texts() == [f"✔ {key}: ¡correcto!" for key in lesson_questions(1)]
    assert verdicts.first.evaluate("d => getComputedStyle(d).borderLeftColor") == (
        "rgb(26, 127, 55)"
    )
    images = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
    assert len(images) == figure_outputs(run) >= 1 and all(w > 0 for w in images)
