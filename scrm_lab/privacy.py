"""Pseudonyms for personal values: salted hashes of handles, names and ``@mentions`` in text.

Reports show people only through these pseudonyms unless asked not to. The same value and
salt always give the same pseudonym, so counts per person still work; without the salt a
pseudonym cannot be checked against a list of known handles.

Examples
--------
>>> import pandas as pd
>>> pseudonymize(pd.Series(["cairdin", "cairdin"]), salt="demo").tolist()
['user_25bbe118', 'user_25bbe118']
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd

from scrm_lab._checks import Integer, Text, checks

__all__ = ["MENTION", "pseudonymize", "pseudonymize_mentions"]

#: A Twitter-style handle: ``@`` then 1-15 letters, digits or underscores, not inside a word
#: or an e-mail address (``.@handle``, Twitter's public-reply idiom, is a handle too).
MENTION = re.compile(r"(?<![\w@])@(\w{1,15})\b")


def _pseudonym(value: str, salt: str, length: int, prefix: str) -> str:
    digest = hashlib.sha256(f"{salt}\x00{value}".encode()).hexdigest()
    return f"{prefix}{digest[:length]}"


@checks(salt=Text(), length=Integer(low=4, high=64), prefix=Text("a string", empty_ok=True))
def pseudonymize(
    series: pd.Series, *, salt: str, length: int = 8, prefix: str = "user_"
) -> pd.Series:
    """Replace each value by a short salted hash: same value and salt, same pseudonym.

    The pseudonym is ``prefix`` followed by the first ``length`` hex digits of the SHA-256
    of ``salt`` and the value. Equal values get equal pseudonyms, so counts per person
    still work; without the salt a pseudonym cannot be checked against a list of known
    handles. Values are compared exactly (use ``series.str.casefold()`` first for
    case-insensitive handles).

    Parameters
    ----------
    series : pandas.Series
        The personal values (handles, names, e-mail addresses).
    salt : str
        A non-empty secret or per-report string; change it to make pseudonyms unlinkable
        across reports.
    length : int, default 8
        Hex digits kept (4 to 64).
    prefix : str, default "user_"
        Put in front of every pseudonym, so a pseudonym never looks like a real value.

    Returns
    -------
    pandas.Series
        Same index and name; missing values stay missing.

    Raises
    ------
    ParameterError
        If ``salt`` is empty or ``length`` is out of range.

    Examples
    --------
    >>> handles = pd.Series(["cairdin", "jnardino", "cairdin", None], name="author")
    >>> pseudonymize(handles, salt="demo").tolist()
    ['user_25bbe118', 'user_adc3aab5', 'user_25bbe118', nan]
    """
    out = series.astype(object).map(
        lambda v: None if pd.isna(v) else _pseudonym(str(v), salt, length, prefix)
    )
    return out.rename(series.name)


@checks(salt=Text(), length=Integer(low=4, high=64), prefix=Text("a string", empty_ok=True))
def pseudonymize_mentions(
    series: pd.Series, *, salt: str, length: int = 8, prefix: str = "user_"
) -> pd.Series:
    """Replace every ``@handle`` inside texts by ``@`` and the handle's pseudonym.

    Handles are compared case-insensitively (as Twitter does), so ``@Cairdin`` in a text
    gets the same pseudonym as ``pseudonymize(authors.str.casefold(), salt=...)`` gives the
    author ``cairdin``. Brand handles (``@united``) are replaced too: telling people from
    brands is not possible from the text alone.

    Parameters
    ----------
    series : pandas.Series
        Texts.
    salt, length, prefix
        As in :func:`pseudonymize`.

    Returns
    -------
    pandas.Series
        Same index and name; missing values stay missing.

    Examples
    --------
    >>> texts = pd.Series(["@VirginAmerica What @dhepburn said.", None])
    >>> pseudonymize_mentions(texts, salt="demo").tolist()
    ['@user_654f699f What @user_df6a8e66 said.', nan]
    >>> pseudonymize_mentions(pd.Series([".@dhepburn mail me@example.com"]), salt="demo")[0]
    '.@user_df6a8e66 mail me@example.com'

    """

    def replace(text: object) -> object:
        if pd.isna(text):
            return None
        return MENTION.sub(
            lambda m: "@" + _pseudonym(m.group(1).casefold(), salt, length, prefix), str(text)
        )

    return series.astype(object).map(replace).rename(series.name)
