"""Tests of "how does your company compare?": read_brand_description, compare_brand,
peer_benchmark and the simulated peer set, plus the compare_your_brand report."""

from __future__ import annotations

import re
from html import unescape

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import cdist
from scipy.stats import percentileofscore

from scrm_lab.datasets import load_dataset
from scrm_lab.engagement import (
    EXAMPLE_DESCRIPTION,
    BrandComparison,
    classify_profiles,
    compare_brand,
    load_rubric,
    peer_benchmark,
    read_brand_description,
    score_engagement,
)
from scrm_lab.exceptions import DataFileError, ParameterError, SchemaError
from scrm_lab.synth import simulate_peer_rates

RUBRIC = load_rubric("engagementdb_2009")
ATTRIBUTES = ["freshness", "responsiveness", "participation", "integration"]


@pytest.fixture(scope="module")
def activity() -> pd.DataFrame:
    return load_dataset("engagementdb_2009_reconstruction", table="channel_activity")


@pytest.fixture(scope="module")
def brands() -> pd.DataFrame:
    return load_dataset("engagementdb_2009_reconstruction", table="brands")


def write_yaml(tmp_path, text: str, name: str = "brand.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def copy_as_yaml(activity: pd.DataFrame, brand: str, new_name: str) -> str:
    """A YAML description copying one reconstructed brand's channels, written by hand."""
    lines = [f"brand: {new_name}", "channels:"]
    for row in activity.loc[activity["brand"] == brand].itertuples():
        levels = ", ".join(f"{a}: {int(getattr(row, a))}" for a in ATTRIBUTES)
        lines.append(f"  {row.channel}: {{present: {str(bool(row.present)).lower()}, {levels}}}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------- reading descriptions


def test_yaml_and_csv_examples_read_the_same_table():
    from_yaml = read_brand_description(EXAMPLE_DESCRIPTION)
    from_csv = read_brand_description(EXAMPLE_DESCRIPTION.with_suffix(".csv"))
    pd.testing.assert_frame_equal(from_yaml, from_csv)
    assert from_yaml["channel"].tolist() == list(RUBRIC.channels)
    assert from_yaml.columns.tolist() == [
        "brand", "channel", "present", *ATTRIBUTES, "posts_90d", "replies", "comments",
        "freshness_from_counts", "responsiveness_from_counts", "listed",
    ]  # fmt: skip
    assert from_yaml[["posts_90d", "replies", "comments"]].isna().all().all()
    assert not from_yaml[["freshness_from_counts", "responsiveness_from_counts"]].any().any()
    unlisted = from_yaml.loc[~from_yaml["listed"]]
    assert set(unlisted["channel"]) == {
        "branded_community",
        "content_distribution",
        "innovation_hub",
        "ratings_reviews",
    }
    assert not unlisted["present"].any() and (unlisted[ATTRIBUTES] == 0).all().all()


def test_an_unlisted_channel_edited_to_present_counts():
    """Editing the table read_brand_description gave (its 'listed' column still False) is
    never dropped silently: the same placement as a table without that column."""
    table = read_brand_description(EXAMPLE_DESCRIPTION)
    row = table["channel"] == "branded_community"
    table.loc[row, ["present", "freshness"]] = [True, 1]
    edited = compare_brand(table)
    without = compare_brand(table.drop(columns="listed"))
    assert edited.placement.equals(without.placement)
    before = compare_brand(read_brand_description(EXAMPLE_DESCRIPTION))
    assert [c.placement["breadth"].iloc[0] for c in (before, edited)] == [6, 7]


def test_a_left_out_attribute_is_level_zero(tmp_path):
    path = write_yaml(tmp_path, "brand: B\nchannels:\n  twitter: {present: true, freshness: 2}\n")
    table = read_brand_description(path).set_index("channel")
    assert table.loc["twitter", ATTRIBUTES].tolist() == [2, 0, 0, 0]
    assert table.loc["twitter", "present"]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            "channels:\n  twitter: {present: true}\n",
            r"brand description '.*brand\.yaml': the brand name is missing",
        ),
        (
            "brand: ''\nchannels:\n  twitter: {present: true}\n",
            r"the brand name is missing",
        ),
        (
            "brand: B\nchannels:\n  twiter: {present: true}\n",
            r"unknown channel 'twiter'; the channels of rubric 'engagementdb_2009' are "
            r"\[.*\]\. Did you mean 'twitter'\?",
        ),
        (
            "brand: B\nchannels:\n  facebook: {present: true}\n",
            r"unknown channel 'facebook'.* Did you mean 'social_network' \(External social",
        ),
        (
            "brand: B\nchannels:\n  twitter: {present: true, freshnes: 2}\n",
            r"channel 'twitter': unknown attribute 'freshnes'; the attributes scored on it are "
            r"\['freshness', .*\], and the raw activity counts it takes instead of some levels "
            r"are \['posts_90d', 'replies', 'comments'\] .*\. Did you mean 'freshness'\?",
        ),
        (
            "brand: B\nchannels:\n  twitter: {present: true, posts: 40}\n",
            r"unknown attribute 'posts'.*counts it takes .*Did you mean 'posts_90d'\?",
        ),
        (
            "brand: B\nchannels:\n  twitter: {present: true, freshness: 5}\n",
            r"channel 'twitter', attribute 'freshness': level 5; expected a whole number from 0 "
            r"to 3",
        ),
        (
            "brand: B\nchannels:\n  twitter: {present: true, freshness: -1}\n",
            r"channel 'twitter', attribute 'freshness': a negative level -1; expected a whole",
        ),
        (
            "brand: B\nchannels:\n  twitter: {present: true, freshness: 1.5}\n",
            r"attribute 'freshness': level 1.5; expected a whole number",
        ),
        (
            "brand: B\nchannels:\n  twitter: {freshness: 1}\n",
            r"channel 'twitter', attribute 'present' is missing; expected true or false",
        ),
        (
            "brand: B\nchannels:\n  twitter: {present: 1}\n",
            r"channel 'twitter', attribute 'present' is 1; expected true or false",
        ),
        (
            "brand: B\nchannels:\n  twitter: {present: false, freshness: 2}\n",
            r"channel 'twitter' has present: false but freshness = 2",
        ),
        ("brand: B\nchannels: {}\n", r"'channels' is \{\}; expected a mapping"),
        ("brand: B\n", r"'channels' is missing"),
        ("brand: B\nchannels:\n  twitter: yes\n", r"channel 'twitter' is True; expected a mapping"),
        (
            "brand: B\nchanels:\n  twitter: {present: true}\n",
            r"unknown key 'chanels'; expected keys are \['brand', 'channels'\]\. Did you mean",
        ),
        ("- a list\n", r"found a list; expected a mapping with keys 'brand' and 'channels'"),
    ],
)
def test_bad_yaml_descriptions_are_refused_naming_the_file_and_place(tmp_path, text, match):
    path = write_yaml(tmp_path, text)
    with pytest.raises(ParameterError, match=match):
        read_brand_description(path)


