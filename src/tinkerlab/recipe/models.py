"""The model registry: one row of plain data per model.

Adding a model is adding a row to :data:`MODELS`. The command line, the Python API,
the code generator and the tests all read this table; nothing else lists models.

Each row says which scikit-learn class implements the model for each task, whether it
needs scaled inputs or dense arrays, and its **knobs**: the parameters a learner is
invited to turn, each with a type, a range, a scale and one plain sentence on what it
controls.

>>> MODELS["knn"].knob("n_neighbors").default
5
>>> sorted(MODELS["ridge"].tasks)
['classification', 'regression']
"""

from __future__ import annotations

import difflib
import functools
import importlib
import inspect
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from tinkerlab.exceptions import RecipeError
from tinkerlab.options import spell

Task = Literal["classification", "regression"]
Impl = Literal["sklearn", "scratch"]  # scikit-learn's estimator, or our NumPy twin of it
KnobKind = Literal["int", "float", "choice", "bool"]
BOTH: frozenset[Task] = frozenset({"classification", "regression"})


@dataclass(frozen=True)
class Knob:
    """One parameter of a model that a learner can turn."""

    name: str  # the scikit-learn parameter name, e.g. "max_depth"
    kind: KnobKind  # int, float, choice or bool
    default: Any  # the value tinkerlab uses when the user sets none
    help: str  # one plain sentence: what turning it does
    low: float | None = None  # smallest allowed value (int/float), inclusive
    high: float | None = None  # largest allowed value (int/float), inclusive
    scale: Literal["linear", "log"] = "linear"  # how a sweep should space its values
    choices: tuple[Any, ...] = ()  # the allowed values of a "choice" knob
    specials: tuple[Any, ...] = ()  # non-numeric values also allowed, e.g. None or "scale"
    tasks: frozenset[Task] = BOTH  # tasks where this knob exists (criterion differs per task)
    example: Any = None  # a typical value for fixes when the default is not one (max_depth: 8)

    def describe_range(self) -> str:
        """The allowed values in words: ``an int in [1, 50] or None``."""
        if self.kind == "choice":
            text = "one of " + ", ".join(repr(c) for c in self.choices)
        elif self.kind == "bool":
            text = "true or false"
        else:
            text = (
                f"{'an int' if self.kind == 'int' else 'a float'} in [{self.low:g}, {self.high:g}]"
            )
        if self.specials:
            text += " or " + " or ".join(repr(s) for s in self.specials)
        return text

    def parse(self, text: str, model: str, fix: str | None = None) -> Any:
        """Turn typed text (``"8"``, ``"none"``, ``"balanced"``) into a checked value.

        *fix* is the remedy an error ends with; by default ``--set NAME=EXAMPLE`` as the
        learner's surface spells it (``params={...}`` in Python).
        """
        lowered = text.strip().lower()
        for special in self.specials:
            if lowered == str(special).lower():
                return special
        value: Any = text.strip()
        try:
            if self.kind == "int":
                value = int(lowered)
            elif self.kind == "float":
                value = float(lowered)
            elif self.kind == "bool":
                if lowered not in {"true", "false", "1", "0", "yes", "no", "on", "off"}:
                    raise ValueError(text)
                value = lowered in {"true", "1", "yes", "on"}
        except ValueError:
            raise RecipeError(self.complaint(text, model, fix)) from None
        return self.check(value, model, fix)

    def check(self, value: Any, model: str, fix: str | None = None) -> Any:
        """Return *value* if it is allowed, else raise :class:`RecipeError` saying the range."""
        if value in self.specials and not isinstance(value, bool | int | float):
            return value
        if value is None and None in self.specials:
            return None
        ok = False
        if self.kind == "choice":
            ok = value in self.choices
        elif self.kind == "bool":
            ok = isinstance(value, bool)
        elif self.kind == "int":
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif self.kind == "float":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            ok = ok and math.isfinite(value)
            value = float(value) if ok else value
        if ok and self.kind in ("int", "float"):
            assert self.low is not None
            assert self.high is not None
            ok = self.low <= value <= self.high
        if not ok:
            raise RecipeError(self.complaint(value, model, fix))
        return value

    def complaint(self, value: Any, model: str, fix: str | None = None) -> str:
        """``The 'C' parameter of Logistic regression must be … Got -1 instead. Fix: …``"""
        remedy = fix or spell("params", {self.name: self.sample})
        return (
            f"The '{self.name}' parameter of {model} must be {self.describe_range()}. "
            f"Got {value!r} instead. Fix: {remedy}"
        )

    @property
    def sample(self) -> Any:
        """A value that works, for fixes: the default when it is a value of the knob's own
        type (``5``), else the row's example (``max_depth``: ``8``), else a choice."""
        if self.example is not None:
            return self.example
        if self.kind in ("int", "float"):
            numeric = isinstance(self.default, int | float) and not isinstance(self.default, bool)
            return self.default if numeric else self.low
        if self.default is not None:
            return self.default
        return self.choices[0] if self.choices else True


