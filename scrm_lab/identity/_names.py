"""Name keys for identity resolution: letters-only keys and the name-equivalence table.

Examples
--------
>>> name_key(" O'Brien-Smith ")
'obriensmith'
>>> table = name_equivalence()
>>> sorted(table.loc[table["spelling"] == "bob", "given_name"])
['robert']
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from scrm_lab.synth import NICKNAMES

__all__ = ["name_equivalence", "name_key"]

_NOT_LETTER = re.compile(r"[^a-z]")


def name_key(value: object) -> str | None:
    """Lower-case letters only (the form a name takes in a handle); None when empty.

    Examples
    --------
    >>> name_key("Anne-Marie"), name_key(None)
    ('annemarie', None)
    """
    if not isinstance(value, str):
        return None
    key = _NOT_LETTER.sub("", value.lower())
    return key or None


@lru_cache(maxsize=1)
def _equivalence() -> pd.DataFrame:
    rows = []
    for given, nicks in NICKNAMES.items():
        given_key = name_key(given)
        rows.append((given_key, given_key))
        rows.extend((name_key(nick), given_key) for nick in nicks)
    table = pd.DataFrame(rows, columns=["spelling", "given_name"]).drop_duplicates()
    return table.sort_values(["spelling", "given_name"], ignore_index=True)


def name_equivalence() -> pd.DataFrame:
    """The name-equivalence table: every spelling and each given name it may stand for.

    Built from :data:`scrm_lab.synth.NICKNAMES` (common US and UK given names and their
    nicknames), as letters-only keys; a given name stands for itself. Two first names are
    *equivalent* when they share a given name ("bob" and "robert", "bob" and "rob").

    Returns
    -------
    pandas.DataFrame
        Columns ``spelling``, ``given_name``, one row per pair, sorted.

    Examples
    --------
    >>> name_equivalence().columns.tolist()
    ['spelling', 'given_name']
    """
    return _equivalence().copy()


@lru_cache(maxsize=1)
def _groups() -> dict[str, tuple[str, ...]]:
    """spelling -> the given names it may stand for (sorted)."""
    table = _equivalence()
    return {k: tuple(v) for k, v in table.groupby("spelling", sort=True)["given_name"]}


def given_names(key: str | None) -> list[str]:
    """The given names a first-name key may stand for (itself when unknown)."""
    if not isinstance(key, str):
        return []
    return list(_groups().get(key, (key,)))


@lru_cache(maxsize=1)
def _spellings_of() -> dict[str, tuple[str, ...]]:
    """given name -> every spelling of it (itself and its nicknames)."""
    table = _equivalence()
    return {k: tuple(v) for k, v in table.groupby("given_name", sort=True)["spelling"]}


def spellings(key: str | None) -> list[str]:
    """Every spelling equivalent to a first-name key (itself included), sorted."""
    if not isinstance(key, str):
        return []
    out = {key}
    for given in given_names(key):
        out.update(_spellings_of().get(given, (given,)))
    return sorted(out)
