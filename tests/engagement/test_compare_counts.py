"""Brand descriptions with raw activity counts: the rubric's ``from_counts`` blocks (checked in
load_rubric), levels derived from counts in read_brand_description, their display in
compare_brand, and `scrm-lab engagement compare` on the shipped counts example.

Expected levels are counted by hand (how many thresholds a value reaches) and cross-checked
with numpy's searchsorted; the shipped rubric's thresholds are freshness [1, 13, 90] posts in
90 days and responsiveness [0.000001, 0.5, 0.9] of replies / comments.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from scrm_lab.cli import run
from scrm_lab.engagement import (
    EXAMPLE_COUNTS_DESCRIPTION,
    Attribute,
    FromCounts,
    compare_brand,
    load_rubric,
    read_brand_description,
    score_engagement,
)
from scrm_lab.engagement._rubric import _RUBRIC_DIR
from scrm_lab.exceptions import ParameterError

FRESHNESS = (1, 13, 90)
RESPONSIVENESS = (0.000001, 0.5, 0.9)
COUNTS = ["posts_90d", "replies", "comments"]
FLAGS = ["freshness_from_counts", "responsiveness_from_counts"]

#: The shipped counts example with its levels worked out by hand from the thresholds:
#: blogs 8 posts -> 1, 12/40 = 0.3 -> 1; discussion_forums 30/30 = 1 -> 3; social_network
#: 130 posts -> 3, 410/450 = 0.91 -> 3; ratings_reviews 0 posts -> 0, 0/0 -> 0; twitter
#: 45 posts -> 2, 60/110 = 0.55 -> 2; video 3 posts -> 1, 0/25 = 0 -> 0.
AS_LEVELS = """\
brand: Example Bicycle Works
channels:
  blogs: {present: true, freshness: 1, responsiveness: 1, participation: 1, integration: 1}
  social_network: {present: true, freshness: 3, responsiveness: 3, participation: 2,
                   integration: 2}
  twitter: {present: true, freshness: 2, responsiveness: 2, integration: 1}
  video: {present: true, freshness: 1, responsiveness: 0, integration: 1}
  photo_sharing: {present: true, freshness: 1}
  ratings_reviews: {present: true, freshness: 0, responsiveness: 0}
  discussion_forums: {present: true, freshness: 2, responsiveness: 3, participation: 1}
  wiki: {present: false}
