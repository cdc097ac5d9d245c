"""Detectors: pure functions from an experiment's numbers to the phenomena they show,
told as one story.

Each detector reads one :class:`SweepResults` and returns a :class:`Finding` or ``None``
(:mod:`._detect_curves`: a model parameter's axis; :mod:`._detect_learning`: learning
curves; :mod:`._detect_data`: features, leakage, imbalance, scaling, learning rates, label
noise; :mod:`._detect_nets`: a neural network's epochs, learning rate, depth and batch
size; :mod:`._detect_run`: a single run). A finding has a stable id from
:data:`~tinkerlab.insight._phenomena.PHENOMENA`, a confidence, its evidence (the numbers
and the columns) and the card to read.

**Not firing on noise.** Two values are only called different when the corrected
resampled t-test (Nadeau & Bengio 2003, the test ``tinker`` reports, at the experiment's
level) says so *and* the difference is at least a meaningful size; two values are only
called the same when an equivalence test rules out a meaningful difference. Every
threshold is a named constant with its reason; ``docs/theory.md`` collects them.

**One story.** Findings that would contradict each other are reconciled before they are
shown (:data:`STORY`): "noise dominated" yields to any finding that a value differs
beyond noise, and so on.

>>> import numpy as np
>>> folds = np.array([0.80, 0.82, 0.79, 0.81, 0.80, 0.83])
>>> r = SweepResults.build(
...     knob="scaling", kind="scaling", values=["on", "off"], labels=["on", "off"],
...     train=[folds + 0.05, folds - 0.15], test=[folds, folds - 0.20],
...     n_train=[120, 120], n_test=[30, 30], ordered=False)
>>> [f.id for f in detect(r)]
['scaling_sensitive']
"""

from __future__ import annotations

from typing import Any

from tinkerlab.insight._detect_curves import (
    noise_dominated,
    overfitting,
    plateau,
    sweet_spot,
    underfitting,
)
from tinkerlab.insight._detect_data import (
    accuracy_paradox,
    divergence,
    harmful_feature,
    label_noise_sensitive,
    leakage,
    scaling_sensitive,
    useless_feature,
)
from tinkerlab.insight._detect_learning import (
    high_bias,
    high_variance,
    more_data_helps,
    more_data_wont_help,
)
from tinkerlab.insight._detect_nets import (
    batch_too_large,
    not_converged,
    overtraining,
    vanishing_gradients,
)
from tinkerlab.insight._detect_run import detect_run, target_twins
from tinkerlab.insight._findings import Detector, Finding, SweepResults
from tinkerlab.insight._phenomena import PHENOMENA

#: Every detector, by the phenomenon id it reports.
DETECTORS: dict[str, Detector] = {
    "overfitting": overfitting,
    "underfitting": underfitting,
    "sweet_spot": sweet_spot,
    "plateau": plateau,
    "noise_dominated": noise_dominated,
    "high_variance": high_variance,
    "high_bias": high_bias,
    "more_data_helps": more_data_helps,
    "more_data_wont_help": more_data_wont_help,
    "useless_feature": useless_feature,
    "harmful_feature": harmful_feature,
    "leakage": leakage,
    "accuracy_paradox": accuracy_paradox,
    "scaling_sensitive": scaling_sensitive,
    "divergence": divergence,
    "label_noise_sensitive": label_noise_sensitive,
    "overtraining": overtraining,
    "not_converged": not_converged,
    "vanishing_gradients": vanishing_gradients,
    "batch_too_large": batch_too_large,
}
assert set(DETECTORS) == set(PHENOMENA), "every phenomenon has exactly one detector"

#: Finding -> the findings that overrule it when both are found in one experiment. "The
#: differences may be chance" cannot stand beside "this value is better beyond noise"; a
#: plateau cannot stand beside a fall past the best (overfitting) or a peak; a curve that
#: is still rising cannot also have stopped.
STORY: dict[str, frozenset[str]] = {
    "noise_dominated": frozenset(
        {
            "overfitting",
            "underfitting",
            "sweet_spot",
            "plateau",
            "more_data_helps",
            "scaling_sensitive",
            "divergence",
            "label_noise_sensitive",
            "harmful_feature",
            "leakage",
            "overtraining",
            "not_converged",
            "vanishing_gradients",
            "batch_too_large",
        }
    ),
    "plateau": frozenset({"overfitting", "sweet_spot", "overtraining"}),
    # Over epochs, overfitting has a name that says what to do about it: stop early.
    "overfitting": frozenset({"overtraining"}),
    # A deep net that cannot fit, or one given too few updates, is failing to train, not
    # too simple.
    "underfitting": frozenset({"vanishing_gradients", "batch_too_large"}),
    "more_data_wont_help": frozenset({"more_data_helps"}),
    "high_bias": frozenset({"high_variance", "more_data_helps"}),
}


def reconcile(findings: list[Finding]) -> list[Finding]:
    """The findings with every one that a stronger claim contradicts removed (:data:`STORY`)."""
    found = {f.id for f in findings}
    return [f for f in findings if not STORY.get(f.id, frozenset()) & found]


def detect(results: SweepResults | Any) -> list[Finding]:
    """Every phenomenon the experiment shows, reconciled into one story, most confident
    first.

    *results* is a :class:`SweepResults`, a finished
    :class:`~tinkerlab.experiment.Experiment`, or a journal
    :class:`~tinkerlab.journal.ExperimentEntry`.
    """
    if not isinstance(results, SweepResults):
        results = (
            SweepResults.from_entry(results)
            if hasattr(results, "spec")
            else SweepResults.from_experiment(results)
        )
    found = [f for f in (d(results) for d in DETECTORS.values()) if f is not None]
    return sorted(reconcile(found), key=lambda f: -f.confidence)


__all__ = [
    "DETECTORS",
    "STORY",
    "Finding",
    "SweepResults",
    "detect",
    "detect_run",
    "reconcile",
    "target_twins",
]
