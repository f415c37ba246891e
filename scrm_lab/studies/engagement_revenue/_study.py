"""The engagement-revenue study: its steps (:func:`run_study`), verdict and truth table.

:class:`EngagementRevenueStudy` holds every table of the report; :func:`study_verdict` the
raw and controlled steps' estimates with their ``clear`` flag (:func:`is_clear`),
:func:`truth_comparison` the true effect beside the estimate on simulated data, and the
documented thresholds (:data:`VIF_LIMIT`, :data:`POWER`, :data:`LEAD_LAG_MIN_PERIODS`,
:data:`LEAD_LAG_FEWEST_PERIODS`). A step the data cannot support (too few rows for the
controls, a panel of one entity or too few periods) is left out with its reason in
``EngagementRevenueStudy.skipped``, and the report says so.

Examples
--------
>>> from scrm_lab.studies.engagement_revenue import engagement_revenue_data
>>> study = run_study(engagement_revenue_data())
>>> study_verdict(study)["step"].tolist()
['raw', 'controlled']
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from scrm_lab._checks import ALPHA, COLUMN, Choice, checks, require_columns
from scrm_lab.exceptions import SchemaError
from scrm_lab.studies.engagement_revenue._data import (
    HypothesisData,
)
from scrm_lab.studies.engagement_revenue._variables import (
    controlled_estimates,
    log_columns,
    model_arguments,
    partial_correlations,
)

__all__ = [
    "COEFFICIENT_NAMES",
    "CONTROLLED_SHOWN",
    "LEAD_LAG_FEWEST_PERIODS",
    "LEAD_LAG_MIN_PERIODS",
    "POWER",
    "VIF_LIMIT",
    "EngagementRevenueStudy",
    "entered_name",
    "is_clear",
    "key_results",
    "panel_estimates",
    "report_tables",
    "run_study",
    "study_verdict",
    "truth_comparison",
]

#: Names of the correlation coefficients in sentences.
COEFFICIENT_NAMES = {"spearman": "Spearman rho", "pearson": "Pearson r", "kendall": "Kendall tau"}
#: Largest variance inflation factor of the engagement term still called "not inflated".
VIF_LIMIT = 5.0
#: Power at which the minimum detectable correlation is stated.
POWER = 0.8
#: Most periods a lead-lag test asks of each entity (fewer when the panel is shorter).
LEAD_LAG_MIN_PERIODS = 20
#: Fewest periods per entity (median) for the lead-lag tests: three more than the fewest
#: usable rows :func:`scrm_lab.models.lead_lag` accepts (3), for the lags and differences.
LEAD_LAG_FEWEST_PERIODS = 6
#: Most lags the lead-lag tests try (:func:`scrm_lab.models.lead_lag`'s ``max_lags``).
_MAX_LAGS = 4


@checks(alpha=ALPHA, p=COLUMN)
def is_clear(table: pd.DataFrame, *, alpha: float = 0.05, p: str = "p_adjusted") -> pd.Series:
    """Which result rows are clear: p-value below ``alpha`` and an interval excluding zero.

    Parameters
    ----------
    table : pandas.DataFrame
        Result rows with the column ``p`` and ``ci_low``, ``ci_high``.
    alpha : float, default 0.05
        Significance level.
    p : str, default "p_adjusted"
        The p-value column to read.

    Returns
    -------
    pandas.Series
        Boolean, one per row.

    Examples
    --------
    >>> rows = pd.DataFrame({"p_adjusted": [0.01, 0.01, 0.2],
    ...                      "ci_low": [0.1, -0.1, 0.1], "ci_high": [0.5, 0.3, 0.5]})
    >>> is_clear(rows).tolist()
    [True, False, False]
    """
    require_columns(table, [p, "ci_low", "ci_high"], "is_clear")
    return (table[p] < alpha) & ((table["ci_low"] > 0) | (table["ci_high"] < 0))


def entered_name(prepared: HypothesisData, column: str) -> str:
    """How a column enters the models: ``log(c)``, ``log1p(c)`` or ``c``.

    Examples
    --------
    >>> from scrm_lab.studies.engagement_revenue import engagement_revenue_data
    >>> entered_name(engagement_revenue_data(), "likes")
    'log1p(likes)'
    """
    if column in prepared.log:
        return f"log({column})"
    if column in prepared.log1p:
        return f"log1p({column})"
    return column


@checks(alpha=ALPHA)
def panel_estimates(prepared: HypothesisData, *, alpha: float = 0.05) -> pd.DataFrame:
    """Fixed-effects estimates of the main engagement column, one model per outcome.

    Each outcome is regressed on the main engagement column (and its one-period lag) with
    entity and time effects (:func:`scrm_lab.models.panel_effects`), the columns entered
    with the transforms of ``prepared`` (``log``, ``log1p``).

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`scrm_lab.models.panel_effects` for each outcome, with ``outcome``
        (as entered, e.g. ``log1p(volume)``) added last.

    Raises
    ------
    SchemaError
        The panel has fewer than 3 entities (with time effects, two entities' deviations
        mirror each other, so errors clustered by entity are zero), or leaves no residual
        degree of freedom: its complete rows (after the one-period lag) are no more than the
        coefficients plus the entity and time effects.

    Examples
    --------
    >>> from scrm_lab.studies.engagement_revenue import engagement_revenue_data
    >>> stocks = engagement_revenue_data("stocknet_tweets_prices", n_tickers=3)
    >>> panel_estimates(stocks)[["outcome", "term"]].head(2)
            outcome           term
    0  log1p(volume)  log1p(tweets)
    1  log1p(volume)  log1p(tweets)_lag1
    """
    from scrm_lab.models import panel_effects

    logged = log_columns(
        prepared.data,
        log=[c for c in prepared.log if c in prepared.data],
        log1p=[c for c in prepared.log1p if c in prepared.data],
    )
    name = lambda c: entered_name(prepared, c)  # noqa: E731
    fits = []
    for y in [prepared.outcome, *prepared.other_outcomes]:
        _fixed_effects_room(prepared, logged, y=name(y), x=name(prepared.engagement[0]),
                            controls=[name(c) for c in prepared.controls])  # fmt: skip
        fit = panel_effects(logged, y=name(y), x=name(prepared.engagement[0]),
                            entity=prepared.entity, time=prepared.time,
                            controls=[name(c) for c in prepared.controls], lags=1,
                            alpha=alpha)  # fmt: skip
        fits.append(fit.assign(outcome=name(y)))
    return pd.concat(fits, ignore_index=True)


def _fixed_effects_room(
    prepared: HypothesisData, data: pd.DataFrame, *, y: str, x: str, controls: list[str]
) -> None:
    """Refuse a panel too small for ``y ~ x + x_lag1 + controls`` with both fixed effects."""
    entity, time = prepared.entity, prepared.time
    frame = data[[entity, time, y, x, *controls]].sort_values([entity, time])
    frame = frame.assign(_lag=frame.groupby(entity, sort=False)[x].shift(1)).dropna()
    n_e, n_t = frame[entity].nunique(), frame[time].nunique()
    if n_e < 3:
        raise SchemaError(
            f"panel_estimates: the complete rows cover {n_e} {entity}"
            f"{'' if n_e == 1 else 's'}; expected at least 3, since with {time} effects two "
            f"{entity}s' deviations mirror each other and errors clustered by {entity} are zero",
            column=entity,
        )
    coefficients, effects = 3 + len(controls), (n_e - 1) + max(n_t - 1, 0)
    if len(frame) <= coefficients + effects:
        raise SchemaError(
            f"panel_estimates: {len(frame)} complete rows after the one-period lag ({n_e} "
            f"{entity}s, {n_t} {time}s) for {coefficients} coefficients and {effects} fixed "
            "effects; expected more rows than both, i.e. more periods per entity",
            column=time,
        )


@dataclass(frozen=True, eq=False)
class EngagementRevenueStudy:
    """Every table of the engagement-revenue study (see :func:`run_study`).

    Attributes
    ----------
    prepared : HypothesisData
        The data and roles.
    method : str
        Correlation method.
    alpha : float
        Significance level (intervals are 1 - alpha).
    raw : pandas.DataFrame
        :func:`scrm_lab.models.correlate` of every engagement column with every outcome.
    controlled : pandas.DataFrame or None
        :func:`controlled_estimates` (cross-section) or :func:`panel_estimates` (panel);
        None when the data cannot support it (``skipped["controlled"]`` says why).
    partial : pandas.DataFrame or None
        :func:`partial_correlations` (cross-section with controls), else None.
    diagnostics : pandas.DataFrame or None
        :func:`scrm_lab.models.regression_diagnostics` (cross-section), else None.
    power : pandas.DataFrame or None
        :func:`scrm_lab.models.power_correlation` at the main raw correlation's n (None when
        n is 3 or less: ``skipped["power"]``).
    lead_lag : dict of str to pandas.DataFrame
        :func:`scrm_lab.models.lead_lag` per outcome (panel), else empty.
    skipped : dict of str to str
        The steps left out (``"controlled"``, ``"partial"``, ``"diagnostics"``,
        ``"lead_lag"``) and why, in words.
    """

    prepared: HypothesisData
    method: str
    alpha: float
    raw: pd.DataFrame
    controlled: pd.DataFrame
    partial: pd.DataFrame | None
    diagnostics: pd.DataFrame | None
    power: pd.DataFrame | None
    lead_lag: dict[str, pd.DataFrame]
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def panel(self) -> bool:
        """True for a panel design."""
        return self.prepared.design == "panel"

    @property
    def main_raw(self) -> pd.Series:
        """The raw correlation of the main engagement column with the outcome."""
        h = self.prepared
        raw = self.raw
        return raw[(raw["x"] == h.engagement[0]) & (raw["y"] == h.outcome)].iloc[0]

    @property
    def focus(self) -> pd.Series | None:
        """The controlled estimate of the main engagement column on the outcome, or None."""
        if self.controlled is None:
            return None
        if self.panel:
            name = entered_name(self.prepared, self.prepared.outcome)
            return self.controlled[self.controlled["outcome"] == name].iloc[0]
        return self.controlled.iloc[0]


@checks(method=Choice(("spearman", "pearson", "kendall")), alpha=ALPHA)
def run_study(
    prepared: HypothesisData, *, method: str = "spearman", alpha: float = 0.05
) -> EngagementRevenueStudy:
    """Run every step of the engagement-revenue study on prepared data.

    Raw correlations (Holm-adjusted), the controlled estimate (one OLS per engagement column
    with the controls, or fixed effects on a panel), partial correlations and regression
    diagnostics (cross-section), the minimum detectable correlation at 80% power, and
    lead-lag tests both ways (panel). A step the data are too small for (the models refuse
    it with a :class:`~scrm_lab.exceptions.SchemaError`: too few rows, a single entity or
    period) is left out and its reason kept in ``skipped``; so are the lead-lag tests on a
    panel with fewer than :data:`LEAD_LAG_FEWEST_PERIODS` periods per entity. They try at
    most one lag fewer than there are entities (a Wald test clustered by entity cannot test
    more restrictions than entities less one).

    Raises
    ------
    SchemaError
        A transform cannot be applied (``log`` of values <= 0, ``log1p`` of negative ones),
        or an engagement or outcome column is constant (no correlation is defined).

    Parameters
    ----------
    prepared : HypothesisData
        From :func:`engagement_revenue_data` and :func:`apply_parameters`.
    method : {"spearman", "pearson", "kendall"}, default "spearman"
        Correlation method.
    alpha : float, default 0.05
        Significance level; intervals are 1 - alpha.

    Returns
    -------
    EngagementRevenueStudy

    Examples
    --------
    >>> from scrm_lab.studies.engagement_revenue import engagement_revenue_data
    >>> study = run_study(engagement_revenue_data())
    >>> int(study.main_raw["n"]), study.focus["term"]
    (231, 'log1p(likes)')
    """
    from scrm_lab.models import (
        correlate,
        lead_lag,
        power_correlation,
        regression_diagnostics,
    )

    h = prepared
    outcomes = [h.outcome, *h.other_outcomes]
    log_columns(
        h.data, log=[c for c in h.log if c in h.data], log1p=[c for c in h.log1p if c in h.data]
    )  # refused transforms stay errors
    raw = correlate(h.data, x=h.engagement, y=outcomes, method=method, alpha=alpha,
                    adjust="holm")  # fmt: skip
    panel = h.design == "panel"
    partial = diagnostics = None
    lead: dict[str, pd.DataFrame] = {}
    skipped: dict[str, str] = {}
    if panel:
        controlled = _step(skipped, "controlled", panel_estimates, h, alpha=alpha)
        main = h.engagement[0]
        n_periods = int(h.data.groupby(h.entity).size().median())
        n_entities = h.data[h.entity].nunique()
        if n_periods < LEAD_LAG_FEWEST_PERIODS or n_entities < 2:
            skipped["lead_lag"] = (
                f"they need at least 2 {h.entity}s and {LEAD_LAG_FEWEST_PERIODS} {h.time}s per "
                f"{h.entity}; these data have {n_entities} {h.entity}"
                f"{'' if n_entities == 1 else 's'} with a median of {n_periods} {h.time}"
                f"{'' if n_periods == 1 else 's'}"
            )
        for y in outcomes if "lead_lag" not in skipped else []:
            transform = {c: "log1p_diff" for c in (main, y) if c in h.log1p} or None
            result = _step(skipped, "lead_lag", lead_lag, h.data, x=main, y=y, entity=h.entity,
                           time=h.time, transform=transform, alpha=alpha,
                           max_lags=min(_MAX_LAGS, n_entities - 1),
                           min_periods=min(LEAD_LAG_MIN_PERIODS, n_periods - 3))  # fmt: skip
            if result is not None:
                lead[y] = result
    else:
        controlled = _step(skipped, "controlled", controlled_estimates, h, alpha=alpha)
        if controlled is not None and h.controls:
            partial = _step(skipped, "partial", partial_correlations, h, method=method,
                            alpha=alpha)  # fmt: skip
        if controlled is not None:
            diagnostics = _step(skipped, "diagnostics", regression_diagnostics, h.data,
                                **model_arguments(h))  # fmt: skip
    study = EngagementRevenueStudy(h, method, alpha, raw, controlled, partial, diagnostics,
                                   pd.DataFrame(), lead, skipped)  # fmt: skip
    n = int(study.main_raw["n"])
    if n <= 3:  # power_correlation's Fisher z needs n > 3
        skipped["power"] = f"the main correlation rests on {n} rows; power needs more than 3"
        return dataclasses.replace(study, power=None)
    return dataclasses.replace(study, power=power_correlation(n=n, alpha=alpha, power=POWER))


def _step(skipped: dict[str, str], name: str, function: Callable[..., Any], *args: Any,
          **kwargs: Any) -> Any:  # fmt: skip
    """``function(*args, **kwargs)``, or None with the data's refusal kept as ``skipped[name]``.

    The models refuse data too small for them (too few rows, one entity or period) with a
    SchemaError whose message says what was found and expected.
    """
    try:
        return function(*args, **kwargs)
    except SchemaError as err:
        reason = str(err).split(": ", 1)[-1]  # the message without the function's name
        skipped[name] = reason.rstrip(".")
        return None


def study_verdict(study: EngagementRevenueStudy) -> pd.DataFrame:
    """The study's verdict as a table: the raw and the controlled step, each clear or not.

    A step is clear when its p-value (Holm-adjusted for the raw correlations and the
    cross-section models; the clustered p-value of the fixed-effects model on a panel) is
    below ``alpha`` and its interval excludes zero (:func:`is_clear`). H1 is supported when
    both steps are clear and the controlled estimate is positive. Without a controlled
    estimate (``skipped``) its row has no term or numbers and is not clear.

    Returns
    -------
    pandas.DataFrame
        Two rows (``step`` = ``"raw"``, ``"controlled"``) with columns ``step``, ``term``,
        ``n``, ``estimate``, ``ci_low``, ``ci_high``, ``p_value`` (the p-value read),
        ``clear`` and ``supported`` (the same on both rows).

    Examples
    --------
    >>> from scrm_lab.studies.engagement_revenue import engagement_revenue_data
    >>> study_verdict(run_study(engagement_revenue_data()))[["step", "clear", "supported"]]
             step  clear  supported
    0         raw   True       True
    1  controlled   True       True
    """
    raw, focus = study.main_raw, study.focus
    p_ctl = "p_value" if study.panel else "p_adjusted"
    missing = {"term": None, "n": 0, "estimate": math.nan, "ci_low": math.nan,
               "ci_high": math.nan, "p_value": math.nan}  # fmt: skip
    rows = [
        {"step": "raw", "term": raw["x"], "n": int(raw["n"]), "estimate": raw["estimate"],
         "ci_low": raw["ci_low"], "ci_high": raw["ci_high"], "p_value": raw["p_adjusted"]},
        {"step": "controlled", **missing} if focus is None else
        {"step": "controlled", "term": focus["term"], "n": int(focus["n"]),
         "estimate": focus["estimate"], "ci_low": focus["ci_low"], "ci_high": focus["ci_high"],
         "p_value": focus[p_ctl]},
    ]  # fmt: skip
    table = pd.DataFrame(rows)
    table["clear"] = is_clear(table, alpha=study.alpha, p="p_value")
    table["supported"] = bool(table["clear"].all() and table["estimate"].iloc[1] > 0)
    return table


def truth_comparison(study: EngagementRevenueStudy) -> pd.DataFrame | None:
    """The true effect beside the controlled estimate (simulated data), else None.

    Returns
    -------
    pandas.DataFrame or None
        One row: ``term``, ``truth``, ``estimate``, ``ci_low``, ``ci_high``, ``error``
        (estimate - truth) and ``covered`` (truth inside [ci_low, ci_high]).

    Examples
    --------
    >>> from scrm_lab.studies.engagement_revenue import engagement_revenue_data
    >>> sim = engagement_revenue_data("simulated")
    >>> truth_comparison(run_study(sim))[["term", "truth", "covered"]]
                       term  truth  covered
    0  engagement_index_lag   0.01     True
    """
    if not study.prepared.simulated or study.controlled is None:
        return None
    truth = study.prepared.truth
    row = study.controlled[study.controlled["term"] == truth["term"]].iloc[0]
    return pd.DataFrame([{
        "term": truth["term"], "truth": truth["effect"], "estimate": row["estimate"],
        "ci_low": row["ci_low"], "ci_high": row["ci_high"],
        "error": row["estimate"] - truth["effect"],
        "covered": bool(row["ci_low"] <= truth["effect"] <= row["ci_high"]),
    }])  # fmt: skip


#: Columns of the controlled estimates the report shows (cross-section, then panel).
CONTROLLED_SHOWN = {
    False: ["term", "n", "estimate", "ci_low", "ci_high", "p_value", "p_adjusted", "effect_size",
            "r_squared"],
    True: ["outcome", "term", "n", "n_entities", "n_periods", "estimate", "ci_low", "ci_high",
           "p_value", "r_squared_within"],
}  # fmt: skip
_PARTIAL_SHOWN = ["x", "y", "n", "estimate", "ci_low", "ci_high", "p_value", "p_adjusted"]
_LEAD_LAG_SHOWN = ["direction", "lags", "n", "n_entities", "statistic", "p_value", "p_adjusted",
                   "effect_size", "share_significant"]  # fmt: skip


def report_tables(study: EngagementRevenueStudy) -> dict[str, Any]:
    """The tables the report shows, with the columns it shows.

    Returns
    -------
    dict
        ``"controlled"`` (:data:`CONTROLLED_SHOWN` of the design, or None when skipped),
        ``"partial"`` (or None when there are no controls to partial out) and ``"lead_lag"``
        (outcome to its pooled lead-lag rows; empty for a cross-section).

    Examples
    --------
    >>> from scrm_lab.studies.engagement_revenue import engagement_revenue_data
    >>> tables = report_tables(run_study(engagement_revenue_data()))
    >>> tables["controlled"].columns[0], tables["lead_lag"]
    ('term', {})
    """
    controlled = study.controlled
    return {
        "controlled": None if controlled is None else controlled[CONTROLLED_SHOWN[study.panel]],
        "partial": None if study.partial is None else study.partial[_PARTIAL_SHOWN],
        "lead_lag": {
            y: result.loc[result["level"] == "pooled", _LEAD_LAG_SHOWN]
            for y, result in study.lead_lag.items()
        },
    }


def key_results(study: EngagementRevenueStudy) -> dict[str, Any]:
    """The figures the report records, read from :func:`study_verdict`.

    Returns
    -------
    dict
        ``n``, ``raw_estimate``, ``raw_p_adjusted`` (the p-value the verdict reads),
        ``raw_clear``, ``controlled_estimate`` (NaN without one), ``controlled_clear``.

    Examples
    --------
    >>> from scrm_lab.studies.engagement_revenue import engagement_revenue_data
    >>> key_results(run_study(engagement_revenue_data()))["n"]
    231
    """
    verdict = study_verdict(study).set_index("step")
    return {
        "n": int(verdict.loc["raw", "n"]),
        "raw_estimate": float(verdict.loc["raw", "estimate"]),
        "raw_p_adjusted": float(verdict.loc["raw", "p_value"]),
        "raw_clear": bool(verdict.loc["raw", "clear"]),
        "controlled_estimate": float(verdict.loc["controlled", "estimate"]),
        "controlled_clear": bool(verdict.loc["controlled", "clear"]),
    }
