"""link_identities: deterministic rules, then a splink model, then one-to-one links."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scrm_lab._checks import SEED, Integer, OrNone, Real, Text, checks, refuse, require_columns
from scrm_lab.identity import _model
from scrm_lab.identity._prepare import handle_keys, prepare_customers, prepare_profiles
from scrm_lab.schema import validate

__all__ = ["IdentityLinks", "link_identities"]

CUSTOMER_COLUMNS = ("customer_id", "first_name", "last_name", "city", "given_handle",
                    "given_handle_platform")  # fmt: skip
PROFILE_COLUMNS = ("platform", "profile_id", "handle", "display_name", "location")
LINK_COLUMNS = ["source", "source_record_id", "unified_customer_id", "match_probability",
                "rule", "model_version", "run_id"]  # fmt: skip
PAIR_COLUMNS = ["platform", "profile_id", "customer_id", "match_weight", "match_probability",
                "rule", "linked"]  # fmt: skip


@dataclass(frozen=True, eq=False)
class IdentityLinks:
    """The result of :func:`link_identities`.

    Attributes
    ----------
    links : pandas.DataFrame
        The link table, one row per source record: ``source``, ``source_record_id``,
        ``unified_customer_id``, ``match_probability``, ``rule``, ``model_version``,
        ``run_id``.
    pairs : pandas.DataFrame
        Every scored candidate pair above the floor and every rule link: ``platform``,
        ``profile_id``, ``customer_id``, ``match_weight``, ``match_probability``, ``rule``,
        ``linked`` (kept by the one-to-one assignment at any threshold).
    parameters : pandas.DataFrame
        The trained model: ``comparison``, ``level``, ``m``, ``u``, ``match_weight``.
    threshold : float
    model_version : str
    run_id : str
    """

    links: pd.DataFrame
    pairs: pd.DataFrame
    parameters: pd.DataFrame
    threshold: float
    model_version: str
    run_id: str


def _norm_email(values: pd.Series) -> pd.Series:
    return (
        values.astype("object")
        .where(values.notna())
        .map(lambda v: v.strip().lower() if isinstance(v, str) and v.strip() else None)
    )


def _rule_pairs(customers: pd.DataFrame, profiles: pd.DataFrame) -> pd.DataFrame:
    """Pairs linked by a rule: a handle the customer gave, then an equal email."""
    given = pd.DataFrame(
        {
            "customer_id": customers["customer_id"].astype(str).to_numpy(),
            "platform": customers["given_handle_platform"].astype("object").to_numpy(),
            "handle_norm": handle_keys(customers["given_handle"]).to_numpy(),
        }
    ).dropna()
    shown = pd.DataFrame(
        {
            "platform": profiles["platform"].astype(str).to_numpy(),
            "profile_id": profiles["profile_id"].astype(str).to_numpy(),
            "handle_norm": handle_keys(profiles["handle"]).to_numpy(),
        }
    ).dropna()
    given["platform"] = given["platform"].astype(str)
    by_handle = given.merge(shown, on=["platform", "handle_norm"])[
        ["platform", "profile_id", "customer_id"]
    ].assign(rule="given_handle")
    parts = [by_handle]
    if "email" in profiles.columns and "email" in customers.columns:
        left = pd.DataFrame(
            {"customer_id": customers["customer_id"].astype(str).to_numpy(),
             "email": _norm_email(customers["email"]).to_numpy()}
        ).dropna()  # fmt: skip
        right = pd.DataFrame(
            {"platform": profiles["platform"].astype(str).to_numpy(),
             "profile_id": profiles["profile_id"].astype(str).to_numpy(),
             "email": _norm_email(profiles["email"]).to_numpy()}
        ).dropna()  # fmt: skip
        parts.append(
            left.merge(right, on="email")[["platform", "profile_id", "customer_id"]].assign(
                rule="email"
            )
        )
    out = pd.concat(parts, ignore_index=True)
    out["match_weight"] = np.inf
    out["match_probability"] = 1.0
    return out


def _exclusive(pairs: pd.DataFrame, owned: float) -> np.ndarray:
    """Each scored pair's probability among its profile's candidates, in two passes.

    First among all the profile's candidates (:func:`_model.exclusive_probability`); then
    again without the candidates whose slot on that platform a surer link took in a first
    one-to-one assignment (a customer has one profile per platform at most), so a profile
    whose rivals are explained elsewhere is not held back by them. Rule links keep 1.0.
    """
    scored = (pairs["rule"] == "probabilistic").to_numpy()
    profile = pairs["platform"].astype(str) + ":" + pairs["profile_id"].astype(str)
    first = np.where(
        scored, _model.exclusive_probability(profile, pairs["match_probability"], owned), 1.0
    )
    trial = pairs.assign(match_probability=first)
    taken = trial[_assign(trial)]
    best = dict(zip(zip(taken["platform"], taken["customer_id"], strict=True),
                    zip(taken["profile_id"], taken["match_probability"], strict=True),
                    strict=True))  # fmt: skip
    ruled_out = np.array(
        [
            (slot := best.get((platform, customer))) is not None
            and slot[0] != profile_id
            and slot[1] >= p
            for platform, customer, profile_id, p in zip(
                pairs["platform"], pairs["customer_id"], pairs["profile_id"], first, strict=True
            )
        ],
        dtype=bool,
    )
    second = _model.exclusive_probability(
        profile, pairs["match_probability"], owned, ruled_out=ruled_out | ~scored
    )
    return np.where(scored, second, 1.0)


def _assign(pairs: pd.DataFrame) -> np.ndarray:
    """Greedy one-to-one per platform: rule links first, then by probability, ties by id."""
    order = pairs.assign(_rule=(pairs["rule"] == "probabilistic").astype(int)).sort_values(
        ["_rule", "match_probability", "customer_id", "platform", "profile_id"],
        ascending=[True, False, True, True, True],
        kind="mergesort",
    )
    used_profile: set = set()
    used_customer: set = set()
    keep = np.zeros(len(pairs), dtype=bool)
    positions = pairs.index.get_indexer(order.index)
    for pos, platform, profile, customer in zip(
        positions, order["platform"], order["profile_id"], order["customer_id"], strict=True
    ):
        if (platform, profile) in used_profile or (platform, customer) in used_customer:
            continue
        used_profile.add((platform, profile))
        used_customer.add((platform, customer))
        keep[pos] = True
    return keep


@checks(
    threshold=Real(0, 1, low_open=True, high_open=True),
    seed=SEED,
    floor=Real(0, 1, low_open=True, high_open=True),
    max_pairs=Integer(low=1000),
    run_id=OrNone(Text()),
)
def link_identities(
    customers: pd.DataFrame,
    profiles: pd.DataFrame,
    *,
    threshold: float = 0.5,
    seed: int = 0,
    floor: float = 0.01,
    max_pairs: int = 2_000_000,
    run_id: str | None = None,
) -> IdentityLinks:
    """Link CRM customers to social profiles: rules first, then a splink model (DuckDB).

    **Rules.** A customer's ``given_handle`` (a leading '@' dropped, lower case) equal to
    the handle of a profile on ``given_handle_platform`` links them (rule
    ``"given_handle"``); when ``profiles`` has an ``email`` column, an equal email (trimmed,
    lower case) links them too (``"email"``). Rule links get ``match_probability`` 1.0.

    **Model.** One splink model (link only, DuckDB backend) compares every CRM record with
    the profiles of all platforms. Names are compared as letters-only lower-case keys; a
    display name is split into its first and last word; the longest CRM surname found
    inside a handle is its surname. Candidate pairs come from six blocking rules: surname
    and first initial; surname and city; surname and first name up to nicknames; city and
    first name up to nicknames; surname found inside the handle and city; surname found
    inside the handle and the initial beside it. Comparisons: birth year (the handle ends
    in its two digits, else), first name (exact, nickname-equivalent through
    :func:`name_equivalence`, Jaro-Winkler >= 0.92, >= 0.8, else), surname (exact,
    Jaro-Winkler >= 0.92, >= 0.8, else), city (exact, the location contains the city, one
    edit, else), handle, when the display name does not show both names (the surname and a
    spelling of the first name, the surname beside a first initial, the surname, the
    surname inside a longer name, a first name only, else); a missing value is a null
    level. Exact names, exact cities and the handle's surname levels are adjusted for term
    frequency (a rare surname or town weighs more). u is estimated by random sampling
    (``max_pairs``, ``seed``). m is estimated from the pairs the rules linked when there are
    at least 30 of them (known matches, drawn independently of how messy a profile is),
    then refined by expectation maximisation blocked on surname and city, the handle's
    surname and city, and surname and first name, which also estimates the prior match
    probability (started at 0.6 / n_crm); without enough rule links, EM alone. Before
    comparing, a profile missing its display name or location takes the one shown by a
    profile with the same handle on another platform, when their display names agree (one
    person reusing a handle). Pairs are scored and those above ``floor`` kept; each pair's
    ``match_probability`` is then its probability among all the profile's candidates, a
    profile having one owner at most (splink's
    pairwise probability ignores that the profile, if it is a customer's at all, is one
    of these candidates'), computed again without the candidates whose slot on that
    platform a surer link takes; ``match_weight`` stays splink's pairwise weight.

    **Links.** Rule links first, then scored pairs by decreasing probability (ties by
    customer id, platform, profile id): a pair is linked when its profile and the
    customer's slot on that platform are both still free, so each profile links to at most
    one customer and each customer to at most one profile per platform. Pairs below
    ``threshold`` are not linked. Since the assignment is greedy in decreasing probability,
    the links at a higher threshold are exactly the ``linked`` pairs above it.

    Parameters
    ----------
    customers : pandas.DataFrame
        CRM records with ``customer_id``, ``first_name``, ``last_name``, ``city``,
        ``given_handle`` and ``given_handle_platform`` (and ``email``, used when the
        profiles have one).
    profiles : pandas.DataFrame
        Canonical ``social_profiles`` table: ``platform``, ``profile_id``, ``handle``,
        ``display_name``, ``location`` (optionally ``email``).
    threshold : float
        Match probability at which a scored pair is linked, strictly between 0 and 1. The
        default 0.5 links a pair when a match is more likely than not, which minimises the
        expected number of wrong decisions when a false link and a missed one cost the same;
        raise it when a wrong merge costs more.
    seed : int
        >= 0. Seed of the random sampling of u.
    floor : float
        Scored pairs below this probability are dropped, strictly between 0 and 1.
    max_pairs : int
        Pairs sampled to estimate u, >= 1000.
    run_id : str or None
        Identifier of this run; None derives one from the inputs and settings.

    Returns
    -------
    IdentityLinks
        ``links`` (the link table, one row per CRM record and per profile: ``source``
        "crm" or the platform, ``source_record_id``, ``unified_customer_id`` - "U-" and
        the customer id for a customer and its linked profiles, "U-<platform>-<profile
        id>" for an unlinked profile -, ``match_probability`` (NaN for CRM rows and
        unlinked profiles, 1.0 for rule links), ``rule`` ("crm" rows and unlinked profiles
        "none", else "given_handle", "email" or "probabilistic"), ``model_version``
        ("splink-<version>-<settings hash>"), ``run_id``); ``pairs``; ``parameters``.

    Examples
    --------
    >>> from scrm_lab.synth import simulate_customer_population
    >>> pop = simulate_customer_population(n_customers=300, days=10, seed=1)
    >>> result = link_identities(pop.crm, pop.profiles, seed=1)
    >>> result.links.columns.tolist()
    ['source', 'source_record_id', 'unified_customer_id', 'match_probability', 'rule', \
'model_version', 'run_id']
    >>> sorted(result.links["rule"].unique())
    ['given_handle', 'none', 'probabilistic']
    """
    import splink

    for name, data in (("customers", customers), ("profiles", profiles)):
        if not isinstance(data, pd.DataFrame):
            raise refuse(name, "a pandas DataFrame", data, described=type(data).__name__)
    require_columns(customers, CUSTOMER_COLUMNS)
    require_columns(profiles, PROFILE_COLUMNS)
    validate(customers, "customers", source="link_identities")  # ids present and unique
    validate(profiles, "social_profiles", source="link_identities")
    threshold, floor = float(threshold), float(floor)

    rules = _rule_pairs(customers, profiles)
    crm = prepare_customers(customers)
    social = prepare_profiles(profiles, crm["last_key"])
    version = f"splink-{splink.__version__}-{_model.settings_hash()}"
    if run_id is None:
        digest = hashlib.sha256()
        for frame in (customers[list(CUSTOMER_COLUMNS)], profiles[list(PROFILE_COLUMNS)]):
            digest.update(pd.util.hash_pandas_object(frame.astype(str), index=False).values)
        digest.update(f"{version}|{seed}|{threshold}|{floor}|{max_pairs}".encode())
        run_id = "run-" + digest.hexdigest()[:16]

    labels = pd.DataFrame(
        {"crm_uid": "crm:" + rules["customer_id"].astype(str),
         "profile_uid": rules["platform"].astype(str) + ":" + rules["profile_id"].astype(str)}
    ).drop_duplicates()  # fmt: skip
    scored, params, owned = _model.run(
        crm, social, seed=int(seed), max_pairs=float(max_pairs), floor=floor, labels=labels
    )
    crm_ids = dict(zip(crm["unique_id"], crm["record_id"], strict=True))
    profile_keys = dict(
        zip(social["unique_id"], zip(social["platform"], social["record_id"], strict=True),
            strict=True)
    )  # fmt: skip
    scored_pairs = pd.DataFrame(
        {
            "platform": [profile_keys[u][0] for u in scored["profile_uid"]],
            "profile_id": [profile_keys[u][1] for u in scored["profile_uid"]],
            "customer_id": [crm_ids[u] for u in scored["crm_uid"]],
            "match_weight": scored["match_weight"].to_numpy(),
            "match_probability": scored["match_probability"].to_numpy(),
            "rule": "probabilistic",
        }
    )
    pairs = pd.concat([rules, scored_pairs], ignore_index=True)
    pairs = pairs.drop_duplicates(["platform", "profile_id", "customer_id"], keep="first")
    pairs = pairs.sort_values(["platform", "profile_id", "customer_id"], ignore_index=True)
    pairs["match_probability"] = _exclusive(pairs, owned)
    pairs["linked"] = _assign(pairs)
    pairs = pairs[PAIR_COLUMNS]

    chosen = pairs[pairs["linked"] & (pairs["match_probability"] >= threshold)]
    chosen_key = dict(
        zip(zip(chosen["platform"], chosen["profile_id"], strict=True),
            zip(chosen["customer_id"], chosen["match_probability"], chosen["rule"],
                strict=True), strict=True)
    )  # fmt: skip
    crm_rows = pd.DataFrame(
        {
            "source": "crm",
            "source_record_id": crm["record_id"].to_numpy(),
            "unified_customer_id": "U-" + crm["record_id"],
            "match_probability": np.nan,
            "rule": "none",
        }
    )
    found = [chosen_key.get(k) for k in zip(social["platform"], social["record_id"], strict=True)]
    profile_rows = pd.DataFrame(
        {
            "source": social["platform"].to_numpy(),
            "source_record_id": social["record_id"].to_numpy(),
            "unified_customer_id": [
                f"U-{c[0]}" if c else f"U-{p}-{r}"
                for c, p, r in zip(found, social["platform"], social["record_id"], strict=True)
            ],
            "match_probability": [c[1] if c else np.nan for c in found],
            "rule": [c[2] if c else "none" for c in found],
        }
    )
    links = pd.concat([crm_rows, profile_rows], ignore_index=True)
    links["model_version"] = version
    links["run_id"] = run_id
    for column in ("source", "source_record_id", "unified_customer_id", "rule",
                   "model_version", "run_id"):  # fmt: skip
        links[column] = links[column].astype("str")
    links["match_probability"] = links["match_probability"].astype("float64")
    return IdentityLinks(
        links=links[LINK_COLUMNS],
        pairs=pairs.reset_index(drop=True),
        parameters=params,
        threshold=threshold,
        model_version=version,
        run_id=run_id,
    )
