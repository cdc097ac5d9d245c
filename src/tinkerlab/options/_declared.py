"""Every option of ``run``, ``tinker``, ``compare`` and ``search``, declared once, as one table.

One row per option: its name, the rule for its values, its default, one sentence of
help and an example. The command line builds its flags and ``--help`` from these rows,
the Python API checks its keyword arguments against them, and the web lab renders its
form controls from them, so the three can never disagree. :data:`COMMANDS` says which
command takes which option, and :data:`RULES` how options constrain each other.

Adding an option is adding a row here and naming it in :data:`COMMANDS`; then use it
where the work is done (``settings.name``).

>>> OPTIONS["test_size"].describe()
'a float in the range [0.05, 0.5]'
>>> [o.name for o in options_for("compare")][:3]
['dataset', 'budget', 'models']
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from tinkerlab.options._constraints import (
    Boolean,
    ByteSize,
    Choices,
    Constraint,
    FilePath,
    Interval,
    Items,
    KnobSpans,
    KnobValues,
    Source,
    Span,
    Text,
    Value,
)

Surface = Literal["python", "cli", "web"]
EVERYWHERE: frozenset[Surface] = frozenset({"python", "cli", "web"})
CLI_ONLY: frozenset[Surface] = frozenset({"cli"})
NOT_WEB: frozenset[Surface] = frozenset({"python", "cli"})

#: The groups options are shown in (``--help`` panels, web form sections), in the order
#: a learner meets them.
GROUPS = (
    "Data",
    "Model",
    "Evaluation",
    "Experiment",
    "Prediction",
    "Comparison",
    "Where it runs",
    "Journal",
    "Output",
)


@dataclass(frozen=True)
class Option:
    """One option a command takes: the rule for its values, its default, its help."""

    name: str  # the Python keyword (``test_size``); the flag is derived (``--test-size``)
    rule: Constraint  # which values are allowed (``tinkerlab.options._constraints``)
    default: Any  # used when it is not given; None often means "decided from the data"
    help: str  # one plain sentence; {other} names another option as the surface spells it
    example: Any  # a value that works, used in fixes ("Fix: --test-size 0.2") and help
    group: str  # where it is shown: one of GROUPS
    flag: str | None = None  # the command-line spelling when not derived: "--set", "--range"
    repeat: bool = False  # given many times on the command line (--drop a --drop b)
    argument: bool = False  # a positional argument on the command line (the dataset)
    surfaces: frozenset[Surface] = EVERYWHERE  # where it exists: python, cli, web
    label: str | None = None  # a form's label when not derived from the name

    @property
    def cli_flag(self) -> str:
        """``--test-size``, or the declared spelling (``--set``, ``--no-predict``)."""
        return self.flag or "--" + self.name.replace("_", "-")

    @property
    def title(self) -> str:
        """How a form labels it: ``Test size``."""
        return self.label or self.name.replace("_", " ").capitalize()

    def describe(self) -> str:
        """The rule in words, for help and errors."""
        return self.rule.describe()


def _option(
    name: str, rule: Constraint, default: Any, help: str, example: Any, **kw: Any
) -> Option:
    return Option(name, rule, default, help, example, kw.pop("group"), **kw)


def _column_option(name: str, help: str) -> Option:
    return _option(
        name,
        Items(Text(choices_from="columns")),
        (),
        help,
        ["name"],
        group="Data",
        repeat=True,
    )


_ROWS = [
    # --- Data --------------------------------------------------------------------------
    _option(
        "dataset",
        Source(),
        None,
        "A built-in name (tinkerlab datasets) or a file: CSV, Parquet, JSON lines, Excel.",
        "titanic",
        group="Data",
        argument=True,
    ),
    _option(
        "recipe",
        FilePath(),
        None,
        "Run a recipe file again (TOML or JSON, written by {recipe_out}) instead of a dataset.",
        "recipe.toml",
        group="Data",
        surfaces=CLI_ONLY,
    ),
    _option(
        "target",
        Text(choices_from="columns"),
        None,
        "The column to predict (built-ins know theirs).",
        "survived",
        group="Data",
    ),
    _option(
        "task",
        Choices("classification", "regression"),
        None,
        "classification or regression (inferred from the target otherwise).",
        "classification",
        group="Data",
    ),
    _column_option("drop", "A column to leave out; repeat it."),
    _column_option("text", "Treat a column as free text; repeat it."),
    _column_option("categorical", "Treat a column as categories; repeat it."),
    _column_option("numeric", "Treat a column as a number (keeps an id-like column); repeat it."),
    _option("sep", Text(), None, "CSV delimiter (sniffed otherwise).", ";", group="Data"),
    _option("encoding", Text(), None, "File encoding (sniffed otherwise).", "cp1252", group="Data"),
    _option(
        "sheet", Text(), None, "Excel sheet name (default: the first).", "Sheet1", group="Data"
    ),
    _option(
        "max_bytes",
        ByteSize(),
        None,
        "Memory budget for reading a file, e.g. 500M or 2G; larger files are sampled.",
        "500M",
        group="Data",
    ),
    # --- Model -------------------------------------------------------------------------
    _option(
        "model",
        Text(choices_from="models"),
        None,
        "A model from `tinkerlab models`; default random_forest (a linear model for text).",
        "knn",
        group="Model",
    ),
    _option(
        "params",
        KnobValues(),
        None,
        "A knob value, NAME=VALUE; repeat it. See `tinkerlab models NAME`.",
        {"max_depth": 8},
        group="Model",
        flag="--set",
        repeat=True,
        label="Knob values",
    ),
    _option(
        "impl",
        Choices("sklearn", "scratch"),
        "sklearn",
        "sklearn, or scratch for our NumPy twin of the model (tinkerlab.scratch).",
        "scratch",
        group="Model",
        label="Implementation",
    ),
    _option(
        "text_features",
        Choices("tfidf", "minilm", "vader"),
        "tfidf",
        "How text columns become numbers: tfidf, minilm (frozen pre-trained sentence "
        "embeddings + a trained model: transfer learning) or vader (sentiment scores).",
        "minilm",
        group="Model",
    ),
    _option(
        "add",
        Items(Text()),
        (),
        "A new feature beside the columns, repeat it: log:COL, sqrt:COL, bins:COL=K, "
        "poly:D, inter, date:COL or len:COL (tinkerlab look suggests some).",
        ["log:fare"],
        group="Model",
        repeat=True,
    ),
    # --- Evaluation --------------------------------------------------------------------
    _option(
        "cv",
        Interval("int", 2, 50),
        5,
        "Folds of cross-validation on the training split.",
        5,
        group="Evaluation",
        label="Folds",
    ),
    _option(
        "test_size",
        Interval("float", 0.05, 0.5),
        0.2,
        "Share of rows held out for the final test score.",
        0.2,
        group="Evaluation",
    ),
    _option(
        "seed",
        Interval("int", 0, 2**32 - 1),
        0,
        "Seed of the split, the folds and the model: same seed, same numbers.",
        0,
        group="Evaluation",
    ),
    _option(
        "metric",
        Text(choices_from="metrics"),
        None,
        "The score to compare: accuracy (default), f1, roc_auc, r2 (regression), rmse...",
        "f1",
        group="Evaluation",
    ),
    _option(
        "repeats",
        Interval("int", 1, 50),
        None,
        "Repeats of the k-fold split (default 2, or 1 for slow models on big tables, then more "
        "while the curve is too noisy to tell); a number fixes it.",
        3,
        group="Evaluation",
    ),
    # --- Experiment (tinker) -----------------------------------------------------------
    _option(
        "knob",
        Text(choices_from="knobs"),
        None,
        "What to change: a model parameter (tinkerlab models NAME) or train_size, features, "
        "model, seed, label_noise, feature_noise, scaling, text_features, add_feature, "
        "test_size.",
        "max_depth",
        group="Experiment",
    ),
    _option(
        "values",
        Items(Value()),
        None,
        "The values, comma-separated: 1,3,5 or knn,svm or on,off.",
        [1, 3, 5],
        group="Experiment",
    ),
    _option(
        "span",
        Span(),
        None,
        "A range LOW:HIGH instead of values, spaced by the knob's scale ({steps} values).",
        (1, 20),
        group="Experiment",
        flag="--range",
        label="Range",
    ),
    _option(
        "steps",
        Interval("int", 2, 200),
        None,
        "How many values a range gets (default 8; every integer of a short int range).",
        10,
        group="Experiment",
    ),
    _option(
        "scale",
        Choices("linear", "log"),
        None,
        "Spacing of a range: linear or log (default: the knob's own).",
        "log",
        group="Experiment",
    ),
    _option(
        "mode",
        Choices("drop-one", "add-one"),
        "drop-one",
        "For the features knob: leave one column out at a time (ablation), or use one alone.",
        "add-one",
        group="Experiment",
    ),
    # --- Experiment (search) -----------------------------------------------------------
    _option(
        "knobs",
        KnobSpans(),
        None,
        "A knob to tune and where, NAME=LOW:HIGH (a range, spaced by the knob's scale) or "
        "NAME=A,B,C (values); repeat it for each knob (tinkerlab models NAME lists them).",
        {"max_depth": "2:16", "min_samples_leaf": "1:20"},
        group="Experiment",
        flag="--knob",
        repeat=True,
        label="Knobs",
    ),
    _option(
        "strategy",
        Choices("grid", "random"),
        "grid",
        "How the settings are made: grid (every combination of the knobs' values) or random "
        "({candidates} settings drawn on each knob's scale).",
        "random",
        group="Experiment",
    ),
    _option(
        "candidates",
        Interval("int", 2, 2000),
        None,
        "How many settings a random search draws (default 30); a grid has every combination.",
        50,
        group="Experiment",
    ),
    _option(
        "evidence_budget",
        Interval("float", 0, None),
        30.0,
        "Seconds of extra fitting the experiment may spend adding repeats while the curve is "
        "too noisy to tell (0: never; {repeats} fixes the repeats instead).",
        60,
        group="Experiment",
    ),
    _option(
        "fast",
        Boolean(),
        True,
        "Use the knob's fast exact path when it has one (same scores); turn it off to fit "
        "every value separately, to compare.",
        False,
        group="Experiment",
        flag="--fast/--no-fast",
    ),
    _option(
        "resume",
        Interval("int", 1, None),
        None,
        "Finish an interrupted experiment by its id: only what is missing is fitted.",
        4,
        group="Experiment",
        surfaces=NOT_WEB,
    ),
    # --- Prediction --------------------------------------------------------------------
    _option(
        "predict",
        Choices("up", "down", "peak", "valley", "flat", "differs"),
        None,
        "Your prediction, made before the run: up, down, peak, valley or flat (flat or "
        "differs for knobs without an order).",
        "peak",
        group="Prediction",
        label="Predicted shape",
    ),
    _option(
        "predict_best",
        Value(),
        None,
        "The value you expect to score best.",
        5,
        group="Prediction",
        label="Predicted best value",
    ),
    _option(
        "predict_score",
        Interval("float", None, None),
        None,
        "The best score you expect, e.g. 0.82.",
        0.82,
        group="Prediction",
        label="Predicted best score",
    ),
    _option(
        "no_predict",
        Boolean(),
        False,
        "Do not ask for a prediction first.",
        True,
        group="Prediction",
        flag="--no-predict",
        surfaces=CLI_ONLY,
    ),
    # --- Comparison --------------------------------------------------------------------
    _option(
        "budget",
        Interval("float", 0, None, closed="neither"),
        60.0,
        "Seconds for the whole comparison; models that would run past it are stopped.",
        60,
        group="Comparison",
    ),
    _option(
        "models",
        Items(Text(choices_from="models")),
        None,
        "Models to compare, comma-separated (default: every model for the task).",
        ["knn", "random_forest"],
        group="Comparison",
    ),
    _option(
        "timeout",
        Interval("float", 0, None, closed="neither"),
        None,
        "A hard limit per model in seconds (default: a fair share of the budget).",
        30,
        group="Comparison",
    ),
    _option(
        "race",
        Boolean(),
        True,
        "Race the models: every model on the first fold, only the best third on the next "
        "ones (successive halving); turn it off to run every model on every fold.",
        False,
        group="Comparison",
        flag="--race/--no-race",
    ),
    _option(
        "in_process",
        Boolean(),
        None,
        "Fit in this process (true: nothing to start, limits checked between fits) or in "
        "worker processes that can be stopped mid-fit (false); default: by the table's size.",
        True,
        group="Where it runs",
        surfaces=frozenset({"python"}),
    ),
    # --- Where it runs -----------------------------------------------------------------
    _option(
        "cluster",
        Text(),
        None,
        "A Dask scheduler to run on, tcp://host:8786 (or set TINKERLAB_DASK).",
        "tcp://127.0.0.1:8786",
        group="Where it runs",
        surfaces=NOT_WEB,
    ),
    _option(
        "n_jobs",
        Interval("int", 1, 1024),
        None,
        "Local worker processes (default: one per core).",
        2,
        group="Where it runs",
        flag="--jobs",
        label="Workers",
    ),
    # --- Journal -----------------------------------------------------------------------
    _option(
        "db",
        Text(),
        None,
        "Journal database URL (default: TINKERLAB_DB or the SQLite file in TINKERLAB_HOME).",
        "sqlite:///journal.sqlite",
        group="Journal",
        surfaces=NOT_WEB,
    ),
    _option(
        "record",
        Boolean(),
        True,
        "Record it in the journal.",
        False,
        group="Journal",
        flag="--record/--no-record",
    ),
    _option(
        "force",
        Boolean(),
        False,
        "Overwrite files that {script}, {notebook}, {recipe_out} or {save} would replace.",
        True,
        group="Output",
        flag="--force",
        surfaces=NOT_WEB,
    ),
    # --- Output ------------------------------------------------------------------------
    _option(
        "script",
        FilePath(),
        None,
        "Write a standalone script that reproduces this run.",
        "train.py",
        group="Output",
        surfaces=CLI_ONLY,
    ),
    _option(
        "notebook",
        FilePath(),
        None,
        "Write the same as a Jupyter notebook.",
        "train.ipynb",
        group="Output",
        surfaces=CLI_ONLY,
    ),
    _option(
        "recipe_out",
        FilePath(),
        None,
        "Write the recipe as TOML (or JSON if the name ends in .json).",
        "recipe.toml",
        group="Output",
        surfaces=CLI_ONLY,
    ),
    _option(
        "save",
        FilePath(),
        None,
        "Save the trained model as an artifact directory to serve (tinkerlab serve DIR).",
        "models/titanic",
        group="Output",
        surfaces=CLI_ONLY,
    ),
    _option(
        "html",
        FilePath(),
        None,
        "Write the charts (a heat map of two knobs, parallel coordinates for more) as an "
        "offline HTML page.",
        "search.html",
        group="Output",
        surfaces=CLI_ONLY,
    ),
    _option(
        "json",
        Boolean(),
        False,
        "Print JSON for scripts.",
        True,
        group="Output",
        flag="--json",
        surfaces=CLI_ONLY,
    ),
]

#: Every option, by name.
OPTIONS: dict[str, Option] = {row.name: row for row in _ROWS}


@dataclass(frozen=True)
class Use:
    """An option as one command takes it, with that command's own default or help."""

    name: str
    default: Any = field(default=..., kw_only=True)  # ... keeps the declared default
    help: str | None = field(default=None, kw_only=True)

    def apply(self) -> Option:
        option = OPTIONS[self.name]
        changes: dict[str, Any] = {}
        if self.default is not ...:
            changes["default"] = self.default
        if self.help is not None:
            changes["help"] = self.help
        return replace(option, **changes) if changes else option


