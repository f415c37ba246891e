"""The ``scrm-lab`` command: a thin adapter, one library call per subcommand.

Exit status: 0 on success, 2 on a user error (bad input, unknown name, wrong flag; one line
on stderr), 3 when a report's notebook failed (a cell raised, the kernel died, a timeout),
1 on an internal error (a bug; please report it).

Examples
--------
>>> run(["datasets", "list", "--format", "csv"])  # doctest: +ELLIPSIS
"name","title","rows",...
0
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from scrm_lab import __version__
from scrm_lab._checks import brief
from scrm_lab.exceptions import ParameterError, ReportExecutionError, ScrmLabError

app = typer.Typer(
    name="scrm-lab",
    help="scrm_lab: a research and benchmarking workbench for social CRM.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
datasets_app = typer.Typer(help="The shipped real data sets.", no_args_is_help=True)
table_app = typer.Typer(help="Users' files as canonical tables.", no_args_is_help=True)
report_app = typer.Typer(help="Parameterized notebook reports.", no_args_is_help=True)
synth_app = typer.Typer(help="Simulated data with known ground truth.", no_args_is_help=True)
schedule_app = typer.Typer(help="Scheduled report jobs (schedules.yaml).", no_args_is_help=True)
customers_app = typer.Typer(help="Customer-base summaries and models.", no_args_is_help=True)
engagement_app = typer.Typer(
    help="Engagement scores and how a brand compares.", no_args_is_help=True
)
lessons_app = typer.Typer(
    help="Lessons for students, in English, Spanish and Portuguese.", no_args_is_help=True
)
app.add_typer(datasets_app, name="datasets")
app.add_typer(table_app, name="table")
app.add_typer(report_app, name="report")
app.add_typer(schedule_app, name="schedule")
app.add_typer(synth_app, name="synth")
app.add_typer(customers_app, name="customers")
app.add_typer(engagement_app, name="engagement")
app.add_typer(lessons_app, name="lessons")

_FORMATS = ("table", "csv", "json")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"scrm-lab {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """scrm_lab: a research and benchmarking workbench for social CRM."""


def _print_frame(frame: pd.DataFrame, fmt: str, *, width: int = 60) -> None:
    """Print a table as aligned text (long cells cut at ``width``), CSV or JSON.

    CSV is :func:`scrm_lab.io.csv_text`: formula-like text neutralised for spreadsheets.
    """
    if fmt not in _FORMATS:
        raise ParameterError(f"The '--format' option must be one of {_FORMATS}. Got {fmt!r}.")
    if fmt == "csv":
        from scrm_lab.io import csv_text

        typer.echo(csv_text(frame), nl=False)
    elif fmt == "json":
        typer.echo(frame.to_json(orient="records", indent=2, date_format="iso"))
    else:

        def show(value: object) -> str:  # display only: the CSV and JSON keep full precision
            if pd.isna(value):
                return ""
            return f"{value:.4g}" if isinstance(value, float) else str(value)

        text = frame.astype(object).map(show)
        text = text.map(lambda v: v if len(v) <= width else v[: width - 1] + "…")
        widths = {c: max([len(str(c)), *text[c].str.len()]) for c in text.columns}
        numeric = {c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}

        def cell(column: str, value: str) -> str:
            pad = widths[column]
            return value.rjust(pad) if column in numeric else value.ljust(pad)

        lines = ["  ".join(cell(c, str(c)) for c in text.columns)]
        lines += ["  ".join(cell(c, row[c]) for c in text.columns) for _, row in text.iterrows()]
        typer.echo("\n".join(line.rstrip() for line in lines))


# ------------------------------------------------------------------------------- datasets


@datasets_app.command("list")
def datasets_list(
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """List the shipped data sets (the text table leaves out source and use: see info)."""
    from scrm_lab.datasets import list_datasets

    catalog = list_datasets()
    if fmt == "table":
        catalog = catalog[["name", "rows", "licence", "tables", "title"]]
    _print_frame(catalog, fmt)


@datasets_app.command("info")
def datasets_info(name: Annotated[str, typer.Argument(help="A data set name.")]) -> None:
    """Show one data set's provenance, licence, files and documented columns."""
    from scrm_lab.datasets import dataset_info

    info = dataset_info(name)
    typer.echo(f"{info.name}: {info.title}")
    typer.echo(f"licence: {info.licence}")
    typer.echo(f"source:  {info.source}")
    typer.echo(f"use:     {info.good_for}")
    typer.echo(f"folder:  {info.path}")
    typer.echo("\nfiles:")
    _print_frame(pd.DataFrame(info.files), "table")
    typer.echo("\ncolumns:")
    columns = info.columns[["table", "column", "dtype", "unit", "description"]]
    _print_frame(columns.fillna(""), "table")
    typer.echo("\n" + info.provenance.rstrip())


