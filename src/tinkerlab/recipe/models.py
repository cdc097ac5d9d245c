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
Inputs = Literal["any", "image", "text"]  # what a model reads: any table, pixels, or a text
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

    def nearest(self, value: Any) -> Any:
        """The allowed value closest to *value*: a number out of range is moved to the
        nearer end (``n_neighbors=0`` → ``1``); anything else becomes :attr:`sample`."""
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or self.kind not in ("int", "float") or not math.isfinite(value):
            return self.sample
        assert self.low is not None
        assert self.high is not None
        if self.kind == "int":
            return min(max(round(value), math.ceil(self.low)), math.floor(self.high))
        return float(min(max(value, self.low), self.high))

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
    # Takes sparse matrices but is much faster on dense arrays (trees: scikit-learn's sparse
    # splitter is 5-7x slower on one-hot columns); dense unless the recipe has text columns.
    prefers_dense: bool = False
    scratch_knobs: tuple[Knob, ...] = ()  # knobs only the from-scratch twin has
    extra: str | None = None  # the tinkerlab extra that installs it ("deep"); None: built in
    inputs: Inputs = "any"  # "image": square pixels only; "text": token ids of one text column

    @property
    def tasks(self) -> frozenset[Task]:
        """The tasks this model can do."""
        return frozenset(self.classes)

    @property
    def scratch(self) -> dict[Task, str]:
        """Task -> our twin's name, read from the twins' own table (``tinkerlab.scratch.TWINS``,
        joined on the model's name), so that no fact about a twin is written twice."""
        from tinkerlab.scratch import TWINS  # imports scikit-learn: only when asked

        return {t.task: t.name for t in TWINS.values() if t.model == self.name and t.task}

    def class_path(self, task: Task, impl: Impl = "sklearn") -> str:
        """Import path of the estimator: scikit-learn's, or our twin in tinkerlab.scratch."""
        if impl == "sklearn":
            self.require()
            return self.classes[task]
        if task not in self.scratch:
            with_twins = [m.name for m in MODELS.values() if task in m.scratch]
            raise RecipeError(
                f"{self.title} has no from-scratch twin for {task}. Models with one: "
                f"{', '.join(with_twins)}. Fix: use scikit-learn's ({spell('impl', 'sklearn')}), "
                "or pick one of those."
            )
        from tinkerlab.scratch import TWINS

        return TWINS[self.scratch[task]].path

    def require(self) -> None:
        """Raise :class:`~tinkerlab.pretrained.MissingExtraError` when the packages of the
        model's extra are not installed, naming the install command; else nothing."""
        if self.extra is None:
            return
        import importlib.util

        from tinkerlab.pretrained import MissingExtraError

        missing = tuple(m for m in EXTRA_MODULES[self.extra] if not importlib.util.find_spec(m))
        if missing:
            raise MissingExtraError(
                f"The model '{self.name}' ({self.title}) needs {', '.join(missing)}, which is "
                f"not installed. Fix: pip install -e '.[{self.extra}]' (or pip install "
                f"'tinkerlab[{self.extra}]')",
                extra=self.extra,
                modules=missing,
            )

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
    tasks=frozenset({"classification"}),
)
# scikit-learn's own regression default: every column at every split (None, the same as
# its 1.0). 'sqrt' cost about 0.11 test R² on the Boston housing table.
_MAX_FEATURES_REGRESSION = Knob(
    "max_features",
    "choice",
    None,
    "How many columns each split may look at (None: all of them, scikit-learn's default "
    "for regression); fewer makes the trees more different from each other.",
    choices=("sqrt", "log2"),
    specials=(None,),
    tasks=frozenset({"regression"}),
)


#: The import names each optional extra must provide before its models can be built.
EXTRA_MODULES: dict[str, tuple[str, ...]] = {"deep": ("torch", "skorch")}


def _net_knobs(
    *,
    lr: float,
    epochs: int,
    hidden: int,
    depth: tuple[int, int, int],
    activation: bool = True,
    batch: int = 64,
) -> tuple[Knob, ...]:
    """The knobs every neural network has; *depth* is (default, low, high)."""
    knobs = [
        Knob(
            "lr",
            "float",
            lr,
            "The learning rate: the size of each optimiser step. Too small crawls and has not "
            "converged when the epochs run out; too large overshoots and diverges.",
            low=1e-6,
            high=10.0,
            scale="log",
        ),
        Knob(
            "epochs",
            "int",
            epochs,
            "How many passes over the training rows: too few underfit, too many overfit.",
            low=1,
            high=1000,
        ),
        Knob(
            "batch_size",
            "int",
            batch,
            "Rows per optimiser step: small batches give noisy steps (and more of them), "
            "large batches smooth, fewer steps.",
            low=1,
            high=8192,
            scale="log",
        ),
        Knob(
            "hidden_size",
            "int",
            hidden,
            "Units per hidden layer: the width of the learned representation.",
            low=1,
            high=4096,
            scale="log",
        ),
        Knob(
            "depth",
            "int",
            depth[0],
            "How many layers (blocks) are stacked: deeper nets compose more steps.",
            low=depth[1],
            high=depth[2],
        ),
        Knob(
            "dropout",
            "float",
            0.0,
            "The share of units switched off at random at each training step (regularisation).",
            low=0.0,
            high=0.9,
        ),
        Knob(
            "optimizer",
            "choice",
            "adam",
            "How gradients become steps: sgd (with momentum 0.9), adam, adamw or rmsprop.",
            choices=("adam", "adamw", "sgd", "rmsprop"),
        ),
        Knob(
            "weight_decay",
            "float",
            0.0,
            "A pull of every weight towards zero at each step (L2 regularisation).",
            low=0.0,
            high=1.0,
            scale="log",
        ),
        Knob(
            "early_stopping",
            "bool",
            False,
            "Hold out 10% of the training rows and stop when their loss has not improved "
            "for 5 epochs.",
        ),
    ]
    if activation:
        knobs.append(
            Knob(
                "activation",
                "choice",
                "relu",
                "The non-linearity after each layer: sigmoid and tanh saturate (gradients "
                "vanish in deep nets), relu and gelu do not.",
                choices=("relu", "tanh", "sigmoid", "gelu"),
            )
        )
    return tuple(knobs)


