"""Tests of scrm_lab.engagement: rubrics, scoring on pandas and DuckDB, profiles, known facts.

Expected scores are computed by hand from the small rubric below and written as literals;
the 2009 facts come from the shipped ``engagementdb_2009`` data set.
"""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from scrm_lab.datasets import load_dataset, load_tables
from scrm_lab.engagement import (
    PROFILES,
    Attribute,
    Channel,
    Rubric,
    check_known_facts,
    classify_profiles,
    compare_profile_rules,
    list_rubrics,
    load_rubric,
    profile_rule_crosstab,
    score_engagement,
)
from scrm_lab.exceptions import DataFileError, ParameterError, SchemaError

# ------------------------------------------------------------------------------ fixtures

#: A small rubric: blogs score 1 + 2x3 + 1x2 = 9 at most, twitter 1 + 2x3 = 7, wiki 1.
MINI = {
    "name": "mini",
    "version": 1,
    "title": "Three channels",
    "presence": "present",
    "score": "sum",
    "attributes": {
        "present": {"points": 1, "max_level": 1, "description": "on the channel"},
        "freshness": {"points": 2, "max_level": 3},
        "replies": {"points": 1, "max_level": 2, "source": "assumed"},
    },
    "channels": {
        "blogs": {"label": "Blogs", "attributes": ["present", "freshness", "replies"]},
        "twitter": {"attributes": ["present", "freshness"]},
        "wiki": {"attributes": ["present"]},
    },
}

#: Wide activity (one row per brand x channel), with the hand-computed depths:
#: Dell    blogs 1+2*3+2=9, twitter 1+2*1=3, wiki 1    -> breadth 3, score 13, rank 1
#: Intel   blogs 1+2*2+0=5, twitter 0,       wiki 0    -> breadth 1, score 5,  rank 2
#: Yahoo!  blogs 1+0+1=2,   twitter 1+2*1=3            -> breadth 2, score 5,  rank 2 (tie)
#: HP      blogs 0,         twitter 0                  -> breadth 0, score 0,  rank 4
WIDE = pd.DataFrame(
    [
        ("Dell", "blogs", True, 3, 2),
        ("Dell", "twitter", True, 1, 0),
        ("Dell", "wiki", True, 0, 0),
        ("Intel", "blogs", True, 2, 0),
        ("Intel", "twitter", False, 0, 0),
        ("Intel", "wiki", False, 0, 0),
        ("Yahoo!", "blogs", True, 0, 1),
        ("Yahoo!", "twitter", True, 1, 0),
        ("HP", "blogs", False, 0, 0),
        ("HP", "twitter", False, 0, 0),
    ],
    columns=["brand", "channel", "present", "freshness", "replies"],
)
EXPECTED = pd.DataFrame(
    {
        "brand": pd.Series(["Dell", "Intel", "Yahoo!", "HP"], dtype="str"),
        "breadth": [3, 1, 2, 0],
        "depth_blogs": [9, 5, 2, 0],
        "depth_twitter": [3, 0, 3, 0],
        "depth_wiki": [1, 0, 0, 0],
        "score": [13, 5, 5, 0],
        "rank": [1, 2, 2, 4],
    }
).astype(
    {c: "int64" for c in ["breadth", "depth_blogs", "depth_twitter", "depth_wiki", "score", "rank"]}
)


def to_long(wide: pd.DataFrame, keys=("brand", "channel")) -> pd.DataFrame:
    """The same activity as one row per brand x channel x attribute (the channel's own)."""
    long = wide.melt(id_vars=list(keys), var_name="attribute", value_name="value")
    own = {c: set(spec["attributes"]) for c, spec in MINI["channels"].items()}
    keep = [a in own[c] for c, a in zip(long["channel"], long["attribute"], strict=True)]
    return long[keep].astype({"value": "int64"}).reset_index(drop=True)


@pytest.fixture
def long() -> pd.DataFrame:
    return to_long(WIDE)


def with_periods(wide: pd.DataFrame) -> pd.DataFrame:
    """Period 1 as WIDE; in period 2 HP joins blogs (1+2*3+2 = 9) and Dell leaves wiki."""
    second = wide.copy()
    second.loc[
        (second.brand == "HP") & (second.channel == "blogs"), ["present", "freshness", "replies"]
    ] = [True, 3, 2]
    second.loc[(second.brand == "Dell") & (second.channel == "wiki"), "present"] = False
    both = pd.concat(
        [
            wide.assign(period=pd.Timestamp("2009-01-01")),
            second.assign(period=pd.Timestamp("2009-04-01")),
        ],
        ignore_index=True,
    )
    return both[["brand", "channel", "period", "present", "freshness", "replies"]]


EXPECTED_PERIODS = pd.DataFrame(
    {
        "brand": pd.Series(
            ["Dell", "Intel", "Yahoo!", "HP", "Dell", "HP", "Intel", "Yahoo!"], dtype="str"
        ),
        "period": pd.to_datetime(["2009-01-01"] * 4 + ["2009-04-01"] * 4).astype("datetime64[ns]"),
        "breadth": [3, 1, 2, 0, 2, 1, 1, 2],
        "depth_blogs": [9, 5, 2, 0, 9, 9, 5, 2],
        "depth_twitter": [3, 0, 3, 0, 3, 0, 0, 3],
        "depth_wiki": [1, 0, 0, 0, 0, 0, 0, 0],
        "score": [13, 5, 5, 0, 12, 9, 5, 5],
        "rank": [1, 2, 2, 4, 1, 2, 3, 3],
    }
).astype(
    {c: "int64" for c in ["breadth", "depth_blogs", "depth_twitter", "depth_wiki", "score", "rank"]}
)


def write_yaml(path: Path, data: object) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------- rubrics


