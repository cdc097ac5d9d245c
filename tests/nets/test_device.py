"""The GPU path, without a GPU: the nets (and the GPT's trainer) pick ``cuda`` when torch
sees one. Device selection is mocked here; nothing in this suite ran on a GPU."""

from __future__ import annotations

import numpy as np
import torch

from tinkerlab.nets import TorchMLPClassifier, _estimators
from tinkerlab.scratch import _gpt_train


def test_the_device_is_cuda_when_torch_sees_one_and_the_cpu_otherwise(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert _estimators._device() == "cuda"
    assert _gpt_train.pick_device() == "cuda"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert _estimators._device() == "cpu"
    assert _gpt_train.pick_device() == "cpu"


def test_fit_hands_skorch_the_device_torch_offers(monkeypatch, digits_xy):
    import skorch

    asked: list[str] = []

    class Spy(skorch.NeuralNetClassifier):  # type: ignore[misc]
        def __init__(self, *args, device="cpu", **kwargs):
            asked.append(device)
            super().__init__(*args, device="cpu", **kwargs)  # this machine has no GPU

    monkeypatch.setattr(skorch, "NeuralNetClassifier", Spy)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    X, y = digits_xy[0][:200], digits_xy[1][:200]
    net = TorchMLPClassifier(epochs=1, hidden_size=8, random_state=0).fit(X, y)
    assert asked == ["cuda"]
    assert net.predict(X).shape == (200,)  # predicts on the module's own device


def test_the_gpt_trainer_trains_on_the_device_and_returns_the_model_on_the_cpu(monkeypatch):
    asked: list[str] = []
    module_to, tensor_to = torch.nn.Module.to, torch.Tensor.to

    def on_cpu(real):  # record where the trainer sends things; keep them here (no GPU)
        def to(self, *args, **kwargs):
            asked.append(str(args[0]) if args else str(kwargs.get("device")))
            return real(self, "cpu")

        return to

    monkeypatch.setattr(_gpt_train, "pick_device", lambda: "cuda")
    monkeypatch.setattr(_gpt_train.GPT, "to", on_cpu(module_to))
    monkeypatch.setattr(torch.Tensor, "to", on_cpu(tensor_to))
    config = _gpt_train.GPTConfig(block_size=8, vocab_size=256, n_layer=1, n_head=2, n_embd=16)
    result = _gpt_train.train_gpt(b"the order of the words " * 20, config, steps=2, eval_every=1)
    monkeypatch.undo()
    assert asked[0] == "cuda"  # the model first
    assert asked.count("cuda") == 1 + 2 * 2  # then each step's inputs and targets
    assert all(p.device.type == "cpu" for p in result.model.parameters())
    assert np.isfinite([row["valid_loss"] for row in result.curve]).all()
