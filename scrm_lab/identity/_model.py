"""The splink model: settings (blocking rules and comparisons), training and scoring."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from contextlib import contextmanager

import numpy as np
import pandas as pd

#: Blocking rules that generate the candidate pairs (SQL over l = one record, r = another).
BLOCKING_RULES = (
    ("surname and first initial", "l.last_key = r.last_key AND l.first_initial = r.first_initial"),
    ("surname and city", "l.last_key = r.last_key AND l.city_key = r.city_key"),
    (
        "surname and first name (equivalent)",
        "l.last_key = r.last_key AND l.first_group = r.first_group",
    ),
    (
        "city and first name (equivalent)",
        "l.city_key = r.city_key AND l.first_group = r.first_group",
    ),
    ("surname in the handle and city", "l.handle_last = r.handle_last AND l.city_key = r.city_key"),
    (
        "surname in the handle and initial",
        "l.handle_last = r.handle_last AND l.handle_initial = r.handle_initial",
    ),
)
#: Blocking rules of the expectation-maximisation passes (each leaves some comparisons free).
TRAINING_RULES = (
    "l.last_key = r.last_key AND l.city_key = r.city_key",
    "l.handle_last = r.handle_last AND l.city_key = r.city_key",
    "l.last_key = r.last_key AND l.first_key = r.first_key",
)

#: Pairs linked by a rule needed to estimate m from them rather than by EM alone.
MIN_LABELS = 30

_HANDLE = "coalesce(l.handle_key, r.handle_key)"
_CRM_LAST = "coalesce(l.crm_last, r.crm_last)"


def _level(sql: str, label: str, *, null: bool = False, tf: str | None = None) -> dict:
    """A comparison level; ``l.x`` / ``r.x`` are written as splink's ``x_l`` / ``x_r``."""
    sql = re.sub(r"\b([lr])\.([a-z_]+)", r"\2_\1", sql)
    out = {"sql_condition": sql, "label_for_charts": label}
    if null:
        out["is_null_level"] = True
    if tf is not None:  # term-frequency adjusted: a rare value weighs more
        out["tf_adjustment_column"] = tf
        out["tf_adjustment_weight"] = 1.0
    return out


def comparisons() -> list[dict]:
    """The four comparisons, each a list of levels from the most to the least alike."""
    first = [
        _level("l.first_key IS NULL OR r.first_key IS NULL", "null", null=True),
        _level("l.first_key = r.first_key", "exact", tf="first_key"),
        _level("list_has_any(l.first_given, r.first_given)", "nickname equivalent"),
        _level("jaro_winkler_similarity(l.first_key, r.first_key) >= 0.92", "jaro-winkler >= 0.92"),
        _level("jaro_winkler_similarity(l.first_key, r.first_key) >= 0.8", "jaro-winkler >= 0.8"),
        _level("ELSE", "else"),
    ]
    last = [
        _level("l.last_key IS NULL OR r.last_key IS NULL", "null", null=True),
        _level("l.last_key = r.last_key", "exact", tf="last_key"),
        _level("jaro_winkler_similarity(l.last_key, r.last_key) >= 0.92", "jaro-winkler >= 0.92"),
        _level("jaro_winkler_similarity(l.last_key, r.last_key) >= 0.8", "jaro-winkler >= 0.8"),
        _level("ELSE", "else"),
    ]
    city = [
        _level("l.city_key IS NULL OR r.city_key IS NULL", "null", null=True),
        _level("l.city_key = r.city_key", "exact", tf="city_key"),
        _level(
            "contains(l.location_key, r.city_key) OR contains(r.location_key, l.city_key)",
            "location contains the city",
        ),
        _level("damerau_levenshtein(l.city_key, r.city_key) <= 1", "one edit or swap"),
        _level("jaro_winkler_similarity(l.city_key, r.city_key) >= 0.9", "jaro-winkler >= 0.9"),
        _level("ELSE", "else"),
    ]
    first_regex = "coalesce(l.first_regex, r.first_regex)"
    initial_regex = "coalesce(l.initial_regex, r.initial_regex)"
    handle = [
        _level(
            f"{_HANDLE} IS NULL OR {_CRM_LAST} IS NULL OR "
            "(l.last_key IS NOT NULL AND r.last_key IS NOT NULL)",
            "null (or the display name shows the names)",
            null=True,
        ),
        _level(
            f"l.handle_last = r.handle_last AND regexp_matches({_HANDLE}, {first_regex})",
            "surname and first name (or equivalent)",
            tf="handle_last",
        ),
        _level(
            f"l.handle_last = r.handle_last AND regexp_matches({_HANDLE}, {initial_regex})",
            "surname beside a first initial",
            tf="handle_last",
        ),
        _level("l.handle_last = r.handle_last", "surname", tf="handle_last"),
        _level(f"contains({_HANDLE}, {_CRM_LAST})", "surname inside a longer name"),
        _level(f"regexp_matches({_HANDLE}, {first_regex})", "first name only"),
        _level("ELSE", "else"),
    ]
    digits = "coalesce(l.handle_digits, r.handle_digits)"
    birth = "coalesce(l.birth_yy, r.birth_yy)"
    year = [
        _level(f"{digits} IS NULL OR {birth} IS NULL", "null", null=True),
        _level(f"{digits} = {birth}", "handle ends in the birth year's two digits"),
        _level("ELSE", "else"),
    ]
    return [
        {"output_column_name": "birth_year", "comparison_levels": year},
        {"output_column_name": "first_name", "comparison_levels": first},
        {"output_column_name": "surname", "comparison_levels": last},
        {"output_column_name": "city", "comparison_levels": city},
        {"output_column_name": "handle", "comparison_levels": handle},
    ]