def test_shipped_rubric_has_11_channels_55_attributes_and_max_132():
    assert list_rubrics() == ["engagementdb_2009"]
    rubric = load_rubric()
    assert rubric == load_rubric("engagementdb_2009")
    assert (rubric.name, rubric.version, rubric.presence, rubric.score) == (
        "engagementdb_2009",
        1,
        "present",
        "sum",
    )
    assert list(rubric.channels) == [
        "blogs",
        "branded_community",
        "content_distribution",
        "discussion_forums",
        "social_network",
        "photo_sharing",
        "innovation_hub",
        "wiki",
        "ratings_reviews",
        "twitter",
        "video",
    ]
    assert rubric.max_score == 132
    table = rubric.points_table()
    assert list(table.columns) == ["channel", "attribute", "points", "max_level", "max_points"]
    assert len(table) == 55
    assert table.dtypes.astype(str).tolist() == ["str", "str", "int64", "int64", "int64"]
    assert table.groupby("channel")["max_points"].sum().eq(12).all()
    assert table["max_points"].sum() == 132
    assert table.loc[table.attribute == "integration", "max_level"].eq(2).all()
    assert rubric.channels["video"].label == "Video (YouTube)"
    assert rubric.attributes["present"] == Attribute(
        points=1,
        max_level=1,
        description="The brand has an official presence on the channel (0 no, 1 yes).",
        source="published (breadth counts channels present); 1 point assumed",
    )


def test_shipped_rubric_is_found_whatever_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_rubric("engagementdb_2009").max_score == 132


def test_rubric_from_a_user_yaml_file_and_from_a_mapping_are_equal(tmp_path):
    path = write_yaml(tmp_path / "mine.yaml", MINI)
    from_file = load_rubric(path)
    assert from_file == load_rubric(str(path)) == load_rubric(MINI)
    assert load_rubric(from_file) is from_file
    assert from_file.max_score == 17  # 9 + 7 + 1
    assert from_file.channels["twitter"] == Channel(
        label="twitter", source="", attributes=("present", "freshness")
    )
    assert from_file.title == "Three channels"
    without_title = {k: v for k, v in MINI.items() if k != "title"}
    assert load_rubric(without_title).title == "mini"
    table = from_file.points_table()
    assert table.to_dict("list") == {
        "channel": ["blogs", "blogs", "blogs", "twitter", "twitter", "wiki"],
        "attribute": ["present", "freshness", "replies", "present", "freshness", "present"],
        "points": [1, 2, 1, 1, 2, 1],
        "max_level": [1, 3, 2, 1, 3, 1],
        "max_points": [1, 6, 2, 1, 6, 1],
    }


def test_rubric_with_fractional_points_has_float_points_and_max_score():
    rubric = load_rubric(
        {**MINI, "attributes": {**MINI["attributes"], "replies": {"points": 0.5, "max_level": 2}}}
    )
    assert rubric.max_score == 16.0 and isinstance(rubric.max_score, float)
    assert rubric.points_table()["points"].dtype == "float64"


def test_rubric_is_frozen_and_hashable():
    rubric = load_rubric(MINI)
    with pytest.raises(dataclasses.FrozenInstanceError):
        rubric.name = "other"
    with pytest.raises(TypeError):
        rubric.channels["new"] = rubric.channels["wiki"]
    assert hash(rubric) == hash(load_rubric(MINI))


def mutate(path: str, value: object) -> dict:
    """A deep copy of MINI with one key (dotted path) replaced, or deleted when value is ..."""
    data = yaml.safe_load(yaml.safe_dump(MINI, sort_keys=False))
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node[key]
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return data


BAD_RUBRICS = [
    (
        "chanels",
        MINI["channels"],
        (
            r"rubric 'mini': unknown key 'chanels'; expected keys are .*Did you mean "
            r"'channels'\?"
        ),
    ),
    ("presence", ..., r"rubric 'mini': missing key 'presence'; required keys are"),
    (
        "channels.wiki.attributes",
        [],
        (
            r"channels\.wiki\.attributes: no attributes; a channel needs at least the "
            r"presence attribute 'present'"
        ),
    ),
    ("channels.wiki", {"label": "Wikis"}, r"channels\.wiki: missing key 'attributes'"),
    ("channels.wiki", None, r"channels\.wiki: found nothing; expected a mapping"),
    (
        "channels.wiki.attributes",
        ["present", "freshnes"],
        (
            r"rubric 'mini', channels\.wiki\.attributes: unknown attribute 'freshnes'; "
            r"defined attributes are \['present', 'freshness', 'replies'\]\. Did you "
            r"mean 'freshness'\?"
        ),
    ),
    (
        "channels.wiki.attributes",
        ["freshness"],
        r"channels\.wiki\.attributes: the presence attribute 'present' is missing",
    ),
    (
        "channels.wiki.attributes",
        ["present", "present"],
        r"channels\.wiki\.attributes: attribute 'present' is listed twice",
    ),
    (
        "channels.wiki.attributes",
        "present",
        r"channels\.wiki\.attributes: found 'present'; expected a list of attribute names",
    ),
    ("channels.wiki.colour", "blue", r"channels\.wiki: unknown key 'colour'"),
    (
        "presence",
        "presnt",
        r"presence: 'presnt' is not a defined attribute; .*Did you mean 'present'\?",
    ),
    (
        "attributes.freshness.points",
        "one",
        r"attributes\.freshness\.points: found 'one'; expected a number >= 0",
    ),
    (
        "attributes.freshness.points",
        -1,
        r"attributes\.freshness\.points: found -1; expected a number >= 0",
    ),
    (
        "attributes.freshness.points",
        True,
        r"attributes\.freshness\.points: found True; expected a number >= 0",
    ),
    ("attributes.freshness.points", float("nan"), r"attributes\.freshness\.points: found nan"),
    (
        "attributes.freshness.max_level",
        0,
        r"attributes\.freshness\.max_level: found 0; expected a positive integer",
    ),
    (
        "attributes.freshness.max_level",
        2.5,
        r"attributes\.freshness\.max_level: found 2\.5; expected a positive integer",
    ),
    (
        "attributes.freshness.max_level",
        "3",
        r"attributes\.freshness\.max_level: found '3'; expected a positive integer",
    ),
    ("attributes.freshness.max_level", ..., r"attributes\.freshness: missing key 'max_level'"),
    (
        "attributes.freshness.pionts",
        1,
        r"attributes\.freshness: unknown key 'pionts'.*Did you mean 'points'\?",
    ),
    (
        "attributes.freshness",
        [1, 3],
        r"attributes\.freshness: found a list \(\[1, 3\]\); expected a mapping",
    ),
    (
        "attributes.freshness.description",
        3,
        r"attributes\.freshness\.description: found 3; expected a non-empty string",
    ),
    ("attributes", {}, r"rubric 'mini', attributes: empty; expected at least one attribute"),
    ("attributes", ["present"], r"attributes: found a list; expected a mapping of attribute name"),
    ("channels", {}, r"rubric 'mini', channels: empty; expected at least one channel"),
    ("score", "product", r"score: unknown scoring method 'product'; expected one of \['sum'\]"),
    ("score", "summ", r"Did you mean 'sum'\?"),
    ("name", 7, r"name: found 7; expected a non-empty string"),
    ("version", True, r"version: found True; expected an integer or a string"),
    ("version", None, r"version: found None; expected an integer or a string"),
]


