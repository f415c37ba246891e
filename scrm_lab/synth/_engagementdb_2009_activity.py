"""The 2009 reconstruction's steps 5 and 6: channel activity, then simulated outcomes.

Step 5 draws each brand's present channels and attribute levels so that the rubric scores
them as steps 1-4 placed them; step 6 draws revenue and margin changes whose profile means
are exactly :data:`OUTCOME_MEANS` (published for Mavens and Wallflowers, assumed otherwise).

Examples
--------
>>> OUTCOME_MEANS["sim_revenue_change_pct"]["Maven"]
18.0
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: Relative weight of each rubric channel when a brand's present channels are drawn.
CHANNEL_POPULARITY: dict[str, float] = {
    "blogs": 0.8, "branded_community": 0.4, "content_distribution": 0.45,
    "discussion_forums": 0.5, "social_network": 1.0, "photo_sharing": 0.55,
    "innovation_hub": 0.15, "wiki": 0.2, "ratings_reviews": 0.35, "twitter": 0.9,
    "video": 0.95,
}  # fmt: skip
_ATTRIBUTE_WEIGHT = {"freshness": 1.0, "responsiveness": 0.8, "participation": 0.6,
                     "integration": 0.7}  # fmt: skip
_LEVEL_DECAY = 0.7

#: Target mean of each simulated outcome per profile. Revenue: Mavens and Wallflowers are
#: published (+18 %, -6 %); Butterflies and Selectives are ASSUMED ("in between"). Margins
#: are ASSUMED: the study only says they move the same way as revenue and that Selectives
#: beat Butterflies on net margin growth.
OUTCOME_MEANS: dict[str, dict[str, float]] = {
    "sim_revenue_change_pct":
        {"Maven": 18.0, "Butterfly": 5.0, "Selective": 7.0, "Wallflower": -6.0},
    "sim_gross_margin_change_pts":
        {"Maven": 1.5, "Butterfly": 0.2, "Selective": 0.6, "Wallflower": -1.0},
    "sim_net_margin_change_pts":
        {"Maven": 1.0, "Butterfly": -0.3, "Selective": 0.4, "Wallflower": -1.2},
}  # fmt: skip
# (sector, size, noise) coefficients of each margin as multiples of the revenue parameters
_PROFILES = ("Maven", "Butterfly", "Selective", "Wallflower")
_MARGIN_SCALE = {"sim_gross_margin_change_pts": (0.1, 0.1, 0.15),
                 "sim_net_margin_change_pts": (0.08, 0.08, 0.1)}  # fmt: skip


# ---------------------------------------------------------------- channels (step 5)


def _channel_levels(
    rng: np.random.Generator,
    channels: list[str],
    levels: dict[str, int],
    breadth: np.ndarray,
    score: np.ndarray,
    all_channels: np.ndarray,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Presence (brands x channels) and each attribute's level (brands x channels)."""
    n, n_c = len(breadth), len(channels)
    popularity = np.array([CHANNEL_POPULARITY[c] for c in channels])
    present = np.zeros((n, n_c), dtype=bool)
    out = {name: np.zeros((n, n_c), dtype="int64") for name in levels}
    names = list(levels)
    # one unit per (channel, attribute, level step): level = units drawn of that pair
    unit_channel = np.concatenate([np.full(sum(levels.values()), c) for c in range(n_c)])
    unit_attr = np.tile(np.concatenate([np.full(levels[a], k) for k, a in enumerate(names)]), n_c)
    unit_step = np.tile(np.concatenate([np.arange(levels[a]) for a in names]), n_c)
    unit_weight = (
        popularity[unit_channel]
        * np.array([_ATTRIBUTE_WEIGHT[a] for a in names])[unit_attr]
        * _LEVEL_DECAY**unit_step
    )
    for i in range(n):
        if all_channels[i]:
            chosen = np.arange(n_c)
        else:
            chosen = np.sort(
                rng.choice(n_c, size=breadth[i], replace=False, p=popularity / popularity.sum())
            )
        present[i, chosen] = True
        units = np.flatnonzero(np.isin(unit_channel, chosen))
        weight = unit_weight[units] / unit_weight[units].sum()
        drawn = units[rng.choice(units.size, size=score[i] - breadth[i], replace=False, p=weight)]
        for k, name in enumerate(names):
            hits = drawn[unit_attr[drawn] == k]
            np.add.at(out[name][i], unit_channel[hits], 1)
    return present, out


# ---------------------------------------------------------------- outcomes (step 6)


def _exact_hundredths(values: np.ndarray, groups: np.ndarray, means: dict[str, float]):
    """Round to 0.01 so that each group's mean stays exactly its target."""
    cents = values * 100.0
    out = np.floor(cents)
    for group, target in means.items():
        members = np.flatnonzero(groups == group)
        if members.size == 0:
            continue
        wanted = round(target * 100) * members.size
        extra = int(round(wanted - out[members].sum()))
        extra = min(max(extra, 0), members.size)
        remainder = cents[members] - out[members]
        bump = members[np.argsort(-remainder, kind="stable")[:extra]]
        out[bump] += 1.0
    return out / 100.0


def _outcomes(
    rng: np.random.Generator,
    frame: pd.DataFrame,
    size_z: np.ndarray,
    profile: np.ndarray,
    revenue: tuple[float, float, float],
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    sector = frame["sector"].astype(str).to_numpy()
    change = frame["change_2009"]
    sector_change = change.groupby(sector).mean()
    fallback = float(change.mean())
    g = pd.Series(sector).map(sector_change).fillna(fallback).to_numpy()
    g_centered = g - g.mean()
    values, truth = {}, {}
    for column, means in OUTCOME_MEANS.items():
        scale = _MARGIN_SCALE.get(column, (1.0, 1.0, 1.0))
        b_sector, b_size, sd = (r * s for r, s in zip(revenue, scale, strict=True))
        base = b_sector * g_centered + b_size * size_z + sd * rng.standard_normal(len(sector))
        effect = {p: means[p] - float(base[profile == p].mean()) for p in _PROFILES}
        raw = base + np.array([effect[p] for p in profile])
        values[column] = _exact_hundredths(raw, profile, means)
        confound = b_sector * g_centered + b_size * size_z
        gap = means["Maven"] - means["Wallflower"]
        explained = float(
            confound[profile == "Maven"].mean() - confound[profile == "Wallflower"].mean()
        )
        truth[column] = {
            "sector_coef": b_sector,
            "size_coef": b_size,
            "noise_sd": sd,
            "profile_mean": dict(means),
            "profile_effect": effect,
            "maven_wallflower_gap": gap,
            "gap_from_sector_and_size": explained,
        }
    truth["sector_brand_value_change_2009_pct"] = {
        **{str(s): float(v) for s, v in sector_change.dropna().items()},
        **{str(s): fallback for s in sorted(set(sector)) if pd.isna(sector_change.get(s))},
    }
    return values, truth
