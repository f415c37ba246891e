"""Tests of simulate_customer_population: canonical tables, true links, mess and the effect.

Expected rates come from the parameters (with binomial bounds from scipy), the effect from a
Poisson regression in statsmodels; nothing expected is read from the simulator's output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats

from scrm_lab.exceptions import ParameterError
from scrm_lab.schema import validate
from scrm_lab.synth import CustomerPopulation, simulate_customer_population
from scrm_lab.synth._names import CITIES, NICKNAMES, TOWNS

PLACES = {*CITIES, *(t for t, _ in TOWNS)}

TABLES = {
    "crm": "customers",
    "profiles": "social_profiles",
    "interactions": "interactions",
    "messages": "messages",
    "transactions": "transactions",
}


def within(count: int, n: int, p: float) -> bool:
    """Whether ``count`` successes of ``n`` are plausible under Binomial(n, p) (1 in 10^4)."""
    low, high = stats.binom.interval(1 - 1e-4, n, p)
    return low <= count <= high


def one_edit(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with one substitution, deletion, insertion or transposition."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        swap = len(diff) == 2 and diff[1] == diff[0] + 1
        return len(diff) == 1 or (swap and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:k] + long_[k + 1 :] == short for k in range(len(long_)))


@pytest.fixture(scope="module")
def pop() -> CustomerPopulation:
    return simulate_customer_population(n_customers=5000, days=120, seed=11)


# ---------------------------------------------------------------- tables


def test_every_table_validates_against_its_canonical_schema(pop):
    for attribute, kind in TABLES.items():
        table = getattr(pop, attribute)
        assert validate(table, kind) is table
        assert isinstance(table.index, pd.RangeIndex)
    assert pop.crm.columns.tolist() == [
        "customer_id", "first_seen", "country", "first_name", "last_name", "email", "city",
        "birth_year", "given_handle", "given_handle_platform",
    ]  # fmt: skip
    assert pop.profiles.columns.tolist() == [
        "platform", "profile_id", "handle", "display_name", "location", "bio", "followers",
    ]  # fmt: skip
    assert len(pop.crm) == 5000
    assert pop.crm["customer_id"].is_unique and pop.crm["email"].is_unique
    assert set(pop.profiles["platform"].cat.categories) == {"twitter", "instagram"}
    assert not pop.profiles.duplicated(["platform", "handle"]).any()
    assert not pop.profiles["handle"].str.startswith("@").any()
    assert set(pop.interactions["channel"].cat.categories) == {"email", "phone", "web"}
    assert set(pop.messages["channel"].cat.categories) == {"twitter", "instagram"}


def test_events_fall_in_the_window_and_after_signup(pop):
    start = pd.Timestamp("2024-01-01", tz="UTC")
    seen = pop.crm.set_index("customer_id")["first_seen"].dt.tz_localize("UTC")
    for table in (pop.interactions, pop.transactions):
        assert set(table["customer_id"]) <= set(pop.crm["customer_id"])
        assert table["time"].min() >= start
        assert table["time"].max() < start + pd.Timedelta(days=120)
        assert (table["time"].to_numpy() >= seen.loc[table["customer_id"]].to_numpy()).all()
    mentions = pop.messages[~pop.messages["author_is_brand"]]
    assert mentions["time"].max() < start + pd.Timedelta(days=120)


def test_mentions_come_from_profiles_and_replies_answer_them(pop):
    messages = pop.messages
    assert messages["time"].is_monotonic_increasing
    mentions = messages[~messages["author_is_brand"]]
    replies = messages[messages["author_is_brand"]]
    handles = set(zip(pop.profiles["platform"], pop.profiles["handle"], strict=True))
    assert set(zip(mentions["channel"], mentions["author"], strict=True)) <= handles
    assert mentions["reply_to"].isna().all() and mentions["sentiment"].notna().all()
    assert set(replies["author"]) == {"B001_care"} and replies["sentiment"].isna().all()
    parent = messages.set_index("message_id").loc[replies["reply_to"]]
    assert not parent["author_is_brand"].any()
    assert (parent["time"].to_numpy() <= replies["time"].to_numpy()).all()
    assert (parent["channel"].to_numpy() == replies["channel"].to_numpy()).all()
    assert within(len(replies), len(mentions), pop.truth["reply_share"])


# ---------------------------------------------------------------- reproducibility


def test_same_seed_same_population_and_another_seed_another():
    first = simulate_customer_population(n_customers=300, days=60, seed=5)
    again = simulate_customer_population(n_customers=300, days=60, seed=5)
    other = simulate_customer_population(n_customers=300, days=60, seed=6)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(first, name), getattr(again, name))
        assert not getattr(first, name).equals(getattr(other, name))
    for name in ("links", "latent", "people"):
        pd.testing.assert_frame_equal(first.truth[name], again.truth[name])
    assert first.truth["mess"] == again.truth["mess"]


# ---------------------------------------------------------------- the true links


def test_links_name_every_profile_once_and_a_customer_at_most_once_per_platform(pop):
    links = pop.truth["links"]
    assert links[["platform", "profile_id"]].equals(pop.profiles[["platform", "profile_id"]])
    owned = links.dropna(subset=["customer_id"])
    assert set(owned["customer_id"]) <= set(pop.crm["customer_id"])
    assert not owned.duplicated(["platform", "customer_id"]).any()
    assert (owned["customer_id"] == owned["person_id"]).all()
    assert not links.duplicated(["platform", "person_id"]).any()
    latent = pop.truth["latent"].set_index("customer_id")
    for platform in ("twitter", "instagram"):
        on = set(owned.loc[owned["platform"] == platform, "customer_id"])
        assert on == set(latent.index[latent[f"has_{platform}"]])


@pytest.mark.parametrize("settings", [{}, {"no_profile_share": 0.7, "unlinked_share": 0.5}])
def test_unlinked_shares_match_their_parameters(settings):
    pop = simulate_customer_population(n_customers=5000, days=30, seed=3, **settings)
    mess = pop.truth["mess"]
    links = pop.truth["links"]
    for platform in ("twitter", "instagram"):
        here = links[links["platform"] == platform]
        customers_on = here["customer_id"].notna().sum()
        assert within(5000 - customers_on, 5000, mess["no_profile_share"])
        assert within(here["customer_id"].isna().sum(), len(here), mess["unlinked_share"])


def test_extreme_shares_give_no_profiles_or_only_customers():
    none = simulate_customer_population(n_customers=50, days=10, no_profile_share=1.0)
    assert len(none.profiles) == 0 and len(none.messages) == 0
    assert none.crm["given_handle"].isna().all()
    for attribute, kind in TABLES.items():
        validate(getattr(none, attribute), kind)
    only = simulate_customer_population(n_customers=200, days=10, unlinked_share=0.0)
    assert only.truth["links"]["customer_id"].notna().all()


def test_three_platforms():
    pop = simulate_customer_population(
        n_customers=400, days=30, platforms=("twitter", "instagram", "facebook"), seed=2
    )
    assert set(pop.profiles["platform"]) == {"twitter", "instagram", "facebook"}
    assert {"has_twitter", "has_instagram", "has_facebook"} <= set(pop.truth["latent"].columns)


# ---------------------------------------------------------------- the mess


def test_nicknames_appear_at_their_rate():
    share = 0.3
    pop = simulate_customer_population(
        n_customers=5000, days=10, nickname_share=share, typo_share=0.0, missing_share=0.0,
        seed=4,
    )  # fmt: skip
    people = pop.truth["people"].set_index("person_id")
    twitter = pop.truth["links"]["platform"] == "twitter"
    person = people.loc[pop.truth["links"].loc[twitter, "person_id"]]
    shown = pop.profiles.loc[twitter, "display_name"].str.split(" ").str[0].to_numpy()
    given = person["first_name"].to_numpy()
    eligible = np.array([bool(NICKNAMES[g]) for g in given])
    nickname = np.array([s in NICKNAMES[g] for s, g in zip(shown, given, strict=True)])
    assert (nickname | (shown == given)).all()
    assert within(int(nickname[eligible].sum()), int(eligible.sum()), share)
    assert not nickname[~eligible].any()
    assert (pop.profiles.loc[twitter, "display_name"].str.split(" ").str[-1].to_numpy()
            == person["last_name"].to_numpy()).all()  # fmt: skip


def test_typos_are_one_edit_at_their_rate():
    share = 0.1
    pop = simulate_customer_population(
        n_customers=4000, days=10, typo_share=share, nickname_share=0.0, missing_share=0.0,
        seed=6,
    )  # fmt: skip
    people = pop.truth["people"].set_index("person_id")
    person = people.loc[pop.truth["links"]["person_id"]]
    true_name = (person["first_name"] + " " + person["last_name"]).to_numpy()
    shown = pop.profiles["display_name"].to_numpy()
    changed = shown != true_name
    assert within(int(changed.sum()), changed.size, share)
    assert all(one_edit(a, b) for a, b in zip(true_name[changed], shown[changed], strict=True))
    customers = people.loc[pop.crm["customer_id"]]
    for column in ("first_name", "last_name"):
        typed, truth = pop.crm[column].to_numpy(), customers[column].to_numpy()
        wrong = typed != truth
        assert within(int(wrong.sum()), wrong.size, share)
        assert all(one_edit(a, b) for a, b in zip(truth[wrong], typed[wrong], strict=True))
    city = pop.profiles["location"].str.split(", ").str[0]
    assert within(int((~city.isin(PLACES)).sum()), len(city), share)
    assert (pop.crm["city"].isin(PLACES)).all()


def test_missing_fields_at_their_rate(pop):
    share = pop.truth["mess"]["missing_share"]
    for column in ("display_name", "location", "bio"):
        assert within(int(pop.profiles[column].isna().sum()), len(pop.profiles), share)
    assert pop.profiles[["platform", "profile_id", "handle", "followers"]].notna().all().all()


def test_people_share_names_some_in_the_same_city():
    crm = simulate_customer_population(n_customers=1000, days=10, typo_share=0.0, seed=8).crm
    assert crm.duplicated(["first_name", "last_name"]).sum() > 0
    assert crm.duplicated(["first_name", "last_name", "city"]).sum() > 0


def test_handles_follow_the_patterns_and_some_are_unrelated(pop):
    links = pop.truth["links"]
    person = pop.truth["people"].set_index("person_id").loc[links["person_id"]]
    key = person["last_name"].str.lower().str.replace(r"[^a-z]", "", regex=True).to_numpy()
    handles = pop.profiles["handle"].to_numpy()
    has_surname = np.array([k in h for k, h in zip(key, handles, strict=True)])
    assert 0.7 < has_surname.mean() < 0.95  # unrelated handles: 0.15 of derived ones
    assert pop.profiles["handle"].str.fullmatch(r"[a-z]+_[a-z]+\d{2}\d*").any()  # bob_smith84
    assert pop.profiles["handle"].str.contains(".", regex=False).any()  # bob.smith
    same = links.pivot(index="person_id", columns="platform", values="profile_id").dropna()
    assert len(same) > 0  # people on both platforms


def test_given_handles_are_the_linked_profile_up_to_at_and_case(pop):
    crm = pop.crm.dropna(subset=["given_handle"])
    assert crm["given_handle_platform"].notna().all()
    links = pop.truth["links"].assign(handle=pop.profiles["handle"])
    owned = links.dropna(subset=["customer_id"]).set_index(["customer_id", "platform"])
    expected = owned.loc[list(zip(crm["customer_id"], crm["given_handle_platform"], strict=True)),
                         "handle"].to_numpy()  # fmt: skip
    typed = crm["given_handle"].str.removeprefix("@").str.lower().to_numpy()
    assert (typed == expected).all()
    assert crm["given_handle"].str.startswith("@").any()
    assert (crm["given_handle"].str.removeprefix("@") != expected).any()  # other capitals
    with_profile = pop.truth["latent"].filter(like="has_").any(axis=1).sum()
    share = pop.truth["mess"]["given_handle_share"]
    assert within(len(crm), int(with_profile), share)
    no_profile = ~pop.truth["latent"].filter(like="has_").any(axis=1).to_numpy()
    assert pop.crm.loc[no_profile, "given_handle"].isna().all()


# ---------------------------------------------------------------- the known effect


def per_customer(pop: CustomerPopulation) -> pd.DataFrame:
    table = pop.truth["latent"].copy()
    counts = pop.transactions["customer_id"].value_counts()
    table["purchases"] = counts.reindex(table["customer_id"], fill_value=0).to_numpy()
    return table


@pytest.mark.parametrize("effect", [0.4, 0.0])
def test_poisson_regression_recovers_the_effect(effect):
    pop = simulate_customer_population(n_customers=20000, effect=effect, seed=21)
    table = per_customer(pop)
    fit = smf.glm(
        "purchases ~ engagement",
        table,
        family=sm.families.Poisson(),
        offset=np.log(table["exposure_days"]),
    ).fit(cov_type="HC0")
    estimate, se = fit.params["engagement"], fit.bse["engagement"]
    assert abs(estimate - effect) <= 4 * se
    low, high = fit.conf_int().loc["engagement"]
    assert low <= effect <= high
    assert pop.truth["effect"] == effect


def test_engagement_drives_mentions_and_their_positive_share(pop):
    links = pop.truth["links"]
    people = pop.truth["people"].set_index("person_id")
    mentions = pop.messages[~pop.messages["author_is_brand"]]
    index = pd.MultiIndex.from_frame(pop.profiles[["platform", "handle"]])
    keyed = pd.Series(links["person_id"].to_numpy(), index=index)
    author = keyed.loc[list(zip(mentions["channel"], mentions["author"], strict=True))]
    counts = pd.Series(author.to_numpy()).value_counts()
    table = pd.DataFrame({"engagement": people.loc[links["person_id"], "engagement"].to_numpy()})
    table["mentions"] = counts.reindex(links["person_id"], fill_value=0).to_numpy()
    fit = smf.glm("mentions ~ engagement", table, family=sm.families.Poisson()).fit()
    slope, se = fit.params["engagement"], fit.bse["engagement"]
    assert abs(slope - pop.truth["mention_effect"]) <= 4 * se
    eta = people.loc[author.to_numpy(), "engagement"].to_numpy()
    positive = (mentions["sentiment"] == "positive").to_numpy()
    assert positive[eta > 0].mean() > positive[eta < 0].mean() + 0.1


# ---------------------------------------------------------------- refusals

FUNC = "simulate_customer_population"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"n_customers": 0},
            rf"'n_customers' parameter of {FUNC} must be an integer >= 1\. "
            r"Got 0 instead\.",
        ),
        ({"days": 1.5}, r"'days' .* integer >= 1\. Got 1\.5 instead"),
        ({"platforms": ["twitter", "twitter"]}, r"'platforms' .* Duplicated: twitter"),
        ({"platforms": "twitter"}, r"'platforms' .* Got 'twitter' instead"),
        ({"start": "soon"}, r"'start' .* a date such as"),
        ({"effect": 3}, r"'effect' .* a number in \[-2, 2\]\. Got 3 instead"),
        ({"brand": ""}, r"'brand' .* a non-empty string\. Got '' instead"),
        ({"no_profile_share": 1.2}, r"'no_profile_share' .* a number in \[0, 1\]\. Got 1\.2"),
        ({"unlinked_share": 1.0}, r"'unlinked_share' .* a number in \[0, 1\)\. Got 1\.0"),
        ({"nickname_share": -0.1}, r"'nickname_share' .* \[0, 1\]\. Got -0\.1"),
        ({"typo_share": "some"}, r"'typo_share' .* Got 'some' instead"),
        ({"missing_share": float("nan")}, r"'missing_share' .* Got nan instead"),
        ({"given_handle_share": 2}, r"'given_handle_share' .* Got 2 instead"),
        ({"seed": -1}, r"'seed' .* integer >= 0\. Got -1 instead"),
    ],
)
def test_bad_parameters_are_refused_naming_them(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        simulate_customer_population(**kwargs)
