"""customer_view: one row per CRM customer, its social identity and activity, and its value.

The view joins the canonical tables a company holds (``customers``, ``social_profiles``,
``interactions``, ``messages``, ``transactions`` and optionally ``edges``, see
:mod:`scrm_lab.schema`) through a link table (:func:`scrm_lab.identity.link_identities`),
as it was at a chosen time ``as_of``: the same function gives the view at the end of each
period.

Examples
--------
>>> from scrm_lab.synth import simulate_customer_population
>>> pop = simulate_customer_population(n_customers=200, seed=3)
>>> truth = pop.truth["links"].dropna(subset=["customer_id"])
>>> links = link_table_from_truth(pop.crm, truth)
>>> view = customer_view(pop.crm, links, pop.profiles, interactions=pop.interactions,
...                      messages=pop.messages, transactions=pop.transactions)
>>> len(view.table) == len(pop.crm), bool(view.table["mentions"].sum() > 0)
(True, True)
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from scrm_lab._checks import (
    Choice,
    Instance,
    OrNone,
    Real,
    Text,
    brief,
    checks,
    current_function,
    refuse,
    require_columns,
)
from scrm_lab.customers import UNITS
from scrm_lab.exceptions import SchemaError
from scrm_lab.identity import handle_keys
from scrm_lab.network import build_graph
from scrm_lab.unified._view_value import _among, _first_days, _value

__all__ = ["CustomerView", "customer_view", "link_table_from_truth"]

#: The columns of a link table (:func:`scrm_lab.identity.link_identities`).
LINK_COLUMNS = ("source", "source_record_id", "unified_customer_id", "match_probability", "rule")
#: The CRM attributes copied into the view when the customers table has them, in this order.
CRM_ATTRIBUTES = ("first_name", "last_name", "email", "city", "country", "birth_year",
                  "first_seen")  # fmt: skip
SENTIMENT_COLUMNS = ("positive", "negative", "neutral")
_MESSAGE_COLUMNS = ["message_id", "brand", "channel", "author", "time", "reply_to",
                    "author_is_brand", "sentiment"]  # fmt: skip


def _frame(what: str) -> Instance:
    return Instance(pd.DataFrame, f"a pandas DataFrame (the canonical {what} table)")


_WHEN = OrNone(
    Instance((str, _dt.date, pd.Timestamp, np.datetime64), "a date or time such as '2024-06-30'")
)


@dataclass(frozen=True)
class CustomerView:
    """The result of :func:`customer_view`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per CRM customer (columns in :func:`customer_view`).
    notes : tuple of str
        Plain sentences on what could not be computed and why (models that could not be
        fitted, customers left out); empty when everything was computed.
    as_of : pandas.Timestamp
        The time the view describes (UTC).
    """

    table: pd.DataFrame
    notes: tuple[str, ...]
    as_of: pd.Timestamp


@checks(
    crm=_frame("customers"),
    links=Instance(pd.DataFrame, "a pandas DataFrame (a link table from link_identities)"),
    profiles=_frame("social_profiles"),
    interactions=_frame("interactions"),
    messages=_frame("messages"),
    transactions=_frame("transactions"),
    as_of=_WHEN,
    brand=OrNone(Text()),
    edges=OrNone(_frame("edges")),
    horizon=Real(low=0, low_open=True),
    time_unit=Choice(tuple(UNITS)),
    annual_discount_rate=Real(low=0, high=1),
    margin=Real(0, 1, low_open=True),
)
def customer_view(
    crm: pd.DataFrame,
    links: pd.DataFrame,
    profiles: pd.DataFrame,
    *,
    interactions: pd.DataFrame,
    messages: pd.DataFrame,
    transactions: pd.DataFrame,
    as_of: str | _dt.date | pd.Timestamp | None = None,
    brand: str | None = None,
    edges: pd.DataFrame | None = None,
    horizon: float = 52,
    time_unit: str = "W",
    annual_discount_rate: float = 0.1,
    margin: float = 1.0,
) -> CustomerView:
    """The unified customer view: one row per CRM customer, as it was at ``as_of``.

    Only events with ``time <= as_of`` count (interactions, messages, transactions and, when
    they have a ``time`` column, edges; an edge without a time counts). Customers whose
    ``first_seen`` is after ``as_of`` are not customers yet and are left out (a note says
    how many); a customer without ``first_seen`` is kept. Profiles that belong to no
    customer (unlinked profiles, whose unified id is not a CRM row's) are not rows: their
    activity is in no customer's counts.

    Parameters
    ----------
    crm : pandas.DataFrame
        Canonical ``customers`` table: ``customer_id`` (unique) and any CRM attributes.
    links : pandas.DataFrame
        A link table (:func:`scrm_lab.identity.link_identities` ``.links``): ``source``,
        ``source_record_id``, ``unified_customer_id``, ``match_probability``, ``rule``. One
        ``"crm"`` row per CRM customer (``source_record_id`` = ``customer_id``); a profile
        row has its platform as ``source`` and its ``profile_id``, and is linked when its
        unified id is a CRM row's.
    profiles : pandas.DataFrame
        Canonical ``social_profiles`` table: ``platform``, ``profile_id``, ``handle`` and,
        optionally, ``followers``.
    interactions : pandas.DataFrame
        Canonical ``interactions`` table: ``customer_id``, ``time``, ``channel``.
    messages : pandas.DataFrame
        Canonical ``messages`` table with ``reply_to``, ``author_is_brand`` and
        ``sentiment`` (label it first with :mod:`scrm_lab.listening` if it has none). A
        message is a customer's when its ``channel`` is the platform of one of the
        customer's linked profiles and its ``author`` that profile's handle (handles
        compared case-folded, without a leading '@').
    transactions : pandas.DataFrame
        Canonical ``transactions`` table: ``customer_id``, ``time``, ``amount``.
    as_of : date or time, optional
        The end of the view (UTC if naive; a date means its midnight). Default: the latest
        event time of the interactions, messages and transactions.
    brand : str, optional
        Count only messages about this brand (its ``brand`` column); default all.
    edges : pandas.DataFrame, optional
        Canonical ``edges`` table whose nodes are handles; without it ``influence`` is NaN.
    horizon : float, default 52
        Periods (of ``time_unit``) over which purchases and value are predicted.
    time_unit : {"D", "W", "M", "Y"}, default "W"
        Unit of ``recency``, ``T``, ``horizon`` and the discounting.
    annual_discount_rate : float, default 0.1
        Discount rate per year, in [0, 1], applied per period of ``time_unit``
        (:func:`scrm_lab.customers.period_discount_rate`).
    margin : float, default 1.0
        Share of spend that is profit, in (0, 1].

    Returns
    -------
    CustomerView
        ``table``, one row per customer in the CRM's order, with the columns:

        - ``unified_customer_id``, ``customer_id`` and whichever of ``first_name``,
          ``last_name``, ``email``, ``city``, ``country``, ``birth_year``, ``first_seen``
          the CRM has;
        - ``handle_<platform>`` for each platform in ``profiles`` (the linked profile's
          handle, the first by ``profile_id`` if several; missing if none); ``n_profiles``
          (linked profiles); ``followers`` (summed over them, 0 without; missing values
          count as 0; NaN when ``profiles`` has no ``followers`` column);
          ``link_probability_min`` (lowest match probability of its profile links, 1.0 for
          a rule link without one, NaN without links);
        - ``mentions`` (messages authored by its handles, not by the brand), ``positive``,
          ``negative``, ``neutral`` (of those, by ``sentiment``), ``net_sentiment`` =
          (positive - negative) / (positive + negative), NaN when both are 0;
          ``replies_received`` (brand messages replying to its messages);
          ``median_response_minutes`` (for each of its messages the brand answered, the
          minutes to the first brand reply; their median; NaN when none);
        - ``influence``: PageRank (:func:`networkx.pagerank` with the edge weights, as in
          :func:`scrm_lab.network.influence_scores`, on the directed, weighted graph of
          :func:`scrm_lab.network.build_graph`, edges from ``source`` to ``target``) summed
          over its handles found as nodes (handles compared case-folded); 0 when none is a
          node; NaN without ``edges``;
        - ``interactions`` (CRM interactions) and ``interactions_<channel>`` for each
          channel in ``interactions`` (all of it, so the columns do not change with
          ``as_of``);
        - ``frequency``, ``recency``, ``T``, ``monetary_value``: from
          :func:`scrm_lab.customers.rfm_summary` for buyers; for a customer without a
          purchase frequency 0, recency 0, ``T`` from ``first_seen`` to ``as_of`` (NaN
          without ``first_seen``) and ``monetary_value`` NaN (as for a one-time buyer: it
          is the mean of the repeat purchases);
        - ``rfm_r``, ``rfm_f``, ``rfm_m``, ``rfm_cell``, ``rfm_segment``:
          :func:`scrm_lab.customers.rfm_scores` over the customers with a ``T`` (missing
          for the others); ``revenue`` (amounts summed up to ``as_of``);
        - ``probability_alive``, ``expected_purchases`` (over ``horizon``) and ``clv``
          (:func:`scrm_lab.customers.customer_lifetime_value`) from a BG/NBD and a
          Gamma-Gamma model (:func:`scrm_lab.customers.fit_models`) fitted on the buyers;
          NaN for customers without a purchase (the models describe customers from their
          first purchase), and for everyone when a model cannot be fitted (the notes say
          why).

        ``notes``: plain sentences on what was left out or could not be computed.

    Raises
    ------
    ParameterError
        A table is not a DataFrame, ``as_of`` cannot be read as a time, or another
        parameter is out of range.
    SchemaError
        A required column is missing; a repeated ``customer_id`` in ``crm``; a ``"crm"``
        link naming a customer not in ``crm``, a CRM customer without a ``"crm"`` link, or a
        linked profile not in ``profiles``; an event time that cannot be read.

    Examples
    --------
    >>> from scrm_lab.synth import simulate_customer_population
    >>> pop = simulate_customer_population(n_customers=200, seed=3)
    >>> links = link_table_from_truth(pop.crm, pop.truth["links"])
    >>> view = customer_view(pop.crm, links, pop.profiles, interactions=pop.interactions,
    ...                      messages=pop.messages, transactions=pop.transactions,
    ...                      as_of="2024-07-01")
    >>> view.table.columns[:4].tolist()
    ['unified_customer_id', 'customer_id', 'first_name', 'last_name']
    >>> str(view.as_of)
    '2024-07-01 00:00:00+00:00'
    """
    require_columns(crm, ["customer_id"])
    require_columns(links, list(LINK_COLUMNS))
    require_columns(profiles, ["platform", "profile_id", "handle"])
    require_columns(interactions, ["customer_id", "time", "channel"])
    require_columns(messages, _MESSAGE_COLUMNS)
    require_columns(transactions, ["customer_id", "time", "amount"])
    if edges is not None:
        require_columns(edges, ["source", "target"])
    notes: list[str] = []

    times = {
        "interactions": _utc(interactions["time"], "interactions"),
        "messages": _utc(messages["time"], "messages"),
        "transactions": _utc(transactions["time"], "transactions"),
    }
    end = _as_of(as_of, times)
    acts = interactions[(times["interactions"] <= end).to_numpy()]
    early = (times["messages"] <= end).to_numpy()
    said = messages[early].assign(  # times as naive UTC datetime64, whatever the index
        time=times["messages"][early].dt.tz_convert(None).to_numpy()
    )
    bought = transactions[(times["transactions"] <= end).to_numpy()]

    ids = crm["customer_id"].astype(str)
    repeated = ids[ids.duplicated()]
    if len(repeated):
        raise SchemaError(
            f"{current_function()}: column 'customer_id' of crm repeats {repeated.iloc[0]!r}; "
            "expected one row per customer.",
            table="customers",
            column="customer_id",
        )
    table = _customers(crm, ids, links)
    if "first_seen" in crm.columns:
        first_seen = _first_days(crm["first_seen"])
        later = (first_seen > end.tz_convert(None)).to_numpy()
        if later.any():
            notes.append(
                f"{int(later.sum()):,} customers first seen after {end} are not customers yet "
                "and are left out."
            )
            table = table[~later].reset_index(drop=True)
    own = _linked_profiles(table, links, profiles)
    table = _identity(table, own, profiles)
    table = _social(table, own, said, brand)
    table["influence"] = _influence(table, own, edges, end)
    table = _interactions(table, acts, interactions["channel"])
    table, value_notes = _value(
        table, bought, end, horizon, time_unit, annual_discount_rate, margin
    )
    return CustomerView(table=table, notes=tuple(notes + value_notes), as_of=end)


# ------------------------------------------------------------------------------ the inputs


def _utc(values: pd.Series, table: str) -> pd.Series:
    """Event times as UTC timestamps (naive ones taken as UTC); unreadable ones refused."""
    stamps = pd.to_datetime(values, errors="coerce", utc=True)
    bad = stamps.isna().to_numpy()
    if bad.any():
        row = int(np.argmax(bad))
        raise SchemaError(
            f"{current_function()}: column 'time' of {table} has {brief(values.iloc[row])} in "
            f"row {row + 1}; expected a time.",
            table=table,
            column="time",
            row=row + 1,
        )
    return stamps


def _as_of(value: object, times: dict[str, pd.Series]) -> pd.Timestamp:
    """``as_of`` as a UTC timestamp; None: the latest event (now, without any event)."""
    if value is None:
        latest = [t.max() for t in times.values() if len(t)]
        return max(latest) if latest else pd.Timestamp.now(tz="UTC")
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as err:
        raise refuse("as_of", "a date or time such as '2024-06-30'", value) from err
    if pd.isna(stamp):
        raise refuse("as_of", "a date or time such as '2024-06-30'", value)
    return stamp.tz_localize("UTC") if stamp.tz is None else stamp.tz_convert("UTC")


def _customers(crm: pd.DataFrame, ids: pd.Series, links: pd.DataFrame) -> pd.DataFrame:
    """Unified id, customer id and the CRM attributes, in the CRM's order."""
    crm_links = links[links["source"].astype(str) == "crm"]
    linked_ids = crm_links["source_record_id"].astype(str)
    unknown = linked_ids[~_among(linked_ids, ids)]
    if len(unknown):
        raise SchemaError(
            f"{current_function()}: the links name customer {unknown.iloc[0]!r} (a 'crm' row), "
            "which is not in crm; expected the links of these customers.",
            column="source_record_id",
        )
    unified = pd.Series(
        crm_links["unified_customer_id"].astype(str).to_numpy(), index=linked_ids.to_numpy()
    )
    unified = unified[~unified.index.duplicated()]
    missing = ids[~_among(ids, unified.index)]
    if len(missing):
        raise SchemaError(
            f"{current_function()}: customer {missing.iloc[0]!r} of crm has no 'crm' row in the "
            "links; expected one per CRM customer (the links of link_identities).",
            column="source_record_id",
        )
    table = pd.DataFrame(
        {"unified_customer_id": unified.reindex(ids).to_numpy(), "customer_id": ids.to_numpy()}
    )
    for column in CRM_ATTRIBUTES:
        if column in crm.columns:
            table[column] = crm[column].to_numpy()
    return table


def _linked_profiles(
    table: pd.DataFrame, links: pd.DataFrame, profiles: pd.DataFrame
) -> pd.DataFrame:
    """Each linked profile of each customer: customer_id, platform, profile_id, handle,
    key (the handle case-folded), followers and the link's probability."""
    rows = links[links["source"].astype(str) != "crm"]
    rows = pd.DataFrame(
        {
            "unified_customer_id": rows["unified_customer_id"].astype(str).to_numpy(),
            "platform": rows["source"].astype(str).to_numpy(),
            "profile_id": rows["source_record_id"].astype(str).to_numpy(),
            "probability": pd.to_numeric(rows["match_probability"], errors="coerce").to_numpy(),
            "rule": rows["rule"].astype(object).to_numpy(),
        }
    )
    own = table[["unified_customer_id", "customer_id"]].merge(rows, on="unified_customer_id")
    rule_link = own["rule"].notna() & (own["rule"].astype(str) != "probabilistic")
    own["probability"] = own["probability"].mask(rule_link & own["probability"].isna(), 1.0)
    shown = pd.DataFrame(
        {
            "platform": profiles["platform"].astype(str).to_numpy(),
            "profile_id": profiles["profile_id"].astype(str).to_numpy(),
            "handle": profiles["handle"].to_numpy(),
            "followers": (
                pd.to_numeric(profiles["followers"], errors="coerce").to_numpy(dtype=float)
                if "followers" in profiles.columns
                else np.nan
            ),
        }
    )
    own = own.merge(shown, on=["platform", "profile_id"], how="left", indicator=True)
    absent = own[own["_merge"] == "left_only"]
    if len(absent):
        first = absent.iloc[0]
        raise SchemaError(
            f"{current_function()}: the links link profile {first['profile_id']!r} on "
            f"{first['platform']!r} to customer {first['customer_id']!r}, but profiles has no "
            "such profile; expected the profiles the links were made from.",
            column="source_record_id",
        )
    own["key"] = handle_keys(own["handle"])
    return own.drop(columns="_merge").sort_values(["customer_id", "platform", "profile_id"])


# ----------------------------------------------------------------------- the social parts


def _identity(table: pd.DataFrame, own: pd.DataFrame, profiles: pd.DataFrame) -> pd.DataFrame:
    """``handle_<platform>``, ``n_profiles``, ``followers``, ``link_probability_min``."""
    firsts = own.drop_duplicates(["customer_id", "platform"])
    handles = firsts.pivot(index="customer_id", columns="platform", values="handle")
    platforms = pd.unique(profiles["platform"].astype(str))
    for platform in platforms:
        found = handles[platform] if platform in handles.columns else pd.Series(dtype=object)
        table[f"handle_{platform}"] = table["customer_id"].map(found)
    per = own.groupby("customer_id")
    table["n_profiles"] = _counts(table, per.size())
    if "followers" in profiles.columns:
        table["followers"] = _counts(table, per["followers"].sum())
    else:
        table["followers"] = np.nan
    table["link_probability_min"] = table["customer_id"].map(per["probability"].min()).astype(float)
    return table


def _counts(table: pd.DataFrame, counts: pd.Series) -> pd.Series:
    """Counts per customer_id aligned to the table, 0 where none."""
    return table["customer_id"].map(counts).fillna(0).astype("int64")


def _social(
    table: pd.DataFrame, own: pd.DataFrame, messages: pd.DataFrame, brand: str | None
) -> pd.DataFrame:
    """Mentions, sentiment counts, net sentiment, replies received, median response time."""
    if brand is not None:
        messages = messages[messages["brand"].astype(str) == brand]
    is_brand = messages["author_is_brand"].fillna(False).astype(bool).to_numpy()
    theirs = pd.DataFrame(
        {
            "message_id": messages["message_id"].astype(str).to_numpy(),
            "platform": messages["channel"].astype(str).to_numpy(),
            "key": handle_keys(messages["author"]).to_numpy(),
            "time": messages["time"].to_numpy(),
            "sentiment": messages["sentiment"].astype(object).to_numpy(),
        }
    )[~is_brand]
    keys = own[["customer_id", "platform", "key"]].drop_duplicates(["platform", "key"])
    theirs = theirs.merge(keys, on=["platform", "key"])
    table["mentions"] = _counts(table, theirs.groupby("customer_id").size())
    for label in SENTIMENT_COLUMNS:
        matched = theirs[theirs["sentiment"] == label]
        table[label] = _counts(table, matched.groupby("customer_id").size())
    decided = table["positive"] + table["negative"]
    table["net_sentiment"] = ((table["positive"] - table["negative"]) / decided).where(decided > 0)
    replies = pd.DataFrame(
        {
            "message_id": messages["reply_to"].astype(object).to_numpy(),
            "reply_time": messages["time"].to_numpy(),
        }
    )[is_brand].dropna(subset=["message_id"])
    replies["message_id"] = replies["message_id"].astype(str)
    answered = theirs.merge(replies, on="message_id")
    table["replies_received"] = _counts(table, answered.groupby("customer_id").size())
    first = answered.groupby(["customer_id", "message_id"]).agg(
        time=("time", "first"), reply_time=("reply_time", "min")
    )
    first["minutes"] = (first["reply_time"] - first["time"]) / pd.Timedelta(minutes=1)
    medians = first.groupby(level="customer_id")["minutes"].median()
    table["median_response_minutes"] = table["customer_id"].map(medians).astype(float)
    return table


def _influence(
    table: pd.DataFrame, own: pd.DataFrame, edges: pd.DataFrame | None, end: pd.Timestamp
) -> pd.Series:
    """PageRank summed over each customer's handles; NaN without edges."""
    if edges is None:
        return pd.Series(np.nan, index=table.index)
    if "time" in edges.columns:
        when = pd.to_datetime(edges["time"], errors="coerce", utc=True)
        edges = edges[(when.isna() | (when <= end)).to_numpy()]
    edges = edges.assign(
        source=edges["source"].astype(str).to_numpy(), target=edges["target"].astype(str).to_numpy()
    )
    if not len(edges):
        return pd.Series(0.0, index=table.index)
    graph = build_graph(edges, directed=True, weighted=True)
    # influence_scores' PageRank, without its degrees and k-cores (seconds on 100,000 nodes)
    pagerank = nx.pagerank(graph, weight="weight")
    scores = pd.Series(list(pagerank.values()), index=handle_keys(pd.Series(list(pagerank))))
    scores = scores.groupby(level=0).sum()
    handles = own[["customer_id", "key"]].drop_duplicates()
    handles = handles.assign(pagerank=handles["key"].map(scores).fillna(0.0).to_numpy())
    total = handles.groupby("customer_id")["pagerank"].sum()
    return table["customer_id"].map(total).fillna(0.0).astype(float)


def _interactions(table: pd.DataFrame, acts: pd.DataFrame, channels: pd.Series) -> pd.DataFrame:
    """``interactions`` and ``interactions_<channel>`` for every channel of the whole table."""
    customers = acts["customer_id"].astype(str)
    table["interactions"] = _counts(table, customers.groupby(customers.to_numpy()).size())
    pairs = pd.DataFrame(
        {"customer_id": customers.to_numpy(), "channel": acts["channel"].astype(str).to_numpy()}
    )
    by_channel = pairs.groupby(["customer_id", "channel"]).size().unstack(fill_value=0)
    for channel in sorted(pd.unique(channels.dropna().astype(str))):
        found = by_channel[channel] if channel in by_channel.columns else pd.Series(dtype=int)
        table[f"interactions_{channel}"] = _counts(table, found)
    return table


# --------------------------------------------------------------------------------- helpers


@checks(
    crm=_frame("customers"),
    truth_links=Instance(pd.DataFrame, "a pandas DataFrame (a simulation's truth['links'])"),
)
def link_table_from_truth(crm: pd.DataFrame, truth_links: pd.DataFrame) -> pd.DataFrame:
    """A link table made from a simulation's true links (``truth["links"]``), for examples
    and notebooks that should not depend on linkage accuracy.

    One ``"crm"`` row per customer (``unified_customer_id`` = ``"U-<customer_id>"``) and one
    row per profile (linked to its true customer with probability 1.0 and rule
    ``"truth"``; a profile of no customer gets ``"U-<platform>-<profile_id>"``), as
    :func:`scrm_lab.identity.link_identities` shapes them.

    Examples
    --------
    >>> crm = pd.DataFrame({"customer_id": ["C1"]})
    >>> truth = pd.DataFrame({"platform": ["x", "x"], "profile_id": ["P1", "P2"],
    ...                       "customer_id": ["C1", None]})
    >>> links = link_table_from_truth(crm, truth)
    >>> links[["source", "source_record_id", "unified_customer_id", "rule"]]
      source source_record_id unified_customer_id   rule
    0    crm               C1                U-C1   none
    1      x               P1                U-C1  truth
    2      x               P2              U-x-P2   none
    """
    require_columns(crm, ["customer_id"])
    require_columns(truth_links, ["platform", "profile_id", "customer_id"])
    ids = crm["customer_id"].astype(str)
    rows = pd.DataFrame(
        {
            "source": "crm",
            "source_record_id": ids.to_numpy(),
            "unified_customer_id": ("U-" + ids).to_numpy(),
            "match_probability": np.nan,
            "rule": "none",
        }
    )
    platform = truth_links["platform"].astype(str)
    profile = truth_links["profile_id"].astype(str)
    owner = truth_links["customer_id"]
    linked = owner.notna().to_numpy()
    unified = np.where(linked, "U-" + owner.astype(str), "U-" + platform + "-" + profile)
    profiles = pd.DataFrame(
        {
            "source": platform.to_numpy(),
            "source_record_id": profile.to_numpy(),
            "unified_customer_id": unified,
            "match_probability": np.where(linked, 1.0, np.nan),
            "rule": np.where(linked, "truth", "none"),
        }
    )
    return pd.concat([rows, profiles], ignore_index=True)
