"""Detectors along a model parameter's axis: overfitting, underfitting, a sweet spot, a
plateau, and a sweep whose differences are noise.

The first four read **capacity** knobs only (a model parameter on an axis, ``kind ==
"param"``): along ``train_size``, ``label_noise`` or ``seed`` a rise and a fall mean
other things, and the learning-curve and data detectors speak for them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tinkerlab.experiment import TestResult
from tinkerlab.insight._findings import (
    Finding,
    SweepResults,
    _View,
    conf,
    rnd,
)

#: A change this many tolerances large counts as a real move (0.04 on [0, 1] scores):
#: twice the size below which a curve counts as flat.
MOVE = 2.0
#: A train-validation gap this many tolerances wide is a wide gap (0.10 on [0, 1] scores):
#: typical fold-to-fold spreads on the bundled data are 0.01-0.05, so a 0.10 gap is no wiggle.
WIDE_GAP = 5.0
#: The noise detector: at least this share of the values tie with the best.
TIED_SHARE = 0.75
#: Knob names that are a learning rate (gradient descent's step size).
LEARNING_RATES = frozenset({"learning_rate", "learning_rate_init", "eta0", "lr"})
#: Knob names that count training passes: at their low end a model is unfinished, not simple.
TRAINING_PASSES = frozenset({"epochs", "max_iter", "n_iter"})
#: Registry models that average independent trees: more trees only steady the vote, so the
#: ensemble's size adds no capacity and cannot overfit (Breiman, "Random Forests", 2001,
#: section 2.1); fewer trees give a noisier vote, which is variance, not extra fit.
AVERAGED_ENSEMBLES = frozenset({"random_forest", "extra_trees"})


def _capacity(r: SweepResults, least: int) -> _View | None:
    """A view of a model parameter's sweep with at least *least* fitted values."""
    if r.kind != "param" or not r.ordered or r.knob in LEARNING_RATES:
        return None
    v = _View(r)
    return v if len(v.fitted) >= least else None


def gap_opens(v: _View, b: int, end: int) -> tuple[TestResult, TestResult, bool] | None:
    """From the best value *b* to *end*, the training score holds while the train-CV gap
    opens: ``(fall, opens, falls)``, the CV score's fall from *b*, the gap's opening, and
    whether the fall is real; ``None`` where neither rule holds.

    The CV score falls beyond noise while the gap opens; or it stalls (no value past the
    best does better) while the gap opens wide: the extra fit is the rows' noise. A falling
    training score is a failure to train, not this.
    """
    fall = v.test(b, end)
    opens = v.pair(v.tr[end] - v.cv[end], v.tr[b] - v.cv[b], end, b)  # gap there vs at b
    holds = v.tr_mean[end] >= v.tr_mean[b] - v.tol / 2
    if fall is None or opens is None or not holds:
        return None
    falls = v.real(fall, v.tol) and v.real(opens, MOVE * v.tol)
    if not falls and not v.real(opens, WIDE_GAP * v.tol):
        return None
    return fall, opens, falls


def overfitting(r: SweepResults) -> Finding | None:
    """Towards one end, the training score holds or rises while the CV score falls below
    the best value's and the train-CV gap opens. Not along an averaged ensemble's size,
    where no end adds capacity (:data:`AVERAGED_ENSEMBLES`)."""
    v = _capacity(r, 3)
    if v is None or (r.knob == "n_estimators" and r.model in AVERAGED_ENSEMBLES):
        return None
    b = v.best()
    for end in (len(r.values) - 1, 0):
        if end == b or end not in v.fitted:
            continue
        if (tests := gap_opens(v, b, end)) is None:
            continue
        fall, opens, falls = tests
        past = "past" if end > b else "below"
        trend = "keeps rising" if v.tr_mean[end] - v.tr_mean[b] >= v.tol else "stays high"
        moves = "falls" if falls else "does not improve"
        evidence = (
            f"{past} {v.at(b)} the training score {trend} ({v.show(b, 'train')} → "
            f"{v.show(end, 'train')}) while the CV score {moves} ({v.show(b)} → "
            f"{v.show(end)}): the train-CV gap opens by {opens.mean_diff:.2f} "
            f"(p = {opens.p_value:.2g}); the extra fit is the training rows' noise"
        )
        return Finding(
            "overfitting",
            conf(fall, opens) if falls else conf(opens),
            evidence,
            {
                "best": r.values[b],
                "at": r.values[end],
                "train": [rnd(v.tr_mean[b] * v.sign), rnd(v.tr_mean[end] * v.sign)],
                "cv": [rnd(v.cv_mean[b] * v.sign), rnd(v.cv_mean[end] * v.sign)],
                "gap_opens": rnd(opens.mean_diff),
                "p_value": rnd(fall.p_value),
            },
        )
    return None


