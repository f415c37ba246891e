"""How far influence measures agree, how seeding strategies compare, and their wording.

The decisions of the ``influencers_and_advocates`` report: which measures agree most, how many
people every measure puts in its top ``k``, whether the best ranking's reach is told apart
from random seeds, and the plain words (with their documented thresholds) for clustering,
modularity and the viral ratio.

Examples
--------
>>> STARBUCKS_VIRAL_RATIO
0.75
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import pandas as pd

from scrm_lab._checks import (
    COLUMN,
    Choice,
    Integer,
    Many,
    OrNone,
    Real,
    Text,
    checks,
    current_function,
    refuse,
    require_columns,
)

__all__ = [
    "AGREEMENT_MEASURES",
    "CLUSTERING_TIGHT",
    "MODULARITY_CLEAR",
    "MODULARITY_STRONG",
    "STARBUCKS_VIRAL_RATIO",
    "VIRAL_FAR_ABOVE",
    "advocate_sentences",
    "influence_key_results",
    "agreement_sentences",
    "bridge_sentences",
    "community_sentences",
    "graph_sentences",
    "measure_agreement",
    "reach_comparison",
    "reach_sentences",
    "summary_sentences",
]

#: The influence measures compared by default (columns of ``influence_scores``).
AGREEMENT_MEASURES = ("degree", "pagerank", "betweenness", "core_number")
#: Average clustering above which a graph is called "tight circles of friends".
CLUSTERING_TIGHT = 0.3
#: Modularity above which a community structure is called clear ...
MODULARITY_CLEAR = 0.3
#: ... and above which it is called strong.
MODULARITY_STRONG = 0.5
#: Starbucks' 2009 viral ratio: three more people reached for every four who interacted.
STARBUCKS_VIRAL_RATIO = 0.75
#: Viral ratio above which the simulated ratio is called "far above" Starbucks'.
VIRAL_FAR_ABOVE = 1.5


#: A brand or measure name in a sentence (may be empty).
_LABEL = Text("a string", empty_ok=True)


@checks(
    measures=Many(COLUMN, "a list of distinct column names", distinct=True),
    k=Integer(low=1),
    method=Choice(("spearman", "kendall")),
    node=COLUMN,
)
def measure_agreement(
    scores: pd.DataFrame,
    *,
    measures: Sequence[str] = AGREEMENT_MEASURES,
    k: int = 10,
    method: str = "spearman",
    node: str = "node",
) -> pd.DataFrame:
    """Rank correlations between influence measures, and how far their top ``k`` overlap.

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per node with the ``measures`` columns and the node ids (the output of
        :func:`scrm_lab.network.influence_scores`).
    measures : sequence of str, default ("degree", "pagerank", "betweenness", "core_number")
        Columns to compare (at least two).
    k : int, default 10
        Size of each measure's top: the ``k`` smallest ``<measure>_rank`` values when that
        column is present (ties as ranked there), otherwise the highest scores (ties in row
        order).
    method : {"spearman", "kendall"}, default "spearman"
        Rank correlation (pandas' pairwise complete ``corr``; Kendall is tau-b).
    node : str, default "node"
        Column of node ids.

    Returns
    -------
    pandas.DataFrame
        One row per pair of measures (named in alphabetical order), sorted by ``estimate``
        from lowest to highest (pairs with a constant measure, whose correlation is
        undefined, left out), with columns
        ``measure_a``, ``measure_b``, ``n`` (nodes scored by both), ``estimate``, ``method``,
        ``k``, ``top_k_shared`` (nodes in the top ``k`` of both), ``all_shared`` (nodes in
        the top ``k`` of every measure) and ``n_measures`` (measures compared, including a
        constant one); the last two are the same on every row.

    Raises
    ------
    ParameterError
        Fewer than two measures, ``k`` not a positive integer, or an unknown ``method``.
    SchemaError
        A measure or ``node`` column is missing.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> from scrm_lab.network import build_graph, influence_scores
    >>> scores = influence_scores(build_graph(load_dataset("snap_ego_facebook")))
    >>> agreement = measure_agreement(scores)
    >>> agreement[["measure_a", "measure_b"]].iloc[-1].tolist()
    ['core_number', 'degree']
    """
    function = current_function()
    measures = list(measures)
    if len(measures) < 2:
        raise refuse("measures", "at least two column names", measures)
    require_columns(scores, [node, *measures], function)
    matrix = scores[measures].corr(method=method)
    top = {
        m: set(
            scores.nsmallest(k, f"{m}_rank", keep="first")[node]
            if f"{m}_rank" in scores
            else scores.sort_values(m, ascending=False, kind="stable").head(k)[node]
        )
        for m in measures
    }
    everyone = len(set.intersection(*top.values()))
    rows = []
    for a, b in (sorted(pair) for pair in combinations(measures, 2)):
        if pd.isna(matrix.loc[a, b]):
            continue
        rows.append({
            "measure_a": a, "measure_b": b,
            "n": int(scores[[a, b]].notna().all(axis=1).sum()),
            "estimate": float(matrix.loc[a, b]), "method": method, "k": k,
            "top_k_shared": len(top[a] & top[b]), "all_shared": everyone,
            "n_measures": len(measures),
        })  # fmt: skip
    columns = ["measure_a", "measure_b", "n", "estimate", "method", "k", "top_k_shared",
               "all_shared", "n_measures"]  # fmt: skip
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values("estimate", kind="stable", ignore_index=True)


def agreement_sentences(agreement: pd.DataFrame) -> list[str]:
    """Which measures agree most and least, and whether the choice of measure matters.

    Returns two sentences for the report's text and a third, shorter one for its summary.
    The choice matters little for the very top when at least half of the ``k`` people are in
    the top ``k`` of every measure; otherwise it changes who is picked. Without a pair to
    compare (at most one measure varies between people, as on a graph without edges, where
    every centrality is zero), the sentences say so.

    Examples
    --------
    >>> pairs = pd.DataFrame({"measure_a": ["degree", "degree"],
    ...                       "measure_b": ["betweenness", "pagerank"],
    ...                       "estimate": [0.4, 0.9], "k": 10, "all_shared": 6})
    >>> agreement_sentences(pairs)[1][:56]
    '6 of the 10 people ranked highest are in the top 10 of a'
    >>> agreement_sentences(pairs)[1][-40:]
    'measure matters little for the very top.'
    """
    require_columns(agreement, ["measure_a", "measure_b", "estimate", "k", "all_shared"],
                    "agreement_sentences")  # fmt: skip
    if agreement.empty:
        return [
            "The measures cannot be compared: at most one of them varies between people (they "
            "tie on the others, as in a graph without edges, where every centrality is zero), "
            "so no rank correlation between two of them is defined.",
            "Where people tie on the chosen measure, the ranking above lists them in the "
            "order of the data, not by influence.",
            "the measures cannot be compared: at most one varies between people.",
        ]
    low, high = agreement.iloc[0], agreement.iloc[-1]
    k, shared = int(high["k"]), int(high["all_shared"])
    count = (
        int(high["n_measures"])
        if "n_measures" in agreement
        else len(set(agreement["measure_a"]) | set(agreement["measure_b"]))
    )
    count = {2: "both", 3: "all three", 4: "all four"}.get(count, f"all {count}")
    return [
        f"{high['measure_a'].capitalize()} and {high['measure_b']} agree most (Spearman "
        f"{high['estimate']:.2f}); {low['measure_a']} and {low['measure_b']} least "
        f"({low['estimate']:.2f}).",
        f"{shared} of the {k} people ranked highest {'is' if shared == 1 else 'are'} in the "
        f"top {k} of {count} measures, so "
        + ("the choice of measure matters little for the very top." if shared >= k / 2
           else "the choice of measure changes who is picked."),
        f"measures agree from Spearman {low['estimate']:.2f} ({low['measure_a']}/"
        f"{low['measure_b']}) to {high['estimate']:.2f} ({high['measure_a']}/"
        f"{high['measure_b']}); {shared} {'person is' if shared == 1 else 'people are'} in the "
        f"top {k} of {count}.",
    ]  # fmt: skip


@checks(source=Text(), link=Text())
def graph_sentences(summary: pd.DataFrame, *, source: str, link: str) -> list[str]:
    """The graph in plain words, from :func:`scrm_lab.network.graph_summary`.

    Average clustering above :data:`CLUSTERING_TIGHT` (0.3) is called "tight circles of
    friends", otherwise "few closed triangles". A graph without edges is said to be one.

    Examples
    --------
    >>> facts = pd.DataFrame([{"nodes": 4, "edges": 3, "components": 1, "density": 0.5,
    ...     "largest_component_share": 1.0, "average_clustering": 0.0, "diameter": 3.0}])
    >>> graph_sentences(facts, source="a toy", link="a tie")[0][:44]
    '**4 people and 3 links** from a toy; a link '
    """
    f = {column: summary[column].iloc[0] for column in summary.columns}
    tight = f["average_clustering"] > CLUSTERING_TIGHT
    people = f"{f['nodes']:,} {'person' if f['nodes'] == 1 else 'people'}"
    links = f"{f['edges']:,} {'link' if f['edges'] == 1 else 'links'}"
    if not f["edges"]:
        return [
            f"**{people} and no links** from {source}; a link is {link}. The graph has no "
            "edges: centrality is zero for every person, there are no communities beyond "
            "single people, and a message cannot spread beyond the people seeded."
        ]
    return [
        f"**{people} and {links}** from {source}; a link is {link}. "
        f"The graph falls into {f['components']:,} separate "
        f"{'piece' if f['components'] == 1 else 'pieces'}; the largest holds "
        f"{f['largest_component_share']:.0%} of the people. Its density is "
        f"{f['density']:.4f}: of all possible pairs, that share is linked. The average "
        f"clustering of {f['average_clustering']:.2f} is the chance that two of a person's "
        f"contacts are linked too "
        f"({'tight circles of friends' if tight else 'few closed triangles'}), and any two "
        f"people of the largest piece are at most {f['diameter']:.0f} "
        f"{'step' if f['diameter'] == 1 else 'steps'} apart."
    ]  # fmt: skip


@checks(top=Integer(low=1))
def community_sentences(sizes: pd.DataFrame, modularity: float, *, top: int = 12) -> list[str]:
    """The communities in plain words: how many, the largest, and the modularity's word.

    Modularity above :data:`MODULARITY_STRONG` (0.5) is "a strong community structure",
    above :data:`MODULARITY_CLEAR` (0.3) "a clear" one, otherwise "a weak" one; a NaN
    modularity (a graph without edges) is said to be undefined.

    Examples
    --------
    >>> sizes = pd.DataFrame({"size": [6, 4], "share": [0.6, 0.4]})
    >>> community_sentences(sizes, 0.35)[0][-48:]
    'Modularity is 0.35: a clear community structure.'
    """
    largest = sizes.iloc[0]
    if pd.isna(modularity):
        return [
            f"**No communities**: the graph has no edges, so each of the {len(sizes):,} "
            "people is a community of one and modularity is undefined."
        ]
    word = (
        "a strong community structure, people mostly link within their own group."
        if modularity > MODULARITY_STRONG else
        "a clear community structure." if modularity > MODULARITY_CLEAR else
        "a weak community structure."
    )  # fmt: skip
    return [
        f"**{len(sizes):,} {'community' if len(sizes) == 1 else 'communities'}**; the largest "
        f"has {int(largest['size']):,} people "
        f"({largest['share']:.0%}), and the {top} largest hold "
        f"{sizes['share'].head(top).sum():.0%} of everyone. Modularity is {modularity:.2f}: " + word
    ]


@checks()  # names the function in its refusals
def reach_comparison(strategies: pd.DataFrame, greedy: pd.DataFrame) -> pd.DataFrame:
    """The best ranking's reach beside random seeds and the greedy seeds.

    Parameters
    ----------
    strategies : pandas.DataFrame
        :func:`scrm_lab.network.compare_seed_strategies` (with a ``random`` row).
    greedy : pandas.DataFrame
        :func:`scrm_lab.network.greedy_seeds` (its last row is the full seed set).

    Returns
    -------
    pandas.DataFrame
        One row: ``strategy`` (the ranking with the highest expected reach), ``k``,
        ``expected_reach``, ``reach_ci_low``, ``reach_ci_high``, ``viral_ratio``,
        ``random_reach``, ``random_ci_low``, ``random_ci_high``, ``random_viral_ratio``,
        ``lift`` (best / random reach), ``separated`` (the best interval lies wholly above
        random's), ``greedy_reach`` and ``greedy_better`` (greedy reach above the best).

    Examples
    --------
    >>> table = pd.DataFrame({"strategy": ["top_degree", "random"], "k": 5,
    ...     "expected_reach": [20.0, 10.0], "reach_ci_low": [18.0, 9.0],
    ...     "reach_ci_high": [22.0, 11.0], "viral_ratio": [3.0, 1.0]})
    >>> row = reach_comparison(table, pd.DataFrame({"expected_reach": [12.0, 21.0]})).iloc[0]
    >>> float(row["lift"]), bool(row["separated"]), bool(row["greedy_better"])
    (2.0, True, True)
    """
    function = current_function()
    require_columns(strategies, ["strategy", "expected_reach", "reach_ci_low", "reach_ci_high",
                                 "viral_ratio"], function)  # fmt: skip
    require_columns(greedy, ["expected_reach"], function)
    by = strategies.set_index("strategy")
    if "random" not in by.index or len(by) < 2:
        raise refuse(
            "strategies",
            "a table holding a 'random' row and at least one ranking",
            strategies,
            described=f"strategies {list(by.index)}",
        )
    ranked = strategies[strategies["strategy"] != "random"]
    best = ranked.sort_values("expected_reach", ascending=False).iloc[0]
    chance = by.loc["random"]
    greedy_reach = float(greedy["expected_reach"].iloc[-1])
    return pd.DataFrame([{
        "strategy": best["strategy"], "k": best.get("k"),
        "expected_reach": best["expected_reach"], "reach_ci_low": best["reach_ci_low"],
        "reach_ci_high": best["reach_ci_high"], "viral_ratio": best["viral_ratio"],
        "random_reach": chance["expected_reach"], "random_ci_low": chance["reach_ci_low"],
        "random_ci_high": chance["reach_ci_high"], "random_viral_ratio": chance["viral_ratio"],
        "lift": best["expected_reach"] / chance["expected_reach"],
        "separated": bool(best["reach_ci_low"] > chance["reach_ci_high"]),
        "greedy_reach": greedy_reach,
        "greedy_better": bool(greedy_reach > best["expected_reach"]),
    }])  # fmt: skip


@checks(probability=OrNone(Real(0, 1)))
def reach_sentences(comparison: pd.DataFrame, *, probability: float | None) -> list[str]:
    """The reach comparison and the viral ratio in plain words.

    The viral ratio is compared with Starbucks' :data:`STARBUCKS_VIRAL_RATIO` (0.75):
    "far above" over :data:`VIRAL_FAR_ABOVE` (1.5), "above" over 0.75, otherwise "below".
    When no run of any strategy reaches anyone beyond the seeds (``probability`` 0, or a
    graph without edges), the first sentence says so instead of comparing equal reaches.
    ``probability`` is the independent cascade's; None stands for the linear threshold
    model, whose spread depends on its thresholds instead.

    Examples
    --------
    >>> table = pd.DataFrame({"strategy": ["top_degree", "random"], "k": 5,
    ...     "expected_reach": [20.0, 10.0], "reach_ci_low": [18.0, 9.0],
    ...     "reach_ci_high": [22.0, 11.0], "viral_ratio": [3.0, 1.0]})
    >>> row = reach_comparison(table, pd.DataFrame({"expected_reach": [21.0]}))
    >>> reach_sentences(row, probability=0.1)[1][:60]
    '**Viral ratio:** with the best ranking each seed brings 3.00'
    """
    r = comparison.iloc[0]
    k, ratio = int(r["k"]), r["viral_ratio"]
    word = ("far above" if ratio > VIRAL_FAR_ABOVE else
            "above" if ratio > STARBUCKS_VIRAL_RATIO else "below")  # fmt: skip
    still = max(r["reach_ci_high"], r["random_ci_high"], r["greedy_reach"]) <= k
    assumed = (
        "the linear threshold model's thresholds"
        if probability is None
        else f"`probability` = {probability:g}"
    )
    return [
        f"The message never spreads beyond the seeds: every strategy reaches exactly its {k} "
        f"seeded {'person' if k == 1 else 'people'} in every run (with {assumed}; on a graph "
        "without edges nothing can spread), so the strategies cannot be told apart."
        if still else
        f"Seeding the top {k} by **{r['strategy'].removeprefix('top_')}** reaches "
        f"{r['expected_reach']:,.1f} people on average (95% interval {r['reach_ci_low']:,.1f} "
        f"to {r['reach_ci_high']:,.1f}), {r['lift']:.1f} times the {r['random_reach']:,.1f} "
        f"of {k} random people; "
        + ("the intervals do not overlap, so the difference is not luck. " if r["separated"]
           else "the intervals overlap, so these runs cannot tell the two apart. ")
        + f"The greedy seeds reach {r['greedy_reach']:,.1f} (estimated on 200 runs), "
        + ("more than any single ranking." if r["greedy_better"]
           else "no more than the best ranking."),
        f"**Viral ratio:** with the best ranking each seed brings {ratio:.2f} more people "
        f"(for every 4 seeds, {4 * ratio:,.1f} more people), against 0.75 (4 to 3) for "
        f"Starbucks in 2009; {word} it. Random seeds give {r['random_viral_ratio']:.2f}. The "
        f"simulated ratio depends on {assumed}: an assumption, not a measurement, so read the "
        "comparison between strategies rather than the absolute numbers.",
    ]  # fmt: skip


def bridge_sentences(nodes: pd.DataFrame, links: pd.DataFrame) -> list[str]:
    """The top bridge and the most linked pair of communities, from :func:`bridges`.

    Without a link between two communities (one community, or no edges) it says there is no
    bridge.

    Examples
    --------
    >>> nodes = pd.DataFrame({"node": [7], "communities_linked": [2]})
    >>> links = pd.DataFrame({"community_a": [0, 1], "community_b": [1, 2], "edges": [3, 9]})
    >>> bridge_sentences(nodes, links)[0][:88]
    'The top bridge, node 7, links 2 other communities; the most linked pair of communities i'
    """
    if links.empty:
        return [
            "No link joins two communities ("
            + ("the graph has no edges" if not nodes["degree"].any() else "every link stays "
               "inside one community") + "), so nobody bridges communities."
        ]  # fmt: skip
    top = nodes.iloc[0]
    strongest = links.sort_values("edges", ascending=False).iloc[0]
    return [
        f"The top bridge, node {top['node']}, links {int(top['communities_linked'])} other "
        f"communities; the most linked pair of communities is {strongest['community_a']} and "
        f"{strongest['community_b']} with {int(strongest['edges']):,} links. A message that "
        "stays inside one community will not reach the others unless such bridges pass it on."
    ]


@checks(
    advocates=OrNone(Integer(low=0)),
    authors=OrNone(Integer(low=0)),
    brand=_LABEL,
    measure=_LABEL,
)
def advocate_sentences(
    advocates: int | None, authors: int | None = None, *, brand: str = "", measure: str = ""
) -> list[str]:
    """How many authors are net positive about a brand, or why none can be listed.

    Parameters
    ----------
    advocates : int or None
        Number of advocates (:func:`advocates` with ``top=None``); None when the graph has no
        messages with sentiment.
    authors : int, optional
        Number of people who wrote about the brand.
    brand, measure : str
        The brand and the influence measure the advocates are sorted by.

    Examples
    --------
    >>> advocate_sentences(30, 120, brand="Delta", measure="pagerank")[0][:58]
    '30 of the 120 people who tweeted about Delta are net posit'
    """
    if advocates is None:
        return [
            "The Facebook friendship graph carries no messages and no sentiment, only who is "
            "friends with whom, so there is no way to tell who speaks well of a brand: no "
            'advocates can be listed. Run the report with `graph_name = "airline_mentions"` to '
            "see advocates."
        ]
    return [
        f"{advocates:,} of the {authors:,} people who tweeted about {brand} are net positive "
        f"about it ({advocates / authors:.0%}); the first rows are the ones the {measure} "
        "ranking places best to spread a good word."
    ]


@checks(community_method=Text(), advocates=OrNone(Integer(low=0)), brand=_LABEL)
def summary_sentences(
    summary: pd.DataFrame,
    agreement: pd.DataFrame,
    sizes: pd.DataFrame,
    modularity: float,
    reach: pd.DataFrame,
    *,
    community_method: str,
    advocates: int | None = None,
    brand: str = "",
) -> list[str]:
    """One line per part of the influencers report: graph, influence, communities, reach.

    Parameters
    ----------
    summary : pandas.DataFrame
        :func:`graph_summary`.
    agreement : pandas.DataFrame
        :func:`measure_agreement`.
    sizes : pandas.DataFrame
        ``Communities.summary`` (largest first).
    modularity : float
        ``Communities.modularity``.
    reach : pandas.DataFrame
        :func:`reach_comparison`.
    community_method : str
        The community algorithm's name.
    advocates : int or None
        Number of advocates of ``brand`` (None without sentiment data).
    brand : str
        The brand.

    Returns
    -------
    list of str
        Markdown lines starting with a bold label.
    """
    f = {column: summary[column].iloc[0] for column in summary.columns}
    r = reach.iloc[0]
    return [
        f"**Graph:** {f['nodes']:,} people, {f['edges']:,} links, average clustering "
        f"{f['average_clustering']:.2f}.",
        f"**Influence:** {agreement_sentences(agreement)[2]}",
        f"**Communities:** {len(sizes):,} ({community_method}), modularity {modularity:.2f}; "
        f"the largest holds {sizes.iloc[0]['share']:.0%} of people." if pd.notna(modularity)
        else "**Communities:** none (no edges: every person is a community of one).",
        f"**Reach:** the top {int(r['k'])} by {r['strategy'].removeprefix('top_')} reach "
        f"{r['expected_reach']:,.1f} people, {r['lift']:.1f} times random seeds; greedy seeds "
        f"{r['greedy_reach']:,.1f}.",
        f"**Viral ratio:** {r['viral_ratio']:.2f} more people per seed, against "
        f"{STARBUCKS_VIRAL_RATIO:g} for Starbucks (2009).",
        "**Advocates:** "
        + (f"{advocates:,} net-positive people about {brand}." if advocates is not None
           else "none without sentiment data."),
    ]  # fmt: skip


def influence_key_results(
    summary: pd.DataFrame, sizes: pd.DataFrame, modularity: float, reach: pd.DataFrame
) -> dict[str, object]:
    """The figures the influencers report records.

    Parameters
    ----------
    summary : pandas.DataFrame
        :func:`scrm_lab.network.graph_summary`.
    sizes : pandas.DataFrame
        ``Communities.summary`` (one row per community).
    modularity : float
        ``Communities.modularity``.
    reach : pandas.DataFrame
        :func:`reach_comparison`.

    Returns
    -------
    dict
        ``nodes``, ``edges``, ``communities``, ``modularity``, ``best_strategy``,
        ``best_expected_reach``, ``random_expected_reach``, ``greedy_expected_reach``,
        ``viral_ratio``.

    Examples
    --------
    >>> summary = pd.DataFrame({"nodes": [4], "edges": [3]})
    >>> reach = pd.DataFrame({"strategy": ["top_degree"], "expected_reach": [3.0],
    ...                       "random_reach": [2.0], "greedy_reach": [3.5], "viral_ratio": [2.0]})
    >>> influence_key_results(summary, pd.DataFrame({"size": [2, 2]}), 0.1, reach)["communities"]
    2
    """
    facts, best = summary.iloc[0], reach.iloc[0]
    return {
        "nodes": int(facts["nodes"]),
        "edges": int(facts["edges"]),
        "communities": len(sizes),
        "modularity": float(modularity),
        "best_strategy": str(best["strategy"]),
        "best_expected_reach": float(best["expected_reach"]),
        "random_expected_reach": float(best["random_reach"]),
        "greedy_expected_reach": float(best["greedy_reach"]),
        "viral_ratio": float(best["viral_ratio"]),
    }
