"""Time and memory to refuse hostile inputs (issue 12, item 5: denial of service).

Each case builds a hostile input in a temporary folder, then hands it to the entry point a
user would (``read_table``, the YAML readers, ``read_grid``, ``SentimentModel.load``) in a
fresh Python process, and reports the seconds to the refusal, the error's class and the
peak memory of that process. Before issue 12 these cases took minutes, ran out of memory or
ended in a traceback; now each must end in a ``ScrmLabError`` in seconds.

Run from the repository root: ``.venv/bin/python benchmarks/bench_hostile_inputs.py``
(about a minute). ``--json out.json`` also writes the results.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from pathlib import Path

import numpy as np

# Each case: (name, how to build its file in folder, the call that must refuse it).
CHILD = """
import json, resource, sys, time
from pathlib import Path
folder = Path(sys.argv[1])
import scrm_lab.io, scrm_lab.listening, scrm_lab.reports  # imports are not timed
started = time.perf_counter()
try:
{call}
    outcome, message = "accepted", ""
except Exception as err:
    outcome, message = type(err).__name__, str(err)[:140]
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "outcome": outcome, "message": message, "peak_mib": peak}}))
"""


def wide_csv(folder: Path, columns: int) -> None:
    header = ",".join(["post_id", "brand", "channel"] + [f"x{i}" for i in range(columns)])
    row = ",".join(["1", "a", "fb"] + ["0"] * columns)
    (folder / "wide.csv").write_text(header + "\n" + row + "\n")


def gzip_bomb(folder: Path) -> None:
    with gzip.open(folder / "bomb.csv.gz", "wb", compresslevel=9) as out:
        out.write(b"post_id,brand,channel\n")
        chunk = b"0" * (1 << 24)
        for _ in range(2048 // 16 * 2):  # 4 GiB of zeros, a few MB on disk
            out.write(chunk)


def deep_jsonl(folder: Path) -> None:
    (folder / "deep.jsonl").write_text('{"post_id": ' + "[" * 100_000 + "]" * 100_000 + "}\n")


def alias_bomb(folder: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]"
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    (folder / "bomb.yaml").write_text("\n".join(lines) + "\n")


def big_yaml(folder: Path, entries: int = 400_000) -> None:
    body = "".join(f"k{i}: {i}\n" for i in range(entries))
    (folder / "big.yaml").write_text(body + "bad: [\n")


def _model_file(path: Path, coef_header: dict, coef_bytes: int) -> None:
    """A model file with every member save() writes, its coef.npy (first) hostile."""
    others = {
        "words_terms": np.array(["a"]), "chars_terms": np.array(["a"]),
        "words_idf": np.ones(1), "chars_idf": np.ones(1), "intercept": np.zeros(3),
        "calibration_coef": np.zeros((3, 3)), "calibration_intercept": np.zeros(3),
        "header": np.array(json.dumps({"version": 2})),
    }  # fmt: skip
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("coef.npy", "w", force_zip64=True) as member:
            np.lib.format.write_array_header_1_0(member, coef_header)
            chunk = b"\0" * (1 << 24)
            for _ in range(coef_bytes // len(chunk)):
                member.write(chunk)
        for name, array in others.items():
            with archive.open(f"{name}.npy", "w") as member:
                np.lib.format.write_array(member, array)


def model_bomb(folder: Path) -> None:
    header = np.lib.format.header_data_from_array_1_0(np.zeros((3, 0)))
    header["shape"] = (3, 200 * 2**20 // 24)
    _model_file(folder / "bomb.npz", header, 200 * 2**20)


def huge_npy_header(folder: Path) -> None:
    header = np.lib.format.header_data_from_array_1_0(np.zeros((3, 0)))
    header["shape"] = (3, 10**12)
    _model_file(folder / "shape.npz", header, 0)


CASES = [
    (
        "CSV header, 20,000 extra columns",
        lambda f: wide_csv(f, 20_000),
        "from scrm_lab.io import read_table\nread_table(folder / 'wide.csv', kind='posts')",
    ),
    (
        "CSV header, 1,000,000 extra columns",
        lambda f: wide_csv(f, 1_000_000),
        "from scrm_lab.io import read_table\nread_table(folder / 'wide.csv', kind='posts')",
    ),
    (
        "gzip bomb, 4 GiB of zeros",
        gzip_bomb,
        "from scrm_lab.io import read_table\nread_table(folder / 'bomb.csv.gz', kind='posts')",
    ),
    (
        "JSON line nested 100,000 deep",
        deep_jsonl,
        "from scrm_lab.io import read_table\nread_table(folder / 'deep.jsonl', kind='posts')",
    ),
    (
        "YAML alias bomb (9**9 items)",
        alias_bomb,
        "from scrm_lab.reports import read_parameters_file\n"
        "read_parameters_file(folder / 'bomb.yaml')",
    ),
    (
        "YAML of 400,000 entries, bad last",
        big_yaml,
        "from scrm_lab.reports import read_parameters_file\n"
        "read_parameters_file(folder / 'big.yaml')",
    ),
    (
        "YAML of 70,000 entries (<1 MB), bad last",
        lambda f: big_yaml(f, 70_000),
        "from scrm_lab.reports import read_parameters_file\n"
        "read_parameters_file(folder / 'big.yaml')",
    ),
    (
        "grid of 10**8 combinations",
        lambda f: None,
        "from scrm_lab.reports import read_grid\n"
        "read_grid({'grid': {'max_rows': list(range(1, 1001)), 'seed': list(range(100_000))}},"
        " 'dataset_overview')",
    ),
    (
        "model file: 200 MiB deflate bomb",
        model_bomb,
        "from scrm_lab.listening import SentimentModel\nSentimentModel.load(folder / 'bomb.npz')",
    ),
    (
        "model file: .npy header of 10**12 floats",
        huge_npy_header,
        "from scrm_lab.listening import SentimentModel\nSentimentModel.load(folder / 'shape.npz')",
    ),
]


def run_case(name: str, build, call: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(folder)
        code = CHILD.format(call=textwrap.indent(call, "    "))
        done = subprocess.run(
            [sys.executable, "-c", code, str(folder)],
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            return {
                "case": name,
                "outcome": f"crashed ({done.returncode})",
                "seconds": None,
                "peak_mib": None,
                "message": done.stderr.strip().splitlines()[-1:],
            }
        return {"case": name, **json.loads(done.stdout.strip().splitlines()[-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    print(f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    results = []
    for name, build, call in CASES:
        result = run_case(name, build, call)
        results.append(result)
        seconds = "-" if result["seconds"] is None else f"{result['seconds']:.3f}"
        peak = "-" if result["peak_mib"] is None else f"{result['peak_mib']:.0f}"
        print(f"{name:<42} {seconds:>8} s {peak:>6} MiB  {result['outcome']}: "
              f"{result['message'][:90]}", flush=True)  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