# ---------------------------------------------------------------------------------- table


def _check_out(out: Path, partition_by: list[str] | None = None) -> None:
    """Refuse an output that cannot be written before any work is done."""
    if partition_by:
        if out.suffix.lower() in (".parquet", ".csv"):
            raise ParameterError(
                f"With --partition-by the output is a folder of Parquet files, not a file. "
                f"Got '{out}'; give a folder name such as '{out.with_suffix('')}'."
            )
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise ParameterError(f"The output folder '{out}' exists and is not empty.")
    elif out.suffix.lower() not in (".parquet", ".csv"):
        raise ParameterError(f"The output file must end in .parquet or .csv. Got '{out}'.")


def _mapping(pairs: list[str] | None) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        source, sep, target = pair.partition("=")
        if not sep or not source or not target:
            raise ParameterError(
                f"The '--map' option takes NAME_IN_FILE=CANONICAL_NAME. Got {pair!r} instead."
            )
        mapping[source] = target
    return mapping


_MapOption = Annotated[
    list[str] | None,
    typer.Option("--map", "-m", help="Column mapping NAME_IN_FILE=CANONICAL_NAME (repeatable)."),
]
_KindOption = Annotated[
    str | None, typer.Option("--kind", "-k", help="Canonical table to produce (or --preset).")
]
_PresetOption = Annotated[
    str | None,
    typer.Option(help="An export format: x_api_v2, meta_post_insights, listening_export."),
]
_BrandOption = Annotated[str | None, typer.Option(help="The brand, for a file without one.")]
_SepOption = Annotated[str | None, typer.Option(help="One ASCII delimiter (else sniffed).")]
_EncodingOption = Annotated[str | None, typer.Option(help="Text encoding (detected if not given).")]
_SheetOption = Annotated[str, typer.Option(help="Excel sheet name or 0-based position.")]
_TzOption = Annotated[str, typer.Option(help="Time zone of times written without an offset.")]
_DateFormatOption = Annotated[str | None, typer.Option(help="strftime format of dates.")]


def _preset_table(preset: str | None) -> str:
    from scrm_lab.io import list_presets

    return str(list_presets().set_index("preset").loc[preset, "table"])


def _read(
    path, kind, preset, brand, mapping, sep, encoding, sheet, timezone, date_format
) -> pd.DataFrame:
    from scrm_lab.io import read_table

    return read_table(
        path,
        kind=kind,
        preset=preset,
        brand=brand,
        columns=_mapping(mapping) or None,
        sep=sep,
        encoding=encoding,
        sheet=int(sheet) if sheet.isdigit() else sheet,
        timezone=timezone,
        date_format=date_format,
    )


@table_app.command("check")
def table_check(
    path: Annotated[Path, typer.Argument(help="CSV, TSV, Parquet, Excel or JSON-lines file.")],
    kind: _KindOption = None,
    preset: _PresetOption = None,
    brand: _BrandOption = None,
    mapping: _MapOption = None,
    sep: _SepOption = None,
    encoding: _EncodingOption = None,
    sheet: _SheetOption = "0",
    timezone: _TzOption = "UTC",
    date_format: _DateFormatOption = None,
) -> None:
    """Read a file as a canonical table and report what was found; nothing is written."""
    table = _read(path, kind, preset, brand, mapping, sep, encoding, sheet, timezone, date_format)
    kind = kind or _preset_table(preset)
    source = table.attrs.get("source", {})
    details = ", ".join(f"{k} {source[k]!r}" for k in ("encoding", "sep") if k in source)
    typer.echo(
        f"{path}: a valid '{kind}' table, {len(table)} rows" + (f" ({details})" if details else "")
    )
    summary = pd.DataFrame(
        {
            "column": table.columns,
            "dtype": table.dtypes.astype(str).values,
            "missing": table.isna().sum().values,
        }
    )
    _print_frame(summary, "table")


