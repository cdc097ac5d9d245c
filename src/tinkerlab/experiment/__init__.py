"""Experiments: change one knob over a range of values, predicting first, with honest noise.

Every value is evaluated on the same repeated k-fold folds of the training split (paired),
the best value's lead over the default is tested with the corrected resampled t-test
(Nadeau & Bengio 2003), the curve's shape is classified (or called too noisy to tell) and
the learner's prediction is scored. Sweeps run in local processes or on a Dask cluster.
See ``docs/tinker.md``.

>>> from tinkerlab.experiment import tinker
>>> ex = tinker("iris", "n_neighbors", [1, 5, 25], model="knn", repeats=1, n_jobs=1)
>>> ex.frame["cv_mean"].between(0, 1).all()
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tinkerlab.experiment._compare import Comparison, ModelResult, compare, compare_settled
    from tinkerlab.experiment._engine import DaskEngine, Engine, LocalEngine, make_engine
    from tinkerlab.experiment._experiment import (
        Ask,
        Experiment,
        ExperimentStore,
        PointResult,
        Summary,
        SweepInterrupted,
        SweepProgress,
        check_prediction,
        prediction_text,
        resume,
        tinker,
        tinker_settled,
    )
    from tinkerlab.experiment._fast import FAST_PATHS, FastPath, fast_path_for
    from tinkerlab.experiment._folds import paired_folds
    from tinkerlab.experiment._knob_kinds import PARAM_SWEEPS, SPECIAL_KNOBS, KnobKind, Point, Sweep
    from tinkerlab.experiment._knobs import plan_sweep, valid_knobs
    from tinkerlab.experiment._prediction_record import PredictionRecord, summarize_predictions
    from tinkerlab.experiment._search import search, search_settled
    from tinkerlab.experiment._search_result import Candidate, Search
    from tinkerlab.experiment._sequential import SEQUENTIAL_METHOD, Design, plan_design
    from tinkerlab.experiment._shape import (
        NOISY,
        ORDERED_SHAPES,
        UNORDERED_SHAPES,
        Prediction,
        Shape,
        classify_shape,
        flat_tolerance,
    )
    from tinkerlab.experiment._stats import (
        ALPHA,
        METHOD,
        TestResult,
        best_of,
        compare_with_best,
        corrected_resampled_ttest,
        design_rows,
        indistinguishable_from_best,
        mean_interval,
        paired_points_test,
    )
    from tinkerlab.experiment._summary import Curve, ties_with_best

#: Each public name and its module, imported when the name is first used: a run's
#: detectors need the statistics, not the sweep, comparison and search machinery.
_LAZY = {
    "Comparison": "_compare",
    "ModelResult": "_compare",
    "compare": "_compare",
    "compare_settled": "_compare",
    "DaskEngine": "_engine",
    "Engine": "_engine",
    "LocalEngine": "_engine",
    "make_engine": "_engine",
    "Ask": "_experiment",
    "Experiment": "_experiment",
    "ExperimentStore": "_experiment",
    "PointResult": "_experiment",
    "Summary": "_experiment",
    "SweepInterrupted": "_experiment",
    "SweepProgress": "_experiment",
    "check_prediction": "_experiment",
    "prediction_text": "_experiment",
    "resume": "_experiment",
    "tinker": "_experiment",
    "tinker_settled": "_experiment",
    "FAST_PATHS": "_fast",
    "FastPath": "_fast",
    "fast_path_for": "_fast",
    "paired_folds": "_folds",
    "PARAM_SWEEPS": "_knob_kinds",
    "SPECIAL_KNOBS": "_knob_kinds",
    "KnobKind": "_knob_kinds",
    "Point": "_knob_kinds",
    "Sweep": "_knob_kinds",
    "plan_sweep": "_knobs",
    "valid_knobs": "_knobs",
    "PredictionRecord": "_prediction_record",
    "summarize_predictions": "_prediction_record",
    "search": "_search",
    "search_settled": "_search",
    "Candidate": "_search_result",
    "Search": "_search_result",
    "SEQUENTIAL_METHOD": "_sequential",
    "Design": "_sequential",
    "plan_design": "_sequential",
    "NOISY": "_shape",
    "ORDERED_SHAPES": "_shape",
    "UNORDERED_SHAPES": "_shape",
    "Prediction": "_shape",
    "Shape": "_shape",
    "classify_shape": "_shape",
    "flat_tolerance": "_shape",
    "ALPHA": "_stats",
    "METHOD": "_stats",
    "TestResult": "_stats",
    "best_of": "_stats",
    "compare_with_best": "_stats",
    "corrected_resampled_ttest": "_stats",
    "design_rows": "_stats",
    "indistinguishable_from_best": "_stats",
    "mean_interval": "_stats",
    "paired_points_test": "_stats",
    "Curve": "_summary",
    "ties_with_best": "_summary",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f"tinkerlab.experiment.{_LAZY[name]}"), name)
        globals()[name] = value  # found once: the next use is a plain module attribute
        return value
    raise AttributeError(f"module 'tinkerlab.experiment' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "ALPHA",
    "FAST_PATHS",
    "METHOD",
    "NOISY",
    "ORDERED_SHAPES",
    "PARAM_SWEEPS",
    "SEQUENTIAL_METHOD",
    "SPECIAL_KNOBS",
    "UNORDERED_SHAPES",
    "Ask",
    "Candidate",
    "Comparison",
    "Curve",
    "DaskEngine",
    "Design",
    "Engine",
    "Experiment",
    "ExperimentStore",
    "FastPath",
    "KnobKind",
    "LocalEngine",
    "ModelResult",
    "Point",
    "PointResult",
    "Prediction",
    "PredictionRecord",
    "Search",
    "Shape",
    "Summary",
    "Sweep",
    "SweepInterrupted",
    "SweepProgress",
    "TestResult",
    "best_of",
    "check_prediction",
    "classify_shape",
    "compare",
    "compare_settled",
    "compare_with_best",
    "corrected_resampled_ttest",
    "design_rows",
    "fast_path_for",
    "flat_tolerance",
    "indistinguishable_from_best",
    "make_engine",
    "mean_interval",
    "paired_folds",
    "paired_points_test",
    "plan_design",
    "plan_sweep",
    "prediction_text",
    "resume",
    "search",
    "search_settled",
    "summarize_predictions",
    "ties_with_best",
    "tinker",
    "tinker_settled",
    "valid_knobs",
]
