"""Benchmark: score_engagement on a long activity table against hand-written equivalents.

Target (issue 3): scoring 10 million activity rows (brand x channel x period x attribute) takes
at most 1.5x the time of the equivalent hand-written DuckDB SQL on DuckDB, and at most 1.5x a
plain pandas groupby on pandas; peak memory is reported.

The script generates a seeded long table with the shipped ``engagementdb_2009`` rubric (11
channels x 5 attributes), writes it to Parquet in a temporary folder, then runs each variant
in a fresh Python process (so that peak memory is the variant's own) and times it with
``time.perf_counter``: one untimed warm-up run (``--warmup``), then the best of ``--repeat``
runs (default 3):

- ``duckdb``: ``score_engagement(duckdb.read_parquet(path))``;
- ``duckdb_sql``: one hand-written DuckDB SQL query over the same file, same columns;
- ``pandas``: ``score_engagement(frame)`` on the table read with ``pandas.read_parquet``;
- ``pandas_groupby``: a plain pandas groupby + unstack computing the same table;
- ``duckdb_unchecked`` and ``pandas_unchecked`` (reference only): score_engagement with its
  validation flags replaced by a constant, to show what the checks cost.

Every variant's result must equal score_engagement's on the same backend. Run from the
repository root::

    .venv/bin/python benchmarks/bench_engagement.py              # 10 million rows
    .venv/bin/python benchmarks/bench_engagement.py --rows 1e6   # quicker
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
from _measure import in_fresh_process, machine, peak_mib, rss_mib

#: The package versions printed with the machine.
PACKAGES = ("scrm_lab", "pandas", "numpy", "pyarrow", "duckdb", "narwhals")

VARIANTS = {
    "duckdb": ("DuckDB", "score_engagement on a DuckDB relation"),
    "duckdb_sql": ("DuckDB", "hand-written DuckDB SQL"),
    "pandas": ("pandas", "score_engagement on a pandas DataFrame"),
    "pandas_groupby": ("pandas", "plain pandas groupby + unstack"),
    "duckdb_unchecked": ("DuckDB", "score_engagement, checks off (reference)"),
    "pandas_unchecked": ("pandas", "score_engagement, checks off (reference)"),
}
#: variant -> the baseline its time is divided by
RATIO_TO = {
    "duckdb": "duckdb_sql",
    "duckdb_unchecked": "duckdb_sql",
    "pandas": "pandas_groupby",
    "pandas_unchecked": "pandas_groupby",
}


# ------------------------------------------------------------------------------ the data


def generate(rows: int, *, brands: int, seed: int, path: Path) -> dict:
    """Write a long activity table of exactly ``rows`` rows to Parquet; return its shape.

    Brand b is present on channel c in a period with probability p_c (drawn once per
    channel, 0.2-0.9); where present, each attribute's level is uniform on 0..max_level,
    where absent every level is 0. Rows are ordered brand, period, channel, attribute, so
    a table cut to ``rows`` keeps the presence row of every channel it keeps.
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
    rng = np.random.default_rng(seed)
    popularity = rng.uniform(0.2, 0.9, size=len(channels))
    present = rng.random((brands, periods, len(channels))) < popularity
    levels = rng.integers(0, maxima + 1, size=(brands, periods, len(channels), len(attributes)))
    levels[..., 0] = 1  # the presence attribute comes first
    levels = np.where(present[..., None], levels, 0).reshape(-1)[:rows]
    names = np.array([f"brand_{i:05d}" for i in range(brands)], dtype=object)
    dates = pd.date_range("2009-01-01", periods=periods, freq="MS").to_numpy()
    n_groups = per_brand_period
    table = pa.table(
        {
            "brand": pa.array(np.repeat(names, periods * n_groups)[:rows], pa.string()),
            "period": pa.array(np.tile(np.repeat(dates, n_groups), brands)[:rows]),
            "channel": pa.array(
                np.tile(
                    np.repeat(np.array(channels, dtype=object), len(attributes)), brands * periods
                )[:rows],
                pa.string(),
            ),
            "attribute": pa.array(
                np.tile(np.array(attributes, dtype=object), brands * periods * len(channels))[
                    :rows
                ],
                pa.string(),
            ),
            "value": pa.array(levels.astype(np.int64)),
        }
    )
    pq.write_table(table, path)
    return {"rows": table.num_rows, "brands": brands, "periods": periods}


# ------------------------------------------------------------------------- the baselines


