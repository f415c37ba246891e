"""The simulation settings of the benchmark: :class:`Scenario`, :data:`SCENARIOS`.

Six settings of :func:`scrm_lab.synth.simulate_brand_panel` (no effect, confounding, reverse
causality, three effect sizes), each with 30, 100, 300 and 1000 brands over 8 periods;
:func:`make_scenarios` gives them with other panel sizes, :func:`scenario_table` as a table.

Examples
--------
>>> [(s.name, s.n_brands) for s in SCENARIOS][:2]
[('null', 30), ('null', 100)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from scrm_lab._checks import (
    Instance,
    Integer,
    Many,
    checks,
)

__all__ = ["N_BRANDS", "N_PERIODS", "SCENARIOS", "Scenario", "make_scenarios", "scenario_table"]


@dataclass(frozen=True)
class Scenario:
    """One simulation setting of :func:`scrm_lab.synth.simulate_brand_panel`.

    Attributes
    ----------
    name : str
        Scenario name; several scenarios share a name and differ in ``n_brands``.
    effect : float
        True change in revenue log-growth per unit of the lagged engagement index.
    confounding : float
        Size and sector loadings of engagement (0: none).
    reverse : float
        Rise of the next index per sigma of growth (0: no reverse causality).
    n_brands, n_periods : int
        Panel size.
    description : str
        One line in plain words.
    """

    name: str
    effect: float
    confounding: float
    reverse: float
    n_brands: int
    n_periods: int
    description: str


#: Brands per scenario in the default set.
N_BRANDS = (30, 100, 300, 1000)
#: Reported periods per scenario in the default set (two years of quarters).
N_PERIODS = 8
_BASE = (
    ("null", 0.0, 0.0, 0.0,
     "no effect, no confounding: every method should reject 5% of the time"),
    ("confounded_null", 0.0, 1.0, 0.0,
     "no effect, but large and growing brands in growing sectors engage more"),
    ("reverse", 0.0, 0.0, 0.5,
     "no effect, but growth raises the next period's engagement (reverse causality)"),
    ("effect_small", 0.002, 1.0, 0.0,
     "engagement raises growth by 0.2 points per period per sd, with confounding"),
    ("effect_medium", 0.005, 1.0, 0.0,
     "engagement raises growth by 0.5 points per period per sd, with confounding"),
    ("effect_large", 0.01, 1.0, 0.0,
     "engagement raises growth by 1 point per period per sd, with confounding"),
)  # fmt: skip
# Growth noise has sd 0.05 per period, so the effects (0.002, 0.005, 0.01) take the
# fixed-effects panel from little power at 30 brands to near-certain detection at 1000.


@checks(
    n_brands=Many(Integer(low=8), "a non-empty list of integers >= 8"), n_periods=Integer(low=3)
)
def make_scenarios(
    *, n_brands: Sequence[int] = N_BRANDS, n_periods: int = N_PERIODS
) -> tuple[Scenario, ...]:
    """The six default settings with other panel sizes.

    Parameters
    ----------
    n_brands : sequence of int
        Brands (each >= 8, so that every quartile group has two brands).
    n_periods : int
        Reported periods (>= 3, so that the lead-lag regression has two periods).

    Returns
    -------
    tuple of Scenario
        Setting by setting, each with every ``n_brands``.

    Examples
    --------
    >>> [(s.name, s.n_brands) for s in make_scenarios(n_brands=[50])][:2]
    [('null', 50), ('confounded_null', 50)]
    """
    sizes, periods = [int(n) for n in n_brands], int(n_periods)
    return tuple(
        Scenario(name, effect, confounding, reverse, n, periods, text)
        for name, effect, confounding, reverse, text in _BASE
        for n in dict.fromkeys(sizes)
    )


#: The default scenarios: the six settings with 30, 100, 300 and 1000 brands over 8 periods.
SCENARIOS: tuple[Scenario, ...] = make_scenarios()


@checks(scenarios=Many(Instance(Scenario, "a Scenario"), "a non-empty list of Scenario objects"))
def scenario_table(scenarios: Sequence[Scenario] = SCENARIOS) -> pd.DataFrame:
    """The scenarios as a table, one row each.

    Parameters
    ----------
    scenarios : sequence of Scenario
        Default :data:`SCENARIOS`.

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``effect``, ``confounding``, ``reverse``, ``n_brands``,
        ``n_periods``, ``description``.

    Examples
    --------
    >>> scenario_table()["name"].unique().tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['null', 'confounded_null', 'reverse', 'effect_small', 'effect_medium', 'effect_large']
    """
    return pd.DataFrame([vars(s) for s in scenarios], columns=list(Scenario.__annotations__))
