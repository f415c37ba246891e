"""The social customer service report's tables and wording, with their rules stated.

- :func:`report_levels`: one :func:`~scrm_lab.service.service_levels` table per grouping
  (channel, business hours, sentiment when known), the truth beside simulated threads;
- :data:`LEVEL_COLUMNS`, :data:`OVERALL_COLUMNS`, :func:`first_threads`: what the report shows;
- :func:`key_results`: the recorded results;
- :func:`data_sentences`, :func:`channel_sentences`, :func:`hours_sentences`,
  :func:`sla_sentences`, :func:`gap_sentences`: the report's sentences with their numbers.

Examples
--------
>>> from scrm_lab.service import service_threads
>>> from scrm_lab.synth import simulate_service_threads
>>> threads = service_threads(simulate_service_threads(n_threads=400).messages)
>>> print(hours_sentences(report_levels(threads)["business_hours"])[0])
Off hours the median first response is **3.2 times** the business-hours median.
"""

from __future__ import annotations

import pandas as pd

from scrm_lab._checks import (
    ALPHA,
    Flag,
    Instance,
    Integer,
    OrNone,
    Real,
    Text,
    checks,
    current_function,
    require_columns,
)
from scrm_lab.models import p_text
from scrm_lab.service._threads import service_levels
from scrm_lab.synth import SimulatedThreads

