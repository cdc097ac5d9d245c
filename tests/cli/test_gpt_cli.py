"""``tinkerlab gpt train`` and ``tinkerlab gpt sample`` from the command line."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("torch")
pytest.importorskip("safetensors")


def test_train_then_sample(cli, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("the order of the day is to read the code.\n" * 50)
    out = tmp_path / "gpt"
    args = ["--out", str(out), "--layers", "1", "--heads", "2", "--embd", "16"]
    trained = cli("gpt", "train", str(notes), *args, "--steps", "20", "--block-size", "16")
    assert trained.code == 0, trained.err
    assert "model.safetensors" in trained.out
    assert (out / "config.json").is_file()
    sampled = cli("gpt", "sample", str(out), "the order", "--tokens", "12", "--json")
    assert sampled.code == 0, sampled.err
    assert json.loads(sampled.out)["text"].startswith("the order")
    assert "Journal analysis 1" in trained.out  # its loss curve is in the journal


def test_bad_input_exits_2_with_a_fix(cli, tmp_path):
    missing = cli("gpt", "train", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "g"))
    assert missing.code == 2
    assert "Fix:" in missing.message
    uneven = cli("gpt", "train", "reviews", "--out", str(tmp_path / "g"), "--heads", "3")
    assert uneven.code == 2
    assert "--embd" in uneven.message
    not_a_model = cli("gpt", "sample", str(tmp_path))
    assert not_a_model.code == 2
    assert "not a saved GPT" in not_a_model.message
