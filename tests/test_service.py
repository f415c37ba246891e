"""Service threads and levels: hand-made threads, simulator truth, intervals, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.metrics import compare_channels, service_levels, service_threads
from scrm_lab.schema import validate
from scrm_lab.synth import simulate_service_threads

T0 = pd.Timestamp("2024-01-01 10:00", tz="UTC")  # a Monday, inside 9-18


def messages(rows: list[tuple]) -> pd.DataFrame:
    """(id, reply_to, minutes after T0, by brand, channel, sentiment) -> messages table."""
    ids, parents, minutes, brand, channel, mood = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "message_id": pd.array(ids, dtype="str"),
            "brand": pd.array(["acme"] * len(rows), dtype="str"),
            "channel": pd.Categorical(channel),
            "author": pd.array(
                ["acme" if b else f"c_{i}" for i, b in zip(ids, brand, strict=True)], dtype="str"
            ),  # fmt: skip
            "time": (T0 + pd.to_timedelta(minutes, unit="min")).as_unit("ns"),
            "text": pd.array(["hi"] * len(rows), dtype="str"),
            "reply_to": pd.array(parents, dtype="str"),
            "author_is_brand": pd.array(brand, dtype="boolean"),
            "sentiment": pd.Categorical(mood, categories=["negative", "neutral", "positive"]),
        }
    )


@pytest.fixture
def small() -> pd.DataFrame:
    return messages([
        ("a", None, 0, False, "twitter", "negative"),      # answered 10, resolved 10
        ("a1", "a", 10, True, "twitter", None),
        ("b", None, 0, False, "twitter", "positive"),      # answered 90, follow-up, resolved 200
        ("b1", "b", 90, True, "twitter", None),
        ("b2", "b1", 120, False, "twitter", "positive"),
        ("b3", "b2", 200, True, "twitter", None),
        ("c", None, 0, False, "email", "neutral"),         # never answered
        ("d", None, 600, False, "email", "negative"),      # answered 30, customer has last word
        ("d1", "d", 630, True, "email", None),
        ("d2", "d1", 640, False, "email", "negative"),
        ("p", None, 5, True, "email", None),               # the brand's own post: not a thread
        ("z", None, 3000, False, "email", "neutral"),      # 'now': the export ends here
    ])  # fmt: skip


def test_threads_by_hand(small):
    threads = service_threads(small, quiet_hours=24).set_index("thread_id")
    assert list(threads.index) == ["a", "b", "c", "d", "z"]
    assert threads["first_response_minutes"].fillna(-1).tolist() == [10, 90, -1, 30, -1]
    assert threads["answered"].tolist() == [True, True, False, True, False]
    assert threads["follow_ups"].tolist() == [0, 1, 0, 1, 0]
    assert threads["messages"].tolist() == [2, 4, 1, 3, 1]
    # resolved: last word by the brand and 24 h of quiet before the export end (3000 min)
    assert threads["resolved"].tolist() == [True, True, False, False, False]
    assert threads.loc[["a", "b"], "resolution_minutes"].tolist() == [10, 200]
    assert threads["business_hours"].tolist() == [True, True, True, False, True]
    assert threads.loc["c", "observed_minutes"] == 3000


def test_quiet_window_and_as_of(small):
    threads = service_threads(small, quiet_hours=50).set_index("thread_id")
    assert not threads["resolved"].any()  # 2990 minutes of quiet < 50 h
    later = service_threads(small, quiet_hours=50, as_of="2024-01-10").set_index("thread_id")
    assert later.loc[["a", "b"], "resolved"].all()


def test_business_hours_follow_the_timezone(small):
    # 10:00 UTC is 19:00 in Tokyo: off hours there
    threads = service_threads(small, timezone="Asia/Tokyo")
    assert not threads.loc[threads["thread_id"] == "a", "business_hours"].item()


def test_brand_authors_replace_the_flag(small):
    data = small.drop(columns="author_is_brand")
    threads = service_threads(data, brand_authors=["acme"])
    assert threads["answered"].sum() == 3


def test_levels_by_hand_and_censoring(small):
    threads = service_threads(small)
    levels = service_levels(threads, by="channel", sla_minutes=60).set_index("channel")
    tw, em = levels.loc["twitter"], levels.loc["email"]
    assert (tw["n"], tw["answered"], tw["within_sla"], tw["sla_n"]) == (2, 2, 1, 2)
    assert tw["median_first_response_minutes"] == 50  # median of 10 and 90
    # email: c unanswered (a miss), d answered in 30, z unanswered but open < 60 min: undecided
    assert (em["n"], em["answered"], em["sla_n"], em["within_sla"]) == (3, 1, 2, 1)
    assert em["sla_share"] == 0.5
    assert em["median_first_response_minutes"] == 30  # unanswered threads are not zeros
    assert np.isnan(em["median_resolution_minutes"]) and em["resolved"] == 0
    overall = service_levels(threads, by="all").iloc[0]
    assert overall["answered_share"] == 3 / 5


def test_intervals_match_statsmodels_and_scipy():
    sim = simulate_service_threads(300, seed=4)
    threads = service_threads(sim.messages)
    row = service_levels(threads, by="all", sla_minutes=120, alpha=0.1).iloc[0]
    low, high = proportion_confint(row["within_sla"], row["sla_n"], alpha=0.1, method="wilson")
    assert (row["sla_ci_low"], row["sla_ci_high"]) == pytest.approx((low, high))
    delays = np.sort(threads["first_response_minutes"].dropna().to_numpy())
    n = delays.size
    k = int(stats.binom.ppf(0.05, n, 0.5))  # the largest k with P(B <= k - 1) <= alpha / 2
    assert row["median_ci_low"] == pytest.approx(delays[k - 1])
    assert row["median_ci_high"] == pytest.approx(delays[n - k])
    assert row["median_first_response_minutes"] == pytest.approx(np.median(delays))


def test_simulator_validates_and_its_truth_is_recovered():
    sim = simulate_service_threads(20000, seed=1)
    validate(sim.messages, "messages")
    threads = service_threads(sim.messages)
    for by in ("channel", "business_hours", "sentiment"):
        levels = service_levels(threads, by=by, sla_minutes=60).set_index(by)
        for group, true in sim.truth["median_first_response"][by].items():
            assert levels.loc[group, "median_first_response_minutes"] == pytest.approx(
                true, rel=0.06
            )
        true_sla = sim.true_levels(by=by, sla_minutes=60).set_index(by)["sla_share"]
        assert np.allclose(levels["sla_share"], true_sla.reindex(levels.index), atol=0.02)
    assert threads["answered"].mean() == pytest.approx(sim.truth["answered_share"], abs=0.01)
    assert threads["resolved"].mean() == pytest.approx(sim.truth["resolved_share"], abs=0.015)


def test_too_few_threads_refused():
    with pytest.raises(ParameterError, match="'n_threads' parameter .* >= 1. Got 0"):
        simulate_service_threads(0)


def test_same_seed_same_threads():
    a, b = simulate_service_threads(50, seed=2), simulate_service_threads(50, seed=2)
    pd.testing.assert_frame_equal(a.messages, b.messages)


def test_compare_channels_against_scipy():
    threads = service_threads(simulate_service_threads(600, seed=5).messages)
    row = compare_channels(threads, fast="twitter", slow=["email", "instagram"]).iloc[0]
    x = threads.loc[threads["channel"] == "twitter", "first_response_minutes"].dropna()
    y = threads.loc[threads["channel"].isin(["email", "instagram"]), "first_response_minutes"]
    y = y.dropna()
    u, p = stats.mannwhitneyu(y, x, alternative="two-sided")
    assert (row["statistic"], row["p_value"]) == pytest.approx((u, p))
    assert row["estimate"] == pytest.approx(y.median() - x.median())
    assert row["ci_low"] < row["estimate"] < row["ci_high"]
    assert row["effect_size"] == pytest.approx(u / (len(x) * len(y)))
    default = compare_channels(threads).iloc[0]
    assert (default["fast"], default["slow"]) == ("twitter", "email")


def test_compare_channels_old_metric_keyword_and_clear():
    threads = service_threads(simulate_service_threads(600, seed=5).messages)
    new = compare_channels(threads, value="resolution_minutes")
    with pytest.warns(FutureWarning, match=r"'metric' parameter of compare_channels .* value="):
        old = compare_channels(threads, metric="resolution_minutes")
    pd.testing.assert_frame_equal(old, new)
    row = new.iloc[0]
    assert new.columns[-1] == "clear"
    assert row["clear"] == (row["ci_low"] > 0 or row["ci_high"] < 0)


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        (lambda m: m.assign(reply_to=m["reply_to"].mask(m["message_id"] == "a1", "nope")),
         SchemaError, "row 2 has value 'nope', which is not a message_id"),
        (lambda m: m.assign(time=m["time"].mask(m["message_id"] == "a1", T0 - pd.Timedelta(1))),
         SchemaError, "before the message it replies to"),
        (lambda m: m.assign(author_is_brand=m["author_is_brand"].mask(m.index == 3)),
         SchemaError, "'author_is_brand': row 4 is missing"),
        (lambda m: m.drop(columns="reply_to"), SchemaError, "column 'reply_to' is not in"),
    ],
)  # fmt: skip
def test_bad_messages_are_refused(small, change, error, match):
    with pytest.raises(error, match=match):
        service_threads(change(small))


def test_reply_cycle_is_refused(small):
    cyc = small.assign(reply_to=small["reply_to"].mask(small["message_id"] == "c", "c"))
    with pytest.raises(SchemaError, match="reply cycle"):
        service_threads(cyc)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"timezone": "Mars/Base"}, "'timezone' parameter of service_threads"),
        ({"business_hours": (18, 9)}, "'business_hours' parameter .* Got \\(18, 9\\)"),
        ({"quiet_hours": -1}, "'quiet_hours' parameter .* >= 0. Got -1"),
        ({"as_of": "2023-01-01"}, "'as_of' parameter .* at or after the last message"),
        ({"brand_authors": "acme"}, "'brand_authors' parameter .* list of author handles"),
    ],
)
def test_bad_thread_parameters(small, kwargs, match):
    with pytest.raises(ParameterError, match=match):
        service_threads(small, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"sla_minutes": -5}, "'sla_minutes' parameter of service_levels .* > 0. Got -5"),
        ({"by": "chanel"}, "'by' parameter .* Got 'chanel' instead. Did you mean 'channel'"),
        ({"alpha": 1.5}, "'alpha' parameter .* strictly between 0 and 1. Got 1.5"),
    ],
)
def test_bad_level_parameters(small, kwargs, match):
    with pytest.raises(ParameterError, match=match):
        service_levels(service_threads(small), **kwargs)


def test_bad_comparisons(small):
    threads = service_threads(small)
    with pytest.raises(ParameterError, match="'fast' parameter .* Got 'twiter'.*'twitter'"):
        compare_channels(threads, fast="twiter")
    with pytest.raises(ParameterError, match="must name different channels"):
        compare_channels(threads, fast="email", slow="email")
    with pytest.raises(ParameterError, match="'value' parameter of compare_channels .* 'speed'"):
        compare_channels(threads, value="speed")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"channels": ("twitter", "fax")}, "'response_minutes' parameter"),
        ({"unanswered_share": 1.0}, "'unanswered_share' parameter .* \\[0, 1\\). Got 1.0"),
        ({"response_minutes": {"twitter": 1}}, "exactly the keys"),
        ({"business_hours": (9, 25)}, "'business_hours' parameter of simulate_service_threads"),
    ],
)
def test_bad_simulation_parameters(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        simulate_service_threads(10, **kwargs)


# ------------------------------------------------------------------------------ report


def test_report_levels_groupings_and_truth(small):
    from scrm_lab.service import report_levels

    threads = service_threads(small)
    tables = report_levels(threads, sla_minutes=60)
    assert list(tables) == ["channel", "business_hours", "sentiment"]
    pd.testing.assert_frame_equal(tables["channel"], service_levels(threads, by="channel"))
    unlabelled = threads.assign(sentiment=pd.NA)
    assert list(report_levels(unlabelled)) == ["channel", "business_hours"]
    sim = simulate_service_threads(400, seed=1)
    compared = report_levels(service_threads(sim.messages), truth=sim)
    assert {"true_median", "true_sla_share"} <= set(compared["channel"].columns)


def test_data_sentences_name_the_source(small):
    from scrm_lab.service import data_sentences

    threads = service_threads(small)
    (simulated,) = data_sentences(small, threads)
    assert simulated.startswith(
        "**SIMULATED** threads (scrm_lab.synth): the true values are known and shown beside the "
        "estimates: 12 messages in 5 customer threads on 2 channels, 2024-01-01 to 2024-01-03."
    )
    assert data_sentences(small, threads, path="x.csv")[0].startswith("your file `x.csv`: 12")


def test_channel_sentences_by_hand(small):
    from scrm_lab.service import channel_sentences

    levels = service_levels(service_threads(small), by="channel", alpha=0.1)
    (text,) = channel_sentences(levels, alpha=0.1)
    # email's median is 30 (d: one answered thread, too few for an interval), twitter's 50
    assert text.startswith(
        "`email` is answered fastest (median 30 minutes, too few answered threads for a 90% "
        "interval)"
    )
    assert "`twitter` slowest (50 minutes)." in text
    with pytest.raises(SchemaError, match=r"channel_sentences: column 'channel' is not in"):
        channel_sentences(levels.drop(columns="channel"))


def test_hours_sentences_ratio_by_hand(small):
    from scrm_lab.service import hours_sentences

    levels = service_levels(service_threads(small), by="business_hours")
    # off hours: d (30 minutes); business hours: a and b (median of 10 and 90 = 50)
    assert hours_sentences(levels) == [
        "Off hours the median first response is **0.6 times** the business-hours median."
    ]
    assert hours_sentences(levels[levels["business_hours"]]) == [
        "Every thread opened in business hours: there is nothing to compare between business "
        "hours and off hours."
    ]
    with pytest.raises(SchemaError, match=r"hours_sentences: column 'business_hours' is not"):
        hours_sentences(levels.drop(columns="business_hours"))


def test_sla_sentences_by_hand(small):
    from scrm_lab.service import sla_sentences

    overall = service_levels(service_threads(small), by="all", sla_minutes=60)
    # decided: a (10, in), b (90, miss), c (unanswered, miss), d (30, in); z open < 60 min
    low, high = proportion_confint(2, 4, alpha=0.05, method="wilson")
    assert sla_sentences(overall, sla_minutes=60, quiet_hours=24) == [
        f"**50.0%** of threads got a first reply within 60 minutes (95% CI {low:.1%} to "
        f"{high:.1%}; 4 threads whose outcome is known). 60.0% were answered at all and 40.0% "
        "resolved (the brand had the last word and the customer stayed quiet for 24 hours)."
    ]


@pytest.mark.parametrize(("p", "words"), [(0.0004, "p < 0.001"), (0.001, "p = 0.001"),
                                          (0.01, "p = 0.01"), (0.2, "p = 0.20")])  # fmt: skip
def test_gap_sentences_by_hand(p, words):
    from scrm_lab.service import gap_sentences

    row = {"fast": "twitter", "slow": "email", "estimate": 120.4, "ci_low": 60.6,
           "ci_high": 180.2, "p_value": p, "effect_size": 0.75}  # fmt: skip
    gap = pd.DataFrame([row])
    assert gap_sentences(gap, alpha=0.1) == [
        f"Threads on `email` wait **120 minutes** longer at the median than on `twitter` (90% "
        f"CI 61 to 180; {words}); a `email` thread waits longer than a `twitter` one 75% of "
        "the time."
    ]


def test_first_threads_and_key_results_by_hand(small):
    from scrm_lab.service import OVERALL_COLUMNS, first_threads, key_results

    threads = service_threads(small)
    first = first_threads(threads, n=2)
    assert first["thread_id"].tolist() == ["a", "b"]
    assert first["opened_at"].tolist() == ["2024-01-01 10:00", "2024-01-01 10:00"]
    overall = service_levels(threads, by="all")
    assert set(OVERALL_COLUMNS) <= set(overall.columns)
    gap = pd.DataFrame([{"fast": "email", "slow": "twitter", "estimate": 20.0}])
    assert key_results(threads, overall, gap, simulated=True) == {
        "threads": 5,
        "answered_share": 0.6,
        "sla_share": 0.5,
        "median_first_response_minutes": 30.0,  # median of 10, 30 and 90
        "fast_channel": "email",
        "slow_channel": "twitter",
        "median_gap_minutes": 20.0,
        "simulated": True,
    }
    with pytest.raises(SchemaError, match=r"first_threads: column 'resolved' is not in"):
        first_threads(threads.drop(columns="resolved"))
