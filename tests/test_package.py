"""The package as a whole: public names, and no side effects on import."""

from __future__ import annotations

import json
import subprocess
import sys

import scrm_lab


def test_public_names_are_exported():
    for name in scrm_lab.__all__:
        assert hasattr(scrm_lab, name), name
    assert issubclass(scrm_lab.SchemaError, scrm_lab.ScrmLabError)


def test_import_changes_no_global_state():
    script = """
import json, logging, random, warnings
import numpy as np, pandas as pd, matplotlib
# third-party libraries add warning filters of their own when imported: import them first
import matplotlib.pyplot, networkx, pandera.pandas, papermill, scipy.special, scipy.stats
import seaborn, statsmodels.api, typer
def snapshot():
    return {
        "pandas": {k: str(pd.get_option(k)) for k in
                   ("display.max_rows", "display.max_columns", "display.width")},
        "warnings": [str(f) for f in warnings.filters],
        "logging": [str(h) for h in logging.getLogger().handlers] + [logging.getLogger().level],
        "random": random.getstate()[1][:5],
        "numpy": np.random.get_state()[1][:5].tolist(),
        "backend": matplotlib.get_backend(),
        "rc": {k: str(v) for k, v in matplotlib.rcParams.items()},
    }
before = snapshot()
import scrm_lab, scrm_lab.plots, scrm_lab.summary, scrm_lab.cli
after = snapshot()
# the one change allowed: scrm_lab._quiet's filters, each for one message from pyspark
added = [f for f in warnings.filters if str(f) not in before["warnings"]]
narrow = all(f[0] == "ignore" and f[3].pattern == "pyspark" + chr(92) + "." for f in added)
after["warnings"] = before["warnings"] if narrow and len(added) == 2 else after["warnings"]
print(json.dumps([k for k in before if before[k] != after[k]]))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []
