"""The four engagement profiles of the 2009 study, and checks against its published facts.

Private to :mod:`scrm_lab.engagement`, which re-exports the public names.

Examples
--------
>>> PROFILES
('Maven', 'Butterfly', 'Selective', 'Wallflower')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from scrm_lab._checks import COLUMN, Choice, Integer, OrNone, checks, current_function
from scrm_lab._checks import show_value as _show_value
from scrm_lab._checks import suggest as _suggest
from scrm_lab._frames import as_lazy, to_pandas
from scrm_lab.datasets import load_dataset
from scrm_lab.exceptions import ParameterError, SchemaError

#: The four engagement profiles of the 2009 study, in their fixed order.
PROFILES: tuple[str, ...] = ("Maven", "Butterfly", "Selective", "Wallflower")
#: Definitions of "above average" known to :func:`classify_profiles`.
PROFILE_RULES: tuple[str, ...] = ("mean", "regression")

# Published study-level facts checked by check_known_facts (PROVENANCE.md of engagementdb_2009).
_TOP_MAVENS = 13
_FIRST_RANK = {"Butterfly": 14, "Selective": 23, "Wallflower": 51}
_SCORE_RANGE = (1, 127)


def _small_frame(data: Any, name: str) -> pd.DataFrame:
    """A small table (scores, profiles, facts) as a new pandas DataFrame."""
    if isinstance(data, pd.DataFrame):
        return data.reset_index(drop=True).copy()
    return to_pandas(as_lazy(data, name))


def _need_columns(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    available = [str(c) for c in frame.columns]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"{name} is missing column(s) {missing}; available columns are {available}."
            f"{_suggest(missing[0], available)} ({current_function()} expects the output of "
            "score_engagement, or column names passed as keywords)",
            column=missing[0],
        )


def _numbers(frame: pd.DataFrame, column: str, name: str) -> pd.Series:
    series = frame[column]
    if not pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        raise SchemaError(
            f"{name}, column {column!r}: found dtype {series.dtype}; expected numbers",
            column=column,
        )
    values = series.astype("float64")
    if values.isna().any():
        row = int(np.flatnonzero(values.isna().to_numpy())[0])
        raise SchemaError(
            f"{name}, column {column!r}: row {row + 1} is missing; expected a number",
            column=column,
            row=row + 1,
        )
    return values


def _periods(frame: pd.DataFrame, period: str | None) -> list[tuple[object, np.ndarray]]:
    """(period value, row positions) per period, or one group when there is no period."""
    if period is None or period not in frame.columns:
        return [(None, np.arange(len(frame)))]
    groups = frame.groupby(period, sort=True, dropna=False, observed=True).indices
    return [(key, positions) for key, positions in groups.items()]


@checks(
    breadth_cut=Integer(low=1),
    rule=Choice(tuple(PROFILE_RULES)),
    score=COLUMN,
    breadth=COLUMN,
    period=OrNone(COLUMN),
)
def classify_profiles(
    scores: Any,
    *,
    breadth_cut: int = 7,
    rule: str = "regression",
    score: str = "score",
    breadth: str = "breadth",
    period: str | None = "period",
) -> pd.DataFrame:
    """Sort brands into Mavens, Butterflies, Selectives and Wallflowers.

    A brand is *broad* when its breadth is at least ``breadth_cut`` channels and *above
    average* when its score is above the expected score: Mavens are broad and above,
    Butterflies broad and below, Selectives narrow and above, Wallflowers narrow and below.

    Parameters
    ----------
    scores : pandas.DataFrame (or any frame narwhals supports)
        One row per brand [x period], e.g. the output of :func:`score_engagement`.
    breadth_cut : int, default 7
        Channels from which a brand counts as broad (the study: 7 or more).
    rule : {"regression", "mean"}, default "regression"
        What "average" means. ``"mean"``: the mean score of all brands. ``"regression"``:
        the ordinary least squares line of score on breadth, fitted on the same brands, so
        a brand is above average when it scores more than brands of the same breadth
        usually do. Only the regression rule can rank the first Selective (23rd) below the
        first Butterfly (14th), as the 2009 study did.
    score, breadth : str
        Column names.
    period : str or None, default "period"
        When the column exists, the mean or the line is computed within each period.

    Returns
    -------
    pandas.DataFrame
        The columns of ``scores`` (a copy), followed by ``expected_score`` (float64: the
        mean, or the line's value at the brand's breadth), ``residual`` (score -
        expected_score), ``above_average`` (bool: residual > 0; a residual within
        1e-9 x the largest absolute score of 0 counts as 0, so that brands exactly on the
        line are not split by rounding noise), ``profile`` (ordered categorical with the
        categories of :data:`PROFILES`) and ``rule`` (str).

    Raises
    ------
    ParameterError
        ``rule`` is not one of :data:`PROFILE_RULES`, or ``breadth_cut`` is not a positive
        integer.
    SchemaError
        A column is missing, not numeric or has missing values; or, for the regression
        rule, a period has fewer than 3 brands or all its brands have the same breadth
        (no line can be fitted).

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({
    ...     "brand": ["A", "B", "C", "D"],
    ...     "breadth": [10, 10, 3, 3],
    ...     "score": [110, 90, 40, 20],
    ... })
    >>> classify_profiles(scores)[["brand", "expected_score", "profile"]]
      brand  expected_score     profile
    0     A           100.0       Maven
    1     B           100.0   Butterfly
    2     C            30.0   Selective
    3     D            30.0  Wallflower
    >>> classify_profiles(scores, rule="mean")["profile"].tolist()
    ['Maven', 'Maven', 'Wallflower', 'Wallflower']
    """
    frame = _small_frame(scores, "scores")
    _need_columns(frame, [score, breadth], "scores")
    values = _numbers(frame, score, "scores").to_numpy()
    widths = _numbers(frame, breadth, "scores").to_numpy()
    expected = np.full(len(frame), np.nan)
    for key, rows in _periods(frame, period):
        where = "" if key is None else f" in period {_show_value(key)}"
        if rule == "mean":
            expected[rows] = values[rows].mean() if len(rows) else np.nan
            continue
        if len(rows) < 3 or np.unique(widths[rows]).size < 2:
            raise SchemaError(
                f"scores{where}: classify_profiles with rule='regression' needs at least 3 "
                "brands with at least 2 different breadths to fit the line of score on "
                f"breadth; found {len(rows)} brand(s), with breadth(s) "
                f"{', '.join(_show_value(w) for w in sorted(set(widths[rows])))} (use rule='mean' "
                "instead)",
                column=breadth,
            )
        slope, intercept = np.polynomial.polynomial.polyfit(widths[rows], values[rows], 1)[::-1]
        expected[rows] = intercept + slope * widths[rows]
    residual = values - expected
    tolerance = 1e-9 * max(1.0, float(np.abs(values).max(initial=0.0)))
    above = residual > tolerance
    broad = widths >= breadth_cut
    profile = np.select(
        [broad & above, broad & ~above, ~broad & above], list(PROFILES[:3]), PROFILES[3]
    )
    return frame.assign(
        expected_score=expected,
        residual=residual,
        above_average=above,
        profile=pd.Categorical(profile, categories=list(PROFILES), ordered=True),
        rule=pd.Series([rule] * len(frame), dtype="str"),
    )


@checks(
    breadth_cut=Integer(low=1),
    brand=COLUMN,
    rank=COLUMN,
    score=COLUMN,
    breadth=COLUMN,
    period=OrNone(COLUMN),
)
def compare_profile_rules(
    scores: Any,
    *,
    breadth_cut: int = 7,
    brand: str = "brand",
    rank: str = "rank",
    score: str = "score",
    breadth: str = "breadth",
    period: str | None = "period",
) -> pd.DataFrame:
    """Each brand's profile under the mean rule and under the regression rule, side by side.

    Parameters
    ----------
    scores : pandas.DataFrame (or any frame narwhals supports)
        One row per brand [x period], e.g. the output of :func:`score_engagement`. Without
        a ``rank`` column, ranks are computed from the score (ties share the lowest rank).
    breadth_cut : int, default 7
        As for :func:`classify_profiles`.
    brand, rank, score, breadth, period : str
        Column names (``period`` is used when the column exists).

    Returns
    -------
    pandas.DataFrame
        One row per input row, in input order, with columns ``brand``, [``period``,]
        ``rank`` (int64), ``breadth``, ``score``, ``profile_mean``, ``profile_regression``
        (ordered categoricals of :data:`PROFILES`) and ``agree`` (bool). Count the
        combinations with :func:`profile_rule_crosstab`.

    Raises
    ------
    ParameterError, SchemaError
        As for :func:`classify_profiles`.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({
    ...     "brand": ["A", "B", "C", "D"],
    ...     "breadth": [10, 10, 3, 3],
    ...     "score": [110, 90, 40, 20],
    ... })
    >>> compare_profile_rules(scores)
      brand  rank  breadth  score profile_mean profile_regression  agree
    0     A     1       10    110        Maven              Maven   True
    1     B     2       10     90        Maven          Butterfly  False
    2     C     3        3     40   Wallflower          Selective  False
    3     D     4        3     20   Wallflower         Wallflower   True
    """
    frame = _small_frame(scores, "scores")
    _need_columns(frame, [brand], "scores")
    kwargs = {"breadth_cut": breadth_cut, "score": score, "breadth": breadth, "period": period}
    by_mean = classify_profiles(frame, rule="mean", **kwargs)
    by_line = classify_profiles(frame, rule="regression", **kwargs)
    use_period = period is not None and period in frame.columns
    if rank in frame.columns:
        ranks = _numbers(frame, rank, "scores").astype("int64")
    else:
        points = frame[score].astype("float64")
        grouped = points.groupby(frame[period]) if use_period else points
        ranks = grouped.rank(method="min", ascending=False).astype("int64")
    out = pd.DataFrame({"brand": frame[brand]})
    if use_period:
        out["period"] = frame[period]
    out["rank"] = ranks.to_numpy()
    out["breadth"] = frame[breadth].to_numpy()
    out["score"] = frame[score].to_numpy()
    out["profile_mean"] = by_mean["profile"].to_numpy()
    out["profile_regression"] = by_line["profile"].to_numpy()
    out["agree"] = (out["profile_mean"] == out["profile_regression"]).to_numpy(dtype=bool)
    return out


@checks(period=OrNone(COLUMN))
def profile_rule_crosstab(
    comparison: pd.DataFrame, *, period: str | None = "period"
) -> pd.DataFrame:
    """How many brands each pair of profiles (mean rule x regression rule) holds.

    Parameters
    ----------
    comparison : pandas.DataFrame
        The output of :func:`compare_profile_rules`.
    period : str or None, default "period"
        When the column exists, the counts are given per period.

    Returns
    -------
    pandas.DataFrame
        Columns [``period``,] ``profile_mean``, ``profile_regression`` (ordered
        categoricals) and ``brands`` (int64): all 16 pairs of profiles (per period), zeros
        included, in :data:`PROFILES` order.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({
    ...     "brand": ["A", "B", "C", "D"],
    ...     "breadth": [10, 10, 3, 3],
    ...     "score": [110, 90, 40, 20],
    ... })
    >>> table = profile_rule_crosstab(compare_profile_rules(scores))
    >>> table[table["brands"] > 0]
      profile_mean profile_regression  brands
    0        Maven              Maven       1
    1        Maven          Butterfly       1
    14  Wallflower          Selective       1
    15  Wallflower         Wallflower       1
    """
    frame = _small_frame(comparison, "comparison")
    columns = ["profile_mean", "profile_regression"]
    _need_columns(frame, columns, "comparison")
    for column in columns:
        frame[column] = pd.Categorical(frame[column], categories=list(PROFILES), ordered=True)
    keys = ([period] if period is not None and period in frame.columns else []) + columns
    counts = frame.groupby(keys, observed=False, sort=True).size()
    return counts.rename("brands").astype("int64").reset_index()


def _facts_frame(facts: Any) -> pd.DataFrame:
    if facts is None:
        return load_dataset("engagementdb_2009")
    frame = _small_frame(facts, "facts")
    _need_columns(frame, ["brand", "profile"], "facts")
    return frame


def _value_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return "missing"
    return _show_value(value)


@checks(brand=COLUMN, rank=COLUMN, score=COLUMN, breadth=COLUMN, profile=COLUMN)
def check_known_facts(
    profiles: Any,
    facts: Any = None,
    *,
    brand: str = "brand",
    rank: str = "rank",
    score: str = "score",
    breadth: str = "breadth",
    profile: str = "profile",
) -> pd.DataFrame:
    """Check a reproduction of the 2009 study against every published fact.

    Parameters
    ----------
    profiles : pandas.DataFrame (or any frame narwhals supports)
        One row per brand with its rank, score, breadth and profile, e.g. the output of
        :func:`classify_profiles` on one period's scores. Brands are matched by name,
        so use the Interbrand 2008 names of the facts table (``"Yahoo!"``, ``"H&M"``).
    facts : pandas.DataFrame, optional
        Brand-level facts with columns ``brand`` and ``profile``, and optionally ``rank``,
        ``score`` and ``channels`` (missing where unknown). Defaults to
        ``load_dataset("engagementdb_2009")``.
    brand, rank, score, breadth, profile : str
        Column names in ``profiles``.

    Returns
    -------
    pandas.DataFrame
        One row per check, with columns ``check`` (str), ``expected`` (str), ``observed``
        (str; ``"not scored"`` for a brand missing from ``profiles``) and ``passed``
        (bool). The checks, in order: for every fact row, its score, rank and channels
        (breadth) where given, and its profile; then the study-level facts: ranks 1-13 are
        all Mavens, the first Butterfly is ranked 14th, the first Selective 23rd, the first
        Wallflower 51st, the highest score is 127 and the lowest 1.

    Raises
    ------
    SchemaError
        A column is missing, or a brand appears twice in ``profiles``.
    ParameterError
        ``profiles`` holds more than one period.

    Examples
    --------
    >>> import pandas as pd
    >>> profiles = pd.DataFrame({
    ...     "brand": ["Starbucks", "Dell"], "rank": [1, 2], "score": [127, 123],
    ...     "breadth": [11, 10], "profile": ["Maven", "Maven"],
    ... })
    >>> checks = check_known_facts(profiles)
    >>> checks.head(4)
                         check expected observed  passed
    0       score of Starbucks      127      127    True
    1        rank of Starbucks        1        1    True
    2    channels of Starbucks       11       11    True
    3     profile of Starbucks    Maven    Maven    True
    >>> checks.loc[checks["check"] == "profile of Oracle", "observed"].item()
    'not scored'
    """
    frame = _small_frame(profiles, "profiles")
    _need_columns(frame, [brand, rank, score, breadth, profile], "profiles")
    if "period" in frame.columns and frame["period"].nunique(dropna=False) > 1:
        raise ParameterError(
            "The 'profiles' parameter of check_known_facts must hold one period (the study "
            f"is one snapshot). Got {frame['period'].nunique(dropna=False)} periods instead; "
            "filter to one period first."
        )
    repeated = frame[brand][frame[brand].duplicated()]
    if len(repeated):
        raise SchemaError(
            f"profiles, column {brand!r}: brand {repeated.iloc[0]!r} appears more than once; "
            "expected one row per brand",
            column=brand,
        )
    known = _facts_frame(facts)
    by_brand = frame.set_index(brand)
    rows: list[tuple[str, str, str, bool]] = []

    def add(check: str, expected: object, observed: object) -> None:
        wanted, seen = _value_text(expected), _value_text(observed)
        rows.append((check, wanted, seen, wanted == seen))

    for fact in known.itertuples(index=False):
        name = fact.brand
        found = by_brand.loc[name] if name in by_brand.index else None
        for label, fact_column, column in (
            ("score", "score", score),
            ("rank", "rank", rank),
            ("channels", "channels", breadth),
            ("profile", "profile", profile),
        ):
            expected = getattr(fact, fact_column, None)
            if expected is None or (label != "profile" and pd.isna(expected)):
                continue
            if found is None:
                rows.append((f"{label} of {name}", _value_text(expected), "not scored", False))
            else:
                add(f"{label} of {name}", expected, found[column])
    ranks = frame[rank].astype("float64")
    kinds = frame[profile].astype("str")
    top = kinds[ranks <= _TOP_MAVENS]
    counts = top.value_counts()
    observed = (
        f"all Maven ({len(top)} brands)"
        if len(top) and (top == "Maven").all()
        else ", ".join(f"{k} x{n}" for k, n in counts.items()) or "no brands"
    )
    rows.append(
        (
            f"ranks 1-{_TOP_MAVENS} are all Mavens",
            f"all Maven ({_TOP_MAVENS} brands)",
            observed,
            bool(len(top)) and bool((top == "Maven").all()),
        )
    )
    for kind, first in _FIRST_RANK.items():
        of_kind = ranks[kinds == kind]
        add(f"first {kind} at rank {first}", first, of_kind.min() if len(of_kind) else None)
    points = frame[score].astype("float64")
    add(f"highest score is {_SCORE_RANGE[1]}", _SCORE_RANGE[1], points.max())
    add(f"lowest score is {_SCORE_RANGE[0]}", _SCORE_RANGE[0], points.min())
    table = pd.DataFrame(rows, columns=["check", "expected", "observed", "passed"])
    return table.astype({"check": "str", "expected": "str", "observed": "str", "passed": "bool"})