def test_a_channel_listed_twice_in_yaml_is_refused_with_its_line(tmp_path):
    path = write_yaml(
        tmp_path, "brand: B\nchannels:\n  twitter: {present: true}\n  twitter: {present: false}\n"
    )
    with pytest.raises(DataFileError, match=r"line 4, column 3\): found duplicate key 'twitter'"):
        read_brand_description(path)


def test_file_problems_are_refused(tmp_path):
    with pytest.raises(DataFileError, match=r"brand description .* does not exist"):
        read_brand_description(tmp_path / "missing.yaml")
    other = tmp_path / "brand.json"
    other.write_text("{}")
    with pytest.raises(DataFileError, match=r"unknown file type '.json'; expected a YAML"):
        read_brand_description(other)


CSV_HEADER = "brand,channel,present,freshness,responsiveness,participation,integration\n"


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("B,twitter,true,1,0,0,0\nB,twitter,false,0,0,0,0\n", r"channel 'twitter' is listed twice"),
        ("B,twitter,maybe,1,0,0,0\n", r"attribute 'present' is 'maybe'; expected true or false"),
        ("B,twitter,,1,0,0,0\n", r"attribute 'present' is missing"),
        ("B,twitter,true,-2,0,0,0\n", r"'freshness': a negative level -2"),
        ("B,tiwtter,true,1,0,0,0\n", r"unknown channel 'tiwtter'.*Did you mean 'twitter'\?"),
        (",twitter,true,1,0,0,0\n", r"the brand name is missing"),
        ("B,twitter,true,1,0,0,0\nC,blogs,true,1,0,0,0\n", r"column 'brand' holds 2 names"),
    ],
)
def test_bad_csv_descriptions_are_refused(tmp_path, body, match):
    path = tmp_path / "brand.csv"
    path.write_text(CSV_HEADER + body, encoding="utf-8")
    with pytest.raises(ParameterError, match=r"brand description '.*brand\.csv': " + ".*" + match):
        read_brand_description(path)


