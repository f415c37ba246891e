r"""A reconstruction of the 2009 ENGAGEMENTdb data: real sample frame, simulated engagement.

The public path is :func:`scrm_lab.synth.reconstruct_engagementdb_2009` (this private module
holds the code). The study's appendix table (all 100 brands' scores) is not available; what is
known is listed in ``datasets/engagementdb_2009/known_facts.csv``. This simulator builds a
data set that keeps the **real** 2008 Interbrand sample frame (brands, sectors, countries,
brand values, the real 2008-09 brand value change) and adds **simulated** channel-level
activity and financial outcomes chosen so that every published fact holds. It is shipped as
the ``engagementdb_2009_reconstruction`` data set. No conclusion about a real brand can be
drawn from a simulated column.

Algorithm (one seed, three independent streams: engagement, channels, outcomes)
-------------------------------------------------------------------------------
1. *Scores by position.* Positions 1-11 carry the 11 published scores (Starbucks 127 ...
   Yahoo! and Intel 85, tied at rank 10). Positions 12-100 follow a jittered convex curve
   ``s_p = round(1 + 83 u_p^1.5)``, where ``u`` falls from 1 to 0 in 88 Dirichlet(40)
   steps, so ``s_12 = 84`` and ``s_100 = 1``. Ties are allowed except next to a published
   rank (12, 14, 23, 51): ranks stay exact.
2. *Placement.* The other brands get a latent ``z_i = shift[sector] + 0.6 size_z_i + e_i``,
   ``e_i ~ N(0, 1)``, with shift +3 for Media and Technology, -2.5 for Financial Services, 0
   otherwise (Interbrand's sector column), and fill positions 12-100 by decreasing ``z``,
   Oracle, H&M and Coca-Cola being held at 14, 23 and 51. Brands with a published profile
   are kept out of positions where that profile cannot occur (a Wallflower is never before
   position 52) and placed while their profile is still feasible (earliest deadline first).
3. *Profiles and breadth.* Each position gets a target profile: ranks 1-13 Maven, 14
   Butterfly, 15-22 Maven or Butterfly, 23 Selective, 24-50 anything but Wallflower, 51
   Wallflower, 52-100 anything (seeded draws; published profiles kept). Starting from the
   line ``score = -20 + 11 breadth``, each brand gets the breadth closest to
   ``1 + 10 (score/127)^0.7`` that gives its target profile with a margin of 1 point
   (breadth >= 7 for Mavens and Butterflies, <= 6 otherwise; ``breadth <= score <= 12
   breadth``; Starbucks 11); the OLS line of score on breadth is refitted and the step
   repeated until the breadths no longer change (at most 50 times).
4. *Checks.* Every published fact and the sector ordering (Media and Technology mean scores
   above every other sector's, Financial Services below every other's) is checked; an
   attempt that fails any check is discarded and the next one drawn from the same stream
   (at most ``max_attempts``; then :class:`~scrm_lab.exceptions.ParameterError`).
5. *Channels.* A brand's present channels are drawn without replacement with the channel
   popularity weights of :data:`CHANNEL_POPULARITY`; its ``score - breadth`` remaining
   points are spread over the present channels' freshness, responsiveness, participation
   and integration levels, one level step at a time, drawn without replacement within the
   rubric's maximum levels (weight of the k-th step of an attribute on a channel: channel
   popularity x attribute weight x 0.7^(k-1)).
6. *Outcomes.* For each outcome ``y`` (revenue change in percent, gross and net margin
   change in percentage points)::

       y_i = b_sector * (g_s(i) - mean g) + b_size * size_z_i + d_P(i) + sd * e_i

   ``g_s`` is the real mean 2008-09 brand value change of the brand's Interbrand sector
   (the mean over all brands for a sector without one: Hospitality), ``size_z`` the
   standardized log 2008 brand value, ``e_i ~ N(0, 1)``, and ``d_P`` the profile effect
   solved so that each profile's mean is exactly its target. Values are rounded to 0.01
   with the rounding of each profile adjusted so its mean stays exact. Revenue targets:
   Mavens +18, Wallflowers -6 (published), Butterflies +5, Selectives +7 (assumed "in
   between"). Margin targets are assumptions (see :data:`OUTCOME_MEANS`).

Examples
--------
>>> OUTCOME_MEANS["sim_revenue_change_pct"]["Wallflower"]
-6.0
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from scrm_lab._checks import SEED, Integer, Real, checks, current_function
from scrm_lab.exceptions import ParameterError
from scrm_lab.io import conform
from scrm_lab.synth._engagementdb_2009_activity import (
    _ATTRIBUTE_WEIGHT,
    _LEVEL_DECAY,
    CHANNEL_POPULARITY,
    OUTCOME_MEANS,
    _channel_levels,
    _outcomes,
)

__all__ = [
    "CHANNEL_POPULARITY",
    "OUTCOME_MEANS",
    "PUBLISHED_SCORES",
    "Reconstruction",
    "reconstruct_engagementdb_2009",
]

_FUNC = "reconstruct_engagementdb_2009"
# The shipped 2009 rubric (read as data: the simulator builds activity that scores as published).
_RUBRIC = Path(__file__).resolve().parents[1] / "engagement" / "rubrics" / "engagementdb_2009.yaml"

#: The 11 published top scores (press release, 20 July 2009), in rank order.
PUBLISHED_SCORES: dict[str, int] = {
    "Starbucks": 127, "Dell": 123, "eBay": 115, "Google": 105, "Microsoft": 103,
    "Thomson Reuters": 101, "Nike": 100, "Amazon": 88, "SAP": 86, "Yahoo!": 85, "Intel": 85,
}  # fmt: skip
#: Published ranks without a published score (the first Butterfly, Selective, Wallflower).
_FIXED_RANKS = {"Oracle": 14, "H&M": 23, "Coca-Cola": 51}
#: Published profiles of brands without a published rank.
_NAMED_PROFILES = {
    "American Express": "Butterfly", "Hyundai": "Butterfly", "HP": "Butterfly",
    "Philips": "Selective",
    "McDonald's": "Wallflower", "BP": "Wallflower", "Duracell": "Wallflower",
    "Gillette": "Wallflower", "Kellogg's": "Wallflower", "Mercedes-Benz": "Wallflower",
}  # fmt: skip
_PUBLISHED_BREADTH = {"Starbucks": 11}
_PROFILES = ("Maven", "Butterfly", "Selective", "Wallflower")
_ABOVE = {"Maven": True, "Butterfly": False, "Selective": True, "Wallflower": False}
_WIDE = {"Maven": True, "Butterfly": True, "Selective": False, "Wallflower": False}
_BREADTH_CUT, _MAX_BREADTH, _MAX_DEPTH = 7, 11, 12
_TOP_MEDIA_TECH, _BOTTOM = ("Media", "Technology"), "Financial Services"

# Step 1 (score curve), 2 (placement) and 3 (profiles and breadth).
_CURVE_GAMMA, _CURVE_ALPHA = 1.5, 40.0
_STRICT_BEFORE = (12, 14, 15, 23, 24, 51, 52)  # positions whose score is below the previous
_SECTOR_SHIFT = {"Media": 3.0, "Technology": 3.0, "Financial Services": -2.5}
_SIZE_LOADING = 0.6
_ZONES = (  # (last position, allowed profiles, draw probabilities of the allowed profiles)
    (13, ("Maven",), (1.0,)),
    (14, ("Butterfly",), (1.0,)),
    (22, ("Maven", "Butterfly"), (0.5, 0.5)),
    (23, ("Selective",), (1.0,)),
    (50, ("Maven", "Butterfly", "Selective"), (0.2, 0.4, 0.4)),
    (51, ("Wallflower",), (1.0,)),
    (100, _PROFILES, (0.0, 0.15, 0.25, 0.6)),
)
_EARLIEST = {"Butterfly": 15, "Selective": 24, "Wallflower": 52}  # first position allowed
_LOWEST_SCORE = {"Butterfly": 8, "Wallflower": 5}  # a named brand is placed while feasible
_START_LINE, _MARGIN, _MAX_ITER = (-20.0, 11.0), 1.0, 50
_NATURAL = (1.0, 10.0, 0.7)  # natural breadth = a + b * (score / 127) ** c


@dataclass(frozen=True, eq=False)
class Reconstruction:
    """The reconstructed ENGAGEMENTdb 2009 data (see :func:`reconstruct_engagementdb_2009`).

    Attributes
    ----------
    brands : pandas.DataFrame
        Canonical ``brands`` table, one row per brand of the 2008 Interbrand list in its
        order: ``brand``, ``sector``, ``country``, ``size`` (2008 brand value, million USD)
        and the real extras ``interbrand_rank_2008``, ``brand_value_2008_musd``,
        ``brand_value_change_2009_pct``, then the simulated ``sim_engagement_rank``,
        ``sim_engagement_score``, ``sim_breadth``, ``sim_profile``,
        ``sim_revenue_change_pct``, ``sim_gross_margin_change_pts``,
        ``sim_net_margin_change_pts``.
    channel_activity : pandas.DataFrame
        Canonical wide ``channel_activity`` table, one row per brand and rubric channel
        (a single 2009 snapshot, so no ``period``): ``brand``, ``channel``, ``present``,
        ``freshness``, ``responsiveness``, ``participation``, ``integration`` and
        ``simulated`` (True on every row).
    truth : dict
        The targets and assumptions used, the fitted line and the true outcome model.
    """

    brands: pd.DataFrame
    channel_activity: pd.DataFrame
    truth: dict[str, Any]


# ---------------------------------------------------------------- inputs


def _rubric() -> tuple[list[str], dict[str, int]]:
    """Channels (rubric order) and the maximum level of each non-presence attribute."""
    rubric = yaml.safe_load(_RUBRIC.read_text(encoding="utf-8"))
    presence = rubric["presence"]
    levels = {
        name: int(spec["max_level"])
        for name, spec in rubric["attributes"].items()
        if name != presence
    }
    return list(rubric["channels"]), levels


def _frame_2008() -> pd.DataFrame:
    """The real 2008 Interbrand frame with the 2009 list's brand value change."""
    from scrm_lab.datasets import load_dataset  # the catalog imports the registry: import late

    rankings = load_dataset("interbrand_best_global_brands")
    frame = rankings[rankings["year"] == 2008].sort_values("rank").reset_index(drop=True)
    change = rankings[rankings["year"] == 2009].set_index("brand")["change_pct"]
    return frame.assign(change_2009=frame["brand"].map(change).astype("float64"))


