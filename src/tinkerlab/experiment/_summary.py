"""What a finished sweep found: the best value, the values tied with it, the verdict
against the reference, the curve's shape and the scored prediction.

Every comparison here is the corrected resampled t-test between two points' paired fold
scores, with each point's correction taken from the split's design
(:func:`~tinkerlab.experiment._stats.design_rows`), at the experiment's level ``alpha``
(0.05, or a sequential look's nominal level). :func:`ties_with_best` is the one place
that decides "tied with the best": the table's ≈ marks and the detectors read it, so the
marks and the words cannot disagree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from tinkerlab.experiment._shape import NOISY, Shape, classify_shape, flat_tolerance
from tinkerlab.experiment._shape import score_prediction as _score_prediction
from tinkerlab.experiment._stats import ALPHA, TestResult, mean_interval, paired_points_test

if TYPE_CHECKING:
    from tinkerlab.experiment._result import Experiment, Summary


class Curve:
    """Oriented fold scores (higher is better) of the fitted points, and their tests."""

    def __init__(
        self,
        folds: Sequence[np.ndarray],
        rows: tuple[np.ndarray, np.ndarray],
        *,
        higher_is_better: bool = True,
        alpha: float = ALPHA,
    ) -> None:
        self.sign = 1.0 if higher_is_better else -1.0
        self.folds = [self.sign * np.asarray(f, dtype=float) for f in folds]  # (points, folds)
        self.train_rows, self.test_rows = rows  # (points,) each: the correction's rows
        self.alpha = alpha
        self.usable = [i for i, f in enumerate(self.folds) if f.size and np.all(np.isfinite(f))]

    def test(self, i: int, j: int) -> TestResult:
        """Point *i* against point *j*, positive when *i* is better."""
        return paired_points_test(
            self.folds[i],
            self.folds[j],
            (self.train_rows[i], self.test_rows[i]),
            (self.train_rows[j], self.test_rows[j]),
            confidence=1 - self.alpha,
        )

    def best(self) -> int:
        """The usable point with the best mean score (the first of equals)."""
        return max(self.usable, key=lambda i: (float(np.mean(self.folds[i])), -i))


def ties_with_best(curve: Curve, best: int) -> tuple[int, ...]:
    """The usable points not significantly worse than *best* (itself included).

    One test per point against the best at the curve's level, with no correction for
    multiple comparisons: it marks ties generously.
    """
    return tuple(
        i for i in curve.usable if i == best or not curve.test(i, best).significant(curve.alpha)
    )


def summarize(experiment: Experiment) -> Summary:
    """Best, ties, verdict, shape and the scored prediction of a finished sweep."""
    from tinkerlab.experiment._result import Summary
    from tinkerlab.experiment._stats import design_rows

    name = experiment.metric.name
    points, sweep = experiment.points, experiment.sweep
    raw = [np.asarray(p.test[name], dtype=float) for p in points]  # (points, folds)
    rows = design_rows(
        sweep.kind.name,
        [p.value for p in points],
        [p.n_train for p in points],
        [p.n_test for p in points],
    )
    alpha = experiment.alpha
    curve = Curve(raw, rows, higher_is_better=experiment.metric.higher_is_better, alpha=alpha)
    usable = curve.usable
    if not usable:
        nothing = Shape(NOISY, "no value could be fitted")
        return Summary(None, (), None, nothing, (math.nan, math.nan), None, alpha)
    best = curve.best()
    tied = ties_with_best(curve, best)
    reference = sweep.reference
    verdict = curve.test(best, reference) if best != reference and reference in usable else None
    shape = curve_shape(experiment, curve, raw, rows)
    interval = mean_interval(
        raw[best], round(rows[0][best]), round(rows[1][best]), confidence=1 - alpha
    )
    scored = None
    if experiment.prediction is not None:
        scored = _score_prediction(
            experiment.prediction,
            observed=shape,
            values=sweep.values,
            best=best,
            tied=tied,
            best_interval=interval,
            best_mean=float(np.mean(raw[best])),
            ordered=sweep.ordered,
            scale=sweep.scale,
        )
    return Summary(best, tied, verdict, shape, interval, scored, alpha)


def curve_shape(
    experiment: Experiment,
    curve: Curve,
    raw: list[np.ndarray],
    rows: tuple[np.ndarray, np.ndarray],
) -> Shape:
    """The shape of the fitted part of the curve (unfitted values leave a gap)."""
    usable = curve.usable
    if len(usable) < 2:
        return Shape(NOISY, "fewer than two values could be fitted")
    name = experiment.metric.name
    level = float(np.nanmean([np.mean(raw[i]) for i in usable]))
    return classify_shape(
        [raw[i] for i in usable],
        [float(rows[0][i]) for i in usable],
        [float(rows[1][i]) for i in usable],
        ordered=experiment.sweep.ordered,
        tolerance=flat_tolerance(name, level),
        alpha=curve.alpha,
        labels=[experiment.points[i].label for i in usable],
        higher_is_better=experiment.metric.higher_is_better,
    )
