"""Benchmark: score_engagement on a long activity table against hand-written equivalents.

Targets: (issue 3) scoring 10 million activity rows (brand x channel x period x attribute)
takes at most 1.5x the time of the equivalent hand-written DuckDB SQL on DuckDB, and at most
1.5x a plain pandas groupby on pandas; (issue 16) on 100 million rows read from Parquet on
DuckDB at most 1.3x the hand-written DuckDB SQL with a peak under 2 GiB (out of core), and on
PySpark ``local[2]`` at most 1.3x hand-written Spark SQL. Nothing is asserted: the script
reports.

The script generates a seeded long table with the shipped ``engagementdb_2009`` rubric (11
channels x 5 attributes), streams it to Parquet in chunks (row groups) in a temporary folder,
then runs each variant in a fresh Python process (so that peak memory is the variant's own)
and times it with ``time.perf_counter``: one untimed warm-up run (``--warmup``), then the
best of ``--repeat`` runs (default 3):

- ``duckdb``: ``score_engagement(con.read_parquet(path))`` on a connection with
  ``memory_limit`` (``--duckdb-memory-limit``) and a ``temp_directory`` to spill to;
- ``duckdb_sql``: one hand-written DuckDB SQL query over the same file, same connection
  settings, same columns: the reference every variant's result is checked against;
- ``duckdb_scan``: ``score_engagement(scrm_lab.io.scan_table(path))``, the same limit set
  on the relation's own connection (``relation.query(name, "SET ...")``);
- ``pandas``: ``score_engagement(frame)`` on the table read with ``pandas.read_parquet``;
- ``pandas_groupby``: a plain pandas groupby + unstack computing the same table;
- ``spark``: ``score_engagement(spark.read.parquet(path))`` on
  ``scrm_lab._frames.spark_session("local[2]", ...)``; session start timed apart;
- ``spark_sql``: one hand-written Spark SQL query over the same file, same session settings;
- ``duckdb_unchecked`` and ``pandas_unchecked`` (reference only): score_engagement with its
  validation flags replaced by a constant, to show what the checks cost.

Peak memory is that of the process and its children (the JVM), sampled. Run from the
repository root::

    .venv/bin/python benchmarks/bench_engagement.py              # 10 million rows
    .venv/bin/python benchmarks/bench_engagement.py --rows 1e6   # quicker
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _measure import TreePeak, children_peak_mib, in_fresh_process, machine, peak_mib, tree_rss_mib

#: The package versions printed with the machine.
PACKAGES = ("scrm_lab", "pandas", "numpy", "pyarrow", "duckdb", "narwhals", "pyspark")

VARIANTS = {
    "duckdb": ("DuckDB", "score_engagement on a DuckDB relation"),
    "duckdb_sql": ("DuckDB", "hand-written DuckDB SQL"),
    "duckdb_scan": ("DuckDB", "score_engagement on scrm_lab.io.scan_table"),
    "pandas": ("pandas", "score_engagement on a pandas DataFrame"),
    "pandas_groupby": ("pandas", "plain pandas groupby + unstack"),
    "spark": ("Spark", "score_engagement on a Spark DataFrame"),
    "spark_sql": ("Spark", "hand-written Spark SQL"),
    "duckdb_unchecked": ("DuckDB", "score_engagement, checks off (reference)"),
    "pandas_unchecked": ("pandas", "score_engagement, checks off (reference)"),
    "spark_unchecked": ("Spark", "score_engagement, checks off (reference)"),
}
DEFAULT_VARIANTS = ("duckdb", "duckdb_sql", "pandas", "pandas_groupby")
#: variant -> the baseline its time is divided by
RATIO_TO = {
    "duckdb": "duckdb_sql",
    "duckdb_scan": "duckdb_sql",
    "duckdb_unchecked": "duckdb_sql",
    "pandas": "pandas_groupby",
    "pandas_unchecked": "pandas_groupby",
    "spark": "spark_sql",
    "spark_unchecked": "spark_sql",
}
#: variant -> the largest ratio its target allows (issue 16 for DuckDB and Spark, 3 for pandas)
TARGETS = {"duckdb": 1.3, "duckdb_scan": 1.3, "spark": 1.3, "pandas": 1.5}
#: Every variant's table must equal this one's (or, without it, score_engagement on DuckDB).
REFERENCE = "duckdb_sql"
#: Spark settings for 2 cores and 24 GiB: local mode runs the executors in the driver's JVM.
SPARK_MASTER = "local[2]"

# ------------------------------------------------------------------------------ the data


def generate(rows: int, *, brands: int, seed: int, path: Path, chunk_rows: int = 2_000_000) -> dict:
    """Stream a long activity table of exactly ``rows`` rows to Parquet; return its shape.

    Brand b is present on channel c in a period with probability p_c (drawn once per
    channel, 0.2-0.9); where present, each attribute's level is uniform on 0..max_level,
    where absent every level is 0. Rows are ordered brand, period, channel, attribute, so
    a table cut to ``rows`` keeps the presence row of every channel it keeps. Whole brands
    are generated and written about ``chunk_rows`` rows at a time (row groups of at most
    1,000,000 rows), so memory does not grow with ``rows``; times are stored to the
    microsecond (Spark cannot read nanoseconds).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from scrm_lab.engagement import load_rubric

    rubric = load_rubric("engagementdb_2009")
    channels = list(rubric.channels)
    attributes = list(rubric.channels[channels[0]].attributes)
    maxima = np.array([rubric.attributes[a].max_level for a in attributes])
    per_brand_period = len(channels) * len(attributes)
    brands = max(1, min(brands, rows // per_brand_period or 1))
    periods = -(-rows // (brands * per_brand_period))
    per_brand = periods * per_brand_period
    rng = np.random.default_rng(seed)
    popularity = rng.uniform(0.2, 0.9, size=len(channels))
    dates = pd.date_range("2009-01-01", periods=periods, freq="MS").to_numpy("datetime64[us]")
    names = pa.array([f"brand_{i:05d}" for i in range(brands)], pa.string())
    channel_names = pa.array(channels, pa.string())
    attribute_names = pa.array(attributes, pa.string())
    schema = pa.schema(
        [
            ("brand", pa.string()),
            ("period", pa.timestamp("us")),
            ("channel", pa.string()),
            ("attribute", pa.string()),
            ("value", pa.int64()),
        ]
    )

    def text(codes: np.ndarray, dictionary: pa.Array) -> pa.Array:
        return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), dictionary).cast(
            pa.string()
        )

    block = max(1, chunk_rows // per_brand)
    written = 0
    with pq.ParquetWriter(path, schema) as writer:
        for first in range(0, brands, block):
            n = min(block, brands - first)
            present = rng.random((n, periods, len(channels))) < popularity
            levels = rng.integers(0, maxima + 1, size=(n, periods, len(channels), len(attributes)))
            levels[..., 0] = 1  # the presence attribute comes first
            levels = np.where(present[..., None], levels, 0).reshape(-1)[: rows - written]
            index = np.arange(len(levels))
            table = pa.table(
                {
                    "brand": text(first + index // per_brand, names),
                    "period": pa.array(dates[(index // per_brand_period) % periods]),
                    "channel": text((index // len(attributes)) % len(channels), channel_names),
                    "attribute": text(index % len(attributes), attribute_names),
                    "value": pa.array(levels.astype(np.int64)),
                },
                schema=schema,
            )
            writer.write_table(table, row_group_size=1_000_000)
            written += table.num_rows
            if written >= rows:
                break
    return {"rows": written, "brands": brands, "periods": periods}


# ------------------------------------------------------------------------- the baselines


def sql_query(source: str) -> str:
    """The hand-written query over ``source`` (a table expression), in DuckDB or Spark SQL.

    The same columns, values and order as score_engagement (dtypes after ``.df()`` or
    ``.toPandas()``: see :func:`tidy`).
    """
    from scrm_lab.engagement import load_rubric

    rubric = load_rubric("engagementdb_2009")
    points = " ".join(f"WHEN '{a}' THEN {spec.points}" for a, spec in rubric.attributes.items())
    depths = ",\n       ".join(
        f"CAST(COALESCE(SUM(depth) FILTER (WHERE channel = '{c}'), 0) AS BIGINT) AS depth_{c}"
        for c in rubric.channels
    )
    return f"""
WITH by_channel AS (
  SELECT brand, period, channel,
         SUM(value * CASE attribute {points} END) AS depth,
         MAX(CASE WHEN attribute = '{rubric.presence}' THEN value END) AS presence
  FROM {source}
  GROUP BY brand, period, channel
), by_brand AS (
  SELECT brand, period,
       CAST(COUNT(*) FILTER (WHERE presence > 0) AS BIGINT) AS breadth,
       {depths},
       CAST(SUM(depth) AS BIGINT) AS score
  FROM by_channel
  GROUP BY brand, period
)
SELECT *, CAST(RANK() OVER (PARTITION BY period ORDER BY score DESC) AS BIGINT) AS rank
FROM by_brand
ORDER BY period, rank, brand
"""


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """A SQL result with score_engagement's dtypes: brand str, period datetime64[ns]."""
    return frame.astype({"brand": "str", "period": "datetime64[ns]"})


def pandas_groupby(frame: pd.DataFrame) -> pd.DataFrame:
    """A plain pandas version: one groupby over the rows, then unstack the channels."""
    from scrm_lab.engagement import load_rubric

    rubric = load_rubric("engagementdb_2009")
    attribute = frame["attribute"].astype("category")  # map the 5 names, not 10M strings
    points = attribute.map({a: s.points for a, s in rubric.attributes.items()}).astype("int64")
    rows = pd.DataFrame(
        {
            "brand": frame["brand"],
            "period": frame["period"],
            "channel": frame["channel"],
            "depth": frame["value"] * points,
            "present": frame["value"].where(attribute == rubric.presence, 0),
        }
    )
    by_channel = rows.groupby(["brand", "period", "channel"], sort=False, observed=True).agg(
        depth=("depth", "sum"), present=("present", "max")
    )
    depth = by_channel["depth"].unstack("channel", fill_value=0)
    depth = depth.reindex(columns=list(rubric.channels), fill_value=0).add_prefix("depth_")
    breadth = (by_channel["present"] > 0).groupby(level=["brand", "period"], sort=False).sum()
    out = depth.assign(breadth=breadth)
    out["score"] = out[depth.columns].sum(axis=1)
    out = out.reset_index()[["brand", "period", "breadth", *depth.columns, "score"]]
    out["rank"] = out.groupby("period")["score"].rank(method="min", ascending=False)
    out = out.astype({c: "int64" for c in ["breadth", *depth.columns, "score", "rank"]})
    out = out.sort_values(["period", "rank", "brand"]).reset_index(drop=True)
    return tidy(out)


# -------------------------------------------------------------------------- one variant


def spark_config(args: argparse.Namespace) -> dict[str, str]:
    """The Spark settings of the ``spark`` and ``spark_sql`` variants."""
    return {
        "spark.ui.enabled": "false",
        "spark.sql.shuffle.partitions": str(args.spark_shuffle_partitions),
        "spark.driver.memory": args.spark_driver_memory,
    }


def _duckdb_limits(args: argparse.Namespace, spill: Path) -> list[str]:
    return [f"SET memory_limit = '{args.duckdb_memory_limit}'", f"SET temp_directory = '{spill}'"]


def _runner(variant: str, path: Path, args: argparse.Namespace, spill: Path) -> tuple:
    """(the function one run calls, seconds spent starting Spark or None)."""
    import scrm_lab.engagement as engagement

    if variant.endswith("_unchecked"):  # reference only: the checks' flag made constant
        import narwhals as nw

        import scrm_lab.engagement._scoring as scoring

        scoring._problems = lambda plan: nw.lit(False)
    score = engagement.score_engagement
    if variant.startswith("pandas"):
        frame = pd.read_parquet(path)
        if variant == "pandas_groupby":
            return (lambda: pandas_groupby(frame)), None
        return (lambda: score(frame)), None
    if variant.startswith("spark"):
        from scrm_lab._frames import spark_session

        start = time.perf_counter()
        spark = spark_session(SPARK_MASTER, config=spark_config(args))
        spark.range(1).count()  # the JVM has started and answers
        startup = time.perf_counter() - start
        if variant == "spark_sql":
            query = sql_query(f"parquet.`{path}`")
            return (lambda: tidy(spark.sql(query).toPandas())), startup
        return (lambda: score(spark.read.parquet(str(path)))), startup
    if variant == "duckdb_scan":
        from scrm_lab.io import scan_table

        def scanned() -> pd.DataFrame:
            relation = scan_table(path)
            for setting in _duckdb_limits(args, spill):  # on the relation's own connection
                relation.query("scanned", setting)
            return score(relation)

        return scanned, None
    from scrm_lab._frames import duckdb_connection

    con = duckdb_connection()
    for setting in _duckdb_limits(args, spill):
        con.execute(setting)
    if variant == "duckdb_sql":
        query = sql_query(f"read_parquet('{path}')")
        return (lambda: tidy(con.sql(query).df())), None
    return (lambda: score(con.read_parquet(str(path)))), None


def worker(variant: str, path: Path, out: Path, args: argparse.Namespace) -> dict:
    """Run one variant ``warmup`` + ``repeat`` times in this (fresh) process; time the last
    ``repeat`` runs, save the last result; memory sampled over the process and its JVM."""
    spill = out.parent / f"spill_{variant}"
    with TreePeak() as sampler:
        run, startup = _runner(variant, path, args, spill)
        loaded = tree_rss_mib()
        first = []
        for _ in range(args.warmup):  # untimed: the first run pays for fresh memory, JIT
            start = time.perf_counter()
            run()
            first.append(time.perf_counter() - start)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = run()
            times.append(time.perf_counter() - start)
        jvm = children_peak_mib()
    result.to_parquet(out, index=False)
    return {
        "seconds": min(times),
        "all": times,
        "warmup_s": first,
        "startup_s": startup,
        "loaded_mb": loaded,
        "peak_mb": sampler.peak,
        "own_peak_mb": peak_mib(),
        "jvm_peak_mb": jvm,
    }


def run_variants(path: Path, variants: list[str], args: argparse.Namespace) -> dict:
    """Run each variant in a fresh process; variant -> its measures and ``result`` (or
    ``error``, the last line the failed process wrote)."""
    options = [
        "--repeat", str(args.repeat), "--warmup", str(args.warmup),
        "--duckdb-memory-limit", args.duckdb_memory_limit,
        "--spark-driver-memory", args.spark_driver_memory,
        "--spark-shuffle-partitions", str(args.spark_shuffle_partitions),
    ]  # fmt: skip
    results = {}
    for variant in variants:
        out = path.parent / f"{variant}.parquet"
        try:
            row = in_fresh_process(__file__, *options, "--worker", variant, str(path), str(out))
        except subprocess.CalledProcessError as err:
            lines = (err.stderr or "").strip().splitlines() or [f"exit status {err.returncode}"]
            results[variant] = {"error": lines[-1]}
            print(f"  {variant}: FAILED: {lines[-1]}", flush=True)
            continue
        row["result"] = pd.read_parquet(out)
        out.unlink()
        results[variant] = row
        print(f"  {variant}: {row['seconds']:.3f} s, peak {row['peak_mb']:.0f} MiB", flush=True)
    return results


def check(results: dict) -> dict[str, str]:
    """variant -> ``OK`` or ``MISMATCH: ...``: its table against the reference's (rtol 1e-12).

    The reference is the hand-written DuckDB SQL, or score_engagement on DuckDB without it.
    """
    name = next((v for v in (REFERENCE, "duckdb") if "result" in results.get(v, {})), None)
    verdicts = {}
    for variant, row in results.items():
        if "result" not in row:
            verdicts[variant] = f"FAILED: {row['error']}"
        elif name is None:
            verdicts[variant] = "unchecked (no DuckDB reference ran)"
        else:
            try:
                pd.testing.assert_frame_equal(
                    row["result"], results[name]["result"], check_exact=False, rtol=1e-12
                )
                verdicts[variant] = "OK"
            except AssertionError as err:
                verdicts[variant] = "MISMATCH: " + " ".join(str(err).split())[:300]
    return verdicts


def table_lines(results: dict, verdicts: dict[str, str], rows: int) -> list[dict]:
    """One line per variant: time, ratio to its baseline, memory, check."""
    lines = []
    for variant, row in results.items():
        backend, label = VARIANTS[variant]
        if "result" not in row:
            lines.append({"variant_id": variant, "backend": backend, "variant": label,
                          "rows": rows, "check": verdicts[variant]})  # fmt: skip
            continue
        baseline = results.get(RATIO_TO.get(variant, ""), {})
        counted = verdicts[variant] == "OK" and verdicts.get(RATIO_TO.get(variant, "")) == "OK"
        ratio = row["seconds"] / baseline["seconds"] if counted else float("nan")
        lines.append(
            {
                "variant_id": variant,
                "backend": backend,
                "variant": label,
                "rows": rows,
                "seconds": round(row["seconds"], 3),
                "ratio": round(ratio, 2),
                "peak_mib": round(row["peak_mb"]),
                "peak_over_loaded_mib": round(row["peak_mb"] - row["loaded_mb"]),
                "jvm_peak_mib": round(row["jvm_peak_mb"]),
                "startup_s": None if row["startup_s"] is None else round(row["startup_s"], 2),
                "warmup_s": " ".join(f"{t:.2f}" for t in row["warmup_s"]),
                "runs_s": " ".join(f"{t:.2f}" for t in row["all"]),
                "check": verdicts[variant],
            }
        )
    return lines


def verdict_lines(lines: list[dict]) -> list[str]:
    """Each target's ratio (and DuckDB's peak against 2 GiB) in words; nothing asserted."""
    said = []
    for line in lines:
        target = TARGETS.get(line["variant_id"])
        if target is None or line["check"] != "OK" or line["ratio"] != line["ratio"]:
            continue
        verdict = "meets" if line["ratio"] <= target else "MISSES"
        memory = ""
        if line["backend"] == "DuckDB":
            under = "under" if line["peak_mib"] < 2048 else "NOT under"
            memory = f"; peak {line['peak_mib']} MiB, {under} 2 GiB"
        said.append(
            f"{line['variant_id']} at {line['rows']:,} rows: {line['ratio']:.2f}x its "
            f"baseline, {verdict} the {target}x target{memory}"
        )
    return said


# -------------------------------------------------------------------------------- report


def add_options(parser: argparse.ArgumentParser) -> None:
    """The options bench_engagement.py and bench_backends.py share."""
    parser.add_argument("--brands", type=int, default=2000, help="brands (default 2000)")
    parser.add_argument("--seed", type=int, default=2009)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per variant (best of)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    parser.add_argument(
        "--duckdb-memory-limit", default="1.2GB", help="DuckDB memory_limit (default 1.2GB)"
    )
    parser.add_argument(
        "--spark-driver-memory", default="8g", help="spark.driver.memory (default 8g)"
    )
    parser.add_argument(
        "--spark-shuffle-partitions",
        type=int,
        default=8,
        help="spark.sql.shuffle.partitions (default 8)",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=float, default=10_000_000, help="rows (default 1e7)")
    add_options(parser)
    parser.add_argument(
        "--variants",
        default=",".join(DEFAULT_VARIANTS),
        help=f"comma-separated subset of {', '.join(VARIANTS)} (default "
        f"{','.join(DEFAULT_VARIANTS)})",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument(
        "--worker", nargs=3, metavar=("VARIANT", "PARQUET", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.worker:
        variant, path, out = args.worker
        print(json.dumps(worker(variant, Path(path), Path(out), args)))
        return 0
    variants = [v for v in args.variants.split(",") if v]
    unknown = sorted(set(variants) - set(VARIANTS))
    if unknown:
        parser.error(f"unknown variants {unknown}; choose from {list(VARIANTS)}")
    print(f"machine: {machine(PACKAGES)}")
    with tempfile.TemporaryDirectory(prefix="bench_engagement_") as folder:
        path = Path(folder) / "activity.parquet"
        start = time.perf_counter()
        shape = generate(int(args.rows), brands=args.brands, seed=args.seed, path=path)
        print(
            f"data: {shape['rows']:,} rows = {shape['brands']} brands x {shape['periods']} "
            f"periods x 11 channels x 5 attributes (cut to the row count), seed {args.seed}, "
            f"{path.stat().st_size / 2**20:.1f} MiB Parquet, generated in "
            f"{time.perf_counter() - start:.1f} s"
        )
        results = run_variants(path, variants, args)
    verdicts = check(results)
    lines = table_lines(results, verdicts, shape["rows"])
    against = REFERENCE if "result" in results.get(REFERENCE, {}) else "duckdb"
    for variant, verdict in verdicts.items():
        print(f"check {variant} against {against}: {verdict}")
    columns = ["backend", "variant", "seconds", "ratio", "peak_mib", "peak_over_loaded_mib",
               "startup_s", "runs_s"]  # fmt: skip
    print(pd.DataFrame(lines).reindex(columns=columns).to_string(index=False))
    for said in verdict_lines(lines):
        print(said)
    if args.json:
        record = {"machine": machine(PACKAGES), "data": shape, "results": lines}
        args.json.write_text(json.dumps(record, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
