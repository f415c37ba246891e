"""The overview report's sentences: what a data set is, what is hidden, box office at a glance.

Examples
--------
>>> import pandas as pd
>>> privacy_sentences(pd.DataFrame({"x": [1]}))[:1]  # doctest: +ELLIPSIS
[...]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from scrm_lab._checks import Flag, Many, Text, checks

if TYPE_CHECKING:
    pass


BOX_OFFICE_COLUMNS = ("gross_usd", "likes", "budget_usd", "comments", "views")
_PERSONAL = ("author", "location", "coordinates")


@checks(table=Text("a table name"), others=Many(Text(), "a list of table names", empty_ok=True))
def dataset_sentences(info: object, frame: pd.DataFrame, *, table: str, others=()) -> list[str]:
    """The overview's opening lines: title, licence, source, use and the table shown.

    Parameters
    ----------
    info : scrm_lab.datasets.DatasetInfo
        The data set's card (``title``, ``name``, ``licence``, ``source``, ``good_for``).
    frame : pandas.DataFrame
        The table shown.
    table : str
        Its name.
    others : list of str, default ()
        The data set's other tables, named so the reader knows they can choose one.

    Returns
    -------
    list of str
        A bold title line, an empty line, then four Markdown bullets (join with newlines).

    Examples
    --------
    >>> from scrm_lab.datasets import dataset_info, load_dataset
    >>> info = dataset_info("csm_movies_social_boxoffice")
    >>> frame = load_dataset("csm_movies_social_boxoffice")
    >>> dataset_sentences(info, frame, table="movies")[-1]
    '- **Table shown here:** `movies`, 231 rows and 14 columns'
    """
    shown = f"- **Table shown here:** `{table}`, {len(frame):,} rows and {frame.shape[1]} columns"
    if len(others):
        names = ", ".join(f"`{t}`" for t in others)
        shown += f" (other tables: {names}; choose one with the `table` parameter)"
    return [
        f"**{info.title}** (`{info.name}`)",
        "",
        f"- **Licence:** {info.licence}",
        f"- **Source:** {info.source}",
        f"- **Good for:** {info.good_for}",
        shown,
    ]


@checks(reveal=Flag())
def privacy_sentences(frame: pd.DataFrame, *, reveal: bool = False) -> list[str]:
    """Why handles look like pseudonyms: one sentence when the preview hides personal data.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table previewed with :func:`preview_rows`.
    reveal : bool, default False
        Whether the preview shows real handles (then nothing is said).

    Returns
    -------
    list of str
        Empty unless the table has an ``author``, ``location`` or ``coordinates`` column
        and ``reveal`` is False.

    Examples
    --------
    >>> privacy_sentences(pd.DataFrame({"author": ["a"]}))[0][:40]
    "Author handles are real people's: they a"
    >>> privacy_sentences(pd.DataFrame({"author": ["a"]}), reveal=True)
    []
    """
    if reveal or not set(_PERSONAL) & set(frame.columns):
        return []
    return [
        "Author handles are real people's: they are replaced by short salted pseudonyms "
        "(the same person always gets the same pseudonym), `@mentions` in the text too, and "
        "locations are left out."
    ]


def box_office_sentences(frame: pd.DataFrame, correlations: pd.DataFrame) -> list[str]:
    """What the movies' engagement-gross correlations can and cannot show, with the numbers.

    Parameters
    ----------
    frame : pandas.DataFrame
        The movies table (every column of :data:`BOX_OFFICE_COLUMNS`).
    correlations : pandas.DataFrame
        :func:`rank_correlations` of ``frame`` with ``target="gross_usd"`` (Spearman).

    Returns
    -------
    list of str
        Two Markdown blocks: the heading with what the table shows, then the reading
        (likes, comments, views and budget correlations; size, the arrow's direction, no
        causal claim, what it can show). Empty when ``frame`` lacks one of the columns.

    Examples
    --------
    >>> from scrm_lab.datasets import load_dataset
    >>> movies = load_dataset("csm_movies_social_boxoffice")
    >>> from scrm_lab.summary import rank_correlations
    >>> rho = rank_correlations(movies, target="gross_usd")
    >>> box_office_sentences(movies, rho)[1][:60]
    'Films whose trailers got more likes also tended to gross mor'
    >>> box_office_sentences(movies[["likes"]], rho)
    []
    """
    if not set(BOX_OFFICE_COLUMNS) <= set(frame.columns):
        return []
    r = correlations.set_index("column")["estimate"]
    return [
        "## Engagement and box office: what a correlation can and cannot show\n\n"
        "Spearman correlation of each column with US gross, strongest first "
        "(`n` films with both values; p-values not corrected for the number of columns):",
        f"""Films whose trailers got more likes also tended to gross more
(Spearman {r["likes"]:.2f}; comments {r["comments"]:.2f}, views {r["views"]:.2f}).
Read this with care:

- **Size confounds it.** Big films have big budgets, open on many screens and advertise
  heavily, which brings both trailer views and ticket sales. Budget alone correlates
  {r["budget_usd"]:.2f} with gross, more than any engagement measure, and in the scatter plot
  the expensive films (yellow and green) sit at the top. Part of the engagement correlation
  is just size; comparing films of similar budget and screens (a partial correlation or a
  regression with controls) is the fairer test.
- **The arrow may point the other way.** The counts were collected around release, and a film
  that is already a hit sends people to its trailer. The data do not say which came first.
- **It is not a causal claim.** These are {len(frame)} films observed once, not an experiment:
  the correlation cannot say that buying more likes would sell more tickets.
- **What it can show:** how strongly engagement and revenue go together, and whether
  engagement carries information worth testing properly, with controls, later.
""",
    ]
