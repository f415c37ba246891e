"""Parameter constraints of the network functions that the checking layer does not ship.

``TABLE`` (a pandas DataFrame), ``BRAND_HANDLES`` (``"infer"``, None or a mapping of handles
to brands) and ``PROBABILITY`` (a number in [0, 1], the name of an edge attribute, or None),
written like the constraints of :mod:`scrm_lab._checks` so ``@checks`` and the contract test
use them alike; :func:`graph_with` refuses a graph argument that is not a networkx Graph or
DiGraph, or is empty (the message names the running function and the graph's type).

Examples
--------
>>> PROBABILITY.accepts(0.2), PROBABILITY.accepts("p"), PROBABILITY.accepts(1.5)
(True, True, False)
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from scrm_lab._checks import Instance, refuse

__all__ = ["BRAND_HANDLES", "PROBABILITY", "TABLE", "graph_with"]


@dataclass(frozen=True)
class _BrandHandles:
    """``"infer"``, None, or a mapping of handles to brand names."""

    expected: str = "'infer', None or a mapping of handles to brands"

    def accepts(self, value: object) -> bool:
        return value is None or value == "infer" or isinstance(value, Mapping)

    def example(self) -> str:
        return "infer"

    def invalid(self) -> list[object]:
        return ["guess", 1]


@dataclass(frozen=True)
class _Probability:
    """A number in [0, 1], the name of an edge attribute holding one, or None."""

    expected: str = "a number in [0, 1], an edge attribute name or None"

    def accepts(self, value: object) -> bool:
        if value is None or (isinstance(value, str) and value):
            return True
        real = isinstance(value, numbers.Real) and not isinstance(value, bool)
        return real and math.isfinite(value) and 0 <= value <= 1

    def example(self) -> None:
        return None

    def invalid(self) -> list[object]:
        return [-0.1, 1.5, True, ""]


#: A pandas DataFrame (a table of edges, messages, nodes, scores).
TABLE = Instance(pd.DataFrame, "a pandas DataFrame")
#: Where a messages graph sends a mention of a brand's handle.
BRAND_HANDLES = _BrandHandles()
#: The independent cascade's edge probability.
PROBABILITY = _Probability()


def graph_with(graph: object) -> nx.Graph:
    """Refuse anything but a networkx Graph or DiGraph with at least one node.

    Inside a function decorated with ``@checks``; the message names that function and shows
    the type of a wrong object (not its whole repr).

    Examples
    --------
    >>> graph_with(nx.empty_graph(2)).number_of_nodes()
    2
    """
    if not isinstance(graph, nx.Graph) or graph.is_multigraph():
        raise refuse("graph", "a networkx Graph or DiGraph", graph, described=type(graph).__name__)
    if graph.number_of_nodes() == 0:
        raise refuse("graph", "a graph with at least one node", graph, described="an empty graph")
    return graph