@pytest.mark.parametrize(("path", "value", "message"), BAD_RUBRICS)
def test_bad_rubric_mapping_is_refused_naming_the_key_path(path, value, message):
    with pytest.raises(ParameterError, match=message):
        load_rubric(mutate(path, value))


def test_bad_rubric_file_names_the_file_and_the_key_path(tmp_path):
    path = write_yaml(
        tmp_path / "my.yaml", mutate("channels.wiki.attributes", ["present", "freshnes"])
    )
    with pytest.raises(
        ParameterError,
        match=(
            r"rubric '.*my\.yaml', channels\.wiki\.attributes: unknown attribute "
            r"'freshnes'; defined attributes are \[.*\]\. Did you mean 'freshness'\?"
        ),
    ):
        load_rubric(path)


def test_yaml_booleans_as_names_are_refused(tmp_path):
    text = yaml.safe_dump(MINI, sort_keys=False).replace("  wiki:", "  on:")
    path = tmp_path / "bool.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError, match=r"channels: the name True is not a string; quote it"):
        load_rubric(path)


def test_rubric_file_errors(tmp_path):
    with pytest.raises(DataFileError, match=r"rubric file '.*missing\.yaml' does not exist"):
        load_rubric(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "name: mini\nversion: 1\nchannels: [blogs\npresence: present\n", encoding="utf-8"
    )
    with pytest.raises(
        DataFileError,
        match=r"rubric file '.*broken\.yaml' is not valid YAML \(line 4, column \d+\)",
    ):
        load_rubric(broken)
    twice = tmp_path / "twice.yaml"
    twice.write_text("name: a\nversion: 1\nname: b\n", encoding="utf-8")
    with pytest.raises(
        DataFileError, match=r"not valid YAML \(line 3, column 1\): found duplicate key 'name'"
    ):
        load_rubric(twice)
    listed = tmp_path / "list.yaml"
    listed.write_text("- name\n- version\n", encoding="utf-8")
    with pytest.raises(
        ParameterError,
        match=r"rubric '.*list\.yaml': found a list .*; expected a mapping with keys",
    ):
        load_rubric(listed)
    with pytest.raises(DataFileError, match=r"is a folder; expected a YAML file"):
        load_rubric(tmp_path.parent / tmp_path.name / ".")


def test_unknown_shipped_rubric_and_wrong_type():
    with pytest.raises(
        ParameterError,
        match=(
            r"no shipped rubric named 'engagementdb2009'; shipped rubrics are "
            r"\['engagementdb_2009'\].*Did you mean 'engagementdb_2009'\?"
        ),
    ):
        load_rubric("engagementdb2009")
    with pytest.raises(
        ParameterError, match=r"The 'rubric' parameter of load_rubric must be .* Got int instead"
    ):
        load_rubric(42)


def test_direct_rubric_construction_is_checked():
    attributes = {"present": Attribute(1, 1), "freshness": Attribute(2, 3)}
    with pytest.raises(
        ParameterError,
        match=r"rubric 'x', channels\.blogs\.attributes: unknown attribute 'fresh'",
    ):
        Rubric(
            "x",
            1,
            "X",
            "present",
            "sum",
            attributes,
            {"blogs": Channel("Blogs", "", ("present", "fresh"))},
        )
    with pytest.raises(
        ParameterError, match=r"Attribute max_level: found 0; expected a positive integer"
    ):
        Attribute(points=1, max_level=0)
    with pytest.raises(ParameterError, match=r"channels\.blogs: found dict; expected a Channel"):
        Rubric("x", 1, "X", "present", "sum", attributes, {"blogs": {"attributes": ["present"]}})


# ------------------------------------------------------------------------------- scoring


def test_wide_activity_scores_as_computed_by_hand():
    result = score_engagement(WIDE, rubric=MINI)
    pd.testing.assert_frame_equal(result, EXPECTED)


def test_long_activity_gives_the_same_scores_as_wide(long):
    pd.testing.assert_frame_equal(score_engagement(long, rubric=MINI), EXPECTED)


