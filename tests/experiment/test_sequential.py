"""Adaptive evidence: the group sequential design behind the added repeats, and the
experiments that use it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from tinkerlab.experiment import tinker
from tinkerlab.experiment._sequential import (
    information,
    plan_design,
    plan_looks,
    repeats_needed,
    spent,
)
from tinkerlab.experiment._stats import corrected_resampled_ttest


def moons(n: int, seed: int) -> pd.DataFrame:
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=n, noise=0.35, random_state=seed)
    frame = pd.DataFrame(X, columns=["x0", "x1"])
    frame["y"] = np.where(y == 1, "b", "a")
    return frame


def test_looks_double_up_to_the_most():
    assert plan_looks(2, 8) == (2, 4, 8)
    assert plan_looks(1, 8) == (1, 2, 4, 8)
    assert plan_looks(2, 5) == (2, 4, 5)
    assert plan_looks(2, 2) == (2,)


def test_a_single_look_is_the_fixed_design():
    assert plan_design(2, 2, 5, 0.25).alphas == (0.05,)


def test_the_spending_function_spends_alpha_by_the_end():
    assert spent(0.0) == 0.0
    assert spent(1.0) == pytest.approx(0.05)
    assert 0 < spent(0.5) < spent(0.9) < 0.05


def test_the_design_keeps_the_overall_error_at_alpha():
    """Simulate the canonical joint distribution (independent increments on the
    Nadeau–Bengio information scale) under no difference: the chance of crossing any
    look's boundary is α = 0.05, within the simulation's error (±0.002 at 400,000 runs)."""
    design = plan_design(2, 8, 5, 0.25)
    info = np.array([information(r, 5, 0.25) for r in design.looks])
    rng = np.random.default_rng(7)
    steps = rng.standard_normal((400_000, len(info))) * np.sqrt(np.diff(info, prepend=0.0))
    z = np.cumsum(steps, axis=1) / np.sqrt(info)  # (runs, looks)
    crossed = (np.abs(z) >= norm.isf(np.array(design.alphas) / 2)).any(axis=1)
    assert crossed.mean() == pytest.approx(0.05, abs=0.002)
    # Looking again costs: each look alone is tested below 0.05.
    assert all(a < 0.05 for a in design.alphas)
    assert list(design.alphas) == sorted(design.alphas, reverse=True)


def test_repeats_needed_says_none_when_the_floor_hides_the_difference():
    rng = np.random.default_rng(0)
    a = 0.80 + 0.03 * rng.standard_normal(10)
    tiny = corrected_resampled_ttest(a + 0.004, a + rng.normal(0, 0.03, 10), 80, 20)
    assert repeats_needed(tiny, cv_folds=5, ratio=0.25, alpha=0.02, tolerance=0.0001) is None
    clear = corrected_resampled_ttest(a + 0.03, a + rng.normal(0, 0.01, 10), 80, 20)
    needed = repeats_needed(clear, cv_folds=5, ratio=0.25, alpha=0.02, tolerance=0.0001)
    assert needed is not None
    assert needed >= 2


@pytest.mark.slow
def test_a_noisy_curve_gets_more_repeats_and_says_when_it_was_decided():
    ex = tinker(moons(500, 0), "n_neighbors", [1, 15], model="knn", target="y", n_jobs=1)
    assert ex.repeats == 4
    assert ex.sequential["decided"]
    assert ex.sequential["text"] == "decided after 4 repeats (20 paired folds)"
    assert ex.summary.alpha == pytest.approx(ex.sequential["alphas"][1], abs=1e-5)
    assert len(ex.points[0].test["accuracy"]) == 20
    assert ex.to_dict()["folds"] == 20


@pytest.mark.slow
def test_an_undecidable_curve_says_more_rows_not_more_repeats_would_help():
    ex = tinker(moons(300, 0), "n_neighbors", [3, 9], model="knn", target="y", n_jobs=1)
    assert not ex.sequential["decided"]
    assert ex.repeats == 8
    assert "only more rows" in ex.sequential["text"]


@pytest.mark.slow
def test_fixed_repeats_switch_the_adaptive_design_off():
    ex = tinker(moons(300, 0), "n_neighbors", [3, 9], model="knn", target="y", n_jobs=1,
                repeats=2)  # fmt: skip
    assert ex.sequential is None
    assert ex.repeats == 2
    assert ex.summary.alpha == 0.05


@pytest.mark.slow
def test_added_folds_are_recorded_and_read_back_by_explain(tmp_path):
    from tinkerlab.insight import SweepResults
    from tinkerlab.journal import Journal

    with Journal(f"sqlite:///{tmp_path / 'j.sqlite'}") as journal:
        ex = tinker(moons(500, 0), "n_neighbors", [1, 15], model="knn", target="y", n_jobs=1,
                    store=journal)  # fmt: skip
        entry = journal.get_experiment(ex.id)
    r = SweepResults.from_entry(entry)
    assert r.test.shape == (2, 20)
    assert r.test[0] == pytest.approx(ex.points[0].test["accuracy"])
    assert r.alpha == pytest.approx(ex.summary.alpha)


def test_a_sweep_stopped_by_the_budget_says_so(monkeypatch):
    """An undecided sweep whose next repeat would overrun the budget says that the budget
    stopped it (a text_rnn sweep said '1 repeats' and nothing of why none were added)."""
    from tinkerlab.experiment import _adaptive

    decide = _adaptive.decide

    def no_budget(plan, engine, experiment, first_seconds, budget, progress):
        return decide(plan, engine, experiment, first_seconds, 1e-9, progress)

    monkeypatch.setattr(_adaptive, "decide", no_budget)
    ex = tinker(moons(300, 0), "n_neighbors", [3, 9], model="knn", target="y", n_jobs=1)
    assert not ex.sequential["decided"]
    assert ex.repeats == 2  # the first look's, nothing added
    text = ex.sequential["text"]
    assert text.startswith("still too noisy after 2 repeats (the budget stopped it: 1 repeat more")
    assert "past the 1e-09 s a sweep may spend adding repeats)" in text
