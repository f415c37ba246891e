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
    "DESIGNS",
    "MOVIE_DEFAULTS",
    "ROLES",
    "SOURCES",
    "HypothesisData",
    "apply_parameters",
    "controlled_estimates",
    "engagement_revenue_data",
    "log_columns",
    "model_arguments",
    "partial_correlations",
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
