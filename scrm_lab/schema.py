"""Canonical tables, declared once with pandera.

Every table that enters scrm_lab is one of the tables declared here. A declaration is a
:class:`pandera.pandas.DataFrameSchema` whose columns carry a ``kind`` (how a loader coerces
raw values), a ``unit`` and a one-line description in their metadata, and whose
``metadata["key"]`` names the columns that identify a row.

The thirteen canonical tables are ``brands``, ``channel_activity``, ``financials``,
``posts``, ``messages``, ``interactions``, ``customers``, ``social_profiles``,
``transactions``, ``edges``, ``sessions`` (visits to a web site, as web analytics exports
them), ``search_trends`` and ``audience`` (follower demographics). A few
shipped data sets have a shape of their own (films, a stock-by-day panel,
brand rankings, the 2009 study's facts, a customer summary); those tables are declared here
too, in :data:`DATASET_TABLES`, so every table has exactly one declaration.

Column kinds and their pandas dtypes:

============  =========================================================
kind          dtype
============  =========================================================
``string``    ``str`` (missing values are NaN)
``category``  ``category`` (allowed values listed where they are fixed)
``int``       ``int64``, or ``Int64`` where the column may be missing
``float``     ``float64``
``bool``      ``bool``, or ``boolean`` where the column may be missing
``date``      ``datetime64[ns]`` (a calendar day, no time zone)
``timestamp`` ``datetime64[ns, UTC]`` (an instant, always in UTC)
============  =========================================================

Examples
--------
>>> from scrm_lab.schema import get_table, describe_table
>>> get_table("brands").metadata["key"]
['brand']
>>> describe_table("brands")[["column", "kind", "required"]].head(2)
  column    kind  required
0  brand  string      True
1   name  string     False
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import pandera.pandas as pa

from scrm_lab._checks import Choice, Flag, OrNone, Text, checks
from scrm_lab._checks import suggest as _suggest
from scrm_lab.exceptions import SchemaError

__all__ = [
    "CANONICAL_TABLES",
    "DATASET_TABLES",
    "KINDS",
    "MONTHS",
    "VISITOR_TYPES",
    "describe_table",
    "get_table",
    "key_columns",
    "list_tables",
    "validate",
]

#: Column kinds and the dtype each is stored as (``nullable`` variant second).
KINDS: dict[str, tuple[str, str]] = {
    "string": ("str", "str"),
    "category": ("category", "category"),
    "int": ("int64", "Int64"),
    "float": ("float64", "float64"),
    "bool": ("bool", "boolean"),
    "date": ("datetime64[ns]", "datetime64[ns]"),
    "timestamp": ("datetime64[ns, UTC]", "datetime64[ns, UTC]"),
}


def _col(
    kind: str,
    description: str,
    *,
    unit: str | None = None,
    required: bool = True,
    nullable: bool = False,
    ge: float | None = None,
    le: float | None = None,
    allowed: Sequence[str] | None = None,
) -> pa.Column:
    """Declare one column: its kind, meaning, unit and allowed values."""
    checks = []
    if ge is not None:
        checks.append(pa.Check.ge(ge, error=f"a value >= {ge:g}"))
    if le is not None:
        checks.append(pa.Check.le(le, error=f"a value <= {le:g}"))
    if allowed is not None:
        checks.append(pa.Check.isin(list(allowed), error=f"one of {sorted(allowed)}"))
    dtype = str if kind == "string" else KINDS[kind][1 if nullable else 0]
    return pa.Column(
        dtype,
        checks=checks,
        nullable=nullable,
        required=required,
        description=description,
        metadata={
            "kind": kind,
            "unit": unit,
            "allowed": list(allowed) if allowed is not None else None,
        },
    )


def _table(
    name: str, description: str, columns: dict[str, pa.Column], *, key: list[str]
) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        columns,
        name=name,
        description=description,
        strict=False,  # extra columns are kept as they are
        metadata={"key": key},
    )


_COUNT = {"unit": "count", "ge": 0}
SENTIMENTS = ("negative", "neutral", "positive")
#: Calendar months as the ``sessions`` table writes them.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: The ``visitor_type`` values of the ``sessions`` table.
VISITOR_TYPES = ("new", "returning", "other")

CANONICAL_TABLES: dict[str, pa.DataFrameSchema] = {
    "brands": _table(
        "brands",
        "One row per brand (or firm, or product treated as a brand).",
        {
            "brand": _col("string", "Brand identifier, unique."),
            "name": _col("string", "Display name.", required=False, nullable=True),
            "sector": _col("category", "Industry sector.", required=False, nullable=True),
            "country": _col(
                "string", "Country of origin or ownership.", required=False, nullable=True
            ),
            "size": _col(
                "float",
                "A size measure (revenue, assets, brand value); the data set states its unit.",
                unit="as stated by the data set",
                required=False,
                nullable=True,
                ge=0,
            ),
        },
        key=["brand"],
    ),
    "channel_activity": _table(
        "channel_activity",
        "A brand's presence and activity on one social channel in one period.",
        {
            "brand": _col("string", "Brand identifier."),
            "channel": _col("category", "Social channel (blogs, facebook, twitter...)."),
            "period": _col(
                "date",
                "First day of the period; absent for a single snapshot.",
                required=False,
            ),
            "present": _col("bool", "Whether the brand has a presence on the channel."),
            "posts": _col(
                "int", "Posts the brand published.", required=False, nullable=True, **_COUNT
            ),
            "followers": _col(
                "int",
                "Followers, fans or subscribers at the end of the period.",
                required=False,
                nullable=True,
                **_COUNT,
            ),
            "engagements": _col(
                "int",
                "Reactions, comments and shares the brand's content received.",
                required=False,
                nullable=True,
                **_COUNT,
            ),
            "replies": _col(
                "int",
                "Replies the brand made to users on the channel.",
                required=False,
                nullable=True,
                **_COUNT,
            ),
        },
        key=["brand", "channel", "period"],
    ),
    "financials": _table(
        "financials",
        "A brand's financial results for one period.",
        {
            "brand": _col("string", "Brand identifier."),
            "period": _col("date", "First day of the fiscal period."),
            "revenue": _col(
                "float", "Revenue in the period.", unit="currency", nullable=True, ge=0
            ),
            "gross_margin": _col(
                "float",
                "Gross profit / revenue.",
                unit="ratio",
                required=False,
                nullable=True,
                le=1,
            ),
            "net_margin": _col(
                "float",
                "Net profit / revenue.",
                unit="ratio",
                required=False,
                nullable=True,
                le=1,
            ),
            "currency": _col("string", "ISO 4217 currency code.", required=False, nullable=True),
        },
        key=["brand", "period"],
    ),
    "posts": _table(
        "posts",
        "Content a brand published on a channel, with the audience response it got.",
        {
            "post_id": _col("string", "Post identifier, unique."),
            "brand": _col("string", "The brand (page, account or seller) that posted."),
            "channel": _col("category", "Social channel."),
            "time": _col(
                "timestamp", "When the post was published (UTC).", required=False, nullable=True
            ),
            "content_type": _col(
                "category",
                "Kind of content (photo, video, status, link...).",
                required=False,
                nullable=True,
            ),
            "paid": _col("bool", "Whether the post was promoted.", required=False, nullable=True),
            "followers": _col(
                "int",
                "Followers of the page when the post was published.",
                required=False,
                nullable=True,
                **_COUNT,
            ),
            "reach": _col(
                "int", "Unique people who saw the post.", required=False, nullable=True, **_COUNT
            ),
            "impressions": _col(
                "int", "Times the post was shown.", required=False, nullable=True, **_COUNT
            ),
            "engaged_users": _col(
                "int",
                "Unique people who clicked or reacted.",
                required=False,
                nullable=True,
                **_COUNT,
            ),
            "reactions": _col(
                "int", "Likes and other reactions.", required=False, nullable=True, **_COUNT
            ),
            "comments": _col("int", "Comments.", required=False, nullable=True, **_COUNT),
            "shares": _col("int", "Shares.", required=False, nullable=True, **_COUNT),
            "text": _col("string", "Text of the post.", required=False, nullable=True),
        },
        key=["post_id"],
    ),
    "messages": _table(
        "messages",
        "Mentions of and replies to a brand: customer-controlled conversation.",
        {
            "message_id": _col("string", "Message identifier, unique."),
            "brand": _col("string", "The brand the message is about or addressed to."),
            "channel": _col("category", "Social channel."),
            "author": _col("string", "Author handle or pseudonym."),
            "time": _col("timestamp", "When the message was posted (UTC)."),
            "text": _col("string", "Message text."),
            "reply_to": _col(
                "string",
                "message_id this message replies to; missing for a new thread.",
                required=False,
                nullable=True,
            ),
            "author_is_brand": _col(
                "bool",
                "Whether the author is the brand's own account.",
                required=False,
                nullable=True,
            ),
            "sentiment": _col(
                "category",
                "Labelled or predicted sentiment.",
                required=False,
                nullable=True,
                allowed=SENTIMENTS,
            ),
        },
        key=["message_id"],
    ),
    "interactions": _table(
        "interactions",
        "Customer events: one row per action a customer took toward the brand.",
        {
            "customer_id": _col("string", "Customer identifier."),
            "time": _col("timestamp", "When the action happened (UTC)."),
            "channel": _col("category", "Channel of the action."),
            "action": _col(
                "category", "Kind of action (view, like, comment, share, click, review...)."
            ),
            "interaction_id": _col(
                "string", "Event identifier, unique when present.", required=False
            ),
            "brand": _col("string", "Brand concerned.", required=False, nullable=True),
            "value": _col(
                "float",
                "A value attached to the action (rating, seconds watched...).",
                required=False,
                nullable=True,
            ),
        },
        key=["interaction_id"],
    ),
    "customers": _table(
        "customers",
        "One row per customer.",
        {
            "customer_id": _col("string", "Customer identifier, unique."),
            "first_seen": _col(
                "date",
                "Day the customer was acquired or first seen.",
                required=False,
                nullable=True,
            ),
            "segment": _col("category", "Segment label.", required=False, nullable=True),
            "country": _col("string", "Country.", required=False, nullable=True),
            "followers": _col(
                "int",
                "The customer's own social followers.",
                required=False,
                nullable=True,
                **_COUNT,
            ),
            "first_name": _col("string", "First (given) name.", required=False, nullable=True),
            "last_name": _col("string", "Last name (surname).", required=False, nullable=True),
            "email": _col("string", "Email address.", required=False, nullable=True),
            "city": _col(
                "string", "City of the customer's address.", required=False, nullable=True
            ),
            "birth_year": _col(
                "int", "Year of birth.", unit="year", required=False, nullable=True, ge=1800
            ),
            "given_handle": _col(
                "string",
                "A social handle the customer typed into a form, as typed (may carry a leading "
                "'@' or other capitals); missing when none was given.",
                required=False,
                nullable=True,
            ),
            "given_handle_platform": _col(
                "category",
                "The platform the form asked the given handle for.",
                required=False,
                nullable=True,
            ),
        },
        key=["customer_id"],
    ),
    "social_profiles": _table(
        "social_profiles",
        "One row per profile (account) of a person on a social platform.",
        {
            "platform": _col("category", "Social platform (twitter, instagram...)."),
            "profile_id": _col("string", "Profile identifier, unique within the platform."),
            "handle": _col("string", "The profile's handle (user name), without a leading '@'."),
            "display_name": _col(
                "string",
                "Name shown on the profile, as its owner wrote it.",
                required=False,
                nullable=True,
            ),
            "location": _col(
                "string", "Location as written on the profile.", required=False, nullable=True
            ),
            "bio": _col("string", "Short self-description.", required=False, nullable=True),
            "followers": _col(
                "int", "Followers of the profile.", required=False, nullable=True, **_COUNT
            ),
        },
        key=["platform", "profile_id"],
    ),
    "transactions": _table(
        "transactions",
        "Purchases: one row per transaction line.",
        {
            "customer_id": _col("string", "Customer identifier."),
            "time": _col("timestamp", "When the purchase was made (UTC)."),
            "amount": _col("float", "Amount paid.", unit="currency", ge=0),
            "quantity": _col(
                "int", "Units bought.", unit="count", required=False, nullable=True, ge=0
            ),
            "transaction_id": _col(
                "string", "Transaction identifier, unique when present.", required=False
            ),
            "channel": _col("category", "Sales channel.", required=False, nullable=True),
        },
        key=["transaction_id"],
    ),
    "edges": _table(
        "edges",
        "Links between people (or accounts): friendships, follows, mentions, replies.",
        {
            "source": _col("string", "Node the link starts from."),
            "target": _col("string", "Node the link goes to."),
            "weight": _col("float", "Strength of the link.", required=False, nullable=True, ge=0),
            "relation": _col(
                "category",
                "Kind of link (friend, follow, mention, reply...).",
                required=False,
                nullable=True,
            ),
            "time": _col(
                "timestamp", "When the link was observed (UTC).", required=False, nullable=True
            ),
        },
        key=[],
    ),
    "sessions": _table(
        "sessions",
        "Visits to the brand's web site: one row per session, as web analytics exports them.",
        {
            "session_id": _col("string", "Session identifier, unique."),
            "purchased": _col("bool", "Whether the session ended with a purchase (conversion)."),
            "time": _col(
                "timestamp",
                "When the session started (UTC); absent when only the month is known.",
                required=False,
                nullable=True,
            ),
            "month": _col(
                "category",
                "Calendar month of the session, for sources that give no date.",
                required=False,
                nullable=True,
                allowed=MONTHS,
            ),
            "traffic_source": _col(
                "category",
                "What brought the visitor (a source name or the export's code).",
                required=False,
                nullable=True,
            ),
            "visitor_type": _col(
                "category",
                "Whether the visitor had been to the site before (web analytics' flag).",
                required=False,
                nullable=True,
                allowed=VISITOR_TYPES,
            ),
            **{
                column: spec
                for page_type, about in (
                    ("administrative", "account-management"),
                    ("informational", "informational (about, contact)"),
                    ("product", "product"),
                )
                for column, spec in (
                    (
                        f"{page_type}_pages",
                        _col(
                            "int",
                            f"Pages of the {about} type viewed.",
                            required=False,
                            nullable=True,
                            **_COUNT,
                        ),
                    ),
                    (
                        f"{page_type}_seconds",
                        _col(
                            "float",
                            f"Time spent on {about} pages.",
                            unit="seconds",
                            required=False,
                            nullable=True,
                            ge=0,
                        ),
                    ),
                )
            },
            "bounce_rate": _col(
                "float",
                "Mean bounce rate of the pages viewed (web analytics' page metric).",
                unit="ratio",
                required=False,
                nullable=True,
                ge=0,
                le=1,
            ),
            "exit_rate": _col(
                "float",
                "Mean exit rate of the pages viewed (web analytics' page metric).",
                unit="ratio",
                required=False,
                nullable=True,
                ge=0,
                le=1,
            ),
            "page_value": _col(
                "float",
                "Mean page value of the pages viewed (web analytics' page metric).",
                unit="currency",
                required=False,
                nullable=True,
                ge=0,
            ),
            "weekend": _col(
                "bool", "Whether the session was on a weekend.", required=False, nullable=True
            ),
        },
        key=["session_id"],
    ),
    "search_trends": _table(
        "search_trends",
        "Search interest in a term per period, as search-trend tools export it (no open data: "
        "your own export, e.g. Google Trends).",
        {
            "term": _col("string", "The search term or topic."),
            "period": _col("date", "First day of the period (week or month)."),
            "interest": _col(
                "float",
                "Search interest relative to the highest point of the export (100).",
                unit="index (0-100)",
                ge=0,
                le=100,
            ),
            "geo": _col(
                "string", "Region the interest is for (e.g. 'US').", required=False, nullable=True
            ),
        },
        key=["term", "geo", "period"],
    ),
    "audience": _table(
        "audience",
        "Who a brand's followers are on a channel, as platform insights export them (no open "
        "data: your own export).",
        {
            "brand": _col("string", "The brand (page or account)."),
            "channel": _col("category", "Social channel."),
            "dimension": _col(
                "category", "What the groups split by: age, gender, country, city, language..."
            ),
            "group": _col("string", "The group within the dimension ('25-34', 'female', 'BR')."),
            "followers": _col("int", "Followers in the group.", **_COUNT),
            "period": _col(
                "date",
                "Day the breakdown was taken; absent for a single snapshot.",
                required=False,
            ),
        },
        key=["brand", "channel", "period", "dimension", "group"],
    ),
}

DATASET_TABLES: dict[str, pa.DataFrameSchema] = {
    "movies": _table(
        "movies",
        "Films with their trailers' YouTube engagement and US box office (CSM 2014-15).",
        {
            "movie": _col("string", "Film title."),
            "year": _col("int", "Release year.", unit="year"),
            "rating": _col("float", "IMDb rating.", unit="points (1-10)", ge=0, le=10),
            "genre": _col(
                "category", "Genre code as published (1-15; the codes are undocumented)."
            ),
            "gross_usd": _col("float", "US theatrical gross.", unit="USD", ge=0),
            "budget_usd": _col("float", "Production budget.", unit="USD", nullable=True, ge=0),
            "screens": _col("int", "Screens at widest release.", unit="count", nullable=True, ge=0),
            "sequel": _col("int", "Position in its series (1 = not a sequel).", unit="count", ge=1),
            "sentiment": _col("int", "Net sentiment score of tweets about the film.", unit="score"),
            "views": _col("int", "YouTube trailer views.", **_COUNT),
            "likes": _col("int", "YouTube trailer likes.", **_COUNT),
            "dislikes": _col("int", "YouTube trailer dislikes.", **_COUNT),
            "comments": _col("int", "YouTube trailer comments.", **_COUNT),
            "cast_followers": _col(
                "int",
                "Twitter followers of the lead cast, summed.",
                nullable=True,
                **_COUNT,
            ),
        },
        key=["movie", "year"],
    ),
    "stock_daily": _table(
        "stock_daily",
        "A company-by-day panel: tweets mentioning the company's cashtag and its stock.",
        {
            "ticker": _col("string", "Stock ticker."),
            "date": _col("date", "Calendar day."),
            "trading_day": _col("bool", "Whether the market traded that day."),
            "open": _col("float", "Opening price.", unit="USD", nullable=True, ge=0),
            "high": _col("float", "Highest price.", unit="USD", nullable=True, ge=0),
            "low": _col("float", "Lowest price.", unit="USD", nullable=True, ge=0),
            "close": _col("float", "Closing price.", unit="USD", nullable=True, ge=0),
            "adj_close": _col(
                "float",
                "Close adjusted for splits and dividends.",
                unit="USD",
                nullable=True,
                ge=0,
            ),
            "volume": _col("float", "Shares traded.", unit="shares", nullable=True, ge=0),
            "return": _col(
                "float",
                "Daily return on adj_close.",
                unit="ratio (0.01 = 1%)",
                nullable=True,
            ),
            "tweets": _col("int", "Tweets mentioning the cashtag.", **_COUNT),
            "original_tweets": _col("int", "Tweets that are not retweets.", **_COUNT),
            "retweets": _col("int", "Retweets.", **_COUNT),
            "unique_users": _col("int", "Distinct authors.", **_COUNT),
            "author_followers": _col(
                "int", "Sum of the authors' followers (a reach proxy).", **_COUNT
            ),
            "verified_tweets": _col("int", "Tweets by verified authors.", **_COUNT),
        },
        key=["ticker", "date"],
    ),
    "brand_rankings": _table(
        "brand_rankings",
        "Interbrand / BusinessWeek Best Global Brands: one row per brand and year.",
        {
            "year": _col("int", "Year of the ranking.", unit="year"),
            "rank": _col("int", "Rank in that year's list (1 = most valuable).", ge=1, le=100),
            "brand": _col("string", "Brand name."),
            "country": _col("string", "Country of origin."),
            "sector": _col("category", "Interbrand sector (its later website taxonomy)."),
            "brand_value_musd": _col("float", "Interbrand brand value.", unit="million USD", ge=0),
            "change_pct": _col(
                "float",
                "Change in brand value from the previous year's list; missing for new entries.",
                unit="percent",
                nullable=True,
            ),
            "source": _col("string", "Source keys and confirmations (see PROVENANCE.md)."),
        },
        key=["year", "brand"],
    ),
    "engagement_facts": _table(
        "engagement_facts",
        "Every confirmed brand-level fact of the 2009 ENGAGEMENTdb study.",
        {
            "brand": _col("string", "Brand name as in the Interbrand 2008 list."),
            "rank": _col("int", "Engagement rank (1 = most engaged).", nullable=True, ge=1, le=100),
            "score": _col("int", "Engagement score.", unit="points", nullable=True, ge=1, le=127),
            "channels": _col(
                "int", "Channels present (breadth).", unit="count", nullable=True, ge=0, le=11
            ),
            "profile": _col(
                "category",
                "Engagement profile.",
                allowed=("Maven", "Butterfly", "Selective", "Wallflower"),
            ),
            "industry": _col("string", "Industry as named by the study.", nullable=True),
            "confidence": _col("string", "How well the fact is confirmed."),
            "source": _col("string", "Where the fact was published."),
        },
        key=["brand"],
    ),
    "customer_summary": _table(
        "customer_summary",
        "Per-customer repeat-purchase summary over a calibration period (BTYD models).",
        {
            "customer_id": _col("string", "Customer identifier."),
            "frequency": _col("int", "Repeat transactions in the calibration period.", **_COUNT),
            "recency": _col("float", "Time of the last repeat purchase.", unit="weeks", ge=0),
            "age": _col(
                "float",
                "Time from first purchase to the end of calibration (T).",
                unit="weeks",
                ge=0,
            ),
            "mean_repeat_value": _col(
                "float",
                "Mean value of repeat transactions; missing without repeats.",
                unit="USD",
                nullable=True,
                ge=0,
            ),
        },
        key=["customer_id"],
    ),
}

_ALL_TABLES = {**CANONICAL_TABLES, **DATASET_TABLES}
#: The ``kind`` parameter: the name of a declared table.
TABLE_KIND = Choice(tuple(sorted(_ALL_TABLES)))


@checks(canonical_only=Flag())
def list_tables(*, canonical_only: bool = False) -> list[str]:
    """Names of the declared tables.

    Examples
    --------
    >>> list_tables(canonical_only=True)[:3]
    ['brands', 'channel_activity', 'financials']
    """
    return list(CANONICAL_TABLES if canonical_only else _ALL_TABLES)


@checks(kind=TABLE_KIND)
def get_table(kind: str) -> pa.DataFrameSchema:
    """The pandera schema of a declared table.

    Raises
    ------
    ParameterError
        If ``kind`` is not a declared table.
    """
    return _ALL_TABLES[kind]


@checks(kind=TABLE_KIND)
def key_columns(kind: str, columns: Iterable[str] | None = None) -> list[str]:
    """Key columns of a table; optional key columns count only when present in ``columns``."""
    schema = get_table(kind)
    key = schema.metadata["key"]
    if columns is None:
        return [c for c in key if schema.columns[c].required]
    present = set(columns)
    return [c for c in key if c in present]


def expected_dtype(column: pa.Column) -> str:
    """The pandas dtype (as a string) a declared column is stored with."""
    return KINDS[column.metadata["kind"]][1 if column.nullable else 0]


@checks(kind=TABLE_KIND)
def describe_table(kind: str) -> pd.DataFrame:
    """The documented columns of a table, one row each.

    Returns
    -------
    pandas.DataFrame
        Columns ``column``, ``kind``, ``dtype``, ``unit``, ``required``, ``nullable``,
        ``key``, ``allowed``, ``description``.
    """
    schema = get_table(kind)
    key = set(schema.metadata["key"])
    rows = []
    for name, column in schema.columns.items():
        meta = column.metadata
        rows.append(
            {
                "column": name,
                "kind": meta["kind"],
                "dtype": expected_dtype(column),
                "unit": meta["unit"],
                "required": column.required,
                "nullable": column.nullable,
                "key": name in key,
                "allowed": ", ".join(meta["allowed"]) if meta["allowed"] else None,
                "description": column.description,
            }
        )
    return pd.DataFrame(rows)


def _where(source: str | None) -> str:
    return f"{source}: " if source else ""


def _format_value(value: object) -> str:
    return repr(value.item() if hasattr(value, "item") else value)


@checks(kind=TABLE_KIND, source=OrNone(Text()))
def validate(data: pd.DataFrame, kind: str, *, source: str | None = None) -> pd.DataFrame:
    """Check that ``data`` is a valid ``kind`` table and return it unchanged.

    Checks, in order: required columns present; each declared column stored with its
    declared dtype; missing values only where allowed; value ranges and allowed values;
    no duplicate keys. Coercing raw values is the loaders' job
    (:func:`scrm_lab.io.conform`); this function only checks.

    Parameters
    ----------
    data : pandas.DataFrame
        The table, with a default ``RangeIndex`` so rows can be named (row 1 = first row).
    kind : str
        A declared table name, see :func:`list_tables`.
    source : str, optional
        File or data set name to put at the start of error messages.

    Returns
    -------
    pandas.DataFrame
        ``data`` itself.

    Raises
    ------
    SchemaError
        Naming the table, the column, the first bad row and value, and what was expected.

    Examples
    --------
    >>> import pandas as pd
    >>> edges = pd.DataFrame({"source": ["a"], "target": ["b"]}).astype("str")
    >>> validate(edges, "edges").shape
    (1, 2)
    """
    schema = get_table(kind)
    where = _where(source)
    missing = [n for n, c in schema.columns.items() if c.required and n not in data.columns]
    if missing:
        names = list(map(repr, data.columns[:20]))
        more = f" and {len(data.columns) - 20:,} more" if len(data.columns) > 20 else ""
        available = (", ".join(names) or "none") + more
        hints = "".join(_suggest(m, map(str, data.columns)) for m in missing)
        raise SchemaError(
            f"{where}table '{kind}' is missing required column(s) "
            f"{', '.join(map(repr, missing))}; available columns: {available}.{hints}",
            table=kind,
            column=missing[0],
        )
    for name, column in schema.columns.items():
        expected = expected_dtype(column)
        if name in data.columns and str(data[name].dtype) != expected:
            raise SchemaError(
                f"{where}table '{kind}', column '{name}' has dtype {data[name].dtype}; "
                f"expected {expected} ({column.metadata['kind']}). "
                "Read files with scrm_lab.io.read_table or coerce with scrm_lab.io.conform.",
                table=kind,
                column=name,
            )
    try:
        schema.validate(data, lazy=True)
    except pa.errors.SchemaErrors as err:
        raise _schema_error(err.failure_cases, kind, where) from err
    _check_keys(data, kind, where)
    return data


def _schema_error(failures: pd.DataFrame, kind: str, where: str) -> SchemaError:
    first = failures.iloc[0]
    column = first["column"]
    n_bad = int((failures["column"] == column).sum())
    row = None if pd.isna(first["index"]) else int(first["index"]) + 1
    check = str(first["check"])
    if check == "not_nullable":
        what = "is missing"
        expected = "a value (this column may not be empty)"
    else:
        what = f"has value {_format_value(first['failure_case'])}"
        expected = check
    at = f"row {row}" if row is not None else "a row"
    more = f" ({n_bad} rows fail this check)" if n_bad > 1 else ""
    return SchemaError(
        f"{where}table '{kind}', column '{column}': {at} {what}; expected {expected}{more}.",
        table=kind,
        column=column,
        row=row,
    )


def _check_keys(data: pd.DataFrame, kind: str, where: str) -> None:
    key = key_columns(kind, data.columns)
    if not key:
        return
    duplicated = data.duplicated(subset=key, keep=False)
    if not duplicated.any():
        return
    first = int(duplicated.to_numpy().argmax())
    values = data.iloc[first][key]
    group = data[key].groupby(key, dropna=False, sort=False).ngroup().to_numpy()
    same = (np.flatnonzero(group == group[first])[:5] + 1).tolist()  # rows sharing that key
    shown = ", ".join(f"{c}={_format_value(values[c])}" for c in key)
    raise SchemaError(
        f"{where}table '{kind}' has duplicate key ({shown}) in rows "
        f"{', '.join(map(str, same[:5]))}; expected each ({', '.join(key)}) to appear once "
        f"({int(data.duplicated(subset=key).sum())} duplicate rows in all).",
        table=kind,
        column=key[0],
        row=first + 1,
    )