def settings(prior: float) -> dict:
    """The splink settings: link only (CRM against profiles), the rules and comparisons."""
    return {
        "link_type": "link_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": sql} for _, sql in BLOCKING_RULES
        ],
        "comparisons": comparisons(),
        "retain_intermediate_calculation_columns": False,
        "retain_matching_columns": False,
        "additional_columns_to_retain": [],
    }


def settings_hash() -> str:
    """A short hash of the settings (without the prior, which is estimated from the data)."""
    text = json.dumps(settings(0.5), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@contextmanager
def _quiet():
    """splink's loggers at ERROR for the run (restored after): the library prints nothing."""
    loggers = [logging.getLogger(name) for name in ("splink", "splink.internals")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def run(
    crm: pd.DataFrame,
    profiles: pd.DataFrame,
    *,
    seed: int,
    max_pairs: float,
    floor: float,
    labels: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """Train the model (u by sampling, m by EM) and score the blocked pairs above ``floor``.

    Returns the scored pairs (crm unique id, profile unique id, match_weight,
    pairwise match_probability), the parameter table and the estimated share of profiles
    that belong to a customer.
    """
    from splink import DuckDBAPI, Linker

    from scrm_lab._frames import duckdb_connection

    # prior: a profile belongs to one of the customers with probability 0.6
    n_crm = len(crm)
    prior = min(0.6 / max(n_crm, 1), 0.5)
    con = duckdb_connection()
    try:
        with _quiet():
            db = DuckDBAPI(connection=con)
            left = db.register(crm, table_name="crm_records")
            right = db.register(profiles, table_name="social_profiles")
            linker = Linker([left, right], settings(prior), log_level=None)
            linker.training.estimate_u_using_random_sampling(
                max_pairs=max_pairs, seed=seed, min_count_per_level=None, num_chunks=1
            )
            supervised = labels is not None and len(labels) >= MIN_LABELS
            if supervised:
                db.register(
                    pd.DataFrame(
                        {"source_dataset_l": "crm_records", "unique_id_l": labels["crm_uid"],
                         "source_dataset_r": "social_profiles",
                         "unique_id_r": labels["profile_uid"]}
                    ),
                    table_name="rule_labels",
                )  # fmt: skip
                linker.training.estimate_m_from_pairwise_labels("rule_labels")
            for rule in TRAINING_RULES:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule,
                    populate_probability_two_random_records_match_from_trained_values=True,
                )
            scored = linker.inference.predict(threshold_match_probability=floor)
            pairs = scored.as_pandas_dataframe()
            model = linker.misc.save_model_to_json()
    finally:
        con.close()
    l_crm = pairs["unique_id_l"].str.startswith("crm:")
    crm_id = np.where(l_crm, pairs["unique_id_l"], pairs["unique_id_r"])
    profile_id = np.where(l_crm, pairs["unique_id_r"], pairs["unique_id_l"])
    out = pd.DataFrame(
        {
            "crm_uid": crm_id,
            "profile_uid": profile_id,
            "match_weight": pairs["match_weight"].astype("float64").to_numpy(),
            "match_probability": pairs["match_probability"].astype("float64").to_numpy(),
        }
    )
    trained = float(model.get("probability_two_random_records_match", prior))
    owned = min(trained * max(n_crm, 1), 0.99)
    return out, parameters(model), owned


def exclusive_probability(
    profile: pd.Series, pairwise: pd.Series, owned: float, *, ruled_out: np.ndarray | None = None
) -> np.ndarray:
    """Each pair's probability given all the profile's candidates and that it has one owner.

    splink scores every pair on its own: ``p / (1 - p)`` is ``lambda BF``, the prior odds
    times the Bayes factor of the comparisons. A profile belongs to one customer at most,
    to some customer with probability ``owned`` (``lambda`` times the number of customers,
    as trained), so the probability that it is customer j's, among its candidates k, is
    ``lambda BF_j / (sum_k lambda BF_k + 1 - owned)``; customers outside the candidates,
    which disagree on the blocking keys, add almost nothing to the sum. Candidates marked in
    ``ruled_out`` (their customer's slot is taken by a surer link) leave the sum; their own
    probability is then 0.

    Examples
    --------
    >>> exclusive_probability(pd.Series(["a", "b", "b"]), pd.Series([0.5, 0.5, 0.5]), 0.7)
    array([0.76923077, 0.43478261, 0.43478261])
    """
    p = np.clip(pairwise.to_numpy(dtype="float64"), 0.0, 1.0 - 1e-15)
    odds = p / (1.0 - p)
    if ruled_out is not None:
        odds = np.where(ruled_out, 0.0, odds)
    total = pd.Series(odds).groupby(profile.to_numpy()).transform("sum").to_numpy()
    return odds / (total + 1.0 - owned)


def parameters(model: dict) -> pd.DataFrame:
    """The trained m and u of every comparison level as a tidy table."""
    rows = []
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m = level.get("m_probability", math.nan)
            u = level.get("u_probability", math.nan)
            weight = math.log2(m / u) if m and u and m > 0 and u > 0 else math.nan
            rows.append((comparison["output_column_name"], level["label_for_charts"], m, u, weight))
    return pd.DataFrame(rows, columns=["comparison", "level", "m", "u", "match_weight"])
