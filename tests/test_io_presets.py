"""scrm_lab.io export presets: X API v2 Tweets, Meta post insights and listening exports.

The files in tests/fixtures/presets/ were written by hand from the public field
documentation (the X API v2 Tweet object and response page; the header Meta Business Suite
writes; the listening columns the io docstring fixes). Every expected value below is read
by eye from those files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import scrm_lab
from scrm_lab.exceptions import DataFileError, ParameterError, SchemaError
from scrm_lab.io import PRESETS, list_presets, read_table

FIXTURES = Path(__file__).parent / "fixtures" / "presets"
TWEETS = FIXTURES / "x_api_v2_tweets.jsonl"
FACEBOOK = FIXTURES / "meta_post_insights.csv"
INSTAGRAM = FIXTURES / "meta_post_insights_instagram.csv"
LISTENING = FIXTURES / "listening_export.csv"


def write(tmp_path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def tweet(**fields) -> dict:
    """A minimal Tweet with the required fields, changed or added to by ``fields``."""
    base = {"id": "1", "text": "hi", "author_id": "9", "created_at": "2024-01-01T00:00:00Z"}
    return {k: v for k, v in {**base, **fields}.items() if v is not None}


def jsonl(*objects: dict) -> str:
    return "\n".join(json.dumps(o) for o in objects) + "\n"


def values(series: pd.Series) -> list:
    """Values with missing ones as None, for comparison with literals."""
    return [None if pd.isna(v) else v for v in series]


# ------------------------------------------------------------------------------ listing


def test_list_presets_is_a_tidy_table():
    table = list_presets()
    assert list(table.columns) == ["preset", "table", "format", "title", "required",
                                   "documentation"]  # fmt: skip
    assert table["preset"].tolist() == ["x_api_v2", "meta_post_insights", "listening_export"]
    assert table["table"].tolist() == ["messages", "posts", "messages"]
    assert table["format"].tolist() == ["jsonl", "delimited", "delimited"]
    assert table["required"].tolist() == [
        "id, text, author_id, created_at",
        "Post ID, Publish time",
        "ID | Mention ID | URL, Date, Author, Content | Text, Source | Network",
    ]
    assert "https://docs.x.com/x-api/fundamentals/data-dictionary" in table["documentation"][0]
    assert PRESETS == ("x_api_v2", "meta_post_insights", "listening_export")
    assert scrm_lab.list_presets is list_presets


# ------------------------------------------------------------------------------ X API v2


def test_x_api_v2_maps_every_field():
    table = read_table(TWEETS, preset="x_api_v2", brand="Delta")
    assert list(table.columns) == [
        "message_id", "brand", "channel", "author", "time", "text", "reply_to", "author_id",
        "conversation_id", "in_reply_to_user_id", "lang", "retweet_count", "reply_count",
        "like_count", "quote_count", "bookmark_count", "impression_count", "mentions",
    ]  # fmt: skip
    assert table["message_id"].tolist() == [
        "1780000000000000001",
        "1780000000000000002",
        "1780000000000000003",  # the two Tweets of the response page on line 3
        "1780000000000000004",
        "1780000000000000005",
    ]
    assert table["brand"].tolist() == ["Delta"] * 5
    assert table["channel"].astype(str).tolist() == ["twitter"] * 5
    # usernames from the page's includes.users (1002, 5920532); 1001 and 1003 are unknown
    assert table["author"].tolist() == ["1001", "Delta", "bob_travels", "1003", "bob_travels"]
    assert table["author_id"].tolist() == ["1001", "5920532", "1002", "1003", "1002"]
    assert table["time"].tolist() == [
        pd.Timestamp("2024-04-15 13:05:21", tz="UTC"),
        pd.Timestamp("2024-04-15 13:20:00", tz="UTC"),
        pd.Timestamp("2024-04-16 08:00:00", tz="UTC"),
        pd.Timestamp("2024-04-16 09:30:00", tz="UTC"),
        pd.Timestamp("2024-04-17 18:45:10", tz="UTC"),
    ]
    assert table["text"].tolist() == [
        "@Delta my bag never made it to Atlanta",
        "@ann_flies We are sorry to hear that. Please DM us your file number.",
        "Thanks @Delta and @DeltaNewsHub, rebooked in 5 minutes",
        "Is the lounge in JFK T4 open?",
        # note_tweet.text, the long post's full text, not the shortened text
        "Long thread on why we love flying with @Delta: legroom, crews and the app.",
    ]
    # only replied_to is a reply; the last Tweet quotes another one
    assert values(table["reply_to"]) == [None, "1780000000000000001", None, None, None]
    assert values(table["conversation_id"]) == [
        "1780000000000000001",
        "1780000000000000001",
        "1780000000000000003",
        "1780000000000000004",
        "1780000000000000005",
    ]
    assert values(table["in_reply_to_user_id"]) == [None, "1001", None, None, None]
    assert table["lang"].tolist() == ["en"] * 5
    assert table["retweet_count"].tolist() == [2, 0, 10, 0, 4]
    assert table["reply_count"].tolist() == [1, 0, 3, 0, 2]
    assert table["like_count"].tolist() == [5, 1, 42, 0, 30]
    assert table["quote_count"].tolist() == [0, 0, 1, 0, 1]
    assert values(table["bookmark_count"]) == [None, None, None, None, 3]
    assert values(table["impression_count"]) == [None, None, None, None, 1200]
    assert values(table["mentions"]) == ["Delta", "ann_flies", "Delta DeltaNewsHub", None,
                                         "Delta"]  # fmt: skip
    for name in ("message_id", "reply_to", "conversation_id", "in_reply_to_user_id"):
        assert str(table[name].dtype) == "str", name  # long ids stay text, never numbers
    assert str(table["like_count"].dtype) == "int64"
    assert table.attrs["source"]["preset"] == "x_api_v2"
    assert "lines" not in table.attrs["source"]


def test_x_api_v2_newer_metrics_only_when_given(tmp_path):
    lines = TWEETS.read_text(encoding="utf-8").splitlines()
    path = write(tmp_path, "two.jsonl", "\n".join(lines[:2]) + "\n")
    table = read_table(path, preset="x_api_v2", kind="messages", brand="Delta")
    assert "bookmark_count" not in table.columns and "impression_count" not in table.columns
    assert table["author"].tolist() == ["1001", "5920532"]  # no page, so no usernames


def test_x_api_v2_stream_line_holds_one_tweet(tmp_path):
    line = {"data": tweet(id="5"), "matching_rules": [{"id": "1", "tag": "delta"}]}
    table = read_table(write(tmp_path, "s.ndjson", jsonl(line)), preset="x_api_v2", brand="B")
    assert table["message_id"].tolist() == ["5"]


def test_x_api_v2_page_of_errors_only_adds_no_tweet(tmp_path):
    errors = {"errors": [{"value": "3", "detail": "Could not find tweet with ids: [3]."}]}
    path = write(tmp_path, "e.jsonl", jsonl(tweet(), errors))
    table = read_table(path, preset="x_api_v2", brand="Delta")
    assert table["message_id"].tolist() == ["1"]
    with pytest.raises(DataFileError, match=r"e2\.jsonl' holds no Tweets"):
        read_table(write(tmp_path, "e2.jsonl", jsonl(errors)), preset="x_api_v2", brand="D")


def test_x_api_v2_unknown_field_names_field_and_line(tmp_path):
    path = write(tmp_path, "t.jsonl", jsonl(tweet()) + "\n" + jsonl(tweet(id="2", langg="en")))
    with pytest.raises(
        SchemaError,
        match=r"t\.jsonl', line 3: field 'langg' is not a field of an X API v2 Tweet object; "
        r"expected one of .*Did you mean 'lang'\?",
    ):
        read_table(path, preset="x_api_v2", brand="Delta")


def test_x_api_v2_unknown_field_in_a_page(tmp_path):
    page = {"data": [tweet(), tweet(id="2", favorites=3)], "meta": {"result_count": 2}}
    with pytest.raises(SchemaError, match=r"line 1, data\[1\]: field 'favorites' is not a field"):
        read_table(write(tmp_path, "p.jsonl", jsonl(page)), preset="x_api_v2", brand="D")


def test_x_api_v2_unknown_public_metric(tmp_path):
    path = write(tmp_path, "m.jsonl", jsonl(tweet(public_metrics={"likes": 3})))
    with pytest.raises(
        SchemaError,
        match=r"line 1: field 'public_metrics\.likes' is not a documented public metric",
    ):
        read_table(path, preset="x_api_v2", brand="Delta")


def test_x_api_v2_unknown_page_key(tmp_path):
    path = write(tmp_path, "k.jsonl", jsonl({"data": [tweet()], "include": {}}))
    with pytest.raises(
        SchemaError,
        match=r"line 1: key 'include' is not a key of an X API v2 response page.*"
        r"Did you mean 'includes'\?",
    ):
        read_table(path, preset="x_api_v2", brand="Delta")


@pytest.mark.parametrize("field", ["id", "text", "author_id", "created_at"])
def test_x_api_v2_missing_required_field_names_it(tmp_path, field):
    path = write(tmp_path, "r.jsonl", jsonl(tweet(), tweet(**{"id": "2", field: None})))
    with pytest.raises(SchemaError, match=rf"r\.jsonl', line 2: the Tweet has no '{field}'"):
        read_table(path, preset="x_api_v2", brand="Delta")


def test_x_api_v2_mentions_must_be_a_list(tmp_path):
    path = write(tmp_path, "e.jsonl", jsonl(tweet(entities={"mentions": "Delta"})))
    with pytest.raises(
        SchemaError, match=r"line 1: field 'entities\.mentions' holds 'Delta'; expected a list"
    ):
        read_table(path, preset="x_api_v2", brand="Delta")


def test_x_api_v2_refuses_a_csv_file():
    with pytest.raises(
        DataFileError,
        match=r"meta_post_insights\.csv' was read as delimited data, but preset 'x_api_v2' "
        r"reads JSON lines",
    ):
        read_table(FACEBOOK, preset="x_api_v2", brand="Delta")


def test_x_api_v2_bad_time_is_refused_by_the_table(tmp_path):
    path = write(tmp_path, "d.jsonl", jsonl(tweet(), tweet(id="2", created_at="yesterday")))
    with pytest.raises(
        SchemaError, match=r"table 'messages', column 'time' .*\(row 2: 'yesterday'\)"
    ):
        read_table(path, preset="x_api_v2", brand="Delta")


# ------------------------------------------------------------------------------ Meta


def test_meta_post_insights_facebook_maps_every_column():
    table = read_table(FACEBOOK, preset="meta_post_insights")
    assert table["post_id"].tolist() == [
        "122100000000000001",
        "122100000000000002",
        "122100000000000003",
    ]
    assert table["brand"].tolist() == ["Lumen Coffee"] * 3
    assert table["channel"].astype(str).tolist() == ["facebook"] * 3
    assert table["time"].tolist() == [  # MM/DD/YYYY HH:MM, as Meta writes it
        pd.Timestamp("2024-04-02 09:15", tz="UTC"),
        pd.Timestamp("2024-04-10 17:30", tz="UTC"),
        pd.Timestamp("2024-04-13 07:00", tz="UTC"),
    ]
    assert table["content_type"].astype(str).tolist() == ["photos", "reels", "links"]
    # the title, or the description where the title is empty
    assert table["text"].tolist() == [
        "Our spring blend is here",
        "How we roast",
        "Visit us at the market on Saturday",
    ]
    assert table["reach"].tolist() == [1204, 3302, 598]
    assert table["reactions"].tolist() == [41, 110, 4]
    assert table["comments"].tolist() == [9, 15, 1]
    assert table["shares"].tolist() == [7, 8, 1]
    assert table["page_id"].tolist() == ["61550000000001"] * 3
    assert table["permalink"].tolist() == [
        "https://www.facebook.com/lumencoffee/posts/pfbid0aaa",
        "https://www.facebook.com/reel/900000000000001",
        "https://www.facebook.com/lumencoffee/posts/pfbid0ccc",
    ]
    assert table["views"].tolist() == [1530, 4210, 612]  # "1,530" read as a number
    assert table["interactions"].tolist() == [57, 133, 6]
    assert table["clicks"].tolist() == [88, 40, 25]
    assert table["link_clicks"].tolist() == [12, 0, 21]
    assert table["other_clicks"].tolist() == [76, 40, 4]
    assert table["duration_sec"].tolist() == [0.0, 45.0, 0.0]
    assert values(table["seconds_viewed"]) == [None, 12040.0, None]
    assert values(table["average_seconds_viewed"]) == [None, 9.5, None]
    assert "impressions" not in table.columns  # this export has Views, not Impressions
    for dropped in ("Caption type", "Date", "caption_type", "date", "Is share"):
        assert dropped not in table.columns


def test_meta_post_insights_instagram():
    table = read_table(INSTAGRAM, preset="meta_post_insights", kind="posts")
    assert table["post_id"].tolist() == ["17900000000000001", "17900000000000002"]
    assert table["brand"].tolist() == ["Lumen Coffee", "Lumen Coffee"]  # Account name
    assert table["channel"].astype(str).tolist() == ["instagram", "instagram"]
    assert table["content_type"].astype(str).tolist() == ["carousel", "reel"]
    assert table["time"].tolist() == [
        pd.Timestamp("2024-04-03 12:00", tz="UTC"),
        pd.Timestamp("2024-04-11 18:05", tz="UTC"),
    ]
    assert table["text"].tolist() == ["Spring blend tasting notes", "Latte art in 20 seconds"]
    assert table["reactions"].tolist() == [120, 610]  # Likes
    assert table["reach"].tolist() == [1650, 9100]
    assert table["comments"].tolist() == [14, 57]
    assert table["shares"].tolist() == [6, 88]
    assert table["views"].tolist() == [2210, 12400]
    assert table["saves"].tolist() == [22, 230]
    assert table["follows"].tolist() == [3, 41]
    assert table["page_id"].tolist() == ["17840000000000001"] * 2


def test_meta_times_are_placed_in_the_given_zone():
    table = read_table(FACEBOOK, preset="meta_post_insights", timezone="America/New_York")
    assert table["time"].iloc[0] == pd.Timestamp("2024-04-02 13:15", tz="UTC")  # EDT, -4 h


def test_meta_names_match_ignoring_case_and_impressions_are_kept(tmp_path):
    path = write(
        tmp_path,
        "fb.csv",
        'Post ID,Page name,Publish time,Impressions,"Reactions, comments and shares"\n'
        "1,Lumen,2024-04-02 09:15,900,7\n",
    )
    table = read_table(path, preset="meta_post_insights")
    assert table["impressions"].tolist() == [900] and table["interactions"].tolist() == [7]
    assert table["time"].tolist() == [pd.Timestamp("2024-04-02 09:15", tz="UTC")]
    assert table["channel"].astype(str).tolist() == ["facebook"]


def test_meta_times_in_another_format_are_inferred_or_given(tmp_path):
    header = "Post ID,Page name,Publish time\n"
    path = write(tmp_path, "d.csv", header + "1,L,13/04/2024 07:00\n2,L,02/04/2024 09:15\n")
    table = read_table(path, preset="meta_post_insights")  # 13/04 can only be day-first
    assert table["time"].tolist() == [
        pd.Timestamp("2024-04-13 07:00", tz="UTC"),
        pd.Timestamp("2024-04-02 09:15", tz="UTC"),
    ]
    path = write(tmp_path, "e.csv", header + "1,L,02/04/2024 09:15\n")
    given = read_table(path, preset="meta_post_insights", date_format="%d/%m/%Y %H:%M")
    assert given["time"].tolist() == [pd.Timestamp("2024-04-02 09:15", tz="UTC")]
    default = read_table(path, preset="meta_post_insights")  # month first, as Meta writes
    assert default["time"].tolist() == [pd.Timestamp("2024-02-04 09:15", tz="UTC")]


def test_meta_unknown_column_is_named(tmp_path):
    path = write(
        tmp_path, "u.csv", "Post ID,Page name,Publish time,Reachh\n1,L,04/02/2024 09:15,3\n"
    )
    with pytest.raises(
        SchemaError,
        match=r"u\.csv': column 'Reachh' is not a column of a Meta Business Suite post "
        r"insights export.*Did you mean 'Reach'\?",
    ):
        read_table(path, preset="meta_post_insights")


def test_meta_missing_required_column_is_named(tmp_path):
    path = write(tmp_path, "n.csv", "Post ID,Page name,Reach\n1,L,3\n")
    with pytest.raises(
        SchemaError,
        match=r"n\.csv': column 'Publish time' is missing; expected it in a Meta Business "
        r"Suite post insights export",
    ):
        read_table(path, preset="meta_post_insights")


def test_meta_same_column_twice_in_other_case(tmp_path):
    path = write(tmp_path, "t.csv", "Post ID,Publish time,Reach,REACH\n1,2024-04-02 09:15,3,4\n")
    with pytest.raises(SchemaError, match=r"columns 'Reach' and 'REACH' are the same column"):
        read_table(path, preset="meta_post_insights", brand="L")


# ------------------------------------------------------------------------------ listening


def test_listening_export_maps_every_column():
    table = read_table(LISTENING, preset="listening_export")
    assert table["message_id"].tolist() == ["m-001", "m-002", "m-003", "m-004"]
    assert table["time"].tolist() == [
        pd.Timestamp("2024-03-01 08:12", tz="UTC"),
        pd.Timestamp("2024-03-01 09:40", tz="UTC"),
        pd.Timestamp("2024-03-02 14:05", tz="UTC"),
        pd.Timestamp("2024-03-02 21:30", tz="UTC"),
    ]
    assert table["author"].tolist() == ["@ann_flies", "carla.m", "travel_news", "dan_k"]
    assert table["text"].tolist() == [
        "Delta lost my bag again",
        "Great crew on my United flight today",
        "Delta announces new routes to Asia",
        "anyone flown United premium plus?",
    ]
    assert table["channel"].astype(str).tolist() == ["twitter", "instagram", "news", "reddit"]
    assert values(table["sentiment"].astype(object)) == ["negative", "positive", "neutral", None]
    assert table["brand"].tolist() == ["Delta", "United", "Delta", "United"]
    assert table["url"].tolist() == [
        "https://x.com/ann_flies/status/1760000000000000001",
        "https://www.instagram.com/p/C4xyz/",
        "https://example.com/news/delta-routes",
        "https://www.reddit.com/r/flying/comments/abc123/",
    ]
    assert table["lang"].tolist() == ["en"] * 4
    assert table["country"].tolist() == ["US", "US", "GB", "CA"]
    assert values(table["reach"]) == [1200, 8300, 54000, None]
    assert values(table["engagement"]) == [4, 210, None, 12]


def test_listening_url_is_the_id_without_an_id_column(tmp_path):
    path = write(
        tmp_path,
        "l.csv",
        "date,author,text,network,url\n2024-03-01 08:12,ann,hi,Facebook,https://fb.com/1\n",
    )
    table = read_table(path, preset="listening_export", brand="Delta")
    assert table["message_id"].tolist() == ["https://fb.com/1"]
    assert table["url"].tolist() == ["https://fb.com/1"]
    assert table["brand"].tolist() == ["Delta"]
    assert table["channel"].astype(str).tolist() == ["facebook"]


def test_listening_bad_sentiment_names_row_and_value(tmp_path):
    text = LISTENING.read_text(encoding="utf-8").replace("positive", "mixed")
    with pytest.raises(
        SchemaError,
        match=r"column 'Sentiment', row 2 has 'mixed'; expected negative, neutral or positive",
    ):
        read_table(write(tmp_path, "s.csv", text), preset="listening_export")


def test_listening_missing_required_column(tmp_path):
    path = write(tmp_path, "a.csv", "ID,Date,Content,Source\n1,2024-03-01,hi,X\n")
    with pytest.raises(SchemaError, match=r"a\.csv': column 'Author' is missing"):
        read_table(path, preset="listening_export", brand="Delta")


def test_listening_missing_alternatives_are_named(tmp_path):
    path = write(tmp_path, "c.csv", "ID,Date,Author,Source\n1,2024-03-01,ann,X\n")
    with pytest.raises(SchemaError, match=r"column 'Content' \(or 'Text'\) is missing"):
        read_table(path, preset="listening_export", brand="Delta")


def test_listening_unknown_column(tmp_path):
    path = write(tmp_path, "k.csv", "ID,Date,Author,Content,Source,Klout\n1,2024-03-01,a,hi,X,3\n")
    with pytest.raises(SchemaError, match=r"column 'Klout' is not a column of a Generic"):
        read_table(path, preset="listening_export", brand="Delta")


# ------------------------------------------------------------------------------ parameters


def test_kind_and_preset_that_disagree_are_refused():
    with pytest.raises(
        ParameterError,
        match=r"The 'kind' parameter of read_table must be 'messages', the table "
        r"preset='x_api_v2' produces, or None\. Got 'posts' instead\.",
    ):
        read_table(TWEETS, kind="posts", preset="x_api_v2")


def test_kind_or_preset_is_required():
    with pytest.raises(
        ParameterError, match=r"The 'kind' parameter of read_table must be a table name .*"
        r"when no preset is given.*Got None instead\."
    ):  # fmt: skip
        read_table(TWEETS)


def test_columns_with_a_preset_are_refused():
    with pytest.raises(
        ParameterError,
        match=r"The 'columns' parameter of read_table must be None with "
        r"preset='listening_export', which fixes the mapping\. Got \{'Date': 'time'\}",
    ):
        read_table(LISTENING, preset="listening_export", columns={"Date": "time"})


def test_unknown_preset_gets_a_suggestion():
    with pytest.raises(ParameterError, match=r"Got 'x_api_v1' instead\. Did you mean 'x_api_v2'"):
        read_table(TWEETS, preset="x_api_v1")


def test_a_missing_brand_says_to_pass_brand():
    with pytest.raises(
        SchemaError,
        match=r"table 'messages' is missing required column\(s\) 'brand'.* The file has no "
        r"brand: pass brand='<the brand>' to give every row one\.",
    ):
        read_table(TWEETS, preset="x_api_v2")


def test_brand_fills_a_plain_file_without_one(tmp_path):
    path = write(
        tmp_path,
        "m.csv",
        "message_id,channel,author,time,text\n1,twitter,ann,2024-01-01T00:00:00Z,late\n",
    )
    table = read_table(path, kind="messages", brand="Delta")
    assert table["brand"].tolist() == ["Delta"]
    with pytest.raises(SchemaError, match=r"missing required column\(s\) 'brand'.*pass brand="):
        read_table(path, kind="messages")


def test_brand_with_a_brand_column_is_refused():
    with pytest.raises(
        SchemaError,
        match=r"listening_export\.csv' has a brand column already; expected brand= only for "
        r"a file without one \(got brand='Delta'",
    ):
        read_table(LISTENING, preset="listening_export", brand="Delta")


def test_brand_for_a_table_without_brands_is_refused(tmp_path):
    path = write(tmp_path, "e.csv", "source,target\na,b\n")
    with pytest.raises(
        ParameterError,
        match=r"The 'brand' parameter of read_table must be None for table 'edges', which "
        r"has no brand column\. Got 'Delta' instead\.",
    ):
        read_table(path, kind="edges", brand="Delta")
