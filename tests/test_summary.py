"""Tests of scrm_lab.summary: profiles, pseudonyms, previews, tables, provenance sections."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.io.formats.style import Styler
from scipy import stats

from scrm_lab.datasets import load_dataset
from scrm_lab.exceptions import ParameterError
from scrm_lab.summary import (
    PROFILE_COLUMNS,
    box_office_sentences,
    dataset_sentences,
    pick_table,
    preview_rows,
    privacy_sentences,
    profile_columns,
    provenance_markdown,
    pseudonymize,
    pseudonymize_mentions,
    rank_correlations,
    style_table,
    time_column,
)

RNG_SEED = 20240506


@pytest.fixture
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(RNG_SEED)
    views = rng.lognormal(8, 2, size=40)
    views[[3, 17]] = np.nan
    return pd.DataFrame(
        {
            "views": views,
            "likes": pd.array(rng.poisson(30, size=40), dtype="Int64"),
            "brand": rng.choice(["acme", "globex", "initech"], size=40),
            "paid": rng.random(40) > 0.5,
            "time": pd.date_range("2015-02-16", periods=40, freq="6h", tz="UTC"),
            "constant": 7.0,
        }
    )


# ------------------------------------------------------------------------------ profiles


def test_profile_columns_order_and_counts(frame):
    profile = profile_columns(frame)
    assert list(profile.columns) == PROFILE_COLUMNS
    assert profile["column"].tolist() == list(frame.columns)
    assert profile["n"].tolist() == frame.notna().sum().tolist()
    assert profile["missing"].tolist() == frame.isna().sum().tolist()
    assert profile["distinct"].tolist() == frame.nunique().tolist()
    assert (profile["n"] + profile["missing"] == len(frame)).all()
    assert profile["dtype"].tolist() == [str(t) for t in frame.dtypes]


def test_profile_numeric_values_match_numpy_and_scipy(frame):
    row = profile_columns(frame).set_index("column").loc["views"]
    values = frame["views"].dropna().to_numpy()
    assert row["min"] == pytest.approx(values.min())
    assert row["median"] == pytest.approx(np.median(values))
    assert row["max"] == pytest.approx(values.max())
    # documented: the adjusted Fisher-Pearson coefficient, scipy's bias=False
    assert row["skew"] == pytest.approx(stats.skew(values, bias=False), rel=1e-12)
    assert row["skew"] != pytest.approx(stats.skew(values, bias=True), rel=1e-6)
    likes = profile_columns(frame).set_index("column").loc["likes"]
    assert likes["skew"] == pytest.approx(
        stats.skew(frame["likes"].to_numpy(dtype=float), bias=False)
    )


def test_profile_other_kinds(frame):
    profile = profile_columns(frame).set_index("column")
    for column in ("brand", "paid"):  # no order: no range (and no personal extremes)
        assert profile.loc[column, ["min", "median", "max", "skew"]].isna().all()
    assert profile.loc["time", "min"] == frame["time"].min()
    assert profile.loc["time", "max"] == frame["time"].max()
    assert profile.loc["time", "median"] == frame["time"].median()
    assert np.isnan(profile.loc["time", "skew"])
    assert np.isnan(profile.loc["constant", "skew"])  # undefined for a constant
    assert profile.loc["constant", "min"] == 7.0
    assert np.isnan(profile_columns(frame.head(2)).set_index("column").loc["views", "skew"])


def test_profile_of_an_empty_column_and_bad_input():
    profile = profile_columns(pd.DataFrame({"x": [np.nan, np.nan]}))
    assert profile.loc[0, "n"] == 0 and profile.loc[0, "missing"] == 2
    assert pd.isna(profile.loc[0, "min"])
    with pytest.raises(ParameterError, match="must be a pandas DataFrame. Got list"):
        profile_columns([1, 2, 3])


def test_rank_correlations_match_scipy():
    movies = load_dataset("csm_movies_social_boxoffice")
    table = rank_correlations(movies, target="gross_usd")
    assert list(table.columns) == ["column", "n", "estimate", "p_value", "method"]
    assert "gross_usd" not in set(table["column"])
    assert table["estimate"].abs().is_monotonic_decreasing
    row = table.set_index("column").loc["cast_followers"]
    pair = movies[["cast_followers", "gross_usd"]].astype(float).dropna()
    expected = stats.spearmanr(pair["cast_followers"], pair["gross_usd"])
    assert row["n"] == len(pair) == 196
    assert row["estimate"] == pytest.approx(expected.statistic)
    assert row["p_value"] == pytest.approx(expected.pvalue)
    assert row["estimate"] == pytest.approx(0.335, abs=5e-4)  # PROVENANCE.md's quick check
    pearson = rank_correlations(movies, target="gross_usd", method="pearson")
    assert set(pearson["method"]) == {"pearson"}


def test_rank_correlations_errors():
    movies = load_dataset("csm_movies_social_boxoffice")
    with pytest.raises(ParameterError, match="'target' parameter .* Got 'movie' instead"):
        rank_correlations(movies, target="movie")
    with pytest.raises(ParameterError, match="'method' parameter .* Got 'kendal' instead"):
        rank_correlations(movies, target="gross_usd", method="kendal")


# ---------------------------------------------------------------------------- pseudonyms


def test_pseudonymize_is_deterministic_salted_and_never_the_input():
    handles = pd.Series(["cairdin", "jnardino", "cairdin", None], name="author", index=[5, 6, 7, 8])
    first = pseudonymize(handles, salt="one")
    assert first.equals(pseudonymize(handles, salt="one"))
    assert first.name == "author" and first.index.tolist() == [5, 6, 7, 8]
    assert first[5] == first[7] != first[6]
    assert pd.isna(first[8])
    other = pseudonymize(handles, salt="two")
    assert (first.dropna() != other.dropna()).all()
    for salt in ("one", "two"):
        out = pseudonymize(handles, salt=salt)
        assert not (out.dropna() == handles.dropna()).any()
        assert out.dropna().str.fullmatch(r"user_[0-9a-f]{8}").all()
    assert pseudonymize(handles, salt="one", length=12, prefix="p-")[5].startswith("p-")


def test_mentions_get_the_author_pseudonym_and_emails_are_kept():
    texts = pd.Series(["@Cairdin thanks @united!", "mail a@b.com", None])
    out = pseudonymize_mentions(texts, salt="s")
    author = pseudonymize(pd.Series(["cairdin"]), salt="s")[0]
    assert out[0].startswith(f"@{author} thanks @user_") and out[0].endswith("!")
    assert "cairdin" not in out[0].lower() and "united" not in out[0]
    assert out[1] == "mail a@b.com"
    assert pd.isna(out[2])


def test_preview_rows_hides_handles_and_locations():
    tweets = load_dataset("twitter_airline_sentiment")
    preview = preview_rows(tweets, n=20)
    assert len(preview) == 20
    assert "location" not in preview.columns and "coordinates" not in preview.columns
    text = preview.to_string().lower()
    for handle in tweets["author"].head(20).str.lower():
        assert handle not in text
    assert "dhepburn" not in text
    assert tweets["text"].head(20).str.contains("@dhepburn").any()
    revealed = preview_rows(tweets, n=20, reveal=True)
    assert revealed.equals(tweets.head(20))
    assert preview_rows(tweets, n=3, salt="x")["author"].iloc[0] != preview["author"].iloc[0]
    with pytest.raises(ParameterError, match="'n' parameter of preview_rows must be an integer"):
        preview_rows(tweets, n=-1)


# ------------------------------------------------------------------------ tables and time


def test_pick_table():
    frames = {"transactions": pd.DataFrame({"a": [1]}), "customers": pd.DataFrame({"b": [2]})}
    assert pick_table(frames)[0] == "transactions"
    name, table = pick_table(frames, "customers")
    assert name == "customers" and table is frames["customers"]
    single = pd.DataFrame({"x": [1]})
    assert pick_table(single) == (None, single)
    with pytest.raises(
        ParameterError,
        match=r"one of \['transactions', 'customers'\].*"
        r"Got 'orders'",
    ):
        pick_table(frames, "orders")
    with pytest.raises(ParameterError, match="must be '' for a data set with a single table"):
        pick_table(single, "x")


def test_time_column(frame):
    assert time_column(frame) == "time"
    both = pd.DataFrame({"when": frame["time"], "date": frame["time"].dt.tz_localize(None)})
    assert time_column(both) == "date"
    assert time_column(frame.drop(columns="time")) is None


# ------------------------------------------------------------------- display, provenance


def test_style_table_formats_without_changing_data():
    table = pd.DataFrame(
        {
            "movie": ["13 Sins"],
            "gross": [192000000.0],
            "rating": [6.3],
            "year": [2014],
            "missing": [np.nan],
        }
    )
    styled = style_table(table)
    assert isinstance(styled, Styler)
    html = styled.to_html()
    assert "192,000,000" in html and ">6.3<" in html and ">2014<" in html
    assert "nan" not in html.lower()
    assert table.loc[0, "gross"] == 192000000.0


PROVENANCE = """# A data set

