"""The Recipe: a frozen, serialisable description of one machine-learning run.

A Recipe is the single source of truth. The command line and the Python API build
one, the run executes it, the journal stores it, and the code generator renders it
as a script that reproduces the run exactly. It holds no data and no fitted model:
only *what to do*, down to the seed.

>>> from tinkerlab.data import load
>>> recipe = make_recipe(load("iris"), model="knn", params={"n_neighbors": 7})
>>> recipe.model_params()["n_neighbors"]
7
>>> Recipe.from_json(recipe.to_json()) == recipe
True

Format versions: :data:`RECIPE_FORMAT` is stored in every serialised recipe. Adding an
optional field keeps the version; renaming or removing one bumps it, and
:meth:`Recipe.from_dict` must keep reading the older version (write the upgrade there).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from tinkerlab.data import Source
from tinkerlab.exceptions import RecipeError
from tinkerlab.options import check_option, name_of, spell
from tinkerlab.recipe._steps import check_steps, parse_steps, step_inputs
from tinkerlab.recipe.models import Impl, Task, default_model, get_model

if TYPE_CHECKING:
    from tinkerlab.data import Dataset

#: Version of the serialised form; see the module docstring before changing it.
RECIPE_FORMAT = 1

#: The ways a text column can become features (``Preprocessing.text_features``).
TEXT_FEATURES = ("tfidf", "minilm", "vader")


@dataclass(frozen=True)
class Preprocessing:
    """How raw columns become numbers a model can use."""

    numeric_impute: Literal["median", "mean"] = "median"  # fills empty numeric cells
    categorical_impute: Literal["most_frequent", "constant"] = "most_frequent"  # empty categories
    scale: Literal["auto", "standard", "none"] = "auto"  # auto: standardise if the model needs it
    max_categories: int | None = 30  # rarer categories are pooled into one "infrequent" column
    text_max_features: int = 20_000  # vocabulary size of TF-IDF per text column
    text_ngram_max: int = 1  # 1: single words; 2: also pairs of words
    # How a text column becomes numbers: "tfidf" (word counts, learnt from the training
    # rows), "minilm" (a frozen pre-trained sentence encoder's embeddings: transfer
    # learning) or "vader" (a sentiment lexicon's four scores); see TEXT_FEATURES.
    text_features: Literal["tfidf", "minilm", "vader"] = "tfidf"
    # New-feature steps added to the columns, as text: "log:lot_area", "bins:age=5",
    # "poly:2", "inter", "date:sold_on", "len:review" (recipe/_steps.py says what each makes).
    add: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        choices = {
            "numeric_impute": ("median", "mean"),
            "categorical_impute": ("most_frequent", "constant"),
            "scale": ("auto", "standard", "none"),
            "text_features": TEXT_FEATURES,
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise RecipeError(
                    f"Preprocessing '{name}' must be one of {', '.join(allowed)}. "
                    f"Got {getattr(self, name)!r} instead."
                )
        if self.max_categories is not None and self.max_categories < 2:
            raise RecipeError(
                f"Preprocessing 'max_categories' must be at least 2 (or None). "
                f"Got {self.max_categories!r} instead."
            )
        if isinstance(self.add, str):
            raise RecipeError(
                f"Preprocessing 'add' is a list of steps, not one string. Got {self.add!r}. "
                f"Fix: add=[{self.add!r}]"
            )
        steps = parse_steps(self.add)  # unknown kinds and bad numbers fail here
        object.__setattr__(self, "add", tuple(s.label for s in steps))
        if self.text_max_features < 1 or self.text_ngram_max not in (1, 2, 3):
            raise RecipeError(
                "Preprocessing needs text_max_features >= 1 and text_ngram_max in 1..3. "
                f"Got {self.text_max_features!r} and {self.text_ngram_max!r}."
            )


@dataclass(frozen=True)
class Recipe:
    """Everything needed to repeat a run: data, columns, pipeline, evaluation and seed."""

    dataset: str  # a built-in's name ("titanic"), a file's absolute path, or "DataFrame"
    source: Source  # how the table is read (format, reader options, fingerprint)
    target: str  # the column to predict
    task: Task  # "classification" or "regression"
    numeric: tuple[str, ...]  # numeric feature columns, in table order
    categorical: tuple[str, ...]  # categorical feature columns (one-hot encoded)
    text: tuple[str, ...]  # free-text feature columns (TF-IDF)
    unused: tuple[str, ...] = ()  # columns the model never sees (ids, constants, dates, dropped)
    model: str = "random_forest"  # a name from the model registry
    params: dict[str, Any] = field(default_factory=dict)  # knob values the user set
    impl: Impl = "sklearn"  # "scratch": our NumPy twin (tinkerlab.scratch) instead of sklearn's
    preprocessing: Preprocessing = field(default_factory=Preprocessing)  # imputing, scaling...
    cv_folds: int = 5  # k of the (stratified) k-fold cross-validation on the training split
    test_size: float = 0.2  # share of rows held out for the final test score
    seed: int = 0  # seeds the split, the folds and the model: same seed, same numbers
    format: int = RECIPE_FORMAT  # serialisation version

    def __post_init__(self) -> None:
        spec = get_model(self.model, self.task)
        if self.impl not in ("sklearn", "scratch"):
            raise RecipeError(
                f"The implementation must be 'sklearn' or 'scratch'. Got {self.impl!r} instead. "
                f"Fix: {spell('impl', 'scratch')}"
            )
        spec.class_path(self.task, self.impl)  # a model without a twin fails here, clearly
        checked = {
            name: spec.knob(name, self.task, self.impl).check(v, spec.title)
            for name, v in self.params.items()
        }
        object.__setattr__(self, "params", checked)
        for option, name in (("seed", "seed"), ("cv", "cv_folds"), ("test_size", "test_size")):
            check_option(option, getattr(self, name), error=RecipeError, field=name)
        if not self.features:
            raise RecipeError(
                f"The recipe for {self.dataset!r} has no feature columns to learn from. "
                "Fix: keep at least one numeric, categorical or text column."
            )
        if self.preprocessing.text_features != "tfidf" and not self.text:
            raise RecipeError(
                f"Text features ({self.preprocessing.text_features!r}) apply to free-text "
                f"columns, and the recipe for {self.dataset!r} has none. Fix: name one with "
                f"{spell('text', ['COLUMN'])}, or leave {name_of('text_features')} out."
            )
        check_steps(self)
        if self.target in self.features:
            raise RecipeError(
                f"The target {self.target!r} is also listed as a feature; a model would just copy "
                "it. Fix: remove it from the features."
            )

    @property
    def features(self) -> list[str]:
        """Every feature column: numeric, then categorical, then text."""
        return [*self.numeric, *self.categorical, *self.text]

    @property
    def inputs(self) -> list[str]:
        """Every column the pipeline reads: the features, then the columns of dates its
        new-feature steps take apart (``date:COL``)."""
        return [*self.features, *step_inputs(self)]

    def model_params(self) -> dict[str, Any]:
        """The estimator's keyword arguments: registry defaults, then the user's values, then
        the fixed ones, then ``random_state=seed`` for models with randomness."""
        spec = get_model(self.model, self.task)
        values = {k.name: k.default for k in spec.knobs_for(self.task, self.impl)}
        values.update(self.params)
        values.update(spec.fixed)
        if spec.is_seeded(self.task, self.impl):
            values["random_state"] = self.seed
        return values

    def with_changes(self, **changes: Any) -> Recipe:
        """A copy with some fields changed (recipes are frozen): ``r.with_changes(seed=1)``."""
        return replace(self, **changes)

    # --- serialisation -------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict of every field (what the journal stores)."""
        data = asdict(self)
        for key in ("numeric", "categorical", "text", "unused"):
            data[key] = list(data[key])
        data["preprocessing"]["add"] = list(data["preprocessing"]["add"])  # as JSON reads back
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Recipe:
        """Rebuild a recipe from :meth:`to_dict` output, checking every value again."""
        data = dict(data)
        version = data.get("format", RECIPE_FORMAT)
        if version > RECIPE_FORMAT:
            raise RecipeError(
                f"This recipe was written by a newer tinkerlab (format {version}; we read up to "
                f"{RECIPE_FORMAT}). Fix: pip install --upgrade tinkerlab"
            )
        try:
            data["source"] = Source(**data["source"])
            data["preprocessing"] = Preprocessing(**data.get("preprocessing", {}))
            for key in ("numeric", "categorical", "text", "unused"):
                data[key] = tuple(data.get(key, ()))
            return cls(**data)
        except (TypeError, KeyError) as error:
            raise RecipeError(
                f"This is not a valid tinkerlab recipe: {error}. "
                "Fix: write it with Recipe.to_json()/to_toml() or `tinkerlab run --recipe-out`."
            ) from None

    def to_json(self) -> str:
        """The recipe as pretty JSON."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=False)

    @classmethod
    def from_json(cls, text: str) -> Recipe:
        """Read a recipe written by :meth:`to_json`."""
        return cls.from_dict(json.loads(text))

    def to_toml(self) -> str:
        """The recipe as TOML.

        TOML has no null: a ``None`` knob value or preprocessing setting is written as the
        string ``"none"`` (where no column name can be confused with it), and other
        ``None`` fields are left out, so their defaults, ``None``, come back.
        """
        data = self.to_dict()
        tables = {k: data.pop(k) for k in ("params", "preprocessing", "source")}
        lines = [f"{k} = {_toml_value(v)}" for k, v in data.items() if v is not None]
        for name, table in tables.items():
            keep_none = name in _NONE_AS_TEXT
            lines += ["", f"[{name}]"]
            lines += [
                f"{_toml_key(k)} = {_toml_value(v)}"
                for k, v in table.items()
                if not isinstance(v, dict) and (v is not None or keep_none)
            ]
            for k, v in table.items():
                if isinstance(v, dict):
                    lines += ["", f"[{name}.{_toml_key(k)}]"]
                    lines += [
                        f"{_toml_key(kk)} = {_toml_value(vv)}"
                        for kk, vv in v.items()
                        if vv is not None
                    ]
        return "\n".join(lines) + "\n"

    @classmethod
    def from_toml(cls, text: str) -> Recipe:
        """Read a recipe written by :meth:`to_toml`."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise RecipeError(f"The recipe file is not valid TOML: {error}.") from None
        for name in _NONE_AS_TEXT:
            table = data.get(name, {})
            data[name] = {k: None if v == "none" else v for k, v in table.items()}
        return cls.from_dict(data)


