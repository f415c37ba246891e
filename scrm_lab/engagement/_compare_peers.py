"""Peer benchmarking of engagement rates: one brand's rate among its peers', one denominator.

Private to :mod:`scrm_lab.engagement`, which re-exports :func:`peer_benchmark`.

Examples
--------
>>> import pandas as pd
>>> data = pd.DataFrame({"brand": ["A", "B", "C", "D"], "engagements": [10, 30, 20, 40],
...                      "followers": [1000, 1000, 1000, 1000]})
>>> peer_benchmark(data, brand="C")[["brand", "rate", "percentile_rank", "n_peers"]]
  brand  rate  percentile_rank  n_peers
0     C  0.02        33.333333        3
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scrm_lab._checks import COLUMN, Choice, ColumnNames, Text, as_names, checks
from scrm_lab._checks import show_value as _show_value
from scrm_lab._checks import suggest as _suggest
from scrm_lab.engagement._rates import DENOMINATORS
from scrm_lab.exceptions import SchemaError

__all__ = ["peer_benchmark"]

_DEFINITION = (
    "rate = sum of {value} / sum of {denominator} per brand (rows of a brand pooled); "
    "percentile_rank = percent of peers with a lower rate plus half of those with the same; "
    "peer quartiles and median = numpy linear percentiles of the peers' rates; "
    "competitor_average = unweighted mean of the peers' rates (brand left out); "
    "landscape_average = unweighted mean of the rates of the peers and the brand"
)


def _numbers(frame: pd.DataFrame, column: str, brand_column: str, what: str) -> np.ndarray:
    series = frame[column]
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        raise SchemaError(
            f"peer_benchmark: column {column!r} ({what}) has dtype {series.dtype}; "
            "expected numbers",
            column=column,
        )
    values = series.astype("float64").to_numpy()
    bad = np.isnan(values) | (values < 0) | ~np.isfinite(values)
    if what == "the denominator":
        bad |= values == 0
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        shown = "missing" if np.isnan(values[row]) else _show_value(values[row])
        expected = "a number > 0" if what == "the denominator" else "a number >= 0"
        raise SchemaError(
            f"peer_benchmark: row {row + 1} (brand {_show_value(frame[brand_column].iloc[row])}), "
            f"column {column!r} ({what}) is {shown}; expected {expected}",
            column=column,
            row=row + 1,
        )
    return values


@checks(
    brand=Text("a brand name (a non-empty str)"),
    denominator=Choice(DENOMINATORS),
    value=ColumnNames(),
    brand_column=COLUMN,
)
def peer_benchmark(
    data: pd.DataFrame,
    *,
    brand: str,
    denominator: str = "followers",
    value: str | Sequence[str] = "engagements",
    brand_column: str = "brand",
) -> pd.DataFrame:
    """One brand's engagement rate placed among its peers', under one declared denominator.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per brand, or per post (or period) of each brand: the rows of a brand are
        pooled first (sum of engagements / sum of the denominator: for reach and impressions
        the pooled rate; for followers repeated on each post, the mean engagements per post
        over the mean followers). Every row needs the ``denominator`` column, > 0. A text
        column named ``denominator``, if present, must name the declared one on every row
        (rates over different denominators are never mixed).
    brand : str
        The brand benchmarked; every other brand is a peer.
    denominator : {"followers", "reach", "impressions"}, default "followers"
        The column engagements are divided by, the same for every brand.
    value : str or sequence of str, default "engagements"
        Engagement count column(s), summed (e.g. ``["reactions", "comments", "shares"]``).
    brand_column : str, default "brand"
        Column naming the brand of each row.

    Returns
    -------
    pandas.DataFrame
        One row: ``brand``, ``denominator``, ``rate``, ``percentile_rank`` (0-100),
        ``peer_q1``, ``peer_median``, ``peer_q3``, ``competitor_average``,
        ``landscape_average``, ``n_peers`` and ``definition`` (the formulas, in words).

    Raises
    ------
    SchemaError
        A column is missing or not numeric; an engagement count is missing or negative; a
        denominator is missing, zero or negative (the row and brand are named); the
        ``denominator`` column names another denominator on some row; the brand is not in
        the data; there is no peer.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"brand": ["A", "B", "C"], "engagements": [5, 30, 20],
    ...                      "reach": [100, 1000, 400]})
    >>> peer_benchmark(data, brand="C", denominator="reach")[
    ...     ["rate", "competitor_average", "landscape_average"]]
       rate  competitor_average  landscape_average
    0  0.05               0.04          0.043333
    """
    from scrm_lab._checks import require_columns

    counts = list(as_names(value))
    require_columns(data, [brand_column, *counts, denominator])
    frame = data.reset_index(drop=True)
    if "denominator" in frame.columns and denominator != "denominator":
        declared = frame["denominator"].astype("string")
        other = (declared != denominator).fillna(True).to_numpy()
        if other.any():
            row = int(np.flatnonzero(other)[0])
            raise SchemaError(
                f"peer_benchmark: row {row + 1} (brand "
                f"{_show_value(frame[brand_column].iloc[row])}) declares denominator "
                f"{_show_value(frame['denominator'].iloc[row])}, but the rates are over "
                f"{denominator!r}; expected one denominator for every brand (never mixed)",
                column="denominator",
                row=row + 1,
            )
    names = frame[brand_column]
    if names.isna().any():
        row = int(np.flatnonzero(names.isna().to_numpy())[0])
        raise SchemaError(
            f"peer_benchmark: row {row + 1}, column {brand_column!r} is missing; expected a "
            "brand name",
            column=brand_column,
            row=row + 1,
        )
    engaged = sum(_numbers(frame, c, brand_column, "an engagement count") for c in counts)
    base = _numbers(frame, denominator, brand_column, "the denominator")
    pooled = (
        pd.DataFrame({"brand": names.astype("str"), "num": engaged, "den": base})
        .groupby("brand", sort=True)[["num", "den"]]
        .sum()
    )
    rates = pooled["num"] / pooled["den"]
    if brand not in rates.index:
        known = rates.index.tolist()
        raise SchemaError(
            f"peer_benchmark: brand {brand!r} is not in column {brand_column!r}; its brands "
            f"are {known[:10]}{'...' if len(known) > 10 else ''}.{_suggest(brand, known)}",
            column=brand_column,
        )
    own = float(rates[brand])
    peers = rates.drop(index=brand).to_numpy()
    if len(peers) == 0:
        raise SchemaError(
            f"peer_benchmark: the data holds only brand {brand!r}; expected at least one peer",
            column=brand_column,
        )
    q1, median, q3 = np.percentile(peers, [25, 50, 75])
    return pd.DataFrame(
        {
            "brand": [brand],
            "denominator": [denominator],
            "rate": [own],
            "percentile_rank": [
                100.0 * ((peers < own).sum() + 0.5 * (peers == own).sum()) / len(peers)
            ],
            "peer_q1": [float(q1)],
            "peer_median": [float(median)],
            "peer_q3": [float(q3)],
            "competitor_average": [float(peers.mean())],
            "landscape_average": [float(np.append(peers, own).mean())],
            "n_peers": pd.array([len(peers)], dtype="int64"),
            "definition": [_DEFINITION.format(value=" + ".join(counts), denominator=denominator)],
        }
    ).astype({"brand": "str", "denominator": "str", "definition": "str"})
