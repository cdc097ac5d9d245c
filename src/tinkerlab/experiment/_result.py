"""An experiment's result: every value's fold scores, what they show, and how it reads.

:class:`Experiment` is what :func:`~tinkerlab.experiment.tinker` returns: the points
(:class:`PointResult`: one value's scores on every paired fold), the :class:`Summary`
(best, ties, the verdict against the default, the curve's shape, the scored prediction;
computed by :func:`~tinkerlab.experiment._summary.summarize`), a table, a plot, JSON, and
HTML for Jupyter.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tinkerlab.experiment._shape import Prediction, Shape
from tinkerlab.experiment._stats import ALPHA, METHOD, TestResult

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from tinkerlab.experiment._knob_kinds import Sweep
    from tinkerlab.recipe import Metric, Recipe


@dataclass
class PointResult:
    """One value's scores on every fold."""

    position: int  # index in the sweep
    value: Any  # the knob's value
    label: str  # as shown
    train: dict[str, list[float]]  # metric -> score per fold, on the rows fitted on
    test: dict[str, list[float]]  # metric -> score per fold, on the validation rows
    fit_time: float  # mean seconds to fit, per fold
    n_train: float  # mean rows fitted on, per fold
    n_test: float  # mean rows validated on, per fold
    notices: list[str] = field(default_factory=list)  # warnings and failed folds

    def to_dict(self) -> dict[str, Any]:
        """JSON-able (NaN stays NaN here; the journal stores it as null)."""
        return {
            "position": self.position,
            "value": self.value,
            "label": self.label,
            "train": self.train,
            "test": self.test,
            "fit_time": self.fit_time,
            "n_train": self.n_train,
            "n_test": self.n_test,
            "notices": list(self.notices),
        }

    @classmethod
    def from_stored(cls, stored: Any) -> PointResult:
        """Rebuild a point from the journal's record (None scores are NaN again)."""

        def floats(table: Mapping[str, Sequence[float | None]]) -> dict[str, list[float]]:
            return {k: [math.nan if v is None else float(v) for v in vs] for k, vs in table.items()}

        return cls(
            position=int(stored.position),
            value=stored.value,
            label=str(stored.label),
            train=floats(stored.train),
            test=floats(stored.test),
            fit_time=float(stored.fit_time),
            n_train=float(stored.n_train),
            n_test=float(stored.n_test),
            notices=list(stored.notices),
        )


@dataclass(frozen=True)
class Summary:
    """What the sweep found."""

    best: int | None  # position of the best mean validation score (None: nothing fitted)
    tied: tuple[int, ...]  # positions statistically indistinguishable from the best
    verdict: TestResult | None  # best against the reference; None when the best is it
    shape: Shape  # the curve's shape, or "too noisy to tell"
    best_interval: tuple[float, float]  # the best's mean validation score: CI at 1 - alpha
    prediction_score: dict[str, Any] | None  # see score_prediction
    alpha: float = ALPHA  # the level every test of this summary was taken at


