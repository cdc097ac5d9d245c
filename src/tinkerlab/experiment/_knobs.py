"""Knobs: the one thing an experiment changes, and the values it takes.

A knob is either a **parameter** of the chosen model (any knob of its registry row,
``tinkerlab models NAME``) or one of the **special knobs** below, which change the data
or the set-up rather than the model. Both are plain data: :data:`SPECIAL_KNOBS` says, per
special knob, what it changes, its values' type, range and scale, and the default sweep;
:data:`PARAM_SWEEPS` gives the default sweep of the registry's parameters.

:func:`plan_sweep` turns a knob name and the values asked for (a list, a range ``a:b``,
or nothing: the default sweep) into a :class:`Sweep`: one :class:`Point` per value, each
a Recipe plus the data changes to make, all checked before anything runs.

>>> from tinkerlab.data import load
>>> from tinkerlab.recipe import make_recipe
>>> recipe = make_recipe(load("iris"), model="knn")
>>> sweep = plan_sweep(recipe, "n_neighbors", span="1:50", steps=5)
>>> sweep.values, sweep.scale
((1, 3, 7, 19, 50), 'log')
>>> sweep.points[2].recipe.params
{'n_neighbors': 7}
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from tinkerlab.exceptions import RecipeError
from tinkerlab.options import fix, name_of, spell
from tinkerlab.recipe import MODELS, TEXT_FEATURES, Knob, Preprocessing, get_model, models_for

if TYPE_CHECKING:
    from collections.abc import Iterable

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


def valid_knobs(recipe: Recipe) -> list[str]:
    """Every knob that exists for *recipe*'s model: its parameters, then the special knobs."""
    spec = get_model(recipe.model, recipe.task)
    return [k.name for k in spec.knobs_for(recipe.task, recipe.impl)] + list(SPECIAL_KNOBS)


def knob_kind(recipe: Recipe, knob: str, *, model_given: bool = True) -> KnobKind:
    """The kind of *knob* for this recipe; an unknown name says where it does exist.

    A parameter of another model is a common slip (``n_neighbors`` while the default
    model is a random forest): the error names that model and the fix that picks it.
    *model_given* says whether the learner chose the model or got the default.
    """
    if knob in SPECIAL_KNOBS:
        return SPECIAL_KNOBS[knob]
    spec = get_model(recipe.model, recipe.task)
    names = {k.name for k in spec.knobs_for(recipe.task, recipe.impl)}
    if knob in names:
        return PARAM
    import difflib

    valid = valid_knobs(recipe)
    which = "the model chosen" if model_given else f"the default model for {recipe.task}"
    impl = " (from scratch)" if recipe.impl == "scratch" else ""
    head = f"'{knob}' is not a knob of {recipe.model}{impl}, {which}."
    owners = _owners(recipe, knob)
    if owners:  # the name, or a near miss of it, belongs to other models
        name, models = owners
        close = "" if name == knob else f" Did you mean '{name}'?"
        raise RecipeError(
            f"{head}{close} '{name}' is a knob of {', '.join(models)}. "
            f"Fix: {fix(('model', models[0]), ('knob', name))}"
        )
    close_here = difflib.get_close_matches(knob, valid, n=1)
    hint = f" Did you mean '{close_here[0]}'?" if close_here else ""
    return_to = close_here[0] if close_here else valid[0]
    raise RecipeError(
        f"{head}{hint} Its knobs: {', '.join(valid)}. Fix: {spell('knob', return_to)}"
    )


def _owners(recipe: Recipe, knob: str) -> tuple[str, list[str]] | None:
    """The models of the task whose knob is *knob* or its nearest spelling, if any."""
    import difflib

    everywhere: dict[str, list[str]] = {}
    for spec in models_for(recipe.task, optional=True):
        if spec.name == recipe.model:
            continue
        twin = recipe.task in spec.scratch  # a twin for this task, not for another one
        for k in spec.knobs_for(recipe.task, recipe.impl if twin else "sklearn"):
            everywhere.setdefault(k.name, []).append(spec.name)
    here = {k.name for k in get_model(recipe.model, recipe.task).knobs_for(recipe.task)}
    if knob in everywhere:
        return knob, everywhere[knob]
    close = difflib.get_close_matches(knob, [*everywhere, *here], n=1)
    if close and close[0] in everywhere and close[0] not in here:
        return close[0], everywhere[close[0]]
    return None