@dataclass(frozen=True)
class ModelSpec:
    """One row of the registry: a model, the classes behind it and its knobs."""

    name: str  # registry name used everywhere: "random_forest"
    title: str  # human name: "Random forest"
    summary: str  # one sentence: how it makes a prediction
    classes: dict[Task, str]  # task -> import path of the scikit-learn estimator
    knobs: tuple[Knob, ...]  # the parameters a learner may set (others keep sklearn's default)
    fixed: dict[str, Any] = field(default_factory=dict)  # always passed (e.g. max_iter)
    needs_scaling: bool = False  # distances or gradients: standardise numeric inputs
    needs_dense: bool = False  # cannot take sparse matrices (TF-IDF becomes dense)
    scratch: dict[Task, str] = field(default_factory=dict)  # task -> tinkerlab.scratch.TWINS key
    scratch_knobs: tuple[Knob, ...] = ()  # knobs only the from-scratch twin has

    @property
    def tasks(self) -> frozenset[Task]:
        """The tasks this model can do."""
        return frozenset(self.classes)

    def class_path(self, task: Task, impl: Impl = "sklearn") -> str:
        """Import path of the estimator: scikit-learn's, or our twin in tinkerlab.scratch."""
        if impl == "sklearn":
            return self.classes[task]
        if task not in self.scratch:
            with_twins = [m.name for m in MODELS.values() if task in m.scratch]
            raise RecipeError(
                f"{self.title} has no from-scratch twin for {task}. Models with one: "
                f"{', '.join(with_twins)}. Fix: drop --impl scratch, or pick one of those."
            )
        from tinkerlab.scratch import TWINS

        return f"tinkerlab.scratch.{TWINS[self.scratch[task]][0].__name__}"

    def is_seeded(self, task: Task, impl: Impl = "sklearn") -> bool:
        """Whether the estimator has a ``random_state`` the recipe's seed must control."""
        return "random_state" in _parameters(self.class_path(task, impl))

    def knobs_for(self, task: Task, impl: Impl = "sklearn") -> tuple[Knob, ...]:
        """The knobs that exist for *task* (a twin keeps those of scikit-learn it shares)."""
        knobs = tuple(k for k in self.knobs if task in k.tasks)
        if impl == "scratch":
            accepted = _parameters(self.class_path(task, impl))
            knobs = tuple(k for k in (*knobs, *self.scratch_knobs) if k.name in accepted)
        return knobs

    def knob(self, name: str, task: Task | None = None, impl: Impl = "sklearn") -> Knob:
        """The knob called *name*; an unknown name raises an error listing the valid ones."""
        knobs = self.knobs_for(task, impl) if task else self.knobs
        for k in knobs:
            if k.name == name:
                return k
        valid = [k.name for k in knobs]
        close = difflib.get_close_matches(name, valid, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise RecipeError(
            f"{self.title} has no parameter '{name}'.{hint} "
            f"Valid parameters: {', '.join(valid) or '(none)'}. "
            f"See them with: tinkerlab models {self.name}"
        )


# Reused knob definitions (the same parameter means the same thing in every tree model).
_MAX_DEPTH = Knob(
    "max_depth",
    "int",
    None,
    "How many questions deep each tree may grow; deeper fits more detail (and more noise).",
    low=1,
    high=100,
    specials=(None,),
    example=8,
)
_MIN_LEAF = Knob(
    "min_samples_leaf",
    "int",
    1,
    "The fewest training rows a leaf may hold; larger values smooth the predictions.",
    low=1,
    high=1000,
    scale="log",
)
_N_ESTIMATORS = Knob(
    "n_estimators",
    "int",
    100,
    "How many trees vote; more trees give steadier predictions but cost time.",
    low=1,
    high=5000,
    scale="log",
)
_LEARNING_RATE = Knob(
    "learning_rate",
    "float",
    0.5,
    "The size of each gradient-descent step: too small crawls, too large overshoots and diverges.",
    low=1e-6,
    high=1e3,
    scale="log",
)
_MAX_FEATURES = Knob(
    "max_features",
    "choice",
    "sqrt",
    "How many columns each split may look at; fewer makes the "
    "trees more different from each other.",
    choices=("sqrt", "log2"),
    specials=(None,),
)


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in [
        ModelSpec(
            name="dummy",
            title="Dummy baseline",
            summary="Ignores the features: predicts the most common class or the mean target.",
            classes={
                "classification": "sklearn.dummy.DummyClassifier",
                "regression": "sklearn.dummy.DummyRegressor",
            },
            knobs=(
                Knob(
                    "strategy",
                    "choice",
                    "prior",
                    "What to predict without looking at the features.",
                    choices=("prior", "most_frequent", "stratified", "uniform"),
                    tasks=frozenset({"classification"}),
                ),
                Knob(
                    "strategy",
                    "choice",
                    "mean",
                    "What to predict without looking at the features.",
                    choices=("mean", "median"),
                    tasks=frozenset({"regression"}),
                ),
            ),
        ),
        ModelSpec(
            name="logistic_regression",
            title="Logistic regression",
            summary="A weighted sum of the features pushed through a sigmoid (softmax) into "
            "class probabilities.",
            classes={"classification": "sklearn.linear_model.LogisticRegression"},
            knobs=(
                Knob(
                    "C",
                    "float",
                    1.0,
                    "Inverse regularisation strength: small C keeps the "
                    "weights small, large C fits the training data more closely.",
                    low=1e-6,
                    high=1e6,
                    scale="log",
                ),
                Knob(
                    "max_iter",
                    "int",
                    1000,
                    "How many optimisation steps the solver may take before it stops.",
                    low=1,
                    high=100_000,
                    scale="log",
                ),
                Knob(
                    "class_weight",
                    "choice",
                    None,
                    "'balanced' weighs rare classes up so they count as much as common ones.",
                    choices=("balanced",),
                    specials=(None,),
                ),
            ),
            needs_scaling=True,
            scratch={"classification": "logistic_regression"},
            scratch_knobs=(_LEARNING_RATE,),
        ),
        ModelSpec(
            name="linear_regression",
            title="Linear regression",
            summary="A weighted sum of the features, weights chosen by least squares.",
            classes={"regression": "sklearn.linear_model.LinearRegression"},
            knobs=(
                Knob(
                    "fit_intercept",
                    "bool",
                    True,
                    "Whether to learn a constant offset as well as one weight per feature.",
                ),
            ),
            needs_scaling=True,
            scratch={"regression": "linear_regression"},
        ),
        ModelSpec(
            name="ridge",
            title="Ridge",
            summary="Least squares with a penalty on large weights (L2 regularisation).",
            classes={
                "classification": "sklearn.linear_model.RidgeClassifier",
                "regression": "sklearn.linear_model.Ridge",
            },
            knobs=(
                Knob(
                    "alpha",
                    "float",
                    1.0,
                    "Penalty strength: larger alpha shrinks the weights "
                    "towards zero and makes the model simpler.",
                    low=0.0,
                    high=1e6,
                    scale="log",
                ),
            ),
            needs_scaling=True,
            scratch={"regression": "ridge"},
        ),
        ModelSpec(
            name="knn",
            title="k-nearest neighbours",
            summary="Finds the k most similar training rows and lets them vote (or averages them).",
            classes={
                "classification": "sklearn.neighbors.KNeighborsClassifier",
                "regression": "sklearn.neighbors.KNeighborsRegressor",
            },
            knobs=(
                Knob(
                    "n_neighbors",
                    "int",
                    5,
                    "How many neighbours vote: few follow the data closely, many smooth it out.",
                    low=1,
                    high=10_000,
                    scale="log",
                ),
                Knob(
                    "weights",
                    "choice",
                    "uniform",
                    "'distance' lets closer neighbours count more than farther ones.",
                    choices=("uniform", "distance"),
                ),
                Knob(
                    "p",
                    "int",
                    2,
                    "The distance: 1 is Manhattan (city blocks), 2 is Euclidean (straight line).",
                    low=1,
                    high=2,
                ),
            ),
            needs_scaling=True,
            scratch={"classification": "knn_classifier", "regression": "knn_regressor"},
        ),
        ModelSpec(
            name="decision_tree",
            title="Decision tree",
            summary="A flowchart of yes/no questions about the features, learned greedily.",
            classes={
                "classification": "sklearn.tree.DecisionTreeClassifier",
                "regression": "sklearn.tree.DecisionTreeRegressor",
            },
            knobs=(
                _MAX_DEPTH,
                _MIN_LEAF,
                Knob(
                    "min_samples_split",
                    "int",
                    2,
                    "The fewest rows a node needs before it may be split.",
                    low=2,
                    high=1000,
                    scale="log",
                ),
                Knob(
                    "criterion",
                    "choice",
                    "gini",
                    "How a split's quality is measured.",
                    choices=("gini", "entropy", "log_loss"),
                    tasks=frozenset({"classification"}),
                ),
                Knob(
                    "criterion",
                    "choice",
                    "squared_error",
                    "How a split's quality is measured.",
                    choices=("squared_error", "absolute_error", "friedman_mse", "poisson"),
                    tasks=frozenset({"regression"}),
                ),
            ),
            scratch={
                "classification": "decision_tree_classifier",
                "regression": "decision_tree_regressor",
            },
        ),
        ModelSpec(
            name="random_forest",
            title="Random forest",
            summary="Many decision trees, each grown on a bootstrap sample; they vote.",
            classes={
                "classification": "sklearn.ensemble.RandomForestClassifier",
                "regression": "sklearn.ensemble.RandomForestRegressor",
            },
            knobs=(_N_ESTIMATORS, _MAX_DEPTH, _MIN_LEAF, _MAX_FEATURES),
            scratch={"classification": "random_forest_classifier"},
        ),
        ModelSpec(
            name="extra_trees",
            title="Extra trees",
            summary="Like a random forest, but each split's threshold is drawn at random.",
            classes={
                "classification": "sklearn.ensemble.ExtraTreesClassifier",
                "regression": "sklearn.ensemble.ExtraTreesRegressor",
            },
            knobs=(_N_ESTIMATORS, _MAX_DEPTH, _MIN_LEAF, _MAX_FEATURES),
        ),
        ModelSpec(
            name="gradient_boosting",
            title="Gradient boosting",
            summary="Small trees added one after another, each correcting the errors left so far "
            "(histogram-based).",
            classes={
                "classification": "sklearn.ensemble.HistGradientBoostingClassifier",
                "regression": "sklearn.ensemble.HistGradientBoostingRegressor",
            },
            knobs=(
                Knob(
                    "learning_rate",
                    "float",
                    0.1,
                    "How much each new tree corrects: small "
                    "steps need more trees but generalise better.",
                    low=1e-4,
                    high=10.0,
                    scale="log",
                ),
                Knob(
                    "max_iter",
                    "int",
                    100,
                    "How many trees are added (boosting rounds).",
                    low=1,
                    high=10_000,
                    scale="log",
                ),
                Knob(
                    "max_leaf_nodes",
                    "int",
                    31,
                    "How many leaves each tree may have.",
                    low=2,
                    high=4096,
                    scale="log",
                    specials=(None,),
                ),
                Knob(
                    "max_depth",
                    "int",
                    None,
                    "How deep each tree may grow.",
                    low=1,
                    high=100,
                    specials=(None,),
                    example=6,
                ),
                Knob(
                    "l2_regularization",
                    "float",
                    0.0,
                    "Penalty on large leaf values; larger is smoother.",
                    low=0.0,
                    high=1e4,
                ),
            ),
            needs_dense=True,
        ),
        ModelSpec(
            name="svm",
            title="Support vector machine",
            summary="Finds the boundary with the widest margin between classes, with a kernel "
            "for curved boundaries.",
            classes={"classification": "sklearn.svm.SVC", "regression": "sklearn.svm.SVR"},
            knobs=(
                Knob(
                    "C",
                    "float",
                    1.0,
                    "How hard to avoid margin violations: large C follows "
                    "the training data closely.",
                    low=1e-6,
                    high=1e6,
                    scale="log",
                ),
                Knob(
                    "kernel",
                    "choice",
                    "rbf",
                    "The shape of the boundary: straight (linear) or curved (rbf, poly, sigmoid).",
                    choices=("rbf", "linear", "poly", "sigmoid"),
                ),
                Knob(
                    "gamma",
                    "float",
                    "scale",
                    "How far one training row's influence reaches: large gamma is short-sighted.",
                    low=1e-9,
                    high=1e6,
                    scale="log",
                    specials=("scale", "auto"),
                    example=0.1,
                ),
            ),
            needs_scaling=True,
        ),
        ModelSpec(
            name="naive_bayes",
            title="Naive Bayes (Gaussian)",
            summary="Bayes' rule with features assumed independent and normally distributed "
            "within each class.",
            classes={"classification": "sklearn.naive_bayes.GaussianNB"},
            knobs=(
                Knob(
                    "var_smoothing",
                    "float",
                    1e-9,
                    "A small variance added to every feature for numerical stability.",
                    low=0.0,
                    high=1.0,
                    scale="log",
                ),
            ),
            needs_dense=True,
            scratch={"classification": "gaussian_nb"},
        ),
    ]
}


