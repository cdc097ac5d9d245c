"""One fit: a point of the sweep on one fold, the unit of work an engine hands a worker.

:func:`evaluate_fold` is a plain module-level function of plain data, so the local engine
(joblib processes) and a Dask cluster run exactly the same code and get exactly the same
numbers. Everything random in it is seeded by the recipe's seed and the fold's number,
never by the worker, the order of completion or the knob's value:

* ``train_size`` keeps the first share of each class in one seeded shuffle of the
  training fold, so a smaller share is a subset of a larger one (a smooth learning curve);
* ``label_noise`` flips the first share of one seeded shuffle of the training rows to a
  seeded other class (regression: adds seeded Gaussian noise of that many target stds);
* ``feature_noise`` adds one seeded Gaussian draw per cell, times the value, times the
  column's standard deviation on the training fold.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.experiment._folds import Fold
    from tinkerlab.experiment._knob_kinds import Point

#: Independent random streams per fold (NumPy SeedSequence entropy: seed, fold, stream).
_SUBSAMPLE, _LABELS, _FEATURES = 0, 1, 2


@dataclass(frozen=True)
class SharedData:
    """What every fit of one experiment reads: sent to each worker once."""

    X: pd.DataFrame  # the training split (the whole table for the test_size knob)
    y: np.ndarray  # (n,) its target
    folds: tuple[Fold, ...]  # the paired folds: (train rows, validation rows), positions in X
    task: str  # "classification" or "regression"
    seed: int  # seeds every data change (subsampling, noise), never the knob's value
    metrics: tuple[tuple[str, Any, int], ...]  # (our name, scorer name or object, sign)
    classes: tuple[Any, ...] = ()  # every class of y, for label noise
    threads: int = 1  # BLAS/OpenMP threads a fit may use


@dataclass(frozen=True)
class FoldJob:
    """One fit: which point, on which fold."""

    point: Point
    fold: int  # index into SharedData.folds (or the repeated hold-out split's number)


@dataclass(frozen=True)
class FastFoldJob:
    """Every missing point of a fast-path sweep on one fold: one fit serves them all."""

    knob: str  # the model parameter swept (a key of FAST_PATHS)
    points: tuple[Point, ...]  # the points to score; their recipes differ only in the knob
    fold: int  # index into SharedData.folds


@dataclass
class FoldResult:
    """The scores of one fit, in the units people read (errors positive)."""

    position: int  # the point's position in the sweep
    fold: int
    train: dict[str, float]  # metric -> score on the rows the model was fitted on
    test: dict[str, float]  # metric -> score on the validation rows
    fit_time: float  # seconds to fit the pipeline
    n_train: int  # rows fitted on
    n_test: int  # rows validated on
    warnings: list[str] = field(default_factory=list)  # messages raised while fitting
    error: str | None = None  # why the fit failed (scores are then NaN)


def evaluate_fold(shared: SharedData, job: FoldJob) -> FoldResult:
    """Fit the job's point on its fold and score it on both sides of the fold."""
    from tinkerlab._threads import limited_threads

    with limited_threads(shared.threads), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _evaluate(shared, job)
    result.warnings = sorted({f"{w.category.__name__}: {w.message}" for w in caught})[:5]
    return result


def evaluate_fast_fold(shared: SharedData, job: FastFoldJob) -> list[FoldResult]:
    """Score every point of *job* on its fold with one fit (the knob's fast exact path).

    The numbers are those :func:`evaluate_fold` gives point by point (``test_fast.py``
    proves it); if the fast path cannot serve this fold it falls back to exactly that.
    """
    from tinkerlab._threads import limited_threads

    with limited_threads(shared.threads), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = _evaluate_fast(shared, job)
    messages = sorted({f"{w.category.__name__}: {w.message}" for w in caught})[:5]
    for result in results:
        result.warnings = sorted({*result.warnings, *messages})[:5]
    return results