def plan_sweep(
    recipe: Recipe,
    knob: str,
    values: Iterable[Any] | None = None,
    *,
    span: str | tuple[float, float] | None = None,
    steps: int | None = None,
    scale: Scale | None = None,
    mode: Mode = "drop-one",
    fold_rows: int | None = None,
) -> Sweep:
    """Check the knob and its values against *recipe* and plan one point per value.

    Parameters
    ----------
    recipe : Recipe
        The untouched recipe: the model, its other parameters, the columns, the seed.
    knob : str
        A parameter of the recipe's model, or a special knob (:data:`SPECIAL_KNOBS`).
    values : iterable, optional
        The values, as Python values or command-line text (``"8"``, ``"none"``, ``"on"``).
    span : "a:b" or (a, b), optional
        A range instead of values, spaced by *scale* in *steps* values.
    steps : int, optional
        How many values a range gets (default :data:`DEFAULT_STEPS`, or the default sweep's).
    scale : {"linear", "log"}, optional
        Spacing of a range; default: the knob's own scale.
    mode : {"drop-one", "add-one"}
        For ``features``: leave each column out, or use each column alone.
    fold_rows : int, optional
        Rows in the smallest training fold: n_neighbors may not exceed it.
    """
    kind = knob_kind(recipe, knob)
    if values is not None and span is not None:
        raise RecipeError(
            f"Give the values or a range, not both. Fix: {spell('values')} or {spell('span')}"
        )
    if knob != "features" and mode != "drop-one":
        raise RecipeError(f"--mode only applies to the features knob, not to '{knob}'.")
    if mode not in ("drop-one", "add-one"):
        raise RecipeError(f"--mode must be drop-one or add-one. Got {mode!r} instead.")
    if knob == "features":
        if span is not None:
            raise RecipeError(
                "The features knob takes column names, not a range. "
                f"Fix: {spell('values', recipe.features[:2])}, or no values for every column"
            )
        return _feature_sweep(recipe, values, mode)
    if knob == "model":
        if span is not None:
            raise RecipeError(
                "The model knob takes model names, not a range. "
                f"Fix: {spell('values', ['knn', 'svm'])}"
            )
        return _model_sweep(recipe, values)
    if knob == "scaling":
        if span is not None:
            raise RecipeError(
                f"The scaling knob is on or off, not a range. Fix: {spell('values', ['on', 'off'])}"
            )
        return _scaling_sweep(recipe, values)
    if knob == "text_features":
        if span is not None:
            raise RecipeError(
                "The text_features knob takes featuriser names, not a range. "
                f"Fix: {spell('values', list(TEXT_FEATURES))}"
            )
        return _text_features_sweep(recipe, values)
    if knob == "add_feature":
        if span is not None:
            raise RecipeError(
                "The add_feature knob takes new-feature steps, not a range. "
                "Fix: --values none,log:COLUMN,poly:2"
            )
        from tinkerlab.experiment._add_feature import add_feature_sweep

        return add_feature_sweep(recipe, values)
    if kind is PARAM:
        return _param_sweep(recipe, knob, values, span, steps, scale, fold_rows)
    return _special_sweep(recipe, kind, values, span, steps, scale)


# --- registry parameters -----------------------------------------------------------------