@dataclass
class Experiment:
    """The result of a sweep: a table, a plot, the best value and a verdict.

    Attributes
    ----------
    best : value
        The knob value with the best mean validation score.
    frame : pandas.DataFrame
        One row per value: train and CV mean and std, fit time, and marks.
    summary : Summary
        Best, ties, the verdict against the default, the curve's shape, the scored
        prediction.
    """

    recipe: Recipe  # the untouched recipe
    sweep: Sweep  # the knob, its values and their recipes
    metric: Metric  # the score shown and tested
    points: list[PointResult]  # in sweep order
    repeats: int  # repeats of the k-fold split
    engine: str  # where it ran
    prediction: Prediction | None = None
    status: str = "finished"
    id: int | None = None  # the journal's id, when recorded
    plot_paths: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    elapsed: float = 0.0  # seconds of wall time spent fitting (this session)
    baseline: np.ndarray | None = None  # (folds,) the dummy model's validation score
    majority: float | None = None  # share of the commonest class (classification)
    #: What the detectors found (``tinkerlab.insight.Finding``), when they were run.
    phenomena: list[Any] = field(default_factory=list)
    unlocked: list[str] = field(default_factory=list)  # theory cards this experiment unlocked
    #: The level of this look's tests: 0.05, or the sequential design's nominal level.
    alpha: float = ALPHA
    #: How the repeats were chosen when they were adaptive (looks, levels, decision).
    sequential: dict[str, Any] | None = None
    #: Learning curves: a flexible reference model's validation score per fold at the
    #: largest training size (``experiment._reference``), which tells bias from noise.
    flexible: np.ndarray | None = None
    #: The rows the folds were drawn from, with the target (for the detectors' data
    #: checks: a column that gives the answer away); not stored, not shown.
    training_frame: Any = field(default=None, repr=False, compare=False)

    summary: Summary = field(init=False)  # computed from the points

    def __post_init__(self) -> None:
        from tinkerlab.experiment._summary import summarize

        self.summary = summarize(self)

    # --- what people read ----------------------------------------------------------------

    @property
    def knob(self) -> str:
        """The knob's name."""
        return self.sweep.knob

    @property
    def best(self) -> Any:
        """The value with the best mean validation score (None if nothing could be fitted)."""
        return None if self.summary.best is None else self.points[self.summary.best].value

    @property
    def n_classes(self) -> int | None:
        """Classes of the target (classification, when the rows are at hand)."""
        frame = self.training_frame
        if self.recipe.task != "classification" or frame is None:
            return None
        return int(frame[self.recipe.target].nunique())

    @property
    def higher_is_better(self) -> bool:
        """Whether a larger value of the metric is better (accuracy) or worse (RMSE)."""
        return self.metric.higher_is_better

    @property
    def frame(self) -> pd.DataFrame:
        """One row per value: ``value, label, train_mean, train_std, cv_mean, cv_std,
        fit_time, n_folds, is_default, is_best, tied_with_best``."""
        import pandas as pd

        name = self.metric.name
        rows = []
        for p in self.points:
            train = np.asarray(p.train[name], dtype=float)  # (folds,)
            test = np.asarray(p.test[name], dtype=float)  # (folds,)
            rows.append(
                {
                    "value": p.value,
                    "label": p.label,
                    "train_mean": _mean(train),
                    "train_std": _std(train),
                    "cv_mean": _mean(test),
                    "cv_std": _std(test),
                    "fit_time": p.fit_time,
                    "n_folds": int(np.sum(np.isfinite(test))),
                    "is_default": p.position == self.sweep.reference,
                    "is_best": p.position == self.summary.best,
                    "tied_with_best": p.position in self.summary.tied,
                }
            )
        frame = pd.DataFrame(rows)
        if not self.sweep.numeric_axis:  # names and None stay as they are (no NaN, no str)
            frame["value"] = pd.Series([p.value for p in self.points], dtype=object)
        return frame

    def verdict_text(self) -> str:
        """The best value and whether its lead over the reference is beyond noise."""
        s, sweep = self.summary, self.sweep
        if s.best is None:
            return "No value could be fitted; see the notices."
        best = self.points[s.best]
        name = self.metric.name
        mean = _mean(np.asarray(best.test[name], dtype=float))
        head = f"Best: {sweep.knob} = {best.label} ({name} {mean:.4f})."
        if s.verdict is None:
            return (
                f"{head} It is the point of comparison ({sweep.reference_reason}): no other "
                f"value scores better ({METHOD})."
            )
        v = s.verdict  # oriented so that positive means "better than the reference"
        reference = self.points[sweep.reference].label
        direction = "higher" if self.higher_is_better else "lower"
        lead = (
            f"Against {reference} ({sweep.reference_reason}): {abs(v.mean_diff):.4f} "
            f"{direction if v.mean_diff >= 0 else 'worse'} "
            f"({100 * v.confidence:.3g}% CI of the gain {v.ci_low:+.4f} to {v.ci_high:+.4f}, "
            f"p = {v.p_value:.3g})"
        )
        judgement = (
            "beyond noise: a real lead"
            if v.significant(s.alpha)
            else "within noise: not a reliable improvement"
        )
        return f"{head} {lead}: {judgement} ({METHOD}, alpha = {s.alpha:.3g})."

    def plot(self) -> Figure:
        """The curve: train and validation means with ± std bands, default, best, prediction."""
        from tinkerlab.experiment._plots import plot_experiment

        return plot_experiment(self)

    def to_dict(self) -> dict[str, Any]:
        """Everything JSON can hold (what ``--json`` prints)."""
        s = self.summary
        frame = self.frame
        return {
            "id": self.id,
            "status": self.status,
            "dataset": self.recipe.dataset,
            "task": self.recipe.task,
            "model": self.recipe.model,
            "knob": self.sweep.knob,
            "knob_kind": self.sweep.kind.name,
            "mode": self.sweep.mode,
            "metric": self.metric.name,
            "higher_is_better": self.higher_is_better,
            "repeats": self.repeats,
            "folds": self.repeats * self.recipe.cv_folds,
            "engine": self.engine,
            "default": self.sweep.default,
            "reference": self.points[self.sweep.reference].value,
            "reference_reason": self.sweep.reference_reason,
            "points": [
                {**row, "value": p.value}
                for row, p in zip(_records(frame.drop(columns=["value"])), self.points, strict=True)
            ],
            "best": self.best,
            "best_label": None if s.best is None else self.points[s.best].label,
            "tied_with_best": [self.points[i].value for i in s.tied],
            "verdict": None if s.verdict is None else _test_dict(s.verdict, s.alpha),
            "verdict_text": self.verdict_text(),
            "method": METHOD,
            "shape": s.shape.shape,
            "shape_reason": s.shape.reason,
            "shape_also": list(s.shape.also),
            "alpha": s.alpha,
            "sequential": self.sequential,
            "prediction": None if self.prediction is None else self.prediction.to_dict(),
            "prediction_score": s.prediction_score,
            "notices": [*self.sweep.notices, *self.notices],
            "plots": [str(p) for p in self.plot_paths],
            "baseline": None if self.baseline is None else _floats(self.baseline),
            "majority": self.majority,
            "n_classes": self.n_classes,
            "flexible": None if self.flexible is None else _floats(self.flexible),
            "phenomena": [f.to_dict() for f in self.phenomena],
            "unlocked_cards": list(self.unlocked),
        }

    def _repr_html_(self) -> str:
        frame = self.frame
        shown = frame[["label", "train_mean", "cv_mean", "cv_std", "fit_time"]].copy()
        shown.columns = [self.sweep.knob, "train", "CV mean", "CV std", "fit time (s)"]
        marks = [
            ("★ best " if r.is_best else "") + ("◆ default" if r.is_default else "")
            for r in frame.itertuples()
        ]
        shown[""] = marks
        table = shown.to_html(index=False, float_format=lambda v: f"{v:.4f}", escape=True)
        png = base64.b64encode(_png(self.plot())).decode("ascii")
        title = html.escape(
            f"Experiment{f' #{self.id}' if self.id else ''}: {self.sweep.knob_label()} "
            f"on {self.recipe.dataset} ({self.recipe.model}, {self.metric.name}, "
            f"{self.repeats}×{self.recipe.cv_folds} paired folds)"
        )
        lines = [
            self.verdict_text(),
            f"Shape: {self.summary.shape.shape} ({self.summary.shape.reason}).",
        ]
        if self.sequential is not None:
            lines.append(f"Repeats: {self.sequential['text']}.")
        if self.prediction is not None and not self.prediction.is_empty():
            lines.append(prediction_text(self))
        body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
        return (
            f"<div><h4>{title}</h4>{table}{body}"
            f'<img alt="curve" src="data:image/png;base64,{png}"/></div>'
        )

    def __repr__(self) -> str:
        return (
            f"Experiment(id={self.id}, knob={self.sweep.knob!r}, values={len(self.points)}, "
            f"best={self.best!r}, shape={self.summary.shape.shape!r})"
        )


