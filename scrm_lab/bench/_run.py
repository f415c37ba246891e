"""Running the benchmark: :func:`run_benchmark`, :class:`BenchmarkResult`, Wilson intervals.

:func:`run_benchmark` simulates every scenario's replications (in worker processes when asked),
applies every method to each panel and summarises rejection rates (with
:func:`wilson_interval`), coverage, bias and RMSE. Replication seeds are derived from the run's
seed, the scenario and the replication number, so the tables do not depend on the workers.

Examples
--------
>>> low, high = wilson_interval(5, 100)
>>> round(float(low), 4), round(float(high), 4)
(0.0215, 0.1118)
"""

from __future__ import annotations

import difflib
import math
import os
import zlib
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scrm_lab._checks import (
    ALPHA,
    SEED,
    Flag,
    Integer,
    OrNone,
    checks,
    current_function,
    refuse,
    renamed,
)
from scrm_lab._proportions import wilson
from scrm_lab.bench._methods import METHODS, result_row
from scrm_lab.bench._scenarios import SCENARIOS, Scenario
from scrm_lab.exceptions import ScrmLabError
from scrm_lab.synth import simulate_brand_panel

__all__ = [
    "REPLICATION_COLUMNS",
    "SUMMARY_COLUMNS",
    "BenchmarkResult",
    "run_benchmark",
    "wilson_interval",
]

#: Columns of :attr:`BenchmarkResult.replications`, in order.
REPLICATION_COLUMNS = (
    "scenario", "n_brands", "n_periods", "true_effect", "replication", "seed", "method",
    "effect_scale", "estimate", "ci_low", "ci_high", "p_value", "reject", "covered", "error",
)  # fmt: skip
#: Columns of :attr:`BenchmarkResult.summary`, in order.
SUMMARY_COLUMNS = (
    "scenario", "n_brands", "n_periods", "true_effect", "method", "effect_scale", "measure",
    "replications", "failed", "rejection_rate", "rejection_ci_low", "rejection_ci_high",
    "coverage", "bias", "rmse", "mean_estimate", "failures",
)  # fmt: skip
_SCENARIO_NAMES = tuple(dict.fromkeys(s.name for s in SCENARIOS))


@dataclass(frozen=True)
class _Picks:
    """A name from ``options`` or a non-empty list of them (or of ``objects``); did-you-mean."""

    options: tuple[str, ...]
    what: str
    objects: type | None = None

    @property
    def expected(self) -> str:
        return f"a non-empty list of {self.what} from {list(self.options)}"

    def _items(self, value: object) -> list | None:
        if isinstance(value, str) or (self.objects is not None and isinstance(value, self.objects)):
            return [value]
        if isinstance(value, Sequence) and not isinstance(value, bytes):
            return list(value)
        return None

    def _known(self, item: object) -> bool:
        if self.objects is not None and isinstance(item, self.objects):
            return True
        return isinstance(item, str) and item in self.options

    def accepts(self, value: object) -> bool:
        items = self._items(value)
        return bool(items) and all(self._known(item) for item in items)

    def hint(self, value: object) -> str:
        unknown = [item for item in self._items(value) or [] if not self._known(item)]
        if not unknown:
            return ""
        close = difflib.get_close_matches(str(unknown[0]), self.options, n=1, cutoff=0.5)
        return f" Did you mean {close[0]!r}?" if close else ""

    def example(self) -> list[str]:
        return [self.options[0]]

    def invalid(self) -> list[object]:
        return [1, [], [f"{self.options[0]}_not_an_option"]]


# ----------------------------------------------------------------------------- statistics


