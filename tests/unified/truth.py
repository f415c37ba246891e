"""Test helper: the simulation's true links shaped as a link table, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd


def truth_link_table(crm: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """The true links shaped as a link table, by hand (independent of the library)."""
    crm_rows = pd.DataFrame(
        {
            "source": "crm",
            "source_record_id": crm["customer_id"].astype(str),
            "unified_customer_id": "U-" + crm["customer_id"].astype(str),
            "match_probability": np.nan,
            "rule": "none",
        }
    )
    linked = truth["customer_id"].notna()
    profile_rows = pd.DataFrame(
        {
            "source": truth["platform"].astype(str),
            "source_record_id": truth["profile_id"].astype(str),
            "unified_customer_id": np.where(
                linked,
                "U-" + truth["customer_id"].astype(str),
                "U-" + truth["platform"].astype(str) + "-" + truth["profile_id"].astype(str),
            ),
            "match_probability": np.where(linked, 0.97, np.nan),
            "rule": np.where(linked, "probabilistic", "none"),
        }
    )
    return pd.concat([crm_rows, profile_rows], ignore_index=True)
