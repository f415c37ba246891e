"""Lesson 4, engagement profiles (ENGAGEMENTdb 2009): the questions and their answers from the data.

The 100 brands of the ``engagementdb_2009_reconstruction`` data set (real brands, simulated
channel activity) scored with the shipped ``engagementdb_2009`` rubric and classified into
the four profiles; the example brand placed among them with ``compare_brand``.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from scrm_lab.lessons._selfcheck import Question

_BREADTH_CUT = 7
#: The options of the choice question on the example brand's new profile, by profile.
_PROFILE_LETTER = {"Wallflower": "a", "Selective": "b", "Butterfly": "c", "Maven": "d"}
_DESCRIPTION_COLUMNS = [
    "brand",
    "channel",
    "present",
    "freshness",
    "responsiveness",
    "participation",
    "integration",
]


@cache
def _scores() -> pd.DataFrame:
    from scrm_lab.datasets import load_tables
    from scrm_lab.engagement import score_engagement

    activity = load_tables("engagementdb_2009_reconstruction")["channel_activity"]
    return score_engagement(activity, rubric="engagementdb_2009")


@cache
def _profiles(rule: str = "regression") -> pd.DataFrame:
    from scrm_lab.engagement import classify_profiles

    return classify_profiles(_scores(), breadth_cut=_BREADTH_CUT, rule=rule)


def _coke_mean_depth() -> float:
    coke = _scores().set_index("brand").loc["Coca-Cola"]
    return float(coke["score"] / coke["breadth"])


def _profile_of_9_channels_60_points() -> str:
    profiles = _profiles()
    line = float(profiles.loc[profiles["breadth"] == 9, "expected_score"].iloc[0])
    broad = 9 >= _BREADTH_CUT
    above = 60 > line
    if broad:
        return "Maven" if above else "Butterfly"
    return "Selective" if above else "Wallflower"


def _mavens() -> int:
    return int((_profiles()["profile"] == "Maven").sum())


def _technology_mavens() -> int:
    from scrm_lab.datasets import load_tables

    brands = load_tables("engagementdb_2009_reconstruction")["brands"][["brand", "sector"]]
    merged = _profiles().merge(brands, on="brand")
    tech = merged[merged["sector"] == "Technology"]
    return int((tech["profile"] == "Maven").sum())


def _example_with_community() -> str:
    from scrm_lab.engagement import EXAMPLE_DESCRIPTION, compare_brand, read_brand_description

    mine = read_brand_description(EXAMPLE_DESCRIPTION)[_DESCRIPTION_COLUMNS].copy()
    row = mine["channel"] == "branded_community"
    mine.loc[row, ["present", "freshness"]] = [True, 1]
    profile = str(compare_brand(mine).placement["profile_regression_rule"].iloc[0])
    return _PROFILE_LETTER[profile]


def _mean_rule_mavens() -> str:
    by_mean = int((_profiles("mean")["profile"] == "Maven").sum())
    by_line = _mavens()
    if by_mean == 0:
        return "d"
    if by_mean > by_line:
        return "a"
    return "b" if by_mean < by_line else "c"


QUESTIONS = [
    Question(
        key="lesson4.q1",
        kind="number",
        expected=_coke_mean_depth,
        hint={
            "en": "Find Coca-Cola's row in scores and divide its score by its breadth "
            "(points over channels present, not over all 11).",
            "es": "Busca la fila de Coca-Cola en scores y divide su score entre su "
            "breadth (puntos entre canales presentes, no entre los 11).",
            "pt": "Encontre a linha da Coca-Cola em scores e divida o score pela "
            "breadth (pontos sobre os canais presentes, não sobre os 11).",
        },
    ),
    Question(
        key="lesson4.q2",
        kind="label",
        expected=_profile_of_9_channels_60_points,
        hint={
            "en": "Two questions decide it: is 9 channels at or above the cut of 7 (broad), "
            "and is 60 above or below the sloped line where it crosses 9 channels? Write the "
            "name in the singular, e.g. 'Selective'.",
            "es": "Dos preguntas lo deciden: ¿9 canales está en el corte de 7 o por encima "
            "(amplia)? ¿60 queda sobre o bajo la recta inclinada en 9 canales? Escribe el "
            "nombre en singular, por ejemplo 'Selective'.",
            "pt": "Duas perguntas decidem: 9 canais está no corte de 7 ou acima (ampla)? "
            "60 fica acima ou abaixo da reta inclinada em 9 canais? Escreva o nome no "
            "singular, por exemplo 'Selective'.",
        },
    ),
    Question(
        key="lesson4.q3",
        kind="number",
        expected=_technology_mavens,
        hint={
            "en": 'profiles has no sector: merge it with recon["brands"] on the brand column, '
            "keep the rows whose sector is 'Technology', then count those whose profile "
            "is 'Maven' (the sum of a True/False comparison counts the True ones).",
            "es": 'profiles no tiene sector: únelo con recon["brands"] por la columna brand, '
            "quédate con las filas cuyo sector es 'Technology' y cuenta las que tienen "
            "profile 'Maven' (la suma de una comparación True/False cuenta los True).",
            "pt": 'profiles não tem setor: junte com recon["brands"] pela coluna brand, '
            "fique com as linhas cujo sector é 'Technology' e conte as que têm profile "
            "'Maven' (a soma de uma comparação True/False conta os True).",
        },
    ),
    Question(
        key="lesson4.q4",
        kind="choice",
        choices=("a", "b", "c", "d"),
        expected=_example_with_community,
        hint={
            "en": "Count the channels after the change: is the brand now broad? Then compare "
            "its score (2 points more) with the line at that number of channels.",
            "es": "Cuenta los canales después del cambio: ¿la marca ahora es amplia? Luego "
            "compara su puntuación (2 puntos más) con la recta en ese número de canales.",
            "pt": "Conte os canais depois da mudança: a marca agora é ampla? Depois compare "
            "a pontuação (2 pontos a mais) com a reta nesse número de canais.",
        },
    ),
    Question(
        key="lesson4.q5",
        kind="choice",
        choices=("a", "b", "c", "d"),
        expected=_mean_rule_mavens,
        hint={
            "en": "Where does one mean of all 100 brands lie, compared with the scores of the "
            "broad brands below their line? Narrow brands pull that mean down. Count the "
            "Mavens under both rules to check.",
            "es": "¿Dónde queda una sola media de las 100 marcas comparada con las puntuaciones "
            "de las marcas amplias que están bajo su recta? Las marcas estrechas bajan esa "
            "media. Cuenta los Mavens con las dos reglas para comprobarlo.",
            "pt": "Onde fica uma única média das 100 marcas, comparada com as pontuações das "
            "marcas amplas que estão abaixo da reta? As marcas estreitas puxam essa média "
            "para baixo. Conte os Mavens com as duas regras para conferir.",
        },
    ),
]