def lags_best(v: _View, i: int, b: int) -> tuple[TestResult, TestResult] | None:
    """Value *i* fits even its training rows worse than value *b* predicts new ones, and
    scores clearly worse in CV: ``(short, worse)``, the two tests, or ``None``.

    The shared test of a value that *fails to fit* (too simple, steps too small, too few
    updates): it is not merely worse on new rows, it cannot reach the best's CV score on
    the very rows it was trained on.
    """
    short = v.pair(v.cv[b], v.tr[i], b, i)  # the best's CV over this value's training
    worse = v.test(b, i)
    if v.real(short, MOVE * v.tol) and v.real(worse, MOVE * v.tol):
        return short, worse
    return None


def short_of_best(
    phenomenon: str,
    v: _View,
    i: int,
    b: int,
    tests: tuple[TestResult, TestResult],
    *,
    who: str,
    why: str,
    numbers: dict[str, Any] | None = None,
) -> Finding:
    """The finding that value *i* lags the best *b* on its own training rows and in CV
    (:func:`lags_best`'s two *tests*), told for *who* ("the model", "the net") with *why*."""
    short, worse = tests
    evidence = (
        f"at {v.at(i)} {who} scores only {v.show(i, 'train')} on its own training rows "
        f"and {v.show(i)} in CV, while {v.at(b)} reaches {v.show(b)} in CV: {why}"
    )
    return Finding(
        phenomenon,
        conf(short, worse),
        evidence,
        {
            "at": v.r.values[i],
            "train": rnd(v.tr_mean[i] * v.sign),
            "cv": rnd(v.cv_mean[i] * v.sign),
            "best": v.r.values[b],
            "best_cv": rnd(v.cv_mean[b] * v.sign),
            "p_value": rnd(worse.p_value),
            **(numbers or {}),
        },
    )


def underfitting(r: SweepResults) -> Finding | None:
    """At one end of the range the model cannot fit even its training rows as well as the
    best value predicts new ones, and its CV score is clearly worse: bias, not variance."""
    v = _capacity(r, 2)
    if v is None:
        return None
    b = v.best()
    found = []
    for i in {0, len(r.values) - 1} - {b}:
        if i not in v.fitted:
            continue
        tests = lags_best(v, i, b)
        gap = v.tr_mean[i] - v.cv_mean[i]
        # Mostly bias: the training shortfall is at least the value's own train-CV gap.
        if tests is not None and tests[0].mean_diff >= gap:
            found.append((i, tests))
    if not found:
        return None
    i, tests = min(found, key=lambda f: v.tr_mean[f[0]])
    why = (
        "it stopped before its fit was finished (too few passes over the training rows)"
        if r.knob in TRAINING_PASSES
        else "too simple or too constrained to capture the pattern"
    )
    return short_of_best("underfitting", v, i, b, tests, who="the model", why=why)


