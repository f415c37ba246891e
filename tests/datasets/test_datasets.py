"""Tests of scrm_lab.datasets: the catalog, the loaders and the published figures they keep."""

from __future__ import annotations

import csv
import re
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from scrm_lab import datasets
from scrm_lab._paths import shipped_dir
from scrm_lab.datasets import (
    DatasetInfo,
    dataset_checksums,
    dataset_info,
    list_datasets,
    load_dataset,
    load_tables,
)
from scrm_lab.datasets import _registry as _dataset_registry
from scrm_lab.exceptions import DataFileError, DatasetNotFound, ParameterError
from scrm_lab.schema import KINDS, get_table, validate

# Rows per table as documented in each PROVENANCE.md, after the deduplication rules of the
# loaders (airline tweets and live-seller posts), written out independently of the registry.
EXPECTED_ROWS = {
    "csm_movies_social_boxoffice": {"movies": 231},
    "stocknet_tweets_prices": {"companies": 87, "daily": 56_011},
    "interbrand_best_global_brands": {"brand_rankings": 300},
    "engagementdb_2009": {"engagement_facts": 24},
    "engagementdb_2009_reconstruction": {"brands": 100, "channel_activity": 1_100},
    "twitter_airline_sentiment": {"messages": 14_485},
    "facebook_metrics": {"posts": 500},
    "facebook_live_sellers": {"posts": 6_997},
    "snap_ego_facebook": {"edges": 88_234},
    "cdnow": {"transactions": 69_659, "customers": 23_570, "calibration_summary": 2_357},
    "online_shoppers_intention": {"sessions": 12_330},
}
KIND_OF = {
    "csm_movies_social_boxoffice": {"movies": "movies"},
    "stocknet_tweets_prices": {"companies": "brands", "daily": "stock_daily"},
    "interbrand_best_global_brands": {"brand_rankings": "brand_rankings"},
    "engagementdb_2009": {"engagement_facts": "engagement_facts"},
    "engagementdb_2009_reconstruction": {
        "brands": "brands",
        "channel_activity": "channel_activity",
    },
    "twitter_airline_sentiment": {"messages": "messages"},
    "facebook_metrics": {"posts": "posts"},
    "facebook_live_sellers": {"posts": "posts"},
    "snap_ego_facebook": {"edges": "edges"},
    "cdnow": {
        "transactions": "transactions",
        "customers": "customers",
        "calibration_summary": "customer_summary",
    },
    "online_shoppers_intention": {"sessions": "sessions"},
}
NAMES = list(EXPECTED_ROWS)
CATALOG_COLUMNS = ["name", "title", "rows", "tables", "licence", "source", "good_for", "simulated"]
INFO_COLUMNS = [
    "table",
    "column",
    "kind",
    "dtype",
    "unit",
    "required",
    "nullable",
    "key",
    "description",
]


def _folder(name: str) -> Path:
    return shipped_dir("datasets") / name


@pytest.fixture(scope="module")
def loaded() -> dict[str, dict[str, pd.DataFrame]]:
    """Every data set loaded once, as {table: frame} (single tables under their only name)."""
    return {name: load_tables(name) for name in NAMES}


# ---------------------------------------------------------------------------- every data set


def test_catalog_lists_the_eleven_data_sets():
    assert list_datasets()["name"].tolist() == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_loads_validates_and_counts(loaded, name):
    tables = loaded[name]
    assert list(tables) == list(EXPECTED_ROWS[name])
    for table, frame in tables.items():
        kind = KIND_OF[name][table]
        assert validate(frame, kind) is frame
        assert isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0
        assert len(frame) == EXPECTED_ROWS[name][table], table
    declared = list_datasets().set_index("name").loc[name, "rows"]
    assert declared == sum(len(f) for f in tables.values())


@pytest.mark.parametrize("name", NAMES)
def test_load_tables_always_gives_the_mapping(name):
    tables = load_tables(name)
    assert isinstance(tables, dict) and list(tables) == list(EXPECTED_ROWS[name])
    assert all(isinstance(frame, pd.DataFrame) for frame in tables.values())


