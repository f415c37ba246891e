"""What the benchmark scripts share: the machine they ran on and the memory they used.

Imported by the scripts beside it (``python benchmarks/bench_x.py`` puts this folder on the
path), also in the fresh worker processes they start.

Examples
--------
>>> peak_mib() > 0 and rss_mib() > 0
True
>>> "cores" in machine(["numpy"])
True
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import threading
from collections.abc import Sequence
from importlib import metadata


def rss_mib() -> float:
    """Resident memory of this process now, in MiB (NaN off Linux)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # not Linux
        return float("nan")


def peak_mib() -> float:
    """Peak resident memory of this process, in MiB.

    On Linux, ``VmHWM`` of /proc/self/status: ``ru_maxrss`` would also count the parent's
    memory at the time of the fork, which Linux carries over into the child across exec.
    """
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 2**10
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def in_fresh_process(script: str, *args: str, env: dict[str, str] | None = None) -> dict:
    """Run ``python script *args`` in a new process and return the JSON its last line prints.

    A measured case runs in its own process so that its peak memory is its own; ``env``
    replaces the environment (None: this one's).
    """
    done = subprocess.run(
        [sys.executable, script, *args], check=True, capture_output=True, text=True, env=env
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine(packages: Sequence[str]) -> str:
    """Platform, CPU, cores, RAM, Python, the versions of ``packages`` and the load average."""
    try:
        with open("/proc/meminfo") as handle:
            ram = f"{int(handle.readline().split()[1]) / 2**20:.1f} GiB RAM"
    except OSError:
        ram = "RAM unknown"
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle if "model name" in line)
    except (OSError, StopIteration):
        pass
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in packages)
    load = " ".join(f"{v:.2f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"{platform.platform()}; {cpu}; {os.cpu_count()} cores; {ram}; "
        f"Python {platform.python_version()}; {versions}; load average {load}"
    )


def tree_rss_mib(pid: int | None = None) -> float:
    """Resident memory now of a process and all its descendants (a JVM it started), in MiB.

    With psutil when installed, else from /proc (NaN off Linux without psutil).
    """
    pid = os.getpid() if pid is None else pid
    try:
        import psutil
    except ImportError:
        return sum(_proc_rss_mib(p) for p in [pid, *_descendants(pid)])
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return float("nan")
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.Error:  # ended while we looked
            pass
    return total / 2**20


def children_peak_mib(pid: int | None = None) -> float:
    """Sum of the peak resident memory (``VmHWM``) of a process's descendants, in MiB."""
    total = 0.0
    for child in _descendants(os.getpid() if pid is None else pid):
        try:
            with open(f"/proc/{child}/status") as handle:
                total += next(
                    int(line.split()[1]) / 2**10 for line in handle if line.startswith("VmHWM:")
                )
        except (OSError, StopIteration):
            pass
    return total


def _proc_rss_mib(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0 if pid != os.getpid() else float("nan")


def _descendants(pid: int) -> list[int]:
    """Process ids below ``pid`` (Linux: /proc/<pid>/task/*/children)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children") as handle:
                    kids = [int(k) for k in handle.read().split()]
            except OSError:
                continue
            found.extend(kids)
            todo.extend(kids)
    return found


class TreePeak:
    """Sample the resident memory of this process and its descendants in a thread; keep the max.

    A JVM started by PySpark is a child process: ``VmHWM`` of this process does not count it.
    ``peak`` is the largest sum seen (every ``interval`` seconds) or this process's own
    ``VmHWM``, whichever is larger.

    >>> with TreePeak(0.01) as sampler:
    ...     block = bytearray(50 * 2**20)
    >>> sampler.peak >= 50
    True
    """

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.sampled = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sampled = max(self.sampled, tree_rss_mib())
            self._stop.wait(self.interval)

    def __enter__(self) -> TreePeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.sampled = max(self.sampled, tree_rss_mib())
        self._stop.set()
        self._thread.join()

    @property
    def peak(self) -> float:
        """The peak in MiB so far."""
        return max(self.sampled, tree_rss_mib(), peak_mib())


def available_mib() -> float:
    """Memory available for new work now (``MemAvailable``), in MiB (NaN if unknown)."""
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 2**10
    except OSError:
        pass
    return float("nan")