@table_app.command("convert")
def table_convert(
    path: Annotated[Path, typer.Argument(help="The file to read.")],
    out: Annotated[Path, typer.Argument(help="Output .parquet or .csv file.")],
    kind: _KindOption = None,
    preset: _PresetOption = None,
    brand: _BrandOption = None,
    mapping: _MapOption = None,
    sep: _SepOption = None,
    encoding: _EncodingOption = None,
    sheet: _SheetOption = "0",
    timezone: _TzOption = "UTC",
    date_format: _DateFormatOption = None,
    partition_by: Annotated[
        list[str] | None,
        typer.Option(
            "--partition-by",
            help="Write hive-partitioned Parquet into the folder OUT, one sub-folder per value "
            "of this column (repeatable), for DuckDB or Spark to scan lazily.",
        ),
    ] = None,
) -> None:
    """Read a file, validate it, and write the canonical table (atomically).

    CSV text cells that a spreadsheet would run as formulas get a leading '.
    """
    from scrm_lab.io import write_partitioned, write_table

    _check_out(out, partition_by)
    table = _read(path, kind, preset, brand, mapping, sep, encoding, sheet, timezone, date_format)
    kind = kind or _preset_table(preset)
    if partition_by:
        write_partitioned(table, out, partition_by)
        typer.echo(f"wrote {len(table)} rows of '{kind}' to {out}/ by {', '.join(partition_by)}")
        return
    write_table(table, out)
    typer.echo(f"wrote {len(table)} rows of '{kind}' to {out}")