def test_csv_column_problems_are_refused(tmp_path):
    path = tmp_path / "brand.csv"
    path.write_text("brand,channel,present,fresh\nB,twitter,true,1\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"unknown attribute column 'fresh'.*Did you mean"):
        read_brand_description(path)
    path.write_text("brand,channel,freshness\nB,twitter,1\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"column 'present' is missing"):
        read_brand_description(path)


# --------------------------------------------------------------------------- placement


def test_a_copy_of_a_reconstructed_brand_gets_its_score_breadth_rank_and_profile(
    tmp_path, activity, brands
):
    path = write_yaml(tmp_path, copy_as_yaml(activity, "Dell", "Copy of Dell"))
    result = compare_brand(path)
    assert isinstance(result, BrandComparison)
    row = result.placement.iloc[0]
    dell = brands.set_index("brand").loc["Dell"]
    assert row["brand"] == "Copy of Dell"
    assert row["score"] == dell["sim_engagement_score"] == 123  # published
    assert row["breadth"] == dell["sim_breadth"]
    assert row["profile_regression_rule"] == dell["sim_profile"]
    assert row["rank"] == dell["sim_engagement_rank"] == 2  # Dell ties with its copy
    assert row["depth"] == pytest.approx(123 / dell["sim_breadth"])
    # the mean rule, checked with classify_profiles on the peers alone
    scores = score_engagement(activity, period=None)
    by_mean = classify_profiles(scores, rule="mean").set_index("brand")
    assert row["profile_mean_rule"] == by_mean.loc["Dell", "profile"]
    assert result.channels["points"].sum() == 123
    assert result.nearest.iloc[0]["brand"] == "Dell" and result.nearest.iloc[0]["distance"] == 0


def test_a_brand_named_like_a_peer_replaces_it(tmp_path, activity):
    path = write_yaml(tmp_path, copy_as_yaml(activity, "Intel", "Intel"))
    row = compare_brand(path).placement.iloc[0]
    assert row["n_peers"] == 99 and row["score"] == 85 and row["rank"] == 10


def test_every_attribute_at_its_top_ranks_first_with_the_top_score(tmp_path):
    channels = "\n".join(
        f"  {c}: {{present: true, freshness: 3, responsiveness: 3, participation: 3, "
        "integration: 2}"
        for c in RUBRIC.channels
    )
    result = compare_brand(write_yaml(tmp_path, f"brand: Top\nchannels:\n{channels}\n"))
    row = result.placement.iloc[0]
    assert row["score"] == RUBRIC.max_score == 132
    assert row["rank"] == 1 and row["percentile"] == 100.0 and row["breadth"] == 11
    assert row["profile_regression_rule"] == row["profile_mean_rule"] == "Maven"
    assert result.next_steps.empty and result.plan.empty
    assert "Already a Maven" in "\n".join(result.summary_lines())


def test_nothing_present_scores_zero_and_is_a_wallflower(tmp_path):
    result = compare_brand(
        write_yaml(tmp_path, "brand: Nobody\nchannels:\n  wiki: {present: no}\n")
    )
    row = result.placement.iloc[0]
    assert (row["score"], row["breadth"], row["depth"]) == (0, 0, 0.0)
    assert row["profile_regression_rule"] == row["profile_mean_rule"] == "Wallflower"
    # (the peers' line, extrapolated to 0 channels, is below 0: no channel is still no engagement)
    assert row["rank"] == 101 and row["percentile"] == 0.0
    assert result.channels["listed"].sum() == 1
    # every next step starts a channel, worth the presence point
    assert (result.next_steps["attribute"] == "present").all()
    assert (result.next_steps["points_gained"] == 1).all()


def test_rank_and_percentile_agree_with_pandas_and_scipy(activity):
    result = compare_brand(EXAMPLE_DESCRIPTION)
    row = result.placement.iloc[0]
    peers = score_engagement(activity, period=None)
    everyone = pd.concat(
        [peers[["brand", "score"]], pd.DataFrame({"brand": [row["brand"]], "score": [30]})]
    )
    ranks = everyone["score"].rank(method="min", ascending=False)
    assert row["score"] == 30
    assert row["rank"] == int(ranks.iloc[-1])
    assert row["percentile"] == pytest.approx(
        percentileofscore(peers["score"], row["score"], kind="mean")
    )
    assert row["n_peers"] == 100


def test_nearest_brands_agree_with_scipy_distances(activity):
    result = compare_brand(EXAMPLE_DESCRIPTION, k=7)
    peers = score_engagement(activity, period=None)
    values = peers[["breadth", "score"]].to_numpy(dtype=float)
    mean, sd = values.mean(axis=0), values.std(axis=0)
    own = (np.array([[6.0, 30.0]]) - mean) / sd
    distance = cdist((values - mean) / sd, own).ravel()
    expected = peers.assign(distance=distance).sort_values(["distance", "brand"]).head(7)
    assert result.nearest["brand"].tolist() == expected["brand"].tolist()
    np.testing.assert_allclose(result.nearest["distance"], expected["distance"])
    profiles = classify_profiles(peers).set_index("brand")["profile"]
    assert result.nearest["profile_regression_rule"].tolist() == [
        profiles[b] for b in expected["brand"]
    ]


def test_the_top_step_really_adds_its_points(activity):
    result = compare_brand(EXAMPLE_DESCRIPTION)
    top = result.next_steps.iloc[0]
    assert top["points_gained"] == result.next_steps["points_gained"].max()
    table = read_brand_description(EXAMPLE_DESCRIPTION)
    table.loc[table["channel"] == top["channel"], top["attribute"]] = top["to_level"]
    rescored = score_engagement(table, period=None)["score"].iloc[0]
    assert rescored == top["new_score"] == 30 + top["points_gained"]


def test_the_plan_reaches_each_next_profile_when_applied(activity):
    result = compare_brand(EXAMPLE_DESCRIPTION)
    assert result.placement["profile_regression_rule"].iloc[0] == "Wallflower"
    assert result.plan["target"].unique().tolist() == ["Selective", "Butterfly", "Maven"]
    peers = score_engagement(activity, period=None)
    slope, intercept = np.polyfit(peers["breadth"], peers["score"], 1)  # independent line
    for target, steps in result.plan.groupby("target", sort=False):
        assert steps["step"].tolist() == list(range(1, len(steps) + 1))
        assert steps["new_profile_regression_rule"].iloc[-1] == target
        assert (steps["new_profile_regression_rule"].iloc[:-1] != target).all()
        table = read_brand_description(EXAMPLE_DESCRIPTION)
        for step in steps.itertuples():
            at = table["channel"] == step.channel
            table.loc[at, step.attribute] = (
                bool(step.to_level) if step.attribute == "present" else step.to_level
            )
        rescored = score_engagement(table, period=None).iloc[0]
        assert rescored["score"] == steps["new_score"].iloc[-1] == 30 + steps["points_gained"].sum()
        assert rescored["breadth"] == steps["new_breadth"].iloc[-1]
        above = rescored["score"] > intercept + slope * rescored["breadth"]
        assert above == (target != "Butterfly")
        assert (rescored["breadth"] >= 7) == (target != "Selective")
    # the fewest changes, counted by hand: Selective needs score > line(6) = 45.6..., i.e.
    # +16 points at 3 per raise (six raises); Butterfly one more channel (7, below the line)
    need = intercept + slope * 6 - 30
    assert (result.plan["target"] == "Selective").sum() == int(np.ceil(need / 3 + 1e-9))
    assert (result.plan["target"] == "Butterfly").sum() == 1


def test_a_selective_needs_channels_and_gets_the_fewest_changes(tmp_path, activity):
    # Citi: a Selective on 3 channels; to become a Maven it needs 4 more channels, then points
    d = activity.loc[activity["brand"] == "Citi"].drop(columns=["simulated"])
    result = compare_brand(d.assign(brand="Copy of Citi"))
    plan = result.plan
    assert result.placement["profile_regression_rule"].iloc[0] == "Selective"
    assert plan["target"].unique().tolist() == ["Maven"]
    assert (plan["attribute"] == "present").sum() == 4
    assert plan["new_profile_regression_rule"].iloc[-1] == "Maven"
    # one change fewer does not reach it: the last change was needed
    assert plan["new_profile_regression_rule"].iloc[-2] != "Maven"
    # counted by hand: 4 starts (+4 points) reach breadth 7; then 3-point raises until the
    # score is above the peers' line at 7 (enough 3-point raises exist: 3 per new channel)
    peers = score_engagement(activity, period=None)
    slope, intercept = np.polyfit(peers["breadth"], peers["score"], 1)
    score = result.placement["score"].iloc[0]
    raises = int(np.ceil((intercept + slope * 7 - score - 4) / 3 + 1e-9))
    assert raises <= 3 * 4 + (plan["points_gained"] == 3).sum()
    assert len(plan) == 4 + raises


def test_a_description_table_and_peers_table_are_accepted(activity):
    table = read_brand_description(EXAMPLE_DESCRIPTION)
    by_table = compare_brand(table, peers=activity)
    by_file = compare_brand(EXAMPLE_DESCRIPTION)
    pd.testing.assert_frame_equal(by_table.placement, by_file.placement)
    pd.testing.assert_frame_equal(by_table.channels, by_file.channels)
    assert not by_table.channels["listed"].all()
    assert "reconstruction" in by_file.caveat and "simulated" in by_file.caveat
    assert "reconstruction" not in by_table.caveat.split(".")[0]


def test_the_summary_lines_say_the_placement_and_the_caveat():
    lines = compare_brand(EXAMPLE_DESCRIPTION).summary_lines(steps=2)
    text = "\n".join(lines)
    assert lines[0].startswith("Example Coffee Co.: score 30, breadth 6 channels")
    assert "Rank 57 of 101" in text and "Wallflower under the regression rule" in text
    assert "counted as absent: branded_community" in text
    assert "To become Selective" in text and "reconstruction" in text
    with pytest.raises(ParameterError, match=r"'steps' parameter of BrandComparison"):
        compare_brand(EXAMPLE_DESCRIPTION).summary_lines(steps=-1)


def test_peers_from_a_file(tmp_path, activity):
    path = tmp_path / "peers.csv"
    activity.drop(columns=["simulated"]).to_csv(path, index=False)
    by_file = compare_brand(EXAMPLE_DESCRIPTION, peers=path)
    pd.testing.assert_frame_equal(by_file.placement, compare_brand(EXAMPLE_DESCRIPTION).placement)
    assert by_file.caveat.startswith("The peers are the 100 brands of the peers table given")


def test_too_few_peers_are_refused(activity):
    few = activity.loc[activity["brand"].isin(["Dell", "Intel"])]
    with pytest.raises(SchemaError, match=r"peers: the regression rule needs at least 3 peer"):
        compare_brand(EXAMPLE_DESCRIPTION, peers=few)


def test_a_bad_description_table_is_refused():
    table = read_brand_description(EXAMPLE_DESCRIPTION)
    table.loc[0, "freshness"] = 9
    with pytest.raises(ParameterError, match=r"description table: channel 'blogs', attribute"):
        compare_brand(table)


def test_the_landscape_marks_the_brand_on_the_quadrant_chart(activity):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    from scrm_lab.plots import plot_profile_quadrants

    result = compare_brand(EXAMPLE_DESCRIPTION)
    land = result.landscape
    assert len(land) == 101 and land["is_brand"].sum() == 1 and land["is_brand"].iloc[-1]
    peers = classify_profiles(score_engagement(activity, period=None))
    np.testing.assert_allclose(land["expected_score"].iloc[:-1], peers["expected_score"])
    assert land["profile"].iloc[:-1].tolist() == peers["profile"].tolist()
    ax = plot_profile_quadrants(land, highlight="Example Coffee Co.")
    labels = ax.get_legend_handles_labels()[1]
    assert "Example Coffee Co. (Wallflower)" in labels
    assert sum(int(re.search(r"\((\d+)\)", t).group(1)) for t in labels[:4]) == 100
    assert "Example Coffee Co." in [t.get_text() for t in ax.texts]
    with pytest.raises(SchemaError, match=r"highlight 'Nobody' is not a value of column 'brand'"):
        plot_profile_quadrants(land, highlight="Nobody")
    plt.close("all")


# -------------------------------------------------------------------------- peer rates


def test_peer_benchmark_agrees_with_numpy():
    data = simulate_peer_rates(n_brands=25, brand="Me", seed=3)
    result = peer_benchmark(data, brand="Me", denominator="reach")
    rates = data["engagements"] / data["reach"]
    own, peers = rates.iloc[0], rates.iloc[1:].to_numpy()
    row = result.iloc[0]
    assert row["rate"] == pytest.approx(own)
    assert row["percentile_rank"] == pytest.approx(percentileofscore(peers, own, kind="mean"))
    assert row["peer_median"] == pytest.approx(np.median(peers))
    assert row["peer_q1"] == pytest.approx(np.quantile(peers, 0.25))
    assert row["peer_q3"] == pytest.approx(np.quantile(peers, 0.75))
    assert row["competitor_average"] == pytest.approx(peers.mean())
    assert row["landscape_average"] == pytest.approx(rates.mean())
    assert row["n_peers"] == 24 and row["denominator"] == "reach"
    assert "unweighted mean" in row["definition"]


def test_peer_benchmark_pools_the_posts_of_a_brand():
    posts = pd.DataFrame(
        {
            "brand": ["A", "A", "B", "C", "C", "C"],
            "reactions": [1, 3, 5, 2, 2, 2],
            "comments": [1, 1, 0, 0, 0, 1],
            "impressions": [100, 300, 50, 100, 100, 100],
        }
    )
    row = peer_benchmark(
        posts, brand="A", denominator="impressions", value=["reactions", "comments"]
    ).iloc[0]
    assert row["rate"] == pytest.approx(6 / 400)
    assert row["competitor_average"] == pytest.approx((5 / 50 + 7 / 300) / 2)
    assert row["percentile_rank"] == 0.0 and row["n_peers"] == 2


def test_simulated_peers_are_labelled():
    peers = simulate_peer_rates(n_brands=5, seed=0)
    assert peers["simulated"].all() and peers.attrs["simulated"] is True
    assert "SIMULATED" in peers.attrs["note"]
    again = simulate_peer_rates(n_brands=5, seed=0)
    pd.testing.assert_frame_equal(peers, again)
    with pytest.raises(ParameterError, match=r"'brand' parameter of simulate_peer_rates"):
        simulate_peer_rates(n_brands=5, brand="Simulated peer 01")


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"followers": [100, 0, 50]}, r"row 2 \(brand 'B'\), column 'followers' \(the "
                                      r"denominator\) is 0; expected a number > 0"),
        ({"followers": [100, np.nan, 50]}, r"row 2 \(brand 'B'\), column 'followers'.* is missing"),
        ({"engagements": [1, -1, 2]}, r"row 2 \(brand 'B'\), column 'engagements'.* is -1"),
        ({"denominator": ["followers", "reach", "followers"]}, r"row 2 \(brand 'B'\) declares "
                                                               r"denominator 'reach'.*never mixed"),
        ({"followers": ["a", "b", "c"]}, r"column 'followers' \(the denominator\) has dtype"),
    ],
)  # fmt: skip
def test_peer_benchmark_refusals(change, match):
    data = pd.DataFrame({"brand": ["A", "B", "C"], "engagements": [1, 2, 3],
                         "followers": [100, 200, 50]})  # fmt: skip
    with pytest.raises(SchemaError, match=match):
        peer_benchmark(data.assign(**change), brand="A")


