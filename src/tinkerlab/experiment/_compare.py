"""Compare every model on the same folds by racing, within a time budget: a leaderboard.

:func:`compare` is the whole job:

1. load the data and hold out the test split exactly as ``tinkerlab run`` does; the
   leaderboard never looks at it;
2. one recipe per registry model suited to the task (each with the preprocessing its
   model needs: scaling for distances and gradients, dense arrays where required), and
   **one set of paired folds** (repeated k-fold on the training split) for all of them,
   so every difference between two models is measured on the same rows. Each distinct
   preprocessing is fitted **once per fold** and shared by the models that use it
   (:mod:`~tinkerlab.experiment._compare_fit`);
3. a **race** (:mod:`~tinkerlab.experiment._race`): every model runs the first fold; only
   the best third go on to the next folds, and so on (successive halving); the finalists
   run every fold. ``race=False`` runs every model on every fold;
4. the fits run in this process when the table is small (no process to start; time limits
   checked between fits) and otherwise in a **warm pool of worker processes**, one per
   core, reused for every model (:mod:`~tinkerlab.experiment._pool`), where a fit that
   overruns is stopped at once (:mod:`~tinkerlab.experiment._compare_run`). Every worker's
   BLAS/OpenMP threads are capped so they do not fight over the cores; no worker outlives
   the comparison;
5. the **leaderboard** (:mod:`~tinkerlab.experiment._compare_board`): mean ± std of the
   chosen metric over the folds, fit and predict times, and which finalists are
   *statistically indistinguishable from the best*: the corrected resampled t-test
   (Nadeau & Bengio 2003) of each one's fold scores against the best's, paired by fold,
   at alpha = 0.05 (one test per model, no correction for multiple comparisons, so ties
   are marked generously);
6. the best model, chosen by cross-validation, is fitted once on the whole training split
   and scored once on the held-out test split (this one fit may run over the budget);
7. with a ``store`` (the journal), the comparison is recorded as an experiment whose knob
   is ``model`` (:mod:`~tinkerlab.experiment._compare_record`), each model a point
   committed as it leaves the race.

>>> result = compare("iris", budget=30, models=["dummy", "knn"], repeats=1, n_jobs=1)
>>> result.best
'knn'
>>> result.frame.loc[0, "model"]
'knn'
"""

from __future__ import annotations

import math
import time
import warnings
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tinkerlab._threads import cores
from tinkerlab.exceptions import InputError, RecipeError, UsageError
from tinkerlab.experiment._compare_board import STATUSES, Comparison, ModelResult, rank_results
from tinkerlab.experiment._compare_board import png_bytes as _png
from tinkerlab.experiment._compare_fit import FoldCache, model_step
from tinkerlab.experiment._compare_record import experiment_record, store_point, summary_record
from tinkerlab.experiment._compare_run import (
    CompareProgress,
    Entrant,
    Limits,
    Race,
    pool_runner,
    run_inline,
)
from tinkerlab.experiment._race import RULE
from tinkerlab.options import Settings, settle, spell

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.data import Dataset
    from tinkerlab.experiment._experiment import ExperimentStore
    from tinkerlab.recipe import Recipe

__all__ = ["STATUSES", "CompareProgress", "Comparison", "ModelResult", "compare", "compare_settled"]

#: Models in the order they are started: quick ones first, so that they are not kept
#: waiting behind slow fits, and the slow ones share what is left of the budget.
START_ORDER = (
    "dummy",
    "naive_bayes",
    "linear_regression",
    "ridge",
    "logistic_regression",
    "decision_tree",
    "knn",
    "svm",
    "extra_trees",
    "random_forest",
    "gradient_boosting",
)
#: A kernel SVM's fit grows with the square of the rows: quick on a few thousand, the
#: slowest of all beyond. Above this many training rows per fold it counts as the slowest.
SVM_LAST_ROWS = 5_000
#: Tables up to this many cells (training rows × columns) are compared in this process:
#: every fit takes well under a second there, less than starting worker processes. Their
#: forests grow their trees on one thread (_tree_threads).
IN_PROCESS_CELLS = 100_000


@dataclass
class _Plan:
    """Everything checked and prepared before the first fit."""

    base: Recipe  # the data's recipe (its split, folds and seed)
    sweep: Any  # the planned sweep of the knob "model" (one point per model)
    X_train: pd.DataFrame
    y_train: Any
    X_test: pd.DataFrame
    y_test: Any
    folds: list[tuple[np.ndarray, np.ndarray]]
    n_classes: int
    metric: Any  # the Metric ranked by
    in_process: bool


