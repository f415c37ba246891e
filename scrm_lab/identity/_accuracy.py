"""linkage_accuracy: precision, recall and F1 of links against the true links."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scrm_lab._checks import Many, Real, checks, refuse, require_columns

__all__ = ["linkage_accuracy"]

ACCURACY_COLUMNS = ["threshold", "precision", "recall", "f1", "true_positive",
                    "false_positive", "false_negative"]  # fmt: skip
_THRESHOLDS = tuple(np.round(np.arange(0.05, 1.0, 0.05), 2).tolist()) + (0.99, 0.999)


def _predicted(links: pd.DataFrame) -> pd.DataFrame:
    """(platform, profile_id, customer_id, match_probability) of every predicted link."""
    if {"source", "source_record_id", "unified_customer_id"} <= set(links.columns):
        require_columns(links, ["rule", "match_probability"])
        crm = links[links["source"] == "crm"]
        owner = dict(zip(crm["unified_customer_id"], crm["source_record_id"], strict=True))
        linked = links[(links["source"] != "crm") & (links["rule"] != "none")]
        return pd.DataFrame(
            {
                "platform": linked["source"].astype(str).to_numpy(),
                "profile_id": linked["source_record_id"].astype(str).to_numpy(),
                "customer_id": [str(owner.get(u)) for u in linked["unified_customer_id"]],
                "match_probability": linked["match_probability"].astype(float).to_numpy(),
            }
        )
    require_columns(links, ["platform", "profile_id", "customer_id", "match_probability"])
    kept = links[links["linked"].astype(bool)] if "linked" in links.columns else links
    return pd.DataFrame(
        {
            "platform": kept["platform"].astype(str).to_numpy(),
            "profile_id": kept["profile_id"].astype(str).to_numpy(),
            "customer_id": kept["customer_id"].astype(str).to_numpy(),
            "match_probability": kept["match_probability"].astype(float).to_numpy(),
        }
    )


@checks(thresholds=Many(Real(0, 1, low_open=True, high_open=True),
                        "a non-empty list of numbers strictly between 0 and 1"))  # fmt: skip
def linkage_accuracy(
    links: pd.DataFrame,
    truth: pd.DataFrame,
    *,
    thresholds: Sequence[float] = _THRESHOLDS,
) -> pd.DataFrame:
    """Precision, recall and F1 of predicted links, at each threshold, against the truth.

    A link is a (platform, profile, customer) triple; the true links are the rows of
    ``truth`` with a customer. At threshold t the predicted links are those with match
    probability >= t (rule links have 1.0). ``links`` is either a link table
    (:attr:`IdentityLinks.links`: the curve stops where its own threshold cut it) or the
    pairs (:attr:`IdentityLinks.pairs`: only those marked ``linked``, for the whole curve).
    precision = TP / (TP + FP) (NaN with no prediction), recall = TP / (TP + FN),
    f1 = 2 precision recall / (precision + recall).

    Parameters
    ----------
    links : pandas.DataFrame
        A link table or the pairs of :func:`link_identities`.
    truth : pandas.DataFrame
        True links: ``platform``, ``profile_id``, ``customer_id`` (missing for a profile of
        no customer), e.g. ``truth["links"]`` of a simulated population.
    thresholds : sequence of float
        Thresholds, each strictly between 0 and 1.

    Returns
    -------
    pandas.DataFrame
        One row per threshold, ascending: ``threshold``, ``precision``, ``recall``, ``f1``,
        ``true_positive``, ``false_positive``, ``false_negative``.

    Examples
    --------
    >>> truth = pd.DataFrame({"platform": ["x", "x"], "profile_id": ["p1", "p2"],
    ...                       "customer_id": ["c1", None]})
    >>> pairs = pd.DataFrame({"platform": ["x", "x"], "profile_id": ["p1", "p2"],
    ...                       "customer_id": ["c1", "c2"], "match_probability": [0.95, 0.5]})
    >>> linkage_accuracy(pairs, truth, thresholds=[0.4, 0.9])[["threshold", "precision",
    ...                                                        "recall"]]
       threshold  precision  recall
    0        0.4        0.5     1.0
    1        0.9        1.0     1.0
    """
    for name, data in (("links", links), ("truth", truth)):
        if not isinstance(data, pd.DataFrame):
            raise refuse(name, "a pandas DataFrame", data, described=type(data).__name__)
    require_columns(truth, ["platform", "profile_id", "customer_id"])
    predicted = _predicted(links)
    true = truth.dropna(subset=["customer_id"])
    true_keys = set(
        zip(true["platform"].astype(str), true["profile_id"].astype(str),
            true["customer_id"].astype(str), strict=True)
    )  # fmt: skip
    hit = np.array(
        [k in true_keys for k in zip(predicted["platform"], predicted["profile_id"],
                                     predicted["customer_id"], strict=True)],
        dtype=bool,
    )  # fmt: skip
    probability = predicted["match_probability"].to_numpy()
    rows = []
    for t in sorted(float(t) for t in thresholds):
        chosen = probability >= t
        tp = int((chosen & hit).sum())
        fp = int((chosen & ~hit).sum())
        fn = len(true_keys) - tp
        precision = tp / (tp + fp) if tp + fp else np.nan
        recall = tp / len(true_keys) if true_keys else np.nan
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        rows.append((t, precision, recall, f1, tp, fp, fn))
    out = pd.DataFrame(rows, columns=ACCURACY_COLUMNS)
    for column in ("true_positive", "false_positive", "false_negative"):
        out[column] = out[column].astype("int64")
    return out
