"""The shape of a curve, told apart from noise, and a prediction scored against it.

The learner predicts how the validation score moves as the knob grows: **up**, **down**,
**peak** (rises then falls), **valley** (falls then rises) or **flat**. For knobs whose
values have no order (features, model, scaling, a choice) the vocabulary is **flat** or
**differs**. After the sweep, :func:`classify_shape` decides what happened, using the
corrected resampled t-test between points (their fold scores are paired), so a wiggle the
size of the fold-to-fold spread is not mistaken for a shape:

1. Compare the highest and the lowest point. Not significantly different (p ≥ ``ALPHA``):
   **flat** when the confidence interval of their difference lies within ±``tolerance``
   (a change smaller than that is ruled out), otherwise **too noisy to tell**.
2. **peak**: the highest point is inside the range and significantly above both ends.
   **valley**: the lowest point is inside and significantly below both ends. (Both: the
   larger of the two.)
3. Otherwise it moves one way: **up** when the highest point comes after the lowest,
   **down** when it comes before (a rise that levels off is "up", a plateau that then
   falls is "down").

Unordered knobs: step 1, then **differs** if the highest and lowest differ significantly.

>>> import numpy as np
>>> folds = [np.array([0.60, 0.62, 0.61, 0.63, 0.60, 0.62]) + d for d in (0, 0.1, 0.2)]
>>> classify_shape(folds, n_train=80, n_test=20, ordered=True).shape
'up'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tinkerlab.experiment._stats import ALPHA, TestResult, corrected_resampled_ttest

#: What a learner may predict for a knob with ordered values (numbers on an axis).
ORDERED_SHAPES = ("up", "down", "peak", "valley", "flat")
#: ... and for a knob whose values have no order.
UNORDERED_SHAPES = ("flat", "differs")
#: The outcome when the fold spread hides the shape: the prediction is then not scored.
NOISY = "too noisy to tell"
#: A change smaller than this is "flat": 0.02 on scores within [0, 1] (accuracy, R², AUC...);
#: for errors in the target's units (MAE, RMSE), 2% of their level.
FLAT_TOLERANCE = 0.02


@dataclass(frozen=True)
class Shape:
    """What the curve did, and the evidence in words."""

    shape: str  # one of ORDERED_SHAPES / UNORDERED_SHAPES, or NOISY
    reason: str  # "last is 0.19 above first (p = 0.001)"


def flat_tolerance(metric: str, level: float) -> float:
    """The size of change below which a curve counts as flat (see :data:`FLAT_TOLERANCE`)."""
    if metric in ("mae", "rmse"):
        return FLAT_TOLERANCE * abs(level) if math.isfinite(level) and level else FLAT_TOLERANCE
    return FLAT_TOLERANCE


def classify_shape(
    folds: Sequence[np.ndarray],
    n_train: Sequence[float] | float,
    n_test: Sequence[float] | float,
    *,
    ordered: bool,
    tolerance: float = FLAT_TOLERANCE,
    alpha: float = ALPHA,
    labels: Sequence[str] | None = None,
) -> Shape:
    """Classify the curve through *folds* (one array of paired fold scores per point).

    ``n_train`` and ``n_test`` are the rows fitted and validated on, per point or for
    all; a pair of points is tested with the larger validation/training ratio of the
    two (the more cautious correction). *labels* name the points in the reason.
    """
    count = len(folds)
    train = _per_point(n_train, count)
    test = _per_point(n_test, count)
    means = np.array([np.mean(f) for f in folds])  # (points,)
    if not np.all(np.isfinite(means)):
        return Shape(NOISY, "some values could not be fitted, so the curve has gaps")

    def compare(i: int, j: int) -> TestResult:
        k = i if test[i] / train[i] >= test[j] / train[j] else j  # the more cautious ratio
        return corrected_resampled_ttest(folds[i], folds[j], round(train[k]), round(test[k]))

    hi, lo = int(np.argmax(means)), int(np.argmin(means))

    def _at(i: int) -> str:
        return f"at {labels[i]}" if labels is not None else f"point {i + 1} of {count}"

    spread = compare(hi, lo)
    if not spread.significant(alpha):
        bound = max(abs(spread.ci_low), abs(spread.ci_high))
        if bound <= tolerance:
            return Shape(
                "flat",
                f"highest and lowest differ by {spread.mean_diff:.3g} "
                f"(95% CI up to {bound:.3g}, within ±{tolerance:.3g})",
            )
        return Shape(
            NOISY,
            f"highest and lowest differ by {spread.mean_diff:.3g} (p = {spread.p_value:.2g}), "
            f"but the 95% CI reaches {bound:.3g}: a change beyond ±{tolerance:.3g} "
            "can be neither seen nor ruled out",
        )
    if not ordered:
        return Shape(
            "differs", f"highest beats lowest by {spread.mean_diff:.3g} (p = {spread.p_value:.2g})"
        )
    first, last = 0, count - 1
    candidates: list[tuple[float, Shape]] = []
    if first < hi < last:
        a, b = compare(hi, first), compare(hi, last)
        if a.significant(alpha) and b.significant(alpha) and a.mean_diff > 0 and b.mean_diff > 0:
            margin = min(a.mean_diff, b.mean_diff)
            candidates.append(
                (
                    margin,
                    Shape(
                        "peak",
                        f"the top is {a.mean_diff:.3g} above the first value "
                        f"and {b.mean_diff:.3g} above the last "
                        f"(p = {a.p_value:.2g}, {b.p_value:.2g})",
                    ),
                )
            )
    if first < lo < last:
        a, b = compare(lo, first), compare(lo, last)
        if a.significant(alpha) and b.significant(alpha) and a.mean_diff < 0 and b.mean_diff < 0:
            margin = min(-a.mean_diff, -b.mean_diff)
            candidates.append(
                (
                    margin,
                    Shape(
                        "valley",
                        f"the bottom is {-a.mean_diff:.3g} below the first "
                        f"value and {-b.mean_diff:.3g} below the last "
                        f"(p = {a.p_value:.2g}, {b.p_value:.2g})",
                    ),
                )
            )
    if candidates:
        return max(candidates, key=lambda c: c[0])[1]
    # It moves, not as a peak or valley: the direction from the lowest to the highest point.
    rising = lo < hi
    return Shape(
        "up" if rising else "down",
        f"the {'highest' if rising else 'lowest'} point ({_at(hi if rising else lo)}) lies "
        f"after the {'lowest' if rising else 'highest'} ({_at(lo if rising else hi)}), "
        f"{spread.mean_diff:.3g} apart (p = {spread.p_value:.2g})",
    )


def _per_point(value: Sequence[float] | float, count: int) -> list[float]:
    if isinstance(value, int | float):
        return [float(value)] * count
    return [float(v) for v in value]


# --- predictions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Prediction:
    """What the learner expected, before the run."""

    shape: str | None = None  # one of ORDERED_SHAPES / UNORDERED_SHAPES
    best: Any = None  # the value they expect to score best (checked like a knob value)
    score: float | None = None  # the best validation score they expect

    def is_empty(self) -> bool:
        """Whether nothing was predicted."""
        return self.shape is None and self.best is None and self.score is None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict."""
        return {"shape": self.shape, "best": self.best, "score": self.score}


