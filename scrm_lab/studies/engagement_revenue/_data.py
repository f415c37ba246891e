"""The engagement-revenue study's sources, each as one tidy table with named roles.

:class:`HypothesisData` and :func:`engagement_revenue_data`, which turns the movies, the
stocknet panel, simulated brands with known truth, or a user's file into one table with
engagement, outcome, control, entity and time roles (the sources are described in
:mod:`scrm_lab.studies.engagement_revenue`).

Examples
--------
>>> engagement_revenue_data().outcome
'gross_usd'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from scrm_lab._checks import (
    SEED,
    Instance,
    Integer,
    OrNone,
    Real,
    Text,
    checks,
    current_function,
    require_columns,
    suggest,
)
from scrm_lab.datasets import dataset_info, load_dataset, load_tables
from scrm_lab.exceptions import DatasetNotFound, ParameterError, SchemaError

__all__ = [
    "DESIGNS",
    "MOVIE_DEFAULTS",
    "ROLES",
    "SOURCES",
    "HypothesisData",
    "engagement_revenue_data",
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

    tables = load_tables(_STOCKS)
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
    function = current_function()
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


@checks(
    path=OrNone(Instance((str, Path), "a file path (str or Path)")),
    kind=OrNone(Text("a canonical table kind, or '' for none", empty_ok=True)),
    columns=OrNone(Instance(Mapping, "a mapping of file columns to roles")),
    view=OrNone(Text("a design name, or '' for the default", empty_ok=True)),
    n_tickers=Integer(low=1),
    effect=Real(),
    n_brands=Integer(low=10),
    seed=SEED,
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
    function = current_function()
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
        return _stocknet(int(n_tickers))
    return _simulated(view or "cross_section", effect, n_brands, seed)