def compare(
    dataset: str | Path | pd.DataFrame | Dataset | None = None,
    *,
    store: ExperimentStore | None = None,
    progress: CompareProgress | None = None,
    test: bool = True,
    **options: Any,
) -> Comparison:
    """Compare the registry's models on the same paired folds by racing, within a budget.

    *options* are the ``compare`` options declared in :mod:`tinkerlab.options`
    (``budget``, ``models``, ``cv``, ``repeats``, ``metric``, ``timeout``, ``race``,
    ``n_jobs``, ``in_process``, ``target``...; ``help(tinkerlab.compare)`` lists them),
    checked once by :func:`~tinkerlab.options.settle`. Two of them decide how it runs:

    * ``race`` (default true): successive halving over the folds
      (:mod:`~tinkerlab.experiment._race`); false runs every model on every fold;
    * ``in_process``: fit in this process (true: nothing to start, but a fit cannot be
      stopped midway, so the limits are checked between fits) or in worker processes
      (false: a fit that overruns is stopped at once); default: in this process for
      tables up to :data:`IN_PROCESS_CELLS` cells, else in workers.

    Parameters
    ----------
    dataset : str, Path, DataFrame or Dataset
        A built-in name, a file, a table, or a loaded :class:`~tinkerlab.data.Dataset`.
    store : ExperimentStore, optional
        Where to record it (the journal): an experiment with knob ``model``.
    progress : callable, optional
        Called as ``progress(fits_done, fits_planned, what)``.
    test : bool
        Fit the best model on the whole training split and score it on the test split.

    Returns
    -------
    Comparison
        The leaderboard; ``.best``, ``.frame``, ``.plot()``, ``.to_dict()``.
    """
    settings = settle("compare", {"dataset": dataset, **options})
    return compare_settled(settings, store=store, progress=progress, test=test)


def compare_settled(
    settings: Settings,
    *,
    store: ExperimentStore | None = None,
    progress: CompareProgress | None = None,
    test: bool = True,
) -> Comparison:
    """:func:`compare` with its options already settled (see there)."""
    if not isinstance(test, bool):
        raise InputError(f"test must be true or false. Got {test!r} instead.")
    workers = _workers(settings.n_jobs)
    plan = _plan(settings, workers)
    comparison = _comparison(plan, settings, workers)
    positions = {str(p.value): p.position for p in plan.sweep.points}
    if store is not None:
        comparison.id = store.start_experiment(
            experiment_record(plan.base, plan.sweep, comparison), None
        )
    started = time.perf_counter()
    try:
        results = _run_race(plan, comparison, settings.race, progress, store, positions)
        rank_results(comparison, results)
        if test and comparison.best is not None:
            comparison.test_scores = _test_scores(plan, comparison.best)
    except BaseException as error:
        if store is not None and comparison.id is not None:
            interrupted = isinstance(error, KeyboardInterrupt)
            store.mark_experiment(comparison.id, "interrupted" if interrupted else "failed")
        raise
    comparison.elapsed = time.perf_counter() - started
    if store is not None and comparison.id is not None:
        comparison.plot_paths = store.finish_experiment(
            comparison.id,
            summary_record(comparison, positions),
            {"leaderboard.png": _png(comparison.plot())},
            None,  # no prediction to score
        )
    return comparison


# --- planning ---------------------------------------------------------------------------------


def _plan(settings: Settings, workers: int) -> _Plan:
    """Load, split, fold and choose the metric: every check before the first fit."""
    from tinkerlab.experiment._experiment import _metric
    from tinkerlab.experiment._folds import paired_folds
    from tinkerlab.experiment._knobs import plan_sweep
    from tinkerlab.recipe import load_settled, recipe_for, warm_text_features
    from tinkerlab.runner import prepare_frame, split

    models = settings.models
    data = load_settled(settings)
    base = recipe_for(data, settings)
    if models is not None:
        _check_models(models, base.task)
    sweep = plan_sweep(base, "model", models)
    X, y = prepare_frame(base, data.frame)
    X_train, X_test, y_train, y_test = split(base, X, y)
    folds = paired_folds(base, X_train, y_train, settings.repeats)
    n_classes = int(y.nunique()) if base.task == "classification" else 0
    chosen = _metric(base, sweep, n_classes, settings.metric)  # one every model can take
    warm_text_features(base, X_train)  # embed each text once, before the clock starts
    chosen_place = settings.in_process
    inline = (_small(X_train) or workers == 1) if chosen_place is None else chosen_place
    X_folded = _one_block_per_dtype(X_train.reset_index(drop=True))  # positions 0..n-1
    return _Plan(base, sweep, X_folded, y_train, X_test, y_test,
                 folds, n_classes, chosen, inline)  # fmt: skip


