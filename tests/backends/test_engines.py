"""Starting Spark: a clear error before any work, never a stack trace or a secret."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from scrm_lab._frames import ENGINES, shown_master, spark_session
from scrm_lab.exceptions import EngineError, ParameterError


@pytest.mark.parametrize("master", ["locale[2]", "local[two]", "spark:/host:7077", "", "http://x"])
def test_a_malformed_master_is_a_parameter_error(master):
    with pytest.raises(ParameterError, match=r"spark_master: .* is not a Spark master URL"):
        spark_session(master)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_cluster_that_does_not_answer_is_refused_at_once():
    port = free_port()
    with pytest.raises(EngineError, match=rf"no Spark master answers at 127.0.0.1:{port}"):
        spark_session(f"spark://127.0.0.1:{port}")


def test_a_spark_connect_token_never_appears_in_the_error():
    port = free_port()
    with pytest.raises(EngineError) as caught:
        spark_session(f"sc://127.0.0.1:{port}/;token=dapiSECRET123;user_id=me")
    assert "dapiSECRET123" not in str(caught.value)
    assert f"'sc://127.0.0.1:{port}/;...'" in str(caught.value)
    assert shown_master("k8s://https://u:pw@h:6443") == "k8s://https://***@h:6443"


def test_without_java_the_error_says_what_to_install():
    script = (
        "from scrm_lab._frames import spark_session\n"
        "from scrm_lab.exceptions import EngineError\n"
        "try:\n    spark_session('local[1]')\n"
        "except EngineError as err:\n    print(err)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
    env["PATH"] = os.path.dirname(sys.executable)  # the venv only: no java on it
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == (
        "engine 'spark' needs a Java runtime (17 or 21), and none was found on PATH or in "
        "JAVA_HOME; on Debian or Ubuntu: apt-get install openjdk-17-jre-headless"
    )
    assert result.stderr == ""


def test_the_session_computes_in_utc(spark):
    assert spark.conf.get("spark.sql.session.timeZone") == "UTC"
    assert ENGINES == ("pandas", "duckdb", "spark")


def test_import_and_spark_work_stay_free_of_third_party_warnings(tmp_path, spark):
    """PySpark warns about pandas 3 on import (through pandera) and on every conversion.

    A fresh process (pytest's own filters would hide what scrm_lab fails to silence), all
    warnings shown, a FutureWarning an error; a small table, since Spark's start is the cost.
    """
    script = (
        "import scrm_lab\n"
        "from scrm_lab.datasets import load_dataset\n"
        "from scrm_lab.io import on_engine\n"
        "from scrm_lab.listening import share_of_voice\n"
        "tweets = load_dataset('twitter_airline_sentiment').groupby('brand').head(50)\n"
        "print(share_of_voice(on_engine(tweets, 'spark', spark_master='local[1]')).shape)\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error::FutureWarning", "-W", "default", "-c", script],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "(6, 7)"
    assert "Warning" not in result.stderr, result.stderr[-2000:]
