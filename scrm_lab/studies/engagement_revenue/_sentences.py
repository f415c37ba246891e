"""The engagement-revenue report's wording, section by section (:func:`study_sentences`).

Every sentence is generated from the numbers of an :class:`EngagementRevenueStudy`, with the
thresholds documented in :func:`study_sentences`; :func:`first_rows` gives the table shown
under the data section.

Examples
--------
>>> from scrm_lab.studies.engagement_revenue import engagement_revenue_data, run_study
>>> study = run_study(engagement_revenue_data())
>>> study_sentences(study, "power")[0][:14]
'With n = 231 a'
"""

from __future__ import annotations

import pandas as pd

from scrm_lab._checks import Choice, checks
from scrm_lab.models import interval_text, p_text
from scrm_lab.studies.engagement_revenue._data import (
    SOURCES,
    HypothesisData,
)
from scrm_lab.studies.engagement_revenue._study import (
    COEFFICIENT_NAMES,
    POWER,
    VIF_LIMIT,
    EngagementRevenueStudy,
    entered_name,
    is_clear,
    study_verdict,
    truth_comparison,
)
from scrm_lab.studies.engagement_revenue._variables import model_arguments

__all__ = ["first_rows", "study_sentences"]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


#: The report's sections, in the order it shows them.
_SECTIONS = ("hypothesis", "data", "raw", "controlled", "partial", "diagnostics", "power",
             "timing", "truth", "verdict", "limits")  # fmt: skip


@checks(section=Choice(_SECTIONS))
def study_sentences(study: EngagementRevenueStudy, section: str) -> list[str]:
    """The plain words of one section of the engagement-revenue report.

    Parameters
    ----------
    study : EngagementRevenueStudy
        From :func:`run_study`.
    section : {"hypothesis", "data", "raw", "controlled", "partial", "diagnostics", "power", \
"timing", "truth", "verdict", "limits"}
        The report section. Thresholds used: a correlation or estimate is clear as in
        :func:`is_clear`; Breusch-Pagan and Jarque-Bera are read at ``alpha``; a variance
        inflation factor above :data:`VIF_LIMIT` (5) is called inflated; the observed raw
        correlation is compared with the minimum detectable one at :data:`POWER` (80%).

    Returns
    -------
    list of str
        Markdown sentences (empty when the section does not apply to this design); a step
        the data could not support (``study.skipped``) is said to be left out, with why.

    Examples
    --------
    >>> from scrm_lab.studies.engagement_revenue import engagement_revenue_data, run_study
    >>> study = run_study(engagement_revenue_data())
    >>> study_sentences(study, "power")[0][:40]
    'With n = 231 and alpha = 0.05, correlati'
    """
    writers = {
        "hypothesis": _hypothesis, "data": _data, "raw": _raw, "controlled": _controlled,
        "partial": _partial, "diagnostics": _diagnostics, "power": _power,
        "timing": _timing, "truth": _truth,
        "verdict": _verdict, "limits": _limits,
    }  # fmt: skip
    return writers[section](study)


def _hypothesis(s: EngagementRevenueStudy) -> list[str]:
    h, level = s.prepared, f"{1 - s.alpha:.0%}"
    main = h.engagement[0]
    others = " (and `" + "`, `".join(h.other_outcomes) + "`)" if h.other_outcomes else ""
    held = ", ".join(f"`{c}`" for c in h.controls)
    n_tests = len(h.engagement) * (1 + len(h.other_outcomes))
    return [
        f"**H1:** a {h.unit} with more engagement (`{'`, `'.join(h.engagement)}`; the main "
        f"measure is `{main}`) has a higher `{h.outcome}`{others}.",
        "**H0:** there is no association: the correlation is zero"
        + (f", and so is the coefficient of engagement once {held} are held fixed"
           if h.controls else "")
        + (f", and so is the coefficient within each {h.entity} once the common shocks of each "
           f"{h.time} are removed" if s.panel else "")
        + ".",
        f"**What would count as support:** a positive {s.method} correlation whose {level} "
        f"confidence interval excludes zero after correcting for the "
        f"{_plural(n_tests, 'test')} run, and a positive "
        f"{'fixed-effects' if s.panel else 'controlled'} estimate whose interval excludes zero "
        "too. A correlation alone would not count: bigger units tend to have both more "
        "engagement and more revenue.",
    ]  # fmt: skip


def _data(s: EngagementRevenueStudy) -> list[str]:
    h = s.prepared
    return [f"**{len(h.data):,} rows**, {'SIMULATED' if h.simulated else 'real'} data. "
            "The first rows:"]  # fmt: skip


