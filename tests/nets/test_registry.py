"""The nets as registry models: extras, inputs, run, tinker, compare and the script."""

from __future__ import annotations

import importlib.util

import pytest

import tinkerlab as tl
from tinkerlab.exceptions import RecipeError
from tinkerlab.pretrained import MissingExtraError
from tinkerlab.recipe import MODELS, build_pipeline, make_recipe, models_for

NETS = ["mlp_torch", "cnn", "text_rnn", "text_transformer"]


def test_every_net_is_a_row_of_the_deep_extra():
    for name in NETS:
        assert MODELS[name].extra == "deep"
        assert MODELS[name].knob("epochs").kind == "int"
    assert not {m.name for m in models_for("classification")} & set(NETS)  # "all models"
    assert {m.name for m in models_for("classification", optional=True)} >= set(NETS)


def test_a_missing_extra_names_the_install_command(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "skorch" else real(name, *a)
    )
    with pytest.raises(MissingExtraError, match=r"pip install -e '\.\[deep\]'") as info:
        build_pipeline(make_recipe(tl.load("iris"), model="mlp_torch"))
    assert info.value.modules == ("skorch",)


def test_a_cnn_refuses_a_table_and_a_text_net_refuses_numbers():
    with pytest.raises(RecipeError, match="reads images"):
        build_pipeline(make_recipe(tl.load("titanic"), model="cnn"))
    with pytest.raises(RecipeError, match="exactly one text column"):
        build_pipeline(make_recipe(tl.load("iris"), model="text_rnn"))


def test_a_text_net_reads_token_ids():
    pipeline = build_pipeline(make_recipe(tl.load("reviews"), model="text_rnn"))
    blocks = pipeline.named_steps["preprocess"].transformers
    assert type(blocks[0][1]).__name__ == "TokenSequencer"


def test_a_run_records_the_curve_and_its_script_shows_the_module(tmp_path):
    run = tl.run("iris", model="mlp_torch", params={"epochs": 3}, record=False)
    curve = run.summary["training_curve"]
    assert [row["epoch"] for row in curve] == [1, 2, 3]
    assert all(row["train_loss"] > 0 for row in curve)
    script = run.script()
    assert "from tinkerlab.nets import TorchMLPClassifier" in script
    assert "print(net.module_)" in script
    assert run.metrics["accuracy"]["test"] > 0.6


def test_tinker_sweeps_epochs_on_the_fast_path():
    experiment = tl.tinker(
        "iris",
        model="mlp_torch",
        knob="epochs",
        values=[1, 5],
        cv=3,
        repeats=1,
        record=False,
    )
    assert [p.value for p in experiment.points] == [1, 5]
    assert any("Fast exact path" in n for n in experiment.notices)


def test_compare_takes_named_nets():
    board = tl.compare(
        "iris",
        models=["logistic_regression", "mlp_torch"],
        cv=3,
        repeats=1,
        race=False,
        in_process=True,
        record=False,
    )
    assert set(board.frame["model"]) == {"logistic_regression", "mlp_torch"}
