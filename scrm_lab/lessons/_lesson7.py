"""Lesson 7, social customer service: the questions and their answers from simulated threads."""

from __future__ import annotations

from functools import cache

import pandas as pd

from scrm_lab.lessons._selfcheck import Question

#: The simulation the lesson uses (no shipped real data set has brand replies).
N_THREADS, SEED = 2000, 0


@cache
def _threads() -> pd.DataFrame:
    from scrm_lab.service import service_threads
    from scrm_lab.synth import simulate_service_threads

    return service_threads(simulate_service_threads(N_THREADS, seed=SEED).messages)


def _sla_share(sla_minutes: float) -> float:
    from scrm_lab.service import service_levels

    overall = service_levels(_threads(), by="all", sla_minutes=sla_minutes)
    return float(overall["sla_share"].iloc[0])


def _median_first_response_hours() -> float:
    from scrm_lab.service import service_levels

    overall = service_levels(_threads(), by="all")
    return float(overall["median_first_response_minutes"].iloc[0]) / 60


def _sla_share_1h() -> float:
    return _sla_share(60)


def _slower_social_channel() -> str:
    from scrm_lab.service import service_levels

    medians = service_levels(_threads(), by="channel").set_index("channel")
    pair = medians.loc[["facebook", "instagram"], "median_first_response_minutes"]
    return str(pair.idxmax())


def _sla_share_4h() -> float:
    return _sla_share(240)


def _best_reply() -> str:
    # b: thanks and apologises, offers help now, moves personal details to a private
    # channel and signs with a name; the others argue, blame the customer or delete
    return "b"


QUESTIONS = [
    Question(
        key="lesson7.q1",
        kind="number",
        expected=_median_first_response_hours,
        rel_tol=0.01,
        hint={
            "en": "Use first_response_minutes of the threads: unanswered threads have no "
            "time, so the median is over the answered ones. Take the median, not the mean, "
            "and turn minutes into hours.",
            "es": "Usa first_response_minutes de los hilos: los hilos sin respuesta no tienen "
            "tiempo, así que la mediana es de los respondidos. Calcula la mediana, no la "
            "media, y pasa los minutos a horas.",
            "pt": "Use first_response_minutes das conversas: as conversas sem resposta não "
            "têm tempo, então a mediana é das respondidas. Calcule a mediana, não a média, "
            "e converta os minutos em horas.",
        },
    ),
    Question(
        key="lesson7.q2",
        kind="number",
        expected=_sla_share_1h,
        hint={
            "en": "The denominator is every thread of every channel together, answered or "
            "not: an unanswered thread is a miss. service_levels with by='all' and the SLA "
            "in minutes gives the share in one row.",
            "es": "El denominador son todos los hilos de todos los canales juntos, "
            "respondidos o no: un hilo sin respuesta es un fallo. service_levels con "
            "by='all' y el SLA en minutos da la proporción en una fila.",
            "pt": "O denominador são todas as conversas de todos os canais juntos, "
            "respondidas ou não: uma conversa sem resposta é uma falha. service_levels com "
            "by='all' e o SLA em minutos dá a proporção numa linha.",
        },
    ),
    Question(
        key="lesson7.q3",
        kind="label",
        expected=_slower_social_channel,
        hint={
            "en": "Compare only the two curves the question names: the slower channel's "
            "curve rises later, so at any time t it lies lower (further right). Write the "
            "channel's name as in the channel column.",
            "es": "Compara solo las dos curvas que nombra la pregunta: la del canal más lento "
            "sube más tarde, así que en cada tiempo t queda más abajo (más a la derecha). "
            "Escribe el nombre del canal como en la columna channel.",
            "pt": "Compare só as duas curvas que a pergunta cita: a do canal mais lento sobe "
            "mais tarde, então em cada tempo t fica mais baixa (mais à direita). Escreva o "
            "nome do canal como na coluna channel.",
        },
    ),
    Question(
        key="lesson7.q4",
        kind="number",
        expected=_sla_share_4h,
        hint={
            "en": "Same computation as exercise 2, with all threads together, but the "
            "target in minutes is now 4 hours' worth of minutes.",
            "es": "El mismo cálculo que en el ejercicio 2, con todos los hilos juntos, pero "
            "ahora el objetivo en minutos equivale a 4 horas.",
            "pt": "O mesmo cálculo do exercício 2, com todas as conversas juntas, mas agora "
            "a meta em minutos equivale a 4 horas.",
        },
    ),
    Question(
        key="lesson7.q5",
        kind="choice",
        choices=("a", "b", "c", "d"),
        expected=_best_reply,
        hint={
            "en": "Everyone can read the reply, not only this customer. Which one calms the "
            "situation, offers concrete help now and keeps the booking details out of "
            "public view, without proving the customer wrong?",
            "es": "Todo el mundo puede leer la respuesta, no solo este cliente. ¿Cuál calma "
            "la situación, ofrece ayuda concreta ya y saca los datos de la reserva de la "
            "vista pública, sin demostrar que el cliente se equivoca?",
            "pt": "Todo mundo pode ler a resposta, não só este cliente. Qual acalma a "
            "situação, oferece ajuda concreta já e tira os dados da reserva da vista do "
            "público, sem provar que o cliente está errado?",
        },
    ),
]