def first_rows(prepared: HypothesisData, n: int = 5) -> pd.DataFrame:
    """The first rows of the study's columns (keys, engagement, outcomes, controls).

    Examples
    --------
    >>> from scrm_lab.studies.engagement_revenue import engagement_revenue_data
    >>> list(first_rows(engagement_revenue_data()).columns)[:3]
    ['movie', 'likes', 'views']
    """
    h = prepared
    shown = [c for c in [h.entity, h.time, *h.data.columns[:1]] if c]
    shown += [*h.engagement, h.outcome, *h.other_outcomes, *h.controls]
    rows = h.data[list(dict.fromkeys(shown))].head(n)
    if h.design == "panel" and pd.api.types.is_datetime64_any_dtype(rows[h.time]):
        rows = rows.assign(**{h.time: rows[h.time].dt.strftime("%Y-%m-%d")})
    return rows


def _raw(s: EngagementRevenueStudy) -> list[str]:
    from scrm_lab.models import verdict

    h = s.prepared
    sentences = verdict(s.raw, alpha=s.alpha)
    sentences = [sentences] if isinstance(sentences, str) else list(sentences)
    if s.panel:
        sentences.append(
            f"Caution: the {len(h.data):,} rows are "
            f"{_plural(h.data[h.entity].nunique(), h.entity)} observed "
            f"{h.data[h.time].nunique()} times, not independent units; these "
            "intervals are too narrow. The fixed-effects estimate below accounts for that."
        )
    return sentences


def _interval(row: pd.Series, alpha: float, digits: int = 2) -> str:
    """The interval in words, or that the data are too few for one."""
    if pd.isna(row["ci_low"]) or pd.isna(row["ci_high"]):
        return "too few rows for an interval"
    return interval_text(row, alpha=alpha, digits=digits)


def _left_out(s: EngagementRevenueStudy, step: str, what: str) -> str:
    return f"{what} cannot be computed from these data: {s.skipped[step]}."


def _controlled(s: EngagementRevenueStudy) -> list[str]:
    h, focus = s.prepared, s.focus
    if focus is None:
        return [_left_out(s, "controlled", "The controlled estimate")]
    main = h.engagement[0]
    ci = interval_text(focus, alpha=s.alpha, digits=3)
    if s.panel:
        x, y = entered_name(h, main), entered_name(h, h.outcome)
        return [
            f"A fixed-effects regression compares each {h.entity} with itself over time "
            f"({h.entity} effects) and removes what moves all {h.entity}s at once ({h.time} "
            "effects); counts and volumes enter as log(1 + value), and the previous period's "
            "engagement enters too (`_lag1`).",
            f"Within the same {h.entity}, in weeks or periods when `{x}` is one unit "
            f"higher (with the common shocks of each {h.time} removed), `{y}` is "
            f"**{focus['estimate']:+.3f}** higher ({ci}, {p_text(focus['p_value'])}, "
            f"n = {focus['n']:,}); the term `{x}_lag1` is the same for the period before. "
            f"{s.controlled['method'].iloc[0]}.",
        ]  # fmt: skip
    kw = model_arguments(h)
    x_log = focus["term"].startswith("log")
    y_log = h.outcome in kw["log"] or h.outcome in kw["log1p"]
    if x_log and y_log:
        reading = (f"a {h.unit} with 1% more `{main}` has about {focus['estimate']:.2f}% more "
                   f"`{h.outcome}`")  # fmt: skip
    else:
        reading = (f"one unit more of `{focus['term']}` goes with {focus['estimate']:+.3g} of "
                   f"`{h.outcome}`")  # fmt: skip
    models = len(s.controlled)
    return [
        "Each engagement column gets its own regression of the outcome on that column **and "
        "the controls** (robust HC3 standard errors; logs as set in the parameters), so the "
        "estimate compares units of similar size. Engagement columns are not put in one model "
        "together because they are strongly correlated with each other.",
        f"Holding {focus['controls']} fixed, {reading} ({ci}, {p_text(focus['p_adjusted'])}"
        + (f" after Holm adjustment across {models} models" if models > 1 else "")
        + f", n = {focus['n']}). The standardized effect is {focus['effect_size']:.2f} "
        "standard deviations of the outcome per standard deviation of engagement; the "
        f"controls and engagement together explain {focus['r_squared']:.0%} of the outcome's "
        "variance.",
    ]  # fmt: skip


