"""Search several knobs of one model at once, racing the settings by successive halving.

:func:`search` is the whole job:

1. load the data and hold out the test split exactly as ``tinkerlab run`` does; the
   search never looks at it; the **paired folds** (repeated k-fold on the training
   split, :mod:`~tinkerlab.experiment._folds`) are the same ones ``tinker`` and
   ``compare`` use, so every setting is measured on the same rows;
2. the settings (:mod:`~tinkerlab.experiment._search_plan`): a grid of the knobs' values,
   or random draws on each knob's scale;
3. a **race** with scikit-learn's ``HalvingGridSearchCV`` (Jamieson & Talwalkar 2016;
   the rule our ``compare`` races models by, :mod:`~tinkerlab.experiment._race`): every
   setting is cross-validated on a small share of each fold's rows, only the best third
   (``factor=3``) go on with three times as many rows, and so on until the last rung
   runs on (nearly) every row. Its resource is rows where ``compare``'s is folds: a
   search has many more candidates than folds. ``race=False`` cross-validates every
   setting on every full fold (``GridSearchCV``). Too few rows to race (the first rung
   would hold fewer rows than two per class and fold): every setting runs every fold,
   and a notice says so;
4. the two best settings of the last rung are cross-validated again on every full fold,
   and the best one's **lead is tested** with the corrected resampled t-test paired by
   fold (:mod:`~tinkerlab.experiment._stats`), as ``tinker`` tests its best value;
5. the best setting is fitted once on the whole training split and scored once on the
   test split;
6. with a ``store`` (the journal), it is recorded as an experiment of kind ``"search"``
   (:mod:`~tinkerlab.experiment._search_record`): one point per setting, the best
   setting's script in the summary.

The fits run in local worker processes (joblib, each capped at its share of the cores'
BLAS/OpenMP threads) or, with ``cluster`` (or ``TINKERLAB_DASK``), on a Dask cluster
through joblib's Dask backend: the same folds and seeds, so the same numbers.

>>> found = search("iris", model="knn", knobs={"n_neighbors": (1, 30)}, n_jobs=1)
>>> found.best_params["n_neighbors"] >= 1
True
"""

from __future__ import annotations

import math
import os
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import numpy as np

from tinkerlab.exceptions import RecipeError
from tinkerlab.experiment._race import ETA
from tinkerlab.experiment._search_plan import DEFAULT_CANDIDATES, Axis, draw, grid, read_knobs
from tinkerlab.experiment._search_result import Candidate, Search
from tinkerlab.options import Settings, name_of, settle, spell

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.experiment._experiment import ExperimentStore
    from tinkerlab.recipe import Metric, Recipe

#: Called as ``progress(step, what)`` at each step of a search.
SearchProgress = Callable[[str], None]

#: The racing rule in words, for the output and the journal.
RULE = (
    f"successive halving over rows (scikit-learn's HalvingGridSearchCV, factor {ETA}): "
    "every setting on a share of each fold's rows, the best third on three times more"
)


@dataclass
class _Plan:
    """Everything checked and prepared before the first fit."""

    base: Recipe  # the data's recipe, the model's other knobs fixed
    axes: list[Axis]
    settings: list[dict[str, Any]]  # the candidates, knob -> value
    X_train: pd.DataFrame
    y_train: np.ndarray
    X_test: pd.DataFrame
    y_test: np.ndarray
    folds: list[tuple[np.ndarray, np.ndarray]]
    metric: Metric
    n_classes: int


def search(
    dataset: Any = None,
    *,
    store: ExperimentStore | None = None,
    progress: SearchProgress | None = None,
    **options: Any,
) -> Search:
    """Search several knobs of one model, raced by successive halving; the best setting,
    its lead over the runner-up (tested), the charts and its script.

    *options* are the ``search`` options declared in :mod:`tinkerlab.options`
    (``knobs``, ``model``, ``strategy``, ``steps``, ``candidates``, ``race``, ``metric``,
    ``cv``, ``repeats``, ``cluster``, ``n_jobs``...), checked by
    :func:`~tinkerlab.options.settle`.
    """
    settings = settle("search", {"dataset": dataset, **options})
    return search_settled(settings, store=store, progress=progress)


def search_settled(
    settings: Settings,
    *,
    store: ExperimentStore | None = None,
    progress: SearchProgress | None = None,
) -> Search:
    """:func:`search` with its options already settled."""
    from tinkerlab.experiment._search_record import experiment_record, finish_record

    say = progress or (lambda what: None)
    plan = _plan(settings)
    found = _empty(plan, settings)
    if store is not None:
        found.id = store.start_experiment(experiment_record(plan.base, found), None)
    started = time.perf_counter()
    try:
        with _parallel(settings) as (n_jobs, engine):
            found.engine = engine
            say(f"racing {len(plan.settings)} settings ({engine})")
            results = _race(plan, settings.race, n_jobs, found)
            _read_results(found, plan, results)
            say("testing the best setting's lead on every fold")
            _finalists(found, plan, n_jobs)
        say("scoring the best setting on the test split")
        _test_score(found, plan)
    except BaseException as error:
        if store is not None and found.id is not None:
            interrupted = isinstance(error, KeyboardInterrupt)
            store.mark_experiment(found.id, "interrupted" if interrupted else "failed")
        raise
    found.elapsed = time.perf_counter() - started
    if store is not None and found.id is not None:
        finish_record(store, found.id, found)
    return found


