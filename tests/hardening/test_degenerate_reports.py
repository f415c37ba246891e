"""Degenerate but valid inputs: every report succeeds and says what there is (issue 12).

A user's file with no burst of negative mentions, one brand, no sentiment labels, no brand
replies or one channel; a panel of two tickers; a breadth cut that leaves no Wallflowers; a
graph without edges. Each report run here (a kernel each, so few of them, grouped) must
succeed, record its key results and say plainly what cannot be shown. The library functions
the notebooks call are checked in-process on the same kinds of input, with expected values
from first principles or an independent implementation (statsmodels, scipy, networkx).
The input files are slices of the shipped data made in the test, never files in datasets/.
"""

from __future__ import annotations

import dataclasses
import re
from html import unescape
from importlib.resources import files

import matplotlib
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from scrm_lab import listening, network, plots, service
from scrm_lab.exceptions import ParameterError, SchemaError
from scrm_lab.reports import run_batch, run_report
from scrm_lab.studies import engagement_revenue as er
from scrm_lab.studies import engagementdb_2009 as edb
from scrm_lab.synth import simulate_service_threads

matplotlib.use("Agg")

LABELS = ["negative", "neutral", "positive"]


def page_text(html_path) -> str:
    """The report page as plain text (tags dropped, entities decoded, spaces collapsed);
    no missing value is read out as "nan" anywhere on it."""
    html = html_path.read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    assert not re.search(r"\bnan\b", text, re.IGNORECASE), "a NaN is shown as a finding"
    return text


def hours_spanned(times: pd.Series) -> int:
    """UTC hours from the first message's hour to the last one's, both included."""
    first, last = times.min().floor("h"), times.max().floor("h")
    return int((last - first) / pd.Timedelta(hours=1)) + 1


@pytest.fixture(scope="module")
def quiet(tweets) -> pd.DataFrame:
    """Two airlines over two days: negative mentions, but no burst of them."""
    days = tweets["time"].dt.strftime("%Y-%m-%d").isin(["2015-02-23", "2015-02-24"])
    return tweets[days & tweets["brand"].isin(["Delta", "Virgin America"])].reset_index(drop=True)


@pytest.fixture(scope="module")
def unlabelled(tweets) -> pd.DataFrame:
    """One airline on one day, exported without sentiment labels."""
    day = tweets["time"].dt.strftime("%Y-%m-%d") == "2015-02-22"
    one = tweets[day & (tweets["brand"] == "Virgin America")]
    return one.drop(columns=["sentiment"]).reset_index(drop=True)


# ------------------------------------------------------------------------------ report runs


def test_listening_reports_on_a_quiet_export_and_an_unlabelled_one_brand_export(
    tmp_path, quiet, unlabelled
):
    quiet.to_csv(tmp_path / "quiet.csv", index=False)
    unlabelled.to_csv(tmp_path / "unlabelled.csv", index=False)
    grid = {"parameters": {"evaluate_sentiment": False},  # the model's evaluation: elsewhere
            "runs": [{"path": str(tmp_path / "quiet.csv")},
                     {"path": str(tmp_path / "unlabelled.csv")}]}  # fmt: skip
    batch = run_batch("social_listening", grid, workers=2, output_dir=tmp_path / "reports")
    assert batch.n_failed == 0, batch.summary["error"].tolist()
    first, second = batch.summary.to_dict("records")
    # the case: negative mentions, none of them in a burst
    assert first["result_spikes"] == 0 and first["result_messages"] == len(quiet)
    tested = hours_spanned(quiet["time"]) - 24  # the first 24 hours are the first baseline
    text = page_text(tmp_path / "reports" / first["html"])
    assert f"No spike of negative mentions: none of the {tested} hours tested exceeded" in text
    assert "Spikes: No spike of negative mentions" in text  # the summary says it too
    # one brand, no labels: nothing about sentiment is claimed
    text = page_text(tmp_path / "reports" / second["html"])
    assert "Only one brand (Virgin America): its share of voice is 100% by definition" in text
    assert "Sentiment: none: the data carry no sentiment labels" in text
    assert "No positive or negative messages: net sentiment cannot be computed" in text
    assert "No negative mentions in the data: there is no burst to look for." in text
    assert "Share of voice: only one brand (Virgin America), so no comparison." in text
    assert pd.isna(second["result_lowest_net_sentiment"])


