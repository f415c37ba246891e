"""The customer value report's tables and wording, with their rules stated.

- :data:`PUBLISHED`, :func:`published_setup`: the published CDNOW fits and when a run is
  comparable with them (the 2,357-customer sample, weeks, the paper's calibration split);
- :func:`default_calibration_end`, :func:`fit_models`: the split and the two models
  (a transaction model and the Gamma-Gamma spend model), refusing nothing silently;
- :func:`parameter_table`, :func:`holdout_by_frequency`, :func:`alive_grid`,
  :func:`segment_table`, :func:`top_customers`, :func:`value_concentration`: the tables;
- :func:`data_sentences`, :func:`parameter_sentences`, :func:`tracking_sentences`,
  :func:`holdout_sentences`, :func:`value_sentences`, :func:`assumption_sentences`: the
  report's sentences with their numbers;
- :func:`key_results`: the recorded results.

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> cdnow = load_dataset("cdnow", table="calibration_summary").rename(
...     columns={"age": "T", "mean_repeat_value": "monetary_value"})
>>> transactions, spend, note = fit_models(cdnow, model="bgnbd")
>>> table = parameter_table(transactions, spend, published=True)
>>> table.loc[table["model"] == "BG/NBD", "published"].tolist()
[0.243, 4.414, 0.793, 2.426]
>>> bool(table["published_in_interval"].all())
True
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from scrm_lab._checks import (
    ALPHA,
    COLUMN,
    Choice,
    Flag,
    Instance,
    Integer,
    OrNone,
    Real,
    checks,
)
from scrm_lab.customers._bgnbd import BGNBD
from scrm_lab.customers._gammagamma import GammaGamma
from scrm_lab.customers._mle import FitError
from scrm_lab.customers._paretonbd import ParetoNBD
from scrm_lab.customers._summary import UNIT_NAMES, UNITS, purchase_days
from scrm_lab.datasets import load_tables
from scrm_lab.exceptions import ParameterError
from scrm_lab.io import read_table
from scrm_lab.models import correlate, level_text

__all__ = [
    "MODELS",
    "PUBLISHED",
    "alive_grid",
    "assumption_sentences",
    "data_sentences",
    "default_calibration_end",
    "fit_models",
    "holdout_by_frequency",
    "holdout_sentences",
    "key_results",
    "meaning_sentences",
    "parameter_sentences",
    "parameter_table",
    "period_discount_rate",
    "published_setup",
    "segment_sentences",
    "segment_table",
    "split_dates",
    "top_customers",
    "tracking_sentences",
    "transaction_log",
    "value_concentration",
    "value_sentences",
]

#: The transaction models of the report, by the name its ``model`` parameter takes.
MODELS = {"bgnbd": BGNBD, "paretonbd": ParetoNBD}
_NAMES = {"bgnbd": "BG/NBD", "paretonbd": "Pareto/NBD", "gammagamma": "Gamma-Gamma"}

#: Published maximum likelihood fits on the 2,357-customer CDNOW sample, 39 weeks of
#: calibration: BG/NBD (Fader, Hardie and Lee 2005, Marketing Science 24(2), p. 281),
#: Pareto/NBD (the same paper, and Fader and Hardie's note on implementing it), Gamma-Gamma
#: on the 946 customers with repeat purchases (Fader, Hardie and Lee 2005, JMR 42(4)).
PUBLISHED = {
    "bgnbd": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "log_likelihood": -9582.4},
    "paretonbd": {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669,
                  "log_likelihood": -9595.0},
    "gammagamma": {"p": 6.25, "q": 3.74, "gamma": 15.44},
}  # fmt: skip
#: The setup of the published fits: calibration 1997-01-01 to 1997-09-30 (39 weeks), the
#: holdout to 1998-06-30 (weeks 40 to 78).
PUBLISHED_SPLIT = ("1997-09-30", "1998-06-30")
_SUMMARY = Instance(pd.DataFrame, "a customer summary (rfm_summary)")
_MODEL = Choice(tuple(MODELS))
_DATE = Instance((str, pd.Timestamp), "a date such as '1997-09-30'")
_UNIT = Choice(tuple(UNITS))


def _model_key(model) -> str:
    return next(k for k, v in {**MODELS, "gammagamma": GammaGamma}.items() if isinstance(model, v))


@checks(shipped=Flag(), sample=Flag(), time_unit=_UNIT, calibration_end=_DATE,
        observation_end=_DATE)  # fmt: skip
def published_setup(
    *, shipped: bool, sample: bool, time_unit: str, calibration_end, observation_end
) -> bool:
    """Whether a run repeats the published setup, so its fits can sit beside the paper's.

    True for the shipped CDNOW sample in weeks with the paper's calibration end
    (1997-09-30) and observation end (1998-06-30).

    Examples
    --------
    >>> published_setup(shipped=True, sample=True, time_unit="W",
    ...                 calibration_end="1997-09-30", observation_end="1998-06-30")
    True
    """
    dates = tuple(str(pd.Timestamp(d).date()) for d in (calibration_end, observation_end))
    return shipped and sample and time_unit == "W" and dates == PUBLISHED_SPLIT


@checks(path=OrNone(Instance(str, "a path")), columns=OrNone(Instance(dict, "a mapping")),
        cdnow_customers=Choice(("sample", "all")))  # fmt: skip
def transaction_log(
    path: str | None = None, *, columns: dict | None = None, cdnow_customers: str = "sample"
) -> pd.DataFrame:
    """The report's transaction log: a user's file, or the shipped CDNOW log.

    A file is read with :func:`scrm_lab.io.read_table` as the canonical ``transactions``
    table (``columns`` maps its column names to the canonical ones). Without a path, the
    CDNOW log of the 2,357 customers of the published fits (``"sample"``) or of the whole
    cohort of 23,570 (``"all"``).

    Examples
    --------
    >>> transaction_log()["customer_id"].nunique()
    2357
    """
    if path:
        return read_table(path, kind="transactions", columns=columns or None)
    cdnow = load_tables("cdnow")
    log = cdnow["transactions"]
    if cdnow_customers == "sample":
        log = log[log["customer_id"].isin(cdnow["calibration_summary"]["customer_id"])]
    return log.reset_index(drop=True)


@checks(transactions=Instance(pd.DataFrame, "a transaction log"), shipped=Flag(),
        calibration_end=_DATE, observation_end=_DATE)  # fmt: skip
def split_dates(
    transactions: pd.DataFrame, *, calibration_end: str = "", observation_end: str = "",
    shipped: bool = False,
) -> tuple[pd.Timestamp, pd.Timestamp]:  # fmt: skip
    """The calibration end and observation end of a report run, the defaults filled in.

    Empty dates mean: for the shipped CDNOW log, the published split (1997-09-30 and
    1998-06-30); for a user's log, half-way through it (:func:`default_calibration_end`)
    and its last purchase day.

    Examples
    --------
    >>> log = pd.DataFrame({"time": pd.to_datetime(["2024-01-01", "2024-01-31"])})
    >>> [str(d.date()) for d in split_dates(log)]
    ['2024-01-16', '2024-01-31']
    """
    if shipped:
        cut, end = calibration_end or PUBLISHED_SPLIT[0], observation_end or PUBLISHED_SPLIT[1]
    else:
        cut = calibration_end or default_calibration_end(transactions)
        end = observation_end or purchase_days(transactions["time"]).max()
    stamps = []
    for name, value in (("calibration_end", cut), ("observation_end", end)):
        try:
            stamps.append(pd.Timestamp(value).normalize())
        except (ValueError, TypeError) as err:
            raise ParameterError(
                f"The {name!r} parameter must be a date such as '1997-09-30'. Got {value!r} "
                "instead."
            ) from err
    return stamps[0], stamps[1]


@checks(transactions=Instance(pd.DataFrame, "a transaction log"), time=COLUMN)
def default_calibration_end(transactions: pd.DataFrame, *, time: str = "time") -> pd.Timestamp:
    """The day half-way between the first and the last purchase day of a log.

    Half of the span is calibration and half holdout, as in the published CDNOW split
    (39 + 39 weeks).

    Examples
    --------
    >>> log = pd.DataFrame({"time": pd.to_datetime(["2024-01-01", "2024-01-31"])})
    >>> default_calibration_end(log)
    Timestamp('2024-01-16 00:00:00')
    """
    days = purchase_days(transactions[time])
    first, last = days.min(), days.max()
    if pd.isna(first) or first == last:
        raise ParameterError(
            "default_calibration_end needs purchases on at least two different days; the log "
            f"has {'none' if pd.isna(first) else 'only ' + str(first.date())}."
        )
    return (first + (last - first) / 2).normalize()


@checks(summary=_SUMMARY, model=_MODEL)
def fit_models(summary: pd.DataFrame, *, model: str = "bgnbd") -> tuple[object, object, str]:
    """The fitted transaction model, the fitted spend model (or None) and a note on spend.

    The Gamma-Gamma model reads the customers with repeat purchases and a positive mean
    spend; repeat customers whose mean spend is 0 or less (refunds, free items) are left
    out of its fit and valued at the population's mean spend, like one-time buyers. When
    the spend model cannot be fitted (no repeat purchase with a positive spend, a fit that
    does not converge, or a fitted ``q <= 1``, which gives spend no finite mean), it is
    None and the note says why; customer value then cannot be computed.
    """
    transactions = MODELS[model]().fit(summary)
    spend_data = _spend_data(summary)
    left_out = int(((summary["frequency"] > 0) & (spend_data["frequency"] == 0)).sum())
    note = (
        f"{left_out:,} repeat customers with a mean spend of 0 or less are left out of the "
        "spend model and valued at the population's mean spend."
        if left_out
        else ""
    )
    try:
        spend = GammaGamma().fit(spend_data)
        spend.conditional_expected_value(np.ones(1), np.ones(1))  # refuses q <= 1
    except (FitError, ParameterError) as err:
        return transactions, None, f"The spend model cannot be fitted: {err} {note}".strip()
    return transactions, spend, note


def _spend_data(summary: pd.DataFrame) -> pd.DataFrame:
    """The summary as the spend model reads it: repeat spend of 0 or less counts as unknown."""
    usable = (summary["frequency"] > 0) & (summary["monetary_value"] > 0)
    return summary.assign(
        frequency=summary["frequency"].where(usable, 0),
        recency=summary["recency"].where(usable, 0.0),
        monetary_value=summary["monetary_value"].where(usable),
    )


@checks(published=Flag(), alpha=ALPHA)
def parameter_table(
    transaction_model, spend_model=None, *, published: bool = False, alpha: float = 0.05
) -> pd.DataFrame:
    """Both models' parameters with Wald intervals, the published values beside them.

    Returns
    -------
    pandas.DataFrame
        ``model, parameter, estimate, std_error, ci_low, ci_high`` and, with ``published``,
        ``published`` and ``published_in_interval`` (whether the published value lies in
        the interval).
    """
    tables = []
    for fitted in (transaction_model, spend_model):
        if fitted is None:
            continue
        key = _model_key(fitted)
        table = fitted.summary(alpha=alpha)
        table.insert(0, "model", _NAMES[key])
        if published:
            table["published"] = table["parameter"].map(PUBLISHED[key])
            table["published_in_interval"] = table["published"].between(
                table["ci_low"], table["ci_high"]
            )
        tables.append(table)
    return pd.concat(tables, ignore_index=True)


@checks(summary=_SUMMARY, highest=Integer(low=1, high=100))
def holdout_by_frequency(model, summary: pd.DataFrame, *, highest: int = 7) -> pd.DataFrame:
    """Expected against actual holdout purchases per customer, by calibration frequency.

    The conditional expectation test of Fader, Hardie and Lee (2005, Figure 4): customers
    are grouped by their repeat purchases in the calibration period (``highest`` and more in
    one group); for each group, the mean holdout purchases the model expects given each
    customer's history, and the mean they made.

    Returns
    -------
    pandas.DataFrame
        ``frequency`` (text: ``"0"`` ... ``"7+"``), ``customers``, ``expected``, ``actual``.
    """
    if "frequency_holdout" not in summary.columns:
        raise ParameterError(
            "holdout_by_frequency needs the holdout columns of rfm_summary: give it a "
            "calibration_end."
        )
    duration = float(summary["duration_holdout"].iloc[0]) if len(summary) else 0.0
    expected = model.expected_purchases(
        duration, summary["frequency"], summary["recency"], summary["T"]
    )
    capped = summary["frequency"].clip(upper=highest).astype(int)
    table = (
        pd.DataFrame(
            {
                "group": capped,
                "expected": expected,
                "actual": summary["frequency_holdout"].astype(float),
            }
        )  # fmt: skip
        .groupby("group")
        .agg(customers=("actual", "size"), expected=("expected", "mean"), actual=("actual", "mean"))
        .reset_index()
    )
    labels = table["group"].astype(str).where(table["group"] < highest, f"{highest}+")
    return table.drop(columns="group").assign(frequency=labels)[
        ["frequency", "customers", "expected", "actual"]
    ]


@checks(summary=_SUMMARY)
def alive_grid(model, summary: pd.DataFrame) -> pd.DataFrame:
    """Probability alive for histories along the calibration period, at the longest T.

    Frequencies 1, 2, 5 and 10 (capped at the largest in the data) by recency at 10%, 40%,
    70% and 100% of T: the students' picture of how a long silence after many purchases is
    a worse sign than after few.

    Returns
    -------
    pandas.DataFrame
        ``frequency, recency, T, probability_alive``, one row per history.
    """
    T = float(summary["T"].max())
    top = int(summary["frequency"].max())
    frequencies = sorted({min(f, top) for f in (1, 2, 5, 10)} - {0})
    rows = [(f, share * T, T) for f in frequencies for share in (0.1, 0.4, 0.7, 1.0)]
    grid = pd.DataFrame(rows, columns=["frequency", "recency", "T"])
    grid["probability_alive"] = model.probability_alive(grid["frequency"], grid["recency"], T)
    return grid


@checks(annual_rate=Real(low=0, high=1), time_unit=_UNIT)
def period_discount_rate(annual_rate: float, *, time_unit: str) -> float:
    """An annual discount rate as the rate of one ``time_unit``: ``(1 + annual) ** (unit
    / 365.25 days) - 1``.

    Examples
    --------
    >>> round(period_discount_rate(0.10, time_unit="W"), 6)
    0.001828
    """
    return (1 + annual_rate) ** (UNITS[time_unit] / 365.25) - 1


@checks(
    scores=Instance(pd.DataFrame, "the output of rfm_scores"),
    value=OrNone(Instance(pd.DataFrame, "the output of customer_lifetime_value")),
    alive=OrNone(Instance((np.ndarray, pd.Series, list), "probabilities alive, one per customer")),
)
def segment_table(
    scores: pd.DataFrame, *, value: pd.DataFrame | None = None, alive=None
) -> pd.DataFrame:
    """Size and behaviour of each RFM segment; with a value table, its share of the value.

    Returns
    -------
    pandas.DataFrame
        ``segment, customers, share, mean_frequency, mean_monetary_value`` and, when the
        summary has them, ``holdout_purchases_per_customer``; with ``alive`` (probabilities,
        in the scores' order) ``mean_probability_alive``; with ``value``, ``mean_clv`` and
        ``clv_share``. Ordered from the most to the least valuable segment (by mean CLV,
        else by mean frequency).
    """
    frame = scores[["segment", "frequency", "monetary_value"]].copy()
    columns = {"customers": ("frequency", "size"), "mean_frequency": ("frequency", "mean"),
               "mean_monetary_value": ("monetary_value", "mean")}  # fmt: skip
    if "frequency_holdout" in scores.columns:
        frame["holdout"] = scores["frequency_holdout"].to_numpy(float)
        columns["holdout_purchases_per_customer"] = ("holdout", "mean")
    if alive is not None:
        frame["alive"] = np.asarray(alive, dtype=float)
        columns["mean_probability_alive"] = ("alive", "mean")
    if value is not None:
        frame["clv"] = value["clv"].to_numpy(float)
        columns["mean_clv"] = ("clv", "mean")
        columns["clv_sum"] = ("clv", "sum")
    table = frame.groupby("segment").agg(**columns).reset_index()
    table.insert(2, "share", table["customers"] / table["customers"].sum())
    if value is not None:
        table["clv_share"] = table.pop("clv_sum") / frame["clv"].sum()
    order = "mean_clv" if value is not None else "mean_frequency"
    return table.sort_values(order, ascending=False, ignore_index=True)


@checks(n=Integer(low=1), customer=COLUMN)
def top_customers(scores: pd.DataFrame, value: pd.DataFrame, *, n: int = 10,
                  customer: str = "customer_id") -> pd.DataFrame:  # fmt: skip
    """The ``n`` customers of highest CLV with their history, RFM cell and segment."""
    columns = [customer, "frequency", "recency", "T", "monetary_value", "cell", "segment"]
    table = scores[columns].join(value[["expected_purchases", "expected_spend", "clv"]])
    return table.sort_values("clv", ascending=False).head(n).reset_index(drop=True)


def value_concentration(value: pd.DataFrame) -> pd.DataFrame:
    """Share of the total CLV held by the top 1%, 10% and 20% of customers.

    Examples
    --------
    >>> value_concentration(pd.DataFrame({"clv": [1.0] * 9 + [91.0]}))["share_of_value"].tolist()
    [0.91, 0.91, 0.92]
    """
    clv = np.sort(value["clv"].to_numpy(float))[::-1]
    total = clv.sum()
    rows = []
    for top in (0.01, 0.10, 0.20):
        k = max(1, math.ceil(top * clv.size))
        rows.append(
            {
                "top_share_of_customers": top,
                "customers": k,
                "share_of_value": float(clv[:k].sum() / total) if total else math.nan,
            }
        )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- wording


def _unit_name(time_unit: str, plural: bool = True) -> str:
    return UNIT_NAMES[time_unit] + ("s" if plural else "")


@checks(summary=_SUMMARY, time_unit=_UNIT, path=OrNone(Instance(str, "a path")),
        calibration_end=_DATE, observation_end=_DATE)  # fmt: skip
def data_sentences(
    transactions: pd.DataFrame, summary: pd.DataFrame, *, calibration_end, observation_end,
    time_unit: str = "W", path: str | None = None,
) -> list[str]:  # fmt: skip
    """What the data are: source, customers, purchases, the calibration and holdout split."""
    source = f"`{path}`" if path else "the shipped CDNOW log"
    cut, end = (pd.Timestamp(d).date() for d in (calibration_end, observation_end))
    unit = _unit_name(time_unit)
    repeaters = int((summary["frequency"] > 0).sum())
    weeks = ""
    if "duration_holdout" in summary.columns:
        weeks = f" ({summary['duration_holdout'].iloc[0]:.4g} {unit})"
    sentences = [
        f"The data are {len(transactions):,} transactions from {source}; "
        f"{len(summary):,} customers made their first purchase by {cut}.",
        f"The models are fitted on purchases up to **{cut}** (the calibration period); "
        f"purchases from the next day to **{end}** are the holdout{weeks}, kept out of the "
        "fit to test the forecasts.",
        f"{repeaters:,} customers ({repeaters / len(summary):.0%}) bought again in the "
        "calibration period; purchases on the same day count as one.",
    ]
    return sentences


@checks(published=Flag(), alpha=ALPHA)
def parameter_sentences(table: pd.DataFrame, *, published: bool, alpha: float = 0.05) -> list[str]:
    """Whether the published values fall inside the intervals, or why none are shown; and
    which parameters the data do not pin down (no standard error: the likelihood is flat or
    the optimum is on the edge)."""
    flat = table.loc[table["std_error"].isna(), "parameter"].tolist()
    caveat = (
        [
            f"The data do not pin down {', '.join(flat)}: the likelihood is flat there, so no "
            "standard error or interval can be given; read the estimates with care and prefer "
            "a longer calibration period or more customers."
        ]
        if flat
        else []
    )
    if not published:
        return [
            "The published CDNOW fits are shown only for the run that repeats their setup "
            "(the shipped 2,357-customer sample, weeks, calibration to 1997-09-30 and holdout "
            "to 1998-06-30); this run differs, so its parameters stand alone.",
            *caveat,
        ]
    outside = table.loc[~table["published_in_interval"], "parameter"].tolist()
    level = level_text(alpha)
    if outside:
        return [
            f"The published values of {', '.join(outside)} lie outside the {level} interval "
            "of our estimate: check the data and the setup against the paper.",
            *caveat,
        ]
    gap = ((table["estimate"] - table["published"]) / table["published"]).abs()
    worst = table.loc[gap.idxmax()]
    return [
        f"Every published value lies inside the {level} interval of our estimate, and the "
        f"largest difference is {gap.max():.2%} ({worst['model']} {worst['parameter']}: "
        f"{worst['estimate']:.4g} against {worst['published']:g}), within the rounding of "
        "the published figures or the flat direction of the likelihood: the fit reproduces "
        "the papers."
    ]


@checks(time_unit=_UNIT)
def meaning_sentences(transaction_model, spend_model=None, *, time_unit: str = "W") -> list[str]:
    """What the fitted parameters mean for a typical customer, in plain words.

    Examples
    --------
    >>> model = BGNBD()
    >>> model.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> print(meaning_sentences(model)[0][:72])
    While still a customer, the average customer buys **0.055 times a week**
    >>> print(meaning_sentences(model)[1])
    After each purchase, **25%** of customers on average leave for good (a / (a + b)).
    """
    unit = _unit_name(time_unit, plural=False)
    params = transaction_model.params_
    rate = params["r"] / params["alpha"]
    spread = "most buy rarely, a few often" if params["r"] < 1 else "spread around the average"
    sentences = [
        f"While still a customer, the average customer buys **{rate:.2g} times a {unit}** "
        f"(r / alpha; once every {1 / rate:.3g} {unit}s); across customers the rates follow a "
        f"gamma distribution of shape r = {params['r']:.3g}: {spread}."
    ]
    if isinstance(transaction_model, BGNBD):
        dropout = params["a"] / (params["a"] + params["b"])
        sentences.append(
            f"After each purchase, **{dropout:.0%}** of customers on average leave for good "
            "(a / (a + b))."
        )
    else:
        dropout = params["s"] / params["beta"]
        year = 365.25 / UNITS[time_unit]
        gone = 1 - (params["beta"] / (params["beta"] + year)) ** params["s"]
        sentences.append(
            f"Customers leave for good at an average rate of **{dropout:.2g} a {unit}** "
            f"(s / beta); {gone:.0%} of the customers alive today will have left within a "
            "year (1 - (beta / (beta + one year)) ^ s)."
        )
    if spend_model is not None:
        p, q, gamma = spend_model.params_.values()
        if q > 1:
            sentences.append(
                f"A purchase is worth **{gamma * p / (q - 1):,.2f}** on average across "
                "customers (gamma p / (q - 1)); a customer's own mean is pulled towards it, "
                "the more so the fewer purchases they have made."
            )
    return sentences


def _holdout_totals(track: pd.DataFrame) -> tuple[int, float, int]:
    """Holdout periods, expected and actual repeat purchases in them, from a tracking table."""
    holdout = track["part"] == "holdout"
    if not holdout.any():
        return 0, 0.0, 0
    cut = track[~holdout].iloc[-1]
    last = track.iloc[-1]
    expected = float(last["cumulative_expected"] - cut["cumulative_expected"])
    return int(holdout.sum()), expected, int(last["cumulative_actual"] - cut["cumulative_actual"])


@checks(time_unit=_UNIT)
def tracking_sentences(track: pd.DataFrame, *, time_unit: str = "W") -> list[str]:
    """The forecast error of the holdout period, from a :func:`tracking` table."""
    periods, expected, actual = _holdout_totals(track)
    if not periods:
        return ["There is no holdout period (the calibration end is the end of the data), so "
                "the forecast cannot be tested."]  # fmt: skip
    unit = _unit_name(time_unit)
    if actual == 0:
        return [f"Over the {periods} holdout {unit} the model expects {expected:,.1f} "
                "repeat purchases and there were none."]  # fmt: skip
    error = expected / actual - 1
    word = "under" if error < 0 else "over"
    return [f"Over the {periods} holdout {unit} the model expects **{expected:,.1f}** "
            f"repeat purchases; the cohort made **{actual:,}**: a forecast {word} by "
            f"**{abs(error):.1%}**."]  # fmt: skip


def holdout_sentences(table: pd.DataFrame) -> list[str]:
    """How the conditional expectations compare with the holdout, group by group."""
    gap = (table["expected"] - table["actual"]).abs()
    worst = table.loc[gap.idxmax()]
    total_e = float((table["expected"] * table["customers"]).sum())
    total_a = float((table["actual"] * table["customers"]).sum())
    return [
        f"Summed over customers the model expects {total_e:,.1f} holdout purchases given "
        f"each history, against {total_a:,.0f} made. The widest gap is among customers with "
        f"{worst['frequency']} repeat purchases ({int(worst['customers']):,} customers): "
        f"{worst['expected']:.2f} expected against {worst['actual']:.2f} per customer."
    ]


@checks(horizon=Real(low=0, low_open=True), time_unit=_UNIT, annual_rate=Real(low=0, high=1),
        margin=Real(low=0, high=1, low_open=True))  # fmt: skip
def value_sentences(value: pd.DataFrame, concentration: pd.DataFrame, *, horizon: float,
                    time_unit: str, annual_rate: float, margin: float) -> list[str]:  # fmt: skip
    """The CLV's distribution and concentration in words."""
    clv = value["clv"]
    top10 = concentration.loc[concentration["top_share_of_customers"] == 0.10, "share_of_value"]
    return [
        f"Over the next {horizon:g} {_unit_name(time_unit)}, at a margin of {margin:.0%} and "
        f"an annual discount rate of {annual_rate:.0%}, the mean customer is worth "
        f"**{clv.mean():,.2f}**, the median **{clv.median():,.2f}**, the highest "
        f"{clv.max():,.2f}; the whole base is worth {clv.sum():,.0f}.",
        f"The top 10% of customers hold **{float(top10.iloc[0]):.0%}** of that value: a few "
        "customers carry the base, which is why CRM ranks them.",
    ]


@checks(model=_MODEL)
def segment_sentences(table: pd.DataFrame, *, model: str = "bgnbd") -> list[str]:
    """What the segment table shows: where the value sits, and the BG/NBD's blind spot.

    ``table`` is :func:`segment_table` with a value table and probabilities alive.
    """
    sentences = []
    if "clv_share" in table.columns:
        top = table.iloc[0]
        sentences.append(
            f"The {top['segment']} ({top['share']:.0%} of customers) hold "
            f"**{top['clv_share']:.0%}** of the value, at {top['mean_clv']:,.2f} each on average."
        )
    if model == "bgnbd" and "mean_probability_alive" in table.columns:
        sentences.append(
            "Under BG/NBD a customer who never bought again is alive for sure (probability "
            "1): dropout can only happen just after a purchase. One-time buyers are therefore "
            "valued as if all were still customers; Pareto/NBD (model = paretonbd) lets them "
            "leave at any time, so compare the two."
        )
    return sentences


@checks(model=_MODEL, alpha=ALPHA)
def assumption_sentences(summary: pd.DataFrame, *, model: str = "bgnbd",
                         alpha: float = 0.05) -> list[str]:  # fmt: skip
    """What the models assume in plain words, and a check of the spend model's assumption.

    The Gamma-Gamma model assumes that how much a customer spends per purchase does not
    depend on how often they buy; the Pearson correlation of frequency and mean spend among
    repeat customers tests it (Fader, Hardie and Lee 2005 report 0.11 on CDNOW).
    """
    dropout = {
        "bgnbd": "after each purchase a customer may leave for good, with a probability of "
                 "their own (beta distributed across customers); a customer who has not bought "
                 "again cannot have left",
        "paretonbd": "a customer may leave for good at any moment, after an exponentially "
                     "distributed lifetime whose rate is their own (gamma distributed across "
                     "customers)",
    }[model]  # fmt: skip
    sentences = [
        "**Non-contractual, continuous purchasing.** No customer tells the firm they have left; "
        "a customer can buy at any time.",
        "**While alive, a customer buys at a steady rate of their own** (Poisson purchases), "
        "and the rates vary across customers as a gamma distribution: no seasonality, no "
        "trend, no effect of marketing.",
        f"**Dropout:** {dropout}. Purchase rates and dropout are independent of each other.",
        "**Spend:** the value of a customer's purchases varies around their own mean, and that "
        "mean varies across customers (Gamma-Gamma); it does not depend on how often they buy.",
    ]
    repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    if len(repeat) > 3:
        row = correlate(repeat, x="frequency", y="monetary_value", alpha=alpha).iloc[0]
        sentences.append(
            f"Check of the last assumption: among the {len(repeat):,} repeat customers the "
            f"correlation of frequency and mean spend is **{row['estimate']:.2f}** "
            f"({level_text(alpha)} CI {row['ci_low']:.2f} to {row['ci_high']:.2f}); near 0 "
            "supports it (the paper reports 0.11 on CDNOW)."
        )
    return sentences


def key_results(transaction_model, summary: pd.DataFrame, track: pd.DataFrame | None,
                value: pd.DataFrame | None) -> dict[str, object]:  # fmt: skip
    """The customer value report's key results, for batch summaries and the reports index.

    Returns
    -------
    dict
        ``customers``, ``model``, its parameters (``param_<name>``), ``log_likelihood``,
        ``holdout_forecast_error`` (NaN without a holdout), ``mean_clv`` and ``total_clv``
        (NaN without a spend model), as plain Python values.
    """
    results: dict[str, object] = {
        "customers": int(len(summary)),
        "model": _NAMES[_model_key(transaction_model)],
    }
    results.update({f"param_{k}": float(v) for k, v in transaction_model.params_.items()})
    results["log_likelihood"] = float(transaction_model.log_likelihood_)
    periods, expected, actual = (0, 0.0, 0) if track is None else _holdout_totals(track)
    error = expected / actual - 1 if periods and actual else math.nan
    results["holdout_forecast_error"] = error
    results["mean_clv"] = math.nan if value is None else float(value["clv"].mean())
    results["total_clv"] = math.nan if value is None else float(value["clv"].sum())
    return results
