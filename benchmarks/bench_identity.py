"""Benchmark: identity resolution of 100,000 CRM customers against their social profiles.

Target (issue 14): linking 100,000 customer records with about 100,000+ social profiles
takes under 120 s on 2 cores, with F1 at least 0.95 against the simulated truth.

For each seed, a population is simulated with
:func:`scrm_lab.synth.simulate_customer_population` (``--customers`` customers, two
platforms, the default mess; ``--no-profile-share`` 0.4 by default gives about 1.7 profiles
per customer, 0.65 about one; not timed). Then :func:`scrm_lab.identity.link_identities`
runs once in a fresh Python process (so that its peak memory is its own), timed with
``time.perf_counter``. Accuracy comes from :func:`scrm_lab.identity.linkage_accuracy` on
the pairs: precision, recall and F1 at the default threshold, and the best F1 over the
curve (reported, not chosen: the default is what a user gets).

Run from the repository root::

    .venv/bin/python benchmarks/bench_identity.py                       # ~2-4 minutes
    .venv/bin/python benchmarks/bench_identity.py --customers 20000 --seeds 3,4
    .venv/bin/python benchmarks/bench_identity.py --no-profile-share 0.65  # ~100,000 profiles
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from _measure import in_fresh_process, machine, peak_mib

PACKAGES = ["scrm_lab", "splink", "duckdb", "pandas"]


def worker(customers: int, seed: int, no_profile_share: float) -> dict:
    """Simulate, link (timed) and score one population; returns the figures."""
    from scrm_lab.identity import link_identities, linkage_accuracy
    from scrm_lab.synth import simulate_customer_population

    population = simulate_customer_population(
        n_customers=customers, days=10, seed=seed, no_profile_share=no_profile_share
    )
    start = time.perf_counter()
    result = link_identities(population.crm, population.profiles, seed=seed)
    seconds = time.perf_counter() - start
    truth = population.truth["links"]
    at_default = linkage_accuracy(result.links, truth, thresholds=[result.threshold]).iloc[0]
    curve = linkage_accuracy(result.pairs, truth)
    best = curve.loc[curve["f1"].idxmax()]
    return {
        "customers": customers,
        "profiles": len(population.profiles),
        "true_links": int(truth["customer_id"].notna().sum()),
        "seed": seed,
        "seconds": seconds,
        "peak_mib": peak_mib(),
        "threshold": result.threshold,
        "precision": float(at_default["precision"]),
        "recall": float(at_default["recall"]),
        "f1": float(at_default["f1"]),
        "best_threshold": float(best["threshold"]),
        "best_f1": float(best["f1"]),
        "scored_pairs": len(result.pairs),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=float, default=100_000)
    parser.add_argument("--seeds", default="11", help="comma-separated seeds")
    parser.add_argument(
        "--no-profile-share",
        type=float,
        default=0.4,
        help="share of customers without a profile on a platform (0.65: about as many "
        "profiles as customers)",
    )
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument(
        "--worker", nargs=3, metavar=("CUSTOMERS", "SEED", "SHARE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.worker:
        customers, seed, share = args.worker
        print(json.dumps(worker(int(customers), int(seed), float(share))))
        return 0
    print(f"machine: {machine(PACKAGES)}")
    rows = []
    for seed in (int(s) for s in args.seeds.split(",")):
        row = in_fresh_process(
            __file__, "--worker", str(int(args.customers)), str(seed), str(args.no_profile_share)
        )
        rows.append(row)
        print(
            f"{row['customers']:,} customers, {row['profiles']:,} profiles "
            f"({row['true_links']:,} true links), seed {row['seed']}: "
            f"{row['seconds']:.1f} s, peak {row['peak_mib']:,.0f} MiB; at threshold "
            f"{row['threshold']}: precision {row['precision']:.3f}, recall {row['recall']:.3f}, "
            f"F1 {row['f1']:.3f}; best F1 {row['best_f1']:.3f} at {row['best_threshold']}"
        )
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(PACKAGES), "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
