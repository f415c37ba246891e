"""What the simulators share: start dates, names, ids and negative binomial counts.

Examples
--------
>>> _ids("B", 3).tolist()
['B001', 'B002', 'B003']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scrm_lab._checks import (
    Instance,
    Many,
    Text,
    refuse,
)


def _start(value: object) -> pd.Timestamp:
    expected = "a date such as '2008-01-01' (no time zone)"
    try:
        stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as err:
        raise refuse("start", expected, value) from err
    if pd.isna(stamp) or stamp.tz is not None:
        raise refuse("start", expected, value)
    return stamp.normalize().as_unit("ns")


#: The ``start`` parameter of the simulators (checked again when parsed, in :func:`_start`).
_START = Instance((str, pd.Timestamp, np.datetime64), "a date such as '2008-01-01' (no time zone)")
#: The ``freq`` parameter of :func:`simulate_brand_panel` (checked again when used).
_FREQ = Instance((str, pd.DateOffset), "a pandas frequency such as 'QS', 'MS' or 'YS'")
#: Channel and sector names.
_NAMES = Many(Text(), "a non-empty sequence of distinct non-empty strings", distinct=True)


# ---------------------------------------------------------------- shared helpers


def _ids(prefix: str, n: int, width: int = 3, index: np.ndarray | None = None) -> pd.Series:
    """``prefix`` + the zero-padded 1-based number of each ``index`` (default: all n)."""
    number = pa.array(np.arange(n) if index is None else index)
    text = pc.utf8_lpad(pc.cast(pc.add(number, 1), pa.string()), max(width, len(str(n))), "0")
    return pd.Series(pd.array(pc.binary_join_element_wise(prefix, text, ""), dtype="str"))


#: Shape of the gamma-Poisson (negative binomial) counts.
_NB_SHAPE = 2.0


def _neg_binomial(rng: np.random.Generator, mean: np.ndarray) -> np.ndarray:
    """Gamma-Poisson (negative binomial) counts with the given means and shape 2."""
    return rng.poisson(mean * rng.gamma(_NB_SHAPE, 1.0 / _NB_SHAPE, size=mean.shape))


def _categorical(codes: np.ndarray, categories: Sequence[str]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(categories), dtype="str"))
