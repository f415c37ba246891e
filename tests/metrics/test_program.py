"""Follower growth and quality, content acceptance, search interest, audience, definitions."""

from __future__ import annotations

import importlib
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

import scrm_lab
from scrm_lab import metrics, plots, synth
from scrm_lab.datasets import load_dataset
from scrm_lab.exceptions import ParameterError, SchemaError

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def posts() -> pd.DataFrame:
    return load_dataset("facebook_metrics")


def test_follower_growth_by_hand():
    data = pd.DataFrame({
        "brand": ["A", "A", "A", "A", "B", "B"],
        "period": [1, 1, 2, 3, 1, 2],
        "time": [2, 1, 1, 1, 1, 1],
        "followers": [110, 120, 132, 99, 10, 0],
    })  # fmt: skip
    last = metrics.follower_growth(data, order="time").set_index(["brand", "period"])
    assert last.loc[("A", 1), "followers"] == 110  # the later observation, not the largest
    assert last.loc[("A", 2), ["growth", "growth_rate"]].tolist() == [22, pytest.approx(0.2)]
    assert last.loc[("A", 3), "growth_rate"] == pytest.approx(-33 / 132)
    assert pd.isna(last.loc[("B", 1), "growth"]) and last.loc[("B", 2), "growth"] == -10
    largest = metrics.follower_growth(data)
    assert (
        largest["followers"].iloc[0] == 120
        and (largest["read_as"] == "largest in the period").all()
    )
    pooled = metrics.follower_growth(data, by=None, order="time")
    assert pooled["observations"].tolist() == [3, 2, 1]


def test_follower_growth_on_facebook_metrics(
    posts,
):
    table = metrics.follower_growth(posts.assign(period=posts["post_month"]))
    hand = posts.groupby("post_month")["followers"].max()
    assert table["followers"].tolist() == hand.tolist()
    assert table["growth"].iloc[1:].tolist() == hand.diff().iloc[1:].astype(int).tolist()
    assert table["definition"].iloc[0] == "follower_volume/1; follower_growth/1"


def test_follower_quality_against_scipy(posts):
    table = metrics.follower_quality(posts).set_index("metric")
    ratio = (posts["engaged_fans"] / posts["followers"]).astype(float)
    low, high = stats.t.interval(0.95, len(ratio) - 1, loc=ratio.mean(), scale=stats.sem(ratio))
    row = table.loc["engaged_fan_rate"]
    assert row["estimate"] == pytest.approx(ratio.mean(), rel=1e-12)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), rel=1e-12)
    assert row["median"] == pytest.approx(ratio.median())
    share = (posts["reach_by_fans"] / posts["reach"]).astype(float)
    assert table.loc["fan_reach_share", "estimate"] == pytest.approx(share.mean(), rel=1e-12)
    by_paid = metrics.follower_quality(posts, by="paid")
    assert by_paid.groupby("metric")["n"].sum().eq(499).all()  # one post's paid flag is missing
    assert table.columns.tolist()[-2:] == ["denominator", "definition"]


def test_follower_quality_refuses_a_part_above_its_whole(posts):
    bad = posts.copy()
    bad.loc[3, "engaged_fans"] = bad.loc[3, "followers"] + 1
    with pytest.raises(SchemaError, match=r"row 4 has engaged_fans \d+ above followers \d+"):
        metrics.follower_quality(bad)
    with pytest.raises(SchemaError, match=r"column 'reach_by_fans' is not in the data"):
        metrics.follower_quality(posts.drop(columns="reach_by_fans"))


def test_content_acceptance_against_pandas(posts):
    engaged = posts[["reactions", "comments", "shares"]].sum(axis=1, min_count=1)
    rate = (engaged / posts["reach"]).astype(float)
    table = metrics.content_acceptance(posts, by="content_type").set_index("content_type")
    beats = rate > rate.median()
    hand = beats.groupby(posts["content_type"], observed=True).agg(["sum", "size"])
    assert table["count"].to_dict() == hand["sum"].to_dict()
    assert table["n"].to_dict() == hand["size"].to_dict()
    low, high = proportion_confint(hand.loc["photo", "sum"], hand.loc["photo", "size"],
                                   method="wilson")  # fmt: skip
    assert table.loc["photo", "ci_low"] == pytest.approx(low, rel=1e-12)
    fixed = metrics.content_acceptance(posts, benchmark=0.05, denominator="impressions").iloc[0]
    by_impressions = (engaged / posts["impressions"]).astype(float)
    assert fixed["count"] == int((by_impressions > 0.05).sum())
    assert fixed["benchmark"].startswith("an engagement rate of 0.05")
    with pytest.raises(
        ParameterError,
        match=r"'benchmark' parameter of content_acceptance must be"
        r" one of \['median'\] or a finite number > 0\. Got 'mean' instead",
    ):
        metrics.content_acceptance(posts, benchmark="mean")


