"""scrm_lab: a Jupyter-based research and benchmarking workbench for social CRM.

The package supplies loaders for shipped real data sets and users' files (validated
canonical tables), simulators with known ground truth, and the report pipeline that runs
parameterized notebooks. Plot functions live in :mod:`scrm_lab.plots` (imported on demand,
so ``import scrm_lab`` stays light).

Examples
--------
>>> import scrm_lab
"""

__version__ = "0.1.0"