__all__ = [
    "LEVEL_COLUMNS",
    "OVERALL_COLUMNS",
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
def data_sentences(
    messages: pd.DataFrame, threads: pd.DataFrame, *, path: str | None = None
) -> list[str]:
    """Where the threads come from, how many there are, and how they are measured.

    Parameters
    ----------
    messages : pandas.DataFrame
        The messages the threads were built from.
    threads : pandas.DataFrame
        :func:`service_threads` of ``messages``.
    path : str, optional
        The user's file; None says the threads are SIMULATED.

    Returns
    -------
    list of str
        One paragraph: source, counts of messages, threads and channels, the date range, and
        how unanswered threads are handled.

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
    return [
        f"{source}: {len(messages):,} messages in {len(threads):,} customer threads on "
        f"{threads['channel'].nunique()} channels, {threads['opened_at'].min():%Y-%m-%d} to "
        f"{threads['opened_at'].max():%Y-%m-%d}. A thread opens with a customer message; the "
        "first response is the first brand message in it. Unanswered threads have no response "
        "time: medians are over answered threads and come with the answered share, never with "
        "unanswered threads counted as 0 minutes."
    ]


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
        minutes; the first listed on a tie) and the one with the highest.

    Examples
    --------
    >>> from scrm_lab.service import compare_channels, service_levels, service_threads
    >>> from scrm_lab.synth import simulate_service_threads
    >>> threads = service_threads(simulate_service_threads(n_threads=400).messages)
    >>> channel_sentences(service_levels(threads, by="channel"))[0][:40]
    '`twitter` is answered fastest (median 56'
    """
    ordered = _ordered(by_channel)
    best, worst = ordered.iloc[0], ordered.iloc[-1]
    return [
        f"`{best['channel']}` is answered fastest (median "
        f"{best['median_first_response_minutes']:.0f} minutes, {1 - alpha:.0%} CI "
        f"{best['median_ci_low']:.0f} to {best['median_ci_high']:.0f}); `{worst['channel']}` "
        f"slowest ({worst['median_first_response_minutes']:.0f} minutes). Each curve levels off "
        "at the channel's answered share."
    ]


def hours_sentences(by_hours: pd.DataFrame) -> list[str]:
    """Off-hours median first response as a multiple of the business-hours median.

    Parameters
    ----------
    by_hours : pandas.DataFrame
        :func:`service_levels` with ``by="business_hours"``.

    Returns
    -------
    list of str
        One sentence with the ratio (one decimal) when both groups are present, else none.

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
    if len(medians) != 2:
        return []
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
        One paragraph with percentages to one decimal.

    Examples
    --------
    >>> from scrm_lab.service import compare_channels, service_levels, service_threads
    >>> from scrm_lab.synth import simulate_service_threads
    >>> threads = service_threads(simulate_service_threads(n_threads=400).messages)
    >>> sla_sentences(service_levels(threads, by="all"))[0][:44]
    '**18.8%** of threads got a first reply withi'
    """
    row = overall.iloc[0]
    return [
        f"**{row['sla_share']:.1%}** of threads got a first reply within {sla_minutes:g} minutes "
        f"({1 - alpha:.0%} CI {row['sla_ci_low']:.1%} to {row['sla_ci_high']:.1%}; "
        f"{row['sla_n']:,} threads whose outcome is known). {row['answered_share']:.1%} were "
        f"answered at all and {row['resolved_share']:.1%} resolved (the brand had the last word "
        f"and the customer stayed quiet for {quiet_hours:g} hours)."
    ]


@checks(alpha=ALPHA)
def gap_sentences(gap: pd.DataFrame, *, alpha: float = 0.05) -> list[str]:
    """How much longer the slow channel waits than the fast one, in words.

    Parameters
    ----------
    gap : pandas.DataFrame
        From :func:`compare_channels` (its one row is read).
    alpha : float, default 0.05
        The interval's level is 1 - alpha.

    Returns
    -------
    list of str
        One sentence: the difference of medians in whole minutes with its interval and the
        p-value (:func:`scrm_lab.models.p_text`), then the effect size as a percentage.

    Examples
    --------
    >>> from scrm_lab.service import compare_channels, service_levels, service_threads
    >>> from scrm_lab.synth import simulate_service_threads
    >>> threads = service_threads(simulate_service_threads(n_threads=400).messages)
    >>> gap_sentences(compare_channels(threads))[0][:45]
    'Threads on `email` wait **680 minutes** longe'
    """
    g = gap.iloc[0]
    return [
        f"Threads on `{g['slow']}` wait **{g['estimate']:.0f} minutes** longer at the median "
        f"than on `{g['fast']}` ({1 - alpha:.0%} CI {g['ci_low']:.0f} to {g['ci_high']:.0f}; "
        f"{p_text(g['p_value'])}); a `{g['slow']}` thread waits longer than a `{g['fast']}` "
        f"one {g['effect_size']:.0%} of the time."
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
    threads: pd.DataFrame, overall: pd.DataFrame, gap: pd.DataFrame, *, simulated: bool = False
) -> dict[str, object]:
    """The service report's key results, for batch summaries and the reports index.

    Parameters
    ----------
    threads : pandas.DataFrame
        The output of :func:`~scrm_lab.service.service_threads`.
    overall : pandas.DataFrame
        :func:`service_levels` with ``by="all"`` (its one row is read).
    gap : pandas.DataFrame
        :func:`~scrm_lab.service.compare_channels` (its one row is read).
    simulated : bool, default False
        Whether the threads are simulated.

    Returns
    -------
    dict
        ``threads``, ``answered_share``, ``sla_share``, ``median_first_response_minutes``,
        ``fast_channel``, ``slow_channel``, ``median_gap_minutes``, ``simulated``, as plain
        Python values.

    Examples
    --------
    >>> overall = pd.DataFrame([{"answered_share": 0.9, "sla_share": 0.5,
    ...                          "median_first_response_minutes": 12.0}])
    >>> gap = pd.DataFrame([{"fast": "twitter", "slow": "email", "estimate": 30.0}])
    >>> key_results(pd.DataFrame(index=range(3)), overall, gap)["median_gap_minutes"]
    30.0
    """
    row, g = overall.iloc[0], gap.iloc[0]
    return {
        "threads": int(len(threads)),
        "answered_share": float(row["answered_share"]),
        "sla_share": float(row["sla_share"]),
        "median_first_response_minutes": float(row["median_first_response_minutes"]),
        "fast_channel": str(g["fast"]),
        "slow_channel": str(g["slow"]),
        "median_gap_minutes": float(g["estimate"]),
        "simulated": bool(simulated),
    }
