"""The social customer service report's tables and wording, with their rules stated.

- :func:`report_levels`: one :func:`~scrm_lab.service.service_levels` table per grouping
  (channel, business hours, sentiment when known), the truth beside simulated threads;
- :func:`channel_gap`: :func:`~scrm_lab.service.compare_channels` when two channels have
  answered threads, else None;
- :data:`LEVEL_COLUMNS`, :data:`OVERALL_COLUMNS`, :func:`first_threads`: what the report shows;
- :func:`key_results`: the recorded results;
- :func:`data_sentences`, :func:`channel_sentences`, :func:`hours_sentences`,
  :func:`sla_sentences`, :func:`gap_sentences`: the report's sentences with their numbers,
  and what the data cannot show (no replies, one channel, too few answered threads for an
  interval, no thread whose SLA outcome is known).

Examples
--------
>>> from scrm_lab.service import service_threads
>>> from scrm_lab.synth import simulate_service_threads
>>> threads = service_threads(simulate_service_threads(n_threads=400).messages)
>>> print(hours_sentences(report_levels(threads)["business_hours"])[0])
Off hours the median first response is **3.2 times** the business-hours median.
"""

from __future__ import annotations

import math
from typing import Any

import narwhals as nw
import pandas as pd

from scrm_lab._checks import (
    ALPHA,
    SEED,
    ColumnNames,
    Flag,
    Instance,
    Integer,
    OrNone,
    Real,
    Text,
    as_names,
    checks,
    current_function,
    require_columns,
)
from scrm_lab._frames import as_lazy, to_pandas
from scrm_lab.models import level_text, p_text
from scrm_lab.service._threads import compare_channels, service_levels
from scrm_lab.synth import SimulatedThreads

__all__ = [
    "LEVEL_COLUMNS",
    "OVERALL_COLUMNS",
    "channel_gap",
    "channel_sentences",
    "data_sentences",
    "first_threads",
    "gap_sentences",
    "hours_sentences",
    "key_results",
    "report_levels",
    "sla_sentences",
]

#: Columns of :func:`service_levels` shown per group in the report (the group column first).
LEVEL_COLUMNS = ("n", "answered_share", "median_first_response_minutes", "median_ci_low",
                 "median_ci_high", "sla_share", "sla_ci_low", "sla_ci_high", "resolved_share",
                 "median_resolution_minutes")  # fmt: skip
_SLA = Real(low=0, low_open=True)


@checks(
    sla_minutes=_SLA, alpha=ALPHA, truth=OrNone(Instance(SimulatedThreads, "simulated threads"))
)
def report_levels(
    threads: pd.DataFrame,
    *,
    sla_minutes: float = 60.0,
    alpha: float = 0.05,
    truth: SimulatedThreads | None = None,
) -> dict[str, pd.DataFrame]:
    """:func:`service_levels` by channel, business hours and (when known) sentiment.

    Parameters
    ----------
    threads : pandas.DataFrame
        The output of :func:`service_threads`.
    sla_minutes : float, default 60
        Service level target in minutes, > 0.
    alpha : float, default 0.05
        Intervals are 1 - alpha.
    truth : SimulatedThreads, optional
        The simulation the threads come from: each table gets its true values beside the
        estimates (:meth:`scrm_lab.synth.SimulatedThreads.compare`).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``"channel"``, ``"business_hours"`` and, when any thread has a sentiment,
        ``"sentiment"``, each :func:`service_levels` grouped so (with ``true_median``,
        ``true_sla_share`` and more when ``truth`` is given).

    Examples
    --------
    >>> from scrm_lab.service import compare_channels, service_levels, service_threads
    >>> from scrm_lab.synth import simulate_service_threads
    >>> threads = service_threads(simulate_service_threads(n_threads=400).messages)
    >>> list(report_levels(threads))
    ['channel', 'business_hours', 'sentiment']
    """
    groupings = ["channel", "business_hours"]
    groupings += ["sentiment"] if threads["sentiment"].notna().any() else []
    tables = {by: service_levels(threads, by=by, sla_minutes=sla_minutes, alpha=alpha)
              for by in groupings}  # fmt: skip
    if truth is None:
        return tables
    return {by: truth.compare(t, by=by, sla_minutes=sla_minutes) for by, t in tables.items()}


