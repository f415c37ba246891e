"""Lesson 5, does engagement pay? The questions and their answers from the data.

The Maven - Wallflower gap in the ``engagementdb_2009_reconstruction`` brands (whose revenue
change is simulated to match the published +18% and -6%), the real 2009 brand value change
by sector (``interbrand_best_global_brands``), the gap with sector and size held fixed, and a
small method benchmark on simulated panels (20 replications, as in the lesson).
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from scrm_lab.lessons._selfcheck import Question

_VALUE = "sim_revenue_change_pct"
#: The benchmark of the lesson: its scenarios, panel sizes, methods and replications.
_SCENARIOS = ("confounded_null", "reverse")
_N_BRANDS = (30, 100, 300)
_METHODS = ("group_means_2009", "regression_controls", "fixed_effects_panel")
_REPLICATIONS = 20


@cache
def _brands() -> pd.DataFrame:
    from scrm_lab.datasets import load_tables

    return load_tables("engagementdb_2009_reconstruction")["brands"]


@cache
def _gap() -> pd.DataFrame:
    from scrm_lab.models import group_difference

    return group_difference(
        _brands(),
        value=_VALUE,
        group="sim_profile",
        target="Maven",
        reference="Wallflower",
        controls=["sector"],
        log_controls=["size"],
    ).set_index("model")


@cache
def _benchmark() -> pd.DataFrame:
    from scrm_lab.bench import make_scenarios, run_benchmark

    scenarios = [s for s in make_scenarios(n_brands=list(_N_BRANDS)) if s.name in _SCENARIOS]
    result = run_benchmark(
        scenarios=scenarios, methods=list(_METHODS), replications=_REPLICATIONS, seed=0, workers=1
    )
    return result.summary


def _naive_gap() -> float:
    means = _brands().groupby("sim_profile", observed=True)[_VALUE].mean()
    return float(means["Maven"] - means["Wallflower"])


def _reading_of_a_gap() -> str:
    # b: a gap between uncontrolled group means shows a difference, not its cause
    return "b"


def _financial_services_change() -> float:
    from scrm_lab.datasets import load_dataset

    rankings = load_dataset("interbrand_best_global_brands")
    banks = rankings[(rankings["year"] == 2009) & (rankings["sector"] == "Financial Services")]
    return float(banks["change_pct"].mean())


def _controlled_gap() -> str:
    raw, adjusted = _gap().loc["raw"], _gap().loc["adjusted"]
    if adjusted["estimate"] * raw["estimate"] < 0:
        return "d"
    if not bool(adjusted["clear"]):
        return "c"
    return "a" if abs(adjusted["estimate"]) > abs(raw["estimate"]) else "b"


def _method_that_always_rejects() -> str:
    summary = _benchmark()
    part = summary[(summary["scenario"] == "confounded_null") & (summary["n_brands"] >= 100)]
    lowest = part.groupby("method")["rejection_rate"].min()
    always = lowest[lowest >= 0.9].index.tolist()
    letters = dict(zip(_METHODS, ("a", "b", "c"), strict=True))
    return letters[always[0]] if len(always) == 1 else "d"


def _coverage_under_reverse() -> str:
    summary = _benchmark()
    part = summary[(summary["scenario"] == "reverse") & summary["effect_scale"]]
    trend = {}
    for method, rows in part.groupby("method"):
        rows = rows.sort_values("n_brands")
        first, last = rows["coverage"].iloc[0], rows["coverage"].iloc[-1]
        if last < first and last < 0.5:
            trend[method] = "falls"
        elif last > first and last >= 0.9:
            trend[method] = "rises"
        else:
            trend[method] = "stays"
    if len(set(trend.values())) > 1:
        return "d"
    return {"rises": "a", "stays": "b", "falls": "c"}[next(iter(trend.values()))]


QUESTIONS = [
    Question(
        key="lesson5.q1",
        kind="number",
        expected=_naive_gap,
        hint={
            "en": "Take the mean of sim_revenue_change_pct per sim_profile (or read the "
            "estimate column of means), then subtract the Wallflowers' mean from the "
            "Mavens' mean. A negative minus a negative adds up.",
            "es": "Calcula la media de sim_revenue_change_pct por sim_profile (o lee la "
            "columna estimate de means) y resta la media de las Wallflowers a la de los "
            "Mavens. Restar un número negativo suma.",
            "pt": "Calcule a média de sim_revenue_change_pct por sim_profile (ou leia a "
            "coluna estimate de means) e subtraia a média das Wallflowers da média dos "
            "Mavens. Subtrair um número negativo soma.",
        },
    ),
    Question(
        key="lesson5.q2",
        kind="choice",
        choices=("a", "b", "c", "d"),
        expected=_reading_of_a_gap,
        hint={
            "en": "Group means compared without controls and without timing show that two "
            "groups differ. Which sentence claims no more than that, and no less?",
            "es": "Las medias de grupos comparadas sin controles y sin orden en el tiempo "
            "muestran que dos grupos son distintos. ¿Qué frase no afirma ni más ni menos que "
            "eso?",
            "pt": "Médias de grupos comparadas sem controles e sem ordem no tempo mostram que "
            "dois grupos são diferentes. Qual frase não afirma nem mais nem menos que isso?",
        },
    ),
    Question(
        key="lesson5.q3",
        kind="number",
        expected=_financial_services_change,
        hint={
            "en": "Keep the rows of in_2009 whose sector is exactly 'Financial Services' "
            "and average their change_pct (it is already in per cent).",
            "es": "Quédate con las filas de in_2009 cuyo sector es exactamente "
            "'Financial Services' y promedia su change_pct (ya está en porcentaje).",
            "pt": "Fique com as linhas de in_2009 cujo sector é exatamente "
            "'Financial Services' e tire a média de change_pct (já está em porcentagem).",
        },
    ),
    Question(
        key="lesson5.q4",
        kind="choice",
        choices=("a", "b", "c", "d"),
        expected=_controlled_gap,
        hint={
            "en": "Run the next cell and compare the adjusted row with the raw row: which way "
            "did the estimate move, and does the interval from ci_low to ci_high include zero "
            "(see clear)?",
            "es": "Ejecuta la celda siguiente y compara la fila adjusted con la fila raw: "
            "¿hacia dónde se movió la estimación? ¿El intervalo de ci_low a ci_high incluye "
            "el cero (mira clear)?",
            "pt": "Execute a próxima célula e compare a linha adjusted com a linha raw: para "
            "onde a estimativa foi? O intervalo de ci_low a ci_high inclui o zero (veja "
            "clear)?",
        },
    ),
    Question(
        key="lesson5.q5",
        kind="choice",
        choices=("a", "b", "c", "d"),
        expected=_method_that_always_rejects,
        hint={
            "en": "In the confounded_null panel, follow each method's line to 100 and 300 "
            "brands: which one sits near a rejection rate of 1, far above the grey band?",
            "es": "En el panel confounded_null, sigue la línea de cada método hasta 100 y 300 "
            "marcas: ¿cuál queda cerca de una tasa de rechazo de 1, muy por encima de la "
            "banda gris?",
            "pt": "No painel confounded_null, siga a linha de cada método até 100 e 300 "
            "marcas: qual fica perto de uma taxa de rejeição de 1, bem acima da faixa cinza?",
        },
    ),
    Question(
        key="lesson5.q6",
        kind="choice",
        choices=("a", "b", "c", "d"),
        expected=_coverage_under_reverse,
        hint={
            "en": "Look only at the reverse panel of the coverage chart and compare each "
            "line's height at 30 brands with its height at 300 brands, against the grey band "
            "at 95%.",
            "es": "Mira solo el panel reverse del gráfico de cobertura y compara la altura de "
            "cada línea en 30 marcas con su altura en 300 marcas, frente a la banda gris del "
            "95%.",
            "pt": "Olhe só o painel reverse do gráfico de cobertura e compare a altura de cada "
            "linha em 30 marcas com a altura em 300 marcas, em relação à faixa cinza de 95%.",
        },
    ),
]