@pytest.mark.parametrize("name", [n for n in NAMES if len(EXPECTED_ROWS[n]) == 1])
def test_load_dataset_of_a_single_table_set_is_its_frame(name, recwarn):
    frame = load_dataset(name)
    table = next(iter(EXPECTED_ROWS[name]))
    pd.testing.assert_frame_equal(frame, load_tables(name)[table])
    pd.testing.assert_frame_equal(load_dataset(name, table=table), frame)
    assert not [w for w in recwarn if issubclass(w.category, FutureWarning)]


@pytest.mark.parametrize("name", ["stocknet_tweets_prices", "cdnow"])
def test_load_dataset_of_a_multi_table_set_warns_and_names_load_tables(name):
    with pytest.warns(FutureWarning, match=rf"use load_tables\('{name}'\).*table=\.\.\."):
        data = load_dataset(name)
    expected = load_tables(name)
    assert list(data) == list(expected) == list(EXPECTED_ROWS[name])
    for table, frame in expected.items():
        pd.testing.assert_frame_equal(data[table], frame)
        pd.testing.assert_frame_equal(load_dataset(name, table=table), frame)
        assert len(frame) == EXPECTED_ROWS[name][table]


@pytest.mark.parametrize(("name", "table"), [("cdnow", "customer"), ("engagementdb_2009", "x")])
def test_load_dataset_refuses_an_unknown_table(name, table):
    tables = list(EXPECTED_ROWS[name])
    expected = f"must be one of {tables} for data set '{name}'. Got '{table}' instead."
    with pytest.raises(
        ParameterError, match=r"The 'table' parameter of load_dataset " + re.escape(expected)
    ):
        load_dataset(name, table=table)


def test_unknown_table_suggests_the_close_one():
    with pytest.raises(ParameterError, match=r"Got 'customer' instead\. Did you mean 'customers'"):
        load_dataset("cdnow", table="customer")


@pytest.mark.parametrize("name", NAMES)
def test_declared_dtypes(loaded, name):
    for table, frame in loaded[name].items():
        schema = get_table(KIND_OF[name][table])
        for column, spec in schema.columns.items():
            if column not in frame.columns:
                assert not spec.required
                continue
            kind = spec.metadata["kind"]
            expected = KINDS[kind][1 if spec.nullable else 0]
            assert str(frame[column].dtype) == expected, (table, column)


def test_dtypes_of_dates_timestamps_ids_and_categories(loaded):
    tweets = loaded["twitter_airline_sentiment"]["messages"]
    assert str(tweets["time"].dtype) == "datetime64[ns, UTC]"
    assert str(tweets["message_id"].dtype) == "str"
    assert isinstance(tweets["sentiment"].dtype, pd.CategoricalDtype)
    assert isinstance(tweets["negative_reason"].dtype, pd.CategoricalDtype)
    daily = loaded["stocknet_tweets_prices"]["daily"]
    assert str(daily["date"].dtype) == "datetime64[ns]"
    assert str(daily["ticker"].dtype) == "str"
    cdnow = loaded["cdnow"]
    assert str(cdnow["customers"]["first_seen"].dtype) == "datetime64[ns]"
    assert str(cdnow["transactions"]["time"].dtype) == "datetime64[ns, UTC]"
    assert str(cdnow["transactions"]["customer_id"].dtype) == "str"
    assert str(cdnow["calibration_summary"]["sample_id"].dtype) == "str"
    edges = loaded["snap_ego_facebook"]["edges"]
    assert str(edges["source"].dtype) == "str" and str(edges["target"].dtype) == "str"
    assert isinstance(edges["relation"].dtype, pd.CategoricalDtype)
    posts = loaded["facebook_live_sellers"]["posts"]
    assert str(posts["time"].dtype) == "datetime64[ns, UTC]"
    assert isinstance(posts["content_type"].dtype, pd.CategoricalDtype)


