"""Is a difference real? The corrected resampled t-test over paired fold scores.

Two knob values evaluated on the same folds give paired scores ``a_j`` and ``b_j``
(fold ``j``). The naive paired t-test treats the ``n`` differences ``d_j = a_j - b_j``
as independent, but they are not: the training sets of different folds share most of
their rows, so the differences are positively correlated and the naive test claims
significance far too often. Nadeau & Bengio (2003) correct the variance of the mean
difference with the ratio of validation to training rows:

    t = mean(d) / sqrt((1/n + n_test/n_train) * var(d))

with ``n - 1`` degrees of freedom, where ``σ̂²`` is the sample variance of the ``d_j``.
(Bouckaert & Frank (2004) recommend it for repeated k-fold CV, e.g. 10×10.)

Reference: C. Nadeau and Y. Bengio, "Inference for the Generalization Error",
Machine Learning 52, 239-281 (2003).

**Which rows go into the correction.** The ``n_test/n_train`` term stands for how much
the folds overlap: it is the split's design, not the rows a model happened to be fitted
on. With the ``train_size`` knob each training fold is *subsampled*; two folds' subsamples
share fewer rows than the full folds do, so their scores are *less* correlated, and the
full fold's ratio is the right (slightly cautious) one. Taking the subsample's rows
instead (60 of 1,150 on digits at 5%) inflated the variance fifteenfold and called a
rise from 0.85 to 0.97 noise. :func:`design_rows` gives the rows each point's
correction uses, per knob kind; a pair of points is tested with the larger of their two
ratios (:func:`paired_points_test`).

>>> a = [0.90, 0.80, 0.85, 0.90, 0.88, 0.86, 0.84, 0.91, 0.87, 0.89]
>>> b = [0.80, 0.75, 0.78, 0.79, 0.80, 0.77, 0.76, 0.81, 0.80, 0.79]
>>> r = corrected_resampled_ttest(a, b, n_train=80, n_test=20)
>>> round(r.mean_diff, 3), r.significant()
(0.085, True)
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from tinkerlab.exceptions import InputError
from tinkerlab.options import spell

#: The name every output and the docs use for the test.
METHOD = "corrected resampled t-test (Nadeau & Bengio 2003)"
#: Significance level: a p-value below it counts as "beyond noise".
ALPHA = 0.05

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class TestResult:
    """The outcome of comparing paired fold scores ``a`` against ``b``."""

    __test__ = False  # not a pytest test class, despite the name

    mean_diff: float  # mean of a_j - b_j over the paired folds
    t: float  # the corrected t statistic (±inf when every difference is the same, nonzero)
    p_value: float  # two-sided
    ci_low: float  # lower end of the confidence interval of the mean difference
    ci_high: float  # upper end
    method: str = METHOD  # how it was computed, to name in outputs
    n_folds: int = 0  # how many paired scores went in
    confidence: float = 0.95  # level of [ci_low, ci_high]

    def significant(self, alpha: float = ALPHA) -> bool:
        """Whether the difference is beyond noise at level *alpha* (``p < alpha``)."""
        return self.p_value < alpha


def corrected_resampled_ttest(
    a_scores: Sequence[float] | np.ndarray,
    b_scores: Sequence[float] | np.ndarray,
    n_train: int,
    n_test: int,
    *,
    confidence: float = 0.95,
) -> TestResult:
    """Compare paired fold scores with the Nadeau & Bengio corrected resampled t-test.

    Parameters
    ----------
    a_scores, b_scores : sequence of float
        One score per fold, the same folds in the same order (paired).
    n_train, n_test : int
        Rows in each fold's training and validation part (their ratio is the correction).
    confidence : float
        Level of the confidence interval of the mean difference.

    Returns
    -------
    TestResult
        ``mean_diff`` is ``mean(a - b)``: positive when ``a`` scores higher.
    """
    from scipy import stats

    a = np.asarray(a_scores, dtype=float)  # (n,)
    b = np.asarray(b_scores, dtype=float)  # (n,)
    if a.shape != b.shape or a.ndim != 1:
        raise InputError(
            f"Paired scores need the same folds: got {a.shape} and {b.shape}. "
            "Fix: evaluate both on the same folds (paired_folds)."
        )
    n = a.size
    if n < 2:
        raise InputError(
            f"A t-test needs at least 2 paired folds. Got {n}. Fix: {spell('repeats', 2)}"
        )
    if n_train < 1 or n_test < 1:
        raise InputError(f"n_train and n_test must be positive. Got {n_train} and {n_test}.")
    d = a - b  # (n,) paired differences
    mean = float(d.mean())
    var = float(d.var(ddof=1))
    df = n - 1
    se = math.sqrt((1.0 / n + n_test / n_train) * var)
    half = float(stats.t.ppf(0.5 + confidence / 2, df)) * se
    if se == 0.0:  # every fold moved by exactly the same amount
        t = 0.0 if mean == 0.0 else math.copysign(math.inf, mean)
        p = 1.0 if mean == 0.0 else 0.0
    else:
        t = mean / se
        p = float(2 * stats.t.sf(abs(t), df))
    return TestResult(
        mean_diff=mean,
        t=t,
        p_value=p,
        ci_low=mean - half,
        ci_high=mean + half,
        method=METHOD,
        n_folds=n,
        confidence=confidence,
    )


def design_rows(
    kind: str,
    values: Sequence[Any],
    n_train: Sequence[float] | np.ndarray,
    n_test: Sequence[float] | np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The (training, validation) rows behind each point's correction term.

    Parameters
    ----------
    kind : str
        The knob's kind (``"param"``, ``"train_size"``, ``"test_size"``...).
    values : sequence
        The knob's values, one per point.
    n_train, n_test : sequence of float
        The mean rows each point was fitted and validated on, per fold.

    Returns
    -------
    (train_rows, test_rows) : two arrays of shape (points,)
        For ``train_size`` the training rows are the *full* fold's (the split's overlap;
        see the module docstring), read from the largest share; every other knob keeps
        its own rows (``test_size`` changes the split itself, so its ratio changes too).

    >>> design_rows("train_size", [0.1, 0.5, 1.0], [80, 400, 800], [200, 200, 200])[0]
    array([800., 800., 800.])
    """
    train = np.asarray(n_train, dtype=float)  # (points,)
    test = np.asarray(n_test, dtype=float)  # (points,)
    if kind == "train_size" and len(values):
        shares = np.array([float(v) for v in values])  # (points,)
        widest = int(np.argmax(shares))
        full = train[widest] / shares[widest] if shares[widest] > 0 else float(train.max())
        return np.full(train.shape, max(full, float(train.max()))), test
    return train, test


