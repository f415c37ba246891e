"""Comparable columns for splink: CRM records and social profiles in one layout.

Both sides get the same columns (missing where a side has no such value), so splink can
compare ``l.<column>`` with ``r.<column>`` and block on equal keys.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from scrm_lab._frames import duckdb_connection
from scrm_lab.identity._names import given_names, name_key, spellings

#: Tokens of a display name that are not part of the first or last name.
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "mr", "mrs", "ms", "dr"}

COLUMNS = [
    "unique_id",
    "record_id",
    "platform",
    "first_key",
    "last_key",
    "first_initial",
    "first_group",
    "first_given",
    "city_key",
    "location_key",
    "handle_key",
    "handle_last",
    "handle_initial",
    "first_regex",
    "initial_regex",
    "crm_last",
    "birth_yy",
    "handle_digits",
]


def handle_keys(values: pd.Series) -> pd.Series:
    """Handles as compared and stored: spaces and a leading '@' dropped, lower case.

    The one definition of a handle's key: identity resolution, the interaction store, the
    customer view and history all match handles through it. Missing or empty -> None.

    Examples
    --------
    >>> handle_keys(pd.Series([" @Bob_Smith", "alice", None, " @ "])).tolist()
    ['bob_smith', 'alice', None, None]
    """
    text = values.astype("object").where(values.notna())
    key = text.str.strip().str.lstrip("@").str.strip().str.lower()
    return key.where(key.str.len() > 0).astype("object").where(lambda k: k.notna(), None)


def _split_display(name: object) -> tuple[str | None, str | None]:
    if not isinstance(name, str):
        return None, None
    tokens = [t for t in (name_key(t) for t in name.split()) if t and t not in _SUFFIXES]
    if not tokens:
        return None, None
    if len(tokens) == 1:
        return tokens[0], None
    return tokens[0], tokens[-1]


_DIGITS = re.compile(r"[a-z]([0-9]+)$")


def _trailing_digits(handle: str | None) -> str | None:
    """The number that ends a handle (after a letter), e.g. "84" in "bob_smith84"."""
    if handle is None:
        return None
    match = _DIGITS.search(handle)
    return match.group(1) if match else None


def _city(location: object) -> str | None:
    if not isinstance(location, str):
        return None
    return name_key(location.split(",")[0])


def _first_columns(frame: pd.DataFrame) -> None:
    first = frame["first_key"]
    frame["first_initial"] = [k[:1] if isinstance(k, str) else None for k in first]
    givens = [given_names(k) for k in first]
    frame["first_given"] = [g if g else None for g in givens]
    frame["first_group"] = [g[0] if g else None for g in givens]


def prepare_customers(customers: pd.DataFrame) -> pd.DataFrame:
    """CRM records -> the comparable layout (``unique_id`` = ``"crm:" + customer_id``)."""
    ids = customers["customer_id"].astype(str).to_numpy()
    out = pd.DataFrame({"unique_id": np.char.add("crm:", ids.astype(str)), "record_id": ids})
    out["platform"] = None
    out["first_key"] = [name_key(v) for v in customers["first_name"]]
    out["last_key"] = [name_key(v) for v in customers["last_name"]]
    _first_columns(out)
    out["city_key"] = [name_key(v) for v in customers["city"]]
    out["location_key"] = out["city_key"]
    out["handle_key"] = None
    # a CRM record "contains" its own surname: the handle blocking rules join on it
    out["handle_last"] = out["last_key"]
    out["handle_initial"] = out["first_initial"]
    spelled = [spellings(k) for k in out["first_key"]]
    out["first_regex"] = ["(" + "|".join(map(re.escape, s)) + ")" if s else None for s in spelled]
    out["initial_regex"] = [
        None
        if not s or not isinstance(last, str)
        else "^[0-9_.]*("
        + "|".join(sorted({x[0] for x in s}))
        + f")[._]?{last}|{last}[._]?("
        + "|".join(sorted({x[0] for x in s}))
        + ")([0-9]|$)"
        for s, last in zip(spelled, out["last_key"], strict=True)
    ]
    out["crm_last"] = out["last_key"]
    if "birth_year" in customers.columns:
        years = pd.to_numeric(customers["birth_year"], errors="coerce").to_numpy(dtype="float64")
        out["birth_yy"] = [None if np.isnan(y) else f"{int(y) % 100:02d}" for y in years]
    else:
        out["birth_yy"] = None
    out["handle_digits"] = None
    return out[COLUMNS]


def _surnames_in_handles(letters: list[str | None], surnames: pd.Series) -> pd.DataFrame:
    """The longest CRM surname inside each handle (the earliest on ties), found in DuckDB.

    Every substring of each handle's letters is joined with the surname keys (at least two
    letters long); returns one row per handle with ``surname`` and ``start`` (0-based), None
    where no surname is found.
    """
    handles = pd.DataFrame({"i": np.arange(len(letters)), "letters": letters}).dropna()
    keys = pd.DataFrame({"key": sorted({k for k in surnames.dropna() if len(k) >= 2})})
    out = pd.DataFrame({"i": np.arange(len(letters))})
    if handles.empty or keys.empty:
        return out.assign(surname=None, start=np.nan)
    con = duckdb_connection()
    try:
        con.register("handles", handles)
        con.register("keys", keys)
        found = con.execute(
            """
            WITH starts AS (
                SELECT i, letters, unnest(range(1, length(letters) + 1)) AS start
                FROM handles
            ), pieces AS (
                SELECT i, start, substr(letters, start, n) AS piece
                FROM (SELECT i, letters, start,
                             unnest(range(2, length(letters) - start + 2)) AS n
                      FROM starts)
            )
            SELECT i, arg_min(piece, start - 1000 * length(piece)) AS surname,
                   arg_min(start, start - 1000 * length(piece)) - 1 AS start
            FROM pieces JOIN keys ON piece = key
            GROUP BY i
            """
        ).df()
    finally:
        con.close()
    return out.merge(found, on="i", how="left")


def _shared_fields(profiles: pd.DataFrame, handles: list[str | None]) -> tuple[list, list]:
    """Display names and locations, a missing one read from the same handle elsewhere.

    A handle used on two or more platforms is taken as one person's when the display names
    shown there agree (as name keys); a profile missing its display name or location then
    gets the one the others show, if they show exactly one.
    """
    frame = pd.DataFrame(
        {
            "handle": handles,
            "display": profiles["display_name"].astype("object").to_numpy(),
            "location": profiles["location"].astype("object").to_numpy(),
        }
    )
    frame["display"] = frame["display"].where(frame["display"].notna(), None)
    frame["location"] = frame["location"].where(frame["location"].notna(), None)
    frame["name"] = [" ".join(filter(None, _split_display(v))) or None for v in frame["display"]]
    frame["city"] = [_city(v) for v in frame["location"]]
    shared = frame[frame["handle"].notna() & frame.duplicated("handle", keep=False)]
    if shared.empty:
        return frame["display"].tolist(), frame["location"].tolist()
    groups = shared.groupby("handle")
    names = groups["name"].nunique()
    cities = groups["city"].nunique()
    one_person = names.index[names <= 1]
    one_city = one_person.intersection(cities.index[cities == 1])
    for column, key, agree in (("display", "name", one_person), ("location", "city", one_city)):
        present = shared[shared["handle"].isin(agree) & shared[key].notna()]
        value = present.drop_duplicates("handle").set_index("handle")[column]
        missing = frame[column].isna() & frame["handle"].isin(value.index)
        frame.loc[missing, column] = frame.loc[missing, "handle"].map(value)
    return frame["display"].tolist(), frame["location"].tolist()


def prepare_profiles(profiles: pd.DataFrame, surnames: pd.Series) -> pd.DataFrame:
    """Profiles -> the comparable layout (``unique_id`` = ``platform + ":" + profile_id``).

    ``surnames`` (the CRM surname keys) are looked for inside each handle: the longest one
    found (the earliest on ties) is ``handle_last``, and the letter beside it
    ``handle_initial`` (the handle's first letter when the surname does not start it).
    """
    platform = profiles["platform"].astype(str).to_numpy()
    ids = profiles["profile_id"].astype(str).to_numpy()
    out = pd.DataFrame(
        {
            "unique_id": [f"{p}:{i}" for p, i in zip(platform, ids, strict=True)],
            "record_id": ids,
            "platform": platform,
        }
    )
    handles = handle_keys(profiles["handle"]).tolist()
    display, location = _shared_fields(profiles, handles)
    split = [_split_display(v) for v in display]
    out["first_key"] = [f for f, _ in split]
    out["last_key"] = [last for _, last in split]
    _first_columns(out)
    out["city_key"] = [_city(v) for v in location]
    out["location_key"] = [name_key(v) for v in location]
    out["handle_key"] = handles
    letters = [name_key(h) if h else None for h in handles]
    found = _surnames_in_handles(letters, surnames)
    found_last, found_initial = [], []
    for word, last, at in zip(letters, found["surname"], found["start"], strict=True):
        if not isinstance(last, str):
            found_last.append(None)
            found_initial.append(None)
            continue
        found_last.append(last)
        if at > 0:
            found_initial.append(word[0])
        else:
            rest = word[len(last) :]
            found_initial.append(rest[:1] or None)
    out["handle_last"] = found_last
    out["handle_initial"] = found_initial
    out["first_regex"] = None
    out["initial_regex"] = None
    out["crm_last"] = None
    out["birth_yy"] = None
    out["handle_digits"] = [_trailing_digits(h) for h in handles]
    return out[COLUMNS]
