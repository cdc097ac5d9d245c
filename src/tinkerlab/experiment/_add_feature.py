"""The ``add_feature`` knob: the recipe as it is, against the recipe with a new feature.

Each value is a new-feature step (``log:lot_area``, ``bins:year_built=5``, ``poly:2``,
``date:sold_on``, ``len:review``; see :mod:`tinkerlab.recipe._steps`) or ``none`` (the
recipe unchanged, the reference). A value adds its step to the recipe's own
``preprocessing.add``, so the run, the script and the sweep build the same pipeline.

>>> from tinkerlab.data import load
>>> from tinkerlab.recipe import make_recipe
>>> sweep = add_feature_sweep(make_recipe(load("diabetes")), ["none", "log:bmi", "poly:2"])
>>> sweep.labels
['none', 'log:bmi', 'poly:2']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tinkerlab.exceptions import RecipeError
from tinkerlab.options import name_of, spell

if TYPE_CHECKING:
    from tinkerlab.experiment._knob_kinds import Sweep
    from tinkerlab.recipe import Recipe

#: The value that leaves the recipe as it is.
NONE = "none"


def add_feature_sweep(recipe: Recipe, values: Iterable[Any] | None) -> Sweep:
    """One point per value: ``none``, then the recipe with each step added."""
    from tinkerlab.experiment._knob_kinds import SPECIAL_KNOBS, Point, finish, unique
    from tinkerlab.recipe import parse_step

    if values is None:
        raise RecipeError(
            "The add_feature knob needs the features to try, e.g. "
            f"{spell('values', ['none', 'log:COLUMN', 'poly:2'])} (kinds: log, sqrt, bins, "
            "poly, inter, date, len; see docs/look.md). tinkerlab look DATA suggests some."
        )
    notices: list[str] = []
    names = []
    for value in values:
        text = str(value).strip()
        names.append(NONE if text.lower() == NONE else parse_step(text).label)
    names = unique(names, notices)
    points = []
    for i, name in enumerate(names):
        if name == NONE:
            points.append(Point(i, name, name, recipe))
            continue
        if name in recipe.preprocessing.add:
            raise RecipeError(
                f"The recipe already adds {name!r}; as a value it would change nothing. "
                f"Fix: leave it out of {name_of('values')} (or out of {name_of('add')})."
            )
        steps = (*recipe.preprocessing.add, name)
        changed = recipe.with_changes(preprocessing=replace(recipe.preprocessing, add=steps))
        points.append(Point(i, name, name, changed))  # the recipe checks the column's role
    reference = names.index(NONE) if NONE in names else 0
    reason = "the recipe as it is" if NONE in names else "the first value; none not swept"
    return finish(
        "add_feature",
        SPECIAL_KNOBS["add_feature"],
        names,
        tuple(points),
        NONE,
        reference,
        reason,
        False,
        "linear",
        None,
        notices,
    )
