"""The sales funnel: sessions through page types to purchase, stage by stage.

Web-analytics session tables count the pages a session viewed of each type but do not say
in which order, so a stage here is a condition a session meets ("viewed a product page"),
not a step in a click path. The funnel is *closed*: a session counts at a stage only if it
met every earlier stage too, so each stage is a subset of the one before and the
stage-to-stage rates multiply to the overall rate. Sessions that meet a stage's own
condition while skipping an earlier one are counted apart (``met`` and ``skipped``), so a
funnel that is not a real path shows it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import pandas as pd

from scrm_lab._checks import ALPHA, Instance, Many, OrNone, brief, checks, refuse
from scrm_lab._checks import require_columns as _require
from scrm_lab.metrics._web import (
    _BY,
    PROPORTION_COLUMNS,
    bad_data,
    dtype_of,
    group_counts,
    proportion_table,
    sessions_frame,
)


@dataclass(frozen=True)
class FunnelStage:
    """One stage: the sum of ``columns`` must reach ``at_least`` (no columns: every session).

    A true/false column counts as 1 when true, so ``FunnelStage("purchased",
    ("purchased",))`` is met by sessions that bought.
    """

    name: str
    columns: tuple[str, ...] = ()
    at_least: float = 1


_PAGES = ("administrative_pages", "informational_pages", "product_pages")

#: The default funnel of a ``sessions`` table: entry, product pages, more than one page
#: (not a bounce), account pages (sign-in, basket, checkout live there), purchase.
DEFAULT_STAGES = (
    FunnelStage("visited"),
    FunnelStage("viewed a product page", ("product_pages",)),
    FunnelStage("viewed 2+ pages", _PAGES, 2),
    FunnelStage("viewed an account page", ("administrative_pages",)),
    FunnelStage("purchased", ("purchased",)),
)

_STAGE = Instance((FunnelStage, Mapping), "a FunnelStage or a mapping {name, columns, at_least}")


def _stage(value: FunnelStage | Mapping, number: int) -> FunnelStage:
    if isinstance(value, FunnelStage):
        return value

    def bad(expected: str, found: object) -> Exception:
        return refuse("stages", expected, found, described=f"{brief(found)} in stage {number}")

    unknown = sorted(set(value) - {"name", "columns", "at_least"}, key=str)
    if unknown:
        raise bad("stages with only the keys 'name', 'columns' and 'at_least'", unknown[0])
    name = value.get("name")
    if not isinstance(name, str) or not name:
        raise bad("stages with a name (a non-empty string)", name)
    columns = value.get("columns", ())
    columns = (columns,) if isinstance(columns, str) else columns
    if not isinstance(columns, list | tuple) or not all(isinstance(c, str) and c for c in columns):
        raise bad("stages whose columns are column names", columns)
    at_least = value.get("at_least", 1)
    if isinstance(at_least, bool) or not isinstance(at_least, int | float):
        raise bad("stages whose at_least is a number", at_least)
    return FunnelStage(name, tuple(columns), at_least)


def _met(lazy: nw.LazyFrame, stage: FunnelStage) -> nw.Expr:
    """Whether each session meets the stage's own condition (missing counts as not met)."""
    if not stage.columns:
        return nw.lit(value=True)
    schema = lazy.collect_schema()
    for column in stage.columns:
        if not (schema[column].is_numeric() or schema[column] == nw.Boolean):
            raise bad_data(
                f"stage {stage.name!r}: column '{column}' has dtype {dtype_of(lazy, column)}; "
                "expected counts or true/false values",
                column,
            )
    pages = [nw.col(column).cast(nw.Float64).fill_null(0) for column in stage.columns]
    return nw.sum_horizontal(*pages) >= stage.at_least


