"""The sweeps of each kind of knob: a registry parameter, a special knob (training size,
noise, seed, test size...), the features, the model, scaling and the text features.

Each ``*_sweep`` function turns the values asked for into checked points and hands them
to :func:`~tinkerlab.experiment._knob_kinds.finish`; :func:`~tinkerlab.experiment._knobs.plan_sweep`
picks the function from the knob's kind.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from tinkerlab.exceptions import RecipeError
from tinkerlab.experiment._knob_kinds import (
    ALL_FEATURES,
    NO_FEATURES,
    PARAM,
    PARAM_SWEEPS,
    SCALING,
    SPECIAL_KNOBS,
    KnobKind,
    Mode,
    Point,
    Scale,
    Sweep,
    as_number,
    finish,
    is_number,
    parse_span,
    range_steps,
    reference_point,
    settings_text,
    spaced,
    unique,
    value_text,
)
from tinkerlab.options import spell
from tinkerlab.recipe import MODELS, TEXT_FEATURES, Knob, Preprocessing, get_model, models_for

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tinkerlab.recipe import Recipe

# --- registry parameters -----------------------------------------------------------------


def param_sweep(
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
                f"Fix: {spell('values', [value_text(v) for v in _choices(knob)])}"
            )
        low, high = parse_span(span, name)
        ends = [as_number(v, knob.kind) for v in (low, high)]
        fix = spell("span", _span_repaired(knob, ends, name, fold_rows))
        checked = [knob.check(v, spec.title, fix) for v in ends]
        raw = spaced(
            checked[0],
            checked[1],
            steps or range_steps(checked[0], checked[1], axis, knob.kind),
            axis,
            knob.kind,
            name,
        )
    elif values is not None:
        raw = _param_values(knob, list(values), spec.title)
    elif numeric:
        low, high, count = _default_param_sweep(recipe.model, knob)
        raw = spaced(low, high, steps or count, axis, knob.kind, name)
    else:
        raw = list(_choices(knob))
    picked = [knob.check(v, spec.title) for v in raw]
    if name == "n_neighbors" and fold_rows is not None:
        too_many = [v for v in picked if isinstance(v, int) and v > fold_rows]
        if too_many:
            low = min(min(v for v in picked if isinstance(v, int)), fold_rows)
            raise RecipeError(
                f"The 'n_neighbors' parameter of {spec.title} must be at most the {fold_rows} "
                f"rows of a training fold here; got {', '.join(map(str, too_many[:5]))}. "
                f"Fix: {spell('span', (low, fold_rows))}"
            )
    ordered = numeric and all(is_number(v) for v in picked)
    picked = unique(picked, notices)
    if ordered:
        picked = sorted(picked)
    default = recipe.params.get(name, knob.default)
    points = tuple(
        Point(i, v, value_text(v), recipe.with_changes(params={**recipe.params, name: v}))
        for i, v in enumerate(picked)
    )
    reference, reason = reference_point(picked, default, ordered, axis)
    return finish(
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
            checked.append(knob.nearest(_number_or_text(value)))
    if bad:
        repaired = list(dict.fromkeys(checked))  # 0,5 → 1,5 (not 5,5)
        raise RecipeError(knob.complaint(bad[0], model, spell("values", repaired)))
    return checked


def _number_or_text(value: Any) -> Any:
    """*value* as a number when it reads as one ("0" → 0), so a repair can move it."""
    if not isinstance(value, str):
        return value
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


def _span_repaired(
    knob: Knob, ends: list[Any], name: str, fold_rows: int | None
) -> tuple[Any, Any]:
    """The range a bad ``--range`` meant, moved inside what the knob allows
    (``n_neighbors`` 0:500 on 96-row folds → 1:96)."""
    low, high = (knob.nearest(v) for v in ends)
    if name == "n_neighbors" and fold_rows is not None:
        high = min(high, fold_rows)
    return (low, high)


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


def special_sweep(
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
                f"({spell('model', 'random_forest')}), or another knob."
            )
    if name == "feature_noise" and not recipe.numeric:
        raise RecipeError(
            f"The feature_noise knob does not apply to {recipe.dataset!r}: it has no numeric "
            "feature columns to add noise to. Fix: try label_noise, or the features knob."
        )
    default = kind.default if kind.default is not None else getattr(recipe, name)
    if span is not None:
        low, high = parse_span(span, name)
        for v in (low, high):
            _check_special(kind, v)
        count = kind.sweep[2] if kind.sweep else range_steps(low, high, axis, kind.value_type)
        raw = spaced(low, high, steps or count, axis, kind.value_type, name)
    elif values is not None:
        raw = [_special_value(kind, v) for v in values]
    elif name == "seed":
        raw = [recipe.seed + i for i in range(steps or 5)]
    else:
        assert kind.sweep is not None
        low, high, count = kind.sweep
        raw = spaced(low, high, steps or count, axis, kind.value_type, name)
    picked = sorted(unique([_check_special(kind, v) for v in raw], notices))
    points = tuple(_special_point(recipe, name, i, v) for i, v in enumerate(picked))
    reference, reason = reference_point(picked, default, True, axis)
    return finish(name, kind, picked, points, default, reference, reason, True, axis, None, notices)


def _special_point(recipe: Recipe, name: str, position: int, value: Any) -> Point:
    label = value_text(value)
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


def feature_sweep(recipe: Recipe, values: Iterable[Any] | None, mode: Mode) -> Sweep:
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
        chosen = unique(chosen, notices)
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
    return finish(
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


def model_sweep(recipe: Recipe, values: Iterable[Any] | None) -> Sweep:
    notices: list[str] = []
    if values is None:
        names = [m.name for m in models_for(recipe.task)]
        if recipe.impl == "scratch":
            names = [n for n in names if recipe.task in MODELS[n].scratch]
    else:
        names = unique([str(v).strip() for v in values], notices)
    points = []
    for i, name in enumerate(names):
        spec = get_model(name, recipe.task)  # unknown names and wrong tasks fail here
        spec.class_path(recipe.task, recipe.impl)  # and a model without a twin for scratch
        params = recipe.params if name == recipe.model else {}
        points.append(Point(i, name, name, recipe.with_changes(model=name, params=params)))
    if recipe.params:
        notices.append(
            f"The settings {settings_text(recipe.params)} apply to {recipe.model} only; every "
            "other model runs with its registry defaults."
        )
    reference, reason = reference_point(names, recipe.model, False, "linear")
    kind = SPECIAL_KNOBS["model"]
    return finish(
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


def scaling_sweep(recipe: Recipe, values: Iterable[Any] | None) -> Sweep:
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
    names = unique(names, notices)
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
    reference, reason = reference_point(names, default, False, "linear")
    kind = SPECIAL_KNOBS["scaling"]
    return finish(
        "scaling", kind, names, points, default, reference, reason, False, "linear", None, notices
    )


def text_features_sweep(recipe: Recipe, values: Iterable[Any] | None) -> Sweep:
    """TF-IDF against the pre-trained featurisers, on the recipe's text columns."""
    from tinkerlab.pretrained import install_command, is_installed, require

    if not recipe.text:
        raise RecipeError(
            f"The text_features knob does not apply to {recipe.dataset!r}: it has no free-text "
            f"column. Fix: name one ({spell('text', ['COLUMN'])}), or try the reviews dataset."
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
    names = unique(names, notices)
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
    reference, reason = reference_point(names, default, False, "linear")
    kind = SPECIAL_KNOBS["text_features"]
    return finish(
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
