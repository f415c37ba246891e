"""Time the report pipeline: one run of a trivial notebook, and a batch with 1 and 2 workers.

Targets (issue 5): (a) ``run_report`` on a one-cell notebook (parameter checks, kernel
start, execution, HTML, provenance, index) takes under 4 s, median of 5 runs; (b) a batch of
20 runs of that notebook is at least 1.7x faster with ``workers=2`` than with ``workers=1``.

The single runs are timed in this process with time.perf_counter, after one untimed first
run (which also imports papermill and nbconvert; its time is printed apart). Each step is
timed by wrapping the function that does it, so the steps add up to the run. The batches are
timed end to end (worker processes start with ``spawn``, so their imports are included).

Run from the repository root: ``.venv/bin/python benchmarks/bench_reports.py``.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from importlib import metadata
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

PAPERMILL = "papermill, in all"
PAPERMILL_PARTS = ("kernel start", "execute cells", "kernel shutdown")
PAPERMILL_REST = "papermill's own work (read, write)"
OTHER = "other (folders, status.json, copies)"
# (module, attribute, step): the functions whose time makes up a run, outermost first.
STEPS = [
    ("scrm_lab.reports", "_declared", "read notebook and declarations"),
    ("scrm_lab.reports", "effective_values", "check parameters"),
    ("papermill", "execute_notebook", PAPERMILL),
    ("nbclient.client", "NotebookClient.start_new_kernel", "kernel start"),
    ("nbclient.client", "NotebookClient.start_new_kernel_client", "kernel start"),
    ("nbclient.client", "NotebookClient.execute_cell", "execute cells"),
    ("nbclient.client", "NotebookClient._cleanup_kernel", "kernel shutdown"),
    ("scrm_lab.reports", "render_html", "render HTML (nbconvert)"),
    ("scrm_lab.reports", "_provenance", "provenance (versions, checksums)"),
    ("scrm_lab.reports", "write_index", "write index.html"),
]


def write_trivial_notebook(folder: Path) -> Path:
    """A notebook with one parameter and one code cell."""
    nb = new_notebook(cells=[new_markdown_cell("# Trivial")])
    nb.cells.append(new_code_cell("n: int = 1  # a number", metadata={"tags": ["parameters"]}))
    nb.cells.append(new_code_cell("n + 1"))
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "trivial.ipynb"
    nbformat.write(nb, path)
    return path


@contextmanager
def stopwatch(times: dict[str, float]) -> Iterator[None]:
    """Add the seconds spent in each function of STEPS to ``times[step]`` while active."""
    import importlib

    with ExitStack() as stack:
        for module_name, attribute, step in STEPS:
            owner = importlib.import_module(module_name)
            *path, name = attribute.split(".")
            for part in path:
                owner = getattr(owner, part)
            original = getattr(owner, name, None)
            if original is None:  # renamed: its time is counted in "other"
                continue

            def timed(*args, __original=original, __step=step, **kwargs):
                start = time.perf_counter()
                try:
                    return __original(*args, **kwargs)
                finally:
                    times[__step] += time.perf_counter() - start

            setattr(owner, name, functools.wraps(original)(timed))
            stack.callback(setattr, owner, name, original)
        yield


def bench_single(notebook: Path, out: Path, repeat: int) -> tuple[float, list[dict[str, float]]]:
    """Seconds of the first run, and the steps of each of ``repeat`` timed runs."""
    from scrm_lab.reports import run_report

    start = time.perf_counter()
    run_report(notebook, output_dir=out)
    first = time.perf_counter() - start
    runs = []
    for _ in range(repeat):
        times: dict[str, float] = defaultdict(float)
        with stopwatch(times):
            start = time.perf_counter()
            run_report(notebook, output_dir=out)
            times["total"] = time.perf_counter() - start
        runs.append(dict(times))
    return first, runs


def cpu_of_children() -> float:
    """CPU seconds used so far by the finished child processes (and theirs: the kernels)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_batch(notebook: Path, out: Path, runs: int, workers: int) -> tuple[float, float, int]:
    """Wall and CPU seconds of a batch of ``runs`` runs with ``workers`` workers, and its
    failed runs."""
    from scrm_lab.reports import run_batch

    cpu, start = cpu_of_children(), time.perf_counter()
    result = run_batch(notebook, {"grid": {"n": list(range(runs))}}, workers=workers,
                       output_dir=out / f"workers-{workers}")  # fmt: skip
    return time.perf_counter() - start, cpu_of_children() - cpu, result.n_failed


