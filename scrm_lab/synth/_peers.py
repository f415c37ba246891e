"""A labelled SIMULATED peer set of brands' engagement counts, for peer benchmarking.

Private to :mod:`scrm_lab.synth`, which re-exports :func:`simulate_peer_rates`.

Examples
--------
>>> peers = simulate_peer_rates(n_brands=3, seed=1)
>>> peers.columns.tolist()
['brand', 'followers', 'reach', 'impressions', 'engagements', 'simulated']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scrm_lab._checks import SEED, Integer, OrNone, Text, checks, refuse

__all__ = ["simulate_peer_rates"]

#: What the ``note`` attribute of a simulated peer set says.
SIMULATED_NOTE = (
    "SIMULATED: made-up brands and counts (scrm_lab.synth.simulate_peer_rates), an example "
    "of a peer set, not data about any real brand"
)


@checks(n_brands=Integer(low=2), brand=OrNone(Text()), seed=SEED)
def simulate_peer_rates(
    n_brands: int = 30, *, brand: str | None = None, seed: int = 0
) -> pd.DataFrame:
    """Simulate a peer set: one row per brand with followers, reach, impressions, engagements.

    The model: followers ~ 10 ** Uniform(3.5, 6.5); reach = followers x Beta(2, 8) (the
    share of followers reached in the period); impressions = reach x Uniform(1.2, 3);
    engagements ~ Poisson(followers x r) with the engagement rate per follower r ~
    LogNormal(log 0.005, 0.6). Brands are named "Simulated peer 01", ...

    Parameters
    ----------
    n_brands : int, default 30
        Rows (brands), at least 2.
    brand : str, optional
        Name given to the first row, to stand for the brand benchmarked (e.g. the brand of a
        description); the name must not look like the peers' names.
    seed : int, default 0
        Seed of :func:`numpy.random.default_rng`.

    Returns
    -------
    pandas.DataFrame
        Columns ``brand`` (str), ``followers``, ``reach``, ``impressions``, ``engagements``
        (int64) and ``simulated`` (True on every row); ``.attrs["simulated"]`` is True and
        ``.attrs["note"]`` says SIMULATED.

    Raises
    ------
    ParameterError
        A parameter is out of range, or ``brand`` is one of the simulated peers' names.

    Examples
    --------
    >>> peers = simulate_peer_rates(n_brands=4, brand="My Brand", seed=0)
    >>> peers["brand"].tolist()
    ['My Brand', 'Simulated peer 01', 'Simulated peer 02', 'Simulated peer 03']
    >>> bool(peers["simulated"].all()), peers.attrs["note"][:10]
    (True, 'SIMULATED:')
    """
    width = len(str(n_brands))
    names = [f"Simulated peer {i:0{max(2, width)}d}" for i in range(1, n_brands + 1)]
    if brand is not None:
        if brand in names:
            raise refuse("brand", "a name other than the simulated peers' names", brand)
        names = [brand, *names[: n_brands - 1]]
    rng = np.random.default_rng(seed)
    followers = np.round(10 ** rng.uniform(3.5, 6.5, n_brands)).astype("int64")
    reach = np.maximum(1, np.round(followers * rng.beta(2, 8, n_brands))).astype("int64")
    impressions = np.round(reach * rng.uniform(1.2, 3.0, n_brands)).astype("int64")
    rate = rng.lognormal(np.log(0.005), 0.6, n_brands)
    engagements = rng.poisson(followers * rate).astype("int64")
    table = pd.DataFrame(
        {
            "brand": pd.Series(names, dtype="str"),
            "followers": followers,
            "reach": reach,
            "impressions": impressions,
            "engagements": engagements,
            "simulated": np.ones(n_brands, dtype=bool),
        }
    )
    table.attrs["simulated"] = True
    table.attrs["note"] = SIMULATED_NOTE
    return table
