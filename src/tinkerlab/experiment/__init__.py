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
    "summarize_predictions",
    "ties_with_best",
    "tinker",
    "tinker_settled",
    "valid_knobs",
]