def machine() -> str:
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    load = ""
    if hasattr(os, "getloadavg"):
        load = " · load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    versions = ", ".join(
        f"{p} {metadata.version(p)}" for p in ("papermill", "nbclient", "nbconvert", "ipykernel")
    )
    return (
        f"machine: {platform.platform()}, {cores} cores ({usable} usable), Python "
        f"{sys.version.split()[0]}, {versions}{load}"
    )


def print_single(first: float, runs: list[dict[str, float]]) -> None:
    """The table of (a): median seconds of each step, and its share of the run."""
    total = statistics.median(r["total"] for r in runs)
    print(f"\n(a) run_report on a one-cell notebook: median of {len(runs)} runs")
    print(f"first run (imports papermill, nbconvert): {first:.2f} s")
    print(f"{'step':38} {'median_s':>8} {'share':>6}")
    steps = list(dict.fromkeys(step for *_, step in STEPS))
    accounted = [s for s in steps if s not in PAPERMILL_PARTS]
    for r in runs:
        r[PAPERMILL_REST] = r.get(PAPERMILL, 0.0) - sum(r.get(s, 0.0) for s in PAPERMILL_PARTS)
        r[OTHER] = r["total"] - sum(r.get(s, 0.0) for s in accounted)
    at = steps.index(PAPERMILL_PARTS[-1]) + 1
    steps = [*steps[:at], PAPERMILL_REST, *steps[at:], OTHER]
    for step in steps:
        seconds = statistics.median(r.get(step, 0.0) for r in runs)
        indent = "  " if step in (*PAPERMILL_PARTS, PAPERMILL_REST) else ""
        print(f"{indent + step:38} {seconds:8.3f} {seconds / total:6.1%}")
    print(f"{'total':38} {total:8.3f}  target < 4 s: {'met' if total < 4 else 'NOT met'}")
    print("every run, s: " + ", ".join(f"{r['total']:.2f}" for r in runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed single runs (median)")
    parser.add_argument("--runs", type=int, default=20, help="runs in each batch")
    parser.add_argument("--workers", default="1,2", help="batch sizes to compare, first is 1x")
    parser.add_argument("--skip-batch", action="store_true", help="only the single runs")
    args = parser.parse_args()

    print(machine())
    with tempfile.TemporaryDirectory(prefix="bench_reports-") as tmp:
        folder = Path(tmp)
        notebook = write_trivial_notebook(folder)
        first, runs = bench_single(notebook, folder / "single", args.repeat)
        print_single(first, runs)

        if args.skip_batch:
            return
        print(f"\n(b) a batch of {args.runs} runs of the same notebook")
        print(
            f"{'workers':>7} {'seconds':>8} {'s/run':>6} {'speed-up':>8} {'cpu_s':>6} "
            f"{'cpu/wall':>8} {'load_before':>11} {'failed':>6}"
        )
        base = None
        for workers in (int(w) for w in args.workers.split(",")):
            load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
            seconds, cpu, failed = bench_batch(notebook, folder, args.runs, workers)
            base = base or seconds
            print(
                f"{workers:7d} {seconds:8.2f} {seconds / args.runs:6.2f} "
                f"{base / seconds:7.2f}x {cpu:6.1f} {cpu / seconds:8.2f} {load:11.2f} "
                f"{failed:6d}"
            )
        print(
            "target: speed-up >= 1.7x with 2 workers. cpu/wall is how many cores the batch "
            "kept busy;\nbelow the worker count, other jobs were using the cores (see the load)."
        )


if __name__ == "__main__":
    main()