"""


def write(tmp_path, text: str, name: str = "brand.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def twitter(tmp_path, settings: str):
    return read_brand_description(
        write(tmp_path, f"brand: B\nchannels:\n  twitter: {{present: true, {settings}}}\n")
    ).set_index("channel")


def by_hand(value: float, thresholds: tuple) -> int:
    return sum(1 for t in thresholds if value >= t)


# ------------------------------------------------------------------- levels from counts


@pytest.mark.parametrize(("posts", "level"), [(0, 0), (1, 1), (12, 1), (13, 2), (89, 2), (90, 3),
                                              (500, 3)])  # fmt: skip
def test_freshness_from_posts_at_and_around_every_threshold(tmp_path, posts, level):
    assert level == by_hand(posts, FRESHNESS)
    assert level == int(np.searchsorted(FRESHNESS, posts, side="right"))
    table = twitter(tmp_path, f"posts_90d: {posts}")
    assert table.loc["twitter", "freshness"] == level
    assert table.loc["twitter", "posts_90d"] == posts
    assert table.loc["twitter", "freshness_from_counts"]
    assert not table.loc["twitter", "responsiveness_from_counts"]
    assert pd.isna(table.loc["twitter", "replies"])
    rule = load_rubric().attributes["freshness"].from_counts
    assert rule.level(posts_90d=posts) == level


@pytest.mark.parametrize(
    ("replies", "comments", "level"),
    [
        (0, 100, 0),  # share 0
        (49, 100, 1),  # 0.49: some
        (50, 100, 2),  # 0.5: most
        (89, 100, 2),  # 0.89
        (90, 100, 3),  # 0.9: nearly all
        (27, 30, 3),  # 0.9 again, from another fraction
        (100, 100, 3),  # 1
        (130, 100, 3),  # more replies than comments
        (1, 1_000_000, 1),  # one in a million reaches the first threshold
        (1, 2_000_000, 0),  # below it
        (0, 0, 0),  # nothing to answer: level 0
        (5, 0, 0),  # denominator 0 with replies: still level 0
    ],
)
def test_responsiveness_from_the_share_answered(tmp_path, replies, comments, level):
    if comments:
        share = replies / comments
        assert level == by_hand(share, RESPONSIVENESS)
        assert level == int(np.searchsorted(RESPONSIVENESS, share, side="right"))
    table = twitter(tmp_path, f"replies: {replies}, comments: {comments}")
    assert table.loc["twitter", "responsiveness"] == level
    assert table.loc["twitter", ["replies", "comments"]].tolist() == [replies, comments]
    assert table.loc["twitter", "responsiveness_from_counts"]
    rule = load_rubric().attributes["responsiveness"].from_counts
    assert rule.level(replies=replies, comments=comments) == level


def test_counts_and_levels_mix_on_one_channel_and_the_table_is_typed(tmp_path):
    table = twitter(tmp_path, "posts_90d: 20, responsiveness: 2, integration: 1")
    row = table.loc["twitter"]
    assert row[["freshness", "responsiveness", "participation", "integration"]].tolist() == [
        2, 2, 0, 1,
    ]  # fmt: skip
    assert row[FLAGS].tolist() == [True, False]
    assert table.columns.tolist() == [
        "brand", "present", "freshness", "responsiveness", "participation",
        "integration", *COUNTS, *FLAGS, "listed",
    ]  # fmt: skip
    dtypes = table[[*COUNTS, *FLAGS]].dtypes.astype(str).tolist()
    assert dtypes == ["Int64", "Int64", "Int64", "bool", "bool"]


def test_counts_as_strings_or_whole_floats_are_read(tmp_path):
    table = twitter(tmp_path, "posts_90d: '13', replies: 9.0, comments: 10")
    assert table.loc["twitter", ["freshness", "responsiveness"]].tolist() == [2, 3]


def test_zero_counts_on_an_absent_channel_are_accepted(tmp_path):
    path = write(tmp_path, "brand: B\nchannels:\n  twitter: {present: false, posts_90d: 0}\n")
    table = read_brand_description(path).set_index("channel")
    assert table.loc["twitter", "freshness"] == 0 and not table.loc["twitter", "present"]


def test_a_users_rubric_changes_the_thresholds(tmp_path):
    data = yaml.safe_load((_RUBRIC_DIR / "engagementdb_2009.yaml").read_text(encoding="utf-8"))
    data["name"] = "mine"
    data["attributes"]["freshness"]["from_counts"] = {"counts": ["posts"],
                                                      "thresholds": [1, 5, 30]}  # fmt: skip
    rubric = write(tmp_path, yaml.safe_dump(data, sort_keys=False), "mine.yaml")
    path = write(tmp_path, "brand: B\nchannels:\n  twitter: {present: true, posts: 12}\n")
    table = read_brand_description(path, rubric=rubric).set_index("channel")
    assert table.loc["twitter", "freshness"] == 2  # 12 reaches 1 and 5, not 30
    assert "posts" in table.columns and "posts_90d" not in table.columns
    assert load_rubric(rubric) == load_rubric(rubric)
    assert hash(load_rubric(rubric)) == hash(load_rubric(rubric))


# --------------------------------------------------------- the same placement as levels


def test_the_counts_example_places_like_the_same_levels(tmp_path):
    from_counts = compare_brand(EXAMPLE_COUNTS_DESCRIPTION)
    from_levels = compare_brand(write(tmp_path, AS_LEVELS))
    pd.testing.assert_frame_equal(from_counts.placement, from_levels.placement)
    pd.testing.assert_frame_equal(from_counts.nearest, from_levels.nearest)
    same = [c for c in from_levels.next_steps.columns if c != "change"]
    pd.testing.assert_frame_equal(from_counts.next_steps[same], from_levels.next_steps[same])
    pd.testing.assert_frame_equal(from_counts.plan[same], from_levels.plan[same])
    # the changes say what the counts must reach where the level came from counts
    changes = dict(zip(from_levels.next_steps["change"], from_counts.next_steps["change"],
                       strict=True))  # fmt: skip
    assert changes["raise freshness on blogs from 1 to 3"] == (
        "raise freshness on blogs from 1 to 3 (posts_90d >= 90)"
    )
    assert changes["raise responsiveness on video from 0 to 3"] == (
        "raise responsiveness on video from 0 to 3 (replies / comments >= 0.9)"
    )
    assert changes["raise participation on blogs from 1 to 3"] == (
        "raise participation on blogs from 1 to 3"
    )
    assert changes["raise freshness on photo_sharing from 1 to 3"] == (
        "raise freshness on photo_sharing from 1 to 3"  # given as a level
    )
    columns = ["channel", "listed", "present", "points", "max_points"]
    pd.testing.assert_frame_equal(from_counts.channels[columns], from_levels.channels[columns])
    assert from_levels.channels["levels_from_counts"].eq("").all()
    # present on 7 channels; depth 1 + levels: 4, 6, 10, 1, 0, 5, 2 -> 35
    assert from_counts.placement["score"].iloc[0] == 35
    levels = read_brand_description(EXAMPLE_COUNTS_DESCRIPTION)
    assert score_engagement(levels, period=None)["score"].iloc[0] == 35


def test_the_table_read_goes_back_into_compare_brand_unchanged():
    table = read_brand_description(EXAMPLE_COUNTS_DESCRIPTION)
    again = compare_brand(table)
    first = compare_brand(EXAMPLE_COUNTS_DESCRIPTION)
    pd.testing.assert_frame_equal(again.placement, first.placement)
    pd.testing.assert_frame_equal(again.channels, first.channels)


def test_a_csv_with_count_columns_reads_like_the_yaml(tmp_path):
    csv = (
        "brand,channel,present,freshness,responsiveness,participation,integration,"
        "posts_90d,replies,comments\n"
        "Example Bicycle Works,blogs,true,,,1,1,8,12,40\n"
        "Example Bicycle Works,social_network,true,,,2,2,130,410,450\n"
        "Example Bicycle Works,twitter,true,,,0,1,45,60,110\n"
        "Example Bicycle Works,video,true,,,,1,3,0,25\n"
        "Example Bicycle Works,photo_sharing,true,1,,,,,,\n"
        "Example Bicycle Works,ratings_reviews,true,,,,,0,0,0\n"
        "Example Bicycle Works,discussion_forums,true,2,,1,,,30,30\n"
        "Example Bicycle Works,wiki,false,,,,,,,\n"
    )
    from_csv = read_brand_description(write(tmp_path, csv, "brand.csv"))
    pd.testing.assert_frame_equal(from_csv, read_brand_description(EXAMPLE_COUNTS_DESCRIPTION))


def test_compare_brand_says_which_levels_came_from_counts():
    result = compare_brand(EXAMPLE_COUNTS_DESCRIPTION)
    said = result.channels.set_index("channel")["levels_from_counts"]
    assert said["twitter"] == (
        "freshness 2 (from posts_90d = 45); "
        "responsiveness 2 (from replies / comments = 60 / 110 = 0.545)"
    )
    assert said["ratings_reviews"].endswith(
        "responsiveness 0 (from replies / comments = 0 / 0: no comments, so level 0)"
    )
    assert said["discussion_forums"] == "responsiveness 3 (from replies / comments = 30 / 30 = 1)"
    assert said["photo_sharing"] == "" and said["wiki"] == ""
    lines = result.summary_lines()
    assert "Levels from raw activity counts (the rubric's thresholds):" in lines
    assert "  blogs: freshness 1 (from posts_90d = 8); responsiveness 1 (from replies / " \
        "comments = 12 / 40 = 0.3)" in lines  # fmt: skip


# ------------------------------------------------------------------ description refusals


@pytest.mark.parametrize(
    ("settings", "match"),
    [
        (
            "freshness: 2, posts_90d: 20",
            r"brand description '.*brand\.yaml': channel 'twitter', attribute 'freshness': both "
            r"the level 2 and the counts \['posts_90d'\] are given; expected one of them",
        ),
        (
            "responsiveness: 1, replies: 3, comments: 4",
            r"channel 'twitter', attribute 'responsiveness': both the level 1 and the counts "
            r"\['replies', 'comments'\] are given",
        ),
        (
            "replies: 3",
            r"channel 'twitter', attribute 'responsiveness': count\(s\) \['comments'\] missing; "
            r"the level comes from all of \['replies', 'comments'\]",
        ),
        (
            "posts_90d: -3",
            r"channel 'twitter', count 'posts_90d': a negative count -3; expected a whole "
            r"number >= 0",
        ),
        ("posts_90d: 2.5", r"channel 'twitter', count 'posts_90d': count 2\.5; expected a whole"),
        ("replies: many, comments: 4", r"channel 'twitter', count 'replies': count 'many'"),
        ("replies: true, comments: 4", r"channel 'twitter', count 'replies': count True"),
        (
            "post_90d: 20",
            r"channel 'twitter': unknown attribute 'post_90d'; the attributes scored on it are "
            r"\[.*\], and the raw activity counts it takes .*Did you mean 'posts_90d'\?",
        ),
        ("reply: 3, comments: 4", r"unknown attribute 'reply'.*Did you mean 'replies'\?"),
    ],
)
def test_bad_counts_are_refused_naming_the_file_channel_and_count(tmp_path, settings, match):
    with pytest.raises(ParameterError, match=match):
        twitter(tmp_path, settings)


def test_counts_giving_a_level_on_an_absent_channel_are_refused(tmp_path):
    path = write(tmp_path, "brand: B\nchannels:\n  twitter: {present: false, posts_90d: 20}\n")
    with pytest.raises(
        ParameterError,
        match=r"channel 'twitter' has present: false but freshness = 2 \(from its counts\)",
    ):
        read_brand_description(path)


def test_a_count_of_an_attribute_not_scored_on_the_channel_is_refused(tmp_path):
    rubric = {
        "name": "small", "version": 1, "presence": "present", "score": "sum",
        "attributes": {
            "present": {"points": 1, "max_level": 1},
            "freshness": {"points": 1, "max_level": 2,
                          "from_counts": {"counts": ["posts"], "thresholds": [1, 10]}},
        },
        "channels": {"blogs": {"attributes": ["present", "freshness"]},
                     "wiki": {"attributes": ["present"]}},
    }  # fmt: skip
    path = write(tmp_path, "brand: B\nchannels:\n  wiki: {present: true, posts: 3}\n")
    with pytest.raises(
        ParameterError,
        match=r"channel 'wiki': count 'posts' gives the level of 'freshness', which is not "
        r"scored on it; the attributes scored on it are \[\] \(levels, not raw activity",
    ):
        read_brand_description(path, rubric=rubric)
    ok = write(tmp_path, "brand: B\nchannels:\n  blogs: {present: true, posts: 10}\n", "ok.yaml")
    assert read_brand_description(ok, rubric=rubric).set_index("channel").loc[
        "blogs", "freshness"
    ] == 2  # fmt: skip


def test_bad_count_columns_in_a_csv_are_refused(tmp_path):
    head = "brand,channel,present,freshness,post_90d\n"
    path = write(tmp_path, head + "B,twitter,true,,4\n", "brand.csv")
    with pytest.raises(
        ParameterError,
        match=r"unknown attribute column 'post_90d'; .* and its counts are \['posts_90d', "
        r"'replies', 'comments'\]\. Did you mean 'posts_90d'\?",
    ):
        read_brand_description(path)
    path = write(tmp_path, "brand,channel,present,freshness,posts_90d\nB,twitter,true,1,4\n",
                 "both.csv")  # fmt: skip
    with pytest.raises(ParameterError, match=r"'freshness': both the level 1 and the counts"):
        read_brand_description(path)


# ------------------------------------------------------------------- rubric refusals


def shipped_with(path: str, value: object) -> dict:
    """The shipped rubric with one key (dotted path) replaced, or deleted when value is ..."""
    data = yaml.safe_load((_RUBRIC_DIR / "engagementdb_2009.yaml").read_text(encoding="utf-8"))
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node[key]
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return data


FRESH = "attributes.freshness.from_counts"
BAD_BLOCKS = [
    (FRESH, ["posts_90d"], r"attributes\.freshness\.from_counts: found a list \(\['posts_90d'\]\)"),
    (f"{FRESH}.threshold", [1], r"from_counts: unknown key 'threshold'.*Did you mean 'thresholds'"),
    (f"{FRESH}.thresholds", ..., r"from_counts: missing key 'thresholds'"),
    (f"{FRESH}.counts", [], r"from_counts\.counts: found \[\]; expected a list of one count name"),
    (f"{FRESH}.counts", ["a", "b", "c"], r"from_counts\.counts: found \['a', 'b', 'c'\]"),
    (f"{FRESH}.counts", "posts_90d", r"from_counts\.counts: found 'posts_90d'; expected a list"),
    (f"{FRESH}.counts", ["posts 90d"], r"the count name 'posts 90d' is not an identifier"),
    (f"{FRESH}.counts", ["a", "a"], r"counts: found \['a', 'a'\]; expected two different counts"),
    (
        f"{FRESH}.thresholds",
        [1, 13],
        r"from_counts\.thresholds: found \[1, 13\]; expected a list of 3 numbers \(one per level "
        r"above 0; max_level is 3\)",
    ),
    (f"{FRESH}.thresholds", [1, 90, 13], r"found \[1, 90, 13\]; expected strictly increasing"),
    (f"{FRESH}.thresholds", [1, 1, 13], r"found \[1, 1, 13\]; expected strictly increasing"),
    (f"{FRESH}.thresholds", [-1, 13, 90], r"found \[-1, 13, 90\]; expected numbers >= 0"),
    (f"{FRESH}.thresholds", ["1", 13, 90], r"thresholds: found \['1', 13, 90\]; expected a list"),
    (f"{FRESH}.thresholds", [True, 13, 90], r"thresholds: found \[True, 13, 90\]; expected"),
    (
        f"{FRESH}.counts",
        ["participation"],
        r"from_counts\.counts: the count name 'participation' is already an attribute",
    ),
    (f"{FRESH}.counts", ["brand"], r"count name 'brand' is already a description column"),
    (
        f"{FRESH}.counts",
        ["integration_from_counts"],
        r"'integration_from_counts' is already a description column",
    ),
    (
        f"{FRESH}.counts",
        ["comments"],
        r"attributes\.responsiveness\.from_counts\.counts: the count 'comments' is already a "
        r"count of attribute 'freshness'",
    ),
    (
        "attributes.present.from_counts",
        {"counts": ["posts"], "thresholds": [1]},
        r"attributes\.present\.from_counts: the presence attribute 'present' cannot come from "
        r"counts",
    ),
]


@pytest.mark.parametrize(("path", "value", "match"), BAD_BLOCKS)
def test_bad_from_counts_blocks_are_refused_naming_the_file_and_key(tmp_path, path, value, match):
    rubric = write(tmp_path, yaml.safe_dump(shipped_with(path, value), sort_keys=False), "bad.yaml")
    with pytest.raises(ParameterError, match=rf"^rubric '.*bad\.yaml', .*{match}"):
        load_rubric(rubric)


def test_from_counts_built_directly_is_checked_the_same_way():
    with pytest.raises(ParameterError, match=r"FromCounts counts: the count name '1x'"):
        FromCounts(counts=("1x",), thresholds=(1,))
    with pytest.raises(ParameterError, match=r"FromCounts thresholds: found \[2, 1\]; expected"):
        FromCounts(counts=("x",), thresholds=(2, 1))
    rule = FromCounts(counts=["x"], thresholds=[1, 2])
    assert rule.counts == ("x",) and rule.thresholds == (1, 2)
    with pytest.raises(ParameterError, match=r"from_counts\.thresholds: found \(1, 2\); expected"
                                             r" a list of 3 numbers"):  # fmt: skip
        Attribute(points=1, max_level=3, from_counts=rule)
    with pytest.raises(ParameterError, match=r"Attribute from_counts: found dict"):
        Attribute(points=1, max_level=2, from_counts={"counts": ["x"]})
    with pytest.raises(ParameterError, match=r"found the counts \['y'\]; expected exactly \['x'\]"):
        rule.level(y=1)
    with pytest.raises(ParameterError, match=r"count 'x' is -1; expected a whole number >= 0"):
        rule.level(x=-1)


# ---------------------------------------------------------------------------------- CLI


def test_cli_compare_on_the_counts_example(capsys):
    assert run(["engagement", "compare", str(EXAMPLE_COUNTS_DESCRIPTION)]) == 0
    out = capsys.readouterr().out
    placement = compare_brand(EXAMPLE_COUNTS_DESCRIPTION).placement.iloc[0]
    assert f"Example Bicycle Works: score {placement['score']}, breadth 7 channels" in out
    assert "Levels from raw activity counts (the rubric's thresholds):" in out
    assert "  twitter: freshness 2 (from posts_90d = 45)" in out


def test_cli_refuses_level_and_counts_together_in_one_line(tmp_path, capsys):
    path = write(tmp_path, "brand: X\nchannels:\n  twitter: {present: true, freshness: 1, "
                           "posts_90d: 4}\n")  # fmt: skip
    assert run(["engagement", "compare", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("scrm-lab: error: brand description") and "\n" not in err
    assert "attribute 'freshness': both the level 1 and the counts ['posts_90d']" in err
