"""link_identities and linkage_accuracy on simulated populations (seeds never tuned on)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.identity import link_identities, linkage_accuracy, name_equivalence
from scrm_lab.identity._model import exclusive_probability
from scrm_lab.identity._prepare import prepare_profiles
from scrm_lab.synth import simulate_customer_population

SEEDS = (101, 202)


@pytest.fixture(scope="module", params=SEEDS)
def linked(request):
    population = simulate_customer_population(n_customers=2000, days=10, seed=request.param)
    return population, link_identities(population.crm, population.profiles, seed=request.param)


def _truth_pairs(population) -> set:
    true = population.truth["links"].dropna(subset=["customer_id"])
    return set(zip(true["platform"].astype(str), true["profile_id"], true["customer_id"],
                   strict=True))  # fmt: skip


def _linked_pairs(links: pd.DataFrame) -> pd.DataFrame:
    crm = links[links["source"] == "crm"]
    owner = dict(zip(crm["unified_customer_id"], crm["source_record_id"], strict=True))
    rows = links[(links["source"] != "crm") & (links["rule"] != "none")]
    return rows.assign(customer_id=rows["unified_customer_id"].map(owner))


def test_precision_and_recall_at_the_default_threshold(linked):
    """The issue's F1 >= 0.95, on 2,000 customers (these seeds give precision 0.99, recall
    0.94 to 0.95, F1 0.96 to 0.97); benchmarks/bench_identity.py measures it on 100,000."""
    population, result = linked
    predicted = _linked_pairs(result.links)
    keys = set(zip(predicted["source"], predicted["source_record_id"], predicted["customer_id"],
                   strict=True))  # fmt: skip
    true = _truth_pairs(population)
    tp = len(keys & true)
    precision, recall = tp / len(keys), tp / len(true)
    assert precision >= 0.98 and recall >= 0.93
    assert 2 * precision * recall / (precision + recall) >= 0.95


def test_accuracy_counts_pairs_as_computed_from_the_truth(linked):
    population, result = linked
    predicted = _linked_pairs(result.links)
    keys = set(zip(predicted["source"], predicted["source_record_id"], predicted["customer_id"],
                   strict=True))  # fmt: skip
    true = _truth_pairs(population)
    table = linkage_accuracy(result.links, population.truth["links"],
                             thresholds=[result.threshold])  # fmt: skip
    row = table.iloc[0]
    assert row["true_positive"] == len(keys & true)
    assert row["false_positive"] == len(keys - true)
    assert row["false_negative"] == len(true - keys)


def test_rule_links_are_always_correct(linked):
    population, result = linked
    predicted = _linked_pairs(result.links)
    rules = predicted[predicted["rule"].isin(["given_handle", "email"])]
    assert len(rules) > 0
    true = _truth_pairs(population)
    assert all(k in true for k in zip(rules["source"], rules["source_record_id"],
                                      rules["customer_id"], strict=True))  # fmt: skip
    assert (rules["match_probability"] == 1.0).all()


def test_one_profile_per_customer_per_platform(linked):
    population, result = linked
    links = result.links
    profiles = links[links["source"] != "crm"]
    assert len(links) == len(population.crm) + len(population.profiles)
    assert not profiles.duplicated(["source", "source_record_id"]).any()
    linked_rows = profiles[profiles["rule"] != "none"]
    assert not linked_rows.duplicated(["source", "unified_customer_id"]).any()
    crm = links[links["source"] == "crm"]
    assert set(linked_rows["unified_customer_id"]) <= set(crm["unified_customer_id"])


def test_every_merge_is_explained(linked):
    _, result = linked
    links = result.links
    merged = links[links["rule"] != "none"]
    assert merged["rule"].isin(["given_handle", "email", "probabilistic"]).all()
    assert merged["match_probability"].notna().all()
    probabilistic = merged[merged["rule"] == "probabilistic"]
    assert (probabilistic["match_probability"] >= result.threshold).all()
    unlinked = links[(links["rule"] == "none") & (links["source"] != "crm")]
    assert unlinked["match_probability"].isna().all()
    assert links["model_version"].str.startswith("splink-5").all()
    assert links["run_id"].nunique() == 1


def test_curve_is_monotone(linked):
    population, result = linked
    curve = linkage_accuracy(result.pairs, population.truth["links"])
    assert curve["threshold"].is_monotonic_increasing
    assert curve["true_positive"].is_monotonic_decreasing
    assert curve["false_positive"].is_monotonic_decreasing
    assert curve["false_negative"].is_monotonic_increasing
    assert curve.columns.tolist() == ["threshold", "precision", "recall", "f1", "true_positive",
                                      "false_positive", "false_negative"]  # fmt: skip
    at = linkage_accuracy(result.links, population.truth["links"], thresholds=[result.threshold])
    from_pairs = curve[np.isclose(curve["threshold"], result.threshold)]
    assert at["true_positive"].iloc[0] == from_pairs["true_positive"].iloc[0]


def test_same_seed_same_link_table():
    population = simulate_customer_population(n_customers=300, days=10, seed=7)
    first = link_identities(population.crm, population.profiles, seed=3)
    second = link_identities(population.crm, population.profiles, seed=3)
    pd.testing.assert_frame_equal(first.links, second.links)
    assert set(first.parameters.columns) == {"comparison", "level", "m", "u", "match_weight"}


@pytest.fixture(scope="module")
def small():
    return simulate_customer_population(n_customers=60, days=5, seed=11)


def test_missing_column_is_named(small):
    with pytest.raises(SchemaError, match="column 'city'"):
        link_identities(small.crm.drop(columns="city"), small.profiles)
    with pytest.raises(SchemaError, match="column 'handle'"):
        link_identities(small.crm, small.profiles.drop(columns="handle"))


@pytest.mark.parametrize("threshold", [0, 1, 1.5, -0.1])
def test_threshold_outside_the_unit_interval_is_refused(small, threshold):
    with pytest.raises(ParameterError, match="'threshold' parameter of link_identities"):
        link_identities(small.crm, small.profiles, threshold=threshold)


def test_duplicate_ids_are_refused(small):
    crm = pd.concat([small.crm, small.crm.iloc[[3]]], ignore_index=True)
    with pytest.raises(SchemaError, match=r"^link_identities: table 'customers' has duplicate "
                       r"key \(customer_id='C000004'\) in rows 4, 61"):  # fmt: skip
        link_identities(crm, small.profiles)
    profiles = pd.concat([small.profiles, small.profiles.iloc[[0]]], ignore_index=True)
    with pytest.raises(SchemaError, match=r"table 'social_profiles' has duplicate key "
                       r"\(platform=.*, profile_id="):  # fmt: skip
        link_identities(small.crm, profiles)


def test_missing_ids_are_refused(small):
    crm = small.crm.copy()
    crm.loc[2, "customer_id"] = None
    with pytest.raises(SchemaError, match=r"table 'customers', column 'customer_id': row 3 is "
                       r"missing"):  # fmt: skip
        link_identities(crm, small.profiles)


def test_not_a_frame_is_refused(small):
    with pytest.raises(ParameterError, match="'profiles' parameter of link_identities"):
        link_identities(small.crm, [1, 2])


def test_accuracy_refuses_bad_thresholds_and_columns(small):
    truth = small.truth["links"]
    with pytest.raises(ParameterError, match="'thresholds' parameter of linkage_accuracy"):
        linkage_accuracy(truth.assign(match_probability=1.0), truth, thresholds=[0.5, 1.2])
    with pytest.raises(SchemaError, match="column 'customer_id'"):
        linkage_accuracy(truth.assign(match_probability=1.0), truth.drop(columns="customer_id"))


def test_name_equivalence_from_the_nickname_pool():
    table = name_equivalence()
    assert {"robert"} <= set(table.loc[table["spelling"] == "bob", "given_name"])
    assert not table.duplicated().any()


def test_a_missing_field_is_read_from_the_same_handle_on_another_platform():
    profiles = pd.DataFrame({
        "platform": ["x", "y", "x", "y", "x", "y"],
        "profile_id": ["1", "1", "2", "2", "3", "3"],
        "handle": ["ann_b", "@Ann_B", "bo", "bo", "cy", "cy"],
        "display_name": ["Ann Bell", None, "Bo Day", "Bob Dee", "Cy Fox", None],
        "location": [None, "Leeds", None, "York", "Bath, UK", None],
    })  # fmt: skip
    prepared = prepare_profiles(profiles, pd.Series(["bell"]))
    shown = prepared.set_index("unique_id")
    assert shown.loc["y:1", ["first_key", "last_key"]].tolist() == ["ann", "bell"]
    assert shown.loc["x:1", "city_key"] == "leeds"  # same person: the names agree
    assert pd.isna(shown.loc["x:2", "city_key"])  # "Bo Day" and "Bob Dee": not one person
    assert shown.loc["y:3", "city_key"] == "bath"


def test_probabilities_share_a_profile_among_its_candidates():
    """Hand computation: pairwise p 0.5 is odds 1; a profile owned with probability 0.7
    and two such candidates gives each 1 / (1 + 1 + 0.3)."""
    got = exclusive_probability(pd.Series(["a", "b", "b"]), pd.Series([0.5, 0.5, 0.5]), 0.7)
    np.testing.assert_allclose(got, [1 / 1.3, 1 / 2.3, 1 / 2.3])
    assert exclusive_probability(pd.Series(["a"]), pd.Series([0.9]), 0.0)[0] == pytest.approx(0.9)


def test_without_rule_links_the_model_trains_by_em_alone():
    """No customer gave a handle and profiles carry no email: fewer than 30 known matches,
    so m comes from expectation maximisation alone; the links are still mostly right."""
    population = simulate_customer_population(
        n_customers=1000, days=10, given_handle_share=0.0, seed=303
    )
    result = link_identities(population.crm, population.profiles, seed=3)
    assert set(result.links["rule"]) <= {"none", "probabilistic"}
    at = linkage_accuracy(result.links, population.truth["links"], thresholds=[0.5]).iloc[0]
    assert at["precision"] >= 0.95 and at["recall"] >= 0.8
