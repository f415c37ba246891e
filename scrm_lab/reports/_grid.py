"""Grids of report parameters: a YAML file (or a mapping) read, expanded and checked.

A grid has up to three keys::

    parameters:          # fixed: the same value in every run
      dataset: csm_movies_social_boxoffice
    grid:                # every combination, the last name varying fastest
      max_rows: [5, 10]
      seed: [1, 2]
    runs:                # more parameter sets, run after the grid's combinations
      - {max_rows: 20, seed: 3}

Every parameter set is checked (:func:`scrm_lab.reports.check_parameters`) before a batch
runs; secret values are masked wherever a set is shown.

Examples
--------
>>> runs = read_grid({"grid": {"max_rows": [5, 10]}}, "dataset_overview")
>>> [r["max_rows"] for r in runs]
[5, 10]
"""

from __future__ import annotations

import itertools
import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrm_lab._checks import Instance, brief, checks, suggest
from scrm_lab._yaml import read_yaml_file
from scrm_lab.exceptions import DataFileError, ParameterError
from scrm_lab.reports._catalog import NOTEBOOK

__all__ = ["read_grid"]

_KEYS = ("parameters", "grid", "runs")
#: Most runs in one batch: a grid's combinations are counted before any is made.
MAX_BATCH_RUNS = 10_000
#: The ``grid`` parameter of read_grid and run_batch.
GRID = Instance(
    (str, os.PathLike, Mapping),
    "a path to a YAML file or a mapping with the keys 'parameters', 'grid' and 'runs'",
)


@dataclass(frozen=True)
class _Plan:
    name: str  # notebook name
    source: Path  # the notebook file
    runs: list[dict[str, Any]]  # checked parameter sets, in grid order
    secret: set[str]  # names of secret parameters
    spec: dict[str, Any]  # the grid as given
    grid_file: Path | None


# ----------------------------------------------------------------------------------- grid


def _load(grid: str | os.PathLike | Mapping[str, Any]) -> tuple[dict[str, Any], Path | None]:
    """The grid mapping, and the file it came from."""
    if isinstance(grid, Mapping):
        return dict(grid), None
    path = Path(grid).expanduser()
    content = read_yaml_file(path, "grid file")
    if not isinstance(content, dict):
        raise DataFileError(
            f"grid file '{path}' must hold one mapping with the keys 'parameters', 'grid' "
            f"and 'runs'. Got {'nothing' if content is None else type(content).__name__}."
        )
    return content, path


def _mask(values: Mapping[str, Any], secret: set[str]) -> dict[str, Any]:
    """The values as outputs may show them: a secret one (when set) is ``<secret>``."""
    from scrm_lab.reports._params import SECRET_SHOWN_AS

    return {k: SECRET_SHOWN_AS if k in secret and v else v for k, v in values.items()}


def _show(values: Mapping[str, Any], secret: set[str]) -> str:
    return ", ".join(f"{k}={brief(v)}" for k, v in _mask(values, secret).items())


def _brief_masked(value: Any, secret: set[str]) -> str:
    """``value`` for a message: a mapping with secret values hidden, anything else short."""
    return brief(_mask(value, secret) if isinstance(value, Mapping) else value)


def _parameter_sets(
    spec: dict[str, Any], where: str, secret: set[str], names: list[str]
) -> list[tuple[dict[str, Any], str]]:
    """Every run's given parameters, with where it comes from, in order (values unchecked).

    The shape is checked first: the sections, every parameter name (one of ``names``) and
    the number of runs (at most :data:`MAX_BATCH_RUNS`), before any combination is made.
    """
    for key in spec:
        if key not in _KEYS:
            raise ParameterError(
                f"{where} has an unknown key {key!r}; the keys are 'parameters' (fixed "
                "values), 'grid' (name: list of values) and 'runs' (a list of parameter "
                f"sets).{suggest(key, _KEYS)}"
            )
    fixed = spec.get("parameters") or {}
    if not isinstance(fixed, Mapping):
        raise ParameterError(
            f"'parameters' in {where} must be a mapping of parameter name to value. "
            f"Got {type(fixed).__name__} instead."
        )
    sets = []
    if "grid" in spec:
        grid = spec["grid"]
        if not isinstance(grid, Mapping) or not grid:
            raise ParameterError(
                f"'grid' in {where} must map parameter names to lists of values. "
                f"Got {_brief_masked(grid, secret)} instead."
            )
        for name, values in grid.items():
            if not isinstance(values, list) or not values:
                shown = brief(_mask({name: values}, secret)[name])
                raise ParameterError(
                    f"'grid' in {where}: the values of {name!r} must be a non-empty list "
                    "(for one value, write it in brackets or move it to 'parameters'). "
                    f"Got {shown} instead."
                )
            if name in fixed:
                raise ParameterError(
                    f"{where}: parameter {name!r} is both in 'parameters' and in 'grid'; "
                    "give it in one of them."
                )
    runs = spec.get("runs")
    if "runs" in spec and (not isinstance(runs, list) or not runs):
        raise ParameterError(
            f"'runs' in {where} must be a non-empty list of parameter mappings. "
            f"Got {brief(runs) if not isinstance(runs, list) else '[]'} instead."
        )
    for number, run in enumerate(runs or [], 1):
        if not isinstance(run, Mapping):
            raise ParameterError(
                f"item {number} of 'runs' in {where} must be a mapping of parameter name "
                f"to value. Got {brief(run)} instead."
            )
    sections = [("'parameters'", fixed), ("'grid'", spec.get("grid") or {})]
    sections += [(f"item {n} of 'runs'", run) for n, run in enumerate(runs or [], 1)]
    for section, given in sections:
        for key in given:
            if key not in names:
                raise ParameterError(
                    f"{section} in {where}: the notebook has no parameter {brief(key)}; its "
                    f"parameters are {', '.join(names) or 'none'}."
                    f"{suggest(str(key), names)}"
                )
    combinations = math.prod(len(v) for v in spec["grid"].values()) if "grid" in spec else 0
    if combinations + len(runs or []) > MAX_BATCH_RUNS:
        raise ParameterError(
            f"{where} defines {combinations + len(runs or []):,} runs; a batch runs at most "
            f"{MAX_BATCH_RUNS:,} (split it into several batches)."
        )
    if "grid" in spec:
        grid = spec["grid"]
        for combination in itertools.product(*grid.values()):
            varied = dict(zip(grid, combination, strict=True))
            sets.append(({**fixed, **varied}, f"grid combination {_show(varied, secret)}"))
    if runs:
        for number, run in enumerate(runs, 1):
            both = sorted(set(run) & set(fixed), key=str)
            if both:
                raise ParameterError(
                    f"item {number} of 'runs' in {where} sets {both[0]!r}, which 'parameters' "
                    "fixes for every run; give it in one of them."
                )
            sets.append(({**fixed, **run}, f"item {number} of 'runs'"))
    if not sets:
        raise ParameterError(
            f"{where} defines no run; give 'grid' (parameter name: list of values), 'runs' "
            "(a list of parameter mappings) or both."
        )
    return sets


