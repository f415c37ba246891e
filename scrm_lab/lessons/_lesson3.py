"""Lesson 3, metrics of success: the questions and their answers from the data."""

from __future__ import annotations

from functools import cache

import pandas as pd

from scrm_lab.lessons._selfcheck import Question


@cache
def _sessions() -> pd.DataFrame:
    from scrm_lab.datasets import load_dataset

    return load_dataset("online_shoppers_intention")


@cache
def _posts() -> pd.DataFrame:
    from scrm_lab.datasets import load_dataset

    return load_dataset("facebook_metrics")


@cache
def _tweets() -> pd.DataFrame:
    from scrm_lab.datasets import load_dataset

    return load_dataset("twitter_airline_sentiment")


def _follower_growth_year() -> float:
    from scrm_lab import metrics

    posts = _posts()
    growth = metrics.follower_growth(posts.assign(period=posts["post_month"])).set_index("period")
    first, last = growth.loc[1, "followers"], growth.loc[12, "followers"]
    return float((last - first) / first)


def _visitor_type_letter() -> str:
    from scrm_lab import metrics

    rates = metrics.conversion_rate(_sessions(), by="visitor_type").set_index("visitor_type")
    new, returning = rates.loc["new"], rates.loc["returning"]
    # the options: a) returning clearly higher, b) new clearly higher, c) overlapping intervals
    if new["ci_low"] > returning["ci_high"]:
        return "b"
    if returning["ci_low"] > new["ci_high"]:
        return "a"
    return "c"


def _funnel_share_letter() -> str:
    from scrm_lab import metrics

    funnel = metrics.funnel_summary(metrics.sales_funnel(_sessions()))
    share = float(funnel["from_start"].iloc[-1])
    # the options as printed in the notebook; the nearest one is the reading of the chart
    options = {"a": 0.01, "b": 0.11, "c": 0.21, "d": 0.56}
    return min(options, key=lambda letter: abs(options[letter] - share))


def _united_share_of_three() -> float:
    from scrm_lab import listening

    three = listening.share_of_voice(_tweets(), brands=["United", "American", "Delta"])
    return float(three.loc[three["brand"] == "United", "share"].iloc[0])


def _top_post_by_rate() -> str:
    from scrm_lab.engagement import content

    performance = content.post_performance(_posts(), denominator="reach")
    return str(content.top_posts(performance, n=1, by="engagement_rate")["post_id"].iloc[0])


def _voice_versus_feedback_letter() -> str:
    from scrm_lab import listening

    voice = listening.share_of_voice(_tweets()).set_index("brand")
    net = listening.net_sentiment(_tweets()).set_index("brand")
    loudest = voice["share"].idxmax()
    clearly_better = (net["ci_low"] > net.loc[loudest, "ci_high"]).sum()
    # b) holds when the most-mentioned brand is net negative and others clearly beat it
    if net.loc[loudest, "estimate"] < 0 and clearly_better >= 2:
        return "b"
    return "a"


QUESTIONS = [
    Question(
        key="lesson3.q1",
        kind="number",
        expected=_follower_growth_year,
        hint={
            "en": "Take the followers at the end of month 12 minus those at the end of month 1, "
            "and divide by the month-1 followers (the starting point is the denominator).",
            "es": "Toma los seguidores al final del mes 12 menos los del final del mes 1 y "
            "divide entre los seguidores del mes 1 (el punto de partida es el denominador).",
            "pt": "Pegue os seguidores no fim do mês 12 menos os do fim do mês 1 e divida "
            "pelos seguidores do mês 1 (o ponto de partida é o denominador).",
        },
    ),
    Question(
        key="lesson3.q2",
        kind="choice",
        choices=("a", "b", "c", "d"),
        expected=_visitor_type_letter,
        hint={
            "en": "Run conversion_rate with by='visitor_type' and compare the rows new and "
            "returning: which estimate is larger, and do their intervals overlap? Both "
            "divide by sessions.",
            "es": "Ejecuta conversion_rate con by='visitor_type' y compara las filas new y "
            "returning: ¿qué estimación es mayor y se solapan sus intervalos? Las dos "
            "dividen entre sesiones.",
            "pt": "Execute conversion_rate com by='visitor_type' e compare as linhas new e "
            "returning: qual estimativa é maior e os intervalos se sobrepõem? As duas "
            "dividem por sessões.",
        },
    ),
    Question(
        key="lesson3.q3",
        kind="choice",
        choices=("a", "b", "c", "d"),
        expected=_funnel_share_letter,
        hint={
            "en": "The percentage printed on each bar is 'of previous': its denominator is the "
            "stage before. The question's denominator is every session that visited: divide "
            "the last bar's sessions by the first bar's.",
            "es": "El porcentaje escrito en cada barra es 'of previous': su denominador es la "
            "etapa anterior. El denominador de la pregunta son todas las sesiones que "
            "visitaron: divide las sesiones de la última barra entre las de la primera.",
            "pt": "A porcentagem escrita em cada barra é 'of previous': o denominador é a "
            "etapa anterior. O denominador da pergunta são todas as sessões que visitaram: "
            "divida as sessões da última barra pelas da primeira.",
        },
    ),
    Question(
        key="lesson3.q4",
        kind="number",
        expected=_united_share_of_three,
        hint={
            "en": "Pass brands=['United', 'American', 'Delta'] to share_of_voice: the "
            "denominator becomes the mentions of those three airlines only.",
            "es": "Pasa brands=['United', 'American', 'Delta'] a share_of_voice: el "
            "denominador pasa a ser solo las menciones de esas tres aerolíneas.",
            "pt": "Passe brands=['United', 'American', 'Delta'] para share_of_voice: o "
            "denominador passa a ser só as menções dessas três companhias.",
        },
    ),
    Question(
        key="lesson3.q5",
        kind="label",
        expected=_top_post_by_rate,
        hint={
            "en": "Rank with top_posts(..., by='engagement_rate'), not by 'engagements': the "
            "rate divides each post's engagements by the people it reached.",
            "es": "Ordena con top_posts(..., by='engagement_rate'), no por 'engagements': la "
            "tasa divide las interacciones de cada publicación entre las personas alcanzadas.",
            "pt": "Ordene com top_posts(..., by='engagement_rate'), não por 'engagements': a "
            "taxa divide as interações de cada publicação pelas pessoas alcançadas.",
        },
        wrong="245",
    ),
    Question(
        key="lesson3.q6",
        kind="choice",
        choices=("a", "b", "c", "d"),
        expected=_voice_versus_feedback_letter,
        hint={
            "en": "Find United in the net sentiment table: is its estimate above or below "
            "zero, and how does it compare with the other airlines' intervals?",
            "es": "Busca United en la tabla de sentimiento neto: ¿su estimación está por "
            "encima o por debajo de cero, y cómo se compara con los intervalos de las demás "
            "aerolíneas?",
            "pt": "Procure a United na tabela de sentimento líquido: a estimativa está acima "
            "ou abaixo de zero, e como ela se compara com os intervalos das outras "
            "companhias?",
        },
    ),
]
