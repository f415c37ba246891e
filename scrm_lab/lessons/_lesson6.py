"""Lesson 6, listening and crises: the questions and their answers from the airline tweets."""

from __future__ import annotations

from functools import cache

import pandas as pd

from scrm_lab.lessons._selfcheck import Question


@cache
def _tweets() -> pd.DataFrame:
    from scrm_lab.datasets import load_dataset

    return load_dataset("twitter_airline_sentiment")


def _net_sentiment_reading() -> str:
    from scrm_lab.listening import net_sentiment

    net = net_sentiment(_tweets()).set_index("brand")
    row = net.loc["Virgin America"]
    if row["ci_low"] > 0:
        return "a"  # the whole interval is above 0
    if row["ci_high"] < 0:
        return "c"  # the whole interval is below 0
    least_negative = net["estimate"].idxmax() == "Virgin America"
    return "b" if least_negative else "d"  # the interval includes 0


def _late_flight_share() -> float:
    from scrm_lab.listening import complaint_reasons

    reasons = complaint_reasons(_tweets(), by=None)
    return float(reasons.loc[reasons["reason"] == "Late Flight", "share"].iloc[0])


def _spikes(threshold: float):
    from scrm_lab.listening import detect_spikes

    return detect_spikes(_tweets(), freq="h", window=24, threshold=threshold)


def _biggest_spike() -> str:
    from scrm_lab.listening import largest_spikes

    return str(largest_spikes(_spikes(1e-6))["brand"].iloc[0])


def _looser_spike_count() -> int:
    return len(_spikes(0.001))


def _first_response() -> str:
    # b: answer fast and in public, own the problem, promise the next update, take personal
    # cases to a private channel; deleting, arguing and silence all stay visible
    return "b"


QUESTIONS = [
    Question(
        key="lesson6.q1",
        kind="choice",
        choices=("a", "b", "c", "d"),
        expected=_net_sentiment_reading,
        hint={
            "en": "Look at Virgin America's row: does its interval, from ci_low to ci_high, "
            "lie wholly below 0, wholly above 0, or does it take in 0? Then compare its "
            "estimate with the other airlines'.",
            "es": "Mira la fila de Virgin America: ¿su intervalo, de ci_low a ci_high, queda "
            "entero por debajo de 0, entero por encima, o incluye el 0? Luego compara su "
            "estimación con la de las otras aerolíneas.",
            "pt": "Olhe a linha da Virgin America: o intervalo, de ci_low a ci_high, fica "
            "inteiro abaixo de 0, inteiro acima, ou inclui o 0? Depois compare a estimativa "
            "dela com a das outras companhias.",
        },
    ),
    Question(
        key="lesson6.q2",
        kind="number",
        expected=_late_flight_share,
        hint={
            "en": "Only negative tweets count, from all six airlines together: the "
            "denominator is every negative tweet, not every tweet. complaint_reasons with "
            "by=None ranks the reasons over all the airlines at once.",
            "es": "Solo cuentan los tuits negativos, de las seis aerolíneas juntas: el "
            "denominador son todos los tuits negativos, no todos los tuits. complaint_reasons "
            "con by=None ordena los motivos de todas las aerolíneas a la vez.",
            "pt": "Só contam os tweets negativos, das seis companhias juntas: o denominador "
            "são todos os tweets negativos, não todos os tweets. complaint_reasons com "
            "by=None ordena os motivos de todas as companhias de uma vez.",
        },
    ),
    Question(
        key="lesson6.q3",
        kind="label",
        expected=_biggest_spike,
        hint={
            "en": "Find the line that climbs highest above its own usual level, with red "
            "rings on it; the legend gives each airline's colour. Write the name as it is "
            "in the brand column.",
            "es": "Busca la línea que sube más por encima de su nivel habitual, con anillos "
            "rojos; la leyenda da el color de cada aerolínea. Escribe el nombre tal como "
            "aparece en la columna brand.",
            "pt": "Procure a linha que sobe mais acima do seu nível de costume, com anéis "
            "vermelhos; a legenda dá a cor de cada companhia. Escreva o nome como aparece "
            "na coluna brand.",
        },
    ),
    Question(
        key="lesson6.q4",
        kind="number",
        expected=_looser_spike_count,
        rel_tol=0.0,
        abs_tol=0.0,
        hint={
            "en": "Run detect_spikes again with the new threshold and everything else as "
            "before (freq='h', window=24), then count the rows of the result: one row is "
            "one spike. A larger threshold is a looser rule.",
            "es": "Ejecuta detect_spikes otra vez con el nuevo umbral y todo lo demás igual "
            "(freq='h', window=24), y cuenta las filas del resultado: cada fila es un pico. "
            "Un umbral mayor es una regla menos estricta.",
            "pt": "Execute detect_spikes de novo com o novo limiar e todo o resto igual "
            "(freq='h', window=24) e conte as linhas do resultado: cada linha é um pico. "
            "Um limiar maior é uma regra menos rígida.",
        },
    ),
    Question(
        key="lesson6.q5",
        kind="choice",
        choices=("a", "b", "c", "d"),
        expected=_first_response,
        hint={
            "en": "Think about what the public sees: silence, a deleted post and an argument "
            "all stay visible. Which option answers fast, shows that the brand takes the "
            "problem seriously and moves personal details out of public view?",
            "es": "Piensa en lo que ve el público: el silencio, una publicación borrada y "
            "una discusión quedan a la vista. ¿Qué opción responde rápido, muestra que la "
            "marca se toma el problema en serio y saca los datos personales de la vista "
            "pública?",
            "pt": "Pense no que o público vê: o silêncio, um post apagado e uma discussão "
            "ficam à vista. Qual opção responde rápido, mostra que a marca leva o problema "
            "a sério e tira os dados pessoais da vista do público?",
        },
    ),
]