def _evaluate_fast(shared: SharedData, job: FastFoldJob) -> list[FoldResult]:
    from sklearn.exceptions import UndefinedMetricWarning

    from tinkerlab.experiment._fast import fast_path_for

    warnings.filterwarnings("ignore", category=UndefinedMetricWarning)
    recipe = job.points[0].recipe
    path = fast_path_for(recipe, job.knob)
    if path is None:
        raise ValueError(f"{recipe.model} has no fast path for {job.knob!r}")
    train, test = shared.folds[job.fold]
    X_fit, X_val = shared.X.iloc[train], shared.X.iloc[test]
    y_fit, y_val = shared.y[train], shared.y[test]
    try:
        scored = path.sweep_fold(
            recipe, [p.value for p in job.points], X_fit, y_fit, X_val, y_val, shared.metrics
        )
    except Exception:  # e.g. a value the model rejects: fit point by point, as the naive path
        return [_evaluate(shared, FoldJob(point, job.fold)) for point in job.points]
    return [
        FoldResult(
            position=point.position,
            fold=job.fold,
            train=scored[point.value]["train"],
            test=scored[point.value]["test"],
            fit_time=scored[point.value]["fit_time"],
            n_train=scored[point.value]["n_train"],
            n_test=scored[point.value]["n_test"],
            error=scored[point.value]["error"],
        )
        for point in job.points
    ]


def _evaluate(shared: SharedData, job: FoldJob) -> FoldResult:
    from sklearn.exceptions import UndefinedMetricWarning
    from sklearn.metrics import check_scoring

    from tinkerlab.recipe import build_pipeline

    warnings.filterwarnings("ignore", category=UndefinedMetricWarning)
    point = job.point
    train, test = _rows(shared, point, job.fold)
    train = _subsample(shared, train, point.train_fraction, job.fold)
    X_train, X_test = shared.X.iloc[train], shared.X.iloc[test]
    y_train, y_test = shared.y[train], shared.y[test]
    if point.label_noise:
        y_train = _noisy_labels(shared, y_train, point.label_noise, job.fold)
    if point.feature_noise:
        X_train, X_test = _noisy_features(shared, point, train, test, job.fold)
    nan = {name: float("nan") for name, _, _ in shared.metrics}
    pipeline = build_pipeline(point.recipe)
    fit_time = 0.0
    try:
        tick = time.perf_counter()
        pipeline.fit(X_train, y_train)
        fit_time = time.perf_counter() - tick
        available = _available(shared, pipeline)
        scorer = check_scoring(pipeline, scoring={name: s for name, s, _ in available})
        signs = {name: sign for name, _, sign in available}
        on_train = {k: float(signs[k] * v) for k, v in scorer(pipeline, X_train, y_train).items()}
        on_test = {k: float(signs[k] * v) for k, v in scorer(pipeline, X_test, y_test).items()}
    except Exception as error:  # a value the model cannot work with: report it, keep going
        message = " ".join(f"{type(error).__name__}: {error}".split())[:300]
        return FoldResult(
            point.position,
            job.fold,
            dict(nan),
            dict(nan),
            fit_time,
            len(train),
            len(test),
            error=message,
        )
    return FoldResult(
        position=point.position,
        fold=job.fold,
        train={**nan, **on_train},
        test={**nan, **on_test},
        fit_time=fit_time,
        n_train=len(train),
        n_test=len(test),
    )


def baseline_scores(shared: SharedData) -> np.ndarray:
    """The dummy baseline's validation score on every fold, in the first metric's units.

    The dummy ignores the features: the commonest class with the class shares as
    probabilities (classification), or the training mean (regression). It is what
    "learned nothing" scores, the yardstick the detectors measure against.
    """
    from sklearn.dummy import DummyClassifier, DummyRegressor
    from sklearn.metrics import check_scoring

    _name, scoring, sign = shared.metrics[0]
    scores = []
    for train, test in shared.folds:
        dummy = (
            DummyClassifier(strategy="prior")
            if shared.task == "classification"
            else DummyRegressor(strategy="mean")
        )
        dummy.fit(np.zeros((len(train), 1)), shared.y[train])
        scorer = check_scoring(dummy, scoring=scoring)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scores.append(sign * float(scorer(dummy, np.zeros((len(test), 1)), shared.y[test])))
    return np.array(scores)  # (folds,)


