"""scrm_lab.io: reading users' files into canonical tables, and refusing bad ones."""

from __future__ import annotations

import gzip
import json

import pandas as pd
import pytest

from scrm_lab.exceptions import DataFileError, ParameterError, SchemaError
from scrm_lab.io import conform, read_file, read_table

MESSAGES_CSV = (
    "message_id,brand,channel,author,time,text,sentiment,likes\n"
    "1,Delta,twitter,ann,2015-02-24 11:35:52 -0800,late again,Negative,3\n"
    "2,Delta,twitter,bob,2015-02-24T20:00:00Z,thanks!,positive,\n"
)


def write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


# ----------------------------------------------------------------------------- good input


def test_csv_is_coerced_to_canonical_types(tmp_path):
    table = read_table(write(tmp_path, "m.csv", MESSAGES_CSV), kind="messages")
    assert list(table.columns[:6]) == ["message_id", "brand", "channel", "author", "time", "text"]
    assert str(table["time"].dtype) == "datetime64[ns, UTC]"
    assert table["time"].iloc[0] == pd.Timestamp("2015-02-24 19:35:52", tz="UTC")
    assert str(table["message_id"].dtype) == "str"
    assert list(table["sentiment"].cat.categories) == ["negative", "neutral", "positive"]
    assert table["sentiment"].tolist() == ["negative", "positive"]  # case normalised
    assert table["likes"].tolist()[0] == 3 and pd.isna(table["likes"].iloc[1])  # extra column
    assert table.attrs["source"]["sep"] == ","


@pytest.mark.parametrize(("name", "sep"), [("m.csv", ";"), ("m.tsv", "\t"), ("m.txt", "|")])
def test_delimiter_is_sniffed(tmp_path, name, sep):
    path = write(tmp_path, name, MESSAGES_CSV.replace(",", sep))
    table = read_table(path, kind="messages")
    assert len(table) == 2 and table.attrs["source"]["sep"] == sep


def test_utf8_bom_is_removed(tmp_path):
    path = write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + MESSAGES_CSV.encode())
    table = read_table(path, kind="messages")
    assert table.columns[0] == "message_id"
    assert table.attrs["source"]["encoding"] == "utf-8-sig"


def test_latin1_is_detected(tmp_path):
    path = write(tmp_path, "latin.csv", "brand,country\nNescafé,Switzerland\n".encode("latin-1"))
    table = read_table(path, kind="brands")
    assert table["brand"].iloc[0] == "Nescafé"
    assert table.attrs["source"]["encoding"] == "cp1252"


def test_explicit_encoding_that_does_not_fit_is_refused(tmp_path):
    path = write(tmp_path, "latin.csv", "brand\nNescafé\n".encode("latin-1"))
    with pytest.raises(DataFileError, match=r"latin\.csv' is not valid utf-8: byte 0xe9 on line 2"):
        read_table(path, kind="brands", encoding="utf-8")


def test_column_mapping_and_gzip(tmp_path):
    content = "From,To,Strength\n1,2,0.5\n2,3,1\n"
    path = write(tmp_path, "e.csv.gz", gzip.compress(content.encode()))
    edges = read_table(
        path, kind="edges", columns={"From": "source", "To": "target", "Strength": "weight"}
    )
    assert edges["source"].tolist() == ["1", "2"]
    assert edges["weight"].tolist() == [0.5, 1.0]


def test_parquet_excel_and_jsonl_give_the_same_table(tmp_path):
    frame = pd.DataFrame(
        {
            "customer_id": ["c1", "c2"],
            "time": pd.to_datetime(["2024-01-02 10:00", "2024-01-03 11:30"]),
            "amount": [10.5, 3.0],
            "quantity": [1, 2],
        }
    )
    frame.to_parquet(tmp_path / "t.parquet")
    frame.to_excel(tmp_path / "t.xlsx", index=False)
    lines = [json.dumps({**r, "time": r["time"].isoformat()}) for r in frame.to_dict("records")]
    write(tmp_path, "t.jsonl", "\n".join(lines) + "\n")
    tables = [
        read_table(tmp_path / n, kind="transactions") for n in ("t.parquet", "t.xlsx", "t.jsonl")
    ]
    for table in tables[1:]:
        pd.testing.assert_frame_equal(table, tables[0])
    assert tables[0]["time"].iloc[1] == pd.Timestamp("2024-01-03 11:30", tz="UTC")


