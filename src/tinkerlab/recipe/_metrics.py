"""The metrics a run reports, as a table: our name, scikit-learn's scorer, and its sign.

scikit-learn's scorers always mean "greater is better", so errors come negated
(``neg_mean_absolute_error``). We report them the way people read them: an MAE of
3.2, not -3.2. ``sign`` undoes the negation.

**Averaging.** Precision, recall and F1 are computed per class and then averaged. By
default the average is **macro**: every class counts the same, however rare, so a model
that ignores a small class is punished. Macro recall is the mean of the per-class
recalls, which is exactly what balanced accuracy is: the two columns always agree
(:func:`explain_metrics` says so under every table). **weighted** weighs each class by
its share of the rows (a rare class counts little, and weighted recall equals plain
accuracy); **binary** scores the positive class alone (two classes: the one labelled 1
or True, or the one named; ``tinker`` names the rarer class). Names carry the choice
when it is not macro: ``f1_weighted``, ``f1_binary``.

>>> [m.name for m in metrics_for("classification", 3, object(), average="weighted")][2:]
['precision_weighted', 'recall_weighted', 'f1_weighted']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from tinkerlab.exceptions import RecipeError
from tinkerlab.options import spell

Task = Literal["classification", "regression"]
Average = Literal["macro", "weighted", "binary"]
#: How precision, recall and F1 average over classes, and what each choice means.
AVERAGES: dict[str, str] = {
    "macro": "every class counts the same, however rare",
    "weighted": "each class counts by its share of the rows",
    "binary": "the positive class alone (of two classes)",
}


@dataclass(frozen=True)
class Metric:
    """One metric: how we name it, which scorer computes it, and what it means."""

    name: str  # our name, used in tables, JSON and the journal: "rmse"
    scorer: str  # scikit-learn's scorer name: "neg_root_mean_squared_error"
    sign: int  # +1, or -1 for scorers that report the negated error
    higher_is_better: bool  # after applying the sign
    help: str  # one sentence for the learner
    pos_label: Any = None  # binary averaging: the class scored as positive

    def scoring(self) -> Any:
        """What scikit-learn's ``scoring=`` takes: the scorer's name, or (for a binary
        average of a class other than 1) a scorer made with that positive label."""
        if self.pos_label is None:
            return self.scorer
        from sklearn import metrics

        score = {"precision": metrics.precision_score, "recall": metrics.recall_score}
        function = score.get(self.scorer, metrics.f1_score)
        return metrics.make_scorer(function, pos_label=self.pos_label, zero_division=0)


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


def metrics_for(
    task: Task,
    n_classes: int,
    estimator: Any,
    *,
    average: Average = "macro",
    positive: Any = None,
) -> tuple[Metric, ...]:
    """The metrics that apply to *task* with this (unfitted) estimator.

    ROC AUC needs a score per row: probabilities, or a decision function for two classes.
    Models with neither (or multiclass models without probabilities) skip it. *average*
    chooses how precision, recall and F1 average over classes (see the module);
    *positive* is the class a binary average scores (default: 1).
    """
    if task == "regression":
        return REGRESSION
    found = _averaged(CLASSIFICATION, average, n_classes, positive)
    if n_classes == 2 and (
        hasattr(estimator, "predict_proba") or hasattr(estimator, "decision_function")
    ):
        return (*found, ROC_AUC_BINARY)
    if n_classes > 2 and hasattr(estimator, "predict_proba"):
        return (*found, ROC_AUC_MULTI)
    return found


def _averaged(
    metrics: tuple[Metric, ...], average: str, n_classes: int, positive: Any = None
) -> tuple[Metric, ...]:
    """*metrics* with precision, recall and F1 averaged the *average* way."""
    if average not in AVERAGES:
        raise RecipeError(
            f"The averaging of precision, recall and F1 must be one of "
            f"{', '.join(AVERAGES)}. Got {average!r} instead. Fix: average='macro'"
        )
    if average == "macro":
        return metrics
    if average == "binary" and n_classes != 2:
        raise RecipeError(
            f"Binary averaging scores one positive class, so it needs two classes; this "
            f"target has {n_classes}. Fix: average='weighted' (or 'macro')"
        )
    out = []
    for m in metrics:
        if m.name not in ("precision", "recall", "f1"):
            out.append(m)
            continue
        scorer = m.name if average == "binary" else f"{m.name}_{average}"
        words = m.help.replace("(macro-averaged)", f"({average}: {AVERAGES[average]})")
        label = positive if average == "binary" and positive not in (None, 1, True) else None
        out.append(Metric(f"{m.name}_{average}", scorer, 1, True, words, label))
    return tuple(out)


def average_of(name: str) -> Average:
    """The averaging a metric's name carries: ``f1_weighted`` -> "weighted"."""
    if name.endswith("_weighted"):
        return "weighted"
    if name.endswith("_binary"):
        return "binary"
    return "macro"


def explain_metrics(metrics: tuple[Metric, ...] | list[Metric]) -> list[str]:
    """Notes that a table of these metrics needs, in plain words (empty when none)."""
    names = {m.name for m in metrics}
    notes = []
    if {"precision", "recall", "f1"} & names:
        notes.append(
            "precision, recall and f1 are macro averages: computed per class, then averaged "
            "with every class counting the same, however rare."
        )
    if {"recall", "balanced_accuracy"} <= names:
        notes.append(
            "Macro recall is the mean of the per-class recalls, which is the definition of "
            "balanced accuracy: the two rows always agree."
        )
    if {"precision_weighted", "recall_weighted"} & names:
        notes.append(
            "Weighted averages count each class by its share of the rows: weighted recall "
            "equals accuracy, and a rare class barely moves them."
        )
    if notes:
        notes.append(
            "Other averagings: weighted (by class share) or binary (the positive class "
            f"alone), e.g. {spell('metric', 'f1_weighted')}."
        )
    return notes