def test_missing_attribute_rows_and_empty_cells_count_as_zero(long):
    sparse = long[(long.value != 0) | (long.attribute == "present")]
    pd.testing.assert_frame_equal(score_engagement(sparse, rubric=MINI), EXPECTED)
    holes = WIDE.astype({"freshness": "float64", "replies": "Int64"})
    holes.loc[holes.brand == "HP", ["freshness", "replies"]] = np.nan
    holes.loc[holes.channel == "wiki", "replies"] = pd.NA
    pd.testing.assert_frame_equal(score_engagement(holes, rubric=MINI), EXPECTED)


def test_scores_per_period_rank_within_period():
    wide = with_periods(WIDE)
    pd.testing.assert_frame_equal(score_engagement(wide, rubric=MINI), EXPECTED_PERIODS)
    long = to_long(wide, keys=("brand", "channel", "period"))
    pd.testing.assert_frame_equal(score_engagement(long, rubric=MINI), EXPECTED_PERIODS)
    renamed = wide.rename(columns={"period": "quarter", "brand": "firm"})
    result = score_engagement(renamed, rubric=MINI, period="quarter", brand="firm")
    expected = EXPECTED_PERIODS.rename(columns={"period": "quarter", "brand": "firm"})
    pd.testing.assert_frame_equal(result, expected)


def test_ties_share_the_lowest_rank_as_in_the_study():
    # Starbucks-like 127 is impossible here, but the rule is the study's: 10th, 10th, 12th.
    rows = []
    for brand, level in [("a", 3), ("b", 2), ("c", 2), ("d", 1), ("e", 1), ("f", 1), ("g", 0)]:
        rows.append(
            {
                "brand": brand,
                "channel": "twitter",
                "present": True,
                "freshness": level,
                "replies": 0,
            }
        )
    result = score_engagement(pd.DataFrame(rows), rubric=MINI)
    assert result["rank"].tolist() == [1, 2, 2, 4, 4, 4, 7]
    assert result["score"].tolist() == [7, 5, 5, 3, 3, 3, 1]


def test_shipped_rubric_maximum_is_132_and_breadth_11():
    rubric = load_rubric()
    rows = [
        {
            "brand": "Starbucks",
            "channel": channel,
            "attribute": attribute,
            "value": rubric.attributes[attribute].max_level,
        }
        for channel, spec in rubric.channels.items()
        for attribute in spec.attributes
    ]
    result = score_engagement(pd.DataFrame(rows))
    assert result.loc[0, ["breadth", "score", "rank"]].tolist() == [11, 132, 1]
    assert result.filter(like="depth_").eq(12).all(axis=None)


def test_float_points_give_float_scores_and_whole_float_levels_are_accepted(long):
    half = {
        **MINI,
        "attributes": {**MINI["attributes"], "replies": {"points": 0.5, "max_level": 2}},
    }
    result = score_engagement(long.astype({"value": "float64"}), rubric=half)
    assert result["score"].dtype == "float64"
    assert result["score"].tolist() == [12.0, 5.0, 4.5, 0.0]  # Dell 13 - 1, Yahoo! 5 - 0.5


def test_categorical_columns_and_period_none(long):
    cats = long.astype({"channel": "category", "attribute": "category", "brand": "category"})
    pd.testing.assert_frame_equal(score_engagement(cats, rubric=MINI), EXPECTED)
    stamped = WIDE.assign(period=pd.Timestamp("2009-01-01"))
    pd.testing.assert_frame_equal(score_engagement(stamped, rubric=MINI, period=None), EXPECTED)


def test_canonical_channel_activity_with_a_presence_only_rubric():
    from scrm_lab.synth import simulate_brand_panel

    activity = simulate_brand_panel(n_brands=6, n_periods=3, seed=3).channel_activity
    shipped = load_rubric()
    presence_only = {
        "name": "presence", "version": 1, "presence": "present", "score": "sum",
        "attributes": {"present": {"points": 1, "max_level": 1}},
        "channels": {c: {"attributes": ["present"]} for c in shipped.channels},
    }  # fmt: skip
    result = score_engagement(activity, rubric=presence_only)
    counted = activity.groupby(["brand", "period"])["present"].sum().rename("expected")
    merged = result.join(counted, on=["brand", "period"])
    assert len(result) == 18
    assert (merged["breadth"] == merged["expected"]).all()
    assert (merged["score"] == merged["expected"]).all()
    blogs = activity[activity.channel == "blogs"].set_index(["brand", "period"])["present"]
    depth = result.set_index(["brand", "period"])["depth_blogs"]
    assert (depth == blogs.astype("int64").reindex(depth.index)).all()


def test_huge_levels_are_reported_exactly(long):
    huge = long.copy()
    huge.loc[(huge.brand == "HP") & (huge.attribute == "replies"), "value"] = 10**12
    with pytest.raises(SchemaError, match=r"attribute 'replies' has level 1000000000000;"):
        score_engagement(huge, rubric=MINI)


def test_empty_activity_gives_an_empty_table_with_the_columns(long):
    result = score_engagement(long.iloc[:0], rubric=MINI)
    assert list(result.columns) == list(EXPECTED.columns)
    assert len(result) == 0
    assert result.dtypes.equals(EXPECTED.dtypes)


# ------------------------------------------------------------------------------ backends


@pytest.fixture
def parquet(tmp_path, long) -> Path:
    path = tmp_path / "activity.parquet"
    long.to_parquet(path, index=False)
    return path


def test_duckdb_relation_over_parquet_gives_exactly_the_pandas_result(tmp_path, long, parquet):
    on_duckdb = score_engagement(duckdb.read_parquet(str(parquet)), rubric=MINI)
    pd.testing.assert_frame_equal(on_duckdb, score_engagement(long, rubric=MINI))
    pd.testing.assert_frame_equal(on_duckdb, EXPECTED)
    wide = with_periods(WIDE)
    for name, table in [
        ("wide", wide),
        ("long", to_long(wide, keys=("brand", "channel", "period"))),
    ]:
        path = tmp_path / f"{name}.parquet"
        table.to_parquet(path, index=False)
        result = score_engagement(duckdb.read_parquet(str(path)), rubric=MINI)
        pd.testing.assert_frame_equal(result, score_engagement(table, rubric=MINI))
        pd.testing.assert_frame_equal(result, EXPECTED_PERIODS)