def test_peer_benchmark_refuses_an_unknown_brand_a_missing_column_and_no_peers():
    data = pd.DataFrame({"brand": ["Acme", "Globex"], "engagements": [1, 2], "reach": [10, 20]})
    with pytest.raises(SchemaError, match=r"brand 'Acm' is not in column 'brand'.*'Acme'\?"):
        peer_benchmark(data, brand="Acm", denominator="reach")
    with pytest.raises(SchemaError, match=r"column 'followers' is not in the data"):
        peer_benchmark(data, brand="Acme")
    with pytest.raises(SchemaError, match=r"only brand 'Acme'; expected at least one peer"):
        peer_benchmark(data.head(1), brand="Acme", denominator="reach")
    with pytest.raises(ParameterError, match=r"'denominator' parameter of peer_benchmark"):
        peer_benchmark(data, brand="Acme", denominator="views")


# ------------------------------------------------------------------------------ report


def test_the_report_places_a_users_brand(tmp_path):
    from scrm_lab.reports import run_report

    text = (
        "brand: Tiny Tea Ltd\nchannels:\n"
        "  twitter: {present: true, freshness: 3, responsiveness: 3}\n"
        "  blogs: {present: true, freshness: 1}\n"
    )
    path = write_yaml(tmp_path, text, "tiny.yaml")
    run = run_report("compare_your_brand", {"path": str(path)}, output_dir=tmp_path / "out")
    assert run.status == "succeeded"
    page = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", run.html.read_text())))
    expected = compare_brand(path).placement.iloc[0]
    assert "Tiny Tea Ltd" in page
    assert f"score {int(expected['score'])}" in page
    assert f"Rank {int(expected['rank'])} of 101" in page
    assert str(expected["profile_regression_rule"]) in page
    assert "SIMULATED" in page and "reconstruction" in page
