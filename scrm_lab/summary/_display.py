"""Tables and text made ready for a report page: styled tables, provenance sections.

Examples
--------
>>> print(provenance_markdown("# T\\n\\n## What it is\\nFilms."))
### What it is
Films.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from numbers import Real
from typing import TYPE_CHECKING

import pandas as pd

from scrm_lab._checks import Integer, Many, Text, checks

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler


_DEFAULT_SECTIONS = ("What it is", "Where it was taken from", "Licence", "Caveats")


def _is_numeric(series: pd.Series) -> bool:
    """Numbers that can be summed: not booleans, not categories."""
    return pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
        series.dtype
    )


def _readable(value: object) -> str:
    """Numbers as people read them: 3,280,543 and 37,400,000 but 2014, 6.3, 0.9083."""
    if isinstance(value, Real) and not isinstance(value, bool):
        if pd.isna(value):
            return ""
        if abs(value) >= 1e4 and float(value).is_integer():
            return f"{value:,.0f}"
        return f"{value:.4g}"
    try:
        return "" if pd.isna(value) else str(value)
    except (TypeError, ValueError):  # list-likes
        return str(value)


def style_table(data: pd.DataFrame) -> Styler:
    """A table for a report: no row numbers, readable numbers, text left-aligned.

    Numbers of 10,000 or more that are whole get thousands separators, others four
    significant digits; missing values are blank. Text in cells and column names is
    HTML-escaped, so data such as ``<script>`` shows as text. The data are not changed (the
    formatting is applied when the table is displayed).

    Parameters
    ----------
    data : pandas.DataFrame
        Any table.

    Returns
    -------
    pandas.io.formats.style.Styler
        Display it in a notebook, or call ``.to_html()``.

    Examples
    --------
    >>> table = pd.DataFrame({"movie": ["13 Sins"], "gross_usd": [9130.0], "views": [3280543]})
    >>> html = style_table(table).to_html()
    >>> "3,280,543" in html and "9130" in html
    True
    >>> "&lt;b&gt;" in style_table(pd.DataFrame({"<b>": ["<b>bold?</b>"]})).to_html()
    True
    """

    def numbers_only(column: str) -> bool:  # numbers stored as objects (profile's min)
        if data[column].dtype != object:
            return False
        values = data[column].dropna()
        return all(isinstance(v, Real) and not isinstance(v, bool) for v in values)

    text = [c for c in data.columns if not _is_numeric(data[c]) and not numbers_only(c)]
    return (
        data.style.hide(axis="index")
        .format(_readable, escape="html")
        .format_index(escape="html", axis=1)
        .set_properties(subset=text, **{"text-align": "left"})
        .set_table_styles([{"selector": "th", "props": "text-align: left;"}])
    )


# ------------------------------------------------------------------------------ provenance


@checks(
    text=Text("the text of a PROVENANCE.md", empty_ok=True),
    sections=Many(Text(), "a list of section titles", empty_ok=True),
    level=Integer(low=1, high=6),
)
def provenance_markdown(
    text: str, *, sections: Iterable[str] = _DEFAULT_SECTIONS, level: int = 3
) -> str:
    """The key sections of a PROVENANCE.md, with headings moved down to ``level``.

    Parameters
    ----------
    text : str
        The Markdown of a PROVENANCE.md: a ``#`` title, an optional introduction, then
        ``##`` sections.
    sections : iterable of str, default ("What it is", "Where it was taken from", \
"Licence", "Caveats")
        Section headings to keep, in the file's order; a heading matches when it starts
        with one of these (case-insensitive). When none matches, the introduction and the
        first section are kept, so something is always shown.
    level : int, default 3
        Heading level of the kept sections (``###`` by default, to sit under a report's
        ``##`` heading); deeper headings move down by the same amount.

    Returns
    -------
    str
        Markdown, without the file's ``#`` title.

    Examples
    --------
    >>> md = "# Title\\n\\nIntro.\\n\\n## What it is\\nFilms.\\n\\n## Files\\nA table."
    >>> print(provenance_markdown(md))
    ### What it is
    Films.
    """
    wanted = [s.casefold() for s in sections]
    intro: list[str] = []
    parts: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("## "):
            parts.append((line[3:].strip(), []))
        elif line.startswith("# ") and not parts:
            continue  # the title
        elif parts:
            parts[-1][1].append(line)
        else:
            intro.append(line)
    keep = [(h, body) for h, body in parts if any(h.casefold().startswith(w) for w in wanted)]
    shift = level - 2
    blocks = []
    if not keep:
        if "".join(intro).strip():
            blocks.append("\n".join(intro).strip())
        keep = parts[:1]
    for heading, body in keep:
        lines = [_shift_heading(line, shift) for line in body]
        blocks.append(f"{'#' * level} {heading}\n" + "\n".join(lines).strip())
    return "\n\n".join(block.strip() for block in blocks)


def _shift_heading(line: str, shift: int) -> str:
    match = re.match(r"^(#{3,6}) ", line)
    if not match:
        return line
    depth = min(6, len(match.group(1)) + shift)
    return "#" * depth + line[len(match.group(1)) :]
