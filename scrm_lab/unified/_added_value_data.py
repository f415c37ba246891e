"""The per-customer table the added-value test reads, built from the canonical tables.

:func:`added_value_table` gives one row per customer: purchase history
(:data:`~scrm_lab.unified._added_value.BASELINE_COLUMNS`), social activity
(:data:`~scrm_lab.unified._added_value.SOCIAL_COLUMNS`) and the holdout purchases, the table
:func:`~scrm_lab.unified.social_added_value` reads.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scrm_lab._checks import Choice, Instance, checks, refuse, require_columns
from scrm_lab.customers import UNITS, rfm_summary
from scrm_lab.identity import handle_keys
from scrm_lab.unified._added_value import (
    BASELINE_COLUMNS,
    EXPOSURE_COLUMN,
    OUTCOME_COLUMN,
    SOCIAL_COLUMNS,
)

__all__ = ["added_value_table"]


# ---------------------------------------------------------------- the per-customer table


def _day(value: object, name: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    except (ValueError, TypeError) as err:
        raise refuse(name, "a date such as '2024-09-01'", value) from err
    if stamp is pd.NaT:
        raise refuse(name, "a date such as '2024-09-01'", value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp.normalize()


def _days(times: pd.Series) -> pd.Series:
    """Calendar day of each time: in UTC for aware times, as it is for naive ones."""
    return pd.to_datetime(times, utc=True).dt.tz_convert(None).dt.normalize()


_FRAME = Instance(pd.DataFrame, "a pandas DataFrame")
_DATE = Instance((str, pd.Timestamp), "a date such as '2024-09-01'")


@checks(
    crm=_FRAME,
    transactions=_FRAME,
    messages=_FRAME,
    profiles=_FRAME,
    links=_FRAME,
    calibration_end=_DATE,
    holdout_end=_DATE,
    time_unit=Choice(tuple(UNITS)),
)
def added_value_table(
    crm: pd.DataFrame,
    transactions: pd.DataFrame,
    messages: pd.DataFrame,
    profiles: pd.DataFrame,
    links: pd.DataFrame,
    *,
    calibration_end: str | pd.Timestamp,
    holdout_end: str | pd.Timestamp,
    time_unit: str = "W",
) -> pd.DataFrame:
    """One row per customer: purchase history, social activity and the holdout purchases.

    Days are calendar days (UTC for time-zone-aware times, as :func:`rfm_summary` cuts them);
    the calibration period ends with the day ``calibration_end`` and the holdout is the days
    after it up to ``holdout_end``, both included.

    * **Customers**: the CRM customers with at least one purchase by ``calibration_end``
      (the cohort :func:`rfm_summary` summarises: without a first purchase there is no
      purchase history to compare with), sorted by id.
    * **Baseline** (:data:`BASELINE_COLUMNS`): ``frequency``, ``recency``, ``T`` and
      ``monetary_value`` from :func:`rfm_summary` over the calibration period, in
      ``time_unit`` (``monetary_value`` is missing for customers without a repeat purchase).
    * **Social** (:data:`SOCIAL_COLUMNS`), from the customer's linked profiles: a profile
      row of the link table (``source`` = its platform, ``source_record_id`` = its
      ``profile_id``) belongs to the customer whose CRM row (``source`` "crm",
      ``source_record_id`` = ``customer_id``) has the same ``unified_customer_id``. Their
      handles come from ``profiles`` (``platform``, ``profile_id``, ``handle``); a message
      counts when its ``channel`` is the profile's platform, its ``author`` is the handle
      (compared without case and without a leading '@'), it is not the brand's own
      (``author_is_brand``) and its day is in the calibration period. ``mentions`` (the
      messages), ``positive`` and ``negative`` (by ``sentiment``), ``net_sentiment`` =
      (positive - negative) / (positive + negative), the project's definition as in
      :func:`scrm_lab.listening.net_sentiment` and the customer view (missing without a
      positive or negative mention), ``followers`` (sum over
      the linked profiles, a missing count as 0) and ``n_profiles``.
    * **Outcome** (:data:`OUTCOME_COLUMN`, ``purchases_holdout``): the purchase days in the
      holdout (purchases on one day count as one, as in :func:`rfm_summary`), and
      :data:`EXPOSURE_COLUMN` (``exposure``): the holdout length in ``time_unit``.

    Parameters
    ----------
    crm, transactions, messages, profiles : pandas.DataFrame
        Canonical ``customers`` (``customer_id``), ``transactions`` (``customer_id``,
        ``time``, ``amount``), ``messages`` (``channel``, ``author``, ``time``,
        ``author_is_brand``, ``sentiment``) and ``social_profiles`` (``platform``,
        ``profile_id``, ``handle``, ``followers``) tables.
    links : pandas.DataFrame
        A link table (:func:`scrm_lab.identity.link_identities`): ``source``,
        ``source_record_id``, ``unified_customer_id``.
    calibration_end, holdout_end : str or pandas.Timestamp
        Last day of the calibration period and of the holdout (after it).
    time_unit : {"D", "W", "M", "Y"}, default "W"

    Returns
    -------
    pandas.DataFrame
        ``customer_id``, ``frequency``, ``recency``, ``T``, ``monetary_value``,
        ``mentions``, ``positive``, ``negative``, ``net_sentiment``, ``followers``,
        ``n_profiles``, ``purchases_holdout``, ``exposure``; counts as int64.

    Raises
    ------
    SchemaError
        A table lacks a column (and what :func:`rfm_summary` refuses in the transactions).
    ParameterError
        A table is not a DataFrame, a date cannot be read, or ``holdout_end`` is not after
        ``calibration_end``.

    Examples
    --------
    >>> from scrm_lab.synth import simulate_customer_population
    >>> pop = simulate_customer_population(n_customers=60, days=90, seed=3)
    >>> links = pd.concat([
    ...     pd.DataFrame({"source": "crm", "source_record_id": pop.crm["customer_id"],
    ...                   "unified_customer_id": "U-" + pop.crm["customer_id"]}),
    ...     pop.truth["links"].dropna(subset=["customer_id"]).pipe(lambda t: pd.DataFrame({
    ...         "source": t["platform"].astype(str), "source_record_id": t["profile_id"],
    ...         "unified_customer_id": "U-" + t["customer_id"]}))])
    >>> table = added_value_table(pop.crm, pop.transactions, pop.messages, pop.profiles,
    ...     links, calibration_end="2024-02-29", holdout_end="2024-03-30")
    >>> table.columns.tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['customer_id', 'frequency', 'recency', 'T', 'monetary_value', 'mentions', 'positive',
     'negative', 'net_sentiment', 'followers', 'n_profiles', 'purchases_holdout', 'exposure']
    """
    require_columns(crm, ["customer_id"])
    require_columns(transactions, ["customer_id", "time", "amount"])
    require_columns(messages, ["channel", "author", "time", "author_is_brand", "sentiment"])
    require_columns(profiles, ["platform", "profile_id", "handle", "followers"])
    require_columns(links, ["source", "source_record_id", "unified_customer_id"])
    cut, end = _day(calibration_end, "calibration_end"), _day(holdout_end, "holdout_end")
    if end <= cut:
        raise refuse("holdout_end", f"a day after calibration_end ({cut.date()})", holdout_end)
    summary = rfm_summary(
        transactions, observation_end=end, calibration_end=cut, time_unit=time_unit
    )
    customers = pd.Index(crm["customer_id"].astype(str).unique())
    summary = summary[summary["customer_id"].astype(str).isin(customers)]
    summary = summary.assign(customer_id=summary["customer_id"].astype(str))

    source = links["source"].astype(str)
    record = links["source_record_id"].astype(str)
    unified = links["unified_customer_id"].astype(str)
    is_crm = (source == "crm").to_numpy()
    owner = pd.DataFrame({"unified_customer_id": unified[is_crm], "customer_id": record[is_crm]})
    linked = pd.DataFrame({
        "platform": source[~is_crm], "profile_id": record[~is_crm],
        "unified_customer_id": unified[~is_crm],
    }).merge(owner, on="unified_customer_id")  # fmt: skip
    shown = pd.DataFrame({
        "platform": profiles["platform"].astype(str),
        "profile_id": profiles["profile_id"].astype(str),
        "key": handle_keys(profiles["handle"]),
        "followers": pd.to_numeric(profiles["followers"], errors="coerce").fillna(0).to_numpy(),
    })  # fmt: skip
    linked = linked.merge(shown, on=["platform", "profile_id"], how="inner")

    said = messages[~messages["author_is_brand"].fillna(False).astype(bool).to_numpy()]
    said = said[(_days(said["time"]) <= cut).to_numpy()]
    said = pd.DataFrame({
        "platform": said["channel"].astype(str).to_numpy(),
        "key": handle_keys(said["author"]).to_numpy(),
        "sentiment": said["sentiment"].astype("object").to_numpy(),
    })  # fmt: skip
    said = said.merge(linked[["platform", "key", "customer_id"]], on=["platform", "key"])
    activity = (
        said.assign(
            positive=(said["sentiment"] == "positive").astype("int64"),
            negative=(said["sentiment"] == "negative").astype("int64"),
        )
        .groupby("customer_id")
        .agg(mentions=("key", "size"), positive=("positive", "sum"), negative=("negative", "sum"))
    )
    profile_sums = linked.groupby("customer_id").agg(
        followers=("followers", "sum"), n_profiles=("profile_id", "size")
    )
    out = summary[["customer_id", *BASELINE_COLUMNS]].set_index("customer_id")
    out = out.join(activity).join(profile_sums)
    for column in ("mentions", "positive", "negative", "followers", "n_profiles"):
        out[column] = out[column].fillna(0).astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        decided = out["positive"] + out["negative"]
        net = (out["positive"] - out["negative"]) / decided.where(decided > 0)
    out.insert(list(out.columns).index("negative") + 1, "net_sentiment", net.astype("float64"))
    out[OUTCOME_COLUMN] = summary.set_index("customer_id")["frequency_holdout"].astype("int64")
    out[EXPOSURE_COLUMN] = (end - cut).days / UNITS[time_unit]
    out = out.reset_index().sort_values("customer_id", ignore_index=True)
    return out[["customer_id", *BASELINE_COLUMNS, *SOCIAL_COLUMNS, OUTCOME_COLUMN,
                EXPOSURE_COLUMN]]  # fmt: skip