_LOADING = ("target", "task", "drop", "text", "categorical", "numeric")
_READING = ("sep", "encoding", "sheet", "max_bytes")
_MODEL = ("model", "params", "impl", "text_features", "add")
_SWEEP = ("knob", "values", "span", "steps", "scale", "mode")
_PREDICT = ("predict", "predict_best", "predict_score")
#: What a resumed experiment keeps from when it started.
_RESUMED: tuple[str, ...] = (*_SWEEP, *_MODEL, "metric", "repeats", "cv", "test_size", "seed")
_RESUMED += ("evidence_budget",)
_RESUMED += (*_PREDICT, "dataset", *_LOADING, *_READING)

#: Which options each command takes, in the order ``--help`` and forms show them.
COMMANDS: dict[str, tuple[str | Use, ...]] = {
    "run": (
        "dataset",
        "recipe",
        *_LOADING,
        *_READING,
        "model",
        "params",
        "impl",
        "text_features",
        "add",
        "cv",
        "test_size",
        "seed",
        "db",
        Use("record", help="Record the run in the journal."),
        "script",
        "notebook",
        "recipe_out",
        "save",
        "force",
        "json",
    ),
    "tinker": (
        "dataset",
        "knob",
        "values",
        "span",
        "steps",
        "scale",
        "mode",
        "model",
        "params",
        "impl",
        "text_features",
        "add",
        "metric",
        "repeats",
        "cv",
        Use("test_size", help="Share of rows held out (never scored while tinkering)."),
        "seed",
        "predict",
        "predict_best",
        "predict_score",
        "no_predict",
        "evidence_budget",
        "cluster",
        "n_jobs",
        "fast",
        "resume",
        Use("force", help="With {resume}: resume even if another machine seems to run it."),
        *_LOADING,
        *_READING,
        "db",
        Use("record", help="Record the experiment as it runs (needed to resume it)."),
        "json",
    ),
    "compare": (
        "dataset",
        "budget",
        "models",
        "metric",
        Use("repeats", default=1, help="How often the k-fold split is redrawn (default 1)."),
        "cv",
        "test_size",
        "seed",
        "timeout",
        "race",
        "n_jobs",
        "in_process",
        "text_features",
        *_LOADING,
        *_READING,
        "db",
        Use("record", help="Record the comparison in the journal."),
        "json",
    ),
    "search": (
        "dataset",
        "knobs",
        "model",
        "params",
        "strategy",
        Use(
            "steps",
            help="Values per knob range on a grid (default 8 for one knob, 6 for two, 4 for "
            "three, 3 beyond).",
        ),
        "candidates",
        Use(
            "race",
            help="Race the settings by successive halving (scikit-learn's HalvingGridSearchCV: "
            "every setting on a few rows, the best third on three times more, and so on); "
            "turn it off to cross-validate every setting on every row.",
        ),
        "metric",
        Use("repeats", default=1, help="How often the k-fold split is redrawn (default 1)."),
        "cv",
        "test_size",
        "seed",
        "text_features",
        "cluster",
        "n_jobs",
        *_LOADING,
        *_READING,
        "db",
        Use("record", help="Record the search in the journal."),
        Use("script", help="Write a standalone script that reproduces the best setting's run."),
        "html",
        Use("force", help="Overwrite files that {script} or {html} would replace."),
        "json",
    ),
}


