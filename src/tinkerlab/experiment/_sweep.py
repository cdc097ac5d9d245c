"""The sweep loop: plan and check, fit every value on the paired folds, add repeats while
the curve is too noisy to tell, and hand each finished point to the store.

1. hold out the test split exactly as ``tinkerlab run`` does, and never touch it;
2. draw the paired folds and plan one point per value, all checked before anything runs
   or is recorded;
3. fit every point on every fold on the engine; each point is recorded the moment its
   last fold finishes;
4. summarize (:mod:`~tinkerlab.experiment._summary`); when the repeats were not fixed
   and the shape is too noisy to tell, add repeats in looks
   (:mod:`~tinkerlab.experiment._sequential`) until it is decided, the budget is spent
   or the last look is reached.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tinkerlab.exceptions import RecipeError, UsageError
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
from tinkerlab.experiment._knob_kinds import PARAM, Mode, Point, Scale, Sweep
from tinkerlab.experiment._knobs import plan_sweep
from tinkerlab.experiment._predict import check_prediction
from tinkerlab.experiment._records import (
    Ask,
    Detect,
    ExperimentStore,
    SweepInterrupted,
    SweepProgress,
    experiment_record,
    prediction_record,
    summary_record,
)
from tinkerlab.experiment._result import Experiment, PointResult
from tinkerlab.experiment._sequential import BUDGET_S, SEQUENTIAL_METHOD
from tinkerlab.experiment._shape import Prediction
from tinkerlab.experiment._stats import ALPHA
from tinkerlab.options import spell

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.data import Dataset
    from tinkerlab.recipe import Metric, Recipe

#: Models whose fits take long enough that a large table gets one repeat by default: the
#: slow classic ones and the neural networks (the registry's ``deep`` extra).
SLOW_MODELS = frozenset(
    {"svm", "gradient_boosting", "random_forest", "extra_trees"}
    | {"mlp_torch", "cnn", "text_rnn", "text_transformer"}
)
#: Default repeats of the k-fold split: 2 (so 2 × 5 = 10 paired folds), or 1 for big tables.
DEFAULT_REPEATS = 2
#: Rows of training data above which a slow model gets a single repeat.
SLOW_ROWS = 2_000
#: How the line that says why a sweep starts with one repeat begins.
ONE_REPEAT = "One repeat to start"
#: Rows above which every model gets a single repeat.
LARGE_ROWS = 20_000
#: The metric a sweep shows by default: a score where higher is better, for both tasks.
DEFAULT_METRIC = {"classification": "accuracy", "regression": "r2"}


@dataclass
class _Plan:
    """Everything checked before the first fit."""

    recipe: Recipe
    sweep: Sweep
    metric: Metric
    prediction: Prediction | None
    shared: SharedData  # the data, the first look's folds, the metric
    path: FastPath | None  # the knob's fast exact path, when it has one and it is used
    repeats: int  # repeats of the first look
    adaptive: bool  # add repeats while the shape is too noisy to tell
    X: pd.DataFrame  # the rows the folds are drawn from
    notices: list[str] = field(default_factory=list)


def run_sweep(
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
    adaptive: bool | None = None,
    budget: float = BUDGET_S,
) -> Experiment:
    """Plan, fit and summarize one sweep (what :func:`~tinkerlab.experiment.tinker` and
    :func:`~tinkerlab.experiment.resume` run).

    *adaptive* (default: when *repeats* is None) adds repeats while the curve is too
    noisy to tell, spending at most *budget* seconds of extra fitting; ``repeats=N``
    alone fixes the design.
    """
    plan = _plan(
        recipe, data, knob, values=values, span=span, steps=steps, scale=scale, mode=mode,
        metric=metric, repeats=repeats, prediction=prediction, ask=ask, fast=fast,
        expected_values=expected_values, notices=notices, progress=progress,
        adaptive=repeats is None if adaptive is None else adaptive,
    )  # fmt: skip
    engine_given = engine is not None
    runner = engine if engine is not None else make_engine(cluster, n_jobs)
    done = dict(done or {})
    experiment_id = resume_id
    sequential: dict[str, Any] | None = None
    try:
        if store is not None and experiment_id is None:
            experiment_id = store.start_experiment(
                experiment_record(
                    recipe, plan.sweep, plan.metric.name, plan.repeats, runner.name, plan.adaptive
                ),
                prediction_record(plan.prediction, plan.sweep),
            )
        tick = time.perf_counter()
        with _marked(store, experiment_id, done, len(plan.sweep.points)):
            _fit_missing(plan, runner, done, store, experiment_id, progress)
            first = time.perf_counter() - tick
            experiment = _build(plan, [done[p.position] for p in plan.sweep.points], experiment_id)
            if plan.adaptive:
                from tinkerlab.experiment._adaptive import decide

                experiment, sequential = decide(plan, runner, experiment, first, budget, progress)
            from tinkerlab.experiment._reference import reference_scores

            experiment.flexible = reference_scores(plan.shared, plan.sweep)
        experiment.elapsed = time.perf_counter() - tick
    finally:
        if not engine_given:
            runner.close()
    experiment.engine = runner.name
    experiment.sequential = sequential
    if sequential is not None:  # shown with the notices: how the repeats were chosen
        line = f"Repeats: {sequential['text']} ({SEQUENTIAL_METHOD}, alpha {experiment.alpha:.3g})."
        _insert_repeats_line(experiment.notices, line)
    return _finish(plan, experiment, detect, store, experiment_id)


def _finish(
    plan: _Plan,
    experiment: Experiment,
    detect: Detect | None,
    store: ExperimentStore | None,
    experiment_id: int | None,
) -> Experiment:
    """Detect the phenomena, then record the summary, the plots and the scored prediction."""
    if detect is not None:
        experiment.phenomena = list(detect(experiment))
    if store is not None and experiment_id is not None:
        from tinkerlab.experiment._plots import plot_files

        experiment.plot_paths = store.finish_experiment(
            experiment_id,
            summary_record(experiment, plan.repeats * plan.recipe.cv_folds),
            plot_files(experiment),
            experiment.summary.prediction_score,
        )
    return experiment


class _marked:  # noqa: N801 - used like a function: ``with _marked(store, id, done, total)``
    """Mark the experiment interrupted (Ctrl-C) or failed (an error) if the body raises;
    Ctrl-C becomes :class:`SweepInterrupted`, saying how many values were done."""

    def __init__(
        self,
        store: ExperimentStore | None,
        experiment_id: int | None,
        done: dict[int, PointResult],
        total: int,
    ) -> None:
        self.store, self.experiment_id, self.done, self.total = store, experiment_id, done, total

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _: Any
    ) -> None:
        if error is None:
            return
        interrupted = isinstance(error, KeyboardInterrupt)
        if self.store is not None and self.experiment_id is not None:
            self.store.mark_experiment(
                self.experiment_id, "interrupted" if interrupted else "failed"
            )
        if interrupted and not isinstance(error, SweepInterrupted):
            raise SweepInterrupted(self.experiment_id, len(self.done), self.total) from error


def _plan(
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
    ask: Ask | None,
    fast: bool,
    expected_values: list[Any] | None,
    notices: list[str] | None,
    progress: SweepProgress | None,
    adaptive: bool,
) -> _Plan:
    """Check everything before anything runs or is recorded."""
    from tinkerlab.recipe import check_step_values, inputs_of
    from tinkerlab.runner import prepare_frame, split

    # The add_feature knob may take dates apart that the recipe does not read yet.
    extra = inputs_of(values) if knob == "add_feature" and values is not None else ()
    X, y = prepare_frame(recipe, data.frame, extra)
    X_train, _X_test, y_train, _y_test = split(recipe, X, y)  # checks the class counts too
    first = _repeats(recipe, len(X_train), repeats)
    X_used, y_used = (X, y) if knob == "test_size" else (X_train, y_train)
    folds = paired_folds(recipe, X_used, y_used, first)
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
    chosen = _metric(recipe, sweep, len(classes), metric, y=y_array)
    prediction = check_prediction(prediction, sweep)
    path = fast_path_of(sweep) if fast else None
    said = list(notices or [])
    why = _one_repeat_why(recipe, len(X_train), repeats, first, adaptive)
    if why:
        said.append(why)
    if path is not None:
        said.append(
            f"Fast exact path: {path.how}; the scores equal fitting each value "
            f"({spell('fast', False)})."
        )
    _warm_text_features(sweep, X_used, len(folds), progress)
    shared = SharedData(
        X=X_used.reset_index(drop=True),
        y=y_array,
        folds=tuple(folds),
        task=recipe.task,
        seed=recipe.seed,
        # Only the metric shown is scored: each extra metric costs as much as a fit here.
        metrics=((chosen.name, chosen.scoring(), chosen.sign),),
        classes=classes,
    )
    frame = X_used.assign(**{recipe.target: np.asarray(y_used)})
    return _Plan(recipe, sweep, chosen, prediction, shared, path, first, adaptive, frame, said)


def _build(
    plan: _Plan, points: list[PointResult], experiment_id: int | None, alpha: float = ALPHA
) -> Experiment:
    """The experiment of these points, summarized at level *alpha*."""
    shared = plan.shared
    y = shared.y
    return Experiment(
        recipe=plan.recipe,
        sweep=plan.sweep,
        metric=plan.metric,
        points=points,
        repeats=len(shared.folds) // plan.recipe.cv_folds,
        engine="",
        prediction=plan.prediction,
        id=experiment_id,
        notices=[*plan.notices, *_point_notices(points)],
        baseline=baseline_scores(shared),
        majority=_majority(y) if plan.recipe.task == "classification" else None,
        alpha=alpha,
        training_frame=plan.X,
    )


# --- fitting -------------------------------------------------------------------------------


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
    plan: _Plan,
    engine: Engine,
    done: dict[int, PointResult],
    store: ExperimentStore | None,
    experiment_id: int | None,
    progress: SweepProgress | None,
) -> None:
    """Fit the points *done* lacks on every fold, recording each as it completes."""
    sweep = plan.sweep
    folds = len(plan.shared.folds)
    todo = [p for p in sweep.points if p.position not in done]
    total = len(sweep.points) * folds
    finished = len(done) * folds
    say = progress or (lambda _done, _total, _what: None)
    say(finished, total, f"{len(todo)} of {len(sweep.points)} values to fit on {engine.name}")
    if not todo:
        return
    pending: dict[int, list[FoldResult]] = {p.position: [] for p in todo}
    for result in _fold_results(plan, engine, todo, range(folds)):
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
    plan: _Plan, engine: Engine, todo: list[Point], folds: range
) -> Iterator[FoldResult]:
    """Every fit the *todo* points need on *folds*, as they finish: one job per (point,
    fold), or, on the fast path, one job per fold that scores every point from one fit."""
    if plan.path is not None:
        fast_jobs = [FastFoldJob(plan.sweep.knob, tuple(todo), fold) for fold in folds]
        for batch in engine.map_unordered(evaluate_fast_fold, plan.shared, fast_jobs):
            yield from batch
        return
    jobs = [FoldJob(point, fold) for point in todo for fold in folds]
    yield from engine.map_unordered(evaluate_fold, plan.shared, jobs)


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
    """The first look's repeats: *repeats* checked, or the default for this table."""
    if repeats is not None:
        if not isinstance(repeats, int) or isinstance(repeats, bool) or not 1 <= repeats <= 100:
            raise RecipeError(
                f"The number of repeats must be an int in [1, 100]. Got {repeats!r} instead. "
                f"Fix: {spell('repeats', 2)}"
            )
        if repeats * recipe.cv_folds < 3:
            raise RecipeError(
                f"{repeats} repeat(s) of {recipe.cv_folds}-fold CV gives only "
                f"{repeats * recipe.cv_folds} paired scores per value; the t-test needs at "
                f"least 3. Fix: {spell('repeats', 2)}"
            )
        return repeats
    slow = recipe.model in SLOW_MODELS and rows > SLOW_ROWS
    single = slow or rows > LARGE_ROWS
    return 1 if single and recipe.cv_folds >= 3 else DEFAULT_REPEATS


