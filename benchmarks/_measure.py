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