def test_each_call_returns_fresh_frames():
    first = load_dataset("engagementdb_2009")
    first.loc[0, "brand"] = "changed"
    first["score"] = 0
    again = load_dataset("engagementdb_2009")
    assert again.loc[0, "brand"] == "Starbucks" and again.loc[0, "score"] == 127
    tables = load_tables("cdnow")
    tables["customers"].loc[0, "customer_id"] = "changed"
    assert load_tables("cdnow")["customers"].loc[0, "customer_id"] != "changed"


def test_loading_does_not_depend_on_the_working_directory(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in NAMES:
        tables = datasets._load_tables.__wrapped__(name)  # bypass the cache: really read
        assert {t: len(f) for t, f in tables.items()} == EXPECTED_ROWS[name]
    assert dataset_info("cdnow").path.is_absolute()
    assert dataset_checksums("snap_ego_facebook")


# ---------------------------------------------------------------------------- published facts


def test_movies_facts(loaded):
    movies = loaded["csm_movies_social_boxoffice"]["movies"]
    assert movies["year"].value_counts().to_dict() == {2014: 163, 2015: 68}
    assert movies[["budget_usd", "screens", "cast_followers"]].isna().sum().tolist() == [1, 10, 35]
    assert len(movies.dropna()) == 187  # the complete cases matching the KSPM copy
    rho = stats.spearmanr(movies["likes"], movies["gross_usd"]).statistic
    assert rho == pytest.approx(0.368, abs=0.001)
    rho_budget = stats.spearmanr(movies["budget_usd"], movies["gross_usd"], nan_policy="omit")
    assert rho_budget.statistic == pytest.approx(0.724, abs=0.001)


def test_stocknet_facts(loaded):
    companies = loaded["stocknet_tweets_prices"]["companies"]
    daily = loaded["stocknet_tweets_prices"]["daily"]
    assert set(companies["brand"]) == set(daily["ticker"])
    assert "GMRE" not in set(companies["brand"])
    assert not companies["brand"].str.startswith("$").any()
    assert "company" not in daily.columns and "sector" not in daily.columns
    # the sector is kept as published in the panel, typo included
    assert (companies["sector"] == "Basic Matierials").sum() == 10
    assert companies["sector"].value_counts()["Conglomerates"] == 7
    apple = companies.set_index("brand").loc["AAPL"]
    assert (apple["name"], apple["sector"]) == ("Apple Inc.", "Consumer Goods")
    assert int(daily["tweets"].sum()) == 119_844
    top = daily.groupby("ticker")["tweets"].sum().nlargest(5)
    assert top.to_dict() == {"AAPL": 20_850, "FB": 12_028, "GOOG": 7_607, "AMZN": 7_213, "T": 5_651}
    assert int(daily["tweets"].max()) == 555
    assert int(daily["trading_day"].sum()) == 48_751
    assert daily["date"].min() == pd.Timestamp("2014-01-01")
    assert daily["date"].max() == pd.Timestamp("2016-03-31")
    first = daily.iloc[1]
    assert (first["ticker"], first["date"], first["tweets"]) == (
        "AAPL",
        pd.Timestamp("2014-01-02"),
        33,
    )
    assert first["return"] == pytest.approx(-0.014063738559084049)


def test_interbrand_facts(loaded):
    brands = loaded["interbrand_best_global_brands"]["brand_rankings"]
    value = brands.set_index(["year", "brand"])["brand_value_musd"]
    assert value[(2008, "Coca-Cola")] == 66_667
    assert value[(2009, "Coca-Cola")] == 68_734
    assert value[(2008, "Gillette")] == 22_069
    assert value[(2009, "Apple")] == 15_433
    assert brands["year"].value_counts().to_dict() == {2008: 100, 2009: 100, 2010: 100}
    assert brands.groupby("year")["change_pct"].apply(lambda s: s.isna().sum()).tolist() == [
        8,
        7,
        10,
    ]
    totals = brands.groupby("year")["brand_value_musd"].sum()
    # PROVENANCE.md gives 1,214,395 for 2008: that total uses S1's Gillette value (22,689),
    # not the 22,069 the table adopts; the difference is exactly 620
    assert totals[[2008, 2009]].tolist() == [1_214_395 - 620, 1_158_304]
    assert round(100 * (totals[2009] / totals[2008] - 1), 1) == -4.6  # the reported decline
    us_2010 = brands.query("year == 2010 and country == 'United States'")
    assert us_2010["brand_value_musd"].sum() == 761_615


def test_engagementdb_facts(loaded):
    facts = loaded["engagementdb_2009"]["engagement_facts"].set_index("brand")
    starbucks = facts.loc["Starbucks"]
    assert (starbucks["rank"], starbucks["score"], starbucks["channels"]) == (1, 127, 11)
    assert starbucks["profile"] == "Maven"
    assert facts.loc[["Yahoo!", "Intel"], "rank"].tolist() == [10, 10]
    assert facts.loc[["Yahoo!", "Intel"], "score"].tolist() == [85, 85]
    assert facts.loc["Oracle", "rank"] == 14 and facts.loc["Oracle", "profile"] == "Butterfly"
    assert facts.loc["Coca-Cola", "profile"] == "Wallflower"
    assert facts["profile"].value_counts().to_dict() == {
        "Maven": 11,
        "Wallflower": 7,
        "Butterfly": 4,
        "Selective": 2,
    }


def _raw_tweets() -> list[dict[str, str]]:
    path = _folder("twitter_airline_sentiment") / "Tweets.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_airline_tweets_before_deduplication():
    rows = _raw_tweets()
    assert len(rows) == 14_640
    assert Counter(r["airline"] for r in rows) == {
        "United": 3_822,
        "US Airways": 2_913,
        "American": 2_759,
        "Southwest": 2_420,
        "Delta": 2_222,
        "Virgin America": 504,
    }
    assert Counter(r["airline_sentiment"] for r in rows) == {
        "negative": 9_178,
        "neutral": 3_099,
        "positive": 2_363,
    }
    assert len({r["tweet_id"] for r in rows}) == 14_485


def test_airline_tweets_caveats_in_provenance():
    """The 'Delta' tweets are addressed to JetBlue; American's first days are missing."""
    rows = _raw_tweets()
    delta = [r["text"].lower() for r in rows if r["airline"] == "Delta"]
    assert sum("@jetblue" in t for t in delta) == 2_218  # 99.8% of 2,222
    assert sum("@delta" in t for t in delta) == 6
    american = Counter(r["tweet_created"][:10] for r in rows if r["airline"] == "American")
    assert sum(n for day, n in american.items() if day < "2015-02-22") == 4


def test_airline_tweets_after_deduplication(loaded):
    tweets = loaded["twitter_airline_sentiment"]["messages"]
    assert tweets["message_id"].is_unique
    assert tweets["message_id"].str.fullmatch(r"\d{18}").all()
    assert tweets["brand"].value_counts().to_dict() == {
        "United": 3_822,
        "US Airways": 2_913,
        "American": 2_604,
        "Southwest": 2_420,
        "Delta": 2_222,
        "Virgin America": 504,
    }
    assert tweets["sentiment"].value_counts().to_dict() == {
        "negative": 9_083,
        "neutral": 3_068,
        "positive": 2_334,
    }
    assert int(tweets["sentiment_gold"].notna().sum()) == 38
    assert (tweets["channel"] == "twitter").all()
    assert tweets["reply_to"].isna().all() and not tweets["author_is_brand"].any()
    # negative reasons: exactly the negative tweets have one
    assert tweets["negative_reason"].notna().equals(tweets["sentiment"] == "negative")


def test_airline_repeated_ids_keep_the_most_confident_row(loaded):
    tweets = loaded["twitter_airline_sentiment"]["messages"].set_index("message_id")
    raw = pd.DataFrame(_raw_tweets()).drop_duplicates()
    raw["confidence"] = raw["airline_sentiment_confidence"].astype(float)
    best = raw.groupby("tweet_id")["confidence"].max()
    kept = tweets.loc[best.index, "sentiment_confidence"]
    assert np.allclose(kept.to_numpy(), best.to_numpy())
    # on ties the first row in file order wins (idxmax returns the first maximum)
    first = raw.loc[raw.groupby("tweet_id")["confidence"].idxmax()].set_index("tweet_id")
    for column, loaded_column in [
        ("airline_sentiment_gold", "sentiment_gold"),
        ("negativereason_gold", "negative_reason_gold"),
        ("negativereason", "negative_reason"),
    ]:
        got = tweets.loc[first.index, loaded_column].astype(object).fillna("")
        assert got.tolist() == first[column].tolist(), column
    assert tweets.loc["569600137296633856", "sentiment_confidence"] == 1.0  # not the 0.9236 row


def test_airline_times_are_utc(loaded):
    tweets = loaded["twitter_airline_sentiment"]["messages"]
    first = tweets.iloc[0]
    assert first["message_id"] == "570306133677760513"
    assert first["time"] == pd.Timestamp("2015-02-24 19:35:52", tz="UTC")  # 11:35:52 -0800
    assert tweets["time"].min() == pd.Timestamp("2015-02-17 07:36:05", tz="UTC")
    assert tweets["time"].max() == pd.Timestamp("2015-02-24 19:53:37", tz="UTC")


def test_facebook_metrics_facts(loaded):
    posts = loaded["facebook_metrics"]["posts"]
    assert posts["post_id"].tolist() == [str(i) for i in range(1, 501)]
    assert (posts["brand"] == "cosmetics_brand").all() and (posts["channel"] == "facebook").all()
    assert posts["content_type"].value_counts().to_dict() == {
        "photo": 426,
        "status": 45,
        "link": 22,
        "video": 7,
    }
    assert "time" not in posts.columns
    assert posts[["paid", "reactions", "shares"]].isna().sum().tolist() == [1, 1, 4]
    assert int(posts["paid"].sum()) == 139
    complete = posts.dropna(subset=["reactions", "comments", "shares"])
    total = complete["reactions"] + complete["comments"] + complete["shares"]
    assert (total == complete["total_interactions"]).all()
    assert posts.loc[0, ["followers", "reach", "impressions"]].tolist() == [139_441, 2_752, 5_091]


def test_online_shoppers_facts(loaded):
    """The counts PROVENANCE.md pins (and the paper's 12,330 sessions, 1,908 buying)."""
    sessions = loaded["online_shoppers_intention"]["sessions"]
    assert sessions["session_id"].is_unique and sessions["session_id"].iloc[-1] == "S12330"
    assert int(sessions["purchased"].sum()) == 1_908
    counts = sessions["visitor_type"].value_counts().to_dict()
    assert counts == {"returning": 10_551, "new": 1_694, "other": 85}
    assert int(sessions["weekend"].sum()) == 2_868
    months = sessions["month"].value_counts()
    assert months[months > 0].to_dict() == {
        "May": 3_364, "Nov": 2_998, "Mar": 1_907, "Dec": 1_727, "Oct": 549,
        "Sep": 448, "Aug": 433, "Jul": 432, "Jun": 288, "Feb": 184,
    }  # fmt: skip
    assert int(sessions["duplicate"].sum()) == 125  # 12,205 distinct rows
    buyers = sessions.loc[~sessions["duplicate"], "purchased"]
    assert (len(buyers), int(buyers.sum())) == (12_205, 1_908)  # no duplicate bought
    new = sessions[sessions["visitor_type"] == "new"]
    assert int(new["purchased"].sum()) == 422  # 24.91% of 1,694
    nov = sessions[sessions["month"] == "Nov"]
    assert int(nov["purchased"].sum()) == 760
    assert sessions["product_pages"].max() == 705 and sessions["bounce_rate"].max() == 0.2
    assert sessions["traffic_source"].nunique() == 20 and sessions["region"].nunique() == 9
    assert int((sessions["bounce_rate"].eq(0.2) & sessions["exit_rate"].eq(0.2)).sum()) == 700
    assert sessions["product_seconds"].max() == pytest.approx(63_973.52233)


def test_facebook_live_sellers_facts(loaded):
    posts = loaded["facebook_live_sellers"]["posts"]
    assert posts["post_id"].is_unique
    # PROVENANCE (before deduplication): 2,635; 1,440; 1,212; 778; 450; 252; 125; 102; 56.
    # The 51 exact duplicates are page 819700534875473's 51 posts, each listed twice.
    assert posts["brand"].value_counts().to_dict() == {
        "246675545449582": 2_633,
        "614855718638584": 1_440,
        "134115277150304": 1_212,
        "1050855161656896": 778,
        "848451358648417": 450,
        "725980084255106": 252,
        "146481362756646": 125,
        "117059915488335": 56,
        "819700534875473": 51,
    }
    assert posts["content_type"].value_counts().to_dict() == {
        "photo": 4_242,
        "video": 2_333,
        "status": 359,
        "link": 63,
    }
    assert posts["time"].min() == pd.Timestamp("2012-07-15 02:51", tz="UTC")
    assert posts["time"].max() == pd.Timestamp("2018-06-13 01:12", tz="UTC")
    by_id = posts.set_index("post_id")["time"]
    assert by_id["246675545449582_326883450762124"] == pd.Timestamp("2013-10-11 08:23", tz="UTC")
    assert by_id["246675545449582_429583263825475"] == pd.Timestamp("2013-09-11 00:12", tz="UTC")
    before = posts["time"] < pd.Timestamp("2016-02-24", tz="UTC")
    assert (posts.loc[before, ["loves", "wows", "hahas", "sads", "angrys"]] == 0).all().all()


def test_facebook_live_sellers_raw_duplicates():
    raw = pd.read_csv(
        _folder("facebook_live_sellers") / "facebook.csv", dtype=str, encoding="utf-8-sig"
    )
    assert len(raw) == 7_050
    assert int(raw.duplicated().sum()) == 51
    assert int(raw["status_id"].duplicated().sum()) == 53


def test_snap_graph_facts(loaded):
    edges = loaded["snap_ego_facebook"]["edges"]
    nodes = pd.concat([edges["source"], edges["target"]])
    assert nodes.nunique() == 4_039
    assert not edges.duplicated(subset=["source", "target"]).any()
    assert (edges["relation"] == "friend").all()
    degree = nodes.value_counts()
    assert degree.head(5).to_dict() == {
        "107": 1_045,
        "1684": 792,
        "1912": 755,
        "3437": 547,
        "0": 347,
    }


def test_cdnow_facts(loaded):
    cdnow = loaded["cdnow"]
    transactions, customers, summary = (
        cdnow["transactions"],
        cdnow["customers"],
        cdnow["calibration_summary"],
    )
    assert round(float(transactions["amount"].sum()), 2) == 2_500_315.63
    assert int(transactions["quantity"].sum()) == 167_881
    assert int((transactions["amount"] == 0).sum()) == 80
    assert transactions["customer_id"].str.fullmatch(r"\d{5}").all()
    assert transactions["time"].min() == pd.Timestamp("1997-01-01", tz="UTC")
    assert transactions["time"].max() == pd.Timestamp("1998-06-30", tz="UTC")
    assert (transactions["time"].dt.hour == 0).all()
    assert customers["customer_id"].is_unique
    assert customers["first_seen"].max() <= pd.Timestamp("1997-03-31")
    assert int(customers["in_sample"].sum()) == 2_357
    assert summary["frequency"].mean() == pytest.approx(2_457 / 2_357)
    assert int(summary["mean_repeat_value"].notna().sum()) == 946
    assert summary.loc[0, ["customer_id", "sample_id", "frequency"]].tolist() == [
        "00004",
        "0001",
        2,
    ]


def test_cdnow_summary_ids_map_to_the_right_master_customers(loaded):
    cdnow = loaded["cdnow"]
    summary = cdnow["calibration_summary"].merge(cdnow["customers"], on="customer_id")
    assert len(summary) == 2_357 and summary["in_sample"].all()
    # T (age, weeks) counts from each mapped customer's first purchase to 1997-09-30
    weeks = (pd.Timestamp("1997-09-30") - summary["first_seen"]).dt.days / 7
    assert np.abs(weeks - summary["age"]).max() < 0.01
    assert summary["sample_id"].tolist() == [f"{i:04d}" for i in range(1, 2_358)]


def test_cdnow_refuses_a_sample_file_with_a_broken_id_mapping(tmp_path):
    folder = tmp_path / "cdnow"
    shutil.copytree(_folder("cdnow"), folder)
    sample = folder / "CDNOW_sample.txt"
    lines = sample.read_text().splitlines(keepends=True)
    lines[0] = lines[0].replace(" 0001 ", " 0002 ", 1)  # sample id 0002 now has two masters
    sample.write_text("".join(lines))
    with pytest.raises(DataFileError, match=r"CDNOW_sample.txt: .* not one-to-one"):
        _dataset_registry._load_cdnow(_dataset_registry.REGISTRY["cdnow"], folder)


# ---------------------------------------------------------------------------- catalog and info


def test_list_datasets_columns_and_types():
    catalog = list_datasets()
    assert catalog.columns.tolist() == CATALOG_COLUMNS
    assert str(catalog["rows"].dtype) == "int64" and str(catalog["simulated"].dtype) == "bool"
    assert catalog.loc[catalog["simulated"], "name"].tolist() == [
        "engagementdb_2009_reconstruction"
    ]
    assert catalog.set_index("name").loc["cdnow", "tables"] == (
        "transactions (transactions), customers (customers), calibration_summary (customer_summary)"
    )
    assert catalog.set_index("name").loc["snap_ego_facebook", "tables"] == "edges"
    assert catalog.set_index("name")["rows"].to_dict() == {
        n: sum(t.values()) for n, t in EXPECTED_ROWS.items()
    }
    assert catalog["source"].str.len().gt(20).all() and catalog["good_for"].str.len().gt(20).all()


def test_list_datasets_and_dataset_info_do_not_load(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the catalog must not read the data")

    monkeypatch.setattr(datasets, "_load_tables", refuse)
    monkeypatch.setattr(pd, "read_csv", refuse)
    assert len(list_datasets()) == 11
    assert dataset_info("cdnow").rows == 95_586


def test_dataset_info_fields():
    info = dataset_info("twitter_airline_sentiment")
    assert isinstance(info, DatasetInfo)
    catalog = list_datasets().set_index("name").loc["twitter_airline_sentiment"]
    for column in CATALOG_COLUMNS[1:]:
        assert getattr(info, column) == catalog[column], column
    assert info.name == "twitter_airline_sentiment" and info.licence == "CC BY-NC-SA 4.0"
    assert info.provenance.startswith("# Twitter US Airline Sentiment")
    assert "NonCommercial" in info.licence_text and "ShareAlike" in info.licence_text
    assert info.path == _folder("twitter_airline_sentiment")
    assert info.files.columns.tolist() == ["file", "bytes", "sha256", "loaded"]
    assert info.files.to_dict("records") == [
        {
            "file": "Tweets.csv",
            "bytes": 3_421_431,
            "sha256": "ea94b23f41892b290dec3330bb8cf9cb6b8bc669eaae5f3a84c40f7b0de8f15e",
            "loaded": True,
        }
    ]
    assert info.columns.columns.tolist()[: len(INFO_COLUMNS)] == INFO_COLUMNS
    extras = info.columns.query("not declared")["column"].tolist()
    assert extras[:2] == ["sentiment_confidence", "negative_reason"]
    assert "PROVENANCE" not in repr(info)  # long texts stay out of the repr


def test_dataset_info_files_flag_what_the_loader_reads():
    files = dataset_info("csm_movies_social_boxoffice").files.set_index("file")["loaded"]
    assert files.to_dict() == {"csm_2014_2015.csv": True, "csm_2014_2015.xlsx": False}


@pytest.mark.parametrize("name", NAMES)
def test_dataset_info_columns_describe_the_loaded_tables(loaded, name):
    columns = dataset_info(name).columns
    assert not columns.duplicated(subset=["table", "column"]).any()
    assert columns["description"].str.len().gt(0).all()
    for table, frame in loaded[name].items():
        described = columns[columns["table"] == table]
        assert described["column"].tolist() == frame.columns.tolist()
        assert described["dtype"].tolist() == frame.dtypes.astype(str).tolist()
        for column in described.loc[~described["nullable"], "column"]:
            assert frame[column].notna().all(), (table, column)


LICENCE_WORDS = {
    "csm_movies_social_boxoffice": "CC BY 4.0",
    "stocknet_tweets_prices": "Copyright (c) 2018 Yumo Xu",
    "interbrand_best_global_brands": "Published facts",
    "engagementdb_2009": "Published facts",
    "engagementdb_2009_reconstruction": "Published facts (real columns)",
    "twitter_airline_sentiment": "CC BY-NC-SA 4.0",
    "facebook_metrics": "CC BY 4.0",
    "facebook_live_sellers": "CC BY 4.0",
    "snap_ego_facebook": "No licence stated, citation requested",
    "cdnow": "Copyright (c) 2015, Cameron Davidson-Pilon",
    "online_shoppers_intention": "CC BY 4.0",
}


@pytest.mark.parametrize("name", NAMES)
def test_every_folder_has_provenance_and_licence(name):
    info = dataset_info(name)
    assert LICENCE_WORDS[name] in info.licence_text
    assert "Citation to give" in info.licence_text or "Attribution to give" in info.licence_text
    assert info.provenance.strip()


def _provenance_checksums(name: str) -> dict[str, tuple[int | None, str]]:
    """{file: (bytes or None, sha256)} from the PROVENANCE.md file tables."""
    found = {}
    for line in (_folder(name) / "PROVENANCE.md").read_text(encoding="utf-8").splitlines():
        match = re.match(r"\|\s*`([^`]+)`.*?\|\s*([\d,]+)\s*\|\s*`([0-9a-f]{64})`", line)
        if match:
            found[match.group(1)] = (int(match.group(2).replace(",", "")), match.group(3))
    return found


def test_checksums_match_provenance():
    checked = 0
    for name in NAMES:
        sums = dataset_checksums(name)
        sizes = dataset_info(name).files.set_index("file")["bytes"]
        for file, (size, sha) in _provenance_checksums(name).items():
            assert sums[file] == sha, (name, file)
            assert sizes[file] == size, (name, file)
            checked += 1
    assert checked == 16  # every file whose sha256 a PROVENANCE.md lists


def test_checksums_cover_data_files_only():
    sums = dataset_checksums("cdnow")
    assert sorted(sums) == [
        "CDNOW_master.txt",
        "CDNOW_sample.txt",
        "cdnow_customers_summary.csv",
        "cdnow_customers_summary_with_transactions.csv",
    ]


# ---------------------------------------------------------------------------- errors


@pytest.mark.parametrize("function", [load_dataset, load_tables, dataset_info, dataset_checksums])
def test_unknown_name_lists_the_valid_names(function):
    with pytest.raises(
        DatasetNotFound,
        match=r"no shipped data set named 'cdnw'.*"
        r"'csm_movies_social_boxoffice'.*'online_shoppers_intention'\. Did you mean 'cdnow'\?",
    ):
        function("cdnw")


def test_unknown_name_suggests_by_substring():
    with pytest.raises(DatasetNotFound, match=r"Did you mean 'twitter_airline_sentiment'\?"):
        load_dataset("airline")
    with pytest.raises(KeyError):  # DatasetNotFound is also a KeyError
        load_dataset("no_such_data")


@pytest.mark.parametrize("function", [load_dataset, load_tables, dataset_info, dataset_checksums])
@pytest.mark.parametrize("name", [3, None, ["cdnow"]])
def test_non_string_name_is_a_parameter_error(function, name):
    with pytest.raises(ParameterError, match=r"The 'name' parameter of \w+ must be a str"):
        function(name)


def test_reconstruction_marks_exactly_its_simulated_columns():
    columns = dataset_info("engagementdb_2009_reconstruction").columns
    simulated = set(columns.loc[columns["simulated"], "column"])
    assert {c for c in columns["column"] if c.startswith("sim_")} <= simulated
    assert {"present", "freshness", "responsiveness", "participation", "integration"} <= simulated
    assert not simulated & {"brand", "sector", "country", "size", "brand_value_change_2009_pct"}
    real = dataset_info("cdnow").columns
    assert not real["simulated"].any()
