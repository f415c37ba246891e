"""customer_view: expected values from plain pandas, networkx and the simulation's truth."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from scrm_lab.customers import rfm_scores, rfm_summary
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.synth import simulate_customer_population
from scrm_lab.unified._view import CustomerView, customer_view, link_table_from_truth
from tests.unified.truth import truth_link_table

SEED = 20261202
MIDDLE = pd.Timestamp("2024-07-01", tz="UTC")


# ------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def pop():
    return simulate_customer_population(n_customers=300, seed=SEED)


@pytest.fixture(scope="module")
def links(pop):
    return truth_link_table(pop.crm, pop.truth["links"])


def _view(pop, links, **kwargs) -> CustomerView:
    return customer_view(
        pop.crm, links, pop.profiles, interactions=pop.interactions, messages=pop.messages,
        transactions=pop.transactions, **kwargs,
    )  # fmt: skip


@pytest.fixture(scope="module")
def whole(pop, links):
    return _view(pop, links)


@pytest.fixture(scope="module")
def middle(pop, links):
    return _view(pop, links, as_of=MIDDLE)


def own_messages(pop, as_of=None) -> pd.DataFrame:
    """Each customer's messages from the true links, with plain pandas."""
    owners = pop.truth["links"].dropna(subset=["customer_id"])
    owners = owners.merge(pop.profiles[["platform", "profile_id", "handle"]])
    messages = pop.messages[~pop.messages["author_is_brand"].astype(bool)]
    if as_of is not None:
        messages = messages[messages["time"] <= as_of]
    return messages.assign(channel=messages["channel"].astype(str)).merge(
        owners.assign(platform=owners["platform"].astype(str)),
        left_on=["channel", "author"],
        right_on=["platform", "handle"],
    )


def by_customer(counts: pd.Series, customers: pd.Series) -> np.ndarray:
    return customers.map(counts).fillna(0).astype(int).to_numpy()


# --------------------------------------------------------------------- the simulated view


def test_one_row_per_customer_with_its_unified_id(pop, whole):
    table = whole.table
    assert isinstance(whole, CustomerView)
    assert table["customer_id"].tolist() == pop.crm["customer_id"].tolist()
    assert (table["unified_customer_id"] == "U-" + table["customer_id"]).all()
    assert {"first_name", "last_name", "email", "city", "country", "birth_year"} <= set(table)
    assert "given_handle" not in table.columns


def test_handles_profiles_and_followers_match_the_truth(pop, whole):
    owners = pop.truth["links"].dropna(subset=["customer_id"]).merge(pop.profiles)
    table = whole.table.set_index("customer_id")
    for platform in pop.profiles["platform"].astype(str).unique():
        mine = owners[owners["platform"].astype(str) == platform].set_index("customer_id")
        expected = table.index.map(mine["handle"])
        got = table[f"handle_{platform}"]
        assert got.isna().tolist() == pd.isna(expected).tolist()
        assert (got.dropna() == expected[got.notna()]).all()
    counts = owners.groupby("customer_id").size()
    followers = owners.groupby("customer_id")["followers"].sum()
    assert (table["n_profiles"].to_numpy() == by_customer(counts, table.index.to_series())).all()
    assert (table["followers"].to_numpy() == by_customer(followers, table.index.to_series())).all()
    linked = table["n_profiles"] > 0
    assert (table.loc[linked, "link_probability_min"] == 0.97).all()
    assert table.loc[~linked, "link_probability_min"].isna().all()


def test_mentions_and_sentiment_equal_plain_counts_from_the_truth(pop, whole):
    mine = own_messages(pop)
    table = whole.table
    ids = table["customer_id"]
    counts = mine.groupby("customer_id").size()
    assert (table["mentions"].to_numpy() == by_customer(counts, ids)).all()
    for label in ("positive", "negative", "neutral"):
        counts = mine[mine["sentiment"] == label].groupby("customer_id").size()
        assert (table[label].to_numpy() == by_customer(counts, ids)).all()
    assert table["mentions"].sum() > 500  # the comparison is not vacuous


def test_net_sentiment_is_the_project_formula(whole):
    table = whole.table
    pos, neg = table["positive"].astype(float), table["negative"].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = np.where(pos + neg > 0, (pos - neg) / (pos + neg), np.nan)
    np.testing.assert_allclose(table["net_sentiment"], expected, rtol=1e-12)
    assert table["net_sentiment"].isna().any() and table["net_sentiment"].notna().any()