# ---------------------------------------------------------------- engagement (steps 1-4)


def _scores(rng: np.random.Generator) -> np.ndarray:
    """Score of each position 1-100 (step 1)."""
    steps = rng.dirichlet(np.full(88, _CURVE_ALPHA))
    u = np.clip(np.concatenate([[1.0], 1.0 - np.cumsum(steps)]), 0.0, 1.0)
    u[-1] = 0.0
    tail = np.rint(1.0 + 83.0 * u**_CURVE_GAMMA).astype("int64")
    return np.concatenate([np.array(list(PUBLISHED_SCORES.values()), dtype="int64"), tail])


def _zone(position: int) -> tuple[tuple[str, ...], tuple[float, ...]]:
    return next((allowed, p) for last, allowed, p in _ZONES if position <= last)


def _place(
    rng: np.random.Generator, frame: pd.DataFrame, size_z: np.ndarray, scores: np.ndarray
) -> list[str]:
    """Brand at each position 1-100 (step 2)."""
    placed = dict.fromkeys(range(1, 101))
    for position, brand in enumerate(PUBLISHED_SCORES, start=1):
        placed[position] = brand
    for brand, position in _FIXED_RANKS.items():
        placed[position] = brand
    fixed = set(PUBLISHED_SCORES) | set(_FIXED_RANKS)
    free = [i for i, b in enumerate(frame["brand"]) if b not in fixed]
    noise = rng.standard_normal(len(free))
    shift = frame["sector"].astype(str).map(_SECTOR_SHIFT).fillna(0.0).to_numpy()
    latent = {i: shift[i] + _SIZE_LOADING * size_z[i] + e for i, e in zip(free, noise, strict=True)}
    brands = frame["brand"].tolist()
    earliest, deadline = {}, {}
    for i in free:
        profile = _NAMED_PROFILES.get(brands[i])
        earliest[i] = _EARLIEST.get(profile, 1)
        lowest = _LOWEST_SCORE.get(profile)
        deadline[i] = 100 if lowest is None else int(np.flatnonzero(scores >= lowest)[-1]) + 1
    remaining = sorted(free, key=lambda i: -latent[i])
    for position in range(1, 101):
        if placed[position] is not None:
            continue
        candidates = [i for i in remaining if earliest[i] <= position]
        due = [i for i in candidates if deadline[i] <= position]
        pick = min(due, key=lambda i: deadline[i]) if due else candidates[0]
        placed[position] = brands[pick]
        remaining.remove(pick)
    return [placed[p] for p in range(1, 101)]


