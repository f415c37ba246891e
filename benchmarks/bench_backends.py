"""Benchmark: engagement scoring on pandas, DuckDB and Spark at 1, 10 and 100 million rows.

Targets (issue 16), reported, never asserted: ``score_engagement`` on 100 million rows read
from Parquet on DuckDB takes at most 1.3x a hand-written DuckDB SQL query on the same files,
with a peak under 2 GiB (out of core); on PySpark ``local[2]`` with 10 million rows, at most
1.3x hand-written Spark SQL; time and peak memory at each size for each engine in one figure,
with Spark's session start shown apart.

For each size the script streams a seeded table to Parquet (bench_engagement.generate) and
runs bench_engagement's variants in fresh processes: per engine, score_engagement
(``pandas``, ``duckdb``, ``spark``) and the hand-written SQL on the same engine
(``duckdb_sql``, ``spark_sql``). ``duckdb_sql`` always runs: every result is checked against
it (rtol 1e-12) and a time counts only if its check says OK. pandas is skipped at a size
where its estimated peak does not fit in the memory available. Writes a JSON of the results
and a PNG figure (after each size, so a later failure keeps the earlier sizes). Run from the
repository root::

    .venv/bin/python benchmarks/bench_backends.py --sizes 1e6,1e7,1e8 --engines pandas,duckdb,spark
    .venv/bin/python benchmarks/bench_backends.py --sizes 1e6 --engines pandas,duckdb  # quick
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import bench_engagement as bench
import pandas as pd
from _measure import available_mib, machine

#: engine -> (its score_engagement variant, its hand-written SQL variant or None)
ENGINES = {
    "pandas": ("pandas", None),
    "duckdb": ("duckdb", "duckdb_sql"),
    "spark": ("spark", "spark_sql"),
}
NAMES = {"pandas": "pandas", "duckdb": "DuckDB", "spark": "Spark"}
COLORS = {"pandas": "tab:blue", "duckdb": "tab:orange", "spark": "tab:green"}
#: Peak memory of score_engagement on pandas per input row: 1,843 MiB at 10 million rows
#: (benchmarks/README.md, bench_engagement.py), rounded up.
PANDAS_BYTES_PER_ROW = 200
#: pandas runs only if its estimated peak is at most this share of the memory available.
PANDAS_MEMORY_SHARE = 0.8


def pandas_fits(rows: int) -> tuple[bool, str]:
    """Whether pandas' estimated peak fits in the memory available now, and why."""
    need = rows * PANDAS_BYTES_PER_ROW / 2**30
    free = available_mib() / 2**10
    fits = not need > PANDAS_MEMORY_SHARE * free  # NaN (unknown) counts as fitting
    word = "fits in" if fits else "is more than"
    return fits, (
        f"pandas at {rows:,} rows: estimated peak {need:.1f} GiB ({PANDAS_BYTES_PER_ROW} "
        f"bytes a row) {word} {PANDAS_MEMORY_SHARE:.0%} of the {free:.1f} GiB available"
    )


def one_size(rows: int, engines: list[str], folder: Path, args: argparse.Namespace) -> dict:
    """Generate ``rows`` rows, run the engines' variants, check them; the size's record."""
    path = folder / f"activity_{rows}.parquet"
    start = time.perf_counter()
    shape = bench.generate(rows, brands=args.brands, seed=args.seed, path=path)
    record = {
        "rows": shape["rows"],
        "data": shape,
        "generate_s": round(time.perf_counter() - start, 1),
        "parquet_mib": round(path.stat().st_size / 2**20, 1),
        "skipped": {},
        "repeat": args.repeat,
    }
    print(
        f"\n== {shape['rows']:,} rows = {shape['brands']} brands x {shape['periods']} periods "
        f"x 55; {record['parquet_mib']} MiB Parquet, generated in {record['generate_s']} s",
        flush=True,
    )
    variants = [bench.REFERENCE]
    for engine in engines:
        if engine == "pandas":
            fits, why = pandas_fits(shape["rows"])
            print(why + ("" if fits else ": skipped"), flush=True)
            if not fits:
                record["skipped"]["pandas"] = why
                continue
        variants += [v for v in ENGINES[engine] if v and v not in variants]
    results = bench.run_variants(path, variants, args)
    verdicts = bench.check(results)
    record["results"] = bench.table_lines(results, verdicts, shape["rows"])
    for variant, verdict in verdicts.items():
        print(f"check {variant} against {bench.REFERENCE}: {verdict}")
    columns = ["variant_id", "seconds", "ratio", "peak_mib", "jvm_peak_mib", "startup_s",
               "warmup_s", "runs_s"]  # fmt: skip
    print(pd.DataFrame(record["results"]).reindex(columns=columns).to_string(index=False))
    for said in bench.verdict_lines(record["results"]):
        print(said)
    if not args.keep:
        path.unlink()
    return record


