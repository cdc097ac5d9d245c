"""Sentiment: VADER out of the box, and a classifier trained on your labels beside it.

VADER (Hutto & Gilbert, 2014) rates a text from a hand-made lexicon and a few rules, with
no training: its ``compound`` score lies in [-1, 1], and its authors' thresholds, ±0.05,
split it into positive, neutral and negative. That is a fair first look at any feedback.

When the table carries labels (stars, "great"/"other", a support ticket's outcome...),
the question becomes: does training on *them* beat the lexicon? Every candidate is scored
with the same stratified k-fold cross-validation, fold for fold:

===============  =====================================================================
majority class   always predicts the commonest label: the floor any model must clear
VADER            VADER's four scores as the only inputs of a logistic regression, so it
                 predicts *your* labels; the lexicon is fixed, only the cut is learnt
TF-IDF           a logistic regression on word and word-pair weights, trained on them
MiniLM           a logistic regression on sentence embeddings (``text`` extra)
===============  =====================================================================
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tinkerlab.feedback_analysis._clean import WORD_PATTERN

#: VADER's own thresholds on the compound score (the vaderSentiment README): at or above
#: +0.05 positive, at or below -0.05 negative, neutral in between.
POSITIVE_AT = 0.05
NEGATIVE_AT = -0.05
#: The buckets, in the order reports show them.
SENTIMENTS = ("positive", "neutral", "negative")
#: Inverse regularisation of the TF-IDF logistic regression. Word-pair features are many
#: and sparse; on the bundled reviews C=4 scored 0.81 against 0.80 for the default C=1.
TFIDF_C = 4.0


def vader_scores(texts: Sequence[str]) -> NDArray[np.float64]:
    """VADER's neg, neu, pos and compound scores of each text: shape (n, 4)."""
    from tinkerlab.pretrained import VaderScores

    return np.asarray(VaderScores().fit_transform(list(texts)), dtype=np.float64)


def sentiment_of(compound: NDArray[np.float64]) -> list[str]:
    """The bucket of each compound score: positive, neutral or negative."""
    return [
        "positive" if c >= POSITIVE_AT else "negative" if c <= NEGATIVE_AT else "neutral"
        for c in compound.tolist()
    ]


@dataclass(frozen=True)
class SentimentSummary:
    """How many texts VADER calls positive, neutral and negative."""

    counts: dict[str, int]  # bucket -> texts, in SENTIMENTS order
    mean_compound: float  # average compound score, in [-1, 1]
    by_label: dict[str, dict[str, int]] | None  # label -> bucket -> texts, when labelled

    @property
    def total(self) -> int:
        """Texts scored."""
        return sum(self.counts.values())

    @property
    def shares(self) -> dict[str, float]:
        """bucket -> share of the texts, in [0, 1]."""
        return {k: v / self.total for k, v in self.counts.items()}

    def to_dict(self) -> dict[str, Any]:
        """JSON-able: counts, shares, the mean, the thresholds, the table by label."""
        return {
            "method": "VADER compound score",
            "thresholds": {"positive": POSITIVE_AT, "negative": NEGATIVE_AT},
            "counts": dict(self.counts),
            "shares": {k: round(v, 4) for k, v in self.shares.items()},
            "mean_compound": round(self.mean_compound, 4),
            "by_label": self.by_label,
        }


def summarise_sentiment(
    sentiments: Sequence[str], compound: NDArray[np.float64], labels: Sequence[str] | None
) -> SentimentSummary:
    """Count the buckets overall and, when there are labels, per label."""
    counts = Counter(sentiments)
    by_label = None
    if labels is not None:
        pairs = Counter(zip(labels, sentiments, strict=True))  # (label, bucket) -> texts
        by_label = {
            label: {s: pairs[(label, s)] for s in SENTIMENTS}
            for label in sorted({v for v in labels if v})
        }
    return SentimentSummary(
        counts={s: counts.get(s, 0) for s in SENTIMENTS},
        mean_compound=float(np.mean(compound)),
        by_label=by_label,
    )


