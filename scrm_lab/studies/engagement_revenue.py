"""Data for the engagement-versus-revenue hypothesis, ready for :mod:`scrm_lab.models`.

The flagship report (``notebooks/engagement_vs_revenue.ipynb``) asks one question of several
sources: do units with more social engagement have more revenue (or a market outcome)? This
module turns each source into one tidy table with named roles, so the notebook only calls
models on it:

- ``"csm_movies_social_boxoffice"``: real cross-section, one row per film (YouTube trailer
  likes, views, comments, cast Twitter followers; US gross; budget, screens, genre, sequel);
- ``"stocknet_tweets_prices"``: real panel, one row per ticker and week for the most-tweeted
  tickers (tweets summed, trading volume and absolute daily return averaged);
- ``"simulated"``: :func:`scrm_lab.synth.simulate_brand_panel` with a stated true effect,
  as brand-level means (cross-section) or brand-quarters (panel), with the truth attached;
- a user's file (``path``), with a ``columns`` mapping from file columns to roles.

Examples
--------
>>> from scrm_lab.studies.engagement_revenue import engagement_revenue_data
>>> movies = engagement_revenue_data()
>>> movies.design, movies.outcome, movies.engagement
('cross_section', 'gross_usd', ['likes', 'views', 'comments', 'cast_followers'])
>>> len(movies.data)
231
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scrm_lab._checks import require_columns, suggest
from scrm_lab.datasets import dataset_info, load_dataset
from scrm_lab.exceptions import DatasetNotFound, ParameterError, SchemaError

__all__ = [
    "COEFFICIENT_NAMES",
    "DESIGNS",
    "LEAD_LAG_MIN_PERIODS",
    "MOVIE_DEFAULTS",
    "POWER",
    "ROLES",
    "SOURCES",
    "VIF_LIMIT",
    "EngagementRevenueStudy",
    "HypothesisData",
    "apply_parameters",
    "bullet_list",
    "controlled_estimates",
    "engagement_revenue_data",
    "entered_name",
    "first_rows",
    "interval_text",
    "is_clear",
    "log_columns",
    "model_arguments",
    "p_text",
    "panel_estimates",
    "partial_correlations",
    "run_study",
    "study_sentences",
    "study_verdict",
    "truth_comparison",
]

#: Sources :func:`engagement_revenue_data` knows by name (a file is given with ``path``).
SOURCES = ("csm_movies_social_boxoffice", "stocknet_tweets_prices", "simulated")
#: Study designs: one row per unit, or one row per unit and period.
DESIGNS = ("cross_section", "panel")
#: Roles a user's file column can take (``columns={"file column": "role"}``).
ROLES = ("engagement", "outcome", "control", "entity", "time")
#: The report's parameter defaults, which are the movies data's roles.
MOVIE_DEFAULTS: dict[str, list[str] | str] = {
    "engagement": ["likes", "views", "comments", "cast_followers"],
    "outcome": "gross_usd",
    "controls": ["budget_usd", "screens", "genre", "sequel"],
    "log": ["gross_usd", "budget_usd"],
    "log1p": ["likes", "views", "comments", "cast_followers"],
}
_MOVIES = "csm_movies_social_boxoffice"
_STOCKS = "stocknet_tweets_prices"


@dataclass(frozen=True, eq=False)
class HypothesisData:
    """One tidy table and the role of its columns in the engagement-revenue question.

    Attributes
    ----------
    source : str
        ``"csm_movies_social_boxoffice"``, ``"stocknet_tweets_prices"``, ``"simulated"`` or
        the user's file path.
    data : pandas.DataFrame
        Tidy table: one row per unit (cross-section) or per entity and time (panel).
    design : str
        ``"cross_section"`` or ``"panel"``.
    engagement : list of str
        Engagement columns (the first is the main one).
    outcome : str
        Outcome column (revenue or a market outcome).
    controls : list of str
        Columns held fixed in the controlled estimate.
    log, log1p : list of str
        Suggested transforms: natural log for positive skewed money columns, log(1 + value)
        for counts with zeros.
    entity, time : str or None
        Panel keys (None for a cross-section).
    other_outcomes : list of str
        Further outcome columns analysed the same way (stocknet: absolute return).
    truth : dict or None
        For simulated data: ``{"effect": ..., "term": ..., "meaning": ...}``, the true
        coefficient of ``term`` on ``outcome``; None for real data.
    description : str
        Plain words: what a row is, the units, what is real and what is simulated.
    caveats : list of str
        What the data cannot show (from the data set's ``PROVENANCE.md`` where shipped).
    unit : str
        What one row is, in a word or two (``"film"``, ``"ticker-week"``).
    """

    source: str
    data: pd.DataFrame
    design: str
    engagement: list[str]
    outcome: str
    controls: list[str]
    log: list[str] = field(default_factory=list)
    log1p: list[str] = field(default_factory=list)
    entity: str | None = None
    time: str | None = None
    other_outcomes: list[str] = field(default_factory=list)
    truth: dict[str, Any] | None = None
    description: str = ""
    caveats: list[str] = field(default_factory=list)
    unit: str = "unit"

    @property
    def simulated(self) -> bool:
        """True when the data are simulated (there is a known truth)."""
        return self.truth is not None


def _caveats(provenance: str) -> list[str]:
    """The bullet items of the ``## Caveats`` section of a PROVENANCE.md, one line each."""
    match = re.search(r"^## Caveats\s*$(.*?)(?=^## |\Z)", provenance, re.M | re.S)
    if not match:
        return []
    items = re.split(r"^- ", match.group(1).strip(), flags=re.M)
    return [" ".join(item.split()) for item in items if item.strip()]


def _integer(function: str, name: str, value: object, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        raise ParameterError(
            f"The {name!r} parameter of {function} must be an integer >= {low}. "
            f"Got {value!r} instead."
        )
    return int(value)


def _movies() -> HypothesisData:
    data = load_dataset(_MOVIES)
    info = dataset_info(_MOVIES)
    return HypothesisData(
        source=_MOVIES,
        data=data,
        design="cross_section",
        engagement=list(MOVIE_DEFAULTS["engagement"]),
        outcome="gross_usd",
        controls=list(MOVIE_DEFAULTS["controls"]),
        log=list(MOVIE_DEFAULTS["log"]),
        log1p=list(MOVIE_DEFAULTS["log1p"]),
        description=(
            f"Real data: {len(data)} films released in {data['year'].min()}-"
            f"{data['year'].max()}, one row per film. Engagement is counted on the film's "
            "YouTube trailer (views, likes, comments) and as the Twitter followers of its "
            "cast; the outcome is US box-office gross in US dollars; controls are the "
            "production budget (USD), the number of opening screens, the genre and whether "
            f"the film is a sequel. Source: {info.source}."
        ),
        caveats=_caveats(info.provenance),
        unit="film",
    )


def _stocknet(n_tickers: int) -> HypothesisData:
    from scrm_lab.models import aggregate_panel

    tables = load_dataset(_STOCKS)
    daily = tables["daily"]
    top = daily.groupby("ticker")["tweets"].sum().sort_values(ascending=False, kind="stable")
    tickers = top.index[:n_tickers].tolist()
    daily = daily[daily["ticker"].isin(tickers)].assign(abs_return=lambda d: d["return"].abs())
    weekly = aggregate_panel(daily, entity="ticker", time="date", freq="W",
                             sum=["tweets"], mean=["volume", "abs_return"])  # fmt: skip
    weekly = weekly.rename(columns={"date": "week"}).drop(columns="n_rows")
    weekly = weekly.dropna(subset=["volume"]).reset_index(drop=True)
    info = dataset_info(_STOCKS)
    return HypothesisData(
        source=_STOCKS,
        data=weekly,
        design="panel",
        engagement=["tweets"],
        outcome="volume",
        controls=[],
        log1p=["tweets", "volume"],
        entity="ticker",
        time="week",
        other_outcomes=["abs_return"],
        description=(
            f"Real data: the {len(tickers)} most-tweeted of {top.size} large US-listed firms "
            f"({', '.join(tickers)}), one row per ticker and week (Monday to Sunday), "
            f"{weekly['week'].min():%Y-%m-%d} to {weekly['week'].max():%Y-%m-%d}, "
            f"{len(weekly):,} rows. Engagement is public chatter: `tweets` is the week's "
            "number of tweets mentioning the ticker (all seven days summed). Outcomes: "
            "`volume` is the mean daily trading volume (shares) over the week's trading "
            "days, a mean rather than a sum so that short weeks (holidays) are not counted "
            "as quiet ones; `abs_return` is the mean absolute daily return (a fraction, a "
            "measure of how much the price moved). These are market outcomes, not revenue. "
            f"Source: {info.source}."
        ),
        caveats=_caveats(info.provenance),
        unit="ticker-week",
    )


def _simulated(view: str, effect: float, n_brands: int, seed: int) -> HypothesisData:
    from scrm_lab.synth import simulate_brand_panel

    panel = simulate_brand_panel(n_brands=n_brands, effect=effect, seed=seed)
    sizes = panel.brands[["brand", "size"]]
    latent = panel.latent.merge(sizes, on="brand", how="left")
    truth_text = (
        f"the true effect is {effect:g}: one unit more of the engagement index (its standard "
        "deviation within a brand) one quarter raises the next quarter's revenue log-growth "
        f"by {effect:g}"
    )
    caveats = [
        "The data are simulated: they show whether the method recovers a known effect under "
        "the simulation's assumptions, not how engagement works for real brands.",
        "In the simulation, larger brands and some sectors are both more engaged and grow "
        "faster (confounding); only controls for size and sector remove that.",
    ]
    common = {"source": "simulated", "caveats": caveats}
    periods = panel.truth["n_periods"]
    if view == "panel":
        data = latent[["brand", "period", "sector", "size", "engagement_index", "growth"]]
        return HypothesisData(
            data=data.reset_index(drop=True),
            design="panel",
            engagement=["engagement_index"],
            outcome="growth",
            controls=[],  # size and sector are constant within a brand: its fixed effect
            entity="brand",
            time="period",
            unit="brand-quarter",
            truth={"effect": effect, "term": "engagement_index_lag1", "meaning": truth_text},
            description=(
                f"SIMULATED data (scrm_lab.synth.simulate_brand_panel, seed {seed}): "
                f"{n_brands} brands x {periods} quarters, one row per brand and quarter. "
                "`engagement_index` is the brand's latent engagement that quarter (it drives "
                "its simulated channel activity), `growth` the quarter's revenue log-growth, "
                f"`size` its revenue scale (USD) and `sector` its sector (both constant within "
                f"a brand, so its fixed effect holds them fixed); {truth_text}."
            ),
            **common,
        )
    means = latent.groupby("brand", sort=True).agg(
        sector=("sector", "first"),
        size=("size", "first"),
        engagement_index_lag=("engagement_index_lag", "mean"),
        growth=("growth", "mean"),
    )
    return HypothesisData(
        data=means.reset_index(),
        design="cross_section",
        engagement=["engagement_index_lag"],
        outcome="growth",
        controls=["size", "sector"],
        log=["size"],
        unit="brand",
        truth={"effect": effect, "term": "engagement_index_lag", "meaning": truth_text},
        description=(
            f"SIMULATED data (scrm_lab.synth.simulate_brand_panel, seed {seed}): {n_brands} "
            f"brands, one row per brand, averaged over {periods} quarters. "
            "`engagement_index_lag` is the brand's mean latent engagement in the quarter "
            "before each reported one, `growth` its mean quarterly revenue log-growth, "
            f"`size` its revenue scale (USD) and `sector` its sector; {truth_text}, so the "
            "coefficient of brand means has the same true value."
        ),
        **common,
    )


def _from_file(path: str | Path, kind: str | None, columns: Mapping[str, str]) -> HypothesisData:
    function = "engagement_revenue_data"
    if not isinstance(columns, Mapping) or not columns:
        raise ParameterError(
            f"The 'columns' parameter of {function} must map the file's columns to roles "
            f"{list(ROLES)} when 'path' is given, e.g. {{'fb_likes': 'engagement', "
            f"'sales': 'outcome'}}. Got {columns!r} instead."
        )
    for column, role in columns.items():
        if role not in ROLES:
            raise ParameterError(
                f"The 'columns' parameter of {function} maps {column!r} to {role!r}; a role "
                f"must be one of {list(ROLES)}.{suggest(role, ROLES)}"
            )
    if kind:
        from scrm_lab.io import read_table

        data = read_table(path, kind=kind)
    else:
        from scrm_lab.io import read_file

        data = read_file(path)
    require_columns(data, list(columns), f"{function} (file '{path}')")
    roles = {role: [c for c, r in columns.items() if r == role] for role in ROLES}
    for role in ("engagement", "outcome"):
        if not roles[role]:
            raise ParameterError(
                f"The 'columns' parameter of {function} must give at least one {role!r} "
                f"column. Got {dict(columns)!r} instead."
            )
    if len(roles["outcome"]) > 1:
        raise ParameterError(
            f"The 'columns' parameter of {function} must give one 'outcome' column. "
            f"Got {roles['outcome']!r} instead."
        )
    if len(roles["entity"]) != len(roles["time"]) or len(roles["entity"]) > 1:
        raise ParameterError(
            f"The 'columns' parameter of {function} must give one 'entity' and one 'time' "
            "column for a panel, or neither for a cross-section. Got entity "
            f"{roles['entity']!r} and time {roles['time']!r} instead."
        )
    panel = bool(roles["entity"])
    entity, time = (roles["entity"][0], roles["time"][0]) if panel else (None, None)
    if panel and data.duplicated([entity, time]).any():
        raise SchemaError(
            f"{function}: file '{path}' has {int(data.duplicated([entity, time]).sum())} "
            f"repeated ({entity}, {time}) pairs; expected one row per entity and time",
            column=entity,
        )
    return HypothesisData(
        source=str(path),
        data=data,
        design="panel" if panel else "cross_section",
        engagement=roles["engagement"],
        outcome=roles["outcome"][0],
        controls=roles["control"],
        entity=entity,
        time=time,
        unit=f"{entity}-{time}" if panel else "unit",
        description=(
            f"The user's file '{Path(path).name}': {len(data):,} rows, one per "
            + (f"{entity} and {time}" if panel else "unit")
            + ". Whether the data are real, and their units, are as documented by whoever "
            "made the file."
        ),
        caveats=[
            "The file's provenance (how and when each column was measured) is not known to "
            "this report: check that engagement was measured before the outcome."
        ],
    )


def engagement_revenue_data(
    dataset: str = _MOVIES,
    *,
    path: str | Path | None = None,
    kind: str | None = None,
    columns: Mapping[str, str] | None = None,
    view: str | None = None,
    n_tickers: int = 10,
    effect: float = 0.01,
    n_brands: int = 100,
    seed: int = 0,
) -> HypothesisData:
    """The table and column roles for the engagement-revenue question from one source.

    Parameters
    ----------
    dataset : str, default "csm_movies_social_boxoffice"
        One of :data:`SOURCES`; ignored when ``path`` is given.
    path : str or Path, optional
        A user's CSV, Parquet, Excel or JSON-lines file instead of a named source.
    kind : str, optional
        With ``path``: a canonical table kind (:func:`scrm_lab.schema.list_tables`) to
        validate the file as (its columns must use the canonical names); None or "" reads
        the file as it is (numeric text becomes numbers).
    columns : mapping, optional
        With ``path``: ``{file column: role}``, roles from :data:`ROLES`; ``"engagement"``
        and ``"control"`` may repeat; one ``"outcome"``; ``"entity"`` and ``"time"``
        together make a panel.
    view : {"cross_section", "panel"}, optional
        Simulated data only: brand means (default) or brand-quarters.
    n_tickers : int, default 10
        Stocknet only: keep the tickers with the most tweets over the whole period.
    effect : float, default 0.01
        Simulated only: the true effect of the engagement index on the next quarter's
        revenue log-growth.
    n_brands : int, default 100
        Simulated only: number of brands.
    seed : int, default 0
        Simulated only: seed of the simulation.

    Returns
    -------
    HypothesisData
        The table, its design and the roles of its columns (see :class:`HypothesisData`).

    Raises
    ------
    DatasetNotFound
        ``dataset`` is not one of :data:`SOURCES` (with the closest name suggested).
    ParameterError
        A bad ``view``, ``n_tickers``, ``columns`` mapping or role.
    DataFileError, SchemaError
        The file cannot be read, a mapped column is not in it, or panel keys repeat.

    Examples
    --------
    >>> stocks = engagement_revenue_data("stocknet_tweets_prices", n_tickers=3)
    >>> stocks.design, stocks.entity, stocks.time, stocks.data["ticker"].nunique()
    ('panel', 'ticker', 'week', 3)
    >>> sim = engagement_revenue_data("simulated", effect=0.02, n_brands=50, seed=1)
    >>> sim.truth["effect"], sim.truth["term"], len(sim.data)
    (0.02, 'engagement_index_lag', 50)
    """
    function = "engagement_revenue_data"
    if path is not None and str(path) != "":
        return _from_file(path, kind or None, columns or {})
    if columns:
        raise ParameterError(
            f"The 'columns' parameter of {function} maps a user's file and needs 'path'. "
            f"Got columns={dict(columns)!r} without a path."
        )
    if not isinstance(dataset, str) or dataset not in SOURCES:
        raise DatasetNotFound(
            f"The 'dataset' parameter of {function} must be one of {list(SOURCES)} (or give "
            f"'path' for your own file). Got {dataset!r} instead.{suggest(dataset, SOURCES)}"
        )
    if view is not None and view != "" and (dataset != "simulated" or view not in DESIGNS):
        raise ParameterError(
            f"The 'view' parameter of {function} must be one of {list(DESIGNS)} for simulated "
            f"data, or left out. Got {view!r} for dataset {dataset!r} instead."
        )
    if dataset == _MOVIES:
        return _movies()
    if dataset == _STOCKS:
        return _stocknet(_integer(function, "n_tickers", n_tickers, 1))
    n_brands = _integer(function, "n_brands", n_brands, 10)
    return _simulated(view or "cross_section", effect, n_brands, seed)


def _as_list(function: str, name: str, value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise ParameterError(
            f"The {name!r} parameter of {function} must be a column name or a list of them. "
            f"Got {value!r} instead."
        )
    return list(value)


def apply_parameters(
    prepared: HypothesisData,
    *,
    engagement: str | Sequence[str] | None = None,
    outcome: str | None = None,
    controls: Sequence[str] | None = None,
    log: Sequence[str] | None = None,
    log1p: Sequence[str] | None = None,
) -> HypothesisData:
    """Set the roles a report asked for, checked against the data.

    A value of None keeps the source's own role. So does a value equal to the movies
    default (:data:`MOVIE_DEFAULTS`) when the source is not the movies data: a report whose
    parameters default to the movies columns then runs on any source unchanged. Transforms
    of columns the model does not use are dropped.

    Parameters
    ----------
    prepared : HypothesisData
        From :func:`engagement_revenue_data`.
    engagement, outcome, controls, log, log1p : optional
        Column names for each role.

    Returns
    -------
    HypothesisData
        A copy with the roles set.

    Raises
    ------
    SchemaError
        A named column is not in the data (the closest name is suggested).
    ParameterError
        A role is empty, not a name, or a column has two roles.

    Examples
    --------
    >>> movies = engagement_revenue_data()
    >>> chosen = apply_parameters(movies, engagement="likes", controls=["budget_usd"])
    >>> chosen.engagement, chosen.controls, chosen.log
    (['likes'], ['budget_usd'], ['gross_usd', 'budget_usd'])
    >>> sim = apply_parameters(engagement_revenue_data("simulated"), **MOVIE_DEFAULTS)
    >>> sim.engagement, sim.outcome
    (['engagement_index_lag'], 'growth')
    """
    function = "apply_parameters"
    given = {"engagement": engagement, "outcome": outcome, "controls": controls, "log": log,
             "log1p": log1p}  # fmt: skip
    chosen: dict[str, Any] = {}
    for name, value in given.items():
        default = MOVIE_DEFAULTS[name]
        keep = value is None or (prepared.source != _MOVIES and _same(value, default))
        chosen[name] = getattr(prepared, name) if keep else value
    if not isinstance(chosen["outcome"], str) or not chosen["outcome"]:
        raise ParameterError(
            f"The 'outcome' parameter of {function} must be one column name. "
            f"Got {chosen['outcome']!r} instead."
        )
    for name in ("engagement", "controls", "log", "log1p"):
        chosen[name] = _as_list(function, name, chosen[name])
    if not chosen["engagement"]:
        raise ParameterError(
            f"The 'engagement' parameter of {function} must name at least one column. Got []."
        )
    columns = list(prepared.data.columns)
    for name in ("engagement", "outcome", "controls", "log", "log1p"):
        names = chosen[name] if isinstance(chosen[name], list) else [chosen[name]]
        for column in names:
            if column not in columns:
                raise SchemaError(
                    f"{function}: the {name} column {column!r} is not in the data "
                    f"({prepared.source}); its columns are {columns}.{suggest(column, columns)}",
                    column=column,
                )
    used = [*chosen["engagement"], chosen["outcome"], *chosen["controls"]]
    repeated = sorted({c for c in used if used.count(c) > 1})
    if repeated:
        raise ParameterError(
            f"The engagement, outcome and controls parameters of {function} must not share "
            f"columns. Got {repeated} in more than one role."
        )
    both = sorted(set(chosen["log"]) & set(chosen["log1p"]))
    if both:
        raise ParameterError(
            f"The 'log' and 'log1p' parameters of {function} must not share columns. "
            f"Got {both} in both."
        )
    chosen["log"] = [c for c in chosen["log"] if c in used]
    chosen["log1p"] = [c for c in chosen["log1p"] if c in used]
    return dataclasses.replace(prepared, **chosen)


def _same(value: object, default: object) -> bool:
    if isinstance(default, str):
        return value == default
    return isinstance(value, Sequence) and not isinstance(value, str) and list(value) == default


def log_columns(
    data: pd.DataFrame, *, log: Sequence[str] = (), log1p: Sequence[str] = ()
) -> pd.DataFrame:
    """A copy of ``data`` with transformed columns added as ``log(col)`` and ``log1p(col)``.

    For models that take no ``log`` argument (panel fixed effects, lead-lag).

    Parameters
    ----------
    data : pandas.DataFrame
        Any table.
    log, log1p : sequence of str
        Positive columns to log, and columns >= 0 to take log(1 + value) of.

    Returns
    -------
    pandas.DataFrame
        ``data`` with one new column per transformed column, named as in
        :func:`scrm_lab.models.regress` (``log(gross_usd)``, ``log1p(likes)``).

    Raises
    ------
    SchemaError
        A column is missing, or has values <= 0 (log) or < 0 (log1p).

    Examples
    --------
    >>> frame = pd.DataFrame({"likes": [0, 9], "gross": [1.0, np.e]})
    >>> log_columns(frame, log=["gross"], log1p=["likes"]).round(3).columns.tolist()
    ['likes', 'gross', 'log(gross)', 'log1p(likes)']
    """
    function = "log_columns"
    require_columns(data, [*log, *log1p], function)
    result = data.copy()
    for column, low, how in [(c, 0, "log") for c in log] + [(c, -1, "log1p") for c in log1p]:
        values = pd.to_numeric(data[column], errors="coerce").astype("float64")
        bad = int((values <= low).sum()) if how == "log" else int((values < 0).sum())
        if bad:
            expected = "positive values" if how == "log" else "values >= 0"
            raise SchemaError(
                f"{function}: column {column!r} has {bad} value(s) out of range for {how}; "
                f"expected {expected}",
                column=column,
            )
        result[f"{how}({column})"] = np.log(values) if how == "log" else np.log1p(values)
    return result


def model_arguments(prepared: HypothesisData, x: str | None = None) -> dict[str, Any]:
    """Keyword arguments of :func:`scrm_lab.models.regress` for one engagement column.

    Parameters
    ----------
    prepared : HypothesisData
        From :func:`engagement_revenue_data` (and :func:`apply_parameters`).
    x : str, optional
        The engagement column (default: the first).

    Returns
    -------
    dict
        ``y``, ``x``, ``controls``, ``log`` and ``log1p``, the transforms kept to the
        columns of this model.

    Examples
    --------
    >>> kwargs = model_arguments(engagement_revenue_data(), "views")
    >>> kwargs["x"], kwargs["log"], kwargs["log1p"]
    ('views', ['gross_usd', 'budget_usd'], ['views'])
    """
    x = prepared.engagement[0] if x is None else x
    if x not in prepared.engagement:
        raise ParameterError(
            f"The 'x' parameter of model_arguments must be one of the engagement columns "
            f"{prepared.engagement}. Got {x!r} instead.{suggest(x, prepared.engagement)}"
        )
    used = {x, prepared.outcome, *prepared.controls}
    return {
        "y": prepared.outcome,
        "x": x,
        "controls": list(prepared.controls),
        "log": [c for c in prepared.log if c in used],
        "log1p": [c for c in prepared.log1p if c in used],
    }


def controlled_estimates(
    prepared: HypothesisData,
    *,
    alpha: float = 0.05,
    adjust: str = "holm",
    cov_type: str = "HC3",
) -> pd.DataFrame:
    """One OLS per engagement column with the controls, p-values adjusted across them.

    Each engagement column gets its own model (``outcome ~ engagement + controls``, with
    the transforms of :func:`model_arguments`), because engagement measures are usually
    strongly correlated with each other: in one joint model each would be estimated from
    what the others leave over.

    Parameters
    ----------
    prepared : HypothesisData
        A cross-section (see :func:`engagement_revenue_data`).
    alpha : float, default 0.05
        1 - confidence level.
    adjust : str, default "holm"
        Correction across the engagement columns (:func:`scrm_lab.models.adjust_pvalues`).
    cov_type : str, default "HC3"
        Standard errors, as in :func:`scrm_lab.models.regress`.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`scrm_lab.models.regress` (one per engagement column), with
        ``p_adjusted`` across them and the correction added to ``method``.

    Examples
    --------
    >>> fits = controlled_estimates(engagement_revenue_data())
    >>> fits[["term", "n"]]
                     term    n
    0        log1p(likes)  220
    1        log1p(views)  220
    2     log1p(comments)  220
    3  log1p(cast_followers)  187
    """
    from scrm_lab.models import adjust_pvalues, regress

    rows = [
        regress(prepared.data, **model_arguments(prepared, x), cov_type=cov_type, alpha=alpha)
        for x in prepared.engagement
    ]
    result = pd.concat(rows, ignore_index=True)
    result["p_adjusted"] = adjust_pvalues(result["p_value"].to_numpy(), method=adjust)
    if len(result) > 1 and adjust != "none":
        result["method"] += f"; {adjust}-adjusted across {len(result)} models"
    return result


def partial_correlations(
    prepared: HypothesisData,
    *,
    method: str = "spearman",
    alpha: float = 0.05,
    adjust: str = "holm",
) -> pd.DataFrame:
    """Partial correlation of each engagement column with the outcome, given the controls.

    Parameters
    ----------
    prepared : HypothesisData
        A cross-section with at least one control.
    method : {"pearson", "spearman", "kendall"}, default "spearman"
        "kendall" has no partial form here and is computed as "spearman" (ranks).
    alpha : float, default 0.05
        1 - confidence level.
    adjust : str, default "holm"
        Correction across the engagement columns.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`scrm_lab.models.partial_correlate`, one per engagement column
        (``x`` named as entered, e.g. ``log1p(likes)``), with ``p_adjusted`` inserted after
        ``p_value``.

    Examples
    --------
    >>> rho = partial_correlations(engagement_revenue_data())
    >>> rho["x"].tolist(), int(rho.loc[0, "n"])
    (['log1p(likes)', 'log1p(views)', 'log1p(comments)', 'log1p(cast_followers)'], 220)
    """
    from scrm_lab.models import adjust_pvalues, partial_correlate

    kind = "spearman" if method == "kendall" else method
    rows = []
    for x in prepared.engagement:
        kwargs = model_arguments(prepared, x)
        # categories left empty by the complete rows would give all-zero dummy columns
        data = prepared.data.dropna(subset=[x, kwargs["y"], *kwargs["controls"]])
        data = data.apply(
            lambda c: (
                c.cat.remove_unused_categories() if isinstance(c.dtype, pd.CategoricalDtype) else c
            )
        )
        rows.append(
            partial_correlate(
                data,
                x=x,
                y=kwargs["y"],
                controls=kwargs["controls"],
                method=kind,
                log=kwargs["log"],
                log1p=kwargs["log1p"],
                alpha=alpha,
            )  # fmt: skip
        )
    result = pd.concat(rows, ignore_index=True)
    position = result.columns.get_loc("p_value") + 1
    result.insert(position, "p_adjusted", adjust_pvalues(result["p_value"].to_numpy(),
                                                         method=adjust))  # fmt: skip
    return result


# ------------------------------------------------------------------ the study and its wording

#: Names of the correlation coefficients in sentences.
COEFFICIENT_NAMES = {"spearman": "Spearman rho", "pearson": "Pearson r", "kendall": "Kendall tau"}
#: Largest variance inflation factor of the engagement term still called "not inflated".
VIF_LIMIT = 5.0
#: Power at which the minimum detectable correlation is stated.
POWER = 0.8
#: Most periods a lead-lag test asks of each entity (fewer when the panel is shorter).
LEAD_LAG_MIN_PERIODS = 20


def p_text(p_value: float) -> str:
    """A p-value in words: ``"p < 0.001"`` below 0.001, otherwise ``"p = 0.xyz"``.

    Examples
    --------
    >>> p_text(0.0004), p_text(0.0312)
    ('p < 0.001', 'p = 0.031')
    """
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


def interval_text(row: Mapping[str, Any], *, alpha: float = 0.05, digits: int = 2) -> str:
    """A confidence interval in words, from a row with ``ci_low`` and ``ci_high``.

    Examples
    --------
    >>> interval_text({"ci_low": 0.251, "ci_high": 0.48})
    '95% CI 0.25 to 0.48'
    """
    return f"{1 - alpha:.0%} CI {row['ci_low']:.{digits}f} to {row['ci_high']:.{digits}f}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def is_clear(table: pd.DataFrame, *, alpha: float = 0.05, p: str = "p_adjusted") -> pd.Series:
    """Which result rows are clear: p-value below ``alpha`` and an interval excluding zero.

    Parameters
    ----------
    table : pandas.DataFrame
        Result rows with the column ``p`` and ``ci_low``, ``ci_high``.
    alpha : float, default 0.05
        Significance level.
    p : str, default "p_adjusted"
        The p-value column to read.

    Returns
    -------
    pandas.Series
        Boolean, one per row.

    Examples
    --------
    >>> rows = pd.DataFrame({"p_adjusted": [0.01, 0.01, 0.2],
    ...                      "ci_low": [0.1, -0.1, 0.1], "ci_high": [0.5, 0.3, 0.5]})
    >>> is_clear(rows).tolist()
    [True, False, False]
    """
    require_columns(table, [p, "ci_low", "ci_high"], "is_clear")
    return (table[p] < alpha) & ((table["ci_low"] > 0) | (table["ci_high"] < 0))


def entered_name(prepared: HypothesisData, column: str) -> str:
    """How a column enters the models: ``log(c)``, ``log1p(c)`` or ``c``.

    Examples
    --------
    >>> entered_name(engagement_revenue_data(), "likes")
    'log1p(likes)'
    """
    if column in prepared.log:
        return f"log({column})"
    if column in prepared.log1p:
        return f"log1p({column})"
    return column


def panel_estimates(prepared: HypothesisData, *, alpha: float = 0.05) -> pd.DataFrame:
    """Fixed-effects estimates of the main engagement column, one model per outcome.

    Each outcome is regressed on the main engagement column (and its one-period lag) with
    entity and time effects (:func:`scrm_lab.models.panel_effects`), the columns entered
    with the transforms of ``prepared`` (``log``, ``log1p``).

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`scrm_lab.models.panel_effects` for each outcome, with ``outcome``
        (as entered, e.g. ``log1p(volume)``) added last.

    Examples
    --------
    >>> stocks = engagement_revenue_data("stocknet_tweets_prices", n_tickers=3)
    >>> panel_estimates(stocks)[["outcome", "term"]].head(2)
            outcome           term
    0  log1p(volume)  log1p(tweets)
    1  log1p(volume)  log1p(tweets)_lag1
    """
    from scrm_lab.models import panel_effects

    logged = log_columns(
        prepared.data,
        log=[c for c in prepared.log if c in prepared.data],
        log1p=[c for c in prepared.log1p if c in prepared.data],
    )
    name = lambda c: entered_name(prepared, c)  # noqa: E731
    fits = []
    for y in [prepared.outcome, *prepared.other_outcomes]:
        fit = panel_effects(logged, y=name(y), x=name(prepared.engagement[0]),
                            entity=prepared.entity, time=prepared.time,
                            controls=[name(c) for c in prepared.controls], lags=1,
                            alpha=alpha)  # fmt: skip
        fits.append(fit.assign(outcome=name(y)))
    return pd.concat(fits, ignore_index=True)


@dataclass(frozen=True, eq=False)
class EngagementRevenueStudy:
    """Every table of the engagement-revenue study (see :func:`run_study`).

    Attributes
    ----------
    prepared : HypothesisData
        The data and roles.
    method : str
        Correlation method.
    alpha : float
        Significance level (intervals are 1 - alpha).
    raw : pandas.DataFrame
        :func:`scrm_lab.models.correlate` of every engagement column with every outcome.
    controlled : pandas.DataFrame
        :func:`controlled_estimates` (cross-section) or :func:`panel_estimates` (panel).
    partial : pandas.DataFrame or None
        :func:`partial_correlations` (cross-section with controls), else None.
    diagnostics : pandas.DataFrame or None
        :func:`scrm_lab.models.regression_diagnostics` (cross-section), else None.
    power : pandas.DataFrame
        :func:`scrm_lab.models.power_correlation` at the main raw correlation's n.
    lead_lag : dict of str to pandas.DataFrame
        :func:`scrm_lab.models.lead_lag` per outcome (panel), else empty.
    """

    prepared: HypothesisData
    method: str
    alpha: float
    raw: pd.DataFrame
    controlled: pd.DataFrame
    partial: pd.DataFrame | None
    diagnostics: pd.DataFrame | None
    power: pd.DataFrame
    lead_lag: dict[str, pd.DataFrame]

    @property
    def panel(self) -> bool:
        """True for a panel design."""
        return self.prepared.design == "panel"

    @property
    def main_raw(self) -> pd.Series:
        """The raw correlation of the main engagement column with the outcome."""
        h = self.prepared
        raw = self.raw
        return raw[(raw["x"] == h.engagement[0]) & (raw["y"] == h.outcome)].iloc[0]

    @property
    def focus(self) -> pd.Series:
        """The controlled estimate of the main engagement column on the outcome."""
        if self.panel:
            name = entered_name(self.prepared, self.prepared.outcome)
            return self.controlled[self.controlled["outcome"] == name].iloc[0]
        return self.controlled.iloc[0]


def run_study(
    prepared: HypothesisData, *, method: str = "spearman", alpha: float = 0.05
) -> EngagementRevenueStudy:
    """Run every step of the engagement-revenue study on prepared data.

    Raw correlations (Holm-adjusted), the controlled estimate (one OLS per engagement column
    with the controls, or fixed effects on a panel), partial correlations and regression
    diagnostics (cross-section), the minimum detectable correlation at 80% power, and
    lead-lag tests both ways (panel).

    Parameters
    ----------
    prepared : HypothesisData
        From :func:`engagement_revenue_data` and :func:`apply_parameters`.
    method : {"spearman", "pearson", "kendall"}, default "spearman"
        Correlation method.
    alpha : float, default 0.05
        Significance level; intervals are 1 - alpha.

    Returns
    -------
    EngagementRevenueStudy

    Examples
    --------
    >>> study = run_study(engagement_revenue_data())
    >>> int(study.main_raw["n"]), study.focus["term"]
    (231, 'log1p(likes)')
    """
    from scrm_lab.models import (
        correlate,
        lead_lag,
        power_correlation,
        regression_diagnostics,
    )

    h = prepared
    outcomes = [h.outcome, *h.other_outcomes]
    raw = correlate(h.data, x=h.engagement, y=outcomes, method=method, alpha=alpha,
                    adjust="holm")  # fmt: skip
    panel = h.design == "panel"
    partial = diagnostics = None
    lead: dict[str, pd.DataFrame] = {}
    if panel:
        controlled = panel_estimates(h, alpha=alpha)
        main = h.engagement[0]
        n_periods = int(h.data.groupby(h.entity).size().median())
        for y in outcomes:
            transform = {c: "log1p_diff" for c in (main, y) if c in h.log1p} or None
            lead[y] = lead_lag(h.data, x=main, y=y, entity=h.entity, time=h.time,
                               transform=transform, alpha=alpha,
                               min_periods=min(LEAD_LAG_MIN_PERIODS, n_periods - 3))  # fmt: skip
    else:
        controlled = controlled_estimates(h, alpha=alpha)
        if h.controls:
            partial = partial_correlations(h, method=method, alpha=alpha)
        diagnostics = regression_diagnostics(h.data, **model_arguments(h))
    study = EngagementRevenueStudy(h, method, alpha, raw, controlled, partial, diagnostics,
                                   pd.DataFrame(), lead)  # fmt: skip
    n = int(study.main_raw["n"])
    power = power_correlation(n=n, alpha=alpha, power=POWER)
    return dataclasses.replace(study, power=power)


def study_verdict(study: EngagementRevenueStudy) -> pd.DataFrame:
    """The study's verdict as a table: the raw and the controlled step, each clear or not.

    A step is clear when its p-value (Holm-adjusted for the raw correlations and the
    cross-section models; the clustered p-value of the fixed-effects model on a panel) is
    below ``alpha`` and its interval excludes zero (:func:`is_clear`). H1 is supported when
    both steps are clear and the controlled estimate is positive.

    Returns
    -------
    pandas.DataFrame
        Two rows (``step`` = ``"raw"``, ``"controlled"``) with columns ``step``, ``term``,
        ``n``, ``estimate``, ``ci_low``, ``ci_high``, ``p_value`` (the p-value read),
        ``clear`` and ``supported`` (the same on both rows).

    Examples
    --------
    >>> study_verdict(run_study(engagement_revenue_data()))[["step", "clear", "supported"]]
             step  clear  supported
    0         raw   True       True
    1  controlled   True       True
    """
    raw, focus = study.main_raw, study.focus
    p_ctl = "p_value" if study.panel else "p_adjusted"
    rows = [
        {"step": "raw", "term": raw["x"], "n": int(raw["n"]), "estimate": raw["estimate"],
         "ci_low": raw["ci_low"], "ci_high": raw["ci_high"], "p_value": raw["p_adjusted"]},
        {"step": "controlled", "term": focus["term"], "n": int(focus["n"]),
         "estimate": focus["estimate"], "ci_low": focus["ci_low"], "ci_high": focus["ci_high"],
         "p_value": focus[p_ctl]},
    ]  # fmt: skip
    table = pd.DataFrame(rows)
    table["clear"] = is_clear(table, alpha=study.alpha, p="p_value")
    table["supported"] = bool(table["clear"].all() and focus["estimate"] > 0)
    return table


def truth_comparison(study: EngagementRevenueStudy) -> pd.DataFrame | None:
    """The true effect beside the controlled estimate (simulated data), else None.

    Returns
    -------
    pandas.DataFrame or None
        One row: ``term``, ``truth``, ``estimate``, ``ci_low``, ``ci_high``, ``error``
        (estimate - truth) and ``covered`` (truth inside [ci_low, ci_high]).

    Examples
    --------
    >>> sim = engagement_revenue_data("simulated")
    >>> truth_comparison(run_study(sim))[["term", "truth", "covered"]]
                       term  truth  covered
    0  engagement_index_lag   0.01     True
    """
    if not study.prepared.simulated:
        return None
    truth = study.prepared.truth
    row = study.controlled[study.controlled["term"] == truth["term"]].iloc[0]
    return pd.DataFrame([{
        "term": truth["term"], "truth": truth["effect"], "estimate": row["estimate"],
        "ci_low": row["ci_low"], "ci_high": row["ci_high"],
        "error": row["estimate"] - truth["effect"],
        "covered": bool(row["ci_low"] <= truth["effect"] <= row["ci_high"]),
    }])  # fmt: skip


def study_sentences(study: EngagementRevenueStudy, section: str) -> list[str]:
    """The plain words of one section of the engagement-revenue report.

    Parameters
    ----------
    study : EngagementRevenueStudy
        From :func:`run_study`.
    section : {"hypothesis", "data", "raw", "controlled", "partial", "diagnostics", "power", \
"timing", "truth", "verdict", "limits"}
        The report section. Thresholds used: a correlation or estimate is clear as in
        :func:`is_clear`; Breusch-Pagan and Jarque-Bera are read at ``alpha``; a variance
        inflation factor above :data:`VIF_LIMIT` (5) is called inflated; the observed raw
        correlation is compared with the minimum detectable one at :data:`POWER` (80%).

    Returns
    -------
    list of str
        Markdown sentences (empty when the section does not apply to this design).

    Examples
    --------
    >>> study = run_study(engagement_revenue_data())
    >>> study_sentences(study, "power")[0][:40]
    'With n = 231 and alpha = 0.05, correlati'
    """
    writers = {
        "hypothesis": _hypothesis, "data": _data, "raw": _raw, "controlled": _controlled,
        "partial": _partial, "diagnostics": _diagnostics, "power": _power,
        "timing": _timing, "truth": _truth,
        "verdict": _verdict, "limits": _limits,
    }  # fmt: skip
    if section not in writers:
        raise ParameterError(
            f"The 'section' parameter of study_sentences must be one of {sorted(writers)}. "
            f"Got {section!r} instead.{suggest(section, list(writers))}"
        )
    return writers[section](study)


def _hypothesis(s: EngagementRevenueStudy) -> list[str]:
    h, level = s.prepared, f"{1 - s.alpha:.0%}"
    main = h.engagement[0]
    others = " (and `" + "`, `".join(h.other_outcomes) + "`)" if h.other_outcomes else ""
    held = ", ".join(f"`{c}`" for c in h.controls)
    n_tests = len(h.engagement) * (1 + len(h.other_outcomes))
    return [
        f"**H1:** a {h.unit} with more engagement (`{'`, `'.join(h.engagement)}`; the main "
        f"measure is `{main}`) has a higher `{h.outcome}`{others}.",
        "**H0:** there is no association: the correlation is zero"
        + (f", and so is the coefficient of engagement once {held} are held fixed"
           if h.controls else "")
        + (f", and so is the coefficient within each {h.entity} once the common shocks of each "
           f"{h.time} are removed" if s.panel else "")
        + ".",
        f"**What would count as support:** a positive {s.method} correlation whose {level} "
        f"confidence interval excludes zero after correcting for the "
        f"{_plural(n_tests, 'test')} run, and a positive "
        f"{'fixed-effects' if s.panel else 'controlled'} estimate whose interval excludes zero "
        "too. A correlation alone would not count: bigger units tend to have both more "
        "engagement and more revenue.",
    ]  # fmt: skip


def _data(s: EngagementRevenueStudy) -> list[str]:
    h = s.prepared
    return [f"**{len(h.data):,} rows**, {'SIMULATED' if h.simulated else 'real'} data. "
            "The first rows:"]  # fmt: skip


def first_rows(prepared: HypothesisData, n: int = 5) -> pd.DataFrame:
    """The first rows of the study's columns (keys, engagement, outcomes, controls).

    Examples
    --------
    >>> list(first_rows(engagement_revenue_data()).columns)[:3]
    ['movie', 'likes', 'views']
    """
    h = prepared
    shown = [c for c in [h.entity, h.time, *h.data.columns[:1]] if c]
    shown += [*h.engagement, h.outcome, *h.other_outcomes, *h.controls]
    rows = h.data[list(dict.fromkeys(shown))].head(n)
    if h.design == "panel" and pd.api.types.is_datetime64_any_dtype(rows[h.time]):
        rows = rows.assign(**{h.time: rows[h.time].dt.strftime("%Y-%m-%d")})
    return rows


def _raw(s: EngagementRevenueStudy) -> list[str]:
    from scrm_lab.models import verdict

    h = s.prepared
    sentences = verdict(s.raw, alpha=s.alpha)
    sentences = [sentences] if isinstance(sentences, str) else list(sentences)
    if s.panel:
        sentences.append(
            f"Caution: the {len(h.data):,} rows are {h.data[h.entity].nunique()} {h.entity}s "
            f"observed {h.data[h.time].nunique()} times, not independent units; these "
            "intervals are too narrow. The fixed-effects estimate below accounts for that."
        )
    return sentences


def _controlled(s: EngagementRevenueStudy) -> list[str]:
    h, focus = s.prepared, s.focus
    main = h.engagement[0]
    ci = interval_text(focus, alpha=s.alpha, digits=3)
    if s.panel:
        x, y = entered_name(h, main), entered_name(h, h.outcome)
        return [
            f"A fixed-effects regression compares each {h.entity} with itself over time "
            f"({h.entity} effects) and removes what moves all {h.entity}s at once ({h.time} "
            "effects); counts and volumes enter as log(1 + value), and the previous period's "
            "engagement enters too (`_lag1`).",
            f"Within the same {h.entity}, in weeks or periods when `{x}` is one unit "
            f"higher (with the common shocks of each {h.time} removed), `{y}` is "
            f"**{focus['estimate']:+.3f}** higher ({ci}, {p_text(focus['p_value'])}, "
            f"n = {focus['n']:,}); the term `{x}_lag1` is the same for the period before. "
            f"{s.controlled['method'].iloc[0]}.",
        ]  # fmt: skip
    kw = model_arguments(h)
    x_log = focus["term"].startswith("log")
    y_log = h.outcome in kw["log"] or h.outcome in kw["log1p"]
    if x_log and y_log:
        reading = (f"a {h.unit} with 1% more `{main}` has about {focus['estimate']:.2f}% more "
                   f"`{h.outcome}`")  # fmt: skip
    else:
        reading = (f"one unit more of `{focus['term']}` goes with {focus['estimate']:+.3g} of "
                   f"`{h.outcome}`")  # fmt: skip
    models = len(s.controlled)
    return [
        "Each engagement column gets its own regression of the outcome on that column **and "
        "the controls** (robust HC3 standard errors; logs as set in the parameters), so the "
        "estimate compares units of similar size. Engagement columns are not put in one model "
        "together because they are strongly correlated with each other.",
        f"Holding {focus['controls']} fixed, {reading} ({ci}, {p_text(focus['p_adjusted'])}"
        + (f" after Holm adjustment across {models} models" if models > 1 else "")
        + f", n = {focus['n']}). The standardized effect is {focus['effect_size']:.2f} "
        "standard deviations of the outcome per standard deviation of engagement; the "
        f"controls and engagement together explain {focus['r_squared']:.0%} of the outcome's "
        "variance.",
    ]  # fmt: skip


def _partial(s: EngagementRevenueStudy) -> list[str]:
    if s.partial is None:
        return []
    first = s.partial.iloc[0]
    return [
        f"The same question as a **partial correlation** (engagement and outcome each "
        f"cleaned of the controls, then correlated): {s.prepared.engagement[0]} "
        f"{first['estimate']:.2f} ({interval_text(first, alpha=s.alpha)}, "
        f"{p_text(first['p_adjusted'])} adjusted), against {s.main_raw['estimate']:.2f} "
        "before the controls."
    ]  # fmt: skip


def _diagnostics(s: EngagementRevenueStudy) -> list[str]:
    h = s.prepared
    if s.diagnostics is None:
        return [
            "The fixed-effects model uses standard errors clustered by "
            f"{h.entity}, which allow any pattern of errors within a {h.entity} over time; "
            "the cross-section checks (residual spread, normality, collinearity) do not apply."
        ]  # fmt: skip
    c = s.diagnostics.set_index("test")
    bp, jb = c.loc["breusch_pagan", "p_value"], c.loc["jarque_bera", "p_value"]
    vif = c.loc["max_vif", "statistic"]
    return [
        (f"The residual spread changes with the regressors (Breusch-Pagan {p_text(bp)}), "
         "which is why robust HC3 errors are used." if bp < s.alpha else
         f"No sign that the residual spread changes with the regressors (Breusch-Pagan "
         f"{p_text(bp)})."),
        (f"The residuals are not normal (Jarque-Bera {p_text(jb)}): a few units are far off "
         f"the line; with n = {s.focus['n']} the intervals still hold approximately."
         if jb < s.alpha else f"The residuals look normal (Jarque-Bera {p_text(jb)})."),
        f"The largest variance inflation factor of the engagement term is {vif:.1f}: "
        + ("engagement is nearly explained by the controls, so its estimate is imprecise."
           if vif > VIF_LIMIT else
           "engagement is not a copy of the controls, so its estimate is not inflated."),
        c.loc["n_dropped", "note"].capitalize() + ".",
    ]  # fmt: skip


def _power(s: EngagementRevenueStudy) -> list[str]:
    h, raw = s.prepared, s.main_raw
    r_min = float(s.power.loc[0, "effect_size"])
    return [
        f"With n = {int(raw['n'])} and alpha = {s.alpha:g}, correlations of **{r_min:.2f}** "
        f"or more are detected with {POWER:.0%} power. The observed raw correlation of "
        f"`{h.engagement[0]}` with `{h.outcome}` is {raw['estimate']:.2f}, "
        + ("above that: the study is large enough to see an effect of this size."
           if abs(float(raw["estimate"])) >= r_min else
           "below that: an effect of this size could easily be missed, so no clear "
           "association is weak evidence of no effect.")
        + (f" On a panel the rows are not independent: with only "
           f"{h.data[h.entity].nunique()} {h.entity}s the effective n is smaller and the real "
           "threshold higher." if s.panel else "")
    ]  # fmt: skip


def _timing(s: EngagementRevenueStudy) -> list[str]:
    if not s.panel:
        return []
    main = s.prepared.engagement[0]
    return [
        "## Which moves first?",
        "Granger-type lead-lag tests in both directions: does the past of "
        f"`{main}` help predict each outcome, and does the past of the outcome help predict "
        f"`{main}`? Counts and volumes are tested as week-to-week changes of log(1 + value), "
        "so that trends do not fake a lead.",
    ]


def _truth(s: EngagementRevenueStudy) -> list[str]:
    table = truth_comparison(s)
    if table is None:
        return []
    row = table.iloc[0]
    return [
        f"These data are simulated, so the answer is known: {s.prepared.truth['meaning']}. "
        f"The controlled estimate is **{row['estimate']:.4f}** "
        f"({interval_text(row, alpha=s.alpha, digits=4)}) against a **true effect of "
        f"{row['truth']:g}**: the interval {'covers' if row['covered'] else 'does NOT cover'} "
        f"the truth (error {row['error']:+.4f}). The raw correlation has no true value to "
        "compare with: it mixes the effect with the confounding by size and sector built "
        "into the simulation."
    ]  # fmt: skip


def _verdict(s: EngagementRevenueStudy) -> list[str]:
    h, raw, focus = s.prepared, s.main_raw, s.focus
    table = study_verdict(s).set_index("step")
    raw_clear, ctl_clear = table.loc["raw", "clear"], table.loc["controlled", "clear"]
    n_clear = int(is_clear(s.raw, alpha=s.alpha).sum())
    r_min = float(s.power.loc[0, "effect_size"])
    first = (
        f"{h.unit.capitalize()}s with more `{h.engagement[0]}` have "
        f"{'more' if raw['estimate'] > 0 else 'less'} `{h.outcome}`: "
        f"{COEFFICIENT_NAMES[s.method]} {raw['estimate']:.2f} "
        f"({interval_text(raw, alpha=s.alpha)}, n = {int(raw['n'])}), "
        f"{'a clear association' if raw_clear else 'not a clear association'} after "
        f"adjustment for {_plural(len(s.raw), 'test')} ({n_clear} of {len(s.raw)} "
        "engagement-outcome pairs are clear)."
    )  # fmt: skip
    label = (
        f"{h.entity} and {h.time} fixed effects"
        if s.panel
        else f"{', '.join(h.controls)} held fixed"
        if h.controls
        else "nothing held fixed"
    )
    second = (
        f"With {label}, the estimate for `{focus['term']}` is {focus['estimate']:+.3g} "
        f"({interval_text(focus, alpha=s.alpha, digits=3)}): "
        + ("the association survives the controls." if ctl_clear
           and (focus["estimate"] > 0) == (raw["estimate"] > 0) else
           "the controls take away the clear evidence: what remains is consistent with no "
           "effect of engagement beyond size." if not ctl_clear else
           "the sign reverses once the controls are held fixed.")
    )  # fmt: skip
    if s.partial is not None:
        partial = float(s.partial.iloc[0]["estimate"])
        shrink = 1 - partial / raw["estimate"] if raw["estimate"] else float("nan")
        second += (f" As a partial correlation it is {partial:.2f} against "
                   f"{raw['estimate']:.2f} raw: the controls account for about {shrink:.0%} "
                   "of the raw association.")  # fmt: skip
    third = f"The data could detect correlations of {r_min:.2f} or more with {POWER:.0%} power" + (
        "." if ctl_clear else "; smaller effects could be present and missed."
    )
    bullets = [first, second, third]
    for y, result in s.lead_lag.items():
        pooled = result[result["level"] == "pooled"].set_index("direction")["p_adjusted"]
        ahead = [d for d, p in pooled.items() if p < s.alpha]
        bullets.append(
            f"Timing with `{y}`: "
            + (
                " and ".join(f"`{d}`" for d in ahead)
                + (
                    " both lead: feedback, so reverse causality cannot be ruled out."
                    if len(ahead) == 2
                    else " leads."
                )
                if ahead
                else "neither series leads."
            )
        )
    truth = truth_comparison(s)
    if truth is not None:
        row = truth.iloc[0]
        bullets.append(f"True effect {row['truth']:g}, estimate {row['estimate']:.4f}: the "
                       f"method {'recovers' if row['covered'] else 'misses'} it here.")  # fmt: skip
    headline = (
        "The data support H1, as an association (not as cause and effect)"
        if table["supported"].iloc[0]
        else "The data do not give clear support to H1"
    )
    return [f"**{headline}.**", *bullets]


def _limits(s: EngagementRevenueStudy) -> list[str]:
    h = s.prepared
    held = ", ".join(h.controls)
    limits = [
        "**Causality.** This is observational data: no unit was assigned more engagement at "
        "random, so even a controlled estimate is an association, not the effect of raising "
        "engagement.",
        "**Reverse causality.** Success can bring engagement (a hit gets talked about) as well "
        "as the other way round" + (", and the lead-lag tests above show how the timing runs."
        if s.panel else "; with one cross-section the timing cannot be tested."),
        "**Confounding left over.** "
        + (f"Only {held} {'are' if len(h.controls) != 1 else 'is'} held fixed" if h.controls
           else "No control columns are held fixed")
        + (f" (besides what is constant within a {h.entity} or common to a {h.time})"
           if s.panel else "")
        + "; anything else that drives both engagement and the outcome (marketing spend, news, "
        "seasonality) is not.",
    ]  # fmt: skip
    about = ("About the simulation" if h.simulated else "From the data set's provenance"
             if h.source in SOURCES else "About your file")  # fmt: skip
    return limits + [f"**{about}:** {c}" for c in h.caveats]


def bullet_list(sentences: Sequence[str]) -> str:
    """Sentences as a Markdown bullet list, one ``- `` line each.

    Examples
    --------
    >>> print(bullet_list(["One.", "Two."]))
    - One.
    - Two.
    """
    return "\n".join(f"- {s}" for s in sentences)
