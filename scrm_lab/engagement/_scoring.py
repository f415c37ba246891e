"""Scoring engagement with a rubric: breadth, depth per channel and the score per brand.

:func:`score_engagement` applies a :class:`~scrm_lab.engagement.Rubric` to a long event table
(one row per brand x channel [x period] x attribute) or to a wide ``channel_activity`` table
(one row per brand x channel [x period], one column per attribute). The aggregation is written
with narwhals, so it runs unchanged on a pandas DataFrame and on a DuckDB relation over a
Parquet file larger than memory; only the per-brand result is pandas.

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> activity = load_dataset("engagementdb_2009_reconstruction", table="channel_activity")
>>> int(score_engagement(activity)["score"].max())
127
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import narwhals as nw
import pandas as pd

from scrm_lab._checks import COLUMN, Instance, OrNone, checks
from scrm_lab._checks import show_value as _show_value
from scrm_lab._checks import suggest as _suggest
from scrm_lab._frames import as_lazy, to_pandas
from scrm_lab.engagement._rubric import (
    Rubric,
    load_rubric,
)
from scrm_lab.exceptions import ParameterError, SchemaError, ScrmLabError

__all__ = ["score_engagement"]


# -------------------------------------------------------------------------------- scoring

_ROWS, _DEPTH, _PRESENT, _BAD = "__scrm_rows", "__scrm_depth", "__scrm_present", "__scrm_bad"
_VALUE = "__scrm_value"
_ROLE = {
    "brand": "a brand",
    "channel": "a channel",
    "period": "a period",
    "attribute": "an attribute",
}


@dataclass(frozen=True)
class _Plan:
    """What score_engagement found out about its input before computing anything."""

    rubric: Rubric
    form: str  # "long" or "wide"
    brand: str
    channel: str
    period: str | None
    attribute: str
    value: str
    levels: dict[str, str] = field(default_factory=dict)  # attribute -> temporary column
    fractional: bool = False  # float levels: check that they are whole numbers
    narrow: bool = False  # whole levels and points, small totals: float32 sums are exact

    @property
    def keys(self) -> list[str]:
        return [self.brand] + ([self.period] if self.period else [])

    @property
    def table(self) -> str | None:
        return "channel_activity" if self.form == "wide" else None

    @property
    def grain(self) -> str:
        period = " x period" if self.period else ""
        attribute = " x attribute" if self.form == "long" else ""
        return f"brand x channel{period}{attribute}"

    def error(self, message: str, column: str | None = None) -> SchemaError:
        where = f"data, column {column!r}: " if column else "data: "
        return SchemaError(where + message, table=self.table, column=column)


def _is_text(dtype: Any) -> bool:
    return dtype == nw.String or dtype == nw.Categorical or dtype == nw.Enum


def _make_plan(
    lazy: nw.LazyFrame,
    rubric: Rubric,
    *,
    brand: object,
    channel: object,
    period: object,
    attribute: object,
    value: object,
) -> _Plan:
    schema = lazy.collect_schema()
    columns = list(schema.names())
    use_period = period is not None and period in columns
    form = "long" if attribute in columns else "wide"
    used = rubric._used
    if form == "long":
        required = [brand, channel, attribute, value]
    else:
        required = [brand, channel, *used]
    if period is not None and period != "period" and not use_period:
        required.append(period)  # a period column named explicitly must exist
    missing = [c for c in required if c not in columns]
    if missing:
        hint = (
            f"a long table needs columns {brand!r}, {channel!r}, [{period!r},] {attribute!r} "
            f"and {value!r}; a wide table needs {brand!r}, {channel!r}, [{period!r},] and "
            f"one column per attribute of rubric {rubric.name!r}: {list(used)}"
        )
        raise SchemaError(
            f"data is missing column(s) {missing}; available columns are {columns}."
            f"{_suggest(missing[0], columns)} ({hint})",
            table="channel_activity" if form == "wide" else None,
            column=missing[0],
        )
    numeric = [value] if form == "long" else list(used)
    text = [channel, attribute] if form == "long" else [channel]
    for column in numeric:
        dtype = schema[column]
        if not (dtype.is_numeric() or dtype == nw.Boolean):
            raise SchemaError(
                f"data, column {column!r}: found dtype {dtype}; expected numbers (attribute "
                "levels) or booleans",
                column=column,
            )
    for column in text:
        if not _is_text(schema[column]):
            raise SchemaError(
                f"data, column {column!r}: found dtype {schema[column]}; expected names "
                "(strings or categories)",
                column=column,
            )
    clash = {"breadth", "score", "rank", *(f"depth_{c}" for c in rubric.channels)}
    clash &= {brand, period if use_period else None}
    if clash:
        raise ParameterError(
            f"The key column {sorted(clash)[0]!r} of score_engagement has the name of an "
            "output column; rename it first"
        )
    fractional = any(schema[c].is_float() for c in numeric)
    return _Plan(
        rubric=rubric,
        form=form,
        brand=brand,
        channel=channel,
        period=period if use_period else None,
        attribute=attribute,
        value=value,
        levels={a: f"__scrm_level_{i}" for i, a in enumerate(used)},
        fractional=fractional,
        narrow=not fractional and rubric._integral and rubric.max_score < 2**20,
    )


def _selected(lazy: nw.LazyFrame, plan: _Plan) -> nw.LazyFrame:
    """The columns scoring needs, booleans turned into 0/1 levels.

    On pandas, which runs each expression eagerly, channel and attribute names held as text
    become categories first: every later comparison with a name then compares small integer
    codes instead of millions of strings. A lazy engine (DuckDB) optimizes this itself.
    """
    schema = lazy.collect_schema()
    numeric = [plan.value] if plan.form == "long" else list(plan.levels)
    levels = [nw.col(c).cast(nw.Int64) if schema[c] == nw.Boolean else nw.col(c) for c in numeric]
    names = [plan.channel, *([plan.attribute] if plan.form == "long" else [])]
    if lazy.implementation.is_pandas_like():
        names = [
            nw.col(c).cast(nw.Categorical) if schema[c] == nw.String else nw.col(c) for c in names
        ]
    return lazy.select(*plan.keys, *names, *levels)


def _by_channel(frame: nw.LazyFrame, plan: _Plan) -> nw.LazyFrame:
    """Stage 1: one row per brand x channel [x period], one column per attribute level.

    A level column is missing (null) when the attribute has no row (long) or an empty cell
    (wide); ``_ROWS`` counts the input rows, so that repeated rows can be found. A level is
    the largest value found, which is the value itself when the rows are not repeated.
    """
    keys = [*plan.keys, plan.channel]
    levels = list(plan.levels.values())
    if plan.form == "wide":
        spread = frame.select(
            *keys, *(_narrow(nw.col(a), plan).alias(t) for a, t in plan.levels.items())
        )
    else:
        is_attribute, value = nw.col(plan.attribute), nw.col(_VALUE)
        spread = frame.with_columns(_narrow(nw.col(plan.value), plan).alias(_VALUE))
        spread = spread.with_columns(
            nw.when(is_attribute == a).then(value).alias(t) for a, t in plan.levels.items()
        )
    return spread.group_by(*keys).agg(nw.len().alias(_ROWS), nw.col(*levels).max())


def _narrow(expr: nw.Expr, plan: _Plan) -> nw.Expr:
    """Levels as float32 when that is exact: half the memory traffic of float64 on pandas.

    Whole levels (integer or boolean input) and whole points keep every sum a small whole
    number, which float32 holds exactly; a level too large for float32 is still above
    ``max_level`` after rounding, so the checks do not change.
    """
    return expr.cast(nw.Float32) if plan.narrow else expr


def _any(conditions: list[nw.Expr]) -> nw.Expr:
    result = conditions[0]
    for condition in conditions[1:]:
        result = result | condition
    return result


def _presence_problem(plan: _Plan) -> nw.Expr:
    """Presence level 0 (or no presence row) while another attribute has a level above 0."""
    presence = plan.rubric.presence
    others = [nw.col(t) > 0 for a, t in plan.levels.items() if a != presence]
    if not others:
        return nw.lit(False)
    return (nw.col(plan.levels[presence]).fill_null(0) == 0) & _any(others)


def _problems(plan: _Plan) -> nw.Expr:
    """True for a stage-1 row that breaks any rule; the diagnosis then says which.

    Missing levels (null) compare as unknown, and unknown counts as no problem: each rule
    that a missing value can break is written to be true (not unknown) when broken.
    """
    rubric = plan.rubric
    if plan.form == "long":  # every row is one known attribute with a level, once
        small = nw.Int8 if len(plan.levels) < 100 else nw.Int64
        missing = nw.sum_horizontal(
            *(nw.col(t).is_null().cast(small) for t in plan.levels.values())
        )
        conditions = [nw.col(_ROWS) + missing != len(plan.levels)]
    else:
        conditions = [nw.col(_ROWS) != 1]
    channel = nw.col(plan.channel)
    conditions.append(channel.is_null() | ~channel.is_in(list(rubric.channels)))
    for name, column in plan.levels.items():
        level = nw.col(column)
        conditions.append((level < 0) | (level > rubric.attributes[name].max_level))
        if plan.fractional:
            conditions.append((level % 1).fill_null(0) != 0)
    for name, spec in rubric.channels.items():
        foreign = [plan.levels[a] for a in plan.levels if a not in spec.attributes]
        if foreign:
            if plan.form == "long":
                scored = [~nw.col(t).is_null() for t in foreign]
            else:
                scored = [nw.col(t).fill_null(0) != 0 for t in foreign]
            conditions.append((channel == name) & _any(scored))
    conditions.append(_presence_problem(plan))
    return _any(conditions).fill_null(False)


@checks(
    rubric=Instance(
        (str, os.PathLike, Mapping, Rubric),
        "a shipped rubric name, a path to a YAML file, a mapping or a Rubric",
    ),
    brand=COLUMN,
    channel=COLUMN,
    period=OrNone(COLUMN),
    attribute=COLUMN,
    value=COLUMN,
)
def score_engagement(
    data: Any,
    *,
    rubric: str | os.PathLike | Mapping[str, Any] | Rubric = "engagementdb_2009",
    brand: str = "brand",
    channel: str = "channel",
    period: str | None = "period",
    attribute: str = "attribute",
    value: str = "value",
) -> pd.DataFrame:
    """Score brands' engagement with a rubric: breadth, depth per channel, score and rank.

    Parameters
    ----------
    data : pandas.DataFrame, DuckDB relation, or any frame narwhals supports
        Either **long**, one row per brand x channel [x period] x attribute with the
        attribute's level in ``value`` (the raw event-table shape; detected by the
        ``attribute`` column), or **wide**, the canonical ``channel_activity`` table: one
        row per brand x channel [x period], with one numeric or boolean column per rubric
        attribute (``present``, ``freshness``...). Other columns are ignored. Levels are
        whole numbers from 0 to the attribute's ``max_level``; booleans count as 0/1. An
        attribute without a row (long) or with an empty cell (wide) has level 0. A DuckDB
        relation is scanned lazily: the aggregation runs inside DuckDB in one query.
    rubric : str, path, mapping or Rubric, default "engagementdb_2009"
        Anything :func:`load_rubric` accepts.
    brand, channel, attribute, value : str
        Column names.
    period : str or None, default "period"
        Column of the period: one row per brand x period. Without that column (or with
        ``period=None``) there is one row per brand; a name other than the default must
        be a column of the data.

    Returns
    -------
    pandas.DataFrame
        One row per brand [x period] found in the data, sorted by [period,] rank and brand,
        with columns, in order:

        - ``brand`` (str) and ``period`` (when used; dates as datetime64[ns]);
        - ``breadth`` (int64): channels where the presence attribute's level is above 0;
        - ``depth_<channel>`` for every rubric channel, in rubric order: the sum over the
          channel's attributes of level x points (0 where the brand has no rows);
        - ``score``: the sum of the depths;
        - ``rank`` (int64): 1 for the highest score (within the period); tied brands share
          the lowest rank and the next rank is skipped (two brands 10th, the next 12th).

        Depths and score are int64 when every attribute's points are whole numbers,
        float64 otherwise; the dtypes are the same for every backend.

    Raises
    ------
    SchemaError
        The data does not fit the rubric; the message names the column and the brand,
        channel, [period,] attribute and value at fault (for a DuckDB input, the first
        offending row found). Refused: a missing column (the available ones are listed),
        a non-numeric level column, a missing brand, channel, period or attribute, a
        channel not in the rubric, an attribute not scored on that channel, a missing level
        in a long table, a repeated brand x channel [x period] [x attribute], a level below
        0, above ``max_level`` or not whole, and levels on a channel whose presence level
        is 0.
    ParameterError
        A column name is not a string, or the rubric is invalid (see :func:`load_rubric`).

    Notes
    -----
    The data is read once. Stage 1 groups it by brand x channel [x period] (each
    attribute's level, and the row count); stage 2 sums those rows per brand [x period],
    together with a flag per row that is set when any rule is broken. The checks are thus
    expressions on the stage-1 table (a fifth of the rows of a long input with five
    attributes), not a pass over the rows in Python; only when a flag is set do further
    queries look for the offending row to name it. On pandas, channel and attribute names
    held as text are first turned into categories, and whole levels are summed as float32
    (exact for whole numbers); both cut the memory traffic of an eager backend. With
    fractional points the totals are floating-point sums, which may differ in the last
    digits between backends.

    Examples
    --------
    >>> import pandas as pd
    >>> rubric = {
    ...     "name": "mini", "version": 1, "presence": "present", "score": "sum",
    ...     "attributes": {"present": {"points": 1, "max_level": 1},
    ...                    "freshness": {"points": 2, "max_level": 3}},
    ...     "channels": {"blogs": {"attributes": ["present", "freshness"]},
    ...                  "twitter": {"attributes": ["present", "freshness"]}},
    ... }
    >>> activity = pd.DataFrame({
    ...     "brand": ["Dell", "Dell", "Intel", "Intel"],
    ...     "channel": ["blogs", "twitter", "blogs", "twitter"],
    ...     "present": [True, True, True, False],
    ...     "freshness": [3, 1, 2, 0],
    ... })
    >>> score_engagement(activity, rubric=rubric)
       brand  breadth  depth_blogs  depth_twitter  score  rank
    0   Dell        2            7              3     10     1
    1  Intel        1            5              0      5     2
    """
    the_rubric = load_rubric(rubric)
    lazy = as_lazy(data, "data")
    plan = _make_plan(
        lazy,
        the_rubric,
        brand=brand,
        channel=channel,
        period=period,
        attribute=attribute,
        value=value,
    )
    frame = _selected(lazy, plan)
    stage1 = _by_channel(frame, plan)
    points = {a: the_rubric.attributes[a].points for a in plan.levels}
    number = nw.Float32 if plan.narrow else nw.Float64  # summed columns: float, as in SQL
    depth = nw.sum_horizontal(
        *(nw.col(t) if points[a] == 1 else nw.col(t) * points[a] for a, t in plan.levels.items())
    ).cast(number)
    present = nw.col(plan.levels[the_rubric.presence]).fill_null(0) > 0
    stage1 = stage1.with_columns(
        depth.alias(_DEPTH),
        present.cast(number).alias(_PRESENT),
        _problems(plan).cast(number).alias(_BAD),
    )
    depth_columns = [f"depth_{c}" for c in the_rubric.channels]
    zero = nw.lit(0.0, dtype=number)
    stage1 = stage1.with_columns(
        nw.when(nw.col(plan.channel) == c).then(nw.col(_DEPTH)).otherwise(zero).alias(name)
        for c, name in zip(the_rubric.channels, depth_columns, strict=True)
    )
    totals = stage1.group_by(*plan.keys).agg(nw.col(_PRESENT, *depth_columns, _BAD).sum())
    rank = nw.col("score").rank("min", descending=True)
    ranked = (
        totals.with_columns(
            nw.col(plan.brand).cast(nw.String), score=nw.sum_horizontal(*depth_columns)
        )
        .with_columns(rank=rank.over(plan.period) if plan.period else rank)
        .sort(*([plan.period] if plan.period else []), "rank", plan.brand)
    )
    result = to_pandas(ranked)
    missing_key = any(result[k].isna().any() for k in plan.keys)
    if missing_key or result[_BAD].sum() > 0:
        _diagnose(frame, plan)
    dtype = "int64" if the_rubric._integral else "float64"
    out = pd.DataFrame({plan.brand: result[plan.brand].astype("str")})
    if plan.period:
        out[plan.period] = _tidy_period(result[plan.period])
    out["breadth"] = result[_PRESENT].astype("int64")
    for name in [*depth_columns, "score"]:
        out[name] = result[name].astype(dtype)
    out["rank"] = result["rank"].astype("int64")
    return out


def _tidy_period(series: pd.Series) -> pd.Series:
    """The same period dtype whatever the backend returned.

    Dates become datetime64[ns], instants datetime64[ns, UTC], integers int64, text str.
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(series.cat.categories.dtype)
    if series.dtype == object and pd.api.types.infer_dtype(series) == "date":
        series = pd.to_datetime(series)
    if isinstance(series.dtype, pd.DatetimeTZDtype):  # instants, in UTC as canonical tables
        return series.dt.tz_convert("UTC").dt.as_unit("ns")
    if pd.api.types.is_datetime64_dtype(series.dtype):
        return series.astype("datetime64[ns]")
    if pd.api.types.is_integer_dtype(series.dtype):
        return series.astype("int64")
    if pd.api.types.is_string_dtype(series.dtype):
        return series.astype("str")
    return series


# ---------------------------------------------------------------------------- diagnosis


def _where(row: pd.Series, plan: _Plan, attribute: str | None = None) -> str:
    parts = [f"brand {_show_value(row[plan.brand])}", f"channel {_show_value(row[plan.channel])}"]
    if plan.period:
        parts.append(f"period {_show_value(row[plan.period])}")
    if attribute is not None:
        parts.append(f"attribute {attribute!r}")
    return ", ".join(parts)


def _first(frame: nw.LazyFrame) -> pd.Series | None:
    found = to_pandas(frame.head(1))
    return found.iloc[0] if len(found) else None


def _diagnose(frame: nw.LazyFrame, plan: _Plan) -> None:
    """Find the first rule the data breaks and raise a SchemaError that names it."""
    rubric = plan.rubric
    keys = [*plan.keys, plan.channel, *([plan.attribute] if plan.form == "long" else [])]
    nulls = to_pandas(frame.select(nw.col(k).null_count() for k in keys)).iloc[0]
    for key in keys:
        if nulls[key]:
            role = next(r for r in _ROLE if getattr(plan, r) == key)
            raise plan.error(
                f"{int(nulls[key])} row(s) have no value; expected every row to name {_ROLE[role]}",
                key,
            )
    channels = to_pandas(frame.select(nw.col(plan.channel).cast(nw.String)).unique())
    unknown = sorted(set(channels[plan.channel]) - set(rubric.channels))
    if unknown:
        raise plan.error(
            f"{unknown[0]!r} is not a channel of rubric {rubric.name!r}; its channels are "
            f"{list(rubric.channels)}.{_suggest(unknown[0], list(rubric.channels))}",
            plan.channel,
        )
    level_column = plan.value if plan.form == "long" else None
    if plan.form == "long":
        pairs = to_pandas(
            frame.select(
                nw.col(plan.channel).cast(nw.String), nw.col(plan.attribute).cast(nw.String)
            ).unique()
        )
        for name, spec in rubric.channels.items():
            found = sorted(pairs.loc[pairs[plan.channel] == name, plan.attribute])
            for attribute in found:
                if attribute in spec.attributes:
                    continue
                what = (
                    f"is not scored on channel {name!r} in rubric {rubric.name!r}"
                    if attribute in rubric.attributes
                    else f"(on channel {name!r}) is not an attribute of rubric {rubric.name!r}"
                )
                raise plan.error(
                    f"attribute {attribute!r} {what}; the attributes of channel {name!r} are "
                    f"{list(spec.attributes)}.{_suggest(attribute, spec.attributes)}",
                    plan.attribute,
                )
        row = _first(frame.filter(nw.col(plan.value).is_null()))
        if row is not None:
            maximum = rubric.attributes[row[plan.attribute]].max_level
            raise plan.error(
                f"{_where(row, plan, row[plan.attribute])} has no level (a missing value); "
                f"expected a number from 0 to {maximum} (drop the row if the attribute was "
                "not observed)",
                plan.value,
            )
    else:
        for name, spec in rubric.channels.items():
            for attribute in (a for a in plan.levels if a not in spec.attributes):
                row = _first(
                    frame.filter(
                        (nw.col(plan.channel) == name) & (nw.col(attribute).fill_null(0) != 0)
                    )
                )
                if row is not None:
                    raise plan.error(
                        f"{_where(row, plan)} has level {_show_value(row[attribute])}, but rubric "
                        f"{rubric.name!r} does not score {attribute!r} on channel {name!r}; "
                        "expected 0 or missing",
                        attribute,
                    )
    repeated = frame.group_by(*keys).agg(nw.len().alias(_ROWS)).filter(nw.col(_ROWS) > 1)
    row = _first(repeated)
    if row is not None:
        attribute = row[plan.attribute] if plan.form == "long" else None
        raise plan.error(
            f"{_where(row, plan, attribute)} appears in {int(row[_ROWS])} rows; expected one "
            f"row per {plan.grain}"
        )
    for name in plan.levels:
        maximum = rubric.attributes[name].max_level
        level = nw.col(level_column or name)
        bad = (level < 0) | (level > maximum)
        if plan.fractional:
            bad = bad | ((level % 1).fill_null(0) != 0)
        if plan.form == "long":
            bad = (nw.col(plan.attribute) == name) & bad
        row = _first(frame.filter(bad))
        if row is not None:
            raise plan.error(
                f"{_where(row, plan, name if plan.form == 'long' else None)} has level "
                f"{_show_value(row[level_column or name])}; expected a whole number from 0 to "
                f"{maximum} (max_level of {name!r} in rubric {rubric.name!r})",
                level_column or name,
            )
    stage1 = _by_channel(frame, plan)
    row = _first(stage1.filter(_presence_problem(plan)))
    if row is not None:
        presence = rubric.presence
        scored = ", ".join(
            f"{a}={_show_value(row[t])}"
            for a, t in plan.levels.items()
            if a != presence and pd.notna(row[t]) and row[t] != 0
        )
        raise plan.error(
            f"{_where(row, plan)} has presence level 0 (attribute {presence!r}) but {scored}; "
            f"a brand earns points only on channels where it is present (set {presence!r} "
            "above 0 or the other levels to 0)",
            plan.value if plan.form == "long" else presence,
        )
    raise ScrmLabError(  # pragma: no cover - every flag above has a diagnosis
        "score_engagement flagged the data as invalid but found no offending row; "
        "please report this as a bug"
    )
