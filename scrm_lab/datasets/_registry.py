"""The registry of shipped data sets: what each one is, and the loader that reads it.

Private to :mod:`scrm_lab.datasets`, which holds the public functions. Each loader reads a
data set's raw files with pandas, renames and reshapes them, and hands the result to
:func:`scrm_lab.io.conform`, the same code path as a user's own file.

Examples
--------
>>> REGISTRY["cdnow"].folder
'cdnow'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from scrm_lab.exceptions import DataFileError
from scrm_lab.io import conform
from scrm_lab.schema import describe_table


@dataclass(frozen=True)
class _Column:
    """A column a loader returns: declared by the schema (``dtype=None``) or an extra."""

    name: str
    dtype: str | None = None
    description: str = ""
    unit: str | None = None
    nullable: bool = False


@dataclass(frozen=True)
class Dataset:
    """One shipped data set: what it is, its tables and how to load them."""

    name: str
    title: str
    licence: str
    source: str
    good_for: str
    tables: Mapping[str, str]  # table name -> declared kind (scrm_lab.schema)
    rows: Mapping[str, int]  # table name -> rows the loader returns
    columns: Mapping[str, tuple[_Column, ...]]  # table name -> columns the loader returns
    files: tuple[str, ...]  # the data files the loader reads
    loader: Callable[[Dataset, Path], dict[str, pd.DataFrame]] = field(repr=False)
    folder: str = ""  # folder under datasets/; the name by default
    simulated: bool = False

    def __post_init__(self) -> None:  # read-only mappings: the registry cannot be corrupted
        for name in ("tables", "rows", "columns"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        object.__setattr__(self, "folder", self.folder or self.name)


# ------------------------------------------------------------------------------ helpers


def _declared(names: str) -> tuple[_Column, ...]:
    return tuple(_Column(n) for n in names.split())


def _read_csv(path: Path, **kwargs) -> pd.DataFrame:
    """Read delimited text; only an empty cell is missing (never the word 'NA' or 'None')."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""], **kwargs)


def order(entry: Dataset, table: str) -> list[str]:
    """Column order of a loaded table: declared columns in schema order, then the extras."""
    spec = entry.columns[table]
    declared = {c.name for c in spec if c.dtype is None}
    schema_order = describe_table(entry.tables[table])["column"]
    return [c for c in schema_order if c in declared] + [c.name for c in spec if c.dtype]


def _finish(frame: pd.DataFrame, entry: Dataset, table: str, file: str, **kwargs) -> pd.DataFrame:
    """Select the catalog's columns, type the extras, then conform and validate the table."""
    data = frame.reset_index(drop=True)
    extras = {c.name: data[c.name].astype(c.dtype) for c in entry.columns[table] if c.dtype}
    names = [c.name for c in entry.columns[table]]
    source = f"{entry.name}/{file}"
    out = conform(data[names].assign(**extras), entry.tables[table], source=source, **kwargs)
    return out[order(entry, table)]


def _keep_first_by(raw: pd.DataFrame, key: str, order: pd.Series, ascending: bool) -> pd.DataFrame:
    """Keep one row per ``key``: the first by ``order`` (file order on ties), in file order."""
    ranked = order.sort_values(ascending=ascending, kind="stable").index
    kept = raw.loc[ranked].drop_duplicates(subset=key).index
    return raw.loc[raw.index.isin(kept)]


# ------------------------------------------------------------------------------ loaders


def _load_movies(entry: Dataset, folder: Path) -> dict[str, pd.DataFrame]:
    """CSM films: Sheet1 of the original xlsx as our CSV, columns renamed to snake_case."""
    names = dict(
        zip(
            [
                "Movie",
                "Year",
                "Ratings",
                "Genre",
                "Gross",
                "Budget",
                "Screens",
                "Sequel",
                "Sentiment",
                "Views",
                "Likes",
                "Dislikes",
                "Comments",
                "Aggregate Followers",
            ],
            [c.name for c in entry.columns["movies"]],
            strict=True,
        )
    )
    raw = _read_csv(folder / "csm_2014_2015.csv", dtype={"Movie": str, "Genre": str})
    return {"movies": _finish(raw.rename(columns=names), entry, "movies", "csm_2014_2015.csv")}


