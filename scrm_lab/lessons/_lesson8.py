"""Lesson 8, influence, advocates and word of mouth: the questions and their answers from the data.

The answers are computed as the lesson computes them, on SNAP's ego-Facebook friendship graph
(influence, agreement, cascades) and the airline mentions graph (advocates), with the same
samples, seeds and numbers of runs, so they match the notebook exactly.
"""

from __future__ import annotations

from functools import cache

import networkx as nx
import pandas as pd

from scrm_lab.lessons._selfcheck import Question

#: The measures whose top 10 the lesson seeds, in the order of its chart and its options.
_MEASURES = ["degree", "pagerank", "core_number"]
_PROBABILITY = 0.01


@cache
def _graph() -> nx.Graph:
    from scrm_lab.network import shipped_graph

    return shipped_graph("snap_ego_facebook").graph


@cache
def _scores() -> pd.DataFrame:
    # the lesson's table without betweenness (the slow measure, used by no answer): the other
    # columns, and the row order (by PageRank) that breaks ties, are the same
    from scrm_lab.network import influence_scores

    return influence_scores(_graph(), betweenness=False)


def _most_friends() -> str:
    return str(_scores().sort_values("degree", ascending=False)["node"].iloc[0])


def _degree_pagerank() -> float:
    scores = _scores()
    return float(scores["degree"].corr(scores["pagerank"], method="spearman"))


def _agreement_reading() -> str:
    from scrm_lab.network import measure_agreement

    row = measure_agreement(_scores(), measures=["core_number", "degree"], k=10).iloc[0]
    # a) same order for nearly everyone (rank correlation near 1), different people at the top
    return "a" if row["estimate"] >= 0.9 and row["top_k_shared"] <= 5 else "b"


def _reach_of_top_20() -> float:
    from scrm_lab.network import simulate_cascades

    seeds = _scores().nlargest(20, "degree")["node"].tolist()
    result = simulate_cascades(_graph(), seeds, probability=_PROBABILITY, runs=200, seed=0)
    return result.expected_reach


def _fewest_reached() -> str:
    from scrm_lab.network import compare_seed_strategies

    table = compare_seed_strategies(
        _graph(), _scores(), k=10, probability=_PROBABILITY, runs=100, seed=0,
        random_sets=50, measures=_MEASURES,
    )  # fmt: skip
    ranked = table[table["strategy"] != "random"].sort_values("expected_reach")
    lowest, highest = ranked.iloc[0], ranked.iloc[-1]
    if lowest["reach_ci_high"] >= highest["reach_ci_low"]:
        return "d"  # the intervals overlap: no ranking is clearly lowest
    return "abc"[[f"top_{m}" for m in _MEASURES].index(lowest["strategy"])]


def _repeat_advocate() -> str:
    from scrm_lab.network import advocates, shipped_graph

    airline = shipped_graph("airline_mentions")
    found = advocates(airline.graph, airline.messages, brand="Delta", min_messages=2, top=5)
    return str(found["node"].iloc[0])


