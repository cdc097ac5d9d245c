"""A learner's prediction, read and checked against the sweep before anything runs."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from tinkerlab.exceptions import InputError
from tinkerlab.experiment._shape import ORDERED_SHAPES, UNORDERED_SHAPES, Prediction
from tinkerlab.options import spell

if TYPE_CHECKING:
    from tinkerlab.experiment._knob_kinds import Sweep


def check_prediction(prediction: Prediction | None, sweep: Sweep) -> Prediction | None:
    """The prediction with its best value read as a knob value, or an error saying why not."""
    if prediction is None or prediction.is_empty():
        return None
    shapes = ORDERED_SHAPES if sweep.ordered else UNORDERED_SHAPES
    shape = prediction.shape
    if shape is not None:
        shape = str(shape).strip().lower()
        if shape not in shapes:
            order = "ordered values" if sweep.ordered else "values without an order"
            raise InputError(
                f"A prediction for '{sweep.knob}' ({order}) is one of {', '.join(shapes)}. "
                f"Got {prediction.shape!r} instead. Fix: {spell('predict', shapes[0])}"
            )
    best = prediction.best
    if best is not None:
        best = _prediction_value(best, sweep)
    score = prediction.score
    if score is not None:
        if isinstance(score, str):
            try:
                score = float(score)
            except ValueError:
                raise InputError(f"A score guess is a number, like 0.8. Got {score!r}.") from None
        if (
            isinstance(score, bool)
            or not isinstance(score, int | float)
            or not math.isfinite(score)
        ):
            raise InputError(f"A score guess is a number, like 0.8. Got {score!r}.")
        score = float(score)
    return Prediction(shape=shape, best=best, score=score)


def _prediction_value(value: Any, sweep: Sweep) -> Any:
    """A best-value guess, read like the knob's values (a number may lie between them)."""
    if sweep.numeric_axis:
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise InputError(
                    f"A best-value guess for '{sweep.knob}' is a number. Got {value!r}. "
                    f"Fix: {spell('predict_best', sweep.points[len(sweep.points) // 2].label)}"
                ) from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(f"A best-value guess for '{sweep.knob}' is a number. Got {value!r}.")
        return int(value) if float(value).is_integer() else float(value)
    labels = {p.label.lower(): p.value for p in sweep.points}
    for p in sweep.points:
        if p.value is not None:
            labels.setdefault(str(p.value).lower(), p.value)
    key = str(value).strip().lower()
    if key not in labels:
        raise InputError(
            f"The best-value guess {value!r} is not one of the values swept: "
            f"{', '.join(p.label for p in sweep.points)}. "
            f"Fix: {spell('predict_best', sweep.points[0].label)}"
        )
    return labels[key]
