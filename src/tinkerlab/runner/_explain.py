"""What went into a run and what came out, as plain JSON-able dicts.

Inputs: rows, the split sizes, features by role, the class balance or the target's
spread. Outputs: the confusion matrix or a residual summary, and the most important
features — by *permutation* (shuffle one input column on the test split and measure
how much the score drops) when there are few columns, else from the model itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.data import Dataset
    from tinkerlab.recipe import Metric, Recipe

#: Permutation importance re-scores the test split once per column and repeat; above
#: this many input columns (e.g. 625 pixels) we read the model's own importances instead.
PERMUTATION_MAX_COLUMNS = 40
PERMUTATION_REPEATS = 5
TOP_FEATURES = 10


def describe_inputs(
    recipe: Recipe, dataset: Dataset, X: pd.DataFrame, y: pd.Series[Any], n_train: int, n_test: int
) -> dict[str, Any]:
    """Rows, split sizes, features by role, and the target's balance or spread."""
    inputs: dict[str, Any] = {
        "dataset": recipe.dataset,
        "rows": len(X),
        "train_rows": n_train,
        "test_rows": n_test,
        "target": recipe.target,
        "task": recipe.task,
        "features": {
            "numeric": list(recipe.numeric),
            "categorical": list(recipe.categorical),
            "text": list(recipe.text),
        },
        "unused": list(recipe.unused),
        # Schema inference's decision for every column, and why (shown by `tinkerlab run`).
        "columns": [
            {
                "name": c.name,
                "role": c.role,
                "dtype": c.dtype,
                "missing": c.n_missing,
                "distinct": c.n_unique,
                "reason": c.reason,
            }
            for c in dataset.columns.values()
        ],
    }
    if recipe.task == "classification":
        counts = y.value_counts()
        inputs["classes"] = {str(k): int(v) for k, v in counts.items()}
    else:
        inputs["target_stats"] = {
            "mean": float(y.mean()),
            "std": float(y.std()),
            "min": float(y.min()),
            "max": float(y.max()),
        }
    if dataset.image_shape:
        inputs["image_shape"] = list(dataset.image_shape)
    return inputs


def describe_outputs(
    recipe: Recipe, y_test: Any, y_pred: Any, found: list[dict[str, Any]]
) -> dict[str, Any]:
    """The confusion matrix (classification) or residual summary (regression), and the
    most important features."""
    outputs: dict[str, Any] = {"importances": found}
    if recipe.task == "classification":
        from sklearn.metrics import confusion_matrix

        labels = sorted(set(np.asarray(y_test)) | set(np.asarray(y_pred)), key=str)
        matrix = confusion_matrix(y_test, y_pred, labels=labels)  # (n_classes, n_classes)
        outputs["confusion_matrix"] = {
            "labels": [str(label) for label in labels],
            "matrix": matrix.tolist(),  # rows: actual class, columns: predicted class
        }
    else:
        residuals = np.asarray(y_test, dtype=float) - np.asarray(y_pred, dtype=float)  # (n_test,)
        outputs["residuals"] = {
            "mean": float(residuals.mean()),
            "std": float(residuals.std()),
            "median_abs": float(np.median(np.abs(residuals))),
            "max_abs": float(np.abs(residuals).max()),
        }
    return outputs


