"""Benchmark: rfm_summary of a Parquet transaction log on DuckDB against hand-written SQL.

Target: ``rfm_summary`` of 50 million transactions read from Parquet on DuckDB takes under
60 s on the development machine (2 cores, 24 GiB); peak memory is reported.

The script generates a seeded transaction log in chunks with pyarrow (``--customers``
customers, default 5 million, each transaction's customer drawn uniformly; times uniform
over three years, 2021-2023, as TIMESTAMP; amounts log-normal, in cents), writes it to
Parquet in a temporary folder, then runs each variant in a fresh Python process (so that
peak memory is the variant's own) and times it with ``time.perf_counter``: one untimed
warm-up run (``--warmup``, timed and reported as ``first_run_s``: a fresh process, as a
user's single call), then the best of ``--repeat`` runs (default 3):

- ``duckdb``: ``rfm_summary(duckdb.read_parquet(path), calibration_end="2022-12-31",
  observation_end="2023-12-31")``;
- ``duckdb_sql``: one hand-written DuckDB SQL query over the same file giving the same
  table (repeat spend as total minus the first day's, with ``arg_min``).

Both results must be equal (``pandas.testing.assert_frame_equal``). Run from the
repository root::

    .venv/bin/python benchmarks/bench_rfm_summary.py               # 50 million rows
    .venv/bin/python benchmarks/bench_rfm_summary.py --rows 1e6    # quicker
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _measure import in_fresh_process, machine, peak_mib

#: The package versions printed with the machine.
PACKAGES = ("scrm_lab", "pandas", "numpy", "pyarrow", "duckdb", "narwhals")

VARIANTS = {
    "duckdb": "rfm_summary on duckdb.read_parquet",
    "duckdb_sql": "hand-written DuckDB SQL",
}
START, CALIBRATION_END, OBSERVATION_END = "2021-01-01", "2022-12-31", "2023-12-31"
CHUNK = 5_000_000


# ------------------------------------------------------------------------------ the data


def generate(rows: int, *, customers: int, seed: int, path: Path) -> dict:
    """Write a transaction log of exactly ``rows`` rows to Parquet, in chunks; return its shape.

    Columns: ``customer_id`` (text, "c" and 8 digits), ``time`` (TIMESTAMP, microseconds,
    uniform over 2021-2023), ``amount`` (DOUBLE, log-normal, median 25, in cents).
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    start = np.datetime64(START, "us").astype("int64")
    span = (np.datetime64(OBSERVATION_END, "us") + np.timedelta64(1, "D")).astype("int64") - start
    schema = pa.schema(
        [("customer_id", pa.string()), ("time", pa.timestamp("us")), ("amount", pa.float64())]
    )
    with pq.ParquetWriter(path, schema) as writer:
        for offset in range(0, rows, CHUNK):
            n = min(CHUNK, rows - offset)
            ids = pc.utf8_lpad(pa.array(rng.integers(0, customers, n)).cast(pa.string()), 8, "0")
            table = pa.table(
                {
                    "customer_id": pc.binary_join_element_wise("c", ids, ""),
                    "time": pa.array(start + rng.integers(0, span, n), pa.timestamp("us")),
                    "amount": np.round(rng.lognormal(np.log(25), 0.8, n), 2),
                },
                schema=schema,
            )
            writer.write_table(table, row_group_size=1_000_000)
    return {"rows": rows, "customers": customers}


# -------------------------------------------------------------------------- the baseline


def sql_query(path: Path) -> str:
    """The hand-written DuckDB query: rfm_summary's columns, dtypes and order, in weeks."""
    return f"""
WITH daily AS (
  SELECT customer_id, CAST(time AS DATE) AS day, SUM(amount) AS value
  FROM read_parquet('{path}')
  WHERE customer_id IS NOT NULL AND CAST(time AS DATE) <= DATE '{OBSERVATION_END}'
  GROUP BY ALL
), per_customer AS (
  SELECT customer_id,
         COUNT(*) FILTER (WHERE day <= DATE '{CALIBRATION_END}') AS days,
         MIN(day) FILTER (WHERE day <= DATE '{CALIBRATION_END}') AS first,
         MAX(day) FILTER (WHERE day <= DATE '{CALIBRATION_END}') AS last,
         SUM(value) FILTER (WHERE day <= DATE '{CALIBRATION_END}') AS total,
         ARG_MIN(value, day) FILTER (WHERE day <= DATE '{CALIBRATION_END}') AS first_value,
         COUNT(*) FILTER (WHERE day > DATE '{CALIBRATION_END}') AS holdout_days,
         AVG(value) FILTER (WHERE day > DATE '{CALIBRATION_END}') AS holdout_mean
  FROM daily
  GROUP BY customer_id
)
SELECT customer_id,
       days - 1 AS frequency,
       (last - first) / 7.0 AS recency,
       (DATE '{CALIBRATION_END}' - first) / 7.0 AS T,
       CASE WHEN days > 1 THEN (total - first_value) / (days - 1) END AS monetary_value,
       holdout_days AS frequency_holdout,
       holdout_mean AS monetary_value_holdout,
       (DATE '{OBSERVATION_END}' - DATE '{CALIBRATION_END}') / 7.0 AS duration_holdout
FROM per_customer
WHERE days > 0
ORDER BY customer_id
"""