def figure(records: list[dict], path: Path) -> None:
    """Two panels, time and peak memory against rows (log axes): a solid line per engine's
    score_engagement, a dashed one per hand-written SQL, Spark's session start as crosses;
    every engine that has a result or was skipped at some size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lines = pd.DataFrame([line for record in records for line in record.get("results", [])])
    ran = set(lines["variant_id"]) if not lines.empty else set()
    left_out = {engine for record in records for engine in record["skipped"]}
    engines = [e for e in ENGINES if e in left_out or ran & set(ENGINES[e])]
    fig, (ax_time, ax_memory) = plt.subplots(1, 2, figsize=(12, 5))
    for engine in engines:
        ours, sql = ENGINES[engine]
        for variant, style, what in ((ours, "-o", "score_engagement"), (sql, "--s", "hand SQL")):
            if variant is None or lines.empty:
                continue
            done = lines[(lines["variant_id"] == variant) & (lines["check"] == "OK")]
            label = f"{NAMES[engine]}: {what}"
            skipped = [f"{r['rows']:,}" for r in records if engine in r["skipped"]]
            if skipped and variant == ours:
                label += f" (skipped at {', '.join(skipped)} rows: memory)"
            if done.empty:
                continue
            for ax, column in ((ax_time, "seconds"), (ax_memory, "peak_mib")):
                ax.plot(done["rows"], done[column], style, color=COLORS[engine], label=label,
                        fillstyle="full" if variant == ours else "none")  # fmt: skip
            if engine == "spark" and variant == ours:
                starts = done["startup_s"].astype(float)
                ax_time.plot(done["rows"], starts, "x", color=COLORS[engine], markersize=9,
                             label=f"Spark session start ({starts.min():.1f}-{starts.max():.1f} "
                             "s, not in the timings)")  # fmt: skip
    ax_memory.axhline(2048, color="grey", linestyle=":", label="2 GiB")
    for ax, title, unit in (
        (ax_time, f"time of one call (best of {_repeats(records)})", "seconds"),
        (ax_memory, "peak resident memory (process + JVM)", "MiB"),
    ):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("rows")
        ax.set_ylabel(unit)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle("score_engagement against hand-written SQL on the same engine")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _repeats(records: list[dict]) -> str:
    """The timed runs per variant, e.g. "3" or "3 at 1e6, 1e7 rows; 1 at 1e8" when sizes differ."""
    by = {}
    for record in records:
        by.setdefault(record.get("repeat", "?"), []).append(f"{record['rows']:.0e}")
    if len(by) == 1:
        return str(next(iter(by)))
    return "; ".join(f"{n} at {', '.join(rows)} rows" for n, rows in by.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1e6,1e7,1e8", help="rows, comma-separated")
    parser.add_argument("--engines", default="pandas,duckdb,spark", help="of pandas,duckdb,spark")
    bench.add_options(parser)
    parser.add_argument("--json", type=Path, default=Path("bench_backends.json"))
    parser.add_argument("--png", type=Path, default=Path("bench_backends.png"))
    parser.add_argument("--keep", action="store_true", help="keep the Parquet files (printed)")
    parser.add_argument(
        "--add-to", type=Path, help="an earlier run's JSON: its sizes stay in the JSON and figure"
    )
    args = parser.parse_args(argv)
    sizes = [int(float(s)) for s in args.sizes.split(",") if s]
    engines = [e for e in args.engines.split(",") if e]
    unknown = sorted(set(engines) - set(ENGINES))
    if unknown:
        parser.error(f"unknown engines {unknown}; choose from {list(ENGINES)}")
    settings = {
        "duckdb": f"memory_limit {args.duckdb_memory_limit}, temp_directory in the run folder",
        "spark": {"master": bench.SPARK_MASTER, **bench.spark_config(args)},
        "repeat": args.repeat,
        "warmup": args.warmup,
        "seed": args.seed,
        "brands": args.brands,
    }
    print(f"machine: {machine(bench.PACKAGES)}")
    print(f"settings: {json.dumps(settings)}")
    folder = Path(tempfile.mkdtemp(prefix="bench_backends_"))
    records: list[dict] = []
    if args.add_to:
        earlier = json.loads(args.add_to.read_text(encoding="utf-8"))
        records = [
            {"repeat": earlier["settings"]["repeat"], **r}
            for r in earlier["sizes"]
            if int(r["rows"]) not in sizes
        ]
    try:
        for rows in sizes:
            records.append(one_size(rows, engines, folder, args))
            records.sort(key=lambda r: int(r["rows"]))
            record = {"machine": machine(bench.PACKAGES), "settings": settings, "sizes": records}
            args.json.write_text(json.dumps(record, indent=2), encoding="utf-8")
            figure(records, args.png)
    finally:
        if args.keep:
            print(f"Parquet kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"\nwrote {args.json} and {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