def importances(
    recipe: Recipe, pipeline: Any, X_test: pd.DataFrame, y_test: Any, metric: Metric
) -> list[dict[str, Any]]:
    """The most important features, largest first: ``[{"feature", "importance", "std", "method"}]``.

    Permutation importance on the raw input columns when there are at most
    :data:`PERMUTATION_MAX_COLUMNS` of them; otherwise the fitted model's own
    ``feature_importances_`` or absolute coefficients, over the encoded features.
    Empty when the model offers neither (e.g. kNN on 625 pixels).
    """
    if X_test.shape[1] <= PERMUTATION_MAX_COLUMNS:
        result = permutation_importance(
            pipeline, X_test, y_test, metric.scorer, PERMUTATION_REPEATS, recipe.seed
        )
        rows: list[dict[str, Any]] = [
            {"feature": name, "importance": float(mean), "std": float(std), "method": "permutation"}
            for name, mean, std in zip(
                X_test.columns, result.importances_mean, result.importances_std, strict=True
            )
        ]
    else:
        model = pipeline.named_steps["model"]
        if hasattr(model, "feature_importances_"):
            values = np.asarray(model.feature_importances_)  # (n_encoded_features,)
            method = "impurity"
        elif hasattr(model, "coef_"):
            coef = np.atleast_2d(model.coef_)  # (n_classes or 1, n_encoded_features)
            values = np.abs(coef).mean(axis=0)  # (n_encoded_features,)
            method = "abs_coefficient"
        else:
            return []
        names = pipeline.named_steps["preprocess"].get_feature_names_out()
        rows = [
            {"feature": _short(str(n)), "importance": float(v), "std": 0.0, "method": method}
            for n, v in zip(names, values, strict=True)
        ]
    rows.sort(key=lambda r: -r["importance"])
    return rows[:TOP_FEATURES]


def permutation_importance(
    estimator: Any, X: pd.DataFrame, y: Any, scoring: str, n_repeats: int, seed: int
) -> Any:
    """scikit-learn's ``permutation_importance``, with every shuffled copy predicted at once.

    The same shuffles, drawn from the same seeds in the same order, and the same scores:
    only the predictions are batched. scikit-learn predicts the test rows once per column
    and repeat (4 columns × 5 repeats: 21 calls of the pipeline); here the shuffled copies
    are stacked into one table, ``(1 + n_columns × n_repeats) × n_rows`` rows, predicted in
    one call, and each copy is scored from its slice. A random forest's prediction costs
    about the same for 30 rows as for 600 (its time goes to visiting 100 trees), so this
    is many times faster. Exact for models that predict each row on its own, which is
    every model of the registry (``tests/runner/test_explain.py`` checks it against
    scikit-learn's function).

    Returns the same ``Bunch``: ``importances_mean``, ``importances_std`` and
    ``importances`` (``(n_columns, n_repeats)``).
    """
    import pandas as pd
    from sklearn.metrics import check_scoring
    from sklearn.utils import Bunch, check_random_state

    # What scikit-learn does: one seed drawn from random_state, then, for every column, a
    # RandomState of that seed shuffling one index array again at each repeat (so the
    # column is shuffled anew, starting from its last shuffle).
    column_seed = check_random_state(seed).randint(np.iinfo(np.int32).max + 1)
    copies = [X]  # copy 0: the rows as they are (the baseline score)
    for position, column in enumerate(X.columns):
        rng = check_random_state(column_seed)
        shuffled = X.copy()
        order = np.arange(len(X))  # (n_rows,)
        for _ in range(n_repeats):
            rng.shuffle(order)
            values = shuffled.iloc[order, position]
            values.index = shuffled.index
            shuffled[column] = values
            copies.append(shuffled.copy())
    stacked = pd.concat(copies, ignore_index=True)  # (n_copies * n_rows, n_columns)
    from tinkerlab.runner._responses import replay

    answers = replay(estimator, stacked)
    scorer = check_scoring(estimator, scoring=scoring)
    n = len(X)
    scores = np.array(
        [scorer(answers, np.arange(i * n, (i + 1) * n), y) for i in range(len(copies))]
    )  # (n_copies,)
    drops = scores[0] - scores[1:].reshape(X.shape[1], n_repeats)  # (n_columns, n_repeats)
    return Bunch(
        importances_mean=drops.mean(axis=1), importances_std=drops.std(axis=1), importances=drops
    )


def _short(encoded_name: str) -> str:
    """``numeric__age`` → ``age``; ``text_review__great`` → ``review: great``."""
    block, _, name = encoded_name.partition("__")
    if block.startswith("text_"):
        return f"{block[5:]}: {name}"
    return name or block
