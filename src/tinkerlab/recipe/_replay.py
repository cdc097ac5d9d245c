"""Loading the data a stored Recipe names, to run it again.

A recipe carries its own column roles, so replaying it never depends on schema
inference giving the same answer twice. The data's fingerprint is checked: if the file
changed since the recipe was written, the run says so (it still runs, on the new data).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tinkerlab.exceptions import RecipeError

if TYPE_CHECKING:
    from tinkerlab.data import Dataset
    from tinkerlab.recipe._recipe import Recipe

#: Reader options a recipe stores, by the name `load` takes them under.
_READ_OPTIONS = {"sep": "sep", "encoding": "encoding", "sheet_name": "sheet"}


def load_recipe_data(recipe: Recipe) -> Dataset:
    """The Dataset *recipe* was made from, read the same way, with the recipe's target."""
    from tinkerlab.data import data_change, load

    source = recipe.source
    if source.kind == "frame":
        raise RecipeError(
            "This recipe was made from an in-memory DataFrame, which it cannot read again. "
            "Fix: save the frame (frame.to_csv('data.csv', index=False)) and run the file."
        )
    if source.kind == "builtin":
        dataset = load(source.name)
    else:
        options = {
            ours: source.read_options[theirs]
            for theirs, ours in _READ_OPTIONS.items()
            if theirs in source.read_options
        }
        dataset = load(
            source.path,
            target=recipe.target,
            task=recipe.task,
            numeric=recipe.numeric,
            categorical=recipe.categorical,
            text=recipe.text,
            max_rows=0 if source.sample_fraction is None else None,  # all rows, as recorded
            **options,
        )
    missing = [c for c in [recipe.target, *recipe.features] if c not in dataset.frame.columns]
    if missing:
        raise RecipeError(
            f"The recipe uses columns that {source.name!r} no longer has: "
            f"{', '.join(repr(c) for c in missing[:8])}. Fix: run the file afresh "
            f"(tinkerlab run {source.path or source.name} --target {recipe.target})."
        )
    change = data_change(source.sha256, dataset.source.sha256, since="this recipe was written")
    if change:
        dataset.notices.append(f"{change}: the numbers will differ from the recorded run.")
    return dataset