def _partial(s: EngagementRevenueStudy) -> list[str]:
    if "partial" in s.skipped:
        return [_left_out(s, "partial", "The partial correlation")]
    if s.partial is None:
        return []
    first = s.partial.iloc[0]
    return [
        f"The same question as a **partial correlation** (engagement and outcome each "
        f"cleaned of the controls, then correlated): {s.prepared.engagement[0]} "
        f"{first['estimate']:.2f} ({interval_text(first, alpha=s.alpha)}, "
        f"{p_text(first['p_adjusted'])} adjusted), against {s.main_raw['estimate']:.2f} "
        "before the controls."
    ]  # fmt: skip


def _diagnostics(s: EngagementRevenueStudy) -> list[str]:
    h = s.prepared
    for step in ("controlled", "diagnostics"):
        if step in s.skipped:
            return [_left_out(s, step, "The regression diagnostics")]
    if s.diagnostics is None:
        return [
            "The fixed-effects model uses standard errors clustered by "
            f"{h.entity}, which allow any pattern of errors within a {h.entity} over time; "
            "the cross-section checks (residual spread, normality, collinearity) do not apply."
        ]  # fmt: skip
    c = s.diagnostics.set_index("test")
    bp, jb = c.loc["breusch_pagan", "p_value"], c.loc["jarque_bera", "p_value"]
    vif = c.loc["max_vif", "statistic"]
    return [
        (f"The residual spread changes with the regressors (Breusch-Pagan {p_text(bp)}), "
         "which is why robust HC3 errors are used." if bp < s.alpha else
         f"No sign that the residual spread changes with the regressors (Breusch-Pagan "
         f"{p_text(bp)})."),
        (f"The residuals are not normal (Jarque-Bera {p_text(jb)}): a few units are far off "
         f"the line; with n = {s.focus['n']} the intervals still hold approximately."
         if jb < s.alpha else f"The residuals look normal (Jarque-Bera {p_text(jb)})."),
        f"The largest variance inflation factor of the engagement term is {vif:.1f}: "
        + ("engagement is nearly explained by the controls, so its estimate is imprecise."
           if vif > VIF_LIMIT else
           "engagement is not a copy of the controls, so its estimate is not inflated."),
        c.loc["n_dropped", "note"].capitalize() + ".",
    ]  # fmt: skip


def _power(s: EngagementRevenueStudy) -> list[str]:
    h, raw = s.prepared, s.main_raw
    if s.power is None:
        return [_left_out(s, "power", "The minimum detectable correlation")]
    r_min = float(s.power.loc[0, "effect_size"])
    return [
        f"With n = {int(raw['n'])} and alpha = {s.alpha:g}, correlations of **{r_min:.2f}** "
        f"or more are detected with {POWER:.0%} power. The observed raw correlation of "
        f"`{h.engagement[0]}` with `{h.outcome}` is {raw['estimate']:.2f}, "
        + ("above that: the study is large enough to see an effect of this size."
           if abs(float(raw["estimate"])) >= r_min else
           "below that: an effect of this size could easily be missed, so no clear "
           "association is weak evidence of no effect.")
        + (f" On a panel the rows are not independent: with only "
           f"{h.data[h.entity].nunique()} {h.entity}s the effective n is smaller and the real "
           "threshold higher." if s.panel else "")
    ]  # fmt: skip


def _timing(s: EngagementRevenueStudy) -> list[str]:
    if not s.panel:
        return []
    main = s.prepared.engagement[0]
    return [
        "## Which moves first?",
        "Granger-type lead-lag tests in both directions: does the past of "
        f"`{main}` help predict each outcome, and does the past of the outcome help predict "
        f"`{main}`? Counts and volumes are tested as week-to-week changes of log(1 + value), "
        "so that trends do not fake a lead.",
        *([_left_out(s, "lead_lag", "The lead-lag tests")] if "lead_lag" in s.skipped else []),
    ]


def _truth(s: EngagementRevenueStudy) -> list[str]:
    table = truth_comparison(s)
    if table is None:
        return []
    row = table.iloc[0]
    return [
        f"These data are simulated, so the answer is known: {s.prepared.truth['meaning']}. "
        f"The controlled estimate is **{row['estimate']:.4f}** "
        f"({interval_text(row, alpha=s.alpha, digits=4)}) against a **true effect of "
        f"{row['truth']:g}**: the interval {'covers' if row['covered'] else 'does NOT cover'} "
        f"the truth (error {row['error']:+.4f}). The raw correlation has no true value to "
        "compare with: it mixes the effect with the confounding by size and sector built "
        "into the simulation."
    ]  # fmt: skip