def _available(shared: SharedData, pipeline: Any) -> tuple[tuple[str, Any, int], ...]:
    """The metrics this fitted pipeline can be scored on (ROC AUC needs a score per row)."""
    from tinkerlab.recipe import average_of, metrics_for

    average = average_of(shared.metrics[0][0]) if shared.task == "classification" else "macro"
    found = metrics_for(shared.task, len(shared.classes), pipeline, average=average)  # type: ignore[arg-type]
    names = {m.name for m in found}
    return tuple(m for m in shared.metrics if m[0] in names)


def _rows(shared: SharedData, point: Point, fold: int) -> tuple[np.ndarray, np.ndarray]:
    """The fold's (train, validation) positions; for test_size, the fold-th hold-out split."""
    if point.test_size is None:
        return shared.folds[fold]
    from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit

    kind = StratifiedShuffleSplit if shared.task == "classification" else ShuffleSplit
    splits = kind(n_splits=len(shared.folds), test_size=point.test_size, random_state=shared.seed)
    for i, (train, test) in enumerate(splits.split(np.zeros((len(shared.y), 1)), shared.y)):
        if i == fold:
            return np.asarray(train), np.asarray(test)
    raise IndexError(fold)


def _subsample(shared: SharedData, train: np.ndarray, fraction: float, fold: int) -> np.ndarray:
    """The first *fraction* of each class (all rows for regression) in one seeded shuffle."""
    if fraction >= 1.0:
        return train
    rng = np.random.default_rng([shared.seed, fold, _SUBSAMPLE])
    shuffled = train[rng.permutation(len(train))]  # (n_train,)
    if shared.task != "classification":
        keep = shuffled[: max(2, int(np.ceil(fraction * len(shuffled))))]
    else:
        labels = shared.y[shuffled]
        keep = np.concatenate(
            [
                shuffled[labels == c][: int(np.ceil(fraction * np.sum(labels == c)))]
                for c in np.unique(labels)
            ]
        )
    return np.sort(keep)  # the table's order, as the full fold has it


def _noisy_labels(shared: SharedData, y: np.ndarray, share: float, fold: int) -> np.ndarray:
    """Flip the first *share* of a seeded shuffle to another class (or add target noise)."""
    rng = np.random.default_rng([shared.seed, fold, _LABELS])
    n = len(y)
    if shared.task != "classification":
        noise = rng.standard_normal(n)  # (n,)
        return np.asarray(y, dtype=float) + share * float(np.std(y)) * noise
    classes = np.asarray(shared.classes, dtype=object)
    order = rng.permutation(n)  # (n,) who is flipped first
    shift = rng.integers(1, len(classes), size=n)  # (n,) to which other class, 1..K-1 ahead
    index = {c: i for i, c in enumerate(classes)}
    codes = np.array([index[v] for v in y])  # (n,) class positions
    flipped = order[: round(share * n)]
    noisy = np.asarray(y, dtype=object).copy()
    noisy[flipped] = classes[(codes[flipped] + shift[flipped]) % len(classes)]
    return noisy.astype(np.asarray(y).dtype)


def _noisy_features(
    shared: SharedData, point: Point, train: np.ndarray, test: np.ndarray, fold: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add value × column std × a seeded N(0, 1) draw to every numeric cell."""
    columns = list(point.recipe.numeric)
    rng = np.random.default_rng([shared.seed, fold, _FEATURES])
    draw = rng.standard_normal((len(shared.X), len(columns)))  # (n_rows, n_numeric)
    numbers = shared.X[columns].to_numpy(dtype=float)  # (n_rows, n_numeric)
    std = np.nanstd(numbers[train], axis=0)  # (n_numeric,) measured on the training fold
    noisy = numbers + point.feature_noise * std * draw  # (n_rows, n_numeric); NaN stays NaN
    X_train, X_test = shared.X.iloc[train].copy(), shared.X.iloc[test].copy()
    X_train[columns] = noisy[train]
    X_test[columns] = noisy[test]
    return X_train, X_test
