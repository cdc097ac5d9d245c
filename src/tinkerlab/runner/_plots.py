"""A run's plots: what draws them, kept with the run, and the drawing, done on demand.

Classification: the confusion matrix, the ROC curve for two classes. Regression:
predicted against actual, and the residuals. Both: the most important features.

Drawing is not on a run's path: importing matplotlib and saving the PNGs cost more than
half a second of a cold ``tinkerlab run iris``, for pictures nobody may look at. So the
run keeps :func:`plot_data` (plain JSON values, no matplotlib: the confusion matrix, the
ROC curve's points, the test split's actual and predicted values, the importances), the
journal stores it beside the run, and :func:`draw_plot` draws each PNG when it is first
asked for (``journal show``, the web lab, ``export``, ``run.plots``); the journal keeps the
file. The PNG is the same, byte for byte, as the one drawn during the run before.

We draw on :class:`matplotlib.figure.Figure` directly, never through ``pyplot``'s
global state, so plotting is safe in threads and leaves no windows behind.

>>> data = {"importances.png": {"kind": "importances", "rows": [
...     {"feature": "age", "importance": 0.1, "std": 0.01, "method": "permutation"}]}}
>>> draw_plots(data)["importances.png"][:4]
b'\\x89PNG'
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from matplotlib.figure import Figure

    from tinkerlab.recipe import Recipe

# The journal keeps plot_data for good, so a kind's fields never change meaning: a new
# layout is a new kind (a new row of _DRAWERS), and runs recorded before still draw.


def plot_data(
    recipe: Recipe,
    model: Any,
    X_test: Any,
    y_test: Any,
    y_pred: Any,
    found: list[dict[str, Any]],
    outputs: Mapping[str, Any],
) -> dict[str, dict[str, Any]]:
    """What draws every plot of a run: ``{"confusion_matrix.png": {"kind": ..., ...}}``.

    Plain JSON values, computed without matplotlib; :func:`draw_plot` turns each into a
    PNG. *model* scores *X_test*: the fitted pipeline and the raw test rows, or its last
    step and the rows already preprocessed (``runner._execute.last_step``). *outputs* is
    the run's ``summary["outputs"]`` (its confusion matrix is drawn as it is).
    """
    title = f"{recipe.model} on {_name(recipe)}"
    data: dict[str, dict[str, Any]] = {}
    if recipe.task == "classification":
        matrix = outputs["confusion_matrix"]
        data["confusion_matrix.png"] = {
            "kind": "confusion_matrix",
            "title": f"{title}: test split",
            "labels": list(matrix["labels"]),  # str(label), as the axes print them
            "matrix": matrix["matrix"],  # rows: actual class, columns: predicted class
        }
        if len(np.unique(y_test)) == 2:
            roc = _roc_points(recipe, model, X_test, y_test)
            if roc is not None:
                data["roc_curve.png"] = roc
    else:
        data["predicted_vs_actual.png"] = {
            "kind": "predicted_vs_actual",
            "target": str(recipe.target),
            "actual": np.asarray(y_test, dtype=float).tolist(),  # (n_test,)
            "predicted": np.asarray(y_pred, dtype=float).tolist(),  # (n_test,)
        }
    if found:
        data["importances.png"] = {"kind": "importances", "rows": [dict(r) for r in found]}
    return data


def draw_plots(data: Mapping[str, Mapping[str, Any]]) -> dict[str, bytes]:
    """Every plot of :func:`plot_data` as PNG bytes: ``{"confusion_matrix.png": b"..."}``."""
    return {name: draw_plot(spec) for name, spec in data.items()}


def draw_plot(spec: Mapping[str, Any]) -> bytes:
    """One plot of :func:`plot_data` (one value of it) as PNG bytes."""
    draw = _DRAWERS.get(str(spec.get("kind")))
    if draw is None:
        raise ValueError(
            f"Cannot draw a plot of kind {spec.get('kind')!r}; known kinds: "
            f"{', '.join(sorted(_DRAWERS))}. It was recorded by another tinkerlab version."
        )
    buffer = io.BytesIO()
    draw(spec).savefig(buffer, format="png")
    return buffer.getvalue()


def _roc_points(recipe: Recipe, model: Any, X_test: Any, y_test: Any) -> dict[str, Any] | None:
    """The ROC curve's points for two classes, as ``RocCurveDisplay.from_estimator`` finds
    them: the positive class is the model's second, scored by ``predict_proba`` if it has
    one, else ``decision_function``."""
    from sklearn.metrics import auc, roc_curve

    classes = getattr(model, "classes_", None)
    if classes is None:
        return None
    if hasattr(model, "predict_proba"):
        y_score = np.asarray(model.predict_proba(X_test))[:, 1]  # (n_test,)
    elif hasattr(model, "decision_function"):
        y_score = np.asarray(model.decision_function(X_test))  # (n_test,)
    else:
        return None
    pos_label = classes[1]
    fpr, tpr, _ = roc_curve(y_test, y_score, pos_label=pos_label, drop_intermediate=True)
    return {
        "kind": "roc_curve",
        "title": f"ROC curve on {_name(recipe)}: test split",
        "name": recipe.model,
        "pos_label": str(pos_label),  # only ever printed, in the axes' labels
        "fpr": fpr.tolist(),  # (n_thresholds,)
        "tpr": tpr.tolist(),  # (n_thresholds,)
        "roc_auc": float(auc(fpr, tpr)),
    }


def _figure(width: float = 5.0, height: float = 4.0) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _confusion_matrix(spec: Mapping[str, Any]) -> Figure:
    from sklearn.metrics import ConfusionMatrixDisplay

    labels = list(spec["labels"])
    size = min(4.0 + 0.4 * len(labels), 12.0)
    figure = _figure(size, size * 0.85)
    axes = figure.add_subplot()
    display = ConfusionMatrixDisplay(np.asarray(spec["matrix"]), display_labels=labels)
    display.plot(
        ax=axes,
        colorbar=False,
        cmap="Blues",
        xticks_rotation=45 if len(labels) > 4 else "horizontal",
    )
    axes.set_title(spec["title"])
    return figure


def _roc_curve(spec: Mapping[str, Any]) -> Figure:
    from sklearn.metrics import RocCurveDisplay

    figure = _figure()
    axes = figure.add_subplot()
    RocCurveDisplay(
        fpr=np.asarray(spec["fpr"], dtype=float),
        tpr=np.asarray(spec["tpr"], dtype=float),
        roc_auc=spec["roc_auc"],
        name=spec["name"],
        pos_label=spec["pos_label"],
    ).plot(ax=axes)
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="chance")
    axes.legend(loc="lower right")
    axes.set_title(spec["title"])
    return figure


def _predicted_vs_actual(spec: Mapping[str, Any]) -> Figure:
    actual = np.asarray(spec["actual"], dtype=float)  # (n_test,)
    predicted = np.asarray(spec["predicted"], dtype=float)  # (n_test,)
    figure = _figure(9.0, 4.0)
    left, right = figure.subplots(1, 2)
    left.scatter(actual, predicted, s=8, alpha=0.5)
    low, high = float(min(actual.min(), predicted.min())), float(max(actual.max(), predicted.max()))
    left.plot([low, high], [low, high], linestyle="--", color="grey", label="perfect")
    left.set(xlabel=f"actual {spec['target']}", ylabel="predicted", title="Predicted vs actual")
    left.legend()
    right.hist(actual - predicted, bins=40)
    right.set(xlabel="residual (actual − predicted)", ylabel="rows", title="Residuals")
    return figure


def _importances(spec: Mapping[str, Any]) -> Figure:
    found = spec["rows"]
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


#: Each kind of plot and the function that draws it (a row per kind).
_DRAWERS: dict[str, Callable[[Mapping[str, Any]], Figure]] = {
    "confusion_matrix": _confusion_matrix,
    "roc_curve": _roc_curve,
    "predicted_vs_actual": _predicted_vs_actual,
    "importances": _importances,
}


def _name(recipe: Recipe) -> str:
    return recipe.source.name or recipe.dataset
