"""Neural-network detectors: training too long, steps too small, layers too deep, batches
too large.

* ``overtraining`` (the ``epochs`` knob): the CV score peaks before the last epoch and,
  after it, falls beyond noise or stops improving while the train-CV gap opens wide (the
  rule of ``overfitting``, on this axis); early stopping on a validation split would have
  stopped near the peak;
* ``not_converged`` (a net's ``lr``): at the smallest learning rate the net cannot fit
  even its training rows as well as the best rate predicts new ones, the CV score clearly
  worse: the steps are too small to get anywhere in the epochs given (not a too-simple
  model: the same net learns at a larger rate);
* ``vanishing_gradients`` (a net's ``depth``): the deepest net fits its *training* rows
  clearly worse than a shallower one. More layers can always fit at least as well (the
  extra ones could pass their input on), so a deeper net that learns less is a training
  failure: the gradient shrinks on its way down through saturating activations;
* ``batch_too_large`` (a net's ``batch_size``): at the largest batch the net fits even its
  training rows worse than the best batch size predicts new ones, the CV score clearly
  worse. The sweep keeps the learning rate and the epochs fixed, so a batch *k* times
  larger makes *k* times fewer updates (``ceil(rows / batch_size)`` an epoch, told in
  the evidence): the net has not trained as far.

What a batch-size sweep cannot show, this module does not claim: that small batches
train *noisier*. Their gradient noise (variance ∝ 1/batch size) shows in the loss from
step to step and epoch to epoch, which a sweep does not record, and the spread of the CV
score across folds is mostly the folds' own rows (the same rows for every batch size).
The evidence reports that spread at both values, as numbers, without a verdict.

``not_converged`` reads the nets' ``lr`` only: gradient boosting's ``learning_rate`` at the
low end with a fixed number of rounds tells the same story, but the labelled suite
(``tests/insight/findings_suite.py``) does not label it yet.
"""

from __future__ import annotations

import math

import numpy as np

from tinkerlab.insight._detect_curves import MOVE, gap_opens, lags_best, short_of_best
from tinkerlab.insight._findings import Finding, SweepResults, _View, conf, rnd

#: The knob of how many passes over the data a net makes.
EPOCHS = frozenset({"epochs"})
#: The nets' learning rate (see the module docstring for why only this name).
NET_LEARNING_RATES = frozenset({"lr"})
#: The knob of how many layers (blocks) a net stacks.
DEPTHS = frozenset({"depth"})
#: The knob of how many rows a net averages its gradient over in one step.
BATCH_SIZES = frozenset({"batch_size"})


def _axis(r: SweepResults, knobs: frozenset[str], least: int) -> _View | None:
    if r.kind != "param" or not r.ordered or r.knob not in knobs:
        return None
    v = _View(r)
    return v if len(v.fitted) >= least else None


def overtraining(r: SweepResults) -> Finding | None:
    """Over epochs: the CV score peaks, then falls beyond noise while training holds."""
    v = _axis(r, EPOCHS, 3)
    if v is None:
        return None
    b, last = v.best(), int(np.argmax(np.asarray(r.values, dtype=float)))
    # As overfitting decides: the CV score falls beyond noise while the gap opens, or it
    # stops improving while the gap opens wide. Either way early stopping stops near b.
    if b == last or last not in v.fitted or (tests := gap_opens(v, b, last)) is None:
        return None
    fall, opens, falls = tests
    saved = float(r.values[last]) - float(r.values[b])
    moves = "falls to" if falls else "is no better later:"
    evidence = (
        f"the CV score peaks at {v.at(b)} ({v.show(b)}) and {moves} {v.show(last)} at "
        f"{v.at(last)}, while the training score goes {v.show(b, 'train')} → "
        f"{v.show(last, 'train')} (the train-CV gap opens by {opens.mean_diff:.2f}, "
        f"p = {opens.p_value:.2g}): early stopping on a validation split would stop near "
        f"{v.at(b)}, {saved:g} epochs sooner"
    )
    return Finding(
        "overtraining",
        conf(fall, opens) if falls else conf(opens),
        evidence,
        {
            "stop_at": r.values[b],
            "last": r.values[last],
            "cv": [rnd(v.cv_mean[b] * v.sign), rnd(v.cv_mean[last] * v.sign)],
            "train": [rnd(v.tr_mean[b] * v.sign), rnd(v.tr_mean[last] * v.sign)],
            "p_value": rnd(fall.p_value),
        },
    )


