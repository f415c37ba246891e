"""Tests of scrm_lab.reports._html.render_html: data shown as text, a page that loads nothing.

Notebooks are built by hand (nbformat) with the outputs a kernel would give, so no kernel
starts. Each hostile string is a tweet that tries to run script or to load something.
"""

from __future__ import annotations

import base64
import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from scrm_lab.reports._html import render_html
from scrm_lab.summary import style_table

TWEET = '@united lost my bag <script>window.__pwned = 1</script> <img src=x onerror="alert(2)">'
HEADER = "<div class='scrm-header'><h2>Report run</h2>header text</div>"
# A 1x1 transparent PNG.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d4944415478da63fcffff3f0005fe02fea7d6a5f00000"
        "000049454e44ae426082"
    )
).decode()
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/>'
SVG += "</svg>"


def display(data: dict) -> object:
    """A display_data output with these mime types."""
    return new_output("display_data", data=data)


def render(*cells) -> BeautifulSoup:
    """The rendered page of a notebook with these cells (an output list is one code cell)."""
    nb = new_notebook(
        cells=[
            new_code_cell("pass", outputs=list(c)) if isinstance(c, list | tuple) else c
            for c in cells
        ]
    )
    return BeautifulSoup(render_html(nb, title="Test", header=HEADER), "html.parser")


def assert_shown_as_text(soup: BeautifulSoup, text: str = TWEET) -> None:
    """``text`` is in the page as text, and nothing from it became an element."""
    main = soup.select_one("main")
    assert text in main.get_text()
    assert main.find_all(["script", "img", "iframe"]) == []
    assert main.select("[onerror], [onload], [onclick]") == []


@pytest.fixture
def tweets() -> pd.DataFrame:
    return pd.DataFrame(
        {"author": ["fan1", "fan2"], "text": [TWEET, "fine"], "views": [3280543, 9]}
    )


# ------------------------------------------------------------------------- data as text


def test_dataframe_display_shows_tweets_as_text(tweets):
    with pd.option_context("display.max_colwidth", None):  # show the whole tweet
        data = {"text/html": tweets._repr_html_(), "text/plain": repr(tweets)}
    soup = render([display(data)])
    assert_shown_as_text(soup)
    table = soup.select_one("main table.dataframe")
    assert [th.get_text() for th in table.select("thead th")] == ["", "author", "text", "views"]


def test_style_table_escapes_cells_and_column_names_and_keeps_number_format(tweets):
    styled = style_table(tweets.rename(columns={"author": "<b>who</b>"})).to_html()
    soup = render([display({"text/html": styled})])
    assert_shown_as_text(soup)
    main = soup.select_one("main")
    assert main.find("b") is None and "<b>who</b>" in main.select_one("thead").get_text()
    assert "3,280,543" in main.get_text()


def test_unescaped_styler_html_is_cleaned_and_keeps_its_scoped_style(tweets):
    styled = tweets.style.set_properties(subset=["text"], **{"text-align": "left"}).to_html()
    assert "<script>" in styled  # pandas does not escape a Styler by default
    soup = render([display({"text/html": styled})])
    assert_shown_as_text(soup)
    sheet = soup.select_one("main style").string
    table_id = soup.select_one("main table")["id"]
    scope = soup.select_one("main style").parent["class"][0]
    assert re.fullmatch(r"scrm-scope-\d+", scope)
    assert f".{scope} #{table_id}_row0_col1" in sheet and "text-align: left" in sheet


def test_markdown_built_from_data_shows_tweets_as_text_and_keeps_markdown():
    markdown = (
        f"## Top tweet\n\n**{TWEET}**\n\n- column `gross_usd`, `<b>` in code\n"
        "- [source](https://example.org/data)\n"
    )
    soup = render([display({"text/markdown": markdown, "text/plain": "<Markdown>"})])
    assert_shown_as_text(soup)
    output = soup.select_one("main .jp-OutputArea-output")
    assert output.select_one("h2").get_text(strip=True).startswith("Top tweet")
    assert output.select_one("strong").get_text() == TWEET
    assert [c.get_text() for c in output.select("li code")] == ["gross_usd", "<b>"]
    assert output.select_one("li a")["href"] == "https://example.org/data"


def test_html_display_built_from_data_shows_tweets_as_text():
    fragment = (
        f"<p>Top tweet: {TWEET}</p><iframe src='https://example.org'></iframe>"
        "<a href='javascript:alert(3)'>click</a><a href='https://example.org/x'>ok</a>"
        "<form action='https://example.org'><input name=q></form>"
    )
    soup = render([display({"text/html": fragment})])
    assert_shown_as_text(soup)
    main = soup.select_one("main")
    assert "<iframe src=" in main.get_text() and "<form action=" in main.get_text()
    assert [a.get("href") for a in main.select("a")] == [None, "https://example.org/x"]
    assert main.find_all(["form", "input"]) == []


def test_print_shows_tweets_as_text():
    soup = render([new_output("stream", name="stdout", text=TWEET + "\n")])
    assert_shown_as_text(soup)
    assert TWEET in soup.select_one("main pre").get_text()