def _load_stocknet(entry: Dataset, folder: Path) -> dict[str, pd.DataFrame]:
    """StockNet: a companies table (87 tickers) and the company-by-day panel.

    ``companies`` takes ticker (without the ``$``) and company name from ``stock_table.tsv``
    and keeps only the 87 tickers of the panel: GMRE (Global Medical REIT) is listed in the
    table but has no tweets in the window, so it has no panel rows. The sector is the one the
    panel publishes; both files spell one sector "Basic Matierials" (sic), which is kept as
    published so the label matches the source. ``daily`` leaves company and sector out (they
    are in ``companies``).
    """
    text = {"ticker": str, "company": str, "sector": str, "date": str}
    panel = _read_csv(folder / "stocknet_daily_panel.csv", dtype=text)
    listed = _read_csv(folder / "stock_table.tsv", sep="\t", dtype=str)
    sectors = panel.drop_duplicates("ticker").set_index("ticker")["sector"]
    companies = pd.DataFrame(
        {
            "brand": listed["Symbol"].str.strip().str.removeprefix("$"),
            "name": listed["Company"],
        }
    )
    companies = companies[companies["brand"].isin(sectors.index)]
    companies = companies.assign(sector=companies["brand"].map(sectors))
    daily = panel.rename(
        columns={
            "is_trading_day": "trading_day",
            "ret_adj_close": "return",
            "n_tweets": "tweets",
            "n_original": "original_tweets",
            "n_retweets": "retweets",
            "n_unique_users": "unique_users",
            "sum_author_followers": "author_followers",
            "n_tweets_verified_authors": "verified_tweets",
        }
    )
    return {
        "companies": _finish(companies, entry, "companies", "stock_table.tsv"),
        "daily": _finish(daily, entry, "daily", "stocknet_daily_panel.csv"),
    }


def _load_interbrand(entry: Dataset, folder: Path) -> dict[str, pd.DataFrame]:
    """Interbrand Best Global Brands 2008-2010: the compiled CSV as it is."""
    file = "interbrand_best_global_brands.csv"
    raw = _read_csv(folder / file, dtype={c: str for c in ("brand", "country", "sector", "source")})
    return {"brand_rankings": _finish(raw, entry, "brand_rankings", file)}


def _load_engagementdb(entry: Dataset, folder: Path) -> dict[str, pd.DataFrame]:
    """ENGAGEMENTdb 2009 facts: 24 brands; Yahoo! and Intel tie at rank 10 (score 85)."""
    text = ("brand", "profile", "industry", "confidence", "source")
    raw = _read_csv(folder / "known_facts.csv", dtype={c: str for c in text})
    return {"engagement_facts": _finish(raw, entry, "engagement_facts", "known_facts.csv")}


def _load_engagementdb_reconstruction(entry: Dataset, folder: Path) -> dict[str, pd.DataFrame]:
    """ENGAGEMENTdb 2009 reconstruction (partly simulated): brands and channel activity.

    Both CSVs are the output of ``scrm_lab.synth.reconstruct_engagementdb_2009(seed=2009)``
    written with ``DataFrame.to_csv(index=False)``. ``brands`` keeps the real 2008
    Interbrand frame (100 brands) and adds ``sim_*`` columns; ``channel_activity`` is one
    simulated 2009 snapshot (no ``period``), one row per brand and rubric channel (1,100).
    """
    text = {c: str for c in ("brand", "sector", "country", "sim_profile")}
    brands = _read_csv(folder / "brands.csv", dtype=text)
    activity = _read_csv(folder / "channel_activity.csv", dtype={"brand": str, "channel": str})
    return {
        "brands": _finish(brands, entry, "brands", "brands.csv"),
        "channel_activity": _finish(activity, entry, "channel_activity", "channel_activity.csv"),
    }


def _load_airline(entry: Dataset, folder: Path) -> dict[str, pd.DataFrame]:
    """Twitter US Airline Sentiment as a ``messages`` table of 14,485 distinct tweets.

    The file has 14,640 rows but 14,485 distinct ``tweet_id``: 155 ids repeat, all of them
    American Airlines tweets. Rule: drop the 36 rows that exactly duplicate another row, then,
    for each id still repeated (119 pairs, which differ only in the labels, confidences and
    gold columns), keep the row with the highest ``airline_sentiment_confidence``, the first
    in file order on ties. Rows stay in file order. Result: negative 9,083, neutral 3,068,
    positive 2,334; American 2,604 tweets (2,759 before), the other airlines unchanged. Ten
    repeated ids had one gold-labelled row; the rule keeps 38 of the 40 gold labels.

    Times are converted from -0800 to UTC. ``author`` holds real Twitter handles and
    ``location``/``coordinates`` real user data: this is personal data, returned as it is
    (pseudonymizing belongs to reports). ``reply_to`` is missing (not recorded) and
    ``author_is_brand`` False (all tweets are from customers).
    """
    text = [
        "tweet_id",
        "airline_sentiment",
        "negativereason",
        "airline",
        "airline_sentiment_gold",
        "name",
        "negativereason_gold",
        "text",
        "tweet_coord",
        "tweet_created",
        "tweet_location",
        "user_timezone",
    ]
    raw = _read_csv(folder / "Tweets.csv", dtype=dict.fromkeys(text, str)).drop_duplicates()
    raw = _keep_first_by(raw, "tweet_id", raw["airline_sentiment_confidence"], ascending=False)
    frame = raw.rename(
        columns={
            "tweet_id": "message_id",
            "airline": "brand",
            "name": "author",
            "tweet_created": "time",
            "airline_sentiment": "sentiment",
            "airline_sentiment_confidence": "sentiment_confidence",
            "negativereason": "negative_reason",
            "tweet_location": "location",
            "negativereason_confidence": "negative_reason_confidence",
            "tweet_coord": "coordinates",
            "airline_sentiment_gold": "sentiment_gold",
            "negativereason_gold": "negative_reason_gold",
        }
    ).assign(channel="twitter", reply_to=None, author_is_brand=False)
    return {"messages": _finish(frame, entry, "messages", "Tweets.csv")}