def test_replies_received_and_response_minutes_from_plain_pandas(pop, whole):
    mine = own_messages(pop)
    brand = pop.messages[pop.messages["author_is_brand"].astype(bool)]
    pairs = mine.merge(
        brand[["reply_to", "time"]], left_on="message_id", right_on="reply_to",
        suffixes=("", "_reply"),
    )  # fmt: skip
    table = whole.table
    ids = table["customer_id"]
    replies = pairs.groupby("customer_id").size()
    assert (table["replies_received"].to_numpy() == by_customer(replies, ids)).all()
    first = pairs.groupby(["customer_id", "message_id"]).agg(
        asked=("time", "min"), answered=("time_reply", "min")
    )
    first["minutes"] = (first["answered"] - first["asked"]).dt.total_seconds() / 60
    medians = first.groupby(level=0)["minutes"].median()
    np.testing.assert_allclose(table["median_response_minutes"], ids.map(medians), rtol=1e-12)


def test_interactions_per_channel_from_plain_pandas(pop, whole):
    table = whole.table
    counts = pd.crosstab(pop.interactions["customer_id"], pop.interactions["channel"])
    for channel in ("email", "phone", "web"):
        assert (
            table[f"interactions_{channel}"].to_numpy()
            == by_customer(counts[channel], table["customer_id"])
        ).all()
    per_channel = table[[f"interactions_{c}" for c in ("email", "phone", "web")]]
    assert (table["interactions"] == per_channel.sum(axis=1)).all()


def test_rfm_columns_equal_rfm_summary_directly(pop, whole):
    end = whole.as_of
    summary = rfm_summary(pop.transactions, observation_end=end).set_index("customer_id")
    table = whole.table.set_index("customer_id")
    buyers = table.loc[summary.index]
    for column in ("frequency", "recency", "T", "monetary_value"):
        np.testing.assert_allclose(buyers[column], summary[column], rtol=1e-12)
    others = table.drop(index=summary.index)
    assert len(others) > 0
    assert (others["frequency"] == 0).all() and (others["recency"] == 0).all()
    assert others["monetary_value"].isna().all()
    first_seen = pd.to_datetime(pop.crm.set_index("customer_id")["first_seen"])
    weeks = (end.tz_convert(None).normalize() - first_seen[others.index]).dt.days / 7
    np.testing.assert_allclose(others["T"], weeks, rtol=1e-12)
    revenue = pop.transactions.groupby("customer_id")["amount"].sum()
    np.testing.assert_allclose(table["revenue"], table.index.map(revenue).fillna(0), rtol=1e-12)


def test_rfm_scores_are_rfm_scores_of_the_summary_columns(whole):
    table = whole.table
    scores = rfm_scores(table[["frequency", "recency", "T", "monetary_value"]])
    assert (table["rfm_r"].to_numpy() == scores["R"].to_numpy()).all()
    assert (table["rfm_f"].to_numpy() == scores["F"].to_numpy()).all()
    assert (table["rfm_m"].to_numpy() == scores["M"].to_numpy()).all()
    assert table["rfm_cell"].tolist() == scores["cell"].tolist()
    assert table["rfm_segment"].tolist() == scores["segment"].tolist()


def test_value_columns_finite_for_buyers_and_missing_for_the_others(whole):
    table = whole.table
    buyer = table["revenue"] > 0
    for column in ("probability_alive", "expected_purchases", "clv"):
        assert np.isfinite(table.loc[buyer, column]).all(), column
        assert table.loc[~buyer, column].isna().all(), column
    assert table.loc[buyer, "probability_alive"].between(0, 1).all()
    assert (table.loc[buyer, "clv"] > 0).all()
    assert any("without a purchase" in note for note in whole.notes)