@checks(stages=OrNone(Many(_STAGE, "a non-empty list of funnel stages")), by=_BY, alpha=ALPHA)
def sales_funnel(
    sessions: Any,
    *,
    stages: Sequence[FunnelStage | Mapping] | None = None,
    by: str | Sequence[str] | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Sessions at each funnel stage, the stage-to-stage conversion and the share of entries.

    Parameters
    ----------
    sessions : pandas.DataFrame, DuckDB relation or PySpark DataFrame
        A canonical ``sessions`` table (page counts per type and ``purchased``); the
        sessions of each group at each stage are counted on its backend.
    stages : sequence of FunnelStage or mappings, optional
        The stages in order, each ``{"name": ..., "columns": [...], "at_least": 1}``;
        :data:`DEFAULT_STAGES` when not given. The first stage is the funnel's entry.
    by : str or sequence of str, optional
        Group columns (``"visitor_type"``, ``"month"``): one funnel per group.
    alpha : float, default 0.05
        One minus the confidence level of the Wilson intervals.

    Returns
    -------
    pandas.DataFrame
        Two rows per stage (and group): ``metric`` ``"funnel_step"`` (sessions at the stage /
        sessions at the previous stage; for the first stage, / all sessions) and
        ``"funnel_from_start"`` (sessions at the stage / sessions at the first stage).
        Columns: the ``by`` columns, ``stage_number`` (1 = entry), ``stage``, ``metric``,
        ``count``, ``n``, ``estimate``, ``ci_low``, ``ci_high``, ``denominator``,
        ``definition``, ``met`` (sessions meeting the stage's own condition, earlier stages
        or not) and ``skipped`` (``met - count``: those that skipped an earlier stage).

    Examples
    --------
    >>> import scrm_lab
    >>> sessions = scrm_lab.load_dataset("online_shoppers_intention")
    >>> funnel = sales_funnel(sessions)
    >>> step = funnel[funnel["metric"] == "funnel_step"]
    >>> step[["stage", "count"]].to_dict("list")["count"]
    [12330, 12292, 11715, 6537, 1388]
    """
    chosen = [_stage(s, i) for i, s in enumerate(stages or DEFAULT_STAGES, start=1)]
    names = [s.name for s in chosen]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise refuse("stages", "stages with distinct names", repeated[0],
                     described=f"{repeated[0]!r} twice")  # fmt: skip
    lazy, groups = sessions_frame(sessions, by, [c for s in chosen for c in s.columns])
    counts: dict[str, nw.Expr | None] = {"sessions": None}
    reached = None
    for number, stage in enumerate(chosen, start=1):
        met = _met(lazy, stage)
        reached = met if reached is None else reached & met
        counts |= {f"met {number}": met, f"reached {number}": reached}
    table = group_counts(lazy, groups, counts)
    parts = []
    for number, stage in enumerate(chosen, start=1):
        previous = table["sessions" if number == 1 else f"reached {number - 1}"]
        for metric, base in (("funnel_step", previous), ("funnel_from_start", table["reached 1"])):
            counted = table[groups].assign(count=table[f"reached {number}"], n=base)
            parts.append(
                proportion_table(counted, groups, metric, alpha).assign(
                    stage_number=number, stage=stage.name, met=table[f"met {number}"]
                )
            )
    table = pd.concat(parts, ignore_index=True)
    table["skipped"] = table["met"] - table["count"]
    order = [*groups, "stage_number", "stage", *PROPORTION_COLUMNS, "met", "skipped"]
    return table.sort_values([*groups, "stage_number", "metric"], kind="stable", ignore_index=True)[
        order
    ]


def funnel_summary(funnel: pd.DataFrame) -> pd.DataFrame:
    """One row per stage (and group): sessions, step rate and share of entries side by side.

    Takes :func:`sales_funnel`'s table and returns the ``by`` columns, ``stage_number``,
    ``stage``, ``sessions``, ``step_rate``, ``step_ci_low``, ``step_ci_high``,
    ``from_start``, ``start_ci_low``, ``start_ci_high``, ``drop_off`` (sessions lost since
    the previous stage) and ``skipped``: the wide form a report shows.

    Examples
    --------
    >>> import scrm_lab
    >>> sessions = scrm_lab.load_dataset("online_shoppers_intention")
    >>> funnel_summary(sales_funnel(sessions))["drop_off"].tolist()
    [0, 38, 577, 5178, 5149]
    """
    _require(funnel, ["stage_number", "stage", "metric", "count", "n", "estimate"])
    keys = [c for c in funnel.columns if c not in (*PROPORTION_COLUMNS, "met", "skipped")]
    step = funnel[funnel["metric"] == "funnel_step"].set_index(keys)
    start = funnel[funnel["metric"] == "funnel_from_start"].set_index(keys)
    if step.empty or len(step) != len(start):
        raise bad_data("the table is not a sales_funnel result; expected funnel_step and "
                       "funnel_from_start rows for every stage")  # fmt: skip
    wide = pd.DataFrame(
        {
            "sessions": step["count"],
            "step_rate": step["estimate"],
            "step_ci_low": step["ci_low"],
            "step_ci_high": step["ci_high"],
            "from_start": start["estimate"],
            "start_ci_low": start["ci_low"],
            "start_ci_high": start["ci_high"],
            "drop_off": (step["n"] - step["count"]).astype("int64"),
            "skipped": step["skipped"],
        }
    ).reset_index()
    return wide
