"""Lesson 9, the customer seen whole: the questions and their answers from the data.

The lesson runs on a SIMULATED population (no public data links a person's purchases to their
social profiles); the answers are computed as the lesson computes them, from the same
population (1,000 customers, seed 14, true effect 0.4) and the simulation's true links.
"""

from __future__ import annotations

import tempfile
from functools import cache

import pandas as pd

from scrm_lab.lessons._selfcheck import Question

_SEED = 14
_AT_RISK = "at_risk_complainers"
_CHAMPIONS = "social_champions"

#: The lesson's smaller segment file for frequent buyers, with its mention threshold open.
_LOYAL_SEGMENTS = """
segments:
  - name: social_champions
    rules:
      - {{feature: rfm_f, op: ">=", value: 4}}
      - {{feature: mentions, op: ">=", value: {min_mentions}}}
      - {{feature: net_sentiment, op: ">", value: 0.3}}
  - name: quiet_loyalists
    rules:
      - {{feature: rfm_f, op: ">=", value: 4}}
      - {{feature: mentions, op: "<=", value: 1}}
rest: everyone_else
"""


@cache
def _data():
    from scrm_lab.unified import report_data

    return report_data(n_customers=1000, seed=_SEED, effect=0.4)


@cache
def _links() -> pd.DataFrame:
    from scrm_lab.unified import link_table_from_truth

    data = _data()
    return link_table_from_truth(data.crm, data.truth["links"])


@cache
def _history() -> pd.DataFrame:
    from scrm_lab.unified import (
        InteractionStore,
        customer_history,
        customer_view,
        showcase_customer,
    )

    data, links = _data(), _links()
    view = customer_view(
        data.crm, links, data.profiles, interactions=data.interactions,
        messages=data.messages, transactions=data.transactions,
    ).table  # fmt: skip
    stamp = pd.Timestamp("2025-01-01", tz="UTC")
    with tempfile.TemporaryDirectory(prefix="scrm_lab_lesson9_") as folder:
        store = InteractionStore(folder)
        for table in ("interactions", "transactions", "messages"):
            store.ingest(getattr(data, table), table=table, ingested_at=stamp)
        return customer_history(store, links, showcase_customer(view), profiles=data.profiles)


@cache
def _features() -> pd.DataFrame:
    from scrm_lab.unified import features_by_period, period_ends

    return features_by_period(_data(), _links(), period_ends(_data(), period="Q"))


def _last_period_sizes(definitions) -> pd.Series:
    from scrm_lab.unified import segment_membership

    members = segment_membership(_features(), definitions)
    return members.loc[members["period"] == members["period"].max(), "segment"].value_counts()


def _busiest_platform() -> str:
    history = _history()
    own = history[(history["kind"] == "message") & (history["via"] != "reply")]
    return str(own["source"].value_counts().idxmax())


def _why_replies() -> str:
    history = _history()
    replies = history[history["via"] == "reply"]
    own = history[(history["kind"] == "message") & (history["via"] != "reply")]
    # c) each reply answers one of the customer's own messages (reply_to = its record id)
    answered = replies["reply_to"].isin(own["source_record_id"]).all()
    return "c" if len(replies) and answered else "b"


def _at_risk_last_period() -> int:
    from scrm_lab.unified import load_segments

    return int(_last_period_sizes(load_segments("default")).get(_AT_RISK, 0))


def _champions_lost() -> int:
    from scrm_lab.unified import load_segments

    sizes = {
        n: _last_period_sizes(load_segments(_LOYAL_SEGMENTS.format(min_mentions=n))).get(
            _CHAMPIONS, 0
        )
        for n in (2, 5)
    }
    return int(sizes[2] - sizes[5])