QUESTIONS = [
    Question(
        key="lesson8.q1",
        kind="label",
        expected=_most_friends,
        hint={
            "en": "Degree counts a person's friends: sort `scores` by the `degree` column, "
            "largest first, and take the `node` of the first row (ids are text, in quotes).",
            "es": "El grado cuenta los amigos de una persona: ordena `scores` por la columna "
            "`degree`, de mayor a menor, y toma el `node` de la primera fila (los ids son "
            "texto, entre comillas).",
            "pt": "O grau conta os amigos de uma pessoa: ordene `scores` pela coluna `degree`, "
            "do maior para o menor, e pegue o `node` da primeira linha (os ids são texto, "
            "entre aspas).",
        },
    ),
    Question(
        key="lesson8.q2",
        kind="number",
        expected=_degree_pagerank,
        abs_tol=0.002,
        hint={
            "en": "Use the same call as the worked example, with the `degree` and `pagerank` "
            'columns of `scores` and `method="spearman"` (a rank correlation, not Pearson\'s).',
            "es": "Usa la misma llamada del ejemplo resuelto, con las columnas `degree` y "
            '`pagerank` de `scores` y `method="spearman"` (una correlación de rangos, no la '
            "de Pearson).",
            "pt": "Use a mesma chamada do exemplo resolvido, com as colunas `degree` e "
            '`pagerank` de `scores` e `method="spearman"` (uma correlação de postos, não a '
            "de Pearson).",
        },
    ),
    Question(
        key="lesson8.q3",
        kind="choice",
        choices=("a", "b", "c", "d"),
        expected=_agreement_reading,
        hint={
            "en": "A rank correlation sums up the order of all 4,039 people; `top_k_shared` "
            "looks only at the ten at the top. Can most people be in the same order while the "
            "top ten differ?",
            "es": "Una correlación de rangos resume el orden de las 4.039 personas; "
            "`top_k_shared` mira solo a las diez de arriba. ¿Puede la mayoría estar en el "
            "mismo orden y el top 10 ser distinto?",
            "pt": "Uma correlação de postos resume a ordem de todas as 4.039 pessoas; "
            "`top_k_shared` olha só as dez do topo. A maioria pode estar na mesma ordem e o "
            "top 10 ser diferente?",
        },
    ),
    Question(
        key="lesson8.q4",
        kind="number",
        expected=_reach_of_top_20,
        rel_tol=0.01,
        hint={
            "en": 'Take the 20 largest values of `degree` (`nlargest(20, "degree")`), pass '
            "their `node` list to `simulate_cascades` with `probability=0.01`, `runs=200`, "
            "`seed=0`, and read `expected_reach` (it counts the seeds too).",
            "es": 'Toma los 20 valores más altos de `degree` (`nlargest(20, "degree")`), '
            "pasa su lista de `node` a `simulate_cascades` con `probability=0.01`, `runs=200`, "
            "`seed=0`, y lee `expected_reach` (cuenta también las semillas).",
            "pt": 'Pegue os 20 maiores valores de `degree` (`nlargest(20, "degree")`), passe '
            "a lista de `node` para `simulate_cascades` com `probability=0.01`, `runs=200`, "
            "`seed=0`, e leia `expected_reach` (ele conta também as sementes).",
        },
    ),
    Question(
        key="lesson8.q5",
        kind="choice",
        choices=("a", "b", "c", "d"),
        expected=_fewest_reached,
        hint={
            "en": "Compare only the blue bars (the orange one is random): their length is the "
            "expected reach, and the whiskers show whether two bars can be told apart.",
            "es": "Compara solo las barras azules (la naranja es el azar): su largo es el "
            "alcance esperado, y los bigotes muestran si dos barras se pueden distinguir.",
            "pt": "Compare só as barras azuis (a laranja é o sorteio): o comprimento é o "
            "alcance esperado, e os bigodes mostram se duas barras podem ser distinguidas.",
        },
    ),
    Question(
        key="lesson8.q6",
        kind="label",
        expected=_repeat_advocate,
        hint={
            "en": 'Call `network.advocates(airline.graph, airline.messages, brand="Delta", '
            "min_messages=2)`: it keeps authors with at least two messages and net sentiment "
            "above 0, most influential (PageRank) first; take the `node` of its first row.",
            "es": "Llama a `network.advocates(airline.graph, airline.messages, "
            'brand="Delta", min_messages=2)`: deja a los autores con al menos dos mensajes y '
            "sentimiento neto mayor que 0, el más influyente (PageRank) primero; toma el "
            "`node` de su primera fila.",
            "pt": 'Chame `network.advocates(airline.graph, airline.messages, brand="Delta", '
            "min_messages=2)`: ele mantém os autores com pelo menos duas mensagens e "
            "sentimento líquido acima de 0, o mais influente (PageRank) primeiro; pegue o "
            "`node` da primeira linha.",
        },
    ),
]