def test_naive_times_are_placed_in_the_given_time_zone(tmp_path):
    path = write(
        tmp_path, "t.csv", "customer_id,time,amount\nc1,2024-07-01 12:00,1\nc1,2024-01-01 12:00,2\n"
    )
    table = read_table(path, kind="transactions", timezone="America/New_York")
    assert table["time"].tolist() == [
        pd.Timestamp("2024-07-01 16:00", tz="UTC"),  # EDT, UTC-4
        pd.Timestamp("2024-01-01 17:00", tz="UTC"),  # EST, UTC-5
    ]


def test_consistent_non_iso_dates_are_inferred(tmp_path):
    path = write(
        tmp_path, "t.csv", "customer_id,time,amount\nc1,4/22/2018 6:00,1\nc2,12/3/2018 22:45,2\n"
    )
    table = read_table(path, kind="transactions")
    assert table["time"].iloc[0] == pd.Timestamp("2018-04-22 06:00", tz="UTC")


def test_date_format_parameter_settles_ambiguous_dates(tmp_path):
    path = write(tmp_path, "t.csv", "customer_id,time,amount\nc1,03/04/2018,1\nc2,05/06/2018,2\n")
    with pytest.raises(SchemaError, match=r"'03/04/2018' fit both %m/%d/%Y and %d/%m/%Y"):
        read_table(path, kind="transactions")
    table = read_table(path, kind="transactions", date_format="%d/%m/%Y")
    assert table["time"].iloc[0] == pd.Timestamp("2018-04-03", tz="UTC")


def test_booleans_and_missing_markers(tmp_path):
    path = write(
        tmp_path,
        "c.csv",
        "brand,channel,present,followers\nA,twitter,yes,N/A\nA,blogs,0,12\nB,wiki,True,\n",
    )
    table = read_table(path, kind="channel_activity")
    assert table["present"].tolist() == [True, False, True]
    assert str(table["followers"].dtype) == "Int64"
    assert table["followers"].isna().tolist() == [True, False, True]


def test_missing_values_in_nullable_bool_category_and_timestamp(tmp_path):
    path = write(
        tmp_path,
        "p.csv",
        "post_id,brand,channel,paid,content_type,time\n"
        "1,a,fb,,photo,2014-01-01 10:00\n2,a,fb,1,,\n",
    )
    table = read_table(path, kind="posts")
    assert table["paid"].isna().tolist() == [True, False]
    assert table["content_type"].isna().tolist() == [False, True]
    assert table["time"].isna().tolist() == [False, True]
    sentiment = MESSAGES_CSV.replace("positive,", ",")
    assert read_table(write(tmp_path, "m.csv", sentiment), kind="messages")["sentiment"].isna()[1]


def test_conform_keeps_typed_extra_columns_as_they_are():
    raw = pd.DataFrame({"brand": ["A"], "code": pd.Series(["0001"], dtype="str")})
    assert conform(raw, "brands")["code"].tolist() == ["0001"]


def test_conform_accepts_typed_frames_and_keeps_extras():
    raw = pd.DataFrame({"brand": [1, 2], "size": [1.5, None], "note": ["x", "y"]})
    table = conform(raw, "brands")
    assert table["brand"].tolist() == ["1", "2"]
    assert table.columns.tolist() == ["brand", "size", "note"]
    assert raw["brand"].tolist() == [1, 2]  # the input is not modified


# ------------------------------------------------------------------------------ bad input


