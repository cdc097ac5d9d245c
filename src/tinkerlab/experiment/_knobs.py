"""Knobs: the one thing an experiment changes, and the values it takes.

A knob is either a **parameter** of the chosen model (any knob of its registry row,
``tinkerlab models NAME``) or one of the **special knobs** below, which change the data
or the set-up rather than the model. Both are plain data in ``_knob_kinds.py``:
``SPECIAL_KNOBS`` says, per special knob, what it changes, its values' type, range and
scale, and the default sweep; ``PARAM_SWEEPS`` gives the default sweep of the registry's
parameters. ``_knob_sweeps.py`` builds the sweep of each kind of knob.

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

from typing import TYPE_CHECKING, Any, Literal

from tinkerlab.exceptions import RecipeError
from tinkerlab.experiment._knob_kinds import (
    PARAM,
    SPECIAL_KNOBS,
    KnobKind,
    Mode,
    Scale,
    Sweep,
)
from tinkerlab.experiment._knob_sweeps import (
    feature_sweep,
    model_sweep,
    param_sweep,
    scaling_sweep,
    special_sweep,
    text_features_sweep,
)
from tinkerlab.options import fix, spell
from tinkerlab.recipe import TEXT_FEATURES, get_model, models_for

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tinkerlab.recipe import Recipe


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
    other: Literal["sklearn", "scratch"] = "sklearn" if recipe.impl == "scratch" else "scratch"
    has_twin = recipe.task in spec.scratch or recipe.impl == "scratch"
    if has_twin and knob in {k.name for k in spec.knobs_for(recipe.task, other)}:
        twin = "our from-scratch twin" if other == "scratch" else "scikit-learn's model"
        raise RecipeError(
            f"{head} It is a knob of {twin} of {recipe.model}. "
            f"Fix: {fix(('impl', other), ('knob', knob))}"
        )
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
        return feature_sweep(recipe, values, mode)
    if knob == "model":
        if span is not None:
            raise RecipeError(
                "The model knob takes model names, not a range. "
                f"Fix: {spell('values', ['knn', 'svm'])}"
            )
        return model_sweep(recipe, values)
    if knob == "scaling":
        if span is not None:
            raise RecipeError(
                f"The scaling knob is on or off, not a range. Fix: {spell('values', ['on', 'off'])}"
            )
        return scaling_sweep(recipe, values)
    if knob == "text_features":
        if span is not None:
            raise RecipeError(
                "The text_features knob takes featuriser names, not a range. "
                f"Fix: {spell('values', list(TEXT_FEATURES))}"
            )
        return text_features_sweep(recipe, values)
    if knob == "add_feature":
        if span is not None:
            raise RecipeError(
                "The add_feature knob takes new-feature steps, not a range. "
                f"Fix: {spell('values', ['none', 'log:COLUMN', 'poly:2'])}"
            )
        from tinkerlab.experiment._add_feature import add_feature_sweep

        return add_feature_sweep(recipe, values)
    if kind is PARAM:
        return param_sweep(recipe, knob, values, span, steps, scale, fold_rows)
    return special_sweep(recipe, kind, values, span, steps, scale)
