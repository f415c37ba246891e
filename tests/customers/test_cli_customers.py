"""scrm-lab customers summary / fit, as a user runs them on a transactions export."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from scrm_lab import cli
from scrm_lab.datasets import load_tables
from scrm_lab.io import write_table


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    tables = load_tables("cdnow")
    ids = tables["calibration_summary"]["customer_id"]
    log = tables["transactions"]
    path = tmp_path_factory.mktemp("export") / "orders.csv"
    write_table(log[log["customer_id"].isin(ids)].rename(columns={"amount": "Spend"}), path)
    return path


def test_summary_then_fit_reproduce_the_published_cdnow_fit(export, tmp_path, capsys):
    out = tmp_path / "summary.parquet"
    dates = ["--calibration-end", "1997-09-30", "--observation-end", "1998-06-30"]
    command = ["customers", "summary", str(export), "--out", str(out), "-m", "Spend=amount"]
    status = cli.run(command + dates)
    assert status == 0 and "wrote 2357 customers" in capsys.readouterr().out
    assert len(pd.read_parquet(out)) == 2357
    assert cli.run(["customers", "fit", str(out), "--format", "csv"]) == 0
    printed = capsys.readouterr().out.splitlines()
    table = pd.read_csv(io.StringIO("\n".join(printed[:5])))
    estimates = dict(zip(table["parameter"], table["estimate"].astype(float), strict=True))
    assert estimates == pytest.approx({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426},
                                      abs=6e-4)  # fmt: skip
    assert printed[-1] == "log-likelihood -9582.43 on 2357 customers"


def test_wrong_input_exits_2_with_one_line(export, tmp_path, capsys):
    assert cli.run(["customers", "summary", str(export), "--out", str(tmp_path / "s.txt")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert cli.run(["customers", "fit", str(export), "--model", "pareto"]) == 2
    err = capsys.readouterr().err
    assert "The '--model' option must be one of bgnbd, paretonbd, gammagamma. Got 'pareto'." in err
    assert cli.run(["customers", "fit", str(export)]) == 2  # a log is not a summary
    assert "column 'frequency' is not in the data" in capsys.readouterr().err


def test_every_model_fits_from_the_command_line(export, tmp_path, capsys):
    out = tmp_path / "summary.csv"
    command = ["customers", "summary", str(export), "--out", str(out), "-m", "Spend=amount"]
    assert cli.run(command + ["--calibration-end", "1997-09-30"]) == 0
    capsys.readouterr()
    published = {"paretonbd": {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669},
                 "gammagamma": {"p": 6.25, "q": 3.74, "gamma": 15.44}}  # fmt: skip
    for model, values in published.items():
        assert cli.run(["customers", "fit", str(out), "--model", model, "--format", "csv"]) == 0
        printed = capsys.readouterr().out.splitlines()
        table = pd.read_csv(io.StringIO("\n".join(printed[: len(values) + 1])))
        estimates = dict(zip(table["parameter"], table["estimate"], strict=True))
        assert estimates == pytest.approx(values, abs=0.01)
