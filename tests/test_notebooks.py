"""Every notebook in notebooks/ runs through the report pipeline, and reruns identically (nbval)."""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from scrm_lab.reports import ReportRun, list_notebooks, run_report

SANITIZE = Path(__file__).with_name("nbval_sanitize.cfg")
NOTEBOOKS = list(list_notebooks()["name"])
#: Parameters that differ from the defaults, to keep the suite's time: method_benchmark's
#: 100 replications cost two minutes run twice; 30 run every scenario and method the same way.
SHORTER = {"method_benchmark": {"replications": 30}}


class _Runs(dict):
    """Each notebook's run, made when a test first asks for it: a test worker runs only the
    notebooks of its own tests (the module used to run them all in every worker)."""

    def __init__(self, out: Path) -> None:
        super().__init__()
        self.out = out

    def __missing__(self, name: str) -> ReportRun:
        self[name] = run_report(name, SHORTER.get(name), output_dir=self.out)
        return self[name]


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, ReportRun]:
    return _Runs(tmp_path_factory.mktemp("reports"))


def page_text(run: ReportRun) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", run.html.read_text())))


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_runs_and_reproduces_its_outputs(notebook, runs, tmp_path):
    """With its defaults (apart from SHORTER), then rerun by nbval."""
    run = runs[notebook]
    assert run.status == "succeeded" and run.html.is_file()
    # nbval re-executes the executed notebook and compares every output with the pipeline's
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider",
         "-o", "addopts=", "-q", "--nbval", "--nbval-current-env",
         "--nbval-sanitize-with", str(SANITIZE), str(run.notebook_path)],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]


def test_reproduction_report_backs_its_claims_and_labels_simulation(runs):
    text = page_text(runs["reproduce_engagementdb_2009"])
    assert "11 of 11 published scores are reproduced exactly" in text
    assert re.search(r"regression 56 56 none", text)  # every published check passes
    assert "SIMULATED" in text and "simulated" in text
    for claim in (
        "Raw gap",
        "sector and size account for",
        "sector mix alone gives",
        "Published Mavens vs published Wallflowers",
    ):
        assert claim in text


def test_listening_report_on_an_export_shows_html_as_text_and_no_handle(tmp_path):
    """An analyst's own export: a burst of negative mentions whose tweets carry HTML and
    real handles; the report lists them as text, with pseudonyms."""
    start = pd.Timestamp("2024-03-01", tz="UTC")
    rows = [  # one quiet negative mention an hour for a day, for two brands
        {"message_id": f"q{b}{h}", "brand": brand, "channel": "twitter",
         "author": f"calm_{b}_{h}", "time": start + pd.Timedelta(hours=h),
         "text": "meh", "sentiment": "negative"}
        for b, brand in enumerate(["Acme", "Globex"]) for h in range(30)
    ]  # fmt: skip
    rows += [  # then a burst for Acme
        {"message_id": f"s{i}", "brand": "Acme", "channel": "twitter",
         "author": "jane_doe_1984", "time": start + pd.Timedelta(hours=30, minutes=i),
         "text": "@jane_doe_1984 <script>alert('x')</script> <b>never again</b>",
         "sentiment": "negative"}
        for i in range(20)
    ]  # fmt: skip
    export = tmp_path / "export.csv"
    pd.DataFrame(rows).to_csv(export, index=False)
    run = run_report(
        "social_listening",
        {"path": str(export), "freq": "h", "evaluate_sentiment": False},
        output_dir=tmp_path,
    )
    page = run.html.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page or (
        "&lt;script&gt;alert('x')&lt;/script&gt;" in page
    )
    assert "<script>alert" not in page and "<b>never again</b>" not in page
    assert "jane_doe_1984" not in page and "jane_doe_1984" not in run.notebook_path.read_text()
    assert run.results["spikes"] >= 1 and run.results["messages"] == len(rows)


def test_social_customer_view_report_says_what_an_analyst_needs(runs):
    """Simulated and labelled; linkage quality against the truth; re-ingesting writes
    nothing; the added-value test finds the true effect and no gain without one."""
    text = page_text(runs["social_customer_view"])
    assert "SIMULATED population (scrm_lab.synth" in text
    f1 = float(re.search(r"at threshold 0\.5: precision [0-9.]+ .*?F1 ([0-9.]+)\.", text)[1])
    assert f1 >= 0.95
    assert re.search(r"Loading the messages a second time added 0 and revised 0", text)
    assert "social data added predictive value beyond purchase history" in text
    assert "gave no detectable out-of-sample gain over purchase history" in text
    assert "cannot tell whether social data adds value for real customers" in text


def test_social_crm_metrics_report_reads_each_family_with_its_definition(runs):
    """What a marketing analyst and a student look for: each family measured with an interval
    and its definition, the funnel read honestly, simulated parts labelled, handles hidden."""
    run = runs["social_crm_metrics"]
    text = page_text(run)
    # the conversion rate of the shipped sessions, 1,908 / 12,330, with its definition
    assert (
        "15.5% of the 12,330 sessions ended in a purchase (95% CI 14.8% to 16.1%; "
        "conversion_rate/1)"
    ) in text
    assert "highest for new (24.9%" in text and "lowest for returning (13.9%" in text
    assert "distinct rows only conversion_rate 1908 12,205" in text  # the 125 repeats
    assert "520 of the 1,908 sessions that reached 'purchased' skipped an earlier stage" in text
    for label in (
        "Search volume trends (SIMULATED)",
        "Social demographics (SIMULATED)",
        "SIMULATED. 'Simulated brand A'",
    ):
        assert label in text
    for family in ("Awareness", "Sales", "Follower quality", "Innovation", "The 5Ms"):
        assert family in text
    for tag in (
        "site_traffic/1",
        "returning_share/1",
        "funnel_step/1",
        "engaged_fan_rate/1",
        "content_acceptance/1",
        "search_interest/1",
        "audience_index/1",
    ):
        assert tag in text
    assert "Followers went from 86,909 (period 1) to 139,441 (period 12), +60.4%" in text
    assert "Monitoring" in text and "Middleware" in text and "Customer experience" in text
    assert not re.search(
        r"@(united|AmericanAir|SouthwestAir|JetBlue|USAirways|VirginAmerica)\b", text, re.IGNORECASE
    )  # example tweets are pseudonymized
    assert run.results["conversion_rate"] == pytest.approx(1_908 / 12_330)
    assert run.results["funnel_purchase_share"] == pytest.approx(1_388 / 12_330)
