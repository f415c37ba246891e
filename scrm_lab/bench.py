r"""Method benchmark on simulated brand panels: type I error, power, CI coverage and bias.

Every scenario (:data:`SCENARIOS`) fixes the parameters of
:func:`scrm_lab.synth.simulate_brand_panel` (true effect, confounding by size and sector,
reverse causality, brands, periods); every method (:data:`METHODS`) turns one simulated
panel into one estimate with a confidence interval and a p-value. :func:`run_benchmark`
simulates many replications of each scenario, applies every method to each, and summarises
how often each method rejects "no effect" (type I error when the true effect is 0, power
otherwise), how often its interval covers the true effect, and its bias and RMSE.

The methods, from the 2009 ENGAGEMENTdb design to designs that respect timing and controls:

- ``raw_correlation``: brand-level cross-section (mean growth over the periods against the
  mean lagged engagement index), Spearman's rho (:func:`scrm_lab.models.correlate`). Tests
  "no association"; rho is not on the effect's scale, so bias and coverage do not apply.
- ``group_means_2009``: the 2009 comparison: brands in the top quartile of mean engagement
  against the bottom quartile, difference in mean growth, Welch t-test (scipy
  ``ttest_ind(equal_var=False)``; the difference equals the raw gap of
  :func:`scrm_lab.models.group_difference`). A gap between groups is not on the effect's
  scale.
- ``partial_correlation``: the same cross-section, Pearson correlation once log size and
  sector are taken out of both (:func:`scrm_lab.models.partial_correlate`). Not on the
  effect's scale.
- ``regression_controls``: cross-section OLS of mean growth on mean lagged engagement, log
  size and sector dummies with HC3 standard errors; the coefficient is on the effect's scale
  (the same estimator as :func:`scrm_lab.models.regress`, fitted with statsmodels directly
  because the formula machinery costs 40 times the fit).
- ``fixed_effects_panel``: growth on the lagged engagement index with brand and period fixed
  effects: :func:`scrm_lab.models.panel_effects` with ``x="engagement_index_lag"``,
  computed here by the two-way within transformation of the balanced panel because it runs
  thousands of times (a test checks that both give the same estimate, interval and
  p-value). It uses within-brand variation only, so anything constant per brand
  (size, sector, the engagement level) cannot confound it; its coefficient estimates
  ``truth["effect"]``. Standard errors are clustered by brand with the CR1 correction of
  Stata's ``xtreg, fe vce(cluster)`` (G / (G - 1) x (N - 1) / (N - K), K counting the
  slope, the constant and the period effects, not the brand effects nested in the clusters)
  and a t reference with G - 1 degrees of freedom (Cameron and Miller 2015), as
  ``panel_effects`` does by default.
- ``lead_lag``: the pooled ``engagement_index -> growth`` Granger-type test of
  :func:`scrm_lab.models.lead_lag` with one lag: growth on its own lag and the lagged index,
  brand fixed effects, standard errors clustered by brand, F(1, G - 1) reference (computed by
  the within transformation directly; the per-brand tests and ADF checks of ``lead_lag``
  are skipped). Rejection reads "engagement leads growth"; the coefficient is conditional on
  lagged growth, so bias and coverage are not reported.

Reproducibility: replication ``i`` of a scenario is simulated with the seed
``SeedSequence([seed, key, i]).generate_state(1)[0]``, ``key`` being the CRC-32 of
``"<scenario name>/<n_brands>/<n_periods>"``; the table is the same for any number of
workers and for any subset of scenarios and methods.

Examples
--------
>>> result = run_benchmark(scenarios=["null"], methods=["raw_correlation"], replications=2,
...                        workers=1)
>>> result.summary[["scenario", "n_brands", "method", "measure", "replications"]].head(2)
  scenario  n_brands           method        measure  replications
0     null        30  raw_correlation  type I error             2
1     null       100  raw_correlation  type I error             2
"""

from __future__ import annotations