@checks(path=OrNone(Text("a file path")))
def data_sentences(messages: Any, threads: pd.DataFrame, *, path: str | None = None) -> list[str]:
    """Where the threads come from, how many there are, and how they are measured.

    Parameters
    ----------
    messages : pandas.DataFrame, DuckDB relation or Spark DataFrame
        The messages the threads were built from (counted on their engine).
    threads : pandas.DataFrame
        :func:`service_threads` of ``messages``.
    path : str, optional
        The user's file; None says the threads are SIMULATED.

    Returns
    -------
    list of str
        One paragraph: source, counts of messages, threads and channels, the date range, and
        how unanswered threads are handled; when no thread has a brand reply, a second
        sentence says that response times cannot be computed.

    Examples
    --------
    >>> from scrm_lab.service import compare_channels, service_levels, service_threads
    >>> from scrm_lab.synth import simulate_service_threads
    >>> messages = simulate_service_threads(n_threads=400).messages
    >>> data_sentences(messages, service_threads(messages))[0][:45]
    '**SIMULATED** threads (scrm_lab.synth): the t'
    """
    source = ("**SIMULATED** threads (scrm_lab.synth): the true values are known and shown "
              "beside the estimates" if path is None else f"your file `{path}`")  # fmt: skip
    n_messages = int(to_pandas(as_lazy(messages, "messages").select(nw.len()))["len"].iloc[0])
    if threads.empty:
        return [
            f"{source}: {_count(n_messages, 'message')} but **no customer thread**: every "
            "message is the brand's own post or a reply to one, so there is no service to "
            "measure."
        ]
    channels = threads["channel"].nunique()
    first, last = f"{threads['opened_at'].min():%Y-%m-%d}", f"{threads['opened_at'].max():%Y-%m-%d}"
    span = f"on {first}" if first == last else f"{first} to {last}"
    lines = [
        f"{source}: {n_messages:,} messages in {_count(len(threads), 'customer thread')} on "
        f"{_count(channels, 'channel')}, {span}. A thread opens with a customer message; the "
        "first response is the first brand message in it. Unanswered threads have no response "
        "time: medians are over answered threads and come with the answered share, never with "
        "unanswered threads counted as 0 minutes."
    ]
    if not threads["answered"].any():
        lines.append(
            "**No replies in the data:** no thread has a brand message, so response-time "
            "figures (medians, response curves, the channel comparison) cannot be computed; "
            "the shares answered and within the SLA are 0."
        )
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _interval(row: pd.Series, alpha: float) -> str:
    """A median's interval in whole minutes, or why there is none."""
    if pd.isna(row["median_ci_low"]) or pd.isna(row["median_ci_high"]):
        return f"too few answered threads for a {level_text(alpha)} interval"
    return f"{level_text(alpha)} CI {row['median_ci_low']:.0f} to {row['median_ci_high']:.0f}"


def _ordered(by_channel: pd.DataFrame) -> pd.DataFrame:
    require_columns(by_channel, ["channel", "median_first_response_minutes"], current_function())
    return by_channel.sort_values("median_first_response_minutes", kind="stable")


@checks(alpha=ALPHA)
def channel_sentences(by_channel: pd.DataFrame, *, alpha: float = 0.05) -> list[str]:
    """The fastest and the slowest channel by median first response, in words.

    Parameters
    ----------
    by_channel : pandas.DataFrame
        :func:`service_levels` with ``by="channel"``.
    alpha : float, default 0.05
        The intervals' level is 1 - alpha.

    Returns
    -------
    list of str
        One sentence: the channel with the lowest median (with its interval, in whole
        minutes; the first listed on a tie) and the one with the highest; or, with a single
        channel with answered threads, its median and that there is nothing to compare; or
        that no thread was answered. Channels without an answered thread are named.

    Examples
    --------
    >>> from scrm_lab.service import compare_channels, service_levels, service_threads
    >>> from scrm_lab.synth import simulate_service_threads
    >>> threads = service_threads(simulate_service_threads(n_threads=400).messages)
    >>> channel_sentences(service_levels(threads, by="channel"))[0][:40]
    '`twitter` is answered fastest (median 56'
    """
    ordered = _ordered(by_channel)
    if ordered.empty:
        return []
    timed = ordered[ordered["median_first_response_minutes"].notna()]
    silent = ", ".join(f"`{c}`" for c in ordered.loc[ordered["median_first_response_minutes"]
                                                    .isna(), "channel"])  # fmt: skip
    if timed.empty:
        return ["No thread was answered on any channel: response times cannot be computed."]
    best, worst = timed.iloc[0], timed.iloc[-1]
    median = f"median {best['median_first_response_minutes']:.0f} minutes, {_interval(best, alpha)}"
    if len(timed) == 1:
        text = (f"Only `{best['channel']}` has answered threads ({median}): comparing channels "
                "needs at least two.")  # fmt: skip
    else:
        text = (f"`{best['channel']}` is answered fastest ({median}); `{worst['channel']}` "
                f"slowest ({worst['median_first_response_minutes']:.0f} minutes).")  # fmt: skip
    if silent:
        text += f" No thread on {silent} was answered, so it has no response time."
    return [text + " Each curve levels off at the channel's answered share."]


