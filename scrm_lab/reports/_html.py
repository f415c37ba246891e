"""HTML of a report run: nbconvert's page without code, headed by what was run and how.

Private to :mod:`scrm_lab.reports`.

Safety. The notebook's author is trusted (they write the code that runs); the data are not:
a tweet, a name or a column name may hold HTML. Such text is shown as text:

- Outputs rendered as HTML (``text/html``, and ``text/markdown`` once converted) are cleaned
  with bleach against an allow-list: tags outside it (``<script>``, ``<img>``, ``<iframe>``,
  ``<svg>``, forms, ...) are escaped so they read as text; attributes outside it (``on*``
  handlers, ``src``) are dropped; links keep only http, https and mailto targets;
  ``class`` values naming ``scrm-`` (the header's classes) are dropped. ``style``
  attributes and ``<style>`` sheets (pandas and Styler tables need them) keep only
  declarations of allowed properties (colours, fonts, borders, padding, alignment, size;
  not position or margin) whose values load nothing (no ``url()``); the rules of a sheet
  are scoped to their own output, and at-rules (``@import``, ``@font-face``) are dropped.
- Outputs of other types than text, HTML, Markdown, LaTeX (shown escaped) and PNG, JPEG
  or SVG images (shown as ``<img>``) are dropped before rendering, so JavaScript, widgets
  and Mermaid diagrams fall back to their plain-text form.
- Stream output (``print``) and tracebacks are escaped by nbconvert; Markdown cells are the
  author's and are rendered as written.

Self-contained. The page runs no script and loads nothing: nbconvert's require.js,
MathJax and Mermaid loaders (from CDNs, which fail offline) are left out, and a
Content-Security-Policy forbids scripts and every load but ``data:`` images and fonts. No
shipped notebook has LaTeX math: math in Markdown shows as its TeX source, and dollar
amounts in data are never typeset as math.

Examples
--------
>>> INJECTED_TAG
'injected-parameters'
"""

from __future__ import annotations

import copy
import html
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from typing import Any

_ERROR_MARKER_TAG = "papermill-error-cell-tag"  # papermill's own error banner cells
INJECTED_TAG = "injected-parameters"  # the cell papermill adds after the parameters cell
SECRETS_TAG = "injected-secrets"  # the cell added to read secret parameters
_ADDED_CELL_TAGS = (INJECTED_TAG, SECRETS_TAG)  # cells the run added to the notebook


def clean_cells(nb: Any) -> list[Any]:
    """The executed notebook's cells without papermill's error banner cells."""
    return [c for c in nb.cells if _ERROR_MARKER_TAG not in c.metadata.get("tags", [])]


_HEADER_CSS = """<style>
.scrm-header, .scrm-banner { font-family: system-ui, -apple-system, "Segoe UI", Helvetica,
  Arial, sans-serif; border-radius: 6px; margin: 0 0 16px 0; padding: 10px 16px; }
.scrm-header { font-size: 13px; color: #1f2328; border: 1px solid #d0d7de; background: #f6f8fa; }
.scrm-header h2 { font-size: 14px; margin: 8px 0 4px 0; }
.scrm-header table { border-collapse: collapse; margin: 0; font-size: 12.5px; }
.scrm-header th, .scrm-header td { text-align: left; padding: 2px 16px 2px 0;
  vertical-align: top; border: none; background: none; }
.scrm-header th { font-weight: 600; white-space: nowrap; }
.scrm-header code { font-size: 12px; word-break: break-all; }
.scrm-ok { color: #1a7f37; font-weight: 600; } .scrm-failed { color: #cf222e; font-weight: 600; }
.scrm-banner { background: #ffebe9; border: 2px solid #cf222e; color: #82071e; font-size: 14px; }
.scrm-banner pre { white-space: pre-wrap; margin: 6px 0; font-size: 13px; }
</style>"""


def _e(value: Any) -> str:
    return html.escape(str(value))


