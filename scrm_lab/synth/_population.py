r"""A simulated customer population: CRM records, messy social profiles and the true links.

:func:`simulate_customer_population` draws people (customers and non-customers) from small
built-in pools of common US and UK first names (with their nicknames), surnames and cities,
gives some of them profiles on social platforms, and writes what a company would hold: its
CRM records, the profiles as a platform shows them, CRM-side interactions, social mentions
with brand replies, and purchases. Which profile belongs to whom, and the true effect of the
latent engagement on purchases, come back in ``truth``. All names are drawn at random from the
pools: no real person is described. The texts are short templates.

Examples
--------
>>> population = simulate_customer_population(n_customers=50, seed=1)
>>> len(population.crm)
50
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from scrm_lab._checks import SEED, Integer, Real, Text, checks
from scrm_lab.synth._common import _NAMES, _START, _categorical, _ids, _neg_binomial, _start
from scrm_lab.synth._customers import _events, _utc
from scrm_lab.synth._names import (
    CITIES,
    CITY_COUNTRIES,
    COUNTRY_LABEL,
    FEMALE_NAMES,
    FIRST_NAMES,
    MALE_NAMES,
    NICKNAMES,
    RARE_SURNAMES,
    SURNAMES,
    TOWNS,
)

__all__ = ["CustomerPopulation", "simulate_customer_population"]


def _zipf(n: int, offset: float) -> np.ndarray:
    """Frequency weights of ranked names: proportional to 1 / (rank + offset)."""
    weights = 1.0 / (np.arange(1, n + 1) + offset)
    return weights / weights.sum()


#: Drawing weights: Zipf-like over each pool's rank (a few names are common, most rare).
_MALE_P, _FEMALE_P = _zipf(len(MALE_NAMES), 10.0), _zipf(len(FEMALE_NAMES), 10.0)
_COMMON_SURNAME_P = _zipf(len(SURNAMES), 15.0)
#: Share of people living in a town (:data:`TOWNS`) rather than one of the 50 big cities: the
#: cities proper hold about 55 million of the US and UK's 400 million people (one in seven).
_TOWN_SHARE = 0.86
#: Share of the US among the towns' people (331 of 398 million).
_TOWN_US_SHARE = 0.83
_TOWN_COUNTRY = np.array([c for _, c in TOWNS], dtype=object)
_CITY_P = np.r_[
    (1.0 - _TOWN_SHARE) * _zipf(len(CITIES), 3.0),
    _TOWN_SHARE
    * np.where(
        _TOWN_COUNTRY == "US",
        _TOWN_US_SHARE / (_TOWN_COUNTRY == "US").sum(),
        (1 - _TOWN_US_SHARE) / (_TOWN_COUNTRY == "GB").sum(),
    ),
]
#: Smith's share of people in the 2010 US census (2,442,977 of about 295 million). The common
#: pool gives Smith the share ``_COMMON_SURNAME_P[0]``; the rest of people draw a rare
#: surname (uniformly from :data:`RARE_SURNAMES`), so Smith ends at the census share.
_SMITH_SHARE = 0.0083
_RARE_SURNAME_SHARE = 1.0 - _SMITH_SHARE / _COMMON_SURNAME_P[0]
_SURNAME_P = np.r_[
    (1.0 - _RARE_SURNAME_SHARE) * _COMMON_SURNAME_P,
    np.full(len(RARE_SURNAMES), _RARE_SURNAME_SHARE / len(RARE_SURNAMES)),
]
_ALL_SURNAMES = (*SURNAMES, *RARE_SURNAMES)

# every spelling a person may go by: the given names, then the nicknames
_NICKS = [n for v in NICKNAMES.values() for n in v]
_SPELLINGS = np.array(list(dict.fromkeys([*FIRST_NAMES, *_NICKS])), dtype=object)
_SPELLING = {name: k for k, name in enumerate(_SPELLINGS)}
_NICK_FLAT = np.array([_SPELLING[n] for f in FIRST_NAMES for n in NICKNAMES[f]], dtype=np.int64)
_NICK_COUNT = np.array([len(NICKNAMES[f]) for f in FIRST_NAMES], dtype=np.int64)
_NICK_START = np.r_[0, np.cumsum(_NICK_COUNT)[:-1]]


def _key(names: Sequence[str]) -> np.ndarray:
    """Lower-case letters only: the form a name takes in a handle or an email address."""
    return np.array(["".join(c for c in n.lower() if c.isalpha()) for n in names], dtype=object)


_SPELLING_KEY = _key(_SPELLINGS)
# the rare surnames are letters only: their key is their lower case
_SURNAME_KEY = np.array([*_key(SURNAMES), *(n.lower() for n in RARE_SURNAMES)], dtype=object)
_SURNAMES_ARR = np.array(_ALL_SURNAMES, dtype=object)
_CITY_ARR = np.array([*CITIES, *(t for t, _ in TOWNS)], dtype=object)
_CITY_COUNTRY = np.array([*(c for _, c in CITY_COUNTRIES), *_TOWN_COUNTRY], dtype=object)
_DIGITS = np.array([str(k) for k in range(1000)], dtype=object)
_TWO_DIGITS = np.array([f"{k:02d}" for k in range(100)], dtype=object)

# ---------------------------------------------------------------- model constants

#: Handle patterns (bob_smith84, rsmith, smithb, bobsmith, bob.smith, unrelated) and weights.
HANDLE_PATTERNS = ("first_last_yy", "initial_last", "last_initial", "firstlast", "first.last",
                   "unrelated")  # fmt: skip
_HANDLE_P = (0.25, 0.2, 0.1, 0.2, 0.1, 0.15)
#: A derived handle gets a random number 1-999 appended with this probability.
_HANDLE_SUFFIX_SHARE = 0.3
#: A person's profile on a second platform reuses their first handle with this probability.
_HANDLE_REUSE_SHARE = 0.5
_HANDLE_WORDS = np.array(
    """sunny blue happy lucky night pixel coffee wander silver wild urban lazy cosmic retro indie
    golden little mighty quiet salty""".split(), dtype=object
)  # fmt: skip
_HANDLE_NOUNS = np.array(
    """fox owl dreamer rider cat wolf panda tiger bee cloud storm moon star river maple surfer
    gamer chef runner reader""".split(), dtype=object
)  # fmt: skip
#: A given handle is typed with a leading '@' / with other capitals with these probabilities.
_AT_SHARE, _CASE_SHARE = 0.3, 0.2
#: A profile's location names another city than the person's with this probability.
_MOVED_SHARE = 0.05
#: A location is written "City, Country" rather than "City" with this probability.
_LOCATION_COUNTRY_SHARE = 0.3
#: A person is a relative of another (drawn uniformly) with this probability: same surname
#: and city, and with probability 0.5 also the same given name (a namesake, "Jr.").
_RELATIVE_SHARE = 0.02
#: Non-customers with profiles are drawn from a pool this many times the largest platform's
#: count of profiles without a customer, so some have profiles on several platforms.
_OTHERS_POOL = 1.5
_EMAIL_DOMAINS = np.array(
    "example.com example.net example.org mail.example.com".split(), dtype=object
)
_EMAIL_PATTERNS_P = (0.35, 0.2, 0.25, 0.2)  # first.last, firstlast, flast, first_last(yy)
_BIOS = np.array(
    """Coffee lover/Dog person/Runner/Parent of two/Foodie/Travel addict/Gamer/Bookworm/Music fan
    /Amateur photographer/Gardener/Football fan/Cyclist/Tea drinker/Film buff/Home cook/Hiker
    /Cat person/Baker/Tech enthusiast/Views my own""".replace("\n    ", "").split("/"),
    dtype=object,
)  # fmt: skip

#: CRM-side interactions: rate 0.03 exp(0.5 eta) per day; channel and action shares.
_INTERACTION_RATE, _INTERACTION_EFFECT = 0.03, 0.5
CRM_CHANNELS, _CRM_CHANNEL_P = ("email", "phone", "web"), (0.5, 0.15, 0.35)
CRM_ACTIONS = ("open", "click", "call", "view")
#: Purchases: base rate per day, heterogeneity sd; amounts Gamma(shape 2) around 50 USD.
_PURCHASE_RATE, _HETEROGENEITY = 0.01, 0.5
_MEAN_SPEND, _SPEND_SD, _SPEND_SHAPE = 50.0, 0.3, 2.0
#: Social mentions per profile: rate 0.01 exp(0.8 eta) per day.
_MENTION_RATE, _MENTION_EFFECT = 0.01, 0.8
#: Sentiment of a mention: softmax of log(0.25) - 0.8 eta, log(0.45), log(0.30) + 0.8 eta.
SENTIMENTS = ("negative", "neutral", "positive")
_SENTIMENT_P, _SENTIMENT_EFFECT = (0.25, 0.45, 0.30), 0.8
#: Brand replies: share of mentions answered, median minutes and log-scale spread of the delay.
_REPLY_SHARE, _REPLY_MINUTES, _REPLY_SPREAD = 0.3, 90.0, 1.0
#: Followers of a profile: negative binomial, mean 150 exp(0.5 eta), shape 2.
_FOLLOWERS, _FOLLOWER_EFFECT = 150.0, 0.5
_MENTION_TEXTS = (
    ("@{b} my order still has not arrived", "Disappointed with @{b} customer service",
     "@{b} the app keeps crashing at checkout", "Second time @{b} got my order wrong",
     "@{b} still waiting for my refund"),
    ("@{b} do you ship on weekends?", "Anyone tried the new @{b} app?",
     "@{b} what are your opening hours on holidays?", "Looking at @{b} for my next purchase",
     "@{b} is there a size guide?"),
    ("Really happy with my latest order from @{b}!", "@{b} great service today, thank you",
     "Loving the new range from @{b}", "Shout out to @{b} for the quick delivery",
     "@{b} never disappoints"),
)  # fmt: skip
_REPLY_TEXTS = (
    "Thanks for getting in touch, we are looking into it.",
    "Sorry to hear that, please send us a DM with your order number.",
    "Thank you for the kind words!",
    "Happy to help: our team will reply shortly.",
)
#: The two replies that may answer a negative, neutral or positive mention.
_REPLY_FOR = np.array([[0, 1], [0, 3], [2, 3]])


@dataclass(frozen=True, eq=False)
class CustomerPopulation:
    """A simulated customer population (see :func:`simulate_customer_population`).

    Attributes
    ----------
    crm : pandas.DataFrame
        Canonical ``customers`` table: the company's CRM records.
    profiles : pandas.DataFrame
        Canonical ``social_profiles`` table: every profile on the platforms.
    interactions : pandas.DataFrame
        Canonical ``interactions`` table on the CRM channels (email, phone, web).
    messages : pandas.DataFrame
        Canonical ``messages`` table: mentions of the brand and its replies.
    transactions : pandas.DataFrame
        Canonical ``transactions`` table.
    truth : dict
        ``links``, ``latent``, ``people``, ``effect``, ``mess`` and the other parameters.
    """

    crm: pd.DataFrame
    profiles: pd.DataFrame
    interactions: pd.DataFrame
    messages: pd.DataFrame
    transactions: pd.DataFrame
    truth: dict[str, Any]


# ---------------------------------------------------------------- string helpers


def _typo(rng: np.random.Generator, word: str) -> str:
    """One character edit at a letter: substitution, deletion, insertion or transposition."""
    letters = [k for k, c in enumerate(word) if c.isalpha()]
    if not letters:
        return word + "x"
    at = letters[int(rng.integers(len(letters)))]
    kind = int(rng.integers(4)) if len(word) > 1 else 2
    old = word[at]
    new = chr(ord("a") + int(rng.integers(26)))
    new = new.upper() if old.isupper() else new
    if kind == 3 and at + 1 < len(word) and word[at + 1] != old:
        return word[:at] + word[at + 1] + old + word[at + 2 :]
    if kind == 1:
        return word[:at] + word[at + 1 :]
    if kind == 2:
        return word[:at] + new + word[at:]
    while new.lower() == old.lower():
        new = chr(ord("a") + (ord(new.lower()) - ord("a") + 1) % 26)
        new = new.upper() if old.isupper() else new
    return word[:at] + new + word[at + 1 :]


def _typos(rng: np.random.Generator, values: np.ndarray, share: float) -> np.ndarray:
    """``values`` with one edit in each of a random ``share`` of them (a new array)."""
    out = values.copy()
    for k in np.flatnonzero(rng.random(values.size) < share):
        out[k] = _typo(rng, out[k])
    return out


def _unique(rng: np.random.Generator, head: np.ndarray, tail: np.ndarray | str) -> np.ndarray:
    """``head + tail``, a random number appended to ``head`` of each repeat until all differ."""
    head = head.copy()
    while True:
        full = pd.Series(head + tail)
        repeat = full.duplicated().to_numpy()
        if not repeat.any():
            return full.to_numpy(dtype=object)
        head[repeat] = head[repeat] + _DIGITS[rng.integers(1, 1000, size=int(repeat.sum()))]


def _handles(
    rng: np.random.Generator, first: np.ndarray, last: np.ndarray, year: np.ndarray
) -> np.ndarray:
    """A handle per person from their first-name spelling, surname and birth year."""
    m = first.size
    fk, lk = _SPELLING_KEY[first], _SURNAME_KEY[last]
    fi = np.array([k[:1] for k in fk], dtype=object)
    yy = _TWO_DIGITS[year % 100]
    pattern = rng.choice(len(HANDLE_PATTERNS), size=m, p=_HANDLE_P)
    unrelated = _HANDLE_WORDS[rng.integers(0, _HANDLE_WORDS.size, m)] + _HANDLE_NOUNS[
        rng.integers(0, _HANDLE_NOUNS.size, m)
    ] + _DIGITS[rng.integers(1, 1000, m)]  # fmt: skip
    candidates = np.stack([fk + "_" + lk + yy, fi + lk, lk + fi, fk + lk, fk + "." + lk, unrelated])
    handle = candidates[pattern, np.arange(m)]
    suffix = (rng.random(m) < _HANDLE_SUFFIX_SHARE) & (pattern < 5) & (pattern > 0)
    handle[suffix] = handle[suffix] + _DIGITS[rng.integers(1, 1000, int(suffix.sum()))]
    return handle


def _take(values: np.ndarray | pa.Array, index: np.ndarray, missing: np.ndarray | None = None):
    """``values[index]`` as a pandas ``str`` array (taken in Arrow), missing where ``missing``."""
    table = values if isinstance(values, pa.Array) else pa.array(values, type=pa.string())
    return pd.array(table.take(pa.array(index, mask=missing)), dtype="str")


def _missing(rng: np.random.Generator, values: np.ndarray, share: float) -> pd.array:
    out = values.copy()
    out[rng.random(values.size) < share] = None
    return pd.array(out, dtype="str")


# ---------------------------------------------------------------- the simulator


@checks(
    n_customers=Integer(low=1),
    platforms=_NAMES,
    start=_START,
    days=Integer(low=1),
    effect=Real(-2, 2),
    brand=Text(),
    no_profile_share=Real(0, 1),
    unlinked_share=Real(0, 1, high_open=True),
    nickname_share=Real(0, 1),
    typo_share=Real(0, 1),
    missing_share=Real(0, 1),
    given_handle_share=Real(0, 1),
    seed=SEED,
)
def simulate_customer_population(
    *,
    n_customers: int = 1000,
    platforms: Sequence[str] = ("twitter", "instagram"),
    start: str | pd.Timestamp = "2024-01-01",
    days: int = 365,
    effect: float = 0.4,
    brand: str = "B001",
    no_profile_share: float = 0.4,
    unlinked_share: float = 0.3,
    nickname_share: float = 0.3,
    typo_share: float = 0.05,
    missing_share: float = 0.15,
    given_handle_share: float = 0.2,
    seed: int = 0,
) -> CustomerPopulation:
    """Simulate CRM customers, their messy social profiles, activity and purchases.

    **People.** Each customer (and each non-customer with a profile) has a sex (1:1), a given
    name drawn from that sex's pool of common US/UK names, a surname and a city drawn from
    the built-in pools (:data:`FIRST_NAMES`, :data:`SURNAMES`, :data:`CITIES`) with weights
    proportional to ``1 / (rank + c)`` (c = 10, 15, 3); 61% of people have instead a rare
    surname, drawn uniformly from :data:`RARE_SURNAMES`, so that Smith is 0.83% of people as
    in the 2010 US census and full names repeat at realistic rates; 86% of people live
    instead in a smaller town (:data:`TOWNS`, 83% of them in the US), as the 50 cities
    proper hold about one in seven of the two countries' people; 2% of people are relatives
    of another person (drawn uniformly), with their surname and city and, half of them,
    their given name too, so namesakes also share a city; a birth year
    ``round(N(1980, 14))`` clipped to 1940-2006; and a latent engagement ``eta ~ N(0, 1)``.
    A person whose given name has nicknames (:data:`NICKNAMES`) goes by one of them, drawn
    uniformly, with probability ``nickname_share`` (Robert -> Bob), on every profile.

    **CRM record** (``crm``): the given name and surname (each with one character edit with
    probability ``typo_share``), an email address (first.last, firstlast, flast or
    first_last plus two birth-year digits, at reserved example domains, made unique),
    city, country, birth year, signup day ``first_seen = start + k`` days with ``k`` uniform
    on ``{-2 days, ..., days - 1}``, and ``given_handle``: a customer with at least one
    profile typed the handle of one of them (platform drawn uniformly; the platform in
    ``given_handle_platform``) with probability ``given_handle_share``, with a leading '@'
    with probability 0.3 and with other capitals (all, or the first letter) with probability 0.2.

    **Profiles** (``profiles``): a customer has a profile on each platform independently with
    probability ``1 - no_profile_share``; on a platform with K such profiles,
    ``NegBin(K, 1 - unlinked_share)`` more belong to non-customers, so each profile belongs
    to no customer with probability ``unlinked_share``. Non-customers are drawn from a pool
    1.5 times the largest such count (some are on several platforms). Rows are shuffled;
    ``profile_id`` follows the shuffled order. The handle follows one of
    :data:`HANDLE_PATTERNS` (bob_smith84, rsmith, smithb, bobsmith, bob.smith with weights
    0.25, 0.2, 0.1, 0.2, 0.1; an unrelated word pair plus a number with 0.15), derived
    handles get a number 1-999 appended with probability 0.3, a second platform reuses the
    first handle with probability 0.5, and repeats within a platform get a number appended.
    The display name is "<first> <surname>" with the name gone by; the location the city
    (another city with probability 0.05), written "City, Country" with probability 0.3; the
    display name and the city in the location each get one character edit with probability
    ``typo_share``; display name, location and a short bio are each missing with
    probability ``missing_share``. Followers ``~ NegBin(mean 150 exp(0.5 eta), shape 2)``.

    **Activity**, with exposure ``T_i`` days from ``max(first_seen, start)`` to
    ``start + days`` for customers and the whole window for profiles::

        CRM interactions ~ Poisson process, rate 0.03 exp(0.5 eta_i) per day (customers)
                           channel email, phone, web (0.5, 0.15, 0.35); action open (0.75)
                           or click on email, call on phone, view (0.7) or click on web
        log lambda_i     = log 0.01 + effect * eta_i + 0.5 h_i,   h_i ~ N(0, 1)
        purchases        ~ Poisson process, rate lambda_i per day; amount ~ Gamma(shape 2,
                           mean 50 exp(0.3 w_i - 0.045)), w_i ~ N(0, 1)
        mentions         ~ Poisson process, rate 0.01 exp(0.8 eta) per day per profile
        sentiment        ~ softmax(log .25 - 0.8 eta, log .45, log .30 + 0.8 eta)
                           (negative, neutral, positive)
        brand reply      with probability 0.3, after exp(log 90 + z) minutes, z ~ N(0, 1)
                           (a reply may fall after the window)

    ``h_i`` and profile ownership are independent of ``eta_i``, so a Poisson regression of
    each customer's purchase count on ``eta_i`` with offset ``log T_i`` estimates ``effect``
    consistently; engagement also drives mention counts and their positive share, which is
    what social data can add. Times are whole seconds in UTC. Every draw comes from one
    ``numpy.random.default_rng(seed)``.

    Parameters
    ----------
    n_customers : int
        CRM customers, >= 1.
    platforms : sequence of str
        Distinct social platform names (two or three is typical).
    start : str or pandas.Timestamp
        First day of the observation window (no time zone).
    days : int
        Length of the window, >= 1.
    effect : float
        True change in log purchase rate per unit of engagement, in [-2, 2]; 0 for none.
    brand : str
        The brand mentioned; its replies are authored by ``<brand>_care``.
    no_profile_share : float
        Probability that a customer has no profile on a given platform, in [0, 1].
    unlinked_share : float
        Probability that a profile belongs to no customer, in [0, 1).
    nickname_share : float
        Probability that a person whose name has nicknames goes by one, in [0, 1].
    typo_share : float
        Probability of one character edit in each CRM first name, CRM last name, profile
        display name and profile location (its city), in [0, 1].
    missing_share : float
        Probability that each of a profile's display name, location and bio is missing.
    given_handle_share : float
        Probability that a customer with a profile gave a handle in a form, in [0, 1].
    seed : int
        >= 0. Seed of the random generator.

    Returns
    -------
    CustomerPopulation
        ``crm`` (customer_id, first_seen, country, first_name, last_name, email, city,
        birth_year, given_handle, given_handle_platform), ``profiles`` (platform,
        profile_id, handle, display_name, location, bio, followers), ``interactions``
        (interaction_id, customer_id, time, channel, action), ``messages`` (message_id,
        brand, channel, author, time, text, reply_to, author_is_brand, sentiment),
        ``transactions`` (transaction_id, customer_id, time, amount) and ``truth``:
        ``links`` (platform, profile_id, customer_id - missing for a profile of a
        non-customer -, person_id), ``latent`` (customer_id, engagement, purchase_rate,
        mention_rate, exposure_days, has_<platform> per platform), ``people`` (the true
        person_id, customer_id, first_name, goes_by, last_name, city, birth_year,
        engagement of everyone), ``effect``, ``mess`` (every mess rate) and the other
        parameters and constants.

    Examples
    --------
    >>> pop = simulate_customer_population(n_customers=200, days=30, seed=1)
    >>> pop.crm.columns.tolist()[:4]
    ['customer_id', 'first_seen', 'country', 'first_name']
    >>> pop.profiles.columns.tolist()
    ['platform', 'profile_id', 'handle', 'display_name', 'location', 'bio', 'followers']
    >>> pop.truth["links"].columns.tolist()
    ['platform', 'profile_id', 'customer_id', 'person_id']
    """
    n, days, seed = int(n_customers), int(days), int(seed)
    platforms = tuple(map(str, platforms))
    start = _start(start)
    effect, brand = float(effect), str(brand)
    mess = {
        "no_profile_share": float(no_profile_share), "unlinked_share": float(unlinked_share),
        "nickname_share": float(nickname_share), "typo_share": float(typo_share),
        "missing_share": float(missing_share), "given_handle_share": float(given_handle_share),
        "handle_patterns": dict(zip(HANDLE_PATTERNS, _HANDLE_P, strict=True)),
        "handle_suffix_share": _HANDLE_SUFFIX_SHARE, "handle_reuse_share": _HANDLE_REUSE_SHARE,
        "at_share": _AT_SHARE, "case_share": _CASE_SHARE, "moved_share": _MOVED_SHARE,
        "location_country_share": _LOCATION_COUNTRY_SHARE, "relative_share": _RELATIVE_SHARE,
    }  # fmt: skip
    rng = np.random.default_rng(seed)
    n_platforms = len(platforms)

    # who is on which platform
    has = rng.random((n, n_platforms)) >= mess["no_profile_share"]
    linked = has.sum(axis=0)
    extra = np.array(
        [rng.negative_binomial(k, 1 - mess["unlinked_share"]) if k else 0 for k in linked]
    )
    n_others = math.ceil(_OTHERS_POOL * extra.max()) if extra.size else 0
    total = n + n_others

    # people: customers first, then non-customers
    male = rng.random(total) < 0.5
    first = np.where(
        male,
        rng.choice(len(MALE_NAMES), size=total, p=_MALE_P),
        len(MALE_NAMES) + rng.choice(len(FEMALE_NAMES), size=total, p=_FEMALE_P),
    )
    last = rng.choice(len(_ALL_SURNAMES), size=total, p=_SURNAME_P)
    city = rng.choice(_CITY_ARR.size, size=total, p=_CITY_P)
    relative = rng.random(total) < _RELATIVE_SHARE  # takes a relative's surname and city
    of, namesake = rng.integers(0, max(total, 1), size=total), rng.random(total) < 0.5
    last[relative], city[relative] = last[of[relative]], city[of[relative]]
    first[relative & namesake] = first[of[relative & namesake]]  # and given name ("Jr.")
    year = np.clip(np.round(rng.normal(1980, 14, size=total)), 1940, 2006).astype(np.int64)
    eta = rng.standard_normal(total)
    nick = (_NICK_COUNT[first] > 0) & (rng.random(total) < mess["nickname_share"])
    pick = _NICK_START[first] + np.floor(rng.random(total) * _NICK_COUNT[first]).astype(np.int64)
    goes_by = first.copy()  # spelling index: given names come first in _SPELLINGS
    goes_by[nick] = _NICK_FLAT[pick[nick]]
    base_handle = _handles(rng, goes_by, last, year)

    # profiles, platform by platform
    owners, platform_code = [], []
    for p in range(n_platforms):
        mine = np.r_[np.flatnonzero(has[:, p]), n + rng.permutation(n_others)[: extra[p]]]
        owners.append(mine[rng.permutation(mine.size)])
        platform_code.append(np.full(mine.size, p))
    owner, platform_code = np.concatenate(owners), np.concatenate(platform_code)
    m = owner.size
    fresh = _handles(rng, goes_by[owner], last[owner], year[owner])
    reuse = rng.random(m) < _HANDLE_REUSE_SHARE
    first_profile = np.ones(m, bool)
    seen = np.zeros(total, bool)
    for p in range(n_platforms):  # a person's first platform always uses the base handle
        here = np.flatnonzero(platform_code == p)
        first_profile[here] = ~seen[owner[here]]
        seen[owner[here]] = True
    handle = np.where(first_profile | reuse, base_handle[owner], fresh)
    for p in range(n_platforms):
        here = platform_code == p
        handle[here] = _unique(rng, handle[here], "")
    display = _SPELLINGS[goes_by[owner]] + " " + _SURNAMES_ARR[last[owner]]
    display = _typos(rng, display, mess["typo_share"])
    moved = rng.random(m) < _MOVED_SHARE
    where = np.where(moved, rng.choice(_CITY_ARR.size, size=m, p=_CITY_P), city[owner])
    location = _typos(rng, _CITY_ARR[where], mess["typo_share"])
    with_country = rng.random(m) < _LOCATION_COUNTRY_SHARE
    location[with_country] = location[with_country] + ", " + np.array(
        [COUNTRY_LABEL[c] for c in _CITY_COUNTRY[where[with_country]]], dtype=object
    )  # fmt: skip
    fragment = rng.integers(0, _BIOS.size, m)
    bio = _BIOS[fragment]
    two = rng.random(m) < 0.5
    other = (fragment[two] + rng.integers(1, _BIOS.size, int(two.sum()))) % _BIOS.size
    bio[two] = bio[two] + ". " + _BIOS[other]
    followers = _neg_binomial(rng, _FOLLOWERS * np.exp(_FOLLOWER_EFFECT * eta[owner]))
    profile_number = np.empty(m, np.int64)
    for p in range(n_platforms):
        here = np.flatnonzero(platform_code == p)
        profile_number[here] = np.arange(here.size)
    profile_id = _ids("P", max(m, 1), 7, index=profile_number)
    profiles = pd.DataFrame(
        {"platform": _categorical(platform_code, platforms), "profile_id": profile_id,
         "handle": pd.array(handle, dtype="str"),
         "display_name": _missing(rng, display, mess["missing_share"]),
         "location": _missing(rng, location, mess["missing_share"]),
         "bio": _missing(rng, bio, mess["missing_share"]),
         "followers": pd.array(followers, dtype="Int64")}
    )  # fmt: skip

    # CRM records
    customer_id = _ids("C", n, 6)
    crm_first = _typos(rng, _SPELLINGS[first[:n]], mess["typo_share"])
    crm_last = _typos(rng, _SURNAMES_ARR[last[:n]], mess["typo_share"])
    fk, lk = _SPELLING_KEY[first[:n]], _SURNAME_KEY[last[:n]]
    fi = np.array([k[:1] for k in fk], dtype=object)
    local = np.stack([fk + "." + lk, fk + lk, fi + lk, fk + "_" + lk + _TWO_DIGITS[year[:n] % 100]])
    style = rng.choice(len(_EMAIL_PATTERNS_P), size=n, p=_EMAIL_PATTERNS_P)
    domain = "@" + _EMAIL_DOMAINS[rng.integers(0, _EMAIL_DOMAINS.size, n)]
    email = _unique(rng, local[style, np.arange(n)], domain)
    offset = rng.integers(-2 * days, days, size=n)
    # the handle a customer gave: one of their profiles, chosen uniformly
    is_customer = owner < n
    n_profiles = np.bincount(owner[is_customer], minlength=n)
    gives = (n_profiles > 0) & (rng.random(n) < mess["given_handle_share"])
    order = np.lexsort((rng.random(int(is_customer.sum())), owner[is_customer]))
    rows = np.flatnonzero(is_customer)[order]  # customers' profiles grouped by owner
    begin_row = np.r_[0, np.cumsum(n_profiles)[:-1]]
    pick = begin_row + np.floor(rng.random(n) * n_profiles).astype(np.int64)
    chosen = rows[np.minimum(pick, rows.size - 1)] if rows.size else np.zeros(n, np.int64)
    given = np.full(n, None, dtype=object)
    given_platform = np.full(n, -1)
    if gives.any():
        typed = handle[chosen[gives]].copy()
        upper, whole = rng.random(typed.size) < _CASE_SHARE, rng.random(typed.size) < 0.5
        typed[upper] = np.array([h.upper() if w else h.capitalize()
                                 for h, w in zip(typed[upper], whole[upper], strict=True)],
                                dtype=object)  # fmt: skip
        at = rng.random(typed.size) < _AT_SHARE
        typed[at] = "@" + typed[at]
        given[gives], given_platform[gives] = typed, platform_code[chosen[gives]]
    crm = pd.DataFrame(
        {"customer_id": customer_id,
         "first_seen": start + pd.to_timedelta(offset, unit="D").as_unit("ns"),
         "country": pd.array(_CITY_COUNTRY[city[:n]], dtype="str"),
         "first_name": pd.array(crm_first, dtype="str"),
         "last_name": pd.array(crm_last, dtype="str"),
         "email": pd.array(email, dtype="str"),
         "city": pd.array(_CITY_ARR[city[:n]], dtype="str"),
         "birth_year": pd.array(year[:n], dtype="Int64"),
         "given_handle": pd.array(given, dtype="str"),
         "given_handle_platform": pd.Categorical.from_codes(
             given_platform, pd.Index(platforms, dtype="str"))}
    )  # fmt: skip

    # CRM-side interactions and purchases
    begin = np.maximum(offset, 0).astype(float)
    exposure = days - begin
    interaction_rate = _INTERACTION_RATE * np.exp(_INTERACTION_EFFECT * eta[:n])
    who, seconds = _events(rng, interaction_rate, begin, exposure)
    k = who.size
    channel = rng.choice(len(CRM_CHANNELS), size=k, p=_CRM_CHANNEL_P)
    u = rng.random(k)
    action = np.select([channel == 0, channel == 1], [np.where(u < 0.75, 0, 1), 2],
                       np.where(u < 0.7, 3, 1))  # fmt: skip
    interactions = pd.DataFrame(
        {"interaction_id": _ids("I", k, 7), "customer_id": _ids("C", n, 6, index=who),
         "time": _utc(start, seconds), "channel": _categorical(channel, CRM_CHANNELS),
         "action": _categorical(action, CRM_ACTIONS)}
    )  # fmt: skip
    heterogeneity, spend_noise = rng.standard_normal(n), rng.standard_normal(n)
    purchase_rate = _PURCHASE_RATE * np.exp(effect * eta[:n] + _HETEROGENEITY * heterogeneity)
    buyer, bought = _events(rng, purchase_rate, begin, exposure)
    mean_spend = _MEAN_SPEND * np.exp(_SPEND_SD * spend_noise - _SPEND_SD**2 / 2)
    transactions = pd.DataFrame(
        {"transaction_id": _ids("T", buyer.size, 7), "customer_id": _ids("C", n, 6, index=buyer),
         "time": _utc(start, bought),
         "amount": rng.gamma(_SPEND_SHAPE, mean_spend[buyer] / _SPEND_SHAPE)}
    )  # fmt: skip

    messages = _messages(rng, owner, platform_code, handle, eta, start, days, platforms, brand)

    others_id = _ids("N", max(n_others, 1), 6).to_numpy(dtype=object)[:n_others]
    person_id = np.concatenate([customer_id.to_numpy(dtype=object), others_id])
    links = pd.DataFrame(
        {"platform": profiles["platform"], "profile_id": profile_id,
         "customer_id": pd.array(np.where(is_customer, person_id[owner], None), dtype="str"),
         "person_id": pd.array(person_id[owner], dtype="str")}
    )  # fmt: skip
    latent = pd.DataFrame(
        {"customer_id": customer_id, "engagement": eta[:n], "purchase_rate": purchase_rate,
         "mention_rate": _MENTION_RATE * np.exp(_MENTION_EFFECT * eta[:n]),
         "exposure_days": exposure,
         **{f"has_{name}": has[:, j] for j, name in enumerate(platforms)}}
    )  # fmt: skip
    people = pd.DataFrame(
        {"person_id": pd.array(person_id, dtype="str"),
         "customer_id": pd.array(np.where(np.arange(total) < n, person_id, None), dtype="str"),
         "first_name": pd.array(_SPELLINGS[first], dtype="str"),
         "goes_by": pd.array(_SPELLINGS[goes_by], dtype="str"),
         "last_name": pd.array(_SURNAMES_ARR[last], dtype="str"),
         "city": pd.array(_CITY_ARR[city], dtype="str"), "birth_year": year, "engagement": eta}
    )  # fmt: skip
    truth = {
        "links": links, "latent": latent, "people": people, "effect": effect, "mess": mess,
        "seed": seed, "n_customers": n, "days": days, "start": start, "platforms": platforms,
        "brand": brand, "base_purchase_rate": _PURCHASE_RATE, "heterogeneity_sd": _HETEROGENEITY,
        "base_interaction_rate": _INTERACTION_RATE, "interaction_effect": _INTERACTION_EFFECT,
        "base_mention_rate": _MENTION_RATE, "mention_effect": _MENTION_EFFECT,
        "sentiment_shares": dict(zip(SENTIMENTS, _SENTIMENT_P, strict=True)),
        "sentiment_effect": _SENTIMENT_EFFECT, "reply_share": _REPLY_SHARE,
        "mean_spend": _MEAN_SPEND,
    }  # fmt: skip
    return CustomerPopulation(crm, profiles, interactions, messages, transactions, truth)


def _messages(
    rng: np.random.Generator,
    owner: np.ndarray,
    platform_code: np.ndarray,
    handle: np.ndarray,
    eta: np.ndarray,
    start: pd.Timestamp,
    days: int,
    platforms: tuple[str, ...],
    brand: str,
) -> pd.DataFrame:
    """Mentions of the brand by every profile, and the brand's replies, in time order."""
    m = owner.size
    rate = _MENTION_RATE * np.exp(_MENTION_EFFECT * eta[owner]) if m else np.zeros(1)
    profile, at = _events(rng, rate, np.zeros(rate.size), np.full(rate.size, float(days)))
    k = profile.size
    shift = np.outer(eta[owner[profile]], (-1.0, 0.0, 1.0)) * _SENTIMENT_EFFECT
    logits = np.log(_SENTIMENT_P) + shift
    weights = np.exp(logits)
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    sentiment = (rng.random(k)[:, None] > cumulative[:, :2]).sum(axis=1)
    template = rng.integers(0, 5, size=k)
    texts = np.array([t.format(b=brand) for group in _MENTION_TEXTS for t in group], dtype=object)
    replied = np.flatnonzero(rng.random(k) < _REPLY_SHARE)
    delay = np.floor(60 * np.exp(np.log(_REPLY_MINUTES) + _REPLY_SPREAD
                                 * rng.standard_normal(replied.size)))  # fmt: skip
    reply_text = _REPLY_FOR[sentiment[replied], rng.integers(0, 2, size=replied.size)]
    # mentions first, then replies; then every message in posting order
    time = np.r_[at, at[replied] + delay.astype(np.int64)]
    by_brand = np.r_[np.zeros(k, bool), np.ones(replied.size, bool)]
    parent = np.r_[np.full(k, -1), replied]
    order = np.lexsort((np.arange(time.size), by_brand, time))  # message ids follow time
    number = np.empty(time.size, np.int64)
    number[order] = np.arange(time.size)
    ids = pa.array(_ids("M", max(time.size, 1), 7)[: time.size])
    source = np.r_[profile, profile[replied]][order]
    by_brand, parent, time = by_brand[order], parent[order], time[order]
    authors = np.r_[handle, np.array([brand + "_care"], dtype=object)]
    said = np.r_[sentiment * 5 + template, np.zeros_like(reply_text)][order]
    answer = len(texts) + np.r_[np.zeros(k, int), reply_text][order]
    mood = np.r_[sentiment, np.full(replied.size, -1)][order]
    return pd.DataFrame(
        {"message_id": pd.array(ids, dtype="str"),
         "brand": _take(np.array([brand], dtype=object), np.zeros(time.size, np.int64)),
         "channel": _categorical(platform_code[source], platforms),
         "author": _take(authors, np.where(by_brand, authors.size - 1, source)),
         "time": _utc(start, time),
         "text": _take(np.r_[texts, _REPLY_TEXTS], np.where(by_brand, answer, said)),
         "reply_to": _take(ids, number[np.maximum(parent, 0)], missing=parent < 0),
         "author_is_brand": pd.array(by_brand, dtype="boolean"),
         "sentiment": _categorical(mood, SENTIMENTS)}
    )  # fmt: skip
