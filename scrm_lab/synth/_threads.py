r"""Simulated social customer service threads with known response times.

:func:`simulate_service_threads` writes a canonical ``messages`` table (see
:mod:`scrm_lab.schema`) of customer mentions, brand replies and customer follow-ups, linked
by ``reply_to``, together with the true values that produced it. No shipped real data set
has brand replies, so this is the known-truth stand-in for a brand's own export.

The model, per thread :math:`i` (every draw from one ``numpy.random.default_rng(seed)``)::

    channel c_i   ~ uniform over channels;  brand ~ uniform over brands
    sentiment k_i ~ Categorical(sentiment_shares)          of the opening mention
    opened t_i0   ~ Uniform(start, start + days)           whole seconds, UTC
    off(t)        = t is outside business hours (Mon-Fri, [open, close) o'clock, UTC)
    delay d       = exp(log m_c + log(f_off) * off(t) + log u_k + spread * z),  z ~ N(0, 1)
    brand reply   after each customer message with probability 1 - unanswered_share,
                  at t + d, d drawn afresh with t the customer message's time
    follow-up     after each brand reply with probability follow_up_share (at most
                  max_follow_ups), at the reply + exp(log follow_up_minutes + spread * z)

where :math:`m_c` is ``response_minutes[c]``, :math:`f_{off}` ``off_hours_factor`` and
:math:`u_k` ``sentiment_factors[k]`` (urgency: below 1 answers faster). Assumptions: a thread
stops at the first customer message left without a reply; customer follow-ups carry the
opening message's sentiment and brand replies none; delays are whole seconds (rounded down,
so medians sit up to 1/60 minute low); replies may fall after ``start + days`` (the export
is taken once every thread has ended); customers are pseudonyms drawn with replacement.

Examples
--------
>>> SENTIMENTS
('negative', 'neutral', 'positive')
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from scrm_lab._calendar import in_business_hours
from scrm_lab._checks import (
    SEED,
    BusinessHours,
    Choice,
    Instance,
    Integer,
    Many,
    OrNone,
    Real,
    Text,
    check,
    checks,
    refuse,
)
from scrm_lab.exceptions import ParameterError

__all__ = ["DEFAULT_RESPONSE_MINUTES", "SimulatedThreads", "simulate_service_threads"]

#: Median minutes to a brand reply per channel, in business hours, for a neutral message.
DEFAULT_RESPONSE_MINUTES: dict[str, float] = {
    "twitter": 30.0, "facebook": 90.0, "instagram": 120.0, "email": 480.0,
}  # fmt: skip
SENTIMENTS = ("negative", "neutral", "positive")
_FUNC = "simulate_service_threads"


@dataclass(frozen=True, eq=False)
class SimulatedThreads:
    """Simulated service threads and their truth (see :func:`simulate_service_threads`).

    Attributes
    ----------
    messages : pandas.DataFrame
        Canonical ``messages`` table, ordered by time.
    latent : pandas.DataFrame
        One row per thread: ``thread_id`` (the opening message_id), ``brand``, ``channel``,
        ``sentiment``, ``business_hours``, ``answered``, ``follow_ups``, ``resolved`` (the
        thread ends with a brand reply).
    truth : dict
        The parameters, ``business_share`` (share of the window in business hours),
        ``answered_share``, ``resolved_share`` and ``median_first_response`` (true median
        minutes of answered threads by ``channel``, ``business_hours`` and ``sentiment``).
    """

    messages: pd.DataFrame
    latent: pd.DataFrame
    truth: dict[str, Any]

    @checks(
        by=Choice(("channel", "business_hours", "sentiment")),
        sla_minutes=Real(low=0, low_open=True),
    )
    def true_levels(self, *, by: str = "channel", sla_minutes: float = 60.0) -> pd.DataFrame:
        """True service levels per group, to set beside :func:`service_levels`.

        Parameters
        ----------
        by : {"channel", "business_hours", "sentiment"}
            The grouping.
        sla_minutes : float
            Service level target: the true share of threads answered within it.

        Returns
        -------
        pandas.DataFrame
            Columns ``<by>``, ``answered_share``, ``median_first_response_minutes`` (answered
            threads) and ``sla_share`` (all threads: answered within ``sla_minutes``).

        Examples
        --------
        >>> sim = simulate_service_threads(n_threads=10)
        >>> sim.true_levels(by="channel")["channel"].tolist()
        ['twitter', 'facebook', 'instagram', 'email']
        """
        sla = float(sla_minutes)
        answered = self.truth["answered_share"]
        rows = []
        for group in self.truth["median_first_response"][by]:
            locs, weights = _mixture(self.truth, **{by: group})
            cdf = float(np.dot(weights, _cdf(math.log(sla), locs, self.truth["spread"])))
            rows.append(
                {
                    by: group,
                    "answered_share": answered,
                    "median_first_response_minutes": self.truth["median_first_response"][by][group],
                    "sla_share": answered * cdf,
                }
            )
        return pd.DataFrame(rows)

    def compare(
        self, levels: pd.DataFrame, *, by: str = "channel", sla_minutes: float = 60.0
    ) -> pd.DataFrame:
        """Estimated service levels beside the truth, with the coverage of each interval.

        Parameters
        ----------
        levels : pandas.DataFrame
            :func:`scrm_lab.service.service_levels` of these threads grouped by ``by``
            (columns ``<by>``, ``median_first_response_minutes``, ``median_ci_low``,
            ``median_ci_high``).
        by : {"channel", "business_hours", "sentiment"}
            The grouping of ``levels``.
        sla_minutes : float
            The service level target ``levels`` was computed with.

        Returns
        -------
        pandas.DataFrame
            ``levels`` with ``true_median`` (true median minutes to a first response of
            answered threads), ``true_sla_share`` and ``covered`` (True when
            ``median_ci_low <= true_median <= median_ci_high``; False when the interval is
            missing) added last.

        Raises
        ------
        ParameterError
            ``by`` is not a grouping, or ``levels`` lacks a needed column.

        Examples
        --------
        >>> from scrm_lab.service import service_levels, service_threads
        >>> sim = simulate_service_threads(n_threads=2000)
        >>> levels = service_levels(service_threads(sim.messages), by="channel")
        >>> sim.compare(levels, by="channel")[["channel", "covered"]]
             channel  covered
        0    twitter     True
        1   facebook     True
        2  instagram     True
        3      email     True
        """
        true = self.true_levels(by=by, sla_minutes=sla_minutes)
        needed = [by, "median_ci_low", "median_ci_high"]
        missing = [c for c in needed if c not in levels.columns]
        if missing:
            raise ParameterError(
                f"The 'levels' parameter of SimulatedThreads.compare must have the columns "
                f"{needed} (the output of service_levels grouped by {by!r}). Missing: {missing}."
            )
        true = true[[by, "median_first_response_minutes", "sla_share"]].rename(
            columns={"median_first_response_minutes": "true_median", "sla_share": "true_sla_share"}
        )
        result = levels.merge(true, on=by, how="left")
        result["covered"] = (
            result["median_ci_low"].le(result["true_median"])
            & result["median_ci_high"].ge(result["true_median"])
        ).astype(bool)
        return result

    def coverage(self, compared: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
        """One long table of estimated and true medians over several groupings.

        Parameters
        ----------
        compared : mapping of str to pandas.DataFrame
            Grouping name -> the output of :meth:`compare` for that grouping.

        Returns
        -------
        pandas.DataFrame
            Columns ``grouping``, ``group`` (as text), ``median_first_response_minutes``,
            ``median_ci_low``, ``median_ci_high``, ``true_median`` and ``covered``.

        Examples
        --------
        >>> from scrm_lab.service import service_levels, service_threads
        >>> sim = simulate_service_threads(n_threads=500)
        >>> threads = service_threads(sim.messages)
        >>> compared = {by: sim.compare(service_levels(threads, by=by), by=by)
        ...             for by in ["channel", "business_hours"]}
        >>> sim.coverage(compared)["grouping"].tolist()
        ['channel', 'channel', 'channel', 'channel', 'business_hours', 'business_hours']
        """
        columns = ["grouping", "group", "median_first_response_minutes", "median_ci_low",
                   "median_ci_high", "true_median", "covered"]  # fmt: skip
        parts = [
            table.assign(grouping=by, group=table[by].astype(str))[columns]
            for by, table in compared.items()
        ]
        if not parts:
            return pd.DataFrame(columns=columns)
        return pd.concat(parts, ignore_index=True)

    def truth_sentences(self, coverage: pd.DataFrame, threads: pd.DataFrame) -> list[str]:
        """How many intervals cover the truth, and the true against the estimated shares.

        Parameters
        ----------
        coverage : pandas.DataFrame
            From :meth:`coverage`.
        threads : pandas.DataFrame
            :func:`scrm_lab.service.service_threads` of these messages (``answered``,
            ``resolved``).

        Returns
        -------
        list of str
            One sentence.
        """
        return [
            f"{int(coverage['covered'].sum())} of {len(coverage)} intervals cover the true "
            f"median. True answered share {self.truth['answered_share']:.0%}, estimated "
            f"{threads['answered'].mean():.1%}; true resolved share "
            f"{self.truth['resolved_share']:.1%}, estimated {threads['resolved'].mean():.1%} "
            "(threads still open near the end of the data cannot count as resolved yet)."
        ]


def _cdf(x: float, locs: np.ndarray, sd: float) -> np.ndarray:
    """P(log delay <= x) under each log-normal component (a step when ``sd`` is 0)."""
    return (x >= locs).astype(float) if sd == 0 else stats.norm.cdf((x - locs) / sd)


# ---------------------------------------------------------------- parameter checks


def _per_key(
    value: object, name: str, keys: Sequence[str], low: float, *, strict_low: bool = True
) -> dict[str, float]:
    if not isinstance(value, Mapping) or set(value) != set(keys):
        found = sorted(value) if isinstance(value, Mapping) else value
        raise refuse(name, f"a mapping with exactly the keys {list(keys)}", found)
    number = Real(low=low, low_open=strict_low)
    return {k: float(check(value[k], f"{name}[{k!r}]", number)) for k in keys}


_START = Instance((str, pd.Timestamp, np.datetime64), "a date such as '2024-01-01' (no time zone)")
_NAMES = Many(Text(), "a non-empty sequence of distinct non-empty strings", distinct=True)
_MAPPING = OrNone(Instance(Mapping, "a mapping of a number per key"))


# ---------------------------------------------------------------- truth


def _mixture(truth: dict, **fixed: object) -> tuple[np.ndarray, np.ndarray]:
    """Log-scale locations and weights of the delay mixture with one factor held fixed."""
    channels = {c: 1 / len(truth["channels"]) for c in truth["channels"]}
    business = {True: truth["business_share"], False: 1 - truth["business_share"]}
    sentiments = dict(truth["sentiment_shares"])
    levels = {"channel": channels, "business_hours": business, "sentiment": sentiments}
    for key, value in fixed.items():
        levels[key] = {value: 1.0}
    locs, weights = [], []
    for c, wc in levels["channel"].items():
        for b, wb in levels["business_hours"].items():
            for k, wk in levels["sentiment"].items():
                off = 0.0 if b else math.log(truth["off_hours_factor"])
                locs.append(math.log(truth["response_minutes"][c]) + off
                            + math.log(truth["sentiment_factors"][k]))  # fmt: skip
                weights.append(wc * wb * wk)
    return np.array(locs), np.array(weights) / sum(weights)


def _median(locs: np.ndarray, weights: np.ndarray, sd: float) -> float:
    """Median of a mixture of log-normals: root of its CDF minus one half, on the log scale."""
    if sd == 0:
        order = np.argsort(locs)
        return float(math.exp(locs[order][np.searchsorted(np.cumsum(weights[order]), 0.5)]))

    def excess(x: float) -> float:
        return float(np.dot(weights, _cdf(x, locs, sd))) - 0.5

    return math.exp(optimize.brentq(excess, locs.min() - 10 * sd, locs.max() + 10 * sd))


def _business_share(start: pd.Timestamp, days: int, hours: tuple[int, int]) -> float:
    minutes = pd.Series(pd.date_range(start, periods=days * 1440, freq="min"))
    return float(in_business_hours(minutes, hours, weekends=False).mean())


# ---------------------------------------------------------------- simulator


@checks(
    n_threads=Integer(low=1),
    channels=_NAMES,
    brands=_NAMES,
    start=_START,
    days=Integer(low=1),
    business_hours=BusinessHours(),
    response_minutes=_MAPPING,
    spread=Real(low=0),
    off_hours_factor=Real(low=0, low_open=True),
    sentiment_shares=_MAPPING,
    sentiment_factors=_MAPPING,
    unanswered_share=Real(0, 1, high_open=True),
    follow_up_share=Real(0, 1),
    max_follow_ups=Integer(low=0),
    follow_up_minutes=Real(low=0, low_open=True),
    seed=SEED,
)
def simulate_service_threads(
    n_threads: int = 2000,
    *,
    channels: Sequence[str] = tuple(DEFAULT_RESPONSE_MINUTES),
    brands: Sequence[str] = ("B001", "B002"),
    start: str | pd.Timestamp = "2024-01-01",
    days: int = 28,
    business_hours: tuple[int, int] = (9, 18),
    response_minutes: Mapping[str, float] | None = None,
    spread: float = 1.0,
    off_hours_factor: float = 3.0,
    sentiment_shares: Mapping[str, float] | None = None,
    sentiment_factors: Mapping[str, float] | None = None,
    unanswered_share: float = 0.1,
    follow_up_share: float = 0.3,
    max_follow_ups: int = 3,
    follow_up_minutes: float = 60.0,
    seed: int = 0,
) -> SimulatedThreads:
    """Simulate customer service threads on social channels with known response times.

    The model and its assumptions are written out in the module docstring.

    Parameters
    ----------
    n_threads : int
        Threads (opening customer mentions), >= 1.
    channels, brands : sequence of str
        Distinct channel and brand names; each thread picks one of each uniformly.
    start : str or pandas.Timestamp
        First day of the window (UTC, no time zone).
    days : int
        Length of the window in days, >= 1; opening messages are spread uniformly over it.
    business_hours : (int, int)
        Opening and closing hour (UTC, Monday to Friday); other times are off hours.
    response_minutes : mapping, optional
        Channel -> median minutes to a brand reply in business hours for a neutral message
        (> 0). Default :data:`DEFAULT_RESPONSE_MINUTES` (required for other channels).
    spread : float
        Standard deviation of the log delay, >= 0.
    off_hours_factor : float
        Multiplier of the median delay outside business hours, > 0.
    sentiment_shares : mapping, optional
        Sentiment -> share of opening messages (default negative 0.45, neutral 0.35,
        positive 0.2); rescaled to sum to 1.
    sentiment_factors : mapping, optional
        Sentiment -> multiplier of the median delay (default negative 0.6, neutral 1,
        positive 1.5: complaints are answered first).
    unanswered_share : float
        Probability, in [0, 1), that a customer message gets no brand reply.
    follow_up_share : float
        Probability, in [0, 1], that the customer writes again after a brand reply.
    max_follow_ups : int
        Most customer follow-ups in a thread, >= 0.
    follow_up_minutes : float
        Median minutes from a brand reply to the customer's follow-up, > 0.
    seed : int
        Seed of the random generator, >= 0.

    Returns
    -------
    SimulatedThreads
        ``messages`` (message_id, brand, channel, author, time, text, reply_to,
        author_is_brand, sentiment), ``latent`` and ``truth``.

    Raises
    ------
    ParameterError
        A parameter has the wrong type or is out of range.

    Examples
    --------
    >>> sim = simulate_service_threads(n_threads=5, seed=1)
    >>> sim.latent.shape[0], sim.messages["reply_to"].isna().sum()
    (5, np.int64(5))
    >>> round(sim.truth["median_first_response"]["channel"]["twitter"], 1)
    58.7
    """
    n, n_days, rounds, seed = int(n_threads), int(days), int(max_follow_ups), int(seed)
    channels, brands = tuple(channels), tuple(brands)
    try:
        start_at = pd.Timestamp(start)
    except (TypeError, ValueError) as err:
        raise refuse("start", _START.expected, start) from err
    if pd.isna(start_at) or start_at.tz is not None:
        raise refuse("start", _START.expected, start)
    start_at = start_at.normalize().as_unit("ns")
    hours = (int(business_hours[0]), int(business_hours[1]))
    if response_minutes is None:
        missing = [c for c in channels if c not in DEFAULT_RESPONSE_MINUTES]
        if missing:
            raise refuse("response_minutes", f"given for channels without a default {missing}",
                         None)  # fmt: skip
        response_minutes = {c: DEFAULT_RESPONSE_MINUTES[c] for c in channels}
    medians = _per_key(response_minutes, "response_minutes", channels, 0.0)
    sd, off_factor = float(spread), float(off_hours_factor)
    shares = _per_key(sentiment_shares or {"negative": 0.45, "neutral": 0.35, "positive": 0.2},
                      "sentiment_shares", SENTIMENTS, 0.0, strict_low=False)  # fmt: skip
    if sum(shares.values()) <= 0:
        raise refuse("sentiment_shares", "shares that are not all zero", sentiment_shares)
    shares = {k: v / sum(shares.values()) for k, v in shares.items()}
    factors = _per_key(sentiment_factors or {"negative": 0.6, "neutral": 1.0, "positive": 1.5},
                       "sentiment_factors", SENTIMENTS, 0.0)  # fmt: skip
    u, f, follow_median = float(unanswered_share), float(follow_up_share), float(follow_up_minutes)

    rng = np.random.default_rng(seed)
    channel = rng.integers(len(channels), size=n)
    brand = rng.integers(len(brands), size=n)
    sentiment = rng.choice(len(SENTIMENTS), size=n, p=[shares[k] for k in SENTIMENTS])
    customer = rng.integers(max(1, (4 * n) // 5), size=n)
    opened = np.floor(rng.uniform(0, n_days * 86400, size=n))
    log_base = (np.log([medians[c] for c in channels])[channel]
                + np.log([factors[k] for k in SENTIMENTS])[sentiment])  # fmt: skip

    def seconds_business(seconds: np.ndarray) -> np.ndarray:
        times = pd.Series(start_at + pd.to_timedelta(seconds, unit="s"))
        return in_business_hours(times, hours, weekends=False)

    thread, at, by_brand, n_follow = [], [], [], np.zeros(n, int)
    answered, resolved = np.zeros(n, bool), np.zeros(n, bool)
    active, now = np.ones(n, bool), opened.copy()
    for r in range(rounds + 1):
        idx = np.flatnonzero(active)
        thread.append(idx), at.append(now[idx]), by_brand.append(np.zeros(idx.size, bool))
        if r > 0:
            n_follow[idx] += 1
        replied = rng.random(idx.size) >= u
        off = ~seconds_business(now[idx])
        z = rng.standard_normal(idx.size)
        delay = np.exp(log_base[idx] + math.log(off_factor) * off + sd * z)
        reply_at = now[idx] + np.floor(delay * 60)
        done = idx[replied]
        if r == 0:
            answered[done] = True
        resolved[idx] = replied
        thread.append(done), at.append(reply_at[replied]), by_brand.append(np.ones(done.size, bool))
        again = rng.random(done.size) < f if r < rounds else np.zeros(done.size, bool)
        gap = np.exp(math.log(follow_median) + sd * rng.standard_normal(done.size))
        active[:] = False
        active[done[again]] = True
        now[done[again]] = reply_at[replied][again] + np.floor(gap[again] * 60)

    thread, at, by_brand = np.concatenate(thread), np.concatenate(at), np.concatenate(by_brand)
    order = np.lexsort((by_brand, at, thread))  # a thread's messages in time order
    thread, at, by_brand = thread[order], at[order], by_brand[order]
    first = np.r_[True, thread[1:] != thread[:-1]]
    timeline = np.lexsort((np.arange(at.size), at))  # message ids follow posting time
    number = np.empty(at.size, int)
    number[timeline] = np.arange(at.size)
    width = len(str(at.size))
    ids = np.array([f"M{k + 1:0{width}d}" for k in number], dtype=object)
    parent = np.where(first, None, np.r_[None, ids[:-1]])
    brand_names = np.array(brands, dtype=object)[brand[thread]]
    customer_width = len(str(max(1, (4 * n) // 5)))
    authors = np.where(by_brand, brand_names + "_care",
                       [f"C{c + 1:0{customer_width}d}" for c in customer[thread]])  # fmt: skip
    mood = np.array(SENTIMENTS, dtype=object)[sentiment[thread]]
    texts = np.where(
        by_brand, "SIMULATED brand reply",
        np.where(first, "SIMULATED customer mention (" + mood + ")",
                 "SIMULATED customer follow-up (" + mood + ")"),
    )  # fmt: skip
    messages = (
        pd.DataFrame(
            {
                "message_id": pd.array(ids, dtype="str"),
                "brand": pd.array(brand_names, dtype="str"),
                "channel": pd.Categorical.from_codes(
                    channel[thread], pd.Index(channels, dtype="str")
                ),
                "author": pd.array(authors, dtype="str"),
                "time": (start_at + pd.to_timedelta(at, unit="s")).tz_localize("UTC"),
                "text": pd.array(texts, dtype="str"),
                "reply_to": pd.array(parent, dtype="str"),
                "author_is_brand": pd.array(by_brand, dtype="boolean"),
                "sentiment": pd.Categorical(
                    np.where(by_brand, None, mood), categories=pd.Index(SENTIMENTS, dtype="str")
                ),
            }
        )
        .iloc[timeline]
        .reset_index(drop=True)
    )
    latent = pd.DataFrame(
        {
            "thread_id": pd.array(ids[first], dtype="str"),
            "brand": pd.array(np.array(brands, dtype=object)[brand], dtype="str"),
            "channel": pd.Categorical.from_codes(channel, pd.Index(channels, dtype="str")),
            "sentiment": pd.Categorical.from_codes(sentiment, pd.Index(SENTIMENTS, dtype="str")),
            "business_hours": seconds_business(opened),
            "answered": answered,
            "follow_ups": n_follow,
            "resolved": resolved,
        }
    )
    truth: dict[str, Any] = {
        "n_threads": n, "channels": channels, "brands": brands, "start": start_at,
        "days": n_days, "business_hours": hours, "response_minutes": medians, "spread": sd,
        "off_hours_factor": off_factor, "sentiment_shares": shares,
        "sentiment_factors": factors, "unanswered_share": u, "follow_up_share": f,
        "max_follow_ups": rounds, "follow_up_minutes": follow_median, "seed": seed,
        "business_share": _business_share(start_at, n_days, hours),
        "answered_share": 1 - u,
    }  # fmt: skip
    keep = f * (1 - u)  # a follow-up that is then answered
    truth["resolved_share"] = (1 - u) * (sum(keep**k * (1 - f) for k in range(rounds))
                                         + keep**rounds)  # fmt: skip
    groups = {"channel": channels, "business_hours": (True, False), "sentiment": SENTIMENTS}
    truth["median_first_response"] = {
        key: {g: _median(*_mixture(truth, **{key: g}), sd) for g in values}
        for key, values in groups.items()
    }
    return SimulatedThreads(messages, latent, truth)
