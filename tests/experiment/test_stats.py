"""The corrected resampled t-test, checked against the formula worked by hand and against
the naive paired t-test it corrects."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from tinkerlab.exceptions import InputError
from tinkerlab.experiment import (
    METHOD,
    compare_with_best,
    corrected_resampled_ttest,
    indistinguishable_from_best,
    mean_interval,
)


def test_matches_the_nadeau_bengio_formula_by_hand():
    rng = np.random.default_rng(0)
    a = 0.80 + 0.02 * rng.standard_normal(10)
    b = 0.78 + 0.02 * rng.standard_normal(10)
    d = a - b
    n, n_train, n_test = 10, 120, 30
    se = math.sqrt((1 / n + n_test / n_train) * d.var(ddof=1))
    t = d.mean() / se
    p = 2 * stats.t.sf(abs(t), n - 1)
    half = stats.t.ppf(0.975, n - 1) * se

    r = corrected_resampled_ttest(a, b, n_train, n_test)

    assert r.mean_diff == pytest.approx(d.mean(), rel=1e-12)
    assert r.t == pytest.approx(t, rel=1e-12)
    assert r.p_value == pytest.approx(p, rel=1e-12)
    assert (r.ci_low, r.ci_high) == pytest.approx((d.mean() - half, d.mean() + half), rel=1e-12)
    assert r.method == METHOD == "corrected resampled t-test (Nadeau & Bengio 2003)"
    assert r.n_folds == 10


def test_the_correction_is_more_cautious_than_the_naive_paired_test():
    rng = np.random.default_rng(1)
    a = 0.80 + 0.01 * rng.standard_normal(10)
    b = a - 0.01 + 0.01 * rng.standard_normal(10)
    naive = stats.ttest_rel(a, b).pvalue
    corrected = corrected_resampled_ttest(a, b, 80, 20)
    assert corrected.p_value > naive  # overlapping training sets: the naive test overclaims


def test_identical_scores_and_constant_differences():
    same = corrected_resampled_ttest([0.8, 0.9, 0.7], [0.8, 0.9, 0.7], 80, 20)
    assert (same.mean_diff, same.t, same.p_value) == (0.0, 0.0, 1.0)
    assert not same.significant()
    # every fold moved by exactly 0.25 (exact in binary floating point): no noise at all
    shifted = corrected_resampled_ttest([0.75, 1.0, 0.5], [0.5, 0.75, 0.25], 80, 20)
    assert shifted.p_value == 0.0
    assert shifted.t == math.inf
    assert shifted.significant()


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [([0.8], [0.7], "at least 2"), ([0.8, 0.9], [0.7], "same folds")],
)
def test_bad_inputs_say_what_is_wrong(a, b, message):
    with pytest.raises(InputError, match=message):
        corrected_resampled_ttest(a, b, 80, 20)


def test_ties_with_the_best_are_marked():
    scores = {
        "a": [0.90, 0.91, 0.89, 0.92, 0.90],
        "b": [0.90, 0.90, 0.89, 0.91, 0.90],  # within noise of a
        "c": [0.60, 0.61, 0.59, 0.62, 0.60],  # clearly worse
    }
    ties = indistinguishable_from_best(scores, 80, 20)
    assert ties == {"a": True, "b": True, "c": False}
    best, results = compare_with_best(scores, 80, 20)
    assert best == "a"
    assert results["a"].p_value == 1.0
    assert results["c"].mean_diff < 0
    # For an error (lower is better) the best is the lowest.
    assert indistinguishable_from_best(scores, 80, 20, higher_is_better=False)["c"]


def test_mean_interval_widens_with_the_correction():
    x = np.array([0.8, 0.82, 0.78, 0.81, 0.79])
    low, high = mean_interval(x, 80, 20)
    naive = stats.t.ppf(0.975, 4) * x.std(ddof=1) / math.sqrt(5)
    assert low < x.mean() - naive
    assert high > x.mean() + naive
    assert (low + high) / 2 == pytest.approx(x.mean())