def test_duckdb_errors_name_the_first_offending_row(tmp_path, long):
    bad = long.copy()
    bad.loc[
        (bad.brand == "Intel") & (bad.channel == "blogs") & (bad.attribute == "freshness"), "value"
    ] = 7
    path = tmp_path / "bad.parquet"
    bad.to_parquet(path, index=False)
    with pytest.raises(
        SchemaError,
        match=(
            r"data, column 'value': brand 'Intel', channel 'blogs', attribute "
            r"'freshness' has level 7; expected a whole number from 0 to 3"
        ),
    ):
        score_engagement(duckdb.read_parquet(str(path)), rubric=MINI)
    typo = long.replace({"channel": {"wiki": "wikis"}})
    path = tmp_path / "typo.parquet"
    typo.to_parquet(path, index=False)
    with pytest.raises(
        SchemaError, match=r"'wikis' is not a channel of rubric 'mini'.*Did you mean 'wiki'\?"
    ):
        score_engagement(duckdb.read_parquet(str(path)), rubric=MINI)


# ---------------------------------------------------------------------------- data errors


def test_missing_columns_are_listed_with_the_available_ones(long):
    with pytest.raises(
        SchemaError,
        match=(
            r"data is missing column\(s\) \['value'\]; available columns are "
            r"\['brand', 'channel', 'attribute', 'level'\]"
        ),
    ):
        score_engagement(long.rename(columns={"value": "level"}), rubric=MINI)
    with pytest.raises(
        SchemaError,
        match=(r"missing column\(s\) \['replies'\]; .*one column per attribute of rubric 'mini'"),
    ):
        score_engagement(WIDE.drop(columns="replies"), rubric=MINI)
    with pytest.raises(SchemaError, match=r"missing column\(s\) \['quarter'\]"):
        score_engagement(WIDE, rubric=MINI, period="quarter")


def test_column_types_are_checked(long):
    with pytest.raises(
        SchemaError, match=r"data, column 'value': found dtype String; expected numbers"
    ):
        score_engagement(long.astype({"value": "str"}), rubric=MINI)
    with pytest.raises(
        SchemaError, match=r"data, column 'channel': found dtype Int64; expected names"
    ):
        score_engagement(long.assign(channel=1), rubric=MINI)


def test_unknown_channel_and_attribute_are_refused_with_a_suggestion(long):
    with pytest.raises(
        SchemaError,
        match=(
            r"data, column 'channel': 'wikis' is not a channel of rubric 'mini'; its "
            r"channels are \['blogs', 'twitter', 'wiki'\]\. Did you mean 'wiki'\?"
        ),
    ):
        score_engagement(long.replace({"channel": {"wiki": "wikis"}}), rubric=MINI)
    with pytest.raises(SchemaError, match=r"data, column 'channel': 'wikis' is not a channel"):
        score_engagement(WIDE.replace({"channel": {"wiki": "wikis"}}), rubric=MINI)
    with pytest.raises(
        SchemaError,
        match=(
            r"data, column 'attribute': attribute 'freshnes' \(on channel 'blogs'\) is "
            r"not an attribute of rubric 'mini'; the attributes of channel 'blogs' are "
            r"\['present', 'freshness', 'replies'\]\. Did you mean 'freshness'\?"
        ),
    ):
        score_engagement(long.replace({"attribute": {"freshness": "freshnes"}}), rubric=MINI)


def test_attribute_not_scored_on_the_channel_is_refused(long):
    extra = pd.DataFrame(
        [{"brand": "Dell", "channel": "twitter", "attribute": "replies", "value": 0}]
    )
    with pytest.raises(
        SchemaError,
        match=(
            r"attribute 'replies' is not scored on channel 'twitter' in rubric 'mini'; "
            r"the attributes of channel 'twitter' are \['present', 'freshness'\]"
        ),
    ):
        score_engagement(pd.concat([long, extra], ignore_index=True), rubric=MINI)
    wide = WIDE.copy()
    wide.loc[(wide.brand == "Yahoo!") & (wide.channel == "twitter"), "replies"] = 1
    with pytest.raises(
        SchemaError,
        match=(
            r"data, column 'replies': brand 'Yahoo!', channel 'twitter' has level 1, "
            r"but rubric 'mini' does not score 'replies' on channel 'twitter'; "
            r"expected 0 or missing"
        ),
    ):
        score_engagement(wide, rubric=MINI)


@pytest.mark.parametrize(("level", "shown"), [(4, "4"), (-1, "-1"), (1.5, "1.5")])
def test_levels_outside_the_range_are_refused_naming_brand_channel_attribute(long, level, shown):
    bad = long.astype({"value": "float64"})
    bad.loc[
        (bad.brand == "Dell") & (bad.channel == "twitter") & (bad.attribute == "freshness"), "value"
    ] = level
    with pytest.raises(
        SchemaError,
        match=(
            r"data, column 'value': brand 'Dell', channel 'twitter', attribute 'freshness' "
            rf"has level {shown}; expected a whole number from 0 to 3 "
            r"\(max_level of 'freshness' in rubric 'mini'\)"
        ),
    ):
        score_engagement(bad, rubric=MINI)


def test_wide_level_out_of_range_names_the_column():
    wide = with_periods(WIDE)
    wide.loc[
        (wide.brand == "HP") & (wide.channel == "blogs") & (wide.period == "2009-04-01"), "replies"
    ] = 3
    with pytest.raises(
        SchemaError,
        match=(
            r"data, column 'replies': brand 'HP', channel 'blogs', period 2009-04-01 "
            r"has level 3; expected a whole number from 0 to 2"
        ),
    ):
        score_engagement(wide, rubric=MINI)


