"""Paired folds: the same repeated, stratified, seeded k-fold split for every value."""

from __future__ import annotations

import numpy as np
import pytest

from tinkerlab.data import load
from tinkerlab.exceptions import RecipeError
from tinkerlab.experiment import paired_folds
from tinkerlab.recipe import make_recipe


@pytest.fixture(scope="module")
def iris_recipe():
    return make_recipe(load("iris"), model="knn")


def test_repeats_times_k_folds_each_covering_every_row_once(iris_recipe):
    y = np.repeat(["a", "b", "c"], 40)
    folds = paired_folds(iris_recipe, np.zeros((120, 2)), y, repeats=3)
    assert len(folds) == 15
    for r in range(3):
        tests = np.concatenate([test for _, test in folds[5 * r : 5 * r + 5]])
        assert sorted(tests) == list(range(120))
    for train, test in folds:
        assert not set(train) & set(test)
        # stratified: every validation fold holds 8 rows of each class
        assert {c: int(np.sum(y[test] == c)) for c in "abc"} == {"a": 8, "b": 8, "c": 8}


def test_same_seed_same_folds_other_seed_other_folds(iris_recipe):
    y = np.repeat([0, 1], 50)
    first = paired_folds(iris_recipe, np.zeros((100, 1)), y, 2)
    again = paired_folds(iris_recipe, np.zeros((100, 1)), y, 2)
    other = paired_folds(iris_recipe.with_changes(seed=1), np.zeros((100, 1)), y, 2)
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(first, again, strict=True))
    assert not all(np.array_equal(a[1], b[1]) for a, b in zip(first, other, strict=True))
    # the two repeats are different shuffles
    assert not np.array_equal(first[0][1], first[5][1])


def test_regression_folds_are_plain_kfold():
    recipe = make_recipe(load("diabetes"), model="ridge")
    folds = paired_folds(recipe, np.zeros((50, 1)), np.linspace(0, 1, 50), 1)
    assert [len(test) for _, test in folds] == [10] * 5


def test_bad_repeats(iris_recipe):
    with pytest.raises(RecipeError, match=r"repeats must be an int in \[1, 100\]"):
        paired_folds(iris_recipe, np.zeros((10, 1)), np.zeros(10), 0)