def score_prediction(
    prediction: Prediction,
    *,
    observed: Shape,
    values: Sequence[Any],
    best: int,
    tied: Sequence[int],
    best_interval: tuple[float, float],
    best_mean: float,
    ordered: bool,
    scale: str,
) -> dict[str, Any]:
    """Score *prediction* against what happened (every entry None when not predicted).

    Returns
    -------
    dict
        ``shape_hit`` (None when the curve was too noisy to tell), ``best_hit`` (the
        guessed value, or the swept value nearest it, is the best or statistically tied
        with it), ``best_closeness`` (1 minus the distance from the guess to the best, as
        a share of the swept span on the knob's axis; ordered knobs only), ``score_error``
        (|guess - best mean|) and ``score_in_interval`` (the guess lies in the best mean's
        95% confidence interval: the calibration-style check of a numeric guess).
    """
    result: dict[str, Any] = {
        "observed_shape": observed.shape,
        "shape_hit": None,
        "best_hit": None,
        "best_closeness": None,
        "score_error": None,
        "score_in_interval": None,
    }
    if prediction.shape is not None and observed.shape != NOISY:
        result["shape_hit"] = prediction.shape == observed.shape
    if prediction.best is not None:
        if ordered and _number(prediction.best):
            axis = [_axis(v, scale) for v in values]
            guess = _axis(prediction.best, scale)
            nearest = int(np.argmin([abs(a - guess) for a in axis]))
            span = max(axis) - min(axis)
            distance = abs(guess - axis[best]) / span if span else 0.0
            result["best_hit"] = nearest in tied
            result["best_closeness"] = round(max(0.0, 1.0 - distance), 4)
        else:
            matches = [i for i, v in enumerate(values) if v == prediction.best]
            result["best_hit"] = bool(matches) and matches[0] in tied
    if prediction.score is not None and math.isfinite(best_mean):
        result["score_error"] = round(abs(prediction.score - best_mean), 6)
        low, high = best_interval
        result["score_in_interval"] = bool(low <= prediction.score <= high)
    return result


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _axis(value: float, scale: str) -> float:
    return math.log10(value) if scale == "log" and value > 0 else float(value)