def paired_points_test(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    rows_a: tuple[float, float],
    rows_b: tuple[float, float],
    *,
    confidence: float = 0.95,
) -> TestResult:
    """Point *a* against point *b* (paired folds), with the more cautious of their two
    correction ratios: ``rows_*`` are each point's (training, validation) design rows
    (:func:`design_rows`)."""
    (train_a, test_a), (train_b, test_b) = rows_a, rows_b
    train, test = (train_a, test_a) if test_a / train_a >= test_b / train_b else (train_b, test_b)
    return corrected_resampled_ttest(
        a, b, max(1, round(train)), max(1, round(test)), confidence=confidence
    )


def best_of(
    fold_scores: Mapping[K, Sequence[float] | np.ndarray], *, higher_is_better: bool = True
) -> K:
    """The key with the best mean fold score (the first one on a tie)."""
    if not fold_scores:
        raise InputError("No scores to pick the best from.")
    sign = 1.0 if higher_is_better else -1.0
    keys = list(fold_scores)
    means = [sign * float(np.mean(fold_scores[k])) for k in keys]
    return keys[int(np.argmax(means))]


def compare_with_best(
    fold_scores: Mapping[K, Sequence[float] | np.ndarray],
    n_train: int,
    n_test: int,
    *,
    higher_is_better: bool = True,
) -> tuple[K, dict[K, TestResult]]:
    """The best key, and for every key the test of its scores against the best's.

    ``mean_diff`` is ``key - best`` in the direction "higher is better" (so it is ≤ 0 for
    every key, 0 for the best itself); the best compared with itself has ``p_value`` 1.
    """
    best = best_of(fold_scores, higher_is_better=higher_is_better)
    sign = 1.0 if higher_is_better else -1.0
    reference = sign * np.asarray(fold_scores[best], dtype=float)
    results = {
        key: corrected_resampled_ttest(
            sign * np.asarray(scores, dtype=float), reference, n_train, n_test
        )
        for key, scores in fold_scores.items()
    }
    return best, results


def indistinguishable_from_best(
    fold_scores: Mapping[K, Sequence[float] | np.ndarray],
    n_train: int,
    n_test: int,
    *,
    higher_is_better: bool = True,
    alpha: float = ALPHA,
) -> dict[K, bool]:
    """For every key: True when its scores are not significantly worse than the best's.

    The best itself is True. This is one test per key against the best at level
    *alpha*, not a correction for multiple comparisons: it marks ties generously.
    """
    _, results = compare_with_best(fold_scores, n_train, n_test, higher_is_better=higher_is_better)
    return {key: not r.significant(alpha) for key, r in results.items()}


def mean_interval(
    scores: Sequence[float] | np.ndarray,
    n_train: int,
    n_test: int,
    *,
    confidence: float = 0.95,
) -> tuple[float, float]:
    """Confidence interval of the mean fold score, with the same Nadeau & Bengio correction.

    The folds overlap, so their spread understates the uncertainty of their mean; the
    variance is inflated by ``1/n + n_test/n_train`` as in the t-test.
    """
    from scipy import stats

    x = np.asarray(scores, dtype=float)  # (n,)
    n = x.size
    mean = float(x.mean()) if n else math.nan
    if n < 2:
        return mean, mean
    se = math.sqrt((1.0 / n + n_test / n_train) * float(x.var(ddof=1)))
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * se
    return mean - half, mean + half
