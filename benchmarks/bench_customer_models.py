"""Benchmark: the customer-base models' fits on CDNOW beside lifetimes, and on a million
simulated customers.

Targets: the BG/NBD fit on the CDNOW calibration summary (2,357 customers) takes under
0.5 s, timed beside lifetimes 0.11.3 (the archived reference implementation, a test-only
dependency); on 1,000,000 customers simulated from a BG/NBD with known parameters, the fit
takes under 20 s and 2 GiB, and every parameter lands within two standard errors of the
truth.

Cases (``--cases``), each run in a fresh Python process so that its peak memory is its own:

- ``cdnow_bgnbd``, ``cdnow_pareto``, ``cdnow_gg``: ``BGNBD``, ``ParetoNBD``, ``GammaGamma``
  fitted on the shipped CDNOW summary (the gamma-gamma model on its 946 repeat customers);
- ``cdnow_bgnbd_lifetimes``, ``cdnow_pareto_lifetimes``, ``cdnow_gg_lifetimes``: lifetimes'
  ``BetaGeoFitter``, ``ParetoNBDFitter`` (from a start of ones: its default start is
  random around one) and ``GammaGammaFitter`` on the same data, one row per customer, as
  its users call them. Its log-likelihood is its own objective evaluated on the summary in
  weeks at its optimum (it fits on time rescaled to a largest T of 1);
- ``sim_bgnbd``: ``--customers`` customers simulated here from the BG/NBD story (see
  :func:`simulate_bgnbd`; no scrm_lab code), fitted with ``BGNBD``;
- ``sim_pareto``: the same for the Pareto/NBD story (:func:`simulate_pareto`), ``ParetoNBD``.

Each case loads its data (not timed), runs ``--warmup`` untimed fits, then times
``--repeat`` fits with ``time.perf_counter`` and keeps the best. ``--blas-threads 1`` sets the
BLAS thread count of the cases' processes: scipy's L-BFGS-B calls BLAS on tiny matrices, and
with OpenBLAS's threads on a busy machine a CDNOW fit can take several times longer. Peak
memory is ``VmHWM`` of /proc/self/status (``ru_maxrss`` where that is missing): on Linux,
``ru_maxrss`` of a child also counts the memory its parent had at the fork, which exec
carries over. The simulation
happens in the parent, is written to a temporary ``.npz`` and is not timed.

Run from the repository root::

    .venv/bin/python benchmarks/bench_customer_models.py                    # ~1-2 minutes
    .venv/bin/python benchmarks/bench_customer_models.py --cases cdnow_bgnbd,cdnow_bgnbd_lifetimes
    .venv/bin/python benchmarks/bench_customer_models.py --customers 1e5 --seed 7 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from _measure import in_fresh_process, machine, peak_mib, rss_mib

#: The package versions printed with the machine.
PACKAGES = ("scrm_lab", "numpy", "scipy", "pandas", "lifetimes", "autograd")

#: case -> (data, model, implementation)
CASES = {
    "cdnow_bgnbd": ("CDNOW", "BG/NBD", "scrm_lab"),
    "cdnow_bgnbd_lifetimes": ("CDNOW", "BG/NBD", "lifetimes"),
    "cdnow_pareto": ("CDNOW", "Pareto/NBD", "scrm_lab"),
    "cdnow_pareto_lifetimes": ("CDNOW", "Pareto/NBD", "lifetimes"),
    "cdnow_gg": ("CDNOW", "gamma-gamma", "scrm_lab"),
    "cdnow_gg_lifetimes": ("CDNOW", "gamma-gamma", "lifetimes"),
    "sim_bgnbd": ("simulated", "BG/NBD", "scrm_lab"),
    "sim_pareto": ("simulated", "Pareto/NBD", "scrm_lab"),
}
#: the simulations' true parameters (weeks): the published CDNOW fits
TRUTH = {
    "sim_bgnbd": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426},
    "sim_pareto": {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669},
}
CALIBRATION_DAYS = 273  # 39 weeks, as CDNOW's calibration period
COHORT_DAYS = 84  # first purchases spread over the first 12 weeks, as CDNOW's cohort


# ----------------------------------------------------------------------- the simulations


def _ages(n: int, rng: np.random.Generator) -> np.ndarray:
    """T in weeks: a first purchase on a uniform day of the 12-week cohort, observed to the
    end of week 39 (T from 27.1 to 39 weeks)."""
    return (CALIBRATION_DAYS - rng.integers(0, COHORT_DAYS, n)) / 7.0


def _summary(x: np.ndarray, t_x: np.ndarray, T: np.ndarray, exact: bool) -> dict:
    if not exact:  # transaction dates are days: recency to the day, as in CDNOW
        t_x = np.minimum(np.round(t_x * 7.0) / 7.0, T)
    return {"frequency": x, "recency": t_x, "T": T}


def simulate_bgnbd(n: int, params: dict, rng: np.random.Generator, *, exact: bool = False):
    """The BG/NBD story, vectorised over customers: lambda ~ Gamma(r, rate alpha), p ~
    Beta(a, b); from the first purchase at 0, interpurchase times are Exponential(lambda);
    each repeat purchase before T is counted, after which the customer drops out with
    probability p. Each step advances every customer still buying by one purchase."""
    lam = rng.gamma(params["r"], 1.0 / params["alpha"], n)
    p = rng.beta(params["a"], params["b"], n)
    T = _ages(n, rng)
    x, t_x, clock = np.zeros(n, dtype=np.int64), np.zeros(n), np.zeros(n)
    buying = np.arange(n)
    while buying.size:
        clock[buying] += rng.exponential(1.0 / lam[buying])
        buying = buying[clock[buying] <= T[buying]]
        x[buying] += 1
        t_x[buying] = clock[buying]
        buying = buying[rng.random(buying.size) >= p[buying]]  # dropped out after it
    return _summary(x, t_x, T, exact)


def simulate_pareto(n: int, params: dict, rng: np.random.Generator, *, exact: bool = False):
    """The Pareto/NBD story, vectorised: lambda ~ Gamma(r, rate alpha), mu ~ Gamma(s, rate
    beta); a customer lives an Exponential(mu) lifetime from the first purchase and, while
    alive and before T, buys with Exponential(lambda) interpurchase times."""
    lam = rng.gamma(params["r"], 1.0 / params["alpha"], n)
    mu = rng.gamma(params["s"], 1.0 / params["beta"], n)
    T = _ages(n, rng)
    end = np.minimum(rng.exponential(1.0 / mu), T)
    x, t_x, clock = np.zeros(n, dtype=np.int64), np.zeros(n), np.zeros(n)
    buying = np.arange(n)
    while buying.size:
        clock[buying] += rng.exponential(1.0 / lam[buying])
        buying = buying[clock[buying] <= end[buying]]
        x[buying] += 1
        t_x[buying] = clock[buying]
    return _summary(x, t_x, T, exact)


# ----------------------------------------------------------------------------- one case


def _cdnow() -> pd.DataFrame:
    from scrm_lab.datasets import load_dataset

    return load_dataset("cdnow", table="calibration_summary").rename(
        columns={"age": "T", "mean_repeat_value": "monetary_value"}
    )


def _lifetimes():
    with warnings.catch_warnings():  # it predates pandas 3: a deprecated option on import
        warnings.filterwarnings("ignore", message="The 'mode.chained_assignment' option")
        import lifetimes
    return lifetimes


def _prepare(case: str, data: Path | None):
    """``(fit, describe)``: a function that fits once and one that reads the fitted model
    into ``{"params", "log_likelihood", "standard_errors"}``."""
    from scrm_lab.customers import BGNBD, GammaGamma, ParetoNBD

    if case.startswith("sim_"):
        with np.load(data) as arrays:
            summary = pd.DataFrame({k: arrays[k] for k in ("frequency", "recency", "T")})
    else:
        summary = _cdnow()
    repeat = summary[summary["frequency"] > 0]
    if not case.endswith("_lifetimes"):
        model = {"bgnbd": BGNBD, "pareto": ParetoNBD, "gg": GammaGamma}[case.split("_")[1]]

        def describe(fitted) -> dict:
            return {
                "params": fitted.params_,
                "log_likelihood": fitted.log_likelihood_,
                "standard_errors": fitted.standard_errors_,
                "distinct_rows": int(len(summary.drop_duplicates(list(summary.columns)[:3]))),
            }

        return (lambda: model().fit(summary)), describe
    lifetimes = _lifetimes()
    x, t_x, T = summary["frequency"], summary["recency"], summary["T"]
    weeks = [summary[c].to_numpy(float) for c in ("frequency", "recency", "T")]
    ones = np.ones(len(summary))
    if case == "cdnow_bgnbd_lifetimes":

        def fit():
            return lifetimes.BetaGeoFitter().fit(x, t_x, T)

        def log_likelihood(params):  # its objective is the mean, in log parameters
            nll = lifetimes.BetaGeoFitter._negative_log_likelihood
            return -nll(np.log(params), weeks[0].astype(int), *weeks[1:], ones, 0.0) * len(ones)
    elif case == "cdnow_pareto_lifetimes":

        def fit():
            return lifetimes.ParetoNBDFitter().fit(x, t_x, T, initial_params=np.ones(4))

        def log_likelihood(params):  # its objective is the sum, in natural parameters
            nll = lifetimes.ParetoNBDFitter._negative_log_likelihood
            return -nll(params, weeks[0].astype(int), *weeks[1:], ones, 0.0)
    else:
        m = repeat["monetary_value"]

        def fit():
            return lifetimes.GammaGammaFitter().fit(repeat["frequency"], m)

        def log_likelihood(params):  # the mean, in log parameters
            nll = lifetimes.GammaGammaFitter._negative_log_likelihood
            f, w = repeat["frequency"].to_numpy(float), np.ones(len(repeat))
            return -nll(np.log(params), f, m.to_numpy(float), w, 0.0) * len(w)

    def describe(fitted) -> dict:
        params = fitted.params_.to_numpy(dtype=float)
        errors = getattr(fitted, "standard_errors_", None)  # ParetoNBDFitter has none
        return {
            "params": dict(zip(fitted.params_.index, params.tolist(), strict=True)),
            "log_likelihood": float(log_likelihood(params)),
            "standard_errors": None if errors is None else errors.to_dict(),
        }

    return fit, describe


def worker(case: str, data: Path | None, repeat: int, warmup: int) -> dict:
    """Fit one case ``warmup`` + ``repeat`` times in this (fresh) process; time the last
    ``repeat`` fits."""
    fit, describe = _prepare(case, data)
    loaded = rss_mib()
    for _ in range(warmup):
        fit()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fitted = fit()
        times.append(time.perf_counter() - start)
    peak = peak_mib()  # before describe(), which is not part of the fit
    return {"seconds": min(times), "all": times, "loaded_mb": loaded, "peak_mb": peak,
            **describe(fitted)}  # fmt: skip


# -------------------------------------------------------------------------------- report


def _params(values: dict) -> str:
    return " ".join(f"{k}={v:.4f}" for k, v in values.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=float, default=1_000_000, help="simulated (1e6)")
    parser.add_argument("--seed", type=int, default=2005, help="of the simulations (2005)")
    parser.add_argument("--repeat", type=int, default=3, help="timed fits per case (best of)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed fits first (default 1)")
    parser.add_argument(
        "--exact-times",
        action="store_true",
        help="keep simulated recency exact (default: to the day, as CDNOW's)",
    )
    parser.add_argument(
        "--cases", default=",".join(CASES), help=f"comma-separated subset of {', '.join(CASES)}"
    )
    parser.add_argument(
        "--blas-threads",
        type=int,
        help="set OPENBLAS/OMP/MKL_NUM_THREADS in the cases' processes (default: unset)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--worker", nargs=2, metavar=("CASE", "NPZ"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        case, data = args.worker
        out = worker(case, Path(data) if data != "-" else None, args.repeat, args.warmup)
        print(json.dumps(out))
        return 0
    cases = [c for c in args.cases.split(",") if c]
    unknown = sorted(set(cases) - set(CASES))
    if unknown:
        parser.error(f"unknown cases {unknown}; choose from {list(CASES)}")
    environment = dict(os.environ)
    threads = "as the environment sets them"
    if args.blas_threads:
        threads = str(args.blas_threads)
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            environment[name] = threads
    print(f"machine: {machine(PACKAGES)}; BLAS threads in the cases: {threads}")
    n = int(args.customers)
    results, simulations = {}, {}
    with tempfile.TemporaryDirectory(prefix="bench_customer_models_") as folder:
        for case in cases:
            data = "-"
            if case in TRUTH:
                simulate = simulate_bgnbd if case == "sim_bgnbd" else simulate_pareto
                rng = np.random.default_rng(args.seed)
                start = time.perf_counter()
                summary = simulate(n, TRUTH[case], rng, exact=args.exact_times)
                elapsed = time.perf_counter() - start
                data = str(Path(folder) / f"{case}.npz")
                np.savez(data, **summary)
                x = summary["frequency"]
                simulations[case] = {
                    "customers": n,
                    "seed": args.seed,
                    "simulation_seconds": round(elapsed, 2),
                    "repeat_buyers": float(np.mean(x > 0)),
                    "mean_frequency": float(x.mean()),
                    "max_frequency": int(x.max()),
                }
                print(
                    f"{case}: {n:,} customers simulated in {elapsed:.1f} s (seed {args.seed}, "
                    f"{'exact' if args.exact_times else 'day-rounded'} recency); "
                    f"{np.mean(x > 0):.1%} repeat buyers, mean frequency {x.mean():.3f}, "
                    f"max {x.max()}"
                )
            results[case] = in_fresh_process(
                __file__, "--repeat", str(args.repeat), "--warmup", str(args.warmup),
                "--worker", case, data, env=environment,
            )  # fmt: skip
    lines = []
    for case in cases:
        data, model, implementation = CASES[case]
        row = results[case]
        lines.append(
            {
                "case": case,
                "data": data,
                "model": model,
                "implementation": implementation,
                "seconds": round(row["seconds"], 4),
                "peak_mib": round(row["peak_mb"]),
                "peak_over_loaded_mib": round(row["peak_mb"] - row["loaded_mb"]),
                "log_likelihood": round(row["log_likelihood"], 3),
                "params": _params(row["params"]),
                "runs_s": " ".join(f"{t:.3f}" for t in row["all"]),
            }
        )
    table = pd.DataFrame(lines)
    with pd.option_context("display.width", 250, "display.max_colwidth", 60):
        print(table.drop(columns="case").to_string(index=False))
    recovery = []
    for case in (c for c in cases if c in TRUTH):
        row = results[case]
        for name, truth in TRUTH[case].items():
            estimate, error = row["params"][name], row["standard_errors"][name]
            recovery.append(
                {
                    "case": case,
                    "parameter": name,
                    "truth": truth,
                    "estimate": round(estimate, 5),
                    "std_error": round(error, 5),
                    "z_abs": round(abs(estimate - truth) / error, 2),
                    "within_2_se": abs(estimate - truth) <= 2 * error,
                }
            )
        print(
            f"{case}: {results[case]['distinct_rows']:,} distinct (frequency, recency, T) rows "
            f"of {n:,} customers"
        )
    if recovery:
        print(pd.DataFrame(recovery).to_string(index=False))
    verdicts = []
    if "cdnow_bgnbd" in results:
        seconds = results["cdnow_bgnbd"]["seconds"]
        beside = results.get("cdnow_bgnbd_lifetimes", {}).get("seconds")
        verdicts.append(
            f"BG/NBD on CDNOW: {seconds:.3f} s ({'meets' if seconds < 0.5 else 'MISSES'} the "
            "0.5 s target)" + (f"; lifetimes {beside:.3f} s" if beside else "")
        )
    if "sim_bgnbd" in results:
        row = results["sim_bgnbd"]
        within = all(r["within_2_se"] for r in recovery if r["case"] == "sim_bgnbd")
        verdicts.append(
            f"BG/NBD on {n:,} customers: {row['seconds']:.2f} s "
            f"({'meets' if row['seconds'] < 20 else 'MISSES'} 20 s), peak "
            f"{row['peak_mb']:.0f} MiB ({'meets' if row['peak_mb'] < 2048 else 'MISSES'} "
            f"2 GiB), every parameter within two SEs: {'yes' if within else 'NO'}"
        )
    for verdict in verdicts:
        print(verdict)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": machine(PACKAGES),
                    "blas_threads": threads,
                    "simulations": simulations,
                    "results": lines,
                    "recovery": recovery,
                    "raw": results,
                },
                indent=2,
                default=str,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
