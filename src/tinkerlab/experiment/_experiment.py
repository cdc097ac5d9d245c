"""An experiment: one knob, its values, a prediction, and honest numbers for each value.

:func:`tinker` is the whole loop:

1. load the data and make the Recipe (the knob's untouched value is the recipe's);
2. hold out the test split exactly as ``tinkerlab run`` does, and never touch it: picking
   a value by its test score would leak the test set into the choice;
3. draw the **paired folds** once (repeated k-fold on the training split, seeded) and plan
   one point per value (:func:`~tinkerlab.experiment._knobs.plan_sweep`), all checked
   before anything runs or is recorded;
4. fit every point on every fold on the engine (local processes or a Dask cluster); each
   point is handed to the store (the journal) the moment its last fold finishes;
5. find the best value, test its lead over the default with the corrected resampled t-test,
   classify the curve's shape, score the prediction, draw the plot.

The experiment package does not import the journal (it sits below it in the layers): a
``store`` is anything with the :class:`ExperimentStore` methods, which
:class:`tinkerlab.journal.Journal` has. ``tinkerlab.tinker`` opens the journal and passes it.
"""

from __future__ import annotations

import base64
import html
import math
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from tinkerlab.exceptions import InputError, RecipeError, UsageError
from tinkerlab.experiment._engine import Engine, make_engine
from tinkerlab.experiment._evaluate import (
    FastFoldJob,
    FoldJob,
    FoldResult,
    SharedData,
    baseline_scores,
    evaluate_fast_fold,
    evaluate_fold,
)
from tinkerlab.experiment._fast import FastPath, fast_path_for
from tinkerlab.experiment._folds import paired_folds
from tinkerlab.experiment._knobs import PARAM, Mode, Point, Scale, Sweep, knob_kind, plan_sweep
from tinkerlab.experiment._shape import (
    NOISY,
    ORDERED_SHAPES,
    UNORDERED_SHAPES,
    Prediction,
    Shape,
    classify_shape,
    flat_tolerance,
    score_prediction,
)
from tinkerlab.experiment._stats import (
    ALPHA,
    METHOD,
    TestResult,
    corrected_resampled_ttest,
    mean_interval,
)
from tinkerlab.options import Settings, Span, settle

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from tinkerlab.data import Dataset
    from tinkerlab.recipe import Metric, Recipe

#: Called as fits finish: (fits done, fits in all, what is happening).
SweepProgress = Callable[[int, int, str], None]

#: Models whose fits take long enough that a large table gets one repeat by default.
SLOW_MODELS = frozenset({"svm", "gradient_boosting", "random_forest", "extra_trees"})
#: Default repeats of the k-fold split: 2 (so 2 × 5 = 10 paired folds), or 1 for big tables.
DEFAULT_REPEATS = 2
#: Rows of training data above which a slow model gets a single repeat.
SLOW_ROWS = 2_000
#: Rows above which every model gets a single repeat.
LARGE_ROWS = 20_000
#: The metric a sweep shows by default: a score where higher is better, for both tasks.
DEFAULT_METRIC = {"classification": "accuracy", "regression": "r2"}
#: An experiment's states in the journal.
STATUSES = ("running", "finished", "interrupted", "failed")


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) stopped a sweep; the finished points are recorded."""

    def __init__(self, experiment_id: int | None, done: int, total: int) -> None:
        super().__init__(f"interrupted after {done} of {total} values")
        self.experiment_id = experiment_id  # None when the sweep was not recorded
        self.done = done  # values finished (and recorded)
        self.total = total  # values in the sweep


#: Asked after the sweep is planned and before anything runs: the learner's prediction.
Ask = Callable[[Sweep], Prediction | None]

#: Called with the finished experiment before it is recorded: the phenomena it shows
#: (``tinkerlab.insight.detect``; the insight layer sits above this one, so it is passed in).
Detect = Callable[["Experiment"], list[Any]]


class ExperimentStore(Protocol):
    """Where an experiment is recorded as it runs (:class:`tinkerlab.journal.Journal`)."""

    def start_experiment(
        self, experiment: Mapping[str, Any], prediction: Mapping[str, Any] | None
    ) -> int:
        """Record a new, running experiment (and the prediction made before it); its id."""
        ...

    def record_point(self, experiment_id: int, point: Mapping[str, Any]) -> None:
        """Commit one finished point."""
        ...

    def mark_experiment(self, experiment_id: int, status: str) -> None:
        """Set the experiment's status (interrupted, failed)."""
        ...

    def finish_experiment(
        self,
        experiment_id: int,
        summary: Mapping[str, Any],
        plots: Mapping[str, bytes],
        prediction_score: Mapping[str, Any] | None,
    ) -> list[Path]:
        """Store the summary, the plots and the scored prediction; the plot files' paths."""
        ...