def hours_sentences(by_hours: pd.DataFrame) -> list[str]:
    """Off-hours median first response as a multiple of the business-hours median.

    Parameters
    ----------
    by_hours : pandas.DataFrame
        :func:`service_levels` with ``by="business_hours"``.

    Returns
    -------
    list of str
        One sentence with the ratio (one decimal) when both groups have a median above 0;
        the two medians when one is 0; which group has no answered thread; or that all
        threads opened in one of them (nothing to compare).

    Examples
    --------
    >>> from scrm_lab.service import compare_channels, service_levels, service_threads
    >>> from scrm_lab.synth import simulate_service_threads
    >>> threads = service_threads(simulate_service_threads(n_threads=400).messages)
    >>> hours_sentences(service_levels(threads, by="business_hours"))
    ['Off hours the median first response is **3.2 times** the business-hours median.']
    """
    require_columns(
        by_hours, ["business_hours", "median_first_response_minutes"], "hours_sentences"
    )
    medians = by_hours.set_index("business_hours")["median_first_response_minutes"]
    words = {True: "in business hours", False: "off hours"}
    if len(medians) == 1:
        return [f"Every thread opened {words[bool(medians.index[0])]}: there is nothing to "
                "compare between business hours and off hours."]  # fmt: skip
    if len(medians) != 2:
        return []
    missing = [words[bool(g)] for g in medians.index if pd.isna(medians[g])]
    if missing:
        opened = "" if len(missing) == 2 else f" opened {missing[0]}"
        return [f"No thread{opened} was answered, so business hours and off hours cannot be "
                "compared."]  # fmt: skip
    if medians[True] == 0 or medians[False] == 0:
        return [f"The median first response is {medians[False]:.0f} minutes off hours and "
                f"{medians[True]:.0f} in business hours."]  # fmt: skip
    return [
        f"Off hours the median first response is **{medians[False] / medians[True]:.1f} "
        "times** the business-hours median."
    ]


@checks(sla_minutes=_SLA, quiet_hours=Real(low=0), alpha=ALPHA)
def sla_sentences(
    overall: pd.DataFrame, *, sla_minutes: float = 60.0, quiet_hours: float = 24.0,
    alpha: float = 0.05,
) -> list[str]:  # fmt: skip
    """The share answered within the SLA, answered at all and resolved, in words.

    Parameters
    ----------
    overall : pandas.DataFrame
        :func:`service_levels` with ``by="all"`` (its one row is read).
    sla_minutes : float, default 60
        The target the table was computed with.
    quiet_hours : float, default 24
        The quiet time :func:`service_threads` used to call a thread resolved.
    alpha : float, default 0.05
        The interval's level is 1 - alpha.

    Returns
    -------
    list of str
        One paragraph with percentages to one decimal; when no thread's SLA outcome is known
        yet (none answered, none open ``sla_minutes``), it says so instead of a share.

    Examples
    --------
    >>> from scrm_lab.service import compare_channels, service_levels, service_threads
    >>> from scrm_lab.synth import simulate_service_threads
    >>> threads = service_threads(simulate_service_threads(n_threads=400).messages)
    >>> sla_sentences(service_levels(threads, by="all"))[0][:44]
    '**18.8%** of threads got a first reply withi'
    """
    if overall.empty:
        return ["No customer threads: there is no service level to measure."]
    row = overall.iloc[0]
    if row["sla_n"] == 0:
        within = (f"No thread's outcome against the {sla_minutes:g}-minute target is known yet: "
                  f"none was answered and none has been open {sla_minutes:g} minutes by the end "
                  "of the data.")  # fmt: skip
    else:
        unit = "minute" if sla_minutes == 1 else "minutes"
        within = (f"**{row['sla_share']:.1%}** of threads got a first reply within "
                  f"{sla_minutes:g} {unit} ({level_text(alpha)} CI {row['sla_ci_low']:.1%} to "
                  f"{row['sla_ci_high']:.1%}; {_count(row['sla_n'], 'thread')} whose outcome "
                  "is known).")  # fmt: skip
    return [
        f"{within} {row['answered_share']:.1%} were answered at all and "
        f"{row['resolved_share']:.1%} resolved (the brand had the last word and the customer "
        f"stayed quiet for {quiet_hours:g} hours)."
    ]


