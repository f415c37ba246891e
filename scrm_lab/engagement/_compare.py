"""How does your company compare? A brand's placement among peers, and peer benchmarking.

Private to :mod:`scrm_lab.engagement`, which re-exports the public names.
:func:`compare_brand` scores a user's description of their channels (read by
:func:`~scrm_lab.engagement.read_brand_description`) with a rubric and places it among peer
brands (by default the 100 brands of the 2009 reconstruction, whose channel data are
simulated); :func:`peer_benchmark` places a brand's engagement rate among its peers'.

Examples
--------
>>> from scrm_lab.engagement import EXAMPLE_DESCRIPTION
>>> result = compare_brand(EXAMPLE_DESCRIPTION)
>>> result.placement[["brand", "score", "breadth", "rank", "profile_regression_rule"]]
                brand  score  breadth  rank profile_regression_rule
0  Example Coffee Co.     30        6    57              Wallflower
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scrm_lab._checks import Instance, Integer, OrNone, checks
from scrm_lab._checks import show_value as _show_value
from scrm_lab.engagement._compare_read import RUBRIC, description_from_frame, read_brand_description
from scrm_lab.engagement._profiles import PROFILES
from scrm_lab.engagement._rubric import FROM_COUNTS_SUFFIX, Rubric, load_rubric
from scrm_lab.engagement._scoring import score_engagement
from scrm_lab.exceptions import SchemaError

__all__ = ["BrandComparison", "compare_brand"]

_RECONSTRUCTION = "engagementdb_2009_reconstruction"
#: Said with every placement among the shipped peers (wording of the data set's PROVENANCE.md).
RECONSTRUCTION_CAVEAT = (
    "The peers' channel data are a reconstruction: the 100 brands are the real Interbrand 2008 "
    "list, but most of this data set is simulated. Every engagement value (channels, levels, "
    "scores, ranks, profiles) apart from the few published facts of the 2009 study was made up "
    "by a simulator so that the published facts hold (data set "
    "engagementdb_2009_reconstruction, PROVENANCE.md). No conclusion about a real brand can be "
    "drawn from a simulated column: read the placement as one against a plausible 2009 "
    "landscape, not the real one."
)
_RUBRIC_CAVEAT = (
    "The rubric {name!r} is itself a reconstruction where its file says so: the 2009 study "
    "never published its points."
)
# Profiles that count as a step up from each profile: better on one axis (breadth, or score
# against the average) without being worse on the other.
_UP = {
    "Wallflower": ("Selective", "Butterfly", "Maven"),
    "Selective": ("Maven",),
    "Butterfly": ("Maven",),
    "Maven": (),
}


@dataclass(frozen=True)
class BrandComparison:
    """A brand's placement among peers, from :func:`compare_brand`.

    Attributes
    ----------
    brand : str
        The brand described.
    placement : pandas.DataFrame
        One row: ``brand``, ``score``, ``breadth``, ``depth`` (score / breadth: the mean
        depth of the channels present, 0 with none), ``rank`` (among peers and brand, 1 = most
        engaged, ties share the lowest rank), ``percentile`` (percent of peers scoring
        strictly less, plus half of those scoring the same), ``n_peers``,
        ``profile_mean_rule`` and ``profile_regression_rule``.
    channels : pandas.DataFrame
        One row per rubric channel: ``channel``, ``label``, ``listed`` (False: not in the
        description, counted as absent), ``present``, ``points``, ``max_points`` and
        ``levels_from_counts`` (text: the levels the description gave as raw activity
        counts, with the counts, e.g. ``"freshness 2 (from posts_90d = 20)"``; empty when
        every level was given as a level).
    nearest : pandas.DataFrame
        The ``k`` nearest peers: ``brand``, ``score``, ``breadth``, ``profile_mean_rule``,
        ``profile_regression_rule``, ``distance`` (Euclidean, on breadth and score
        standardized with the peers' mean and population standard deviation).
    next_steps : pandas.DataFrame
        Every single change that adds points, most points first: ``channel``,
        ``attribute``, ``from_level``, ``to_level`` (the attribute's top level, or 1 to start
        using an absent channel), ``points_gained``, ``new_breadth``, ``new_score``,
        ``new_profile_mean_rule``, ``new_profile_regression_rule``, ``change`` (in words;
        for a level the description gave as counts, the counts the top level needs, e.g.
        ``"raise freshness on twitter from 2 to 3 (posts_90d >= 90)"``).
    plan : pandas.DataFrame
        For each profile a step up under the regression rule (``target``: a Wallflower's
        Selective, Butterfly and Maven; a Selective's or a Butterfly's Maven), the fewest
        changes that reach it, one per row in order (``target``, ``step``, then the columns of
        ``next_steps``, the new values cumulative). Empty for a Maven. See
        :func:`compare_brand` for how the changes are chosen.
    landscape : pandas.DataFrame
        The peers and the brand, ready for
        :func:`scrm_lab.plots.plot_profile_quadrants` with ``highlight=brand``: ``brand``,
        ``breadth``, ``score``, ``expected_score`` (the peers' regression line at the
        breadth), ``profile`` (regression rule) and ``is_brand``; the brand comes last.
    caveat : str
        What the placement rests on (the peers' data being a reconstruction, by default).
    """

    brand: str
    placement: pd.DataFrame
    channels: pd.DataFrame
    nearest: pd.DataFrame
    next_steps: pd.DataFrame
    plan: pd.DataFrame
    landscape: pd.DataFrame
    caveat: str

    @checks(steps=Integer(low=0))
    def summary_lines(self, steps: int = 3) -> list[str]:
        """The placement in plain sentences (what the CLI prints), ``steps`` changes listed.

        Examples
        --------
        >>> from scrm_lab.engagement import EXAMPLE_DESCRIPTION
        >>> compare_brand(EXAMPLE_DESCRIPTION).summary_lines()[0]
        'Example Coffee Co.: score 30, breadth 6 channels, mean depth 5.0 points per channel.'
        """
        row = self.placement.iloc[0]
        n_peers = int(row["n_peers"])
        lines = [
            f"{self.brand}: score {_number(row['score'])}, breadth {int(row['breadth'])} "
            f"channels, mean depth {row['depth']:.1f} points per channel.",
            f"Rank {int(row['rank'])} of {n_peers + 1} (the brand and {n_peers} peers); "
            f"percentile {row['percentile']:.1f} (share of peers scoring less, ties counted "
            "half).",
            f"Profile: {row['profile_regression_rule']} under the regression rule (the study's), "
            f"{row['profile_mean_rule']} under the mean rule.",
        ]
        absent = self.channels.loc[~self.channels["listed"], "channel"].tolist()
        if absent:
            lines.append(f"Not in the description, counted as absent: {', '.join(absent)}.")
        counted = self.channels.loc[self.channels["levels_from_counts"] != ""]
        if len(counted):
            lines.append("Levels from raw activity counts (the rubric's thresholds):")
            lines += [f"  {r.channel}: {r.levels_from_counts}" for r in counted.itertuples()]
        near = ", ".join(
            f"{r.brand} ({_number(r.score)}, {int(r.breadth)} channels, "
            f"{r.profile_regression_rule})"
            for r in self.nearest.itertuples()
        )
        lines.append(f"Nearest peers: {near}.")
        if len(self.next_steps):
            lines.append("Changes that add the most points:")
            lines += [
                f"  {r.change}: +{_number(r.points_gained)} points -> score "
                f"{_number(r.new_score)}, {r.new_profile_regression_rule}"
                for r in self.next_steps.head(steps).itertuples()
            ]
        if len(self.plan):
            for target, steps in self.plan.groupby("target", sort=False):
                lines.append(
                    f"To become {target} (regression rule): {len(steps)} change(s), "
                    f"+{_number(steps['points_gained'].sum())} points: "
                    f"{'; '.join(steps['change'])}."
                )
        else:
            lines.append("Already a Maven: there is no next profile.")
        lines.append(f"Caveat: {self.caveat}")
        return lines


def _number(value: object) -> str:
    return _show_value(float(value)) if float(value).is_integer() else f"{float(value):.2f}"


def _from_counts_text(levels: pd.DataFrame, rubric: Rubric) -> list[str]:
    """Per channel, the levels that came from counts, with the counts, in words."""
    out = []
    for _, row in levels.iterrows():
        parts = []
        for name in rubric._used:
            rule = rubric.attributes[name].from_counts
            flag = f"{name}{FROM_COUNTS_SUFFIX}"
            if rule is None or flag not in row.index or not row[flag]:
                continue
            values = [int(row[c]) for c in rule.counts]
            parts.append(f"{name} {int(row[name])} (from {rule._explain(values)})")
        out.append("; ".join(parts))
    return out


# ---------------------------------------------------------------------- profiles of peers


@dataclass(frozen=True)
class _Yardstick:
    """The peers' averages: a new brand is placed against them without moving them."""

    mean: float
    slope: float
    intercept: float
    breadth_cut: int
    tolerance: float

    def profiles(self, score: np.ndarray, breadth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(profile under the mean rule, under the regression rule), as classify_profiles."""
        broad = breadth >= self.breadth_cut
        out = []
        for expected in (np.full(len(score), self.mean), self.intercept + self.slope * breadth):
            above = (score - expected > self.tolerance) & (breadth > 0)
            out.append(
                np.select(
                    [broad & above, broad & ~above, ~broad & above],
                    list(PROFILES[:3]),
                    PROFILES[3],
                )
            )
        return out[0], out[1]


def _yardstick(peers: pd.DataFrame, breadth_cut: int) -> _Yardstick:
    score = peers["score"].to_numpy(dtype="float64")
    breadth = peers["breadth"].to_numpy(dtype="float64")
    if len(peers) < 3 or np.unique(breadth).size < 2:
        raise SchemaError(
            f"peers: the regression rule needs at least 3 peer brands with at least 2 different "
            f"breadths to fit the line of score on breadth; found {len(peers)} brand(s)",
            column="breadth",
        )
    intercept, slope = np.polynomial.polynomial.polyfit(breadth, score, 1)
    return _Yardstick(
        mean=float(score.mean()),
        slope=float(slope),
        intercept=float(intercept),
        breadth_cut=breadth_cut,
        tolerance=1e-9 * max(1.0, float(np.abs(score).max(initial=0.0))),
    )


def _peer_scores(peers: Any, rubric: Rubric) -> tuple[pd.DataFrame, bool]:
    """The peers scored with the rubric, and whether they are the shipped reconstruction."""
    if peers is None:
        from scrm_lab.datasets import load_dataset

        activity = load_dataset(_RECONSTRUCTION, table="channel_activity")
        return score_engagement(activity, rubric=rubric, period=None), True
    if isinstance(peers, str | os.PathLike):
        from scrm_lab.io import read_table

        peers = read_table(Path(peers), kind="channel_activity")
    return score_engagement(peers, rubric=rubric, period=None), False


# --------------------------------------------------------------------------- next steps


def _changes(levels: pd.DataFrame, rubric: Rubric) -> list[dict[str, Any]]:
    """Every single change that adds points: start an absent channel, or raise an attribute
    of a present channel to its top level."""
    out = []
    presence = rubric.presence
    for row in levels.itertuples(index=False):
        channel = row.channel
        spec = rubric.channels[channel]
        if not getattr(row, presence):
            points = rubric.attributes[presence].points
            out.append(
                {"channel": channel, "attribute": presence, "from_level": 0, "to_level": 1,
                 "points_gained": points, "breadth_gained": 1,
                 "change": f"start using {channel} ({spec.label})"}
            )  # fmt: skip
            continue
        for attribute in spec.attributes:
            if attribute == presence:
                continue
            level = int(getattr(row, attribute))
            top = rubric.attributes[attribute].max_level
            rule = rubric.attributes[attribute].from_counts
            counted = rule is not None and getattr(row, f"{attribute}{FROM_COUNTS_SUFFIX}", False)
            needed = f" ({rule._needed(top)})" if counted else ""
            if level < top:
                out.append(
                    {"channel": channel, "attribute": attribute, "from_level": level,
                     "to_level": top, "breadth_gained": 0,
                     "points_gained": rubric.attributes[attribute].points * (top - level),
                     "change": f"raise {attribute} on {channel} from {level} to {top}{needed}"}
                )  # fmt: skip
    return out


_STEP_COLUMNS = ["channel", "attribute", "from_level", "to_level", "points_gained",
                 "new_breadth", "new_score", "new_profile_mean_rule",
                 "new_profile_regression_rule", "change"]  # fmt: skip


def _steps_frame(
    rows: list[dict[str, Any]], dtype: str, extra: Mapping[str, str] | None = None
) -> pd.DataFrame:
    categories = pd.CategoricalDtype(list(PROFILES), ordered=True)
    extra = extra or {}
    frame = pd.DataFrame(rows, columns=[*extra, *_STEP_COLUMNS])
    return frame.astype(
        {"channel": "str", "attribute": "str", "from_level": "int64", "to_level": "int64",
         "points_gained": dtype, "new_breadth": "int64", "new_score": dtype,
         "new_profile_mean_rule": categories, "new_profile_regression_rule": categories,
         "change": "str"} | dict(extra)
    )  # fmt: skip


def _order(rubric: Rubric):
    channels = {c: i for i, c in enumerate(rubric.channels)}
    attributes = {a: i for i, a in enumerate(rubric.attributes)}

    def key(change: Mapping[str, Any]) -> tuple:
        return (
            -change["points_gained"],
            channels[change["channel"]],
            attributes[change["attribute"]],
        )

    return key


def _placed(
    change: Mapping[str, Any], base_score: float, base_breadth: int, stick: _Yardstick
) -> dict[str, Any]:
    new_score = base_score + change["points_gained"]
    new_breadth = base_breadth + change["breadth_gained"]
    by_mean, by_line = stick.profiles(np.array([new_score]), np.array([new_breadth]))
    return {
        **change,
        "new_score": new_score,
        "new_breadth": new_breadth,
        "new_profile_mean_rule": by_mean[0],
        "new_profile_regression_rule": by_line[0],
    }


def _plan_to(
    target: str, levels: pd.DataFrame, score: float, breadth: int, rubric: Rubric, stick: _Yardstick
) -> list[dict[str, Any]]:
    """The fewest changes that make the regression-rule profile ``target`` (see compare_brand)."""
    key = _order(rubric)
    singles = _changes(levels, rubric)
    starts = [c for c in singles if c["breadth_gained"]]
    raised = [c for c in singles if not c["breadth_gained"]]
    fresh = {  # raises on an absent channel once started: every attribute from 0 to its top
        c["channel"]: [
            {
                "channel": c["channel"],
                "attribute": a,
                "from_level": 0,
                "to_level": rubric.attributes[a].max_level,
                "breadth_gained": 0,
                "points_gained": rubric.attributes[a].max_points,
                "change": f"raise {a} on {c['channel']} from 0 to {rubric.attributes[a].max_level}",
            }
            for a in rubric.channels[c["channel"]].attributes
            if a != rubric.presence
        ]  # fmt: skip
        for c in starts
    }
    channel_order = list(rubric.channels)
    starts.sort(  # the channels that can earn the most first
        key=lambda c: (-sum(r["points_gained"] for r in fresh[c["channel"]]),
                       channel_order.index(c["channel"]))
    )  # fmt: skip
    best: list[dict[str, Any]] | None = None
    for width in range(breadth, breadth + len(starts) + 1):
        broad = width >= stick.breadth_cut
        if broad != (target in ("Maven", "Butterfly")):
            continue
        opened = starts[: width - breadth]
        pool = sorted(raised + [r for c in opened for r in fresh[c["channel"]]], key=key)
        chosen: list[dict[str, Any]] = []
        total = score + sum(c["points_gained"] for c in opened)

        def profile(points: float, width: int = width) -> str:
            return stick.profiles(np.array([points]), np.array([width]))[1][0]

        if target != "Butterfly":
            for change in pool:
                if profile(total) == target:
                    break
                chosen.append(change)
                total += change["points_gained"]
        if profile(total) != target:
            continue
        steps = [*opened, *chosen]
        if best is None or len(steps) < len(best):
            best = steps
        if target == "Butterfly":
            break
    return best or []


def _next_steps(
    levels: pd.DataFrame, score: float, breadth: int, rubric: Rubric, stick: _Yardstick, dtype: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    singles = sorted(_changes(levels, rubric), key=_order(rubric))
    single_rows = [_placed(c, score, breadth, stick) for c in singles]
    start = stick.profiles(np.array([score]), np.array([breadth]))[1][0]
    plan_rows: list[dict[str, Any]] = []
    for target in _UP[start]:
        total, width = score, breadth
        for step, change in enumerate(_plan_to(target, levels, score, breadth, rubric, stick)):
            row = _placed(change, total, width, stick)
            plan_rows.append({"target": target, "step": step + 1, **row})
            total, width = row["new_score"], row["new_breadth"]
    return (
        _steps_frame(single_rows, dtype),
        _steps_frame(plan_rows, dtype, extra={"target": "str", "step": "int64"}),
    )


# ------------------------------------------------------------------------------ compare


@checks(
    description=Instance(
        (str, os.PathLike, pd.DataFrame),
        "the path of a YAML or CSV description, or its table (read_brand_description)",
    ),
    rubric=RUBRIC,
    peers=OrNone(Instance((str, os.PathLike, pd.DataFrame), "a channel_activity table or path")),
    breadth_cut=Integer(low=1),
    k=Integer(low=1),
)
def compare_brand(
    description: str | os.PathLike | pd.DataFrame,
    *,
    rubric: str | os.PathLike | Mapping[str, Any] | Rubric = "engagementdb_2009",
    peers: str | os.PathLike | pd.DataFrame | None = None,
    breadth_cut: int = 7,
    k: int = 5,
) -> BrandComparison:
    """Score a brand's channels with a rubric and place it among peer brands.

    Parameters
    ----------
    description : str, path or pandas.DataFrame
        The brand's channels: a YAML or CSV file as :func:`read_brand_description` reads
        it, or the table it returns (checked the same way).
    rubric : str, path, mapping or Rubric, default "engagementdb_2009"
        Anything :func:`load_rubric` accepts; the peers are scored with it too.
    peers : str, path, pandas.DataFrame or None, default None
        The peers' ``channel_activity`` (wide or long, as :func:`score_engagement` takes
        it; a file is read as the canonical ``channel_activity`` table with
        :func:`scrm_lab.io.read_table`). None: the 100 brands of
        the ``engagementdb_2009_reconstruction`` data set, whose channel data are
        **simulated** (the caveat says so). A peer with the brand's own name is left out
        (the description replaces it).
    breadth_cut : int, default 7
        Channels from which a brand counts as broad.
    k : int, default 5
        Nearest peers listed (all peers when there are fewer).

    Returns
    -------
    BrandComparison
        Tables ``placement``, ``channels``, ``nearest``, ``next_steps`` and ``plan``, and the
        ``caveat`` text; see :class:`BrandComparison` for their columns.

    Raises
    ------
    DataFileError, ParameterError
        The description cannot be read or does not fit the rubric
        (see :func:`read_brand_description`).
    SchemaError
        The peers do not fit the rubric (see :func:`score_engagement`), or there are fewer
        than 3 peers or all have the same breadth (no line can be fitted).

    Notes
    -----
    The profiles follow :func:`classify_profiles`, with the average taken over the **peers
    only** (their mean score, or their least squares line of score on breadth), so that the
    brand is measured against the peers' yardstick without moving it: a description that
    copies a peer's channels gets that peer's profile. Rank and percentile compare the score
    with the peers' scores. A brand present on no channel is a Wallflower under both rules:
    the peers' line, extrapolated to 0 channels, may lie below 0 (it does for the shipped
    peers), which would otherwise call a brand with no engagement at all "above average".
    The ``plan`` holds, for each profile that is a step up (better on breadth or on score
    against the line, worse on neither), the fewest changes that reach it: for every
    possible final breadth, start that many absent channels (those that can earn the most
    first), then raise attributes to their top level, largest gains first, until the
    profile is reached; the breadth needing the fewest changes wins (the smaller breadth on
    a tie). Taking the largest gains first gives the fewest raises for a final breadth, so
    the plan is the smallest set of changes when the channels to start are alike (as in the
    shipped rubric, where every channel scores the same attributes).

    Examples
    --------
    >>> from scrm_lab.engagement import EXAMPLE_DESCRIPTION
    >>> result = compare_brand(EXAMPLE_DESCRIPTION, k=3)
    >>> result.nearest["brand"].tolist()
    ["Kellogg's", 'Mercedes-Benz', 'Coca-Cola']
    >>> result.plan.groupby("target", sort=False)["step"].size()
    target
    Selective     6
    Butterfly     1
    Maven        10
    Name: step, dtype: int64
    """
    the_rubric = load_rubric(rubric)
    if isinstance(description, pd.DataFrame):
        levels = description_from_frame(description, the_rubric)
    else:
        levels = read_brand_description(description, rubric=the_rubric)
    brand = str(levels["brand"].iloc[0])
    peer_scores, shipped = _peer_scores(peers, the_rubric)
    peer_scores = peer_scores.loc[peer_scores["brand"] != brand].reset_index(drop=True)
    stick = _yardstick(peer_scores, breadth_cut)
    scored = score_engagement(levels, rubric=the_rubric, period=None).iloc[0]
    score, breadth = scored["score"], int(scored["breadth"])
    dtype = "int64" if the_rubric._integral else "float64"
    peer_score = peer_scores["score"].to_numpy(dtype="float64")
    peer_breadth = peer_scores["breadth"].to_numpy(dtype="float64")
    by_mean, by_line = stick.profiles(np.array([float(score)]), np.array([breadth]))
    categories = pd.CategoricalDtype(list(PROFILES), ordered=True)
    n_peers = len(peer_scores)
    placement = pd.DataFrame(
        {
            "brand": [brand],
            "score": pd.array([score], dtype=dtype),
            "breadth": pd.array([breadth], dtype="int64"),
            "depth": [float(score) / breadth if breadth else 0.0],
            "rank": pd.array([1 + int((peer_score > score).sum())], dtype="int64"),
            "percentile": [
                100.0 * ((peer_score < score).sum() + 0.5 * (peer_score == score).sum()) / n_peers
            ],
            "n_peers": pd.array([n_peers], dtype="int64"),
            "profile_mean_rule": pd.Categorical(by_mean, dtype=categories),
            "profile_regression_rule": pd.Categorical(by_line, dtype=categories),
        }
    )
    points = the_rubric.points_table().groupby("channel", sort=False)["max_points"].sum()
    channels = pd.DataFrame(
        {
            "channel": levels["channel"],
            "label": [the_rubric.channels[c].label for c in levels["channel"]],
            "listed": levels["listed"],
            "present": levels[the_rubric.presence].astype(bool),
            "points": [scored[f"depth_{c}"] for c in levels["channel"]],
            "max_points": points.reindex(levels["channel"]).to_numpy(),
            "levels_from_counts": _from_counts_text(levels, the_rubric),
        }
    ).astype({"points": dtype, "max_points": dtype, "label": "str", "levels_from_counts": "str"})
    peer_mean, peer_profile_line = stick.profiles(peer_score, peer_breadth)
    centre = np.array([peer_breadth.mean(), peer_score.mean()])
    spread = np.array([peer_breadth.std(), peer_score.std()])
    spread[spread == 0] = 1.0
    points_z = (np.column_stack([peer_breadth, peer_score]) - centre) / spread
    brand_z = (np.array([breadth, float(score)]) - centre) / spread
    distance = np.sqrt(((points_z - brand_z) ** 2).sum(axis=1))
    nearest = pd.DataFrame(
        {
            "brand": peer_scores["brand"].astype("str"),
            "score": peer_scores["score"],
            "breadth": peer_scores["breadth"],
            "profile_mean_rule": pd.Categorical(peer_mean, dtype=categories),
            "profile_regression_rule": pd.Categorical(peer_profile_line, dtype=categories),
            "distance": distance,
        }
    )
    nearest = (
        nearest.sort_values(["distance", "brand"], kind="stable").head(k).reset_index(drop=True)
    )
    all_breadth = np.append(peer_breadth, breadth)
    landscape = pd.DataFrame(
        {
            "brand": pd.Series([*peer_scores["brand"], brand], dtype="str"),
            "breadth": all_breadth.astype("int64"),
            "score": pd.array([*peer_scores["score"], score], dtype=dtype),
            "expected_score": stick.intercept + stick.slope * all_breadth,
            "profile": pd.Categorical([*peer_profile_line, by_line[0]], dtype=categories),
            "is_brand": np.arange(n_peers + 1) == n_peers,
        }
    )
    next_steps, plan = _next_steps(levels, score, breadth, the_rubric, stick, dtype)
    caveat = RECONSTRUCTION_CAVEAT if shipped else (
        f"The peers are the {n_peers} brands of the peers table given; their placement is only "
        "as good as their channel data."
    )  # fmt: skip
    caveat += " " + _RUBRIC_CAVEAT.format(name=the_rubric.name)
    return BrandComparison(
        brand=brand,
        placement=placement,
        channels=channels,
        nearest=nearest,
        next_steps=next_steps,
        plan=plan,
        landscape=landscape,
        caveat=caveat,
    )
