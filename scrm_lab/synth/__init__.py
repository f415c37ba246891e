r"""Simulators with known ground truth: a brand panel, customers, a social graph, and more.

Every simulator draws from one :func:`numpy.random.default_rng` seeded by ``seed`` (the
graph simulator hands integer seeds drawn from it, or ``seed`` itself, to networkx), touches
no global state, and returns canonical tables (see :mod:`scrm_lab.schema`) together with the
true values that produced them. Same seed and library versions: same data, on any machine.

The brand panel's model is written out in the Notes of :func:`simulate_brand_panel`, the
customer and graph models in :func:`simulate_customers` and :func:`simulate_social_graph`,
and the customer population with messy social profiles and their true owners (for identity
resolution) in :func:`simulate_customer_population`. :func:`simulate_peer_rates` gives a labelled
SIMULATED peer set of brands' engagement counts for :func:`scrm_lab.engagement.peer_benchmark`;
:func:`simulate_search_trends` and :func:`simulate_audience` give labelled SIMULATED examples
of the two exports no open data set provides (search interest, follower demographics).

Examples
--------
>>> panel = simulate_brand_panel(n_brands=3, n_periods=2, seed=1)
>>> panel.truth["effect"]
0.0
"""

from scrm_lab.synth._customers import CustomerData, simulate_customers
from scrm_lab.synth._engagementdb_2009 import (
    OUTCOME_MEANS,
    Reconstruction,
    reconstruct_engagementdb_2009,
)
from scrm_lab.synth._graph import SocialGraph, simulate_social_graph
from scrm_lab.synth._names import NICKNAMES
from scrm_lab.synth._panel import (
    DEFAULT_SECTORS,
    ENGAGEMENTDB_CHANNELS,
    BrandPanel,
    simulate_brand_panel,
)
from scrm_lab.synth._peers import simulate_peer_rates
from scrm_lab.synth._population import CustomerPopulation, simulate_customer_population
from scrm_lab.synth._threads import SimulatedThreads, simulate_service_threads
from scrm_lab.synth._web_inputs import simulate_audience, simulate_search_trends

__all__ = [
    "BrandPanel",
    "CustomerData",
    "CustomerPopulation",
    "DEFAULT_SECTORS",
    "ENGAGEMENTDB_CHANNELS",
    "NICKNAMES",
    "OUTCOME_MEANS",
    "Reconstruction",
    "SimulatedThreads",
    "SocialGraph",
    "reconstruct_engagementdb_2009",
    "simulate_audience",
    "simulate_brand_panel",
    "simulate_customer_population",
    "simulate_customers",
    "simulate_peer_rates",
    "simulate_search_trends",
    "simulate_service_threads",
    "simulate_social_graph",
]