def _param_sweep(
    recipe: Recipe,
    name: str,
    values: Iterable[Any] | None,
    span: str | tuple[float, float] | None,
    steps: int | None,
    scale: Scale | None,
    fold_rows: int | None,
) -> Sweep:
    spec = get_model(recipe.model, recipe.task)
    knob = spec.knob(name, recipe.task, recipe.impl)
    numeric = knob.kind in ("int", "float")
    axis: Scale = scale or knob.scale
    notices: list[str] = []
    if span is not None:
        if not numeric:
            raise RecipeError(
                f"'{name}' is {knob.describe_range()}: a range needs a number knob. "
                f"Fix: {spell('values', [_text(v) for v in _choices(knob)])}"
            )
        low, high = _parse_span(span, name)
        checked = [knob.check(_as_number(v, knob.kind), spec.title) for v in (low, high)]
        raw = _spaced(
            checked[0],
            checked[1],
            steps or _range_steps(checked[0], checked[1], axis, knob.kind),
            axis,
            knob.kind,
            name,
        )
    elif values is not None:
        raw = _param_values(knob, list(values), spec.title)
    elif numeric:
        low, high, count = _default_param_sweep(recipe.model, knob)
        raw = _spaced(low, high, steps or count, axis, knob.kind, name)
    else:
        raw = list(_choices(knob))
    picked = [knob.check(v, spec.title) for v in raw]
    if name == "n_neighbors" and fold_rows is not None:
        too_many = [v for v in picked if isinstance(v, int) and v > fold_rows]
        if too_many:
            raise RecipeError(
                f"The 'n_neighbors' parameter of {spec.title} must be at most the {fold_rows} "
                f"rows of a training fold here; got {', '.join(map(str, too_many[:5]))}. "
                f"Fix: {spell('span', (1, fold_rows))}"
            )
    ordered = numeric and all(_is_number(v) for v in picked)
    picked = _unique(picked, notices)
    if ordered:
        picked = sorted(picked)
    default = recipe.params.get(name, knob.default)
    points = tuple(
        Point(i, v, _text(v), recipe.with_changes(params={**recipe.params, name: v}))
        for i, v in enumerate(picked)
    )
    reference, reason = _reference(picked, default, ordered, axis)
    return _finish(
        name, PARAM, picked, points, default, reference, reason, ordered, axis, None, notices
    )


def _default_param_sweep(model: str, knob: Knob) -> tuple[float, float, int]:
    found = PARAM_SWEEPS.get(f"{model}.{knob.name}") or PARAM_SWEEPS.get(knob.name)
    assert knob.low is not None
    assert knob.high is not None
    if found is not None:
        low, high, count = found
    elif knob.scale == "log" and isinstance(knob.default, int | float) and knob.default > 0:
        low, high, count = knob.default / 100, knob.default * 100, 9
    else:
        low, high, count = knob.low, knob.high, 6
    low, high = max(low, knob.low), min(high, knob.high)
    if knob.scale == "log" and low <= 0:
        low = min(high / 1e6, 1.0)
    return low, high, count


def _param_values(knob: Knob, values: list[Any], model: str) -> list[Any]:
    """Each value checked; a bad one is reported with the list repaired as the fix
    (``--values 1,3,abc`` → ``Fix: --values 1,3,5``)."""
    checked: list[Any] = []
    bad: list[Any] = []
    for value in values:
        try:
            checked.append(_param_value(knob, value, model))
        except RecipeError:
            bad.append(value)
            checked.append(knob.sample)
    if bad:
        raise RecipeError(knob.complaint(bad[0], model, spell("values", checked)))
    return checked


def _param_value(knob: Knob, value: Any, model: str) -> Any:
    if isinstance(value, str):
        return knob.parse(value, model)
    if isinstance(value, np.generic):
        value = value.item()
    if knob.kind == "float" and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    return knob.check(value, model)


def _choices(knob: Knob) -> tuple[Any, ...]:
    if knob.kind == "bool":
        return (True, False)
    return (*knob.choices, *knob.specials)


# --- special knobs -----------------------------------------------------------------------


