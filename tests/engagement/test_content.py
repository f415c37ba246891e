"""Tests of scrm_lab.content: per-post rates, top posts, group means, paid vs organic, Moro."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.weightstats import DescrStatsW

from scrm_lab.content import (
    input_importance,
    moro_headline,
    moro_verdict,
    paid_vs_organic,
    performance_by,
    post_performance,
    top_posts,
)
from scrm_lab.datasets import load_dataset
from scrm_lab.exceptions import ParameterError, SchemaError


@pytest.fixture
def posts() -> pd.DataFrame:
    """Six posts, rates computed by hand: (reactions + comments + shares) / reach."""
    return pd.DataFrame(
        {
            "post_id": ["a", "b", "c", "d", "e", "f"],
            "brand": "shop",
            "channel": "facebook",
            "content_type": ["photo", "photo", "video", "video", "status", "photo"],
            "paid": pd.array([True, False, True, False, False, True], dtype="boolean"),
            "post_hour": [9, 9, 20, 20, 9, 20],
            "post_weekday": [1, 2, 1, 2, 1, 2],
            "reach": pd.array([100, 200, 50, 400, 10, 100], dtype="Int64"),
            "reactions": pd.array([5, 10, 8, 20, 1, 3], dtype="Int64"),
            "comments": pd.array([3, 0, 1, 10, 0, 1], dtype="Int64"),
            "shares": pd.array([2, 10, 1, 10, 1, 1], dtype="Int64"),
        }
    )


@pytest.fixture(scope="module")
def metrics() -> pd.DataFrame:
    return load_dataset("facebook_metrics")


@pytest.fixture(scope="module")
def claims(metrics) -> pd.DataFrame:
    return moro_headline(metrics, n_boot=1000, n_boot_importance=150)


# ------------------------------------------------------------------------ post_performance


def test_post_performance_rates_by_hand(posts):
    out = post_performance(posts, denominator="reach").set_index("post_id")
    expected = {"a": 10 / 100, "b": 20 / 200, "c": 10 / 50, "d": 40 / 400, "e": 2 / 10,
                "f": 5 / 100}  # fmt: skip
    assert out["engagement_rate"].to_dict() == pytest.approx(expected)
    assert set(out["denominator"]) == {"reach"}
    assert out.loc["c", ["content_type", "hour", "weekday"]].tolist() == ["video", 20, 1]
    assert bool(out.loc["b", "paid"]) is False


def test_post_performance_without_denominator_counts_and_time_attributes():
    times = pd.to_datetime(["2024-01-01 08:30", "2024-01-06 23:10"]).tz_localize("UTC")
    data = pd.DataFrame({"post_id": ["x", "y"], "brand": "b", "channel": "facebook",
                         "time": times, "reactions": [3, 4], "comments": [1, None],
                         "shares": [0, 2]})  # fmt: skip
    out = post_performance(data, denominator=None)
    assert out["engagements"].tolist() == [4, 6]
    assert out["counts_missing"].tolist() == [0, 1]
    assert out["hour"].tolist() == [8, 23]
    assert out["weekday"].tolist() == [1, 6]  # 2024-01-01 is a Monday, ISO 1
    assert "engagement_rate" not in out


def test_post_performance_on_both_shipped_data_sets(metrics):
    perf = post_performance(metrics, denominator="impressions")
    assert len(perf) == 500
    assert perf["content_type"].value_counts().to_dict() == {
        "photo": 426, "status": 45, "link": 22, "video": 7}  # fmt: skip
    sellers = post_performance(load_dataset("facebook_live_sellers"), denominator=None)
    assert len(sellers) == 6997
    assert sellers["content_type"].value_counts().to_dict() == {
        "photo": 4242, "video": 2333, "status": 359, "link": 63}  # fmt: skip


def test_post_performance_refuses_bad_input(posts):
    with pytest.raises(ParameterError, match=r"'denominator' parameter .* Did you mean 'reach'"):
        post_performance(posts, denominator="reech")
    with pytest.raises(SchemaError, match=r"no column 'followers' \(the denominator\)"):
        post_performance(posts, denominator="followers")
    with pytest.raises(SchemaError, match=r"column 'shares' is not in the data"):
        post_performance(posts.drop(columns="shares"))
    with pytest.raises(SchemaError, match=r"'post_id' has 1 repeated post id\(s\), e.g. 'a'"):
        post_performance(pd.concat([posts, posts.head(1)]))


# ------------------------------------------------------------------------------ top_posts


def test_top_posts_ranks_with_ties(posts):
    perf = post_performance(posts)
    top = top_posts(perf, n=3, by="engagement_rate")
    assert top["post_id"].tolist() == ["c", "e", "a"]
    assert top["rank"].tolist() == [1, 1, 3]


def test_top_posts_refuses_bad_input(posts):
    perf = post_performance(posts)
    with pytest.raises(ParameterError, match=r"'n' parameter of top_posts must be an integer"):
        top_posts(perf, n=0)
    with pytest.raises(SchemaError, match=r"Did you mean 'engagements'"):
        top_posts(perf, by="engagement")
    with pytest.raises(SchemaError, match=r"column 'brand' has dtype str; expected numbers"):
        top_posts(perf, by="brand")


# -------------------------------------------------------------------------- performance_by


def test_performance_by_means_and_t_interval_match_statsmodels(posts):
    perf = post_performance(posts)
    out = performance_by(perf, group="content_type", ci_method="t", alpha=0.1).set_index(
        "content_type"
    )
    photo = np.array([0.1, 0.1, 0.05])
    assert out.loc["photo", "n"] == 3 and out.loc["photo", "share"] == pytest.approx(0.5)
    assert out.loc["photo", "estimate"] == pytest.approx(photo.mean())
    low, high = DescrStatsW(photo).tconfint_mean(alpha=0.1)
    assert (out.loc["photo", "ci_low"], out.loc["photo", "ci_high"]) == pytest.approx((low, high))
    assert np.isnan(out.loc["status", "ci_low"])  # one post: no interval


def test_performance_by_bootstrap_close_to_a_plain_percentile_bootstrap(metrics):
    perf = post_performance(metrics)
    out = performance_by(perf, group="paid", n_boot=4000).set_index("paid")
    assert out["n"].to_dict() == {"organic": 360, "paid": 139}
    values = perf.loc[perf["paid"] == True, "engagement_rate"].to_numpy(dtype=float)  # noqa: E712
    rng = np.random.default_rng(1)
    means = values[rng.integers(0, len(values), (4000, len(values)))].mean(axis=1)
    low, high = np.quantile(means, [0.025, 0.975])
    assert out.loc["paid", "ci_low"] == pytest.approx(low, rel=0.02)
    assert out.loc["paid", "ci_high"] == pytest.approx(high, rel=0.02)
    assert out.loc["paid", "median"] == pytest.approx(np.median(values))


def test_performance_by_same_seed_same_intervals(posts):
    perf = post_performance(posts)
    first = performance_by(perf, group="hour", seed=3)
    pd.testing.assert_frame_equal(first, performance_by(perf, group="hour", seed=3))
    assert first["hour"].tolist() == [9, 20]


def test_the_old_group_key_type_warns_and_means_content_type(posts):
    perf = post_performance(posts)
    with pytest.warns(FutureWarning, match=r"Use group='content_type'") as caught:
        old = performance_by(perf, group="type", ci_method="t")
    assert caught[0].filename == __file__
    pd.testing.assert_frame_equal(old, performance_by(perf, group="content_type", ci_method="t"))


def test_performance_by_refuses_bad_input(posts):
    perf = post_performance(posts)
    with pytest.raises(
        SchemaError,
        match=r"column 'content_typ' is not in the data.*"
        r"Did you mean 'content_type'",
    ):
        performance_by(perf, group="content_typ")
    with pytest.raises(
        ParameterError, match=r"'group' parameter of performance_by must be a column"
    ):
        performance_by(perf, group="")
    with pytest.raises(ParameterError, match=r"'alpha' parameter .* in \(0, 0.5\]. Got 0.7"):
        performance_by(perf, alpha=0.7)
    with pytest.raises(ParameterError, match=r"'n_boot' parameter .* >= 100. Got 10"):
        performance_by(perf, n_boot=10)
    with pytest.raises(SchemaError, match=r"column 'weekday' is not in the data"):
        performance_by(perf.drop(columns="weekday"), group="weekday")
    with pytest.raises(SchemaError, match=r"Did you mean 'engagement_rate'"):
        performance_by(perf, value="engagement_rat")


# ------------------------------------------------------------------------- paid vs organic


def test_paid_vs_organic_raw_gap_is_the_difference_of_means(posts):
    perf = post_performance(posts)
    gap = paid_vs_organic(perf, controls=())
    paid = perf.loc[perf["paid"] == True, "engagement_rate"]  # noqa: E712
    organic = perf.loc[perf["paid"] == False, "engagement_rate"]  # noqa: E712
    assert gap["term"].tolist() == ["paid - organic"]
    assert gap.loc[0, "estimate"] == pytest.approx(paid.mean() - organic.mean())


def test_paid_vs_organic_on_facebook_metrics(metrics):
    gap = paid_vs_organic(post_performance(metrics))
    raw = gap.set_index("model").loc["raw"]
    assert raw["n"] == 499
    assert raw["estimate"] == pytest.approx(-0.002469, abs=1e-6)
    assert raw["ci_low"] < 0 < raw["ci_high"]  # no clear difference
    assert not raw["clear"]
    assert gap.columns[-1] == "clear"


def test_performance_by_old_metric_keyword_warns_and_agrees(posts):
    perf = post_performance(posts)
    new = performance_by(perf, value="engagements", n_boot=200)
    with pytest.warns(FutureWarning, match=r"'metric' parameter of performance_by .* value="):
        old = performance_by(perf, metric="engagements", n_boot=200)
    pd.testing.assert_frame_equal(old, new)


def test_paid_vs_organic_old_metric_keyword_warns_and_agrees(posts):
    perf = post_performance(posts)
    new = paid_vs_organic(perf, value="engagements")
    with pytest.warns(FutureWarning, match=r"'metric' parameter of paid_vs_organic .* value="):
        old = paid_vs_organic(perf, metric="engagements")
    pd.testing.assert_frame_equal(old, new)


def test_paid_vs_organic_refuses_data_without_paid():
    sellers = post_performance(load_dataset("facebook_live_sellers"), denominator=None)
    with pytest.raises(SchemaError, match=r"paid_vs_organic: column 'paid' is not in the data"):
        paid_vs_organic(sellers, value="engagements")


# ------------------------------------------------------------------------------ Moro et al.


def test_input_importance_old_outcome_keyword_warns_and_agrees(metrics):
    new = input_importance(metrics, y="engaged_users", n_boot=100)
    with pytest.warns(FutureWarning, match=r"'outcome' parameter of input_importance .* y="):
        old = input_importance(metrics, outcome="engaged_users", n_boot=100)
    pd.testing.assert_frame_equal(old, new)
    assert "log(engaged_users)" in new.loc[0, "method"]


def test_input_importance_shares_add_to_one_and_match_r_squared(metrics):
    shares = input_importance(metrics, n_boot=100)
    assert shares["estimate"].sum() == pytest.approx(1)
    assert shares["input"].iloc[0] == "content_type"
    assert shares["estimate"].iloc[0] == pytest.approx(0.4656, abs=1e-4)
    assert shares["n"].iloc[0] == 499  # one post has no Paid
    # the full model's R^2, independently with statsmodels
    import statsmodels.formula.api as smf

    data = metrics.dropna(subset=["paid"]).assign(
        y=np.log(metrics["consumers"].astype(float)),
        lf=np.log(metrics["followers"].astype(float)),
        paid=lambda d: d["paid"].astype(bool),
    )
    formula = ("y ~ lf + C(content_type) + C(category) + C(post_month) + C(post_weekday)"
               " + C(post_hour) + C(paid)")  # fmt: skip
    assert shares["r_squared"].iloc[0] == pytest.approx(smf.ols(formula, data).fit().rsquared)


def test_moro_headline_pinned_findings(claims):
    table = claims.set_index("claim")
    assert list(claims.columns) == ["claim", "outcome", "published", "found", "n", "estimate",
                                    "ci_low", "ci_high", "holds", "method", "note"]  # fmt: skip
    assert table.loc["type_most_relevant", "holds"] == "partly"
    consumers = table.loc["status_twice_consumers"]
    assert consumers["estimate"] == pytest.approx(2.84624, rel=1e-5)
    assert 2 < consumers["ci_low"] < consumers["estimate"] < consumers["ci_high"]
    assert consumers["holds"] == "partly"
    assert table.loc["status_twice_interactions", "holds"] is False
    rate = table.loc["status_twice_interactions_per_reach"]
    assert rate["estimate"] == pytest.approx(0.6377, abs=1e-4) and rate["ci_high"] < 1


def test_moro_status_ratio_interval_matches_scipy_percentile(metrics, claims):
    status = metrics["content_type"].astype(str) == "status"
    a = metrics.loc[status, "consumers"].to_numpy(float)
    b = metrics.loc[~status, "consumers"].to_numpy(float)
    assert a.mean() / b.mean() == pytest.approx(2.84624, rel=1e-5)
    check = stats.bootstrap((a, b), lambda x, y, axis: x.mean(axis) / y.mean(axis),
                            n_resamples=3000, method="percentile", vectorized=True,
                            rng=np.random.default_rng(7)).confidence_interval  # fmt: skip
    row = claims.set_index("claim").loc["status_twice_consumers"]
    assert row["ci_low"] == pytest.approx(check.low, rel=0.05)
    assert row["ci_high"] == pytest.approx(check.high, rel=0.05)


def test_moro_headline_refuses_other_tables(posts):
    with pytest.raises(SchemaError, match=r"moro_headline: column 'consumers' is not in the"):
        moro_headline(posts)
    with pytest.raises(ParameterError, match=r"'n_boot' parameter of moro_headline"):
        moro_headline(load_dataset("facebook_metrics"), n_boot=5)


@pytest.mark.parametrize(
    ("low", "high", "words"),
    [
        (2.25, 3.54, "more than twice the attention of other posts"),
        (1.6, 2.4, "about twice the attention of other posts, as published"),
        (1.2, 1.8, "more attention than other posts, but less than twice"),
        (0.77, 1.38, "no clearly different attention"),
        (0.54, 0.75, "less attention than other posts"),
    ],
)
def test_moro_verdict_words_follow_the_interval(low, high, words):
    claims = pd.DataFrame(
        {
            "claim": ["status_twice_engaged_users"],
            "found": [""],
            "estimate": [(low + high) / 2],
            "ci_low": [low],
            "ci_high": [high],
            "holds": [False],
        }
    )
    (line,) = moro_verdict(claims)
    assert line.startswith(f"On engaged users status posts get {words}:")
    assert f"(CI {low:.2f} to {high:.2f})" in line


# ---------------------------------------------------------------------------- wording


def test_measure_sentences_rate_and_counts(posts):
    from scrm_lab.engagement.content import measure_sentences, performance_measure

    rated = post_performance(posts, denominator="reach")
    assert performance_measure(rated) == "engagement_rate"
    assert measure_sentences(rated, denominator="reach") == [
        "**Engagement rate = (reactions + comments + shares) / reach**, one value per post. "
        "6 posts; the rate is missing for 0 of them."
    ]
    counts = post_performance(posts.drop(columns="reach"), denominator=None)
    assert performance_measure(counts) == "engagements"
    (text,) = measure_sentences(counts, denominator="followers", dataset="sellers")
    assert text.startswith("`sellers` has no reach, impressions or follower counts, so no rate")
    assert text.endswith("6 posts from 1 sellers.")


def test_measure_sentences_counts_missing_rates():
    from scrm_lab.engagement.content import measure_sentences

    table = pd.DataFrame({"brand": ["a", "a", "b"], "engagement_rate": [0.1, np.nan, np.nan]})
    assert "3 posts; the rate is missing for 2 of them." in measure_sentences(table)[0]


def test_best_group_and_type_sentences_by_hand():
    from scrm_lab.engagement.content import TIMING_NOTES, best_group, type_sentences

    by_type = pd.DataFrame(
        {
            "content_type": ["link", "photo", "video"],
            "n": [3, 10, 4],
            "estimate": [0.5, 0.75, 0.75],  # a tie: the first of the two is the best
            "ci_low": [0.25, 0.123456, 0.1],
            "ci_high": [0.9, 1.5, 2.0],
        }
    )
    assert best_group(by_type)["content_type"] == "photo"
    assert type_sentences(by_type, value="engagements", alpha=0.1) == [
        "**photo** posts have the highest mean engagements (0.75, 90% CI 0.1235 to 1.5, n = 10)."
    ]
    with_note = type_sentences(by_type, dataset="facebook_live_sellers")
    assert with_note[1] == TIMING_NOTES["facebook_live_sellers"]
    assert "which day is 1" in type_sentences(by_type, dataset="facebook_metrics")[1]
    assert len(type_sentences(by_type, dataset="my_export")) == 1


def test_best_group_refuses_a_table_without_estimates():
    from scrm_lab.engagement.content import best_group

    with pytest.raises(SchemaError, match=r"best_group: column 'estimate' is not in the data"):
        best_group(pd.DataFrame({"n": [1]}))


@pytest.mark.parametrize(
    ("clear", "words"), [(True, "a clear difference."), (False, "no clear difference.")]
)
def test_paid_sentences_follow_the_clear_column(clear, words):
    from scrm_lab.engagement.content import paid_sentences

    gap = pd.DataFrame({"estimate": [0.0125, 9.0], "ci_low": [0.0, 1.0],
                        "ci_high": [0.025, 2.0], "clear": [clear, not clear]})  # fmt: skip
    assert paid_sentences(gap) == [f"Paid minus organic: +0.0125 (95% CI 0 to 0.025): {words}"]


def test_paid_sentences_on_the_hand_computed_gap(posts):
    from scrm_lab.engagement.content import paid_sentences

    performance = post_performance(posts, denominator="reach")
    rate = performance.set_index("post_id")["engagement_rate"]
    paid = rate[["a", "c", "f"]].mean() - rate[["b", "d", "e"]].mean()
    (text,) = paid_sentences(paid_vs_organic(performance), alpha=0.05)
    assert text.startswith(f"Paid minus organic: {paid:+.4g} (95% CI ")
    assert paid_sentences(None, dataset="sellers") == [
        "`sellers` does not say which posts were promoted, so this is skipped."
    ]


def test_key_results_by_hand(posts):
    from scrm_lab.engagement.content import key_results

    performance = post_performance(posts, denominator="reach")
    by_type = pd.DataFrame({"content_type": ["photo", "video"], "n": [3, 2],
                            "estimate": [0.2, 0.1], "ci_low": 0.0, "ci_high": 1.0})  # fmt: skip
    gap = pd.DataFrame({"estimate": [0.05, 0.04]})
    claims = pd.DataFrame({"claim": ["status_twice_consumers", "type_most_relevant"],
                           "estimate": [1.5, 0.3], "holds": ["no", "yes"]})  # fmt: skip
    assert key_results(performance, by_type) == {
        "n_posts": 6, "metric": "engagement_rate", "best_type": "photo", "best_type_mean": 0.2,
    }  # fmt: skip
    both = key_results(performance, by_type, gap, claims)
    assert (both["paid_minus_organic"], both["status_ratio_consumers"]) == (0.05, 1.5)
    assert both["type_most_relevant_holds"] == "yes"
