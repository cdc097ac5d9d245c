"""The feedback analyser: what customers say, in any table with a column of texts.

The one-line way in::

    >>> from tinkerlab.feedback_analysis import analyse_feedback
    >>> report = analyse_feedback("reviews", search="arrived broken")   # doctest: +SKIP
    >>> report.themes.themes[0].keywords                                # doctest: +SKIP
    >>> report.to_html("feedback.html")                                 # doctest: +SKIP

A :class:`FeedbackReport` holds five findings:

- **sentiment**: VADER's compound score per text, bucketed at ±0.05;
- **labels** (when the table has them): a classifier trained on them, scored with
  stratified 5-fold cross-validation beside VADER on the same folds;
- **themes**: k-means over MiniLM embeddings (TF-IDF + SVD without the ``text`` extra),
  k chosen by silhouette, each named by its most distinctive words, with examples;
- **search**: the texts nearest a query, by cosine similarity;
- **duplicates**: exact copies and near-copies.

From the command line: ``tinkerlab feedback reviews --search "arrived broken"``; from
``tinkerlab``: ``tl.feedback(...)``, which also records the analysis in the journal.
Methods and thresholds, with the reason for each: ``docs/feedback.md``.

This package sits between ``experiment`` and ``runner`` in the layers: it reads data
with ``tinkerlab.data`` and uses ``tinkerlab.pretrained``, and never imports the journal.
It is called ``feedback_analysis``, not ``feedback``: importing a sub-package sets it as
an attribute of ``tinkerlab``, and a ``tinkerlab.feedback`` package would replace the
verb ``tl.feedback`` (``docs/architecture.md``; ``runner`` is not ``run`` for the same
reason).
"""

from __future__ import annotations

from tinkerlab.feedback_analysis._analyse import MAX_TOP, analyse_feedback
from tinkerlab.feedback_analysis._clean import STOP_WORDS, clean_text
from tinkerlab.feedback_analysis._report import FeedbackReport
from tinkerlab.feedback_analysis._sentiment import (
    NEGATIVE_AT,
    POSITIVE_AT,
    ClassifierScore,
    LabelComparison,
    SentimentSummary,
)
from tinkerlab.feedback_analysis._similar import (
    NEAR_DUPLICATE,
    DuplicateGroup,
    DuplicateSummary,
    SearchHit,
    SearchResult,
)
from tinkerlab.feedback_analysis._table import MAX_CLASSES, MIN_TEXTS, N_FOLDS
from tinkerlab.feedback_analysis._themes import (
    MAX_THEMES,
    SILHOUETTE_SAMPLE,
    THEME_RANGE,
    Example,
    Theme,
    ThemeSummary,
)
from tinkerlab.feedback_analysis._vectors import LSA_DIMENSIONS, Method

__all__ = [
    "LSA_DIMENSIONS",
    "MAX_CLASSES",
    "MAX_THEMES",
    "MAX_TOP",
    "MIN_TEXTS",
    "NEAR_DUPLICATE",
    "NEGATIVE_AT",
    "N_FOLDS",
    "POSITIVE_AT",
    "SILHOUETTE_SAMPLE",
    "STOP_WORDS",
    "THEME_RANGE",
    "ClassifierScore",
    "DuplicateGroup",
    "DuplicateSummary",
    "Example",
    "FeedbackReport",
    "LabelComparison",
    "Method",
    "SearchHit",
    "SearchResult",
    "SentimentSummary",
    "Theme",
    "ThemeSummary",
    "analyse_feedback",
    "clean_text",
]