@table_app.command("presets")
def table_presets(
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """List the export presets --preset reads (X API v2, Meta post insights, listening)."""
    from scrm_lab.io import list_presets

    _print_frame(list_presets(), fmt)


@table_app.command("schema")
def table_schema(
    kind: Annotated[str, typer.Argument(help="A table name, e.g. brands or messages.")],
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """Show the documented columns of a canonical table."""
    from scrm_lab.schema import describe_table

    _print_frame(describe_table(kind).fillna(""), fmt)


# --------------------------------------------------------------------------------- report

_REPORT_FAILED = 3  # exit status of a report run (or batch) in which a notebook failed


@report_app.command("list")
def report_list(
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """List the notebooks that can be run as reports."""
    from scrm_lab.reports import list_notebooks

    _print_frame(list_notebooks().drop(columns=["path"], errors="ignore"), fmt)


@report_app.command("params")
def report_params(
    notebook: Annotated[str, typer.Argument(help="Notebook name or path.")],
    fmt: Annotated[
        str, typer.Option("--format", help="help (text like --help), table, csv or json.")
    ] = "help",
) -> None:
    """Show a notebook's parameters: name, type, allowed values, default, help."""
    from scrm_lab.reports import notebook_parameters, parameters_help

    if fmt == "help":
        typer.echo(parameters_help(notebook))
    else:
        _print_frame(notebook_parameters(notebook), fmt)


def _parameter_pairs(args: list[str]) -> dict[str, str]:
    """``-p NAME VALUE`` pairs (papermill's form) from the arguments click left over."""
    pairs: dict[str, str] = {}
    rest = list(args)
    while rest:
        flag = rest.pop(0)
        if flag not in ("-p", "--param"):
            raise ParameterError(
                f"Unexpected argument {flag!r}; parameters are given as -p NAME VALUE."
            )
        if len(rest) < 2:
            raise ParameterError(
                f"The '{flag}' option takes NAME VALUE. Got {brief(rest)} instead."
            )
        name, value = rest.pop(0), rest.pop(0)
        pairs[name] = value
    return pairs


def _report_parameters(notebook: str, params_file: Path | None, args: list[str]) -> dict:
    """Values from ``-f`` (typed YAML), overridden by ``-p`` (text, read by declared type)."""
    from scrm_lab.reports import parse_parameter_text, read_parameters_file

    values = read_parameters_file(params_file) if params_file is not None else {}
    values.update(parse_parameter_text(notebook, _parameter_pairs(args)))
    return values


_RUN_EPILOG = (
    "Parameters: -p NAME VALUE (repeatable), read by the parameter's declared type "
    "(scrm-lab report params NOTEBOOK); -f FILE.yaml gives several at once, -p overrides it. "
    "Exit status: 0 succeeded, 2 refused before running, 3 the notebook failed."
)


@report_app.command(
    "run",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    epilog=_RUN_EPILOG,
)
def report_run(
    ctx: typer.Context,
    notebook: Annotated[str, typer.Argument(help="Notebook name (scrm-lab report list) or path.")],
    params_file: Annotated[
        Path | None, typer.Option("--params-file", "-f", help="YAML file of parameter values.")
    ] = None,
    output_dir: Annotated[Path, typer.Option(help="Where report folders go.")] = Path("reports"),
    timeout: Annotated[float, typer.Option(help="Seconds allowed per cell.")] = 600,
    progress: Annotated[bool, typer.Option(help="Show a progress bar over cells.")] = True,
) -> int:
    """Execute a notebook with papermill and render its HTML report (without code)."""
    from scrm_lab.reports import run_report

    parameters = _report_parameters(notebook, params_file, ctx.args)
    run = run_report(
        notebook, parameters, output_dir=output_dir, timeout=timeout, progress=progress
    )
    typer.echo(f"{run.status}: {run.html}")
    typer.echo(f"every run: {Path(output_dir) / 'index.html'}")
    return 0


@report_app.command("batch")
def report_batch(
    notebook: Annotated[str, typer.Argument(help="Notebook name (scrm-lab report list) or path.")],
    grid: Annotated[
        Path,
        typer.Option(help="YAML file: parameters (fixed), grid (name: [values]), runs (list)."),
    ],
    workers: Annotated[int, typer.Option(help="Runs at the same time (processes).")] = 2,
    output_dir: Annotated[Path, typer.Option(help="Where report folders go.")] = Path("reports"),
    timeout: Annotated[float, typer.Option(help="Seconds allowed per cell.")] = 600,
    progress: Annotated[bool, typer.Option(help="Show a progress bar over runs.")] = True,
) -> int:
    """Run a notebook on many parameter sets in parallel; write a summary (CSV and HTML).

    Exit status: 0 when every run succeeded, 3 when any failed (the summary says which).
    """
    from scrm_lab.reports import run_batch

    result = run_batch(
        notebook,
        grid,
        workers=workers,
        output_dir=output_dir,
        timeout=timeout,
        progress=progress,
    )
    ok = result.n_runs - result.n_failed
    typer.echo(f"{ok} of {result.n_runs} runs succeeded: {result.html}")
    if result.n_failed:
        typer.echo(f"scrm-lab: {result.n_failed} run(s) failed; see {result.csv}", err=True)
        return _REPORT_FAILED
    return 0


@report_app.command("clean")
def report_clean(
    output_dir: Annotated[Path, typer.Option(help="The reports folder.")] = Path("reports"),
) -> None:
    """Remove what killed runs left behind (staging folders, temporary files); never a live
    run's. Each run and batch also does this when it starts."""
    from scrm_lab.reports import clean_reports

    removed = clean_reports(output_dir)
    for path, kind in removed.itertuples(index=False):
        typer.echo(f"removed {kind}: {path}")
    typer.echo(f"{len(removed)} item(s) removed from {output_dir}")


# ------------------------------------------------------------------------------- schedule

_SCHEDULE_FILE = typer.Option("--file", help="The schedules YAML file.")


@schedule_app.command("list")
def schedule_list(
    file: Annotated[Path, _SCHEDULE_FILE] = Path("schedules.yaml"),
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """Check the schedules file and list its jobs with their next run (UTC)."""
    from scrm_lab.reports.schedules import list_jobs

    _print_frame(list_jobs(file), fmt)


@schedule_app.command("run")
def schedule_run(
    job: Annotated[str, typer.Argument(help="The job's name.")],
    file: Annotated[Path, _SCHEDULE_FILE] = Path("schedules.yaml"),
    progress: Annotated[bool, typer.Option(help="Show a progress bar over cells.")] = True,
) -> int:
    """Run one job now, exactly as `report run` would (exit 3 if the notebook fails)."""
    from scrm_lab.reports.schedules import run_job

    run = run_job(job, file, progress=progress)
    typer.echo(f"{run.status}: {run.html}")
    return 0


@schedule_app.command("export")
def schedule_export(
    fmt: Annotated[str, typer.Option("--format", help="cron (crontab lines) or airflow (DAG).")],
    file: Annotated[Path, _SCHEDULE_FILE] = Path("schedules.yaml"),
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Turn the schedules file into crontab lines or an Airflow DAG file."""
    from scrm_lab.io import write_text
    from scrm_lab.reports.schedules import export_schedules

    text = export_schedules(file, fmt)
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_text(text, out)


# ------------------------------------------------------------------------------ customers

_MODELS = {"bgnbd": "BGNBD", "paretonbd": "ParetoNBD", "gammagamma": "GammaGamma"}


@customers_app.command("summary")
def customers_summary(
    path: Annotated[Path, typer.Argument(help="A transactions file (CSV, Parquet, Excel...).")],
    out: Annotated[Path, typer.Option(help="Output .csv or .parquet file.")],
    mapping: _MapOption = None,
    calibration_end: Annotated[
        str | None, typer.Option(help="End of the calibration period (YYYY-MM-DD).")
    ] = None,
    observation_end: Annotated[str | None, typer.Option(help="End of the data.")] = None,
    time_unit: Annotated[str, typer.Option(help="D, W, M or Y.")] = "W",
) -> None:
    """One row per customer: frequency, recency, T, monetary value (and the holdout)."""
    from scrm_lab.customers import rfm_summary
    from scrm_lab.io import read_table, write_table

    _check_out(out)
    log = read_table(path, kind="transactions", columns=_mapping(mapping))
    summary = rfm_summary(log, calibration_end=calibration_end, observation_end=observation_end,
                          time_unit=time_unit)  # fmt: skip
    write_table(summary, out)
    typer.echo(f"wrote {len(summary)} customers to {out}")


@customers_app.command("fit")
def customers_fit(
    path: Annotated[Path, typer.Argument(help="A customer summary (customers summary).")],
    model: Annotated[str, typer.Option(help=f"One of {', '.join(_MODELS)}.")] = "bgnbd",
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """Fit a customer-base model by maximum likelihood; print its parameters."""
    from scrm_lab import customers
    from scrm_lab.io import read_file

    if model not in _MODELS:
        raise ParameterError(
            f"The '--model' option must be one of {', '.join(_MODELS)}. Got {brief(model)}."
        )
    fitted = getattr(customers, _MODELS[model])().fit(read_file(path))
    _print_frame(fitted.summary(), fmt)
    typer.echo(f"log-likelihood {fitted.log_likelihood_:.2f} on {fitted.n_customers_} customers")


# ----------------------------------------------------------------------------- engagement


@engagement_app.command("compare")
def engagement_compare(
    path: Annotated[Path, typer.Argument(help="Your brand's channels: a YAML or CSV file.")],
    rubric: Annotated[
        str, typer.Option(help="A shipped rubric name or the path of a rubric YAML file.")
    ] = "engagementdb_2009",
    peers: Annotated[
        Path | None,
        typer.Option(
            help="The peers' channel_activity file; default: the 100 reconstructed brands "
            "(simulated channel data).",
            show_default=False,
        ),
    ] = None,
    breadth_cut: Annotated[int, typer.Option(help="Channels from which a brand is broad.")] = 7,
    k: Annotated[int, typer.Option(help="Nearest peer brands listed.")] = 5,
) -> None:
    """Place a brand among peers: score, breadth, rank, profiles, nearest brands, next steps."""
    from scrm_lab.engagement import compare_brand

    result = compare_brand(path, rubric=rubric, peers=peers, breadth_cut=breadth_cut, k=k)
    typer.echo("\n".join(result.summary_lines()))


# ---------------------------------------------------------------------------------- synth


def _write_tables(out: Path, tables: dict[str, pd.DataFrame], truth: dict) -> None:
    """Write every table as CSV (:func:`scrm_lab.io.write_table`) plus truth.json into a new
    folder, all or nothing."""
    from scrm_lab.io import write_table

    if out.exists():
        raise ParameterError(f"The output folder '{out}' already exists; choose a new one.")
    if not out.parent.is_dir():
        raise ParameterError(f"The parent folder of '{out}' does not exist.")
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, frame in tables.items():
            write_table(frame, staging / f"{name}.csv")
        truth_text = json.dumps(truth, indent=2, default=str) + "\n"
        (staging / "truth.json").write_text(truth_text, encoding="utf-8")
        os.replace(staging, out)
    finally:
        if staging.exists():
            for child in staging.iterdir():
                child.unlink()
            staging.rmdir()


_OutOption = Annotated[Path, typer.Option("--out", "-o", help="New folder to write into.")]
_SeedOption = Annotated[int, typer.Option(help="Random seed: same seed, same data.")]


@synth_app.command("brand-panel")
def synth_brand_panel(
    out: _OutOption,
    n_brands: Annotated[int, typer.Option(help="Number of brands.")] = 100,
    n_periods: Annotated[int, typer.Option(help="Number of periods.")] = 12,
    effect: Annotated[float, typer.Option(help="True effect of engagement on growth.")] = 0.0,
    confounding: Annotated[float, typer.Option(help="Strength of size/sector confounding.")] = 1.0,
    reverse: Annotated[float, typer.Option(help="Growth driving later engagement.")] = 0.0,
    noise: Annotated[float, typer.Option(help="Noise scale.")] = 1.0,
    seed: _SeedOption = 0,
) -> None:
    """Simulate brands x channels x periods with a known effect on revenue growth."""
    from scrm_lab.synth import simulate_brand_panel

    panel = simulate_brand_panel(
        n_brands=n_brands,
        n_periods=n_periods,
        effect=effect,
        confounding=confounding,
        reverse=reverse,
        noise=noise,
        seed=seed,
    )
    tables = {
        "brands": panel.brands,
        "channel_activity": panel.channel_activity,
        "financials": panel.financials,
        "latent": panel.latent,
    }
    _write_tables(out, tables, panel.truth)
    typer.echo(f"wrote {', '.join(tables)} and truth.json to {out}")


@synth_app.command("customers")
def synth_customers(
    out: _OutOption,
    n_customers: Annotated[int, typer.Option(help="Number of customers.")] = 1000,
    days: Annotated[int, typer.Option(help="Days simulated.")] = 365,
    engagement_effect: Annotated[float, typer.Option(help="Effect on purchase rate.")] = 0.5,
    seed: _SeedOption = 0,
) -> None:
    """Simulate customers, their interactions across channels and their purchases."""
    from scrm_lab.synth import simulate_customers

    data = simulate_customers(
        n_customers=n_customers, days=days, engagement_effect=engagement_effect, seed=seed
    )
    tables = {
        "customers": data.customers,
        "interactions": data.interactions,
        "transactions": data.transactions,
        "latent": data.latent,
    }
    _write_tables(out, tables, data.truth)
    typer.echo(f"wrote {', '.join(tables)} and truth.json to {out}")


@synth_app.command("graph")
def synth_graph(
    out: _OutOption,
    n_nodes: Annotated[int, typer.Option(help="Number of people.")] = 1000,
    n_communities: Annotated[int, typer.Option(help="Planted communities.")] = 5,
    mixing: Annotated[float, typer.Option(help="Share of links across communities.")] = 0.1,
    seed: _SeedOption = 0,
) -> None:
    """Simulate a social graph with planted communities."""
    from scrm_lab.synth import simulate_social_graph

    graph = simulate_social_graph(
        n_nodes=n_nodes, n_communities=n_communities, mixing=mixing, seed=seed
    )
    _write_tables(out, {"edges": graph.edges, "nodes": graph.nodes}, graph.truth)
    typer.echo(f"wrote edges, nodes and truth.json to {out}")


# --------------------------------------------------------------------------------- bench


@app.command("bench")
def bench(
    replications: Annotated[
        int, typer.Option(help="Simulated panels per scenario (more: tighter estimates).")
    ] = 200,
    workers: Annotated[
        int | None, typer.Option(help="Processes; default: all cores.", show_default=False)
    ] = None,
    seed: _SeedOption = 0,
    scenario: Annotated[
        list[str] | None,
        typer.Option("--scenario", help="A scenario name (repeatable); default: all."),
    ] = None,
    method: Annotated[
        list[str] | None,
        typer.Option("--method", help="A method name (repeatable); default: all."),
    ] = None,
    alpha: Annotated[float, typer.Option(help="Test level; CIs have level 1 - alpha.")] = 0.05,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the summary table to this .csv or .parquet file."),
    ] = None,
    no_progress: Annotated[
        bool, typer.Option("--no-progress", help="Hide the progress bar.")
    ] = False,
) -> None:
    """Benchmark the methods on simulated panels: type I error, power, coverage, bias."""
    from scrm_lab.bench import run_benchmark

    if out is not None:
        _check_out(out)
    result = run_benchmark(
        scenarios=scenario or None,
        methods=method or None,
        replications=replications,
        alpha=alpha,
        seed=seed,
        workers=workers,
        progress=not no_progress,
    )
    if out is not None:
        from scrm_lab.io import write_table

        write_table(result.summary, out)
    _print_frame(result.summary, "table")


# -------------------------------------------------------------------------------- lessons

_LANG = Annotated[
    str, typer.Option("--lang", help="Language: en (English), es (español) or pt (português).")
]
_LESSON = Annotated[str, typer.Argument(help="Lesson number or name (scrm-lab lessons list).")]


@lessons_app.command("list")
def lessons_list(
    lang: _LANG = "en",
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """The course map: each lesson in order, what it teaches, its time and data."""
    from scrm_lab.lessons import list_lessons

    columns = ["number", "lesson", "title", "minutes", "datasets"]
    lessons = list_lessons(lang)
    _print_frame(lessons[columns] if fmt == "table" else lessons, fmt)


@lessons_app.command("start")
def lessons_start(
    lesson: _LESSON,
    lang: _LANG = "en",
    folder: Annotated[
        Path, typer.Option("--dir", help="Working folder (created if needed).")
    ] = Path("."),
) -> None:
    """Copy a fresh student version of a lesson into a folder; never overwrites your work."""
    from scrm_lab.lessons import start_lesson

    typer.echo("\n".join(start_lesson(lesson, lang, folder).instructions()))


@lessons_app.command("run")
def lessons_run(
    lesson: _LESSON,
    lang: _LANG = "en",
    version: Annotated[
        str, typer.Option("--version", help="solution (worked answers) or student.")
    ] = "solution",
    output_dir: Annotated[Path, typer.Option(help="Where report folders go.")] = Path("reports"),
    timeout: Annotated[float, typer.Option(help="Seconds allowed per cell.")] = 600,
) -> int:
    """Run a lesson as an HTML report with its code; print each self-check's verdict."""
    from scrm_lab.lessons import run_lesson

    run = run_lesson(lesson, lang, version, output_dir=output_dir, timeout=timeout)
    for key, verdict in run.results.items():
        typer.echo(f"{key}: {verdict}")
    typer.echo(f"{run.status}: {run.html}")
    return 0


# ----------------------------------------------------------------------------- entry point


def run(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` and return the exit status (0, 1, 2 or 3)."""
    try:
        result = app(args=argv, prog_name="scrm-lab", standalone_mode=False)
    except ReportExecutionError as err:
        typer.echo(f"scrm-lab: report failed: {err}", err=True)
        return _REPORT_FAILED
    except ScrmLabError as err:
        typer.echo(f"scrm-lab: error: {err}", err=True)
        return 2
    except typer.Abort:
        typer.echo("scrm-lab: aborted", err=True)
        return 1
    except typer.TyperException as err:  # usage errors: unknown command or option, bad value
        err.show()
        return err.exit_code
    except Exception as err:  # a bug: say so, with enough to report it
        typer.echo(
            f"scrm-lab: internal error: {type(err).__name__}: {err} "
            "(this is a bug in scrm_lab; please report it with the command you ran)",
            err=True,
        )
        return 1
    return result if isinstance(result, int) else 0


def main() -> None:
    """Console-script entry point for ``scrm-lab``."""
    sys.exit(run(sys.argv[1:]))