def _special_sweep(
    recipe: Recipe,
    kind: KnobKind,
    values: Iterable[Any] | None,
    span: str | tuple[float, float] | None,
    steps: int | None,
    scale: Scale | None,
) -> Sweep:
    name = kind.name
    axis: Scale = scale or kind.scale
    notices: list[str] = []
    if name == "seed":
        spec = get_model(recipe.model, recipe.task)
        if not spec.is_seeded(recipe.task, recipe.impl):
            raise RecipeError(
                f"The seed knob does not apply to {spec.title}: it has no randomness of its "
                "own, so every seed gives the same model. The spread across folds already "
                "shows the split's randomness. Fix: pick a model with randomness "
                "(--model random_forest), or another knob."
            )
    if name == "feature_noise" and not recipe.numeric:
        raise RecipeError(
            f"The feature_noise knob does not apply to {recipe.dataset!r}: it has no numeric "
            "feature columns to add noise to. Fix: try label_noise, or the features knob."
        )
    default = kind.default if kind.default is not None else getattr(recipe, name)
    if span is not None:
        low, high = _parse_span(span, name)
        for v in (low, high):
            _check_special(kind, v)
        count = kind.sweep[2] if kind.sweep else _range_steps(low, high, axis, kind.value_type)
        raw = _spaced(low, high, steps or count, axis, kind.value_type, name)
    elif values is not None:
        raw = [_special_value(kind, v) for v in values]
    elif name == "seed":
        raw = [recipe.seed + i for i in range(steps or 5)]
    else:
        assert kind.sweep is not None
        low, high, count = kind.sweep
        raw = _spaced(low, high, steps or count, axis, kind.value_type, name)
    picked = sorted(_unique([_check_special(kind, v) for v in raw], notices))
    points = tuple(_special_point(recipe, name, i, v) for i, v in enumerate(picked))
    reference, reason = _reference(picked, default, True, axis)
    return _finish(
        name, kind, picked, points, default, reference, reason, True, axis, None, notices
    )


def _special_point(recipe: Recipe, name: str, position: int, value: Any) -> Point:
    label = _text(value)
    if name == "train_size":
        return Point(position, value, label, recipe, train_fraction=value)
    if name == "label_noise":
        return Point(position, value, label, recipe, label_noise=value)
    if name == "feature_noise":
        return Point(position, value, label, recipe, feature_noise=value)
    if name == "test_size":
        return Point(position, value, label, recipe.with_changes(test_size=value), test_size=value)
    assert name == "seed"
    return Point(position, value, label, recipe.with_changes(seed=value))