def _load_facebook_metrics(entry: Dataset, folder: Path) -> dict[str, pd.DataFrame]:
    """Facebook metrics (Moro et al. 2016): 500 posts; ``post_id`` is the row number.

    The file has no full timestamp (only month, weekday and hour in 2014), so ``time`` is left
    out. ``Paid`` is missing once, ``like`` once and ``share`` four times.
    """
    raw = _read_csv(folder / "dataset_Facebook.csv", sep=";", dtype={"Type": str})
    frame = raw.rename(
        columns={
            "Page total likes": "followers",
            "Category": "category",
            "Post Month": "post_month",
            "Post Weekday": "post_weekday",
            "Post Hour": "post_hour",
            "Paid": "paid",
            "Lifetime Post Total Reach": "reach",
            "Lifetime Post Total Impressions": "impressions",
            "Lifetime Engaged Users": "engaged_users",
            "Lifetime Post Consumers": "consumers",
            "Lifetime Post Consumptions": "consumptions",
            "Lifetime Post Impressions by people who have liked your Page": "impressions_by_fans",
            "Lifetime Post reach by people who like your Page": "reach_by_fans",
            "Lifetime People who have liked your Page and engaged with your post": "engaged_fans",
            "comment": "comments",
            "like": "reactions",
            "share": "shares",
            "Total Interactions": "total_interactions",
        }
    ).assign(
        post_id=[str(i) for i in range(1, len(raw) + 1)],
        brand="cosmetics_brand",
        channel="facebook",
        content_type=raw["Type"].str.lower(),
    )
    return {"posts": _finish(frame, entry, "posts", "dataset_Facebook.csv")}


def _load_live_sellers(entry: Dataset, folder: Path) -> dict[str, pd.DataFrame]:
    """Facebook Live sellers in Thailand as a ``posts`` table of 6,997 distinct posts.

    The file (UTF-8 with BOM, CRLF) has 7,050 rows. Rule: drop the 51 rows that exactly
    duplicate another row (they are page 819700534875473's 51 posts, each listed twice); two
    ids then still repeat (page 246675545449582, posts 326883450762124 and 429583263825475),
    each twice with identical counts but publication times months apart. Keep the earliest
    ``status_published``: Facebook post ids grow with time and the earlier time is the one
    that fits the page's neighbouring ids (the later one looks like a re-publication). Rows
    stay in file order. ``brand`` is the page id (the part of ``status_id`` before ``_``).
    The file's time zone is not documented: its times (``M/D/YYYY H:MM``) are taken as UTC.
    """
    text = ["status_id", "status_type", "status_published"]
    raw = _read_csv(folder / "facebook.csv", encoding="utf-8-sig", dtype=dict.fromkeys(text, str))
    raw = raw.drop_duplicates()
    published = pd.to_datetime(raw["status_published"], format=_LIVE_FORMAT)
    raw = _keep_first_by(raw, "status_id", published, ascending=True)
    frame = raw.rename(
        columns={
            "status_id": "post_id",
            "status_type": "content_type",
            "status_published": "time",
            "num_reactions": "reactions",
            "num_comments": "comments",
            "num_shares": "shares",
            "num_likes": "likes",
            "num_loves": "loves",
            "num_wows": "wows",
            "num_hahas": "hahas",
            "num_sads": "sads",
            "num_angrys": "angrys",
        }
    ).assign(brand=raw["status_id"].str.split("_").str[0], channel="facebook")
    return {"posts": _finish(frame, entry, "posts", "facebook.csv", date_format=_LIVE_FORMAT)}


_LIVE_FORMAT = "%m/%d/%Y %H:%M"