def test_search_interest_estimates_and_refusals():
    trends = synth.simulate_search_trends(periods=156, growth=0.01, seed=3)
    table = metrics.search_interest(trends).set_index("term")
    for term, part in trends.groupby("term"):
        values = part.sort_values("period")["interest"].to_numpy()
        assert table.loc[term, "estimate"] == pytest.approx(values.mean(), rel=1e-12)
        slope = np.polyfit(np.arange(len(values)), values, 1)[0]
        assert table.loc[term, "slope"] == pytest.approx(slope, rel=1e-9)
    truth = trends.attrs["truth"]
    rising, falling = (max(truth, key=truth.get), min(truth, key=truth.get))
    assert table.loc[rising, "slope_ci_low"] > 0 and table.loc[falling, "slope_ci_high"] < 0
    # white noise: the HAC interval of the mean is close to the plain t interval
    noise = pd.DataFrame({"term": "x", "period": pd.date_range("2024-01-01", periods=400),
                          "interest": np.random.default_rng(1).uniform(0, 100, 400)})  # fmt: skip
    row = metrics.search_interest(noise).iloc[0]
    plain = stats.t.interval(
        0.95, 399, loc=noise["interest"].mean(), scale=stats.sem(noise["interest"])
    )
    assert (row["ci_high"] - row["ci_low"]) / (plain[1] - plain[0]) == pytest.approx(1, abs=0.2)
    with pytest.raises(SchemaError, match=r"term 'x' has two rows for period 2024-01-01"):
        metrics.search_interest(pd.concat([noise, noise.head(1)]))
    with pytest.raises(SchemaError, match=r"term 'x' has 2 period\(s\); expected at least 3"):
        metrics.search_interest(noise.head(2))


def test_audience_profile_by_hand():
    audience = pd.DataFrame({
        "brand": ["A"] * 4, "channel": ["fb", "fb", "ig", "ig"], "dimension": ["age"] * 4,
        "group": ["young", "old", "young", "old"], "followers": [20, 80, 60, 40],
    })  # fmt: skip
    table = metrics.audience_profile(audience).set_index(["channel", "group"])
    assert table.loc[("fb", "young"), "share"] == pytest.approx(0.2)
    assert table.loc[("fb", "young"), "share_all_channels"] == pytest.approx(80 / 200)
    assert table.loc[("fb", "young"), "index"] == pytest.approx(50.0)
    assert table.loc[("ig", "young"), "index"] == pytest.approx(150.0)
    with pytest.raises(SchemaError, match=r"appears twice; expected one row per group"):
        metrics.audience_profile(pd.concat([audience, audience.head(1)]))
    simulated = synth.simulate_audience(seed=1)
    assert simulated["simulated"].all() and simulated.attrs["simulated"]
    scrm_lab.io.conform(simulated, "audience")  # a valid canonical table


def _resolves(dotted: str) -> bool:
    package, name = dotted.split(".")
    module = importlib.import_module(
        f"scrm_lab.{'engagement.content' if package == 'content' else package}"
    )
    return hasattr(module, name)


def test_every_definition_and_map_entry_names_a_real_function():
    table = metrics.metric_definitions()
    assert table["definition"].is_unique and table["denominator"].str.len().gt(0).all()
    for functions in table["function"]:
        for dotted in re.findall(r"\b(\w+\.\w+)\b", functions):
            assert _resolves(dotted), dotted
    chart = metrics.social_crm_map()
    assert chart.groupby("kind").size().to_dict() == {"5M": 5, "business area": 6}
    notebooks = set(scrm_lab.reports.list_notebooks()["name"])
    for functions, reports in chart[["functions", "notebooks"]].values:
        for dotted in re.findall(r"\b([a-z]+\.[a-z_]+[A-Za-z]*)\b(?!\*)", functions):
            if not dotted.endswith("*"):
                assert _resolves(dotted), dotted
        for report in reports.split(", "):
            assert report in notebooks, report


def test_plot_funnel_draws_each_stage(posts):
    sessions = load_dataset("online_shoppers_intention")
    summary = metrics.funnel_summary(metrics.sales_funnel(sessions))
    ax = plots.plot_funnel(summary)
    assert [t.get_text() for t in ax.get_yticklabels()] == summary["stage"].tolist()
    assert [round(p.get_width()) for p in ax.patches] == summary["sessions"].tolist()
    grouped = metrics.funnel_summary(metrics.sales_funnel(sessions, by="visitor_type"))
    ax = plots.plot_funnel(grouped, hue="visitor_type")
    assert len(ax.get_lines()) == 3 and ax.get_yscale() == "log"
    with pytest.raises(
        ParameterError, match=r"plot_funnel needs the column\(s\) \['visitor_type'\]"
    ):
        plots.plot_funnel(summary, hue="visitor_type")


def test_follower_growth_refuses_a_row_without_a_period():
    data = pd.DataFrame({"brand": ["A", "A"], "period": [1, None], "followers": [10, 12]})
    with pytest.raises(SchemaError, match=r"follower_growth: column 'period' is missing in row 2"):
        metrics.follower_growth(data)
