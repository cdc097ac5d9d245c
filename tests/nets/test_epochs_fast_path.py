"""The ``epochs`` fast path (one training per fold, scored after each epoch) gives the
numbers of training each number of epochs separately.

Tolerance: 1e-6 absolute on every score. In one process with the same threads the
arithmetic is the same and the scores are equal; the tolerance only leaves room for
torch kernels that reorder additions between calls (a last-bit change in a probability).
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import get_scorer

from tinkerlab.data import load
from tinkerlab.experiment._fast import fast_path_for
from tinkerlab.recipe import build_pipeline, make_recipe, metrics_for

TOLERANCE = 1e-6
VALUES = [1, 2, 4]


def _naive(recipe, value, X_fit, y_fit, X_val, y_val, metrics):
    pipeline = build_pipeline(recipe.with_changes(params={**recipe.params, "epochs": value}))
    pipeline.fit(X_fit, y_fit)
    return {m.name: m.sign * get_scorer(m.scorer)(pipeline, X_val, y_val) for m in metrics}


@pytest.mark.parametrize(
    ("dataset", "model", "params", "rows"),
    [
        ("digits", "mlp_torch", {"dropout": 0.2}, 600),  # dropout draws from the generator
        ("digits", "cnn", {"channels": 4}, 400),
        ("diabetes", "mlp_torch", {"batch_size": 16}, 442),
        ("digits", "mlp_torch", {"early_stopping": True, "lr": 0.05}, 400),
        # batches of alike lengths, drawn from the generator every epoch
        ("reviews", "text_rnn", {"hidden_size": 8, "batch_size": 32}, 300),
    ],
    ids=["mlp-dropout", "cnn", "regression", "early-stopping", "gru-length-batches"],
)
def test_fast_epochs_equal_separate_trainings(dataset, model, params, rows):
    data = load(dataset)
    recipe = make_recipe(data, model=model, params=params)
    frame = data.frame.sample(n=rows, random_state=0).reset_index(drop=True)
    X, y = frame.drop(columns=[data.target]), frame[data.target]
    n_classes = int(y.nunique()) if recipe.task == "classification" else 0
    metrics = metrics_for(recipe.task, n_classes, build_pipeline(recipe))
    cut = int(rows * 0.75)
    folds = [(np.arange(cut), np.arange(cut, rows))]
    path = fast_path_for(recipe, "epochs")
    assert path is not None
    fast = path.sweep(recipe, VALUES, X, y, folds, metrics)
    for value in VALUES:
        naive = _naive(recipe, value, X[:cut], y[:cut], X[cut:], y[cut:], metrics)
        for name, score in naive.items():
            assert fast[value]["test"][name][0] == pytest.approx(score, abs=TOLERANCE), (
                value,
                name,
            )
        assert fast[value]["error"] == [None]
    assert fast[1]["test"][metrics[0].name] != fast[4]["test"][metrics[0].name]


def test_values_past_an_early_stop_are_the_stopped_net():
    data = load("digits")
    recipe = make_recipe(data, model="mlp_torch", params={"early_stopping": True, "lr": 0.5})
    X, y = data.frame.drop(columns=[data.target])[:300], data.frame[data.target][:300]
    metrics = metrics_for("classification", 10, build_pipeline(recipe))[:1]
    folds = [(np.arange(200), np.arange(200, 300))]
    fast = fast_path_for(recipe, "epochs").sweep(recipe, [150, 200], X, y, folds, metrics)
    # lr=0.5 diverges or plateaus quickly: early stopping ends well before 150 epochs
    assert fast[150]["test"]["accuracy"] == fast[200]["test"]["accuracy"]
    naive = _naive(recipe, 200, X[:200], y[:200], X[200:], y[200:], metrics)
    assert fast[200]["test"]["accuracy"][0] == pytest.approx(naive["accuracy"], abs=TOLERANCE)