def _table(rows: list[tuple[str, ...]]) -> str:
    body = "".join(
        "<tr>" + f"<th>{row[0]}</th>" + "".join(f"<td>{c}</td>" for c in row[1:]) + "</tr>"
        for row in rows
    )
    return f"<table>{body}</table>"


def header_html(status: Mapping[str, Any], provenance: Mapping[str, Any]) -> str:
    """The block on top of every report: what was run, on what data, with what, and how."""
    parameters, defaults = status["parameters"], provenance["defaults"]
    versions, state, error = provenance["packages"], status["status"], status["error"]
    facts = [
        (
            "Notebook",
            f"{_e(status['notebook'])} &nbsp;<code>sha256 "
            f"{_e(provenance['notebook']['sha256'])}</code>",
        ),
        (
            "Status",
            f"<span class='scrm-{'ok' if state == 'succeeded' else 'failed'}'>{_e(state)}</span>",
        ),
        ("Started (UTC)", _e(status["started"])),
        ("Duration", f"{status['duration_s']:.1f} s"),
    ]
    if "seed" in parameters:
        facts.append(("Seed", f"<code>{_e(parameters['seed'])}</code>"))
    engine = provenance.get("engine", {"name": "pandas"})
    where = {"pandas": "in memory", "duckdb": "embedded, out of core"}.get(engine["name"])
    master = f"master <code>{_e(engine['master'])}</code>" if engine.get("master") else None
    facts.append(("Engine", f"{_e(engine['name'])} ({where or master or 'cluster'})"))
    facts.append(
        (
            "Software",
            " · ".join(
                [f"{p} {_e(versions.get(p))}" for p in ("scrm_lab", "pandas", "papermill")]
                + [f"Python {_e(provenance['python'])}"]
            ),
        )
    )
    params = [
        (
            _e(k),
            f"<code>{_e(json.dumps(v, ensure_ascii=False))}</code>",
            "default" if k in defaults and defaults[k] == v else "given",
        )
        for k, v in parameters.items()
    ]
    data = [
        (_e(n), _e(f), f"<code>sha256 {_e(s)}</code>")
        for n, files in provenance["datasets"].items()
        for f, s in files.items()
    ]
    data += [  # the user's own files the run read
        ("your file", _e(f), f"<code>sha256 {_e(s)}</code>" if s else "scanned lazily, not hashed")
        for f, s in provenance.get("files", {}).items()
    ]
    banner = ""
    if error:
        cell = error["cell_index"]
        where = "an unknown cell" if cell is None else f"cell {cell}"
        banner = (
            f"<div class='scrm-banner'><strong>This report failed.</strong> The notebook "
            f"'{_e(status['notebook'])}' stopped at {where} (0-based, counting the cells of "
            f"the notebook file) with <strong>{_e(error['error_name'])}</strong>:"
            f"<pre>{_e(error['error_value'])}</pre>The output below stops there.</div>"
        )
    return (
        f"{banner}<div class='scrm-header'><h2>Report run</h2>{_table(facts)}"
        f"<h2>Parameters</h2>{_table(params) if params else 'none'}"
        + (f"<h2>Data read</h2>{_table(data)}" if data else "")
        + "</div>"
    )


# ---------------------------------------------------------------------------- cleaning

