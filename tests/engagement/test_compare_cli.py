"""The `scrm-lab engagement compare` command: the library call it makes, what it prints, and
one line with exit status 2 on a bad description."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import scrm_lab.engagement
from scrm_lab.cli import run
from scrm_lab.engagement import EXAMPLE_DESCRIPTION, compare_brand


def test_compare_passes_the_flags_to_compare_brand(monkeypatch, tmp_path, capsys):
    calls = []
    real = compare_brand

    def spy(description, **kwargs):
        calls.append((description, kwargs))
        return real(EXAMPLE_DESCRIPTION, k=kwargs["k"])

    monkeypatch.setattr(scrm_lab.engagement, "compare_brand", spy)
    peers = tmp_path / "peers.csv"
    argv = ["engagement", "compare", "mine.yaml", "--rubric", "engagementdb_2009",
            "--peers", str(peers), "--breadth-cut", "6", "--k", "2"]  # fmt: skip
    assert run(argv) == 0
    assert calls == [
        (Path("mine.yaml"), {"rubric": "engagementdb_2009", "peers": peers, "breadth_cut": 6,
                             "k": 2})
    ]  # fmt: skip
    assert "Nearest peers: Kellogg's" in capsys.readouterr().out


def test_compare_prints_the_placement(capsys):
    assert run(["engagement", "compare", str(EXAMPLE_DESCRIPTION)]) == 0
    out = capsys.readouterr().out
    expected = compare_brand(EXAMPLE_DESCRIPTION).placement.iloc[0]
    for text in (
        f"Example Coffee Co.: score {expected['score']}, breadth {expected['breadth']} channels",
        f"Rank {expected['rank']} of 101",
        f"percentile {expected['percentile']:.1f}",
        f"Profile: {expected['profile_regression_rule']} under the regression rule",
        f"{expected['profile_mean_rule']} under the mean rule",
        "Nearest peers:",
        "Changes that add the most points:",
        "To become Selective",
        "Caveat: The peers' channel data are a reconstruction",
    ):
        assert text in out


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("brand: X\nchannels:\n  facebook: {present: true}\n", "unknown channel 'facebook'"),
        (
            "brand: X\nchannels:\n  twitter: {present: true, freshnes: 1}\n",
            "channel 'twitter': unknown attribute 'freshnes'",
        ),
        ("brand: X\nchannels:\n  twitter: {present: true, freshness: 7}\n", "'freshness': level 7"),
        ("brand: X\nchannels:\n  twitter: {present: true}\n  twitter: {}\n", "'twitter'"),
    ],
)
def test_a_bad_description_exits_2_with_one_line_naming_the_channel(tmp_path, capsys, text, named):
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    assert run(["engagement", "compare", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip()
    assert err.startswith("scrm-lab: error: brand description") and "\n" not in err
    assert named in err


def test_a_missing_file_exits_2(tmp_path, capsys):
    assert run(["engagement", "compare", str(tmp_path / "none.yaml")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_compare_in_a_real_process(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "scrm_lab", "engagement", "compare",
         str(EXAMPLE_DESCRIPTION.with_suffix(".csv"))],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Example Coffee Co.: score 30")