def test_service_report_on_a_reply_less_one_channel_export(tmp_path, tweets):
    """The airline tweets are customer messages only: no brand ever replies."""
    export = tmp_path / "mentions.csv"
    tweets.head(1500).to_csv(export, index=False)
    run = run_report("social_customer_service", {"path": str(export)}, output_dir=tmp_path)
    assert run.results["threads"] == 1500 and run.results["answered_share"] == 0.0
    assert run.results["median_first_response_minutes"] is None
    assert run.results["fast_channel"] is None and run.results["median_gap_minutes"] is None
    text = page_text(run.html)
    assert "1,500 customer threads on 1 channel," in text
    assert "No replies in the data: no thread has a brand message, so response-time" in text
    assert "No thread was answered on any channel: response times cannot be computed." in text
    assert "No thread was answered, so no channels can be compared." in text


def test_reproduction_at_breadth_cut_1_has_no_wallflowers(tmp_path):
    run = run_report("reproduce_engagementdb_2009", {"breadth_cut": 1}, output_dir=tmp_path)
    assert run.results["raw_gap"] is None and run.results["share_explained"] is None
    assert run.results["real_brand_value_gap"] is not None  # the published profiles remain
    text = page_text(run.html)
    assert "0 Selectives, 0 Wallflowers" in text
    assert (
        "No Maven - Wallflower gap: with breadth cut 1 and the regression rule there are no "
        "Wallflowers, so the two cannot be compared." in text
    )


def test_flagship_on_two_tickers_leaves_out_the_fixed_effects_estimate(tmp_path):
    parameters = {"dataset": "stocknet_tweets_prices", "n_tickers": 2}
    run = run_report("engagement_vs_revenue", parameters, output_dir=tmp_path)
    assert run.results["controlled_estimate"] is None and not run.results["controlled_clear"]
    assert run.results["n"] == 236  # 2 tickers x 118 weeks
    text = page_text(run.html)
    assert "The controlled estimate cannot be computed from these data: the complete rows " in text
    assert "The data do not give clear support to H1." in text
    assert "tweets and volume" in text  # the lead-lag tests still run, with one lag


def test_an_effect_the_simulation_refuses_is_refused_before_the_run(tmp_path):
    with pytest.raises(ParameterError, match=r"'effect' of notebook 'engagement_vs_revenue' "
                       r"must be in \[-1, 1\].*Got 2\.0"):  # fmt: skip
        run_report("engagement_vs_revenue", {"dataset": "simulated", "effect": 2.0},
                   output_dir=tmp_path)  # fmt: skip
    assert not any(tmp_path.iterdir())


# ---------------------------------------------------------------- listening, in-process


def test_unlabelled_messages_give_rows_without_an_estimate(unlabelled):
    data = listening.with_sentiment(unlabelled)
    assert data["sentiment"].isna().all() and len(data) == len(unlabelled)
    net = listening.net_sentiment(data)
    assert net[["brand", "n", "n_neutral"]].values.tolist() == [["Virgin America", 0, 0]]
    assert net["estimate"].isna().all() and net["note"].tolist() == [
        "no positive or negative messages"
    ]
    volume = listening.mention_volume(data, freq="h", sentiment="sentiment")
    assert len(volume) == hours_spanned(unlabelled["time"]) * 3 and volume["mentions"].sum() == 0
    languages = pd.DataFrame({"foreign": [False] * len(data)})
    (sentence,) = listening.data_sentences(data, languages, path="export.csv")
    assert "about 1 brand, on 2015-02-22. Sentiment: none: the data carry no" in sentence


def test_positive_only_net_sentiment_is_one_with_the_wilson_interval(tweets):
    happy = tweets[tweets["sentiment"] == "positive"]
    net = listening.net_sentiment(happy).set_index("brand")
    counts = happy["brand"].value_counts()
    assert (net["estimate"] == 1.0).all() and (net["n"] == counts.reindex(net.index)).all()
    low, high = proportion_confint(counts["Delta"], counts["Delta"], alpha=0.05, method="wilson")
    assert net.loc["Delta", "ci_low"] == pytest.approx(2 * low - 1)
    assert net.loc["Delta", "ci_high"] == pytest.approx(2 * high - 1)
    axes = plots.plot_group_means(net.reset_index(), group="brand")  # high below 1 by round-off
    assert len(axes.get_xticklabels()) == 6
    negative = listening.negative_mentions(happy, freq="D")
    assert negative["count"].sum() == 0 and len(negative) == 6 * 8  # 6 brands x 8 days
    assert listening.spike_search_sentences(negative, listening.detect_spikes(happy)) == [
        "No negative mentions in the data: there is no burst to look for."
    ]
    assert listening.reason_sentences(listening.complaint_reasons(happy)) == [
        "No negative message has a complaint reason, so none are shown."
    ]


