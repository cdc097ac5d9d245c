"""Paired folds: the same repeated k-fold split for every value of a sweep.

Comparing two knob values on *different* folds mixes two sources of variation: the
knob, and which rows happened to land in which fold. Evaluating every value on the
same folds (a *paired* design) removes the second from the difference, so a small but
real effect is not drowned by fold-to-fold noise. The folds depend only on the
training split and ``recipe.seed`` — never on the knob's value.

>>> import numpy as np
>>> from tinkerlab.data import load
>>> from tinkerlab.recipe import make_recipe
>>> recipe = make_recipe(load("iris"), model="knn")
>>> X, y = np.zeros((100, 1)), np.arange(100) % 2
>>> folds = paired_folds(recipe, X, y, repeats=2)
>>> len(folds)  # repeats × cv_folds
10
>>> [len(test) for _, test in folds[:5]]
[20, 20, 20, 20, 20]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from tinkerlab.exceptions import RecipeError
from tinkerlab.options import spell

if TYPE_CHECKING:
    from tinkerlab.recipe import Recipe

#: Fold indices: (rows to train on, rows to validate on), positions in the training split.
Fold = tuple[np.ndarray, np.ndarray]


def paired_folds(recipe: Recipe, X_train: Any, y_train: Any, repeats: int) -> list[Fold]:
    """Repeated k-fold indices on the training split, identical for every knob value.

    Parameters
    ----------
    recipe : Recipe
        Gives ``cv_folds`` (k), ``task`` (stratified k-fold for classification) and
        ``seed`` (the shuffling of every repeat).
    X_train, y_train : array-like
        The training split (only their length and, for classification, ``y_train``'s
        classes matter).
    repeats : int
        How many times the k-fold split is redrawn; ``repeats * cv_folds`` folds in all.

    Returns
    -------
    list of (train_indices, validation_indices)
        Integer positions into ``X_train``, repeat by repeat, fold by fold.
    """
    from sklearn.model_selection import RepeatedKFold, RepeatedStratifiedKFold

    if not isinstance(repeats, int) or isinstance(repeats, bool) or not 1 <= repeats <= 100:
        raise RecipeError(
            f"The number of repeats must be an int in [1, 100]. Got {repeats!r} instead. "
            f"Fix: {spell('repeats', 2)}"
        )
    kind = RepeatedStratifiedKFold if recipe.task == "classification" else RepeatedKFold
    cv = kind(n_splits=recipe.cv_folds, n_repeats=repeats, random_state=recipe.seed)
    n = len(y_train)
    placeholder = np.zeros((n, 1))  # (n, 1): the splitter only needs the row count
    return [
        (np.asarray(train, dtype=np.intp), np.asarray(test, dtype=np.intp))
        for train, test in cv.split(placeholder, np.asarray(y_train))
    ]