def test_header_classes_cannot_be_faked_by_data():
    fake = "<div class='scrm-banner'>This report failed.</div><p class='note scrm-ok'>x</p>"
    soup = render([display({"text/html": fake})])
    main = soup.select_one("main")
    assert main.select(".scrm-banner, .scrm-ok") == []
    assert "This report failed." in main.get_text()


def test_style_sheets_are_scoped_and_load_nothing():
    fragment = (
        "<style>@import url(http://evil.example/a.css);"
        ".scrm-header, body { display: none; position: fixed }"
        "td { color: red; background-image: url(http://evil.example/b.png); margin: -900px }"
        "th { cursor: url('http://evil.example/c.cur'), auto; font-weight: bold;"
        " font: url(http://evil.example/e.woff); font-family: image-set('http://evil.example') }"
        "</style>"
        "<table><tr><th style='color: blue; background: url(http://evil.example/d.png)'>h</th>"
        "<td style='width: expression(alert(1)); text-align: left'>d</td></tr></table>"
    )
    page = str(render([display({"text/html": fragment})]))
    assert "evil.example" not in page and "@import" not in page and "expression" not in page
    soup = BeautifulSoup(page, "html.parser")
    style = soup.select_one("main style")
    scope = style.parent["class"][0]
    assert style.string.splitlines() == [
        f".{scope} .scrm-header, .{scope} body {{ display: none; }}",
        f".{scope} td {{ color: red; }}",
        f".{scope} th {{ font-weight: bold; }}",
    ]
    assert soup.select_one("main th")["style"] == "color: blue;"
    assert soup.select_one("main td")["style"] == "text-align: left;"


def test_a_style_sheet_cannot_close_its_element():
    # The comment hides "</style" from the HTML parser, and CSS serialization drops it.
    fragment = "<style>a <//**/style><script>window.__pwned=1</script> { color: red }</style>"
    soup = render([display({"text/html": fragment})])
    main = soup.select_one("main")
    assert main.find("script") is None and len(main.find_all("style")) == 1
    assert "</style" not in main.select_one("style").string.lower()


def test_output_types_that_would_run_script_fall_back_to_text():
    outputs = [
        display({"application/javascript": "window.__pwned = 1", "text/plain": "<JS shown>"}),
        display({"text/vnd.mermaid": f"graph TD; A[{TWEET}]", "text/plain": "a diagram"}),
        display({"application/vnd.jupyter.widget-view+json": {"model_id": "m"}, "text/plain": "w"}),
    ]
    soup = render(outputs)
    main = soup.select_one("main")
    assert [o.get_text().strip() for o in main.select(".jp-OutputArea-output")] == [
        "<JS shown>",
        "a diagram",
        "w",
    ]
    assert soup.find_all("script") == []


def test_markdown_cells_are_the_authors_and_render_as_written():
    cell = new_markdown_cell(
        "# Title\n\nE = mc<sup>2</sup>, and $x^2$ stays TeX.\n\n"
        "1. first\n2. [a link](https://example.org)\n\n```python\nx = 1\n```\n\n"
        f"![a chart](data:image/png;base64,{PNG})"
    )
    soup = render(cell)
    main = soup.select_one("main")
    assert main.select_one("h1").get_text(strip=True).startswith("Title")
    assert main.select_one("sup").get_text() == "2"
    assert main.select_one("img")["alt"] == "a chart"  # outputs may not hold <img>, cells may
    assert "$x^2$ stays TeX" in main.get_text()
    assert [li.get_text() for li in main.select("ol li")] == ["first", "a link"]
    assert "x = 1" in main.select_one("pre").get_text()


# -------------------------------------------------------------------------- self-contained


def test_page_has_no_script_and_loads_nothing_from_the_network():
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Title"),
            new_code_cell("pass", outputs=[display({"image/png": PNG, "text/plain": "<Fig>"})]),
        ],
        metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}}},
    )
    page = render_html(nb, title="Test", header=HEADER)
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find_all("script") == [] and soup.find_all("link") == []
    for name in ("cdnjs", "unpkg", "mathjax", "require.js", "mermaid.esm"):
        assert name not in page.lower()
    loaded = [e.get("src") for e in soup.find_all(src=True)]
    assert loaded and all(src.startswith("data:image/") for src in loaded)
    assert re.search(r"url\((?!data:)", page) is None  # the inlined CSS embeds its assets
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert csp["content"].startswith("default-src 'none'; img-src data:")


def test_figures_get_numbered_alt_text_once_per_output():
    soup = render(
        new_markdown_cell("text"),
        [display({"image/png": PNG, "image/svg+xml": SVG, "text/plain": "<Fig>"})],
        [display({"image/png": PNG, "text/plain": "<Fig>"})],
    )
    images = soup.select("main img")
    assert [img["alt"] for img in images] == [
        "Figure 1 (output of cell 1)",
        "Figure 2 (output of cell 2)",
    ]
    assert images[0]["src"].startswith("data:image/svg+xml;base64,")  # nbconvert prefers SVG
    assert images[1]["src"] == f"data:image/png;base64,{PNG}"


def test_header_comes_first_and_is_kept_as_given(tweets):
    soup = render([display({"text/html": tweets._repr_html_()})])
    main = soup.select_one("main")
    header = main.find("div")
    assert header["class"] == ["scrm-header"] and header.get_text() == "Report runheader text"
    assert ".scrm-header {" in str(soup.select_one("head"))
