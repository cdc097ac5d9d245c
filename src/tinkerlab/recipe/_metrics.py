"""The metrics a run reports, as a table: our name, scikit-learn's scorer, and its sign.

scikit-learn's scorers always mean "greater is better", so errors come negated
(``neg_mean_absolute_error``). We report them the way people read them: an MAE of
3.2, not -3.2. ``sign`` undoes the negation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Task = Literal["classification", "regression"]


@dataclass(frozen=True)
class Metric:
    """One metric: how we name it, which scorer computes it, and what it means."""

    name: str  # our name, used in tables, JSON and the journal: "rmse"
    scorer: str  # scikit-learn's scorer name: "neg_root_mean_squared_error"
    sign: int  # +1, or -1 for scorers that report the negated error
    higher_is_better: bool  # after applying the sign
    help: str  # one sentence for the learner


CLASSIFICATION: tuple[Metric, ...] = (
    Metric("accuracy", "accuracy", 1, True, "Share of rows predicted correctly."),
    Metric(
        "balanced_accuracy",
        "balanced_accuracy",
        1,
        True,
        "Accuracy averaged over classes, so a rare class counts as much as a common one.",
    ),
    Metric(
        "precision",
        "precision_macro",
        1,
        True,
        "Of the rows predicted as a class, the share that really are (macro-averaged).",
    ),
    Metric(
        "recall",
        "recall_macro",
        1,
        True,
        "Of the rows of a class, the share found (macro-averaged).",
    ),
    Metric("f1", "f1_macro", 1, True, "Harmonic mean of precision and recall (macro-averaged)."),
)
ROC_AUC_BINARY = Metric(
    "roc_auc",
    "roc_auc",
    1,
    True,
    "Chance that a random positive row is ranked above a random negative one.",
)
ROC_AUC_MULTI = Metric(
    "roc_auc",
    "roc_auc_ovr",
    1,
    True,
    "ROC AUC of each class against the rest, averaged (one-vs-rest).",
)
REGRESSION: tuple[Metric, ...] = (
    Metric(
        "mae", "neg_mean_absolute_error", -1, False, "Average size of the error, in target units."
    ),
    Metric(
        "rmse",
        "neg_root_mean_squared_error",
        -1,
        False,
        "Typical size of the error, punishing large errors more (target units).",
    ),
    Metric(
        "r2",
        "r2",
        1,
        True,
        "Share of the target's variance explained (1 is perfect, 0 is "
        "no better than predicting the mean).",
    ),
)


def metrics_for(task: Task, n_classes: int, estimator: Any) -> tuple[Metric, ...]:
    """The metrics that apply to *task* with this (unfitted) estimator.

    ROC AUC needs a score per row: probabilities, or a decision function for two classes.
    Models with neither (or multiclass models without probabilities) skip it.
    """
    if task == "regression":
        return REGRESSION
    if n_classes == 2 and (
        hasattr(estimator, "predict_proba") or hasattr(estimator, "decision_function")
    ):
        return (*CLASSIFICATION, ROC_AUC_BINARY)
    if n_classes > 2 and hasattr(estimator, "predict_proba"):
        return (*CLASSIFICATION, ROC_AUC_MULTI)
    return CLASSIFICATION