def test_as_of_in_the_middle_counts_only_earlier_events(pop, whole, middle):
    early, late = middle.table.set_index("customer_id"), whole.table.set_index("customer_id")
    assert middle.as_of == MIDDLE
    mine = own_messages(pop, as_of=MIDDLE)
    counts = mine.groupby("customer_id").size()
    assert (early["mentions"].to_numpy() == by_customer(counts, early.index.to_series())).all()
    assert early["mentions"].sum() < late["mentions"].sum()
    assert early["interactions"].sum() < late["interactions"].sum()
    before = pop.transactions[pop.transactions["time"] <= MIDDLE]
    revenue = before.groupby("customer_id")["amount"].sum()
    np.testing.assert_allclose(early["revenue"], early.index.map(revenue).fillna(0), rtol=1e-12)
    summary = rfm_summary(before, observation_end=MIDDLE).set_index("customer_id")
    for column in ("frequency", "recency", "T"):
        np.testing.assert_allclose(early.loc[summary.index, column], summary[column], rtol=1e-12)
    assert set(early.index[early["revenue"] > 0]) == set(summary.index)


def test_customers_first_seen_after_as_of_are_left_out(pop, middle):
    first_seen = pd.to_datetime(pop.crm["first_seen"])
    expected = pop.crm.loc[first_seen <= MIDDLE.tz_convert(None), "customer_id"]
    assert middle.table["customer_id"].tolist() == expected.tolist()
    assert len(expected) < len(pop.crm)
    assert any("first seen after" in note for note in middle.notes)


def test_with_the_links_of_link_identities(pop):
    from scrm_lab.identity import link_identities

    links = link_identities(pop.crm, pop.profiles, seed=1).links
    table = _view(pop, links, as_of=MIDDLE).table
    crm_rows = links[links["source"] == "crm"].set_index("source_record_id")
    assert (
        table["unified_customer_id"].to_numpy()
        == crm_rows.loc[table["customer_id"], "unified_customer_id"].to_numpy()
    ).all()
    customer_ids = crm_rows["unified_customer_id"]
    linked = links[(links["source"] != "crm") & links["unified_customer_id"].isin(customer_ids)]
    counts = linked.groupby("unified_customer_id").size()
    expected = by_customer(counts, table["unified_customer_id"])
    assert (table["n_profiles"].to_numpy() == expected).all()
    assert table["mentions"].sum() > 0


# ------------------------------------------------------------------------ a small example