@dataclass
class PointResult:
    """One value's scores on every fold."""

    position: int  # index in the sweep
    value: Any  # the knob's value
    label: str  # as shown
    train: dict[str, list[float]]  # metric -> score per fold, on the rows fitted on
    test: dict[str, list[float]]  # metric -> score per fold, on the validation rows
    fit_time: float  # mean seconds to fit, per fold
    n_train: float  # mean rows fitted on, per fold
    n_test: float  # mean rows validated on, per fold
    notices: list[str] = field(default_factory=list)  # warnings and failed folds

    def to_dict(self) -> dict[str, Any]:
        """JSON-able (NaN stays NaN here; the journal stores it as null)."""
        return {
            "position": self.position,
            "value": self.value,
            "label": self.label,
            "train": self.train,
            "test": self.test,
            "fit_time": self.fit_time,
            "n_train": self.n_train,
            "n_test": self.n_test,
            "notices": list(self.notices),
        }

    @classmethod
    def from_stored(cls, stored: Any) -> PointResult:
        """Rebuild a point from the journal's record (None scores are NaN again)."""

        def floats(table: Mapping[str, Sequence[float | None]]) -> dict[str, list[float]]:
            return {k: [math.nan if v is None else float(v) for v in vs] for k, vs in table.items()}

        return cls(
            position=int(stored.position),
            value=stored.value,
            label=str(stored.label),
            train=floats(stored.train),
            test=floats(stored.test),
            fit_time=float(stored.fit_time),
            n_train=float(stored.n_train),
            n_test=float(stored.n_test),
            notices=list(stored.notices),
        )


@dataclass(frozen=True)
class Summary:
    """What the sweep found."""

    best: int | None  # position of the best mean validation score (None: nothing fitted)
    tied: tuple[int, ...]  # positions statistically indistinguishable from the best
    verdict: TestResult | None  # best against the reference; None when the best is it
    shape: Shape  # the curve's shape, or "too noisy to tell"
    best_interval: tuple[float, float]  # 95% CI of the best's mean validation score
    prediction_score: dict[str, Any] | None  # see score_prediction