Intro line.

## What it is
Films.

### Details
More.

## Files
| file | sha |

## Licence
CC BY 4.0.
"""


def test_provenance_markdown_keeps_key_sections_and_shifts_headings():
    md = provenance_markdown(PROVENANCE)
    assert md == "### What it is\nFilms.\n\n#### Details\nMore.\n\n### Licence\nCC BY 4.0."
    assert "# A data set" not in md and "Files" not in md
    assert provenance_markdown(PROVENANCE, sections=["files"], level=2).startswith("## Files")


def test_provenance_markdown_falls_back_to_intro_and_first_section():
    md = provenance_markdown("# T\n\nAbout it.\n\n## Sample\nS.\n\n## Method\nM.")
    assert md == "About it.\n\n### Sample\nS."


# ---------------------------------------------------------------------- overview wording


def test_dataset_sentences_name_the_table_and_the_others():
    from scrm_lab.datasets import dataset_info

    info = dataset_info("csm_movies_social_boxoffice")
    frame = pd.DataFrame({"a": range(1234), "b": 0})
    lines = dataset_sentences(info, frame, table="t", others=["u", "v"])
    assert lines[0] == f"**{info.title}** (`csm_movies_social_boxoffice`)"
    assert lines[2] == f"- **Licence:** {info.licence}"
    # hand-written: thousands separator, column count, the other tables named
    assert lines[-1] == (
        "- **Table shown here:** `t`, 1,234 rows and 2 columns (other tables: `u`, `v`; "
        "choose one with the `table` parameter)"
    )
    assert dataset_sentences(info, frame, table="t")[-1].endswith("2 columns")


def test_privacy_sentences_only_when_personal_columns_are_hidden():
    for column in ("author", "location", "coordinates"):
        assert len(privacy_sentences(pd.DataFrame({column: ["x"]}))) == 1
    assert privacy_sentences(pd.DataFrame({"author": ["x"]}), reveal=True) == []
    assert privacy_sentences(pd.DataFrame({"text": ["x"]})) == []
    with pytest.raises(ParameterError, match="'reveal' parameter of privacy_sentences"):
        privacy_sentences(pd.DataFrame(), reveal="yes")


def test_box_office_sentences_carry_scipy_correlations():
    movies = load_dataset("csm_movies_social_boxoffice")
    rho = rank_correlations(movies, target="gross_usd")
    heading, reading = box_office_sentences(movies, rho)
    assert heading.startswith("## Engagement and box office")

    def spearman(column):
        pair = movies[[column, "gross_usd"]].dropna()
        return stats.spearmanr(pair[column], pair["gross_usd"]).statistic

    assert f"(Spearman {spearman('likes'):.2f};" in reading
    assert f"comments {spearman('comments'):.2f}, views {spearman('views'):.2f})" in reading
    assert f"{spearman('budget_usd'):.2f} with gross" in reading
    assert f"These are {len(movies)} films" in reading
    assert box_office_sentences(movies.drop(columns="views"), rho) == []
