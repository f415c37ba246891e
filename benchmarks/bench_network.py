"""Time influence scores, communities and cascades on ego-Facebook and a 1M-edge graph.

Targets (issue 7): the influence table (sampled betweenness, 50 sources by default) plus
Louvain communities on ego-Facebook in under 3 s (median of ``--repeat``); 1,000 cascade
runs from 10 seeds on ego-Facebook in under 10 s, and the
same on a simulated graph of 1,000,000 edges, with memory reported. Seeds are the 10 nodes
of highest degree. Each case is timed best of ``--repeat`` runs with time.perf_counter
after one untimed warm-up; the time includes turning the networkx graph into CSR arrays,
which is also timed alone (``convert_s``). Peak memory is the tracemalloc peak of one more
call (numpy's arrays are traced); the process's peak resident memory is printed at the end.

Run from the repository root: ``.venv/bin/python benchmarks/bench_network.py``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
import tracemalloc

import networkx as nx
import numpy as np
import pandas as pd
import scipy

from scrm_lab.datasets import load_dataset
from scrm_lab.network import build_graph, find_communities, influence_scores, simulate_cascades
from scrm_lab.network._cascades import _network  # the graph-to-arrays step, timed on its own


def _influence_case(edges: pd.DataFrame, repeat: int) -> None:
    """Median time of build_graph, influence_scores and find_communities on ego-Facebook."""
    steps = {"build_graph": [], "influence_scores": [], "find_communities": []}
    for _ in range(repeat):
        start = time.perf_counter()
        graph = build_graph(edges)
        steps["build_graph"].append(time.perf_counter() - start)
        start = time.perf_counter()
        influence_scores(graph)
        steps["influence_scores"].append(time.perf_counter() - start)
        start = time.perf_counter()
        find_communities(graph, method="louvain", seed=0)
        steps["find_communities"].append(time.perf_counter() - start)
    medians = {step: float(np.median(times)) for step, times in steps.items()}
    total = medians["influence_scores"] + medians["find_communities"]
    for step, value in medians.items():
        print(f"  {step:<18} {value:6.2f} s (median of {repeat})")
    verdict = "met" if total < 3 else "NOT met"
    print(f"  influence + communities: {total:.2f} s (target < 3 s: {verdict})")


def _case(graph, label, model, probability, args) -> dict:
    seeds = [node for node, _ in sorted(graph.degree, key=lambda pair: -pair[1])[: args.seeds]]

    def call():
        return simulate_cascades(
            graph, seeds, model=model, probability=probability, runs=args.runs, seed=args.seed
        )

    result = call()  # warm-up
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    _network(graph)
    convert = time.perf_counter() - start
    tracemalloc.start()
    call()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "graph": label,
        "model": model,
        "probability": probability,
        "runs": args.runs,
        "seconds": min(times),
        "convert_s": convert,
        "peak_mib": peak / 2**20,
        "expected_reach": result.expected_reach,
        "viral_ratio": result.viral_ratio,
        "max_steps": int(result.steps.max()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--edges", type=float, default=1e6)
    parser.add_argument("--nodes", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2009)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-lt", action="store_true", help="skip the linear threshold cases")
    args = parser.parse_args()

    print(f"platform  {platform.platform()}")
    print(f"cpu       {platform.processor() or platform.machine()}, {os.cpu_count()} cores")
    print(f"python    {sys.version.split()[0]}")
    print(f"versions  numpy {np.__version__}, scipy {scipy.__version__}, networkx {nx.__version__}")

    edges = load_dataset("snap_ego_facebook")
    print("influence table and communities on ego-Facebook:")
    _influence_case(edges, args.repeat)
    ego = nx.from_pandas_edgelist(edges)
    start = time.perf_counter()
    p_edge = 2 * args.edges / (args.nodes * (args.nodes - 1))
    big = nx.fast_gnp_random_graph(args.nodes, p_edge, seed=args.seed)
    build = time.perf_counter() - start
    print(f"ego-Facebook: {ego.number_of_nodes():,} nodes, {ego.number_of_edges():,} edges")
    print(
        f"simulated G(n, p): {big.number_of_nodes():,} nodes, {big.number_of_edges():,} edges, "
        f"built in {build:.2f} s (networkx.fast_gnp_random_graph, seed {args.seed})"
    )
    label = f"gnp_{big.number_of_edges()}"
    cases = [(ego, "ego_facebook"), (big, label)]
    rows = [
        _case(graph, name, "independent_cascade", p, args)
        for graph, name in cases
        for p in (0.01, 0.05)
    ]
    if not args.no_lt:
        rows += [_case(graph, name, "linear_threshold", None, args) for graph, name in cases]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(pd.DataFrame(rows).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak resident memory: {maxrss:.0f} MiB")


if __name__ == "__main__":
    main()