@pytest.fixture()
def small():
    t = pd.Timestamp("2024-03-01 10:00", tz="UTC")
    minutes = [pd.Timedelta(minutes=m) for m in range(0, 600, 1)]
    crm = pd.DataFrame(
        {"customer_id": ["C1", "C2", "C3"],
         "first_seen": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-02-01"])}
    )  # fmt: skip
    profiles = pd.DataFrame(
        {"platform": ["twitter", "instagram", "twitter", "twitter"],
         "profile_id": ["P1", "P2", "P3", "P4"],
         "handle": ["alice", "alice_i", "bob", "stranger"],
         "followers": [10, 5, 7, 1000]}
    )  # fmt: skip
    links = pd.DataFrame(
        {"source": ["crm", "crm", "crm", "twitter", "instagram", "twitter", "twitter"],
         "source_record_id": ["C1", "C2", "C3", "P1", "P2", "P3", "P4"],
         "unified_customer_id": ["U-C1", "U-C2", "U-C3", "U-C1", "U-C1", "U-C2",
                                 "U-twitter-P4"],
         "match_probability": [np.nan, np.nan, np.nan, 0.9, np.nan, 0.8, np.nan],
         "rule": ["none", "none", "none", "probabilistic", "given_handle", "probabilistic",
                  "none"]}
    )  # fmt: skip
    messages = pd.DataFrame(
        {"message_id": [f"M{i}" for i in range(1, 9)],
         "brand": "B001",
         "channel": ["twitter", "twitter", "twitter", "instagram", "instagram", "twitter",
                     "twitter", "twitter"],
         "author": ["alice", "B001_care", "B001_care", "alice_i", "B001_care", "bob",
                    "stranger", "@Alice"],
         "time": [t, t + minutes[30], t + minutes[60], t + minutes[120], t + minutes[210],
                  t + minutes[5], t + minutes[6], t + minutes[300]],
         "text": "hi",
         "reply_to": [None, "M1", "M1", None, "M4", None, None, None],
         "author_is_brand": [False, True, True, False, True, False, False, False],
         "sentiment": ["positive", "neutral", "neutral", "negative", "neutral", "neutral",
                       "positive", "positive"]}
    )  # fmt: skip
    interactions = pd.DataFrame(
        {"customer_id": ["C1", "C1", "C3"], "time": [t, t, t],
         "channel": ["email", "web", "phone"], "action": ["open", "view", "call"]}
    )  # fmt: skip
    transactions = pd.DataFrame(
        {"customer_id": ["C1", "C1", "C2"],
         "time": pd.to_datetime(["2024-01-10", "2024-02-10", "2024-02-01"], utc=True),
         "amount": [10.0, 20.0, 5.0]}
    )  # fmt: skip
    return {"crm": crm, "links": links, "profiles": profiles, "interactions": interactions,
            "messages": messages, "transactions": transactions}  # fmt: skip


def _small_view(small, **kwargs) -> CustomerView:
    data = dict(small)
    return customer_view(data.pop("crm"), data.pop("links"), data.pop("profiles"), **data, **kwargs)


def test_small_example_by_hand(small):
    view = _small_view(small)
    table = view.table.set_index("customer_id")
    assert table.loc["C1", "handle_twitter"] == "alice"
    assert table.loc["C1", "handle_instagram"] == "alice_i"
    assert pd.isna(table.loc["C2", "handle_instagram"])
    assert table["n_profiles"].tolist() == [2, 1, 0]
    assert table["followers"].tolist() == [15, 7, 0]
    assert table.loc["C1", "link_probability_min"] == 0.9  # the rule link counts as 1.0
    assert table.loc["C2", "link_probability_min"] == 0.8
    assert np.isnan(table.loc["C3", "link_probability_min"])
    # alice: M1 (positive), M4 (negative), M8 ('@Alice', positive); the stranger is no one's
    assert table["mentions"].tolist() == [3, 1, 0]
    assert table["positive"].tolist() == [2, 0, 0]
    assert table["negative"].tolist() == [1, 0, 0]
    assert table["neutral"].tolist() == [0, 1, 0]
    assert table.loc["C1", "net_sentiment"] == pytest.approx(1 / 3)
    assert table[["net_sentiment"]].iloc[1:].isna().all().all()
    assert table["replies_received"].tolist() == [3, 0, 0]
    # M1 answered after 30 minutes (first of two replies), M4 after 90: median 60
    assert table.loc["C1", "median_response_minutes"] == 60.0
    assert table[["median_response_minutes"]].iloc[1:].isna().all().all()
    assert table["interactions"].tolist() == [2, 0, 1]
    assert table["interactions_phone"].tolist() == [0, 0, 1]
    assert table["revenue"].tolist() == [30.0, 5.0, 0.0]
    assert np.isnan(table["influence"]).all()


def test_brand_keeps_only_that_brands_messages(small):
    table = _small_view(small, brand="another brand").table
    assert (table["mentions"] == 0).all() and (table["replies_received"] == 0).all()


def test_influence_is_networkx_pagerank_summed_over_handles(small):
    edges = pd.DataFrame(
        {"source": ["bob", "stranger", "alice_i", "carol", "carol", "alice"],
         "target": ["alice", "alice", "bob", "alice_i", "bob", "carol"],
         "weight": [1.0, 2.0, 1.0, 3.0, 1.0, 1.0]}
    )  # fmt: skip
    graph = nx.DiGraph()
    graph.add_weighted_edges_from(edges.itertuples(index=False, name=None))
    pagerank = nx.pagerank(graph, weight="weight")
    table = _small_view(small, edges=edges).table.set_index("customer_id")
    assert table.loc["C1", "influence"] == pytest.approx(
        pagerank["alice"] + pagerank["alice_i"], rel=1e-9
    )
    assert table.loc["C2", "influence"] == pytest.approx(pagerank["bob"], rel=1e-9)
    assert table.loc["C3", "influence"] == 0.0


def test_edges_after_as_of_do_not_count(small):
    edges = pd.DataFrame(
        {"source": ["bob", "carol"], "target": ["alice", "bob"],
         "time": pd.to_datetime(["2024-01-01", "2024-12-01"], utc=True)}
    )  # fmt: skip
    table = _small_view(small, edges=edges, as_of="2024-06-01").table.set_index("customer_id")
    pagerank = nx.pagerank(nx.DiGraph([("bob", "alice")]))
    assert table.loc["C1", "influence"] == pytest.approx(pagerank["alice"], rel=1e-9)


def test_without_repeat_buyers_the_models_are_not_fitted_and_a_note_says_why(small):
    small["transactions"] = small["transactions"].iloc[[0, 2]]
    view = _small_view(small)
    assert view.table[["probability_alive", "expected_purchases", "clv"]].isna().all().all()
    assert any("cannot be fitted" in note and "repeat" in note for note in view.notes)
    assert view.table["frequency"].tolist() == [0, 0, 0]


# ------------------------------------------------------------------------------ refusals


def test_refuses_a_table_that_is_not_a_dataframe(small):
    small["crm"] = small["crm"].to_dict()
    with pytest.raises(ParameterError, match="'crm' parameter of customer_view must be a pandas"):
        _small_view(small)


def test_refuses_a_missing_column(small):
    small["messages"] = small["messages"].drop(columns="sentiment")
    with pytest.raises(SchemaError, match="column 'sentiment' is not in the data"):
        _small_view(small)


def test_refuses_links_without_the_link_columns(small):
    small["links"] = small["links"].drop(columns="unified_customer_id")
    with pytest.raises(SchemaError, match="customer_view: column 'unified_customer_id'"):
        _small_view(small)


def test_refuses_a_linked_customer_not_in_crm(small):
    small["crm"] = small["crm"].iloc[:2]
    with pytest.raises(SchemaError, match="customer 'C3' .*which is not in crm"):
        _small_view(small)


def test_refuses_a_customer_without_a_crm_link(small):
    small["links"] = small["links"].drop(index=1)
    with pytest.raises(SchemaError, match="customer 'C2' of crm has no 'crm' row"):
        _small_view(small)


def test_refuses_a_linked_profile_not_in_profiles(small):
    small["profiles"] = small["profiles"].iloc[1:]
    with pytest.raises(SchemaError, match="profile 'P1' on 'twitter'.*profiles has no such"):
        _small_view(small)


def test_refuses_a_repeated_customer(small):
    small["crm"] = pd.concat([small["crm"], small["crm"].iloc[[0]]], ignore_index=True)
    with pytest.raises(SchemaError, match="'customer_id' of crm repeats 'C1'"):
        _small_view(small)


def test_refuses_an_unreadable_as_of(small):
    with pytest.raises(ParameterError, match="'as_of' parameter of customer_view .*'soon'"):
        _small_view(small, as_of="soon")
    with pytest.raises(ParameterError, match="'as_of' parameter of customer_view"):
        _small_view(small, as_of=3)


def test_refuses_an_unreadable_event_time(small):
    small["transactions"] = small["transactions"].astype({"time": object})
    small["transactions"].loc[1, "time"] = "yesterday"
    with pytest.raises(SchemaError, match="'time' of transactions has 'yesterday' in row 2"):
        _small_view(small)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [("time_unit", "week", "one of"), ("margin", 0, r"\(0, 1\]"),
     ("horizon", -1, "> 0"), ("brand", "", "non-empty"), ("edges", "x", "edges")],
)  # fmt: skip
def test_refuses_bad_parameters(small, name, value, message):
    with pytest.raises(ParameterError, match=f"'{name}' parameter of customer_view.*{message}"):
        _small_view(small, **{name: value})


def test_link_table_from_truth_is_the_hand_made_one(pop, links):
    made = link_table_from_truth(pop.crm, pop.truth["links"])
    columns = ["source", "source_record_id", "unified_customer_id"]
    pd.testing.assert_frame_equal(made[columns], links[columns], check_dtype=False)
    linked = made["rule"] == "truth"
    assert (made.loc[linked, "match_probability"] == 1.0).all()
    assert made.loc[~linked, "match_probability"].isna().all()


def test_link_table_from_truth_refuses_a_table_without_its_columns(pop):
    with pytest.raises(SchemaError, match="link_table_from_truth: column 'profile_id'"):
        link_table_from_truth(pop.crm, pop.truth["links"].drop(columns="profile_id"))


def test_any_index_gives_the_same_view(small):
    expected = _small_view(dict(small)).table
    for name in ("messages", "transactions", "interactions", "crm", "profiles", "links"):
        small[name] = small[name].set_axis([7] * len(small[name]))  # one repeated label
    pd.testing.assert_frame_equal(_small_view(small).table, expected)