def _answered_channels(threads: pd.DataFrame) -> list[str]:
    require_columns(threads, ["channel", "answered"], current_function())
    return sorted(threads.loc[threads["answered"].astype(bool), "channel"].astype(str).unique())


@checks(
    fast=OrNone(ColumnNames()), slow=OrNone(ColumnNames()), alpha=ALPHA, seed=SEED
)  # fmt: skip
def channel_gap(
    threads: pd.DataFrame,
    *,
    fast: str | list[str] | None = None,
    slow: str | list[str] | None = None,
    alpha: float = 0.05,
    seed: int = 0,
) -> pd.DataFrame | None:
    """:func:`compare_channels` of first responses, or None when the data cannot compare any.

    None when fewer than two channels have an answered thread, or when a channel named in
    ``fast`` or ``slow`` is in the data but none of its threads was answered
    (:func:`gap_sentences` says which). A name that is not a channel of the data is refused
    by :func:`compare_channels`.

    Parameters
    ----------
    threads : pandas.DataFrame
        The output of :func:`~scrm_lab.service.service_threads`.
    fast, slow : str or list of str, optional
        As in :func:`compare_channels`.
    alpha : float, default 0.05
        The interval is 1 - alpha.
    seed : int, default 0
        Seed of the bootstrap.

    Returns
    -------
    pandas.DataFrame or None

    Examples
    --------
    >>> from scrm_lab.service import service_threads
    >>> from scrm_lab.synth import simulate_service_threads
    >>> threads = service_threads(simulate_service_threads(n_threads=400).messages)
    >>> channel_gap(threads)[["fast", "slow"]].iloc[0].tolist()
    ['twitter', 'email']
    >>> channel_gap(threads[threads["channel"] == "email"]) is None
    True
    """
    answered = _answered_channels(threads)
    present = set(threads["channel"].astype(str))
    named = [c for side in (fast, slow) if side is not None for c in as_names(side)]
    if len(answered) < 2 or any(c in present and c not in answered for c in named):
        return None
    return compare_channels(threads, fast=fast, slow=slow, alpha=alpha, seed=seed)


@checks(
    alpha=ALPHA, threads=OrNone(Instance(pd.DataFrame, "the threads of service_threads"))
)  # fmt: skip
def gap_sentences(
    gap: pd.DataFrame | None, *, alpha: float = 0.05, threads: pd.DataFrame | None = None
) -> list[str]:
    """How much longer the slow channel waits than the fast one, in words.

    Parameters
    ----------
    gap : pandas.DataFrame or None
        From :func:`compare_channels` or :func:`channel_gap` (its one row is read); None
        when :func:`channel_gap` found nothing to compare.
    alpha : float, default 0.05
        The interval's level is 1 - alpha.
    threads : pandas.DataFrame, optional
        The threads compared: with ``gap`` None, the sentence names the channels that have
        answered threads.

    Returns
    -------
    list of str
        One sentence: the difference of medians in whole minutes with its interval (or why
        there is none) and the p-value (:func:`scrm_lab.models.p_text`), then the effect
        size as a percentage; with ``gap`` None, why no channels are compared.

    Examples
    --------
    >>> from scrm_lab.service import compare_channels, service_levels, service_threads
    >>> from scrm_lab.synth import simulate_service_threads
    >>> threads = service_threads(simulate_service_threads(n_threads=400).messages)
    >>> gap_sentences(compare_channels(threads))[0][:45]
    'Threads on `email` wait **680 minutes** longe'
    """
    if gap is None:
        answered = [] if threads is None else _answered_channels(threads)
        if not answered:
            return ["No thread was answered, so no channels can be compared."]
        if len(answered) == 1:
            return [f"Only `{answered[0]}` has answered threads: comparing a fast and a slow "
                    "channel needs two channels with response times."]  # fmt: skip
        return ["A channel to compare has no answered thread, so it has no response time; "
                f"channels with answered threads: {', '.join(answered)}."]  # fmt: skip
    g = gap.iloc[0]
    interval = (f"{level_text(alpha)} CI {g['ci_low']:.0f} to {g['ci_high']:.0f}"
                if pd.notna(g["ci_low"]) and pd.notna(g["ci_high"])
                else "too few answered threads for an interval")  # fmt: skip
    if round(g["estimate"]) == 0:
        gap_words = f"as long at the median as on `{g['fast']}`"
    else:  # the channels named slow can turn out faster
        longer = "longer" if g["estimate"] > 0 else "less"
        gap_words = (f"**{abs(g['estimate']):.0f} minutes** {longer} at the median than on "
                     f"`{g['fast']}`")  # fmt: skip
    return [
        f"Threads on `{g['slow']}` wait {gap_words} ({interval}; {p_text(g['p_value'])}); a "
        f"`{g['slow']}` thread waits longer than a `{g['fast']}` one {g['effect_size']:.0%} "
        "of the time."
    ]