def test_repeated_rows_are_refused(long):
    with pytest.raises(
        SchemaError,
        match=(
            r"data: brand 'Dell', channel 'wiki', attribute 'present' appears in 2 "
            r"rows; expected one row per brand x channel x attribute"
        ),
    ):
        score_engagement(pd.concat([long, long[long.channel == "wiki"].head(1)]), rubric=MINI)
    wide = with_periods(WIDE)
    with pytest.raises(
        SchemaError, match=r"appears in 2 rows; expected one row per brand x channel x period$"
    ):
        score_engagement(pd.concat([wide, wide.tail(1)]), rubric=MINI)
    with pytest.raises(
        SchemaError, match=r"appears in 2 rows; expected one row per brand x channel x attribute"
    ):
        score_engagement(
            to_long(wide, keys=("brand", "channel", "period")), rubric=MINI, period=None
        )


def test_points_where_the_brand_is_absent_are_refused(long):
    absent = long.copy()
    absent.loc[
        (absent.brand == "Intel")
        & (absent.channel == "twitter")
        & (absent.attribute == "freshness"),
        "value",
    ] = 2
    with pytest.raises(
        SchemaError,
        match=(
            r"data, column 'value': brand 'Intel', channel 'twitter' has presence "
            r"level 0 \(attribute 'present'\) but freshness=2; a brand earns points "
            r"only on channels where it is present"
        ),
    ):
        score_engagement(absent, rubric=MINI)
    no_presence_row = long[
        ~((long.brand == "Dell") & (long.channel == "blogs") & (long.attribute == "present"))
    ]
    with pytest.raises(
        SchemaError,
        match=(
            r"brand 'Dell', channel 'blogs' has presence level 0 \(attribute "
            r"'present'\) but freshness=3, replies=2"
        ),
    ):
        score_engagement(no_presence_row, rubric=MINI)
    wide = WIDE.copy()
    wide.loc[(wide.brand == "HP") & (wide.channel == "blogs"), "replies"] = 1
    with pytest.raises(
        SchemaError,
        match=r"data, column 'present': brand 'HP', channel 'blogs' has presence level 0",
    ):
        score_engagement(wide, rubric=MINI)


def test_missing_keys_and_levels_are_refused(long):
    no_brand = long.astype({"brand": "object"})
    no_brand.loc[3, "brand"] = None
    with pytest.raises(
        SchemaError,
        match=(
            r"data, column 'brand': 1 row\(s\) have no value; expected every row to "
            r"name a brand"
        ),
    ):
        score_engagement(no_brand, rubric=MINI)
    no_channel = WIDE.astype({"channel": "object"})
    no_channel.loc[0, "channel"] = None
    with pytest.raises(SchemaError, match=r"data, column 'channel': 1 row\(s\) have no value"):
        score_engagement(no_channel, rubric=MINI)
    no_level = long.astype({"value": "float64"})
    no_level.loc[(no_level.brand == "HP") & (no_level.attribute == "replies"), "value"] = np.nan
    with pytest.raises(
        SchemaError,
        match=(
            r"data, column 'value': brand 'HP', channel 'blogs', attribute 'replies' "
            r"has no level \(a missing value\); expected a number from 0 to 2"
        ),
    ):
        score_engagement(no_level, rubric=MINI)


def test_bad_parameters_are_refused(long):
    with pytest.raises(
        ParameterError, match=r"The 'brand' parameter of score_engagement must be a column name"
    ):
        score_engagement(long, rubric=MINI, brand=3)
    with pytest.raises(
        ParameterError,
        match=r"The 'data' parameter must be a pandas DataFrame, a DuckDB relation",
    ):
        score_engagement([1, 2], rubric=MINI)
    with pytest.raises(ParameterError, match=r"rubric 'mini', score: unknown scoring method"):
        score_engagement(long, rubric=mutate("score", "mean"))


# ------------------------------------------------------------------------------ profiles

#: Breadth 2, 4, 6, 8 with scores 10 x breadth +1, -1, -1, +1: the OLS line is exactly
#: 10 x breadth (slope 200 / 20), the mean is 50.
LINE = pd.DataFrame(
    {"brand": ["a", "b", "c", "d"], "breadth": [2, 4, 6, 8], "score": [21, 39, 59, 81]}
)


def test_regression_rule_on_a_known_line():
    result = classify_profiles(LINE)
    assert list(result.columns) == [
        *LINE.columns,
        "expected_score",
        "residual",
        "above_average",
        "profile",
        "rule",
    ]
    np.testing.assert_allclose(result["expected_score"], [20, 40, 60, 80])
    np.testing.assert_allclose(result["residual"], [1, -1, -1, 1], atol=1e-9)
    assert result["above_average"].tolist() == [True, False, False, True]
    assert result["profile"].tolist() == ["Selective", "Wallflower", "Wallflower", "Maven"]
    assert result["profile"].cat.categories.tolist() == list(PROFILES)
    assert result["profile"].cat.ordered
    assert result["rule"].tolist() == ["regression"] * 4


def test_mean_rule_on_a_known_table():
    result = classify_profiles(LINE, rule="mean")
    assert result["expected_score"].tolist() == [50.0] * 4
    assert result["residual"].tolist() == [-29.0, -11.0, 9.0, 31.0]
    assert result["profile"].tolist() == ["Wallflower", "Wallflower", "Selective", "Maven"]
    assert classify_profiles(LINE, rule="mean", breadth_cut=2)["profile"].tolist() == [
        "Butterfly",
        "Butterfly",
        "Maven",
        "Maven",
    ]