def _verdict(s: EngagementRevenueStudy) -> list[str]:
    h, raw, focus = s.prepared, s.main_raw, s.focus
    table = study_verdict(s).set_index("step")
    raw_clear, ctl_clear = table.loc["raw", "clear"], table.loc["controlled", "clear"]
    n_clear = int(is_clear(s.raw, alpha=s.alpha).sum())
    first = (
        f"{h.unit.capitalize()}s with more `{h.engagement[0]}` have "
        f"{'more' if raw['estimate'] > 0 else 'less'} `{h.outcome}`: "
        f"{COEFFICIENT_NAMES[s.method]} {raw['estimate']:.2f} "
        f"({_interval(raw, s.alpha)}, n = {int(raw['n'])}), "
        f"{'a clear association' if raw_clear else 'not a clear association'} after "
        f"adjustment for {_plural(len(s.raw), 'test')} ({n_clear} of {len(s.raw)} "
        "engagement-outcome pairs are clear)."
    )  # fmt: skip
    label = (
        f"{h.entity} and {h.time} fixed effects"
        if s.panel
        else f"{', '.join(h.controls)} held fixed"
        if h.controls
        else "nothing held fixed"
    )
    second = (
        f"No controlled estimate ({s.skipped.get('controlled')}): the raw association alone "
        "cannot tell engagement apart from size, so it cannot support H1."
        if focus is None else
        f"With {label}, the estimate for `{focus['term']}` is {focus['estimate']:+.3g} "
        f"({interval_text(focus, alpha=s.alpha, digits=3)}): "
        + ("the association survives the controls." if ctl_clear
           and (focus["estimate"] > 0) == (raw["estimate"] > 0) else
           "the controls take away the clear evidence: what remains is consistent with no "
           "effect of engagement beyond size." if not ctl_clear else
           "the sign reverses once the controls are held fixed.")
    )  # fmt: skip
    if s.partial is not None:
        partial = float(s.partial.iloc[0]["estimate"])
        shrink = 1 - partial / raw["estimate"] if raw["estimate"] else float("nan")
        second += (f" As a partial correlation it is {partial:.2f} against "
                   f"{raw['estimate']:.2f} raw: the controls account for about {shrink:.0%} "
                   "of the raw association.")  # fmt: skip
    third = (
        f"The data could detect correlations of {s.power.loc[0, 'effect_size']:.2f} or more "
        f"with {POWER:.0%} power" + ("." if ctl_clear else "; smaller effects could be present "
                                     "and missed.")
        if s.power is not None else
        f"With {_plural(int(raw['n']), 'row')}, the data are too few to say how large an "
        "effect they could detect."
    )  # fmt: skip
    bullets = [first, second, third]
    for y, result in s.lead_lag.items():
        pooled = result[result["level"] == "pooled"].set_index("direction")["p_adjusted"]
        ahead = [d for d, p in pooled.items() if p < s.alpha]
        bullets.append(
            f"Timing with `{y}`: "
            + (
                " and ".join(f"`{d}`" for d in ahead)
                + (
                    " both lead: feedback, so reverse causality cannot be ruled out."
                    if len(ahead) == 2
                    else " leads."
                )
                if ahead
                else "neither series leads."
            )
        )
    truth = truth_comparison(s)
    if truth is not None:
        row = truth.iloc[0]
        bullets.append(f"True effect {row['truth']:g}, estimate {row['estimate']:.4f}: the "
                       f"method {'recovers' if row['covered'] else 'misses'} it here.")  # fmt: skip
    headline = (
        "The data support H1, as an association (not as cause and effect)"
        if table["supported"].iloc[0]
        else "The data do not give clear support to H1"
    )
    return [f"**{headline}.**", *bullets]


def _limits(s: EngagementRevenueStudy) -> list[str]:
    h = s.prepared
    held = ", ".join(h.controls)
    limits = [
        "**Causality.** This is observational data: no unit was assigned more engagement at "
        "random, so even a controlled estimate is an association, not the effect of raising "
        "engagement.",
        "**Reverse causality.** Success can bring engagement (a hit gets talked about) as well "
        "as the other way round"
        + ("; the lead-lag tests could not be run on these data, so the timing is untested."
           if "lead_lag" in s.skipped else
           ", and the lead-lag tests above show how the timing runs."
           if s.panel else "; with one cross-section the timing cannot be tested."),
        "**Confounding left over.** "
        + (f"Only {held} {'are' if len(h.controls) != 1 else 'is'} held fixed" if h.controls
           else "No control columns are held fixed")
        + (f" (besides what is constant within a {h.entity} or common to a {h.time})"
           if s.panel else "")
        + "; anything else that drives both engagement and the outcome (marketing spend, news, "
        "seasonality) is not.",
    ]  # fmt: skip
    about = ("About the simulation" if h.simulated else "From the data set's provenance"
             if h.source in SOURCES else "About your file")  # fmt: skip
    return limits + [f"**{about}:** {c}" for c in h.caveats]
