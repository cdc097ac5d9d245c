"""The shape of a curve, told apart from noise, and a prediction scored against it.

The learner predicts how the validation score moves as the knob grows: **up**, **down**,
**peak** (rises then falls), **valley** (falls then rises) or **flat**. For knobs whose
values have no order (features, model, scaling, a choice) the vocabulary is **flat** or
**differs**. After the sweep, :func:`classify_shape` decides what happened, using the
corrected resampled t-test between points (their fold scores are paired), so a wiggle the
size of the fold-to-fold spread is not mistaken for a shape:

1. Test the best point against every other. When none is worse beyond noise (every value
   is tied with the best, as the table's ≈ marks say): **flat** when the confidence
   interval of the best-against-worst difference lies within ±``tolerance`` (a change
   smaller than that is ruled out), otherwise **too noisy to tell**. Otherwise the far
   end is the worst of the points that are worse beyond noise.
2. **peak**: the highest point is inside the range and significantly above both ends.
   **valley**: the lowest point is inside and significantly below both ends. (Both: the
   larger of the two.)
3. Otherwise it moves one way: **up** when the highest point comes after the lowest,
   **down** when it comes before (a rise that levels off is "up", a plateau that then
   falls is "down"). When the top lies inside the range and its other side is neither
   beyond noise nor within the tolerance, a peak cannot be ruled out: the shape says so
   (``Shape.also``), and a prediction of "peak" is then not scored rather than called
   wrong (likewise a valley).

Unordered knobs: step 1, then **differs** if the highest and lowest differ significantly.

>>> import numpy as np
>>> folds = [np.array([0.60, 0.62, 0.61, 0.63, 0.60, 0.62]) + d for d in (0, 0.1, 0.2)]
>>> classify_shape(folds, n_train=80, n_test=20, ordered=True).shape
'up'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tinkerlab.experiment._stats import ALPHA, TestResult, paired_points_test

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
    #: Other shapes the data cannot tell apart from this one (a "down" whose rise before
    #: the top is within noise may be a peak): a prediction of one is not scored.
    also: tuple[str, ...] = ()


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
    higher_is_better: bool = True,
) -> Shape:
    """Classify the curve through *folds* (one array of paired fold scores per point).

    ``n_train`` and ``n_test`` are the rows behind each point's correction term, per
    point or for all (:func:`~tinkerlab.experiment._stats.design_rows`); a pair of points
    is tested with the larger validation/training ratio of the two (the more cautious
    correction). Every test is at level *alpha*, every interval at ``1 - alpha``.
    *labels* name the points in the reason.
    """
    count = len(folds)
    train = _per_point(n_train, count)
    test = _per_point(n_test, count)
    means = np.array([np.mean(f) for f in folds])  # (points,)
    if not np.all(np.isfinite(means)):
        return Shape(NOISY, "some values could not be fitted, so the curve has gaps")

    def compare(i: int, j: int) -> TestResult:
        return paired_points_test(
            folds[i], folds[j], (train[i], test[i]), (train[j], test[j]), confidence=1 - alpha
        )

    hi, lo, spread = _extremes(compare, means, higher_is_better, alpha)
    level = f"{100 * (1 - alpha):.3g}%"
    if not spread.significant(alpha):
        bound = max(abs(spread.ci_low), abs(spread.ci_high))
        if bound <= tolerance:
            return Shape(
                "flat",
                f"highest and lowest differ by {spread.mean_diff:.3g} "
                f"({level} CI up to {bound:.3g}, within ±{tolerance:.3g})",
            )
        return Shape(
            NOISY,
            f"highest and lowest differ by {spread.mean_diff:.3g} (p = {spread.p_value:.2g}), "
            f"but the {level} CI reaches {bound:.3g}: a change beyond ±{tolerance:.3g} "
            "can be neither seen nor ruled out",
        )
    if not ordered:
        return Shape(
            "differs", f"highest beats lowest by {spread.mean_diff:.3g} (p = {spread.p_value:.2g})"
        )
    return _ordered_shape(compare, hi, lo, count, spread, tolerance, alpha, labels)


def _extremes(
    compare: Callable[[int, int], TestResult],
    means: np.ndarray,
    higher_is_better: bool,
    alpha: float,
) -> tuple[int, int, TestResult]:
    """The highest and lowest points of the curve, and the test between them.

    The curve moves when some point is worse than the best beyond noise: exactly when
    the table marks some value without ≈ (tied with the best). The far end is then the
    worst of those, so the words agree with the marks; when every point is tied, the
    worst point overall.
    """
    sign = 1.0 if higher_is_better else -1.0
    best = int(np.argmax(sign * means))
    tests = {i: compare(best, i) for i in range(len(means)) if i != best}
    worse = [i for i, t in tests.items() if t.significant(alpha) and sign * t.mean_diff > 0]
    pool = worse or list(tests)
    worst = min(pool, key=lambda i: (sign * means[i], i))
    hi, lo = (best, worst) if higher_is_better else (worst, best)
    return hi, lo, compare(hi, lo)


def _ordered_shape(
    compare: Callable[[int, int], TestResult],
    hi: int,
    lo: int,
    count: int,
    spread: TestResult,
    tolerance: float,
    alpha: float,
    labels: Sequence[str] | None,
) -> Shape:
    """Peak, valley, up or down for a curve whose highest and lowest points differ."""
    first, last = 0, count - 1

    def _at(i: int) -> str:
        return f"at {labels[i]}" if labels is not None else f"point {i + 1} of {count}"

    def side(i: int, end: int, sign: float) -> str:
        """How point *i* stands against *end*: "clear" (sign-wise beyond noise), "same"
        (within ±tolerance) or "open" (neither)."""
        t = compare(i, end)
        if t.significant(alpha) and sign * t.mean_diff > 0:
            return "clear"
        if max(abs(t.ci_low), abs(t.ci_high)) <= tolerance or sign * t.mean_diff <= 0:
            return "same"
        return "open"

    peak = [side(hi, e, 1.0) for e in (first, last)] if first < hi < last else ["same"]
    valley = [side(lo, e, -1.0) for e in (first, last)] if first < lo < last else ["same"]
    candidates: list[tuple[float, Shape]] = []
    if all(s == "clear" for s in peak):
        a, b = compare(hi, first), compare(hi, last)
        reason = (
            f"the top ({_at(hi)}) is {a.mean_diff:.3g} above the first value and "
            f"{b.mean_diff:.3g} above the last (p = {a.p_value:.2g}, {b.p_value:.2g})"
        )
        candidates.append((min(a.mean_diff, b.mean_diff), Shape("peak", reason)))
    if all(s == "clear" for s in valley):
        a, b = compare(lo, first), compare(lo, last)
        reason = (
            f"the bottom ({_at(lo)}) is {-a.mean_diff:.3g} below the first value and "
            f"{-b.mean_diff:.3g} below the last (p = {a.p_value:.2g}, {b.p_value:.2g})"
        )
        candidates.append((min(-a.mean_diff, -b.mean_diff), Shape("valley", reason)))
    if candidates:
        return max(candidates, key=lambda c: c[0])[1]
    # It moves, not as a peak or valley: the direction from the lowest to the highest point.
    rising = lo < hi
    also = tuple(
        name
        for name, sides in (("peak", peak), ("valley", valley))
        if all(s in ("clear", "open") for s in sides)
    )
    reason = (
        f"the {'highest' if rising else 'lowest'} point ({_at(hi if rising else lo)}) lies "
        f"after the {'lowest' if rising else 'highest'} ({_at(lo if rising else hi)}), "
        f"{spread.mean_diff:.3g} apart (p = {spread.p_value:.2g})"
    )
    if also:
        reason += f"; a {' or '.join(also)} cannot be ruled out (the other side is within noise)"
    return Shape("up" if rising else "down", reason, also)


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
        ``shape_hit`` (None when the curve was too noisy to tell, or when the data
        cannot tell the predicted shape from the one seen: then ``shape_undecided`` is
        True), ``best_hit`` (the guessed value, or the swept value nearest it, is the
        best or statistically tied with it), ``best_closeness`` (1 minus the distance
        from the guess to the best, as a share of the swept span on the knob's axis;
        ordered knobs only), ``score_error`` (|guess - best mean|) and
        ``score_in_interval`` (the guess lies in the best mean's confidence interval (at
        1 - alpha): the calibration-style check of a numeric guess).
    """
    result: dict[str, Any] = {
        "observed_shape": observed.shape,
        "shape_hit": None,
        "shape_undecided": False,
        "best_hit": None,
        "best_closeness": None,
        "score_error": None,
        "score_in_interval": None,
    }
    if prediction.shape is not None and observed.shape != NOISY:
        if prediction.shape in observed.also:  # the data cannot tell it from what was seen
            result["shape_undecided"] = True
        else:
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