# --- planning ---------------------------------------------------------------------------------


def _plan(settings: Settings) -> _Plan:
    """Load, split, fold, read the knobs, make the settings, choose the metric."""
    from tinkerlab.experiment._folds import paired_folds
    from tinkerlab.experiment._sweep import _metric
    from tinkerlab.recipe import load_settled, recipe_for, warm_text_features
    from tinkerlab.runner import prepare_frame, split

    data = load_settled(settings)
    base = recipe_for(data, settings)
    axes = read_knobs(base, settings.knobs)
    if settings.strategy == "grid" and "candidates" in settings.given:
        raise RecipeError(
            f"{name_of('candidates')} is how many settings a random search draws; a grid "
            f"tries every combination. Fix: add {spell('strategy', 'random')}, or leave out "
            f"{name_of('candidates')}."
        )
    if settings.strategy == "random":
        candidates = draw(axes, settings.candidates or DEFAULT_CANDIDATES, settings.seed)
    else:
        candidates = grid(axes, settings.steps)
    X, y = prepare_frame(base, data.frame)
    X_train, X_test, y_train, y_test = split(base, X, y)
    folds = paired_folds(base, X_train, y_train, settings.repeats)
    n_classes = int(y.nunique()) if base.task == "classification" else 0
    # The metric, checked as tinker checks it, over the one model every setting shares.
    one = SimpleNamespace(points=[SimpleNamespace(recipe=base, label=base.model)])
    metric = _metric(base, one, n_classes, settings.metric, y=y_train)  # type: ignore[arg-type]
    warm_text_features(base, X_train)
    return _Plan(base, axes, candidates, X_train.reset_index(drop=True), np.asarray(y_train),
                 X_test, np.asarray(y_test), folds, metric, n_classes)  # fmt: skip


def _empty(plan: _Plan, settings: Settings) -> Search:
    from tinkerlab.experiment._knob_kinds import settings_text as _settings

    base = plan.base
    return Search(
        dataset=base.dataset,
        task=base.task,
        target=base.target,
        model=base.model,
        metric=plan.metric,
        knobs=[a.name for a in plan.axes],
        domains=[a.label() for a in plan.axes],
        strategy=settings.strategy,
        racing=RULE if settings.race else "",
        candidates=[Candidate(s, _settings(s), [], 0, -1, math.nan) for s in plan.settings],
        cv=base.cv_folds,
        repeats=settings.repeats,
        n_train=int(np.mean([len(t) for t, _ in plan.folds])),
        n_classes=plan.n_classes,
    )


# --- running ----------------------------------------------------------------------------------


@contextmanager
def _parallel(settings: Settings) -> Iterator[tuple[int, str]]:
    """Where the fits run: (n_jobs for scikit-learn, the engine in words).

    Local worker processes each get their share of the cores' BLAS/OpenMP threads; a
    Dask cluster (``cluster`` or ``TINKERLAB_DASK``) runs them through joblib's Dask
    backend, connected as ``tinker`` connects (:class:`~tinkerlab.experiment.DaskEngine`).
    """
    from joblib import parallel_config

    from tinkerlab._threads import cores, limited_threads, threads_per_worker
    from tinkerlab.experiment._engine import DASK_VARIABLE, DaskEngine

    address = settings.cluster or os.environ.get(DASK_VARIABLE) or None
    if address:
        engine = DaskEngine(address)  # a clear error if it cannot be reached
        try:
            with parallel_config(backend="dask", client=engine._client):
                yield -1, engine.name
        finally:
            engine.close()
        return
    workers = settings.n_jobs or cores()
    threads = threads_per_worker(workers)
    where = "this process" if workers == 1 else f"{workers} local processes"
    with limited_threads(threads), parallel_config(backend="loky", inner_max_num_threads=threads):
        yield workers, f"{where}, {threads} thread(s) each"


def _race(plan: _Plan, race: bool, n_jobs: int, found: Search) -> dict[str, Any]:
    """scikit-learn's search over the candidates on the paired folds; its ``cv_results_``."""
    from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    from sklearn.model_selection import GridSearchCV, HalvingGridSearchCV

    from tinkerlab.recipe import build_pipeline

    grid_list = [{f"model__{k}": [v] for k, v in s.items()} for s in plan.settings]
    common: dict[str, Any] = {
        "estimator": build_pipeline(plan.base),
        "param_grid": grid_list,
        "scoring": plan.metric.scoring(),
        "cv": plan.folds,
        "n_jobs": n_jobs,
        "refit": False,
        "error_score": np.nan,
    }
    smallest = 2 * len(plan.folds) * max(plan.n_classes, 1)  # scikit-learn's "smallest"
    can_race = race and len(plan.settings) > ETA and smallest * ETA <= len(plan.y_train)
    if race and not can_race:
        found.racing = ""
        found.notices.append(
            f"Not raced: {len(plan.settings)} settings on {len(plan.y_train)} training rows "
            "are too few for successive halving (its first rung needs at least two rows per "
            "class and fold, three times over); every setting ran every fold."
        )
    if can_race:
        searcher: Any = HalvingGridSearchCV(
            factor=ETA, resource="n_samples", min_resources="exhaust",
            random_state=plan.base.seed, **common,
        )  # fmt: skip
    else:
        searcher = GridSearchCV(**common)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence and fit warnings: scores say enough
        searcher.fit(plan.X_train, plan.y_train)
    results: dict[str, Any] = dict(searcher.cv_results_)
    found.n_fits = len(results["params"]) * len(plan.folds)
    return results


