"""Artifacts: saved with skops, loaded safely, predicting exactly as before saving."""

from __future__ import annotations

import json
import os
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import tinkerlab as tl
from tinkerlab.exceptions import ArtifactError, UntrustedTypesError
from tinkerlab.recipe import MODELS
from tinkerlab.serve import (
    ARTIFACT_FORMAT,
    ArtifactVersionWarning,
    default_trusted,
    load_artifact,
    save_artifact,
)
from tinkerlab.serve._artifact import rows_from_frame

DATASET = {"classification": "titanic", "regression": "diabetes"}
CASES = [
    (name, task, impl)
    for name, spec in MODELS.items()
    for task in sorted(spec.tasks)
    for impl in ("sklearn", "scratch")
    if (impl == "sklearn" or task in spec.scratch)
    and spec.extra is None  # the nets' round trips: tests/nets/test_safe.py
]


@pytest.mark.parametrize(("model", "task", "impl"), CASES, ids=lambda v: str(v))
def test_round_trip_predicts_identically_for_every_registry_model(
    tmp_path, fit_model, model, task, impl
):
    run, X_test = fit_model(DATASET[task], model, impl)
    before = run.pipeline.predict(X_test)  # (n_test,)
    path = save_artifact(run, tmp_path / "model")
    artifact = load_artifact(path)  # scratch twins load without --trust: they are ours

    np.testing.assert_array_equal(artifact.pipeline.predict(X_test), before)
    if artifact.has_probabilities:
        np.testing.assert_array_equal(
            artifact.pipeline.predict_proba(X_test), run.pipeline.predict_proba(X_test)
        )
    # The service's path: rows as JSON-like dicts, rebuilt into a frame by the schema.
    served = artifact.predict(rows_from_frame(X_test, artifact.schema.names))
    assert [r["prediction"] for r in served] == before.tolist()


def test_artifact_directory_holds_skops_model_card_and_meta(titanic_run, titanic_dir):
    assert sorted(os.listdir(titanic_dir)) == ["meta.json", "model-card.md", "model.skops"]
    assert (titanic_dir / "model.skops").read_bytes()[:2] == b"PK"  # skops is a zip, not a pickle
    meta = json.loads((titanic_dir / "meta.json").read_text())
    assert meta["format"] == ARTIFACT_FORMAT
    assert meta["data"]["sha256"] == titanic_run.data_sha256
    assert meta["classes"] == ["no", "yes"]
    assert meta["recipe"] == titanic_run.recipe.to_dict()
    assert set(meta["versions"]) >= {"scikit-learn", "numpy", "skops", "tinkerlab", "python"}
    columns = {c["name"]: c for c in meta["schema"]["columns"]}
    assert columns["sex"]["categories"] == ["female", "male"]
    assert columns["passengerClass"]["categories"] == ["1st", "2nd", "3rd"]
    assert columns["age"]["minimum"] < 1 < 79 < columns["age"]["maximum"]
    assert columns["age"]["missing_share"] > 0.1
    assert all(c["optional"] for c in columns.values())  # every column is imputed
    reference = meta["reference"]
    assert set(reference["features"]) == set(columns)
    assert len(reference["features"]["age"]["sample"]) == 500
    assert set(reference["prediction"]["shares"]) == {"no", "yes"}


def test_model_card_says_what_how_well_and_the_limits(titanic_dir):
    card = (titanic_dir / "model-card.md").read_text()
    for part in (
        "# Model card",
        "survived",
        "## How well it does",
        "accuracy",
        "±",
        "baseline",
        "## Inputs",
        "`passengerClass`",
        "## Intended use",
        "## Limits",
        "## Recipe",
        '"model": "random_forest"',
        "SHA-256",
    ):
        assert part in card, part