def sql_query(path: Path) -> str:
    """The hand-written DuckDB query: the same columns, dtypes and order as score_engagement."""
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
  FROM read_parquet('{path}')
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
    return out.astype({"brand": "str", "period": "datetime64[ns]"})


# -------------------------------------------------------------------------- one variant


def worker(variant: str, path: Path, repeat: int, warmup: int, out: Path) -> dict:
    """Run one variant ``warmup`` + ``repeat`` times in this (fresh) process; time the last
    ``repeat`` runs and save the last result."""
    import duckdb

    import scrm_lab.engagement as engagement

    if variant.endswith("_unchecked"):  # reference only: the checks' flag made constant
        import narwhals as nw

        engagement._problems = lambda plan: nw.lit(False)
    if variant.startswith("pandas"):
        frame = pd.read_parquet(path)
        loaded = rss_mib()
        run = (
            (lambda: pandas_groupby(frame))
            if variant == "pandas_groupby"
            else (lambda: engagement.score_engagement(frame))
        )
    else:
        loaded = rss_mib()
        query = sql_query(path)
        run = (
            (lambda: duckdb.sql(query).df().astype({"brand": "str", "period": "datetime64[ns]"}))
            if variant == "duckdb_sql"
            else (lambda: engagement.score_engagement(duckdb.read_parquet(str(path))))
        )
    for _ in range(warmup):  # untimed: the first run pays for the process's fresh memory
        run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    result.to_parquet(out, index=False)
    return {"seconds": min(times), "all": times, "loaded_mb": loaded, "peak_mb": peak_mib()}


# -------------------------------------------------------------------------------- report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=float, default=10_000_000, help="rows (default 1e7)")
    parser.add_argument("--brands", type=int, default=2000, help="brands (default 2000)")
    parser.add_argument("--seed", type=int, default=2009)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per variant (best of)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
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
    print(f"machine: {machine(PACKAGES)}")
    with tempfile.TemporaryDirectory(prefix="bench_engagement_") as folder:
        path = Path(folder) / "activity.parquet"
        start = time.perf_counter()
        shape = generate(int(args.rows), brands=args.brands, seed=args.seed, path=path)
        print(
            f"data: {shape['rows']:,} rows = {shape['brands']} brands x {shape['periods']} "
            f"periods x 11 channels x 5 attributes (cut to the row count), seed {args.seed}, "
            f"{path.stat().st_size / 2**20:.0f} MiB Parquet, generated in "
            f"{time.perf_counter() - start:.1f} s"
        )
        results = {}
        for variant in variants:
            out = Path(folder) / f"{variant}.parquet"
            results[variant] = in_fresh_process(
                __file__, "--repeat", str(args.repeat), "--warmup", str(args.warmup),
                "--worker", variant, str(path), str(out),
            )  # fmt: skip
            results[variant]["result"] = pd.read_parquet(out)
        reference = {
            "DuckDB": results.get("duckdb", {}).get("result"),
            "pandas": results.get("pandas", {}).get("result"),
        }
        if reference["DuckDB"] is not None and reference["pandas"] is not None:
            pd.testing.assert_frame_equal(reference["DuckDB"], reference["pandas"])
        lines = []
        for variant in variants:
            backend, label = VARIANTS[variant]
            row = results[variant]
            baseline = results.get(RATIO_TO.get(variant, ""), {})
            ratio = row["seconds"] / baseline["seconds"] if baseline else float("nan")
            expected = reference[backend]
            if expected is not None:
                pd.testing.assert_frame_equal(row["result"], expected)
            lines.append(
                {
                    "backend": backend,
                    "variant": label,
                    "rows": shape["rows"],
                    "seconds": round(row["seconds"], 3),
                    "ratio": round(ratio, 2),
                    "peak_mib": round(row["peak_mb"]),
                    "peak_over_loaded_mib": round(row["peak_mb"] - row["loaded_mb"]),
                    "runs_s": " ".join(f"{t:.2f}" for t in row["all"]),
                }
            )
        table = pd.DataFrame(lines)
        print(
            "results equal: score_engagement gives the same table on DuckDB and pandas, and "
            "every baseline gives that table too"
        )
        print(table.to_string(index=False))
        targets = [line for line in lines if line["variant"].startswith("score_engagement on")]
        for line in targets:
            verdict = "meets" if line["ratio"] <= 1.5 else "MISSES"
            print(
                f"{line['backend']}: {line['ratio']:.2f}x the baseline, {verdict} the 1.5x target"
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
