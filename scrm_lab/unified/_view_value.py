"""The customer view's value columns: RFM, BG/NBD, Gamma-Gamma and CLV as of a time.

:func:`scrm_lab.unified.customer_view` takes from here ``frequency``, ``recency``, ``T``,
``monetary_value``, the RFM scores, ``revenue``, ``probability_alive``,
``expected_purchases`` and ``clv`` (:mod:`scrm_lab.customers` computes them), and the two
helpers it shares with them (``first_seen`` as days, membership of ids).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scrm_lab.customers import (
    UNITS,
    customer_lifetime_value,
    fit_models,
    period_discount_rate,
    rfm_scores,
    rfm_summary,
)
from scrm_lab.exceptions import ScrmLabError

__all__: list[str] = []


# --------------------------------------------------------------------------------- helpers


def _first_days(values: pd.Series) -> pd.Series:
    """``first_seen`` as naive UTC timestamps (missing stays missing)."""
    stamps = pd.to_datetime(values, errors="coerce", utc=True)
    return stamps.dt.tz_convert(None)


def _among(values: pd.Series, pool: pd.Series | pd.Index) -> np.ndarray:
    """Whether each value (as text) is in ``pool``: pyarrow's is_in (pandas' isin on arrow
    strings builds a Python list of the pool first, seconds for 100,000 ids)."""
    found = pc.is_in(
        pa.array(values.astype(str), type=pa.large_string()),
        value_set=pa.array(pd.Series(pool).astype(str), type=pa.large_string()),
    )
    return found.to_numpy(zero_copy_only=False).astype(bool)


# ---------------------------------------------------------------------------- the value


def _value(
    table: pd.DataFrame,
    bought: pd.DataFrame,
    end: pd.Timestamp,
    horizon: float,
    time_unit: str,
    annual_discount_rate: float,
    margin: float,
) -> tuple[pd.DataFrame, list[str]]:
    """RFM summary and scores, revenue, and the BG/NBD and Gamma-Gamma predictions."""
    notes: list[str] = []
    bought = bought[_among(bought["customer_id"], table["customer_id"])]
    bought = bought.assign(customer_id=bought["customer_id"].astype(str))
    summary = rfm_summary(bought, observation_end=end.tz_convert(None), time_unit=time_unit)
    summary = summary.set_index("customer_id")
    ids = table["customer_id"]
    buyer = _among(ids, summary.index)
    table["frequency"] = ids.map(summary["frequency"]).fillna(0).astype("int64")
    table["recency"] = ids.map(summary["recency"]).fillna(0.0).astype(float)
    if "first_seen" in table.columns:
        day = end.tz_convert(None).normalize()
        signed = (day - _first_days(table["first_seen"]).dt.normalize()).dt.days
        since_signup = signed.clip(lower=0) / UNITS[time_unit]
    else:
        since_signup = pd.Series(np.nan, index=table.index)
    table["T"] = ids.map(summary["T"]).astype(float).where(buyer, since_signup.astype(float))
    table["monetary_value"] = ids.map(summary["monetary_value"]).astype(float)
    scored = table["T"].notna()
    columns = ["frequency", "recency", "T", "monetary_value"]
    scores = rfm_scores(table.loc[scored, columns]) if scored.any() else None
    for name, source in zip(("rfm_r", "rfm_f", "rfm_m"), ("R", "F", "M"), strict=True):
        table[name] = pd.Series(pd.NA, index=table.index, dtype="Int64")
        if scores is not None:
            table.loc[scored, name] = scores[source].astype("int64")
    for name, source in (("rfm_cell", "cell"), ("rfm_segment", "segment")):
        table[name] = pd.Series(None, index=table.index, dtype=object)
        if scores is not None:
            table.loc[scored, name] = scores[source]
    if (~scored).any():
        notes.append(
            f"{int((~scored).sum()):,} customers without a purchase or a first_seen date have "
            "no T and no RFM scores."
        )
    amounts = pd.to_numeric(bought["amount"], errors="coerce")
    table["revenue"] = ids.map(amounts.groupby(bought["customer_id"].to_numpy()).sum())
    table["revenue"] = table["revenue"].fillna(0.0).astype(float)
    for name in ("probability_alive", "expected_purchases", "clv"):
        table[name] = np.nan
    if not buyer.any():
        notes.append("No customer bought anything up to as_of: no purchase model is fitted.")
        return table, notes
    buyers = summary.reindex(ids[buyer].to_numpy())
    try:
        purchases, spend, spend_note = fit_models(buyers, model="bgnbd")
    except ScrmLabError as err:
        notes.append(f"The BG/NBD purchase model cannot be fitted on these customers: {err}")
        return table, notes
    if spend_note:
        notes.append(spend_note)
    x, t_x, big_t = (buyers[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    table.loc[buyer, "probability_alive"] = purchases.probability_alive(x, t_x, big_t)
    table.loc[buyer, "expected_purchases"] = purchases.expected_purchases(
        float(horizon), x, t_x, big_t
    )
    if spend is not None:
        rate = period_discount_rate(annual_discount_rate, time_unit=time_unit)
        value = customer_lifetime_value(
            purchases, spend, buyers, horizon=horizon, period=1.0, discount_rate=rate,
            margin=margin,
        )  # fmt: skip
        table.loc[buyer, "clv"] = value["clv"].to_numpy()
    if (~buyer).any():
        notes.append(
            f"{int((~buyer).sum()):,} customers without a purchase up to as_of have no "
            "probability alive, expected purchases or CLV: the models describe customers from "
            "their first purchase."
        )
    return table, notes
