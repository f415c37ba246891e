"""What the lessons tell a student, in English, Spanish and Portuguese: one table.

Examples
--------
>>> say("correct", "pt", key="lesson1.q1")
'✔ lesson1.q1: correto!'
"""

from __future__ import annotations

from typing import Any

_TEXT = {
    "correct": {
        "en": "✔ {key}: correct.",
        "es": "✔ {key}: ¡correcto!",
        "pt": "✔ {key}: correto!",
    },
    "wrong": {
        "en": "✘ {key}: not yet. Hint: {hint}",
        "es": "✘ {key}: todavía no. Pista: {hint}",
        "pt": "✘ {key}: ainda não. Dica: {hint}",
    },
    "unanswered": {
        "en": "… {key}: no answer yet: replace the ... with your answer and run the cell again.",
        "es": "… {key}: aún sin respuesta: cambia ... por tu respuesta y vuelve a ejecutar la "
        "celda.",
        "pt": "… {key}: ainda sem resposta: troque ... pela sua resposta e execute a célula "
        "de novo.",
    },
    "number": {
        "en": "✘ {key}: this answer is one number; got {got}.",
        "es": "✘ {key}: esta respuesta es un número; se recibió {got}.",
        "pt": "✘ {key}: esta resposta é um número; recebido {got}.",
    },
    "percent": {
        "en": "✘ {key}: that looks like a percentage; give it as a share between 0 and 1.",
        "es": "✘ {key}: parece un porcentaje; escríbelo como proporción entre 0 y 1.",
        "pt": "✘ {key}: parece uma porcentagem; escreva como proporção entre 0 e 1.",
    },
    "choice": {
        "en": "✘ {key}: answer with one of the letters {options}; got {got}.",
        "es": "✘ {key}: responde con una de las letras {options}; se recibió {got}.",
        "pt": "✘ {key}: responda com uma das letras {options}; recebido {got}.",
    },
    "label": {
        "en": "✘ {key}: this answer is a name (a str); got {got}.",
        "es": "✘ {key}: esta respuesta es un nombre (un str); se recibió {got}.",
        "pt": "✘ {key}: esta resposta é um nome (um str); recebido {got}.",
    },
    "labels": {
        "en": "✘ {key}: this answer is a list of names; got {got}.",
        "es": "✘ {key}: esta respuesta es una lista de nombres; se recibió {got}.",
        "pt": "✘ {key}: esta resposta é uma lista de nomes; recebido {got}.",
    },
    "copied": {
        "en": "Your lesson: {path}",
        "es": "Tu lección: {path}",
        "pt": "Sua lição: {path}",
    },
    "kept": {
        "en": "Your earlier work is untouched: {path}",
        "es": "Tu trabajo anterior no se tocó: {path}",
        "pt": "Seu trabalho anterior não foi alterado: {path}",
    },
    "open": {
        "en": "Open it in JupyterLab:\n  jupyter lab {path}",
        "es": "Ábrela en JupyterLab:\n  jupyter lab {path}",
        "pt": "Abra no JupyterLab:\n  jupyter lab {path}",
    },
    "unknown": {
        "en": "There is no question {key!r}; this lesson's questions are {known}.{hint}",
        "es": "No hay ninguna pregunta {key!r}; las preguntas de esta lección son {known}.{hint}",
        "pt": "Não existe a pergunta {key!r}; as perguntas desta lição são {known}.{hint}",
    },
}


def say(message: str, lang: str, **values: Any) -> str:
    """One of the lessons' messages in ``lang``, filled in."""
    return _TEXT[message][lang].format(**values)