def _load_snap(entry: Dataset, folder: Path) -> dict[str, pd.DataFrame]:
    """SNAP ego-Facebook: 88,234 undirected friendships (one row each), no header in the file."""
    raw = _read_csv(
        folder / "facebook_combined.txt",
        sep=" ",
        header=None,
        names=["source", "target"],
        dtype=str,
    )
    edges = raw.assign(relation="friend")
    return {"edges": _finish(edges, entry, "edges", "facebook_combined.txt")}


def _load_cdnow(entry: Dataset, folder: Path) -> dict[str, pd.DataFrame]:
    """CDNOW: transactions and customers of the full cohort, and the sample's summary.

    ``calibration_summary`` merges the two summary CSVs on their ``ID`` (the sample ids
    1-2357 of ``CDNOW_sample.txt``) and maps each to the master customer id through the
    sample file's (master id, sample id) columns; the mapping is checked to be one-to-one
    and to cover every summary id, else :class:`DataFileError`. ``age`` is ``T``, and
    ``mean_repeat_value`` is ``zbar`` for customers with repeat purchases (``x > 0``),
    missing otherwise (the file writes 0). The sample id is kept as ``sample_id``.
    """
    master = _read_csv(
        folder / "CDNOW_master.txt", sep=r"\s+", dtype={"customer_id": str, "date": str}
    )
    sample = _read_csv(
        folder / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["master_id", "sample_id", "date", "cds", "value"],
        dtype=str,
    )
    ids = sample[["master_id", "sample_id"]].drop_duplicates()
    summary = _read_csv(folder / "cdnow_customers_summary.csv").merge(
        _read_csv(folder / "cdnow_customers_summary_with_transactions.csv")[["ID", "x", "zbar"]],
        on="ID",
        how="left",
        validate="one_to_one",
    )
    by_sample = dict(zip(ids["sample_id"].astype(int), ids["master_id"], strict=True))
    unmapped = sorted(set(summary["ID"]) - set(by_sample))
    if ids["master_id"].duplicated().any() or ids["sample_id"].duplicated().any() or unmapped:
        raise DataFileError(
            "cdnow/CDNOW_sample.txt: the (master id, sample id) pairs are not one-to-one or "
            f"miss summary ids {unmapped[:5]}; expected one master id per sample id 1-2357"
        )
    transactions = master.rename(
        columns={"date": "time", "number_of_cds": "quantity", "dollar_value": "amount"}
    )
    first = master.groupby("customer_id", sort=True)["date"].min()
    customers = pd.DataFrame(
        {
            "customer_id": first.index,
            "first_seen": first.to_numpy(),
            "in_sample": first.index.isin(ids["master_id"]),
        }
    )
    calibration = pd.DataFrame(
        {
            "customer_id": summary["ID"].map(by_sample),
            "frequency": summary["frequency"],
            "recency": summary["recency"],
            "age": summary["T"],
            "mean_repeat_value": summary["zbar"].where(summary["x"] > 0),
            "sample_id": summary["ID"].map(lambda i: f"{i:04d}"),
        }
    )
    return {
        "transactions": _finish(
            transactions, entry, "transactions", "CDNOW_master.txt", date_format="%Y%m%d"
        ),
        "customers": _finish(
            customers, entry, "customers", "CDNOW_master.txt", date_format="%Y%m%d"
        ),
        "calibration_summary": _finish(
            calibration, entry, "calibration_summary", "cdnow_customers_summary.csv"
        ),
    }


# ------------------------------------------------------------------------------ registry


_SHOPPER_COLUMNS = {
    "Administrative": "administrative_pages",
    "Administrative_Duration": "administrative_seconds",
    "Informational": "informational_pages",
    "Informational_Duration": "informational_seconds",
    "ProductRelated": "product_pages",
    "ProductRelated_Duration": "product_seconds",
    "BounceRates": "bounce_rate",
    "ExitRates": "exit_rate",
    "PageValues": "page_value",
    "SpecialDay": "special_day",
    "Month": "month",
    "OperatingSystems": "operating_system",
    "Browser": "browser",
    "Region": "region",
    "TrafficType": "traffic_source",
    "VisitorType": "visitor_type",
    "Weekend": "weekend",
    "Revenue": "purchased",
}
_VISITOR_TYPES = {"New_Visitor": "new", "Returning_Visitor": "returning", "Other": "other"}