def test_missing_file(tmp_path):
    with pytest.raises(DataFileError, match=r"file '.*nope\.csv' does not exist"):
        read_table(tmp_path / "nope.csv", kind="brands")


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(DataFileError, match="is a folder; expected a data file"):
        read_table(tmp_path, kind="brands")


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_empty_file(tmp_path, content):
    with pytest.raises(DataFileError, match=r"empty\.csv' is empty; expected a header row"):
        read_table(write(tmp_path, "empty.csv", content), kind="brands")


def test_header_without_rows(tmp_path):
    with pytest.raises(DataFileError, match="has a header but no data rows"):
        read_table(write(tmp_path, "h.csv", "brand,sector\n"), kind="brands")


def test_unknown_format(tmp_path):
    with pytest.raises(DataFileError, match=r"unknown format '\.xls' \(save old \.xls files"):
        read_table(write(tmp_path, "b.xls", "x"), kind="brands")


def test_unknown_kind_is_refused_before_reading(tmp_path):
    with pytest.raises(ParameterError, match="Got 'brand' instead. Did you mean 'brands'"):
        read_table(tmp_path / "does-not-matter.csv", kind="brand")


def test_missing_column_is_named_with_suggestion(tmp_path):
    path = write(tmp_path, "b.csv", "Brand,sector\nA,x\n")
    with pytest.raises(
        SchemaError,
        match=r"b\.csv: table 'brands' is missing required column\(s\) 'brand'; "
        r"available columns: 'Brand', 'sector'\. Did you mean 'Brand'\?",
    ):
        read_table(path, kind="brands")


def test_mapping_to_a_column_not_in_the_file(tmp_path):
    path = write(tmp_path, "b.csv", "brand,sector\nA,x\n")
    with pytest.raises(SchemaError, match=r"mapping names 'Sectr', which is not in the data"):
        read_table(path, kind="brands", columns={"Sectr": "sector"})


def test_mapping_to_a_non_canonical_name(tmp_path):
    path = write(tmp_path, "b.csv", "brand,sector\nA,x\n")
    with pytest.raises(
        ParameterError,
        match=r"'columns' parameter of conform must be a mapping to columns of table 'brands' .* "
        r"Got \{'sector': 'industry'\}",
    ):
        read_table(path, kind="brands", columns={"sector": "industry"})


def test_mapping_that_creates_a_duplicate_column(tmp_path):
    path = write(tmp_path, "b.csv", "brand,name\nA,x\n")
    with pytest.raises(SchemaError, match="after renaming, column 'brand' appears twice"):
        read_table(path, kind="brands", columns={"name": "brand"})


def test_duplicate_header(tmp_path):
    path = write(tmp_path, "b.csv", "brand,sector,sector\nA,x,y\n")
    with pytest.raises(DataFileError, match="column 'sector' appears twice in the header"):
        read_table(path, kind="brands")


def test_wrong_type_names_column_row_and_value(tmp_path):
    path = write(tmp_path, "p.csv", "post_id,brand,channel,reach\n1,a,fb,10\n2,a,fb,ten\n")
    with pytest.raises(
        SchemaError, match=r"table 'posts', column 'reach': row 2 has 'ten'; expected an integer"
    ):
        read_table(path, kind="posts")


def test_fractional_count_is_refused(tmp_path):
    path = write(tmp_path, "p.csv", "post_id,brand,channel,shares\n1,a,fb,2.5\n")
    with pytest.raises(
        SchemaError, match=r"column 'shares': row 1 has '2\.5'; expected an integer"
    ):
        read_table(path, kind="posts")


def test_negative_count(tmp_path):
    path = write(tmp_path, "p.csv", "post_id,brand,channel,reach\n1,a,fb,10\n2,a,fb,-3\n")
    with pytest.raises(
        SchemaError, match=r"column 'reach': row 2 has value -3; expected a value >= 0"
    ):
        read_table(path, kind="posts")


def test_duplicate_key(tmp_path):
    path = write(tmp_path, "b.csv", "brand\nA\nB\nA\n")
    with pytest.raises(
        SchemaError, match=r"duplicate key \(brand='A'\) in rows 1, 3; expected each \(brand\)"
    ):
        read_table(path, kind="brands")


