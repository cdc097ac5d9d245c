"""Detectors about the data and the training: features that do nothing or harm, a column
that gives the answer away, accuracy on imbalanced classes, scaling, a learning rate that
overshoots, and a model that copies noisy labels."""

from __future__ import annotations

from typing import Any

import numpy as np

from tinkerlab.insight._detect_curves import LEARNING_RATES, MOVE, WIDE_GAP
from tinkerlab.insight._findings import (
    Finding,
    SweepResults,
    _View,
    conf,
    equivalence_p,
    rnd,
)
from tinkerlab.options import name_of, spell

#: Accuracy paradox: the model removes less than this share of the errors that always
#: guessing the commonest class makes.
PARADOX_SHARE = 0.25
#: Share of the commonest class from which classes count as imbalanced.
IMBALANCED = 0.70
#: A single feature alone at or above this score, on a metric in [0, 1], is implausible
#: for real data: it predicts as if it had seen the answer.
LEAK_SCORE = 0.98
#: Label noise: losing at least this share of what a model that copies every training
#: label would lose is "sensitive" (1-NN loses all of it; a many-tree vote far less).
NOISE_SHARE = 0.5


def _feature_changes(r: SweepResults) -> tuple[_View, list[tuple[int, Any]]] | None:
    if r.kind != "features" or r.mode != "drop-one":
        return None
    v = _View(r)
    if 0 not in v.fitted:
        return None
    return v, [(i, v.test(i, 0)) for i in v.fitted if i != 0]


def useless_feature(r: SweepResults) -> Finding | None:
    """Leaving a feature out changes the CV score by less than it could matter."""
    found = _feature_changes(r)
    if found is None:
        return None
    v, changes = found
    bound = MOVE * v.tol
    useless = [
        (i, t, equivalence_p(t, bound)) for i, t in changes if t is not None and not v.differs(t)
    ]
    useless = [(i, t, p) for i, t, p in useless if p < v.alpha]
    if not useless:
        return None
    names = [str(r.values[i]) for i, _, _ in useless]
    shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    evidence = (
        f"leaving out {shown} changes the CV score by less than {bound:.2g} (equivalence "
        f"test, all features: {v.show(0)}): the model does as well without "
        f"{'it' if len(names) == 1 else 'each of them'}"
    )
    return Finding(
        "useless_feature",
        1.0 - max(p for _, _, p in useless),
        evidence,
        {"features": names, "changes": [rnd(t.mean_diff * v.sign) for _, t, _ in useless]},
    )


def harmful_feature(r: SweepResults) -> Finding | None:
    """Leaving a feature out improves the CV score beyond noise."""
    found = _feature_changes(r)
    if found is None:
        return None
    v, changes = found
    harmful = [(i, t) for i, t in changes if v.real(t, v.tol / 2)]
    if not harmful:
        return None
    i, t = max(harmful, key=lambda it: it[1].mean_diff)
    names = [str(r.values[k]) for k, _ in harmful]
    evidence = (
        f"leaving out {r.values[i]} raises the CV score from {v.show(0)} to {v.show(i)} "
        f"(+{t.mean_diff:.3f}, p = {t.p_value:.2g}): it adds more noise than signal for "
        f"{r.model or 'this model'}"
    )
    return Finding(
        "harmful_feature",
        conf(t),
        evidence,
        {"features": names, "gain": rnd(t.mean_diff), "p_value": rnd(t.p_value)},
    )


def leakage(r: SweepResults) -> Finding | None:
    """A column gives the target away: the data check found a column whose values
    determine the target, or (add-one) one column alone scores implausibly well.

    A model that scores perfectly is *not* evidence on its own: well-separated classes
    score 1.00 honestly. So every leakage finding names its column.
    """
    if r.twins:
        column, why = r.twins[0]
        others = [c for c, _ in r.twins[1:]]
        also = f" (also: {', '.join(others)})" if others else ""
        evidence = (
            f"the column {column!r} gives the target away: {why}{also}. It is probably "
            "computed from the target or recorded after it; a model that uses it will fail "
            f"on new rows. Fix: {spell('drop', [column])}"
        )
        numbers: dict[str, Any] = {
            "feature": column,
            "columns": [c for c, _ in r.twins],
            "twins": [list(t) for t in r.twins],
        }
        return Finding("leakage", 0.95, evidence, numbers)
    if r.kind != "features" or r.mode != "add-one":
        return None
    v = _View(r)
    if not v.unit or not r.higher_is_better:
        return None
    alone = [i for i in v.fitted if i != 0 and v.cv_mean[i] >= LEAK_SCORE]
    if not alone:
        return None
    i = max(alone, key=lambda k: v.cv_mean[k])
    test = v.test(i, 0)
    if not v.real(test, MOVE * v.tol):
        return None
    evidence = (
        f"{r.values[i]} alone scores {v.show(i)} in CV (no features: {v.show(0)}): a single "
        "column that predicts the target this well is probably the answer in disguise, "
        f"computed from the target or recorded after it. Fix: {spell('drop', [r.values[i]])}"
    )
    numbers = {
        "feature": r.values[i],
        "cv": rnd(v.cv_mean[i]),
        "p_value": rnd(test.p_value),
    }
    return Finding("leakage", conf(test), evidence, numbers)


