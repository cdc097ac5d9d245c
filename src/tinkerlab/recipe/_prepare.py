"""From settled options to a Dataset and a Recipe: the first steps of run, tinker and compare.

Every verb starts the same way — read the data with the column roles the learner chose,
then settle the model, its knob values and the evaluation into a Recipe — so it is
written once, here, and takes the :class:`~tinkerlab.options.Settings` that
:func:`~tinkerlab.options.settle` checked.

>>> from tinkerlab.options import settle
>>> settings = settle("run", {"dataset": "iris", "model": "knn", "params": {"n_neighbors": "3"}})
>>> recipe = recipe_for(load_settled(settings), settings)
>>> recipe.model, recipe.params
('knn', {'n_neighbors': 3})
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tinkerlab.data import Dataset, load
from tinkerlab.exceptions import InputError
from tinkerlab.options import name_of, where
from tinkerlab.recipe._recipe import Recipe, make_recipe
from tinkerlab.recipe.models import default_model, parse_settings

if TYPE_CHECKING:
    from tinkerlab.data._fingerprint import ReadProgress
    from tinkerlab.options import Settings

#: The options that say how to read the data and which role each column plays.
LOADING = (
    "target",
    "task",
    "drop",
    "text",
    "categorical",
    "numeric",
    "sep",
    "encoding",
    "sheet",
    "max_bytes",
)
#: The options a stored Recipe already fixes (it names its own model and evaluation).
RECIPE_FIXES = ("model", "params", "impl", "text_features", "add", "cv", "test_size", "seed")


def load_settled(
    settings: Settings, source: Any = None, reading: ReadProgress | None = None
) -> Dataset:
    """The Dataset *settings* name: a built-in, a file or a table, read with their
    column roles. *source* overrides ``settings.dataset``; a Dataset already loaded is
    returned as it is (and then the loading options cannot apply). *reading* is told
    how far reading a file got (``load(progress=...)``)."""
    source = settings.dataset if source is None else source
    if isinstance(source, Dataset):
        _refuse(settings, LOADING, "this dataset is already loaded")
        return source
    options: dict[str, Any] = {n: settings[n] for n in LOADING if n in settings}
    given = {n: v for n, v in options.items() if v not in (None, ())}
    return load(source, **given, progress=reading) if reading else load(source, **given)


def recipe_for(data: Dataset, settings: Settings) -> Recipe:
    """The Recipe for *data*: the model (or the default for its task), its knob values
    checked against the registry, and the evaluation (folds, test share, seed). A
    command without model options (compare) gets the default model's recipe."""
    assert data.task is not None  # load() settles the task whenever there is a target
    has_text = bool(data.features("text"))
    model = settings.get("model") or default_model(data.task, has_text=has_text)
    impl = settings.get("impl", "sklearn")  # compare takes every model, as scikit-learn's
    params = parse_settings(model, data.task, settings.get("params") or {}, impl)
    return make_recipe(
        data,
        model=model,
        params=params,
        impl=impl,
        cv_folds=settings.cv,
        test_size=settings.test_size,
        seed=settings.seed,
        text_features=settings.text_features,
        add=tuple(settings.get("add") or ()),
    )


def check_replay(settings: Settings) -> None:
    """A stored recipe names its own data, model and evaluation: refuse options that
    would silently be ignored."""
    _refuse(settings, (*LOADING, *RECIPE_FIXES), "a recipe names its own data and model")


def _refuse(settings: Settings, names: tuple[str, ...], why: str) -> None:
    given = [n for n in names if n in settings.given]
    if given:
        what = ", ".join(name_of(n) for n in given)
        raise InputError(
            f"{what} cannot apply here: {why}. Fix: leave {what} out, or pass the "
            f"dataset's name or file to {where().command_name(settings.command)} instead."
        )