def _one_repeat_why(
    recipe: Recipe, rows: int, repeats: int | None, first: int, adaptive: bool
) -> str | None:
    """One line saying why the first look has one repeat, when the table chose it."""
    if repeats is not None or first != 1:
        return None
    if rows > LARGE_ROWS:
        why = f"{rows:,} training rows are over {LARGE_ROWS:,}"
    else:
        why = f"{recipe.model} is slow to fit and {rows:,} training rows are over {SLOW_ROWS:,}"
    more = "more are added while the curve is too noisy to tell; " if adaptive else ""
    return f"{ONE_REPEAT}, not {DEFAULT_REPEATS}: {why} ({more}--repeats N fixes it)."


def _insert_repeats_line(notices: list[str], line: str) -> None:
    """Put *line* (how many repeats the sweep ran, and why) first among *notices*, or
    right after the line that says why it started with one repeat: cause, then effect."""
    at = next((i + 1 for i, n in enumerate(notices) if n.startswith(ONE_REPEAT)), 0)
    notices.insert(at, line)


def _metric(
    recipe: Recipe,
    sweep: Sweep,
    n_classes: int,
    name: str | None,
    *,
    y: Any = None,
) -> Metric:
    """The metric shown, checked to be one every point can be scored on. A binary
    average (``f1_binary``) scores the class 1 (or True) when *y* has it, else its rarer
    class."""
    from tinkerlab.recipe import average_of, build_pipeline, metrics_for

    average = average_of(name or "") if recipe.task == "classification" else "macro"
    positive = _positive(y) if average == "binary" and y is not None else None
    per_point = [
        metrics_for(
            recipe.task, n_classes, build_pipeline(p.recipe), average=average, positive=positive
        )
        for p in sweep.points
    ]
    union: dict[str, Metric] = {}
    for found in per_point:
        for m in found:
            union.setdefault(m.name, m)
    wanted = name or DEFAULT_METRIC[recipe.task]
    if wanted not in union:
        raise RecipeError(
            f"Unknown metric {wanted!r} for {recipe.task}. Valid metrics: "
            f"{', '.join(union)}. Fix: {spell('metric', DEFAULT_METRIC[recipe.task])}"
        )
    lacking = [
        p.label
        for p, found in zip(sweep.points, per_point, strict=True)
        if wanted not in {m.name for m in found}
    ]
    if lacking:
        raise RecipeError(
            f"The metric {wanted!r} cannot score {', '.join(lacking)} (it needs a score per "
            f"row, e.g. probabilities). Fix: {spell('metric', DEFAULT_METRIC[recipe.task])}"
        )
    return union[wanted]


def _positive(y: Any) -> Any:
    """The class a binary average scores: 1 (or True) when present, else the rarer one."""
    values, counts = np.unique(np.asarray(y), return_counts=True)
    for value in values:
        if isinstance(value, bool | int | np.integer | np.bool_) and value == 1:
            return value
    return values[int(np.argmin(counts))] if len(values) else None


def _majority(y: np.ndarray) -> float:
    """Share of the commonest class in *y*."""
    _, counts = np.unique(y, return_counts=True)
    return float(counts.max() / counts.sum())
