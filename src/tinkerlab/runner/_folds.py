"""Cross-validation that preprocesses each fold's training rows once, not twice.

scikit-learn's ``cross_validate(..., return_train_score=True)`` fits the pipeline on a
fold's training rows (its preprocessing runs ``fit_transform`` on them), then scores
those same rows, running the preprocessing's ``transform`` on them again. On a wide
table that second pass is a fifth of the run: one-hot encoding 3,000 categorical
columns takes seconds each time.

When every preprocessing step's ``fit_transform`` *is* ``fit(X).transform(X)``
(scikit-learn's ``TransformerMixin.fit_transform``: imputers, scalers, encoders,
polynomial features...) and the containers (``Pipeline``, ``ColumnTransformer``) only
compose such steps, the rows ``fit_transform`` returned are the very rows ``transform``
would return, so scoring the model on them gives the same numbers.
:func:`fold_scores` does that; for anything else (TF-IDF, which builds its vocabulary
in its own ``fit_transform``, the new-feature steps, a pre-trained featuriser) it calls
``cross_validate`` as the script does. ``tests/runner/test_fold_preprocessing.py`` checks every
registry model against ``cross_validate``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

#: ``(fold number, folds in all)``, called as each fold starts.
FoldStarted = Callable[[int, int], None]
#: Scores ``(estimator, X, y)`` on every metric: ``{"accuracy": 0.81, ...}``.
Scorer = Callable[[Any, Any, Any], dict[str, float]]


def reuses_fit_output(estimator: Any) -> bool:
    """Whether *estimator* is a Pipeline whose preprocessing's ``fit_transform`` output
    equals ``transform`` of the same rows (see the module's docstring)."""
    from sklearn.pipeline import Pipeline

    return isinstance(estimator, Pipeline) and len(estimator) > 1 and _consistent(estimator[:-1])


def _consistent(step: Any) -> bool:
    """``step.fit_transform(X)`` is ``step.fit(X).transform(X)``, by construction."""
    from sklearn.base import TransformerMixin
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline

    from tinkerlab.recipe._onehot import CategoryBlock

    if step is None or step in ("drop", "passthrough"):
        return True
    if isinstance(step, Pipeline):
        return all(_consistent(inner) for _, inner in step.steps)
    if isinstance(step, ColumnTransformer):
        blocks = [inner for _, inner, _ in step.transformers]
        return all(_consistent(inner) for inner in [*blocks, step.remainder])
    if isinstance(step, CategoryBlock):  # its own fit_transform: fit().transform(), tested
        return True
    return type(step).fit_transform is TransformerMixin.fit_transform


def fold_scores(
    model: Any,
    X: Any,
    y: Any,
    folds: list[tuple[Any, Any]],
    scorer: Scorer,
    model_scorer: Scorer,
    started: FoldStarted | None = None,
) -> dict[str, Any]:
    """``cross_validate(model, X, y, cv=folds, scoring=scorer, return_train_score=True,
    error_score="raise")``'s ``test_*`` and ``train_*`` arrays, one fold at a time.

    *scorer* scores a fitted pipeline on raw rows; *model_scorer* scores the pipeline's
    last step on rows already preprocessed. *started* is told as each fold starts.
    """
    from sklearn.model_selection import cross_validate

    fast = reuses_fit_output(model)
    parts = []
    for i, fold in enumerate(folds, start=1):
        if started is not None:
            started(i, len(folds))
        if fast:
            parts.append(_one_fold(model, X, y, fold, scorer, model_scorer))
        else:
            options = {"scoring": scorer, "return_train_score": True, "error_score": "raise"}
            parts.append(cross_validate(model, X, y, cv=[fold], **options))
    keys = [key for key in parts[0] if key.startswith(("test_", "train_"))]
    return {key: np.concatenate([part[key] for part in parts]) for key in keys}


def _one_fold(
    model: Any, X: Any, y: Any, fold: tuple[Any, Any], scorer: Scorer, model_scorer: Scorer
) -> dict[str, Any]:
    """One fold as ``cross_validate`` runs it, with the training rows preprocessed once.

    ``Pipeline.fit`` is ``Xt = preprocess.fit_transform(X)`` (the steps fitted in place,
    not cloned, without a ``memory``) and then ``model.fit(Xt, y)``: done here in two
    calls, so that ``Xt`` stays at hand for the training scores.
    """
    from sklearn.base import clone
    from sklearn.utils import _safe_indexing

    train, test = fold
    estimator = clone(model)
    X_train, y_train = _safe_indexing(X, train), _safe_indexing(y, train)
    X_test, y_test = _safe_indexing(X, test), _safe_indexing(y, test)
    Xt_train = estimator[:-1].fit_transform(X_train, y_train)  # (n_train, n_features_out)
    estimator[-1].fit(Xt_train, y_train)
    tested = scorer(estimator, X_test, y_test)
    trained = model_scorer(estimator[-1], Xt_train, y_train)
    scores = {f"test_{name}": np.array([value]) for name, value in tested.items()}
    scores |= {f"train_{name}": np.array([value]) for name, value in trained.items()}
    return scores
