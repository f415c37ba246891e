"""Parquet larger than memory: partitioned writing, lazy scanning and checks on the engine."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd
import pytest

from scrm_lab.cli import run
from scrm_lab.exceptions import DataFileError, ParameterError, SchemaError
from scrm_lab.io import check_lazy, on_engine, scan_table, write_partitioned, write_table
from scrm_lab.listening import mention_volume, share_of_voice


@pytest.fixture
def engine(backend):
    if backend == "pandas":
        pytest.skip("scan_table is for the lazy engines")
    return backend


@pytest.fixture(scope="module")
def small(tweets):
    return tweets.sample(600, random_state=20261205).reset_index(drop=True)


def test_partitioned_folder_scans_to_the_pandas_result(small, tmp_path, engine):
    folder = write_partitioned(small, tmp_path / "messages", ["brand"])
    assert sorted(p.name for p in folder.iterdir()) == sorted(  # hive names: URL-quoted
        f"brand={quote(b)}" for b in small["brand"].unique()
    )
    lazy = scan_table(folder, kind="messages", engine=engine)
    pd.testing.assert_frame_equal(share_of_voice(lazy), share_of_voice(small))
    pd.testing.assert_frame_equal(
        mention_volume(lazy, freq="D", by="sentiment"),
        mention_volume(small, freq="D", by="sentiment"),
    )


def test_a_plain_file_and_a_folder_of_files(small, tmp_path, engine):
    write_table(small, tmp_path / "one.parquet")
    folder = tmp_path / "parts"
    folder.mkdir()
    write_table(small.iloc[:300], folder / "a.parquet")
    write_table(small.iloc[300:], folder / "b.parquet")
    expected = share_of_voice(small)
    for path in (tmp_path / "one.parquet", folder):
        pd.testing.assert_frame_equal(share_of_voice(scan_table(path, engine=engine)), expected)


def test_on_engine_hands_a_pandas_table_over(small, engine):
    pd.testing.assert_frame_equal(share_of_voice(on_engine(small, engine)), share_of_voice(small))
    assert on_engine(small, "pandas") is small


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.drop(columns="author"), r"missing required column\(s\) 'author'"),
        (
            lambda t: t.assign(time=t["time"].astype(str)),
            r"column 'time' has type String; expected timestamp values",
        ),
        (
            lambda t: t.assign(author=t["author"].where(t.index != 7)),
            r"column 'author': 1 row\(s\) fail, expected a value \(this column may not be "
            r"empty\); first: missing \(message_id='",
        ),
        (
            lambda t: t.assign(
                sentiment=t["sentiment"].astype(str).where(t.index % 100 != 3, "angry")
            ),
            r"column 'sentiment': 6 row\(s\) fail, expected one of \['negative', 'neutral', "
            r"'positive'\]; first: 'angry' \(message_id='",
        ),
        (
            lambda t: pd.concat([t, t.iloc[[4]]]),
            r"duplicate key \(message_id='\d+'\) in 2 rows; expected each \(message_id\) to "
            r"appear once \(1 repeated key\(s\), 2 rows in all\)",
        ),
    ],
)
def test_bad_tables_are_refused_on_the_engine_naming_file_column_and_rows(
    small, tmp_path, engine, change, message
):
    path = tmp_path / "bad.parquet"
    change(small).to_parquet(path, index=False, coerce_timestamps="us")
    with pytest.raises(SchemaError, match=rf"^{path}: table 'messages'.*{message}"):
        scan_table(path, kind="messages", engine=engine)
    lazy = scan_table(path, engine=engine)  # without kind: not checked
    with pytest.raises(SchemaError, match=message):
        check_lazy(lazy, "messages")


def test_negative_counts_are_refused(tmp_path, engine):
    posts = pd.DataFrame(
        {
            "post_id": ["p1", "p2", "p3"],
            "brand": ["a"] * 3,
            "channel": ["facebook"] * 3,
            "reactions": [1, -2, -5],
        }  # fmt: skip
    )
    posts.to_parquet(tmp_path / "posts.parquet")
    with pytest.raises(
        SchemaError,
        match=r"column 'reactions': 2 row\(s\) fail, expected a value >= 0; first: -2 "
        r"\(post_id='p2'\); -5 \(post_id='p3'\)",
    ):
        scan_table(tmp_path / "posts.parquet", kind="posts", engine=engine)


def test_paths_that_are_not_parquet_are_refused(tmp_path):
    with pytest.raises(DataFileError, match=r"nowhere: no such file or folder"):
        scan_table(tmp_path / "nowhere")
    (tmp_path / "t.csv").write_text("a\n1\n")
    with pytest.raises(DataFileError, match=r"t.csv: a .csv file; scan_table reads Parquet"):
        scan_table(tmp_path / "t.csv")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataFileError, match=r"empty: the folder holds no .parquet file"):
        scan_table(tmp_path / "empty")
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(DataFileError, match=r"broken.parquet: DuckDB cannot read it as Parquet"):
        scan_table(tmp_path / "broken.parquet")
    with pytest.raises(ParameterError, match=r"engine"):
        scan_table(tmp_path / "broken.parquet", engine="polars")


def test_spark_says_how_to_read_nanosecond_times(small, tmp_path, spark):
    small.to_parquet(tmp_path / "ns.parquet")  # pandas' default: nanoseconds
    with pytest.raises(
        DataFileError, match=r"Spark cannot read it as Parquet: .*NANOS.*scrm-lab table convert"
    ):
        scan_table(tmp_path / "ns.parquet", engine="spark", spark=spark)


def test_write_partitioned_refuses_and_leaves_nothing(small, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "mine.txt").write_text("the user's work")
    with pytest.raises(ParameterError, match=r"'.*full' already exists and is not empty"):
        write_partitioned(small, tmp_path / "full", ["brand"])
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["mine.txt"]
    with pytest.raises(SchemaError, match=r"cannot partition by 'brnad': no such column"):
        write_partitioned(small, tmp_path / "new", ["brnad"])
    with pytest.raises(SchemaError, match=r"'message_id': it has 1,001 distinct values"):
        write_partitioned(
            pd.concat([small] * 2, ignore_index=True).assign(
                message_id=[str(i % 1001) for i in range(1200)]
            ),
            tmp_path / "new",
            ["message_id"],
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]


def test_cli_converts_to_partitioned_parquet(tmp_path, capsys):
    source = tmp_path / "brands.csv"
    source.write_text("brand,name,sector\nacme,Acme,retail\nzeta,Zeta,tech\n")
    out = tmp_path / "brands"
    argv = ["table", "convert", str(source), str(out), "-k", "brands", "--partition-by", "sector"]
    assert run(argv) == 0
    assert f"wrote 2 rows of 'brands' to {out}/ by sector" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == ["sector=retail", "sector=tech"]
    assert run(argv) == 2
    assert f"The output folder '{out}' exists and is not empty" in capsys.readouterr().err
    assert run([*argv[:3], str(tmp_path / "b.parquet"), *argv[4:]]) == 2
    assert "With --partition-by the output is a folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brands", "brands.csv"]