def not_converged(r: SweepResults) -> Finding | None:
    """At the smallest learning rate both the training and the CV score lag the best."""
    v = _axis(r, NET_LEARNING_RATES, 2)
    if v is None:
        return None
    b, low = v.best(), int(np.argmin(np.asarray(r.values, dtype=float)))
    if b == low or low not in v.fitted or (tests := lags_best(v, low, b)) is None:
        return None
    why = "the same net learns, but steps this small have not got there when the epochs run out"
    return short_of_best("not_converged", v, low, b, tests, who="the net", why=why)


def updates_per_epoch(rows: float, batch_size: int) -> int:
    """Optimiser steps in one pass over *rows* training rows: ``ceil(rows / batch_size)``
    (the last batch may be short; a batch larger than the rows is the whole set)."""
    return max(1, math.ceil(float(rows) / max(1, int(batch_size))))


def batch_too_large(r: SweepResults) -> Finding | None:
    """At the largest batch both the training and the CV score lag the best batch size:
    with the learning rate and the epochs fixed, it made the fewest updates."""
    v = _axis(r, BATCH_SIZES, 2)
    if v is None:
        return None
    b, big = v.best(), int(np.argmax(np.asarray(r.values, dtype=float)))
    if b == big or big not in v.fitted or (tests := lags_best(v, big, b)) is None:
        return None
    steps = [updates_per_epoch(r.n_train[i], r.values[i]) for i in (b, big)]
    spread = [float(np.nanstd(r.test[i])) for i in (b, big)]  # fold to fold
    why = (
        f"the learning rate and the epochs are the same, but batches of {r.labels[big]} rows "
        f"make {steps[1]} updates per epoch against {steps[0]} at {v.at(b)}: too few steps "
        f"to get as far (the CV score's spread across folds: ±{spread[0]:.3f} at "
        f"{v.at(b)}, ±{spread[1]:.3f} at {v.at(big)})"
    )
    numbers = {
        "updates_per_epoch": steps,
        "cv_spread": [rnd(x) for x in spread],
    }
    return short_of_best(
        "batch_too_large", v, big, b, tests, who="the net", why=why, numbers=numbers
    )


def vanishing_gradients(r: SweepResults) -> Finding | None:
    """The deepest net fits even its training rows clearly worse than a shallower one."""
    v = _axis(r, DEPTHS, 2)
    if v is None:
        return None
    deepest = int(np.argmax(np.asarray(r.values, dtype=float)))
    fits_best = int(np.argmax(v.tr_mean))
    if fits_best == deepest or deepest not in v.fitted:
        return None
    drop = v.test(fits_best, deepest, train_side=True)
    worse = v.test(v.best(), deepest)
    if not (v.real(drop, MOVE * v.tol) and v.real(worse, MOVE * v.tol)):
        return None
    evidence = (
        f"at {v.at(deepest)} the net fits its own training rows worse "
        f"({v.show(deepest, 'train')}) than at {v.at(fits_best)} "
        f"({v.show(fits_best, 'train')}; p = {drop.p_value:.2g}) and scores "
        f"{v.show(deepest)} in CV: the extra layers could have passed their input on, so "
        "the deeper net failed to train: its gradient faded on the way down"
    )
    return Finding(
        "vanishing_gradients",
        conf(drop, worse),
        evidence,
        {
            "depth": r.values[deepest],
            "train": rnd(v.tr_mean[deepest] * v.sign),
            "fits_best": r.values[fits_best],
            "best_train": rnd(v.tr_mean[fits_best] * v.sign),
            "p_value": rnd(drop.p_value),
        },
    )