def test_duplicate_composite_key(tmp_path):
    path = write(
        tmp_path,
        "f.csv",
        "brand,period,revenue\nA,2020-01-01,1\nA,2021-01-01,2\nA,2020-01-01,3\n",
    )
    with pytest.raises(SchemaError, match=r"duplicate key \(brand='A', period=Timestamp"):
        read_table(path, kind="financials")


def test_missing_value_in_required_column(tmp_path):
    path = write(tmp_path, "b.csv", "source,target\n1,2\n3,\n")
    with pytest.raises(SchemaError, match=r"column 'target': row 2 is missing; expected a value"):
        read_table(path, kind="edges")


def test_value_not_allowed(tmp_path):
    content = MESSAGES_CSV.replace("positive,", "positve,")
    with pytest.raises(
        SchemaError,
        match=r"column 'sentiment': row 2 has 'positve'; "
        r"expected one of \['negative', 'neutral', 'positive'\]",
    ):
        read_table(write(tmp_path, "m.csv", content), kind="messages")


def test_bad_boolean(tmp_path):
    path = write(tmp_path, "c.csv", "brand,channel,present\nA,twitter,maybe\n")
    with pytest.raises(SchemaError, match=r"row 1 has 'maybe'; expected true/false"):
        read_table(path, kind="channel_activity")


def test_mixed_date_formats(tmp_path):
    path = write(tmp_path, "t.csv", "customer_id,time,amount\nc1,2015-02-24,1\nc2,24/02/2015,2\n")
    with pytest.raises(
        SchemaError,
        match=r"column 'time': row 2 has '24/02/2015', which does not match row 1 "
        r"\('2015-02-24', format %Y-%m-%d\); expected one date format throughout",
    ):
        read_table(path, kind="transactions")


def test_unparseable_date(tmp_path):
    path = write(tmp_path, "t.csv", "customer_id,time,amount\nc1,2015-02-24,1\nc2,tomorrow,2\n")
    with pytest.raises(SchemaError, match=r"row 2 has 'tomorrow', which does not match row 1"):
        read_table(path, kind="transactions")


def test_mixed_time_zones(tmp_path):
    path = write(
        tmp_path,
        "t.csv",
        "customer_id,time,amount\nc1,2015-02-24 10:00,1\nc2,2015-02-24 10:00 +0100,2\n",
    )
    with pytest.raises(
        SchemaError,
        match=r"mixes times with a time zone \(row 2: '2015-02-24 10:00 \+0100'\) and without "
        r"one \(row 1: '2015-02-24 10:00'\)",
    ):
        read_table(path, kind="transactions")


def test_different_offsets_are_converted_not_refused(tmp_path):
    path = write(
        tmp_path,
        "t.csv",
        "customer_id,time,amount\nc1,2015-02-24 10:00 +0100,1\nc2,2015-02-24 10:00 -0500,2\n",
    )
    table = read_table(path, kind="transactions")
    assert table["time"].dt.hour.tolist() == [9, 15]


def test_unknown_time_zone(tmp_path):
    path = write(tmp_path, "t.csv", "customer_id,time,amount\nc1,2015-02-24 10:00,1\n")
    with pytest.raises(SchemaError, match=r"cannot place the times in time zone 'Mars/Base'"):
        read_table(path, kind="transactions", timezone="Mars/Base")


def test_wrong_explicit_delimiter(tmp_path):
    path = write(tmp_path, "m.csv", MESSAGES_CSV.replace(",", ";"))
    with pytest.raises(
        DataFileError,
        match=r"with sep=',' the header is one column .* splits into 8 columns on ';'",
    ):
        read_table(path, kind="messages", sep=",")


def test_ragged_row(tmp_path):
    path = write(tmp_path, "b.csv", "brand,sector\nA,x\nB,y,z,w\n")
    with pytest.raises(DataFileError, match=r"line 3 has 4 fields but the header has 2"):
        read_table(path, kind="brands")