def _special_value(kind: KnobKind, value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        text = value.strip()
        try:
            value = int(text) if kind.value_type == "int" else float(text)
        except ValueError:
            raise RecipeError(_special_range(kind, value)) from None
    return value


def _check_special(kind: KnobKind, value: Any) -> Any:
    """*value* if it lies in the knob's range, else an error saying the range."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise RecipeError(_special_range(kind, value))
    if kind.value_type == "int":
        if not float(value).is_integer():
            raise RecipeError(_special_range(kind, value))
        value = int(value)
    else:
        value = float(value)
    assert kind.low is not None
    assert kind.high is not None
    too_low = value <= kind.low if kind.low_open else value < kind.low
    if too_low or value > kind.high:
        raise RecipeError(_special_range(kind, value))
    return value


def _special_range(kind: KnobKind, value: Any) -> str:
    bracket = "(" if kind.low_open else "["
    what = "an int" if kind.value_type == "int" else "a number"
    example = {"train_size": (0.1, 1.0), "seed": (0, 9), "test_size": (0.1, 0.5)}.get(
        kind.name, (0, 0.4)
    )
    return (
        f"The '{kind.name}' knob must be {what} in {bracket}{kind.low:g}, {kind.high:g}]. "
        f"Got {value!r} instead. Fix: {spell('span', example)}"
    )


# --- features, model, scaling ------------------------------------------------------------


def _feature_sweep(recipe: Recipe, values: Iterable[Any] | None, mode: Mode) -> Sweep:
    columns = recipe.features
    notices: list[str] = []
    if values is None:
        chosen = list(columns)
    else:
        chosen = [str(v).strip() for v in values]
        unknown = [c for c in chosen if c not in columns]
        if unknown:
            import difflib

            close = difflib.get_close_matches(unknown[0], columns, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise RecipeError(
                f"Column {unknown[0]!r} is not a feature of {recipe.dataset!r}.{hint} "
                f"Features: {', '.join(columns)}. Fix: {spell('values', [columns[0]])}"
            )
        chosen = _unique(chosen, notices)
    if mode == "drop-one" and len(columns) < 2:
        raise RecipeError(
            f"Dropping one feature of {recipe.dataset!r} leaves none: it has only "
            f"{', '.join(columns)}. Fix: {spell('mode', 'add-one')}, or another knob."
        )
    reference_label = ALL_FEATURES if mode == "drop-one" else NO_FEATURES
    if mode == "drop-one":
        base = recipe
    else:  # no features at all: the dummy baseline, which ignores them
        base = recipe.with_changes(model="dummy", params={}, impl="sklearn")
    points = [Point(0, None, reference_label, base)]
    for column in chosen:
        keep = [c for c in columns if c != column] if mode == "drop-one" else [column]
        label = f"without {column}" if mode == "drop-one" else f"only {column}"
        points.append(Point(len(points), column, label, _with_columns(recipe, keep)))
    kind = SPECIAL_KNOBS["features"]
    all_values: list[Any] = [None, *chosen]
    reason = "all features" if mode == "drop-one" else "no features (the dummy baseline)"
    return _finish(
        "features", kind, all_values, tuple(points), None, 0, reason, False, "linear", mode, notices
    )


def _with_columns(recipe: Recipe, keep: list[str]) -> Recipe:
    """*recipe* using only the columns in *keep* (the others become unused)."""
    kept = set(keep)
    return recipe.with_changes(
        numeric=tuple(c for c in recipe.numeric if c in kept),
        categorical=tuple(c for c in recipe.categorical if c in kept),
        text=tuple(c for c in recipe.text if c in kept),
        unused=(*recipe.unused, *(c for c in recipe.features if c not in kept)),
    )


def _model_sweep(recipe: Recipe, values: Iterable[Any] | None) -> Sweep:
    notices: list[str] = []
    if values is None:
        names = [m.name for m in models_for(recipe.task)]
        if recipe.impl == "scratch":
            names = [n for n in names if recipe.task in MODELS[n].scratch]
    else:
        names = _unique([str(v).strip() for v in values], notices)
    points = []
    for i, name in enumerate(names):
        spec = get_model(name, recipe.task)  # unknown names and wrong tasks fail here
        spec.class_path(recipe.task, recipe.impl)  # and a model without a twin for scratch
        params = recipe.params if name == recipe.model else {}
        points.append(Point(i, name, name, recipe.with_changes(model=name, params=params)))
    if recipe.params:
        notices.append(
            f"The settings {_settings(recipe.params)} apply to {recipe.model} only; every "
            "other model runs with its registry defaults."
        )
    reference, reason = _reference(names, recipe.model, False, "linear")
    kind = SPECIAL_KNOBS["model"]
    return _finish(
        "model",
        kind,
        names,
        tuple(points),
        recipe.model,
        reference,
        reason,
        False,
        "linear",
        None,
        notices,
    )


def _scaling_sweep(recipe: Recipe, values: Iterable[Any] | None) -> Sweep:
    if not recipe.numeric:
        raise RecipeError(
            f"The scaling knob does not apply to {recipe.dataset!r}: it has no numeric "
            "feature columns to standardise. Fix: pick another knob."
        )
    notices: list[str] = []
    names = ["on", "off"] if values is None else [str(v).strip().lower() for v in values]
    for name in names:
        if name not in SCALING:
            raise RecipeError(
                f"The 'scaling' knob must be on or off. Got {name!r} instead. "
                f"Fix: {spell('values', ['on', 'off'])}"
            )
    names = _unique(names, notices)
    from tinkerlab.recipe._pipeline import needs_scaling

    default = "on" if needs_scaling(recipe) else "off"
    points = tuple(
        Point(
            i,
            name,
            name,
            recipe.with_changes(preprocessing=_replace(recipe.preprocessing, scale=SCALING[name])),
        )
        for i, name in enumerate(names)
    )
    reference, reason = _reference(names, default, False, "linear")
    kind = SPECIAL_KNOBS["scaling"]
    return _finish(
        "scaling", kind, names, points, default, reference, reason, False, "linear", None, notices
    )


def _text_features_sweep(recipe: Recipe, values: Iterable[Any] | None) -> Sweep:
    """TF-IDF against the pre-trained featurisers, on the recipe's text columns."""
    from tinkerlab.pretrained import install_command, is_installed, require
    from tinkerlab.recipe import TEXT_FEATURES

    if not recipe.text:
        raise RecipeError(
            f"The text_features knob does not apply to {recipe.dataset!r}: it has no free-text "
            "column. Fix: name one with --text COLUMN (tinkerlab run), or try the reviews dataset."
        )
    notices: list[str] = []
    if values is None:
        names = [n for n in TEXT_FEATURES if n == "tfidf" or is_installed(n)]
        skipped = [n for n in TEXT_FEATURES if n not in names]
        if len(names) < 2:
            require(skipped[0])  # nothing to compare TF-IDF with: say what to install
        if skipped:
            notices.append(
                f"Not compared: {', '.join(skipped)} (not installed; "
                f"{install_command(skipped[0])})."
            )
    else:
        names = [str(v).strip().lower() for v in values]
    for name in names:
        if name not in TEXT_FEATURES:
            raise RecipeError(
                f"The 'text_features' knob must be one of {', '.join(TEXT_FEATURES)}. "
                f"Got {name!r} instead. Fix: {spell('values', list(TEXT_FEATURES))}"
            )
        if name != "tfidf":
            require(name)  # not installed: says which extra to install, before anything runs
    names = _unique(names, notices)
    points = tuple(
        Point(
            i,
            name,
            name,
            recipe.with_changes(preprocessing=_replace(recipe.preprocessing, text_features=name)),
        )
        for i, name in enumerate(names)
    )
    default = recipe.preprocessing.text_features
    reference, reason = _reference(names, default, False, "linear")
    kind = SPECIAL_KNOBS["text_features"]
    return _finish(
        "text_features",
        kind,
        names,
        points,
        default,
        reference,
        reason,
        True,  # a curve in the order the values are listed
        "linear",
        None,
        notices,
    )


def _replace(prep: Preprocessing, **changes: Any) -> Preprocessing:
    from dataclasses import replace

    return replace(prep, **changes)


# --- shared helpers ----------------------------------------------------------------------


def _finish(
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


def _reference(values: list[Any], default: Any, ordered: bool, scale: Scale) -> tuple[int, str]:
    """Which point the best is tested against: the default if swept, else its nearest
    neighbour on the knob's axis, else the first value."""
    for i, v in enumerate(values):
        if v == default and type(v) is type(default):
            return i, "the default"
    if ordered and _is_number(default):
        axis = [_axis(v, scale) for v in values]
        target = _axis(default, scale)
        nearest = int(np.argmin([abs(a - target) for a in axis]))
        return nearest, f"the value nearest the default ({_text(default)})"
    return 0, f"the first value; the default, {_text(default)}, is not swept"


def _axis(value: float, scale: Scale) -> float:
    return math.log10(value) if scale == "log" and value > 0 else float(value)


def _range_steps(low: float, high: float, scale: Scale, value_type: str) -> int:
    """How many values a range gets without --steps: every integer of a short int range
    (1:20 is 1, 2, ..., 20), else :data:`DEFAULT_STEPS`."""
    span = high - low + 1
    if value_type == "int" and scale == "linear" and 2 <= span <= MAX_EVERY_INT:
        return int(span)
    return DEFAULT_STEPS


def _spaced(
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


def _parse_span(span: str | tuple[float, float], name: str) -> tuple[float, float]:
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


def _as_number(value: float, kind: str) -> float | int:
    return int(value) if kind == "int" and float(value).is_integer() else value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _unique(values: list[Any], notices: list[str]) -> list[Any]:
    seen: list[Any] = []
    for v in values:
        if any(v == s and type(v) is type(s) for s in seen):
            notices.append(f"The value {_text(v)} was given twice; it is run once.")
        else:
            seen.append(v)
    return seen


def _text(value: Any) -> str:
    """A value as people write it: 5, 0.1, none, true, sqrt."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _settings(params: dict[str, Any]) -> str:
    return ", ".join(f"{k}={_text(v)}" for k, v in params.items())