@dataclass
class Experiment:
    """The result of a sweep: a table, a plot, the best value and a verdict.

    Attributes
    ----------
    best : value
        The knob value with the best mean validation score.
    frame : pandas.DataFrame
        One row per value: train and CV mean and std, fit time, and marks.
    summary : Summary
        Best, ties, the verdict against the default, the curve's shape, the scored
        prediction.
    """

    recipe: Recipe  # the untouched recipe
    sweep: Sweep  # the knob, its values and their recipes
    metric: Metric  # the score shown and tested
    points: list[PointResult]  # in sweep order
    repeats: int  # repeats of the k-fold split
    engine: str  # where it ran
    prediction: Prediction | None = None
    status: str = "finished"
    id: int | None = None  # the journal's id, when recorded
    plot_paths: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    elapsed: float = 0.0  # seconds of wall time spent fitting (this session)
    baseline: np.ndarray | None = None  # (folds,) the dummy model's validation score
    majority: float | None = None  # share of the commonest class (classification)
    #: What the detectors found (``tinkerlab.insight.Finding``), when they were run.
    phenomena: list[Any] = field(default_factory=list)
    unlocked: list[str] = field(default_factory=list)  # theory cards this experiment unlocked

    summary: Summary = field(init=False)  # computed from the points

    def __post_init__(self) -> None:
        self.summary = summarize(self)

    # --- what people read ----------------------------------------------------------------

    @property
    def knob(self) -> str:
        """The knob's name."""
        return self.sweep.knob

    @property
    def best(self) -> Any:
        """The value with the best mean validation score (None if nothing could be fitted)."""
        return None if self.summary.best is None else self.points[self.summary.best].value

    @property
    def higher_is_better(self) -> bool:
        """Whether a larger value of the metric is better (accuracy) or worse (RMSE)."""
        return self.metric.higher_is_better

    @property
    def frame(self) -> pd.DataFrame:
        """One row per value: ``value, label, train_mean, train_std, cv_mean, cv_std,
        fit_time, n_folds, is_default, is_best, tied_with_best``."""
        import pandas as pd

        name = self.metric.name
        rows = []
        for p in self.points:
            train = np.asarray(p.train[name], dtype=float)  # (folds,)
            test = np.asarray(p.test[name], dtype=float)  # (folds,)
            rows.append(
                {
                    "value": p.value,
                    "label": p.label,
                    "train_mean": _mean(train),
                    "train_std": _std(train),
                    "cv_mean": _mean(test),
                    "cv_std": _std(test),
                    "fit_time": p.fit_time,
                    "n_folds": int(np.sum(np.isfinite(test))),
                    "is_default": p.position == self.sweep.reference,
                    "is_best": p.position == self.summary.best,
                    "tied_with_best": p.position in self.summary.tied,
                }
            )
        frame = pd.DataFrame(rows)
        if not self.sweep.numeric_axis:  # names and None stay as they are (no NaN, no str)
            frame["value"] = pd.Series([p.value for p in self.points], dtype=object)
        return frame

    def verdict_text(self) -> str:
        """The best value and whether its lead over the reference is beyond noise."""
        s, sweep = self.summary, self.sweep
        if s.best is None:
            return "No value could be fitted; see the notices."
        best = self.points[s.best]
        name = self.metric.name
        mean = _mean(np.asarray(best.test[name], dtype=float))
        head = f"Best: {sweep.knob} = {best.label} ({name} {mean:.4f})."
        if s.verdict is None:
            return (
                f"{head} It is the point of comparison ({sweep.reference_reason}): no other "
                f"value scores better ({METHOD})."
            )
        v = s.verdict  # oriented so that positive means "better than the reference"
        reference = self.points[sweep.reference].label
        direction = "higher" if self.higher_is_better else "lower"
        lead = (
            f"Against {reference} ({sweep.reference_reason}): {abs(v.mean_diff):.4f} "
            f"{direction if v.mean_diff >= 0 else 'worse'} "
            f"(95% CI of the gain {v.ci_low:+.4f} to {v.ci_high:+.4f}, p = {v.p_value:.3g})"
        )
        judgement = (
            "beyond noise: a real lead"
            if v.significant()
            else "within noise: not a reliable improvement"
        )
        return f"{head} {lead}: {judgement} ({METHOD}, alpha = {ALPHA})."

    def plot(self) -> Figure:
        """The curve: train and validation means with ± std bands, default, best, prediction."""
        from tinkerlab.experiment._plots import plot_experiment

        return plot_experiment(self)

    def to_dict(self) -> dict[str, Any]:
        """Everything JSON can hold (what ``--json`` prints)."""
        s = self.summary
        frame = self.frame
        return {
            "id": self.id,
            "status": self.status,
            "dataset": self.recipe.dataset,
            "task": self.recipe.task,
            "model": self.recipe.model,
            "knob": self.sweep.knob,
            "knob_kind": self.sweep.kind.name,
            "mode": self.sweep.mode,
            "metric": self.metric.name,
            "higher_is_better": self.higher_is_better,
            "repeats": self.repeats,
            "folds": self.repeats * self.recipe.cv_folds,
            "engine": self.engine,
            "default": self.sweep.default,
            "reference": self.points[self.sweep.reference].value,
            "reference_reason": self.sweep.reference_reason,
            "points": [
                {**row, "value": p.value}
                for row, p in zip(_records(frame.drop(columns=["value"])), self.points, strict=True)
            ],
            "best": self.best,
            "best_label": None if s.best is None else self.points[s.best].label,
            "tied_with_best": [self.points[i].value for i in s.tied],
            "verdict": None if s.verdict is None else _test_dict(s.verdict),
            "verdict_text": self.verdict_text(),
            "method": METHOD,
            "shape": s.shape.shape,
            "shape_reason": s.shape.reason,
            "prediction": None if self.prediction is None else self.prediction.to_dict(),
            "prediction_score": s.prediction_score,
            "notices": [*self.sweep.notices, *self.notices],
            "plots": [str(p) for p in self.plot_paths],
            "baseline": None if self.baseline is None else _floats(self.baseline),
            "majority": self.majority,
            "phenomena": [f.to_dict() for f in self.phenomena],
            "unlocked_cards": list(self.unlocked),
        }

    def _repr_html_(self) -> str:
        frame = self.frame
        shown = frame[["label", "train_mean", "cv_mean", "cv_std", "fit_time"]].copy()
        shown.columns = [self.sweep.knob, "train", "CV mean", "CV std", "fit time (s)"]
        marks = [
            ("★ best " if r.is_best else "") + ("◆ default" if r.is_default else "")
            for r in frame.itertuples()
        ]
        shown[""] = marks
        table = shown.to_html(index=False, float_format=lambda v: f"{v:.4f}", escape=True)
        png = base64.b64encode(_png(self.plot())).decode("ascii")
        title = html.escape(
            f"Experiment{f' #{self.id}' if self.id else ''}: {self.sweep.knob_label()} "
            f"on {self.recipe.dataset} ({self.recipe.model}, {self.metric.name}, "
            f"{self.repeats}×{self.recipe.cv_folds} paired folds)"
        )
        lines = [
            self.verdict_text(),
            f"Shape: {self.summary.shape.shape} ({self.summary.shape.reason}).",
        ]
        if self.prediction is not None and not self.prediction.is_empty():
            lines.append(prediction_text(self))
        body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
        return (
            f"<div><h4>{title}</h4>{table}{body}"
            f'<img alt="curve" src="data:image/png;base64,{png}"/></div>'
        )

    def __repr__(self) -> str:
        return (
            f"Experiment(id={self.id}, knob={self.sweep.knob!r}, values={len(self.points)}, "
            f"best={self.best!r}, shape={self.summary.shape.shape!r})"
        )


