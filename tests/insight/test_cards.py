"""Theory cards are data: every shipped card parses, links to cards that exist, shows a real
phenomenon with a command the CLI accepts on a built-in dataset, and ships code that runs."""

from __future__ import annotations

import contextlib
import io
import re
import warnings
from importlib import resources

import pytest
import typer

from tinkerlab.exceptions import InputError, NotFoundError
from tinkerlab.insight import (
    EVIDENCE,
    PHENOMENA,
    Card,
    cards,
    known_triggers,
    latex_to_unicode,
    math_to_mathml,
    parse_card,
    theory,
)
from tinkerlab.insight._render import split_math

CARDS = cards()
IDS = [c.id for c in CARDS]

#: The topics issue 4 asks the cards to cover, and the card that covers each.
TOPICS = {
    "train/test split": "train_test_split",
    "overfitting": "overfitting",
    "underfitting": "underfitting",
    "bias-variance": "bias_variance",
    "cross-validation": "cross_validation",
    "learning curves": "learning_curves",
    "regularisation": "regularisation",
    "gradient descent and the learning rate": "gradient_descent",
    "mean squared error": "mean_squared_error",
    "sigmoid and logistic regression's decision boundary": "logistic_regression",
    "k-nearest neighbours and distance": "knn_distance",
    "feature scaling": "feature_scaling",
    "decision trees and impurity": "decision_trees",
    "random forests and bagging": "random_forests",
    "boosting": "boosting",
    "SVMs and kernels": "svm_kernels",
    "naive Bayes": "naive_bayes",
    "k-means": "kmeans",
    "PCA": "pca",
    "precision/recall/F1": "precision_recall_f1",
    "ROC and AUC": "roc_auc",
    "confusion matrix": "confusion_matrix",
    "class imbalance": "class_imbalance",
    "data leakage": "data_leakage",
    "categorical features and missing values": "categorical_encoding",
    "hyperparameter search": "hyperparameter_search",
    "matrix operations": "matrix_operations",
    "derivatives and the chain rule": "derivatives_chain_rule",
    "probability basics": "probability_basics",
    "variance and confidence intervals": "variance_confidence_intervals",
}


def test_at_least_28_cards_one_per_file_with_unique_ids() -> None:
    files = [
        e.name
        for e in (resources.files("tinkerlab.insight") / "cards").iterdir()
        if e.name.endswith(".md")
    ]
    assert len(CARDS) >= 28
    assert len(files) == len(CARDS) == len(set(IDS))
    assert sorted(files) == sorted(f"{i}.md" for i in IDS)


def test_every_topic_of_the_issue_has_its_card() -> None:
    missing = {topic: card for topic, card in TOPICS.items() if card not in IDS}
    assert not missing


def test_every_phenomenon_is_shown_by_some_card() -> None:
    shown = {c.shows for c in CARDS}
    assert set(PHENOMENA) <= shown, set(PHENOMENA) - shown


@pytest.mark.parametrize("card", CARDS, ids=IDS)
def test_front_matter_is_complete_and_consistent(card: Card) -> None:
    assert card.title
    assert card.concepts
    assert card.unlocked_by
    assert card.example
    assert card.shows in PHENOMENA
    assert card.shows in card.unlocked_by, "spotting what a card shows must unlock it"
    assert set(card.unlocked_by) <= known_triggers(), set(card.unlocked_by) - known_triggers()
    for other in (*card.prerequisites, *card.related):
        assert other in IDS, f"{card.id} links to a card that does not exist: {other}"
        assert other != card.id
    assert not set(card.prerequisites) & set(card.related)


@pytest.mark.parametrize("card", CARDS, ids=IDS)
def test_idea_has_one_evidence_line_that_the_learners_numbers_fill(card: Card) -> None:
    assert card.idea.count(EVIDENCE) == 1
    assert card.example in card.idea_markdown()
    filled = card.with_evidence("depth 7: train 0.99, CV 0.70").idea_markdown()
    assert "depth 7: train 0.99, CV 0.70" in filled
    assert card.example not in filled


@pytest.mark.parametrize("card", CARDS, ids=IDS)
def test_math_renders_in_unicode_and_mathml(card: Card) -> None:
    formulas = [text for kind, text in split_math(card.math) if kind != "text"]
    for section in (card.idea, card.try_note):
        formulas += [text for kind, text in split_math(section) if kind != "text"]
    assert formulas or card.math_level == 0, "math level above 0 but no formula"
    for latex in formulas:
        unicode = latex_to_unicode(latex, strict=True)
        assert "\\" not in unicode, (latex, unicode)
        assert unicode.strip(), latex
        assert "<math" in math_to_mathml(latex), latex


@pytest.mark.parametrize("card", CARDS, ids=IDS)
def test_code_is_5_to_15_lines_and_compiles(card: Card) -> None:
    lines = [line for line in card.code.splitlines() if line.strip()]
    assert 5 <= len(lines) <= 15, f"{card.id}: {len(lines)} lines"
    assert all(len(line) <= 100 for line in card.code.splitlines())
    compile(card.code, f"<card {card.id}>", "exec")


