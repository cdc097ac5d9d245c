"""Fine-tuning MiniLM: a tiny slice of ``reviews`` (40 rows), one step per epoch, 32 tokens.

The real encoder is trained (one step is enough to check the machinery: the loss, the
saved directory, the reload, the service); early stopping is checked on scripted
validation losses, so that the kept epoch is known in advance.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch
from fastapi.testclient import TestClient

import tinkerlab as tl
from tinkerlab.exceptions import InputError
from tinkerlab.pretrained import _finetune
from tinkerlab.pretrained._finetune import (
    FINETUNE_FILE,
    FineTuneSettings,
    estimate_seconds,
    finetune_encoder,
    load_text_classifier,
    texts_and_labels,
)

pytestmark = pytest.mark.slow

TINY = {"max_steps": 1, "max_length": 32, "batch_size": 8, "epochs": 1}


@pytest.fixture(scope="module")
def slice40() -> tuple[list[str], list[str]]:
    """40 seeded reviews and their scores (great / other)."""
    _, _, texts, labels = texts_and_labels(tl.load("reviews"), None, None, max_rows=40, seed=0)
    return texts, labels


@pytest.fixture(scope="module")
def trained(slice40, tmp_path_factory):
    texts, labels = slice40
    out = tmp_path_factory.mktemp("ft") / "reviews-full"
    return finetune_encoder(texts, labels, out, FineTuneSettings(**TINY)), out


def test_one_step_trains_and_saves_plain_files(trained):
    result, out = trained
    assert result.history[0].steps == 1
    assert math.isfinite(result.history[0].train_loss)
    assert math.isfinite(result.best.val_loss)
    assert 0 <= result.best.val_accuracy <= 1
    assert result.train_rows == 32
    assert result.val_rows == 8
    assert result.classes == ["great", "other"]
    assert (out / "encoder" / "model.safetensors").is_file()
    assert (out / "head.safetensors").is_file()
    assert not list(out.rglob("*.bin"))
    assert not list(out.rglob("*.pkl"))
    info = json.loads((out / FINETUNE_FILE).read_text())
    assert info["classes"] == ["great", "other"]
    assert info["base_model"] == "minilm"
    assert info["settings"]["max_length"] == 32
    assert info["best_epoch"] == 1


def test_the_reloaded_classifier_predicts_what_the_trained_one_did(trained, slice40):
    result, out = trained
    texts, _ = slice40
    labels, proba = result.classifier.predict(texts)
    again_labels, again_proba = load_text_classifier(out).predict(texts)
    assert again_labels == labels
    torch.testing.assert_close(torch.from_numpy(again_proba), torch.from_numpy(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)


def test_early_stopping_keeps_the_best_epochs_weights(slice40, monkeypatch):
    """Scripted validation losses: epoch 1 is best, epoch 2 worse, patience 1 stops there."""
    texts, labels = slice40
    real = _finetune._validate
    losses = iter([0.7, 0.5, 0.6, 0.4])  # before training, epoch 1, epoch 2, (epoch 3)
    heads: list[torch.Tensor] = []

    def scripted(model, batches):
        _, accuracy = real(model, batches)
        heads.append(model.head.weight.detach().clone())
        return next(losses), accuracy

    monkeypatch.setattr(_finetune, "_validate", scripted)
    settings = FineTuneSettings(**{**TINY, "epochs": 4, "patience": 1, "head_learning_rate": 0.1})
    result = finetune_encoder(texts, labels, None, settings)
    assert [e.val_loss for e in result.history] == [0.5, 0.6]
    assert result.stopped_early
    assert result.best_epoch == 1
    assert not torch.equal(heads[1], heads[2])  # epoch 2 changed the head...
    torch.testing.assert_close(result.classifier.model.head.weight, heads[1])  # ...and was undone


def test_the_estimate_times_a_real_step(slice40):
    texts, labels = slice40
    estimate = estimate_seconds(texts, labels, FineTuneSettings(**{**TINY, "epochs": 2}))
    assert estimate.step_seconds > 0
    assert estimate.steps == 2  # one step per epoch (max_steps=1), two epochs
    assert estimate.seconds >= estimate.step_seconds * estimate.steps


def test_the_service_answers_like_the_library(trained, slice40):
    from tinkerlab.serve._textclass import TextClassModel, create_textclass_app

    _, out = trained
    texts, _ = slice40
    expected, proba = load_text_classifier(out).predict(texts[:3])
    with TestClient(create_textclass_app(TextClassModel.load(out))) as client:
        one = client.post("/predict", json={"text": texts[0]})
        many = client.post("/predict", json={"text": texts[:3]})
        wrong = client.post("/predict", json={"txt": "hello"})
        empty = client.post("/predict", json={"text": []})
        assert client.get("/health").json()["status"] == "ok"
        assert client.get("/metadata").json()["classes"] == ["great", "other"]
        assert (
            "tinkerlab_requests_total" in client.get("/metrics").text
            or client.get("/metrics").status_code == 200
        )
    assert one.status_code == 200, one.text
    assert one.json()["predictions"][0]["label"] == expected[0]
    assert [p["label"] for p in many.json()["predictions"]] == expected
    assert many.json()["predictions"][1]["probabilities"]["great"] == pytest.approx(proba[1, 0])
    assert wrong.status_code == 422
    assert "'txt'" in wrong.json()["message"]
    assert empty.status_code == 422
    assert "'text'" in empty.json()["message"]


def test_serve_picks_the_text_classification_app(trained):
    from tinkerlab.serve._generate import is_language_model_dir
    from tinkerlab.serve._textclass import is_text_classifier_dir

    _, out = trained
    assert is_text_classifier_dir(out)
    assert not is_language_model_dir(out)  # the encoder's config.json is one level down


@pytest.mark.parametrize(
    ("settings", "name"),
    [
        ({"epochs": 0}, "epochs"),
        ({"learning_rate": 2.0}, "learning_rate"),
        ({"max_length": 4}, "max_length"),
        ({"val_fraction": 0.7}, "val_fraction"),
        ({"max_steps": 0}, "max_steps"),
    ],
)
def test_bad_settings_name_the_setting(settings, name):
    with pytest.raises(InputError, match=name):
        FineTuneSettings(**settings).check()


def test_bad_data_is_refused_before_training(slice40, tmp_path):
    texts, labels = slice40
    with pytest.raises(InputError, match="one class only"):
        finetune_encoder(texts, ["great"] * len(texts))
    with pytest.raises(InputError, match="Too few rows"):
        finetune_encoder(texts[:3], ["great", "other", "great"])
    with pytest.raises(InputError, match="labels"):
        finetune_encoder(texts, labels[:5])
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "x").write_text("x")
    with pytest.raises(InputError, match="already exists"):
        finetune_encoder(texts, labels, tmp_path / "taken")
    reviews = tl.load("reviews")
    with pytest.raises(InputError, match="Did you mean 'review'"):
        texts_and_labels(reviews, "reviw", None, max_rows=None, seed=0)
    with pytest.raises(InputError, match="does not hold text"):
        texts_and_labels(tl.load("iris"), "sepal length (cm)", None, max_rows=None, seed=0)
    with pytest.raises(InputError, match="only apply to method='full'"):
        tl.finetune("reviews", epochs=2, record=False)


def test_the_head_method_saves_an_artifact_loaded_without_extra_trust(tmp_path):
    from tinkerlab.serve import load_artifact

    run = tl.finetune("reviews", max_rows=60, out=tmp_path / "head", record=False)
    assert run.recipe.model == "logistic_regression"
    assert 0 <= run.metrics["accuracy"]["test"] <= 1
    artifact = load_artifact(tmp_path / "head")  # MiniLMEmbedder is a default-trusted type
    rows = [{"review": "Lovely tea, I buy it every month."}]
    assert artifact.predict(rows)[0]["prediction"] in ("great", "other")
