"""Labelled SIMULATED examples of exports no open data set provides.

Search-trend exports (``search_trends``) and follower demographics (``audience``) are
private to each brand, so the metrics that read them are shown on these simulated tables
until a user brings their own export. Every row says ``simulated``.

Examples
--------
>>> simulate_search_trends(periods=4, seed=0)["term"].unique().tolist()
['Simulated brand A', 'Simulated brand B', 'Simulated brand C']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scrm_lab._checks import NAMES, SEED, Integer, Real, checks

__all__ = ["simulate_audience", "simulate_search_trends"]

_TERMS = ("Simulated brand A", "Simulated brand B", "Simulated brand C")


@checks(terms=NAMES, periods=Integer(low=3), growth=Real(), seed=SEED)
def simulate_search_trends(
    terms: Sequence[str] = _TERMS, *, periods: int = 104, growth: float = 0.004, seed: int = 0
) -> pd.DataFrame:
    """Simulate weekly search interest, scaled as trend tools scale it (peak = 100).

    The model: each term's volume is ``level * exp(g * week) * (1 + 0.25 sin(2 pi week / 52))
    * exp(e)`` with ``e`` an AR(1) process (coefficient 0.6, sd 0.12), levels 10 ** Uniform(0,
    1) and ``g`` = ``growth`` for the first term, 0 for the second and ``-growth`` for the
    third, and so on in turn; then every value is divided by the export's peak and multiplied
    by 100.

    Parameters
    ----------
    terms : sequence of str
        The terms (distinct names).
    periods : int, default 104
        Weeks, from Monday 2024-01-01.
    growth : float, default 0.004
        Weekly log growth of the rising terms (the falling ones get minus that).
    seed : int, default 0
        Seed of :func:`numpy.random.default_rng`.

    Returns
    -------
    pandas.DataFrame
        A ``search_trends`` table: ``term``, ``period``, ``interest`` and ``simulated``
        (True); ``.attrs["simulated"]`` is True. ``.attrs["truth"]`` gives each term's
        weekly log growth.
    """
    rng = np.random.default_rng(seed)
    weeks = np.arange(periods)
    slopes = [(growth, 0.0, -growth)[i % 3] for i in range(len(terms))]
    volumes = []
    for slope in slopes:
        noise = np.empty(periods)
        noise[0] = rng.normal(0, 0.12)
        for week in range(1, periods):
            noise[week] = 0.6 * noise[week - 1] + rng.normal(0, 0.12)
        level = 10 ** rng.uniform(0, 1)
        season = 1 + 0.25 * np.sin(2 * np.pi * weeks / 52)
        volumes.append(level * np.exp(slope * weeks) * season * np.exp(noise))
    peak = max(v.max() for v in volumes)
    dates = pd.date_range("2024-01-01", periods=periods, freq="7D")
    table = pd.concat(
        [
            pd.DataFrame({"term": term, "period": dates, "interest": 100 * volume / peak})
            for term, volume in zip(terms, volumes, strict=True)
        ],
        ignore_index=True,
    ).assign(simulated=True)
    table.attrs.update(simulated=True, truth=dict(zip(terms, slopes, strict=True)))
    return table


_AGES = ("13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
#: Age mix per channel (shares), loosely shaped like public platform audience reports.
_AGE_MIX = {
    "facebook": (0.02, 0.16, 0.27, 0.20, 0.15, 0.11, 0.09),
    "instagram": (0.06, 0.30, 0.32, 0.16, 0.09, 0.05, 0.02),
    "tiktok": (0.15, 0.36, 0.28, 0.12, 0.06, 0.02, 0.01),
    "twitter": (0.03, 0.22, 0.33, 0.20, 0.12, 0.07, 0.03),
}
_FEMALE = {"facebook": 0.55, "instagram": 0.6, "tiktok": 0.57, "twitter": 0.4}


@checks(brand=NAMES, followers=Integer(low=100), seed=SEED)
def simulate_audience(
    brand: Sequence[str] = ("Simulated brand",), *, followers: int = 200_000, seed: int = 0
) -> pd.DataFrame:
    """Simulate follower demographics (age and gender) of brands on four channels.

    Each brand gets ``followers`` x Uniform(0.2, 1.5) followers per channel, split by a
    Dirichlet draw around the channel's age mix (concentration 200) and a Binomial female
    share around the channel's (``_AGE_MIX``, ``_FEMALE``; shapes, not published figures).

    Parameters
    ----------
    brand : sequence of str, default ("Simulated brand",)
        Brand names.
    followers : int, default 200000
        Typical followers per channel.
    seed : int, default 0
        Seed of :func:`numpy.random.default_rng`.

    Returns
    -------
    pandas.DataFrame
        An ``audience`` table: ``brand``, ``channel``, ``dimension`` (``age``, ``gender``),
        ``group``, ``followers`` and ``simulated`` (True); ``.attrs["simulated"]`` is True.

    Examples
    --------
    >>> simulate_audience(seed=0)["dimension"].unique().tolist()
    ['age', 'gender']
    """
    rng = np.random.default_rng(seed)
    rows = []
    for name in brand:
        for channel, mix in _AGE_MIX.items():
            total = int(followers * rng.uniform(0.2, 1.5))
            split = rng.multinomial(total, rng.dirichlet(200 * np.asarray(mix)))
            ages = zip(_AGES, split, strict=True)
            rows += [(name, channel, "age", group, int(n)) for group, n in ages]
            female = int(rng.binomial(total, _FEMALE[channel]))
            rows += [(name, channel, "gender", "female", female),
                     (name, channel, "gender", "male", total - female)]  # fmt: skip
    table = pd.DataFrame(rows, columns=["brand", "channel", "dimension", "group", "followers"])
    table = table.assign(simulated=True)
    table.attrs["simulated"] = True
    return table
