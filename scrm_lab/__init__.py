"""scrm_lab: a Jupyter-based research and benchmarking workbench for social CRM.

The package supplies loaders for shipped real data sets and users' files (validated
canonical tables), simulators with known ground truth, and the report pipeline that runs
parameterized notebooks. Plot functions live in :mod:`scrm_lab.plots` (imported on demand,
so ``import scrm_lab`` stays light).

Examples
--------
>>> import scrm_lab
>>> "csm_movies_social_boxoffice" in set(scrm_lab.list_datasets()["name"])
True
"""

__version__ = "0.1.0"

import scrm_lab._quiet  # noqa: F401  (first: filters third-party warnings before imports)
from scrm_lab.datasets import dataset_info, list_datasets, load_dataset, load_tables
from scrm_lab.exceptions import (
    DataFileError,
    DatasetNotFound,
    ParameterError,
    ReportExecutionError,
    SchemaError,
    ScrmLabError,
)
from scrm_lab.io import conform, list_presets, read_table
from scrm_lab.reports import list_notebooks, run_report
from scrm_lab.schema import describe_table, list_tables, validate
from scrm_lab.synth import simulate_brand_panel, simulate_customers, simulate_social_graph

__all__ = [
    "DataFileError",
    "DatasetNotFound",
    "ParameterError",
    "ReportExecutionError",
    "SchemaError",
    "ScrmLabError",
    "__version__",
    "conform",
    "dataset_info",
    "describe_table",
    "list_datasets",
    "list_notebooks",
    "list_presets",
    "list_tables",
    "load_dataset",
    "load_tables",
    "read_table",
    "run_report",
    "simulate_brand_panel",
    "simulate_customers",
    "simulate_social_graph",
    "validate",
]