def _load_shoppers(entry: Dataset, folder: Path) -> dict[str, pd.DataFrame]:
    """Online shoppers (Sakar et al. 2018) as a ``sessions`` table of all 12,330 rows.

    ``session_id`` is the row number (``S00001``...). The 125 rows that exactly repeat an
    earlier row are kept (the paper says each session is a different user, so identical
    minimal sessions are plausible) and flagged in ``duplicate``. ``June``, the one month the
    file writes in full, becomes ``Jun``; visitor types become ``new``, ``returning`` and
    ``other``; the anonymised codes stay codes (text, in numeric order).
    """
    codes = ("OperatingSystems", "Browser", "Region", "TrafficType")
    raw = _read_csv(folder / "online_shoppers_intention.csv", dtype=dict.fromkeys(codes, str))
    frame = raw.rename(columns=_SHOPPER_COLUMNS).assign(
        session_id=[f"S{i:05d}" for i in range(1, len(raw) + 1)],
        month=raw["Month"].replace({"June": "Jun"}),
        visitor_type=raw["VisitorType"].map(_VISITOR_TYPES),
        duplicate=raw.duplicated(),
    )
    table = _finish(frame, entry, "sessions", "online_shoppers_intention.csv")
    for code in ("traffic_source", "operating_system", "browser", "region"):  # 1, 2, ..., 10
        column = table[code]
        table[code] = column.cat.reorder_categories(sorted(column.cat.categories, key=int))
    return {"sessions": table}


def _count(name: str, description: str, nullable: bool = False) -> _Column:
    return _Column(name, "Int64" if nullable else "int64", description, "count", nullable)


