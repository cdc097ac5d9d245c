"""Cross-validation that preprocesses each fold's training rows once gives scikit-learn's
``cross_validate`` numbers, for every registry model (``runner/_folds.py``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.model_selection import cross_validate

from tinkerlab.data import load
from tinkerlab.recipe import build_pipeline, make_recipe, metrics_for
from tinkerlab.recipe.models import MODELS, models_for
from tinkerlab.runner._execute import (
    prepare_frame,
    score_all,
    score_preprocessed,
    split,
    splitter,
)
from tinkerlab.runner._folds import fold_scores, reuses_fit_output

#: Training rows the comparisons use.
ROWS = 150


def _both(dataset: str, **options: Any) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """(fold_scores, cross_validate) on the recipe's training split, and its pipeline."""
    ds = load(dataset)
    recipe = make_recipe(ds, cv_folds=3, **options)
    X, y = prepare_frame(recipe, ds.frame)
    X_train, _, y_train, _ = split(recipe, X, y)
    X_train, y_train = X_train.iloc[:ROWS], y_train.iloc[:ROWS]  # enough to tell, and quick
    pipeline = build_pipeline(recipe)
    n_classes = int(y.nunique()) if recipe.task == "classification" else 0
    metrics = metrics_for(recipe.task, n_classes, pipeline)
    folds = list(splitter(recipe).split(X_train, y_train))
    scorer = score_all(metrics)
    ours = fold_scores(pipeline, X_train, y_train, folds, scorer, score_preprocessed(metrics))
    theirs = cross_validate(
        pipeline,
        X_train,
        y_train,
        cv=folds,
        scoring=scorer,
        return_train_score=True,
        error_score="raise",
    )
    return ours, theirs, pipeline


def _assert_same(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    scored = {key for key in theirs if key.startswith(("test_", "train_"))}
    assert set(ours) == scored
    for key in scored:
        # The same arithmetic on the same preprocessed rows in this process: equal to
        # the last bit, so compared exactly.
        np.testing.assert_array_equal(ours[key], theirs[key], err_msg=key)


#: Every built-in registry model, on a table with numbers, categories and missing cells
#: (titanic) and on a regression table (diabetes).
CASES = [("titanic", spec.name) for spec in models_for("classification")] + [
    ("diabetes", spec.name) for spec in models_for("regression")
]


@pytest.mark.parametrize(("dataset", "model"), CASES)
def test_each_registry_model_scores_as_cross_validate_does(dataset: str, model: str) -> None:
    ours, theirs, pipeline = _both(dataset, model=model)
    assert reuses_fit_output(pipeline)  # the rows of fit_transform were reused
    _assert_same(ours, theirs)


SCRATCH = [
    (dataset, spec.name)
    for dataset, task in (("titanic", "classification"), ("diabetes", "regression"))
    for spec in MODELS.values()
    if task in spec.scratch
]


@pytest.mark.parametrize(("dataset", "model"), SCRATCH)
def test_each_scratch_twin_scores_as_cross_validate_does(dataset: str, model: str) -> None:
    ours, theirs, _ = _both(dataset, model=model, impl="scratch")
    _assert_same(ours, theirs)


def test_new_feature_steps_and_text_take_scikit_learns_path() -> None:
    """TF-IDF builds its vocabulary in its own fit_transform, and the new-feature steps
    have their own: their fit output is not assumed equal to transform's."""
    ours, theirs, pipeline = _both("reviews")
    assert not reuses_fit_output(pipeline)
    _assert_same(ours, theirs)
    _, _, stepped = _both("titanic", model="logistic_regression", add=("len:sex",))
    assert not reuses_fit_output(stepped)
    ours, theirs, _ = _both("titanic", model="logistic_regression", add=("log:age",))
    _assert_same(ours, theirs)


def test_an_estimator_that_is_not_a_pipeline_takes_scikit_learns_path() -> None:
    from sklearn.dummy import DummyClassifier

    assert not reuses_fit_output(DummyClassifier())


def test_a_neural_network_scores_as_cross_validate_does() -> None:
    """A seeded torch net trains the same way on the rows fit_transform returned."""
    pytest.importorskip("torch")
    ours, theirs, pipeline = _both("titanic", model="mlp_torch", params={"epochs": 3})
    assert reuses_fit_output(pipeline)
    _assert_same(ours, theirs)