@checks(alpha=ALPHA, level=OrNone(ALPHA))
def wilson_interval(
    successes: np.ndarray | int,
    n: np.ndarray | int,
    *,
    alpha: float = 0.05,
    level: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion (missing where ``n`` is 0).

    A thin call of the package's one Wilson interval (statsmodels ``proportion_confint``).

    Parameters
    ----------
    successes, n : int or array of int
        Successes and trials.
    alpha : float, default 0.05
        The interval has confidence level 1 - ``alpha``.
    level : float, optional
        Deprecated: the confidence level, now ``alpha`` = 1 - ``level`` (a FutureWarning
        says so); removed in the next minor version.

    Returns
    -------
    tuple of numpy.ndarray
        Lower and upper bounds.

    Examples
    --------
    >>> low, high = wilson_interval(5, 100)
    >>> round(float(low), 4), round(float(high), 4)
    (0.0215, 0.1118)
    """
    if level is not None:
        alpha = 1 - renamed("level", "alpha", level, current_function())
    return wilson(successes, n, float(alpha))


# ----------------------------------------------------------------------------- running


@dataclass(frozen=True, eq=False)
class BenchmarkResult:
    """What :func:`run_benchmark` returns.

    Attributes
    ----------
    replications : pandas.DataFrame
        One row per scenario, replication and method, columns :data:`REPLICATION_COLUMNS`:
        the scenario's ``scenario`` (name), ``n_brands``, ``n_periods``, ``true_effect``;
        ``replication`` (0-based) and the ``seed`` given to the simulator; ``method``,
        ``effect_scale``; ``estimate``, ``ci_low``, ``ci_high`` (level 1 - alpha),
        ``p_value``; ``reject`` (p_value < alpha); ``covered`` (the interval holds the true
        effect; missing for methods not on the effect's scale); ``error`` (empty, or the
        error a failed replication raised, with its estimate missing).
    summary : pandas.DataFrame
        One row per scenario and method, columns :data:`SUMMARY_COLUMNS`: ``measure``
        ("type I error" when the true effect is 0, else "power"); ``replications`` (that
        succeeded) and ``failed``; ``rejection_rate`` with its Wilson interval
        (``rejection_ci_low``, ``rejection_ci_high``); ``coverage``, ``bias`` (mean estimate
        - true effect) and ``rmse`` (missing for methods not on the effect's scale);
        ``mean_estimate``; ``failures`` (distinct error messages, "; "-joined).
    alpha : float
        Level of the tests.
    seed : int
        The seed of the run.
    """

    replications: pd.DataFrame
    summary: pd.DataFrame
    alpha: float
    seed: int


def _scenarios(value: object) -> list[Scenario]:
    """The declared ``scenarios`` as Scenario objects (a name selects all its sizes)."""
    if value is None:
        return list(SCENARIOS)
    items = [value] if isinstance(value, str | Scenario) else list(value)
    chosen: list[Scenario] = []
    for item in items:
        chosen += [item] if isinstance(item, Scenario) else [s for s in SCENARIOS if s.name == item]
    unique = list(dict.fromkeys(chosen))
    keys = [(s.name, s.n_brands, s.n_periods) for s in unique]
    if len(set(keys)) < len(keys):
        raise refuse("scenarios", "scenarios with distinct (name, n_brands, n_periods)", value)
    return unique


def _replication_seed(seed: int, scenario: Scenario, replication: int) -> int:
    key = zlib.crc32(f"{scenario.name}/{scenario.n_brands}/{scenario.n_periods}".encode())
    return int(np.random.SeedSequence([seed, key, replication]).generate_state(1)[0])


def _run_chunk(
    scenario: Scenario, replications: list[int], seed: int, methods: list[str], alpha: float
) -> list[dict]:
    rows = []
    for i in replications:
        rep_seed = _replication_seed(seed, scenario, i)
        try:
            panel = simulate_brand_panel(
                n_brands=scenario.n_brands, n_periods=scenario.n_periods, effect=scenario.effect,
                confounding=scenario.confounding, reverse=scenario.reverse, seed=rep_seed,
            )  # fmt: skip
            simulated = ""
        except ScrmLabError as err:
            panel, simulated = None, f"simulation: {err}"
        for name in methods:
            row = {"replication": i, "seed": rep_seed, "method": name, "error": simulated}
            row |= result_row(np.nan, np.nan, np.nan, np.nan)
            if panel is not None:
                try:
                    row |= METHODS[name].function(panel, alpha)
                except (ScrmLabError, ArithmeticError, ValueError, np.linalg.LinAlgError) as err:
                    row["error"] = f"{type(err).__name__}: {err}"
            rows.append(row)
    return rows


def _chunks(replications: int, size: int) -> list[list[int]]:
    return [list(range(i, min(i + size, replications))) for i in range(0, replications, size)]


@checks(
    scenarios=OrNone(_Picks(_SCENARIO_NAMES, "scenario names or Scenario objects", Scenario)),
    methods=OrNone(_Picks(tuple(METHODS), "method names")),
    replications=Integer(low=1),
    alpha=ALPHA,
    seed=SEED,
    workers=OrNone(Integer(low=1)),
    progress=Flag(),
)
def run_benchmark(
    *,
    scenarios: Sequence[str | Scenario] | None = None,
    methods: Sequence[str] | None = None,
    replications: int = 200,
    alpha: float = 0.05,
    seed: int = 0,
    workers: int | None = None,
    progress: bool = False,
) -> BenchmarkResult:
    """Simulate every scenario ``replications`` times and apply every method to each panel.

    Parameters
    ----------
    scenarios : list of str or Scenario, optional
        Scenario names from :data:`SCENARIOS` (a name selects all its panel sizes) or
        :class:`Scenario` objects; default all of :data:`SCENARIOS`.
    methods : list of str, optional
        Names from :data:`METHODS`; default all.
    replications : int, default 200
        Simulated panels per scenario (>= 1).
    alpha : float, default 0.05
        Test level; the intervals have level 1 - alpha.
    seed : int, default 0
        Seed (>= 0) from which each replication's seed is derived (see the module docstring).
    workers : int, optional
        Processes (>= 1); default ``os.cpu_count()``. With 1, everything runs in this process.
        The result does not depend on it.
    progress : bool, default False
        Show a tqdm progress bar (on stderr) of the replications done.

    Returns
    -------
    BenchmarkResult
        ``replications`` and ``summary`` tables (see :class:`BenchmarkResult`).

    Raises
    ------
    ParameterError
        Unknown scenario or method name (with a suggestion), ``replications`` or
        ``workers`` < 1, ``alpha`` outside (0, 1), ``seed`` < 0.

    Examples
    --------
    >>> res = run_benchmark(scenarios=["effect_large"], methods=["fixed_effects_panel"],
    ...                     replications=3, workers=1)
    >>> res.summary[["n_brands", "measure", "replications", "failed"]]
       n_brands measure  replications  failed
    0        30   power             3       0
    1       100   power             3       0
    2       300   power             3       0
    3      1000   power             3       0
    """
    chosen = _scenarios(scenarios)
    if methods is None:
        names = list(METHODS)
    else:
        names = list(dict.fromkeys([methods] if isinstance(methods, str) else methods))
    replications, seed = int(replications), int(seed)
    workers = (os.cpu_count() or 1) if workers is None else int(workers)

    size = max(1, min(25, math.ceil(replications / (4 * workers))))
    tasks = [(k, chunk) for k in range(len(chosen)) for chunk in _chunks(replications, size)]
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(chosen) * replications, desc="replications", unit="rep")
    results: dict[int, list[dict]] = {}
    try:
        if workers == 1:
            for t, (k, chunk) in enumerate(tasks):
                results[t] = _run_chunk(chosen[k], chunk, seed, names, float(alpha))
                if bar is not None:
                    bar.update(len(chunk))
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {
                    pool.submit(_run_chunk, chosen[k], chunk, seed, names, float(alpha)): t
                    for t, (k, chunk) in enumerate(tasks)
                }
                for future in as_completed(futures):
                    t = futures[future]
                    results[t] = future.result()
                    if bar is not None:
                        bar.update(len(tasks[t][1]))
    finally:
        if bar is not None:
            bar.close()

    rows = []
    for t, (k, _) in enumerate(tasks):
        s = chosen[k]
        for row in results[t]:
            rows.append({"scenario": s.name, "n_brands": s.n_brands, "n_periods": s.n_periods,
                         "true_effect": s.effect, **row})  # fmt: skip
    table = pd.DataFrame(rows)
    table["effect_scale"] = table["method"].map({n: METHODS[n].effect_scale for n in names})
    failed = table["error"] != ""
    table["reject"] = (table["p_value"] < alpha) & ~failed
    covered = (table["ci_low"] <= table["true_effect"]) & (table["true_effect"] <= table["ci_high"])
    table["covered"] = covered.astype(float).where(table["effect_scale"] & ~failed)
    table = table[list(REPLICATION_COLUMNS)].astype({"n_brands": "int64", "n_periods": "int64"})
    return BenchmarkResult(table, _summarise(table, chosen, names, alpha), float(alpha), seed)


def _summarise(
    table: pd.DataFrame, scenarios: list[Scenario], methods: list[str], alpha: float
) -> pd.DataFrame:
    rows = []
    for s in scenarios:
        here = table[(table["scenario"] == s.name) & (table["n_brands"] == s.n_brands)
                     & (table["n_periods"] == s.n_periods)]  # fmt: skip
        for name in methods:
            part = here[here["method"] == name]
            ok = part[part["error"] == ""]
            k, n = int(ok["reject"].sum()), len(ok)
            low, high = wilson(k, n, alpha) if n else (np.nan, np.nan)
            scale = METHODS[name].effect_scale
            error = ok["estimate"] - s.effect
            rows.append(
                {
                    "scenario": s.name,
                    "n_brands": s.n_brands,
                    "n_periods": s.n_periods,
                    "true_effect": s.effect,
                    "method": name,
                    "effect_scale": scale,
                    "measure": "type I error" if s.effect == 0 else "power",
                    "replications": n,
                    "failed": len(part) - n,
                    "rejection_rate": k / n if n else np.nan,
                    "rejection_ci_low": float(low),
                    "rejection_ci_high": float(high),
                    "coverage": ok["covered"].mean() if scale and n else np.nan,
                    "bias": error.mean() if scale and n else np.nan,
                    "rmse": math.sqrt((error**2).mean()) if scale and n else np.nan,
                    "mean_estimate": ok["estimate"].mean() if n else np.nan,
                    "failures": "; ".join(sorted(set(part.loc[part["error"] != "", "error"]))),
                }
            )
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