def test_no_spike_and_too_few_periods_are_told_apart(quiet, tweets):
    spikes = listening.detect_spikes(quiet, freq="h", threshold=1e-6)
    assert spikes.empty
    negative = listening.negative_mentions(quiet, freq="h")
    periods = hours_spanned(quiet["time"])
    assert (
        negative["period"].nunique() == periods
        and negative["count"].sum() == (quiet["sentiment"] == "negative").sum()
    )
    (said,) = listening.spike_search_sentences(negative, spikes, threshold=1e-6)
    assert said.startswith(f"No spike of negative mentions: none of the {periods - 24} hours")
    one_day = tweets[tweets["time"].dt.strftime("%Y-%m-%d") == "2015-02-22"]
    day_spikes = listening.detect_spikes(one_day, freq="h")
    assert listening.spike_search_sentences(
        listening.negative_mentions(one_day, freq="h"), day_spikes
    ) == [
        "Too few periods to look for spikes: each hour is compared with the median of the 24 "
        "hours before it, and the data span only 24 hours, so no hour could be tested."
    ]
    behind = listening.spike_messages(quiet, spikes)
    assert behind.empty and str(behind["period"].dtype) == "datetime64[ns, UTC]"
    assert listening.with_times(behind).empty


def test_listening_sentences_for_one_brand_and_no_opinions(tweets):
    delta = tweets[tweets["brand"] == "Delta"]
    share = listening.share_of_voice(delta)
    assert share["share"].tolist() == [1.0]
    assert listening.share_sentences(share) == [
        "Only one brand (Delta): its share of voice is 100% by definition; comparisons across "
        "brands need at least two."
    ]
    neutral = tweets[tweets["sentiment"] == "neutral"]
    net = listening.net_sentiment(neutral)
    assert listening.net_sentences(net) == [
        "No positive or negative messages: net sentiment cannot be computed, so it is not drawn."
    ]
    mixed = pd.DataFrame({"brand": ["a", "b", "c"], "estimate": [0.5, np.nan, np.nan]})
    assert listening.net_sentences(mixed) == [
        "b, c have no positive or negative messages: net sentiment is undefined there (no point "
        "drawn).",
        "Only one brand has a net sentiment (a): comparisons across brands need at least two.",
    ]
    metrics = pd.DataFrame({"method": ["lexicon", "model"], "accuracy": [0.5, 0.8]})
    evaluation = listening.SentimentEvaluation(metrics, *[None] * 7)
    lines = listening.summary_sentences(share, net.iloc[:1], delta.iloc[:0], evaluation)
    assert lines[:2] == [
        "**Share of voice:** only one brand (Delta), so no comparison.",
        "**Net sentiment:** cannot be computed: no positive or negative messages.",
    ]


def test_a_brand_not_in_the_data_is_refused_naming_the_parameter(tweets):
    assert listening.select_brands(tweets, [])["brand"].nunique() == 6
    with pytest.raises(ParameterError, match=r"'brands' parameter of select_brands .* "
                       r"Got 'Detla' instead\. Did you mean 'Delta'\?"):  # fmt: skip
        listening.select_brands(tweets, ["United", "Detla"])


def test_a_single_period_is_drawn_as_dots(tweets):
    hour = tweets[tweets["time"].dt.strftime("%Y-%m-%d %H") == "2015-02-22 14"]
    axes = plots.plot_mentions(listening.mention_volume(hour, freq="D"))
    assert {line.get_marker() for line in axes.get_lines()} == {"o"}


# ------------------------------------------------------------------ service, in-process


@pytest.fixture(scope="module")
def simulated() -> pd.DataFrame:
    return simulate_service_threads(400, seed=3).messages


