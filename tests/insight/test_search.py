"""``why``'s search: a learner's question finds the card that answers it, offline."""

from __future__ import annotations

import pytest

from tinkerlab.exceptions import InputError
from tinkerlab.insight import search
from tinkerlab.insight._search import SNIPPET_CHARS, stem, tokens

#: Questions as learners ask them, and the card that should come first.
QUESTIONS = [
    ("why does accuracy go down when the tree gets deeper?", "overfitting"),
    ("what does the learning rate do", "gradient_descent"),
    ("why scale features for knn?", "feature_scaling"),
    ("my training score is 1.0 but the test score is much lower", "overfitting"),
    ("both train and validation scores are low, what's wrong?", "underfitting"),
    ("would collecting more data help my model?", "learning_curves"),
    ("the loss exploded to NaN when I increased the step size", "gradient_descent"),
    ("99% accuracy but it never predicts the rare class", "class_imbalance"),
    ("why do more trees in the forest stop helping?", "random_forests"),
    ("what is the difference between precision and recall?", "precision_recall_f1"),
    ("how do I pick the number of neighbours k?", "knn_distance"),
    ("one column predicts the target perfectly, is that suspicious?", "data_leakage"),
    ("what does gamma do in an rbf kernel svm", "svm_kernels"),
    ("how should I encode categorical columns with missing values?", "categorical_encoding"),
    (
        "is the difference between two seeds statistically significant?",
        "variance_confidence_intervals",
    ),
    ("what does the area under the ROC curve mean", "roc_auc"),
    ("how does a tree choose where to split? gini or entropy", "decision_trees"),
    ("why does the sigmoid give a probability", "logistic_regression"),
]


@pytest.mark.parametrize(("question", "expected"), QUESTIONS)
def test_the_right_card_comes_first(question: str, expected: str) -> None:
    hits = search(question)
    assert hits, question
    assert hits[0].card.id == expected, [(h.card.id, h.score) for h in hits]


def test_hits_are_ranked_with_a_snippet_that_holds_a_word_of_the_question() -> None:
    hits = search("why does accuracy go down when the tree gets deeper?", limit=5)
    assert len(hits) == 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for hit in hits:
        assert 0 < len(hit.snippet) <= SNIPPET_CHARS
        assert set(tokens(hit.snippet)) & set(hit.matched)


def test_a_question_sharing_no_word_with_any_card_finds_nothing() -> None:
    assert search("zebra giraffe xylophone") == []
    assert search("why is it so?") == []  # stop words only


@pytest.mark.parametrize("question", ["", "   ", "\n"])
def test_an_empty_question_is_bad_input(question: str) -> None:
    with pytest.raises(InputError, match="needs some words"):
        search(question)


@pytest.mark.parametrize("limit", [0, -1, True])
def test_limit_must_be_positive(limit: int) -> None:
    with pytest.raises(InputError, match="limit"):
        search("overfitting", limit=limit)


@pytest.mark.parametrize(
    "forms",
    [
        ("overfitting", "overfits", "overfit"),
        ("scaling", "scaled", "scale", "scales"),
        ("neighbours", "neighbors", "neighbour"),
        ("regularisation", "regularization", "regularized", "regularise"),
        ("classification", "classifier", "classify"),
        ("trees", "tree"),
        ("matrices", "matrix"),
        ("imputation", "impute"),
    ],
)
def test_stemming_joins_the_forms_of_a_word(forms: tuple[str, ...]) -> None:
    assert len({stem(word) for word in forms}) == 1, [stem(w) for w in forms]


def test_tokens_drop_stop_words_and_split_identifiers() -> None:
    assert tokens("Why does max_depth matter?") == ["max", "depth", stem("matter")]