import difflib
import math
import numbers
import os
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from scrm_lab._checks import check_alpha, renamed
from scrm_lab._proportions import wilson
from scrm_lab.exceptions import ParameterError, ScrmLabError
from scrm_lab.models import correlate, partial_correlate
from scrm_lab.synth import BrandPanel, simulate_brand_panel

__all__ = [
    "METHODS",
    "REPLICATION_COLUMNS",
    "SCENARIOS",
    "SUMMARY_COLUMNS",
    "BenchmarkResult",
    "Method",
    "Scenario",
    "benchmark_conclusions",
    "make_scenarios",
    "method_table",
    "plot_benchmark",
    "run_benchmark",
    "scenario_table",
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


# ----------------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Scenario:
    """One simulation setting of :func:`scrm_lab.synth.simulate_brand_panel`.

    Attributes
    ----------
    name : str
        Scenario name; several scenarios share a name and differ in ``n_brands``.
    effect : float
        True change in revenue log-growth per unit of the lagged engagement index.
    confounding : float
        Size and sector loadings of engagement (0: none).
    reverse : float
        Rise of the next index per sigma of growth (0: no reverse causality).
    n_brands, n_periods : int
        Panel size.
    description : str
        One line in plain words.
    """

    name: str
    effect: float
    confounding: float
    reverse: float
    n_brands: int
    n_periods: int
    description: str


#: Brands per scenario in the default set.
N_BRANDS = (30, 100, 300, 1000)
#: Reported periods per scenario in the default set (two years of quarters).
N_PERIODS = 8
_BASE = (
    ("null", 0.0, 0.0, 0.0,
     "no effect, no confounding: every method should reject 5% of the time"),
    ("confounded_null", 0.0, 1.0, 0.0,
     "no effect, but large and growing brands in growing sectors engage more"),
    ("reverse", 0.0, 0.0, 0.5,
     "no effect, but growth raises the next period's engagement (reverse causality)"),
    ("effect_small", 0.002, 1.0, 0.0,
     "engagement raises growth by 0.2 points per period per sd, with confounding"),
    ("effect_medium", 0.005, 1.0, 0.0,
     "engagement raises growth by 0.5 points per period per sd, with confounding"),
    ("effect_large", 0.01, 1.0, 0.0,
     "engagement raises growth by 1 point per period per sd, with confounding"),
)  # fmt: skip
# Growth noise has sd 0.05 per period, so the effects (0.002, 0.005, 0.01) take the
# fixed-effects panel from little power at 30 brands to near-certain detection at 1000.


def make_scenarios(
    *, n_brands: Sequence[int] = N_BRANDS, n_periods: int = N_PERIODS
) -> tuple[Scenario, ...]:
    """The six default settings with other panel sizes.

    Parameters
    ----------
    n_brands : sequence of int
        Brands (each >= 8, so that every quartile group has two brands).
    n_periods : int
        Reported periods (>= 3, so that the lead-lag regression has two periods).

    Returns
    -------
    tuple of Scenario
        Setting by setting, each with every ``n_brands``.

    Examples
    --------
    >>> [(s.name, s.n_brands) for s in make_scenarios(n_brands=[50])][:2]
    [('null', 50), ('confounded_null', 50)]
    """
    if isinstance(n_brands, str | bytes) or not isinstance(n_brands, Sequence) or not n_brands:
        raise ParameterError(
            "The 'n_brands' parameter of make_scenarios must be a non-empty list of integers "
            f">= 8. Got {n_brands!r} instead."
        )
    sizes = [_integer(n, "n_brands", 8, "make_scenarios") for n in n_brands]
    periods = _integer(n_periods, "n_periods", 3, "make_scenarios")
    return tuple(
        Scenario(name, effect, confounding, reverse, n, periods, text)
        for name, effect, confounding, reverse, text in _BASE
        for n in dict.fromkeys(sizes)
    )


def _integer(value: object, name: str, low: int, function: str = "run_benchmark") -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ParameterError(
            f"The {name!r} parameter of {function} must be an integer >= {low}. "
            f"Got {value!r} instead."
        )
    return int(value)


#: The default scenarios: the six settings with 30, 100, 300 and 1000 brands over 8 periods.
SCENARIOS: tuple[Scenario, ...] = make_scenarios()


def scenario_table(scenarios: Sequence[Scenario] = SCENARIOS) -> pd.DataFrame:
    """The scenarios as a table, one row each.

    Parameters
    ----------
    scenarios : sequence of Scenario
        Default :data:`SCENARIOS`.

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``effect``, ``confounding``, ``reverse``, ``n_brands``,
        ``n_periods``, ``description``.

    Examples
    --------
    >>> scenario_table()["name"].unique().tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['null', 'confounded_null', 'reverse', 'effect_small', 'effect_medium', 'effect_large']
    """
    return pd.DataFrame([vars(s) for s in scenarios], columns=list(Scenario.__annotations__))


# ----------------------------------------------------------------------------- methods


@dataclass(frozen=True)
class Method:
    """A method of the benchmark.

    Attributes
    ----------
    name : str
        Method name.
    effect_scale : bool
        True when the estimate is on the scale of ``truth["effect"]`` (bias and coverage are
        then reported).
    description : str
        One line in plain words.
    function : callable
        ``function(panel, alpha)`` -> dict with ``estimate``, ``ci_low``, ``ci_high``,
        ``p_value``.
    """

    name: str
    effect_scale: bool
    description: str
    function: Callable[[BrandPanel, float], dict]


def _cross_section(panel: BrandPanel) -> pd.DataFrame:
    """One row per brand: mean growth, mean lagged index, size, sector."""
    latent = panel.latent
    n = len(panel.brands)
    t = len(latent) // n
    growth = latent["growth"].to_numpy().reshape(n, t)
    lagged = latent["engagement_index_lag"].to_numpy().reshape(n, t)
    return pd.DataFrame(
        {
            "brand": panel.brands["brand"],
            "growth": growth.mean(axis=1),
            "engagement": lagged.mean(axis=1),
            "size": panel.brands["size"],
            "sector": panel.brands["sector"],
        }
    )


def _row(estimate: float, low: float, high: float, p_value: float) -> dict:
    return {"estimate": float(estimate), "ci_low": float(low), "ci_high": float(high),
            "p_value": float(p_value)}  # fmt: skip


def _raw_correlation(panel: BrandPanel, alpha: float) -> dict:
    res = correlate(_cross_section(panel), x="engagement", y="growth", method="spearman",
                    alpha=alpha)  # fmt: skip
    return _row(*res.loc[0, ["estimate", "ci_low", "ci_high", "p_value"]])


def _quartile_groups(cs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Growth of the brands in the top and bottom quartile of mean engagement."""
    low, high = np.quantile(cs["engagement"], [0.25, 0.75])
    growth = cs["growth"].to_numpy()
    return growth[cs["engagement"].to_numpy() >= high], growth[cs["engagement"].to_numpy() <= low]


def _group_means_2009(panel: BrandPanel, alpha: float) -> dict:
    top, bottom = _quartile_groups(_cross_section(panel))
    test = stats.ttest_ind(top, bottom, equal_var=False)
    interval = test.confidence_interval(confidence_level=1 - alpha)
    return _row(top.mean() - bottom.mean(), interval.low, interval.high, test.pvalue)


def _partial_correlation(panel: BrandPanel, alpha: float) -> dict:
    res = partial_correlate(_cross_section(panel), x="engagement", y="growth",
                            controls=["size", "sector"], log=["size"], alpha=alpha)  # fmt: skip
    return _row(*res.loc[0, ["estimate", "ci_low", "ci_high", "p_value"]])


def _regression_controls(panel: BrandPanel, alpha: float) -> dict:
    cs = _cross_section(panel)
    codes = cs["sector"].cat.codes.to_numpy()
    present = np.unique(codes)
    dummies = (codes[:, None] == present[None, 1:]).astype(float)
    exog = np.column_stack([np.ones(len(cs)), cs["engagement"], np.log(cs["size"]), dummies])
    fit = sm.OLS(cs["growth"].to_numpy(), exog).fit(cov_type="HC3")
    low, high = fit.conf_int(alpha=alpha)[1]
    return _row(fit.params[1], low, high, fit.pvalues[1])


def _cluster_fit(y: np.ndarray, x: np.ndarray, groups: np.ndarray, df_model: int):
    """OLS on within-transformed data with covariance clustered by ``groups``.

    The covariance is linearmodels' ``ClusteredCovariance`` as ``PanelOLS`` computes it:
    the sandwich scaled by n / (n - df_model), ``df_model`` counting the constant, the
    regressors and the fixed effects that PanelOLS counts (none when they are nested in
    the clusters).
    """
    xpx_inv = np.linalg.inv(x.T @ x)
    params = xpx_inv @ (x.T @ y)
    scores = x * (y - x @ params)[:, None]
    summed = np.zeros((groups.max() + 1, x.shape[1]))
    np.add.at(summed, groups, scores)
    n = len(y)
    cov = xpx_inv @ (summed.T @ summed) @ xpx_inv * n / (n - df_model)
    return params, cov


def _fixed_effects_panel(panel: BrandPanel, alpha: float) -> dict:
    latent = panel.latent
    n = len(panel.brands)
    t = len(latent) // n
    demeaned = []
    for column in ("growth", "engagement_index_lag"):
        v = latent[column].to_numpy().reshape(n, t)
        demeaned.append(
            (v - v.mean(axis=1, keepdims=True) - v.mean(axis=0, keepdims=True) + v.mean()).ravel()
        )
    y, x = demeaned
    params, cov = _cluster_fit(y, x[:, None], np.repeat(np.arange(n), t), df_model=0)
    # CR1 as Stata's xtreg, fe vce(cluster): G / (G - 1) * (N - 1) / (N - K), K = slope,
    # constant and t - 1 period effects; the brand effects, nested in the clusters, are not
    # counted. Reference t with G - 1 degrees of freedom.
    nobs, k = n * t, t + 1
    se = math.sqrt(cov[0, 0] * n / (n - 1) * (nobs - 1) / (nobs - k))
    half = stats.t.ppf(1 - alpha / 2, n - 1) * se
    p_value = 2 * stats.t.sf(abs(params[0]) / se, n - 1)
    return _row(params[0], params[0] - half, params[0] + half, p_value)


def _lead_lag(panel: BrandPanel, alpha: float) -> dict:
    latent = panel.latent
    n = len(panel.brands)
    t = len(latent) // n
    growth = latent["growth"].to_numpy().reshape(n, t)
    index = latent["engagement_index"].to_numpy().reshape(n, t)
    parts = [growth[:, 1:], growth[:, :-1], index[:, :-1]]  # y_t, y_t-1, x_t-1 (row-order lags)
    y, own, cause = ((v - v.mean(axis=1, keepdims=True)).ravel() for v in parts)
    params, cov = _cluster_fit(
        y, np.column_stack([own, cause]), np.repeat(np.arange(n), t - 1), df_model=3
    )
    se = math.sqrt(cov[1, 1])
    df = n - 1
    half = stats.t.ppf(1 - alpha / 2, df) * se
    p_value = float(stats.f.sf((params[1] / se) ** 2, 1, df))
    return _row(params[1], params[1] - half, params[1] + half, p_value)


#: The benchmarked methods by name (see the module docstring for each one's definition).
METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method("raw_correlation", False,
               "Spearman correlation of brand mean growth and mean lagged engagement",
               _raw_correlation),
        Method("group_means_2009", False,
               "2009 style: top vs bottom engagement quartile, difference in mean growth, "
               "Welch t-test", _group_means_2009),
        Method("partial_correlation", False,
               "cross-section correlation controlling for log size and sector",
               _partial_correlation),
        Method("regression_controls", True,
               "cross-section OLS on mean lagged engagement, log size and sector, HC3 SEs",
               _regression_controls),
        Method("fixed_effects_panel", True,
               "growth on lagged engagement, brand and period fixed effects, SEs clustered "
               "by brand", _fixed_effects_panel),
        Method("lead_lag", False,
               "pooled Granger-type test: does lagged engagement predict growth given lagged "
               "growth (brand fixed effects, clustered SEs)", _lead_lag),
    )
}  # fmt: skip


def method_table() -> pd.DataFrame:
    """The methods as a table: ``name``, ``effect_scale``, ``description``.

    Returns
    -------
    pandas.DataFrame
        One row per method of :data:`METHODS`, in order.

    Examples
    --------
    >>> method_table()["name"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['raw_correlation', 'group_means_2009', 'partial_correlation', 'regression_controls',
     'fixed_effects_panel', 'lead_lag']
    """
    return pd.DataFrame(
        [(m.name, m.effect_scale, m.description) for m in METHODS.values()],
        columns=["name", "effect_scale", "description"],
    )


# ----------------------------------------------------------------------------- statistics


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
    function = "wilson_interval"
    if level is not None:
        alpha = 1 - check_alpha(renamed("level", "alpha", level, function), function, "level")
    return wilson(successes, n, check_alpha(alpha, function))


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


def _fail(name: str, expected: str, value: object, hint: str = "") -> ParameterError:
    return ParameterError(
        f"The {name!r} parameter of run_benchmark must be {expected}. Got {value!r} instead.{hint}"
    )


def _pick(value: object, name: str, options: Sequence[str]) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Sequence) or len(value) == 0:
        raise _fail(name, f"a non-empty list of names from {list(options)}", value)
    for item in value:
        if item not in options:
            close = difflib.get_close_matches(str(item), options, n=1, cutoff=0.5)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise _fail(name, f"names from {list(options)}", item, hint)
    return list(dict.fromkeys(value))


def _scenarios(value: object) -> list[Scenario]:
    if value is None:
        return list(SCENARIOS)
    items = [value] if isinstance(value, str | Scenario) else value
    if not isinstance(items, Sequence) or len(items) == 0:
        raise _fail("scenarios", "a non-empty list of scenario names or Scenario objects", value)
    names = list(dict.fromkeys(s.name for s in SCENARIOS))
    chosen: list[Scenario] = []
    for item in items:
        if isinstance(item, Scenario):
            chosen.append(item)
        else:
            _pick([item], "scenarios", names)
            chosen += [s for s in SCENARIOS if s.name == item]
    unique = list(dict.fromkeys(chosen))
    keys = [(s.name, s.n_brands, s.n_periods) for s in unique]
    if len(set(keys)) < len(keys):
        raise _fail("scenarios", "scenarios with distinct (name, n_brands, n_periods)", value)
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
            row |= _row(np.nan, np.nan, np.nan, np.nan)
            if panel is not None:
                try:
                    row |= METHODS[name].function(panel, alpha)
                except (ScrmLabError, ArithmeticError, ValueError, np.linalg.LinAlgError) as err:
                    row["error"] = f"{type(err).__name__}: {err}"
            rows.append(row)
    return rows


def _chunks(replications: int, size: int) -> list[list[int]]:
    return [list(range(i, min(i + size, replications))) for i in range(0, replications, size)]


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
    names = list(METHODS) if methods is None else _pick(methods, "methods", list(METHODS))
    replications = _integer(replications, "replications", 1)
    seed = _integer(seed, "seed", 0)
    workers = (os.cpu_count() or 1) if workers is None else _integer(workers, "workers", 1)
    is_real = isinstance(alpha, numbers.Real) and not isinstance(alpha, bool)
    if not is_real or not 0 < alpha < 1:
        raise _fail("alpha", "a number strictly between 0 and 1", alpha)
    if not isinstance(progress, bool):
        raise _fail("progress", "True or False", progress)

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


# ----------------------------------------------------------------------------- in words

_CONTROLLED = ("partial_correlation", "regression_controls", "fixed_effects_panel", "lead_lag")


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def _by_n(part: pd.DataFrame, column: str) -> str:
    return ", ".join(f"{_pct(v)} at {n}" for n, v in zip(part["n_brands"], part[column],
                                                         strict=True))  # fmt: skip


def benchmark_conclusions(
    summary: pd.DataFrame, *, alpha: float = 0.05, band: tuple[float, float] = (0.04, 0.06)
) -> list[str]:
    """Plain-words conclusions computed from a benchmark summary.

    One sentence (Markdown) per finding, for the scenarios and methods present: which
    methods keep their type I error within ``band`` under confounding and which do not
    (the 2009-style comparison among them), which are fooled by reverse causality, the
    coverage of the methods on the effect's scale, and the power by number of brands.

    Parameters
    ----------
    summary : pandas.DataFrame
        :attr:`BenchmarkResult.summary`.
    alpha : float, default 0.05
        The level the benchmark used.
    band : tuple of float, default (0.04, 0.06)
        Acceptable type I error.

    Returns
    -------
    list of str
        The sentences.

    Examples
    --------
    >>> res = run_benchmark(scenarios=["confounded_null"], methods=["group_means_2009"],
    ...                     replications=5, workers=1)
    >>> print(benchmark_conclusions(res.summary)[0])  # doctest: +ELLIPSIS
    Under confounding (no true effect; ...), **group_means_2009** rejects ...
    """
    low, high = band
    out = []
    names = set(summary["scenario"])
    sizes = ", ".join(str(n) for n in sorted(summary["n_brands"].unique()))
    if "confounded_null" in names:
        part = summary[summary["scenario"] == "confounded_null"]
        held, above, below = [], [], []
        for method, rows in part.groupby("method", sort=False):
            text = f"**{method}** ({_pct(rows['rejection_rate'].min())}-"
            text += f"{_pct(rows['rejection_rate'].max())})"
            if (rows["rejection_ci_low"] > high).any():
                above.append(text)
            elif (rows["rejection_ci_high"] < low).any():
                below.append(text)
            else:
                held.append(text)
        intro = f"Under confounding (no true effect; {sizes} brands), "
        old = part[part["method"] == "group_means_2009"]
        if len(old):
            out.append(
                intro + "**group_means_2009** rejects the true null in "
                f"{_by_n(old, 'rejection_rate')} brands: the 2009-style comparison of "
                "engagement groups reports an engagement-revenue link that is only size and "
                "sector."
            )
        out.append(
            f"Type I error under confounding (range over the sizes), consistent with "
            f"{_pct(low)}-{_pct(high)} at every size (Wilson interval reaching the band): "
            + (", ".join(held) if held else "none")
            + f". Clearly above {_pct(high)} at some size: "
            + (", ".join(above) if above else "none")
            + f". Clearly below {_pct(low)} (conservative): "
            + (", ".join(below) if below else "none")
            + "."
        )
    if "reverse" in names:
        part = summary[summary["scenario"] == "reverse"]
        worst = part.groupby("method", sort=False)["rejection_rate"].max()
        fooled = [f"**{m}** (up to {_pct(v)})" for m, v in worst.items() if v > high]
        out.append(
            "Under reverse causality (growth raises later engagement, no effect), "
            + (
                "the methods that reject too often are " + ", ".join(fooled) + ". "
                "Cross-sections average engagement over periods that growth already "
                "raised; the fixed-effects and lead-lag regressions subtract each brand's "
                "mean, which contains the engagement that later growth caused (a "
                "feedback bias of order 1/periods)."
                if fooled
                else "every method keeps its type I error."
            )
        )
    scale = summary[summary["effect_scale"] & (summary["scenario"] != "reverse")]
    for method, rows in scale.groupby("method", sort=False):
        out.append(
            f"CI coverage of **{method}** (target {1 - alpha:.0%}, acceptable 93%-97%) "
            f"outside reverse causality: {_pct(rows['coverage'].min())} to "
            f"{_pct(rows['coverage'].max())}; largest absolute bias "
            f"{rows['bias'].abs().max():.2g} (growth per unit of index)."
        )
    power = summary[summary["measure"] == "power"]
    for method in [m for m in _CONTROLLED if m in set(power["method"])]:
        rows = power[power["method"] == method]
        parts = []
        for _, sub in rows.groupby("scenario", sort=False):
            effect = sub["true_effect"].iloc[0]
            enough = sub.loc[sub["rejection_rate"] >= 0.8, "n_brands"]
            first = f"80% power from {enough.min()} brands" if len(enough) else "below 80%"
            parts.append(f"effect {effect:g}: {_by_n(sub, 'rejection_rate')} ({first})")
        out.append(f"Power of **{method}**: " + "; ".join(parts) + ".")
    return out


# ----------------------------------------------------------------------------- figures


def plot_benchmark(summary: pd.DataFrame, *, measure: str = "rejection_rate", alpha: float = 0.05):
    """Rejection rate or coverage by number of brands, one panel per scenario.

    Parameters
    ----------
    summary : pandas.DataFrame
        :attr:`BenchmarkResult.summary`.
    measure : {"rejection_rate", "coverage"}, default "rejection_rate"
        ``"rejection_rate"``: one line per method, with the ``alpha`` line and the 0.04-0.06
        band on scenarios without an effect (type I error), the power curve otherwise.
        ``"coverage"``: methods on the effect's scale only, with the 0.95 line and the
        0.93-0.97 band.
    alpha : float, default 0.05
        Level drawn on type I error panels.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes per scenario (log-scaled number of brands on x).

    Examples
    --------
    >>> res = run_benchmark(scenarios=["null"], methods=["raw_correlation"], replications=2,
    ...                     workers=1)
    >>> len(plot_benchmark(res.summary).axes)
    1
    """
    import matplotlib.pyplot as plt

    if measure not in ("rejection_rate", "coverage"):
        raise ParameterError(
            "The 'measure' parameter of plot_benchmark must be one of ['rejection_rate', "
            f"'coverage']. Got {measure!r} instead."
        )
    data = summary if measure == "rejection_rate" else summary[summary["effect_scale"]]
    names = list(dict.fromkeys(data["scenario"]))
    if not names:
        raise ParameterError(
            "The 'summary' parameter of plot_benchmark must hold rows to plot (for coverage: "
            "methods on the effect's scale). Got an empty selection instead."
        )
    cols = min(3, len(names))
    rows = math.ceil(len(names) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.4 * rows), squeeze=False,
                             sharey=True)  # fmt: skip
    for ax, name in zip(axes.ravel(), names, strict=False):
        part = data[data["scenario"] == name]
        null = bool((part["true_effect"] == 0).all())
        if measure == "coverage":
            ax.axhspan(0.93, 0.97, color="0.85", zorder=0)
            ax.axhline(0.95, color="0.4", lw=1, ls="--")
        elif null:
            ax.axhspan(0.04, 0.06, color="0.85", zorder=0)
            ax.axhline(alpha, color="0.4", lw=1, ls="--")
        for method, rows_m in part.groupby("method", sort=False):
            ax.plot(rows_m["n_brands"], rows_m[measure], marker="o", label=method)
        ax.set_xscale("log")
        ax.set_xticks(sorted(part["n_brands"].unique()))
        ax.set_xticklabels([str(n) for n in sorted(part["n_brands"].unique())])
        label = "coverage" if measure == "coverage" else ("type I error" if null else "power")
        ax.set_title(f"{name}: {label}", fontsize=10)
        ax.set_xlabel("brands")
        ax.set_ylim(-0.02, 1.02)
    for ax in axes.ravel()[len(names) :]:
        ax.set_visible(False)
    axes[0, 0].set_ylabel("coverage" if measure == "coverage" else "rejection rate")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(6, len(labels)), fontsize=8,
               frameon=False)  # fmt: skip
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig
