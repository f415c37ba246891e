"""Hostile and malformed files (issue 12): read_table and read_file refuse them in one line.

Every file here is refused with a DataFileError (the file) or a SchemaError (a column or a
value) whose message is one printable line naming the file, or is read with every number
exactly as written. Regression cases come first, one per class the adversarial pass found
(and the other members of each class), then properties over generated hostile files:
random bytes, text in random encodings, random CSV, corrupted gzip, Parquet and Excel
files, JSON lines nested at random, and numbers that must come back unchanged.

Every read runs under a hang guard (:func:`within`, far above the milliseconds a read
takes): a file that makes a reader work for minutes fails the test instead of stalling it.
Expected numbers come from Python (``int``, ``float``, ``decimal``), never from scrm_lab.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import gzip
import io
import json
import os
import re
import zipfile
import zoneinfo
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scrm_lab.io._files as files
from scrm_lab.exceptions import DataFileError, ParameterError, SchemaError, ScrmLabError
from scrm_lab.io import (
    MAX_COLUMNS,
    MAX_HEADER_CHARS,
    MAX_JSON_DEPTH,
    conform,
    read_file,
    read_table,
)
from scrm_lab.schema import get_table
from tests.hang_guard import within

#: Seconds any one read may take before it counts as a hang (a read takes milliseconds).
GOOD_CSV = "customer_id,time,amount,quantity\nc1,2024-01-02 10:00,10.5,1\nc2,2024-01-03 11:30,3,2\n"
GOOD = pd.DataFrame(
    {
        "customer_id": ["c1", "c2"],
        "time": pd.to_datetime(["2024-01-02 10:00", "2024-01-03 11:30"]),
        "amount": [10.5, 3.0],
        "quantity": [1, 2],
    }
)


def outcome(call, name: str) -> pd.DataFrame | ScrmLabError:
    """The table ``call`` reads, or the ScrmLabError it raises, checked to be one printable
    line naming the file; anything else (a bare exception, a hang) fails the test."""
    with within():
        try:
            result = call()
        except ScrmLabError as err:
            message = str(err)
            assert len(message.splitlines()) == 1 and message.isprintable(), repr(message)
            assert isinstance(err, ParameterError) or name in message, message
            return err
    assert isinstance(result, pd.DataFrame)
    return result


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def refused(error, match: str, call):
    """The error ``call`` raises within the hang guard, checked to be one line."""
    with within(), pytest.raises(error, match=match) as caught:
        call()
    assert len(str(caught.value).splitlines()) == 1 and str(caught.value).isprintable()
    return caught.value


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parquet_bytes(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------- denial of service


def test_a_header_of_fifty_thousand_columns_is_refused_at_once(tmp_path):
    header = GOOD_CSV.split("\n", 1)[0] + "," + ",".join(f"x{i}" for i in range(50_000))
    path = write(tmp_path, "wide.csv", header + "\n" + GOOD_CSV.split("\n", 1)[1])
    for read in (lambda: read_table(path, kind="transactions"), lambda: read_file(path)):
        refused(
            DataFileError,
            r"wide\.csv': the header has 50,004 columns \(delimiter ','\); expected at most "
            r"16,384 \(scrm_lab\.io\.MAX_COLUMNS\)",
            read,
        )


def test_a_million_column_header_is_refused_by_its_length(tmp_path):
    path = write(tmp_path, "million.csv", ",".join(f"c{i}" for i in range(1_000_000)) + "\n1\n")
    refused(
        DataFileError,
        r"million\.csv': the header is longer than 1,048,576 characters; expected at most "
        r"that \(scrm_lab\.io\.MAX_HEADER_CHARS\)",
        lambda: read_table(path, kind="brands"),
    )
    assert MAX_HEADER_CHARS == 1_048_576


def test_columns_are_counted_in_a_header_that_spans_lines(tmp_path):
    # a quoted line break in the first name must not hide the columns on the next line
    header = '"brand\nname",' + ",".join(f"x{i}" for i in range(MAX_COLUMNS))
    path = write(tmp_path, "spans.csv", header + "\n" + "a\n")
    refused(DataFileError, r"the header has 16,385 columns", lambda: read_file(path))


def test_a_file_at_the_column_limit_is_read(tmp_path):
    header = "brand," + ",".join(f"x{i}" for i in range(MAX_COLUMNS - 1))
    path = write(tmp_path, "widest.csv", f"{header}\nA,{','.join(['1'] * (MAX_COLUMNS - 1))}\n")
    with within():
        table = read_table(path, kind="brands")
    assert table.shape == (1, MAX_COLUMNS)
    assert table["x0"].tolist() == [1]


def test_a_gzip_bomb_is_refused_while_decompressing(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_DECOMPRESSED_BYTES", 2**20)
    bomb = gzip.compress(b"brand\n" + b"a\n" * 2**24)  # 32 MiB of text in about 32 KiB
    path = write(tmp_path, "bomb.csv.gz", bomb)
    refused(
        DataFileError,
        r"bomb\.csv\.gz' decompresses to more than 1,048,576 bytes; expected at most that "
        r"\(scrm_lab\.io\.MAX_DECOMPRESSED_BYTES\)",
        lambda: read_table(path, kind="brands"),
    )
    small = write(tmp_path, "small.csv.gz", gzip.compress(b"brand\na\n"))
    assert read_table(small, kind="brands")["brand"].tolist() == ["a"]


def test_excel_and_parquet_past_the_expanded_size_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_DECOMPRESSED_BYTES", 1000)
    excel = write(tmp_path, "big.xlsx", xlsx_bytes([["brand"], *[["a" * 50]] * 100]))
    refused(DataFileError, r"big\.xlsx' unzips to more than 1,000 bytes", lambda: read_file(excel))
    table = pa.table({"brand": [f"brand number {i}" for i in range(1000)]})
    parquet = write(tmp_path, "big.parquet", parquet_bytes(table))
    refused(
        DataFileError,
        r"big\.parquet' uncompresses to more than 1,000 bytes",
        lambda: read_table(parquet, kind="brands"),
    )


def test_a_date_that_breaks_the_format_is_found_without_a_loop_per_row(tmp_path):
    rows = "".join(f"c{i},4/22/2018 6:00,1\n" for i in range(100_000))  # row by row: minutes
    path = write(tmp_path, "d.csv", "customer_id,time,amount\n" + rows + "cx,2018-13-45 6:00,1\n")
    refused(
        SchemaError,
        r"column 'time': row 100001 has '2018-13-45 6:00', which does not match row 1 "
        r"\('4/22/2018 6:00', format %m/%d/%Y %H:%M\); expected one date format throughout",
        lambda: read_table(path, kind="transactions"),
    )


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_json_is_refused(tmp_path, depth):
    line = '{"brand": "a", "x": ' + "[" * depth + "]" * depth + "}\n"
    path = write(tmp_path, "deep.jsonl", '{"brand": "b"}\n' + line)
    refused(
        DataFileError,
        r"deep\.jsonl', line 2: JSON nested more than 50 levels deep; expected one object per "
        r"line, nested at most that much \(scrm_lab\.io\.MAX_JSON_DEPTH\)",
        lambda: read_table(path, kind="brands"),
    )


def test_json_nested_to_the_limit_is_kept_in_an_extra_column(tmp_path):
    nested = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)  # the object is level 1
    path = write(tmp_path, "nested.jsonl", '{"brand": "a", "x": ' + nested + "}\n")
    table = read_table(path, kind="brands")
    assert json.dumps(table["x"].iloc[0]) == nested


def test_more_columns_than_the_limit_in_json_excel_and_parquet(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_COLUMNS", 3)
    lines = '{"a": 1, "b": 2}\n{"c": 3}\n{"d": 4}\n'
    refused(
        DataFileError,
        r"many\.jsonl', line 3: the objects so far have 4 different keys; expected at most 3 "
        r"columns",
        lambda: read_file(write(tmp_path, "many.jsonl", lines)),
    )
    excel = write(tmp_path, "many.xlsx", xlsx_bytes([["a", "b", "c", "d"], [1, 2, 3, 4]]))
    refused(
        DataFileError,
        r"many\.xlsx': sheet 0 has 4 columns; expected at most 3",
        lambda: read_file(excel),
    )
    parquet = write(tmp_path, "many.parquet", parquet_bytes(pa.table({k: [1] for k in "abcd"})))
    refused(
        DataFileError,
        r"many\.parquet' has 4 columns; expected at most 3",
        lambda: read_file(parquet),
    )


# ---------------------------------------------------------- tracebacks on user input (now refused)


def test_truncated_utf16_is_refused(tmp_path):
    data = "\ufeffbrand\nNestlé\n".encode("utf-16-le") + b"a"  # odd length: cut mid-character
    refused(
        DataFileError,
        r"u16\.csv' is not valid utf-16 \(as its byte-order mark says\): byte 0x61 on line 3 "
        r"\(where the file ends: is it cut short\?\) cannot be decoded",
        lambda: read_table(write(tmp_path, "u16.csv", data), kind="brands"),
    )


@pytest.mark.parametrize(
    ("encoding", "mark"),
    [
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-32-le", b"\xff\xfe\0\0"),
        ("utf-32-be", b"\0\0\xfe\xff"),
        ("utf-8", b"\xef\xbb\xbf"),
    ],
)
def test_byte_order_marks_name_the_encoding(tmp_path, encoding, mark):
    path = write(tmp_path, "bom.csv", mark + "brand,country\nNestlé,Suisse\n".encode(encoding))
    table = read_table(path, kind="brands")
    assert table["brand"].tolist() == ["Nestlé"] and table.columns[0] == "brand"


def good_gzip() -> bytes:
    return gzip.compress(GOOD_CSV.encode())


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (good_gzip()[:-8] + b"\0\0\0\0" + good_gzip()[-4:], "CRC check failed"),
        (good_gzip()[:30], "Compressed file ended before the end-of-stream marker"),
        (b"plain text, not gzip", r"Not a gzipped file \(b'pl'\)"),
        (good_gzip()[:12] + b"\xff" * 20 + good_gzip()[32:], "invalid|Error -3"),
    ],
    ids=["bad-crc", "truncated", "not-gzip", "corrupt-stream"],
)
def test_corrupt_gzip_is_refused(tmp_path, data, match):
    path = write(tmp_path, "t.csv.gz", data)
    refused(
        DataFileError,
        rf"t\.csv\.gz' is not a valid gzip file: .*({match})",
        lambda: read_file(path),
    )


@pytest.mark.parametrize(
    ("line", "match"),
    [
        ('{"quantity": 123456789012345678901234567890}', "fits in 64 bits"),
        ('{"quantity": 9223372036854775808}', "fits in 64 bits"),
        ('{"quantity": 1e400}', "fits in 64 bits"),
        ('{"quantity": ' + "9" * 5000 + "}", "line 1: not valid JSON .*4300 digits"),
    ],
)
def test_integers_beyond_64_bits_in_json_lines(tmp_path, line, match):
    record = json.loads('{"customer_id": "c", "time": "2024-01-01", "amount": 1}')
    text = json.dumps(record)[:-1] + ", " + line[1:] + "\n"
    path = write(tmp_path, "big.jsonl", text)
    refused(ScrmLabError, match, lambda: read_table(path, kind="transactions"))


@pytest.mark.parametrize(
    "value", [str(2**63), "123456789012345678901234567890", "-" + str(2**63 + 1)]
)
def test_integers_beyond_64_bits_in_a_csv_count_column(tmp_path, value):
    path = write(
        tmp_path,
        "big.csv",
        f"customer_id,time,amount,quantity\nc,2024-01-01,1,2\nd,2024-01-01,1,{value}\n",
    )
    refused(
        SchemaError,
        rf"big\.csv: table 'transactions', column 'quantity': row 2 has '{value}'; expected an "
        r"integer that fits in 64 bits \(at most 9,223,372,036,854,775,807 in size\)",
        lambda: read_table(path, kind="transactions"),
    )


RANGE = r"expected a date and time from 1677-09-23 to 2262-04-09"


@pytest.mark.parametrize(
    ("value", "timezone"),
    [
        ("0001-01-01 00:00", "UTC"),
        ("9999-12-31 23:00", "Asia/Tokyo"),
        ("9999-12-31 23:00", "America/New_York"),
        ("3000-01-01T00:00:00+14:00", "UTC"),
        ("2262-04-10 12:00", "Pacific/Kiritimati"),
        ("1677-09-21 12:00", "Pacific/Pago_Pago"),
    ],
)
def test_times_outside_the_nanosecond_range_are_refused_by_row(tmp_path, value, timezone):
    first = "2024-01-01T10:00:00+00:00" if "+" in value else "2024-01-01 10:00"
    path = write(tmp_path, "t.csv", f"customer_id,time,amount\nc1,{first},1\nc2,{value},1\n")
    refused(
        SchemaError,
        rf"t\.csv: table 'transactions', column 'time': row 2 has {re.escape(repr(value))}; "
        + RANGE,
        lambda: read_table(path, kind="transactions", timezone=timezone),
    )


def test_a_period_in_year_3000_and_typed_times_out_of_range(tmp_path):
    path = write(tmp_path, "f.csv", "brand,period,revenue\nA,2020-01-01,1\nA,3000-01-01,2\n")
    refused(
        SchemaError,
        r"column 'period': row 2 has '3000-01-01'; expected a date from 1677-09-23 to 2262-04-09",
        lambda: read_table(path, kind="financials"),
    )
    times = pa.array(
        [pd.Timestamp("2000-01-01").to_pydatetime(), pd.Timestamp("3000-01-01").to_pydatetime()],
        pa.timestamp("us"),
    )
    table = pa.table({"customer_id": ["a", "b"], "time": times, "amount": [1.0, 2.0]})
    parquet = write(tmp_path, "t.parquet", parquet_bytes(table))
    refused(
        SchemaError,
        rf"column 'time': row 2 has Timestamp\('3000-01-01 00:00:00'\); {RANGE}",
        lambda: read_table(parquet, kind="transactions"),
    )
    excel = write(
        tmp_path,
        "t.xlsx",
        xlsx_bytes(
            [
                ["customer_id", "time", "amount"],
                ["a", pd.Timestamp("9999-12-31").to_pydatetime(), 1],
            ]
        ),
    )
    refused(
        SchemaError,
        r"t\.xlsx: table 'transactions', column 'time': row 1 has Timestamp\('9999-12-31",
        lambda: read_table(excel, kind="transactions"),
    )
    edge = write(
        tmp_path,
        "edge.csv",
        "customer_id,time,amount\nc,1677-09-23 00:00,1\nd,2262-04-09 23:59,1\n",
    )
    times = read_table(edge, kind="transactions", timezone="Pacific/Kiritimati")["time"]
    zone = zoneinfo.ZoneInfo("Pacific/Kiritimati")  # its local mean time in 1677, +14 in 2262
    local = [datetime.datetime(1677, 9, 23, 0, 0), datetime.datetime(2262, 4, 9, 23, 59)]
    assert times.tolist() == [pd.Timestamp(t.replace(tzinfo=zone)).tz_convert("UTC") for t in local]


def test_text_that_is_neither_utf8_nor_windows_1252(tmp_path):
    path = write(tmp_path, "x.csv", b"brand\nab\x81\x8d\n")
    refused(
        DataFileError,
        r"x\.csv' is neither UTF-8 \(byte 0x81 on line 2\) nor Windows-1252 \(byte 0x81 on "
        r"line 2\); pass the file's encoding, e.g. encoding='cp1251' or encoding='latin-1'",
        lambda: read_table(path, kind="brands"),
    )
    assert read_table(path, kind="brands", encoding="cp1251")["brand"].tolist() == ["abЃЌ"]


@pytest.mark.parametrize("name", ["a\nb.csv", "tab\there.csv", "bell\a.csv", "line\u2028sep.csv"])
def test_a_file_name_with_control_characters_stays_on_one_line(tmp_path, name):
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)
    path = write(tmp_path, name, "brand,size\nA,ten\n")
    error = refused(
        SchemaError, "column 'size': row 1 has 'ten'", lambda: read_table(path, kind="brands")
    )
    assert f"{shown}: table 'brands'" in str(error)
    error = refused(
        DataFileError, "does not exist", lambda: read_file(tmp_path / ("missing " + name))
    )
    assert shown in str(error)
    error = refused(
        SchemaError,
        "row 1 has 'ten'",
        lambda: conform(pd.DataFrame({"brand": ["A"], "size": ["ten"]}), "brands", source=name),
    )
    assert str(error).startswith(shown)


def good_xlsx() -> bytes:
    return xlsx_bytes([list(GOOD.columns), *GOOD.astype(object).to_numpy().tolist()])


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"PK\x03\x04" + b"\0" * 100, "File is not a zip file"),
        (b"not a spreadsheet", "File is not a zip file"),
        (lambda: good_xlsx()[: len(good_xlsx()) // 2], "File is not a zip file"),
        (lambda: zip_of({"hello.txt": b"hi"}), r"There is no item named|\[Content_Types\]\.xml"),
        (lambda: zip_of({"[Content_Types].xml": b"<not xml"}), "."),
    ],
    ids=["zip-header-only", "text", "truncated", "zip-not-excel", "bad-xml"],
)
def test_corrupt_excel_is_refused(tmp_path, data, match):
    path = write(tmp_path, "b.xlsx", data() if callable(data) else data)
    refused(
        DataFileError,
        rf"b\.xlsx' is not a valid Excel file: .*({match})",
        lambda: read_table(path, kind="brands"),
    )


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def good_parquet() -> bytes:
    return parquet_bytes(pa.Table.from_pandas(GOOD, preserve_index=False))


@pytest.mark.parametrize(
    "data",
    [
        b"not parquet at all",
        lambda: good_parquet()[: len(good_parquet()) // 2],
        lambda: good_parquet()[:-3],
        lambda: good_parquet()[:4] + b"\0" * 40 + good_parquet()[44:],
        lambda: b"PAR1" + b"\xff" * 64 + b"PAR1",
    ],
    ids=["text", "half", "no-footer-magic", "zeroed-pages", "garbage-footer"],
)
def test_corrupt_parquet_is_refused(tmp_path, data):
    path = write(tmp_path, "b.parquet", data() if callable(data) else data)
    refused(
        DataFileError,
        r"b\.parquet' is not a valid Parquet file: \S",
        lambda: read_table(path, kind="transactions"),
    )


# ------------------------------------------------------- silent acceptance (now refused or exact)


@pytest.mark.parametrize("value", ["inf", "-inf", "Infinity", "1e400", "-1e309", "9" * 400])
def test_non_finite_amounts_are_refused_by_row(tmp_path, value):
    path = write(
        tmp_path, "t.csv", f"customer_id,time,amount\nc,2024-01-01,1\nd,2024-01-01,{value}\n"
    )
    refused(
        SchemaError,
        rf"t\.csv: table 'transactions', column 'amount': row 2 has '{value[:60]}'"
        r"(\.\.\.)?; expected a finite number",  # a long value is cut after 60 characters
        lambda: read_table(path, kind="transactions"),
    )


def test_non_finite_numbers_from_parquet_and_json_are_refused(tmp_path):
    table = pa.table({"brand": ["a", "b"], "size": [1.0, float("-inf")]})
    parquet = write(tmp_path, "b.parquet", parquet_bytes(table))
    refused(
        SchemaError,
        r"column 'size': row 2 has -inf; expected a finite number",
        lambda: read_table(parquet, kind="brands"),
    )
    lines = '{"brand": "a", "size": 1}\n{"brand": "b", "size": Infinity}\n'
    refused(
        SchemaError,
        r"column 'size': row 2 has 'inf'; expected a finite number",
        lambda: read_table(write(tmp_path, "b.jsonl", lines), kind="brands"),
    )
    frame = pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [1 + 2j]})
    refused(
        SchemaError,
        r"'weight': row 1 has \(1\+2j\); expected a number",
        lambda: conform(frame, "edges"),
    )
    frame = pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [float("inf")]})
    refused(
        SchemaError,
        r"column 'weight': row 1 has inf; expected a finite number",
        lambda: conform(frame, "edges"),
    )


@pytest.mark.parametrize(
    ("arrow_type", "value", "shown"),
    [
        (pa.list_(pa.string()), ["a", "b"], r"list<(item|element): string>"),
        (pa.struct([("id", pa.string())]), {"id": "a"}, r"struct<id: string>"),
        (pa.map_(pa.string(), pa.string()), [("k", "v")], r"map<string, string"),
        (pa.binary(), b"a", r"binary"),
        (pa.large_list(pa.int64()), [1], r"large_list<"),
    ],
)
def test_a_parquet_column_holding_several_values_is_refused_by_arrow_type(
    tmp_path, arrow_type, value, shown
):
    table = pa.table({"Id": pa.array([value], arrow_type), "brand": ["x"]})
    path = write(tmp_path, "n.parquet", parquet_bytes(table))
    refused(
        SchemaError,
        rf"n\.parquet', column 'Id' has Arrow type {shown}.*; expected text, one value per cell",
        lambda: read_table(path, kind="messages", columns={"Id": "message_id"}),
    )
    assert read_file(path)["brand"].tolist() == ["x"]  # read_file keeps it: no column declared


def test_a_list_or_mapping_in_a_declared_column_is_refused_by_row(tmp_path):
    lines = '{"brand": "a"}\n{"brand": ["a", "b"]}\n'
    refused(
        SchemaError,
        r"'brand': row 2 has a list \['a', 'b'\]; expected text, one value per cell",
        lambda: read_table(write(tmp_path, "b.jsonl", lines), kind="brands"),
    )
    frame = pd.DataFrame({"brand": ["a", "b"], "size": [1, {"value": 2}]})
    refused(
        SchemaError,
        r"'size': row 2 has a dict \{'value': 2\}; expected a number, one value",
        lambda: conform(frame, "brands"),
    )
    frame = pd.DataFrame({"brand": [b"raw bytes"]})
    refused(
        SchemaError,
        r"row 1 has a bytes b'raw bytes'; expected text",
        lambda: conform(frame, "brands"),
    )


@pytest.mark.parametrize("value", [2**53 + 1, 2**62 + 1, 2**63 - 1])
def test_counts_above_2_53_are_kept_exact(tmp_path, value):
    csv_path = write(
        tmp_path,
        "q.csv",
        f"customer_id,time,amount,quantity\nc,2024-01-01,1,{value}\nd,2024-01-01,1,\n",
    )
    json_path = write(
        tmp_path,
        "q.jsonl",
        f'{{"customer_id": "c", "time": "2024-01-01", "amount": 1, "quantity": {value}.0}}\n',
    )
    parquet = pa.table(
        {
            "customer_id": ["c"],
            "time": ["2024-01-01"],
            "amount": [1.0],
            "quantity": pa.array([value], pa.int64()),
        }
    )
    parquet_path = write(tmp_path, "q.parquet", parquet_bytes(parquet))
    for path in (csv_path, json_path, parquet_path):
        assert int(read_table(path, kind="transactions")["quantity"].iloc[0]) == value


@pytest.mark.parametrize("value", [2.0**53, 2.0**53 + 2, 1e18])
def test_a_float_count_of_2_53_or_more_is_refused(tmp_path, value):
    table = pa.table(
        {"customer_id": ["c"], "time": ["2024-01-01"], "amount": [1.0], "quantity": [value]}
    )
    path = write(tmp_path, "f.parquet", parquet_bytes(table))
    refused(
        SchemaError,
        rf"column 'quantity': row 1 has {re.escape(repr(value))}; expected an integer below "
        r"2\*\*53 when stored as a float",
        lambda: read_table(path, kind="transactions"),
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12.0", 12), ("1.2e3", 1200), ("+7", 7), ("-0", 0), ("9007199254740993.0", 2**53 + 1)],
)
def test_counts_written_as_decimals_are_read_exactly(tmp_path, value, expected):
    path = write(tmp_path, "q.csv", f"post_id,brand,channel,shares\n1,a,fb,{value}\n")
    assert read_table(path, kind="posts")["shares"].tolist() == [expected]


@pytest.mark.parametrize("value", ["2.5", "1.0000000000000000001", "1e-5", "nan(1)", "1_000"])
def test_counts_that_are_not_whole_numbers_are_refused(tmp_path, value):
    path = write(tmp_path, "q.csv", f"post_id,brand,channel,shares\n1,a,fb,{value}\n")
    refused(
        SchemaError,
        rf"column 'shares': row 1 has '{re.escape(value)}'; expected an integer$",
        lambda: read_table(path, kind="posts"),
    )


def test_read_file_never_changes_a_number_of_an_extra_column(tmp_path):
    path = write(
        tmp_path,
        "x.csv",
        f"id,big,huge,inf,mixed,plain\n1,{2**53 + 1},{2**64},inf,{2**53 + 1},1.5\n2,,1,1,0.5,2\n",
    )
    frame = read_file(path)
    assert frame["id"].tolist() == [1, 2] and str(frame["id"].dtype) == "int64"
    assert frame["big"].tolist()[0] == 2**53 + 1 and str(frame["big"].dtype) == "Int64"
    assert frame["huge"].tolist() == [str(2**64), "1"]  # beyond 64 bits: kept as text
    assert frame["inf"].tolist() == ["inf", "1"]  # not a finite number: kept as text
    assert frame["mixed"].tolist() == [str(2**53 + 1), "0.5"]  # a float would round it
    assert frame["plain"].tolist() == [1.5, 2.0]


# ------------------------------------------------------------------- other members of each class


@pytest.mark.parametrize(
    "marker", ["-nan", "#N/A N/A", "<NA>", "1.#QNAN", "-1.#IND", "#NA", " NaN "]
)
def test_nan_like_markers_are_missing_values(tmp_path, marker):
    path = write(tmp_path, "c.csv", f"brand,channel,present,followers\nA,twitter,yes,{marker}\n")
    assert read_table(path, kind="channel_activity")["followers"].isna().tolist() == [True]
    path = write(tmp_path, "t.csv", f"customer_id,time,amount\nc,2024-01-01,{marker}\n")
    refused(
        SchemaError,
        r"column 'amount': row 1 is missing",
        lambda: read_table(path, kind="transactions"),
    )


@pytest.mark.parametrize("value", ["1,234", "1 234", "1.234,5", "1'000"])
def test_thousands_separators_are_refused_with_a_hint(tmp_path, value):
    path = write(tmp_path, "t.tsv", f"customer_id\ttime\tamount\nc\t2024-01-01\t{value}\n")
    refused(
        SchemaError,
        rf"row 1 has {re.escape(repr(value))}; expected a number "
        r"\(no thousands separators, and '\.' as the decimal point\)",
        lambda: read_table(path, kind="transactions"),
    )


def test_negative_zero_and_long_decimals(tmp_path):
    digits = "0.1000000000000000055511151231257827021181583404541015625"  # exactly float 0.1
    path = write(
        tmp_path,
        "t.csv",
        f"customer_id,time,amount,quantity\nc,2024-01-01,-0.0,-0\nd,2024-01-01,{digits},0\n",
    )
    table = read_table(path, kind="transactions")
    assert table["amount"].tolist() == [0.0, 0.1] and table["quantity"].tolist() == [0, 0]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_line_ends_mixed_or_not_are_read(tmp_path, end):
    text = f"brand,size{end}A,1\r\nB,2\nC,3\rD,4{end}"
    assert read_table(write(tmp_path, "b.csv", text), kind="brands")["brand"].tolist() == list(
        "ABCD"
    )


@pytest.mark.parametrize(
    ("text", "line", "fields"),
    [
        ("brand,name\nA,first\rpart\nB,x\n", 3, 1),  # a bare CR in an unquoted value
        ("brand,name\nA,first\npart\nB,x\n", 3, 1),  # a line feed in an unquoted value
        ("brand,name\nA,x,y\nB,z,w\n", 2, 3),  # one field more on every row
        ("brand,name\nA\n", 2, 1),  # a short row, silently padded by pandas
    ],
)
def test_rows_with_more_or_fewer_fields_than_the_header(tmp_path, text, line, fields):
    refused(
        DataFileError,
        rf"r\.csv': line {line} has {fields} fields but the header has 2 \(delimiter ','\); "
        "check for an unquoted delimiter or line break in a value",
        lambda: read_table(write(tmp_path, "r.csv", text), kind="brands"),
    )


def test_quoted_line_breaks_and_delimiters_are_values(tmp_path):
    text = 'brand,name\r\n"A","two\r\nlines, one comma"\n"B","say ""hi"""\n'
    table = read_table(write(tmp_path, "q.csv", text), kind="brands")
    assert table["name"].tolist() == ["two\r\nlines, one comma", 'say "hi"']


def test_nul_characters_are_refused(tmp_path):
    refused(
        DataFileError,
        r"n\.csv' holds a NUL character on line 2; expected text \(a UTF-16 file without a "
        r"byte-order mark\? then pass encoding='utf-16-le'\)",
        lambda: read_file(write(tmp_path, "n.csv", b"brand\nA\0B\n")),
    )
    utf16 = write(tmp_path, "u.csv", "brand\nA\n".encode("utf-16-le"))
    refused(DataFileError, "holds a NUL character on line 1", lambda: read_file(utf16))
    assert read_file(utf16, encoding="utf-16-le")["brand"].tolist() == ["A"]


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("e.csv", "", r"e\.csv' is empty"),
        ("e.csv", b"\xff\xfe", r"e\.csv' is empty"),
        ("e.csv.gz", gzip.compress(b"", mtime=0), r"e\.csv\.gz' is empty"),
        ("e.jsonl", "\n\n", r"e\.jsonl' is empty"),
        ("h.csv", "brand,name\r\n", r"h\.csv' has a header but no data rows"),
        ("h.jsonl", "{}\n", r"h\.jsonl' has no columns"),
    ],
)
def test_empty_files_and_header_only(tmp_path, name, content, match):
    refused(DataFileError, match, lambda: read_file(write(tmp_path, name, content)))


def test_header_only_excel_and_parquet(tmp_path):
    excel = write(tmp_path, "h.xlsx", xlsx_bytes([["brand", "name"]]))
    refused(
        DataFileError,
        r"h\.xlsx' has a header but no data rows",
        lambda: read_table(excel, kind="brands"),
    )
    parquet = write(
        tmp_path, "h.parquet", parquet_bytes(pa.table({"brand": pa.array([], pa.string())}))
    )
    refused(
        DataFileError,
        r"h\.parquet' has a header but no data rows",
        lambda: read_table(parquet, kind="brands"),
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("d.csv", "brand,sector, sector \nA,x,y\n"),
        ("d.jsonl", '{"brand": "A", "sector": "x", "sector": "y"}\n'),
        ("d.xlsx", xlsx_bytes([["brand", "sector", "sector"], ["A", "x", "y"]])),
        (
            "d.parquet",
            parquet_bytes(
                pa.Table.from_arrays(
                    [pa.array(["A"]), pa.array(["x"]), pa.array(["y"])],
                    names=["brand", "sector", "sector"],
                )
            ),
        ),
    ],
)
def test_repeated_column_names_are_refused(tmp_path, name, content):
    match = (
        r"key 'sector' appears twice in one object"
        if name.endswith("jsonl")
        else r"column 'sector' appears twice in the header"
    )
    refused(DataFileError, match, lambda: read_table(write(tmp_path, name, content), kind="brands"))


def test_columns_without_a_name(tmp_path):
    trailing = write(tmp_path, "t.csv", "brand,size,\nA,1,\nB,2,\n")  # a trailing delimiter
    assert read_table(trailing, kind="brands").columns.tolist() == ["brand", "size"]
    refused(
        DataFileError,
        r"u\.csv': column 2 has no name in the header but holds values \(row 2: 'x'\); "
        "expected a name for every column with values",
        lambda: read_table(write(tmp_path, "u.csv", "brand, ,size\nA,,1\nB,x,2\n"), kind="brands"),
    )
    excel = write(tmp_path, "u.xlsx", xlsx_bytes([["brand", None, "size"], ["A", "x", 1]]))
    refused(
        DataFileError, r"u\.xlsx': column 2 has no name", lambda: read_table(excel, kind="brands")
    )
    assert read_table(
        write(tmp_path, "v.xlsx", xlsx_bytes([["brand", None], ["A", None]])), kind="brands"
    ).shape == (1, 1)


def test_sheets_that_do_not_exist(tmp_path):
    excel = write(tmp_path, "s.xlsx", xlsx_bytes([["brand"], ["A"]]))
    for sheet in ("Brands", 1):
        refused(
            DataFileError,
            rf"has no sheet {re.escape(repr(sheet))}; its sheets are \['Sheet'\]",
            lambda sheet=sheet: read_table(excel, kind="brands", sheet=sheet),
        )


@pytest.mark.parametrize("sheet", [True, 1.5, None, -1])
def test_a_sheet_is_a_name_or_a_position(tmp_path, sheet):
    excel = write(tmp_path, "s.xlsx", xlsx_bytes([["brand"], ["A"]]))
    refused(
        ParameterError,
        rf"'sheet' parameter of read_table must be a sheet name or its position \(0 for the "
        rf"first\)\. Got {sheet!r} instead",
        lambda: read_table(excel, kind="brands", sheet=sheet),
    )


@pytest.mark.parametrize("sep", ["::", '"', "\n", "\r", "\0", "", "§"])
def test_a_delimiter_must_be_one_ordinary_character(tmp_path, sep):
    path = write(tmp_path, "b.csv", "brand\nA\n")
    refused(
        ParameterError,
        r"'sep' parameter of read_table must be one ASCII character other than a quote",
        lambda: read_table(path, kind="brands", sep=sep),
    )


def test_text_that_pyarrow_cannot_take_is_refused(tmp_path):
    path = write(tmp_path, "s.csv", b"brand,size\n\\ud800,1\n")  # a lone surrogate once decoded
    refused(
        DataFileError,
        r"s\.csv' cannot be parsed as delimited text with delimiter ',': .*invalid UTF8 data",
        lambda: read_file(path, encoding="unicode_escape"),
    )


@pytest.mark.parametrize("encoding", ["utf-9", "rot13", "hex"])
def test_an_encoding_that_is_not_a_text_encoding(tmp_path, encoding):
    path = write(tmp_path, "b.csv", "brand\nA\n")
    refused(
        ParameterError,
        rf"'encoding' parameter of read_file must be a known text encoding\. Got '{encoding}'",
        lambda: read_file(path, encoding=encoding),
    )


def test_files_that_are_not_regular_files(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    refused(
        DataFileError,
        r"pipe\.csv' is not a regular file \(a pipe or a device\)",
        lambda: read_file(fifo),
    )
    device = tmp_path / "zero.csv"
    device.symlink_to("/dev/zero")  # endless
    refused(DataFileError, r"zero\.csv' is not a regular file", lambda: read_file(device))
    unreadable = tmp_path / "mem.csv"
    unreadable.symlink_to("/proc/self/mem")  # a regular file whose reading fails
    refused(DataFileError, r"mem\.csv' cannot be read \(\[Errno 5\]", lambda: read_file(unreadable))
    refused(
        DataFileError,
        r"cannot be opened \(\[Errno 36\] File name too long",
        lambda: read_file(tmp_path / ("x" * 5000 + ".csv")),
    )


# ------------------------------------------------------------------------------- properties

KINDS = ["transactions", "financials", "channel_activity", "messages", "posts"]
COLUMNS = sorted(
    {
        "customer_id",
        "time",
        "amount",
        "quantity",
        "brand",
        "period",
        "revenue",
        "channel",
        "present",
        "followers",
        "message_id",
        "author",
        "text",
        "post_id",
        "shares",
        "paid",
    }
)
HOSTILE = [
    "",
    " ",
    "inf",
    "-inf",
    "nan",
    "-nan",
    "NaN",
    "1e400",
    "-0",
    "1,234",
    "1_000",
    "0x10",
    str(2**53 + 1),
    str(2**63),
    "9" * 30,
    "12.0",
    "1e-400",
    "true",
    "yes",
    "2",
    "0001-01-01",
    "3000-01-01",
    "9999-12-31 23:00",
    "2024-01-01 10:00",
    "24/02/2015",
    "2024-02-30",
    "2024-01-01T10:00:00+05:00",
    "10:00",
    '"',
    '""',
    "\r",
    "\n",
    "\t",
    "\x00",
    "\ufeff",
    "\u2028",
    "\x85",
    "=1+1",
    "twitter",
    "positive",
]
CELLS = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=10),
    st.integers().map(str),
    st.floats().map(repr),
)
NAMES = st.one_of(st.sampled_from(COLUMNS), st.text(max_size=6))
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1", "cp1251"]
ZONES = ["UTC", "Asia/Tokyo", "America/New_York", "Pacific/Kiritimati", "Mars/Base"]


def both_readers(path: Path, kind: str, **options) -> None:
    """read_table (as a canonical kind) and read_file each read the file or refuse it."""
    outcome(lambda: read_table(path, kind=kind, **options), path.name)
    outcome(lambda: read_file(path), path.name)


@settings(max_examples=60)
@given(
    data=st.binary(max_size=3000),
    suffix=st.sampled_from([".csv", ".tsv", ".jsonl", ".parquet", ".xlsx", ".csv.gz"]),
    prefix=st.sampled_from(
        [b"", b"PAR1", b"PK\x03\x04", b"\x1f\x8b", b"\xff\xfe", b"\xef\xbb\xbf"]
    ),
)
def test_random_bytes(tmp_path_factory, data, suffix, prefix):
    path = tmp_path_factory.mktemp("bytes") / f"x{suffix}"
    path.write_bytes(prefix + data)
    both_readers(path, "transactions")


@settings(max_examples=60)
@given(
    text=st.text(max_size=300),
    encoding=st.sampled_from(ENCODINGS),
    suffix=st.sampled_from([".csv", ".txt", ".jsonl"]),
)
def test_random_text_in_random_encodings(tmp_path_factory, text, encoding, suffix):
    path = tmp_path_factory.mktemp("text") / f"x{suffix}"
    path.write_bytes(("customer_id,time,amount\n" + text).encode(encoding, errors="replace"))
    both_readers(path, "transactions")


@st.composite
def delimited(draw) -> tuple[str, str]:
    """A CSV-like text with hostile names, cells, quotes and line ends, and a table kind."""
    kind = draw(st.sampled_from(KINDS))
    names = draw(st.lists(NAMES, min_size=1, max_size=6))
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    rows = [names]
    for _ in range(draw(st.integers(0, 5))):
        width = draw(st.sampled_from([len(names), len(names), len(names) - 1, len(names) + 1]))
        rows.append(draw(st.lists(CELLS, min_size=max(width, 0), max_size=max(width, 0))))
    if draw(st.booleans()):  # quoted as the csv module writes it
        buffer = io.StringIO()
        writer = csv.writer(
            buffer,
            delimiter=sep,
            lineterminator=end,
            quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
        )
        writer.writerows(rows)
        return buffer.getvalue(), kind
    return end.join(sep.join(row) for row in rows) + draw(st.sampled_from(["", end])), kind


@settings(max_examples=300)
@given(
    csv_text=delimited(),
    encoding=st.sampled_from(ENCODINGS),
    zone=st.sampled_from(ZONES),
    sep=st.sampled_from([None, None, ",", ";"]),
)
def test_random_csv(tmp_path_factory, csv_text, encoding, zone, sep):
    text, kind = csv_text
    path = tmp_path_factory.mktemp("csv") / "x.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    both_readers(path, kind, timezone=zone, sep=sep)


@settings(max_examples=300)
@given(kind=st.sampled_from(KINDS), data=st.data(), zone=st.sampled_from(ZONES))
def test_hostile_values_in_the_columns_a_table_declares(tmp_path_factory, kind, data, zone):
    declared = list(get_table(kind).columns)
    names = data.draw(st.lists(st.sampled_from(declared), min_size=1, unique=True), label="names")
    names += data.draw(st.lists(st.text(max_size=4), max_size=2), label="extras")
    rows = data.draw(
        st.lists(st.lists(CELLS, min_size=len(names), max_size=len(names)), min_size=1, max_size=4)
    )
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([names, *rows])
    path = tmp_path_factory.mktemp("values") / "x.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    both_readers(path, kind, timezone=zone)


GOOD_FILES = {".csv.gz": good_gzip(), ".parquet": good_parquet(), ".xlsx": good_xlsx()}


@settings(max_examples=250)
@given(suffix=st.sampled_from(sorted(GOOD_FILES)), data=st.data())
def test_truncated_or_corrupted_files(tmp_path_factory, suffix, data):
    good = GOOD_FILES[suffix]
    if data.draw(st.booleans(), label="truncate"):
        bad = good[: data.draw(st.integers(0, len(good) - 1), label="length")]
    else:
        bad = bytearray(good)
        for _ in range(data.draw(st.integers(1, 8), label="flips")):
            bad[data.draw(st.integers(0, len(good) - 1))] = data.draw(st.integers(0, 255))
        bad = bytes(bad)
    path = tmp_path_factory.mktemp("corrupt") / f"x{suffix}"
    path.write_bytes(bad)
    both_readers(path, "transactions")


KEYS = st.text(max_size=4)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=12,
)


@st.composite
def json_lines(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        record = draw(st.dictionaries(NAMES, JSON_VALUES | st.sampled_from(HOSTILE), max_size=6))
        line = json.dumps(record)
        depth = draw(st.sampled_from([0, 0, 0, MAX_JSON_DEPTH, MAX_JSON_DEPTH + 1, 5000]))
        if depth and line != "{}":
            line = line[:-1] + ', "deep": ' + "[" * depth + "]" * depth + "}"
        lines.append(draw(st.sampled_from([line, line, line[: len(line) // 2], "[1]"])))
    return "\n".join(lines) + "\n"


@settings(max_examples=200)
@given(text=json_lines(), kind=st.sampled_from(KINDS))
def test_json_lines_nested_at_random(tmp_path_factory, text, kind):
    path = tmp_path_factory.mktemp("json") / "x.jsonl"
    path.write_text(text, encoding="utf-8")
    both_readers(path, kind)


COUNTS = st.lists(st.one_of(st.none(), st.integers(0, 2**63 - 1)), min_size=1, max_size=15)


def transactions_csv(amounts: list[str], quantities: list[str]) -> str:
    rows = [
        f"c{i},2024-01-01,{a},{q}" for i, (a, q) in enumerate(zip(amounts, quantities, strict=True))
    ]
    return "customer_id,time,amount,quantity\n" + "\n".join(rows) + "\n"


@settings(max_examples=80)
@given(counts=COUNTS, written=st.sampled_from(["{}", "+{}", "{}.0", "{}e0", "00{}"]))
def test_counts_round_trip_exactly(tmp_path_factory, counts, written):
    cells = ["" if c is None else written.format(c) for c in counts]
    path = tmp_path_factory.mktemp("counts") / "q.csv"
    path.write_text(transactions_csv(["1"] * len(counts), cells), encoding="utf-8")
    got = read_table(path, kind="transactions")["quantity"].tolist()
    assert [None if pd.isna(g) else int(g) for g in got] == counts
    lines = [
        json.dumps({"customer_id": f"c{i}", "time": "2024-01-01", "amount": 1, "quantity": c})
        for i, c in enumerate(counts)
    ]
    path = path.with_suffix(".jsonl")
    path.write_text("\n".join(lines), encoding="utf-8")
    got = read_table(path, kind="transactions")["quantity"].tolist()
    assert [None if pd.isna(g) else int(g) for g in got] == counts


@settings(max_examples=60)
@given(counts=st.lists(st.integers(0, 2**200), min_size=1, max_size=8))
def test_counts_beyond_64_bits_are_refused_naming_the_row(tmp_path_factory, counts):
    path = tmp_path_factory.mktemp("big") / "q.csv"
    path.write_text(
        transactions_csv(["1"] * len(counts), [str(c) for c in counts]), encoding="utf-8"
    )
    first = next((i for i, c in enumerate(counts) if c > 2**63 - 1), None)
    result = outcome(lambda: read_table(path, kind="transactions"), path.name)
    if first is None:
        assert result["quantity"].tolist() == counts
    else:
        assert (
            isinstance(result, SchemaError)
            and result.column == "quantity"
            and result.row == first + 1
        )
        assert (
            f"row {first + 1} has '{counts[first]}'; expected an integer that fits in 64 bits"
            in str(result)
        )


FINITE = st.floats(min_value=0, allow_nan=False, allow_infinity=False)


@settings(max_examples=80)
@given(
    amounts=st.lists(FINITE, min_size=1, max_size=10), digits=st.sampled_from([None, 17, 20, 30])
)
def test_amounts_are_the_nearest_float_to_what_is_written(tmp_path_factory, amounts, digits):
    cells = [repr(a) if digits is None else f"{a:.{digits}g}" for a in amounts]
    path = tmp_path_factory.mktemp("amounts") / "t.csv"
    path.write_text(transactions_csv(cells, ["1"] * len(amounts)), encoding="utf-8")
    got = read_table(path, kind="transactions")["amount"].tolist()
    assert got == [float(decimal.Decimal(c)) for c in cells]  # Python rounds to nearest
    extra = read_file(path)["amount"].tolist()
    assert extra == got or extra == cells  # an integer beyond 64 bits stays text there


@settings(max_examples=60)
@given(
    values=st.lists(
        st.none() | st.integers(-(2**70), 2**70) | FINITE.map(repr) | st.sampled_from(["inf", "x"]),
        min_size=1,
        max_size=8,
    )
)
def test_read_file_gives_each_number_exactly_or_keeps_the_text(tmp_path_factory, values):
    cells = ["" if v is None else str(v) for v in values]
    path = tmp_path_factory.mktemp("extra") / "x.csv"
    path.write_text(
        "id,value\n" + "".join(f"{i},{c}\n" for i, c in enumerate(cells)), encoding="utf-8"
    )
    column = read_file(path)["value"]
    if pd.api.types.is_numeric_dtype(column):
        for cell, got in zip(cells, column.tolist(), strict=True):
            if cell == "":
                assert pd.isna(got)
            elif re.fullmatch(r"-?\d+", cell):  # an integer: exactly
                assert decimal.Decimal(cell) == decimal.Decimal(got)
            else:  # a decimal: the nearest float, as Python rounds it
                assert got == float(cell)
    else:
        assert column.tolist() == cells