def test_reply_less_threads_say_what_cannot_be_computed(tweets):
    threads = service.service_threads(tweets.head(300))
    assert len(threads) == 300 and not threads["answered"].any()
    tables = service.report_levels(threads, sla_minutes=60)
    assert tables["channel"]["median_first_response_minutes"].isna().all()
    assert service.channel_sentences(tables["channel"]) == [
        "No thread was answered on any channel: response times cannot be computed."
    ]
    hours = tables["business_hours"]
    assert service.hours_sentences(hours) == [
        "No thread was answered, so business hours and off hours cannot be compared."
    ]
    assert service.channel_gap(threads) is None
    assert service.gap_sentences(None, threads=threads) == [
        "No thread was answered, so no channels can be compared."
    ]
    overall = service.service_levels(threads, by="all")
    results = service.key_results(threads, overall, None)
    assert results["answered_share"] == 0.0 and results["fast_channel"] is None


def test_one_channel_and_an_unanswered_channel(simulated):
    threads = service.service_threads(simulated)
    twitter = threads[threads["channel"] == "twitter"]
    assert service.channel_gap(twitter) is None
    assert service.gap_sentences(None, threads=twitter) == [
        "Only `twitter` has answered threads: comparing a fast and a slow channel needs two "
        "channels with response times."
    ]
    silent = threads.assign(answered=threads["answered"] & (threads["channel"] != "email"))
    silent.loc[silent["channel"] == "email", "first_response_minutes"] = np.nan
    levels = service.service_levels(silent, by="channel")
    (text,) = service.channel_sentences(levels)
    assert "No thread on `email` was answered, so it has no response time." in text
    assert service.channel_gap(silent, fast="email") is None  # named, in the data, unanswered
    with pytest.raises(ParameterError, match=r"'fast' parameter .* Got 'fax' instead"):
        service.channel_gap(silent, fast="fax")  # not a channel of the data: refused


def test_a_side_with_one_answered_thread_has_no_interval(simulated):
    threads = service.service_threads(simulated)
    timed = threads[threads["answered"]]
    one = timed[timed["channel"] == "email"].head(1)
    many = timed[timed["channel"] == "twitter"]
    gap = service.compare_channels(pd.concat([one, many]), fast="twitter", slow="email")
    row = gap.iloc[0]
    x, y = many["first_response_minutes"].to_numpy(), one["first_response_minutes"].to_numpy()
    assert row["estimate"] == pytest.approx(np.median(y) - np.median(x))
    assert row["p_value"] == pytest.approx(stats.mannwhitneyu(y, x).pvalue)
    assert np.isnan(row["ci_low"]) and np.isnan(row["ci_high"]) and not row["clear"]
    assert "(too few answered threads for an interval;" in service.gap_sentences(gap)[0]


def test_no_customer_thread_and_no_known_sla_outcome(simulated):
    brand_only = simulated[simulated["author_is_brand"].astype(bool)].head(20)
    threads = service.service_threads(brand_only.assign(reply_to=pd.NA).astype({"reply_to": "str"}))
    assert threads.empty
    overall = service.service_levels(threads, by="all")
    assert overall.empty and list(overall.columns[:3]) == ["all", "n", "answered"]
    assert service.sla_sentences(overall) == [
        "No customer threads: there is no service level to measure."
    ]
    assert "but **no customer thread**" in service.data_sentences(brand_only, threads)[0]
    opener = simulated[simulated["reply_to"].isna() & ~simulated["author_is_brand"].astype(bool)]
    fresh = service.service_threads(opener.head(1))
    overall = service.service_levels(fresh, by="all", sla_minutes=60)
    assert overall["sla_n"].tolist() == [0]  # open 0 minutes by the end of the data
    assert service.sla_sentences(overall, sla_minutes=60)[0].startswith(
        "No thread's outcome against the 60-minute target is known yet"
    )


# ------------------------------------------------------------------ network, in-process