def _read_results(found: Search, plan: _Plan, results: dict[str, Any]) -> None:
    """Each candidate's scores at the last rung it reached (our sign: higher is better
    for the metric's direction as named)."""
    sign = plan.metric.sign
    folds = len(plan.folds)
    keys = [_key(s) for s in plan.settings]
    rungs = results.get("iter", np.zeros(len(results["params"]), dtype=int))
    rows = results.get("n_resources", np.full(len(results["params"]), len(plan.y_train)))
    for i, params in enumerate(results["params"]):
        index = keys.index(_key({k.removeprefix("model__"): v for k, v in params.items()}))
        candidate = found.candidates[index]
        if int(rungs[i]) < candidate.rung:
            continue
        scores = [sign * float(results[f"split{j}_test_score"][i]) for j in range(folds)]
        candidate.scores = [s for s in scores if not math.isnan(s)]
        candidate.rung = int(rungs[i])
        candidate.rows = int(rows[i] * (1 - 1 / plan.base.cv_folds))
        candidate.fit_time = float(results["mean_fit_time"][i])
    failed = [c.label for c in found.candidates if not c.scores]
    if failed:
        found.notices.append(f"{len(failed)} setting(s) failed to fit: {', '.join(failed[:5])}.")


def _finalists(found: Search, plan: _Plan, n_jobs: int) -> None:
    """The two best of the last rung on every full fold: the best, and its lead tested."""
    from tinkerlab.experiment._stats import corrected_resampled_ttest

    ranked = found.ranked()  # best and runner-up not chosen yet: by rung, then mean
    if not ranked:
        _no_setting(found)
    top = ranked[:2]
    full = [_full_scores(plan, found.candidates[i].params, n_jobs) for i in top]
    if found.racing:
        found.n_fits += len(top) * len(plan.folds)
    sign = 1.0 if found.higher_is_better else -1.0
    if len(top) == 2 and sign * np.mean(full[1]) > sign * np.mean(full[0]):
        top, full = top[::-1], full[::-1]  # on every full fold the runner-up is ahead
    found.best, found.best_scores = top[0], full[0]
    if not found.racing:
        found.candidates[top[0]].scores = full[0]
    if len(top) == 2:
        found.runner_up, found.runner_up_scores = top[1], full[1]
        n_test = int(np.mean([len(v) for _, v in plan.folds]))
        if len(plan.folds) >= 2:
            found.lead = corrected_resampled_ttest(
                sign * np.asarray(full[0]), sign * np.asarray(full[1]), found.n_train, n_test
            )
    found.best_recipe = _recipe(plan.base, found.candidates[top[0]].params)


def _full_scores(plan: _Plan, params: dict[str, Any], n_jobs: int) -> list[float]:
    """One setting cross-validated on every full paired fold, in our sign."""
    from sklearn.model_selection import cross_val_score

    from tinkerlab.recipe import build_pipeline

    pipeline = build_pipeline(_recipe(plan.base, params))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = cross_val_score(pipeline, plan.X_train, plan.y_train, cv=plan.folds,
                                 scoring=plan.metric.scoring(), n_jobs=n_jobs)  # fmt: skip
    return [plan.metric.sign * float(s) for s in scores]


def _test_score(found: Search, plan: _Plan) -> None:
    """The best setting fitted on the whole training split, scored once on the test split."""
    from sklearn.metrics import check_scoring

    from tinkerlab.recipe import build_pipeline

    if found.best_recipe is None:
        return
    pipeline = build_pipeline(found.best_recipe)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipeline.fit(plan.X_train, plan.y_train)
        scorer = check_scoring(pipeline, scoring=plan.metric.scoring())
        score = float(scorer(pipeline, plan.X_test, plan.y_test))
    found.test_scores = {plan.metric.name: plan.metric.sign * score}


def _recipe(base: Recipe, params: dict[str, Any]) -> Recipe:
    return base.with_changes(params={**base.params, **params})


def _key(params: dict[str, Any]) -> tuple[Any, ...]:
    """A setting as a comparable key (1 and 1.0 and True kept apart)."""
    return tuple(sorted((k, type(v).__name__, repr(v)) for k, v in params.items()))


def _no_setting(found: Search) -> None:
    raise RecipeError(
        f"No setting of {found.model} could be fitted ({'; '.join(found.notices)}). Fix: "
        f"check the knobs' ranges with: tinkerlab models {found.model}"
    )