@functools.cache
def _parameters(path: str) -> frozenset[str]:
    """The keyword parameters of the estimator class at *path*."""
    module, name = path.rsplit(".", 1)
    cls = getattr(importlib.import_module(module), name)
    return frozenset(inspect.signature(cls).parameters)


def get_model(name: str, task: Task | None = None) -> ModelSpec:
    """Return the registry row for *name*; unknown names or tasks get an error listing options."""
    spec = MODELS.get(name)
    if spec is None:
        close = difflib.get_close_matches(name, MODELS, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise RecipeError(
            f"Unknown model '{name}'.{hint} Valid models: {', '.join(MODELS)}. "
            f"Fix: {spell('model', close[0] if close else 'random_forest')} (see all with: "
            "tinkerlab models)"
        )
    if task is not None and task not in spec.tasks:
        valid = [m.name for m in MODELS.values() if task in m.tasks]
        raise RecipeError(
            f"Model '{name}' cannot do {task} (it does {', '.join(sorted(spec.tasks))}). "
            f"Models for {task}: {', '.join(valid)}."
        )
    return spec


def parse_settings(
    model: str, task: Task, settings: Mapping[str, Any] | list[str], impl: Impl = "sklearn"
) -> dict[str, Any]:
    """Check knob values against the model's registry row: typed text is parsed by the
    knob's type (``"8"``, ``"none"``), Python values are checked as they are.

    *settings* is a mapping ``{"max_depth": 8}`` or the command line's ``NAME=VALUE``
    strings.

    >>> parse_settings("decision_tree", "classification", ["max_depth=8", "criterion=entropy"])
    {'max_depth': 8, 'criterion': 'entropy'}
    >>> parse_settings("knn", "regression", {"n_neighbors": "3"})
    {'n_neighbors': 3}
    """
    spec = get_model(model, task)
    if not isinstance(settings, Mapping):
        settings = _pairs(settings, spec.knobs_for(task)[0])
    values: dict[str, Any] = {}
    for name, value in settings.items():
        knob = spec.knob(name.strip(), task, impl)
        values[knob.name] = (
            knob.parse(value, spec.title)
            if isinstance(value, str)
            else knob.check(value, spec.title)
        )
    return values


def _pairs(settings: list[str], first: Knob) -> dict[str, str]:
    """``["max_depth=8"]`` → ``{"max_depth": "8"}``; a malformed one names the fix."""
    pairs: dict[str, str] = {}
    for setting in settings:
        name, sep, text = setting.partition("=")
        if not sep or not name.strip():
            raise RecipeError(
                f"A setting must look like name=value. Got {setting!r} instead. "
                f"Fix: {spell('params', {first.name: first.sample})}"
            )
        pairs[name.strip()] = text
    return pairs


def default_model(task: Task, has_text: bool) -> str:
    """The model a run uses when none is named: a linear model for text, a forest otherwise."""
    if has_text:
        return "logistic_regression" if task == "classification" else "ridge"
    return "random_forest"


def models_for(task: Task) -> list[ModelSpec]:
    """Every registry row that can do *task*, in registry order."""
    return [spec for spec in MODELS.values() if task in spec.tasks]