def prediction_text(experiment: Experiment) -> str:
    """The prediction and how it scored, in one line."""
    p, score = experiment.prediction, experiment.summary.prediction_score
    if p is None or p.is_empty() or score is None:
        return "No prediction was made."
    parts = []
    if p.shape is not None:
        observed = score["observed_shape"]
        if score.get("shape_undecided"):
            parts.append(
                f"you predicted {p.shape}; the curve is {observed}, and the data cannot tell "
                f"it from a {p.shape} (not scored)"
            )
        elif score["shape_hit"] is None:
            parts.append(f"you predicted {p.shape}; the curve is {observed} (not scored)")
        else:
            mark = "✓ right" if score["shape_hit"] else "✗ wrong"
            parts.append(f"you predicted {p.shape}, it was {observed}: {mark}")
    if p.best is not None:
        mark = "✓" if score["best_hit"] else "✗"
        close = score.get("best_closeness")
        extra = f", closeness {close:.2f}" if close is not None else ""
        parts.append(f"best guess {_label(p.best)} {mark} (best or tied with it{extra})")
    if p.score is not None and score["score_error"] is not None:
        mark = "✓ inside" if score["score_in_interval"] else "✗ outside"
        parts.append(
            f"score guess {p.score:g} is off by {score['score_error']:.4f}, {mark} the best's "
            "95% interval"
        )
    return "Prediction: " + "; ".join(parts) + "."


# --- small helpers -------------------------------------------------------------------------


def _floats(x: np.ndarray) -> list[float | None]:
    """JSON-able scores: NaN becomes None."""
    return [float(v) if np.isfinite(v) else None for v in x]


def _mean(x: np.ndarray) -> float:
    finite = x[np.isfinite(x)]
    return float(finite.mean()) if finite.size else math.nan


def _std(x: np.ndarray) -> float:
    finite = x[np.isfinite(x)]
    return float(finite.std()) if finite.size else math.nan


def _label(value: Any) -> str:
    from tinkerlab.experiment._knob_kinds import value_text

    return value_text(value)


def _test_dict(result: TestResult, alpha: float = ALPHA) -> dict[str, Any]:
    return {
        "mean_diff": result.mean_diff,
        "t": result.t if math.isfinite(result.t) else None,
        "p_value": result.p_value,
        "ci_low": result.ci_low,
        "ci_high": result.ci_high,
        "confidence": result.confidence,
        "n_folds": result.n_folds,
        "method": result.method,
        "significant": result.significant(alpha),
    }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in frame.to_dict(orient="records"):
        out.append(
            {
                str(k): (None if isinstance(v, float) and not math.isfinite(v) else _plain(v))
                for k, v in row.items()
            }
        )
    return out


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _png(figure: Figure) -> bytes:
    from tinkerlab.experiment._plots import figure_bytes

    return figure_bytes(figure, "png")