def _small(X: pd.DataFrame) -> bool:
    """Whether a training table is small (up to IN_PROCESS_CELLS cells): raced in this
    process, and its trees too quick to share out between threads (:func:`_tree_threads`)."""
    return X.shape[0] * X.shape[1] <= IN_PROCESS_CELLS


def _tree_threads(X: pd.DataFrame) -> int:
    """Threads a forest may grow its trees on when it fits alone: one on a small table,
    every core on a larger one (the same trees either way: ``n_jobs`` never changes them).

    On a small table a tree takes about a millisecond, scikit-learn holds the GIL for each
    tree's own checks, so a second thread mostly waits, and every ``fit`` and ``predict``
    would start a joblib thread pool and poll it every 10 ms. On a 2-core machine (load 2,
    paired runs) one thread cut breast_cancer's comparison from 0.71 to 0.55 s of CPU
    (0.73 to 0.56 s wall) and digits' from 3.46 to 3.03 s of CPU (3.27 to 3.04 s wall).
    A larger table keeps every core, as before (not measured again): when it is raced in
    this process (``--jobs 1``, ``in_process=True``), and for the final fit after a race
    in workers, which are idle by then.
    """
    return 1 if _small(X) else cores()


def _one_block_per_dtype(frame: pd.DataFrame) -> pd.DataFrame:
    """*frame* with the same values, its columns stored together: one 2-D block per dtype.

    A loaded table often keeps every column in a block of its own (breast_cancer 30,
    digits 64), and then each fold's row selection and each conversion to an array in
    scikit-learn's checks work column by column. ``DataFrame.copy`` consolidates the
    blocks; done once per comparison (one copy of the training split, once), it cut one
    fold's preprocessing from 9.8 to 8.3 ms on breast_cancer and from 20.7 to 17.2 ms on
    digits, with identical arrays.
    """
    return frame.copy()


def _comparison(plan: _Plan, settings: Settings, workers: int) -> Comparison:
    base = plan.base
    return Comparison(
        dataset=base.dataset,
        task=base.task,
        target=base.target,
        metric=plan.metric,
        results=[],
        cv=base.cv_folds,
        repeats=settings.repeats,
        n_train=float(np.mean([len(t) for t, _ in plan.folds])),
        n_test=float(np.mean([len(v) for _, v in plan.folds])),
        budget=float(settings.budget),
        timeout=None if settings.timeout is None else float(settings.timeout),
        workers=1 if plan.in_process else workers,
        seed=settings.seed,
        racing=RULE if settings.race else "",
        in_process=plan.in_process,
        test_rows=len(plan.y_test),
        notices=list(plan.sweep.notices),
    )


def _entrants(plan: _Plan, cache: FoldCache) -> list[Entrant]:
    """One entrant per model, in the order they start (see START_ORDER)."""
    order = {name: i for i, name in enumerate(START_ORDER)}
    if min(len(t) for t, _ in plan.folds) > SVM_LAST_ROWS:
        order["svm"] = len(order)
    points = sorted(plan.sweep.points, key=lambda p: order.get(str(p.value), len(order)))
    # In this process one fit runs at a time; in a worker, its share of the cores.
    threads = _tree_threads(plan.X_train) if plan.in_process else None
    return [
        Entrant(
            recipe=p.recipe,
            key=cache.add(p.recipe),
            model=model_step(p.recipe, n_jobs=threads),
            result=_empty_result(str(p.value)),
        )
        for p in points
    ]


def _empty_result(model: str) -> ModelResult:
    from tinkerlab.recipe import get_model

    return ModelResult(
        model=model,
        title=get_model(model).title,
        status="running",
        scores={},
        fit_time=math.nan,
        predict_time=math.nan,
        elapsed=0.0,
        folds_done=0,
    )


# --- running ----------------------------------------------------------------------------------


