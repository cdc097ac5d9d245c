"""A run's plots, rendered to PNG bytes (the journal decides where they are stored).

Classification: the confusion matrix, the ROC curve for two classes. Regression:
predicted against actual, and the residuals. Both: the most important features.
We draw on :class:`matplotlib.figure.Figure` directly, never through ``pyplot``'s
global state, so plotting is safe in threads and leaves no windows behind.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from tinkerlab.recipe import Recipe


def render_plots(
    recipe: Recipe,
    model: Any,
    X_test: Any,
    y_test: Any,
    y_pred: Any,
    found: list[dict[str, Any]],
) -> dict[str, bytes]:
    """Every plot of a run: ``{"confusion_matrix.png": b"\\x89PNG..."}``.

    *model* scores *X_test*: the fitted pipeline and the raw test rows, or its last step
    and the rows already preprocessed (``runner._execute.last_step``), which draws the
    same curve without preprocessing the rows again.
    """
    plots: dict[str, bytes] = {}
    if recipe.task == "classification":
        plots["confusion_matrix.png"] = _png(_confusion_matrix(recipe, y_test, y_pred))
        if len(np.unique(y_test)) == 2:
            roc = _roc_curve(recipe, model, X_test, y_test)
            if roc is not None:
                plots["roc_curve.png"] = _png(roc)
    else:
        plots["predicted_vs_actual.png"] = _png(_predicted_vs_actual(recipe, y_test, y_pred))
    if found:
        plots["importances.png"] = _png(_importances(recipe, found))
    return plots


def _figure(width: float = 5.0, height: float = 4.0) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _confusion_matrix(recipe: Recipe, y_test: Any, y_pred: Any) -> Figure:
    from sklearn.metrics import ConfusionMatrixDisplay

    labels = sorted(set(np.asarray(y_test)) | set(np.asarray(y_pred)), key=str)
    size = min(4.0 + 0.4 * len(labels), 12.0)
    figure = _figure(size, size * 0.85)
    axes = figure.add_subplot()
    ConfusionMatrixDisplay.from_predictions(
        y_test,
        y_pred,
        labels=labels,
        ax=axes,
        colorbar=False,
        cmap="Blues",
        xticks_rotation=45 if len(labels) > 4 else "horizontal",
    )
    axes.set_title(f"{recipe.model} on {_name(recipe)}: test split")
    return figure


def _roc_curve(recipe: Recipe, model: Any, X_test: Any, y_test: Any) -> Figure | None:
    from sklearn.metrics import RocCurveDisplay

    if not (hasattr(model, "predict_proba") or hasattr(model, "decision_function")):
        return None
    figure = _figure()
    axes = figure.add_subplot()
    RocCurveDisplay.from_estimator(model, X_test, y_test, ax=axes, name=recipe.model)
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="chance")
    axes.legend(loc="lower right")
    axes.set_title(f"ROC curve on {_name(recipe)}: test split")
    return figure


def _predicted_vs_actual(recipe: Recipe, y_test: Any, y_pred: Any) -> Figure:
    actual = np.asarray(y_test, dtype=float)  # (n_test,)
    predicted = np.asarray(y_pred, dtype=float)  # (n_test,)
    figure = _figure(9.0, 4.0)
    left, right = figure.subplots(1, 2)
    left.scatter(actual, predicted, s=8, alpha=0.5)
    low, high = float(min(actual.min(), predicted.min())), float(max(actual.max(), predicted.max()))
    left.plot([low, high], [low, high], linestyle="--", color="grey", label="perfect")
    left.set(xlabel=f"actual {recipe.target}", ylabel="predicted", title="Predicted vs actual")
    left.legend()
    right.hist(actual - predicted, bins=40)
    right.set(xlabel="residual (actual − predicted)", ylabel="rows", title="Residuals")
    return figure


def _importances(recipe: Recipe, found: list[dict[str, Any]]) -> Figure:
    names = [row["feature"] for row in found][::-1]
    values = [row["importance"] for row in found][::-1]
    errors = [row["std"] for row in found][::-1]
    figure = _figure(6.0, 1.0 + 0.35 * len(names))
    axes = figure.add_subplot()
    axes.barh(names, values, xerr=errors)
    method = found[0]["method"]
    axes.set(
        xlabel="drop in score when shuffled"
        if method == "permutation"
        else method.replace("_", " "),
        title=f"Most important features ({method})",
    )
    return figure


def _name(recipe: Recipe) -> str:
    return recipe.source.name or recipe.dataset
