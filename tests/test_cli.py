"""The scrm-lab command: exit codes, one-line errors, and the library calls it makes."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import scrm_lab.datasets
import scrm_lab.reports
from scrm_lab import __version__
from scrm_lab.cli import run
from scrm_lab.io import read_table

SCRIPTS = Path(sys.executable).parent


def test_version(capsys):
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"scrm-lab {__version__}"


def test_help_lists_the_subcommands(capsys):
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("datasets", "table", "report", "schedule", "synth"):
        assert command in out


@pytest.mark.parametrize("argv", [[sys.executable, "-m", "scrm_lab"], [str(SCRIPTS / "scrm-lab")]])
def test_both_entry_points_work_in_a_real_process(argv, tmp_path):
    result = subprocess.run(
        [*argv, "--version"], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert (result.returncode, result.stdout.strip()) == (0, f"scrm-lab {__version__}")
    bad = subprocess.run(
        [*argv, "datasets", "info", "nope"], capture_output=True, text=True, cwd=tmp_path
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert len(bad.stderr.strip().splitlines()) == 1  # one line, no traceback
    assert bad.stderr.startswith("scrm-lab: error: ")


def test_datasets_list(capsys):
    assert run(["datasets", "list", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    header = next(csv.reader(out.splitlines()))
    assert header[:7] == ["name", "title", "rows", "tables", "licence", "source", "good_for"]
    assert "cdnow" in out and "snap_ego_facebook" in out


def test_datasets_list_json(capsys):
    assert run(["datasets", "list", "--format", "json"]) == 0
    from scrm_lab.datasets import list_datasets

    assert len(json.loads(capsys.readouterr().out)) == len(list_datasets()) == 11


def test_datasets_list_unknown_format(capsys):
    assert run(["datasets", "list", "--format", "xml"]) == 2
    assert "'--format' option must be one of" in capsys.readouterr().err


def test_datasets_info_prints_provenance_licence_and_columns(capsys):
    assert run(["datasets", "info", "cdnow"]) == 0
    out = capsys.readouterr().out
    assert "licence:" in out and "MIT" in out
    assert "CDNOW_master.txt" in out  # files
    assert "customer_id" in out and "amount" in out  # columns
    assert "Fader" in out  # provenance text


def test_unknown_dataset_lists_valid_names(capsys):
    assert run(["datasets", "info", "cdnwo"]) == 2
    err = capsys.readouterr().err
    assert "cdnow" in err and "Did you mean 'cdnow'" in err


def test_table_schema(capsys):
    assert run(["table", "schema", "messages"]) == 0
    assert "reply_to" in capsys.readouterr().out
    assert run(["table", "schema", "mesages"]) == 2
    assert "Did you mean 'messages'" in capsys.readouterr().err


@pytest.fixture
def brands_csv(tmp_path):
    path = tmp_path / "brands.csv"
    path.write_text("Brand;Sector\nNike;Apparel\nSAP;Technology\n")
    return path


def test_table_check_good_file(brands_csv, capsys):
    assert (
        run(
            [
                "table",
                "check",
                str(brands_csv),
                "--kind",
                "brands",
                "-m",
                "Brand=brand",
                "-m",
                "Sector=sector",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "a valid 'brands' table, 2 rows" in out and "sep ';'" in out


def test_table_check_bad_file_is_one_line_exit_2(brands_csv, capsys):
    assert run(["table", "check", str(brands_csv), "--kind", "brands"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "missing required column(s) 'brand'" in err and "Did you mean 'Brand'" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["table", "check", "missing.csv", "--kind", "brands"], "does not exist"),
        (["table", "check", "{csv}", "--kind", "brands", "-m", "Brand"], "NAME_IN_FILE=CANONICAL"),
        (["table", "check", "{csv}", "--kind", "brand"], "Did you mean 'brands'"),
        (["table", "convert", "{csv}", "out.txt", "--kind", "brands"], "must end in .parquet"),
    ],
)
def test_table_user_errors(argv, message, brands_csv, capsys):
    argv = [a.replace("{csv}", str(brands_csv)) for a in argv]
    assert run(argv) == 2
    assert message in capsys.readouterr().err


def test_table_convert_writes_the_validated_table(brands_csv, tmp_path):
    out = tmp_path / "brands.parquet"
    assert (
        run(
            [
                "table",
                "convert",
                str(brands_csv),
                str(out),
                "--kind",
                "brands",
                "-m",
                "Brand=brand",
                "-m",
                "Sector=sector",
            ]
        )
        == 0
    )
    expected = read_table(brands_csv, kind="brands", columns={"Brand": "brand", "Sector": "sector"})
    written = pd.read_parquet(out)
    pd.testing.assert_frame_equal(written, expected, check_dtype=False)


PRESET_TWEETS = Path(__file__).parent / "fixtures" / "presets" / "x_api_v2_tweets.jsonl"


def test_table_check_and_convert_with_a_preset(capsys, tmp_path):
    argv = ["table", "check", str(PRESET_TWEETS), "--preset", "x_api_v2", "--brand", "Acme"]
    assert run(argv) == 0
    out = capsys.readouterr().out
    assert "a valid 'messages' table, 5 rows" in out and "like_count" in out
    out_file = tmp_path / "tweets.parquet"
    argv = ["table", "convert", str(PRESET_TWEETS), str(out_file), "--preset", "x_api_v2",
            "--brand", "Acme"]  # fmt: skip
    assert run(argv) == 0
    assert "wrote 5 rows of 'messages'" in capsys.readouterr().out
    expected = read_table(PRESET_TWEETS, preset="x_api_v2", brand="Acme")
    pd.testing.assert_frame_equal(pd.read_parquet(out_file), expected, check_dtype=False)
    assert run(["table", "presets", "--format", "csv"]) == 0
    presets = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert presets["preset"].tolist() == ["x_api_v2", "meta_post_insights", "listening_export"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--preset", "x_api_v3"],
            r"'preset' parameter of read_table must be one of .*Did you "
            r"mean 'x_api_v2'\?",
        ),
        ([], r"'kind' parameter of read_table must be a table name .* when no preset is given"),
        (["--preset", "x_api_v2"], r"missing required column\(s\) 'brand'.*pass brand="),
        (
            ["--preset", "x_api_v2", "--kind", "posts", "--brand", "A"],
            r"must be 'messages', the table preset='x_api_v2' produces",
        ),
    ],
)
def test_table_preset_errors_are_one_line_exit_2(extra, message, capsys, tmp_path):
    out_file = tmp_path / "out.csv"
    assert run(["table", "convert", str(PRESET_TWEETS), str(out_file), *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and re.search(message, err), err
    assert not out_file.exists()


def test_table_convert_refused_input_writes_nothing(brands_csv, tmp_path):
    out = tmp_path / "brands.parquet"
    assert run(["table", "convert", str(brands_csv), str(out), "--kind", "brands"]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brands.csv"]


def test_usage_errors_exit_2(capsys):
    assert run(["datasets", "frobnicate"]) == 2
    assert run(["table", "check"]) == 2  # missing argument
    assert "Usage" in capsys.readouterr().err


def test_internal_error_exits_1(monkeypatch, capsys):
    def broken():
        raise RuntimeError("kaboom")

    monkeypatch.setattr(scrm_lab.datasets, "list_datasets", broken)
    assert run(["datasets", "list"]) == 1
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: kaboom" in err and "bug" in err


def test_report_run_passes_typed_parameters(monkeypatch, tmp_path, capsys):
    calls = []

    class Run:
        status = "succeeded"
        html = tmp_path / "r.html"

    def fake_run_report(notebook, parameters, **kwargs):
        calls.append((notebook, parameters, kwargs))
        return Run()

    monkeypatch.setattr(scrm_lab.reports, "run_report", fake_run_report)
    argv = [
        "report",
        "run",
        "dataset_overview",
        "-p",
        "dataset",
        "cdnow",
        "-p",
        "max_rows",
        "5",
        "-p",
        "table",
        "",
        "--output-dir",
        str(tmp_path),
        "--no-progress",
    ]
    assert run(argv) == 0
    assert calls == [
        (
            "dataset_overview",
            {"dataset": "cdnow", "max_rows": 5, "table": ""},
            {"output_dir": tmp_path, "timeout": 600, "progress": False},
        )
    ]
    assert "succeeded" in capsys.readouterr().out


def test_synth_brand_panel_writes_tables_and_truth(tmp_path):
    out = tmp_path / "sim"
    assert (
        run(
            [
                "synth",
                "brand-panel",
                "--out",
                str(out),
                "--n-brands",
                "10",
                "--n-periods",
                "4",
                "--effect",
                "0.1",
                "--seed",
                "3",
            ]
        )
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == [
        "brands.csv",
        "channel_activity.csv",
        "financials.csv",
        "latent.csv",
        "truth.json",
    ]
    assert json.loads((out / "truth.json").read_text())["effect"] == 0.1
    financials = read_table(out / "financials.csv", kind="financials")
    assert len(financials) == 40


def test_synth_bad_parameter_writes_nothing(tmp_path, capsys):
    out = tmp_path / "sim"
    assert run(["synth", "brand-panel", "--out", str(out), "--n-brands", "0"]) == 2
    assert "'n_brands' parameter" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_synth_refuses_an_existing_folder(tmp_path, capsys):
    (tmp_path / "sim").mkdir()
    assert run(["synth", "graph", "--out", str(tmp_path / "sim")]) == 2
    assert "already exists" in capsys.readouterr().err


def test_synth_customers_and_graph(tmp_path):
    assert (
        run(
            [
                "synth",
                "customers",
                "--out",
                str(tmp_path / "c"),
                "--n-customers",
                "50",
                "--days",
                "30",
            ]
        )
        == 0
    )
    assert (tmp_path / "c" / "transactions.csv").exists()
    assert run(["synth", "graph", "--out", str(tmp_path / "g"), "--n-nodes", "100"]) == 0
    edges = read_table(tmp_path / "g" / "edges.csv", kind="edges")
    assert len(edges) > 100


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", "dataset"], "takes NAME VALUE"),
        (["dataset", "cdnow"], "Unexpected argument 'dataset'"),
    ],
)
def test_report_run_bad_parameter_syntax(args, message, monkeypatch, capsys):
    monkeypatch.setattr(scrm_lab.reports, "run_report", lambda *a, **k: pytest.fail("ran"))
    assert run(["report", "run", "dataset_overview", *args]) == 2
    assert message in capsys.readouterr().err


# ----------------------------------------------------------------------------- bench


def test_bench_passes_the_flags_to_run_benchmark(monkeypatch, tmp_path, capsys):
    import scrm_lab.bench

    calls = []
    real = scrm_lab.bench.run_benchmark

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(scrm_lab.bench, "run_benchmark", spy)
    out = tmp_path / "summary.csv"
    argv = ["bench", "--replications", "2", "--workers", "1", "--seed", "5", "--scenario",
            "null", "--method", "raw_correlation", "--method", "lead_lag", "--out", str(out),
            "--no-progress"]  # fmt: skip
    assert run(argv) == 0
    assert calls == [
        {"scenarios": ["null"], "methods": ["raw_correlation", "lead_lag"], "replications": 2,
         "alpha": 0.05, "seed": 5, "workers": 1, "progress": False}
    ]  # fmt: skip
    printed = capsys.readouterr().out
    assert printed.splitlines()[0].split()[:3] == ["scenario", "n_brands", "n_periods"]
    written = pd.read_csv(out, keep_default_na=False, na_values=[""])
    expected = real(scenarios=["null"], methods=["raw_correlation", "lead_lag"],
                    replications=2, workers=1, seed=5).summary  # fmt: skip
    assert list(written.columns) == list(expected.columns) and len(written) == 8
    pd.testing.assert_frame_equal(
        written.drop(columns="failures"), expected.drop(columns="failures"), check_dtype=False
    )
    assert [p.name for p in tmp_path.iterdir()] == ["summary.csv"]  # no temporary file left


def test_bench_unknown_method_or_scenario_exits_2(tmp_path, capsys):
    out = tmp_path / "summary.csv"
    argv = ["bench", "--replications", "1", "--workers", "1", "--no-progress", "--out", str(out)]
    assert run([*argv, "--method", "fixed_effect_panel"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("scrm-lab: error: ") and len(err.strip().splitlines()) == 1
    assert "Did you mean 'fixed_effects_panel'" in err
    assert run([*argv, "--scenario", "reverse_causality"]) == 2
    assert "Did you mean 'reverse'" in capsys.readouterr().err
    assert run([*argv, "--replications", "0"]) == 2
    assert "'replications'" in capsys.readouterr().err
    assert not out.exists()


# ------------------------------------------------------------------ report: params, -f, exits


def test_report_params_reads_like_help(capsys):
    assert run(["report", "params", "dataset_overview"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Usage: scrm-lab report run dataset_overview [-p NAME VALUE]...")
    assert re.search(r"max_rows\s+int in \[1, 1000\]\n\s+default: 10\n\s+rows of raw data", out)
    assert "pseudonym_salt  secret str" in out and "SCRM_LAB_SECRET_PSEUDONYM_SALT" in out
    assert run(["report", "params", "dataset_overview", "--format", "csv"]) == 0
    header = next(csv.reader(capsys.readouterr().out.splitlines()))
    assert header == ["name", "type", "default", "allowed", "secret", "help"]


def test_report_run_reads_a_parameters_file_and_p_overrides_it(monkeypatch, tmp_path, capsys):
    calls = []

    class Run:
        status = "succeeded"
        html = tmp_path / "r.html"

    monkeypatch.setattr(scrm_lab.reports, "run_report", lambda nb, p, **k: calls.append(p) or Run())
    values = tmp_path / "p.yaml"
    values.write_text("dataset: cdnow\nmax_rows: 3\nshow_handles: true\n")
    argv = ["report", "run", "dataset_overview", "-f", str(values), "-p", "max_rows", "7"]
    assert run(argv) == 0
    assert calls == [{"dataset": "cdnow", "max_rows": 7, "show_handles": True}]
    assert run(["report", "run", "dataset_overview", "-f", str(tmp_path / "no.yaml")]) == 2
    assert "parameters file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", "max_rws", "5"], "no parameter 'max_rws'; .* Did you mean 'max_rows'"),
        (["-p", "max_rows", "0"], r"'max_rows' of notebook 'dataset_overview' must be in \[1"),
        (["-p", "max_rows", "ten"], r"must be int in \[1, 1000\]\. Got 'ten' on the command"),
        (["-p", "dataset", "cdnoww"], r"Got 'cdnoww' \(str\) instead\. Did you mean 'cdnow'"),
    ],
)
def test_report_run_refuses_bad_values_before_any_kernel(args, message, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["report", "run", "dataset_overview", *args, "--output-dir", str(out)]) == 2
    err = capsys.readouterr().err
    assert re.search(message, err) and err.count("\n") == 1
    assert not out.exists()


def test_a_failing_notebook_exits_3_with_the_cell_and_error(tmp_path, capsys):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("n: int = 1  # a number", metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell("raise KeyError('gone')"),
        ]
    )
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    assert run(["report", "run", str(path), "--output-dir", str(tmp_path), "--no-progress"]) == 3
    err = capsys.readouterr().err
    assert "report failed: notebook 'broken' failed at cell 1: KeyError" in err


def test_report_batch_passes_options_and_exits_3_when_a_run_failed(monkeypatch, tmp_path, capsys):
    calls = []

    class Result:
        n_runs, n_failed = 4, 1
        html, csv = tmp_path / "summary.html", tmp_path / "summary.csv"

    def fake_run_batch(notebook, grid, **kwargs):
        calls.append((notebook, grid, kwargs))
        return Result()

    monkeypatch.setattr(scrm_lab.reports, "run_batch", fake_run_batch)
    grid = tmp_path / "grid.yaml"
    argv = ["report", "batch", "dataset_overview", "--grid", str(grid), "--workers", "3"]
    assert run([*argv, "--no-progress"]) == 3
    assert calls == [
        (
            "dataset_overview",
            grid,
            {"workers": 3, "output_dir": Path("reports"), "timeout": 600, "progress": False},
        )
    ]
    captured = capsys.readouterr()
    assert "3 of 4 runs succeeded" in captured.out and "1 run(s) failed" in captured.err
    Result.n_failed = 0
    assert run([*argv, "--no-progress"]) == 0


def test_schedule_commands(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(Path(__file__).parent.parent)  # the project's schedules.yaml
    assert run(["schedule", "list", "--file", "schedules.yaml", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert next(csv.reader(out.splitlines()))[:4] == ["name", "notebook", "cron", "next_run"]
    assert "weekly-engagement" in out
    target = tmp_path / "crontab.txt"
    assert run(["schedule", "export", "--format", "cron", "--out", str(target)]) == 0
    assert "schedule run weekly-engagement" in target.read_text()
    assert run(["schedule", "export", "--format", "cronn"]) == 2
    assert "cronn" in capsys.readouterr().err
    assert run(["schedule", "run", "no-such-job"]) == 2
    assert "no-such-job" in capsys.readouterr().err