def _run_race(
    plan: _Plan, comparison: Comparison, race: bool, progress: CompareProgress | None,
    store: ExperimentStore | None, positions: dict[str, int],
) -> list[ModelResult]:  # fmt: skip
    """The race, in this process or in a warm pool of workers; every model's result."""
    from threadpoolctl import threadpool_limits

    from tinkerlab.experiment._pool import WorkerPool

    workers = comparison.workers
    pool = None if plan.in_process else WorkerPool(workers, max(1, cores() // workers))
    cache = FoldCache(plan.X_train, np.asarray(plan.y_train), tuple(plan.folds))
    entrants = _entrants(plan, cache)
    for key in cache.recipes:  # the first fold's preprocessing, while the workers start
        cache.get(key, 0)
    budget = comparison.budget
    limits = Limits(
        budget=budget,
        end=time.monotonic() + budget,
        timeout=comparison.timeout,
        workers=workers,
    )
    metric = plan.metric
    contest = Race(
        entrants,
        cache,
        (metric.name, metric.scorer, metric.sign),
        limits,
        higher_is_better=metric.higher_is_better,
        racing=race,
        progress=progress,
        on_result=lambda r: store_point(store, comparison.id, positions[r.model], r, comparison),
    )
    # BLAS/OpenMP capped at one thread everywhere: on a busy machine OpenMP threads that
    # spin-wait for a core slowed gradient boosting down tenfold. In this process a forest
    # of a larger table still grows its trees on every core (_tree_threads: joblib
    # threads, which yield).
    with pool or nullcontext(), threadpool_limits(limits=1):
        return contest.run(run_inline if pool is None else pool_runner(pool))


def _test_scores(plan: _Plan, best: str) -> dict[str, float]:
    """The best model fitted on the whole training split, scored once on the test split
    on every metric it has."""
    from sklearn.metrics import check_scoring
    from threadpoolctl import threadpool_limits

    from tinkerlab.recipe import build_pipeline

    recipe = next(p.recipe for p in plan.sweep.points if str(p.value) == best)
    metrics = _model_metrics(recipe, plan.n_classes)
    pipeline = build_pipeline(recipe)
    threads = _tree_threads(plan.X_train)  # nothing else runs now (workers are idle)
    if threads > 1 and pipeline.named_steps["model"].get_params().get("n_jobs", 0) is None:
        pipeline.named_steps["model"].set_params(n_jobs=threads)  # the same model, sooner
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipeline.fit(plan.X_train, np.asarray(plan.y_train))
        scoring = {name: scorer for name, scorer, _ in metrics}
        signs = {name: sign for name, _, sign in metrics}
        X_test, y_test = plan.X_test, np.asarray(plan.y_test)
        scores = check_scoring(pipeline, scoring=scoring)(pipeline, X_test, y_test)
    return {k: float(signs[k] * v) for k, v in scores.items()}


# --- checks -----------------------------------------------------------------------------------


def _model_metrics(recipe: Recipe, n_classes: int) -> tuple[tuple[str, str, int], ...]:
    """Every metric this model can be scored on (ROC AUC needs a score per row)."""
    from tinkerlab.recipe import build_pipeline, metrics_for

    found = metrics_for(recipe.task, n_classes, build_pipeline(recipe))
    return tuple((m.name, m.scorer, m.sign) for m in found)


def _check_models(names: list[str], task: str) -> None:
    """Every name a registry model that can do *task*, and at least two of them."""
    import difflib

    from tinkerlab.recipe import MODELS, models_for

    valid = [m.name for m in models_for(task, optional=True)]  # type: ignore[arg-type]
    for name in names:
        if name in valid:
            continue
        close = difflib.get_close_matches(name, valid, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        what = f"cannot do {task}" if name in MODELS else "is not a model tinkerlab knows"
        raise RecipeError(
            f"'{name}' {what}.{hint} Models for {task}: {', '.join(valid)}. "
            f"Fix: {spell('models', valid[1:4])} (or leave it out for all of them)"
        )
    if len(set(names)) < 2:
        raise RecipeError(
            f"A comparison needs at least two models; got {', '.join(names)}. "
            f"Fix: {spell('models', [names[0], next(v for v in valid if v != names[0])])} "
            "(or leave it out for all of them)"
        )


def _workers(n_jobs: int | None) -> int:
    every = cores()
    if n_jobs is None or n_jobs == -1:
        return every
    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs < 1:
        raise UsageError(
            f"The number of models run at a time must be a positive int (or -1 for every core). "
            f"Got {n_jobs!r} instead. Fix: {spell('n_jobs', every)}"
        )
    return n_jobs