def sweet_spot(r: SweepResults) -> Finding | None:
    """The CV score peaks inside the range and is clearly worse at both ends."""
    v = _capacity(r, 3)
    if v is None:
        return None
    b, first, last = v.best(), 0, len(r.values) - 1
    if not first < b < last:
        return None
    left, right = v.test(b, first), v.test(b, last)
    if not (v.real(left, v.tol) and v.real(right, v.tol)):
        return None
    evidence = (
        f"the CV score peaks at {v.at(b)} ({v.show(b)}) and is lower at both ends "
        f"({r.labels[first]}: {v.show(first)}; {r.labels[last]}: {v.show(last)}; "
        f"p = {left.p_value:.2g}, {right.p_value:.2g})"
    )
    return Finding(
        "sweet_spot",
        conf(left, right),
        evidence,
        {
            "best": r.values[b],
            "cv": [rnd(v.cv_mean[i] * v.sign) for i in (first, b, last)],
            "p_values": [rnd(left.p_value), rnd(right.p_value)],
        },
    )


def plateau(r: SweepResults) -> Finding | None:
    """The CV score rises beyond noise from the first value, then stays level with its
    best (within the tolerance, no difference beyond noise) for three values or more."""
    v = _capacity(r, 4)
    last = len(r.values) - 1
    if v is None or v.fitted != list(range(len(r.values))):
        return None
    b = v.best()

    def level(i: int) -> bool:  # as good as the best: within ±tol and no real difference
        t = v.test(i, b)
        return i == b or (t is not None and abs(t.mean_diff) <= v.tol and not v.differs(t))

    # The first value from which every later value is level with the best.
    start = next((k for k in range(1, last + 1) if all(level(i) for i in range(k, last + 1))), None)
    if start is None or last - start < 2:  # a plateau spans at least three values
        return None
    # ...after a rise: some value before it is below the best beyond noise.
    rises = [(i, t) for i in range(start) if v.real(t := v.test(b, i), v.tol)]
    if not rises:
        return None
    low, rise = min(rises, key=lambda it: it[1].p_value)
    evidence = (
        f"from {v.at(start)} on, the CV score stays within {v.tol:.2g} of its best "
        f"({v.show(b)}); it rose from {v.show(low)} at {v.at(low)} (p = {rise.p_value:.2g}): "
        f"turning {r.knob} further barely changes the score"
    )
    return Finding(
        "plateau",
        conf(rise),
        evidence,
        {
            "from": r.values[start],
            "best": r.values[b],
            "cv_first": rnd(v.cv_mean[0] * v.sign),
            "cv_best": rnd(v.cv_mean[b] * v.sign),
            "tolerance": rnd(v.tol),
        },
    )


def noise_dominated(r: SweepResults) -> Finding | None:
    """Most values tie with the best (the table's ≈ marks), and their means do differ.

    Not for learning curves: training sizes are not alternatives to pick among, and
    ``more_data_wont_help`` says what a flat learning curve means.
    """
    if r.kind == "train_size":
        return None
    v = _View(r)
    fitted = v.fitted
    if len(fitted) < 2:
        return None
    b = v.best()
    tied = v.tied()
    if len(tied) < 2 or len(tied) < TIED_SHARE * len(fitted):
        return None
    spread = float(np.median([np.nanstd(v.cv[i]) for i in fitted]))  # fold-to-fold
    means = v.cv_mean[tied]
    width = float(means.max() - means.min())
    if width <= 0 or spread <= 0:  # identical scores: the knob does nothing at all
        return None
    what = "values" if r.kind != "seed" else "seeds"
    evidence = (
        f"{len(tied)} of {len(fitted)} {what} tie with the best ({v.at(b)}, {v.show(b)}; "
        f"marked ≈): their means differ by up to {width:.3f}, with a fold-to-fold spread of "
        f"±{spread:.3f} and no difference beyond noise; picking the best among them is "
        "picking noise"
    )
    return Finding(
        "noise_dominated",
        len(tied) / len(fitted),  # the share of values tied with the best
        evidence,
        {
            "tied": [r.values[i] for i in tied],
            "width": rnd(width),
            "fold_std": rnd(spread),
            "best": r.values[b],
        },
    )
