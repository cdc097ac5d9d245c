"""Predicting a served batch without scikit-learn's per-call overhead, to the last bit.

A service predicts a few dozen rows at a time, and at that size a forest spends most of
its time outside the trees: ``RandomForestClassifier.predict_proba`` hands each of its
100 trees to joblib (even with ``n_jobs=None``), and ``predict`` does all of that again
only to take the likeliest class. On 32 rows of titanic, 100 trees: ``predict`` 7.7 ms,
``predict_proba`` 10.4 ms, the loop below 2.5 ms (``benchmarks/bench_serve.py``).

Two shortcuts, each exactly what scikit-learn's own code computes:

* for the classifiers of :func:`argmax_classifiers`, ``predict`` *is*
  ``classes_.take(argmax(predict_proba(X)))`` in scikit-learn's source, so the
  predictions are read off the probabilities instead of computed a second time;
* for forests run sequentially (``n_jobs`` None or 1) the trees' outputs are summed in
  the same order scikit-learn sums them, then divided by the number of trees: the same
  additions in the same order give the same floats.

Any other model, a sparse matrix, several outputs, or a forest with ``n_jobs > 1`` takes
the ordinary ``predict`` / ``predict_proba`` path. ``tests/serve/test_fastpath.py``
compares both paths on every classifier of the registry.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np


@functools.cache
def _forests() -> tuple[type, ...]:
    from sklearn.ensemble import (
        ExtraTreesClassifier,
        ExtraTreesRegressor,
        RandomForestClassifier,
        RandomForestRegressor,
    )

    return (
        RandomForestClassifier,
        ExtraTreesClassifier,
        RandomForestRegressor,
        ExtraTreesRegressor,
    )


@functools.cache
def argmax_classifiers() -> tuple[type, ...]:
    """The classifiers whose ``predict`` is argmax of ``predict_proba`` in scikit-learn's
    own code (``ForestClassifier.predict``, ``BaseDecisionTree.predict``). Not gradient
    boosting: its binary ``predict`` tests the raw score, which may differ from the
    probability rounded to 0.5."""
    from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier
    from sklearn.tree import DecisionTreeClassifier, ExtraTreeClassifier

    return (
        RandomForestClassifier,
        ExtraTreesClassifier,
        DecisionTreeClassifier,
        ExtraTreeClassifier,
    )


def predict_both(model: Any, X: Any, probabilities: bool) -> tuple[Any, Any]:
    """(``model.predict(X)``, ``model.predict_proba(X)`` or None), each computed once."""
    lean = _lean(model, X)
    if not probabilities:
        if lean and not hasattr(model, "classes_"):  # a regression forest
            return _summed(model, X, "predict"), None  # (n_rows,)
        return model.predict(X), None
    proba = _summed(model, X, "predict_proba") if lean else model.predict_proba(X)
    if type(model) in argmax_classifiers() and getattr(model, "n_outputs_", 1) == 1:
        return model.classes_.take(np.argmax(proba, axis=1), axis=0), proba  # (n_rows,)
    return model.predict(X), proba  # proba: (n_rows, n_classes)


def _summed(model: Any, X: Any, method: str) -> Any:
    """A sequential forest's output: its trees' outputs summed in order, over their number."""
    X32 = model._validate_X_predict(X)  # scikit-learn's own checks and float32 copy
    if method == "predict_proba":
        out = np.zeros((X32.shape[0], model.n_classes_), dtype=np.float64)  # (n_rows, n_classes)
    else:
        out = np.zeros(X32.shape[0], dtype=np.float64)  # (n_rows,)
    for tree in model.estimators_:
        out += getattr(tree, method)(X32, check_input=False)  # as _accumulate_prediction does
    out /= len(model.estimators_)
    return out


def _lean(model: Any, X: Any) -> bool:
    """Whether *model* is a single-output forest summed in one thread, on a dense array."""
    return (
        type(model) in _forests()
        and model.n_jobs in (None, 1)
        and getattr(model, "n_outputs_", 1) == 1
        and isinstance(X, np.ndarray)
        and hasattr(model, "_validate_X_predict")
    )


__all__ = ["argmax_classifiers", "predict_both"]