# -------------------------------------------------------------------------- one variant


def worker(variant: str, path: Path, repeat: int, warmup: int, out: Path) -> dict:
    """Run one variant ``warmup`` + ``repeat`` times in this (fresh) process and save the last
    result. Every run is timed: the best of the last ``repeat`` is the variant's time; the
    first run (a fresh process, as a user's single call) is reported too."""
    import duckdb

    from scrm_lab.customers import rfm_summary

    if variant == "duckdb_sql":
        query = sql_query(path)

        def run() -> pd.DataFrame:
            return duckdb.sql(query).df().astype({"customer_id": "str"})
    else:

        def run() -> pd.DataFrame:
            return rfm_summary(
                duckdb.read_parquet(str(path)),
                calibration_end=CALIBRATION_END,
                observation_end=OBSERVATION_END,
            )

    times = []
    for _ in range(warmup + repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    result.to_parquet(out, index=False)
    return {"seconds": min(times[warmup:]), "first": times[0], "all": times, "peak_mb": peak_mib()}


# -------------------------------------------------------------------------------- report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=float, default=50_000_000, help="rows (default 5e7)")
    parser.add_argument(
        "--customers", type=float, default=None, help="customers (default rows / 10)"
    )
    parser.add_argument("--seed", type=int, default=1997)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per variant (best of)")
    parser.add_argument(
        "--warmup", type=int, default=1, help="warm-up runs first, reported apart (default 1)"
    )
    parser.add_argument(
        "--variants",
        default=",".join(VARIANTS),
        help=f"comma-separated subset of {', '.join(VARIANTS)}",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument(
        "--worker", nargs=3, metavar=("VARIANT", "PARQUET", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.worker:
        variant, path, out = args.worker
        print(json.dumps(worker(variant, Path(path), args.repeat, args.warmup, Path(out))))
        return 0
    variants = [v for v in args.variants.split(",") if v]
    unknown = sorted(set(variants) - set(VARIANTS))
    if unknown:
        parser.error(f"unknown variants {unknown}; choose from {list(VARIANTS)}")
    rows = int(args.rows)
    customers = int(args.customers) if args.customers else max(1, rows // 10)
    print(f"machine: {machine(PACKAGES)}")
    with tempfile.TemporaryDirectory(prefix="bench_rfm_summary_") as folder:
        path = Path(folder) / "transactions.parquet"
        start = time.perf_counter()
        shape = generate(rows, customers=customers, seed=args.seed, path=path)
        print(
            f"data: {shape['rows']:,} transactions of {customers:,} possible customers over "
            f"{START} to {OBSERVATION_END}, seed {args.seed}, "
            f"{path.stat().st_size / 2**20:.0f} MiB Parquet, generated in "
            f"{time.perf_counter() - start:.1f} s; calibration_end {CALIBRATION_END}, "
            f"observation_end {OBSERVATION_END}, weeks"
        )
        results = {}
        for variant in variants:
            out = Path(folder) / f"{variant}.parquet"
            results[variant] = in_fresh_process(
                __file__, "--repeat", str(args.repeat), "--warmup", str(args.warmup),
                "--worker", variant, str(path), str(out),
            )  # fmt: skip
            results[variant]["result"] = pd.read_parquet(out)
        if "duckdb" in results and "duckdb_sql" in results:
            ours, theirs = results["duckdb"]["result"], results["duckdb_sql"]["result"]
            pd.testing.assert_frame_equal(ours, theirs, check_dtype=True, rtol=1e-9)
            print(
                f"results equal: rfm_summary and the hand-written SQL give the same "
                f"{len(ours):,} customers (rtol 1e-9 on the means)"
            )
        lines = [
            {
                "variant": VARIANTS[variant],
                "rows": shape["rows"],
                "customers_out": len(results[variant]["result"]),
                "seconds": round(results[variant]["seconds"], 2),
                "first_run_s": round(results[variant]["first"], 2),
                "peak_mib": round(results[variant]["peak_mb"]),
                "runs_s": " ".join(f"{t:.2f}" for t in results[variant]["all"]),
            }
            for variant in variants
        ]
        print(pd.DataFrame(lines).to_string(index=False))
        if "duckdb" in results:
            seconds = max(results["duckdb"]["seconds"], results["duckdb"]["first"])
            verdict = "meets" if seconds < 60 else "MISSES"
            print(
                f"rfm_summary on DuckDB: {results['duckdb']['seconds']:.1f} s best, "
                f"{results['duckdb']['first']:.1f} s first run; {verdict} the 60 s target"
            )
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "machine": machine(PACKAGES),
                        "data": shape,
                        "results": lines,
                    },
                    indent=2,
                ),
                encoding="utf-8",
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