#: Tables whose values may be None, written as "none": knob values and preprocessing.
_NONE_AS_TEXT = ("params", "preprocessing")


def _toml_key(key: str) -> str:
    """A bare key when TOML allows one, else a quoted key."""
    bare = (
        key.replace("_", "").replace("-", "").isascii()
        and key.replace("_", "").replace("-", "").isalnum()
    )
    return key if bare else _toml_value(key)


def _toml_value(value: Any) -> str:
    if value is None:
        return '"none"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    # A JSON string is a valid TOML basic string; keep non-ASCII characters as they are
    # (JSON would escape an emoji as a surrogate pair, which TOML rejects).
    return json.dumps(str(value), ensure_ascii=False)


def _dataset_ref(dataset: Dataset) -> str:
    """How a recipe names its data: the built-in's name, the file's path, or "DataFrame"."""
    if dataset.source.kind == "builtin":
        return dataset.name
    return dataset.source.path or dataset.name or "DataFrame"


def make_recipe(
    dataset: Dataset,
    *,
    model: str | None = None,
    params: dict[str, Any] | None = None,
    impl: Impl = "sklearn",
    cv_folds: int = 5,
    test_size: float = 0.2,
    seed: int = 0,
    preprocessing: Preprocessing | None = None,
    text_features: str | None = None,
    add: tuple[str, ...] | list[str] = (),
) -> Recipe:
    """Build the Recipe for *dataset*: its columns by role, plus the model and evaluation.

    Parameters
    ----------
    dataset : Dataset
        From :func:`tinkerlab.data.load`; its column roles become the recipe's features.
    model : str, optional
        A registry name; by default a random forest, or a linear model for text.
    params : dict, optional
        Knob values, checked against the registry (``{"max_depth": 8}``).
    impl : {"sklearn", "scratch"}
        scikit-learn's estimator, or our from-scratch NumPy twin of it.
    cv_folds, test_size, seed : int, float, int
        Evaluation: k-fold CV on the training split, held-out share, and the seed.
    preprocessing : Preprocessing, optional
        Imputing, scaling and text settings; the defaults otherwise.
    text_features : {"tfidf", "minilm", "vader"}, optional
        Shortcut for ``preprocessing.text_features``: how text columns become numbers.
    add : sequence of str
        Shortcut for ``preprocessing.add``: new-feature steps (``["log:fare", "poly:2"]``).
    """
    if dataset.target is None or dataset.task is None:
        raise RecipeError(
            f"Dataset {dataset.name!r} has no target to predict. Fix: {spell('target', 'COLUMN')}"
        )
    text = tuple(dataset.features("text"))
    name = model or default_model(dataset.task, has_text=bool(text))
    used = set(dataset.features()) | {dataset.target}
    preprocessing = preprocessing or Preprocessing()
    if text_features is not None:
        preprocessing = replace(preprocessing, text_features=text_features)  # type: ignore[arg-type]
    if add:
        preprocessing = replace(preprocessing, add=(*preprocessing.add, *add))
    return Recipe(
        dataset=_dataset_ref(dataset),
        source=dataset.source,
        target=dataset.target,
        task=dataset.task,
        numeric=tuple(dataset.features("numeric")),
        categorical=tuple(dataset.features("categorical")),
        text=text,
        unused=tuple(c for c in dataset.frame.columns if c not in used),
        model=name,
        params=dict(params or {}),
        impl=impl,
        preprocessing=preprocessing,
        cv_folds=cv_folds,
        test_size=test_size,
        seed=seed,
    )