#: Output types rendered; the others are dropped (nbconvert then shows the next one).
_OUTPUT_TYPES = frozenset(
    "text/plain text/html text/markdown text/latex image/png image/jpeg image/svg+xml".split()
)
_FIGURE_TYPES = ("image/svg+xml", "image/png", "image/jpeg")  # nbconvert's priority order
_TAGS = frozenset(
    "a abbr b blockquote br caption cite code col colgroup dd del details div dl dt em "
    "h1 h2 h3 h4 h5 h6 hr i ins kbd li mark ol p pre q s samp small span strong style sub "
    "summary sup table tbody td tfoot th thead tr u ul var".split()
)
_ATTRIBUTES = {
    "*": frozenset({"class", "id", "title", "style", "lang", "dir"}),
    "a": frozenset({"href"}),
    "ol": frozenset({"start"}),
    "table": frozenset({"border"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan"}),
}
_CSS_PROPERTIES = frozenset(
    "background-color border border-bottom border-bottom-color border-collapse border-color "
    "border-left border-left-color border-right border-right-color border-spacing border-style "
    "border-top border-top-color border-width color direction display font font-family "
    "font-size font-style font-variant font-weight height letter-spacing line-height "
    "max-width min-width overflow padding padding-bottom padding-left padding-right "
    "padding-top text-align text-decoration text-indent text-transform unicode-bidi "
    "vertical-align white-space width word-break".split()
)
_CSS_FUNCTIONS = frozenset({"rgb", "rgba", "hsl", "hsla", "calc", "var"})
_CSP = "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'"

# The lab template without its script loaders, with the CSP and with figures' alt text.
_TEMPLATE_NAME = "scrm_report.html.j2"
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{% block html_head_js %}<meta http-equiv="Content-Security-Policy" content="CSP">{% endblock %}
{% block html_head_js_mathjax %}{% endblock %}
{% block html_head_js_mermaidjs %}{% endblock %}
{% block data_svg scoped %}
{{- super() | with_alt(output | get_metadata('alt', 'image/svg+xml')) -}}
{% endblock %}
{% block data_png scoped %}
{{- super() | with_alt(output | get_metadata('alt', 'image/png')) -}}
{% endblock %}
{% block data_jpg scoped %}
{{- super() | with_alt(output | get_metadata('alt', 'image/jpeg')) -}}
{% endblock %}
""".replace("CSP", _CSP)


def _harmless(tokens: Iterable[Any]) -> bool:
    """True if CSS component values load nothing: no url(), only colour and math functions."""
    for token in tokens:
        if token.type == "url":
            return False
        if token.type == "function":
            if token.lower_name not in _CSS_FUNCTIONS or not _harmless(token.arguments):
                return False
        elif token.type in ("() block", "[] block", "{} block") and not _harmless(token.content):
            return False
    return True


def _clean_declarations(css: str) -> str:
    """The declarations of allowed properties whose values are harmless."""
    import tinycss2

    kept = []
    for item in tinycss2.parse_blocks_contents(css, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration" and item.lower_name in _CSS_PROPERTIES:
            if _harmless(item.value):
                value = tinycss2.serialize(item.value).strip()
                kept.append(f"{item.lower_name}: {value}{' !important' if item.important else ''};")
    return " ".join(kept)


def _clean_stylesheet(css: str, scope: str) -> str:
    """A ``<style>`` sheet with its rules scoped to ``.scope``; at-rules dropped.

    bleach's serializer then escapes ``<``, ``>`` and ``&`` in the sheet, so it cannot close
    its element (a rule with the child combinator ``>`` is lost; pandas writes none).
    """
    import tinycss2

    rules = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        selectors: list[list[Any]] = [[]]
        for token in rule.prelude:
            if token.type == "literal" and token.value == ",":
                selectors.append([])
            else:
                selectors[-1].append(token)
        names = [tinycss2.serialize(s).strip() for s in selectors]
        body = _clean_declarations(tinycss2.serialize(rule.content))
        if body and all(names):
            rules.append(", ".join(f".{scope} {name}" for name in names) + f" {{ {body} }}")
    return "\n".join(rules)


class _StyleAttributes:
    """bleach's ``css_sanitizer``: cleans ``style="..."`` attributes."""

    @staticmethod
    def sanitize_css(style: str) -> str:
        return _clean_declarations(style)


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name == "class" and "scrm-" in value:
        return False
    return name in _ATTRIBUTES["*"] or name in _ATTRIBUTES.get(tag, ())


def _scoped_styles(source: Any, scope: str) -> Iterator[dict[str, Any]]:
    """An html5lib token filter: the text of each ``<style>`` through _clean_stylesheet."""
    css: list[str] | None = None
    for token in source:
        kind = token["type"]
        if kind == "StartTag" and token["name"] == "style":
            css = []
            yield token
        elif css is not None and kind in ("Characters", "SpaceCharacters"):
            css.append(token["data"])
        elif css is not None and kind == "EndTag" and token["name"] == "style":
            yield {"type": "Characters", "data": _clean_stylesheet("".join(css), scope)}
            yield token
            css = None
        else:
            yield token


def _clean_output_html(fragment: str, scope: str) -> str:
    """Output HTML cleaned as the module documentation says; sheets scoped to ``.scope``."""
    import bleach

    cleaner = bleach.Cleaner(
        tags=_TAGS,
        attributes=_allowed_attribute,
        protocols={"http", "https", "mailto"},
        strip=False,
        strip_comments=True,
        css_sanitizer=_StyleAttributes(),
        filters=[partial(_scoped_styles, scope=scope)],
    )
    cleaned = cleaner.clean(fragment)
    # Text is escaped, so "<style" can only be a kept sheet: give its rules their scope.
    return f'<div class="{scope}">{cleaned}</div>' if "<style" in cleaned else cleaned


def _clean_html_filter() -> Callable[..., str]:
    """nbconvert's ``clean_html`` filter: outputs cleaned, Markdown cells as written."""
    import jinja2

    scopes = (f"scrm-scope-{n}" for n in itertools.count(1))

    @jinja2.pass_context
    def clean_html(context: Any, fragment: str) -> str:
        cell = context.get("cell") or {}
        if context.get("output") is None and cell.get("cell_type") == "markdown":
            return str(fragment)
        return _clean_output_html(str(fragment), next(scopes))

    return clean_html


def _with_alt(markup: str, alt: str | None) -> str:
    """``markup`` with ``alt`` on its first ``<img>``."""
    markup = str(markup)
    return markup.replace("<img", f'<img alt="{html.escape(alt)}"', 1) if alt else markup


def render_html(nb: Any, *, title: str, header: str, show_code: bool = False) -> str:
    """HTML without code cells (figures, tables, text), with ``header`` on top.

    ``show_code`` keeps the code cells (a lesson's page shows how each result is computed);
    the cells the run added (parameter values) are left out either way.

    Data in outputs are shown as text and the page loads nothing (see the module
    documentation).
    """
    import jinja2
    from nbconvert import HTMLExporter

    nb = copy.deepcopy(nb)
    nb.cells = clean_cells(nb)
    if show_code:
        added = set(_ADDED_CELL_TAGS)
        nb.cells = [c for c in nb.cells if not added & set(c.metadata.get("tags", []))]
    nb.metadata.pop("widgets", None)  # its state would load the widget manager from a CDN
    figure = index = 0
    for cell in nb.cells:
        added = any(t in cell.metadata.get("tags", []) for t in _ADDED_CELL_TAGS)
        index += not added  # cells of the notebook file, as the failure banner counts them
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for mime in [m for m in data if m not in _OUTPUT_TYPES]:
                del data[mime]
            shown = [m for m in _FIGURE_TYPES if m in data]
            if shown:
                figure += 1
                for mime in shown:
                    meta = output.setdefault("metadata", {}).setdefault(mime, {})
                    meta.setdefault("alt", f"Figure {figure} (output of cell {index - 1})")
    exporter = HTMLExporter(
        exclude_input=not show_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        sanitize_html=True,
        extra_loaders=[jinja2.DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
        template_file=_TEMPLATE_NAME,
        filters={"clean_html": _clean_html_filter(), "with_alt": _with_alt},
    )
    page, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    # nbconvert cleans raw cells, so the header goes into the page: its style at the end
    # of <head>, its block first in <main> (<body> for templates without <main>).
    page = page.replace("</head>", f"{_HEADER_CSS}\n</head>", 1)
    match = re.search(r"<main[^>]*>", page) or re.search(r"<body[^>]*>", page)
    at = match.end() if match else 0
    return page[:at] + (header if match else _HEADER_CSS + header) + page[at:]