def _plan(grid: str | os.PathLike | Mapping[str, Any], notebook: str | os.PathLike) -> _Plan:
    """Read and check a grid: every run's effective parameters, before anything runs."""
    from scrm_lab.reports._catalog import _resolve, check_parameters, notebook_parameters

    name, source = _resolve(notebook)
    declared = notebook_parameters(source)
    secret = set(declared.loc[declared["secret"].astype(bool), "name"])
    spec, grid_file = _load(grid)
    where = "the grid" if grid_file is None else f"grid file '{grid_file}'"
    runs, seen = [], {}
    names = list(declared["name"])
    for number, (given, origin) in enumerate(_parameter_sets(spec, where, secret, names), 1):
        try:
            checked = check_parameters(source, given)
        except (ParameterError, DataFileError) as err:
            raise type(err)(f"run {number} of {where} ({origin}): {err}") from err
        key = json.dumps(checked, sort_keys=True, default=str)
        if key in seen:
            raise ParameterError(
                f"runs {seen[key]} and {number} of {where} have the same parameters "
                f"({_show(checked, secret)}); every run of a batch must differ."
            )
        seen[key] = number
        runs.append(checked)
    return _Plan(name, source, runs, secret, spec, grid_file)


@checks(grid=GRID, notebook=NOTEBOOK)
def read_grid(
    grid: str | os.PathLike | Mapping[str, Any], notebook: str | os.PathLike
) -> list[dict[str, Any]]:
    """Every run of a batch grid, checked against the notebook's parameters (no kernel).

    Parameters
    ----------
    grid : str, path-like or mapping
        A YAML file, or a mapping, with optional keys ``parameters`` (fixed values for every
        run), ``grid`` (name -> non-empty list of values: every combination, the last name
        varying fastest) and ``runs`` (a list of parameter mappings, after the combinations).
    notebook : str or path-like
        A catalog name or a path to an ``.ipynb`` file.

    Returns
    -------
    list of dict
        One dict per run, in order: every parameter's effective value, defaults included.

    Raises
    ------
    ParameterError
        An unknown top-level key (with the closest one), a malformed section, no run at
        all, a run refused by :func:`~scrm_lab.reports.check_parameters` (the message names
        the run's number and where it comes from) or two runs with the same parameters.
    DataFileError
        A grid file that is missing, unreadable or not valid YAML (with the line).

    Examples
    --------
    >>> runs = read_grid(
    ...     {"parameters": {"dataset": "facebook_metrics"}, "grid": {"max_rows": [5, 10]}},
    ...     "dataset_overview",
    ... )
    >>> [(r["dataset"], r["max_rows"]) for r in runs]
    [('facebook_metrics', 5), ('facebook_metrics', 10)]
    """
    return _plan(grid, notebook).runs


# ------------------------------------------------------------------------------ execution

_stop: Any = None  # in a worker process: the batch's "stop starting runs" event


def _masked_spec(spec: dict[str, Any], secret: set[str]) -> dict[str, Any]:
    """The grid as given, with the values of secret parameters hidden."""
    masked = dict(spec)
    if isinstance(spec.get("parameters"), Mapping):
        masked["parameters"] = _mask(spec["parameters"], secret)
    if isinstance(spec.get("grid"), Mapping):
        grid = spec["grid"]
        masked["grid"] = {
            k: [_mask({k: v}, secret)[k] for v in values] if isinstance(values, list) else values
            for k, values in grid.items()
        }
    if isinstance(spec.get("runs"), list):
        masked["runs"] = [_mask(r, secret) if isinstance(r, Mapping) else r for r in spec["runs"]]
    return masked