def test_profiles_per_period_and_brands_on_the_line():
    second = LINE.assign(score=[20, 40, 60, 80])  # exactly on the line: all below average
    both = pd.concat([LINE.assign(period=1), second.assign(period=2)], ignore_index=True)
    result = classify_profiles(both)
    assert result["profile"].tolist() == [
        "Selective",
        "Wallflower",
        "Wallflower",
        "Maven",
        "Wallflower",
        "Wallflower",
        "Wallflower",
        "Butterfly",
    ]
    assert result["above_average"].sum() == 2
    by_mean = classify_profiles(both, rule="mean")
    assert by_mean["expected_score"].tolist() == [50.0] * 8


def test_classify_profiles_table_errors():
    # Its options (rule, breadth_cut, columns) are covered by tests/test_checks.py.
    with pytest.raises(
        SchemaError,
        match=(r"needs at least 3 brands with at least 2 different breadths .* found 2 brand\(s\)"),
    ):
        classify_profiles(LINE.head(2))
    with pytest.raises(
        SchemaError, match=r"found 4 brand\(s\), with breadth\(s\) 5 \(use rule='mean' instead\)"
    ):
        classify_profiles(LINE.assign(breadth=5))
    assert classify_profiles(LINE.assign(breadth=5), rule="mean")["profile"].tolist() == [
        "Wallflower",
        "Wallflower",
        "Selective",
        "Selective",
    ]
    with pytest.raises(SchemaError, match=r"scores is missing column\(s\) \['score'\]"):
        classify_profiles(LINE.drop(columns="score"))
    with pytest.raises(
        SchemaError, match=r"scores, column 'score': found dtype str; expected numbers"
    ):
        classify_profiles(LINE.astype({"score": "str"}))
    with pytest.raises(
        SchemaError, match=r"scores, column 'score': row 2 is missing; expected a number"
    ):
        classify_profiles(LINE.astype({"score": "float64"}).assign(score=[21, None, 59, 81]))


def test_compare_profile_rules_and_crosstab():
    comparison = compare_profile_rules(LINE)
    assert list(comparison.columns) == [
        "brand",
        "rank",
        "breadth",
        "score",
        "profile_mean",
        "profile_regression",
        "agree",
    ]
    assert comparison["rank"].tolist() == [4, 3, 2, 1]
    assert comparison["agree"].tolist() == [False, True, False, True]
    table = profile_rule_crosstab(comparison)
    assert list(table.columns) == ["profile_mean", "profile_regression", "brands"]
    assert len(table) == 16 and table["brands"].sum() == 4
    counts = {(m, r): n for m, r, n in table.itertuples(index=False) if n}
    assert counts == {
        ("Maven", "Maven"): 1,
        ("Selective", "Wallflower"): 1,
        ("Wallflower", "Selective"): 1,
        ("Wallflower", "Wallflower"): 1,
    }
    both = pd.concat([LINE.assign(period=1), LINE.assign(period=2)], ignore_index=True)
    per_period = profile_rule_crosstab(compare_profile_rules(both))
    assert list(per_period.columns) == ["period", "profile_mean", "profile_regression", "brands"]
    assert len(per_period) == 32 and per_period.groupby("period")["brands"].sum().tolist() == [4, 4]


# --------------------------------------------------------------------------- known facts

#: A hand-made table of the 100 Interbrand 2008 brands (brand|score|breadth) that fits every
#: published fact: the given scores and ranks (Yahoo! and Intel tie at 10), Starbucks on 11
#: channels, ranks 1-13 Mavens, Oracle (14th) a Butterfly on 11 channels, H&M (23rd) a
#: Selective on 6, Coca-Cola (51st) a Wallflower, and the named profiles, scores 127 to 1,
#: when "above average" means above the OLS line of score on breadth. Under the mean rule
#: no Butterfly can rank above a Selective, so the mean rule must fail.
STUDY = """
Starbucks|127|11  Dell|123|11  eBay|115|11  Google|105|11  Microsoft|103|10
Thomson Reuters|101|10  Nike|100|10  Amazon|88|9  SAP|86|8  Yahoo!|85|8  Intel|85|8
IBM|84|8  GE|83|8  Oracle|82|11  Nokia|81|8  Toyota|80|11  Disney|79|8  BMW|78|10
Louis Vuitton|77|7  Cisco|76|10  Marlboro|75|7  Citi|74|10  H&M|73|6  Honda|72|6
Samsung|71|7  Apple|70|10  Sony|69|6  Pepsi|68|7  HSBC|67|9  Nescafé|66|6  UPS|65|7
Budweiser|64|9  Merrill Lynch|63|6  IKEA|62|7  Canon|61|9  J.P. Morgan|60|5
Goldman Sachs|59|7  Nintendo|58|8  UBS|57|5  Morgan Stanley|56|7  Gucci|55|8
Accenture|54|5  Siemens|53|7  Ford|52|7  Harley-Davidson|51|5  L'Oréal|50|7  MTV|49|7
Volkswagen|48|4  AIG|47|7  AXA|46|7  Coca-Cola|45|6  McDonald's|44|6  HP|43|7
Philips|42|4  Mercedes-Benz|41|6  Gillette|40|6  American Express|39|7  Heinz|38|4
Kellogg's|37|6  BP|36|6  Hyundai|35|7  Colgate|35|3  Duracell|34|5  Xerox|33|5
Chanel|32|7  Wrigley|31|3  Zara|30|5  Nestlé|29|5  KFC|29|7  Danone|28|3  Audi|27|5
Caterpillar|26|4  Avon|25|7  adidas|24|2  Rolex|23|4  BlackBerry|22|4  Kleenex|22|7
Porsche|21|2  Hermès|20|4  Gap|19|4  Panasonic|18|7  Cartier|17|2  Tiffany & Co.|16|3
Pizza Hut|15|3  Allianz|15|7  Moët & Chandon|14|2  ING|13|3  Motorola|12|3
Smirnoff|11|7  Lexus|10|1  Prada|9|3  Johnson & Johnson|8|2  Ferrari|8|1  Armani|7|2
Hennessy|6|1  Marriott|5|2  Shell|4|1  Nivea|3|2  FedEx|2|1  Visa|1|1
"""


