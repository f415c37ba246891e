"""The social customer view report: its data, tables and sentences.

Serves notebooks/social_customer_view.ipynb: the canonical tables (a simulated population,
labelled as such, or a company's own files), the unified view period by period, the
showcase customer, handles pseudonymized for the page, and the wording of the findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from scrm_lab._checks import SEED, Instance, Integer, Real, Text, checks, refuse
from scrm_lab.exceptions import DataFileError
from scrm_lab.privacy import pseudonymize, pseudonymize_mentions
from scrm_lab.unified._added_value import social_added_value
from scrm_lab.unified._added_value_data import added_value_table
from scrm_lab.unified._view import customer_view

__all__ = [
    "TABLE_FILES",
    "ReportData",
    "added_value_comparison",
    "effect_recovered",
    "features_by_period",
    "link_counts",
    "linkage_sentences",
    "period_ends",
    "pseudonymized",
    "report_data",
    "showcase_customer",
]

#: The files a company's folder holds (CSV, Parquet, Excel or JSON lines), by canonical table.
TABLE_FILES = {
    "customers": "customers",
    "social_profiles": "social_profiles",
    "interactions": "interactions",
    "messages": "messages",
    "transactions": "transactions",
}
_SUFFIXES = (".csv", ".csv.gz", ".parquet", ".xlsx", ".jsonl", ".tsv", ".txt")


@dataclass(frozen=True, eq=False)
class ReportData:
    """The canonical tables of the report and, for a simulated population, its truth."""

    crm: pd.DataFrame
    profiles: pd.DataFrame
    interactions: pd.DataFrame
    messages: pd.DataFrame
    transactions: pd.DataFrame
    truth: dict | None
    source: str

    @property
    def simulated(self) -> bool:
        return self.truth is not None


def _find(folder: Path, stem: str) -> Path:
    for suffix in _SUFFIXES:
        path = folder / f"{stem}{suffix}"
        if path.is_file():
            return path
    raise DataFileError(
        f"The folder {str(folder)!r} has no {stem} table: expected one of "
        f"{', '.join(stem + s for s in _SUFFIXES)}."
    )


@checks(
    folder=Text("a folder path, or empty for a simulated population", empty_ok=True),
    n_customers=Integer(low=50),
    seed=SEED,
    effect=Real(-2, 2),
)
def report_data(
    folder: str = "", *, n_customers: int = 2000, seed: int = 0, effect: float = 0.4
) -> ReportData:
    """The report's tables: a company's folder of canonical tables, or a simulated population.

    With ``folder``, each table is read with :func:`scrm_lab.io.read_table` from
    ``<folder>/<table>.<csv|parquet|xlsx|jsonl...>`` (see :data:`TABLE_FILES`) and checked
    against its canonical schema; ``truth`` is None. Without it,
    :func:`scrm_lab.synth.simulate_customer_population` draws ``n_customers`` customers
    over 2024 with a true effect ``effect`` of engagement on purchases (``seed``).

    Examples
    --------
    >>> data = report_data(n_customers=100, seed=1)
    >>> data.simulated, len(data.crm)
    (True, 100)
    """
    if folder:
        from scrm_lab.io import read_table

        where = Path(folder).expanduser()
        if not where.is_dir():
            raise refuse("folder", "a folder of canonical tables", folder)
        tables = {kind: read_table(_find(where, stem), kind=kind)
                  for kind, stem in TABLE_FILES.items()}  # fmt: skip
        return ReportData(
            tables["customers"], tables["social_profiles"], tables["interactions"],
            tables["messages"], tables["transactions"], None, str(where),
        )  # fmt: skip
    from scrm_lab.synth import simulate_customer_population

    pop = simulate_customer_population(n_customers=int(n_customers), seed=int(seed),
                                       effect=float(effect))  # fmt: skip
    return ReportData(pop.crm, pop.profiles, pop.interactions, pop.messages, pop.transactions,
                      pop.truth, "simulated")  # fmt: skip


def _times(data: ReportData) -> pd.Series:
    return pd.concat(
        [data.interactions["time"], data.messages["time"], data.transactions["time"]],
        ignore_index=True,
    ).dropna()


@checks(period=Text())
def period_ends(data: ReportData, *, period: str = "Q") -> list[pd.Timestamp]:
    """The ends of the calendar periods (``"M"`` months, ``"Q"`` quarters) the events span.

    Each end is the last instant of its period, the last one cut at the latest event.

    Examples
    --------
    >>> data = report_data(n_customers=100, seed=1)
    >>> [str(t.date()) for t in period_ends(data, period="Q")][:3]
    ['2024-03-31', '2024-06-30', '2024-09-30']
    """
    if period not in ("M", "Q"):
        raise refuse("period", "'M' (months) or 'Q' (quarters)", period)
    times = _times(data)
    if times.empty:
        raise DataFileError(f"The {data.source} tables hold no event with a time.")
    spans = pd.period_range(times.min().tz_convert(None), times.max().tz_convert(None), freq=period)
    ends = [(p.end_time.floor("s")).tz_localize("UTC") for p in spans]
    ends[-1] = min(ends[-1], times.max())
    return ends


def features_by_period(
    data: ReportData, links: pd.DataFrame, ends: list[pd.Timestamp], **view_options
) -> pd.DataFrame:
    """The unified view at each period end, stacked: ``period`` (its label) first.

    Adds ``revenue_period`` (spend within the period) and ``purchased`` (a purchase in the
    period) to :func:`customer_view`'s columns; ``view_options`` go to it.
    """
    frames = []
    before = None
    for end in ends:
        view = customer_view(
            data.crm, links, data.profiles, interactions=data.interactions,
            messages=data.messages, transactions=data.transactions, as_of=end,
            **view_options,
        ).table  # fmt: skip
        label = str(pd.Period(end.tz_convert(None), freq="D"))
        previous = view["customer_id"].map(before).fillna(0.0) if before is not None else 0.0
        view.insert(0, "period", label)
        view["revenue_period"] = view["revenue"] - previous
        view["purchased"] = view["revenue_period"] > 0
        before = dict(zip(view["customer_id"], view["revenue"], strict=True))
        frames.append(view)
    return pd.concat(frames, ignore_index=True)


@checks(alpha=Real(0, 0.5, low_open=True))
def effect_recovered(data: ReportData, *, alpha: float = 0.05) -> pd.DataFrame:
    """The simulation's true effect beside its estimate from the simulated purchases.

    A Poisson regression (statsmodels GLM, log link) of each customer's purchase count on
    the true latent engagement, with offset log exposure days and robust (HC1) standard
    errors (the purchase rates vary beyond engagement), estimates ``effect``: the
    check that the effect the added-value test should find is really in the data.

    Returns one row: ``true_effect``, ``n``, ``estimate``, ``ci_low``, ``ci_high``,
    ``p_value``, ``method``.

    Examples
    --------
    >>> row = effect_recovered(report_data(n_customers=2000, seed=2, effect=0.4)).iloc[0]
    >>> bool(row["ci_low"] < 0.4 < row["ci_high"])
    True
    """
    import statsmodels.api as sm

    if data.truth is None:
        raise refuse("data", "a simulated population (its truth is needed)", data.source)
    latent = data.truth["latent"]
    counts = data.transactions["customer_id"].value_counts()
    y = latent["customer_id"].map(counts).fillna(0).to_numpy(dtype="float64")
    exposure = latent["exposure_days"].to_numpy(dtype="float64")
    keep = exposure > 0
    design = sm.add_constant(latent["engagement"].to_numpy(dtype="float64")[keep])
    fit = sm.GLM(y[keep], design, family=sm.families.Poisson(),
                 offset=np.log(exposure[keep])).fit(cov_type="HC1")  # fmt: skip
    low, high = fit.conf_int(alpha=float(alpha))[1]
    return pd.DataFrame(
        {"true_effect": [float(data.truth["effect"])], "n": [int(keep.sum())],
         "estimate": [float(fit.params[1])], "ci_low": [float(low)], "ci_high": [float(high)],
         "p_value": [float(fit.pvalues[1])],
         "method": ["Poisson GLM on the true engagement, offset log exposure, HC1"]}
    )  # fmt: skip


#: The columns of the added-value comparison: purchase history, then what social adds.
BASELINE = ("frequency", "recency", "T", "monetary_value")
SOCIAL = ("mentions", "net_sentiment", "followers", "n_profiles")


@checks(
    holdout_share=Real(0, 1, low_open=True, high_open=True),
    seed=SEED,
    alpha=Real(0, 0.5, low_open=True),
)
def added_value_comparison(
    data: ReportData,
    links: pd.DataFrame,
    *,
    holdout_share: float = 0.33,
    seed: int = 0,
    alpha: float = 0.05,
) -> tuple[pd.DataFrame, list[str]]:
    """Does social data add value? On these tables and, when simulated, on a twin without effect.

    The last ``holdout_share`` of the time the purchases and messages span is the holdout;
    :func:`added_value_table` builds each customer's history before it and
    :func:`social_added_value` compares the purchase-history model (:data:`BASELINE`) with
    the one adding :data:`SOCIAL`. A simulated population is compared beside the same
    population drawn with no effect of engagement on purchases (same seed, so the same
    people, profiles and links), each with :func:`effect_recovered`.

    Returns one row per population (``data``, ``customers``, ``relative_gain``, ``ci_low``,
    ``ci_high``, and for a simulation ``true_effect``, ``effect_estimate``,
    ``effect_ci_low``, ``effect_ci_high``) and the sentences for each.
    """
    times = pd.concat([data.transactions["time"], data.messages["time"]]).dropna()
    start, end = times.min(), times.max()
    cut = start + (end - start) * (1 - float(holdout_share))
    runs = {"your data": data}
    if data.simulated:
        truth = data.truth
        runs = {
            f"simulated, true effect {truth['effect']:g}": data,
            "simulated, no effect": report_data(
                n_customers=truth["n_customers"], seed=truth["seed"], effect=0.0
            ),
        }
    rows, said = [], []
    for name, tables in runs.items():
        table = added_value_table(
            tables.crm, tables.transactions, tables.messages, tables.profiles, links,
            calibration_end=cut, holdout_end=end,
        )  # fmt: skip
        found = social_added_value(
            table, outcome="purchases_holdout", exposure="exposure", baseline=list(BASELINE),
            social=list(SOCIAL), seed=seed, alpha=alpha,
        )  # fmt: skip
        gain = found.comparison.set_index("metric").loc["relative_gain"]
        row = {"data": name, "customers": int(gain["n"]), "relative_gain": gain["estimate"],
               "ci_low": gain["ci_low"], "ci_high": gain["ci_high"]}  # fmt: skip
        if tables.simulated:
            effect = effect_recovered(tables, alpha=alpha).iloc[0]
            row.update({"true_effect": effect["true_effect"], "effect_estimate": effect["estimate"],
                        "effect_ci_low": effect["ci_low"],
                        "effect_ci_high": effect["ci_high"]})  # fmt: skip
        rows.append(row)
        said.append(f"**{name}**: " + " ".join(found.sentences(caveat=False)))
    return pd.DataFrame(rows), said


def link_counts(links: pd.DataFrame) -> pd.DataFrame:
    """Profiles per source and how they were linked (rule, probabilistic, not linked).

    Examples
    --------
    >>> links = pd.DataFrame({"source": ["crm", "x", "x"], "rule": ["none", "email", "none"]})
    >>> link_counts(links)
      source  email  not linked  profiles
    0      x      1           1         2
    """
    profiles = links[links["source"] != "crm"]
    table = pd.crosstab(profiles["source"], profiles["rule"].replace({"none": "not linked"}))
    table["profiles"] = table.sum(axis=1)
    table.columns.name = None
    return table.reset_index()


def linkage_sentences(result, accuracy: pd.DataFrame | None) -> list[str]:
    """What the linkage did, and how accurate it was when the truth is known."""
    links = result.links
    profiles = links[links["source"] != "crm"]
    linked = profiles[profiles["rule"] != "none"]
    by_rule = linked["rule"].value_counts()
    n_crm = int((links["source"] == "crm").sum())
    whole = linked["unified_customer_id"].nunique()
    out = [
        f"{len(linked):,} of {len(profiles):,} social profiles were linked to {whole:,} of "
        f"the {n_crm:,} CRM customers: {int(by_rule.get('given_handle', 0)):,} by a handle "
        f"the customer gave, {int(by_rule.get('email', 0)):,} by an equal email and "
        f"{int(by_rule.get('probabilistic', 0)):,} by the probabilistic model at match "
        f"probability {result.threshold:g} or more. Each profile links to at most one "
        "customer and each customer to at most one profile per platform; every link keeps "
        f"its rule or probability, the model version ({result.model_version}) and the run id "
        f"({result.run_id}), so each merge can be explained and undone."
    ]
    if accuracy is not None:
        at = accuracy.iloc[(accuracy["threshold"] - result.threshold).abs().argmin()]
        best = accuracy.loc[accuracy["f1"].idxmax()]
        out.append(
            f"Against the simulated truth, at threshold {at['threshold']:g}: precision "
            f"{at['precision']:.3f} (of the links made, the share that are right), recall "
            f"{at['recall']:.3f} (of the true links, the share found), F1 {at['f1']:.3f}. "
            f"The best F1 over the curve is {best['f1']:.3f}, at threshold "
            f"{best['threshold']:g}; a higher threshold trades recall for precision."
        )
    return out


def showcase_customer(view: pd.DataFrame) -> str:
    """The unified id of a customer worth showing: linked on most platforms, most active.

    Examples
    --------
    >>> view = pd.DataFrame({"unified_customer_id": ["U-1", "U-2"], "n_profiles": [1, 2],
    ...                      "mentions": [5, 1], "interactions": [1, 1], "frequency": [0, 2]})
    >>> showcase_customer(view)
    'U-2'
    """
    activity = view["mentions"] + view["interactions"] + view["frequency"]
    order = np.lexsort((-activity.to_numpy(), -view["n_profiles"].to_numpy()))
    return str(view["unified_customer_id"].iloc[order[0]])


@checks(salt=Text(), keep=Instance(tuple, "a tuple of handles"))
def pseudonymized(frame: pd.DataFrame, *, salt: str, keep: tuple[str, ...] = ()) -> pd.DataFrame:
    """A copy for the page: handle columns and @handles in texts replaced by pseudonyms.

    Columns named ``handle``, ``handle_<platform>``, ``author`` and ``party`` are
    pseudonymized case-insensitively (:func:`scrm_lab.privacy.pseudonymize`), and every
    ``@handle`` inside ``detail`` or ``text`` too, so one person keeps one pseudonym.
    Handles in ``keep`` (a brand's own, say) stay as written in texts.

    Examples
    --------
    >>> page = pseudonymized(pd.DataFrame({"handle_x": ["Ann_B"]}), salt="s")
    >>> bool(page["handle_x"].str.startswith("user_").all())
    True
    """
    out = frame.copy()
    for column in out.columns:
        if column in ("handle", "author", "party") or column.startswith("handle_"):
            values = out[column].astype("object")
            keys = values.where(values.isna(), values.astype(str).str.lstrip("@").str.casefold())
            shown = pseudonymize(keys.dropna(), salt=salt)
            out[column] = pd.Series(shown, index=keys.dropna().index).reindex(out.index)
        elif column in ("detail", "text"):
            values = out[column]
            present = values.notna()
            texts = pseudonymize_mentions(values[present].astype(str), salt=salt)
            for handle in keep:
                alias = pseudonymize(pd.Series([handle.casefold()]), salt=salt).iloc[0]
                texts = texts.str.replace(f"@{alias}", f"@{handle}", regex=False)
            out.loc[present, column] = texts
    return out