def prediction_text(experiment: Experiment) -> str:
    """The prediction and how it scored, in one line."""
    p, score = experiment.prediction, experiment.summary.prediction_score
    if p is None or p.is_empty() or score is None:
        return "No prediction was made."
    parts = []
    if p.shape is not None:
        observed = score["observed_shape"]
        if score["shape_hit"] is None:
            parts.append(f"you predicted {p.shape}; the curve is {observed} (not scored)")
        else:
            mark = "✓ right" if score["shape_hit"] else "✗ wrong"
            parts.append(f"you predicted {p.shape}, it was {observed}: {mark}")
    if p.best is not None:
        mark = "✓" if score["best_hit"] else "✗"
        close = score.get("best_closeness")
        extra = f", closeness {close:.2f}" if close is not None else ""
        parts.append(f"best guess {_label(p.best)} {mark} (best or tied with it{extra})")
    if p.score is not None and score["score_error"] is not None:
        mark = "✓ inside" if score["score_in_interval"] else "✗ outside"
        parts.append(
            f"score guess {p.score:g} is off by {score['score_error']:.4f}, {mark} the best's "
            "95% interval"
        )
    return "Prediction: " + "; ".join(parts) + "."


# --- running an experiment -----------------------------------------------------------------


def tinker(
    dataset: str | Path | pd.DataFrame | Dataset | None = None,
    knob: str | None = None,
    values: Iterable[Any] | str | None = None,
    *,
    engine: Engine | None = None,
    store: ExperimentStore | None = None,
    progress: SweepProgress | None = None,
    ask: Ask | None = None,
    detect: Detect | None = None,
    **options: Any,
) -> Experiment:
    """Turn one knob over a range of values and see what happens, with honest noise.

    *options* are the ``tinker`` options declared in :mod:`tinkerlab.options` (model,
    params, span, steps, repeats, predict, n_jobs, fast...; ``help(tinkerlab.tinker)``
    lists them); they are checked once by :func:`~tinkerlab.options.settle`.

    Parameters
    ----------
    engine : Engine, optional
        Where the fits run (default: local processes, or the Dask cluster named by the
        ``cluster`` option).
    store : ExperimentStore, optional
        Where to record it as it runs (a :class:`tinkerlab.journal.Journal`).
    progress : callable, optional
        ``progress(fits_done, fits_total, what)`` as fits finish.
    ask : callable, optional
        Called with the planned :class:`Sweep` before anything runs, when no prediction
        was given: returns the learner's :class:`Prediction` (the command line's prompt).
    detect : callable, optional
        Called with the finished experiment: the phenomena it shows, kept in
        ``ex.phenomena`` and recorded with it (``tinkerlab.tinker`` passes
        :func:`tinkerlab.insight.detect`).

    Returns
    -------
    Experiment
        ``ex.best``, ``ex.frame``, ``ex.plot()``, ``ex.summary``; renders in Jupyter.

    Examples
    --------
    >>> ex = tinker("iris", "n_neighbors", [1, 5, 25], model="knn", repeats=1, n_jobs=1)
    >>> list(ex.frame["value"])
    [1, 5, 25]
    """
    given = {"dataset": dataset, "knob": knob, "values": values, **options}
    return tinker_settled(
        settle("tinker", given),
        engine=engine,
        store=store,
        progress=progress,
        ask=ask,
        detect=detect,
    )


def tinker_settled(
    settings: Settings,
    *,
    engine: Engine | None = None,
    store: ExperimentStore | None = None,
    progress: SweepProgress | None = None,
    ask: Ask | None = None,
    detect: Detect | None = None,
) -> Experiment:
    """:func:`tinker` with its options already settled (see there)."""
    from tinkerlab.recipe import load_settled, recipe_for

    data = load_settled(settings)
    recipe = recipe_for(data, settings)
    knob_kind(recipe, settings.knob, model_given="model" in settings.given)  # fail at once
    values: list[Any] | None = settings["values"]
    span = settings.span
    if values is not None and len(values) == 1 and ":" in str(values[0]) and span is None:
        span = Span().check(values[0])  # tl.tinker(..., "1:50"): a range
        values = None
    prediction: Prediction | None = Prediction(
        settings.predict, settings.predict_best, settings.predict_score
    )
    if prediction is not None and prediction.is_empty():
        prediction = None
    return _run(
        recipe,
        data,
        settings.knob,
        values=values,
        span=span,
        steps=settings.steps,
        scale=settings.scale,
        mode=settings.mode,
        metric=settings.metric,
        repeats=settings.repeats,
        prediction=prediction,
        engine=engine,
        cluster=settings.cluster,
        n_jobs=settings.n_jobs,
        store=store,
        progress=progress,
        ask=ask,
        detect=detect,
        fast=settings.fast,
    )