@pytest.fixture(scope="module")
def study() -> pd.DataFrame:
    rows = [
        item.split("|") for item in textwrap.dedent(STUDY).replace("\n", "  ").split("  ") if item
    ]
    table = pd.DataFrame(rows, columns=["brand", "score", "breadth"]).astype(
        {"score": "int64", "breadth": "int64"}
    )
    table["rank"] = table["score"].rank(method="min", ascending=False).astype("int64")
    return table


def test_study_table_is_the_interbrand_2008_list(study):
    brands = load_dataset("interbrand_best_global_brands").query("year == 2008")["brand"]
    assert sorted(study["brand"]) == sorted(brands)
    assert study.loc[study.brand.isin(["Yahoo!", "Intel"]), "rank"].tolist() == [10, 10]
    assert study.loc[study.brand == "IBM", "rank"].item() == 12


def test_regression_rule_reproduces_every_known_fact(study):
    checks = check_known_facts(classify_profiles(study))
    facts = load_dataset("engagementdb_2009")
    given = int(facts[["score", "rank", "channels"]].notna().sum().sum()) + len(facts)
    assert list(checks.columns) == ["check", "expected", "observed", "passed"]
    assert checks.dtypes.astype(str).tolist() == ["str", "str", "str", "bool"]
    assert len(checks) == given + 6
    assert checks["passed"].all(), checks[~checks["passed"]]
    assert checks.tail(6)["check"].tolist() == [
        "ranks 1-13 are all Mavens",
        "first Butterfly at rank 14",
        "first Selective at rank 23",
        "first Wallflower at rank 51",
        "highest score is 127",
        "lowest score is 1",
    ]
    row = checks[checks.check == "rank of Yahoo!"].iloc[0]
    assert (row.expected, row.observed, row.passed) == ("10", "10", True)


def test_mean_rule_cannot_place_a_selective_below_a_butterfly(study):
    checks = check_known_facts(classify_profiles(study, rule="mean")).set_index("check")
    failed = checks.index[~checks["passed"]].tolist()
    assert "first Butterfly at rank 14" in failed
    assert checks.loc["first Butterfly at rank 14", "observed"] == "49"
    assert checks.loc["profile of Oracle", ["expected", "observed"]].tolist() == [
        "Butterfly",
        "Maven",
    ]
    # whatever the data, under the mean rule every Butterfly ranks below every Selective
    by_mean = classify_profiles(study, rule="mean")
    first_butterfly = by_mean.loc[by_mean.profile == "Butterfly", "rank"].min()
    last_selective = by_mean.loc[by_mean.profile == "Selective", "rank"].max()
    assert first_butterfly > last_selective


def test_known_facts_fail_when_they_should(study):
    profiles = classify_profiles(study)
    changed = profiles.copy()
    changed.loc[changed.brand == "Starbucks", "score"] = 126
    changed = changed[changed.brand != "BP"]
    checks = check_known_facts(changed).set_index("check")
    assert checks.loc["score of Starbucks", ["expected", "observed", "passed"]].tolist() == [
        "127",
        "126",
        False,
    ]
    assert checks.loc["profile of BP", ["observed", "passed"]].tolist() == ["not scored", False]
    assert not checks.loc["highest score is 127", "passed"]
    facts = pd.DataFrame({"brand": ["Nike"], "rank": [8], "score": [None], "profile": ["Maven"]})
    custom = check_known_facts(profiles, facts)
    assert custom["check"].tolist()[:2] == ["rank of Nike", "profile of Nike"]
    assert custom["passed"].tolist()[:2] == [False, True]
    demoted = profiles.assign(
        profile=profiles["profile"].where(profiles["rank"] != 12, "Butterfly")
    )
    top = check_known_facts(demoted).set_index("check").loc["ranks 1-13 are all Mavens"]
    assert top.tolist() == ["all Maven (13 brands)", "Maven x12, Butterfly x1", False]


def test_check_known_facts_errors(study):
    profiles = classify_profiles(study)
    two = pd.concat([profiles.assign(period=1), profiles.assign(period=2)])
    with pytest.raises(
        ParameterError,
        match=(
            r"The 'profiles' parameter of check_known_facts must hold one period.*Got 2 periods"
        ),
    ):
        check_known_facts(two)
    with pytest.raises(
        SchemaError, match=r"profiles, column 'brand': brand 'Dell' appears more than once"
    ):
        check_known_facts(pd.concat([profiles, profiles[profiles.brand == "Dell"]]))
    with pytest.raises(SchemaError, match=r"profiles is missing column\(s\) \['profile'\]"):
        check_known_facts(study)


def test_shipped_reconstruction_is_scored_as_its_generator_says_and_fits_the_facts():
    data = load_tables("engagementdb_2009_reconstruction")
    scores = score_engagement(data["channel_activity"])
    profiles = classify_profiles(scores)
    truth = data["brands"].set_index("brand").loc[scores["brand"]]
    assert scores["score"].tolist() == truth["sim_engagement_score"].tolist()
    assert scores["breadth"].tolist() == truth["sim_breadth"].tolist()
    assert scores["rank"].tolist() == truth["sim_engagement_rank"].tolist()
    assert profiles["profile"].astype(str).tolist() == truth["sim_profile"].astype(str).tolist()
    assert check_known_facts(profiles)["passed"].all()
    assert not check_known_facts(classify_profiles(scores, rule="mean"))["passed"].all()
