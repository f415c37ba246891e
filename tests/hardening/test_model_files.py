"""Hostile model files (issue 12): SentimentModel.load refuses them in one line.

A saved model is a zip of ``.npy`` arrays plus a JSON header carrying a SHA-256 digest
(its layout is documented in ``SentimentModel.save``). Every file here either loads into a
model that works or is refused with a DataFileError whose message is one printable line
naming the file; nothing is unpickled, and nothing is allocated for a size the file only
declares. Regression cases come first (a zip bomb, a size or a shape that lies, an object
array, too many members, digest-consistent but inconsistent arrays, truncation, not a
zip), then properties over generated files: random bytes, truncations, flipped bytes of a
valid model, and random arrays or header fields re-saved with a correct digest.

The digest and the crafted ``.npy`` headers are written here from the documented format
(hashlib, numpy.lib.format, zipfile), not with scrm_lab's own code. Every load runs under
a hang guard (:func:`within`, far above the milliseconds a load takes).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from scrm_lab.exceptions import DataFileError, ScrmLabError
from scrm_lab.listening import SentimentModel
from tests.hang_guard import within

#: Seconds one load may take before it counts as a hang (a load takes milliseconds).
ARRAYS = ["words_terms", "words_idf", "chars_terms", "chars_idf", "coef", "intercept"]
ARRAYS += ["calibration_coef", "calibration_intercept"]
TEXTS = ["@united thank you, great crew!", "@united lost my bag again", "flight 12 at gate 4?"]


@pytest.fixture(autouse=True)
def no_unpickling(monkeypatch):
    """Any unpickling during a test fails it: a model file is never unpickled."""

    def refuse(*args, **kwargs):
        raise AssertionError("a model file was unpickled")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)


@pytest.fixture(scope="module")
def saved(tweets, tmp_path_factory) -> Path:
    """A small model trained once for the module (600 tweets, one C, 3 folds), saved."""
    head = tweets.head(600)
    model = SentimentModel(Cs=(0.2,), cv=3).fit(head["text"], head["sentiment"])
    return model.save(tmp_path_factory.mktemp("model") / "model.npz")


@pytest.fixture(scope="module")
def stored(saved) -> dict[str, np.ndarray]:
    with np.load(saved, allow_pickle=False) as contents:
        return {name: contents[name] for name in contents.files}


@pytest.fixture(scope="module")
def expected(saved) -> np.ndarray:
    return SentimentModel.load(saved).predict(TEXTS)


def digest(arrays: dict[str, np.ndarray], names: list[str]) -> str:
    """The documented checksum: per array, name, dtype and shape, then its C-order bytes."""
    sha = hashlib.sha256()
    for name in names:
        array = np.ascontiguousarray(arrays[name])
        sha.update(f"{name}:{array.dtype.str}:{array.shape}".encode())
        sha.update(array.tobytes())
    return sha.hexdigest()


def resave(path: Path, stored: dict, names: list[str] = ARRAYS, **changes) -> Path:
    """A copy of the saved model with ``changes`` (arrays, or header fields under
    ``header=``), its digest recomputed so that only the consistency checks can refuse it."""
    header = json.loads(str(stored["header"])) | changes.pop("header", {})
    arrays = {name: stored[name] for name in stored if name != "header"} | changes
    header["sha256"] = digest(arrays, names)
    np.savez_compressed(path, header=np.array(json.dumps(header)), **arrays)
    return path


def npy(descr: str, shape: tuple, data: bytes = b"") -> bytes:
    """A ``.npy`` file whose header declares ``descr`` and ``shape``, followed by ``data``."""
    out = io.BytesIO()
    header = {"descr": descr, "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(out, header)
    return out.getvalue() + data


def members_of(saved: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(saved) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def outcome(path: Path) -> SentimentModel | DataFileError:
    """The loaded model, checked to work, or the DataFileError, checked to be one printable
    line naming the file; anything else (another exception, a hang) fails the test."""
    with within():
        try:
            model = SentimentModel.load(path)
        except ScrmLabError as err:
            message = str(err)
            assert isinstance(err, DataFileError), repr(err)
            assert len(message.splitlines()) == 1 and message.isprintable(), repr(message)
            assert path.name in message, message
            return err
        labels = model.predict(TEXTS)
        assert set(labels) <= set(model.classes_)
        probabilities = model.predict_proba(TEXTS)
        assert probabilities.shape == (len(TEXTS), len(model.classes_))
        np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
        return model


def refused(path: Path, match: str) -> None:
    err = outcome(path)
    assert isinstance(err, DataFileError), "the file was loaded"
    with pytest.raises(DataFileError, match=match):
        raise err


# ------------------------------------------------------------------ regression cases


def test_the_saved_model_loads_and_predicts_as_saved(saved, expected):
    model = outcome(saved)
    assert isinstance(model, SentimentModel)
    np.testing.assert_array_equal(model.predict(TEXTS), expected)


def test_zip_bomb_member_is_refused_from_the_directory(saved, tmp_path):
    path = tmp_path / "bomb.npz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members_of(saved).items():
            if name != "coef.npy":
                archive.writestr(name, data)
        with archive.open("coef.npy", "w") as member:  # a valid header, then 192 MiB of zeros
            member.write(npy("<f8", (3, 2**23)))
            for _ in range(64):
                member.write(bytes(3 * 2**20))
    assert zipfile.ZipFile(path).getinfo("coef.npy").file_size > 192 * 2**20
    assert path.stat().st_size < 2**20
    refused(path, r"bomb\.npz' declares member coef\.npy compressed [\d,]+ to 1, over the limit")


def test_member_declaring_a_huge_size_is_refused(saved, tmp_path):
    path = write_zip(tmp_path / "liar.npz", members_of(saved))
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the first member's central directory entry
    struct.pack_into("<I", data, entry + 24, 0xFFFF_FFF0)  # its uncompressed size
    path.write_bytes(bytes(data))
    refused(path, r"liar\.npz' declares member \S+ as 4,294,967,280 bytes uncompressed")


def test_npy_header_with_a_huge_shape_is_refused(saved, tmp_path):
    huge = npy("<f8", (10**12,), bytes(80))
    path = write_zip(tmp_path / "huge.npz", members_of(saved) | {"words_idf.npy": huge})
    refused(path, r"huge\.npz' has array words_idf declaring shape \(1000000000000,\) ")


def test_object_array_is_refused_without_unpickling(saved, tmp_path):
    out = io.BytesIO()
    np.save(out, np.array([{"a": 1}, "text"], dtype=object), allow_pickle=True)
    path = write_zip(
        tmp_path / "object.npz", members_of(saved) | {"words_terms.npy": out.getvalue()}
    )
    refused(path, r"object\.npz' has array words_terms of dtype \|O, not text")
    header = npy("|O", ())
    path = write_zip(tmp_path / "object_header.npz", members_of(saved) | {"header.npy": header})
    refused(path, r"object_header\.npz' has array header of dtype \|O, not text")


def test_too_many_members_are_refused(saved, tmp_path):
    extra = {f"extra{i}.npy": npy("<f8", (1,), bytes(8)) for i in range(8)}
    path = write_zip(tmp_path / "many.npz", members_of(saved) | extra)
    refused(path, r"many\.npz' holds 17 members, more than the limit of 16")


def test_unknown_or_duplicated_members_are_refused(saved, tmp_path):
    path = write_zip(tmp_path / "extra.npz", members_of(saved) | {"weights.npy": npy("<f8", (0,))})
    refused(path, r"extra\.npz' holds arrays \[.*'weights'.*\], not those of a saved model")
    path = write_zip(tmp_path / "readme.npz", members_of(saved) | {"README": b"hello"})
    refused(path, r"readme\.npz' holds members \['README'\], not the \.npy arrays")
    path = write_zip(tmp_path / "twice.npz", members_of(saved))
    with pytest.warns(UserWarning, match="Duplicate name"):
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("coef.npy", members_of(saved)["coef.npy"])
    refused(path, r"twice\.npz' holds members \['coef\.npy'\] more than once")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: {"words_idf": a["words_idf"][:-1]}, r"has \d+ words_idf weights for \d+ words"),
        (lambda a: {"coef": a["coef"][:, :-1]}, r"has coef of shape \(3, \d+\), expected \(3, "),
        (lambda a: {"intercept": a["intercept"][:2]}, r"has intercept of shape \(2,\)"),
        (
            lambda a: {"calibration_coef": a["calibration_coef"][:, :2]},
            r"has calibration_coef of shape \(3, 2\), expected \(3, 3\)",
        ),
        (
            lambda a: {"calibration_intercept": np.zeros(4)},
            r"has calibration_intercept of shape \(4,\)",
        ),
        (lambda a: {"coef": a["coef"] * np.nan}, "has non-finite values in coef"),
        (lambda a: {"coef": a["coef"] * 1e300}, r"has values in coef beyond \+-1e\+06"),
        (lambda a: {"words_idf": a["words_idf"] * 1e300}, "has values in words_idf beyond"),
        (
            lambda a: {"words_terms": a["words_terms"][:0], "words_idf": a["words_idf"][:0]},
            "has no terms in words_terms",
        ),
        (lambda a: {"chars_idf": np.zeros_like(a["chars_idf"])}, r"has weights <= 0 in chars_idf"),
        (
            lambda a: {"chars_terms": np.r_[a["chars_terms"][:-1], a["chars_terms"][:1]]},
            "has a term repeated in chars_terms",
        ),
        (
            lambda a: {"words_terms": np.arange(len(a["words_terms"]), dtype=float)},
            r"has array words_terms of dtype <f8, not text",
        ),
        (
            lambda a: {"coef": a["coef"].astype(np.int64)},
            r"has array coef of dtype <i8, not floating-point numbers",
        ),
        (lambda a: {"intercept": a["coef"]}, r"has array intercept of shape \(3, \d+\), not 1-dim"),
    ],
    ids=[
        "idf-length",
        "coef-columns",
        "intercept-length",
        "calibration-coef",
        "calibration-intercept",
        "nan",
        "huge-coef",
        "huge-idf",
        "no-terms",
        "idf-zero",
        "repeated-term",
        "numeric-terms",
        "integer-coef",
        "intercept-2d",
    ],
)
def test_digest_consistent_but_inconsistent_arrays_are_refused(stored, tmp_path, change, message):
    path = resave(tmp_path / "inconsistent.npz", stored, **change(stored))
    refused(path, r"inconsistent\.npz' " + message)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"classes": ["negative", "positive", "angry"]}, r"its 'classes' must be two or more"),
        ({"classes": ["positive", "negative", "neutral"]}, r"its 'classes' must be .* sorted"),
        ({"C": -1}, r"its 'C' must be a positive number"),
        ({"params": {"Cs": [], "cv": 3}}, r"its 'Cs' must be a non-empty list"),
        ({"params": {"Cs": [0.2], "cv": 1}}, r"its 'cv' must be an integer of at least 2"),
        ({"random_state": -1}, r"its 'random_state' must be an integer from 0"),
        (
            {"cv_results": {"C": [1.0], "fold": [], "accuracy": [], "macro_f1": []}},
            "its 'cv_results' must be lists of numbers of one length",
        ),
    ],
)
def test_digest_consistent_but_malformed_header_is_refused(stored, tmp_path, fields, message):
    path = resave(tmp_path / "header.npz", stored, header=fields)
    refused(path, r"header\.npz' has a malformed header \(" + message)


def test_format_version_1_still_loads(stored, tmp_path, expected):
    renamed = {"svm_coef": stored["coef"], "svm_intercept": stored["intercept"]}
    arrays = {k: v for k, v in stored.items() if k not in ("coef", "intercept")} | renamed
    names = [{"coef": "svm_coef", "intercept": "svm_intercept"}.get(n, n) for n in ARRAYS]
    path = resave(tmp_path / "v1.npz", arrays, names, header={"version": 1})
    model = outcome(path)
    assert isinstance(model, SentimentModel)
    np.testing.assert_array_equal(model.predict(TEXTS), expected)
    path = resave(tmp_path / "v3.npz", stored, header={"version": 3})
    refused(path, r"v3\.npz' has format version 3, not 2")


def test_truncated_file_is_refused(saved, tmp_path):
    data = saved.read_bytes()
    for cut in (0, 100, len(data) // 2, len(data) - 30):
        path = tmp_path / f"cut{cut}.npz"
        path.write_bytes(data[:cut])
        refused(path, rf"cut{cut}\.npz' is not a saved model \(")


def test_truncated_member_data_is_refused(saved, tmp_path):
    members = members_of(saved)
    path = write_zip(tmp_path / "short.npz", members | {"coef.npy": members["coef.npy"][:-8]})
    refused(path, r"short\.npz' has array coef declaring shape \(3, \d+\) \([\d,]+ bytes\) in a")


def test_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "notes.npz"
    path.write_text("a model? no, a note")
    refused(path, r"notes\.npz' is not a saved model \(File is not a zip file\)")
    refused(tmp_path, r"is not a regular file")
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    refused(fifo, r"pipe\.npz' is not a regular file")  # reading it would block


# --------------------------------------------------------------- generated files


@given(data=st.binary(max_size=4000))
def test_random_bytes_are_refused(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("random") / "random.npz"
    path.write_bytes(data)
    assert isinstance(outcome(path), DataFileError)


@given(cut=st.floats(0, 1, exclude_max=True))
def test_truncations_are_refused(saved, tmp_path_factory, cut):
    data = saved.read_bytes()
    path = tmp_path_factory.mktemp("cut") / "cut.npz"
    path.write_bytes(data[: int(cut * len(data))])
    assert isinstance(outcome(path), DataFileError)


@given(
    flips=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)), min_size=1, max_size=8
    )
)
def test_flipped_bytes_load_a_working_model_or_are_refused(saved, tmp_path_factory, flips):
    data = bytearray(saved.read_bytes())
    for where, mask in flips:
        data[int(where * len(data))] ^= mask
    path = tmp_path_factory.mktemp("flip") / "flipped.npz"
    path.write_bytes(bytes(data))
    outcome(path)


ARRAY_DTYPES = st.sampled_from(["<f8", "<f4", ">f8", "<f2", "<i8", "|b1", "<U3", "<c16", "|S2"])


@given(
    name=st.sampled_from(ARRAYS),
    array=ARRAY_DTYPES.flatmap(
        lambda dtype: hnp.arrays(
            dtype, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)
        )
    ),
)
def test_random_arrays_with_a_correct_digest_load_a_working_model_or_are_refused(
    stored, tmp_path_factory, name, array
):
    path = resave(tmp_path_factory.mktemp("array") / "array.npz", stored, **{name: array})
    outcome(path)


@given(
    name=st.sampled_from(ARRAYS),
    data=st.data(),
)
def test_resized_arrays_with_a_correct_digest_load_a_working_model_or_are_refused(
    stored, tmp_path_factory, name, data
):
    original = stored[name]
    shape = tuple(
        data.draw(st.integers(0, n + 2), label=f"axis {i}") for i, n in enumerate(original.shape)
    )
    array = np.resize(original, shape) if original.size else np.zeros(shape, original.dtype)
    path = resave(tmp_path_factory.mktemp("resized") / "resized.npz", stored, **{name: array})
    outcome(path)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(
    field=st.sampled_from(["classes", "C", "params", "random_state", "cv_results", "version"]),
    value=JSON,
)
def test_random_header_fields_with_a_correct_digest_load_a_working_model_or_are_refused(
    stored, tmp_path_factory, field, value
):
    path = resave(tmp_path_factory.mktemp("header") / "header.npz", stored, header={field: value})
    outcome(path)