def test_a_graph_without_edges_against_networkx():
    graph = nx.empty_graph(6)
    scores = network.influence_scores(graph, betweenness_sample=None)
    pagerank = nx.pagerank(graph)
    assert scores["degree"].tolist() == [0] * 6 and scores["core_number"].tolist() == [0] * 6
    assert scores["pagerank"].tolist() == pytest.approx([pagerank[n] for n in scores["node"]])
    assert scores["pagerank"].tolist() == pytest.approx([1 / 6] * 6)
    assert scores["betweenness"].tolist() == [0.0] * 6
    summary = network.graph_summary(graph)
    assert summary[["edges", "components"]].iloc[0].tolist() == [0, 6]
    assert (
        "The graph has no edges: centrality is zero for every person"
        in (network.graph_sentences(summary, source="a test", link="a tie")[0])
    )
    agreement = network.measure_agreement(scores, k=3)
    assert agreement.empty  # every measure is constant: no rank correlation is defined
    assert network.agreement_sentences(agreement)[0].startswith(
        "The measures cannot be compared: at most one of them varies between people"
    )
    found = network.find_communities(graph)
    assert found.summary["size"].tolist() == [1] * 6 and np.isnan(found.modularity)
    assert network.community_sentences(found.summary, found.modularity)[0].startswith(
        "**No communities**: the graph has no edges, so each of the 6 people"
    )
    linked = network.bridges(graph, found.membership)
    assert linked.links.empty and (linked.nodes["participation"] == 0).all()
    assert network.bridge_sentences(linked.nodes, linked.links) == [
        "No link joins two communities (the graph has no edges), so nobody bridges communities."
    ]
    reach = _no_spread(graph, scores)
    lines = network.summary_sentences(
        summary, agreement, found.summary, found.modularity, reach, community_method="louvain"
    )
    assert "**Communities:** none (no edges: every person is a community of one)." in lines


def _no_spread(graph: nx.Graph, scores: pd.DataFrame, probability: float = 0.1) -> pd.DataFrame:
    strategies = network.compare_seed_strategies(graph, scores, k=2, probability=probability,
                                                 runs=20, seed=0)  # fmt: skip
    greedy = network.greedy_seeds(graph, 2, probability=probability, runs=20, seed=0,
                                  candidates=graph.number_of_nodes())  # fmt: skip
    return network.reach_comparison(strategies, greedy)


def test_a_message_that_never_spreads_is_said_to_stay_with_the_seeds():
    edgeless = nx.empty_graph(6)
    reach = _no_spread(edgeless, network.influence_scores(edgeless))
    assert reach[["expected_reach", "random_reach", "greedy_reach"]].iloc[0].tolist() == [2.0] * 3
    assert reach["viral_ratio"].tolist() == [0.0]
    karate = nx.karate_club_graph()  # edges, but a probability of 0
    still = _no_spread(karate, network.influence_scores(karate), probability=0.0)
    (first, _) = network.reach_sentences(still, probability=0.0)
    assert first.startswith(
        "The message never spreads beyond the seeds: every strategy reaches exactly its 2 "
        "seeded people in every run (with `probability` = 0;"
    )
    assert network.reach_sentences(_no_spread(karate, network.influence_scores(karate)),
                                   probability=0.1)[0].startswith("Seeding the top 2")  # fmt: skip


def test_the_linear_threshold_model_runs_without_a_probability():
    """The report's model choice 'linear_threshold' takes no probability (it used to fail)."""
    karate = nx.karate_club_graph()
    scores = network.influence_scores(karate)
    strategies = network.compare_seed_strategies(karate, scores, k=2, model="linear_threshold",
                                                 probability=None, runs=20, seed=0)  # fmt: skip
    greedy = network.greedy_seeds(karate, 2, model="linear_threshold", probability=None, runs=20,
                                  seed=0, candidates=10)  # fmt: skip
    (_, ratio) = network.reach_sentences(network.reach_comparison(strategies, greedy),
                                         probability=None)  # fmt: skip
    assert "depends on the linear threshold model's thresholds" in ratio


def test_one_community_has_no_bridge():
    star = nx.star_graph(5)
    found = network.find_communities(star)
    assert found.summary["size"].tolist() == [6]
    linked = network.bridges(star, found.membership)
    assert network.bridge_sentences(linked.nodes, linked.links) == [
        "No link joins two communities (every link stays inside one community), so nobody "
        "bridges communities."
    ]
    assert network.community_sentences(found.summary, found.modularity)[0].startswith(
        "**1 community**; the largest has 6 people"
    )


# ------------------------------------------------------------------ studies, in-process