def resume(
    stored: Any,
    *,
    store: ExperimentStore | None = None,
    cluster: str | None = None,
    n_jobs: int | None = None,
    engine: Engine | None = None,
    progress: SweepProgress | None = None,
    detect: Detect | None = None,
    fast: bool = True,
) -> Experiment:
    """Finish an interrupted experiment: fit only the points the journal does not hold.

    *stored* is the journal's record (:class:`tinkerlab.journal.ExperimentEntry`): its
    ``spec`` says how to plan the sweep again, its ``points`` what is done already.
    """
    from tinkerlab.recipe import Recipe, load_recipe_data

    spec = stored.spec
    recipe = Recipe.from_dict(spec["recipe"])
    data = load_recipe_data(recipe)
    values = [v for v in spec["values"] if not (spec["knob"] == "features" and v is None)]
    done = {p.position: PointResult.from_stored(p) for p in stored.points}
    p = stored.prediction
    prediction = (
        None if p is None else Prediction(shape=p.shape, best=p.best_value, score=p.best_score)
    )
    return _run(
        recipe,
        data,
        spec["knob"],
        values=values,
        span=None,
        steps=None,
        scale=spec.get("scale"),
        mode=spec.get("mode") or "drop-one",
        metric=spec["metric"],
        repeats=spec["repeats"],
        prediction=prediction,
        engine=engine,
        cluster=cluster,
        n_jobs=n_jobs,
        store=store,
        progress=progress,
        resume_id=stored.id,
        done=done,
        expected_values=list(spec["values"]),
        notices=[n for n in data.notices if n.startswith("The data changed since")],
        detect=detect,
        fast=fast,
    )


def _run(
    recipe: Recipe,
    data: Dataset,
    knob: str,
    *,
    values: Iterable[Any] | None,
    span: str | tuple[float, float] | None,
    steps: int | None,
    scale: Scale | None,
    mode: Mode,
    metric: str | None,
    repeats: int | None,
    prediction: Prediction | None,
    engine: Engine | None,
    cluster: str | None,
    n_jobs: int | None,
    store: ExperimentStore | None,
    progress: SweepProgress | None,
    resume_id: int | None = None,
    done: dict[int, PointResult] | None = None,
    expected_values: list[Any] | None = None,
    notices: list[str] | None = None,
    ask: Ask | None = None,
    detect: Detect | None = None,
    fast: bool = True,
) -> Experiment:
    from tinkerlab.recipe import check_step_values, inputs_of
    from tinkerlab.runner import prepare_frame, split

    # --- plan and check everything before anything runs or is recorded ---
    # The add_feature knob may take dates apart that the recipe does not read yet.
    extra = inputs_of(values) if knob == "add_feature" and values is not None else ()
    X, y = prepare_frame(recipe, data.frame, extra)
    X_train, _X_test, y_train, _y_test = split(recipe, X, y)  # checks the class counts too
    repeats = _repeats(recipe, len(X_train), repeats)
    on_full = knob == "test_size"
    X_used, y_used = (X, y) if on_full else (X_train, y_train)
    folds = paired_folds(recipe, X_used, y_used, repeats)
    fold_rows = min(len(train) for train, _ in folds)
    sweep = plan_sweep(
        recipe, knob, values, span=span, steps=steps, scale=scale, mode=mode, fold_rows=fold_rows
    )
    for point in sweep.points:  # a log of negative numbers fails here, not in every fold
        check_step_values(point.recipe, data.frame)
    if expected_values is not None and list(sweep.values) != expected_values:
        raise UsageError(
            f"The stored experiment's values {expected_values!r:.120} plan differently now "
            f"({list(sweep.values)!r:.120}); this tinkerlab cannot resume it. "
            "Fix: start the experiment afresh."
        )
    if ask is not None and prediction is None:
        prediction = ask(sweep)
    y_array = np.asarray(y_used)
    classes = tuple(np.unique(y_array).tolist()) if recipe.task == "classification" else ()
    chosen = _metric(recipe, sweep, len(classes), metric)
    prediction = check_prediction(prediction, sweep)
    path = fast_path_of(sweep) if fast else None
    if path is not None:
        notices = [
            *(notices or []),
            f"Fast exact path: {path.how}; the scores equal fitting each value (--no-fast).",
        ]
    _warm_text_features(sweep, X_used, len(folds), progress)
    engine_given = engine is not None
    runner = engine if engine is not None else make_engine(cluster, n_jobs)
    shared = SharedData(
        X=X_used.reset_index(drop=True),
        y=y_array,
        folds=tuple(folds),
        task=recipe.task,
        seed=recipe.seed,
        # Only the metric shown is scored: each extra metric costs as much as a fit here.
        metrics=((chosen.name, chosen.scorer, chosen.sign),),
        classes=classes,
    )
    done = dict(done or {})
    experiment_id = resume_id
    try:
        if store is not None and experiment_id is None:
            experiment_id = store.start_experiment(
                _experiment_record(recipe, sweep, chosen.name, repeats, runner.name),
                _prediction_record(prediction, sweep),
            )
        # --- fit what is missing, committing each point as it completes ---
        tick = time.perf_counter()
        try:
            _fit_missing(sweep, shared, runner, done, store, experiment_id, progress, path)
        except BaseException as error:
            interrupted = isinstance(error, KeyboardInterrupt)
            if store is not None and experiment_id is not None:
                store.mark_experiment(experiment_id, "interrupted" if interrupted else "failed")
            if interrupted:
                raise SweepInterrupted(experiment_id, len(done), len(sweep.points)) from error
            raise
        elapsed = time.perf_counter() - tick
    finally:
        if not engine_given:
            runner.close()
    experiment = Experiment(
        recipe=recipe,
        sweep=sweep,
        metric=chosen,
        points=[done[p.position] for p in sweep.points],
        repeats=repeats,
        engine=runner.name,
        prediction=prediction,
        id=experiment_id,
        notices=[*(notices or []), *_point_notices(done.values())],
        elapsed=elapsed,
        baseline=baseline_scores(shared),
        majority=_majority(y_array) if recipe.task == "classification" else None,
    )
    if detect is not None:
        experiment.phenomena = list(detect(experiment))
    if store is not None and experiment_id is not None:
        from tinkerlab.experiment._plots import plot_files

        experiment.plot_paths = store.finish_experiment(
            experiment_id,
            _summary_record(experiment),
            plot_files(experiment),
            experiment.summary.prediction_score,
        )
    return experiment