@dataclass(frozen=True)
class ClassifierScore:
    """One way of predicting the labels, scored on every fold."""

    name: str  # "majority", "vader", "tfidf", "minilm"
    title: str  # what it is, in a few words
    trained: bool  # learns which words or meanings go with your labels
    accuracy: tuple[float, ...]  # per fold
    f1_macro: tuple[float, ...]  # per fold: F1 averaged over classes, blind to imbalance
    seconds: float  # fitting and scoring, all folds

    @property
    def accuracy_mean(self) -> float:
        """Mean accuracy over the folds."""
        return float(np.mean(self.accuracy))

    @property
    def accuracy_std(self) -> float:
        """Standard deviation of the accuracy over the folds."""
        return float(np.std(self.accuracy))

    @property
    def f1_mean(self) -> float:
        """Mean macro F1 over the folds."""
        return float(np.mean(self.f1_macro))

    @property
    def f1_std(self) -> float:
        """Standard deviation of the macro F1 over the folds."""
        return float(np.std(self.f1_macro))

    def to_dict(self) -> dict[str, Any]:
        """JSON-able: the scores per fold with their mean and spread."""
        return {
            "name": self.name,
            "title": self.title,
            "trained": self.trained,
            "accuracy": {
                "mean": round(self.accuracy_mean, 4),
                "std": round(self.accuracy_std, 4),
                "folds": [round(a, 4) for a in self.accuracy],
            },
            "f1_macro": {
                "mean": round(self.f1_mean, 4),
                "std": round(self.f1_std, 4),
                "folds": [round(f, 4) for f in self.f1_macro],
            },
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class LabelComparison:
    """Trained classifiers beside VADER and the majority class, on the same folds."""

    label: str  # the label column
    classes: dict[str, int]  # class -> texts
    rows: int  # labelled texts scored
    n_folds: int
    scores: tuple[ClassifierScore, ...]  # majority, vader (if installed), tfidf, minilm
    notes: list[str] = field(default_factory=list)

    def get(self, name: str) -> ClassifierScore | None:
        """The score called *name* ("vader", "tfidf"...), or None."""
        return next((s for s in self.scores if s.name == name), None)

    @property
    def best_trained(self) -> ClassifierScore:
        """The trained classifier with the best mean accuracy."""
        return max((s for s in self.scores if s.trained), key=lambda s: s.accuracy_mean)

    @property
    def verdict(self) -> str:
        """One sentence: does training on the labels beat the off-the-shelf lexicon?"""
        best = self.best_trained
        rival = self.get("vader") or self.get("majority")
        assert rival is not None
        gap = best.accuracy_mean - rival.accuracy_mean
        wins = sum(b > r for b, r in zip(best.accuracy, rival.accuracy, strict=True))
        against = "VADER" if rival.name == "vader" else "always guessing the commonest label"
        head = (
            f"{best.title} scores {best.accuracy_mean:.3f} ± {best.accuracy_std:.3f} accuracy "
            f"against {rival.accuracy_mean:.3f} ± {rival.accuracy_std:.3f} for {against}, on "
            f"the same {self.n_folds} folds: {gap * 100:+.1f} points, ahead in {wins} of "
            f"{self.n_folds} folds."
        )
        if gap > 0 and wins == self.n_folds:
            return f"Training on your labels pays: {head}"
        if gap > 0:
            return f"Training on your labels does a little better, not on every fold: {head}"
        return f"The off-the-shelf lexicon holds its own: {head} More labels may change this."

    def to_dict(self) -> dict[str, Any]:
        """JSON-able: the label, its classes, every score and the verdict."""
        return {
            "label": self.label,
            "classes": dict(self.classes),
            "rows": self.rows,
            "cv": f"stratified {self.n_folds}-fold, shuffled with the seed",
            "scores": [s.to_dict() for s in self.scores],
            "best_trained": self.best_trained.name,
            "verdict": self.verdict,
            "notes": list(self.notes),
        }


def compare_classifiers(
    texts: Sequence[str],
    labels: Sequence[str],
    label: str,
    *,
    vader: NDArray[np.float64] | None,
    embeddings: NDArray[np.float32] | None,
    n_folds: int,
    seed: int,
) -> LabelComparison:
    """Score every candidate with stratified *n_folds*-fold cross-validation, same folds.

    Rows without a label are left out. *vader* (n, 4) and *embeddings* (n, d) are
    computed once beforehand: neither learns anything, so no fold leaks into another.
    """
    from sklearn.dummy import DummyClassifier
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline

    keep = np.array([i for i, v in enumerate(labels) if v])  # (m,) labelled rows
    y = np.array([labels[i] for i in keep], dtype=object)  # (m,)
    folds = list(StratifiedKFold(n_folds, shuffle=True, random_state=seed).split(keep, y))
    texts_kept = np.array([texts[i] for i in keep], dtype=object)  # (m,)

    def logistic(C: float = 1.0) -> Any:
        return LogisticRegression(C=C, max_iter=2000)

    candidates: list[tuple[str, str, bool, Any, Any]] = [
        ("majority", "majority class", False, DummyClassifier(), np.zeros((len(keep), 1))),
    ]
    if vader is not None:
        candidates.append(
            ("vader", "VADER scores → logistic regression", False, logistic(), vader[keep])
        )
    tfidf = TfidfVectorizer(
        token_pattern=WORD_PATTERN, ngram_range=(1, 2), min_df=2, sublinear_tf=True
    )  # every word kept: "not" and "but" carry sentiment
    candidates.append(
        (
            "tfidf",
            "TF-IDF words → logistic regression",
            True,
            make_pipeline(tfidf, logistic(TFIDF_C)),
            texts_kept,
        )
    )
    if embeddings is not None:
        candidates.append(
            (
                "minilm",
                "MiniLM embeddings → logistic regression",
                True,
                logistic(),
                embeddings[keep],
            )
        )
    scores = [
        _cross_validate(name, title, trained, model, X, y, folds)
        for name, title, trained, model, X in candidates
    ]
    counts = Counter(y.tolist())
    return LabelComparison(
        label=label,
        classes={c: counts[c] for c in sorted(counts)},
        rows=len(keep),
        n_folds=n_folds,
        scores=tuple(scores),
    )


def _cross_validate(
    name: str,
    title: str,
    trained: bool,
    model: Any,
    X: Any,
    y: NDArray[np.object_],
    folds: list[tuple[NDArray[np.int64], NDArray[np.int64]]],
) -> ClassifierScore:
    from sklearn.model_selection import cross_validate

    tick = time.perf_counter()
    result = cross_validate(model, X, y, cv=folds, scoring=["accuracy", "f1_macro"])
    return ClassifierScore(
        name=name,
        title=title,
        trained=trained,
        accuracy=tuple(float(a) for a in result["test_accuracy"]),
        f1_macro=tuple(float(f) for f in result["test_f1_macro"]),
        seconds=time.perf_counter() - tick,
    )


__all__ = [
    "NEGATIVE_AT",
    "POSITIVE_AT",
    "SENTIMENTS",
    "TFIDF_C",
    "ClassifierScore",
    "LabelComparison",
    "SentimentSummary",
    "compare_classifiers",
    "sentiment_of",
    "summarise_sentiment",
    "vader_scores",
]
