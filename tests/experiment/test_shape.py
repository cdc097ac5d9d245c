"""Curve shapes told apart from noise, and predictions scored against them."""

from __future__ import annotations

import numpy as np
import pytest

from tinkerlab.experiment import NOISY, Prediction, classify_shape
from tinkerlab.experiment._shape import flat_tolerance, score_prediction

#: Fold-to-fold wiggle shared by every point (paired folds move together), plus a little
#: of each point's own.
rng = np.random.default_rng(0)
COMMON = 0.02 * rng.standard_normal(10)


def curve(means, own=0.003, seed=1):
    local = np.random.default_rng(seed)
    return [m + COMMON + own * local.standard_normal(10) for m in means]


@pytest.mark.parametrize(
    ("means", "expected"),
    [
        ([0.60, 0.70, 0.80, 0.90], "up"),
        ([0.90, 0.80, 0.70, 0.60], "down"),
        ([0.60, 0.80, 0.90, 0.80, 0.60], "peak"),
        ([0.90, 0.70, 0.60, 0.70, 0.90], "valley"),
        ([0.60, 0.80, 0.85, 0.85, 0.85], "up"),  # rises, then levels off
        ([0.85, 0.85, 0.85, 0.80, 0.60], "down"),  # a plateau, then a fall
        ([0.800, 0.801, 0.800, 0.799], "flat"),
    ],
)
def test_clear_shapes(means, expected):
    assert classify_shape(curve(means), 80, 20, ordered=True).shape == expected


def test_a_wiggle_within_the_noise_is_too_noisy_to_tell():
    noisy = curve([0.80, 0.83, 0.79, 0.82], own=0.06)
    shape = classify_shape(noisy, 80, 20, ordered=True)
    assert shape.shape == NOISY
    assert "neither be seen nor ruled out" in shape.reason or "can be neither" in shape.reason


def test_identical_points_are_flat():
    same = [np.full(10, 0.8)] * 3
    assert classify_shape(same, 80, 20, ordered=True).shape == "flat"


def test_unordered_knobs_flat_or_differs():
    assert classify_shape(curve([0.6, 0.9, 0.7]), 80, 20, ordered=False).shape == "differs"
    assert classify_shape(curve([0.8, 0.8001]), 80, 20, ordered=False).shape == "flat"


def test_labels_name_the_points_in_the_reason():
    shape = classify_shape(curve([0.6, 0.9]), 80, 20, ordered=True, labels=["1", "20"])
    assert shape.shape == "up"
    assert "at 20" in shape.reason


def test_gaps_are_too_noisy():
    gaps = [np.full(5, np.nan), np.full(5, 0.8)]
    assert classify_shape(gaps, 80, 20, ordered=True).shape == NOISY


def test_flat_tolerance_is_relative_for_errors():
    assert flat_tolerance("accuracy", 0.8) == 0.02
    assert flat_tolerance("rmse", 50.0) == pytest.approx(1.0)


def score(prediction, **overrides):
    observed = overrides.pop(
        "observed", classify_shape(curve([0.6, 0.9, 0.6]), 80, 20, ordered=True)
    )
    kwargs = {
        "observed": observed,
        "values": (1, 10, 100),
        "best": 1,
        "tied": (1,),
        "best_interval": (0.85, 0.95),
        "best_mean": 0.9,
        "ordered": True,
        "scale": "log",
    }
    kwargs.update(overrides)
    return score_prediction(prediction, **kwargs)


def test_a_right_shape_and_best_guess():
    result = score(Prediction(shape="peak", best=10, score=0.9))
    assert result["observed_shape"] == "peak"
    assert result["shape_hit"] is True
    assert result["best_hit"] is True
    assert result["best_closeness"] == 1.0
    assert result["score_error"] == 0.0
    assert result["score_in_interval"] is True


def test_wrong_guesses_and_closeness_on_the_log_axis():
    result = score(Prediction(shape="up", best=100, score=0.7))
    assert result["shape_hit"] is False
    assert result["best_hit"] is False
    assert result["best_closeness"] == 0.5  # one decade of two away
    assert result["score_error"] == pytest.approx(0.2)
    assert result["score_in_interval"] is False
    # a guess between the swept values counts by its nearest value
    assert score(Prediction(best=12))["best_hit"] is True


def test_too_noisy_is_not_scored_and_unpredicted_parts_stay_none():
    from tinkerlab.experiment import Shape

    result = score(Prediction(shape="peak"), observed=Shape(NOISY, "why"))
    assert result["shape_hit"] is None
    assert result["best_hit"] is None
    assert result["score_error"] is None


def test_unordered_best_guess_must_match_a_value():
    from tinkerlab.experiment import Shape

    result = score(
        Prediction(best="svm"),
        observed=Shape("differs", ""),
        values=("knn", "svm"),
        ordered=False,
        scale="linear",
    )
    assert result["best_hit"] is True
    assert result["best_closeness"] is None


def test_a_shape_the_data_cannot_tell_from_the_prediction_is_not_scored():
    from tinkerlab.experiment import Shape

    down_or_peak = Shape("down", "falls after the top", also=("peak",))
    result = score(Prediction(shape="peak"), observed=down_or_peak)
    assert result["shape_hit"] is None
    assert result["shape_undecided"] is True
    assert score(Prediction(shape="up"), observed=down_or_peak)["shape_hit"] is False
    assert score(Prediction(shape="down"), observed=down_or_peak)["shape_hit"] is True


def test_a_top_inside_with_an_open_rise_before_it_may_be_a_peak():
    rng = np.random.default_rng(0)
    base = rng.normal(0, 0.02, 10)
    # first 0.90 (noisy around the top), top 0.91 at the second value, then a clear fall.
    folds = [0.90 + base + rng.normal(0, 0.03, 10), 0.91 + base, 0.80 + base, 0.70 + base]
    shape = classify_shape(folds, n_train=80, n_test=20, ordered=True)
    assert shape.shape == "down"
    assert shape.also == ("peak",)
    assert "cannot be ruled out" in shape.reason


def test_the_far_end_is_a_value_worse_than_the_best_beyond_noise():
    """The lowest mean is noisy (tied with the best), the second lowest is clearly below:
    the curve moves, as the table's marks say, not 'too noisy to tell'."""
    rng = np.random.default_rng(1)
    base = rng.normal(0, 0.01, 10)
    noisy_low = 0.90 + rng.normal(0, 0.08, 10)
    folds = [noisy_low - noisy_low.mean() + 0.92, 0.925 + base, 0.955 + base, 0.956 + base]
    shape = classify_shape(folds, n_train=80, n_test=20, ordered=True)
    assert shape.shape == "up"
