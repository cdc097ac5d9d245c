"""The knobs as data: what each special knob changes, the default sweeps of the registry's
parameters, the :class:`Point` and :class:`Sweep` a plan is made of, and the arithmetic of
spacing values on an axis (linear or log) that every kind of sweep shares.

:func:`~tinkerlab.experiment._knobs.plan_sweep` reads these tables; the sweeps of each
kind of knob are built in ``_knob_sweeps.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from tinkerlab.exceptions import RecipeError
from tinkerlab.options import fix, name_of, spell

if TYPE_CHECKING:
    from tinkerlab.recipe import Recipe

Scale = Literal["linear", "log"]
ValueType = Literal["int", "float", "choice", "bool", "column", "model", "switch"]
Mode = Literal["drop-one", "add-one"]


@dataclass(frozen=True)
class KnobKind:
    """What kind of thing a knob changes, and how its values are swept."""

    name: str  # "param" for a model parameter, else the special knob's own name
    help: str  # one plain sentence: what turning it changes
    value_type: ValueType  # how a value is read from the command line
    ordered: bool  # values lie on an axis: the curve has a shape (up, down, peak...)
    low: float | None = None  # smallest allowed value (numbers), inclusive
    high: float | None = None  # largest allowed value, inclusive
    low_open: bool = False  # the low end itself is not allowed (train_size 0 trains nothing)
    scale: Scale = "linear"  # how a range a:b is spaced
    sweep: tuple[float, float, int] | None = None  # default range: (low, high, steps)
    default: Any = None  # the value an untouched recipe has (None: read from the recipe)


#: The special knobs, by name. Registry parameters have kind ``PARAM``.
SPECIAL_KNOBS: dict[str, KnobKind] = {
    kind.name: kind
    for kind in [
        KnobKind(
            "train_size",
            "Share of each training fold the model learns from (a learning curve); "
            "subsampled with the seed, stratified by class.",
            "float",
            ordered=True,
            low=0.0,
            high=1.0,
            low_open=True,
            sweep=(0.1, 1.0, 8),
            default=1.0,
        ),
        KnobKind(
            "features",
            "Which columns the model sees: drop one at a time (drop-one ablation), or "
            "use one at a time (add-one).",
            "column",
            ordered=False,
        ),
        KnobKind(
            "model",
            "Which model learns, each with its registry defaults.",
            "model",
            ordered=False,
        ),
        KnobKind(
            "seed",
            "The model's own randomness (random_state); the folds stay the same, so their "
            "spread shows the split's randomness beside it.",
            "int",
            ordered=True,
            low=0,
            high=2**32 - 1,
        ),
        KnobKind(
            "label_noise",
            "Share of training-fold labels flipped to another class (regression: Gaussian "
            "noise of this many target standard deviations); validation labels stay clean.",
            "float",
            ordered=True,
            low=0.0,
            high=1.0,
            sweep=(0.0, 0.4, 5),
            default=0.0,
        ),
        KnobKind(
            "feature_noise",
            "Gaussian noise added to every numeric feature, in standard deviations of that "
            "column, on training and validation rows alike.",
            "float",
            ordered=True,
            low=0.0,
            high=10.0,
            sweep=(0.0, 2.0, 6),
            default=0.0,
        ),
        KnobKind(
            "scaling",
            "Whether numeric columns are standardised (mean 0, std 1) before the model.",
            "switch",
            ordered=False,
        ),
        KnobKind(
            "text_features",
            "How free-text columns become numbers: TF-IDF word weights learnt from the "
            "training rows, frozen MiniLM sentence embeddings (transfer learning), or "
            "VADER's sentiment scores; a curve in the order listed (--predict up: each "
            "beats the one before).",
            "choice",
            ordered=True,
        ),
        KnobKind(
            "add_feature",
            "A new feature beside the columns: log:COL, sqrt:COL, bins:COL=K, poly:D, inter, "
            "date:COL or len:COL, against none (the recipe as it is).",
            "choice",
            ordered=False,
        ),
        KnobKind(
            "test_size",
            "Share of rows held out for testing, over repeated random hold-out splits of the "
            "whole table: how the estimate's spread grows as the test set shrinks.",
            "float",
            ordered=True,
            low=0.05,
            high=0.5,
            sweep=(0.1, 0.5, 5),
        ),
    ]
}

#: The kind of every registry parameter.
PARAM = KnobKind(
    "param", "A parameter of the model (see `tinkerlab models NAME`).", "float", ordered=True
)

#: Default sweeps of registry parameters: (low, high, steps), spaced by the knob's scale.
#: Keyed "model.knob" where a name means different things in different models, else "knob".
#: A parameter missing here sweeps its registry range (linear) or the default ×/÷ 100 (log).
PARAM_SWEEPS: dict[str, tuple[float, float, int]] = {
    "max_depth": (1, 20, 10),
    "min_samples_leaf": (1, 100, 8),
    "min_samples_split": (2, 200, 8),
    "n_estimators": (1, 300, 8),
    "gradient_boosting.learning_rate": (0.001, 1.0, 7),
    "learning_rate": (0.001, 10.0, 9),
    "gradient_boosting.max_iter": (10, 300, 8),
    "max_iter": (1, 1000, 7),
    "max_leaf_nodes": (2, 256, 8),
    "l2_regularization": (0.0, 10.0, 6),
    "C": (1e-3, 1e3, 7),
    "alpha": (1e-3, 1e3, 7),
    "n_neighbors": (1, 50, 10),
    "p": (1, 2, 2),
    "gamma": (1e-4, 10.0, 6),
    "var_smoothing": (1e-12, 1e-1, 7),
}

#: Default number of values for a range given without --steps.
DEFAULT_STEPS = 8
#: An int range this short (linear) gets every integer: --range 1:20 is 1, 2, ..., 20.
MAX_EVERY_INT = 25
#: The scaling knob's two values and what they mean for the recipe's preprocessing.
SCALING = {"on": "standard", "off": "none"}
#: How the reference point of a feature sweep is shown (its value is None).
ALL_FEATURES, NO_FEATURES = "(all)", "(none)"


@dataclass(frozen=True)
class Point:
    """One value of the sweep: the recipe to fit, and the changes to make to the data."""

    position: int  # index in the sweep, 0-based
    value: Any  # the knob's value, JSON-able (None is the reference of a feature sweep)
    label: str  # how tables and plots show it: "5", "without Age", "(all)"
    recipe: Recipe  # the model, its parameters, the columns and preprocessing for this value
    train_fraction: float = 1.0  # share of each training fold used (train_size)
    label_noise: float = 0.0  # share of training labels flipped / noise in target stds
    feature_noise: float = 0.0  # Gaussian noise in numeric features, in column stds
    test_size: float | None = None  # repeated hold-out splits of this share instead of folds


@dataclass(frozen=True)
class Sweep:
    """Every point of an experiment, and how to read the result."""

    knob: str  # the knob's name: "max_depth", "train_size", "features"...
    kind: KnobKind  # SPECIAL_KNOBS[knob], or PARAM
    values: tuple[Any, ...]  # in sweep order (ascending for ordered knobs)
    points: tuple[Point, ...]  # one per value
    default: Any  # the knob's value in the untouched recipe (may lie outside the sweep)
    reference: int  # position the best is tested against: the default, its neighbour, or 0
    reference_reason: str  # "the default", "the value nearest the default (None)", ...
    ordered: bool  # whether the values lie on an axis (a curve with a shape)
    scale: Scale  # spacing of the axis, for plots and for scoring numeric guesses
    mode: Mode | None = None  # features only
    notices: tuple[str, ...] = field(default=())  # decisions the user should know about

    @property
    def numeric_axis(self) -> bool:
        """Whether the values are numbers on an axis (else names, shown as categories; an
        ordered knob of names, such as text_features, is read in the order listed)."""
        return self.ordered and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in self.values
        )

    @property
    def labels(self) -> list[str]:
        """Every point's label, in order."""
        return [p.label for p in self.points]

    def knob_label(self) -> str:
        """The knob as a heading: ``max_depth`` or ``features (drop-one)``."""
        return f"{self.knob} ({self.mode})" if self.mode else self.knob