@pytest.mark.slow
@pytest.mark.parametrize("card", CARDS, ids=IDS)
def test_code_runs_and_prints(card: Card) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(card.code, f"<card {card.id}>", "exec"), {"__name__": "__card__"})
    assert out.getvalue().strip(), f"{card.id}'s code prints nothing"


def _tinker_params(command: str) -> dict[str, object]:
    """Parse a "try this" line with the real CLI's parser; the tinker command's parameters."""
    from tinkerlab.cli import app

    program, name, *args = command.split()
    assert (program, name) == ("tinkerlab", "tinker")
    group = typer.main.get_command(app)
    with group.make_context(program, [name, *args]) as ctx:
        tinker = group.get_command(ctx, name)
        assert tinker is not None
        with tinker.make_context(name, args, parent=ctx) as sub:
            return dict(sub.params)


@pytest.mark.parametrize("card", CARDS, ids=IDS)
def test_try_this_is_a_valid_tinker_command_on_a_built_in_dataset(card: Card) -> None:
    from tinkerlab.data import list_datasets, load
    from tinkerlab.experiment import plan_sweep
    from tinkerlab.recipe import default_model, get_model, make_recipe, parse_settings

    params = _tinker_params(card.try_this)
    assert params["dataset"] in {d.name for d in list_datasets()}
    assert params["knob"]
    data = load(
        params["dataset"], target=params["target"], task=params["task"], drop=params["drop"] or []
    )
    model = params["model"] or default_model(data.task, has_text=bool(data.features("text")))
    get_model(model, data.task)
    impl = params["impl"] or "sklearn"
    settings = parse_settings(model, data.task, list(params["params"] or []), impl)
    recipe = make_recipe(data, model=model, params=settings, impl=impl)
    given = params["values"]
    values = None if given is None else str(given).split(",") if isinstance(given, str) else given
    sweep = plan_sweep(
        recipe,
        str(params["knob"]),
        values,
        span=params["span"],
        steps=params["steps"],
        scale=params["scale"],
        mode=params["mode"] or "drop-one",
    )
    assert len(sweep.points) >= 2
    assert card.try_this.startswith("tinkerlab tinker ")


def test_theory_finds_by_id_title_and_forgiving_spelling() -> None:
    assert theory("overfitting").id == "overfitting"
    assert theory("Feature Scaling").id == "feature_scaling"
    assert theory("gradient-descent").id == "gradient_descent"
    assert theory("The bias–variance trade-off").id == "bias_variance"


@pytest.mark.parametrize(
    ("asked", "suggested"),
    [("overfit", "overfitting"), ("gradient_decent", "gradient_descent"), ("knn", "knn_distance")],
)
def test_an_unknown_id_suggests_the_closest_cards(asked: str, suggested: str) -> None:
    with pytest.raises(NotFoundError, match=re.escape(repr(suggested))) as error:
        theory(asked)
    assert "tinkerlab theory" in str(error.value)


GOOD = """---
id: tiny_card
title: "A tiny card: for tests"
concepts: [tiny, test]
unlocked_by: [plateau]
shows: plateau
math_level: 1
prerequisites: []
related: [overfitting]
example: it stopped rising
---
## The idea

Some words.

{evidence}

## The math

$x^2$

## In code

```python
print(1)
```

## Try this

```bash
tinkerlab tinker iris --knob n_estimators --values 1,10
```

Look.
"""


def test_a_card_parses_from_text() -> None:
    card = parse_card(GOOD)
    assert card.title == "A tiny card: for tests"
    assert card.related == ("overfitting",)
    assert card.prerequisites == ()
    assert card.code == "print(1)"
    assert card.try_note == "Look."
    assert card.try_this.endswith("--values 1,10")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("---\nid", "id", 1), "front matter"),
        (lambda t: t.replace("id: tiny_card", "id: Tiny-Card"), "snake_case"),
        (lambda t: t.replace("shows: plateau", "shows: magic"), "phenomenon id"),
        (lambda t: t.replace("concepts: [tiny, test]", "concepts: tiny"), "is a list"),
        (lambda t: t.replace("math_level: 1", "math_level: 7"), "math_level"),
        (lambda t: t.replace("example: it stopped rising\n", ""), "lacks example"),
        (lambda t: t.replace("example:", "colour: x\nexample:"), "key among"),
        (lambda t: t.replace("{evidence}", ""), "{evidence}"),
        (lambda t: t.replace("## The math", "## Maths"), "sections must be"),
        (lambda t: t.replace("```python", "```"), "```python"),
    ],
)
def test_a_malformed_card_is_refused_with_a_message_that_says_why(change, message) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        parse_card(change(GOOD), source="cards/tiny_card.md")