def options_for(command: str, surface: Surface | None = None) -> list[Option]:
    """The options *command* takes (on *surface*, if given), in display order."""
    rows = [Use(u).apply() if isinstance(u, str) else u.apply() for u in COMMANDS[command]]
    return [o for o in rows if surface is None or surface in o.surfaces]


@dataclass(frozen=True)
class Excludes:
    """*name*, when given, rules out *others* (``--resume`` with ``--knob``)."""

    name: str
    others: tuple[str, ...]
    because: str  # why, completing "… cannot go together: …"


@dataclass(frozen=True)
class Requires:
    """*name* only makes sense together with *other* (``--force`` with ``--resume``)."""

    name: str
    other: str
    because: str  # what *name* does, completing "… only applies with …: …"


@dataclass(frozen=True)
class Needs:
    """*names* must be given, unless *unless* is."""

    names: tuple[str, ...]
    unless: str | None = None
    because: str = ""  # what it is for, completing "Name …"


#: How options of one command constrain each other, checked before any work starts.
RULES: dict[str, tuple[Excludes | Requires | Needs, ...]] = {
    "run": (
        Excludes(
            "recipe",
            ("dataset", *_LOADING, *_READING, *_MODEL, "cv", "test_size", "seed"),
            "a recipe names its own data, model and evaluation",
        ),
        Needs(("dataset",), unless="recipe", because="the data to learn from"),
    ),
    "tinker": (
        Excludes(
            "resume",
            _RESUMED,
            "a resumed experiment keeps its own settings",
        ),
        Excludes("values", ("span",), "give the values or a range, not both"),
        Excludes(
            "no_predict",
            ("predict", "predict_best", "predict_score"),
            "a prediction was given and refused at once",
        ),
        Requires("force", "resume", "it lets a resume take over an experiment"),
        Needs(("dataset", "knob"), unless="resume", because="what to change, on which data"),
    ),
    "compare": (Needs(("dataset",), because="the data to compare the models on"),),
    "search": (
        Needs(("dataset",), because="the data to tune the model on"),
        Excludes("candidates", ("steps",), "a random search draws settings, a grid spaces values"),
    ),
}