def _warm_text_features(
    sweep: Sweep, X: pd.DataFrame, folds: int, progress: SweepProgress | None
) -> None:
    """Embed every text once, here, for the points that use a sentence encoder: then every
    fold in every worker reads the on-disk cache instead of encoding the texts again."""
    from tinkerlab.recipe import warm_text_features

    featurisers = {p.recipe.preprocessing.text_features: p.recipe for p in sweep.points}
    if progress is not None and "minilm" in featurisers:
        total = len(sweep.points) * folds
        progress(0, total, f"encoding {len(X)} texts with MiniLM (cached for the next time)")
    for recipe in featurisers.values():
        warm_text_features(recipe, X)


def _fit_missing(
    sweep: Sweep,
    shared: SharedData,
    engine: Engine,
    done: dict[int, PointResult],
    store: ExperimentStore | None,
    experiment_id: int | None,
    progress: SweepProgress | None,
    path: FastPath | None = None,
) -> None:
    folds = len(shared.folds)
    todo = [p for p in sweep.points if p.position not in done]
    total = len(sweep.points) * folds
    finished = len(done) * folds
    say = progress or (lambda _done, _total, _what: None)
    say(finished, total, f"{len(todo)} of {len(sweep.points)} values to fit on {engine.name}")
    if not todo:
        return
    pending: dict[int, list[FoldResult]] = {p.position: [] for p in todo}
    for result in _fold_results(sweep, shared, engine, todo, path):
        bucket = pending[result.position]
        bucket.append(result)
        finished += 1
        point = sweep.points[result.position]
        if len(bucket) == folds:
            done[point.position] = _point_result(point.position, point.value, point.label, bucket)
            if store is not None and experiment_id is not None:
                store.record_point(experiment_id, done[point.position].to_dict())
            say(finished, total, f"{sweep.knob} = {point.label} done")
        else:
            say(finished, total, f"{sweep.knob} = {point.label}")


def _fold_results(
    sweep: Sweep, shared: SharedData, engine: Engine, todo: list[Point], path: FastPath | None
) -> Iterator[FoldResult]:
    """Every fit the *todo* points need, as they finish: one job per (point, fold), or,
    on the fast *path*, one job per fold that scores every point from a single fit."""
    folds = range(len(shared.folds))
    if path is not None:
        fast_jobs = [FastFoldJob(sweep.knob, tuple(todo), fold) for fold in folds]
        for batch in engine.map_unordered(evaluate_fast_fold, shared, fast_jobs):
            yield from batch
        return
    jobs = [FoldJob(point, fold) for point in todo for fold in folds]
    yield from engine.map_unordered(evaluate_fold, shared, jobs)


def fast_path_of(sweep: Sweep) -> FastPath | None:
    """The fast exact path that can sweep *sweep*, or None (each value is fitted)."""
    if sweep.kind != PARAM or not sweep.points:
        return None
    return fast_path_for(sweep.points[0].recipe, sweep.knob)


def _point_result(position: int, value: Any, label: str, results: list[FoldResult]) -> PointResult:
    results = sorted(results, key=lambda r: r.fold)
    metrics = list(results[0].test)
    notices = sorted({w for r in results for w in r.warnings})
    errors = [r.error for r in results if r.error]
    if errors:
        notices.insert(0, f"{label}: {len(errors)} of {len(results)} fits failed: {errors[0]}")
    return PointResult(
        position=position,
        value=value,
        label=label,
        train={m: [r.train[m] for r in results] for m in metrics},
        test={m: [r.test[m] for r in results] for m in metrics},
        fit_time=float(np.mean([r.fit_time for r in results])),
        n_train=float(np.mean([r.n_train for r in results])),
        n_test=float(np.mean([r.n_test for r in results])),
        notices=notices,
    )


def _point_notices(points: Iterable[PointResult]) -> list[str]:
    """One line per value and kind of notice, with how many folds raised it."""
    from tinkerlab.runner import group_alike

    lines: list[str] = []
    for p in sorted(points, key=lambda p: p.position):
        texts = [n if n.startswith(p.label) else f"{p.label}: {n}" for n in p.notices]
        lines += [text + (f" (×{n})" if n > 1 else "") for text, n in group_alike(texts)]
    return lines[:10]