def copy_of(path: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(path, target)
    return target


def rewrite_meta(path: Path, **changes) -> None:
    meta = json.loads((path / "meta.json").read_text())
    for key, value in changes.items():
        meta[key] = value
    (path / "meta.json").write_text(json.dumps(meta))


class Sneaky:
    """A type no one said to trust."""

    def predict(self, X):
        return X


def replace_model(path: Path, obj) -> None:
    import hashlib

    import skops.io as sio

    sio.dump(obj, path / "model.skops")
    digest = hashlib.sha256((path / "model.skops").read_bytes()).hexdigest()
    rewrite_meta(path, model_sha256=digest)


def test_untrusted_types_are_refused_by_name_with_the_way_to_trust_them(titanic_dir, tmp_path):
    path = copy_of(titanic_dir, tmp_path)
    replace_model(path, Sneaky())
    with pytest.raises(UntrustedTypesError) as caught:
        load_artifact(path)
    name = f"{__name__}.Sneaky"
    assert caught.value.types == [name]
    message = str(caught.value)
    assert name in message
    assert f"--trust {name}" in message
    assert f"trusted=['{name}']" in message
    artifact = load_artifact(path, trusted=[name])  # explicit trust loads it
    assert isinstance(artifact.pipeline, Sneaky)
    assert artifact.notices == [f"Trusted on request: {name}."]


def test_a_function_that_runs_commands_is_refused(titanic_dir, tmp_path):
    from sklearn.preprocessing import FunctionTransformer

    path = copy_of(titanic_dir, tmp_path)
    replace_model(path, FunctionTransformer(func=os.system))
    with pytest.raises(UntrustedTypesError, match=r"posix\.system|os\.system"):
        load_artifact(path)


def test_default_trust_covers_our_scratch_classes_and_named_sklearn_internals():
    trusted = default_trusted()
    assert "tinkerlab.scratch._random_forest.RandomForestClassifier" in trusted
    assert "sklearn.tree._tree.Tree" in trusted
    assert not any(t.startswith(("builtins.", "os.", "posix.", "subprocess")) for t in trusted)


def test_newer_format_is_refused(titanic_dir, tmp_path):
    path = copy_of(titanic_dir, tmp_path)
    rewrite_meta(path, format=ARTIFACT_FORMAT + 1)
    with pytest.raises(ArtifactError, match=r"newer tinkerlab.*pip install --upgrade"):
        load_artifact(path)


def test_a_changed_model_file_is_refused(titanic_dir, tmp_path):
    path = copy_of(titanic_dir, tmp_path)
    with (path / "model.skops").open("ab") as stream:
        stream.write(b"tampered")
    with pytest.raises(ArtifactError, match="does not match the SHA-256"):
        load_artifact(path)


def test_other_library_versions_warn(titanic_dir, tmp_path):
    path = copy_of(titanic_dir, tmp_path)
    meta = json.loads((path / "meta.json").read_text())
    meta["versions"]["scikit-learn"] = "0.0.1"
    (path / "meta.json").write_text(json.dumps(meta))
    with pytest.warns(ArtifactVersionWarning, match=r"scikit-learn 0\.0\.1"):
        artifact = load_artifact(path)
    assert any("0.0.1" in n for n in artifact.notices)


@pytest.mark.parametrize("what", ["missing", "file", "not-artifact", "bad-json"])
def test_not_an_artifact_says_so(tmp_path, what):
    path = tmp_path / "x"
    if what == "file":
        path.write_text("hi")
    elif what == "not-artifact":
        path.mkdir()
    elif what == "bad-json":
        path.mkdir()
        (path / "meta.json").write_text("{nope")
    with pytest.raises(ArtifactError, match="Fix:"):
        load_artifact(path)


def test_saving_refuses_to_overwrite_unless_asked(titanic_run, tmp_path):
    path = save_artifact(titanic_run, tmp_path / "m")
    with pytest.raises(ArtifactError, match=r"already holds an artifact.*--force"):
        save_artifact(titanic_run, path)
    assert save_artifact(titanic_run, path, overwrite=True) == path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]  # no staging folder left behind


def test_a_run_on_an_in_memory_frame_needs_its_data(tmp_path):
    frame = tl.load("iris").frame
    run = tl.run(frame, target="species", model="knn", cv=2, record=False)
    with pytest.raises(ArtifactError, match="data=your_frame"):
        save_artifact(run, tmp_path / "m")
    artifact = load_artifact(save_artifact(run, tmp_path / "m", data=frame))
    assert artifact.schema.names == list(run.recipe.features)


def test_a_changed_data_file_is_refused(tmp_path):
    csv = tmp_path / "iris.csv"
    tl.load("iris").frame.to_csv(csv, index=False)
    run = tl.run(csv, target="species", model="knn", cv=2, record=False)
    with csv.open("a") as stream:
        stream.write("5.0,3.0,1.0,0.2,setosa\n")
    with pytest.raises(ArtifactError, match="changed since the run"):
        save_artifact(run, tmp_path / "m")


def test_save_a_journal_run_retrains_it_identically(tmp_path):
    from tinkerlab.serve import save_journal_run

    db = f"sqlite:///{tmp_path / 'j.sqlite'}"
    run = tl.run("iris", model="decision_tree", cv=2, db=db)
    saved = save_journal_run(run.id, tmp_path / "m", db=db)
    assert saved.notices == []  # same data, same seed, same scores
    artifact = load_artifact(saved.path)
    assert artifact.meta["run_id"] == run.id
    X = tl.load("iris").frame[list(run.recipe.features)]
    np.testing.assert_array_equal(artifact.pipeline.predict(X), run.pipeline.predict(X))


def test_predict_accepts_a_frame_and_leaves_other_columns_out(titanic):
    frame = pd.DataFrame({"sex": ["female", "male"], "age": [29, None], "name": ["a", "b"]})
    out = titanic.predict(frame)
    assert [sorted(r) for r in out] == [["prediction", "probabilities"]] * 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert titanic.predict([{"sex": "female"}])[0]["prediction"] in ("yes", "no")
