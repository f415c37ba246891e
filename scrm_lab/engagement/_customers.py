"""Customer engagement: one score per customer of an ``interactions`` table.

The score weighs each kind of action (:data:`DEFAULT_ACTION_WEIGHTS`) and halves the weight of
an interaction every ``half_life_days``; sums are exact on pandas and DuckDB (see ``_tables``).

Examples
--------
>>> from scrm_lab.synth import simulate_customers
>>> scores = customer_engagement(simulate_customers(n_customers=50, seed=1).interactions)
>>> scores.columns[:4].tolist()
['customer_id', 'interactions', 'actions_weighted', 'score']
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import types
from collections.abc import Mapping
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from scrm_lab._checks import (
    COLUMN,
    Instance,
    OrNone,
    Real,
    checks,
    refuse,
)
from scrm_lab._frames import as_lazy, to_pandas
from scrm_lab.engagement._tables import (
    _FIXED,
    _US_PER_DAY,
    _epoch_us,
    _fixed,
    _keys_as_strings,
    _require,
    _set_dtypes,
    _sum,
    _to_utc,
    _where,
)
from scrm_lab.exceptions import ParameterError, SchemaError

__all__ = ["DEFAULT_ACTION_WEIGHTS", "customer_engagement"]

#: Weight of one interaction of each kind in :func:`customer_engagement` (version 1).
#:
#: An assumption, not an estimate: the weights rank actions by the effort and public
#: commitment they take, in the spirit of engagement ladders (watch, endorse, converse,
#: spread, evaluate). Passive actions count 1 (``view``, ``click``); a one-tap endorsement
#: 2 (``like``); following or naming the brand 3 (``follow``, ``mention``); writing to
#: it 4 (``comment``, ``reply``); passing its content on to one's own audience 5
#: (``share``); a public evaluation 6 (``review``). They cover every action
#: :func:`scrm_lab.synth.simulate_customers` produces. ``purchase`` has no weight on
#: purpose: purchases are the outcome the engagement hypothesis is tested against, so
#: counting them as engagement would make that test circular. Pass ``weights=`` to use
#: your own (estimated, for instance) weights.
DEFAULT_ACTION_WEIGHTS: Mapping[str, float] = types.MappingProxyType(
    {
        "view": 1.0,
        "click": 1.0,
        "like": 2.0,
        "follow": 3.0,
        "mention": 3.0,
        "comment": 4.0,
        "reply": 4.0,
        "share": 5.0,
        "review": 6.0,
    }
)


# ------------------------------------------------------------------------ parameter checks


def _weights(value: object) -> dict[str, float]:
    if value is None:
        return dict(DEFAULT_ACTION_WEIGHTS)
    expected = "a non-empty mapping of action names to finite numbers >= 0"
    if not isinstance(value, Mapping) or not value:
        raise refuse("weights", expected, value)
    weights = {}
    for action, weight in value.items():
        is_real = isinstance(weight, numbers.Real) and not isinstance(weight, bool)
        if not isinstance(action, str) or not is_real or not math.isfinite(weight) or weight < 0:
            raise refuse("weights", expected, value, f" The entry {action!r}: {weight!r} is not.")
        weights[action] = float(weight)
    return weights


def _as_of(value: object) -> int | None:
    """``as_of`` as microseconds since 1970-01-01 UTC (naive values are UTC)."""
    if value is None:
        return None
    expected = "a date or time such as '2024-12-31' or '2024-12-31T18:00Z' or None"
    if isinstance(value, bool) or not isinstance(value, str | dt.date | np.datetime64):
        raise refuse("as_of", expected, value)
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as err:
        raise refuse("as_of", expected, value) from err
    if pd.isna(stamp):
        raise refuse("as_of", expected, value)
    stamp = stamp.tz_localize("UTC") if stamp.tz is None else stamp.tz_convert("UTC")
    return (stamp - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(1, "us")


# ------------------------------------------------------------------------ customer engagement


def _missing_error(column: str, n_missing: int) -> SchemaError:
    return SchemaError(
        f"{_where()}: column {column!r} of the interactions table is missing in {n_missing} "
        "row(s); expected a value in every row.",
        table="interactions",
        column=column,
    )


@checks(
    weights=OrNone(Instance(Mapping, "a non-empty mapping of action names to finite numbers >= 0")),
    half_life_days=Real(low=0, low_open=True),
    as_of=OrNone(
        Instance(
            (str, dt.date, np.datetime64),
            "a date or time such as '2024-12-31' or '2024-12-31T18:00Z'",
        )
    ),
    unknown_weight=OrNone(Real(low=0)),
    customer=COLUMN,
    action=COLUMN,
    time=COLUMN,
)
def customer_engagement(
    interactions: Any,
    *,
    weights: Mapping[str, float] | None = None,
    half_life_days: float = 30.0,
    as_of: str | dt.date | np.datetime64 | None = None,
    unknown_weight: float | None = None,
    customer: str = "customer_id",
    action: str = "action",
    time: str = "time",
) -> pd.DataFrame:
    """Engagement score of each customer: weighted interactions, recent ones counting more.

    .. math::

        \\text{score}_i = \\sum_{j \\in i} w_{a(j)} \\, 0.5^{\\,\\text{age}_j / h},
        \\qquad \\text{age}_j = \\text{as\\_of} - t_j \\text{ (days)}

    where :math:`w_a` is the weight of action :math:`a` (:data:`DEFAULT_ACTION_WEIGHTS`
    unless ``weights`` is given) and :math:`h` is ``half_life_days``: an interaction one
    half-life old counts half, two half-lives old a quarter. Interactions after ``as_of``
    are left out, so a score can be computed as it stood on any past day.

    Parameters
    ----------
    interactions : pandas.DataFrame or DuckDB relation or other narwhals-supported frame
        A canonical ``interactions`` table: one row per action a customer took, with the
        customer id, the kind of action (text) and the time (timestamps; naive ones are
        taken to be UTC). No value may be missing in these three columns.
    weights : mapping of str to float, optional
        Weight of each action, finite and >= 0. Replaces :data:`DEFAULT_ACTION_WEIGHTS`
        as a whole (it is not merged with it).
    half_life_days : float, default 30.0
        Days after which an interaction's weight has halved; > 0.
    as_of : date, time or None, default None
        The moment ages are measured from (a string such as ``"2024-12-31"``, a
        :class:`datetime.datetime`, a :class:`pandas.Timestamp`; naive values are taken
        to be UTC). ``None`` means the latest interaction time in the table.
    unknown_weight : float or None, default None
        Weight of actions that ``weights`` does not list. ``None`` (the default) refuses
        them: an action nobody weighed is an error, not a silent 0.
    customer, action, time : str, default "customer_id", "action", "time"
        Columns holding the customer id, the kind of action and when it happened.

    Returns
    -------
    pandas.DataFrame
        One row per customer with at least one interaction at or before ``as_of``, sorted
        by ``rank`` then the customer id, with the columns (in this order):

        - ``customer_id`` (named as the ``customer`` argument): as in ``interactions``
          (text and categories become ``str``).
        - ``interactions``: interactions counted (``int64``).
        - ``actions_weighted``: sum of their weights, without decay (``float64``).
        - ``score``: sum of their decayed weights (``float64``).
        - ``first_interaction``, ``last_interaction``: times of the first and last of them
          (``datetime64[ns, UTC]``, microsecond resolution).
        - ``days_since_last``: ``as_of - last_interaction`` in days (``float64``).
        - ``rank``: 1 for the highest score; equal scores share the best rank of their
          group (``int64``, "min" ranking).
        - ``as_of``: the moment ages were measured from (``datetime64[ns, UTC]``).

        Each term of ``actions_weighted`` and ``score`` is rounded down to a multiple of
        2**-32 (about 2.3e-10) before adding, so the sums are the same on every backend
        and in every row order (scores must stay below 2**31).

    Raises
    ------
    ParameterError
        If ``weights`` is not a mapping of names to finite numbers >= 0, has no weight for
        an action in the data (and ``unknown_weight`` is None: the message lists them),
        ``half_life_days`` is not > 0, ``unknown_weight`` is negative, or ``as_of`` is
        not a date or time.
    SchemaError
        If a needed column is missing, ``time`` is not a timestamp, ``action`` is not
        text, or a customer id, action or time is missing.

    Examples
    --------
    >>> from scrm_lab.synth import simulate_customers
    >>> interactions = simulate_customers(seed=0, n_customers=50).interactions
    >>> scores = customer_engagement(interactions, half_life_days=30)
    >>> scores[["customer_id", "interactions", "actions_weighted", "score", "rank"]].head(3)
      customer_id  interactions  actions_weighted      score  rank
    0     C000048            61             111.0  38.245526     1
    1     C000042            76             159.0  27.516357     2
    2     C000049           106             212.0  18.954648     3
    >>> scores["as_of"].iloc[0]  # the latest interaction in the table
    Timestamp('2024-12-30 09:19:54+0000', tz='UTC')

    Customer C000049 did the most, but less of it lately than C000048 and C000042. The same
    scores as they stood on 30 June, with a shorter memory:

    >>> mid_year = customer_engagement(interactions, half_life_days=7, as_of="2024-06-30")
    >>> mid_year[["customer_id", "interactions", "score", "days_since_last", "rank"]].head(2)
      customer_id  interactions      score  days_since_last  rank
    0     C000022            35  10.315618         0.478241     1
    1     C000050            33   7.696421         0.036863     2
    """
    weight_of = _weights(weights)
    half_life = float(half_life_days)
    as_of_us = _as_of(as_of)
    if unknown_weight is not None:
        unknown_weight = float(unknown_weight)
    lazy = as_lazy(interactions, "interactions")
    roles = [(customer, "the customer id"), (action, "the action"), (time, "the time")]
    _require(lazy, roles, "interactions")
    lazy, key_dtypes = _keys_as_strings(lazy, [customer, action])
    if key_dtypes[action] != "str":
        raise SchemaError(
            f"{_where()}: column {action!r} of the interactions table has dtype "
            f"{lazy.collect_schema()[action]}; expected text (the kind of action).",
            table="interactions",
            column=action,
        )
    lazy = lazy.with_columns(_us=_epoch_us(lazy, time, "interactions"))
    summary = to_pandas(
        lazy.select(
            nw.col("_us").max().alias("_latest"),
            *[_sum(nw.col(c).is_null().cast(nw.Int64)).alias(c) for c in (customer, action, time)],
        )
    )
    for column in (customer, action, time):
        n_missing = int(summary[column].fillna(0).iloc[0])
        if n_missing:
            raise _missing_error(column, n_missing)
    if as_of_us is None:
        latest = summary["_latest"].iloc[0]
        as_of_us = None if pd.isna(latest) else int(latest)
    if as_of_us is not None:
        lazy = lazy.filter(nw.col("_us") <= as_of_us)
        actions = to_pandas(lazy.select(nw.col(action)).unique())[action].tolist()
        unknown = sorted(set(map(str, actions)) - set(weight_of))
        if unknown and unknown_weight is None:
            raise ParameterError(
                f"The 'weights' parameter of {_where()} has no weight for the action(s) "
                f"{', '.join(map(repr, unknown))} found in column {action!r} of the "
                f"interactions table; weights are given for {sorted(weight_of)}. Add them "
                "to weights=, or pass unknown_weight= to weigh every unlisted action alike."
            )
    weight = nw.lit(unknown_weight if unknown_weight is not None else 0.0, dtype=nw.Float64)
    for name, value in weight_of.items():
        weight = nw.when(nw.col(action) == name).then(nw.lit(value)).otherwise(weight)
    age_days = (nw.lit(as_of_us or 0) - nw.col("_us")) / _US_PER_DAY
    lazy = lazy.with_columns(_weight=weight, _age=age_days).with_columns(
        _decayed=nw.col("_weight") * nw.lit(0.5) ** (nw.col("_age") / half_life)
    )
    lazy = lazy.with_columns(
        _weighted_units=_fixed(nw.col("_weight")), _score_units=_fixed(nw.col("_decayed"))
    )
    per_customer = lazy.group_by(customer).agg(
        nw.len().alias("interactions"),
        nw.col("_weighted_units").sum(),
        nw.col("_score_units").sum(),
        nw.col("_us").min().alias("_first"),
        nw.col("_us").max().alias("_last"),
    )
    integers = ("interactions", "_weighted_units", "_score_units", "_first", "_last")
    frame = to_pandas(per_customer.with_columns(nw.col(*integers).cast(nw.Int64)))
    out = _set_dtypes(frame[[customer]].copy(), {customer: key_dtypes[customer]})
    out["interactions"] = frame["interactions"].astype("int64")
    out["actions_weighted"] = frame["_weighted_units"].to_numpy(dtype="float64") / _FIXED
    out["score"] = frame["_score_units"].to_numpy(dtype="float64") / _FIXED
    out["first_interaction"] = _to_utc(frame["_first"])
    out["last_interaction"] = _to_utc(frame["_last"])
    since_last_us = (as_of_us or 0) - frame["_last"].to_numpy(dtype="int64")
    out["days_since_last"] = since_last_us / _US_PER_DAY
    out["rank"] = out["score"].rank(method="min", ascending=False).astype("int64")
    out["as_of"] = _to_utc(pd.Series([as_of_us] * len(out), index=out.index, dtype="Int64"))
    return out.sort_values(["rank", customer], kind="stable").reset_index(drop=True)