def accuracy_paradox(r: SweepResults) -> Finding | None:
    """Accuracy near the majority-class share, on imbalanced classes."""
    if r.metric != "accuracy" or r.majority is None or r.majority < IMBALANCED:
        return None
    v = _View(r)
    if not v.fitted:
        return None
    b = v.best()
    acc, share = v.cv_mean[b], r.majority
    fixed = (acc - share) / (1.0 - share)  # share of the majority guess's errors removed
    if fixed >= PARADOX_SHARE:
        return None
    evidence = (
        f"the best accuracy, {acc:.3f} at {v.at(b)}, looks high, but always answering the "
        f"commonest class already scores {share:.3f}: the model fixes only "
        f"{max(fixed, 0.0):.0%} of that guess's errors. Look at recall, F1 or balanced "
        f"accuracy ({name_of('metric')})"
    )
    confidence = 1.0 - max(fixed, 0.0) / PARADOX_SHARE
    return Finding(
        "accuracy_paradox",
        max(0.5, confidence),
        evidence,
        {"accuracy": rnd(acc), "majority": rnd(share), "errors_fixed": rnd(fixed)},
    )


def scaling_sensitive(r: SweepResults) -> Finding | None:
    """Standardising the features (on) against not (off) changes the score beyond noise."""
    if r.kind != "scaling":
        return None
    v = _View(r)
    if len(v.fitted) < 2 or "on" not in r.labels or "off" not in r.labels:
        return None
    on, off = r.labels.index("on"), r.labels.index("off")
    test = v.test(on, off)
    if test is None or not v.differs(test) or abs(test.mean_diff) < MOVE * v.tol:
        return None
    better = "on" if test.mean_diff > 0 else "off"
    evidence = (
        f"with scaling on the CV score is {v.show(on)}, off {v.show(off)} "
        f"({abs(test.mean_diff):.3f} apart, p = {test.p_value:.2g}): {r.model or 'the model'} "
        f"depends on the features' units; {better} is better here"
    )
    return Finding(
        "scaling_sensitive",
        conf(test),
        evidence,
        {
            "on": rnd(v.cv_mean[on] * v.sign),
            "off": rnd(v.cv_mean[off] * v.sign),
            "p_value": rnd(test.p_value),
        },
    )


def divergence(r: SweepResults) -> Finding | None:
    """Past some learning rate the training itself collapses: the loss grows or is NaN."""
    if r.knob not in LEARNING_RATES or not r.ordered:
        return None
    v = _View(r)
    if not v.fitted:
        return None
    b = v.best()
    for i in range(b + 1, len(r.values)):
        notices = r.notices[i] if i < len(r.notices) else ()
        warned = any("diverged" in n or "overflow" in n.lower() for n in notices)
        failed = not np.all(np.isfinite(r.test[i]))
        test = None if failed else v.test(b, i)
        # Training collapses too: a step-size failure, not overfitting.
        collapsed = not failed and (
            v.real(test, WIDE_GAP * v.tol)
            and v.real(v.test(b, i, train_side=True), WIDE_GAP * v.tol)
        )
        if not (warned or failed or collapsed):
            continue
        if failed:
            what = "the fits produced NaN or failed"
        elif warned:
            what = "the loss grew instead of shrinking (the model warned it diverged)"
        else:
            what = "even the training score collapsed"
        evidence = (
            f"at {v.at(i)} {what}: CV {v.show(i) if not failed else 'NaN'} against "
            f"{v.show(b)} at {v.at(b)}; the steps overshoot the minimum"
        )
        return Finding(
            "divergence",
            0.99 if (warned or failed) else conf(test),
            evidence,
            {"from": r.values[i], "best": r.values[b], "warned": warned, "failed": failed},
        )
    return None


def label_noise_sensitive(r: SweepResults) -> Finding | None:
    """The CV score falls, as training labels are corrupted, by at least half of what a
    model that copies every training label would lose.

    Flipping a share ``p`` of K classes' labels costs a label-copier (1-NN) about
    ``p·(K·A0 − 1)/(K − 1)`` of its accuracy ``A0``; Gaussian target noise of ``p`` target
    standard deviations costs it about ``p²`` of R². A model that averages many noisy
    labels (a wide vote, a regularised fit) loses far less.
    """
    if r.kind != "label_noise" or len(r.values) < 2 or not r.higher_is_better:
        return None
    v = _View(r)
    first, last = 0, len(r.values) - 1
    if first not in v.fitted or last not in v.fitted or not v.unit:
        return None
    p0, p1 = float(r.values[first]), float(r.values[last])
    if p1 <= p0:
        return None
    if r.task == "classification":
        k = max(2, r.n_classes or 2)
        a0 = float(v.cv_mean[first])
        copier = (p1 - p0) * max(k * a0 - 1.0, 0.0) / (k - 1)
    else:
        copier = p1**2 - p0**2
    fall = v.test(first, last)
    if not v.real(fall, max(NOISE_SHARE * copier, v.tol)):
        return None
    evidence = (
        f"flipping {p1:.0%} of the training labels drops the CV score from {v.show(first)} "
        f"to {v.show(last)} (p = {fall.p_value:.2g}): {fall.mean_diff / copier:.0%} of what a "
        f"model copying every label would lose; {r.model or 'the model'} copies the wrong labels"
        if r.task == "classification"
        else f"target noise of {p1:g} standard deviations drops the CV score from "
        f"{v.show(first)} to {v.show(last)} (p = {fall.p_value:.2g}): "
        f"{fall.mean_diff / copier:.0%} of what a model copying every target would lose"
    )
    return Finding(
        "label_noise_sensitive",
        conf(fall),
        evidence,
        {
            "fall": rnd(fall.mean_diff),
            "copier_fall": rnd(copier),
            "cv": [rnd(v.cv_mean[first] * v.sign), rnd(v.cv_mean[last] * v.sign)],
        },
    )
