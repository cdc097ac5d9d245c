"""The experiment's plot: train and validation scores across the knob's values.

Means as lines, ± one standard deviation across the folds as bands, the default (or the
point the best is tested against) and the best marked, and the learner's prediction drawn
in grey for comparison: the predicted shape as a sketch spanning the observed range, the
predicted best value as a vertical line, the predicted score as a horizontal one. Drawn on
:class:`matplotlib.figure.Figure` directly, never through ``pyplot``'s global state.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from tinkerlab.experiment._experiment import Experiment


def plot_experiment(experiment: Experiment) -> Figure:
    """A new Figure of *experiment*'s curve (see the module docstring)."""
    from matplotlib.figure import Figure

    sweep, frame = experiment.sweep, experiment.frame
    width = 6.5 if sweep.numeric_axis else max(6.5, 0.6 * len(frame) + 2)
    figure = Figure(figsize=(width, 4.2), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    numeric_axis = sweep.numeric_axis
    x = (
        np.asarray(frame["value"], dtype=float)
        if numeric_axis
        else np.arange(len(frame), dtype=float)
    )  # (points,)
    metric = experiment.metric.name
    styles: tuple[tuple[str, str, dict[str, Any]], ...] = (
        ("train", "train", {"linestyle": "--", "color": "tab:orange"}),
        ("cv", "validation (CV)", {"linestyle": "-", "color": "tab:blue"}),
    )
    for column, label, style in styles:
        mean = np.asarray(frame[f"{column}_mean"], dtype=float)  # (points,)
        std = np.asarray(frame[f"{column}_std"], dtype=float)  # (points,)
        axes.plot(x, mean, marker="o", markersize=4, label=label, **style)
        axes.fill_between(x, mean - std, mean + std, alpha=0.18, color=style["color"], lw=0)
    summary = experiment.summary
    ref = sweep.reference
    cv = np.asarray(frame["cv_mean"], dtype=float)
    axes.scatter(
        [x[ref]],
        [cv[ref]],
        s=90,
        facecolors="none",
        edgecolors="black",
        zorder=5,
        label="default" if sweep.reference_reason == "the default" else "compared with",
    )
    if summary.best is not None:
        b = summary.best
        axes.scatter([x[b]], [cv[b]], marker="*", s=180, color="tab:red", zorder=6, label="best")
    _draw_prediction(axes, experiment, x, cv)
    if numeric_axis:
        if sweep.scale == "log" and np.all(x > 0):
            from matplotlib.ticker import ScalarFormatter

            axes.set_xscale("log")
            axes.xaxis.set_major_formatter(ScalarFormatter())  # 10, not 10^1
    else:
        axes.set_xticks(x)
        axes.set_xticklabels(
            [str(v) for v in frame["label"]], rotation=30 if len(frame) > 4 else 0, ha="right"
        )
    axes.set_xlabel(sweep.knob_label())
    axes.set_ylabel(metric)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8, loc="best")
    recipe = experiment.recipe
    model = recipe.model if sweep.knob != "model" else "models"
    axes.set_title(f"{model} on {_short(recipe.dataset)}: {metric} as {sweep.knob} changes")
    return figure


def _draw_prediction(axes: Axes, experiment: Experiment, x: np.ndarray, cv: np.ndarray) -> None:
    prediction = experiment.prediction
    if prediction is None or prediction.is_empty():
        return
    finite = cv[np.isfinite(cv)]
    if not finite.size:
        return
    low, high = float(finite.min()), float(finite.max())
    grey: dict[str, Any] = {"color": "0.45", "linewidth": 1.2}
    sweep = experiment.sweep
    best_x: float | None = None
    if prediction.best is not None:
        if sweep.numeric_axis and isinstance(prediction.best, int | float):
            best_x = float(prediction.best)
        else:
            matches = [i for i, v in enumerate(sweep.values) if v == prediction.best]
            best_x = float(x[matches[0]]) if matches else None
        if best_x is not None:
            axes.axvline(best_x, linestyle=":", label="your best guess", **grey)
    if prediction.score is not None:
        axes.axhline(prediction.score, linestyle="-.", label="your score guess", **grey)
    if prediction.shape in ("up", "down", "peak", "valley", "flat") and sweep.ordered:
        log = sweep.scale == "log" and bool(np.all(x > 0))
        axis = np.log10(x) if log else x  # (points,) positions on the drawn axis
        t = (axis - axis.min()) / (np.ptp(axis) or 1.0)  # (points,) in [0, 1]
        centre = 0.5
        if best_x is not None and axis.size:
            guess = math.log10(best_x) if log and best_x > 0 else best_x
            centre = float(np.clip((guess - axis.min()) / (np.ptp(axis) or 1.0), 0.05, 0.95))
        template = {
            "up": t,
            "down": 1 - t,
            "peak": 1 - np.abs(t - centre) / max(centre, 1 - centre),
            "valley": np.abs(t - centre) / max(centre, 1 - centre),
            "flat": np.full_like(t, 0.5),
        }[prediction.shape]
        dense = np.linspace(0, 1, 200)
        sketch = np.interp(dense, t, template)  # (200,)
        xs = np.interp(dense, t, axis)
        xs = 10**xs if log else xs
        axes.plot(
            xs,
            low + sketch * (high - low),
            linestyle=(0, (1, 2)),
            label=f"your prediction: {prediction.shape}",
            **grey,
        )


def figure_bytes(figure: Figure, kind: str = "png") -> bytes:
    """The figure as PNG or SVG file content."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format=kind)
    return buffer.getvalue()


def _short(name: str) -> str:
    from pathlib import PurePath

    return PurePath(name).name if ("/" in name or "\\" in name) else name


def plot_files(experiment: Experiment) -> dict[str, Any]:
    """``{"curve.png": bytes, "curve.svg": bytes}``: what the journal stores."""
    figure = plot_experiment(experiment)
    return {"curve.png": figure_bytes(figure, "png"), "curve.svg": figure_bytes(figure, "svg")}