# --- shared helpers ----------------------------------------------------------------------


def finish(
    knob: str,
    kind: KnobKind,
    values: list[Any],
    points: tuple[Point, ...],
    default: Any,
    reference: int,
    reason: str,
    ordered: bool,
    scale: Scale,
    mode: Mode | None,
    notices: list[str],
) -> Sweep:
    if len(points) < 2:
        shown = ", ".join(p.label for p in points) or "none"
        raise RecipeError(
            f"A sweep needs at least two values of '{knob}' to compare; got {shown}. "
            f"Fix: {spell('values')}, or {fix(('span', (1, 20)), ('steps', 5))}"
        )
    return Sweep(
        knob=knob,
        kind=kind,
        values=tuple(values),
        points=points,
        default=default,
        reference=reference,
        reference_reason=reason,
        ordered=ordered,
        scale=scale,
        mode=mode,
        notices=tuple(notices),
    )


def reference_point(
    values: list[Any], default: Any, ordered: bool, scale: Scale
) -> tuple[int, str]:
    """Which point the best is tested against: the default if swept, else its nearest
    neighbour on the knob's axis, else the first value."""
    for i, v in enumerate(values):
        if v == default and type(v) is type(default):
            return i, "the default"
    if ordered and is_number(default):
        axis = [on_axis(v, scale) for v in values]
        target = on_axis(default, scale)
        nearest = int(np.argmin([abs(a - target) for a in axis]))
        return nearest, f"the value nearest the default ({value_text(default)})"
    return 0, f"the first value; the default, {value_text(default)}, is not swept"