def _repeats(recipe: Recipe, rows: int, repeats: int | None) -> int:
    if repeats is not None:
        if not isinstance(repeats, int) or isinstance(repeats, bool) or not 1 <= repeats <= 100:
            raise RecipeError(
                f"The number of repeats must be an int in [1, 100]. Got {repeats!r} instead. "
                "Fix: --repeats 2"
            )
        if repeats * recipe.cv_folds < 3:
            raise RecipeError(
                f"{repeats} repeat(s) of {recipe.cv_folds}-fold CV gives only "
                f"{repeats * recipe.cv_folds} paired scores per value; the t-test needs at "
                "least 3. Fix: --repeats 2"
            )
        return repeats
    slow = recipe.model in SLOW_MODELS and rows > SLOW_ROWS
    single = slow or rows > LARGE_ROWS
    return 1 if single and recipe.cv_folds >= 3 else DEFAULT_REPEATS


def _metric(recipe: Recipe, sweep: Sweep, n_classes: int, name: str | None) -> Metric:
    """The metric shown, checked to be one every point can be scored on."""
    from tinkerlab.recipe import build_pipeline, metrics_for

    per_point = [
        metrics_for(recipe.task, n_classes, build_pipeline(p.recipe)) for p in sweep.points
    ]
    union: dict[str, Metric] = {}
    for found in per_point:
        for m in found:
            union.setdefault(m.name, m)
    wanted = name or DEFAULT_METRIC[recipe.task]
    if wanted not in union:
        raise RecipeError(
            f"Unknown metric {wanted!r} for {recipe.task}. Valid metrics: "
            f"{', '.join(union)}. Fix: --metric {DEFAULT_METRIC[recipe.task]}"
        )
    lacking = [
        p.label
        for p, found in zip(sweep.points, per_point, strict=True)
        if wanted not in {m.name for m in found}
    ]
    if lacking:
        raise RecipeError(
            f"The metric {wanted!r} cannot score {', '.join(lacking)} (it needs a score per "
            f"row, e.g. probabilities). Fix: --metric {DEFAULT_METRIC[recipe.task]}"
        )
    return union[wanted]


def check_prediction(prediction: Prediction | None, sweep: Sweep) -> Prediction | None:
    """The prediction with its best value read as a knob value, or an error saying why not."""
    if prediction is None or prediction.is_empty():
        return None
    shapes = ORDERED_SHAPES if sweep.ordered else UNORDERED_SHAPES
    shape = prediction.shape
    if shape is not None:
        shape = str(shape).strip().lower()
        if shape not in shapes:
            order = "ordered values" if sweep.ordered else "values without an order"
            raise InputError(
                f"A prediction for '{sweep.knob}' ({order}) is one of {', '.join(shapes)}. "
                f"Got {prediction.shape!r} instead. Fix: --predict {shapes[0]}"
            )
    best = prediction.best
    if best is not None:
        best = _prediction_value(best, sweep)
    score = prediction.score
    if score is not None:
        if isinstance(score, str):
            try:
                score = float(score)
            except ValueError:
                raise InputError(f"A score guess is a number, like 0.8. Got {score!r}.") from None
        if (
            isinstance(score, bool)
            or not isinstance(score, int | float)
            or not math.isfinite(score)
        ):
            raise InputError(f"A score guess is a number, like 0.8. Got {score!r}.")
        score = float(score)
    return Prediction(shape=shape, best=best, score=score)


def _prediction_value(value: Any, sweep: Sweep) -> Any:
    """A best-value guess, read like the knob's values (a number may lie between them)."""
    if sweep.numeric_axis:
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise InputError(
                    f"A best-value guess for '{sweep.knob}' is a number. Got {value!r}. "
                    f"Fix: --predict-best {sweep.points[len(sweep.points) // 2].label}"
                ) from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(f"A best-value guess for '{sweep.knob}' is a number. Got {value!r}.")
        return int(value) if float(value).is_integer() else float(value)
    labels = {p.label.lower(): p.value for p in sweep.points}
    for p in sweep.points:
        if p.value is not None:
            labels.setdefault(str(p.value).lower(), p.value)
    key = str(value).strip().lower()
    if key not in labels:
        raise InputError(
            f"The best-value guess {value!r} is not one of the values swept: "
            f"{', '.join(p.label for p in sweep.points)}. "
            f"Fix: --predict-best {sweep.points[0].label}"
        )
    return labels[key]


# --- the summary ---------------------------------------------------------------------------


