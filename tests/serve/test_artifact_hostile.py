"""Hostile artifacts: a meta.json or a model file written to hurt, refused before serving.

Each case is an ``ArtifactError`` (exit 2 on the command line, no traceback) that names the
file and the cause; none of them may reach "Serving …".
"""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from pathlib import Path

import pytest

from tinkerlab.exceptions import ArtifactError
from tinkerlab.serve import load_artifact


def copy_of(path: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(path, target)
    return target


def edit_meta(path: Path, edit) -> None:
    meta = json.loads((path / "meta.json").read_text())
    edit(meta)
    (path / "meta.json").write_text(json.dumps(meta))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def put_model_bytes(path: Path, data: bytes) -> None:
    """Replace model.skops by *data* and record its hash, as a careful attacker would."""
    (path / "model.skops").write_bytes(data)
    edit_meta(path, lambda meta: meta.update(model_sha256=sha256(path / "model.skops")))


def refusal(path: Path) -> str:
    """The message of the ArtifactError that loading *path* must raise."""
    with pytest.raises(ArtifactError) as caught:
        load_artifact(path)
    return str(caught.value)


# --------------------------------------------------------------------------- paths


@pytest.mark.parametrize("where", ["parent", "absolute"])
def test_a_model_file_outside_the_artifact_folder_is_refused(titanic_dir, tmp_path, where):
    path = copy_of(titanic_dir, tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(path / "model.skops", outside / "m.skops")  # a loadable model lies there
    name = "../outside/m.skops" if where == "parent" else str(outside / "m.skops")
    edit_meta(path, lambda meta: meta.update(model_file=name))
    message = refusal(path)
    assert "model_file" in message
    assert name in message
    assert "inside the artifact folder" in message


def test_a_link_out_of_the_folder_is_refused(titanic_dir, tmp_path):
    path = copy_of(titanic_dir, tmp_path)
    outside = tmp_path / "elsewhere.skops"
    shutil.move(path / "model.skops", outside)
    (path / "model.skops").symlink_to(outside)
    with pytest.raises(ArtifactError, match="inside the artifact folder"):
        load_artifact(path)


# --------------------------------------------------------------------------- model files


@pytest.mark.parametrize("kind", ["pickle", "truncated", "empty", "not-a-skops-zip"])
def test_a_model_file_that_is_not_a_skops_archive_is_an_artifact_error(titanic_dir, tmp_path, kind):
    path = copy_of(titanic_dir, tmp_path)
    good = (path / "model.skops").read_bytes()
    if kind == "pickle":
        data = pickle.dumps({"model": "anything"})
    elif kind == "truncated":
        data = good[: len(good) // 2]
    elif kind == "empty":
        data = b""
    else:
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "a zip, but not skops")
        data = buffer.getvalue()
    put_model_bytes(path, data)
    message = refusal(path)
    assert "model.skops" in message
    assert "not a skops archive" in message
    assert "Fix:" in message


def test_the_model_hash_is_required(titanic_dir, tmp_path):
    path = copy_of(titanic_dir, tmp_path)
    edit_meta(path, lambda meta: meta.pop("model_sha256"))
    with pytest.raises(ArtifactError, match=r"model_sha256.*required"):
        load_artifact(path)


@pytest.mark.parametrize("value", ["", "abc", 42, "g" * 64])
def test_a_malformed_hash_is_refused(titanic_dir, tmp_path, value):
    path = copy_of(titanic_dir, tmp_path)
    edit_meta(path, lambda meta: meta.update(model_sha256=value))
    with pytest.raises(ArtifactError, match="model_sha256"):
        load_artifact(path)


# --------------------------------------------------------------------------- schemas


def _first(meta):
    return meta["schema"]["columns"][0]


BAD_SCHEMAS = {
    "no schema": lambda m: m.pop("schema"),
    "columns not a list": lambda m: m["schema"].update(columns={"age": 1}),
    "no columns": lambda m: m["schema"].update(columns=[]),
    "column not an object": lambda m: m["schema"]["columns"].append("age"),
    "name missing": lambda m: _first(m).pop("name"),
    "name not text": lambda m: _first(m).update(name=3),
    "duplicate names": lambda m: m["schema"]["columns"].append(dict(_first(m))),
    "unknown kind": lambda m: _first(m).update(kind="image"),
    "optional not a bool": lambda m: _first(m).update(optional="yes"),
    "unknown key": lambda m: _first(m).update(colour="red"),
    "minimum not a number": lambda m: _first(m).update(minimum="low"),
    "minimum above maximum": lambda m: _first(m).update(minimum=100.0, maximum=1.0),
    "categories not a list": lambda m: m["schema"]["columns"][1].update(categories="female"),
    "a category is an object": lambda m: m["schema"]["columns"][1].update(categories=[{}]),
}


@pytest.mark.parametrize("case", BAD_SCHEMAS, ids=list(BAD_SCHEMAS))
def test_a_malformed_schema_is_refused_when_loading(titanic_dir, tmp_path, case):
    path = copy_of(titanic_dir, tmp_path)
    edit_meta(path, BAD_SCHEMAS[case])
    message = refusal(path)
    assert "meta.json" in message
    assert "schema" in message
    assert "Fix:" in message


@pytest.mark.parametrize(
    "edit",
    [
        lambda m: m.update(task="astrology"),
        lambda m: m.update(name=""),
        lambda m: m.update(classes="no,yes"),
        lambda m: m.update(reference=[]),
    ],
    ids=["task", "name", "classes", "reference"],
)
def test_other_fields_the_service_reads_are_checked(titanic_dir, tmp_path, edit):
    path = copy_of(titanic_dir, tmp_path)
    edit_meta(path, edit)
    with pytest.raises(ArtifactError, match=r"meta\.json"):
        load_artifact(path)


# --------------------------------------------------------------------------- the command line


def _model_outside(path: Path) -> None:
    """A loadable model beside the folder, and meta.json pointing at it."""
    (path.parent / "outside").mkdir()
    shutil.copy(path / "model.skops", path.parent / "outside" / "m.skops")
    edit_meta(path, lambda meta: meta.update(model_file="../outside/m.skops"))


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: put_model_bytes(p, pickle.dumps([1, 2, 3])),
        lambda p: _model_outside(p),
        lambda p: edit_meta(p, BAD_SCHEMAS["unknown kind"]),
    ],
    ids=["pickle", "outside", "schema"],
)
def test_serve_exits_2_before_serving(titanic_dir, tmp_path, capsys, damage):
    from tinkerlab.cli import _output, main

    for console in (_output.console, _output.errors):
        console.width = 400  # rich wraps at the width: keep paths whole
    path = copy_of(titanic_dir, tmp_path)
    damage(path)
    with pytest.raises(SystemExit) as exited:
        main(["serve", str(path), "--port", "0"])  # it would block if it started serving
    said = " ".join(capsys.readouterr().err.split())
    assert exited.value.code == 2, said
    assert "Serving" not in said
    assert "Traceback" not in said
    assert "looks like a bug" not in said
    assert "meta.json" in said or "model.skops" in said