def on_axis(value: float, scale: Scale) -> float:
    return math.log10(value) if scale == "log" and value > 0 else float(value)


def range_steps(low: float, high: float, scale: Scale, value_type: str) -> int:
    """How many values a range gets without --steps: every integer of a short int range
    (1:20 is 1, 2, ..., 20), else :data:`DEFAULT_STEPS`."""
    span = high - low + 1
    if value_type == "int" and scale == "linear" and 2 <= span <= MAX_EVERY_INT:
        return int(span)
    return DEFAULT_STEPS


def spaced(
    low: float, high: float, steps: int, scale: Scale, value_type: str, name: str
) -> list[Any]:
    """*steps* values from *low* to *high*, evenly spaced on the linear or log axis."""
    if not isinstance(steps, int) or isinstance(steps, bool) or not 2 <= steps <= 200:
        raise RecipeError(
            f"{name_of('steps')} must be an int in [2, 200]. Got {steps!r} instead. "
            f"Fix: {spell('steps', 8)}"
        )
    if low >= high:
        raise RecipeError(
            f"A range goes from low to high; got {low:g}:{high:g} for '{name}'. "
            f"Fix: {spell('span', (min(low, high), max(low, high)))}"
        )
    if scale == "log":
        if low <= 0:
            raise RecipeError(
                f"'{name}' is spaced on a log scale, which cannot start at {low:g}. "
                f"Fix: {spell('span', (high / 1000, high))}, or {spell('scale', 'linear')}"
            )
        grid = np.geomspace(low, high, steps)  # (steps,)
    else:
        grid = np.linspace(low, high, steps)  # (steps,)
    if value_type == "int":
        return list(dict.fromkeys(int(np.rint(v)) for v in grid))
    return list(dict.fromkeys(float(f"{v:.3g}") for v in grid))  # 0.1857142... -> 0.186


def parse_span(span: str | tuple[float, float], name: str) -> tuple[float, float]:
    if isinstance(span, tuple):
        parts: list[Any] = list(span)
    else:
        parts = span.split(":")
    try:
        if len(parts) != 2:
            raise ValueError(span)
        low, high = (float(p) for p in parts)
    except (TypeError, ValueError):
        raise RecipeError(
            f"A range looks like LOW:HIGH, e.g. 1:20. Got {span!r} for '{name}'. "
            f"Fix: {spell('span', (1, 20))}"
        ) from None
    return low, high


def as_number(value: float, kind: str) -> float | int:
    return int(value) if kind == "int" and float(value).is_integer() else value


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def unique(values: list[Any], notices: list[str]) -> list[Any]:
    seen: list[Any] = []
    for v in values:
        if any(v == s and type(v) is type(s) for s in seen):
            notices.append(f"The value {value_text(v)} was given twice; it is run once.")
        else:
            seen.append(v)
    return seen


def value_text(value: Any) -> str:
    """A value as people write it: 5, 0.1, none, true, sqrt."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def settings_text(params: dict[str, Any]) -> str:
    return ", ".join(f"{k}={value_text(v)}" for k, v in params.items())
