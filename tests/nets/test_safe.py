"""Nets saved as safetensors + JSON load back without pickle and predict the same."""

from __future__ import annotations

import json

import numpy as np
import pytest

import tinkerlab as tl
from tinkerlab.exceptions import ArtifactError
from tinkerlab.nets import (
    ConvNetClassifier,
    GRUTextClassifier,
    TokenSequencer,
    TorchMLPClassifier,
    TorchMLPRegressor,
    TransformerTextClassifier,
)
from tinkerlab.nets._safe import CONFIG_FILE, NET_FORMAT, WEIGHTS_FILE, load_net, save_net
from tinkerlab.serve import load_artifact, save_artifact


def _fitted(cls, digits_xy):
    X, y = digits_xy[0][:200], digits_xy[1][:200]
    if cls in (GRUTextClassifier, TransformerTextClassifier):
        texts = [" ".join(f"w{int(v)}" for v in row[:6] > 0) for row in X]
        X = TokenSequencer(max_length=6).fit_transform(texts)
    if cls is TorchMLPRegressor:
        y = X[:, 10] * 3.0 + 7.0
    return cls(epochs=2, random_state=0).fit(X, y), X


@pytest.mark.parametrize(
    "cls",
    [
        TorchMLPClassifier,
        TorchMLPRegressor,
        ConvNetClassifier,
        GRUTextClassifier,
        TransformerTextClassifier,
    ],
)
def test_round_trip_predicts_identically(tmp_path, digits_xy, cls):
    net, X = _fitted(cls, digits_xy)
    save_net(net, tmp_path)
    assert (tmp_path / WEIGHTS_FILE).read_bytes()[:8] != b"\x80\x04\x95"[:8]  # not a pickle
    loaded = load_net(tmp_path)
    np.testing.assert_array_equal(loaded.predict(X), net.predict(X))
    if hasattr(net, "predict_proba"):
        np.testing.assert_array_equal(loaded.predict_proba(X), net.predict_proba(X))
    assert loaded.get_params() == net.get_params()
    assert loaded.history_ == net.history_


def test_a_config_naming_other_code_is_refused(tmp_path, digits_xy):
    net, _ = _fitted(TorchMLPClassifier, digits_xy)
    save_net(net, tmp_path)
    config = json.loads((tmp_path / CONFIG_FILE).read_text())
    config["module"]["kind"] = "os.system"
    (tmp_path / CONFIG_FILE).write_text(json.dumps(config))
    with pytest.raises(ArtifactError, match=r"module\.kind must be one of"):
        load_net(tmp_path)


def test_weights_that_do_not_fit_the_config_are_refused(tmp_path, digits_xy):
    net, _ = _fitted(TorchMLPClassifier, digits_xy)
    save_net(net, tmp_path)
    config = json.loads((tmp_path / CONFIG_FILE).read_text())
    config["module"]["kwargs"]["hidden_size"] = 7
    (tmp_path / CONFIG_FILE).write_text(json.dumps(config))
    with pytest.raises(ArtifactError, match="does not fit"):
        load_net(tmp_path)


def test_a_run_saves_and_serves_as_an_artifact(tmp_path):
    run = tl.run("digits", model="cnn", params={"epochs": 2, "channels": 4}, record=False)
    assert [row["epoch"] for row in run.summary["training_curve"]] == [1, 2]
    path = save_artifact(run, tmp_path / "cnn")
    files = sorted(p.name for p in path.iterdir())
    assert files == ["meta.json", "model-card.md", "model.skops", "net.json", "net.safetensors"]
    artifact = load_artifact(path)
    X = tl.load("digits").frame.drop(columns=["digit"]).head(30)
    np.testing.assert_array_equal(artifact.pipeline.predict(X), run.pipeline.predict(X))
    served = artifact.predict(X)
    assert [r["prediction"] for r in served] == run.pipeline.predict(X).tolist()
    (path / WEIGHTS_FILE).write_bytes((path / WEIGHTS_FILE).read_bytes()[:-4] + b"\0\0\0\0")
    with pytest.raises(ArtifactError, match="does not match the SHA-256"):
        load_artifact(path)


def _saved_as_format(net, folder, fmt):
    save_net(net, folder)
    config = json.loads((folder / CONFIG_FILE).read_text())
    config["format"] = fmt
    (folder / CONFIG_FILE).write_text(json.dumps(config))


def test_a_gru_saved_before_it_skipped_padding_is_refused_with_the_fix(tmp_path, digits_xy):
    # Format 1's GRU read the left padding too: its weights would predict otherwise now.
    net, _ = _fitted(GRUTextClassifier, digits_xy)
    _saved_as_format(net, tmp_path, 1)
    with pytest.raises(ArtifactError, match=r"earlier tinkerlab \(net format 1.*padding.*again"):
        load_net(tmp_path)


def test_nets_whose_meaning_did_not_change_load_from_the_earlier_format(tmp_path, digits_xy):
    net, X = _fitted(TransformerTextClassifier, digits_xy)
    _saved_as_format(net, tmp_path, 1)
    np.testing.assert_allclose(load_net(tmp_path).predict_proba(X), net.predict_proba(X))


@pytest.mark.parametrize("fmt", [0, NET_FORMAT + 1, "2"])
def test_an_unknown_format_is_refused(tmp_path, digits_xy, fmt):
    net, _ = _fitted(TorchMLPClassifier, digits_xy)
    _saved_as_format(net, tmp_path, fmt)
    with pytest.raises(ArtifactError, match="format must be"):
        load_net(tmp_path)
