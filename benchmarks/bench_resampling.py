"""Time correlate's bootstrap CI and permutation p-value against scipy called directly.

Target (issue 4): bootstrap and permutation with 10,000 resamples on n = 1,000 take no longer
than scipy.stats.bootstrap / permutation_test (vectorized) on the same data. Each variant is
timed best of ``--repeat`` runs with time.perf_counter, after one untimed warm-up run.

Run from the repository root: ``.venv/bin/python benchmarks/bench_resampling.py``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import numpy as np
import pandas as pd
import scipy
from scipy import stats

from scrm_lab.models import correlate


def _pearson(x, y, axis=-1):
    return stats.pearsonr(x, y, axis=axis).statistic


def _spearman(x, y, axis=-1):
    return _pearson(stats.rankdata(x, axis=axis), stats.rankdata(y, axis=axis), axis)


def _best(function, repeat: int) -> tuple[float, object]:
    result = function()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--resamples", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2009)
    parser.add_argument("--methods", default="pearson,spearman")
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    x = rng.normal(size=args.n)
    data = pd.DataFrame({"x": x, "y": 0.2 * x + rng.normal(size=args.n)})
    xv, yv = data["x"].to_numpy(), data["y"].to_numpy()
    statistics = {"pearson": _pearson, "spearman": _spearman}
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"pandas {pd.__version__}"
    )
    print(f"n = {args.n}, {args.resamples} resamples, best of {args.repeat}")
    print(f"{'method':9} {'procedure':13} {'correlate_s':>11} {'scipy_s':>8} {'ratio':>6}")
    for method in args.methods.split(","):
        stat = statistics[method]
        for label, ours, theirs in [
            (
                "bootstrap BCa",
                lambda m=method: correlate(data, x="x", y="y", method=m, ci="bootstrap",
                                           n_resamples=args.resamples, seed=1),
                lambda s=stat: stats.bootstrap((xv, yv), s, paired=True, vectorized=True,
                                               n_resamples=args.resamples,
                                               rng=np.random.default_rng(1)),
            ),
            (
                "permutation",
                lambda m=method: correlate(data, x="x", y="y", method=m, permutation=True,
                                           n_resamples=args.resamples, seed=1),
                lambda s=stat: stats.permutation_test((xv, yv), s, vectorized=True,
                                                      permutation_type="pairings",
                                                      n_resamples=args.resamples,
                                                      rng=np.random.default_rng(1)),
            ),
        ]:  # fmt: skip
            ours_s, _ = _best(ours, args.repeat)
            theirs_s, _ = _best(theirs, args.repeat)
            print(f"{method:9} {label:13} {ours_s:11.3f} {theirs_s:8.3f} {ours_s / theirs_s:6.2f}")


if __name__ == "__main__":
    main()