def summarize(experiment: Experiment) -> Summary:
    """Best, ties, verdict, shape and the scored prediction of a finished sweep."""
    name = experiment.metric.name
    sign = 1.0 if experiment.metric.higher_is_better else -1.0
    points = experiment.points
    folds = [np.asarray(p.test[name], dtype=float) for p in points]  # (points, folds)
    usable = [i for i, f in enumerate(folds) if np.all(np.isfinite(f))]
    train_rows = [p.n_train for p in points]
    test_rows = [p.n_test for p in points]
    if not usable:
        nothing = Shape(NOISY, "no value could be fitted")
        return Summary(None, (), None, nothing, (math.nan, math.nan), None)

    def test(i: int, j: int) -> TestResult:
        """i against j, positive when i is better; the more cautious size ratio of the two."""
        k = i if test_rows[i] / train_rows[i] >= test_rows[j] / train_rows[j] else j
        return corrected_resampled_ttest(
            sign * folds[i], sign * folds[j], round(train_rows[k]), round(test_rows[k])
        )

    best = max(usable, key=lambda i: (sign * float(np.mean(folds[i])), -i))
    tied = tuple(i for i in usable if i == best or not test(i, best).significant())
    reference = experiment.sweep.reference
    verdict = None
    if best != reference and reference in usable:
        verdict = test(best, reference)
    level = float(np.nanmean([np.mean(folds[i]) for i in usable]))
    if len(usable) < 2:
        shape = Shape(NOISY, "fewer than two values could be fitted")
    else:  # the values that could not be fitted leave a gap in the curve
        shape = classify_shape(
            [folds[i] for i in usable],
            [train_rows[i] for i in usable],
            [test_rows[i] for i in usable],
            ordered=experiment.sweep.ordered,
            tolerance=flat_tolerance(name, level),
            labels=[points[i].label for i in usable],
        )
    interval = mean_interval(folds[best], round(train_rows[best]), round(test_rows[best]))
    scored = None
    if experiment.prediction is not None:
        scored = score_prediction(
            experiment.prediction,
            observed=shape,
            values=experiment.sweep.values,
            best=best,
            tied=tied,
            best_interval=interval,
            best_mean=float(np.mean(folds[best])),
            ordered=experiment.sweep.ordered,
            scale=experiment.sweep.scale,
        )
    return Summary(best, tied, verdict, shape, interval, scored)


# --- what the store records ----------------------------------------------------------------


def _experiment_record(
    recipe: Recipe, sweep: Sweep, metric: str, repeats: int, engine: str
) -> dict[str, Any]:
    return {
        "dataset": recipe.dataset,
        "task": recipe.task,
        "model": recipe.model,
        "knob": sweep.knob,
        "knob_kind": sweep.kind.name,
        "spec": {
            "recipe": recipe.to_dict(),
            "knob": sweep.knob,
            "mode": sweep.mode,
            "values": list(sweep.values),
            "labels": sweep.labels,
            "scale": sweep.scale,
            "ordered": sweep.ordered,
            "default": sweep.default,
            "reference": sweep.reference,
            "metric": metric,
            "repeats": repeats,
            "engine": engine,
        },
        "notices": list(sweep.notices),
    }


def _prediction_record(prediction: Prediction | None, sweep: Sweep) -> dict[str, Any] | None:
    if prediction is None:
        return None
    return {
        "knob": sweep.knob,
        "knob_kind": sweep.kind.name,
        "shape": prediction.shape,
        "best_value": prediction.best,
        "best_score": prediction.score,
    }


def _summary_record(experiment: Experiment) -> dict[str, Any]:
    data = experiment.to_dict()
    keep = (
        "best",
        "best_label",
        "tied_with_best",
        "verdict",
        "verdict_text",
        "method",
        "shape",
        "shape_reason",
        "metric",
        "higher_is_better",
        "reference",
        "reference_reason",
        "engine",
        "notices",
        "baseline",
        "majority",
        "phenomena",
    )
    return {k: data[k] for k in keep} | {"elapsed_s": round(experiment.elapsed, 3)}


# --- small helpers -------------------------------------------------------------------------


def _majority(y: np.ndarray) -> float:
    """Share of the commonest class in *y*."""
    _, counts = np.unique(y, return_counts=True)
    return float(counts.max() / counts.sum())


def _floats(x: np.ndarray) -> list[float | None]:
    """JSON-able scores: NaN becomes None."""
    return [float(v) if np.isfinite(v) else None for v in x]


def _mean(x: np.ndarray) -> float:
    finite = x[np.isfinite(x)]
    return float(finite.mean()) if finite.size else math.nan


def _std(x: np.ndarray) -> float:
    finite = x[np.isfinite(x)]
    return float(finite.std()) if finite.size else math.nan


def _signed(value: float, higher_is_better: bool) -> str:
    return f"{value if higher_is_better else -value:+.4f}"


def _label(value: Any) -> str:
    from tinkerlab.experiment._knobs import _text

    return _text(value)


def _test_dict(result: TestResult) -> dict[str, Any]:
    return {
        "mean_diff": result.mean_diff,
        "t": result.t if math.isfinite(result.t) else None,
        "p_value": result.p_value,
        "ci_low": result.ci_low,
        "ci_high": result.ci_high,
        "confidence": result.confidence,
        "n_folds": result.n_folds,
        "method": result.method,
        "significant": result.significant(),
    }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in frame.to_dict(orient="records"):
        out.append(
            {
                str(k): (None if isinstance(v, float) and not math.isfinite(v) else _plain(v))
                for k, v in row.items()
            }
        )
    return out


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _png(figure: Figure) -> bytes:
    from tinkerlab.experiment._plots import figure_bytes

    return figure_bytes(figure, "png")