_NET_ROWS = [
    ModelSpec(
        name="mlp_torch",
        title="Neural network (MLP, torch)",
        summary="Layers of weighted sums and non-linearities, trained by mini-batch gradient "
        "descent in PyTorch.",
        classes={
            "classification": "tinkerlab.nets.TorchMLPClassifier",
            "regression": "tinkerlab.nets.TorchMLPRegressor",
        },
        knobs=_net_knobs(lr=0.001, epochs=30, hidden=64, depth=(2, 0, 8)),
        needs_scaling=True,
        needs_dense=True,
        extra="deep",
    ),
    ModelSpec(
        name="cnn",
        title="Convolutional network (torch)",
        summary="Small filters slid over the image find local patterns, pooled into a "
        "smaller map, then a layer reads the classes off them.",
        classes={"classification": "tinkerlab.nets.ConvNetClassifier"},
        knobs=(
            *_net_knobs(lr=0.001, epochs=20, hidden=64, depth=(2, 1, 4)),
            Knob(
                "channels",
                "int",
                16,
                "Filters in the first convolution (each next block has twice as many).",
                low=1,
                high=256,
                scale="log",
            ),
        ),
        needs_scaling=True,
        needs_dense=True,
        extra="deep",
        inputs="image",
    ),
    ModelSpec(
        name="text_rnn",
        title="Recurrent text classifier (GRU, torch)",
        summary="Reads the words of a text in order, updating a memory vector (a GRU); the "
        "final memory decides the class.",
        classes={"classification": "tinkerlab.nets.GRUTextClassifier"},
        knobs=(
            # Batches of 128 at twice the rate: half the sequential GRU steps of batches of
            # 64, the same CV accuracy on the reviews (docs/deep.md), a lab under 60 s.
            *_net_knobs(
                lr=0.006, epochs=5, hidden=64, depth=(1, 1, 4), activation=False, batch=128
            ),
            Knob(
                "embedding_size",
                "int",
                32,
                "Numbers per word in the learned word embedding.",
                low=1,
                high=1024,
                scale="log",
            ),
        ),
        needs_dense=True,
        extra="deep",
        inputs="text",
    ),
    ModelSpec(
        name="text_transformer",
        title="Tiny Transformer text classifier (torch)",
        summary="Every word attends to every other word (self-attention) over a few "
        "layers; the mean of the words' vectors decides the class.",
        classes={"classification": "tinkerlab.nets.TransformerTextClassifier"},
        knobs=(
            *_net_knobs(
                lr=0.003, epochs=5, hidden=32, depth=(1, 1, 6), activation=False, batch=128
            ),
            Knob(
                "heads",
                "int",
                2,
                "Attention heads per layer (hidden_size must split evenly over them).",
                low=1,
                high=16,
            ),
        ),
        needs_dense=True,
        extra="deep",
        inputs="text",
    ),
]


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
            # The twin's own default solver is lbfgs (fast, as scikit-learn's); tinkerlab
            # runs it by gradient descent, so that learning_rate means something to turn.
            scratch_knobs=(
                Knob(
                    "solver",
                    "choice",
                    "gd",
                    "'gd' walks downhill in fixed steps of learning_rate (slow, and it can "
                    "diverge); 'lbfgs' uses the curvature of recent steps to take far fewer.",
                    choices=("gd", "lbfgs"),
                ),
                _LEARNING_RATE,
            ),
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
            prefers_dense=True,
        ),
        ModelSpec(
            name="random_forest",
            title="Random forest",
            summary="Many decision trees, each grown on a bootstrap sample; they vote.",
            classes={
                "classification": "sklearn.ensemble.RandomForestClassifier",
                "regression": "sklearn.ensemble.RandomForestRegressor",
            },
            knobs=(_N_ESTIMATORS, _MAX_DEPTH, _MIN_LEAF, _MAX_FEATURES, _MAX_FEATURES_REGRESSION),
            prefers_dense=True,
        ),
        ModelSpec(
            name="extra_trees",
            title="Extra trees",
            summary="Like a random forest, but each split's threshold is drawn at random.",
            classes={
                "classification": "sklearn.ensemble.ExtraTreesClassifier",
                "regression": "sklearn.ensemble.ExtraTreesRegressor",
            },
            knobs=(_N_ESTIMATORS, _MAX_DEPTH, _MIN_LEAF, _MAX_FEATURES, _MAX_FEATURES_REGRESSION),
            prefers_dense=True,
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
        ),
        *_NET_ROWS,
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


def models_for(task: Task, optional: bool = False) -> list[ModelSpec]:
    """Every registry row that can do *task*, in registry order.

    Models of an optional extra (the neural networks of ``deep``) are left out unless
    *optional*: "every model" (``compare`` without ``--models``, a ``model`` sweep) means
    the built-in ones; naming a net always works.
    """
    return [
        spec for spec in MODELS.values() if task in spec.tasks and (optional or spec.extra is None)
    ]
