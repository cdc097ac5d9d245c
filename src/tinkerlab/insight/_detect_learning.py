"""Learning-curve detectors (the ``train_size`` knob): a wide gap (high variance), curves
that meet low (high bias), a score still rising at the largest size, or one that stopped.

The tests between sizes use the *full* fold's rows in the correction (the subsamples of
different folds overlap less than the folds do; see
:func:`tinkerlab.experiment.design_rows`).
"""

from __future__ import annotations

import numpy as np

from tinkerlab.insight._detect_curves import MOVE, WIDE_GAP
from tinkerlab.insight._findings import (
    Finding,
    SweepResults,
    _View,
    conf,
    fmt,
    rnd,
    upper_p,
)

#: Curves that "meet": a train-validation gap below this many tolerances (0.05).
MEET = 2.5
#: More data helps: compare the largest training size with one at most this share of it.
EARLIER = 0.6


def _learning_curve(r: SweepResults) -> _View | None:
    if r.kind != "train_size" or len(r.values) < 3:
        return None
    v = _View(r)
    return v if v.fitted == list(range(len(r.values))) else None


def high_variance(r: SweepResults) -> Finding | None:
    """A learning curve ending with a wide train-validation gap."""
    v = _learning_curve(r)
    if v is None:
        return None
    last = len(r.values) - 1
    gap = v.gap_test(last)
    if not v.real(gap, WIDE_GAP * v.tol):
        return None
    first_gap = v.tr_mean[0] - v.cv_mean[0]
    evidence = (
        f"at {v.at(last)} the model scores {v.show(last, 'train')} on its training rows but "
        f"{v.show(last)} in CV: a gap of {gap.mean_diff:.2f} ({first_gap:.2f} at "
        f"{v.at(0)}; p = {gap.p_value:.2g}); it depends a lot on which rows it saw"
    )
    return Finding(
        "high_variance",
        conf(gap),
        evidence,
        {"gap": rnd(gap.mean_diff), "gap_first": rnd(first_gap), "p_value": rnd(gap.p_value)},
    )


def high_bias(r: SweepResults) -> Finding | None:
    """A learning curve whose training and CV scores meet, no longer rise, and stay
    clearly below what a flexible model reaches on the same folds.

    Meeting low is not enough: noise that no model can remove looks the same. The
    flexible reference (a random forest, ``experiment._reference``) tells them apart.
    """
    v = _learning_curve(r)
    if v is None or r.flexible is None:
        return None
    last = len(r.values) - 1
    train, cv = v.tr_mean[last], v.cv_mean[last]
    gap = train - cv
    if gap >= MEET * v.tol:
        return None
    flexible = v.sign * np.asarray(r.flexible, dtype=float)  # (folds,) oriented
    if flexible.shape != v.cv[last].shape:
        return None
    behind = v.pair(flexible, v.cv[last], last, last)  # the reference over this model
    gain = v.test(last, last // 2)  # more rows no longer lift the CV score
    if gain is None or not v.real(behind, MOVE * v.tol):
        return None
    p_big = upper_p(gain, MOVE * v.tol)
    if p_big >= v.alpha:
        return None
    evidence = (
        f"at {v.at(last)} the training score ({fmt(train * v.sign)}) and the CV score "
        f"({fmt(cv * v.sign)}) meet, {abs(gap):.2f} apart, and no longer rise, while a "
        f"flexible model (a random forest) reaches {fmt(float(np.mean(flexible)) * v.sign)} "
        f"on the same folds (p = {behind.p_value:.2g}): this model's form cannot follow the "
        "pattern, and more rows will not change that"
    )
    return Finding(
        "high_bias",
        min(1.0 - p_big, conf(behind)),
        evidence,
        {
            "train": rnd(train * v.sign),
            "cv": rnd(cv * v.sign),
            "gap": rnd(gap),
            "flexible": rnd(float(np.mean(flexible)) * v.sign),
        },
    )


def _earlier(r: SweepResults) -> int:
    """The largest training size at most EARLIER times the largest one."""
    largest = r.n_train[-1]
    earlier = [i for i in range(len(r.values) - 1) if r.n_train[i] <= EARLIER * largest]
    return earlier[-1] if earlier else 0


def more_data_helps(r: SweepResults) -> Finding | None:
    """The CV score is still rising at the largest training size."""
    v = _learning_curve(r)
    if v is None:
        return None
    last, before = len(r.values) - 1, _earlier(r)
    gain = v.test(last, before)
    if not v.real(gain, v.tol / 2):
        return None
    evidence = (
        f"from {v.at(before)} to {v.at(last)} the CV score still rose by {gain.mean_diff:.3f} "
        f"({v.show(before)} → {v.show(last)}, p = {gain.p_value:.2g}): more rows would "
        "likely help"
    )
    return Finding(
        "more_data_helps",
        conf(gain),
        evidence,
        {"from": r.values[before], "gain": rnd(gain.mean_diff), "p_value": rnd(gain.p_value)},
    )


def more_data_wont_help(r: SweepResults) -> Finding | None:
    """The CV score stopped rising well before the largest training size: the last step's
    gain is no difference beyond noise, and a gain of the tolerance is ruled out."""
    v = _learning_curve(r)
    if v is None:
        return None
    last, before = len(r.values) - 1, _earlier(r)
    gain = v.test(last, before)
    if gain is None or v.differs(gain):
        return None
    bound = v.tol
    p_big = upper_p(gain, bound)  # H0: the gain is at least `bound`
    if p_big >= v.alpha:
        return None
    evidence = (
        f"the CV score at {v.at(last)} ({v.show(last)}) is no better than at {v.at(before)} "
        f"({v.show(before)}); a gain of {bound:.2g} or more is ruled out (p = {p_big:.2g}): "
        "more rows of the same kind will not help"
    )
    return Finding(
        "more_data_wont_help",
        1.0 - p_big,
        evidence,
        {"from": r.values[before], "gain": rnd(gain.mean_diff), "ruled_out": rnd(bound)},
    )