def test_bad_json_line(tmp_path):
    path = write(tmp_path, "b.jsonl", '{"brand": "A"}\n{"brand": \n')
    with pytest.raises(DataFileError, match=r"b\.jsonl', line 2: not valid JSON"):
        read_table(path, kind="brands")


def test_json_line_that_is_not_an_object(tmp_path):
    path = write(tmp_path, "b.jsonl", '{"brand": "A"}\n[1, 2]\n')
    with pytest.raises(DataFileError, match=r"line 2: found a JSON list; expected one JSON object"):
        read_table(path, kind="brands")


def test_corrupt_parquet(tmp_path):
    with pytest.raises(DataFileError, match=r"b\.parquet' is not a valid Parquet file"):
        read_table(write(tmp_path, "b.parquet", b"not parquet at all"), kind="brands")


def test_corrupt_excel(tmp_path):
    with pytest.raises(DataFileError, match=r"b\.xlsx' is not a valid Excel file"):
        read_table(write(tmp_path, "b.xlsx", b"PK\x03\x04 broken"), kind="brands")


def test_missing_excel_sheet(tmp_path):
    pd.DataFrame({"brand": ["A"]}).to_excel(tmp_path / "b.xlsx", index=False, sheet_name="list")
    with pytest.raises(DataFileError, match=r"has no sheet 'brands'; its sheets are \['list'\]"):
        read_table(tmp_path / "b.xlsx", kind="brands", sheet="brands")


def test_bad_gzip(tmp_path):
    with pytest.raises(DataFileError, match=r"b\.csv\.gz' is not a valid gzip file"):
        read_table(write(tmp_path, "b.csv.gz", b"plain text"), kind="brands")


def test_unknown_encoding_name(tmp_path):
    path = write(tmp_path, "b.csv", "brand\nA\n")
    with pytest.raises(
        ParameterError,
        match=r"'encoding' parameter of read_table must be a known text encoding\. Got 'utf-9'",
    ):
        read_table(path, kind="brands", encoding="utf-9")


def test_conform_refuses_non_frames():
    with pytest.raises(
        ParameterError,
        match=r"'data' parameter of conform must be a pandas DataFrame\. Got \[1, 2\]",
    ):
        conform([1, 2], "brands")


def test_conform_refuses_non_mapping_columns():
    with pytest.raises(
        ParameterError,
        match=r"'columns' parameter of conform must be a mapping \{name in file: canonical name\}",
    ):
        conform(pd.DataFrame({"brand": ["A"]}), "brands", columns=["brand"])


def test_conform_refuses_two_sources_for_one_column():
    frame = pd.DataFrame({"a": ["x"], "b": ["y"]})
    with pytest.raises(
        ParameterError,
        match=r"one source column per canonical column\. Got \{'a': 'brand', 'b': 'brand'\}",
    ):
        conform(frame, "brands", columns={"a": "brand", "b": "brand"})


# ------------------------------------------------------------------------------ read_file


def test_read_file_reads_any_columns_and_turns_numeric_text_into_numbers(tmp_path):
    path = tmp_path / "films.csv"
    path.write_text("Title;Likes;Budget\nA;1,5;10\nB;2;\n", encoding="latin-1")
    frame = read_file(path)
    assert frame.columns.tolist() == ["Title", "Likes", "Budget"]
    assert frame["Title"].tolist() == ["A", "B"]
    assert frame["Budget"].tolist()[0] == 10
    assert pd.isna(frame["Budget"].tolist()[1])


def test_read_file_refuses_what_read_table_refuses(tmp_path):
    with pytest.raises(DataFileError, match=r"file '.*nope\.csv' does not exist"):
        read_file(tmp_path / "nope.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"empty\.csv' is empty"):
        read_file(empty)
    with pytest.raises(ParameterError, match=r"'sheet' parameter of read_file must be a sheet"):
        read_file(empty, sheet=1.5)
