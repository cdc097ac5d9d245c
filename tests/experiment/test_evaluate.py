"""One fit on one fold: the data changes (subsample, label and feature noise) are seeded,
nested and confined to where they belong."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tinkerlab.data import load
from tinkerlab.experiment import paired_folds, plan_sweep
from tinkerlab.experiment._evaluate import (
    FoldJob,
    SharedData,
    _noisy_features,
    _noisy_labels,
    _subsample,
    evaluate_fold,
)
from tinkerlab.recipe import make_recipe
from tinkerlab.runner import prepare_frame, split


@pytest.fixture(scope="module")
def setup():
    data = load("iris")
    recipe = make_recipe(data, model="knn")
    X, y = prepare_frame(recipe, data.frame)
    X_train, _, y_train, _ = split(recipe, X, y)
    folds = paired_folds(recipe, X_train, y_train, 1)
    shared = SharedData(
        X=X_train.reset_index(drop=True),
        y=np.asarray(y_train),
        folds=tuple(folds),
        task="classification",
        seed=0,
        metrics=(("accuracy", "accuracy", 1),),
        classes=tuple(np.unique(y_train)),
    )
    return recipe, shared


def test_train_size_keeps_a_nested_stratified_share(setup):
    _, shared = setup
    train = shared.folds[0][0]
    half = _subsample(shared, train, 0.5, 0)
    quarter = _subsample(shared, train, 0.25, 0)
    assert set(quarter) < set(half) < set(train)
    counts = pd.Series(shared.y[half]).value_counts()
    full = pd.Series(shared.y[train]).value_counts()
    assert all(counts[c] == int(np.ceil(0.5 * full[c])) for c in full.index)
    assert np.array_equal(half, _subsample(shared, train, 0.5, 0))  # seeded
    assert np.array_equal(_subsample(shared, train, 1.0, 0), train)


def test_label_noise_flips_that_share_to_other_classes_nested(setup):
    _, shared = setup
    y = shared.y[shared.folds[0][0]]
    some = _noisy_labels(shared, y, 0.2, 0)
    more = _noisy_labels(shared, y, 0.4, 0)
    flipped_some = np.flatnonzero(some != y)
    assert len(flipped_some) == round(0.2 * len(y))
    assert set(flipped_some) < set(np.flatnonzero(more != y))
    assert set(some) <= set(shared.classes)
    assert np.array_equal(_noisy_labels(shared, y, 0.0, 0), y)


def test_regression_label_noise_is_gaussian_in_target_stds(setup):
    _, shared = setup
    regression = SharedData(**{**shared.__dict__, "task": "regression", "classes": ()})
    y = np.linspace(0, 10, 2000)
    noisy = _noisy_labels(regression, y, 0.5, 0)
    assert np.std(noisy - y) == pytest.approx(0.5 * np.std(y), rel=0.05)


def test_feature_noise_touches_numeric_columns_in_their_own_stds(setup):
    recipe, shared = setup
    point = plan_sweep(recipe, "feature_noise", [0, 1]).points[1]
    train, test = shared.folds[0]
    X_train, X_test = _noisy_features(shared, point, train, test, 0)
    column = recipe.numeric[0]
    change = X_train[column].to_numpy() - shared.X[column].to_numpy()[train]
    assert np.std(change) == pytest.approx(np.std(shared.X[column].to_numpy()[train]), rel=0.25)
    assert not np.allclose(X_test[column], shared.X[column].to_numpy()[test])  # both sides


def test_label_noise_never_touches_the_validation_rows(setup):
    recipe, shared = setup
    clean, noisy = plan_sweep(recipe, "label_noise", [0.0, 0.9]).points
    # 90% of training labels flipped: the model learns the wrong classes and the clean
    # validation rows show it; on its own (noisy) training rows it still fits well.
    a = evaluate_fold(shared, FoldJob(clean, 0))
    b = evaluate_fold(shared, FoldJob(noisy, 0))
    assert a.test["accuracy"] > 0.8
    assert b.test["accuracy"] < 0.5
    assert a.n_test == b.n_test == len(shared.folds[0][1])


def test_a_fit_that_fails_is_reported_not_raised(setup):
    recipe, shared = setup
    tiny = SharedData(**{**shared.__dict__, "folds": ((np.arange(3), np.arange(3, 20)),)})
    point = plan_sweep(recipe, "n_neighbors", [1, 10]).points[1]  # 10 neighbours, 3 rows
    result = evaluate_fold(tiny, FoldJob(point, 0))
    assert result.error is not None
    assert "n_neighbors" in result.error or "n_samples" in result.error
    assert np.isnan(result.test["accuracy"])