#: Columns of the one-row :func:`service_levels` (``by="all"``) table the report shows.
OVERALL_COLUMNS = ("all", "n", "sla_n", "within_sla", "sla_share", "sla_ci_low", "sla_ci_high",
                   "answered_share", "resolved_share")  # fmt: skip
_FIRST_COLUMNS = ["thread_id", "channel", "opened_at", "sentiment", "business_hours", "answered",
                  "first_response_minutes", "resolved", "resolution_minutes"]  # fmt: skip


@checks(n=Integer(low=1))
def first_threads(threads: pd.DataFrame, *, n: int = 5) -> pd.DataFrame:
    """The first ``n`` threads with the columns the report shows, opening time as text.

    Parameters
    ----------
    threads : pandas.DataFrame
        The output of :func:`~scrm_lab.service.service_threads`.
    n : int, default 5
        How many threads.

    Returns
    -------
    pandas.DataFrame
        Columns ``thread_id``, ``channel``, ``opened_at`` ("YYYY-MM-DD HH:MM"), ``sentiment``,
        ``business_hours``, ``answered``, ``first_response_minutes``, ``resolved``,
        ``resolution_minutes``.

    Examples
    --------
    >>> from scrm_lab.service import service_threads
    >>> from scrm_lab.synth import simulate_service_threads
    >>> threads = service_threads(simulate_service_threads(n_threads=400).messages)
    >>> first_threads(threads, n=2).shape
    (2, 9)
    """
    require_columns(threads, _FIRST_COLUMNS, current_function())
    first = threads.head(n)
    return first.assign(opened_at=first["opened_at"].dt.strftime("%Y-%m-%d %H:%M"))[_FIRST_COLUMNS]


@checks(simulated=Flag())
def key_results(
    threads: pd.DataFrame,
    overall: pd.DataFrame,
    gap: pd.DataFrame | None,
    *,
    simulated: bool = False,
) -> dict[str, object]:
    """The service report's key results, for batch summaries and the reports index.

    Parameters
    ----------
    threads : pandas.DataFrame
        The output of :func:`~scrm_lab.service.service_threads`.
    overall : pandas.DataFrame
        :func:`service_levels` with ``by="all"`` (its one row is read).
    gap : pandas.DataFrame or None
        :func:`~scrm_lab.service.compare_channels` (its one row is read), or None when no
        channels were compared (:func:`channel_gap`).
    simulated : bool, default False
        Whether the threads are simulated.

    Returns
    -------
    dict
        ``threads``, ``answered_share``, ``sla_share``, ``median_first_response_minutes``,
        ``fast_channel``, ``slow_channel``, ``median_gap_minutes``, ``simulated``, as plain
        Python values (None for the channels and the gap without a comparison; NaN where a
        figure cannot be computed).

    Examples
    --------
    >>> overall = pd.DataFrame([{"answered_share": 0.9, "sla_share": 0.5,
    ...                          "median_first_response_minutes": 12.0}])
    >>> gap = pd.DataFrame([{"fast": "twitter", "slow": "email", "estimate": 30.0}])
    >>> key_results(pd.DataFrame(index=range(3)), overall, gap)["median_gap_minutes"]
    30.0
    """
    row = overall.iloc[0] if len(overall) else pd.Series(dtype=float)
    g = None if gap is None else gap.iloc[0]
    return {
        "threads": int(len(threads)),
        "answered_share": float(row.get("answered_share", math.nan)),
        "sla_share": float(row.get("sla_share", math.nan)),
        "median_first_response_minutes": float(row.get("median_first_response_minutes", math.nan)),
        "fast_channel": None if g is None else str(g["fast"]),
        "slow_channel": None if g is None else str(g["slow"]),
        "median_gap_minutes": None if g is None else float(g["estimate"]),
        "simulated": bool(simulated),
    }