_ENTRIES = [
    Dataset(
        "csm_movies_social_boxoffice",
        "CSM: 231 films of 2014-15 with trailer engagement, cast followers and US gross",
        "CC BY 4.0 (UCI)",
        "Ahmed, Jahangir, Afzal, Majeed & Siddiqi (2015), Using crowd-source based features "
        "from social media and conventional features to predict the movies popularity, IEEE "
        "SmartCity/SocialCom/SustainCom 2015, 273-278; UCI Machine Learning Repository, CSM "
        "(Conventional and Social Media Movies) Dataset 2014 and 2015",
        "real cross-section: social engagement (YouTube trailer views, likes, comments; cast "
        "Twitter followers) vs revenue (US gross) with controls (budget, screens, genre, sequel)",
        {"movies": "movies"},
        {"movies": 231},
        {
            "movies": _declared(
                "movie year rating genre gross_usd budget_usd screens sequel sentiment views likes "
                "dislikes comments cast_followers"
            )
        },
        ("csm_2014_2015.csv",),
        _load_movies,
    ),
    Dataset(
        "stocknet_tweets_prices",
        "StockNet: daily cashtag tweets and stock prices of 87 large firms, 2014-01 to 2016-03",
        "MIT",
        "Xu & Cohen (2018), Stock Movement Prediction from Tweets and Historical Prices, ACL "
        "2018, 1970-1979; https://github.com/yumoxu/stocknet-dataset (daily panel derived by "
        "scrm_lab from its raw tweets and prices)",
        "real panel: lead-lag of social chatter (tweet volume, reach) vs market outcomes "
        "(price, return, trading volume)",
        {"companies": "brands", "daily": "stock_daily"},
        {"companies": 87, "daily": 56_011},
        {
            "companies": _declared("brand name sector"),
            "daily": _declared(
                "ticker date trading_day open high low close adj_close volume "
                "return tweets original_tweets retweets unique_users "
                "author_followers verified_tweets"
            ),
        },
        ("stock_table.tsv", "stocknet_daily_panel.csv"),
        _load_stocknet,
    ),
    Dataset(
        "interbrand_best_global_brands",
        "Interbrand / BusinessWeek Best Global Brands 2008-2010 (100 brands a year)",
        "published facts",
        "Interbrand, Best Global Brands 2008, 2009 and 2010 (with BusinessWeek); compiled from "
        "interbrand.com ranking pages and checked against BusinessWeek and press copies",
        "the ENGAGEMENTdb sample frame (2008); size and sector controls; brand value growth",
        {"brand_rankings": "brand_rankings"},
        {"brand_rankings": 300},
        {
            "brand_rankings": _declared(
                "year rank brand country sector brand_value_musd change_pct source"
            )
        },
        ("interbrand_best_global_brands.csv",),
        _load_interbrand,
    ),
    Dataset(
        "engagementdb_2009",
        "ENGAGEMENTdb 2009: every confirmed brand-level fact (ranks, scores, profiles)",
        "published facts",
        "Wetpaint & Altimeter Group (2009), The world's most valuable brands. Who's most "
        "engaged? ENGAGEMENTdb: Ranking the Top 100 Global Brands; press release 20 July 2009",
        "reproduction checks of the 2009 study: engagement ranks, scores, channels, profiles",
        {"engagement_facts": "engagement_facts"},
        {"engagement_facts": 24},
        {
            "engagement_facts": _declared(
                "brand rank score channels profile industry confidence source"
            )
        },
        ("known_facts.csv",),
        _load_engagementdb,
    ),
    Dataset(
        "engagementdb_2009_reconstruction",
        "ENGAGEMENTdb 2009 reconstruction (partly simulated): the real 2008 Interbrand frame "
        "with simulated channel activity, scores, profiles and financial changes that fit "
        "every published fact",
        "published facts (real columns); MIT (simulated columns, scrm_lab)",
        "Real: Interbrand, Best Global Brands 2008 and 2009 (with BusinessWeek); published "
        "facts of Wetpaint & Altimeter Group (2009), ENGAGEMENTdb: Ranking the Top 100 Global "
        "Brands. Simulated: scrm_lab.synth.reconstruct_engagementdb_2009(seed=2009)",
        "SIMULATED stand-in for the unpublished 2009 appendix: scoring, profiles and "
        "profile-gap analyses with controls for sector and size against a known truth "
        "(no conclusion about real brands)",
        {"brands": "brands", "channel_activity": "channel_activity"},
        {"brands": 100, "channel_activity": 1_100},
        {
            "brands": _declared("brand sector country size")
            + (
                _Column(
                    "interbrand_rank_2008",
                    "int64",
                    "Rank in Interbrand's Best Global Brands 2008 (the study's sample frame).",
                    "rank",
                ),
                _Column(
                    "brand_value_2008_musd",
                    "float64",
                    "Interbrand 2008 brand value (the same as size).",
                    "million USD",
                ),
                _Column(
                    "brand_value_change_2009_pct",
                    "float64",
                    "Change in brand value from the 2008 to the 2009 Interbrand list, as "
                    "published; missing for the 7 brands that dropped off the 2009 list.",
                    "percent",
                    nullable=True,
                ),
                _Column(
                    "sim_engagement_rank",
                    "int64",
                    "SIMULATED: engagement rank (1 = most engaged; ties share the lowest "
                    "rank); equal to the published rank for the 14 brands whose rank is known.",
                    "rank",
                ),
                _Column(
                    "sim_engagement_score",
                    "int64",
                    "SIMULATED: engagement score (sum of the brand's channel depths in "
                    "channel_activity); the 11 published top scores are kept.",
                    "points",
                ),
                _Column(
                    "sim_breadth",
                    "int64",
                    "SIMULATED: channels present (0-11); Starbucks' 11 is published.",
                    "count",
                ),
                _Column(
                    "sim_profile",
                    "category",
                    "SIMULATED: profile by the regression rule (above or below the OLS line "
                    "of score on breadth; 7+ channels wide): Maven, Butterfly, Selective or "
                    "Wallflower; the 24 published profiles are kept.",
                ),
                _Column(
                    "sim_revenue_change_pct",
                    "float64",
                    "SIMULATED: revenue change over 12 months; profile means exactly +18 "
                    "(Mavens) and -6 (Wallflowers) as published, +5 (Butterflies) and +7 "
                    "(Selectives) assumed; depends on sector and size (see PROVENANCE.md).",
                    "percent",
                ),
                _Column(
                    "sim_gross_margin_change_pts",
                    "float64",
                    "SIMULATED: gross margin change over 12 months; ASSUMED profile means "
                    "(only the direction was published).",
                    "percentage points",
                ),
                _Column(
                    "sim_net_margin_change_pts",
                    "float64",
                    "SIMULATED: net margin change over 12 months; ASSUMED profile means "
                    "(Selectives above Butterflies, as published).",
                    "percentage points",
                ),
            ),
            "channel_activity": (
                _Column("brand"),
                _Column("channel"),
                _Column(
                    "present",
                    description="SIMULATED: whether the brand is present on the channel.",
                ),
            )
            + tuple(
                _Column(
                    name,
                    "int64",
                    f"SIMULATED: {name} level 0-{top} of the engagementdb_2009 rubric; 0 "
                    "where the brand is not present.",
                    "level",
                )
                for name, top in (
                    ("freshness", 3),
                    ("responsiveness", 3),
                    ("participation", 3),
                    ("integration", 2),
                )
            )
            + (
                _Column(
                    "simulated",
                    "bool",
                    "SIMULATED: True on every row; every value of this table other than "
                    "brand and channel is simulated.",
                ),
            ),
        },
        ("brands.csv", "channel_activity.csv"),
        _load_engagementdb_reconstruction,
        simulated=True,
    ),
    Dataset(
        "twitter_airline_sentiment",
        "Twitter US Airline Sentiment: 14,485 distinct tweets about six US airlines, "
        "Feb 2015 (14,640 rows before removing repeated tweet ids)",
        "CC BY-NC-SA 4.0",
        "CrowdFlower (Figure Eight), Data for Everyone: Twitter US Airline Sentiment; Kaggle "
        "re-release https://www.kaggle.com/datasets/crowdflower/twitter-airline-sentiment",
        "listening, share of voice, net sentiment, sentiment models, complaint reasons, social "
        "customer service (personal data: pseudonymize authors in reports)",
        {"messages": "messages"},
        {"messages": 14_485},
        {
            "messages": _declared(
                "message_id brand channel author time text reply_to author_is_brand sentiment"
            )
            + (
                _Column(
                    "sentiment_confidence",
                    "float64",
                    "Crowd workers' agreement-weighted confidence in the sentiment label.",
                    "ratio (0-1)",
                ),
                _Column(
                    "negative_reason",
                    "category",
                    "Complaint reason of a negative tweet; "
                    "missing for neutral and positive tweets.",
                    nullable=True,
                ),
                _Column(
                    "negative_reason_confidence",
                    "float64",
                    "Confidence in the negative "
                    "reason; missing for most neutral and positive tweets.",
                    "ratio (0-1)",
                    nullable=True,
                ),
                _count("retweet_count", "Retweet count, as published."),
                _Column(
                    "location",
                    "str",
                    "Profile location typed by the user, as published (free text; personal data).",
                    nullable=True,
                ),
                _Column(
                    "user_timezone", "category", "Time zone of the user's profile.", nullable=True
                ),
                _Column(
                    "coordinates",
                    "str",
                    "Tweet coordinates '[lat, lon]' as published; "
                    "'[0.0, 0.0]' carries no location.",
                    nullable=True,
                ),
                _Column(
                    "sentiment_gold",
                    "category",
                    "Gold-standard sentiment label of the labelling job (set for a few tweets).",
                    nullable=True,
                ),
                _Column(
                    "negative_reason_gold",
                    "str",
                    "Gold negative reason(s), as published: "
                    "several reasons are separated by a newline.",
                    nullable=True,
                ),
            )
        },
        ("Tweets.csv",),
        _load_airline,
    ),
    Dataset(
        "facebook_metrics",
        "Facebook metrics: 500 posts of a cosmetics brand's page in 2014",
        "CC BY 4.0 (UCI)",
        "Moro, Rita & Vala (2016), Predicting social media performance metrics and evaluation "
        "of the impact on brand building: a data mining approach, Journal of Business Research "
        "69(9), 3341-3351, doi:10.1016/j.jbusres.2016.02.010; UCI Machine Learning Repository, "
        "Facebook metrics",
        "content performance: reach, impressions, engaged users and interactions by content "
        "type, paid vs organic; engagement rates",
        {"posts": "posts"},
        {"posts": 500},
        {
            "posts": _declared(
                "post_id brand channel content_type paid followers reach "
                "impressions engaged_users reactions comments shares"
            )
            + (
                _Column(
                    "category",
                    "category",
                    "Post category code (1-3) as published; the "
                    "shipped files do not explain the codes.",
                ),
                _Column("post_month", "int64", "Month of publication in 2014.", "month (1-12)"),
                _Column(
                    "post_weekday", "int64", "Weekday of publication, as published.", "day (1-7)"
                ),
                _Column("post_hour", "int64", "Hour of publication, as published.", "hour"),
                _count("consumers", "'Lifetime Post Consumers': people who clicked in the post."),
                _count("consumptions", "'Lifetime Post Consumptions': clicks in the post."),
                _count(
                    "impressions_by_fans",
                    "'Lifetime Post Impressions by people who have liked your Page'.",
                ),
                _count("reach_by_fans", "'Lifetime Post reach by people who like your Page'."),
                _count(
                    "engaged_fans",
                    "'Lifetime People who have liked your Page and engaged with your post'.",
                ),
                _count("total_interactions", "'Total Interactions': comments + likes + shares."),
            )
        },
        ("dataset_Facebook.csv",),
        _load_facebook_metrics,
    ),
    Dataset(
        "facebook_live_sellers",
        "Facebook Live sellers in Thailand: 6,997 distinct posts of 9 seller pages, "
        "2012-2018 (7,050 rows before deduplication)",
        "CC BY 4.0 (UCI)",
        "Dehouche (2020), Dataset on usage and engagement patterns for Facebook Live sellers "
        "in Thailand, Data in Brief 30, 105661, doi:10.1016/j.dib.2020.105661; UCI Machine "
        "Learning Repository, Facebook Live Sellers in Thailand",
        "social-commerce engagement (reactions, comments, shares) by content type; seller "
        "segments; a panel of seller pages (no sales figures)",
        {"posts": "posts"},
        {"posts": 6_997},
        {
            "posts": _declared("post_id brand channel time content_type reactions comments shares")
            + (_count("likes", "'Like' reactions."),)
            + tuple(
                _count(
                    f"{r}s",
                    f"'{r.capitalize()}' reactions (Facebook added them on "
                    "2016-02-24: zero for every earlier post).",
                )
                for r in ("love", "wow", "haha", "sad", "angry")
            )
        },
        ("facebook.csv",),
        _load_live_sellers,
    ),
    Dataset(
        "snap_ego_facebook",
        "SNAP ego-Facebook: 88,234 friendships among 4,039 anonymised users",
        "no licence stated, citation requested",
        "McAuley & Leskovec (2012), Learning to Discover Social Circles in Ego Networks, NIPS "
        "2012; SNAP, https://snap.stanford.edu/data/ego-Facebook.html",
        "influence, communities, cascades on a real friendship graph (undirected)",
        {"edges": "edges"},
        {"edges": 88_234},
        {"edges": _declared("source target relation")},
        ("facebook_combined.txt",),
        _load_snap,
    ),
    Dataset(
        "cdnow",
        "CDNOW: purchases of 23,570 customers acquired in Q1 1997, to June 1998",
        "MIT (lifetimes package)",
        'Fader, Hardie & Lee (2005), "Counting Your Customers" the Easy Way, Marketing '
        "Science 24(2), 275-284; https://www.brucehardie.com/datasets/; files from the "
        "lifetimes package, https://github.com/CamDavidsonPilon/lifetimes",
        "traditional CRM: RFM, repeat buying, customer lifetime value (BTYD models)",
        {
            "transactions": "transactions",
            "customers": "customers",
            "calibration_summary": "customer_summary",
        },
        {"transactions": 69_659, "customers": 23_570, "calibration_summary": 2_357},
        {
            "transactions": _declared("customer_id time amount quantity"),
            "customers": _declared("customer_id first_seen")
            + (
                _Column(
                    "in_sample",
                    "bool",
                    "Whether the customer is in the 1/10 sample "
                    "(CDNOW_sample.txt) summarized in calibration_summary.",
                ),
            ),
            "calibration_summary": _declared("customer_id frequency recency age mean_repeat_value")
            + (
                _Column(
                    "sample_id",
                    "str",
                    "The customer's id in the 1/10 sample "
                    "(CDNOW_sample.txt, 4 digits; the summary files write it as 1-2357).",
                ),
            ),
        },
        (
            "CDNOW_master.txt",
            "CDNOW_sample.txt",
            "cdnow_customers_summary.csv",
            "cdnow_customers_summary_with_transactions.csv",
        ),
        _load_cdnow,
    ),
    Dataset(
        "online_shoppers_intention",
        "Online shoppers: 12,330 sessions on one retailer's web shop over a year, 1,908 "
        "ending in a purchase",
        "CC BY 4.0 (UCI)",
        "Sakar, Polat, Katircioglu & Kastro (2019), Real-time prediction of online shoppers' "
        "purchasing intention using multilayer perceptron and LSTM recurrent neural networks, "
        "Neural Computing and Applications 31(10), 6893-6908, doi:10.1007/s00521-018-3523-0; "
        "UCI Machine Learning Repository, Online Shoppers Purchasing Intention Dataset, "
        "doi:10.24432/C5F88Q",
        "site traffic by month and traffic source, repeat visits (new vs returning), "
        "conversion rate, the page-type funnel to purchase (no social channel, no user id, "
        "no order value; page_value leaks the purchase in Feb, Mar and May)",
        {"sessions": "sessions"},
        {"sessions": 12_330},
        {
            "sessions": _declared(
                "session_id purchased month traffic_source visitor_type administrative_pages "
                "administrative_seconds informational_pages informational_seconds "
                "product_pages product_seconds bounce_rate exit_rate page_value weekend"
            )
            + (
                _Column(
                    "special_day",
                    "float64",
                    "'SpecialDay': closeness to a special day such as Mother's Day or "
                    "Valentine's Day (0 to 1 in steps of 0.2; 1 on the day that allows for "
                    "delivery).",
                    "score (0-1)",
                ),
                _Column("operating_system", "category", "'OperatingSystems': anonymised code 1-8."),
                _Column("browser", "category", "'Browser': anonymised code 1-13."),
                _Column("region", "category", "'Region': anonymised code 1-9."),
                _Column(
                    "duplicate",
                    "bool",
                    "Whether the row exactly repeats an earlier row of the file (125 do; "
                    "see PROVENANCE.md). Kept: identical minimal sessions are plausible.",
                ),
            )
        },
        ("online_shoppers_intention.csv",),
        _load_shoppers,
    ),
]
REGISTRY: Mapping[str, Dataset] = MappingProxyType({e.name: e for e in _ENTRIES})
del _ENTRIES
