"""Render a Recipe as code the learner owns: a standalone script, or a Jupyter notebook.

The script uses only pandas and scikit-learn and prints the same numbers as
``tinkerlab run`` to the printed precision: it reads the table the same way, splits
with the same seed, and builds its pipeline from the same description
(:func:`~tinkerlab.recipe._pipeline.build_program`) that the run builds from.

Both outputs are made of the same :class:`Section` list: a title, a few sentences of
explanation, and code. The script turns each section into a ``# %%`` cell with
comments; the notebook turns it into a markdown cell and a code cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tinkerlab.recipe._calls import literal
from tinkerlab.recipe._metrics import Metric
from tinkerlab.recipe._pipeline import build_program, model_call
from tinkerlab.recipe._steps import step_inputs
from tinkerlab.recipe.models import get_model

if TYPE_CHECKING:
    from tinkerlab.recipe._recipe import Recipe

#: Digits printed for every metric, by the run and by the script alike.
PRECISION = 4
#: Above this many numeric columns the script selects them by exclusion, not by name.
_LONG_LIST = 30


@dataclass(frozen=True)
class Section:
    """One step of the script: a title, why it is done, and the code that does it."""

    title: str
    text: str
    code: str


def splitter_call_code(recipe: Recipe) -> str:
    """The cross-validation splitter, as code (stratified for classification)."""
    name = "StratifiedKFold" if recipe.task == "classification" else "KFold"
    return f"{name}(n_splits={recipe.cv_folds}, shuffle=True, random_state={recipe.seed})"


def _columns_code(recipe: Recipe) -> str:
    lines = [f"TARGET = {literal(recipe.target)}"]
    if len(recipe.numeric) > _LONG_LIST:
        dates = step_inputs(recipe)
        unused = [c for c in recipe.unused if c not in dates]
        others = [recipe.target, *recipe.categorical, *recipe.text, *unused, *dates]
        lines.append(f"NOT_NUMERIC = {_list(others, len('NOT_NUMERIC = '))}")
        lines.append("NUMERIC = [c for c in frame.columns if c not in NOT_NUMERIC]")
    else:
        lines.append(f"NUMERIC = {_list(recipe.numeric, len('NUMERIC = '))}")
    lines.append(f"CATEGORICAL = {_list(recipe.categorical, len('CATEGORICAL = '))}")
    lines.append(f"TEXT = {_list(recipe.text, len('TEXT = '))}")
    dates = step_inputs(recipe)
    if dates:
        lines.append(f"DATES = {_list(dates, len('DATES = '))}  # taken apart by DateParts")
        lines.append("FEATURES = NUMERIC + CATEGORICAL + TEXT + DATES")
    else:
        lines.append("FEATURES = NUMERIC + CATEGORICAL + TEXT")
    return "\n".join(lines)


def _list(names: Any, prefix: int) -> str:
    """A list of column names: on one line if it fits in 88 columns, else one per line."""
    flat = "[" + ", ".join(literal(n) for n in names) + "]"
    if prefix + len(flat) <= 88:
        return flat
    return "[\n" + "".join(f"    {literal(n)},\n" for n in names) + "]"


def sections(recipe: Recipe, metrics: tuple[Metric, ...], reading_code: str) -> list[Section]:
    """The steps of the script for *recipe*.

    *metrics* are the ones the run reported (they depend on the number of classes), and
    *reading_code* loads the table into ``frame``.
    """
    spec = get_model(recipe.model, recipe.task)
    program = build_program(recipe)
    classification = recipe.task == "classification"
    return [
        _imports_section(recipe, program.imports()),
        Section(
            "Load the data",
            f"Read {recipe.dataset!r} exactly as tinkerlab did, name the columns by role, and "
            "drop rows whose target is missing.",
            _load_code(recipe, reading_code),
        ),
        Section(
            "Hold out a test set",
            f"{recipe.test_size:.0%} of the rows are kept aside and only used once, at the end"
            + (", with the same class balance as the whole (stratify)." if classification else "."),
            _split_code(recipe),
        ),
        Section(
            "Build the pipeline",
            f"Preprocessing per column role, then the model: {spec.title}. {spec.summary}",
            program.code(),
        ),
        Section(
            "Choose the metrics and the folds",
            f"{recipe.cv_folds}-fold cross-validation on the training split gives a mean and a "
            "spread; scikit-learn's error scorers are negated (greater is better), the sign "
            "undoes that.",
            _metrics_code(recipe, metrics),
        ),
        Section(
            "Evaluate the model beside a baseline",
            "A dummy model that ignores the features tells you what 'no skill' scores; "
            "your model is only as good as its lead over it.",
            _evaluate_code(recipe),
        ),
    ]


def _imports_section(recipe: Recipe, needed: set[str]) -> Section:
    """The imports, and whether the script needs tinkerlab at all."""
    plain = recipe.impl == "sklearn" and not any("tinkerlab" in i for i in needed)
    return Section(
        "Imports",
        "Only pandas and scikit-learn: this script runs without tinkerlab."
        if plain
        else "pandas and scikit-learn, and from tinkerlab what scikit-learn lacks: "
        + _from_tinkerlab(recipe),
        _import_block(_imports(recipe, needed)),
    )


def _load_code(recipe: Recipe, reading_code: str) -> str:
    """Read the table, name the columns by role, and make ``X`` and ``y``."""
    prepare = [reading_code.rstrip(), "", _columns_code(recipe)]
    prepare.append("frame = frame.dropna(subset=[TARGET]).reset_index(drop=True)")
    if recipe.text:
        prepare.append('frame[TEXT] = frame[TEXT].fillna("")  # TF-IDF needs text, not NaN')
    prepare += ["X = frame[FEATURES]", "y = frame[TARGET]"]
    return "\n".join(prepare)


def _split_code(recipe: Recipe) -> str:
    """The held-out test split (stratified for classification)."""
    stratify = ", stratify=y" if recipe.task == "classification" else ""
    return (
        "X_train, X_test, y_train, y_test = train_test_split(\n"
        f"    X, y, test_size={recipe.test_size!r}, random_state={recipe.seed}{stratify}\n)"
    )


def _metrics_code(recipe: Recipe, metrics: tuple[Metric, ...]) -> str:
    """The metrics with their signs, the scorers and the folds."""
    scoring_lines = [f"    {literal(m.name)}: ({literal(m.scorer)}, {m.sign})," for m in metrics]
    return (
        "SCORING = {\n" + "\n".join(scoring_lines) + "\n}\n"
        "scorers = {name: scorer for name, (scorer, _) in SCORING.items()}\n"
        f"cv_splitter = {splitter_call_code(recipe)}"
    )


#: The script's ``report``: cross-validate, fit, and print each metric's cv and test score.
_REPORT = (
    "def report(label, estimator):\n"
    '    """Cross-validate on the training split, then fit it and score the test split."""\n'
    "    cv = cross_validate(estimator, X_train, y_train, cv=cv_splitter, scoring=scorers)\n"
    "    estimator.fit(X_train, y_train)\n"
    "    print(label)\n"
    "    for name, (scorer, sign) in SCORING.items():\n"
    '        fold_scores = sign * cv[f"test_{name}"]\n'
    "        test_score = sign * get_scorer(scorer)(estimator, X_test, y_test)\n"
    "        print(\n"
    f'            f"  {{name:<18}} cv {{fold_scores.mean():.{PRECISION}f}} '
    f'± {{fold_scores.std():.{PRECISION}f}}"\n'
    f'            f"  test {{test_score:.{PRECISION}f}}"\n'
    "        )"
)

#: Classification only: undefined precisions (the baseline's) are scored 0 without a warning.
_QUIET = (
    "# A model that never predicts some class has an undefined precision for it, scored 0\n"
    "# (the baseline never predicts the rarer classes at all): no need to warn each fold.\n"
    'warnings.filterwarnings("ignore", category=UndefinedMetricWarning)\n\n\n'
)


def _evaluate_code(recipe: Recipe) -> str:
    """Report the model, then the dummy baseline (and a network's module and curve)."""
    classification = recipe.task == "classification"
    baseline = "DummyClassifier()" if classification else "DummyRegressor()"
    return (
        (_QUIET if classification else "")
        + _REPORT
        + f'\n\n\nreport("{recipe.model}", pipeline)\nreport("baseline", {baseline})'
        + _show_module(recipe)
    )


def _show_module(recipe: Recipe) -> str:
    """For a neural network: print its torch module (layer by layer) and training curve."""
    if get_model(recipe.model).extra != "deep":
        return ""
    return (
        "\n\n# The torch module inside the model, layer by layer (tinkerlab/nets/_modules.py\n"
        "# holds its code), and the training loss of its last fit, epoch by epoch.\n"
        'net = pipeline.named_steps["model"]\n'
        "print(net.module_)\n"
        'print("train loss by epoch:", [round(row["train_loss"], 4) for row in net.history_])'
    )


def _from_tinkerlab(recipe: Recipe) -> str:
    """What the script imports from tinkerlab, in words."""
    parts = []
    if get_model(recipe.model).extra == "deep":
        parts.append("the neural network from tinkerlab.nets (a torch module trained by skorch)")
    if recipe.impl == "scratch":
        parts.append("the model from tinkerlab.scratch (a NumPy twin of scikit-learn's)")
    kinds = {step.split(":")[0] for step in recipe.preprocessing.add}
    if "date" in kinds:
        parts.append("DateParts (year, month, day and weekday of a date)")
    if "len" in kinds:
        parts.append("TextLength (characters and words of a text)")
    if recipe.preprocessing.text_features != "tfidf":
        parts.append("the pre-trained text featuriser")
    return "; ".join(parts) + "."


def _imports(recipe: Recipe, needed: set[str]) -> set[str]:
    found = {
        "import pandas as pd",
        "from sklearn.metrics import get_scorer",
        "from sklearn.model_selection import cross_validate, train_test_split",
        "from sklearn.dummy import "
        + ("DummyClassifier" if recipe.task == "classification" else "DummyRegressor"),
        "from sklearn.model_selection import "
        + ("StratifiedKFold" if recipe.task == "classification" else "KFold"),
    }
    if recipe.task == "classification":
        found |= {"import warnings", "from sklearn.exceptions import UndefinedMetricWarning"}
    found |= needed | model_call(recipe).imports()
    # Merge "from m import a" and "from m import b" into one line per module.
    by_module: dict[str, set[str]] = {}
    plain = set()
    for line in found:
        if line.startswith("from "):
            module, names = line[5:].split(" import ")
            by_module.setdefault(module, set()).update(n.strip() for n in names.split(","))
        else:
            plain.add(line)
    return plain | {f"from {m} import {', '.join(sorted(n))}" for m, n in by_module.items()}


def _import_block(lines: set[str]) -> str:
    """Imports grouped as isort does: the standard library, third parties, then tinkerlab."""
    stdlib = sorted(line for line in lines if line == "import warnings")
    ours = sorted(line for line in lines if line.startswith("from tinkerlab"))
    third = [line for line in lines if line not in stdlib and line not in ours]
    third.sort(key=lambda line: (not line.startswith("import "), line))
    return "\n\n".join("\n".join(group) for group in (stdlib, third, ours) if group)


def render_script(
    recipe: Recipe, metrics: tuple[Metric, ...], reading_code: str, header: str
) -> str:
    """The recipe as a standalone Python script with ``# %%`` cells."""
    docstring = header.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    script = f'"""{docstring}\n"""\n'
    for i, section in enumerate(sections(recipe, metrics, reading_code), start=1):
        comment = "\n".join(f"# {line}" if line else "#" for line in _wrap(section.text))
        gap = "\n\n" if "\ndef " in f"\n{section.code}" else "\n"  # PEP 8: 2 lines before a def
        script += f"{gap}# %% {i}. {section.title}\n{comment}\n{section.code}\n"
    return script


def render_notebook(
    recipe: Recipe, metrics: tuple[Metric, ...], reading_code: str, header: str
) -> str:
    """The recipe as a Jupyter notebook (nbformat 4 JSON): a markdown cell per step."""
    import nbformat

    notebook = nbformat.v4.new_notebook()
    cells = [nbformat.v4.new_markdown_cell(f"# {header}")]
    for i, section in enumerate(sections(recipe, metrics, reading_code), start=1):
        cells.append(nbformat.v4.new_markdown_cell(f"## {i}. {section.title}\n\n{section.text}"))
        cells.append(nbformat.v4.new_code_cell(section.code))
    notebook.cells = cells
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return str(nbformat.writes(notebook))


def _wrap(text: str, width: int = 86) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [""]
