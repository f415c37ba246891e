"""Lesson 2, the 5Ms and the business areas: the questions and their answers from the data."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

import pandas as pd

from scrm_lab.lessons._selfcheck import Question

# the small listening-tool export the notebook writes to a file (exercise 4)
_EXPORT = """Tweet ID,User,Posted,Body,Account,Network
1001,ana_g,2015-02-20 09:30,@united my bag never arrived,United,twitter
1002,joe_p,2015-02-20 10:05,@united thanks for the upgrade!,United,twitter
1003,li_m,2015-02-21 18:40,@Delta two hours on the tarmac,Delta,twitter
"""
_MAPPING = {
    "Tweet ID": "message_id",
    "User": "author",
    "Posted": "time",
    "Body": "text",
    "Account": "brand",
    "Network": "channel",
}


@cache
def _tweets() -> pd.DataFrame:
    from scrm_lab.datasets import load_dataset

    return load_dataset("twitter_airline_sentiment")


def _mostly_negative_airlines() -> list[str]:
    tweets = _tweets()
    negative_share = (tweets["sentiment"] == "negative").groupby(tweets["brand"]).mean()
    return negative_share[negative_share > 0.5].index.tolist()


def _largest_degree() -> int:
    from scrm_lab import network
    from scrm_lab.datasets import load_dataset

    graph = network.build_graph(load_dataset("snap_ego_facebook"))
    return int(network.influence_scores(graph, betweenness=False)["degree"].max())


def _best_content_type() -> str:
    from scrm_lab.datasets import load_dataset
    from scrm_lab.engagement import content

    performance = content.post_performance(load_dataset("facebook_metrics"), denominator="reach")
    medians = performance.groupby("content_type", observed=True)["engagement_rate"].median()
    return str(medians.idxmax())


def _utc_time_letter() -> str:
    from scrm_lab.io import read_table

    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "export.csv"
        export.write_text(_EXPORT)
        table = read_table(export, kind="messages", columns=_MAPPING, timezone="America/New_York")
    time = table.loc[table["message_id"] == "1001", "time"].iloc[0]
    # the options as printed in the notebook: a) as written, b) 14:30 UTC, c) 04:30 UTC
    options = {"a": (9, 30, None), "b": (14, 30, "UTC"), "c": (4, 30, "UTC")}
    return next(
        letter
        for letter, (hour, minute, zone) in options.items()
        if (time.hour, time.minute) == (hour, minute) and str(time.tz) == str(zone)
    )


def _net_sentiment_virgin() -> float:
    # (positive - negative) / (positive + negative), as metric_definitions() writes it
    sentiment = _tweets().loc[lambda t: t["brand"] == "Virgin America", "sentiment"]
    positive, negative = (sentiment == "positive").sum(), (sentiment == "negative").sum()
    return float((positive - negative) / (positive + negative))


QUESTIONS = [
    Question(
        key="lesson2.q1",
        kind="labels",
        expected=_mostly_negative_airlines,
        hint={
            "en": "For each brand, divide its negative mentions by all of its mentions (all "
            "sentiments), then keep the brands whose share is above 0.5.",
            "es": "Para cada marca, divide sus menciones negativas entre todas sus menciones "
            "(de cualquier sentimiento) y quédate con las marcas cuya proporción pasa de 0,5.",
            "pt": "Para cada marca, divida as menções negativas por todas as menções dela (de "
            "qualquer sentimento) e fique com as marcas cuja proporção passa de 0,5.",
        },
    ),
    Question(
        key="lesson2.q2",
        kind="number",
        expected=_largest_degree,
        rel_tol=0.0,
        abs_tol=0.0,
        hint={
            "en": "A person's number of friends is the degree; look for the largest value of "
            "the degree column in the influence scores.",
            "es": "El número de amigos de una persona es su grado; busca el valor más grande de "
            "la columna degree en las puntuaciones de influencia.",
            "pt": "O número de amigos de uma pessoa é o grau; procure o maior valor da coluna "
            "degree nas pontuações de influência.",
        },
    ),
    Question(
        key="lesson2.q3",
        kind="label",
        expected=_best_content_type,
        hint={
            "en": "Group the posts by content_type and take the median of engagement_rate in "
            "each group (the median, not the mean nor the single best post).",
            "es": "Agrupa las publicaciones por content_type y toma la mediana de "
            "engagement_rate en cada grupo (la mediana, no la media ni la mejor publicación).",
            "pt": "Agrupe as publicações por content_type e tire a mediana de engagement_rate "
            "em cada grupo (a mediana, não a média nem a melhor publicação).",
        },
        wrong="status",
    ),
    Question(
        key="lesson2.q4",
        kind="choice",
        choices=("a", "b", "c", "d"),
        expected=_utc_time_letter,
        hint={
            "en": "Canonical tables keep every time in UTC, and timezone= tells read_table "
            "which clock the file was written in: read the file again with it and print "
            "the time of message 1001.",
            "es": "Las tablas canónicas guardan todas las horas en UTC, y timezone= le dice a "
            "read_table en qué reloj se escribió el archivo: vuelve a leerlo con ese "
            "parámetro e imprime la hora del mensaje 1001.",
            "pt": "As tabelas canônicas guardam todos os horários em UTC, e timezone= diz ao "
            "read_table em que relógio o arquivo foi escrito: leia o arquivo de novo com esse "
            "parâmetro e imprima o horário da mensagem 1001.",
        },
    ),
    Question(
        key="lesson2.q5",
        kind="number",
        expected=_net_sentiment_virgin,
        hint={
            "en": "Count Virgin America's positive and negative mentions; the denominator is "
            "positive + negative only, neutral mentions stay out.",
            "es": "Cuenta las menciones positivas y negativas de Virgin America; el "
            "denominador es solo positivas + negativas, las neutras quedan fuera.",
            "pt": "Conte as menções positivas e negativas da Virgin America; o denominador é só "
            "positivas + negativas, as neutras ficam de fora.",
        },
    ),
]