def test_no_wallflowers_at_breadth_cut_1():
    r = edb.reproduce_2009(breadth_cut=1)
    breadth = r.scores["breadth"]
    assert breadth.min() >= 1  # every brand is on a channel, so every brand is broad
    assert set(r.profiles["profile"]) == {"Maven", "Butterfly"}
    assert r.gap is None and r.composition is None
    results = edb.key_results(r)
    assert np.isnan(results["raw_gap"]) and np.isnan(results["share_explained"])
    assert edb.reproduction_sentences(r, "composition") == edb.reproduction_sentences(r, "gap")
    assert "sector-mix check needs Mavens and Wallflowers" in " ".join(
        edb.reproduction_sentences(r, "summary")
    )


def test_a_rubric_that_scores_every_brand_alike(tmp_path):
    shipped = files("scrm_lab.engagement") / "rubrics" / "engagementdb_2009.yaml"
    rubric = yaml.safe_load(shipped.read_text(encoding="utf-8"))
    for attribute in rubric["attributes"].values():
        attribute["points"] = 0
    flat = tmp_path / "flat.yaml"
    flat.write_text(yaml.safe_dump({**rubric, "name": "flat"}), encoding="utf-8")
    r = edb.reproduce_2009(rubric=str(flat))
    assert (r.scores["score"] == 0).all()
    assert edb.reproduction_sentences(r, "sectors") == [
        "Every sector has the same mean score (0.0): this rubric does not tell the sectors apart."
    ]


@pytest.fixture(scope="module")
def stocks() -> er.HypothesisData:
    return er.engagement_revenue_data("stocknet_tweets_prices", n_tickers=3)


def test_a_panel_of_one_ticker_or_three_weeks_skips_what_it_cannot_support(stocks):
    one = stocks.data[stocks.data["ticker"] == stocks.data["ticker"].iloc[0]]
    study = er.run_study(_with(stocks, one))
    assert study.controlled is None and study.focus is None and study.lead_lag == {}
    assert "cover 1 ticker; expected at least 3" in study.skipped["controlled"]
    assert "these data have 1 ticker with a median of" in study.skipped["lead_lag"]
    assert er.study_verdict(study)["clear"].tolist() == [True, False]
    weeks = sorted(stocks.data["week"].unique())[:3]
    short = stocks.data[stocks.data["week"].isin(weeks)]  # 3 tickers x 3 weeks
    study = er.run_study(_with(stocks, short))
    assert study.skipped["controlled"].startswith(
        "6 complete rows after the one-period lag (3 tickers, 2 weeks) for 3 coefficients and "
        "3 fixed effects"
    )
    assert er.key_results(study)["controlled_clear"] is False
    assert "cannot be computed from these data" in er.study_sentences(study, "controlled")[0]


def test_three_films_give_a_raw_correlation_and_nothing_more():
    movies = er.engagement_revenue_data()
    few = er.apply_parameters(_with(movies, movies.data.head(3)), engagement=["likes"],
                              controls=["budget_usd"])  # fmt: skip
    study = er.run_study(few)
    assert study.controlled is None and study.power is None and study.diagnostics is None
    assert study.skipped["controlled"].startswith("too few rows: 3 complete rows")
    expected = stats.spearmanr(few.data["likes"], few.data["gross_usd"]).statistic
    assert study.main_raw["estimate"] == pytest.approx(expected)
    verdict = er.study_sentences(study, "verdict")
    assert verdict[0] == "**The data do not give clear support to H1.**"
    assert "too few rows for an interval, n = 3" in verdict[1]
    assert er.study_sentences(study, "power") == [
        "The minimum detectable correlation cannot be computed from these data: the main "
        "correlation rests on 3 rows; power needs more than 3."
    ]


def test_a_transform_the_data_refuse_is_still_an_error():
    movies = er.engagement_revenue_data()
    zeros = er.apply_parameters(movies, engagement=["comments"], log=["comments", "gross_usd"],
                                log1p=[])  # fmt: skip
    with pytest.raises(SchemaError, match=r"column 'comments' has 3 value\(s\) out of range"):
        er.run_study(zeros)


def _with(prepared: er.HypothesisData, data: pd.DataFrame) -> er.HypothesisData:
    return dataclasses.replace(prepared, data=data.reset_index(drop=True))