def _added_value_reading() -> str:
    from scrm_lab.unified import added_value_comparison

    gains, _ = added_value_comparison(_data(), _links(), seed=_SEED)
    with_effect, without = gains.iloc[0], gains.iloc[1]
    # a) a gain whose interval lies above 0 only where the simulated effect is real
    if with_effect["ci_low"] > 0 and not without["ci_low"] > 0:
        return "a"
    return "b" if with_effect["ci_low"] > 0 else "c"


QUESTIONS = [
    Question(
        key="lesson9.q1",
        kind="label",
        expected=_busiest_platform,
        hint={
            "en": 'Keep the rows of `history` whose `kind` is "message" and whose `via` is '
            'not "reply" (the replies are the brand\'s), then count the rows per `source`.',
            "es": 'Quédate con las filas de `history` cuyo `kind` es "message" y cuya `via` '
            'no es "reply" (las respuestas son de la marca), y cuenta las filas por '
            "`source`.",
            "pt": 'Fique com as linhas de `history` cujo `kind` é "message" e cuja `via` não '
            'é "reply" (as respostas são da marca), e conte as linhas por `source`.',
        },
    ),
    Question(
        key="lesson9.q2",
        kind="choice",
        choices=("a", "b", "c", "d"),
        expected=_why_replies,
        hint={
            "en": "Look at the `reply_to` column of the reply rows and find those ids in the "
            "`source_record_id` column of the customer's own messages.",
            "es": "Mira la columna `reply_to` de las filas de respuesta y busca esos "
            "identificadores en la columna `source_record_id` de los mensajes del propio "
            "cliente.",
            "pt": "Olhe a coluna `reply_to` das linhas de resposta e procure esses "
            "identificadores na coluna `source_record_id` das mensagens do próprio cliente.",
        },
    ),
    Question(
        key="lesson9.q3",
        kind="number",
        expected=_at_risk_last_period,
        hint={
            "en": "Keep the rows of `membership` whose `period` is the latest one, then count "
            "those whose `segment` is at_risk_complainers; the crosstab above shows the same "
            "counts, one column per period.",
            "es": "Quédate con las filas de `membership` cuyo `period` es el último, y cuenta "
            "las que tienen `segment` igual a at_risk_complainers; la tabla cruzada de arriba "
            "muestra los mismos conteos, una columna por período.",
            "pt": "Fique com as linhas de `membership` cujo `period` é o último, e conte as que "
            "têm `segment` igual a at_risk_complainers; a tabela cruzada acima mostra as "
            "mesmas contagens, uma coluna por período.",
        },
    ),
    Question(
        key="lesson9.q4",
        kind="number",
        expected=_champions_lost,
        hint={
            "en": "Compute `last_period_sizes(loyal_segments(2))` and "
            "`last_period_sizes(loyal_segments(5))` and subtract their social_champions "
            "counts: the old size minus the new one.",
            "es": "Calcula `last_period_sizes(loyal_segments(2))` y "
            "`last_period_sizes(loyal_segments(5))` y resta sus conteos de social_champions: "
            "el tamaño anterior menos el nuevo.",
            "pt": "Calcule `last_period_sizes(loyal_segments(2))` e "
            "`last_period_sizes(loyal_segments(5))` e subtraia as contagens de "
            "social_champions: o tamanho antigo menos o novo.",
        },
    ),
    Question(
        key="lesson9.q5",
        kind="choice",
        choices=("a", "b", "c", "d"),
        expected=_added_value_reading,
        hint={
            "en": "Read each row's interval (`ci_low` to `ci_high`): does it lie above 0, or "
            "not? Then remember where the data come from before you speak of real customers.",
            "es": "Lee el intervalo de cada fila (`ci_low` a `ci_high`): ¿queda por encima de "
            "0 o no? Y recuerda de dónde vienen los datos antes de hablar de clientes reales.",
            "pt": "Leia o intervalo de cada linha (`ci_low` a `ci_high`): ele fica acima de 0 "
            "ou não? E lembre de onde vêm os dados antes de falar de clientes reais.",
        },
    ),
]
