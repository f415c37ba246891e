"""Lesson 1, traditional versus social CRM: the questions and their answers from the data."""

from __future__ import annotations

from functools import cache

import pandas as pd

from scrm_lab.lessons._selfcheck import Question

CHOICES = ("a", "b", "c", "d")


@cache
def _purchases() -> pd.DataFrame:
    from scrm_lab.datasets import load_tables

    return load_tables("cdnow")["transactions"]


@cache
def _rfm() -> pd.DataFrame:
    from scrm_lab.customers import rfm_summary

    return rfm_summary(_purchases())


def _one_time_share() -> float:
    return float((_rfm()["frequency"] == 0).mean())


def _top_tenth_share() -> float:
    spend = _purchases().groupby("customer_id")["amount"].sum().sort_values(ascending=False)
    return float(spend.head(len(spend) // 10).sum() / spend.sum())


def _champions_with_fewer_bins() -> str:
    from scrm_lab.customers import rfm_scores

    def share(bins: int) -> float:
        return float((rfm_scores(_rfm(), bins=bins)["segment"] == "champions").mean())

    five, three = share(5), share(3)
    return "a" if three > five else "b" if three < five else "c"


def _most_negative_airline() -> str:
    from scrm_lab.datasets import load_tables

    tweets = load_tables("twitter_airline_sentiment")["messages"]
    negative = tweets.loc[tweets["sentiment"] == "negative", "brand"].astype(str)
    return str(negative.value_counts().idxmax())


def _many_to_many() -> str:
    return "c"  # a public tweet is open: anyone reads, answers and shares it


def _evolution() -> str:
    return "b"  # social CRM adds conversations to the customer records; it replaces nothing


QUESTIONS = [
    Question(
        key="lesson1.q1",
        kind="number",
        expected=_one_time_share,
        hint={
            "en": "In the RFM table, frequency counts repeat purchases only. Which value of "
            "frequency means 'never came back'? Then divide by all customers.",
            "es": "En la tabla RFM, la frecuencia cuenta solo las compras repetidas. ¿Qué "
            "valor de frecuencia significa 'nunca volvió'? Luego divide entre todos los "
            "clientes.",
            "pt": "Na tabela RFM, a frequência conta só as compras repetidas. Que valor de "
            "frequência quer dizer 'nunca voltou'? Depois divida pelo total de clientes.",
        },
    ),
    Question(
        key="lesson1.q2",
        kind="number",
        expected=_top_tenth_share,
        hint={
            "en": "`spend` is already sorted from the largest spender. Add up the first tenth "
            "of its rows and divide by the sum of all rows.",
            "es": "`spend` ya está ordenado de mayor a menor gasto. Suma la primera décima "
            "parte de sus filas y divide entre la suma de todas las filas.",
            "pt": "`spend` já está em ordem do maior gasto para o menor. Some o primeiro "
            "décimo das linhas e divida pela soma de todas as linhas.",
        },
    ),
    Question(
        key="lesson1.q3",
        kind="choice",
        choices=CHOICES,
        expected=_champions_with_fewer_bins,
        hint={
            "en": "Run the cell with bins=3 and compare the share of 'champions' with the "
            "table for bins=5. With fewer, wider ranks, is the top rank easier to reach?",
            "es": "Ejecuta la celda con bins=3 y compara la proporción de 'champions' con la "
            "tabla de bins=5. Con rangos menos numerosos y más anchos, ¿es más fácil "
            "llegar al rango más alto?",
            "pt": "Execute a célula com bins=3 e compare a proporção de 'champions' com a "
            "tabela de bins=5. Com menos faixas, e mais largas, fica mais fácil chegar à "
            "faixa mais alta?",
        },
    ),
    Question(
        key="lesson1.q4",
        kind="label",
        expected=_most_negative_airline,
        hint={
            "en": "Look at the red part of each bar only, not the whole bar: the longest red "
            "part wins.",
            "es": "Mira solo la parte roja de cada barra, no la barra entera: gana la parte "
            "roja más larga.",
            "pt": "Olhe só a parte vermelha de cada barra, não a barra inteira: ganha a parte "
            "vermelha mais comprida.",
        },
    ),
    Question(
        key="lesson1.q5",
        kind="choice",
        choices=CHOICES,
        expected=_many_to_many,
        hint={
            "en": "Who can see a public tweet, and who can answer it? Think of everyone who "
            "takes part, not only the customer and the company.",
            "es": "¿Quién puede ver un tuit público y quién puede responderlo? Piensa en todos "
            "los que participan, no solo en la clienta y la empresa.",
            "pt": "Quem pode ver um tuíte público, e quem pode responder? Pense em todos que "
            "participam, não só na cliente e na empresa.",
        },
    ),
    Question(
        key="lesson1.q6",
        kind="choice",
        choices=CHOICES,
        expected=_evolution,
        hint={
            "en": "Reread section 3: does social CRM throw the customer records away, or "
            "build on them?",
            "es": "Vuelve a leer la sección 3: ¿el CRM social tira los registros de clientes "
            "o se apoya en ellos?",
            "pt": "Releia a seção 3: o CRM social joga fora o cadastro de clientes ou se "
            "apoia nele?",
        },
    ),
]