def _targets(rng: np.random.Generator, order: list[str]) -> list[tuple[str, ...]]:
    """Profiles each position may take, the drawn or published one first (step 3)."""
    draws = rng.random(len(order))
    out = []
    for position, (brand, u) in enumerate(zip(order, draws, strict=True), start=1):
        allowed, probabilities = _zone(position)
        if brand in _NAMED_PROFILES:
            out.append((_NAMED_PROFILES[brand],))
            continue
        cumulative = np.cumsum(probabilities)
        first = allowed[int(np.searchsorted(cumulative, u * cumulative[-1], side="right"))]
        out.append((first, *[p for p in allowed if p != first]))
    return out


def _feasible(score: int, profile: str, line: tuple[float, float]) -> list[int]:
    low, high = (_BREADTH_CUT, _MAX_BREADTH) if _WIDE[profile] else (1, _BREADTH_CUT - 1)
    low = max(low, -(-score // _MAX_DEPTH))
    out = []
    for breadth in range(low, min(high, score) + 1):
        residual = score - (line[0] + line[1] * breadth)
        if (residual > _MARGIN) if _ABOVE[profile] else (residual < -_MARGIN):
            out.append(breadth)
    return out


def _ols(breadth: np.ndarray, score: np.ndarray) -> tuple[float, float]:
    x = breadth.astype("float64")
    slope = float(np.sum((x - x.mean()) * (score - score.mean())) / np.sum((x - x.mean()) ** 2))
    return float(score.mean() - slope * x.mean()), slope


def _profiles_of(breadth: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, tuple]:
    line = _ols(breadth, score)
    above = score - (line[0] + line[1] * breadth) > 0
    wide = breadth >= _BREADTH_CUT
    names = np.where(
        wide, np.where(above, "Maven", "Butterfly"), np.where(above, "Selective", "Wallflower")
    )
    return names, line


def _breadths(
    order: list[str], score: np.ndarray, targets: list[tuple[str, ...]]
) -> np.ndarray | None:
    """Breadth of each position, iterated with the fitted line (step 3); None if stuck."""
    a, b, c = _NATURAL
    natural = a + b * (score / PUBLISHED_SCORES["Starbucks"]) ** c
    line, breadth = _START_LINE, None
    for _ in range(_MAX_ITER):
        new = np.empty(len(order), dtype="int64")
        for i, brand in enumerate(order):
            if brand in _PUBLISHED_BREADTH:
                new[i] = _PUBLISHED_BREADTH[brand]
                continue
            options = next((f for p in targets[i] if (f := _feasible(score[i], p, line))), [])
            if not options:
                return None
            new[i] = min(options, key=lambda k: (abs(k - natural[i]), k))
        line = _ols(new, score)
        if breadth is not None and np.array_equal(new, breadth):
            return new
        breadth = new
    return None


def _ranks(score: np.ndarray) -> np.ndarray:
    """1 + the number of strictly higher scores (ties share the lowest rank)."""
    return 1 + (score[None, :] > score[:, None]).sum(axis=1)


def _failed_checks(table: pd.DataFrame) -> list[str]:
    """The published facts (and sector ordering) that ``table`` breaks; empty if none."""
    by = table.set_index("brand")
    failed = []
    for rank, (brand, score) in enumerate(PUBLISHED_SCORES.items(), start=1):
        expected_rank = 10 if score == 85 else rank
        if by.loc[brand, "score"] != score or by.loc[brand, "rank"] != expected_rank:
            failed.append(f"{brand} score/rank")
    for brand, rank in _FIXED_RANKS.items():
        if by.loc[brand, "rank"] != rank:
            failed.append(f"{brand} rank")
    if sorted(table["rank"])[11] != 12:
        failed.append("rank 12 after the tie")
    profile = by["profile"]
    if not (profile[by["rank"] <= 13] == "Maven").all():
        failed.append("ranks 1-13 Mavens")
    for name, first in {"Butterfly": 14, "Selective": 23, "Wallflower": 51}.items():
        ranks = by.loc[profile == name, "rank"]
        if ranks.empty or ranks.min() != first:
            failed.append(f"first {name}")
    expected = {**{b: "Maven" for b in PUBLISHED_SCORES}, **_NAMED_PROFILES}
    expected.update({"Oracle": "Butterfly", "H&M": "Selective", "Coca-Cola": "Wallflower"})
    failed += [f"{b} profile" for b, p in expected.items() if profile[b] != p]
    failed += [f"{b} breadth" for b, k in _PUBLISHED_BREADTH.items() if by.loc[b, "breadth"] != k]
    if table["score"].min() != 1 or table["score"].max() != 127:
        failed.append("score range 1-127")
    means = table.groupby("sector", observed=True)["score"].mean()
    others = means.drop(list(_TOP_MEDIA_TECH) + [_BOTTOM])
    if min(means[s] for s in _TOP_MEDIA_TECH) <= others.max():
        failed.append("Media and Technology most engaged")
    if means[_BOTTOM] >= means.drop(_BOTTOM).min():
        failed.append("Financial Services least engaged")
    return failed


def _engagement(
    rng: np.random.Generator, frame: pd.DataFrame, size_z: np.ndarray, max_attempts: int
) -> tuple[pd.DataFrame, tuple[float, float], int]:
    """Score, rank, breadth and profile of every brand (steps 1-4)."""
    sector = frame.set_index("brand")["sector"].astype(str)
    last = []
    for attempt in range(1, max_attempts + 1):
        scores = _scores(rng)
        order = _place(rng, frame, size_z, scores)
        targets = _targets(rng, order)
        if any(scores[p - 2] <= scores[p - 1] for p in _STRICT_BEFORE):
            last = ["a published rank would be tied"]
            continue
        breadth = _breadths(order, scores, targets)
        if breadth is None:
            last = ["no breadths give the target profiles"]
            continue
        profile, line = _profiles_of(breadth, scores)
        table = pd.DataFrame(
            {"brand": order, "score": scores, "rank": _ranks(scores), "breadth": breadth,
             "profile": profile, "target": [t[0] for t in targets],
             "sector": sector.loc[order].to_numpy()}
        )  # fmt: skip
        last = _failed_checks(table)
        if not last:
            return table.drop(columns="target"), line, attempt
    raise ParameterError(
        f"The 'max_attempts' parameter of {current_function()} must allow enough seeded "
        f"attempts to satisfy every published fact. Got {max_attempts!r} instead: the last attempt "
        f"failed on {', '.join(last[:3])}. Raise max_attempts or try another seed."
    )


# ---------------------------------------------------------------- public function


@checks(
    seed=SEED,
    revenue_sector_effect=Real(),
    revenue_size_effect=Real(),
    revenue_noise=Real(low=0),
    max_attempts=Integer(low=1),
)
def reconstruct_engagementdb_2009(
    *,
    seed: int = 2009,
    revenue_sector_effect: float = 1.0,
    revenue_size_effect: float = 4.0,
    revenue_noise: float = 8.0,
    max_attempts: int = 1000,
) -> Reconstruction:
    """Reconstruct the 2009 ENGAGEMENTdb data: real 2008 frame, simulated engagement.

    Public path: ``scrm_lab.synth.reconstruct_engagementdb_2009``. The algorithm is written
    out in the docstring of this module (:mod:`scrm_lab.synth._engagementdb_2009`). The
    shipped data set ``engagementdb_2009_reconstruction`` is this function's output with the
    defaults. Only the brand, sector, country, brand value and brand value change columns
    are real; everything else is simulated and says nothing about the real brands.

    Parameters
    ----------
    seed : int, default 2009
        >= 0. Seed of the random generator (three streams: engagement, channels, outcomes).
    revenue_sector_effect : float, default 1.0
        True change of the simulated revenue change (percent) per percentage point of the
        brand's sector's real 2008-09 brand value change (centred). The margins use 0.1
        (gross) and 0.08 (net) times this, in percentage points.
    revenue_size_effect : float, default 4.0
        True change of the simulated revenue change (percent) per standard deviation of log
        2008 brand value; margins 0.1 and 0.08 times this.
    revenue_noise : float, default 8.0
        >= 0. Standard deviation of the revenue noise (percent); margins 0.15 and 0.1 times
        this.
    max_attempts : int, default 1000
        >= 1. Seeded attempts at steps 1-4 before giving up.

    Returns
    -------
    Reconstruction
        ``brands``, ``channel_activity`` and ``truth`` (see :class:`Reconstruction`).
        ``truth`` holds the published targets, the assumptions, the fitted line
        (``line_intercept``, ``line_slope``), the attempts used and, per outcome, the true
        ``sector_coef``, ``size_coef``, ``noise_sd``, ``profile_effect`` (the profile
        coefficients of the true model), ``profile_mean`` and ``gap_from_sector_and_size``
        (the part of the Maven - Wallflower mean gap that the sector and size terms make).

    Raises
    ------
    ParameterError
        A parameter has the wrong type or range, or ``max_attempts`` attempts did not
        satisfy every published fact.

    Examples
    --------
    >>> recon = reconstruct_engagementdb_2009()
    >>> top = recon.brands.sort_values("sim_engagement_rank").head(3)
    >>> top[["brand", "sim_engagement_score", "sim_breadth", "sim_profile"]]
            brand  sim_engagement_score  sim_breadth sim_profile
    84  Starbucks                   127           11       Maven
    31       Dell                   123           11       Maven
    45       eBay                   115           10       Maven
    >>> revenue = recon.brands.groupby("sim_profile", observed=True)["sim_revenue_change_pct"]
    >>> revenue.mean().round(6).to_dict()
    {'Butterfly': 5.0, 'Maven': 18.0, 'Selective': 7.0, 'Wallflower': -6.0}
    >>> recon.channel_activity.shape
    (1100, 8)
    """
    seed, max_attempts = int(seed), int(max_attempts)
    sector_effect, size_effect = float(revenue_sector_effect), float(revenue_size_effect)
    noise = float(revenue_noise)
    engagement_rng, channel_rng, outcome_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)
    )

    frame = _frame_2008()
    log_value = np.log(frame["brand_value_musd"].to_numpy())
    size_z = (log_value - log_value.mean()) / log_value.std()
    table, line, attempts = _engagement(engagement_rng, frame, size_z, max_attempts)
    table = table.set_index("brand").loc[frame["brand"]].reset_index()
    score = table["score"].to_numpy()
    breadth = table["breadth"].to_numpy()
    profile = table["profile"].to_numpy()

    channels, levels = _rubric()
    all_channels = table["brand"].map(_PUBLISHED_BREADTH).eq(len(channels)).to_numpy()
    present, attribute_levels = _channel_levels(
        channel_rng, channels, levels, breadth, score, all_channels
    )
    outcomes, outcome_truth = _outcomes(
        outcome_rng, frame, size_z, profile, (sector_effect, size_effect, noise)
    )

    brands = pd.DataFrame(
        {
            "brand": frame["brand"],
            "sector": frame["sector"].astype(str),
            "country": frame["country"],
            "size": frame["brand_value_musd"].astype("float64"),
            "interbrand_rank_2008": frame["rank"].astype("int64"),
            "brand_value_2008_musd": frame["brand_value_musd"].astype("float64"),
            "brand_value_change_2009_pct": frame["change_2009"],
            "sim_engagement_rank": table["rank"].astype("int64"),
            "sim_engagement_score": table["score"].astype("int64"),
            "sim_breadth": table["breadth"].astype("int64"),
            "sim_profile": pd.Series(profile, dtype="str").astype("category"),
            **{column: values for column, values in outcomes.items()},
        }
    )
    n, n_c = len(brands), len(channels)
    activity = pd.DataFrame(
        {
            "brand": np.repeat(brands["brand"].to_numpy(), n_c),
            "channel": np.tile(np.array(channels, dtype=object), n),
            "present": present.ravel(),
            **{name: values.ravel() for name, values in attribute_levels.items()},
            "simulated": np.ones(n * n_c, dtype=bool),
        }
    )
    brands = conform(brands, "brands", source=_FUNC)
    activity = conform(activity, "channel_activity", source=_FUNC)
    truth = {
        "seed": seed,
        "attempts": attempts,
        "published_scores": dict(PUBLISHED_SCORES),
        "published_ranks": dict(_FIXED_RANKS),
        "published_profiles": dict(_NAMED_PROFILES),
        "published_breadth": dict(_PUBLISHED_BREADTH),
        "breadth_cut": _BREADTH_CUT,
        "line_intercept": line[0],
        "line_slope": line[1],
        "profile_margin": _MARGIN,
        "score_curve": {"gamma": _CURVE_GAMMA, "dirichlet_alpha": _CURVE_ALPHA},
        "placement_sector_shift": dict(_SECTOR_SHIFT),
        "placement_size_loading": _SIZE_LOADING,
        "channel_popularity": dict(CHANNEL_POPULARITY),
        "attribute_weight": dict(_ATTRIBUTE_WEIGHT),
        "level_decay": _LEVEL_DECAY,
        "revenue_sector_effect": sector_effect,
        "revenue_size_effect": size_effect,
        "revenue_noise": noise,
        **outcome_truth,
        "assumptions": (
            "Butterfly and Selective revenue means (+5, +7) are assumed, published only as "
            "'in between'; every margin mean is assumed (published: margins move the same "
            "way as revenue, Selectives beat Butterflies on net margin growth); the channel "
            "taxonomy, attribute levels and one point per level come from the rubric "
            "(assumed); scores of brands other than the 11 published ones are simulated."
        ),
    }
    return Reconstruction(brands=brands, channel_activity=activity, truth=truth)
