"""Adaptive evidence: add paired repeats only while the curve is too noisy to tell.

A sweep's shape is first judged on the default repeats (2 × 5 paired folds). When it is
"too noisy to tell", more repeats of the k-fold split may decide it, so the experiment
adds them, in **looks** (2, 4, 8 repeats), within a time budget. Looking at the data
again and again and stopping when it "works" would declare far too many differences
real; this is the classic *group sequential* problem, and we use its classic answer:

* **α spending** (Lan & DeMets 1983): the error rate α = 0.05 is spent over the looks,
  a share at each, with the Pocock-type function ``α·ln(1 + (e − 1)·t)`` of the
  *information time* ``t`` (the share of the final look's information seen so far).
  Each look's nominal level is solved so that the chance of ever declaring a difference
  that is not there stays at α.
* **Information on the Nadeau–Bengio scale.** The corrected resampled t-test says the
  variance of a mean over ``n`` paired folds is ``σ²·(1/n + n_test/n_train)``, so the
  information is ``I(n) = 1 / (1/n + n_test/n_train)``. Under that same model the
  statistics of successive looks have the canonical joint distribution of group
  sequential theory, ``corr(Z_i, Z_j) = √(I_i / I_j)`` (the running mean of an
  equicorrelated sequence has independent increments on this scale), so the boundaries
  come from the multivariate normal, computed here with scipy.
* **Repeated confidence intervals** (Jennison & Turnbull 1989): at look k the interval
  ``mean ± c_k·SE_k`` covers the true difference at every look at once with probability
  1 − α. So the experiment may stop as soon as the interval excludes 0 (the curve moves)
  *or* lies within ±tolerance (it is flat), and both claims keep their error rate.

The maximum number of repeats is fixed after the first look from its timing alone (never
from its scores), so the plan does not peek. Because ``n_test/n_train`` stays however
many repeats are added, the information has a ceiling (``n_train/n_test``): repeats can
only narrow the interval so far, and :func:`repeats_needed` says when no number of
repeats could decide a difference (more *rows* would).

References: K. K. G. Lan and D. L. DeMets, "Discrete sequential boundaries for clinical
trials", Biometrika 70, 659-663 (1983). C. Jennison and B. W. Turnbull, "Interim analyses:
the repeated confidence interval approach", JRSS B 51, 305-361 (1989). C. Jennison and
B. W. Turnbull, *Group Sequential Methods with Applications to Clinical Trials* (2000).

>>> design = plan_design(first=2, most=8, cv_folds=5, ratio=0.25)
>>> design.looks
(2, 4, 8)
>>> round(design.alphas[0], 3), design.alphas[-1] < design.alphas[0]
(0.042, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from tinkerlab.experiment._stats import ALPHA, TestResult

#: How the adaptive repeats are judged, named in outputs and the docs.
SEQUENTIAL_METHOD = (
    "group sequential design: Lan-DeMets alpha spending (Pocock type) on the "
    "Nadeau-Bengio information scale, with repeated confidence intervals "
    "(Jennison & Turnbull 1989)"
)
#: The most repeats of the k-fold split an experiment adds by itself (--repeats overrides).
MOST_REPEATS = 8
#: Seconds of extra fitting an experiment may spend deciding a noisy curve, by default.
BUDGET_S = 30.0
#: The most repeats a projection names ("about N repeats would be needed").
FAR = 100


@dataclass(frozen=True)
class Design:
    """The planned looks of a sequential experiment and each look's nominal level."""

    looks: tuple[int, ...]  # repeats of the k-fold split at each look, increasing
    alphas: tuple[float, ...]  # two-sided nominal level of the tests at each look
    cv_folds: int  # folds per repeat
    ratio: float  # n_test / n_train of the split (the correction's floor)

    def alpha_at(self, repeats: int) -> float:
        """The nominal level at the look with *repeats* (the last look's beyond it)."""
        for look, alpha in zip(self.looks, self.alphas, strict=True):
            if repeats <= look:
                return alpha
        return self.alphas[-1]

    def next_look(self, repeats: int) -> int | None:
        """The repeats of the look after *repeats*, or None at the last look."""
        later = [look for look in self.looks if look > repeats]
        return later[0] if later else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-able: the looks, their levels and the method."""
        return {
            "looks": list(self.looks),
            "alphas": [round(a, 5) for a in self.alphas],
            "method": SEQUENTIAL_METHOD,
        }


def information(repeats: int, cv_folds: int, ratio: float) -> float:
    """``1 / (1/n + n_test/n_train)``: the Nadeau–Bengio information of ``n`` folds."""
    return 1.0 / (1.0 / (repeats * cv_folds) + ratio)


def spent(t: float, alpha: float = ALPHA) -> float:
    """The Pocock-type α-spending function of Lan & DeMets: ``α·ln(1 + (e − 1)·t)``."""
    return alpha * math.log(1.0 + (math.e - 1.0) * min(max(t, 0.0), 1.0))


def plan_looks(first: int, most: int) -> tuple[int, ...]:
    """Repeats at each look: *first*, then doubling, up to *most* (1, 2, 4, 8)."""
    looks = [first]
    while looks[-1] < most:
        looks.append(min(most, looks[-1] * 2))
    return tuple(looks)


def plan_design(first: int, most: int, cv_folds: int, ratio: float, alpha: float = ALPHA) -> Design:
    """Looks from *first* to *most* repeats and the nominal level of each (see module).

    With a single look (``most <= first``) the design is the fixed one: level *alpha*.
    """
    looks = plan_looks(first, max(first, most))
    if len(looks) == 1:
        return Design(looks, (alpha,), cv_folds, ratio)
    info = np.array([information(r, cv_folds, ratio) for r in looks])  # (looks,)
    times = info / info[-1]  # information time of each look
    bounds: list[float] = []
    for k, t in enumerate(times):
        target = spent(float(t), alpha) - (spent(float(times[k - 1]), alpha) if k else 0.0)
        bounds.append(_boundary(bounds, info[: k + 1], target))
    alphas = tuple(float(2.0 * _normal_sf(c)) for c in bounds)
    return Design(looks, alphas, cv_folds, ratio)


def _boundary(earlier: list[float], info: np.ndarray, target: float) -> float:
    """The critical |z| at the newest look whose crossing (without crossing an earlier
    boundary) has probability *target* under no difference."""
    from scipy.optimize import brentq
    from scipy.stats import norm

    if not earlier:
        return float(norm.isf(target / 2))
    cov = np.sqrt(np.minimum.outer(info, info) / np.maximum.outer(info, info))  # (k, k)
    inner = _box(np.array(earlier), cov[:-1, :-1])

    def crossing(c: float) -> float:
        return inner - _box(np.array([*earlier, c]), cov) - target

    if crossing(8.0) > 0:  # even a huge boundary is crossed that often: spend it all here
        return 8.0
    return float(brentq(crossing, 0.5, 8.0, xtol=1e-6))


def _box(bounds: np.ndarray, cov: np.ndarray) -> float:
    """P(|Z_i| < bounds_i for every i), Z standard normal with correlation *cov*."""
    from scipy.stats import multivariate_normal

    if len(bounds) == 1:
        return float(1.0 - 2.0 * _normal_sf(float(bounds[0])))
    # Genz's algorithm is quasi-Monte Carlo: a fixed generator keeps the levels exact
    # from one run to the next.
    return float(
        multivariate_normal(mean=np.zeros(len(bounds)), cov=cov).cdf(
            bounds, lower_limit=-bounds, rng=np.random.default_rng(0)
        )
    )


def _normal_sf(z: float) -> float:
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def repeats_needed(
    test: TestResult, *, cv_folds: int, ratio: float, alpha: float, tolerance: float
) -> int | None:
    """Repeats at which a difference like *test*'s would be decided, or None if none.

    A projection, not a promise: it assumes the mean difference and the fold spread stay
    as measured. "Decided" is either side: the difference is beyond noise at level
    *alpha*, or its interval lies within ±*tolerance* (flat). None: no number of repeats
    below ``FAR`` would do, because the correction's floor (``n_test/n_train``) keeps the
    interval wider than the difference, whatever the repeats.
    """
    from scipy.stats import t as student

    n = test.n_folds
    if n < 2:
        return None
    half = (test.ci_high - test.ci_low) / 2
    crit_now = float(student.ppf(0.5 + test.confidence / 2, n - 1))
    sigma = half / crit_now / math.sqrt(1.0 / n + ratio) if crit_now > 0 else 0.0
    mean = abs(test.mean_diff)
    for repeats in range(1, FAR + 1):
        folds = repeats * cv_folds
        if folds <= n:
            continue
        se = sigma * math.sqrt(1.0 / folds + ratio)
        crit = float(student.ppf(1.0 - alpha / 2, folds - 1))
        if mean > crit * se or mean + crit * se <= tolerance:
            return repeats
    return None
