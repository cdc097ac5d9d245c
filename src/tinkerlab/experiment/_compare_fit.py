"""One fit of a comparison: a model on one fold, its preprocessing shared with the others.

Every model's pipeline is ``preprocess → model``, and most models of a comparison use the
same preprocessing (imputing, one-hot encoding, scaling for the models that need it). So
:class:`FoldCache` fits each *distinct* preprocessing once per fold and keeps what it
outputs; every model with that preprocessing is then fitted on the stored arrays. The
numbers are the pipeline's: ``Pipeline.fit`` fits the preprocessing and then the model on
its output, and ``Pipeline.predict`` transforms the rows it is given and predicts, which
is what :func:`fit_and_score` does with the arrays (``test_compare.py`` checks it against
``cross_val_score`` on the whole pipeline).

>>> from tinkerlab.data import load
>>> from tinkerlab.recipe import make_recipe
>>> a, b = (make_recipe(load("iris"), model=m) for m in ("knn", "svm"))
>>> preprocessing_key(a) == preprocessing_key(b)  # both scale their inputs
True
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.recipe import Recipe

#: (metric name, scikit-learn scorer name, sign): what a fold is scored on.
MetricSpec = tuple[str, str, int]


@dataclass(frozen=True)
class FoldArrays:
    """One fold after one preprocessing: what every model that shares it is fitted on."""

    X_fit: Any  # (n_fit, width) the preprocessed training rows (array or sparse matrix)
    y_fit: np.ndarray  # (n_fit,)
    X_valid: Any  # (n_valid, width) the validation rows, transformed by the same fit
    y_valid: np.ndarray  # (n_valid,)
    seconds: float  # what fitting and applying the preprocessing took


@dataclass(frozen=True)
class FoldScore:
    """What one fit gives back: the validation score and its timings."""

    score: float  # on the validation rows, in the units people read (errors positive)
    fit_time: float  # seconds to fit the model (its share of the preprocessing included)
    predict_time: float  # seconds to predict and score the validation rows
    warnings: str  # the kinds of warning it raised, one line ("" if none)


def preprocessing_key(recipe: Recipe) -> str:
    """Equal for two recipes whose pipelines preprocess identically."""
    from joblib import hash as joblib_hash

    from tinkerlab.recipe import build_pipeline

    return str(joblib_hash(build_pipeline(recipe).named_steps["preprocess"]))


def model_step(recipe: Recipe, n_jobs: int | None = None) -> Any:
    """The recipe's unfitted model; with *n_jobs*, estimators that can use threads do
    (forests grow their trees on that many threads: the same trees, sooner)."""
    from tinkerlab.recipe import build_pipeline

    model = build_pipeline(recipe).named_steps["model"]
    if n_jobs is not None and n_jobs > 1 and model.get_params().get("n_jobs", 0) is None:
        model.set_params(n_jobs=n_jobs)
    return model


class FoldCache:
    """Each distinct preprocessing fitted once per fold, on demand, and kept."""

    def __init__(
        self, X: pd.DataFrame, y: np.ndarray, folds: tuple[tuple[np.ndarray, np.ndarray], ...]
    ) -> None:
        self.X = X  # the training split, positions 0..n-1
        self.y = y  # (n,)
        self.folds = folds  # (train positions, validation positions) per fold
        self.recipes: dict[str, Recipe] = {}  # key -> a recipe with that preprocessing
        self.arrays: dict[tuple[str, int], FoldArrays] = {}

    def add(self, recipe: Recipe) -> str:
        """Register *recipe*'s preprocessing; return its key."""
        key = preprocessing_key(recipe)
        self.recipes.setdefault(key, recipe)
        return key

    def get(self, key: str, fold: int) -> FoldArrays:
        """The fold's arrays after preprocessing *key*, fitting it the first time."""
        if (key, fold) not in self.arrays:
            self.arrays[key, fold] = self._fit(key, fold)
        return self.arrays[key, fold]

    def _fit(self, key: str, fold: int) -> FoldArrays:
        from tinkerlab.recipe import build_pipeline

        train, valid = self.folds[fold]
        preprocess = build_pipeline(self.recipes[key]).named_steps["preprocess"]
        tick = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            X_fit = preprocess.fit_transform(self.X.iloc[train], self.y[train])
            X_valid = preprocess.transform(self.X.iloc[valid])
        seconds = time.perf_counter() - tick
        return FoldArrays(X_fit, self.y[train], X_valid, self.y[valid], seconds)


def fit_and_score(model: Any, arrays: FoldArrays, metric: MetricSpec) -> FoldScore:
    """Fit a fresh copy of *model* on the fold's training arrays, score the validation rows.

    Warnings are caught and summarised (``FoldScore.warnings``); an exception (a model
    that cannot fit this data) propagates to the caller.
    """
    from sklearn.base import clone
    from sklearn.exceptions import UndefinedMetricWarning
    from sklearn.metrics import check_scoring

    _name, scorer_name, sign = metric
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # A model that never predicts some class scores 0 precision for it (as in a run).
        warnings.filterwarnings("ignore", category=UndefinedMetricWarning)
        fitted = clone(model)
        tick = time.perf_counter()
        fitted.fit(arrays.X_fit, arrays.y_fit)
        fit_time = time.perf_counter() - tick + arrays.seconds
        tick = time.perf_counter()
        scorer = check_scoring(fitted, scoring=scorer_name)
        score = float(sign * scorer(fitted, arrays.X_valid, arrays.y_valid))
        predict_time = time.perf_counter() - tick
    return FoldScore(score, fit_time, predict_time, warning_text(caught))


def warning_text(caught: list[warnings.WarningMessage]) -> str:
    """One line naming each kind of warning once, deprecations left out."""
    kinds: dict[str, str] = {}
    for w in caught:
        if not issubclass(w.category, DeprecationWarning | FutureWarning):
            kinds.setdefault(w.category.__name__, " ".join(str(w.message).split())[:160])
    return "; ".join(f"{k}: {v}" for k, v in kinds.items())


def error_text(error: BaseException) -> str:
    """An exception as one short line."""
    return " ".join(f"{type(error).__name__}: {error}".split())[:300]
